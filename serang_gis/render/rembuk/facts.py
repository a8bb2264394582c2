"""What the rembuk PDFs say, read from the atlas plan and the build result, never recomputed.

Each function returns plain data (strings already written by ``core.numbers`` and ``core.text``) that
``documents`` hands to Typst as JSON: the static maps the atlas drew, grouped by topic; the lokus
recommendation with its certainty; the kelurahan of each kecamatan; the data-quality annex; and the
list of what is missing, so that partial data give documents that say so instead of failing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from serang_gis.core.numbers import count, interval, number, percent, rupiah, value_of
from serang_gis.core.text import indicator_label, short_source, source_text, stored_text, t

TOPICS = ("prevalensi", "kasus", "keluarga", "sanitasi")


@dataclass(frozen=True)
class MapShown:
    """One static map of the atlas: its PNG, topic and what the PDF prints beside it."""

    topic: str
    png: Path
    title: str
    legend: list[dict]
    caveats: list[str]
    source: str
    show: bool  # the layer the atlas shows first (the city period)
    change: bool  # a change layer (later minus earlier)
    kecamatan: str | None  # the kecamatan a zoomed map shows, None for the whole kab/kota
    static: object = None  # the plan's ``plan.atlas.Static`` (the pack draws its own figures from it: ``figures``)

    def block(self, image: str, png: Path | None = None) -> dict:
        """The map's block; with ``png`` (the image as shown) its reference circles are sized as the map's circles:
        each circle's diameter as a share of the image's width (``frac``) and the image's ``aspect``, from which the
        template computes the width the image is shown at."""
        out = {"t": "map", "image": image, "title": self.title, "legend": self.legend, "caveats": self.caveats, "source": self.source}
        if png is not None and any(it.get("circle") for it in self.legend):
            from PIL import Image

            with Image.open(png) as im:
                (w, h), dpi = im.size, float((im.info.get("dpi") or (110,))[0])
            out["aspect"] = w / h
            out["legend"] = [dict(it, frac=it["points"] * dpi / 72 / w) if it.get("circle") else it for it in self.legend]
        return out


def topic_of(layer) -> str | None:
    """prevalensi | kasus | keluarga | sanitasi, from the column the layer draws."""
    col = f"{layer.group or ''} {layer.column or ''} {layer.id or ''}"
    for key, topic in (("prevalensi", "prevalensi"), ("keluarga", "keluarga"), ("balita_stunting", "kasus"),
                       ("stunting_dilaporkan", "kasus"), ("odf", "sanitasi"), ("sanitasi", "sanitasi"), ("jamban", "sanitasi")):
        if key in col:
            return topic
    return None


def legend_items(layer, frame: pd.DataFrame, lang: str) -> list[dict]:
    """The legend the static map draws (``render.static``): the plan's classes, or the circles' reference sizes."""
    if layer.kind == "circles":
        from serang_gis.plan.layers import BASE_COLOR
        from serang_gis.render.static import CIRCLE_AREA, CIRCLE_ALPHA, blend

        refs = _circle_refs(layer, frame)  # circle area proportional to the count, as on the map: diameter ~ sqrt(count)
        # the map's circles are translucent over the base fill: the legend's are the colour they show there; a marker's
        # area s (points^2) is the square of its diameter in matplotlib
        items = [{"label": f"{number(ref, 0, lang)} {layer.unit}", "color": blend(layer.color, BASE_COLOR, CIRCLE_ALPHA),
                  "stroke": blend(layer.stroke, BASE_COLOR, CIRCLE_ALPHA), "hatch": False, "circle": True,
                  "size": round(float(np.sqrt(ref / refs[0])), 3), "points": float(np.sqrt(CIRCLE_AREA * ref / refs[0]))}
                 for ref in refs]
        values = pd.to_numeric(frame[layer.column], errors="coerce") if layer.column in frame.columns else pd.Series(dtype=float)
        blank = [{"label": layer.no_data_label, "color": layer.no_data_color, "hatch": False}] if values.isna().any() else []
        return items + blank
    # an old status is said with its date, as the plan decided it for every legend (``plan.layers.old_classes``)
    return [{"label": str(label), "color": str(color), "hatch": kind == "hatch"} for kind, label, color in layer.legend()]


def static_legend(st, lang: str) -> list[dict]:
    """The legend of a static map (``plan.atlas.Static``) as ``render.static`` draws it: its layer's items, then the
    outline layers drawn over it (a line each, dashed where the map's is) and the circles' reference sizes."""
    from serang_gis.plan.layers import OUTLINE_COLOR

    items = legend_items(st.layer, st.frame, lang)
    # the kecamatan outlines the map draws over the units of its kecamatan (render.atlas: a frame with kode_kec)
    kec = ([{"label": t(lang, "kec_outline"), "color": OUTLINE_COLOR, "hatch": False, "line": "thin"}]
           if "kode_kec" in st.frame.columns and st.frame["kode_kec"].notna().any() else [])
    if getattr(st, "overlays", ()) or getattr(st, "circles", None) is not None:
        fills = [it for it in items if not it.get("circle")]
        lines = [{"label": o.title, "color": o.color, "hatch": False, "line": "dashed" if o.dash else "solid"}
                 for o in st.overlays if o.kind == "outline"]
        circles = legend_items(st.circles, st.frame, lang) if st.circles is not None else []
        heading = [{"label": st.circles.title, "color": st.circles.color, "hatch": False, "heading": True}] if circles else []
        return fills + lines + kec + heading + [it for it in circles if it.get("circle")]  # "no data" once: the fill layer's
    return [it for it in items if not it.get("circle")] + kec + [it for it in items if it.get("circle")]


def _circle_refs(layer, frame: pd.DataFrame) -> list[float]:
    """The two reference circles ``render.static`` draws: the largest value (or the plan's scale) and a quarter of it."""
    values = pd.to_numeric(frame[layer.column], errors="coerce") if layer.column in frame.columns else pd.Series(dtype=float)
    vmax = layer.max_value or (float(values.max()) if values.notna().any() else 0)
    return [vmax, vmax / 4] if vmax and vmax > 0 else []


def maps_shown(plan, result) -> list[MapShown]:
    """Every static map the atlas drew (whole kab/kota first, zoomed kecamatan after), as its PNG on disk."""
    out = []
    changes = {f"{a}_{b}" for a, b in (plan.settings.change or ())}
    for page in plan.pages:
        zoomed = "_kec_" in page.file
        for st in page.statics:
            png = Path(result.out_dir) / f"{st.stem}.png"
            topic = topic_of(st.layer)
            if topic is None or not png.is_file() or replaced_by_user(plan, st):
                continue
            lay = st.layer
            # the caveats are what the map marks (few measured, ...): its place (st.subtitle) and its classes' source
            # (the layer's note, e.g. "WHO-UNICEF 2018") are not; the note goes with the source
            caveats = [c for c in getattr(lay, "mark_labels", {}).values() if c]
            note = getattr(lay, "note", None)
            source = f"{st.source} · {t(plan.settings.lang, 'rpdf.classes', note=note)}" if note else st.source
            out.append(MapShown(topic, png, st.title, static_legend(st, plan.settings.lang), caveats, source,
                                bool(lay.show), any(lay.id.endswith(c) for c in changes),
                                str(st.frame["kecamatan"].iloc[0]) if zoomed and len(st.frame) else None, st))
    return sorted(out, key=lambda m: (m.kecamatan is not None, TOPICS.index(m.topic), not m.show, m.change))


def replaced_by_user(plan, st) -> bool:
    """The embedded news-based counts per kecamatan, where the user's e-PPGBM counts replaced them (their map is shown)."""
    emb = plan.joined.embedded
    return bool(emb is not None and emb.counts_from and st.stem == "peta_kecamatan")


def no_map(plan, topic: str, lang: str) -> str:
    """Why the PDFs show no map of a topic, where its map would stand (what data are missing is said once, by
    ``meeting.missing``, in the annex and on the last slide)."""
    total = families_total(plan, lang) if topic == "keluarga" else None
    if total:  # the package's per-kecamatan 2021 figures exist (the atlas maps them): say where, and what is missing
        from serang_gis.core.text import TEXT

        return t(lang, "rpdf.no_map_families_kec", when=families_when(lang), total=total, layer=TEXT[lang]["families"])
    why = t(lang, "rpdf.why.no_table") if plan.settings.static else t(lang, "rpdf.why.no_static")
    return t(lang, "rpdf.no_map", topic=t(lang, f"rpdf.topic.{topic}").lower(), why=why)


def certainty(row, lang: str) -> str:
    """The strength as lokus in the pack's one vocabulary (``plan.layers.lokus_strength``, short words, as the
    berita acara and the workbook); '–' where the layer was not ranked."""
    from serang_gis.plan.layers import lokus_strength

    frame = pd.DataFrame([row])
    if "prioritas" not in frame.columns and "peluang_top_n" not in frame.columns:
        return "–"
    return str(lokus_strength(frame, lang, short=True).iloc[0])


def lokus_how(plan, lang: str) -> str:
    """What the strength words mean (the one definition), against which year's lokus (when one was given), a weight
    moved and which indicators and weights make the rank."""
    from serang_gis.plan.layers import strength_define

    last = plan.settings.lokus_name
    said = t(lang, "rpdf.lokus_how", define=strength_define(plan.units.kelurahan, lang)) + (" " + t(lang, "rpdf.lokus_vs", last=last) if last else "")
    moved = weight_moved(plan, lang)
    made = rank_made_of(plan, lang)
    moved = moved and (moved if moved.rstrip().endswith(".") else moved.rstrip() + ".")  # a sentence: "... ke indikator lain. Peringkat ..."
    return said + (" " + moved if moved else "") + (" " + made if made else "")


def rank_made_of(plan, lang: str) -> str:
    """One line: the indicators and weights the rank actually used (the profile less those without data), heaviest
    first, in ``rpdf.rank_made_of`` ("" when nothing was ranked)."""
    parts = sorted(getattr(plan.analysed, "weights", ()), key=lambda x: -x[1])
    said = ", ".join(f"{indicator_label(lang, c)} {number(w * 100, 0, lang)} %" for c, w in parts)
    return t(lang, "rpdf.rank_made_of", parts=said) if parts else ""


def weight_moved(plan, lang: str) -> str:
    """The rank's warning that an indicator without data had its weight moved to the others (e.g. no BKKBN file), in
    ``lang``: the proposal rests on fewer indicators, and the meeting must hear it, not only the build notes ("" when none)."""
    from serang_gis.core.text import TEXT, say

    kel = plan.units.kelurahan
    if "bobot_dipindah" not in kel.columns or not kel["bobot_dipindah"].notna().any():
        return ""
    head = TEXT[lang]["rank_weight_moved"].split("{")[0]
    notes = [say(lang, n) for n in plan.notes]
    return next((n for n in notes if n.startswith(head)), str(kel["bobot_dipindah"].dropna().iloc[0]))


def lokus_rows(plan, lang: str) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """The recommendation, one row per kelurahan: the proposed lokus (strong, then borderline, by rank), and apart from
    them the kelurahan not proposed that the meeting must see (last year's lokus left out, kelurahan needing data).
    The last column says last year's status, then today's: "lokus -> kuat", "bukan lokus -> perbatasan", always in
    that order."""
    kel = plan.units.kelurahan
    last = plan.settings.lokus_name
    rec = kel["status_lokus"].isin(["lokus kuat", "perbatasan"]) if "status_lokus" in kel.columns else pd.Series(False, index=kel.index)
    need = ~kel["dirangking"].astype(bool) if "dirangking" in kel.columns else False
    was = kel["lokus"].fillna(False).astype(bool) if last and "lokus" in kel.columns else False
    rows = kel[rec | need | was].copy()
    order = {"lokus kuat": 0, "perbatasan": 1}
    rows["_o"] = [order.get(s, 2 if not r else 3) for s, r in zip(rows.get("status_lokus", pd.Series(index=rows.index, dtype=object)),
                                                                   rows.get("dirangking", pd.Series(True, index=rows.index)))]
    rows = rows.sort_values(["_o", "peringkat", "kelurahan"], na_position="last") if "peringkat" in rows else rows.sort_values(["_o", "kelurahan"])
    cols = [t(lang, "rpdf.col.kelurahan"), t(lang, "rpdf.col.kecamatan"), t(lang, "rpdf.col.certainty"), t(lang, "rpdf.col.prev"),
            t(lang, "rpdf.col.stunted"), t(lang, "rpdf.col.rank")]
    if last:
        cols += [t(lang, "rpdf.col.last", last=last), t(lang, "rpdf.col.compare", last=last)]
    proposed, other = [], []
    for _, r in rows.iterrows():
        line = [str(r["kelurahan"]), str(r["kecamatan"]), certainty(r, lang), number(r.get("prevalensi_stunting"), 1, lang),
                count(r.get("balita_stunting"), lang), count(r.get("peringkat"), lang, missing="–")]
        if last:
            said = f"{t(lang, 'rpdf.cmp.was' if bool(r.get('lokus')) else 'rpdf.cmp.was_not')} → {certainty(r, lang).lower()}"
            line += [t(lang, "yes") if bool(r.get("lokus")) else t(lang, "no"), said]
        (proposed if r["_o"] < 2 else other).append(line)
    return cols, proposed, other


def lokus_other_title(plan, n: int, lang: str) -> str:
    """The label of the table of kelurahan not proposed (last year's lokus left out, or needing data)."""
    last = plan.settings.lokus_name
    return t(lang, "rpdf.s.lokus_other", n=count(n, lang), last=last) if last else t(lang, "rpdf.s.lokus_other_nolast", n=count(n, lang))


def given_lokus(plan, lang: str) -> str:
    """The lokus list given (``[rank] lokus``), named apart from the lokus the rank proposes: "lokus 2026 (daftar)"."""
    return " ".join(t(lang, "rpdf.lokus_given", last=plan.settings.lokus_name or "").split())


def pagu_title(plan, lang: str) -> str:
    """The pagu slide's finding: the share of located pagu landing in lokus ("50,8 % pagu terlokasi jatuh di lokus")."""
    res = plan.analysed.konvergensi
    pct = percent(res.total.get("persen_lokus_terlokasi"), 1, lang) if res is not None and hasattr(res, "total") else None
    return t(lang, "rpdf.s.pagu_n", pct=pct, given=given_lokus(plan, lang)) if pct and pct != "–" else t(lang, "rpdf.pagu")


def _said(value, lang: str) -> str:
    return "–" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else str(stored_text(lang, value))


_SNAPSHOT = re.compile(r"_(\d{4})(?:_(\d{2}))?$")


def layer_period(layer) -> str | None:
    """The period a count layer draws: the plan's (the user's counts), else the packaged snapshot its column names
    ("balita_stunting_2025_04" -> "2025-04"); None when neither says one."""
    if getattr(layer, "period", None):
        return str(layer.period)
    m = _SNAPSHOT.search(str(getattr(layer, "column", "") or ""))
    return None if m is None else m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")


def news_words(raws, lang: str, sites: bool = True) -> str | None:
    """How the packaged sources ``raws`` ("<url> (data sementara)", "<url>") are said beside a figure: "data sementara
    dari pemberitaan bantenintens.co.id" (``sites``: the web sites named); None when none is a web address (the user's
    own files: the cover and the annex name them)."""
    urls = [str(r).strip() for r in raws if isinstance(r, str) and str(r).strip().startswith(("http://", "https://"))]
    if not urls:
        return None
    key = "rpdf.src.news_provisional" if any(u.endswith("(data sementara)") for u in urls) else "rpdf.src.news"
    if not sites:
        return t(lang, key + "_short")
    return t(lang, key, sites=", ".join(sorted({short_source(u) for u in urls})))


def map_when(shown, lang: str) -> str | None:
    """A count map's period and, where its figures are the package's news-based ones, that source ("2025-04, data
    sementara dari pemberitaan"), as the map's own title and source line say; None when it says neither."""
    st = shown.static
    if st is None:
        return None
    col = f"sumber_{st.layer.column}"
    said = [layer_period(st.layer), news_words(st.frame[col] if col in st.frame.columns else (), lang, sites=False)]
    return ", ".join(x for x in said if x) or None


def count_static(plan):
    """The per-kecamatan count map the report shows for the kab/kota (the user's counts where they replaced the
    package's), or None."""
    for page in plan.pages:
        for st in page.statics:
            frame = st.frame
            if (topic_of(st.layer) == "kasus" and "kelurahan" not in frame.columns and "kode_kec" in frame.columns
                    and st.layer.column in frame.columns and not replaced_by_user(plan, st)):
                return st
    return None


def kecamatan_counts(plan, lang: str) -> dict[str, tuple[str, str | None]]:
    """Each kecamatan's stunted toddlers as the report's count map shows them, by kode_kec: the figure ("289", or
    "tidak ada data" where the map has none) and its period and source ("2025-04, data sementara dari pemberitaan
    bantenintens.co.id"; None when the map says neither). Empty without such a map."""
    st = count_static(plan)
    if st is None:
        return {}
    col, period = st.layer.column, layer_period(st.layer)
    out = {}
    for _, r in st.frame.iterrows():
        value = value_of(r.get(col))
        src = news_words([r.get(f"sumber_{col}")], lang) if value is not None else None
        out[str(r["kode_kec"])] = (count(value, lang), ", ".join(x for x in (period, src) if x) or None)
    return out


def _with_when(said: str, when: str | None) -> str:
    return f"{said} ({when})" if when else said


def stunted_cells(part: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """The stunted toddlers of each kelurahan of ``part`` and the sources of those that are not the user's table.

    The user's count (``balita_stunting``) where there is one; else the reported count the atlas's kelurahan map shows
    (``stunting_dilaporkan``, the package's news-based figures) with its period: "39 (2024-07)"; a kelurahan without
    either, beside kelurahan of the same kecamatan reported for a period: "tidak ada data (2024-07)" (no figure for
    that period); else "tidak ada data". (With the user's counts, ``stunting_dilaporkan`` is those counts.)"""
    def cell(r):
        own = value_of(r.get("balita_stunting"))
        rep = value_of(r.get("stunting_dilaporkan"))
        return own, rep, r.get("periode_stunting_dilaporkan")

    got = [cell(r) for _, r in part.iterrows()]
    periods = sorted({str(p) for own, rep, p in got if own is None and rep is not None and isinstance(p, str) and p})
    out, raws = [], []
    for (own, rep, per), (_, r) in zip(got, part.iterrows()):
        if own is not None:
            out.append(count(own, lang))
        elif rep is not None:
            out.append(f"{count(rep, lang)} ({per})" if isinstance(per, str) and per else count(rep, lang))
            raws.append(r.get("sumber_stunting_dilaporkan"))
        else:
            out.append(f"{t(lang, 'no_data')} ({', '.join(periods)})" if periods else t(lang, "no_data"))
    return out, raws


FAMILY_SOURCE = "paper Table 1 (Dinas Kesehatan Kota Serang 2022)"  # the embedded families at risk 2021, as the atlas names it
FAMILY_COLUMNS = ("keluarga_berisiko", "persen_keluarga_berisiko", "keluarga")  # the user's BKKBN table, per kelurahan


def user_families(plan) -> bool:
    """Whether the user's tables give families at risk (a BKKBN table joined per kelurahan)."""
    kel = plan.units.kelurahan
    return any(c in kel.columns and pd.to_numeric(kel[c], errors="coerce").notna().any() for c in FAMILY_COLUMNS)


def embedded_families(plan) -> dict[str, int]:
    """The package's families at risk of stunting per kecamatan, 2021 (the paper's Table 1, the atlas's
    "Keluarga berisiko stunting (2021)" layer), by kode_kec, where the user gave no families-at-risk table; else {}."""
    emb = getattr(plan.joined, "embedded", None)
    kec = getattr(emb, "kecamatan", None)
    if kec is None or "keluarga_berisiko_2021" not in kec.columns or user_families(plan):
        return {}
    return {str(c): int(v) for c, v in zip(kec["kode_kec"], pd.to_numeric(kec["keluarga_berisiko_2021"], errors="coerce"))
            if pd.notna(v)}


def families_when(lang: str) -> str:
    """The period and source of the embedded families at risk: "2021, makalah Sinergitas (2023), Tabel 1 (...)"."""
    return f"2021, {source_text(lang, FAMILY_SOURCE)}"


def families_total(plan, lang: str) -> str | None:
    """The embedded families at risk of the whole kab/kota, written ("52.204"), or None without them."""
    fam = embedded_families(plan)
    return count(sum(fam.values()), lang) if fam else None


def families_map(plan, lang: str) -> MapShown | None:
    """The report's map of the package's families at risk per kecamatan (2021), planned as the atlas's kecamatan map
    plans its "Keluarga berisiko stunting (2021)" layer (``plan.atlas.embedded_counts``: the same circles, colours and
    source), its PNG still to draw (``figures.draw``); None where the user gave a BKKBN table, without the embedded
    figures or without static maps."""
    if not embedded_families(plan) or not plan.settings.static:
        return None
    from serang_gis.core.text import TEXT
    from serang_gis.plan.atlas import Static, embedded_counts
    from serang_gis.plan.layers import with_columns

    layer = next((x for x in embedded_counts(plan.joined.embedded, plan.units, lang) if x.column == "keluarga_berisiko_2021"), None)
    if layer is None:
        return None
    layer.unit = TEXT[lang]["unit.keluarga"]
    kec = with_columns(plan.units.kecamatan, plan.joined.embedded.kecamatan)
    source = t(lang, "rpdf.families_map_source", source=source_text(lang, FAMILY_SOURCE))
    st = Static("peta_keluarga_berisiko_2021", layer, kec, TEXT[lang]["families"],
                TEXT[lang]["static.per_kec"].format(kab=str(kec["kabkota"].iloc[0])), source, "peta_kecamatan.html")
    note = t(lang, "rpdf.kel_families_none", when=families_when(lang))
    return MapShown("keluarga", Path(st.stem + ".png"), st.title, static_legend(st, lang), [note], source, True, False, None, st)


def kecamatan_rows(plan, lang: str) -> list[dict]:
    """Per kecamatan: its summary line, the table of its kelurahan (the city period's figures, as on the maps) and the
    note on the stunted toddlers' source where they are not the user's table (``None`` when they are)."""
    kel, kec = plan.units.kelurahan, plan.units.kecamatan
    cols = [t(lang, "rpdf.col.kelurahan"), t(lang, "rpdf.col.measured"), t(lang, "rpdf.col.stunted"), t(lang, "rpdf.col.prev"),
            t(lang, "rpdf.col.families"), t(lang, "rpdf.col.priority"), t(lang, "rpdf.col.certainty")]
    mapped = kecamatan_counts(plan, lang)  # the count map's figures, where the user gave none
    families = embedded_families(plan)  # the paper's 2021 figures, where the user gave no BKKBN table
    out = []
    for _, k in kec.sort_values("kode_kec").iterrows():
        part = kel[kel["kode_kec"] == k["kode_kec"]].sort_values("kode_kel")
        stunted, raws = stunted_cells(part, lang)
        rows = [[str(r["kelurahan"]), count(r.get("balita_diukur"), lang), said,
                 interval(r.get("prevalensi_stunting"), r.get("prevalensi_stunting_ci_bawah"), r.get("prevalensi_stunting_ci_atas"), 1, lang),
                 percent(r.get("persen_keluarga_berisiko"), 1, lang), _said(r.get("prioritas"), lang), certainty(r, lang)]
                for (_, r), said in zip(part.iterrows(), stunted)]
        own = value_of(k.get("balita_stunting"))
        mine = mapped.get(str(k["kode_kec"])) if own is None else None
        total = count(own, lang) if mine is None else _with_when(*mine)
        fam = percent(k.get("persen_keluarga_berisiko"), 1, lang)
        if str(k["kode_kec"]) in families and value_of(k.get("persen_keluarga_berisiko")) is None:  # no BKKBN table given
            fam = _with_when(count(families[str(k["kode_kec"])], lang), families_when(lang))
        summary = t(lang, "rpdf.kecamatan_sum", n=len(part), prev=percent(k.get("prevalensi_stunting"), 1, lang),
                    stunted=total, fam=fam)
        note = None
        if raws:  # some kelurahan's figure is the package's reported count, not the user's table
            note = t(lang, "rpdf.kel_reported", source=news_words(raws, lang) or t(lang, "rpdf.src.news_short"))
        elif mine is not None and mine[1] and all(x == t(lang, "no_data") for x in stunted):  # the kecamatan's figure alone
            note = t(lang, "rpdf.kel_reported_none", when=mine[1])
        if str(k["kode_kec"]) in families:  # the kelurahan's "Keluarga" cells: no BKKBN figure per kelurahan, said once
            note = " ".join(x for x in (note, t(lang, "rpdf.kel_families_none", when=families_when(lang))) if x)
        out.append({"name": str(k["kecamatan"]), "summary": summary, "columns": cols, "rows": rows, "note": note})
    return out


def coverage_lines(plan, lang: str) -> list[str]:
    """Each group's city period with its coverage (as the index says it), and each period's table."""
    lines = [f"{group_name(g, lang)}: {c.label(lang)}" for g, c in plan.joined.periods.items()]
    for period, rep in sorted(plan.joined.reports.items(), key=lambda kv: str(kv[0])):
        lines.append(t(lang, "rpdf.coverage_row", period=period or t(lang, "no_period"), n=count(rep.with_data, lang),
                       total=count(rep.kelurahan, lang)))
    return lines


def flag_rows(plan, lang: str) -> list[list[str]]:
    """Kelurahan whose figures carry a caution (few toddlers measured, missing indicators, partial periods)."""
    kel = plan.units.kelurahan
    out = []
    for _, r in kel.sort_values("kode_kel").iterrows():
        flags = [_said(r.get(c), lang) for c in ("peringatan_data", "periode_sebagian") if c in kel.columns]
        flags = [f for f in flags if f != "–"] + _missing_indicators(r.get("indikator_hilang"), lang)
        if not flags and "keandalan_gizi" in kel.columns and isinstance(r.get("keandalan_gizi"), str) and r["keandalan_gizi"] != "cukup":
            flags = [_said(r["keandalan_gizi"], lang)]
        if flags:
            out.append([str(r["kelurahan"]), str(r["kecamatan"]), "; ".join(flags)])
    return out


def _missing_indicators(value, lang: str) -> list[str]:
    """The rank's ``indikator_hilang`` cell ("prevalensi_stunting, balita_stunting") as the indicators' names."""
    if not isinstance(value, str) or not value.strip():
        return []
    names = ", ".join(indicator_label(lang, c.strip()) for c in value.split(",") if c.strip())
    return [t(lang, "rpdf.flag.missing", cols=names)]


def pagu_headline(plan, lang: str) -> list[str]:
    """The share of located pagu landing in lokus kelurahan and the "touches a lokus" share, as the terminal and the
    workbook say them (``analysis.konvergensi.headline_lines`` of the build's convergence result); [] without one."""
    from serang_gis.analysis.konvergensi import headline_lines

    res = plan.analysed.konvergensi
    return headline_lines(res, lang) if res is not None else []


def who_acts_rows(plan, lang: str) -> tuple[list[str], list[list[str]], list[str]] | None:
    """The lokus and the offices that reach them (the convergence view), and the lokus no office reaches."""
    res = plan.analysed.konvergensi
    if res is None:
        return None
    k = res.kelurahan
    lok = k[k["lokus"].fillna(False).astype(bool)].sort_values(["jumlah_opd", "kelurahan"])
    cols = [t(lang, "rpdf.col.kelurahan"), t(lang, "rpdf.col.kecamatan"), t(lang, "rpdf.col.n_opd"), t(lang, "rpdf.col.opd"),
            t(lang, "rpdf.col.pagu")]
    rows = [[str(r["kelurahan"]), str(r["kecamatan"]), count(r["jumlah_opd"], lang), _said(r.get("daftar_opd"), lang),
             rupiah(r.get("pagu_terlokasi"), lang)] for _, r in lok.iterrows()]
    unreached = [f"{r['kelurahan']} ({r['kecamatan']})" for _, r in lok.iterrows() if not value_of(r["jumlah_opd"])]
    return cols, rows, unreached


def proposed_reach(plan, lang: str) -> tuple[int, list[dict]] | None:
    """The lokus the atlas proposes (``status_lokus`` kuat or perbatasan, the rank's list, not the one given) that an
    office of the activity matrix reaches: how many are reached, and the unreached ones, highest rank first (code, name,
    kecamatan, rank, strength). None without a rank or an activity matrix."""
    res = plan.analysed.konvergensi
    kel = plan.units.kelurahan
    if res is None or "status_lokus" not in kel.columns or "jumlah_opd" not in res.kelurahan.columns:
        return None
    prop = kel[kel["status_lokus"].astype(object).isin(["lokus kuat", "perbatasan"])]
    opd = dict(zip(res.kelurahan["kode_kel"], pd.to_numeric(res.kelurahan["jumlah_opd"], errors="coerce").fillna(0)))
    reached = prop["kode_kel"].map(lambda c: opd.get(c, 0) > 0)
    lost = prop[~reached.to_numpy(dtype=bool)]
    lost = lost.sort_values(["peringkat", "kelurahan"] if "peringkat" in lost.columns else ["kelurahan"], na_position="last")
    rows = [{"kode_kel": r["kode_kel"], "kelurahan": str(r["kelurahan"]), "kecamatan": str(r["kecamatan"]),
             "peringkat": count(r.get("peringkat"), lang, missing="–"), "kekuatan": t(lang, "strength.short." + ("kuat" if r["status_lokus"] == "lokus kuat" else "perbatasan"))} for _, r in lost.iterrows()]
    return int(reached.sum()), rows


def proposed_reach_said(plan, lang: str) -> tuple[str, str, bool] | None:
    """The finding of ``proposed_reach`` in words: "21 dari 25 lokus usulan dijangkau OPD", the unreached named (or
    that every one is reached), and whether any is unreached."""
    got = proposed_reach(plan, lang)
    if got is None:
        return None
    reached, lost = got
    title = t(lang, "rpdf.s.proposed_reach", reached=count(reached, lang), n=count(reached + len(lost), lang))
    names = ", ".join(f"{r['kelurahan']} ({r['kecamatan']}, {t(lang, 'rpdf.s.rank_n', rank=r['peringkat'])})" for r in lost)
    return title, t(lang, "rpdf.s.proposed_unreached", names=names) if lost else t(lang, "rpdf.s.proposed_all"), bool(lost)


def group_name(group: str, lang: str) -> str:
    """An indicator group (gizi, keluarga, sanitasi ...) in the document's language; an unknown one as it is."""
    from serang_gis.core.text import TEXT

    return t(lang, f"rpdf.group.{group}") if f"rpdf.group.{group}" in TEXT[lang] else group


def high_need_unreached(konv) -> pd.DataFrame:
    """Every kelurahan (lokus or not) of high need, the top third of the convergence map's need (its class "3x"),
    that no located pagu reaches, by name; empty when the layer has no such class. Slide and workbook read this."""
    k = konv.kelurahan if konv is not None else None
    if k is None or "kelas_kebutuhan_belanja" not in k.columns or "pagu_terlokasi" not in k.columns:
        return pd.DataFrame(columns=["kode_kel", "kelurahan", "kecamatan"])
    high = k["kelas_kebutuhan_belanja"].astype(str).str.startswith("3")
    none = pd.to_numeric(k["pagu_terlokasi"], errors="coerce").fillna(0) == 0
    return k[high & none].sort_values("kelurahan")


def office_names(plan, lang: str) -> list[str]:
    """Each office name the activity matrix wrote otherwise than the name the pack prints (an abbreviation expanded,
    a spelling matched): what was written, what is printed, and where the printed name comes from ([] when none)."""
    konv = plan.analysed.konvergensi
    acts = konv.kegiatan if konv is not None else pd.DataFrame()
    if not {"opd_tertulis", "opd_nama", "opd_cocok"} <= set(acts.columns):
        return []
    moved = acts[(acts["opd_tertulis"].astype(str).str.strip() != acts["opd_nama"].astype(str)) & ~acts["opd_cocok"].isin(["luar", "unknown"])]
    pairs = moved.drop_duplicates(["opd_tertulis", "opd_nama"]).sort_values(["opd_nama", "opd_tertulis"])
    return [t(lang, "rembuk.opd_name", written=str(r.opd_tertulis).strip(), name=r.opd_nama, how=t(lang, f"rembuk.opd_how.{r.opd_cocok}"))
            for r in pairs.itertuples()]
