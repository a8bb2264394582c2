"""The offices' real exports as they are downloaded, generated with the truth kept beside them (synthetic people only).

- ``write_eppgbm_export``: the e-PPGBM by-name export (NIK ... KIA, newer layouts with Kelas Ibu Balita and MBG),
  with Usia Saat Ukur text and Cara Ukur (Terlentang / Berdiri).
- ``write_krs``: BKKBN Verval KRS / Pendataan Keluarga per kelurahan (families at risk and their factors).
- ``write_stbm``: STBM per kelurahan (five pillars, sanitation ladder).
- ``write_bangda``: the Web Aksi Bangda Data Sasaran Excel export.

Each maker takes a ``variant``: "plain", "renamed" (other header spellings), "title" (merged title rows above the
header, XLSX), "extra" (columns the reader does not know), "partial" (the kelurahan of two kecamatan only). The truth
is computed here by plain loops, never through serang_gis.
"""

from __future__ import annotations

import csv
import datetime as dt
import random

from .fixtures import FIRST, LAST, height_for_z, kelurahan_list

VARIANTS = ("plain", "renamed", "title", "extra", "partial")

EPPGBM_HEADER = ["NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "Kab/Kota", "Kec", "Pukesmas",
                 "Desa/Kel", "Posyandu", "RT", "RW", "Alamat", "Usia Saat Ukur", "Tanggal Pengukuran", "Berat", "Tinggi",
                 "Cara Ukur", "LiLA", "BB/U", "ZS BB/U", "TB/U", "ZS TB/U", "BB/TB", "ZS BB/TB", "Naik Berat Badan",
                 "PMT Diterima", "Jml Vit A", "KPSP", "KIA"]
EPPGBM_RENAMED = {"Tgl Lahir": "Tanggal Lahir", "JK": "Jenis Kelamin", "Desa/Kel": "Desa/Kelurahan", "Pukesmas": "Puskesmas",
                  "Tanggal Pengukuran": "Tgl Pengukuran", "Tinggi": "Tinggi Badan", "Cara Ukur": "Posisi Ukur",
                  "Usia Saat Ukur": "Umur Saat Ukur", "ZS TB/U": "Z-Score TB/U", "Kec": "Kecamatan"}
NEWER = ["Kelas Ibu Balita", "MBG", "Keterangan"]  # newer layouts; Keterangan: a free-text note (personal, never shown)


def _kels(variant, rnd=None):
    kels = kelurahan_list()
    if variant == "partial":
        keep = sorted({k.kode_kec for k in kels})[:2]
        kels = [k for k in kels if k.kode_kec in keep]
    return kels


def _age_parts(born: dt.date, day: dt.date) -> tuple[int, int, int]:
    """Completed years, months and days from ``born`` to ``day`` (as e-PPGBM writes Usia Saat Ukur)."""
    months = (day.year - born.year) * 12 + day.month - born.month - (day.day < born.day)
    anchor_y, anchor_m = born.year + (born.month - 1 + months) // 12, (born.month - 1 + months) % 12 + 1
    anchor = dt.date(anchor_y, anchor_m, min(born.day, 28))
    return months // 12, months % 12, (day - anchor).days


def _write(path, header, rows, variant, titles):
    if str(path).endswith(".xlsx"):
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        if variant == "title":
            for t in titles:
                ws.append([t])
                ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(header))
            ws.append([])
        ws.append(header)
        for r in rows:
            ws.append(r)
        wb.save(path)
        return
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh, delimiter=";")
        if variant == "title":
            for t in titles:
                w.writerow([t] + [""] * (len(header) - 1))
        w.writerow(header)
        w.writerows(rows)


