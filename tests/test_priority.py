import re

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

from serang_gis import InputError
from serang_gis.analysis.priority import Indicator, Profile, lights, load_profile, normalise, rank, sanitation_check, scaled_top_n


def _frame():
    return pd.DataFrame({
        "kode_kel": [f"36.73.01.100{i}" for i in range(1, 7)],
        "kelurahan": list("ABCDEF"), "kecamatan": ["K"] * 6,
        "rate": [30.0, 20.0, 10.0, 5.0, None, 25.0],
        "count": [100, 50, 10, 5, 80, None],
        "access": [40.0, 60.0, 80.0, 90.0, 50.0, 70.0],  # lower access is worse
    })


PROFILE = Profile("t", [Indicator("rate", 2, core=True), Indicator("count", 1), Indicator("access", 1, "lower_worse")],
                  normalisation="minmax", missing="reweight", top_n=2)


def test_normalisations_keep_missing_and_direction():
    s = pd.Series([1.0, 2.0, None, 3.0])
    assert normalise(s, "minmax", "higher_worse").tolist()[:2] == [0.0, 0.5] and pd.isna(normalise(s, "minmax", "higher_worse")[2])
    assert normalise(s, "minmax", "lower_worse").tolist()[0] == 1.0
    assert normalise(s, "percentile", "higher_worse").tolist()[3] == 1.0
    z = normalise(s, "zscore", "higher_worse")
    assert z[0] < 0.5 < z[3]


def test_robust_normalisations_resist_one_extreme_value():
    v = pd.Series(np.r_[np.linspace(10, 30, 19), 400.0])
    mm, pc, ws = normalise(v, "minmax", "higher_worse"), normalise(v, "percentile", "higher_worse"), normalise(v, "winsor", "higher_worse")
    assert mm[18] < 0.06  # min-max: the outlier squeezes every other kelurahan near 0
    assert pc[18] == pytest.approx(18 / 19) and ws[18] > 0.9  # robust: the order and spread survive
    assert ws[19] == 1.0 and ws[0] == 0.0


def test_scores_ranks_tiers_and_contributions_reweight():
    r = rank(_frame(), PROFILE, draws=0).table.set_index("kelurahan")
    assert r.at["A", "skor_prioritas"] == 1.0 and r.at["A", "peringkat"] == 1 and r.at["A", "prioritas"] == "Prioritas 1"
    # reweight (explicit): E has no rate, scored over count and access, says so
    e_expected = (80 - 5) / 95 * 0.5 + (90 - 50) / 50 * 0.5
    assert r.at["E", "skor_prioritas"] == pytest.approx(e_expected, abs=1e-9)
    assert r.at["E", "indikator_hilang"] == "rate" and "bobot dibagi ulang" in r.at["E", "penjelasan"]
    shares = r.loc["B", [c for c in r.columns if c.startswith("kontribusi_")]]
    assert shares.sum() == pytest.approx(100, abs=0.2)
    assert set(r["prioritas"]) == {"Prioritas 1", "Prioritas 2", "Prioritas 3"}
    assert r.at["A", "lampu_rate"] == "merah" and r.at["D", "lampu_rate"] == "hijau"
    assert r.at["D", "lampu_access"] == "hijau" and r.at["A", "lampu_access"] == "merah"  # lower access is worse


def test_missing_core_data_is_not_ranked_by_default():
    p = Profile("t", PROFILE.indicators, normalisation="minmax", top_n=2)  # missing = "core"
    res = rank(_frame(), p, draws=0)
    r = res.table.set_index("kelurahan")
    assert pd.isna(r.at["E", "peringkat"]) and pd.isna(r.at["E", "prioritas"]) and not r.at["E", "dirangking"]
    assert r.at["E", "penjelasan"].startswith("tidak diperingkat: perlu data")
    assert r.at["F", "peringkat"] >= 1  # a non-core gap is reweighted
    assert res.ranked == 5 and res.total == 6 and "ranked 5 of 6" in res.summary()[0] and any(n.startswith("1 kelurahan not ranked, needs data") and n.endswith(": E") for n in res.notes)
    # normalised among the ranked only: E's count (80) does not set the scale
    assert r.at["A", "skor_prioritas"] == 1.0


