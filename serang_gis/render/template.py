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


def write_template(target, kelurahan: gpd.GeoDataFrame, *, title: str, overwrite: bool = False) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Data Sasaran"
    ws.append([safe_cell(title)])
    ws["A1"].data_type = "s"
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    header_row = 3
    _header(ws, header_row, COLUMNS, ("no", "key"))
    rows = kelurahan.sort_values("kode_kel")
    for i, r in enumerate(rows.itertuples(), start=1):
        # names are text: one starting with = + - @ gets an apostrophe, as in the CSV writer, never a live formula
        ws.append([i, r.kode_kel, safe_cell(r.kecamatan), safe_cell(r.kelurahan)] + [None] * (len(COLUMNS) - 4))
        for col in (2, 3, 4):
            ws.cell(ws.max_row, col).data_type = "s"
        ws.cell(header_row + i, 2).number_format = "@"  # codes stay text
    first, last = header_row + 1, header_row + len(rows)
    for col, (name, width, kind) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(col)
        rng = f"{letter}{first}:{letter}{last}"
        if kind == "count":
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                error="Isi bilangan bulat >= 0 (kosong = tidak ada data)", showErrorMessage=True)
        elif kind == "percent":
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                                error="Isi persen 0-100", showErrorMessage=True)
        elif kind == "odf":
            dv = DataValidation(type="list", formula1='"' + ",".join(ODF_CLASSES) + '"', allow_blank=True,
                                error="Pilih status dari daftar", showErrorMessage=True)
        else:
            continue
        ws.add_data_validation(dv)
        dv.add(rng)
    ws.freeze_panes = ws.cell(header_row + 1, 5)
    return _save_with_guide(wb, GUIDE, 110, target, overwrite)


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
