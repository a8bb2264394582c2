"""Numbers as every product prints them: Bahasa Indonesia "1.234,5", English "1,234.5".

One formatter for the maps (tooltips, profiles, legends: the browser prints what these give), the
index page, the matrix page, the plots and the terminal summaries:

- ``number``: a figure at fixed decimals, thousands grouped ("12,0", "1.234");
- ``count``: a whole number ("1.234");
- ``percent``: a percentage figure ("12,4 %"); ``share``: a fraction as a compact percentage ("74%");
- ``rupiah``: an amount of money ("Rp 1.234.567"); ``rupiah_short``: the same in a few characters ("Rp 54 jt");
- ``quantity``: a figure with its unit, the unit in the page's language ("1.234 balita", "12 toddlers");
- ``area``: an area given in m2, in m², ha or km² as fits it ("4,2 ha");
- ``interval``: a figure with its interval ("12,4 % (8,1–18,3 %)").

Rounding is the reader's: half away from zero, of the value as written (its shortest decimal form,
the one Python's ``repr`` and the browser give): 2.25 -> "2,3", 2.675 -> "2,68", 12.5 -> "13",
-2.5 -> "-3" (as Intl.NumberFormat and a spreadsheet's ROUND do; Python's own ``format`` would give
"2,2", "2,67" and "12"). A rounded zero has no sign ("-0,0" is "0,0"). A missing value (None, NaN, pd.NA, not a number) reads
as the language's no-data word ("tidak ada data", "no data") unless ``missing`` gives another text.
The marks come from the text catalogue (``num.decimal``, ``num.group``).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

from serang_gis.core.text import t, unit_word

_DIGITS = Context(prec=400, rounding=ROUND_HALF_UP)  # room for any float's whole digits and its decimals


def value_of(value) -> float | None:
    """The value as a float, or None where it is missing (None, NaN, pd.NA, infinite, not a number)."""
    if value is None or isinstance(value, str) and not value.strip():
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _missing(lang: str, missing: str | None) -> str:
    return t(lang, "no_data") if missing is None else missing


def number(value, decimals: int = 0, lang: str = "id", *, missing: str | None = None, trim: bool = False) -> str:
    """1234.5 -> "1.234,5" (id) or "1,234.5" (en) at ``decimals``; ``trim``: no trailing zeros ("2,50" -> "2,5")."""
    x = value_of(value)
    if x is None:
        return _missing(lang, missing)
    text = f"{Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), context=_DIGITS):,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # a negative value rounded to zero
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.translate({ord(","): t(lang, "num.group"), ord("."): t(lang, "num.decimal")})


def count(value, lang: str = "id", *, missing: str | None = None) -> str:
    """A whole number: 1234 -> "1.234" (id), "1,234" (en)."""
    return number(value, 0, lang, missing=missing)


def percent(value, decimals: int = 1, lang: str = "id", *, missing: str | None = None) -> str:
    """A percentage figure: 12.43 -> "12,4 %"."""
    x = value_of(value)
    return _missing(lang, missing) if x is None else number(x, decimals, lang) + " %"


def share(fraction, decimals: int = 0, lang: str = "id", *, missing: str | None = None) -> str:
    """A fraction as a compact percentage, as terminal summaries print it: 0.74 -> "74%", 0.125 -> "12,5%" (1 decimal)."""
    x = value_of(fraction)
    return _missing(lang, missing) if x is None else number(x * 100, decimals, lang) + "%"


def rupiah(value, lang: str = "id", *, missing: str | None = None) -> str:
    """An amount of money in whole rupiah: "Rp 1.234.567" (id), "Rp 1,234,567" (en)."""
    x = value_of(value)
    return _missing(lang, missing) if x is None else "Rp " + number(x, 0, lang)


def rupiah_short(value, lang: str = "id", *, missing: str | None = None) -> str:
    """An amount in a few characters, for a legend's column head: "Rp 54 jt", "Rp 1,2 M" (id), "Rp 54 m", "Rp 1.2 bn" (en);
    one decimal below 10 units (trailing zero dropped), none from 10; under a million the whole amount ("Rp 750.000")."""
    x = value_of(value)
    if x is None:
        return _missing(lang, missing)
    for size, key in ((1e9, "num.billion"), (1e6, "num.million")):
        if abs(x) >= size:
            q = x / size
            return f"Rp {number(q, 1 if abs(q) < 10 else 0, lang, trim=True)} {t(lang, key)}"
    return rupiah(x, lang)


def quantity(value, decimals: int = 0, lang: str = "id", unit: str = "", *, missing: str | None = None) -> str:
    """A figure and its unit in ``lang``: "12,4 %", "1.234 balita" (id), "1,234 toddlers" (en); no unit: the figure."""
    x = value_of(value)
    if x is None:
        return _missing(lang, missing)
    word = unit_word(lang, unit)
    return number(x, decimals, lang) + (f" {word}" if word else "")


def area(m2, lang: str = "id", *, missing: str | None = None, like=None) -> str:
    """An area given in m2, in the unit that fits it: "9.339 m²" below a hectare, "4,2 ha" below a km², then "1,91 km²";
    with ``like`` (m2), in the unit that fits that one (two areas compared in one unit: "84,8 ha ... 146,0 ha")."""
    x = value_of(m2)
    if x is None:
        return _missing(lang, missing)
    size = abs(x) if like is None else abs(value_of(like) or 0)
    if size < 10_000:
        return number(x, 0, lang) + " m²"
    if size < 1_000_000:
        return number(x / 10_000, 1, lang) + " ha"
    return number(x / 1_000_000, 2, lang) + " km²"


def interval(value, lo, hi, decimals: int = 1, lang: str = "id", unit: str = "%", *, missing: str | None = None) -> str:
    """"12,4 % (8,1–18,3 %)": the figure with its unit, its interval after it (the unit repeated when it is %);
    the figure alone when a limit is missing."""
    text = quantity(value, decimals, lang, unit, missing=missing)
    a, b = value_of(lo), value_of(hi)
    if value_of(value) is None or a is None or b is None:
        return text
    return f"{text} ({number(a, decimals, lang)}–{number(b, decimals, lang)}{' %' if unit == '%' else ''})"


class Rupiah:
    """An amount in a message (``core.text.Msg``), written in the language the message is read in."""

    def __init__(self, value):
        self.value = value

    def text(self, lang: str) -> str:
        return rupiah(self.value, lang)

    def __eq__(self, other):
        return isinstance(other, Rupiah) and self.value == other.value

    __hash__ = None


class Area(Rupiah):
    """An area in m2 in a message (``core.text.Msg``), written in the unit that fits it (or fits ``like``, m2) and the
    message's language."""

    def __init__(self, value, like=None):
        super().__init__(value)
        self.like = like

    def text(self, lang: str) -> str:
        return area(self.value, lang, like=self.like)


class Share(Rupiah):
    """A fraction in a message as a compact percentage at 1 decimal ("2,2%"), in the message's language."""

    def text(self, lang: str) -> str:
        return share(self.value, 1, lang)


class Num(Rupiah):
    """A number in a message, with ``decimals`` (``trim``: "12,5" not "12,50"), in the language the message is read in."""

    def __init__(self, value, decimals: int = 0, trim: bool = False):
        super().__init__(value)
        self.decimals, self.trim = decimals, trim

    def text(self, lang: str) -> str:
        return number(self.value, self.decimals, lang, trim=self.trim)

