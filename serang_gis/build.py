"""The main job for one kab/kota: boundaries + figures -> maps, static maps, layers, tables, index.html.

Two sources of figures: Kota Serang's embedded figures (the default atlas, no config needed), or
the ``[[data]]`` tables of an atlas config, joined per period. Both end in the same products.
Every file is written atomically; the same inputs give the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import fetch, reference
from .atlas import AtlasLayers, build_layers
from .boundaries import Boundaries, ColumnMap, read_kelurahan
from .classify import Classes, classify
from .config import AtlasConfig
from .export import write_csv, write_text
from .indicators import INFO, Info, resolve
from .join import JoinReport, join_tables
from .maps import kecamatan_spec, kelurahan_spec
from .maps.geometry import clean_coverage, dissolve_coverage
from .maps.indicator import boundaries_spec, indicator_spec
from .maps.text import NO_DATA_COLOR, ODF_CLASSES, TEXT, fmt_number, odf_categories
from .qgis_export import export_layers
from .site import Product, render_index
from .tables import parse_mapping, read_table

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


def _fmt(v, lang):
    if isinstance(v, (int, float)):
        return fmt_number(v, 0 if float(v).is_integer() else 2, lang)
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
    out = Path(out_dir)
    lang = cfg.lang
    files: list[Path] = []
    checks, reports, notes = [], {}, list(bounds.report.warnings)
    layers = None
    kec_layer = None
    statics: dict[str, Path] = {}  # product file -> thumbnail
    if region == reference.KOTA_SERANG and not cfg.data:
        layers = build_layers(bounds, cfg.as_of or dt.date.today())
        notes += layers.notes
        kel = layers.kelurahan
        kec_layer = layers.kecamatan
        for name, spec in (("peta_kelurahan", kelurahan_spec(layers, lang)), ("peta_kecamatan", kecamatan_spec(layers, lang))):
            files.append(spec.save(out / f"{name}.html", offline=cfg.offline))
        if cfg.static:
            files += _static_embedded(layers, out, lang, statics)
        checks = reference.checks()
    else:
        kel, reports = _join_periods(cfg, bounds)
        files += _indicator_maps(cfg, kel, out, statics)
    if cfg.rank and any(c in kel.columns for c in INFO):
        from .lokus import lokus_flags
        from .priority import attach, load_profile, rank

        flags = lokus_flags(cfg.rank_lokus, kel) if cfg.rank_lokus else None
        result = rank(kel, load_profile(cfg.rank_profile), lokus=flags, draws=cfg.rank_draws, seed=cfg.rank_seed)
        notes += result.notes
        kel = attach(kel, result)
        files.append(indicator_spec(kel, "prioritas", lang=lang).save(out / "peta_prioritas.html", offline=cfg.offline))
    styled = export_layers(kel, out, name=GPKG_NAME.removesuffix(".gpkg"), lang=lang, formats=cfg.export_formats or ("gpkg",),
                           kecamatan=kec_layer)
    files += styled.files
    files.append(write_csv(out / "kelurahan.csv", kel))
    if kec_layer is not None:
        files.append(write_csv(out / "kecamatan.csv", kec_layer))
    result = BuildResult(out, bounds, layers, kel, files, checks, reports, notes)
    files.insert(0, write_text(out / "index.html", _index(result, region, statics, lang)))
    return result


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
                if c not in base and c in INFO:
                    latest[f"{c}__{period}"] = frame[c].to_numpy()
    return gpd.GeoDataFrame(latest, geometry="geometry", crs=4326), reports


def _info(col: str) -> Info:
    return INFO.get(col) or Info(col, col, "", 2, "rate")


def _indicator_maps(cfg: AtlasConfig, kel: gpd.GeoDataFrame, out: Path, statics: dict) -> list[Path]:
    """One HTML per indicator and scope (periods switchable, change layers), with static maps per period."""
    files = []
    periods = sorted({d.period for d in cfg.data if d.period})
    indicators = list(cfg.indicators)
    if not indicators:  # a boundaries-only atlas
        spec = boundaries_spec(kel, cfg.lang)
        files.append(spec.save(out / "peta_kelurahan.html", offline=cfg.offline))
        if cfg.static:
            files += _static(kel, [NO_DATA_COLOR] * len(kel), [], "Batas kelurahan" if cfg.lang == "id" else "Kelurahan boundaries",
                             "", "wilayah_boundaries (MIT)", out / "peta_kelurahan", statics, "peta_kelurahan.html")
        return files
    for ind in indicators:
        col = resolve(ind, kel.columns)
        info = _info(col)
        scopes = [("kota", kel)] if "kota" in cfg.scopes else []
        if "kecamatan" in cfg.scopes:
            scopes += [(f"kec_{k.split('.')[-1]}_{_slug(n)}", g) for (k, n), g in kel.groupby(["kode_kec", "kecamatan"], sort=True)]
        for scope, units in scopes:
            name = cfg.name_template.format(indicator=col, scope=scope, period="semua" if periods else "", region=kel["kode_kab"].iloc[0])
            spec = indicator_spec(units, col, scheme=cfg.scheme, k=cfg.k, lang=cfg.lang)
            main = spec.layers[0]
            if periods and info.kind == "rate":
                spec.layers.remove(main)
                cls = classify(kel[col], cfg.scheme or info.scheme, k=cfg.k, palette=info.palette, unit="%" if info.unit == "%" else "",
                               lang=cfg.lang)  # one set of classes for every period and scope: maps compare
                for p in periods:
                    pc = f"{col}__{p}"
                    if pc in units.columns:
                        spec.field(pc, units[pc], f"{info.label(cfg.lang)} {p}", unit="%" if info.unit == "%" else info.unit, dec=info.dec)
                        spec.choropleth(pc, cls, f"{info.label(cfg.lang)} {p}", show=(p == periods[-1]), group=col)
                        spec.layers.insert(0, spec.layers.pop())
                        if cfg.static:
                            colors = [cls.colors[i] if i >= 0 else NO_DATA_COLOR for i in cls.assign(units[pc])]
                            files += _static(units, colors, list(zip(cls.labels, cls.colors)) + [(spec.t["no_data_class"], NO_DATA_COLOR)],
                                             f"{info.label(cfg.lang)} {p}", f"{units['kabkota'].iloc[0]} · {scope}", _sources(units),
                                             out / f"{name}_{p}", statics, f"{name}.html")
                for a, b in cfg.change:
                    ca, cb = f"{col}__{a}", f"{col}__{b}"
                    if ca in units.columns and cb in units.columns:
                        diff = (pd.to_numeric(units[cb], errors="coerce") - pd.to_numeric(units[ca], errors="coerce")).round(2)
                        key = f"{col}__{a}_{b}"
                        label = f"{'Perubahan' if cfg.lang == 'id' else 'Change'} {info.label(cfg.lang)} {a} → {b}"
                        spec.field(key, diff, label, unit="poin" if cfg.lang == "id" else "points", dec=1)
                        dcls = _diverging(kel, col, a, b, cfg.lang)
                        spec.choropleth(key, dcls, label, show=False, group=col)
                        if cfg.static:
                            colors = [dcls.colors[i] if i >= 0 else NO_DATA_COLOR for i in dcls.assign(diff)]
                            files += _static(units, colors, list(zip(dcls.labels, dcls.colors)), label, f"{units['kabkota'].iloc[0]} · {scope}",
                                             _sources(units), out / f"{name}_{a}_{b}", statics, f"{name}.html")
            elif cfg.static:
                colors, legend = [NO_DATA_COLOR] * len(units), []
                if main["type"] == "choropleth":  # the very classes of the interactive map
                    c = main["classes"]
                    idx = Classes("map", c["breaks"], c["colors"], c["labels"]).assign(units[col])
                    colors = [c["colors"][i] if i >= 0 else NO_DATA_COLOR for i in idx]
                    legend = list(zip(c["labels"], c["colors"])) + [(spec.t["no_data_class"], NO_DATA_COLOR)]
                circles = (pd.to_numeric(units[col], errors="coerce").to_numpy(dtype=float), "#b2182b", info.unit) \
                    if info.kind == "count" else None
                files += _static(units, colors, legend, info.label(cfg.lang), f"{units['kabkota'].iloc[0]} · {scope}", _sources(units),
                                 out / name, statics, f"{name}.html", circles=circles)
            files.append(spec.save(out / f"{name}.html", offline=cfg.offline))
    return files


def _diverging(kel, col, a, b, lang):
    diff = pd.to_numeric(kel[f"{col}__{b}"], errors="coerce") - pd.to_numeric(kel[f"{col}__{a}"], errors="coerce")
    m = float(diff.abs().max()) if diff.notna().any() else 1.0
    step = max(round(m / 3, 1), 0.1)
    breaks = [-2 * step, -step, -step / 5, step / 5, step, 2 * step]
    cls = classify(diff, "manual", bins=breaks, palette=DIVERGING, unit="poin" if lang == "id" else "pts", lang=lang)
    cls.colors = list(reversed(cls.colors))  # a fall (negative) is blue, a rise red
    return cls


def _slug(text: str) -> str:
    return "".join(ch.lower() if ch.isalnum() else "_" for ch in str(text)).strip("_")


def _sources(units) -> str:
    srcs = sorted({s for c in units.columns if c.startswith("sumber_") for s in units[c].dropna().astype(str)})
    return ("Sumber: " + "; ".join(srcs) if srcs else "") + " · Batas: wilayah_boundaries (MIT)"


def _static(units, colors, legend, title, subtitle, source, stem: Path, statics: dict, product: str, circles=None) -> list[Path]:
    from .static_maps import render

    kec = dissolve_coverage(clean_coverage(units), "kecamatan") if "kecamatan" in units.columns else None
    written = render(units, colors, legend, title=title, subtitle=subtitle, source=source, outlines=kec, circles=circles,
                     png=stem.with_suffix(".png"), pdf=stem.with_suffix(".pdf"), thumb=stem.parent / f"{stem.name}_thumb.png")
    statics.setdefault(product, written[-1])
    return written


def _static_embedded(layers: AtlasLayers, out: Path, lang: str, statics: dict) -> list[Path]:
    kel = layers.kelurahan
    colors = [ODF_CLASSES[s][0] if isinstance(s, str) and s in ODF_CLASSES else NO_DATA_COLOR for s in kel["status_odf"]]
    legend = [(label, color) for _, color, label in odf_categories(set(kel["status_odf"].dropna()), lang)] + \
        [(TEXT[lang]["no_data_class"], NO_DATA_COLOR)]
    date = layers.as_of.isoformat()
    files = _static(kel, colors, legend, f"Status ODF per {date}", "Kota Serang", "Sumber: Pemkot Serang dan pemberitaan (lihat index.html)",
                    out / "peta_kelurahan", statics, "peta_kelurahan.html")
    kec = layers.kecamatan
    last = sorted(reference.stunting_kecamatan()["snapshot"].unique())[-1]
    col = f"balita_stunting_{last.replace('-', '_')}"
    files += _static(kec, ["#f4f4f4"] * len(kec), [], f"Balita stunting {last}", "Kota Serang, per kecamatan",
                     "Sumber: e-PPGBM menurut pemberitaan (lihat index.html)", out / "peta_kecamatan", statics, "peta_kecamatan.html",
                     circles=(kec[col].astype(float).to_numpy(), "#b2182b", "balita"))
    return files


# ---- summary and index ----------------------------------------------------------------------


def summary_rows(result: BuildResult, lang: str = "id") -> list[tuple[str, str]]:
    en = lang == "en"
    rows = [("Boundaries" if en else "Batas wilayah",
             f"{result.bounds.report.path} ({result.bounds.report.schema}, {result.bounds.report.source_crs})"),
            ("Kelurahan", str(len(result.kelurahan))), ("Kecamatan", str(result.kelurahan["kode_kec"].nunique()))]
    layers = result.layers
    if layers is not None:
        kel = layers.kelurahan
        odf = kel["status_odf"].value_counts()
        rows[1] = ("Kelurahan matched" if en else "Kelurahan cocok", f"{layers.matched} / {layers.expected}")
        rows += [("Lokus 2021", str(int(kel["lokus_2021"].sum()))), ("Lokus 2022", str(int(kel["lokus_2022"].sum()))),
                 (f"ODF ({layers.as_of.isoformat()})", ", ".join(f"{k}: {v}" for k, v in odf.items())
                  + f", {'no data' if en else 'tidak ada data'}: {int(kel['status_odf'].isna().sum())}"),
                 ("Reported kelurahan counts" if en else "Kelurahan dengan kasus dilaporkan", str(int(kel["stunting_dilaporkan"].notna().sum())))]
    for period, rep in result.reports.items():
        matched = sum(sum(f.matched.values()) for f in rep.files)
        unmatched = sum(len(f.unmatched) for f in rep.files)
        rows.append((f"{'Data' if en else 'Data'} {period or ''}".strip(),
                     f"{matched} rows matched, {unmatched} unmatched; kelurahan with data {rep.with_data} / {rep.kelurahan}"))
    return rows


def _index(result: BuildResult, region: str, statics: dict, lang: str) -> str:
    en = lang == "en"
    products = []
    for f in result.files:
        if f.suffix == ".html":
            products.append(Product(f.name, f.stem.replace("_", " "), "peta interaktif" if not en else "interactive map",
                                    statics.get(f.name, Path("")).name or None))
    for f in result.files:
        if f.suffix in (".gpkg", ".geojson", ".csv") or (f.suffix == ".png" and not f.name.endswith("_thumb.png")) or f.suffix == ".pdf":
            products.append(Product(f.name, f.name, {".gpkg": "GeoPackage (QGIS, bergaya)" if not en else "GeoPackage (QGIS, styled)",
                                                     ".geojson": "GeoJSON + .qml", ".csv": "tabel" if not en else "table",
                                                     ".png": "peta statis" if not en else "static map", ".pdf": "PDF"}[f.suffix], None))
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
    table_cols = [c for c in ("kode_kel", "kelurahan", "kecamatan", "prevalensi_stunting", "balita_stunting", "persen_keluarga_berisiko",
                              "status_odf", "lokus_2022", "stunting_dilaporkan", "skor_prioritas", "peringkat", "prioritas")
                  if c in result.kelurahan.columns]
    table = pd.DataFrame(result.kelurahan[table_cols]).sort_values("peringkat" if "peringkat" in table_cols else "kode_kel")
    match = [line for rep in result.reports.values() for line in rep.summary()]
    return render_index(
        title=(f"Atlas stunting {kab}" if not en else f"{kab} stunting atlas"),
        subtitle=(f"{region} · " + (f"data per {result.layers.as_of.isoformat()}" if result.layers is not None else "")),
        products=products, summary=summary_rows(result, lang), checks=check_rows, sources=sources,
        notes=result.notes, lang=lang, table=table, match=match)
