"""Issue 25, the adversary's walk: a polygon part far from its city, an open gap under --strict, the kelurahan a gap
nearly rings named first, and a duplicated feature named by its feature numbers.

The files are made here as the adversary made them (/work/ut/adv25/mk.py): the shared Kota Serang file with one
feature changed; the true figures are measured with shapely in UTM 48S."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import affinity

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "boundaries" / "kota_serang_kelurahan.geojson"
KALIGANDU, CIMUNCANG, KOTA_BARU = "36.73.01.1010", "36.73.01.1006", "36.73.01.1004"
FAR = shapely.box(107.5, -7.02, 107.5005, -7.0)  # about 150 km south-east of Kota Serang, 12 ha


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    if not SHARED.exists():
        pytest.skip(f"the shared Kota Serang file is absent ({SHARED})")
    base = gpd.read_file(SHARED)
    folder = tmp_path_factory.mktemp("adv25")
    out = {}

    def save(frame, name):
        out[name] = folder / f"{name}.geojson"
        frame.to_file(out[name], driver="GeoJSON")

    g = base.copy()
    k = int(g.index[g.kode == KALIGANDU][0])
    g.loc[k, "geometry"] = shapely.MultiPolygon([g.geometry[k], FAR])
    save(g, "far")
    m = base.to_crs(32748)  # Cimuncang shrunk to 80 % round its centre: a gap nearly rings it
    c = int(m.index[m.kode == CIMUNCANG][0])
    m.loc[c, "geometry"] = affinity.scale(m.geometry[c], 0.8, 0.8)
    save(m.to_crs(4326), "shrunk")
    d = int(base.index[base.kode == KOTA_BARU][0])
    save(pd.concat([base, base.iloc[[d]]], ignore_index=True), "dup")  # Kota Baru twice: features 4 and 68
    return out


def test_a_far_part_is_named_with_feature_part_distance_and_place(files):
    from .conftest import run_cli

    res = run_cli("boundaries", "info", files["far"])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if "lies" in x)
    # the true distance: from the far part to the nearest other kelurahan, in UTM 48S
    m = gpd.read_file(files["far"]).to_crs(32748)
    far = shapely.get_parts(m.geometry[m.kode == KALIGANDU].iloc[0])[1]
    others = shapely.union_all([*m.geometry[m.kode != KALIGANDU], shapely.get_parts(m.geometry[m.kode == KALIGANDU].iloc[0])[0]])
    km = far.distance(others) / 1000
    assert 140 < km < 200
    assert f"Kaligandu ({KALIGANDU}) (feature 10): part 2 of 2 ({far.area / 1e4:.1f} ha) lies {km:.1f} km" in line, line
    lon, lat = (float(v) for v in line.split("(at ")[1].split(")")[0].split(", "))
    assert FAR.contains(shapely.Point(lon, lat))  # the place given is inside the far part
    clean = run_cli("boundaries", "info", SHARED)
    assert clean.exit_code == 0 and " lies " not in clean.output


def test_strict_stops_on_a_far_part_and_a_lenient_build_says_it(files, tmp_path):
    from .conftest import run_cli

    info = run_cli("boundaries", "info", files["far"], "--strict")
    assert info.exit_code == 1 and "Kaligandu" in info.output and "Traceback" not in info.output, info.output
    res = run_cli("build", "--boundaries", files["far"], "-o", tmp_path / "strict", "--strict")
    assert res.exit_code == 1 and "part 2 of 2" in res.output, res.output
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").iterdir())
    ok = run_cli("build", "--boundaries", files["far"], "-o", tmp_path / "out", "-q")
    assert ok.exit_code == 0, ok.output
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Kaligandu (36.73.01.1010) (fitur 10): bagian 2 dari 2" in index and "km dari kelurahan lain mana pun" in index


def test_islands_near_each_other_or_within_the_span_are_not_stray():
    from serang_gis.core.geometry import stray_parts

    def sq(x_km, y_km=0.0):  # a 1 km square east of 106E on the equator
        x, y = 106 + x_km / 111.32, y_km / 110.57
        return shapely.box(x, y, x + 1 / 111.32, y + 1 / 110.57)

    islands = gpd.GeoSeries([sq(0), sq(13), sq(26), shapely.MultiPolygon([sq(39), sq(52)])], crs=4326)  # 12 km apart
    assert stray_parts(islands) == []  # each farther than 10 km from the next, but within half the span of the rest
    far = gpd.GeoSeries([*islands[:3], shapely.MultiPolygon([sq(39), sq(52), sq(52, 150)])], crs=4326)
    found = stray_parts(far)
    assert [(s.unit, s.part, s.parts) for s in found] == [(3, 3, 3)]
    assert found[0].distance_m == pytest.approx(149_000, rel=0.01) and found[0].area_m2 == pytest.approx(1e6, rel=0.01)
    assert stray_parts(gpd.GeoSeries([sq(0)], crs=4326)) == []


def test_strict_stops_on_an_open_gap_that_a_lenient_build_draws_as_a_hole(files, tmp_path):
    from .conftest import run_cli

    res = run_cli("build", "--boundaries", files["shrunk"], "-o", tmp_path / "strict", "--strict")
    assert res.exit_code == 1 and "--strict" in res.output and "gaps between kelurahan wider than 30 m" in res.output, res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").iterdir())
    info = run_cli("boundaries", "info", files["shrunk"], "--strict")
    assert info.exit_code == 1 and "Topology Checker" in info.output, info.output
    ok = run_cli("build", "--boundaries", files["shrunk"], "-o", tmp_path / "out", "-q")
    assert ok.exit_code == 0, ok.output


def test_the_kelurahan_a_gap_nearly_rings_is_named_first(files):
    from .conftest import run_cli

    m = gpd.read_file(files["shrunk"]).to_crs(32748)
    cim = m.geometry[m.kode == CIMUNCANG].iloc[0]
    assert not shapely.union_all(m.geometry[m.kode != CIMUNCANG].values).disjoint(cim)  # not enclosed: it still touches
    res = run_cli("boundaries", "info", files["shrunk"])
    line = next(x for x in res.output.splitlines() if "not filled" in x)
    assert f"next to Cimuncang ({CIMUNCANG});" in line, line


def test_a_duplicated_feature_is_named_by_its_feature_numbers(files):
    from .conftest import run_cli

    res = run_cli("boundaries", "info", files["dup"])
    assert res.exit_code == 1, res.output
    assert f"{KOTA_BARU}: 2 features (features 4, 68): features overlap" in res.output, res.output
    assert np.sum([KOTA_BARU in x for x in res.output.splitlines()]) == 1


def test_a_kab_kota_without_a_known_name_is_headed_by_its_code_once(tmp_path):
    """The GIS walk's nit: the build header read "71.10 (71.10)" when the kab/kota name was not known."""
    from .conftest import run_cli

    if not SHARED.exists():
        pytest.skip(f"the shared Kota Serang file is absent ({SHARED})")
    g = gpd.read_file(SHARED)
    g["kode"] = g["kode"].str.replace("36.73.", "99.71.", regex=False)
    path = tmp_path / "lain.geojson"
    g.to_file(path, driver="GeoJSON")
    res = run_cli("build", "--region", "99.71", "--boundaries", path, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    head = res.output.splitlines()[0]
    assert head == "serang-gis build: 99.71", head


@pytest.mark.parametrize("kinds,word", [(("kelurahan",), "Kelurahan"), (("desa",), "Desa"), (("desa", "kelurahan"), "Kelurahan/desa")])
def test_the_boundaries_legend_names_the_units_as_they_are(kinds, word):
    """The GIS walk's nit: 12.05's boundaries legend said "Kelurahan" though its units are desa."""
    from serang_gis.plan.atlas import _boundaries_page
    from serang_gis.plan.layers import units
    from serang_gis.read.inputs import Settings

    g = gpd.read_file(SHARED).rename(columns={"kode": "kode_kel", "nama": "kelurahan"})[["kode_kel", "kelurahan", "geometry"]]
    g["tipe"] = [kinds[i % len(kinds)] for i in range(len(g))]
    page = _boundaries_page(Settings(static=True), units(g))
    assert page.statics[0].layer.no_data_label == word


def test_a_many_region_build_says_each_kab_kotas_findings_in_its_own_atlas(files, tmp_path):
    """A file holding several kab/kota is read (and checked) once: each finding reaches the atlas of the kab/kota it
    names (before, a pre-split kab/kota's atlas said nothing of what reading the file found)."""
    from .conftest import run_cli

    cilegon = SHARED.parent / "banten" / "wilayah_boundaries_kel_36.72.geojson"
    if not cilegon.exists():
        pytest.skip(f"the shared Banten files are absent ({cilegon})")
    both = tmp_path / "dua.geojson"
    pd.concat([gpd.read_file(cilegon), gpd.read_file(files["far"])], ignore_index=True).to_file(both, driver="GeoJSON")
    res = run_cli("build", "--region", "36.72,36.73", "--boundaries", both, "-o", tmp_path / "out", "-q")
    assert res.exit_code == 0, res.output
    serang = (tmp_path / "out" / "36.73" / "index.html").read_text(encoding="utf-8")
    cilegon_index = (tmp_path / "out" / "36.72" / "index.html").read_text(encoding="utf-8")
    assert "Kaligandu (36.73.01.1010) (fitur " in serang and "bagian 2 dari 2" in serang
    assert "Kaligandu" not in cilegon_index and "bagian 2 dari 2" not in cilegon_index


def test_heights_are_dropped_and_the_file_builds(tmp_path):
    """The adversary's 3D file: every build crashed on Z coordinates ("too many values to unpack")."""
    from .conftest import run_cli

    if not SHARED.exists():
        pytest.skip(f"the shared Kota Serang file is absent ({SHARED})")
    g = gpd.read_file(SHARED)
    g["geometry"] = shapely.force_3d(g.geometry.array.to_numpy(), z=25.0)
    path = tmp_path / "z.gpkg"
    g.to_file(path, driver="GPKG")
    res = run_cli("build", "--boundaries", path, "-o", tmp_path / "out", "-q")
    assert res.exit_code == 0, res.output
    out = gpd.read_file(tmp_path / "out" / "serang_gis.gpkg", layer="kelurahan")
    assert len(out) == 67 and not out.geometry.has_z.any()


def test_overlapping_parts_of_one_kelurahan_are_merged_not_holed(tmp_path):
    """The adversary's MultiPolygon whose second part is the first moved 300 m: GEOS make_valid kept the overlap as a hole
    (12.96 km2 drawn became 1.8 km2); the parts are one kelurahan's ground, so they are merged (their union)."""
    from serang_gis.read.boundaries import read_kelurahan

    if not SHARED.exists():
        pytest.skip(f"the shared Kota Serang file is absent ({SHARED})")
    m = gpd.read_file(SHARED).to_crs(32748)
    k = int(m.index[m.kode == "36.73.04.1006"][0])  # Pancalaksana
    p = m.geometry[k]
    q = affinity.translate(p, 300, 0)
    m.loc[k, "geometry"] = shapely.MultiPolygon([p, q])
    path = tmp_path / "mp.geojson"
    m.to_crs(4326).to_file(path, driver="GeoJSON")
    kel = read_kelurahan(path).kelurahan
    got = kel.loc[kel.kode_kel == "36.73.04.1006", "luas_km2"].iloc[0]
    assert got == pytest.approx(p.union(q).area / 1e6, rel=0.005)  # the union, in UTM 48S


def test_degrees_in_a_file_whose_prj_says_metres_stop_with_the_fix(tmp_path):
    """The adversary's Shapefile with a UTM 48S .prj and degree coordinates: it was 'unexpected error: RuntimeError:
    Unable to determine UTM CRS'."""
    from serang_gis.core.errors import InputError
    from serang_gis.read.boundaries import read_kelurahan

    if not SHARED.exists():
        pytest.skip(f"the shared Kota Serang file is absent ({SHARED})")
    g = gpd.read_file(SHARED).set_crs(32748, allow_override=True)
    path = tmp_path / "desa.shp"
    g.to_file(path)
    with pytest.raises(InputError, match="look like degrees, but the file says they are in EPSG:32748") as err:
        read_kelurahan(path)
    assert "--crs EPSG:4326" in err.value.hint
    assert len(read_kelurahan(path, crs="EPSG:4326").kelurahan) == 67


def test_pinholes_are_filled_and_said_a_real_hole_is_kept(tmp_path):
    """The adversary's kelurahan with 20,000 holes of 3 m x 3 m hung the build (GEOS coverage cleaning) for over 10
    minutes: holes under 100 m2 are filled at reading, said with the feature and their count; a 1 ha hole stays."""
    from serang_gis.read.boundaries import read_kelurahan

    if not SHARED.exists():
        pytest.skip(f"the shared Kota Serang file is absent ({SHARED})")
    m = gpd.read_file(SHARED).to_crs(32748)
    k = int(m.index[m.kode == CIMUNCANG][0])
    p = m.geometry[k]
    x0, y0, x1, y1 = p.bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, 90), np.linspace(y0, y1, 90))
    pins = shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + 3, ys.ravel() + 3)
    pins = pins[shapely.contains_properly(p.buffer(-150), pins)]
    c = p.buffer(-150).representative_point()
    big = shapely.box(c.x - 50, c.y - 50, c.x + 50, c.y + 50)  # 1 ha
    pins = pins[shapely.disjoint(pins, big.buffer(5))]
    assert len(pins) > 500
    m.loc[k, "geometry"] = shapely.Polygon(p.exterior, [q.exterior for q in [*pins, big]])
    path = tmp_path / "pin.geojson"
    m.to_crs(4326).to_file(path, driver="GeoJSON")
    b = read_kelurahan(path)
    said = [w for w in b.report.warnings if getattr(w, "key", "") == "bnd.small_holes"]
    assert len(said) == 1 and f"feature {k + 1} (Cimuncang, {CIMUNCANG}): {len(pins):,} holes smaller than 100 m² (together " in str(said[0])
    assert float(str(said[0]).split("(together ")[1].split(" m²")[0].replace(",", "")) == pytest.approx(len(pins) * 9, rel=0.002)
    got = b.kelurahan.loc[b.kelurahan.kode_kel == CIMUNCANG].geometry.iloc[0]
    assert shapely.get_num_interior_rings(got) == 1  # the 1 ha hole
    assert b.kelurahan.loc[b.kelurahan.kode_kel == CIMUNCANG, "luas_km2"].iloc[0] == pytest.approx((p.area - 1e4) / 1e6, abs=2e-3)


