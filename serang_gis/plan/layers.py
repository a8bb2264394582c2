"""The cartographic plan: every decision a map product shows, made once, read by every renderer.

    joined kelurahan layer -> units (one clean coverage; kecamatan and kab/kota dissolved from it)
                           -> LayerPlan per drawn thing (classes or categories, the class of each
                              unit, caveat marks, source, period, outline styles)

Renderers stay thin and never re-decide: the Leaflet payload (``maps/spec.py``), PNG/PDF
(``static_maps.py``), QML and SLD (``styles.py``), the GeoTIFF style (``raster.py``) and the
exported layers (``qgis_export.py``) all read the same ``LayerPlan``: a class, a colour, a caveat
or a geometry is decided here.

Caveats (``mark`` per unit):
- ``few``: fewer than ``few_below`` measured (default 10): not classed, its own legend entry;
- ``caution``: fewer than ``caution_below`` measured (default 50): classed and hatched;
- ``partial``: an aggregate (kecamatan) built from some of its kelurahan only: hatched, with "n of N".
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from serang_gis.core import stats
from serang_gis.core.classify import Classes, classify
from serang_gis.core.fields import COUNTS
from serang_gis.core.indicators import INFO, Info, derive
from serang_gis.core.text import NO_DATA_COLOR, ODF_CLASSES, ListOf, Msg, odf_label, say, t, unit_word

FEW_BELOW = stats.FEW  # fewer measured than this (10): "data terlalu sedikit", not classed
CAUTION_BELOW = stats.CAUTION  # fewer measured than this (50): classed, hatched ("hati-hati")
BASE_COLOR = "#f4f4f4"  # plain units with nothing mapped on them (a boundaries map, the base under circles), in every product
OUTLINE_COLOR = "#222222"  # the kecamatan outlines over a static map's fills (render.static), and their legend line
FEW_COLOR = "#969696"  # a mid grey: told apart from no data (#d9d9d9) at a glance, in every product
DENOMINATOR = {"prevalensi_stunting": "balita_diukur", "prevalensi_stunting_eb": "balita_diukur", "persen_keluarga_berisiko": "keluarga"}
GROUP_COLUMNS = {  # indicator group -> the columns whose presence means a kelurahan reported it
    "gizi": ("balita_diukur", "pendek", "sangat_pendek", "stunting"),
    "keluarga": ("keluarga", "keluarga_berisiko"),
    "sanitasi": ("tanpa_jamban", "jamban_persen", "jamban_layak_persen", "jamban_aman_persen", "kk", "status_odf"),
}
MARKS = ("few", "caution", "partial")
NUMERATOR_OF = {"pendek": "balita_diukur", "sangat_pendek": "balita_diukur", "stunting": "balita_diukur",
                "balita_stunting": "balita_diukur", "keluarga_berisiko": "keluarga"}
TIERS = [("Prioritas 1", "#d7301f"), ("Prioritas 2", "#fc8d59"), ("Prioritas 3", "#fdcc8a")]  # as stored; read as t(lang, "tier")
LOKUS_STYLE = [("#7b3294", False), ("#000000", True), ("#e66101", False), ("#1b7837", True)]  # colour, dashed
KNOWN_LOKUS_STYLE = {"2022": ("#7b3294", False), "2021": ("#000000", True)}
COUNT_COLOR, COUNT_STROKE = "#b2182b", "#67001f"


def info_of(col: str, frame: pd.DataFrame | None = None) -> Info:
    if col in INFO:
        return INFO[col]
    kind = "rate" if frame is not None and col in frame.columns and pd.api.types.is_float_dtype(frame[col]) else "count"
    return Info(col, "", 2, kind)


# ---- units -----------------------------------------------------------------------------------


def polygons_only(geoms) -> np.ndarray:
    """Every geometry as a Polygon or MultiPolygon (slivers of other types that cleaning or rounding left are dropped)."""
    out = []
    for g in np.asarray(geoms):
        if g is None or g.is_empty or g.geom_type in ("Polygon", "MultiPolygon"):
            out.append(g)
            continue
        parts = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and not p.is_empty]
        parts = [q for p in parts for q in ([p] if p.geom_type == "Polygon" else p.geoms)]
        out.append(parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts))
    return np.asarray(out, dtype=object)


CLEAN_PASSES = 4  # coverage(): at most this many cleaning passes to reach a coverage that cleaning keeps as it is


def _clean_pass(units: gpd.GeoDataFrame, record: bool = True):
    """One cleaning pass: GEOS CoverageCleaner in metres (what it did, with ``record``), then rounded to the grid
    (repaired, ``snap_coverage``)."""
    from serang_gis.core.geometry import clean_coverage, snap_coverage

    cleaned = clean_coverage(units, record=record)
    snapped, repair = snap_coverage(cleaned.geometry.values)
    geoms = polygons_only(snapped)
    lost = shapely.is_empty(geoms) | shapely.is_missing(geoms)
    if lost.any():  # a sliver of a unit that the grid swallowed: never lose a unit, keep its cleaned shape
        fallback = np.where(shapely.is_empty(cleaned.geometry.values), units.geometry.values, cleaned.geometry.values)
        geoms = np.where(lost, polygons_only(fallback), geoms)
        repair = dataclasses.replace(repair, fallback=True)  # its shape is off the grid: outlines by a union
    return geoms, repair, cleaned.attrs.get("_cleaned")


COVERAGE_CODE = ("serang_gis.core.geometry", "serang_gis.plan.layers")  # what computes a coverage (core.cache)


def _cleaned(units: gpd.GeoDataFrame):
    """Cleaning passes until one keeps the coverage as it is: (geometries, the grid each is on, GridRepair, CleanRepair)."""
    geoms, repair, cleaned = _clean_pass(units)
    before = units.geometry.values
    for _ in range(CLEAN_PASSES - 1):
        if len(geoms) == 0 or shapely.equals_exact(shapely.normalize(before), shapely.normalize(geoms), tolerance=0).all():
            break
        before = geoms
        geoms, again, _ = _clean_pass(gpd.GeoDataFrame(geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326), record=False)
        repair = dataclasses.replace(repair, moved_m2=repair.moved_m2 + again.moved_m2, fallback=again.fallback)
    return geoms, shapely.get_precision(geoms), repair, cleaned


def coverage(kel: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The kelurahan as the maps draw them: a clean coverage on the 1e-5 degree grid, polygons only, areas recomputed.

    Cleaning is repeated until a pass keeps the coverage as it is (two passes for Kota Serang, one for a coverage this
    function made), so that cleaning it again, e.g. read back from a build's GeoPackage, changes nothing. What the first
    cleaning did to the input (``core.geometry.CleanRepair``) is kept in ``attrs["_cleaned"]``, what rounding to the
    grid broke and its repair (``core.geometry.GridRepair``) in ``attrs["_repair"]``. The same input cleaned on an
    earlier run (the same bytes, the same code) is read back from the cache folder (``core.cache``)."""
    from serang_gis.core.cache import remembered
    from serang_gis.core.geometry import utm_crs

    units = kel.reset_index(drop=True)
    if "_coverage" in units.attrs:  # already the plan's coverage
        return units
    wkb = shapely.to_wkb(units.geometry.values)
    data = str(units.crs).encode() + b"".join(len(w or b"").to_bytes(4, "big") + (w or b"") for w in wkb)
    from serang_gis.core.geometry import CleanRepair, GridRepair

    geoms, grids, repair, cleaned = remembered("coverage", data, lambda: _cleaned(units), modules=COVERAGE_CODE,
                                               classes=(CleanRepair, GridRepair))
    geoms = shapely.set_precision(geoms, grids, mode="pointwise")  # each one's grid, which a pickle does not keep
    units = gpd.GeoDataFrame(units.drop(columns="geometry"), geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)
    if len(units):
        units["luas_km2"] = (units.to_crs(utm_crs(units)).area / 1e6).round(4).to_numpy()
    units.attrs["_coverage"] = True
    units.attrs["_repair"] = repair
    units.attrs["_cleaned"] = cleaned
    return units


