"""Plan every kab/kota of the national boundary file (no rendering) and check each plan's coverage (issue 25).

The national GeoParquet (83,190 kelurahan/desa) is read once, as `serang-gis build` of many regions reads it, and
cut by kab/kota; each of the 513 kab/kota of the registry is then planned (``plan.layers.units``) and checked
(``plan.layers.check_units``): the kelurahan a valid coverage with every unit kept, kecamatan and kab/kota edges on
kelurahan edges, areas adding up within ``AREA_REL``. Failures are printed by code with their message.

    python3 benchmarks/bench_coverage.py                 # all 513 (long on a shared machine)
    python3 benchmarks/bench_coverage.py 12.05 71.10     # some codes
    python3 benchmarks/bench_coverage.py --read          # the national read alone: its CPU, its coverage check's (issue 24)

Measured 2026-12-06 (2 shared cores): national file read in 98 s; 513 kab/kota planned and checked in 679 s (1.3 s each,
slowest 18.02 9.4 s); 512 pass, 92.03 fails ("no kelurahan of 92.03 in this file"); 352 kab/kota needed a repair after
rounding to the grid (17,022 m2 moved in all), none the union fallback.

--read, measured 2026-12-06 (2 cores, lightly loaded), before the cache: the read 48.1 s wall, 47.2 s CPU, its coverage
check 41.4 s wall, 40.6 s CPU (36 s of it GEOS overlays of the 322,132 pairs whose boxes could hold a told overlap; 3 s
the stray parts), peak 1.6 GB; 104 overlaps, 2 stray parts, 2 open holes. With it (load 3.6): the check 42.1 s CPU the
first time, 0.9 s the next, the same findings, message for message. --read itself (load 5): the first read 54.0 s CPU
(its check 47.1 s), the second 7.7 s CPU (its check 0.8 s); peak 1.75 GB.
"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = ROOT.parent / "shared" / "data" / "boundaries" / "indonesia_kelurahan_1m.parquet"


def check_one(code: str, parts: dict) -> tuple[list[str], object]:
    from serang_gis.plan.layers import AREA_REL, check_units, units

    if code not in parts:
        return [f"{NATIONAL}: no kelurahan of {code} in this file"], None
    kel = parts[code].reset_index(drop=True)
    try:
        u = units(kel)
    except Exception as exc:  # a bug: the message and where
        return [f"{type(exc).__name__}: {exc} ({traceback.format_exc(limit=3).splitlines()[-3].strip()})"], None
    return check_units(u, read=len(kel)), u.kelurahan.attrs.get("_repair")


def read_only() -> int:
    """The national read, timed twice with an empty cache folder: the first read computes the coverage check's findings,
    the second takes them from the cache (``read.boundaries._findings``). Wall and CPU of each read and of its check
    (``check_coverage``), the findings counted (the same both times), the peak memory."""
    import os
    import resource
    import tempfile

    import serang_gis.read.boundaries as boundaries

    check, spent = boundaries.check_coverage, {}

    def timed(*args, **kwargs):
        t, c = time.perf_counter(), time.process_time()
        try:
            return check(*args, **kwargs)
        finally:
            spent["wall"], spent["cpu"] = time.perf_counter() - t, time.process_time() - c

    boundaries.check_coverage = timed
    with tempfile.TemporaryDirectory() as cache:
        os.environ["SERANG_GIS_CACHE"] = cache
        for run in ("first read (the check computed)", "second read (its findings from the cache)"):
            t, c = time.perf_counter(), time.process_time()
            report = boundaries.read_kelurahan(NATIONAL).report
            print(f"{run}: {time.perf_counter() - t:.1f} s wall, {time.process_time() - c:.1f} s CPU; the coverage check "
                  f"{spent['wall']:.1f} s wall, {spent['cpu']:.1f} s CPU; peak so far "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
            print(f"  findings: {len(report.overlaps)} overlaps, {len(report.strays)} stray parts, {len(report.holes)} open "
                  f"holes, {len(report.missing)} missing/unknown, {len(report.repairs)} repairs")
    return 0


def main(codes: list[str]) -> int:
    from serang_gis.read.fetch import expand_regions
    from serang_gis.plan.layers import AREA_REL
    from serang_gis.read.boundaries import read_kelurahan

    t0 = time.perf_counter()
    kel = read_kelurahan(NATIONAL).kelurahan
    parts = dict(tuple(kel.groupby("kode_kab", sort=True)))
    read_s = time.perf_counter() - t0
    regions = expand_regions(codes or ["all"])
    failed, repaired, fallback, moved, slow = {}, 0, 0, 0.0, []
    t1 = time.perf_counter()
    for i, code in enumerate(regions, 1):
        s = time.perf_counter()
        problems, repair = check_one(code, parts)
        slow.append((time.perf_counter() - s, code))
        if problems:
            failed[code] = problems
            print(f"FAILED {code}: " + "; ".join(problems), flush=True)
        if repair is not None and (repair.edges or repair.gaps or repair.units):
            repaired += 1
            fallback += bool(repair.fallback)
            moved += repair.moved_m2
        if i % 50 == 0:
            print(f"  {i} of {len(regions)} planned, {time.perf_counter() - t1:.0f} s", flush=True)
    plan_s = time.perf_counter() - t1
    print(f"read the national file ({len(kel)} kelurahan): {read_s:.1f} s")
    print(f"planned and checked {len(regions)} kab/kota in {plan_s:.1f} s ({plan_s / max(1, len(regions)):.2f} s each; "
          f"slowest {', '.join(f'{c} {s:.1f} s' for s, c in sorted(slow)[-3:])})")
    print(f"passed {len(regions) - len(failed)}, failed {len(failed)}: {', '.join(failed) or 'none'} "
          f"(area tolerance {AREA_REL:g} relative)")
    print(f"repaired after rounding to the grid: {repaired} kab/kota, {moved:,.0f} m2 moved in all; union fallback: {fallback}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(read_only() if "--read" in sys.argv else main(sys.argv[1:]))
