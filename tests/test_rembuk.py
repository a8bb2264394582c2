"""The rembuk stunting pack (issue 22, first half): `serang-gis rembuk --config` through the CLI, products read back.

The inputs are the generated Data Sasaran workbook (truth kept in ``fixtures.truth_aggregate``) and the generated
Aksi 2 matrix (truth in ``kegiatan_fixtures``); every expected figure is computed here from those truths by plain
loops, never by the package.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from . import fixtures as F
from . import kegiatan_fixtures as K
from .conftest import run_cli

SASARAN_HEADERS = ["No", "Kode Wilayah", "Kecamatan", "Desa/Kelurahan", "Jumlah Keluarga", "Jumlah Keluarga Berisiko Stunting",
                   "Jumlah Balita Diukur", "Balita Sangat Pendek", "Balita Pendek"]
FIELDS = ["keluarga", "keluarga_berisiko", "balita_diukur", "sangat_pendek", "pendek"]


def jamban(code: str) -> int:
    """The hand-made '% KK Akses Jamban Sehat' of a kelurahan (its gap is 100 minus this)."""
    return 50 + int(code[-2:]) * 3


def _config(tmp, serang_path, *, kegiatan=True, data="s.xlsx", sanitation=False, indicators='"prevalensi"'):
    text = f'[boundaries]\npath = "{serang_path}"\n[[data]]\npath = "{data}"\nperiod = "2023"\n'
    if sanitation:  # a second table of the same period: the coverage figure of the sanitation package
        rows = "".join(f"{code},{jamban(code)}\n" for code in F.truth_aggregate())
        (tmp / "jamban.csv").write_text("Kode Wilayah,% KK Akses Jamban Sehat\n" + rows, encoding="utf-8")
        text += '[[data]]\npath = "jamban.csv"\nperiod = "2023"\n'
    text += f'[maps]\nindicators = [{indicators}]\nstatic = false\n'
    if kegiatan:
        text += '[[kegiatan]]\npath = "aksi2.csv"\nyear = 2023\n'
    (tmp / "atlas.toml").write_text(text, encoding="utf-8")
    return tmp / "atlas.toml"


@pytest.fixture(scope="module")
def acts():
    return K.make_activities()


@pytest.fixture(scope="module")
def pack(tmp_path_factory, serang_path, acts):
    tmp = tmp_path_factory.mktemp("rembuk")
    K.write_csv(tmp / "aksi2.csv", acts)
    F.write_messy_xlsx(tmp / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    res = run_cli("rembuk", "--config", _config(tmp, serang_path, sanitation=True), "-o", tmp / "rembuk")
    assert res.exit_code == 0, res.output
    (tmp / "terminal.txt").write_text(res.output, encoding="utf-8")  # what the run printed, read by a test below
    return tmp / "rembuk"


def test_the_terminal_reads_in_the_run_language(pack):
    """A default (Indonesian) run says its summary and what it wrote in Indonesian, as build does."""
    said = (pack.parent / "terminal.txt").read_text(encoding="utf-8")
    assert "ditulis ke" in said and "laporan_analisis_situasi.pdf" in said
    assert not any(w in said for w in ("wrote", "Kelurahan matched", "note:")), said


def _rows(ws):
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


def test_data_sasaran_has_the_bangda_layout_and_the_input_totals(pack):
    ws = load_workbook(pack / "rencana_dan_kesenjangan.xlsx")["Data Sasaran"]
    header, rows = _rows(ws)
    assert header == SASARAN_HEADERS
    truth = F.truth_aggregate()
    assert len(rows) == len(truth) == 67 and {r[1] for r in rows} == set(truth)
    for i, field in enumerate(FIELDS, start=4):
        assert sum(r[i] for r in rows if r[i] is not None) == sum(t[field] for t in truth.values() if t[field] is not None), field
        assert all(r[i] is None or type(r[i]) is int for r in rows), field  # typed: counts are integers, not text or floats
    cibendung = next(r for r in rows if r[1] == "36.73.06.1013")
    assert cibendung[6:9] == (None, None, None)  # not measured: blank (no data), not 0
    by_code = {r[1]: r for r in rows}
    for code in ("36.73.01.1001", "36.73.02.1006", "36.73.05.1001"):
        assert list(by_code[code][4:9]) == [truth[code][f] for f in FIELDS]


def test_pagu_to_lokus_is_the_convergence_headline(pack, acts):
    ws = load_workbook(pack / "rencana_dan_kesenjangan.xlsx")["Pagu ke Lokus"]
    header, rows = _rows(ws)
    total = dict(zip(header, next(r for r in rows if r[header.index("Kode OPD")] == "TOTAL")))
    want = K.expected_headline(acts, K.lokus_2022())
    assert total["Pagu seluruhnya (Rp)"] == want["total"] and total["Pagu tingkat kota, tanpa lokasi (Rp)"] == want["kota"]
    assert total["Pagu ke lokus, alokasi (Rp)"] == want["lokus"]  # whole rupiah parts (largest remainder)
    assert total["Pagu kegiatan yang menyentuh lokus, dihitung penuh (Rp)"] == want["menyentuh_lokus"]
    assert all(type(v) is int for k, v in total.items() if k.startswith("Pagu") and "%" not in k)


def test_lokus_office_gaps_name_the_unreached_lokus_and_the_idle_office(pack, acts):
    lokus = K.lokus_2022()
    reached = set().union(*(a.codes for a in acts))
    ws = load_workbook(pack / "rencana_dan_kesenjangan.xlsx")["Kesenjangan Lokus-OPD"]
    header, rows = _rows(ws)
    unreached = {r[1] for r in rows if r[0] == "Lokus tidak dijangkau OPD mana pun"}
    assert unreached == lokus - reached and unreached  # the fixture leaves two lokus of Curug without any office
    idle = {r[1] for r in rows if r[0] == "OPD tanpa kegiatan di lokus"}
    away = {o for o in K.OFFICES if not any(a.opd == o and a.codes & lokus for a in acts)}
    city = {o for o in away if any(a.opd == o and a.kind == "kota" for a in acts)}  # a city-wide activity reaches every lokus
    assert idle == away - city
    said = {r[1]: r[3] for r in rows if r[0] == "OPD dengan kegiatan se-kota saja"}
    assert set(said) == city and all("menjangkau setiap kelurahan, termasuk semua lokus" in x for x in said.values())


def test_a_city_wide_only_office_is_not_said_to_have_no_activity_in_a_lokus(tmp_path, serang_path, acts):
    """TPPS walk: Bappeda's one city-wide activity was listed as "OPD tanpa kegiatan di lokus"; a city-wide activity
    reaches every lokus, and the gap sheet says so (its own label), and an office with nothing near a lokus keeps the old one."""
    lokus = K.lokus_2022()
    mine = [a for a in acts if a.opd != "dlh"] + [K.Activity("dlh", "DLH", "Sosialisasi STBM", "Spesifik", "Kota Serang",
                                                               frozenset(), "kota", 300_000_000, "300000000", "APBD")]
    K.write_csv(tmp_path / "aksi2.csv", mine)
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    res = run_cli("rembuk", "--config", _config(tmp_path, serang_path), "-o", tmp_path / "rembuk")
    assert res.exit_code == 0, res.output
    header, rows = _rows(load_workbook(tmp_path / "rembuk" / "rencana_dan_kesenjangan.xlsx")["Kesenjangan Lokus-OPD"])
    assert [r[0] for r in rows if r[1] == "dlh"] == ["OPD dengan kegiatan se-kota saja"]
    assert not any(r[1] == "dlh" and r[0] == "OPD tanpa kegiatan di lokus" for r in rows)
    assert lokus


def test_programme_gap_gives_the_coverage_gap_where_given_and_says_when_not(pack):
    ws = load_workbook(pack / "rencana_dan_kesenjangan.xlsx")["Program vs Kesenjangan"]
    header, rows = _rows(ws)
    assert len(rows) == 5 * 67  # five service packages x every kelurahan
    col = {h: i for i, h in enumerate(header)}
    sanitation = [r for r in rows if r[col["Intervensi (paket layanan)"]] == "Air bersih & sanitasi"]
    assert len(sanitation) == 67
    assert all(r[col["Kesenjangan cakupan (%)"]] == 100 - jamban(r[col["Kode wilayah"]]) for r in sanitation)
    others = {r[col["Indikator cakupan"]] for r in rows if r[col["Intervensi (paket layanan)"]] != "Air bersih & sanitasi"}
    assert others == {"tidak ada data cakupan"}  # no coverage figure given for the other packages
    flags = [r[col["Lokus (daftar yang diberikan)"]] for r in rows[:67]]
    assert set(flags) == {"Ya", "Tidak"} and flags == sorted(flags, key=lambda v: v != "Ya")  # lokus first, yes/no in words
    keterangan = [r[0] for r in load_workbook(pack / "rencana_dan_kesenjangan.xlsx")["Keterangan"].iter_rows(values_only=True) if r[0]]
    assert any("s.xlsx" in line for line in keterangan) and any("aksi2.csv" in line for line in keterangan)
    assert any(line.startswith("Data Sasaran:") for line in keterangan) and any("Asumsi" in line for line in keterangan)


def test_berita_acara_holds_one_commitment_row_per_activity_and_lokus(pack, acts):
    import docx

    doc = docx.Document(pack / "berita_acara_komitmen.docx")
    lokus = K.lokus_2022()
    lok_table, commit, sign = doc.tables
    assert len(lok_table.rows) - 1 == len(lokus)
    assert {r.cells[1].text for r in lok_table.rows[1:]} == lokus
    body = commit.rows[1:]
    filled = [r for r in body if r.cells[1].text]
    assert len(filled) == sum(len(a.codes & lokus) for a in acts)  # one row per activity x lokus kelurahan it reaches
    by_office = {}
    for r in filled:
        by_office[r.cells[1].text] = by_office.get(r.cells[1].text, 0) + 1
    assert by_office["Dinas Sosial"] == sum(len(a.codes & lokus) for a in acts if a.opd == "dinsos")
    whole = sorted(r.cells[5].text for r in filled if r.cells[5].text)  # the activity's whole pagu, once per activity
    assert whole == sorted("Rp\u00a0" + f"{a.pagu:,}".replace(",", ".") for a in acts if a.codes & lokus)
    unreached = [r for r in body if not r.cells[1].text and r.cells[2].text]
    assert len(unreached) == len(lokus - set().union(*(a.codes for a in acts)))
    blank = [r for r in body if not any(c.text for c in r.cells)]
    assert len(blank) == 8 and blank == body[-8:]  # blank rows to complete, at the end
    from docx.shared import Cm

    # TPPS walk: too thin to write in, and split 6/2 over two pages: >= 1 cm high, kept together (keep-with-next on all but the last)
    assert all(r.height is not None and r.height >= Cm(1.0) for r in blank)
    assert [all(p.paragraph_format.keep_with_next for c in r.cells for p in c.paragraphs) for r in blank] == [True] * 7 + [False]
    # the office names the matrix wrote otherwise ("DINKES") printed in full, with a sentence saying where the name comes from
    written = {a.written_opd for a in acts}
    said = [p.text for p in doc.paragraphs if p.text.startswith("Nama OPD \u201c")]
    assert written and said and all("data/kegiatan/opd.csv" in x for x in said)
    assert any("\u201cDINKES\u201d" in x and "\u201cDinas Kesehatan\u201d" in x for x in said) == ("DINKES" in written)
    texts = [p.text for p in doc.paragraphs]
    assert "4. Data yang perlu diperkuat" in texts and any("Kemanisan" in p for p in texts)
    assert any("Kepala Dinas Sosial" in r.cells[1].text for r in sign.rows)


def test_index_links_every_product_in_the_page_language(pack):
    import re

    html = (pack / "index.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in html
    links = re.findall(r'href="([^"]+)"', html)
    assert set(links) >= {"atlas/index.html", "atlas/serang_gis.qgz", "rencana_dan_kesenjangan.xlsx", "berita_acara_komitmen.docx",
                          "laporan_analisis_situasi.pdf", "bahan_paparan.pdf"}
    assert all((pack / link).is_file() for link in links)
    assert (pack / "atlas" / "peta_konvergensi.html").is_file()


def test_partial_data_make_a_pack_that_says_what_is_missing(tmp_path, serang_path):
    """No activity matrix, no family-risk column, one period: the pack is made, in English, and says so."""
    truth = F.truth_aggregate()
    lines = ["Kode Wilayah,Balita Diukur,Sangat Pendek,Pendek"]
    lines += [f"{code},{t['balita_diukur'] or ''},{t['sangat_pendek'] or ''},{t['pendek'] or ''}" for code, t in truth.items()]
    (tmp_path / "gizi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # families at risk left in [maps] (walk fault 2): the pack is made as without it, the note says which table and line
    cfg = _config(tmp_path, serang_path, kegiatan=False, data="gizi.csv", indicators='"prevalensi", "persen_keluarga_berisiko"')
    res = run_cli("rembuk", "--config", cfg, "-o", tmp_path / "out", "--lang", "en")
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert 'map of Families at risk of stunting skipped: "persen_keluarga_berisiko" is in the indicators of the config\'s [maps]' in said
    assert "wrote the atlas" in res.output and "ditulis" not in res.output
    out = tmp_path / "out"
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "What is missing" in html
    assert "No activity matrix" in html and "One period only (2023)" in html
    # Kota Serang without a BKKBN table: the package's per-kecamatan 2021 figures exist (recheck11 H1), the kelurahan's do not
    assert "Families at risk of stunting: only figures per kecamatan" in html and "No families-at-risk figures" not in html
    wb = load_workbook(out / "rencana_dan_kesenjangan.xlsx")
    header, rows = _rows(wb["Target data (Data Sasaran)"])
    assert header == SASARAN_HEADERS  # the Web Aksi Bangda words also in English
    assert all(r[4] is None and r[5] is None for r in rows)  # no family figures given: blank, not 0 and not guessed
    assert sum(r[6] for r in rows if r[6] is not None) == sum(t["balita_diukur"] for t in truth.values() if t["balita_diukur"])
    assert list(wb["Lokus x office"].iter_rows(values_only=True))[1][0].startswith("No activity matrix")
    # both empty family columns named, not "that column"
    notes = [r[0] for r in wb["Notes"].iter_rows(values_only=True) if r[0]]
    # walk fault 14: no "-." placeholder and no internal column name in the notes
    assert not any(" -." in n or n.endswith(" -") for n in notes) and any("activity plan (Aksi 2) none (no activity matrix)" in n for n in notes)
    assert not any(re.search(r"\b[a-z]+_[a-z_]+\b", n.split(":", 1)[-1]) for n in notes if not n.startswith("  - ")), notes
    assert any("the columns 'Jumlah Keluarga' and 'Jumlah Keluarga Berisiko Stunting' are left empty" in n for n in notes)
    import docx

    doc = docx.Document(out / "berita_acara_komitmen.docx")
    commit = doc.tables[1]
    assert all(not r.cells[1].text for r in commit.rows[1:])  # nothing pretended: only rows to fill in
    assert any("No activity matrix" in p.text for p in doc.paragraphs)
    _one_list_of_what_is_missing(out, notes, doc, html)


def _one_list_of_what_is_missing(out, notes, doc, page):
    """The three gaps (one period, no families at risk, no activity matrix) said in the same words in the report's
    annex, the slides, the workbook's Notes, the berita acara's data to strengthen and the index; the PDFs' own older
    wording ("who acts where cannot be shown yet", "No data on families ...") is gone."""
    import html
    import subprocess

    page = html.unescape(page)
    flat = lambda s: re.sub(r"\s+", " ", s)  # noqa: E731 - PDF text wraps over lines
    pdfs = {name: flat(subprocess.run(["pdftotext", str(out / name), "-"], capture_output=True, text=True, check=True).stdout)
            for name in ("laporan_analisis_situasi.pdf", "bahan_paparan.pdf")}
    said = ["One period only (2023): no change between periods can be shown.",
            "Families at risk of stunting: only figures per kecamatan (2021, Sinergitas paper (2023), Table 1 (Dinas Kesehatan Kota "
            "Serang 2022); 52,204 families); no BKKBN figures per kelurahan for a current period: the columns 'Jumlah Keluarga' and "
            "'Jumlah Keluarga Berisiko Stunting' are left empty",
            "No activity matrix (Aksi 2): office convergence, pagu reaching lokus and the commitment table cannot be filled from data"]
    docx_text = "\n".join(p.text for p in doc.paragraphs)
    for sentence in said:
        assert all(sentence in text for text in pdfs.values()), (sentence, pdfs)
        assert any(sentence in n for n in notes) and sentence in docx_text and sentence in page, sentence
    for old in ("who acts where cannot be shown yet", "No data on families at risk", "Only 1 data period", "No families-at-risk figures"):
        assert not any(old in text for text in (*pdfs.values(), docx_text, page, *notes)), old


def test_a_file_of_yours_in_the_way_is_an_error_and_nothing_is_half_written(tmp_path, serang_path, acts):
    K.write_csv(tmp_path / "aksi2.csv", acts)
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    out = tmp_path / "out"
    out.mkdir()
    (out / "berita_acara_komitmen.docx").write_bytes(b"mine")
    res = run_cli("rembuk", "--config", _config(tmp_path, serang_path), "-o", out)
    assert res.exit_code != 0 and "berita_acara_komitmen.docx" in res.output
    assert sorted(p.name for p in out.iterdir()) == ["berita_acara_komitmen.docx"]
    assert (out / "berita_acara_komitmen.docx").read_bytes() == b"mine"


def test_a_second_run_replaces_its_own_pack_and_libreoffice_opens_the_draft(pack, serang_path, tmp_path):
    import shutil
    import subprocess

    config = pack.parent / "atlas.toml"
    names = ("rencana_dan_kesenjangan.xlsx", "berita_acara_komitmen.docx", "index.html")
    before = {n: (pack / n).read_bytes() for n in names}
    res = run_cli("rembuk", "--config", config, "-o", pack)  # the same folder again, no --overwrite: its own files
    assert res.exit_code == 0, res.output
    assert {n: (pack / n).read_bytes() for n in names} == before  # the same inputs give the same bytes (no clock in the zips)
    assert (pack / "atlas" / "index.html").is_file()
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed: the draft is checked with python-docx only")
    proc = subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(pack / "berita_acara_komitmen.docx")],
                          capture_output=True, text=True, timeout=180, env={**__import__("os").environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0 and (tmp_path / "berita_acara_komitmen.pdf").stat().st_size > 1000, proc.stderr


def test_hostile_text_in_the_matrix_is_no_formula_and_no_broken_docx(tmp_path, serang_path):
    """An unknown office written like a formula and a sub-kegiatan with a control character: the workbook holds text
    only (never a formula), the draft opens and shows the words without the control character."""
    import csv

    import docx

    rows = [("=HYPERLINK(\"http://x\",\"Dinas X\")", "+Makan\x01 bergizi", "Kel. Kota Baru (Kec. Serang)", "100000000"),
            ("Dinas Sosial", "@Bansos", "Kel. Lopang (Kec. Serang)", "50000000")]
    with open(tmp_path / "aksi2.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows([("Perangkat Daerah", "Sub Kegiatan", "Lokasi", "Pagu"), *rows])
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    text = _config(tmp_path, serang_path).read_text(encoding="utf-8").replace("year = 2023\n", "")
    (tmp_path / "atlas.toml").write_text(text, encoding="utf-8")
    res = run_cli("rembuk", "--config", tmp_path / "atlas.toml", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    wb = load_workbook(tmp_path / "out" / "rencana_dan_kesenjangan.xlsx")
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                assert not (isinstance(c.value, str) and c.value.startswith(("=", "+", "@"))), (ws.title, c.coordinate, c.value)
    commit = docx.Document(tmp_path / "out" / "berita_acara_komitmen.docx").tables[1]
    activities = {r.cells[3].text for r in commit.rows[1:] if r.cells[1].text}
    assert activities == {"+Makan bergizi", "@Bansos"}


def test_ranked_atlas_gives_each_lokus_its_strength_and_proposes_strong_ones_off_the_list(tmp_path, serang_path, acts):
    """With [rank], the lokus table carries the strength by the data and the draft names the strong lokus that are
    not on the list: the same kelurahan as the atlas's own kelurahan.csv."""
    import csv

    import docx

    K.write_csv(tmp_path / "aksi2.csv", acts)
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    text = _config(tmp_path, serang_path).read_text(encoding="utf-8") + '[rank]\nprofile = "default"\nlokus = "2022"\ndraws = 300\n'
    (tmp_path / "atlas.toml").write_text(text, encoding="utf-8")
    res = run_cli("rembuk", "--config", tmp_path / "atlas.toml", "-o", tmp_path / "out", "--lang", "en")
    assert res.exit_code == 0, res.output
    with open(tmp_path / "out" / "atlas" / "kelurahan.csv", encoding="utf-8-sig") as fh:
        atlas = list(csv.DictReader(fh))
    lokus = K.lokus_2022()
    strong_off = sorted(r["kelurahan"] for r in atlas if r["status_lokus"] == "lokus kuat" and r["kode_kel"] not in lokus)
    doc = docx.Document(tmp_path / "out" / "berita_acara_komitmen.docx")
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header[-1] == "Strength as lokus"  # the workbook's, slides' and report's header (walk fault 7)
    strengths = {r.cells[1].text: r.cells[4].text for r in doc.tables[0].rows[1:]}
    atlas_strong = {r["kode_kel"] for r in atlas if r["status_lokus"] == "lokus kuat"}
    assert {c for c, s in strengths.items() if s.startswith("Strong lokus")} == atlas_strong & lokus
    said = next((p.text for p in doc.paragraphs if p.text.startswith("Proposed by the data")), "")
    assert strong_off and all(f"{name} (Kec." in said for name in strong_off) and f": {len(strong_off)} kelurahan" in said


