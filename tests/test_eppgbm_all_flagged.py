"""Office walk 23b: a by-name export whose every measurement in the period is flagged stopped with "no measurement falls in
the period 2024-08" although the dates are inside it. The error now names the flags and their counts.

Hand-made export (synthetic children): in August 2024, 3 children with a blank Tinggi and a recorded ZS TB/U of -7,0 (the
WHO flag only: no height to recompute from) and 2 with the Tinggi "abc" (a height that is not a number, nothing recorded);
one child measured in July 2024 (outside the period, unflagged)."""

from __future__ import annotations

import csv

import pytest

from serang_gis import InputError
from serang_gis.read.tables import read_table

from .conftest import run_cli

HEADER = ["NIK", "Nama", "JK", "Tgl Lahir", "Nama Ortu", "Kec", "Desa/Kel", "Tanggal Pengukuran", "Berat", "Tinggi", "TB/U", "ZS TB/U"]


def _export(path, aug=(("", "Sangat Pendek", "-7,0"),) * 3 + (("abc", "", ""),) * 2):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER)
        rows = [(h, c, z, "20/08/2024") for h, c, z in aug] + [("85,0", "Normal", "0,1", "15/07/2024")]
        for i, (height, cls, z, day) in enumerate(rows):
            w.writerow([f"36730101010100{i:02d}", f"Anak Sintetis {i}", "L", "21/01/2022", "Ibu Sintetis", "Serang", "Cipare", day,
                        "11,0", height, cls, z])
    return path


def test_every_measurement_flagged_names_the_flags_and_their_counts(tmp_path):
    with pytest.raises(InputError) as err:
        read_table(_export(tmp_path / "byname.csv"), period="2024-08")
    text = str(err.value)
    assert ("byname.csv: all 5 measurements in the period 2024-08 are flagged and excluded, none is left to count: WHO flag "
            "(height-for-age z-score below -6 or above +6) 3; height outside 38-130 cm or not a number 2; recorded z-score more "
            "than 0.5 from the one recomputed 0") in text
    assert "no measurement falls" not in text and "hint: check the Tinggi (cm)" in text


def test_a_period_with_no_measurement_still_says_so(tmp_path):
    with pytest.raises(InputError, match="no measurement falls in the period 2024-09"):
        read_table(_export(tmp_path / "byname.csv"), period="2024-09")


def test_one_unflagged_measurement_is_counted_and_no_error(tmp_path):
    t = read_table(_export(tmp_path / "byname.csv", aug=(("", "Sangat Pendek", "-7,0"), ("86,0", "Normal", ""))), period="2024-08")
    assert t.data["balita_diukur"].sum() == 1


def test_the_cli_says_it_without_a_traceback_and_writes_nothing(tmp_path):
    _export(tmp_path / "byname.csv")
    (tmp_path / "atlas.toml").write_text('[[data]]\npath = "byname.csv"\nperiod = "2024-08"\n[maps]\nstatic = false\n', encoding="utf-8")
    res = run_cli("build", "--config", tmp_path / "atlas.toml", "-o", tmp_path / "out")
    said = " ".join(res.output.split())
    assert res.exit_code != 0 and "Traceback" not in said, said
    assert "all 5 measurements in the period 2024-08 are flagged" in said and "WHO flag" in said, said
    assert "Anak Sintetis" not in said and "367301010101" not in said  # no child's name or NIK in the message
    assert not (tmp_path / "out").exists()
