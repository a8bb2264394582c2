"""Issue 24: the coverage check's overlapping pairs, on hand-made coverages whose answer is known.

Squares of about 1.1 km near Serang (EPSG:4326): a pair overlapping by a strip (area known: the strip is itself a box),
a pair that only shares an edge, a sliver below OVERLAP_SHARE, a small overlap above the share but below OVERLAP_M2, and a
kelurahan drawn twice under two codes: first the pairs themselves (``overlapping_pairs``), then as a real GeoJSON file
read by GDAL and ``read_kelurahan`` says them (or stops)."""

from __future__ import annotations

import pickle
import zlib

import geopandas as gpd
import numpy as np
import pytest
import shapely

from serang_gis.core.errors import InputError

D = 0.01  # side of a unit, degrees (about 1.1 km)
X, Y = 106.0, -6.1


def sq(i: int, j: int = 0, d: float = D) -> shapely.Polygon:
    return shapely.box(X + i * D, Y + j * D, X + i * D + d, Y + j * D + d)


def frame(geoms, names=None) -> gpd.GeoDataFrame:
    names = names or [f"Desa {k + 1}" for k in range(len(geoms))]
    return gpd.GeoDataFrame({"kode": [f"99.99.01.{2001 + k}" for k in range(len(geoms))], "nama": names},
                            geometry=list(geoms), crs=4326)


def read(tmp_path, geoms, **kw):
    from serang_gis.read.boundaries import read_kelurahan

    path = tmp_path / "desa.geojson"
    frame(geoms).to_file(path, driver="GeoJSON")
    return read_kelurahan(path, **kw).report


def m2(geom) -> float:
    """A geometry's area on the equal-area projection the check uses (EPSG:6933)."""
    return float(gpd.GeoSeries([geom], crs=4326).to_crs(6933).area.iloc[0])


def test_known_overlap_is_found_with_its_area_and_nothing_else():
    from serang_gis.core.geometry import OVERLAP_M2, OVERLAP_SHARE, overlapping_pairs

    strip = 0.1 * D  # the second square starts 0.001 degree inside the first: a strip of about 111 m x 1.1 km
    a, b = sq(0), shapely.box(X + D - strip, Y, X + 2 * D - strip, Y + D)
    touching = sq(0, -1)  # below the first, one shared edge
    far = sq(5)
    i, j, over = overlapping_pairs(np.array([a, b, touching, far]), min_m2=OVERLAP_M2, min_share=OVERLAP_SHARE)
    assert list(zip(i.tolist(), j.tolist())) == [(0, 1)]
    want = m2(shapely.box(X + D - strip, Y, X + D, Y + D))
    assert over[0] == pytest.approx(want, rel=1e-9)
    assert 111.0 * 1100 < over[0] < 112.0 * 1110  # about 111 m x 1,105 m, as measured by hand


def test_only_touching_sliver_and_small_overlaps_are_not_pairs():
    from serang_gis.core.geometry import OVERLAP_M2, OVERLAP_SHARE, overlapping_pairs

    sliver = shapely.box(X + D - 0.00005, Y + 2 * D, X + 2 * D, Y + 3 * D)  # 5.6 m into its neighbour: 0.5 %, 6,100 m2
    tiny_a = shapely.box(X, Y - 0.1, X + 0.0005, Y - 0.1 + 0.0005)  # 55 m squares overlapping by 2.2 m x 55 m:
    tiny_b = shapely.box(X + 0.00048, Y - 0.1, X + 0.00098, Y - 0.1 + 0.0005)  # 4 % of either but 122 m2 > 100 m2 ...
    tiny_c = shapely.box(X + 0.1, Y - 0.1, X + 0.1005, Y - 0.1 + 0.0005)
    tiny_d = shapely.box(X + 0.1 + 0.00049, Y - 0.1, X + 0.10099, Y - 0.1 + 0.0005)  # ... and 1.1 m x 55 m: 61 m2 < 100
    geoms = np.array([sq(0), sq(1), sq(0, 2), sliver, tiny_a, tiny_b, tiny_c, tiny_d])
    i, j, over = overlapping_pairs(geoms, min_m2=OVERLAP_M2, min_share=OVERLAP_SHARE)
    assert m2(shapely.intersection(sq(0, 2), sliver)) / m2(sq(0, 2)) == pytest.approx(0.005, rel=0.01)
    assert m2(shapely.intersection(tiny_c, tiny_d)) < OVERLAP_M2 < m2(shapely.intersection(tiny_a, tiny_b))
    assert list(zip(i.tolist(), j.tolist())) == [(4, 5)]  # not the touching squares, the sliver, or the 61 m2
    assert over[0] == pytest.approx(m2(shapely.intersection(tiny_a, tiny_b)), rel=1e-9)


def test_a_file_with_a_known_overlap_says_it_with_names_and_areas(tmp_path):
    strip = 0.1 * D
    b = shapely.box(X + D - strip, Y, X + 2 * D - strip, Y + D)
    report = read(tmp_path, [sq(0), b, sq(0, -1), sq(1, -1)])
    over = m2(shapely.box(X + D - strip, Y, X + D, Y + D))
    small = min(m2(sq(0)), m2(b))
    assert len(report.overlaps) == 1, report.overlaps
    line = str(report.overlaps[0])
    assert (f"Desa 1 (99.99.01.2001) and Desa 2 (99.99.01.2002) overlap by {over / 1e4:.1f} ha "
            f"({100 * over / small:.1f}% of the smaller") in line, line
    assert report.holes == [] and report.strays == []


