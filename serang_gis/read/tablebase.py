"""What every table reader shares: the raw cell grid, the tidy table, number parsing and error lists.

``tables`` (aggregated Data Sasaran files) and ``eppgbm`` (by-name exports) both build on this
module, so neither imports the other's internals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from serang_gis.core.errors import InputError, where

MISSING = {"", "-", "–", "—", "n/a", "na", "#n/a", "tidak ada data", "null", "none", "."}
MAX_ERRORS = 20
# a 16-digit number is a NIK or a family card number (No KK): personal data
NIK_LIKE = re.compile(r"^'?\s*\d{16}\s*$")


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
    personal: bool = False  # by-name data (or a NIK-like column): no cell value may be echoed
    parts: dict[str, list[str]] = field(default_factory=dict)  # field -> sub-columns (L/P) to add up
    odf_words: dict[str, str] = field(default_factory=dict)  # extra ODF spellings (--map "bukan ODF=Belum ODF")
    titles: list[tuple[int, str]] = field(default_factory=list)  # (file row, text) of the title rows above the header
    warnings: list[str] = field(default_factory=list)  # said while reading (a header that resembles a field ...)
    above: list[list[str]] = field(default_factory=list)  # the cells of the rows above the header (titles, a parent header row)

    @property
    def name(self) -> str:
        return f"{self.path.name}" + (f"[{self.sheet}]" if self.sheet else "")

    def loc(self, i, column=None) -> str:
        """'file:row:column' for frame row i (column given as field name or header)."""
        header = self.columns.get(column, column)
        return where(self.name, f"row {int(self.rows.iloc[i])}", f"column {header!r}" if header else None)

    def show(self, cell) -> str:
        """A cell value quoted for a message, or nothing when the file holds personal data."""
        return "" if self.personal else f"{cell!r} "


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
    sum_duplicates: bool = False  # its rows for one kelurahan added up (an atlas config's [[data]] sum_duplicates = true)
    # rows whose kelurahan cell reads like a region label ("Kota Baru") with no kecamatan: data when the
    # label is the name of a kelurahan (decided by the join, which knows the kelurahan), else a total
    maybe: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)  # reported by the join (and fail --strict)
    filled_rows: set[int] = field(default_factory=set)  # file rows whose blank kecamatan cell was filled from above

    @property
    def indicators(self) -> list[str]:
        from serang_gis.core.fields import INDICATORS

        return [c for c in self.data.columns if c in INDICATORS]


def invalid_values(problems: list[str], path) -> InputError:
    """One error listing the first problems (file:row:column each); the run stops with nothing written."""
    shown = problems[:MAX_ERRORS]
    more = f"\n  ... and {len(problems) - MAX_ERRORS} more" if len(problems) > MAX_ERRORS else ""
    return InputError(f"{Path(path).name}: {len(problems)} invalid value(s); nothing was written:\n  " + "\n  ".join(shown) + more,
                      hint="correct the cells named above and run again")


# ---- numbers --------------------------------------------------------------------------------

_INT = re.compile(r"^[+-]?\d+$")
_ID_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DEC_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_DEC_POINT = re.compile(r"^[+-]?\d*\.\d+$")
_MAX_INT_DIGITS = 15  # beyond this a float loses whole numbers (and no count is that large)


class NumberError(ValueError):
    pass


def parse_number(text: str, *, integer: bool) -> float | None:
    """Parse a number as written in Indonesian or English tables; None for missing.

    Integers (counts): '1.234', '1,234', '1234' -> 1234; '12,5' is an error. Decimals (percent):
    '12,5', '12.5' -> 12.5; '1.234,5' -> 1234.5. A trailing '%' is allowed. Never returns inf or nan.
    """
    t = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if t.lower() in MISSING:
        return None
    t = t.rstrip("%")
    if len(t.lstrip("+-").replace(".", "").replace(",", "")) > _MAX_INT_DIGITS + 6:
        raise NumberError("is too long to be a count or a percentage")
    if _INT.match(t):
        if len(t.lstrip("+-")) > _MAX_INT_DIGITS:
            raise NumberError("is too large to be a count")
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
