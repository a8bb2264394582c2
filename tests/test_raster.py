"""Rasters: burnt values read back at known points; zonal sums against hand-computable rasters."""

import re

import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
import geopandas as gpd
from click.testing import CliRunner
from rasterio.transform import from_origin

from serang_gis import InputError, read_kelurahan
from serang_gis.cli.main import cli
from serang_gis.join.tables import read_joined
from serang_gis.render.raster import rasterize, zonal


@pytest.fixture(scope="module")
def kel(serang_path):
    k = read_kelurahan(serang_path).kelurahan
    k["nilai"] = np.arange(len(k), dtype=float)
    k.loc[5, "nilai"] = np.nan  # no data stays nodata
    return k


def test_rasterize_writes_a_tiled_compressed_geotiff_with_overviews(kel, tmp_path):
    path = rasterize(kel, "nilai", tmp_path / "n.tif", resolution=50)
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 32748 and src.res == (50.0, 50.0) and src.nodata == -9999
        assert src.profile["compress"] == "deflate" and src.profile["tiled"] and src.overviews(1) == [2, 4, 8, 16]
        assert src.tags()["indicator"] == "nilai"
        pts = kel.to_crs(32748).representative_point()
        got = [v[0] for v in src.sample([(p.x, p.y) for p in pts])]
    # a 50 m pixel at a point well inside a kelurahan carries that kelurahan's value
    for i, v in enumerate(got):
        if i == 5:
            assert v == -9999
        elif kel.to_crs(32748).geometry.iloc[i].buffer(-60).contains(pts.iloc[i]):
            assert v == kel["nilai"].iloc[i]


def test_rasterize_errors(kel, tmp_path):
    with pytest.raises(InputError, match="no column"):
        rasterize(kel, "nope", tmp_path / "x.tif")
    with pytest.raises(InputError, match="geographic"):
        rasterize(kel, "nilai", tmp_path / "x.tif", crs="EPSG:4326")
    assert not (tmp_path / "x.tif").exists()


def _write(path, data, transform, crs):
    with rasterio.open(path, "w", driver="GTiff", height=data.shape[0], width=data.shape[1], count=1, dtype="float64",
                       crs=crs, transform=transform) as dst:
        dst.write(data, 1)


def test_zonal_sum_splits_pixels_by_coverage(tmp_path):
    # 3 x 3 raster of 10 m pixels with values 1..9 (row-major from the top-left), in UTM 48S
    data = np.arange(1, 10, dtype=float).reshape(3, 3)
    _write(tmp_path / "r.tif", data, from_origin(500000, 9300030, 10, 10), "EPSG:32748")
    polys = gpd.GeoDataFrame({"kode_kel": ["a", "b", "c"]}, geometry=[
        shapely.box(500000, 9300020, 500010, 9300030),   # exactly the top-left pixel: 1
        shapely.box(500010, 9300020, 500030, 9300025),   # the lower halves of pixels 2 and 3: 0.5*2 + 0.5*3
        shapely.box(500000, 9300000, 500030, 9300030),   # everything: 45
    ], crs="EPSG:32748").to_crs(4326)  # the polygons in another CRS than the raster
    out = zonal(polys, tmp_path / "r.tif", stats=("sum", "mean"), column="pop")
    assert out["pop_sum"].tolist() == pytest.approx([1.0, 2.5, 45.0], abs=1e-3)
    assert out["pop_mean"].tolist() == pytest.approx([1.0, 2.5, 5.0], abs=1e-3)


def test_zonal_population_grid_adds_up_over_kelurahan(tmp_path, serang_path):
    kel = read_kelurahan(serang_path).kelurahan
    # a uniform 100 m grid of 4 people per pixel (400 per km2) over Kota Serang, in geographic WGS 84
    minx, miny, maxx, maxy = kel.total_bounds
    res = 0.0009
    w, h = int((maxx - minx) / res) + 3, int((maxy - miny) / res) + 3
    _write(tmp_path / "pop.tif", np.full((h, w), 4.0), from_origin(minx - res, maxy + res, res, res), "EPSG:4326")
    out = zonal(kel, tmp_path / "pop.tif", column="penduduk")
    # each kelurahan gets 4 x its area in pixels: check against the pixel area at its latitude
    pixel_km2 = (res * 111.32) * (res * 111.32 * np.cos(np.radians(-6.13)))
    expected = 4 * kel["luas_km2"] / pixel_km2
    assert np.allclose(out["penduduk_sum"], expected, rtol=0.02)


