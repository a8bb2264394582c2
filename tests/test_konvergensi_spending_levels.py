"""The need x spending layer's spending levels: no spending (0) on its own, then the positive amounts split at their
median; ties with zero never share zero's class (the lead's rule, issue 20)."""

from types import SimpleNamespace

import pandas as pd

from serang_gis.analysis.konvergensi import _spending_levels
from serang_gis.core.numbers import rupiah_short
from serang_gis.core.text import say
from serang_gis.render.leaflet.konvergensi import bivariate_categories, bivariate_grid, class_words

TAKTAKAN = 53_846_154.0


def test_equal_positive_amounts_are_not_classed_with_zero():
    """Six kelurahan with exactly Rp 53.846.154 beside seven with nothing: the terciles put all thirteen in class 1."""
    values = pd.Series([0.0] * 7 + [TAKTAKAN] * 6 + [100e6, 250e6, None])
    notes = []
    levels, breaks = _spending_levels(values, notes)
    assert levels == [1] * 7 + [2] * 6 + [3, 3, None]
    assert breaks == [0.0, TAKTAKAN] and notes == []  # median of the 8 positive amounts: 53,846,154


def test_median_split_of_positive_amounts_puts_the_median_low():
    notes = []
    levels, breaks = _spending_levels(pd.Series([0, 10, 20, 30, 40, 0]), notes)
    assert levels == [1, 2, 2, 3, 3, 1] and breaks == [0.0, 25.0]
    levels, breaks = _spending_levels(pd.Series([10, 20, 30]), notes)
    assert levels == [2, 2, 3] and breaks == [0.0, 20.0] and notes == []


def test_one_positive_level_when_the_median_cannot_split_and_a_note_says_so():
    for values, n in (([0, 0, 5e6], 1), ([0, 7e6, 7e6, 7e6], 3), ([0, 0], 0)):
        notes = []
        levels, breaks = _spending_levels(pd.Series(values, dtype=float), notes)
        assert levels == [2 if v > 0 else 1 for v in values] and breaks == [0.0]
        assert len(notes) == 1 and f"{n} kelurahan" in say("id", notes[0]) and "belanja ada" in say("id", notes[0])


def test_labels_and_heads_say_the_rule_in_words_and_short_amounts():
    res = SimpleNamespace(need="prevalensi_stunting", bivariate_breaks={"prevalensi_stunting": [14.2, 23.5],
                                                                         "pagu_terlokasi": [0.0, TAKTAKAN]})
    labels = {v: lab for v, _, lab in bivariate_categories(res, "id")}
    assert labels["31"].startswith("kebutuhan tinggi, tanpa belanja terlokasi:") and labels["31"].endswith("pagu terlokasi Rp 0")
    assert labels["12"].startswith("kebutuhan rendah, belanja rendah:") and "≤ Rp 53.846.154" in labels["12"]
    assert labels["13"].startswith("kebutuhan rendah, belanja tinggi:") and labels["13"].endswith("> Rp 53.846.154")
    grid = bivariate_grid(pd.Series(["31", "11", "31"]), bivariate_categories(res, "id"), [0.0, TAKTAKAN], "id")
    assert grid["grid"]["cols"] == ["Rp 0", "≤ Rp 54 jt", "> Rp 54 jt"] and grid["gap"]["units"] == [0, 2]
    en = bivariate_grid(pd.Series([]), bivariate_categories(res, "en"), [0.0, 1.25e9], "en")
    assert en["grid"]["cols"] == ["Rp 0", "≤ Rp 1.3 bn", "> Rp 1.3 bn"]
    assert en["grid"]["rows"][0]["cells"][0]["words"] == "need high, no located spending"


