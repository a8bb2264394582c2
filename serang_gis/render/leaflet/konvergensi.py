"""The convergence map (MapSpec), its QGIS style, and the lokus x OPD matrix page.

Layers: number of offices (OPD) reaching each kelurahan, located pagu per stunted toddler, need x
spending (3 x 3 classes), lokus outlines, kecamatan outlines. The click profile lists every activity
that reaches the kelurahan (a ``list`` field: one activity per line).
"""

from __future__ import annotations

import html
import math
import warnings

import pandas as pd
from branca.utilities import color_brewer

from serang_gis.core.classify import classify
from serang_gis.core.indicators import INFO
from serang_gis.analysis.konvergensi import BIVARIATE, PAPER_NOTE, Konvergensi, _rp, headline_lines
from serang_gis.core.numbers import number, percent, rupiah_short
from serang_gis.core.text import TEXT, t
from serang_gis.read.paket import PAKET, label as paket_label
from serang_gis.render.styles import choropleth_style
from serang_gis.render.leaflet.spec import MapSpec

OPD_BINS = [1, 2, 3, 5]
NO_DATA_BIVARIATE = "#ffffff"  # hatched: the need x spending layer's no data
# need unknown, no located pagu: hatched like no data (need unknown) over a grey of the "no spending" column, so the
# kelurahan stays in the reading "where is there no spending" (issue 20 planner walk: a lokus dropped out of it)
UNKNOWN_NEED_NO_SPENDING, BIVARIATE_UNKNOWN_NEED = "01", "#bdbdbd"
GAP_SHOWN = 8  # names of the "need high, spending low" list shown before its "+n lainnya" button


def opd_classes(values, lang="id"):
    """Whole numbers of offices: 0, 1, 2, 3-4, 5 and more (the same [a, b) intervals, labelled as counts)."""
    cls = classify(values, "manual", bins=OPD_BINS, palette="YlGnBu", lang=lang)
    cls.labels = ["0", "1", "2", "3 – 4", "≥ 5"]
    return cls


def per_balita_classes(per: pd.Series, lang: str = "id"):
    """Rp 0 is its own class ("Rp 0 / tidak ada pagu"), never "< 0"; the amounts above 0 in quartiles."""
    pos = per[per > 0]
    with warnings.catch_warnings():  # a few distinct amounts: mapclassify says it makes fewer classes
        warnings.simplefilter("ignore", UserWarning)
        cls = classify(pos, "quantiles", k=4, palette="Greens", lang=lang)
        if cls.breaks and (pos == pos.round()).all():  # whole rupiah: "< 1.250.264", never "< 1.250.263,5" (the same classes)
            cls = classify(pos, "manual", bins=sorted({math.ceil(b) for b in cls.breaks}), palette="Greens", lang=lang)
    colors = color_brewer("Greens", max(3, cls.k + 1))[-cls.k - 1:]
    first = f"> 0 – < {number(cls.breaks[0], 2, lang, trim=True)}" if cls.breaks else "> 0"
    cls.breaks = [1e-9] + list(cls.breaks) if len(pos) else []  # any positive amount is above it: Rp 0 alone below
    cls.labels = [t(lang, "konv.per_balita_zero")] + ([first] + cls.labels[1:] if len(pos) else [])
    cls.colors = colors[-len(cls.labels):] if len(pos) else colors[:1]
    return cls


def layer_style(res: Konvergensi, lang: str = "id"):
    return choropleth_style(t(lang, "konv.opd"), "jumlah_opd", opd_classes(res.kelurahan["jumlah_opd"], lang))


def _pct(v, lang):
    return percent(v, 1, lang, missing="-")


