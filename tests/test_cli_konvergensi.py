"""`serang-gis konvergensi` end to end: a generated Aksi 2 matrix against the joined layer and lokus 2022.

Every expected figure comes from the generator's truth (tests/kegiatan_fixtures.py), computed there by
plain loops; outputs are re-read through GDAL (ogrinfo / pyogrio), openpyxl and a real Chromium.
"""

from __future__ import annotations

import csv
import functools
import http.server
import json
import subprocess
import threading

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from serang_gis.read import reference

from . import kegiatan_fixtures as K
from .conftest import run_cli, wait_profile


@pytest.fixture(scope="module")
def acts():
    return K.make_activities()


@pytest.fixture(scope="module")
def run(tmp_path_factory, joined_gpkg, acts):
    """The merged-header XLSX through the CLI with --lokus 2022."""
    tmp = tmp_path_factory.mktemp("konv")
    K.write_xlsx(tmp / "aksi2.xlsx", acts)
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp / "aksi2.xlsx", "--lokus", "2022", "-o", tmp / "out")
    assert res.exit_code == 0, res.output
    return {"dir": tmp / "out", "output": res.output, "tmp": tmp}


def _layer(path):
    return gpd.read_file(path, layer="konvergensi", engine="pyogrio")


def test_every_kelurahan_has_the_exact_number_of_offices_reaching_it(run, acts):
    layer = _layer(run["dir"] / "konvergensi.gpkg")
    assert len(layer) == 67
    expected = K.expected_opd_count(acts)
    assert dict(zip(layer["kode_kel"], layer["jumlah_opd"].astype(int))) == expected
    assert (layer["jumlah_opd"] == 0).sum() == sum(v == 0 for v in expected.values())  # partial reach stays partial
    subs = {c: set() for c in expected}
    for a in acts:
        for c in a.codes:
            subs[c].add((a.opd, a.sub))  # the matrix has no sub-kegiatan codes: office + name tells them apart
    assert dict(zip(layer["kode_kel"], layer["jumlah_subkegiatan"].astype(int))) == {c: len(s) for c, s in subs.items()}


def test_located_pagu_is_split_equally_and_the_city_wide_pagu_is_reported(run, acts):
    layer = _layer(run["dir"] / "konvergensi.gpkg")
    expected = K.expected_located_pagu(acts, "equal")
    got = dict(zip(layer["kode_kel"], layer["pagu_terlokasi"]))
    assert all(abs(got[c] - v) <= 0.5 for c, v in expected.items())
    report = json.loads((run["dir"] / "laporan_konvergensi.json").read_text(encoding="utf-8"))
    head = K.expected_headline(acts, K.lokus_2022())
    assert report["pagu"]["kota"] == head["kota"] and report["pagu"]["total"] == head["total"]
    # the headline is by allocation (equal split); the old "touches a lokus" measure is kept beside it
    assert abs(report["pagu"]["lokus"] - head["lokus"]) <= 1 and abs(report["pagu"]["non_lokus"] - head["non_lokus"]) <= 1
    assert report["utama"]["persen_lokus_terlokasi"] == round(100 * head["lokus"] / head["terlokasi"], 1)
    assert report["menyentuh_lokus"]["pagu"] == head["menyentuh_lokus"]
    assert report["menyentuh_lokus"]["persen"] == round(100 * head["menyentuh_lokus"] / head["terlokasi"], 1)
    assert report["menyentuh_lokus"]["persen_dari_total"] == round(100 * head["menyentuh_lokus"] / head["total"], 1)
    assert report["persen"]["kota"] == round(100 * head["kota"] / head["total"], 1)
    assert report["lokasi"] == {"kota": sum(a.kind == "kota" for a in acts), "kecamatan": sum(a.kind == "kecamatan" for a in acts),
                                "kelurahan": sum(a.kind == "kelurahan" for a in acts), "tidak_cocok": 0}
    per_opd = {r["opd"]: r for r in report["per_opd"]}
    for opd in K.OFFICES:
        mine = [a for a in acts if a.opd == opd]
        assert per_opd[opd]["pagu_kota"] == sum(a.pagu for a in mine if not a.codes)
        assert per_opd[opd]["pagu_total"] == sum(a.pagu for a in mine)
    # the terminal summary says the same
    assert f"Rp {head['kota']:,}".replace(",", ".") in run["output"]
    assert "se-kota (tidak terlokasi)" in run["output"]  # the summary's rows are in the chosen language (id by default)
    pct = f"{100 * head['lokus'] / head['terlokasi']:.1f}".replace(".", ",")
    assert f"{pct} % pagu terlokasi jatuh di kelurahan lokus (2022)" in run["output"]
    assert "menyentuh lokus" in run["output"]


