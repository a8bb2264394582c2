"""Issue 20, the planner's third walk: what the atlas pages say about their own figures (kecamatan denominators,
each layer's source and period, the index's tables on a phone, the Rp 0 class, the products and sources the index
names). One config atlas (periods 2021 and 2023, their change, kecamatan pages, a rank, an Aksi 2 matrix)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from click.testing import CliRunner

from serang_gis.cli.main import cli
from serang_gis.render.leaflet.packing import read_payload

from . import kegiatan_fixtures as K
from .test_config_atlas import _write_config

KEC_SIZE = {"36.73.01": 12, "36.73.02": 10, "36.73.03": 14, "36.73.04": 10, "36.73.05": 8, "36.73.06": 13}  # the boundary file


@pytest.fixture(scope="module")
def walk(tmp_path_factory, serang_path):
    tmp = tmp_path_factory.mktemp("walk3")
    K.write_csv(tmp / "aksi2.csv", K.make_activities())
    cfg = _write_config(tmp, serang_path, extra='\n[[kegiatan]]\npath = "aksi2.csv"\nyear = 2023\n')
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("static = true", "static = false"), encoding="utf-8")
    res = CliRunner().invoke(cli, ["build", "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    return tmp / "atlas"


def _payload(path):
    return read_payload(path.read_text(encoding="utf-8"))


def _layer(p, start):
    return next(x for x in p["layers"] if x["name"].startswith(start))


def test_kecamatan_profile_counts_each_kecamatan_against_its_own_kelurahan(walk):
    """Fault 1: "Kelurahan melapor 12 / 14" for a kecamatan of 13 kelurahan: the denominator is its own number."""
    for page in ("prevalensi_stunting_per_kecamatan.html", "persen_keluarga_berisiko_per_kecamatan.html"):
        p = _payload(walk / page)
        f = next(f for f in p["fields"] if f["key"].startswith("kelurahan_"))
        texts = dict(zip(p["cols"]["kode"], p["cols"][f["text_col"]]))
        table = pd.read_csv(walk / "kecamatan.csv", dtype={"kode_kec": str}, encoding="utf-8-sig").set_index("kode_kec")
        for code, n in KEC_SIZE.items():
            got = table.at[code, f["key"]]
            assert texts[code] == f"{int(got)} / {n}", (page, code, texts[code])


def test_the_odf_layer_names_its_own_source_and_dates(walk):
    """Fault 2: the ODF layer of an indicator page cites the ODF declarations (not the e-PPGBM file), with their dates."""
    kel = pd.read_csv(walk / "kelurahan.csv", dtype=str, encoding="utf-8-sig")
    urls = sorted(set(kel["sumber_odf"].dropna()))
    dates = sorted(set(kel["tanggal_odf"].dropna()))
    assert urls and dates
    for page in ("prevalensi_stunting_kota.html", "persen_keluarga_berisiko_kota.html", "peta_prioritas.html"):
        p = _payload(walk / page)
        odf = _layer(p, "Status ODF")
        assert sorted(odf["sources"]) == urls, page
        assert "sasaran" not in odf["subtitle"] and dates[0] in odf["subtitle"] and dates[-1] in odf["subtitle"], odf["subtitle"]
        assert odf["title"].startswith("Status ODF – ") and "periode" not in odf["title"], odf["title"]


def test_a_change_layer_cites_both_years_files(walk):
    p = _payload(walk / "prevalensi_stunting_kota.html")
    change = _layer(p, "Perubahan")
    want = ["sasaran_2021.xlsx [Data Sasaran]", "sasaran_2023.xlsx [Data Sasaran]"]
    assert sorted(change["sources"]) == want
    assert "2021" in change["subtitle"] and "2023" in change["subtitle"]
    assert _layer(p, "Prevalensi stunting 2021")["sources"] == want[:1]  # a period's own file, as before


def test_zero_located_pagu_is_its_own_class_never_below_zero(walk):
    """Fault 4: Rp 0 per stunted toddler is "Rp 0 / tidak ada pagu", the first class; no "< 0"."""
    p = _payload(walk / "peta_konvergensi.html")
    layer = _layer(p, "Pagu terlokasi per balita")
    labels = [it["label"] for it in layer["legend"]["items"] if it["kind"] == "fill"]
    assert labels[0] == "Rp 0 / tidak ada pagu" and not any(lab.startswith("< ") for lab in labels), labels
    assert labels[1].startswith("> 0 – < ")
    per = p["cols"]["pagu_per_balita_stunting"]
    cls = p["cols"][layer["index_col"]]
    assert any(v == 0 for v in per), "no kelurahan without located pagu: the test would prove nothing"
    assert all((c == 0) == (v == 0) for v, c in zip(per, cls) if v is not None)


# ---- in Chromium: what the planner sees on screen, in print, on a phone -------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 390])
def test_choosing_odf_shows_its_sources_hides_the_period_and_prints_them(walk, browser, width):
    """Fault 2 on screen and in print: with "Status ODF" chosen the title box cites the ODF declarations, the period
    control is gone (not blank), and the printed "Sumber data" lists them, not the e-PPGBM file."""
    from .test_flows_browser import FilePage

    viewport = {"width": width, "height": 768 if width > 600 else 844}
    p = FilePage(browser, walk / "prevalensi_stunting_kota.html", viewport)
    try:
        period = p.page.locator(".sg-title .sg-period")
        assert period.is_visible()
        p.page.evaluate("n => { const s = sgAtlas.P.layers.find(l => l.name === n); "
                        "sgAtlas.map.addLayer(sgAtlas.overlays[s.id]); }", "Status ODF")
        assert not period.is_visible()
        box = p.page.locator(".sg-title")
        odf = _layer(p.page.evaluate("sgAtlas.P"), "Status ODF")
        assert box.locator(".sg-title-main").inner_text().startswith("Status ODF – ")
        sources = box.locator(".sg-sources li").all_text_contents()
        assert sorted(sources) == sorted(odf["sources"]) and not any("sasaran" in s for s in sources)
        p.page.evaluate("() => { window.print = () => {}; }")
        p.page.emulate_media(media="print")
        p.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        p.page.wait_for_function("document.documentElement.classList.contains('sg-printing')", timeout=10_000)
        printed = p.page.locator(".sg-title").inner_text()
        assert "sasaran" not in printed and urlish(odf["sources"][0]) in printed
        assert p.errors == []
    finally:
        p.close()


def urlish(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).split("/")[0]


@pytest.mark.browser
def test_index_tables_on_a_phone_keep_amounts_and_words_whole(walk, browser):
    """Fault 3: at 390 px the convergence tables and the summary scroll inside their own box; no amount or word is
    broken over lines ("R/p/1/5/0", "Kel/ura/han"), and the page itself is no wider than the screen."""
    from .test_flows_browser import FilePage

    p = FilePage(browser, walk / "index.html", {"width": 390, "height": 844}, wait=False)
    try:
        broken = p.page.evaluate("""() => {
            const out = [], cells = document.querySelectorAll('.sg-fragment table td, .sg-fragment table th, h2 + table th');
            for (const cell of cells) {
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                    const re = /[^\\s\\u2010-]+/g; let m;  // a word, or its part between hyphens ("se-/kota" may break there)
                    while ((m = re.exec(n.data))) {
                        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
                        const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
                        if (tops.size > 1) out.push(m[0]);
                    }
                }
            }
            return out;
        }""")
        cells = p.page.locator(".sg-fragment table td").count()
        assert cells > 20, "no convergence table in the index: the test would prove nothing"
        assert broken == [], broken[:20]
        assert p.page.evaluate("document.documentElement.scrollWidth") <= 390
        assert p.page.evaluate("[...document.querySelectorAll('.sg-konv')].some(t => t.scrollWidth > t.clientWidth)")
    finally:
        p.close()


def test_the_convergence_map_cites_the_matrix_with_its_year_and_the_needs_file(walk):
    """Fault 5: the printed convergence map named only the activity matrix: its year and the need's file are sources too."""
    html = (walk / "peta_konvergensi.html").read_text(encoding="utf-8")
    p = read_payload(html)
    box = html[html.index("sg-sources"):]
    assert "Matriks Aksi 2 (2023): aksi2.csv" in box
    biv = _layer(p, "Kebutuhan x belanja")
    assert biv["grid"]["need"] == "Prevalensi 2023" and biv["grid"]["rows"][0]["level"].startswith("> ")
    assert "Kebutuhan (prevalensi 2023): sasaran_2023.xlsx" in box