def test_an_empty_file_and_one_wild_coordinate_are_said_as_such(tmp_path):
    """The adversary's empty GeoJSON was told 'cannot tell which columns hold the code'; a 1e300 coordinate in feature 10
    was printed as a 300-digit number and taken for a wrong CRS."""
    from serang_gis.core.errors import InputError
    from serang_gis.read.boundaries import read_kelurahan

    if not SHARED.exists():
        pytest.skip(f"the shared Kota Serang file is absent ({SHARED})")
    empty = tmp_path / "kosong.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(InputError, match="has no features"):
        read_kelurahan(empty)
    g = gpd.read_file(SHARED)
    g.loc[9, "geometry"] = shapely.Polygon([(106.1, -6.1), (1e300, -6.1), (106.1, -6.0)])
    wild = tmp_path / "liar.geojson"
    g.to_file(wild, driver="GeoJSON")
    with pytest.raises(InputError, match=r"feature\(s\) 10 \(Kaligandu, 36\.73\.01\.1010\): coordinates out of range for EPSG:4326 \(the other 66") as err:
        read_kelurahan(wild)
    assert len(str(err.value)) < 400


def test_a_hole_no_kelurahan_covers_is_said_and_a_filled_one_is_not(tmp_path):
    """The adversary's 28.2 ha hole in Sawah Luhur was kept silently (a blank in the maps); a hole another kelurahan
    fills exactly (an enclave) says nothing."""
    from serang_gis.read.boundaries import read_kelurahan

    if not SHARED.exists():
        pytest.skip(f"the shared Kota Serang file is absent ({SHARED})")
    m = gpd.read_file(SHARED).to_crs(32748)
    k = int(m.index[m.nama == "Sawah Luhur"][0])
    c = m.geometry[k].buffer(-400).representative_point()
    hole = shapely.box(c.x - 250, c.y - 250, c.x + 250, c.y + 250)  # 25 ha
    m.loc[k, "geometry"] = m.geometry[k].difference(hole)
    path = tmp_path / "lubang.geojson"
    m.to_crs(4326).to_file(path, driver="GeoJSON")
    said = read_kelurahan(path).report.holes
    assert len(said) == 1 and f"Sawah Luhur (36.73.02.1008) (feature {k + 1}) has a hole of 25.0 ha" in str(said[0]), said
    filled = pd.concat([m, gpd.GeoDataFrame({"kode": ["36.73.02.1099"], "nama": ["Enklave"]}, geometry=[hole], crs=m.crs)],
                       ignore_index=True)
    path2 = tmp_path / "terisi.geojson"
    filled.to_crs(4326).to_file(path2, driver="GeoJSON")
    assert read_kelurahan(path2).report.holes == []


