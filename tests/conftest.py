"""Shared fixtures: paths to the third-party data in ../shared (never copied into the repo).

Tests that need a part a user may lack carry a marker and skip with the reason when it is missing:
``browser`` (Chromium + Playwright), ``qgis`` (Debian python3-qgis), ``gdal_cli`` (ogrinfo, ogr2ogr),
``shared_data`` (the boundary files in ../shared/data/boundaries; tests using the fixtures below
are marked automatically), ``wheel`` (npm with the pinned packages in its cache, hatchling,
``unshare -n``). With ``SERANG_GIS_REQUIRE_ALL=1`` (set by .ci/run) each such skip, and any other
skip, is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

ROOT = Path(__file__).resolve().parents[1]
# the shared data beside the checkout; a git worktree elsewhere (/work/wt/<name>) names it with SERANG_GIS_SHARED_DATA
SHARED = Path(os.environ.get("SERANG_GIS_SHARED_DATA") or ROOT.parent / "shared" / "data")
BOUNDARIES = SHARED / "boundaries"
SERANG = BOUNDARIES / "kota_serang_kelurahan.geojson"
OUTPUT = ROOT / "tests" / "output"  # screenshots and other artefacts worth keeping from a run
CHROMIUM = os.environ.get("SERANG_GIS_CHROMIUM", "/usr/bin/chromium")
QGIS_PYTHON = "/usr/bin/python3"  # Debian's python with python3-qgis
REQUIRE_ALL = os.environ.get("SERANG_GIS_REQUIRE_ALL", "") not in ("", "0")
SHARED_FIXTURES = {"serang_path", "big_zip", "mirror", "joined_gpkg"}


# ---- parts a user may lack: one check each, returning why it is missing (or None) ---------------


def _missing_browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed ({CHROMIUM}; Debian: apt-get install chromium, or set SERANG_GIS_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (python3 -m pip install '.[test]')"
    return None


def _missing_qgis():
    if not os.path.isfile(QGIS_PYTHON):
        return f"QGIS needs Debian's {QGIS_PYTHON} with python3-qgis, not found"
    probe = subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True)
    return None if probe.returncode == 0 else "QGIS is not installed (Debian: apt-get install python3-qgis)"


def _missing_gdal_cli():
    absent = [t for t in ("ogrinfo", "ogr2ogr") if shutil.which(t) is None]
    return f"GDAL command-line tools not found: {', '.join(absent)} (Debian: apt-get install gdal-bin)" if absent else None


def _missing_shared_data():
    needed = [SERANG, BOUNDARIES / "banten_kecamatan.geojson", BOUNDARIES / "banten_kabkota.geojson",
              BOUNDARIES / "banten" / "wilayah_boundaries_kel_36.72.geojson", BOUNDARIES / "indonesia_kelurahan_1m.parquet"]
    absent = [p for p in needed if not p.is_file()]
    return f"the shared boundary files are not here: {absent[0]} (see boundaries/README.md)" if absent else None


def _missing_wheel_tools():
    if shutil.which("npm") is None:
        return "npm is not installed (the wheel build runs `npm ci`)"
    try:
        import hatchling  # noqa: F401
    except ImportError:
        return "hatchling is not installed (python3 -m pip install '.[test]')"
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        return "`unshare -n` cannot cut the network here (needs root or user namespaces)"
    return None


PARTS = {"browser": _missing_browser, "qgis": _missing_qgis, "gdal_cli": _missing_gdal_cli,
         "shared_data": _missing_shared_data, "wheel": _missing_wheel_tools}


@functools.cache
def missing(part: str) -> str | None:
    """Why ``part`` is missing on this machine, or None when it is there."""
    return PARTS[part]()


# builds shared by several test modules (session fixtures below, read only): the modules using one run in one
# pytest-xdist group (`--dist loadgroup`, pyproject's addopts), so each is built once per run, not once per worker
SHARED_BUILDS = {"default_build": "default_build", "default_build_en": "default_build",
                 "rembuk_bare": "rembuk", "rembuk_full": "rembuk",
                 "flows_atlas": "browser_maps", "default_maps": "browser_maps", "konv_map": "browser_maps"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    """Parts a test needs, from its fixtures; each test module is one xdist group (its module fixtures are built once
    per run), or the group of the shared build it uses."""
    groups = {}
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if SHARED_FIXTURES & used:
            item.add_marker(pytest.mark.shared_data)
        if "browser" in used:
            item.add_marker(pytest.mark.browser)
        module = item.path.stem
        shared = sorted({SHARED_BUILDS[f] for f in used if f in SHARED_BUILDS})
        if shared:
            groups[module] = shared[0]
        groups.setdefault(module, module)
    for item in items:
        item.add_marker(pytest.mark.xdist_group(groups[item.path.stem]))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    for part in sorted({m.name for m in item.iter_markers()} & PARTS.keys()):
        reason = missing(part)
        if reason:
            if REQUIRE_ALL:
                pytest.fail(f"SERANG_GIS_REQUIRE_ALL is set and a {part} test cannot run: {reason}", pytrace=False)
            pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under SERANG_GIS_REQUIRE_ALL any other skip (an importorskip, a skipif) fails too: CI runs everything."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"SERANG_GIS_REQUIRE_ALL is set and the test was skipped: {reason}"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """No test sees the developer's boundary settings or cache."""
    monkeypatch.delenv("SERANG_GIS_BOUNDARIES", raising=False)
    monkeypatch.delenv("SERANG_GIS_MIRROR", raising=False)
    monkeypatch.setenv("SERANG_GIS_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def serang_path() -> Path:
    return SERANG  # tests using it are marked shared_data (skipped when it is missing)


@pytest.fixture(scope="session")
def big_zip(tmp_path_factory) -> Path:
    """Kota Serang in the BIG 'Batas Desa' schema: UTM 48S, numeric codes, upper-case names, zipped shapefile."""
    kel = gpd.read_file(SERANG)
    kec = gpd.read_file(BOUNDARIES / "banten_kecamatan.geojson")
    names = dict(zip(kec["kode"], kec["nama"]))
    big = gpd.GeoDataFrame(
        {
            "KDEPUM": kel["kode"].str.replace(".", "").astype("int64"),
            "KDCPUM": kel["kode"].str[:8].str.replace(".", "").astype("int64"),
            "KDPKAB": 3673,
            "WADMKD": kel["nama"].str.upper(),
            "WADMKC": kel["kode"].str[:8].map(names).str.upper(),
            "WADMKK": "KOTA SERANG",
            "WADMPR": "BANTEN",
            "TIPADM": 1,
        },
        geometry=kel.geometry,
        crs=kel.crs,
    ).to_crs(32748)
    folder = tmp_path_factory.mktemp("big")
    shp = folder / "ADMINISTRASIDESA_AR_25K.shp"
    big.to_file(shp, engine="pyogrio")
    zpath = folder / "BATAS_DESA_KOTA_SERANG.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for part in folder.glob("ADMINISTRASIDESA_AR_25K.*"):
            zf.write(part, part.name)
    return zpath


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def mirror(tmp_path):
    """A loopback HTTP server laid out like the registry, serving the shared boundary files."""
    from serang_gis.read import fetch

    root = tmp_path / "mirror"
    sources = {
        ("kelurahan", "36.73"): BOUNDARIES / "banten" / "wilayah_boundaries_kel_36.73.geojson",
        ("kelurahan", "36.72"): BOUNDARIES / "banten" / "wilayah_boundaries_kel_36.72.geojson",
        ("kecamatan", "36"): BOUNDARIES / "banten_kecamatan.geojson",
        ("kabkota", "36"): BOUNDARIES / "banten_kabkota.geojson",
    }
    for key, src in sources.items():
        dest = root / fetch.registry()[key].path
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_address[1]}/", "root": root}
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (tests using it are marked ``browser``)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        yield b
        b.close()


