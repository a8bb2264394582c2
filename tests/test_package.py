"""The package as users get it: the packaged boundaries, the build hook, the wheel in a fresh venv offline."""

from __future__ import annotations

import functools
import hashlib
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely

import serang_gis
from serang_gis.read import fetch
from serang_gis import read_boundaries, read_kelurahan
from serang_gis.render.leaflet.packing import read_payload

from .conftest import BOUNDARIES, OUTPUT, REQUIRE_ALL, ROOT, SERANG

PACKAGED = ROOT / "serang_gis" / "data" / "boundaries"


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _hook():
    """hatch_build.py, loaded by path as hatchling loads it."""
    pytest.importorskip("hatchling", reason="hatchling is not installed (python3 -m pip install '.[test]')")
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- the packaged Kota Serang boundaries -------------------------------------------------------


@pytest.mark.shared_data
def test_packaged_boundaries_read_back_exactly_as_the_source():
    src = pyogrio.read_dataframe(SERANG)
    got = pyogrio.read_dataframe(PACKAGED / "kota_serang_kelurahan.fgb")
    # the same features in the same order, the same attributes and types, the same CRS
    pd.testing.assert_frame_equal(src.drop(columns="geometry"), got.drop(columns="geometry"), check_exact=True)
    assert got.crs == src.crs and got.crs.to_epsg() == 4326
    # every coordinate the same double: identical WKB, not merely "almost equal"
    assert (shapely.to_wkb(src.geometry.array) == shapely.to_wkb(got.geometry.array)).all()
    # and the canonical kelurahan table the package works with is the same
    a, b = read_kelurahan(SERANG).kelurahan, read_boundaries("36.73").kelurahan
    pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry")), check_exact=True)
    assert a.geometry.geom_equals_exact(b.geometry, tolerance=0).all()
    # provenance: the source is the registry's pinned file, and its notice is shipped verbatim
    assert _sha(SERANG) == fetch.registry()[("kelurahan", "36.73")].sha256
    assert (PACKAGED / "LICENSE").read_bytes() == (BOUNDARIES / "LICENSE").read_bytes()
    readme = (ROOT / "serang_gis" / "data" / "README.md").read_text(encoding="utf-8")
    assert _sha(SERANG) in readme and _sha(PACKAGED / "kota_serang_kelurahan.fgb") in readme


def test_packaged_boundaries_are_listed_with_their_sha256_and_notice():
    sums = dict(line.split()[::-1] for line in (PACKAGED / "SHA256SUMS").read_text().splitlines() if line.strip())
    assert sums == {"kota_serang_kelurahan.fgb": _sha(PACKAGED / "kota_serang_kelurahan.fgb")}
    notice = (PACKAGED / "LICENSE").read_text(encoding="utf-8")
    assert "Copyright (c) 2024 Cahya DSN" in notice and "The above copyright notice and this permission notice" in notice
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Copyright (c) 2024 Cahya DSN" in readme and "The above copyright notice and this permission notice" in readme
    info = pyogrio.read_info(PACKAGED / "kota_serang_kelurahan.fgb")
    assert info["features"] == 67 and info["crs"] == "EPSG:4326"


def test_build_hook_refuses_a_changed_boundary_file(tmp_path):
    hook = _hook()
    folder = tmp_path / "serang_gis" / "data" / "boundaries"
    shutil.copytree(PACKAGED, folder)
    assert hook.check_boundaries(tmp_path) == ["kota_serang_kelurahan.fgb"]
    data = bytearray((folder / "kota_serang_kelurahan.fgb").read_bytes())
    data[2000] ^= 1
    (folder / "kota_serang_kelurahan.fgb").write_bytes(bytes(data))
    with pytest.raises(hook.BuildError, match="kota_serang_kelurahan.fgb: sha256 .* does not match"):
        hook.check_boundaries(tmp_path)


def test_build_hook_ships_only_the_runtime_packages_of_the_lock():
    hook = _hook()
    entries = hook.lock_entries(ROOT)
    assert set(entries) == {"leaflet", "topojson-client"}
    assert entries["leaflet"]["license"] == "BSD-2-Clause" and entries["topojson-client"]["license"] == "ISC"
    # every file the maps read is vendored by the hook
    from serang_gis.render.leaflet import assets

    for _, rel in assets.VENDOR:
        package, tail = rel.split("/", 1)
        assert any(Path(tail).match(p) for p in hook.NPM_FILES[package])


