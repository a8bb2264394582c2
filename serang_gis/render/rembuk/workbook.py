"""``rencana_dan_kesenjangan.xlsx``: the rembuk's workbook, every figure from the atlas plan and the convergence result.

Sheets (header in row 1, one row per record, so each imports or filters as it is):

- ``Data Sasaran``: per kelurahan, the Web Aksi Bangda Master Ansit "Data Sasaran" fields in the order of its
  guide (Panduan Web Aksi Bangda 2022: jumlah keluarga, jumlah keluarga berisiko stunting, jumlah balita yang
  diukur, balita sangat pendek, balita pendek), after the region's code and names. The portal's own
  download template was not available to check: the column names are those of ``render.template`` (the
  package's Data Sasaran form, which ``join`` reads back); the Keterangan sheet says so.
- ``Program vs Kesenjangan``: per service package (intervention) and kelurahan, whether a programme reaches
  it, the offices, and the coverage gap where a coverage figure is given ("tidak ada data cakupan" otherwise).
- ``Lokus x OPD``: the convergence result's kelurahan x office located pagu, lokus rows.
- ``Kesenjangan Lokus-OPD``: lokus reached by no office; offices with no activity touching a lokus.
- ``Pagu ke Lokus``: per office, the pagu landing in lokus by allocation (the convergence headline).
- ``Keterangan``: sources, period, definitions of each sheet, assumptions, what is missing.

Counts are written as integers, rupiah rounded to whole rupiah, text through ``safe_cell`` (never a formula).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from serang_gis.core.numbers import count, value_of
from serang_gis.core.text import TEXT, t
from serang_gis.output.writers import safe_cell, write_bytes
from serang_gis.read.paket import PAKET, label as paket_label
from serang_gis.plan.layers import has_draws, lokus_strength
from serang_gis.render.rembuk import facts, meeting
from serang_gis.output.stable_zip import stable_zip
from serang_gis.render.template import COLUMNS as TEMPLATE_COLUMNS

FILE = "rencana_dan_kesenjangan.xlsx"
# Data Sasaran (Web Aksi Bangda): field of the joined layer -> header of the package's Data Sasaran form
SASARAN_FIELDS = meeting.FAMILY_COLUMNS + meeting.MEASURE_COLUMNS
SASARAN_COLUMNS = ["No", "Kode Wilayah", "Kecamatan", "Desa/Kelurahan"] + [h for _, h in SASARAN_FIELDS]
assert set(SASARAN_COLUMNS) <= {c[0] for c in TEMPLATE_COLUMNS}  # the same words as the fill-in form join reads back
# the coverage figure that says a service package's gap, where the layer has it (a gap: higher is worse)
COVERAGE = {"air_sanitasi": "kesenjangan_sanitasi"}
OPD_COLUMNS = ("opd", "opd_nama", "kegiatan", "pagu_total", "pagu_terlokasi", "pagu_lokus", "persen_lokus_terlokasi", "pagu_non_lokus",
               "pagu_kota", "pagu_tidak_cocok", "pagu_menyentuh_lokus", "persen_menyentuh_lokus", "kelurahan_dijangkau")
MONEY = ("pagu",)
# percentages: one decimal, as the PDFs and the maps (27,2, not 27.18)
PERCENT = ("prevalensi", "persen", "kesenjangan_sanitasi", "nilai_kesenjangan")
SHEETS = ("sasaran", "gap", "matrix", "lokus_gaps", "pagu")  # rembuk.sheet.<id>; then the notes sheet


def _cell(v, kind: str = "", lang: str = "id"):
    """A frame value as a typed cell: missing -> empty, yes/no in words, whole numbers -> int, rupiah rounded,
    percentages to one decimal, text safe."""
    if v is None or v is pd.NA or isinstance(v, str):
        return safe_cell(v)
    if isinstance(v, (bool,)) or type(v).__name__ == "bool_":
        return t(lang, "rembuk.yes" if v else "rembuk.no")
    x = value_of(v)
    if x is None:
        return None
    if kind == "money" or float(x).is_integer():
        return int(round(x))
    return round(float(x), 1 if kind == "percent" else 2)


def _kind(column) -> str:
    return "money" if str(column).startswith(MONEY) else "percent" if str(column).startswith(PERCENT) else ""


def header(column, lang: str, offices: set) -> str:
    """A column's header in words (the catalogue's ``rembuk.h.*``); an office's pagu column named by the office."""
    c = str(column)
    if c in offices:
        return t(lang, "rembuk.h.opd_pagu", opd=c)
    if c.startswith("paket_") and c[6:] in PAKET:
        return t(lang, "rembuk.h.paket", name=paket_label(c[6:], lang))
    return t(lang, f"rembuk.h.{c}") if f"rembuk.h.{c}" in TEXT[lang] else c


