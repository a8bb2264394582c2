"""Issue 20, map behaviour, read back as a planner reads it in Chromium at 1366x768 and 390x844, pages over
file:// with the network cut: exclusive layers and the need x spending legend, legend swatches against rendered
pixels, periods, lokus strength, keyboard, controls that do not cover each other, tiles that cannot load."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from . import kegiatan_fixtures as K
from .conftest import OUTPUT, run_cli
from .test_flows_browser import DESKTOP, PHONE, FilePage, atlas  # noqa: F401  (the config atlas: two periods, a rank)
from .test_maps_browser import browser  # noqa: F401

pytestmark = pytest.mark.browser
SIZES = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "390x844"])


@pytest.fixture(scope="module")
def konv(tmp_path_factory, joined_gpkg):
    """The convergence map of the generated Aksi 2 matrix against the joined layer, lokus 2022."""
    tmp = tmp_path_factory.mktemp("konvmap")
    K.write_xlsx(tmp / "aksi2.xlsx", K.make_activities())
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp / "aksi2.xlsx", "--lokus", "2022", "-o", tmp / "out")
    assert res.exit_code == 0, res.output
    table = pd.read_csv(tmp / "out" / "konvergensi_kelurahan.csv", dtype={"kode_kel": str, "kelas_kebutuhan_belanja": str},
                        encoding="utf-8-sig")
    return {"map": tmp / "out" / "peta_konvergensi.html", "table": table}


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
    assert block.locator(".sg-grid-cell[data-class='31']").inner_text().strip() == "kebutuhan tinggi, belanja rendah"
    assert not p.page.locator(f".sg-legend-block[data-layer='{opd}']").is_visible()
    # the list beside the legend: exactly the kelurahan in class 31 of the exported table, each opening its profile
    want = sorted(konv["table"].loc[konv["table"]["kelas_kebutuhan_belanja"] == "31", "kelurahan"])
    assert want, "the generated data has no 'need high, spending low' kelurahan: the test would prove nothing"
    got = [t.split(" (")[0] for t in block.locator(".sg-unit-link").all_inner_texts()]
    assert sorted(got) == want
    assert f"Kebutuhan tinggi, belanja rendah: {len(want)} kelurahan" in block.inner_text()
    if viewport is PHONE:
        p.page.locator(".sg-legend-toggle").tap()
    block.locator(".sg-unit-link").first.click()
    p.page.wait_for_selector(".sg-profile")
    assert got[0] in p.page.inner_text(".sg-profile h2")
    p.screenshot(f"flow_konv_biv_{viewport['width']}.png")
    assert p.errors == []
    p.close()


def test_the_english_legend_says_need_and_spending(konv, browser, tmp_path):  # noqa: F811
    from serang_gis.render.leaflet.konvergensi import bivariate_grid

    grid = bivariate_grid(pd.Series(["31", "11", None, "31"]), [], "en")
    assert grid["gap"]["units"] == [0, 3] and grid["gap"]["title"] == "High need, low spending: 2 kelurahan"
    assert grid["grid"]["rows"][0]["cells"][0]["words"] == "need high, spending low"
    assert grid["grid"]["rows"][2]["cells"][2]["words"] == "need low, spending high"
