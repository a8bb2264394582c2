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
    f = pd.DataFrame({"kode_kel": [f"36.73.01.10{i:02d}" for i in range(1, 13)], "balita_diukur": [8, 9, 7, 400, 380, 390] * 2,
                      "pendek": [2, 3, 1, 160, 40, 120, 3, 2, 2, 200, 20, 80], "sangat_pendek": [0] * 12})
    from serang_gis.core.indicators import derive

    f = derive(f)
    p = Profile("t", [Indicator("prevalensi_stunting", 1, core=True)], top_n=4)
    small = rank(f, p, draws=3000, seed=1).table
    width = (small["peringkat_p95"] - small["peringkat_p5"]).astype(float)
    assert width[f["balita_diukur"] < 10].mean() > width[f["balita_diukur"] > 100].mean()
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
