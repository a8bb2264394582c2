"""A QGIS project (``.qgz``) beside the GeoPackage: every layer, grouped and styled, with print layouts.

Written as QGIS's own XML from Python (no QGIS needed where the package runs): a ``.qgz`` is a zip holding
one ``.qgs``. Each layer points at the GeoPackage by a relative path (the folder can move), carries the
styles the GeoPackage's ``layer_styles`` holds for it (the default one current, any other as a named
style), its field aliases and metadata (title with the period; abstract with indicator, period, source,
scheme and licence). Groups: lokus, counts, boundaries, then the indicators of each period (latest
first), the change maps and the rest; one layer visible per group and only the latest period's
indicators switched on, as the HTML map opens. A print layout per map (A4 landscape: map, legend,
scale bar in metres, north arrow, sources, print date) and an atlas layout with a page per kecamatan.
"""

from __future__ import annotations

import dataclasses

import re
import xml.etree.ElementTree as ET
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from serang_gis.core.text import t
from serang_gis.plan.layers import info_of
from serang_gis.output.writers import write_bytes
from serang_gis.render.leaflet.spec import KEC_COLOR  # the HTML maps' kecamatan outline colour
from serang_gis.render.qgis_layout import OUTLINE_ID, layouts  # OUTLINE_ID: the kecamatan outlines and names, drawn over the maps
from serang_gis.render.styles import QGIS_VERSION, outline_style, qml

ID = "serang_gis_"  # QGIS keeps a layer id of more than 10 characters only (it replaces a shorter one)



@dataclass
class Entry:
    """One layer of the project."""

    id: str
    table: str  # the GeoPackage layer
    title: str
    abstract: str
    geometry: str  # Point | Polygon
    group: str
    styles: list[tuple[str, str]]  # (style name, QML); the first is current
    checked: bool = False
    layout: bool = False  # gets a print layout of its own
    order: tuple = (0, 0)
    heading: str = ""  # the layout's title, when not the layer's title
    shows: tuple[str, ...] = ()  # count-point tables its HTML page draws over it when it opens (``ExportLayer.counts_shown``)


@dataclass
class Project:
    gpkg: str  # file name, relative to the project
    crs: str  # EPSG:xxxxx, projected (metres) for the scale bar
    extent: tuple  # in crs
    entries: list[Entry] = field(default_factory=list)
    groups: list[tuple[str, bool]] = field(default_factory=list)  # (name, checked), top first
    main: Entry | None = None  # the layer the atlas layout shows
    lang: str = "id"


