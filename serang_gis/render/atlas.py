"""Draw an atlas plan: every page, static map, layer, table and the index, exactly as the plan says.

``write_atlas(atlas_plan, out)`` decides nothing: which period, which source, which layers, which titles
all come from ``plan.atlas.AtlasPlan``. Every file is written atomically; the same plan gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from serang_gis.core.numbers import count, number
from serang_gis.core.text import odf_label, say, source_text, t
from serang_gis.output.background import Background
from serang_gis.output.writers import write_csv, write_text
from serang_gis.plan.atlas import AtlasPlan, Page, odf_title, reported_span
from serang_gis.plan.layers import has_draws, lokus_strength
from serang_gis.read import reference
from serang_gis.read.boundaries import Boundaries
from serang_gis.read.lokus import PAPER_LISTS, lokus_read_as  # the paper's own lists: not a user's table
# render.leaflet (folium: its Jinja templates are compiled as it is imported, 0.3-0.4 s), render.qgis and render.site are
# imported where they are used: the static maps are handed to the drawing process first (write_atlas), without them

GPKG_NAME = "serang_gis.gpkg"


@dataclass
class BuildResult:
    out_dir: Path
    bounds: Boundaries
    layers: object | None  # join.atlas.AtlasLayers: the embedded atlas of Kota Serang, else None
    kelurahan: gpd.GeoDataFrame
    files: list[Path] = field(default_factory=list)
    checks: list[reference.Check] = field(default_factory=list)
    reports: dict = field(default_factory=dict)  # period -> JoinReport
    notes: list[str] = field(default_factory=list)
    konvergensi: list[str] = field(default_factory=list)  # summary lines of the convergence view
    uncertainty: list[tuple[str, str]] = field(default_factory=list)  # funnel plot and the two numbers, for the summary
    fragments: list[str] = field(default_factory=list)  # escaped HTML sections for the index (the lokus x OPD matrix)
    decisions: list[tuple[str, str]] = field(default_factory=list)  # which period and which source each product uses, said
    table_caption: str = ""  # which period the index's kelurahan table shows
    titles: dict = field(default_factory=dict)  # file name -> the page's own title, the index card's
    lokus: tuple[str, str] | None = None  # the user's lokus list: (its name, e.g. "2026", its file name)
    kegiatan: list[str] = field(default_factory=list)  # the activity matrices read (the index's sources)
    lokus_read_as: list[dict] = field(default_factory=list)  # rows of the user's lokus list read by likeness or code (read.lokus)


def write_atlas(ap: AtlasPlan, out_dir, bounds: Boundaries) -> BuildResult:
    out = Path(out_dir)
    s = ap.settings
    files, statics, titles = [], {}, {}
    with Background() as drawing:  # the static maps drawn beside the pages, tables and GeoPackage (output.background)
        calls = [[_static(st, ap.units, out, statics, s.lang) for st in page.statics] for page in ap.pages]
        drawing.submit_all(call for page in calls for call, _ in page)
        drawn = [[f for _, written in page for f in written] for page in calls]
        for page, its_statics in zip(ap.pages, drawn):  # the child draws (all asked for first) while this process writes pages
            spec = page_spec(ap, page)
            titles[page.file] = spec.title or t(s.lang, "kel_title")
            files.append(spec.save(out / page.file, offline=s.offline))
            files += its_statics
        result = _write_rest(ap, out, bounds, files, titles)
        drawing.wait()
    files.insert(0, write_text(out / "index.html", _index(result, ap.region, statics, s.lang)))
    return result


def _write_rest(ap: AtlasPlan, out: Path, bounds: Boundaries, files: list[Path], titles: dict) -> BuildResult:
    """The funnel plot, the convergence view, the GeoPackage and QGIS project, the tables: all but the pages and the index."""
    s = ap.settings
    rows = _funnel(ap, out, files)
    konv, fragments = _konvergensi(ap, out, files, titles)
    if ap.offices:  # the per-office view: a "Per OPD" list linking each office's page, or saying what it lacks
        fragments = [offices_html(ap.offices, s.lang), *fragments]
    from serang_gis.render.qgis import export_layers

    embedded = ap.joined.embedded
    styled = export_layers(ap.units.kelurahan, out, name=GPKG_NAME.removesuffix(".gpkg"), lang=s.lang, formats=s.export_formats,
                           plan=ap.export, kecamatan_extra=embedded.kecamatan if embedded is not None else None,
                           maps=ap.export_layers, title=_atlas_title(ap.units.kelurahan, s.lang), groups=ap.office_groups,
                           unit_layer=ap.units)  # the plan's kecamatan and kab/kota: not dissolved a second time
    files += styled.files
    files.append(write_csv(out / "kelurahan.csv", _sources_in_words(ap.units.kelurahan, s.lang)))
    files.append(write_csv(out / "kecamatan.csv", _sources_in_words(styled.frames["kecamatan"], s.lang)))
    result = BuildResult(out, bounds, embedded, ap.units.kelurahan, files, ap.joined.checks, ap.joined.reports, list(ap.notes),
                         konv, rows, fragments, list(ap.decisions), ap.table_caption, titles,
                         (s.lokus_name, Path(str(s.rank_lokus)).name) if s.rank_lokus and s.rank_lokus not in PAPER_LISTS else None,
                         _kegiatan_sources(ap), lokus_read_as(s.rank_lokus, ap.units.kelurahan) if s.rank_lokus else [])
    return result


def _sources_in_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table's ``sumber_*`` columns in the atlas's words, as index.html says them ("makalah Sinergitas (2023), Tabel 1
    (...)", "<url> (diberitakan 27 Jun 2023)"), not as the embedded tables store them ("paper Table 1 (...)",
    "(reported 27 Jun 2023)": English in an Indonesian atlas, recheck12 L11)."""
    cols = [c for c in frame.columns if c.startswith("sumber_")]
    return frame.assign(**{c: frame[c].map(lambda v: source_text(lang, v) if isinstance(v, str) else v) for c in cols}) if cols else frame


