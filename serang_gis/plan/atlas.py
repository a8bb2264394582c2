"""The atlas plan: every product of a build, decided once, before anything is drawn.

``plan_atlas`` takes the joined (and analysed) kelurahan layer and the build's settings, and returns a
frozen ``AtlasPlan``: the map pages (which layers, which periods, which is shown first, titles that
say a partial period), the static maps, the layers the GeoPackage styles (one per map layer the HTML
shows), the funnel and "dua angka" of the city period, and what the index says about periods and
sources. ``render.atlas.write_atlas`` draws it and decides nothing.
"""

from __future__ import annotations

import dataclasses

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from serang_gis.core.classify import classify
from serang_gis.core.numbers import number
from serang_gis.core.text import TEXT, Msg, group_name, short_sources, source_text  # TEXT read as data: TEXT[lang][key]
from serang_gis.join import periods as periods_mod
from serang_gis.plan import layers as plan
from serang_gis.read import reference

DIVERGING = "RdBu"
RATES = ("prevalensi_stunting", "persen_keluarga_berisiko", "kesenjangan_sanitasi")


@dataclass(frozen=True)
class Static:
    """A PNG, PDF and thumbnail of one planned layer."""

    stem: str  # file name without suffix
    layer: plan.LayerPlan
    frame: pd.DataFrame  # the units the layer was planned on
    title: str
    subtitle: str
    source: str
    page: str  # the HTML page it illustrates (its thumbnail in the index)
    overlays: tuple = ()  # outline layers (plan.LayerPlan, kind "outline") drawn over the fill, each in the legend as its line
    circles: plan.LayerPlan | None = None  # a count drawn as proportional circles over the fill, with its size legend


@dataclass(frozen=True)
class Page:
    """One HTML map: what it draws, from which plan, for which units."""

    file: str
    kind: str  # kelurahan | kecamatan (the embedded atlas) | map | kecamatan_rate | boundaries
    units: plan.Units
    plan: plan.MapPlan | None = None
    layers: tuple | None = None  # map: the switchable layers (periods, change); kecamatan_rate: the one layer
    title: str | None = None
    statics: tuple[Static, ...] = ()
    office: object = None  # opd: plan.offices.Office, the office the page is of


@dataclass(frozen=True)
class ExportLayer:
    """One layer an HTML map shows, written as its own styled GeoPackage layer (``peta_<name>``)."""

    name: str
    layer: plan.LayerPlan
    frame: pd.DataFrame  # the rows the layer was planned on (kelurahan or kecamatan), with geometry
    # the GeoPackage's count-point tables its page draws over it when it opens (the embedded kelurahan map's reported
    # cases, ``stunting_dilaporkan_titik``): the QGIS project ticks them with it, as the HTML opens
    counts_shown: tuple[str, ...] = ()


class OfficeGroup(NamedTuple):
    """The QGIS group of one office: its GeoPackage tables (top first), those ticked, those only this group shows."""

    name: str
    tables: tuple[str, ...]
    ticked: tuple[str, ...]
    own: tuple[str, ...] = ()


@dataclass(frozen=True)
class AtlasPlan:
    region: str
    settings: object  # read.inputs.Settings
    units: plan.Units  # the one coverage every product draws
    joined: object  # join.atlas.Joined: reports, periods, embedded figures, checks
    analysed: object  # analysis.atlas.Analysed: rank, convergence
    pages: tuple[Page, ...]
    export: plan.MapPlan | None  # the plan that styles the GeoPackage's kelurahan layer
    export_layers: tuple[ExportLayer, ...]
    funnel_period: str | None  # the city period of the nutrition figures, said on the funnel plot (None: no funnel)
    decisions: tuple[tuple[str, str], ...]  # the index's rows on which period and which source each product uses
    two_numbers: str | None = None  # the "dua angka" sentence (Kota Serang)
    table_caption: str = ""  # the index's kelurahan table: of which periods
    notes: tuple[str, ...] = field(default_factory=tuple)
    offices: tuple = ()  # plan.offices.Office: the per-office view (pages, and the index's "Per OPD" list)
    office_groups: tuple[OfficeGroup, ...] = ()  # QGIS: a group per office