def konvergensi_spec(res: Konvergensi, *, lang: str = "id") -> MapSpec:
    k = res.kelurahan
    tot = res.total
    split_note = split_text(res, lang)
    headline = t(lang, "konv_headline_short", pct=_pct(tot["persen_lokus_terlokasi"], lang),
                 split=t(lang, "konv_split_" + ("equal" if res.split == "none" else res.split)))
    sub = t(lang, "konv_sub_title", n=len(res.kegiatan), o=res.kegiatan["opd"].nunique(), total=_rp(tot["pagu_total"], lang),
            pct_kota=_pct(tot["persen_kota"], lang), headline=headline, touch=_pct(tot["persen_menyentuh_lokus"], lang))
    spec = MapSpec(k, "kode_kel", "kelurahan", "kecamatan", lang=lang, title=t(lang, "konv.title"), subtitle=sub,
                   sources=map_sources(res, lang))
    spec.field("jumlah_opd", k["jumlah_opd"], t(lang, "konv.opd"), tooltip=True)
    spec.field("pagu_terlokasi", k["pagu_terlokasi"], t(lang, "konv.pagu"), tooltip=True)
    spec.field("pagu_per_balita_stunting", k["pagu_per_balita_stunting"], t(lang, "konv.per_balita"))
    spec.field("pagu_per_keluarga_berisiko", k["pagu_per_keluarga_berisiko"], t(lang, "konv.per_krs"))
    spec.field("pagu_turunan", k["pagu_turunan"], t(lang, "konv_pagu_turunan"))
    spec.field("pagu_hanya_turunan", k["pagu_hanya_turunan"], t(lang, "konv_turunan"), kind="flag", tooltip=True)
    spec.field("catatan_pagu", _blank_none(k["catatan_pagu"]), t(lang, "konv_catatan_pagu"), missing=t(lang, "konv.none"))  # no note, not no data
    spec.field("jumlah_subkegiatan", k["jumlah_subkegiatan"], t(lang, "konv.sub"))
    # every kelurahan is in the matrix: an empty list means no package reaches it ("tidak ada"), not missing data
    spec.field("paket_layanan", _blank_none(k["paket_layanan"]), t(lang, "konv.paket"), missing=t(lang, "konv.none"))
    spec.field("daftar_opd", _blank_none(k["daftar_opd"]), t(lang, "konv.opds"), profile=False)
    if res.need:
        info = INFO.get(res.need)
        period = need_period(res)  # the need is one period's figure: the profile row says which
        spec.field(res.need, pd.to_numeric(k[res.need], errors="coerce"),
                   (info.label(lang) if info else res.need) + (f" {period}" if period else ""),
                   unit=(info.unit if info else ""), dec=(info.dec if info else 1))
    kota = res.kegiatan[res.kegiatan["lokasi_jenis"] == "kota"]
    spec.field("kegiatan_se_kota", [t(lang, "konv.kota_text", n=len(kota), pagu=_rp(kota["pagu"].sum(), lang))] * len(k), t(lang, "konv.kota"))
    spec.field("daftar_kegiatan", _blank_none(k["daftar_kegiatan"]), t(lang, "konv.list"), kind="list")
    spec.choropleth("jumlah_opd", opd_classes(k["jumlah_opd"], lang), t(lang, "konv.opd"), note=t(lang, "konv.opd_note"))
    per = pd.to_numeric(k["pagu_per_balita_stunting"], errors="coerce")
    if per.notna().any():
        spec.choropleth("pagu_per_balita_stunting", per_balita_classes(per, lang), t(lang, "konv.per_balita"), show=False, note=split_note)
    if res.need:
        classes = with_unknown_need(k, res.need)
        spec.field("kelas_kebutuhan_belanja", classes, t(lang, "konv.biv_class"), profile=False)
        one = spend_one_level(res)
        spec.field("kelas_kebutuhan_belanja_kata", classes.map(lambda v: class_words(v, lang, one)),
                   t(lang, "konv.biv_class"))  # the profile names the class in words: "kebutuhan tinggi, belanja rendah"
        cats = bivariate_categories(res, lang)
        if (classes == UNKNOWN_NEED_NO_SPENDING).any():
            cats.append((UNKNOWN_NEED_NO_SPENDING, BIVARIATE_UNKNOWN_NEED, class_words(UNKNOWN_NEED_NO_SPENDING, lang, one).capitalize()))
        biv = spec.categorical("kelas_kebutuhan_belanja", cats, t(lang, "konv.biv"), show=False, note=split_note)
        biv.update(bivariate_grid(k["kelas_kebutuhan_belanja"], cats, res.bivariate_breaks.get("pagu_terlokasi", []), lang,
                                  need=need_heads(res, lang)))
        hatch_no_data(spec, biv)
    if "lokus" in k.columns:
        name = res.lokus_name or "lokus"
        spec.field("lokus", k["lokus"], t(lang, "konv.lokus", name=name), kind="flag", tooltip=True)
        spec.outline("lokus", t(lang, "konv.lokus", name=name), t(lang, "konv.lokus_item", name=name), color="#7b3294")
    spec.kecamatan(t(lang, "kec_outline"))
    return spec


