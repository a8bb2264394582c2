"""Benchmark `join`: a national-size aggregated table and a 1,000,000-row by-name export (CSV and XLSX).

Each case runs in a fresh process (peak memory is per process) and is compared with a baseline
measured in the same run on the same file: pandas.read_csv + merge on the code (what the
shortest possible script would do, with no checks, no matching and no report).

    python3 benchmarks/bench_join.py            # prints a table of seconds, ratios and peak RSS
    python3 benchmarks/bench_join.py --xlsx     # only the by-name export as CSV and as XLSX (goal, issue 24: XLSX <= 2x CSV, <= 1 GB)
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = ROOT.parent / "shared" / "data" / "boundaries" / "indonesia_kelurahan_1m.parquet"
SERANG = ROOT.parent / "shared" / "data" / "boundaries" / "kota_serang_kelurahan.geojson"


def make_national_table(path: Path) -> int:
    import pandas as pd

    kel = pd.read_parquet(NATIONAL, columns=["kode", "nama"])
    rnd = random.Random(1)
    n = 83_000
    kel = kel.iloc[:n]
    diukur = [rnd.randint(10, 900) for _ in range(n)]
    frame = pd.DataFrame({"No": range(1, n + 1), "Kode Wilayah": kel["kode"].str.replace(".", "", regex=False),
                          "Desa/Kelurahan": kel["nama"].str.upper(), "Jumlah Balita Diukur": diukur,
                          "Balita Sangat Pendek": [d // 12 for d in diukur], "Balita Pendek": [d // 7 for d in diukur]})
    frame.to_csv(path, sep=";", index=False)
    return n


def make_byname(path: Path, n_rows: int = 1_000_000) -> int:
    import numpy as np
    import pandas as pd

    from serang_gis.read import reference

    g = reference.gazetteer()
    rng = np.random.default_rng(3)
    n_children = n_rows // 2
    child = rng.integers(0, n_children, n_rows)
    kel_of_child = rng.integers(0, len(g), n_children)
    born = pd.Timestamp("2019-06-01") + pd.to_timedelta(rng.integers(0, 1900, n_children), unit="D")
    measured = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n_rows), unit="D")
    z = np.round(rng.normal(-1.3, 1.2, n_rows), 2)
    cls = np.where(z < -3, "Sangat Pendek", np.where(z < -2, "Pendek", "Normal"))
    frame = pd.DataFrame({
        "NIK": (3673000000000000 + child).astype(str), "Nama": "Anak " + child.astype(str),
        "Tgl Lahir": born[child].strftime("%d/%m/%Y"), "Kec": g["kecamatan"].str.upper().to_numpy()[kel_of_child[child]],
        "Desa/Kel": g["kelurahan"].str.upper().to_numpy()[kel_of_child[child]],
        "Tanggal Pengukuran": measured.strftime("%d/%m/%Y"), "TB/U": cls, "ZS TB/U": pd.Series(z).astype(str).str.replace(".", ","),
    })
    frame.to_csv(path, sep=";", index=False)
    return n_rows


def csv_to_xlsx(src: Path, target: Path) -> None:
    """The same rows as an .xlsx (shared strings left out: inline strings, as many exporters write them)."""
    import zipfile
    from xml.sax.saxutils import escape

    import pandas as pd

    frame = pd.read_csv(src, sep=";", dtype=str, keep_default_na=False)
    cols = [chr(ord("A") + i) for i in range(frame.shape[1])]

    def row_xml(r, values):
        cells = "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for c, v in zip(cols, values))
        return f'<row r="{r}">{cells}</row>'

    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        zf.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            fh.write(row_xml(1, frame.columns).encode())
            chunk = []
            for r, values in enumerate(frame.itertuples(index=False, name=None), start=2):
                chunk.append(row_xml(r, values))
                if len(chunk) == 20000:
                    fh.write("".join(chunk).encode())
                    chunk = []
            fh.write("".join(chunk).encode())
            fh.write(b"</sheetData></worksheet>")


CASES = {
    "national_table": """
from serang_gis import read_kelurahan
from serang_gis.join.tables import join_tables
from serang_gis.read.tables import read_table
kel = read_kelurahan(NATIONAL).kelurahan
t0 = time.perf_counter()
joined, rep = join_tables(kel, [read_table(DATA)])
elapsed = time.perf_counter() - t0
assert rep.files[0].matched["code"] == 83000, rep.files[0].matched
""",
    "national_baseline": """
