"""One indicator on a map: a choropleth for a rate, proportional circles for a count.

Context layers come from whatever the joined layer carries: lokus lists (``lokus_*`` columns or
files given by the user), ODF status, kecamatan outlines, puskesmas points.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from serang_gis.core.indicators import INFO
from serang_gis.plan.layers import LayerPlan, MapPlan, has_draws, indicator_plan, info_of, lokus_strength, units_name
from serang_gis.core.text import comparison_text, odf_label, short_sources, source_text, stored_text, t
from serang_gis.render.leaflet.spec import MapSpec, source_line

RANK_FIELDS = (("prioritas", 0), ("peringkat", 0), ("penjelasan", 0), ("peluang_top_n", 0), ("galat_mc", 3), ("status_lokus", 0),
               ("banding_lokus", 0), ("peringatan_data", 0), ("periode_sebagian", 0),
               ("bobot_dipindah", 0), ("di_batas", 0))  # the ranking's columns in the profile (rank.<column> in the text catalogue), decimals

def indicator_spec(kel: gpd.GeoDataFrame, indicator: str, *, scheme: str | None = None, k: int = 5, bins=None,
                   target: float | None = None, lokus: dict[str, pd.Series] | None = None, puskesmas: pd.DataFrame | None = None,
                   lang: str = "id", title: str | None = None, subtitle: str | None = None) -> MapSpec:
    """The Leaflet map of one indicator: the map plan decides, this renders."""
    p = indicator_plan(kel, indicator, scheme=scheme, k=k, bins=bins, target=target, lokus=lokus, lang=lang)
    return plan_spec(p, puskesmas=puskesmas, title=title, subtitle=subtitle)


def plan_spec(p: MapPlan, *, puskesmas: pd.DataFrame | None = None, title: str | None = None, subtitle: str | None = None,
              layers: list[LayerPlan] | None = None) -> MapSpec:
    """Render a map plan (its main layer, or the given ``layers`` such as the periods of one indicator) as a MapSpec."""
    kel, lang, col = p.units.kelurahan, p.lang, p.column
    info = info_of(col, kel)
    label = info.label(lang)
    src_series = kel.get(f"sumber_{info.group}") if info.group else None
    per_series = kel.get(f"periode_{info.group}") if info.group else None
    periods = sorted(set(per_series.dropna()) - {""}) if per_series is not None else []
    # the title box names each source by its short name; the full list, linked, folds out below it
    auto_subtitle = source_line(lang, short_sources(lang, p.sources) or "-", ", ".join(map(str, periods)))
    spec = MapSpec(kel, "kode_kel", "kelurahan", "kecamatan", lang=lang, title=title or p.title,
                   subtitle=subtitle if subtitle is not None else auto_subtitle, sources=[source_text(lang, x) for x in p.sources], clean=False,
                   unit_name=t(lang, "kelurahan"))
    values = pd.to_numeric(kel[col], errors="coerce") if info.kind in ("rate", "count") else kel[col]
    if col == "status_odf":
        values = values.map(lambda v: odf_label(lang, v))
    elif info.kind == "category":  # words stored in Indonesian ("Prioritas 3", "cukup"), read in the page's language
        values = values.map(lambda v: stored_text(lang, v))
    eras = _eras(kel, layers)
    spec.field(col, values, label, unit="%" if info.unit == "%" else p.main.unit, dec=info.dec, kind="value",
               source=src_series, period=per_series, tooltip=layers is None, interval=_interval(kel, col),
               missing=_missing(col, lang), profile=not _by_period(kel, col, eras), same=SAME_COUNT.get(col))
    for layer in layers or [p.main]:
        if layer.column not in spec.cols:
            era = _era_of(layer.column, eras)  # a period's layer: its field names its source and period as the others do
            src, per = (kel.get(f"sumber_{info.group}__{era}"), kel.get(f"periode_{info.group}__{era}")) if era and info.group else (None, None)
            spec.field(layer.column, kel[layer.column], layer.title, unit=layer.unit, dec=1 if layer.unit == t(lang, "unit.poin") else info.dec,
                       interval=_interval(kel, layer.column), era=era, source=src, period=per)
        if layer.kind == "circles":
            spec.base(t(lang, "boundaries"), t(lang, units_name(kel)))
        spec.add(layer)
    _profile_fields(spec, kel, col, lang, eras)
    for layer in p.context:
        if layer.kind == "categorical" and layer.column not in spec.cols:
            vals = kel[layer.column]
            if layer.column == "status_odf":
                vals = vals.map(lambda v: odf_label(lang, v))
            spec.field(layer.column, vals, layer.title, kind="category", profile=False)
        if layer.kind == "outline":
            spec.field(layer.column, pd.Series(layer.index >= 0), layer.title, kind="flag", tooltip=True)
        spec.add(layer)
    spec.kecamatan(t(lang, "kec_outline"))
    if puskesmas is not None and len(puskesmas):
        spec.points(puskesmas, t(lang, "puskesmas"), t(lang, "puskesmas"))
    return spec


def _interval(frame, column: str):
    """The Wilson interval columns of a rate (``<rate>_ci_bawah/_ci_atas``, per period too), when the layer has them."""
    base, _, period = column.partition("__")
    lo, hi = f"{base}_ci_bawah" + (f"__{period}" if period else ""), f"{base}_ci_atas" + (f"__{period}" if period else "")
    return (frame[lo], frame[hi]) if lo in frame.columns and hi in frame.columns else None


SAME_COUNT = {"balita_stunting": "stunted", "stunting": "stunted", "stunting_dilaporkan": "stunted"}  # one count, several sources


def _eras(kel, layers) -> list[str]:
    """The periods a page's layers show one each ("prevalensi_stunting__2021", "__2023"; not a change "__2021_2023")."""
    out = []
    for layer in layers or []:
        era = layer.column.partition("__")[2]
        if layer.group and era and "_" not in era and era not in out:
            out.append(era)
    return out


