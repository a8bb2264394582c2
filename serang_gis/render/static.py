"""Static maps for reports (PNG and PDF) with matplotlib: title, legend, scale bar, north arrow, source.

Drawn in UTM metres so that the scale bar is true; PNG and PDF carry no creation time, so the same
inputs give the same bytes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from serang_gis.core.numbers import number  # noqa: E402
from serang_gis.core.text import t  # noqa: E402
from serang_gis.output.writers import figure_bytes, save_figure, write_bytes  # noqa: E402
from serang_gis.core.geometry import leader_exit, utm_crs  # noqa: E402
from serang_gis.plan.layers import BASE_COLOR, OUTLINE_COLOR, RARE_MOST, RARE_SHARE  # noqa: E402


ATLAS_PT = {"title": 13, "subtitle": 8, "source": 6, "legend": 8, "legend_title": 8.5, "label": 7, "scale": 8, "north": 11}


SLIDE_LABEL_LESS = 4  # a slide map's kecamatan labels this many points under its legend: at 14 pt on a map 4 inches high
# they covered the circles and the one Belum ODF kelurahan, with no free place left round them (recheck11 H2)


def text_sizes(font: float | None) -> dict[str, float]:
    """The figure's text sizes in points: the atlas's (``font=None``), or every text at least ``font`` (a slide's map,
    drawn at the size it is shown so that its legend reads from the back of the room)."""
    return dict(ATLAS_PT) if font is None else dict({k: max(v, font) for k, v in ATLAS_PT.items()}, label=font - SLIDE_LABEL_LESS)


def _scale_bar(ax, width_m: float, size: float = 8):
    """A bar of a round length (1, 2, 5 x 10^n m) in the lower left."""
    target = width_m / 5
    exp = 10 ** math.floor(math.log10(target))
    length = max(m * exp for m in (1, 2, 5) if m * exp <= target)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x, y = x0 + (x1 - x0) * 0.05, y0 + (y1 - y0) * 0.05
    ax.plot([x, x + length], [y, y], color="black", linewidth=3, solid_capstyle="butt")
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(x + length / 2, y + (y1 - y0) * 0.015, label, ha="center", va="bottom", fontsize=size)


def _north_arrow(ax, lang: str, size: float = 11):
    ax.annotate(t(lang, "north"), xy=(0.95, 0.93), xytext=(0.95, 0.83), xycoords="axes fraction", ha="center", va="center",
                fontsize=size, fontweight="bold", arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5})


def warm() -> None:
    """Load what the first map would load (fonts, the PNG and PDF writers' caches) ahead of it: called by the drawing
    process while the build is still reading and planning (``output.background.prestarted``)."""
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.fill([0, 1, 1], [0, 0, 1], color=BASE_COLOR, edgecolor="#555555", linewidth=0.4)
    ax.text(0.5, 0.5, "Kota Serang 0,5 %", fontsize=8, fontweight="bold", path_effects=HALO)
    ax.legend(handles=[Patch(facecolor=BASE_COLOR, label="a")], title="b", loc="upper left")
    thumbnail(figure_bytes(fig, "png", dpi=PNG_DPI))
    figure_bytes(fig, "pdf")
    plt.close(fig)


def render_layer(units: gpd.GeoDataFrame, layer, *, title: str, subtitle: str, source: str,
                 outlines: gpd.GeoDataFrame | None = None, png: Path, pdf: Path | None = None, thumb: Path | None = None,
                 lang: str = "id", size: tuple[float, float] = (11.0, 7.6), overlays=(), circles=None) -> list[Path]:
    """A planned layer (``plan.LayerPlan``) for reports: its colours, hatches and legend, nothing decided here.
    ``overlays``, ``circles``: see ``layer_figure``."""
    fig, legend = layer_figure(units, layer, title=title, subtitle=subtitle, source=source, outlines=outlines, lang=lang, size=size,
                               overlays=overlays, circles=circles)
    written = _save(fig, legend, png, pdf, thumb)
    plt.close(fig)
    return written


def layer_figure(units: gpd.GeoDataFrame, layer, *, title: str, subtitle: str, source: str,
                 outlines: gpd.GeoDataFrame | None = None, lang: str = "id", size: tuple[float, float] = (11.0, 7.6),
                 font: float | None = None, named: list[tuple[str, float, float]] | None = None, overlays=(), circles=None):
    """The figure of a planned layer (not saved) and its legend items: counts as circles with a size legend
    headed by the layer's title, rates as fills with the plan's classes. ``font``, ``named``: see ``figure``.

    Over a fill layer: ``overlays``, outline layers (``kind == "outline"``: the units it marks outlined in its colour,
    dashed where it says so, e.g. the lokus lists), each a line in the legend; ``circles``, a count layer drawn as
    proportional circles with its size legend (headed by its title)."""
    drawn = [(t(lang, "kec_outline"), OUTLINE_COLOR, "line")] if outlines is not None and len(outlines) else []
    if layer.kind == "circles":
        values = pd.to_numeric(units[layer.column], errors="coerce").to_numpy(dtype=float)
        circles = Circles(values, layer.color, layer.unit, layer.max_value, heading=layer.title, stroke=layer.stroke)
        blank = np.isnan(values)  # no figure is not a zero: filled grey and said in the legend, as the HTML maps do
        drawn = ([(layer.no_data_label, layer.no_data_color, "fill")] if blank.any() else []) + drawn
        return figure(units, [layer.no_data_color if b else BASE_COLOR for b in blank], drawn, title=title, subtitle=subtitle,
                      source=source, outlines=outlines, circles=circles, lang=lang, size=size, font=font, named=named), drawn
    lines = [(np.asarray(o.index) >= 0, o.color, bool(o.dash)) for o in overlays if o.kind == "outline"]
    marked = [(o.title, o.color, "dash" if o.dash else "overlay") for o in overlays if o.kind == "outline"]
    # an old status is said with its date, as the plan decided it: "Belum ODF (Kaligandu, laporan 2022-10-20)"
    legend = [(label, color, kind) for kind, label, color in layer.legend()] + marked + drawn
    sized = None
    if circles is not None:
        values = pd.to_numeric(units[circles.column], errors="coerce").to_numpy(dtype=float)
        sized = Circles(values, circles.color, circles.unit, circles.max_value, heading=circles.title, stroke=circles.stroke)
    return figure(units, layer.colors(), legend, title=title, subtitle=subtitle, source=source, outlines=outlines,
                  hatched=layer.hatched, lang=lang, size=size, font=font, named=named, lines=lines, circles=sized), legend


@dataclass
class Circles:
    """Proportional circles: a value per unit (area proportional to it), their colour, the unit word of the legend
    ("balita"), the value of the largest circle and the size legend's heading."""

    values: np.ndarray
    color: str
    unit: str = ""
    max_value: float | None = None
    heading: str = ""
    stroke: str = "#67001f"


def render(units: gpd.GeoDataFrame, colors: list[str], legend: list[tuple], *, title: str, subtitle: str,
           source: str, outlines: gpd.GeoDataFrame | None = None, circles: Circles | None = None, hatched=None,
           png: Path, pdf: Path | None = None, thumb: Path | None = None, lang: str = "id") -> list[Path]:
    """``figure`` written as PNG (legend as text in it), PDF and thumbnail."""
    fig = figure(units, colors, legend, title=title, subtitle=subtitle, source=source, outlines=outlines, circles=circles,
                 hatched=hatched, lang=lang)
    written = _save(fig, legend, png, pdf, thumb)
    plt.close(fig)
    return written


def figure(units: gpd.GeoDataFrame, colors: list[str], legend: list[tuple], *, title: str, subtitle: str,
           source: str, outlines: gpd.GeoDataFrame | None = None, circles: Circles | None = None, hatched=None,
           lang: str = "id", size: tuple[float, float] = (11.0, 7.6), font: float | None = None,
           named: list[tuple[str, float, float]] | None = None, lines: list[tuple] | None = None):
    """Polygons filled with ``colors`` (one per unit); ``legend`` is (label, colour[, "fill"|"hatch"]) items.

    ``size``: inches; A4-ish landscape for reports, wider for a 16:9 slide (the map keeps the left part, its
    legend the right quarter or so, whatever the width).

    ``hatched``: a boolean per unit, hatched over its fill (a caveat of the plan).
    ``circles``: proportional symbols at each unit, drawn under the labels, with a size legend in its own box
    (counts are never a choropleth). Labels carry a white halo and move off the circles.
    ``font``: every text at least this many points (``text_sizes``), the legend's room measured rather than assumed.
    ``named``: (text, x, y in the units' CRS) labels placed before the outlines' (``_outlines``); no two labels overlap.
    ``lines``: (a boolean per unit, colour, dashed) outlines over the fills and the kecamatan outlines, under the
    circles (``_overlay``); their legend items are ``legend``'s "overlay" (solid) and "dash" (dashed) ones.
    """
    pt = text_sizes(font)
    utm = utm_crs(units)
    u = units.to_crs(utm)
    fig, ax = plt.subplots(figsize=size)  # the map, and the legend beside it, never over it
    fig.canvas.draw_idle = _no_draw  # geopandas' plot() redraws the whole figure after each layer: drawn once, when saved
    right = 1 - 3.5 / size[0]  # about 3.5 inches for the legend, at any width
    fig.subplots_adjust(left=0.02, right=right, top=0.9 if title else 0.94, bottom=0.08)  # first: labels are placed in final pixels
    u.plot(ax=ax, color=colors, edgecolor="#555555", linewidth=0.4)
    if hatched is not None and np.asarray(hatched).any():
        u[np.asarray(hatched, dtype=bool)].plot(ax=ax, facecolor="none", edgecolor="#000000", hatch="////", linewidth=0.8,
                                               linestyle="--")
    for i, (on, color, dash) in enumerate(lines or []):
        _overlay(ax, u[np.asarray(on, dtype=bool)], color, dash, zorder=2.5 + i / 100)
    _frame(ax, u, lang, pt)
    _inside_figure(ax, _legends(ax, legend, circles, lang, pt, font, size))
    discs = _circles(ax, u, circles) if circles is not None else []
    if named:
        xy = gpd.GeoSeries(gpd.points_from_xy([x for _, x, _ in named], [y for _, _, y in named]), crs=units.crs).to_crs(utm)
        named = [(n, p.x, p.y) for (n, _, _), p in zip(named, xy)]
    one_kec = "kelurahan" in u.columns and "kode_kec" in u.columns and u["kode_kec"].nunique() == 1 and len(u) > 1
    rare = rare_units(u, colors)  # labels keep off the units of a rare class (the one Belum ODF kelurahan) as off circles
    if outlines is not None and len(outlines):  # a kecamatan's own map: its name is the page's title, not a label over a kelurahan
        _outlines(ax, outlines.to_crs(utm), discs, pt["label"], named, label=not one_kec, avoid=rare)
    elif named:
        placed: list = []
        for text, x, y in named:
            place_label(ax, text, (x, y), discs, placed, must=True, avoid=rare, fontsize=pt["label"] - 1, style="italic", zorder=6)
    if one_kec:
        _unit_names(ax, u, pt["label"] - 0.5)  # its kelurahan named, to be read against its table
    fig.suptitle(title, fontsize=pt["title"], fontweight="bold", x=0.02, ha="left")
    ax.set_title(subtitle, fontsize=pt["subtitle"], loc="left", color="#333333")
    said = fig.text(0.02, 0.01, source, fontsize=pt["source"], color="#444444", ha="left", va="bottom", wrap=True)
    said.__class__ = SourceText  # the figure's own text (in fig.texts, as before), wrapped faster
    return fig


class SourceText(Text):
    """A text wrapped as matplotlib wraps one (``wrap=True``: greedy, by words, to the figure's edge), each line's break
    found by bisection. matplotlib measures every longer run of words in turn, at each drawing: a map's long source line
    (lokus, ODF and cases, with their sites) took a quarter of the map. The same lines (the width of a run of words
    only grows with its words)."""

    def _get_wrapped_text(self):
        if not self.get_wrap() or self.get_usetex():
            return super()._get_wrapped_text()
        width, lines = self._get_wrap_line_width(), []
        for paragraph in self.get_text().split("\n"):
            words = paragraph.split(" ")
            while words:
                fit, most = 1, len(words)  # a line takes one word at least, as matplotlib's does
                while fit < most:
                    mid = (fit + most + 1) // 2
                    if self._get_rendered_text_width(" ".join(words[:mid])) > width:
                        most = mid - 1
                    else:
                        fit = mid
                lines.append(" ".join(words[:fit]))
                words = words[fit:]
        return "\n".join(lines)


def _legends(ax, legend: list[tuple], circles, lang: str, pt: dict, font: float | None, size: tuple[float, float]) -> list:
    """The class legend and the circles' size legend beside the map (``figure``); with ``font`` (a slide), the map's
    right edge set by their measured width."""
    fig = ax.figure
    handles = [_handle(item) for item in legend]
    boxes = []
    if handles:
        first = ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=pt["legend"], frameon=False,
                          labelspacing=1.1 if font is None else 0.5)
        ax.add_artist(first)
        boxes.append(first)
    if circles is not None:
        boxes.append(_size_legend(ax, circles, lang, below=bool(handles), pt=pt, wrap=font is not None))
    if font is not None:  # the legend's measured width (plus a margin), not the atlas's 3.5 inches
        renderer = fig.canvas.get_renderer()
        if circles is not None and len(boxes) == 2 and boxes[1] is not None and _taller(fig, boxes, renderer):
            boxes[1].remove()  # a long class legend (lokus lines beside the classes) and the size legend do not fit one above
            boxes[1] = _size_legend(ax, circles, lang, below=True, pt=pt, wrap=True, compact=True)  # the other: circles side by side
        wide = max([b.get_window_extent(renderer).width for b in boxes if b is not None], default=0) / fig.dpi
        fig.subplots_adjust(right=1 - (wide + 0.25) / size[0])
    return boxes


