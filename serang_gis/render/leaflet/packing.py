"""The payload's columns as the page carries them: shorter, and read back exactly.

A map's payload (``spec.MapSpec.payload``) holds one list per column, a value per unit. Most columns repeat a few
values (a category, its colour, its text, a yes/no flag, a period, a source number), and some repeat another
column whole (a lokus outline and its flag). In the page they are written as:

- ``{"=": "other"}``: the same values as the column ``other`` (written before it);
- ``{"d": [distinct values], "i": "ABAC..."}``: one character per unit, the index of its value in ``d``, in the
  64-character alphabet of the arcs (``core.geometry.ARC_ALPHABET``: nothing to escape in JSON or HTML); used when
  a column has at most 64 distinct values and the form is shorter; ``"i": n`` (a number) when the text is that of
  the n-th column (counted from 0 in the order written), itself written in this form with its text;
- ``{"p": prefix, "s": [rest of each value]}``: text values that all begin alike (codes "36.73.01.1001", ...);
- ``{"e": k, "n": text}``: decimal numbers of at most 6 decimals (the label points' latitudes and longitudes):
  each value times 10^k as a whole number, delta-encoded (the first value, then each one's difference from the one
  before) and written as the arcs are (``core.geometry.encode_steps``); a value is the running sum divided by 10^k,
  which gives back the same float;
- else the plain list.

The geometry (TopoJSON, ``core.geometry.topology``): when every geometry is a Polygon or MultiPolygon with arcs
and nothing else, an object's ``geometries`` are one text (about a third of the JSON): ``|`` between units, ``;``
between a MultiPolygon's polygons (its text ends with ``;``), ``,`` between rings, each ring's arc indices
delta-encoded (``d[0] = a[0]``, ``d[k] = a[k] - a[k-1]``) and written as the arcs are (``core.geometry.encode_steps``).
Otherwise the list stays, without the ``"type"`` of its polygons (16 bytes a unit): the nesting of ``arcs`` tells a
Polygon from a MultiPolygon.

A source (``sources``, a field's ``source``) that the title box lists (its text after the first ": ", a label such as
"ODF", else the whole text) is written ``{"h": k}``: the k-th item of that list, read from the page.

Layers and their legends leave out keys whose value is null (the runtime reads a missing key as null). A field leaves out
its ``unit`` when it has none and its ``dec`` when 0, a layer its ``marks`` and ``mark_short`` when empty, a circle layer
its ``max_radius`` (``MAX_RADIUS``, with which Python made its radii and legend sizes): the runtime never
reads them; a layer shown at first leaves out its ``"show": true`` (the runtime reads a missing one as true), a
categorical layer its categories' ``value`` where its units carry them (the field's value at a unit of each class) (the texts were made in Python), ``read_payload`` puts them back. A legend leaves
out what its layer says already: its title when it is the layer's name, its note when it is the layer's, its items when
they are the ones the layer's keys imply (``implied_items``: an outline's or the kecamatan's line, the points' circle, a
categorical layer's categories then its no-data class); a legend without items says ``"items": null``.

The runtime (static/atlas/data.js, ``unpack``) turns them back before anything reads them, so the page's script
(``sgAtlas.P``) sees the payload unchanged; ``read_payload`` does the same for Python.
"""

from __future__ import annotations

import json
import os
from html import unescape
import re

import numpy as np

from serang_gis.core.geometry import ARC_ALPHABET, decode_ints, encode_steps

_DRAW_RE = re.compile(r"SerangAtlas\.draw\([^,]+, (\{.*\})\);")
_SOURCES_RE = re.compile(r'<details class="sg-sources"><summary>.*?</summary>\s*<ul>(.*?)</ul>', re.S)


def _dumps(x) -> str:
    return json.dumps(x, ensure_ascii=False, separators=(",", ":"))


