"""GeoTIFFs with rasterio: an indicator burnt into a grid, and zonal statistics of any raster.

``rasterize`` writes a tiled, DEFLATE-compressed GeoTIFF with overviews (by default in the UTM zone of the
layer's centre, as the QGIS project: EPSG:32748 for Banten, EPSG:32651 for North Sulawesi). ``zonal`` sums or averages a user raster (e.g. a
WorldPop grid, any CRS) over each kelurahan with exactextract, weighting each pixel by the share of
it inside the kelurahan, so pixels across a boundary are split, not double-counted.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from rasterio.enums import Resampling
from rasterio.features import rasterize as burn
from rasterio.transform import from_origin

from serang_gis.core.choices import ZONAL_STATS as STATS
from serang_gis.core.errors import InputError
from serang_gis.core.indicators import INFO
from serang_gis.output.writers import atomic_path

MAX_PIXELS = 100_000_000  # 400 MB of float32: far beyond any kab/kota at a sensible resolution


NO_DATA_CLASS = -1  # band 2: a kelurahan with no data (inside the area; outside it is the nodata value)
MARK_CLASS = {"caution": 90, "partial": 91}  # band 2: the pixels of a caveat's hatch (every 4th diagonal)
HATCH_EVERY = 4


def raster_qml(layer) -> str:
    """QGIS style of the class band: a paletted renderer with every entry of the HTML legend, in its order: the plan's
    classes, "too few data", "no data" and the caveat hatches (labels and colours exact: one value per entry)."""
    import xml.etree.ElementTree as ET

    from serang_gis.render.styles import QGIS_VERSION

    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "Symbology"})
    r = ET.SubElement(ET.SubElement(root, "pipe"), "rasterrenderer", {"type": "paletted", "band": "2", "opacity": "1", "alphaBand": "-1",
                                                                      "nodataColor": ""})
    ET.SubElement(r, "rasterTransparency")
    pal = ET.SubElement(r, "colorPalette")
    value = {-2: 0, -1: NO_DATA_CLASS}
    for it in layer.legend_items():
        v = MARK_CLASS.get(it["cls"]) if it["kind"] == "hatch" else value.get(it["cls"], it["cls"] + 1)
        ET.SubElement(pal, "paletteEntry", {"value": str(v), "color": it["color"], "label": it["label"], "alpha": "255"})
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")


def _class_band(layer, proj, shape, transform, nodata: float) -> np.ndarray:
    """Band 2: the class of each unit (1..k, 0 too few data, -1 no data), and over a caveat's units its hatch."""
    classes = [NO_DATA_CLASS if int(k) == -1 else (0 if int(k) == -2 else int(k) + 1) for k in layer.index]
    band = burn(list(zip(proj.geometry, map(float, classes))), out_shape=shape, transform=transform, fill=nodata, dtype="float32")
    rows, cols = np.indices(shape)
    stripe = (rows + cols) % HATCH_EVERY == 0
    for mark, code in MARK_CLASS.items():
        shapes = [(g, 1) for g, m in zip(proj.geometry, layer.marks or []) if m == mark]
        if shapes:
            inside = burn(shapes, out_shape=shape, transform=transform, fill=0, dtype="uint8").astype(bool)
            band[inside & stripe] = code
    return band


def _check_values(values: pd.Series, column: str, nodata: float, resolution: float) -> None:
    if values.isna().all():
        raise InputError(f"{column} has no numeric value to rasterise")
    if (values == nodata).any():
        raise InputError(f"{column} holds the nodata value {nodata}", hint="choose another --nodata")
    if getattr(INFO.get(column), "unit", None) == "%" and 0 <= nodata <= 100:  # a percentage may take it tomorrow
        raise InputError(f"--nodata {nodata:g} is a possible value of {column} (a percentage, 0-100)",
                         hint="choose a --nodata outside 0-100, e.g. -9999")
    if not math.isfinite(resolution) or resolution <= 0:
        raise InputError(f"the resolution must be a number of metres > 0, not {resolution}")


