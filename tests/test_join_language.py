"""The join's warnings in the run's language (issue 23): a row whose kecamatan is not known (matched by name alone), a row
matching no kelurahan with the names it comes nearest to ("did you mean"), the unmatched toddlers of a by-name export
counted per reason, and a prevalence of one file contradicting the counts of another. An Indonesian build says each in
Indonesian on the terminal and the index, an English build in English.

Hand-made files: ``d.csv`` gives Cipare 100 measured, 5 + 2 stunted (7.0 %), Tinggar under the kecamatan "Kec. Typo", and
"Atlantis" (no kelurahan of Kota Serang); ``prev.csv`` says Cipare 15,8 %; ``byname.csv`` (synthetic children) has three
toddlers in Cipare and two in "ATLANTIS"."""

from __future__ import annotations

import csv
import html as htmllib
import re

import pytest

from .conftest import run_cli

HEADER = ["NIK", "Nama", "JK", "Tgl Lahir", "Nama Ortu", "Prov", "Kab/Kota", "Kec", "Pukesmas", "Desa/Kel", "Posyandu",
          "Alamat", "Tanggal Pengukuran", "Berat", "Tinggi", "TB/U", "ZS TB/U"]

EXPECTED = {
    "id": ["d.csv: peringatan: baris 3: kecamatan 'Kec. Typo' tidak dikenal; dicocokkan menurut nama saja",
           "d.csv: peringatan: baris 4: 'Atlantis' (kec. Serang) tidak cocok dengan kelurahan mana pun; angkanya tidak "
           "digabungkan (mungkin maksudnya: 36.73.01.1010 Kaligandu (Kec. Serang); 36.73.01.1005 Lopang (Kec. Serang))",
           "byname.csv: peringatan: 2 balita dari ekspor by-name: sel kelurahan bukan kelurahan 36.73; tidak digabungkan "
           "(kolom 'Desa/Kel'; data by-name: isi selnya tidak ditampilkan)",
           "prev.csv: peringatan: prevalensi di prev.csv bertentangan dengan hitungan di d.csv pada 1 kelurahan: "
           "36.73.01.1002 Cipare (Kec. Serang): tertulis 15,8 %, dari hitungan 7,0 %"],
    "en": ["d.csv: warning: row 3: kecamatan 'Kec. Typo' is not known; matched by name alone",
           "d.csv: warning: row 4: 'Atlantis' (kec. Serang) matches no kelurahan; its figures are not joined (did you mean: "
           "36.73.01.1010 Kaligandu (Kec. Serang); 36.73.01.1005 Lopang (Kec. Serang))",
           "byname.csv: warning: 2 toddler(s) of the by-name export: the kelurahan cell is not a kelurahan of 36.73; not joined "
           "(column 'Desa/Kel'; by-name data: the cells are not shown)",
           "prev.csv: warning: the prevalence of prev.csv contradicts the counts of d.csv in 1 kelurahan: "
           "36.73.01.1002 Cipare (Kec. Serang): 15.8 % given, 7.0 % from the counts"],
}
ENGLISH_ONLY = ["is not known", "did you mean", "toddler(s)", "contradicts", "not joined"]


