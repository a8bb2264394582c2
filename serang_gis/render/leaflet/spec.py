"""Describe a map in Python (units, fields, layers); render it as folium + the atlas.js runtime.

A ``MapSpec`` holds one set of polygons (kelurahan or kecamatan), the columns to show, and layers
that refer to those columns: choropleth, categorical, outline (e.g. lokus), proportional circles,
kecamatan outlines, points. The geometry goes into the page once, as TopoJSON; every layer draws
from it. ``render`` returns the HTML text; ``save`` writes it atomically (with ``lib/`` beside it,
or everything inline when ``offline``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from serang_gis.core.classify import Classes
from serang_gis.core.geometry import dissolve_parts, label_points, topology, utm_crs
from serang_gis.core.text import NO_DATA_COLOR, RUNTIME, TEXT, short_sources, source_text, t
from serang_gis.output.writers import write_text
from serang_gis.plan.layers import FEW_COLOR, LayerPlan, coverage, period_refs
from serang_gis.render.leaflet import assets, display, packing, placing
from serang_gis.render.leaflet.elements import TitleBox
from serang_gis.render.leaflet.page import finish

MAX_RADIUS = packing.MAX_RADIUS  # pixels: the radius of the largest circle
KEC_COLOR, POINT_COLOR = "#4d4d4d", "#2c7fb8"  # kecamatan outlines, points (puskesmas)
UNDER_PANE = "sg-lokus"  # the runtime's pane under the circles' (static/atlas/data.js, PANES): circles drawn under the others
BASEMAPS = [
    {"name": "OpenStreetMap", "url": "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
     "attribution": "© OpenStreetMap contributors"},
    {"name": "CartoDB Positron", "url": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
     "attribution": "© OpenStreetMap contributors © CARTO", "subdomains": "abcd"},
]


def source_line(lang: str, source: str | None, period: str | None) -> str:
    """"Sumber: x; periode 2021" (either part alone when the other is not known)."""
    return (t(lang, "subtitle_source", source=source) if source else "") + (f"; {t(lang, 'subtitle_period', period=period)}" if period else "")


def _clean(v):
    """JSON-safe scalar: NA -> None, numpy -> python, floats rounded."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else round(float(v), 4)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v if isinstance(v, (int, str)) else str(v)


