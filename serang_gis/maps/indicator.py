"""One indicator on a map: a choropleth for a rate, proportional circles for a count.

Context layers come from whatever the joined layer carries: lokus lists (``lokus_*`` columns or
files given by the user), ODF status, kecamatan outlines, puskesmas points.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd

from ..classify import classify
from ..errors import InputError
from ..indicators import INFO, Info, resolve
from .spec import MapSpec
from .text import ODF_CLASSES, odf_categories, t

TIERS = [("Prioritas 1", "#d7301f"), ("Prioritas 2", "#fc8d59"), ("Prioritas 3", "#fdcc8a")]
LOKUS_STYLE = ["#7b3294", "#000000", "#e66101", "#1b7837"]  # purple, black (dashed), orange, green


def indicator_spec(kel: gpd.GeoDataFrame, indicator: str, *, scheme: str | None = None, k: int = 5, bins=None,
                   target: float | None = None, lokus: dict[str, pd.Series] | None = None, puskesmas: pd.DataFrame | None = None,
                   lang: str = "id", title: str | None = None, subtitle: str | None = None) -> MapSpec:
    col = resolve(indicator, kel.columns)
    if col not in kel.columns:
        known = [c for c in kel.columns if c in INFO]
        raise InputError(f"the layer has no indicator {indicator!r}", hint=f"indicators in this layer: {', '.join(known) or 'none'}")
    info = INFO.get(col) or Info(col, col, "", 2, "rate" if pd.api.types.is_float_dtype(kel[col]) else "count")
    label = info.label(lang)
    values = pd.to_numeric(kel[col], errors="coerce") if info.kind in ("rate", "count") else kel[col]
    sources, src_series, per_series = [], None, None
    if info.group and f"sumber_{info.group}" in kel.columns:
        src_series, per_series = kel[f"sumber_{info.group}"], kel.get(f"periode_{info.group}")
        sources = sorted(set(src_series.dropna()))
    periods = sorted(set(per_series.dropna()) - {""}) if per_series is not None else []
    auto_subtitle = (f"{'Sumber' if lang == 'id' else 'Source'}: {', '.join(sources) or '-'}"
                + (f"; {'periode' if lang == 'id' else 'period'} {', '.join(map(str, periods))}" if periods else ""))
    spec = MapSpec(kel, "kode_kel", "kelurahan", "kecamatan", lang=lang, title=title or f"{label} – {kel['kabkota'].iloc[0]}",
                   subtitle=subtitle if subtitle is not None else auto_subtitle, sources=sources)
    spec.field(col, values, label, unit="%" if info.unit == "%" else info.unit, dec=info.dec, kind="value",
               source=src_series, period=per_series, tooltip=True)
    unstable = None
    if "tidak_stabil" in kel.columns and info.group == "gizi" and (kel["tidak_stabil"].astype(float).fillna(0) > 0).any():
        spec.field("tidak_stabil", kel["tidak_stabil"], t(lang, "unstable"), kind="flag", profile=False)
        unstable = "tidak_stabil"
    _profile_fields(spec, kel, col, lang)
    if info.kind == "rate":
        cls = classify(values, scheme or info.scheme, k=k, bins=bins, palette=info.palette, unit="%" if info.unit == "%" else "", lang=lang)
        note = ("WHO-UNICEF 2018" if cls.scheme == "who" else None)
        spec.choropleth(col, cls, label, unstable=unstable, target=target, note=note)
    elif info.kind == "count":
        if scheme and scheme != "quantiles":
            raise InputError(f"{col} is a count: it is drawn as proportional circles, not classed",
                             hint="map a rate (e.g. prevalensi) for a choropleth")
        spec.base(t(lang, "boundaries"), t(lang, "kelurahan"))
        spec.circles(col, label)
    elif col == "prioritas":
        spec.categorical(col, [(k_, c, k_ if lang == "id" else k_.replace("Prioritas", "Priority")) for k_, c in TIERS], label)
    elif col == "status_odf":
        present = set(kel[col].dropna())
        spec.categorical(col, odf_categories(present, lang) + [(c, "#fee08b", c) for c in sorted(present - set(ODF_CLASSES))], label)
    else:
        raise InputError(f"{col} cannot be mapped (it is neither a rate, a count nor the ODF status)")
    if "status_odf" in kel.columns and col != "status_odf":
        spec.categorical("status_odf", odf_categories(set(kel["status_odf"].dropna()), lang),
                        INFO["status_odf"].label(lang), show=False)
    lists = dict(lokus or {})
    for c in kel.columns:
        m = re.fullmatch(r"lokus_(\w+)", c)
        if m and m.group(1) not in lists:
            lists[m.group(1)] = kel[c]
    for i, (name, flags) in enumerate(lists.items()):
        key = f"lokus_{name}"
        if key not in spec.cols:
            spec.field(key, flags.fillna(False).astype(bool), f"Lokus {name}", kind="flag", tooltip=True)
        spec.outline(key, t(lang, "lokus", year=name), t(lang, "lokus_item", year=name), color=LOKUS_STYLE[i % 4], dash=i % 4 == 1)
    spec.kecamatan(t(lang, "kec_outline"))
    if puskesmas is not None and len(puskesmas):
        spec.points(puskesmas, t(lang, "puskesmas"), t(lang, "puskesmas"))
    return spec


def _profile_fields(spec: MapSpec, kel, main: str, lang: str) -> None:
    """Every other known indicator, with its source and period, in the click profile."""
    for col, info in INFO.items():
        if col == main or col not in kel.columns or kel[col].isna().all():
            continue
        src = kel.get(f"sumber_{info.group}") if info.group else None
        per = kel.get(f"periode_{info.group}") if info.group else None
        vals = kel[col] if info.kind in ("category",) else pd.to_numeric(kel[col], errors="coerce")
        spec.field(col, vals, info.label(lang), unit=info.unit, dec=info.dec, source=src, period=per)
    en = lang == "en"
    for col, label, dec in (("prioritas", "Tier" if en else "Prioritas", 0), ("peringkat", "Rank" if en else "Peringkat", 0),
                            ("penjelasan", "Why (share of the score)" if en else "Kontribusi indikator", 0),
                            ("peluang_top_n", "Chance of top tier" if en else "Peluang masuk Prioritas 1", 0),
                            ("banding_lokus", "Against the lokus list" if en else "Dibanding daftar lokus", 0)):
        if col in kel.columns and col != main:
            if col == "peluang_top_n":  # a probability reads as a percentage
                spec.field(col, pd.to_numeric(kel[col], errors="coerce") * 100, label, unit="%", dec=dec)
            else:
                spec.field(col, kel[col], label, dec=dec)


def boundaries_spec(kel: gpd.GeoDataFrame, lang: str = "id") -> MapSpec:
    """A map of the boundaries alone (a kab/kota with no data yet): kelurahan with their area, kecamatan outlines."""
    spec = MapSpec(kel, "kode_kel", "kelurahan", "kecamatan", lang=lang, title=f"{kel['kabkota'].iloc[0]}: {t(lang, 'boundaries')}",
                   subtitle=f"{len(kel)} kelurahan/desa", sources=["wilayah_boundaries (Cahya DSN, MIT)"])
    spec.field("luas_km2", kel["luas_km2"], "Luas", unit="km²", dec=2, tooltip=True)
    spec.base(t(lang, "boundaries"), t(lang, "kelurahan"))
    spec.kecamatan(t(lang, "kec_outline"))
    return spec
