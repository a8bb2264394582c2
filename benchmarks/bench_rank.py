"""Stability and cost of `rank`'s uncertainty analysis: do the flags change with the seed?

For a number of draws, ranks the generated Kota Serang table (tests/fixtures.py, period 2024) with
seeds 1-8 and counts the kelurahan whose "lokus kuat" / "perbatasan" flag or Prioritas tier is not
the same under every seed (target 0), the Prioritas/P inversions (a Prioritas 1 with a lower
P(top N) than a Prioritas 2, or a Prioritas 2 with a lower P(top 2N) than a Prioritas 3, summed over the seeds;
target 0) and, for reference, the inversions the old tiers by point score would have had, with the
largest Monte Carlo standard error of P(top N) and the wall time per rank, as a ratio against the
point ranking (draws = 0) measured in the same run. The same on a partial layer (two kecamatan
reporting). Also measures the normalisations' robustness: how many ranks one extreme value changes.

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


def inversions(tier: pd.Series, table: pd.DataFrame) -> int:
    """Prioritas 1 with a lower P(top N) than a Prioritas 2, and Prioritas 2 with a lower P(top 2N) than a Prioritas 3."""
    count = 0
    for upper, lower, col in (("Prioritas 1", "Prioritas 2", "peluang_top_n"), ("Prioritas 2", "Prioritas 3", "peluang_top_2n")):
        below = table.loc[tier == lower, col]
        if len(below):
            count += int((table.loc[tier == upper, col] < below.max()).sum())
    return count


def seeds(layer, draws: int, name: str = "complete") -> dict:
    prof = load_profile()
    t0 = time.perf_counter()
    point = rank(layer, prof, draws=0)
    base = time.perf_counter() - t0
    flags, tiers, mcse, times, inv, old_inv, ps, used, at_cut = [], [], [], [], 0, 0, [], [], set()
    for seed in range(1, 9):
        t0 = time.perf_counter()
        r = rank(layer, prof, draws=draws, seed=seed)
        times.append(time.perf_counter() - t0)
        flags.append(r.table["status_lokus"].fillna("-").to_numpy())
        mcse.append(r.mcse_max)
        used.append(r.draws_used)
        at_cut |= set(r.table.loc[r.table["di_batas"].notna(), "kelurahan"].astype(str))
        ps.append(r.table["peluang_top_n"].to_numpy())
        tiers.append(r.table["prioritas"].fillna("-").to_numpy())
        inv += inversions(r.table["prioritas"], r.table)
        old_inv += inversions(point.table["prioritas"], r.table)  # tiers by point score, as before issue 18
    flags, tiers = np.array(flags), np.array(tiers)
    changed = int((flags != flags[0]).any(axis=0).sum())
    ps = np.array(ps)
    moving = (flags != flags[0]).any(axis=0) | (tiers != tiers[0]).any(axis=0)
    names = point.table["kelurahan"].fillna(point.table["kode_kel"]).to_numpy()
    which = "; ".join(f"{names[i]} P {ps[:, i].min():.3f}-{ps[:, i].max():.3f}" for i in np.flatnonzero(moving))
    return {"layer": name, "ranked": f"{point.ranked}/{point.total}", "draws": draws, "flags_changing": changed,
            "tiers_changing": int((tiers != tiers[0]).any(axis=0).sum()), "inversions": inv, "inversions_tiers_by_score": old_inv,
            "lokus_kuat": sorted({int((f == "lokus kuat").sum()) for f in flags}),
            "perbatasan": sorted({int((f == "perbatasan").sum()) for f in flags}),
            "draws_used": f"{min(used)}-{max(used)}", "still_at_a_cut": ", ".join(sorted(at_cut)) or "-",
            "mcse_max": round(max(mcse), 4), "changing (P over seeds)": which or "-", "seconds": round(float(np.median(times)), 3),
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
        for c in [i.column for i in prof.indicators] + ["balita_diukur", "pendek", "sangat_pendek", "stunting"]:
            if c in cut.columns:  # the counts too: the rates and the count are recomputed from them
                cut.loc[cut["kode_kel"] == gone_code, c] = None
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
    part = layer.copy()
    outside = ~part["kode_kel"].astype(str).str.startswith(("36.73.02", "36.73.04"))  # two kecamatan reported
    part.loc[outside, [c for c in ("balita_diukur", "pendek", "sangat_pendek", "stunting", "prevalensi_stunting", "balita_stunting",
                                   "prevalensi_stunting_eb") if c in part.columns]] = None
    rows = [seeds(layer, d) for d in args.draws] + [seeds(part, d, "partial") for d in args.draws]
    print(pd.DataFrame(rows).to_string(index=False))
    print()
    print(pd.DataFrame(robustness(layer)).to_string(index=False))


if __name__ == "__main__":
    main()
