"""core.cache: results kept between runs by their input's bytes and the code that computes them."""

import os
from pathlib import Path

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


def test_a_cache_that_is_a_file_or_inside_one_is_said_not_silently_unused(tmp_path, monkeypatch):
    """It was no error: results were computed again on every run, without a word (walk adv12 L2)."""
    from serang_gis.core.errors import InputError

    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    calls, compute = _counting()
    for env, what in ((blocker, "is a file"), (blocker / "sub", f"is inside {blocker}, a file")):
        monkeypatch.setenv("SERANG_GIS_CACHE", str(env))
        with pytest.raises(InputError, match=f"SERANG_GIS_CACHE={env}: {what}, not a folder"):
            remembered("t", b"x", compute, modules=CODE)
    assert calls == []  # refused before computing


def test_a_cache_folder_that_cannot_be_written_computes_again(tmp_path, monkeypatch):
    """A full or read-only cache disk is no reason to stop a build: the result is computed, not kept."""
    cache_root = tmp_path / "ro"
    cache_root.mkdir()
    (cache_root / "results").write_text("in the way of the results folder", encoding="utf-8")
    monkeypatch.setenv("SERANG_GIS_CACHE", str(cache_root))
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


def test_a_result_copied_over_another_is_not_taken():
    """The walk's HIGH finding: Banten's coverage file copied over Kota Serang's gave Kota Serang another region's
    shapes, exit 0. A kept result carries its key: under another name it is computed again (and replaced)."""
    calls, compute = _counting()
    remembered("t", b"serang", compute, modules=CODE)
    remembered("t", b"banten", compute, modules=CODE)
    serang = cache.result_path("t", b"serang", CODE)
    serang.write_bytes(cache.result_path("t", b"banten", CODE).read_bytes())
    assert remembered("t", b"serang", compute, modules=CODE)["n"] == 3
    assert remembered("t", b"serang", compute, modules=CODE)["n"] == 3 and len(calls) == 3


class _Boom:
    def __reduce__(self):
        return (os.system, ("touch PWNED_BY_CACHE",))


def test_a_result_file_runs_no_code_and_a_wrong_shape_is_computed_again(tmp_path, monkeypatch):
    """Read back with a restricted unpickler: a crafted file (os.system) is not run, a file of another shape (5, None,
    a dict) is no error: computed again."""
    import pickle
    import zlib

    monkeypatch.chdir(tmp_path)
    calls, compute = _counting()
    path = cache.result_path("t", b"x", CODE)
    path.parent.mkdir(parents=True)
    for n, bad in enumerate([_Boom(), ("t/" + path.stem.split(".")[0], _Boom()), 5, None, {"n": 99}], start=1):
        path.write_bytes(zlib.compress(pickle.dumps(bad)))
        assert remembered("t", b"x", compute, modules=CODE)["n"] == n
    assert not (tmp_path / "PWNED_BY_CACHE").exists() and len(calls) == 5


def test_off_spellings(monkeypatch):
    for value in ("0", "no", "off", "false", "False", "n", " OFF "):
        monkeypatch.setenv("SERANG_GIS_RESULTS", value)
        assert cache.results_off()
    for value in ("1", "yes", "on", ""):
        monkeypatch.setenv("SERANG_GIS_RESULTS", value)
        assert not cache.results_off()


def test_a_cache_variable_naming_a_file_is_an_error_not_a_cache_silently_unused(tmp_path, monkeypatch):
    """Walk adv12 L2: SERANG_GIS_CACHE pointing at a file made `build` run without its cache, silently, and a download's
    hint say "copy the folder <that file> here"."""
    from .conftest import run_cli

    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SERANG_GIS_CACHE", str(tmp_path / "afile"))
    for args in (["build", "-q", "-o", tmp_path / "atlas"], ["template", "--region", "36.72", "-o", tmp_path / "t.xlsx"]):
        res = run_cli(*args)
        assert res.exit_code == 1 and f"SERANG_GIS_CACHE={tmp_path / 'afile'}: is a file, not a folder" in res.output, res.output
        assert "hint: point SERANG_GIS_CACHE at a folder" in res.output and "copy the folder" not in res.output, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc on this system")
def test_a_cache_where_nothing_can_be_made_is_said_not_a_download_failure(monkeypatch):
    """Walk adv13 M2: SERANG_GIS_CACHE=/proc/x gave "cannot download ... (FileNotFoundError)" and a hint to copy the
    folder /proc/x here."""
    from serang_gis.core.errors import InputError

    monkeypatch.setenv("SERANG_GIS_CACHE", "/proc/x")
    with pytest.raises(InputError, match="SERANG_GIS_CACHE=/proc/x: cannot write there \\(nothing can be made in /proc\\)"):
        cache.cache_dir()
