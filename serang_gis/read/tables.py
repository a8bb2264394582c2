"""Read CSV/XLSX tables the way Indonesian offices write them into a tidy field table.

Handles title rows above the header, headers over two rows (merged cells, L/P sub-columns added
up), "No" columns, ``,`` ``;`` and tab separators, UTF-8 with or without BOM, UTF-16 and
Windows-1252, XLSX sheets with merged cells (read with calamine, streaming-fast). The result keeps
every row's number in the file so that any later message can point at it. Numbers are parsed by
``parse_number`` (``1.234``, ``12,5``, ``-`` for missing). A file that holds personal data (by-name
columns, or a NIK-like value) never has a cell value echoed in a message.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
import re
import zipfile
from pathlib import Path

import pandas as pd

from serang_gis.read.eppgbm import aggregate_byname
from serang_gis.read.stbm import aggregate_households, is_household
from serang_gis.core.errors import InputError, SchemaError
from serang_gis.core.fields import FIELD, ODF_CLASSES, ODF_MAP_PREFIX, header_key, odf_key, recognise, unqualified_jamban
from serang_gis.core.text import TEXT, Msg
from serang_gis.read import dated
from serang_gis.read.tablebase import MAX_ERRORS, MISSING, NIK_LIKE, NumberError, RawTable, Table, invalid_values, parse_number

HEADER_SCAN_ROWS = 30
MAX_LINE = 1_000_000  # characters: no office table has a line this long
PERSONAL_FIELDS = {"nik", "nama", "nama_ortu", "alamat", "tgl_lahir"}


SKIP = "-"  # the right side of a column mapping that leaves the column out


def parse_mapping(items) -> dict[str, str]:
    """['Jumlah Stunting=stunting', 'bukan ODF=Belum ODF', ...] -> {header_key: field, 'odf=<word>': class}.

    The right side is a field (a header mapping) or an ODF class (an extra ODF spelling); anything else
    is an error.
    """
    out = {}
    classes = {c.casefold(): c for c in ODF_CLASSES}
    for item in items or ():
        header, sep, fname = str(item).rpartition("=")
        fname = fname.strip()
        if not sep or not header.strip():
            raise InputError(f"cannot read column mapping {item!r}", hint='write it as "Header in the file=field", e.g. "Jumlah Stunting=stunting"')
        if fname.casefold() in classes:
            out[ODF_MAP_PREFIX + odf_key(header)] = classes[fname.casefold()]
            continue
        if fname == SKIP:  # "Jumlah Keluarga=-": a column left out on purpose (another table gives that field)
            out[header_key(header)] = SKIP
            continue
        if fname not in FIELD:
            raise InputError(f"column mapping {item!r}: {fname!r} is not a field (nor an ODF status)",
                             hint=f"fields: {', '.join(f for f in FIELD if FIELD[f].kind != 'byname')}; "
                                  f"ODF statuses: {', '.join(ODF_CLASSES)}; or - to leave the column out")
        out[header_key(header)] = fname
    return out


def mapping_from_config(path) -> dict[str, str]:
    """The ``[columns]`` table of a TOML file: ``"Header in the file" = "field"``."""
    import tomllib

    path = Path(path)
    try:
        cfg = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a BOM (Notepad) dropped
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read the config ({exc})") from None
    unknown = set(cfg) - {"columns"}
    if unknown:
        raise InputError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}", hint="a join config has one table: [columns]")
    cols = cfg.get("columns", {})
    if not isinstance(cols, dict) or not all(isinstance(v, str) for v in cols.values()):
        raise InputError(f"{path}: [columns] must map header text to a field name, e.g. \"Jumlah Stunting\" = \"stunting\"")
    return parse_mapping([f"{k}={v}" for k, v in cols.items()])


# ---- raw grids ------------------------------------------------------------------------------


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(f"{path}: starts like a UTF-16 text file but does not decode as one",
                             hint="save it again as CSV UTF-8 (Excel: File > Save As > CSV UTF-8)") from None
    head = data[:4096]
    control = sum(head.count(bytes([b])) for b in (*range(0, 9), *range(14, 32)))
    if head.count(b"\x00") > len(head) // 8 or control > len(head) // 20:  # UTF-16 without a BOM, or not text at all
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text[:2000]:
                return text, enc
        raise InputError(f"{path}: is not a text table (it holds binary data)",
                         hint="give a CSV/TSV text file or an .xlsx workbook")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:HEADER_SCAN_ROWS] if ln.strip()]
    best, score = ",", -1
    for d in (";", ",", "\t", "|"):
        counts = [ln.count(d) for ln in lines]
        # the separator splits most lines into the same number of cells
        common = max(set(counts), key=counts.count) if counts else 0
        s = common * sum(c == common for c in counts) if common else 0
        if s > score:
            best, score = d, s
    return best


_FORMULA_NO_VALUE = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
_CELL_OPEN = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"([^>]*)>')


def _sheet_part(zf: zipfile.ZipFile, index: int) -> str | None:
    """The zip member of the workbook's ``index``-th sheet (workbook order, through the relationships)."""
    try:
        book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return None
    ids = re.findall(r'<sheet\b[^>]*?r:id="([^"]+)"', book)
    if index >= len(ids):
        return None
    for rel in re.findall(r"<Relationship\b[^>]*/?>", rels):
        if f'Id="{ids[index]}"' in rel:
            target = re.search(r'Target="([^"]+)"', rel).group(1)
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _stream(zf: zipfile.ZipFile, part: str, overlap=b"<c "):
    """The member's bytes in 4 MB chunks, each starting at a cell boundary (no cell cut in two)."""
    with zf.open(part) as fh:
        tail = b""
        while chunk := fh.read(1 << 22):
            buf = tail + chunk
            cut = buf.rfind(overlap)
            if cut <= 0:
                tail = b""
                yield buf
            else:
                tail = buf[cut:]
                yield buf[:cut]
        if tail:
            yield tail


def _formulas_without_values(path: Path, sheet_index: int) -> list[str]:
    """Cells ('D12') holding a formula whose value was never computed (a workbook written by a program)."""
    found: list[str] = []
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_part(zf, sheet_index)
            if part is None:
                return []
            for buf in _stream(zf, part):
                if b"<f" not in buf:
                    continue
                for m in _FORMULA_NO_VALUE.finditer(buf):
                    found.append(m.group(1).decode() + m.group(2).decode())
                    if len(found) > MAX_ERRORS:
                        return found
    except (zipfile.BadZipFile, OSError, KeyError):
        return []
    return found


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _percent_columns(path: Path, sheet_index: int, upto: int) -> dict[int, set[int]]:
    """Per column, the rows (1-based, up to ``upto``) whose numeric cell is formatted as percent.

    Read from the styles and the first rows of the sheet's XML (openpyxl would parse the whole sheet first).
    """
    out: dict[int, set[int]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                styles = zf.read("xl/styles.xml").decode("utf-8", "replace")
            except KeyError:
                return {}
            percent_fmts = {9, 10}  # built-in 0% and 0.00%
            for fid, code in re.findall(r'<numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"', styles):
                if "%" in code.replace("\\%", ""):
                    percent_fmts.add(int(fid))
            xfs = re.search(r"<cellXfs\b.*?</cellXfs>", styles, re.S)
            if not xfs:
                return {}
            styles_pct = {i for i, xf in enumerate(re.findall(r"<xf\b[^>]*>", xfs.group(0)))
                          if int((re.search(r'numFmtId="(\d+)"', xf) or [0, "0"])[1]) in percent_fmts}
            if not styles_pct:
                return {}
            part = _sheet_part(zf, sheet_index)
            if part is None:
                return {}
            for buf in _stream(zf, part):
                for m in _CELL_OPEN.finditer(buf):
                    row = int(m.group(2))
                    if row > upto:
                        return out
                    attrs = m.group(3)
                    st_ = re.search(rb's="(\d+)"', attrs)
                    kind = re.search(rb't="(\w+)"', attrs)
                    if st_ and int(st_.group(1)) in styles_pct and (kind is None or kind.group(1) == b"n"):
                        out.setdefault(_col_index(m.group(1)), set()).add(row)
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}
    return out