@dataclass
class MapSpec:
    units: gpd.GeoDataFrame  # polygons, EPSG:4326
    code_col: str
    name_col: str
    kec_col: str | None = None
    lang: str = "id"
    title: str = ""
    subtitle: str = ""
    sources: list[str] = field(default_factory=list)
    clean: bool = True
    fields: list[dict] = field(default_factory=list)
    layers: list[dict] = field(default_factory=list)
    cols: dict = field(default_factory=dict)
    source_list: list[str] = field(default_factory=list)
    tooltip: list[str] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)
    offline_basemap: bool = False
    unit_name: str | None = None  # what one unit is called in tooltips (default: Kelurahan)
    legend_items: dict = field(default_factory=dict)  # layer id -> the plan's legend items (classed layers)
    panels: list = field(default_factory=list)  # (heading, [lines]) folded lists in the title box (escaped when drawn)
    given_texts: dict = field(default_factory=dict)  # field -> its texts as given (``field(texts=...)``), not made from its values
    value_labels: dict = field(default_factory=dict)  # field -> {value: its category's label}: a unit's text in its popup

    def __post_init__(self):
        self.units = self.units.reset_index(drop=True)
        if self.clean:
            self.units = coverage(self.units)  # the plan's geometry: the same polygons as every export
        self.cols["kode"] = self.units[self.code_col].astype(str).tolist()
        self.cols["nama"] = self.units[self.name_col].astype(str).tolist()
        if self.kec_col:
            self.cols["kec"] = self.units[self.kec_col].astype(str).tolist()
        pts = label_points(self.units)
        self.cols["_lat"] = [round(p.y, 4) for p in pts]  # circle and label points: 11 m, under 3 px at zoom 16
        self.cols["_lon"] = [round(p.x, 4) for p in pts]

    @property
    def t(self):
        """This map's words (read-only: what one map calls its units is its ``unit_name``, never written here)."""
        return TEXT[self.lang]

    # ---- fields ----
    def _source_index(self, text) -> int | None:
        if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
            return None
        text = str(text)
        if text not in self.source_list:
            self.source_list.append(text)
        return self.source_list.index(text)

    def field(self, key: str, values, label: str, *, unit: str = "", dec: int = 0, kind: str = "value",
              source=None, period=None, tooltip: bool = False, profile: bool = True, interval=None,
              missing: str | None = None, era: str | None = None, same: str | None = None, texts=None) -> "MapSpec":
        """Add a column. ``source``/``period``: one text for all rows, or a per-row Series; ``interval``:
        (lower, upper) Series shown with the value, "12,4 % (8,1-18,3 %)"; ``missing``: what an empty value
        means here (default "tidak ada data"); ``era``: the period of a period-specific field (the profile leads with the
        chosen period's fields); ``same``: fields of one ``same`` name that give one count (shown once where equal);
        ``texts``: the text of each value where it says more than the value (a lokus flag: which lists name it).

        The columns a field brings beside its values are named by its position (``_s3``, ``_p3``, ``_v3``...): short,
        as every byte of the page counts (``tests/test_maps.py``, the page weight)."""
        vals = pd.Series(values).reset_index(drop=True)
        n = len(self.fields)
        if texts is not None:
            self.given_texts[key] = [None if x is None or x is pd.NA else str(x) for x in texts]
        self.cols[key] = [_clean(v) for v in vals]
        f = {"key": key, "label": label, "unit": unit, "dec": dec, "kind": kind}
        if missing is not None:
            f["missing"] = missing
        for name, v in (("era", era), ("same", same)):
            if v is not None:
                f[name] = str(v)
        if interval is not None:
            for name, v in zip(("lo", "hi"), interval):
                self.cols[f"_{name}_{key}"] = [_clean(x) for x in pd.to_numeric(pd.Series(v), errors="coerce").reset_index(drop=True)]
                f[f"{name}_col"] = f"_{name}_{key}"
        for name, v in (("source", source), ("period", period)):
            if isinstance(v, (pd.Series, list, np.ndarray)):
                col = f"_{name[0]}{n}"  # _s3 (source), _p3 (period)
                ser = pd.Series(v).reset_index(drop=True)
                self.cols[col] = [self._source_index(x) if name == "source" else _clean(x) for x in ser]
                f[f"{name}_col"] = col
            elif v is not None:
                f[name] = str(v)
        if f.get("period") and f["period"] not in str(label):  # the label says its period
            f["label"] = f"{label} ({f['period']})"
        self.fields.append(f)
        if tooltip:
            self.tooltip.append(key)
        if profile:
            self.profile.append(key)
        return self

    # ---- layers ----
    def _next_id(self) -> str:
        used = {layer["id"] for layer in self.layers}
        n = len(self.layers)
        while f"l{n}" in used:  # layers may have been removed or reordered: ids stay unique
            n += 1
        return f"l{n}"

    def _layer(self, kind, name, show, *, title=None, subtitle=None, sources=None, **kw):
        """``title``/``subtitle``/``sources``: what the page's title box shows while this layer is chosen."""
        spec = {"id": self._next_id(), "type": kind, "name": name, "show": show, **kw}
        for key, value in (("title", title), ("subtitle", subtitle), ("sources", sources)):
            if value is not None:
                spec[key] = list(value) if key == "sources" else str(value)
        self.layers.append(spec)
        return spec

    def add(self, layer: LayerPlan) -> dict:
        """Draw a planned layer: the class of every unit comes precomputed, the browser only paints it.

        A layer of a group (one period of an indicator) brings its own subtitle and sources to the title box."""
        lid = self._next_id()
        if layer.kind in ("choropleth", "categorical"):
            kind, name, show, kw = self._classed(lid, layer)
            return self._layer(kind, name, show, **kw)
        if layer.kind == "outline":
            key = f"_o{lid}"
            self.cols[key] = [bool(k >= 0) for k in layer.index]
            return self._layer("outline", layer.title, layer.show, field=key, label=layer.note or layer.title, color=layer.color,
                               dash=layer.dash, note=None, **({"weight": layer.weight} if layer.weight else {}))
        if layer.kind == "circles":
            vmax = float(layer.max_value or 0)
            radii = [display.radius(v, vmax, MAX_RADIUS) for v in self.cols.get(layer.column, [None] * len(self.units))]
            self.cols[f"_r{lid}"] = [None if r is None else round(r, 1) for r in radii]  # a tenth of a pixel: what a screen shows
            return self._layer("circles", layer.title, layer.show, field=layer.column, color=layer.color, stroke=layer.stroke,
                               max=vmax, max_radius=MAX_RADIUS, refs=_nice_refs(vmax), note=layer.note, radius_col=f"_r{lid}",
                               group=layer.group)
        raise ValueError(f"unknown layer kind {layer.kind!r}")

    def _classed(self, lid: str, layer: LayerPlan) -> tuple:
        """The payload of a choropleth or categorical layer: class, colour, caveat and hatch of every unit, its legend items."""
        self.cols[f"_k{lid}"] = [int(k) for k in layer.index]
        self.cols[f"_c{lid}"] = layer.colors()
        marks = {m: lab for m, lab in layer.mark_labels.items()}
        kw = {"index_col": f"_k{lid}", "color_col": f"_c{lid}", "nodata": {"color": NO_DATA_COLOR, "label": layer.no_data_label},
              "note": layer.note, "group": layer.group, "marks": marks, "mark_short": {m: self.t["short_" + m] for m in marks},
              "rare": layer.rare_classes() or None}  # drawn over the circles and outlines: never hidden on a phone
        if any(layer.marks):
            self.cols[f"_m{lid}"] = list(layer.marks)
            kw["mark_col"] = f"_m{lid}"
        if layer.hatched.any():
            self.cols[f"_h{lid}"] = [bool(h) for h in layer.hatched]
            kw["hatch_col"] = f"_h{lid}"
        if "partial" in layer.extra:
            self.cols[f"_x{lid}"] = list(layer.extra["partial"])
            kw["extra_col"] = f"_x{lid}"
        if "few" in marks:
            kw["few"] = {"color": FEW_COLOR, "label": marks["few"]}
        if layer.kind == "choropleth":
            kw["classes"] = {"breaks": list(layer.classes.breaks), "colors": list(layer.classes.colors),
                             "labels": list(layer.classes.labels)}  # breaks for readers; the browser paints the colours
            kw["target"] = layer.target
        else:
            # the legend's label (an old status with its date: "Belum ODF (Kaligandu, laporan 2022-10-20)"); a unit's text
            # in its popup is the category's own label (its date is on its own line there)
            kw["cats"] = [{"value": v, "color": c, "label": layer.label_of_class(k)} for k, (v, c, _) in enumerate(layer.categories)]
            self.value_labels.setdefault(layer.column, {}).update({v: lab for v, _, lab in layer.categories})
        own = [x for x in (layer.source or "").split("; ") if x]
        if layer.group or (own and not layer.show and {source_text(self.lang, x) for x in own} != set(self.sources)):
            kw["subtitle"] = source_line(self.lang, short_sources(self.lang, own), layer.period)
            kw["sources"] = own or None
            if not layer.group and " – " in self.title:  # its heading: the page's place, not the page's periods
                kw["title"] = f"{layer.title} – " + re.sub(r" [(][^()]*[)]$", "", self.title.split(" – ", 1)[1])
        self.legend_items[lid] = layer.legend_items()
        return layer.kind, layer.title, layer.show, {"field": layer.column, **kw}

    def choropleth(self, key: str, classes: Classes, name: str, *, show=True, target: float | None = None,
                   note: str | None = None, group: str | None = None):
        """A field (added before) in given classes; ``group``: layers of one group are exclusive (a period switcher)."""
        values = pd.Series(self.cols[key], dtype="object")
        plan = LayerPlan(key, "choropleth", key, name, classes=classes, index=classes.assign(values), marks=[None] * len(values),
                         no_data_label=self.t["no_data_class"], note=note, target=target, group=group, show=show)
        return self.add(plan)

    def categorical(self, key: str, cats: list[tuple[str, str, str]], name: str, *, show=True, note=None):
        """``cats``: (value, colour, label) in legend order; the field is added before."""
        order = {v: i for i, (v, _, _) in enumerate(cats)}
        idx = np.array([order.get(v, -1) if isinstance(v, str) else -1 for v in self.cols[key]], dtype=int)
        return self.add(LayerPlan(key, "categorical", key, name, categories=list(cats), index=idx, marks=[None] * len(idx),
                                  no_data_label=self.t["no_data_class"], note=note, show=show))

    def base(self, name: str, label: str, *, color: str = "#f4f4f4", show=True):
        """Plain polygons (hover and click) under circle layers."""
        lid = self._next_id()
        self.cols.setdefault("_none", [-1] * len(self.units))
        self.cols[f"_c{lid}"] = [color] * len(self.units)
        self.legend_items[lid] = [{"kind": "fill", "label": label, "color": color, "cls": -1}]
        return self._layer("categorical", name, show, field="_none", index_col="_none", color_col=f"_c{lid}", cats=[],
                           nodata={"color": color, "label": label}, note=None, marks={}, mark_short={})

    def outline(self, key: str, name: str, label: str, *, color: str, dash: bool = False, show=True, note=None):
        on = pd.Series(self.cols[key], dtype="object").fillna(False).astype(bool).to_numpy()
        return self.add(LayerPlan(key, "outline", key, name, index=np.where(on, 0, -1), color=color, dash=dash, note=label, show=show))

    def circles(self, key: str, name: str, *, color="#b2182b", stroke="#67001f", max_value=None, show=True, note=None,
                group: str | None = None, own_refs: bool = False, under: bool = False):
        """``group``: circle layers of one group are exclusive (the periods of a count: one shown at a time); ``own_refs``:
        the size legend's reference circles are this layer's largest value and a quarter of it (as the static map's), on
        the scale of ``max_value`` (shared by the group's periods); ``under``: drawn under the other circles, whenever it
        is turned on (a second count beside the main one: it never repaints the main one's colour)."""
        vals = pd.to_numeric(pd.Series(self.cols[key], dtype="object"), errors="coerce")
        vmax = float(max_value if max_value is not None else (vals.max() if vals.notna().any() else 0))
        layer = self.add(LayerPlan(key, "circles", key, name, index=np.full(len(vals), -1), color=color, stroke=stroke, max_value=vmax,
                                   note=note, show=show, group=group))
        if own_refs and vals.notna().any():
            layer["refs"] = period_refs(vals)
        if under:
            layer["pane"] = UNDER_PANE
        return layer

    def kecamatan(self, name: str, *, show=True):
        """Kecamatan outlines merged from the units (kelurahan) in the browser, with labels (at points inside the merged
        outlines: of the coverage, merged edge for edge as the plan's kecamatan are, ``dissolve_parts``)."""
        units = self.units.assign(_k=self.cols["kec"])
        if self.units.attrs.get("_coverage"):
            noded = not getattr(self.units.attrs.get("_repair"), "fallback", False)
            groups = list(units.groupby("_k", sort=True))
            kec = gpd.GeoDataFrame(geometry=[dissolve_parts(g.geometry.values, noded=noded) for _, g in groups],
                                   index=pd.Index([k for k, _ in groups], name="_k"), crs=units.crs)
        else:
            kec = units.dissolve("_k")
        pts = self._label_places(kec)  # off a rare class and the circles, as a phone shows them (``placing``)
        labels = [{"name": k, "lat": round(p.y, 4), "lon": round(p.x, 4)} for k, p in zip(kec.index, pts)]
        return self._layer("kecamatan", name, show, label=self.t["kec_outline"], labels=labels, color=KEC_COLOR)

    def _label_places(self, kec: gpd.GeoDataFrame) -> gpd.GeoSeries:
        """Each kecamatan's label point (EPSG:4326): off the units of the rare classes of the layers shown at first and
        covering the least of their circles, at the phone's scale (``placing.label_places``)."""
        crs = utm_crs(kec)
        kec_m, units_m = kec.to_crs(crs), self.units.to_crs(crs)
        m_px = placing.phone_scale(units_m.total_bounds)
        shown = [s for s in self.layers if s.get("show")]
        rare = [i for s in shown if s.get("rare") for i, k in enumerate(self.cols[s["index_col"]]) if k in s["rare"]]
        avoid = shapely.union_all(units_m.geometry.values[sorted(set(rare))]).buffer(2 * m_px) if rare else None
        xy = gpd.GeoSeries(gpd.points_from_xy(self.cols["_lon"], self.cols["_lat"]), crs=4326).to_crs(crs)
        discs = [(p.x, p.y, r * m_px) for s in shown if s["type"] == "circles" for p, r in zip(xy, self.cols[s["radius_col"]]) if r]
        usual = kec_m.representative_point()
        pts = placing.label_places(kec_m.geometry.values, [str(k) for k in kec.index], usual, avoid, discs, m_px)
        return gpd.GeoSeries(pts, crs=crs).to_crs(4326)

    def labels(self, name: str, *, show=True):
        """The name of each unit, below its label point (where circles sit)."""
        return self._layer("labels", name, show)

    def points(self, frame: pd.DataFrame, name: str, label: str, *, show=True):
        pts = [{"name": str(r["name"]), "lat": float(r["lat"]), "lon": float(r["lon"])} for _, r in frame.iterrows()]
        return self._layer("points", name, show, label=label, points=pts, color=POINT_COLOR)

    # ---- output ----
    def payload(self) -> dict:
        """What the page's runtime draws: geometry, columns, and every text, legend and colour already made."""
        words = {w: self.t[w] for w in RUNTIME if self._shows(w)} | {"unit_name": self.unit_name or self.t["unit_name"]}
        basemaps = [dict(b) for b in BASEMAPS] + [{"name": self.t["no_basemap"], "url": None}]
        basemaps[-1 if self.offline_basemap else 0]["default"] = True
        cols, fields = self._texts()
        by_key = {f["key"]: f for f in fields}
        layers = [dict(s, legend=display.legend(s, by_key, cols, self.lang, self.legend_items.get(s["id"]))) for s in self.layers]
        grouped = {s[k] for s in self.layers if s.get("group") for k in ("field", "group")}
        return {"lang": self.lang, "t": words, "topo": topology(self.units.geometry), "cols": cols, "fields": fields,
                "sources": self.source_list, "layers": layers, "tooltip": [k for k in self.tooltip if k not in grouped],
                "profile": self.profile, "basemaps": basemaps, "attribution": self.t["attribution"]}

    def _shows(self, word: str) -> bool:
        """Whether the runtime may show ``word`` on this page: the folded lists' "more" only with lists, the period
        select's name only with a group of periods, "the same count" only with fields that give one count."""
        if word == "print_more":
            return bool(self.panels)
        if word == "period_choice":
            groups = [s["group"] for s in self.layers if s.get("group")]
            return any(groups.count(g) > 1 for g in groups)
        return word != "same_count" or any("same" in f for f in self.fields)

    def _texts(self) -> tuple[dict, list[dict]]:
        """Columns with the text of every field's values (``_v<n>``, or the field's own column where its values are
        shown as they are; tooltips with caveats ``_w<n>``, the line under them ``_e<n>``), and the fields naming them."""
        cols, fields = dict(self.cols), []
        labels = {}  # field -> its categories' labels (the layer's translated words)
        for s in self.layers:
            if s["type"] == "categorical":
                labels.setdefault(s["field"], {}).update({c["value"]: c["label"] for c in s["cats"]})
                labels[s["field"]].update(self.value_labels.get(s["field"], {}))
        for n, f in enumerate(self.fields):
            texts = self.given_texts.get(f["key"]) or display.field_texts(f, cols, self.lang, labels.get(f["key"]))
            f = dict(f, text_col=f["key"] if texts == cols[f["key"]] else f"_v{n}")  # a text shown as given: not twice
            cols[f["text_col"]] = texts
            tips, extra = display.caveats(f["key"], texts, self.layers, cols)
            if tips is not None:
                cols[f"_w{n}"], f["tip_col"] = tips, f"_w{n}"
            if extra is not None and any(extra):
                cols[f"_e{n}"], f["extra_col"] = extra, f"_e{n}"
            fields.append(f)
        return cols, fields

    def to_map(self, *, offline: bool = False) -> folium.Map:
        self.offline_basemap = offline
        m = folium.Map(tiles=None, control_scale=False, zoom_snap=0.25)  # the runtime adds a metric-only scale
        m.default_js, m.default_css = [], []  # Leaflet comes from our assets, never a CDN
        m.get_root().header.add_child(Element(assets.head_html(offline)), name="sg_assets")
        TitleBox(self.title, self.subtitle, self.sources, self.t["sources"], panels=self.panels).add_to(m)
        AtlasElement(self.payload(), self.sources, extra_js=assets.panels_js() if self.panels else "").add_to(m)
        return m

    def render(self, *, offline: bool = False) -> str:
        root = self.to_map(offline=offline).get_root()
        root.header.add_child(Element(_ASSETS_MARK), name="sg_assets")  # put back after the page's spaces are trimmed
        _stable_ids(root)
        page = finish(root.render(), lang=self.lang, title=self.title or self.t["kel_title"])
        return page.replace(_ASSETS_MARK, assets.head_html(offline), 1)

    def save(self, path, *, offline: bool = False, overwrite: bool = True) -> Path:
        path = Path(path)
        html = self.render(offline=offline)
        if not offline:
            assets.copy_lib(path.parent)
        return write_text(path, html, overwrite=overwrite)