def _append(ws, frame: pd.DataFrame, headers: list[str], lang: str) -> None:
    from openpyxl.styles import Font

    ws.append([safe_cell(h) for h in headers])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    kinds = [_kind(c) for c in frame.columns]
    for row in frame.itertuples(index=False):
        ws.append([_cell(v, k, lang) for v, k in zip(row, kinds)])
    ws.freeze_panes = "A2"


def data_sasaran(ap) -> pd.DataFrame:
    """The Data Sasaran table of the city period: the joined layer's own counts, by code; empty where no data."""
    kel = ap.units.kelurahan.sort_values("kode_kel")
    out = pd.DataFrame({"No": range(1, len(kel) + 1), "Kode Wilayah": kel["kode_kel"].astype(str).to_numpy(),
                        "Kecamatan": kel["kecamatan"].astype(str).to_numpy(), "Desa/Kelurahan": kel["kelurahan"].astype(str).to_numpy()})
    for column, header in SASARAN_FIELDS:
        values = pd.to_numeric(kel[column], errors="coerce") if column in kel.columns else pd.Series([None] * len(kel))
        out[header] = [None if value_of(v) is None else int(round(float(v))) for v in values]
    return out


def programme_gap(ap, lang: str) -> pd.DataFrame:
    """Per service package x kelurahan (lokus first): reached by that package, by how many offices with that package,
    the coverage gap; and, for every kelurahan, whether it is of high need with no located pagu at all (the slide's
    list, ``facts.high_need_unreached``), the need figure saying why."""
    konv = ap.analysed.konvergensi
    kel = ap.units.kelurahan.set_index("kode_kel")
    if konv is None:
        return _gap_without_matrix(ap, lang)
    k = konv.kelurahan.sort_values(["lokus", "kode_kel"] if "lokus" in konv.kelurahan else ["kode_kel"],
                                   ascending=[False, True] if "lokus" in konv.kelurahan else True)
    unfunded = set(facts.high_need_unreached(konv)["kode_kel"])
    offices = _offices_per_package(konv)
    rows = []
    for p in PAKET:
        column = COVERAGE.get(p)
        given = column is not None and column in kel.columns and pd.to_numeric(kel[column], errors="coerce").notna().any()
        for r in k.itertuples():
            value = value_of(kel.at[r.kode_kel, column]) if given else None
            high = r.kode_kel in unfunded
            rows.append({"intervensi": paket_label(p, lang), "kode_kel": r.kode_kel, "kelurahan": r.kelurahan, "kecamatan": r.kecamatan,
                         "lokus": bool(getattr(r, "lokus", False)), "dijangkau_program": bool(getattr(r, f"paket_{p}")),
                         "jumlah_opd": offices.get((r.kode_kel, p), 0),
                         "indikator_cakupan": t(lang, f"rembuk.cov_{p}") if given else t(lang, "rembuk.no_coverage"),
                         "nilai_kesenjangan": value, "kebutuhan_tinggi_tanpa_program": high,
                         "alasan": _why_high(konv, r, lang) if high else ""})
    return pd.DataFrame(rows)


def _no_matrix(lang: str) -> pd.DataFrame:
    """A sheet that needs the activity matrix, without one: one row saying so, under the header "Catatan"."""
    return pd.DataFrame({"catatan": [t(lang, "rembuk.miss_kegiatan")]})


