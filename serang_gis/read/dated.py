"""Years and months written in sheet names and title rows, checked against ``--period``.

A workbook with sheets "Agustus 2022" and "Agustus 2023" read with ``--period 2023`` must read the 2023 sheet;
a table titled "AGUSTUS 2023" joined with ``--period 2024-08`` is refused (the title row is named), never
labelled with a period its own title contradicts.
"""

from __future__ import annotations

import re

from serang_gis.core.errors import InputError

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2, "maret": 3, "mar": 3,
    "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7,
    "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12,
    "des": 12, "dec": 12, "december": 12,
}
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_DATE = re.compile(r"(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?!\d)")  # a written date (05/09/2025): when made, not the period
# a row saying when the file was printed or downloaded names that date, not the data's period
_WHEN_MADE = re.compile(r"cetak|unduh|download|export|ekspor|update|diperbarui|print|dibuat", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")


def dates_named(text: str) -> tuple[set[int], set[int]]:
    """({years}, {months}) written in a text: 'Rekap AGUSTUS 2023' -> ({2023}, {8})."""
    low = _DATE.sub(" ", str(text).casefold())
    years = {int(y) for y in _YEAR.findall(low)}
    months = {MONTHS[w] for w in _WORD.findall(low) if w in MONTHS}
    return years, months


def contradicts(text: str, period: str | None) -> bool:
    """True when the text names a year (or a month of a single year) outside ``period``."""
    from serang_gis.read.eppgbm import parse_period

    if not period:
        return False
    years, months = dates_named(text)
    if not years:
        return False
    start, end = parse_period(period)
    if not any(start.year <= y <= end.year for y in years):
        return True
    if months and len(years) == 1 and start.year == end.year:
        return not any(start.month <= m <= end.month for m in months)
    return False


def sheet_for_period(path, names: list[str], period: str | None) -> int:
    """The index of the sheet to read when no --sheet is given: the first, unless sheet names carry dates,
    then the one sheet whose name fits ``period`` (several, or none while the first is dated: an error)."""
    if not period or len(names) < 2:
        return 0
    dated = [n for n in names if dates_named(n)[0]]
    if not dated:
        return 0
    fits = [i for i, n in enumerate(names) if n in dated and not contradicts(n, period)]
    if len(fits) == 1:
        return fits[0]
    if (fits and fits[0] == 0) or (not fits and names[0] not in dated):
        return 0
    which = f"{len(fits)} sheets fit" if fits else "no sheet fits"
    raise InputError(f"{path}: the sheet names carry dates and {which} --period {period} (sheets: {', '.join(names)})",
                     hint="choose the sheet with --sheet NAME (the atlas config: sheet = \"NAME\" in the [[data]] table), "
                          "or give the period of the data")


def check_sheet_name(path, sheet: str | None, period: str | None) -> None:
    """A sheet chosen by name that names another period than --period: refused."""
    if sheet and contradicts(sheet, period):
        raise InputError(f"{path}: sheet {sheet!r} names another period than --period {period}",
                         hint="choose the sheet of that period, or give the period the sheet holds")


def check_titles(name: str, titles: list[tuple[int, str]], period: str | None, personal: bool) -> None:
    """A title row above the header that names another period than --period: refused, the row named."""
    for row, text in titles:
        if contradicts(text, period) and not _WHEN_MADE.search(text):
            years, months = dates_named(text)
            shown = f"names {', '.join(map(str, sorted(years)))}" if personal else f"reads {text[:100]!r}"
            raise InputError(f"{name}: row {row} (a title above the header) {shown}, but --period is {period}: "
                             "the figures would be labelled with a period their own title contradicts",
                             hint="check that the file is the one for that period, or give the period the title says "
                                  "(--period, or period = \"...\" in the atlas config)")
