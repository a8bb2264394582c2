"""The page of one office (issue 23): its factor layers (one shown at a time), its reach and the lokus outlined, and,
folded in the title box, its activities (what, where, pagu) and the lokus none of them reaches. Drawn from
``plan.offices.Office`` as planned; nothing is decided here."""

from __future__ import annotations

import math

import pandas as pd

from serang_gis.core.numbers import rupiah
from serang_gis.core.text import ListOf, short_sources, source_text, t
from serang_gis.plan.layers import Units, info_of
from serang_gis.plan.offices import factor_name
from serang_gis.render.leaflet.indicator import _interval
from serang_gis.render.leaflet.spec import MapSpec


def office_spec(u: Units, office, lang: str = "id") -> MapSpec:
    kel = u.kelurahan
    sources = sorted({x for layer in office.factor_layers for x in (layer.source or "").split("; ") if x})
    spec = MapSpec(kel, "kode_kel", "kelurahan", "kecamatan", lang=lang, title=t(lang, "opd.title", name=office.name),
                   subtitle=t(lang, "opd.subtitle", name=office.name) + (f" · {t(lang, 'opd.sources', files=short_sources(lang, sources))}"
                                                                          if sources else ""),
                   sources=[source_text(lang, x) for x in sources], clean=False, unit_name=t(lang, "kelurahan"))
    why = dict(office.period_why)
    for layer in office.factor_layers:
        col, _, era = layer.column.partition("__")  # a period's column: its own period and source
        info = info_of(col, kel)
        spec.field(layer.column, pd.to_numeric(kel[layer.column], errors="coerce"), layer.title, unit=layer.unit, dec=info.dec,
                   period=kel.get(f"periode_{info.group}") if info.group and not era else None,  # a period's title names it
                   tooltip=True,
                   interval=_interval(kel, layer.column))
        drawn = spec.add(layer)
        drawn["title"] = f"{office.name}: {layer.title}"  # the heading keeps the office's name whichever factor is chosen
        if layer.column in why and drawn.get("subtitle"):  # "periode 2023 (periode lengkap terakhir; 2024 ...)": why not the later
            drawn["subtitle"] += why[layer.column]
    if not office.factor_layers:
        spec.base(t(lang, "boundaries"), t(lang, "kelurahan"))
    for layer in office.layers:
        if layer.kind == "outline":
            on = pd.Series(layer.index >= 0)
            if layer.id == "opd_jangkauan":  # "ya: <the activities that reach it>", not a bare "ya"
                spec.field(f"_f_{layer.id}", _reached_by(office, kel, lang), layer.title, tooltip=True)
            else:
                spec.field(f"_f_{layer.id}", on, layer.title, kind="flag", tooltip=True)
            spec.add(layer)
    spec.kecamatan(t(lang, "kec_outline"))
    spec.panels = _panels(office, lang)
    return spec


def _reached_by(office, kel, lang: str, most: int = 3) -> list[str]:
    """Per kelurahan: "ya: PMT balita gizi kurang; Kelas ibu hamil" (the office's activities that reach it, the first
    ``most`` then "dan N lainnya"), else "tidak"."""
    by_kel: dict[str, list[str]] = {}
    for a in office.activities:
        for c in a.kelurahan:
            by_kel.setdefault(c, []).append(a.name)
    out = []
    for c in kel["kode_kel"]:
        names = list(dict.fromkeys(by_kel.get(c, [])))
        out.append(f"{t(lang, 'yes')}: {ListOf(names[:most], len(names) - most).text(lang)}" if names else t(lang, "no"))
    return out


def _pagu(v: float, lang: str) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else rupiah(v, lang)


def _panels(office, lang: str) -> list[tuple[str, list[str]]]:
    out = []
    if office.factors:  # each factor with its role, its layers and the rates that have no data
        out.append((t(lang, "opd.h_factors", factors=", ".join(factor_name(f, lang) for f in office.factors)),
                    list(office.factor_lines) or [layer.title for layer in office.factor_layers] or list(office.missing)))
    if office.activities:
        total = sum(a.pagu for a in office.activities if not math.isnan(a.pagu))
        out.append((t(lang, "opd.h_activities", n=len(office.activities), pagu=_pagu(total, lang)),
                    [t(lang, "opd.activity", name=a.name, where=a.where, pagu=_pagu(a.pagu, lang), row=a.row) for a in office.activities]))
    elif office.missing:
        out.append((t(lang, "opd.h_missing"), list(office.missing)))
    lokus = next((x for x in office.layers if x.id == "lokus"), None)
    total_lokus = int((lokus.index >= 0).sum()) if lokus is not None else 0
    if total_lokus and office.has_matrix:
        out.append((t(lang, "opd.h_unreached", n=len(office.unreached), total=total_lokus),
                    list(office.unreached_lines or office.unreached)))
    if office.hot:
        out.append((t(lang, "opd.h_hot", n=len(office.hot)), list(office.hot)))
    return out
