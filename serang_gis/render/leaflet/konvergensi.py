"""The convergence map (MapSpec), its QGIS style, and the lokus x OPD matrix page.

Layers: number of offices (OPD) reaching each kelurahan, located pagu per stunted toddler, need x
spending (3 x 3 classes), lokus outlines, kecamatan outlines. The click profile lists every activity
that reaches the kelurahan (a ``list`` field: one activity per line).
"""

from __future__ import annotations

import html
import warnings

import pandas as pd

from serang_gis.core.classify import classify
from serang_gis.analysis.konvergensi import BIVARIATE, PAPER_NOTE, Konvergensi, _rp, headline_lines
from serang_gis.core.text import fmt_number, t as text
from serang_gis.read.paket import PAKET, label as paket_label
from serang_gis.render.styles import choropleth_style
from serang_gis.render.leaflet.spec import MapSpec

OPD_BINS = [1, 2, 3, 5]
T = {
    "id": dict(title="Konvergensi: OPD mana bertindak di mana, dan apakah anggaran sampai ke lokus",
               opd="Jumlah OPD yang menjangkau", sub="Jumlah sub kegiatan", pagu="Pagu terlokasi (Rp)",
               per_balita="Pagu terlokasi per balita stunting (Rp)", per_krs="Pagu terlokasi per keluarga berisiko (Rp)",
               paket="Paket layanan yang menjangkau", opds="OPD", list="Kegiatan yang menjangkau kelurahan ini",
               biv="Kebutuhan x belanja", biv_class="Kelas kebutuhan x belanja", kota="Kegiatan se-kota (tidak dihitung menjangkau)",
               split_equal="Pagu satu kegiatan dibagi rata ke kelurahan yang disebut Lokasi-nya; kegiatan se-kota tidak dihitung.",
               split_none="Pagu satu kegiatan dihitung penuh di setiap kelurahan yang disebut Lokasi-nya (jumlahnya melebihi anggaran); kegiatan se-kota tidak dihitung.",
               opd_note="Langsung atau lewat kecamatannya; kegiatan se-kota tidak dihitung.",
               need={"prevalensi_stunting": "prevalensi", "balita_stunting": "balita stunting"}, spend="pagu terlokasi",
               lvl=["rendah", "sedang", "tinggi"], lokus="Lokus {name}", lokus_item="Kelurahan lokus {name}", kec="Batas kecamatan",
               sub_title="{n} kegiatan dari {o} OPD; pagu {total}; {pct_lokus} sampai ke kelurahan lokus, {pct_kota} se-kota",
               split_short={"equal": "pagu dibagi rata ke kelurahan yang disebut", "none": "pagu dihitung penuh di tiap kelurahan yang disebut"}),
    "en": dict(title="Convergence: which office acts where, and does the money reach the lokus",
               opd="Offices (OPD) reaching it", sub="Sub-kegiatan", pagu="Located pagu (Rp)",
               per_balita="Located pagu per stunted toddler (Rp)", per_krs="Located pagu per family at risk (Rp)",
               paket="Service packages reaching it", opds="Offices", list="Activities reaching this kelurahan",
               biv="Need x spending", biv_class="Need x spending class", kota="City-wide activities (not counted as reaching)",
               split_equal="An activity's pagu is split equally over the kelurahan its Lokasi names; city-wide activities are not counted.",
               split_none="An activity's pagu is counted whole in each kelurahan its Lokasi names (the sum exceeds the budget); city-wide activities are not counted.",
               opd_note="Directly or through the kecamatan; city-wide activities are not counted.",
               need={"prevalensi_stunting": "prevalence", "balita_stunting": "stunted toddlers"}, spend="located pagu",
               lvl=["low", "medium", "high"], lokus="Lokus {name}", lokus_item="Lokus kelurahan {name}", kec="Kecamatan boundaries",
               sub_title="{n} activities of {o} offices; pagu {total}; {pct_lokus} reaches lokus kelurahan, {pct_kota} city-wide",
               split_short={"equal": "pagu split equally over the kelurahan named", "none": "pagu counted whole in each kelurahan named"}),
}


def opd_classes(values, lang="id"):
    """Whole numbers of offices: 0, 1, 2, 3-4, 5 and more (the same [a, b) intervals, labelled as counts)."""
    cls = classify(values, "manual", bins=OPD_BINS, palette="YlGnBu", lang=lang)
    cls.labels = ["0", "1", "2", "3 – 4", "≥ 5"]
    return cls


def layer_style(res: Konvergensi, lang: str = "id"):
    t = T[lang]
    return choropleth_style(t["opd"], "jumlah_opd", opd_classes(res.kelurahan["jumlah_opd"], lang))


def _pct(v, lang):
    return "-" if v is None or pd.isna(v) else fmt_number(v, 1, lang) + " %"


