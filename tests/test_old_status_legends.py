"""recheck12 M4: Kaligandu's "Belum ODF" rests on a news report of 2022-10-20. The PNG/PDF said so in its legend
("Belum ODF (Kaligandu, laporan 2022-10-20)"), decided in the static renderer; the HTML legend and the QGIS styles and
print layouts said only "Belum ODF" under "Status ODF (per 2025-09-20)", so a printed QGIS layout dated it 2025.

The plan now decides it (``plan.layers.old_classes``, the ODF layer's ``old``) and every legend says it: the plan's legend
items (the static map's), the HTML legend read back in Chromium, the GeoPackage's layer_styles (its QML) and the
legends of the QGIS project and its print layouts read in QGIS 3.22. A unit's own text (its popup) keeps the plain class."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import subprocess
import textwrap
import threading

import pandas as pd
import pytest

from tests.conftest import QGIS_PYTHON, _QuietHandler, run_cli


def _atlas_layers(serang_path):
    from serang_gis import read_kelurahan
    from serang_gis.join.atlas import build_layers

    return build_layers(read_kelurahan(serang_path), dt.date(2025, 12, 31))


def _old_ones(kel: pd.DataFrame) -> pd.DataFrame:
    """The Belum ODF kelurahan (a rare class: the map looks for them), checked to be reported a year or more before the
    newest ODF date (read from the data)."""
    dates = pd.to_datetime(kel["tanggal_odf"], errors="coerce")
    belum = kel["status_odf"] == "Belum ODF"
    assert belum.sum() == 1 and (dates.max() - dates[belum]).dt.days.min() >= 365
    return kel[belum]


@pytest.mark.parametrize("lang, word", [("id", "laporan"), ("en", "reported")])
def test_the_plan_decides_the_dated_label_of_an_old_status(serang_path, lang, word):
    from serang_gis.core.text import odf_label
    from serang_gis.plan.layers import odf_layer

    kel = _atlas_layers(serang_path).kelurahan.reset_index(drop=True)
    old = _old_ones(kel)
    assert len(old) == 1 and old["status_odf"].iloc[0] == "Belum ODF"  # the data this test is about
    name, date = old["kelurahan"].iloc[0], old["tanggal_odf"].iloc[0]
    layer = odf_layer(kel, lang=lang)
    k = next(i for i, (v, _, _) in enumerate(layer.categories) if v == "Belum ODF")
    said = f"{name}, {word} {date}"
    assert layer.old == {k: said}
    dated = f"{odf_label(lang, 'Belum ODF')}\n({said})"
    assert layer.label_of_class(k) == dated and layer.categories[k][2] == odf_label(lang, "Belum ODF")  # the class stays plain
    assert [it["label"] for it in layer.legend_items()].count(dated) == 1
    for i, (v, _, lab) in enumerate(layer.categories):  # the recent classes say only their name
        assert i == k or layer.label_of_class(i) == lab
    recent = kel.assign(tanggal_odf=kel["tanggal_odf"].where(kel["kelurahan"] != name, max(kel["tanggal_odf"].dropna())))
    assert odf_layer(recent, lang=lang).old == {}  # reported as late as the rest: no date under it


def _serve(folder):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.browser
def test_the_html_legend_says_the_old_status_with_its_date(serang_path, browser, tmp_path):
    from serang_gis.render.leaflet.atlas import kelurahan_spec

    layers = _atlas_layers(serang_path)
    old = _old_ones(layers.kelurahan)
    name, date = old["kelurahan"].iloc[0], old["tanggal_odf"].iloc[0]
    kelurahan_spec(layers, "id").save(tmp_path / "peta_kelurahan.html")
    server = _serve(tmp_path)
    try:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/peta_kelurahan.html")
        page.wait_for_function("window.sgAtlas !== undefined && document.querySelectorAll('.sg-legend-block .sg-legend-item').length > 0",
                               timeout=15_000)
        blocks = page.evaluate("""[...document.querySelectorAll('.sg-legend-block')].map(b => [
            b.querySelector('.sg-legend-title').innerText, [...b.querySelectorAll('.sg-legend-item')].map(i => {
                const r = document.createRange(); r.selectNodeContents(i.lastChild);  // its words: how many lines they take
                return [i.innerText.trim(), new Set([...r.getClientRects()].map(x => Math.round(x.top))).size]; })])""")
        odf = [dict(items) for title, items in blocks if title.startswith("Status ODF")]
        assert len(odf) == 1, blocks
        dated = f"Belum ODF\n({name}, laporan {date})"
        assert odf[0].get(dated) == 2, odf  # under its class, on a line of its own (as the PNG's legend): the date never split
        assert odf[0].get("ODF deklarasi") == 1  # the recent class as it was
        popup = page.evaluate("""(() => { const P = sgAtlas.P, f = P.fields.find(f => f.key === 'status_odf');
            const i = P.cols.nama.indexOf(%s); return P.cols[f.text_col][i]; })()""" % json.dumps(name))
        assert popup == "Belum ODF"  # its popup gives its own date on its own line, not its name again
        context.close()
    finally:
        server.shutdown()
        server.server_close()


QGIS_READ = textwrap.dedent("""
    import json, os, sys
    from qgis.core import QgsApplication, QgsProject, QgsVectorLayer, QgsLayoutItemLegend
    from qgis.PyQt.QtCore import Qt
    app = QgsApplication([], False); app.initQgis()
    gpkg, qgz = sys.argv[1], sys.argv[2]
    out = {"gpkg": {}, "layers": {}, "layouts": {}}
    for table in ("kelurahan", "peta_status_odf"):  # as a user adds the layer: its default style from layer_styles
        lyr = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
        out["gpkg"][table] = [i.label() for i in lyr.renderer().legendSymbolItems()]
    p = QgsProject.instance(); p.read(qgz)
    for lyr in p.mapLayers().values():
        r = getattr(lyr, "renderer", lambda: None)()
        out["layers"][lyr.name()] = [i.label() for i in r.legendSymbolItems()] if r is not None else []
    for lay in p.layoutManager().layouts():
        for legend in [i for i in lay.items() if isinstance(i, QgsLayoutItemLegend)]:
            m = legend.model()
            out["layouts"][lay.name()] = {n.name(): [str(x.data(Qt.DisplayRole)) for x in m.layerLegendNodes(n)]
                                          for n in m.rootGroup().findLayers()}
    print(json.dumps(out)); sys.stdout.flush()
    os._exit(0)
