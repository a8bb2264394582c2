from click.testing import CliRunner

from serang_gis.read import fetch
from serang_gis.cli.main import cli


def test_info_on_the_public_file(serang_path):
    res = CliRunner().invoke(cli, ["boundaries", "info", str(serang_path)])
    assert res.exit_code == 0, res.output
    assert "schema      wilayah_boundaries (kode, nama)" in res.output
    assert "36.73.02  Kasemen" in res.output and "  10   (Kota Serang)" in res.output
    assert "duplicate name  Sukawana: 36.73.01.1008 (Serang), 36.73.04.1007 (Curug)" in res.output
    assert "repaired    0 invalid geometries" in res.output


def test_info_on_a_big_zip(big_zip):
    res = CliRunner().invoke(cli, ["boundaries", "info", str(big_zip)])
    assert res.exit_code == 0, res.output
    assert "BIG Batas Desa/Kelurahan" in res.output and "EPSG:32748" in res.output


def test_fetch_through_a_mirror(mirror, monkeypatch):
    monkeypatch.setenv("SERANG_GIS_MIRROR", mirror["url"])
    res = CliRunner().invoke(cli, ["boundaries", "fetch", "--region", "3673"])
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("36.73  ") for line in lines)
    assert fetch.cached("kelurahan", "36.73") is not None


def test_fetch_needs_a_region():
    res = CliRunner().invoke(cli, ["boundaries", "fetch"])
    assert res.exit_code == 2 and "--region" in res.output
    res = CliRunner().invoke(cli, ["boundaries", "fetch", "--list"])
    assert res.exit_code == 0 and "36.73" in res.output.split()


def test_build_downloads_when_nothing_is_given(mirror, monkeypatch, tmp_path):
    monkeypatch.setenv("SERANG_GIS_MIRROR", mirror["url"])
    res = CliRunner().invoke(cli, ["build", "--region", "36.72", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "Kota Cilegon (36.72)" in res.output and "Kelurahan                  43" in res.output
    assert "wilayah_boundaries_kel_36.72.geojson" in res.output and fetch.cached("kelurahan", "36.72") is not None


def test_build_of_kota_serang_uses_the_packaged_boundaries(monkeypatch, tmp_path):
    monkeypatch.setenv("SERANG_GIS_MIRROR", "http://127.0.0.1:9/")  # nothing listens: a download would fail
    res = CliRunner().invoke(cli, ["build", "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "Kelurahan cocok            67 / 67" in res.output  # the run speaks --lang (id) and "kota_serang_kelurahan.fgb" in res.output
    downloaded = [p for p in fetch.cache_dir().rglob("*") if p.relative_to(fetch.cache_dir()).parts[0] != "results"]
    assert downloaded == []  # nothing downloaded (the cleaned coverage is kept under results/, core.cache)
