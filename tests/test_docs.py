"""Every command is documented in the README, and every command's help ends with examples."""

import re
from pathlib import Path

import click
import pytest

from serang_gis.cli.main import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=("serang-gis",)):
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path)
        else:
            yield " ".join(path), cmd


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("name, cmd", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_command_is_in_the_readme(name, cmd):
    assert f"`{name}" in README, f"{name} is not documented in README.md"


@pytest.mark.parametrize("name, cmd", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_help_ends_with_examples(name, cmd):
    helptext = cmd.help or ""
    assert "Examples:" in helptext and re.search(r"\$ " + re.escape(name), helptext), f"{name} --help has no examples"


def test_every_option_of_build_is_in_the_readme():
    build = cli.commands["build"]
    for param in build.params:
        longest = max(param.opts, key=len)
        if longest.startswith("--") and longest != "--help":
            assert longest in README, f"{longest} of build is not in README.md"


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(first_block) == 2
    assert "serang-gis build" in first_block[0] and "pytest" in first_block[1]


def test_columns_doc_is_up_to_date():
    from serang_gis.core.fields import FIELDS, columns_doc

    doc = (Path(__file__).resolve().parents[1] / "docs" / "columns.md").read_text(encoding="utf-8")
    assert doc == columns_doc(), "docs/columns.md is stale: python3 -m serang_gis.core.fields > docs/columns.md"
    for f in FIELDS:
        assert f"| `{f.name}` |" in doc


def test_readme_config_example_is_valid(tmp_path):
    from serang_gis.read.config import load_config

    block = "# atlas.toml" + README.split("# atlas.toml", 1)[1].split("```", 1)[0]
    for name in re.findall(r'path = "([^"]+)"', block):
        (tmp_path / name).write_text("placeholder")
    cfg = load_config(_write(tmp_path / "atlas.toml", block))
    assert cfg.indicators == ("prevalensi", "persen_keluarga_berisiko") and cfg.change == (("2021", "2023"),) and cfg.rank


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_statistics_and_prioritization_docs_keep_up_with_the_code():
    import inspect

    import pandas as pd

    from serang_gis.core import stats
    from serang_gis.core.indicators import RATE_COUNTS
    from serang_gis.analysis.priority import Indicator, Profile, rank

    docs = Path(__file__).resolve().parents[1] / "docs"
    statistics = (docs / "statistics.md").read_text(encoding="utf-8")
    for name, fn in inspect.getmembers(stats, inspect.isfunction):
        if fn.__module__ == stats.__name__ and not name.startswith("_"):
            assert f"`{name}`" in statistics or f"`{name}(" in statistics, f"stats.{name} is not in docs/statistics.md"
    for rate in RATE_COUNTS:
        assert f"{rate}_ci" in statistics or rate.split("_")[0] in statistics
    prio = (docs / "prioritization.md").read_text(encoding="utf-8")
    f = pd.DataFrame({"kode_kel": ["36.73.01.1001", "36.73.01.1002", "36.73.02.1001"], "balita_diukur": [40, 20, 30],
                      "pendek": [4, 5, 6], "sangat_pendek": [0, 1, 2], "status_odf": ["ODF deklarasi", "Belum ODF", None]})
    from serang_gis.core.indicators import derive

    res = rank(derive(f), Profile("t", [Indicator("prevalensi_stunting", 1, core=True)], top_n=1), draws=50,
               lokus=pd.Series([True, False, False]))
    for col in res.table.columns:
        generic = col.replace("prevalensi_stunting", "<column>").replace("<column>", "<rate>") if col.startswith("nilai_") else col
        generic = generic.replace("prevalensi_stunting", "<column>")
        assert f"`{generic}`" in prio, f"rank column {col} is not documented in docs/prioritization.md"