def _choose_sheet(path: Path, sheet: str | None, period: str | None):
    """The calamine workbook, the index of the sheet to read (by name, or the one of ``period``) and its name; a clear
    error for what cannot open."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
    except Exception as exc:
        raise InputError(f"{path}: cannot open as an Excel workbook ({type(exc).__name__})",
                         hint="open it in Excel/LibreOffice and save it as .xlsx, or export CSV") from None
    if not names:
        raise InputError(f"{path}: the workbook has no sheets")
    if sheet is None:
        index = dated.sheet_for_period(path, names, period)
    elif sheet in names:
        dated.check_sheet_name(path, sheet, period)
        index = names.index(sheet)
    else:
        raise InputError(f"{path}: no sheet {sheet!r}; its sheets are {', '.join(names)}", hint="choose one with --sheet NAME")
    return wb, index, names[index]


def _load_sheet(wb, path: Path, index: int, name: str):
    try:
        return wb.get_sheet_by_index(index)
    except Exception as exc:
        raise InputError(f"{path} [{name}]: cannot read the sheet ({type(exc).__name__})",
                         hint="open it in Excel/LibreOffice and save it again as .xlsx") from None


HEAD_ROWS = HEADER_SCAN_ROWS + 2  # an XLSX's first rows kept as a grid of texts (header search, titles)
BODY_CHUNK = 50_000  # the rows below them are turned into text columns this many at a time


def _xlsx_grid(path: Path, sheet: str | None, period: str | None = None) -> tuple[list[list[str]], SheetBody, str]:
    """The cells of the sheet as text (``_cell_text``): the first ``HEAD_ROWS`` rows as a grid, the rows below as text
    columns (``SheetBody``), each chunk of rows converted as it is read, so a 1,000,000-row by-name export never sits
    in memory as a million Python lists. Percent cells read as the user sees them, merged ranges filled with their
    top-left value."""
    from concurrent.futures import ThreadPoolExecutor

    wb, index, name = _choose_sheet(path, sheet, period)
    with ThreadPoolExecutor(1) as pool:  # the formula scan (mostly zlib) beside calamine's load: both let go of the GIL
        scan = pool.submit(_formulas_without_values, path, index)
        ws = _load_sheet(wb, path, index, name)
        blank = scan.result()
    del wb
    if blank:
        raise InputError(f"{path} [{name}]: {len(blank)}{'+' if len(blank) > MAX_ERRORS else ''} cell(s) hold a formula "
                         f"with no computed value ({', '.join(blank[:10])}): they would read as no data",
                         hint="open the workbook in Excel or LibreOffice and save it (that computes the formulas), "
                              "or paste the values")
    try:
        rows = _sheet_rows(path, ws, index)
        grid = [[_cell_text(v) for v in row] for row in itertools.islice(rows, HEAD_ROWS)]
        body = SheetBody()
        while chunk := list(itertools.islice(rows, BODY_CHUNK)):
            body.add(chunk)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path} [{name}]: cannot read the sheet ({type(exc).__name__})",
                         hint="open it in Excel/LibreOffice and save it again as .xlsx") from None
    del rows, ws
    if sum(n for n, _ in body.chunks) >= BODY_CHUNK:  # a large sheet: its millions of cells are freed now
        _return_freed_memory()
    return grid, body, name


def _sheet_rows(path: Path, ws, index: int):
    """The sheet's rows (calamine values), each as the user sees it: percent cells x 100, merged cells filled."""
    start, end, merged = ws.start, ws.end, ws.merged_cell_ranges or []
    height = 0 if end is None else end[0] + 1
    # a cell formatted as percent holds 0.125 for "12.5 %": read what the user sees
    percent = _percent_columns(path, index, min(height, HEADER_SCAN_ROWS + 200))
    whole = {c: height > HEADER_SCAN_ROWS + 200 and len(rows) >= 3 for c, rows in percent.items()}
    starts: dict[int, list] = {}
    for (r0, c0), (r1, c1) in merged:
        starts.setdefault(r0, []).append((c0, r1, c1))
    lead = [""] * (start[1] if start else 0)  # calamine's rows begin at the first column holding data
    if not percent and not starts:  # a plain sheet (a by-name export): the rows as calamine gives them
        yield from map(lead.__add__, ws.iter_rows()) if lead else ws.iter_rows()
        return
    open_ranges = []
    for r, raw in enumerate(ws.iter_rows()):
        row = lead + raw if lead else raw
        for c, rows in percent.items():
            if c < len(row) and (r + 1 in rows or (whole[c] and r + 1 > HEADER_SCAN_ROWS + 200)):
                v = row[c]
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    row[c] = round(v * 100, 10)
        if r in starts:
            open_ranges += [(c0, r1, c1, row[c0]) for c0, r1, c1 in starts[r] if c0 < len(row)]
        if open_ranges:  # merged cells: the top-left value copied into the whole range (headers, kecamatan columns)
            open_ranges = [m for m in open_ranges if m[1] >= r]
            for c0, _, c1, value in open_ranges:
                row[c0:min(c1 + 1, len(row))] = [value] * (min(c1 + 1, len(row)) - c0)
        yield row