def test_commitment_pagu_is_the_allocated_share_and_sums_to_the_pagu_reaching_lokus(pack, acts):
    """Issue 22 user test: the whole activity pagu stood on every kelurahan row. Each row now holds the activity's
    pagu divided equally over the kelurahan its Lokasi names (the convergence split), so the column sums to the
    workbook's pagu to lokus; the whole pagu is written once per activity."""
    import docx

    lokus = K.lokus_2022()
    commit = docx.Document(pack / "berita_acara_komitmen.docx").tables[1]
    filled = [r for r in commit.rows[1:] if r.cells[1].text]

    def rp(text):
        return int(text.replace("Rp", "").replace("\u00a0", "").replace(".", "").strip())

    shares = sorted(rp(r.cells[4].text) for r in filled)
    assert shares == sorted(v for a in acts if a.codes for c, v in K.equal_parts(a).items() if c in lokus)
    header, rows = _rows(load_workbook(pack / "rencana_dan_kesenjangan.xlsx")["Pagu ke Lokus"])
    total = dict(zip(header, next(r for r in rows if r[0] == "TOTAL")))
    assert sum(shares) == total["Pagu ke lokus, alokasi (Rp)"]  # walk 4 fault 13: the parts add to the total, to the rupiah
    assert [c.text for c in commit.rows[0].cells][4:6] == ["Pagu ke kelurahan (alokasi, Rp)", "Pagu kegiatan (seluruhnya, Rp)"]