def _gap_without_matrix(ap, lang: str) -> pd.DataFrame:
    """Programme vs gap with no activity matrix: the coverage gaps that need no matrix (the sanitation gap per
    kelurahan, lokus first), the note saying what the matrix would add on the first row; the note alone when no
    coverage figure is given either."""
    kel = ap.units.kelurahan
    flags = meeting.lokus_flags(ap)
    lokus = flags.to_numpy(dtype=bool) if flags is not None else [False] * len(kel)
    k = kel.assign(_lokus=lokus).sort_values(["_lokus", "kode_kel"], ascending=[False, True])
    rows = []
    for p, column in COVERAGE.items():
        if column not in kel.columns or not pd.to_numeric(kel[column], errors="coerce").notna().any():
            continue
        rows += [{"intervensi": paket_label(p, lang), "kode_kel": r["kode_kel"], "kelurahan": r["kelurahan"], "kecamatan": r["kecamatan"],
                  "lokus": bool(r["_lokus"]), "indikator_cakupan": t(lang, f"rembuk.cov_{p}"), "nilai_kesenjangan": value_of(r[column]),
                  "catatan": ""} for _, r in k.iterrows()]
    if not rows:
        return _no_matrix(lang)
    rows[0]["catatan"] = t(lang, "rembuk.miss_kegiatan")
    return pd.DataFrame(rows)


def _offices_per_package(konv) -> dict:
    """(kode_kel, package) -> how many offices have a located activity of that package there."""
    acts = konv.kegiatan
    al = konv.alokasi
    if al.empty or "paket" not in acts.columns:
        return {}
    ex = pd.DataFrame({"kode_kel": al["kode_kel"].to_numpy(), "opd": acts.loc[al.index, "opd"].to_numpy(),
                       "paket": acts.loc[al.index, "paket"].to_numpy()})
    out = {}
    for p in PAKET:
        got = ex[ex["paket"].map(lambda v, p=p: p in v)].groupby("kode_kel")["opd"].nunique()
        out.update({(code, p): int(n) for code, n in got.items()})
    return out


def _why_high(konv, r, lang: str) -> str:
    """'Prevalensi stunting 27,2 (sepertiga teratas); tanpa pagu terlokasi' for a high-need, unreached kelurahan."""
    from serang_gis.core.numbers import number
    from serang_gis.core.text import indicator_label

    need = konv.need
    v = value_of(getattr(r, need, None)) if need else None
    said = f"{indicator_label(lang, need)} {number(v, 1, lang)}" if v is not None else indicator_label(lang, need) if need else ""
    return t(lang, "rembuk.why_high", need=said)


def lokus_opd(ap, lang: str) -> pd.DataFrame:
    konv = ap.analysed.konvergensi
    if konv is None:
        return _no_matrix(lang)
    m = konv.matrix
    m = (m[m["lokus"]].drop(columns="lokus") if "lokus" in m.columns else m).reset_index(drop=True)
    m = m.rename(columns={"jumlah_opd": "jumlah_opd_semua"})  # every office here, not those of one intervention
    offices = [c for c in m.columns if c in set(konv.opd["opd_nama"])]
    total = {"kode_kel": "", "kelurahan": t(lang, "rembuk.total_row", n=count(len(m), lang))}
    total.update({c: m[c].fillna(0).sum() for c in offices})
    total["jumlah_opd_semua"] = sum(1 for c in offices if m[c].fillna(0).sum() > 0)  # offices with pagu in any of these
    total.update({c: int(m[c].fillna(False).astype(bool).sum()) for c in m.columns if c.startswith("paket_")})  # kelurahan reached
    return pd.concat([m, pd.DataFrame([total])], ignore_index=True)


def lokus_gaps(ap, lang: str) -> pd.DataFrame:
    """Lokus reached by no office, and offices with no activity touching a lokus (the convergence result's figures)."""
    konv = ap.analysed.konvergensi
    if konv is None:
        return _no_matrix(lang)
    rows = []
    k = konv.kelurahan
    if "lokus" in k.columns:  # how many of the list given are reached, said in a row (also when all are)
        lok = k[k["lokus"].astype(bool)]
        said = t(lang, "rpdf.s.who_n", reached=count(int((lok["jumlah_opd"] > 0).sum()), lang), n=count(len(lok), lang),
                 given=facts.given_lokus(ap, lang)).split(":")[0]
        rows.append({"kesenjangan": t(lang, "rembuk.gap_reach"), "kode": "", "nama": said, "keterangan": ""})
        for r in k[k["lokus"].astype(bool) & (k["jumlah_opd"] == 0)].sort_values("kode_kel").itertuples():
            rows.append({"kesenjangan": t(lang, "rembuk.gap_lokus"), "kode": r.kode_kel, "nama": r.kelurahan, "keterangan": f"Kec. {r.kecamatan}"})
    rows += _proposed_gaps(ap, lang)
    opd = konv.opd[konv.opd["opd"] != "TOTAL"]
    for r in opd[opd["pagu_menyentuh_lokus"].fillna(0) == 0].itertuples():
        city = float(getattr(r, "pagu_kota", 0) or 0) > 0  # a city-wide activity reaches every lokus, but none is aimed at one
        rows.append({"kesenjangan": t(lang, "rembuk.gap_opd_kota" if city else "rembuk.gap_opd"), "kode": r.opd, "nama": r.opd_nama,
                     "keterangan": t(lang, "rembuk.gap_opd_kota_note" if city else "rembuk.gap_opd_note", n=int(r.kegiatan))})
    if not rows:
        rows.append({"kesenjangan": t(lang, "rembuk.gap_none"), "kode": "", "nama": "", "keterangan": ""})
    return pd.DataFrame(rows)