def map_sources(res: Konvergensi, lang: str = "id") -> list[str]:
    """The map's sources with their periods (on screen and in print): the activity matrix and its year, the need's file."""
    src = sorted({s["berkas"] for s in res.sources})
    years = sorted({str(int(y)) for y in pd.to_numeric(res.kegiatan.get("tahun", pd.Series(dtype=float)), errors="coerce").dropna()})
    out = [t(lang, "konv.src_matrix") + (f" ({', '.join(years)})" if years else "") + ": " + ", ".join(src)]
    info = INFO.get(res.need) if res.need else None
    col = f"sumber_{info.group}" if info is not None and info.group else None
    if col and col in res.kelurahan.columns and res.kelurahan[col].notna().any():
        key = f"konv.need.{res.need}"
        need = (t(lang, key) if key in TEXT[lang] else str(res.need)) + (f" {need_period(res)}" if need_period(res) else "")
        out.append(t(lang, "konv.biv_axis_need") + f" ({need}): " + ", ".join(sorted({str(v) for v in res.kelurahan[col].dropna()})))
    return out


def spend_one_level(res: Konvergensi) -> bool:
    """True when the positive located pagu made one spending level ("belanja ada"; breaks [0], see analysis)."""
    return len(res.bivariate_breaks.get("pagu_terlokasi", [])) < 2


def spend_words(level, lang: str = "id", one: bool = False) -> str:
    """Spending level 1-3 in words: "tanpa belanja terlokasi", "belanja rendah", "belanja tinggi" ("belanja ada" when ``one``)."""
    return t(lang, "konv.spend_any" if one and int(level) == 2 else f"konv.spend{level}")


def class_words(cls, lang: str = "id", one: bool = False) -> str | None:
    """"31" -> "kebutuhan tinggi, tanpa belanja terlokasi" (None: no class)."""
    if not isinstance(cls, str) or len(cls) != 2:
        return None
    return t(lang, "konv.biv_words", need=t(lang, f"konv.lvl{cls[0]}"), spend=spend_words(cls[1], lang, one))


def with_unknown_need(k: pd.DataFrame, need: str) -> pd.Series:
    """The need x spending classes, and "01" where the need is unknown and no located pagu reaches the kelurahan."""
    unknown = pd.to_numeric(k[need], errors="coerce").isna() & (pd.to_numeric(k["pagu_terlokasi"], errors="coerce") == 0)
    return k["kelas_kebutuhan_belanja"].where(~unknown | k["kelas_kebutuhan_belanja"].notna(), UNKNOWN_NEED_NO_SPENDING)


def hatch_no_data(spec: MapSpec, layer: dict) -> None:
    """No data on the need x spending layer: white and hatched on the map and on its swatch, never near the pale
    "low, none" grey (#c8c8c8) that the default no-data grey resembles; need unknown with no spending: hatched too, over
    its grey, listed below the grid."""
    idx = spec.cols[layer["index_col"]]
    unknown = next((n for n, c in enumerate(layer["cats"]) if c["value"] == UNKNOWN_NEED_NO_SPENDING), None)
    spec.cols[layer["color_col"]] = [NO_DATA_BIVARIATE if k < 0 else c for k, c in zip(idx, spec.cols[layer["color_col"]])]
    if any(k < 0 or k == unknown for k in idx):
        spec.cols[f"_h{layer['id']}"] = [k < 0 or k == unknown for k in idx]
        layer["hatch_col"] = f"_h{layer['id']}"
    layer["nodata"] = {**layer["nodata"], "color": NO_DATA_BIVARIATE}
    for item in spec.legend_items[layer["id"]]:
        if item.get("cls") == -1:
            item.update(color=NO_DATA_BIVARIATE, hatch=True)
        elif unknown is not None and item.get("cls") == unknown:
            item.update(cls=None, hatch=True)  # not a cell of the grid: a line of its own


