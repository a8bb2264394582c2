"""core.memo: results kept within a process."""

import geopandas as gpd
import shapely

from serang_gis.core.memo import Memo, geometry_key


def test_computed_once_per_key_and_each_caller_gets_its_own_copy():
    calls = []
    memo = Memo(4)

    def compute():
        calls.append(1)
        return {"arcs": [[0, 1]]}

    first = memo.get("a", compute)
    first["arcs"].append([9, 9])  # a caller changes its result ...
    again = memo.get("a", compute)
    assert again == {"arcs": [[0, 1]]} and len(calls) == 1  # ... the next caller does not see it, and nothing ran again


def test_without_copies_the_kept_object_itself_is_handed_out():
    memo = Memo(4, copies=False)
    value = memo.get("a", lambda: [1])
    assert memo.get("a", lambda: [2]) is value


def test_a_full_memo_is_cleared_before_it_takes_more():
    memo = Memo(2)
    for key in "abc":
        memo.get(key, lambda key=key: key)
    assert len(memo) == 1  # a, b kept; c cleared them and was kept alone
    assert memo.get("a", lambda: "again") == "again"


def test_geometry_key_follows_the_geometries_and_their_order():
    a, b = shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)
    key = geometry_key(gpd.GeoSeries([a, b]).values)
    assert key == geometry_key([a, b])
    assert key != geometry_key([b, a])
    assert key != geometry_key([a, shapely.box(1, 0, 2, 1.000001)])
