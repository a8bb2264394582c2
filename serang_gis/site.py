"""The atlas home page (index.html): products, summary, the paper's checks, sources."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from jinja2 import Environment

from . import __version__

LABELS = {
    "id": dict(products="Produk", summary="Ringkasan", checks="Pemeriksaan angka makalah",
               checks_intro="Setiap total yang dicetak makalah dihitung ulang dari tabelnya; perbedaan ditampilkan, tidak disembunyikan.",
               check="Pemeriksaan", printed="Tercetak", computed="Dihitung", note="Catatan", same="sama", differs="berbeda",
               sources="Sumber data", notes="Catatan proses"),
    "en": dict(products="Products", summary="Summary", checks="Checks of the paper's figures",
               checks_intro="Every total the paper prints is recomputed from its tables; differences are shown, not hidden.",
               check="Check", printed="Printed", computed="Computed", note="Note", same="same", differs="differs",
               sources="Data sources", notes="Processing notes"),
}


@dataclass(frozen=True)
class Product:
    href: str
    label: str
    note: str


def render_index(*, title, subtitle, products, summary, checks, sources, notes=(), lang="id") -> str:
    text = resources.files("serang_gis").joinpath("templates", "index.html.j2").read_text(encoding="utf-8")
    template = Environment(autoescape=False).from_string(text)
    return template.render(title=title, subtitle=subtitle, products=products, summary=summary, checks=checks,
                           sources=sources, notes=list(notes), L=LABELS[lang], lang=lang, version=__version__)
