"""The per-office view (issue 23): a page per office in a config atlas with factor data and an activity matrix, the
index's "Per OPD" list, a QGIS group per office, and the user's factor-to-office table replacing the package's.

Inputs are generated (tests/export_fixtures.py: a Verval KRS export; tests/kegiatan_fixtures.py: an Aksi 2 matrix whose
truth is kept); the expected figures are counted here by plain loops over that truth."""

from __future__ import annotations

import re
import zipfile

import pytest

from serang_gis.read import reference
from serang_gis.render.leaflet.packing import read_payload

from . import export_fixtures as X
from . import kegiatan_fixtures as K
from .conftest import run_cli

OFFICE = "perkim"  # owns air minum and jamban: two KRS factor layers; activities at kelurahan and kecamatan level
PERKIM_FACTORS = ["persen_krs_air_tidak_layak__2024", "persen_krs_jamban_tidak_layak__2024"]  # the KRS table's period


def _config(tmp, extra=""):
    X.write_krs(tmp / "krs.xlsx")
    K.write_csv(tmp / "aksi2.csv", K.make_activities())
    (tmp / "atlas.toml").write_text(f'{extra}[[data]]\npath = "krs.xlsx"\nperiod = "2024"\n[maps]\nstatic = false\n'
                                    '[[kegiatan]]\npath = "aksi2.csv"\nyear = 2023\n', encoding="utf-8")
    return tmp / "atlas.toml"


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("opd")
    res = run_cli("build", "--config", _config(tmp), "-o", tmp / "out")
    assert res.exit_code == 0, res.output
    return tmp / "out"


def _own(code):
    """The office's activities of 2023 and the lokus (2022) none of its located activities reaches, counted by hand."""
    acts = [a for a in K.make_activities() if a.opd == code and a.tahun == 2023]
    reached = set().union(*[a.codes for a in acts if a.kind != "kota"])
    g = reference.gazetteer().set_index("kode_kel")
    unreached = sorted(f"{g.at[c, 'kelurahan']} (Kec. {g.at[c, 'kecamatan']})" for c in K.lokus_2022() - reached)
    return acts, unreached


def _panel(html, heading_start):
    m = re.search(r"<summary>" + re.escape(heading_start) + r"[^<]*</summary>\s*<ul>(.*?)</ul>", html, re.S)
    assert m, heading_start
    return re.findall(r"<li>(.*?)</li>", m.group(1), re.S)


def test_office_page_holds_its_factors_lokus_and_activities(atlas):
    html = (atlas / f"opd_{OFFICE}.html").read_text(encoding="utf-8")
    p = read_payload(html)
    fills = [s for s in p["layers"] if s["type"] == "choropleth"]
    assert [s["field"] for s in fills] == PERKIM_FACTORS  # its factors only (not DP3AKB's 4T), in the table's order
    assert len({s["group"] for s in fills}) == 1 and [s["show"] for s in fills] == [True, False]  # exclusive, one shown
    lokus = next(s for s in p["layers"] if s["type"] == "outline" and s["name"].startswith("Lokus"))
    flagged = {k for k, on in zip(p["cols"]["kode"], p["cols"][lokus["field"]]) if on}
    assert flagged == K.lokus_2022()
    acts, unreached = _own(OFFICE)
    items = _panel(html, "Kegiatan OPD ini")
    assert len(items) == len(acts)
    for a in acts:
        pagu = f"Rp {a.pagu:,}".replace(",", ".")
        assert any(a.sub in it and pagu in it for it in items), (a, items)
    listed = _panel(html, "Lokus yang tidak dijangkau OPD ini")  # each with the rate of the office's main factor
    names = [x.split(" — ")[0] for x in listed]
    assert sorted(names) == unreached and len(names) == len(set(names))
    assert all(" — Keluarga tanpa sumber air minum layak 2024: " in x for x in listed)