def _every_unit_has_a_pixel(proj, values, shape, transform, resolution: float) -> None:
    """A pixel is a unit's when its centre falls inside it: at a coarse resolution small kelurahan get none and their
    values vanish from the raster without a word (walk adv12 L5: 100 km pixels gave a 2 x 2 grid, exit 0)."""
    have = [i for i, v in enumerate(values) if pd.notna(v)]
    ids = burn([(proj.geometry.iloc[i], i + 1) for i in have], out_shape=shape, transform=transform, fill=0, dtype="int32")
    lost = sorted(set(have) - {int(i) - 1 for i in np.unique(ids) if i > 0})
    if lost:
        smallest = float(proj.geometry.iloc[have].area.min())
        suggest = max(1, int(math.sqrt(smallest) / 2))
        raise InputError(f"--resolution {resolution:g} m: {len(lost)} of {len(have)} kelurahan with a value get no pixel "
                         "(none has its centre inside them), so their values would be missing from the raster",
                         hint=f"use --resolution {suggest} or finer (metres per pixel; the smallest kelurahan is about "
                              f"{math.sqrt(smallest):,.0f} m across)")


def _nodata_is_no_class(nodata: float, layer) -> None:
    """Band 2 holds class codes (``_class_band``): a --nodata equal to one would turn that class into no data."""
    codes = {NO_DATA_CLASS, 0, *MARK_CLASS.values(), *(int(k) + 1 for k in layer.index if int(k) >= 0)}
    if float(nodata) in {float(c) for c in codes}:
        raise InputError(f"--nodata {nodata:g} is also a class code of band 2 (classes {', '.join(map(str, sorted(codes)))}): "
                         "those pixels would read as no data", hint="choose a --nodata outside the data and the classes, e.g. -9999")