def _no_draw(*args, **kwargs) -> None:
    """A figure's ``draw_idle`` while it is built (nothing on screen to refresh; saving draws it)."""


def _inside_figure(ax, boxes: list) -> None:
    """Legends that run off the figure (a size legend under the class legend on a short slide map: its smaller
    reference circle was cut off), or that meet (a long class legend reaching down into the size legend under it),
    stacked one above the other, centred on the figure's height, inside it."""
    boxes = [b for b in boxes if b is not None]
    fig = ax.figure
    ax.apply_aspect()  # the axes' final box (equal aspect): the legends' anchors are in its coordinates
    renderer = fig.canvas.get_renderer()
    extents = [b.get_window_extent(renderer) for b in boxes]
    height = fig.bbox.height
    apart = not any(a.overlaps(b) for i, a in enumerate(extents) for b in extents[i + 1:])
    if not extents or (apart and all(e.y0 >= 0 and e.y1 <= height for e in extents)):
        return
    gap = 0.02 * height
    top = min(height, (height + sum(e.height for e in extents) + gap * (len(extents) - 1)) / 2)
    for b, e in zip(boxes, extents):
        pad = b.borderaxespad * b.prop.get_size_in_points() * fig.dpi / 72  # the legend sits this far below its anchor
        y = ax.transAxes.inverted().transform((0, top + pad))[1]
        b.set_loc("upper left")
        b.set_bbox_to_anchor((1.01, y), transform=ax.transAxes)
        top -= e.height + gap