def test_workbook_sheets_carry_the_period_and_aksi2_year_and_round_percent_like_the_pdfs(pack):
    wb = load_workbook(pack / "rencana_dan_kesenjangan.xlsx")
    for name in ("Program vs Kesenjangan", "Lokus x OPD", "Kesenjangan Lokus-OPD", "Pagu ke Lokus"):
        header, rows = _rows(wb[name])
        assert header[-2:] == ["Periode data", "Rencana kegiatan (Aksi 2)"], name
        assert {r[-2] for r in rows} == {"2023"} and {r[-1] for r in rows} == {"TA 2023"}, name
        assert not any("_" in str(h) for h in header), (name, header)  # words, not snake_case
        assert not any(v is True or v is False for r in rows for v in r), name
    assert "2023" in wb["Data Sasaran"]["A1"].comment.text  # the import layout stays: header in row 1
    header, rows = _rows(wb["Lokus x OPD"])
    prev = [r[header.index("Prevalensi stunting (%)")] for r in rows]
    assert any(p is not None for p in prev) and all(p is None or round(p, 1) == p for p in prev)
    split = next(r[0] for r in wb["Keterangan"].iter_rows(values_only=True) if r[0] and r[0].startswith("Pembagian pagu"))
    assert split.endswith("pagu dibagi rata ke kelurahan yang disebut")  # the rule in words, not "equal"


