"""Static maps for reports (PNG and PDF) with matplotlib: title, legend, scale bar, north arrow, source.

Drawn in UTM metres so that the scale bar is true; PNG and PDF carry no creation time, so the same
inputs give the same bytes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from serang_gis.core.numbers import number  # noqa: E402
from serang_gis.core.text import t  # noqa: E402
from serang_gis.output.writers import save_figure  # noqa: E402
from serang_gis.core.geometry import utm_crs  # noqa: E402


def _scale_bar(ax, width_m: float):
    """A bar of a round length (1, 2, 5 x 10^n m) in the lower left."""
    target = width_m / 5
    exp = 10 ** math.floor(math.log10(target))
    length = max(m * exp for m in (1, 2, 5) if m * exp <= target)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x, y = x0 + (x1 - x0) * 0.05, y0 + (y1 - y0) * 0.05
    ax.plot([x, x + length], [y, y], color="black", linewidth=3, solid_capstyle="butt")
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(x + length / 2, y + (y1 - y0) * 0.015, label, ha="center", va="bottom", fontsize=8)


def _north_arrow(ax, lang: str):
    ax.annotate(t(lang, "north"), xy=(0.95, 0.93), xytext=(0.95, 0.83), xycoords="axes fraction", ha="center", va="center",
                fontsize=11, fontweight="bold", arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5})


def render_layer(units: gpd.GeoDataFrame, layer, *, title: str, subtitle: str, source: str,
                 outlines: gpd.GeoDataFrame | None = None, png: Path, pdf: Path | None = None, thumb: Path | None = None,
                 lang: str = "id") -> list[Path]:
    """A planned layer (``plan.LayerPlan``) for reports: its colours, hatches and legend, nothing decided here."""
    if layer.kind == "circles":
        values = pd.to_numeric(units[layer.column], errors="coerce").to_numpy(dtype=float)
        return render(units, ["#f4f4f4"] * len(units), [], title=title, subtitle=subtitle, source=source, outlines=outlines,
                      circles=(values, layer.color, layer.unit, layer.max_value), png=png, pdf=pdf, thumb=thumb, lang=lang)
    return render(units, layer.colors(), [(label, color, kind) for kind, label, color in layer.legend()], title=title,
                  subtitle=subtitle, source=source, outlines=outlines, hatched=layer.hatched, png=png, pdf=pdf, thumb=thumb, lang=lang)


def render(units: gpd.GeoDataFrame, colors: list[str], legend: list[tuple], *, title: str, subtitle: str,
           source: str, outlines: gpd.GeoDataFrame | None = None, circles=None, hatched=None,
           png: Path, pdf: Path | None = None, thumb: Path | None = None, lang: str = "id") -> list[Path]:
    """Draw polygons filled with ``colors`` (one per unit); ``legend`` is (label, colour[, "fill"|"hatch"]) items.

    ``hatched``: a boolean per unit, hatched over its fill (a caveat of the plan).
    ``circles``: (values, colour, unit label[, max value]) drawn as proportional symbols at each unit, area
    proportional to the value (counts are never a choropleth).
    """
    utm = utm_crs(units)
    u = units.to_crs(utm)
    fig, ax = plt.subplots(figsize=(11.0, 7.6))  # A4-ish landscape: the map, and the legend beside it, never over it
    u.plot(ax=ax, color=colors, edgecolor="#555555", linewidth=0.4)
    if hatched is not None and np.asarray(hatched).any():
        u[np.asarray(hatched, dtype=bool)].plot(ax=ax, facecolor="none", edgecolor="#000000", hatch="////", linewidth=0.8,
                                               linestyle="--")
    if outlines is not None and len(outlines):
        _outlines(ax, outlines.to_crs(utm))
    _frame(ax, u, lang)
    handles = [Patch(facecolor="white", edgecolor="#000000", hatch="////", linestyle="--", label=item[0])
               if len(item) > 2 and item[2] == "hatch" else Patch(facecolor=item[1], edgecolor="#555555", label=item[0]) for item in legend]
    if circles is not None:
        handles += _circles(ax, u, circles, lang)
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False, labelspacing=1.1)
    fig.suptitle(title, fontsize=13, fontweight="bold", x=0.02, ha="left")
    ax.set_title(subtitle, fontsize=8, loc="left", color="#333333")
    fig.text(0.02, 0.01, source, fontsize=6, color="#444444", ha="left", va="bottom", wrap=True)
    fig.subplots_adjust(left=0.02, right=0.68, top=0.9, bottom=0.08)
    written = _save(fig, legend, png, pdf, thumb)
    plt.close(fig)
    return written


def _outlines(ax, o: gpd.GeoDataFrame) -> None:
    """Outlines drawn over the fills (kecamatan), each labelled with its first column."""
    o.boundary.plot(ax=ax, color="#222222", linewidth=1.1)
    for name, pt in zip(o[o.columns[0]], o.representative_point()):
        ax.text(pt.x, pt.y, str(name), ha="center", va="center", fontsize=7, fontweight="bold",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})


def _frame(ax, u: gpd.GeoDataFrame, lang: str) -> None:
    """No axes, equal aspect, a small margin around the units, the scale bar and the north arrow."""
    ax.set_axis_off()
    ax.set_aspect("equal")
    minx, miny, maxx, maxy = u.total_bounds
    pad = (maxx - minx) * 0.04
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    _scale_bar(ax, maxx - minx)
    _north_arrow(ax, lang)


def _circles(ax, u: gpd.GeoDataFrame, circles, lang: str) -> list:
    """Proportional circles at each unit (area proportional to the value); returns their legend handles."""
    values, color, unit = circles[:3]
    v = np.asarray(values, dtype=float)
    vmax = circles[3] if len(circles) > 3 and circles[3] else (np.nanmax(v) if np.isfinite(v).any() else 0)
    handles = []
    if vmax > 0:
        pts = u.representative_point()
        size = lambda x: 900 * x / vmax  # noqa: E731 - marker area in points^2, proportional to the value
        ok = np.isfinite(v) & (v > 0)
        ax.scatter(pts.x[ok], pts.y[ok], s=size(v[ok]), color=color, alpha=0.75, edgecolor="#67001f", linewidth=0.6, zorder=3)
        for ref in (vmax, vmax / 4):
            handles.append(ax.scatter([], [], s=size(ref), color=color, alpha=0.75, edgecolor="#67001f",
                                      label=f"{number(ref, 0, lang)} {unit}"))
    return handles


def _save(fig, legend: list[tuple], png: Path, pdf: Path | None, thumb: Path | None) -> list[Path]:
    """Write the PNG (with the legend as text), the PDF and the thumbnail, without creation times."""
    written = []
    # the legend as text in the PNG (a tEXt chunk): what the map shows, readable without eyes
    described = json.dumps([[item[0], "hatch" if len(item) > 2 and item[2] == "hatch" else item[1]] for item in legend], ensure_ascii=False)
    written.append(save_figure(fig, png, dpi=110, metadata={"Software": None, "Legend": described}))
    if pdf is not None:
        written.append(save_figure(fig, pdf, metadata={"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}))
    if thumb is not None:
        written.append(save_figure(fig, thumb, dpi=32, metadata={"Software": None}))
    return written
