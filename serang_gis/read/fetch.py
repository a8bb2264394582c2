"""Download public boundary files by a registry of pinned addresses and sha256 hashes (pooch).

The registry (``boundaries/registry.csv`` in the repository, shipped inside the package) lists
every file of the public "wilayah_boundaries" data set (MIT licence): one kelurahan file per
kab/kota, one kecamatan and one kab/kota file per province. Files are cached under the user's
cache folder (``SERANG_GIS_CACHE`` overrides it) in the registry's folder layout; a cached file
whose hash does not match is fetched again, and a download whose hash does not match is deleted.

Where the boundaries come from, first match wins:
1. ``--boundaries PATH`` on the command line;
2. the environment variable ``SERANG_GIS_BOUNDARIES`` (a file path);
3. for Kota Serang (36.73), the copy shipped in the package (``serang_gis/data/boundaries/``: the
   registry file converted to FlatGeobuf, same features and coordinates; no download, no cache);
4. the registry file for the region, from the cache or downloaded.
``SERANG_GIS_MIRROR`` replaces the pinned base address (an office mirror with the same layout).
"""

from __future__ import annotations

import csv
import os
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from serang_gis.core import codes
from serang_gis.core.cache import ENV_CACHE, cache_dir  # noqa: F401  (the download cache)
from serang_gis.core.errors import DownloadError, InputError

BASE_URL = "https://raw.githubusercontent.com/hadymaggot/hadymaggot.github.io/2f26c895c4d646e25933cd329b669f414b9de9a9/"
ENV_BOUNDARIES = "SERANG_GIS_BOUNDARIES"
ENV_MIRROR = "SERANG_GIS_MIRROR"


@dataclass(frozen=True)
class Entry:
    level: str  # kelurahan | kecamatan | kabkota
    kode: str  # kab/kota code for kelurahan files, province code for the others
    path: str
    bytes: int
    sha256: str


def _registry_file() -> Path:
    packaged = resources.files("serang_gis") / "data" / "boundaries_registry.csv"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "boundaries" / "registry.csv"  # source checkout


_REGISTRY: dict[tuple[str, str], Entry] | None = None


def registry() -> dict[tuple[str, str], Entry]:
    """(level, code) -> Entry for every file of the public data set."""
    global _REGISTRY
    if _REGISTRY is None:
        with open(_registry_file(), newline="", encoding="utf-8") as fh:
            _REGISTRY = {(r["level"], r["kode"]): Entry(r["level"], r["kode"], r["path"], int(r["bytes"]), r["sha256"])
                         for r in csv.DictReader(fh)}
    return _REGISTRY


def regions() -> list[str]:
    """Every kab/kota code that has a kelurahan file."""
    return sorted(k for (lvl, k) in registry() if lvl == "kelurahan")


def entry_for(level: str, region: str) -> Entry:
    key = region if level == "kelurahan" else codes.parent(region, "provinsi")
    try:
        return registry()[(level, key)]
    except KeyError:
        known = regions()
        raise InputError(
            f"region {region!r} is not in the boundary registry ({len(known)} kab/kota codes, e.g. {known[0]}, 36.73)",
            hint="give a kab/kota code such as 36.73; `serang-gis boundaries fetch --list` lists them all",
        ) from None


def fetch(level: str, region: str, *, base_url: str | None = None) -> Path:
    """Return the local path of a registry file, downloading it into the cache if needed."""
    import pooch

    pooch.get_logger().setLevel("WARNING")
    entry = entry_for(level, region)
    target = cache_dir() / entry.path
    base = base_url or os.environ.get(ENV_MIRROR) or BASE_URL
    url = base.rstrip("/") + "/" + entry.path
    try:
        got = pooch.retrieve(url, known_hash=f"sha256:{entry.sha256}", fname=target.name, path=target.parent, progressbar=False)
    except ValueError as exc:  # pooch: hash mismatch (it has already deleted the file)
        raise DownloadError(
            f"{url}: the downloaded file does not match the registry and was deleted ({exc})",
            hint="the file on the server was changed or corrupted; use a trusted copy with --boundaries PATH",
        ) from None
    except Exception as exc:  # network errors, HTTP errors
        reason = "no network connection" if "Connection" in type(exc).__name__ else f"{type(exc).__name__}: {str(exc)[:200]}"
        raise DownloadError(
            f"cannot download the {level} boundaries of {region} from {url} ({reason})",
            hint=(f"on a machine with internet run `serang-gis boundaries fetch --region {region}` and copy the folder "
                  f"{cache_dir()} here (or set {ENV_CACHE}); or download that address yourself, check "
                  f"sha256 {entry.sha256}, and pass the file with --boundaries PATH or {ENV_BOUNDARIES}=PATH"),
        ) from None
    return Path(got)


def cached(level: str, region: str) -> Path | None:
    """The cached registry file if present and intact (no download)."""
    try:
        entry = entry_for(level, region)
    except InputError:
        return None
    path = cache_dir() / entry.path
    if path.is_file() and path.stat().st_size == entry.bytes:
        import pooch

        if pooch.file_hash(str(path)) == entry.sha256:
            return path
    return None