def utm_crs(frames) -> str:
    """The UTM zone (WGS 84) of the data's centre: metres for the scale bar, little distortion over a kab/kota."""
    b = [f.to_crs(4326).total_bounds for f in frames if isinstance(f, gpd.GeoDataFrame) and len(f)]
    lon = (min(x[0] for x in b) + max(x[2] for x in b)) / 2
    lat = (min(x[1] for x in b) + max(x[3] for x in b)) / 2
    zone = int((lon + 180) // 6) + 1
    return f"EPSG:{(32700 if lat < 0 else 32600) + zone}"


def gpkg_styles(gpkg: Path) -> dict[str, list[tuple[str, str]]]:
    """table -> [(style name, QML)] from the GeoPackage's ``layer_styles``, the default style first."""
    import pyogrio

    table = pyogrio.read_dataframe(gpkg, layer="layer_styles", read_geometry=False)
    out: dict[str, list] = {}
    for row in table.sort_values("useAsDefault", ascending=False, kind="stable").itertuples():
        out.setdefault(row.f_table_name, []).append((row.styleName, row.styleQML))
    return out


# ---- which layer goes where ----------------------------------------------------------------------


def _change(layer) -> bool:
    head, _, tail = layer.id.rpartition("__")
    return bool(head) and bool(re.fullmatch(r"\d{4}(?:[-_]\d{2})?_\d{4}(?:[-_]\d{2})?", tail))


def _status_group(layer, lang: str) -> str | None:
    """The group of a status layer ("Status ODF"): its period is the span of the days each status was declared
    ("2022-01-31 – 2025-09-20"), no indicator period to head a group with (recheck12 L12); None for other layers."""
    return info_of(layer.column).label(lang) if layer.column == "status_odf" else None


def _title(name: str, abstract: str, lang: str) -> str:
    """The style's name with the period the description gives (``... · periode 2023 · ...``), unless it says it."""
    m = re.search(rf" · {re.escape(t(lang, 'period'))} (.+?)(?= · |$)", abstract)  # "2024, 2024-08": every period, not "2024,"
    dated = re.search(r"\d{4}-\d\d-\d\d", name)  # "Status ODF (per 2025-09-20)": its date is said; a range's first day is no period
    return name if not m or m[1] in name or dated else f"{name} {m[1]}"


def _abstract(style, lang: str) -> str:
    text = style.description or style.name
    return text if t(lang, "attribution") in text else f"{text} · {t(lang, 'attribution')}"  # the boundaries' licence


def entries(layers: dict, styles: dict, maps=(), lang: str = "id", main: str | None = None) -> list[Entry]:
    """An entry per GeoPackage layer (and the kecamatan outlines), its group, order and visibility."""
    by_name = {f"peta_{m.name}": m.layer for m in maps}
    shows = {f"peta_{m.name}": tuple(getattr(m, "counts_shown", ())) for m in maps}
    out = []
    for i, (name, (frame, style)) in enumerate(layers.items()):
        points = re.search(r"_titik(?:_\d{4}(?:_\d\d)?)?$", name)  # balita_stunting_titik, ..._titik_2021
        geom = "Point" if points or (name in by_name and by_name[name].kind == "circles") else "Polygon"
        lp = by_name.get(name)
        about = _abstract(style, lang)
        title = _title(style.name, about, lang)
        if maps and name in ("kelurahan", "kecamatan"):  # the full layers beside the maps: not titled as an indicator
            title = t(lang, f"qgis.all_{name}")
        e = Entry(ID + name, name, title, about, geom, "", styles.get(name) or [(style.name, qml(style))], order=(0, i))
        e.layout = lp is not None  # a map of the HTML pages: a print layout of its own
        e.shows = shows.get(name, ())
        if name.startswith("lokus_"):
            e.group = t(lang, "qgis.group_lokus")
        elif geom == "Point":
            e.group = t(lang, "qgis.group_counts")
        elif lp is None:
            e.group = t(lang, "qgis.group_boundaries")
        else:
            e.group = (t(lang, "qgis.group_change") if _change(lp) else _status_group(lp, lang) or
                       (t(lang, "qgis.group_period", period=lp.period) if lp.period else t(lang, "qgis.group_other")))
            e.order = (0 if main and lp.column.startswith(main) and lp.show else 1 if lp.show else 2, i)
        out.append(e)
    _unique_titles(out, lang)
    if "kecamatan" in layers:
        kec = outline_style(t(lang, "kec_outline"), KEC_COLOR, 0.8, label_field="kecamatan", aliases=dict(layers["kecamatan"][1].aliases))
        out.append(Entry(OUTLINE_ID, "kecamatan", kec.name, t(lang, "attribution"), "Polygon", t(lang, "qgis.group_boundaries"),
                         [(kec.name, qml(kec))], order=(-1, 0)))
    return out


def _unique_titles(entries_: list[Entry], lang: str) -> None:
    """A layer per kecamatan has the kelurahan map's title in the HTML (on its own page); here it says so. Layouts are
    named by title, and QGIS keeps one layout of a name."""
    from collections import Counter

    count = Counter(e.title for e in entries_)
    for e in entries_:
        if count[e.title] > 1 and e.table.endswith("_kecamatan"):
            e.title = f"{e.title} ({t(lang, 'kecamatan')})"
    seen = set()
    for e in entries_:  # still the same title: numbered, never the GeoPackage table's internal name
        title, n = e.title, 2
        while title in seen:
            title, n = f"{e.title} ({n})", n + 1
        e.title = title
        seen.add(title)


def arrange(project: Project, entries_: list[Entry]) -> None:
    """Order groups and layers and tick what the HTML's main map shows when it opens: the latest period's main
    indicator (or, in `export`, the styled kelurahan), every lokus outline, the kecamatan outlines; the count circles
    only when its page draws them as it opens (the default atlas's kelurahan map: the reported cases). Each other group has its first layer ticked, ready when the group is turned on."""
    lang = project.lang
    lokus, counts = t(lang, "qgis.group_lokus"), t(lang, "qgis.group_counts")
    fixed = [lokus, counts, t(lang, "qgis.group_boundaries")]
    periods = sorted({e.group for e in entries_ if e.group not in fixed and e.layout}, key=_group_key, reverse=True)
    names = [g for g in fixed if any(e.group == g for e in entries_)] + periods
    for g in names:
        members = sorted((e for e in entries_ if e.group == g), key=lambda e: e.order)
        for i, e in enumerate(members):
            e.checked = i == 0 or g == lokus  # the HTML draws every lokus year's outline at once
        project.entries += members
    first_period = next((g for g in periods if re.search(r"\d{4}", g)), periods[0] if periods else None)
    shown = [e for e in project.entries if e.layout and e.group == first_period and e.checked]
    project.main = shown[0] if shown else next((e for e in project.entries if e.table == "kelurahan"), None)
    main_group = project.main.group if project.main is not None else first_period
    for e in project.entries:  # in the main map's group: the main layer (and the kecamatan outlines) only
        if project.main is not None and e.group == main_group:
            e.checked = e is project.main or e.id == OUTLINE_ID
    # the circles the main map's page draws over it as it opens (the default atlas's reported cases per kelurahan):
    # their group ticked with the first of them only, so no two circle layers stack (GIS walk qgis11 M2)
    shows = [e for e in project.entries if e.group == counts and project.main is not None and e.table in project.main.shows]
    if shows:
        for e in project.entries:
            if e.group == counts:
                e.checked = e is shows[0]
    project.groups = [(g, g == main_group or (g not in periods and g != counts) or (g == counts and bool(shows))) for g in names]
    if not any(e.layout for e in project.entries) and project.main is not None:
        project.main.layout = True  # `export` without map layers: a layout of the styled kelurahan


def _name_the_kabkota(project: Project, layers: dict) -> None:
    """The layout of the kelurahan layer alone (a boundaries-only build, `export`) is headed as the HTML map:
    "Kota Serang: Batas kelurahan", not just the layer's title."""
    e = project.main
    if e is None or e.table != "kelurahan" or not e.layout or "kabkota" not in layers["kelurahan"][0].columns:
        return
    names = layers["kelurahan"][0]["kabkota"].dropna().unique()
    if len(names) == 1:
        e.heading = f"{names[0]}: {e.title}"


def office_groups(project: Project, groups, own_entries: list[Entry] = ()) -> None:
    """A group per office (the per-office view, issue 23), after the others, unticked: the lokus it reaches and does not
    (``own_entries``: layers of that group only), then its factor layers, each the GeoPackage layer of that factor (a
    second layer over the same table, its own id); the reach and the first factor ticked."""
    by_table = {e.table: e for e in project.entries} | {e.table: e for e in own_entries}
    own = {e.table for e in own_entries}
    for n, g in enumerate(groups):
        name = g.name
        members = [dataclasses.replace(by_table[tb], id=f"{ID}opd{n}_{tb}", group=name, layout=False, checked=tb in g.ticked,
                                       title=by_table[tb].title if tb in own else f"{by_table[tb].title} · {name}")  # QGIS lists layers by name
                   for tb in g.tables if tb in by_table]
        if members:
            project.entries += members
            project.groups.append((name, False))


def _group_key(name: str):
    m = re.search(r"\d{4}(?:[-_]\d{2})?", name)
    return (1, m[0]) if m else (0, name)


# ---- the .qgs XML ----------------------------------------------------------------------------------


def _srs(parent, authid: str):
    """QGIS reads a CRS from its WKT (an authid alone needs QGIS's own internal srsid); WKT1, which every PROJ reads."""
    from pyproj import CRS

    crs = CRS.from_user_input(authid)
    srs = ET.SubElement(parent, "spatialrefsys")
    for tag, text in (("wkt", crs.to_wkt("WKT1_GDAL")), ("authid", authid), ("description", crs.name)):
        ET.SubElement(srs, tag).text = text


def _maplayer(parent, e: Entry, gpkg: str):
    current = ET.fromstring(e.styles[0][1].split("\n", 1)[1])
    ml = ET.SubElement(parent, "maplayer", {"type": "vector", "geometry": e.geometry, "styleCategories": "AllStyleCategories",
                                            "labelsEnabled": current.get("labelsEnabled", "0"), "hasScaleBasedVisibilityFlag": "0"})
    ET.SubElement(ml, "id").text = e.id
    ET.SubElement(ml, "datasource").text = f"./{gpkg}|layername={e.table}"
    ET.SubElement(ml, "layername").text = e.title
    _srs(ET.SubElement(ml, "srs"), "EPSG:4326")
    meta = ET.SubElement(ml, "resourceMetadata")
    for tag, text in (("identifier", e.table), ("parentidentifier", ""), ("language", ""), ("type", "dataset"), ("title", e.title),
                      ("abstract", e.abstract)):
        ET.SubElement(meta, tag).text = text
    licence = [p.strip() for p in e.abstract.split(" · ") if "lisensi" in p.lower() or "licen" in p.lower()]
    for text in licence:
        ET.SubElement(meta, "license").text = text
    ET.SubElement(ml, "provider", {"encoding": "UTF-8"}).text = "ogr"
    sm = ET.SubElement(ml, "map-layer-style-manager", {"current": e.styles[0][0]})
    ET.SubElement(sm, "map-layer-style", {"name": e.styles[0][0]})
    for name, text in e.styles[1:]:  # every other style the GeoPackage holds for it, by name
        ET.SubElement(sm, "map-layer-style", {"name": name}).append(ET.fromstring(text.split("\n", 1)[1]))
    for child in current:
        ml.append(child)
    return ml


def _tree(root, project: Project):
    tree = ET.SubElement(root, "layer-tree-group")
    for name, checked in project.groups:
        g = ET.SubElement(tree, "layer-tree-group", {"name": name, "checked": "Qt::Checked" if checked else "Qt::Unchecked",
                                                     "expanded": "1" if checked else "0"})
        for e in project.entries:
            if e.group == name:
                ET.SubElement(g, "layer-tree-layer", {"id": e.id, "name": e.title, "providerKey": "ogr", "expanded": "0",
                                                      "source": f"./{project.gpkg}|layername={e.table}",
                                                      "checked": "Qt::Checked" if e.checked else "Qt::Unchecked"})
    return tree


def project_xml(project: Project, title: str) -> str:
    root = ET.Element("qgis", {"projectname": title, "version": QGIS_VERSION})
    ET.SubElement(root, "title").text = title
    _srs(ET.SubElement(root, "projectCrs"), project.crs)
    _tree(root, project)
    layers = ET.SubElement(root, "projectlayers")
    for e in project.entries:
        _maplayer(layers, e, project.gpkg)
    order = ET.SubElement(root, "layerorder")
    for e in project.entries:
        ET.SubElement(order, "layer", {"id": e.id})
    props = ET.SubElement(root, "properties")
    ET.SubElement(ET.SubElement(props, "Paths"), "Absolute", {"type": "bool"}).text = "false"
    ET.SubElement(ET.SubElement(props, "Measurement"), "DistanceUnits", {"type": "QString"}).text = "meters"
    ET.SubElement(ET.SubElement(props, "SpatialRefSys"), "ProjectionsEnabled", {"type": "int"}).text = "1"  # else no projectCrs
    view = ET.SubElement(root, "ProjectViewSettings", {"UseProjectScales": "0"})
    x0, y0, x1, y1 = project.extent
    dx, dy = (x1 - x0) * 0.05, (y1 - y0) * 0.05
    ext = ET.SubElement(view, "DefaultViewExtent", {"xmin": _n(x0 - dx), "ymin": _n(y0 - dy), "xmax": _n(x1 + dx), "ymax": _n(y1 + dy)})
    _srs(ext, project.crs)
    root.append(layouts(project))
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")


def _n(v: float) -> str:
    return f"{v:.2f}"


def write_project(target, gpkg: Path, layers: dict, *, maps=(), lang: str = "id", main: str | None = None,
                  overwrite: bool = True, title: str | None = None, groups=()) -> Path:
    """``target`` (.qgz) for ``gpkg`` (already written, beside it) holding ``layers`` (name -> (frame, Style))."""
    target, gpkg = Path(target), Path(gpkg)
    frames = [f for f, _ in layers.values()]
    crs = utm_crs(frames)
    polys = [f for name, (f, _) in layers.items() if name == "kecamatan"] or frames
    extent = tuple(gpd.GeoSeries(list(polys[0].geometry), crs=polys[0].crs or 4326).to_crs(crs).total_bounds)
    project = Project(gpkg.name, crs, extent, lang=lang)
    made = entries(layers, gpkg_styles(gpkg), maps, lang, main)
    own = {tb for g in groups for tb in g.own}  # an office's own layer: in its group only, no layout of its own
    arrange(project, [e for e in made if e.table not in own])
    _name_the_kabkota(project, layers)
    office_groups(project, groups, [dataclasses.replace(e, layout=False) for e in made if e.table in own])
    text = project_xml(project, title or target.stem)  # the atlas's title, as its index page says it
    # zipped in memory, then written in one go: a full disk is then a plain OSError (ENOSPC, reported as such), not
    # zlib's "inconsistent stream state" from a compressor closed after a failed write
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo(f"{target.stem}.qgs", date_time=(2000, 1, 1, 0, 0, 0))  # fixed: same bytes each run
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text)
    write_bytes(target, buffer.getvalue(), overwrite=overwrite)
    return target
