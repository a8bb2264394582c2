"""Writers for every product, all through one atomic-write guard.

Each writer writes to a temporary file beside the target and renames it into place, so an
interrupted run never leaves a half-written file; an existing target is an error unless
``overwrite`` is true.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from serang_gis.core.errors import OutputExistsError
from serang_gis.core.signals import held_signals
from serang_gis.core.indicators import FACTORS

GPKG_VERSION = "1.2"  # QGIS 3.22, still common in offices, warns on GeoPackage 1.4
# GDAL stamps gpkg_contents.last_change with the clock; a fixed stamp makes the same inputs give the same bytes
FIXED_TIME = "2000-01-01T00:00:00.000Z"


# while a GeoPackage is built in its temporary file (``atomic_path``: renamed only when whole), SQLite need not sync each
# layer's transaction to disk: 13 layers took 1.2-1.7 s with a sync per layer, 0.3 s without (issue 24; same bytes)
GPKG_WRITING = {"OGR_CURRENT_DATE": FIXED_TIME, "OGR_SQLITE_SYNCHRONOUS": "OFF"}


@contextlib.contextmanager
def _gpkg_writing():
    """GDAL's options for writing a GeoPackage (``GPKG_WRITING``), the caller's restored after."""
    import pyogrio

    old = {k: pyogrio.get_gdal_config_option(k) for k in GPKG_WRITING}
    pyogrio.set_gdal_config_options(GPKG_WRITING)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(old)


TMP = ".{name}.serang-gis-"  # + <pid>-<random><suffix>: a temporary file of this tool, and whose


def _clean_dead(target: Path) -> None:
    """Temporary files of ``target`` left by a process of this tool that no longer runs (SIGKILL)."""
    from serang_gis.output.staging import _dead

    head = TMP.format(name=target.name)
    for p in target.parent.glob(head + "*"):
        if _dead(p.name, head) and (p.is_file() or p.is_symlink()):
            p.unlink(missing_ok=True)


def save_figure(fig, target: str | Path, **savefig) -> Path:
    """A matplotlib figure to ``target`` (its format from the suffix): drawn in memory, then written in one go
    through ``atomic_path``. A full disk is then a plain OSError (reported as such), not the compressor's
    "inconsistent stream state" that matplotlib's PDF and PNG writers raise after a failed write."""
    return write_bytes(target, figure_bytes(fig, Path(target).suffix.lstrip(".").lower() or "png", **savefig))


