"""Bad inputs against every command, as a careful adversary would try them.

Each row: the command line (built from files prepared in a fresh folder), the exit code, a phrase the
message must hold, and the check that no file in the folder was written or changed (nothing
half-written, no silent overwrite). No row may end in the generic "unexpected error" or a traceback.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import geopandas as gpd
import pytest
import shapely

from . import fixtures as F
from .conftest import SERANG, run_cli

GOOD_CSV = "Kecamatan;Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek;Balita Sangat Pendek\nSerang;Cipare;100;5;2\nCurug;Sukawana;80;4;1\n"


def snapshot(folder: Path) -> dict[str, str]:
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            p = Path(root) / name
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@dataclass
class Case:
    id: str
    make: Callable[[Path], list]  # prepares inputs in the folder, returns the command line
    code: int
    phrase: str


def w(tmp: Path, name: str, text: str, encoding="utf-8") -> Path:
    p = tmp / name
    p.write_text(text, encoding=encoding)
    return p


def wb(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


def join(tmp, data, *extra, out="out.gpkg"):
    return ["join", "--boundaries", SERANG, "--data", data, "-o", tmp / out, *extra]


def joined(tmp) -> Path:
    p = tmp / "joined.gpkg"
    shutil.copyfile(JOINED, p)
    return p


def xlsx(tmp, name, rows, formulas=()):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    for r in rows:
        ws.append(r)
    p = tmp / name
    book.save(p)
    return p


def xlsx_formula_without_value(tmp):
    p = xlsx(tmp, "f.xlsx", [["Kecamatan", "Desa/Kelurahan", "Jumlah Balita Diukur", "Balita Pendek"],
                             ["Serang", "Cipare", 100, "=C2/10"]])
    return join(tmp, p)


def csv_file(tmp, rows, name="d.csv", delimiter=";"):
    p = tmp / name
    with open(p, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return p


def boundaries_variant(tmp, change, name="b.geojson", **write):
    kel = gpd.read_file(SERANG)
    kel = change(kel)
    p = tmp / name
    kel.to_file(p, **write)
    return ["join", "--boundaries", p, "--data", w(tmp, "d.csv", GOOD_CSV), "-o", tmp / "out.gpkg"]


def _metres(kel):
    return kel.to_crs(32748).set_crs(4326, allow_override=True)


def _swapped(kel):
    return kel.set_geometry(shapely.transform(kel.geometry.values, lambda c: c[:, ::-1]), crs=4326)


def _duplicate(kel):
    extra = kel.iloc[[3]].copy()
    extra["nama"] = "Kelurahan Kembar"
    return gpd.GeoDataFrame(gpd.pd.concat([kel, extra]), crs=kel.crs)


def _points(kel):
    return kel.set_geometry(kel.geometry.centroid)


def profile(tmp, weight="1.0", extra=""):
    return w(tmp, "profil.toml", f'name = "x"\n{extra}\n[[indicator]]\ncolumn = "prevalensi_stunting"\nweight = {weight}\n')


def config(tmp, body, data=True):
    if data:
        w(tmp, "s.csv", GOOD_CSV)
    return ["build", "--boundaries", SERANG, "--config", w(tmp, "atlas.toml", body), "-o", tmp / "atlas", "-q"]


DATA = '[[data]]\npath = "s.csv"\nperiod = "2024"\n'

CASES = [
    # ---- join: tables ----------------------------------------------------------------------
    Case("join-missing-data", lambda t: join(t, t / "nope.csv"), 1, "no such file"),
    Case("join-data-is-folder", lambda t: join(t, t), 2, "is a directory"),
    Case("join-empty-csv", lambda t: join(t, w(t, "d.csv", "")), 1, "the file is empty"),
    Case("join-header-only", lambda t: join(t, w(t, "d.csv", "Kecamatan;Desa/Kelurahan;Jumlah Stunting\n")), 1, "no data rows"),
    Case("join-no-kelurahan-column", lambda t: join(t, w(t, "d.csv", "A;B\n1;2\n")), 1, "cannot find a kelurahan"),
    Case("join-no-indicator", lambda t: join(t, w(t, "d.csv", "Kecamatan;Desa/Kelurahan;Catatan\nSerang;Cipare;x\n")), 1,
         "no indicator column"),
    Case("join-decimal-count", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Stunting\nCipare;12,5\n")), 1,
         "not a whole number"),
    Case("join-negative", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Stunting\nCipare;-3\n")), 1, "negative"),
    Case("join-word-count", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Stunting\nCipare;banyak\n")), 1,
         "not a whole number"),
    Case("join-percent-over-100", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Prevalensi (%)\nCipare;140\n")), 1,
         "above 100"),
    Case("join-stunted-over-measured", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Balita Diukur;Balita Pendek\nCipare;5;9\n")),
         1, "measured"),
    Case("join-risk-over-families", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Keluarga;KRS\nCipare;5;9\n")), 1,
         "families"),
    Case("join-huge-number", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Stunting\nCipare;" + "9" * 40 + "\n")), 1,
         "too"),
    Case("join-odf-bukan", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Status ODF\nCipare;bukan ODF\n")), 1,
         "not known"),
    Case("join-odf-proses", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Status ODF\nCipare;Proses ODF\n")), 1, "Accepted"),
    Case("join-odf-question", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Status ODF\nCipare;ODF?\n")), 1, "--map"),
    Case("join-ragged-long", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Stunting\nCipare;3\nKasemen;4;7;1\n")), 1,
         "row 3 has 4 cells but the header has 2"),
    Case("join-ragged-short", lambda t: join(t, w(t, "d.csv", "Kecamatan;Desa/Kelurahan;Balita Diukur;Jumlah Stunting\n"
                                                            "Serang;Cipare;30;3\nKasemen;Kasemen;4\n")), 1, "fewer cells"),
    Case("join-open-quote", lambda t: join(t, w(t, "d.csv", 'Desa/Kelurahan;Jumlah Stunting\nCipare;3\n"Kasemen;4\nBanten;2\n')), 1,
         "never closed"),
    Case("join-10mb-line", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Stunting\nCipare;" + "1" * 10_000_000 + "\n")), 1,
         "characters long"),
    Case("join-binary-csv", lambda t: join(t, wb(t, "d.csv", bytes(range(256)) * 40)), 1, "binary"),
    Case("join-garbage-xlsx", lambda t: join(t, w(t, "d.xlsx", "not a workbook")), 1, "cannot open as an Excel workbook"),
    Case("join-formula-no-value", xlsx_formula_without_value, 1, "formula"),
    Case("join-missing-sheet", lambda t: join(t, xlsx(t, "d.xlsx", [["Desa/Kelurahan", "Jumlah Stunting"], ["Cipare", 3]]),
                                              "--sheet", "Rekap"), 1, "no sheet 'Rekap'"),
    Case("join-xls", lambda t: join(t, wb(t, "d.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100)), 1, "old Excel"),
    Case("join-pdf", lambda t: join(t, wb(t, "d.pdf", b"%PDF-1.4")), 1, "unknown table format"),
    Case("join-ambiguous-sukawana", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Stunting\nSukawana;3\n")), 1,
         "is the name of 2 kelurahan"),
    Case("join-duplicate-rows", lambda t: join(t, w(t, "d.csv", "Kecamatan;Desa/Kelurahan;Jumlah Stunting\nSerang;Cipare;3\nSerang;Cipare;4\n")),
         1, "two or more rows"),
    Case("join-sum-duplicates-percent", lambda t: join(t, w(t, "d.csv", "Kecamatan;Desa/Kelurahan;Jumlah Stunting;Prevalensi (%)\n"
                                                                        "Serang;Cipare;3;4\nSerang;Cipare;4;5\n"), "--sum-duplicates"),
         1, "counts only"),
    Case("join-strict-unmatched", lambda t: join(t, w(t, "d.csv", "Kecamatan;Desa/Kelurahan;Jumlah Stunting\nSerang;Cipare;3\nSerang;Atlantis;4\n"),
                                                 "--strict"), 1, "--strict"),
    Case("join-strict-other-kabkota", lambda t: join(t, w(t, "d.csv", "Kode Wilayah;Desa/Kelurahan;Jumlah Stunting\n3673011002;Cipare;3\n"
                                                                      "3672011001;Ciwedus;4\n"), "--strict"), 1, "another kab/kota"),
    Case("join-strict-code-contradicts-name", lambda t: join(t, w(t, "d.csv", "Kode Wilayah;Desa/Kelurahan;Jumlah Stunting\n"
                                                                              "3673011002;Kasemen;3\n"), "--strict"), 1, "the code was used"),
    Case("join-strict-code-contradicts-kecamatan", lambda t: join(t, w(t, "d.csv", "Kode Wilayah;Kecamatan;Desa/Kelurahan;Jumlah Stunting\n"
                                                                                   "3673011002;Kasemen;Cipare;3\n"), "--strict"), 1,
         "kecamatan cell names"),
    Case("join-strict-unknown-code", lambda t: join(t, w(t, "d.csv", "Kode Wilayah;Desa/Kelurahan;Jumlah Stunting\n36.73.01.9999;Cipare;3\n"),
                                                    "--strict"), 1, "is not a kelurahan code of 36.73"),
    Case("join-strict-byname-name-in-desa", lambda t: join(t, w(t, "d.csv", "NIK;Nama;Tgl Lahir;Desa/Kel;Tanggal Pengukuran;TB/U\n"
                                                                            "3673000000000001;Siti Aminah;01/01/2022;Siti Aminah;17/08/2024;Pendek\n"),
                                                           "--strict"), 1, "the cells are not shown"),
    Case("join-two-files-one-field", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--data", w(t, "e.csv", GOOD_CSV)), 1, "is given by both"),
    Case("join-lp-percent", lambda t: join(t, w(t, "d.csv", "Kecamatan;Desa/Kelurahan;Prevalensi (%);\n;;L;P\nSerang;Cipare;3;4\n")), 1,
         "cannot be added up"),
    Case("join-lp-half-empty", lambda t: join(t, w(t, "d.csv", "Kecamatan;Desa/Kelurahan;Balita Pendek;\n;;L;P\nSerang;Cipare;3;\n")), 1,
         "fill both L and P"),
    Case("join-period-words", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--period", "Agustus"), 1, "not understood"),
    Case("join-bad-map", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--map", "Jumlah=stuntingg"), 2, "not a field"),
    Case("join-bad-map-syntax", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--map", "Jumlah"), 2, "cannot read column mapping"),
    Case("join-config-not-toml", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--config", w(t, "k.toml", "[columns\n")), 1,
         "cannot read the config"),
    Case("join-config-unknown-key", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--config", w(t, "k.toml", "[kolom]\n")), 1, "unknown key"),
    Case("join-config-bad-field", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--config", w(t, "k.toml", '[columns]\n"X" = "nope"\n')), 1,
         "not a field"),
    # ---- join: outputs ---------------------------------------------------------------------
    Case("join-output-suffix", lambda t: join(t, w(t, "d.csv", GOOD_CSV), out="out.txt"), 2, "must end in"),
    Case("join-output-no-suffix", lambda t: join(t, w(t, "d.csv", GOOD_CSV), out="out"), 2, "must end in"),
    Case("join-output-exists", lambda t: (w(t, "out.gpkg", "keep"), join(t, w(t, "d.csv", GOOD_CSV)))[1], 1, "--overwrite"),
    Case("join-report-exists", lambda t: (w(t, "r.json", "{}"), join(t, w(t, "d.csv", GOOD_CSV), "--report", t / "r.json"))[1], 1,
         "--overwrite"),
    Case("join-report-suffix", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--report", t / "r.txt"), 2, "must end in"),
    Case("join-output-is-input", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--overwrite", out="d.csv"), 1, "also an input"),
    Case("join-output-twice", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--report", t / "out.json", out="out.json"), 1,
         "named twice"),
    Case("join-output-is-folder", lambda t: ((t / "o.gpkg").mkdir(), join(t, w(t, "d.csv", GOOD_CSV), out="o.gpkg"))[1], 2,
         "is a directory"),
    Case("join-output-under-a-file", lambda t: join(t, w(t, "d.csv", GOOD_CSV), out="d.csv/x.gpkg"), 1, "is a file, not a folder"),
    # ---- join: boundaries ------------------------------------------------------------------
    Case("bnd-missing", lambda t: ["join", "--boundaries", t / "no.geojson", "--data", w(t, "d.csv", GOOD_CSV), "-o", t / "o.gpkg"], 1,
         "no such file"),
    Case("bnd-garbage-geojson", lambda t: ["join", "--boundaries", w(t, "b.geojson", "{nope"), "--data", w(t, "d.csv", GOOD_CSV),
                                           "-o", t / "o.gpkg"], 1, "GDAL cannot read"),
    Case("bnd-garbage-parquet", lambda t: ["join", "--boundaries", wb(t, "b.parquet", b"PAR1garbage"), "--data", w(t, "d.csv", GOOD_CSV),
                                           "-o", t / "o.gpkg"], 1, "cannot read"),
    Case("bnd-metres-as-degrees", lambda t: boundaries_variant(t, _metres), 1, "--crs"),
    Case("bnd-swapped-lat-lon", lambda t: boundaries_variant(t, _swapped), 1, "swapped"),
    Case("bnd-duplicate-code", lambda t: boundaries_variant(t, _duplicate), 1, "--dissolve-duplicates"),
    Case("bnd-points", lambda t: boundaries_variant(t, _points), 1, "no polygon"),
    Case("bnd-unknown-column", lambda t: ["join", "--boundaries", SERANG, "--columns", "code=KODE,name=NAMA", "--data",
                                          w(t, "d.csv", GOOD_CSV), "-o", t / "o.gpkg"], 1, "is not in the file"),
    Case("bnd-columns-syntax", lambda t: ["join", "--boundaries", SERANG, "--columns", "kode", "--data", w(t, "d.csv", GOOD_CSV),
                                          "-o", t / "o.gpkg"], 2, "KEY=COLUMN"),
    Case("bnd-bad-region", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--region", "Serang"), 2, "not a kab/kota code"),
    Case("bnd-other-region", lambda t: join(t, w(t, "d.csv", GOOD_CSV), "--region", "36.72"), 1, "no kelurahan of region"),
    Case("bnd-info-duplicate", lambda t: ["boundaries", "info", boundaries_variant(t, _duplicate)[2]], 1, "--dissolve-duplicates"),
    Case("bnd-info-metres", lambda t: ["boundaries", "info", boundaries_variant(t, _metres)[2]], 1, "EPSG:32748"),
    # ---- map -------------------------------------------------------------------------------
    Case("map-given-csv", lambda t: ["map", w(t, "j.csv", GOOD_CSV), "--indicator", "prevalensi", "-o", t / "m.html"], 1,
         "cannot read it as a vector layer"),
    Case("map-missing-input", lambda t: ["map", t / "nope.gpkg", "--indicator", "prevalensi", "-o", t / "m.html"], 1, "no such file"),
    Case("map-output-suffix", lambda t: ["map", joined(t), "--indicator", "prevalensi", "-o", t / "m.png"], 2, "must end in"),
    Case("map-output-exists", lambda t: (w(t, "m.html", "keep"), ["map", joined(t), "--indicator", "prevalensi", "-o", t / "m.html"])[1],
         1, "--overwrite"),
    Case("map-unknown-indicator", lambda t: ["map", joined(t), "--indicator", "nope", "-o", t / "m.html"], 1, "nope"),
    Case("map-manual-without-bins", lambda t: ["map", joined(t), "--indicator", "prevalensi", "--scheme", "manual", "-o", t / "m.html"],
         2, "--bins"),
    Case("map-bad-bins", lambda t: ["map", joined(t), "--indicator", "prevalensi", "--bins", "a,b", "-o", t / "m.html"], 2, "break points"),
    Case("map-lokus-unknown", lambda t: ["map", joined(t), "--indicator", "prevalensi", "--lokus",
                                         w(t, "lokus_x.csv", "Kelurahan\nAtlantis\n"), "-o", t / "m.html"], 1, "matches no single"),
    Case("map-puskesmas-outside", lambda t: ["map", joined(t), "--indicator", "prevalensi", "--puskesmas",
                                             w(t, "p.csv", "name,lat,lon\nPKM,600000,9000000\n"), "-o", t / "m.html"], 1,
         "not a place in Indonesia"),
    # ---- rank ------------------------------------------------------------------------------
    Case("rank-given-csv", lambda t: ["rank", w(t, "j.csv", GOOD_CSV), "-o", t / "p.gpkg"], 1, "cannot read it as a vector layer"),
    Case("rank-output-suffix", lambda t: ["rank", joined(t), "-o", t / "p.txt"], 2, "must end in"),
    Case("rank-output-exists", lambda t: (w(t, "p.gpkg", "keep"), ["rank", joined(t), "-o", t / "p.gpkg"])[1], 1, "--overwrite"),
    Case("rank-csv-exists", lambda t: (w(t, "p.csv", "keep"), ["rank", joined(t), "-o", t / "p.gpkg", "--csv", t / "p.csv"])[1], 1,
         "--overwrite"),
    Case("rank-xlsx-suffix", lambda t: ["rank", joined(t), "-o", t / "p.gpkg", "--xlsx", t / "p.csv"], 2, "must end in"),
    Case("rank-output-is-input", lambda t: ["rank", joined(t), "-o", t / "joined.gpkg", "--overwrite"], 1, "also an input"),
    Case("rank-weight-inf", lambda t: ["rank", joined(t), "--profile", profile(t, "inf"), "-o", t / "p.gpkg"], 1, "must be a number > 0"),
    Case("rank-weight-negative", lambda t: ["rank", joined(t), "--profile", profile(t, "-1"), "-o", t / "p.gpkg"], 1, "must be a number > 0"),
    Case("rank-weight-text", lambda t: ["rank", joined(t), "--profile", profile(t, '"x"'), "-o", t / "p.gpkg"], 1, "must be a number > 0"),
    Case("rank-top-n-text", lambda t: ["rank", joined(t), "--profile", profile(t, "1", 'top_n = "x"'), "-o", t / "p.gpkg"], 1, "top_n"),
    Case("rank-profile-not-toml", lambda t: ["rank", joined(t), "--profile", w(t, "profil.toml", "[[x"), "-o", t / "p.gpkg"], 1,
         "not valid TOML"),
    Case("rank-lokus-and-column", lambda t: ["rank", joined(t), "--lokus", "2022", "--lokus-column", "x", "-o", t / "p.gpkg"], 2, "not both"),
    Case("rank-lokus-column-missing", lambda t: ["rank", joined(t), "--lokus-column", "x", "-o", t / "p.gpkg"], 2, "no column 'x'"),
    Case("rank-draws-negative", lambda t: ["rank", joined(t), "--draws", "-1", "-o", t / "p.gpkg"], 2, "--draws"),
    Case("rank-draws-huge", lambda t: ["rank", joined(t), "--draws", "100000000", "-o", t / "p.gpkg"], 2, "--draws"),
    # ---- export ----------------------------------------------------------------------------
    Case("export-name-traversal", lambda t: ["export", joined(t), "-o", t / "q", "--name", "../evil"], 2, "path separator"),
    Case("export-name-absolute", lambda t: ["export", joined(t), "-o", t / "q", "--name", "/tmp/evil"], 2, "path separator"),
    Case("export-output-is-file", lambda t: ["export", joined(t), "-o", w(t, "q", "x")], 2, "is a file"),
    Case("export-exists", lambda t: ((t / "q").mkdir(), w(t, "q/serang_gis.gpkg", "keep"), ["export", joined(t), "-o", t / "q"])[2], 1,
         "--overwrite"),
    Case("export-bad-format", lambda t: ["export", joined(t), "-o", t / "q", "--format", "kml"], 2, "kml"),
    # ---- raster / zonal --------------------------------------------------------------------
    Case("raster-resolution-tiny", lambda t: ["raster", joined(t), "--indicator", "prevalensi", "--resolution", "0.05", "-o", t / "r.tif"],
         1, "pixels"),
    Case("raster-resolution-zero", lambda t: ["raster", joined(t), "--indicator", "prevalensi", "--resolution", "0", "-o", t / "r.tif"], 1,
         "> 0"),
    Case("raster-resolution-nan", lambda t: ["raster", joined(t), "--indicator", "prevalensi", "--resolution", "nan", "-o", t / "r.tif"], 1,
         "> 0"),
    Case("raster-suffix", lambda t: ["raster", joined(t), "--indicator", "prevalensi", "-o", t / "r.png"], 2, "must end in"),
    Case("raster-exists", lambda t: (w(t, "r.tif", "keep"), ["raster", joined(t), "--indicator", "prevalensi", "-o", t / "r.tif"])[1], 1,
         "--overwrite"),
    Case("raster-geographic", lambda t: ["raster", joined(t), "--indicator", "prevalensi", "--crs", "EPSG:4326", "-o", t / "r.tif"], 1,
         "geographic"),
    Case("raster-unknown-indicator", lambda t: ["raster", joined(t), "--indicator", "nope", "-o", t / "r.tif"], 1, "no column 'nope'"),
    Case("zonal-garbage-raster", lambda t: ["zonal", joined(t), "--raster", w(t, "g.tif", "nope"), "-o", t / "z.gpkg"], 1, "cannot open"),
    Case("zonal-exists", lambda t: (w(t, "z.gpkg", "keep"), ["zonal", joined(t), "--raster", w(t, "g.tif", "x"), "-o", t / "z.gpkg"])[1], 1,
         "--overwrite"),
    Case("zonal-suffix", lambda t: ["zonal", joined(t), "--raster", w(t, "g.tif", "x"), "-o", t / "z.txt"], 2, "must end in"),
    # ---- template --------------------------------------------------------------------------
    Case("template-suffix", lambda t: ["template", "--boundaries", SERANG, "-o", t / "t.csv"], 2, "must end in"),
    Case("template-exists", lambda t: (w(t, "t.xlsx", "keep"), ["template", "--boundaries", SERANG, "-o", t / "t.xlsx"])[1], 1, "--overwrite"),
    # ---- build: configs are checked before anything is written ----------------------------
    Case("build-config-missing", lambda t: ["build", "--config", t / "none.toml", "-o", t / "atlas"], 1, "no such config"),
    Case("build-config-not-toml", lambda t: config(t, "region = \n"), 1, "not valid TOML"),
    Case("build-config-unknown-key", lambda t: config(t, 'regoin = "36.73"\n'), 1, "unknown key"),
    Case("build-draws-negative", lambda t: config(t, DATA + "[rank]\ndraws = -5\n"), 1, "rank.draws"),
    Case("build-draws-huge", lambda t: config(t, DATA + "[rank]\ndraws = 100000000\n"), 1, "rank.draws"),
    Case("build-draws-float", lambda t: config(t, DATA + "[rank]\ndraws = 1e8\n"), 1, "rank.draws"),
    Case("build-name-template-traversal", lambda t: config(t, 'name_template = "../{indicator}"\n' + DATA), 1, "plain file name"),
    Case("build-name-template-field", lambda t: config(t, 'name_template = "{nope}"\n' + DATA), 1, "unknown field"),
    Case("build-boundaries-columns-key", lambda t: config(t, '[boundaries]\ncolumns = { kode = "KODE", name = "NAMA" }\n' + DATA), 1,
         "boundaries.columns.kode"),
    Case("build-boundaries-columns-missing", lambda t: config(t, '[boundaries]\ncolumns = { name = "NAMA" }\n' + DATA), 1,
         "boundaries.columns.code"),
    Case("build-unknown-indicator", lambda t: config(t, DATA + '[maps]\nindicators = ["prevalensii"]\n'), 1, "not an indicator"),
    Case("build-data-missing", lambda t: config(t, '[[data]]\npath = "nope.csv"\n'), 1, "no such file"),
    Case("build-data-period", lambda t: config(t, '[[data]]\npath = "s.csv"\nperiod = "Agustus"\n'), 1, "not understood"),
    Case("build-data-columns", lambda t: config(t, '[[data]]\npath = "s.csv"\ncolumns = { "X" = "nope" }\n'), 1, "not a field"),
    Case("build-profile-weight-inf", lambda t: (profile(t, "inf"), config(t, DATA + '[rank]\nprofile = "profil.toml"\n'))[1], 1,
         "must be a number > 0"),
    Case("build-output-is-file", lambda t: ["build", "--boundaries", SERANG, "-o", w(t, "atlas", "x"), "-q"], 2, "is a file"),
    Case("build-change-unknown-period", lambda t: config(t, DATA + '[maps]\nindicators = ["prevalensi"]\nchange = [["2020", "2024"]]\n'), 1,
         "no [[data]] has period"),
]


@pytest.fixture(scope="module", autouse=True)
def _joined(joined_gpkg):
    global JOINED
    JOINED = joined_gpkg


def ran(args, code: int = 0, phrase: str | None = None):
    """Run the CLI: no generic error or traceback, the exit code, and the phrase (any case) in the output."""
    res = run_cli(*args)
    out = res.output
    assert "unexpected error" not in out and "Traceback" not in out, out
    assert res.exit_code == code, out
    assert phrase is None or phrase.lower() in out.lower(), out
    return res


def test_at_least_80_cases():
    assert len(CASES) >= 80 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case, tmp_path):
    args = case.make(tmp_path)
    before = snapshot(tmp_path)
    ran(args, case.code, case.phrase)
    assert snapshot(tmp_path) == before, "a file was written or changed"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a temporary file was left"


# ---- issue 19: outputs

KEG_ROWS = [[1, "Dinas Kesehatan", "PMT balita", "spesifik", "Kel. Cipare (Kec. Serang)", "10 juta", "APBD", 2023],
            [2, "DPUPR", "Jamban sehat", "sensitif", "Kec. Kasemen", "20 juta", "APBD", 2023]]


def keg(tmp, rows=KEG_ROWS, name="aksi2.csv"):
    p = tmp / name
    with open(p, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(["No", "OPD", "Sub Kegiatan", "Jenis Intervensi", "Lokasi", "Pagu", "Sumber Dana", "Tahun"])
        out.writerows(rows)
    return p


def konv(tmp, *extra, out="k"):
    return ["konvergensi", joined(tmp), "--kegiatan", keg(tmp), "-o", tmp / out, *extra]


def konv_twice(tmp, *extra):
    args = konv(tmp)
    assert run_cli(*args).exit_code == 0
    w(tmp / "k", "catatan_saya.txt", "mine")
    return args + list(extra)


def konv_edited(tmp):
    args = konv_twice(tmp)
    w(tmp / "k", "konvergensi_kelurahan.csv", "kode_kel;dicek\n3673011002;ya\n")
    return args


def konv_input_in_output(tmp):
    (tmp / "k").mkdir()
    shutil.copyfile(JOINED, tmp / "k" / "konvergensi.gpkg")
    return ["konvergensi", tmp / "k" / "konvergensi.gpkg", "--kegiatan", keg(tmp), "-o", tmp / "k", "--overwrite"]


def user_folder(tmp, *files, extra=()):
    out = tmp / "atlas"
    out.mkdir()
    for name in files:
        w(out, name, "mine")
    return ["build", "--boundaries", SERANG, "-o", out, "-q", *extra]


def user_lib_file(tmp):
    args = user_folder(tmp)
    w(tmp / "atlas", "lib", "not a folder")
    return args


def symlinked(tmp):
    (tmp / "nyata").mkdir()
    w(tmp / "nyata", "mine.txt", "mine")
    (tmp / "atlas").symlink_to(tmp / "nyata", target_is_directory=True)
    return ["build", "--boundaries", SERANG, "-o", tmp / "atlas", "-q"]


def _konv_replaced(tmp):
    k = tmp / "k"
    assert (k / "catatan_saya.txt").read_text() == "mine"
    assert "kode_kel" in (k / "konvergensi_kelurahan.csv").read_text(encoding="utf-8-sig").splitlines()[0]


def _no_control_chars(tmp):
    import openpyxl

    book = openpyxl.load_workbook(tmp / "k" / "matriks_lokus_opd.xlsx")
    cells = [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("PMT balitaX" in v for v in cells) and not any("\x07" in v for v in cells)


def _user_index_replaced(tmp):
    assert "serang-gis" in (tmp / "atlas" / "index.html").read_text(encoding="utf-8")
    assert (tmp / "atlas" / "mine.txt").read_text() == "mine"


def _symlink_kept(tmp):
    assert (tmp / "atlas").is_symlink() and (tmp / "nyata" / "index.html").is_file()
    assert (tmp / "nyata" / "mine.txt").read_text() == "mine"


def _modes_0644(tmp):
    files = [p for p in (tmp / "atlas").rglob("*") if p.is_file()]
    assert len(files) > 10
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in files if p.stat().st_mode & 0o777 != 0o644} == {}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def victim(tmp) -> Path:
    """A file of the user's outside the output folder, with the hash a forged manifest needs to claim it."""
    (tmp / "luar").mkdir(exist_ok=True)
    return w(tmp / "luar", "victim.txt", "precious\n")


