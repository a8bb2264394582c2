"""The rembuk pack's two PDFs: ``laporan_analisis_situasi.pdf`` (A4) and ``bahan_paparan.pdf`` (16:9 slides).

Typed with Typst through its Python package (``typst``): it ships its own engine and fonts, so the PDFs
are made offline with their fonts embedded, and the same plan gives the same bytes (no creation
date, system fonts ignored). The layout lives in ``templates/*.typ``; every word and number reaches
Typst as JSON (``data.json``), already written by ``core.text`` and ``core.numbers``: nothing is
string-formatted into markup. The maps are the atlas's own static PNGs (``plan.statics``, drawn by
``render.static``), never redrawn; their legends are printed beside them from the same layer plans.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import replace
from functools import partial
from importlib import resources
from pathlib import Path

from serang_gis.core.errors import SerangGISError
from serang_gis.core.numbers import count
from serang_gis.core.text import say, t
from serang_gis.output.writers import write_bytes
from serang_gis.render.rembuk import facts, figures, meeting
from serang_gis.render.rembuk.slides import slides

REPORT = "laporan_analisis_situasi.pdf"
SLIDES = "bahan_paparan.pdf"
TEMPLATES = ("blocks.typ", "laporan.typ", "paparan.typ")


def write_pdfs(plan, result, out_dir, lang: str = "id") -> list[Path]:
    """Write ``laporan_analisis_situasi.pdf`` and ``bahan_paparan.pdf`` into ``out_dir``; return their paths.

    ``plan``: the ``plan.atlas.AtlasPlan`` of the build; ``result``: the ``render.atlas.BuildResult`` that
    ``write_atlas(plan, ...)`` returned (its ``out_dir`` holds the static maps and the funnel plot the PDFs
    show; its ``uncertainty`` rows give the funnel's sentence). ``lang``: "id" (default) or "en" for the
    PDFs' own words; the maps are drawn again in ``lang`` where it is not the atlas's, and for the slides at 16:9. Both PDFs are typed in memory first and written
    atomically only when both succeeded: nothing half-written. Partial data (one period, no families at
    risk, no activity matrix, no rank) give PDFs that say what is missing.
    """
    maps = facts.maps_shown(plan, result)
    miss = meeting.missing(plan, lang)  # the one list of what is missing: annex, slides, workbook, berita acara
    head = _head(plan, lang)
    with tempfile.TemporaryDirectory(prefix="rembuk_pdf_") as tmp:
        images = _Images(Path(tmp))
        (Path(tmp) / "fig").mkdir()
        if lang != plan.settings.lang:  # the atlas's PNGs speak the atlas's language: the report's maps drawn again in lang
            maps = [replace(m, png=figures.draw(plan, m, Path(tmp) / "fig", lang)) if m.kecamatan is None or m.show else m
                    for m in maps]
        draw = partial(figures.draw, plan, folder=Path(tmp) / "fig", lang=lang, size=figures.SLIDE, title=False)
        deck = dict(head, title=t(lang, "rpdf.slides_title"), slides=slides(plan, maps, miss, draw, images, lang))
        cut = _Cut(images, Path(tmp) / "fig")  # the report prints the map's title and legend itself
        fam = facts.families_map(plan, lang)  # the package's families at risk per kecamatan (2021): the report's map of them
        if fam is not None and not any(m.topic == "keluarga" for m in maps):
            maps = maps + [replace(fam, png=figures.draw(plan, fam, Path(tmp) / "fig", lang))]
        report = dict(head, title=t(lang, "rpdf.report_title"),
                      blocks=report_blocks(plan, result, maps, miss, cut, lang, deck["slides"], images))
        pdfs = {REPORT: _typeset(Path(tmp), "laporan.typ", report, images), SLIDES: _typeset(Path(tmp), "paparan.typ", deck, images)}
    out = Path(out_dir)
    return [write_bytes(out / name, data) for name, data in pdfs.items()]


class _Cut:
    """A map's PNG without its title, source line and legend (``figures.map_only``), as the report shows it under its
    printed title and beside its printed legend; ``block`` sizes that legend's circles as the map's."""

    def __init__(self, images, folder: Path):
        self.images, self.folder = images, folder

    def __call__(self, png: Path) -> str:
        return self.images(figures.map_only(png, self.folder))

    def block(self, m) -> dict:
        png = figures.map_only(m.png, self.folder)
        return m.block(self.images(png), png)


def _map_block(m, images) -> dict:
    return images.block(m) if hasattr(images, "block") else m.block(images(m.png))


class _Images:
    """The PNGs a document shows, copied beside the template (Typst reads files under its root only)."""

    def __init__(self, root: Path):
        self.root = root
        (root / "img").mkdir()
        self.names: dict[Path, str] = {}

    def __call__(self, png: Path) -> str:
        if png not in self.names:
            data = png.read_bytes()
            if not (data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")):  # signature .. IEND chunk
                raise SerangGISError(f"{png}: the static map is not a whole PNG (cut short or damaged)",
                                     hint="build the atlas again (its static maps are what the PDFs show) and run again")
            name = f"img/{len(self.names):03d}.png"
            (self.root / name).write_bytes(data)
            self.names[png] = name
        return self.names[png]


def _typeset(root: Path, template: str, data: dict, images: _Images) -> bytes:
    """The PDF's bytes; a map that cannot be read (a truncated PNG) is a clear error naming it, and nothing is written."""
    import typst

    for name in TEMPLATES:
        (root / name).write_text(resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8"), encoding="utf-8")
    (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    try:
        return typst.compile(str(root / template), root=str(root), ignore_system_fonts=True)
    except typst.TypstError as exc:
        said = str(exc)
        for png, name in images.names.items():
            said = said.replace(name, str(png))
        pngs = ", ".join(sorted({p.name for p in images.names}))
        raise SerangGISError(f"{REPORT if template == 'laporan.typ' else SLIDES}: could not be typeset: {said} (maps read: {pngs})",
                             hint="build the atlas again (its static maps are what the PDFs show) and run again") from exc


def _head(plan, lang: str) -> dict:
    """The cover: kab/kota, period, sources and date; the labels the templates print."""
    kel = plan.units.kelurahan
    kab = str(kel["kabkota"].iloc[0]) if "kabkota" in kel.columns and len(kel) else plan.region
    period = meeting.period_lines(plan, lang)  # per source: the user's tables, the package's figures the pack shows
    date = plan.settings.as_of or dt.date.today()
    labels = {k: t(lang, f"rpdf.{k}") for k in ("period", "date", "sources", "legend", "caveat", "page")}
    return {"lang": lang, "labels": labels,
            "cover": {"kab": kab, "period": period, "date": str(date), "aksi": t(lang, "rpdf.aksi"), "sources": _sources(plan, lang)}}


def _sources(plan, lang: str) -> list[str]:
    """The tables read (file name, sheet, period), the decisions on sources, the activity matrices; never a full path."""
    out = []
    for period, rep in sorted(plan.joined.reports.items(), key=lambda kv: str(kv[0])):
        for f in rep.files:
            out.append(f"{Path(f.file).name}" + (f" [{f.sheet}]" if f.sheet else "") + (f", {t(lang, 'rpdf.period').lower()} {period}" if period else ""))
    out += list(plan.joined.sources)
    konv = plan.analysed.konvergensi
    out += [str(s.get("berkas")) for s in (konv.sources if konv is not None else [])]
    out += meeting.shown_sources(plan, lang)  # the package's figures shown: stunting per kecamatan, cases, families, lokus
    return list(dict.fromkeys(out)) or [t(lang, "no_data")]


def report_blocks(plan, result, maps, miss, images, lang: str, deck: list[dict] | None = None, plots=None) -> list[dict]:
    """The A4 report after its cover: the findings (the slides' titles), maps and what changed, two numbers, funnel,
    lokus, who acts where, a page per kecamatan, the quality annex. ``images``: a map's PNG for Typst (its title and
    legend printed beside it, not inside); ``plots``: another figure's (the funnel)."""
    plots = plots or images
    blocks = _summary(deck or [], lang) + [{"t": "h1", "text": t(lang, "rpdf.maps")}]
    if deck:  # what changed between the periods (or why it cannot be shown): the first slide's finding
        blocks += [{"t": "h2", "text": deck[0]["title"]}] + [b for b in deck[0]["blocks"] if b["t"] != "map"]
    city = [m for m in maps if m.kecamatan is None]
    for topic in facts.TOPICS:
        shown = [m for m in city if m.topic == topic]
        blocks += [_map_block(m, images) for m in shown]
        if not shown:
            blocks.append({"t": "notice", "text": facts.no_map(plan, topic, lang)})
    blocks += _two_numbers(plan, lang) + _funnel(plan, result, plots, lang) + _lokus(plan, lang) + _reach(plan, lang)
    blocks += _kecamatan_pages(plan, maps, images, lang) + _quality(plan, miss, lang)
    return blocks


def _summary(deck: list[dict], lang: str) -> list[dict]:
    """The findings up front: the titles of the slides that state a finding (``"finding"``), each once; table
    headings, continuations, what cannot be shown yet and what is missing (the annex says it) left out."""
    said = list(dict.fromkeys(s["title"] for s in deck if s.get("finding") and not s.get("continued")))
    return [{"t": "h1", "text": t(lang, "rpdf.summary")}, {"t": "list", "items": said}, {"t": "pagebreak"}] if said else []


def _reach(plan, lang: str) -> list[dict]:
    """Who acts where: the high-need kelurahan no located pagu reaches, and the lokus x office table (the slides' own)."""
    from serang_gis.render.rembuk.slides import unfunded

    out = [{"t": "h1", "text": t(lang, "rpdf.s.who")}]
    for s in unfunded(plan, lang):
        out += [{"t": "h2", "text": s["title"]}] + s["blocks"]
    got = facts.who_acts_rows(plan, lang)
    if got is None:
        return out + [{"t": "notice", "text": t(lang, "rembuk.miss_kegiatan")}]
    cols, rows, unreached = got
    n = count(len(rows), lang)
    who = t(lang, "rpdf.s.who_n", reached=count(len(rows) - len(unreached), lang), n=n, given=facts.given_lokus(plan, lang))
    out.append({"t": "h2", "text": who})
    if unreached:
        out.append({"t": "notice", "text": t(lang, "rpdf.s.unreached", names=", ".join(unreached))})
    prop = facts.proposed_reach_said(plan, lang)
    if prop:  # the lokus the atlas proposes: reached by an office?
        out += [{"t": "p", "text": f"{prop[0]}. {prop[1]}"}]
    return out + [{"t": "table", "columns": cols, "rows": rows, "widths": [2.5, 2.5, 1.5, 5, 3], "align": ["l", "l", "r", "l", "r"]}]


def _two_numbers(plan, lang: str) -> list[dict]:
    text = plan.two_numbers
    body = {"t": "p", "text": text} if text else {"t": "notice", "text": t(lang, "rpdf.two_missing", why=t(lang, "rpdf.why.two"))}
    return [{"t": "h1", "text": t(lang, "rpdf.two")}, body]


def _funnel(plan, result, images, lang: str) -> list[dict]:
    png = Path(result.out_dir) / "funnel_prevalensi.png"
    out = [{"t": "h1", "text": t(lang, "rpdf.funnel")}]
    if plan.funnel_period is None or not png.is_file():
        return out + [{"t": "notice", "text": t(lang, "rpdf.funnel_missing")}]
    note = next((text for key, text in result.uncertainty if key in (t("id", "index.funnel_title"), t("en", "index.funnel_title"))), "")
    return out + [{"t": "p", "text": t(lang, "rpdf.funnel_how")}, {"t": "image", "image": images(png), "caption": note}]


def _lokus(plan, lang: str) -> list[dict]:
    out = [{"t": "h1", "text": t(lang, "rpdf.lokus")}]
    if not plan.analysed.ranked:
        return out + [{"t": "notice", "text": t(lang, "rpdf.miss.rank")}]
    last = plan.settings.lokus_name
    out.append({"t": "p", "text": facts.lokus_how(plan, lang)})
    if not last:
        out.append({"t": "notice", "text": t(lang, "rpdf.miss.last_lokus")})
    cols, rows, other = facts.lokus_rows(plan, lang)
    widths = [3, 3, 2, 2, 2, 1.6] + ([1.6, 3.5] if last else [])
    table = {"t": "table", "columns": cols, "rows": rows, "widths": widths, "align": ["l", "l", "l", "r", "r", "r", "l", "l"][:len(cols)]}
    out += [{"t": "h2", "text": t(lang, "rpdf.s.lokus_table", n=count(len(rows), lang))}, table]
    if other:  # not proposed, apart: last year's lokus left out, kelurahan needing data
        out += [{"t": "h2", "text": facts.lokus_other_title(plan, len(other), lang)}, dict(table, rows=other)]
    pagu = facts.pagu_headline(plan, lang) + meeting.unlocated(plan, lang)  # the pagu not located, beside the share it leaves out
    return out + ([{"t": "h2", "text": t(lang, "rpdf.pagu")}, {"t": "list", "items": pagu}] if pagu else [])


def _kecamatan_pages(plan, maps, images, lang: str) -> list[dict]:
    out = []
    for k in facts.kecamatan_rows(plan, lang):
        out += [{"t": "h1", "text": t(lang, "rpdf.kecamatan_page", name=k["name"])}, {"t": "p", "text": k["summary"]}]
        out += [dict(_map_block(m, images), height=8) for m in maps if m.kecamatan == k["name"] and m.show]  # map and table on one page
        out.append({"t": "table", "columns": k["columns"], "rows": k["rows"], "widths": [3, 1.6, 2.2, 3, 2, 1.8, 1.8],
                    "align": ["l", "r", "r", "r", "r", "l", "l"]})
        if k.get("note"):  # where the stunted toddlers come from when not the user's table, and what "tidak ada data" means
            out.append({"t": "p", "text": k["note"]})
    return out


def _quality(plan, miss, lang: str) -> list[dict]:
    """The annex: coverage, the flags per kelurahan, what is missing, the build's notes and checks."""
    out = [{"t": "h1", "text": t(lang, "rpdf.quality")}, {"t": "h2", "text": t(lang, "rpdf.coverage")},
           {"t": "list", "items": facts.coverage_lines(plan, lang)}, {"t": "h2", "text": t(lang, "rpdf.missing")},
           {"t": "p", "text": meeting.headline(plan, lang)}]  # the last slide's title, in every product
    out.append({"t": "list", "items": miss} if miss else {"t": "p", "text": t(lang, "rpdf.nothing_missing")})
    for key, items in (("rpdf.matrix_warnings", meeting.matrix_warnings(plan, lang)), ("rpdf.read_as", meeting.read_as(plan, lang)),
                       ("rpdf.unlocated", meeting.unlocated(plan, lang))):
        if items:  # names read otherwise than written, pagu whose Lokasi matched nothing (also in the berita acara's section 4)
            out += [{"t": "h2", "text": t(lang, key)}, {"t": "list", "items": items}]
    out.append({"t": "h2", "text": t(lang, "rpdf.flags")})
    flags = facts.flag_rows(plan, lang)
    cols = [t(lang, "rpdf.col.kelurahan"), t(lang, "rpdf.col.kecamatan"), t(lang, "rpdf.col.flag")]
    out.append({"t": "table", "columns": cols, "rows": flags, "widths": [2, 2, 6]} if flags else {"t": "p", "text": t(lang, "rpdf.no_flags")})
    notes = list(plan.notes) + (list(plan.analysed.konvergensi.notes) if plan.analysed.konvergensi is not None else [])
    notes += [h for h in (meeting.change_hint(plan, lang),) if h]  # how to ask for the change map: here, not on a slide
    if notes:  # a Msg read in the document's language (as a plain str it is English)
        out += [{"t": "h2", "text": t(lang, "rpdf.notes")}, {"t": "list", "items": [say(lang, n) for n in notes]}]
    return out + _paper_checks(plan, lang)


def _paper_checks(plan, lang: str) -> list[dict]:
    """The package's check of its embedded paper figures (the paper's printed numbers against the package's own tables):
    about the package's data, not the user's. Shown only when the pack draws on those figures (no user table given);
    with the user's own tables, one sentence says it is left out and where it is (the atlas's index)."""
    if not plan.joined.checks:
        return []
    head = {"t": "h2", "text": t(lang, "rpdf.checks")}
    if plan.joined.reports:
        return [head, {"t": "p", "text": t(lang, "rpdf.checks_left_out")}]
    from serang_gis.render.atlas import _fmt as check_value  # the atlas index's writing of a check's figure: "12 / 5"

    rows = [[c.name, check_value(c.expected, lang), check_value(c.found, lang), t(lang, "yes") if c.ok else t(lang, "no"), c.note or "–"]
            for c in plan.joined.checks]  # the same Check the atlas's index shows, a pair (kelurahan / kecamatan) as a pair
    cols = [t(lang, f"rpdf.col.{k}") for k in ("check", "expected", "found", "ok")] + [t(lang, "index.note")]
    return [head, {"t": "p", "text": t(lang, "rpdf.checks_how")},
            {"t": "table", "columns": cols, "rows": rows, "widths": [4.5, 2, 2, 1, 4.5], "align": ["l", "r", "r", "l", "l"]}]
