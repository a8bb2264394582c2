"""Issue 25, the GIS officer's second walk: what the boundary cleaning and check say about a bad boundary file.

The files are made here as the walker made them (/work/ut/gis25b/make_bad.py): the shared Kota Serang file with one
kelurahan shrunk, moved or enlarged in UTM 48S; the true figures are measured with shapely in the same CRS."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "boundaries" / "kota_serang_kelurahan.geojson"
KAGUNGAN, KALIGANDU, TERONDOL, CIMUNCANG = "36.73.01.1012", "36.73.01.1010", "36.73.01.1011", "36.73.01.1006"


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    """name -> path of the walker's bad files (made once per module)."""
    if not SHARED.exists():
        pytest.skip(f"the shared Kota Serang file is absent ({SHARED})")
    gm = gpd.read_file(SHARED).to_crs(32748)
    folder = tmp_path_factory.mktemp("walk25")
    idx = {k: gm.index[gm.kode == k][0] for k in (KAGUNGAN, KALIGANDU, TERONDOL, CIMUNCANG)}
    out = {}

    def save(frame, name):
        out[name] = folder / f"{name}.geojson"
        frame.to_crs(4326).to_file(out[name], driver="GeoJSON")

    for width in (15, 50):  # Kagungan shrunk all round: a ring of gap around it
        g = gm.copy()
        g.loc[idx[KAGUNGAN], "geometry"] = g.geometry[idx[KAGUNGAN]].buffer(-width, join_style="mitre")
        save(g, f"gap{width}")
    g = gm.copy()  # Kaligandu enlarged 150 m into Terondol
    a, b = g.geometry[idx[KALIGANDU]], g.geometry[idx[TERONDOL]]
    g.loc[idx[KALIGANDU], "geometry"] = shapely.union(a, b.intersection(a.buffer(150)))
    save(g, "overlap150")
    save(gm.drop(index=idx[CIMUNCANG]), "missing")
    out["orig"] = SHARED
    return out


def true_gap_m2(path) -> float:
    """The walker's measure: the holes of the union minus the kelurahan in them, in m2 (UTM 48S)."""
    u = shapely.union_all(gpd.read_file(path).to_crs(32748).geometry.values)
    return sum(shapely.Polygon(r).difference(u).area for p in getattr(u, "geoms", [u]) for r in p.interiors)


# ---- fault 3: build --strict stops on what `boundaries info --strict` refuses ------------------------------------------


@pytest.mark.parametrize("name,what", [("overlap150", "Kaligandu (36.73.01.1010) and Terondol (36.73.01.1011) overlap"),
                                       ("missing", "Cimuncang (36.73.01.1006")])
def test_build_strict_stops_where_boundaries_info_strict_does(bad, tmp_path, name, what):
    from .conftest import run_cli

    info = run_cli("boundaries", "info", bad[name], "--strict")
    assert info.exit_code == 1 and what in info.output, info.output
    res = run_cli("build", "--boundaries", bad[name], "-o", tmp_path / "out", "--strict")
    assert res.exit_code == 1, res.output
    assert "--strict" in res.output and what in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())  # nothing written
    ok = run_cli("build", "--boundaries", bad[name], "-o", tmp_path / "lenient", "-q")  # without --strict: a warning
    assert ok.exit_code == 0, ok.output


def test_build_config_strict_stops_too(bad, tmp_path):
    from .conftest import run_cli

    cfg = tmp_path / "atlas.toml"
    cfg.write_text(f'region = "36.73"\noutput = "{(tmp_path / "out").as_posix()}"\n[boundaries]\npath = "{Path(bad["missing"]).as_posix()}"\n',
                   encoding="utf-8")
    res = run_cli("build", "--config", cfg, "--strict")
    assert res.exit_code == 1 and "Cimuncang (36.73.01.1006" in res.output, res.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