def repair_notes(cov: gpd.GeoDataFrame, lang: str = "id", cleaned: list[Msg] | None = None) -> list[str]:
    """What cleaning did to the input (when it moved something worth telling, ``CleanRepair.material``) and what rounding
    the coverage to the grid broke and how it was repaired, in words (nothing when nothing changed). ``cleaned``: the
    coverage's ``cleaning_notes`` when the caller has them already."""
    from serang_gis.core.numbers import count, number

    notes = [say(lang, m) for m in (cleaning_notes(cov) if cleaned is None else cleaned)]
    repair = cov.attrs.get("_repair")
    if repair is None or not (repair.units or repair.edges or repair.gaps or repair.fallback):
        return notes
    broke = [t(lang, key, n=count(n, lang)) for key, n in (("coverage.grid_edges", repair.edges), ("coverage.grid_gaps", repair.gaps)) if n]
    notes += [t(lang, "coverage.grid_repair", broke=t(lang, "coverage.grid_and").join(broke) or t(lang, "coverage.grid_shift"),
                units=count(repair.units, lang), m2=_small_m2(repair.moved_m2, lang))]
    return notes + ([t(lang, "coverage.union_fallback")] if repair.fallback else [])


def _small_m2(m2: float, lang: str) -> str:
    """An area in m2 at 0.1 m2; one that rounds to 0 but is not 0 is "< 0,1" (not "0,0")."""
    from serang_gis.core.numbers import number

    return f"< {number(0.1, 1, lang)}" if 0 < m2 < 0.05 else number(m2, 1, lang)


NAMED_PAIRS = 3  # cleaning_notes: the overlapping pairs over the threshold named first, then the largest; the others counted
NAMED_NEAR = 4  # ... and the kelurahan next to gaps left open
NAMED_GAP_TO = 2  # ... and the kelurahan that received the most of the filled gaps


def cleaning_notes(cov: gpd.GeoDataFrame) -> list[Msg]:
    """What cleaning the input into a coverage did to it (``core.geometry.CleanRepair``): the overlapping pairs (those over
    the threshold named first, each with the kelurahan now holding the overlap), the overlap area now held by one kelurahan,
    the gaps filled (and who received the most), the kelurahan changed and the ground that changed kelurahan (how much of it
    the repairs named moved); then the gaps left open. An input whose overlaps and gaps are all slight gets one line (how
    many kelurahan, how much ground) when more than OVERLAP_M2 moved, nothing below."""
    from serang_gis.core.geometry import OVERLAP_M2
    from serang_gis.core.numbers import Area, Num

    rec = cov.attrs.get("_cleaned")
    if rec is None or (not rec.material and rec.moved_m2 <= OVERLAP_M2):
        return []
    if not rec.material:  # slight overlaps and slivers only: said in one line, so areas differing from the file are explained
        return [Msg("coverage.clean_slight", units=Num(rec.units), moved=Area(rec.moved_m2), pairs=Num(len(rec.pairs)),
                    gaps=Num(rec.gaps))]
    short = [str(n) for n in cov["kelurahan"]] if "kelurahan" in cov.columns else [str(k + 1) for k in range(len(cov))]
    names = [f"{n} ({c})" for n, c in zip(short, cov["kode_kel"])] if "kode_kel" in cov.columns else short
    notes = []
    if rec.told_pairs or rec.told_gaps:  # else only an open gap is worth telling
        named = [Msg("coverage.clean_pair", a=names[i], b=names[j], area=Area(m2), holder=short[h])
                 for i, j, m2, h in rec.pairs[:NAMED_PAIRS]]
        to = [Msg("coverage.clean_gap_one", a=short[k], area=Area(m2)) for k, m2 in rec.gap_to[:NAMED_GAP_TO]
              if m2 > OVERLAP_M2 and rec.told_gaps]  # who got the slivers only is no news
        told = Msg("coverage.clean_told", told=Area(rec.told_m2)) if rec.moved_m2 - rec.told_m2 > 1.0 else ""
        notes.append(Msg("coverage.clean", pairs=Num(len(rec.pairs)), overlap=Area(rec.overlap_m2),
                         named=ListOf(named, len(rec.pairs) - len(named)), gaps=Num(rec.gaps), gap=Area(rec.gap_m2),
                         gap_to=Msg("coverage.clean_gap_to", who=ListOf(to)) if to else "", units=Num(rec.units),
                         moved=Area(rec.moved_m2), told=told))
    if rec.open_gaps:
        near = [names[k] for k in rec.open_near[:NAMED_NEAR]]
        notes.append(Msg("coverage.open_gaps", n=Num(rec.open_gaps), area=Area(rec.open_m2),
                         near=ListOf(near, len(rec.open_near) - len(near))))
    return notes


