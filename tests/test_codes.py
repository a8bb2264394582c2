import pytest

from serang_gis.core import codes


@pytest.mark.parametrize(
    "value, level, expected",
    [
        ("36.73.01.1001", "kelurahan", "36.73.01.1001"),
        ("3673011001", "kelurahan", "36.73.01.1001"),
        (3673011001, "kelurahan", "36.73.01.1001"),
        (3673011001.0, "kelurahan", "36.73.01.1001"),
        (" 36.73.01.1001 ", "kelurahan", "36.73.01.1001"),
        ("367301", "kecamatan", "36.73.01"),
        (3673, "kabkota", "36.73"),
        (36.7, "kabkota", "36.70"),  # JSON number in the kab/kota file: 36.7 means 36.70
        ("36.7", "kabkota", "36.70"),
        ("36.73.1001", "kelurahan", None),
        ("Serang", "kelurahan", None),
        (3673011001.5, "kelurahan", None),
        (float("nan"), "kelurahan", None),
    ],
)
def test_normalize(value, level, expected):
    assert codes.normalize(value, level) == expected


def test_parent_and_level():
    assert codes.parent("36.73.04.1007", "kecamatan") == "36.73.04"
    assert codes.parent("36.73.04.1007", "kabkota") == "36.73"
    assert codes.level_of("36.73.04") == "kecamatan"
    assert codes.level_of("36.73.4") is None
