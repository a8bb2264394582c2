import pytest

from serang_gis import InputError, SchemaError
from serang_gis.core.fields import odf_class, recognise
from serang_gis.read.tables import NumberError, parse_mapping, parse_number, read_raw, read_table

from . import fixtures as F


@pytest.mark.parametrize("text, integer, value", [
    ("1.234", True, 1234), ("1,234", True, 1234), ("12.345.678", True, 12345678), (" 42 ", True, 42), ("7.0", True, 7),
    ("12,5", False, 12.5), ("12.5", False, 12.5), ("1.234,5", False, 1234.5), ("23,4%", False, 23.4), ("100", False, 100),
    ("-", True, None), ("", True, None), ("n/a", False, None),
])
def test_parse_number(text, integer, value):
    assert parse_number(text, integer=integer) == value


@pytest.mark.parametrize("text", ["12,5", "abc", "1.2.3x"])
def test_parse_number_rejects(text):
    with pytest.raises(NumberError):
        parse_number(text, integer=True)


@pytest.mark.parametrize("header, field", [
    ("Jumlah Keluarga Berisiko Stunting", "keluarga_berisiko"), ("Balita Sangat Pendek", "sangat_pendek"),
    ("Balita Pendek", "pendek"), ("Desa/Kel", "kelurahan"), ("Pukesmas", "puskesmas"), ("ZS TB/U", "zs_tbu"),
    ("% KK Akses Jamban Sehat", "jamban_layak_persen"), ("Akses Jamban (%)", None), ("Akses Jamban Layak (%)", "jamban_layak_persen"), ("% KK Akses Jamban Aman", "jamban_aman_persen"), ("% Akses Jamban (semua jenis)", "jamban_persen"), ("Jumlah KK", "kk"), ("Keluarga Sasaran", "keluarga_sasaran"), ("Rumah Tangga Belum Punya Jamban", "tanpa_jamban"),
    ("Status STBM", "status_odf"), ("Jumlah Balita", None),
    # office walk 23c: BKKBN headers abbreviated ("Air Mnm Tdk Lyk" was left unread without a word)
    ("Air Mnm Tdk Lyk", "krs_air_tidak_layak"), ("Jamban Tdk Lyk", "krs_jamban_tidak_layak"), ("Bkn Pst KB Modern", "krs_bukan_kb_modern"),
    ("Balita Sgt Pdk", "sangat_pendek"), ("Jml Klg Brsk", "keluarga_berisiko"), ("Tak Layak", None),
])
def test_recognise(header, field):
    assert recognise(header) == field


@pytest.mark.parametrize("text, cls", [("ODF", "ODF deklarasi"), ("blm ODF", "Belum ODF"), ("Terverifikasi", "ODF terverifikasi"),
                                       ("STBM 5 pilar", "STBM"), ("BASELINE", "Baseline"), ("Sudah ODF", "ODF deklarasi")])
def test_odf_spellings(text, cls):
    assert odf_class(text) == cls


def test_messy_workbook_layout(tmp_path):
    truth = F.truth_aggregate()
    path = tmp_path / "sasaran.xlsx"
    rows_of = F.write_messy_xlsx(path, truth)
    t = read_table(path)
    assert t.raw.sheet == "Data Sasaran"
    assert set(t.indicators) == {"keluarga", "keluarga_berisiko", "balita_diukur", "sangat_pendek", "pendek"}
    assert len(t.data) == 68  # 67 kelurahan + the wrong row
    assert len(t.totals) == 7  # six kecamatan subtotals and the city total
    wrong = t.data[t.data["row"] == rows_of["wrong"]].iloc[0]
    assert wrong["kecamatan"] == "KASEMEN"  # filled down from the merged cell above
    cib = t.data[t.data["kelurahan"] == "KEL. CIBENDUNG"].iloc[0]
    assert cib["balita_diukur"] is None or str(cib["balita_diukur"]) == "<NA>"  # '-' is missing, not zero


