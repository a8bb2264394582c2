"""The e-PPGBM quality panel through `serang-gis join`, the funnel plot PNG and the two numbers."""

import csv
import json

import numpy as np
import pandas as pd
import pytest
from matplotlib import image as mpimg

from serang_gis import read_kelurahan
from serang_gis.analysis.funnel import funnel_data, funnel_png, outside_text
from serang_gis.join.tables import join_tables
from serang_gis.read.reference import two_numbers
from serang_gis.core.stats import funnel_limits, wilson_interval
from serang_gis.read.tables import read_table

from .conftest import run_cli

HEADER = ["NIK", "Nama", "Tgl Lahir", "Nama Ortu", "Kec", "Desa/Kel", "Tanggal Pengukuran", "TB/U", "ZS TB/U"]
# (nik, name, kelurahan, measured, class, z): child 1 twice (Feb + Aug), child 3 flagged (z -7.2), child 4 z missing,
# child 5 flagged (+6.5) in August with a valid February measurement outside the period
ROWS = [
    ("3673010101010001", "Ani Lestari", "BANTEN", "15/02/2024", "Normal", "-1,2"),
    ("3673010101010001", "Ani Lestari", "BANTEN", "14/08/2024", "Pendek", "-2,4"),
    ("3673010101010002", "Budi Santoso", "BANTEN", "12/08/2024", "Sangat Pendek", "-3,5"),
    ("3673010101010003", "Citra Dewi", "BANTEN", "13/08/2024", "Sangat Pendek", "-7,2"),
    ("3673010101010004", "Dodi Pratama", "KASEMEN", "20/08/2024", "Normal", ""),
    ("3673010101010005", "Eka Putri", "KASEMEN", "21/08/2024", "Tinggi", "6,5"),
    ("3673010101010005", "Eka Putri", "KASEMEN", "10/02/2024", "Normal", "0,3"),
    ("3673010101010006", "Fajar Nugroho", "KASEMEN", "03/07/2024", "Pendek", "-2,1"),
]


@pytest.fixture
def byname(tmp_path):
    path = tmp_path / "eppgbm.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER)
        for nik, name, kel, day, cls, z in ROWS:
            w.writerow([nik, name, "01/01/2022", f"Ibu {name}", "KASEMEN", kel, day, cls, z])
    return path


def test_quality_panel_counts_and_excludes_who_flags(byname):
    t = read_table(byname, period="2024-08")
    q = t.quality
    assert q["rows"] == 8 and q["who_flagged"] == 2 and q["who_flagged_in_period"] == 2
    assert q["months"] == {"2024-02": 2, "2024-07": 1, "2024-08": 5}
    assert q["weighing_month_share"] == pytest.approx(7 / 8)
    assert q["repeated_children"] == 0 and q["children"] == 3  # in August: children 1, 2 and 4 (3 and 5 flagged)
    assert q["rows_without_zscore"] == 1 and q["share_without_zscore"] == pytest.approx(1 / 8)
    got = t.data.set_index("kelurahan")
    # Banten: child 1 (pendek) and 2 (sangat pendek) counted, child 3 excluded; Kasemen: child 4 only
    assert got.loc["BANTEN", ["balita_diukur", "pendek", "sangat_pendek"]].tolist() == [2, 1, 1]
    assert got.loc["KASEMEN", "balita_diukur"] == 1
    assert any("WHO flags" in n for n in t.notes)
    whole = read_table(byname).quality
    assert whole["repeated_children"] == 1  # child 1 (Feb and Aug); child 5's second row is flagged


def test_quality_panel_reaches_the_join_report_and_never_a_personal_value(byname, tmp_path, serang_path):
    out, rep = tmp_path / "j.gpkg", tmp_path / "r.json"
    res = run_cli("join", "--boundaries", serang_path, "--data", byname, "--period", "2024-08", "-o", out, "--report", rep)
    assert res.exit_code == 0, res.output
    assert "e-PPGBM quality: 8 rows; 2 outside the WHO limits" in res.output
    assert "1 of 3 children" not in res.output and "0 of 3 children measured more than once" in res.output
    report = json.loads(rep.read_text(encoding="utf-8"))
    q = report["files"][0]["quality"]
    assert q["who_flagged"] == 2 and q["months"]["2024-08"] == 5
    text = res.output + rep.read_text(encoding="utf-8")
    for nik, name, *_ in ROWS:
        assert nik not in text and name not in text
    for z in ("-7,2", "-7.2", "6,5", "6.5", "-3.5"):
        assert z not in text  # no individual z-score either