def units_name(kel) -> str:
    """The text key of what the units are called in a legend: all kelurahan, all desa (a kabupaten), or both."""
    kinds = set(kel["tipe"].dropna()) if "tipe" in kel.columns else {"kelurahan"}
    return "desa" if kinds == {"desa"} else "kelurahan_desa" if "desa" in kinds else "kelurahan"


def refuse_open_gaps(cov: gpd.GeoDataFrame, cleaned: list[Msg] | None = None) -> None:
    """--strict: a gap between kelurahan the cleaning left open (wider than 30 m, worth telling) stops the build.
    ``cleaned``: the coverage's ``cleaning_notes`` when the caller has them already."""
    from serang_gis.core.errors import InputError

    gaps = [n for n in (cleaning_notes(cov) if cleaned is None else cleaned) if n.key == "coverage.open_gaps"]
    if gaps:
        raise InputError(f"--strict: {say('en', gaps[0])}",
                         hint="close the gap in the boundary file (QGIS: Vector > Topology Checker, rule 'must not have "
                              "gaps'), or run without --strict to go on with it drawn as a hole")


def _join_text(values) -> str | None:
    vals = sorted({str(v) for v in values if v is not None and v is not pd.NA and str(v) not in ("", "nan", "<NA>")})
    return "; ".join(vals) if vals else None


def aggregate(units: gpd.GeoDataFrame, by: str = "kode_kec", keep=("kecamatan", "kode_kab", "kabkota")) -> gpd.GeoDataFrame:
    """Kecamatan (or kab/kota) dissolved from the coverage, so their edges are the kelurahan edges.

    Counts are summed over the kelurahan that reported them (missing stays missing, never zero);
    rates are recomputed from the sums; per indicator group, ``kelurahan_<group>`` says how many
    kelurahan reported and ``sebagian_<group>`` marks a partial aggregate; sources and periods are
    carried as the list of those used.
    """
    from serang_gis.core.geometry import dissolve_parts

    keep = [c for c in keep if c in units.columns and c != by]
    noded = not getattr(units.attrs.get("_repair"), "fallback", False)
    rows = []
    for key, grp in units.groupby(by, sort=True):
        rows.append({by: key, **{c: grp[c].iloc[0] for c in keep}, "jumlah_kelurahan": len(grp),
                     "geometry": dissolve_parts(grp.geometry.values, noded=noded)})
    out = gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries([r["geometry"] for r in rows], crs=units.crs), crs=units.crs)
    out["geometry"] = polygons_only(out.geometry.values)
    out["luas_km2"] = units.groupby(by, sort=True)["luas_km2"].sum().round(4).to_numpy() if "luas_km2" in units.columns else np.nan
    counts = [c for c in COUNTS if c in units.columns]
    if counts:
        grouped = units.groupby(by, sort=True)[counts]
        sums, given = grouped.sum(min_count=1), grouped.count()
        for part, whole in NUMERATOR_OF.items():  # a part summed over fewer kelurahan than its whole is no sum:
            if part in sums.columns and whole in sums.columns:  # blank it (a withheld or missing count is not 0)
                sums[part] = sums[part].mask(given[part] < given[whole])
        derived = derive(sums)
        for c in derived.columns:
            if c not in out.columns:
                out[c] = derived[c].to_numpy()
    for group, cols in GROUP_COLUMNS.items():
        present = [c for c in cols if c in units.columns]
        if not present:
            continue
        reported = units[present].notna().any(axis=1).groupby(units[by], sort=True).sum()
        out[f"kelurahan_{group}"] = reported.astype("int64").to_numpy()
        out[f"sebagian_{group}"] = ((reported > 0) & (reported < out["jumlah_kelurahan"].to_numpy())).to_numpy()
        for meta in ("sumber", "periode"):
            col = f"{meta}_{group}"
            if col in units.columns:
                out[col] = units.groupby(by, sort=True)[col].agg(_join_text).to_numpy()
    return out


@dataclass
class Units:
    kelurahan: gpd.GeoDataFrame  # the coverage, every attribute
    kecamatan: gpd.GeoDataFrame  # dissolved from it, with aggregates
    kabkota: gpd.GeoDataFrame


def units(kel: gpd.GeoDataFrame) -> Units:
    cov = coverage(kel)
    kec = aggregate(cov, "kode_kec") if "kode_kec" in cov.columns else cov.iloc[0:0]
    kab = aggregate(cov, "kode_kab", keep=("kabkota",)) if "kode_kab" in cov.columns else cov.iloc[0:0]
    return Units(cov, kec, kab)


AREA_REL = 1e-6  # check_units: kecamatan and kab/kota areas add up to the kelurahan area within 1 m2 per km2