def test_pagu_per_stunted_toddler_uses_the_joined_counts(run, joined_gpkg):
    layer = _layer(run["dir"] / "konvergensi.gpkg").set_index("kode_kel")
    joined = gpd.read_file(joined_gpkg, layer="kelurahan").set_index("kode_kel")
    for c in layer.index:
        n = joined.at[c, "balita_stunting"]
        if pd.isna(n) or n == 0:
            assert pd.isna(layer.at[c, "pagu_per_balita_stunting"])
        else:
            assert layer.at[c, "pagu_per_balita_stunting"] == pytest.approx(round(layer.at[c, "pagu_terlokasi"] / n), abs=1)


def test_geopackage_through_gdal_is_styled_for_qgis(run):
    gpkg = run["dir"] / "konvergensi.gpkg"
    info = subprocess.run(["ogrinfo", "-ro", "-so", str(gpkg), "konvergensi"], capture_output=True, text=True, check=True).stdout
    assert "Feature Count: 67" in info and "jumlah_opd: Integer" in info and "pagu_terlokasi: Real" in info
    styles = subprocess.run(["ogrinfo", "-ro", "-q", str(gpkg), "-sql", "SELECT f_table_name, styleQML FROM layer_styles"],
                            capture_output=True, text=True, check=True).stdout
    assert "f_table_name (String) = konvergensi" in styles and '&quot;jumlah_opd&quot; &gt;= 5.0' in styles and 'label="3 – 4"' in styles
    reached = subprocess.run(["ogrinfo", "-ro", "-q", str(gpkg), "-sql", "SELECT COUNT(*) AS n FROM konvergensi WHERE jumlah_opd > 0"],
                             capture_output=True, text=True, check=True).stdout
    layer = _layer(gpkg)
    assert f"n (Integer) = {int((layer['jumlah_opd'] > 0).sum())}" in reached


def test_matrix_xlsx_lists_each_lokus_and_the_offices_reaching_it(run, acts):
    wb = openpyxl.load_workbook(run["dir"] / "matriks_lokus_opd.xlsx", read_only=True)
    assert {"Ringkasan OPD", "Matriks lokus x OPD", "Celah layanan", "Kegiatan", "Anggaran makalah"} <= set(wb.sheetnames)
    rows = list(wb["Matriks lokus x OPD"].values)
    header, body = rows[0], rows[1:]
    lokus = K.lokus_2022()
    assert sorted(r[0] for r in body) == sorted(lokus)
    expected = K.expected_opd_count(acts)
    for r in body:
        rec = dict(zip(header, r))
        assert rec["jumlah_opd"] == expected[rec["kode_kel"]]
        offices = [h for h in header if h not in ("kode_kel", "kelurahan", "kecamatan", "prevalensi_stunting", "kesenjangan_sanitasi",
                                                  "belum_odf", "jumlah_opd") and not h.startswith("paket_")]
        assert sum(rec[h] is not None for h in offices) == expected[rec["kode_kel"]]
    # the paper's Table 2 typo is corrected and said
    paper = list(wb["Anggaran makalah"].values)
    pu = [dict(zip(paper[0], r)) for r in paper[1:] if r[0] == 2022 and r[2] == "pupr"][0]
    assert pu["anggaran_rp"] == 8_677_703_000 and "8.677.703.00" in pu["catatan"]


