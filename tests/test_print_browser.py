"""Issue 20, print: every map kind (indicator, priority, kelurahan, convergence) at 1366x768 and 390x844, from the
print button and from the browser's own print, comes out as one A4 landscape page with title, period, legend,
sources and date, and nothing covering the polygons.

Read back as printed: page.pdf() of the print media, then pdfinfo (pages, size), pdftotext (words and their
boxes) and pdftoppm at 50 dpi (pixels of the colours the polygons are painted)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from .conftest import OUTPUT
from .test_flows_browser import DESKTOP, PHONE, FilePage, atlas  # noqa: F401
from .test_map_flows_browser import konv  # noqa: F401
from .test_maps_browser import browser  # noqa: F401

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdfinfo, pdftotext, pdftoppm) missing")]
DPI = 50
KINDS = {  # kind -> (how its file is found, a period the printed page must name)
    "indicator": ("prevalensi_stunting_kota.html", "2023"),
    "priority": ("peta_prioritas.html", "2023"),
    "kelurahan": ("kel_id", "2025-10-01"),
    "konvergensi": ("map", "2022"),
}

# the painted polygons of the shown fill layers: their fill and opacity, the map's background, and the printed words
PAINT = """() => {
    const A = sgAtlas, map = A.map, fills = {};
    A.layers.filter(l => map.hasLayer(l) && l.sgSpec.color_col).forEach(l => l.eachLayer(function walk(x) {
        if (x.eachLayer) { x.eachLayer(walk); return; }
        const e = x.getElement && x.getElement();
        if (!e || x instanceof L.CircleMarker) return;
        const f = e.getAttribute('fill'), o = parseFloat(e.getAttribute('fill-opacity') || '1');
        if (/^#[0-9a-f]{6}$/i.test(f || '') && o > 0.2) fills[f + '|' + o] = [f, o];
    }));
    const legend = [...document.querySelectorAll('.sg-print-side .sg-legend-block')].filter(b => b.offsetParent)
        .map(b => (b.querySelector('.sg-legend-item') || {}).textContent).filter(Boolean);
    return {fills: Object.values(fills), bg: getComputedStyle(map.getContainer()).backgroundColor,
            title: document.querySelector('.sg-title-main').textContent.trim(),
            source: (document.querySelector('.sg-sources summary') || {}).textContent, legend: legend};
}"""


# the view as seen: the zoom, and where on the screen a fixed place (the first unit's label point) lies, in CSS pixels
VIEW = """(() => { const A = sgAtlas, m = A.map, pt = m.latLngToContainerPoint([A.P.cols._lat[0], A.P.cols._lon[0]]);
                   return [m.getZoom(), pt.x, pt.y]; })()"""


def _settled_view(p):
    """The view once the page has settled (a planner prints a map seen, not one still being laid out on a loaded machine)."""
    view = p.page.evaluate(VIEW)
    for _ in range(20):
        p.page.wait_for_timeout(150)
        view, last = p.page.evaluate(VIEW), view
        if view == last:
            break
    return view


def _map_path(kind, atlas, default_maps, konv):  # noqa: F811
    where = KINDS[kind][0]
    return atlas["dir"] / where if where.endswith(".html") else {**default_maps, **konv}[where]


def _print(p, trigger):
    """The app's print preparation, as the button or the browser starts it; window.print is recorded, not run."""
    p.page.evaluate("() => { window.print = () => { window.sgPrinted = (window.sgPrinted || 0) + 1; }; }")
    if trigger == "button":
        p.page.locator(".sg-print a").click()
        assert p.page.evaluate("window.sgPrinted") == 1
    p.page.emulate_media(media="print")
    p.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    p.page.wait_for_function("document.documentElement.classList.contains('sg-printing')", timeout=10_000)
    p.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    paint = p.page.evaluate(PAINT)  # before page.pdf(): Chromium sends 'afterprint' when the PDF is made
    return paint, p.page.pdf(format="A4", landscape=True, print_background=True)


def _words(pdf: Path):
    """(text, x0, y0, x1, y1) of every word, in pixels at DPI."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    k = DPI / 72
    return [(w, float(a) * k, float(b) * k, float(c) * k, float(d) * k) for a, b, c, d, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)]


def _run_of(words, text):
    """The boxes of the words of ``text`` where they follow each other in the printed text (not a label elsewhere)."""
    want = text.split()
    for i in range(len(words) - len(want) + 1):
        if [w[0] for w in words[i:i + len(want)]] == want:
            return words[i:i + len(want)]
    raise AssertionError(f"{text!r} not printed as one run")


def _rgb(css):
    return [int(v) for v in re.findall(r"\d+", css)[:3]]


def _polygons(png: Path, fills, bg):
    """Share of the page painted in the polygons' colours and the box around the big painted areas (not swatches)."""
    from PIL import Image
    from scipy import ndimage

    img = np.asarray(Image.open(png).convert("RGB")).astype(int)
    mask = np.zeros(img.shape[:2], bool)
    for color, alpha in fills:
        c = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)])
        shown = np.round(alpha * c + (1 - alpha) * np.array(bg))
        mask |= np.abs(img - shown).max(axis=2) <= 10
    labels, n = ndimage.label(ndimage.binary_dilation(mask, iterations=2))
    sizes = ndimage.sum(mask, labels, range(1, n + 1))
    big = np.isin(labels, [i + 1 for i, s in enumerate(sizes) if s > 0.005 * mask.size]) & mask
    ys, xs = np.nonzero(big)
    return mask.mean(), (xs.min(), ys.min(), xs.max(), ys.max()) if len(xs) else None