def split_text(res: Konvergensi, lang: str = "id") -> str:
    """How the located pagu is spread over the kelurahan (the legend note of the pagu layers)."""
    if res.split in ("equal", "none"):
        return t(lang, f"konv.split_{res.split}")
    return t(lang, "konv_split_" + res.split) + "; " + t(lang, "konv_kota_not_counted")


def spend_heads(breaks: list, lang: str = "id") -> list[str]:
    """The spending columns' heads, short enough for a phone and print: "Rp 0", "≤ Rp 54 jt", "> Rp 54 jt"; one positive
    level (breaks [0]): "Rp 0", "> Rp 0"."""
    if len(breaks) < 2:
        return [rupiah_short(0, lang), "> " + rupiah_short(0, lang)]
    return [rupiah_short(0, lang), "≤ " + rupiah_short(breaks[1], lang), "> " + rupiah_short(breaks[1], lang)]


def need_heads(res: Konvergensi, lang: str = "id") -> tuple[str, dict] | None:
    """What need is, in the legend's sight: its name and period ("Prevalensi 2023") and each level's range, compact
    ({3: "> 23,5 %", 2: "13,7–23,5 %", 1: "≤ 13,7 %"}); None without need breaks."""
    nb = res.bivariate_breaks.get(res.need, []) if res.need else []
    if len(nb) < 2:
        return None
    key, period = f"konv.need.{res.need}", need_period(res)
    name = (t(lang, key) if key in TEXT[lang] else str(res.need)) + (f" {period}" if period else "")
    unit = " %" if str(res.need).startswith(("prevalensi", "persen")) else ""
    lo, hi = number(nb[0], 1, lang), number(nb[1], 1, lang)
    return name[:1].upper() + name[1:], {3: f"> {hi}{unit}", 2: f"{lo}–{hi}{unit}", 1: f"≤ {lo}{unit}"}


def bivariate_grid(classes: pd.Series, cats: list[tuple[str, str, str]], breaks: list, lang: str = "id", *,
                   need: tuple[str, dict] | None = None) -> dict:
    """The 3 x 3 legend (rows: need high to low; columns: spending none, low, high, headed by their amounts; each cell its
    colour, words and ranges; 3 x 2 when the spending has one positive level) and the kelurahan where need is high and
    nothing is spent ("31"), by position, for the list beside the legend."""
    label = {v: lab for v, _, lab in cats}
    heads = spend_heads(breaks, lang)
    one, spends = len(heads) == 2, range(1, len(heads) + 1)
    lvl = (lambda a: need[1][a]) if need else (lambda a: t(lang, f"konv.lvl{a}"))  # noqa: E731  (row heads: the need's ranges)
    rows = [{"level": lvl(a), "cells": [{"cls": f"{a}{b}", "color": BIVARIATE[f"{a}{b}"], "label": label.get(f"{a}{b}", ""),
                                          "words": class_words(f"{a}{b}", lang, one)} for b in spends]}
            for a in (3, 2, 1)]
    gap = [i for i, v in enumerate(classes.reset_index(drop=True)) if v == "31"]
    rule = t(lang, "konv.spend_rule_one", n=int(sum(str(v)[1:] == "2" for v in classes))) if one else t(lang, "konv.spend_rule")
    return {"grid": {"rows": rows, "cols": heads, "need": need[0] if need else t(lang, "konv.biv_axis_need"),
                     "spend": t(lang, "konv.biv_axis_spend"), "rule": rule},
            "gap": {"title": t(lang, "konv.biv_gap_list", n=len(gap)), "units": gap, **_fold(len(gap), lang)}}


def _fold(n: int, lang: str) -> dict:
    """A long list shows its first GAP_SHOWN names and a button "+4 lainnya" that shows the rest (every name is reachable)."""
    return {"shown": GAP_SHOWN, "more": t(lang, "konv.biv_gap_more", n=n - GAP_SHOWN)} if n > GAP_SHOWN + 2 else {}