def cached_name_files(region_codes, level: str) -> list[Path]:
    """Cached kecamatan/kab-kota files that may name these regions (no download)."""
    provinces = sorted({codes.parent(c, "provinsi") for c in region_codes})
    found = [cached(level, p) for p in provinces]  # province files: entry_for takes any code of the province
    return [p for p in found if p]


PACKAGED = {"36.73": "kota_serang_kelurahan.fgb"}  # region -> file in serang_gis/data/boundaries (listed in SHA256SUMS)


def packaged(region: str) -> Path | None:
    """The kelurahan file of ``region`` shipped in the package, checked against its sha256, or None."""
    name = PACKAGED.get(region)
    if name is None:
        return None
    folder = resources.files("serang_gis") / "data" / "boundaries"
    sums = dict(reversed(line.split(maxsplit=1)) for line in folder.joinpath("SHA256SUMS").read_text(encoding="utf-8").splitlines() if line.strip())
    path = Path(str(folder.joinpath(name)))
    found = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "no file"
    if found != sums.get(name):
        raise DownloadError(f"{path}: the packaged boundary file is damaged (sha256 {found}, expected {sums.get(name)})",
                            hint="reinstall serang-gis, or pass a boundary file with --boundaries PATH")
    return path


@dataclass(frozen=True)
class RegionFiles:
    kelurahan: Path
    names: tuple[Path, ...]  # kecamatan and kab/kota files of the province
    origin: str  # how it was found


def resolve(region: str, boundaries: str | Path | None = None, *, download: bool = True, packaged_ok: bool = True) -> RegionFiles:
    """Find the kelurahan boundary file for ``region`` (see the module docstring for the order).

    ``packaged_ok=False`` skips the packaged copy (``boundaries fetch`` downloads the registry files)."""
    given = boundaries if boundaries is not None else os.environ.get(ENV_BOUNDARIES)
    if given:
        path = Path(given)
        # a path the user did not type on this command line: its errors say where it came from (walk adv12 M4)
        named, unset = ((f" (named by ${ENV_BOUNDARIES})", f"; or unset {ENV_BOUNDARIES} to use the packaged file or the registry")
                        if boundaries is None else ("", ""))
        if boundaries is None and not path.exists():
            raise InputError(f"{path}: no such file or folder{named}", hint=f"correct the path in {ENV_BOUNDARIES}{unset}")
        if path.is_dir():  # a folder of per-kab/kota files, e.g. wilayah_boundaries_kel_36.73.geojson
            hits = sorted(p for p in path.iterdir() if f"_{region}." in p.name and p.suffix.lower() in (".geojson", ".gpkg", ".fgb", ".shp", ".zip", ".parquet"))
            if not hits:
                raise InputError(f"{path}: no boundary file for {region} in this folder{named}",
                                 hint=f"name it like wilayah_boundaries_kel_{region}.geojson, or give the file itself{unset}")
            path = hits[0]
        if boundaries is None and path.suffix.lower() != ".parquet":
            _readable(path, named, unset)
        return RegionFiles(path, (), "--boundaries" if boundaries is not None else ENV_BOUNDARIES)
    shipped = packaged(region) if packaged_ok else None
    if shipped is not None:  # kecamatan and kota names come from the embedded gazetteer (reference)
        return RegionFiles(shipped, (), "package")
    kel = fetch("kelurahan", region) if download else cached("kelurahan", region)
    if kel is None:
        raise DownloadError(f"the boundaries of {region} are not in the cache {cache_dir()}",
                            hint=f"run `serang-gis boundaries fetch --region {region}`, or pass --boundaries PATH")
    names = []
    for level in ("kecamatan", "kabkota"):
        try:
            names.append(fetch(level, region) if download else cached(level, region))
        except DownloadError:
            if download:
                raise
    return RegionFiles(kel, tuple(p for p in names if p), "registry")


def _readable(path: Path, named: str, unset: str) -> None:
    """GDAL can open the file as a vector layer, else an error naming where the path came from."""
    import pyogrio

    try:
        pyogrio.read_info(path)
    except Exception as exc:  # noqa: BLE001 - GDAL's many errors: said with the file
        raise InputError(f"{path}: GDAL cannot read this file{named} ({exc})",
                         hint=f"give a GeoJSON, GeoPackage or shapefile of the kelurahan{unset}") from None


def expand_regions(specs: Sequence[str]) -> list[str]:
    """'36.73' / '3673' / '36' (a province) / 'all' / comma lists -> sorted kab/kota codes in the registry."""
    known = regions()
    out = []
    for spec in specs:
        for item in filter(None, (x.strip() for x in str(spec).split(","))):
            if item.lower() == "all":
                out += known
            elif codes.normalize(item, "provinsi") and len(item) == 2:
                hits = [r for r in known if r.startswith(item + ".")]
                if not hits:
                    raise InputError(f"province {item!r} has no kab/kota in the registry")
                out += hits
            else:
                code = codes.normalize(item, "kabkota")
                if code is None:
                    raise InputError(f"{item!r} is not a region", hint='write a kab/kota code (36.73), a province (36) or "all"')
                out.append(code)
    return sorted(dict.fromkeys(out))
