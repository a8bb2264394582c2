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
2. **Runtime, minified.** The package's own map runtime (``static/atlas/*.js``, readable sources, joined in the
   order of ``ATLAS_PARTS`` in ``assets.py``, and ``static/atlas.css``) is minified into ``vendor/atlas.min.js``
   (terser: two compress passes, function expressions that use neither ``this`` nor ``arguments`` written as
   arrows, the runtime's own property names, those ending in ``_``, shortened; esbuild when terser cannot be had) and ``vendor/atlas.min.css``
   (esbuild); both are npm devDependencies pinned in ``package-lock.json``. ``vendor/atlas.min.json`` records the
   sha256 of the sources, so a changed source is never served stale (``assets`` then serves the sources). Each
   tool is taken from the checkout's ``node_modules`` (``npm ci``), else installed from the lock into a temporary
   folder; when neither works the build warns and ships the readable runtime.
3. **Boundaries.** Every file listed in ``serang_gis/data/boundaries/SHA256SUMS`` (the Kota Serang
   kelurahan file) must match its sha256, else the build stops.

npm honours its own settings from the environment, e.g. ``npm_config_offline=true`` to install
from npm's cache only.
"""

from __future__ import annotations

import ast
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


ASSETS_PY = Path("serang_gis/render/leaflet/assets.py")
STATIC_DIR = Path("serang_gis/render/leaflet/static")
MINIFIED = {"atlas.min.js": "js", "atlas.min.css": "css"}
MIN_META = "atlas.min.json"
# terser's API; ``unsafe_arrows``: a function expression without ``this``/``arguments`` becomes an arrow (the runtime
# never calls ``new`` on a function expression: its one constructor, Atlas, is a declaration); property names ending in
# "_" (the runtime's own, see static/atlas/data.js) are shortened; every part is strict, so one "use strict" heads the
# file and terser drops the parts' own
TERSER_JS = """
const [lib, src, out] = process.argv.slice(1);
const fs = require("fs");
require(lib).minify('"use strict";' + fs.readFileSync(src, "utf8"), {ecma: 2015, compress: {passes: 2, unsafe_arrows: true},
                                                   mangle: {properties: {regex: /^[a-z][A-Za-z0-9]*[A-Za-z0-9]_$/}}})
  .then(function (r) { fs.writeFileSync(out, r.code); }, function (e) { console.error(String(e)); process.exit(1); });
"""
# esbuild's JavaScript API (the same whether or not its install script put the native binary in place)
ESBUILD_JS = """
const [lib, src, out, loader] = process.argv.slice(1);
const fs = require("fs");
const r = require(lib).transformSync(fs.readFileSync(src, "utf8"), {loader, minify: true, target: "es2015", charset: "utf8"});
fs.writeFileSync(out, r.code);
"""


def runtime_sources(root: Path) -> dict[str, str]:
    """The runtime as ``assets`` serves it unminified: the JS parts named by ``ATLAS_PARTS`` in assets.py, joined in
    order, and atlas.css."""
    tree = ast.parse((root / ASSETS_PY).read_text(encoding="utf-8"))
    parts = next(ast.literal_eval(n.value) for n in tree.body
                 if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "ATLAS_PARTS" for t in n.targets))
    js = "\n".join((root / STATIC_DIR / "atlas" / part).read_text(encoding="utf-8") for part in parts)
    return {"js": js, "css": (root / STATIC_DIR / "atlas.css").read_text(encoding="utf-8")}


def _source_sums(root: Path) -> dict[str, str]:
    return {kind: hashlib.sha256(text.encode("utf-8")).hexdigest() for kind, text in runtime_sources(root).items()}


def minified_is_fresh(root: Path) -> bool:
    meta = root / VENDOR_DIR / MIN_META
    if not meta.is_file() or not all((root / VENDOR_DIR / name).is_file() for name in MINIFIED):
        return False
    try:
        return json.loads(meta.read_text(encoding="utf-8")).get("source_sha256") == _source_sums(root)
    except ValueError:
        return False


def _npm_tool(root: Path, work: Path, name: str) -> Path:
    """An npm devDependency's package folder (esbuild, terser): the checkout's (``npm ci``), else the lock's version
    installed into ``work``."""
    local = root / "node_modules" / name
    if (local / "package.json").is_file():
        return local
    entry = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))["packages"].get(f"node_modules/{name}")
    npm = shutil.which("npm")
    if entry is None or npm is None:
        raise BuildError(f"{name} is not in package-lock.json or npm is missing (`npm install --save-dev {name}`)")
    (work / "package.json").write_text('{"private": true}', encoding="utf-8")
    cmd = [npm, "install", "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund",
           "--loglevel=error", f"{name}@{entry['version']}"]
    proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"`npm install {name}@{entry['version']}` failed (exit {proc.returncode}):\n{proc.stderr.strip()[-1000:]}")
    return work / "node_modules" / name


def _run_minifier(node: str, script: str, args: list[str], out: Path, what: str) -> None:
    proc = subprocess.run([node, "-e", script, *args], capture_output=True, text=True)
    if proc.returncode != 0 or not out.is_file():
        raise BuildError(f"{what} failed (exit {proc.returncode}):\n{proc.stderr.strip()[-1000:]}")


def _minify_js(root: Path, work: Path, node: str, src: Path, out: Path) -> str:
    """terser (smaller), else esbuild; returns the tool's name."""
    try:
        terser = _npm_tool(root, work / "terser", "terser")
    except BuildError:
        terser = None
    if terser is not None:
        _run_minifier(node, TERSER_JS, [str(terser.resolve()), str(src), str(out)], out, "terser on the runtime's js")
        return "terser"
    esbuild = _npm_tool(root, work / "esbuild", "esbuild")
    _run_minifier(node, ESBUILD_JS, [str(esbuild.resolve()), str(src), str(out), "js"], out, "esbuild on the runtime's js")
    return "esbuild"


def minify(root: Path) -> list[Path]:
    """Write vendor/atlas.min.js (terser, else esbuild) and vendor/atlas.min.css (esbuild) and the sha256 of their sources."""
    node = shutil.which("node")
    if node is None:
        raise BuildError("node is needed to minify the runtime (Debian/Ubuntu: `apt-get install nodejs npm`)")
    sources, target = runtime_sources(root), root / VENDOR_DIR
    target.mkdir(parents=True, exist_ok=True)
    sizes = {}
    with tempfile.TemporaryDirectory(prefix="serang-gis-minify-") as tmp:
        work = Path(tmp)
        for sub in ("terser", "esbuild"):
            (work / sub).mkdir()
        tools = {}
        for name, kind in MINIFIED.items():
            src, out = work / f"source.{kind}", work / name
            src.write_text(sources[kind], encoding="utf-8")
            if kind == "js":
                tools[name] = _minify_js(root, work, node, src, out)
            else:
                lib = _npm_tool(root, work / "esbuild", "esbuild")
                _run_minifier(node, ESBUILD_JS, [str(lib.resolve()), str(src), str(out), kind], out, f"esbuild on the runtime's {kind}")
                tools[name] = "esbuild"
            shutil.copyfile(out, target / name)
            sizes[name] = [len(sources[kind].encode("utf-8")), out.stat().st_size]
    meta = {"note": "written by hatch_build.py (terser / esbuild); never edit or commit", "tools": tools,
            "source_sha256": _source_sums(root), "bytes_source_minified": sizes}
    (target / MIN_META).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return [target / name for name in MINIFIED]


def _minify_or_warn(app, root: Path) -> None:
    if minified_is_fresh(root):
        return
    try:
        paths = minify(root)
        app.display_info("serang-gis: runtime minified: " + ", ".join(f"{p.name} ({p.stat().st_size} B)" for p in paths))
    except BuildError as e:
        for stale in [*MINIFIED, MIN_META]:
            (root / VENDOR_DIR / stale).unlink(missing_ok=True)
        app.display_warning(f"serang-gis: the runtime is shipped unminified (readable, larger): {e}")


class CustomBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        checked = check_boundaries(root)
        self.app.display_info(f"serang-gis: boundary files match their sha256: {', '.join(checked)}")
        self._vendor(root, version)
        _minify_or_warn(self.app, root)

    def _vendor(self, root: Path, version: str) -> None:
        if vendor_is_fresh(root):
            self.app.display_info(f"serang-gis: {VENDOR_DIR} matches package-lock.json, npm not run")
            return
        if version == "editable" and (root / "node_modules" / "leaflet" / "dist" / "leaflet.js").is_file() and not shutil.which("npm"):
            self.app.display_warning("serang-gis: no npm; the editable install uses the checkout's node_modules")
            return
        self.app.display_info("serang-gis: npm ci --omit=dev (Leaflet, topojson-client) ...")
        vendor(root)


if __name__ == "__main__":  # `python3 hatch_build.py`: (re)write vendor/atlas.min.js in a checkout, e.g. after editing the runtime
    print(*minify(Path(__file__).resolve().parent))
