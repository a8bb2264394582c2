"""An XLSX reads exactly as the CSV of the same cells: the rows below the first ``HEAD_ROWS`` are turned into text
columns a chunk at a time (issue 24: a 1,000,000-row by-name export), so every test here runs with chunks of a few rows
and crosses many chunk boundaries."""

import csv
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from serang_gis import InputError
from serang_gis.read import tables
from serang_gis.read.tables import read_raw, read_table

from . import fixtures as F


@pytest.fixture(params=[3, 7, 50_000], ids=["chunk3", "chunk7", "chunk50000"])
def chunk(request, monkeypatch):
    monkeypatch.setattr(tables, "BODY_CHUNK", request.param)
    return request.param


def _write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)


def _text(v):
    """A cell as the CSV of the workbook holds it (what the user sees, dates in ISO form)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v).strip()


def _byname_rows(n_children=60):
    """A by-name export as cell values: NIKs and z-scores as text (as exports write them), heights and weights as real
    numbers, dates as real dates in some rows and as dd/mm/yyyy text in others."""
    import random

    rnd = random.Random(5)
    kels = F.kelurahan_list()
    rows = []
    for c in range(n_children):
        k = rnd.choice(kels)
        born = dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randint(0, 1200))
        for m in range(rnd.randint(1, 3)):
            day = dt.date(2024, rnd.choice([6, 7, 8]), 1 + 9 * m + rnd.randint(0, 8))
            z = round(rnd.gauss(-1.3, 1.2), 2)
            cls = "Sangat Pendek" if z < -3 else "Pendek" if z < -2 else "Normal"
            measured = day if c % 3 else day.strftime("%d/%m/%Y")
            rows.append([f"3673{c:012d}" if m == 0 or c % 5 else f" 3673{c:012d} ",
                         f"Anak  {c}", rnd.choice("LP"), born.strftime("%d/%m/%Y"), k.kecamatan.upper(),
                         k.kelurahan.upper(), measured, rnd.choice([7.5, 12.25, 10.0]), cls, f"{z}".replace(".", ",")])
    return rows


BYNAME_HEAD = ["NIK", "Nama", "JK", "Tgl Lahir", "Kec", "Desa/Kel", "Tanggal Pengukuran", "Berat", "TB/U", "ZS TB/U"]


def _byname_files(tmp_path, rows, blank_at=(40, 41, 97)):
    """The same by-name export as .xlsx (a title row, a blank row, then the header on row 3) and as .csv; blank rows
    among the data at ``blank_at`` (0-based data row positions)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DATA E-PPGBM KOTA SERANG"])
    ws.append([])
    ws.append(BYNAME_HEAD)
    out = [["DATA E-PPGBM KOTA SERANG"], [], BYNAME_HEAD]
    for i, r in enumerate(rows):
        if i in blank_at:
            ws.append([])
            out.append([""] * len(BYNAME_HEAD))
        ws.append(r)
        out.append([_text(v) for v in r])
    wb.save(tmp_path / "e.xlsx")
    _write_csv(tmp_path / "e.csv", [r + [""] * (len(BYNAME_HEAD) - len(r)) for r in out])
    return tmp_path / "e.xlsx", tmp_path / "e.csv"


def test_byname_xlsx_reads_as_its_csv(tmp_path, chunk):
    rows = _byname_rows()
    assert len(rows) > 3 * tables.HEAD_ROWS
    xlsx, csv_ = _byname_files(tmp_path, rows)
    rx, rc = read_raw(xlsx), read_raw(csv_)
    pd.testing.assert_frame_equal(rx.frame, rc.frame)  # values and dtypes, every row in its place, blank rows too
    assert rx.frame.iloc[:3, 7].tolist() == [_text(r[7]) for r in rows[:3]]  # 10.0 reads 10, 12.25 reads 12.25
    assert rx.frame.iloc[40].tolist() == rx.frame.iloc[42].tolist() == [""] * len(BYNAME_HEAD)
    assert rx.rows.tolist() == rc.rows.tolist() == list(range(4, 4 + len(rows) + 3))
    assert (rx.columns, rx.personal, rx.warnings, rx.titles) == (rc.columns, rc.personal, rc.warnings, rc.titles)
    blank_rows = rx.rows[(rx.frame == "").all(axis=1).to_numpy()].tolist()
    bx, bc = read_table(xlsx, period="2024"), read_table(csv_, period="2024")  # blank rows skipped and said, in both
    assert len(blank_rows) == 3 and bx.skipped == bc.skipped == [(r, "blank row") for r in blank_rows]
    pd.testing.assert_frame_equal(bx.data, bc.data)
    assert [str(n) for n in bx.notes] == [str(n) for n in bc.notes]
    xlsx, csv_ = _byname_files(tmp_path, rows, blank_at=())
    tx, tc = read_table(xlsx, period="2024"), read_table(csv_, period="2024")
    pd.testing.assert_frame_equal(tx.data, tc.data)
    assert tx.data["balita_diukur"].sum() == 60  # each child once
    assert [str(n) for n in tx.notes] == [str(n) for n in tc.notes]
    assert tx.quality == tc.quality and tx.warnings == tc.warnings