def test_flag_policy_gives_no_score_when_something_is_missing():
    p = Profile("t", PROFILE.indicators, missing="flag", top_n=2)
    r = rank(_frame(), p, draws=0).table.set_index("kelurahan")
    assert pd.isna(r.at["E", "skor_prioritas"]) and pd.isna(r.at["E", "peringkat"]) and pd.isna(r.at["E", "prioritas"])
    assert pd.isna(r.at["F", "skor_prioritas"])


def test_top_n_scales_with_the_kelurahan_ranked():
    assert scaled_top_n(20, 67, 67) == 20 and scaled_top_n(20, 20, 67) == 6 and scaled_top_n(20, 2, 67) == 1
    assert scaled_top_n(20, 0, 67) == 0 and scaled_top_n(20, 10, 10) == 10
    f = pd.DataFrame({"kode_kel": [f"36.73.01.10{i:02d}" for i in range(1, 31)], "x": [float(i) if i <= 10 else None for i in range(1, 31)]})
    res = rank(f, Profile("t", [Indicator("x", 1, core=True)], top_n=9), draws=500, seed=3)
    assert res.ranked == 10 and res.top_n == 3
    assert (res.table["prioritas"] == "Prioritas 1").sum() == 3
    assert res.table["peluang_top_n"].sum() == pytest.approx(3)


def test_ties_at_the_cut_are_broken_by_the_documented_rule():
    f = pd.DataFrame({"kode_kel": ["36.73.01.1004", "36.73.01.1002", "36.73.01.1003", "36.73.01.1001"],
                      "a": [5.0, 5.0, 5.0, 1.0], "b": [1.0, 3.0, 3.0, 0.0]})
    p = Profile("t", [Indicator("a", 1), Indicator("b", 1e-9)], normalisation="minmax", top_n=2)
    r = rank(f, p, draws=0).table.set_index("kode_kel")
    # a ties 3 kelurahan; b (next weight) puts 1004 last; 1002 and 1003 tie on both: the lower code first
    assert r["peringkat"].to_dict() == {"36.73.01.1002": 1, "36.73.01.1003": 2, "36.73.01.1004": 3, "36.73.01.1001": 4}
    assert (r["prioritas"] == "Prioritas 1").sum() == 2
    p0 = Profile("t", [Indicator("a", 1)], top_n=2)
    r0 = rank(f, p0, draws=400, seed=1).table.set_index("kode_kel")
    assert (r0["prioritas"] == "Prioritas 1").sum() == 2 and r0["peluang_top_n"].sum() == pytest.approx(2)


def test_lokus_comparison_without_and_with_draws():
    lok = pd.Series([True, False, True, False, True, False])
    p = Profile("t", PROFILE.indicators, normalisation="minmax", top_n=2)
    res = rank(_frame(), p, lokus=lok, draws=0)
    assert res.comparison["lokus dan Prioritas 1"] == ["36.73.01.1001"]
    assert "36.73.01.1003" in res.comparison["lokus, prioritas rendah"]
    assert res.comparison["lokus, perlu data"] == ["36.73.01.1005"]
    res = rank(_frame(), p, lokus=lok, draws=2000, seed=2)
    t = res.table.set_index("kode_kel")
    for code in res.comparison["lokus, lokus kuat"]:
        assert t.at[code, "lokus"] and t.at[code, "peluang_top_n"] >= 0.795
    assert res.comparison["lokus, perlu data"] == ["36.73.01.1005"]
    assert sum(len(v) for v in res.comparison.values()) == t["banding_lokus"].notna().sum()


