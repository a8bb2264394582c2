"""Writers for every product, all through one atomic-write guard.

Each writer writes to a temporary file beside the target and renames it into place, so an
interrupted run never leaves a half-written file; an existing target is an error unless
``overwrite`` is true.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .errors import OutputExistsError

GPKG_VERSION = "1.2"  # QGIS 3.22, still common in offices, warns on GeoPackage 1.4


@contextlib.contextmanager
def atomic_path(target: str | Path, *, overwrite: bool = True, suffix: str | None = None):
    """Yield a temporary path beside ``target``; on success rename it to ``target``."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise OutputExistsError(f"{target} exists", hint="use --overwrite to replace it, or choose another -o")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=suffix or target.suffix, dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # writers (GDAL) want to create the file themselves
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        for leftover in Path(tmp).parent.glob(Path(tmp).name + "*"):
            leftover.unlink(missing_ok=True)


def write_text(target, text: str, *, overwrite: bool = True) -> Path:
    with atomic_path(target, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_csv(target, frame: pd.DataFrame, *, overwrite: bool = True) -> Path:
    """CSV in UTF-8 with BOM (Excel on Indonesian Windows opens it right), geometry left out."""
    table = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    with atomic_path(target, overwrite=overwrite) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8-sig")
    return Path(target)


def write_gpkg(target, layers: dict[str, gpd.GeoDataFrame], *, overwrite: bool = True) -> Path:
    """A GeoPackage 1.2 with one layer per item of ``layers``, all written or none."""
    with atomic_path(target, overwrite=overwrite) as tmp:
        for name, frame in layers.items():
            frame.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio", VERSION=GPKG_VERSION)
    return Path(target)


def write_geojson(target, frame: gpd.GeoDataFrame, *, overwrite: bool = True) -> Path:
    """RFC 7946 GeoJSON: EPSG:4326, no crs member, 6 decimals."""
    with atomic_path(target, overwrite=overwrite, suffix=".geojson") as tmp:
        frame.to_crs(4326).to_file(tmp, driver="GeoJSON", engine="pyogrio", RFC7946="YES", COORDINATE_PRECISION=6,
                                   WRITE_NAME="NO")
    return Path(target)


def write_joined(target, frame: gpd.GeoDataFrame, *, overwrite: bool = True, layer: str = "kelurahan") -> Path:
    """Write a layer in the format its suffix names (.gpkg, .geojson/.json, .csv)."""
    suffix = Path(target).suffix.lower()
    if suffix == ".gpkg":
        return write_gpkg(target, {layer: frame}, overwrite=overwrite)
    if suffix in (".geojson", ".json"):
        return write_geojson(target, frame, overwrite=overwrite)
    return write_csv(target, frame, overwrite=overwrite)