def test_draft_layout_in_word_and_libreoffice(pack, tmp_path):
    """Issue 22: equal column widths wrapped the activity and broke "Rp / 2.500.000.000", the header row was not
    repeated, signature rows were one line high and the signature table split across pages."""
    import os
    import shutil
    import subprocess
    import zipfile

    xml = zipfile.ZipFile(pack / "berita_acara_komitmen.docx").read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tblHeader") == 3 and 'w:tblLayout w:type="fixed"' in xml
    widths = [int(w) for w in __import__("re").findall(r'<w:gridCol w:w="(\d+)"', xml)]
    assert len(set(widths)) > 3  # set column by column, not equal
    heights = [int(h) for h in __import__("re").findall(r'<w:trHeight w:val="(\d+)" w:hRule="atLeast"', xml)]
    assert heights and min(heights) >= 567  # every row given a height: 1 cm at least (the blank commitment rows, 1.2 cm)
    import docx
    from docx.shared import Cm

    sign = docx.Document(pack / "berita_acara_komitmen.docx").tables[-1].rows
    assert all(r.height >= Cm(1.5) for r in sign[1:])  # 1.5 cm = 850 twips at least (2 cm where the page holds them), to sign
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext is not installed")
    proc = subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(pack / "berita_acara_komitmen.docx")],
                          capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "berita_acara_komitmen.pdf"
    words = _bbox_words(subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    for i, (page, y, text) in enumerate(words):
        if text == "Rp":  # never alone at a line end: the amount follows on the same line
            assert words[i + 1][0] == page and abs(words[i + 1][1] - y) < 2, words[i:i + 2]
    # walk fault 3: every amount of the commitment table whole on one line, a billion ("1.258.542.000") included
    import docx

    cells = {c.text for table in docx.Document(pack / "berita_acara_komitmen.docx").tables for row in table.rows for c in row.cells}
    amounts = {c.split("\u00a0")[1] for c in cells if c.startswith("Rp\u00a0")}
    assert max(len(a) for a in amounts) >= 13, amounts  # some at least a billion: the ones that broke
    after_rp = {words[i + 1][2] for i, (_, _, w) in enumerate(words) if w == "Rp"}
    assert amounts <= after_rp, sorted(amounts - after_rp)[:5]
    kota = next(i for i, (p, _, w) in enumerate(words) if w.startswith("KOTA"))  # the title's place name: one line
    assert "SERANG" in words[kota][2] or (words[kota + 1][2] == "SERANG" and abs(words[kota + 1][1] - words[kota][1]) < 2), words[:12]
    heads = [p for p, _, w in words if w in ("Indikator",)]
    assert len(set(heads)) >= 2  # the commitment table runs over pages, its header row repeated on each
    sign_page = next(p for p, _, w in words if w == "Tanda")  # "5. Tanda tangan anggota TPPS"
    signers = {p for p, _, w in words if w in ("Ketua", "Sekretaris", "Kepala")}
    assert signers == {sign_page} and max(p for p, _, w in words) == sign_page  # the whole block on one page


def _bbox_words(html: str) -> list[tuple[int, float, str]]:
    """(page, yMin, word) of pdftotext -bbox output, in reading order."""
    import re
    from html import unescape

    out, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'yMin="([\d.]+)".*?>(.*)</word>', line)
        if m:
            out.append((page, float(m.group(1)), unescape(m.group(2))))
    return out