def test_gaps_name_a_lokus_no_sanitation_office_reaches(run, acts):
    layer = _layer(run["dir"] / "konvergensi.gpkg").set_index("kode_kel")
    sanitation = {"perkim", "pupr", "dlh"}
    reached = {c for a in acts if a.opd in sanitation for c in a.codes}
    wb = openpyxl.load_workbook(run["dir"] / "matriks_lokus_opd.xlsx", read_only=True)
    rows = list(wb["Celah layanan"].values)
    gaps = {(r[0], r[3]) for r in rows[1:]}
    for c in K.lokus_2022():
        assert ((c, "Air bersih & sanitasi") in gaps) == (c not in reached)
        assert bool(layer.at[c, "paket_air_sanitasi"]) == (c in reached)
    html = (run["dir"] / "matriks_lokus_opd.html").read_text(encoding="utf-8")
    assert html.count("<tr data-kode=") == len(K.lokus_2022())


def test_split_none_counts_each_pagu_whole_and_csv_input(tmp_path, joined_gpkg, acts):
    K.write_csv(tmp_path / "aksi2.csv", acts)
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "aksi2.csv", "--split", "none", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    table = pd.read_csv(tmp_path / "out" / "konvergensi_kelurahan.csv", dtype={"kode_kel": str}, encoding="utf-8-sig")
    expected = K.expected_located_pagu(acts, "none")
    assert dict(zip(table["kode_kel"], table["pagu_terlokasi"])) == pytest.approx(expected)
    assert "lokus" not in table.columns  # no list given: no lokus column, and the report says so
    assert "tanpa daftar lokus" in res.output


def test_bad_pagu_exits_1_names_the_cell_and_writes_nothing(tmp_path, joined_gpkg, acts):
    K.write_csv(tmp_path / "aksi2.csv", acts[:3], extra_rows=[[4, "Dinkes", "PMT", "spesifik", "Kota Serang", "1,2,3 M", "APBD", 2023]])
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "aksi2.csv", "-o", tmp_path / "out")
    assert res.exit_code == 1
    assert "aksi2.csv:row 6:column 'Pagu': '1,2,3 M'" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out").exists()


def test_unknown_office_is_reported_and_strict_stops(tmp_path, joined_gpkg, acts):
    K.write_csv(tmp_path / "aksi2.csv", acts[:3], extra_rows=[[4, "Dinas Pariwisata", "Festival", "koordinatif", "Kec. Curug", "10 juta", "APBD", 2023],
                                                              [5, "Dinkes", "PMT", "spesifik", "Kelurahan Entah", "10 juta", "APBD", 2023]])
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "aksi2.csv", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert "OPD 'Dinas Pariwisata' di baris 6 tidak dikenal" in res.output  # --lang id (the default): the summary in Indonesian
    assert "aksi2.csv baris 7: Lokasi 'Kelurahan Entah'" in res.output
    report = json.loads((tmp_path / "out" / "laporan_konvergensi.json").read_text(encoding="utf-8"))
    assert [r["baris"] for r in report["lokasi_tidak_cocok"]] == [7] and report["pagu"]["tidak_cocok"] == 10_000_000
    layer = _layer(tmp_path / "out" / "konvergensi.gpkg").set_index("kode_kel")
    curug = [c for c in layer.index if c.startswith("36.73.04")]
    assert all("Dinas Pariwisata" in layer.at[c, "daftar_opd"] for c in curug)
    strict = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "aksi2.csv", "--strict", "-o", tmp_path / "out2")
    assert strict.exit_code == 1 and "row 6:column 'OPD'" in strict.output and "row 7:column 'Lokasi'" in strict.output
    assert not (tmp_path / "out2").exists()


def test_bad_options(tmp_path, joined_gpkg):
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "none.csv", "-o", tmp_path / "o")
    assert res.exit_code == 2 and "no such file" in res.output
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "none.csv", "--split", "half", "-o", tmp_path / "o")
    assert res.exit_code == 2
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "none.csv", "--lokus", "2030", "-o", tmp_path / "o")
    assert res.exit_code == 2 and "--lokus" in res.output


