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

from .fixtures import FIRST, LAST, count_latest, height_for_z, kelurahan_list

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
        count_latest(truth, k.kode_kel, measurements, born, period)
    rnd.shuffle(rows)
    _write(path, header, rows, variant, ["DATA HASIL PENGUKURAN BALITA BY NAME", "KOTA SERANG - AGUSTUS 2024"])
    return truth, secrets, facts


# ---- aggregated per-kelurahan exports ----------------------------------------------------------------------------------

KRS_FIELDS = ["keluarga", "keluarga_sasaran", "pus", "pus_hamil", "baduta", "balita_keluarga", "keluarga_berisiko",
              "krs_air_tidak_layak", "krs_jamban_tidak_layak", "krs_terlalu_muda", "krs_terlalu_tua", "krs_terlalu_dekat",
              "krs_terlalu_banyak", "krs_bukan_kb_modern"]
KRS_HEADERS = {
    "plain": ["Jumlah Keluarga", "Jumlah Keluarga Sasaran", "Jumlah PUS", "Jumlah PUS Hamil", "Jumlah Keluarga Memiliki Baduta",
              "Jumlah Keluarga Memiliki Balita", "Jumlah Keluarga Berisiko Stunting", "Sumber Air Minum Tidak Layak",
              "Jamban Tidak Layak", "Terlalu Muda", "Terlalu Tua", "Terlalu Dekat", "Terlalu Banyak", "Bukan Peserta KB Modern"],
    "renamed": ["Keluarga", "Keluarga Sasaran", "PUS", "PUS Hamil", "Baduta", "Keluarga dengan Balita", "Jumlah KRS",
                "Tidak Memiliki Sumber Air Minum Layak", "Tidak Memiliki Jamban Layak", "Istri Terlalu Muda (< 20 th)",
                "Istri Terlalu Tua (35-40 th)", "Jarak Kelahiran Terlalu Dekat", "Anak Terlalu Banyak", "Bukan Akseptor KB Modern"],
}


