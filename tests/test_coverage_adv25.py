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
