"""QGIS styles (QML) and SLD for the exported layers, from the same classes as the HTML maps.

Classified layers use QGIS's rule-based renderer so that the intervals are exactly the maps'
half-open ``[a, b)`` classes and "tidak ada data" (NULL) is a class of its own; outlines use a
single symbol. ``write_layer_styles`` stores both forms in a GeoPackage's ``layer_styles`` table
(the table QGIS itself writes, registered in ``gpkg_contents``), one default style per layer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from pathlib import Path

import geopandas as gpd
import pandas as pd

from serang_gis.core.classify import Classes
from serang_gis.output.writers import GPKG_VERSION, _gpkg_writing, _typed, atomic_path, write_geojson, write_text

QGIS_VERSION = "3.22.16-Białowieża"
from serang_gis.core.text import NO_DATA_COLOR, t  # noqa: E402  (one no-data colour for every product)


@dataclass(frozen=True)
class Rule:
    label: str
    filter: str  # QGIS expression
    sld: tuple  # (op, value) pairs for SLD: ("ge", 10) / ("lt", 20) / ("eq", "x") / ("null", None) / ("true", None)
    fill: str | None  # None: no fill
    stroke: str = "#555555"
    stroke_width: float = 0.26
    dash: bool = False
    hatch: bool = False  # a hatch over the class fill (a caveat), drawn by an extra rule


@dataclass(frozen=True)
class Style:
    name: str
    rules: list[Rule]
    renderer: str = "RuleRenderer"  # or singleSymbol when there is one rule with filter "TRUE"
    label_field: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()  # field -> Indonesian name with unit, shown by QGIS
    marker_size: str | None = None  # point layers: a QGIS expression for the symbol diameter (mm)
    description: str = ""
    size_legend: tuple[tuple[float, str], ...] = ()  # point layers: (diameter mm, label) reference circles, largest first
    size_title: str = ""  # point layers: the line over the reference circles (what they show), under the layer's name


def _q(field: str) -> str:
    return '"' + field.replace('"', '""') + '"'


def _lit(v) -> str:
    return repr(float(v)) if isinstance(v, (int, float)) else "'" + str(v).replace("'", "''") + "'"


def _with_field(field, rule: Rule) -> Rule:
    """The same rule with the field name in each SLD condition."""
    return Rule(rule.label, rule.filter, tuple((op, v, field) for op, v in rule.sld), rule.fill, rule.stroke, rule.stroke_width,
                rule.dash, rule.hatch)


CLASS_FIELD, MARK_FIELD = "kelas_peta", "tanda_peta"  # short names: they survive a Shapefile


def plan_style(layer, name: str | None = None, aliases: dict[str, str] | None = None, label_field: str | None = None) -> Style:
    """The QGIS/SLD style of a planned layer: one rule per class of the plan (on the precomputed ``kelas_peta``),
    "too few data" and "no data" rules, and a hatch rule per caveat, with the legend text of the HTML map."""
    from serang_gis.plan.layers import FEW_COLOR, MARK_CODES

    if layer.kind == "outline" and layer.categories:  # a colour per class, no fill (an office's lokus, reached or not)
        rules = [_with_field(CLASS_FIELD, Rule(label, f"{_q(CLASS_FIELD)} = {k + 1}", (("eq", k + 1),), None, color, layer.weight or 0.9))
                 for k, (_, color, label) in enumerate(layer.categories)]
        return Style(name or layer.title, rules, label_field=label_field, aliases=tuple((aliases or {}).items()), description=layer.title)
    if layer.kind == "outline":
        return outline_style(name or layer.title, layer.color, 0.9, layer.dash, aliases=aliases)
    rules = []
    labels = [layer.label_of_class(k) for k in range(len(layer.classes.colors if layer.kind == "choropleth" else layer.categories))]
    colors = layer.classes.colors if layer.kind == "choropleth" else [c for _, c, _ in layer.categories]
    for k, (label, color) in enumerate(zip(labels, colors)):
        rules.append(Rule(label, f"{_q(CLASS_FIELD)} = {k + 1}", (("eq", k + 1),), color))
    if "few" in layer.mark_labels:
        rules.append(Rule(layer.mark_labels["few"], f"{_q(CLASS_FIELD)} = 0", (("eq", 0),), FEW_COLOR))
    rules.append(Rule(layer.no_data_label, f"{_q(CLASS_FIELD)} IS NULL", (("null", None),), NO_DATA_COLOR))
    for m in ("caution", "partial"):
        if m in layer.mark_labels:
            rules.append(_with_field(MARK_FIELD, Rule(layer.mark_labels[m], f"{_q(MARK_FIELD)} = {_lit(MARK_CODES[m])}",
                                                      (("eq", MARK_CODES[m]),), None, "#000000", 0.4, True, True)))
    rules = [r if r.hatch else _with_field(CLASS_FIELD, r) for r in rules]
    return Style(name or layer.title, rules, label_field=label_field, aliases=tuple((aliases or {}).items()),
                 description=layer.title)


def choropleth_style(name: str, field: str, classes: Classes, no_data_label: str = "Tidak ada data") -> Style:
    """Rules on the value itself (for layers that carry no ``kelas_peta``)."""
    rules = []
    edges = [None] + list(classes.breaks) + [None]
    for k, (lo, hi) in enumerate(zip(edges[:-1], edges[1:])):
        expr, sld = [], []
        if lo is not None:
            expr.append(f"{_q(field)} >= {_lit(lo)}")
            sld.append(("ge", lo))
        if hi is not None:
            expr.append(f"{_q(field)} < {_lit(hi)}")
            sld.append(("lt", hi))
        if not expr:
            expr.append(f"{_q(field)} IS NOT NULL")
            sld.append(("notnull", None))
        rules.append(Rule(classes.labels[k], " AND ".join(expr), tuple(sld), classes.colors[k]))
    rules.append(Rule(no_data_label, f"{_q(field)} IS NULL", (("null", None),), NO_DATA_COLOR))
    return Style(name, [_with_field(field, r) for r in rules])


def categorical_style(name: str, field: str, cats: list[tuple[str, str, str]], no_data_label: str = "Tidak ada data") -> Style:
    rules = [_with_field(field, Rule(label, f"{_q(field)} = {_lit(value)}", (("eq", value),), color)) for value, color, label in cats]
    rules.append(_with_field(field, Rule(no_data_label, f"{_q(field)} IS NULL", (("null", None),), NO_DATA_COLOR)))
    return Style(name, rules)


def outline_style(name: str, color: str, width: float = 0.8, dash: bool = False, label_field: str | None = None,
                  aliases: dict[str, str] | None = None) -> Style:
    return Style(name, [Rule(name, "TRUE", (), None, color, width, dash)], "singleSymbol", label_field,
                 tuple((aliases or {}).items()), description=name)


def points_style(name: str, field: str, vmax: float, color: str, stroke: str, aliases: dict[str, str] | None = None,
                 max_mm: float = 13.0, unit: str = "", lang: str = "id", refs=None) -> Style:
    """Proportional circles: the area of each symbol is proportional to the value. The expression gives the diameter
    (the square root taken once, the symbol's scale method "diameter"), so QGIS takes no second root; the
    reference circles of the HTML legend are the data-defined size legend (``refs``: its values where given, as the HTML
    legend of one period on a shared scale gives them)."""
    from serang_gis.render.leaflet.spec import _nice_refs

    top = float(vmax) if vmax else 1.0
    size = f"coalesce({max_mm} * sqrt(max({_q(field)}, 0) / {top}), 0)"
    from serang_gis.core.numbers import quantity

    # labels as the HTML legend writes them: "133 balita" (its unit word, the language's thousands separator)
    legend = tuple((round(max_mm * (v / top) ** 0.5, 4), quantity(v, 0, lang, unit)) for v in (refs or _nice_refs(top)))
    return Style(name, [Rule(name, "TRUE", (), color, stroke, 0.3)], "singleSymbol", None, tuple((aliases or {}).items()),
                 marker_size=size, description=name, size_legend=legend, size_title=t(lang, "circle_note"))


# ---- QML -------------------------------------------------------------------------------------


def _rgba(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},255"


def _props(layer, props: dict):
    for k, v in props.items():
        ET.SubElement(layer, "prop", {"k": k, "v": v})


def _line_symbol(parent, name: str, color: str, width: float, dash: bool = False):
    sym = ET.SubElement(parent, "symbol", {"type": "line", "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"})
    layer = ET.SubElement(sym, "layer", {"class": "SimpleLine", "enabled": "1", "pass": "0", "locked": "0"})
    _props(layer, {"line_color": _rgba(color), "line_width": str(width), "line_width_unit": "MM",
                   "line_style": "dash" if dash else "solid", "capstyle": "square", "joinstyle": "bevel"})


def _symbol(parent, name: str, rule: Rule, marker_size: str | None = None):
    if marker_size:
        sym = ET.SubElement(parent, "symbol", {"type": "marker", "name": name, "alpha": "0.75", "clip_to_extent": "1", "force_rhr": "0"})
        layer = ET.SubElement(sym, "layer", {"class": "SimpleMarker", "enabled": "1", "pass": "0", "locked": "0"})
        _props(layer, {"name": "circle", "color": _rgba(rule.fill), "outline_color": _rgba(rule.stroke), "outline_width": "0.3",
                       "outline_width_unit": "MM", "size": "4", "size_unit": "MM", "scale_method": "diameter"})
        ddp = ET.SubElement(ET.SubElement(layer, "data_defined_properties"), "Option", {"type": "Map"})
        ET.SubElement(ddp, "Option", {"type": "QString", "name": "name", "value": ""})
        props = ET.SubElement(ddp, "Option", {"type": "Map", "name": "properties"})
        size = ET.SubElement(props, "Option", {"type": "Map", "name": "size"})
        ET.SubElement(size, "Option", {"type": "bool", "name": "active", "value": "true"})
        ET.SubElement(size, "Option", {"type": "QString", "name": "expression", "value": marker_size})
        ET.SubElement(size, "Option", {"type": "int", "name": "type", "value": "3"})
        ET.SubElement(ddp, "Option", {"type": "QString", "name": "type", "value": "collection"})
        return
    sym = ET.SubElement(parent, "symbol", {"type": "fill", "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"})
    if rule.hatch:  # a hatch over whatever the class rule filled, with a dashed outline
        layer = ET.SubElement(sym, "layer", {"class": "LinePatternFill", "enabled": "1", "pass": "0", "locked": "0"})
        _props(layer, {"angle": "45", "color": _rgba(rule.stroke), "distance": "2", "distance_unit": "MM", "line_width": "0.3",
                       "line_width_unit": "MM", "offset": "0", "offset_unit": "MM"})
        _line_symbol(layer, "@" + name + "@0", rule.stroke, 0.3)
        outline = ET.SubElement(sym, "layer", {"class": "SimpleLine", "enabled": "1", "pass": "0", "locked": "0"})
        _props(outline, {"line_color": _rgba(rule.stroke), "line_width": str(rule.stroke_width), "line_width_unit": "MM",
                         "line_style": "dash", "joinstyle": "bevel"})
        return
    layer = ET.SubElement(sym, "layer", {"class": "SimpleFill", "enabled": "1", "pass": "0", "locked": "0"})
    _props(layer, {"color": _rgba(rule.fill) if rule.fill else "0,0,0,0", "style": "solid" if rule.fill else "no",
                   "outline_color": _rgba(rule.stroke), "outline_style": "dash" if rule.dash else "solid",
                   "outline_width": str(rule.stroke_width), "outline_width_unit": "MM", "joinstyle": "bevel"})


def _size_legend(renderer, style: Style):
    """QGIS's data-defined size legend: nested reference circles (diameter in mm, the count as label) under the
    layer's title, as the HTML map's circle legend, headed by what they show ("Luas lingkaran sebanding jumlah"), not
    by the layer's name a second time (recheck12 L4; with no title QGIS writes its size expression there)."""
    el = ET.SubElement(renderer, "data-defined-size-legend", {"type": "collapsed", "valign": "bottom",
                                                              "title": style.size_title or style.name})
    # no symbol of its own: QGIS takes the layer's symbol without its data-defined size
    classes = ET.SubElement(el, "classes")
    for mm, label in style.size_legend:
        ET.SubElement(classes, "class", {"size": str(mm), "label": label})


LABEL_PLACEMENT = 4  # QgsPalLayerSettings.Horizontal: for a polygon, horizontal candidates over its whole interior


def qml(style: Style) -> str:
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "Symbology|Labeling|Fields"})
    if style.renderer == "singleSymbol":
        r = ET.SubElement(root, "renderer-v2", {"type": "singleSymbol", "symbollevels": "0", "forceraster": "0", "enableorderby": "0"})
        syms = ET.SubElement(r, "symbols")
        _symbol(syms, "0", style.rules[0], style.marker_size)
        if style.size_legend:
            _size_legend(r, style)
    else:
        r = ET.SubElement(root, "renderer-v2", {"type": "RuleRenderer", "symbollevels": "0", "forceraster": "0", "enableorderby": "0"})
        rules = ET.SubElement(r, "rules", {"key": "root"})
        syms = ET.SubElement(r, "symbols")
        for i, rule in enumerate(style.rules):
            ET.SubElement(rules, "rule", {"key": f"r{i}", "filter": rule.filter, "symbol": str(i), "label": rule.label})
            _symbol(syms, str(i), rule)
    if style.label_field:
        lab = ET.SubElement(root, "labeling", {"type": "simple"})
        settings = ET.SubElement(lab, "settings", {"calloutType": "simple"})
        ET.SubElement(settings, "text-style", {"fieldName": style.label_field, "fontSize": "9", "fontWeight": "75",
                                              "textColor": "17,17,17,255", "isExpression": "0"})
        ET.SubElement(settings, "text-buffer", {"bufferDraw": "1", "bufferSize": "1", "bufferColor": "255,255,255,255"})
        # horizontal, anywhere inside the polygon (QGIS tries many positions, the most central first), so a name can
        # move off the circles (obstacles, below) or off a neighbour's name; no displayAll: where no position is free,
        # the label engine drops the name rather than printing it over another (GIS walk qgis11 M3: Pandeglang's
        # 35 kecamatan printed over each other). Priority 10 (the highest): the names win over any other label layer,
        # and (QGIS's placement engine 2) an obstacle of factor <= 2 only costs a position, never forbids it, so the
        # circles move a name but never drop it (Kota Serang's 6 names all show, however small the map)
        ET.SubElement(settings, "placement", {"placement": str(LABEL_PLACEMENT), "polygonPlacementFlags": "2", "centroidInside": "1",
                                              "centroidWhole": "0", "fitInPolygonOnly": "0", "priority": "10"})
        ET.SubElement(settings, "rendering", {"displayAll": "0", "obstacle": "0", "labelPerPart": "0", "mergeLines": "0",
                                             "upsidedownLabels": "0", "limitNumLabels": "0", "scaleVisibility": "0"})
        root.set("labelsEnabled", "1")
    elif style.marker_size:
        # proportional circles block labels ("Blocking" in QGIS's Labels tab: no label of their own, an obstacle), so
        # the kecamatan names are placed beside the circles, as the HTML map puts them below (GIS walk qgis11 M3)
        lab = ET.SubElement(root, "labeling", {"type": "simple"})
        settings = ET.SubElement(lab, "settings", {"calloutType": "simple"})
        ET.SubElement(settings, "text-style", {"fieldName": "''", "isExpression": "1", "fontSize": "9"})
        ET.SubElement(settings, "placement", {"placement": "1"})
        ET.SubElement(settings, "rendering", {"drawLabels": "0", "obstacle": "1", "obstacleFactor": "2", "obstacleType": "0",
                                             "displayAll": "0", "scaleVisibility": "0"})
        root.set("labelsEnabled", "1")
    if style.aliases:
        al = ET.SubElement(root, "aliases")
        for i, (field, alias) in enumerate(style.aliases):
            ET.SubElement(al, "alias", {"field": field, "index": str(i), "name": alias})
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")