def test_csv_dialects_all_read_the_same(tmp_path):
    truth = F.truth_aggregate()
    frames = []
    for name, delim, enc in (("semi_cp1252.csv", ";", "cp1252"), ("comma_bom.csv", ",", "utf-8-sig"), ("tab.tsv", "\t", "utf-8")):
        path = tmp_path / name
        F.write_csv_variant(path, truth, delimiter=delim, encoding=enc)
        t = read_table(path)
        assert t.raw.delimiter == delim
        frames.append(t.data[["kelurahan", "balita_diukur", "prevalensi"]].reset_index(drop=True))
    assert frames[0].equals(frames[1]) and frames[0].equals(frames[2])
    assert frames[0]["prevalensi"].dropna().between(0, 100).all()


def test_invalid_values_name_file_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Kecamatan;Kelurahan;Balita Diukur;Balita Pendek;Balita Sangat Pendek\n"
                    "Serang;Cipare;100;10;2\n"
                    "Serang;Unyur;-5;1;1\n"
                    "Serang;Lopang;20;18;9\n"
                    "Serang;Kagungan;30;banyak;1\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(path)
    msg = str(err.value)
    assert "bad.csv:row 3:column 'Balita Diukur': '-5' is negative" in msg
    assert "bad.csv:row 4:column 'Balita Diukur': 27 stunted toddlers but only 20 measured" in msg
    assert "bad.csv:row 5:column 'Balita Pendek': 'banyak' is not a whole number" in msg
    assert "nothing was written" in msg


def test_unknown_layout_asks_for_a_mapping(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Wilayah;Angka\nCipare;3\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="--map"):
        read_raw(path)
    t = read_table(path, mapping=parse_mapping(["Wilayah=kelurahan", "Angka=stunting"]))
    assert t.data["stunting"].tolist() == [3]


def test_mapping_errors():
    with pytest.raises(InputError, match="not a field"):
        parse_mapping(["Jumlah=stuntingg"])
    with pytest.raises(InputError, match="cannot read"):
        parse_mapping(["Jumlah"])


def test_old_xls_is_explained(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="save as .xlsx"):
        read_table(path)


def test_xlsx_percent_cells_and_real_numbers(tmp_path):
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kecamatan", "Kelurahan", "Jumlah Balita Diukur", "Prevalensi", "Tanggal"])
    ws.append(["Serang", "Cipare", 120, 0.125, dt.date(2024, 8, 1)])
    ws["D2"].number_format = "0.0%"
    ws.append(["Serang", "Unyur", 80.0, None, None])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    t = read_table(path)
    assert t.data["prevalensi"].tolist()[0] == pytest.approx(12.5)
    assert t.data["balita_diukur"].tolist() == [120, 80]
    assert "Tanggal" in t.raw.ignored