def _segments(geoms) -> set:
    """The boundary segments of polygons, each as a sorted pair of points rounded to 1e-9 degree."""
    xy = []
    for ring in shapely.get_parts(shapely.get_rings(shapely.get_parts(np.asarray(geoms)))):
        c = np.round(shapely.get_coordinates(ring), 9)
        xy.append(np.sort(np.stack([c[:-1], c[1:]], axis=1).view([("x", float), ("y", float)]).reshape(-1, 2), axis=1))
    return {tuple(map(tuple, pair.tolist())) for part in xy for pair in part} if xy else set()


def _off_edges(segments: set, kel) -> int:
    """How many of these segments (none a kelurahan segment as such: a union may join collinear ones) stray more
    than 1e-9 degree from the kelurahan edges."""
    if not segments:
        return 0
    lines = shapely.linestrings(np.array(sorted(segments)))
    near = shapely.STRtree(kel).query(lines, predicate="intersects")
    edges = shapely.union_all(shapely.boundary(kel[np.unique(near[1])])).buffer(1e-9) if near.size else shapely.Polygon()
    return int((shapely.length(shapely.difference(lines, edges)) > 0).sum())


def check_units(u: Units, read: int | None = None) -> list[str]:
    """What is wrong with a plan's units, in words (empty: nothing): the kelurahan layer a valid coverage with every
    unit kept, kecamatan and kab/kota edges on kelurahan edges, their areas adding up (``AREA_REL``)."""
    from serang_gis.core.geometry import area_m2

    kel = u.kelurahan.geometry.values
    problems = []
    if read is not None and len(kel) != read:
        problems.append(f"{read} kelurahan read, {len(kel)} planned")
    empty = shapely.is_empty(kel) | shapely.is_missing(kel)
    if empty.any():
        problems.append(f"empty kelurahan: {', '.join(u.kelurahan['kode_kel'][empty].astype(str))}")
    if not (shapely.is_valid(kel[~empty]).all() and shapely.coverage_is_valid(kel[~empty])):
        bad = shapely.coverage_invalid_edges(kel[~empty])
        problems.append(f"kelurahan not a valid coverage ({int((~shapely.is_empty(bad)).sum())} with invalid edges)")
    edges, total = _segments(kel[~empty]), area_m2(kel[~empty]).sum()
    for name, layer in (("kecamatan", u.kecamatan), ("kab/kota", u.kabkota)):
        if not len(layer):
            continue
        off = _off_edges(_segments(layer.geometry.values) - edges, kel[~empty])
        if off:
            problems.append(f"{name}: {off} edge segments not on kelurahan edges")
        got = area_m2(layer.geometry.values).sum()
        if abs(got - total) > AREA_REL * total:
            problems.append(f"{name}: area {got / 1e6:.6f} km2, kelurahan {total / 1e6:.6f} km2")
    return problems


# ---- layers ----------------------------------------------------------------------------------


@dataclass
class LayerPlan:
    """One drawn thing, decided: what every renderer shows for it."""

    id: str
    kind: str  # choropleth | categorical | outline | circles
    column: str
    title: str
    unit: str = ""
    dec: int = 0
    classes: Classes | None = None  # choropleth
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # categorical: (value, colour, label)
    index: np.ndarray | None = None  # class of each unit: 0..k-1, -1 no data, -2 too few measured (not classed)
    marks: list[str | None] = field(default_factory=list)  # caveat per unit: None | few | caution | partial
    mark_labels: dict[str, str] = field(default_factory=dict)  # caveats present -> legend text
    extra: dict[str, list] = field(default_factory=dict)  # per-unit notes shown with the value (e.g. "4 dari 12 kelurahan")
    no_data_label: str = "Tidak ada data"
    no_data_color: str = NO_DATA_COLOR  # BASE_COLOR on a boundaries map: its units are not "no data"
    color: str = "#000000"  # outline / circles
    stroke: str = "#555555"
    dash: bool = False
    weight: float | None = None  # outline: its line width in px where not the default (3.5), its legend swatch as thick
    max_value: float | None = None  # circles: value of the largest circle
    source: str | None = None
    period: str | None = None
    note: str | None = None
    target: float | None = None
    group: str | None = None  # exclusive layers (periods of one indicator)
    show: bool = True
    old: dict[int, str] = field(default_factory=dict)  # class -> the old report it rests on, said under its label (``old_classes``)

    def color_of(self, i: int) -> str:
        """The fill colour of unit ``i`` (the one rule every renderer follows)."""
        k = int(self.index[i])
        if k >= 0:
            return self.classes.colors[k] if self.kind == "choropleth" else self.categories[k][1]
        return FEW_COLOR if k == -2 else self.no_data_color

    def colors(self) -> list[str]:
        return [self.color_of(i) for i in range(len(self.index))]

    def label_of_class(self, k: int) -> str:
        if k == -1:
            return self.no_data_label
        if k == -2:
            return self.mark_labels.get("few", "")
        return self.classes.labels[k] if self.kind == "choropleth" else dated_label(self.categories[k][2], self.old.get(k))

    def legend_items(self) -> list[dict]:
        """The legend in order: classes, too few, no data, then the hatch marks (an outline: its line). Each item:
        kind (fill | hatch | line), label, color, and the class it stands for (0..k-1, -2 too few, -1 no data, or the mark)."""
        items = []
        if self.kind == "choropleth":
            items += [{"kind": "fill", "label": lab, "color": c, "cls": k} for k, (lab, c) in enumerate(zip(self.classes.labels, self.classes.colors))]
        elif self.kind == "categorical":
            items += [{"kind": "fill", "label": self.label_of_class(k), "color": c, "cls": k} for k, (_, c, _) in enumerate(self.categories)]
        if self.kind in ("choropleth", "categorical"):
            if "few" in self.mark_labels:
                items.append({"kind": "fill", "label": self.mark_labels["few"], "color": FEW_COLOR, "cls": -2})
            items.append({"kind": "fill", "label": self.no_data_label, "color": self.no_data_color, "cls": -1})
            for m in ("caution", "partial"):
                if m in self.mark_labels:
                    items.append({"kind": "hatch", "label": self.mark_labels[m], "color": "#000000", "cls": m})
        elif self.kind == "outline":
            items.append({"kind": "line", "label": self.title, "color": self.color, "dash": self.dash})
        return items

    def rare_classes(self) -> list[int]:
        """The rare classes of a fill layer: each held by at most ``RARE_MOST`` units and by under ``RARE_SHARE`` of them
        (Kota Serang's one Belum ODF kelurahan among 67), the class a reader looks for because it is rare. The HTML map
        draws their units over the circles and outlines, so that no circle or label hides them on a phone."""
        if self.kind not in ("choropleth", "categorical") or self.index is None or len(self.index) < 2:
            return []
        held = pd.Series(np.asarray(self.index)).value_counts()
        return sorted(int(k) for k, n in held.items() if k >= 0 and n <= RARE_MOST and n < RARE_SHARE * len(self.index))

    def legend(self) -> list[tuple[str, str, str]]:
        """(kind, label, colour) in legend order (``legend_items``)."""
        return [(it["kind"], it["label"], it["color"]) for it in self.legend_items()]

    @property
    def hatched(self) -> np.ndarray:
        return np.array([m in ("caution", "partial") for m in self.marks], dtype=bool) if self.marks else np.zeros(0, bool)