def _handle(item: tuple):
    """The legend's symbol of a (label, colour[, "fill"|"hatch"|"line"]) item."""
    kind = item[2] if len(item) > 2 else "fill"
    if kind == "hatch":
        return Patch(facecolor="white", edgecolor="#000000", hatch="////", linestyle="--", label=item[0])
    if kind == "line":
        return Line2D([], [], color=item[1], linewidth=1.1, label=item[0])
    if kind in ("overlay", "dash"):  # an outline layer's line, as drawn on the map (``_overlay``)
        return Line2D([], [], color=item[1], label=item[0], **_overlay_style(kind == "dash"))
    return Patch(facecolor=item[1], edgecolor="#555555", label=item[0])


HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]


def _overlay_style(dash: bool) -> dict:
    """An outline layer's line (e.g. a lokus list): solid and wide, or dashed and narrower so that a unit in a solid
    and a dashed list shows both (the dashes over the solid line); both wider than the kecamatan outlines (1.1)."""
    return {"linewidth": 1.5, "linestyle": (0, (4, 2.5))} if dash else {"linewidth": 2.4, "linestyle": "-"}


def _overlay(ax, units: gpd.GeoDataFrame, color: str, dash: bool, zorder: float) -> None:
    """The outlines of ``units`` in one line style; a boundary two of them share drawn once (two dashed lines traced in
    opposite directions would read as a solid one)."""
    if not len(units):
        return
    import shapely

    edges = shapely.line_merge(shapely.union_all(units.boundary.values))
    style = _overlay_style(dash)
    gpd.GeoSeries([edges], crs=units.crs).plot(ax=ax, color=color, zorder=zorder + (0.05 if dash else 0), capstyle="butt", **style)