class SheetBody:
    """The rows of a sheet below its first ``HEAD_ROWS``, as text columns (arrow strings), added a chunk at a time."""

    def __init__(self):
        self.chunks: list[tuple[int, list]] = []  # (rows, one arrow array per column)
        self.width = 0
        self.filled = False  # a cell holds text

    def add(self, rows: list[list]) -> None:
        import pyarrow as pa

        if not rows:
            return
        width = max(map(len, rows))
        if min(map(len, rows)) < width:
            rows = [r + [""] * (width - len(r)) for r in rows]
        columns = []
        for j in range(width):
            values = list(map(operator.itemgetter(j), rows))  # column j (zip(*rows) is 3 x slower on 50,000 rows)
            if set(map(type, values)) == {str}:  # a text column (NIK, names, dates as text): the common case, fast
                texts = list(map(str.strip, values))
            else:
                texts = [v.strip() if type(v) is str else _cell_text(v) for v in values]
            self.filled = self.filled or any(texts)
            columns.append(pa.array(texts, pa.large_string()))
        self.width = max(self.width, width)
        self.chunks.append((len(rows), columns))

    def frame(self, head: list[list[str]], names: list[str]) -> pd.DataFrame:
        """The data rows of the grid's ``head`` then these rows, as a frame of ``str`` columns ``names``; the chunks are
        released column by column."""
        import pyarrow as pa

        if head:
            self.add(head)
            self.chunks.insert(0, self.chunks.pop())  # the head's rows come first
        dtype = pd.StringDtype("pyarrow", na_value=float("nan"))
        out = {}
        for j, name in enumerate(names):
            parts = [cols[j] if j < len(cols) else pa.array([""] * n, pa.large_string()) for n, cols in self.chunks]
            for _, cols in self.chunks:
                if j < len(cols):
                    cols[j] = None
            out[name] = pd.Series(pa.chunked_array(parts, pa.large_string()).combine_chunks(), dtype=dtype)
            del parts
        self.chunks = []
        return pd.DataFrame(out)


def _return_freed_memory() -> None:
    """Hand the memory freed by a loaded sheet back to the system: glibc keeps the pages of its millions of small cells
    (about 250 MB for a 1,000,000-row sheet), which the arrow columns and the work after cannot reuse. Nothing where the
    C library has no ``malloc_trim`` (macOS, Windows, musl)."""
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)  # the C library already loaded in the process
    except Exception:  # not glibc: the memory is simply left to the allocator
        pass


def _cell_text(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return ""
        if v.is_integer() and abs(v) < 1e16:
            return str(int(v))
        return repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v).strip()


_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?$")
_NUMBER_LIKE = re.compile(r"^[+-]?[\d.,]+%?$")


def _value_like(cell: str) -> bool:
    """A cell that is a value (NIK, date, number), never a header."""
    return bool(cell) and bool(NIK_LIKE.match(cell) or _DATE_LIKE.match(cell))


_SUB = re.compile(r"^(?P<base>.*\S)\s+(?P<sub>l|p|lk|pr|laki laki|laki|perempuan|jml|jumlah|total|l p|l dan p)$")
SEX = {"l", "p", "lk", "pr", "laki laki", "laki", "perempuan"}


def _field_of(header: str, mapping: dict[str, str], recogniser=recognise) -> tuple[str | None, str | None]:
    """(field, sub-column) of a header: 'Balita Pendek L' -> ('pendek', 'l'); sub is None without one (and for a header
    mapped to ``SKIP``)."""
    key = header_key(header)
    if mapping.get(key) == SKIP:
        return None, None
    f = mapping.get(key) or recogniser(header)
    m = _SUB.match(key)
    if m:
        base = mapping.get(m.group("base")) or recogniser(m.group("base"))
        if base:
            return base, m.group("sub")
    return f, None


def _find_header(grid: list[list[str]], mapping: dict[str, str], recogniser=recognise) -> tuple[int, int, list[str]]:
    """(first header row index, number of header rows, header texts) maximising recognised fields.

    A row holding a value (a NIK, a date) is never taken for a header.
    """

    def fields_of(headers):
        found = set()
        for h in headers:
            f, _ = _field_of(h, mapping, recogniser)
            if f and f != "no":
                found.add(f)
        return found

    def subs_of(headers):  # L/P (or Jml) sub-columns under a recognised parent: the second row belongs to the header
        return sum(1 for h in headers if _field_of(h, mapping)[1])

    best = (0, 0, 1, [])
    for i in range(min(HEADER_SCAN_ROWS, len(grid))):
        row = grid[i]
        if any(_value_like(c) for c in row):
            continue
        candidates = [(1, row)]
        nxt = grid[i + 1] if i + 1 < len(grid) else None
        if nxt is not None and any(row) and not any(_value_like(c) for c in nxt):
            parent, combined, last = [], [], ""  # two-row header: parent text spread over blank (merged) cells
            for cell in row:
                last = cell or last
                parent.append(last)
            for p, c in zip(parent, nxt + [""] * (len(parent) - len(nxt))):
                combined.append(f"{p} {c}".strip() if c and c != p else p)
            candidates.append((2, combined))
        for n, headers in candidates:
            score = len(fields_of(headers))
            # on a tie, fewer header rows win (the upper row added nothing)
            tie_fewer = score == best[0] and n == 1 and best[2] == 2 and i == best[1] + 1
            tie_subs = score == best[0] and n == 2 and best[1] == i and best[2] == 1 and subs_of(headers) > 0
            if score > best[0] or (score and (tie_fewer or tie_subs)):
                best = (score, i, n, headers)
    score, i, n, headers = best
    return i, n, headers


def _headers_seen(grid: list[list[str]]) -> str:
    """The first row that reads as a header (no NIK, date or number in it): header cells only, never values."""
    for row in grid[:HEADER_SCAN_ROWS]:
        cells = [c for c in row if c]
        if not cells:
            continue
        if any(_value_like(c) or _NUMBER_LIKE.match(c) for c in cells):
            return "(none shown: the first rows hold values, not headers)"
        if len(cells) >= 2:
            return ", ".join(cells)[:300]
    return "(none)"


def _csv_grid(path: Path) -> tuple[list[list[str]], str, str, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    text, encoding = _decode(data, path)
    long_line = re.search(r"[^\n]{%d,}" % MAX_LINE, text)
    if long_line:
        row = text.count("\n", 0, long_line.start()) + 1
        raise InputError(f"{path}: row {row} is over {MAX_LINE:,} characters long: this is not a table row",
                         hint="check that the file is the CSV export (one row per line), or that no quote \" is left open on that row")
    delimiter = _sniff_delimiter(text[:20000])
    head_text = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS + 2])
    try:
        head = list(csv.reader(io.StringIO(head_text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"{path}: cannot read the first rows as CSV ({exc})", hint="save the table again as CSV") from None
    grid = [[c.strip() for c in r] for r in head]
    return grid, text, encoding, delimiter


def _csv_body(path: Path, text: str, delimiter: str, first_data: int, names: list[str], personal: bool) -> pd.DataFrame:
    """Data rows of a CSV as text cells; ragged rows and open quotes stop with their row numbers."""
    width = len(names)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, skiprows=first_data, dtype=str,
                            keep_default_na=False, na_values=[], skip_blank_lines=False, engine="c",
                            names=list(range(width)), index_col=False, on_bad_lines="error")
    except pd.errors.EmptyDataError:
        return pd.DataFrame({n: pd.Series(dtype=str) for n in names})
    except pd.errors.ParserError as exc:
        msg = str(exc)
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
        if m:
            raise InputError(f"{path}: row {m.group(2)} has {m.group(3)} cells but the header has {m.group(1)} columns",
                             hint="a separator too many in that row (a decimal comma in a comma-separated file?): "
                                  "quote the cell or save the file again from Excel") from None
        m = re.search(r"EOF inside string starting at row (\d+)", msg)
        if m:
            raise InputError(f"{path}: row {int(m.group(1)) + first_data + 1}: a quote \" is opened and never closed",
                             hint="close the quote in that row, or remove it") from None
        raise InputError(f"{path}: cannot read the rows as CSV ({msg.splitlines()[0][:200]})",
                         hint="save the table again as CSV from Excel/LibreOffice") from None
    if frame.shape[1] != width:  # an empty body gives fewer columns
        for c in range(frame.shape[1], width):
            frame[c] = ""
    # a row with fewer cells than the header (pandas pads it silently): count the cells of every record
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE + 1))
    short = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for n, record in enumerate(reader, start=1):
        if n > first_data and 1 < len(record) < width:
            short.append(n)
    if short:
        rows = ", ".join(map(str, short[:10])) + (" ..." if len(short) > 10 else "")
        raise InputError(f"{path}: {len(short)} row(s) have fewer cells than the header's {width} columns (rows {rows})",
                         hint="a separator is missing in those rows: complete them, or save the file again from Excel")
    frame.columns = names
    return frame.apply(lambda s: s.str.strip())


