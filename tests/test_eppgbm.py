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
    t = read_table(path, period="2024-08")
    r = t.data.iloc[0]
    assert (r.balita_diukur, r.pendek, r.sangat_pendek) == (3, 1, 1)
