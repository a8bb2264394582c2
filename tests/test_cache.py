"""core.cache: results kept between runs by their input's bytes and the code that computes them."""

import numpy as np
import pytest
import shapely

from serang_gis.core import cache
from serang_gis.core.cache import remembered

CODE = ("serang_gis.core.cache",)


def _counting():
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls), "arr": np.arange(3)}

    return calls, compute


def test_a_result_is_computed_once_per_input_and_read_back_after():
    calls, compute = _counting()
    first = remembered("t", b"input one", compute, modules=CODE)
    again = remembered("t", b"input one", compute, modules=CODE)
    other = remembered("t", b"input two", compute, modules=CODE)
    assert len(calls) == 2 and first["n"] == again["n"] == 1 and other["n"] == 2
    assert (again["arr"] == np.arange(3)).all()


def test_other_code_computes_again(monkeypatch):
    calls, compute = _counting()
    remembered("t", b"x", compute, modules=CODE)
    remembered("t", b"x", compute, modules=("serang_gis.core.cache", "serang_gis.core.codes"))  # more source in the tag
    monkeypatch.setattr("serang_gis.core.version.__version__", "0.0.0-other")
    remembered("t", b"x", compute, modules=CODE)
    assert len(calls) == 3


def test_a_damaged_result_is_computed_again_and_replaced():
    calls, compute = _counting()
    remembered("t", b"x", compute, modules=CODE)
    (kept,) = (cache.cache_dir() / "results" / "t").glob("*.pickle.z")
    kept.write_bytes(kept.read_bytes()[:10])  # cut short (a full disk, a killed run)
    assert remembered("t", b"x", compute, modules=CODE)["n"] == 2
    assert remembered("t", b"x", compute, modules=CODE)["n"] == 2 and len(calls) == 2  # the new one was kept


def test_results_off_keeps_nothing(monkeypatch):
    monkeypatch.setenv("SERANG_GIS_RESULTS", "0")
    calls, compute = _counting()
    remembered("t", b"x", compute, modules=CODE)
    remembered("t", b"x", compute, modules=CODE)
    assert len(calls) == 2 and not (cache.cache_dir() / "results").exists()


def test_a_folder_that_is_a_file_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SERANG_GIS_CACHE", str(blocker))
    calls, compute = _counting()
    assert remembered("t", b"x", compute, modules=CODE)["n"] == 1
    assert remembered("t", b"x", compute, modules=CODE)["n"] == 2  # nothing kept, computed again


@pytest.mark.shared_data
def test_a_coverage_read_back_is_the_one_computed(serang_path):
    """The same bytes, the same grid on every geometry (a pickle keeps none: the pages' topology differed), the same
    repairs: a warm build equals a cold one."""
    from serang_gis.core import geometry
    from serang_gis.plan.layers import coverage
    from serang_gis.read.boundaries import read_kelurahan

    kel = read_kelurahan(serang_path).kelurahan
    cold = coverage(kel.copy())
    geometry._CLEAN_CACHE.clear()  # not this process's memo: the file
    warm = coverage(kel.copy())
    assert list(cache.cache_dir().glob("results/coverage/*.pickle.z"))
    assert [a == b for a, b in zip(shapely.to_wkb(cold.geometry.values), shapely.to_wkb(warm.geometry.values))] == [True] * len(kel)
    assert (shapely.get_precision(cold.geometry.values) == shapely.get_precision(warm.geometry.values)).all()
    assert shapely.get_precision(warm.geometry.values).max() > 0
    assert warm.attrs["_repair"] == cold.attrs["_repair"] and warm.attrs["_cleaned"] == cold.attrs["_cleaned"]
    assert (warm["luas_km2"] == cold["luas_km2"]).all()