def read_raw(path: str | Path, *, sheet: str | None = None, mapping: dict[str, str] | None = None,
             recogniser=recognise, required: dict[str, str] | None = None, period: str | None = None) -> RawTable:
    """Read a CSV or XLSX file into a RawTable (cells as text).

    ``recogniser`` (header text -> field name or None) and ``required`` ({field: what it is}, one of
    them must be found) let other tables than Data Sasaran (e.g. the Aksi 2 activity matrix) use
    the same header detection; the default reads Data Sasaran tables.
    """
    path = Path(path)
    mapping = mapping or {}
    given_sheet = sheet
    grid, sheet, rest, encoding, delimiter = _grid(path, sheet, period)
    h0, nh, headers = _find_header(grid, mapping, recogniser)
    if recogniser is recognise:
        _refuse_unqualified_jamban(path, headers, mapping, h0 + nh)
    scan = grid[: HEADER_SCAN_ROWS + 2]
    personal = any(NIK_LIKE.match(c) for r in scan for c in r if c)
    names, fields_found, parts, ignored = _columns(path, headers, mapping, recogniser)
    if personal or (PERSONAL_FIELDS & fields_found.keys()):
        personal = True
    _check_required(path, fields_found, required, grid, None if given_sheet else sheet)
    first_data = h0 + nh  # 0-based index of the first data line/row
    if isinstance(rest, SheetBody):
        frame = rest.frame(grid[first_data:], names)
        del grid[first_data:]  # the rows are in the frame now; only the title rows above the header are used below
    else:
        frame = _csv_body(path, rest, delimiter, first_data, names, personal)
    del rest
    if frame.empty:
        raise InputError(f"{path.name}: the header (row {h0 + nh}) is followed by no data rows",
                         hint="add one row per kelurahan under the header")
    if not personal:
        sample = frame.head(500)
        personal = any(sample[c].str.match(NIK_LIKE).any() for c in sample.columns)
    rows = pd.Series(range(first_data + 1, first_data + 1 + len(frame)), index=frame.index)
    odf_words = {k[len(ODF_MAP_PREFIX):]: v for k, v in mapping.items() if k.startswith(ODF_MAP_PREFIX)}
    titles = [(r + 1, " ".join(c for c in grid[r] if c)) for r in range(h0) if any(grid[r])]
    warnings = _resembling(ignored, mapping, fields_found) if recogniser is recognise else []
    return RawTable(path, sheet, frame.fillna(""), rows, tuple(range(h0 + 1, h0 + nh + 1)), fields_found, ignored,
                    encoding, delimiter, personal, parts, odf_words, titles, warnings, [list(r) for r in grid[:h0]])


def _other_sheets(path: Path, current: str | None) -> str:
    """' The other sheets holding cells: A, B; choose one with --sheet' (an XLSX read at its default sheet), or ''."""
    if current is None or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return ""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        full = [n for n in wb.sheet_names if n != current
                and any(c not in (None, "") for row in wb.get_sheet_by_name(n).to_python()[:HEADER_SCAN_ROWS] for c in row)]
    except Exception:  # the hint is a courtesy: a sheet that cannot be read is simply not named
        return ""
    if not full:
        return ""
    return (f"; sheet {current!r} was read (the first); the sheet(s) holding cells: {', '.join(repr(n) for n in full)}: "
            f'choose one with --sheet "{full[0]}" (the atlas config: sheet = "{full[0]}" in the [[data]] table)')


_UNITS = re.compile(r"\b(org|orang|jiwa|anak|kk|rt|ruta|keluarga|persen|jml|jumlah|total|data|thn|tahun)\b")


_NOT_AT_RISK = re.compile(r"\b(tidak|bukan|non)( beresiko| berisiko| risiko)\b")  # families NOT at risk: not keluarga_berisiko


def _resembling(ignored: list[str], mapping: dict[str, str], found: dict[str, str]) -> list[str]:
    """Headers not read that look like a known field ("Stunting (jiwa)"): a warning naming the field, never a guess."""
    from rapidfuzz import fuzz

    from serang_gis.core.fields import FIELDS, INDICATORS

    out = []
    for h in ignored:
        key = header_key(h)
        if not key or key in mapping or key.startswith("column ") or _NOT_AT_RISK.search(key):
            continue
        bare = " ".join(_UNITS.sub(" ", key).replace("di ukur", "diukur").split())
        f = recognise(bare) if bare else None
        if f not in INDICATORS:
            best = max(((max(fuzz.ratio(key, header_key(e)), fuzz.token_sort_ratio(key, header_key(e)) - 5), x.name, e)
                        for x in FIELDS if x.name in INDICATORS for e in x.examples), default=(0, None, None))
            f = best[1] if best[0] >= 85 else None
        if f in INDICATORS:
            also = Msg("read.w_resembling_also", field=f, header=found[f]) if f in found else ""
            out.append(Msg("read.w_resembling", header=h, field=f, also=also,
                           label=Msg(f"ind.{f}") if f"ind.{f}" in TEXT["en"] else FIELD[f].label))
    return out


def _refuse_unqualified_jamban(path: Path, headers: list[str], mapping: dict[str, str], header_row: int) -> None:
    """A plain "Akses Jamban (%)" may be any jamban or a proper (sehat/layak) one: refused until the user says which."""
    for col, h in enumerate(headers):
        if h and header_key(h) not in mapping and unqualified_jamban(h):
            raise SchemaError(
                f"{path.name}: row {header_row}, column {col + 1} {h!r}: jamban access without a qualifier may mean any "
                "jamban or a proper (sehat/layak) one; the sanitation gap (kesenjangan_sanitasi) needs the proper share, "
                "so it is not guessed",
                hint=f'say which: --map "{h}=jamban_layak_persen" (sehat/layak), --map "{h}=jamban_persen" (any jamban) or '
                     f'--map "{h}=jamban_aman_persen" (safely managed); or in a join config\'s [columns] "{h}" = "jamban_layak_persen" '
                     f'(an atlas config: columns = {{ "{h}" = "jamban_layak_persen" }} in this file\'s [[data]] table)')


