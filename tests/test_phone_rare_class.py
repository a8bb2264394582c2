"""recheck12 M3: on a phone (390 x 844) the kelurahan map opened with Kaligandu, the one Belum ODF kelurahan, hidden:
a thin salmon sliver beside the "Serang" label and under three circles; on a desktop it showed.

The plan names a fill layer's rare classes (``LayerPlan.rare_classes``: at most 3 units and under a tenth of them);
the HTML map draws their units once more over the circles and outlines, outlined, in the colour of their legend swatch,
and writes the kecamatan names off them and, where it can, off the circles, at the size the map has on a phone
(``render.leaflet.placing``). Checked in Chromium at 390 x 844 by the pixels of the first view: Kaligandu shows the
colour of its legend swatch over most of its inside, and no kecamatan name lies on it."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import io
import threading

import numpy as np
import pytest

from tests.conftest import _QuietHandler

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}


@pytest.fixture(scope="module")
def site(tmp_path_factory, serang_path):
    from serang_gis import read_kelurahan
    from serang_gis.join.atlas import build_layers
    from serang_gis.render.leaflet.atlas import kelurahan_spec

    tmp = tmp_path_factory.mktemp("phone_rare")
    layers = build_layers(read_kelurahan(serang_path), dt.date(2025, 12, 31))
    kel = layers.kelurahan
    kelurahan_spec(layers, "id").save(tmp / "peta_kelurahan.html")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/peta_kelurahan.html", list(kel.loc[kel["status_odf"] == "Belum ODF", "kelurahan"])
    server.shutdown()
    server.server_close()


def test_the_plan_names_the_rare_class(serang_path):
    from serang_gis import read_kelurahan
    from serang_gis.join.atlas import build_layers
    from serang_gis.plan.layers import odf_layer

    kel = build_layers(read_kelurahan(serang_path), dt.date(2025, 12, 31)).kelurahan.reset_index(drop=True)
    layer = odf_layer(kel)
    belum = next(k for k, (v, _, _) in enumerate(layer.categories) if v == "Belum ODF")
    assert (kel["status_odf"] == "Belum ODF").sum() == 1 and layer.rare_classes() == [belum]  # 1 of 67: rare
    declared = next(k for k, (v, _, _) in enumerate(layer.categories) if v == "ODF deklarasi")
    assert declared not in layer.rare_classes()  # 45 of 67: common


FIRST_VIEW = """name => {
    const P = sgAtlas.P, i = P.cols.nama.indexOf(name), map = sgAtlas.map, box = map.getContainer().getBoundingClientRect();
    let shape = null;
    map.eachLayer(l => { if (!shape && l.sgIndex === i && l.getLatLngs) shape = l; });
    const flat = a => (a.length && a[0].lat !== undefined) ? [a] : a.flatMap(flat);
    const rings = flat(shape.getLatLngs()).map(r => r.map(p => { const q = map.latLngToContainerPoint(p); return [q.x + box.left, q.y + box.top]; }));
    const swatch = [...document.querySelectorAll('.sg-legend-item')].find(e => e.textContent.startsWith('Belum ODF')).querySelector('.sg-sw');
    const labels = [...document.querySelectorAll('.sg-kec-label')].map(e => {
        const r = document.createRange(); r.selectNodeContents(e); const b = r.getBoundingClientRect();
        return [e.textContent, b.left, b.top, b.right, b.bottom]; });
    return {rings, swatch: getComputedStyle(swatch).backgroundColor, labels};
}"""


def _first_view(browser, site, kw):
    from PIL import Image

    context = browser.new_context(**kw)
    page = context.new_page()
    page.goto(site[0])
    page.wait_for_function("window.sgAtlas !== undefined && document.querySelectorAll('.sg-kec-label').length > 0 && "
                           "document.querySelectorAll('.sg-legend-item').length > 0", timeout=15_000)
    page.evaluate("() => new Promise(r => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 500))")
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")  # the first view, nothing clicked
    got = page.evaluate(FIRST_VIEW, site[1][0])  # (the legend's swatch is read folded, as a phone opens)
    context.close()
    return shot, got


def _inside(shot, rings, scale: float, inset: int = 3) -> np.ndarray:
    """The screenshot's pixels inside the unit's rings, ``inset`` CSS pixels in from its edges (off its outlines)."""
    from PIL import Image, ImageDraw, ImageFilter

    mask = Image.new("L", shot.size, 0)
    draw = ImageDraw.Draw(mask)
    for ring in rings:
        draw.polygon([(x * scale, y * scale) for x, y in ring], fill=255)
    mask = mask.filter(ImageFilter.MinFilter(2 * int(inset * scale) + 1))
    pixels = np.asarray(shot, dtype=float)[np.asarray(mask) > 0]
    return pixels


def _rgb(css: str) -> np.ndarray:
    return np.array([float(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3]])


@pytest.mark.parametrize("kw", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_one_belum_odf_kelurahan_is_seen_at_the_first_view(browser, site, kw):
    assert len(site[1]) == 1  # Kaligandu: the data this test is about
    shot, got = _first_view(browser, site, kw)
    scale = kw.get("device_scale_factor", 1)
    pixels = _inside(shot, got["rings"], scale)
    assert len(pixels) > 50 * scale * scale, len(pixels)  # it has an inside at this size at all
    near = np.linalg.norm(pixels - _rgb(got["swatch"]), axis=1) < 24
    assert near.mean() >= 0.9, (near.mean(), got["swatch"])  # its legend's colour, not circles' red or a label's halo
    xs = [x for ring in got["rings"] for x, _ in ring]
    ys = [y for ring in got["rings"] for _, y in ring]
    for name, left, top, right, bottom in got["labels"]:  # no kecamatan name written over it
        assert right <= min(xs) or left >= max(xs) or bottom <= min(ys) or top >= max(ys) or \
            not _text_on(shot, got["rings"], (left, top, right, bottom), scale), name


def _text_on(shot, rings, box, scale: float) -> bool:
    """Whether a label's text box overlaps the unit's shape (its rings drawn as a mask)."""
    from PIL import Image, ImageDraw

    mask = Image.new("L", shot.size, 0)
    draw = ImageDraw.Draw(mask)
    for ring in rings:
        draw.polygon([(x * scale, y * scale) for x, y in ring], fill=255)
    left, top, right, bottom = (int(round(v * scale)) for v in box)
    return bool(np.asarray(mask)[max(top, 0):max(bottom, 0), max(left, 0):max(right, 0)].any())
