"""`serang-gis join` and `serang-gis template` end to end; outputs re-opened through GDAL."""

import json

import pyogrio
from click.testing import CliRunner

from serang_gis.cli.main import cli

from . import fixtures as F


def _run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_join_writes_layer_and_report_and_leaks_nothing(tmp_path, serang_path):
    truth = F.truth_aggregate()
    xlsx = tmp_path / "sasaran.xlsx"
    rows_of = F.write_messy_xlsx(xlsx, truth)
    byname = tmp_path / "eppgbm.csv"
    counts, secrets = F.write_byname(byname, n_children=500)
    # the by-name counts replace the workbook's balita columns: keep only the family columns of the workbook
    res = _run("join", "--boundaries", serang_path, "--data", byname, "--period", "2024-08",
               "-o", tmp_path / "joined.gpkg", "--report", tmp_path / "report.json")
    assert res.exit_code == 0, res.output
    kel = pyogrio.read_dataframe(tmp_path / "joined.gpkg", layer="kelurahan")
    assert len(kel) == 67
    got = {r.kode_kel: {"balita_diukur": r.balita_diukur, "pendek": r.pendek, "sangat_pendek": r.sangat_pendek}
           for r in kel.itertuples() if r.balita_diukur == r.balita_diukur}
    assert got == counts
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["files"][0]["kind"] == "byname"
    everything = (tmp_path / "report.json").read_text() + res.output + kel.to_csv()
    assert not any(n in everything for n in secrets["nik"]) and not any(n in everything for n in secrets["nama"])
    # the raw GeoPackage bytes too
    raw = (tmp_path / "joined.gpkg").read_bytes()
    assert not any(n.encode() in raw for n in list(secrets["nik"])[:50])

    res = _run("join", "--boundaries", serang_path, "--data", xlsx, "-o", tmp_path / "s.geojson", "--report", tmp_path / "r2.json")
    assert res.exit_code == 0, res.output
    assert f"UNMATCHED row {rows_of['wrong']}: 'KEL. ANTAH BERANTAH'" in res.output
    assert "totals check: 35 of 35 agree" in res.output
    assert "kelurahan with data 67 of 67" in res.output