def test_a_line_inside_a_geometry_collection_is_said_and_its_polygon_kept(tmp_path):
    """The adversary's GeometryCollection of a kelurahan and a stray line: the line was dropped without a word."""
    from serang_gis.read.boundaries import read_kelurahan

    def with_line(poly):
        line = shapely.LineString([poly.centroid.coords[0], (poly.centroid.x + 0.01, poly.centroid.y)])
        return shapely.GeometryCollection([poly, line, shapely.Point(poly.centroid.coords[0])])

    path, k, poly = _kaligandu_changed(tmp_path / "gc.geojson", with_line)
    b = read_kelurahan(path)
    said = [str(m) for m in b.report.warnings if "GeometryCollection" in str(m)]
    assert said == [f"{path}:feature {k + 1} (Kaligandu, {KALIGANDU}): a GeometryCollection with 2 parts that are not polygons (LineString, Point); "
                    "only its polygons are used"], [str(m) for m in b.report.warnings]
    kept = b.kelurahan.set_index("kode_kel").geometry[KALIGANDU]
    assert kept.area == pytest.approx(poly.area, rel=1e-3)  # the polygon whole (as cleaned)
    untouched = read_kelurahan(SHARED)
    assert not [m for m in untouched.report.warnings if "GeometryCollection" in str(m)]


