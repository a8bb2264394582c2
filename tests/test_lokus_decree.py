"""Lokus 2022 follows the paper (19 kelurahan); Keputusan Walikota 440/Kep.280-Huk/2021 names 18 (the paper adds
Kasemen). recheck11 M3: every product said "makalah ... dan SK Walikota" for all 19. Decided once (read.reference),
declared in every credit, shown per kelurahan: the HTML profile, kelurahan.csv, the GeoPackage's lokus_2022 layer, its
description and the QGIS abstract, the PNG/PDF source line."""

from __future__ import annotations

import functools
import http.server
import shutil
import sqlite3
import subprocess
import threading
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd
import pyogrio
import pytest

from serang_gis.read import reference
from tests.conftest import wait_profile
from tests.test_maps_browser import Page, _Quiet

KASEMEN = "36.73.02.1001"
DECREE_SAID = {"id": "19 kelurahan (SK Walikota 440/Kep.280-Huk/2021 menetapkan 18, tanpa Kasemen)",
               "en": "19 kelurahan (mayoral decree 440/Kep.280-Huk/2021 names 18, without Kasemen)"}
FIGURE_1 = {"id": "Gambar 1", "en": "Figure 1"}  # the paper's map of the 2021 lokus, in the atlas's words (recheck12 L10)


@pytest.fixture(scope="module", params=["id", "en"])
def atlas(request, default_build, default_build_en):
    """The default atlas (`build --as-of 2025-12-31`, conftest's session builds: read only) in each language."""
    return request.param, (default_build if request.param == "id" else default_build_en)[0]


def test_the_paper_lists_19_and_the_decree_names_18_of_them():
    lk = reference.lokus()
    l22 = lk[lk["daftar"] == "2022"]
    assert len(l22) == 19 and int(l22["sk_walikota"].astype(bool).sum()) == reference.PRINTED["lokus_2022_decree"] == 18
    assert list(l22.loc[~l22["sk_walikota"].astype(bool), "kode_kel"]) == [KASEMEN]
    assert reference.lokus_2022_facts() == {"n": 19, "m": 18, "without": "Kasemen", "decree": "440/Kep.280-Huk/2021"}


def test_each_kelurahan_says_which_lists_name_it_in_the_csv_and_geopackage(atlas):
    lang, out = atlas
    both, paper = {"id": ("makalah dan SK Walikota", "makalah saja, tidak dalam SK Walikota"),
                   "en": ("the paper and the mayoral decree", "the paper only, not in the mayoral decree")}[lang]
    csv = pd.read_csv(out / "kelurahan.csv", dtype={"kode_kel": str}, encoding="utf-8-sig").set_index("kode_kel")
    by = csv["dasar_lokus_2022"]
    assert by[KASEMEN] == paper
    assert (by[csv["lokus_2022"].astype(bool)].drop(KASEMEN) == both).all() and by[~csv["lokus_2022"].astype(bool)].isna().all()
    gpkg = out / "serang_gis.gpkg"
    lay = pyogrio.read_dataframe(gpkg, layer="lokus_2022").set_index("kode_kel")
    assert len(lay) == 19 and lay.at[KASEMEN, "dasar_lokus_2022"] == paper and (lay.drop(KASEMEN)["dasar_lokus_2022"] == both).all()
    with sqlite3.connect(gpkg) as con:
        desc = dict(con.execute("select table_name, description from gpkg_contents where table_name like 'lokus_%'").fetchall())
    assert DECREE_SAID[lang] in desc["lokus_2022"], desc
    assert FIGURE_1[lang] in desc["lokus_2021"] and "Sinergitas" in desc["lokus_2021"], desc
    with zipfile.ZipFile(out / "serang_gis.qgz") as z:
        root = ET.fromstring(z.read("serang_gis.qgs").decode().split("\n", 1)[1])
    abstracts = {m.findtext("id"): m.find("resourceMetadata").findtext("abstract") for m in root.iter("maplayer")}
    assert DECREE_SAID[lang] in abstracts["serang_gis_lokus_2022"] and FIGURE_1[lang] in abstracts["serang_gis_lokus_2021"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_the_static_map_source_line_says_what_each_list_rests_on(atlas):
    lang, out = atlas
    text = " ".join(subprocess.run(["pdftotext", str(out / "peta_kelurahan.pdf"), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert DECREE_SAID[lang] in text and FIGURE_1[lang] in text, text[-800:]
    assert "dan SK Walikota 440" not in text and "and mayoral decree 440" not in text  # no longer credited to both for all


@pytest.mark.browser
def test_the_html_header_sources_and_profile_say_which_lists_name_a_kelurahan(atlas, browser):
    lang, out = atlas
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        p = Page(browser, f"http://127.0.0.1:{server.server_address[1]}/peta_kelurahan.html")
        sub = p.page.inner_text(".sg-title-sub")
        assert ("2022: 19 kelurahan (SK Walikota 18, tanpa Kasemen)" if lang == "id"
                else "2022: 19 kelurahan (mayoral decree 18, without Kasemen)") in sub, sub
        p.page.locator(".sg-sources summary").click()
        assert DECREE_SAID[lang] in p.page.inner_text(".sg-sources")
        profiles = {}
        for code in (KASEMEN, "36.73.02.1004"):  # Kasemen (the paper only), Warung Jaud (both)
            p.page.fill(".sg-search input", code)
            p.page.locator(".sg-search-hit").first.click()
            wait_profile(p.page, code)
            profiles[code] = next(t for t in p.page.locator(".sg-profile").all_inner_texts() if code in t)
        yes_paper = "ya (makalah saja, tidak dalam SK Walikota)" if lang == "id" else "yes (the paper only, not in the mayoral decree)"
        yes_both = "ya (makalah dan SK Walikota)" if lang == "id" else "yes (the paper and the mayoral decree)"
        assert yes_paper in profiles[KASEMEN] and DECREE_SAID[lang] in profiles[KASEMEN], profiles[KASEMEN]
        assert yes_both in profiles["36.73.02.1004"] and yes_paper not in profiles["36.73.02.1004"]
        assert p.errors == []
        p.page.close()
    finally:
        server.shutdown()
        server.server_close()