def test_one_positive_level_makes_a_3_by_2_grid_with_the_word_belanja_ada():
    res = SimpleNamespace(need="balita_stunting", bivariate_breaks={"balita_stunting": [3.0, 8.0], "pagu_terlokasi": [0.0]})
    cats = bivariate_categories(res, "id")
    assert sorted(v for v, _, _ in cats) == ["11", "12", "21", "22", "31", "32"]
    grid = bivariate_grid(pd.Series(["12"]), cats, [0.0], "id")["grid"]
    assert grid["cols"] == ["Rp 0", "> Rp 0"] and all(len(r["cells"]) == 2 for r in grid["rows"])
    assert class_words("32", "id", True) == "kebutuhan tinggi, belanja ada"


def test_short_rupiah():
    assert [rupiah_short(v, "id") for v in (0, 750_000, TAKTAKAN, 1.25e9)] == ["Rp 0", "Rp 750.000", "Rp 54 jt", "Rp 1,3 M"]
    assert [rupiah_short(v, "en") for v in (TAKTAKAN, 9.5e6, 2e9)] == ["Rp 54 mn", "Rp 9.5 mn", "Rp 2 bn"]  # "m" would read as miliar


def test_the_grid_rows_say_what_need_is_and_its_ranges():
    """Fault 5: the row heads are the need's ranges and the axis names it with its period ("Prevalensi 2023"), in sight;
    no spending is "tanpa belanja terlokasi" (no located spending), not "no money at all"."""
    from serang_gis.render.leaflet.konvergensi import need_heads

    frame = pd.DataFrame({"kode_kel": ["a", "b"], "periode_gizi": ["2023", "2023"]})
    res = SimpleNamespace(need="prevalensi_stunting", kelurahan=frame,
                          bivariate_breaks={"prevalensi_stunting": [13.7, 23.5], "pagu_terlokasi": [0.0, 1.25e8]})
    grid = bivariate_grid(pd.Series(["31"]), bivariate_categories(res, "id"), [0.0, 1.25e8], "id", need=need_heads(res, "id"))
    assert grid["grid"]["need"] == "Prevalensi 2023"
    assert [r["level"] for r in grid["grid"]["rows"]] == ["> 23,5 %", "13,7–23,5 %", "≤ 13,7 %"]
    assert grid["grid"]["rows"][0]["cells"][0]["words"] == "kebutuhan tinggi, tanpa belanja terlokasi"
    assert grid["gap"]["title"] == "Kebutuhan tinggi, tanpa belanja terlokasi: 1 kelurahan"
    en = bivariate_grid(pd.Series([]), [], [0.0, 1.25e8], "en", need=need_heads(res, "en"))["grid"]
    assert en["need"] == "Prevalence 2023" and en["rows"][1]["level"] == "13.7–23.5 %"
    assert need_heads(SimpleNamespace(need="prevalensi_stunting", bivariate_breaks={}), "id") is None



def test_a_service_gap_gives_a_rates_values_with_their_percent_sign():
    """Fault 11: "Keluarga berisiko stunting 33,0 ≥ median 21,3" had no %; a count keeps none."""
    from serang_gis.analysis.konvergensi import PAKET_NEED, _gaps

    p, needs = next((p, n) for p, n in PAKET_NEED.items() if "persen_keluarga_berisiko" in n)
    out = pd.DataFrame({"kode_kel": ["a", "b", "c"], "kelurahan": ["A", "B", "C"], "kecamatan": ["K"] * 3, "lokus": [True] * 3,
                        "jumlah_opd": [0, 0, 0], "persen_keluarga_berisiko": [33.0, 21.3, 10.0]})
    for q in PAKET_NEED:
        out[f"paket_{q}"] = q != p
    acts = pd.DataFrame({"kelas": pd.Series([], dtype=str), "paket": pd.Series([], dtype=object), "opd_nama": pd.Series([], dtype=str)})
    gaps = _gaps(out, acts, True, "id")  # no activity: no city-wide office either
    why = gaps.loc[gaps["kode_kel"] == "a", "alasan"].iloc[0]
    assert "33,0 % ≥ median 21,3 %" in why, why
