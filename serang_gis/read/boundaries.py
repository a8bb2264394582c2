"""Read any kelurahan polygon layer into one canonical table, and dissolve it to kecamatan and kota.

The canonical kelurahan GeoDataFrame (EPSG:4326) has the columns of ``CANONICAL``: Kemendagri
codes as dotted text, names in title case, the kelurahan/desa type taken from the code, the area
in km2, and the geometry. Which source columns feed them is found by ``detect_schema`` from the
table ``SCHEMAS``; any other layout is read by naming the columns (``ColumnMap``).
"""

from __future__ import annotations

import itertools
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from serang_gis.core import codes
from serang_gis.core.errors import InputError, SchemaError, where
from serang_gis.core.text import Msg

CANONICAL = ["kode_kel", "kelurahan", "tipe", "kode_kec", "kecamatan", "kode_kab", "kabkota", "luas_km2", "geometry"]
VECTOR_SUFFIXES = {".geojson", ".json", ".shp", ".zip", ".gpkg", ".fgb", ".parquet", ".geoparquet"}


@dataclass(frozen=True)
class ColumnMap:
    """Source column names feeding the canonical columns (None: not in this file)."""

    code: str
    name: str
    kecamatan_code: str | None = None
    kecamatan: str | None = None
    kabkota_code: str | None = None
    kabkota: str | None = None

    @classmethod
    def parse(cls, text: str) -> "ColumnMap":
        """Read the CLI form ``code=KODE,name=NAMA[,kecamatan=KEC,...]``."""
        fields = {f for f in cls.__dataclass_fields__}
        pairs = {}
        for item in filter(None, (p.strip() for p in text.split(","))):
            key, sep, value = item.partition("=")
            if not sep or key.strip() not in fields:
                raise SchemaError(
                    f"cannot read column mapping {item!r}",
                    hint=f"write KEY=COLUMN pairs separated by commas, KEY one of {', '.join(sorted(fields))}",
                )
            pairs[key.strip()] = value.strip()
        if "code" not in pairs or "name" not in pairs:
            raise SchemaError("a column mapping needs at least code=... and name=...")
        return cls(**pairs)


@dataclass(frozen=True)
class Schema:
    name: str
    columns: ColumnMap


# Known layouts, tried in order; a schema matches when its code and name columns are present
# (case-insensitive).
SCHEMAS = [
    Schema(
        "BIG Batas Desa/Kelurahan",
        ColumnMap("KDEPUM", "WADMKD", "KDCPUM", "WADMKC", "KDPKAB", "WADMKK"),
    ),
    Schema("wilayah_boundaries (kode, nama)", ColumnMap("kode", "nama")),
    Schema("Kemendagri (kode_kel, kelurahan)", ColumnMap("kode_kel", "kelurahan", "kode_kec", "kecamatan", "kode_kab", "kabkota")),
]


@dataclass
class BoundaryReport:
    """What was recognised and what had to be done to the input."""

    path: str
    layer: str | None = None
    schema: str = ""
    source_crs: str = ""
    features_read: int = 0
    repaired: int = 0
    merged: list[str] = field(default_factory=list)  # codes written as several features, merged
    dropped: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)
    filtered_out: int = 0
    name_sources: dict[str, str] = field(default_factory=dict)  # level -> where names came from
    warnings: list[str] = field(default_factory=list)  # Msg; one about given kab/kota carries their codes in ``fields["kabs"]``
    # the coverage check (check_coverage): each a sentence with names, codes and areas, also in warnings
    repairs: list[str] = field(default_factory=list)  # repairs that changed a kelurahan's area
    overlaps: list[str] = field(default_factory=list)  # pairs of different codes that overlap
    missing: list[str] = field(default_factory=list)  # kelurahan of the reference list not in the file, codes not in it
    strays: list[str] = field(default_factory=list)  # polygon parts far from the rest of their kab/kota
    holes: list[str] = field(default_factory=list)  # holes in a kelurahan that no other kelurahan covers

    def duplicate_names(self, kel: gpd.GeoDataFrame) -> dict[str, list[str]]:
        """Kelurahan names held by more than one kelurahan: name -> ["code (kecamatan)", ...]."""
        out = {}
        for name, grp in kel.groupby(kel["kelurahan"].str.casefold()):
            if len(grp) > 1:
                out[grp["kelurahan"].iloc[0]] = [f"{c} ({k})" for c, k in zip(grp["kode_kel"], grp["kecamatan"])]
        return out


    def coverage_lines(self) -> list[str]:
        """The coverage findings (repairs that moved an area, overlaps, parts far from the rest, missing and unknown
        kelurahan), one line each."""
        return [*self.repairs, *self.overlaps, *self.strays, *self.holes, *self.missing]


@dataclass
class Boundaries:
    """A canonical kelurahan layer with its report; kecamatan and kota outlines on demand."""

    kelurahan: gpd.GeoDataFrame
    report: BoundaryReport

    def kecamatan(self) -> gpd.GeoDataFrame:
        return dissolve(self.kelurahan, "kode_kec", ["kecamatan", "kode_kab", "kabkota"])

    def kota(self) -> gpd.GeoDataFrame:
        return dissolve(self.kelurahan, "kode_kab", ["kabkota"])


def list_layers(path: str | Path) -> list[str]:
    return [str(name) for name, _ in pyogrio.list_layers(path)]