def figure_bytes(fig, fmt: str, **savefig) -> bytes:
    """A matplotlib figure drawn in memory as ``fmt`` (png, pdf, svg)."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, **savefig)
    return buffer.getvalue()


@contextlib.contextmanager
def atomic_path(target: str | Path, *, overwrite: bool = True, suffix: str | None = None):
    """Yield a temporary path beside ``target``; on success rename it to ``target`` (mode 0644 under the usual umask).

    A full disk, a file too large for ``ulimit -f``, a read-only folder ... (also when GDAL hides it) is a
    ``WriteFailedError`` naming the folder and file; on any error, Ctrl-C or SIGTERM the temporary file goes.
    """
    from serang_gis.output.failures import write_failure

    target = Path(target)
    if target.exists() and not overwrite:
        raise OutputExistsError(f"{target} exists", hint="use --overwrite to replace it, or choose another -o")
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_dead(target)
    tmp = None
    try:
        with held_signals():  # named before a signal can stop the command: the finally below removes it
            fd, tmp = tempfile.mkstemp(prefix=TMP.format(name=target.name) + f"{os.getpid()}-",
                                       suffix=suffix or target.suffix, dir=target.parent)
            os.close(fd)
            os.unlink(tmp)  # writers (GDAL) want to create the file themselves
        yield Path(tmp)
        if os.path.isfile(tmp) and not os.path.islink(tmp):
            os.chmod(tmp, 0o666 & ~_umask())  # a library that made it private (mkstemp) does not decide the mode
        os.replace(tmp, target)
    except Exception as exc:
        written = Path(tmp).parent.glob(Path(tmp).name + "*") if tmp is not None else []
        err = write_failure(exc, target.parent, target, written=written)
        if err is None:
            raise
        raise err from None
    finally:
        for leftover in Path(tmp).parent.glob(Path(tmp).name + "*") if tmp is not None else []:
            leftover.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(target, data: bytes, *, overwrite: bool = True) -> Path:
    """Bytes made in memory, written in one go (a full disk is a plain OSError, reported as such)."""
    with atomic_path(target, overwrite=overwrite) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target, text: str, *, overwrite: bool = True) -> Path:
    with atomic_path(target, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# characters no XLSX cell may hold (openpyxl raises IllegalCharacterError on them; the same set as its
# ILLEGAL_CHARACTERS_RE) and DEL: pasted from other programs, they carry nothing a reader can see
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLAIN_NUMBER = re.compile(r"[-+]?[\d.,]*")  # "-", "-5", "+62": no formula can hide in them


def _is_formula_like(v) -> bool:
    return isinstance(v, str) and v.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(v)


def safe_cell(v):
    """A value as every written spreadsheet cell (XLSX and CSV, headers too) holds it: text loses its control
    characters and, when it starts with = + - @, a tab or CR (OWASP CSV injection), gets a leading
    apostrophe, so no spreadsheet takes it for a formula. Anything but text is returned as it is."""
    if not isinstance(v, str):
        return v
    if _CONTROL.search(v):
        v = _CONTROL.sub("", v)
    return "'" + v if v.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(v) else v


def _safe_column(col: pd.Series) -> pd.Series:
    """``safe_cell`` over a column, each distinct value converted once (a column repeats its offices, kecamatan and
    years across thousands of rows)."""
    if isinstance(col.dtype, pd.StringDtype) or col.dtype == object:
        values = col.tolist()
        memo = {}
        out = []
        for v in values:
            if type(v) is not str:  # numbers, flags, missing: as they are (safe_cell returns them unchanged)
                out.append(v)
            elif v in memo:
                out.append(memo[v])
            else:
                out.append(memo.setdefault(v, safe_cell(v)))
        return pd.Series(out, index=col.index, dtype=col.dtype, name=col.name)
    return col


def write_csv(target, frame: pd.DataFrame, *, overwrite: bool = True) -> Path:
    """CSV in UTF-8 with BOM (Excel on Indonesian Windows opens it right), geometry left out, safe to open in a
    spreadsheet: every header and text cell goes through ``safe_cell`` (never taken for a formula)."""
    table = pd.DataFrame(_typed(frame).drop(columns="geometry", errors="ignore")).copy()
    for c in table.columns:
        if table[c].dtype == object or pd.api.types.is_string_dtype(table[c]):
            table[c] = _safe_column(table[c])
    table.columns = [safe_cell(str(c)) for c in table.columns]
    with atomic_path(target, overwrite=overwrite) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8-sig")
    # beside it, the field types GDAL and QGIS read (a code stays text, a count an integer, a flag a boolean)
    write_text(Path(target).with_suffix(".csvt"), csvt(table), overwrite=True)
    return Path(target)


def write_gpkg(target, layers: dict[str, gpd.GeoDataFrame], *, overwrite: bool = True) -> Path:
    """A GeoPackage 1.2 with one layer per item of ``layers``, all written or none."""
    with atomic_path(target, overwrite=overwrite) as tmp, _gpkg_writing():
        for name, frame in layers.items():
            _typed(frame).to_file(tmp, layer=name, driver="GPKG", engine="pyogrio", VERSION=GPKG_VERSION)
    return Path(target)


def write_geojson(target, frame: gpd.GeoDataFrame, *, overwrite: bool = True) -> Path:
    """RFC 7946 GeoJSON: EPSG:4326, no crs member, 6 decimals."""
    with atomic_path(target, overwrite=overwrite, suffix=".geojson") as tmp:
        _typed(frame).to_crs(4326).to_file(tmp, driver="GeoJSON", engine="pyogrio", RFC7946="YES", COORDINATE_PRECISION=6,
                                   WRITE_NAME="NO")
    return Path(target)


def write_joined(target, frame: gpd.GeoDataFrame, *, overwrite: bool = True, layer: str = "kelurahan") -> Path:
    """Write a layer in the format its suffix names (.gpkg, .geojson/.json, .csv)."""
    suffix = Path(target).suffix.lower()
    if suffix == ".gpkg":
        return write_gpkg(target, {layer: frame}, overwrite=overwrite)
    if suffix in (".geojson", ".json"):
        return write_geojson(target, frame, overwrite=overwrite)
    if suffix == ".csv":
        return write_csv(target, frame, overwrite=overwrite)
    from serang_gis.core.errors import InputError

    raise InputError(f"{target}: unknown output format {suffix or '(no suffix)'!r}", hint="end the file name in .gpkg, .geojson or .csv")


def _xlsx_value(v):
    """A frame value as an XLSX cell value: missing -> empty, numpy scalars -> Python, tuples joined, text safe."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, (tuple, list)):
        v = ", ".join(map(str, v))
    elif hasattr(v, "item"):
        v = v.item()
    return safe_cell(v)


