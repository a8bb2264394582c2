import pandas as pd
import pytest

from serang_gis import InputError, read_kelurahan
from serang_gis.join.tables import join_tables
from serang_gis.read.tables import read_table

from . import fixtures as F


@pytest.fixture(scope="module")
def kel(serang_path):
    return read_kelurahan(serang_path).kelurahan


def test_messy_workbook_joins_every_kelurahan_correctly(tmp_path, kel):
    truth = F.truth_aggregate()
    path = tmp_path / "s.xlsx"
    rows_of = F.write_messy_xlsx(path, truth)
    joined, rep = join_tables(kel, [read_table(path, period="2024")])
    assert len(joined) == 67
    got = joined.set_index("kode_kel")
    for code, t in truth.items():
        for c, v in t.items():
            assert (pd.isna(got.at[code, c]) if v is None else got.at[code, c] == v), (code, c)
    f = rep.files[0]
    assert f.matched["name"] + f.matched["fuzzy"] == 67
    assert {x["kelurahan"] for x in f.fuzzy} == {"Pangampelan", "Kapuren"}
    assert [u["row"] for u in f.unmatched] == [rows_of["wrong"]]
    assert all(t["ok"] for t in f.totals_check) and len(f.totals_check) == 7 * 5
    assert {t["scope"] for t in f.total_rows} == {"36.73.01", "36.73.02", "36.73.03", "36.73.04", "36.73.05", "36.73.06", "all"}
    assert any("ANTAH BERANTAH" in w for w in rep.warnings)
    # derived indicators, with their source and period
    row = got.loc["36.73.01.1002"]
    t = truth["36.73.01.1002"]
    assert row["prevalensi_stunting"] == pytest.approx((t["pendek"] + t["sangat_pendek"]) / t["balita_diukur"] * 100)
    assert row["persen_keluarga_berisiko"] == pytest.approx(t["keluarga_berisiko"] / t["keluarga"] * 100)  # not rounded in data
    assert row["sumber_gizi"] == "s.xlsx [Data Sasaran]" and row["periode_gizi"] == "2024"
    # Cibendung: '-' stays no data, never zero
    assert pd.isna(got.at["36.73.06.1013", "balita_diukur"]) and pd.isna(got.at["36.73.06.1013", "prevalensi_stunting"])


def test_totals_that_do_not_add_up_are_warned(tmp_path, kel):
    truth = F.truth_aggregate()
    path = tmp_path / "s.xlsx"
    F.write_messy_xlsx(path, truth, wrong_row=False)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.cell(ws.max_row, 4).value = "1"  # the city total of keluarga
    wb.save(path)
    _, rep = join_tables(kel, [read_table(path)])
    bad = [t for t in rep.files[0].totals_check if not t["ok"]]
    assert len(bad) == 1 and bad[0]["field"] == "keluarga" and bad[0]["scope"] == "all" and bad[0]["stated"] == 1
    with pytest.raises(InputError, match="--strict"):
        join_tables(kel, [read_table(path)], strict=True)


