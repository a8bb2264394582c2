"""Office walk 23b, faults 5 and 6: an office page with eight factor layers and long folded lists (Dinkes: KRS water,
jamban and KB; STBM pillars 1-4 and BABS terbuka; 8 activities, 10 unreached lokus, 27 hot spots).

- Printed (A4 landscape; the print button and the browser's own print; at 1366x768 and 390x844) the legend came after
  every opened fold and was cut. Now every legend line and the date print, on one page; the folded lists are cut to what
  fits, each ending "dan N lainnya (lihat halaman)" with N the lines left out; the page is whole again after printing.
- At 1366x768 the legend had to be scrolled and the open layer list lay over the city. Now every legend line is on the
  screen and seen (nothing over it), the legend does not scroll, and the list is folded or clear of the city's polygons.

Inputs generated (tests/export_fixtures.py, tests/kegiatan_fixtures.py); pages served on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import shutil
import subprocess
import threading

import pytest

from .conftest import OUTPUT

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdfinfo, pdftotext) missing")]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from . import export_fixtures as X

    tmp = tmp_path_factory.mktemp("opd_legend")
    X.build_office_atlas(tmp, stbm=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp / "out"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", tmp / "out"
    server.shutdown()
    server.server_close()


def _open(browser, site, name, viewport):
    phone = viewport["width"] < 600
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site[0]}/{name}")
    page.wait_for_function("window.sgAtlas !== undefined", timeout=15_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return context, page, errors


def _lists(page):
    """Each folded list of the title box: its heading and its lines (as the page holds them, printed or not)."""
    return page.evaluate("""[...document.querySelectorAll('.sg-panel')].map(d => [d.querySelector('summary').textContent,
                               [...d.querySelectorAll('li')].map(li => li.textContent)])""")


def test_the_dinkes_page_is_the_long_case(site):
    """The case of the walk: eight factor layers and four folded lists of 7 to 27 lines."""
    from serang_gis.render.leaflet.packing import read_payload

    html = (site[1] / "opd_dinkes.html").read_text(encoding="utf-8")
    assert len([s for s in read_payload(html)["layers"] if s["type"] == "choropleth"]) == 8
    sizes = [len(re.findall(r"<li>", ul)) for ul in re.findall(r"<ul>(.*?)</ul>", html, re.S)]
    assert sum(sizes) > 40 and max(sizes) >= 20, sizes


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "390x844"])
@pytest.mark.parametrize("trigger", ["button", "browser"])
def test_the_printed_office_page_holds_the_whole_legend_and_the_date(site, browser, viewport, trigger):
    context, page, errors = _open(browser, site, "opd_dinkes.html", viewport)
    before = _lists(page)
    page.evaluate("() => { window.print = () => { window.sgPrinted = (window.sgPrinted || 0) + 1; }; }")
    if trigger == "button":
        page.locator(".sg-print a").click()
        assert page.evaluate("window.sgPrinted") == 1
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function("document.documentElement.classList.contains('sg-printing')", timeout=10_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    legend = page.evaluate("""[...document.querySelectorAll('.sg-print-side .sg-legend-block')].filter(b => b.offsetParent)
                              .flatMap(b => [...b.querySelectorAll('.sg-legend-title, .sg-legend-item')].map(e => e.textContent))""")
    printed = page.evaluate("""[...document.querySelectorAll('.sg-panel')].map(d => [...d.querySelectorAll('li')]
                               .filter(li => li.offsetParent).map(li => li.textContent))""")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pdf = OUTPUT / f"print_opd_dinkes_{viewport['width']}_{trigger}.pdf"
    pdf.write_bytes(page.pdf(format="A4", landscape=True, print_background=True))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    # the walk's missing lines among them: "Tidak ada data", the reach band and the lokus entry
    assert {"Tidak ada data", "Kelurahan yang dijangkau kegiatan OPD ini", "Kelurahan lokus 2022"} <= set(legend), legend
    missing = [x for x in legend if " ".join(x.split()) not in text]
    assert not missing, (missing, text[-600:])
    assert f"Dicetak {dt.date.today().isoformat()}" in text
    assert text.index("Kelurahan lokus 2022") < text.index("Kegiatan OPD ini")  # the legend before the folded lists
    cut = 0
    for (head, lines), shown in zip(before, printed):
        assert head.split(" (")[0] in text  # every list's heading prints
        if len(shown) == len(lines):  # printed whole
            assert all(" ".join(x.split())[:40] in text for x in lines)
            continue
        cut += 1  # cut: its first lines, then "dan N lainnya" with N the lines left out
        kept = shown[:-1]
        assert kept == lines[:len(kept)] and shown[-1] == f"dan {len(lines) - len(kept)} lainnya (lihat halaman)", (head, shown)
        assert shown[-1] in text
    assert cut, "nothing was cut: the lists fit whole, the case does not test the cut"
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert _lists(page) == before  # every line back, in its place, no "lainnya" line
    assert page.evaluate("document.querySelectorAll('.sg-title .sg-panel').length") == len(before)
    assert errors == []
    context.close()


def test_at_1366x768_the_whole_legend_shows_and_the_layer_list_leaves_the_city_clear(site, browser):
    context, page, errors = _open(browser, site, "opd_dinkes.html", DESKTOP)
    page.wait_for_timeout(300)
    state = page.evaluate("""() => {
        const body = document.querySelector('.sg-legend-body');
        const items = [...document.querySelectorAll('.sg-legend-item')].filter(e => e.offsetParent).map(e => {
            const r = e.getBoundingClientRect(), hit = document.elementFromPoint(r.left + 8, r.top + r.height / 2);
            return {text: e.textContent, inside: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
                    seen: !!hit && e.contains(hit)};
        });
        const fills = [...document.querySelectorAll('.leaflet-map-pane path')].map(p => p.getBoundingClientRect())
            .filter(r => r.width > 0);
        const city = {left: Math.min(...fills.map(r => r.left)), top: Math.min(...fills.map(r => r.top)),
                      right: Math.max(...fills.map(r => r.right)), bottom: Math.max(...fills.map(r => r.bottom))};
        const c = document.querySelector('.leaflet-control-layers'), r = c.getBoundingClientRect();
        return {items, scroll: [body.scrollHeight, body.clientHeight], city, n: fills.length,
                folded: !c.classList.contains('leaflet-control-layers-expanded'),
                overlaps: r.left < city.right && r.right > city.left && r.top < city.bottom && r.bottom > city.top};
    }""")
    texts = [x["text"] for x in state["items"]]
    assert {"Tidak ada data", "Kelurahan yang dijangkau kegiatan OPD ini", "Kelurahan lokus 2022"} <= set(texts), texts
    assert all(x["inside"] and x["seen"] for x in state["items"]), state["items"]
    assert state["scroll"][0] <= state["scroll"][1] + 1, state["scroll"]  # no scrolling in the legend
    assert state["n"] >= 67 and (state["folded"] or not state["overlaps"]), state
    # folded, the list opens from its button and its factors switch the map; the title box's select does too
    assert state["folded"]
    page.locator(".leaflet-control-layers").hover()  # a pointer over the button opens it (Leaflet's folded list)
    page.wait_for_selector(".leaflet-control-layers-expanded", timeout=5_000)
    page.locator(".leaflet-control-layers label", has_text="Pilar 2: cuci tangan pakai sabun").first.click()
    page.wait_for_timeout(300)
    assert page.locator(".sg-title-main").text_content().endswith("Pilar 2: cuci tangan pakai sabun 2024")
    page.locator(".sg-title select").first.select_option(label="BABS terbuka 2024")
    page.wait_for_timeout(300)
    assert page.locator(".sg-title-main").text_content().endswith("BABS terbuka 2024")
    assert errors == []
    context.close()


def test_a_short_layer_list_stays_open_on_a_desktop(site, browser):
    """The fold is for a list that takes the legend's room: an office of one factor layer keeps its list open at 1366x768."""
    from serang_gis.render.leaflet.packing import read_payload

    name = next(p.name for p in sorted(site[1].glob("opd_*.html"))
                if len([s for s in read_payload(p.read_text(encoding="utf-8"))["layers"] if s["type"] == "choropleth"]) == 1)
    context, page, errors = _open(browser, site, name, DESKTOP)
    assert page.evaluate("document.querySelector('.leaflet-control-layers').classList.contains('leaflet-control-layers-expanded')")
    assert errors == []
    context.close()
