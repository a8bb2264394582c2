"""The funnel plot adjusted for overdispersion (Spiegelhalter 2005), on small tables whose answer is known by hand."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from serang_gis.analysis.funnel import funnel_data, funnel_png, outside_text
from serang_gis.core import stats as S
from serang_gis.core.numbers import number


def _frame(k, n, names=None):
    names = names or [f"U{i:02d}" for i in range(len(k))]
    return pd.DataFrame({"kode_kel": [f"36.73.01.1{i:03d}" for i in range(len(k))], "kelurahan": names,
                         "balita_diukur": n, "pendek": k, "sangat_pendek": 0})


def test_no_overdispersion_leaves_the_exact_binomial_limits_unchanged():
    # ten kelurahan of 200 at the city rate 20 % (400 / 2000) give or take two children
    k = [40, 41, 39, 40, 40, 42, 38, 40, 41, 39]
    fun = funnel_data(_frame(k, [200] * 10))
    assert fun.target == pytest.approx(20.0)
    # one child is z = (1 / 200) / sqrt(0.2 * 0.8 / 200) = 0.177 (z^2 = 0.03125); the deviations in children,
    # sorted -2 -1 -1 0 0 0 0 1 1 2, winsorise to -1.1 and 1.1 at the ends (positions 0.9 and 8.1)
    phi = (2 * 1.1 ** 2 + 4 * 1) * 0.005 ** 2 / (0.2 * 0.8 / 200) / 10  # 0.0200625
    assert fun.phi == pytest.approx(phi, abs=1e-9) and not fun.adjusted
    sizes = np.array([5, 20, 200, 1000])
    for level in S.FUNNEL_LEVELS:
        for got, exact in zip(fun.limits(sizes, level), S.funnel_limits(0.2, sizes, level)):
            np.testing.assert_array_equal(got, exact)
    assert fun.outside == [] and fun.points["batas"].isna().all()
    text = outside_text(fun)
    assert "φ = 0,02 ≤ 1" in text and "Tanpa penyesuaian" not in text


def test_adjusted_limits_are_the_normal_limits_widened_by_root_phi():
    n = np.array([10, 100, 1000])
    t = 0.25
    for level in S.FUNNEL_LEVELS:
        z = st.norm.ppf(1 - (1 - level) / 2)
        lo, hi = S.funnel_limits_adjusted(t, n, level, phi=4.0)
        half = z * 2 * np.sqrt(t * (1 - t) / n)
        np.testing.assert_allclose(hi, np.clip(t + half, 0, 1), rtol=0, atol=1e-15)
        np.testing.assert_allclose(lo, np.clip(t - half, 0, 1), rtol=0, atol=1e-15)
        lo, hi = S.funnel_limits_adjusted(t, n, level, tau2=0.01)
        np.testing.assert_allclose(hi, np.clip(t + z * np.sqrt(t * (1 - t) / n + 0.01), 0, 1), rtol=0, atol=1e-15)
        for got, exact in zip(S.funnel_limits_adjusted(t, n, level, phi=0.7), S.funnel_limits(t, n, level)):
            np.testing.assert_array_equal(got, exact)  # phi <= 1: nothing to adjust
    with pytest.raises(ValueError, match="not both"):
        S.funnel_limits_adjusted(t, n, 0.95, phi=2.0, tau2=0.01)


def test_overdispersed_units_phi_by_hand_and_fewer_flagged():
    # 5 %, 15 % and 30 % of 1000 each: target 500 / 3000 = 1/6, sd = sqrt((1/6)(5/6)/1000) = sqrt(0.5) / 60,
    # so the z-scores are -7 sqrt2, -sqrt2 and 8 sqrt2.
    k, n = [50, 150, 300], [1000, 1000, 1000]
    t = 1 / 6
    sd = math.sqrt(t * (1 - t) / 1000)
    z = [(0.05 - t) / sd, (0.15 - t) / sd, (0.30 - t) / sd]
    assert z == pytest.approx([-7 * math.sqrt(2), -math.sqrt(2), 8 * math.sqrt(2)], abs=1e-12)
    # winsorised at the 10th / 90th percentiles (linear quantile of 3 values: positions 0.2 and 1.8)
    lo = z[0] + 0.2 * (z[1] - z[0])  # -5.8 sqrt2
    hi = z[1] + 0.8 * (z[2] - z[1])  # 6.2 sqrt2
    phi = (lo ** 2 + z[1] ** 2 + hi ** 2) / 3  # = 2 (5.8^2 + 1 + 6.2^2) / 3 = 48.72
    assert phi == pytest.approx(48.72, abs=1e-9)
    fun = funnel_data(_frame(k, n))
    assert fun.phi == pytest.approx(phi, abs=1e-9) and fun.adjusted
    assert S.overdispersion(k, n, t) == pytest.approx(phi, abs=1e-9)
    # unadjusted: 5 % and 30 % lie far outside 99.8 %; adjusted (limits x sqrt(48.72) = 6.98): none outside
    assert fun.unadjusted == {"95 %": 2, "99,8 %": 2}
    assert fun.outside == [] and len(fun.outside) < fun.unadjusted["95 %"]
    assert fun.points["batas_tanpa_penyesuaian"].notna().sum() == 2 and fun.points["batas"].isna().all()
    # additive: w = 1000 / ((1/6)(5/6)) = 7200 each; tau^2 = (3 phi - 2) / (3 * 7200 - 7200)
    add = funnel_data(_frame(k, n), method="additive")
    assert add.tau2 == pytest.approx((3 * phi - 2) / (3 * 7200 - 7200), abs=1e-12)
    with pytest.raises(ValueError, match="multiplicative, additive"):
        funnel_data(_frame(k, n), method="random")


def _spread():
    # twenty kelurahan of 1000 spread 14-26 % (genuinely different) and one at 45 %
    k = [140, 150, 160, 170, 175, 180, 185, 190, 195, 200, 200, 205, 210, 215, 220, 225, 230, 240, 250, 260, 450]
    return _frame(k, [1000] * len(k), names=[f"Kel{chr(65 + i)}" for i in range(len(k))])


def test_outside_text_names_only_the_kelurahan_outside_the_adjusted_limits(tmp_path):
    f = _spread()
    fun = funnel_png(f, tmp_path / "funnel.png")
    # independently: phi from the winsorised z-scores, then target +- z sqrt(phi) sd
    n, k = f["balita_diukur"].to_numpy(float), f["pendek"].to_numpy(float)
    t = k.sum() / n.sum()
    z = (k / n - t) / np.sqrt(t * (1 - t) / n)
    z = np.clip(z, np.quantile(z, 0.1), np.quantile(z, 0.9))
    phi = float(np.mean(z * z))
    assert fun.phi == pytest.approx(phi, abs=1e-12) and phi > 1
    half = st.norm.ppf(0.975) * math.sqrt(phi) * np.sqrt(t * (1 - t) / n)
    adjusted = set(f.loc[np.abs(k / n - t) > half, "kelurahan"])
    exact_lo, exact_hi = S.funnel_limits(t, n, 0.95)
    plain = set(f.loc[(k / n > exact_hi) | (k / n < exact_lo), "kelurahan"])
    assert "KelU" in adjusted and len(plain) > len(adjusted) + 5  # the 45 % kelurahan and the two lowest
    assert {o["kelurahan"] for o in fun.outside} == adjusted
    text = outside_text(fun)
    assert "berbeda nyata" in text.lower() and "KelU (di atas 99,8 %)" in text
    assert not any(f"{name} (" in text for name in plain - adjusted)  # counted, never named
    assert f"φ = {phi:.2f}".replace(".", ",") in text
    assert f"{fun.unadjusted['99,8 %']} kelurahan di luar batas 99,8 % ({len(plain)} di luar 95 %)" in text
    en = outside_text(fun, "en")
    assert "Significantly different" in en and "KelU (above 99.8 %)" in en and f"φ = {phi:.2f}" in en
    assert (tmp_path / "funnel.png").stat().st_size > 10_000


def test_winsorise_keeps_missing_values_and_checks_its_share():
    got = S.winsorise([np.nan, 0.0, 1.0, 2.0, 3.0, 4.0], 0.25)
    assert np.isnan(got[0]) and got[1:].tolist() == [1.0, 1.0, 2.0, 3.0, 3.0]
    with pytest.raises(ValueError, match="between 0 and 0.5"):
        S.winsorise([1.0, 2.0], 0.5)
    assert math.isnan(S.overdispersion([None], [0], 0.2))


def _crowded():
    """Eight kelurahan far above and below a city of 30 at 20 %, several at the same size so their names compete for room."""
    k = [120, 118, 116, 20, 22, 24] + [40 + (i * 7) % 41 for i in range(30)]  # the middle spread 40-80 of 300: phi > 1
    n = [300, 300, 300, 300, 300, 300] + [300] * 30
    names = ["Atas Satu", "Atas Dua", "Atas Tiga", "Bawah Satu", "Bawah Dua", "Bawah Tiga"] + [f"Tengah {i}" for i in range(30)]
    return _frame(k, n, names)


@pytest.mark.parametrize("lang, period, words", [
    ("id", "2023", ("Batas 95 % (disesuaikan overdispersi)", "Batas 99,8 % (disesuaikan overdispersi)", "Berbeda nyata: di atas batas 95 %",
                    "Berbeda nyata: di bawah batas 95 %", "Dalam batas: tidak berbeda nyata dari kota")),
    ("en", "2024-08", ("95 % limits (adjusted for overdispersion)", "99.8 % limits (adjusted for overdispersion)",
                       "Significantly different: above the 95 % limit", "Significantly different: below the 95 % limit",
                       "Within the limits: not significantly different from the city")),
])
def test_funnel_figure_says_period_limits_colours_and_phi_with_names_apart(lang, period, words):
    import matplotlib.pyplot as plt

    from serang_gis.analysis.funnel import DOTS, funnel_figure

    fig, fun = funnel_figure(_crowded(), lang=lang, period=period)
    try:
        ax = fig.axes[0]
        assert period in ax.get_title()
        legend = [x.get_text() for x in ax.get_legend().get_texts()]
        for w in words:
            assert w in legend, (w, legend)
        assert len(fun.outside) == 6 and {o["side"] for o in fun.outside} == {"atas", "bawah"}
        colours = {tuple(np.round(c, 3)) for c in ax.collections[0].get_facecolors()}
        from matplotlib.colors import to_rgba
        assert colours == {tuple(np.round(to_rgba(c), 3)) for c, _ in DOTS.values()}  # above, below, inside: the legend's three
        renderer = fig.canvas.get_renderer()
        names = [x for x in ax.texts if x.get_text() in {o["kelurahan"] for o in fun.outside}]
        assert sorted(x.get_text() for x in names) == sorted(o["kelurahan"] for o in fun.outside)
        boxes = [x.get_window_extent(renderer) for x in names]
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
        legend_box = ax.get_legend().get_window_extent(renderer)
        assert not any(b.overlaps(legend_box) for b in boxes)
        caption = " ".join(x.get_text() for x in fig.texts)
        phi = number(fun.phi, 2, lang)
        assert fun.phi > 1 and f"φ = {phi}" in caption and ("φ > 1" in caption)
    finally:
        plt.close(fig)


def _planner():
    """Sixty kelurahan of 300-1400 toddlers measured, 8-30 % stunted (a seeded draw; phi > 1)."""
    rng = np.random.default_rng(4)
    n = rng.integers(300, 1400, 60)
    k = (n * rng.uniform(0.08, 0.3, 60)).astype(int)
    return _frame(list(k), list(n), [f"Kel {i}" for i in range(60)])


def _fixture_atlas():
    """The config atlas's 2023 table (tests.fixtures seed 2): sizes 5-900, names crowded at the right."""
    from . import fixtures as F

    names = {k.kode_kel: k.kelurahan for k in F.kelurahan_list()}
    return pd.DataFrame([dict(kode_kel=c, kelurahan=names[c], **v) for c, v in F.truth_aggregate(2).items()])