def _kegiatan_sources(ap: AtlasPlan) -> list[str]:
    res = ap.analysed.konvergensi
    return [t(ap.settings.lang, "konv.src_matrix") + ": " + b for b in sorted({x["berkas"] for x in res.sources})] if res is not None else []


def _atlas_title(kel: pd.DataFrame, lang: str) -> str | None:
    """"Atlas stunting Kota Serang": the index page's title, the QGIS project's too."""
    return t(lang, "index.title", kab=str(kel["kabkota"].iloc[0])) if "kabkota" in kel.columns and len(kel) else None


def page_spec(ap: AtlasPlan, page: Page):
    """The Leaflet spec of one planned page."""
    from serang_gis.render.leaflet.atlas import kecamatan_rate_spec, kecamatan_spec, kelurahan_spec
    from serang_gis.render.leaflet.indicator import boundaries_spec, plan_spec

    lang = ap.settings.lang
    if page.kind == "kelurahan":
        return kelurahan_spec(ap.joined.embedded, lang, units=page.units, odf=page.layers[0],
                              period_why=ap.joined.periods["gizi"].why(lang) if "gizi" in ap.joined.periods else "")
    if page.kind == "kecamatan":
        return kecamatan_spec(ap.joined.embedded, lang, units=page.units)
    if page.kind == "kecamatan_rate":
        return kecamatan_rate_spec(page.units, page.layers[0], lang)
    if page.kind == "boundaries":
        return boundaries_spec(page.units.kelurahan, lang)
    if page.kind == "opd":
        from serang_gis.render.leaflet.opd import office_spec

        return office_spec(page.units, page.office, lang)
    spec = plan_spec(page.plan, layers=list(page.layers) if page.layers else None, title=page.title)
    name = getattr(ap.settings, "lokus_name", None)
    for f in spec.fields if name else ():  # the profile names the list it compares with ("Dibanding daftar lokus 2022")
        if f["key"] == "banding_lokus":
            f["label"] = t(lang, "rank.banding_lokus_named", name=name)
    return spec


def offices_html(offices, lang: str) -> str:
    """The index's "Per OPD" section: a card per office linking its page (what it shows), or what it lacks (escaped)."""
    from html import escape as e

    cards = []
    for o in offices:
        if o.file:
            said = t(lang, "opd.index_card", layers=len(o.factor_layers), n=len(o.activities), unreached=len(o.unreached))
            more = f"<br><small>{e('; '.join(o.missing))}</small>" if o.missing else ""
            cards.append(f"<li class='sg-opd-card'><a href='{e(o.file)}'>{e(o.name)}</a><br><small>{e(said)}</small>{more}</li>")
        else:
            cards.append(f"<li class='sg-opd-card sg-opd-missing'>{e(o.name)}<br><small>"
                         f"{e(t(lang, 'opd.index_missing', why='; '.join(o.missing)))}</small></li>")
    return (f"<h2 id='per-opd'>{e(t(lang, 'opd.index_h'))}</h2><p>{e(t(lang, 'opd.index_intro'))}</p>"
            f"<ul class='sg-opd'>{''.join(cards)}</ul>")