def _outlines(ax, o: gpd.GeoDataFrame, discs: list[tuple[float, float, float]], size: float = 7,
              named: list[tuple[str, float, float]] | None = None, label: bool = True, avoid=None) -> None:
    """Outlines drawn over the fills (kecamatan), each labelled with its first column: a white halo, above the
    circles. ``named``: (text, x, y) labels placed first (the kelurahan a slide's title names, italic). Every label
    is moved off the circles and off the labels placed before it (``place_label``); a kecamatan label that finds no
    free place is left out (its outline stays), a named one is always drawn. ``avoid``: the rare units (``rare_units``),
    kept clear as the circles are."""
    o.boundary.plot(ax=ax, color=OUTLINE_COLOR, linewidth=1.1, zorder=2)
    renderer = ax.figure.canvas.get_renderer()
    placed: list = [x.get_window_extent(renderer).padded(2) for x in ax.texts if x.get_text()]  # the scale bar's, north arrow's
    for text, x, y in named or []:
        place_label(ax, text, (x, y), discs, placed, must=True, avoid=avoid, fontsize=size - 1, style="italic", zorder=6)
    if not label:
        return
    for name, pt in zip(o[o.columns[0]], o.representative_point()):
        place_label(ax, str(name), (pt.x, pt.y), discs, placed, avoid=avoid, fontsize=size, fontweight="bold", zorder=5)