@pytest.mark.browser
def test_office_page_in_chromium(atlas, browser):
    import functools
    import http.server
    import threading

    from .test_maps_browser import Page

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(atlas))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        p = Page(browser, f"http://127.0.0.1:{server.server_address[1]}/opd_{OFFICE}.html")
        air, jamban = (p.layer_id(n) for n in ("Keluarga tanpa sumber air minum layak 2024", "Keluarga tanpa jamban layak 2024"))
        assert p.page.locator(f"path.sg-layer-{air}").count() == 67 and p.page.locator(f"path.sg-layer-{jamban}").count() == 0
        p.page.locator(".leaflet-control-layers label", has_text="Keluarga tanpa jamban layak").first.click()  # the other factor
        p.page.wait_for_timeout(300)
        assert p.page.locator(f"path.sg-layer-{jamban}").count() == 67 and p.page.locator(f"path.sg-layer-{air}").count() == 0
        lokus = p.layer_id(next(n for n in p.page.evaluate("sgAtlas.P.layers.map(l => l.name)") if n.startswith("Lokus")))
        assert p.page.locator(f"path.sg-layer-{lokus}").count() == len(K.lokus_2022())  # the lokus outlined
        p.page.locator("summary", has_text="Kegiatan OPD ini").click()
        acts, unreached = _own(OFFICE)
        assert len(p.page.locator(".sg-panel").nth(1).locator("li").all_inner_texts()) == len(acts)
        p.page.locator("summary", has_text="Lokus yang tidak dijangkau").click()
        assert sorted(x.split(" — ")[0] for x in p.page.locator(".sg-panel").nth(2).locator("li").all_inner_texts()) == unreached
        html = (atlas / f"opd_{OFFICE}.html").read_text(encoding="utf-8")
        factors = [re.sub(r"<[^>]+>", "", x).strip() for x in _panel(html, "Faktor yang ditangani")]
        shown = [x.strip() for x in p.page.locator(".sg-panel").nth(0).locator("li").all_text_contents()]
        assert shown == factors and any("jamban" in x for x in shown), (shown, factors)  # office walk 23b: the script
        # filled this first fold with the layer's source file (it took the first ".sg-sources" of the box for the sources)
        sources = p.page.locator(".sg-sources:not(.sg-panel) li").all_text_contents()
        assert sources and not set(sources) & set(shown)
        p.screenshot("opd_perkim.png")
        assert p.errors == []
        p.page.close()
    finally:
        server.shutdown()
        server.server_close()


def test_index_links_each_office_page_by_name(atlas):
    index = (atlas / "index.html").read_text(encoding="utf-8")
    section = index[index.index("id='per-opd'"):]
    assert "<a href='opd_perkim.html'>Dinas Perumahan dan Permukiman</a>" in section
    acts, unreached = _own(OFFICE)
    assert f"2 lapisan faktor · {len(acts)} kegiatan · {len(unreached)} lokus tidak dijangkau" in section


def test_qgis_project_has_a_group_per_office_with_its_factor_layers(atlas):
    import pyogrio

    qgs = zipfile.ZipFile(atlas / "serang_gis.qgz").read("serang_gis.qgs").decode()
    group = re.search(r'<layer-tree-group name="OPD: Dinas Perumahan dan Permukiman"[^>]*>(.*?)</layer-tree-group>', qgs, re.S)
    assert group, re.findall(r'<layer-tree-group name="([^"]*)"', qgs)
    tables = re.findall(r"layername=([\w]+)", group.group(1))
    assert tables == [f"peta_opd_{OFFICE}_lokus"] + [f"peta_{c.replace('__', '_')}" for c in PERKIM_FACTORS]  # its lokus first
    assert set(tables) <= {name for name, _ in pyogrio.list_layers(atlas / "serang_gis.gpkg")}
    for layer_id in re.findall(r'<layer-tree-layer id="([^"]+)"', group.group(1)):  # each a map layer of the project
        assert f"<id>{layer_id}</id>" in qgs


def test_the_config_key_replaces_the_factor_table(tmp_path):
    """faktor_opd: perkim owns jamban only; bappeda owns the STBM sampah pillar (no data) and has no activity. Built in
    English (--lang en): the office's page and the index's list read in English."""
    (tmp_path / "faktor.csv").write_text(
        "faktor,indikator,opd,peran,catatan\n"
        "jamban,persen_krs_jamban_tidak_layak,perkim,utama,\n"
        "sampah,persen_stbm_sampah,bappeda,utama,\n", encoding="utf-8")
    res = run_cli("build", "--config", _config(tmp_path, 'faktor_opd = "faktor.csv"\n'), "-o", tmp_path / "out", "--lang", "en")
    assert res.exit_code == 0, res.output
    p = read_payload((tmp_path / "out" / "opd_perkim.html").read_text(encoding="utf-8"))
    assert [s["field"] for s in p["layers"] if s["type"] == "choropleth"] == ["persen_krs_jamban_tidak_layak__2024"]
    assert not (tmp_path / "out" / "opd_bappeda.html").exists()
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<h2 id='per-opd'>Per office</h2>" in index
    assert re.search(r"Bappeda<br><small>no page: solid waste \(lead\): no data: [^<;]+; no activity in the matrix", index)
    page = (tmp_path / "out" / "opd_perkim.html").read_text(encoding="utf-8")
    assert "This office&#39;s activities (" in page and "Lokus this office does not reach (" in page and "Kegiatan OPD" not in page
    # DP3AKB has no factor in this table but activities in the matrix: a page of its activities
    assert (tmp_path / "out" / "opd_dp3akb.html").exists()


def test_a_bad_factor_table_is_an_error_naming_row_and_column(tmp_path):
    (tmp_path / "faktor.csv").write_text("faktor,indikator,opd,peran\njamban,persen_krs_jamban_tidak_layak,nobody,utama\n",
                                         encoding="utf-8")
    res = run_cli("build", "--config", _config(tmp_path, 'faktor_opd = "faktor.csv"\n'), "-o", tmp_path / "out")
    assert res.exit_code != 0 and "faktor.csv:row 2:column 'opd'" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out").exists()


