"""Leaflet pieces as branca MacroElements whose Jinja templates are package files."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from branca.element import MacroElement
from jinja2 import Template


def _template(name: str) -> Template:
    text = resources.files("serang_gis.maps").joinpath("templates", name).read_text(encoding="utf-8")
    return Template(text, autoescape=False)


@dataclass
class LegendItem:
    label: str
    kind: str = "fill"  # fill | line | circle
    color: str = "#999"
    outline: str = "#555"
    dashed: bool = False

    @property
    def style(self) -> str:
        if self.kind == "line":
            return f"border-top-color:{self.color};border-top-style:{'dashed' if self.dashed else 'solid'};border-width:3px 0 0 0"
        return f"background:{self.color};border-color:{self.outline}"


@dataclass
class LegendBlock:
    title: str
    items: list[LegendItem] = field(default_factory=list)
    note: str | None = None


class Legend(MacroElement):
    """A legend box: blocks of swatches, one block per layer."""

    _template = _template("legend.html.j2")

    def __init__(self, blocks: list[LegendBlock]):
        super().__init__()
        self._name = "Legend"
        self.blocks = blocks


class TitleBox(MacroElement):
    """Title, subtitle (sources and dates) and a folded list of sources."""

    _template = _template("title.html.j2")

    def __init__(self, title: str, subtitle: str = "", sources: list[str] = (), sources_label: str = "Sumber data"):
        super().__init__()
        self._name = "TitleBox"
        self.title, self.subtitle, self.sources, self.sources_label = title, subtitle, list(sources), sources_label