def _read_frame(path: Path, layer: str | None) -> tuple[gpd.GeoDataFrame, str | None]:
    if not path.exists():
        raise InputError(f"{path}: no such file", hint="check the path, or run `serang-gis boundaries fetch`")
    if path.suffix.lower() in {".parquet", ".geoparquet"}:
        try:
            return gpd.read_parquet(path), None
        except Exception as exc:
            raise InputError(f"{path}: cannot read it as GeoParquet ({type(exc).__name__}: {str(exc).splitlines()[0][:160]})",
                             hint="give a GeoParquet file with a geometry column, or a GeoJSON/GeoPackage/Shapefile") from None
    try:
        with warnings.catch_warnings():  # pyogrio's "Measured (M) geometry types are not supported": M is dropped, as Z is
            warnings.simplefilter("ignore", UserWarning)
            layers = list_layers(path)
    except Exception as exc:  # GDAL cannot open it at all
        raise InputError(f"{path}: GDAL cannot read this file ({exc})", hint="give a GeoJSON, Shapefile (.shp or .zip), GeoPackage, FlatGeobuf or GeoParquet file") from exc
    if layer is None and len(layers) > 1:
        raise InputError(f"{path} has {len(layers)} layers ({', '.join(layers)})", hint="choose one with --layer NAME")
    if layer is not None and layer not in layers:
        raise InputError(f"{path} has no layer {layer!r}; its layers are: {', '.join(layers)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:
        raise InputError(f"{path}: GDAL could not read layer {layer or layers[0]!r} ({exc})") from exc
    if frame.empty:
        raise InputError(f"{path}: the layer {layer or (layers[0] if layers else '')!r} has no features",
                         hint="give the file with the kelurahan polygons (open it in QGIS to check it is not empty)")
    return frame, layer or (layers[0] if layers else None)


def detect_schema(columns) -> Schema | None:
    lower = {c.lower(): c for c in columns}
    for schema in SCHEMAS:
        cm = schema.columns
        if cm.code.lower() in lower and cm.name.lower() in lower:
            # map to the file's own spelling of each column
            resolved = {k: (lower.get(v.lower()) if v else None) for k, v in cm.__dict__.items()}
            return Schema(schema.name, ColumnMap(**resolved))
    return None


_ROMAN = re.compile(r"^[IVX]+$")


def tidy_name(value) -> str | None:
    """Trim and collapse spaces; turn an all-upper-case name into title case (roman numerals kept)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = " ".join(str(value).split())
    if text.isupper():
        text = " ".join(w if _ROMAN.match(w) else w.capitalize() for w in text.split(" "))
        text = re.sub(r"-(\w)", lambda m: "-" + m.group(1).upper(), text)
    return text


def _check_coordinates(frame: gpd.GeoDataFrame, path: Path, crs: str | None, report) -> gpd.GeoDataFrame:
    """Degrees must be degrees: metres tagged EPSG:4326, or latitude and longitude swapped, stop here; and metres must
    be metres: degrees in a file whose CRS is projected (a wrong .prj) stop too."""
    if frame.crs is None or frame.geometry.isna().all():
        return frame
    minx, miny, maxx, maxy = frame.total_bounds
    if any(v != v for v in (minx, miny, maxx, maxy)):
        return frame
    if not frame.crs.is_geographic:
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90 and max(maxx - minx, maxy - miny) < 20:
            if crs is not None:  # the file says metres, the numbers are degrees, the user named the CRS
                return _believed(frame, path, crs, report)
            raise InputError(f"{path}: coordinates x {minx:g} to {maxx:g}, y {miny:g} to {maxy:g} look like degrees, but the "
                             f"file says they are in {frame.crs.to_string()} ({frame.crs.name}), in metres",
                             hint="correct the file's CRS (a wrong .prj?), or give the CRS they are in with --crs EPSG:4326")
        return frame
    if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
        return frame
    _wild_coordinates(frame, path)
    if -90 <= minx <= maxx <= 90 and -180 <= miny <= maxy <= 180 and abs(maxy) > 90:
        raise InputError(f"{path}: coordinates out of range for {frame.crs.to_string()}: y runs {miny:g} to {maxy:g}, "
                         "beyond latitude 90; latitude and longitude look swapped",
                         hint="write the file with x = longitude, y = latitude (e.g. ogr2ogr -dialect SQLite "
                              "-sql \"SELECT ST_FlipCoordinates(geometry) AS geometry, * FROM layer\" fixed.gpkg input)")
    if crs is not None:  # the file says degrees, the numbers are metres, the user named the CRS
        return _believed(frame, path, crs, report)
    raise InputError(f"{path}: coordinates out of range for {frame.crs.to_string()} (x {minx:,.0f} to {maxx:,.0f}, "
                     f"y {miny:,.0f} to {maxy:,.0f}): they look like metres in a projected CRS tagged as degrees",
                     hint="give the CRS they are in with --crs, e.g. --crs EPSG:32748 (UTM 48S, Banten and western Java)")


def _believed(frame: gpd.GeoDataFrame, path: Path, crs: str, report) -> gpd.GeoDataFrame:
    """The user named the CRS the coordinates are in, against the file's: believe the user, and say so."""
    report.warnings.append(Msg("bnd.crs_override", path=path, crs=frame.crs.to_string(), given=crs))
    return frame.set_crs(crs, allow_override=True)


def _wild_coordinates(frame: gpd.GeoDataFrame, path: Path) -> None:
    """A few features far out of range among sane ones (a typo, 1e300): named, not taken for a wrong CRS."""
    b = frame.geometry.bounds.to_numpy()
    wild = ~((np.abs(b[:, [0, 2]]) <= 180).all(axis=1) & (np.abs(b[:, [1, 3]]) <= 90).all(axis=1)) & ~np.isnan(b).any(axis=1)
    if 0 < wild.sum() <= max(1, len(frame) // 10):
        rows = "; ".join(_feature(frame, i).removeprefix("feature ") for i in np.flatnonzero(wild)[:10])
        raise InputError(f"{path}: feature(s) {rows}: coordinates out of range for {frame.crs.to_string()} (the other "
                         f"{int((~wild).sum())} features are in range)",
                         hint="correct the coordinates of those features in the file (QGIS: Vertex tool), or remove them")


def _parse_codes(frame, column, level, path, report) -> pd.Series:
    parsed = frame[column].map(lambda v: codes.normalize(v, level))
    bad = parsed.isna() & frame[column].notna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        example = "36.73.01.1001 or 3673011001" if level == "kelurahan" else "36.73.01 or 367301" if level == "kecamatan" else "36.73 or 3673"
        raise InputError(
            f"{where(path, f'feature {i + 1}', column)}: {frame[column].iloc[i]!r} is not a {level} code "
            f"({int(bad.sum())} of {len(frame)} features do not parse)",
            hint=f"codes look like {example}; choose the right column with --columns code=COLUMN",
        )
    missing = frame[column].isna()
    if missing.any():
        i = int(missing.to_numpy().nonzero()[0][0])
        raise InputError(f"{where(path, f'feature {i + 1}', column)}: the code is empty ({int(missing.sum())} features)",
                         hint="every kelurahan needs its Kemendagri code")
    return parsed


SMALL_HOLE_M2 = 100.0  # a hole in a kelurahan smaller than this (10 m x 10 m) is no ground a map shows: it is removed


def _without_small_holes(polys: list, crs, path: Path, report: BoundaryReport, feature=lambda i: f"feature {i + 1}") -> list:
    """The polygons with holes smaller than SMALL_HOLE_M2 filled, each feature that had them reported (a file with
    thousands of pinholes would otherwise take the coverage cleaning minutes)."""
    from serang_gis.core.geometry import area_m2
    from serang_gis.core.numbers import Num

    rings = np.array([shapely.get_num_interior_rings(shapely.get_parts(p)).sum() if p is not None else 0 for p in polys])
    for i in np.flatnonzero(rings):
        parts = shapely.get_parts(polys[i])
        holes = [[shapely.Polygon(r) for r in p.interiors] for p in parts]
        flat = [h for hs in holes for h in hs]
        m2 = area_m2(flat, crs) if crs is not None else shapely.area(flat)
        small = m2 < SMALL_HOLE_M2
        if not small.any():
            continue
        kept, k = [], 0
        for p, hs in zip(parts, holes):
            kept.append(shapely.Polygon(p.exterior, [h.exterior for j, h in enumerate(hs) if not small[k + j]]))
            k += len(hs)
        polys[i] = shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]
        report.warnings.append(Msg("bnd.small_holes", where=where(path, feature(i)), n=Num(int(small.sum())),
                                   area=Num(float(m2[small].sum()))))
    return polys


def _made_valid(geom):
    """A valid version of an invalid geometry: the parts of a MultiPolygon are one kelurahan's ground, so parts that
    overlap are merged (make_valid would keep their overlap as a hole); any other is GEOS make_valid's."""
    if geom.geom_type == "MultiPolygon":
        return shapely.union_all(shapely.make_valid(shapely.get_parts(geom)))
    return shapely.make_valid(geom)


def _polygons_only(geom):
    """The polygonal part of a (repaired) geometry, or None."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        if polys:
            return shapely.union_all(polys)
    return None


def read_kelurahan(
    path: str | Path,
    *,
    layer: str | None = None,
    columns: ColumnMap | None = None,
    region: str | tuple[str, ...] | None = None,
    crs: str | None = None,
    name_sources: list[str | Path] = (),
    dissolve_duplicates: bool = False,
    strict: bool = False,
) -> Boundaries:
    """Read a kelurahan polygon layer and return it in canonical form.

    ``region`` keeps kelurahan whose code starts with it (``36.73``, ``36``, or a tuple of codes); ``crs`` is assumed when
    the file has none; ``name_sources`` are extra files (kecamatan/kab-kota layers with code and
    name columns) that supply names the kelurahan file lacks. Every feature left out or changed is
    reported (``report.warnings``): no geometry, an empty name, another kab/kota's code. Features
    sharing a code are one kelurahan's parts when they are disjoint and carry one name (merged); when
    they overlap or carry different names they are duplicates, an error unless ``dissolve_duplicates``.
    The layer is then checked as a coverage (``check_coverage``): repairs that changed an area, overlaps between
    different codes, kelurahan of the kab/kota missing from the file are warnings (errors with ``strict``); a
    kelurahan drawn over another (half of the smaller or more) is always an error.
    """
    from serang_gis.core.geometry import utm_crs

    path = Path(path)
    frame, layer = _read_frame(path, layer)
    report = BoundaryReport(path=str(path), layer=layer, features_read=len(frame))
    frame = _with_crs(frame, path, crs, report)
    cm = _column_map(frame, columns, path, report)
    frame = _polygons(frame, path, report, cm)
    gdf = _canonical(frame, cm, path, report)
    if region:
        gdf = _in_region(gdf, region.strip() if isinstance(region, str) else tuple(r.strip() for r in region), path, report)
    if gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    gdf = _one_row_per_code(gdf, path, dissolve_duplicates, report)
    check_coverage(gdf, path, report, strict=strict)
    _fill_names(gdf, "kecamatan", "kode_kec", path, name_sources, report)
    _fill_names(gdf, "kabkota", "kode_kab", path, name_sources, report)
    gdf["tipe"] = gdf["kode_kel"].map(lambda c: "kelurahan" if c.split(".")[3].startswith("1") else "desa")
    gdf["luas_km2"] = (gdf.to_crs(utm_crs(gdf, exact=True)).area / 1e6).round(3)
    gdf = gdf.sort_values("kode_kel").reset_index(drop=True)[CANONICAL]  # (drops _drawn, _repaired)
    return Boundaries(gdf, report)


def _with_crs(frame: gpd.GeoDataFrame, path: Path, crs: str | None, report: BoundaryReport) -> gpd.GeoDataFrame:
    """The layer with a coordinate reference system (``crs`` when the file has none) whose coordinates fit it."""
    if frame.crs is None:
        if crs is None:
            raise InputError(f"{path}: the layer has no coordinate reference system",
                             hint="give the CRS it is in, e.g. --crs EPSG:32748 (UTM 48S) or --crs EPSG:4326"
                                  + (", or add a .prj file beside the .shp" if path.suffix.lower() in (".shp", ".zip") else
                                     ", or set it in the file (QGIS: Layer Properties > Source > Assigned CRS, then save)"))
        frame = frame.set_crs(crs)
    frame = _check_coordinates(frame, path, crs, report)
    report.source_crs = frame.crs.to_string()
    return frame


def _column_map(frame: gpd.GeoDataFrame, columns: ColumnMap | None, path: Path, report: BoundaryReport) -> ColumnMap:
    """The columns holding code, name, kecamatan...: as given, else recognised from a known schema."""
    schema = Schema("given columns", columns) if columns else detect_schema(frame.columns)
    if schema is None:
        raise SchemaError(
            f"{path}: cannot tell which columns hold the kelurahan code and name (columns: {', '.join(map(str, frame.columns[:20]))})",
            hint="name them, e.g. --columns code=KODE_DESA,name=NAMA_DESA[,kecamatan=KECAMATAN]",
        )
    for key, col in schema.columns.__dict__.items():
        if col is not None and col not in frame.columns:
            raise SchemaError(f"{path}: column {col!r} (for {key}) is not in the file; columns are: {', '.join(map(str, frame.columns))}")
    report.schema = schema.name
    return schema.columns


def _feature(frame: pd.DataFrame, i: int, cm: ColumnMap | None = None) -> str:
    """'feature 10 (Kaligandu, 36.73.01.1010)': a feature by its number in the file and, where the columns are known, the
    name and code it carries (as written)."""
    cm = cm or getattr(detect_schema(frame.columns), "columns", None)
    bits = [str(frame[c].iloc[i]).strip() for c in ((cm.name, cm.code) if cm else ()) if c in frame.columns and pd.notna(frame[c].iloc[i])]
    return f"feature {i + 1}" + (f" ({', '.join(b for b in bits if b)})" if any(bits) else "")


def _polygons(frame: gpd.GeoDataFrame, path: Path, report: BoundaryReport, cm: ColumnMap | None = None) -> gpd.GeoDataFrame:
    """Keep polygons, repair invalid ones, report every feature dropped (named by ``_feature``)."""
    geoms = shapely.force_2d(np.asarray(frame.geometry.array))  # heights (Z) and measures (M) are not boundaries
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    report.repaired = int(invalid.sum())
    before = shapely.area(geoms)  # as drawn: a self-intersecting ring's lobes count with opposite signs
    if report.repaired:
        geoms = geoms.copy()
        geoms[invalid] = [_made_valid(g) for g in geoms[invalid]]
    def feature(i):
        return _feature(frame, i, cm)

    _say_collection_parts(geoms, invalid, path, report, feature)
    polys = _without_small_holes([_polygons_only(g) for g in geoms], frame.crs, path, report, feature)
    keep = [p is not None for p in polys]
    for i, ok in enumerate(keep):
        if not ok:
            g = frame.geometry.iloc[i]
            kind = "no geometry" if g is None or g.is_empty else f"a {g.geom_type}, not a polygon"
            report.dropped.append((i + 1, kind))
            at = where(path, feature(i))
            report.warnings.append(Msg("bnd.no_geometry", where=at) if g is None or g.is_empty else Msg("bnd.not_polygon", where=at, kind=g.geom_type))
    if not any(keep):
        raise InputError(f"{path}: no polygon features (read {len(frame)} features)",
                         hint="kelurahan boundaries must be polygons; check you gave the boundary layer, not points or lines")
    after = shapely.area(np.array(polys, dtype=object))
    # the area before and after a repair (source CRS units), kept to the end of reading: see _repairs_that_moved
    drawn = np.where(invalid, before, np.nan)
    why = np.full(len(geoms), "", dtype=object)  # GEOS's reason: "Self-intersection", "Hole lies outside shell", ...
    why[invalid] = [shapely.is_valid_reason(g).split("[")[0].strip() for g in frame.geometry.values[invalid]]
    return frame.assign(geometry=gpd.GeoSeries(polys, crs=frame.crs, index=frame.index), _drawn=drawn,
                        _repaired=np.where(invalid, after, np.nan), _why=why)[keep]


def _say_collection_parts(geoms, repaired, path: Path, report: BoundaryReport, feature) -> None:
    """A GeometryCollection as given (not one a repair made) that holds lines or points besides polygons: its polygons are
    the kelurahan, the other parts are left out, and said."""
    for i in np.flatnonzero((shapely.get_type_id(geoms) == 7) & ~repaired):
        parts = shapely.get_parts(geoms[i])
        other = [p.geom_type for p in parts if p.geom_type not in ("Polygon", "MultiPolygon")]
        if other and len(other) < len(parts):  # with no polygon at all the feature is left out as "not a polygon"
            report.warnings.append(Msg("bnd.collection_parts", where=where(path, feature(i)), n=len(other),
                                       kinds=", ".join(sorted(set(other)))))


def _canonical(frame: gpd.GeoDataFrame, cm: ColumnMap, path: Path, report: BoundaryReport) -> gpd.GeoDataFrame:
    """Codes parsed, names tidied (the code stands in for a missing name), kecamatan and kab/kota codes
    from their columns or else from the kelurahan code."""
    out = pd.DataFrame(index=frame.index)
    out["kode_kel"] = _parse_codes(frame, cm.code, "kelurahan", path, report)
    out["kelurahan"] = frame[cm.name].map(tidy_name)
    unnamed = out["kelurahan"].isna() | (out["kelurahan"] == "")
    if unnamed.any():
        rows = [int(frame.index.get_loc(ix)) + 1 for ix in out.index[unnamed]]
        report.warnings.append(Msg("bnd.unnamed", where=where(path, column=cm.name), n=int(unnamed.sum()),
                                   rows=f"{', '.join(map(str, rows[:10]))}{' ...' if len(rows) > 10 else ''}"))
        out.loc[unnamed, "kelurahan"] = out.loc[unnamed, "kode_kel"]
    out["kode_kec"] = (
        _parse_codes(frame, cm.kecamatan_code, "kecamatan", path, report) if cm.kecamatan_code
        else out["kode_kel"].map(lambda c: codes.parent(c, "kecamatan"))
    )
    out["kode_kab"] = (
        _parse_codes(frame, cm.kabkota_code, "kabkota", path, report) if cm.kabkota_code
        else out["kode_kel"].map(lambda c: codes.parent(c, "kabkota"))
    )
    out["kecamatan"] = frame[cm.kecamatan].map(tidy_name) if cm.kecamatan else None
    out["kabkota"] = frame[cm.kabkota].map(tidy_name) if cm.kabkota else None
    out["_drawn"], out["_repaired"], out["_why"] = frame["_drawn"], frame["_repaired"], frame["_why"]
    out["_row"] = np.asarray(frame.index) + 1  # the feature's number in the file (the reader's index is its position)
    return gpd.GeoDataFrame(out, geometry=frame.geometry.values, crs=frame.crs)


def _in_region(gdf: gpd.GeoDataFrame, region, path: Path, report: BoundaryReport) -> gpd.GeoDataFrame:
    """The kelurahan whose code starts with ``region`` (a code, or a tuple of them); a few foreign codes in a file of the
    region are named."""
    regions = (region,) if isinstance(region, str) else region
    inside = gdf["kode_kel"].str.startswith(tuple(r + "." for r in regions)) | gdf["kode_kel"].isin(regions)
    region = ", ".join(regions[:5]) + (f" and {len(regions) - 5} more" if len(regions) > 5 else "")
    report.filtered_out = int((~inside).sum())
    if not inside.any():
        kabs = sorted(gdf["kode_kab"].unique())
        held = ", ".join(kabs[:8]) + (f" and {len(kabs) - 8} more" if len(kabs) > 8 else "")
        raise InputError(f"{path}: no kelurahan of region {region} (the file holds {held})",
                         hint="check --region, or give the boundary file of that kab/kota")
    if 0 < report.filtered_out < int(inside.sum()):  # a file of the region with a few foreign codes: say which
        foreign = sorted(gdf.loc[~inside, "kode_kel"])
        report.warnings.append(Msg("bnd.outside", path=path, n=report.filtered_out, region=region,
                                   codes=f"{', '.join(foreign[:10])}{' ...' if len(foreign) > 10 else ''}"))
    return gdf[inside]


def _one_row_per_code(gdf: gpd.GeoDataFrame, path: Path, dissolve_duplicates: bool, report: BoundaryReport) -> gpd.GeoDataFrame:
    """Features sharing a code are parts of one kelurahan (merged); overlapping or differently named ones
    are an error unless ``dissolve_duplicates``."""
    dup = gdf["kode_kel"].duplicated(keep=False)
    if not dup.any():
        return gdf
    clashes = _duplicate_codes(gdf[dup])
    if clashes and not dissolve_duplicates:
        raise InputError(f"{path}: {len(clashes)} code(s) are held by several features that overlap or carry different "
                         f"names:\n  " + "\n  ".join(clashes[:10]) + ("\n  ..." if len(clashes) > 10 else ""),
                         hint="correct the codes in the file, or pass --dissolve-duplicates to merge each code's features into one")
    report.merged = sorted(gdf.loc[dup, "kode_kel"].unique())
    for c in report.merged:
        report.warnings.append(Msg("bnd.merged", path=path, code=c, kabs=(c[:5],)))
    return gdf.dissolve(by="kode_kel", aggfunc="first", as_index=False)


# ---- the layer as a coverage ---------------------------------------------------------------------

# an overlap between two codes is reported above OVERLAP_M2 and OVERLAP_SHARE of the smaller unit (core.geometry)
DRAWN_OVER = 0.5  # an overlap of this share of the smaller unit or more: one is drawn over the other (always an error)
REPAIR_M2, REPAIR_SHARE = 100.0, 0.001  # a repair that changes the area by more than both is reported


def _label(row) -> str:
    return f"{row['kelurahan']} ({row['kode_kel']})"




def check_coverage(gdf: gpd.GeoDataFrame, path: Path, report: BoundaryReport, *, strict: bool = False) -> None:
    """Check the kelurahan layer (EPSG:4326, one row per code) as a coverage, in place on ``report``:
    repairs that changed an area, overlaps between different codes, kelurahan of the reference list missing
    (and codes it does not know). Each finding names the kelurahan and codes and gives the areas; they are
    warnings, errors with ``strict``. A unit drawn over another (``DRAWN_OVER``) is an error in any case."""
    from serang_gis.core.geometry import area_m2
    from serang_gis.core.numbers import Area, Share

    _repairs_that_moved(gdf, path, report)
    found = _findings(gdf)
    i, j, over = found["i"], found["j"], found["m2"]
    areas = np.full(len(gdf), np.nan)
    told = np.unique(np.concatenate([i, j])).astype(np.int64)
    areas[told] = area_m2(gdf.geometry.values[told]) if len(told) else []  # (each unit's own: as of the whole layer)
    gross = []
    for a, b, m2 in sorted(zip(i.tolist(), j.tolist(), over.tolist()), key=lambda t: -t[2]):
        ra, rb = gdf.iloc[a], gdf.iloc[b]
        small = min(areas[a], areas[b])
        repaired = [_label(r) for r in (ra, rb) if r["_drawn"] == r["_drawn"]]
        text = Msg("coverage.overlap", path=path, a=_label(ra), b=_label(rb), area=Area(m2), share=Share(m2 / small),
                   kabs=tuple(dict.fromkeys((ra["kode_kab"], rb["kode_kab"]))),
                   smaller=(ra if areas[a] <= areas[b] else rb)["kelurahan"], small=Area(small, like=m2),
                   repaired=Msg("coverage.overlap_repaired", names=" / ".join(repaired)) if repaired else "")
        (gross if m2 >= DRAWN_OVER * small else report.overlaps).append(text)
    _say_strays(gdf, found, path, report)
    _say_holes(gdf, found, path, report)
    _missing_and_unknown(gdf, path, report)
    if gross:
        raise InputError(f"{len(gross)} pair(s) of kelurahan are drawn one over the other:\n  " + "\n  ".join(gross[:10])
                         + ("\n  ..." if len(gross) > 10 else ""),
                         hint="each kelurahan must cover its own ground: correct or remove the duplicate drawing "
                              "(if both are one kelurahan, give them one code and pass --dissolve-duplicates)")
    lines = report.coverage_lines()
    report.warnings += lines
    if strict and lines:
        raise InputError("--strict: the boundary file is not a clean coverage:\n  " + "\n  ".join(lines[:20])
                         + ("\n  ..." if len(lines) > 20 else ""),
                         hint="correct the boundary file (QGIS: Vector > Geometry Tools > Check Validity, Topology Checker), "
                              "or run without --strict to go on with these warnings")


CACHED_FROM = 5_000  # _findings: the findings of a layer of this many units or more are kept in the cache folder ...
CACHE_KEPT = 8  # ... the newest this many layers' (a few kB each)
OPEN_HOLE_M2 = 10_000.0  # a hole in a kelurahan that no kelurahan covers, of this area or more (1 ha), is told
FINDINGS_CODE = ("serang_gis.core.geometry", "serang_gis.read.boundaries")  # what computes the findings (core.cache)


def _findings(gdf: gpd.GeoDataFrame) -> dict:
    """The layer's geometric findings (``_find``), remembered in the cache folder (``core.cache``) by the layer's
    geometries (their WKB), its kab/kota codes, the thresholds and the code that finds them: the national file takes
    40 s of GEOS work each time it is read, and every national build reads it; from the second read on, the same
    findings in about a second. A cache that cannot be read or written is passed over."""
    from serang_gis.core import geometry as g
    from serang_gis.core.cache import remembered

    geoms, kabs = np.asarray(gdf.geometry.values), gdf["kode_kab"].astype(str).to_numpy()
    if len(geoms) < CACHED_FROM:
        return _find(geoms, kabs, gdf.crs)
    settings = (g.OVERLAP_M2, g.OVERLAP_SHARE, g.STRAY_M, g.STRAY_SPAN, OPEN_HOLE_M2, str(gdf.crs), "|".join(kabs))
    chunks = (b"".join(shapely.to_wkb(c)) for c in np.array_split(geoms, max(1, len(geoms) // 10_000)))  # 140 MB: by parts
    return remembered("findings", itertools.chain([repr(settings).encode()], chunks), lambda: _find(geoms, kabs, gdf.crs),
                      modules=FINDINGS_CODE, keep=CACHE_KEPT)


_FOUND = ("i", "j", "m2", "s_row", "s_part", "s_parts", "s_m", "s_m2", "s_lon", "s_lat", "h_row", "h_m2", "h_lon", "h_lat")


def _find(geoms: np.ndarray, kabs: np.ndarray, crs) -> dict:
    """Overlapping pairs (i, j, m2: ``core.geometry.overlapping_pairs``), parts far from the rest of their kab/kota (s_*:
    ``core.geometry.stray_parts``, s_row the row in the layer) and open holes (h_*), as arrays."""
    from serang_gis.core.geometry import OVERLAP_M2, OVERLAP_SHARE, overlapping_pairs, stray_parts

    tree = shapely.STRtree(geoms)  # the overlaps' and the open holes'
    i, j, over = overlapping_pairs(geoms, min_m2=OVERLAP_M2, min_share=OVERLAP_SHARE, tree=tree)
    strays = [(rows[s.unit], s.part, s.parts, s.distance_m, s.area_m2, s.lon, s.lat)
              for rows in pd.Series(np.arange(len(kabs))).groupby(kabs, sort=True).indices.values()
              for s in stray_parts(gpd.GeoSeries(geoms[rows], crs=crs))]
    s = np.array(strays, dtype=float).reshape(-1, 7)
    h = np.array(_open_holes(geoms, tree), dtype=float).reshape(-1, 4)
    return {"i": np.asarray(i, dtype=np.int64), "j": np.asarray(j, dtype=np.int64), "m2": np.asarray(over, dtype=float),
            "s_row": s[:, 0].astype(np.int64), "s_part": s[:, 1].astype(np.int64), "s_parts": s[:, 2].astype(np.int64),
            "s_m": s[:, 3], "s_m2": s[:, 4], "s_lon": s[:, 5], "s_lat": s[:, 6],
            "h_row": h[:, 0].astype(np.int64), "h_m2": h[:, 1], "h_lon": h[:, 2], "h_lat": h[:, 3]}


_INVALID = {"Self-intersection": "invalid.self", "Ring Self-intersection": "invalid.self", "Hole lies outside shell":
            "invalid.hole_outside", "Nested holes": "invalid.nested_holes", "Nested shells": "invalid.nested_shells",
            "Interior is disconnected": "invalid.disconnected", "Too few points in geometry component": "invalid.few_points"}


def _repairs_that_moved(gdf: gpd.GeoDataFrame, path: Path, report: BoundaryReport) -> None:
    """A self-intersecting outline whose repair changed its area by more than REPAIR_M2 and REPAIR_SHARE."""
    from serang_gis.core.geometry import area_m2
    from serang_gis.core.numbers import Area

    ratio = (gdf["_drawn"] / gdf["_repaired"]).to_numpy(dtype=float)
    rows = np.flatnonzero(np.isfinite(ratio))
    areas = area_m2(gdf.geometry.values[rows]) if len(rows) else []
    for k, after in zip(rows, areas):
        after = float(after)
        before = after * ratio[k]
        if abs(after - before) > max(REPAIR_M2, REPAIR_SHARE * max(after, before)):
            row = gdf.iloc[k]
            report.repairs.append(Msg("coverage.self_repair", path=path, a=_label(row), before=Area(before), after=Area(after),
                                      why=Msg(_INVALID.get(row["_why"], "invalid.other"), reason=row["_why"]), kabs=(row["kode_kab"],)))


def _say_strays(gdf: gpd.GeoDataFrame, found: dict, path: Path, report: BoundaryReport) -> None:
    """Polygon parts far from the rest of their kab/kota: named with the feature, the part, its area, distance and
    place."""
    from serang_gis.core.numbers import Area, Num

    for k in range(len(found["s_row"])):
        row = gdf.iloc[int(found["s_row"][k])]
        kab = row["kode_kab"]
        report.strays.append(Msg("coverage.stray_part", path=path, a=_label(row), row=int(row["_row"]),
                                 part=int(found["s_part"][k]), parts=int(found["s_parts"][k]), area=Area(float(found["s_m2"][k])),
                                 km=Num(float(found["s_m"][k]) / 1000, 1), kab=kab, lon=f"{found['s_lon'][k]:.4f}",
                                 lat=f"{found['s_lat'][k]:.4f}", kabs=(kab,)))


def _say_holes(gdf: gpd.GeoDataFrame, found: dict, path: Path, report: BoundaryReport) -> None:
    from serang_gis.core.numbers import Area

    for k in range(len(found["h_row"])):
        row = gdf.iloc[int(found["h_row"][k])]
        report.holes.append(Msg("coverage.open_hole", path=path, a=_label(row), row=int(row["_row"]),
                                area=Area(float(found["h_m2"][k])), lon=f"{found['h_lon'][k]:.4f}",
                                lat=f"{found['h_lat'][k]:.4f}", kabs=(row["kode_kab"],)))


def _open_holes(geoms: np.ndarray, tree: shapely.STRtree) -> list[tuple]:
    """Holes in a kelurahan that no other kelurahan fills (OPEN_HOLE_M2 or more uncovered), as (row, m2, lon, lat): a
    hole drawn by mistake, or an enclave of another region; either way ground the maps leave blank. ``tree``: the
    STRtree of the kelurahan."""
    from serang_gis.core.geometry import area_m2

    rings = shapely.get_num_interior_rings(shapely.get_parts(geoms)) if len(geoms) else np.array([])
    if not rings.any():
        return []
    parts, owner = shapely.get_parts(geoms, return_index=True)
    holes, whose = [], []
    for p, o in zip(parts, owner):
        for r in p.interiors:
            holes.append(shapely.Polygon(r))
            whose.append(o)
    holes = np.array(holes, dtype=object)
    big = area_m2(holes) >= OPEN_HOLE_M2
    out = []
    for h, o in zip(holes[big], np.asarray(whose)[big]):
        near = tree.query(h, predicate="intersects")
        left = shapely.difference(h, shapely.union_all(geoms[near[near != o]])) if len(near[near != o]) else h
        m2 = float(area_m2([left])[0]) if not left.is_empty else 0.0
        if m2 >= OPEN_HOLE_M2:
            at = shapely.point_on_surface(left)
            out.append((int(o), m2, at.x, at.y))
    return out


def _missing_and_unknown(gdf: gpd.GeoDataFrame, path: Path, report: BoundaryReport) -> None:
    """Kelurahan of a kab/kota the package knows (reference gazetteer) absent from the file, and codes it lacks."""
    from serang_gis.read import reference

    ref = reference.gazetteer()
    known_kab = {c.rsplit(".", 2)[0] for c in ref["kode_kel"]}
    for kab in sorted(known_kab & set(gdf["kode_kab"])):
        ours = ref[ref["kode_kel"].str.startswith(kab + ".")]
        held = set(gdf.loc[gdf["kode_kab"] == kab, "kode_kel"])
        lost = ours[~ours["kode_kel"].isin(held)]
        if len(lost):
            names = ", ".join(f"{n} ({c}, kecamatan {k})" for n, c, k in zip(lost["kelurahan"], lost["kode_kel"], lost["kecamatan"]))
            report.missing.append(Msg("bnd.missing", path=path, n=len(lost), kab=kab, names=names, kabs=(kab,)))
        extra = sorted(held - set(ours["kode_kel"]))
        if extra:
            rows = gdf[gdf["kode_kel"].isin(extra)]
            report.missing.append(Msg("bnd.unknown", path=path, n=len(extra), kab=kab, total=len(ours),
                                      labels=", ".join(_label(r) for _, r in rows.iterrows()), kabs=(kab,)))


def read_boundaries(region: str = "36.73", path: str | Path | None = None, **options) -> Boundaries:
    """The kelurahan of a kab/kota: ``path`` if given, else the packaged file (Kota Serang) or the
    pinned download (any other region, cached); ``options`` go to :func:`read_kelurahan`."""
    from serang_gis.read import fetch

    src = fetch.resolve(region, path)
    names = [*src.names, *options.pop("name_sources", ())]
    return read_kelurahan(src.kelurahan, region=region, name_sources=names, **options)


def _duplicate_codes(dups: gpd.GeoDataFrame) -> list[str]:
    """Codes whose features are not the disjoint parts of one named kelurahan: 'code: names / overlap'."""
    out = []
    for code, grp in dups.groupby("kode_kel", sort=True):
        names = sorted({str(n) for n in grp["kelurahan"]})
        geoms = list(grp.geometry)
        overlap = any(shapely.intersection(a, b).area > 0.01 * min(a.area, b.area)
                      for i, a in enumerate(geoms) for b in geoms[i + 1:])
        if len(names) > 1 or overlap:
            why = [f"names {' / '.join(names)}"] if len(names) > 1 else []
            why += ["features overlap"] if overlap else []
            rows = ", ".join(str(int(r)) for r in grp["_row"]) if "_row" in grp.columns else ""
            out.append(f"{code}: {len(grp)} features{f' (features {rows})' if rows else ''}: {'; '.join(why)}")
    return out


# ---- names of kecamatan and kab/kota -------------------------------------------------------------


def _names_from_file(path: Path, level: str) -> dict[str, str]:
    """code -> name from a layer with code and name columns (attributes only)."""
    try:
        frame = pyogrio.read_dataframe(path, read_geometry=False)
    except Exception:
        return {}
    schema = detect_schema(frame.columns)
    if schema is None:
        return {}
    parsed = frame[schema.columns.code].map(lambda v: codes.normalize(v, level))
    names = frame[schema.columns.name].map(tidy_name)
    return {c: n for c, n in zip(parsed, names) if c and n}


def _candidate_name_files(path: Path, extra) -> list[Path]:
    found = [Path(p) for p in extra]
    for folder in (path.parent, path.parent.parent):
        for p in sorted(folder.glob("*")):
            low = p.name.lower()
            if p.suffix.lower() in VECTOR_SUFFIXES and p != path and ("kec" in low or "kab" in low):
                found.append(p)
    return found


def _fill_names(gdf, name_col, code_col, path, extra, report) -> None:
    from serang_gis.read import reference  # embedded gazetteer: names for Kota Serang without any file
    from serang_gis.read.fetch import cached_name_files

    need = gdf[name_col].isna()
    if not need.any():
        report.name_sources[name_col] = "the boundary file"
        return
    level = "kecamatan" if name_col == "kecamatan" else "kabkota"
    wanted = set(gdf.loc[need, code_col])
    used = []
    candidates = _candidate_name_files(path, extra) + cached_name_files(wanted, level)
    for src in candidates:
        mapping = _names_from_file(src, level)
        hits = wanted & mapping.keys()
        if hits:
            fill = gdf[code_col].map(mapping)
            gdf[name_col] = gdf[name_col].fillna(fill)
            used.append(str(src))
            wanted -= hits
        if not wanted:
            break
    if wanted:
        known = reference.region_names(level)
        if wanted & known.keys():
            gdf[name_col] = gdf[name_col].fillna(gdf[code_col].map(known))
            used.append("serang_gis embedded gazetteer")
            wanted -= known.keys()
    if wanted:
        gdf[name_col] = gdf[name_col].fillna(gdf[code_col])
        kabs = sorted({c[:5] for c in wanted})
        report.warnings.append(Msg("bnd.no_names", level="kab/kota" if level == "kabkota" else level, codes=", ".join(sorted(wanted)),
                                   region=" --region ".join(kabs[:3]), kabs=tuple(kabs)))
    report.name_sources[name_col] = "; ".join(used) or "codes (no names found)"


# ---- dissolve ------------------------------------------------------------------------------------


def dissolve(kel: gpd.GeoDataFrame, by: str, keep: list[str], *, gap_m: float = 10.0, min_hole_m2: float = 10_000) -> gpd.GeoDataFrame:
    """Union kelurahan into larger units without slivers.

    Public boundary files are simplified independently per polygon, so neighbours leave thin gaps
    (here up to ~10 m wide, up to 4,000 m2). Each union is closed morphologically (buffer out then
    in by ``gap_m`` metres in the local UTM zone), which fills gaps narrower than 2 x gap_m and keeps
    convex corners, and interior rings smaller than ``min_hole_m2`` are removed.
    """
    from serang_gis.core.geometry import utm_crs

    utm = utm_crs(kel, exact=True)
    metric = kel.to_crs(utm)
    rows = []
    for key, grp in metric.groupby(by, sort=True):
        merged = shapely.union_all(grp.geometry.values)
        closed = merged.buffer(gap_m).buffer(-gap_m)
        closed = _drop_small_holes(closed, min_hole_m2)
        row = {by: key, **{c: grp[c].iloc[0] for c in keep}, "jumlah_kelurahan": len(grp),
               "luas_km2": round(closed.area / 1e6, 3), "geometry": closed}
        rows.append(row)
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=utm).to_crs(4326)
    return out


def _drop_small_holes(geom, min_area):
    def fix(poly):
        holes = [r for r in poly.interiors if shapely.Polygon(r).area >= min_area]
        return shapely.Polygon(poly.exterior, holes)

    if geom.geom_type == "Polygon":
        return fix(geom)
    return shapely.MultiPolygon([fix(p) for p in geom.geoms if p.geom_type == "Polygon"])
