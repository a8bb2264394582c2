import geopandas as gpd
import pytest
import shapely

from serang_gis import ColumnMap, InputError, SchemaError, read_kelurahan
from serang_gis.read.boundaries import tidy_name

from .conftest import BOUNDARIES


def test_public_file_becomes_canonical(serang_path):
    b = read_kelurahan(serang_path)
    kel = b.kelurahan
    assert len(kel) == 67
    assert kel.crs.to_epsg() == 4326
    assert b.report.schema.startswith("wilayah_boundaries")
    # kecamatan names come from the kecamatan file beside it, by code prefix
    counts = kel.groupby("kecamatan").size().to_dict()
    assert counts == {"Serang": 12, "Kasemen": 10, "Walantaka": 14, "Curug": 10, "Cipocok Jaya": 8, "Taktakan": 13}
    assert set(kel["kabkota"]) == {"Kota Serang"}
    row = kel.set_index("kode_kel").loc["36.73.04.1007"]
    assert (row["kelurahan"], row["kecamatan"], row["kode_kec"], row["tipe"]) == ("Sukawana", "Curug", "36.73.04", "kelurahan")
    assert 0.5 < row["luas_km2"] < 10


def test_duplicate_names_are_reported(serang_path):
    b = read_kelurahan(serang_path)
    dups = b.report.duplicate_names(b.kelurahan)
    assert list(dups) == ["Sukawana"]
    assert dups["Sukawana"] == ["36.73.01.1008 (Serang)", "36.73.04.1007 (Curug)"]


def test_big_zipped_shapefile_in_utm_with_upper_case_names(big_zip, serang_path):
    b = read_kelurahan(big_zip)
    kel = b.kelurahan
    assert b.report.schema == "BIG Batas Desa/Kelurahan"
    assert "32748" in b.report.source_crs
    assert kel.crs.to_epsg() == 4326
    assert len(kel) == 67
    ref = read_kelurahan(serang_path).kelurahan.set_index("kode_kel")
    got = kel.set_index("kode_kel")
    assert list(got.index) == list(ref.index)  # numeric KDEPUM read back as dotted text codes
    assert got.loc["36.73.02.1002", "kelurahan"] == "Mesjid Priyayi"  # MESJID PRIYAYI -> title case
    assert got.loc["36.73.05.1001", "kecamatan"] == "Cipocok Jaya"
    assert set(got["kabkota"]) == {"Kota Serang"}
    assert b.report.name_sources["kecamatan"] == "the boundary file"
    # reprojection round trip stays within a metre
    shift = got.to_crs(32748).centroid.distance(ref.to_crs(32748).centroid)
    assert shift.max() < 1.0


def test_geopackage_with_two_layers_needs_a_layer(tmp_path, serang_path):
    gpkg = tmp_path / "two.gpkg"
    kel = gpd.read_file(serang_path)
    kel.to_file(gpkg, layer="desa", driver="GPKG")
    kel.head(3).to_file(gpkg, layer="other", driver="GPKG")
    with pytest.raises(InputError, match="(?s)has 2 layers.*--layer"):
        read_kelurahan(gpkg)
    assert len(read_kelurahan(gpkg, layer="desa").kelurahan) == 67


def test_flatgeobuf_and_given_columns(tmp_path, serang_path):
    kel = gpd.read_file(serang_path).rename(columns={"kode": "KODE_DESA", "nama": "NAMA_DESA"})
    path = tmp_path / "desa.fgb"
    kel.to_file(path, driver="FlatGeobuf")
    with pytest.raises(SchemaError, match="--columns code="):
        read_kelurahan(path)
    b = read_kelurahan(path, columns=ColumnMap.parse("code=KODE_DESA,name=NAMA_DESA"), name_sources=[BOUNDARIES / "banten_kecamatan.geojson"])
    assert len(b.kelurahan) == 67 and b.kelurahan["kecamatan"].notna().all()


def test_column_map_parse_errors():
    with pytest.raises(SchemaError, match="KEY=COLUMN"):
        ColumnMap.parse("code:KODE")
    with pytest.raises(SchemaError, match="at least code"):
        ColumnMap.parse("code=KODE")


