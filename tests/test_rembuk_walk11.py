"""Faults of the eleventh planner walk in the rembuk pack (planner11 M4, M5), on the pack a one-line config gives
(``region = "36.73"``: no table of the user's, only the package's built-in figures).

M4: the report's map showed the package's news-based stunted toddlers per kecamatan (2025-04, "data sementara") while
the kecamatan pages said "balita stunting tidak ada data", and the kelurahan rows said "tidak ada data" for kelurahan
the atlas's kelurahan map gives reported counts for. The count finding named neither period nor source.
M5: the draft berita acara listed the paper's 19 lokus of 2022 without a word that the Walikota decree lists 18.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from serang_gis.core.numbers import count
from serang_gis.core.text import t

from .test_rembuk_pdf import REPORT, SLIDES, _pages, _titles

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")]

SNAP = "2025-04"


@pytest.fixture(scope="module")
def bare(rembuk_bare):
    """The pack of Kota Serang without any table of the user's (conftest's ``rembuk_bare``, built once per run)."""
    return rembuk_bare


def _kec_map(plan) -> pd.DataFrame:
    """The per-kecamatan counts the report's count map draws (its static frame and column), by kecamatan."""
    st = next(s for p in plan.pages for s in p.statics if s.stem == "peta_kecamatan")
    assert st.layer.column == f"balita_stunting_{SNAP.replace('-', '_')}"
    return st.frame.set_index("kecamatan")[[st.layer.column]].rename(columns={st.layer.column: "n"})


def _flat(text: str) -> str:
    return " ".join(text.split())


def _kec_page(pages: list[str], name: str) -> str:
    return next(p for p in pages if p.strip().startswith(f"Kecamatan {name}\n"))


def test_each_kecamatan_page_gives_the_count_its_map_shows_with_period_and_source(bare):
    """Every kecamatan page's summary gives the figure of the report's own count map, its period and that it is the
    package's provisional news-based figure; never "balita stunting tidak ada data" beside a map that has one."""
    counts = _kec_map(bare["plan"])
    assert counts.loc["Taktakan", "n"] == 374 and counts.loc["Serang", "n"] == 289  # the planner's map
    pages = _pages(bare["dir"] / REPORT)
    for name, n in counts["n"].items():
        page = _flat(_kec_page(pages, name))
        said = f"balita stunting {count(n)} ({SNAP}, data sementara dari pemberitaan bantenintens.co.id)"
        assert said in page, (name, page[:300])
    assert "balita stunting tidak ada data" not in _flat(" ".join(pages))


def test_kelurahan_rows_give_the_reported_counts_with_their_period_and_say_for_which_period_none(bare):
    """A kelurahan the atlas's map reports a count for (Cipare 39, Kota Baru 29, Unyur 33, Kagungan 52, 2024-07) has
    it in its row with its period; another kelurahan of the same kecamatan says "tidak ada data (2024-07)"; a kecamatan
    whose kelurahan no report names says so once, with the kecamatan's figure's period; the source is said under each."""
    kel = bare["plan"].units.kelurahan
    reported = kel[kel["stunting_dilaporkan"].notna()]
    assert len(reported) >= 10 and "balita_stunting" not in kel.columns  # the case: only the package's figures
    pages = _pages(bare["dir"] / REPORT)
    for _, r in reported.iterrows():
        page = _kec_page(pages, r["kecamatan"])
        line = next(x for x in page.splitlines() if x.strip().startswith(r["kelurahan"] + " "))
        assert f" {count(r['stunting_dilaporkan'])} ({r['periode_stunting_dilaporkan']})" in line, (r["kelurahan"], line)
    serang = _kec_page(pages, "Serang")
    for name in ("Cipare", "Kota Baru", "Unyur", "Kagungan"):
        assert re.search(rf"^{name}\s+tidak ada\s+\d+ \(2024-07\)", serang, re.M), name
    lines = serang.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("Lopang "))  # not in the 2024-07 report: said so
    assert re.search(r"tidak ada\s+tidak ada data\s", lines[at]) and re.search(r"\bdata\s+\(2024-07\)", lines[at + 1]), lines[at:at + 2]
    flat = _flat(serang)
    assert "kasus yang dilaporkan pemberitaan tangerangekspres.disway.id, periode dalam kurung" in flat
    taktakan = _flat(_kec_page(pages, "Taktakan"))
    assert t("id", "rpdf.kel_reported_none", when=f"{SNAP}, data sementara dari pemberitaan bantenintens.co.id") in taktakan