LEADER = {"arrowstyle": "-", "color": OUTLINE_COLOR, "lw": 0.8, "shrinkA": 1, "shrinkB": 0}


def place_label(ax, text: str, xy, discs, placed: list, *, must: bool = False, avoid=None, **style):
    """A haloed label at ``xy`` (data units), or the nearest free place round it: at the point, then just off the
    circle it sits in (below, above, right, left), then in rings further out with a leader line back to the point.
    Free: meeting no circle, no box in ``placed`` (display pixels) and no part of ``avoid`` (a shapely geometry in data
    units: the units of a rare class, ``rare_units``), inside the map's axes (not over the legend beside it); failing
    that, a place off every label, off ``avoid`` where one is, over a circle's edge rather than its centre (the place
    covering the fewest circles' centres, the nearest of those: a slide's large label sat on a small circle and hid it).
    The label's box is added to ``placed``; None when every place meets a label (``must``: then drawn at the point anyway)."""
    renderer = ax.figure.canvas.get_renderer()
    reach = max([r for x, y, r in discs if _inside(ax, xy, (x, y), r)], default=0.0) + 2  # points
    step = style.get("fontsize", 7) * 1.3
    tries = [(0.0, 0.0)] + [(dx * d, dy * d) for d in (reach, reach + step, reach + 2 * step, reach + 3.5 * step, reach + 5 * step)
                            for dx, dy in ((0, -1), (0, 1), (1, 0), (-1, 0), (0.8, -0.8), (-0.8, -0.8), (0.8, 0.8), (-0.8, 0.8))]
    fig_box, near, second = ax.get_window_extent(renderer), None, None
    measure = _LabelBox(ax, text, xy, style, renderer)
    for dx, dy in tries:
        far = math.hypot(dx, dy) > reach + 1
        ha = "center" if abs(dx) < 1e-9 else ("left" if dx > 0 else "right")
        va = "center" if abs(dy) < 1e-9 else ("bottom" if dy > 0 else "top")
        box = measure.box(dx, dy, ha, va, far)  # the box the label would take there, without making it
        if box is None:  # (its point off the axes: made and measured)
            label = ax.annotate(text, xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, path_effects=HALO,
                                arrowprops=LEADER if far else None, **style)
            box = label.get_window_extent(renderer).padded(2)
            label.remove()
        box = box.padded(2) if measure.ok else box
        words = measure.box(dx, dy, ha, va, False).padded(2) if measure.ok else box  # a thin leader may cross a rare unit
        clear = (fig_box.x0 <= box.x0 and box.x1 <= fig_box.x1 and fig_box.y0 <= box.y0 and box.y1 <= fig_box.y1
                 and not any(box.overlaps(b) for b in placed))
        covers = clear and _covers(ax, words, avoid)
        if clear and not covers and not any(_meets(ax, box, (x, y), r) for x, y, r in discs):
            label = ax.annotate(text, xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, path_effects=HALO,
                                arrowprops=LEADER if far else None, **style)
            placed.append(label.get_window_extent(renderer).padded(2))
            return label
        if clear and not covers and second is None and not any(_meets(ax, words, (x, y), r) for x, y, r in discs) and \
                not any(_crosses(ax, words, xy, (x, y), r) for x, y, r in discs if not _inside(ax, xy, (x, y), r)):
            second = (dx, dy, ha, va, far)  # the words and their leader off every circle (the leader's box not)
        if clear:  # off every label, on a circle or a rare unit: off the rare units first, then hiding the fewest centres
            hidden = (covers, sum(1 for x, y, r in discs if words.contains(*ax.transData.transform((x, y)))))
            if near is None or hidden < near[0]:
                near = (hidden, (dx, dy, ha, va, far))
    near = (None, second) if second is not None else near
    if near is None and not must:
        return None
    dx, dy, ha, va, far = near[1] if near else (0.0, 0.0, "center", "center", False)  # over a circle (the halo keeps it readable) rather than no label
    label = ax.annotate(text, xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, path_effects=HALO,
                        arrowprops=LEADER if far else None, **style)
    placed.append(label.get_window_extent(renderer).padded(2))
    return label


