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

from serang_gis.core.numbers import value_of
from serang_gis.core.text import t
from serang_gis.output.writers import safe_cell, write_bytes
from serang_gis.read.paket import PAKET, label as paket_label
from serang_gis.render.rembuk import meeting
from serang_gis.render.rembuk.stable import stable_zip
from serang_gis.render.template import COLUMNS as TEMPLATE_COLUMNS

FILE = "rencana_dan_kesenjangan.xlsx"
# Data Sasaran (Web Aksi Bangda): field of the joined layer -> header of the package's Data Sasaran form
SASARAN_FIELDS = (("keluarga", "Jumlah Keluarga"), ("keluarga_berisiko", "Jumlah Keluarga Berisiko Stunting"),
                  ("balita_diukur", "Jumlah Balita Diukur"), ("sangat_pendek", "Balita Sangat Pendek"), ("pendek", "Balita Pendek"))
SASARAN_COLUMNS = ["No", "Kode Wilayah", "Kecamatan", "Desa/Kelurahan"] + [h for _, h in SASARAN_FIELDS]
assert set(SASARAN_COLUMNS) <= {c[0] for c in TEMPLATE_COLUMNS}  # the same words as the fill-in form join reads back
# the coverage figure that says a service package's gap, where the layer has it (a gap: higher is worse)
COVERAGE = {"air_sanitasi": "kesenjangan_sanitasi"}
OPD_COLUMNS = ("opd", "opd_nama", "kegiatan", "pagu_total", "pagu_terlokasi", "pagu_lokus", "persen_lokus_terlokasi", "pagu_non_lokus",
               "pagu_kota", "pagu_tidak_cocok", "pagu_menyentuh_lokus", "persen_menyentuh_lokus", "kelurahan_dijangkau")
MONEY = ("pagu",)


def _cell(v, money: bool = False):
    """A frame value as a typed cell: missing -> empty, whole numbers -> int, rupiah rounded, text safe."""
    if v is None or v is pd.NA or isinstance(v, str):
        return safe_cell(v)
    if isinstance(v, (bool,)) or type(v).__name__ == "bool_":
        return bool(v)
    x = value_of(v)
    if x is None:
        return None
    if money or float(x).is_integer():
        return int(round(x))
    return round(float(x), 2)


def _append(ws, frame: pd.DataFrame, headers: list[str]) -> None:
    from openpyxl.styles import Font

    ws.append([safe_cell(h) for h in headers])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    money = [str(c).startswith(MONEY) for c in frame.columns]
    for row in frame.itertuples(index=False):
        ws.append([_cell(v, m) for v, m in zip(row, money)])
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
    """Per service package x kelurahan (lokus first): reached by a programme, by how many offices, the coverage gap."""
    konv = ap.analysed.konvergensi
    kel = ap.units.kelurahan.set_index("kode_kel")
    if konv is None:
        return pd.DataFrame({t(lang, "rembuk.col_note"): [t(lang, "rembuk.miss_kegiatan")]})
    k = konv.kelurahan.sort_values(["lokus", "kode_kel"] if "lokus" in konv.kelurahan else ["kode_kel"],
                                   ascending=[False, True] if "lokus" in konv.kelurahan else True)
    gaps = {(g.kode_kel, g.paket): g for g in konv.gaps.itertuples()}
    rows = []
    for p in PAKET:
        column = COVERAGE.get(p)
        given = column is not None and column in kel.columns and pd.to_numeric(kel[column], errors="coerce").notna().any()
        for r in k.itertuples():
            gap = gaps.get((r.kode_kel, paket_label(p, lang)))
            value = value_of(kel.at[r.kode_kel, column]) if given else None
            rows.append({"intervensi": paket_label(p, lang), "kode_kel": r.kode_kel, "kelurahan": r.kelurahan, "kecamatan": r.kecamatan,
                         "lokus": bool(getattr(r, "lokus", False)), "dijangkau_program": bool(getattr(r, f"paket_{p}")),
                         "jumlah_opd": int(r.jumlah_opd), "indikator_cakupan": t(lang, f"rembuk.cov_{p}") if given else t(lang, "rembuk.no_coverage"),
                         "nilai_kesenjangan": value, "kebutuhan_tinggi_tanpa_program": bool(gap.kebutuhan_tinggi) if gap else False,
                         "alasan": gap.alasan if gap else ""})
    return pd.DataFrame(rows)