def _check_pdf(pdf_bytes, name, paint, period):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pdf = OUTPUT / f"{name}.pdf"
    pdf.write_bytes(pdf_bytes)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    w, h = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(w - 842) < 2 and abs(h - 595) < 2, info  # A4 landscape in points
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    today = f"Dicetak {dt.date.today().isoformat()}"
    for part in (paint["title"], period, paint["legend"][0], paint["source"], today):
        assert " ".join(part.split()) in text, (part, text[:400])
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", str(pdf), str(OUTPUT / name)], check=True)
    share, box = _polygons(OUTPUT / f"{name}.png", paint["fills"], _rgb(paint["bg"]))
    words = _words(pdf)
    boxes = _run_of(words, paint["title"]) + _run_of(words, paint["source"]) + _run_of(words, today)
    over = [b for b in boxes if box and b[1] < box[2] and b[3] > box[0] and b[2] < box[3] and b[4] > box[1]]
    return share, box, over


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "390x844"])
@pytest.mark.parametrize("trigger", ["button", "browser"])
def test_every_map_prints_on_one_a4_page_with_nothing_over_the_polygons(atlas, default_maps, konv, browser,  # noqa: F811
                                                                        viewport, kind, trigger):
    p = FilePage(browser, _map_path(kind, atlas, default_maps, konv), viewport)
    before = _settled_view(p)
    paint, pdf = _print(p, trigger)
    assert paint["fills"] and paint["legend"], paint
    name = f"print_{kind}_{viewport['width']}_{trigger}"
    share, box, over = _check_pdf(pdf, name, paint, KINDS[kind][1])
    print(f"{name}: polygons {share:.1%} of the page, box {tuple(int(v) for v in box)} px at {DPI} dpi")
    assert share > 0.15, f"{share:.1%} of the page in the polygons' colours"  # the kab/kota fills the map, not a 20 m corner
    assert box is not None and not over, over
    # the page is given back as it was: legend in the map, no print layout, the same view
    p.page.emulate_media(media="screen")
    p.page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert p.page.evaluate("!document.documentElement.classList.contains('sg-printing') && !document.querySelector('.sg-print-side')"
                           " && !!sgAtlas.map.getContainer().querySelector('.sg-legend')")
    p.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # what settles, settled
    after = p.page.evaluate(VIEW)
    # the same view to the pixel: the zoom, and a fixed place at the same spot of the screen (within 1 CSS px)
    assert after[0] == before[0] and all(abs(a - b) <= 1 for a, b in zip(after[1:], before[1:])), (before, after)
    assert p.errors == []
    p.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1366x768"])
def test_the_view_comes_back_to_the_pixel_when_the_map_size_changed_unnoticed(atlas, browser, viewport):  # noqa: F811
    """A phone's map can change size without Leaflet measuring it yet (the browser's bars, a late layout): the centre it
    reports is then off by half the change. The view restored after printing is the one seen, to the pixel."""
    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html", viewport)
    p.page.evaluate("sgAtlas.map.getContainer().style.height = (sgAtlas.map.getContainer().offsetHeight - 20) + 'px'")
    before = _settled_view(p)
    _print(p, "button")
    p.page.emulate_media(media="screen")
    p.page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    p.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    after = p.page.evaluate(VIEW)
    assert after[0] == before[0] and all(abs(a - b) <= 1 for a, b in zip(after[1:], before[1:])), (before, after)
    assert p.errors == []
    p.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "390x844"])