def test_uncertainty_is_reproducible_and_reflects_both_sources():
    a = rank(_frame(), PROFILE, draws=3000, seed=5).table
    b = rank(_frame(), PROFILE, draws=3000, seed=5).table
    pd.testing.assert_frame_equal(a, b)
    r = a.set_index("kelurahan")
    assert r.at["A", "peluang_top_n"] > 0.9 and r.at["A", "peringkat_p5"] == 1
    assert (r["peringkat_p5"].dropna() <= r["peringkat_p95"].dropna()).all()
    assert r["peluang_top_n"].sum() == pytest.approx(2)
    np.testing.assert_allclose(r["galat_mc"], np.sqrt(r["peluang_top_n"] * (1 - r["peluang_top_n"]) / 3000))
    assert set(r["status_lokus"].dropna()) <= {"lokus kuat", "perbatasan"}
    # rates with counts: the posterior draws widen the rank interval beyond weight perturbation alone
    f = pd.DataFrame({"kode_kel": [f"36.73.01.10{i:02d}" for i in range(1, 13)], "balita_diukur": [12, 14, 11, 400, 380, 390] * 2,
                      "pendek": [3, 5, 1, 160, 40, 120, 4, 2, 3, 200, 20, 80], "sangat_pendek": [0] * 12})
    from serang_gis.core.indicators import derive

    f = derive(f)
    p = Profile("t", [Indicator("prevalensi_stunting", 1, core=True)], top_n=4)
    small = rank(f, p, draws=3000, seed=1).table
    width = (small["peringkat_p95"] - small["peringkat_p5"]).astype(float)
    assert width[f["balita_diukur"] < 50].mean() > width[f["balita_diukur"] > 100].mean()  # 10-49 measured: ranked, wide
    # the point ranking uses the smoothed rate by default, the raw one on request
    assert small["nilai_prevalensi_stunting"].to_numpy() == pytest.approx(f["prevalensi_stunting_eb"].astype(float).to_numpy())
    raw = rank(f, Profile("t", p.indicators, top_n=4, estimate="raw"), draws=0).table
    assert "nilai_prevalensi_stunting" not in raw.columns


def test_the_rank_recomputed_from_the_docs():
    """docs/prioritization.md, steps 1-4, by hand: percentile scores, weighted mean, rank, tiers."""
    rng = np.random.default_rng(0)
    f = pd.DataFrame({"kode_kel": [f"36.73.0{1 + i // 10}.10{i % 10:02d}" for i in range(30)],
                      "x": rng.uniform(0, 50, 30), "y": rng.uniform(0, 1000, 30), "z": rng.uniform(0, 100, 30)})
    f.loc[3, "y"] = np.nan
    p = Profile("t", [Indicator("x", 3, core=True), Indicator("y", 2), Indicator("z", 1, "lower_worse")], top_n=6)
    got = rank(f, p, draws=0).table.set_index("kode_kel")
    pct = {}
    for c, sign in (("x", 1), ("y", 1), ("z", -1)):
        v = sign * f[c]
        ok = v.notna()
        pct[c] = pd.Series(np.nan, index=f.index)
        pct[c][ok] = (rankdata(v[ok]) - 1) / (ok.sum() - 1)
    w = {"x": 0.5, "y": 2 / 6, "z": 1 / 6}
    num = sum(pct[c].fillna(0) * w[c] for c in w)
    den = sum(pct[c].notna() * w[c] for c in w)
    score = num / den
    np.testing.assert_allclose(got["skor_prioritas"].to_numpy(), score.to_numpy())
    order = score.sort_values(ascending=False).index
    assert got["peringkat"].to_numpy()[order].tolist() == list(range(1, 31))
    assert (got["prioritas"].iloc[order[:6]] == "Prioritas 1").all() and (got["prioritas"].iloc[order[6:12]] == "Prioritas 2").all()


def test_lights_respect_the_best_value():
    zero_inflated = pd.Series([0, 0, 0, 0, 0, 0, 2.0, 5.0, 30.0])
    got = lights(zero_inflated, Indicator("gap", 1))
    assert (got[:6] == "hijau").all() and got[8] == "merah"
    odf = pd.Series([True, False, False, False, True, None], dtype="boolean")  # belum_odf: ODF (False) is the best
    got = lights(odf, Indicator("belum_odf", 1))
    assert got.tolist()[:5] == ["merah", "hijau", "hijau", "hijau", "merah"] and pd.isna(got[5])
    same = lights(pd.Series([3.0, 3.0, 3.0]), Indicator("x", 1))
    assert (same == "hijau").all()
    cont = lights(pd.Series(np.arange(1.0, 10.0)), Indicator("x", 1))
    assert cont.value_counts().to_dict() == {"hijau": 3, "kuning": 3, "merah": 3}