class _LabelBox:
    """The box a haloed label (``place_label``) would take at an offset, worked out from its size measured once: an
    annotation made and measured at each of its 41 offsets took a third of a static map, most of it matplotlib clipping
    the leader line against the words' box by bisection. The same box as ``annotate(...).get_window_extent()``: the
    words' box set at the offset as the alignment sets it, with the leader line from where it leaves the box 2 points
    round the words (less its ``shrinkA``) to the point. ``ok`` False (the point off the axes, where matplotlib gives
    an annotation no extent): ``box`` returns None and the caller makes and measures it."""

    def __init__(self, ax, text: str, xy, style: dict, renderer):
        from matplotlib.text import Text

        self.px = ax.transData.transform(xy)
        self.ok = bool(ax.contains_point(self.px))
        probe = ax.annotate(text, xy, xytext=(0, 0), textcoords="offset points", ha="left", va="bottom", **style)
        probe.update_positions(renderer)
        words = Text.get_window_extent(probe, renderer)
        probe.remove()
        self.w, self.h = words.width, words.height
        self.scale = ax.figure.dpi / 72
        self.pad = renderer.points_to_pixels(4) / 2  # the box round the words a leader leaves from
        self.shrink = renderer.points_to_pixels(LEADER["shrinkA"])

    def box(self, dx: float, dy: float, ha: str, va: str, far: bool):
        from matplotlib.transforms import Bbox

        if not self.ok:
            return None
        x, y = self.px[0] + dx * self.scale, self.px[1] + dy * self.scale
        x0 = x - {"left": 0.0, "center": self.w / 2, "right": self.w}[ha]
        y0 = y - {"bottom": 0.0, "center": self.h / 2, "top": self.h}[va]
        words = Bbox.from_bounds(x0, y0, self.w, self.h)
        if not far:
            return words
        ex, ey = self.px
        sx, sy = leader_exit((x0, y0, x0 + self.w, y0 + self.h), self.px, self.pad) or (x0 + self.w / 2, y0 + self.h / 2)
        rest = math.hypot(ex - sx, ey - sy)
        if rest > self.shrink:
            sx, sy = sx + (ex - sx) * self.shrink / rest, sy + (ey - sy) * self.shrink / rest
        return Bbox.union([words, Bbox.from_extents(min(sx, ex), min(sy, ey), max(sx, ex), max(sy, ey))])


def rare_units(u: gpd.GeoDataFrame, colors) -> object | None:
    """The units of the map's rare fill classes, merged (a shapely geometry in ``u``'s coordinates), or None.

    Rare: a fill colour held by at most ``RARE_MOST`` units and by under ``RARE_SHARE`` of them (Kota Serang's one
    "Belum ODF" kelurahan among 67): the class a reader looks for because it is rare, and which a label over it hides
    whole. Labels are placed off these units as off the circles (``place_label``'s ``avoid``)."""
    import shapely

    colors = [str(c) for c in colors]
    if len(colors) != len(u) or len(colors) < 2:
        return None
    held: dict[str, int] = {}
    for c in colors:
        held[c] = held.get(c, 0) + 1
    rare = {c for c, n in held.items() if n <= RARE_MOST and n < RARE_SHARE * len(colors)}
    mask = np.array([c in rare for c in colors], dtype=bool)
    return shapely.union_all(u.geometry.values[mask]) if mask.any() else None


