"""`serang-gis rank` and `serang-gis export`: tables safe in spreadsheets, layers and styles read by GDAL and QGIS."""

import json
import os
import subprocess
import textwrap

import openpyxl
import pandas as pd
import pyogrio
import pytest
from .conftest import run_cli as _run


@pytest.fixture(scope="module")
def ranked(tmp_path_factory, joined_gpkg):
    tmp = tmp_path_factory.mktemp("r")
    (tmp / "j.gpkg").write_bytes(joined_gpkg.read_bytes())
    res = _run("rank", tmp / "j.gpkg", "--lokus", "2022", "--seed", "7", "--draws", "400", "-o", tmp / "p.gpkg",
               "--csv", tmp / "p.csv", "--xlsx", tmp / "p.xlsx", "--map", tmp / "p.html")
    assert res.exit_code == 0, res.output
    return tmp, res.output


def test_rank_outputs(ranked):
    tmp, out = ranked
    # Cibendung has no stunting data: not ranked, and every product says so
    # the run speaks --lang (default id), as its map and notes do: no "note:" beside "PERINGATAN"
    assert "66 dari 67 kelurahan diperingkat" in out and "1 kelurahan tidak diperingkat, perlu data" in out and "benih acak 7" in out
    assert "lokus, lokus kuat:" in out and "peluang masuk 20 teratas tepat sampai ± " in out and "Monte Carlo" not in out
    assert "note:" not in out and "ranked" not in out and "catatan:" in out
    kel = pyogrio.read_dataframe(tmp / "p.gpkg")
    assert (kel["prioritas"] == "Prioritas 1").sum() == 20 and kel["peringkat"].min() == 1
    assert kel["peluang_top_n"].sum() == pytest.approx(20)
    cib = kel.set_index("kelurahan").loc["Cibendung"]
    assert pd.isna(cib["peringkat"]) and cib["penjelasan"].startswith("tidak diperingkat: perlu data")
    assert set(kel["status_lokus"].dropna()) == {"lokus kuat", "perbatasan"}
    assert set(kel["banding_lokus"].dropna()) <= {"lokus, lokus kuat", "lokus, perbatasan", "lokus, prioritas rendah",
                                                  "lokus, perlu data", "lokus kuat, bukan lokus", "perbatasan, bukan lokus"}
    csv = pd.read_csv(tmp / "p.csv", encoding="utf-8-sig")
    assert list(csv["peringkat"][:3]) == [1, 2, 3]
    html = (tmp / "p.html").read_text()
    assert '"type":"categorical","name":"Prioritas penanganan"' in html and (tmp / "lib" / "atlas.js").exists()


def test_rank_on_a_partial_layer_scales_n(tmp_path, joined_gpkg):
    kel = pyogrio.read_dataframe(joined_gpkg)
    keep = kel["kode_kel"].str.startswith(("36.73.02", "36.73.04"))  # two kecamatan reported
    for c in ("balita_diukur", "pendek", "sangat_pendek", "prevalensi_stunting", "balita_stunting", "prevalensi_stunting_eb"):
        kel.loc[~keep, c] = None
    pyogrio.write_dataframe(kel, tmp_path / "part.gpkg", layer="kelurahan")
    res = _run("rank", tmp_path / "part.gpkg", "--draws", "500", "--lokus", "2022", "-o", tmp_path / "p.gpkg", "--csv", tmp_path / "p.csv")
    assert res.exit_code == 0, res.output
    # issue 18: a partial period says so, and the lokus 2022 outside the two kecamatan get no verdict
    assert f"periode sebagian: {int(keep.sum())} dari 67 kelurahan berdata (< 80 %)" in res.output
    assert "dari 19 lokus 2022 di luar kelurahan yang melapor: tidak dinilai" in res.output
    n_ranked = int(keep.sum())
    n = round(20 * n_ranked / 67)
    assert f"{n_ranked} dari 67 kelurahan diperingkat" in res.output and f"Prioritas 1 = {n} teratas (top_n 20 disesuaikan" in res.output
    csv = pd.read_csv(tmp_path / "p.csv", encoding="utf-8-sig")
    assert (csv["prioritas"] == "Prioritas 1").sum() == n and csv["peluang_top_n"].max() <= 1
    assert (csv["peluang_top_n"] == 1).sum() < n_ranked
    assert csv["periode_sebagian"].notna().all() and "lokus, prioritas rendah" not in set(csv.loc[~csv["dirangking"], "banding_lokus"].dropna())
    outside = csv[csv["banding_lokus"] == "lokus, tidak dinilai"]
    assert len(outside) and outside["peringkat"].isna().all() and outside["kode_kel"].str.startswith(("36.73.02", "36.73.04")).sum() == 0