def test_cli_raster_and_zonal(tmp_path, serang_path):
    res = CliRunner().invoke(cli, ["build", "-o", str(tmp_path / "atlas"), "--boundaries", str(serang_path)])
    assert res.exit_code == 0, res.output
    gpkg = tmp_path / "atlas" / "serang_gis.gpkg"
    res = CliRunner().invoke(cli, ["raster", str(gpkg), "--indicator", "luas_km2", "-o", str(tmp_path / "s.tif")])
    assert res.exit_code == 0, res.output
    assert "(EPSG:32748, WGS 84 / UTM zone 48S, 100 m pixels)" in res.output  # the output line names the grid's CRS
    kel = gpd.read_file(gpkg, layer="kelurahan").set_index("kode_kel")
    with rasterio.open(tmp_path / "s.tif") as src:
        vals = src.read(1)
        got = vals[vals != src.nodata]
        assert got.min() == pytest.approx(kel["luas_km2"].min(), rel=1e-5) or got.min() >= kel["luas_km2"].min() - 1e-5
        assert got.max() == pytest.approx(kel["luas_km2"].max(), rel=1e-5)
    # LOW (qgis11 M4): the classes of the area say their unit
    labels = [line for line in (tmp_path / "s.qml").read_text().splitlines() if "paletteEntry" in line]
    assert labels and all("km²" in x for x in labels if "Tidak ada data" not in x)
    res = CliRunner().invoke(cli, ["raster", str(gpkg), "--indicator", "luas_km2", "-o", str(tmp_path / "t.tif"),
                                   "--crs", "EPSG:23833", "--resolution", "50"])  # --crs still chooses the grid
    assert res.exit_code == 0, res.output
    assert "(EPSG:23833, DGN95 / Indonesia TM-3 zone 48.1, 50 m pixels)" in res.output
    with rasterio.open(tmp_path / "t.tif") as src:
        assert src.crs.to_epsg() == 23833 and src.res == (50.0, 50.0)
    res = CliRunner().invoke(cli, ["zonal", str(gpkg), "--raster", str(tmp_path / "s.tif"), "--stat", "mean",
                                   "--column", "luas", "-o", str(tmp_path / "z.csv")])
    assert res.exit_code == 0, res.output
    z = pd.read_csv(tmp_path / "z.csv", dtype={"kode_kel": str}, encoding="utf-8-sig").set_index("kode_kel")
    assert z.at["36.73.02.1011", "luas_mean"] == pytest.approx(kel.at["36.73.02.1011", "luas_km2"], rel=0.02)  # Margaluyu


def test_cli_raster_refuses_a_count(tmp_path, serang_path):
    """GIS walk qgis11 M4: a count burnt into pixels is a choropleth of raw counts (the README: never); refused with what
    to do instead, nothing written, no traceback."""
    res = CliRunner().invoke(cli, ["build", "-o", str(tmp_path / "atlas"), "--boundaries", str(serang_path)])
    assert res.exit_code == 0, res.output
    gpkg = tmp_path / "atlas" / "serang_gis.gpkg"
    for indicator in ("stunting_dilaporkan", "balita_stunting"):
        res = CliRunner().invoke(cli, ["raster", str(gpkg), "--indicator", indicator, "-o", str(tmp_path / "c.tif")])
        if indicator == "balita_stunting" and "no column" in res.output:
            continue  # the default atlas's kelurahan hold no such count
        assert res.exit_code == 1, res.output
        assert f"{indicator} is a count (balita)" in res.output and "proportional circles" in res.output
        assert "hint:" in res.output and "rate" in res.output and "Traceback" not in res.output
        assert not (tmp_path / "c.tif").exists() and not (tmp_path / "c.qml").exists()
    # walk recheck11 L7: the hint led to `--indicator prevalensi`, which this atlas lacks ("the layer has no column")
    res = CliRunner().invoke(cli, ["raster", str(gpkg), "--indicator", "stunting_dilaporkan", "-o", str(tmp_path / "c.tif")])
    assert "--indicator prevalensi" not in res.output and "this layer has no rate" in res.output
    res = CliRunner().invoke(cli, ["raster", str(gpkg), "--indicator", "prevalensi", "-o", str(tmp_path / "c.tif")])
    assert res.exit_code == 1 and str(gpkg) in res.output and "has no column 'prevalensi'" in res.output
    assert "its other numeric columns: luas_km2" in res.output and "kelas_peta" not in res.output
    assert "Traceback" not in res.output and not (tmp_path / "c.tif").exists()
    res = CliRunner().invoke(cli, ["raster", str(gpkg), "--indicator", "luas_km2", "-o", str(tmp_path / "a.tif")])
    assert res.exit_code == 0 and (tmp_path / "a.tif").stat().st_size > 0, res.output  # the column the hint names works