def _limit_lines(ax):
    return [x for x in ax.get_lines() if len(x.get_xdata()) > 2]


@pytest.mark.parametrize("lang, title", [("id", "Plot corong prevalensi stunting, 2024"), ("en", "Stunting prevalence funnel plot, 2024")])
def test_funnel_axes_fit_the_data_and_hold_both_limits(lang, title):
    import matplotlib.pyplot as plt

    from serang_gis.analysis.funnel import funnel_figure

    frame = _planner()
    fig, fun = funnel_figure(frame, lang=lang, period="2024")
    try:
        ax = fig.axes[0]
        assert ax.get_title() == title
        lo_n, hi_n = frame["balita_diukur"].min(), frame["balita_diukur"].max()
        x0, x1 = ax.get_xlim()
        assert lo_n / 1.5 <= x0 < lo_n and hi_n < x1 <= hi_n * 1.5, (x0, x1)  # the data's range with a margin, not from 1
        y0, y1 = ax.get_ylim()
        lines = _limit_lines(ax)
        assert len(lines) == 8  # 95 and 99.8 %, upper and lower, adjusted and plain
        for line in lines:  # drawn over the whole x range, and inside the plot
            xs, ys = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
            assert xs.min() <= x0 * 1.001 and xs.max() >= x1 * 0.999
            assert y0 <= ys.min() and ys.max() <= y1, (line.get_label(), ys.min(), ys.max(), (y0, y1))
        lo, hi = fun.limits(np.array([x0]), 0.998)
        assert hi[0] * 100 > frame.eval("pendek / balita_diukur").max() * 100  # the check above is not trivial: the
        caption = " ".join(x.get_text() for x in fig.texts)                   # 99.8 % limit is the highest thing drawn
        assert "tepi atas" not in caption and "leaves the top" not in caption  # nothing clipped, so no note
    finally:
        plt.close(fig)