def test_rank_is_reproducible(ranked, tmp_path):
    tmp, _ = ranked
    res = _run("rank", tmp / "j.gpkg", "--lokus", "2022", "--seed", "7", "--draws", "400", "-o", tmp_path / "again.gpkg",
               "--csv", tmp_path / "again.csv")
    assert res.exit_code == 0
    assert (tmp_path / "again.csv").read_bytes() == (tmp / "p.csv").read_bytes()


def test_spreadsheet_cells_are_never_formulas(tmp_path, ranked):
    tmp, _ = ranked
    kel = pyogrio.read_dataframe(tmp / "j.gpkg")
    kel.loc[0, "kelurahan"] = '=HYPERLINK("http://evil","klik")'
    kel.loc[1, "kelurahan"] = "@SUM(1+1)"
    pyogrio.write_dataframe(kel, tmp_path / "evil.gpkg", layer="kelurahan")
    res = _run("rank", tmp_path / "evil.gpkg", "--draws", "0", "-o", tmp_path / "e.gpkg", "--csv", tmp_path / "e.csv",
               "--xlsx", tmp_path / "e.xlsx")
    assert res.exit_code == 0, res.output
    text = (tmp_path / "e.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    ws = openpyxl.load_workbook(tmp_path / "e.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and ("HYPERLINK" in c.value or "@SUM" in c.value)]
    assert len(cells) == 2 and all(c.data_type == "s" and c.value.startswith("'") for c in cells)  # text with the template's '
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