def _era_of(column: str, eras: list[str]) -> str | None:
    era = column.partition("__")[2]
    return era if era in eras else None


def _by_period(kel, col: str, eras: list[str]) -> bool:
    """A column the page shows per period (its latest-value column would repeat one of them)."""
    return bool(eras) and any(f"{col}__{e}" in kel.columns for e in eras)


def _profile_fields(spec: MapSpec, kel, main: str, lang: str, eras: list[str] = ()) -> None:
    """Every other known indicator, with its source and period, in the click profile; on a page of periods, every
    column the data has per period once per period ("Balita stunting 2021"), which the profile orders by the chosen one."""
    later = {}  # a column all of one of the page's periods: after that period's columns
    for col, info in INFO.items():
        if col == main or col not in kel.columns or kel[col].isna().all() or _by_period(kel, col, eras):
            continue
        vals, src, per = _values(kel, col, info, None)
        if info.kind == "category":  # stored words read in the page's language
            vals = vals.map(lambda v: stored_text(lang, v))
        kw = dict(unit=info.unit, dec=info.dec, source=src, period=per, interval=_interval(kel, col), missing=_missing(col, lang),
                  same=SAME_COUNT.get(col), era=_one_era(per, eras))
        if per is None and col in RANKED:  # prioritas, skor: of the periods the rank was made of
            kw["period"] = kel.attrs.get("periode_peringkat")
        if kw["era"]:
            later.setdefault(kw["era"], []).append((col, vals, info.label(lang), kw))
        else:
            spec.field(col, vals, info.label(lang), **kw)
    for era in eras:
        for col, info in INFO.items():
            key = f"{col}__{era}"
            if key in spec.cols or key not in kel.columns or kel[key].isna().all():
                continue
            vals, src, per = _values(kel, col, info, era)
            if info.kind == "category":
                vals = vals.map(lambda v: stored_text(lang, v))
            spec.field(key, vals, f"{info.label(lang)} {era}", unit=info.unit, dec=info.dec, source=src, period=per,
                       interval=_interval(kel, key), missing=_missing(col, lang), era=era, same=SAME_COUNT.get(col))
        for col, vals, label, kw in later.get(era, []):
            spec.field(col, vals, label, **kw)
    _rank_fields(spec, kel, main, lang)