# a unit's profile popup, open and filled: its code under its name, every row's value cell written (a popup read right
# after sgAtlas.focus or a click can be the previous one, or a row without its value yet, on a loaded machine)
PROFILE_SHOWN = """k => {
    const A = window.sgAtlas, pop = document.querySelector('.leaflet-popup .sg-profile');
    if (!A || !pop) return false;
    const sub = pop.querySelector('.sg-sub'), rows = [...pop.querySelectorAll('tr')].filter(r => r.querySelector('th[scope=row]'));
    if (!sub || !rows.length) return false;
    if (k !== null && k !== undefined) {
        const i = typeof k === 'number' ? k : A.P.cols.kode.indexOf(k);
        if (i < 0 || sub.textContent.split(' \u00b7 ')[0] !== String(A.col('kode', i))) return false;
    }
    return rows.every(r => { const td = r.querySelector('td'); return !!td && td.textContent.trim() !== ''; });
}"""


def wait_profile(page, unit=None, timeout=15_000):
    """Wait until the profile popup of ``unit`` (its code, or its index in sgAtlas's columns; None: any unit) is open
    and filled, before a test reads it (CI of be0918f read a row with its label only: IndexError)."""
    page.wait_for_function(PROFILE_SHOWN, arg=unit, timeout=timeout)


def run_cli(*args):
    """Invoke the CLI in-process with any path-like arguments."""
    from click.testing import CliRunner

    from serang_gis.cli.main import cli

    return CliRunner().invoke(cli, list(map(str, args)))


@pytest.fixture(scope="session")
def joined_gpkg(tmp_path_factory, serang_path):
    """The generated messy workbook (period 2024) joined to Kota Serang by the CLI."""
    from . import fixtures as F

    tmp = tmp_path_factory.mktemp("joined")
    F.write_messy_xlsx(tmp / "s.xlsx", F.truth_aggregate(), wrong_row=False)
    res = run_cli("join", "--boundaries", serang_path, "--data", tmp / "s.xlsx", "--period", "2024", "-o", tmp / "joined.gpkg")
    assert res.exit_code == 0, res.output
    return tmp / "joined.gpkg"


# ---- builds several modules read (session scope; SHARED_BUILDS puts their modules in one xdist group) -----------