def test_funnel_clips_the_smallest_sizes_and_says_so():
    import matplotlib.pyplot as plt

    from serang_gis.analysis.funnel import funnel_figure

    fig, fun = funnel_figure(_fixture_atlas(), lang="id", period="2023")
    try:
        ax = fig.axes[0]
        y0, y1 = ax.get_ylim()
        caption = " ".join(" ".join(x.get_text() for x in fig.texts).split())
        m = re.search(r"Batas 99,8 % keluar dari tepi atas grafik bila balita diukur kurang dari (\d+)\.", caption)
        assert m, caption
        below = int(m.group(1))
        assert y1 < 50  # the dots (at most 23 %) are not squeezed under a 0-100 axis
        for line in _limit_lines(ax):
            xs, ys = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
            assert ys[xs > below + 1].max() <= y1 and ys.min() >= y0  # above the size said, every limit is in the plot
        assert max(np.asarray(x.get_ydata())[np.asarray(x.get_xdata()) < below].max() for x in _limit_lines(ax)) > y1
    finally:
        plt.close(fig)


@pytest.mark.parametrize("frame", [_planner, _fixture_atlas, _crowded])
def test_each_funnel_label_is_nearest_its_own_dot_or_led_to_it(frame):
    import matplotlib.pyplot as plt

    from matplotlib.text import Text

    from serang_gis.analysis.funnel import box_distance, funnel_figure

    fig, fun = funnel_figure(frame(), lang="id", period="2023")
    try:
        ax = fig.axes[0]
        renderer = fig.canvas.get_renderer()
        dots = ax.transData.transform(ax.collections[0].get_offsets())
        where = {r.kelurahan: (r.balita_diukur, r.prevalensi) for r in fun.points.itertuples()}
        labels = [x for x in ax.texts if x.get_text() in where]
        assert len(labels) == len(fun.outside) > 2
        led = 0
        for label in labels:
            own = where[label.get_text()]
            assert np.allclose(label.xy, own)  # the annotation is anchored at its own dot
            box = Text.get_window_extent(label, renderer)  # the words only (an Annotation's extent takes in its line)
            mine_px = ax.transData.transform(own)
            assert all(box_distance(box, d) > 0 for d in dots if np.hypot(*(d - mine_px)) > 0.5)  # it covers no other dot
            if label.arrow_patch is not None:  # joined to it by a line
                led += 1
                continue
            mine = box_distance(box, ax.transData.transform(own))
            nearest = min(box_distance(box, d) for d in dots)
            assert mine <= nearest + 1e-6, (label.get_text(), mine, nearest)
        print(f"{frame.__name__}: {len(labels)} labels, {led} with a leader line")
    finally:
        plt.close(fig)