def test_byname_bad_cell_below_the_head_named_by_its_row_in_both_formats(tmp_path, chunk):
    rows = _byname_rows()
    rows[70][6] = "kemarin"  # not a date, far below the first rows
    rows[90][8] = "Agak Pendek"
    xlsx, csv_ = _byname_files(tmp_path, rows, blank_at=(40, 41))
    errors = []
    for path in (xlsx, csv_):
        with pytest.raises(InputError) as err:
            read_table(path, period="2024")
        errors.append(str(err.value).replace("e.xlsx[Sheet]", "FILE").replace("e.xlsx", "FILE").replace("e.csv", "FILE"))
    assert errors[0] == errors[1]
    # data row 70 sits below the title, blank and header rows and the two blank rows added above it
    assert "FILE:row 76:column 'Tanggal Pengukuran': not a date" in errors[0], errors[0]
    assert "FILE:row 96:column 'TB/U': not a TB/U class" in errors[0], errors[0]
    assert "kemarin" not in errors[0] and "Agak" not in errors[0]  # by-name cells never echoed


def _merged_values(path):
    """The sheet's cells as the user sees them: a merged range shows its top-left value in each of its cells."""
    ws = openpyxl.load_workbook(path).active
    grid = [[_text(c.value) for c in row] for row in ws.iter_rows()]
    for rng in ws.merged_cells.ranges:
        value = grid[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, rng.max_row):
            for c in range(rng.min_col - 1, rng.max_col):
                grid[r][c] = value
    return grid


def test_messy_aggregate_workbook_reads_as_its_csv(tmp_path, chunk):
    """Title rows, a two-row header with merged cells, kecamatan in merged cells down the rows, numbers as text with
    thousands dots, '-' for missing, subtotals, a blank row and a note under the table, percent cells."""
    truth = F.truth_aggregate()
    xlsx = tmp_path / "s.xlsx"
    F.write_messy_xlsx(xlsx, truth)
    wb = openpyxl.load_workbook(xlsx)
    ws = wb.active
    ws["I4"] = "Prevalensi"
    ws.merge_cells("I4:I5")
    for r in range(6, ws.max_row + 1):
        if ws.cell(r, 3).value:
            ws.cell(r, 9, 0.05 + (r % 7) / 100).number_format = "0.0%"
    ws.append([])
    ws.append(["Sumber: Dinas Kesehatan Kota Serang"])
    wb.save(xlsx)
    assert ws.max_row > 2 * tables.HEAD_ROWS
    grid = _merged_values(xlsx)
    for row in grid[5:]:  # the percent cells as shown: 12.0 for 0.12
        if row[8]:
            row[8] = f"{round(float(row[8]) * 100, 10):g}"
    _write_csv(tmp_path / "s.csv", grid)
    tx, tc = read_table(xlsx), read_table(tmp_path / "s.csv")
    pd.testing.assert_frame_equal(tx.data, tc.data)
    pd.testing.assert_frame_equal(tx.totals, tc.totals)
    assert tx.data["prevalensi"].between(5, 12).all() and tx.data["kecamatan"].ne("").all()
    assert (tx.skipped, tx.filled_kecamatan, tx.warnings, tx.raw.titles) == (tc.skipped, tc.filled_kecamatan, tc.warnings,
                                                                           tc.raw.titles)
    assert len(tx.data) == 68 and len(tx.totals) == 7


def test_sheet_with_text_only_below_the_head_is_not_called_empty(tmp_path):
    """A sheet whose first rows are blank and whose table starts lower down holds cells: the error is about its
    header, not "the file is empty"."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.cell(1, 1, " ")
    ws.cell(tables.HEAD_ROWS + 10, 1, "Desa/Kelurahan")
    ws.cell(tables.HEAD_ROWS + 11, 1, "Cipare")
    wb.save(tmp_path / "low.xlsx")
    with pytest.raises(InputError) as err:
        read_table(tmp_path / "low.xlsx")
    assert "is empty" not in str(err.value)
    ws.cell(tables.HEAD_ROWS + 10, 1).value = None
    ws.cell(tables.HEAD_ROWS + 11, 1).value = "  "
    wb.save(tmp_path / "blank.xlsx")
    with pytest.raises(InputError, match="the file is empty"):
        read_table(tmp_path / "blank.xlsx")
