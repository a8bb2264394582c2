"""Leaflet pieces as branca MacroElements whose Jinja templates are package files."""

from __future__ import annotations

from importlib import resources

from branca.element import MacroElement
from jinja2 import Template


def _template(name: str) -> Template:
    text = resources.files("serang_gis.render.leaflet").joinpath("templates", name).read_text(encoding="utf-8")
    return Template(text, autoescape=False)


class TitleBox(MacroElement):
    """Title, subtitle (sources and dates) and a folded list of sources."""

    _template = _template("title.html.j2")

    def __init__(self, title: str, subtitle: str = "", sources: list[str] = (), sources_label: str = "Sumber data", panels=()):
        super().__init__()
        self._name = "TitleBox"
        self.title, self.subtitle, self.sources, self.sources_label = title, subtitle, list(sources), sources_label
        self.panels = [(head, list(lines)) for head, lines in panels]  # folded lists (the per-office page's activities)