def test_build_hook_minifies_the_runtime_and_a_changed_source_is_never_served_stale(tmp_path):
    """terser (js) and esbuild (css), npm devDependencies from the lock, write atlas.min.js/.css; the sources stay readable;
    a source edited after the build makes the minified file stale, and the served runtime is then the source."""
    if not shutil.which("node") or not shutil.which("npm"):
        if REQUIRE_ALL:
            pytest.fail("node and npm are needed to minify the runtime")
        pytest.skip("no node/npm")
    hook = _hook()
    for rel in ("package.json", "package-lock.json", "serang_gis/render/leaflet/assets.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, tmp_path / rel)
    shutil.copytree(ROOT / "serang_gis/render/leaflet/static", tmp_path / "serang_gis/render/leaflet/static")
    if (ROOT / "node_modules").exists():
        os.symlink(ROOT / "node_modules", tmp_path / "node_modules")
    js, css = hook.minify(tmp_path)
    sources = hook.runtime_sources(tmp_path)
    assert js.stat().st_size < 0.7 * len(sources["js"].encode()) and css.stat().st_size < 0.9 * len(sources["css"].encode())
    assert "\n  " not in js.read_text(encoding="utf-8")  # no indentation left
    meta = json.loads((js.parent / hook.MIN_META).read_text(encoding="utf-8"))
    assert meta["tools"] == {"atlas.min.js": "terser", "atlas.min.css": "esbuild"}
    assert "=>" in js.read_text(encoding="utf-8") and "=>" not in sources["js"]  # terser's arrows (issue 20's bytes)
    assert "proto.preparePrint = function" in sources["js"]  # the sources are untouched and readable
    assert hook.minified_is_fresh(tmp_path)
    # the minified runtime still runs: it defines the same entry point the pages call
    out = subprocess.run(["node", "-e", "globalThis.window = globalThis; globalThis.document = {};"
                          f"require({json.dumps(str(js))}); console.log(typeof window.SerangAtlas.draw); process.exit(0)"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "function", out.stderr
    part = tmp_path / "serang_gis/render/leaflet/static/atlas/print.js"
    part.write_text(part.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    assert not hook.minified_is_fresh(tmp_path)


def test_the_served_runtime_is_minified_only_when_it_matches_its_source():
    from serang_gis.render.leaflet import assets

    assert assets._minified("js", "var edited = 1;") == "var edited = 1;"
    meta = ROOT / "serang_gis/render/leaflet/vendor/atlas.min.json"
    if meta.is_file():  # a built checkout (pip install . or python3 hatch_build.py): the pages get the small runtime
        served = assets.atlas_js()
        readable = "\n".join(assets._static("atlas", p) for p in assets.ATLAS_PARTS)
        assert len(served) < 0.7 * len(readable) and "SerangAtlas" in served


# ---- where the map's front-end files come from ------------------------------------------------


@pytest.fixture
def fresh_assets():
    from serang_gis.render.leaflet import assets

    assets.load.cache_clear()
    yield assets
    assets.load.cache_clear()


def test_assets_override_then_package_then_checkout(fresh_assets, monkeypatch, tmp_path):
    assets = fresh_assets
    vendor = ROOT / "serang_gis" / "render" / "leaflet" / "vendor"
    if (vendor / "STAMP.json").is_file():  # after `pip install .` / `pip wheel .`: the packaged copy is used
        assert Path(str(assets.node_modules())) == vendor
    else:  # a checkout that was never built: its node_modules (`npm ci`)
        assert Path(str(assets.node_modules())) == ROOT / "node_modules"
    # SERANG_GIS_ASSETS wins: a folder laid out like node_modules, here with a marked leaflet.js
    override = tmp_path / "nm"
    shutil.copytree(Path(str(assets.node_modules())), override, ignore=shutil.ignore_patterns("commander", "*.map"))
    with open(override / "leaflet" / "dist" / "leaflet.js", "a", encoding="utf-8") as fh:
        fh.write("\n/* from SERANG_GIS_ASSETS */\n")
    monkeypatch.setenv("SERANG_GIS_ASSETS", str(override))
    leaflet = next(a for a in assets.load() if a.name == "leaflet.js")
    assert leaflet.text.endswith("/* from SERANG_GIS_ASSETS */\n")
    css = next(a for a in assets.load() if a.name == "leaflet.css").text
    assert "url(data:image/png;base64," in css and "url(images/" not in css  # images inlined from the same folder


def test_an_incomplete_assets_override_says_what_is_missing(fresh_assets, monkeypatch, tmp_path):
    (tmp_path / "leaflet" / "dist").mkdir(parents=True)
    (tmp_path / "leaflet" / "dist" / "leaflet.js").write_text("/* */")
    monkeypatch.setenv("SERANG_GIS_ASSETS", str(tmp_path))
    with pytest.raises(fresh_assets.AssetsMissing, match="leaflet/dist/leaflet.css is not there") as err:
        fresh_assets.load()
    assert "SERANG_GIS_ASSETS" in str(err.value)


# ---- the top-level API ----------------------------------------------------------------------


def test_top_level_exports_the_workflow_and_the_readme_example_runs(tmp_path, monkeypatch):
    for name in serang_gis.__all__:
        assert getattr(serang_gis, name) is not None, name
    assert (ROOT / "serang_gis" / "py.typed").is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Python API", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    assert len(block.strip().splitlines()) <= 10
    from . import fixtures as F

    F.write_messy_xlsx(tmp_path / "data_sasaran.xlsx", F.truth_aggregate(), wrong_row=False)
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(block, "README.md (Python API)", "exec"), scope)  # the README's own lines, as a user pastes them
    assert len(scope["kel"]) == 67 and scope["report"].with_data == 67
    table = scope["ranking"].table
    # Cibendung has no stunting data: not ranked, needs data (priority.missing = "core"); the 66 others ranked 1..66
    assert len(table) == 67 and sorted(table["peringkat"].dropna()) == list(range(1, 67)) and scope["ranking"].ranked == 66
    assert table.set_index("kelurahan").at["Cibendung", "penjelasan"].startswith("tidak diperingkat: perlu data")
    kel = pyogrio.read_dataframe(tmp_path / "atlas" / "serang_gis.gpkg", layer="kelurahan")
    assert len(kel) == 67
    pd.testing.assert_series_equal(kel.set_index("kode_kel")["peringkat"].sort_index().astype("Float64"),
                                   table.set_index("kode_kel")["peringkat"].sort_index().astype("Float64"))


def test_python_m_serang_gis_is_the_command():
    proc = subprocess.run([sys.executable, "-m", "serang_gis", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == f"serang-gis, version {serang_gis.__version__}"
    proc = subprocess.run([sys.executable, "-m", "serang_gis", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "Usage: serang-gis" in proc.stdout


# ---- every import is declared: a fresh venv with `pip install '.[test]'` has all it needs -------------


def _dist_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def _with_extras(requirements) -> set[str]:
    """The distributions the requirements name, and those their extras bring (``dask[distributed]``: distributed)."""
    import importlib.metadata as md

    names, todo = set(), list(requirements)
    while todo:
        name, extras = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?", todo.pop()).groups()
        names.add(_dist_name(name))
        for extra in filter(None, (e.strip() for e in (extras or "").split(","))):
            try:
                brought = md.requires(name) or []
            except md.PackageNotFoundError:
                continue  # not installed: its imports go unresolved and fail below
            todo += [r.split(";")[0] for r in brought if re.search(rf"""extra\s*==\s*['"]{re.escape(extra)}['"]""", r)]
    return names


def _imports(folder: Path):
    """(top-level module name, file:line) of every absolute import in the folder's Python files."""
    import ast

    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and not node.level and node.module else [])
            for name in names:
                yield name.partition(".")[0], f"{path.relative_to(ROOT)}:{node.lineno}"


PLUGIN, HOST = "serang_gis/qgis_plugin/", {"qgis", "processing", "PyQt5"}  # the plugin's host: QGIS 3.22


def test_every_import_is_a_declared_dependency():
    import importlib.metadata as md
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    run = _with_extras(project["dependencies"])
    allowed = {  # the package may also import an optional extra's library (dask, only with --scheduler)
        "serang_gis": run | _with_extras(r for reqs in extras.values() for r in reqs),
        "tests": run | _with_extras(extras["test"]),
        "benchmarks": run | _with_extras(extras["test"]),
    }
    local = {"serang_gis", "tests", "hatch_build"} | {p.stem for d in ("tests", "benchmarks") for p in (ROOT / d).glob("*.py")}
    provided_by = md.packages_distributions()
    undeclared: dict[str, list[str]] = {}
    for folder, ok in allowed.items():
        for name, where in _imports(ROOT / folder):
            dists = {_dist_name(d) for d in provided_by.get(name, ())}
            if where.startswith(PLUGIN) and name in HOST:
                continue  # the QGIS plugin runs inside QGIS's own Python, which provides these (never pip)
            if name not in sys.stdlib_module_names and name not in local and not dists & ok:
                undeclared.setdefault(f"{name} (distribution {', '.join(sorted(dists)) or '?, not installed'})", []).append(where)
    assert undeclared == {}, "imported but not declared in pyproject.toml (dependencies, or the test extra):\n" + "\n".join(
        f"  {name}: {where[0]}" + (f" and {len(where) - 1} more" if len(where) > 1 else "") for name, where in undeclared.items())


# ---- the wheel, installed in a fresh virtual environment, run offline in an empty folder ----------


def _copy_source(dest: Path) -> Path:
    """The project as a fresh clone has it: no node_modules, no vendored files, no outputs."""
    skip = {".git", "node_modules", "__pycache__", ".pytest_cache"}  # wherever they are
    leaflet = ROOT / "serang_gis" / "render" / "leaflet"
    # by place, not by name: serang_gis/output/ is a package of the source, /outputs and tests/output are not
    skip_at = {ROOT / "outputs", ROOT / "tests" / "output", ROOT / "build", ROOT / "dist", leaflet / "vendor", leaflet / "vendor.tmp"}
    shutil.copytree(ROOT, dest, symlinks=True, ignore=lambda d, names: [
        n for n in names if n in skip or n.endswith(".egg-info") or Path(d, n) in skip_at])
    return dest


def _add_dev_dependency(src: Path) -> None:
    """Besides the real devDependencies (browser-audit tools), one more that npm has never seen: the
    build must neither install nor ship any of them. Its lock entry has a made-up integrity, so an
    `npm ci` that tried to install it would fail offline."""
    fake = "serang-gis-never-published-devtool"
    pkg = json.loads((src / "package.json").read_text())
    pkg.setdefault("devDependencies", {})[fake] = "1.0.0"
    (src / "package.json").write_text(json.dumps(pkg, indent=2))
    lock = json.loads((src / "package-lock.json").read_text())
    lock["packages"][""].setdefault("devDependencies", {})[fake] = "1.0.0"
    lock["packages"][f"node_modules/{fake}"] = {
        "version": "1.0.0", "resolved": f"https://registry.npmjs.org/{fake}/-/{fake}-1.0.0.tgz",
        "integrity": "sha512-" + "A" * 86 + "==", "dev": True, "license": "MIT"}
    (src / "package-lock.json").write_text(json.dumps(lock, indent=2))


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SERANG_GIS_") and k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return {**env, **extra}


def _site_dirs() -> list[str]:
    """Where the interpreter running the tests finds its installed packages, in its path's order: its
    own environment's site-packages (a venv's, and the system's when the venv was made with
    --system-site-packages) and the user's."""
    import site

    sites = {os.path.realpath(p) for p in [*site.getsitepackages(), *([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])]}
    return [p for p in sys.path if p and os.path.realpath(p) in sites and Path(p).is_dir()]


def _venv_seeing_this_environment(venv: Path) -> Path:
    """A fresh venv of the base interpreter that also imports what the test's interpreter has installed.

    ``--system-site-packages`` would give it the base interpreter's packages, which are not the test's
    when pytest itself runs in a venv (``python3 -m venv v && pip install '.[test]'``). A .pth file in
    the new venv lists the test's site folders instead: they come after the venv's own site-packages,
    so the serang_gis installed from the wheel is the one imported; their own .pth files (an editable
    install of a checkout) are not read.
    """
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    own = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True, env=_clean_env()).stdout.strip()
    Path(own, "serang_gis_test_env.pth").write_text("".join(f"{d}\n" for d in _site_dirs()), encoding="utf-8")
    return py


@pytest.fixture(scope="module")
def wheel_atlas(tmp_path_factory):
    """Build the wheel from a clean copy (npm from its cache only), install it in a fresh venv, and run
    `serang-gis build` with the network cut, in an empty folder, with an empty cache."""
    tmp = tmp_path_factory.mktemp("wheel")
    timings = {}
    t0 = time.perf_counter()
    src = _copy_source(tmp / "src")
    _add_dev_dependency(src)
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(src)],
                           capture_output=True, text=True, env=_clean_env(npm_config_offline="true"), cwd=tmp)
    if build.returncode != 0 and "ENOTCACHED" in build.stdout + build.stderr:
        reason = "npm's cache lacks the pinned Leaflet/topojson-client (run `npm ci` once with network)"
        pytest.fail(f"SERANG_GIS_REQUIRE_ALL is set: {reason}") if REQUIRE_ALL else pytest.skip(reason)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("serang_gis-*.whl")
    timings["wheel"] = time.perf_counter() - t0

    venv = tmp / "venv"
    py = _venv_seeing_this_environment(venv)
    # this environment's pip installs into the venv; no dependency is downloaded (--no-deps --no-index): they
    # come from this environment's site-packages, while serang_gis itself must come from the wheel
    inst = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall", str(wheel)],
                          capture_output=True, text=True, env=_clean_env(), cwd=tmp)
    assert inst.returncode == 0, inst.stdout[-3000:] + inst.stderr[-3000:]
    timings["install"] = time.perf_counter() - t0 - timings["wheel"]

    work = tmp / "empty"
    work.mkdir()
    env = _clean_env(SERANG_GIS_CACHE=str(tmp / "cache"), MPLCONFIGDIR=str(tmp / "mpl"), HOME=str(tmp / "home"))
    where = subprocess.run(["unshare", "-n", str(py), "-c", _PROBE], capture_output=True, text=True, env=env, cwd=work)
    assert where.returncode == 0, where.stderr
    t1 = time.perf_counter()
    run = subprocess.run(["unshare", "-n", str(venv / "bin" / "serang-gis"), "build"], capture_output=True, text=True, env=env, cwd=work)
    timings["build"] = time.perf_counter() - t1
    timings["total"] = time.perf_counter() - t0
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "wheel_test.json").write_text(json.dumps({"wheel_bytes": wheel.stat().st_size, "seconds": timings}, indent=1))
    return {"wheel": wheel, "venv": venv, "py": py, "work": work, "out": work / "outputs", "run": run, "env": env,
            "probe": json.loads(where.stdout), "cache": tmp / "cache"}


_PROBE = """
import json, socket, importlib.metadata as md, serang_gis
try:
    socket.create_connection(("1.1.1.1", 443), timeout=3).close(); net = "open"
except OSError as exc:
    net = type(exc).__name__ + ": " + str(exc)
d = md.distribution("serang-gis")
print(json.dumps({"module": serang_gis.__file__, "version": d.version, "dist": str(d.locate_file("")), "net": net}))
"""


@pytest.mark.wheel
@pytest.mark.slow
def test_wheel_carries_front_end_files_boundaries_and_licences(wheel_atlas):
    with zipfile.ZipFile(wheel_atlas["wheel"]) as zf:
        names = set(zf.namelist())
        stamp = json.loads(zf.read("serang_gis/render/leaflet/vendor/STAMP.json"))
        for rel, sha in stamp["files"].items():  # every vendored file, as npm installed it
            assert hashlib.sha256(zf.read(f"serang_gis/render/leaflet/vendor/{rel}")).hexdigest() == sha
        assert zf.read("serang_gis/data/boundaries/kota_serang_kelurahan.fgb") == (PACKAGED / "kota_serang_kelurahan.fgb").read_bytes()
        assert b"BSD 2-Clause" in zf.read("serang_gis/render/leaflet/vendor/leaflet/LICENSE")
        assert b"Permission to use, copy, modify, and/or distribute" in zf.read("serang_gis/render/leaflet/vendor/topojson-client/LICENSE")  # ISC
        assert b"Cahya DSN" in zf.read("serang_gis/data/boundaries/LICENSE")
    assert {"serang_gis/py.typed", "serang_gis/render/leaflet/vendor/leaflet/dist/leaflet.js", "serang_gis/render/leaflet/vendor/leaflet/dist/leaflet.css",
            "serang_gis/render/leaflet/vendor/topojson-client/dist/topojson-client.min.js", "serang_gis/data/boundaries_registry.csv"} <= names
    vendored = {n.split("/")[4] for n in names if n.startswith("serang_gis/render/leaflet/vendor/") and n.count("/") > 4}
    assert vendored == {"leaflet", "topojson-client"}  # no devDependency (axe-core, lighthouse), no commander, nothing else of npm
    assert stamp["packages"]["leaflet"]["version"] == "1.9.4"
    assert not any(n.endswith((".map", "leaflet-src.js")) for n in names)  # only what the maps need


@pytest.mark.wheel
@pytest.mark.slow
def test_installed_wheel_is_what_runs_and_the_network_was_cut(wheel_atlas):
    probe = wheel_atlas["probe"]
    assert Path(probe["module"]).is_relative_to(wheel_atlas["venv"]), probe  # not the checkout, not an editable install
    assert Path(probe["dist"]).is_relative_to(wheel_atlas["venv"])
    assert probe["net"] != "open" and "unreachable" in probe["net"].lower(), probe
    for cmd in (["serang-gis", "--version"], ["python", "-m", "serang_gis", "--version"]):
        proc = subprocess.run([str(wheel_atlas["venv"] / "bin" / cmd[0]), *cmd[1:]], capture_output=True, text=True,
                              env=wheel_atlas["env"], cwd=wheel_atlas["work"])
        assert proc.returncode == 0 and proc.stdout.strip() == f"serang-gis, version {probe['version']}"


@pytest.mark.wheel
@pytest.mark.gdal_cli
@pytest.mark.slow
def test_wheel_builds_the_kota_serang_atlas_offline_in_an_empty_folder(wheel_atlas):
    run, out = wheel_atlas["run"], wheel_atlas["out"]
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Kelurahan cocok            67 / 67" in run.stdout and "Kecamatan                  6" in run.stdout
    assert "kota_serang_kelurahan.fgb (wilayah_boundaries" in run.stdout  # the packaged file (only it is a .fgb)
    cache = wheel_atlas["cache"]
    downloaded = [p for p in cache.rglob("*") if p.relative_to(cache).parts[0] != "results"] if cache.exists() else []
    assert downloaded == []  # nothing downloaded (results/ keeps the cleaned coverage: core.cache)
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in ("peta_kelurahan.html", "peta_kecamatan.html", "serang_gis.gpkg", "kelurahan.csv"):
        assert f'href="{name}"' in index and (out / name).stat().st_size > 0
    # the kelurahan map's payload: 67 kelurahan, the codes of the packaged file
    html = (out / "peta_kelurahan.html").read_text(encoding="utf-8")
    payload = read_payload(html)
    codes = pyogrio.read_dataframe(PACKAGED / "kota_serang_kelurahan.fgb", read_geometry=False)["kode"]
    assert sorted(payload["cols"]["kode"]) == sorted(codes) and len(set(payload["cols"]["kode"])) == 67
    assert [len(o["geometries"]) for o in payload["topo"]["objects"].values()] == [67]
    # Leaflet beside the map is the wheel's npm copy
    vendor = Path(wheel_atlas["probe"]["module"]).parent / "render" / "leaflet" / "vendor"
    assert (out / "lib" / "leaflet.js").read_bytes() == (vendor / "leaflet" / "dist" / "leaflet.js").read_bytes()
    # the GeoPackage, through GDAL's own command-line tool
    info = subprocess.run(["ogrinfo", "-so", str(out / "serang_gis.gpkg"), "kelurahan"], capture_output=True, text=True)
    assert info.returncode == 0 and "Feature Count: 67" in info.stdout
    kec = subprocess.run(["ogrinfo", "-so", str(out / "serang_gis.gpkg"), "kecamatan"], capture_output=True, text=True)
    assert "Feature Count: 6" in kec.stdout


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


@pytest.mark.wheel
@pytest.mark.browser
@pytest.mark.slow
def test_wheel_atlas_renders_67_kelurahan_in_chromium_with_the_network_cut(wheel_atlas, browser):
    from .test_maps_browser import Page

    assert wheel_atlas["run"].returncode == 0, wheel_atlas["run"].stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(wheel_atlas["out"])))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        p = Page(browser, f"http://127.0.0.1:{server.server_address[1]}/peta_kelurahan.html")  # every other host refused
        assert p.errors == []
        assert p.page.evaluate("sgAtlas.features.length") == 67
        lid = p.page.evaluate("sgAtlas.P.layers[0].id")
        assert p.page.locator(f"path.sg-layer-{lid}").count() == 67
        assert all(u.startswith("http://127.0.0.1") for u in p.requests)
        p.screenshot("wheel_peta_kelurahan.png")
        p.page.close()
    finally:
        server.shutdown()
        server.server_close()