def _krs_row(rnd):
    fam = rnd.randint(1500, 6000)
    sasaran = rnd.randint(fam // 3, fam // 2)
    pus = rnd.randint(sasaran // 2, sasaran)
    krs = rnd.randint(sasaran // 5, sasaran // 2)
    row = dict(keluarga=fam, keluarga_sasaran=sasaran, pus=pus, pus_hamil=rnd.randint(0, pus // 10), baduta=rnd.randint(50, 400),
               balita_keluarga=rnd.randint(100, 800), keluarga_berisiko=krs)
    for c in KRS_FIELDS[7:13]:
        row[c] = rnd.randint(0, krs)
    row["krs_bukan_kb_modern"] = rnd.randint(0, min(krs, pus))
    return row


def _aggregate(path, variant, seed, fields, headers, make_row, titles, parent=None, region=False):
    """One row per kelurahan, a grand total; ``region``: Provinsi and Kabupaten/Kota columns first (Bangda); returns truth."""
    rnd = random.Random(seed)
    kels = _kels(variant)
    lead = (["Provinsi", "Kabupaten/Kota"] if region else [])
    header = ["No"] + lead + ["Kecamatan", "Desa/Kelurahan"] + headers + (["Keterangan", "Sumber Data"] if variant == "extra" else [])
    truth, rows = {}, []
    for n, k in enumerate(kels, start=1):
        t = make_row(rnd)
        truth[k.kode_kel] = t
        rows.append([n] + (["BANTEN", "KOTA SERANG"] if region else []) + [k.kecamatan, k.kelurahan] + [t[c] for c in fields]
                    + ([rnd.choice(["", "verval 2024"]), "BKKBN"] if variant == "extra" else []))
    rows.append([""] + [""] * len(lead) + ["JUMLAH", ""] + [sum(t[c] for t in truth.values()) for c in fields]
                + (["", ""] if variant == "extra" else []))
    if variant == "title" and parent:  # a two-row header: the factors under a merged parent cell
        first, span, text = parent
        upper = header[:first] + [text] + [""] * (span - 1) + header[first + span:]
        lower = [""] * first + header[first:first + span] + [""] * (len(header) - first - span)
        _write_two_row(path, upper, lower, rows, titles, first, span)
    else:
        _write(path, header, rows, variant, titles)
    return truth


def _write_two_row(path, upper, lower, rows, titles, first, span):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for t in titles:
        ws.append([t])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(upper))
    ws.append([])
    ws.append(upper)
    ws.append(lower)
    top = ws.max_row - 1
    for c in range(1, len(upper) + 1):
        if not first < c <= first + span:  # the other headers span both rows
            ws.merge_cells(start_row=top, start_column=c, end_row=top + 1, end_column=c)
    ws.merge_cells(start_row=top, start_column=first + 1, end_row=top, end_column=first + span)
    for r in rows:
        ws.append(r)
    wb.save(path)


def write_krs(path, *, variant="plain", seed=21):
    """BKKBN Verval KRS / Pendataan Keluarga per kelurahan; returns truth: kode_kel -> every KRS field."""
    headers = KRS_HEADERS["renamed" if variant == "renamed" else "plain"]
    if variant == "extra":
        headers = headers[:7] + ["Jumlah Keluarga Tidak Berisiko Stunting"] + headers[7:]
        fields = KRS_FIELDS[:7] + ["_tidak"] + KRS_FIELDS[7:]

        def make(rnd):
            t = _krs_row(rnd)
            t["_tidak"] = t["keluarga_sasaran"] - t["keluarga_berisiko"]
            return t
        truth = _aggregate(path, variant, seed, fields, headers, make, [])
        for t in truth.values():
            del t["_tidak"]
        return truth
    titles = ["REKAPITULASI HASIL VERIFIKASI DAN VALIDASI KELUARGA BERISIKO STUNTING", "KOTA SERANG TAHUN 2024"]
    if variant == "title":  # the factors under "Faktor Risiko" (without the words "tidak layak" in the parent)
        headers = headers[:7] + ["Sumber Air Minum Tidak Layak", "Jamban Tidak Layak", "Terlalu Muda", "Terlalu Tua",
                                 "Terlalu Dekat", "Terlalu Banyak", "Bukan Peserta KB Modern"]
    return _aggregate(path, variant, seed, KRS_FIELDS, headers, _krs_row, titles, parent=(10, 7, "Faktor Risiko"))


STBM_FIELDS = ["kk", "stbm_stop_babs", "stbm_ctps", "stbm_pammrt", "stbm_sampah", "stbm_limbah", "tangga_babs_terbuka",
               "tangga_babs_tertutup", "tangga_bersama", "tangga_layak_sendiri", "tangga_aman"]
STBM_HEADERS = {
    "plain": ["Jumlah KK", "Pilar 1 Stop BABS", "Pilar 2 Cuci Tangan Pakai Sabun", "Pilar 3 Pengelolaan Air Minum dan Makanan RT",
              "Pilar 4 Pengamanan Sampah RT", "Pilar 5 Pengamanan Limbah Cair RT", "BABS Terbuka", "BABS Tertutup",
              "Sharing / Layak Bersama", "Layak Sendiri", "Aman"],
    "renamed": ["Jumlah Rumah Tangga", "KK Stop BABS", "CTPS", "PAMM-RT", "Pengamanan Sampah", "Pengamanan Limbah Cair",
                "BABS di Tempat Terbuka", "BABS di Tempat Tertutup", "Sharing", "Akses Layak Sendiri", "Akses Aman"],
}


def _stbm_row(rnd):
    kk = rnd.randint(800, 5000)
    cuts = sorted(rnd.randint(0, kk) for _ in range(4))
    rungs = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], cuts[3] - cuts[2], kk - cuts[3]]
    row = dict(kk=kk, **dict(zip(STBM_FIELDS[6:], rungs)))
    row["stbm_stop_babs"] = kk - rungs[0]
    for c in STBM_FIELDS[2:6]:
        row[c] = rnd.randint(0, kk)
    return row


def write_stbm(path, *, variant="plain", seed=31):
    """STBM per kelurahan: five pillars and the sanitation ladder; returns truth: kode_kel -> every STBM field."""
    headers = STBM_HEADERS["renamed" if variant == "renamed" else "plain"]
    titles = ["LAPORAN CAPAIAN STBM PER KELURAHAN", "DINAS KESEHATAN KOTA SERANG 2024"]
    return _aggregate(path, variant, seed, STBM_FIELDS, headers, _stbm_row, titles)


def write_stbm_households(path, *, seed=41, n=600):
    """STBM by household (one row per KK: its ladder rung and the five pillars as Ya/Tidak, a few answers blank).

    Returns (truth per kode_kel: kk, every rung, every pillar's yes answers; blanks: blank answers per pillar header;
    secrets: the family card numbers and names written)."""
    rnd = random.Random(seed)
    kels = _kels("partial")
    rungs = ["BABS Terbuka", "BABS Tertutup", "Sharing", "Layak Sendiri", "Aman"]
    keys = ["tangga_babs_terbuka", "tangga_babs_tertutup", "tangga_bersama", "tangga_layak_sendiri", "tangga_aman"]
    pillars = [("Stop BABS", "stbm_stop_babs"), ("CTPS", "stbm_ctps"), ("PAMM-RT", "stbm_pammrt"),
               ("Pengamanan Sampah", "stbm_sampah"), ("Pengamanan Limbah Cair", "stbm_limbah")]
    truth, rows, blanks, secrets = {}, [], {h: 0 for h, _ in pillars}, set()
    for i in range(n):
        k = rnd.choice(kels)
        r = rnd.randrange(5)
        t = truth.setdefault(k.kode_kel, dict.fromkeys(["kk", *keys, *(key for _, key in pillars)], 0))
        t["kk"] += 1
        t[keys[r]] += 1
        answers = []
        for header, key in pillars:
            roll = rnd.random()
            answer = "" if roll < 0.03 else "Ya" if roll < 0.6 else "Tidak"
            blanks[header] += answer == ""
            t[key] += answer == "Ya"
            answers.append(answer)
        kk_number, name = f"3673{rnd.randint(10**11, 10**12 - 1)}", f"Bapak {rnd.choice(LAST)} {i}"
        secrets |= {kk_number, name}
        rows.append([kk_number, name, k.kecamatan, k.kelurahan, rungs[r], *answers])
    _write(path, ["No KK", "Nama Kepala Keluarga", "Kecamatan", "Kelurahan", "Akses Sanitasi", *(h for h, _ in pillars)],
           rows, "plain", [])
    return truth, blanks, secrets


BANGDA_FIELDS = ["keluarga", "keluarga_berisiko", "balita_diukur", "sangat_pendek", "pendek"]
BANGDA_HEADERS = {"plain": ["Jumlah Keluarga", "Jumlah Keluarga Berisiko Stunting", "Jumlah Balita Diukur", "Jumlah Balita Sangat Pendek",
                            "Jumlah Balita Pendek"],
                  "renamed": ["Keluarga", "Keluarga Berisiko Stunting", "Balita Diukur", "Sangat Pendek", "Pendek"]}


def _bangda_row(rnd):
    fam = rnd.randint(1500, 9000)
    diukur = rnd.randint(20, 900)
    return dict(keluarga=fam, keluarga_berisiko=rnd.randint(100, fam // 3), balita_diukur=diukur,
                sangat_pendek=rnd.randint(0, diukur // 10), pendek=rnd.randint(0, diukur // 6))


def write_bangda(path, *, variant="plain", seed=51):
    """Web Aksi Bangda Data Sasaran per kelurahan/desa (its Excel export); returns truth: kode_kel -> fields."""
    headers = BANGDA_HEADERS["renamed" if variant == "renamed" else "plain"]
    titles = ["DATA SASARAN PERCEPATAN PENURUNAN STUNTING", "KOTA SERANG - TAHUN 2024"]
    return _aggregate(path, variant, seed, BANGDA_FIELDS, headers, _bangda_row, titles, region=True)


def build_office_atlas(tmp, *, stbm: bool = False):
    """A config atlas of offices built through the CLI in ``tmp``: a Verval KRS export (and an STBM one), the generated
    Aksi 2 matrix of 2023; returns the output folder."""
    from . import kegiatan_fixtures as K
    from .conftest import run_cli

    write_krs(tmp / "krs.xlsx")
    data = '[[data]]\npath = "krs.xlsx"\nperiod = "2024"\n'
    if stbm:
        write_stbm(tmp / "stbm.xlsx")
        data += '[[data]]\npath = "stbm.xlsx"\nperiod = "2024"\n'
    K.write_csv(tmp / "aksi2.csv", K.make_activities())
    (tmp / "atlas.toml").write_text(data + '[maps]\nstatic = false\n[[kegiatan]]\npath = "aksi2.csv"\nyear = 2023\n', encoding="utf-8")
    res = run_cli("build", "--config", tmp / "atlas.toml", "-o", tmp / "out")
    assert res.exit_code == 0, res.output
    return tmp / "out"
