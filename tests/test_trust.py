"""Inputs that used to be misread silently now read right (or stop), and outputs are never half-made."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin

from serang_gis import InputError, read_kelurahan
from serang_gis.join.tables import join_tables
from serang_gis.read.tables import parse_mapping, read_table

from .conftest import BOUNDARIES, ROOT, SERANG, run_cli

CILEGON = BOUNDARIES / "banten" / "wilayah_boundaries_kel_36.72.geojson"


@pytest.fixture(scope="module")
def kel():
    return read_kelurahan(SERANG).kelurahan


def code(kel, name):
    return kel.loc[kel["kelurahan"] == name, "kode_kel"].iloc[0]


def _joined(kel, path, **kw):
    joined, rep = join_tables(kel, [read_table(path, **kw)])
    return joined.set_index("kode_kel"), rep


# ---- encodings -----------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_tables_read_right(tmp_path, kel, encoding):
    path = tmp_path / "s.csv"
    path.write_text("Kecamatan\tDesa/Kelurahan\tJumlah Stunting\nSerang\tCipare\t7\nKasemen\tBanten\t4\n", encoding=encoding)
    g, rep = _joined(kel, path)
    assert g.at[code(kel, "Cipare"), "stunting"] == 7 and g.at[code(kel, "Banten"), "stunting"] == 4


# ---- Kota Baru and notes -------------------------------------------------------------------

def test_kota_baru_with_blank_kecamatan_is_data(tmp_path, kel):
    path = tmp_path / "s.csv"
    path.write_text("Kecamatan;Desa/Kelurahan;Jumlah Stunting;Keterangan\n"
                    "Serang;Cipare;3;\n"
                    ";Kota Baru;9;Jumlah kader 12 orang\n"
                    "Serang;Sumur Pecung;2;Jumlah kader aktif 5\n"
                    "KOTA SERANG;;14;\n", encoding="utf-8")
    g, rep = _joined(kel, path)
    assert g.at[code(kel, "Kota Baru"), "stunting"] == 9  # Kota Baru, not a total row
    assert g.at[code(kel, "Sumur Pecung"), "stunting"] == 2  # a notes cell saying "Jumlah kader" does not make a total
    f = rep.files[0]
    assert f.data_rows == 3 and [t["row"] for t in f.total_rows] == [5]
    assert all(t["ok"] for t in f.totals_check)  # 3 + 9 + 2 = 14


def test_a_real_town_heading_is_still_a_heading(tmp_path, kel):
    path = tmp_path / "s.csv"
    path.write_text("Kecamatan;Desa/Kelurahan;Jumlah Stunting\nSerang;Cipare;3\n;KOTA SERANG;3\n", encoding="utf-8")
    g, rep = _joined(kel, path)
    assert rep.files[0].data_rows == 1 and rep.files[0].totals_check[0]["ok"]


# ---- L/P sub-columns -----------------------------------------------------------------------

def test_lp_subcolumns_are_added_csv(tmp_path, kel):
    path = tmp_path / "s.csv"
    path.write_text("Kecamatan;Desa/Kelurahan;Balita Diukur;;Balita Pendek;\n;;L;P;L;P\n"
                    "Serang;Cipare;50;50;4;12\nKasemen;Banten;10;20;1;2\n", encoding="utf-8")
    g, rep = _joined(kel, path)
    assert g.at[code(kel, "Cipare"), "balita_diukur"] == 100 and g.at[code(kel, "Cipare"), "pendek"] == 16
    assert any("L/P" in n for n in rep.files[0].notes)


def test_lp_subcolumns_are_added_xlsx_merged(tmp_path, kel):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Rekap"])
    ws.append(["Kecamatan", "Desa/Kelurahan", "Jumlah Balita Diukur", None, "Balita Stunting", None, "Jumlah"])
    ws.append([None, None, "L", "P", "L", "P", None])
    ws.merge_cells("A2:A3"), ws.merge_cells("B2:B3"), ws.merge_cells("C2:D2"), ws.merge_cells("E2:F2"), ws.merge_cells("G2:G3")
    ws.append(["Serang", "Cipare", 40, 60, 3, 4, None])
    path = tmp_path / "s.xlsx"
    wb.save(path)
    g, _ = _joined(kel, path)
    assert g.at["36.73.01.1002", "balita_diukur"] == 100 and g.at["36.73.01.1002", "stunting"] == 7


def test_lp_with_a_total_subcolumn_uses_the_total(tmp_path, kel):
    path = tmp_path / "s.csv"
    path.write_text("Desa/Kelurahan;Jumlah Stunting;;\n;L;P;Jml\nCipare;3;4;7\n", encoding="utf-8")
    g, _ = _joined(kel, path)
    assert g.at["36.73.01.1002", "stunting"] == 7


# ---- ODF vocabulary ------------------------------------------------------------------------

def test_odf_words_stop_with_values_seen_and_map(tmp_path, kel):
    path = tmp_path / "s.csv"
    path.write_text("Desa/Kelurahan;Status ODF\nCipare;bukan ODF\nKasemen;Proses ODF\nBanten;ODF\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(path)
    msg = str(err.value)
    assert "'bukan ODF' (row 2)" in msg and "'Proses ODF' (row 3)" in msg and "Belum ODF" in msg and "--map" in msg
    g, _ = _joined(kel, path, mapping=parse_mapping(["bukan ODF=Belum ODF", "Proses ODF=baseline"]))
    assert g.at[code(kel, "Cipare"), "status_odf"] == "Belum ODF" and g.at[code(kel, "Kasemen"), "status_odf"] == "Baseline"
    assert g.at[code(kel, "Banten"), "status_odf"] == "ODF deklarasi"


def test_odf_map_on_the_command_line(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Desa/Kelurahan;Status ODF\nCipare;ODF?\n", encoding="utf-8")
    res = run_cli("join", "--boundaries", SERANG, "--data", path, "--map", "ODF?=Belum ODF", "-o", tmp_path / "j.csv")
    assert res.exit_code == 0, res.output
    j = pd.read_csv(tmp_path / "j.csv", encoding="utf-8-sig", dtype=str).set_index("kode_kel")
    assert j.at["36.73.01.1002", "status_odf"] == "Belum ODF"


# ---- codes that contradict names -----------------------------------------------------------

def test_code_contradicting_name_is_warned(tmp_path, kel):
    path = tmp_path / "s.csv"
    cipare, kasemen, sumur = code(kel, "Cipare"), code(kel, "Kasemen"), code(kel, "Sumur Pecung")
    path.write_text(f"Kode Wilayah;Kecamatan;Desa/Kelurahan;Jumlah Stunting\n{cipare};Serang;Kasemen;3\n"
                    f"{sumur};Serang;Sumur Pecung;1\n", encoding="utf-8")
    g, rep = _joined(kel, path)
    assert g.at[cipare, "stunting"] == 3
    assert rep.warnings == [f"row 2: code {cipare} is {cipare} Cipare (Kec. Serang), but the kelurahan cell names "
                            f"{kasemen} Kasemen (Kec. Kasemen); the code was used (correct the code or the name)"]


# ---- boundaries ----------------------------------------------------------------------------

def test_boundary_problems_are_each_reported(tmp_path):
    k = gpd.read_file(SERANG)
    k.loc[5, "nama"] = None
    k.loc[6, "geometry"] = None
    foreign = k.iloc[[7]].copy()
    foreign["kode"] = "36.72.01.1001"
    foreign["geometry"] = foreign.geometry.translate(1, 0)
    path = tmp_path / "b.geojson"
    gpd.GeoDataFrame(pd.concat([k, foreign]), crs=k.crs).to_file(path)
    res = run_cli("boundaries", "info", path, "--region", "36.73")
    assert res.exit_code == 0, res.output
    out = res.output
    assert "feature 7 (Unyur, 36.73.01.1007): no geometry; left out" in out  # named, not only numbered
    assert "1 feature(s) have no name (features 6)" in out
    assert "1 feature(s) have codes outside region 36.73 (36.72.01.1001): left out" in out
    res = run_cli("join", "--boundaries", path, "--data", _tiny(tmp_path), "-o", tmp_path / "j.gpkg")
    assert res.exit_code == 0 and "no geometry; left out" in res.output and "have no name" in res.output


def _tiny(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("Kecamatan;Desa/Kelurahan;Jumlah Stunting\nSerang;Cipare;3\n", encoding="utf-8")
    return p


def test_duplicate_codes_dissolve_only_when_asked(tmp_path):
    k = gpd.read_file(SERANG)
    dup = k.iloc[[3]].copy()
    dup["nama"] = "Lain"
    path = tmp_path / "b.geojson"
    gpd.GeoDataFrame(pd.concat([k, dup]), crs=k.crs).to_file(path)
    with pytest.raises(InputError, match="--dissolve-duplicates"):
        read_kelurahan(path)
    b = read_kelurahan(path, dissolve_duplicates=True)
    assert len(b.kelurahan) == 67 and b.report.merged == [k.iloc[3]["kode"]]


def test_metres_tagged_as_degrees_read_with_crs(tmp_path):
    k = gpd.read_file(SERANG).to_crs(32748).set_crs(4326, allow_override=True)
    path = tmp_path / "b.geojson"
    k.to_file(path)
    b = read_kelurahan(path, crs="EPSG:32748")
    assert len(b.kelurahan) == 67 and b.kelurahan.total_bounds[0] == pytest.approx(106.0, abs=0.2)
    assert "read as EPSG:32748" in " ".join(b.report.warnings)


# ---- zonal, template -----------------------------------------------------------------------

def test_zonal_outside_the_raster_is_an_error_not_a_column_of_no_data(tmp_path, joined_gpkg):
    """It wrote a column empty everywhere with exit 0 (walk adv12 L6): now an error, and nothing written."""
    path = tmp_path / "far.tif"
    with rasterio.open(path, "w", driver="GTiff", height=10, width=10, count=1, dtype="float32", crs="EPSG:4326",
                       transform=from_origin(120.0, 0.0, 0.01, 0.01)) as dst:
        dst.write(np.ones((1, 10, 10), dtype="float32"))
    res = run_cli("zonal", joined_gpkg, "--raster", path, "--stat", "sum", "--column", "pop", "-o", tmp_path / "z.csv")
    assert res.exit_code == 1 and "no pixel with a value over any kelurahan" in res.output, res.output
    assert not (tmp_path / "z.csv").exists()


def test_template_neutralises_formula_names(tmp_path):
    k = gpd.read_file(SERANG)
    k.loc[0, "nama"] = "=HYPERLINK(\"http://x\",\"klik\")"
    path = tmp_path / "b.geojson"
    k.to_file(path)
    res = run_cli("template", "--boundaries", path, "-o", tmp_path / "t.xlsx")
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)


# ---- outputs: staged builds, parallel writers ------------------------------------------------

def test_failed_build_leaves_the_previous_atlas(tmp_path, monkeypatch):
    out = tmp_path / "atlas"
    res = run_cli("build", "--boundaries", CILEGON, "-o", out, "-q", "--region", "36.72")
    assert res.exit_code == 0, res.output
    (out / "catatan.txt").write_text("mine", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    import serang_gis.pipeline as pipeline  # the command imports build_atlas from here when it runs

    real = pipeline.build_atlas

    def interrupted(stage, **kw):
        real(stage, **kw)  # every file written into the staging folder, then Ctrl-C before the swap
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build_atlas", interrupted)
    res = run_cli("build", "--boundaries", CILEGON, "-o", out, "-q", "--region", "36.72", "--lang", "en")
    assert res.exit_code != 0
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["atlas"]  # no staging folder left
    monkeypatch.setattr(pipeline, "build_atlas", real)
    res = run_cli("build", "--boundaries", CILEGON, "-o", out, "-q", "--region", "36.72", "--lang", "en")
    assert res.exit_code == 0
    assert (out / "catatan.txt").read_text() == "mine"  # the user's own file stays
    assert (out / "index.html").read_bytes() != before["index.html"] and [p.name for p in tmp_path.iterdir()] == ["atlas"]


def test_orphans_of_a_killed_build_are_cleaned(tmp_path):
    out = tmp_path / "atlas"
    orphan = tmp_path / ".atlas.building-999999999-abc"
    orphan.mkdir()
    (orphan / "index.html").write_text("half", encoding="utf-8")
    res = run_cli("build", "--boundaries", CILEGON, "-o", out, "-q", "--region", "36.72")
    assert res.exit_code == 0 and not orphan.exists()


def test_two_maps_into_one_folder_at_once(tmp_path, joined_gpkg):
    # the readable runtime (its parts, checked below), not the minified copy an installed package serves
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SERANG_GIS_READABLE_RUNTIME": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "serang_gis", "map", str(joined_gpkg), "--indicator", "prevalensi",
                               "-o", str(tmp_path / f"m{i}.html")], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
             for i in range(3)]
    outs = [p.communicate(timeout=300)[0].decode() for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert not [p for p in (tmp_path / "lib").iterdir() if p.name.endswith(".tmp") or p.name.startswith(".")]
    from serang_gis.render.leaflet.assets import ATLAS_PARTS, PAGE_PARTS

    parts = ROOT / "serang_gis" / "render" / "leaflet" / "static" / "atlas"  # the runtime: its parts, one after the other
    assert (tmp_path / "lib" / "atlas.js").read_bytes() == b"\n".join((parts / name).read_bytes() for name in ATLAS_PARTS)
    assert sorted(ATLAS_PARTS + PAGE_PARTS) == sorted(p.name for p in parts.glob("*.js"))  # every part is in the runtime,
    # or inlined in the pages that need it (panels.js: an office page's print)
