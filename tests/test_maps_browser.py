"""The maps in a real headless Chromium (Debian's), served on 127.0.0.1, other hosts blocked."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from serang_gis import read_kelurahan
from serang_gis.core.classify import classify
from serang_gis.join.tables import join_tables
from serang_gis.render.leaflet.indicator import indicator_spec
from serang_gis.read.tables import read_table

from . import fixtures as F
from .conftest import OUTPUT, browser, wait_profile  # noqa: F401  (the Chromium fixture lives in conftest; re-exported for older imports)

pytestmark = pytest.mark.browser
KASEMEN = "36.73.02.1001"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory, serang_path):
    """Joined generated data -> an online-style map (lib/ beside it) and an offline one, served on loopback."""
    root = tmp_path_factory.mktemp("site")
    truth = F.truth_aggregate()
    xlsx = root / "sasaran.xlsx"
    F.write_messy_xlsx(xlsx, truth, wrong_row=False)
    kel = read_kelurahan(serang_path).kelurahan
    joined, _ = join_tables(kel, [read_table(xlsx, period="2024")])
    lokus = F.lokus_flags(joined)
    spec = indicator_spec(joined, "prevalensi", target=14, lokus={"2022": lokus})
    spec.save(root / "peta.html")
    indicator_spec(joined, "prevalensi", lang="en").save(root / "offline_en.html", offline=True)
    evil = joined.copy()
    evil.loc[evil["kode_kel"] == KASEMEN, "kelurahan"] = "<script>alert(1)</script>"
    indicator_spec(evil, "prevalensi").save(root / "evil.html")
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}/", "joined": joined, "root": root}
    server.shutdown()
    server.server_close()


class Page:
    """A page with every request to another host refused, and its errors collected."""

    def __init__(self, browser, url, *, only=None):
        self.page = browser.new_page(viewport={"width": 1280, "height": 860})
        self.errors, self.requests, self.blocked, self.dialogs = [], [], [], []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", self._console)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def route(r):
            u = r.request.url
            if u.startswith("http://127.0.0.1") and (only is None or u.endswith(only)):
                self.requests.append(u)
                r.continue_()
            else:
                self.blocked.append(u)
                r.abort()

        self.page.route("**/*", route)
        self.page.goto(url)
        self.page.wait_for_function("window.sgAtlas !== undefined", timeout=10_000)

    def _console(self, msg):
        if msg.type == "error":
            where = (msg.location or {}).get("url", "")
            if where.startswith("http://127.0.0.1") or not where:
                self.errors.append(f"console: {msg.text} ({where})")

    def screenshot(self, name):
        """Keep a picture of the page with the test output."""
        OUTPUT.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(OUTPUT / name))

    def layer_id(self, name):
        return self.page.evaluate("n => sgAtlas.P.layers.find(l => l.name === n).id", name)

    def hover_unit(self, code):
        # the unit's label point on screen, read once the view has stopped moving (Leaflet re-measures the map after a
        # late resize of the window: a point read before that can land on the neighbour)
        x, y = self.page.evaluate("""async code => {
            const i = sgAtlas.P.cols.kode.indexOf(code);
            const at = () => {
                const pt = sgAtlas.map.latLngToContainerPoint([sgAtlas.P.cols._lat[i], sgAtlas.P.cols._lon[i]]);
                const box = sgAtlas.map.getContainer().getBoundingClientRect();
                return [box.left + pt.x, box.top + pt.y];
            };
            let last = at();
            for (let k = 0; k < 20; k++) {
                await new Promise(r => setTimeout(r, 150));
                const now = at();
                if (Math.abs(now[0] - last[0]) < 0.5 && Math.abs(now[1] - last[1]) < 0.5) return now;
                last = now;
            }
            return last;
        }""", code)
        self.page.mouse.move(x, y)
        self.page.wait_for_selector(".leaflet-tooltip", timeout=5000)
        return self.page.inner_text(".leaflet-tooltip")


def test_map_initialises_draws_67_kelurahan_and_the_right_legend(site, browser):
    p = Page(browser, site["url"] + "peta.html")
    assert p.errors == []
    lid = p.layer_id("Prevalensi stunting")
    assert p.page.locator(f"path.sg-layer-{lid}").count() == 67
    legend = p.page.locator(f".sg-legend-block[data-layer='{lid}'] .sg-legend-item").all_inner_texts()
    expected = classify(site["joined"]["prevalensi_stunting"], "who", unit="%").labels
    assert legend[: len(expected)] == expected
    assert "Tidak ada data" in legend
    assert any("Target 14,0 %" in t for t in p.page.locator(".sg-legend-note").all_inner_texts())
    p.screenshot("peta_prevalensi.png")
    p.page.close()


def test_hover_shows_the_value_in_indonesian_format(site, browser):
    p = Page(browser, site["url"] + "peta.html")
    text = p.hover_unit(KASEMEN)
    value = site["joined"].set_index("kode_kel").at[KASEMEN, "prevalensi_stunting"]
    assert "Kasemen" in text
    assert f"{value:.1f}".replace(".", ",") + " %" in text
    p.page.close()


def test_toggling_a_layer_hides_it_and_its_legend(site, browser):
    p = Page(browser, site["url"] + "peta.html")
    lid = p.layer_id("Prevalensi stunting")
    block = p.page.locator(f".sg-legend-block[data-layer='{lid}']")
    assert block.is_visible()
    p.page.get_by_label("Prevalensi stunting").uncheck()
    assert p.page.locator(f"path.sg-layer-{lid}").count() == 0
    assert not block.is_visible()
    p.page.get_by_label("Prevalensi stunting").check()
    assert p.page.locator(f"path.sg-layer-{lid}").count() == 67 and block.is_visible()
    p.page.close()


def test_search_finds_sukawana_twice_and_opens_a_profile(site, browser):
    p = Page(browser, site["url"] + "peta.html")
    p.page.fill(".sg-search input", "sukawana")
    hits = p.page.locator(".sg-search-hit").all_inner_texts()
    assert len(hits) == 2
    assert any("Serang" in h for h in hits) and any("Curug" in h for h in hits)
    p.page.locator(".sg-search-hit", has_text="Curug").click()
    wait_profile(p.page, "36.73.04.1007")  # Sukawana, kecamatan Curug
    profile = p.page.inner_text(".sg-profile")
    assert "Sukawana" in profile and "36.73.04.1007" in profile and "sasaran.xlsx" in profile and "2024" in profile
    p.page.close()


def test_offline_file_renders_with_every_other_request_blocked(site, browser):
    p = Page(browser, site["url"] + "offline_en.html", only="offline_en.html")
    assert p.requests == [site["url"] + "offline_en.html"]  # nothing else was even asked for on loopback
    assert p.errors == []
    lid = p.layer_id("Stunting prevalence")
    assert p.page.locator(f"path.sg-layer-{lid}").count() == 67
    assert p.page.get_by_label("No basemap").is_checked()  # offline: no tiles asked for
    assert "Search kelurahan or code" == p.page.get_attribute(".sg-search input", "placeholder")
    p.screenshot("peta_offline_en.png")
    p.page.close()


def test_names_from_data_are_text_not_markup(site, browser):
    p = Page(browser, site["url"] + "evil.html")
    text = p.hover_unit(KASEMEN)
    assert "<script>alert(1)</script>" in text
    p.page.fill(".sg-search input", "script")
    assert "<script>alert(1)</script>" in p.page.inner_text(".sg-search-results")
    assert p.dialogs == [] and p.errors == []
    p.page.close()


def test_what_the_browser_draws_is_a_clean_coverage(site, browser):
    import shapely

    p = Page(browser, site["url"] + "peta.html")
    geo = p.page.evaluate("JSON.stringify(sgAtlas.features.map(f => f.geometry))")
    import json

    geoms = [shapely.geometry.shape(g) for g in json.loads(geo)]
    assert len(geoms) == 67
    assert shapely.coverage_is_valid(geoms)  # no gaps or overlaps between neighbours after encoding
    gaps = shapely.union_all(geoms)
    assert gaps.geom_type == "Polygon" and len(gaps.interiors) == 0
    p.page.close()


def test_fullscreen_and_basemap_controls_exist(site, browser):
    p = Page(browser, site["url"] + "peta.html")
    assert p.page.locator(".sg-fullscreen a[aria-label='Layar penuh']").count() == 1
    radios = p.page.locator(".leaflet-control-layers-base label").all_inner_texts()
    assert [r.strip() for r in radios] == ["OpenStreetMap", "CartoDB Positron", "Tanpa peta dasar"]
    assert p.page.locator(".leaflet-control-scale").count() == 1
    p.page.close()
