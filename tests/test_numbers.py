"""The one number formatter (serang_gis.core.numbers), in both languages, and the text catalogue it reads its marks from."""

import re

import numpy as np
import pandas as pd
import pytest

from serang_gis.core import numbers as N
from serang_gis.core.text import LANGS, TEXT, t


@pytest.mark.parametrize("value, decimals, id_, en", [
    (12, 1, "12,0", "12.0"),
    (1234, 0, "1.234", "1,234"),
    (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
    (0.5, 0, "1", "1"),  # half away from zero ...
    (2.5, 0, "3", "3"),  # ... not to the even digit
    (2.25, 1, "2,3", "2.3"),  # as written, though stored as 2.25 exactly
    (2.675, 2, "2,68", "2.68"),  # as written, though stored as 2.67499999...
    (4.35, 1, "4,4", "4.4"),
    (12.34999, 1, "12,3", "12.3"),
    (-2.5, 0, "-3", "-3"),
    (-1234.56, 1, "-1.234,6", "-1,234.6"),
    (-0.04, 1, "0,0", "0.0"),  # a negative value rounded to zero has no sign
    (np.float64(9.95), 1, "10,0", "10.0"),
    (np.int64(1000000), 0, "1.000.000", "1,000,000"),
    ("12.5", 1, "12,5", "12.5"),
])
def test_number_in_both_languages(value, decimals, id_, en):
    assert N.number(value, decimals, "id") == id_
    assert N.number(value, decimals, "en") == en


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT, "", "abc", float("inf")])
def test_missing_is_the_no_data_word(missing):
    for lang in LANGS:
        word = t(lang, "no_data")
        assert N.number(missing, 1, lang) == word
        assert N.count(missing, lang) == word and N.percent(missing, 1, lang) == word and N.rupiah(missing, lang) == word
        assert N.quantity(missing, 0, lang, "balita") == word and N.interval(missing, 1, 2, 1, lang) == word
        assert N.number(missing, 1, lang, missing="-") == "-" and N.interval(missing, 1, 2, 1, lang, missing="") == ""
    assert t("id", "no_data") == "tidak ada data" and t("en", "no_data") == "no data"


def test_counts_percentages_money_and_units():
    assert N.count(1234, "id") == "1.234" and N.count(1234, "en") == "1,234" and N.count(12.6, "id") == "13"
    assert N.percent(12.43, 1, "id") == "12,4 %" and N.percent(12.45, 1, "en") == "12.5 %"
    assert N.share(0.74, 0, "en") == "74%" and N.share(0.0125, 1, "id") == "1,3%"  # terminal summaries: compact
    assert N.rupiah(36_220_427_730, "id") == "Rp 36.220.427.730" and N.rupiah(1500.5, "en") == "Rp 1,501"
    assert N.quantity(1234, 0, "id", "balita") == "1.234 balita" and N.quantity(1234, 0, "en", "balita") == "1,234 toddlers"
    assert N.quantity(12, 0, "en", "KK") == "12 households" and N.quantity(3.5, 1, "en", "poin") == "3.5 points"
    assert N.quantity(7, 0, "en", "/ 12") == "7 / 12" and N.quantity(7, 0, "en") == "7"  # a unit it does not know stays as given
    assert N.quantity(12.4, 1, "id", "%") == "12,4 %"


def test_intervals_and_trimmed_figures():
    assert N.interval(12.4321, 8.06, 18.349, 1, "id") == "12,4 % (8,1–18,3 %)"
    assert N.interval(12.4321, 8.06, 18.349, 1, "en") == "12.4 % (8.1–18.3 %)"
    assert N.interval(5.0, None, float("nan"), 1, "id") == "5,0 %"  # no limits: the value alone
    assert N.interval(1.25, 0.5, 2, 1, "id", "poin") == "1,3 poin (0,5–2,0)"  # the unit repeated only for %
    assert [N.number(x, 2, "id", trim=True) for x in (10.0, 2.5, 1.234, 1000.5, 0)] == ["10", "2,5", "1,23", "1.000,5", "0"]
    assert N.number(99.8, 2, "en", trim=True) == "99.8" and N.number(100, 0, "id", trim=True) == "100"


def test_the_catalogue_has_every_key_in_both_languages_and_is_read_only():
    assert TEXT["id"].keys() == TEXT["en"].keys()
    assert all(TEXT[lang][k].strip() for lang in LANGS for k in TEXT[lang])
    with pytest.raises(TypeError):
        TEXT["id"]["no_data"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        TEXT["fr"] = {}  # type: ignore[index]

    def fields(text):
        return sorted(set(re.findall(r"\{(\w*)\}", text)))

    assert [k for k in TEXT["id"] if fields(TEXT["id"][k]) != fields(TEXT["en"][k])] == []  # the same fields in both languages