def write_eppgbm_export(path, *, variant="plain", n_children=400, seed=11,
                        period=(dt.date(2024, 8, 1), dt.date(2024, 8, 31))):
    """An e-PPGBM by-name export as downloaded. Returns (truth, secrets, facts).

    truth: kode_kel -> balita_diukur/pendek/sangat_pendek (each child's latest plausible measurement in the period, if
    0-59 months old then); secrets: NIKs, names, notes written; facts: rows, rows with a position, rows measured the
    other way than the WHO table of their age expects (corrected by 0.7 cm), rows whose age text is wrong on purpose.
    """
    rnd = random.Random(seed)
    kels = _kels(variant)
    header = list(EPPGBM_HEADER) + (NEWER if variant == "extra" else [])
    if variant == "renamed":
        header = [EPPGBM_RENAMED.get(h, h) for h in header]
    rows, truth = [], {}
    secrets = {"nik": set(), "nama": set(), "note": set()}
    facts = {"rows": 0, "position": 0, "corrected": 0, "age_text_wrong": 0}
    for c in range(n_children):
        k = rnd.choice(kels)
        nik, name = f"3673{rnd.randint(10**11, 10**12 - 1)}", f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {c}"
        secrets["nik"].add(nik)
        secrets["nama"].add(name)
        sex = rnd.choice("LP")
        born = dt.date(2019, 6, 1) + dt.timedelta(days=rnd.randint(0, 1900))
        days_seen, measurements = set(), []
        for _ in range(rnd.randint(1, 3)):
            day = dt.date(2024, rnd.choice([6, 7, 8, 8, 8, 9]), rnd.randint(1, 28))
            if day in days_seen or day <= born:
                continue
            days_seen.add(day)
            z = round(rnd.gauss(-1.2, 1.2), 2)
            measurements.append((day, z, "Sangat Pendek" if z < -3 else "Pendek" if z < -2 else "Normal"))
        for day, z, cls in measurements:
            age = (day - born).days
            expects_lying = age < 731
            lying = expects_lying if rnd.random() < 0.8 else not expects_lying
            position = "" if rnd.random() < 0.05 else ("Terlentang" if lying else "Berdiri")
            true_height = height_for_z(z, age, sex, rnd.uniform(100, 115))
            # the height as read in the position used: standing reads 0.7 cm shorter than lying
            written = true_height - 0.7 if (position == "Berdiri" and expects_lying) else \
                true_height + 0.7 if (position == "Terlentang" and not expects_lying) else true_height
            facts["rows"] += 1
            facts["position"] += position != ""
            facts["corrected"] += (position == "Berdiri" and expects_lying) or (position == "Terlentang" and not expects_lying)
            y, m, d = _age_parts(born, day)
            if rnd.random() < 0.06:  # a written age that does not fit the dates
                y += 1
                facts["age_text_wrong"] += 1
            note = f"catatan kader {name}"
            secrets["note"].add(note)
            row = [nik, name, sex, born.strftime("%d/%m/%Y"), f"{rnd.uniform(2.5, 4):.1f}", f"{rnd.uniform(45, 52):.1f}",
                   f"Ibu {name}", "BANTEN", "KOTA SERANG", k.kecamatan.upper(), "PKM " + k.kecamatan.upper(), k.kelurahan.upper(),
                   "Posyandu Melati", f"00{rnd.randint(1, 9)}", f"00{rnd.randint(1, 9)}", "Kp. Sukamaju",
                   f"{y} Tahun - {m} Bulan - {d} Hari", day.strftime("%d/%m/%Y"), f"{rnd.uniform(6, 20):.1f}".replace(".", ","),
                   f"{written:.1f}".replace(".", ","), position, f"{rnd.uniform(11, 17):.1f}", "Berat Badan Normal", "-0,50",
                   cls, f"{z}".replace(".", ","), "Gizi Baik", "0,10", rnd.choice(["Ya", "Tidak", "-"]), rnd.choice(["Ya", "Tidak"]),
                   str(rnd.randint(0, 2)), rnd.choice(["Sesuai", "Meragukan", ""]), rnd.choice(["Ya", "Tidak"])]
            if variant == "extra":
                row += [rnd.choice(["Ya", "Tidak"]), rnd.choice(["Ya", "Tidak"]), note]
            rows.append(row)
        inside = [mm for mm in measurements if period[0] <= mm[0] <= period[1] and -6 <= mm[1] <= 6]
        if not inside:
            continue
        day, z, cls = max(inside, key=lambda mm: mm[0])
        months = (day.year - born.year) * 12 + day.month - born.month - (day.day < born.day)
        if not 0 <= months < 60:
            continue
        t = truth.setdefault(k.kode_kel, {"balita_diukur": 0, "pendek": 0, "sangat_pendek": 0})
        t["balita_diukur"] += 1
        t["pendek"] += cls == "Pendek"
        t["sangat_pendek"] += cls == "Sangat Pendek"
    rnd.shuffle(rows)
    _write(path, header, rows, variant, ["DATA HASIL PENGUKURAN BALITA BY NAME", "KOTA SERANG - AGUSTUS 2024"])
    return truth, secrets, facts