def forged(out: Path, sets) -> None:
    """A manifest not written by the tool (edited, or copied in): ``sets`` as given, or raw text."""
    out.mkdir(parents=True, exist_ok=True)
    import json

    text = sets if isinstance(sets, str) else json.dumps({"tool": "serang-gis", "version": 1, "sets": sets})
    (out / ".serang-gis-manifest.json").write_text(text, encoding="utf-8")


def konv_forged(entry, owner="konvergensi"):
    """konvergensi into a folder whose manifest claims ``entry(tmp)`` -> the file's own hash."""
    def make(tmp):
        target = entry(tmp)
        forged(tmp / "k", {owner: {str(target[0]): _sha(target[1])}})
        return konv(tmp)
    return make


def build_forged(tmp):
    target = victim(tmp)
    (tmp / "atlas" / "sub").mkdir(parents=True)
    forged(tmp / "atlas", {"build": {"sub/../../luar/victim.txt": _sha(target), "/" + str(target).lstrip("/"): _sha(target)}})
    return user_folder_existing(tmp)


def user_folder_existing(tmp):
    return ["build", "--boundaries", SERANG, "-o", tmp / "atlas", "-q"]


def symlink_escape(tmp):
    """build into a folder where arsip/ is a link to the user's folder outside, arsip/victim.txt claimed."""
    target = victim(tmp)
    (tmp / "atlas").mkdir()
    (tmp / "atlas" / "arsip").symlink_to(tmp / "luar", target_is_directory=True)
    forged(tmp / "atlas", {"build": {"arsip/victim.txt": _sha(target)}})
    return user_folder_existing(tmp)


