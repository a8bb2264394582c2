"""XLSX writing (`rank --xlsx`, konvergensi's matrix workbook): cells typed and safe, header bold and frozen, and
rows streamed to the file (xlsxwriter's constant-memory mode), so a long table does not sit in memory as cell
objects; the same tables give the same bytes."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import openpyxl
import pandas as pd

from serang_gis.output.writers import write_table_xlsx, write_workbook


def test_cells_keep_their_types_and_formula_like_text_stays_text(tmp_path):
    frame = pd.DataFrame({"kode_kel": ["36.73.01.1001", "=HYPERLINK(\"x\")"], "balita": [np.int64(804), None],
                          "prevalensi": [12.5, np.nan], "opd": [("Dinkes", "DP3AKB"), "a\x07b"], "ok": [True, False]})
    write_table_xlsx(tmp_path / "p.xlsx", frame)
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    assert ws.title == "Peringkat" and ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["kode_kel", "balita", "prevalensi", "opd", "ok"] and all(c.font.b for c in ws[1])
    assert [c.value for c in ws[2]] == ["36.73.01.1001", 804, 12.5, "Dinkes, DP3AKB", True]
    assert [c.value for c in ws[3]] == ["'=HYPERLINK(\"x\")", None, None, "ab", False]
    assert ws["A2"].data_type == "s" and ws["B2"].data_type == "n" and ws["A3"].data_type == "s"  # a code stays text
    assert ws.max_row == 3  # every row, none dropped


def test_text_that_looks_like_a_number_or_a_link_stays_text(tmp_path):
    frame = pd.DataFrame({"kode": ["0012", "https://example.org/a", "1e5"], "n": [1.5, float("inf"), -2]})
    write_table_xlsx(tmp_path / "t.xlsx", frame)
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert [c.value for c in ws["A"]][1:] == ["0012", "https://example.org/a", "1e5"]
    assert all(c.data_type == "s" and c.hyperlink is None for c in ws["A"][1:])
    assert [c.value for c in ws["B"]][1:] == [1.5, None, -2]  # infinity has no cell value: empty, as a missing one


def test_the_same_tables_give_the_same_bytes(tmp_path):
    sheets = {"Kelurahan": pd.DataFrame({"kode": ["36.73.01.1001"], "pagu": [1.25e9]}), "Catatan": pd.DataFrame({"c": ["x"]})}
    write_workbook(tmp_path / "a.xlsx", sheets)
    time.sleep(1.1)  # a writer that stamped the clock (document dates, zip entry times) would differ now
    write_workbook(tmp_path / "b.xlsx", sheets)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_a_workbook_has_every_sheet_in_order(tmp_path):
    write_workbook(tmp_path / "m.xlsx", {"Kelurahan": pd.DataFrame({"a": [1, 2]}), "OPD=x": pd.DataFrame({"b": ["y"]}),
                                         "K" * 40: pd.DataFrame({"c": [3.5]})})
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    assert wb.sheetnames == ["Kelurahan", "OPD=x", "K" * 31]
    assert [r for r in wb["Kelurahan"].values] == [("a",), (1,), (2,)]
    assert wb["K" * 31]["A2"].value == 3.5 and all(wb[n].freeze_panes == "A2" for n in wb.sheetnames)


def test_rows_stream_to_the_file_instead_of_piling_up_as_cells(tmp_path):
    """15,000 rows x 5 columns: in openpyxl's normal mode 75,000 cell objects are held (about 20 MB) until the save;
    streamed, the memory the writer takes on top of the frame stays that of a few rows and the zip buffers."""
    n = 15_000
    frame = pd.DataFrame({"kode": [f"36.73.01.{i:04d}" for i in range(n)], "a": np.arange(n), "b": np.arange(n) / 7,
                          "c": ["teks"] * n, "d": np.arange(n) % 2 == 0})
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        write_table_xlsx(tmp_path / "big.xlsx", frame)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < 5 * 2**20, f"{peak / 2**20:.1f} MB"
    rows = openpyxl.load_workbook(tmp_path / "big.xlsx", read_only=True).active.iter_rows(values_only=True)
    assert sum(1 for _ in rows) == n + 1


def test_text_longer_than_a_cell_holds_is_cut_at_a_line_end_and_says_so(tmp_path):
    """Excel holds 32,767 characters in a cell (a kelurahan's list of 6,000 activities is longer): the cell keeps whole
    lines up to that and says how much was cut and where the full text is; nothing is cut silently."""
    lines = [f"Dinas {i}: kegiatan nomor {i} - Rp {i * 1000}" for i in range(2000)]
    long = "\n".join(lines)
    assert len(long) > 2 * 32767
    write_workbook(tmp_path / "l.xlsx", {"Kelurahan": pd.DataFrame({"daftar": [long, "pendek"]})}, lang="en")
    ws = openpyxl.load_workbook(tmp_path / "l.xlsx").active
    got = ws["A2"].value
    assert len(got) <= 32767 and ws["A3"].value == "pendek"
    kept, note = got.rsplit("\n", 1)
    assert long.startswith(kept + "\n") and kept.split("\n")[-1] in lines  # whole lines, in order
    assert note == f"… (cut: {len(long) - len(kept):,} more characters; Excel holds at most 32,767 characters in a cell; " \
                   "the full text is in the CSV and GeoPackage)"