def _crosses(ax, words, xy, centre, r_points: float) -> bool:
    """Whether the leader from a label's words (their box's centre) to its point ``xy`` passes through a circle."""
    cx, cy, r = _pixels(ax, centre, r_points)
    (ax_, ay), (bx, by) = ((words.x0 + words.x1) / 2, (words.y0 + words.y1) / 2), ax.transData.transform(xy)
    vx, vy = bx - ax_, by - ay
    k = max(0.0, min(1.0, ((cx - ax_) * vx + (cy - ay) * vy) / ((vx * vx + vy * vy) or 1.0)))
    return math.hypot(ax_ + k * vx - cx, ay + k * vy - cy) < r


def _covers(ax, box, avoid) -> bool:
    """Whether a label's box (display pixels) covers part of ``avoid`` (data units; None: nothing to avoid)."""
    if avoid is None:
        return False
    import shapely

    (x0, y0), (x1, y1) = ax.transData.inverted().transform([(box.x0, box.y0), (box.x1, box.y1)])
    return bool(avoid.intersects(shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))))


def _unit_names(ax, u: gpd.GeoDataFrame, size: float) -> list[str]:
    """Each kelurahan's name at its representative point, small, with a white halo; a name that would overlap a text
    already on the map (another name, the kecamatan's, the scale bar) or leave the map is dropped, not stacked.
    Returns the names drawn."""
    ax.apply_aspect()  # the axes' final box: the labels are measured in its pixels
    renderer = ax.figure.canvas.get_renderer()
    frame_box = ax.get_window_extent(renderer)
    taken = [x.get_window_extent(renderer) for x in ax.texts if x.get_text()]
    drawn = []
    order = u.geometry.area.sort_values(ascending=False).index  # the roomiest first: a crowded small one is dropped
    for name, pt in zip(u.loc[order, "kelurahan"].astype(str), u.loc[order].representative_point()):
        label = ax.annotate(name, (pt.x, pt.y), ha="center", va="center", fontsize=size, color="#1a1a1a", zorder=4,
                            path_effects=HALO)
        box = label.get_window_extent(renderer).padded(1.5)
        inside = frame_box.x0 <= box.x0 and box.x1 <= frame_box.x1 and frame_box.y0 <= box.y0 and box.y1 <= frame_box.y1
        if not inside or any(box.overlaps(b) for b in taken):
            label.remove()
            continue
        taken.append(box)
        drawn.append(name)
    return drawn


def _frame(ax, u: gpd.GeoDataFrame, lang: str, pt: dict | None = None) -> None:
    """No axes, equal aspect, a small margin around the units, the scale bar and the north arrow."""
    ax.set_axis_off()
    ax.set_aspect("equal")
    minx, miny, maxx, maxy = u.total_bounds
    pad = (maxx - minx) * 0.04
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    pt = pt or ATLAS_PT
    _scale_bar(ax, maxx - minx, pt["scale"])
    _north_arrow(ax, lang, pt["north"])


CIRCLE_AREA = 900  # marker area in points^2 of the largest circle
CIRCLE_ALPHA = 0.6  # the circles' opacity (the units under them show through)


def blend(color: str, under: str, alpha: float) -> str:
    """The colour ``color`` at opacity ``alpha`` shows over ``under``, as #rrggbb (a printed legend's flat colour)."""
    from matplotlib.colors import to_hex, to_rgb

    return to_hex([alpha * a + (1 - alpha) * b for a, b in zip(to_rgb(color), to_rgb(under))])


def _vmax(c: Circles) -> float:
    v = np.asarray(c.values, dtype=float)
    return float(c.max_value) if c.max_value else (float(np.nanmax(v)) if np.isfinite(v).any() else 0.0)


def _circles(ax, u: gpd.GeoDataFrame, c: Circles) -> list[tuple[float, float, float]]:
    """Proportional circles at each unit (area proportional to the value), under the labels and semi-transparent;
    returns each circle as (x, y, radius in points)."""
    v, vmax = np.asarray(c.values, dtype=float), _vmax(c)
    if vmax <= 0:
        return []
    pts = u.representative_point()
    ok = np.isfinite(v) & (v > 0)
    sizes = CIRCLE_AREA * v[ok] / vmax
    ax.scatter(pts.x[ok], pts.y[ok], s=sizes, color=c.color, alpha=CIRCLE_ALPHA, edgecolor=c.stroke, linewidth=0.6, zorder=3)
    return [(x, y, math.sqrt(s / math.pi)) for x, y, s in zip(pts.x[ok], pts.y[ok], sizes)]