def rasterize(kel: gpd.GeoDataFrame, column: str, target, *, crs: str | None = None, resolution: float = 100.0,
              nodata: float = -9999.0, overwrite: bool = True, layer=None, period: str | None = None,
              data_source: str | None = None) -> Path:
    """Band 1: the indicator's values; band 2: the class the map plan gave each unit (``kelas_peta``: 1..k, 0 too few data,
    -1 no data; a caveat hatched in stripes of 90 "hati-hati", 91 "sebagian"),
    with a ``.qml`` beside the file that QGIS applies on opening (the classes, labels and colours of the maps).
    Without ``crs`` the grid is in the UTM zone of the layer's centre (``core.geometry.utm_crs``). ``period`` and
    ``data_source``: the values' period and source, written as the GeoTIFF's ``period`` / ``data_source`` tags."""
    if column not in kel.columns:
        raise InputError(f"the layer has no column {column!r}")
    values = pd.to_numeric(kel[column], errors="coerce")
    _check_values(values, column, nodata, resolution)
    if crs is None:
        from serang_gis.core.geometry import utm_crs

        crs = utm_crs(kel)
    proj = kel.to_crs(crs)
    minx, miny, maxx, maxy = proj.total_bounds
    if proj.crs.is_geographic:
        raise InputError(f"{crs} is geographic: rasters here are made in metres", hint="use a projected CRS such as EPSG:32748")
    width, height = math.ceil((maxx - minx) / resolution), math.ceil((maxy - miny) / resolution)
    if (width + 1) * (height + 1) > MAX_PIXELS:  # estimated before any memory is taken
        suggest = math.ceil(math.sqrt((maxx - minx) * (maxy - miny) / MAX_PIXELS))
        raise InputError(f"--resolution {resolution:g} m gives a grid of {width + 1:,} x {height + 1:,} = {(width + 1) * (height + 1):,} "
                         f"pixels (at most {MAX_PIXELS:,})", hint=f"use --resolution {max(suggest, 1)} or coarser (metres per pixel)")
    transform = from_origin(math.floor(minx / resolution) * resolution, math.ceil(maxy / resolution) * resolution, resolution, resolution)
    shapes = [(g, float(v)) for g, v in zip(proj.geometry, values) if pd.notna(v)]
    grid = burn(shapes, out_shape=(height + 1, width + 1), transform=transform, fill=nodata, dtype="float32")
    _every_unit_has_a_pixel(proj, values, grid.shape, transform, resolution)
    bands = [grid]
    if layer is not None and layer.kind == "choropleth":
        _nodata_is_no_class(nodata, layer)
        bands.append(_class_band(layer, proj, grid.shape, transform, nodata))
    profile = {"driver": "GTiff", "height": grid.shape[0], "width": grid.shape[1], "count": len(bands), "dtype": "float32", "crs": proj.crs,
               "transform": transform, "nodata": nodata, "compress": "deflate", "predictor": 3, "tiled": True,
               "blockxsize": 256, "blockysize": 256}
    with atomic_path(target, overwrite=overwrite, suffix=".tif") as tmp:
        with rasterio.open(tmp, "w", **profile) as dst:
            for i, band in enumerate(bands, start=1):
                dst.write(band, i)
            dst.update_tags(indicator=column, source="serang-gis", resolution_m=str(resolution))
            said = {k: v for k, v in (("period", period), ("data_source", data_source)) if v}
            if said:  # of which period and from where the values are (gdalinfo lists them; QGIS: Properties > Information)
                dst.update_tags(**said)
            dst.set_band_description(1, column)
            if len(bands) > 1:
                dst.set_band_description(2, "kelas_peta")
            factors = [f for f in (2, 4, 8, 16) if min(grid.shape) // f >= 8]
            if factors:
                how = Resampling.nearest if len(bands) > 1 else Resampling.average  # classes stay whole numbers
                dst.build_overviews(factors, how)
                dst.update_tags(ns="rio_overview", resampling=how.name)
    if len(bands) > 1:
        from serang_gis.output.writers import write_text

        write_text(Path(target).with_suffix(".qml"), raster_qml(layer), overwrite=True)
    return Path(target)


def zonal(kel: gpd.GeoDataFrame, raster_path, *, stats=("sum",), column: str | None = None) -> gpd.GeoDataFrame:
    """Coverage-weighted statistics of a raster per polygon, joined as new columns ``<column>_<stat>``."""
    from exactextract import exact_extract

    bad = [s for s in stats if s not in STATS]
    if bad:
        raise InputError(f"unknown statistic(s) {', '.join(bad)}", hint=f"choose from {', '.join(STATS)}")
    raster_path = Path(raster_path)
    try:
        with rasterio.open(raster_path) as src:
            rcrs = src.crs
    except rasterio.errors.RasterioIOError as exc:
        raise InputError(f"{raster_path}: cannot open the raster ({exc})") from None
    if rcrs is None:
        raise InputError(f"{raster_path}: the raster has no CRS", hint="assign one with gdal_edit.py -a_srs EPSG:4326")
    polys = kel.to_crs(rcrs)[["geometry"]].reset_index(drop=True)
    polys["_i"] = np.arange(len(polys))
    wanted = list(dict.fromkeys([*stats, "count"]))
    res = exact_extract(str(raster_path), polys, wanted, include_cols=["_i"], output="pandas")
    res = res.set_index("_i").sort_index()
    if "count" not in res.columns and "band_1_count" in res.columns:  # several bands (serang-gis raster: values, class):
        res = res.rename(columns={f"band_1_{s}": s for s in wanted})  # band 1, the values
    covered = res["count"].to_numpy() > 0  # no pixel with data under the kelurahan: no data, never 0
    name = column or raster_path.stem
    out = kel.copy()
    for s in stats:
        out[f"{name}_{s}"] = np.where(covered, res[s].to_numpy(dtype=float), np.nan)
    return out