def test_sanitation_consistency_flags():
    f = pd.DataFrame({"status_odf": ["ODF deklarasi", "ODF terverifikasi", "Belum ODF", "ODF deklarasi", None],
                      "tanpa_jamban": [120, 10, 300, 30, 500], "kk": [3000, 100, 2000, None, None],
                      "jamban_layak_persen": [90, 95, 100, 99, 50]})
    got = sanitation_check(f)
    assert got[0] == "ODF deklarasi, tetapi 120 KK tanpa jamban" and "10 KK" in got[1]  # 10 of 100 KK = 10 %
    assert got[2] == "Belum ODF, tetapi akses jamban layak 100 %"
    assert pd.isna(got[3]) and pd.isna(got[4])


def test_default_profile_and_profile_errors(tmp_path):
    p = load_profile()
    assert p.name == "default" and abs(p.weights.sum() - 1) < 1e-9
    assert p.normalisation == "percentile" and p.missing == "core" and p.estimate == "eb" and p.concentration == 50
    assert [i.column for i in p.indicators if i.core] == ["prevalensi_stunting", "balita_stunting"]
    bad = tmp_path / "p.toml"
    bad.write_text('name="x"\n[[indicator]]\ncolumn="a"\nweight=-1\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"indicator\[1\]\.weight"):
        load_profile(bad)
    bad.write_text('nama="x"\n', encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'nama'"):
        load_profile(bad)
    bad.write_text('normalisation="log"\n[[indicator]]\ncolumn="a"\nweight=1\n', encoding="utf-8")
    with pytest.raises(InputError, match="normalisation"):
        load_profile(bad)
    bad.write_text('concentration=0\n[[indicator]]\ncolumn="a"\nweight=1\n', encoding="utf-8")
    with pytest.raises(InputError, match="concentration"):
        load_profile(bad)
    bad.write_text('estimate="smooth"\n[[indicator]]\ncolumn="a"\nweight=1\n', encoding="utf-8")
    with pytest.raises(InputError, match="estimate"):
        load_profile(bad)


def test_absent_indicator_is_left_out_and_said():
    f = _frame().drop(columns="access")
    res = rank(f, PROFILE, draws=0)
    assert res.notes and "access" in res.notes[0]
    assert np.isclose(res.profile.weights.sum(), 1)
    with pytest.raises(InputError, match="no data"):
        rank(f[["kode_kel", "kelurahan", "kecamatan"]], PROFILE, draws=0)
    # a core indicator with no data at all: nobody is ranked, and it is said
    core = Profile("t", [Indicator("rate", 1, core=True), Indicator("count", 1)], top_n=2)
    res = rank(f.drop(columns="rate"), core, draws=0)
    assert res.ranked == 0 and res.table["peringkat"].isna().all() and any("core" in n for n in res.notes)


def test_reranking_a_ranked_layer_leaves_no_stale_columns():
    from serang_gis.analysis.priority import attach

    f = _frame()
    first = attach(f, rank(f, PROFILE, draws=200, lokus=pd.Series([True] + [False] * 5)))
    assert "peluang_top_n" in first.columns and "banding_lokus" in first.columns
    again = attach(first, rank(first, PROFILE, draws=0))
    assert "peluang_top_n" not in again.columns and "banding_lokus" not in again.columns and len(again) == 6
    pd.testing.assert_series_equal(again["rate"], f["rate"])


# --- issue 18: eligibility, partial periods, uncertainty end to end, lights on the ranked value, moved weights ---

def _twelve(**extra):
    """12 hand-made kelurahan of one kecamatan: K01 (5 measured) and K02 (8) need data; K03 (30) and K04 (45) are
    ranked with a caution; K04 measured 45 of a sasaran of 200 (22.5 %: low coverage); K05-K12 measured 200 each."""
    from serang_gis.core.indicators import derive

    f = pd.DataFrame({"kode_kel": [f"36.73.01.10{i:02d}" for i in range(1, 13)], "kelurahan": [f"K{i:02d}" for i in range(1, 13)],
                      "balita_diukur": [5, 8, 30, 45] + [200] * 8, "pendek": [0, 4, 12, 2, 80, 70, 60, 50, 40, 30, 20, 10],
                      "sangat_pendek": [0] * 12, "sasaran_balita": [10, 10, 40, 200] + [210] * 8, **extra})
    return derive(f)


STUNTING = Profile("t", [Indicator("prevalensi_stunting", 2, core=True, thresholds=(20.0, 35.0)),
                         Indicator("balita_stunting", 1, core=True)], top_n=3)


def test_fewer_than_10_measured_need_data_and_get_no_light_tier_or_verdict():
    lok = pd.Series([True, True, True] + [False] * 9)  # K01, K02 (too few) and K03 (30 measured) are lokus
    res = rank(_twelve(), STUNTING, lokus=lok, draws=1000, seed=1)
    r = res.table.set_index("kelurahan")
    few = ["K01", "K02"]
    assert not r.loc[few, "dirangking"].any() and r.loc[few, ["peringkat", "prioritas", "peluang_top_n", "status_lokus"]].isna().all().all()
    assert r.loc[few, [c for c in r.columns if c.startswith("lampu_")]].isna().all().all()  # no lights
    assert r.at["K01", "penjelasan"] == "tidak diperingkat: perlu data (5 balita diukur, < 10)"
    assert r.at["K02", "peringatan_data"] == "perlu data: 8 balita diukur (< 10)"
    assert r.loc[few, "banding_lokus"].tolist() == ["lokus, perlu data"] * 2  # no "prioritas rendah" verdict
    assert res.ranked == 10 and any(n.startswith("2 kelurahan dengan kurang dari 10 balita diukur") and n.endswith("K01, K02")
                                    for n in res.notes)
    # 10-49 measured: ranked, with a visible caution; K04 also below 50 % coverage (45 / 200)
    assert r.loc[["K03", "K04"], "dirangking"].all() and r.at["K03", "peringatan_data"] == "hati-hati: 30 balita diukur (10–49)"
    assert r.at["K04", "peringatan_data"] == "hati-hati: 45 balita diukur (10–49); cakupan rendah: 22 % dari sasaran balita (< 50 %)"
    assert r.at["K04", "cakupan_persen"] == 22.5 and r.loc["K05":, "peringatan_data"].isna().all()
    assert any("cakupan penimbangan di bawah 50 %" in n and n.endswith(": K04") for n in res.notes)


def test_coverage_falls_back_to_the_previous_period_count():
    f = _twelve().drop(columns="sasaran_balita")
    f["balita_diukur_sebelumnya"] = [10, 10, 100] + [None] * 9  # K03: 30 of the 100 measured before
    r = rank(f, STUNTING, draws=0, lang="en").table.set_index("kelurahan")
    assert r.at["K03", "cakupan_persen"] == 30.0 and "cakupan rendah: 30 % dari balita diukur periode sebelumnya" in r.at["K03", "peringatan_data"]
    assert r.loc["K04":, "cakupan_persen"].isna().all()


def test_lights_are_on_the_ranked_smoothed_value():
    r = rank(_twelve(), STUNTING, draws=0).table.set_index("kelurahan")
    # K03: 12 of 30 = 40 % as counted (red by the thresholds 20 / 35), smoothed toward the kecamatan below 35: yellow
    assert r.at["K03", "nilai_prevalensi_stunting"] < 35 and r.at["K03", "lampu_prevalensi_stunting"] == "kuning"
    ranked = r[r["dirangking"]]
    expect = np.select([ranked["nilai_prevalensi_stunting"] >= 35, ranked["nilai_prevalensi_stunting"] >= 20], ["merah", "kuning"], "hijau")
    assert ranked["lampu_prevalensi_stunting"].tolist() == expect.tolist()


def test_partial_period_judges_only_the_lokus_inside_the_data():
    f = _twelve()
    out_of_data = ["K01", "K02", "K03", "K04", "K05", "K06"]  # 6 of 12 report (50 % < 80 %)
    f.loc[f["kelurahan"].isin(out_of_data), ["balita_diukur", "pendek", "prevalensi_stunting", "balita_stunting"]] = np.nan
    lok = f["kelurahan"].isin(["K01", "K02", "K07", "K12"])  # 4 lokus, 2 outside the data
    res = rank(f, STUNTING, lokus=lok, draws=1000, seed=2, lokus_label="lokus 2022")
    r = res.table.set_index("kelurahan")
    assert r.loc[["K01", "K02"], "banding_lokus"].tolist() == ["lokus, tidak dinilai"] * 2
    assert res.comparison["lokus, tidak dinilai"] == ["36.73.01.1001", "36.73.01.1002"]
    assert r.at["K07", "banding_lokus"] in ("lokus, lokus kuat", "lokus, perbatasan") and r.at["K12", "banding_lokus"] == "lokus, prioritas rendah"
    assert "2 dari 4 lokus 2022 di luar kelurahan yang melapor: tidak dinilai" in res.notes
    assert any(n.startswith("periode sebagian: 6 dari 12 kelurahan berdata (< 80 %)") for n in res.notes)
    assert res.partial in res.summary() and (r["periode_sebagian"] == "sebagian: 6 dari 12 kelurahan berdata").all()
    # a complete period (10 of 12 = 83 %): a lokus without data "needs data", nothing is "not judged"
    g = _twelve()
    g.loc[g["kelurahan"].isin(["K11", "K12"]), ["balita_diukur", "pendek", "prevalensi_stunting", "balita_stunting"]] = np.nan
    full = rank(g, STUNTING, lokus=g["kelurahan"].isin(["K12"]), draws=0)
    assert full.comparison["lokus, perlu data"] == ["36.73.01.1012"] and not full.comparison["lokus, tidak dinilai"]
    assert not full.partial and full.table["periode_sebagian"].isna().all()


def test_the_stunted_count_carries_its_sampling_uncertainty():
    from serang_gis.core.indicators import derive

    f = derive(pd.DataFrame({"kode_kel": ["36.73.01.1001", "36.73.01.1002"], "balita_diukur": [100, 100], "pendek": [20, 21],
                             "sangat_pendek": [0, 0]}))
    p = Profile("t", [Indicator("balita_stunting", 1, core=True)], top_n=1)
    r = rank(f, p, draws=2000, seed=1).table
    # held fixed (the old way), one indicator would give P(top 1) exactly 0 and 1; drawn as measured x drawn rate it is not
    assert 0.05 < r["peluang_top_n"].iat[0] < 0.95 and r["peluang_top_n"].sum() == pytest.approx(1)
    # the value ranked: measured x the smoothed rate
    np.testing.assert_allclose(r["nilai_balita_stunting"], f["balita_diukur"] * f["prevalensi_stunting_eb"].astype(float) / 100)


def test_tiers_come_from_the_draws_without_inversions_and_flags_use_unrounded_p():
    for seed in (1, 2, 3):
        t = rank(_twelve(), STUNTING, draws=1500, seed=seed).table
        p, p2 = t.set_index("prioritas")["peluang_top_n"], t.set_index("prioritas")["peluang_top_2n"]
        assert p.loc["Prioritas 1"].min() >= p.loc["Prioritas 2"].max() and p2.loc["Prioritas 2"].min() >= p2.loc["Prioritas 3"].max()
        assert (t["prioritas"] == "Prioritas 1").sum() == 3 and (t["prioritas"] == "Prioritas 2").sum() == 3
        ok = t["dirangking"].to_numpy(dtype=bool)
        want = np.select([t["peluang_top_n"] >= 0.8, t["peluang_top_n"] >= 0.2], ["lokus kuat", "perbatasan"], "-")[ok]
        assert t.loc[ok, "status_lokus"].fillna("-").tolist() == want.tolist()


def test_flags_and_tiers_are_equal_across_seeds_on_well_separated_data():
    from serang_gis.core.indicators import derive

    f = derive(pd.DataFrame({"kode_kel": [f"36.73.01.10{i:02d}" for i in range(1, 13)], "balita_diukur": [500] * 12,
                             "pendek": [250, 225, 200, 100, 90, 80, 70, 60, 50, 40, 30, 20], "sangat_pendek": [0] * 12}))
    runs = [rank(f, STUNTING, draws=1000, seed=s).table for s in range(1, 9)]
    assert all(r["status_lokus"].fillna("-").tolist() == runs[0]["status_lokus"].fillna("-").tolist() for r in runs)
    assert all(r["prioritas"].tolist() == runs[0]["prioritas"].tolist() for r in runs)
    assert runs[0]["status_lokus"].fillna("-").tolist()[:4] == ["lokus kuat"] * 3 + ["-"]


def test_a_missing_indicator_moves_its_weight_only_with_a_warning_in_every_product():
    p = Profile("t", [Indicator("prevalensi_stunting", 3, core=True), Indicator("kesenjangan_sanitasi", 1)], top_n=3)
    res = rank(_twelve(), p, draws=0)
    assert "PERINGATAN: tidak ada data KK tanpa akses jamban layak: bobotnya (25 %) dipindah ke indikator lain" in res.notes
    assert (res.table["bobot_dipindah"] == "tidak ada data KK tanpa akses jamban layak: bobot 25 % dipindah").all()  # the name, not the column
    assert "WARNING: no data for Households without a proper jamban" in rank(_twelve(), p, draws=0, lang="en").notes[0]
    assert rank(_twelve(), STUNTING, draws=0).table["bobot_dipindah"].isna().all()


def test_explanations_name_indicators_and_read_in_the_pages_language():
    """penjelasan is stored in Indonesian with indicator names (never column names) and whole percents; a page in
    English reads it, and the other stored rank words, through text.stored_text."""
    from serang_gis.core.text import stored_text

    res = rank(_twelve(), STUNTING, draws=0).table
    cells = res["penjelasan"].dropna().tolist()
    ranked = [c for c in cells if not c.startswith("tidak diperingkat")]
    assert ranked and all("prevalensi_stunting" not in c and "balita_stunting" not in c for c in cells)
    assert all(re.fullmatch(r"(?:(Prevalensi stunting|Balita stunting) \d+ %(; )?)+", c) for c in ranked), ranked
    for c in ranked:
        en = stored_text("en", c)
        assert "Prevalensi" not in en and "Balita" not in en and ("Stunting prevalence" in en or "Stunted toddlers" in en) and re.findall(r"\d+", en) == re.findall(r"\d+", c)
    assert stored_text("en", "tidak diperingkat: perlu data (5 balita diukur, < 10)") == "not ranked: needs data (5 toddlers measured, < 10)"
    assert [stored_text("en", v) for v in ("lokus kuat", "perbatasan", "perbatasan, bukan lokus", "Prioritas 1")] == \
        ["strong lokus", "borderline", "borderline, not a lokus", "Priority 1"]
    assert stored_text("id", "perbatasan") == "perbatasan" and stored_text("en", "Kasemen") == "Kasemen"  # unknown text unchanged


def _ranks_with(first: dict[int, float], d: int, units: int = 4) -> np.ndarray:
    """A draws x units rank matrix (unit u has rank u + 1) in which unit u (> 0) takes unit 0's first place in
    the given share of the draws; unit 0 is first in the rest."""
    ranks = np.tile(np.arange(1, units + 1, dtype=float), (d, 1))
    start = 0
    for u, share in first.items():
        k = int(round(share * d)) if u else 0
        ranks[start:start + k, [0, u]] = ranks[start:start + k, [u, 0]]
        start += k
    return ranks


def test_a_p_on_a_cut_or_a_tied_tier_boundary_is_unsettled():
    from serang_gis.analysis.priority import unsettled

    ok, point = np.ones(4, bool), np.arange(1.0, 5.0)
    # unit 0 first in 80 % of 100 draws: P(top 1) = 0.80 exactly, on the cut (error 0.04) -> unsettled;
    # unit 1 first in the other 20 %: on the 0.20 cut as well
    assert unsettled(_ranks_with({0: 0.8, 1: 0.2}, 100), 1, point, ok).tolist() == [True, True, False, False]
    # 0.98 vs 0.02: 0.18 / 0.014 errors from the cuts, and the boundary pair (0.96 apart) is clear -> settled
    assert not unsettled(_ranks_with({0: 0.98, 1: 0.02}, 100), 1, point, ok).any()
    # two units first in half the draws each: 0.5 is far from both cuts but the Prioritas 1 boundary is a tie
    assert unsettled(_ranks_with({0: 0.5, 1: 0.5}, 1000), 1, point, ok).tolist() == [True, True, False, False]


def test_more_draws_while_unsettled_and_never_beyond_the_cap():
    from serang_gis.analysis.priority import settled_ranks

    ok, point = np.ones(4, bool), np.arange(1.0, 5.0)
    calls = []

    def clear(k):  # further draws in which unit 0 is always first: P(top 1) moves away from 0.80
        calls.append(k)
        return _ranks_with({0: 1.0}, k)

    ranks, still = settled_ranks(_ranks_with({0: 0.8, 1: 0.2}, 100), clear, 1600, 1, point, ok)
    # 100 draws at 0.80, +100 -> 0.90 (error 0.021, 4.7 errors from 0.80; unit 1 at 0.10 is 4.7 from 0.20): settled
    assert calls == [100] and len(ranks) == 200 and not still.any()
    calls.clear()

    def tied(k):  # draws that keep units 0 and 1 tied for first
        calls.append(k)
        return _ranks_with({0: 0.5, 1: 0.5}, k)

    ranks, still = settled_ranks(_ranks_with({0: 0.5, 1: 0.5}, 100), tied, 800, 1, point, ok)
    # doubling each time in batches no larger than the first: 100 + 100 + 2x100 + 4x100 = the cap of 800, still tied
    assert calls == [100] * 7 and len(ranks) == 800 and still.tolist() == [True, True, False, False]


def test_kelurahan_left_at_a_cut_are_named_in_the_table_and_the_notes():
    from serang_gis.core.indicators import derive

    # two identical kelurahan competing for one Prioritas 1 place: no number of draws separates them
    f = derive(pd.DataFrame({"kode_kel": ["36.73.01.1001", "36.73.01.1002", "36.73.01.1003"], "kelurahan": ["A", "B", "C"],
                             "balita_diukur": [400, 400, 400], "pendek": [120, 120, 20], "sangat_pendek": [0, 0, 0]}))
    p = Profile("t", [Indicator("prevalensi_stunting", 1, core=True)], top_n=1)
    res = rank(f, p, draws=500, seed=4)
    t = res.table.set_index("kelurahan")
    assert res.draws_used == 16 * 500  # the cap: MORE_DRAWS x draws
    assert t.loc[["A", "B"], "di_batas"].str.startswith("di batas").all() and pd.isna(t.at["C", "di_batas"])
    assert any(n.startswith("di batas setelah 8.000 undian: A, B") for n in res.notes)
    assert t.at["C", "peluang_top_n"] == 0 and t["galat_mc_2n"].notna().all()
    # well separated data: no extra draws
    assert rank(_twelve(), STUNTING, draws=400, seed=1).draws_used in (400, 800, 1600, 3200, 6400)


def test_a_rank_without_odf_data_says_the_embedded_odf_status_is_not_used():
    """The ODF map shows the package's embedded status; the rank moves the weight of Belum ODF and says why it did not use it."""
    p = Profile("t", [Indicator("prevalensi_stunting", 3, core=True), Indicator("belum_odf", 1)], top_n=3)
    f = _twelve()
    assert not any("ODF pada peta" in n for n in rank(f, p, draws=0).notes)  # no embedded status: only the moved weight
    f["status_odf"] = ["ODF deklarasi"] * 5 + [None] * 7
    notes = rank(f, p, draws=0).notes
    assert any("Belum ODF" in n and "dipindah" in n for n in notes)
    assert any(n.startswith("status ODF pada peta ODF") and "(5 kelurahan)" in n for n in notes)
    assert any("not used in the rank" in n for n in rank(f, p, draws=0, lang="en").notes)


def test_a_ranking_where_nobody_can_be_ranked_is_summarised_not_crashed():
    """A config with only family-risk data and [rank] draws: no kelurahan has the core indicators, no draws are made,
    and the summary crashed on the missing 'status_lokus' (KeyError, found building a per-office atlas)."""
    f = pd.DataFrame({"kode_kel": [f"36.73.01.10{i:02d}" for i in range(1, 11)], "kelurahan": list("abcdefghij"),
                      "persen_keluarga_berisiko": np.linspace(5, 30, 10), "keluarga_berisiko": np.arange(10, 20),
                      "keluarga_sasaran": [100] * 10})
    r = rank(f, load_profile(), lokus=pd.Series([True, False] * 5), draws=100)
    assert r.ranked == 0
    lines = r.summary("id")
    assert len(lines) == 1 and lines[0].startswith("0 dari 10 kelurahan diperingkat")
    assert any("10 kelurahan" in str(n) for n in r.notes)  # why: said in the notes