def _taller(fig, boxes: list, renderer) -> bool:
    """Whether the legends, stacked with ``_inside_figure``'s gaps, are taller than the figure."""
    heights = [b.get_window_extent(renderer).height for b in boxes if b is not None]
    return sum(heights) + 0.02 * fig.bbox.height * (len(heights) - 1) > fig.bbox.height


HEADING_CHARS = 26  # a slide's size legend heading wrapped at this many characters (its legend then narrower, its map wider)


def _size_legend(ax, c: Circles, lang: str, below: bool, pt: dict | None = None, wrap: bool = False, compact: bool = False):
    """The size legend in its own framed box beside the map: a heading (what is counted) and reference circles
    labelled with value and unit ("849 balita"), spaced so the circles do not touch. ``wrap``: a long heading on two
    lines (a slide's); ``compact``: the two circles side by side, closer (a slide whose legends do not fit one above the
    other)."""
    import textwrap

    vmax, pt = _vmax(c), pt or ATLAS_PT
    if vmax <= 0:
        return None
    handles = [ax.scatter([], [], s=CIRCLE_AREA * ref / vmax, color=c.color, alpha=CIRCLE_ALPHA, edgecolor=c.stroke, linewidth=0.6,
                          label=f"{number(ref, 0, lang)} {c.unit}".strip()) for ref in (vmax, vmax / 4)]
    heading = textwrap.fill(c.heading, HEADING_CHARS, break_long_words=False) if wrap and c.heading else c.heading
    spacing = {"labelspacing": 0.8, "borderpad": 0.6, "ncols": 2, "columnspacing": 1.2} if compact else {"labelspacing": 2.8, "borderpad": 1.1}
    box = ax.legend(handles=handles, title=heading or None, loc="upper left" if below else "center left",
                    bbox_to_anchor=(1.01, 0.3 if below else 0.5), fontsize=pt["legend"], title_fontsize=pt["legend_title"], frameon=True,
                    edgecolor="#999999", handlelength=3.2, handletextpad=1.0, alignment="left", **spacing)
    box.get_title().set_fontweight("bold")
    return box


def _pixels(ax, xy, r_points: float):
    """A disc in display pixels: centre and radius."""
    cx, cy = ax.transData.transform(xy)
    return cx, cy, r_points * ax.figure.dpi / 72


def _inside(ax, pt, centre, r_points: float) -> bool:
    cx, cy, r = _pixels(ax, centre, r_points)
    px, py = ax.transData.transform(pt)
    return math.hypot(px - cx, py - cy) < r


def _meets(ax, box, centre, r_points: float) -> bool:
    """Whether a text box (display pixels) meets a circle."""
    cx, cy, r = _pixels(ax, centre, r_points)
    nx, ny = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
    return math.hypot(nx - cx, ny - cy) < r


def _save(fig, legend: list[tuple], png: Path, pdf: Path | None, thumb: Path | None) -> list[Path]:
    """Write the PNG (with the legend as text), the PDF and the thumbnail, without creation times."""
    written = []
    # the legend as text in the PNG (a tEXt chunk): what the map shows, readable without eyes
    described = json.dumps([[item[0], "hatch" if len(item) > 2 and item[2] == "hatch" else item[1]] for item in legend], ensure_ascii=False)
    drawn = figure_bytes(fig, "png", dpi=PNG_DPI, metadata={"Software": None, "Legend": described})
    written.append(write_bytes(png, drawn))
    if pdf is not None:
        written.append(save_figure(fig, pdf, metadata={"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}))
    if thumb is not None:
        written.append(write_bytes(thumb, thumbnail(drawn)))
    return written


PNG_DPI, THUMB_DPI = 110, 32  # the map PNG's resolution, and the index thumbnail's


def thumbnail(png: bytes) -> bytes:
    """The index's thumbnail: the map PNG scaled down to ``THUMB_DPI`` (Lanczos), not drawn a third time."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        small = im.convert("RGB").resize((round(im.width * THUMB_DPI / PNG_DPI), round(im.height * THUMB_DPI / PNG_DPI)),
                                         Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=False)
    return out.getvalue()