def test_template_reads_back(tmp_path, serang_path, joined_gpkg):
    res = run_cli("template", "--kegiatan", "--boundaries", serang_path, "-o", tmp_path / "aksi2.xlsx")
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(tmp_path / "aksi2.xlsx")
    ws = wb["Matriks Aksi 2"]
    assert len(list(wb["Wilayah"].values)) == 68
    assert any("spesifik,sensitif,koordinatif" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)
    ws.append([1, "Dinas Kesehatan", "Program", "Kegiatan", "1.02.02.2.02.0033", "PMT balita", "spesifik", "Kec. Kasemen", 250000000, None, "APBD", 2025])
    ws.append([2, "Dinas Sosial", "Program", "Kegiatan", "", "PBI JKN", "sensitif", "Kota Serang", 100000000, 90000000, "APBN", 2025])
    wb.save(tmp_path / "aksi2.xlsx")
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "aksi2.xlsx", "--lokus", "2022", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    layer = _layer(tmp_path / "out" / "konvergensi.gpkg").set_index("kode_kel")
    kasemen = [c for c in layer.index if c.startswith("36.73.02")]
    assert (layer.loc[kasemen, "jumlah_opd"] == 1).all() and layer["jumlah_opd"].sum() == len(kasemen)
    assert layer.loc[kasemen, "pagu_terlokasi"].sum() == pytest.approx(250_000_000)


def test_config_and_build_products(tmp_path, joined_gpkg, acts):
    from serang_gis.read.config import load_config
    from serang_gis.join.tables import read_joined
    from serang_gis.render.konvergensi import build_products

    K.write_csv(tmp_path / "aksi2.csv", acts)
    (tmp_path / "atlas.toml").write_text('[[kegiatan]]\npath = "aksi2.csv"\nyear = 2023\nsplit = "equal"\n', encoding="utf-8")
    cfg = load_config(tmp_path / "atlas.toml")
    files = build_products(read_joined(joined_gpkg), cfg.kegiatan, tmp_path / "atlas", "en", lokus="2022")
    assert {p.name for p in files} >= {"konvergensi.gpkg", "peta_konvergensi.html", "matriks_lokus_opd.xlsx", "laporan_konvergensi.json"}
    layer = _layer(tmp_path / "atlas" / "konvergensi.gpkg")
    assert dict(zip(layer["kode_kel"], layer["jumlah_opd"].astype(int))) == K.expected_opd_count(acts)
    assert "Does the money reach the lokus?" in (tmp_path / "atlas" / "matriks_lokus_opd.html").read_text(encoding="utf-8")
    for bad, msg in (('split = "half"', "kegiatan[0].split"), ("year = 23", "kegiatan[0].year"), ('sheets = "x"', "kegiatan[0].sheets: unknown key")):
        (tmp_path / "bad.toml").write_text(f'[[kegiatan]]\npath = "aksi2.csv"\n{bad}\n', encoding="utf-8")
        with pytest.raises(Exception, match=msg.replace("[", r"\[").replace("]", r"\]")):
            load_config(tmp_path / "bad.toml")


# ---- the map in Chromium ---------------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


