"""Hatch build hook: put the map's front-end files and the checked boundary file into the package.

Runs whenever hatchling builds the wheel, the sdist or an editable install (``pip install .``,
``pip wheel .``, ``python -m build``):

1. **Front-end files.** Leaflet and topojson-client come from the npm registry, pinned in
   ``package-lock.json``, and are never committed. The hook runs ``npm ci --omit=dev`` in a
   temporary folder (the checkout's own ``node_modules`` is never touched, and devDependencies such
   as browser-audit tools are neither installed nor shipped) and copies the files the maps need,
   with their licence files (Leaflet: BSD-2-Clause, topojson-client: ISC), into
   ``serang_gis/render/leaflet/vendor/`` in the node_modules layout (git-ignored, declared as a build
   artifact). ``vendor/STAMP.json`` records the lock entries and the sha256 of every copied file;
   when it matches the lock file and the files, npm is not run again (so a wheel builds from the
   sdist, which carries ``vendor/``, without npm or network).
2. **Boundaries.** Every file listed in ``serang_gis/data/boundaries/SHA256SUMS`` (the Kota Serang
   kelurahan file) must match its sha256, else the build stops.

npm honours its own settings from the environment, e.g. ``npm_config_offline=true`` to install
from npm's cache only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

VENDOR_DIR = Path("serang_gis/render/leaflet/vendor")
BOUNDARY_SUMS = Path("serang_gis/data/boundaries/SHA256SUMS")
# npm package -> files the maps need (globs below the package folder), licences included
NPM_FILES = {
    "leaflet": ["dist/leaflet.js", "dist/leaflet.css", "dist/images/*.png", "LICENSE"],
    "topojson-client": ["dist/topojson-client.min.js", "LICENSE"],
}


class BuildError(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_boundaries(root: Path) -> list[str]:
    """Check every packaged boundary file against SHA256SUMS; return the checked names."""
    sums = root / BOUNDARY_SUMS
    checked = []
    for line in sums.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        expected, name = line.split(maxsplit=1)
        path = sums.parent / name.lstrip("*")
        if not path.is_file():
            raise BuildError(f"{path}: missing (listed in {sums})")
        found = _sha256(path)
        if found != expected:
            raise BuildError(f"{path}: sha256 {found} does not match {expected} in {sums} "
                             "(a changed or damaged file, or a Git LFS pointer): restore it with `git checkout -- {path}`")
        checked.append(name)
    return checked


def lock_entries(root: Path) -> dict[str, dict[str, str]]:
    """The package-lock.json entries (version, integrity) of the vendored npm packages."""
    lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    out = {}
    for name in NPM_FILES:
        entry = lock.get(f"node_modules/{name}")
        if entry is None or entry.get("dev"):
            raise BuildError(f"package-lock.json has no runtime entry for {name}: run `npm install` and commit the lock file")
        out[name] = {"version": entry["version"], "integrity": entry["integrity"], "license": entry.get("license", "")}
    return out


def vendor_is_fresh(root: Path) -> bool:
    stamp_path = root / VENDOR_DIR / "STAMP.json"
    if not stamp_path.is_file():
        return False
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    if stamp.get("packages") != lock_entries(root):
        return False
    files = stamp.get("files") or {}
    return bool(files) and all((root / VENDOR_DIR / rel).is_file() and _sha256(root / VENDOR_DIR / rel) == sha
                               for rel, sha in files.items())


def npm_ci(root: Path, work: Path) -> Path:
    """``npm ci --omit=dev`` of the project's package.json + lock in ``work``; returns its node_modules."""
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is needed to build serang-gis from a source checkout: it fetches Leaflet and "
                         "topojson-client pinned in package-lock.json (Debian/Ubuntu: `apt-get install npm`); "
                         "or install a released wheel or sdist, which carry the files")
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(root / name, work / name)
    cmd = [npm, "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"`{' '.join(cmd[1:])}` failed (exit {proc.returncode}):\n{proc.stderr.strip()[-2000:]}")
    return work / "node_modules"


def vendor(root: Path) -> Path:
    """Fill serang_gis/render/leaflet/vendor from a fresh ``npm ci --omit=dev`` (the old folder is replaced whole)."""
    target = root / VENDOR_DIR
    with tempfile.TemporaryDirectory(prefix="serang-gis-npm-") as tmp:
        nm = npm_ci(root, Path(tmp))
        staging = target.with_name(target.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        files = {}
        for package, patterns in NPM_FILES.items():
            for pattern in patterns:
                hits = sorted((nm / package).glob(pattern))
                if not hits:
                    raise BuildError(f"npm package {package} has no {pattern} (package-lock.json changed the version?)")
                for src in hits:
                    rel = src.relative_to(nm).as_posix()
                    dest = staging / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dest)
                    files[rel] = _sha256(dest)
        stamp = {"note": "written by hatch_build.py from `npm ci --omit=dev`; never edit or commit",
                 "packages": lock_entries(root), "files": dict(sorted(files.items()))}
        (staging / "STAMP.json").write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
    return target


class CustomBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        checked = check_boundaries(root)
        self.app.display_info(f"serang-gis: boundary files match their sha256: {', '.join(checked)}")
        if vendor_is_fresh(root):
            self.app.display_info(f"serang-gis: {VENDOR_DIR} matches package-lock.json, npm not run")
            return
        if version == "editable" and (root / "node_modules" / "leaflet" / "dist" / "leaflet.js").is_file() and not shutil.which("npm"):
            self.app.display_warning("serang-gis: no npm; the editable install uses the checkout's node_modules")
            return
        self.app.display_info("serang-gis: npm ci --omit=dev (Leaflet, topojson-client) ...")
        vendor(root)
