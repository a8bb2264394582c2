"""Reading the Aksi 2 activity matrix: amounts, offices, Jenis, Lokasi, packages, and the errors."""

from __future__ import annotations

import pytest

from serang_gis.read import reference
from serang_gis.core.errors import InputError
from serang_gis.read.kegiatan import OpdMatcher, parse_jenis, parse_rupiah, read_kegiatan, recognise_kegiatan
from serang_gis.read.lokasi import LokasiParser
from serang_gis.read.paket import PaketTable
from serang_gis.read.tables import NumberError

from . import kegiatan_fixtures as K

GAZ = reference.gazetteer().assign(kabkota="Kota Serang")


def code(name, kec=None):
    g = GAZ[(GAZ["kelurahan"] == name) & ((GAZ["kecamatan"] == kec) if kec else True)]
    assert len(g) == 1, (name, kec)
    return g["kode_kel"].iloc[0]


def kec_codes(kec):
    return sorted(GAZ.loc[GAZ["kecamatan"] == kec, "kode_kel"])


@pytest.mark.parametrize("text, value", [
    ("Rp 1.250.000.000", 1_250_000_000), ("1250000000", 1_250_000_000), ("1.250.000.000", 1_250_000_000),
    ("Rp1.250.000.000,00", 1_250_000_000), ("Rp. 1.250.000.000,-", 1_250_000_000), ("1,250,000,000", 1_250_000_000),
    ("1,25 M", 1_250_000_000), ("1,25 miliar", 1_250_000_000), ("1.25 Milyar", 1_250_000_000), ("500 juta", 500_000_000),
    ("500 jt", 500_000_000), ("750 rb", 750_000), ("0", 0), ("1250000000.0", 1_250_000_000), ("-", None), ("", None),
])
def test_amounts_as_offices_write_them(text, value):
    assert parse_rupiah(text) == value


@pytest.mark.parametrize("text", ["satu miliar", "1,25", "Rp 12,5,0", "1.25.000", "Rp -500.000"])
def test_amounts_that_are_not_amounts_are_refused(text):
    with pytest.raises(NumberError):
        parse_rupiah(text)


def test_jenis_intervensi():
    assert [parse_jenis(t) for t in ("Spesifik", "sensitif", "Koordinatif", "", "-", "Intervensi Gizi Spesifik", "Spes.", "Koord.")] == \
        ["spesifik", "sensitif", "koordinatif", None, None, "spesifik", "spesifik", "koordinatif"]
    for bad in ("campuran", "spesifik dan sensitif"):
        with pytest.raises(NumberError):
            parse_jenis(bad)


@pytest.mark.parametrize("header, field", [
    ("Perangkat Daerah", "opd"), ("OPD", "opd"), ("Sub Kegiatan", "sub_kegiatan"), ("Program / Kegiatan / Sub Kegiatan Sub Kegiatan", "sub_kegiatan"),
    ("Program / Kegiatan / Sub Kegiatan Kegiatan", "kegiatan"), ("Program / Kegiatan / Sub Kegiatan Program", "program"),
    ("Anggaran Pagu (Rp)", "pagu"), ("Anggaran Realisasi (Rp)", "realisasi"), ("Anggaran Sumber Dana", "sumber_dana"),
    ("Lokasi", "lokasi"), ("Lokasi Sasaran", "lokasi"), ("Jenis Intervensi", "jenis"), ("Tahun", "tahun"), ("Kode Sub Kegiatan", "kode"), ("Kode Program", "kode_lain"),
    ("Sub Kegiatan Kode", "kode"), ("Kode", "kode"),
    ("Lokasi (Kelurahan/Kecamatan)", "lokasi"), ("Sumber Dana (APBD/DAK)", "sumber_dana"), ("Catatan", None),
])
def test_headers_are_recognised(header, field):
    assert recognise_kegiatan(header) == field


def test_office_spellings_resolve_with_a_score():
    m = OpdMatcher()
    for kode, spellings in K.OFFICES.items():
        for s in spellings:
            hit = m.match(s)
            assert hit.kode == kode, (s, hit)
    typo = m.match("Dinas Kesehatn")
    assert typo.method == "fuzzy" and 85 <= typo.score < 100
    for text in ("Dinas Kesehatan (Puskesmas Kasemen)", "Puskesmas Unyur"):
        hit = m.match(text)
        assert (hit.kode, hit.method) == ("dinkes", "prefix")
    unknown = m.match("Dinas Pariwisata")
    assert unknown.method == "unknown" and unknown.nama == "Dinas Pariwisata"


def test_extra_offices_from_a_file(tmp_path):
    f = tmp_path / "opd.csv"
    f.write_text("kode,nama,alias\ndispar,Dinas Pariwisata,Dispar;Dinas Pariwisata Pemuda dan Olahraga\n", encoding="utf-8")
    m = OpdMatcher(f)
    assert m.match("DISPAR").kode == "dispar" and m.match("Dinkes").kode == "dinkes"


@pytest.fixture(scope="module")
def parser():
    return LokasiParser(GAZ)


