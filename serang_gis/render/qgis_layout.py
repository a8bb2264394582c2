"""Print layouts of the QGIS project, as QGIS 3.22 writes them: a page per map and an atlas over kecamatan.

Each layout is A4 landscape: the map (its layer under the kecamatan outlines), a legend (the layer's
title, its classes or reference circles), a scale bar in metres, a north arrow, the layer's sources
and licence, and the print date (a QGIS expression, so the file stays the same from run to run).
"""

from __future__ import annotations

import re
import textwrap
import uuid
import xml.etree.ElementTree as ET

from serang_gis.core.text import t

OUTLINE_ID = "serang_gis_batas_kecamatan"
PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
MAP_BOX = (10.0, 20.0, 190.0, 175.0)  # x, y, width, height of the map on the page (mm)
SIDE_X, SIDE_W = 206.0, 81.0  # the legend and sources column
NORTH_ARROW = ":/images/north_arrows/layout_default_north_arrow.svg"  # QGIS's own, as its "Add North Arrow" uses
ITEM = {"page": 65638, "map": 65639, "picture": 65640, "label": 65641, "legend": 65642, "scalebar": 65646}
FONT = "Sans Serif,{size},-1,5,{weight},0,0,0,0,0"


def uid(*parts) -> str:
    """A stable item id: the same project gives the same bytes."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "serang-gis/" + "/".join(map(str, parts)))) + "}"


def _mm(*v) -> str:
    return ",".join(f"{x:g}" for x in v) + ",mm"


def _item(layout, kind: str, key: str, box, z: int, **attrs):
    x, y, w, h = box
    el = ET.SubElement(layout, "LayoutItem", {"type": str(ITEM[kind]), "uuid": uid(layout.get("name"), key),
                                              "templateUuid": uid(layout.get("name"), key), "id": key,
                                              "position": _mm(x, y), "positionOnPage": _mm(x, y), "size": _mm(w, h),
                                              "zValue": str(z), "visibility": "1", "frame": "false", "background": "false",
                                              "referencePoint": "0", "itemRotation": "0", "opacity": "1", "excludeFromExports": "0",
                                              **{k: str(v) for k, v in attrs.items()}})
    ET.SubElement(el, "FrameColor", {"red": "0", "green": "0", "blue": "0", "alpha": "255"})
    ET.SubElement(el, "BackgroundColor", {"red": "255", "green": "255", "blue": "255", "alpha": "255"})
    return el


def _layout(parent, name: str):
    layout = ET.SubElement(parent, "Layout", {"name": name, "units": "mm", "printResolution": "300", "worldFileMap": ""})
    pages = ET.SubElement(layout, "PageCollection")
    sym = ET.SubElement(pages, "symbol", {"type": "fill", "name": "", "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"})
    fill = ET.SubElement(sym, "layer", {"class": "SimpleFill", "enabled": "1", "pass": "0", "locked": "0"})
    for k, v in (("color", "255,255,255,255"), ("style", "solid"), ("outline_style", "no")):
        ET.SubElement(fill, "prop", {"k": k, "v": v})
    page = _item(pages, "page", "page", (0, 0, PAGE_W, PAGE_H), 0, background="true")
    page.set("uuid", uid(name, "page"))
    ET.SubElement(pages, "GuideCollection", {"visible": "1"})
    return layout


def _label(layout, key: str, text: str, box, size: int = 9, bold: bool = False):
    el = _item(layout, "label", key, box, 5, labelText=text, htmlState="0", halign="1", valign="32", marginX="0", marginY="0")
    ET.SubElement(el, "LabelFont", {"description": FONT.format(size=size, weight=75 if bold else 50), "style": ""})
    ET.SubElement(el, "FontColor", {"red": "17", "green": "17", "blue": "17", "alpha": "255"})
    return el


def _fit(extent, box):
    """The extent grown (5 % margin, then to the map box's shape) so the whole area shows undistorted."""
    x0, y0, x1, y1 = extent
    w, h = (x1 - x0) * 1.1, (y1 - y0) * 1.1
    ratio = box[2] / box[3]
    w, h = max(w, h * ratio), max(h, w / ratio)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _map(layout, project, layer_ids: list[str], atlas: bool = False):
    el = _item(layout, "map", "peta", MAP_BOX, 1, frame="true", keepLayerSet="true", followPreset="false", followPresetName="",
               drawCanvasItems="true", mapRotation="0", mapFlags="0", isTemporal="0", labelMargin="0,mm")
    x0, y0, x1, y1 = _fit(project.extent, MAP_BOX)
    ET.SubElement(el, "Extent", {"xmin": f"{x0:.2f}", "ymin": f"{y0:.2f}", "xmax": f"{x1:.2f}", "ymax": f"{y1:.2f}"})
    crs = ET.SubElement(el, "crs")
    ET.SubElement(ET.SubElement(crs, "spatialrefsys"), "authid").text = project.crs
    layers = ET.SubElement(el, "LayerSet")
    by_id = {e.id: e for e in project.entries}
    for lid in layer_ids:  # top first
        ET.SubElement(layers, "Layer", {"name": by_id[lid].title, "provider": "ogr",
                                        "source": f"./{project.gpkg}|layername={by_id[lid].table}"}).text = lid
    ET.SubElement(el, "AtlasMap", {"atlasDriven": "1" if atlas else "0", "scalingMode": "2", "margin": "0.1"})
    return el


LEGEND_FONTS = (("title", 12, 75, {"marginBottom": "3"}), ("group", 10, 75, {"marginTop": "3"}),
                ("subgroup", 9, 75, {"marginTop": "2.5"}), ("symbol", 8, 50, {"marginTop": "2"}),
                ("symbolLabel", 8, 50, {"marginTop": "1.5", "marginLeft": "2"}))
WRAP_TITLE, WRAP_LABEL = 40, 44  # characters a line: at 9 pt bold / 8 pt about 70 mm, inside the 81 mm column


def _wrapped(text: str, width: int) -> str:
    """Text broken at spaces into lines of at most ``width`` characters (QGIS legends break lines at newlines)."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def printed_title(title: str, lang: str) -> str:
    """A layer's title as a printed legend heads it: a count's points without the GIS word ("(titik)") and with its
    periods as a span, as the HTML and PNG legends say them: "Balita stunting dilaporkan (titik) 2023, 2024-06, 2024-07"
    -> "Balita stunting dilaporkan (2023–2024-07)" (recheck12 L4). Other titles as they are."""
    word = t(lang, "points_of", label="")  # " (titik)"
    paren = t(lang, "points_of_paren", label="")  # ", titik)"
    m = re.fullmatch(rf"(.+?)(?:{re.escape(word)}|{re.escape(paren)})((?: \d{{4}}(?:-\d\d)?,?)*)", title)
    if not m:
        return title
    name = m[1] + (")" if title[len(m[1]):].startswith(paren) else "")
    periods = sorted(p for p in m[2].replace(",", " ").split() if p)
    span = "" if not periods else periods[0] if len(periods) == 1 else f"{periods[0]}\u2013{periods[-1]}"
    if not span:
        return name
    return f"{name[:-1]}, {span})" if name.endswith(")") else f"{name} ({span})"


def _class_labels(qml_text: str) -> list[str]:
    """The legend labels of a style, in the order QGIS lists its legend nodes (rule-based: the rules in order)."""
    root = ET.fromstring(qml_text.split("\n", 1)[1] if qml_text.startswith("<!DOCTYPE") else qml_text)
    return [r.get("label") or "" for r in root.iter("rule") if r.get("symbol") is not None]


def _legend(layout, project, layer_ids: list[str], map_uuid: str):
    """The legend in the side column, every text wrapped to fit it (layer titles, long class labels)."""
    x, y = SIDE_X, MAP_BOX[1]
    el = _item(layout, "legend", "legenda", (x, y, SIDE_W, 100), 2, title=t(project.lang, "qgis.legend"), map_uuid=map_uuid,
               resizeToContents="1", symbolWidth="7", symbolHeight="4", columnCount="1", splitLayer="0", boxSpace="2",
               titleAlignment="1", legendFilterByAtlas="0", wrapChar="", fontColor="#000000")
    styles = ET.SubElement(el, "styles")
    for name, size, weight, margins in LEGEND_FONTS:
        st = ET.SubElement(styles, "style", {"name": name, "alignment": "1", "indent": "0", **margins})
        ET.SubElement(st, "styleFont", {"description": FONT.format(size=size, weight=weight), "style": ""})
    tree = ET.SubElement(el, "layer-tree-group")
    by_id = {e.id: e for e in project.entries}
    for lid in layer_ids:  # the layer's title (the indicator and period) heads its classes or circles, as printed
        title = printed_title(by_id[lid].title, project.lang)
        node = ET.SubElement(tree, "layer-tree-layer", {"id": lid, "name": _wrapped(title, WRAP_TITLE), "providerKey": "ogr",
                                                        "checked": "Qt::Checked", "expanded": "1",
                                                        "source": f"./{project.gpkg}|layername={by_id[lid].table}"})
        props = ET.SubElement(node, "customproperties")
        ET.SubElement(props, "property", {"key": "legend/title-label", "value": _wrapped(title, WRAP_TITLE)})
        for i, label in enumerate(_class_labels(by_id[lid].styles[0][1])):
            if len(label) > WRAP_LABEL:  # QGIS's own per-node label override, only where a label needs wrapping
                ET.SubElement(props, "property", {"key": f"legend/label-{i}", "value": _wrapped(label, WRAP_LABEL)})
    return el


def _number_format(item, lang: str) -> None:
    """The scale bar's numbers in the map's language: "4.000" in Indonesian, "4,000" in English."""
    thousands, decimal = (".", ",") if lang == "id" else (",", ".")
    opts = ET.SubElement(ET.SubElement(item, "numericFormat", {"id": "basic"}), "Option", {"type": "Map"})
    for name, kind, value in (("decimal_separator", "QChar", decimal), ("decimals", "int", "0"), ("rounding_type", "int", "0"),
                              ("show_plus", "bool", "false"), ("show_thousand_separator", "bool", "true"),
                              ("show_trailing_zeros", "bool", "false"), ("thousand_separator", "QChar", thousands)):
        ET.SubElement(opts, "Option", {"value": value, "type": kind, "name": name})


def _furniture(layout, project, map_uuid: str, sources: str, long: bool = False):
    """Scale bar (metres), north arrow, sources and print date; ``long``: the sources of several layers (the main map's),
    in a taller box at 6 pt, between the legend and the print date."""
    mx, my, mw, mh = MAP_BOX
    _item(layout, "scalebar", "skala", (mx, my + mh + 3, 60, 10), 3, mapUuid=map_uuid, style="Single Box", unitType="meters",
          unitLabel="m", numSegments="2", numSegmentsLeft="0", segmentSizeMode="1", minBarWidth="30", maxBarWidth="60",
          numUnitsPerSegment="1000", numMapUnitsPerScaleBarUnit="1", height="2", labelBarSpace="2", boxContentSpace="1",
          alignment="0", outlineWidth="0.3")
    bar = layout.findall("LayoutItem")[-1]
    ET.SubElement(bar, "scaleBarFont", {"description": FONT.format(size=8, weight=50), "style": ""})  # none: QFont warns '(empty)'
    _number_format(bar, project.lang)
    # below the map's right corner, beside the scale bar: over the map it hid features (GIS walk 25 item 9)
    _item(layout, "picture", "arah_utara", (mx + mw - 8, my + mh + 1, 8, 12), 4, file=NORTH_ARROW, mode="0", mapUuid=map_uuid,
          northMode="0", northOffset="0", pictureRotation="0", resizeMode="0", anchorPoint="0", svgFillColor="255,255,255,255",
          svgBorderColor="0,0,0,255", svgBorderWidth="0.2")
    _label(layout, "sumber", sources, (SIDE_X, 126, SIDE_W, 66) if long else (SIDE_X, 135, SIDE_W, 55), size=6 if long else 7)
    date = t(project.lang, "qgis.printed") + " [% format_date(now(), 'yyyy-MM-dd') %]"
    _label(layout, "tanggal", date, (SIDE_X, 193, SIDE_W, 6), size=7)


def map_layout(parent, project, e) -> None:
    layout = _layout(parent, e.title)
    ids = [i for i in (OUTLINE_ID, e.id) if any(x.id == i for x in project.entries)]
    _label(layout, "judul", e.heading or e.title, (10, 6, 277, 10), size=16, bold=True)
    m = _map(layout, project, ids)
    _legend(layout, project, list(reversed(ids)), m.get("uuid"))
    _furniture(layout, project, m.get("uuid"), e.abstract)


def main_map(project) -> tuple[list[str], str, str] | None:
    """The map the project opens on when its page draws more than the main layer (the default atlas's kelurahan map:
    the ODF fill, the lokus 2021 and 2022 outlines, the reported-case circles, the kecamatan outlines): its layers (top
    first), its title and its sources (each layer's, the boundaries' once). None for a map of one layer."""
    e = project.main
    if e is None or not e.shows:
        return None
    lokus = [x for x in project.entries if x.group == t(project.lang, "qgis.group_lokus")]
    counts = [x for x in project.entries if x.table in e.shows]
    if not lokus and not counts:
        return None
    drawn = [*counts, *sorted(lokus, key=lambda x: x.table, reverse=True), e]
    ids = [i for i in (OUTLINE_ID,) if any(x.id == i for x in project.entries)] + [x.id for x in drawn]
    licence = t(project.lang, "attribution")
    sources = "\n".join(x.abstract.replace(f" · {licence}", "") for x in reversed(drawn)) + "\n" + licence
    return ids, t(project.lang, "kel_title"), sources


def main_layout(parent, project) -> None:
    """The main map's own layout (recheck11 M4: the project opened on the lokus map, no layout drew it)."""
    made = main_map(project)
    if made is None:
        return
    ids, title, sources = made
    layout = _layout(parent, title)
    _label(layout, "judul", title, (10, 6, 277, 10), size=16, bold=True)
    m = _map(layout, project, ids)
    _legend(layout, project, list(reversed(ids)), m.get("uuid"))
    _furniture(layout, project, m.get("uuid"), sources, long=True)


def atlas_layout(parent, project) -> None:
    """A page per kecamatan: the main map zoomed to it (all its layers, as ``main_map``), its name as the title."""
    kec = next((e for e in project.entries if e.table == "kecamatan" and e.id != OUTLINE_ID), None)
    if kec is None or project.main is None:
        return
    layout = _layout(parent, t(project.lang, "qgis.atlas"))
    e = project.main
    ids = [i for i in (OUTLINE_ID, e.id) if any(x.id == i for x in project.entries)]
    heading, sources, long = e.title, e.abstract, False
    if main_map(project) is not None:
        (ids, heading, sources), long = main_map(project), True
    # the page's kecamatan first, at a size that keeps the main map's long title on one line (recheck12 M1: it wrapped
    # under the map frame, and the name that tells the pages apart was cut in half)
    title = f"{t(project.lang, 'qgis.kecamatan_page')} [% \"kecamatan\" %] · {heading}"
    _label(layout, "judul", title, (10, 6, 277, 10), size=13 if len(title) > 70 else 16, bold=True)
    m = _map(layout, project, ids, atlas=True)
    _legend(layout, project, list(reversed(ids)), m.get("uuid"))
    _furniture(layout, project, m.get("uuid"), sources, long)
    ET.SubElement(layout, "Atlas", {"enabled": "1", "coverageLayer": kec.id, "coverageLayerName": kec.title,
                                    "coverageLayerSource": f"./{project.gpkg}|layername=kecamatan", "coverageLayerProvider": "ogr",
                                    "pageNameExpression": '"kecamatan"', "hideCoverage": "0", "filterFeatures": "0",
                                    "sortFeatures": "1", "sortKey": '"kode_kec"', "sortAscending": "1",
                                    "filenamePattern": "'atlas_' || \"kecamatan\""})


def layouts(project) -> ET.Element:
    el = ET.Element("Layouts")
    main_layout(el, project)
    for e in project.entries:
        if e.layout:
            map_layout(el, project, e)
    atlas_layout(el, project)
    return el
