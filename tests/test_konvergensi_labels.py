"""The need x spending class labels: a rate's ranges carry their % sign, money its rupiah."""

from types import SimpleNamespace

from serang_gis.render.leaflet.konvergensi import bivariate_categories


def test_need_ranges_of_a_rate_carry_the_percent_sign():
    res = SimpleNamespace(need="prevalensi_stunting",
                          bivariate_breaks={"prevalensi_stunting": [14.2, 23.5], "pagu_terlokasi": [53846154.0, 120000000.0]})
    labels = {v: lab for v, _, lab in bivariate_categories(res, "id")}
    assert "(> 23,5 %)" in labels["31"] and "(≤ 14,2 %)" in labels["13"], labels
    assert "14,2 % – ≤ 23,5 %" in labels["22"]
    assert "Rp" in labels["31"]
    counts = SimpleNamespace(need="balita_stunting", bivariate_breaks={"balita_stunting": [3.0, 8.0], "pagu_terlokasi": [1.0, 2.0]})
    assert all("%" not in lab for _, _, lab in bivariate_categories(counts, "en"))
