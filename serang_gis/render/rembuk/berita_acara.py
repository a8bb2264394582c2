"""``berita_acara_komitmen.docx``: the draft berita acara of the rembuk stunting (Aksi 3), editable in Word and LibreOffice.

Sections: the agreed lokus (the atlas's list, with its strength by the data where ranked); the commitment
table, one row per activity x lokus kelurahan it reaches (office, kelurahan, sub-kegiatan, pagu, target,
indicator) pre-filled from the activity matrix, then a row for each lokus no office reaches and blank rows
to complete; roles and coordination (to fill in); the data to strengthen (the atlas's data-quality
findings and what is missing); signature blocks for the TPPS members. Rows come from the convergence
result (``Konvergensi.kegiatan``: the activities as read, with the kelurahan each reaches); nothing is
recomputed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from serang_gis.core.numbers import rupiah
from serang_gis.core.text import t
from serang_gis.output.writers import write_bytes
from serang_gis.read import reference
from serang_gis.render.rembuk import facts, meeting
from serang_gis.output.stable_zip import stable_zip

FILE = "berita_acara_komitmen.docx"
BLANK_ROWS = 8
BLANK_ROW_CM = 1.2  # tall enough to write in by hand
COMMIT_HEADERS = ("rembuk.ba_no", "rembuk.ba_opd", "rembuk.ba_kel", "rembuk.ba_kegiatan", "rembuk.ba_pagu", "rembuk.ba_pagu_total",
                  "rembuk.ba_target", "rembuk.ba_indikator")
COMMIT_WIDTHS = (1.1, 3.5, 2.8, 5.8, 3.3, 3.4, 3.1, 2.7)  # cm, 25.7 cm: A4 landscape less 2 cm margins
LOKUS_WIDTHS = (1.1, 3.2, 4.0, 3.6, 9.0)
SIGN_WIDTHS = (1.1, 5.0, 4.0, 3.3, 3.6)  # 17 cm: the signature page is A4 portrait
SIGN_ROW_CM = (1.5, 2.0)  # tall enough to sign: 2 cm, down to 1.5 cm so that the block keeps to one page
SIGN_ROWS_CM = 21.0  # A4 portrait (25.7 cm inside the margins) less heading, place line and header row
# the width of an amount in em, by the widest font a viewer may fall back to (DejaVu Serif, LibreOffice's stand-in
# when Calibri is not installed: digits 0.64 em, "R" 0.75, dot and space 0.32), so that no amount ever breaks
EM = {**dict.fromkeys("0123456789p", 0.66), "R": 0.78, ".": 0.33, ",": 0.33, "\u00a0": 0.33, " ": 0.33}
CELL_PAD_CM = 0.5  # the cell's left and right margins (0.19 cm each) and a little slack
MIN_KEGIATAN_CM = 4.0  # the activity column gives up width to the amounts down to this
NBSP = "\u00a0"  # "Rp 800.000.000" never breaks after "Rp"


def commitments(ap) -> pd.DataFrame:
    """One row per located activity x lokus kelurahan it reaches (by its Lokasi, as the convergence view read it)."""
    konv = ap.analysed.konvergensi
    cols = ["opd_nama", "kode_kel", "kelurahan", "kegiatan", "pagu_alokasi", "pagu", "sasaran", "row", "first"]
    lok = meeting.lokus_table(ap, "id")
    if konv is None or lok.empty:
        return pd.DataFrame(columns=cols)
    names = dict(zip(lok["kode_kel"], lok["kelurahan"]))
    acts = konv.kegiatan[konv.kegiatan["lokasi_jenis"].isin(["kecamatan", "kelurahan"])].explode("kode_kel")
    acts = acts[acts["kode_kel"].isin(names)]
    # the convergence result's own allocation of each activity's pagu over its kelurahan (never recomputed here)
    share = konv.alokasi.groupby([konv.alokasi.index, "kode_kel"])["pagu_alokasi"].sum()
    alloc = [share.get((i, k)) for i, k in zip(acts.index, acts["kode_kel"])]
    what = acts["sub_kegiatan"].where(acts["sub_kegiatan"].astype(str) != "", acts["kegiatan"])
    out = pd.DataFrame({"opd_nama": acts["opd_nama"], "kode_kel": acts["kode_kel"], "kelurahan": acts["kode_kel"].map(names),
                        "kegiatan": what, "pagu_alokasi": alloc, "pagu": acts["pagu"], "sasaran": acts["sasaran"], "row": acts["row"],
                        "activity": acts.index})
    out = out.sort_values(["opd_nama", "activity", "kode_kel"]).reset_index(drop=True)
    out["first"] = ~out["activity"].duplicated()  # the activity's whole pagu is written once, on its first row
    return out[cols]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # no XML document may hold them (python-docx refuses)


def _text(v) -> str:
    """A value as the text of a cell or paragraph: missing -> empty, control characters dropped."""
    return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else _CONTROL.sub("", str(v))


def _flag(row, tag: str) -> None:
    """A row property without a value (``w:tblHeader``: repeated on each page; ``w:cantSplit``: never split)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _table(doc, headers: list[str], rows: list[list[str]], widths, *, size: float = 9.5):
    """A grid table with fixed column widths (grid and every cell: Word and LibreOffice both honour them), its header
    row repeated on every page, rows never split, text of ``size`` pt."""
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False  # w:tblLayout fixed
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(_text(text)).bold = True
    _flag(table.rows[0], "w:tblHeader")
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = _text(text)
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, widths):
        col.w = Cm(w)
    for row in table.rows:
        _flag(row, "w:cantSplit")
        for cell, w in zip(row.cells, widths):
            cell.width = Cm(w)
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(size)
    return table