def _victim_kept(tmp):
    assert (tmp / "luar" / "victim.txt").read_text() == "precious\n"
    assert (tmp / "k" / "laporan_konvergensi.json").is_file() or (tmp / "atlas" / "index.html").is_file()


def _mine_kept(tmp):
    assert (tmp / "k" / "mydata.csv").read_text() == "kode;nilai\n1;2\n"
    assert (tmp / "k" / "laporan_konvergensi.json").is_file()


def user_csv(tmp):
    (tmp / "k").mkdir()
    w(tmp / "k", "mydata.csv", "kode;nilai\n1;2\n")
    return ("mydata.csv", tmp / "k" / "mydata.csv")


def konv_bad_manifest(text):
    def make(tmp):
        forged(tmp / "k", text)
        return konv(tmp)
    return make


def _written(tmp):
    assert (tmp / "k" / "laporan_konvergensi.json").is_file()
    import json

    sets = json.loads((tmp / "k" / ".serang-gis-manifest.json").read_text(encoding="utf-8"))["sets"]
    assert list(sets) == ["konvergensi"] and "laporan_konvergensi.json" in sets["konvergensi"]  # a clean manifest again


@dataclass
class OutCase:
    id: str
    make: Callable[[Path], list]
    code: int
    phrase: str
    check: Callable[[Path], None] | None = None  # a correct write: what must be there (else: nothing written or changed)


