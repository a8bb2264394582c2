"""Geometry for display: a clean coverage on a 1e-5 degree grid, encoded once as TopoJSON.

Public boundary files are simplified polygon by polygon, so neighbours overlap and leave slivers.
``clean_coverage`` (GEOS CoverageCleaner via shapely 2.2) snaps them into a valid coverage whose
shared edges are identical; ``snap_to_grid`` rounds every vertex to a 1e-5 degree grid (about
1.1 m, finer than a screen shows at kelurahan scale) and re-cleans until the coverage is valid on
the grid. TopoJSON then stores each shared edge once, with integer grid steps: since every vertex
is already on the grid, the quantisation loses nothing, and the encoding adds no gap or overlap.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
import topojson

from serang_gis.core.memo import Memo, geometry_key

GRID = 1e-5  # degrees
GAP_WIDTH_M = 30.0  # slivers narrower than this are merged into a neighbour
SNAP_DEGREES = GRID / 100  # re-cleaning on the grid snaps edges this close (about 1 cm): 0 can lose a unit (GEOS)
OVERLAP_M2 = 100.0  # an overlap between two units is worth telling above this area ...
OVERLAP_SHARE = 0.01  # ... and above this share of the smaller unit (public files overlap their neighbours by
#                       up to 0.15 % along shared edges: the packaged Kota Serang file by up to 4,000 m2)
GAP_SHARE = 0.005  # a filled gap is worth telling above OVERLAP_M2, this share of its smallest neighbour ...
GAP_TELL_WIDTH_M = 10.0  # ... and this mean width (2 x area / perimeter). Slivers left by simplifying shared edges are
#                          thin: Kota Serang's own reach 0.13 % and 6.5 m, 20 national kab/kota's 1.9 % and 8.6 m; the
#                          gaps a kelurahan shifted by 0.0003 degree (33 m) leaves are 0.55 % and more, 12 m and wider


_CLEAN_CACHE = Memo(64, copies=False)  # clean_coverage's results (the caller copies them into its frame)


@functools.lru_cache(maxsize=256)
def _utm_for(lon: float, lat: float) -> str:
    zone = int((lon + 180) // 6) + 1
    return f"EPSG:{(32700 if lat < 0 else 32600) + zone}"


def utm_crs(gdf: gpd.GeoDataFrame, *, exact: bool = False) -> str:
    """The UTM zone of a layer's centre (what geopandas' estimate_utm_crs gives, without a CRS-database query per call:
    0.08-0.15 s each). The centre is rounded to 0.001 degree, unless ``exact``: then it is estimate_utm_crs's to the bit
    (a centre on a zone's edge goes where it goes there)."""
    minx, miny, maxx, maxy = gdf.to_crs(4326).total_bounds if gdf.crs and not gdf.crs.is_geographic else gdf.total_bounds
    x, y = (minx + maxx) / 2, (miny + maxy) / 2
    return _utm_for(float(x), float(y)) if exact else _utm_for(round(x, 3), round(y, 3))


def clean_coverage(gdf: gpd.GeoDataFrame, *, record: bool = True) -> gpd.GeoDataFrame:
    """The same rows with geometries snapped into a valid polygonal coverage (EPSG:4326); what the cleaning did to
    the input (``CleanRepair``, with ``record``; else None) is kept in ``attrs["_cleaned"]``.

    Several maps of one build clean the same polygons: the result is remembered by their WKB.
    """
    geoms, record = _CLEAN_CACHE.get(geometry_key(gdf.geometry.values) + str(record), lambda: _clean(gdf, record))
    out = gdf.copy()
    out["geometry"] = gpd.GeoSeries(geoms, crs=4326, index=gdf.index)
    out.attrs["_cleaned"] = record
    return out


def _clean(gdf: gpd.GeoDataFrame, record: bool = True) -> tuple[np.ndarray, CleanRepair | None]:
    utm = utm_crs(gdf)
    metric = gdf.to_crs(utm).geometry.values
    cleaned = shapely.coverage_clean(metric, gap_width=GAP_WIDTH_M)
    empty = shapely.is_empty(cleaned) | shapely.is_missing(cleaned)
    cleaned = np.where(empty, metric, cleaned)  # never lose a unit: keep the original if cleaning emptied it
    return gpd.GeoSeries(cleaned, crs=utm).to_crs(4326).values, cleaning_record(metric, cleaned) if record else None


@dataclass(frozen=True)
class CleanRepair:
    """What cleaning the input into a coverage did to it, before any rounding (said in the build notes and the index).

    Areas in m2, measured in the layer's UTM zone (the cleaning's own metric CRS)."""

    pairs: tuple = ()  # (i, j, m2, holder): pairs of input units whose interiors overlapped, the unit (i or j) now holding
    #                    the overlap; the pairs worth telling (over OVERLAP_M2 and OVERLAP_SHARE) first, then largest first
    overlap_m2: float = 0.0  # their overlaps' area, each now held by one unit
    gaps: int = 0  # enclosed gaps between units filled (narrower than GAP_WIDTH_M)
    gap_m2: float = 0.0  # the gaps' own ground: a unit inside a gap (a ring of gap round it) is not counted
    open_gaps: int = 0  # enclosed gaps left open (wider than GAP_WIDTH_M): holes the maps show
    open_m2: float = 0.0
    open_near: tuple = ()  # units next to the open gaps, largest gap first (the unit whose outline it runs along most first)
    units: int = 0  # units whose shape changed (by more than 1 m2)
    moved_m2: float = 0.0  # ground whose unit changed: overlaps given to one unit, gaps filled, edges snapped
    material: bool = False  # an overlap over OVERLAP_M2 and OVERLAP_SHARE, a filled gap over OVERLAP_M2, GAP_SHARE and
    #                         GAP_TELL_WIDTH_M, or an open gap over those: worth a note (thin slivers and slight overlaps
    #                         along shared edges are not)
    told_pairs: int = 0  # the first told_pairs of ``pairs`` are over the threshold
    gap_to: tuple = ()  # (unit, m2): the units that received the filled gaps' ground, most first
    told_m2: float = 0.0  # of moved_m2, the ground the repairs worth telling moved (the overlaps and filled gaps over the
    #                       threshold); the rest is slight overlaps and slivers along shared edges
    told_gaps: int = 0  # filled gaps over the threshold (with told_pairs: the cleaning itself is worth a note)

    def __deepcopy__(self, memo) -> "CleanRepair":
        """Itself: it is immutable (numbers and tuples). pandas deep-copies a frame's ``attrs`` on every derived frame
        or column taken, and copying ``pairs`` (thousands of tuples for Banten) cost seconds a build."""
        return self


def cleaning_record(before, after) -> CleanRepair:
    """``CleanRepair`` of a coverage cleaning, ``before`` and ``after`` in one metric CRS, row for row."""
    before, after = np.asarray(before), np.asarray(after)
    if len(before) == 0:
        return CleanRepair()
    areas = shapely.area(before)
    pairs, over, big = _pairs(before, after, areas)
    gaps = _gaps(before, after, areas)
    kept = shapely.area(_intersections(before, after))  # each unit's ground before that it still holds
    gained, changed = shapely.area(after) - kept, areas + shapely.area(after) - 2 * kept > 1.0
    ground = float(np.clip(gained, 0, None).sum() + over.sum())  # gaps filled and ground taken over, and the overlaps
    return CleanRepair(pairs, float(over.sum()), *gaps[:5], int(changed.sum()), ground, bool(big.any()) or gaps[5],
                       int(big.sum()), gaps[6], min(ground, float(over[big].sum()) + gaps[7]), gaps[8])


HOLDERS = 10  # _pairs: the overlapping pairs whose holder after cleaning is measured (a note names at most 3)


def _pairs(before, after, areas) -> tuple:
    """The overlapping pairs (i, j, m2, holder), those over the threshold first; their overlaps; which are over it."""
    a, b = shapely.STRtree(before).query(before, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    inter = _intersections(before[a], before[b]) if len(a) else np.array([], dtype=object)
    over = shapely.area(inter) if len(a) else np.array([], dtype=float)
    hit = over > 1.0
    a, b, over, inter = a[hit], b[hit], over[hit], inter[hit]
    big = (over > OVERLAP_M2) & (over > OVERLAP_SHARE * np.minimum(areas[a], areas[b]))
    order = np.lexsort((-over, ~big))
    # who holds each overlap now: the unit with the larger part of it after cleaning; measured for the pairs a note can
    # name (the first HOLDERS in order), -1 for the others: two overlays per pair with whole kelurahan took seconds
    top = order[:HOLDERS]
    holder = np.full(len(a), -1)
    if len(top):
        holder[top] = np.where(shapely.area(_intersections(inter[top], after[a[top]]))
                               >= shapely.area(_intersections(inter[top], after[b[top]])), a[top], b[top])
    pairs = tuple((int(a[k]), int(b[k]), float(over[k]), int(holder[k])) for k in order)
    return pairs, over, big


def _union(coverage):
    try:
        return shapely.coverage_union_all(coverage)
    except shapely.errors.GEOSException:  # not correctly noded after all
        return shapely.union_all(coverage)


def _hole_parts(geom) -> np.ndarray:
    return np.array([shapely.Polygon(r) for p in shapely.get_parts(geom) for r in getattr(p, "interiors", [])], dtype=object)


def _union_holes(whole, own: set) -> tuple[np.ndarray, np.ndarray]:
    """The holes of ``whole`` (a union) that no unit's own hole explains, as filled polygons, and each one's ground: the
    hole less the parts of ``whole`` it encloses (a ring of gap round a unit is the ring). Only the few holes that
    enclose a part are overlaid, with that part alone: a difference with the whole union took seconds per kab/kota."""
    parts = shapely.get_parts(whole)
    found = [(shapely.Polygon(r), n) for n, p in enumerate(parts) for r in getattr(p, "interiors", [])]
    found = [(h, n) for h, n in found if h.normalize().wkb not in own]
    if not found:
        return np.array([], dtype=object), np.array([], dtype=object)
    holes = np.array([h for h, _ in found], dtype=object)
    src = np.array([n for _, n in found])
    shells = shapely.polygons(shapely.get_exterior_ring(parts))
    h, k = shapely.STRtree(shells).query(holes, predicate="contains")
    keep = k != src[h]  # a part's own shell holds its holes: not an island
    ground = holes.copy()
    for i in np.unique(h[keep]):
        ground[i] = shapely.difference(holes[i], shapely.union_all(shells[k[keep & (h == i)]]))
    return holes, ground


def _gaps(before, after, areas) -> tuple:
    """Enclosed gaps of ``before``: holes of its union that no unit's own hole explains, less the units inside them (a
    ring of gap round a unit is the ring). (filled, filled m2, open, open m2, units next to the open ones, a gap worth
    telling, (unit, m2) that received filled ground most first, the filled ground worth telling and its gaps)."""
    own = {h.normalize().wkb for g in before for h in _hole_parts(g)}
    holes, ground = _union_holes(shapely.union_all(before), own)
    size = shapely.area(ground) if len(holes) else np.array([], dtype=float)
    there = size > 1.0  # a hole a unit fills (an enclave another unit's outline does not match exactly) is no gap
    holes, ground, size = holes[there], ground[there], size[there]
    if len(holes) == 0:
        return 0, 0.0, 0, 0.0, (), False, (), 0.0, 0
    i, k = shapely.STRtree(after).query(ground, predicate="intersects")  # what of each gap a cleaned unit now holds
    part = shapely.area(_intersections(ground[i], after[k])) if len(i) else np.array([], dtype=float)
    covered = np.zeros(len(holes))
    np.add.at(covered, i, part)
    covered = np.minimum(covered, size)
    filled = covered > 0.5 * size
    h, u = shapely.STRtree(before).query(ground, predicate="intersects")
    smallest = np.full(len(holes), np.inf)
    np.minimum.at(smallest, h, areas[u])
    wide = 2 * size > GAP_TELL_WIDTH_M * shapely.length(ground)
    left = size - covered
    telling = filled & wide & (covered > OVERLAP_M2) & (covered > GAP_SHARE * smallest)
    open_telling = ~filled & wide & (left > OVERLAP_M2) & (left > GAP_SHARE * smallest)
    near = [int(x) for g in np.argsort(-left) if not filled[g] for x in _by_border(u[h == g], before, ground[g])]
    got = np.zeros(len(before))
    np.add.at(got, k[filled[i]], part[filled[i]])
    to = tuple((int(x), float(got[x])) for x in np.argsort(-got, kind="stable") if got[x] > 1.0)
    return (int(filled.sum()), float(covered[filled].sum()), int((~filled).sum()), float(left[~filled].sum()),
            tuple(dict.fromkeys(near)), bool((telling | open_telling).any()), to, float(covered[telling].sum()), int(telling.sum()))


def _by_border(units: np.ndarray, geoms, gap) -> np.ndarray:
    """The units next to a gap, the one whose outline runs along it most (as a share of the outline: an enclosed unit
    all of it, a unit the gap nearly rings almost all) first."""
    edge = shapely.boundary(geoms[units])
    share = shapely.length(shapely.intersection(edge, shapely.buffer(gap, 1e-6))) / np.maximum(shapely.length(edge), 1e-12)
    return units[np.argsort(-share, kind="stable")]


def _holes(geoms) -> int:
    u = dissolve_parts(geoms)
    return sum(len(p.interiors) for p in getattr(u, "geoms", [u]))


@dataclass(frozen=True)
class GridRepair:
    """What rounding a coverage to the grid broke and how it was repaired (said in the build report and the index)."""

    edges: int = 0  # edges of the rounded coverage that did not match their neighbour's (incorrectly noded)
    gaps: int = 0  # thin gaps the rounding opened between units
    units: int = 0  # units whose shape the repair changed
    moved_m2: float = 0.0  # area that changed hands between units
    fallback: bool = False  # still not a valid coverage: outlines are dissolved by a union instead


def snap_to_grid(geoms, grid: float = GRID):
    """Round a coverage to the grid, keeping it a valid coverage with no new gap (``snap_coverage`` without its report)."""
    return snap_coverage(geoms, grid)[0]


def _grid_ok(out, holes: int) -> bool:
    return bool(not (shapely.is_empty(out) | shapely.is_missing(out)).any() and shapely.coverage_is_valid(out)
                and shapely.is_valid(out).all() and _holes(out) <= holes)


def snap_coverage(geoms, grid: float = GRID) -> tuple[np.ndarray, GridRepair]:
    """A coverage rounded to the grid, and what the rounding broke and how it was repaired.

    Rounding moves each polygon's vertices on its own: where a vertex lands on (or across) a neighbour's edge the
    coverage is incorrectly noded, and where two edges ran close a thin gap can open. Both are repaired by
    re-cleaning (edges snapped within SNAP_DEGREES, gaps narrower than GAP_WIDTH_M closed), then rounding again.
    A unit is never lost: if the repair empties one, or no valid coverage comes out, the rounded shapes are kept
    and the repair says ``fallback`` (the outlines are then dissolved by a union, ``dissolve_parts``).
    """
    geoms = np.asarray(geoms)
    holes = _holes(geoms)
    gap = GAP_WIDTH_M / M_PER_DEGREE  # metres to degrees (at the equator: an upper bound)
    rounded = out = shapely.set_precision(geoms, grid)
    if _grid_ok(out, holes):
        return out, GridRepair()
    bad = shapely.coverage_invalid_edges(rounded)
    edges = int(shapely.get_num_geometries(bad[~shapely.is_empty(bad)]).sum())
    gaps = max(0, _holes(rounded) - holes)
    for _ in range(4):
        out = shapely.set_precision(shapely.coverage_clean(out, snapping_distance=SNAP_DEGREES, gap_width=gap), grid)
        if _grid_ok(out, holes):
            return out, _repair(rounded, out, edges, gaps, False)
    lost = shapely.is_empty(out) | shapely.is_missing(out)
    out = np.where(lost, rounded, out)
    return out, _repair(rounded, out, edges, gaps, True)


def _repair(before, after, edges: int, gaps: int, fallback: bool) -> GridRepair:
    changed = ~shapely.equals_exact(shapely.normalize(before), shapely.normalize(after), tolerance=0)
    moved = area_m2(shapely.symmetric_difference(before[changed], after[changed])).sum() / 2 if changed.any() else 0.0
    return GridRepair(edges, gaps, int(changed.sum()), float(moved), fallback)


def dissolve_parts(geoms, *, noded: bool = True):
    """The union of some units of a coverage: ``coverage_union_all`` (edges kept exactly) when the coverage is
    correctly noded, else (``noded`` False, or GEOS finds it is not) a union on the grid."""
    geoms = np.asarray(geoms)
    if noded:
        try:
            return shapely.coverage_union_all(geoms)
        except shapely.errors.GEOSException:
            pass
    return shapely.union_all(geoms, grid_size=GRID)


_TOPO_CACHE = Memo(8)


def topology(geoms: gpd.GeoSeries, grid: float = GRID) -> dict:
    """TopoJSON of the geometries, in order, as object ``u`` (no properties, no ids), arcs in grid steps.

    The pages of one build that draw the same units (an indicator's page, an office's page) share it: remembered by the
    geometries' WKB; each caller gets its own copy."""
    return _TOPO_CACHE.get(geometry_key(geoms.values) + repr(grid), lambda: _topology(geoms, grid))


def _topology(geoms: gpd.GeoSeries, grid: float) -> dict:
    snapped = snap_to_grid(geoms.reset_index(drop=True).values, grid)
    frame = gpd.GeoDataFrame(geometry=snapped, crs=4326)
    built = topojson.Topology(frame, prequantize=False, topology=True, object_name="u")
    # to_dict() deep-copies the whole output first (seconds a province); this Topology is dropped here, so its output
    # is converted in place (the same dict); topojson without the private step: to_dict()
    topo = built._to_dict(built.output, False, False) if hasattr(built, "_to_dict") else built.to_dict()
    x0 = np.floor(frame.total_bounds[0] / grid) * grid
    y0 = np.floor(frame.total_bounds[1] / grid) * grid
    sizes = np.fromiter((len(a) for a in topo["arcs"]), dtype=np.int64, count=len(topo["arcs"]))
    flat = np.fromiter((c for a in topo["arcs"] for pt in a for c in pt[:2]), dtype=float, count=2 * int(sizes.sum()))
    steps = np.rint((flat.reshape(-1, 2) - (x0, y0)) / grid).astype(np.int64)  # every arc's points, one after another
    delta = np.diff(steps, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    starts = np.cumsum(sizes) - sizes
    delta[starts[sizes > 0]] = steps[starts[sizes > 0]]  # each arc starts from the origin, the rest are steps
    arcs = encode_steps(delta.ravel(), cuts=2 * np.cumsum(sizes)[:-1])
    for g in topo["objects"]["u"]["geometries"]:
        g.pop("properties", None)
        g.pop("id", None)
    return {"type": "Topology", "transform": {"scale": [grid, grid], "translate": [round(x0, 10), round(y0, 10)]},
            "objects": topo["objects"], "arcs": arcs}


# Arcs as text: each arc's delta-encoded grid steps (x0, y0, dx1, dy1, ...) zigzag-encoded (0, -1, 1, -2 ... ->
# 0, 1, 2, 3 ...) and written 5 bits per character, low bits first, 32 added while more characters follow. The
# 64 characters need no escaping in JSON or HTML. About half the bytes of JSON number pairs; the map runtime
# (static/atlas/data.js, decodeArc) turns them back into TopoJSON arcs before topojson-client reads them.
ARC_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def encode_ints(values) -> str:
    """Integers as text: zigzag-encoded, 5 bits a character, low bits first, 32 added while more follow (``encode_steps``
    of them: the one encoder)."""
    return encode_steps(np.fromiter((int(v) for v in values), dtype=np.int64))


_ALPHABET_BYTES = np.frombuffer(ARC_ALPHABET.encode("ascii"), dtype=np.uint8)


def encode_steps(values: np.ndarray, cuts=None):
    """int64 values as text (see ``ARC_ALPHABET``), with numpy (a national run encodes millions of them: a character at a
    time in Python took a tenth of each page). With ``cuts`` (value positions, ascending), the texts of the runs between
    them: many short texts in one pass."""
    v = np.asarray(values, dtype=np.int64)
    if len(v) == 0:
        return "" if cuts is None else [""] * (len(cuts) + 1)
    z = np.where(v < 0, ~(v << 1), v << 1).astype(np.uint64)  # zigzag: 0, -1, 1, -2 ... -> 0, 1, 2, 3 ...
    chunks = [z & np.uint64(31)]
    rest = z >> np.uint64(5)
    more = [rest != 0]
    while more[-1].any():
        chunks.append(rest & np.uint64(31))
        rest = rest >> np.uint64(5)
        more.append(rest != 0)
    chunk, go = np.stack(chunks, axis=1), np.stack(more, axis=1)  # value x character: its 5 bits, and whether more follow
    used = np.concatenate([np.ones((len(z), 1), dtype=bool), go[:, :-1]], axis=1)  # the characters each value takes
    codes = chunk.astype(np.int64) | np.where(go, 32, 0)
    text = _ALPHABET_BYTES[codes[used]].tobytes().decode("ascii")
    if cuts is None:
        return text
    at = np.concatenate([[0], np.cumsum(used.sum(axis=1))])[np.asarray(cuts, dtype=np.int64)]  # the runs' first characters
    bounds = [0, *at.tolist(), len(text)]
    return [text[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def decode_ints(text: str) -> list[int]:
    """The inverse of ``encode_ints``."""
    values, z, shift = [], 0, 0
    for ch in text:
        d = ARC_ALPHABET.index(ch)
        z |= (d & 31) << shift
        shift += 5
        if not d & 32:
            values.append((z >> 1) ^ -(z & 1))
            z, shift = 0, 0
    return values


def encode_arc(arc: list[list[int]]) -> str:
    return encode_steps(np.asarray(arc, dtype=np.int64).ravel())


def decode_arc(text: str) -> list[list[int]]:
    """The inverse of ``encode_arc``: the arc's delta-encoded [dx, dy] grid steps."""
    values = decode_ints(text)
    return [values[i:i + 2] for i in range(0, len(values), 2)]


def leader_exit(box, end, pad: float) -> tuple[float, float] | None:
    """Where the line from the centre of ``box`` (x0, y0, x1, y1, display pixels) to ``end`` leaves that box grown by
    ``pad`` on every side: where matplotlib starts an annotation's leader line (its default clipping,
    ``Annotation.update_positions``), worked out instead of bisected. None when ``end`` is inside that box (or the box
    is empty): the line is not clipped. The static maps' labels and the funnel plot's both use it."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = end[0] - cx, end[1] - cy
    reach = min(((x1 - x0) / 2 + pad) / abs(dx) if dx else math.inf, ((y1 - y0) / 2 + pad) / abs(dy) if dy else math.inf)
    if not reach < 1 or x1 <= x0 or y1 <= y0:
        return None
    return cx + reach * dx, cy + reach * dy


def label_points(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """A point inside each polygon (for circles and labels), computed in metres."""
    return gdf.to_crs(utm_crs(gdf)).representative_point().to_crs(4326)


# ---- a boundary layer checked as a coverage --------------------------------------------------------

M_PER_DEGREE = 111_320.0  # metres per degree of latitude (and of longitude at the equator)


def area_m2(geoms, crs=4326) -> np.ndarray:
    """Areas in m2 of geometries in ``crs`` (EPSG:4326 unless given), on an equal-area projection (EPSG:6933)."""
    series = gpd.GeoSeries(np.asarray(geoms), crs=crs)
    return series.to_crs(6933).area.to_numpy()


def overlapping_pairs(geoms, *, min_m2: float, min_share: float,
                      tree: shapely.STRtree | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) of EPSG:4326 polygons whose interiors overlap by more than ``min_m2`` square metres and more
    than ``min_share`` of the smaller of the two; returns (i, j, overlap in m2). ``tree``: an STRtree of ``geoms`` the
    caller has already.

    Candidate pairs come from an STRtree (bounding boxes), and pairs whose bounding boxes cannot hold such an
    overlap are left out before any intersection is computed; the threshold test uses degree areas scaled by
    cos(latitude), the areas returned are on an equal-area projection.
    """
    geoms = np.asarray(geoms)
    empty = np.array([], dtype=np.int64)
    if len(geoms) < 2:
        return empty, empty, np.array([], dtype=float)
    a, b = (tree if tree is not None else shapely.STRtree(geoms)).query(geoms)
    keep = a < b
    a, b = a[keep], b[keep]
    bounds = shapely.bounds(geoms)
    scale = M_PER_DEGREE ** 2 * np.cos(np.radians((bounds[:, 1] + bounds[:, 3]) / 2))
    area = shapely.area(geoms) * scale
    wide = np.maximum(0, np.minimum(bounds[a, 2], bounds[b, 2]) - np.maximum(bounds[a, 0], bounds[b, 0]))
    high = np.maximum(0, np.minimum(bounds[a, 3], bounds[b, 3]) - np.maximum(bounds[a, 1], bounds[b, 1]))
    box = wide * high * scale[a]
    need = np.maximum(min_m2, min_share * np.minimum(area[a], area[b]))
    possible = box > need
    a, b, need = a[possible], b[possible], need[possible]
    inter = _intersections(geoms[a], geoms[b])
    hit = shapely.area(inter) * scale[a] > need
    a, b, inter = a[hit], b[hit], inter[hit]
    return a, b, area_m2(inter) if len(inter) else np.array([], dtype=float)


def _intersections(left, right) -> np.ndarray:
    """Pairwise intersections; a pair GEOS cannot overlay (a topology exception) is retried on snapped copies."""
    try:
        return shapely.intersection(left, right)
    except shapely.errors.GEOSException:
        out = []
        for x, y in zip(left, right):
            try:
                out.append(shapely.intersection(x, y))
            except shapely.errors.GEOSException:
                out.append(shapely.intersection(x, y, grid_size=1e-7))
        return np.array(out, dtype=object)


STRAY_M = 10_000.0  # a polygon part farther than this from every other part of its kab/kota ...
STRAY_SPAN = 0.5  # ... and farther than this share of the span (bounding-box diagonal) of the others is a stray part:
#                   a slip in the file (a part copied or typed far away), or a remote island worth checking


@dataclass(frozen=True)
class StrayPart:
    """A polygon part lying far from the rest of its layer (``stray_parts``)."""

    unit: int  # the row of the input it belongs to
    part: int  # its number among that row's parts (1-based, in the file's order)
    parts: int  # how many parts the row has
    distance_m: float  # to the nearest other part of the layer
    area_m2: float
    lon: float  # a point inside it (EPSG:4326)
    lat: float


def stray_parts(geoms: gpd.GeoSeries) -> list[StrayPart]:
    """The polygon parts of one kab/kota's units that lie farther than ``STRAY_M`` from every other part, and farther
    than ``STRAY_SPAN`` of the span of the other parts: a city's kelurahan with a part 150 km away, not the islands of a
    kab/kota of islands (each near another, or within the span of the rest). Measured in the layer's UTM zone."""
    parts, owner = shapely.get_parts(np.asarray(geoms.to_crs(4326).values), return_index=True)
    if len(parts) < 2:
        return []
    metric = np.asarray(gpd.GeoSeries(parts, crs=4326).to_crs(utm_crs(geoms)).values)
    tree = shapely.STRtree(metric)
    bounds = shapely.bounds(metric)
    # only a part no other part's bounding box comes within STRAY_M of can be that far (box distances are never longer
    # than true ones): the exact distance is measured for those alone (measuring every part costs 0.5 s a kabupaten)
    src, dst = tree.query(shapely.box(*(bounds + np.array([-STRAY_M, -STRAY_M, STRAY_M, STRAY_M])).T))
    alone = np.bincount(src[src != dst], minlength=len(metric)) == 0
    out = []
    for k in np.flatnonzero(alone):
        nearest = float(tree.query_nearest(metric[k], exclusive=True, return_distance=True)[1].min())
        rest = np.delete(bounds, k, axis=0)
        span = float(np.hypot(rest[:, 2].max() - rest[:, 0].min(), rest[:, 3].max() - rest[:, 1].min()))
        if nearest > max(STRAY_M, STRAY_SPAN * span):
            mine = np.flatnonzero(owner == owner[k])
            at = shapely.point_on_surface(parts[k])
            out.append(StrayPart(int(owner[k]), int(np.searchsorted(mine, k)) + 1, len(mine), nearest,
                                 float(shapely.area(metric[k])), round(at.x, 4), round(at.y, 4)))
    return out