def plan_atlas(joined, analysed, settings, region: str) -> AtlasPlan:
    s = settings
    u = plan.units(analysed.kelurahan)
    cleaned = plan.cleaning_notes(u.kelurahan)  # once: the notes, --strict and the boundary warnings read it
    if s.strict:
        plan.refuse_open_gaps(u.kelurahan, cleaned)
    pages: list[Page] = []
    if joined.embedded is not None:
        joined.embedded.kelurahan = u.kelurahan
        pages += _embedded_pages(joined.embedded, u, s)
    priority = None
    if analysed.ranked:
        u.kelurahan.attrs["periode_peringkat"] = _rank_period(joined.periods, s.lang)  # every profile's rank rows say it
        priority = plan.indicator_plan(u.kelurahan, "prioritas", lang=s.lang, unit_layer=u)
        priority.main.period = u.kelurahan.attrs["periode_peringkat"]
        priority.main.source = priority.main.source or "; ".join(priority.sources)  # the tables of the periods ranked
        if plan.has_draws(u.kelurahan):  # strong and borderline lokus: a layer of the same map (exclusive with the tiers)
            priority.context.insert(0, plan.strength_layer(u.kelurahan, lang=s.lang))
        title = priority.title + (f" ({TEXT[s.lang]['period']} {priority.main.period})" if priority.main.period else "")
        pages.append(Page("peta_prioritas.html", "map", u, priority, title=title))
    maps, exported = _indicator_pages(s, u, joined.periods, bool(joined.reports))
    pages += maps
    offices = _office_view(s, u, joined, analysed)
    pages += [Page(o.file, "opd", u, layers=o.layers, title=TEXT[s.lang]["opd.title"].format(name=o.name), office=o)
              for o in offices if o.file]
    check_page_names(pages, s.name_template)
    exported = exported or priority
    if exported is not None:
        exported.units = u  # the export carries every column, the rank included
    gizi = joined.periods.get("gizi")
    said = joined.periods_said  # the city period of each group, said by the index and the rank
    notes = plan.repair_notes(u.kelurahan, s.lang, cleaned) + _boundary_notes(joined.notes, cleaned) + analysed.notes + skipped_maps(s, u.kelurahan, bool(joined.reports)) + change_notes(s, u.kelurahan, bool(joined.reports)) + ([Msg("rank.note_periods", said="; ".join(said))] if analysed.ranked and said else [])
    export_layers = _export_layers(pages, joined.embedded, s.lang)
    groups = office_export(offices, u.kelurahan, export_layers, s.lang)
    return AtlasPlan(region, s, u, joined, analysed, tuple(pages), exported, tuple(export_layers),
                     funnel_period=(gizi.label(s.lang) if gizi and gizi.period else "") if analysed.measured else None,
                     decisions=tuple(_decisions(said, joined.sources, s.lang)), two_numbers=analysed.two_numbers,
                     table_caption=_table_caption(joined.periods, s.lang), notes=tuple(notes), offices=tuple(offices),
                     office_groups=groups)


def _office_view(s, u: plan.Units, joined, analysed) -> list:
    """The per-office view of a config atlas with data (tables or activity matrices): ``plan.offices``."""
    from serang_gis.plan.offices import plan_offices

    if s.factors is None or not (joined.reports or analysed.konvergensi is not None):
        return []
    periods = sorted({p for p in choices_periods(joined.periods) if p})
    kel = u.kelurahan

    def shown_of(col: str) -> tuple[str, str | None, str]:
        """The layer the indicator's own map shows first: its city period's (titled as there), else its latest value."""
        info = plan.info_of(col, kel)
        choice = joined.periods.get(info.group)
        per = (choice.period if choice is not None and choice.period else None) or (periods[-1] if periods else None)
        if per and f"{col}__{per}" in kel.columns:
            return f"{col}__{per}", per, f"{info.label(s.lang)} {period_title(choice, per, s.lang)}"
        return col, None, info.label(s.lang)

    unread = {w.fields["field"]: (f.name(), w.fields["header"]) for rep in joined.reports.values() for f in rep.files
              for w in f.warnings if getattr(w, "key", None) == "read.w_resembling"}  # a column like a field, left unread
    offices = plan_offices(s, u, analysed.konvergensi, lambda col: _pooled_classes(s, kel, col, periods), shown_of, unread)
    return [dataclasses.replace(o, period_why=_office_periods(o, joined.periods, kel, s.lang)) for o in offices]


def _office_periods(office, choices: dict, kel, lang: str) -> tuple[tuple[str, str], ...]:
    """Why each factor layer of an office shows its period, where the index says why (the city period of its group,
    shown): ' (periode lengkap terakhir; 2024 lebih baru tetapi hanya 21 dari 67 kelurahan melapor ...)'."""
    out = []
    for x in office.factor_layers:
        col, _, per = x.column.partition("__")
        c = choices.get(plan.info_of(col, kel).group)
        if c is not None and per and per == c.period and c.why(lang):
            out.append((x.column, c.why(lang)))
    return tuple(out)


