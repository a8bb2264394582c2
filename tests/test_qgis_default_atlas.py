"""The default atlas (`serang-gis build`) as a GIS officer opens it in QGIS 3.22 (GIS walk qgis11, M1-M3): the count
points say their period and source, the project opens with what the HTML kelurahan map shows, and the kecamatan names
neither pile up in a dense kab/kota nor sit on the circles, while Kota Serang keeps all six."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
import xml.etree.ElementTree as ET
import zipfile

import pyogrio
import pytest

from tests.conftest import BOUNDARIES, QGIS_PYTHON, run_cli
from tests.test_plan import payload


@pytest.fixture(scope="module")
def default_atlas(default_build):
    """`serang-gis build --as-of 2025-12-31` (conftest's ``default_build``, built once per run)."""
    return default_build[0]


def _tree(qgz):
    """(group name, checked, [(layer id, layer name, checked)]) of the project's layer tree, top first."""
    with zipfile.ZipFile(qgz) as z:
        root = ET.fromstring(z.read(z.namelist()[0]).decode().split("\n", 1)[1])
    top = root.find("layer-tree-group")
    return [(g.get("name"), g.get("checked") == "Qt::Checked",
             [(n.get("id"), n.get("name"), n.get("checked") == "Qt::Checked") for n in g.findall("layer-tree-layer")])
            for g in top.findall("layer-tree-group")]


def test_reported_case_points_carry_their_period_and_source(default_atlas):
    """M1: the 15 reported counts mix three periods and three news reports; each point says which, and the layer's
    description (gpkg_contents) names every period and source, as the peta_* layers do."""
    gpkg = default_atlas / "serang_gis.gpkg"
    pts = pyogrio.read_dataframe(gpkg, layer="stunting_dilaporkan_titik").set_index("kode_kel")
    kel = pyogrio.read_dataframe(gpkg, layer="kelurahan").set_index("kode_kel")
    kel = kel[kel["stunting_dilaporkan"].notna()]
    assert len(pts) == 15
    for col in ("periode_stunting_dilaporkan", "sumber_stunting_dilaporkan"):
        assert pts[col].notna().all(), col
        assert (pts[col] == kel.loc[pts.index, col]).all(), col  # the kelurahan layer's own period and source
    periods = sorted(set(pts["periode_stunting_dilaporkan"]))
    sources = sorted(set(pts["sumber_stunting_dilaporkan"]))
    assert periods == ["2023", "2024-06", "2024-07"] and len(sources) == 3
    import sqlite3

    with sqlite3.connect(gpkg) as con:
        (desc,) = con.execute("select description from gpkg_contents where table_name = 'stunting_dilaporkan_titik'").fetchone()
    assert "periode 2023, 2024-06, 2024-07" in desc and all(s in desc for s in sources), desc
    # the project: the same in the layer's abstract, the periods in its title
    with zipfile.ZipFile(default_atlas / "serang_gis.qgz") as z:
        root = ET.fromstring(z.read("serang_gis.qgs").decode().split("\n", 1)[1])
    ml = next(m for m in root.iter("maplayer") if m.findtext("id") == "serang_gis_stunting_dilaporkan_titik")
    abstract = ml.find("resourceMetadata").findtext("abstract")
    assert "periode 2023, 2024-06, 2024-07" in abstract and all(s in abstract for s in sources)
    assert ml.findtext("layername").endswith("2023, 2024-06, 2024-07")
    # LOW 5: the fields named in words, not by the raw column name
    styles = pyogrio.read_dataframe(gpkg, layer="layer_styles").set_index("f_table_name")
    aliases = _aliases(styles, "stunting_dilaporkan_titik")
    assert aliases["periode_stunting_dilaporkan"] == "Periode: Balita stunting dilaporkan"
    assert aliases["sumber_stunting_dilaporkan"] == "Sumber: Balita stunting dilaporkan"
    assert _aliases(styles, "kelurahan")["sumber_odf"] == "Sumber: Status ODF"
    assert _aliases(styles, "kecamatan")["sumber_balita_stunting_2021"] == "Sumber: Balita stunting, periode 2021"


def _aliases(styles, table: str) -> dict:
    root = ET.fromstring(styles.at[table, "styleQML"].split("\n", 1)[1])
    return {a.get("field"): a.get("name") for a in root.iter("alias")}


def test_project_opens_with_what_the_html_kelurahan_map_shows(default_atlas):
    """M2: every layer the HTML kelurahan map shows as it opens is ticked in the project (the reported cases' circles
    among them), and no second circle layer is stacked on them."""
    html = payload(default_atlas / "peta_kelurahan.html")
    shown = {x["name"] for x in html["layers"] if x["show"]}
    assert "Balita stunting dilaporkan (2023\u20132024-07)" in shown  # its periods' span, as the PNG (planner11 M1)
    tree = _tree(default_atlas / "serang_gis.qgz")
    ticked = [(lid, name) for _, on, kids in tree if on for lid, name, checked in kids if checked]
    counts = dict((g, (on, kids)) for g, on, kids in tree)["Jumlah (titik)"]
    assert counts[0] and [lid for lid, _, c in counts[1] if c] == ["serang_gis_stunting_dilaporkan_titik"]
    names = [name for _, name in ticked]
    assert any(n.startswith("Balita stunting dilaporkan (titik)") for n in names)
    # the same layers as the HTML, one for one (each circle layer names its periods, the project's as a list)
    assert sorted(n.split(" (titik)")[0] for n in names) == sorted(n.split(" (2023")[0] for n in shown), (names, shown)


LABELS = textwrap.dedent("""
    import json, os, sys
    from qgis.core import (QgsApplication, QgsProject, QgsMapSettings, QgsMapRendererSequentialJob, QgsCoordinateTransform,
                           QgsSymbolLayer, QgsExpressionContext, QgsExpressionContextUtils)
    from qgis.PyQt.QtCore import QSize
    app = QgsApplication([], False); app.initQgis()
    p = QgsProject.instance(); p.read(sys.argv[1])
    kec = p.mapLayer("serang_gis_batas_kecamatan")
    out = {"checked": [l.id() for l in p.layerTreeRoot().checkedLayers()], "renders": []}
    for spec in json.loads(sys.argv[2]):
        ms = QgsMapSettings(); ms.setLayers([p.mapLayer(i) for i in spec["layers"]]); ms.setDestinationCrs(p.crs())
        ext = QgsCoordinateTransform(kec.crs(), p.crs(), p).transformBoundingBox(kec.extent()); ext.scale(1.05)
        ms.setExtent(ext); ms.setOutputSize(QSize(spec["px"], spec["px"])); ms.setOutputDpi(96)
        job = QgsMapRendererSequentialJob(ms); job.start(); job.waitForFinished()
        labels = [[l.labelText, [l.labelRect.xMinimum(), l.labelRect.yMinimum(), l.labelRect.xMaximum(), l.labelRect.yMaximum()]]
                  for l in job.takeLabelingResults().allLabels() if l.layerID == kec.id()]
        circles = []
        for lid in spec["layers"]:
            lay = p.mapLayer(lid)
            if lay.geometryType() != 0:
                continue
            tr = QgsCoordinateTransform(lay.crs(), p.crs(), p)
            prop = lay.renderer().symbol().symbolLayer(0).dataDefinedProperties().property(QgsSymbolLayer.PropertySize)
            for f in lay.getFeatures():
                ctx = QgsExpressionContext(); ctx.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(lay)); ctx.setFeature(f)
                mm = prop.value(ctx)[0]
                pt = tr.transform(f.geometry().asPoint())
                circles.append([pt.x(), pt.y(), mm / 2 / 25.4 * 96 * ms.mapUnitsPerPixel()])  # radius in map units
        out["renders"].append({"px": spec["px"], "labels": labels, "circles": circles, "n": kec.featureCount()})
    print(json.dumps(out)); sys.stdout.flush()
    os._exit(0)
""")


def _labels(tmp_path, qgz, renders):
    if not os.path.isfile(QGIS_PYTHON):
        pytest.skip("QGIS is not installed")
    (tmp_path / "labels.py").write_text(LABELS)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run([QGIS_PYTHON, str(tmp_path / "labels.py"), str(qgz), json.dumps(renders)], capture_output=True, text=True,
                          env=env, timeout=600)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _hits_circle(rect, circle) -> bool:
    x, y, r = circle
    dx = max(rect[0] - x, 0, x - rect[2])
    dy = max(rect[1] - y, 0, y - rect[3])
    return dx * dx + dy * dy < r * r


@pytest.mark.qgis
def test_kota_serang_names_all_six_kecamatan_off_the_circles(default_atlas, tmp_path):
    """M3: the six names are all placed, even on a small map under the circles, and on a layout-sized map none sits
    on a circle of the kecamatan counts (the report's "Balita stunting (2025-04)" layout) or the reported cases."""
    kec = ["serang_gis_batas_kecamatan"]
    got = _labels(tmp_path, default_atlas / "serang_gis.qgz",
                  [{"layers": kec + ["serang_gis_peta_balita_stunting_2025_04"], "px": 900},
                   {"layers": kec + ["serang_gis_peta_balita_stunting_2021"], "px": 900},
                   {"layers": kec + ["serang_gis_stunting_dilaporkan_titik"], "px": 1000},
                   {"layers": kec + ["serang_gis_stunting_dilaporkan_titik"], "px": 300}])
    assert "serang_gis_stunting_dilaporkan_titik" in got["checked"]  # M2, as QGIS reads the tree
    for r in got["renders"]:
        names = sorted(n for n, _ in r["labels"])
        assert names == ["Cipocok Jaya", "Curug", "Kasemen", "Serang", "Taktakan", "Walantaka"], (r["px"], names)
        assert r["circles"]
        if r["px"] >= 900:
            on = [(n, c) for n, rect in r["labels"] for c in r["circles"] if _hits_circle(rect, c)]
            assert not on, (r["px"], on)


@pytest.mark.qgis
@pytest.mark.shared_data
def test_dense_kabupaten_names_never_print_over_each_other(tmp_path_factory, tmp_path):
    """M3: Pandeglang's 35 kecamatan on one map: QGIS drops the names that have no free place, the rest do not touch."""
    out = tmp_path_factory.mktemp("b3601") / "atlas"
    res = run_cli("build", "--region", "36.01", "--boundaries", BOUNDARIES / "banten", "-o", out)
    assert res.exit_code == 0, res.output
    got = _labels(tmp_path, out / "serang_gis.qgz", [{"layers": ["serang_gis_batas_kecamatan"], "px": 1000}])
    (r,) = got["renders"]
    rects = [rect for _, rect in r["labels"]]
    assert r["n"] == 35 and len(rects) >= 25  # most are placed, at a whole-kabupaten view
    clashes = [(a[0], b[0]) for i, a in enumerate(r["labels"]) for b in r["labels"][i + 1:] if _overlap(a[1], b[1])]
    assert not clashes, clashes