def test_invalid_value_stops_with_nothing_written(tmp_path, serang_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Kecamatan;Kelurahan;Balita Diukur;Balita Pendek\nSerang;Cipare;10;12\n", encoding="utf-8")
    res = _run("join", "--boundaries", serang_path, "--data", bad, "-o", tmp_path / "j.gpkg", "--report", tmp_path / "r.json")
    assert res.exit_code == 1
    assert "bad.csv:row 2:column 'Balita Diukur': 12 stunted toddlers but only 10 measured" in res.output
    assert "Traceback" not in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_existing_output_needs_overwrite(tmp_path, serang_path):
    data = tmp_path / "d.csv"
    data.write_text("Kecamatan,Kelurahan,Jumlah Stunting\nSerang,Cipare,4\n", encoding="utf-8")
    out = tmp_path / "j.csv"
    out.write_text("keep me")
    res = _run("join", "--boundaries", serang_path, "--data", data, "-o", out)
    assert res.exit_code == 1 and "--overwrite" in res.output and out.read_text() == "keep me"
    res = _run("join", "--boundaries", serang_path, "--data", data, "-o", out, "--overwrite")
    assert res.exit_code == 0 and "36.73.01.1002" in out.read_text(encoding="utf-8-sig")


def test_strict_turns_warnings_into_errors(tmp_path, serang_path):
    data = tmp_path / "d.csv"
    data.write_text("Kecamatan,Kelurahan,Jumlah Stunting\nSerang,Cipare,4\nSerang,Atlantis,2\n", encoding="utf-8")
    res = _run("join", "--boundaries", serang_path, "--data", data, "-o", tmp_path / "j.gpkg", "--strict")
    assert res.exit_code == 1 and "Atlantis" in res.output and not (tmp_path / "j.gpkg").exists()


def test_map_option(tmp_path, serang_path):
    data = tmp_path / "d.csv"
    data.write_text("Wilayah,Kasus\nCipare,4\n", encoding="utf-8")
    res = _run("join", "--boundaries", serang_path, "--data", data, "-o", tmp_path / "j.csv", "--map", "Wilayah=kelurahan",
               "--map", "Kasus=stunting")
    assert res.exit_code == 0, res.output
    res = _run("join", "--boundaries", serang_path, "--data", data, "-o", tmp_path / "k.csv", "--map", "Kasus=kasus")
    assert res.exit_code == 2 and "not a field" in res.output


def test_template_round_trip(tmp_path, serang_path):
    xlsx = tmp_path / "data_sasaran.xlsx"
    res = _run("template", "--boundaries", serang_path, "-o", xlsx)
    assert res.exit_code == 0, res.output
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Data Sasaran"]
    header = [c.value for c in ws[3]]
    assert header[:4] == ["No", "Kode Wilayah", "Kecamatan", "Desa/Kelurahan"]
    assert ws.max_row == 3 + 67
    odf_col = header.index("Status ODF") + 1
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and "ODF terverifikasi" in lists[0].formula1
    assert ws.cell(4, 2).value == "36.73.01.1001"
    ws.cell(4, header.index("Jumlah Balita Diukur") + 1).value = 120
    ws.cell(4, header.index("Balita Pendek") + 1).value = 14
    ws.cell(4, odf_col).value = "Belum ODF"
    ws.cell(4, header.index("Balita Sangat Pendek") + 1).value = 0
    ws.cell(4, header.index("Jumlah Sasaran Balita") + 1).value = 150
    ws.cell(4, header.index("Jumlah KK") + 1).value = 2000
    ws.cell(4, header.index("% KK Akses Jamban Sehat") + 1).value = 80
    wb.save(xlsx)
    res = _run("join", "--boundaries", serang_path, "--data", xlsx, "-o", tmp_path / "j.gpkg")
    assert res.exit_code == 0, res.output
    kel = pyogrio.read_dataframe(tmp_path / "j.gpkg").set_index("kode_kel")
    assert kel.at["36.73.01.1001", "balita_diukur"] == 120 and kel.at["36.73.01.1001", "status_odf"] == "Belum ODF"
    assert kel.at["36.73.01.1001", "sasaran_balita"] == 150 and kel.at["36.73.01.1001", "kk"] == 2000
    assert kel.at["36.73.01.1001", "kesenjangan_sanitasi"] == 20 and kel.at["36.73.01.1001", "kesenjangan_sanitasi_ci_bawah"] < 20
    assert kel.at["36.73.01.1001", "keandalan_gizi"] == "cukup" and kel.at["36.73.01.1001", "prevalensi_stunting_ci_atas"] > 14 / 120 * 100
    assert "matched by code 67" in res.output and "coverage 80% (120 measured / 150 sasaran in 1 kelurahan" in res.output
    res = _run("template", "--boundaries", serang_path, "-o", xlsx)
    assert res.exit_code == 1 and "exists" in res.output


def test_config_file_and_chosen_sheet(tmp_path, serang_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Catatan"
    wb.active.append(["lembar ini bukan data"])
    ws = wb.create_sheet("Rekap")
    ws.append(["Wilayah", "Kecamatan", "Kasus"])
    ws.append(["Sukawana", "Curug", 29])
    ws.append(["Sukawana", "Serang", 3])
    path = tmp_path / "rekap.xlsx"
    wb.save(path)
    cfg = tmp_path / "kolom.toml"
    cfg.write_text('[columns]\n"Wilayah" = "kelurahan"\n"Kasus" = "stunting"\n', encoding="utf-8")
    res = _run("join", "--boundaries", serang_path, "--data", path, "--sheet", "Rekap", "--config", cfg, "-o", tmp_path / "j.csv")
    assert res.exit_code == 0, res.output
    import pandas as pd

    out = pd.read_csv(tmp_path / "j.csv", dtype={"kode_kel": str}, encoding="utf-8-sig").set_index("kode_kel")
    assert out.at["36.73.04.1007", "stunting"] == 29 and out.at["36.73.01.1008", "stunting"] == 3
    bad = tmp_path / "bad.toml"
    bad.write_text('[kolom]\n"a" = "b"\n', encoding="utf-8")
    res = _run("join", "--boundaries", serang_path, "--data", path, "--sheet", "Rekap", "--config", bad, "-o", tmp_path / "k.csv")
    assert res.exit_code == 1 and "unknown key(s) kolom" in res.output
    res = _run("join", "--boundaries", serang_path, "--data", path, "--sheet", "Data", "-o", tmp_path / "k.csv")
    assert res.exit_code == 1 and "no sheet 'Data'" in res.output and "Catatan, Rekap" in res.output