def office_export(offices, kel, export_layers: list, lang: str) -> tuple:
    """Each office's factor layers as GeoPackage layers (one per column, shared by the offices that own it, added to
    ``export_layers`` where no map exported it yet), and the QGIS group of each office naming its tables."""
    import dataclasses

    from serang_gis.plan.offices import lokus_reach_layer

    taken = {e.name for e in export_layers}
    groups = []
    for o in offices:
        tables, own = [], []
        reach = lokus_reach_layer(o, lang)
        if reach is not None:  # the lokus it reaches and does not, on top of its factor layers (this group's own layer)
            on = reach.index >= 0
            export_layers.append(ExportLayer(slug(reach.id), dataclasses.replace(reach, index=reach.index[on], marks=[None] * int(on.sum())),
                                             kel[on].reset_index(drop=True)))
            own.append(f"peta_{slug(reach.id)}")
        for layer in o.factor_layers:  # named as the indicator map's layer of that column and period (then shared)
            name = slug(layer.column.replace("__", "_"))
            if name not in taken:
                export_layers.append(ExportLayer(name, dataclasses.replace(layer, id=layer.column, group=None, show=True), kel))
                taken.add(name)
            tables.append(f"peta_{name}")
        if tables or own:  # ticked: the reach and the first factor (the HTML page opens so)
            groups.append(OfficeGroup(TEXT[lang]["opd.qgis_group"].format(name=o.name), tuple(own + tables), tuple(own + tables[:1]),
                                      tuple(own)))
    return tuple(groups)


def _boundary_notes(notes: list, cleaned: list) -> list:
    """The join's notes, less the boundary check's overlap warnings when the cleaning note (``cleaned``, the coverage's
    ``plan.layers.cleaning_notes``) names the pairs with what cleaning did to them: each overlap is said once."""
    if not any(getattr(n, "key", None) == "coverage.clean" for n in cleaned):  # an open gap alone names no pair
        return list(notes)
    return [n for n in notes if getattr(n, "key", None) != "coverage.overlap"]


def check_page_names(pages, template: str) -> None:
    """Every page a plain file name of its own: none index.html, none twice (a name_template without {scope} ...)."""
    from serang_gis.core.errors import InputError
    from serang_gis.output.policy import RESERVED, name_problem

    seen = set()
    for page in pages:
        stem = page.file[:-5] if page.file.endswith(".html") else page.file
        why = name_problem(stem, RESERVED) or ("two maps get this name" if stem in seen else None)
        if why:
            raise InputError(f"name_template {template!r}: the map file {page.file!r} is not usable: {why}",
                             hint='write e.g. name_template = "{indicator}_{scope}" (each map its own plain file name)')
        seen.add(stem)


def _table_caption(choices: dict, lang: str) -> str:
    """'Tabel kelurahan: gizi 2023 (67 dari 67 kelurahan); sanitasi tanpa periode (67 dari 67 kelurahan)'."""
    said = "; ".join(f"{group_name(lang, g)} {c.label(lang)}" for g, c in choices.items())  # "nutrition 2023" in English
    return TEXT[lang]["table_period"].format(label=said) if said else ""


def _rank_period(choices: dict, lang: str) -> str | None:
    """'2023', or '2023; sanitasi: tanpa periode' where a group's table has no period."""
    dated = ", ".join(sorted({c.period for c in choices.values() if c.period}))
    undated = ", ".join(group_name(lang, g) for g, c in choices.items() if not c.period)
    text = dated + ("; " if dated and undated else "") + (f"{undated}: {TEXT[lang]['no_period']}" if undated else "")
    return text or None


def _decisions(said: list[str], sources: list[str], lang: str) -> list[tuple[str, str]]:
    rows = [(TEXT[lang]["city_period"] if i == 0 else "", line) for i, line in enumerate(said)]
    return rows + [(TEXT[lang]["sources_used"] if i == 0 else "", line) for i, line in enumerate(sources)]


# ---- the embedded atlas of Kota Serang -----------------------------------------------------------


def _embedded_pages(layers, u: plan.Units, s) -> list[Page]:
    odf = plan.odf_layer(u.kelurahan, lang=s.lang, title=odf_title(layers, s.lang))  # planned once: map, static map, GeoPackage
    statics = _embedded_statics(layers, odf, u, s.lang) if s.static else ((), ())
    return [Page("peta_kelurahan.html", "kelurahan", u, layers=(odf,), statics=statics[0]),
            Page("peta_kecamatan.html", "kecamatan", u, statics=statics[1])]


def odf_title(layers, lang: str) -> str:
    """The ODF layer's title: the user's file where it replaced the embedded status, else the embedded status's date."""
    return TEXT[lang]["odf_user"].format(files=layers.odf_from) if layers.odf_from else TEXT[lang]["odf"].format(date=layers.as_of.isoformat())


