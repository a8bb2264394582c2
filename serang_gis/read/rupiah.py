"""Amounts in rupiah as offices write them, and the unit (ribu, juta, miliar) they are written in.

A unit can be said by the cell (``500 juta``), by its number format in Excel (``#,##0" juta"``), by a
``Satuan`` cell of its row, by the column's header (``Pagu (Rp Juta)``), by a header row above it (a merged
``Anggaran (Rp Juta)`` over ``Pagu`` / ``Realisasi``) or by a title row (``(dalam ribuan rupiah)``). The
nearest one counts: cell, number format, Satuan, header, header above, title.

``2,480 juta`` is either 2,48 juta (a decimal comma) or 2480 juta (an English thousands comma): the other
amounts of the file decide (``number_style``); when they cannot, the cell is refused, never read 1000x off.
"""

from __future__ import annotations

import re

from serang_gis.core.fields import header_key
from serang_gis.core.numbers import rupiah
from serang_gis.read.tablebase import MISSING, NumberError

_UNITS = {"m": 1e9, "miliar": 1e9, "milyar": 1e9, "mily": 1e9, "mld": 1e9, "b": 1e9, "juta": 1e6, "jt": 1e6,
          "ribu": 1e3, "rb": 1e3, "k": 1e3}
_AMOUNT = re.compile(r"([\d.,]+)\s*(miliar|milyar|mily|mld|m|b|juta|jt|ribu|rb|k)?\.?")

MAX_PAGU = 10**12  # Rp 1 triliun: above the whole yearly budget of a kab/kota; one activity beyond it is a misread unit
_UNIT_WORDS = {"juta": ("juta", 1e6), "jutaan": ("juta", 1e6), "jt": ("juta", 1e6), "ribu": ("ribu", 1e3), "ribuan": ("ribu", 1e3),
               "rb": ("ribu", 1e3), "miliar": ("miliar", 1e9), "milyar": ("miliar", 1e9), "m": ("miliar", 1e9)}
RUPIAH = ("rupiah", 1.0)
Unit = tuple[str, float]


def header_unit(header) -> Unit | None:
    """The unit an amount column's header states: "Pagu (Rp Juta)" -> ("juta", 1e6); "(Rp 000)" -> ribu,
    "(Rp 000.000)" -> juta, "(M)" / "(Miliar)" -> miliar; None for plain rupiah.

    Two different unit words in one header are refused (the column cannot be read either way)."""
    words = header_key(header).split()
    found = {_UNIT_WORDS[w] for w in words if w in _UNIT_WORDS}
    zeros = sum(w == "000" for w in words)
    if zeros:
        found.add({1: ("ribu", 1e3), 2: ("juta", 1e6), 3: ("miliar", 1e9)}.get(zeros, ("?", 0.0)))
    if len(found) > 1 or ("?", 0.0) in found:
        raise NumberError(f"header {header!r} names more than one unit; write one: Pagu (Rp), Pagu (Rp Juta) or Pagu (Rp Ribu)")
    return found.pop() if found else None


# a title names the unit of the amounts only in money words: "(dalam ribuan rupiah)", "(Rp juta)", "Rp x 1.000", "jutaan rupiah"
_TITLE_UNIT = re.compile(r"\b(?:dalam|rp|idr|rupiah|satuan|x)\s+(?:rp\s+|x\s+)?(ribuan|ribu|rb|jutaan|juta|jt|miliar|milyar|(?:1 )?000(?: 000)*)\b"
                         r"|\b(ribuan|jutaan|juta|ribu|miliar|milyar)\s+(?:rupiah|rp)\b")


def title_unit(text) -> Unit | None:
    """The unit a title row above the header names ("Matriks Aksi 2 (dalam ribuan rupiah)" -> ribu), or None."""
    found = set()
    for m in _TITLE_UNIT.finditer(header_key(text)):
        word = m.group(1) or m.group(2)
        zeros = word.split().count("000")
        found.add(_UNIT_WORDS[word] if word in _UNIT_WORDS else {1: ("ribu", 1e3), 2: ("juta", 1e6), 3: ("miliar", 1e9)}.get(zeros, ("?", 0.0)))
    if len(found) > 1 or ("?", 0.0) in found:
        raise NumberError(f"title {text[:80]!r} names more than one unit; write one (dalam ribuan rupiah, dalam juta rupiah)")
    return found.pop() if found else None


def satuan_unit(text) -> Unit | None:
    """A Satuan cell holding a money unit ("juta", "Rp Juta", "ribu rupiah", "Rupiah") -> its unit; None when it is not one."""
    words = [w for w in header_key(text).split() if w not in ("rp", "idr", "rupiah", "dalam")]
    if not words and header_key(text):
        return RUPIAH
    if len(words) == 1 and words[0] in _UNIT_WORDS:
        return _UNIT_WORDS[words[0]]
    return None


def format_unit(code: str) -> tuple[Unit | None, int]:
    """What an Excel number format says of the amount: (the unit its text names, the thousands it divides by).
    ``#,##0" juta"`` -> (juta, 0); ``"Rp"#,##0,,`` -> (None, 2): shown in millions; ``#,##0,," jt"`` -> (juta, 2)."""
    first = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', code)[0]
    literal = " ".join(re.findall(r'"([^"]*)"', first) + re.findall(r"\\(.)", first))
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', " ", first)
    words = [w for w in header_key(literal).split() if w in _UNIT_WORDS]
    m = re.search(r"[0#?](,+)[^0#?]*$", bare)
    return (_UNIT_WORDS[words[0]] if len(set(words)) == 1 else None), (len(m.group(1)) if m else 0)