def test_the_count_finding_names_its_period_and_that_it_is_provisional(bare):
    """"Jumlah balita stunting: terbanyak di Taktakan (374 balita)" named neither the period nor the source. The
    slide's title and the report's summary now say both, as the map's title and source line do."""
    said = "Jumlah balita stunting (2025-04, data sementara dari pemberitaan): terbanyak di Taktakan (374 balita)"
    slides = [_flat(p) for p in _pages(bare["dir"] / SLIDES)]
    assert any(p.startswith(said) for p in slides), [p[:120] for p in slides]
    page = _pages(bare["dir"] / REPORT)[1]
    assert page.lstrip().startswith(t("id", "rpdf.summary"))
    assert f"• {said}" in _flat(page)


def test_the_english_report_says_the_same_figures_and_the_same_bytes_twice(bare, tmp_path):
    from serang_gis.render.rembuk import facts
    from serang_gis.render.rembuk.documents import write_pdfs

    en = {k["name"]: k for k in facts.kecamatan_rows(bare["plan"], "en")}
    assert en["Taktakan"]["summary"].startswith("13 kelurahan; prevalence no data; stunted toddlers 374 (2025-04, provisional figures "
                                                "from news reports: bantenintens.co.id)")
    assert "39 (2024-07)" in [r[2] for r in en["Serang"]["rows"]] and "no data (2024-07)" in [r[2] for r in en["Serang"]["rows"]]
    again = write_pdfs(bare["plan"], bare["result"], tmp_path / "again")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in bare["written"]]


def _lokus_section(path) -> tuple[list[str], list[str]]:
    import docx

    doc = docx.Document(path)
    texts = [p.text for p in doc.paragraphs]
    head = texts.index(t("id", "rembuk.ba_h_lokus"))
    return texts[head + 1:texts.index(t("id", "rembuk.ba_h_commit"))], [r.cells[2].text for r in doc.tables[0].rows[1:]]


def test_the_berita_acara_says_its_lokus_list_is_the_papers_not_the_decrees(bare, tmp_path):
    """The draft to be signed lists the paper's 19 lokus of 2022 (with Kelurahan Kasemen); one sentence beside the list
    says it follows the paper, not Keputusan Walikota 440/Kep.280-Huk/2021 (18), in the words of the package's check
    that the atlas's index and the report's annex print."""
    from serang_gis.render.rembuk.berita_acara import write_berita_acara

    check = next(c for c in bare["plan"].joined.checks if c.name == t("id", "check.lokus_2022"))
    assert (check.expected, check.found, check.ok) == (18, 19, False)
    write_berita_acara(bare["plan"], tmp_path / "ba.docx", "id")
    paragraphs, names = _lokus_section(tmp_path / "ba.docx")
    assert len(names) == 19 and [n for n in names if n.endswith(" *")] == ["Kasemen *"]  # its row marked (recheck12 L9)
    assert f"* {t('id', 'lokus.paper_only')}" in paragraphs  # and the mark explained under the table
    assert paragraphs[0].startswith("19 kelurahan lokus dari daftar lokus 2022")
    assert paragraphs[1] == ("Daftar di bawah mengikuti makalah (19 kelurahan), bukan Keputusan Walikota (18 kelurahan): "
                             "makalah menambahkan Kelurahan Kasemen pada 18 kelurahan Keputusan Walikota 440/Kep.280-Huk/2021.")
    assert t("id", "check.lokus_2022.note") in paragraphs[1]
    write_berita_acara(bare["plan"], tmp_path / "ba_en.docx", "en")
    import docx

    en = [p.text for p in docx.Document(tmp_path / "ba_en.docx").paragraphs]
    assert t("en", "check.lokus_2022.note") in " ".join(en) and "not the Walikota decree (18 kelurahan)" in " ".join(en)


def test_a_lokus_list_given_as_a_file_has_no_word_on_the_decree(tmp_path):
    """The sentence is about the package's 2022 list only: a list of the user's (a file) or another region has none."""
    from types import SimpleNamespace

    from serang_gis.render.rembuk.meeting import lokus_decree

    given = tmp_path / "lokus_2026.csv"
    given.write_text("Kode Wilayah,Kecamatan,Desa/Kelurahan\n", encoding="utf-8")
    plan = lambda spec, region="36.73": SimpleNamespace(settings=SimpleNamespace(rank_lokus=spec), region=region)  # noqa: E731
    assert lokus_decree(plan(str(given)), "id") is None
    assert lokus_decree(plan("2021"), "id") is None
    assert lokus_decree(plan(None, "36.72"), "id") is None
    assert "Kasemen" in lokus_decree(plan(None), "id") and "Kasemen" in lokus_decree(plan("2022"), "en")