RARE_MOST, RARE_SHARE = 3, 0.1  # a fill class of at most 3 units, and under a tenth of the map's, is rare
OLD_DAYS = 365  # a status reported this many days or more before the map's newest is old: its date is said with it


def old_classes(frame: pd.DataFrame, layer: LayerPlan, lang: str = "id") -> dict[int, str]:
    """The classes of a status layer whose date is old, each with what it rests on: {k: "Kaligandu, laporan
    2022-10-20"}. A class of at most ``RARE_MOST`` units, each dated (``tanggal_<x>`` beside the layer's ``status_<x>``),
    the newest of them ``OLD_DAYS`` or more before the newest date of the layer (the "ODF per 2025-09-20" the map is
    titled with): the one Belum ODF kelurahan, known from a 2022 news item, is not read as Belum ODF in 2025. Every
    product's legend says it under the class (``LayerPlan.label_of_class``). {} when none (or the layer has no dates)."""
    col = str(layer.column or "")
    when = "tanggal_" + col[len("status_"):] if col.startswith("status_") else ""
    if when not in frame.columns or "kelurahan" not in frame.columns or layer.index is None or len(layer.index) != len(frame):
        return {}
    dates = pd.to_datetime(frame[when], errors="coerce").reset_index(drop=True)
    if not dates.notna().any():
        return {}
    names, index, out = frame["kelurahan"].astype(str).reset_index(drop=True), np.asarray(layer.index), {}
    for k in sorted({int(i) for i in index if i >= 0}):
        mask = pd.Series(index == k)
        got = dates[mask]
        if mask.sum() > RARE_MOST or got.isna().any() or (dates.max() - got.max()).days < OLD_DAYS:
            continue
        span = sorted({d.date().isoformat() for d in got})
        said = span[0] if len(span) == 1 else f"{span[0]}\u2013{span[-1]}"
        out[k] = t(lang, "static.old_status", names=", ".join(sorted(names[mask])), date=said)
    return out


def dated_label(label: str, old: str | None) -> str:
    """A legend label with the old report of its class under it (``old_classes``), else as it is."""
    return f"{label}\n({old})" if old else label


def _source_period(frame: pd.DataFrame, info: Info, column: str):
    own = info.group or column  # a column of no group may carry its own (sumber_stunting_dilaporkan, periode_...)
    if f"sumber_{own}" in frame.columns:
        return _join_text(frame[f"sumber_{own}"]), _join_text(frame.get(f"periode_{own}", pd.Series(dtype=object)))
    return None, None


def _marks(frame: pd.DataFrame, column: str, values: pd.Series, info: Info, lang: str, *, few_below: int,
           caution_below: int) -> tuple[list, dict, dict]:
    """Caveat of each unit and the legend text of those present."""
    n = len(frame)
    marks: list[str | None] = [None] * n
    labels, extra = {}, {}
    den = DENOMINATOR.get(column)
    if den and den in frame.columns:
        d = pd.to_numeric(frame[den], errors="coerce").to_numpy(dtype=float)
        has = values.notna().to_numpy()
        for i in range(n):
            if has[i] and not np.isnan(d[i]):
                if d[i] < few_below:
                    marks[i] = "few"
                elif d[i] < caution_below:
                    marks[i] = "caution"
        what = t(lang, f"measured_{den}")
        if "few" in marks:
            labels["few"] = t(lang, "mark_few", n=few_below, what=what)
        if "caution" in marks:
            labels["caution"] = t(lang, "mark_caution", lo=few_below, hi=caution_below - 1, what=what)
    if info.group and f"sebagian_{info.group}" in frame.columns:
        part = frame[f"sebagian_{info.group}"].fillna(False).astype(bool).to_numpy()
        got, of = frame[f"kelurahan_{info.group}"].to_numpy(), frame["jumlah_kelurahan"].to_numpy()
        extra["partial"] = [t(lang, "n_of_N", n=int(g), N=int(o)) if p else None for p, g, o in zip(part, got, of)]
        for i in np.flatnonzero(part):
            if marks[i] is None and values.iloc[i] is not pd.NA and pd.notna(values.iloc[i]):
                marks[i] = "partial"
        if "partial" in marks:
            labels["partial"] = t(lang, "mark_partial")
    return marks, labels, extra


def classable(frame: pd.DataFrame, column: str, *, period: str | None = None, few_below: int = FEW_BELOW) -> pd.Series:
    """The values that get a class: a rate from fewer than ``few_below`` measured is left out (it is not classed,
    so it must not move the breaks either)."""
    suffix = f"__{period}" if period else ""
    values = pd.to_numeric(frame[column + suffix], errors="coerce").astype(float)
    den = DENOMINATOR.get(column)
    if den and den + suffix in frame.columns:
        d = pd.to_numeric(frame[den + suffix], errors="coerce")
        values = values.mask(d < few_below)
    return values.reset_index(drop=True)