def pack(payload: dict, page_sources: list[str] = ()) -> dict:
    """The payload as the page carries it; ``page_sources``: the title box's list of sources (``TitleBox``)."""
    layers = [_no_nulls(dict(s, legend=_no_nulls(s["legend"]) if isinstance(s.get("legend"), dict) else s.get("legend")))
              for s in payload["layers"]]
    for s in layers:
        if isinstance(s.get("legend"), dict):
            s["legend"] = _pack_legend(s, s["legend"])
    refs = {_after_label(h): {"h": k} for k, h in reversed(list(enumerate(page_sources))) if not re.search(r"[\r\n]", h)}
    layers = [{k: v for k, v in s.items() if not (k in _UNREAD_LAYER and v == {}) and _UNREAD_CIRCLES.get(k, _KEEP) != v
               and _DEFAULT_LAYER.get(k, _KEEP) is not v} for s in layers]
    layers = [_without_values(s, payload["cols"]) for s in layers]
    fields = [{k: v for k, v in f.items() if _UNREAD_FIELD.get(k, _KEEP) != v} for f in payload.get("fields", [])]
    out = dict(payload, cols=pack_cols(payload["cols"]), topo=pack_topo(payload["topo"]), layers=layers)
    if "fields" in payload:
        out["fields"] = fields
    if refs and "sources" in payload:
        out["sources"] = [refs.get(s, s) for s in payload["sources"]]
        out["fields"] = [dict(f, source=refs.get(f["source"], f["source"])) if isinstance(f.get("source"), str) else f for f in fields]
    return out


_KEEP = object()
_UNREAD_FIELD = {"unit": "", "dec": 0}  # a field's keys the runtime never reads, left out at these values
_UNREAD_LAYER = ("marks", "mark_short")  # a layer's, left out when empty
MAX_RADIUS = 26  # pixels: the radius of the largest circle (every radius is made with it in Python)
_UNREAD_CIRCLES = {"max_radius": MAX_RADIUS}  # a circle layer's, left out at this value
_DEFAULT_LAYER = {"show": True}  # a layer's, left out at this value: the runtime reads a missing one as it


def _unit_values(s: dict, cols: dict) -> list | None:
    """A categorical layer's category values as its units carry them: its field's value at the first unit of each class
    (``index_col``); ``_KEEP`` for a class no unit is in; None for a layer of no categories."""
    idx, vals = cols.get(s.get("index_col")), cols.get(s.get("field"))
    if s.get("type") != "categorical" or not s.get("cats") or idx is None or vals is None:
        return None
    first: dict = {}
    for k, v in zip(idx, vals):
        first.setdefault(k, v)
    return [first.get(k, _KEEP) for k in range(len(s["cats"]))]


def _without_values(s: dict, cols: dict) -> dict:
    """A categorical layer without its categories' values when its units carry them (``_unit_values``): the runtime
    never reads them (a unit's class and colour come in its own columns), ``read_payload`` puts them back."""
    got = _unit_values(s, cols)
    if got is None or any(g is _KEEP or _dumps(g) != _dumps(c.get("value")) for g, c in zip(got, s["cats"])):
        return s
    return dict(s, cats=[{k: v for k, v in c.items() if k != "value"} for c in s["cats"]])


def _after_label(text: str) -> str:
    """A title-box source without its label ("ODF: https://..." -> "https://..."; the runtime cuts it the same way)."""
    return text.split(": ", 1)[1] if ": " in text else text


