"""Intervals, smoothing and reliability on a joined partial table, as the planner meets them."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from serang_gis import read_kelurahan
from serang_gis.core.indicators import derive
from serang_gis.join.tables import join_tables
from serang_gis.read.tables import read_table

# two kecamatan (Kasemen 36.73.02, Curug 36.73.04), three kelurahan with fewer than 10 measured
PARTIAL = """Kecamatan;Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek;Balita Sangat Pendek;Jumlah Keluarga;Keluarga Berisiko Stunting;Jumlah KK;% KK Akses Jamban Sehat
Kasemen;Banten;420;70;18;4210;1003;4000;71,5
Kasemen;Kasemen;3;2;0;900;150;;
Kasemen;Warung Jaud;250;30;5;2500;400;2400;90
Kasemen;Terumbu;6;0;0;;;;
Curug;Cilaku;150;9;1;1800;300;1700;80
Curug;Suka Jaya;8;4;1;;;;
Curug;Curug;310;41;9;;;;
"""


@pytest.fixture(scope="module")
def joined(serang_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("partial") / "rekap.csv"
    path.write_text(PARTIAL, encoding="utf-8")
    kel = read_kelurahan(serang_path).kelurahan
    out, rep = join_tables(kel, [read_table(path, period="2024-08")])
    return out[out["balita_diukur"].notna()].set_index("kelurahan"), rep


def test_every_rate_has_its_wilson_interval(joined):
    g, _ = joined
    k = g["pendek"] + g["sangat_pendek"]
    lo, hi = proportion_confint(k.astype(int), g["balita_diukur"].astype(int), method="wilson")
    np.testing.assert_allclose(g["prevalensi_stunting_ci_bawah"].astype(float), lo * 100)
    np.testing.assert_allclose(g["prevalensi_stunting_ci_atas"].astype(float), hi * 100)
    assert (g["prevalensi_stunting_ci_bawah"] <= g["prevalensi_stunting"]).all()
    assert (g["prevalensi_stunting"] <= g["prevalensi_stunting_ci_atas"]).all()
    # rates are not rounded in the data
    assert g.at["Banten", "prevalensi_stunting"] == pytest.approx(88 / 420 * 100, rel=1e-12)
    lo, hi = proportion_confint(1003, 4210, method="wilson")
    assert g.at["Banten", "persen_keluarga_berisiko_ci_bawah"] == pytest.approx(lo * 100)
    assert pd.isna(g.at["Terumbu", "persen_keluarga_berisiko_ci_bawah"])  # no families given: no interval, never zero
    # sanitation: the gap 28.5 % of 4000 KK
    lo, hi = proportion_confint(round(0.285 * 4000), 4000, method="wilson")
    assert g.at["Banten", "kesenjangan_sanitasi"] == pytest.approx(28.5)
    assert g.at["Banten", "kesenjangan_sanitasi_ci_atas"] == pytest.approx(hi * 100)


def test_smoothed_prevalence_lies_between_raw_and_kecamatan_rate_and_moves_small_kelurahan_most(joined):
    g, _ = joined
    k = g["pendek"] + g["sangat_pendek"]
    kec = g["kode_kel"].str[:8]
    prior = (k.groupby(kec).transform("sum") / g["balita_diukur"].groupby(kec).transform("sum") * 100).astype(float)
    raw, eb = g["prevalensi_stunting"].astype(float), g["prevalensi_stunting_eb"].astype(float)
    lo, hi = np.minimum(raw, prior), np.maximum(raw, prior)
    assert ((eb >= lo - 1e-9) & (eb <= hi + 1e-9)).all()
    moved = ((raw - eb) / (raw - prior)).where((raw - prior).abs() > 1e-9)
    for code in kec.unique():
        m = moved[kec == code].dropna()
        n = g.loc[m.index, "balita_diukur"]
        assert m[n.idxmin()] > m[n.idxmax()], code  # the smallest kelurahan moves more than the largest
    assert moved["Kasemen"] > 0.9 and moved["Banten"] < 0.5


def test_reliability_classes(joined):
    g, rep = joined
    assert g.at["Kasemen", "keandalan_gizi"] == "data terlalu sedikit" and g.at["Sukajaya", "keandalan_gizi"] == "data terlalu sedikit"
    assert g.at["Cilaku", "keandalan_gizi"] == "cukup" and g.at["Banten", "keandalan_gizi"] == "cukup"
    assert bool(g.at["Terumbu", "tidak_stabil"]) and not bool(g.at["Banten", "tidak_stabil"])
    assert any("fewer than 10" in w for w in rep.warnings)


def test_derive_levels_and_global_smoothing():
    f = pd.DataFrame({"kode_kel": ["36.73.01.1001", "36.73.01.1002", "36.73.02.1001"], "balita_diukur": [40, 5, 0],
                      "pendek": [4, 3, 0], "sangat_pendek": [0, 0, 0]})
    narrow = derive(f, level=0.8)
    wide = derive(f)
    assert narrow.at[0, "prevalensi_stunting_ci_atas"] < wide.at[0, "prevalensi_stunting_ci_atas"]
    assert pd.isna(wide.at[2, "prevalensi_stunting"]) and pd.isna(wide.at[2, "prevalensi_stunting_eb"])
    assert pd.isna(wide.at[2, "keandalan_gizi"])  # nothing measured: no class
    assert derive(f, few=3, caution=4).at[1, "keandalan_gizi"] == "cukup"
    glob = derive(f, smoothing="global")
    assert glob.at[1, "prevalensi_stunting_eb"] <= wide.at[1, "prevalensi_stunting"]


def test_suppress_small_counts_and_what_reveals_them():
    from serang_gis.core.indicators import suppress_small

    f = derive(pd.DataFrame({"kode_kel": ["36.73.01.1001", "36.73.01.1002", "36.73.01.1003"], "balita_diukur": [40, 30, 50],
                             "pendek": [3, 0, 12], "sangat_pendek": [0, 0, 4]}))
    s = suppress_small(f, 5)
    assert pd.isna(s.at[0, "pendek"]) and pd.isna(s.at[0, "prevalensi_stunting"]) and pd.isna(s.at[0, "prevalensi_stunting_ci_atas"])
    assert pd.isna(s.at[0, "balita_stunting"]) and pd.isna(s.at[0, "prevalensi_stunting_eb"])
    assert s.at[1, "pendek"] == 0 and s.at[1, "prevalensi_stunting"] == 0  # zero identifies nobody
    assert pd.isna(s.at[2, "sangat_pendek"]) and pd.isna(s.at[2, "prevalensi_stunting"])  # 4 < 5
    assert s["disamarkan"].tolist() == [True, False, True] and s.at[0, "balita_diukur"] == 40
    assert f.at[0, "pendek"] == 3  # the input is left alone
    with pytest.raises(ValueError):
        suppress_small(f, 0)


def test_format_with_interval():
    from serang_gis.core.indicators import format_with_interval

    assert format_with_interval(12.4321, 8.06, 18.349) == "12,4 % (8,1–18,3 %)"
    assert format_with_interval(12.4321, 8.06, 18.349, lang="en") == "12.4 % (8.1–18.3 %)"
    assert format_with_interval(5.0, None, float("nan")) == "5,0 %" and format_with_interval(pd.NA, 1, 2) == ""


def test_derived_aliases_name_every_added_column(joined):
    from serang_gis.core.indicators import derived_aliases

    g, _ = joined
    added = [c for c in g.columns if c.endswith(("_ci_bawah", "_ci_atas", "_eb")) or c == "keandalan_gizi"]
    aliases = derived_aliases()
    # every added column is named (the aliases also name the family-risk and STBM rates this table does not give)
    assert set(added) <= set(aliases) and aliases["prevalensi_stunting_ci_atas"] == "Prevalensi stunting, batas atas 95 %"
    assert aliases["persen_krs_terlalu_muda_ci_atas"].startswith("Terlalu muda")
    assert derived_aliases("en", level=0.9)["kesenjangan_sanitasi_ci_bawah"].endswith("90 % lower limit")