_ASSETS_MARK = "<!--sg-assets-->"


def _stable_ids(element, counter=None) -> None:
    """Name every element by its position instead of folium's random ids: same inputs, same bytes."""
    counter = counter if counter is not None else iter(range(1 << 30))
    element._id = f"{next(counter):08x}"
    for child in element._children.values():
        _stable_ids(child, counter)


def _nice_refs(vmax: float) -> list[float]:
    """Two or three round reference values for a circle legend."""
    if vmax <= 0:
        return []
    mag = 10 ** math.floor(math.log10(vmax))
    top = math.floor(vmax / mag) * mag
    refs = [top, top / 4 if top / 4 >= 1 else None]
    return [vmax] + [r for r in refs if r and r < vmax * 0.9]


class AtlasElement(MacroElement):
    """The payload and the call that draws it, after folium has made the map."""

    _template = Template("""
{% macro script(this, kwargs) %}
    {{ this.extra_js }}
    SerangAtlas.draw({{ this._parent.get_name() }}, {{ this.json }});
{% endmacro %}
""")

    def __init__(self, payload: dict, page_sources: list[str] = (), extra_js: str = ""):
        super().__init__()
        self._name = "SerangAtlas"
        self.extra_js = extra_js  # the runtime's extension a page needs beyond atlas.js (assets.panels_js), or nothing
        # '<' escaped so that no text from data can close the script element
        payload = packing.pack(payload, page_sources)  # shorter, read back the same (packing.py)
        self.json = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