def konvergensi_spec(res: Konvergensi, *, lang: str = "id") -> MapSpec:
    t = T[lang]
    k = res.kelurahan
    tot = res.total
    split_note = split_text(res, lang)
    headline = text(lang, "konv_headline_short", pct=_pct(tot["persen_lokus_terlokasi"], lang),
                    split=text(lang, "konv_split_" + ("equal" if res.split == "none" else res.split)))
    sub = text(lang, "konv_sub_title", n=len(res.kegiatan), o=res.kegiatan["opd"].nunique(), total=_rp(tot["pagu_total"], lang),
               pct_kota=_pct(tot["persen_kota"], lang), headline=headline, touch=_pct(tot["persen_menyentuh_lokus"], lang))
    src = sorted({s["berkas"] for s in res.sources})
    spec = MapSpec(k, "kode_kel", "kelurahan", "kecamatan", lang=lang, title=t["title"], subtitle=sub,
                   sources=["Matriks Aksi 2: " + ", ".join(src)])
    spec.field("jumlah_opd", k["jumlah_opd"], t["opd"], tooltip=True)
    spec.field("pagu_terlokasi", k["pagu_terlokasi"], t["pagu"], tooltip=True)
    spec.field("pagu_per_balita_stunting", k["pagu_per_balita_stunting"], t["per_balita"])
    spec.field("pagu_per_keluarga_berisiko", k["pagu_per_keluarga_berisiko"], t["per_krs"])
    spec.field("pagu_turunan", k["pagu_turunan"], text(lang, "konv_pagu_turunan"))
    spec.field("pagu_hanya_turunan", k["pagu_hanya_turunan"], text(lang, "konv_turunan"), kind="flag", tooltip=True)
    spec.field("catatan_pagu", _blank_none(k["catatan_pagu"]), text(lang, "konv_catatan_pagu"))
    spec.field("jumlah_subkegiatan", k["jumlah_subkegiatan"], t["sub"])
    spec.field("paket_layanan", _blank_none(k["paket_layanan"]), t["paket"])
    spec.field("daftar_opd", _blank_none(k["daftar_opd"]), t["opds"], profile=False)
    if res.need:
        from serang_gis.core.indicators import INFO

        info = INFO.get(res.need)
        spec.field(res.need, pd.to_numeric(k[res.need], errors="coerce"), info.label(lang) if info else res.need,
                   unit=(info.unit if info else ""), dec=(info.dec if info else 1))
    kota = res.kegiatan[res.kegiatan["lokasi_jenis"] == "kota"]
    kota_text = f"{len(kota)} {'kegiatan' if lang == 'id' else 'activities'}, {_rp(kota['pagu'].sum(), lang)}"
    spec.field("kegiatan_se_kota", [kota_text] * len(k), t["kota"])
    spec.field("daftar_kegiatan", _blank_none(k["daftar_kegiatan"]), t["list"], kind="list")
    spec.choropleth("jumlah_opd", opd_classes(k["jumlah_opd"], lang), t["opd"], note=t["opd_note"])
    per = pd.to_numeric(k["pagu_per_balita_stunting"], errors="coerce")
    if per.notna().any():
        with warnings.catch_warnings():  # many kelurahan with no located pagu: mapclassify says it makes fewer classes
            warnings.simplefilter("ignore", UserWarning)
            cls = classify(per, "quantiles", k=5, palette="Greens", lang=lang)
        spec.choropleth("pagu_per_balita_stunting", cls, t["per_balita"], show=False, note=split_note)
    if res.need:
        spec.field("kelas_kebutuhan_belanja", k["kelas_kebutuhan_belanja"], t["biv_class"], profile=False)
        spec.categorical("kelas_kebutuhan_belanja", bivariate_categories(res, lang), t["biv"], show=False, note=split_note)
    if "lokus" in k.columns:
        name = res.lokus_name or "lokus"
        spec.field("lokus", k["lokus"], t["lokus"].format(name=name), kind="flag", tooltip=True)
        spec.outline("lokus", t["lokus"].format(name=name), t["lokus_item"].format(name=name), color="#7b3294")
    spec.kecamatan(t["kec"])
    return spec


def split_text(res: Konvergensi, lang: str = "id") -> str:
    """How the located pagu is spread over the kelurahan (the legend note of the pagu layers)."""
    t = T[lang]
    if res.split in ("equal", "none"):
        return t["split_equal"] if res.split == "equal" else t["split_none"]
    return text(lang, "konv_split_" + res.split) + "; " + text(lang, "konv_kota_not_counted")


def bivariate_categories(res: Konvergensi, lang: str = "id") -> list[tuple[str, str, str]]:
    t = T[lang]
    nb, sb = res.bivariate_breaks.get(res.need, []), res.bivariate_breaks.get("pagu_terlokasi", [])
    need_name, spend = t["need"].get(res.need, res.need), t["spend"]

    def rng(breaks, i, money):
        f = (lambda v: _rp(v, lang)) if money else (lambda v: fmt_number(v, 1, lang))
        if len(breaks) < 2:
            return ""
        return ["≤ " + f(breaks[0]), f"{f(breaks[0])} – ≤ {f(breaks[1])}", "> " + f(breaks[1])][i]

    cats = []
    for a in (3, 2, 1):
        for b in (1, 2, 3):
            lab = (f"{need_name} {t['lvl'][a - 1]} ({rng(nb, a - 1, False)}), {spend} {t['lvl'][b - 1]} ({rng(sb, b - 1, True)})")
            cats.append((f"{a}{b}", BIVARIATE[f"{a}{b}"], lab))
    return cats