def _static(st, u, out: Path, statics: dict, lang: str) -> tuple[tuple, list[Path]]:
    """The call that draws the PNG, PDF and thumbnail of a planned layer, with the kecamatan of the same coverage as
    outlines (``Background.submit_all``: maybe in the drawing child, done by its ``wait()``), and the files it writes."""
    frame = st.frame
    codes = set(frame["kode_kec"]) if "kode_kec" in frame.columns else set()
    kec = u.kecamatan[u.kecamatan["kode_kec"].isin(codes)][["kecamatan", "geometry"]] if codes else None
    stem = out / st.stem
    written = [stem.with_suffix(".png"), stem.with_suffix(".pdf"), stem.parent / f"{stem.name}_thumb.png"]
    kwargs = dict(title=st.title, subtitle=st.subtitle, source=st.source, outlines=kec, png=written[0], pdf=written[1],
                  thumb=written[2], lang=lang, overlays=st.overlays, circles=st.circles)
    if st.layer.show or st.page not in statics:  # the page's thumbnail: the layer it shows first (the city period)
        statics[st.page] = written[-1]
    # matplotlib: imported where the maps are drawn
    return ("serang_gis.render.static:render_layer", (frame, st.layer), kwargs), written


def _funnel(ap: AtlasPlan, out: Path, files: list[Path]) -> list[tuple[str, str]]:
    """The funnel plot of the city period, and the kab/kota figure beside the surveys (Kota Serang)."""
    if ap.funnel_period is None:
        return []
    from serang_gis.analysis.funnel import funnel_png, outside_text

    lang = ap.settings.lang
    label = ap.funnel_period or None
    fun = funnel_png(ap.units.kelurahan, out / "funnel_prevalensi.png", lang=lang, period=label)
    files.append(out / "funnel_prevalensi.png")
    rows = [(t(lang, "index.funnel_title"), (t(lang, "period_of", label=label) + ": " if label else "") + outside_text(fun, lang))]
    if ap.two_numbers:
        rows.append((t(lang, "sum.two_numbers"), ap.two_numbers))
    return rows


def _konvergensi(ap: AtlasPlan, out: Path, files: list[Path], titles: dict) -> tuple[list[str], list[str]]:
    res = ap.analysed.konvergensi
    if res is None:
        return [], []
    from serang_gis.analysis.konvergensi import summary_lines
    from serang_gis.render.konvergensi import write_products
    from serang_gis.render.leaflet.konvergensi import matrix_html

    s = ap.settings
    files += write_products(res, out, lang=s.lang, offline=s.offline)
    titles.update({"peta_konvergensi.html": t(s.lang, "konv.title"), "matriks_lokus_opd.html": t(s.lang, "konv.h_matrix")})
    return summary_lines(res, s.lang), [matrix_html(res, s.lang)]  # the lokus x OPD matrix in the index


# ---- summary and index ----------------------------------------------------------------------


def _fmt(v, lang):
    if isinstance(v, (int, float)):
        return number(v, 0 if float(v).is_integer() else 2, lang)
    if isinstance(v, tuple):
        return " / ".join(_fmt(x, lang) for x in v)
    return str(v)


