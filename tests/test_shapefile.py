"""`export --format shp`: names of at most 10 characters, the style and aliases on them, long texts kept whole."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import textwrap

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point, box

from tests.conftest import QGIS_PYTHON, run_cli


def test_short_names_fit_are_unique_and_stable():
    from serang_gis.plan.shortnames import short_names

    cols = ["kode_kel", "prevalensi_stunting", "prevalensi_stunting__2023", "prevalensi_stunting__2024",
            "prevalensi_stunting__2023_2024", "balita_stunting", "balita_stunting_2024_02", "daftar_kegiatan", "kode_kel_10",
            "persen_keluarga_berisiko", "persen_keluarga_berisiko_x", "geometry"]
    got = short_names(cols)
    assert "geometry" not in got and len(got) == len(cols) - 1
    assert all(len(v) <= 10 for v in got.values()) and len(set(got.values())) == len(got)
    assert got["kode_kel"] == "kode_kel" and got["prevalensi_stunting"] == "prev_stunt" and got["balita_stunting"] == "blt_stunt"
    assert got["prevalensi_stunting__2023"].endswith("_23") and got["prevalensi_stunting__2024"].endswith("_24")
    assert got["prevalensi_stunting__2023_2024"].endswith("_2324") and got["balita_stunting_2024_02"].endswith("_2402")
    assert got["daftar_kegiatan"] == "dft_keg"
    # stable: the same name whatever other columns stand beside it
    assert short_names(["geometry", "prevalensi_stunting__2023", "x"])["prevalensi_stunting__2023"] == got["prevalensi_stunting__2023"]


def test_long_text_goes_to_a_side_table(tmp_path):
    from serang_gis.render.shapefile import write_shapefile_with_qml
    from serang_gis.render.styles import outline_style

    long = "; ".join(f"Sub kegiatan pemberdayaan {i} — ibu hamil" for i in range(12))  # ~450 bytes, an em dash in each
    frame = gpd.GeoDataFrame({"kode_kel": ["36.73.01.1001", "36.73.01.1002"], "daftar_kegiatan": [long, "pendek"]},
                             geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)
    style = outline_style("Konvergensi", "#333333", aliases={"daftar_kegiatan": "Sub kegiatan yang menjangkau (daftar)"})
    write_shapefile_with_qml(tmp_path / "k.shp", frame, style)
    back = pyogrio.read_dataframe(tmp_path / "k.shp")
    assert list(back.columns) == ["kode_kel", "kode_kel10", "dft_keg", "geometry"]
    cut = back["dft_keg"][0]
    assert cut.endswith("…") and long.startswith(cut[:-1]) and len(cut.encode()) <= 254
    assert back["dft_keg"][1] == "pendek"
    assert (tmp_path / "k.cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
    with open(tmp_path / "k_teks.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert rows[0] == {"kode_kel": "36.73.01.1001", "kode_kel_10": "3673011001", "daftar_kegiatan": long} and rows[1]["daftar_kegiatan"] == "pendek"
    with open(tmp_path / "k_fields.csv", encoding="utf-8-sig") as f:
        fields = {r["nama_pendek"]: r for r in csv.DictReader(f)}
    assert fields["dft_keg"]["nama_panjang"] == "daftar_kegiatan"
    assert "k_teks.csv" in fields["dft_keg"]["alias"] and fields["dft_keg"]["alias"].startswith("Sub kegiatan")
    assert '"dft_keg"' in (tmp_path / "k.qml").read_text() and "daftar_kegiatan\"" not in (tmp_path / "k.qml").read_text()
    assert not list(tmp_path.glob(".*"))  # the staging folder is gone


QGIS = textwrap.dedent("""
    import json, os, sys
    from qgis.core import QgsApplication, QgsVectorLayer, QgsSymbolLayer, QgsExpressionContext, QgsExpressionContextUtils
    app = QgsApplication([], False)
    app.initQgis()
    out = {}
    for uri in sys.argv[1:]:
        layer = QgsVectorLayer(uri, "x", "ogr")
        r = layer.renderer()
        info = {"valid": layer.isValid(), "fields": [f.name() for f in layer.fields()], "renderer": r.type(),
                "aliases": {f.name(): layer.attributeAlias(i) for i, f in enumerate(layer.fields())}}
        if r.type() == "RuleRenderer":
            info["rules"] = [[x.label(), x.filterExpression(), x.symbol().color().name()] for x in r.rootRule().children()]
            counts = []
            for x in r.rootRule().children():
                req = x.filterExpression()
                counts.append(sum(1 for _ in layer.getFeatures(req)) if req else None)
            info["counts"] = counts
        if r.type() == "singleSymbol" and layer.geometryType() == 0:
            prop = r.symbol().symbolLayer(0).dataDefinedProperties().property(QgsSymbolLayer.PropertySize)
            ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
            sizes = []
            for f in layer.getFeatures():
                ctx.setFeature(f)
                v, ok = prop.value(ctx, None)
                sizes.append(v if ok else None)
            info["sizes"] = sizes
        out[uri] = info
    print(json.dumps(out)); sys.stdout.flush()
    os._exit(0)
