"""The rembuk pack of a one-line config (``region = "36.73"``), as users made it in recheck11.

M5: the report's cover and slide 1 said "Periode tanpa periode", the index "Periode data: tidak ada data" and the
berita acara "data periode .....", beside figures dated 2025-04, 2023–2024-07 and ODF per 2025-09-20; the cover's
"Sumber data" named only the ODF status; the index described the atlas as having prevalence and convergence maps.
Every expected period and source is read here from the atlas the same run wrote (its CSV tables and its own index),
not typed in.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pandas as pd
import pytest

from .conftest import run_cli

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")]

REPORT, SLIDES, DOCX = "laporan_analisis_situasi.pdf", "bahan_paparan.pdf", "berita_acara_komitmen.docx"


def _pack(tmp, lang: str):
    (tmp / "rembuk.toml").write_text('region = "36.73"\n', encoding="utf-8")  # the users' one line
    res = run_cli("rembuk", "--config", tmp / "rembuk.toml", "-o", tmp / "rembuk", "--lang", lang)
    assert res.exit_code == 0, res.output
    return tmp / "rembuk"


@pytest.fixture(scope="module")
def pack_id(tmp_path_factory):
    return _pack(tmp_path_factory.mktemp("recheck11_id"), "id")


@pytest.fixture(scope="module")
def pack_en(tmp_path_factory):
    return _pack(tmp_path_factory.mktemp("recheck11_en"), "en")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_page(pdf, page: int) -> str:
    return _flat(subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout)


def _html_text(path) -> str:
    return _flat(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.S)))


def _docx_text(path) -> str:
    import docx

    return _flat("\n".join(p.text for p in docx.Document(str(path)).paragraphs))


def _atlas_periods(pack) -> dict[str, str]:
    """The periods of what the atlas itself holds, read from its tables: the newest per-kecamatan stunting snapshot
    (kecamatan.csv's balita_stunting_YYYY_MM columns), the span of the reported cases (kelurahan.csv) and the ODF date
    (the atlas's own index header, "ODF per ...")."""
    kec = pd.read_csv(pack / "atlas" / "kecamatan.csv", encoding="utf-8-sig")
    snaps = sorted(c[len("balita_stunting_"):].replace("_", "-") for c in kec.columns
                   if re.fullmatch(r"balita_stunting_\d{4}(_\d{2})?", c))
    kel = pd.read_csv(pack / "atlas" / "kelurahan.csv", encoding="utf-8-sig", dtype=str)
    reported = sorted(set(kel["periode_stunting_dilaporkan"].dropna()))
    odf = re.search(r"ODF (?:per|as of) (\d{4}-\d{2}-\d{2})", (pack / "atlas" / "index.html").read_text(encoding="utf-8")).group(1)
    return {"kec": snaps[-1], "reported": f"{reported[0]}\u2013{reported[-1]}", "odf": odf}


def test_every_document_states_the_period_of_each_source_it_shows(pack_id):
    got = _atlas_periods(pack_id)
    assert got["kec"] == "2025-04" and got["odf"] == "2025-09-20"  # the figures the users saw beside "tanpa periode"
    said = [f"Balita stunting per kecamatan: {got['kec']}", f"Balita stunting dilaporkan per kelurahan: {got['reported']}",
            "Keluarga berisiko stunting per kecamatan: 2021", f"Status ODF: per {got['odf']}", "Lokus stunting: daftar 2021, 2022"]
    cover, slide1 = _pdf_page(pack_id / REPORT, 1), _pdf_page(pack_id / SLIDES, 1)
    index, ba = _html_text(pack_id / "index.html"), _docx_text(pack_id / DOCX)
    for name, text in (("laporan", cover), ("paparan", slide1), ("index", index), ("berita acara", ba)):
        for line in said:
            assert line in text, (name, line, text[:600])
        assert "tanpa periode" not in text and "Periode data: tidak ada data" not in text and "data periode ....." not in text, name


def test_the_cover_names_every_source_used(pack_id):
    cover = _pdf_page(pack_id / REPORT, 1)
    sources = cover[cover.index("Sumber data"):]
    kel = pd.read_csv(pack_id / "atlas" / "kelurahan.csv", encoding="utf-8-sig", dtype=str)
    sites = {re.match(r"https?://([^/]+)/", u).group(1) for u in kel["sumber_stunting_dilaporkan"].dropna()}
    kec = pd.read_csv(pack_id / "atlas" / "kecamatan.csv", encoding="utf-8-sig", dtype=str)
    kec_sites = {re.match(r"https?://([^/]+)/", u).group(1) for u in kec["sumber_balita_stunting_2025_04"].dropna()}
    assert sites and kec_sites
    assert "Status ODF" in sources  # as before
    assert "Balita stunting per kecamatan: data sementara dari pemberitaan " + ", ".join(sorted(kec_sites)) in sources
    assert "Balita stunting dilaporkan per kelurahan: pemberitaan " + ", ".join(sorted(sites)) in sources
    assert "Keluarga berisiko stunting per kecamatan: makalah Sinergitas (2023), Tabel 1" in sources
    assert "Lokus stunting: makalah Sinergitas" in sources


def test_the_index_describes_the_atlas_it_links(pack_id):
    index = _html_text(pack_id / "index.html")
    atlas = (pack_id / "atlas" / "index.html").read_text(encoding="utf-8")
    assert not (pack_id / "atlas" / "peta_prevalensi_stunting.html").exists()  # this atlas has no prevalence map ...
    row = index[index.index("atlas/index.html"):index.index("atlas/serang_gis.qgz")]
    assert "prevalensi" not in row and "konvergensi" not in row, row  # ... nor a convergence one: not claimed
    for title in ("Kota Serang: lokus stunting, status ODF dan kasus yang dilaporkan",
                  "Kota Serang: balita stunting dan keluarga berisiko per kecamatan"):
        assert title in atlas and title in row, title  # its maps, by the titles its own index gives them


def test_the_english_pack_states_the_periods_too(pack_en):
    got = _atlas_periods(pack_en)
    said = [f"Stunted toddlers per kecamatan: {got['kec']}", f"Reported stunted toddlers per kelurahan: {got['reported']}",
            f"ODF status: as of {got['odf']}", "Stunting lokus: lists 2021, 2022"]
    for name, text in (("report", _pdf_page(pack_en / REPORT, 1)), ("slides", _pdf_page(pack_en / SLIDES, 1)),
                       ("index", _html_text(pack_en / "index.html")), ("berita acara", _docx_text(pack_en / DOCX))):
        for line in said:
            assert line in text, (name, line, text[:600])
        assert "no period" not in text and "Data period: no data" not in text, name


def _atlas_checks(pack) -> dict[str, tuple[str, str, str]]:
    """The atlas index's "Pemeriksaan angka makalah" table: check -> (printed, computed, status)."""
    html = (pack / "atlas" / "index.html").read_text(encoding="utf-8")
    table = html[html.index('class="sg-checks"'):]
    table = table[:table.index("</table>")]
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = [_flat(re.sub(r"<[^>]+>", " ", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)]
        if cells:
            rows[cells[0]] = (cells[1], cells[2], cells[3])
    return rows


def test_the_reports_paper_checks_are_the_atlas_index_checks(pack_id):
    """M2: the annex said "tidak ada data" for the lokus-2021 check the atlas's index shows as 12 / 5 vs 13 / 6."""
    import html as htmllib

    checks = {htmllib.unescape(k): v for k, v in _atlas_checks(pack_id).items()}
    name = "lokus 2021: kelurahan dan kecamatan menurut teks vs daftarnya"
    assert checks[name][:2] == ("12 / 5", "13 / 6") and checks[name][2] == "berbeda"
    text = subprocess.run(["pdftotext", "-layout", str(pack_id / REPORT), "-"], capture_output=True, text=True, check=True).stdout
    annex = text[text.index("Pemeriksaan paket atas angka makalah"):].splitlines()
    for check, (printed, computed, status) in checks.items():
        line = next(x for x in annex if x.startswith(check[:24]))  # the row's first line: name (wrapped), figures, status
        said = f"{re.escape(printed)} +{re.escape(computed)} +{'tidak' if status == 'berbeda' else 'ya'}\\b"
        assert re.search(said, line), (check, printed, computed, status, line)


def _old_status(pack) -> tuple[str, str]:
    """The one Belum ODF kelurahan and the date of its report, from the atlas's kelurahan.csv."""
    kel = pd.read_csv(pack / "atlas" / "kelurahan.csv", encoding="utf-8-sig", dtype=str)
    row = kel[kel["status_odf"] == "Belum ODF"]
    assert len(row) == 1
    return row["kelurahan"].iloc[0], row["tanggal_odf"].iloc[0]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_an_old_status_is_printed_with_its_date(request, lang):
    """M6: Kaligandu's "Belum ODF" comes from a 2022-10-20 news item; the printed legends said only "Belum ODF" under
    "ODF per 2025-09-20". The atlas PNG's legend, the report's legend and the cover name it with its date."""
    from PIL import Image

    pack = request.getfixturevalue(f"pack_{lang}")
    name, date = _old_status(pack)
    assert date < _atlas_periods(pack)["odf"][:4]  # a year before the map's date: old
    said = f"{name}, {'laporan' if lang == 'id' else 'reported'} {date}"
    with Image.open(pack / "atlas" / "peta_kelurahan.png") as im:
        legend = [label for label, _ in json.loads(im.info["Legend"])]  # the legend's items, as the PNG carries them
    dated = [x for x in legend if x.endswith(f"\n({said})")]
    assert len(dated) == 1 and re.fullmatch(r"(Belum ODF|Not yet ODF)\n.*", dated[0]), legend  # under its class only
    report = subprocess.run(["pdftotext", "-layout", str(pack / REPORT), "-"], capture_output=True, text=True, check=True).stdout
    assert f"({said})" in _flat(report)  # the report's legend, under its class
    assert f"{dated[0].splitlines()[0]}: {said}" in _pdf_page(pack / REPORT, 1)  # the cover's period of the ODF status


def _pdf_text(pdf) -> str:
    return _flat(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_two_numbers_notice_says_what_is_missing_and_how_to_add_it(lang, pack_id, pack_en):
    """recheck11 L10: "... tidak dapat disandingkan dengan survei: hanya tersedia untuk Kota Serang dengan balita
    diukur" on a Kota Serang pack read as if Kota Serang had no figure; it now names the table it needs."""
    pack = pack_id if lang == "id" else pack_en
    for pdf in (pack / REPORT, pack / SLIDES):
        text = _pdf_text(pdf).replace("-", "")  # pdftotext reads Typst's "e-PPGBM" at a break as "ePPGBM"
        assert "hanya tersedia untuk Kota Serang dengan balita diukur" not in text
        if lang == "id":
            assert "perlu tabel ePPGBM dengan balita diukur dan balita stunting per kelurahan" in text, pdf.name
        else:
            assert "it needs an ePPGBM table of toddlers measured and stunted per kelurahan" in text, pdf.name


def test_every_report_map_legend_lists_the_kecamatan_boundaries_it_draws(pack_id, pack_en):
    """recheck11 L3: the report's legends left out "Batas kecamatan", which every map of this pack draws (as the PNG's
    own legend, the slides and the HTML list it)."""
    for pack, legend, line in ((pack_id, "Legenda", "Batas kecamatan"), (pack_en, "Legend", "Kecamatan boundaries")):
        pages = subprocess.run(["pdftotext", "-layout", str(pack / REPORT), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        with_legend = [p for p in pages if re.search(rf"^\s*{legend}\s*$", p, re.M)]
        assert len(with_legend) >= 2
        assert all(line in p for p in with_legend), [p[:80] for p in with_legend if line not in p]


def test_the_workbook_gives_the_period_of_each_source_it_shows(pack_id, pack_en):
    """recheck12 M2: the workbook said "Periode data tidak ada data" (Keterangan) and "-" (A1's note, every plan row)
    beside dated figures, and its A1 note named 3 of the 5 sources."""
    from openpyxl import load_workbook

    for pack, lang in ((pack_id, "id"), (pack_en, "en")):
        wb = load_workbook(pack / "rencana_dan_kesenjangan.xlsx")
        notes = " ".join(str(c.value) for row in wb[wb.sheetnames[-1]].iter_rows() for c in row if c.value)
        a1 = wb[wb.sheetnames[0]]["A1"].comment.text
        for text in (notes, a1):
            assert "tidak ada data" not in text.split("rencana")[0] and "Periode data -" not in text and "period -" not in text
            assert "2025-04" in text and "2021" in text and ("per 2025-09-20" in text or "as of 2025-09-20" in text), text[:300]
        assert a1.count(":") >= 5 and ("Lokus" in a1 or "lokus" in a1)  # every source, not the first three
        plan = wb[wb.sheetnames[1]]
        header = [c.value for c in plan[1]]
        col = header.index("Periode data" if lang == "id" else "Data period") + 1
        said = {plan.cell(r, col).value for r in range(2, plan.max_row + 1)}
        assert said == {"per sumber: lihat lembar Keterangan" if lang == "id" else "per source: see the Notes sheet"}, said
