"""Issue 20, map behaviour, read back as a planner reads it in Chromium at 1366x768 and 390x844, pages over
file:// with the network cut: exclusive layers and the need x spending legend, legend swatches against rendered
pixels, periods, lokus strength, keyboard, controls that do not cover each other, tiles that cannot load."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from .conftest import OUTPUT, run_cli, wait_profile
from .test_flows_browser import DESKTOP, PHONE, FilePage, atlas  # noqa: F401  (the config atlas: two periods, a rank)
from .test_maps_browser import browser  # noqa: F401

pytestmark = pytest.mark.browser
SIZES = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "390x844"])


@pytest.fixture(scope="module")
def konv(konv_map):
    """The convergence map without the activities that reach kecamatan Taktakan, and its table (conftest's
    ``konv_map``, built once per run for the browser modules that open it)."""
    return konv_map


def _open_layers(p):
    if p.page.locator(".leaflet-control-layers-list").is_hidden():
        p.page.locator(".leaflet-control-layers-toggle").tap()  # a phone taps (a pointer would open it on hover)


# ---- 1. layers answering different questions are exclusive; the need x spending legend -------------------------------

@SIZES
def test_need_x_spending_turns_the_office_count_off_and_names_the_gap(konv, browser, viewport):  # noqa: F811
    p = FilePage(browser, konv["map"], viewport)
    on, _ = p.shown()
    assert "Jumlah OPD yang menjangkau" in on and "Kebutuhan x belanja" not in on
    _open_layers(p)
    p.tick("Kebutuhan x belanja")
    on, ticked = p.shown()
    assert "Kebutuhan x belanja" in on and "Jumlah OPD yang menjangkau" not in on and "Jumlah OPD yang menjangkau" not in ticked
    assert "Lokus 2022" in on  # an outline answers with any fill: untouched
    opd = p.layer("Jumlah OPD yang menjangkau")
    assert p.page.locator(f"path.sg-layer-{opd}").count() == 0
    block = p.page.locator(f".sg-legend-block[data-layer='{p.layer('Kebutuhan x belanja')}']")
    cells = block.locator(".sg-grid-cell")
    assert cells.count() == 9
    assert block.locator(".sg-grid-cell[data-class='31']").inner_text().strip() == "kebutuhan tinggi, tanpa belanja terlokasi"
    # the spending columns are headed by their amounts, in sight on the phone too: none, up to / above the positive median
    from serang_gis.core.numbers import rupiah_short

    pagu = konv["table"]["pagu_terlokasi"]
    median = rupiah_short(pagu[pagu > 0].median(), "id")
    heads = block.locator("th[scope='col']")
    assert heads.all_inner_texts() == ["Rp 0", f"≤ {median}", f"> {median}"] and median.endswith(" jt")
    assert "median" in block.locator("caption").text_content()
    assert not p.page.locator(f".sg-legend-block[data-layer='{opd}']").is_visible()
    # the list beside the legend: exactly the kelurahan in class 31 of the exported table, each opening its profile
    want = sorted(konv["table"].loc[konv["table"]["kelas_kebutuhan_belanja"] == "31", "kelurahan"])
    assert want, "the generated data has no 'need high, no spending' kelurahan: the test would prove nothing"
    got = [t.split(" (")[0] for t in block.locator(".sg-unit-link").all_inner_texts()]
    assert sorted(got) == want
    assert f"Kebutuhan tinggi, tanpa belanja terlokasi: {len(want)} kelurahan" in block.inner_text()
    if viewport is PHONE:
        p.page.locator(".sg-legend-toggle").tap()
    assert all(heads.nth(k).evaluate(SEEN) for k in range(3)), "a spending column's amount is hidden"
    first = block.locator(".sg-unit-link").first
    first.click()
    wait_profile(p.page, int(first.get_attribute("data-index")))  # the unit the link names
    assert got[0] in p.page.inner_text(".sg-profile h2")
    p.screenshot(f"flow_konv_biv_{viewport['width']}.png")
    assert p.errors == []
    p.close()


def _biv(p):
    """The need x spending layer on, alone among the fills, its legend open; its block."""
    p.page.evaluate("void sgAtlas.map.addLayer(sgAtlas.layers.find(l => l.sgSpec.name === 'Kebutuhan x belanja'))")
    if p.page.locator(".sg-legend-body").is_hidden():
        p.page.locator(".sg-legend-toggle").click()
    return p.page.locator(f".sg-legend-block[data-layer='{p.layer('Kebutuhan x belanja')}']")


SEEN = """e => { const r = e.getBoundingClientRect(), h = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                  return !!h && (h === e || e.contains(h)); }"""


@SIZES
def test_every_gap_name_is_shown_without_scrolling_and_a_long_list_says_how_many_more(konv, browser, viewport, tmp_path):  # noqa: F811
    from serang_gis.render.leaflet.konvergensi import bivariate_grid

    p = FilePage(browser, konv["map"], viewport)
    links = _biv(p).locator(".sg-unit-link")
    assert links.count() == 6 and all(links.nth(k).evaluate(SEEN) for k in range(6))  # each name in sight, as the page opens
    p.close()
    # a list of 12 (the same page, its list made longer as the Python side writes it): 8 names and "+4 lainnya", then all
    units = list(range(12))
    gap = bivariate_grid(pd.Series(["31"] * 12 + ["11"] * 55), [], [0.0, 5e7], "id")["gap"]
    assert gap["units"] == units and gap["more"] == "+4 lainnya"
    html = konv["map"].read_text(encoding="utf-8")
    old = html[html.index('"gap":{'):].split("}", 1)[0] + "}"
    path = konv["map"].parent / "gap12.html"
    path.write_text(html.replace(old, '"gap":' + json.dumps(gap, ensure_ascii=False, separators=(",", ":"))), encoding="utf-8")
    p = FilePage(browser, path, viewport)
    block = _biv(p)
    links, more = block.locator(".sg-unit-link"), block.locator(".sg-unit-more")
    assert [links.nth(k).is_visible() for k in range(12)] == [True] * 8 + [False] * 4
    assert more.inner_text() == "+4 lainnya" and more.evaluate(SEEN)
    more.click()
    assert all(links.nth(k).is_visible() for k in range(12)) and not more.is_visible()
    assert p.page.evaluate("document.activeElement.getAttribute('data-index')") == "8"  # the focus on the first name shown now
    assert p.errors == []
    p.close()
    path.unlink()


@SIZES
def test_no_data_is_hatched_and_the_profile_names_the_class_and_no_package(konv, browser, viewport):  # noqa: F811
    from PIL import Image

    table = konv["table"]
    p = FilePage(browser, konv["map"], viewport)
    block = _biv(p)
    lid = p.layer("Kebutuhan x belanja")
    none = int(table["kelas_kebutuhan_belanja"].isna().sum())
    assert none >= 1, "the generated data has no kelurahan without a class: the test would prove less"
    assert p.page.locator(f"path.sg-layer-hatch-{lid}").count() == none  # each one hatched on the map
    item = block.locator(".sg-legend-item[data-class='-1']")
    assert item.inner_text().strip() == "Tidak ada data"
    sw = item.locator(".sg-sw")
    shot = Image.open(io.BytesIO(sw.screenshot(scale="css"))).convert("L")
    dark = sum(1 for v in shot.getdata() if v < 110) / (shot.width * shot.height)
    low = block.locator(".sg-grid-cell[data-class='11']")
    low_px = Image.open(io.BytesIO(low.screenshot(scale="css"))).convert("L")
    low_dark = sum(1 for v in low_px.getdata() if v < 110) / (low_px.width * low_px.height)
    assert dark > 0.15 and low_dark < 0.15, (dark, low_dark)  # the no-data swatch is hatched, the low/low cell plain
    assert sw.get_attribute("data-color") != low.get_attribute("data-color")
    # the profile names the class in words; no package reached reads "tidak ada", not "tidak ada data"
    gap = table[table["kelas_kebutuhan_belanja"] == "31"].iloc[0]
    rows = dict(_profile_rows(p, gap["kode_kel"]))
    assert rows["Kelas kebutuhan x belanja"] == "kebutuhan tinggi, tanpa belanja terlokasi"
    p.page.evaluate("void sgAtlas.map.closePopup()")
    bare = table[table["paket_layanan"].isna()].iloc[0]
    assert bare["jumlah_paket"] == 0
    rows = dict(_profile_rows(p, bare["kode_kel"]))
    assert rows["Paket layanan yang menjangkau"] == "tidak ada"
    assert p.errors == []
    p.close()



def test_unknown_need_with_no_spending_stays_in_the_no_spending_reading(konv, browser):  # noqa: F811
    """Planner walk: a kelurahan with no need figure and no located pagu was hatched "Tidak ada data" (white) like any
    unknown, and so dropped out of "where is there no spending". Now: hatched over its own grey, named in the legend
    below the grid and in the profile ("kebutuhan tidak ada data, tanpa belanja terlokasi")."""
    table = konv["table"]
    unknown = table[table["prevalensi_stunting"].isna() & (table["pagu_terlokasi"] == 0)]
    assert len(unknown) >= 1, "the generated data has no such kelurahan: the test would prove less"  # Cibendung, Taktakan
    code = unknown.iloc[0]["kode_kel"]
    p = FilePage(browser, konv["map"], DESKTOP)
    block = _biv(p)
    lid = p.layer("Kebutuhan x belanja")
    fill = p.page.evaluate("""([lid, code]) => {
        const i = sgAtlas.P.cols.kode.indexOf(code), out = [];
        const walk = g => g.eachLayer(x => { if (x.eachLayer) walk(x); else if (x.sgIndex === i) out.push(x.options.fillColor); });
        walk(sgAtlas.overlays[lid]); return out; }""", [lid, code])
    assert "url(#sg-hatch)" in fill  # hatched: its need is unknown
    colour = next(c for c in fill if c != "url(#sg-hatch)")
    assert colour != "#ffffff"  # not the white of plain no data
    item = block.locator(f".sg-legend-item:has(.sg-sw[data-color='{colour}'])")
    assert item.count() == 1 and item.inner_text().strip() == "Kebutuhan tidak ada data, tanpa belanja terlokasi"
    assert "sg-sw-hatched" in item.locator(".sg-sw").get_attribute("class")
    assert block.locator(".sg-legend-item[data-class='-1']").inner_text().strip() == "Tidak ada data"  # still its own item
    rows = dict(_profile_rows(p, code))
    assert rows["Kelas kebutuhan x belanja"] == "kebutuhan tidak ada data, tanpa belanja terlokasi"
    assert p.errors == []
    p.close()

def test_the_english_legend_says_need_and_spending(konv, browser, tmp_path):  # noqa: F811
    from serang_gis.render.leaflet.konvergensi import bivariate_grid

    grid = bivariate_grid(pd.Series(["31", "11", None, "31"]), [], [0.0, 5e7], "en")
    assert grid["gap"]["units"] == [0, 3] and grid["gap"]["title"] == "High need, no located spending: 2 kelurahan"
    assert grid["grid"]["rows"][0]["cells"][0]["words"] == "need high, no located spending"
    assert grid["grid"]["rows"][2]["cells"][2]["words"] == "need low, high spending"
    assert grid["grid"]["cols"] == ["Rp 0", "≤ Rp 50 mn", "> Rp 50 mn"]


# ---- 2. a legend swatch is the colour its polygons render --------------------------------------------------------------

SAMPLE = """name => {
    const A = sgAtlas, map = A.map;
    A.layers.forEach(l => { if (l.sgSpec.name !== name && map.hasLayer(l)) map.removeLayer(l); });
    const wrap = A.layers.find(l => l.sgSpec.name === name);
    if (!map.hasLayer(wrap)) map.addLayer(wrap);
    map.closePopup();
    const s = wrap.sgSpec, colors = A.P.cols[s.color_col], hatch = s.hatch_col ? A.P.cols[s.hatch_col] : [];
    const box = map.getContainer().getBoundingClientRect(), out = {};
    wrap.eachLayer(function walk(x) {
        if (x.eachLayer) { x.eachLayer(walk); return; }
        const i = x.sgIndex;
        if (i === undefined || hatch[i] || !x.getElement || !x.getElement()) return;
        const pt = map.latLngToContainerPoint([A.P.cols._lat[i], A.P.cols._lon[i]]);
        const px = [Math.round(box.left + pt.x), Math.round(box.top + pt.y)];
        const r = x.getElement().getBoundingClientRect();
        if (document.elementFromPoint(px[0], px[1]) !== x.getElement()) return;  // under a control: not sampled
        (out[colors[i]] = out[colors[i]] || []).push({px: px, area: r.width * r.height, name: A.P.cols.nama[i]});
    });
    const swatches = {};
    document.querySelectorAll(`.sg-legend-block[data-layer='${s.id}'] [data-color]`).forEach(e => {
        const r = e.getBoundingClientRect();
        if (r.width) swatches[e.getAttribute('data-color')] = [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
    });
    Object.keys(out).forEach(c => out[c].sort((a, b) => b.area - a.area));
    return {units: out, swatches: swatches, id: s.id};
}"""


def _pixels(p):
    from PIL import Image

    return Image.open(io.BytesIO(p.page.screenshot(scale="css"))).convert("RGB")


def _flat(img, x, y, r=2):
    """The pixel at (x, y) when its neighbourhood is one colour (no edge, label or line through it), else None."""
    px = [img.getpixel((x + dx, y + dy)) for dx in range(-r, r + 1) for dy in range(-r, r + 1)]
    return px[len(px) // 2] if all(max(abs(a - b) for a, b in zip(q, px[0])) <= 2 for q in px) else None


def _swatch_pixel(p, lid, color):
    """The swatch's middle pixel, scrolled into view (a long legend scrolls inside itself)."""
    from PIL import Image

    shot = Image.open(io.BytesIO(p.page.locator(f".sg-legend-block[data-layer='{lid}'] [data-color='{color}']").first
                                 .screenshot(scale="css"))).convert("RGB")
    return shot.getpixel((shot.width // 2, shot.height // 2))


def _compare(p, name):
    """Each colour the layer paints: the swatch's pixel against a polygon's inner pixel; returns the worst channel gap."""
    if p.page.locator(".sg-legend-body").is_hidden():
        p.page.locator(".sg-legend-toggle").click()
    p.page.mouse.move(1, 1)
    found = p.page.evaluate(SAMPLE, name)
    p.page.wait_for_timeout(100)
    img = _pixels(p)
    worst, checked = 0, 0
    for color, units in found["units"].items():
        sw = found["swatches"].get(color)
        assert sw, f"{name}: no legend swatch for the colour {color} that polygons are painted in"
        inner = next((v for v in (_flat(img, *u["px"]) for u in units[:6]) if v), None)
        if inner is None:
            continue  # every polygon of this colour too small to sample here
        swatch = _swatch_pixel(p, found["id"], color)
        gap = max(abs(a - b) for a, b in zip(inner, swatch))
        assert gap <= 6, f"{name}: {color} renders {inner} on the map but the swatch shows {swatch}"
        worst, checked = max(worst, gap), checked + 1
    assert checked >= 2, f"{name}: only {checked} colours could be sampled"
    return worst, checked


@SIZES
def test_swatches_match_rendered_polygons_on_every_classed_map(atlas, konv, browser, viewport):  # noqa: F811
    report = []
    for path, names in ((atlas["dir"] / "prevalensi_stunting_kota.html", ["Prevalensi stunting 2023", "Prevalensi stunting 2021"]),
                        (atlas["dir"] / "peta_prioritas.html", ["Prioritas penanganan"]),
                        (konv["map"], ["Jumlah OPD yang menjangkau", "Kebutuhan x belanja"])):
        p = FilePage(browser, path, viewport)
        for name in names:
            worst, n = _compare(p, name)
            report.append((path.name, name, n, worst))
        assert p.errors == []
        p.close()
    (OUTPUT / f"swatch_gaps_{viewport['width']}.txt").write_text("\n".join(map(str, report)), encoding="utf-8")


# ---- 3. periods: the open profile follows, the title says which, a few keys away ---------------------------------------

KASEMEN = "36.73.02.1001"


def _first_row(p):
    return p.page.locator(".sg-profile tr").first.inner_text().replace("\t", " ").replace("\n", " ")


@SIZES
def test_the_open_profile_leads_with_the_chosen_period_and_the_title_names_it(atlas, browser, viewport):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html", viewport)
    row = atlas["table"].loc[KASEMEN]
    v21, v23 = (f"{row[f'prevalensi_stunting__{y}']:.1f}".replace(".", ",") + " %" for y in ("2021", "2023"))
    assert v21 != v23
    select = p.page.locator(".sg-title .sg-period select")
    assert select.is_visible() and select.evaluate("s => s.selectedOptions[0].text") == "Prevalensi stunting 2023"
    p.page.evaluate(f"sgAtlas.focus(sgAtlas.P.cols.kode.indexOf('{KASEMEN}'))")
    wait_profile(p.page, KASEMEN)
    assert _first_row(p).startswith("Prevalensi stunting 2023 " + v23)
    select.select_option(label="Prevalensi stunting 2021")
    p.page.wait_for_function("document.querySelector('.sg-profile tr') && "
                             "document.querySelector('.sg-profile tr').textContent.indexOf('2021') >= 0")
    assert _first_row(p).startswith("Prevalensi stunting 2021 " + v21)
    later = p.page.locator(".sg-profile").inner_text()
    assert "Prevalensi stunting 2023" in later.split("Prevalensi stunting 2021", 1)[1]  # the other period below
    on, ticked = p.shown()
    assert "Prevalensi stunting 2021" in on and "Prevalensi stunting 2023" not in on and "Prevalensi stunting 2023" not in ticked
    assert p.page.is_visible(".leaflet-popup") and select.is_visible()  # the title still says the period over the profile
    assert p.page.evaluate("(() => { const r = document.querySelector('.sg-period select').getBoundingClientRect();"
                           "return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; })()")
    p.screenshot(f"flow_period_profile_{viewport['width']}.png")
    assert p.errors == []
    p.close()


ROWS = """[...document.querySelectorAll('.sg-profile tr')].filter(r => r.querySelector('th[scope=row]')).map(r => [
    r.querySelector('th').textContent, r.querySelector('td').firstChild.textContent,
    [...r.querySelectorAll('.sg-src')].map(d => d.textContent).join(' | ')])"""


def _eras(rows):
    """The period of each period-specific row, in order: named in its label or its source line ("2021 · sasaran_2021.xlsx")."""
    out = []
    for label, _, src in rows:
        if "→" in label:  # the change between two periods belongs to neither
            continue
        era = next((y for y in ("2021", "2023") if label.endswith(" " + y) or src.startswith(y + " ·")), None)
        if era:
            out.append(era)
    return out


@SIZES
def test_every_period_row_of_an_open_profile_follows_the_chosen_period(atlas, browser, viewport):  # noqa: F811
    row = atlas["table"].loc[KASEMEN]
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html", viewport)
    p.page.evaluate(f"sgAtlas.focus(sgAtlas.P.cols.kode.indexOf('{KASEMEN}'))")
    wait_profile(p.page, KASEMEN)
    for chosen, other in (("2023", "2021"), ("2021", "2023")):
        if chosen == "2021":
            p.page.locator(".sg-title .sg-period select").select_option(label="Prevalensi stunting 2021")
            p.page.wait_for_function("document.querySelector('.sg-profile tr').textContent.indexOf('2021') >= 0")
        rows = p.page.evaluate(ROWS)
        eras = _eras(rows)
        n = eras.count(chosen)
        # the chosen period's rows all come first, then the other period's, each as many (every figure of each period)
        assert n >= 8 and eras == [chosen] * n + [other] * eras.count(other), (chosen, eras, rows)
        got = {label: value for label, value, _ in rows}
        assert got[f"Balita stunting {chosen}"] == f"{int(row[f'balita_stunting__{chosen}'])} balita"
        assert got[f"Jumlah keluarga {chosen}"] == f"{int(row[f'keluarga__{chosen}']):,} keluarga".replace(",", ".")
        assert got[f"Balita stunting {other}"] == f"{int(row[f'balita_stunting__{other}'])} balita"  # the other below, labelled
        assert "Prevalensi stunting" not in got and "Balita stunting" not in got  # no unlabelled latest-value row
    p.screenshot(f"flow_period_rows_{viewport['width']}.png")
    assert p.errors == []
    p.close()


def test_one_count_from_several_sources_shows_once_and_names_them(atlas, browser):  # noqa: F811
    """Balita stunting 2023 and the reported count (a copy of it here) agree: one row, the other named under it."""
    row = atlas["table"].loc[KASEMEN]
    assert row["stunting_dilaporkan"] == row["balita_stunting__2023"]  # the data as the test needs it
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html")
    p.page.evaluate(f"sgAtlas.focus(sgAtlas.P.cols.kode.indexOf('{KASEMEN}'))")
    wait_profile(p.page, KASEMEN)
    rows = p.page.evaluate(ROWS)
    counts = [r for r in rows if r[1] == f"{int(row['balita_stunting__2023'])} balita"]
    assert len(counts) == 1, counts
    assert counts[0][0] == "Balita stunting 2023" and "angka yang sama: Balita stunting dilaporkan (2023 ·" in counts[0][2]
    p.close()


@SIZES
def test_a_partial_period_shows_its_mark_in_the_title(atlas, browser, viewport, tmp_path):  # noqa: F811
    partial = "Prevalensi stunting 2021, sebagian: 22 dari 67 kelurahan"
    html = (atlas["dir"] / "prevalensi_stunting_kota.html").read_text(encoding="utf-8")
    path = atlas["dir"] / "partial_title.html"
    path.write_text(html.replace('"name":"Prevalensi stunting 2021"', f'"name":"{partial}"', 1), encoding="utf-8")
    p = FilePage(browser, path, viewport)
    p.page.locator(".sg-period select").select_option(label=partial)
    box = p.page.locator(".sg-period select")
    assert box.evaluate("s => s.selectedOptions[0].text") == partial and box.is_visible()
    width = box.evaluate("s => [s.scrollWidth, s.clientWidth, innerWidth]")
    assert width[1] <= width[2]  # inside the screen
    p.close()
    path.unlink()


def test_periods_are_a_few_keys_from_the_top(atlas, browser):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html")
    for presses in range(1, 8):
        p.page.keyboard.press("Tab")
        if p.page.evaluate("document.activeElement.matches('.sg-period select')"):
            break
    else:
        raise AssertionError("the period control is not within 7 Tab presses")
    p.page.keyboard.press("ArrowDown")
    p.page.wait_for_function("sgAtlas.layers.some(l => l.sgSpec.name === 'Prevalensi stunting 2021' && sgAtlas.map.hasLayer(l))")
    on, _ = p.shown()
    assert "Prevalensi stunting 2023" not in on
    assert presses <= 4, presses
    p.close()


# ---- 4. lokus strength: a layer, a legend, profiles that agree with themselves, a table column -------------------------

STRENGTH_WORDS = ["Lokus kuat (peluang ≥ 80 %)", "Perbatasan (peluang 20–80 %)", "Bukan lokus menurut data (peluang < 20 %)",
                  "Perlu data (tidak diperingkat)"]


def _strength(row) -> str:
    """The expected words from the exported table: status_lokus when set, else ranked or not."""
    if row["status_lokus"] == "lokus kuat":
        return STRENGTH_WORDS[0]
    if row["status_lokus"] == "perbatasan":
        return STRENGTH_WORDS[1]
    return STRENGTH_WORDS[2] if isinstance(row["prioritas"], str) else STRENGTH_WORDS[3]


def _profile_rows(p, code):
    p.page.evaluate(f"sgAtlas.focus(sgAtlas.P.cols.kode.indexOf('{code}'))")
    wait_profile(p.page, code)
    return p.page.evaluate("""[...document.querySelectorAll('.sg-profile tr')].filter(r => r.querySelector('th[scope=row]'))
        .map(r => [r.querySelector('th').textContent, r.querySelector('td').firstChild.textContent])""")


@SIZES
def test_lokus_strength_layer_legend_and_profiles(atlas, browser, viewport):  # noqa: F811
    table = atlas["table"]
    p = FilePage(browser, atlas["dir"] / "peta_prioritas.html", viewport)
    _open_layers(p)
    p.tick("Kekuatan sebagai lokus")
    on, ticked = p.shown()
    assert "Kekuatan sebagai lokus" in on and "Prioritas penanganan" not in on and "Prioritas penanganan" not in ticked
    lid = p.layer("Kekuatan sebagai lokus")
    items = p.page.locator(f".sg-legend-block[data-layer='{lid}'] .sg-legend-item").all_inner_texts()
    assert [i.strip() for i in items] == STRENGTH_WORDS
    assert p.page.locator(f"path.sg-layer-{lid}").count() == 67
    expected = {code: _strength(row) for code, row in table.iterrows()}
    assert len(set(expected.values())) == 4, "the data should hold all four kinds, else the test proves less"
    # one kelurahan of each kind: its profile says the same, once, and never "tidak ada data" for a judged rank
    for words in STRENGTH_WORDS:
        code = next(c for c, w in expected.items() if w == words)
        rows = _profile_rows(p, code)
        labels = [r[0] for r in rows]
        assert len(labels) == len(set(labels)), f"{code}: a row twice: {labels}"
        got = {re.sub(r" \([^()]*\)$", "", k): v for k, v in rows}  # "Kekuatan sebagai lokus (2023)": the rank rows name their period
        assert any(k.startswith("Kekuatan sebagai lokus (") for k in labels), labels
        assert got["Kekuatan sebagai lokus"] == words, (code, got["Kekuatan sebagai lokus"])
        said = next((v for k, v in got.items() if k.startswith("Dibanding daftar lokus")), "")
        if "prioritas rendah" in said:
            assert words == STRENGTH_WORDS[2]
        p.page.evaluate("void sgAtlas.map.closePopup()")
        p.page.wait_for_selector(".leaflet-popup", state="detached")
    # the colour each polygon is painted: the legend's colour of its kind
    colours = p.page.evaluate(f"""(() => {{ const out = {{}};
        document.querySelectorAll(".sg-legend-block[data-layer='{lid}'] .sg-legend-item").forEach(r =>
            out[r.textContent.trim()] = r.querySelector('[data-color]').getAttribute('data-color'));
        const got = {{}};
        document.querySelectorAll('path.sg-layer-{lid}').forEach(e => {{ }});
        sgAtlas.overlays['{lid}'].eachLayer(function walk(x) {{ if (x.eachLayer) {{ x.eachLayer(walk); return; }}
            got[sgAtlas.P.cols.kode[x.sgIndex]] = x.options.fillColor; }});
        return [out, got]; }})()""")
    legend, painted = colours
    assert {c: legend[w] for c, w in expected.items()} == painted
    assert p.errors == []
    p.close()


def test_the_index_table_has_a_lokus_strength_column(atlas, browser):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "index.html", wait=False)
    headers = [h.strip() for h in p.page.locator("#sg-table th").all_inner_texts()]
    assert "Kekuatan sebagai lokus" in headers
    col = headers.index("Kekuatan sebagai lokus") + 1
    cells = p.page.locator(f"#sg-table tbody tr td:nth-child({col})").all_inner_texts()
    codes = p.page.locator("#sg-table tbody tr td:nth-child(1)").all_inner_texts()
    assert len(cells) == 67
    assert {c: v for c, v in zip(codes, cells)} == {c: _strength(r) for c, r in atlas["table"].iterrows()}
    p.close()


# ---- 5. keyboard: no polygon Tab stops, Escape closes, the focus comes back ---------------------------------------------

@SIZES
def test_keyboard_search_escape_and_focus_back(atlas, browser, viewport):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html", viewport)
    stops = []
    for _ in range(40):
        p.page.keyboard.press("Tab")
        stops.append(p.page.evaluate("document.activeElement.tagName.toLowerCase()"))
    assert "path" not in stops, stops
    assert p.page.evaluate("document.querySelectorAll('path[tabindex=\"-1\"]').length") >= 67
    p.page.focus(".sg-search input")
    p.page.keyboard.type("kasemen")
    p.page.keyboard.press("Enter")
    wait_profile(p.page, KASEMEN)
    assert p.page.evaluate("document.activeElement.classList.contains('sg-profile')")  # the profile can be read and scrolled at once
    assert "Kasemen" in p.page.inner_text(".sg-profile h2")
    p.page.keyboard.press("Escape")
    p.page.wait_for_selector(".leaflet-popup", state="detached")
    assert p.page.evaluate("document.activeElement === document.querySelector('.sg-search input')")
    # the close button says what it does in the page's language, and Escape works after a click too
    p.page.evaluate(f"sgAtlas.focus(sgAtlas.P.cols.kode.indexOf('{KASEMEN}'))")
    wait_profile(p.page, KASEMEN)
    assert p.page.get_attribute(".leaflet-popup-close-button", "aria-label") == "Tutup profil"
    p.page.keyboard.press("Escape")
    p.page.wait_for_selector(".leaflet-popup", state="detached")
    assert p.errors == []
    p.close()


# ---- 6. controls do not cover each other ------------------------------------------------------------------------------

def test_a_popup_opens_clear_of_the_layer_list_on_desktop(atlas, browser):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html")
    ctl = p.rect(".leaflet-control-layers")
    # the kelurahan whose label point is visible and nearest the layer list's lower left corner
    code = p.page.evaluate("""c => {
        const A = sgAtlas, box = A.map.getContainer().getBoundingClientRect();
        let best = null, d0 = 1e9;
        A.P.cols.kode.forEach((k, i) => {
            const pt = A.map.latLngToContainerPoint([A.P.cols._lat[i], A.P.cols._lon[i]]);
            const x = box.left + pt.x, y = box.top + pt.y, e = document.elementFromPoint(x, y);
            if (!e || e.tagName !== 'path' || x > c.left) return;
            const d = Math.hypot(x - c.left, y - c.bottom);
            if (d < d0) { d0 = d; best = k; }
        });
        return best;
    }""", ctl)
    x, y = p.point_of(code)
    p.page.mouse.click(x, y)
    wait_profile(p.page, code)
    pop, last = p.rect(".leaflet-popup"), None
    for _ in range(40):  # the popup's fade-in and the map's pan to it end: its box stops moving (slow on a loaded machine)
        p.page.wait_for_timeout(150)
        pop, last = p.rect(".leaflet-popup"), pop
        if pop == last:
            break
    ctl = p.rect(".leaflet-control-layers")
    assert pop["right"] <= ctl["left"] or pop["top"] >= ctl["bottom"], (pop, ctl)
    b = p.rect(".leaflet-popup-close-button")
    cx, cy = (b["left"] + b["right"]) / 2, (b["top"] + b["bottom"]) / 2
    assert p.page.evaluate(f"document.elementFromPoint({cx}, {cy}).closest('.leaflet-popup-close-button') !== null")
    p.screenshot("flow_popup_clear_of_layers.png")
    p.close()


def test_on_a_phone_the_close_button_is_a_44_px_target(atlas, browser):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html", PHONE)
    p.page.evaluate(f"sgAtlas.focus(sgAtlas.P.cols.kode.indexOf('{KASEMEN}'))")
    wait_profile(p.page, KASEMEN)
    b = p.rect(".leaflet-popup-close-button")
    assert b["right"] - b["left"] >= 44 and b["bottom"] - b["top"] >= 44, b
    # all of it answers a tap (nothing over its corners), and the profile's name is not under it
    for x, y in ((b["left"] + 2, b["top"] + 2), (b["right"] - 2, b["bottom"] - 2), (b["left"] + 2, b["bottom"] - 2)):
        assert p.page.evaluate(f"document.elementFromPoint({x}, {y}).closest('.leaflet-popup-close-button') !== null")
    name = p.page.evaluate("(() => { const h = document.querySelector('.sg-profile h2'), r = document.createRange();"
                           "r.selectNodeContents(h); return r.getBoundingClientRect().right; })()")
    assert name <= b["left"], (name, b)
    p.page.locator(".leaflet-popup-close-button").tap()
    p.page.wait_for_selector(".leaflet-popup", state="detached")
    assert p.errors == []
    p.close()


def test_a_popup_whose_profile_grows_after_opening_is_kept_clear_of_the_layer_list(atlas, browser):  # noqa: F811
    """The cause of the intermittent bug, made certain: the profile is short when the popup opens (kept in view then) and
    reaches its full height after; the popup must be kept clear of the layer list and the title again."""
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html")
    ctl = p.rect(".leaflet-control-layers")
    # a kelurahan below the layer list and left of its left edge, near it: a tall popup there reaches up into the list
    code = p.page.evaluate("""c => {
        const A = sgAtlas, box = A.map.getContainer().getBoundingClientRect();
        let best = null, d0 = 1e9;
        A.P.cols.kode.forEach((k, i) => {
            const pt = A.map.latLngToContainerPoint([A.P.cols._lat[i], A.P.cols._lon[i]]);
            const x = box.left + pt.x, y = box.top + pt.y;
            if (x > c.left - 60 || x < c.left - 200 || y < c.bottom + 120 || y > innerHeight - 40) return;
            const d = Math.hypot(x - c.left, y - c.bottom);
            if (d < d0) { d0 = d; best = k; }
        });
        return best;
    }""", ctl)
    assert code, "no kelurahan below and left of the layer list"
    p.page.evaluate("sgAtlas.map.getContainer().style.setProperty('--sg-profile-h', '60px')")  # short at first
    p.page.evaluate(f"(() => {{ const A = sgAtlas, i = A.P.cols.kode.indexOf('{code}');"
                    "A.map.openPopup(L.popup({maxWidth: A.popupWidth(), minWidth: 240, autoPan: false, className: 'sg-popup'})"
                    ".setLatLng([A.P.cols._lat[i], A.P.cols._lon[i]]).setContent(A.profile(i))); })()")
    wait_profile(p.page, code)
    p.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    p.page.evaluate("sgAtlas.map.getContainer().style.setProperty('--sg-profile-h', '520px')")  # then its full height
    pop, last = p.rect(".leaflet-popup"), None
    for _ in range(20):
        p.page.wait_for_timeout(100)
        pop, last = p.rect(".leaflet-popup"), pop
        if pop == last:
            break
    assert pop["bottom"] - pop["top"] > 400  # it did grow
    ctl, title = p.rect(".leaflet-control-layers"), p.rect(".sg-title")
    assert pop["right"] <= ctl["left"] or pop["top"] >= ctl["bottom"], (pop, ctl)
    assert pop["top"] >= title["bottom"] or pop["right"] <= title["left"] or pop["left"] >= title["right"], (pop, title)
    b = p.rect(".leaflet-popup-close-button")
    assert p.page.evaluate(f"document.elementFromPoint({(b['left'] + b['right']) / 2}, {(b['top'] + b['bottom']) / 2})"
                           ".closest('.leaflet-popup-close-button') !== null")
    assert p.errors == []
    p.close()


def test_on_a_phone_search_leaves_the_layer_list_and_legend_leaves_the_profile(atlas, browser):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html", PHONE)
    p.page.locator(".leaflet-control-layers-toggle").tap()
    labels = p.page.locator(".leaflet-control-layers-list label")
    assert labels.count() >= 5
    for k in range(labels.count()):
        r = labels.nth(k).bounding_box()
        top = p.page.evaluate(f"document.elementFromPoint({r['x'] + 12}, {r['y'] + r['height'] / 2}).closest('.leaflet-control-layers') !== null")
        assert top, f"layer {k} is covered"
    s, lst = p.rect(".sg-search"), p.rect(".leaflet-control-layers-list")
    assert s["bottom"] <= lst["top"] or s["right"] <= lst["left"], (s, lst)  # side by side or one above the other, both usable
    assert p.page.locator(".sg-search input").is_visible()
    p.page.evaluate("void sgAtlas.map.fire('click')")  # a tap on the map closes the list
    p.page.wait_for_function("!document.documentElement.classList.contains('sg-layers-open')")
    p.page.locator(".sg-legend-toggle").tap()
    assert p.page.locator(".sg-legend-body").is_visible()
    p.page.evaluate(f"sgAtlas.focus(sgAtlas.P.cols.kode.indexOf('{KASEMEN}'))")
    wait_profile(p.page, KASEMEN)
    pop = p.rect(".leaflet-popup")
    legend = p.page.locator(".sg-legend")
    if legend.is_visible():
        lg = p.rect(".sg-legend")
        assert lg["top"] >= pop["bottom"] or lg["bottom"] <= pop["top"] or lg["left"] >= pop["right"] or lg["right"] <= pop["left"]
    p.screenshot("flow_phone_profile_legend.png")
    assert p.errors == []
    p.close()



def test_on_a_phone_the_search_box_shows_its_whole_hint_and_covers_no_part_of_the_open_layer_list(atlas, browser):  # noqa: F811
    """Planner walk: the phone's search hint read "Cari kelurahan ..." and the search box lay over the top of the open
    layer list's box (its labels had moved down inside it)."""
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html", PHONE)
    hint = p.page.evaluate("""() => {
        const i = document.querySelector('.sg-search input'), cs = getComputedStyle(i), span = document.createElement('span');
        span.style.font = cs.font; span.style.whiteSpace = 'pre'; span.textContent = i.placeholder; document.body.appendChild(span);
        const w = span.getBoundingClientRect().width; span.remove();
        return {text: i.placeholder, width: w, room: i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)}; }""")
    assert hint["text"] == "Cari kelurahan atau kode"
    assert hint["width"] + 20 <= hint["room"], hint  # 20 px: the clear button Chromium keeps beside a search field's text
    p.page.locator(".leaflet-control-layers-toggle").tap()
    p.page.wait_for_function("document.documentElement.classList.contains('sg-layers-open')")
    s, box = p.rect(".sg-search"), p.rect(".leaflet-control-layers")
    assert s["bottom"] <= box["top"] or s["right"] <= box["left"] or s["left"] >= box["right"], (s, box)
    assert p.page.locator(".sg-search input").is_visible() and p.page.locator(".leaflet-control-layers-list").is_visible()
    assert p.rect(".leaflet-control-layers")["bottom"] <= PHONE["height"]
    assert p.errors == []
    p.close()

# ---- 7. tiles that cannot load: the plain background, said ------------------------------------------------------------

@SIZES
def test_a_map_whose_tiles_fail_falls_back_to_the_plain_background(atlas, browser, viewport):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html", viewport)  # built without --offline: OSM by default
    note = p.page.locator(".sg-tile-note")
    note.wait_for(timeout=10_000)
    assert "Peta dasar tidak dapat dimuat" in note.inner_text() and note.get_attribute("role") == "status"
    assert any("tile.openstreetmap.org" in u for u in p.blocked)  # it did try
    assert p.page.evaluate("(() => { let n = 0; sgAtlas.map.eachLayer(l => { if (l.getTileUrl) n++; }); return n; })()") == 0
    checked = p.page.evaluate("""[...document.querySelectorAll('.leaflet-control-layers-base label')]
        .filter(l => l.querySelector('input').checked).map(l => l.textContent.trim())""")
    assert checked == ["Tanpa peta dasar"]
    r, m = p.rect(".sg-tile-note"), p.rect(".leaflet-container")
    assert m["left"] <= r["left"] and r["right"] <= m["right"] and r["bottom"] <= m["bottom"]
    p.screenshot(f"flow_tiles_failed_{viewport['width']}.png")
    # the note can be dismissed (it covers the south of the city on a phone); the scale is metric only
    assert p.page.locator(".leaflet-control-scale-line").count() == 1
    assert p.page.inner_text(".leaflet-control-scale").strip().endswith(("km", "m")), p.page.inner_text(".leaflet-control-scale")
    assert p.page.get_attribute(".sg-tile-note-close", "aria-label") == "Tutup catatan"
    close = p.page.locator(".sg-tile-note-close")
    close.tap() if viewport is PHONE else close.click()
    assert p.page.locator(".sg-tile-note").count() == 0
    # no English word in the attribution's link titles on an Indonesian page
    titles = p.page.evaluate("[...document.querySelectorAll('.leaflet-control-attribution [title]')].map(a => a.title)")
    assert not any("JavaScript" in t for t in titles), titles
    assert p.errors == []
    p.close()


def test_an_offline_map_starts_plain_and_says_nothing(tmp_path, joined_gpkg, browser):  # noqa: F811
    out = tmp_path / "peta.html"
    res = run_cli("map", joined_gpkg, "--indicator", "prevalensi", "-o", out, "--offline")
    assert res.exit_code == 0, res.output
    p = FilePage(browser, out)
    p.page.wait_for_timeout(500)
    assert p.page.locator(".sg-tile-note").count() == 0 and p.blocked == []
    p.close()


# ---- axe on the pages changed here, in the states changed here ---------------------------------------------------------

@SIZES
def test_axe_no_serious_rule_on_the_changed_maps(atlas, konv, browser, viewport):  # noqa: F811
    from .test_flows_browser import AXE, _axe

    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install)")
    found = {}
    for path, layer in ((konv["map"], "Kebutuhan x belanja"), (atlas["dir"] / "peta_prioritas.html", "Kekuatan sebagai lokus"),
                        (atlas["dir"] / "prevalensi_stunting_kota.html", None)):
        p = FilePage(browser, path, viewport)
        if layer:
            p.page.evaluate("n => { sgAtlas.map.addLayer(sgAtlas.layers.find(l => l.sgSpec.name === n)); }", layer)
        if p.page.locator(".sg-legend-body").is_hidden():
            p.page.locator(".sg-legend-toggle").click()
        p.page.wait_for_selector(".sg-tile-note", timeout=10_000)
        bad = _axe(p)
        if bad:
            found[path.name] = bad
        p.close()
    assert found == {}


# ---- planner user test, round two: a profile's pan is undone, the search box stays off the profile ---------------------

SAWAH_LUHUR = "36.73.02.1008"  # northern: its profile needs the map panned down to fit


def _settled(p, selector):
    box, last = p.rect(selector), None
    for _ in range(40):  # the popup's fade-in and the map's pan to it end: its box stops moving
        p.page.wait_for_timeout(120)
        box, last = p.rect(selector), box
        if box == last:
            break
    return box


def _city_on_screen(p):
    return p.page.evaluate("""(() => { const m = sgAtlas.map, b = sgAtlas.bounds;
        const a = m.latLngToContainerPoint(b.getNorthWest()), c = m.latLngToContainerPoint(b.getSouthEast());
        return [a.x, a.y, c.x, c.y]; })()""")


@pytest.mark.parametrize("close", ["Escape", "button"])
def test_closing_a_profile_puts_the_city_back_where_it_was(atlas, browser, close):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html")
    x, y = p.point_of(SAWAH_LUHUR)  # read once the view has settled, so the city's place before the click is true
    before = _city_on_screen(p)
    p.page.mouse.click(x, y)
    wait_profile(p.page, SAWAH_LUHUR)
    _settled(p, ".leaflet-popup")
    moved = _city_on_screen(p)
    assert abs(moved[1] - before[1]) > 20, "the profile needed no pan: the test would prove nothing"
    if close == "Escape":
        p.page.keyboard.press("Escape")
    else:
        p.page.locator(".leaflet-popup-close-button").click()
    p.page.wait_for_selector(".leaflet-popup", state="detached")
    p.page.wait_for_timeout(300)
    after = _city_on_screen(p)
    assert all(abs(a - b) <= 3 for a, b in zip(after, before)), (before, moved, after)
    # a map the user moved while the profile was open stays where the user put it
    x, y = p.point_of(SAWAH_LUHUR)
    p.page.mouse.click(x, y)
    wait_profile(p.page, SAWAH_LUHUR)
    _settled(p, ".leaflet-popup")
    p.page.evaluate("void sgAtlas.map.panBy([120, 0], {animate: false})")
    moved = _city_on_screen(p)
    p.page.keyboard.press("Escape")
    p.page.wait_for_selector(".leaflet-popup", state="detached")
    p.page.wait_for_timeout(300)
    assert all(abs(a - b) <= 3 for a, b in zip(_city_on_screen(p), moved))
    assert p.errors == []
    p.close()


def test_the_search_box_never_covers_a_profile_on_desktop(atlas, browser):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html")
    cilowong = p.page.evaluate("sgAtlas.P.cols.kode[sgAtlas.P.cols.nama.indexOf('Cilowong')]")
    s = p.rect(".sg-search")
    # Cilowong (west side) brought just below the search box, as a planner who panned there has it: its profile opens
    # upwards, over the search box unless it is kept clear
    for tx, ty in ((s["left"] + 60, s["bottom"] + 160), (s["right"] - 20, s["bottom"] + 260), (s["left"] + 10, s["bottom"] + 420)):
        p.page.evaluate("void sgAtlas.map.closePopup()")
        x, y = p.point_of(cilowong)
        p.page.evaluate(f"void sgAtlas.map.panBy([{x - tx}, {y - ty}], {{animate: false}})")
        x, y = p.point_of(cilowong)
        assert abs(x - tx) < 2 and abs(y - ty) < 2
        p.page.mouse.click(x, y)
        wait_profile(p.page, cilowong)
        pop = _settled(p, ".leaflet-popup-content-wrapper")
        s = p.rect(".sg-search")
        clear = pop["left"] >= s["right"] or pop["top"] >= s["bottom"] or pop["right"] <= s["left"] or pop["bottom"] <= s["top"]
        assert clear, ((tx, ty), pop, s)
        h = p.rect(".sg-profile h2")
        assert p.page.evaluate(f"document.elementFromPoint({h['left'] + 3}, {(h['top'] + h['bottom']) / 2}).closest('.sg-profile') !== null")
        assert "Cilowong" in p.page.inner_text(".sg-profile h2")
    assert p.errors == []
    p.close()


@SIZES
def test_the_heading_names_the_chosen_period_on_every_size(atlas, browser, viewport):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html", viewport)
    head = p.page.locator(".sg-title-main")
    assert head.is_visible()
    assert head.inner_text().startswith("Prevalensi stunting 2023") and "Kota Serang" in head.inner_text()
    p.page.locator(".sg-title .sg-period select").select_option(label="Prevalensi stunting 2021")
    assert head.inner_text().startswith("Prevalensi stunting 2021") and "2023" not in head.inner_text()
    assert "Kota Serang" in head.inner_text()
    assert p.errors == []
    p.close()


def test_exclusive_layers_are_radio_buttons(atlas, browser):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html")
    kinds = p.page.evaluate("""Object.fromEntries([...document.querySelectorAll('.leaflet-control-layers-overlays label')]
        .map(l => [l.textContent.trim(), l.querySelector('input').type]))""")
    assert kinds["Prevalensi stunting 2023"] == "radio" and kinds["Prevalensi stunting 2021"] == "radio", kinds
    assert kinds["Lokus 2022"] == "checkbox", kinds  # an outline goes with any fill
    p.tick("Prevalensi stunting 2021")
    on, ticked = p.shown()
    assert "Prevalensi stunting 2021" in on and "Prevalensi stunting 2023" not in on and "Prevalensi stunting 2023" not in ticked
    assert p.errors == []
    p.close()


def test_the_paper_checks_on_a_phone_keep_numbers_and_headers_whole(default_maps, browser):  # noqa: F811
    p = FilePage(browser, default_maps["index_id"], PHONE, wait=False)
    table = p.page.locator("table.sg-checks")
    assert table.count() == 1
    # every number and every header on one line (a range of its text has one line box), the table scrolls in itself
    lines = p.page.evaluate("""[...document.querySelectorAll('table.sg-checks td.num, table.sg-checks th')].filter(e => e.textContent.trim())
        .map(e => { const r = document.createRange(); r.selectNodeContents(e);
                    const tops = new Set([...r.getClientRects()].map(q => Math.round(q.top))); return [e.textContent.trim(), tops.size]; })""")
    assert lines and all(n == 1 for _, n in lines), [x for x in lines if x[1] != 1]
    assert p.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    notes = p.page.locator("table.sg-checks tr td:nth-child(5)").all_inner_texts()
    assert notes and all(n.strip() for n in notes), notes  # a blank note says "–"
    p.close()


def test_a_period_without_data_says_so_once_for_one_count(atlas, browser):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html")
    # the fields of one count and one period (balita stunting as computed, as reported), emptied for Kasemen
    labels = p.page.evaluate(f"""(() => {{ const A = sgAtlas, i = A.P.cols.kode.indexOf('{KASEMEN}'), groups = {{}};
        A.P.fields.filter(f => f.same && f.era).forEach(f => (groups[f.same + '|' + f.era] = groups[f.same + '|' + f.era] || []).push(f));
        const g = Object.values(groups).find(x => x.length > 1);
        if (!g) return null;
        g.forEach(f => {{ A.P.cols[f.key] = A.P.cols[f.key].slice(); A.P.cols[f.key][i] = null; }});
        return g.map(f => f.label); }})()""")
    assert labels, "no count given by two sources for one period: the test would prove nothing"
    p.page.evaluate(f"sgAtlas.focus(sgAtlas.P.cols.kode.indexOf('{KASEMEN}'))")
    wait_profile(p.page, KASEMEN)
    heads = p.page.locator(".sg-profile th[scope=row]").all_inner_texts()
    assert sum(h.strip() in labels for h in heads) == 1, (labels, heads)
    assert p.errors == []
    p.close()


def test_lokus_outlines_are_cased_so_they_show_over_the_dark_strength_fill(atlas, browser):  # noqa: F811
    p = FilePage(browser, atlas["dir"] / "peta_prioritas.html")
    f = p.page.evaluate("getComputedStyle(document.querySelector('.leaflet-sg-lokus-pane svg')).filter")
    assert "drop-shadow" in f and "255, 255, 255" in f, f
    # rendered pixels across the outlines: a white halo lies beside the outline's colour along most of its length ...
    drawn, cased = casing_counts(p)
    assert drawn >= 100 and cased / drawn >= 0.5, (drawn, cased)
    # ... and the same reading without the casing finds it rarely (the measure can tell the two apart)
    p.page.add_style_tag(content=".leaflet-sg-lokus-pane svg { filter: none !important; }")
    drawn0, cased0 = casing_counts(p)
    assert drawn0 >= 100 and cased0 / drawn0 <= 0.25 and cased0 / drawn0 < cased / drawn - 0.3, (drawn0, cased0, drawn, cased)
    assert p.errors == []
    p.close()


@SIZES
def test_the_need_x_spending_header_keeps_each_arrow_with_its_word(konv, browser, viewport):  # noqa: F811
    p = FilePage(browser, konv["map"], viewport)
    block = _biv(p)
    assert block.locator(".sg-grid").count() == 1
    # the line each word and its arrow are drawn on (the tops of their characters' boxes)
    tops = p.page.evaluate("""b => { const th = b.querySelector('th.sg-grid-axis[colspan]'), t = th.firstChild, s = t.textContent;
        const top = k => { const r = document.createRange(); r.setStart(t, k); r.setEnd(t, k + 1); return Math.round(r.getBoundingClientRect().top); };
        const a = s.indexOf('\u2193'), b2 = s.indexOf('\u2192'), w = s.lastIndexOf('/') + 2;
        return [top(0), top(a), top(w), top(b2)]; }""", block.element_handle())
    assert tops[0] == tops[1] and tops[2] == tops[3], tops
    p.close()


EDGE = """() => {
    // points along the lokus outlines on screen, each with its normal (the outline's direction turned 90 degrees)
    const out = [];
    document.querySelectorAll('.leaflet-sg-lokus-pane path').forEach(path => {
        const stroke = getComputedStyle(path).stroke, m = path.getScreenCTM(), n = path.getTotalLength();
        if (!m || n < 200) return;
        const at = d => { const q = path.getPointAtLength(d); return [m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f]; };
        for (let d = 20; d < n - 20; d += 9) {
            const [x, y] = at(d), [x0, y0] = at(d - 2), [x1, y1] = at(d + 2), len = Math.hypot(x1 - x0, y1 - y0);
            if (!len || x < 5 || y < 5 || x > innerWidth - 5 || y > innerHeight - 5) continue;
            const hit = document.elementFromPoint(x, y);
            if (hit && !hit.closest('.leaflet-map-pane')) continue;  // under a control or the legend
            out.push({x: x, y: y, nx: -(y1 - y0) / len, ny: (x1 - x0) / len, stroke: stroke});
        }
    });
    return out;
}"""


def _rgb(css):
    return tuple(int(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])


def casing_counts(p):
    """Along the lokus outlines in view: the points where the outline's own colour is drawn, and of those the ones where a
    pixel right beside the line (1-2 px) is whiter than the fill further out (5 px) on either side: the white casing's
    halo. Without the casing the pixels beside the line are the fill or the line's dark antialiasing, never whiter."""
    from PIL import Image

    p.page.mouse.move(1, 1)
    pts = p.page.evaluate(EDGE)
    img = Image.open(io.BytesIO(p.page.screenshot(scale="css"))).convert("RGB")
    drawn = cased = 0
    for q in pts:
        stroke = _rgb(q["stroke"])
        across = {k: img.getpixel((round(q["x"] + k * q["nx"]), round(q["y"] + k * q["ny"]))) for k in range(-9, 10)}
        hits = [k for k in range(-3, 4) if max(abs(u - v) for u, v in zip(across[k], stroke)) <= 40]
        if not hits:
            continue  # a dash's gap, or the line drawn over by another outline
        drawn += 1
        sides = [(max(hits), 1), (min(hits), -1)]
        cased += any(max(min(across[e + d * j]) for j in (1, 2)) - min(across[e + d * 5]) >= 20 for e, d in sides)
    return drawn, cased