def test_no_crs_is_an_error_with_the_fix(tmp_path, serang_path):
    kel = gpd.read_file(serang_path).to_crs(32748)
    path = tmp_path / "nocrs.shp"
    kel.to_file(path)
    path.with_suffix(".prj").unlink()
    with pytest.raises(InputError, match="no coordinate reference system") as err:
        read_kelurahan(path)
    assert "--crs EPSG:32748" in str(err.value) and ".prj file beside the .shp" in err.value.hint
    assert len(read_kelurahan(path, crs="EPSG:32748").kelurahan) == 67
    gpkg = tmp_path / "nocrs.gpkg"  # a GeoPackage has no .prj: the hint says where its CRS is set
    gpd.GeoDataFrame(kel.drop(columns="geometry"), geometry=list(kel.geometry.array.to_numpy())).to_file(gpkg, driver="GPKG")
    with pytest.raises(InputError, match="no coordinate reference system") as err:
        read_kelurahan(gpkg)
    assert ".prj" not in err.value.hint and "Assigned CRS" in err.value.hint


def test_bad_code_names_feature_and_column(tmp_path, serang_path):
    kel = gpd.read_file(serang_path)
    kel.loc[4, "kode"] = "36.73.1005"
    path = tmp_path / "bad.geojson"
    kel.to_file(path)
    with pytest.raises(InputError, match=r"bad.geojson:feature 5:kode: '36.73.1005' is not a kelurahan code"):
        read_kelurahan(path)


def test_no_polygons(tmp_path, serang_path):
    pts = gpd.read_file(serang_path)
    pts["geometry"] = pts.to_crs(32748).centroid.to_crs(4326)
    path = tmp_path / "points.geojson"
    pts.to_file(path)
    with pytest.raises(InputError, match="no polygon features"):
        read_kelurahan(path)


def test_region_with_no_kelurahan(serang_path):
    with pytest.raises(InputError, match=r"no kelurahan of region 36.01 \(the file holds 36.73\)"):
        read_kelurahan(serang_path, region="36.01")


def test_invalid_geometry_is_repaired_and_counted_and_non_polygons_reported(tmp_path, serang_path):
    kel = gpd.read_file(serang_path)
    x0, y0, x1, y1 = kel.geometry.iloc[0].bounds
    kel.loc[0, "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])  # bow-tie
    kel.loc[1, "geometry"] = shapely.Point(x0, y0)
    path = tmp_path / "broken.gpkg"
    kel.to_file(path, driver="GPKG")
    b = read_kelurahan(path)
    assert b.report.repaired == 1
    assert b.report.dropped == [(2, "a Point, not a polygon")]
    assert len(b.kelurahan) == 66 and b.kelurahan.is_valid.all()


def test_parts_sharing_a_code_are_merged(tmp_path, serang_path):
    kel = gpd.read_file(serang_path)
    extra = kel.iloc[[0]].copy()
    extra["geometry"] = extra.geometry.translate(0.3, 0)
    path = tmp_path / "parts.geojson"
    gpd.GeoDataFrame(gpd.pd.concat([kel, extra]), crs=kel.crs).to_file(path)
    b = read_kelurahan(path)
    assert b.report.merged == ["36.73.01.1001"]
    assert len(b.kelurahan) == 67
    assert b.kelurahan.geometry.iloc[0].geom_type == "MultiPolygon"


@pytest.mark.shared_data
def test_geoparquet_national_file_by_region():
    b = read_kelurahan(BOUNDARIES / "indonesia_kelurahan_1m.parquet", region="36.73")
    assert len(b.kelurahan) == 67
    assert b.report.filtered_out == 83190 - 67
    assert b.kelurahan["kecamatan"].notna().all()


def test_dissolve_has_no_slivers(serang_path):
    b = read_kelurahan(serang_path)
    kec, kota = b.kecamatan(), b.kota()
    assert len(kec) == 6 and len(kota) == 1
    assert list(kec["jumlah_kelurahan"]) == [12, 10, 14, 10, 8, 13]
    # the source leaves gaps between neighbours: the plain union has holes, ours none
    plain = shapely.union_all(b.kelurahan.geometry.values)
    assert len(plain.interiors) > 50
    for geom in list(kec.geometry) + list(kota.geometry):
        assert geom.geom_type == "Polygon" and len(geom.interiors) == 0
    # closing the gaps adds well under 1 % to the area of the plain union
    plain_km2 = gpd.GeoSeries([plain], crs=4326).to_crs(32748).area.iloc[0] / 1e6
    assert plain_km2 < kota["luas_km2"].iloc[0] < plain_km2 * 1.01


@pytest.mark.parametrize("raw, tidy", [("MESJID PRIYAYI", "Mesjid Priyayi"), ("SUKAJAYA II", "Sukajaya II"),
                                       ("  Kota  Baru ", "Kota Baru"), ("TANJUNG-ANOM", "Tanjung-Anom")])
def test_tidy_name(raw, tidy):
    assert tidy_name(raw) == tidy