def _one_era(periods, eras: list[str]) -> str | None:
    """The page's period a column is of when all its values are of that one period (stunting_dilaporkan of 2023)."""
    if periods is None or not eras:
        return None
    found = {str(v) for v in periods.dropna()} - {""}
    return found.pop() if len(found) == 1 and next(iter(found)) in eras else None


def _values(kel, col: str, info, era: str | None) -> tuple:
    """(values, sources, periods) of a column, of one period (``col__era``) or the latest."""
    tail = f"__{era}" if era else ""
    vals = kel[col + tail] if info.kind in ("category",) else pd.to_numeric(kel[col + tail], errors="coerce")
    own = info.group or col  # a column of no group may carry its own (sumber_stunting_dilaporkan, periode_...)
    return vals, kel.get(f"sumber_{own}{tail}"), kel.get(f"periode_{own}{tail}")


def _rank_fields(spec: MapSpec, kel, main: str, lang: str) -> None:
    """The ranking's columns (rank.<column> in the text catalogue), each with the period the rank was made of."""
    per = kel.attrs.get("periode_peringkat")
    for col, dec in RANK_FIELDS:
        label = t(lang, f"rank.{col}")
        if col in spec.cols:  # given by the indicator loop above (prioritas): one row, not two
            continue
        if col == "status_lokus" and has_draws(kel):  # strong / borderline / not a lokus by the data / needs data
            spec.field(col, lokus_strength(kel, lang), label, period=per)
        elif col in kel.columns and col != main and kel[col].notna().any():
            if col == "peluang_top_n":  # a probability reads as a percentage
                spec.field(col, pd.to_numeric(kel[col], errors="coerce") * 100, label, unit="%", dec=dec, missing=_missing(col, lang), period=per)
            elif dec == 0 and not pd.api.types.is_numeric_dtype(kel[col]):  # words stored in Indonesian, read in the page's language
                read = comparison_text if col == "banding_lokus" else stored_text
                spec.field(col, kel[col].map(lambda v: read(lang, v)), label, missing=_missing(col, lang), period=per)
            else:
                spec.field(col, kel[col], label, dec=dec, missing=_missing(col, lang), period=per)


RANKED = {"prioritas", "skor_prioritas", "peringkat", "peluang_top_n", "galat_mc"}  # empty: the kelurahan is not ranked
NOTES = {"status_lokus", "banding_lokus", "peringatan_data", "periode_sebagian", "bobot_dipindah", "di_batas"}  # empty: nothing to say


def _missing(col: str, lang: str) -> str | None:
    """What an empty value of a ranking column means: not ranked (not "no data"), or nothing to note."""
    return t(lang, "rank_unranked") if col in RANKED else ("–" if col in NOTES else None)


def boundaries_spec(kel: gpd.GeoDataFrame, lang: str = "id") -> MapSpec:
    """A map of the boundaries alone (a kab/kota with no data yet): kelurahan with their area, kecamatan outlines."""
    spec = MapSpec(kel, "kode_kel", "kelurahan", "kecamatan", lang=lang, title=f"{kel['kabkota'].iloc[0]}: {t(lang, 'boundaries')}",
                   subtitle=t(lang, "subtitle_boundaries", n=len(kel)), sources=["wilayah_boundaries (Cahya DSN, MIT)"])
    spec.field("luas_km2", kel["luas_km2"], t(lang, "area"), unit="km²", dec=2, tooltip=True)
    spec.base(t(lang, "boundaries"), t(lang, units_name(kel)))
    spec.kecamatan(t(lang, "kec_outline"))
    return spec