XLSX_CELL_MAX = 32767  # characters Excel holds in one cell


def _fit_cell(v: str, lang: str) -> str:
    """Text longer than an Excel cell holds, cut at the last line end or space that leaves room for a note saying how
    much was cut and where the full text is; shorter text as it is."""
    if len(v) <= XLSX_CELL_MAX:
        return v
    from serang_gis.core.numbers import count
    from serang_gis.core.text import t

    room = XLSX_CELL_MAX - len(t(lang, "xlsx_cell_cut", n=f"{len(v):,}")) - 1
    cut = max(v.rfind("\n", 0, room), v.rfind(" ", 0, room))
    cut = cut if cut > room // 2 else room
    return v[:cut].rstrip() + "\n" + t(lang, "xlsx_cell_cut", n=count(len(v) - cut, lang))


XLSX_CHUNK = 2000  # rows converted at a time: memory stays that of a few thousand cells, whatever the table's length


def _xlsx_cells(ws, col: pd.Series, lang: str) -> list:
    """One column of a chunk of rows as (value, the xlsxwriter method writing it as its type), None for an empty
    cell: text always as text (never a formula, a number or a link; longer than a cell holds: ``_fit_cell``), numbers
    as numbers (infinity empty, as NaN), flags as booleans. Plain float/int/bool columns skip the per-cell checks;
    in a text column each distinct value is converted once."""
    kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else None
    if kind is not None and kind in "fiu":
        number = ws.write_number
        return [(v, number) if math.isfinite(v) else None for v in col.to_numpy().tolist()]
    if kind == "b":
        return [(v, ws.write_boolean) for v in col.to_numpy().tolist()]
    memo: dict = {}

    def cell(v):
        v = _xlsx_value(v)
        if v is None:
            return None
        if isinstance(v, str):
            return (v if len(v) <= XLSX_CELL_MAX else _fit_cell(v, lang)), ws.write_string
        if isinstance(v, bool):
            return v, ws.write_boolean
        if isinstance(v, (int, float)):
            return (v, ws.write_number) if math.isfinite(v) else None
        return safe_cell(str(v)), ws.write_string

    out = []
    for v in col.tolist():
        if type(v) is str:  # text never converts to an empty cell
            got = memo.get(v)
            if got is None:
                got = memo[v] = cell(v)
            out.append(got)
        else:
            out.append(cell(v))
    return out


def _fill_sheet(ws, frame: pd.DataFrame, bold, lang: str = "id") -> None:
    """Header (bold, frozen) and rows of ``frame`` into the xlsxwriter sheet ``ws``, row after row (each row goes to
    the file as it is finished), converted ``XLSX_CHUNK`` rows at a time (``_xlsx_cells``)."""
    table = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    ws.freeze_panes(1, 0)
    for c, name in enumerate(table.columns):
        ws.write_string(0, c, safe_cell(str(name)), bold)
    for first in range(0, len(table), XLSX_CHUNK):
        part = table.iloc[first:first + XLSX_CHUNK]
        columns = [_xlsx_cells(ws, part.iloc[:, c], lang) for c in range(part.shape[1])]
        for r, row in enumerate(zip(*columns), start=first + 1):
            for c, got in enumerate(row):
                if got is not None:
                    got[1](r, c, got[0])


def write_table_xlsx(target, frame: pd.DataFrame, *, sheet: str = "Peringkat", overwrite: bool = True, lang: str = "id") -> Path:
    """XLSX of one table; text that looks like a formula ('=HYPERLINK(...)') is written as text (``safe_cell``)."""
    return write_workbook(target, {sheet: frame}, overwrite=overwrite, lang=lang)


# ---- QGIS-ready layers: GeoPackage with embedded styles, GeoJSON with .qml sidecars -----------


WHOLE = {"keluarga", "keluarga_sasaran", "kk", "sasaran_balita", "keluarga_berisiko", "balita_diukur", "pendek", "sangat_pendek", "stunting", "tanpa_jamban", "balita_stunting",
         "stunting_dilaporkan", "peringkat", "peringkat_p5", "peringkat_p95", "jumlah_kelurahan",
         "peringkat_p05"} | {f.count for f in FACTORS} | {"pus", "baduta", "balita_keluarga"}  # the family-risk and STBM counts