def test_lokasi_forms(parser):
    cases = {
        "Kota Serang": ("kota", []),
        "seluruh kelurahan": ("kota", []),
        "Se-Kota Serang": ("kota", []),
        "Kec. Kasemen": ("kecamatan", kec_codes("Kasemen")),
        "Kecamatan Kasemen dan Walantaka": ("kecamatan", sorted(kec_codes("Kasemen") + kec_codes("Walantaka"))),
        "Kel. Sepang, Panggungjati, Lialang (Kec. Taktakan)": ("kelurahan", sorted([code("Sepang"), code("Panggungjati"), code("Lialang")])),
        "Kalodran, Kec. Walantaka": ("kelurahan", [code("Kalodran")]),
        "36.73.02.1001, 3673021002": ("kelurahan", sorted([code("Kasemen", "Kasemen"), code("Mesjid Priyayi")])),
        "36.73.02": ("kecamatan", kec_codes("Kasemen")),
        "Sukawana (Kec. Curug)": ("kelurahan", [code("Sukawana", "Curug")]),
        "Kec. Curug (Curug Manis, Cipete)": ("kelurahan", sorted([code("Curug Manis"), code("Cipete")])),
        "Kec. Serang: Unyur, Lopang; Kec. Taktakan": ("kelurahan", sorted([code("Unyur"), code("Lopang")] + kec_codes("Taktakan"))),
        "Kasemen": ("kelurahan", [code("Kasemen", "Kasemen")]),
        "Kel. Pengampelan (Kec. Walantaka)": ("kelurahan", [code("Pangampelan")]),
        "Kecamatan Kasemen (10 kelurahan)": ("kecamatan", kec_codes("Kasemen")),
        "Kel. Kalodran Kec. Walantaka": ("kelurahan", [code("Kalodran")]),
        "Lokus: Kasemen, Terumbu": ("kelurahan", sorted([code("Kasemen", "Kasemen"), code("Terumbu")])),
        "Walantaka: Kalodran, Teritih": ("kelurahan", sorted([code("Kalodran"), code("Teritih")])),
        "Kec. Kasemen, Kel. Sepang (Kec. Taktakan)": ("kelurahan", sorted(kec_codes("Kasemen") + [code("Sepang")])),
        "Seluruh Kelurahan di Kec. Kasemen": ("kecamatan", kec_codes("Kasemen")),
        "Semua kelurahan se-Kec. Taktakan": ("kecamatan", kec_codes("Taktakan")),
    }
    for text, (kind, codes) in cases.items():
        got = parser.parse(text)
        assert (got.kind, got.codes) == (kind, codes), (text, got)
    fuzzy = parser.parse("Kel. Pengampelan (Kec. Walantaka)")
    assert "fuzzy" in fuzzy.matches[0]


@pytest.mark.parametrize("text, reason", [
    ("Sukawana", "more than one kelurahan"), ("Kel. Antah Berantah (Kec. Kasemen)", "not a kelurahan"),
    ("Kec. Atlantis", "not known"), ("", "empty"), ("lokus stunting", "not a kelurahan"),
])
def test_lokasi_that_matches_nothing_says_why(parser, text, reason):
    got = parser.parse(text)
    assert got.kind == "tidak_cocok" and reason in "; ".join(got.problems)


def test_packages_from_the_mapping_table(tmp_path):
    t = PaketTable.load()
    assert t.packages("dinkes", "spesifik", "Pemberian makanan tambahan balita") == ("kia", "konseling_gizi")
    assert t.packages("dinkes", "spesifik", "Imunisasi dasar lengkap") == ("kia",)
    assert t.packages("perkim", "sensitif", "Pembangunan jamban sehat") == ("air_sanitasi",)
    assert t.packages("bappeda", "koordinatif", "Rembuk stunting") == ()
    assert t.packages("dp3akb", "sensitif", "Bina Keluarga Balita (BKB)") == ("kia", "paud")
    own = tmp_path / "paket.csv"
    own.write_text("opd,jenis,kata_kunci,paket\nbappeda,*,,paud\n", encoding="utf-8")
    assert PaketTable.load(own).packages("bappeda", None, "x") == ("paud",)
    own.write_text("opd,jenis,kata_kunci,paket\nbappeda,*,,sekolah\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 2:column 'paket'"):
        PaketTable.load(own)


def test_csv_matrix_reads_every_activity(tmp_path):
    acts = K.make_activities()
    K.write_csv(tmp_path / "m.csv", acts)
    keg = read_kegiatan(tmp_path / "m.csv", GAZ)
    assert len(keg.rows) == len(acts)
    assert keg.rows["pagu"].tolist() == [a.pagu for a in acts]
    assert keg.rows["opd"].tolist() == [a.opd for a in acts]
    assert [frozenset(c) for c in keg.rows["kode_kel"]] == [a.codes for a in acts]
    assert keg.rows["lokasi_jenis"].tolist() == [a.kind for a in acts]