""")


@pytest.mark.qgis
@pytest.mark.parametrize("lang", ["id", "en"])
def test_qgis_styles_and_print_layouts_say_the_old_status_with_its_date(serang_path, tmp_path, lang):
    if not os.path.isfile(QGIS_PYTHON):
        pytest.skip("QGIS is not installed")
    res = run_cli("build", "-o", tmp_path / "atlas", "--boundaries", serang_path, "--as-of", "2025-12-31", "--lang", lang)
    assert res.exit_code == 0, res.output
    kel = pd.read_csv(tmp_path / "atlas" / "kelurahan.csv", encoding="utf-8-sig", dtype=str)
    old = _old_ones(kel)
    assert len(old) == 1
    dated = (f"Belum ODF\n({old['kelurahan'].iloc[0]}, laporan {old['tanggal_odf'].iloc[0]})" if lang == "id"
             else f"Not yet ODF\n({old['kelurahan'].iloc[0]}, reported {old['tanggal_odf'].iloc[0]})")
    (tmp_path / "read.py").write_text(QGIS_READ)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run([QGIS_PYTHON, str(tmp_path / "read.py"), str(tmp_path / "atlas" / "serang_gis.gpkg"),
                           str(tmp_path / "atlas" / "serang_gis.qgz")], capture_output=True, text=True, env=env, timeout=600)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    for table, labels in got["gpkg"].items():  # the GeoPackage's own styles (layer_styles: QML and SLD)
        assert labels.count(dated) == 1, (table, labels)
    odf = {name: labels for name, labels in got["layers"].items() if name.startswith(("Status ODF", "ODF status"))}
    assert odf and all(labels.count(dated) == 1 for labels in odf.values()), got["layers"]
    printed = {(lay, name): labels for lay, legend in got["layouts"].items() for name, labels in legend.items()
               if name.startswith(("Status ODF", "ODF status"))}
    main = {"id": "Kota Serang: lokus stunting, status ODF dan kasus yang dilaporkan",
            "en": "Kota Serang: stunting lokus, ODF status and reported cases"}[lang]
    assert {lay for lay, _ in printed} >= {main, "Atlas per kecamatan" if lang == "id" else "Atlas by kecamatan"}, list(printed)
    for key, labels in printed.items():  # as printed: under "Status ODF (per 2025-09-20)", the old one with its date
        assert labels.count(dated) == 1, (key, labels)
