"""`serang-gis build` end to end on the real boundaries; outputs re-opened through GDAL."""

import re
import subprocess
import sys

import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from serang_gis.cli.main import cli


@pytest.fixture(scope="module")
def built(default_build):
    """The default atlas and the run's output (conftest's ``default_build``, built once per run)."""
    return default_build


def test_build_prints_a_summary(built):
    out, text = built
    assert "Kelurahan cocok            67 / 67" in text  # the run speaks --lang (default id), as its pages do
    assert "Kecamatan                  6" in text
    assert "4 sesuai, 4 berbeda" in text


@pytest.mark.gdal_cli
def test_geopackage_layers_and_attributes(built):
    out, _ = built
    gpkg = out / "serang_gis.gpkg"
    snaps = ["2021", "2022", "2024_02", "2024_07", "2025_04"]
    assert [name for name, _ in pyogrio.list_layers(gpkg)] == ["kelurahan", "kecamatan", "kabkota", "lokus_2021", "lokus_2022",
                                                               "stunting_dilaporkan_titik", "peta_status_odf",
                                                               *[f"peta_balita_stunting_{s}" for s in snaps],
                                                               "peta_keluarga_berisiko_2021", "layer_styles"]
    # the kecamatan map's circles: one layer per snapshot, sized on one scale, as the HTML map draws them
    assert pyogrio.read_info(gpkg, layer="peta_balita_stunting_2025_04")["features"] == 6
    assert pyogrio.read_info(gpkg, layer="lokus_2021")["features"] == 13 and pyogrio.read_info(gpkg, layer="lokus_2022")["features"] == 19
    assert pyogrio.read_info(gpkg, layer="stunting_dilaporkan_titik")["features"] == 15  # counts as points, no data left out
    styles = pyogrio.read_dataframe(gpkg, layer="layer_styles").set_index("f_table_name")
    assert styles.at["kelurahan", "styleName"] == "Status ODF" and "ODF deklarasi" in styles.at["kelurahan", "styleQML"]
    info = pyogrio.read_info(gpkg, layer="kelurahan")
    assert info["features"] == 67 and info["crs"] == "EPSG:4326"
    kel = pyogrio.read_dataframe(gpkg, layer="kelurahan")
    assert kel["lokus_2021"].sum() == 13 and kel["lokus_2022"].sum() == 19
    assert kel.loc[kel["kode_kel"] == "36.73.01.1009", "lokus_2022"].item()  # Lontarbaru = "Lontar Baru"
    # no data stays no data: 15 reported counts, 52 nulls, none turned into zero
    assert kel["stunting_dilaporkan"].notna().sum() == 15
    assert (kel["stunting_dilaporkan"].dropna() > 0).all()
    assert kel["status_odf"].isna().sum() == 21  # Serang (but Kaligandu) and Kasemen: no declaration found
    kec = pyogrio.read_dataframe(gpkg, layer="kecamatan")
    assert len(kec) == 6
    assert kec["keluarga_berisiko_2021"].sum() == 52_204
    assert kec["balita_stunting_2021"].sum() == 1_895
    assert kec.set_index("kecamatan").loc["Taktakan", "balita_stunting_2025_04"] == 374
    # GeoPackage 1.2 for older QGIS
    ogr = subprocess.run(["ogrinfo", "-so", str(gpkg), "kelurahan"], capture_output=True, text=True)
    assert ogr.returncode == 0 and "Feature Count: 67" in ogr.stdout
    import sqlite3

    with sqlite3.connect(gpkg) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 10200


def test_csv_matches_the_layers(built):
    out, _ = built
    kel = pd.read_csv(out / "kelurahan.csv", dtype={"kode_kel": str}, encoding="utf-8-sig")
    assert len(kel) == 67 and "geometry" not in kel.columns
    assert kel["kode_kel"].str.match(r"^36\.73\.\d{2}\.\d{4}$").all()
    assert len(pd.read_csv(out / "kecamatan.csv")) == 6


def test_index_links_every_product_and_shows_the_checks(built):
    out, _ = built
    html = (out / "index.html").read_text(encoding="utf-8")
    for name in ("peta_kelurahan.html", "peta_kecamatan.html", "serang_gis.gpkg", "kelurahan.csv", "kecamatan.csv"):
        assert f'href="{name}"' in html and (out / name).stat().st_size > 0
    assert html.count(">berbeda<") == 4
    assert "36.220.427.730" in html and "52.204" in html  # Indonesian number format


def test_maps_show_sources_and_dates(built):
    out, _ = built
    kel = (out / "peta_kelurahan.html").read_text(encoding="utf-8")
    assert "Status ODF (per 2025-12-31)" in kel and "kim.serangkota.go.id" in kel and "MIT" in kel
    kec = (out / "peta_kecamatan.html").read_text(encoding="utf-8")
    assert "Balita stunting (2025-04)" in kec and "bantenintens.co.id" in kec