def _proposed_gaps(ap, lang: str) -> list[dict]:
    """The lokus the atlas proposes that no office reaches, highest rank first, under a row saying how many are reached
    ("21 dari 25 lokus usulan dijangkau OPD"); [] without a rank."""
    got = facts.proposed_reach(ap, lang)
    if got is None:
        return []
    said = facts.proposed_reach_said(ap, lang)
    rows = [{"kesenjangan": t(lang, "rembuk.gap_reach"), "kode": "", "nama": said[0], "keterangan": "" if got[1] else said[1]}]
    for r in got[1]:
        rows.append({"kesenjangan": t(lang, "rembuk.gap_proposed"), "kode": r["kode_kel"], "nama": r["kelurahan"],
                     "keterangan": t(lang, "rembuk.gap_proposed_note", kec=r["kecamatan"], rank=r["peringkat"],
                                     strength=r["kekuatan"])})
    return rows


def pagu_lokus(ap, lang: str) -> pd.DataFrame:
    konv = ap.analysed.konvergensi
    if konv is None:
        return _no_matrix(lang)
    out = konv.opd[[c for c in OPD_COLUMNS if c in konv.opd.columns]].reset_index(drop=True)
    if "pagu_kota" in out.columns and "kelurahan_dijangkau" in out.columns:  # a city-wide activity reaches every kelurahan,
        # none by location: said beside the located reach, in the words of the gaps sheet (not "0" alone)
        city = pd.to_numeric(out["pagu_kota"], errors="coerce").fillna(0) > 0
        out.insert(list(out.columns).index("kelurahan_dijangkau") + 1, "jangkauan_kota",
                   [t(lang, "rembuk.reach_city") if c else "" for c in city])
    return out


