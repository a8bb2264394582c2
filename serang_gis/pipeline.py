"""The main job for one kab/kota: boundaries + figures -> maps, static maps, layers, tables, index.html.

Two sources of figures: Kota Serang's embedded figures (the default atlas, no config needed), or
the ``[[data]]`` tables of an atlas config, joined per period. Both end in the same products.
Every file is written atomically; the same inputs give the same bytes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from serang_gis.read import fetch, reference
from serang_gis.join.atlas import AtlasLayers, build_layers
from serang_gis.read.boundaries import Boundaries, ColumnMap, read_kelurahan
import numpy as np

from serang_gis.plan import layers as plan
from serang_gis.core.classify import classify
from serang_gis.read.config import AtlasConfig
from serang_gis.output.writers import write_csv, write_text
from serang_gis.join.tables import JoinReport, join_tables
from serang_gis.render.leaflet.atlas import kecamatan_rate_spec, kecamatan_spec, kelurahan_spec
from serang_gis.render.leaflet.indicator import boundaries_spec, plan_spec
from serang_gis.core.numbers import number
from serang_gis.core.text import t
from serang_gis.render.qgis import export_layers
from serang_gis.render.site import Product, render_index
from serang_gis.read.tables import parse_mapping, read_table

GPKG_NAME = "serang_gis.gpkg"
DIVERGING = "RdBu"


@dataclass
class BuildResult:
    out_dir: Path
    bounds: Boundaries
    layers: AtlasLayers | None  # the embedded atlas of Kota Serang, else None
    kelurahan: gpd.GeoDataFrame
    files: list[Path] = field(default_factory=list)
    checks: list[reference.Check] = field(default_factory=list)
    reports: dict[str, JoinReport] = field(default_factory=dict)  # period -> report
    notes: list[str] = field(default_factory=list)
    konvergensi: list[str] = field(default_factory=list)  # summary lines of the convergence view
    uncertainty: list[tuple[str, str]] = field(default_factory=list)  # funnel plot and the two numbers, for the summary
    fragments: list[str] = field(default_factory=list)  # escaped HTML sections for the index (the lokus x OPD matrix)


def _fmt(v, lang):
    if isinstance(v, (int, float)):
        return number(v, 0 if float(v).is_integer() else 2, lang)
    if isinstance(v, tuple):
        return " / ".join(_fmt(x, lang) for x in v)
    return str(v)


def boundary_columns(config: AtlasConfig) -> ColumnMap | None:
    return ColumnMap(**dict(config.boundaries_columns)) if config.boundaries_columns else None


def load_boundaries(config: AtlasConfig, region: str) -> Boundaries:
    src = fetch.resolve(region, config.boundaries)
    return read_kelurahan(src.kelurahan, layer=config.boundaries_layer, columns=boundary_columns(config), crs=config.boundaries_crs,
                          region=region, name_sources=[*src.names, *config.boundary_names],
                          dissolve_duplicates=config.boundaries_dissolve)


def build_atlas(out_dir="outputs", *, region: str = reference.KOTA_SERANG, config: AtlasConfig | None = None, **options) -> BuildResult:
    """Build one region's atlas from Python: ``build_atlas("outputs", boundaries="kel.geojson", lang="en")``.

    ``options`` are AtlasConfig fields and override ``config``.
    """
    cfg = dataclasses.replace(config or AtlasConfig(), output=str(out_dir), **options)
    return build_region(cfg, region, out_dir, load_boundaries(cfg, region))


def build_region(cfg: AtlasConfig, region: str, out_dir, bounds: Boundaries) -> BuildResult:
    """One path for every atlas: one kelurahan layer (boundaries + Kota Serang's embedded figures by code + the
    config's tables per period), one map plan per indicator, and renderers that only draw what the plan decided."""
    out = Path(out_dir)
    lang = cfg.lang
    files: list[Path] = []
    checks, notes = [], list(bounds.report.warnings)
    statics: dict[str, Path] = {}  # product file -> thumbnail
    kel, reports = _join_periods(cfg, bounds)
    layers = None
    if region == reference.KOTA_SERANG:
        layers = build_layers(bounds, cfg.as_of)
        notes += layers.notes
        kel = _with_reference(kel, layers.kelurahan)
        checks = reference.checks(lang)
    u = plan.units(kel)  # the one coverage every product draws
    if layers is not None:
        layers.kelurahan = u.kelurahan
        for name, spec in (("peta_kelurahan", kelurahan_spec(layers, lang, units=u)), ("peta_kecamatan", kecamatan_spec(layers, lang, units=u))):
            files.append(spec.save(out / f"{name}.html", offline=cfg.offline))
        if cfg.static:
            files += _static_embedded(layers, u, out, lang, statics)
    priority_plan = None  # ranked first, so that every map's profile shows the rank and tier
    profile = _rank_profile(cfg)
    if profile is not None and not any(i.column in u.kelurahan.columns and u.kelurahan[i.column].notna().any() for i in profile.indicators):
        notes.append(f"rank: no data for any indicator of the profile {profile.name!r}: no priority map")
        profile = None
    if profile is not None:
        from serang_gis.read.lokus import lokus_flags
        from serang_gis.analysis.priority import attach, rank

        flags = lokus_flags(cfg.rank_lokus, u.kelurahan) if cfg.rank_lokus else None
        ranking = rank(u.kelurahan, profile, lokus=flags, draws=cfg.rank_draws, seed=cfg.rank_seed)
        notes += ranking.notes + [x for x in ranking.summary()[1:] if x not in ranking.notes]
        u.kelurahan = _keep_coverage(attach(u.kelurahan, ranking), u.kelurahan)
        p = plan.indicator_plan(u.kelurahan, "prioritas", lang=lang, unit_layer=u)
        files.append(plan_spec(p).save(out / "peta_prioritas.html", offline=cfg.offline))
        priority_plan = p
    exported, more = _indicator_maps(cfg, u, out, statics)
    files += more
    exported = exported or priority_plan
    stats_rows = _uncertainty(u, region, reports, out, lang, files)
    konv, fragments = [], []
    if cfg.kegiatan:  # the convergence view: which office acts where, and does the money reach the lokus
        from serang_gis.analysis import konvergensi
        from serang_gis.render.konvergensi import write_products

        lokus = cfg.rank_lokus or ("2022" if region == reference.KOTA_SERANG else None)
        res = konvergensi.from_config(u.kelurahan, cfg.kegiatan, lang, lokus=lokus)
        files += write_products(res, out, lang=lang, offline=cfg.offline)
        konv = konvergensi.summary_lines(res, lang)
        from serang_gis.render.leaflet.konvergensi import matrix_html

        fragments.append(matrix_html(res, lang))  # the lokus x OPD matrix in the index
    if exported is not None:
        exported.units = u  # the export carries every column, the rank included
    styled = export_layers(u.kelurahan, out, name=GPKG_NAME.removesuffix(".gpkg"), lang=lang, formats=cfg.export_formats or ("gpkg",),
                           plan=exported, kecamatan_extra=layers.kecamatan if layers is not None else None)
    files += styled.files
    files.append(write_csv(out / "kelurahan.csv", u.kelurahan))
    files.append(write_csv(out / "kecamatan.csv", styled.frames["kecamatan"]))
    result = BuildResult(out, bounds, layers, u.kelurahan, files, checks, reports, notes, konv, stats_rows, fragments)
    files.insert(0, write_text(out / "index.html", _index(result, region, statics, lang)))
    return result


def _uncertainty(u: plan.Units, region: str, reports: dict, out: Path, lang: str, files: list[Path]) -> list[tuple[str, str]]:
    """The funnel plot of prevalence against toddlers measured, and the kab/kota figure beside the surveys (Kota Serang)."""
    kel = u.kelurahan
    if "balita_diukur" not in kel.columns or not (pd.to_numeric(kel["balita_diukur"], errors="coerce") > 0).any():
        return []
    from serang_gis.analysis.funnel import funnel_png, outside_text

    fun = funnel_png(kel, out / "funnel_prevalensi.png", lang=lang)
    files.append(out / "funnel_prevalensi.png")
    rows = [("Funnel plot", outside_text(fun, lang))]
    if region == reference.KOTA_SERANG:
        latest = sorted(p for p in reports if p)[-1:] or [None]
        rows.append((t(lang, "sum.two_numbers"), reference.two_numbers(kel, period=latest[0], lang=lang).sentence))
    return rows


def _rank_profile(cfg: AtlasConfig):
    if not cfg.rank:
        return None
    from serang_gis.analysis.priority import load_profile

    return load_profile(cfg.rank_profile)


def _keep_coverage(frame: gpd.GeoDataFrame, like: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame.attrs.update(like.attrs)
    return frame


def _with_reference(kel: gpd.GeoDataFrame, ref: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Kota Serang's embedded figures (lokus lists, ODF status as of a date, reported counts) joined by code,
    like any table; a column the user's tables already give is theirs."""
    extra = [c for c in ref.columns if c not in kel.columns and c != "geometry"]
    out = kel.merge(pd.DataFrame(ref[["kode_kel", *extra]]), on="kode_kel", how="left")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=kel.crs)


# ---- joined data per period -----------------------------------------------------------------


def _join_periods(cfg: AtlasConfig, bounds: Boundaries) -> tuple[gpd.GeoDataFrame, dict[str, JoinReport]]:
    """Join each period's tables; the layer carries the latest period's values plus ``<column>__<period>``."""
    kel = bounds.kelurahan
    if not cfg.data:
        return kel.copy(), {}
    by_period: dict[str, list] = {}
    for d in cfg.data:
        by_period.setdefault(d.period or "", []).append(d)
    joined, reports = {}, {}
    for period in sorted(by_period):
        tables = [read_table(d.path, sheet=d.sheet, mapping=parse_mapping([f"{k}={v}" for k, v in d.columns]), period=period or None)
                  for d in by_period[period]]
        joined[period], reports[period] = join_tables(kel, tables)
    latest = joined[sorted(joined)[-1]].copy()
    base = set(kel.columns)
    for period, frame in joined.items():
        if period:
            for c in frame.columns:
                if c not in base:
                    latest[f"{c}__{period}"] = frame[c].to_numpy()  # each period keeps its own figures, intervals and source
    return gpd.GeoDataFrame(latest, geometry="geometry", crs=4326), reports


def _scopes(cfg: AtlasConfig, u: plan.Units) -> list[tuple[str, plan.Units]]:
    """The whole kab/kota, and each kecamatan zoomed: the same coverage, cut."""
    out = [("kota", u)] if "kota" in cfg.scopes else []
    if "kecamatan" in cfg.scopes:
        for (code, name), grp in u.kelurahan.groupby(["kode_kec", "kecamatan"], sort=True):
            kec = u.kecamatan[u.kecamatan["kode_kec"] == code]
            out.append((f"kec_{code.split('.')[-1]}_{_slug(name)}", plan.Units(_keep_coverage(grp.reset_index(drop=True), u.kelurahan),
                                                                              kec.reset_index(drop=True), u.kabkota)))
    return out


def _indicator_maps(cfg: AtlasConfig, u: plan.Units, out: Path, statics: dict) -> tuple[plan.MapPlan | None, list[Path]]:
    """One HTML per indicator and scope (periods switchable, change layers), with static maps per period.

    Returns the plan the exports are styled with (the first indicator, whole kab/kota, latest period) and the files.
    """
    files, exported = [], None
    kel = u.kelurahan
    periods = sorted({d.period for d in cfg.data if d.period})
    indicators = list(cfg.indicators) or (_rates_with_data(kel) if cfg.data else [])
    if not indicators:
        if not cfg.data and len(kel) and "status_odf" not in kel.columns:  # a boundaries-only atlas
            files.append(boundaries_spec(kel, cfg.lang).save(out / "peta_kelurahan.html", offline=cfg.offline))
            if cfg.static:
                files += _static(kel, plan.LayerPlan("batas", "categorical", "kode_kel", "", categories=[],
                                                     index=np.full(len(kel), -1), no_data_label=t(cfg.lang, "kelurahan")),
                                 t(cfg.lang, "boundaries"), "", "wilayah_boundaries (MIT)", u, out / "peta_kelurahan", statics,
                                 "peta_kelurahan.html")
        return None, files
    for ind in indicators:
        col = plan.resolve_indicator(kel, ind)
        info = plan.info_of(col, kel)
        label = info.label(cfg.lang)
        classes = None
        if info.kind == "rate":  # one set of classes for every period, scope and product: maps compare
            pooled = pd.concat([plan.classable(kel, col, period=p) for p in [None, *periods]
                                if (f"{col}__{p}" if p else col) in kel.columns], ignore_index=True)
            classes = plan.classes_for(pooled, col, scheme=cfg.scheme, k=cfg.k, bins=cfg.bins, lang=cfg.lang, frame=kel)
        for scope, su in _scopes(cfg, u):
            name = cfg.name_template.format(indicator=col, scope=scope, period="semua" if periods else "", region=kel["kode_kab"].iloc[0])
            p = plan.indicator_plan(su.kelurahan, col, scheme=cfg.scheme, k=cfg.k, bins=cfg.bins, lang=cfg.lang, classes=classes,
                                    unit_layer=su)
            if exported is None and scope == "kota" and p.main.kind in ("choropleth", "categorical"):
                exported = p
            where = f"{su.kelurahan['kabkota'].iloc[0]}" + ("" if scope == "kota" else f" · Kec. {su.kelurahan['kecamatan'].iloc[0]}")
            shown = [p.main]
            if periods and info.kind == "rate":
                shown = []
                for per in reversed(periods):
                    pc = f"{col}__{per}"
                    if pc in su.kelurahan.columns:
                        shown.append(plan.rate_layer(su.kelurahan, col, classes, lang=cfg.lang, title=f"{label} {per}", value_column=pc,
                                                     period=per, group=col, show=(per == periods[-1]), layer_id=pc))
                for a, b in cfg.change:
                    shown.append(_change_layer(su.kelurahan, kel, col, a, b, cfg.lang))
            if cfg.static:
                for layer in shown:
                    stem = name if len(shown) == 1 else f"{name}_{layer.column.split('__', 1)[1]}"
                    files += _static(su.kelurahan, layer, layer.title, where, _layer_sources(layer), su, out / stem, statics,
                                     f"{name}.html")
            spec = plan_spec(p, layers=shown if shown != [p.main] else None, title=f"{label} – {where}")
            files.append(spec.save(out / f"{name}.html", offline=cfg.offline))
        if info.kind == "rate" and col in u.kecamatan.columns:  # the same classes per kecamatan, partial sums said and hatched
            name = cfg.name_template.format(indicator=col, scope="per_kecamatan", period="", region=kel["kode_kab"].iloc[0])
            layer = plan.rate_layer(u.kecamatan, col, classes, lang=cfg.lang,
                                    title=f"{label} {periods[-1]}" if periods else None)
            files.append(kecamatan_rate_spec(u, layer, cfg.lang).save(out / f"{name}.html", offline=cfg.offline))
            if cfg.static:
                files += _static(u.kecamatan, layer, f"{label} per kecamatan", kel["kabkota"].iloc[0], _layer_sources(layer), u,
                                 out / name, statics, f"{name}.html")
    return exported, files


def _rates_with_data(kel) -> list[str]:
    """Tables given but no [maps] indicators: every rate the tables gave (never silently no map)."""
    return [c for c in ("prevalensi_stunting", "persen_keluarga_berisiko", "kesenjangan_sanitasi")
            if c in kel.columns and pd.to_numeric(kel[c], errors="coerce").notna().any()]


def _change_layer(frame, whole, col, a, b, lang) -> plan.LayerPlan:
    """Later minus earlier, in percentage points, on a diverging palette centred on zero (classes from the whole kab/kota)."""
    info = plan.info_of(col, frame)
    key = f"{col}__{a}_{b}"
    diff = lambda f: (pd.to_numeric(f[f"{col}__{b}"], errors="coerce") - pd.to_numeric(f[f"{col}__{a}"], errors="coerce")).round(2)  # noqa: E731
    frame[key] = diff(frame).to_numpy()
    label = t(lang, "change", label=info.label(lang), a=a, b=b)
    cls = _diverging(diff(whole), lang)
    layer = plan.rate_layer(frame, col, cls, lang=lang, title=label, value_column=key, group=col, show=False,
                            layer_id=key, unit=t(lang, "unit.poin"), note=None)
    return plan.with_caveats_of(layer, [plan.rate_layer(frame, col, cls, lang=lang, value_column=f"{col}__{p}", period=p)
                                        for p in (a, b)])


def _diverging(diff: pd.Series, lang: str):
    m = float(diff.abs().max()) if diff.notna().any() else 1.0
    step = max(round(m / 3, 1), 0.1)
    breaks = [-2 * step, -step, -step / 5, step / 5, step, 2 * step]
    cls = classify(diff, "manual", bins=breaks, palette=DIVERGING, unit=t(lang, "unit.poin"), lang=lang)
    cls.colors = list(reversed(cls.colors))  # a fall (negative) is blue, a rise red
    return cls


def _slug(text: str) -> str:
    return "".join(ch.lower() if ch.isalnum() else "_" for ch in str(text)).strip("_")


def _layer_sources(layer: plan.LayerPlan) -> str:
    """The sources of what a static map shows (its layer's, not every table of the build), and the boundaries'."""
    return (f"Sumber: {layer.source}" + (f", periode {layer.period}" if layer.period else "") + " · " if layer.source else "") + \
        "Batas: wilayah_boundaries (MIT)"


def _static(frame, layer: plan.LayerPlan, title, subtitle, source, u: plan.Units, stem: Path, statics: dict, product: str) -> list[Path]:
    """PNG, PDF and thumbnail of a planned layer, with the kecamatan of the same coverage as outlines."""
    from serang_gis.render.static import render_layer

    codes = set(frame["kode_kec"]) if "kode_kec" in frame.columns else set()
    kec = u.kecamatan[u.kecamatan["kode_kec"].isin(codes)][["kecamatan", "geometry"]] if codes else None
    written = render_layer(frame, layer, title=title, subtitle=subtitle, source=source, outlines=kec,
                           png=stem.with_suffix(".png"), pdf=stem.with_suffix(".pdf"), thumb=stem.parent / f"{stem.name}_thumb.png")
    statics.setdefault(product, written[-1])  # the first drawn: the latest period
    return written


def _static_embedded(layers: AtlasLayers, u: plan.Units, out: Path, lang: str, statics: dict) -> list[Path]:
    date = layers.as_of.isoformat()
    odf = plan.odf_layer(u.kelurahan, lang=lang)
    files = _static(u.kelurahan, odf, f"{t(lang, 'odf', date=date)}", "Kota Serang",
                    "Sumber: Pemkot Serang dan pemberitaan (lihat index.html)", u, out / "peta_kelurahan", statics, "peta_kelurahan.html")
    kec = plan.with_columns(u.kecamatan, layers.kecamatan)
    last = sorted(reference.stunting_kecamatan()["snapshot"].unique())[-1]
    col = f"balita_stunting_{last.replace('-', '_')}"
    files += _static(kec, plan.count_layer(kec, col, lang=lang, title=f"Balita stunting {last}"), f"Balita stunting {last}",
                     "Kota Serang, per kecamatan", "Sumber: e-PPGBM menurut pemberitaan (lihat index.html)", u, out / "peta_kecamatan",
                     statics, "peta_kecamatan.html")
    return files


# ---- summary and index ----------------------------------------------------------------------


def summary_rows(result: BuildResult, lang: str = "id") -> list[tuple[str, str]]:
    rows = [(t(lang, "sum.boundaries"),
             f"{Path(str(result.bounds.report.path)).name} ({result.bounds.report.schema}, {result.bounds.report.source_crs})"),
            ("Kelurahan", str(len(result.kelurahan))), ("Kecamatan", str(result.kelurahan["kode_kec"].nunique()))]
    layers = result.layers
    if layers is not None:
        kel = layers.kelurahan
        odf = kel["status_odf"].value_counts()
        rows[1] = (t(lang, "sum.matched"), f"{layers.matched} / {layers.expected}")
        rows += [("Lokus 2021", str(int(kel["lokus_2021"].sum()))), ("Lokus 2022", str(int(kel["lokus_2022"].sum()))),
                 (f"ODF ({layers.as_of.isoformat()})", ", ".join(f"{k}: {v}" for k, v in odf.items())
                  + f", {t(lang, 'no_data')}: {int(kel['status_odf'].isna().sum())}"),
                 (t(lang, "sum.reported"), str(int(kel["stunting_dilaporkan"].notna().sum())))]
    rows += result.uncertainty
    for i, line in enumerate(result.konvergensi):
        rows.append(("Konvergensi" if i == 0 else "", line.strip()))
    for period, rep in result.reports.items():
        matched = sum(sum(f.matched.values()) for f in rep.files)
        unmatched = sum(len(f.unmatched) for f in rep.files)
        rows.append((f"Data {period or ''}".strip(),
                     t(lang, "sum.data", matched=matched, unmatched=unmatched, with_data=rep.with_data, kelurahan=rep.kelurahan)))
    return rows


def _index(result: BuildResult, region: str, statics: dict, lang: str) -> str:
    products = []
    for f in result.files:
        if f.suffix == ".html":
            products.append(Product(f.name, f.stem.replace("_", " "), t(lang, "index.interactive"),
                                    statics.get(f.name, Path("")).name or None))
    for f in result.files:
        if f.name == "funnel_prevalensi.png":  # a picture to look at, not a map to open
            products.append(Product(f.name, "Funnel plot", t(lang, "index.funnel"),
                                    f.name))
    for f in result.files:
        if f.name == "funnel_prevalensi.png":
            continue
        if f.suffix in (".gpkg", ".geojson", ".csv") or (f.suffix == ".png" and not f.name.endswith("_thumb.png")) or f.suffix == ".pdf":
            products.append(Product(f.name, f.name, {".gpkg": t(lang, "index.gpkg"), ".geojson": "GeoJSON + .qml", ".csv": t(lang, "index.csv"),
                                                     ".png": t(lang, "index.png"), ".pdf": "PDF"}[f.suffix], None))
    check_rows = [dict(name=c.name, expected=_fmt(c.expected, lang), found=_fmt(c.found, lang), ok=c.ok, note=c.note) for c in result.checks]
    sources = ["Batas wilayah: wilayah_boundaries (Cahya DSN, lisensi MIT), kode Kepmendagri 300.2.2-2138 Tahun 2025"]
    if result.layers is not None:
        sources.insert(0, "Sinergitas dalam Percepatan Penanganan Kasus Stunting di Kota Serang (2023), tabel dari Dinas Kesehatan Kota Serang (2022)")
        sources[1:1] = sorted(set(reference.stunting_kecamatan()["sumber"]) | set(reference.stunting_kelurahan()["sumber"])
                              | set(reference.sanitasi()["sumber"]))
    for rep in result.reports.values():
        sources += [f"{Path(f.file).name}" + (f" [{f.sheet}]" if f.sheet else "") + (f", periode {f.period}" if f.period else "")
                    for f in rep.files]
    kab = str(result.kelurahan["kabkota"].iloc[0])
    table_cols = [c for c in ("kode_kel", "kelurahan", "kecamatan", "prevalensi_stunting", "keandalan_gizi", "balita_stunting", "persen_keluarga_berisiko",
                              "status_odf", "lokus_2022", "stunting_dilaporkan", "skor_prioritas", "peringkat", "prioritas")
                  if c in result.kelurahan.columns]
    table = pd.DataFrame(result.kelurahan[table_cols]).sort_values("peringkat" if "peringkat" in table_cols else "kode_kel")
    match = [line for rep in result.reports.values() for line in rep.summary(lang)]
    return render_index(
        title=t(lang, "index.title", kab=kab),
        subtitle=(f"{region} · " + (f"ODF per {result.layers.as_of.isoformat()}" if result.layers is not None else "")
                  + "".join(f" · data {p}" for p in result.reports if p)),
        products=products, summary=summary_rows(result, lang), checks=check_rows, sources=sources,
        notes=result.notes, lang=lang, table=table, match=match, fragments=result.fragments)