def _embedded_statics(layers, odf: plan.LayerPlan, u: plan.Units, lang: str) -> tuple[tuple[Static, ...], tuple[Static, ...]]:
    text = TEXT[lang]
    kel = _kelurahan_static(layers, odf, u, lang)
    kec = plan.with_columns(u.kecamatan, layers.kecamatan)
    last = sorted(reference.stunting_kecamatan()["snapshot"].unique())[-1]
    col = f"balita_stunting_{last.replace('-', '_')}"
    count = plan.count_layer(kec, col, lang=lang, title=text["static.stunting"])  # the size legend's heading
    count.unit = text["unit.balita"]
    said = sorted({source_words(str(v), lang) for v in kec.get(f"sumber_{col}", pd.Series(dtype=object)).dropna()})
    embedded = Static("peta_kecamatan", count, kec, text["stunting_snap_embedded"].format(snap=last),
                      text["static.per_kec"].format(kab="Kota Serang"),
                      text["static.kec_source"].format(source="; ".join(said) or text["src.news"]), "peta_kecamatan.html")
    return (kel,), (*_user_counts_static(layers, u, lang), embedded)


def _kelurahan_static(layers, odf: plan.LayerPlan, u: plan.Units, lang: str) -> Static:
    """The kelurahan page's static map, as its HTML page: the ODF fill, the lokus 2021 and 2022 outlines (their HTML and
    QGIS styles) and the reported cases as circles whose size legend names their period(s); the subtitle and source
    line name each one's source (the user's tables where they replaced the embedded ODF status or counts)."""
    text, kel = TEXT[lang], u.kelurahan
    lokus = plan.lokus_layers(kel, {year: kel[f"lokus_{year}"] for year in ("2021", "2022") if f"lokus_{year}" in kel.columns}, lang=lang)
    periods = sorted({str(p) for p in kel.get("periode_stunting_dilaporkan", pd.Series(dtype=object)).dropna() if str(p)})
    span = reported_span(kel)
    counts = layers.counts_from  # the user's counts replaced the news-based ones: the circles and their source are the user's
    circles = None
    if "stunting_dilaporkan" in kel.columns and pd.to_numeric(kel["stunting_dilaporkan"], errors="coerce").notna().any():
        heading = (text["reported_user"].format(files=counts, period=", ".join(periods)) if counts
                   else text["static.reported_period"].format(period=span) if span else text["reported"])
        circles = plan.count_layer(kel, "stunting_dilaporkan", lang=lang, title=heading, source=counts, period=span or None)
        circles.unit = text["unit.balita"]

    def sites(col: str) -> str:
        return short_sources(lang, sorted({str(v) for v in kel.get(col, pd.Series(dtype=object)).dropna()}), most=6)

    user = layers.odf_from
    date = layers.as_of.isoformat()
    cases_said = (text["user_table_period"].format(files=counts, period=", ".join(periods)) if counts
                  else text["static.cases_news"].format(period=span) if span else text["src.news"])
    odf_part = text["static.odf_user"].format(files=user) if user else text["static.odf_as_of"].format(date=date)
    subtitle = f"Kota Serang · {odf_part}" + (f"; {text['static.cases_part'].format(cases=cases_said)}" if circles else "")  # short
    news = sites("sumber_stunting_dilaporkan")
    source = text["static.kel_sources"].format(
        lokus=reference.lokus_credit(lang),  # what each list rests on: lokus 2022 the paper's 19, the decree's 18
        odf=user if user else text["static.odf_news"].format(date=date, sites=sites("sumber_odf")),
        cases=counts if counts else cases_said + (f" ({news})" if news else ""))
    if circles is None:  # no counts drawn: no source of them
        source = source[:source.rindex("; ")]
    source += " · " + text["static.boundaries"]
    return Static("peta_kelurahan", odf, kel, text["static.kel_title"], subtitle, source, "peta_kelurahan.html",
                  overlays=tuple(lokus), circles=circles)


def reported_span(kel: pd.DataFrame) -> str:
    """The span of the reported cases' periods ("2023–2024-07", one period alone, "" without any): the PNG's and the
    HTML's circle layer, legend and subtitle name it alike."""
    periods = sorted({str(p) for p in kel.get("periode_stunting_dilaporkan", pd.Series(dtype=object)).dropna() if str(p)})
    return periods[0] if len(periods) == 1 else (f"{periods[0]}\u2013{periods[-1]}" if periods else "")