# ---- SLD -------------------------------------------------------------------------------------

NS = {"sld": "http://www.opengis.net/sld", "se": "http://www.opengis.net/se", "ogc": "http://www.opengis.net/ogc"}
_OPS = {"ge": "PropertyIsGreaterThanOrEqualTo", "lt": "PropertyIsLessThan", "eq": "PropertyIsEqualTo"}


def sld(style: Style, layer_name: str) -> str:
    for prefix, uri in NS.items():
        ET.register_namespace("" if prefix == "sld" else prefix, uri)
    se, ogc = "{%s}" % NS["se"], "{%s}" % NS["ogc"]
    root = ET.Element("{%s}StyledLayerDescriptor" % NS["sld"], {"version": "1.1.0"})
    nl = ET.SubElement(root, "{%s}NamedLayer" % NS["sld"])
    ET.SubElement(nl, se + "Name").text = layer_name
    us = ET.SubElement(nl, "{%s}UserStyle" % NS["sld"])
    ET.SubElement(us, se + "Name").text = style.name
    fts = ET.SubElement(us, se + "FeatureTypeStyle")
    for rule in style.rules:
        r = ET.SubElement(fts, se + "Rule")
        ET.SubElement(r, se + "Name").text = rule.label
        ET.SubElement(ET.SubElement(r, se + "Description"), se + "Title").text = rule.label
        if rule.sld:
            f = ET.SubElement(r, ogc + "Filter")
            parent = ET.SubElement(f, ogc + "And") if len(rule.sld) > 1 else f
            for op, value, field in rule.sld:
                if op in ("null", "notnull"):
                    node = ET.SubElement(parent, ogc + "PropertyIsNull")
                    if op == "notnull":
                        parent.remove(node)
                        node = ET.SubElement(ET.SubElement(parent, ogc + "Not"), ogc + "PropertyIsNull")
                    ET.SubElement(node, ogc + "PropertyName").text = field
                else:
                    node = ET.SubElement(parent, ogc + _OPS[op])
                    ET.SubElement(node, ogc + "PropertyName").text = field
                    ET.SubElement(node, ogc + "Literal").text = str(value)
        if style.marker_size:
            pt = ET.SubElement(r, se + "PointSymbolizer")
            g = ET.SubElement(pt, se + "Graphic")
            mark = ET.SubElement(g, se + "Mark")
            ET.SubElement(mark, se + "WellKnownName").text = "circle"
            ET.SubElement(ET.SubElement(mark, se + "Fill"), se + "SvgParameter", {"name": "fill"}).text = rule.fill
            ET.SubElement(ET.SubElement(mark, se + "Stroke"), se + "SvgParameter", {"name": "stroke"}).text = rule.stroke
            ET.SubElement(g, se + "Size").text = "12"
            continue
        ps = ET.SubElement(r, se + "PolygonSymbolizer")
        if rule.hatch:
            gf = ET.SubElement(ET.SubElement(ps, se + "Fill"), se + "GraphicFill")
            g = ET.SubElement(gf, se + "Graphic")
            mark = ET.SubElement(g, se + "Mark")
            ET.SubElement(mark, se + "WellKnownName").text = "horline"
            st = ET.SubElement(mark, se + "Stroke")
            ET.SubElement(st, se + "SvgParameter", {"name": "stroke"}).text = rule.stroke
            ET.SubElement(st, se + "SvgParameter", {"name": "stroke-width"}).text = "1"
            ET.SubElement(g, se + "Size").text = "8"
            ET.SubElement(g, se + "Rotation").text = "45"
        elif rule.fill:
            ET.SubElement(ET.SubElement(ps, se + "Fill"), se + "SvgParameter", {"name": "fill"}).text = rule.fill
        stroke = ET.SubElement(ps, se + "Stroke")
        ET.SubElement(stroke, se + "SvgParameter", {"name": "stroke"}).text = rule.stroke
        ET.SubElement(stroke, se + "SvgParameter", {"name": "stroke-width"}).text = str(rule.stroke_width)
        if rule.dash:
            ET.SubElement(stroke, se + "SvgParameter", {"name": "stroke-dasharray"}).text = "4 2"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def layer_styles_frame(styles: dict[str, Style], geometry_column: str = "geom") -> pd.DataFrame:
    """Rows for the GeoPackage ``layer_styles`` table: one default style per layer."""
    rows = []
    for layer, style in styles.items():
        rows.append({"f_table_catalog": "", "f_table_schema": "", "f_table_name": layer, "f_geometry_column": geometry_column,
                     "styleName": style.name, "styleQML": qml(style), "styleSLD": sld(style, layer), "useAsDefault": True,
                     "description": f"serang-gis: {style.description or style.name}", "owner": "", "ui": "",
                     # QGIS orders styles by update_time; a fixed time keeps the file the same from run to run
                     "update_time": pd.Timestamp("2000-01-01T00:00:00")})
    return pd.DataFrame(rows)


