"""A quick command line: --help and --version load no heavy library.

Each check runs in a fresh interpreter (this one has loaded geopandas long ago), and each asks what
was loaded, not how long it took: a behaviour test, not a timing test (benchmarks/bench_cli.py times it).
"""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT

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


def test_a_command_still_loads_what_it_needs():
    proc = _python("import sys\nfrom click.testing import CliRunner\nfrom serang_gis.cli.main import cli\n"
                   "r = CliRunner().invoke(cli, ['boundaries', 'info', 'no_such_file.geojson'])\n"
                   "print(r.exit_code, 'geopandas' in sys.modules)")
    assert proc.stdout.split() == ["1", "True"], proc.stdout + proc.stderr

