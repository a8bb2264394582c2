"""Shared fixtures: paths to the third-party data in ../shared (never copied into the repo)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BOUNDARIES = SHARED / "boundaries"
SERANG = BOUNDARIES / "kota_serang_kelurahan.geojson"
OUTPUT = ROOT / "tests" / "output"  # screenshots and other artefacts worth keeping from a run


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """No test sees the developer's boundary settings or cache."""
    monkeypatch.delenv("SERANG_GIS_BOUNDARIES", raising=False)
    monkeypatch.delenv("SERANG_GIS_MIRROR", raising=False)
    monkeypatch.setenv("SERANG_GIS_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def serang_path() -> Path:
    assert SERANG.exists(), f"the shared boundary data is missing: {SERANG}"
    return SERANG


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
    from serang_gis import fetch

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