def _typo_config(tmp, serang_path, extra: str = "") -> Path:
    """Measurements by code (gizi.csv) and families by name (krs.csv) with a misspelt name matched with a score
    ('KASEMENN') and one matched to nothing ('WRG JAUDD'), as in the TPPS user test."""
    truth = F.truth_aggregate()
    lines = ["Kode Wilayah,Balita Diukur,Sangat Pendek,Pendek"]
    lines += [f"{code},{t['balita_diukur'] or ''},{t['sangat_pendek'] or ''},{t['pendek'] or ''}" for code, t in truth.items()]
    (tmp / "gizi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp / "krs.csv").write_text("Kecamatan,Desa/Kelurahan,Jumlah Keluarga Berisiko Stunting\nKasemen,KASEMENN,410\n"
                                 "Kasemen,WRG JAUDD,380\nSerang,Cipare,200\n", encoding="utf-8")
    text = (f'as_of = "2026-11-30"\n[boundaries]\npath = "{serang_path}"\n[[data]]\npath = "gizi.csv"\nperiod = "2026"\n'
            '[[data]]\npath = "krs.csv"\nperiod = "2026"\n[maps]\nindicators = ["prevalensi"]\nstatic = false\n' + extra)
    (tmp / "atlas.toml").write_text(text, encoding="utf-8")
    return tmp / "atlas.toml"