def summary_rows(result: BuildResult, lang: str = "id") -> list[tuple[str, str]]:
    rows = [(t(lang, "sum.boundaries"),
             f"{Path(str(result.bounds.report.path)).name} ({result.bounds.report.schema}, {result.bounds.report.source_crs})"),
            ("Kelurahan", str(len(result.kelurahan))), ("Kecamatan", str(result.kelurahan["kode_kec"].nunique()))]
    mine = result.lokus is not None and "lokus" in result.kelurahan.columns
    if mine:  # the user's own list first; the package's lists are said to be the package's
        rows.append((f"Lokus {result.lokus[0]}", t(lang, "sum.lokus_user", file=result.lokus[1],
                                                   n=int(result.kelurahan["lokus"].fillna(False).astype(bool).sum()))))
        rows += [("", lokus_read_as_line(lang, d)) for d in result.lokus_read_as]
    layers = result.layers
    if layers is not None:
        kel = layers.kelurahan
        odf = kel["status_odf"].value_counts()
        rows[1] = (t(lang, "sum.matched"), f"{layers.matched} / {layers.expected}")
        rows += [(t(lang, "sum.lokus_paper", year=year) if mine else f"Lokus {year}",  # beside the user's list: the paper's, for comparison
                  str(int(kel[f"lokus_{year}"].sum())) + (f" ({t(lang, 'sum.lokus_embedded')})" if mine else ""))
                 for year in ("2021", "2022")]
        rows += [(f"ODF ({layers.odf_from or layers.as_of.isoformat()})", ", ".join(f"{odf_label(lang, k)}: {count(v, lang)}" for k, v in odf.items())
                  + f", {t(lang, 'no_data')}: {int(kel['status_odf'].isna().sum())}"),
                 (_reported_label(kel, lang), str(int(kel["stunting_dilaporkan"].notna().sum())))]
    rows += result.decisions
    rows += result.uncertainty
    for i, line in enumerate(result.konvergensi):
        rows.append((t(lang, "konv.sum_row") if i == 0 else "", line.strip()))
    for period, rep in result.reports.items():
        matched = sum(sum(f.matched.values()) for f in rep.files)
        unmatched = sum(len(f.unmatched) for f in rep.files)
        rows.append((f"Data {period or ''}".strip(),
                     t(lang, "sum.data", matched=matched, unmatched=unmatched, with_data=rep.with_data, kelurahan=rep.kelurahan)
                     + (t(lang, "sum.data_measured", n=rep.measured, kelurahan=rep.kelurahan) if rep.measured is not None else "")
                     + _unmatched_which(rep, lang)))
    return rows


def lokus_read_as_line(lang: str, d: dict) -> str:
    """A lokus-list row whose name was read otherwise than written: "lokus_2026.csv baris 3: 'Warung Jaut' dibaca sebagai
    Warung Jaud (Kec. Kasemen, kemiripan 90)", or "(..., menurut kodenya 36.73.02.1004)" where a code was given."""
    how = (t(lang, "sum.read_as_score", score=number(d["score"], 1, lang, trim=True)) if d.get("score") is not None
           else t(lang, "sum.read_as_code", code=d["kode_kel"]))
    return t(lang, "sum.lokus_read_as", file=d["file"], row=d["row"], written=repr(d["written"]), kel=d["kelurahan"], kec=d["kecamatan"], how=how)


def _reported_label(kel, lang: str) -> str:
    """"Kelurahan berdata kasus (2026)": the period of the case counts, so that it is not read against another period's line."""
    periods = sorted({str(p) for p in kel.get("periode_stunting_dilaporkan", pd.Series(dtype=object)).dropna() if str(p)})
    return t(lang, "sum.reported_in", period=", ".join(periods)) if periods else t(lang, "sum.reported")


def _unmatched_which(rep, lang: str, most: int = 10) -> str:
    """'; unmatched: file.csv row 78 'Kalodran Baru' (kec. Walantaka), ...': which rows did not match, by row number and
    the place name they give (files with personal data list no label, only their counts per reason)."""
    which = [t(lang, "sum.unmatched_row", file=Path(str(f.file)).name, row=u["row"], name=u["kelurahan"], kec=u["kecamatan"] or "?")
             for f in rep.files for u in f.unmatched]
    if not which:
        return ""
    more = len(which) - most
    return "; " + t(lang, "sum.unmatched_which", rows=", ".join(which[:most]) + (t(lang, "sum.more", n=more) if more > 0 else ""))


def _products(result: BuildResult, statics: dict, lang: str) -> list["Product"]:
    from serang_gis.render.site import Product

    products = []
    for f in result.files:
        if f.suffix == ".html":  # every page a card (a picture when a static map was drawn), titled as the page is
            products.append(Product(f.name, result.titles.get(f.name) or f.stem.replace("_", " "),
                                    t(lang, "index.csv" if f.name == "matriks_lokus_opd.html" else "index.interactive"),
                                    statics.get(f.name, Path("")).name or None, card=True))
    for f in result.files:
        if f.name == "funnel_prevalensi.png":  # a picture to look at, not a map to open
            products.append(Product(f.name, t(lang, "index.funnel_title"), t(lang, "index.funnel"),
                                    f.name))
    for f in result.files:
        if f.name == "funnel_prevalensi.png":
            continue
        kinds = {".gpkg": t(lang, "index.gpkg"), ".geojson": "GeoJSON + .qml", ".csv": t(lang, "index.csv"), ".png": t(lang, "index.png"),
                 ".pdf": "PDF", ".qgz": t(lang, "index.qgz"), ".xlsx": t(lang, "index.xlsx"), ".json": t(lang, "index.json")}
        if f.suffix in kinds and not f.name.endswith("_thumb.png"):  # every product the build wrote, linked
            products.append(Product(f.name, f.name, kinds[f.suffix], None))
    return products


