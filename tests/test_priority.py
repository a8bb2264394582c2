import numpy as np
import pandas as pd
import pytest

from serang_gis import InputError
from serang_gis.priority import Indicator, Profile, load_profile, normalise, rank


def _frame():
    return pd.DataFrame({
        "kode_kel": [f"36.73.01.100{i}" for i in range(1, 7)],
        "kelurahan": list("ABCDEF"), "kecamatan": ["K"] * 6,
        "rate": [30.0, 20.0, 10.0, 5.0, None, 25.0],
        "count": [100, 50, 10, 5, 80, None],
        "access": [40.0, 60.0, 80.0, 90.0, 50.0, 70.0],  # lower access is worse
    })


PROFILE = Profile("t", [Indicator("rate", 2), Indicator("count", 1), Indicator("access", 1, "lower_worse")], top_n=2)


def test_normalisations_keep_missing_and_direction():
    s = pd.Series([1.0, 2.0, None, 3.0])
    assert normalise(s, "minmax", "higher_worse").tolist()[:2] == [0.0, 0.5] and pd.isna(normalise(s, "minmax", "higher_worse")[2])
    assert normalise(s, "minmax", "lower_worse").tolist()[0] == 1.0
    assert normalise(s, "percentile", "higher_worse").tolist()[3] == 1.0
    z = normalise(s, "zscore", "higher_worse")
    assert z[0] < 0.5 < z[3]


def test_scores_ranks_tiers_and_contributions():
    r = rank(_frame(), PROFILE, draws=0).table.set_index("kelurahan")
    # A: worst rate (1.0), worst count (1.0), worst access (1.0) -> 1.0
    assert r.at["A", "skor_prioritas"] == 1.0 and r.at["A", "peringkat"] == 1 and r.at["A", "prioritas"] == "Prioritas 1"
    # E has no rate: reweighted over count and access, never zero; says what was missing
    e_expected = (80 - 5) / 95 * 0.5 + (90 - 50) / 50 * 0.5
    assert r.at["E", "skor_prioritas"] == pytest.approx(e_expected, abs=1e-4)
    assert r.at["E", "indikator_hilang"] == "rate"
    shares = r.loc["B", [c for c in r.columns if c.startswith("kontribusi_")]]
    assert shares.sum() == pytest.approx(100, abs=0.2)
    assert set(r["prioritas"]) == {"Prioritas 1", "Prioritas 2", "Prioritas 3"}
    assert r.at["A", "lampu_rate"] == "merah" and r.at["D", "lampu_rate"] == "hijau"
    assert r.at["D", "lampu_access"] == "hijau" and r.at["A", "lampu_access"] == "merah"  # lower access is worse
    assert "rate" in r.at["A", "penjelasan"]


def test_flag_policy_gives_no_score_when_something_is_missing():
    p = Profile("t", PROFILE.indicators, missing="flag", top_n=2)
    r = rank(_frame(), p, draws=0).table.set_index("kelurahan")
    assert pd.isna(r.at["E", "skor_prioritas"]) and pd.isna(r.at["E", "peringkat"]) and pd.isna(r.at["E", "prioritas"])
    assert pd.isna(r.at["F", "skor_prioritas"])


def test_lokus_comparison():
    lok = pd.Series([True, False, True, False, False, False])
    res = rank(_frame(), PROFILE, lokus=lok, draws=0)
    top = set(res.table.loc[res.table["prioritas"] == "Prioritas 1", "kelurahan"])
    assert res.comparison["lokus dan Prioritas 1"] == ["36.73.01.1001"]
    assert "36.73.01.1003" in res.comparison["lokus, prioritas rendah"]
    assert len(res.comparison["Prioritas 1, bukan lokus"]) == len(top) - 1


def test_sensitivity_is_reproducible_with_a_seed():
    a = rank(_frame(), PROFILE, draws=300, seed=5).table
    b = rank(_frame(), PROFILE, draws=300, seed=5).table
    pd.testing.assert_frame_equal(a, b)
    r = a.set_index("kelurahan")
    assert r.at["A", "peluang_top_n"] == 1.0 and r.at["A", "peringkat_p5"] == 1
    assert (r["peringkat_p5"].dropna() <= r["peringkat_p95"].dropna()).all()
    assert r["tier_peka_bobot"].dtype == "boolean"


def test_default_profile_and_profile_errors(tmp_path):
    p = load_profile()
    assert p.name == "default" and abs(p.weights.sum() - 1) < 1e-9
    assert [i.column for i in p.indicators][:2] == ["prevalensi_stunting", "balita_stunting"]
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


def test_absent_indicator_is_left_out_and_said():
    f = _frame().drop(columns="access")
    res = rank(f, PROFILE, draws=0)
    assert res.notes and "access" in res.notes[0]
    assert np.isclose(res.profile.weights.sum(), 1)
    with pytest.raises(InputError, match="no data"):
        rank(f[["kode_kel", "kelurahan", "kecamatan"]], PROFILE, draws=0)