_ID_STYLE = re.compile(r"\d,\d{1,2}(?![\d,])|\d{1,3}(?:\.\d{3}){2,}(?![\d.])")
_EN_STYLE = re.compile(r"\d{1,3}(?:,\d{3}){2,}(?![\d,])|\d\.\d{1,2}(?![\d.])")


def number_style(cells, machine: bool = False) -> str | None:
    """How the file's amounts write a comma: "id" (a decimal comma, a dot between thousands: 1,25 M, 1.250.000.000),
    "en" (1.25 M, 1,250,000,000), "mixed", or None when no cell says. ``machine``: an XLSX, whose plain numbers
    (1250.5) are the program's, not the writer's."""
    ids = ens = False
    for c in cells:
        c = str(c)
        if machine and re.fullmatch(r"\d+(\.\d+)?", c):
            continue
        ids = ids or bool(_ID_STYLE.search(c))
        ens = ens or bool(_EN_STYLE.search(c))
    return "mixed" if ids and ens else "id" if ids else "en" if ens else None


def _unit_number(num: str, style: str | None = None) -> float:
    """The number before a unit, read as Indonesian offices write it: 2.480 (juta) and 1.002 (jt) are thousands,
    1,25 (M) a decimal comma; 1.5 (juta) a decimal point (never thousands with fewer than three digits).
    ``2,480`` (a comma before three digits) is read by the file's ``style``, refused without one."""
    if re.fullmatch(r"\d{1,3},\d{3}", num):
        if style in ("id", "en"):
            return float(num.replace(",", ".") if style == "id" else num.replace(",", ""))
        a, b = num.split(",")
        raise NumberError(f"is ambiguous: {num} may be {a}{b} (a thousands comma) or {a} point {b} (a decimal comma), and the other "
                          f"amounts of the file do not say which; write {a}.{b} to mean {a}{b}, or the full amount in rupiah")
    if style == "en" and re.fullmatch(r"\d{1,3}\.\d{3}", num):
        return float(num)  # the file writes 1.5 M and 1,250,000,000: the dot is its decimal point
    if re.fullmatch(r"\d+(,\d+)?", num):
        return float(num.replace(",", "."))
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", num):
        return float(num.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+\.\d{1,2}", num):
        return float(num)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", num):
        return float(num.replace(",", ""))
    raise NumberError("is not an amount (write 1,25 M, 2.480 juta or 500 juta)")


def parse_rupiah(text, unit: Unit | None = None, style: str | None = None) -> int | None:
    """An amount in rupiah as offices write it -> whole rupiah; None when empty or '-'.

    ``Rp 1.250.000.000``, ``Rp1.250.000.000,00``, ``1250000000``, ``1,250,000,000``, ``1,25 M``,
    ``1,25 miliar``, ``500 juta``, ``2.480 juta`` (2.480 x 1 juta), ``Rp 1.002 jt``, ``750 rb``. ``unit``: the
    unit the column's header (or the row, or the cell's format) states, applied to a cell that writes none. Without
    either, an amount under Rp 1.000 is refused (``1,25`` is almost surely ``1,25 M``): write the unit. One activity
    of more than Rp 1 triliun is refused as a misread unit. ``style``: ``number_style`` of the file.
    """
    t = str(text).strip().lower().replace("\u00a0", " ")
    if t in MISSING:
        return None
    t = re.sub(r"^(rp|idr)\.?\s*", "", t)
    t = re.sub(r"\s*[,.]-$", "", t).strip()
    m = _AMOUNT.fullmatch(t)
    if not m:
        raise NumberError("is not an amount in rupiah (write 1.250.000.000, Rp 1.250.000.000, 1,25 M or 500 juta)")
    num, cell_unit = m.groups()
    if cell_unit:
        value = _unit_number(num, style) * _UNITS[cell_unit]
    else:
        value = (_unit_number(num, style) if unit and unit[1] > 1 and re.fullmatch(r"\d{1,3},\d{3}", num) else _plain_number(num)) \
            * (unit[1] if unit else 1)
        if not unit and 0 < value < 1000:
            raise NumberError("is under Rp 1.000: write the unit (1,25 M, 500 juta) or the full amount (1.250.000.000)")
    if value > MAX_PAGU:
        raise NumberError(f"reads as {rupiah(value)} (over Rp 1 triliun): check the unit"
                          + (f" (the header says {unit[0]}; write the amounts in {unit[0]}, or drop the unit from the header)"
                             if unit and not cell_unit else ""))
    return int(round(value))


def _plain_number(num: str) -> float:
    """A number without a unit: 1.250.000.000 / 1.250.000.000,00 (Indonesian), 1,250,000,000 (English), 1250000000, 2,48."""
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", num):
        return float(num.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d{1,2})?", num):
        return float(num.replace(",", ""))
    if re.fullmatch(r"\d+([.,]\d{1,3})?", num):
        return float(num.replace(",", "."))
    raise NumberError("is not an amount in rupiah (write 1.250.000.000, 1,25 M or 500 juta)")