def test_xlsx_table_away_from_a1_with_merged_and_percent_cells_keeps_rows_and_columns(tmp_path):
    """A sheet whose data begins at C3 (two empty columns, a title row): rows are read row by row, yet every row and
    column stays where the file has it: the merged kecamatan fills its rows, the percent cells read as shown, and a
    bad cell is named by its real row."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C1"] = "  Data Sasaran 2024  "
    for r, row in enumerate([["Kecamatan", "Kelurahan", "Jumlah Balita Diukur", "Prevalensi"],
                             ["Serang", "Cipare", 120, 0.125], [None, "Unyur", 80, 0.2], [None, "Sumurpecung", 60, 0.05],
                             ["Kasemen", "Warung Jaud", 40, 0.1]], start=3):
        for c, v in enumerate(row, start=3):
            ws.cell(r, c, v)
    for r in range(4, 8):
        ws.cell(r, 6).number_format = "0.0%"
    ws.merge_cells("C4:C6")
    wb.save(tmp_path / "o.xlsx")
    t = read_table(tmp_path / "o.xlsx")
    assert t.data["kelurahan"].tolist() == ["Cipare", "Unyur", "Sumurpecung", "Warung Jaud"]
    assert t.data["kecamatan"].tolist() == ["Serang", "Serang", "Serang", "Kasemen"]
    assert t.data["prevalensi"].tolist() == pytest.approx([12.5, 20.0, 5.0, 10.0])
    assert t.data["balita_diukur"].tolist() == [120, 80, 60, 40]
    ws.cell(6, 5, "sekitar 60")
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(InputError) as err:
        read_table(tmp_path / "bad.xlsx")
    assert "row 6:column 'Jumlah Balita Diukur'" in str(err.value), str(err.value)


@pytest.mark.parametrize("header, field", [
    ("Balita Stunting (Pendek + Sangat Pendek)", "stunting"), ("Jumlah Pendek dan Sangat Pendek", "stunting"),
    ("% Balita Stunting", "prevalensi"), ("ID Desa", "kode"), ("Persentase Keluarga Berisiko Stunting", "keluarga_berisiko"),
])
def test_recognise_more_office_headers(header, field):
    assert recognise(header) == field


# ---- sanitation denominators: "akses jamban" is read by its words, never guessed ---------------------------

SANITASI = "Kecamatan;Kelurahan;Jumlah KK;{header}\nSerang;Cipare;200;80\nSerang;Sumurpecung;100;95,5\n"


def test_plain_akses_jamban_is_refused_naming_file_row_and_column(tmp_path):
    path = tmp_path / "sanitasi.csv"
    path.write_text(SANITASI.format(header="Akses Jamban (%)"), encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        read_table(path)
    msg = str(err.value)
    assert "sanitasi.csv: row 1, column 4 'Akses Jamban (%)'" in msg
    assert "not guessed" in msg and 'Akses Jamban (%)=jamban_layak_persen' in msg and "[columns]" in msg


@pytest.mark.parametrize("how", ["map", "config"])
def test_akses_jamban_named_by_the_user_gives_the_sanitation_gap(tmp_path, how):
    from serang_gis.core.indicators import sanitation_gap
    from serang_gis.read.tables import mapping_from_config

    path = tmp_path / "sanitasi.csv"
    path.write_text(SANITASI.format(header="Akses Jamban (%)"), encoding="utf-8")
    if how == "map":
        mapping = parse_mapping(["Akses Jamban (%)=jamban_layak_persen"])
    else:
        cfg = tmp_path / "join.toml"
        cfg.write_text('[columns]\n"Akses Jamban (%)" = "jamban_layak_persen"\n', encoding="utf-8")
        mapping = mapping_from_config(cfg)
    t = read_table(path, mapping=mapping)
    assert t.data["jamban_layak_persen"].tolist() == [80.0, 95.5]
    assert sanitation_gap(t.data).round(6).tolist() == [20.0, 4.5]  # 100 - layak, by hand


@pytest.mark.parametrize("header, field", [
    ("% KK Akses Jamban Sehat", "jamban_layak_persen"), ("Akses Jamban Layak (%)", "jamban_layak_persen"),
    ("Akses Jamban Aman (%)", "jamban_aman_persen"), ("Akses Jamban Semua Jenis (%)", "jamban_persen"),
])
def test_qualified_jamban_headers_are_read_by_their_words(tmp_path, header, field):
    path = tmp_path / "sanitasi.csv"
    path.write_text(SANITASI.format(header=header), encoding="utf-8")
    t = read_table(path)
    assert t.data[field].tolist() == [80.0, 95.5]
    others = {"jamban_layak_persen", "jamban_aman_persen", "jamban_persen"} - {field}
    assert not others & set(t.data.columns)  # safely managed or any jamban never feeds the layak gap


def test_a_by_name_family_list_of_ya_tidak_is_said_to_be_one(tmp_path):
    """Walk adv12 M5: a BKKBN list with a row per family ("Berisiko Stunting": Ya/Tidak) gave 200 "is not a whole number"
    errors and "correct the cells". It is a by-name list, not a table per kelurahan: said once, without any person's data."""
    rows = ["NIK,Nama,Alamat,Kecamatan,Desa/Kelurahan,Berisiko Stunting"]
    rows += [f"36739{k:011d},WARGA {k},KP RT {k:02d},Serang,{'Cipare' if k % 2 else 'Serang'},{'Ya' if k % 3 else 'Tidak'}"
             for k in range(40)]
    (tmp_path / "keluarga.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(tmp_path / "keluarga.csv", period="2024")
    text = f"{err.value.message} {err.value.hint}"
    assert "column 'Berisiko Stunting' holds only tidak/ya" in text and "by-name list" in text and "pivot table" in text
    assert "whole number" not in text and "WARGA" not in text and "36739" not in text