def test_coverage_where_a_sasaran_column_is_joined(tmp_path, serang_path):
    path = tmp_path / "rekap.csv"
    path.write_text("Kecamatan;Desa/Kelurahan;Jumlah Sasaran Balita;Jumlah Balita Diukur;Balita Pendek;Balita Sangat Pendek\n"
                    "Kasemen;Banten;500;420;70;18\nKasemen;Kasemen;400;200;20;5\nCurug;Cilaku;100;120;9;1\n", encoding="utf-8")
    kel = read_kelurahan(serang_path).kelurahan
    _, rep = join_tables(kel, [read_table(path)])
    assert rep.coverage["coverage"] == pytest.approx(740 / 1000) and rep.coverage["below_80"] == 1 and rep.coverage["above_100"] == 1
    assert any(line.startswith("coverage 74% (740 measured / 1000 sasaran in 3 kelurahan") for line in rep.summary())
    assert json.loads(rep.to_json())["coverage"]["sasaran"] == 1000


def _layer():
    rng = np.random.default_rng(4)
    n = np.r_[[5, 8, 12], rng.integers(80, 600, 30)]
    k = rng.binomial(n, 0.2)
    k[3], k[4] = int(n[3] * 0.45), int(n[4] * 0.02)  # one far above, one far below the city
    return pd.DataFrame({"kode_kel": [f"36.73.01.1{i:03d}" for i in range(len(n))], "kelurahan": [f"K{i}" for i in range(len(n))],
                         "balita_diukur": n, "pendek": k, "sangat_pendek": 0})


def test_funnel_names_the_kelurahan_outside_the_limits(tmp_path):
    f = _layer()
    fun = funnel_png(f, tmp_path / "funnel.png")
    target = f["pendek"].sum() / f["balita_diukur"].sum()
    assert fun.target == pytest.approx(target * 100)
    assert fun.phi <= 1 and not fun.adjusted  # binomial counts around 20 %: the exact limits apply unchanged
    # independently: outside the 99.8 % limits by the exact limits at each n
    lo, hi = funnel_limits(target, f["balita_diukur"], 0.998)
    p = f["pendek"] / f["balita_diukur"]
    expected = set(f.loc[(p > hi) | (p < lo), "kelurahan"])
    assert {o["kelurahan"] for o in fun.outside if o["level"] == "99,8 %"} == expected and {"K3", "K4"} <= expected
    assert "K3 (di atas 99,8 %)" in outside_text(fun) and "K4 (di bawah 99,8 %)" in outside_text(fun)
    assert "K0" not in {o["kelurahan"] for o in fun.outside}  # 5 measured: extreme-looking, inside the funnel
    img = mpimg.imread(tmp_path / "funnel.png")
    assert img.shape[1] >= 1000 and img.std() > 0.05  # a drawn figure, not a blank canvas
    assert not list(tmp_path.glob("*.png.*")) and len(list(tmp_path.glob("*.png"))) == 1  # no temporary left behind


def test_funnel_with_no_data_is_a_clear_error():
    with pytest.raises(ValueError, match="no kelurahan has toddlers measured"):
        funnel_data(pd.DataFrame({"kode_kel": ["a"], "balita_diukur": [None], "pendek": [None], "sangat_pendek": [None]}))


def test_two_numbers():
    f = _layer()
    t = two_numbers(f, period="2024-08")
    row = t.table.iloc[0]
    lo, hi = wilson_interval([f["pendek"].sum()], [f["balita_diukur"].sum()])
    assert row["ci_bawah"] == pytest.approx(lo[0] * 100) and row["ci_atas"] == pytest.approx(hi[0] * 100)
    assert t.table["sumber"].tolist()[1:] == ["SSGI 2022", "SKI 2023"] and t.table["prevalensi"].tolist()[1:] == [23.8, 22.3]
    assert "SSGI 2022 23,8 %" in t.sentence and "SKI 2023 22,3 %" in t.sentence and "survei sampel" in t.sentence
    assert "sample survey" in two_numbers(f, lang="en").sentence
