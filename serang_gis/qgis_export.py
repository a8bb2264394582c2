"""The layers GIS staff load in QGIS: kelurahan (every indicator and the priority), kecamatan, lokus.

Each layer gets the style of its HTML map (same classes, same colours): the kelurahan layer is
classed on one indicator (prevalence by default, else the priority tier, else the first rate),
kecamatan are labelled outlines, lokus kelurahan are purple outlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .boundaries import dissolve
from .classify import classify
from .errors import InputError
from .export import write_geojson_with_qml, write_styled_gpkg
from .fields import COUNTS
from .indicators import INFO, derive, resolve
from .maps.indicator import TIERS
from .maps.text import odf_categories
from .styles import Style, categorical_style, choropleth_style, outline_style


@dataclass
class ExportResult:
    files: list[Path]
    styles: dict[str, Style]
    layers: dict[str, int]  # name -> feature count


def main_indicator(kel: pd.DataFrame, indicator: str | None) -> str | None:
    if indicator:
        col = resolve(indicator, kel.columns)
        if col not in kel.columns:
            raise InputError(f"the layer has no indicator {indicator!r}")
        return col
    for col in ("prevalensi_stunting", "prioritas", "persen_keluarga_berisiko", "kesenjangan_sanitasi", "status_odf"):
        if col in kel.columns and kel[col].notna().any():
            return col
    return None


def kelurahan_style(kel: pd.DataFrame, col: str | None, *, scheme=None, k=5, bins=None, lang="id") -> Style:
    no_data = "Tidak ada data" if lang == "id" else "No data"
    if col is None:
        return outline_style("Kelurahan", "#636363", 0.3)
    info = INFO.get(col)
    if col == "prioritas":
        return categorical_style("Prioritas", col, [(v, c, v) for v, c in TIERS], no_data)
    if col == "status_odf":
        return categorical_style("Status ODF", col, odf_categories(), no_data)
    if info is None or info.kind != "rate":
        raise InputError(f"{col} is not a rate: the QGIS style classes rates only", hint="choose e.g. --indicator prevalensi")
    cls = classify(kel[col], scheme or info.scheme, k=k, bins=bins, palette=info.palette, unit="%" if info.unit == "%" else "", lang=lang)
    return choropleth_style(info.label(lang), col, cls, no_data)


def kecamatan_layer(kel: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Kecamatan outlines with summed counts (missing stays missing) and rates recomputed from them."""
    kec = dissolve(kel, "kode_kec", ["kecamatan", "kode_kab", "kabkota"])
    counts = [c for c in COUNTS if c in kel.columns]
    if counts:
        sums = kel.groupby("kode_kec")[counts].sum(min_count=1)
        kec = kec.merge(derive(sums).reset_index(), on="kode_kec", how="left")
    return kec


def export_layers(kel: gpd.GeoDataFrame, out_dir, *, name: str = "serang_gis", indicator: str | None = None, scheme=None, k=5,
                  bins=None, lang="id", formats=("gpkg", "geojson"), overwrite=True,
                  kecamatan: gpd.GeoDataFrame | None = None) -> ExportResult:
    out_dir = Path(out_dir)
    col = main_indicator(kel, indicator)
    lokus_cols = [c for c in kel.columns if re.fullmatch(r"lokus_\w+", c)] + (["lokus"] if "lokus" in kel.columns else [])
    layers = {"kelurahan": (kel, kelurahan_style(kel, col, scheme=scheme, k=k, bins=bins, lang=lang)),
              "kecamatan": (kecamatan if kecamatan is not None else kecamatan_layer(kel), outline_style("Kecamatan", "#4d4d4d", 0.8, label_field="kecamatan"))}
    if lokus_cols:
        flags = kel[lokus_cols].fillna(False).astype(bool)
        lok = kel[flags.any(axis=1)].copy()
        lok["daftar_lokus"] = flags[flags.any(axis=1)].apply(lambda r: ", ".join(c.removeprefix("lokus_") for c in lokus_cols if r[c]), axis=1)
        layers["lokus"] = (lok[["kode_kel", "kelurahan", "kecamatan", "daftar_lokus", "geometry"]],
                           outline_style("Lokus", "#7b3294", 0.9))
    files = []
    if "gpkg" in formats:
        files.append(write_styled_gpkg(out_dir / f"{name}.gpkg", layers, overwrite=overwrite))
    if "geojson" in formats:
        for lname, (frame, style) in layers.items():
            files.extend(write_geojson_with_qml(out_dir / f"{name}_{lname}.geojson", frame, style, overwrite=overwrite))
    return ExportResult(files, {n: s for n, (_, s) in layers.items()}, {n: len(f) for n, (f, _) in layers.items()})