def test_bad_boundaries_exit_1_with_no_traceback_and_nothing_written(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"kode": "36.73.1", "nama": "X"},'
                   ' "geometry": {"type": "Polygon", "coordinates": [[[106,-6],[106.1,-6],[106.1,-6.1],[106,-6]]]}}]}')
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["build", "-o", str(out), "--boundaries", str(bad)])
    assert res.exit_code == 1
    assert "bad.geojson:feature 1:kode: '36.73.1' is not a kelurahan code" in res.output
    assert "Traceback" not in res.output
    assert not out.exists() or not any(out.iterdir())


def test_debug_shows_the_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "serang_gis", "--debug", "build", "-o", str(tmp_path),
                           "--boundaries", str(tmp_path / "missing.geojson")], capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" in proc.stderr and "no such file" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "serang_gis", "build", "-o", str(tmp_path),
                           "--boundaries", str(tmp_path / "missing.geojson")], capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "missing.geojson: no such file" in proc.stderr


def test_bad_option_values_exit_2():
    res = CliRunner().invoke(cli, ["build", "--region", "Serang"])
    assert res.exit_code == 2 and "'Serang' is not a region" in res.output
    res = CliRunner().invoke(cli, ["build", "--columns", "code:KODE"])
    assert res.exit_code == 2 and "KEY=COLUMN" in res.output


@pytest.mark.shared_data
def test_any_region_gets_a_boundaries_atlas(tmp_path):
    from .conftest import BOUNDARIES

    res = CliRunner().invoke(cli, ["build", "--region", "3672", "--boundaries", str(BOUNDARIES / "banten"), "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "Kota Cilegon (36.72)" in res.output
    kel = pyogrio.read_dataframe(tmp_path / "serang_gis.gpkg", layer="kelurahan")
    assert len(kel) == 43 and set(kel["kode_kab"]) == {"36.72"}
    assert (tmp_path / "peta_kelurahan.html").exists() and (tmp_path / "peta_kelurahan.png").exists()


def test_every_polygon_layer_is_the_web_maps_coverage(built, serang_path):
    """Issue 21: each kelurahan layer of the atlas GeoPackage is a valid coverage, polygon for polygon the web map's."""
    import shapely

    from serang_gis.plan.layers import coverage
    from serang_gis.read.boundaries import read_kelurahan

    out, _ = built
    web = coverage(read_kelurahan(serang_path).kelurahan).set_index("kode_kel").geometry
    gpkg = out / "serang_gis.gpkg"
    checked = 0
    for name, kind in pyogrio.list_layers(gpkg):
        frame = pyogrio.read_dataframe(gpkg, layer=name) if kind in ("Polygon", "MultiPolygon") else None
        if frame is None or "kode_kel" not in frame.columns:
            continue
        assert shapely.coverage_is_valid(frame.geometry.values), name
        assert shapely.equals(frame.geometry.values, web.loc[frame["kode_kel"]].values).all(), name
        checked += 1
    assert checked >= 3


def test_the_summary_names_the_unmatched_rows(tmp_path, serang_path):
    """'1 unmatched' alone leaves the planner searching: the line names the file, the row and the name it gives."""
    from . import fixtures as F

    F.write_messy_xlsx(tmp_path / "sasaran.xlsx", F.truth_aggregate(1), wrong_row=True)
    cfg = tmp_path / "atlas.toml"
    cfg.write_text(f'region = "36.73"\noutput = "atlas"\nlang = "id"\n[boundaries]\npath = "{serang_path}"\n'
                   '[[data]]\npath = "sasaran.xlsx"\n[maps]\nindicators = ["prevalensi"]\nscopes = ["kota"]\nstatic = false\n',
                   encoding="utf-8")
    res = CliRunner().invoke(cli, ["build", "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if " tidak cocok" in x)  # lang = "id": the run speaks Indonesian
    assert "1 tidak cocok" in line and re.search(r"tidak cocok: sasaran\.xlsx baris \d+ '[^']*ANTAH BERANTAH' \(kec\. ", line, re.I), line


def test_missing_map_runtime_fails_before_the_boundaries_are_read(tmp_path, monkeypatch):
    """Two user testers waited 12-19 s of boundary reading for "the Leaflet files are missing": the check comes first."""
    monkeypatch.setenv("SERANG_GIS_ASSETS", str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()
    res = CliRunner().invoke(cli, [str(a) for a in ("build", "--boundaries", tmp_path / "no_such_file.geojson", "-o", tmp_path / "out")])
    assert res.exit_code != 0 and "SERANG_GIS_ASSETS" in res.output and "no_such_file" not in res.output, res.output
    assert not (tmp_path / "out").exists()  # the missing boundary file was never reached: the runtime check came first