CASES_19_OUTPUT = [
    OutCase("konv-edited-csv-kept", konv_edited, 1, "--overwrite"),
    OutCase("konv-second-run-needs-overwrite", konv_twice, 1, "exists"),
    OutCase("konv-overwrite-replaces-keeps-user-file", lambda t: konv_twice(t, "--overwrite"), 0, "berkas ditulis ke", _konv_replaced),
    OutCase("konv-input-is-a-product", konv_input_in_output, 1, "also an input"),
    OutCase("konv-control-char-in-cell", lambda t: ["konvergensi", joined(t), "--kegiatan",
                                                    keg(t, [[1, "Dinas Kesehatan", "PMT balita\x07X", "spesifik", "Kel. Cipare", "5 juta", "APBD", 2023]]),
                                                    "-o", t / "k"], 0, "berkas ditulis ke", _no_control_chars),
    OutCase("build-name-template-index", lambda t: config(t, 'name_template = "index"\n' + DATA), 1, "plain file name"),
    OutCase("build-name-template-javascript", lambda t: config(t, 'name_template = "javascript:alert(document.domain)"\n' + DATA), 1,
            "javascript:"),
    OutCase("build-name-template-306-chars", lambda t: config(t, f'name_template = "{"n" * 296}{{indicator}}"\n' + DATA), 1,
            "characters long"),
    OutCase("build-name-template-leading-dot", lambda t: config(t, 'name_template = ".{indicator}_{scope}"\n' + DATA), 1, "starts with '.'"),
    OutCase("build-name-template-control-char", lambda t: config(t, 'name_template = "a\\u0007{indicator}_{scope}"\n' + DATA), 1,
            "control character"),
    OutCase("build-name-template-no-scope", lambda t: config(t, 'name_template = "{indicator}"\n' + DATA), 1, "two maps"),
    OutCase("export-name-scheme", lambda t: ["export", joined(t), "-o", t / "e", "--name", "javascript:x"], 2, "plain file name"),
    OutCase("export-name-leading-dot", lambda t: ["export", joined(t), "-o", t / "e", "--name", ".tersembunyi"], 2, "plain file name"),
    OutCase("build-user-index-in-the-way", lambda t: user_folder(t, "index.html", "mine.txt"), 1, "--overwrite"),
    OutCase("build-user-index-overwrite", lambda t: user_folder(t, "index.html", "mine.txt", extra=["--overwrite"]), 0, "",
            _user_index_replaced),
    OutCase("build-user-file-named-lib", user_lib_file, 1, "in the way"),
    OutCase("build-symlinked-output-kept", symlinked, 0, "", _symlink_kept),
    OutCase("build-every-product-0644", lambda t: config(t, DATA), 0, "", _modes_0644),
    # issue 19 UT 1/2: the manifest is untrusted: nothing outside the folder, nothing it could not have written, is deleted
    OutCase("konv-manifest-parent-path", konv_forged(lambda t: ("../luar/victim.txt", victim(t))), 0, "was edited", _victim_kept),
    OutCase("konv-manifest-absolute-path", konv_forged(lambda t: (str(victim(t)), victim(t))), 0, "was edited", _victim_kept),
    OutCase("build-manifest-symlink-escape", symlink_escape, 0, "was edited", _victim_kept),
    OutCase("konv-manifest-claims-user-file", konv_forged(user_csv), 0, "was edited", _mine_kept),
    OutCase("build-manifest-dotdot-and-absolute", build_forged, 0, "was edited", _victim_kept),
    OutCase("konv-manifest-not-json", konv_bad_manifest("{not json"), 0, "was not written by serang-gis", _written),
    OutCase("konv-manifest-wrong-types", konv_bad_manifest('{"tool": "serang-gis", "sets": {"konvergensi": ["a", 1],'
                                                           ' "build": {"index.html": 5, "x.html": null}}}'), 0, "ignored", _written),
    OutCase("konv-manifest-nested-100k", konv_bad_manifest("[" * 100_000 + "]" * 100_000), 0, "not readable JSON", _written),
    OutCase("konv-manifest-9mb", konv_bad_manifest('{"tool": "serang-gis", "sets": {}, "pad": "' + "x" * (9 << 20) + '"}'), 0,
            "larger than", _written),
]


def test_at_least_15_output_cases():
    assert len(CASES_19_OUTPUT) >= 15 and len({c.id for c in CASES_19_OUTPUT}) == len(CASES_19_OUTPUT)


@pytest.mark.parametrize("case", CASES_19_OUTPUT, ids=[c.id for c in CASES_19_OUTPUT])
def test_output_case(case, tmp_path):
    old = os.umask(0o022)
    try:
        args = case.make(tmp_path)
        before = snapshot(tmp_path)
        ran(args, case.code, case.phrase)
    finally:
        os.umask(old)
    if case.check is None:
        assert snapshot(tmp_path) == before, "a file was written or changed"
    else:
        case.check(tmp_path)
    left = [p for p in tmp_path.rglob(".*") if p.name not in (".serang-gis-manifest.json",)]
    assert not left, f"a temporary file was left: {left}"




# ---- issue 19: konvergensi, cells, privacy
# Each case: the command line built in a fresh folder, the exit code, a phrase the terminal output must hold and, for
# a run that must succeed, ``check(folder)`` asserting the figure read back from what was written (the pagu total from
# laporan_konvergensi.json, a cell read back with openpyxl). A case without ``check`` must write nothing.

NIK = "3673015501200001"  # a made-up NIK of the planted child


@dataclass
class KCase:
    id: str
    make: Callable[[Path], list]
    code: int
    phrase: str
    check: Callable[[Path], None] | None = None