def _grid(path: Path, sheet: str | None, period: str | None = None) -> tuple[list[list[str]], str | None, SheetBody | str,
                                                                          str | None, str | None]:
    """The cells as text by the file's format: (grid, sheet, rest, encoding, delimiter). The grid holds the first rows;
    ``rest`` is an XLSX's rows below them (``SheetBody``) or a CSV's whole text."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a table file", hint="give a .csv, .tsv or .xlsx file")
    suffix = path.suffix.lower()
    encoding = delimiter = text = body = None
    given_sheet = sheet
    if suffix in (".xlsx", ".xlsm"):
        grid, body, sheet = _xlsx_grid(path, sheet, period)
        width = max([body.width, *map(len, grid)])
        for r in grid:
            if len(r) < width:
                r.extend([""] * (width - len(r)))
    elif suffix in (".csv", ".txt", ".tsv"):
        grid, text, encoding, delimiter = _csv_grid(path)
        if suffix == ".tsv":
            delimiter = "\t"
    elif suffix == ".xls":
        raise InputError(f"{path}: old Excel .xls files are not read", hint="open it in Excel/LibreOffice and save as .xlsx or CSV")
    else:
        raise InputError(f"{path}: unknown table format {suffix!r}", hint="give a .csv, .tsv, .txt or .xlsx file")
    if not any(any(c for c in r) for r in grid) and not (body and body.filled):
        other = _other_sheets(path, None if given_sheet else sheet).lstrip("; ")
        raise InputError(f"{path}: the file is empty" + (f" (sheet {sheet!r})" if sheet else ""),
                         hint=other or "give the table with a header row and one row per kelurahan")
    return grid, sheet, body or text, encoding, delimiter


def _header_of(name: str, raw: RawTable) -> str:
    """A frame column as the user knows it: 6 'Keterangan' for an unrecognised one (``_Keterangan_5``), else its header."""
    m = re.fullmatch(r"_(.*)_(\d+)", name)
    return f"{int(m.group(2)) + 1} {m.group(1)!r}" if m else repr(raw.columns.get(name, name))


def _columns(path: Path, headers: list[str], mapping: dict[str, str], recogniser) -> tuple[list[str], dict, dict, list[str]]:
    """The column names of the frame (a field's name for the column kept for it, ``field__j`` for its L/P parts),
    the header(s) each field was read from, the parts to add up and the headers ignored."""
    by_field: dict[str, list[tuple[int, str | None]]] = {}
    for col, h in enumerate(headers):
        f, sub = _field_of(h, mapping, recogniser)
        if f:
            by_field.setdefault(f, []).append((col, sub))
    names = [f"_{h or f'column {col + 1}'}_{col}" for col, h in enumerate(headers)]
    fields_found, parts, ignored = {}, {}, []
    for f, cols in by_field.items():
        keep = _kept_columns(path, f, cols, headers, mapping)
        if len(keep) == 1:
            names[keep[0]] = f
        else:
            parts[f] = []
            for j, c in enumerate(keep):
                names[c] = f"{f}__{j}"
                parts[f].append(names[c])
        fields_found[f] = " + ".join(headers[c] for c in keep)
        ignored += [headers[c] for c, _ in cols if c not in keep and headers[c]]
    for col, h in enumerate(headers):
        if h and not any(col in [c for c, _ in cols] for cols in by_field.values()):
            ignored.append(h)
    return names, fields_found, parts, ignored


def _kept_columns(path: Path, f: str, cols: list[tuple[int, str | None]], headers: list[str], mapping: dict) -> list[int]:
    """Which of the columns read as field ``f`` to take: a total sub-column, else a plain one, else the L/P
    parts of a count (to add up), else the first. Two columns that both read as one indicator are refused
    unless the mapping names one of them (the other is then ignored)."""
    from serang_gis.core.fields import INDICATORS

    totals = [c for c, sub in cols if sub in ("jml", "jumlah", "total", "l p", "l dan p")]
    plain = [c for c, sub in cols if sub is None]
    sexes = [c for c, sub in cols if sub in SEX]
    for group in (totals, plain):
        named = [c for c in group if mapping.get(header_key(headers[c])) == f]
        if len(named) == 1:
            return named
        if len(group) > 1 and f in INDICATORS:
            _duplicate_columns(path, f, group, headers)
    if totals:
        return [totals[0]]
    if plain:
        return [plain[0]]
    if len(sexes) >= 2 and f in FIELD:  # L/P parts of an office count (other tables' fields are not split)
        if FIELD[f].kind != "count":
            raise SchemaError(f"{path.name}: {FIELD[f].label} is split into L/P sub-columns "
                              f"({', '.join(repr(headers[c]) for c in sexes)}); a {FIELD[f].kind} cannot be added up",
                              hint=f'name the column to use with --map "{headers[sexes[0]]}={f}", or add a total column')
        return sexes
    return [cols[0][0]]


def _duplicate_columns(path: Path, f: str, group: list[int], headers: list[str]) -> None:
    """Two columns that both read as one field: which one holds the figures is not guessed."""
    shown = ", ".join(f"column {c + 1} {headers[c]!r}" for c in group)
    raise SchemaError(f"{path.name}: {len(group)} columns read as {f} ({FIELD[f].label}): {shown}; which one holds the "
                      "figures is not guessed (one may be a hidden column of the workbook)",
                      hint=f'choose one with --map "{headers[group[0]]}={f}" (or the atlas config\'s columns = '
                           f'{{ "{headers[group[0]]}" = "{f}" }}); the other is then ignored, or delete the extra column')


def _check_required(path: Path, fields_found: dict, required: dict[str, str] | None, grid: list[list[str]],
                    default_sheet: str | None = None) -> None:
    """One of the ``required`` fields (by default: a kelurahan or a code column) must be there."""
    if required is not None:
        if not any(f in fields_found for f in required):
            raise SchemaError(
                f"{path.name}: cannot find a {' or '.join(required.values())} column in the first {HEADER_SCAN_ROWS} rows",
                hint="headers seen: " + _headers_seen(grid) + _other_sheets(path, default_sheet))
    elif not any(f in fields_found for f in ("kode", "kelurahan")):
        raise SchemaError(
            f"{path.name}: cannot find a kelurahan/desa column or a code column in the first {HEADER_SCAN_ROWS} rows",
            hint='name it with --map "Header in the file=kelurahan" (or =kode); headers seen: ' + _headers_seen(grid)
                 + _other_sheets(path, default_sheet),
        )


# ---- tidy aggregated tables -----------------------------------------------------------------

_TOTAL = re.compile(r"^(jumlah|total|sub ?total|grand total|jml)\b", re.IGNORECASE)
_REGION_LABEL = re.compile(r"^(kota|kab|kabupaten|kec|kecamatan)\b\.?", re.IGNORECASE)
_SCIENTIFIC = re.compile(r"^'?\s*\d+([.,]\d+)?\s*[eE]\s*\+?\s*\d+$")
HEADER_AGAIN = "the header repeated"
_TOWN_LABEL = re.compile(r"^(kota|kab|kabupaten)\b", re.IGNORECASE)  # "Kota Baru" may also be a kelurahan


def _sum_parts(raw: RawTable, problems: list[str]) -> pd.DataFrame:
    """Add up L/P sub-columns into their field (as text cells, parsed again later)."""
    f = raw.frame
    if not raw.parts:
        return f
    f = f.copy()
    for fname, cols in raw.parts.items():
        total = []
        for i in range(len(f)):
            vals, missing = [], []
            for c in cols:
                cell = f[c].iat[i]
                try:
                    v = parse_number(cell, integer=True)
                except NumberError as exc:
                    problems.append(f"{raw.loc(i, c)}: {raw.show(cell)}{exc}")
                    continue
                if v is None:
                    missing.append(c)
                else:
                    vals.append(v)
            if vals and missing:
                problems.append(f"{raw.loc(i, missing[0])}: is empty while the other sub-column of {raw.columns[fname]!r} "
                                "has a figure (fill both L and P, or neither)")
            total.append("" if not vals else str(int(sum(vals))))
        f[fname] = total
        f = f.drop(columns=cols)
    return f


def tidy_aggregate(raw: RawTable) -> Table:
    """Classify rows (data, total, group header, blank), fill kecamatan down, parse and check values."""
    from serang_gis.core.fields import COUNTS, PERCENTS

    problems: list[str] = []
    f = _sum_parts(raw, problems)
    inds = [c for c in f.columns if c in COUNTS or c in PERCENTS or c == "status_odf"]
    if not inds:
        raise SchemaError(f"{raw.path.name}: no indicator column recognised (headers: {', '.join(raw.columns.values())})",
                          hint='name the columns with --map "Header=field"; see docs/columns.md for the fields')
    cells = _AggregateCells(raw, f, inds, problems)
    rows, skipped, filled = cells.classify()
    cells.check_codes(rows["data"] + rows["maybe"])
    data = cells.parsed(rows["data"])
    maybe = cells.parsed(rows["maybe"])
    totals = cells.parsed(rows["total"], fill=False)  # a total row's scope is in its own cells
    totals.insert(1, "label", [cells.label(i) for i in rows["total"]])
    if cells.unknown_odf:
        _unknown_odf_error(raw, cells.unknown_odf)
    _check_counts(raw, data, rows["data"], problems)
    if problems:
        raise invalid_values(problems, raw.path)
    notes, warnings = [], []
    if filled:
        notes.append(Msg("read.filled_kecamatan", n=filled))
    for fname, cols_ in raw.parts.items():
        notes.append(Msg("read.parts", header=raw.columns[fname], n=len(cols_), field=fname))
    repeated = [r for r, why in skipped if why == HEADER_AGAIN]
    if repeated:
        notes.append(Msg("read.header_again", rows=", ".join(map(str, repeated[:10]))))
    _fraction_percents(raw, data, warnings)
    return Table(raw, "aggregate", data, totals, skipped, filled, None, notes, maybe=maybe, warnings=warnings,
                 filled_rows=set(cells.filled_rows))


class _AggregateCells:
    """The cells of an aggregated table as plain lists (row loops over pandas cells are slow): rows
    classified, kecamatan filled down, values parsed; bad cells go to ``problems``, unknown ODF words
    (with their rows) to ``unknown_odf``."""

    def __init__(self, raw: RawTable, f: pd.DataFrame, inds: list[str], problems: list[str]):
        self.raw, self.inds, self.problems = raw, inds, problems
        self.n = len(f)
        self.has_kecamatan = "kecamatan" in f.columns
        self.text_cols = [c for c in ("kode", "kecamatan", "kelurahan") if c in f.columns]
        self.label_cols = [c for c in f.columns if c not in inds]
        first_ind = min(list(f.columns).index(c) for c in inds)
        # a total is said in a key column or left of the figures ("No" merged over "Jumlah"), never in a notes column
        self.total_cols = [c for c in self.label_cols if c in self.text_cols or list(f.columns).index(c) < first_ind]
        self.cols = {c: f[c].tolist() for c in f.columns}
        self.file_rows = raw.rows.tolist()
        self.kec_fill: list[str] = []  # the kecamatan in force on each row
        self.filled_rows: list[int] = []  # file rows of data whose blank kecamatan cell was filled from above
        self.unknown_odf: dict[str, list[int]] = {}
        self.as_header = {c: self._reads_as_header(c) for c in (*self.text_cols, *inds) if raw.columns.get(c)}

    def _reads_as_header(self, c: str) -> list[bool]:
        """Per row: whether column ``c``'s cell reads as its own header (``header_key`` once per distinct cell, not per
        row: a national table repeats few values in its figure columns and was keyed 6.6 million times)."""
        key, seen = header_key(self.raw.columns[c]), {}
        return [seen[v] if v in seen else seen.setdefault(v, header_key(v) == key) for v in self.cols[c]]

    def classify(self) -> tuple[dict[str, list[int]], list[tuple[int, str]], int]:
        """Indexes of the data, total and maybe (a town name: kelurahan or heading?) rows, the rows skipped
        with the reason, and on how many data rows the kecamatan was filled down."""
        rows = {"data": [], "total": [], "maybe": []}
        skipped, current_kec, filled = [], "", 0
        for i in range(self.n):
            kind, current_kec, why = self._row_kind(i, current_kec)
            if kind == "skip":
                skipped.append((self.file_rows[i], why))
            else:
                rows[kind].append(i)
            if kind == "data" and not self.cell("kecamatan", i) and current_kec and self.has_kecamatan:
                filled += 1
                self.filled_rows.append(self.file_rows[i])
            self.kec_fill.append(current_kec)
            if kind == "total" and any(_TOTAL.match(self.cols[c][i]) for c in self.label_cols if self.cols[c][i]):
                current_kec = ""  # a "Jumlah" row closes its group: a blank cell below it is not filled from above it
        return rows, skipped, filled

    def _header_again(self, i: int) -> bool:
        """The header row pasted again (a page break of a printed export): at least two cells read as their header."""
        cols = [c for c in self.as_header if self.cols[c][i]]
        same = sum(1 for c in cols if self.as_header[c][i])
        return same >= 2 and 2 * same >= len(cols)  # never one cell alone ("ODF" under a header "ODF")

    def check_codes(self, idx: list[int]) -> None:
        """A code cell written in scientific notation (3,67301E+09) lost its last digits: named, never matched."""
        if "kode" not in self.cols:
            return
        for i in idx:
            cell = self.cols["kode"][i]
            if _SCIENTIFIC.match(cell):
                self.problems.append(f"{self.raw.loc(i, 'kode')}: {self.raw.show(cell)}is a code in scientific notation: its "
                                     "last digits are lost (format the column as Text in the spreadsheet and type or paste "
                                     "the full codes again)")

    def cell(self, column: str, i: int) -> str:
        return self.cols[column][i] if column in self.cols else ""

    def _row_kind(self, i: int, current_kec: str) -> tuple[str, str, str | None]:
        """("data" | "total" | "maybe" | "skip", the kecamatan in force from this row on, why it is skipped)."""
        cols, personal = self.cols, self.raw.personal
        has_values = any(cols[c][i] not in MISSING for c in self.inds)
        labels = [cols[c][i] for c in self.label_cols if cols[c][i]]
        if not labels and not has_values:
            return "skip", current_kec, "blank row"
        if self._header_again(i):
            return "skip", current_kec, HEADER_AGAIN
        kel, code, kec = self.cell("kelurahan", i), self.cell("kode", i), self.cell("kecamatan", i)
        total_labels = [kel] if kel else [cols[c][i] for c in self.total_cols if cols[c][i]]
        if any(_TOTAL.match(lbl) for lbl in total_labels):
            return "total", current_kec, None
        if kel and not code and _REGION_LABEL.match(kel) and (not kec or kec == kel):
            if _TOWN_LABEL.match(kel) and not kec:
                # "Kota Baru": a kelurahan of Kec. Serang, or "KOTA SERANG" written as a heading/total: the join decides
                return "maybe", current_kec, None
            # "KECAMATAN SERANG" written where a kelurahan would be: a subtotal (or heading) of the rows below
            if has_values:
                return "total", _REGION_LABEL.sub("", kel).strip(" ."), None
            return "skip", _REGION_LABEL.sub("", kel).strip(), "group heading" if personal else f"group heading {kel!r}"
        if kec:
            current_kec = kec
        if not kel and not code:
            if kec and has_values:
                return "total", current_kec, None  # a kecamatan line with figures and no kelurahan: a subtotal
            return "skip", current_kec, self._skip_reason(i)
        return "data", current_kec, None

    def label(self, i: int) -> str:
        """The key / left-of-figures text of row i (a total's label); never a notes column's text."""
        return " ".join(v for v in (self.cols[c][i] for c in self.total_cols) if v)

    def _skip_reason(self, i: int) -> str:
        """Why a row without kelurahan or code is skipped: its key text quoted (not for by-name data); text in other
        columns (Keterangan and other notes, which may name a child) only by its column's header."""
        keys = [self.cols[c][i] for c in self.total_cols if self.cols[c][i]]
        others = [c for c in self.label_cols if c not in self.total_cols and self.cols[c][i]]
        if self.raw.personal:
            return "group heading"
        said = f"group heading {' '.join(keys)!r}" if keys else "no kelurahan"
        if others:
            said += f" (text in column {', '.join(_header_of(c, self.raw) for c in others)}, not shown)"
        return said

    def parsed(self, idx: list[int], fill: bool = True) -> pd.DataFrame:
        """The rows ``idx``: file row, key texts (kecamatan filled down with ``fill``), parsed values."""
        from serang_gis.core.fields import COUNTS, PERCENTS

        out = pd.DataFrame({"row": [self.file_rows[i] for i in idx]}, dtype="int64")
        for c in self.text_cols:
            out[c] = [self.cols[c][i] for i in idx]
        if self.has_kecamatan and fill:
            out["kecamatan"] = [self.kec_fill[i] for i in idx]
        for c in self.inds:
            vals = self._odf(idx) if c == "status_odf" else self._numbers(c, idx)
            out[c] = pd.array(vals, dtype="Int64" if c in COUNTS else ("Float64" if c in PERCENTS else "string"))
        return out

    def _odf(self, idx: list[int]) -> list[str | None]:
        from serang_gis.core.fields import odf_class

        vals = []
        for i in idx:
            cell = self.cols["status_odf"][i]
            if cell in MISSING:
                vals.append(None)
            else:
                cls = odf_class(cell, self.raw.odf_words)
                if cls is None:
                    self.unknown_odf.setdefault(cell, []).append(self.file_rows[i])
                vals.append(cls)
        return vals

    def _numbers(self, c: str, idx: list[int]) -> list:
        """The numbers of column ``c``: a count whole, no negative, no percentage above 100."""
        from serang_gis.core.fields import COUNTS, PERCENTS

        raw, vals, parsed = self.raw, [], {}  # each distinct cell parsed once (a figure column repeats its values)
        if c in COUNTS:
            _no_yes_no_list(raw, c, {str(self.cols[c][i]).strip().lower() for i in idx} - {""} - set(MISSING))
        for i in idx:
            cell = self.cols[c][i]
            if cell not in parsed:
                try:
                    parsed[cell] = parse_number(cell, integer=c in COUNTS)
                except NumberError as exc:
                    parsed[cell] = exc
            v = parsed[cell]
            if isinstance(v, NumberError):
                self.problems.append(f"{raw.loc(i, c)}: {raw.show(cell)}{v}")
                v = None
            if v is not None and v < 0:
                self.problems.append(f"{raw.loc(i, c)}: {raw.show(cell)}is negative")
            if v is not None and c in PERCENTS and v > 100:
                self.problems.append(f"{raw.loc(i, c)}: {raw.show(cell)}is above 100 %")
            vals.append(v)
        return vals


YES_NO = {"ya", "tidak", "y", "t", "yes", "no", "iya", "tdk", "n"}


def _no_yes_no_list(raw: RawTable, c: str, cells: set[str]) -> None:
    """A count column holding only yes/no words is a by-name list (one row per family or child, e.g. BKKBN's "Berisiko
    Stunting: Ya/Tidak"), not a count per kelurahan: said as such, not as a whole number missing in every row (adv12 M5)."""
    if not cells or not cells <= YES_NO:
        return
    header = raw.columns.get(c, c)
    raise InputError(f"{raw.name}: column {header!r} holds only {'/'.join(sorted(cells))}: one row per family or child "
                     f"(a by-name list), not a count of {c} per kelurahan",
                     hint=f"make a table of counts per kelurahan first (a pivot table: the rows marked Ya per kelurahan as "
                          f"{c}, all rows as the total), then read that table; by-name e-PPGBM exports (with height and "
                          f"birth date) are counted by serang-gis itself")


def _unknown_odf_error(raw: RawTable, unknown_odf: dict[str, list[int]]):
    """Stop on ODF status words that are not known, with their rows (cells not shown for personal data)."""
    from serang_gis.core.fields import odf_accepted

    header = raw.columns.get("status_odf", "status_odf")
    if raw.personal:
        seen = f"{sum(map(len, unknown_odf.values()))} cells"
    else:
        seen = "; ".join(f"{v!r} (row{'s' if len(r) > 1 else ''} {', '.join(map(str, r[:5]))}{' ...' if len(r) > 5 else ''})"
                         for v, r in list(unknown_odf.items())[:10])
    example = next(iter(unknown_odf)) if not raw.personal else "the word"
    raise InputError(f"{raw.name}: column {header!r}: {len(unknown_odf)} ODF status word(s) are not known: {seen}. "
                     f"Accepted: {odf_accepted()}",
                     hint=f'say what each word means with --map "{example}=Belum ODF" (or another status: '
                          f'{", ".join(ODF_CLASSES)}), or correct the cells')


def _check_counts(raw: RawTable, data: pd.DataFrame, data_idx: list[int], problems: list[str]) -> None:
    """Consistency of the counts within a row: no more stunted toddlers than measured, no more families at
    risk than families."""
    if "balita_diukur" in data.columns:
        none = pd.Series(pd.NA, index=data.index, dtype="Int64")
        stunted = data.get("pendek", none).fillna(0) + data.get("sangat_pendek", none).fillna(0)
        given = data[[c for c in ("pendek", "sangat_pendek") if c in data.columns]].notna().any(axis=1)
        if "stunting" in data.columns:
            stunted = stunted.where(given, data["stunting"])
            given = given | data["stunting"].notna()
        over = (given & (stunted > data["balita_diukur"])).fillna(False)
        for j in over[over].index:
            problems.append(f"{raw.loc(data_idx[j], 'balita_diukur')}: {int(stunted[j])} stunted toddlers but only "
                            f"{int(data.at[j, 'balita_diukur'])} measured")
    if {"stunting", "pendek", "sangat_pendek"} <= set(data.columns):
        differ = (data["stunting"] != data["pendek"] + data["sangat_pendek"]).fillna(False)
        for j in differ[differ].index:
            problems.append(f"{raw.loc(data_idx[j], 'stunting')}: the stunting total {int(data.at[j, 'stunting'])} is not "
                            f"pendek {int(data.at[j, 'pendek'])} + sangat pendek {int(data.at[j, 'sangat_pendek'])} (correct the "
                            f'cells, or read only the parts with --map "{raw.columns["stunting"]}=no")')
    if "keluarga" in data.columns and "keluarga_berisiko" in data.columns:
        over = (data["keluarga_berisiko"] > data["keluarga"]).fillna(False)
        for j in over[over].index:
            problems.append(f"{raw.loc(data_idx[j], 'keluarga_berisiko')}: {int(data.at[j, 'keluarga_berisiko'])} families "
                            f"at risk but only {int(data.at[j, 'keluarga'])} families")
    _check_factors(raw, data, data_idx, problems)


def _check_factors(raw: RawTable, data: pd.DataFrame, data_idx: list[int], problems: list[str]) -> None:
    """A family-risk factor, STBM pillar or ladder rung above its denominator (keluarga sasaran, PUS, KK), and ladder
    rungs that add up to more households than the KK: errors naming the row and column."""
    from serang_gis.core.fields import FIELD
    from serang_gis.core.indicators import FACTORS

    for f in FACTORS:
        if f.count not in data.columns or f.denominator not in data.columns:
            continue
        over = (data[f.count] > data[f.denominator]).fillna(False)
        for j in over[over].index:
            problems.append(f"{raw.loc(data_idx[j], f.count)}: {int(data.at[j, f.count])} is more than the "
                            f"{int(data.at[j, f.denominator])} of {raw.columns[f.denominator]!r} ({FIELD[f.denominator].label.split(':')[0]})")
    rungs = [f.count for f in FACTORS if f.topic == "tangga" and f.count in data.columns]
    if len(rungs) > 1 and "kk" in data.columns:
        total = data[rungs].fillna(0).sum(axis=1)
        over = (total > data["kk"]).fillna(False)
        for j in over[over].index:
            problems.append(f"{raw.loc(data_idx[j], 'kk')}: the sanitation ladder's rungs add up to {int(total[j])} households, "
                            f"more than the {int(data.at[j, 'kk'])} KK (each household stands on one rung)")


def _fraction_percents(raw: RawTable, data: pd.DataFrame, warnings: list[str]) -> None:
    """Percent columns written as fractions (0,158 for 15,8 %): converted when the counts of the same rows say so
    (with a warning), else refused: no percent column of a kab/kota is at most 1 % on every row."""
    from serang_gis.core.fields import PERCENTS
    from serang_gis.core.indicators import prevalence

    for c in [c for c in data.columns if c in PERCENTS]:
        vals = data[c].dropna()
        if len(vals) < 2 or vals.max() > 1 or vals.max() == 0:
            continue
        header = raw.columns.get(c, c)
        if c == "prevalensi" and "balita_diukur" in data.columns:
            computed = prevalence(data)
            both = computed.notna() & data[c].notna()
            if both.any() and ((data.loc[both, c] - computed[both]).abs() <= 0.5).mean() >= 0.9:
                continue  # the counts confirm percentages this low
            if both.any() and ((data.loc[both, c] * 100 - computed[both]).abs() <= 0.5).mean() >= 0.9:
                data[c] = data[c] * 100
                warnings.append(f"column {header!r} holds fractions (every value at most 1, e.g. {vals.iloc[0]:g}) while the "
                                f"counts of the same rows give {computed[both].iloc[0]:.1f} %: read as percent (x 100)")
                continue
        raise InputError(f"{raw.name}: column {header!r}: every value is at most 1 (e.g. {vals.iloc[0]:g}): fractions, "
                         f"not percent? read as they stand they would be {vals.max():g} % at most",
                         hint="write the percentages (15,8 for 15,8 %), or format the cells as Percentage in the spreadsheet "
                              "(a cell formatted as percent is read as shown)")


def is_byname(raw: RawTable) -> bool:
    return bool({"tbu", "zs_tbu"} & raw.columns.keys()) and bool({"tgl_lahir", "nik", "nama", "tgl_ukur"} & raw.columns.keys())


def _take_blank_rows(raw: RawTable) -> list[int]:
    """The rows of a row-per-child (or per-household) export whose every cell is empty (a spacer, a page break), taken
    out of ``raw`` before its cells are read as dates and numbers; their file rows."""
    blank = raw.frame.eq("").all(axis=1).to_numpy() if len(raw.frame.columns) else None
    if blank is None or not blank.any():
        return []
    rows = raw.rows[blank].tolist()
    raw.frame = raw.frame[~blank].reset_index(drop=True)
    raw.rows = raw.rows[~blank].reset_index(drop=True)
    return rows


def _with_blank_rows(table: Table, blank: list[int]) -> Table:
    """The blank rows said: skipped (the match report lists them) and counted in the notes, never dropped silently."""
    if blank:
        table.skipped = [*table.skipped, *((r, "blank row") for r in blank)]
        table.notes = [*table.notes, Msg("read.blank_rows", n=len(blank), rows=", ".join(map(str, blank[:10])) + (" ..." if len(blank) > 10 else ""))]
    return table


def read_table(path, *, sheet=None, mapping=None, period=None, date_format=None) -> Table:
    """Read any supported table file: aggregated (Data Sasaran) or by-name (e-PPGBM); ``date_format`` ("dmy" or
    "mdy") says how a by-name export's dd/mm/yyyy dates are ordered when no day above 12 tells."""
    from serang_gis.read.eppgbm import parse_period

    parse_period(period)  # a --period that means nothing stops before the file is read
    raw = read_raw(path, sheet=sheet, mapping=mapping, period=period)
    dated.check_titles(raw.name, raw.titles, period, raw.personal or is_byname(raw))
    if is_byname(raw):
        raw.personal = True
        blank = _take_blank_rows(raw)
        return _with_blank_rows(aggregate_byname(raw, period, date_format), blank)
    if is_household(raw):
        raw.personal = True
        blank = _take_blank_rows(raw)
        return _with_blank_rows(aggregate_households(raw, period), blank)
    table = tidy_aggregate(raw)
    table.period = period
    return table
