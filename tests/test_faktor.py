"""The factor-to-office table: the package's own, a user's replacement, and the errors that name row and column."""

import pytest

from serang_gis import InputError
from serang_gis.read.faktor import FactorTable


def test_the_package_table_gives_each_office_its_factors():
    t = FactorTable.load()
    assert set(t.offices()) == {"perkim", "pupr", "dinkes", "dp3akb", "dlh", "dinsos"}
    assert t.factors_of("dp3akb", peran=("utama",)) == ["terlalu_muda", "terlalu_tua", "terlalu_dekat", "terlalu_banyak",
                                                         "kb_modern", "keluarga_berisiko"]
    assert {"persen_stbm_sampah", "persen_stbm_limbah"} <= set(t.indicators_of("dlh"))
    assert t.offices_of("persen_krs_air_tidak_layak") == [("perkim", "utama"), ("pupr", "utama"), ("dinkes", "pendukung")]
    assert "persen_keluarga_berisiko" in t.indicators_of("dinsos")
    # only the columns a joined layer holds
    assert t.indicators_of("dp3akb", columns=["persen_krs_terlalu_muda", "kk"]) == ["persen_krs_terlalu_muda"]


def test_a_user_table_replaces_the_package_one(tmp_path):
    path = tmp_path / "faktor.csv"
    path.write_text("faktor,indikator,opd,peran,catatan\njamban,kesenjangan_sanitasi,dlh,utama,\n"
                    "jamban,persen_krs_jamban_tidak_layak,dinkes,pendukung,\n", encoding="utf-8-sig")
    t = FactorTable.load(path)
    assert t.offices() == ["dlh", "dinkes"] and t.indicators_of("perkim") == []
    assert t.indicators_of("dinkes") == ["persen_krs_jamban_tidak_layak"]


def test_errors_name_file_row_and_column(tmp_path):
    path = tmp_path / "faktor.csv"
    path.write_text("faktor,indikator,opd,peran\nair,persen_krs_air_tidak_layak,dinas_air,utama\n"
                    "4t,persen_terlalu_muda,dp3akb,kadang\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        FactorTable.load(path)
    msg = str(exc.value)
    assert "faktor.csv:row 2:column 'opd': 'dinas_air'" in msg
    assert "faktor.csv:row 3:column 'indikator': 'persen_terlalu_muda'" in msg and "row 3:column 'peran'" in msg
    path.write_text("faktor,opd\nair,dinkes\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing indikator, peran"):
        FactorTable.load(path)
