"""A fill-in workbook (Data Sasaran) with every kelurahan prefilled; it reads back with ``join``."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from .export import _is_formula_like, atomic_path
from .fields import ODF_CLASSES

COLUMNS = [  # header, width, kind
    ("No", 5, "no"), ("Kode Wilayah", 15, "key"), ("Kecamatan", 16, "key"), ("Desa/Kelurahan", 22, "key"),
    ("Jumlah Keluarga", 12, "count"), ("Jumlah Keluarga Berisiko Stunting", 16, "count"),
    ("Jumlah Balita Diukur", 12, "count"), ("Balita Sangat Pendek", 12, "count"), ("Balita Pendek", 12, "count"),
    ("Status ODF", 18, "odf"), ("% KK Akses Jamban Sehat", 14, "percent"), ("KK Tanpa Jamban", 12, "count"),
]
GUIDE = [
    "Petunjuk pengisian (instructions)",
    "1. Isi satu baris per kelurahan; jangan ubah kolom Kode Wilayah, Kecamatan, Desa/Kelurahan.",
    "2. Angka ditulis tanpa pemisah ribuan atau dengan titik (1.234); persen dengan koma (12,5).",
    "3. Kosongkan sel bila tidak ada data: kosong berarti 'tidak ada data', bukan nol.",
    "4. Status ODF dipilih dari daftar: " + ", ".join(ODF_CLASSES) + ".",
    "5. Balita Pendek dan Sangat Pendek menurut TB/U (standar WHO); jumlah keduanya tidak boleh melebihi Balita Diukur.",
    "6. Jangan memasukkan data per nama (NIK, nama, alamat) ke lembar ini.",
    "Baca kembali dengan: serang-gis join --data FILE.xlsx -o joined.gpkg --report report.json",
]


def _safe(v):
    return "'" + v if _is_formula_like(v) else v


def write_template(target, kelurahan: gpd.GeoDataFrame, *, title: str, overwrite: bool = False) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Data Sasaran"
    ws.append([_safe(title)])
    ws["A1"].data_type = "s"
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([c[0] for c in COLUMNS])
    header_row = 3
    for col, (name, width, kind) in enumerate(COLUMNS, start=1):
        cell = ws.cell(header_row, col)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DDEBF7" if kind in ("no", "key") else "FFF2CC")
        ws.column_dimensions[get_column_letter(col)].width = width
    rows = kelurahan.sort_values("kode_kel")
    for i, r in enumerate(rows.itertuples(), start=1):
        # names are text: one starting with = + - @ gets an apostrophe, as in the CSV writer, never a live formula
        ws.append([i, r.kode_kel, _safe(r.kecamatan), _safe(r.kelurahan)] + [None] * (len(COLUMNS) - 4))
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
    guide = wb.create_sheet("Petunjuk")
    for line in GUIDE:
        guide.append([line])
    guide["A1"].font = Font(bold=True)
    guide.column_dimensions["A"].width = 110
    with atomic_path(target, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(target)
