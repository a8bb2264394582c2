"""recheck12 L2: on the kecamatan map, turning on "Keluarga berisiko stunting (2021)" while a balita period is shown drew
the translucent blue circles over the red balita circles, which then looked grey-blue and no longer matched their red
legend. The families' circles are drawn under the balita circles (a pane below theirs) whenever they are turned on:
checked in Chromium by the panes and by the pixels at the balita circles' centres (the circles share their centres)."""

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


@pytest.fixture(scope="module")
def site(tmp_path_factory, serang_path):
    from serang_gis import read_kelurahan
    from serang_gis.join.atlas import build_layers
    from serang_gis.render.leaflet.atlas import kecamatan_spec

    tmp = tmp_path_factory.mktemp("kec_families")
    kecamatan_spec(build_layers(read_kelurahan(serang_path), dt.date(2025, 12, 31)), "id").save(tmp / "peta_kecamatan.html")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/peta_kecamatan.html"
    server.shutdown()
    server.server_close()


CIRCLES = """() => [...document.querySelectorAll('path.sg-circle')].map(e => {
    const b = e.getBoundingClientRect(), pane = e.closest('.leaflet-pane');
    return {cls: e.getAttribute('class'), x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2, w: b.width,
            z: Number(getComputedStyle(pane).zIndex)}; })"""


def test_families_circles_never_repaint_the_balita_circles(browser, site):
    from PIL import Image

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(site)
    page.wait_for_function("window.sgAtlas !== undefined && document.querySelectorAll('path.sg-circle').length > 0", timeout=15_000)
    page.wait_for_timeout(500)
    ids = page.evaluate("""() => { const L = sgAtlas.P.layers;
        return [L.find(s => s.field === 'keluarga_berisiko_2021').id, L.filter(s => s.type === 'circles' && s.show !== false)[0].id]; }""")
    families, balita = ids
    before = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    shown = [c for c in page.evaluate(CIRCLES) if f"sg-circle-{balita}" in c["cls"].split()]
    page.click('.leaflet-control-layers-overlays label:has-text("Keluarga berisiko")')
    page.wait_for_function(f"document.querySelectorAll('path.sg-circle-{families}').length > 0", timeout=15_000)
    page.wait_for_timeout(500)
    after = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    circles = page.evaluate(CIRCLES)
    context.close()
    fam = [c for c in circles if f"sg-circle-{families}" in c["cls"].split()]
    bal = [c for c in circles if f"sg-circle-{balita}" in c["cls"].split()]
    assert fam and bal and len(bal) == len(shown)
    assert max(c["z"] for c in fam) < min(c["z"] for c in bal)  # the families' pane under the balita circles'
    for c in bal:  # each balita circle's centre: still red, as before the families were turned on (not grey-blue)
        was = np.array(before.getpixel((int(c["x"]), int(c["y"]))), dtype=float)
        now = np.array(after.getpixel((int(c["x"]), int(c["y"]))), dtype=float)
        assert now[0] > now[2] + 40 and np.linalg.norm(now - was) < 70, (c, was, now)
