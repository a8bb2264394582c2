"""The kelurahan map's reported cases mix periods: 10 Curug counts of 2023, 5 of 2024 (planner11 M1, recheck11 L4).
In real Chromium: hovering a circle names its kelurahan's period, the layer list and the legend name the span as the
PNG does ("(2023–2024-07)"), the header's cases part too; in Indonesian and English."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading

import pytest

from serang_gis import read_kelurahan
from serang_gis.join.atlas import build_layers
from serang_gis.render.leaflet.atlas import kelurahan_spec
from tests.test_maps_browser import Page, _Quiet

pytestmark = pytest.mark.browser
SUKAWANA_CURUG, MARGALUYU = "36.73.04.1007", "36.73.02.1011"


@pytest.fixture(scope="module")
def served(tmp_path_factory, serang_path):
    root = tmp_path_factory.mktemp("reported")
    layers = build_layers(read_kelurahan(serang_path), dt.date(2025, 10, 1))
    for lang in ("id", "en"):
        kelurahan_spec(layers, lang).save(root / f"peta_{lang}.html")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("lang, title, unit", [("id", "Balita stunting dilaporkan (2023\u20132024-07)", "balita"),
                                               ("en", "Reported stunted toddlers (2023\u20132024-07)", "toddlers")])
def test_a_circle_names_its_period_and_the_layer_and_legend_the_span(served, browser, lang, title, unit):
    p = Page(browser, served + f"peta_{lang}.html")
    curug = p.hover_unit(SUKAWANA_CURUG)
    assert f"29 {unit} (2023)" in curug, curug
    p.page.mouse.move(0, 0)
    p.page.wait_for_selector(".leaflet-tooltip", state="detached", timeout=5000)
    kasemen = p.hover_unit(MARGALUYU)
    assert f"51 {unit} (2024-06)" in kasemen, kasemen
    assert p.page.get_by_label(title).count() == 1  # the layer list
    assert title in p.page.locator(".sg-legend-title").all_inner_texts()
    assert "2023\u20132024-07" in p.page.inner_text(".sg-title-sub")
    assert p.errors == []
    p.page.close()


@pytest.fixture(scope="module")
def kecamatan_atlas(default_build):
    """The default atlas (`build --as-of 2025-12-31`: conftest's ``default_build``, read only), served."""
    out = default_build[0]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_kecamatan_periods_are_one_at_a_time_and_the_size_legend_is_the_png_s(kecamatan_atlas, browser):
    """planner11 M2: ticking 2021 while 2025-04 is shown stacked two identical circle sets; the periods are now a choice
    (radio), one legend block at a time, whose reference circles are the PNG's for the same period (374 / 94 balita),
    the shared scale said in its note."""
    import shutil
    import subprocess

    out, url = kecamatan_atlas
    p = Page(browser, url + "peta_kecamatan.html")
    latest, first = p.page.get_by_label("Balita stunting (2025-04)"), p.page.get_by_label("Balita stunting (2021)")
    assert latest.is_checked() and not first.is_checked() and first.get_attribute("type") == "radio"
    blocks = p.page.locator(".sg-legend-block:visible", has_text="Balita stunting (")
    assert blocks.count() == 1
    html_refs = [t for t in blocks.first.locator(".sg-legend-item").all_inner_texts() if "balita" in t]
    assert html_refs == ["374 balita", "94 balita"], html_refs
    if shutil.which("pdftotext"):  # the static map of the same period: the same reference circles
        printed = subprocess.run(["pdftotext", str(out / "peta_kecamatan.pdf"), "-"], capture_output=True, text=True, check=True).stdout
        assert "2025-04" in printed and all(r in printed for r in html_refs), printed
    assert "satu skala untuk semua periode (terbesar 849 balita)" in blocks.first.inner_text()
    first.check()
    assert first.is_checked() and not latest.is_checked()
    assert p.page.locator(".sg-legend-block:visible", has_text="Balita stunting (").count() == 1
    ids = {n: p.layer_id(n) for n in ("Balita stunting (2021)", "Balita stunting (2025-04)")}
    assert p.page.locator(f".sg-circle-{ids['Balita stunting (2021)']}").count() == 6
    assert p.page.locator(f".sg-circle-{ids['Balita stunting (2025-04)']}").count() == 0
    assert p.errors == []
    p.page.close()