def need_period(res: Konvergensi) -> str | None:
    """The period the need figure comes from (the layer's ``periode_<group>`` of the need's indicator), when it is one."""
    info = INFO.get(res.need) if res.need else None
    col = f"periode_{info.group}" if info is not None and info.group else None
    frame = getattr(res, "kelurahan", None)
    if col is None or frame is None or col not in frame.columns:
        return None
    periods = sorted({str(v) for v in frame[col].dropna()})
    return periods[0] if len(periods) == 1 else None


def bivariate_categories(res: Konvergensi, lang: str = "id") -> list[tuple[str, str, str]]:
    nb, sb = res.bivariate_breaks.get(res.need, []), res.bivariate_breaks.get("pagu_terlokasi", [])
    need_key = f"konv.need.{res.need}"
    need_name = (t(lang, need_key) if need_key in TEXT[lang] else res.need) + (f" {need_period(res)}" if need_period(res) else "")

    unit = " %" if str(res.need).startswith(("prevalensi", "persen")) else ""  # a rate says it is one: "> 23,5 %"

    def need_range(i):
        f = lambda v: number(v, 1, lang) + unit  # noqa: E731
        return ["≤ " + f(nb[0]), f"> {f(nb[0])} – ≤ {f(nb[1])}", "> " + f(nb[1])][i] if len(nb) >= 2 else ""

    def spend_range(b):  # level 1: exactly 0; 2: up to the positive median; 3: above it (one level: > 0)
        zero = _rp(0, lang)
        if b == 1 or len(sb) < 2:
            return zero if b == 1 else "> " + zero
        return f"> {zero} – ≤ {_rp(sb[1], lang)}" if b == 2 else "> " + _rp(sb[1], lang)

    one = spend_one_level(res)
    cats = []
    for a in (3, 2, 1):
        for b in ((1, 2) if one else (1, 2, 3)):
            lab = t(lang, "konv.biv_label", need=need_name, need_level=t(lang, f"konv.lvl{a}"), need_range=need_range(a - 1),
                    spend=t(lang, "konv.spend"), spend_range=spend_range(b))
            cats.append((f"{a}{b}", BIVARIATE[f"{a}{b}"], f"{class_words(f'{a}{b}', lang, one)}: {lab}"))
    return cats


# ---- matrix page -------------------------------------------------------------------------------

def _e(v) -> str:
    return html.escape("" if v is None or (isinstance(v, float) and v != v) else str(v))


def matrix_html(res: Konvergensi, lang: str = "id") -> str:
    """An HTML fragment (for the atlas index): the headline per office, the lokus x OPD matrix, the gaps."""
    heads = [t(lang, f"konv.c_{c}") for c in ("lokus", "non_lokus", "kota", "tidak_cocok")]
    out = [f"<h2>{_e(t(lang, 'konv.h_money'))}</h2>",
           f"<p>{_e(split_text(res, lang))}</p>",
           "<p class='sg-konv-headline'>" + "<br>".join(_e(h) for h in headline_lines(res, lang)) + "</p>",
           f"<table class='sg-konv'><thead><tr><th>OPD</th><th>{_e(t(lang, 'konv.activities'))}</th><th>Pagu</th>"
           + "".join(f"<th>{_e(h)}</th>" for h in heads)
           + f"<th>{_e(t(lang, 'konv_alloc_col'))}</th><th>{_e(t(lang, 'konv_touch_col'))}</th>"
           + "".join(f"<th>{_e(t(lang, 'konv.paper', year=y))}</th>" for y in (2022, 2023)) + "</tr></thead><tbody>"]
    ctx = res.context
    for r in res.opd.itertuples():
        cells = []
        for c in ("lokus", "non_lokus", "kota", "tidak_cocok"):
            cells.append(f"<td>{_e(_rp(getattr(r, 'pagu_' + c), lang))}<br><small>{_e(_pct(getattr(r, 'persen_' + c), lang))}</small></td>")
        cells.append(f"<td>{_e(_pct(r.persen_lokus_terlokasi, lang))}</td>")
        cells.append(f"<td>{_e(_rp(r.pagu_menyentuh_lokus, lang))}<br><small>{_e(_pct(r.persen_menyentuh_lokus, lang))}</small></td>")
        paper = []
        for y in (2022, 2023):
            sel = ctx[(ctx["tahun"] == y) & ((ctx["opd"] == r.opd) | (r.opd == "TOTAL"))]["anggaran_rp"]
            paper.append(f"<td>{_e(_rp(sel.sum(), lang)) if len(sel) else '-'}</td>")
        out.append(f"<tr><th>{_e(r.opd_nama)}</th><td>{r.kegiatan}</td><td>{_e(_rp(r.pagu_total, lang))}</td>{''.join(cells)}{''.join(paper)}</tr>")
    out.append(f"</tbody></table><p><small>{_e(t(lang, 'konv.paper_note'))}</small></p>")
    out += _lokus_matrix(res, lang)
    high = res.gaps[res.gaps["kebutuhan_tinggi"]]
    out.append(f"<h2>{_e(t(lang, 'konv.h_gaps'))}</h2><ul class='sg-gaps'>")
    for r in high.itertuples():
        key = "konv.gap_city" if r.opd_se_kota else "konv.gap"  # city-wide reaches everyone but is aimed at no one
        out.append(f"<li>{_e(t(lang, key, kelurahan=r.kelurahan, kecamatan=r.kecamatan, paket=r.paket, why=r.alasan, opd=r.opd_se_kota))}</li>")
    if high.empty:
        out.append(f"<li>{_e(t(lang, 'konv.none'))}</li>")
    out.append("</ul>")
    return "\n".join(out)


