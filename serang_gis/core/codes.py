"""Kemendagri region codes: parse whatever a file holds into the dotted form.

``36.73.01.1001`` is province 36, kab/kota 73, kecamatan 01, kelurahan 1001 (kelurahan numbers
start with 1, desa numbers with 2). Files write the same code as ``3673011001``, as a number
(``3673011001.0``, also as text), with a spreadsheet's text prefix (``'3673011001``), or for kab/kota as a JSON number where ``36.7`` means ``36.70``.
"""

from __future__ import annotations

import functools
import math
import re

# number of digits in each part of the dotted code, by level
_PARTS = {"provinsi": (2,), "kabkota": (2, 2), "kecamatan": (2, 2, 2), "kelurahan": (2, 2, 2, 4)}
_DOTTED = {lvl: re.compile(r"^" + r"\.".join(rf"\d{{{n}}}" for n in parts) + r"$") for lvl, parts in _PARTS.items()}
LEVELS = tuple(_PARTS)


@functools.lru_cache(maxsize=1 << 18, typed=True)  # a batch worker joins one national table's 83,000 codes per kab/kota
def normalize(value, level: str = "kelurahan") -> str | None:
    """Return the dotted code for ``value`` at ``level``, or None if it does not parse.

    >>> normalize("3673011001")
    '36.73.01.1001'
    >>> normalize(36.7, "kabkota")
    '36.70'
    """
    parts = _PARTS[level]
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if level == "kabkota" and 10 <= value < 100:  # 36.7 written as a JSON number means 36.70
            text = f"{value:.2f}"
            return text if _DOTTED[level].match(text) else None
        if not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip().lstrip("'‘’").strip()  # '3673011002: a spreadsheet's text prefix
    if _DOTTED[level].match(text):  # before the decimals are stripped: '10.00' is a kab/kota code, not ten
        return text
    text = re.sub(r"^(\d+)\.0+$", r"\1", text)  # 3673011002.0: a number written with its decimals
    if _DOTTED[level].match(text):
        return text
    if level == "kabkota" and re.fullmatch(r"\d{2}\.\d", text):
        return text + "0"
    digits = re.sub(r"[.\s\-]", "", text)
    if not digits.isdigit() or len(digits) != sum(parts):
        return None
    out, i = [], 0
    for n in parts:
        out.append(digits[i : i + n])
        i += n
    return ".".join(out)


def parent(code: str, level: str) -> str:
    """The code of the enclosing region at ``level`` (``kecamatan``, ``kabkota`` or ``provinsi``)."""
    n = len(_PARTS[level])
    return ".".join(code.split(".")[:n])


def level_of(code: str) -> str | None:
    """Which level a dotted code is at, or None."""
    for lvl, rx in _DOTTED.items():
        if rx.match(code):
            return lvl
    return None