# files: a GeoPackage whose layers carry their default styles; a GeoJSON with its same-named .qml

def write_styled_gpkg(target, layers: dict, *, overwrite: bool = True) -> Path:
    """``layers``: name -> (GeoDataFrame, styles.Style). Styles go to ``layer_styles``, default per layer."""
    with atomic_path(target, overwrite=overwrite) as tmp, _gpkg_writing():
        for name, (frame, style) in layers.items():
            # the description lands in gpkg_contents, where QGIS's browser shows it
            _typed(frame).to_file(tmp, layer=name, driver="GPKG", engine="pyogrio", VERSION=GPKG_VERSION,
                                  layer_options={"DESCRIPTION": f"serang-gis: {style.description or style.name}"})
        table = layer_styles_frame({name: style for name, (_, style) in layers.items()})
        import pyogrio

        pyogrio.write_dataframe(table, tmp, layer="layer_styles", driver="GPKG")
    return Path(target)


def write_geojson_with_qml(target, frame: gpd.GeoDataFrame, style, *, overwrite: bool = True) -> tuple[Path, Path]:
    path = write_geojson(target, _typed(frame), overwrite=overwrite)
    sidecar = write_text(Path(target).with_suffix(".qml"), qml(style), overwrite=overwrite)
    return path, sidecar