def _user_counts_static(layers, u: plan.Units, lang: str) -> tuple[Static, ...]:
    """The user's e-PPGBM counts per kecamatan (summed by the units), where they replaced the embedded news-based ones:
    the map the rembuk pack shows instead of the embedded snapshot. Drawn before it: the page's thumbnail stays the
    embedded map its HTML shows."""
    if not layers.counts_from or "balita_stunting" not in u.kecamatan.columns:
        return ()
    text = TEXT[lang]
    period = ", ".join(sorted({str(p) for p in u.kelurahan.get("periode_stunting_dilaporkan", pd.Series(dtype=object)).dropna()}))
    count = plan.count_layer(u.kecamatan, "balita_stunting", lang=lang, title=text["static.stunting"], layer_id="balita_stunting_pengguna")
    count.unit, count.source, count.period = text["unit.balita"], layers.counts_from, period or None
    title = text["stunting_snap"].format(snap=period) if period else text["static.stunting"]
    return (Static("balita_stunting_per_kecamatan", count, u.kecamatan, title, text["static.per_kec"].format(kab="Kota Serang"),
                   text["static.user_source"].format(files=layers.counts_from), "peta_kecamatan.html"),)


def source_words(raw: str, lang: str) -> str:
    """A source as the embedded tables store it ("paper Table 1 (...)", "<url> (reported 27 Jun 2023)",
    "<url> (data sementara)") in the words of ``lang`` (``core.text.source_text``)."""
    return source_text(lang, raw)


# ---- one map per indicator and scope ---------------------------------------------------------------


def _indicator_pages(s, u: plan.Units, choices: dict, has_tables: bool) -> tuple[list[Page], plan.MapPlan | None]:
    """One page per indicator and scope (periods switchable, change layers), and one per kecamatan.

    Returns the pages and the plan the exports are styled with (the first indicator, whole kab/kota)."""
    kel = u.kelurahan
    periods = sorted({p for p in choices_periods(choices) if p})
    indicators = list(s.indicators) or (_rates_with_data(kel) if has_tables else [])
    if not indicators:
        if not has_tables and len(kel) and "status_odf" not in kel.columns:  # a boundaries-only atlas
            return [_boundaries_page(s, u)], None
        return [], None
    pages, exported = [], None
    for ind in indicators:
        if has_tables and absent_indicator(kel, ind):  # listed in [maps] but its table not given: skipped, said in notes
            continue
        more, p = _pages_of(s, u, ind, periods, choices)
        pages += more
        exported = exported or p
    return pages, exported


def absent_indicator(kel: pd.DataFrame, ind: str) -> bool:
    """An indicator the package knows (a derived one or one of ``INFO``) whose inputs no table gave: its map is
    skipped with a note (``skipped_maps``) instead of failing the atlas. An unknown name stays an error."""
    from serang_gis.core.indicators import DERIVED, resolve

    col = resolve(ind, kel.columns)
    return col not in kel.columns and (col in DERIVED or col in plan.INFO)


def skipped_maps(s, kel: pd.DataFrame, has_tables: bool) -> list:
    """The note of each [maps] indicator skipped for want of its table: which columns are missing, which config line
    (with --strict the first one stops the build)."""
    from serang_gis.core.fields import FIELDS
    from serang_gis.core.indicators import DERIVED, resolve

    if not has_tables:
        return []
    examples = {f.name: f.examples[0] for f in FIELDS if f.examples}
    out = []
    for ind in s.indicators:
        if absent_indicator(kel, ind):
            col = resolve(ind, kel.columns)
            needs = DERIVED[col][1] if col in DERIVED else (col,)
            columns = ", ".join(f'"{examples.get(n, n)}"' for n in needs)
            out.append(Msg("plan.map_no_table", indicator=ind, label=Msg(f"ind.{col}") if f"ind.{col}" in TEXT["en"] else col,
                           columns=columns))
    if s.strict and out:  # a map asked for and not drawn is a warning: --strict stops
        from serang_gis.core.errors import InputError
        from serang_gis.core.text import say

        raise InputError("--strict: " + " ".join(say("en", m) for m in out))
    return out


def choices_periods(choices: dict) -> set[str]:
    return {p for c in choices.values() for p, _ in c.reporting_by_period}


def _boundaries_page(s, u: plan.Units) -> Page:
    kel = u.kelurahan
    layer = plan.LayerPlan("batas", "categorical", "kode_kel", "", categories=[], index=np.full(len(kel), -1),
                           no_data_label=TEXT[s.lang][plan.units_name(kel)], no_data_color=plan.BASE_COLOR)
    statics = (Static("peta_kelurahan", layer, kel, TEXT[s.lang]["boundaries"], "", TEXT[s.lang]["static.boundaries"],
                      "peta_kelurahan.html"),)
    return Page("peta_kelurahan.html", "boundaries", u, statics=statics if s.static else ())