def _lokus_matrix(res: Konvergensi, lang: str) -> list[str]:
    """The lokus (or every kelurahan) x office table: located pagu per office, offices reaching it, packages delivered or not."""
    m = res.matrix
    rows = m[m["lokus"]] if "lokus" in m.columns else m
    opd_cols = [c for c in m.columns if c not in ("kode_kel", "kelurahan", "kecamatan", "lokus", "prevalensi_stunting",
                                                   "kesenjangan_sanitasi", "belum_odf", "jumlah_opd") and not c.startswith("paket_")]
    out = [f"<h2>{_e(t(lang, 'konv.h_matrix'))}</h2><table class='sg-konv'><thead><tr><th>Kelurahan</th><th>Kecamatan</th>"
           + "".join(f"<th>{_e(c)}</th>" for c in opd_cols) + "<th>OPD</th>"
           + "".join(f"<th>{_e(paket_label(p, lang))}</th>" for p in PAKET) + "</tr></thead><tbody>"]
    for _, r in rows.iterrows():
        cells = "".join(f"<td>{_e(_rp(r[c], lang)) if pd.notna(r[c]) else '–'}</td>" for c in opd_cols)
        packs = "".join(f"<td class='{'ok' if r['paket_' + p] else 'gap'}'>{'✓' if r['paket_' + p] else '✗'}</td>" for p in PAKET)
        out.append(f"<tr data-kode='{_e(r['kode_kel'])}'><th>{_e(r['kelurahan'])}</th><td>{_e(r['kecamatan'])}</td>{cells}"
                   f"<td>{int(r['jumlah_opd'])}</td>{packs}</tr>")
    out.append("</tbody></table>")
    return out


def matrix_page(res: Konvergensi, lang: str = "id") -> str:
    title = t(lang, "konv.title")
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><meta name='viewport' content='width=device-width, initial-scale=1'><title>{_e(title)}</title><style>"
            "body{font:14px system-ui,sans-serif;margin:1.5em;max-width:1400px}table{border-collapse:collapse;margin:.5em 0}"
            "th,td{border:1px solid #ccc;padding:3px 6px;text-align:right;vertical-align:top}th{background:#f3f3f3;text-align:left}"
            "td.gap{background:#fde0dd;text-align:center}td.ok{background:#e5f5e0;text-align:center}"
            ".wide{overflow-x:auto;max-width:100%}@media (max-width:640px){body{margin:.8em}}</style></head><body>"
            f"<h1>{_e(title)}</h1><div class='wide' tabindex='0' role='region' aria-label='{_e(title)}'>{matrix_html(res, lang)}</div>"
            "</body></html>")


def _blank_none(values: pd.Series) -> pd.Series:
    """'' -> missing (shown as "tidak ada data"); Series.replace('', None) forward-fills on pandas 2."""
    return values.astype(object).where(values.astype(str) != "", None)