def with_caveats_of(layer: LayerPlan, sources: list[LayerPlan]) -> LayerPlan:
    """A derived layer (a change between periods) carries the worst caveat of the layers it was computed from."""
    rank = {None: 0, "partial": 1, "caution": 2, "few": 3}
    marks = list(layer.marks)
    for src in sources:
        marks = [a if rank[a] >= rank[b] else b for a, b in zip(marks, src.marks)]
    labels = dict(layer.mark_labels)
    for src in sources:
        labels.update({m: lab for m, lab in src.mark_labels.items() if m in marks})
    index = np.where(np.array([m == "few" for m in marks]), -2, layer.index)
    layer.marks, layer.mark_labels, layer.index = marks, labels, index
    return layer


def classes_for(values, column: str, *, scheme: str | None = None, k: int = 5, bins=None, lang: str = "id",
                frame: pd.DataFrame | None = None) -> Classes:
    """The classes of a rate: one decision, shared by every period, scope and product of that indicator."""
    info = info_of(column, frame)
    if frame is not None and column in frame.columns and len(values) == len(frame):
        values = classable(frame, column)  # too few measured: not classed, so not in the breaks
    return classify(values, scheme or info.scheme, k=k, bins=bins, palette=info.palette, unit="%" if info.unit == "%" else "",
                    lang=lang)


def rate_layer(frame: pd.DataFrame, column: str, classes: Classes, *, lang: str = "id", title: str | None = None,
               layer_id: str | None = None, few_below: int = FEW_BELOW, caution_below: int = CAUTION_BELOW,
               value_column: str | None = None, period: str | None = None, unit: str | None = None, **kw) -> LayerPlan:
    """A choropleth of ``column`` (or of ``value_column``: one period of it, or a change) in the given classes.

    The caveats of a period come from that period's denominator (``balita_diukur__2021``); a change has none.
    """
    info = info_of(column, frame)
    vcol = value_column or column
    values = pd.to_numeric(frame[vcol], errors="coerce").astype(float).reset_index(drop=True)
    idx = classes.assign(values)
    base = frame.reset_index(drop=True)
    if period is not None:  # that period's counts stand in for the latest ones
        base = base.assign(**{c.split("__")[0]: base[c] for c in base.columns if c.endswith(f"__{period}")})
    marks, labels, extra = _marks(base, column, values, info, lang, few_below=few_below, caution_below=caution_below) \
        if (vcol == column or period is not None) else ([None] * len(frame), {}, {})
    idx = np.where(np.array([m == "few" for m in marks]), -2, idx)
    source, period = _source_period(base, info, column)
    kw.setdefault("source", source)
    kw.setdefault("period", period)
    kw.setdefault("note", "WHO-UNICEF 2018" if classes.scheme == "who" else None)
    return LayerPlan(layer_id or vcol, "choropleth", vcol, title or info.label(lang),
                     unit=unit if unit is not None else ("%" if info.unit == "%" else info.unit), dec=info.dec, classes=classes, index=idx, marks=marks, mark_labels=labels, extra=extra,
                     no_data_label=t(lang, "no_data_class"), **kw)


def categorical_layer(frame: pd.DataFrame, column: str, cats: list[tuple[str, str, str]], *, lang: str = "id",
                      title: str | None = None, layer_id: str | None = None, **kw) -> LayerPlan:
    values = frame[column].reset_index(drop=True)
    order = {v: i for i, (v, _, _) in enumerate(cats)}
    idx = np.array([order.get(v, -1) if isinstance(v, str) else -1 for v in values], dtype=int)
    unknown = sorted({str(v) for v, k in zip(values, idx) if k == -1 and pd.notna(v)})
    if unknown:  # a value with no category is shown as itself, never as "no data"
        cats = list(cats) + [(u, "#fee08b", u) for u in unknown]
        return categorical_layer(frame, column, cats, lang=lang, title=title, layer_id=layer_id, **kw)
    info = info_of(column, frame)
    source, period = _source_period(frame, info, column)
    kw.setdefault("source", source)
    kw.setdefault("period", period)
    return LayerPlan(layer_id or column, "categorical", column, title or info.label(lang), categories=list(cats), index=idx,
                     marks=[None] * len(values), **{"no_data_label": t(lang, "no_data_class"), **kw})


def odf_layer(frame: pd.DataFrame, *, lang: str = "id", title: str | None = None, **kw) -> LayerPlan:
    present = set(frame["status_odf"].dropna())
    cats = [(s, c, odf_label(lang, s)) for s, (c, _) in ODF_CLASSES.items() if s in present]
    if "sumber_odf" in frame.columns:  # its own source and dates (the declarations), never a health table's
        dates = sorted({str(d) for d in frame.get("tanggal_odf", pd.Series(dtype=object)).dropna() if str(d)})
        kw.setdefault("source", _join_text(frame["sumber_odf"]))
        kw.setdefault("period", " – ".join(dict.fromkeys([dates[0], dates[-1]])) if dates else None)
    layer = categorical_layer(frame, "status_odf", cats, lang=lang, title=title or info_of("status_odf").label(lang), **kw)
    layer.old = old_classes(frame, layer, lang)  # "Belum ODF (Kaligandu, laporan 2022-10-20)" in every legend
    return layer


def tier_layer(frame: pd.DataFrame, *, lang: str = "id", **kw) -> LayerPlan:
    cats = [(v, c, t(lang, "tier", n=v.rsplit(" ", 1)[1])) for v, c in TIERS]
    kw.setdefault("no_data_label", t(lang, "tier_unranked"))  # not "no data": perlu data (< 10 measured) or no data
    return categorical_layer(frame, "prioritas", cats, lang=lang, title=info_of("prioritas").label(lang), **kw)