import pandas as pd, geopandas as gpd
kel = gpd.read_parquet(NATIONAL)
t0 = time.perf_counter()
d = pd.read_csv(DATA, sep=";", dtype={"Kode Wilayah": str})
d["kode"] = d["Kode Wilayah"].str.replace(r"(\\d\\d)(\\d\\d)(\\d\\d)(\\d{4})", r"\\1.\\2.\\3.\\4", regex=True)
joined = kel.merge(d, on="kode", how="left")
elapsed = time.perf_counter() - t0
""",
    "byname": """
from serang_gis import read_kelurahan
from serang_gis.join.tables import join_tables
from serang_gis.read.tables import read_table
kel = read_kelurahan(SERANG).kelurahan
t0 = time.perf_counter()
joined, rep = join_tables(kel, [read_table(DATA, period="2024")])
elapsed = time.perf_counter() - t0
assert rep.with_data == 67
""",
    "byname_xlsx": """
from serang_gis import read_kelurahan
from serang_gis.join.tables import join_tables
from serang_gis.read.tables import read_table
kel = read_kelurahan(SERANG).kelurahan
t0 = time.perf_counter()
joined, rep = join_tables(kel, [read_table(DATA, period="2024")])
elapsed = time.perf_counter() - t0
assert rep.with_data == 67
""",
    "byname_baseline": """
import pandas as pd
t0 = time.perf_counter()
d = pd.read_csv(DATA, sep=";", dtype=str)
d = d.drop_duplicates("NIK", keep="last")
agg = d.groupby(["Kec", "Desa/Kel"])["TB/U"].value_counts().unstack(fill_value=0)
elapsed = time.perf_counter() - t0
""",
}


def run_case(name: str, data: Path) -> dict:
    code = ("import time, resource\nfrom pathlib import Path\n"
            f"NATIONAL = Path({str(NATIONAL)!r}); SERANG = Path({str(SERANG)!r}); DATA = Path({str(data)!r})\n"
            + CASES[name] + "\nimport json; print(json.dumps({'seconds': elapsed, "
            "'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


XLSX_TIME_GOAL, XLSX_PEAK_GOAL_GB = 2, 1  # issue 24


def main_xlsx() -> None:
    """The same 1,000,000-row by-name export read from CSV and from XLSX: time and peak memory side by side."""
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, xlsx_path = Path(tmp) / "eppgbm.csv", Path(tmp) / "eppgbm.xlsx"
        n = make_byname(csv_path)
        csv_to_xlsx(csv_path, xlsx_path)
        ours_csv, ours_xlsx = run_case("byname", csv_path), run_case("byname_xlsx", xlsx_path)
    print(f"{'by-name export':<26}{'rows':>10}{'seconds':>10}{'peak RSS MB':>13}")
    print(f"{'CSV':<26}{n:>10,}{ours_csv['seconds']:>10.2f}{ours_csv['peak_mb']:>13.0f}")
    print(f"{'XLSX':<26}{n:>10,}{ours_xlsx['seconds']:>10.2f}{ours_xlsx['peak_mb']:>13.0f}")
    ratio, peak_gb = ours_xlsx["seconds"] / ours_csv["seconds"], ours_xlsx["peak_mb"] / 1024
    print(f"XLSX / CSV time: {ratio:.2f}x (goal <= {XLSX_TIME_GOAL:g}x: {'ok' if ratio <= XLSX_TIME_GOAL else 'OVER'}); "
          f"XLSX peak {peak_gb:.2f} GB (goal <= {XLSX_PEAK_GOAL_GB:g} GB: {'ok' if peak_gb <= XLSX_PEAK_GOAL_GB else 'OVER'}); "
          f"CSV peak {ours_csv['peak_mb'] / 1024:.2f} GB")


def main() -> None:
    if "--xlsx" in sys.argv[1:]:
        return main_xlsx()
    with tempfile.TemporaryDirectory() as tmp:
        table, byname = Path(tmp) / "national.csv", Path(tmp) / "eppgbm.csv"
        n1 = make_national_table(table)
        n2 = make_byname(byname)
        rows = []
        for label, case, base, data, n in (("join national table", "national_table", "national_baseline", table, n1),
                                           ("aggregate by-name export", "byname", "byname_baseline", byname, n2)):
            ours, baseline = run_case(case, data), run_case(base, data)
            rows.append((label, n, ours["seconds"], baseline["seconds"], ours["seconds"] / baseline["seconds"], ours["peak_mb"]))
    print(f"{'case':<26}{'rows':>10}{'serang-gis s':>14}{'baseline s':>12}{'ratio':>8}{'peak RSS MB':>13}")
    for label, n, s, b, r, mb in rows:
        print(f"{label:<26}{n:>10,}{s:>14.2f}{b:>12.2f}{r:>8.1f}{mb:>13.0f}")
    print("baseline: pandas.read_csv + merge/groupby on the same file, no checks (measured in this run)")


if __name__ == "__main__":
    main()
