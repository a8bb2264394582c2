"""Issue 25: a coverage rounded to the grid that comes out incorrectly noded is repaired, said, and dissolved
without a raw GEOS error (hand-made coverages whose right answer is known)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from serang_gis.core.geometry import GRID, GridRepair, dissolve_parts, snap_coverage
from serang_gis.plan.layers import Units, check_units, coverage, repair_notes, units


def _poly(pts):
    return shapely.Polygon([(106 + x * GRID, -6 + y * GRID) for x, y in pts])


# A's right edge bends 0.3 grid step to the east at y = 5; B's left edge bends 0.4 step at y = 4..6: a valid coverage
# with a thin enclosed gap. Rounded to the grid both edges fall on x = 10, A noded at y = 5, B at y = 4 and 6.
A = _poly([(0, 0), (10, 0), (10.3, 5), (10, 10), (0, 10)])
B = _poly([(10, 0), (20, 0), (20, 10), (10, 10), (10.4, 6), (10.4, 4)])


def _frame(geoms):
    return gpd.GeoDataFrame({"kode_kel": ["36.73.01.1001", "36.73.02.1001"], "kode_kec": ["36.73.01", "36.73.02"],
                             "kode_kab": ["36.73", "36.73"], "kecamatan": ["P", "Q"], "kabkota": ["K", "K"]},
                            geometry=list(geoms), crs=4326)


def test_the_rounding_alone_is_incorrectly_noded():
    assert shapely.coverage_is_valid([A, B])
    rounded = shapely.set_precision(np.array([A, B]), GRID)
    assert not shapely.coverage_is_valid(rounded)
    with pytest.raises(shapely.errors.GEOSException, match="incorrectly noded"):
        shapely.coverage_union_all(rounded)


def test_snap_coverage_repairs_and_says_so():
    out, repair = snap_coverage([A, B])
    assert shapely.coverage_is_valid(out) and shapely.is_valid(out).all() and not shapely.is_empty(out).any()
    assert repair.edges == 2 and not repair.fallback  # each unit's mismatched edge
    assert shapely.equals(shapely.set_precision(out, GRID), out).all()  # on the grid
    assert shapely.coverage_union_all(out).area == pytest.approx(200 * GRID ** 2, rel=1e-9)  # the gap closed, no hole


def test_a_clean_coverage_needs_no_repair():
    square = _poly([(0, 0), (10, 0), (10, 10), (0, 10)])
    right = _poly([(10, 0), (20, 0), (20, 10), (10, 10)])
    out, repair = snap_coverage([square, right])
    assert repair == GridRepair() and shapely.equals(out, [square, right]).all()


def test_dissolve_parts_unions_what_coverage_union_cannot():
    rounded = shapely.set_precision(np.array([A, B]), GRID)
    whole = dissolve_parts(rounded)
    assert whole.geom_type == "Polygon" and whole.area == pytest.approx(200 * GRID ** 2, rel=1e-9)
    assert shapely.equals(dissolve_parts(rounded, noded=False), whole)


def test_the_plan_of_it_checks_and_the_repair_is_said_in_both_languages():
    u = units(_frame([A, B]))  # (the plan cleans in metres first: the 4 cm gap is closed before rounding)
    assert check_units(u, read=2) == []
    assert len(u.kecamatan) == 2 and len(u.kabkota) == 1
    cov = u.kelurahan.copy()
    cov.attrs["_repair"] = snap_coverage([A, B])[1]
    id_, en = repair_notes(cov, "id"), repair_notes(cov, "en")
    assert len(id_) == 1 and "2 sisi tidak bertemu" in id_[0] and "2 edges not meeting" in en[0]
    clean = coverage(_frame([_poly([(0, 0), (10, 0), (10, 10), (0, 10)]), _poly([(10, 0), (20, 0), (20, 10), (10, 10)])]))
    assert repair_notes(clean, "id") == []


def test_a_forced_fallback_is_said_and_still_dissolves():
    cov = coverage(_frame([A, B]))
    cov.attrs["_repair"] = GridRepair(edges=2, fallback=True)
    assert any("union" in n for n in repair_notes(cov, "en")) and any("union" in n for n in repair_notes(cov, "id"))
    from serang_gis.plan.layers import aggregate

    kab = aggregate(cov, "kode_kab", keep=("kabkota",))
    assert kab.geometry.iloc[0].area == pytest.approx(200 * GRID ** 2, rel=1e-9)


def test_check_units_finds_what_is_wrong():
    good = units(_frame([_poly([(0, 0), (10, 0), (10, 10), (0, 10)]), _poly([(10, 0), (20, 0), (20, 10), (10, 10)])]))
    assert check_units(good, read=2) == []
    assert check_units(good, read=3) == ["3 kelurahan read, 2 planned"]
    over = good.kelurahan.copy()
    over["geometry"] = [_poly([(0, 0), (12, 0), (12, 10), (0, 10)]), good.kelurahan.geometry.iloc[1]]  # overlaps B
    bad = check_units(Units(over, good.kecamatan, good.kabkota))
    assert any("not a valid coverage" in p for p in bad) and any("kecamatan: area" in p for p in bad)
    kec = good.kecamatan.copy()
    kec["geometry"] = [_poly([(0, 0), (10, 0), (10, 5), (10, 10), (0, 10)]), kec.geometry.iloc[1]]  # a vertex on the edge
    assert check_units(Units(good.kelurahan, kec, good.kabkota)) == []  # (a union may add or join collinear vertices)
    kec["geometry"] = [_poly([(0, 0), (10, 0), (10.5, 5), (10, 10), (0, 10)]), kec.geometry.iloc[1]]  # off the edge
    bad = check_units(Units(good.kelurahan, kec, good.kabkota))
    assert bad[0] == "kecamatan: 2 edge segments not on kelurahan edges" and bad[1].startswith("kecamatan: area")
