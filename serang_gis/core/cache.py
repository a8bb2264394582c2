"""The user's cache folder: downloaded boundary files (``read.fetch``) and results worth keeping between runs.

A result is kept under ``results/<kind>/`` by a hash of its input's bytes and of everything that computes it: the
versions of serang-gis, GEOS, PROJ and numpy, and the source of the modules named. The same input on the same code
reads the result back (the same bytes as computing it); any change computes it again. A result that cannot be read
back (a file cut short, another Python) is computed again, and so is one that holds another key (a file copied over another) or anything but data (it is
read back with a restricted unpickler: no code runs); a folder that cannot be written is no error (the result is then
not kept). ``SERANG_GIS_CACHE`` moves the folder; ``SERANG_GIS_RESULTS=0`` (or no, off, false) keeps no results.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
import zlib
from pathlib import Path

from serang_gis.core.signals import held_signals

ENV_CACHE = "SERANG_GIS_CACHE"
ENV_RESULTS = "SERANG_GIS_RESULTS"


def cache_dir() -> Path:
    """The folder of downloads and kept results: ``$SERANG_GIS_CACHE``, else the user's cache folder."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return _usable(env)
    import pooch

    return Path(pooch.os_cache("serang-gis"))


@functools.lru_cache(maxsize=8)
def _usable(env: str) -> Path:
    """``$SERANG_GIS_CACHE``'s folder, once it is known to take files: a file there (or above), or a place where nothing
    can be made (/proc, a read-only or immutable folder), is an error, not a cache silently unused or a download
    failure (walks adv12 L2, adv13 M2)."""
    from serang_gis.core.errors import InputError

    folder = Path(env).expanduser()
    probe = folder
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    fix = f"point {ENV_CACHE} at a folder you may write to (it is made when missing), or unset it"
    if not probe.is_dir():
        what = "is a file" if probe == folder else f"is inside {probe}, a file"
        raise InputError(f"{ENV_CACHE}={env}: {what}, not a folder; downloads and kept results go into a folder", hint=fix)
    made = None
    try:
        with held_signals():
            made = tempfile.mkdtemp(prefix=".serang-gis-probe-", dir=probe)
    except OSError as exc:
        where = "" if probe == folder else f" (nothing can be made in {probe})"
        raise InputError(f"{ENV_CACHE}={env}: cannot write there{where}: {exc.strerror}", hint=fix) from None
    finally:
        if made is not None:
            os.rmdir(made)
    return folder


@functools.lru_cache(maxsize=64)
def _source(module: str) -> bytes:
    """A module's source, read once per process (a national run asks for it once per kab/kota)."""
    import importlib

    return Path(importlib.import_module(module).__file__).read_bytes()


def _code_tag(modules: tuple[str, ...]) -> bytes:
    """What computes a result: library versions and the source of ``modules``."""
    import numpy
    import pyproj
    import shapely

    from serang_gis.core.version import __version__

    tag = hashlib.blake2b(f"{__version__} {shapely.geos_version_string} {pyproj.proj_version_str} {numpy.__version__}".encode())
    for name in modules:
        tag.update(_source(name))
    return tag.digest()


def result_path(kind: str, data, modules: tuple[str, ...]) -> Path:
    """Where ``remembered`` keeps the result of ``data`` (bytes, or an iterable of byte strings: hashed in turn)."""
    digest = hashlib.blake2b(_code_tag(modules), digest_size=20)
    for chunk in [data] if isinstance(data, bytes) else data:
        digest.update(chunk)
    return cache_dir() / "results" / kind / f"{digest.hexdigest()}.pickle.z"


# what a kept result may be made of (``_Restricted``): numpy arrays and shapely geometries (from WKB); the caller names
# its own classes. Nothing else is called while reading a result back: a file put in the cache folder by someone
# else cannot run code (the standard "restricting globals" of the pickle documentation).
_SAFE = {("numpy", "dtype"), ("numpy", "ndarray"), ("numpy._core.multiarray", "_reconstruct"),
         ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.numeric", "_frombuffer"), ("numpy.core.numeric", "_frombuffer"),
         ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar"), ("shapely.io", "from_wkb")}


class _Restricted(pickle.Unpickler):
    def __init__(self, data: bytes, allowed: set):
        import io

        super().__init__(io.BytesIO(data))
        self.allowed = allowed

    def find_class(self, module, name):
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not a result's part")
        return super().find_class(module, name)


def _read_back(path: Path, key: str, allowed: set):
    """The result kept at ``path`` if it is whole, of this key (a file copied over another's is not) and made only of
    allowed parts; else ``_MISSING``."""
    try:
        kept = _Restricted(zlib.decompress(path.read_bytes()), allowed).load()
    except (OSError, zlib.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
            IndexError, KeyError, MemoryError, RecursionError):
        return _MISSING
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key):
        return _MISSING
    return kept[1]


_MISSING = object()


def results_off() -> bool:
    return os.environ.get(ENV_RESULTS, "1").strip().lower() in ("0", "00", "no", "n", "off", "false")


def remembered(kind: str, data, compute, *, modules: tuple[str, ...], keep: int = 2048, classes: tuple = ()):
    """``compute()``, or what it returned for the same ``data`` and code on an earlier run; the newest ``keep``
    results of a kind are kept. A result is numpy arrays, shapely geometries, numbers, text and ``classes`` (plain
    dataclasses of those), in tuples, lists and dicts."""
    if results_off():
        return compute()
    path = result_path(kind, data, modules)
    key = f"{kind}/{path.stem.split('.')[0]}"
    value = _read_back(path, key, _SAFE | {(c.__module__, c.__qualname__) for c in classes})
    if value is not _MISSING:
        return value
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = None
        try:
            with held_signals():  # named before a signal can stop the command: removed below if not renamed
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(zlib.compress(pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL), 1))
            os.replace(tmp, path)  # whole or not at all: two processes may write the same result
        except BaseException:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            raise
        kept = sorted(path.parent.glob("*.pickle.z"), key=lambda f: f.stat().st_mtime)
        for old in kept[:-keep]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
