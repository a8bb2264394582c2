"""The need x spending class labels: a rate's ranges carry their % sign, money its rupiah."""

from types import SimpleNamespace

import pandas as pd

from serang_gis.render.leaflet.konvergensi import bivariate_categories


def test_need_ranges_of_a_rate_carry_the_percent_sign():
    res = SimpleNamespace(need="prevalensi_stunting",
                          bivariate_breaks={"prevalensi_stunting": [14.2, 23.5], "pagu_terlokasi": [53846154.0, 120000000.0]})
    labels = {v: lab for v, _, lab in bivariate_categories(res, "id")}
    assert "(> 23,5 %)" in labels["31"] and "(≤ 14,2 %)" in labels["13"], labels
    assert "(> 14,2 % – ≤ 23,5 %)" in labels["22"]  # planner walk 4: the lower bound is excluded, and says so
    assert "Rp" in labels["31"]
    counts = SimpleNamespace(need="balita_stunting", bivariate_breaks={"balita_stunting": [3.0, 8.0], "pagu_terlokasi": [1.0, 2.0]})
    assert all("%" not in lab for _, _, lab in bivariate_categories(counts, "en"))


def test_the_need_names_its_period_in_every_class_label():
    """The need is one period's figure (the planner could not tell 2023 from the activities' 2024): every label says it."""
    frame = pd.DataFrame({"kode_kel": ["a", "b", "c"], "periode_gizi": ["2023", "2023", None]})
    res = SimpleNamespace(need="prevalensi_stunting", kelurahan=frame,
                          bivariate_breaks={"prevalensi_stunting": [14.2, 23.5], "pagu_terlokasi": [1.0, 2.0]})
    assert all("prevalensi 2023" in lab for _, _, lab in bivariate_categories(res, "id"))
    mixed = SimpleNamespace(need="prevalensi_stunting", kelurahan=frame.assign(periode_gizi=["2023", "2024", None]),
                            bivariate_breaks=res.bivariate_breaks)
    assert not any("2023" in lab or "2024" in lab for _, _, lab in bivariate_categories(mixed, "id"))  # no one period: none said
