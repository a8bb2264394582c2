"""Strings from file names, options and configs are text in a real Chromium, never markup or script."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from .conftest import SERANG, run_cli
from .test_maps_browser import Page, _Quiet, browser  # noqa: F401 (the browser fixture)

pytestmark = pytest.mark.browser
EVIL = "<img src=x onerror=window.__pwned=1>"


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory, joined_gpkg):
    root = tmp_path_factory.mktemp("evil")
    lokus = root / f"lokus_{EVIL}.csv"
    lokus.write_text("Kecamatan,Kelurahan\nSerang,Cipare\n", encoding="utf-8")
    for name, extra in (("online.html", []), ("offline.html", ["--offline"])):
        res = run_cli("map", joined_gpkg, "--indicator", "prevalensi", "--lokus", lokus, "--title", EVIL.replace("1", "2"),
                      "-o", root / name, *extra)
        assert res.exit_code == 0, res.output
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}/", "root": root}
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name", ["online.html", "offline.html"])
def test_layer_names_and_titles_are_text(evil_site, browser, name):  # noqa: F811
    p = Page(browser, evil_site["url"] + name)
    p.page.wait_for_timeout(300)
    assert p.page.evaluate("window.__pwned === undefined"), "script ran from a layer name or title"
    assert p.page.locator(".leaflet-control-layers img, .sg-title img, .sg-legend img").count() == 0
    labels = " ".join(p.page.locator(".leaflet-control-layers label").all_inner_texts())
    assert EVIL in labels  # shown as the text it is
    assert EVIL.replace("1", "2") in p.page.inner_text(".sg-title")
    assert p.dialogs == []


def test_offline_map_over_file_url(evil_site, browser):  # noqa: F811
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto((evil_site["root"] / "offline.html").as_uri())
    page.wait_for_function("window.sgAtlas !== undefined", timeout=10_000)
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator(".leaflet-control-layers img").count() == 0
    page.close()
