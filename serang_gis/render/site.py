"""The atlas home page (index.html): products, summary, the paper's checks, sources."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import pandas as pd
from jinja2 import Environment

from serang_gis.core.version import __version__

LABELS = {
    "id": dict(products="Produk", summary="Ringkasan", checks="Pemeriksaan angka makalah",
               checks_intro="Setiap total yang dicetak makalah dihitung ulang dari tabelnya; perbedaan ditampilkan, tidak disembunyikan.",
               check="Pemeriksaan", printed="Tercetak", computed="Dihitung", note="Catatan", same="sama", differs="berbeda",
               sources="Sumber data", notes="Catatan proses", table="Tabel kelurahan (klik judul kolom untuk mengurutkan)",
               match="Laporan pencocokan data", table_label="Tabel kelurahan, dapat digulir",
               sort_hint="urutkan"),
    "en": dict(products="Products", summary="Summary", checks="Checks of the paper's figures",
               checks_intro="Every total the paper prints is recomputed from its tables; differences are shown, not hidden.",
               check="Check", printed="Printed", computed="Computed", note="Note", same="same", differs="differs",
               sources="Data sources", notes="Processing notes", table="Kelurahan table (click a column title to sort)",
               match="Data match report", table_label="Kelurahan table, scrollable", sort_hint="sort"),
}


COLUMN_LABELS = {  # columns of the index table that are not indicators: (Indonesian, English)
    "kode_kel": ("Kode", "Code"), "kelurahan": ("Kelurahan", "Kelurahan"), "kecamatan": ("Kecamatan", "Kecamatan"),
    "lokus_2021": ("Lokus 2021", "Lokus 2021"), "lokus_2022": ("Lokus 2022", "Lokus 2022"),
    "peringkat": ("Peringkat", "Rank"), "peluang_top_n": ("Peluang masuk Prioritas 1 (%)", "Chance of top tier (%)"),
}
UNITS_EN = {"balita": "toddlers", "keluarga": "families", "KK": "households"}


def column_label(col: str, lang: str = "id") -> str:
    """A table column as a reader names it, with its unit: 'Prevalensi stunting (%)', not 'prevalensi_stunting'."""
    from serang_gis.core.indicators import INFO

    if col in COLUMN_LABELS:
        return COLUMN_LABELS[col][lang == "en"]
    info = INFO.get(col)
    if info is None:
        return col.replace("_", " ").capitalize()
    unit = UNITS_EN.get(info.unit, info.unit) if lang == "en" else info.unit
    return info.label(lang) + (f" ({unit})" if unit else "")


@dataclass(frozen=True)
class Product:
    href: str
    label: str
    note: str
    thumb: str | None = None


def _cell(v, lang):
    from serang_gis.core.text import fmt_number

    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return "", ""
    if isinstance(v, (bool,)) or str(type(v)).endswith("bool_'>"):
        return ("ya" if lang == "id" else "yes") if v else ("tidak" if lang == "id" else "no"), str(int(bool(v)))
    if isinstance(v, (int, float)) or hasattr(v, "dtype"):
        try:
            f = float(v)
            return fmt_number(f, 0 if f.is_integer() else 1, lang), repr(f)
        except (TypeError, ValueError):
            pass
    return str(v), str(v)


def render_index(*, title, subtitle, products, summary, checks, sources, notes=(), lang="id", table=None, match=(),
                 fragments=(), table_caption: str = "") -> str:
    """``fragments``: HTML sections built by the package with every data text escaped (the convergence matrix);
    ``table_caption``: which period the kelurahan table shows."""
    from markupsafe import Markup

    text = resources.files("serang_gis").joinpath("templates", "index.html.j2").read_text(encoding="utf-8")
    template = Environment(autoescape=True).from_string(text)
    rows = []
    if table is not None:
        rows = [[_cell(v, lang) for v in r] for r in table.itertuples(index=False)]
    return template.render(fragments=[Markup(f) for f in fragments], title=title, subtitle=subtitle, products=products, summary=summary, checks=checks,
                           sources=sources, notes=list(notes), L=LABELS[lang], lang=lang, version=__version__,
                           columns=[column_label(c, lang) for c in table.columns] if table is not None else [], rows=rows, match=list(match),
                           table_caption=table_caption)
