"""Rasters: burnt values read back at known points; zonal sums against hand-computable rasters."""

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
    res = CliRunner().invoke(cli, ["raster", str(gpkg), "--indicator", "stunting_dilaporkan", "-o", str(tmp_path / "s.tif")])
    assert res.exit_code == 0, res.output
    with rasterio.open(tmp_path / "s.tif") as src:
        vals = src.read(1)
        assert set(np.unique(vals[vals != src.nodata]).astype(int)) <= set(range(1, 60))
    res = CliRunner().invoke(cli, ["zonal", str(gpkg), "--raster", str(tmp_path / "s.tif"), "--stat", "mean",
                                   "--column", "lapor", "-o", str(tmp_path / "z.csv")])
    assert res.exit_code == 0, res.output
    z = pd.read_csv(tmp_path / "z.csv", dtype={"kode_kel": str}, encoding="utf-8-sig").set_index("kode_kel")
    assert z.at["36.73.02.1011", "lapor_mean"] == pytest.approx(51, abs=0.5)  # Margaluyu: 51 reported
