"""recheck11 M4: the QGIS project opens on the lokus map (ODF fill, lokus 2021/2022 outlines, reported-case circles,
kecamatan outlines) but no print layout drew it. Now one does, with a legend of those layers, its title, its sources
and periods; every layout's map draws the layers its title names (QGIS 3.22, offscreen)."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

import pytest

from tests.conftest import QGIS_PYTHON

pytestmark = pytest.mark.qgis

READ = textwrap.dedent("""
    import json, os, sys
    from qgis.core import QgsApplication, QgsProject, QgsLayoutItemMap, QgsLayoutItemLegend, QgsLayoutItemLabel
    app = QgsApplication([], False); app.initQgis()
    p = QgsProject.instance(); p.read(sys.argv[1])
    out = {}
    for lay in p.layoutManager().layouts():
        items = lay.items()
        maps = [i for i in items if isinstance(i, QgsLayoutItemMap)]
        legends = [i for i in items if isinstance(i, QgsLayoutItemLegend)]
        labels = {i.id(): i.text() for i in items if isinstance(i, QgsLayoutItemLabel)}
        lm = legends[0].model() if legends else None
        out[lay.name()] = {"map": [l.name() for l in maps[0].layers()] if maps else [],
                           "legend": [n.name() for n in lm.rootGroup().findLayers()] if legends else [],
                           "printed": [str(lm.data(lm.node2index(n), 0)) for n in lm.rootGroup().findLayers()] if legends else [],
                           "title": labels.get("judul", ""), "sources": labels.get("sumber", "")}
        atlas = lay.atlas()
        if atlas.enabled():  # each page's title as printed: its text and the width it needs beside its box's
            title = next(i for i in items if isinstance(i, QgsLayoutItemLabel) and i.id() == "judul")
            atlas.beginRender()
            pages = []
            for k in range(atlas.count()):
                atlas.seekTo(k)
                title.refresh()
                pages.append([title.currentText(), title.sizeForText().width(), title.rect().width()])
            atlas.endRender()
            out[lay.name()]["pages"] = pages
    print(json.dumps(out)); sys.stdout.flush()
    os._exit(0)
""")


@pytest.fixture(scope="module", params=["id", "en"])
def layouts(request, tmp_path_factory, default_build, default_build_en):
    """The QGIS project of the default atlas (`build --as-of 2025-12-31`: conftest's session builds, read only) in each
    language, read by QGIS: its layouts."""
    if not os.path.isfile(QGIS_PYTHON):
        pytest.skip("QGIS is not installed")
    tmp = tmp_path_factory.mktemp(f"layouts_{request.param}")
    atlas = (default_build if request.param == "id" else default_build_en)[0]
    (tmp / "read.py").write_text(READ)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp)}
    proc = subprocess.run([QGIS_PYTHON, str(tmp / "read.py"), str(atlas / "serang_gis.qgz")], capture_output=True,
                          text=True, env=env, timeout=600)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    return request.param, json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_layout_draws_the_lokus_map_the_project_opens_on(layouts):
    lang, got = layouts
    title = {"id": "Kota Serang: lokus stunting, status ODF dan kasus yang dilaporkan",
             "en": "Kota Serang: stunting lokus, ODF status and reported cases"}[lang]
    assert title in got, list(got)
    main = got[title]
    assert main["title"] == title
    for names in (main["map"], main["legend"]):
        assert any(n.startswith("Lokus 2021") for n in names) and any(n.startswith("Lokus 2022") for n in names), names
        assert any(n.startswith(("Status ODF", "ODF status")) for n in names) and len(names) == 5, names
    assert any("2023, 2024-06, 2024-07" in n for n in main["map"]), main["map"]  # the reported cases' layer, its periods
    # printed: headed as the HTML and PNG legends head the circles, its periods' span, no "(titik)" (recheck12 L4)
    cases = {"id": "Balita stunting dilaporkan (2023\u20132024-07)", "en": "Reported stunted toddlers (2023\u20132024-07)"}[lang]
    assert cases in [" ".join(n.split()) for n in main["printed"]], main["printed"]  # the legend's headings as drawn
    assert not any("titik" in n or "points" in n for n in main["printed"]), main["printed"]
    assert main["map"][0] in ("Batas kecamatan", "Kecamatan boundaries")  # the outlines on top
    said = main["sources"]
    assert ("SK Walikota 440/Kep.280-Huk/2021 menetapkan 18" if lang == "id" else "mayoral decree 440/Kep.280-Huk/2021 names 18") in said
    assert "2025-12-31" in said or "2025-09-20" in said  # the ODF status's date
    assert "2023, 2024-06, 2024-07" in said and "wilayah_boundaries" in said


def test_every_layout_map_draws_what_its_title_names(layouts):
    lang, got = layouts
    atlas = {"id": "Atlas per kecamatan", "en": "Atlas per kecamatan"}
    for name, lay in got.items():
        assert lay["map"], name
        if name.startswith(("Kota Serang:",)) or name == atlas[lang] or name.startswith("Atlas"):
            continue
        assert any(name.split(" (")[0] in n for n in lay["map"]), (name, lay["map"])  # "Status ODF (per ...)": its ODF layer
        assert len(lay["map"]) <= 2, (name, lay["map"])  # the layer and the kecamatan outlines: nothing its title leaves out
    kec_atlas = next(v for k, v in got.items() if k.startswith("Atlas"))
    assert any(n.startswith("Lokus 2022") for n in kec_atlas["map"])  # the atlas pages: the main (lokus) map, zoomed


def test_each_atlas_page_names_its_kecamatan_on_one_title_line(layouts):
    """recheck12 M1: the atlas title ("<main map title> · Kecamatan Serang") wrapped under the map frame on 5 of 6 pages,
    cutting the name that tells the pages apart in half."""
    lang, got = layouts
    pages = next(v for k, v in got.items() if k.startswith("Atlas"))["pages"]
    assert len(pages) == 6
    for text, needed, box in pages:
        assert text.startswith("Kecamatan ") and "[%" not in text, text  # the kecamatan first, the expression evaluated
        assert needed <= box, (text, needed, box)  # on one line: nothing under the map frame