FLAGS = ("belum_odf", "tidak_stabil", "tier_peka_bobot", "lokus", "dirangking", "disamarkan", "pagu_hanya_turunan")  # di_batas is a note (text), not a flag
_TRUTH = {"true": True, "1": True, "1.0": True, "ya": True, "y": True, "t": True, "yes": True,
          "false": False, "0": False, "0.0": False, "tidak": False, "n": False, "f": False, "no": False}


def _flag(v):
    """A flag as True, False or NA, whatever form it comes back in: bool, numpy bool, 0/1 (int or float: GDAL reads a
    boolean field with NULLs as float), or text ("True", "1", "ya")."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return pd.NA
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return bool(v) if v in (0, 1) else pd.NA
    return _TRUTH.get(str(v).strip().lower(), pd.NA)


def _flags(values: pd.Series, column: str) -> pd.Series:
    """``values`` as booleans; a value that is not a flag is an error, never a silent NULL."""
    typed = values.map(_flag).astype("boolean")
    lost = values[typed.isna() & values.notna()]
    if len(lost):
        raise ValueError(f"field {column!r} is a yes/no flag but holds {str(lost.iloc[0])!r} (row {lost.index[0]}); "
                         "give true/false, 1/0 or ya/tidak")
    return typed


def _typed(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Explicit field types: codes and names as text, flags as booleans, counts as integers, the same for a field of
    one period (``tidak_stabil__2023`` is a flag as ``tidak_stabil``); beside a dotted ``kode_kel`` its 10 digits
    (``kode_kel_10``), the form offices' own tables use, so a join in QGIS matches either."""
    out = frame.copy()
    for c in out.columns:
        base = c.split("__")[0]
        if c == "geometry":
            continue
        if c.startswith("kode") or c in ("kelurahan", "kecamatan", "kabkota", "tipe"):
            out[c] = out[c].astype("string")
        elif base.startswith(("lokus_", "sebagian_")) or base in FLAGS:
            out[c] = _flags(out[c], c)
        elif c == "kelas_peta" or (c.startswith("kelurahan_") and pd.api.types.is_numeric_dtype(out[c])):
            out[c] = out[c].astype("Int64")
        elif pd.api.types.is_float_dtype(out[c]) and (base in WHOLE or base.startswith("balita_stunting")):
            v = out[c].dropna()
            if (v == v.round()).all():
                out[c] = out[c].astype("Int64")  # counts read back as float (NULLs) are whole numbers again
    if "kode_kel" in out.columns and "kode_kel_10" not in out.columns:
        digits = out["kode_kel"].str.replace(r"\D", "", regex=True)
        digits = digits.where(digits.str.len() == 10)
        if digits.notna().any():
            out.insert(list(out.columns).index("kode_kel") + 1, "kode_kel_10", digits)
    return out


_CSVT = {"b": "Integer(Boolean)", "i": "Integer64", "u": "Integer64", "f": "Real"}


def csvt(table: pd.DataFrame) -> str:
    """The GDAL/QGIS ``.csvt`` line for ``table``: codes and text as String, counts as Integer64, flags as booleans."""
    kinds = []
    for c in table.columns:
        dtype = table[c].dtype
        kinds.append("String" if isinstance(dtype, pd.StringDtype) or dtype == object else _CSVT.get(dtype.kind, "String"))
    return ",".join(f'"{k}"' for k in kinds) + "\n"


def write_workbook(target, sheets: dict[str, pd.DataFrame], *, overwrite: bool = True, lang: str = "id") -> Path:
    """XLSX with one sheet per table, bold frozen header; text cells stay text (never formulas, ``safe_cell``).

    Written by xlsxwriter in its constant-memory mode: each row goes to the file as it is finished, so a long
    table takes the memory of one row. The document's dates and the zip entries' times are fixed: the same
    tables give the same bytes. Text longer than a cell holds is cut with a note in ``lang`` (``_fit_cell``)."""
    import datetime

    import xlsxwriter

    with atomic_path(target, overwrite=overwrite) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False, "strings_to_urls": False})
        wb.set_properties({"created": datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)})
        bold = wb.add_format({"bold": True})
        for name, frame in sheets.items():
            _fill_sheet(wb.add_worksheet(safe_cell(name[:31])), frame, bold, lang)
        wb.close()
    return Path(target)