def test_the_command_line_option_gives_the_table_and_wins_over_the_config(tmp_path):
    """--faktor-opd: a bad table given on the command line stops the build though the config names a good one."""
    (tmp_path / "good.csv").write_text("faktor,indikator,opd,peran\njamban,persen_krs_jamban_tidak_layak,perkim,utama\n",
                                       encoding="utf-8")
    (tmp_path / "bad.csv").write_text("faktor,indikator,opd,peran\njamban,persen_krs_jamban_tidak_layak,perkim,kadang\n",
                                      encoding="utf-8")
    cfg = _config(tmp_path, 'faktor_opd = "good.csv"\n')
    res = run_cli("build", "--config", cfg, "-o", tmp_path / "out", "--faktor-opd", tmp_path / "bad.csv")
    assert res.exit_code != 0 and "bad.csv:row 2:column 'peran'" in res.output and "Traceback" not in res.output
    res = run_cli("build", "--config", cfg, "-o", tmp_path / "out", "--faktor-opd", tmp_path / "none.csv")
    assert res.exit_code == 2 and "none.csv: no such file" in res.output and "--faktor-opd" in res.output
    assert not (tmp_path / "out").exists()


def test_factor_names_keep_their_abbreviations_in_both_languages():
    """Planner walk 4 / office walk 23b: the Indonesian pages read "pmt, kb modern" (codes in lower case) where English had
    proper names; an abbreviation users write in capitals stays in capitals."""
    from serang_gis.core.text import TEXT

    for lang in ("id", "en"):
        assert "PMT" in TEXT[lang]["faktor.pmt"] and "KB" in TEXT[lang]["faktor.kb_modern"], lang


def test_an_office_page_opens_on_a_factor_it_leads():
    """Office walk 23b: Dinkes's page opened on KRS drinking water, a factor it only supports (the table lists air minum's
    Dinkes row first), while its unreached lokus were ranked by its lead factor."""
    from serang_gis.read.faktor import FactorTable

    table = FactorTable.load()
    cols = table.indicators_of("dinkes")
    lead = {x for r in table.rows if r.opd == "dinkes" and r.peran == "utama" for x in r.indikator}
    support_only = [c for c in cols if c not in lead]
    assert support_only and cols[: len(lead)] and set(cols[: len(cols) - len(support_only)]) == lead, cols
    assert cols.index("persen_krs_air_tidak_layak") > cols.index("persen_stbm_stop_babs")


def test_qgis_office_group_has_the_lokus_it_reaches_and_does_not_read_by_gdal(atlas):
    """The office's own layer: every lokus (2022), classed reached / not reached by its located activities (counted by hand
    from the generated matrix), outlined in the page's colours, named in the run's language, ticked; in no other group."""
    import subprocess

    acts, unreached = _own(OFFICE)
    reached = set().union(*[a.codes for a in acts if a.kind != "kota"]) & K.lokus_2022()
    out = subprocess.run(["ogrinfo", "-q", str(atlas / "serang_gis.gpkg"), "-sql",
                          f"SELECT kode_kel, jangkauan_lokus_opd, kelas_peta FROM peta_opd_{OFFICE}_lokus"],
                         capture_output=True, text=True, check=True).stdout
    rows = re.findall(r"kode_kel \(String\) = (\S+)\s+jangkauan_lokus_opd \(String\) = (\S+)\s+kelas_peta \(Integer64\) = (\d)", out)
    assert {c for c, _, _ in rows} == K.lokus_2022()
    assert {c for c, v, k in rows if v == "dijangkau" and k == "1"} == reached
    assert len([1 for _, v, k in rows if v == "tidak_dijangkau" and k == "2"]) == len(unreached) == len(K.lokus_2022() - reached)
    qgs = zipfile.ZipFile(atlas / "serang_gis.qgz").read("serang_gis.qgs").decode()
    group = re.search(r'<layer-tree-group name="OPD: Dinas Perumahan dan Permukiman"[^>]*>(.*?)</layer-tree-group>', qgs, re.S).group(1)
    first = re.search(r'<layer-tree-layer ([^>]*)>', group).group(1)
    assert 'name="Lokus dijangkau / tidak dijangkau Dinas Perumahan dan Permukiman"' in first and 'checked="Qt::Checked"' in first
    assert qgs.count(f"layername=peta_opd_{OFFICE}_lokus") == 2  # its map layer and its place in the office's group only
    layer = re.search(r"<maplayer[^>]*>(?:(?!</maplayer>).)*?layername=peta_opd_perkim_lokus.*?</maplayer>", qgs, re.S).group(0)
    assert re.findall(r'label="([^"]+)"', layer)[:2] == ["Lokus dijangkau OPD ini", "Lokus tidak dijangkau OPD ini"]
    assert re.findall(r'<prop k="outline_color" v="([^"]+)"', layer)[:2] == ["27,120,55,255", "123,50,148,255"]  # the page's green, purple
    assert re.findall(r'<prop k="style" v="([^"]+)"', layer)[:2] == ["no", "no"]  # outlines: the factor below stays seen
