"""`serang-gis map` end to end: the written page, its lib/ folder, and the errors a user meets."""

from serang_gis.render.leaflet.packing import read_payload

from .conftest import run_cli as _run


def _payload(path):
    return read_payload(path.read_text(encoding="utf-8"))


def test_map_with_lokus_list_and_puskesmas(joined_gpkg, tmp_path):
    lokus = tmp_path / "lokus_2025.csv"
    lokus.write_text("Kecamatan,Kelurahan\nCurug,Sukawana\nKasemen,KEL. KASEMEN\nWalantaka,Pengampelan\n", encoding="utf-8")
    pusk = tmp_path / "puskesmas.csv"
    pusk.write_text("nama,lat,lon\nPuskesmas Kasemen,-6.0771,106.1532\nPuskesmas Curug,-6.1768,106.1794\n", encoding="utf-8")
    out = tmp_path / "peta.html"
    res = _run("map", joined_gpkg, "--indicator", "prevalensi", "--scheme", "quantiles", "--k", "4", "--target", "14",
               "--lokus", lokus, "--puskesmas", pusk, "-o", out)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "lib" / "atlas.js").exists()
    p = _payload(out)
    kinds = {layer["name"]: layer for layer in p["layers"]}
    assert kinds["Prevalensi stunting"]["type"] == "choropleth" and len(kinds["Prevalensi stunting"]["classes"]["colors"]) == 4
    assert kinds["Prevalensi stunting"]["target"] == 14
    flags = dict(zip(p["cols"]["kode"], p["cols"]["lokus_2025"]))
    assert sum(flags.values()) == 3 and flags["36.73.04.1007"] and flags["36.73.03.1004"] and not flags["36.73.01.1008"]
    assert [pt["name"] for pt in kinds["Puskesmas"]["points"]] == ["Puskesmas Kasemen", "Puskesmas Curug"]


def test_map_errors(joined_gpkg, tmp_path):
    res = _run("map", joined_gpkg, "--indicator", "prevalensi", "--scheme", "manual", "-o", tmp_path / "a.html")
    assert res.exit_code == 2 and "--bins" in res.output
    res = _run("map", joined_gpkg, "--indicator", "nothing", "-o", tmp_path / "a.html")
    assert res.exit_code == 1 and "no indicator 'nothing'" in res.output and "prevalensi_stunting" in res.output
    bad = tmp_path / "lokus.csv"
    bad.write_text("Kelurahan\nSukawana\n", encoding="utf-8")
    res = _run("map", joined_gpkg, "--indicator", "prevalensi", "--lokus", bad, "-o", tmp_path / "a.html")
    assert res.exit_code == 1 and "lokus.csv:row 2" in res.output and "36.73.01.1008" in res.output
    pusk = tmp_path / "p.csv"
    pusk.write_text("name,lat,lon\nX,106.1,-6.1\n", encoding="utf-8")
    res = _run("map", joined_gpkg, "--indicator", "prevalensi", "--puskesmas", pusk, "-o", tmp_path / "a.html")
    assert res.exit_code == 1 and "p.csv:row 2" in res.output
    assert not (tmp_path / "a.html").exists()


def test_manual_bins_and_english(joined_gpkg, tmp_path):
    out = tmp_path / "en.html"
    res = _run("map", joined_gpkg, "--indicator", "persen_keluarga_berisiko", "--scheme", "manual", "--bins", "10,20,30",
               "--lang", "en", "--offline", "-o", out)
    assert res.exit_code == 0, res.output
    p = _payload(out)
    main = p["layers"][0]
    assert main["name"] == "Families at risk of stunting" and main["classes"]["breaks"] == [10, 20, 30]
    assert main["classes"]["labels"] == ["< 10 %", "10 – < 20 %", "20 – < 30 %", "≥ 30 %"]
    assert not (tmp_path / "lib").exists()  # offline: one file


def test_counts_map_as_circles(joined_gpkg, tmp_path):
    out = tmp_path / "c.html"
    res = _run("map", joined_gpkg, "--indicator", "balita_stunting", "-o", out)
    assert res.exit_code == 0, res.output
    assert [layer["type"] for layer in _payload(out)["layers"]][:2] == ["categorical", "circles"]