@pytest.mark.gdal_cli
def test_export_layers_read_by_gdal(ranked, tmp_path):
    tmp, _ = ranked
    res = _run("export", tmp / "p.gpkg", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    gpkg = tmp_path / "serang_gis.gpkg"
    info = subprocess.run(["ogrinfo", "-q", str(gpkg)], capture_output=True, text=True).stdout
    for name in ("kelurahan", "kecamatan", "lokus", "balita_stunting_titik", "layer_styles"):
        assert name in info
    descriptions = subprocess.run(["ogrinfo", "-q", str(gpkg), "-sql", "SELECT table_name, description FROM gpkg_contents"],
                                  capture_output=True, text=True).stdout
    assert "serang-gis: Prevalensi stunting" in descriptions and "serang-gis: Lokus" in descriptions
    schema = subprocess.run(["ogrinfo", "-so", str(gpkg), "kelurahan"], capture_output=True, text=True).stdout
    assert "kode_kel: String" in schema and "kode_kec: String" in schema and "balita_diukur: Integer" in schema
    contents = subprocess.run(["ogrinfo", "-q", str(gpkg), "-sql", "SELECT data_type FROM gpkg_contents WHERE table_name='layer_styles'"],
                              capture_output=True, text=True).stdout
    assert "attributes" in contents
    styles = pyogrio.read_dataframe(gpkg, layer="layer_styles")
    assert sorted(styles["f_table_name"]) == ["balita_stunting_titik", "kabkota", "kecamatan", "keluarga_berisiko_titik", "kelurahan", "lokus"]
    assert styles["useAsDefault"].all()
    assert styles["styleSLD"].str.contains("StyledLayerDescriptor").all()
    # GeoJSON: RFC 7946 (no crs member, 6 decimals, counter-clockwise exterior rings) with a .qml beside it
    gj = json.loads((tmp_path / "serang_gis_kelurahan.geojson").read_text())
    assert "crs" not in gj
    ring = gj["features"][0]["geometry"]["coordinates"][0]
    if gj["features"][0]["geometry"]["type"] == "MultiPolygon":
        ring = ring[0]
    area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
    assert area2 > 0  # counter-clockwise
    assert max(len(str(c).split(".")[-1]) for c in ring[0]) <= 6
    assert (tmp_path / "serang_gis_kelurahan.qml").read_text().startswith("<!DOCTYPE qgis")


QGIS_SCRIPT = textwrap.dedent("""
    import json, os, sys
    from qgis.core import (QgsApplication, QgsVectorLayer, QgsRasterLayer, QgsMapSettings, QgsMapRendererSequentialJob,
                           QgsSymbolLayer, QgsProviderRegistry)
    from qgis.PyQt.QtCore import QSize
    app = QgsApplication([], False)
    app.initQgis()
    out = {}
    for uri in sys.argv[1:]:
        if uri.endswith(".tif"):
            r = QgsRasterLayer(uri, "r")
            ren = r.renderer()
            out[uri] = {"valid": r.isValid(), "renderer": ren.type(),
                        "classes": [[c.label, c.color.name()] for c in ren.classes()] if ren.type() == "paletted" else []}
            continue
        layer = QgsVectorLayer(uri, "x", "ogr")
        r = layer.renderer()
        info = {"valid": layer.isValid(), "features": layer.featureCount(), "renderer": r.type(), "labels": layer.labelsEnabled(),
                "aliases": {f.name(): layer.attributeAlias(i) for i, f in enumerate(layer.fields()) if layer.attributeAlias(i)},
                "geometry": layer.geometryType()}
        if r.type() == "RuleRenderer":
            info["rules"] = [x.label() for x in r.rootRule().children()]
            info["colors"] = [x.symbol().color().name() for x in r.rootRule().children()]
        if r.type() == "singleSymbol" and layer.geometryType() == 0:
            prop = r.symbol().symbolLayer(0).dataDefinedProperties().property(QgsSymbolLayer.PropertySize)
            info["size_expression"] = prop.expressionString() if prop.isActive() else None
        if layer.labelsEnabled():  # draw the layer and count the labels QGIS actually placed
            ms = QgsMapSettings()
            ms.setLayers([layer]); ms.setExtent(layer.extent()); ms.setOutputSize(QSize(800, 800))
            ms.setDestinationCrs(layer.crs())
            job = QgsMapRendererSequentialJob(ms); job.start(); job.waitForFinished()
            info["labels_drawn"] = sorted(lab.labelText for lab in job.takeLabelingResults().allLabels())
        out[uri] = info
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)  # QGIS 3.22 may crash while tearing down offscreen; the answer is already out
""")


@pytest.mark.qgis
def test_qgis_applies_the_default_styles(ranked, tmp_path):
    tmp, _ = ranked
    assert _run("export", tmp / "p.gpkg", "-o", tmp_path).exit_code == 0
    assert _run("raster", tmp / "p.gpkg", "--indicator", "prevalensi", "-o", tmp_path / "r.tif").exit_code == 0
    script = tmp_path / "check.py"
    script.write_text(QGIS_SCRIPT)
    gpkg = tmp_path / "serang_gis.gpkg"
    uris = [f"{gpkg}|layername=kelurahan", f"{gpkg}|layername=kecamatan", f"{gpkg}|layername=lokus",
            str(tmp_path / "serang_gis_kelurahan.geojson"), f"{gpkg}|layername=balita_stunting_titik", str(tmp_path / "r.tif")]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run(["/usr/bin/python3", str(script), *uris], capture_output=True, text=True, env=env, timeout=300)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    kel, kec, lok, gj, pts, tif = (got[u] for u in uris)
    from serang_gis.plan import layers as plan

    p = plan.indicator_plan(pyogrio.read_dataframe(tmp / "p.gpkg"), "prevalensi")
    legend = [(label, color) for kind, label, color in p.main.legend() if kind == "fill"]
    assert kel["valid"] and kel["features"] == 67 and kel["renderer"] == "RuleRenderer"
    assert list(zip(kel["rules"], kel["colors"]))[:len(legend)] == legend  # the same classes as the HTML map
    assert kel["aliases"]["prevalensi_stunting"] == "Prevalensi stunting (%)" and kel["aliases"]["balita_diukur"] == "Balita diukur (balita)"
    assert kec["renderer"] == "RuleRenderer" and kec["features"] == 6
    assert len(kec["labels_drawn"]) == 6  # every kecamatan label is placed (Cipocok Jaya was dropped before)
    assert lok["features"] == 19 and lok["renderer"] == "singleSymbol"
    assert gj["renderer"] == "RuleRenderer" and gj["rules"] == kel["rules"]  # the .qml sidecar is applied
    assert pts["renderer"] == "singleSymbol" and "sqrt" in pts["size_expression"] and pts["features"] == 66
    assert tif["valid"] and tif["renderer"] == "paletted"
    assert [tuple(c) for c in tif["classes"]][:p.main.classes.k] == list(zip(p.main.classes.labels, p.main.classes.colors))