def _heading(doc, ap, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    kab = meeting.kabkota(ap).upper().replace(" ", NBSP)  # "KOTA SERANG" kept on one line when the title wraps
    title = doc.add_heading(_text(t(lang, "rembuk.ba_title", kab=kab)), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    draft = doc.add_paragraph(t(lang, "rembuk.ba_draft"))
    draft.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(_text(t(lang, "rembuk.ba_opening", kab=meeting.kabkota(ap), period=meeting.period_text(ap, lang))))


def _lokus(doc, ap, lang: str) -> None:
    doc.add_heading(t(lang, "rembuk.ba_h_lokus"), level=1)
    lok = meeting.lokus_table(ap, lang)
    if lok.empty:
        doc.add_paragraph(t(lang, "rembuk.miss_lokus"))
        return
    headers = [t(lang, "rembuk.ba_no"), t(lang, "rembuk.ba_kode"), t(lang, "rembuk.ba_kel"), t(lang, "kecamatan")]
    decree = meeting.lokus_decree(ap, lang)
    only = t(lang, "lokus.paper_only")  # the paper's list, not the decree's: its rows marked (recheck12 L9)
    marked = {c for c, by in zip(lok["kode_kel"], reference.lokus_2022_by(lok["kode_kel"], lang)) if by == only} if decree else set()
    rows = [[i, r.kode_kel, f"{r.kelurahan} *" if r.kode_kel in marked else r.kelurahan, r.kecamatan]
            for i, r in enumerate(lok.itertuples(), start=1)]
    if "kekuatan" in lok.columns:
        headers.append(t(lang, "rembuk.ba_strength"))
        rows = [row + [s] for row, s in zip(rows, lok["kekuatan"])]
    doc.add_paragraph(_text(t(lang, "rembuk.ba_lokus_note", n=len(lok), source=meeting.lokus_source(ap, lang))))
    if decree:  # the paper's list is not the Walikota decree's: said where it is signed, not only in the annex
        doc.add_paragraph(_text(decree))
    _table(doc, headers, rows, LOKUS_WIDTHS[:len(headers)])
    if marked:
        doc.add_paragraph(_text(f"* {only}"))
    if "kekuatan" in lok.columns:  # the strength in the catalogue's words, counted: the same words as workbook and report
        said = list(lok["kekuatan"])
        words = [t(lang, f"strength.short.{k}") for k in ("kuat", "perbatasan", "bukan", "perlu_data")]  # the catalogue's order
        counts = "; ".join(f"{w}: {said.count(w)}" for w in words if said.count(w))
        from serang_gis.plan.layers import strength_define

        doc.add_paragraph(_text(t(lang, "rembuk.ba_strength_note", counts=counts, define=strength_define(ap.units.kelurahan, lang))))
    extra = meeting.proposed(ap)
    if len(extra):  # strong by the data, not on the list: for the meeting to weigh
        doc.add_paragraph(_text(t(lang, "rembuk.ba_proposed", n=len(extra),
                                  names=", ".join(f"{r.kelurahan} (Kec. {r.kecamatan})" for r in extra.itertuples()))))


def _commitments(doc, ap, lang: str) -> None:
    doc.add_heading(t(lang, "rembuk.ba_h_commit"), level=1)
    rows_df = commitments(ap)
    konv = ap.analysed.konvergensi
    if konv is None:
        doc.add_paragraph(t(lang, "rembuk.miss_kegiatan"))
    else:
        from serang_gis.render.rembuk.workbook import split_words

        total = rupiah(float(pd.to_numeric(rows_df["pagu_alokasi"]).sum()), lang)
        doc.add_paragraph(_text(t(lang, "rembuk.ba_commit_note", n=len(rows_df), split=split_words(konv.split, lang), total=total)))
        for said in facts.office_names(ap, lang):  # an office name expanded from what the matrix wrote: where it comes from
            doc.add_paragraph(_text(said))
    rows = [[i, r.opd_nama, r.kelurahan, r.kegiatan, _money(r.pagu_alokasi, lang), _money(r.pagu, lang) if r.first else "",
             _text(r.sasaran), ""] for i, r in enumerate(rows_df.itertuples(), start=1)]
    if konv is not None and "lokus" in konv.kelurahan.columns:  # lokus no office reaches: a row each, to be taken up
        lost = konv.kelurahan[konv.kelurahan["lokus"].astype(bool) & (konv.kelurahan["jumlah_opd"] == 0)].sort_values("kode_kel")
        rows += [["", "", r.kelurahan, t(lang, "rembuk.ba_unreached"), "", "", "", ""] for r in lost.itertuples()]
    rows += [[""] * len(COMMIT_HEADERS) for _ in range(BLANK_ROWS)]
    _blank_rows(_table(doc, [t(lang, k) for k in COMMIT_HEADERS], rows, commit_widths(rows)))


def _blank_rows(table) -> None:
    """The blank rows to write in by hand: ``BLANK_ROW_CM`` high, and kept together on one page (keep-with-next on
    every paragraph but the last row's, as the signature block)."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    blank = table.rows[-BLANK_ROWS:]
    for i, row in enumerate(blank):
        row.height, row.height_rule = Cm(BLANK_ROW_CM), WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            for par in cell.paragraphs:
                par.paragraph_format.keep_with_next = i < len(blank) - 1


def amount_cm(text: str, size: float = 9.5) -> float:
    """The width (cm) a cell needs to hold ``text`` on one line at ``size`` pt in the widest fallback font."""
    return sum(EM.get(ch, 0.8) for ch in text) * size * 2.54 / 72 + CELL_PAD_CM


def commit_widths(rows: list[list]) -> tuple[float, ...]:
    """``COMMIT_WIDTHS`` with the two amount columns (4, 5) wide enough for their longest amount, the width taken
    from the activity column (3): "Rp 1.250.000.000" never breaks inside the number (a signed document)."""
    widths = list(COMMIT_WIDTHS)
    for col in (4, 5):
        need = max((amount_cm(_text(r[col])) for r in rows), default=0.0)
        grow = min(max(0.0, need - widths[col]), widths[3] - MIN_KEGIATAN_CM)
        widths[col] += grow
        widths[3] -= grow
    return tuple(round(w, 2) for w in widths)


def _money(v, lang: str) -> str:
    """Rupiah on one line (a no-break space after "Rp")."""
    return rupiah(v, lang, missing="").replace(" ", NBSP)


def _roles(doc, lang: str) -> None:
    doc.add_heading(t(lang, "rembuk.ba_h_roles"), level=1)
    for key in ("rembuk.ba_role_kota", "rembuk.ba_role_kel", "rembuk.ba_role_coord"):
        doc.add_paragraph(t(lang, key) + " ....................................................................", style="List Bullet")


def _data(doc, ap, lang: str) -> None:
    doc.add_heading(t(lang, "rembuk.ba_h_data"), level=1)
    doc.add_paragraph(meeting.headline(ap, lang))  # the last slide's title, in every product
    miss = meeting.missing(ap, lang)  # what the headline counts, right under it (walk 5: "2 hal" over 4 bullets)
    for item in miss or [t(lang, "rpdf.nothing_missing")]:  # "nothing missing" in the words of every other product
        doc.add_paragraph(_text(item), style="List Bullet")
    check = meeting.to_check(ap, lang)  # the findings of the data to check, apart
    if check:
        doc.add_paragraph(t(lang, "rembuk.ba_check"))
        for item in check:
            doc.add_paragraph(_text(item), style="List Bullet")


def _is_bappeda(opd) -> pd.Series:
    """The planning office (Bappeda, the TPPS secretariat) among the activity matrix's offices, by code or name."""
    words = opd["opd"].astype(str) + " " + opd["opd_nama"].astype(str)
    return words.str.contains(r"\bbappeda\b|perencanaan pembangunan", case=False, regex=True)


def _signatures(doc, ap, lang: str) -> None:
    """On a page of its own (A4 portrait), rows 2 cm high (down to 1.5 cm so that up to 14 signers keep to one page),
    kept together with the heading (keep-with-next on every paragraph but the last row's); a longer list goes on
    with its header repeated."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    doc.add_heading(t(lang, "rembuk.ba_h_sign"), level=1).paragraph_format.keep_with_next = True
    doc.add_paragraph(t(lang, "rembuk.ba_sign_place")).paragraph_format.keep_with_next = True
    roles = [t(lang, "rembuk.ba_sign_ketua"), t(lang, "rembuk.ba_sign_sekretaris")]
    konv = ap.analysed.konvergensi
    if konv is not None:
        opd = konv.opd[(konv.opd["opd"] != "TOTAL") & ~_is_bappeda(konv.opd)]  # the head of Bappeda signs as the secretary
        roles += [t(lang, "rembuk.ba_sign_head", opd=n) for n in opd["opd_nama"]]
    roles += ["", ""]
    rows = [[i, role, "", "", ""] for i, role in enumerate(roles, start=1)]
    table = _table(doc, [t(lang, "rembuk.ba_no"), t(lang, "rembuk.ba_sign_role"), t(lang, "rembuk.ba_sign_name"), t(lang, "rembuk.ba_sign_nip"),
                         t(lang, "rembuk.ba_sign_sig")], rows, SIGN_WIDTHS)
    height = max(SIGN_ROW_CM[0], min(SIGN_ROW_CM[1], SIGN_ROWS_CM / len(rows)))
    for i, row in enumerate(table.rows):
        if i:
            row.height, row.height_rule = Cm(height), WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = i < len(table.rows) - 1


def write_berita_acara(ap, target, lang: str = "id") -> Path:
    """The draft, A4 landscape (the commitment table is wide); built in memory, written in one go."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc = Document()
    doc.core_properties.title = _text(t(lang, "rembuk.ba_title", kab=meeting.kabkota(ap)))
    doc.core_properties.author = "serang-gis"
    doc.core_properties.comments = t(lang, "rembuk.ba_draft")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    _heading(doc, ap, lang)
    _lokus(doc, ap, lang)
    _commitments(doc, ap, lang)
    _roles(doc, lang)
    _data(doc, ap, lang)
    _signatures(doc, ap, lang)
    buffer = io.BytesIO()
    doc.save(buffer)
    return write_bytes(target, stable_zip(buffer.getvalue(), ap.settings.as_of))