""")


def _qgis(tmp_path, *uris):
    (tmp_path / "q.py").write_text(QGIS)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run([QGIS_PYTHON, str(tmp_path / "q.py"), *map(str, uris)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.qgis
@pytest.mark.gdal_cli
def test_export_shp_keeps_classes_sizes_and_aliases(tmp_path, joined_gpkg):
    res = run_cli("export", joined_gpkg, "-o", tmp_path, "--format", "shp", "--format", "gpkg")
    assert res.exit_code == 0, res.output
    kel_shp, pts_shp = tmp_path / "serang_gis_kelurahan.shp", tmp_path / "serang_gis_balita_stunting_titik.shp"
    for shp in tmp_path.glob("*.shp"):
        info = subprocess.run(["ogrinfo", "-so", "-al", str(shp)], capture_output=True, text=True)
        assert "warning" not in (info.stdout + info.stderr).lower()
        names = [ln.split(":")[0] for ln in info.stdout.splitlines() if ln.split(":")[-1].strip().split(" ")[0]
                 in ("String", "Integer", "Integer64", "Real", "Date")]
        assert names and all(len(n) <= 10 for n in names), names
        assert (shp.with_suffix(".cpg")).read_text().strip().upper() in ("UTF-8", "UTF8")
    gpkg = tmp_path / "serang_gis.gpkg"
    got = _qgis(tmp_path, kel_shp, pts_shp, f"{gpkg}|layername=kelurahan", f"{gpkg}|layername=balita_stunting_titik")
    kel, pts, kel_g, pts_g = (got[str(u)] for u in (kel_shp, pts_shp, f"{gpkg}|layername=kelurahan",
                                                    f"{gpkg}|layername=balita_stunting_titik"))
    assert kel["valid"] and kel["renderer"] == "RuleRenderer"
    assert "kelas_peta" in kel["fields"] and "tanda_peta" in kel["fields"]
    # the same classes, colours and members as the GeoPackage (the HTML map's)
    assert [r[0] for r in kel["rules"]] == [r[0] for r in kel_g["rules"]] and kel["counts"] == kel_g["counts"]
    assert sum(c for c in kel["counts"][:3]) > 0
    # every field keeps its long name's alias
    with open(tmp_path / "serang_gis_kelurahan_fields.csv", encoding="utf-8-sig") as f:
        fields = {r["nama_pendek"]: r for r in csv.DictReader(f)}
    assert fields["prev_stunt"]["nama_panjang"] == "prevalensi_stunting"
    assert kel["aliases"]["prev_stunt"] == kel_g["aliases"]["prevalensi_stunting"] == "Prevalensi stunting (%)"
    assert kel["aliases"]["blt_ukur"] == "Balita diukur (balita)"
    # the point size expression finds its field: a size per feature, the same as the GeoPackage's
    assert pts["valid"] and None not in pts["sizes"] and len(set(pts["sizes"])) > 10
    assert pts["sizes"] == pytest.approx(pts_g["sizes"]) and max(pts["sizes"]) == pytest.approx(13.0)
    assert pts["aliases"]["blt_stunt"] == pts_g["aliases"]["balita_stunting"]


def test_all_missing_text_column_does_not_crash(tmp_path):
    """A GeoPackage read back gives text columns pandas' string dtype; one with no value at all (every cell NULL)
    made the long-text check raise "Cannot perform reduction 'any' with string dtype" (issue 21)."""
    import pandas as pd

    from serang_gis.render.shapefile import write_shapefile_with_qml
    from serang_gis.render.styles import outline_style

    frame = gpd.GeoDataFrame({"kode_kel": pd.Series(["36.73.01.1001", "36.73.01.1002"], dtype="string"),
                              "catatan_x": pd.Series([None, None], dtype="string"),
                              "nama_x": pd.Series(["a" * 300, None], dtype="str")},
                             geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)
    write_shapefile_with_qml(tmp_path / "k.shp", frame, outline_style("K", "#333333"))
    back = pyogrio.read_dataframe(tmp_path / "k.shp")
    assert len(back) == 2 and back.iloc[:, 2].isna().all()
    assert (tmp_path / "k_teks.csv").exists()  # the 300-byte text still goes to the side table


def test_english_export_speaks_english_in_its_sidecars(tmp_path, joined_gpkg):
    """GIS walk 25: an English Shapefile export had an Indonesian *_fields.csv header (nama_pendek, nama_panjang), the raw
    group key in an alias ("Source: gizi"), "(1 classes)", and the scheme's key in the style's description ("classes who")."""
    res = run_cli("export", joined_gpkg, "-o", tmp_path, "--format", "shp", "--format", "gpkg", "--lang", "en")
    assert res.exit_code == 0, res.output
    with open(tmp_path / "serang_gis_kelurahan_fields.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["short_name", "long_name", "alias"]
    alias = {r["long_name"]: r["alias"] for r in rows}
    assert alias["sumber_gizi"] == "Source: nutrition" and alias["periode_gizi"] == "Period: nutrition"
    assert "(1 class)" in res.output and "(1 classes)" not in res.output  # the count circles: one symbol
    styles = pyogrio.read_dataframe(tmp_path / "serang_gis.gpkg", layer="layer_styles").set_index("f_table_name")
    assert "classes WHO-UNICEF 2018" in styles.at["kelurahan", "description"]
    assert "classes who" not in styles.at["kelurahan", "description"]
    res = run_cli("export", joined_gpkg, "-o", tmp_path / "nb", "--format", "gpkg", "--scheme", "natural_breaks", "--k", "3")
    assert res.exit_code == 0, res.output
    styles = pyogrio.read_dataframe(tmp_path / "nb" / "serang_gis.gpkg", layer="layer_styles").set_index("f_table_name")
    assert "kelas jeda alami (Jenks)" in styles.at["kelurahan", "description"]  # Indonesian by default
    with open(tmp_path / "serang_gis_kecamatan_fields.csv", encoding="utf-8-sig") as f:
        assert "Source: gizi" not in f.read()
