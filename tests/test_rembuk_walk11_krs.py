"""Families at risk of stunting in the rembuk pack of a one-line config (recheck11 H1).

The package carries the paper's families at risk per kecamatan for 2021 (Table 1, 52.204; the atlas's
kecamatan.csv column ``keluarga_berisiko_2021`` and its "Keluarga berisiko stunting (2021)" layer), but the report
said "keluarga berisiko tidak ada data" on every kecamatan page, "Peta keluarga berisiko stunting tidak tersedia:
tabel yang diberikan tidak memuat data ini" on page 3, and "Tidak ada data keluarga berisiko stunting (BKKBN)" in the
annex, on the last slide, in the berita acara and in the index. Now each says what exists (per kecamatan, 2021, the
paper's Table 1) and what is missing (BKKBN per kelurahan for a current period); with the user's BKKBN table nothing
changes.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from serang_gis.core.numbers import count
from serang_gis.core.text import t

from .test_rembuk_pdf import REPORT, SLIDES, _image_pages, _pages

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")]

OLD = "Tidak ada data keluarga berisiko"
WHEN_ID = "2021, makalah Sinergitas (2023), Tabel 1 (Dinas Kesehatan Kota Serang 2022)"


@pytest.fixture(scope="module")
def bare(rembuk_bare):
    """The pack of Kota Serang without any table of the user's (conftest's ``rembuk_bare``, built once per run)."""
    return rembuk_bare


def _flat(text: str) -> str:
    return " ".join(text.split())


def _atlas_families(bare) -> pd.Series:
    """The atlas's own figures: kecamatan.csv's keluarga_berisiko_2021, by kecamatan."""
    kec = pd.read_csv(bare["result"].out_dir / "kecamatan.csv", dtype={"kode_kec": str}, encoding="utf-8-sig")
    return kec.set_index("kecamatan")["keluarga_berisiko_2021"]


def _kec_page(pages: list[str], name: str) -> str:
    return next(p for p in pages if p.strip().startswith(f"Kecamatan {name}\n"))


def test_each_kecamatan_page_gives_the_atlas_families_at_risk_with_period_and_source(bare):
    fam = _atlas_families(bare)
    assert fam.to_dict() == {"Serang": 15126, "Kasemen": 8721, "Walantaka": 7908, "Curug": 4789, "Cipocok Jaya": 7975,
                             "Taktakan": 7685} and fam.sum() == 52204
    pages = _pages(bare["dir"] / REPORT)
    for name, n in fam.items():
        page = _flat(_kec_page(pages, name))
        assert f"keluarga berisiko {count(n)} ({WHEN_ID})" in page, (name, page[:400])
        # the kelurahan's column stays empty, and the page says why: no BKKBN figure per kelurahan
        assert t("id", "rpdf.kel_families_none", when=WHEN_ID) in page, name
    assert "keluarga berisiko tidak ada data" not in _flat(" ".join(pages))


def test_report_and_slides_say_what_exists_and_what_is_missing(bare):
    report = _flat("\n".join(_pages(bare["dir"] / REPORT)))
    slides = _flat("\n".join(_pages(bare["dir"] / SLIDES)))
    assert OLD not in report and OLD not in slides
    assert "Peta keluarga berisiko stunting tidak tersedia" not in report
    said = ("Keluarga berisiko stunting: hanya ada angka per kecamatan (" + WHEN_ID + "; 52.204 keluarga); belum ada data "
            "BKKBN per kelurahan untuk periode terkini")
    assert said in report and said in slides
    # the map of the atlas's "Keluarga berisiko stunting (2021)" layer, its legend's largest circle Kecamatan Serang's
    pages = _pages(bare["dir"] / REPORT)
    at = next(i for i, p in enumerate(pages, 1) if p.strip().startswith("Keluarga berisiko stunting (2021)\n"))
    page = _flat(pages[at - 1])
    assert "15.126 keluarga" in page and "Catatan: " + t("id", "rpdf.kel_families_none", when=WHEN_ID) in page
    assert "Sumber: makalah Sinergitas (2023), Tabel 1 (Dinas Kesehatan Kota Serang 2022)" in page
    assert at in _image_pages(bare["dir"] / REPORT)
    # the annex's check of the same figure agrees
    assert re.search(r"keluarga berisiko stunting 2021 \(Tabel 1\) 52\.204 52\.204 ya", report)


def test_berita_acara_and_index_say_the_same(bare, tmp_path):
    import docx

    from serang_gis.render.rembuk import meeting
    from serang_gis.render.rembuk.berita_acara import write_berita_acara
    from serang_gis.render.rembuk.pack import index_html

    line = next(x for x in meeting.missing(bare["plan"], "id") if "keluarga" in x.lower())
    assert line.startswith("Keluarga berisiko stunting: hanya ada angka per kecamatan") and "52.204" in line
    write_berita_acara(bare["plan"], tmp_path / "ba.docx", "id")
    texts = [p.text for p in docx.Document(tmp_path / "ba.docx").paragraphs]
    assert line in texts and not any(OLD in x for x in texts)
    html = index_html(bare["plan"], tmp_path, "atlas", [], "id")
    assert "hanya ada angka per kecamatan (2021, makalah Sinergitas (2023)" in html and OLD not in html


def test_the_english_pack_says_the_same(bare):
    from serang_gis.render.rembuk import facts, meeting

    en = {k["name"]: k for k in facts.kecamatan_rows(bare["plan"], "en")}
    assert "families at risk 15,126 (2021, Sinergitas paper (2023), Table 1 (Dinas Kesehatan Kota Serang 2022))" in en["Serang"]["summary"]
    line = next(x for x in meeting.missing(bare["plan"], "en") if "amilies" in x)
    assert line.startswith("Families at risk of stunting: only figures per kecamatan (2021, Sinergitas paper (2023), Table 1")
    assert "52,204 families" in line and "no BKKBN figures per kelurahan" in line
    assert "per kecamatan" in facts.no_map(bare["plan"], "keluarga", "en")  # without static maps: where the map is
    assert "peta_kecamatan.html" in facts.no_map(bare["plan"], "keluarga", "en")
    assert facts.families_map(bare["plan"], "en").title == "Families at risk of stunting (2021)"


def test_with_the_users_bkkbn_table_nothing_changes(rembuk_full):  # test_rembuk_pdf's ``full`` pack (conftest)
    from serang_gis.render.rembuk import facts, meeting

    full = rembuk_full
    plan = full["plan"]
    assert facts.user_families(plan) and facts.embedded_families(plan) == {}
    assert facts.families_map(plan, "id") is None
    assert not any("hanya ada angka per kecamatan" in x for x in meeting.missing(plan, "id"))
    report = _flat("\n".join(_pages(full["dir"] / REPORT)))
    assert "makalah Sinergitas (2023), Tabel 1 (Dinas" not in report.split(t("id", "rpdf.quality"))[0]
    assert t("id", "rpdf.kel_families_none", when=WHEN_ID)[:40] not in report


def test_families_at_risk_for_some_kelurahan_only_are_in_the_list_of_what_is_missing(rembuk_full):
    """Walk adv12 L8: with BKKBN counts for 20 of 67 kelurahan, "Yang belum ada" (workbook, report, slides, berita
    acara, index: one list) said nothing; only the period line did."""
    import dataclasses

    from serang_gis.render.rembuk import meeting
    from serang_gis.render.rembuk.workbook import notes

    plan = rembuk_full["plan"]
    kel = plan.units.kelurahan
    assert pd.to_numeric(kel["keluarga_berisiko"], errors="coerce").notna().all()  # the fixture: every kelurahan
    assert not any("keluarga" in x.lower() for x in meeting.missing(plan, "id"))
    some = kel.copy()
    some.loc[some.index[20:], "keluarga_berisiko"] = None
    partial = dataclasses.replace(plan, units=dataclasses.replace(plan.units, kelurahan=some))
    line = t("id", "rembuk.miss_keluarga_some", n=count(20), total=count(len(kel)), m=count(len(kel) - 20))
    assert line in meeting.missing(partial, "id") and f"  - {line}" in notes(partial, "id")
    assert any(x.startswith("Families at risk of stunting (BKKBN): figures for 20 of") for x in meeting.missing(partial, "en"))


def test_meeting_documents_speak_plainly_and_the_config_keys_are_in_the_index_hints(bare, tmp_path):
    """Recheck12 L7: "([[data]] di konfigurasi)" and "Tidak ada peringkat ([rank])" on the report, the slides and the
    berita acara, read aloud in a meeting room. The keys stay, for whoever makes the pack, in the index's hints."""
    import docx

    from .test_rembuk_pdf import REPORT, SLIDES

    keys = ("[rank]", "[[data]]", "[[kegiatan]]", "[maps]", "static = false")
    texts = {name: _flat("\n".join(_pages(bare["dir"] / name))) for name in (REPORT, SLIDES)}
    from serang_gis.render.rembuk.berita_acara import write_berita_acara
    from serang_gis.render.rembuk.pack import index_html

    write_berita_acara(bare["plan"], tmp_path / "ba.docx", "id")
    texts["berita_acara_komitmen.docx"] = _flat("\n".join(p.text for p in docx.Document(tmp_path / "ba.docx").paragraphs))
    for name, text in texts.items():
        assert not [k for k in keys if k in text], (name, [text[max(0, text.find(k) - 80):text.find(k) + 40] for k in keys if k in text])
    assert t("id", "rpdf.miss.rank") in texts[REPORT]  # the gap is still said, in plain words
    index = _flat(re.sub(r"<[^>]+>", " ", index_html(bare["plan"], bare["dir"], "atlas", [], "id")))
    assert "berkas konfigurasi ([rank], [[data]], [[kegiatan]]; lihat docs/atlas-config.md)" in index, index[-1500:]  # lokus: the package's
