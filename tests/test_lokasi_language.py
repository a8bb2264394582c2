"""Office walk 23b: a Lokasi cell of the activity matrix that matches nothing was explained in English in an Indonesian run
("kecamatan 'Atlantis' is not known"). Each reason now reads in the run's language, on the terminal and the index; the
JSON report in the run's language too.

Hand-made matrix: row 2 "Kec. Atlantis" (no such kecamatan), row 3 Cipare (a real kelurahan), row 4 "Kel. Atlantis (Kec.
Serang)" (no such kelurahan), row 5 "Kota Serang, Kel. Cipare" (city-wide with a place)."""

from __future__ import annotations

import html as htmllib
import json

import pytest

from serang_gis.core.text import say
from serang_gis.read import reference
from serang_gis.read.lokasi import LokasiParser

from .conftest import run_cli

MATRIX = ("No;OPD;Sub Kegiatan;Jenis Intervensi;Lokasi;Pagu;Sumber Dana;Tahun\n"
          "1;Dinas Perkim;Sambungan air minum;Sensitif;Kec. Atlantis;100000000;APBD;2023\n"
          "2;DP3AKB;Pendampingan keluarga;Sensitif;Kel. Cipare (Kec. Serang);50000000;APBD;2023\n"
          "3;Dinas Kesehatan;PMT;Spesifik;Kel. Atlantis (Kec. Serang);50000000;APBD;2023\n"
          "4;Dinas Kesehatan;Posyandu;Spesifik;Kota Serang, Kel. Cipare;10000000;APBD;2023\n")


@pytest.mark.parametrize("text, id_, en", [
    ("Kec. Atlantis", "kecamatan 'Atlantis' tidak dikenal", "kecamatan 'Atlantis' is not known"),
    ("", "Lokasi kosong", "Lokasi is empty"),
    ("Sukawana", "'Sukawana' adalah nama lebih dari satu kelurahan (", "'Sukawana' is the name of more than one kelurahan ("),
    ("Kel. Antah Berantah (Kec. Kasemen)", "'Kel. Antah Berantah' bukan kelurahan di Kec. Kasemen",
     "'Kel. Antah Berantah' is not a kelurahan in Kec. Kasemen"),
])
def test_each_reason_reads_in_both_languages(text, id_, en):
    problems = LokasiParser(reference.gazetteer()).parse(text).problems
    assert len(problems) == 1
    assert say("id", problems[0]).startswith(id_) and say("en", problems[0]).startswith(en)
    assert str(problems[0]).startswith(en)  # as plain text (a CSV cell, the JSON report): English


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_build_says_why_a_lokasi_matches_nothing_in_the_runs_language(tmp_path, lang):
    (tmp_path / "aksi2.csv").write_text(MATRIX, encoding="utf-8")
    (tmp_path / "atlas.toml").write_text('[maps]\nstatic = false\n[[kegiatan]]\npath = "aksi2.csv"\nyear = 2023\n', encoding="utf-8")
    res = run_cli("build", "--config", tmp_path / "atlas.toml", "-o", tmp_path / "out", "--lang", lang)
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    index = " ".join(htmllib.unescape((tmp_path / "out" / "index.html").read_text(encoding="utf-8")).split())
    expect = {
        "id": ["peringatan: aksi2.csv baris 2: Lokasi 'Kec. Atlantis': kecamatan 'Atlantis' tidak dikenal (pagunya dihitung",
               "baris 4: Lokasi 'Kel. Atlantis (Kec. Serang)': 'Kel. Atlantis' bukan kelurahan di Kec. Serang (terdekat: ",
               "baris 5: Lokasi 'Kota Serang, Kel. Cipare': 'Kota Serang' (seluruh kota) ditulis bersama tempat lain (pagunya"],
        "en": ["warning: aksi2.csv:row 2: Lokasi 'Kec. Atlantis': kecamatan 'Atlantis' is not known (its pagu counted",
               "row 4: Lokasi 'Kel. Atlantis (Kec. Serang)': 'Kel. Atlantis' is not a kelurahan in Kec. Serang (nearest: ",
               "row 5: Lokasi 'Kota Serang, Kel. Cipare': 'Kota Serang' (city-wide) is listed together with places (its pagu"],
    }[lang]
    for line in expect:
        assert line in said and line in index, (line, said[-1500:])
    if lang == "id":
        assert not [w for w in ("is not known", "is not a kelurahan", "nearest", "listed together") if w in said or w in index]
    report = json.loads((tmp_path / "out" / "laporan_konvergensi.json").read_text(encoding="utf-8"))
    first = {"id": "kecamatan 'Atlantis' tidak dikenal", "en": "kecamatan 'Atlantis' is not known"}[lang]
    assert [r["masalah"] for r in report["lokasi_tidak_cocok"]][0] == first  # the report in the run's language, as its notes
