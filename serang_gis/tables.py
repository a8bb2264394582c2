"""Read CSV/XLSX tables the way Indonesian offices write them into a tidy field table.

Handles title rows above the header, headers over two rows (merged cells), "No" columns,
``,`` ``;`` and tab separators, UTF-8 with or without BOM and Windows-1252, XLSX sheets with merged
cells. The result keeps every row's number in the file so that any later message can point at it.
Numbers are parsed by ``parse_number`` (``1.234``, ``12,5``, ``-`` for missing).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InputError, SchemaError, where
from .fields import FIELD, header_key, recognise

HEADER_SCAN_ROWS = 30


@dataclass
class RawTable:
    """Cells as text, columns named by field where recognised; ``rows`` are 1-based file rows."""

    path: Path
    sheet: str | None
    frame: pd.DataFrame  # str cells ('' for empty), columns = field names or original headers
    rows: pd.Series  # file row number of each frame row
    header_rows: tuple[int, ...]  # file row numbers of the header
    columns: dict[str, str]  # field -> header text in the file
    ignored: list[str] = field(default_factory=list)  # headers not recognised
    encoding: str | None = None
    delimiter: str | None = None

    def loc(self, i, column=None) -> str:
        """'file:row:column' for frame row i (column given as field name or header)."""
        header = self.columns.get(column, column)
        name = f"{self.path.name}" + (f"[{self.sheet}]" if self.sheet else "")
        return where(name, f"row {int(self.rows.iloc[i])}", f"column {header!r}" if header else None)


def parse_mapping(items) -> dict[str, str]:
    """['Jumlah Stunting=stunting', ...] -> {header_key: field}; unknown fields are an error."""
    out = {}
    for item in items or ():
        header, sep, fname = item.rpartition("=")
        fname = fname.strip()
        if not sep or not header.strip():
            raise InputError(f"cannot read column mapping {item!r}", hint='write it as "Header in the file=field", e.g. "Jumlah Stunting=stunting"')
        if fname not in FIELD:
            raise InputError(f"column mapping {item!r}: {fname!r} is not a field",
                             hint=f"fields: {', '.join(f for f in FIELD if FIELD[f].kind != 'byname')}")
        out[header_key(header)] = fname
    return out


def mapping_from_config(path) -> dict[str, str]:
    """The ``[columns]`` table of a TOML file: ``"Header in the file" = "field"``."""
    import tomllib

    path = Path(path)
    try:
        cfg = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read the config ({exc})") from None
    unknown = set(cfg) - {"columns"}
    if unknown:
        raise InputError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}", hint="a join config has one table: [columns]")
    cols = cfg.get("columns", {})
    if not isinstance(cols, dict) or not all(isinstance(v, str) for v in cols.values()):
        raise InputError(f"{path}: [columns] must map header text to a field name, e.g. \"Jumlah Stunting\" = \"stunting\"")
    return parse_mapping([f"{k}={v}" for k, v in cols.items()])


# ---- raw grids ------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
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


def _xlsx_grid(path: Path, sheet: str | None) -> tuple[list[list], str]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:
        raise InputError(f"{path}: cannot open as an Excel workbook ({exc})", hint="save it as .xlsx, or export CSV") from exc
    if sheet is None:
        ws = wb.worksheets[0]
    elif sheet in wb.sheetnames:
        ws = wb[sheet]
    else:
        raise InputError(f"{path}: no sheet {sheet!r}; its sheets are {', '.join(wb.sheetnames)}", hint="choose one with --sheet NAME")
    grid = []
    for cells in ws.iter_rows():
        row = []
        for c in cells:
            v = c.value
            # a cell formatted as percent holds 0.125 for "12.5 %": read what the user sees
            if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in (c.number_format or ""):
                v = round(v * 100, 10)
            row.append(v)
        grid.append(row)
    # merged cells: copy the top-left value into the whole range (headers and kecamatan columns)
    for rng in ws.merged_cells.ranges:
        value = grid[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
            for c in range(rng.min_col - 1, rng.max_col):
                if c < len(grid[r]):
                    grid[r][c] = value
    return grid, ws.title


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v).strip()


def _find_header(grid: list[list[str]], mapping: dict[str, str], recogniser=recognise) -> tuple[int, int, list[str]]:
    """(first header row index, number of header rows, header texts) maximising recognised fields."""

    def fields_of(headers):
        found = set()
        for h in headers:
            f = mapping.get(header_key(h)) or recogniser(h)
            if f and f != "no":
                found.add(f)
        return found

    best = (0, 0, 1, [])
    for i in range(min(HEADER_SCAN_ROWS, len(grid))):
        row = grid[i]
        candidates = [(1, row)]
        if i + 1 < len(grid) and any(row):  # two-row header: parent text spread over blank (merged) cells
            parent, combined, last = [], [], ""
            for cell in row:
                last = cell or last
                parent.append(last)
            for p, c in zip(parent, grid[i + 1] + [""] * (len(parent) - len(grid[i + 1]))):
                combined.append(f"{p} {c}".strip() if c and c != p else p)
            candidates.append((2, combined))
        for n, headers in candidates:
            score = len(fields_of(headers))
            # on a tie, fewer header rows win (the upper row added nothing)
            tie_fewer = score == best[0] and n == 1 and best[2] == 2 and i == best[1] + 1
            if score > best[0] or (score and tie_fewer):
                best = (score, i, n, headers)
    score, i, n, headers = best
    return i, n, headers


def read_raw(path: str | Path, *, sheet: str | None = None, mapping: dict[str, str] | None = None,
             recogniser=recognise, required: dict[str, str] | None = None) -> RawTable:
    """Read a CSV or XLSX file into a RawTable (cells as text).

    ``recogniser`` (header text -> field name or None) and ``required`` ({field: what it is}, one of
    them must be found) let other tables than Data Sasaran (e.g. the Aksi 2 activity matrix) use
    the same header detection; the default reads Data Sasaran tables.
    """
    path = Path(path)
    mapping = mapping or {}
    if not path.exists():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    encoding = delimiter = None
    if suffix in (".xlsx", ".xlsm"):
        grid_raw, sheet = _xlsx_grid(path, sheet)
        grid = [[_cell_text(v) for v in row] for row in grid_raw]
        width = max((len(r) for r in grid), default=0)
        grid = [r + [""] * (width - len(r)) for r in grid]
        body_grid = None
    elif suffix in (".csv", ".txt", ".tsv"):
        text, encoding = _decode(path.read_bytes())
        delimiter = "\t" if suffix == ".tsv" else _sniff_delimiter(text[:20000])
        head = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:HEADER_SCAN_ROWS + 2])), delimiter=delimiter))
        grid = [[c.strip() for c in r] for r in head]
        body_grid = text
    elif suffix == ".xls":
        raise InputError(f"{path}: old Excel .xls files are not read", hint="open it in Excel/LibreOffice and save as .xlsx or CSV")
    else:
        raise InputError(f"{path}: unknown table format {suffix!r}", hint="give a .csv, .tsv, .txt or .xlsx file")

    h0, nh, headers = _find_header(grid, mapping, recogniser)
    fields_found = {}
    names = []
    ignored = []
    for col, h in enumerate(headers):
        f = mapping.get(header_key(h)) or recogniser(h)
        if f and f not in fields_found:
            fields_found[f] = h
            names.append(f)
        else:
            label = h or f"column {col + 1}"
            if h:
                ignored.append(h)
            names.append(f"_{label}_{col}")
    if required is not None:
        if not any(f in fields_found for f in required):
            raise SchemaError(
                f"{path.name}: cannot find a {' or '.join(required.values())} column in the first {HEADER_SCAN_ROWS} rows",
                hint="headers seen: " + ", ".join(h for h in headers if h)[:300])
    elif not any(f in fields_found for f in ("kode", "kelurahan")):
        raise SchemaError(
            f"{path.name}: cannot find a kelurahan/desa column or a code column in the first {HEADER_SCAN_ROWS} rows",
            hint='name it with --map "Header in the file=kelurahan" (or =kode); headers seen: '
                 + ", ".join(h for h in headers if h)[:300],
        )
    first_data = h0 + nh  # 0-based index of the first data line/row
    if body_grid is None:
        body = grid[first_data:]
        frame = pd.DataFrame(body, columns=names, dtype=str)
    else:
        frame = pd.read_csv(io.StringIO(body_grid), sep=delimiter, header=None, skiprows=first_data, dtype=str,
                            keep_default_na=False, skip_blank_lines=False, engine="c", names=names,
                            index_col=False, on_bad_lines="error")
        frame = frame.apply(lambda s: s.str.strip())
    rows = pd.Series(range(first_data + 1, first_data + 1 + len(frame)), index=frame.index)
    return RawTable(path, sheet, frame.fillna(""), rows, tuple(range(h0 + 1, h0 + nh + 1)), fields_found, ignored,
                    encoding, delimiter)


# ---- numbers --------------------------------------------------------------------------------

MISSING = {"", "-", "–", "—", "n/a", "na", "#n/a", "tidak ada data", "null", "none", "."}
_INT = re.compile(r"^[+-]?\d+$")
_ID_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DEC_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_DEC_POINT = re.compile(r"^[+-]?\d*\.\d+$")


class NumberError(ValueError):
    pass


def parse_number(text: str, *, integer: bool) -> float | None:
    """Parse a number as written in Indonesian or English tables; None for missing.

    Integers (counts): '1.234', '1,234', '1234' -> 1234; '12,5' is an error. Decimals (percent):
    '12,5', '12.5' -> 12.5; '1.234,5' -> 1234.5. A trailing '%' is allowed.
    """
    t = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if t.lower() in MISSING:
        return None
    t = t.rstrip("%")
    if _INT.match(t):
        return float(int(t))
    if integer:
        if _ID_THOUSANDS.match(t) and "," not in t:
            return float(t.replace(".", ""))
        if _EN_THOUSANDS.match(t) and "." not in t:
            return float(t.replace(",", ""))
        if re.match(r"^[+-]?\d+\.0+$", t):  # 12.0 written by a spreadsheet
            return float(t)
        raise NumberError("is not a whole number")
    if _ID_THOUSANDS.match(t) and "," in t:
        return float(t.replace(".", "").replace(",", "."))
    if _EN_THOUSANDS.match(t) and "." in t:
        return float(t.replace(",", ""))
    if _DEC_COMMA.match(t):
        return float(t.replace(",", "."))
    if _DEC_POINT.match(t):
        return float(t)
    raise NumberError("is not a number")


# ---- tidy aggregated tables -----------------------------------------------------------------

_TOTAL = re.compile(r"^(jumlah|total|sub ?total|grand total|jml)\b", re.IGNORECASE)
_REGION_LABEL = re.compile(r"^(kota|kab|kabupaten|kec|kecamatan)\b\.?", re.IGNORECASE)
MAX_ERRORS = 20


@dataclass
class Table:
    """One input file made tidy: data rows with parsed values, total rows apart, skips reported."""

    raw: RawTable
    kind: str  # aggregate | byname
    data: pd.DataFrame  # columns: row, kode, kecamatan, kelurahan, <indicator fields>
    totals: pd.DataFrame  # columns: row, label, <indicator fields>
    skipped: list[tuple[int, str]] = field(default_factory=list)
    filled_kecamatan: int = 0
    period: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def indicators(self) -> list[str]:
        from .fields import INDICATORS

        return [c for c in self.data.columns if c in INDICATORS]


def invalid_values(problems: list[str], path) -> InputError:
    """One error listing the first problems (file:row:column each); the run stops with nothing written."""
    shown = problems[:MAX_ERRORS]
    more = f"\n  ... and {len(problems) - MAX_ERRORS} more" if len(problems) > MAX_ERRORS else ""
    return InputError(f"{path.name}: {len(problems)} invalid value(s); nothing was written:\n  " + "\n  ".join(shown) + more,
                      hint="correct the cells named above and run again")


def tidy_aggregate(raw: RawTable) -> Table:
    """Classify rows (data, total, group header, blank), fill kecamatan down, parse and check values."""
    from .fields import COUNTS, PERCENTS, odf_class

    f = raw.frame
    inds = [c for c in f.columns if c in COUNTS or c in PERCENTS or c == "status_odf"]
    if not inds:
        raise SchemaError(f"{raw.path.name}: no indicator column recognised (headers: {', '.join(raw.columns.values())})",
                          hint='name the columns with --map "Header=field"; see docs/columns.md for the fields')
    text_cols = [c for c in ("kode", "kecamatan", "kelurahan") if c in f.columns]
    label_cols = [c for c in f.columns if c not in inds]  # any text column may carry "Jumlah"
    cols = {c: f[c].tolist() for c in f.columns}  # plain lists: row loops over pandas cells are slow
    file_rows = raw.rows.tolist()
    empty = [""] * len(f)
    kel_col, code_col, kec_col = (cols.get(c, empty) for c in ("kelurahan", "kode", "kecamatan"))
    skipped, problems = [], []
    data_idx, total_idx, kec_fill = [], [], []
    current_kec, filled = "", 0
    for i in range(len(f)):
        has_values = any(cols[c][i] not in MISSING for c in inds)
        labels = [cols[c][i] for c in label_cols if cols[c][i]]
        if not labels and not has_values:
            skipped.append((file_rows[i], "blank row"))
            kec_fill.append(current_kec)
            continue
        if any(_TOTAL.match(lbl) for lbl in labels):
            total_idx.append(i)
            kec_fill.append(current_kec)
            continue
        kel, code, kec = kel_col[i], code_col[i], kec_col[i]
        if kel and not code and _REGION_LABEL.match(kel) and (not kec or kec == kel):
            # "KECAMATAN SERANG" / "KOTA SERANG" written where a kelurahan would be
            if has_values:
                total_idx.append(i)
            else:
                current_kec = _REGION_LABEL.sub("", kel).strip()
                skipped.append((file_rows[i], f"group heading {kel!r}"))
            kec_fill.append(current_kec)
            continue
        if kec:
            current_kec = kec
        if not kel and not code:
            if kec and has_values:
                total_idx.append(i)  # a kecamatan line with figures and no kelurahan: a subtotal
            else:
                skipped.append((file_rows[i], f"group heading {' '.join(labels)!r}" if labels else "no kelurahan"))
            kec_fill.append(current_kec)
            continue
        if not kec and current_kec and "kecamatan" in f.columns:
            filled += 1
        kec_fill.append(current_kec)
        data_idx.append(i)

    def parsed(idx, fill=True):
        out = pd.DataFrame({"row": [file_rows[i] for i in idx]}, dtype="int64")
        for c in text_cols:
            out[c] = [cols[c][i] for i in idx]
        if "kecamatan" in f.columns and fill:
            out["kecamatan"] = [kec_fill[i] for i in idx]
        for c in inds:
            vals = []
            column = cols[c]
            for i in idx:
                cell = column[i]
                if c == "status_odf":
                    if cell in MISSING:
                        vals.append(None)
                    else:
                        cls = odf_class(cell)
                        if cls is None:
                            problems.append(f"{raw.loc(i, c)}: {cell!r} is not an ODF status "
                                            "(write Baseline, Belum ODF, ODF deklarasi, ODF terverifikasi or STBM)")
                        vals.append(cls)
                    continue
                try:
                    v = parse_number(cell, integer=c in COUNTS)
                except NumberError as exc:
                    problems.append(f"{raw.loc(i, c)}: {cell!r} {exc}")
                    v = None
                if v is not None and v < 0:
                    problems.append(f"{raw.loc(i, c)}: {cell!r} is negative")
                if v is not None and c in PERCENTS and v > 100:
                    problems.append(f"{raw.loc(i, c)}: {cell!r} is above 100 %")
                vals.append(v)
            out[c] = pd.array(vals, dtype="Int64" if c in COUNTS else ("Float64" if c in PERCENTS else "string"))
        return out

    data = parsed(data_idx)
    totals = parsed(total_idx, fill=False)  # a total row's scope is in its own cells
    totals.insert(1, "label", [" ".join(v for v in (cols[c][i] for c in label_cols) if v) for i in total_idx])
    # consistency of counts within a row
    if "balita_diukur" in data.columns:
        stunted = data.get("pendek", pd.Series(pd.NA, index=data.index, dtype="Int64")).fillna(0) + \
            data.get("sangat_pendek", pd.Series(pd.NA, index=data.index, dtype="Int64")).fillna(0)
        given = data[[c for c in ("pendek", "sangat_pendek") if c in data.columns]].notna().any(axis=1)
        if "stunting" in data.columns:
            stunted = stunted.where(given, data["stunting"])
            given = given | data["stunting"].notna()
        over = (given & (stunted > data["balita_diukur"])).fillna(False)
        for j in over[over].index:
            problems.append(f"{raw.loc(data_idx[j], 'balita_diukur')}: {int(stunted[j])} stunted toddlers but only "
                            f"{int(data.at[j, 'balita_diukur'])} measured")
    if "keluarga" in data.columns and "keluarga_berisiko" in data.columns:
        over = (data["keluarga_berisiko"] > data["keluarga"]).fillna(False)
        for j in over[over].index:
            problems.append(f"{raw.loc(data_idx[j], 'keluarga_berisiko')}: {int(data.at[j, 'keluarga_berisiko'])} families "
                            f"at risk but only {int(data.at[j, 'keluarga'])} families")
    if problems:
        raise invalid_values(problems, raw.path)
    notes = []
    if filled:
        notes.append(f"kecamatan filled down from the row above on {filled} rows (merged or blank cells)")
    return Table(raw, "aggregate", data, totals, skipped, filled, None, notes)


def is_byname(raw: RawTable) -> bool:
    return bool({"tbu", "zs_tbu"} & raw.columns.keys()) and bool({"tgl_lahir", "nik", "nama", "tgl_ukur"} & raw.columns.keys())


def read_table(path, *, sheet=None, mapping=None, period=None) -> Table:
    """Read any supported table file: aggregated (Data Sasaran) or by-name (e-PPGBM)."""
    raw = read_raw(path, sheet=sheet, mapping=mapping)
    if is_byname(raw):
        from .eppgbm import aggregate_byname

        return aggregate_byname(raw, period)
    table = tidy_aggregate(raw)
    table.period = period
    return table