def lokus_opd(ap, lang: str) -> pd.DataFrame:
    konv = ap.analysed.konvergensi
    if konv is None:
        return pd.DataFrame({t(lang, "rembuk.col_note"): [t(lang, "rembuk.miss_kegiatan")]})
    m = konv.matrix
    return (m[m["lokus"]].drop(columns="lokus") if "lokus" in m.columns else m).reset_index(drop=True)


def lokus_gaps(ap, lang: str) -> pd.DataFrame:
    """Lokus reached by no office, and offices with no activity touching a lokus (the convergence result's figures)."""
    konv = ap.analysed.konvergensi
    if konv is None:
        return pd.DataFrame({t(lang, "rembuk.col_note"): [t(lang, "rembuk.miss_kegiatan")]})
    rows = []
    k = konv.kelurahan
    if "lokus" in k.columns:
        for r in k[k["lokus"].astype(bool) & (k["jumlah_opd"] == 0)].sort_values("kode_kel").itertuples():
            rows.append({"kesenjangan": t(lang, "rembuk.gap_lokus"), "kode": r.kode_kel, "nama": r.kelurahan, "keterangan": f"Kec. {r.kecamatan}"})
    opd = konv.opd[konv.opd["opd"] != "TOTAL"]
    for r in opd[opd["pagu_menyentuh_lokus"].fillna(0) == 0].itertuples():
        rows.append({"kesenjangan": t(lang, "rembuk.gap_opd"), "kode": r.opd, "nama": r.opd_nama,
                     "keterangan": t(lang, "rembuk.gap_opd_note", n=int(r.kegiatan))})
    if not rows:
        rows.append({"kesenjangan": t(lang, "rembuk.gap_none"), "kode": "", "nama": "", "keterangan": ""})
    return pd.DataFrame(rows)


def pagu_lokus(ap, lang: str) -> pd.DataFrame:
    konv = ap.analysed.konvergensi
    if konv is None:
        return pd.DataFrame({t(lang, "rembuk.col_note"): [t(lang, "rembuk.miss_kegiatan")]})
    return konv.opd[[c for c in OPD_COLUMNS if c in konv.opd.columns]].reset_index(drop=True)


def sheets(ap, lang: str) -> dict[str, pd.DataFrame]:
    return {"Data Sasaran": data_sasaran(ap), "Program vs Kesenjangan": programme_gap(ap, lang), "Lokus x OPD": lokus_opd(ap, lang),
            "Kesenjangan Lokus-OPD": lokus_gaps(ap, lang), "Pagu ke Lokus": pagu_lokus(ap, lang)}


def notes(ap, lang: str) -> list[str]:
    """The Keterangan sheet: title, sources, period, one definition per sheet, assumptions, what is missing."""
    konv = ap.analysed.konvergensi
    lines = [t(lang, "rembuk.xlsx_title", kab=meeting.kabkota(ap)), "",
             t(lang, "rembuk.period", period=meeting.period(ap) or t(lang, "no_data")), t(lang, "rembuk.sources")]
    lines += [f"  - {s}" for s in meeting.sources(ap)] + [""]
    lines += [f"{name}: {t(lang, key)}" for name, key in (
        ("Data Sasaran", "rembuk.def_sasaran"), ("Program vs Kesenjangan", "rembuk.def_gap"), ("Lokus x OPD", "rembuk.def_matrix"),
        ("Kesenjangan Lokus-OPD", "rembuk.def_lokus_gaps"), ("Pagu ke Lokus", "rembuk.def_pagu"))]
    if konv is not None:
        lines.append(t(lang, "rembuk.def_split", split=konv.split))
    lines += ["", t(lang, "rembuk.assume_bangda"), t(lang, "rembuk.assume_money")]
    missing = meeting.missing(ap, lang)
    if missing:
        lines += ["", t(lang, "rembuk.missing")] + [f"  - {m}" for m in missing]
    return lines


def write_workbook(ap, target, lang: str = "id") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets(ap, lang).items():
        ws = wb.create_sheet(name)
        _append(ws, frame, [str(c) for c in frame.columns])
        for col, c in enumerate(frame.columns, start=1):
            ws.column_dimensions[ws.cell(1, col).column_letter].width = max(10, min(40, len(str(c)) + 2))
        if name == "Data Sasaran":
            for r in range(2, ws.max_row + 1):
                ws.cell(r, 2).number_format = "@"  # codes stay text
    ws = wb.create_sheet("Keterangan")
    for line in notes(ap, lang):
        ws.append([safe_cell(line)])
    ws["A1"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_bytes(target, stable_zip(buffer.getvalue()))
