"""A quick command line: --help and --version load no heavy library; a closed stdout ends quietly.

Each check runs in a fresh interpreter (this one has loaded geopandas long ago), and each asks what
was loaded, not how long it took: a behaviour test, not a timing test (benchmarks/bench_cli.py times it).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT, run_cli

HEAVY = ("geopandas", "pandas", "numpy", "scipy", "folium", "branca", "matplotlib", "rasterio", "pyogrio", "shapely")

_HELP_EVERYWHERE = """
import json, sys
from click.testing import CliRunner
import serang_gis.cli.main as m

runner = CliRunner()
calls = [["--help"], ["--version"], ["-h"]]
for name, cmd in m.cli.commands.items():
    calls.append([name, "--help"])
    calls += [[name, sub, "--help"] for sub in getattr(cmd, "commands", {})]
codes = {" ".join(c): runner.invoke(m.cli, c).exit_code for c in calls}
codes["main(--version)"] = m.cli.main(["--version"], prog_name="serang-gis", standalone_mode=False)
print(json.dumps({"codes": codes, "loaded": [h for h in sys.argv[1:] if h in sys.modules]}))
"""


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)


def test_help_and_version_load_no_heavy_library():
    proc = _python(_HELP_EVERYWHERE, *HEAVY)
    assert proc.returncode == 0, proc.stderr
    version, last = proc.stdout.splitlines()[-2:]  # main() printed the version itself, then the script its findings
    assert version.startswith("serang-gis, version ")
    got = json.loads(last)
    assert len(got["codes"]) > 12 and set(got["codes"].values()) == {0}, got["codes"]  # every command and subcommand
    assert got["loaded"] == []


def test_the_console_entry_point_loads_no_heavy_library_for_help():
    code = ("import sys\nfrom serang_gis.cli.main import cli\n"
            "try:\n    cli(['build', '--help'], prog_name='serang-gis')\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "print([h for h in sys.argv[1:] if h in sys.modules], file=sys.stderr)")
    proc = _python(code, *HEAVY)
    assert proc.returncode == 0 and "Usage: serang-gis build" in proc.stdout
    assert proc.stderr.strip() == "[]"


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["konvergensi", "--help"], ["boundaries", "fetch", "--help"]],
                         ids=" ".join)
def test_the_real_process_imports_no_heavy_library(args):
    """`python -X importtime -m serang_gis ...`: every module the process imported, as Python itself lists them."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "serang_gis", *args],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "click" in imported and "serang_gis.cli.main" in imported  # the listing is real
    assert sorted(m for m in imported if m.split(".")[0] in HEAVY) == []


def test_a_command_still_loads_what_it_needs():
    proc = _python("import sys\nfrom click.testing import CliRunner\nfrom serang_gis.cli.main import cli\n"
                   "r = CliRunner().invoke(cli, ['boundaries', 'info', 'no_such_file.geojson'])\n"
                   "print(r.exit_code, 'geopandas' in sys.modules)")
    assert proc.stdout.split() == ["1", "True"], proc.stdout + proc.stderr


# ---- a closed pipe: `serang-gis rank ... | head -1` --------------------------------------------


def _closed_stdout(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    """Run the command with its stdout a pipe whose reader has gone before anything is written.

    The read end is closed at once, so the very first write fails with EPIPE: the same thing as
    ``| head -1`` once head has its line, without depending on who is faster.
    """
    proc = subprocess.Popen([sys.executable, "-m", "serang_gis", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return subprocess.CompletedProcess(proc.args, proc.wait(), "", err)


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["rank", "--help"], ["boundaries", "fetch", "--list"]],
                         ids=" ".join)
def test_a_closed_pipe_ends_quietly_with_141(args):
    proc = _closed_stdout(*args)
    assert proc.stderr == "" and proc.returncode == 141


@pytest.fixture(scope="module")
def joined_packaged(tmp_path_factory):
    """The generated workbook joined to the packaged Kota Serang boundaries (no shared data needed)."""
    from . import fixtures as F

    tmp = tmp_path_factory.mktemp("joined_packaged")
    F.write_messy_xlsx(tmp / "s.xlsx", F.truth_aggregate(), wrong_row=False)
    res = run_cli("join", "--data", tmp / "s.xlsx", "--period", "2024", "-o", tmp / "joined.gpkg")
    assert res.exit_code == 0, res.output
    return tmp / "joined.gpkg"


@pytest.mark.slow
def test_rank_into_a_closed_pipe_says_nothing_more_than_its_notes(joined_packaged, tmp_path):
    args = ["rank", str(joined_packaged), "--draws", "50", "--overwrite"]
    full = subprocess.run([sys.executable, "-m", "serang_gis", *args, "-o", str(tmp_path / "a.gpkg")],
                          capture_output=True, text=True, cwd=ROOT)
    assert full.returncode == 0 and len(full.stdout.splitlines()) > 10, full.stderr
    cut = _closed_stdout(*args, "-o", str(tmp_path / "b.gpkg"))
    # the notes of the ranking (stderr, written before the table) and nothing else: no error, no traceback
    assert cut.stderr == full.stderr and "Error" not in cut.stderr and "Traceback" not in cut.stderr
    assert cut.returncode == 141
    assert (tmp_path / "b.gpkg").stat().st_size > 0  # the files were written before the table was printed