def test_sukawana_without_kecamatan_is_an_error_listing_both(tmp_path, kel):
    path = tmp_path / "s.csv"
    path.write_text("Kelurahan,Jumlah Stunting\nCipare,4\nSukawana,9\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        join_tables(kel, [read_table(path)])
    assert "row 3" in str(err.value) and "36.73.01.1008" in str(err.value) and "36.73.04.1007" in str(err.value)


def test_codes_in_any_form(tmp_path, kel):
    path = tmp_path / "s.csv"
    path.write_text("Kode Wilayah;Kelurahan;Jumlah Stunting\n3673041007;Sukawana;9\n36.73.01.1008;;4\n3673011002;Cipare;1\n", encoding="utf-8")
    joined, rep = join_tables(kel, [read_table(path)])
    got = joined.set_index("kode_kel")["stunting"]
    assert (got["36.73.04.1007"], got["36.73.01.1008"], got["36.73.01.1002"]) == (9, 4, 1)
    assert rep.files[0].matched["code"] == 3
    assert got.isna().sum() == 64  # the others: no data


def test_duplicate_rows(tmp_path, kel):
    path = tmp_path / "s.csv"
    path.write_text("Kecamatan,Kelurahan,Jumlah Stunting\nSerang,Cipare,4\nSerang,CIPARE,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="rows 2, 3 are all kelurahan 36.73.01.1002"):
        join_tables(kel, [read_table(path)])
    joined, rep = join_tables(kel, [read_table(path)], sum_duplicates=True)
    assert joined.set_index("kode_kel").at["36.73.01.1002", "stunting"] == 7
    assert rep.files[0].duplicates_summed == ["36.73.01.1002"]


def test_prevalence_in_file_checked_against_counts(tmp_path, kel):
    truth = F.truth_aggregate()
    path = tmp_path / "v.csv"
    F.write_csv_variant(path, truth, prevalence_error_code="36.73.02.1003")
    _, rep = join_tables(kel, [read_table(path)])
    off = [w for w in rep.warnings if "prevalence given" in w]
    line = [k.kode_kel for k in F.kelurahan_list()].index("36.73.02.1003") + 3  # after a title and a header line
    assert len(off) == 1 and off[0].startswith(f"row {line}:")


def test_sanitation_and_family_tables_together(tmp_path, kel):
    san = tmp_path / "stbm.csv"
    san.write_text("Kecamatan;Desa/Kelurahan;Status ODF;% KK Akses Jamban Sehat;KK Tanpa Jamban\n"
                   "Kasemen;Kel. Banten;blm ODF;71,5;120\nWalantaka;Kepuren;ODF;100;0\nSerang;Kaligandu;-;;\n", encoding="utf-8")
    fam = tmp_path / "krs.csv"
    fam.write_text("Kecamatan,Kelurahan,Jumlah Keluarga,Keluarga Berisiko Stunting\nKasemen,Banten,\"4,210\",\"1,003\"\n", encoding="utf-8")
    joined, rep = join_tables(kel, [read_table(san, period="2024-06"), read_table(fam, period="2024")])
    g = joined.set_index("kode_kel")
    assert g.at["36.73.02.1007", "status_odf"] == "Belum ODF" and g.at["36.73.02.1007", "belum_odf"]
    assert g.at["36.73.02.1007", "kesenjangan_sanitasi"] == pytest.approx(28.5)
    assert g.at["36.73.02.1007", "keluarga"] == 4210 and g.at["36.73.02.1007", "persen_keluarga_berisiko"] == pytest.approx(1003 / 4210 * 100)
    assert g.at["36.73.03.1009", "status_odf"] == "ODF deklarasi" and not g.at["36.73.03.1009", "belum_odf"]
    assert pd.isna(g.at["36.73.01.1010", "status_odf"]) and pd.isna(g.at["36.73.01.1010", "belum_odf"])
    assert g.at["36.73.02.1007", "sumber_sanitasi"] == "stbm.csv" and g.at["36.73.02.1007", "periode_keluarga"] == "2024"
    assert rep.with_data == 2 and len(rep.without_data) == 65  # Kaligandu: a row, but every value missing


def test_upper_case_export_with_total_and_parts(tmp_path, kel):
    path = tmp_path / "rekap.csv"
    path.write_text("NO;KECAMATAN;DESA/KELURAHAN;JUMLAH BALITA DIUKUR;JUMLAH BALITA PENDEK;JUMLAH BALITA SANGAT PENDEK;JUMLAH STUNTING\n"
                    "1;CURUG;KEL. SUKA JAYA;210;12;3;15\n2;CURUG;KELURAHAN CILAKU;150;9;1;10\n;JUMLAH;;360;21;4;25\n",
                    encoding="utf-8")
    joined, rep = join_tables(kel, [read_table(path)])
    g = joined.set_index("kode_kel")
    assert g.at["36.73.04.1010", "prevalensi_stunting"] == pytest.approx(15 / 210 * 100)
    assert rep.warnings == []  # a stunting total that is not pendek + sangat pendek stops the reading (test_adversarial)
    assert all(t["ok"] for t in rep.files[0].totals_check) and rep.files[0].total_rows[0]["scope"] == "all"


def test_rows_of_other_kab_kota_are_set_aside_not_unmatched(tmp_path, kel):
    path = tmp_path / "nasional.csv"
    path.write_text("Kode Wilayah;Desa/Kelurahan;Jumlah Stunting\n3673011002;CIPARE;4\n3672011001;X;9\n1101012001;Y;2\n", encoding="utf-8")
    joined, rep = join_tables(kel, [read_table(path)])
    f = rep.files[0]
    assert f.outside_region == 2 and f.unmatched == []
    # set aside, but said (a row of another kab/kota fails --strict)
    assert rep.warnings == ["2 row(s) have the code of another kab/kota (rows 3, 4; here: 36.73): left aside"]
    assert joined.set_index("kode_kel").at["36.73.01.1002", "stunting"] == 4
    with pytest.raises(InputError, match="another kab/kota"):
        join_tables(kel, [read_table(path)], strict=True)


def test_unknown_kecamatan_is_warned(tmp_path, kel):
    path = tmp_path / "s.csv"
    path.write_text("Kecamatan,Kelurahan,Jumlah Stunting\nCipocok,Tembong,3\nKec. Typo,Kalodran,5\n", encoding="utf-8")
    joined, rep = join_tables(kel, [read_table(path)])
    g = joined.set_index("kode_kel")["stunting"]
    assert g["36.73.05.1006"] == 3 and g["36.73.03.1008"] == 5
    assert rep.warnings == ["row 3: kecamatan 'Kec. Typo' is not known; matched by name alone"]
