"""The paper's and public figures, embedded, resolved to codes, and checked against the printed totals."""

import datetime as dt

from serang_gis.read import reference

LOKUS_2022 = {  # kelurahan of the 2022 list -> Kemendagri code (checked by hand against the gazetteer)
    "Curug Manis": "36.73.04.1009", "Suka Jaya": "36.73.04.1010", "Kemanisan": "36.73.04.1003", "Cipete": "36.73.04.1004",
    "Teritih": "36.73.03.1010", "Pager Agung": "36.73.03.1007", "Cipocok Jaya": "36.73.05.1001", "Unyur": "36.73.01.1007",
    "Lopang": "36.73.01.1005", "Kota Baru": "36.73.01.1004", "Lontar Baru": "36.73.01.1009", "Cimuncang": "36.73.01.1006",
    "Kaligandu": "36.73.01.1010", "Taman Baru": "36.73.06.1012", "Kasemen": "36.73.02.1001", "Warung Jaud": "36.73.02.1004",
    "Kilasah": "36.73.02.1009", "Terumbu": "36.73.02.1003", "Mesjid Priyayi": "36.73.02.1002",
}
LOKUS_2021 = {
    "Kuranji": "36.73.06.1004", "Taktakan": "36.73.06.1001", "Pancalaksana": "36.73.04.1006", "Cilaku": "36.73.04.1005",
    "Pengampelan": "36.73.03.1004", "Pipitan": "36.73.03.1014", "Tembong": "36.73.05.1006", "Gelam": "36.73.05.1008",
    "Serang": "36.73.01.1001", "Kagungan": "36.73.01.1012", "Bendung": "36.73.02.1006", "Kasunyatan": "36.73.02.1010",
    "Sawah Luhur": "36.73.02.1008",
}


def test_the_32_lokus_names_resolve_to_the_right_codes():
    lok = reference.lokus()
    assert len(lok) == 32
    for year, expected in (("2022", LOKUS_2022), ("2021", LOKUS_2021)):
        got = lok[lok["daftar"] == year]
        assert dict(zip(got["kelurahan"], got["kode_kel"])) == expected
        assert got["kode_kel"].is_unique
    # the three names spelled differently in the boundaries are matched, and say how
    how = dict(zip(lok["kelurahan"], lok["cocok"]))
    assert how["Pengampelan"].startswith("fuzzy")
    assert how["Suka Jaya"] == "name" and how["Lontar Baru"] == "name"


def test_printed_totals():
    k = reference.kecamatan_2021()
    assert k["keluarga_risiko_stunting"].sum() == 52_204
    assert k["balita_stunting"].sum() == 1_895
    assert reference.anggaran(2022)["anggaran_rp"].sum() == 36_220_427_730
    assert reference.anggaran(2023)["anggaran_rp"].sum() == 19_930_831_500
    city = reference.indikator_kota().query("indikator == 'keluarga_berisiko_stunting' and tahun == '2021'")
    assert city["nilai"].iloc[0] == k["keluarga_risiko_stunting"].sum()


def test_known_inconsistencies_are_reported_not_hidden():
    checks = {c.name: c for c in reference.checks()}
    differ = {name for name, c in checks.items() if not c.ok}
    assert differ == {
        "prevalence 2021: kecamatan shares in Bagan 1 (chart) vs city figure",
        "lokus 2021: kelurahan and kecamatan the text announces vs the list",
        "lokus 2022: paper list vs the Walikota decree",
        "stunting Curug 2023: ten kelurahan vs the article's kecamatan figure",
    }
    assert checks["prevalence 2021: kecamatan shares in Bagan 1 (chart) vs city figure"].found == 24.46
    assert checks["lokus 2021: kelurahan and kecamatan the text announces vs the list"].found == (13, 6)
    assert checks["stunting Curug 2023: ten kelurahan vs the article's kecamatan figure"].found == 175
    # the 2022 budget typo is corrected, and the correction is stated
    assert checks["budget 2022 (Table 2)"].ok and "8.677.703.00" in checks["budget 2022 (Table 2)"].note


def test_odf_status_as_of_a_date():
    def status(day):
        s = reference.odf_status(dt.date.fromisoformat(day)).set_index("kode_kel")["status_odf"]
        return s

    before = status("2021-12-31")
    assert before.isna().all()  # nothing declared yet: no data, never "Belum ODF"
    feb23 = status("2023-03-01")
    assert feb23["36.73.03.1008"] == "ODF deklarasi"  # Kalodran, kelurahan declaration 2023-02-17
    assert feb23["36.73.03.1009"] == "Belum ODF"  # Kapuren (spelled Kepuren in the source)
    assert feb23["36.73.05.1006"] == "ODF deklarasi"  # Cipocok Jaya kecamatan-wide, 2022-01-31
    late = status("2025-12-31")
    assert late["36.73.03.1009"] == "ODF deklarasi"  # the kecamatan declaration of 2023-11-15 covers it
    assert late["36.73.01.1010"] == "Belum ODF"  # Kaligandu
    assert late[late.index.str.startswith("36.73.02")].isna().all()  # Kasemen: no declaration found
