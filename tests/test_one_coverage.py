"""Every command that writes polygons writes the maps' clean coverage (issue 21): no overlaps, no gaps the maps lack,
each kelurahan the very polygon the web map draws, even when the joined layer it reads carries the raw boundaries."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
import shapely

from . import kegiatan_fixtures as K
from .conftest import run_cli


@pytest.fixture(scope="module")
def web(serang_path):
    """The web map's polygons: the plan's coverage of the raw boundary file."""
    from serang_gis.plan.layers import coverage
    from serang_gis.read.boundaries import read_kelurahan

    raw = read_kelurahan(serang_path).kelurahan
    assert not shapely.coverage_is_valid(raw.geometry.values)  # the raw file overlaps: the check below can fail
    return raw.set_index("kode_kel").geometry, coverage(raw).set_index("kode_kel").geometry


@pytest.fixture(scope="module")
def raw_joined(tmp_path_factory, joined_gpkg, web):
    """The joined layer with the raw, overlapping boundaries put back (as an older join, or another tool, wrote it)."""
    raw, _ = web
    tmp = tmp_path_factory.mktemp("rawjoined")
    kel = pyogrio.read_dataframe(joined_gpkg)
    kel = gpd.GeoDataFrame(kel.drop(columns="geometry"), geometry=raw.loc[kel["kode_kel"]].values, crs=4326)
    kel.to_file(tmp / "raw.gpkg", engine="pyogrio")
    return tmp / "raw.gpkg"


def _same_as_web(frame, web_geoms):
    geoms = frame.geometry.values
    assert shapely.coverage_is_valid(geoms) and shapely.is_valid(geoms).all()
    want = web_geoms.loc[frame["kode_kel"]].values
    assert shapely.equals(geoms, want).all(), frame["kode_kel"][~shapely.equals(geoms, want)].tolist()


def test_join_writes_the_web_maps_coverage(joined_gpkg, web):
    kel = pyogrio.read_dataframe(joined_gpkg)
    assert len(kel) == 67
    _same_as_web(kel, web[1])


def test_geojson_join_too(tmp_path, serang_path, web):
    from . import fixtures as F

    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False)
    res = run_cli("join", "--boundaries", serang_path, "--data", tmp_path / "s.xlsx", "--period", "2024", "-o", tmp_path / "j.geojson")
    assert res.exit_code == 0, res.output
    _same_as_web(pyogrio.read_dataframe(tmp_path / "j.geojson"), web[1])


def test_konvergensi_writes_the_coverage_from_a_raw_layer(tmp_path, raw_joined, web):
    K.write_xlsx(tmp_path / "aksi2.xlsx", K.make_activities())
    res = run_cli("konvergensi", raw_joined, "--kegiatan", tmp_path / "aksi2.xlsx", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    _same_as_web(pyogrio.read_dataframe(tmp_path / "out" / "konvergensi.gpkg", layer="konvergensi"), web[1])


def test_export_and_rank_write_the_coverage_from_a_raw_layer(tmp_path, raw_joined, web):
    res = run_cli("export", raw_joined, "-o", tmp_path / "x")
    assert res.exit_code == 0, res.output
    gpkg = tmp_path / "x" / "serang_gis.gpkg"
    _same_as_web(pyogrio.read_dataframe(gpkg, layer="kelurahan"), web[1])
    _same_as_web(pyogrio.read_dataframe(tmp_path / "x" / "serang_gis_kelurahan.geojson"), web[1])
    kel = pyogrio.read_dataframe(gpkg, layer="kelurahan")
    kec = pyogrio.read_dataframe(gpkg, layer="kecamatan")
    assert shapely.coverage_is_valid(kec.geometry.values)
    for code, grp in kel.groupby("kode_kec"):  # kecamatan dissolved from the same coverage: edges coincide
        assert shapely.equals(kec.set_index("kode_kec").geometry[code], shapely.coverage_union_all(grp.geometry.values))
    res = run_cli("rank", raw_joined, "--draws", "50", "-o", tmp_path / "p.gpkg")
    assert res.exit_code == 0, res.output
    _same_as_web(pyogrio.read_dataframe(tmp_path / "p.gpkg"), web[1])


def _cleaned_again(frame, tmp_path):
    """The coverage written to a GeoPackage, read back and cleaned again (as export/rank of a build GeoPackage do)."""
    from serang_gis.plan.layers import coverage

    frame.to_file(tmp_path / "again.gpkg", engine="pyogrio")
    back = pyogrio.read_dataframe(tmp_path / "again.gpkg")
    assert "_coverage" not in back.attrs
    return coverage(back)


def test_cleaning_is_idempotent(tmp_path, web):
    """Issue 21/25: cleaning the maps' coverage again moves nothing (it moved a 28.8 m2 sliver between Sukawana and
    Panancangan: the first pass is now cleaned again until a pass keeps it)."""
    raw, cov = web
    frame = gpd.GeoDataFrame({"kode_kel": cov.index}, geometry=cov.values, crs=4326)
    again = _cleaned_again(frame, tmp_path)
    assert shapely.equals_exact(shapely.normalize(again.geometry.values), shapely.normalize(cov.values), tolerance=0).all()


def test_export_of_a_build_geopackage_is_the_build_coverage_exactly(tmp_path, joined_gpkg, web):
    res = run_cli("export", joined_gpkg, "-o", tmp_path / "x")
    assert res.exit_code == 0, res.output
    kel = pyogrio.read_dataframe(tmp_path / "x" / "serang_gis.gpkg", layer="kelurahan")
    want = web[1].loc[kel["kode_kel"]].values
    assert shapely.equals_exact(shapely.normalize(kel.geometry.values), shapely.normalize(want), tolerance=0).all()