# ---- matrix page -------------------------------------------------------------------------------

def _e(v) -> str:
    return html.escape("" if v is None or (isinstance(v, float) and v != v) else str(v))


def matrix_html(res: Konvergensi, lang: str = "id") -> str:
    """An HTML fragment (for the atlas index): the headline per office, the lokus x OPD matrix, the gaps."""
    en = lang == "en"
    out = [f"<h2>{'Does the money reach the lokus?' if en else 'Apakah anggaran sampai ke lokus?'}</h2>",
           f"<p>{_e(split_text(res, lang))}</p>",
           "<p class='sg-konv-headline'>" + "<br>".join(_e(h) for h in headline_lines(res, lang)) + "</p>",
           "<table class='sg-konv'><thead><tr><th>OPD</th><th>" + ("Activities" if en else "Kegiatan") + "</th><th>Pagu</th>"
           + "".join(f"<th>{_e(h)}</th>" for h in (["Lokus", "Non-lokus", "City-wide", "Matched nothing"] if en
                                                    else ["Lokus", "Non-lokus", "Se-kota", "Tidak cocok"]))
           + f"<th>{_e(text(lang, 'konv_alloc_col'))}</th><th>{_e(text(lang, 'konv_touch_col'))}</th>"
           + "<th>" + ("Paper 2022" if en else "Makalah 2022") + "</th><th>" + ("Paper 2023" if en else "Makalah 2023") + "</th></tr></thead><tbody>"]
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
    out.append(f"</tbody></table><p><small>{_e(PAPER_NOTE)}</small></p>")
    m = res.matrix
    rows = m[m["lokus"]] if "lokus" in m.columns else m
    opd_cols = [c for c in m.columns if c not in ("kode_kel", "kelurahan", "kecamatan", "lokus", "prevalensi_stunting",
                                                   "kesenjangan_sanitasi", "belum_odf", "jumlah_opd") and not c.startswith("paket_")]
    out.append(f"<h2>{'Lokus x office' if en else 'Matriks lokus x OPD'}</h2><table class='sg-konv'><thead><tr><th>Kelurahan</th><th>Kecamatan</th>"
               + "".join(f"<th>{_e(c)}</th>" for c in opd_cols) + "<th>OPD</th>"
               + "".join(f"<th>{_e(paket_label(p, lang))}</th>" for p in PAKET) + "</tr></thead><tbody>")
    for _, r in rows.iterrows():
        cells = "".join(f"<td>{_e(_rp(r[c], lang)) if pd.notna(r[c]) else '–'}</td>" for c in opd_cols)
        packs = "".join(f"<td class='{'ok' if r['paket_' + p] else 'gap'}'>{'✓' if r['paket_' + p] else '✗'}</td>" for p in PAKET)
        out.append(f"<tr data-kode='{_e(r['kode_kel'])}'><th>{_e(r['kelurahan'])}</th><td>{_e(r['kecamatan'])}</td>{cells}"
                   f"<td>{int(r['jumlah_opd'])}</td>{packs}</tr>")
    out.append("</tbody></table>")
    high = res.gaps[res.gaps["kebutuhan_tinggi"]]
    out.append(f"<h2>{'Gaps where the need is high' if en else 'Celah layanan pada kebutuhan tinggi'}</h2><ul class='sg-gaps'>")
    for r in high.itertuples():
        out.append(f"<li>{_e(r.kelurahan)} (Kec. {_e(r.kecamatan)}): {_e(r.paket)} – "
                   f"{'no office' if en else 'tidak ada OPD'}; {_e(r.alasan)}</li>")
    if high.empty:
        out.append(f"<li>{'none' if en else 'tidak ada'}</li>")
    out.append("</ul>")
    return "\n".join(out)


def matrix_page(res: Konvergensi, lang: str = "id") -> str:
    title = T[lang]["title"]
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{_e(title)}</title><style>"
            "body{font:14px system-ui,sans-serif;margin:1.5em;max-width:1400px}table{border-collapse:collapse;margin:.5em 0}"
            "th,td{border:1px solid #ccc;padding:3px 6px;text-align:right;vertical-align:top}th{background:#f3f3f3;text-align:left}"
            "td.gap{background:#fde0dd;text-align:center}td.ok{background:#e5f5e0;text-align:center}</style></head><body>"
            f"<h1>{_e(title)}</h1>{matrix_html(res, lang)}</body></html>")


def _blank_none(values: pd.Series) -> pd.Series:
    """'' -> missing (shown as "tidak ada data"); Series.replace('', None) forward-fills on pandas 2."""
    return values.astype(object).where(values.astype(str) != "", None)