def _pages_of(s, u: plan.Units, ind: str, periods: list[str], choices: dict) -> tuple[list[Page], plan.MapPlan | None]:
    kel = u.kelurahan
    col = plan.resolve_indicator(kel, ind)
    info = plan.info_of(col, kel)
    classes = _pooled_classes(s, kel, col, periods) if info.kind == "rate" else None
    choice = choices.get(info.group)
    pages, exported = [], None
    for scope, su in scopes(s, u):
        name = s.name_template.format(indicator=col, scope=scope, period="semua" if periods else "", region=kel["kode_kab"].iloc[0])
        p = plan.indicator_plan(su.kelurahan, col, scheme=s.scheme, k=s.k, bins=s.bins, lang=s.lang, classes=classes, unit_layer=su)
        if p.main.kind == "circles":  # one circle scale over the periods, as the GeoPackage's <count>_titik_<period>
            p.main.max_value = _circle_max(su.kelurahan, col, periods, p.main.max_value)
        if exported is None and scope == "kota" and p.main.kind in ("choropleth", "categorical"):
            exported = p
        where = f"{su.kelurahan['kabkota'].iloc[0]}" + ("" if scope == "kota" else f" · Kec. {su.kelurahan['kecamatan'].iloc[0]}")
        shown = [p.main]
        if periods and info.kind == "rate":
            shown = _period_layers(s, su.kelurahan, kel, col, classes, periods, choice)
        statics = tuple(_layer_statics(s, su, name, shown, where)) if s.static else ()
        pages.append(Page(f"{name}.html", "map", su, p, tuple(shown) if shown != [p.main] else None,
                          f"{info.label(s.lang)} – {where}", statics))
    if info.kind == "rate" and col in u.kecamatan.columns:  # the same classes per kecamatan, partial sums said and hatched
        pages.append(_kecamatan_page(s, u, col, info, classes, choice))
    return pages, exported


def _circle_max(frame, col: str, periods: list[str], latest) -> float:
    """The count of the largest circle: the largest of the latest count and of every period's."""
    values = [pd.to_numeric(frame[c], errors="coerce") for c in [f"{col}__{p}" for p in periods] if c in frame.columns]
    return max([float(latest or 0.0)] + [float(v.max()) for v in values if v.notna().any()])


def _pooled_classes(s, kel, col: str, periods: list[str]):
    """One set of classes for every period, scope and product: maps compare."""
    pooled = pd.concat([plan.classable(kel, col, period=p) for p in [None, *periods]
                        if (f"{col}__{p}" if p else col) in kel.columns], ignore_index=True)
    return plan.classes_for(pooled, col, scheme=s.scheme, k=s.k, bins=s.bins, lang=s.lang, frame=kel)


def _period_layers(s, frame, whole, col: str, classes, periods: list[str], choice) -> list[plan.LayerPlan]:
    """A layer per period (the city period shown first, a partial one titled so) and the change layers."""
    label = plan.info_of(col, frame).label(s.lang)
    first = choice.period if choice is not None and choice.period else periods[-1]
    shown = []
    for per in reversed(periods):
        pc = f"{col}__{per}"
        if pc in frame.columns:
            shown.append(plan.rate_layer(frame, col, classes, lang=s.lang, title=f"{label} {period_title(choice, per, s.lang)}",
                                         value_column=pc, period=per, group=col, layer_id=pc, show=per == first))
    for a, b in s.change:
        if not _change_missing(whole, col, a, b):  # a period without this indicator: skipped, said by change_notes
            shown.append(change_layer(frame, whole, col, a, b, s.lang))
    return shown


def _change_missing(frame, col: str, a: str, b: str) -> list[str]:
    """The periods of a change pair for which the indicator has no value at all."""
    return [p for p in (a, b) if f"{col}__{p}" not in frame.columns or pd.to_numeric(frame[f"{col}__{p}"], errors="coerce").isna().all()]


def change_notes(s, kel, has_tables: bool) -> list[Msg]:
    """A note for each change map asked for but not drawn: the indicator has no data for one of its periods."""
    notes = []
    for ind in list(s.indicators) or (_rates_with_data(kel) if has_tables else []):
        if has_tables and absent_indicator(kel, ind):  # said once, by skipped_maps
            continue
        col = plan.resolve_indicator(kel, ind)
        if plan.info_of(col, kel).kind != "rate":
            continue
        for a, b in s.change:
            missing = _change_missing(kel, col, a, b)
            if missing:
                notes.append(Msg("change.skipped", label=IndicatorLabel(col), a=a, b=b, missing=", ".join(missing)))
    return notes