def test_cli_raster_names_the_rates_a_layer_has_when_the_column_is_missing(tmp_path, joined_gpkg):
    res = CliRunner().invoke(cli, ["raster", str(joined_gpkg), "--indicator", "skor_tidak_ada", "-o", str(tmp_path / "x.tif")])
    assert res.exit_code == 1 and "has no column 'skor_tidak_ada'" in res.output
    assert "hint: rasterise one of this layer's rates: --indicator prevalensi_stunting" in res.output


def test_cli_raster_tags_the_period_and_source(tmp_path, joined_gpkg):
    """The GeoTIFF says of which period and from which file its values are (GIS walk qgis11 M4), as gdalinfo reads it."""
    res = CliRunner().invoke(cli, ["raster", str(joined_gpkg), "--indicator", "prevalensi", "-o", str(tmp_path / "p.tif")])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["raster", str(joined_gpkg), "--indicator", "balita_diukur", "-o", str(tmp_path / "d.tif")])
    assert res.exit_code == 1 and "hint: rasterise a rate of this layer instead: --indicator prevalensi_stunting" in res.output
    with rasterio.open(tmp_path / "p.tif") as src:  # GDAL's metadata of the file, as gdalinfo lists it
        tags = src.tags()
    kel = gpd.read_file(joined_gpkg)
    assert tags["indicator"] == "prevalensi_stunting" and tags["period"] == "2024", tags
    assert tags["data_source"] == ", ".join(sorted(set(kel["sumber_gizi"].dropna()))) and tags["data_source"].startswith("s.xlsx"), tags


@pytest.fixture(scope="module")
def planned(serang_path):
    """67 kelurahan: one with too few measured (5), every 10th from the 2nd with 30 (hati-hati), two without data."""
    from serang_gis.plan.layers import indicator_plan

    k = read_kelurahan(serang_path).kelurahan
    n = len(k)
    k["balita_diukur"] = np.where(np.arange(n) % 10 == 1, 30, 200).astype(float)
    k.loc[2, "balita_diukur"] = 5
    k["balita_stunting"] = (np.arange(n) % 7 + 1) * 3.0
    k.loc[[3, 4], ["balita_diukur", "balita_stunting"]] = np.nan
    k["prevalensi_stunting"] = 100 * k["balita_stunting"] / k["balita_diukur"]
    return indicator_plan(k, "prevalensi")


def test_class_band_holds_no_data_and_the_caveat_hatch(planned, tmp_path):
    from serang_gis.render.raster import MARK_CLASS, NO_DATA_CLASS

    p = planned
    assert list(p.main.marks[1:4]) == ["caution", "few", None] and list(p.main.index[3:5]) == [-1, -1]
    path = rasterize(p.units.kelurahan, p.column, tmp_path / "r.tif", layer=p.main, resolution=50)
    kel = p.units.kelurahan.to_crs(32748)
    with rasterio.open(path) as src:
        band, transform = src.read(2), src.transform
    from rasterio.features import geometry_mask

    def inside(i):
        return band[~geometry_mask([kel.geometry.iloc[i].buffer(-100)], band.shape, transform)]

    assert set(np.unique(inside(3))) == {NO_DATA_CLASS}  # no data: an entry of its own, not transparent
    assert set(np.unique(inside(2))) == {0}  # too few measured
    hatched = inside(1)  # hati-hati: its class, striped with the hatch value
    assert set(np.unique(hatched)) == {p.main.index[1] + 1, MARK_CLASS["caution"]}
    assert 0.15 < (hatched == MARK_CLASS["caution"]).mean() < 0.35  # one diagonal in four
    assert set(np.unique(inside(0))) == {p.main.index[0] + 1}


