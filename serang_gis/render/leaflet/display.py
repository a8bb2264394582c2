"""What a map page shows, made here so that the browser only draws it (``MapSpec.payload``).

The text of every value as tooltips and profiles print it ("12,4 % (8,1-18,3 %)", "57 balita",
"ya", "tidak ada data"), with the caveat the plan put on it; every legend (its items in the plan's
order, its note, the target sentence); the radius of every circle; the units a hatch covers. Words
come from the text catalogue, numbers from ``core.numbers``: the Indonesian and the English page
differ in nothing else.
"""

from __future__ import annotations

import math

from serang_gis.core.numbers import interval, number, quantity, value_of
from serang_gis.core.text import t


def value_text(f: dict, v, lang: str, labels: dict | None = None, lo=None, hi=None) -> str:
    """One value of field ``f`` as read; ``labels``: the category labels of its layer; ``lo``/``hi``: its interval."""
    if v is None or v == "":
        return f.get("missing") or t(lang, "no_data")
    if labels and isinstance(v, str) and v in labels:
        return labels[v]
    if f["kind"] == "flag" or isinstance(v, bool):
        return t(lang, "yes" if v else "no")
    if isinstance(v, (int, float)):
        return interval(v, lo, hi, f["dec"], lang, f["unit"]) if f.get("lo_col") else quantity(v, f["dec"], lang, f["unit"])
    return str(v)


def field_texts(f: dict, cols: dict, lang: str, labels: dict | None) -> list[str]:
    """The text of field ``f`` for every unit (a list field: its heading with the number of items)."""
    values = cols[f["key"]]
    if f["kind"] == "list":
        return [f"{f['label']} ({sum(1 for x in str('' if v is None else v).split(chr(10)) if x)})" for v in values]
    lo, hi = cols.get(f.get("lo_col"), [None] * len(values)), cols.get(f.get("hi_col"), [None] * len(values))
    return [value_text(f, v, lang, labels, a, b) for v, a, b in zip(values, lo, hi)]


def caveats(key: str, texts: list[str], layers: list[dict], cols: dict) -> tuple[list[str] | None, list | None]:
    """Tooltip texts of ``key`` with the caveat each unit carries on a layer of it ("12,4 % (hati-hati)"), and the
    line said under it ("4 dari 6 kelurahan melapor"); (None, None) when no layer of it marks any unit."""
    tips, extra, marked = list(texts), [None] * len(texts), False
    for s in layers:
        if s.get("field") != key or not s.get("mark_col"):
            continue
        marked = True
        for i, m in enumerate(cols[s["mark_col"]]):
            short = s["mark_short"].get(m) if m else None
            if short and short not in tips[i]:
                tips[i] += f" ({short})"
            if s.get("extra_col") and cols[s["extra_col"]][i]:
                extra[i] = cols[s["extra_col"]][i]
    return (tips, extra) if marked else (None, None)


def radius(v, vmax: float, max_radius: float) -> float | None:
    """A circle's radius in pixels: area proportional to the value; none for a missing or non-positive value."""
    x = value_of(v)
    if x is None or x <= 0 or vmax <= 0:
        return None
    return max_radius * math.sqrt(x / vmax)


def _weight(s: dict) -> dict:
    """An outline's own line width, which its legend swatch takes (the runtime draws both from it)."""
    return {"weight": s["weight"]} if s.get("weight") else {}


def legend(s: dict, fields: dict, cols: dict, lang: str, items: list[dict] | None) -> dict | None:
    """The legend block of layer ``s``: title, items in order, note. ``items``: the plan's, for a classed layer."""
    kind, note = s["type"], s.get("note")
    if kind in ("choropleth", "categorical"):
        if kind == "choropleth" and s.get("target") is not None:
            note = (f"{note}. " if note else "") + _target(s, fields.get(s["field"]), cols, lang)
    elif kind == "outline":
        items = [{"kind": "line", "label": s["label"], "color": s["color"], "dash": s["dash"], **_weight(s)}]
    elif kind == "circles":
        f = fields.get(s["field"])
        items = [{"kind": "circle", "label": _figure(f, v, lang), "color": s["color"],
                  "size": round(2 * radius(v, s["max"], s["max_radius"]), 3)}  # a thousandth of a pixel: the sizes compare
                 for v in s["refs"]]
        note = note or t(lang, "circle_note")
    elif kind == "kecamatan":
        items = [{"kind": "line", "label": s["label"], "color": s["color"], "dash": False}]
    elif kind == "points":
        items = [{"kind": "circle", "label": s["label"], "color": s["color"], "size": 12}]
    else:
        return None
    return {"title": s["name"], "items": items, "note": note or None}


def _figure(f: dict | None, v, lang: str) -> str:
    if f is None:
        return number(v, 0 if float(v).is_integer() else 2, lang, trim=True)
    return quantity(v, f["dec"], lang, f["unit"])


def _target(s: dict, f: dict | None, cols: dict, lang: str) -> str:
    """"Target 14,0 %: 23 wilayah pada atau di atas target."""
    above = sum(1 for v in cols[s["field"]] if value_of(v) is not None and value_of(v) >= s["target"])
    return t(lang, "target", value=_figure(f, s["target"], lang), n=above)
