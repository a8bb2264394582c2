"""A boundaries-only build (GIS walk 25 item 4): one kelurahan fill and one layer name in the HTML legend, the PNG/PDF
and the QGIS style; the PNG legend names the kecamatan outlines it draws."""

import json
import re
import zipfile

import geopandas as gpd
import pyogrio
import pytest
from PIL import Image

from tests.conftest import run_cli
from tests.test_plan import payload


@pytest.fixture(scope="module")
def built(tmp_path_factory, serang_path):
    """Kota Serang's kelurahan under a code no table or ODF list knows (99.71): nothing but boundaries to map."""
    tmp = tmp_path_factory.mktemp("b")
    g = gpd.read_file(serang_path)
    g["kode"] = g["kode"].str.replace("36.73.", "99.71.", regex=False)
    g.to_file(tmp / "lain.geojson", driver="GeoJSON")
    out = tmp / "atlas"
    res = run_cli("build", "--region", "99.71", "-o", out, "--boundaries", tmp / "lain.geojson")
    assert res.exit_code == 0, res.output
    return out


def test_one_fill_and_one_name_in_every_product(built):
    p = payload(built / "peta_kelurahan.html")
    base = next(x for x in p["layers"] if x["type"] == "categorical")
    assert (base["name"], base["nodata"]["label"], base["nodata"]["color"]) == ("Batas kelurahan", "Kelurahan", "#f4f4f4")
    # the PNG (and its PDF, drawn from the same figure): the same fill, and the kecamatan outlines it draws
    png = Image.open(built / "peta_kelurahan.png")
    assert json.loads(png.text["Legend"]) == [["Kelurahan", "#f4f4f4"], ["Batas kecamatan", "#222222"]]
    counts = {"#%02x%02x%02x" % px[:3]: n for n, px in png.convert("RGB").getcolors(1 << 20)}
    share = {c: counts.get(c, 0) / (png.width * png.height) for c in ("#f4f4f4", "#d9d9d9")}
    assert share["#f4f4f4"] > 0.1 and share["#d9d9d9"] < 0.001, share  # the kelurahan filled as in the HTML, none as "no data"
    # QGIS: the GeoPackage's default style and the project's layer
    styles = pyogrio.read_dataframe(built / "serang_gis.gpkg", layer="layer_styles").set_index("f_table_name")
    assert styles.at["kelurahan", "styleName"] == "Batas kelurahan"
    assert re.search(r'k="color" v="244,244,244,255"', styles.at["kelurahan", "styleQML"])
    assert re.search(r'k="style" v="solid"', styles.at["kelurahan", "styleQML"])
    assert "#f4f4f4" in styles.at["kelurahan", "styleSLD"]
    with zipfile.ZipFile(built / "serang_gis.qgz") as z:
        qgs = z.read(next(n for n in z.namelist() if n.endswith(".qgs"))).decode()
    names = re.findall(r"<layername>(.*?)</layername>", qgs)
    assert "Batas kelurahan" in names and "Kelurahan" not in names
    # its print layout is headed as the HTML map, naming the kab/kota (GIS walk 25 item 9: it said just "Kelurahan")
    kab = pyogrio.read_dataframe(built / "serang_gis.gpkg", layer="kelurahan")["kabkota"].iloc[0]
    assert f"{kab}: Batas kelurahan" in (built / "peta_kelurahan.html").read_text(encoding="utf-8")  # the HTML map's title
    assert re.findall(r'id="judul"[^>]*labelText="([^"]*)"|labelText="([^"]*)"[^>]*id="judul"', qgs)[0] in \
        ((f"{kab}: Batas kelurahan", ""), ("", f"{kab}: Batas kelurahan"))


def test_the_kab_kota_outline_is_a_layer_of_the_geopackage_and_the_project(built):
    """GIS walk 25 item 11: one polygon, the union of the kelurahan, styled as an outline, among the boundaries."""
    kel = pyogrio.read_dataframe(built / "serang_gis.gpkg", layer="kelurahan")
    kab = pyogrio.read_dataframe(built / "serang_gis.gpkg", layer="kabkota")
    assert len(kab) == 1 and kab["kode_kab"].iloc[0] == "99.71" and kab["kabkota"].iloc[0] == kel["kabkota"].iloc[0]
    assert kab.to_crs(32748).area.sum() == pytest.approx(kel.to_crs(32748).area.sum(), rel=1e-6)
    assert kab.geometry.iloc[0].is_valid
    styles = pyogrio.read_dataframe(built / "serang_gis.gpkg", layer="layer_styles").set_index("f_table_name")
    assert styles.at["kabkota", "styleName"] == "Batas kab/kota" and 'k="style" v="no"' in styles.at["kabkota", "styleQML"]
    with zipfile.ZipFile(built / "serang_gis.qgz") as z:
        qgs = z.read(next(n for n in z.namelist() if n.endswith(".qgs"))).decode()
    assert "<layername>Batas kab/kota</layername>" in qgs and "layername=kabkota" in qgs