def test_printed_period_is_plain_text_and_the_date_closes_the_right_column(atlas, browser, viewport):  # noqa: F811
    """The config atlas's prevalence map with 2021 chosen: the period prints as words, not as a form control (no
    border or arrow around it in the printed pixels), and "Dicetak <date>" is the last line of the right-hand
    column, below the sources and the legend, level with the map's foot."""
    from PIL import Image

    p = FilePage(browser, atlas["dir"] / "prevalensi_stunting_kota.html", viewport)
    chosen = "Prevalensi stunting 2021"
    p.page.locator(".sg-title .sg-period select").select_option(label=chosen)
    paint, pdf_bytes = _print(p, "browser")
    name = f"print_period_{viewport['width']}"
    _check_pdf(pdf_bytes, name, paint, "2021")
    words = _words(OUTPUT / f"{name}.pdf")
    title = _run_of(words, paint["title"])
    column = min(w[1] for w in title) - 1  # the right-hand column starts where the title does
    right = [w for w in words if w[1] >= column]

    period = _run_of(words, chosen)  # the first run in reading order: the period under the title, before the legend
    x0, y0, y1 = min(w[1] for w in period), min(w[2] for w in period), max(w[4] for w in period)
    img = np.asarray(Image.open(OUTPUT / f"{name}.png").convert("L")).astype(int)
    top, left = int(y0) - 3, int(x0) - 3  # the map's frame ends 5 px left of the column
    band = img[top:int(y1) + 4, left:img.shape[1] - 10].copy()
    for w in words:  # words are ink (the period's, and the lines above and below); anything else dark is a control's border or arrow
        band[max(0, int(w[2]) - top - 1):max(0, int(w[4]) - top + 2), max(0, int(w[1]) - left - 1):max(0, int(w[3]) - left + 2)] = 255
    assert (band < 170).sum() == 0, f"{(band < 170).sum()} dark pixels around the printed period: a form control"

    date = _run_of(words, f"Dicetak {dt.date.today().isoformat()}")
    others = [w for w in right if w not in date]
    assert min(w[2] for w in date) >= max(w[4] for w in others) - 0.5, "a word of the column prints below the date"
    assert max(w[1] for w in date) < column + 60  # at the column's left edge, not beside a heading
    foot = _run_of(words, "Leaflet")[0]  # the attribution at the map's foot
    assert max(w[4] for w in date) >= foot[2], (date, foot)


@pytest.fixture(scope="module")
def opd_atlas(tmp_path_factory):
    """A config atlas with an activity matrix: its office pages (opd_*.html) carry long title boxes (reached and
    unreached kelurahan, sources)."""
    from . import export_fixtures as X

    return X.build_office_atlas(tmp_path_factory.mktemp("print_opd"))


# the printed side column's words as the page holds them while printing: title, sources, every legend line, the date
SIDE = """() => [document.querySelector('.sg-title-main').textContent,
                 (document.querySelector('.sg-sources summary') || {}).textContent,
                 ...[...document.querySelectorAll('.sg-print-side .sg-legend-block')].filter(b => b.offsetParent)
                     .flatMap(b => [...b.querySelectorAll('.sg-legend-title, .sg-legend-item')].map(e => e.textContent)),
                 document.querySelector('.sg-print-date').textContent].filter(Boolean)"""


@pytest.mark.parametrize("page", ["kel_default", "kel_config", "opd_dinkes", "opd_perkim"])
@pytest.mark.parametrize("trigger", ["button", "browser"])
def test_a_phone_prints_the_whole_side_column_as_a_desktop_does(atlas, default_maps, opd_atlas, browser,  # noqa: F811
                                                                page, trigger):
    """Planner walk 4: at 390x844 the print lost the date, the end of the legend, the sources (opd pages): the side
    column was fitted to the page while the phone's screen rules still held (an opened title box capped at 70 % of the
    screen's height), and printed without them. Printed here as the browser does: the preparation on the screen, then
    the page laid out for paper (no print media emulated at phone width beforehand)."""
    path = {"kel_default": default_maps["kel_id"], "kel_config": atlas["dir"] / "peta_kelurahan.html",
            "opd_dinkes": opd_atlas / "opd_dinkes.html", "opd_perkim": opd_atlas / "opd_perkim.html"}[page]
    p = FilePage(browser, path, PHONE)
    _settled_view(p)
    p.page.evaluate("() => { window.print = () => { window.sgPrinted = (window.sgPrinted || 0) + 1; }; }")
    if trigger == "button":
        p.page.locator(".sg-print a").click()
        p.page.wait_for_timeout(1500)  # the walk counted a second call 0.2-1.3 s later (its stub, returned by
        assert p.page.evaluate("window.sgPrinted") == 1  # page.evaluate, was called by Playwright): one dialog, no retry
    else:
        p.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    side = p.page.evaluate(SIDE)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pdf = OUTPUT / f"print_phone_{page}_{trigger}.pdf"
    pdf.write_bytes(p.page.pdf(prefer_css_page_size=True, print_background=True))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    w, h = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(w - 842) < 2 and abs(h - 595) < 2, info
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert side[-1] == f"Dicetak {dt.date.today().isoformat()}" and len(side) > 4, side
    missing = [s for s in side if " ".join(s.split()) not in text]
    assert not missing, (missing, text[-300:])
    assert p.errors == []
    p.close()