def test_merged_header_xlsx_with_headings_and_subtotals(tmp_path):
    acts = K.make_activities()
    rows_of = K.write_xlsx(tmp_path / "m.xlsx", acts)
    keg = read_kegiatan(tmp_path / "m.xlsx", GAZ)
    assert len(keg.rows) == len(acts)
    by_row = keg.rows.set_index("row")
    for i, r in rows_of.items():
        assert by_row.at[r, "opd"] == acts[i].opd and by_row.at[r, "pagu"] == acts[i].pagu
        assert frozenset(by_row.at[r, "kode_kel"]) == acts[i].codes
    assert len(keg.totals) == len(K.OFFICES) + 1  # one subtotal per office and the grand total
    assert any("heading" in why for _, why in keg.skipped)
    assert keg.notes == []  # the grand total agrees with the activities


def test_bad_cells_stop_the_run_with_file_row_column(tmp_path):
    acts = K.make_activities()[:5]
    K.write_csv(tmp_path / "m.csv", acts, extra_rows=[[6, "Dinkes", "PMT", "spesifik", "Kota Serang", "satu miliar", "APBD", 2023],
                                                       [7, "Dinkes", "PMT", "campuran", "Kota Serang", "1 M", "APBD", 2023],
                                                       [8, "Dinkes", "PMT", "spesifik", "Kota Serang", "", "APBD", 2023]])
    with pytest.raises(InputError) as e:
        read_kegiatan(tmp_path / "m.csv", GAZ)
    msg = str(e.value)
    assert "m.csv:row 8:column 'Pagu': 'satu miliar' is not an amount" in msg
    assert "m.csv:row 9:column 'Jenis Intervensi': 'campuran'" in msg
    assert "m.csv:row 10:column 'Pagu': the pagu is empty" in msg


def test_unknown_office_and_unmatched_lokasi_are_reported_or_stop_with_strict(tmp_path):
    acts = K.make_activities()[:5]
    K.write_csv(tmp_path / "m.csv", acts, extra_rows=[[6, "Dinas Pariwisata", "Festival", "koordinatif", "Kec. Kasemen", "10 juta", "APBD", 2023],
                                                       [7, "Dinkes", "PMT", "spesifik", "Sukawana", "20 juta", "APBD", 2023]])
    keg = read_kegiatan(tmp_path / "m.csv", GAZ)
    assert keg.unknown_opd["row"].tolist() == [8]
    assert keg.unlocated["row"].tolist() == [9] and "add the kecamatan" in keg.unlocated["lokasi_masalah"].iloc[0]
    with pytest.raises(InputError) as e:
        read_kegiatan(tmp_path / "m.csv", GAZ, strict=True)
    assert "m.csv:row 8:column 'OPD': office 'Dinas Pariwisata'" in str(e.value)
    assert "m.csv:row 9:column 'Lokasi': 'Sukawana'" in str(e.value)


def test_year_filter(tmp_path):
    acts = K.make_activities()[:6]
    for a in acts[:2]:
        a.tahun = 2022
    K.write_csv(tmp_path / "m.csv", acts)
    keg = read_kegiatan(tmp_path / "m.csv", GAZ, year=2023)
    assert len(keg.rows) == 4 and sum("not 2023" in why for _, why in keg.skipped) == 2
    with pytest.raises(InputError, match="no activity of year 2021"):
        read_kegiatan(tmp_path / "m.csv", GAZ, year=2021)


def test_a_file_without_the_needed_columns(tmp_path):
    (tmp_path / "x.csv").write_text("Kelurahan;Jumlah\nKasemen;3\n", encoding="utf-8")
    with pytest.raises(InputError, match="Perangkat Daerah"):
        read_kegiatan(tmp_path / "x.csv", GAZ)


def test_a_chosen_year_still_checks_the_files_own_total(tmp_path):
    """Office walk 23b: a config atlas reads the matrix with `year = 2024`; its JUMLAH row (Rp 1.000 short) was not checked,
    while `serang-gis konvergensi` without a year said it. The file's total adds every year's activities, as in_file does."""
    acts = K.make_activities()[:4]
    years = sorted({a.tahun for a in acts})
    total = sum(a.pagu for a in acts)
    K.write_csv(tmp_path / "m.csv", acts, extra_rows=[["", "JUMLAH", "", "", "", f"{total - 1000:,}".replace(",", "."), "", ""]])
    for year in (None, years[0]):
        keg = read_kegiatan(tmp_path / "m.csv", GAZ, year=year)
        said = [str(w) for w in keg.warnings]
        assert any("differs from the sum of the activities" in w for w in said), (year, said)
    K.write_csv(tmp_path / "ok.csv", acts, extra_rows=[["", "JUMLAH", "", "", "", f"{total:,}".replace(",", "."), "", ""]])
    assert not [w for w in read_kegiatan(tmp_path / "ok.csv", GAZ, year=years[0]).warnings if "differs" in str(w)]


@pytest.mark.parametrize("written", ["Dinas Pengendalian Penduduk, KB, PPPA", "DP3AP2KB",
                                     "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan Perlindungan Anak"])
def test_the_long_names_of_dp3akb_are_dp3akb(written):
    """Office walk 23c: "Dinas Pengendalian Penduduk, KB, PPPA" scored 68 against DP3AKB and got an office page of its own."""
    assert OpdMatcher().match(written).kode == "dp3akb"