def _strength(ap, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The lokus strength (``plan.layers.lokus_strength``, the catalogue's words) beside the lokus flag, where ranked."""
    kel = ap.units.kelurahan
    if "kode_kel" not in frame.columns or not has_draws(kel):
        return frame
    words = dict(zip(kel["kode_kel"], lokus_strength(kel, lang, short=True)))
    at = list(frame.columns).index("lokus") + 1 if "lokus" in frame.columns else 3
    frame = frame.copy()
    frame.insert(at, "kekuatan_lokus", frame["kode_kel"].map(words))
    return frame


def ta(ap, lang: str) -> str:
    year = meeting.aksi2_year(ap)
    return t(lang, "rembuk.ta", year=year) if year else t(lang, "rembuk.ta_none")


def sheets(ap, lang: str) -> dict[str, pd.DataFrame]:
    """The data sheets by id (``SHEETS``); all but Data Sasaran carry the data period and the Aksi 2 year per row."""
    frames = {"sasaran": data_sasaran(ap), "gap": _strength(ap, programme_gap(ap, lang), lang),
              "matrix": _strength(ap, lokus_opd(ap, lang), lang), "lokus_gaps": lokus_gaps(ap, lang), "pagu": pagu_lokus(ap, lang)}
    for key in SHEETS[1:]:
        frames[key] = frames[key].assign(periode=_period(ap, lang, short=True), tahun_anggaran=ta(ap, lang))
    return frames


def _period(ap, lang: str, *, short: bool = False) -> str:
    """The period of the user's tables; without them the period of each source the pack shows, as the report, slides and
    index say it (recheck12 M2: "Periode data tidak ada data" beside dated figures); ``short``: a row's pointer to it."""
    own = meeting.period(ap)
    if own:
        return own
    return t(lang, "rembuk.period_see_notes") if short else meeting.period_text(ap, lang)


def notes(ap, lang: str) -> list[str]:
    """The Keterangan sheet: title, sources, period, one definition per sheet, assumptions, what is missing."""
    konv = ap.analysed.konvergensi
    lines = [t(lang, "rembuk.xlsx_title", kab=meeting.kabkota(ap)), "",
             t(lang, "rembuk.def_period", period=_period(ap, lang),
               ta=ta(ap, lang) if meeting.aksi2_year(ap) else t(lang, "rembuk.no_ta")), t(lang, "rembuk.sources")]
    lines += [f"  - {s}" for s in meeting.sources(ap, lang)] + [""]
    lines += [f"{t(lang, f'rembuk.sheet.{key}')}: {t(lang, f'rembuk.def_{d}')}" for key, d in zip(SHEETS, (
        "sasaran", "gap", "matrix", "lokus_gaps", "pagu"))]
    if konv is not None:
        lines.append(t(lang, "rembuk.def_split", split=split_words(konv.split, lang)))
    if has_draws(ap.units.kelurahan):  # the strength words' one definition, as in the slides, report and berita acara
        from serang_gis.plan.layers import strength_define

        lines.append(strength_define(ap.units.kelurahan, lang))
    lines += ["", t(lang, "rembuk.assume_bangda"), t(lang, "rembuk.assume_money")]
    names = facts.office_names(ap, lang)  # an office name expanded or matched: where the printed name comes from
    lines += (["", t(lang, "rembuk.opd_names")] + [f"  - {n}" for n in names]) if names else []
    missing = meeting.missing(ap, lang)
    lines += ["", t(lang, "rembuk.missing"), meeting.headline(ap, lang)] + [f"  - {m}" for m in missing or [t(lang, "rpdf.nothing_missing")]]
    return lines


def split_words(split: str, lang: str) -> str:
    """The allocation rule in words ("pagu dibagi rata ke kelurahan yang disebut"), the headline's (equal for none)."""
    from serang_gis.analysis.konvergensi import alloc_split

    return t(lang, f"konv_split_{alloc_split(split)}")


def write_workbook(ap, target, lang: str = "id") -> Path:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    wb = Workbook()
    wb.remove(wb.active)
    konv = ap.analysed.konvergensi
    offices = set(konv.opd["opd_nama"]) if konv is not None else set()
    for key, frame in sheets(ap, lang).items():
        ws = wb.create_sheet(t(lang, f"rembuk.sheet.{key}"))
        headers = list(frame.columns) if key == "sasaran" else [header(c, lang, offices) for c in frame.columns]
        _append(ws, frame, headers, lang)
        _format(ws, frame, offices)
        if key == "sasaran":
            for r in range(2, ws.max_row + 1):
                ws.cell(r, 2).number_format = "@"  # codes stay text
            ws["A1"].comment = Comment(t(lang, "rembuk.sasaran_comment", period=_period(ap, lang), ta=ta(ap, lang),
                                         sources="; ".join(meeting.sources(ap, lang))), "serang-gis")
    _notes_sheet(wb, ap, lang)
    if ap.settings.as_of:
        import datetime as dt

        wb.properties.created = wb.properties.modified = dt.datetime.combine(ap.settings.as_of, dt.time())
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_bytes(target, stable_zip(buffer.getvalue(), ap.settings.as_of))


def _format(ws, frame: pd.DataFrame, offices: set) -> None:
    """Rupiah with thousands separators ('#,##0': Excel shows them in the reader's locale); each column as wide as
    its longest text (a header wraps past 40 characters, a cell past 70)."""
    from openpyxl.styles import Alignment

    for col, c in enumerate(frame.columns, start=1):
        letter = ws.cell(1, col).column_letter
        money = _kind(c) == "money" or c in offices  # the lokus x office matrix: an office's located pagu per column
        if money:
            for r in range(2, ws.max_row + 1):
                ws.cell(r, col).number_format = "#,##0"
        cells = [len(f"{v:,.0f}" if isinstance(v, (int, float)) and money else str(v))
                 for v in (ws.cell(r, col).value for r in range(2, ws.max_row + 1)) if v is not None]
        head = len(str(ws.cell(1, col).value or ""))
        ws.column_dimensions[letter].width = max(10, min(40, head + 2), min(70, max(cells, default=0) + 2))
        ws.cell(1, col).alignment = Alignment(wrap_text=True, vertical="top")


def _notes_sheet(wb, ap, lang: str) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(t(lang, "rembuk.sheet.notes"))
    for line in notes(ap, lang):
        ws.append([safe_cell(line)])
    ws["A1"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 120