def test_a_clean_file_says_nothing_and_a_slight_overlap_is_not_told(tmp_path):
    clean = read(tmp_path, [sq(0), sq(1), sq(0, 1), sq(1, 1)])
    assert clean.overlaps == [] and clean.coverage_lines() == []
    slight = read(tmp_path, [sq(0), shapely.box(X + D - 0.00005, Y, X + 2 * D, Y + D), sq(0, 1)])  # 0.5 %
    assert slight.overlaps == []


def test_a_kelurahan_drawn_twice_is_an_error_naming_both(tmp_path):
    twice = shapely.box(X + 0.0002, Y, X + D + 0.0002, Y + D)  # the first square again, 22 m to the east: 98 %
    with pytest.raises(InputError) as err:
        read(tmp_path, [sq(0), twice, sq(0, 1)])
    text = str(err.value)
    assert "1 pair(s) of kelurahan are drawn one over the other" in text, text
    assert "Desa 1 (99.99.01.2001) and Desa 2 (99.99.01.2002) overlap by" in text



def test_two_clean_coverages_drawn_over_each_other_are_found_inside_too(tmp_path):
    """A file holding a region twice (old and new codes, each a clean coverage, one shifted half a unit): every pair is
    found, the inner ones too. GEOS's coverage validator finds no invalid edge on an inner unit here (each of its edges
    matches its own neighbour's), so it cannot pick the pairs to overlay (issue 24)."""
    from serang_gis.core.geometry import OVERLAP_M2, OVERLAP_SHARE, overlapping_pairs

    old = [sq(i, j) for i in range(3) for j in range(3)]
    new = [shapely.box(X + (i + 0.5) * D, Y + (j + 0.5) * D, X + (i + 1.5) * D, Y + (j + 1.5) * D)
           for i in range(3) for j in range(3)]
    i, j, over = overlapping_pairs(np.array(old + new), min_m2=OVERLAP_M2, min_share=OVERLAP_SHARE)
    want = {(a, 9 + b) for a in range(9) for b in range(9)
            if 0 <= a // 3 - b // 3 <= 1 and 0 <= a % 3 - b % 3 <= 1}  # new unit (i, j) over old (i, j) to (i+1, j+1)
    assert set(zip(i.tolist(), j.tolist())) == want and len(want) == 25
    quarter = m2(shapely.intersection(old[4], new[0]))
    assert np.allclose(over, quarter, rtol=1e-3) and quarter == pytest.approx(0.25 * m2(old[4]), rel=1e-3)
    report = read(tmp_path, old + new)
    assert len(report.overlaps) == 25 and any("Desa 5 (99.99.01.2005) and Desa 10 (99.99.01.2010)" in str(x)
                                              for x in report.overlaps)


def test_a_large_layers_pairs_are_kept_in_the_cache_and_a_changed_layer_is_checked_anew(tmp_path, monkeypatch):
    """The national read's overlapping pairs are remembered by the layer's geometries (issue 24): a second read takes
    them from the cache (shown here by a cache file altered by hand: its area is what is said), a layer changed in one
    vertex is checked again, and a cache folder that cannot be written leaves the check as it was."""
    import serang_gis.read.boundaries as boundaries

    monkeypatch.setattr(boundaries, "CACHED_FROM", 1)  # these 4 units count as large
    monkeypatch.setenv("SERANG_GIS_CACHE", str(tmp_path / "cache"))
    strip = 0.1 * D
    b = shapely.box(X + D - strip, Y, X + 2 * D - strip, Y + D)
    first = read(tmp_path, [sq(0), b, sq(0, -1), sq(1, -1)])
    folder = tmp_path / "cache" / "results" / "findings"
    kept = list(folder.glob("*.pickle.z"))
    assert len(first.overlaps) == 1 and len(kept) == 1
    key, found = pickle.loads(zlib.decompress(kept[0].read_bytes()))  # (its key, the result: core.cache)
    i, j, over = found["i"], found["j"], found["m2"]
    assert (i.tolist(), j.tolist()) == ([0], [1]) and over[0] == pytest.approx(m2(shapely.intersection(sq(0), b)), rel=1e-9)
    kept[0].write_bytes(zlib.compress(pickle.dumps((key, {**found, "m2": over * 2}))))
    again = read(tmp_path, [sq(0), b, sq(0, -1), sq(1, -1)])
    assert f"overlap by {2 * over[0] / 1e4:.1f} ha" in str(again.overlaps[0])  # from the cache, not overlaid again
    moved = read(tmp_path, [sq(0), sq(1), sq(0, -1), sq(1, -1)])  # the second square moved to its place: no overlap
    assert moved.overlaps == [] and len(list(folder.glob("*.pickle.z"))) == 2
    with open(kept[0], "wb") as fh:  # a cache file cut short: computed again
        fh.write(b"PK")
    assert f"overlap by {over[0] / 1e4:.1f} ha" in str(read(tmp_path, [sq(0), b, sq(0, -1), sq(1, -1)]).overlaps[0])
    blocked = tmp_path / "unwritable"
    blocked.mkdir()
    (blocked / "results").write_text("")  # a results folder that cannot be made: computed, not kept, no error
    monkeypatch.setenv("SERANG_GIS_CACHE", str(blocked))
    assert len(read(tmp_path, [sq(0), b, sq(0, -1), sq(1, -1)]).overlaps) == 1