@dataclass(frozen=True)
class IndicatorLabel:
    """An indicator's name, read in a message's language (a ``Msg`` field)."""

    col: str

    def text(self, lang: str) -> str:
        return plan.info_of(self.col).label(lang)


def _kecamatan_page(s, u: plan.Units, col: str, info, classes, choice) -> Page:
    kel = u.kelurahan
    label = info.label(s.lang)
    name = s.name_template.format(indicator=col, scope="per_kecamatan", period="", region=kel["kode_kab"].iloc[0])
    layer = plan.rate_layer(u.kecamatan, col, classes, lang=s.lang,
                            title=f"{label} {period_title(choice, choice.period, s.lang)}" if choice is not None else None)
    statics = (Static(name, layer, u.kecamatan, f"{label} per kecamatan", kel["kabkota"].iloc[0], layer_sources(layer, s.lang),
                      f"{name}.html"),) if s.static else ()
    return Page(f"{name}.html", "kecamatan_rate", u, layers=(layer,), statics=statics)


def _layer_statics(s, su: plan.Units, name: str, shown: list, where: str):
    for layer in shown:
        stem = name if len(shown) == 1 else f"{name}_{layer.column.split('__', 1)[1]}"
        yield Static(stem, layer, su.kelurahan, layer.title, where, layer_sources(layer, s.lang), f"{name}.html")


def period_title(choice, period: str, lang: str) -> str:
    """'2023' for a complete period (the index says how many reported); '2024, sebagian: 22 dari 67 kelurahan' for a
    partial one."""
    if choice is None:
        return period
    n = dict(choice.reporting_by_period).get(period, 0)
    return period if periods_mod.is_complete(n, choice.total, choice.share) else periods_mod.period_label(period, n, choice.total, lang, False)


def scopes(s, u: plan.Units) -> list[tuple[str, plan.Units]]:
    """The whole kab/kota, and each kecamatan zoomed: the same coverage, cut."""
    out = [("kota", u)] if "kota" in s.scopes else []
    if "kecamatan" in s.scopes:
        for (code, name), grp in u.kelurahan.groupby(["kode_kec", "kecamatan"], sort=True):
            kec = u.kecamatan[u.kecamatan["kode_kec"] == code]
            part = grp.reset_index(drop=True)
            part.attrs.update(u.kelurahan.attrs)
            out.append((f"kec_{code.split('.')[-1]}_{slug(name)}", plan.Units(part, kec.reset_index(drop=True), u.kabkota)))
    return out


def _rates_with_data(kel) -> list[str]:
    """Tables given but no [maps] indicators: every rate the tables gave (never silently no map)."""
    return [c for c in RATES if c in kel.columns and pd.to_numeric(kel[c], errors="coerce").notna().any()]


def change_layer(frame, whole, col, a, b, lang) -> plan.LayerPlan:
    """Later minus earlier, in percentage points, on a diverging palette centred on zero (classes from the whole kab/kota)."""
    info = plan.info_of(col, frame)
    key = f"{col}__{a}_{b}"

    def diff(f):
        return (pd.to_numeric(f[f"{col}__{b}"], errors="coerce") - pd.to_numeric(f[f"{col}__{a}"], errors="coerce")).round(2)

    frame[key] = diff(frame).to_numpy()
    label = TEXT[lang]["change"].format(label=info.label(lang), a=a, b=b)
    cls = diverging(diff(whole), lang)
    own = [f"sumber_{info.group}__{p}" for p in (a, b)]  # both years' files, not the latest period's alone
    source = "; ".join(dict.fromkeys(x for c in own if c in frame.columns for x in frame[c].dropna().astype(str).unique())) or None
    layer = plan.rate_layer(frame, col, cls, lang=lang, title=label, value_column=key, group=col, show=False,
                            layer_id=key, unit=TEXT[lang]["unit.poin"], note=None, source=source, period=f"{a}, {b}")
    return plan.with_caveats_of(layer, [plan.rate_layer(frame, col, cls, lang=lang, value_column=f"{col}__{p}", period=p)
                                        for p in (a, b)])


def diverging(diff: pd.Series, lang: str):
    m = float(diff.abs().max()) if diff.notna().any() else 1.0
    step = max(round(m / 3, 1), 0.1)
    breaks = [-2 * step, -step, -step / 5, step / 5, step, 2 * step]
    one = [round(b, 1) for b in breaks]  # one count of decimals in the legend ("-17,8 / -8,9 / -1,8 / 1,8"), where it keeps them apart
    breaks = one if len(set(one)) == len(one) and 0 not in one else [round(b, 2) for b in breaks]
    cls = classify(diff, "manual", bins=breaks, palette=DIVERGING, unit=TEXT[lang]["unit.poin"], lang=lang)
    if breaks != one:  # two decimals on every label, not "0,2" beside "0,02"
        b = [number(x, 2, lang) for x in breaks]
        u = " " + TEXT[lang]["unit.poin"]
        cls.labels = [f"< {b[0]}{u}"] + [f"{lo} – < {hi}{u}" for lo, hi in zip(b, b[1:])] + [f"≥ {b[-1]}{u}"]
    cls.colors = list(reversed(cls.colors))  # a fall (negative) is blue, a rise red
    return cls