@pytest.fixture(scope="session")
def default_build(tmp_path_factory, serang_path):
    """The default atlas of Kota Serang (`serang-gis build --as-of 2025-12-31`) and what the run printed: (folder,
    output). Built once; the tests only read it."""
    out = tmp_path_factory.mktemp("atlas")
    res = run_cli("build", "-o", out, "--boundaries", serang_path, "--as-of", "2025-12-31")
    assert res.exit_code == 0, res.output
    return out, res.output


@pytest.fixture(scope="session")
def default_build_en(tmp_path_factory, serang_path):
    """``default_build`` in English (`--lang en`): (folder, output). Built once; the tests only read it."""
    out = tmp_path_factory.mktemp("atlas_en")
    res = run_cli("build", "-o", out, "--boundaries", serang_path, "--as-of", "2025-12-31", "--lang", "en")
    assert res.exit_code == 0, res.output
    return out, res.output


@pytest.fixture(scope="session")
def rembuk_bare(tmp_path_factory, serang_path):
    """The rembuk pack of Kota Serang without any table of the user's (static maps on, as the rembuk command draws
    them): test_rembuk_pdf's ``_build`` result. The tests only read it."""
    from .test_rembuk_pdf import _build

    return _build(tmp_path_factory.mktemp("rembuk_bare"), serang_path, "[maps]\nstatic = true\n")


@pytest.fixture(scope="session")
def rembuk_full(tmp_path_factory, serang_path):
    """The rembuk pack of two periods (2021, 2023, their change), a rank and an activity matrix; the tests only read it."""
    from . import fixtures as F
    from .test_rembuk_pdf import _build

    tmp = tmp_path_factory.mktemp("rembuk_full")
    F.write_two_period_inputs(tmp, kegiatan=True)
    return _build(tmp, serang_path, F.two_period_toml(scopes=("kota",), kegiatan=True))


# ---- the maps the browser modules open (test_flows_browser, test_map_flows_browser, test_print_browser) -----------------


@pytest.fixture(scope="session")
def flows_atlas(tmp_path_factory, serang_path):
    """A config atlas with periods 2021 and 2023 and the change between them (no static maps: faster): its folder and
    its kelurahan.csv, {"dir", "table"}. The tests only read it."""
    import pandas as pd

    from .test_config_atlas import _write_config

    tmp = tmp_path_factory.mktemp("flows")
    cfg = _write_config(tmp, serang_path)
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("static = true", "static = false"), encoding="utf-8")
    res = run_cli("build", "--config", cfg)
    assert res.exit_code == 0, res.output
    out = tmp / "atlas"
    table = pd.read_csv(out / "kelurahan.csv", dtype={"kode_kel": str}, encoding="utf-8-sig").set_index("kode_kel")
    return {"dir": out, "table": table}


@pytest.fixture(scope="session")
def default_maps(tmp_path_factory, serang_path):
    """The default atlas (kelurahan map with ODF, lokus, circles, kecamatan; kecamatan map; index), and English maps.
    The tests only read them."""
    import datetime as dt

    from serang_gis import read_kelurahan
    from serang_gis.join.atlas import build_layers
    from serang_gis.pipeline import build_atlas
    from serang_gis.render.leaflet.atlas import kecamatan_spec, kelurahan_spec

    tmp = tmp_path_factory.mktemp("default")
    build_atlas(tmp / "id", boundaries=str(serang_path), static=False, as_of=dt.date(2025, 10, 1))
    layers = build_layers(read_kelurahan(serang_path), dt.date(2025, 10, 1))
    paths = {"kel_id": tmp / "id" / "peta_kelurahan.html", "kec_id": tmp / "id" / "peta_kecamatan.html",
             "index_id": tmp / "id" / "index.html"}
    paths["kel_en"] = kelurahan_spec(layers, "en").save(tmp / "peta_kelurahan_en.html")
    paths["kec_en"] = kecamatan_spec(layers, "en").save(tmp / "peta_kecamatan_en.html")
    return paths


TAKTAKAN = "36.73.06"


@pytest.fixture(scope="session")
def konv_map(tmp_path_factory, joined_gpkg):
    """The convergence map of the generated Aksi 2 matrix against the joined layer, lokus 2022, without the activities
    that reach kecamatan Taktakan (36.73.06): its six high-need kelurahan are "kebutuhan tinggi, tanpa belanja terlokasi"
    (every kelurahan of the full matrix gets some located pagu, so the gap list would be empty). The tests only read it
    (a test that writes a variant of the page writes it beside, and removes it)."""
    import pandas as pd

    from . import kegiatan_fixtures as K

    tmp = tmp_path_factory.mktemp("konvmap")
    acts = [a for a in K.make_activities() if not any(c.startswith(TAKTAKAN) for c in a.codes)]
    K.write_xlsx(tmp / "aksi2.xlsx", acts)
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp / "aksi2.xlsx", "--lokus", "2022", "-o", tmp / "out")
    assert res.exit_code == 0, res.output
    table = pd.read_csv(tmp / "out" / "konvergensi_kelurahan.csv", dtype={"kode_kel": str, "kelas_kebutuhan_belanja": str},
                        encoding="utf-8-sig")
    return {"map": tmp / "out" / "peta_konvergensi.html", "table": table}
