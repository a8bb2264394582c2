"""The user's cache folder: downloaded boundary files (``read.fetch``) and results worth keeping between runs.

A result is kept under ``results/<kind>/`` by a hash of its input's bytes and of everything that computes it: the
versions of serang-gis, GEOS, PROJ and numpy, and the source of the modules named. The same input on the same code
reads the result back (the same bytes as computing it); any change computes it again. A result that cannot be read
back (a file cut short, another Python) is computed again; a folder that cannot be written is no error (the result
is then not kept). ``SERANG_GIS_CACHE`` moves the folder; ``SERANG_GIS_RESULTS=0`` keeps no results.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import zlib
from pathlib import Path

ENV_CACHE = "SERANG_GIS_CACHE"
ENV_RESULTS = "SERANG_GIS_RESULTS"


def cache_dir() -> Path:
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser()
    import pooch

    return Path(pooch.os_cache("serang-gis"))


def _code_tag(modules: tuple[str, ...]) -> bytes:
    """What computes a result: library versions and the source of ``modules``."""
    import importlib

    import numpy
    import pyproj
    import shapely

    from serang_gis.core.version import __version__

    tag = hashlib.blake2b(f"{__version__} {shapely.geos_version_string} {pyproj.proj_version_str} {numpy.__version__}".encode())
    for name in modules:
        tag.update(Path(importlib.import_module(name).__file__).read_bytes())
    return tag.digest()


def result_path(kind: str, data, modules: tuple[str, ...]) -> Path:
    """Where ``remembered`` keeps the result of ``data`` (bytes, or an iterable of byte strings: hashed in turn)."""
    digest = hashlib.blake2b(_code_tag(modules), digest_size=20)
    for chunk in [data] if isinstance(data, bytes) else data:
        digest.update(chunk)
    return cache_dir() / "results" / kind / f"{digest.hexdigest()}.pickle.z"


def remembered(kind: str, data, compute, *, modules: tuple[str, ...], keep: int = 2048):
    """``compute()``, or what it returned for the same ``data`` and code on an earlier run; the newest ``keep``
    results of a kind are kept."""
    if os.environ.get(ENV_RESULTS, "1") in ("0", "no", "off"):
        return compute()
    path = result_path(kind, data, modules)
    try:
        return pickle.loads(zlib.decompress(path.read_bytes()))
    except (OSError, zlib.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1))
        os.replace(tmp, path)  # whole or not at all: two processes may write the same result
        kept = sorted(path.parent.glob("*.pickle.z"), key=lambda f: f.stat().st_mtime)
        for old in kept[:-keep]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