def slug(text: str) -> str:
    return "".join(ch.lower() if ch.isalnum() else "_" for ch in str(text)).strip("_")


def layer_sources(layer: plan.LayerPlan, lang: str = "id") -> str:
    """The sources of what a static map shows (its layer's, not every table of the build), and the boundaries', in ``lang``."""
    text = TEXT[lang]
    period = text["static.layer_period"].format(period=layer.period) if layer.period else ""
    own = text["static.layer_source"].format(source=layer.source) + period + " · " if layer.source else ""
    return own + text["static.boundaries"]


# ---- the GeoPackage: a styled layer for every map layer the HTML shows -------------------------------


def _export_layers(pages: list[Page], embedded, lang: str) -> list[ExportLayer]:
    """Every classed layer the whole-city maps show (a kecamatan's zoomed map shows the same layers, cut), named once;
    counts per kecamatan as points (kelurahan counts have their own <count>_titik layers)."""
    out, taken = [], set()
    for page in pages:
        if "_kec_" in page.file:
            continue
        frame = {"kecamatan_rate": page.units.kecamatan, "map": page.units.kelurahan, "kelurahan": page.units.kelurahan}.get(page.kind)
        if page.kind == "kecamatan":
            frame = plan.with_columns(page.units.kecamatan, embedded.kecamatan)
        suffix = "_kecamatan" if page.kind == "kecamatan_rate" else ""
        shown = _counts_shown(page)
        for layer in _drawn(page, embedded, lang):
            period = f"_{layer.period}" if suffix and layer.period else ""  # the per-kecamatan rate of the city period
            name = slug(layer.id.replace("__", "_") + period) + suffix
            if name not in taken:
                out.append(ExportLayer(name, layer, frame, shown))
                taken.add(name)
    return out


def _counts_shown(page: Page) -> tuple[str, ...]:
    """The kelurahan count circles a page shows as it opens, as GeoPackage tables (``render.qgis.count_points`` names
    them ``<count>_titik``): the embedded kelurahan map draws the reported cases over the ODF status
    (``render.leaflet.atlas.kelurahan_spec``); an indicator map draws no circles over its choropleth."""
    kel = page.units.kelurahan
    if page.kind == "kelurahan" and "stunting_dilaporkan" in kel.columns and kel["stunting_dilaporkan"].notna().any():
        return ("stunting_dilaporkan_titik",)
    return ()


def _drawn(page: Page, embedded, lang: str) -> list[plan.LayerPlan]:
    """The classed layers (and kecamatan counts) a page draws, as the renderer will draw them."""
    if page.kind == "map":
        return [x for x in (*(page.layers or [page.plan.main]), *page.plan.context) if x.kind in ("choropleth", "categorical")]
    if page.kind in ("kecamatan_rate", "kelurahan"):
        return list(page.layers)
    if page.kind == "kecamatan":
        return embedded_counts(embedded, page.units, lang)
    return []


def embedded_counts(embedded, u: plan.Units, lang: str) -> list[plan.LayerPlan]:
    """The kecamatan map's circles: stunted toddlers per snapshot (one size scale) and families at risk (2021)."""
    from serang_gis.join.atlas import snapshot_column, snapshots

    kec = plan.with_columns(u.kecamatan, embedded.kecamatan)
    cols = [snapshot_column(snap) for snap in snapshots()]
    vmax = max(float(kec[c].max()) for c in cols)
    def said(col):
        return "; ".join(sorted({source_words(str(v), lang) for v in kec[f"sumber_{col}"].dropna()})) if f"sumber_{col}" in kec.columns else None

    out = [plan.count_layer(kec, c, lang=lang, title=TEXT[lang]["stunting_snap"].format(snap=snap), max_value=vmax, source=said(c), period=snap,
                            group="balita_stunting")  # periods of one count on one scale: the HTML shows one at a time
           for c, snap in zip(cols, snapshots())]
    return out + [plan.count_layer(kec, "keluarga_berisiko_2021", lang=lang, title=TEXT[lang]["families"], color="#4393c3",
                                   stroke="#053061", source="Sinergitas (2023), Tabel 1", period="2021")]