def matrix(tmp, rows, header=("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu"), *extra, name="aksi2.csv"):
    """A semicolon CSV activity matrix and the konvergensi command line over it (the joined test layer, --offline)."""
    p = tmp / name
    with open(p, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows([header, *rows])
    return ["konvergensi", joined(tmp), "--kegiatan", p, "--offline", "-o", tmp / "out", *extra]


def pagu_total(tmp) -> int:
    import json

    return json.loads((tmp / "out" / "laporan_konvergensi.json").read_text(encoding="utf-8"))["pagu"]["total"]


def total_is(value):
    def check(tmp):
        assert pagu_total(tmp) == value

    return check


def no_live_formula(tmp, *books):
    """No cell of the written workbooks is a formula, no text cell starts with = + - @ tab or CR; CSVs the same."""
    from openpyxl import load_workbook

    seen = 0
    for book in books:
        for ws in load_workbook(tmp / book):
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (book, ws.title, c.coordinate, c.value)
                    if isinstance(c.value, str):
                        assert not c.value.startswith(("=", "+", "@", "\t", "\r")), (book, ws.title, c.coordinate, c.value)
                        seen += "HYPERLINK" in c.value
    for p in tmp.rglob("*.csv"):
        if p.parent != tmp:
            for row in csv.reader(p.read_text(encoding="utf-8-sig").splitlines()):
                assert not any(v.startswith(("=", "+", "@", "\t", "\r")) for v in row), (p.name, row)
    return seen


def _formula_office_check(tmp):
    assert no_live_formula(tmp, "out/matriks_lokus_opd.xlsx") > 0  # the office is there, as text
    from openpyxl import load_workbook

    ws = load_workbook(tmp / "out" / "matriks_lokus_opd.xlsx")["Semua kelurahan x OPD"]
    headers = [c.value for c in ws[1]]
    assert "'=HYPERLINK(\"http://evil.example\",\"klik\")" in headers, headers
    assert pagu_total(tmp) == 600_000_000


def _control_char_check(tmp):
    from openpyxl import load_workbook

    ws = load_workbook(tmp / "out" / "matriks_lokus_opd.xlsx")["Kegiatan"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Konseling gizi" in values and "Dinas Kesehatan" in " ".join(values)
    assert not any(ch in v for v in values for ch in "\x07\x1b\x00")
    assert "\x07" not in (tmp / "out" / "kegiatan_terbaca.csv").read_text(encoding="utf-8-sig")
    assert pagu_total(tmp) == 150_000_000


def _rank_formula(tmp):
    kel = gpd.read_file(JOINED)
    kel.loc[0, "kelurahan"] = '=HYPERLINK("http://evil.example","klik")'
    kel.loc[1, "kelurahan"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    p = tmp / "j.gpkg"
    kel.to_file(p, layer="kelurahan")
    return ["rank", p, "-o", tmp / "out" / "r.gpkg", "--xlsx", tmp / "out" / "r.xlsx", "--csv", tmp / "out" / "r.csv"]


def _rank_check(tmp):
    assert no_live_formula(tmp, "out/r.xlsx") == 1
    from openpyxl import load_workbook

    values = [c.value for row in load_workbook(tmp / "out" / "r.xlsx").active.iter_rows() for c in row]
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in values
    assert "'=HYPERLINK(\"\"http://evil.example\"\",\"\"klik\"\")" in (tmp / "out" / "r.csv").read_text(encoding="utf-8-sig")


NOTE_CSV = ("Kecamatan;Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek;Balita Sangat Pendek;Keterangan\n"
            "Serang;Cipare;100;5;2;\nCurug;Sukawana;80;4;1;\n"
            f";;;;;An. Siti Aminah NIK {NIK} pindah ke Cipocok\n")
NOTE_TOTAL_CSV = ("Kecamatan;Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek;Balita Sangat Pendek;Keterangan\n"
                  "Serang;Cipare;100;5;2;\nCurug;Sukawana;80;4;1;\n"
                  f"Jumlah;;180;9;3;kurang 1: An. Siti Aminah NIK {NIK} belum diukur\n")


def _no_leak(tmp):
    text = (tmp / "r.json").read_text(encoding="utf-8")
    assert "Siti" not in text and NIK not in text
    assert "Keterangan" in text or "Jumlah" in text
    assert len(gpd.read_file(tmp / "out.gpkg").dropna(subset=["balita_diukur"])) == 2


def matrix_file(tmp, lines, name="aksi2.csv"):
    """konvergensi over a CSV matrix given row by row (title rows, header, data), semicolon-separated."""
    p = tmp / name
    with open(p, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows(lines)
    return ["konvergensi", joined(tmp), "--kegiatan", p, "--offline", "-o", tmp / "out"]


def matrix_xlsx(tmp, rows, fmt=None, merge=(), head=("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu (Rp)")):
    """konvergensi over an XLSX matrix; ``fmt``: the number format of every numeric cell; ``merge``: ranges merged."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    for r in ([list(head)] if head else []) + rows:
        ws.append(r)
    for row in ws.iter_rows():
        for c in row:
            if fmt and isinstance(c.value, (int, float)):
                c.number_format = fmt
    for m in merge:
        ws.merge_cells(m)
    p = tmp / "aksi2.xlsx"
    book.save(p)
    return ["konvergensi", joined(tmp), "--kegiatan", p, "--offline", "-o", tmp / "out"]


TWO_ROW = [["Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Anggaran (Rp Juta)", None], [None, None, None, "Pagu", "Realisasi"],
           ["Dinas Kesehatan", "PMT", "Kec. Kasemen", 1250, 1000], ["DP3AKB", "BKB", "Kec. Curug", 2480, 2000]]
HEAD_SAT = ("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu", "Satuan")


KEC = "Kec. Kasemen"
CASES_19_KONV = [
    # ---- units: in cells and in headers, read right and said, or refused naming the cell
    KCase("konv-unit-juta-thousands", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "2.480 juta"],
                                                         ["Dinas Sosial", "Bansos", "Kec. Curug", "Rp 1.002 jt"]]),
          0, "2 kegiatan", total_is(3_482_000_000)),
    KCase("konv-unit-header-juta", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "2.480"], ["Dinas Sosial", "Bansos", "Kec. Curug", "520"]],
                                                    ("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu (Rp Juta)")),
          0, "pagu dibaca dalam juta", total_is(3_000_000_000)),
    KCase("konv-unit-header-ribu", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "1.500.000"], ["Dinas Sosial", "Bansos", KEC, "250.000"]],
                                                    ("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Anggaran (Rp. 000)")),
          0, "pagu dibaca dalam ribu", total_is(1_750_000_000)),
    KCase("konv-unit-header-miliar", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "1,25"], ["Dinas Sosial", "Bansos", KEC, "500 juta"]],
                                                      ("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu (M)")),
          0, "pagu dibaca dalam miliar", total_is(1_750_000_000)),
    KCase("konv-unit-miliar-cells", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "1,25 M"], ["Dinas Sosial", "Bansos", KEC, "0,5 miliar"],
                                                       ["DP3AKB", "TPK", KEC, "750 rb"]]),
          0, "3 kegiatan", total_is(1_750_750_000)),
    KCase("konv-unit-header-full-rupiah", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "1.250.000.000"]],
                                                           ("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu (Rp Juta)")),
          1, "header says juta"),
    KCase("konv-unit-header-two-units", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "1.250"]],
                                                         ("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu (Rp Juta / Ribu)")),
          1, "more than one unit"),
    KCase("konv-unit-cell-absurd", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "1.250.000 M"]]), 1, "row 2"),
    # ---- ut19 #3-6: a unit said away from the cell: a header row above, a Satuan column, a number format, a title
    KCase("konv-unit-merged-header-above", lambda t: matrix_xlsx(t, TWO_ROW, merge=("A1:A2", "B1:B2", "C1:C2", "D1:E1"), head=None),
          0, "menurut judul 'Anggaran (Rp Juta)' di atasnya (baris 1)", total_is(3_730_000_000)),
    KCase("konv-unit-satuan-column-per-row", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "1.250", "juta"],
                                                                ["DP3AKB", "BKB", "Kec. Curug", "250.000", "ribu"],
                                                                ["Dinas Sosial", "Bansos", KEC, "5.000.000", "Rupiah"]], HEAD_SAT),
          0, "dalam satuan kolom 'Satuan'", total_is(1_505_000_000)),
    KCase("konv-unit-satuan-blank-cell", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "1.250", "juta"],
                                                            ["DP3AKB", "BKB", "Kec. Curug", "2.480", ""]], HEAD_SAT),
          1, "row 3:column 'Satuan': '' is not a unit of money"),
    KCase("konv-unit-satuan-contradicts-header", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "1.250", "ribu"]],
                                                                    ("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu (Rp Juta)", "Satuan")),
          1, "'ribu' says ribu, but the header 'Pagu (Rp Juta)' says juta"),
    KCase("konv-unit-satuan-of-the-target", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "1.250.000.000", "Orang"]], HEAD_SAT),
          0, "1 kegiatan", total_is(1_250_000_000)),
    KCase("konv-unit-number-format-juta", lambda t: matrix_xlsx(t, [["Dinas Kesehatan", "PMT", KEC, 1250], ["DP3AKB", "BKB", "Kec. Curug", 2480]],
                                                                '#,##0" juta"'),
          0, "format angka Excel-nya (baris 2, 3)", total_is(3_730_000_000)),
    KCase("konv-unit-number-format-scaled-header", lambda t: matrix_xlsx(t, [["Dinas Kesehatan", "PMT", KEC, 1_250_000_000]], '#,##0,,',
                                                                         head=("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu (Rp Juta)")),
          0, "1 kegiatan", total_is(1_250_000_000)),
    KCase("konv-unit-number-format-scaled-no-unit", lambda t: matrix_xlsx(t, [["Dinas Kesehatan", "PMT", KEC, 1_250_000_000]], '"Rp"#,##0,,'),
          1, "aksi2.xlsx[Sheet]:row 2:column 'Pagu (Rp)': the cell's number format '\"Rp\"#,##0,,' shows the amount divided by 1.000.000"),
    KCase("konv-unit-title-ribuan", lambda t: matrix_file(t, [["Matriks Aksi 2 Kota Serang (dalam ribuan rupiah)"], [],
                                                            ["Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu"],
                                                            ["Dinas Kesehatan", "PMT", KEC, "125.000"], ["DP3AKB", "BKB", "Kec. Curug", "250.000"]]),
          0, "menurut baris judul 1", total_is(375_000_000)),
    KCase("konv-unit-title-header-wins", lambda t: matrix_file(t, [["Rencana Kegiatan (Rp juta)"], ["Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu (Rp)"],
                                                                 ["Dinas Kesehatan", "PMT", KEC, "125.000.000"]]),
          0, "1 kegiatan", total_is(125_000_000)),
    KCase("konv-unit-comma-ambiguous", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "2,480 juta"], ["DP3AKB", "BKB", KEC, "1,002 jt"]]),
          1, "row 2:column 'Pagu': '2,480 juta' is ambiguous"),
    KCase("konv-unit-comma-decimal-by-file", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "2,480 juta"], ["DP3AKB", "BKB", KEC, "1,25 M"]]),
          0, "dibaca sebagai titik ribuan", total_is(1_252_480_000)),
    KCase("konv-unit-comma-thousands-by-file", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "2,480 juta"], ["DP3AKB", "BKB", KEC, "1,250,000,000"]]),
          0, "dibaca sebagai koma ribuan", total_is(3_730_000_000)),
    # ---- rows that are not activities: headings, copies, other governments, totals
    KCase("konv-office-heading-row", lambda t: matrix(t, [["Dinas Kesehatan", "", "Kota Serang", "3.000.000.000"],
                                                        ["Dinas Kesehatan", "PMT", KEC, "2.480.000.000"],
                                                        ["Dinas Kesehatan", "Imunisasi", "Kec. Curug", "520.000.000"]]),
          0, "baris 2 (OPD 'Dinas Kesehatan', tanpa sub kegiatan", total_is(3_000_000_000)),
    KCase("konv-office-heading-merged", lambda t: matrix(t, [["Dinas Sosial", "", "", "1.500.000.000"], ["", "Bansos", KEC, "1.000.000.000"],
                                                           ["", "PBI JKN", "Kec. Curug", "500.000.000"], ["DP3AKB", "TPK", KEC, "1.500.000.000"]],
                                                     ("Perangkat Daerah", "Program", "Lokasi", "Pagu")),
          0, "adalah judul", total_is(3_000_000_000)),
    KCase("konv-same-pagu-is-not-a-heading", lambda t: matrix(t, [["Dinas Kesehatan", KEC, "100.000.000"], ["Dinas Kesehatan", "Kec. Curug", "100.000.000"]],
                                                              ("Perangkat Daerah", "Lokasi", "Pagu")),
          0, "2 kegiatan", total_is(200_000_000)),
    KCase("konv-row-pasted-twice", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "100.000.000"], ["Dinas Sosial", "Bansos", KEC, "50.000.000"],
                                                      ["Dinas Sosial", "Bansos", KEC, "50.000.000"]]),
          0, "baris 4 mengulang baris 3", total_is(150_000_000)),
    KCase("konv-row-pasted-twice-strict", lambda t: matrix(t, [["Dinas Sosial", "Bansos", KEC, "50.000.000"], ["Dinas Sosial", "Bansos", KEC, "50.000.000"]],
                                                           ("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu"), "--strict"),
          1, "row 3 repeats row 2"),
    KCase("konv-grand-total-differs", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "100.000.000"], ["Dinas Sosial", "Bansos", KEC, "50.000.000"],
                                                         ["JUMLAH", "", "", "200.000.000"]]),
          0, "total Rp 200.000.000 berbeda dari jumlah kegiatan Rp 150.000.000", total_is(150_000_000)),
    KCase("konv-provincial-office", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "100.000.000"],
                                                       ["Dinas Kesehatan Provinsi Banten", "PMT provinsi", KEC, "700.000.000"]]),
          0, "adalah OPD Provinsi Banten, bukan Kota Serang", total_is(100_000_000)),
    KCase("konv-kabupaten-office", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "100.000.000"],
                                                      ["Dinkes Kab. Serang", "PMT", KEC, "300.000.000"], ["DP3AKB Kota Tangerang", "TPK", KEC, "5.000.000"]]),
          0, "OPD Kabupaten Serang", total_is(100_000_000)),
    KCase("konv-provincial-name-only", lambda t: matrix(t, [["Dinas Kesehatan", "PMT", KEC, "100.000.000"], ["Dinkes Banten", "PMT", KEC, "800.000.000"],
                                                          ["Dinsos Banten", "Bansos", KEC, "50.000.000"], ["Bappeda Provinsi", "Rembuk", KEC, "9.000.000"]]),
          0, "OPD 'Dinkes Banten' (baris 3; Rp 800.000.000) adalah OPD Provinsi Banten", total_is(100_000_000)),
    KCase("konv-provincial-office-strict", lambda t: matrix(t, [["Dinas Kesehatan Prov. Banten", "PMT", KEC, "700.000.000"]],
                                                            ("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu"), "--strict"),
          1, "Provinsi Banten"),
    # ---- cells written back: no control character stops a writer, no text is a live formula
    KCase("konv-control-characters", lambda t: matrix(t, [["Dinas Kesehatan\x1b", "Konseling\x07 gizi", KEC, "100.000.000"],
                                                        ["Dinas Sosial", "Bansos\x00", KEC, "50.000.000"]]),
          0, "2 kegiatan", _control_char_check),
    KCase("konv-formula-office", lambda t: matrix(t, [['=HYPERLINK("http://evil.example","klik")', "PMT", KEC, "100.000.000"],
                                                    ["+cmd|' /C calc'!A0", "@SUM(1+1)", KEC, "200.000.000"],
                                                    ["Dinas Sosial", "-2+3+cmd|' /C calc'!A0", KEC, "300.000.000"]]),
          0, "tidak dikenal", _formula_office_check),
    KCase("rank-formula-kelurahan", _rank_formula, 0, "", _rank_check),
    # ---- privacy: a note cell naming a child never reaches a message or the report
    KCase("join-note-cell-not-in-report", lambda t: join(t, w(t, "d.csv", NOTE_CSV), "--report", t / "r.json"), 0, "skipped 1", _no_leak),
    KCase("join-total-note-not-in-report", lambda t: join(t, w(t, "d.csv", NOTE_TOTAL_CSV), "--report", t / "r.json"), 0, "total rows 1", _no_leak),
]


def test_activity_file_warnings_read_in_the_run_language(tmp_path):
    """What reading an activity file leaves out (a heading, a pasted copy, another government's office, a total that
    differs) is said in the run's language, in the terminal and the pages alike (issue 20): no English on an Indonesian run."""
    rows = [["Dinas Kesehatan", "", "Kota Serang", "3.000.000.000"], ["Dinas Kesehatan", "PMT", KEC, "2.480.000.000"],
            ["Dinas Kesehatan", "Imunisasi", "Kec. Curug", "520.000.000"], ["Dinas Sosial", "Bansos", KEC, "50.000.000"],
            ["Dinas Sosial", "Bansos", KEC, "50.000.000"], ["Dinkes Banten", "PMT", KEC, "800.000.000"], ["JUMLAH", "", "", "9.000.000.000"]]
    said = {"id": ("adalah judul", "baris 6 mengulang baris 5", "adalah OPD Provinsi Banten", "total Rp 9.000.000.000 berbeda",
                   "peringatan: aksi2.csv"),
            "en": ("is a heading", "row 6 repeats row 5", "is an office of Provinsi Banten", "the total Rp 9,000,000,000 differs",
                   "warning: aksi2.csv")}
    for lang in ("id", "en"):
        d = tmp_path / lang
        d.mkdir()
        out = ran([*matrix(d, rows), "--lang", lang]).output
        other = "en" if lang == "id" else "id"
        assert all(p in out for p in said[lang]), (lang, out)
        assert not [p for p in said[other] if p in out], (lang, out)


def test_issue_19_konv_cases_are_many_and_distinct():
    assert len(CASES_19_KONV) >= 15 and len({c.id for c in CASES_19_KONV}) == len(CASES_19_KONV)


@pytest.mark.parametrize("case", CASES_19_KONV, ids=[c.id for c in CASES_19_KONV])
def test_issue_19_konv(case, tmp_path):
    args = case.make(tmp_path)
    before = snapshot(tmp_path)
    out = ran(args, case.code, case.phrase).output
    assert "Siti" not in out and NIK not in out
    if case.check is None:
        assert snapshot(tmp_path) == before, "a file was written or changed"
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a temporary file was left"
    else:
        case.check(tmp_path)




# ---- issue 19: boundaries and by-name ----------------------------------------------------------------------------
# Hostile boundary files are the packaged Kota Serang file redrawn with shapely; by-name exports are hand-made (names
# and NIK invented). Bad input: exit code, phrase, nothing written. Right outcome: exit 0 and the figure asserted.

BYNAME_HEAD = "NIK;Nama;JK;Tgl Lahir;Kec;Desa/Kel;Tanggal Pengukuran;Tinggi;TB/U\n"


def _byname(rows: list[tuple[str, str, str, str]]) -> str:
    """(birth date, measurement date, height, TB/U) per child, all in Cipare; NIK and names invented."""
    return BYNAME_HEAD + "".join(f"36730101010100{i:02d};Anak Ke{i};L;{b};Serang;Cipare;{m};{h};{c}\n"
                                 for i, (b, m, h, c) in enumerate(rows, 1))


def _drawn_over(kel):  # a 68th kelurahan drawn over Kota Baru (36.73.01.1004)
    extra = kel.iloc[[3]].copy()
    extra["kode"], extra["nama"] = "36.73.01.1099", "Kelurahan Baru"
    return gpd.GeoDataFrame(gpd.pd.concat([kel, extra]), crs=kel.crs)


def _shifted(kel):  # Sukawana (36.73.01.1008) moved 220 m east, over three neighbours
    kel = kel.copy()
    kel.loc[7, "geometry"] = shapely.affinity.translate(kel.geometry.iloc[7], 0.002, 0)
    return kel


def _dropped(kel):  # Terondol (36.73.01.1011) and Kasunyatan (36.73.02.1010) left out
    return kel[~kel["kode"].isin(["36.73.01.1011", "36.73.02.1010"])]


def _scrambled(kel):  # Cimuncang's outline with its vertices out of order: self-intersecting
    kel = kel.copy()
    g = kel.geometry.iloc[5]
    c = list((g.geoms[0] if g.geom_type == "MultiPolygon" else g).exterior.coords)[:-1]
    n = len(c)
    kel.loc[5, "geometry"] = shapely.Polygon(c[:n // 4] + c[n // 2:3 * n // 4] + c[n // 4:n // 2] + c[3 * n // 4:])
    return kel


def _bowtie(kel):  # Cimuncang drawn as a bow-tie across its bounding box, grown 1.3x: triangles over its neighbours
    kel = kel.copy()
    x0, y0, x1, y1 = shapely.affinity.scale(kel.geometry.iloc[5], 1.3, 1.3).bounds
    kel.loc[5, "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    return kel


def bvar(tmp, change, *extra):
    return [*boundaries_variant(tmp, change), *extra]


CASES_19_BOUND = [
    Case("bnd19-drawn-over", lambda t: bvar(t, _drawn_over), 1, "drawn one over the other"),
    Case("bnd19-drawn-over-names-both", lambda t: bvar(t, _drawn_over), 1, "Kota Baru (36.73.01.1004) and Kelurahan Baru (36.73.01.1099)"),
    Case("bnd19-drawn-over-info", lambda t: ["boundaries", "info", boundaries_variant(t, _drawn_over)[2]], 1, "100.0% of the smaller"),
    Case("bnd19-overlap-strict", lambda t: bvar(t, _shifted, "--strict"), 1, "Sukawana (36.73.01.1008) and Panancangan (36.73.05.1003) overlap by"),
    Case("bnd19-overlap-info-strict", lambda t: ["boundaries", "info", boundaries_variant(t, _shifted)[2], "--strict"], 1,
         "not a clean coverage"),
    Case("bnd19-missing-strict", lambda t: bvar(t, _dropped, "--strict"), 1, "2 kelurahan of 36.73 missing from the file: Terondol"),
    Case("bnd19-repair-strict", lambda t: bvar(t, _scrambled, "--strict"), 1, "Cimuncang (36.73.01.1006) is invalid (its outline crosses itself)"),
    Case("bnd19-bowtie-over-neighbours", lambda t: bvar(t, _bowtie, "--strict"), 1, "was repaired (self-intersecting)"),
    Case("byname19-dates-ambiguous", lambda t: join(t, w(t, "e.csv", _byname([("01/02/2022", "01/08/2024", "80", "Pendek"),
                                                                               ("03/04/2022", "02/08/2024", "85", "Normal")]))),
         1, "--date-format"),
    Case("byname19-dates-column-mixes", lambda t: join(t, w(t, "e.csv", _byname([("15/01/2022", "17/08/2024", "80", "Pendek"),
                                                                                 ("15/01/2022", "08/19/2024", "85", "Normal")]))),
         1, "mixes both orders"),
    Case("byname19-dates-columns-disagree", lambda t: join(t, w(t, "e.csv", _byname([("25/01/2022", "08/17/2024", "80", "Pendek")]))),
         1, "the file mixes both orders"),
    Case("byname19-date-format-option-bad", lambda t: join(t, w(t, "e.csv", GOOD_CSV), "--date-format", "ymd"), 2, "dmy"),
    Case("byname19-date-format-config-bad", lambda t: config(t, '[[data]]\npath = "s.csv"\nperiod = "2024"\ndate_format = "ddmm"\n'), 1,
         "date_format"),
]


@pytest.mark.parametrize("case", CASES_19_BOUND, ids=[c.id for c in CASES_19_BOUND])
def test_bad_input_19_bound(case, tmp_path):
    test_bad_input(case, tmp_path)


def test_bad_input_19_names_rows_not_dates(tmp_path):
    """An ambiguous or mixed date is named by row and column; the date itself (a child's) is never shown."""
    res = run_cli(*join(tmp_path, w(tmp_path, "e.csv", _byname([("15/01/2022", "17/08/2024", "80", "Pendek"),
                                                                ("15/01/2022", "08/19/2024", "85", "Normal")]))))
    assert res.exit_code == 1 and "row 3" in res.output and "'Tanggal Pengukuran'" in res.output, res.output
    assert "08/19/2024" not in res.output and "Anak" not in res.output and "3673010101010002" not in res.output


@dataclass
class Right:
    id: str
    make: Callable[[Path], list]
    check: Callable[[Path, str], None]  # (folder, output) -> asserts the figure


def _rows(tmp) -> dict[str, dict]:
    with open(tmp / "out.csv", encoding="utf-8-sig") as fh:
        return {r["kode_kel"]: r for r in csv.DictReader(fh)}


def _cipare(tmp) -> dict:
    return _rows(tmp)["36.73.01.1002"]


def bout(tmp, change, *extra):
    return [*boundaries_variant(tmp, change)[:-1], tmp / "out.csv", *extra]


def jout(tmp, text, *extra):
    return ["join", "--boundaries", SERANG, "--data", w(tmp, "e.csv", text), "-o", tmp / "out.csv", *extra]


def _heights_check(t, out):
    assert _cipare(t)["balita_diukur"] == "2" and _cipare(t)["pendek"] == "1", out  # 80 cm and "85 cm" only
    assert "excluded: rows 3, 4, 5, 6" in out, out
    assert "Anak" not in out and "36730101010100" not in out and "999" not in out, out


RIGHT_19_BOUND = [
    # the packaged file is a clean enough coverage: no warning, and --strict passes (no false alarm)
    Right("bnd19-packaged-clean", lambda t: bout(t, lambda k: k, "--strict"),
          lambda t, out: (len(_rows(t)) == 67 or pytest.fail(out), "overlap" not in out or pytest.fail(out))),
    Right("bnd19-overlap-warned", lambda t: bout(t, _shifted),
          lambda t, out: (len(_rows(t)) == 67 or pytest.fail(out),
                          "Sukawana (36.73.01.1008) and Panancangan (36.73.05.1003) overlap by 28.7 ha (11.9% of the smaller" in out
                          or pytest.fail(out))),
    Right("bnd19-missing-warned", lambda t: bout(t, _dropped),
          lambda t, out: (len(_rows(t)) == 65 or pytest.fail(out),
                          "Terondol (36.73.01.1011, kecamatan Serang), Kasunyatan (36.73.02.1010, kecamatan Kasemen)" in out
                          or pytest.fail(out))),
    Right("bnd19-repair-warned", lambda t: bout(t, _scrambled),
          lambda t, out: "changed its area from 2.13 km² (as drawn) to 1.63 km²" in out or pytest.fail(out)),
    # heights 0, 999,9, -80 and text are excluded and named by row; "85 cm" is read
    Right("byname19-heights", lambda t: jout(t, _byname([("15/01/2022", "17/08/2024", "80,0", "Pendek"), ("15/01/2022", "17/08/2024", "0", "Pendek"),
                                                        ("15/01/2022", "17/08/2024", "999,9", "Pendek"), ("15/01/2022", "17/08/2024", "-80", "Pendek"),
                                                        ("15/01/2022", "17/08/2024", "tidak tahu", "Pendek"),
                                                        ("15/01/2022", "17/08/2024", "85 cm", "Normal")]), "--period", "2024-08"),
          _heights_check),
    # month-first dates settled by 08/17/2024: 08/03/2024 is 3 August (in the period), not 8 March
    Right("byname19-month-first-settled", lambda t: jout(t, _byname([("01/25/2022", "08/17/2024", "85", "Pendek"),
                                                                    ("02/10/2022", "08/03/2024", "84", "Normal")]), "--period", "2024-08"),
          lambda t, out: _cipare(t)["balita_diukur"] == "2" or pytest.fail(out)),
    # ambiguous throughout, the order said with --date-format mdy: 08/01 and 08/03 are in August
    Right("byname19-date-format-mdy", lambda t: jout(t, _byname([("01/02/2022", "08/01/2024", "85", "Pendek"),
                                                                ("03/04/2022", "08/03/2024", "84", "Normal")]),
                                                     "--period", "2024-08", "--date-format", "mdy"),
          lambda t, out: (_cipare(t)["balita_diukur"] == "2" or pytest.fail(out), _cipare(t)["pendek"] == "1" or pytest.fail(out))),
]


@pytest.mark.parametrize("case", RIGHT_19_BOUND, ids=[c.id for c in RIGHT_19_BOUND])
def test_right_19_bound(case, tmp_path):
    case.check(tmp_path, ran(case.make(tmp_path)).output)




# ---- issue 19: table reading -------------------------------------------------------------------
# Silent misreads of aggregate tables (e-PPGBM rekap, BKKBN, sanitation): each is now a clear error naming the
# rows/columns (nothing written), or a right read whose figure is checked in the joined layer, with a warning
# where the reading had to decide something (and --strict then refuses it).

HEAD19 = ["Kecamatan", "Desa/Kelurahan", "Jumlah Balita Diukur", "Jumlah Stunting"]


def xlsx_sheets(tmp, name, sheets, hidden=()):
    """A workbook with the sheets {title: rows} in order; ``hidden`` column letters hidden on every sheet."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for r in rows:
            ws.append(r)
        for col in hidden:
            ws.column_dimensions[col].hidden = True
    p = tmp / name
    book.save(p)
    return p


def two_years(tmp):
    return xlsx_sheets(tmp, "rekap.xlsx", {"Agustus 2022": [HEAD19, ["Serang", "Cipare", 100, 7]],
                                           "Agustus 2023": [HEAD19, ["Serang", "Cipare", 100, 9]]})


def hidden_duplicate(tmp):
    head = ["Kecamatan", "Desa/Kelurahan", "Jumlah Balita Diukur", "Balita Stunting", "Jumlah Stunting"]
    return xlsx_sheets(tmp, "dup.xlsx", {"Data": [head, ["Serang", "Cipare", 100, 4, 9], ["Curug", "Tinggar", 80, 2, 6]]}, hidden="D")


def second_sheet(tmp):
    return xlsx_sheets(tmp, "kedua.xlsx", {"Petunjuk": [], "Rekap": [HEAD19, ["Serang", "Cipare", 100, 9]]})


def curug_rows(last):
    """Kec. Curug: two kelurahan with the kecamatan cell merged (blank below), then ``last``."""
    return ("Kecamatan;Desa/Kelurahan;Jumlah Balita Diukur;Jumlah Stunting\nCurug;Tinggar;100;5\n;Kemanisan;80;4\n" + last)


CSV19 = "Kecamatan;Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek;Balita Sangat Pendek\n"

CASES_19_READ = [
    Case("r19-duplicate-column-hidden", lambda t: join(t, hidden_duplicate(t)), 1, "2 columns read as stunting"),
    Case("r19-duplicate-prevalence", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Prevalensi (%);% Stunting\nCipare;7,5;8\n")), 1,
         "columns read as prevalensi"),
    Case("r19-sheet-none-fits-period", lambda t: join(t, two_years(t), "--period", "2024"), 1, "no sheet fits --period 2024"),
    Case("r19-sheet-named-other-period", lambda t: join(t, two_years(t), "--sheet", "Agustus 2022", "--period", "2023"), 1,
         "names another period"),
    Case("r19-title-other-period", lambda t: join(t, w(t, "d.csv", "REKAP STUNTING AGUSTUS 2023\n\n" + GOOD_CSV), "--period", "2024-08"),
         1, "row 1 (a title above the header)"),
    Case("r19-title-other-month", lambda t: join(t, w(t, "d.csv", "Data Februari 2024\n" + GOOD_CSV), "--period", "2024-08"), 1,
         "'Data Februari 2024'"),
    Case("r19-prevalence-fractions", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Prevalensi (%)\nCipare;0,158\nKalanganyar;0,21\n")),
         1, "every value is at most 1"),
    Case("r19-stunting-total-not-parts", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek;"
                                                                      "Balita Sangat Pendek;Jumlah Stunting\nCipare;100;5;2;7\n"
                                                                      "Kalanganyar;90;4;1;9\n")), 1, "row 3:column 'Jumlah Stunting'"),
    Case("r19-code-scientific", lambda t: join(t, w(t, "d.csv", "Kode Desa;Jumlah Stunting\n3,67301E+09;4\n3,67301E+09;5\n")), 1,
         "scientific notation"),
    Case("r19-code-only-no-match", lambda t: join(t, w(t, "d.csv", "Kode Desa;Jumlah Stunting\n367301100;4\n367301101;5\n")), 1,
         "none of its 2 data rows matches"),
    Case("r19-filldown-loses-unique", lambda t: join(t, w(t, "d.csv", curug_rows(";Cipare;90;6\n"))), 1,
         "row 4: the kecamatan cell is blank"),
    Case("r19-filldown-after-total-ambiguous", lambda t: join(t, w(t, "d.csv", curug_rows("JUMLAH;;180;9\n;Sukawana;50;2\n"))), 1,
         "is the name of 2 kelurahan"),
    Case("r19-filldown-ambiguous-name", lambda t: join(t, w(t, "d.csv", curug_rows(";Sukawana;50;2\n"))), 1,
         "row 4: the kecamatan cell is blank (the rows above would make it 'Curug'), and 'Sukawana' is the name of 2"),
    Case("r19-data-on-second-sheet", lambda t: join(t, second_sheet(t)), 1, '--sheet "Rekap"'),
    Case("r19-subtotal-or-kelurahan-ambiguous", lambda t: join(t, w(t, "d.csv", curug_rows(";CURUG;180;9\n"))), 1,
         "row 4: 'CURUG' is the name of Kec. Curug and of its kelurahan"),
    Case("r19-subtotal-or-kelurahan-kec-written", lambda t: join(t, w(t, "d.csv", curug_rows("Curug;Curug;180;9\n"))), 1,
         'write "Jumlah Kec. Curug"'),
    Case("r19-pasted-twice", lambda t: join(t, w(t, "d.csv", GOOD_CSV + "Serang;Cipare;100;5;2\n")), 1, "pasted twice"),
]


@dataclass
class RightRead:
    id: str
    make: Callable[[Path], list]
    figures: dict  # kode_kel -> {column: value} in the joined layer (None: no data)
    phrase: str | None = None  # a warning the run must print (then --strict must refuse the same input)


def _xlsx_codes(tmp):
    return xlsx_sheets(tmp, "kode.xlsx", {"Data": [["Kode Desa", "Jumlah Balita Diukur", "Jumlah Stunting"],
                                                   ["3673011002.0", 100, 9], ["'3673041002", 80, 4]]})


def _cross_tables(tmp):
    w(tmp, "prev.csv", "Desa/Kelurahan;Prevalensi (%)\nCipare;15,8\nTinggar;5\n")
    return join(tmp, w(tmp, "d.csv", GOOD_CSV), "--data", tmp / "prev.csv")


def _bom_config(tmp):
    (tmp / "kolom.toml").write_bytes('\ufeff[columns]\n"Anak Pendek" = "pendek"\n'.encode("utf-8"))
    return join(tmp, w(tmp, "d.csv", "Desa/Kelurahan;Jumlah Balita Diukur;Anak Pendek\nCipare;100;6\n"), "--config", tmp / "kolom.toml")


RIGHT_19_READ = [
    RightRead("r19-sheet-by-period", lambda t: join(t, two_years(t), "--period", "2023"), {"36.73.01.1002": {"stunting": 9}}),
    RightRead("r19-duplicate-chosen-by-map", lambda t: join(t, hidden_duplicate(t), "--map", "Jumlah Stunting=stunting"),
          {"36.73.01.1002": {"stunting": 9}, "36.73.04.1002": {"stunting": 6}}),
    RightRead("r19-title-fits-period", lambda t: join(t, w(t, "d.csv", "REKAP AGUSTUS 2024\n" + GOOD_CSV), "--period", "2024-08"),
          {"36.73.01.1002": {"pendek": 5}}),
    RightRead("r19-fractions-with-counts", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Balita Diukur;Jumlah Stunting;Prevalensi (%)\n"
                                                                   "Cipare;100;7;0,07\nTinggar;50;8;0,16\n")),
          {"36.73.01.1002": {"prevalensi": 7.0}, "36.73.04.1002": {"prevalensi": 16.0}}, "holds fractions"),
    RightRead("r19-prevalence-contradicts-other-file", _cross_tables, {"36.73.01.1002": {"prevalensi": 15.8, "pendek": 5}},
          "Cipare (Kec. Serang): 15.8 % given, 7.0 % from the counts"),
    RightRead("r19-subtotal-named-like-kelurahan", lambda t: join(t, w(t, "d.csv", curug_rows("Curug;Curug;30;1\n;CURUG;210;10\n"))),
          {"36.73.04.1002": {"balita_diukur": 100}, "36.73.04.1001": {"balita_diukur": 30}}, "read as the kecamatan's subtotal"),
    RightRead("r19-kecamatan-name-blank-cell", lambda t: join(t, w(t, "d.csv", curug_rows(";CURUG;60;3\n"))),
          {"36.73.04.1001": {"balita_diukur": 60}}, "the kecamatan cell is blank: read as the kelurahan"),
    RightRead("r19-header-resembles-field", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Balita Diukur;Stunting (jiwa)\nCipare;100;9\n")),
          {"36.73.01.1002": {"balita_diukur": 100}}, "looks like stunting"),
    RightRead("r19-code-apostrophe-and-decimals-csv", lambda t: join(t, w(t, "d.csv", "Kode Desa;Jumlah Stunting\n'3673011002;4\n3673041002.0;5\n")),
          {"36.73.01.1002": {"stunting": 4}, "36.73.04.1002": {"stunting": 5}}),
    RightRead("r19-code-text-xlsx", lambda t: join(t, _xlsx_codes(t)), {"36.73.01.1002": {"stunting": 9}, "36.73.04.1002": {"stunting": 4}}),
    RightRead("r19-header-repeated", lambda t: join(t, w(t, "d.csv", GOOD_CSV + GOOD_CSV.splitlines()[0] + "\nCipocok Jaya;Banjar Agung;70;3;1\n")),
          {"36.73.01.1002": {"pendek": 5}, "36.73.05.1004": {"balita_diukur": 70}}),
    RightRead("r19-filldown-unique-name", lambda t: join(t, w(t, "d.csv", curug_rows(";Cilaku;50;2\n"))),
          {"36.73.04.1003": {"balita_diukur": 80}, "36.73.04.1005": {"balita_diukur": 50}}),
    RightRead("r19-ambiguous-name-kecamatan-written", lambda t: join(t, w(t, "d.csv", curug_rows("Curug;Sukawana;50;2\n"))),
          {"36.73.04.1007": {"balita_diukur": 50}, "36.73.01.1008": {"balita_diukur": None}}),
    RightRead("r19-pasted-twice-counted-once", lambda t: join(t, w(t, "d.csv", GOOD_CSV + "Serang;Cipare;100;5;2\n"), "--sum-duplicates"),
          {"36.73.01.1002": {"balita_diukur": 100}}, "repeats row 2 (kelurahan 36.73.01.1002) in every cell"),
    RightRead("r19-sum-duplicates-parts-added", lambda t: join(t, w(t, "d.csv", GOOD_CSV + "Serang;Cipare;50;1;1\nSerang;Cipare;100;5;2\n"),
                                                              "--sum-duplicates"),
          {"36.73.01.1002": {"balita_diukur": 150, "pendek": 6}}, "repeats row 2"),
    RightRead("r19-join-config-with-bom", _bom_config, {"36.73.01.1002": {"pendek": 6}}),
    RightRead("r19-wasting-prevalence-not-stunting", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;Jumlah Balita Diukur;Jumlah Stunting;"
                                                                             "Prevalensi Wasting (%)\nCipare;100;9;4,5\n")),
          {"36.73.01.1002": {"prevalensi": None, "stunting": 9}}),
    RightRead("r19-odf-cell-like-its-header", lambda t: join(t, w(t, "d.csv", "Desa/Kelurahan;ODF\nCipare;ODF\nKalanganyar;Belum ODF\n")),
          {"36.73.01.1002": {"status_odf": "ODF deklarasi"}}),
    RightRead("r19-title-print-date-ignored", lambda t: join(t, w(t, "d.csv", "Dicetak 05/09/2025 dari e-PPGBM\n" + GOOD_CSV), "--period", "2024"),
          {"36.73.01.1002": {"balita_diukur": 100}}),
]


@pytest.mark.parametrize("case", CASES_19_READ, ids=[c.id for c in CASES_19_READ])
def test_table_reading_refused(case, tmp_path):
    test_bad_input(case, tmp_path)


def _figures(path: Path, figures: dict):
    got = gpd.read_file(path).set_index("kode_kel")
    for code, want in figures.items():
        for col, value in want.items():
            if value is None:
                assert col not in got.columns or gpd.pd.isna(got.at[code, col]), (code, col, got.at[code, col])
            else:
                assert got.at[code, col] == pytest.approx(value), (code, col, got.at[code, col])


@pytest.mark.parametrize("case", RIGHT_19_READ, ids=[c.id for c in RIGHT_19_READ])
def test_table_reading_right(case, tmp_path):
    res = ran(case.make(tmp_path))
    if case.phrase:
        assert case.phrase in res.output, res.output
    _figures(tmp_path / "out.gpkg", case.figures)


@pytest.mark.parametrize("case", [c for c in RIGHT_19_READ if c.phrase], ids=[c.id for c in RIGHT_19_READ if c.phrase])
def test_table_reading_warning_fails_strict(case, tmp_path):
    args = case.make(tmp_path)
    before = snapshot(tmp_path)
    res = run_cli(*args, "--strict")
    assert res.exit_code == 1 and "--strict" in res.output and case.phrase in res.output, res.output
    assert snapshot(tmp_path) == before


def test_toml_with_bom_is_read(tmp_path):
    """An atlas config and a ranking profile saved by Notepad (UTF-8 with a byte-order mark) read as without it."""
    from serang_gis.read.config import load_config
    from serang_gis.read.profile import load_profile

    w(tmp_path, "s.csv", GOOD_CSV)
    (tmp_path / "atlas.toml").write_bytes(("\ufeff" + f'region = "36.73"\n{DATA}').encode("utf-8"))
    assert load_config(tmp_path / "atlas.toml").data[0].period == "2024"
    (tmp_path / "p.toml").write_bytes(('\ufeffname = "x"\n[[indicator]]\ncolumn = "prevalensi_stunting"\nweight = 2.0\n').encode("utf-8"))
    assert load_profile(tmp_path / "p.toml").name == "x"


def test_build_strict_stops_on_a_reading_warning(tmp_path):
    """`build --strict`: a warning of reading a [[data]] table (a header that looks like a field) stops the build,
    nothing written; without --strict the same config builds."""
    w(tmp_path, "s.csv", "Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek;Stunting (jiwa)\nCipare;100;5;9\n")
    args = config(tmp_path, DATA, data=False)
    res = run_cli(*args, "--strict")
    assert res.exit_code == 1 and "looks like stunting" in res.output and "--strict" in res.output, res.output
    assert not (tmp_path / "atlas").exists()


def test_issue_19_added_at_least_60_cases():
    """Issue 19: at least 60 new hostile or odd inputs beyond the first 124, each asserting its class of outcome."""
    new = CASES_19_OUTPUT + CASES_19_KONV + CASES_19_BOUND + RIGHT_19_BOUND + CASES_19_READ + RIGHT_19_READ
    assert len(new) >= 60 and len({c.id for c in new}) == len(new)
