"""Shared pieces of every map: the folium Map, GeoJSON layers with escaped tooltips, circles."""

from __future__ import annotations

import html
import json
import math

import folium
import geopandas as gpd
import shapely

BOUNDARY_ATTRIBUTION = "Batas wilayah: wilayah_boundaries (Cahya DSN, MIT), kode Kepmendagri 300.2.2-2138/2025"
PRECISION = 1e-5  # degrees, about 1 m: finer than any screen shows at kelurahan scale


def new_map(frame: gpd.GeoDataFrame) -> folium.Map:
    """A map fitted to ``frame`` with an OpenStreetMap basemap, a scale bar and the boundary attribution."""
    m = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, prefer_canvas=False)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap", attr=f"&copy; OpenStreetMap contributors | {BOUNDARY_ATTRIBUTION}").add_to(m)
    minx, miny, maxx, maxy = frame.total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def tooltip_html(rows: list[tuple[str, object]]) -> str:
    """A small table of label/value pairs, every part HTML-escaped (folium inserts tooltips raw)."""
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows if v not in (None, ""))
    return f"<table>{body}</table>"


def geojson_layer(frame: gpd.GeoDataFrame, name: str, style, *, tooltip_col: str | None = "_tip",
                  show: bool = True, overlay: bool = True) -> folium.FeatureGroup:
    """A FeatureGroup holding ``frame`` as GeoJSON (coordinates rounded), styled per feature."""
    keep = [c for c in [tooltip_col, "_style"] if c and c in frame.columns]
    data = frame[keep + ["geometry"]].copy()
    data["geometry"] = shapely.set_precision(data.geometry.values, PRECISION)
    group = folium.FeatureGroup(name=name, show=show, overlay=overlay)
    gj = folium.GeoJson(
        json.loads(data.to_json(drop_id=True)),
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=[tooltip_col], labels=False) if tooltip_col in keep else None,
        name=name,
    )
    gj.add_to(group)
    return group


def circle_radius(value: float, vmax: float, max_radius: float = 28.0) -> float:
    """Radius (px) so that circle *area* is proportional to the value."""
    if vmax <= 0 or value is None or (isinstance(value, float) and math.isnan(value)):
        return 0.0
    return max_radius * math.sqrt(float(value) / vmax)
