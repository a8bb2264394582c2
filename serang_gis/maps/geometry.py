"""Geometry for display: a clean coverage, encoded once as quantised TopoJSON.

Public boundary files are simplified polygon by polygon, so neighbours overlap and leave slivers.
``clean_coverage`` (GEOS CoverageCleaner via shapely 2.2) snaps them into a valid coverage whose
shared edges are identical, which TopoJSON then stores once; quantising to a grid keeps shared
arcs shared, so the encoding adds no gap or overlap. Coordinates keep ~0.2 m at kota scale
(1e5 steps over the extent), far below what a screen shows.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
import topojson

QUANTIZE = 1e5
GAP_WIDTH_M = 30.0  # slivers narrower than this are merged into a neighbour


def clean_coverage(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same rows with geometries snapped into a valid polygonal coverage (EPSG:4326)."""
    utm = gdf.estimate_utm_crs()
    metric = gdf.to_crs(utm).geometry.values
    cleaned = shapely.coverage_clean(metric, gap_width=GAP_WIDTH_M)
    empty = shapely.is_empty(cleaned) | shapely.is_missing(cleaned)
    cleaned = np.where(empty, metric, cleaned)  # never lose a unit: keep the original if cleaning emptied it
    out = gdf.copy()
    out["geometry"] = gpd.GeoSeries(cleaned, crs=utm, index=gdf.index).to_crs(4326)
    return out


def dissolve_coverage(gdf: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """Union a clean coverage by a column; the parts stay a clean coverage (no closing needed)."""
    rows = []
    for key, grp in gdf.groupby(by, sort=True):
        rows.append({by: key, "geometry": shapely.coverage_union_all(grp.geometry.values)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=gdf.crs)


def topology(geoms: gpd.GeoSeries) -> dict:
    """Quantised TopoJSON of the geometries, in order, as object ``u`` (no properties, no ids)."""
    frame = gpd.GeoDataFrame(geometry=geoms.reset_index(drop=True).values, crs=4326)
    topo = topojson.Topology(frame, prequantize=QUANTIZE, topology=True, object_name="u").to_dict()
    for g in topo["objects"]["u"]["geometries"]:
        g.pop("properties", None)
        g.pop("id", None)
    topo.pop("bbox", None)
    return topo


def label_points(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """A point inside each polygon (for circles and labels), computed in metres."""
    return gdf.to_crs(gdf.estimate_utm_crs()).representative_point().to_crs(4326)
