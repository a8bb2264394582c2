"""The layers GIS staff load in QGIS, rendered from the map plan: the same polygons, classes and caveats as the maps.

- ``kelurahan``: the plan's coverage (identical to the HTML map's polygons) with every attribute,
  ``kelas_peta`` / ``tanda_peta`` (the class and caveat the plan decided; short names survive a
  Shapefile) and a rule style with the HTML legend's labels and colours;
- ``kecamatan``: dissolved from that coverage (edges coincide), counts summed, rates recomputed, how
  many kelurahan reported (``kelurahan_<group>`` of ``jumlah_kelurahan``), classed like the
  kelurahan, partial aggregates hatched, every name labelled;
- ``lokus_<list>``: one layer per lokus list, in that list's style;
- ``<count>_titik``: counts as points with proportional circles.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from serang_gis.core.errors import InputError
from serang_gis.render.styles import write_geojson_with_qml, write_styled_gpkg
from serang_gis.core.indicators import INFO, resolve
from serang_gis.core.text import TEXT, indicator_label, t, unit_word
from serang_gis.plan.layers import (BASE_COLOR, LayerPlan, MapPlan, Units, count_layer, indicator_plan, info_of, map_columns, rate_layer, units,
                                    period_refs, with_columns)
from serang_gis.render.styles import Style, outline_style, plan_style, points_style

COUNT_LAYERS = ("balita_stunting", "stunting_dilaporkan", "keluarga_berisiko")


@dataclass
class ExportResult:
    files: list[Path]
    styles: dict[str, Style]
    layers: dict[str, int]  # name -> feature count
    frames: dict = field(default_factory=dict)  # name -> the frame written


def main_indicator(kel: pd.DataFrame, indicator: str | None) -> str | None:
    if indicator:
        col = resolve(indicator, kel.columns)
        if col not in kel.columns:
            raise InputError(f"the layer has no indicator {indicator!r}")
        return col
    for col in ("prevalensi_stunting", "prioritas", "persen_keluarga_berisiko", "kesenjangan_sanitasi", "status_odf"):
        if col in kel.columns and kel[col].notna().any():
            return col
    return None


def aliases(frame: pd.DataFrame, lang: str = "id") -> dict[str, str]:
    """Field -> its name for people, with the unit (QGIS shows these in the attribute table and forms); a field
    of one period (``prevalensi_stunting__2023``) or a change (``__2023_2024``) is named as its indicator."""
    from serang_gis.core.indicators import derived_aliases
    from serang_gis.core.text import TEXT

    fixed = {k.removeprefix("alias."): v for k, v in TEXT[lang].items() if k.startswith("alias.") and "{" not in v}
    fixed = {k: v for k, v in fixed.items() if k not in ("sumber", "periode", "kelurahan", "sebagian")}  # prefixes, below
    fixed["kelurahan"] = fixed.pop("kelurahan_nama")
    fixed.update(derived_aliases(lang))  # intervals, smoothed rate, reliability
    out = {}
    for c in frame.columns:
        if c == "geometry":
            continue
        base, _, period = c.partition("__")
        name = _alias(base, fixed, lang)
        if name and period:
            a, _, b = period.partition("_")
            name = t(lang, "alias.change", label=name, a=a, b=b) if b else t(lang, "alias.per_period", label=name, period=period)
        if name:
            out[c] = name
    if "kode_kel" in frame.columns and "kode_kel_10" not in frame.columns:  # added beside it when written (output._typed)
        out["kode_kel_10"] = fixed["kode_kel_10"]
    return out


def _alias(c: str, fixed: dict, lang: str) -> str | None:
    from serang_gis.core.text import TEXT

    if c in fixed:
        return fixed[c]
    if c in INFO:
        label, unit = INFO[c].label(lang), unit_word(lang, INFO[c].unit)
        if unit and label.endswith(")"):
            return f"{label[:-1]}, {unit})"  # "Keluarga berisiko stunting (jumlah, keluarga)"
        return label + (f" ({unit})" if unit else "")
    m = re.fullmatch(r"(jumlah_lokus|puskesmas_lokus|lokus|kontribusi_prevalensi)_(\d{4}(?:_\d{2})?)(_persen)?", c)
    if m:  # a lokus list's year, or a kecamatan's share of one period
        return t(lang, f"alias.{'lokus_year' if m[1] == 'lokus' else m[1]}", year=m[2].replace("_", "-"))
    m = re.fullmatch(r"(.+)_(\d{4}(?:_\d{2})?)", c)
    if m and _alias(m[1], fixed, lang):  # a count of one period, as a map layer names it: balita_stunting_2024_02
        return t(lang, "alias.per_period", label=_alias(m[1], fixed, lang), period=m[2].replace("_", "-"))
    head, _, rest = c.partition("_")
    if head in ("nilai", "kontribusi", "lampu") and rest in INFO:
        return t(lang, f"alias.{head}", label=INFO[rest].label(lang))
    if c.startswith("paket_"):
        key = c.removeprefix("paket_")
        return t(lang, "alias.paket", name=TEXT[lang].get(f"paket.{key}", key))
    if c.startswith(("sumber_", "periode_", "kelurahan_", "sebagian_")):
        head, group = c.split("_", 1)  # the data group as the index names it: "Sumber: gizi", "Source: nutrition"
        return f"{t(lang, f'alias.{head}')}: {_what(group, lang)}"
    return None


def _what(rest: str, lang: str) -> str:
    """What a ``sumber_`` / ``periode_`` column is of, in words: its data group ("gizi"), else its indicator's name
    ("Balita stunting dilaporkan", "Status ODF"), a count of one period as such ("Balita stunting, periode 2021"); never
    the raw column name where the catalogue names it (GIS walk qgis11, LOW 5: "Sumber: odf")."""
    from serang_gis.core.text import TEXT

    if f"group.{rest}" in TEXT[lang]:
        return t(lang, f"group.{rest}")
    for key in (rest, f"status_{rest}"):  # sumber_odf: the ODF status's
        if key in INFO or f"ind.{key}" in TEXT[lang]:
            return indicator_label(lang, key)
    m = re.fullmatch(r"(.+?)_(\d{4}(?:_\d\d)?)", rest)  # sumber_balita_stunting_2021 (a kecamatan's snapshot)
    if m and (m[1] in INFO or f"ind.{m[1]}" in TEXT[lang]):
        return t(lang, "alias.per_period", label=indicator_label(lang, m[1]), period=m[2].replace("_", "-"))
    return rest


def _points(frame: gpd.GeoDataFrame, col: str, extra: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """A point per unit with a value of ``col``; ``extra``: further columns kept after it (its period and source)."""
    from serang_gis.core.geometry import label_points

    keep = [c for c in ("kode_kel", "kelurahan", "kode_kec", "kecamatan", col, *extra) if c in frame.columns]
    pts = gpd.GeoDataFrame(frame[keep].copy(), geometry=label_points(frame).values, crs=4326)
    return pts[pd.to_numeric(pts[col], errors="coerce").notna()].reset_index(drop=True)


def plan_layers(plan: MapPlan | None, u: Units, *, lang: str = "id", kecamatan_extra: pd.DataFrame | None = None) -> dict:
    """name -> (frame, style): the layers every export writes."""
    kel = u.kelurahan.copy()
    kec = with_columns(u.kecamatan.copy(), kecamatan_extra)
    layers = {}
    if plan is not None and plan.main.kind in ("choropleth", "categorical"):
        for c, v in map_columns(plan.main).items():
            kel[c] = pd.array(v, dtype="Int64" if c == "kelas_peta" else "string")
        style = plan_style(plan.main, aliases=aliases(kel, lang))
        layers["kelurahan"] = (kel, dataclasses.replace(style, description=describe(plan.main, lang)))
    else:
        base = outline_style(t(lang, "boundaries"), "#636363", 0.3, aliases=aliases(kel, lang))  # the HTML's plain kelurahan
        layers["kelurahan"] = (kel, dataclasses.replace(base, rules=(dataclasses.replace(base.rules[0], fill=BASE_COLOR),)))
    kec_style = None
    if plan is not None and plan.main.kind == "choropleth" and plan.column in kec.columns:
        kplan = rate_layer(kec, plan.column, plan.main.classes, lang=lang, title=plan.main.title)
        for c, v in map_columns(kplan).items():
            kec[c] = pd.array(v, dtype="Int64" if c == "kelas_peta" else "string")
        kec_style = plan_style(kplan, name=f"{plan.main.title} ({'kecamatan'})", aliases=aliases(kec, lang), label_field="kecamatan")
        kec_style = dataclasses.replace(kec_style, description=describe(kplan, lang))
    layers["kecamatan"] = (kec, kec_style or outline_style("Kecamatan", "#4d4d4d", 0.8, label_field="kecamatan", aliases=aliases(kec, lang)))
    for lk in (plan.lokus if plan is not None else []):
        on = lk.index >= 0
        frame = kel.loc[on, [c for c in ("kode_kel", "kelurahan", "kode_kec", "kecamatan", f"dasar_{lk.id}", "geometry") if c in kel.columns]]
        layers[lk.id] = (frame.assign(daftar_lokus=lk.id.removeprefix("lokus_")).reset_index(drop=True),
                         dataclasses.replace(outline_style(lk.title, lk.color, 0.9, lk.dash, aliases=aliases(frame, lang)),
                                             description=describe(lk, lang)))  # its source: the paper's 19, the decree's 18
    for col in COUNT_LAYERS:
        layers.update(count_points(kel, col, lang))
    return layers


def _with_kabkota(layers: dict, u: Units, lang: str) -> dict:
    """``layers`` with ``kabkota`` after ``kecamatan``: the kab/kota outline, the plan's dissolve of the kelurahan
    (``Units.kabkota``), as the kecamatan are (GIS walk 25 item 11: the GeoPackage and project had none)."""
    kel = u.kelurahan
    if "kode_kab" not in kel.columns or not len(kel):
        return layers
    cols = [c for c in ("kode_kab", "kabkota") if c in u.kabkota.columns]
    frame = u.kabkota[[*cols, "geometry"]].reset_index(drop=True)
    out = {}
    for name, value in layers.items():
        out[name] = value
        if name == "kecamatan":
            out["kabkota"] = (frame, outline_style(t(lang, "qgis.kab_outline"), "#000000", 1.2, aliases=aliases(frame, lang)))
    return out


def count_points(kel: gpd.GeoDataFrame, col: str, lang: str = "id") -> dict:
    """``<col>_titik`` (the latest count) and ``<col>_titik_<period>`` for every period of it the layer holds
    (``balita_stunting__2021``), all on one circle scale (the largest count of any period), so periods compare."""
    cols = [c for c in kel.columns if c == col or (c.startswith(f"{col}__") and "_" not in c.removeprefix(f"{col}__"))]
    cols = [c for c in cols if pd.to_numeric(kel[c], errors="coerce").notna().any()]
    if col not in cols:
        return {}
    vmax = max(float(pd.to_numeric(kel[c], errors="coerce").max()) for c in cols)
    info = info_of(col, kel)
    color = "#b2182b" if col != "keluarga_berisiko" else "#4393c3"
    out = {}
    own = info.group or col  # the period and source columns as the kelurahan layer names them (sumber_gizi__2021,
    # periode_stunting_dilaporkan): each point says of which period and from which source its count is (the reported
    # cases mix periods and news reports, GIS walk qgis11 M1)
    for c in cols:
        period = c.partition("__")[2]
        tail = f"__{period}" if period else ""
        pts = _points(kel, c, (f"periode_{own}{tail}", f"sumber_{own}{tail}"))
        label = info.label(lang)  # "... (jumlah)" gets ", titik)", not a second pair of parentheses
        name = t(lang, "points_of_paren", label=label[:-1]) if label.endswith(")") else t(lang, "points_of", label=label)
        if period:
            name = t(lang, "alias.per_period", label=name, period=period)
        style = points_style(name, c, vmax, color, "#67001f", aliases=aliases(pts, lang), unit=info.unit, lang=lang)
        said = count_layer(pts if not period else kel, col, lang=lang, title=style.name)  # the points' sources and periods
        if said.period:  # "2023, 2024-06, 2024-07", as the build summary and the project's titles list periods
            said = dataclasses.replace(said, period=said.period.replace("; ", ", "))
        if period:  # that period's source (sumber_gizi__2021)
            src = pts.get(f"sumber_{own}{tail}", pd.Series(dtype=object)).dropna().astype(str)
            said = dataclasses.replace(said, period=period, source="; ".join(sorted(set(src))) or None)
        out[f"{col}_titik" + (f"_{period}" if period else "")] = (pts, dataclasses.replace(style, description=describe(said, lang)))
    return out


KEEP = ("kode_kel", "kelurahan", "kode_kec", "kecamatan", "kode_kab", "kabkota")


def _count_unit(column: str) -> str:
    """The unit of a count column of a map (``balita_stunting_2024_02`` -> "balita"), as the HTML legend names it."""
    base = re.sub(r"(?:__|_)\d{4}(?:_\d\d)?(?:_\d{4}(?:_\d\d)?)?$", "", column)
    return info_of(base).unit


def map_layers(maps: list, lang: str = "id") -> dict:
    """name -> (frame, style): a layer per map of the HTML pages (``plan.atlas.ExportLayer``: name, layer, frame), each
    with its own default style, whose description names the indicator, the period and the source."""
    out = {}
    for m in maps:
        layer = m.layer
        if layer.kind == "circles":
            pts = _points(m.frame, layer.column)
            vmax = float(layer.max_value or pd.to_numeric(pts[layer.column]).max())
            style = points_style(layer.title, layer.column, vmax, layer.color, layer.stroke, aliases=aliases(pts, lang),
                                 unit=layer.unit or _count_unit(layer.column), lang=lang,
                                 refs=period_refs(pts[layer.column]) if layer.group else None)  # a period of a shared scale
            out[f"peta_{m.name}"] = (pts, dataclasses.replace(style, description=describe(layer, lang)))
            continue
        if layer.kind not in ("choropleth", "categorical") and not (layer.kind == "outline" and layer.categories):
            continue
        cols = [c for c in (*KEEP, layer.column) if c in m.frame.columns]
        frame = gpd.GeoDataFrame(m.frame[cols].reset_index(drop=True), geometry=m.frame.geometry.values, crs=4326)
        if layer.kind == "outline":  # its class by name beside kelas_peta ("dijangkau" / "tidak_dijangkau")
            frame[layer.column] = pd.array([layer.categories[k][0] if k >= 0 else None for k in layer.index], dtype="string")
        for c, v in map_columns(layer).items():
            frame[c] = pd.array(v, dtype="Int64" if c == "kelas_peta" else "string")
        style = plan_style(layer, aliases=aliases(frame, lang), label_field="kecamatan" if "kode_kel" not in frame.columns else None)
        out[f"peta_{m.name}"] = (frame, dataclasses.replace(style, description=describe(layer, lang)))
    return out


def describe(layer: LayerPlan, lang: str = "id") -> str:
    """'Prevalensi stunting 2023 (67 dari 67 kelurahan) · periode 2023 · sumber eppgbm_2023.csv · kelas kuantil ·
    Batas wilayah: ... lisensi MIT ...': indicator, period, source, scheme, the boundaries' licence."""
    parts = [layer.title]
    if layer.period:
        parts.append(f"{t(lang, 'period')} {layer.period}")
    if layer.source:
        parts.append(f"{t(lang, 'source')} {layer.source}")
    scheme = getattr(getattr(layer, "classes", None), "scheme", None)
    if scheme:
        parts.append(t(lang, "alias.scheme", scheme=t(lang, f"scheme.{scheme}") if f"scheme.{scheme}" in TEXT[lang] else scheme))
    parts.append(t(lang, "attribution"))  # the boundaries' source and licence
    return " · ".join(parts)


def export_layers(kel: gpd.GeoDataFrame, out_dir, *, name: str = "serang_gis", indicator: str | None = None, scheme=None, k=5,
                  bins=None, lang="id", formats=("gpkg", "geojson"), overwrite=True, plan: MapPlan | None = None,
                  kecamatan_extra: pd.DataFrame | None = None, maps: list = (), title: str | None = None, groups=(),
                  unit_layer=None) -> ExportResult:
    """Write the styled layers of ``plan`` (or of the plan of ``indicator`` over ``kel``). ``unit_layer``: the
    ``plan.layers.Units`` of ``kel`` when the caller has them (an atlas plan), else they are made here."""
    out_dir = Path(out_dir)
    if plan is None:
        col = main_indicator(kel, indicator)
        if col is not None and col != "prioritas" and col != "status_odf" and info_of(col, kel).kind != "rate":
            raise InputError(f"{col} is not a rate: the QGIS style classes rates only", hint="choose e.g. --indicator prevalensi")
        plan = indicator_plan(kel, col, scheme=scheme, k=k, bins=bins, lang=lang) if col else None
    u = plan.units if plan is not None else (unit_layer if unit_layer is not None else units(kel))
    layers = plan_layers(plan, u, lang=lang, kecamatan_extra=kecamatan_extra)
    layers.update(map_layers(list(maps), lang))
    files = []
    if "gpkg" in formats:
        from serang_gis.render.qgis_project import write_project

        layers = _with_kabkota(layers, u, lang)  # the GeoPackage and project only: the other formats keep their files
        files.append(write_styled_gpkg(out_dir / f"{name}.gpkg", layers, overwrite=overwrite))
        # the QGIS project over it: every layer grouped and styled, a print layout per map, an atlas over kecamatan
        files.append(write_project(out_dir / f"{name}.qgz", files[-1], layers, maps=maps, lang=lang,
                                   main=plan.column if plan is not None else None, overwrite=overwrite, title=title,
                                   groups=groups))
    if "geojson" in formats:
        for lname, (frame, style) in layers.items():
            files.extend(write_geojson_with_qml(out_dir / f"{name}_{lname}.geojson", frame, style, overwrite=overwrite))
    if "shp" in formats:  # names of at most 10 characters, the style and aliases for them, long texts beside
        from serang_gis.render.shapefile import write_shapefile_with_qml

        for lname, (frame, style) in layers.items():
            files.extend(write_shapefile_with_qml(out_dir / f"{name}_{lname}.shp", frame, style, overwrite=overwrite, lang=lang))
    return ExportResult(files, {n: s for n, (_, s) in layers.items()}, {n: len(f) for n, (f, _) in layers.items()},
                        {n: f for n, (f, _) in layers.items()})


__all__ = ["ExportResult", "LayerPlan", "aliases", "count_points", "export_layers", "main_indicator", "map_layers", "plan_layers"]