# light enough that a lokus outline (purple, black dashed) stays seen over any of them (3:1), none near the background
STRENGTH = (("kuat", "#fdae61"), ("perbatasan", "#fee090"), ("bukan", "#abd9e9"), ("perlu_data", NO_DATA_COLOR))


def has_draws(frame: pd.DataFrame) -> bool:
    """The rank was drawn over the data's uncertainty (P(top N) per kelurahan): lokus strength can be said."""
    return "peluang_top_n" in frame.columns and pd.to_numeric(frame["peluang_top_n"], errors="coerce").notna().any()


def lokus_strength(frame: pd.DataFrame, lang: str = "id", *, short: bool = False) -> pd.Series:
    """Each kelurahan's strength as a lokus in words: strong / borderline (``status_lokus``), not a lokus by the data
    (ranked, P < 0.20), needs data (not ranked). Never "no data" beside a rank that judged it. ``short``: the words
    without their thresholds (the rembuk's tables, whose one definition is ``strength_define``)."""
    status = frame.get("status_lokus", pd.Series([None] * len(frame), index=frame.index)).astype(object)
    ranked = frame["prioritas"].notna() & (frame["prioritas"].astype(str) != "") if "prioritas" in frame.columns \
        else pd.to_numeric(frame["peluang_top_n"], errors="coerce").notna()
    key = np.select([status == "lokus kuat", status == "perbatasan", ranked.to_numpy(dtype=bool)], ["kuat", "perbatasan", "bukan"],
                    default="perlu_data")
    return pd.Series([t(lang, f"strength.short.{k}" if short else f"strength.{k}") for k in key], index=frame.index, dtype=object)


def strength_define(frame: pd.DataFrame, lang: str = "id") -> str:
    """The one definition of the strength words, N the number of kelurahan in Prioritas 1."""
    n = int((frame["prioritas"].astype(str) == "Prioritas 1").sum()) if "prioritas" in frame.columns else 0
    return t(lang, "strength.define", n=n)


def strength_layer(frame: pd.DataFrame, *, lang: str = "id", show: bool = False) -> LayerPlan:
    """Lokus strength as a layer of the priority map (its column: ``status_lokus``, whose text it replaces)."""
    values = lokus_strength(frame, lang).reset_index(drop=True)
    cats = [(t(lang, f"strength.{k}"), c, t(lang, f"strength.{k}")) for k, c in STRENGTH if k != "perlu_data"]
    order = {v: i for i, (v, _, _) in enumerate(cats)}  # needs data: the layer's no-data class, in its words
    return LayerPlan("kekuatan_lokus", "categorical", "status_lokus", t(lang, "strength.title"), categories=cats,
                     index=np.array([order.get(v, -1) for v in values], dtype=int), marks=[None] * len(values),
                     no_data_label=t(lang, "strength.perlu_data"), note=t(lang, "strength.note"), show=show)


def count_layer(frame: pd.DataFrame, column: str, *, lang: str = "id", title: str | None = None, max_value=None,
                color=COUNT_COLOR, stroke=COUNT_STROKE, layer_id: str | None = None, **kw) -> LayerPlan:
    info = info_of(column, frame)
    values = pd.to_numeric(frame[column], errors="coerce")
    vmax = float(max_value if max_value is not None else (values.max() if values.notna().any() else 0))
    source, period = _source_period(frame, info, column)
    kw.setdefault("source", source)
    kw.setdefault("period", period)
    kw.setdefault("no_data_label", t(lang, "no_data_class"))  # the static map's grey units without a figure
    return LayerPlan(layer_id or column, "circles", column, title or info.label(lang), unit=unit_word(lang, info.unit), dec=info.dec,
                     index=np.full(len(frame), -1), marks=[None] * len(frame), color=color, stroke=stroke, max_value=vmax, **kw)


def period_refs(values) -> list[float]:
    """The size legend of one period of a count drawn on a scale shared by its periods (a ``group`` of circle layers):
    its own largest value and a quarter of it, as the static map of that period gives them (``render.static``)."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    return [] if v.empty else [float(v.max()), float(v.max()) / 4]


def lokus_lists(frame: pd.DataFrame, extra: dict[str, pd.Series] | None = None) -> dict[str, pd.Series]:
    """Every lokus list: the layer's ``lokus_<name>`` columns, then lists given beside it."""
    lists = {}
    for c in frame.columns:
        m = re.fullmatch(r"lokus(?:_(\w+))?", c)
        if m and (pd.api.types.is_bool_dtype(frame[c]) or frame[c].dropna().isin([True, False, 0, 1]).all()):
            lists[m.group(1) or ""] = frame[c]  # "lokus": the list a ranking was compared with
    for name, flags in (extra or {}).items():
        lists.setdefault(name, flags)
    if "" in lists:  # "lokus" (the list a ranking was compared with) drawn once: not again when it is a named list
        same = pd.Series(lists[""]).fillna(False).astype(bool).reset_index(drop=True)
        if any(n and pd.Series(f).fillna(False).astype(bool).reset_index(drop=True).equals(same) for n, f in lists.items()):
            del lists[""]
    return lists


def lokus_source(frame: pd.DataFrame, name: str, lang: str = "id") -> str | None:
    """What the paper's embedded lists rest on (``read.reference.lokus_basis``: lokus 2022, the paper's 19 against the
    Walikota decree's 18), where ``frame`` carries them (its ``dasar_lokus_2022``, made only with them); a user's list:
    None (the build names its file)."""
    if name not in ("2021", "2022") or "dasar_lokus_2022" not in frame.columns:
        return None
    from serang_gis.read.reference import lokus_basis

    return lokus_basis(name, lang)