@pytest.fixture(scope="module")
def served(run):
    handler = functools.partial(_Quiet, directory=str(run["dir"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_map_hover_reads_the_office_count_and_the_profile_lists_the_activities(served, acts):
    from .test_maps_browser import Page

    sync_api = pytest.importorskip("playwright.sync_api")
    expected = K.expected_opd_count(acts)
    code = max(expected, key=lambda c: (expected[c], c))  # the kelurahan most offices reach
    reaching = [a for a in acts if code in a.codes]
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        p = Page(b, served + "peta_konvergensi.html")
        assert p.errors == []
        lid = p.layer_id("Jumlah OPD yang menjangkau")
        assert p.page.locator(f"path.sg-layer-{lid}").count() == 67
        tip = p.hover_unit(code)
        assert f"Jumlah OPD yang menjangkau{expected[code]}" in tip.replace("\n", "").replace("\t", "")
        g = reference.gazetteer().set_index("kode_kel")
        p.page.fill(".sg-search input", g.at[code, "kelurahan"])  # as a user does: search, pick the hit, read the profile
        p.page.locator(".sg-search-hit", has_text=g.at[code, "kecamatan"]).first.click()
        wait_profile(p.page, code)
        p.page.wait_for_selector(".sg-profile .sg-list li")
        assert code in p.page.inner_text(".sg-profile")
        items = p.page.locator(".sg-profile .sg-list li").all_inner_texts()
        assert len(items) == len(reaching)
        for a in reaching:
            pagu = f"Rp {a.pagu:,}".replace(",", ".")
            assert any(a.sub in t and pagu in t and a.sumber in t for t in items), (a, items)
        p.screenshot("peta_konvergensi_profil.png")
        zero = [c for c, n in expected.items() if n == 0]
        assert p.errors == []
        p.page.close()
        if zero:  # a kelurahan no office reaches reads 0, not "no data"
            q = Page(b, served + "peta_konvergensi.html")
            assert "Jumlah OPD yang menjangkau0" in q.hover_unit(zero[0]).replace("\n", "").replace("\t", "")
            q.page.close()
        b.close()


def test_boundaries_only_layer_and_a_small_matrix(tmp_path, serang_path):
    """No indicator in the layer, three activities: offices and pagu still per kelurahan, per-toddler
    figures and the need x spending classes stay empty (said), nothing invented."""
    from serang_gis import read_kelurahan
    from serang_gis.output.writers import write_joined

    kel = read_kelurahan(serang_path).kelurahan
    write_joined(tmp_path / "batas.gpkg", kel)
    small = [a for a in K.make_activities() if a.kind != "kota"][:3]
    K.write_csv(tmp_path / "aksi2.csv", small)
    res = run_cli("konvergensi", tmp_path / "batas.gpkg", "--kegiatan", tmp_path / "aksi2.csv", "--lokus", "2022", "--offline",
                  "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert "tidak punya kolom balita_stunting" in res.output and "tidak ada kelas kebutuhan x belanja" in res.output  # the run speaks --lang (id)
    layer = _layer(tmp_path / "out" / "konvergensi.gpkg")
    assert dict(zip(layer["kode_kel"], layer["jumlah_opd"].astype(int))) == K.expected_opd_count(small)
    assert layer["pagu_per_balita_stunting"].isna().all() and layer["kelas_kebutuhan_belanja"].isna().all()
    assert layer["pagu_terlokasi"].sum() == pytest.approx(sum(a.pagu for a in small))
    html = (tmp_path / "out" / "peta_konvergensi.html").read_text(encoding="utf-8")
    assert "Kebutuhan x belanja" not in html and "Jumlah OPD yang menjangkau" in html
    assert not (tmp_path / "out" / "lib").exists() and "<script src=" not in html  # --offline: one self-contained file


def test_qgis_applies_the_office_count_style(run, tmp_path, acts):
    import os

    from .test_cli_rank_export import QGIS_SCRIPT

    probe = subprocess.run(["/usr/bin/python3", "-c", "import qgis.core"], capture_output=True)
    if probe.returncode != 0:
        pytest.fail("QGIS (Debian python3-qgis) is not installed: .ci/run installs it")
    script = tmp_path / "check.py"
    script.write_text(QGIS_SCRIPT)
    uri = f"{run['dir'] / 'konvergensi.gpkg'}|layername=konvergensi"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run(["/usr/bin/python3", str(script), uri], capture_output=True, text=True, env=env, timeout=180)
    got = json.loads(proc.stdout.strip().splitlines()[-1])[uri]
    assert got["valid"] and got["features"] == 67 and got["renderer"] == "RuleRenderer"
    assert got["rules"] == ["0", "1", "2", "3 – 4", "≥ 5", "Tidak ada data"]


def test_atlas_config_with_kegiatan_puts_the_matrix_in_the_index(tmp_path, serang_path, acts):
    """`build --config` with [[kegiatan]]: the convergence products in the atlas, the lokus x OPD matrix in its index."""
    from . import fixtures as F

    K.write_csv(tmp_path / "aksi2.csv", acts)
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    (tmp_path / "atlas.toml").write_text(
        f'[boundaries]\npath = "{serang_path}"\n[[data]]\npath = "s.xlsx"\nperiod = "2023"\n'
        '[maps]\nindicators = ["prevalensi"]\nstatic = false\n[[kegiatan]]\npath = "aksi2.csv"\nyear = 2023\n', encoding="utf-8")
    res = run_cli("build", "--config", tmp_path / "atlas.toml", "-o", tmp_path / "atlas")
    assert res.exit_code == 0, res.output
    out = tmp_path / "atlas"
    assert (out / "peta_konvergensi.html").exists() and (out / "konvergensi.gpkg").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Apakah anggaran sampai ke lokus?" in index and "sg-konv" in index and 'href="peta_konvergensi.html"' in index
    assert "<script>alert" not in index


def test_the_note_on_lokus_reached_by_no_office_names_them(tmp_path, joined_gpkg, acts):
    """Drop every activity that reaches two chosen lokus (directly or through their kecamatan): the terminal names them."""
    lokus = K.lokus_2022()
    chosen = sorted(lokus)[:2]
    keep = [a for a in acts if not a.codes & set(chosen)]
    assert 0 < len(keep) < len(acts)
    K.write_xlsx(tmp_path / "aksi2.xlsx", keep)
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "aksi2.xlsx", "--lokus", "2022", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    layer = _layer(tmp_path / "out" / "konvergensi.gpkg").set_index("kode_kel")
    unreached = layer[(layer["jumlah_opd"] == 0) & layer.index.isin(lokus)]
    assert set(chosen) <= set(unreached.index)
    line = next(x for x in res.output.splitlines() if "tidak dijangkau OPD" in x)  # --lang id (the default)
    assert line.split("catatan: ")[-1].startswith(f"{len(unreached)} kelurahan lokus tidak dijangkau OPD mana pun: ")
    for code, r in unreached.iterrows():
        assert f"{r['kelurahan']} (Kec. {r['kecamatan']})" in line


def test_the_matrix_page_has_a_viewport_and_its_tables_scroll_inside_a_box(run):
    html = (run["dir"] / "matriks_lokus_opd.html").read_text(encoding="utf-8")
    assert "<meta name='viewport' content='width=device-width, initial-scale=1'>" in html
    assert html.index("<div class='wide'") < html.index("<table") and html.rstrip().endswith("</div></body></html>")


def test_a_gap_with_a_city_wide_activity_names_the_office_not_no_office(tmp_path, joined_gpkg):
    """Planner walk 4: "Lopang: Konseling gizi – tidak ada OPD" while Dinas Kesehatan runs counselling city-wide. Hand-made
    matrix: Dinkes counsels city-wide (Kota Serang) and nowhere by name; Perkim builds water at one lokus. Every gap of
    nutrition counselling says "no located activity (city-wide: Dinas Kesehatan)"; a gap of another package names none."""
    import html as htmllib

    from serang_gis.core.text import t

    lok = sorted(K.lokus_2022())
    g = reference.gazetteer().set_index("kode_kel")
    with open(tmp_path / "aksi2.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["No", "OPD", "Sub Kegiatan", "Jenis Intervensi", "Lokasi", "Pagu", "Sumber Dana", "Tahun"])
        w.writerow([1, "Dinas Kesehatan", "Konseling gizi posyandu", "Spesifik", "Kota Serang", "2100000000", "APBD", 2023])
        w.writerow([2, "Dinas Perkim", "Sambungan air minum", "Sensitif",
                    f"Kel. {g.at[lok[0], 'kelurahan']} (Kec. {g.at[lok[0], 'kecamatan']})", "100000000", "APBD", 2023])
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "aksi2.csv", "--lokus", "2022", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    gaps = json.loads((tmp_path / "out" / "laporan_konvergensi.json").read_text(encoding="utf-8"))["celah_kebutuhan_tinggi"]
    counsel = [r for r in gaps if r["paket"] == "Konseling gizi"]
    kia = t("id", "paket.kia")  # every Dinkes activity delivers KIA too (data/kegiatan/paket_layanan.csv)
    water = [r for r in gaps if r["paket"] not in ("Konseling gizi", kia)]  # no city-wide activity of these packages
    assert counsel and water, gaps[:3]
    assert {r["opd_se_kota"] for r in counsel} == {"Dinas Kesehatan"} and {r["opd_se_kota"] for r in water} == {""}
    assert {r["opd_se_kota"] for r in gaps if r["paket"] == kia} <= {"Dinas Kesehatan"}
    page = htmllib.unescape((tmp_path / "out" / "matriks_lokus_opd.html").read_text(encoding="utf-8"))
    assert "tidak ada OPD" not in page
    r = counsel[0]
    assert (f"{r['kelurahan']} (Kec. {r['kecamatan']}): Konseling gizi – tidak ada kegiatan terlokasi (se-kota: Dinas Kesehatan); "
            f"{r['alasan']}") in page
    r = water[0]
    assert f"{r['kelurahan']} (Kec. {r['kecamatan']}): {r['paket']} – tidak ada kegiatan terlokasi; {r['alasan']}" in page
