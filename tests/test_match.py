import pytest

from serang_gis.read import reference
from serang_gis.read.match import Matcher, name_key


@pytest.fixture(scope="module")
def m():
    return Matcher(reference.gazetteer())


@pytest.mark.parametrize("raw, key", [("KEL. Suka  Jaya", "sukajaya"), ("Kelurahan Lontar Baru", "lontarbaru"),
                                      ("Desa Pager-Agung", "pageragung"), ("Kota Baru", "kotabaru"),
                                      ("Kec. Cipocok Jaya", "cipocokjaya"), ("Kelapa Dua", "kelapadua")])
def test_name_key(raw, key):
    assert name_key(raw) == key


def test_by_code_name_and_fuzzy(m):
    assert m.match("whatever", code="3673041007").kode_kel == "36.73.04.1007"
    hit = m.match("Suka Jaya", "Curug")
    assert (hit.kode_kel, hit.method) == ("36.73.04.1010", "name")
    hit = m.match("Pengampelan", "Walantaka")
    assert (hit.kode_kel, hit.method) == ("36.73.03.1004", "fuzzy") and 85 < hit.score < 100


def test_shared_name_needs_the_kecamatan(m):
    hit = m.match("Sukawana")
    assert hit.method == "ambiguous" and hit.kode_kel is None
    assert len(hit.candidates) == 2 and all("Sukawana" in c for c in hit.candidates)
    assert m.match("Sukawana", "Serang").kode_kel == "36.73.01.1008"
    assert m.match("Sukawana", "Kec. Curug").kode_kel == "36.73.04.1007"


def test_no_false_fuzzy_match(m):
    hit = m.match("Sukamaju", "Curug")
    assert hit.kode_kel is None and hit.method == "none"
    hit = m.match("Kasemen", "Kecamatan Atlantis")  # unknown kecamatan: the unique name still matches, and says so
    assert hit.kode_kel == "36.73.02.1001" and hit.candidates == ("kecamatan 'Kecamatan Atlantis' is not known; matched by name alone",)
    assert m.match("Atlantis", "Kecamatan Atlantis").candidates == ("kecamatan 'Kecamatan Atlantis' is not known",)


def test_short_or_unknown_kecamatan(m):
    assert m.match("Tembong", "Cipocok").kode_kel == "36.73.05.1006"  # "Cipocok" for Cipocok Jaya
    hit = m.match("Tembong", "Kec. Salah Ketik")
    assert hit.kode_kel == "36.73.05.1006" and "not known" in hit.candidates[0]
    assert m.match("Sukawana", "Kec. Salah Ketik").kode_kel is None  # ambiguous without a known kecamatan