def _no_nulls(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def implied_items(s: dict) -> list[dict] | None:
    """The legend items a layer's own keys say (static/atlas/data.js, ``unpack``, makes the same), or None."""
    kind = s.get("type")
    if kind in ("outline", "kecamatan"):
        return [{"kind": "line", "label": s.get("label"), "color": s.get("color"), "dash": bool(s.get("dash")),
                 **({"weight": s["weight"]} if s.get("weight") else {})}]
    if kind == "points":
        return [{"kind": "circle", "label": s.get("label"), "color": s.get("color"), "size": 12}]
    if kind == "categorical":
        rows = [*s.get("cats", []), *([s["nodata"]] if s.get("nodata") else [])]
        return [{"kind": "fill", "label": c.get("label"), "color": c.get("color"), "cls": k if k < len(s.get("cats", [])) else -1}
                for k, c in enumerate(rows)]
    return None


def _pack_legend(s: dict, legend: dict) -> dict:
    """A legend without what its layer already says: the title (the layer's name), the note (the layer's), the items
    (``implied_items``); a legend without items keeps ``"items": null``."""
    out = dict(legend)
    if s.get("name") is not None and out.get("title") == s["name"]:
        del out["title"]
    if s.get("note") and out.get("note") == s["note"]:
        del out["note"]
    if "items" not in out:
        out["items"] = None
    elif out["items"] == implied_items(s):
        del out["items"]
    return out


def unpack_layers(layers: list[dict]) -> list[dict]:
    """The layers' legends whole again (``_pack_legend`` undone), in place."""
    for s in layers:
        legend = s.get("legend")
        if not isinstance(legend, dict):
            continue
        if "title" not in legend and s.get("name") is not None:
            legend["title"] = s["name"]
        if "note" not in legend and s.get("note"):
            legend["note"] = s["note"]
        if "items" not in legend:
            legend["items"] = implied_items(s)
        elif legend["items"] is None:
            del legend["items"]
    return layers


def pack_cols(cols: dict[str, list]) -> dict:
    """The columns in their shortest form of the three (see the module docstring)."""
    out, seen, indexes = {}, {}, {}  # indexes: an index text -> the position of the first column written with it
    for n, (key, values) in enumerate(cols.items()):
        text = _dumps(values)
        if text in seen and len(text) > len(key) + 10:
            out[key] = {"=": seen[text]}
            continue
        seen.setdefault(text, key)
        codes = {}
        for v in values:
            codes.setdefault(_dumps(v), v)  # by JSON text: True and 1, 1 and 1.0 stay apart
        forms = [values, _prefixed(values), _decimals(values)]
        if len(codes) <= len(ARC_ALPHABET):
            index = {k: m for m, k in enumerate(codes)}
            text = "".join(ARC_ALPHABET[index[_dumps(v)]] for v in values)
            forms.append({"d": list(codes.values()), "i": indexes.get(text, text)})
        out[key] = min((f for f in forms if f is not None), key=lambda f: len(_dumps(f)))  # the first of the shortest
        if isinstance(out[key], dict) and isinstance(out[key].get("i"), str):
            indexes.setdefault(out[key]["i"], n)
    return out


def _decimals(values: list) -> dict | None:
    """``{"e": k, "n": text}`` when every value is a float with at most k <= 6 decimals that reads back the same."""
    if not values or not all(type(v) is float and v == v and abs(v) < 1e9 for v in values):
        return None
    for k in range(7):
        whole = [round(v * 10 ** k) for v in values]
        if all(w / 10 ** k == v for w, v in zip(whole, values)):
            return {"e": k, "n": encode_steps(np.diff(np.asarray(whole, dtype=np.int64), prepend=0))}
    return None


def _running(text: str, k: int) -> list[float]:
    out, total = [], 0
    for d in decode_ints(text):
        total += d
        out.append(total / 10 ** k)
    return out


def _prefixed(values: list) -> dict | None:
    if not values or not all(isinstance(v, str) for v in values):
        return None
    prefix = os.path.commonprefix(values)
    return {"p": prefix, "s": [v[len(prefix):] for v in values]} if len(prefix) > 2 else None


def pack_topo(topo: dict) -> dict:
    """The topology with its geometries as one text, else without the type of its polygons (see the module docstring)."""
    objects = {}
    for name, o in topo["objects"].items():
        geoms = o["geometries"]
        if geoms and all(set(g) == {"type", "arcs"} and g["type"] in ("Polygon", "MultiPolygon") and g["arcs"] for g in geoms):
            objects[name] = dict(o, geometries=_geometries_text(geoms))
        else:
            objects[name] = dict(o, geometries=[{k: v for k, v in g.items() if k != "type" or v not in ("Polygon", "MultiPolygon")}
                                                for g in geoms])
    return dict(topo, objects=objects)


def _geometries_text(geoms: list[dict]) -> str:
    """The geometries' text: every ring's delta-encoded arc indices written in one pass (``encode_steps`` with cuts),
    then joined with the separators (see the module docstring)."""
    polygons = [[g["arcs"]] if g["type"] == "Polygon" else g["arcs"] for g in geoms]
    rings = [r for polys in polygons for poly in polys for r in poly]
    flat = np.fromiter((a for r in rings for a in r), dtype=np.int64)
    sizes = np.fromiter((len(r) for r in rings), dtype=np.int64, count=len(rings))
    starts = np.cumsum(sizes) - sizes
    delta = np.diff(flat, prepend=0)
    delta[starts[sizes > 0]] = flat[starts[sizes > 0]]  # each ring's first index as it is, then differences
    texts = iter(encode_steps(delta, cuts=np.cumsum(sizes)[:-1]))
    units = []
    for g, polys in zip(geoms, polygons):
        drawn = [",".join(next(texts) for _ in poly) for poly in polys]
        units.append(drawn[0] if g["type"] == "Polygon" else "".join(d + ";" for d in drawn))
    return "|".join(units)


def _ring_arcs(text: str) -> list[int]:
    out, prev = [], 0
    for d in decode_ints(text):
        prev += d
        out.append(prev)
    return out


def unpack_topo(topo: dict) -> dict:
    for o in topo["objects"].values():
        if isinstance(o["geometries"], str):
            o["geometries"] = [{"type": "MultiPolygon", "arcs": [[_ring_arcs(r) for r in p.split(",")] for p in u[:-1].split(";")]}
                               if u.endswith(";") else {"type": "Polygon", "arcs": [_ring_arcs(r) for r in u.split(",")]}
                               for u in o["geometries"].split("|")]
        for g in o["geometries"]:
            if "type" not in g:
                g["type"] = "Polygon" if isinstance(g["arcs"][0][0], int) else "MultiPolygon"
    return topo


def unpack_cols(cols: dict) -> dict[str, list]:
    """The plain columns of ``pack_cols``'s output."""
    out, texts = {}, {}
    for n, (key, c) in enumerate(cols.items()):
        if isinstance(c, dict) and "=" in c:
            out[key] = list(out[c["="]])
        elif isinstance(c, dict) and "e" in c:
            out[key] = _running(c["n"], c["e"])
        elif isinstance(c, dict) and "p" in c:
            out[key] = [c["p"] + v for v in c["s"]]
        elif isinstance(c, dict):
            texts[n] = c["i"] if isinstance(c["i"], str) else texts[c["i"]]
            out[key] = [c["d"][ARC_ALPHABET.index(ch)] for ch in texts[n]]
        else:
            out[key] = c
    return out


def read_payload(html: str) -> dict:
    """The payload a map page draws, its columns unpacked (for tests and inspection); ValueError when there is none."""
    m = _DRAW_RE.search(html)
    if m is None:
        raise ValueError("not a serang-gis map page: no SerangAtlas.draw(...) call")
    payload = json.loads(m.group(1))
    payload["cols"], payload["topo"] = unpack_cols(payload["cols"]), unpack_topo(payload["topo"])
    unpack_layers(payload["layers"])
    for s in payload["layers"]:
        if s.get("type") in ("choropleth", "categorical"):
            for k in _UNREAD_LAYER:
                s.setdefault(k, {})
        if s.get("cats") and "value" not in s["cats"][0]:
            s["cats"] = [{"value": v, **c} for v, c in zip(_unit_values(s, payload["cols"]), s["cats"])]
        if s.get("type") == "circles":
            s.update({k: s.get(k, v) for k, v in _UNREAD_CIRCLES.items()})
        s.update({k: s.get(k, v) for k, v in _DEFAULT_LAYER.items()})
    for f in payload.get("fields", []):
        for k, v in _UNREAD_FIELD.items() if "kind" in f else ():  # a field as MapSpec.field makes it
            f.setdefault(k, v)
    listed = _SOURCES_RE.search(html)
    heads = [_after_label(unescape(li)) for li in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)] if listed else []
    payload["sources"] = [heads[s["h"]] if isinstance(s, dict) else s for s in payload.get("sources", [])]
    for f in payload.get("fields", []):
        if isinstance(f.get("source"), dict):
            f["source"] = heads[f["source"]["h"]]
    return payload