def test_few_data_and_no_data_are_told_apart():
    from serang_gis.core.text import NO_DATA_COLOR
    from serang_gis.plan.layers import FEW_COLOR

    def lum(h):
        c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    a, b = sorted((lum(FEW_COLOR), lum(NO_DATA_COLOR)))
    assert (b + 0.05) / (a + 0.05) >= 2.0  # #f0f0f0 beside #d9d9d9 was 1.2


@pytest.mark.qgis
def test_qgis_legend_of_the_geotiff_is_the_html_legend(planned, tmp_path):
    import json
    import os
    import subprocess
    import textwrap

    from tests.conftest import QGIS_PYTHON

    p = planned
    path = rasterize(p.units.kelurahan, p.column, tmp_path / "r.tif", layer=p.main, resolution=100)
    script = tmp_path / "q.py"
    script.write_text(textwrap.dedent("""
        import json, os, sys
        from qgis.core import QgsApplication, QgsRasterLayer
        app = QgsApplication([], False); app.initQgis()
        r = QgsRasterLayer(sys.argv[1], "r")
        ren = r.renderer()
        print(json.dumps({"valid": r.isValid(), "type": ren.type(),
                          "classes": [[c.value, c.label, c.color.name()] for c in ren.classes()],
                          "legend": [[lab, col.name()] for lab, col in ren.legendSymbologyItems()]}))
        sys.stdout.flush(); os._exit(0)
    """))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run([QGIS_PYTHON, str(script), str(path)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["valid"] and got["type"] == "paletted"
    html = [[label, color] for _, label, color in p.main.legend()]  # the HTML legend: classes, too few, no data, hati-hati
    assert any("Tidak ada data" == lab for lab, _ in html) and any(lab.startswith("Hati-hati") for lab, _ in html)
    assert got["legend"] == html


def test_raster_grid_is_in_the_layers_own_utm_zone(kel, tmp_path):
    """Kota Serang moved to 124.5 E, 0.8 N (North Sulawesi): the grid is in UTM 51N as the QGIS project, not 48S."""
    moved = kel.copy()
    c = moved.to_crs(4326).union_all().centroid
    moved["geometry"] = moved.to_crs(4326).geometry.translate(124.5 - c.x, 0.8 - c.y)
    moved = moved.set_crs(4326, allow_override=True)
    with rasterio.open(rasterize(moved, "nilai", tmp_path / "n.tif", resolution=100)) as src:
        assert src.crs.to_epsg() == 32651
        pts = moved.to_crs(32651).representative_point()
        got = [v[0] for v in src.sample([(p.x, p.y) for p in pts])]
    inside = [i for i in range(len(moved)) if i != 5 and moved.to_crs(32651).geometry.iloc[i].buffer(-120).contains(pts.iloc[i])]
    assert len(inside) > 30 and all(got[i] == moved["nilai"].iloc[i] for i in inside)
    with rasterio.open(rasterize(moved, "nilai", tmp_path / "m.tif", crs="EPSG:32748")) as src:  # --crs still wins
        assert src.crs.to_epsg() == 32748



def test_cli_raster_says_what_a_column_is_when_it_is_no_rate(tmp_path, joined_gpkg):
    """Walk adv12 M1: text, a yes/no flag, a category and unknown whole numbers were all refused as "a count", with a
    hint to divide by the area."""
    import pyogrio

    kel = pyogrio.read_dataframe(joined_gpkg, layer="kelurahan")
    kel["peringkat_saya"] = range(1, len(kel) + 1)  # whole numbers the tool does not know
    kel["ya_tidak"] = [k % 2 == 0 for k in range(len(kel))]
    pyogrio.write_dataframe(kel, tmp_path / "more.gpkg", layer="kelurahan")
    for column, said in (("kelurahan", "is text, not numbers"), ("ya_tidak", "is a yes/no flag"),
                         ("status_odf" if "status_odf" in kel.columns else "keandalan_gizi", "is a category"),
                         ("peringkat_saya", "is whole numbers serang-gis does not know")):
        res = CliRunner().invoke(cli, ["raster", str(tmp_path / "more.gpkg"), "--indicator", column, "-o", str(tmp_path / "x.tif")])
        assert res.exit_code == 1 and f"{column} {said}" in res.output, (column, res.output)
        assert "is a count" not in res.output and "per km²" not in res.output
        assert "--indicator prevalensi_stunting" in res.output and not (tmp_path / "x.tif").exists()


def test_cli_raster_refuses_a_hand_edited_layer_with_an_impossible_rate_or_a_repeated_code(tmp_path, joined_gpkg):
    """Walk adv12 H1: a layer edited in QGIS (a prevalence of -7 %, two features with one code) was burnt in as it was,
    the -7 % kelurahan painted in the lowest class."""
    import pyogrio

    kel = pyogrio.read_dataframe(joined_gpkg, layer="kelurahan")
    edited = kel.copy()
    edited.loc[1, "prevalensi_stunting"] = -7.0
    pyogrio.write_dataframe(edited, tmp_path / "minus.gpkg", layer="kelurahan")
    res = CliRunner().invoke(cli, ["raster", str(tmp_path / "minus.gpkg"), "--indicator", "prevalensi", "-o", str(tmp_path / "m.tif")])
    assert res.exit_code == 1 and "outside 0-100" in res.output and str(kel.loc[1, "kode_kel"]) in res.output, res.output
    assert not (tmp_path / "m.tif").exists()
    twice = kel.copy()
    twice.loc[3, "kode_kel"] = twice.loc[4, "kode_kel"]
    pyogrio.write_dataframe(twice, tmp_path / "twice.gpkg", layer="kelurahan")
    res = CliRunner().invoke(cli, ["raster", str(tmp_path / "twice.gpkg"), "--indicator", "prevalensi", "-o", str(tmp_path / "t.tif")])
    assert res.exit_code == 1 and f"code {kel.loc[4, 'kode_kel']} is on 2 features (features 4, 5)" in res.output, res.output
    assert not (tmp_path / "t.tif").exists()
    # every command that reads a joined layer refuses both the same way (join.tables.read_joined), not only raster
    # (walk adv13 HIGH-1: map, export, rank and konvergensi took 150 % as it was)
    (tmp_path / "aksi2.csv").write_text("No;OPD;Sub Kegiatan;Jenis Intervensi;Lokasi;Pagu;Sumber Dana;Tahun\n"
                                        "1;Dinas Kesehatan;PMT balita;spesifik;Kel. Cipare (Kec. Serang);10 juta;APBD;2023\n", encoding="utf-8")
    over = kel.copy()
    over.loc[1, "prevalensi_stunting"] = 150.0
    pyogrio.write_dataframe(over, tmp_path / "over.gpkg", layer="kelurahan")
    commands = ((["map", "--indicator", "prevalensi", "-o"], "m.html"), (["export", "-o"], "exported"), (["rank", "-o"], "r.gpkg"),
                (["konvergensi", "--kegiatan", str(tmp_path / "aksi2.csv"), "--lokus", "2022", "-o"], "konv"))
    for layer_name, said in (("twice.gpkg", f"code {kel.loc[4, 'kode_kel']} is on 2 features (features 4, 5)"),
                             ("over.gpkg", f"prevalensi_stunting of {kel.loc[1, 'kode_kel']} {kel.loc[1, 'kelurahan']} is 150 %, outside 0-100")):
        for args, out in commands:
            res = CliRunner().invoke(cli, [args[0], str(tmp_path / layer_name), *args[1:], str(tmp_path / out)])
            assert res.exit_code == 1 and said in res.output, (layer_name, args, res.output)
            assert not (tmp_path / out).exists()


def test_cli_zonal_of_a_serang_gis_raster_takes_its_mean_and_says_what_it_read(tmp_path, joined_gpkg):
    """Walk adv12 M2: the tool's own prevalence GeoTIFF was summed by default ("total 334,443.1" of percentages), its
    class band ignored without a word, a column of the same name replaced without a word. M6: an unknown --crs."""
    res = CliRunner().invoke(cli, ["raster", str(joined_gpkg), "--indicator", "prevalensi", "-o", str(tmp_path / "p.tif")])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["zonal", str(joined_gpkg), "--raster", str(tmp_path / "p.tif"), "-o", str(tmp_path / "z.gpkg")])
    assert res.exit_code == 0, res.output
    assert "p_mean:" in res.output and "total" not in res.output and "band 2 (the map's classes) is not" in res.output
    z = gpd.read_file(tmp_path / "z.gpkg", layer="kelurahan")
    assert "p_mean" in z.columns and "p_sum" not in z.columns and z["p_mean"].max() <= 100
    res = CliRunner().invoke(cli, ["zonal", str(joined_gpkg), "--raster", str(tmp_path / "p.tif"), "--stat", "sum", "-o", str(tmp_path / "s.gpkg")])
    assert res.exit_code == 1 and "means nothing" in res.output and "--stat mean" in res.output and not (tmp_path / "s.gpkg").exists()
    res = CliRunner().invoke(cli, ["zonal", str(tmp_path / "z.gpkg"), "--raster", str(tmp_path / "p.tif"), "-o", str(tmp_path / "z2.gpkg")])
    assert res.exit_code == 0 and "replaced the layer's own column(s) p_mean" in res.output, res.output
    res = CliRunner().invoke(cli, ["raster", str(joined_gpkg), "--indicator", "prevalensi", "--crs", "EPSG:9999999", "-o", str(tmp_path / "c.tif")])
    assert res.exit_code == 2 and "'EPSG:9999999' is not a CRS PROJ knows" in res.output and "unexpected" not in res.output


def test_cli_raster_refuses_pixels_that_lose_kelurahan_and_a_nodata_the_data_could_take(tmp_path, joined_gpkg):
    """Walk adv12 L5: `--resolution 100000` wrote a 2 x 2 grid (exit 0) where every kelurahan's value was lost, and
    `--nodata 10` (a prevalence any kelurahan may have) was taken without a word."""
    for res_m, lost in (("100000", "get no pixel"), ("2000", "get no pixel")):
        res = CliRunner().invoke(cli, ["raster", str(joined_gpkg), "--indicator", "prevalensi", "--resolution", res_m, "-o", str(tmp_path / "c.tif")])
        assert res.exit_code == 1 and lost in res.output and "or finer" in res.output, res.output
        n_lost, n_all = (int(x) for x in re.search(r"(\d+) of (\d+) kelurahan", res.output).groups())
        assert 0 < n_lost <= n_all and not (tmp_path / "c.tif").exists()
    suggested = re.search(r"--resolution (\d+) or finer", res.output).group(1)
    res = CliRunner().invoke(cli, ["raster", str(joined_gpkg), "--indicator", "prevalensi", "--resolution", suggested, "-o", str(tmp_path / "s.tif")])
    assert res.exit_code == 0, res.output  # the hint's resolution works
    with rasterio.open(tmp_path / "s.tif") as src:
        band = src.read(1)
        burnt = np.unique(band[band != src.nodata]).astype(float)
    wanted = pd.to_numeric(read_joined(joined_gpkg)["prevalensi_stunting"]).dropna().unique()
    assert all(np.abs(burnt - v).min() < 1e-4 for v in wanted)  # every kelurahan's value is in the grid
    res = CliRunner().invoke(cli, ["raster", str(joined_gpkg), "--indicator", "prevalensi", "--nodata", "5", "-o", str(tmp_path / "n.tif")])
    assert res.exit_code == 1 and "--nodata 5 is a possible value of prevalensi_stunting" in res.output, res.output


def test_a_nodata_equal_to_a_class_code_is_refused(tmp_path, joined_gpkg):
    from serang_gis.plan.layers import indicator_plan

    kel = read_joined(joined_gpkg)
    kel["skor_prioritas"] = np.linspace(0.1, 0.9, len(kel))  # a rate without a unit: its classes are in band 2
    layer = indicator_plan(kel, "skor_prioritas").main
    with pytest.raises(InputError, match="--nodata 1 is also a class code of band 2"):
        rasterize(kel, "skor_prioritas", tmp_path / "k.tif", nodata=1, layer=layer)
    assert not (tmp_path / "k.tif").exists()


def test_cli_zonal_of_a_raster_outside_the_kelurahan_is_an_error_and_writes_nothing(tmp_path, joined_gpkg):
    """Walk adv12 L6: a raster nowhere near Serang gave exit 0 and a layer whose new column was empty everywhere."""
    _write(tmp_path / "jauh.tif", np.full((20, 20), 4.0), from_origin(120.0, 1.0, 0.01, 0.01), "EPSG:4326")  # Sulawesi
    res = CliRunner().invoke(cli, ["zonal", str(joined_gpkg), "--raster", str(tmp_path / "jauh.tif"), "-o", str(tmp_path / "z.gpkg")])
    assert res.exit_code == 1 and "no pixel with a value over any kelurahan" in res.output and "nothing was written" in res.output, res.output
    assert "gdalinfo" in res.output and not (tmp_path / "z.gpkg").exists()
