"""The atlas home page (index.html): products, summary, the paper's checks, sources."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import pandas as pd
from jinja2 import Environment

from serang_gis.core.numbers import number
from serang_gis.core.text import TEXT, stored_text, t, unit_word
from serang_gis.core.version import __version__

INDEX_WORDS = ("products", "summary", "checks", "checks_intro", "check", "printed", "computed", "note", "same", "differs", "sources",
               "notes", "table", "match", "table_label", "sort_hint")  # index.<word> in the text catalogue, the template's L
RANK_PERCENT = ("peluang_top_n",)  # rank columns that are a share, shown in percent


def column_label(col: str, lang: str = "id") -> str:
    """A table column as a reader names it, with its unit: 'Prevalensi stunting (%)', not 'prevalensi_stunting'."""
    from serang_gis.core.indicators import INFO

    if f"col.{col}" in TEXT[lang]:
        return t(lang, f"col.{col}")
    info = INFO.get(col)
    if info is not None:
        unit = unit_word(lang, info.unit)
        return info.label(lang) + (f" ({unit})" if unit else "")
    if f"rank.{col}" in TEXT[lang]:  # the ranking's own columns
        return t(lang, f"rank.{col}") + (" (%)" if col in RANK_PERCENT else "")
    return col.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Product:
    href: str
    label: str
    note: str
    thumb: str | None = None
    card: bool = False  # a map: a card (with its picture when there is one), not a line of the file list


def column_decimals(table: pd.DataFrame) -> list[int]:
    """One number of decimals per column (a quantity never reads "25" beside "26,0"): the indicator's own
    (``INFO[col].dec``), else 0 when every value is whole, else 1."""
    from serang_gis.core.indicators import INFO

    out = []
    for col in table.columns:
        if col in INFO:
            out.append(INFO[col].dec)
            continue
        vals = pd.to_numeric(table[col], errors="coerce").dropna() if table[col].dtype != bool else pd.Series(dtype=float)
        out.append(0 if vals.empty or bool((vals == vals.round()).all()) else 1)
    return out


def blank_text(col: str, lang: str) -> str:
    """What an empty cell of ``col`` says, in the map's words: not ranked, nothing to note ("–"), else no data."""
    from serang_gis.render.leaflet.indicator import NOTES, RANKED

    return t(lang, "rank_unranked") if col in RANKED else ("–" if col in NOTES else t(lang, "no_data"))


def _cell(v, lang, dec: int = 1, blank: str = ""):
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return blank, ""
    if isinstance(v, (bool,)) or str(type(v)).endswith("bool_'>"):
        return t(lang, "yes" if v else "no"), str(int(bool(v)))
    if isinstance(v, (int, float)) or hasattr(v, "dtype"):
        try:
            f = float(v)
            return number(f, dec, lang), repr(f)
        except (TypeError, ValueError):
            pass
    return stored_text(lang, str(v)), str(v)


def render_index(*, title, subtitle, products, summary, checks, sources, notes=(), lang="id", table=None, match=(),
                 fragments=(), table_caption: str = "", headings: dict | None = None) -> str:
    """``fragments``: HTML sections built by the package with every data text escaped (the convergence matrix);
    ``table_caption``: which period the kelurahan table shows; ``headings``: column -> its heading where it says more than
    ``column_label`` (the period of the reported cases, the date of the ODF status)."""
    from markupsafe import Markup

    text = resources.files("serang_gis").joinpath("templates", "index.html.j2").read_text(encoding="utf-8")
    template = Environment(autoescape=True).from_string(text)
    rows = []
    if table is not None:
        decs = column_decimals(table)
        blanks = [blank_text(c, lang) for c in table.columns]
        rows = [[_cell(v, lang, d, b) for v, d, b in zip(r, decs, blanks)] for r in table.itertuples(index=False)]
    return template.render(fragments=[Markup(f) for f in fragments], title=title, subtitle=subtitle, products=products, summary=summary, checks=checks,
                           sources=sources, notes=list(notes), L={w: t(lang, f"index.{w}") for w in INDEX_WORDS}, lang=lang, version=__version__,
                           columns=[(headings or {}).get(c) or column_label(c, lang) for c in table.columns] if table is not None else [],
                           rows=rows, match=list(match),
                           table_caption=table_caption)
