"""What QGIS 3.22 shows of the exported styles, measured headless (rendered, not read back from the XML)."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from tests.conftest import QGIS_PYTHON

RENDER = textwrap.dedent("""
    import json, os, sys
    from qgis.core import QgsApplication, QgsVectorLayer, QgsMapSettings, QgsMapRendererSequentialJob, QgsRectangle
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
    app = QgsApplication([], False)
    app.initQgis()
    uri, png = sys.argv[1], sys.argv[2]
    layer = QgsVectorLayer(uri, "x", "ogr")
    ms = QgsMapSettings()
    ms.setLayers([layer]); ms.setDestinationCrs(layer.crs()); ms.setBackgroundColor(QColor("white"))
    ms.setExtent(QgsRectangle(-0.5, -0.5, 3.5, 0.5)); ms.setOutputSize(QSize(2400, 600)); ms.setOutputDpi(600)
    job = QgsMapRendererSequentialJob(ms); job.start(); job.waitForFinished()
    job.renderedImage().save(png)
    r = layer.renderer()
    dds = r.dataDefinedSizeLegend()
    out = {"valid": layer.isValid(), "features": layer.featureCount(),
           "legend": [[c.size, c.label] for c in dds.classes()] if dds else None,
           "legend_type": int(dds.legendType()) if dds else None,
           "aliases": {f.name(): layer.attributeAlias(i) for i, f in enumerate(layer.fields())}}
    print(json.dumps(out)); sys.stdout.flush()
    os._exit(0)
""")


def _qgis(tmp_path, uri, script=RENDER, *args):
    path = tmp_path / "q.py"
    path.write_text(script)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run([QGIS_PYTHON, str(path), str(uri), *map(str, args)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _blob_diameters_mm(png, dpi=600, stroke_mm=0.3):
    """Each drawn circle's diameter at its outline's centre line, from the pixel area of its mark, left to right."""
    from PIL import Image
    from scipy import ndimage

    img = np.asarray(Image.open(png).convert("RGB")).astype(int)
    ink = (img < 250).any(axis=2)
    labels, n = ndimage.label(ink)
    blobs = sorted(ndimage.find_objects(labels), key=lambda s: s[1].start)
    px_per_mm = dpi / 25.4
    out = []
    for i, sl in enumerate(blobs):
        area = (labels[sl] == labels[sl][labels[sl] > 0][0]).sum()
        out.append(2 * np.sqrt(area / np.pi) / px_per_mm - stroke_mm)  # the outline reaches half its width past the edge
    return out


@pytest.mark.qgis
@pytest.mark.parametrize("fmt", ["gpkg", "geojson"])
def test_circle_area_is_proportional_to_the_count(tmp_path, fmt):
    from serang_gis.render.styles import points_style, write_geojson_with_qml, write_styled_gpkg

    counts = [341, 85, 20]  # areas 341 : 85 : 20, diameters 13 : 6.5 : 3.15 mm
    pts = gpd.GeoDataFrame({"kode_kel": ["a", "b", "c"], "balita_stunting": counts},
                           geometry=[Point(0, 0), Point(1.5, 0), Point(3, 0)], crs=4326)
    style = points_style("Balita stunting", "balita_stunting", 341, "#b2182b", "#67001f", aliases={"balita_stunting": "Balita stunting (balita)"})
    if fmt == "gpkg":
        write_styled_gpkg(tmp_path / "p.gpkg", {"titik": (pts, style)})
        uri = f"{tmp_path / 'p.gpkg'}|layername=titik"
    else:
        write_geojson_with_qml(tmp_path / "p.geojson", pts, style)
        uri = tmp_path / "p.geojson"
    got = _qgis(tmp_path, uri, RENDER, tmp_path / "r.png")
    assert got["valid"] and got["features"] == 3
    d = _blob_diameters_mm(tmp_path / "r.png")
    assert len(d) == 3
    area = np.square(d)
    assert area[0] / area[2] == pytest.approx(341 / 20, rel=0.15)  # the root is taken once: area follows the count
    assert area[0] / area[1] == pytest.approx(341 / 85, rel=0.15)
    assert d[0] == pytest.approx(13.0, rel=0.05)  # the largest count draws the 13 mm circle
    # the size legend: reference circles as the HTML's (341, then round values), diameters on the same scale
    legend = got["legend"]
    assert legend and legend[0][1] == "341" and legend[0][0] == pytest.approx(13.0)
    for mm, label in legend:
        assert mm == pytest.approx(13.0 * np.sqrt(float(label.replace(".", "")) / 341), rel=1e-3)
    assert got["aliases"]["balita_stunting"] == "Balita stunting (balita)"
