"""A fill-in workbook (Data Sasaran) with every kelurahan prefilled; it reads back with ``join``."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from serang_gis.output.writers import atomic_path, safe_cell
from serang_gis.core.fields import ODF_CLASSES

COLUMNS = [  # header, width, kind
    ("No", 5, "no"), ("Kode Wilayah", 15, "key"), ("Kecamatan", 16, "key"), ("Desa/Kelurahan", 22, "key"),
    ("Jumlah Keluarga", 12, "count"), ("Jumlah Keluarga Berisiko Stunting", 16, "count"),
    ("Jumlah Sasaran Balita", 12, "count"), ("Jumlah Balita Diukur", 12, "count"), ("Balita Sangat Pendek", 12, "count"),
    ("Balita Pendek", 12, "count"), ("Status ODF", 18, "odf"), ("Jumlah KK", 12, "count"), ("% KK Akses Jamban Sehat", 14, "percent"),
    ("KK Tanpa Jamban", 12, "count"),
]
GUIDE = [
    "Petunjuk pengisian (instructions)",
    "1. Isi satu baris per kelurahan; jangan ubah kolom Kode Wilayah, Kecamatan, Desa/Kelurahan.",
    "2. Angka ditulis tanpa pemisah ribuan atau dengan titik (1.234); persen dengan koma (12,5).",
    "3. Kosongkan sel bila tidak ada data: kosong berarti 'tidak ada data', bukan nol.",
    "4. Status ODF dipilih dari daftar: " + ", ".join(ODF_CLASSES) + ".",
    "5. Balita Pendek dan Sangat Pendek menurut TB/U (standar WHO); jumlah keduanya tidak boleh melebihi Balita Diukur.",
    "6. Jangan memasukkan data per nama (NIK, nama, alamat) ke lembar ini.",
    "7. Jumlah Keluarga = semua keluarga (bukan keluarga sasaran); Jumlah KK = kepala keluarga, penyebut akses jamban;",
    "   % KK Akses Jamban Sehat = jamban sehat/layak saja. Sasaran Balita = balita yang seharusnya ditimbang (untuk cakupan).",
    "Baca kembali dengan: serang-gis join --data FILE.xlsx -o joined.gpkg --report report.json",
]


KRS_COLUMNS = [
    ("No", 5, "no"), ("Kode Wilayah", 15, "key"), ("Kecamatan", 16, "key"), ("Desa/Kelurahan", 22, "key"),
    ("Jumlah Keluarga", 12, "count"), ("Jumlah Keluarga Sasaran", 12, "count"), ("Jumlah PUS", 10, "count"),
    ("Jumlah PUS Hamil", 10, "count"), ("Jumlah Keluarga Memiliki Baduta", 12, "count"), ("Jumlah Keluarga Memiliki Balita", 12, "count"),
    ("Jumlah Keluarga Berisiko Stunting", 14, "count"), ("Sumber Air Minum Tidak Layak", 12, "count"),
    ("Jamban Tidak Layak", 12, "count"), ("Terlalu Muda", 10, "count"), ("Terlalu Tua", 10, "count"), ("Terlalu Dekat", 10, "count"),
    ("Terlalu Banyak", 10, "count"), ("Bukan Peserta KB Modern", 12, "count"),
]
STBM_COLUMNS = [
    ("No", 5, "no"), ("Kode Wilayah", 15, "key"), ("Kecamatan", 16, "key"), ("Desa/Kelurahan", 22, "key"), ("Jumlah KK", 10, "count"),
    ("Pilar 1 Stop BABS", 11, "count"), ("Pilar 2 Cuci Tangan Pakai Sabun", 12, "count"),
    ("Pilar 3 Pengelolaan Air Minum dan Makanan RT", 14, "count"), ("Pilar 4 Pengamanan Sampah RT", 12, "count"),
    ("Pilar 5 Pengamanan Limbah Cair RT", 12, "count"), ("BABS Terbuka", 10, "count"), ("BABS Tertutup", 10, "count"),
    ("Sharing / Layak Bersama", 11, "count"), ("Layak Sendiri", 10, "count"), ("Aman", 10, "count"), ("Status ODF", 18, "odf"),
]
BANGDA_COLUMNS = [
    ("No", 5, "no"), ("Kode Wilayah", 15, "key"), ("Kecamatan", 16, "key"), ("Desa/Kelurahan", 22, "key"),
    ("Jumlah Keluarga", 12, "count"), ("Jumlah Keluarga Berisiko Stunting", 16, "count"), ("Jumlah Balita Diukur", 12, "count"),
    ("Jumlah Balita Sangat Pendek", 12, "count"), ("Jumlah Balita Pendek", 12, "count"),
]
EPPGBM_COLUMNS = [
    ("NIK", 18, "text"), ("Nama", 20, "text"), ("JK", 5, "sex"), ("Tgl Lahir", 12, "date"), ("Nama Ortu", 20, "text"),
    ("Kec", 14, "text"), ("Desa/Kel", 18, "text"), ("Posyandu", 16, "text"), ("Tanggal Pengukuran", 12, "date"),
    ("Berat", 8, "decimal"), ("Tinggi", 8, "decimal"), ("Cara Ukur", 12, "position"), ("TB/U", 14, "tbu"), ("ZS TB/U", 8, "zscore"),
]
_COMMON_GUIDE = GUIDE[1:4]
LAYOUTS = {  # layout -> (sheet, columns, guide lines after the common ones)
    "sasaran": ("Data Sasaran", COLUMNS, GUIDE[4:]),
    "krs": ("Verval KRS", KRS_COLUMNS, [
        "4. Faktor risiko (air minum, jamban, 4T) dihitung di antara keluarga sasaran: tidak boleh melebihi Jumlah Keluarga Sasaran.",
        "5. Bukan Peserta KB Modern dan PUS Hamil tidak boleh melebihi Jumlah PUS.",
        "6. Jangan memasukkan data per nama (NIK, nama, alamat) ke lembar ini.",
        "Baca kembali dengan: serang-gis join --data FILE.xlsx -o joined.gpkg (docs/faktor-opd.md)"]),
    "stbm": ("STBM", STBM_COLUMNS, [
        "4. Pilar 1-5: jumlah KK yang sudah melaksanakan pilar itu (tidak boleh melebihi Jumlah KK).",
        "5. Tangga sanitasi (BABS Terbuka ... Aman): satu KK di satu anak tangga; jumlahnya tidak boleh melebihi Jumlah KK.",
        "6. Status ODF dipilih dari daftar: " + ", ".join(ODF_CLASSES) + ".",
        "Baca kembali dengan: serang-gis join --data FILE.xlsx -o joined.gpkg"]),
    "bangda": ("Data Sasaran Bangda", BANGDA_COLUMNS, [
        "4. Balita Pendek dan Sangat Pendek menurut TB/U (standar WHO); jumlah keduanya tidak boleh melebihi Balita Diukur.",
        "5. Jumlah Keluarga = semua keluarga; Keluarga Berisiko Stunting dari BKKBN.",
        "Baca kembali dengan: serang-gis join --data FILE.xlsx -o joined.gpkg"]),
    "eppgbm": ("Data By Name", EPPGBM_COLUMNS, [
        "1. Satu baris per pengukuran; tanggal ditulis dd/mm/yyyy (17/08/2024) atau 2024-08-17.",
        "2. Cara Ukur: Terlentang (berbaring) atau Berdiri; tinggi dikoreksi 0,7 cm bila cara ukur tidak sesuai umur (WHO).",
        "3. Lembar ini berisi data pribadi: simpan di komputer Anda; serang-gis hanya mengeluarkan jumlah per kelurahan.",
        "Baca kembali dengan: serang-gis join --data FILE.xlsx --period 2024-08 -o joined.gpkg"]),
}


def write_template(target, kelurahan: gpd.GeoDataFrame, *, title: str, overwrite: bool = False, layout: str = "sasaran") -> Path:
    """A fill-in workbook of ``layout`` (``LAYOUTS``): every kelurahan prefilled (the by-name layout: 500 empty rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    sheet, columns, guide = LAYOUTS[layout]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([safe_cell(title)])
    ws["A1"].data_type = "s"
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    header_row = 3
    _header(ws, header_row, columns, ("no", "key"))
    if layout == "eppgbm":
        first, last = header_row + 1, header_row + 500
        for col, (_, _, kind) in enumerate(columns, start=1):
            if kind in ("text", "date"):
                for r in range(first, last + 1):
                    ws.cell(r, col).number_format = "@"  # a NIK and a date stay as written
    else:
        rows = kelurahan.sort_values("kode_kel")
        for i, r in enumerate(rows.itertuples(), start=1):
            # names are text: one starting with = + - @ gets an apostrophe, as in the CSV writer, never a live formula
            ws.append([i, r.kode_kel, safe_cell(r.kecamatan), safe_cell(r.kelurahan)] + [None] * (len(columns) - 4))
            for col in (2, 3, 4):
                ws.cell(ws.max_row, col).data_type = "s"
            ws.cell(header_row + i, 2).number_format = "@"  # codes stay text
        first, last = header_row + 1, header_row + len(rows)
    _validations(ws, columns, first, last)
    ws.freeze_panes = ws.cell(header_row + 1, 5 if layout != "eppgbm" else 3)
    lines = [GUIDE[0]] + (guide if layout == "eppgbm" else _COMMON_GUIDE + guide)
    return _save_with_guide(wb, lines, 110, target, overwrite)


_LISTS = {"odf": ODF_CLASSES, "sex": ["L", "P"], "position": ["Terlentang", "Berdiri"],
          "tbu": ["Sangat Pendek", "Pendek", "Normal", "Tinggi"]}


def _validations(ws, columns, first: int, last: int) -> None:
    """Input checks per column kind: whole numbers >= 0, percent 0-100, decimals, z-scores, dropdowns."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for col, (name, width, kind) in enumerate(columns, start=1):
        if kind == "count":
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                error="Isi bilangan bulat >= 0 (kosong = tidak ada data)", showErrorMessage=True)
        elif kind == "percent":
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                                error="Isi persen 0-100", showErrorMessage=True)
        elif kind == "decimal":
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="200", allow_blank=True,
                                error="Isi angka (kg atau cm)", showErrorMessage=True)
        elif kind == "zscore":
            dv = DataValidation(type="decimal", operator="between", formula1="-10", formula2="10", allow_blank=True,
                                error="Isi z-score (-10 sampai 10)", showErrorMessage=True)
        elif kind in _LISTS:
            dv = DataValidation(type="list", formula1='"' + ",".join(_LISTS[kind]) + '"', allow_blank=True,
                                error="Pilih dari daftar", showErrorMessage=True)
        else:
            continue
        ws.add_data_validation(dv)
        dv.add(f"{get_column_letter(col)}{first}:{get_column_letter(col)}{last}")


def _save_with_guide(wb, lines: list[str], width: int, target, overwrite: bool) -> Path:
    """Add the "Petunjuk" sheet (the first line bold) and write the workbook atomically."""
    from openpyxl.styles import Font

    guide = wb.create_sheet("Petunjuk")
    for line in lines:
        guide.append([line])
    guide["A1"].font = Font(bold=True)
    guide.column_dimensions["A"].width = width
    with atomic_path(target, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(target)


# ---- the Aksi 2 activity matrix (Rencana Kegiatan), read back by ``serang-gis konvergensi`` ----------

KEGIATAN_COLUMNS = [  # header, width, kind
    ("No", 5, "no"), ("Perangkat Daerah (OPD)", 26, "opd"), ("Program", 28, "text"), ("Kegiatan", 28, "text"),
    ("Kode Sub Kegiatan", 18, "code"), ("Sub Kegiatan", 34, "text"), ("Jenis Intervensi", 14, "jenis"),
    ("Lokasi", 36, "text"), ("Pagu (Rp)", 18, "money"), ("Realisasi (Rp)", 18, "money"), ("Sumber Dana", 14, "sumber"),
    ("Sasaran", 20, "text"), ("Tahun", 8, "year"),
]
SUMBER_DANA = ["APBD", "DAK Fisik", "DAK Non-Fisik", "APBN", "Dana Desa", "BOK", "CSR", "Lainnya"]
KEGIATAN_GUIDE = [
    "Petunjuk pengisian Matriks Rencana Kegiatan (Aksi 2) - instructions",
    "1. Satu baris per sub kegiatan. Perangkat Daerah dipilih dari daftar (nama lain pun dibaca dan dicocokkan).",
    "2. Jenis Intervensi: spesifik, sensitif atau koordinatif.",
    "3. Lokasi ditulis salah satu cara berikut:",
    "   - Kota Serang (atau: seluruh kelurahan) untuk kegiatan se-kota (tidak dihitung menjangkau kelurahan tertentu);",
    "   - Kec. Kasemen untuk semua kelurahan di kecamatan itu;",
    "   - Kel. Sepang, Panggungjati, Lialang (Kec. Taktakan) atau Kalodran, Kec. Walantaka untuk kelurahan tertentu;",
    "   - kode wilayah (36.73.02.1001), dipisah koma; beberapa kelompok dipisah titik koma (;).",
    "   Nama kelurahan yang sama di dua kecamatan (Sukawana) harus disertai kecamatannya. Lihat lembar Wilayah.",
    "4. Pagu dan Realisasi dalam rupiah: 1250000000 (atau 1.250.000.000; 1,25 M; 500 juta).",
    "5. Jangan memasukkan data per nama (NIK, nama, alamat).",
    "Baca kembali dengan: serang-gis konvergensi joined.gpkg --kegiatan FILE.xlsx --lokus 2022 -o konvergensi/",
]


def write_kegiatan_template(target, kelurahan: gpd.GeoDataFrame, *, title: str, offices: list[str],
                            rows: int = 200, overwrite: bool = False) -> Path:
    """An empty Aksi 2 matrix with dropdowns (office, jenis, sumber dana), number checks and a Wilayah sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Matriks Aksi 2"
    ws.append([safe_cell(title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    header_row = 3
    _header(ws, header_row, KEGIATAN_COLUMNS, ("no", "opd"))
    lists = wb.create_sheet("Daftar")
    for i, name in enumerate(offices, start=1):
        lists.cell(i, 1, safe_cell(name))
    for i, name in enumerate(SUMBER_DANA, start=1):
        lists.cell(i, 2, safe_cell(name))
    _kegiatan_checks(ws, header_row + 1, header_row + rows, len(offices))
    ws.freeze_panes = ws.cell(header_row + 1, 3)
    wil = wb.create_sheet("Wilayah")
    wil.append(["Kode Wilayah", "Kecamatan", "Kelurahan"])
    for r in kelurahan.sort_values("kode_kel").itertuples():
        wil.append([r.kode_kel, safe_cell(r.kecamatan), safe_cell(r.kelurahan)])
    for col, width in zip("ABC", (16, 18, 22)):
        wil.column_dimensions[col].width = width
    return _save_with_guide(wb, KEGIATAN_GUIDE, 120, target, overwrite)


def _header(ws, header_row: int, columns: list, blue: tuple[str, ...]) -> None:
    """The header row of a fill-in sheet: bold, wrapped, coloured (the key columns of kinds ``blue`` blue, the rest
    yellow), column widths."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append([c[0] for c in columns])
    for col, (name, width, kind) in enumerate(columns, start=1):
        cell = ws.cell(header_row, col)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DDEBF7" if kind in blue else "FFF2CC")
        ws.column_dimensions[get_column_letter(col)].width = width


def _kegiatan_checks(ws, first: int, last: int, n_offices: int) -> None:
    """Dropdowns and number checks on rows ``first``-``last`` of each column that has one; money as #,##0."""
    from openpyxl.utils import get_column_letter

    for col, (name, width, kind) in enumerate(KEGIATAN_COLUMNS, start=1):
        dv = _kegiatan_validation(kind, n_offices)
        if dv is None:
            continue
        letter = get_column_letter(col)
        ws.add_data_validation(dv)
        dv.add(f"{letter}{first}:{letter}{last}")
        if kind == "money":
            for r in range(first, last + 1):
                ws.cell(r, col).number_format = "#,##0"


def _kegiatan_validation(kind: str, n_offices: int):
    """The data validation of a column kind (office, jenis, sumber dana: lists; money, year: numbers), or None."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind == "opd":
        return DataValidation(type="list", formula1=f"Daftar!$A$1:$A${n_offices}", allow_blank=True, errorStyle="warning",
                              error="Pilih Perangkat Daerah dari daftar (nama lain tetap dibaca)", showErrorMessage=True)
    if kind == "jenis":
        return DataValidation(type="list", formula1='"spesifik,sensitif,koordinatif"', allow_blank=True,
                              error="Pilih spesifik, sensitif atau koordinatif", showErrorMessage=True)
    if kind == "sumber":
        return DataValidation(type="list", formula1=f"Daftar!$B$1:$B${len(SUMBER_DANA)}", allow_blank=True, errorStyle="warning",
                              error="Pilih sumber dana dari daftar", showErrorMessage=True)
    if kind == "money":
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                              error="Isi rupiah tanpa pemisah, >= 0", showErrorMessage=True)
    if kind == "year":
        return DataValidation(type="whole", operator="between", formula1="2000", formula2="2100", allow_blank=True,
                              error="Isi tahun, mis. 2023", showErrorMessage=True)
    return None