def _inputs(tmp):
    (tmp / "d.csv").write_text("Kecamatan;Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek;Balita Sangat Pendek\n"
                               "Serang;Cipare;100;5;2\nKec. Typo;Tinggar;50;4;1\nSerang;Atlantis;80;4;1\n", encoding="utf-8")
    (tmp / "prev.csv").write_text("Desa/Kelurahan;Prevalensi (%)\nCipare;15,8\nTinggar;10\n", encoding="utf-8")
    with open(tmp / "byname.csv", "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER)
        for i, kel in enumerate(["CIPARE"] * 3 + ["ATLANTIS"] * 2):
            w.writerow([f"36730101010100{i}", f"Anak Sintetis {i}", "L", "21/01/2022", "Ibu Sintetis", "BANTEN", "KOTA SERANG",
                        "SERANG", "PKM SERANG", kel, "Posyandu Melati", "Kp. Contoh RT 01/RW 02", "20/08/2024", "10,5", "91,5",
                        "Normal", "0,0"])
    (tmp / "atlas.toml").write_text('[[data]]\npath = "d.csv"\nperiod = "2024"\n[[data]]\npath = "prev.csv"\nperiod = "2024"\n'
                                    '[[data]]\npath = "byname.csv"\nperiod = "2024-08"\n[maps]\nstatic = false\n', encoding="utf-8")


@pytest.fixture(scope="module", params=["id", "en"])
def built(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"joinlang_{request.param}")
    _inputs(tmp)
    res = run_cli("build", "--config", tmp / "atlas.toml", "-o", tmp / "out", "--lang", request.param)
    assert res.exit_code == 0, res.output
    index = htmllib.unescape(re.sub(r"<[^>]+>", " ", (tmp / "out" / "index.html").read_text(encoding="utf-8")))
    return request.param, res.output, re.sub(r"\s+", " ", index)


@pytest.mark.parametrize("case", range(4), ids=["kecamatan_unknown", "did_you_mean", "byname_reason", "prevalence_files"])
def test_each_join_warning_is_in_the_runs_language_on_the_terminal_and_the_index(built, case):
    lang, said, index = built
    line = EXPECTED[lang][case]
    assert line in said
    assert line.split(": ", 2)[2] in index  # the index shows the warning without the file's prefix
    if lang == "id":
        assert not [w for w in ENGLISH_ONLY if w in said or w in index]


def test_two_tables_giving_one_field_name_the_column_and_the_config_fix(tmp_path):
    """Office walk 23c: a Bangda Data Sasaran and a Verval KRS of one year both give keluarga; the error's hint said "join
    them in separate runs", which an atlas cannot do. It names the column and the fix, and the fix works."""
    import pandas as pd

    rows = [("36.73.01.1001", 1000, 120), ("36.73.01.1002", 800, 90)]
    with open(tmp_path / "sasaran.csv", "w", encoding="utf-8") as fh:
        fh.write("Kode Desa;Jumlah Keluarga;Keluarga Berisiko Stunting\n" + "".join(f"{c};{k};{r}\n" for c, k, r in rows))
    with open(tmp_path / "krs.csv", "w", encoding="utf-8") as fh:
        fh.write("Kode Desa;Jumlah Keluarga;Air Mnm Tdk Lyk\n" + "".join(f"{c};{k + 5};{r // 3}\n" for c, k, r in rows))
    base = 'region = "36.73"\n[[data]]\npath = "sasaran.csv"\nperiod = "2024"\n[[data]]\npath = "krs.csv"\nperiod = "2024"\n'
    (tmp_path / "a.toml").write_text(base + "[maps]\nstatic = false\n", encoding="utf-8")
    res = run_cli("build", "--config", tmp_path / "a.toml", "-o", tmp_path / "out")
    assert res.exit_code == 1, res.output
    assert "keluarga is given by both sasaran.csv and krs.csv (column 'Jumlah Keluarga')" in res.output
    assert 'columns = { "Jumlah Keluarga" = "-" }' in res.output and "Traceback" not in res.output
    fixed = base.replace('path = "krs.csv"\n', 'path = "krs.csv"\ncolumns = { "Jumlah Keluarga" = "-" }\n')
    (tmp_path / "b.toml").write_text(fixed + "[maps]\nstatic = false\n", encoding="utf-8")
    res = run_cli("build", "--config", tmp_path / "b.toml", "-o", tmp_path / "out2")
    assert res.exit_code == 0, res.output
    kel = pd.read_csv(tmp_path / "out2" / "kelurahan.csv", dtype={"kode_kel": str}).set_index("kode_kel")
    assert kel.at["36.73.01.1001", "keluarga"] == 1000 and kel.at["36.73.01.1002", "krs_air_tidak_layak"] == 30  # sasaran's; krs's water