def lokus_layers(frame: pd.DataFrame, lists: dict[str, pd.Series], *, lang: str = "id") -> list[LayerPlan]:
    """One outline layer per list, each in its own style (2022 purple, 2021 black dashed, others in turn), with the
    source of the paper's lists (``lokus_source``)."""
    out = []
    used = 0
    for name, flags in lists.items():
        if name in KNOWN_LOKUS_STYLE:
            color, dash = KNOWN_LOKUS_STYLE[name]
        else:
            color, dash = LOKUS_STYLE[(used + 2) % len(LOKUS_STYLE)]
            used += 1
        on = pd.Series(flags).reset_index(drop=True).fillna(False).astype(bool).to_numpy()
        key = f"lokus_{name}" if name else "lokus"
        out.append(LayerPlan(key, "outline", key, t(lang, "lokus", year=name).strip(), index=np.where(on, 0, -1),
                             marks=[None] * len(on), color=color, dash=dash, note=t(lang, "lokus_item", year=name).strip(),
                             source=lokus_source(frame, name, lang)))
    return out


def map_columns(layer: LayerPlan) -> dict[str, list]:
    """Columns that carry the plan into exported layers (short names: they survive a Shapefile)."""
    k = [None if int(i) == -1 else (0 if int(i) == -2 else int(i) + 1) for i in layer.index]
    return {"kelas_peta": k, "tanda_peta": [None if m is None else MARK_CODES[m] for m in layer.marks]}


MARK_CODES = {"few": "terlalu sedikit", "caution": "hati-hati", "partial": "sebagian"}


# ---- the plan of one indicator map -----------------------------------------------------------


@dataclass
class MapPlan:
    """Everything one indicator's products show: units, the main layer, context layers, texts."""

    units: Units
    column: str
    main: LayerPlan
    context: list[LayerPlan]  # drawn over the main layer: ODF status (off), lokus lists
    title: str
    sources: list[str]
    lang: str = "id"

    @property
    def layers(self) -> list[LayerPlan]:
        return [self.main, *self.context]

    @property
    def lokus(self) -> list[LayerPlan]:
        return [x for x in self.context if x.kind == "outline"]


def resolve_indicator(kel: pd.DataFrame, indicator: str) -> str:
    from serang_gis.core.errors import InputError
    from serang_gis.core.indicators import resolve

    col = resolve(indicator, kel.columns)
    if col not in kel.columns:
        known = [c for c in kel.columns if c in INFO]
        raise InputError(f"the layer has no indicator {indicator!r}", hint=f"indicators in this layer: {', '.join(known) or 'none'}")
    return col


# A count is drawn as proportional circles whatever the scheme: the scheme classes the rates of the same map or atlas.
# A count is never classed as polygons: a large kelurahan holds more children, so its class would show its size.
# who: WHO prevalence bands (%), meaningless for a count; quantiles, natural_breaks, equal_interval, manual: would
# class the count, but the circle's area already shows it exactly, without classes.


def main_layer(kel: pd.DataFrame, col: str, *, scheme=None, k=5, bins=None, target=None, lang="id", classes: Classes | None = None,
               few_below: int = FEW_BELOW, caution_below: int = CAUTION_BELOW) -> LayerPlan:
    """The decided layer of one indicator column: choropleth (rate), circles (count) or categories."""
    from serang_gis.core.errors import InputError

    info = info_of(col, kel)
    if col == "prioritas":
        return tier_layer(kel, lang=lang)
    if col == "status_odf":
        return odf_layer(kel, lang=lang)
    if info.kind == "rate":
        cls = classes or classes_for(kel[col], col, scheme=scheme, k=k, bins=bins, lang=lang, frame=kel)
        return rate_layer(kel, col, cls, lang=lang, target=target, few_below=few_below, caution_below=caution_below)
    if info.kind == "count":  # circles under every scheme: their area is the count, no class needed (above)
        return count_layer(kel, col, lang=lang)
    raise InputError(f"{col} cannot be mapped (it is neither a rate, a count nor the ODF status)")


def indicator_plan(kel: gpd.GeoDataFrame, indicator: str, *, scheme=None, k=5, bins=None, target=None,
                   lokus: dict[str, pd.Series] | None = None, lang: str = "id", classes: Classes | None = None,
                   few_below: int = FEW_BELOW, caution_below: int = CAUTION_BELOW, unit_layer: Units | None = None) -> MapPlan:
    """The plan of one indicator over the kelurahan of ``kel``."""
    col = resolve_indicator(kel, indicator)
    u = unit_layer or units(kel)
    frame = u.kelurahan
    main = main_layer(frame, col, scheme=scheme, k=k, bins=bins, target=target, lang=lang, classes=classes,
                      few_below=few_below, caution_below=caution_below)
    context = []
    if "status_odf" in frame.columns and col != "status_odf" and frame["status_odf"].notna().any():
        context.append(odf_layer(frame, lang=lang, show=False))
    context += lokus_layers(frame, lokus_lists(frame, lokus), lang=lang)
    info = info_of(col, frame)
    title = f"{info.label(lang)} – {frame['kabkota'].iloc[0]}" if "kabkota" in frame.columns else info.label(lang)
    sources = [s for s in (main.source or "").split("; ") if s]
    if not sources:  # a composite (the priority tier): every source it was computed from
        sources = sorted({str(v) for c in frame.columns if c.startswith("sumber_") and "__" not in c for v in frame[c].dropna()})
    return MapPlan(u, col, main, context, title, sources, lang)


def with_columns(units_frame: gpd.GeoDataFrame, extra: pd.DataFrame | None, on: str = "kode_kec") -> gpd.GeoDataFrame:
    """Attributes given per unit elsewhere (e.g. the paper's kecamatan figures) joined to the plan's units by code;
    the plan's geometry and its own columns win."""
    if extra is None:
        return units_frame
    drop = [c for c in extra.columns if (c in units_frame.columns and c != on) or c == "geometry"]
    out = units_frame.merge(pd.DataFrame(extra.drop(columns=drop)), on=on, how="left")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=units_frame.crs)