def test_a_repair_says_why_the_outline_was_invalid(tmp_path):
    """The adversary's hole drawn outside its kelurahan was called "self-intersecting"; GEOS's reason is said instead."""
    from serang_gis.read.boundaries import read_kelurahan

    def hole_outside(poly):
        x0, y0, x1, y1 = poly.bounds
        return shapely.Polygon(poly.exterior, [shapely.box(x1 + 0.05, y0, x1 + 0.07, y0 + 0.02).exterior])  # ~4 km2, outside

    path, _, _ = _kaligandu_changed(tmp_path / "hole_outside.geojson", hole_outside)
    said = [str(m) for m in read_kelurahan(path).report.repairs]
    assert any("Kaligandu" in m and "is invalid (a hole lies outside its outer ring)" in m for m in said), said
    assert not any("crosses itself" in m for m in said), said


def _kaligandu_changed(path, change):
    """The shared Kota Serang file with Kaligandu's geometry replaced by ``change(its polygon)``, written to ``path``:
    (path, its feature index, its polygon)."""
    if not SHARED.exists():
        pytest.skip(f"the shared Kota Serang file is absent ({SHARED})")
    g = gpd.read_file(SHARED)
    k = int(g.index[g.kode == KALIGANDU][0])
    poly = g.geometry[k]
    g.loc[k, "geometry"] = change(poly)
    g.to_file(path, driver="GeoJSON")
    return path, k, poly
