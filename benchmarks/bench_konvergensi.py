"""Benchmark the convergence view on a large Aksi 2 matrix against reading the same file with pandas.

The matrix is the generated 60-activity matrix of the tests repeated to ``N`` rows (every Lokasi
form, office spelling and amount form), each copy's sub-kegiatan numbered so no row repeats another
(a repeated row is counted once and the run would measure 60 activities). Figures: seconds to read + parse + compute (per kelurahan
offices, located pagu, headline) and to write every product, and their ratios to a plain
``pandas.read_csv`` of the same file measured in the same run.

    python3 benchmarks/bench_konvergensi.py [N] [--profile]

``--profile`` also prints the top of a cProfile of the write step (cumulative time), to see where it goes.
The goal of issue 24: every product of 6,000 activities written in <= 3 s.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from serang_gis import read_kelurahan
from serang_gis.read import reference  # noqa: E402
from serang_gis.read.kegiatan import read_kegiatan  # noqa: E402
from serang_gis.analysis.konvergensi import compute  # noqa: E402
from serang_gis.render.konvergensi import write_products  # noqa: E402
from serang_gis.read.lokus import lokus_flags  # noqa: E402
from tests import kegiatan_fixtures as K  # noqa: E402

SERANG = ROOT.parent / "shared" / "data" / "boundaries" / "kota_serang_kelurahan.geojson"


WRITE_GOAL = 3.0  # seconds, issue 24


def main(n: int = 6000, profile: bool = False) -> None:
    base_acts = K.make_activities()
    # copies told apart by their sub-kegiatan (the reader counts a row repeating an earlier one once)
    acts = [a if i < len(base_acts) else replace(a, sub=f"{a.sub} (paket {i // len(base_acts) + 1})")
            for i, a in enumerate((base_acts * (n // len(base_acts) + 1))[:n])]
    kel = read_kelurahan(SERANG).kelurahan
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        K.write_csv(tmp / "aksi2.csv", acts)
        t0 = time.perf_counter()
        pd.read_csv(tmp / "aksi2.csv", sep=";", skiprows=1, dtype=str)
        base = time.perf_counter() - t0
        t0 = time.perf_counter()
        keg = read_kegiatan(tmp / "aksi2.csv", kel)
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        res = compute(kel, keg, lokus=lokus_flags("2022", kel), lokus_name="2022")
        t_compute = time.perf_counter() - t0
        prof = None
        if profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        t0, c0 = time.perf_counter(), time.process_time()
        write_products(res, tmp / "out")
        t_write, c_write = time.perf_counter() - t0, time.process_time() - c0
        if prof is not None:
            prof.disable()
    assert len(keg.rows) == n and res.total["pagu_total"] == sum(a.pagu for a in acts)
    print(f"{n} activities ({len(reference.gazetteer())} kelurahan)")
    print(f"  pandas.read_csv (baseline)      {base:8.3f} s")
    print(f"  read + parse (offices, Lokasi)  {t_read:8.3f} s  ({t_read / base:,.0f}x the baseline)")
    print(f"  compute                         {t_compute:8.3f} s  ({t_compute / base:,.0f}x)")
    print(f"  write every product             {t_write:8.3f} s  ({t_write / base:,.0f}x)  goal <= {WRITE_GOAL:g} s: "
          f"{'ok' if t_write <= WRITE_GOAL else 'OVER'}{' (profiled: slower)' if profile else ''}")
    print(f"    of which CPU (this process)   {c_write:8.3f} s  (wall above CPU: other processes had the cores; "
          f"load average {os.getloadavg()[0]:.1f})")
    if prof is not None:
        import pstats

        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--profile"]
    main(int(args[0]) if args else 6000, profile="--profile" in sys.argv[1:])