def test_misspelt_kelurahan_names_are_named_in_the_draft_and_strict_names_the_file(tmp_path, serang_path):
    import datetime as dt

    import docx

    config = _typo_config(tmp_path, serang_path)
    res = run_cli("rembuk", "--config", config, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    doc = docx.Document(tmp_path / "out" / "berita_acara_komitmen.docx")
    texts = [p.text for p in doc.paragraphs]
    section4 = texts[texts.index("4. Data yang perlu diperkuat"):]
    unmatched = next(p for p in section4 if "tidak cocok dengan kelurahan mana pun" in p)
    assert "krs.csv baris 3: 'WRG JAUDD'" in unmatched and "Warung Jaud" in unmatched  # file, row, name as written, nearest
    fuzzy = next(p for p in section4 if "dicocokkan dengan skor" in p)
    assert "krs.csv baris 2: 'KASEMENN' dicocokkan dengan Kasemen (Kec. Kasemen" in fuzzy
    # the files are dated by the build's as_of, still the same bytes each run
    assert doc.core_properties.created.date() == dt.date(2026, 11, 30)
    assert load_workbook(tmp_path / "out" / "rencana_dan_kesenjangan.xlsx").properties.created.date() == dt.date(2026, 11, 30)
    res = run_cli("rembuk", "--config", config, "-o", tmp_path / "strict", "--strict")
    assert res.exit_code != 0 and "krs.csv: row 3: 'WRG JAUDD'" in res.output, res.output


def test_lokus_from_a_file_says_so_and_one_strength_vocabulary_in_draft_and_workbook(tmp_path, serang_path, acts):
    """Issue 22 user test: last year's lokus file was called "usulan dari atlas", and the strength had three
    vocabularies. The draft says the list is the file's, and draft and workbook use the same four words."""
    import docx

    K.write_csv(tmp_path / "aksi2.csv", acts)
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    lokus = sorted(K.lokus_2022())
    (tmp_path / "lokus_tahun_lalu.csv").write_text("Kode Wilayah\n" + "\n".join(lokus) + "\n", encoding="utf-8")
    text = _config(tmp_path, serang_path).read_text(encoding="utf-8")
    (tmp_path / "atlas.toml").write_text(text + '[rank]\nlokus = "lokus_tahun_lalu.csv"\ndraws = 200\n', encoding="utf-8")
    res = run_cli("rembuk", "--config", tmp_path / "atlas.toml", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    doc = docx.Document(tmp_path / "out" / "berita_acara_komitmen.docx")
    texts = [p.text for p in doc.paragraphs]
    note = next(p for p in texts if p.startswith(f"{len(lokus)} kelurahan lokus"))
    assert "berkas lokus_tahun_lalu.csv" in note and "usulan dari atlas" not in note
    words = {"Lokus kuat", "Perbatasan", "Bukan lokus menurut data", "Perlu data"}  # walk fault 7: one vocabulary, one header
    in_docx = {r.cells[1].text: r.cells[4].text for r in doc.tables[0].rows[1:]}
    assert set(in_docx) == set(lokus) and set(in_docx.values()) <= words
    said = next(p for p in texts if p.startswith("Kekuatan sebagai lokus menurut peringkat atlas"))
    for w in set(in_docx.values()):
        assert f"{w}: {list(in_docx.values()).count(w)}" in said
    define = "Kekuatan sebagai lokus: peluang kelurahan masuk Prioritas 1 (N = "
    assert doc.tables[0].rows[0].cells[4].text == "Kekuatan sebagai lokus" and define in said
    keterangan = [r[0] for r in load_workbook(tmp_path / "out" / "rencana_dan_kesenjangan.xlsx")["Keterangan"].iter_rows(values_only=True) if r[0]]
    assert sum(line.startswith(define) for line in keterangan) == 1
    n = int(said.split(define)[1].split(" ")[0])
    assert n > 0 and said.split(define)[1].startswith(f"{n} kelurahan teratas)")
    header, rows = _rows(load_workbook(tmp_path / "out" / "rencana_dan_kesenjangan.xlsx")["Lokus x OPD"])
    in_xlsx = {r[0]: r[header.index("Kekuatan sebagai lokus")] for r in rows[:-1]}  # the last: the total row
    assert in_xlsx == in_docx and rows[-1][0] is None


def test_counts_of_one_read_in_the_singular_in_english():
    """Issue 22 (TPPS walk, --lang en): the workbook said "1 activities, none touching a lokus kelurahan". Every English
    text that counts activities has a singular form the catalogue picks for n = 1; Indonesian is unchanged."""
    from serang_gis.core.text import TEXT, t

    assert t("en", "rembuk.gap_opd_note", n="1") == "1 activity, not touching a lokus kelurahan"
    assert t("en", "rembuk.gap_opd_note", n="2") == "2 activities, none touching a lokus kelurahan"
    assert t("en", "rembuk.gap_opd_note", n="1.000") == "1.000 activities, none touching a lokus kelurahan"
    assert t("id", "rembuk.gap_opd_note", n="1") == t("id", "rembuk.gap_opd_note", n="2").replace("2", "1", 1)
    plural = [k for k, v in TEXT["en"].items() if "{n} activities" in v and not k.endswith(".one")]
    assert plural and all(f"{k}.one" in TEXT["en"] and "activities" not in TEXT["en"][f"{k}.one"] for k in plural), plural


def test_the_terminal_names_the_users_lokus_list_before_the_packages(tmp_path, serang_path, acts):
    """The TPPS walk gave lokus_2026.csv and the summary listed only the package's 'Lokus 2021 13 / Lokus 2022 19'."""
    K.write_csv(tmp_path / "aksi2.csv", acts)
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    codes = sorted(K.lokus_2022())[:5]
    (tmp_path / "lokus_2026.csv").write_text("kode_kel\n" + "\n".join(codes) + "\n", encoding="utf-8")
    cfg = _config(tmp_path, serang_path).read_text(encoding="utf-8") + '[rank]\nlokus = "lokus_2026.csv"\ndraws = 200\n'
    (tmp_path / "atlas2.toml").write_text(cfg, encoding="utf-8")
    res = run_cli("build", "--config", tmp_path / "atlas2.toml", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert re.search(r"Lokus 2026\s+5 \(tabel pengguna lokus_2026\.csv\)", res.output), res.output
    # h22g item 10: the package's lists are named as the paper's, for comparison, never as a second list of the user's
    assert re.search(r"Lokus 2022 \(makalah\)\s+19 \(daftar makalah, bawaan paket, untuk perbandingan\)", res.output), res.output
    assert not re.search(r"^\s*Lokus 202[12]\s+\d", res.output, re.M)


def test_high_need_unreached_is_flagged_for_every_kelurahan_and_office_counts_are_per_package(tmp_path, serang_path, acts):
    """Walk fault 1: the flag is the slide's list (top third of prevalence, no located pagu) over every kelurahan,
    lokus or not; fault 10: a package row's office count is that package's, so "not reached" never sits beside 2.
    The matrix here leaves out every activity reaching the two non-lokus kelurahan of highest prevalence."""
    truth = F.truth_aggregate()
    prev = {c: 100 * (v["sangat_pendek"] + v["pendek"]) / v["balita_diukur"] for c, v in truth.items() if v["balita_diukur"]}
    ranked = sorted(prev.values())
    pos = (len(ranked) - 1) * 2 / 3  # the 2/3 quantile by linear interpolation, written out
    t2 = ranked[int(pos)] + (ranked[int(pos) + 1] - ranked[int(pos)]) * (pos - int(pos))
    dropped = sorted((c for c in prev if c not in K.lokus_2022()), key=prev.get, reverse=True)[:2]
    kept = [a for a in acts if not a.codes & set(dropped)]
    funded = set().union(*(a.codes for a in kept if a.pagu > 0))
    want = {c for c, v in prev.items() if v > t2 and c not in funded}
    assert set(dropped) <= want
    K.write_csv(tmp_path / "aksi2.csv", kept)
    F.write_messy_xlsx(tmp_path / "s.xlsx", truth, wrong_row=False, year=2023)
    res = run_cli("rembuk", "--config", _config(tmp_path, serang_path), "-o", tmp_path / "rembuk")
    assert res.exit_code == 0, res.output
    book = load_workbook(tmp_path / "rembuk" / "rencana_dan_kesenjangan.xlsx")
    header, rows = _rows(book["Program vs Kesenjangan"])
    col = {h: i for i, h in enumerate(header)}
    flag = next(h for h in header if h.startswith("Kebutuhan tinggi"))
    got = {r[col["Kode wilayah"]] for r in rows if r[col[flag]] == "Ya"}
    assert got == want, (got, want)
    for r in rows:  # every package row of a flagged kelurahan says so, and gives the need figure as the reason
        assert (r[col[flag]] == "Ya") == (r[col["Kode wilayah"]] in want)
        assert (r[col["Alasan"]] or "").startswith("Prevalensi stunting") == (r[col["Kode wilayah"]] in want)
    reached, n = header[col["Lokus (daftar yang diberikan)"] + 1], next(h for h in header if h.startswith("Jumlah OPD"))
    assert "intervensi ini" in reached and "intervensi ini" in n
    assert all((r[col[reached]] == "Ya") == (r[col[n]] > 0) for r in rows)
    assert any(r[col[n]] == 0 and r[col[reached]] == "Tidak" and r[col["Kode wilayah"]] in funded for r in rows)
    keterangan = " ".join(r[0] for r in book["Keterangan"].iter_rows(values_only=True) if r[0])
    assert "setiap kelurahan, lokus atau bukan" in keterangan and "sepertiga teratas" in keterangan


@pytest.fixture(scope="module")
def ranked(tmp_path_factory, serang_path, acts):
    """The pack's inputs with a rank (default profile, the 2022 lokus), so that the atlas proposes lokus, and the
    matrix without its kecamatan-wide activities, so that some proposed lokus are reached by no office."""
    tmp = tmp_path_factory.mktemp("rembuk_ranked")
    K.write_csv(tmp / "aksi2.csv", [a for a in acts if a.kind != "kecamatan"])
    F.write_messy_xlsx(tmp / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    text = _config(tmp, serang_path).read_text(encoding="utf-8") + '[rank]\nprofile = "default"\nlokus = "2022"\ndraws = 100\n'
    (tmp / "atlas.toml").write_text(text, encoding="utf-8")
    res = run_cli("rembuk", "--config", tmp / "atlas.toml", "-o", tmp / "rembuk")
    assert res.exit_code == 0, res.output
    return tmp / "rembuk"


def test_the_proposed_lokus_reached_by_an_office_are_counted_and_the_unreached_listed_highest_rank_first(ranked, acts):
    """h22g item 2: whether the lokus the atlas proposes (strong and borderline, not the list given) are reached by an
    office was said nowhere. The gap sheet now says "N dari M lokus usulan dijangkau OPD" in a row and lists each
    unreached proposed lokus, highest rank first; N, M and the list computed here from the atlas's own kelurahan.csv
    and the activities' kelurahan codes (a city-wide activity is aimed at none)."""
    import csv
    import subprocess

    with open(ranked / "atlas" / "kelurahan.csv", encoding="utf-8-sig") as fh:
        atlas = list(csv.DictReader(fh))
    reached = set().union(*(a.codes for a in acts if a.kind != "kecamatan"))
    prop = [r for r in atlas if r["status_lokus"] in ("lokus kuat", "perbatasan")]
    lost = sorted((r for r in prop if r["kode_kel"] not in reached), key=lambda r: (float(r["peringkat"]), r["kelurahan"]))
    assert prop and lost and len(lost) < len(prop)  # the fixture's matrix misses some proposed lokus, not all
    header, rows = _rows(load_workbook(ranked / "rencana_dan_kesenjangan.xlsx")["Kesenjangan Lokus-OPD"])
    said = f"{len(prop) - len(lost)} dari {len(prop)} lokus usulan dijangkau OPD"
    assert [r[2] for r in rows if r[0] == "Jangkauan" and "lokus usulan" in r[2]] == [said]
    listed = [(r[1], r[3]) for r in rows if r[0] == "Lokus usulan tidak dijangkau OPD mana pun"]
    assert [c for c, _ in listed] == [r["kode_kel"] for r in lost]
    assert all(note.startswith(f"Kec. {r['kecamatan']}; peringkat {int(float(r['peringkat']))}; ") for (_, note), r in zip(listed, lost))
    first = f"{lost[0]['kelurahan']} ({lost[0]['kecamatan']}, peringkat {int(float(lost[0]['peringkat']))})"
    for pdf in ("bahan_paparan.pdf", "laporan_analisis_situasi.pdf"):  # the who-acts-where slide and report section
        text = " ".join(subprocess.run(["pdftotext", str(ranked / pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
        assert said in text and first in text, pdf


def test_the_lokus_office_sheet_has_a_total_row_and_says_what_it_counts_and_the_gap_sheet_says_the_reach(pack, acts):
    """Walk 3 fault 10: "Lokus x OPD" had no total row and its count column was headed "Jumlah OPD dengan kegiatan
    intervensi ini" though the sheet has no intervention; "Kesenjangan Lokus-OPD" had no row saying how many lokus are
    reached. The total row sums each office's pagu over the lokus (equal to the Pagu ke Lokus sheet's per office)."""
    wb = load_workbook(pack / "rencana_dan_kesenjangan.xlsx")
    header, rows = _rows(wb["Lokus x OPD"])
    count_col = "Jumlah OPD (semua OPD, semua intervensi) dengan kegiatan di kelurahan ini"
    assert count_col in header and not any("intervensi ini" in str(h) for h in header)
    lokus = K.lokus_2022()
    body = [r for r in rows if r[0] in lokus]
    total = rows[-1]
    assert len(body) == len(lokus) == len(rows) - 1 and total[header.index("Kelurahan")] == f"Jumlah ({len(lokus)} kelurahan)"
    ph, prow = _rows(wb["Pagu ke Lokus"])
    lokus_pagu = {r[ph.index("Perangkat Daerah (OPD)")]: r[ph.index("Pagu ke lokus, alokasi (Rp)")] for r in prow if r[0] != "TOTAL"}
    offices = [h for h in header if str(h).endswith(" (pagu, Rp)")]
    assert offices
    for h in offices:
        i = header.index(h)
        assert total[i] == sum(r[i] or 0 for r in body)
        assert abs(total[i] - lokus_pagu[h[:-len(" (pagu, Rp)")]]) <= len(body)  # whole rupiah per cell
    assert total[header.index(count_col)] == sum(1 for v in lokus_pagu.values() if v)
    reached = set().union(*(a.codes for a in acts))
    _, gaps = _rows(wb["Kesenjangan Lokus-OPD"])
    assert [r[2] for r in gaps if r[0] == "Jangkauan"][0] == f"{len(lokus & reached)} dari {len(lokus)} lokus (daftar) dijangkau OPD"  # no [rank] lokus: the built-in list, unnamed


def test_without_a_matrix_the_sheets_head_their_note_and_keep_the_sanitation_gap(tmp_path, serang_path):
    """Walk 3 fault 9: without the activity matrix the convergence sheets' one column was headed "catatan" (lower case),
    Program vs Kesenjangan lost the sanitation coverage gap (which needs no matrix), and "Rencana kegiatan (Aksi 2)"
    said "-". Now: "Catatan"; the sanitation gap per kelurahan (100 minus the hand-made access), lokus first; "tidak diberikan"."""
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    res = run_cli("rembuk", "--config", _config(tmp_path, serang_path, kegiatan=False, sanitation=True), "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    wb = load_workbook(tmp_path / "out" / "rencana_dan_kesenjangan.xlsx")
    for name in ("Lokus x OPD", "Kesenjangan Lokus-OPD", "Pagu ke Lokus"):
        header, rows = _rows(wb[name])
        assert header[0] == "Catatan" and rows[0][0].startswith("Tidak ada matriks kegiatan"), name
        assert rows[0][header.index("Rencana kegiatan (Aksi 2)")] == "tidak diberikan", name
    header, rows = _rows(wb["Program vs Kesenjangan"])
    col = {h: i for i, h in enumerate(header)}
    assert len(rows) == 67 and {r[col["Intervensi (paket layanan)"]] for r in rows} == {"Air bersih & sanitasi"}
    gap = {r[col["Kode wilayah"]]: r[col["Kesenjangan cakupan (%)"]] for r in rows}
    assert all(abs(gap[c] - (100 - jamban(c))) < 0.01 for c in F.truth_aggregate())
    lok = [r[col["Lokus (daftar yang diberikan)"]] for r in rows]
    assert lok == sorted(lok, key=lambda v: v != "Ya") and "Ya" in lok  # lokus first (the built-in 2022 list)
    assert rows[0][col["Catatan"]].startswith("Tidak ada matriks kegiatan") and rows[0][col["Rencana kegiatan (Aksi 2)"]] == "tidak diberikan"


def test_the_berita_acara_lists_each_signer_once_the_head_of_bappeda_as_the_secretary(tmp_path, serang_path, acts):
    """Walk 3 fault 12: with a Bappeda activity in the matrix both "Sekretaris TPPS (Bappeda)" and "Kepala Bappeda"
    were listed, one person twice. Bappeda's head signs once, as the secretary; every other office's head is listed."""
    import docx

    mine = list(acts) + [K.Activity("bappeda", "Bappeda", "Koordinasi konvergensi stunting", "Sensitif", "Kota Serang",
                                    frozenset(), "kota", 150_000_000, "150000000", "APBD")]
    K.write_csv(tmp_path / "aksi2.csv", mine)
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False, year=2023)
    res = run_cli("rembuk", "--config", _config(tmp_path, serang_path), "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    doc = docx.Document(tmp_path / "out" / "berita_acara_komitmen.docx")
    roles = [r.cells[1].text for r in doc.tables[-1].rows[1:] if r.cells[1].text]
    assert len(roles) == len(set(roles))
    assert [x for x in roles if "Bappeda" in x] == ["Sekretaris TPPS (Kepala Bappeda)"]
    assert roles[:2] == ["Ketua TPPS", "Sekretaris TPPS (Kepala Bappeda)"] and "Kepala Dinas Sosial" in roles
    assert len(roles) == 2 + len({a.opd for a in acts})  # each other office's head


@pytest.mark.parametrize("name", ["index.html", "berita_acara_komitmen.docx", "bahan_paparan.pdf"])
def test_a_file_of_the_user_s_in_the_way_is_said_before_the_pack_is_built(tmp_path, monkeypatch, name):
    """Walk adv12 L3: the error came after 73 s of work. Now the pack is not even started (its builder would fail the
    test); with --overwrite the same folder passes that check."""
    import serang_gis.pipeline as pipeline

    def must_not_start(*args, **kwargs):
        raise AssertionError("the pack was started although a file of the user's is in the way")

    monkeypatch.setattr(pipeline, "build_rembuk", must_not_start)
    (tmp_path / "rembuk.toml").write_text('region = "36.73"\n', encoding="utf-8")
    out = tmp_path / "pack"
    out.mkdir()
    (out / name).write_bytes(b"mine")
    res = run_cli("rembuk", "--config", tmp_path / "rembuk.toml", "-o", out)
    assert res.exit_code == 1 and f"would be replaced that are not written by serang-gis: {name}" in res.output, res.output
    assert "--overwrite" in res.output and (out / name).read_bytes() == b"mine" and sorted(p.name for p in out.iterdir()) == [name]
    res = run_cli("rembuk", "--config", tmp_path / "rembuk.toml", "-o", out, "--overwrite")
    assert "the pack was started" in res.output, res.output  # past the check: the builder was called
