"""The download path, against a loopback HTTP server laid out like the pinned source."""

import hashlib
import socket

import pytest

from serang_gis import DownloadError, InputError, read_boundaries
from serang_gis.read import fetch

from .conftest import BOUNDARIES


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.shared_data
def test_registry_covers_every_kab_kota():
    reg = fetch.registry()
    assert len(fetch.regions()) == 513
    e = reg[("kelurahan", "36.73")]
    assert e.sha256 == _sha(BOUNDARIES / "kota_serang_kelurahan.geojson")
    assert fetch.entry_for("kecamatan", "36.73").path.endswith("wilayah_boundaries_kec_36.geojson")


def test_fetch_downloads_checks_and_caches(mirror, monkeypatch):
    monkeypatch.setenv("SERANG_GIS_MIRROR", mirror["url"])
    files = fetch.resolve("36.72")
    assert files.origin == "registry"
    assert files.kelurahan.is_relative_to(fetch.cache_dir())
    assert _sha(files.kelurahan) == fetch.registry()[("kelurahan", "36.72")].sha256
    assert [p.name for p in files.names] == ["wilayah_boundaries_kec_36.geojson", "wilayah_boundaries_kab_36.geojson"]
    # second time: served from the cache even with the server gone
    monkeypatch.setenv("SERANG_GIS_MIRROR", "http://127.0.0.1:9/")
    assert fetch.resolve("36.72").kelurahan == files.kelurahan
    assert fetch.cached("kelurahan", "36.72") == files.kelurahan
    # Kota Serang's registry file still downloads (`boundaries fetch`), though builds use the packaged copy
    monkeypatch.setenv("SERANG_GIS_MIRROR", mirror["url"])
    assert _sha(fetch.fetch("kelurahan", "36.73")) == fetch.registry()[("kelurahan", "36.73")].sha256


def test_kota_serang_is_packaged_and_needs_no_network_or_cache(monkeypatch):
    monkeypatch.setenv("SERANG_GIS_MIRROR", "http://127.0.0.1:9/")  # nothing listens: any download would fail
    files = fetch.resolve("36.73")
    assert files.origin == "package" and files.kelurahan.suffix == ".fgb" and files.names == ()
    assert not any(fetch.cache_dir().rglob("*"))  # the cache stays empty
    b = read_boundaries("36.73")
    assert len(b.kelurahan) == 67 and b.kelurahan["kecamatan"].nunique() == 6
    assert b.report.name_sources["kecamatan"] == "serang_gis embedded gazetteer"


def test_a_damaged_packaged_file_is_refused(monkeypatch, tmp_path):
    import shutil

    folder = tmp_path / "serang_gis" / "data" / "boundaries"
    shutil.copytree(fetch.resources.files("serang_gis") / "data" / "boundaries", folder)
    data = bytearray((folder / "kota_serang_kelurahan.fgb").read_bytes())
    data[-100] ^= 1
    (folder / "kota_serang_kelurahan.fgb").write_bytes(bytes(data))
    monkeypatch.setattr(fetch.resources, "files", lambda pkg: tmp_path / pkg)
    with pytest.raises(DownloadError, match="packaged boundary file is damaged"):
        fetch.resolve("36.73")


def test_tampered_file_is_rejected_and_deleted(mirror, monkeypatch):
    path = mirror["root"] / fetch.registry()[("kelurahan", "36.72")].path
    data = bytearray(path.read_bytes())
    data[500] = ord("7") if data[500] != ord("7") else ord("8")
    path.write_bytes(bytes(data))
    monkeypatch.setenv("SERANG_GIS_MIRROR", mirror["url"])
    with pytest.raises(DownloadError, match="does not match the registry and was deleted"):
        fetch.fetch("kelurahan", "36.72")
    assert not (fetch.cache_dir() / fetch.registry()[("kelurahan", "36.72")].path).exists()


def test_offline_and_not_cached_says_what_to_do(monkeypatch):
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("SERANG_GIS_MIRROR", f"http://127.0.0.1:{port}/")
    with pytest.raises(DownloadError) as err:
        fetch.resolve("36.72")
    msg = str(err.value)
    assert "serang-gis boundaries fetch --region 36.72" in msg
    assert "--boundaries PATH" in msg and "SERANG_GIS_BOUNDARIES" in msg
    assert fetch.registry()[("kelurahan", "36.72")].sha256 in msg


def test_local_file_wins(monkeypatch, tmp_path, serang_path):
    import shutil

    shutil.copy(serang_path, tmp_path / "env.geojson")
    monkeypatch.setenv("SERANG_GIS_BOUNDARIES", str(tmp_path / "env.geojson"))
    assert fetch.resolve("36.73").origin == "SERANG_GIS_BOUNDARIES"
    assert fetch.resolve("36.73", tmp_path / "given.geojson").kelurahan.name == "given.geojson"


def test_a_bad_path_in_the_environment_variable_is_said_to_come_from_it(monkeypatch, tmp_path):
    """Walk adv12 M4: "/nonexistent/x: no such file" for a path the user never typed (it was $SERANG_GIS_BOUNDARIES)."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "not.geojson").write_text("x", encoding="utf-8")
    for value, said in ((tmp_path / "nowhere.geojson", "no such file or folder"), (tmp_path / "empty", "no boundary file for 36.73"),
                        (tmp_path / "not.geojson", "GDAL cannot read this file")):
        monkeypatch.setenv("SERANG_GIS_BOUNDARIES", str(value))
        with pytest.raises(InputError) as err:
            fetch.resolve("36.73")
        assert said in err.value.message and "(named by $SERANG_GIS_BOUNDARIES)" in err.value.message
        assert "unset SERANG_GIS_BOUNDARIES" in err.value.hint


def test_unknown_region():
    with pytest.raises(InputError, match="not in the boundary registry"):
        fetch.entry_for("kelurahan", "99.99")
