"""Stability and cost of `rank`'s uncertainty analysis: do the flags change with the seed?

For a number of draws, ranks the generated Kota Serang table (tests/fixtures.py, period 2024) with
seeds 1-8 and counts the kelurahan whose "lokus kuat" / "perbatasan" flag or Prioritas tier is not
the same under every seed, with the largest Monte Carlo standard error of P(top N) and the wall
time per rank, as a ratio against the point ranking (draws = 0) measured in the same run. Also
measures the normalisations' robustness: how many ranks one extreme value changes.

    python3 benchmarks/bench_rank.py                  # draws 2000, 5000, 10000
    python3 benchmarks/bench_rank.py --draws 4000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from serang_gis import read_kelurahan  # noqa: E402
from serang_gis.core.indicators import derive  # noqa: E402
from serang_gis.join.tables import join_tables  # noqa: E402
from serang_gis.analysis.priority import load_profile, rank  # noqa: E402
from serang_gis.read.tables import read_table  # noqa: E402
from tests import fixtures as F  # noqa: E402

SERANG = ROOT.parent / "shared" / "data" / "boundaries" / "kota_serang_kelurahan.geojson"


def joined():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.xlsx"
        F.write_messy_xlsx(path, F.truth_aggregate(), wrong_row=False)
        kel = read_kelurahan(SERANG).kelurahan
        out, _ = join_tables(kel, [read_table(path, period="2024")])
    return out


def seeds(layer, draws: int) -> dict:
    prof = load_profile()
    t0 = time.perf_counter()
    rank(layer, prof, draws=0)
    base = time.perf_counter() - t0
    flags, tiers, mcse, times = [], [], [], []
    for seed in range(1, 9):
        t0 = time.perf_counter()
        r = rank(layer, prof, draws=draws, seed=seed)
        times.append(time.perf_counter() - t0)
        flags.append(r.table["status_lokus"].fillna("-").to_numpy())
        mcse.append(r.mcse_max)
        tiers.append(r.table["prioritas"].fillna("-").to_numpy())
    flags, tiers = np.array(flags), np.array(tiers)
    changed = int((flags != flags[0]).any(axis=0).sum())
    return {"draws": draws, "flags_changing": changed, "tiers_changing": int((tiers != tiers[0]).any(axis=0).sum()),
            "lokus_kuat": sorted({int((f == "lokus kuat").sum()) for f in flags}),
            "perbatasan": sorted({int((f == "perbatasan").sum()) for f in flags}),
            "mcse_max": round(max(mcse), 4), "seconds": round(float(np.median(times)), 3),
            "ratio_to_point_rank": round(float(np.median(times)) / base, 1)}


def robustness(layer) -> list[dict]:
    """One extreme value (a kelurahan's families at risk x10): how many other ranks move, per normalisation."""
    rows = []
    worst = layer["persen_keluarga_berisiko"].idxmin()
    bent = layer.copy()
    bent.loc[worst, "keluarga_berisiko"] = bent.loc[worst, "keluarga"]  # 100 % at risk
    bent = derive(bent.drop(columns=[c for c in bent.columns if c.endswith(("_ci_bawah", "_ci_atas", "_eb"))]))
    for norm in ("percentile", "winsor", "minmax", "zscore"):
        prof = load_profile()
        prof.normalisation = norm
        a = rank(layer, prof, draws=0).table.set_index("kode_kel")["peringkat"]
        b = rank(bent, prof, draws=0).table.set_index("kode_kel")["peringkat"]
        moved = int(((a != b) & (a.index != layer.loc[worst, "kode_kel"])).fillna(False).sum())
        # one kelurahan's data removed (the largest number of stunted toddlers): ranks changed beyond the shift by one
        gone_code = layer.loc[layer["balita_stunting"].idxmax(), "kode_kel"]
        cut = layer.copy()
        for c in prof.indicators:
            cut.loc[cut["kode_kel"] == gone_code, c.column] = None
        c_ = rank(cut, prof, draws=0).table.set_index("kode_kel")["peringkat"]
        shift = (a > a[gone_code]).fillna(False).astype(int)
        changed = int(((c_ != a - shift) & (a.index != gone_code)).fillna(False).sum())
        rows.append({"normalisation": norm, "other_ranks_changed_by_one_extreme_value": moved,
                     "ranks_changed_by_removing_one_kelurahan": changed})
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, nargs="*", default=[2000, 5000, 10000])
    args = ap.parse_args()
    layer = joined()
    print(pd.DataFrame([seeds(layer, d) for d in args.draws]).to_string(index=False))
    print()
    print(pd.DataFrame(robustness(layer)).to_string(index=False))


if __name__ == "__main__":
    main()