def test_the_index_links_every_product_and_names_the_activity_matrix(walk):
    """Fault 7: the QGIS project, the matrix workbook and the JSON summary were written but not linked; the activity
    matrix was missing from the index's sources."""
    html = (walk / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"]+)"', html))
    for name in ("serang_gis.qgz", "matriks_lokus_opd.xlsx", "laporan_konvergensi.json", "serang_gis.gpkg", "peta_konvergensi.html"):
        assert (walk / name).exists() and name in links, name
    written = {p.name for p in walk.iterdir() if not p.name.startswith(".") and p.suffix in (".html", ".gpkg", ".qgz", ".xlsx", ".json", ".csv", ".geojson", ".pdf")}
    assert written - {"index.html"} <= links, sorted(written - {"index.html"} - links)
    sources = html[html.rindex("<h2>Sumber data</h2>"):]
    assert "<li>Matriks Aksi 2: aksi2.csv</li>" in sources
    assert ">Plot corong<" in html and "Funnel plot" not in html


@pytest.mark.parametrize("largest, labels", [
    (26.7, ["< -17,8 poin", "-17,8 – < -8,9 poin", "-8,9 – < -1,8 poin", "-1,8 – < 1,8 poin", "1,8 – < 8,9 poin",
            "8,9 – < 17,8 poin", "≥ 17,8 poin"]),
    (0.3, ["< -0,20 poin", "-0,20 – < -0,10 poin", "-0,10 – < -0,02 poin", "-0,02 – < 0,02 poin", "0,02 – < 0,10 poin",
           "0,10 – < 0,20 poin", "≥ 0,20 poin"])])
def test_a_change_legend_has_one_count_of_decimals(largest, labels):
    """Fault 9: "-17,8 / -8,9 / -1,78 / 1,78 poin" mixed one and two decimals in one legend."""
    from serang_gis.plan.atlas import diverging

    cls = diverging(pd.Series([largest, -largest / 2]), "id")
    assert cls.labels == labels


def test_the_words_a_planner_reads_are_plain_and_in_the_pages_language():
    """Faults 9 and 11: no "P(top 18)" notation in the index note, "Priority 1" in English (not "Prioritas 1"), "Rp 125 mn"
    in English ("m" reads as miliar to an Indonesian reader), "Plot corong" in Indonesian."""
    from serang_gis.core.numbers import rupiah_short
    from serang_gis.core.text import t

    kw = dict(draws=2000, more="", conc=50, seed=42, strong=13, border=9, top=18, mcse="0,004")
    assert "P(top" not in t("id", "rank.sum_uncertainty", **kw) and "P(top" not in t("en", "rank.sum_uncertainty", **kw)
    assert "peluang masuk 18 teratas" in t("id", "rank.sum_uncertainty", **kw)
    assert "Prioritas" not in t("en", "strength.note") and "Priority 1" in t("en", "strength.note")
    assert rupiah_short(1.25e8, "en") == "Rp 125 mn" and rupiah_short(1.25e8, "id") == "Rp 125 jt"
    assert t("id", "index.funnel_title") == "Plot corong" and t("en", "index.funnel_title") == "Funnel plot"


def test_the_english_table_caption_names_the_data_groups_in_english():
    """Fault 11: the English index read "Kelurahan table: gizi 2023 ...; keluarga 2024"."""
    from types import SimpleNamespace

    from serang_gis.plan.atlas import _table_caption

    choices = {g: SimpleNamespace(label=lambda lang, y=y: y) for g, y in (("gizi", "2023"), ("keluarga", "2024"))}
    assert _table_caption(choices, "en") == "Kelurahan table: nutrition 2023; families 2024"
    assert _table_caption(choices, "id") == "Tabel kelurahan: gizi 2023; keluarga 2024"


def test_the_profile_names_the_lokus_list_it_compares_with(walk):
    """Fault 10: "Dibanding daftar lokus: lokus kuat, bukan lokus" did not say which list (the config's [rank] lokus)."""
    p = _payload(walk / "peta_prioritas.html")
    labels = {f["key"]: f["label"] for f in p["fields"]}
    assert labels["banding_lokus"] == "Dibanding daftar lokus 2022"


def test_a_kelurahan_without_a_pagu_note_says_none_not_no_data(walk):
    """Fault 10: "Catatan pagu: tidak ada data" where there is simply no note."""
    p = _payload(walk / "peta_konvergensi.html")
    f = next(f for f in p["fields"] if f["key"] == "catatan_pagu")
    texts = p["cols"][f["text_col"]]
    assert "tidak ada data" not in texts and "tidak ada" in texts


def test_the_profile_says_which_half_of_the_comparison_is_the_list_and_which_the_data(walk):
    """Planner walk 4: "Dibanding daftar lokus 2022: lokus kuat, bukan lokus" read as a contradiction. Each stored
    comparison reads as "<list half> dalam daftar; <data half> menurut data" (the CSV keeps the stored words)."""
    p = _payload(walk / "peta_prioritas.html")
    f = next(f for f in p["fields"] if f["key"] == "banding_lokus")
    shown = {v for v in p["cols"][f["text_col"]] if v and v != "–"}  # "–": no comparison
    assert shown and all("dalam daftar; " in v for v in shown), shown
    assert not shown & {"lokus kuat, bukan lokus", "perbatasan, bukan lokus", "lokus, lokus kuat", "Prioritas 1, bukan lokus"}
    assert shown <= {"lokus dalam daftar; lokus kuat menurut data", "lokus dalam daftar; perbatasan menurut data",
                     "lokus dalam daftar; prioritas rendah menurut data", "lokus dalam daftar; data belum cukup untuk menilai",
                     "bukan lokus dalam daftar; lokus kuat menurut data", "bukan lokus dalam daftar; perbatasan menurut data",
                     "bukan lokus dalam daftar; Prioritas 1 menurut data", "lokus dalam daftar; tidak dinilai menurut data"}, shown
