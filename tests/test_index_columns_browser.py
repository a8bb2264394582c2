"""recheck11 L5: the atlas index's kelurahan table had no Lokus 2021 column, no period for the reported count and no
date for the ODF column; its "Pemeriksaan" table split "sama" / "berbeda" over lines on a desktop. In real Chromium."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests.test_maps_browser import _Quiet

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["id", "en"])
def index_url(request, default_build, default_build_en):
    """The default atlas (`build --as-of 2025-12-31`, conftest's session builds: read only) in each language, served."""
    out = (default_build if request.param == "id" else default_build_en)[0]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield request.param, f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


def test_the_kelurahan_table_has_both_lokus_lists_and_dates_its_odf_and_case_columns(index_url, browser):
    lang, url = index_url
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url)
    heads = [h.strip() for h in page.locator("#sg-table th").all_inner_texts()]
    assert "Lokus 2021" in heads and "Lokus 2022" in heads and heads.index("Lokus 2021") < heads.index("Lokus 2022"), heads
    odf = "Status ODF (per 2025-12-31)" if lang == "id" else "ODF status (as of 2025-12-31)"
    cases = ("Balita stunting dilaporkan (2023\u20132024-07, balita)" if lang == "id"
             else "Reported stunted toddlers (2023\u20132024-07, toddlers)")
    assert any(h.startswith(odf.split(" (")[0]) and "2025-12-31" in h for h in heads), heads
    assert cases in heads, heads
    col = heads.index("Lokus 2021")
    cells = page.locator(f"#sg-table tbody tr td:nth-child({col + 1})").all_inner_texts()
    assert len(cells) == 67 and cells.count("ya" if lang == "id" else "yes") == 13  # the paper's 2021 map: 13 kelurahan
    page.close()


def test_the_checks_status_stays_one_word_on_a_desktop(index_url, browser):
    lang, url = index_url
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url)
    cells = page.locator(".sg-checks td.ok, .sg-checks td.bad")
    assert cells.count() == 8
    lines = page.evaluate("""() => [...document.querySelectorAll('.sg-checks td.ok, .sg-checks td.bad')].map(td => {
        const r = document.createRange(); r.selectNodeContents(td);
        const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
        return [td.innerText, tops.size];
    })""")
    assert all(n == 1 for _, n in lines), lines  # "sama" / "berbeda" on one line each, not "sam / a"
    page.close()
