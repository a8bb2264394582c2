"""A generated Aksi 2 activity matrix with its truth kept beside it.

60 activities of 8 offices, written the ways offices write them: office spellings, city-wide /
kecamatan / several-kelurahan / single-kelurahan Lokasi in several forms, amounts with and without
``Rp`` and dots, ``1,25 M`` and ``500 juta``. ``write_xlsx`` lays it out with title rows, a two-row
merged header, the office in vertically merged cells, programme heading rows and subtotals;
``write_csv`` as a plain semicolon CSV. The expected figures are computed here, by plain loops over
the truth, never by the package.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass

from serang_gis.read import reference

from .fixtures import SPELLING

OFFICES = {  # code -> spellings offices use (all must resolve to the code)
    "dinkes": ["Dinas Kesehatan", "DINKES", "Dinas Kesehatan Kota Serang", "Dinkes Kota Serang", "Dinas Kesehatn"],
    "dinsos": ["Dinas Sosial", "Dinsos", "DINAS SOSIAL KOTA SERANG"],
    "dp3akb": ["DP3AKB", "Dinas P3AKB", "DP3AKB (Kader PKK)"],
    "perkim": ["Dinas Perumahan dan Permukiman", "Disperkim", "Dinas Perkim"],
    "pupr": ["Dinas PUPR", "DPUPR", "Dinas PU/Cipta Karya"],
    "dlh": ["DLH", "Dinas Lingkungan Hidup"],
    "dindik": ["Dinas Pendidikan", "Dindikbud"],
    "dkppp": ["Dinas Ketahanan Pangan", "DKPPP", "Dinas Ketahanan Pangan Pertanian dan Perikanan"],
}
SUB = {
    "dinkes": ["Pemberian makanan tambahan balita gizi kurang", "Imunisasi dasar lengkap", "Konseling ASI eksklusif", "Tablet tambah darah remaja putri"],
    "dinsos": ["Penyaluran PBI JKN keluarga berisiko stunting", "Bantuan sosial pangan keluarga berisiko"],
    "dp3akb": ["Tim Pendamping Keluarga", "Pendampingan calon pengantin", "Dapur Sehat Atasi Stunting"],
    "perkim": ["Pembangunan jamban sehat", "Rumah tidak layak huni", "Sambungan air bersih"],
    "pupr": ["Jaringan air minum perpipaan", "Sanitasi komunal (IPAL)"],
    "dlh": ["Bank sampah", "Pembuangan sampah terpadu"],
    "dindik": ["Layanan kesehatan dan gizi PAUD", "Pendidikan gizi di TK"],
    "dkppp": ["Pelatihan kader pangan B2SA", "Gemarikan (Gerakan Masyarakat Gemar Ikan)"],
}
JENIS = {"dinkes": "spesifik", "dinsos": "sensitif", "dp3akb": "Sensitif", "perkim": "sensitif", "pupr": "sensitif",
         "dlh": "sensitif", "dindik": "sensitif", "dkppp": "sensitif"}
SUMBER = ["APBD", "DAK Fisik", "DAK Non-Fisik", "APBN", "Dana Desa", "CSR"]
CITY = ["Kota Serang", "Seluruh kelurahan", "se-Kota Serang", "Seluruh Kelurahan di Kota Serang"]


@dataclass
class Activity:
    opd: str  # office code
    written_opd: str
    sub: str
    jenis: str
    lokasi: str
    codes: frozenset  # kelurahan reached; empty: city-wide
    kind: str  # kota | kecamatan | kelurahan
    pagu: int
    written_pagu: str
    sumber: str
    tahun: int = 2023


def _gaz():
    g = reference.gazetteer()
    return list(g.itertuples(index=False))


def _name(k):
    return SPELLING.get(k.kode_kel, k.kelurahan)


def _amount(rnd):
    """(pagu, as written)."""
    form = rnd.choice(["rp_dots", "plain", "dots", "rp_dec", "unit", "unit"])
    if form == "unit":
        if rnd.random() < 0.5:
            pagu = rnd.randint(1, 40) * 50_000_000  # 50 juta ... 2 M
            if pagu >= 1_000_000_000 and pagu % 10_000_000 == 0:
                m = pagu / 1e9
                return pagu, (f"{m:.2f}".rstrip("0").rstrip(".").replace(".", ",") + rnd.choice([" M", " miliar", " Milyar"]))
            return pagu, f"{pagu // 1_000_000} juta"
        pagu = rnd.randint(1, 99) * 10_000_000
        return pagu, f"{pagu // 1_000_000} jt" if pagu < 1e9 else f"{pagu / 1e9:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " M"
    pagu = rnd.randint(20, 4000) * 1_000_000 + rnd.randint(0, 999) * 1000
    dots = f"{pagu:,}".replace(",", ".")
    return pagu, {"rp_dots": f"Rp {dots}", "plain": str(pagu), "dots": dots, "rp_dec": f"Rp{dots},00"}[form]


def make_activities(seed=14, n=60) -> list[Activity]:
    rnd = random.Random(seed)
    gaz = _gaz()
    by_kec = {}
    for k in gaz:
        by_kec.setdefault(k.kode_kec, []).append(k)
    kec_codes = sorted(by_kec)
    dup = {k.kelurahan for k in gaz if sum(x.kelurahan == k.kelurahan for x in gaz) > 1} | {by_kec[c][0].kecamatan for c in kec_codes}
    offices = list(OFFICES)
    kinds = ["kota"] * 10 + ["kecamatan"] * 12 + ["several"] * 20 + ["single"] * 18
    rnd.shuffle(kinds)
    out = []
    for i, kind in enumerate(kinds[:n]):
        opd = offices[i % len(offices)] if i < 16 else rnd.choice(offices)
        written = rnd.choice(OFFICES[opd])
        if kind == "kota":
            lokasi, codes, k_ = rnd.choice(CITY), frozenset(), "kota"
        elif kind == "kecamatan":
            picks = rnd.sample(kec_codes, rnd.choice([1, 1, 2]))
            names = [by_kec[c][0].kecamatan for c in picks]
            if len(picks) == 1:
                lokasi = rnd.choice([f"Kec. {names[0]}", f"Kecamatan {names[0]}", picks[0]])
            else:
                lokasi = rnd.choice([f"Kecamatan {names[0]} dan {names[1]}", f"Kec. {names[0]}; Kec. {names[1]}"])
            codes, k_ = frozenset(k.kode_kel for c in picks for k in by_kec[c]), "kecamatan"
        elif kind == "several":
            kec = rnd.choice(kec_codes)
            ks = rnd.sample(by_kec[kec], rnd.randint(2, 4))
            kname = ks[0].kecamatan
            names = [_name(k) for k in ks]
            form = rnd.choice(["paren", "paren_plain", "colon", "semicolon_codes"])
            if form == "paren":
                lokasi = f"Kel. {', '.join(names)} (Kec. {kname})"
            elif form == "paren_plain":
                lokasi = f"{', '.join(names[:-1])} dan {names[-1]} (Kecamatan {kname})"
            elif form == "colon":
                lokasi = f"Kec. {kname}: {', '.join(names)}"
            else:
                lokasi = ", ".join(k.kode_kel if j % 2 == 0 else k.kode_kel.replace(".", "") for j, k in enumerate(ks))
            codes, k_ = frozenset(k.kode_kel for k in ks), "kelurahan"
        else:
            k = rnd.choice(gaz)
            forms = ["comma_kec", "kel_paren", "code"] + ([] if k.kelurahan in dup else ["plain_kel"])
            form = rnd.choice(forms)
            lokasi = {"comma_kec": f"{_name(k)}, Kec. {k.kecamatan}", "kel_paren": f"Kel. {_name(k)} (Kec. {k.kecamatan})",
                      "code": k.kode_kel, "plain_kel": f"Kelurahan {_name(k)}"}[form]
            codes, k_ = frozenset([k.kode_kel]), "kelurahan"
        pagu, written_pagu = _amount(rnd)
        out.append(Activity(opd, written, rnd.choice(SUB[opd]), JENIS[opd], lokasi, codes, k_, pagu, written_pagu, rnd.choice(SUMBER)))
    return out


# ---- expected figures, by plain loops over the truth ---------------------------------------------


def expected_opd_count(acts) -> dict[str, int]:
    reach = {k.kode_kel: set() for k in _gaz()}
    for a in acts:
        for c in a.codes:
            reach[c].add(a.opd)
    return {c: len(s) for c, s in reach.items()}


def equal_parts(a) -> dict[str, int]:
    """An activity's pagu split equally over its kelurahan in whole rupiah: each gets the pagu // n, and the rupiah
    left go one each to the first kelurahan by code (equal fractions: the first rows first, as docs/konvergensi.md)."""
    codes = sorted(a.codes)
    base, left = divmod(a.pagu, len(codes))
    return {c: base + (1 if i < left else 0) for i, c in enumerate(codes)}


def expected_located_pagu(acts, split="equal") -> dict[str, float]:
    out = {k.kode_kel: 0.0 for k in _gaz()}
    for a in acts:
        for c in a.codes:
            out[c] += equal_parts(a)[c] if split == "equal" else a.pagu
    return out


def expected_headline(acts, lokus: set) -> dict[str, float]:
    """By allocation with the equal split: ``lokus`` / ``non_lokus`` the parts of each located activity's pagu
    that land in lokus / non-lokus kelurahan; ``menyentuh_lokus`` the whole pagu of activities naming a lokus."""
    out = {"lokus": 0.0, "non_lokus": 0.0, "kota": 0, "total": 0, "terlokasi": 0, "menyentuh_lokus": 0}
    for a in acts:
        out["total"] += a.pagu
        if not a.codes:
            out["kota"] += a.pagu
            continue
        out["terlokasi"] += a.pagu
        share = sum(v for c, v in equal_parts(a).items() if c in lokus)
        out["lokus"] += share
        out["non_lokus"] += a.pagu - share
        if a.codes & lokus:
            out["menyentuh_lokus"] += a.pagu
    return out


def lokus_2022() -> set:
    lok = reference.lokus()
    return set(lok.loc[lok["daftar"] == "2022", "kode_kel"])


# ---- files --------------------------------------------------------------------------------------


def write_xlsx(path, acts):
    """Title rows, two-row merged header, office in merged cells per group, programme headings, subtotals, grand total."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Aksi 2"
    ws.append(["MATRIKS RENCANA KEGIATAN PERCEPATAN PENURUNAN STUNTING (AKSI 2)"])
    ws.append(["KOTA SERANG TAHUN ANGGARAN 2023"])
    ws.append([])
    ws.append(["No", "Perangkat Daerah", "Program / Kegiatan / Sub Kegiatan", None, None, "Jenis Intervensi", "Lokasi",
               "Anggaran", None, None, "Tahun"])
    ws.append([None, None, "Program", "Kegiatan", "Sub Kegiatan", None, None, "Pagu (Rp)", "Realisasi (Rp)", "Sumber Dana", None])
    for col in "ABFGK":
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("C4:E4")
    ws.merge_cells("H4:J4")
    n = 0
    rows_of = {}
    order = sorted(range(len(acts)), key=lambda i: (acts[i].opd, i))
    groups = {}
    for i in order:
        groups.setdefault(acts[i].opd, []).append(i)
    for opd, idx in groups.items():
        ws.append([None, acts[idx[0]].written_opd, f"Program {opd.upper()}", None, None, None, None, None, None, None, None])  # heading
        start = ws.max_row
        for i in idx:
            a = acts[i]
            n += 1
            ws.append([n, None, f"Program {opd.upper()}", "Kegiatan penurunan stunting", a.sub, a.jenis, a.lokasi, a.written_pagu,
                       None, a.sumber, a.tahun])
            rows_of[i] = ws.max_row
        ws.merge_cells(f"B{start}:B{ws.max_row}")
        sub = sum(acts[i].pagu for i in idx)
        ws.append([None, None, f"Jumlah {opd}", None, None, None, None, f"{sub:,}".replace(",", "."), None, None, None])
    ws.append([None, "TOTAL", None, None, None, None, None, str(sum(a.pagu for a in acts)), None, None, None])
    wb.save(path)
    return rows_of


def write_csv(path, acts, *, extra_rows=()):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Rencana Kegiatan Aksi 2 Kota Serang 2023"])
        w.writerow(["No", "OPD", "Sub Kegiatan", "Jenis Intervensi", "Lokasi", "Pagu", "Sumber Dana", "Tahun"])
        for i, a in enumerate(acts, start=1):
            w.writerow([i, a.written_opd, a.sub, a.jenis, a.lokasi, a.written_pagu, a.sumber, a.tahun])
        for r in extra_rows:
            w.writerow(r)