def _sources(result: BuildResult, lang: str) -> list[str]:
    sources = [t(lang, "attribution")]
    if result.layers is not None:
        sources.insert(0, t(lang, "src.paper", title="Sinergitas dalam Percepatan Penanganan Kasus Stunting di Kota Serang"))
        used = set(reference.stunting_kecamatan()["sumber"])  # only what a product shows: a replaced figure is no source
        used |= set() if result.layers.counts_from else set(reference.stunting_kelurahan()["sumber"])
        used |= set() if result.layers.odf_from else set(reference.sanitasi()["sumber"])
        sources[1:1] = [source_text(lang, x) for x in sorted(used)]
    for rep in result.reports.values():
        for f in rep.files:
            name = f"{Path(f.file).name}" + (f" [{f.sheet}]" if f.sheet else "")
            sources.append(t(lang, "src.file_period", file=name, period=f.period) if f.period else name)
    return sources + result.kegiatan


def _odf_said(layers) -> str:
    return f"ODF: {layers.odf_from}" if layers.odf_from else f"ODF per {layers.as_of.isoformat()}"


def _index(result: BuildResult, region: str, statics: dict, lang: str) -> str:
    from serang_gis.render.site import render_index

    check_rows = [dict(name=c.name, expected=_fmt(c.expected, lang), found=_fmt(c.found, lang), ok=c.ok, note=c.note) for c in result.checks]
    kab = str(result.kelurahan["kabkota"].iloc[0])
    table_cols = [c for c in ("kode_kel", "kelurahan", "kecamatan", "prevalensi_stunting", "keandalan_gizi", "balita_stunting", "persen_keluarga_berisiko",
                              "status_odf", "lokus_2021", "lokus_2022", "stunting_dilaporkan", "skor_prioritas", "peringkat", "prioritas",
                              "peringatan_data")
                  if c in result.kelurahan.columns]
    if result.layers is not None and result.layers.counts_from and "stunting_dilaporkan" in table_cols:
        table_cols.remove("stunting_dilaporkan")  # the user's counts stand in for the reported ones (join.atlas.with_reference)
    table = pd.DataFrame(result.kelurahan[table_cols])
    if has_draws(result.kelurahan):  # strong / borderline / not a lokus by the data / needs data, beside the tier
        table.insert(table.columns.get_loc("prioritas") + 1 if "prioritas" in table.columns else len(table.columns), "kekuatan_lokus",
                     lokus_strength(result.kelurahan, lang))
    table = table.sort_values("peringkat" if "peringkat" in table_cols else "kode_kel")
    match = [line for rep in result.reports.values() for line in rep.summary(lang)]
    return render_index(
        title=t(lang, "index.title", kab=kab),
        subtitle=" · ".join([region, *filter(None, [_odf_said(result.layers) if result.layers is not None else ""]),
                             *(f"data {p}" for p in result.reports if p)]),  # nothing said: no dangling dot
        products=_products(result, statics, lang), summary=summary_rows(result, lang), checks=check_rows, sources=_sources(result, lang),
        notes=[say(lang, n) for n in result.notes], lang=lang, table=table, match=match, fragments=result.fragments,
        table_caption=result.table_caption, headings=_headings(result, lang))


def _headings(result: BuildResult, lang: str) -> dict:
    """The kelurahan table's ODF and reported-case columns headed with their date and period, as the maps head them
    (recheck11 L5): "Status ODF (per 2025-09-20)", "Balita stunting dilaporkan (2023–2024-07, balita)"."""
    if result.layers is None:
        return {}
    out = {"status_odf": odf_title(result.layers, lang)}
    span = reported_span(result.kelurahan)
    if span and not result.layers.counts_from:
        out["stunting_dilaporkan"] = t(lang, "col.reported_period", period=span)
    return out
