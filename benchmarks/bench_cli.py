"""How fast the command line answers: --help, --version and build --help, against a bare interpreter.

    python3 benchmarks/bench_cli.py [RUNS]

Each command runs RUNS times (default 5) as a fresh process; the best wall time is kept. The baseline
is measured in the same run, `python3 -c pass` (and `import click`, the least a click command line
loads), so the ratios hold on a slow or busy machine too.
The package timed is this checkout's (PYTHONPATH), run as `python3 -m serang_gis` and, when an
installed `serang-gis` console script is found beside this interpreter or on PATH, through it. For
reference, the last line loads what a real command loads (serang_gis.pipeline: geopandas, pandas,
scipy, folium ...). The budget of the answers is 0.5 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BUDGET = 0.5  # seconds
ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's serang_gis, whatever is installed


def best_of(cmd: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV, cwd=ROOT)
        best = min(best, time.perf_counter() - t0)
    return best


def console_script() -> str | None:
    beside = Path(sys.executable).parent / "serang-gis"
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else shutil.which("serang-gis")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    ways = [("python3 -m serang_gis", [sys.executable, "-m", "serang_gis"])]
    if console_script():
        ways.append(("serang-gis", [console_script()]))
    cases = [("python3 -c pass (baseline)", [sys.executable, "-c", "pass"], False),
             ("python3 -c 'import click' (the floor of a click CLI)", [sys.executable, "-c", "import click"], False)]
    for name, cli in ways:
        cases += [(f"{name} {args}", [*cli, *args.split()], True) for args in ("--help", "--version", "build --help")]
    cases.append(("import serang_gis.pipeline (a command's libraries)", [sys.executable, "-c", "import serang_gis.pipeline"], False))
    print(f"{sys.executable} ({ROOT}); best of {runs} runs, each a fresh process")
    print(f"{'command':55} {'seconds':>8} {'x pass':>7} {'x click':>8}  budget {BUDGET} s")
    base = click = None
    for label, cmd, budgeted in cases:
        secs = best_of(cmd, runs)
        base = base or secs
        click = click or (secs if "import click" in label else None)
        verdict = ("ok" if secs <= BUDGET else "OVER") if budgeted else ""
        vs_click = f"{secs / click:8.1f}" if click else f"{'':8}"
        print(f"{label:55} {secs:8.3f} {secs / base:7.1f} {vs_click}  {verdict}")


if __name__ == "__main__":
    main()
