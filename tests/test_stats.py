"""The statistics against published worked examples and independent computations."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint

from serang_gis.core import stats as S


def test_wilson_matches_newcombe_1998_worked_examples():
    # Newcombe (1998) Stat Med 17:857, Table II, method 3 (score): 81/263, 15/148, 0/20, 1/29, 29/29
    lo, hi = S.wilson_interval([81, 15, 0, 1, 29], [263, 148, 20, 29, 29])
    assert np.round(lo, 4).tolist() == [0.2553, 0.0624, 0.0, 0.0061, 0.8830]
    assert np.round(hi, 4).tolist() == [0.3662, 0.1605, 0.1611, 0.1718, 1.0]


@pytest.mark.parametrize("level", [0.8, 0.9, 0.95, 0.99])
def test_wilson_matches_statsmodels_at_any_level(level):
    rng = np.random.default_rng(3)
    n = rng.integers(1, 400, 200)
    k = rng.binomial(n, rng.uniform(0, 1, 200))
    lo, hi = S.wilson_interval(k, n, level)
    elo, ehi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    np.testing.assert_allclose(lo, elo, atol=1e-12)
    np.testing.assert_allclose(hi, ehi, atol=1e-12)


def test_wilson_missing_in_missing_out():
    lo, hi = S.wilson_interval(pd.Series([3, None, 2], dtype="Float64"), pd.Series([0, 10, None], dtype="Float64"))
    assert np.isnan(lo).all() and np.isnan(hi).all()
    with pytest.raises(ValueError, match="between 0 and 1"):
        S.wilson_interval([1], [2], level=95)


def _eb_by_hand(k, n):
    """The Poisson branch of spdep::EBest with the binomial variance m(1-m), term by term, one area at a time."""
    r = [ki / ni for ki, ni in zip(k, n)]
    m = sum(k) / sum(n)
    s2 = sum(ni * (ri - m) ** 2 for ni, ri in zip(n, r)) / sum(n)
    a = max(s2 - m * (1 - m) / (sum(n) / len(n)), 0)
    return [m + a / (a + m * (1 - m) / ni) * (ri - m) for ni, ri in zip(n, r)]


def test_global_eb_matches_the_formula_and_shrinks_small_areas_most():
    k, n = [1, 2, 30, 50, 5, 8, 60], [2, 5, 100, 200, 8, 40, 150]
    eb = S.eb_global(k, n)
    np.testing.assert_allclose(eb, _eb_by_hand(k, n), rtol=1e-12)
    raw, m = np.array(k) / np.array(n), sum(k) / sum(n)
    share_moved = (raw - eb) / (raw - m)  # 0 = not moved, 1 = all the way to the prior mean
    assert ((share_moved > 0) & (share_moved < 1)).all()
    order = np.argsort(n)
    assert (np.diff(share_moved[order]) < 0).all()  # the more measured, the less it moves


def test_local_eb_shrinks_toward_the_kecamatan_rate_and_the_posterior_agrees():
    k = [1, 2, 30, 50, 5, 8, 0]
    n = [2, 5, 100, 200, 8, 40, 3]
    kec = ["A", "A", "A", "B", "B", "B", "C"]
    prior = S.eb_prior(k, n, kec)
    assert prior.mean[0] == pytest.approx(33 / 107) and prior.mean[3] == pytest.approx(63 / 248)
    assert prior.mean[6] == 0  # a kecamatan of one kelurahan: its own rate, pooled variance
    means = {"A": 33 / 107, "B": 63 / 248, "C": 0.0}
    dev = sum(ni * (ki / ni - means[g]) ** 2 - means[g] * (1 - means[g]) for ki, ni, g in zip(k, n, kec))
    assert prior.variance[6] == pytest.approx(dev / sum(n)) and prior.variance[6] > 0
    own_b = sum(ni * (ki / ni - means["B"]) ** 2 - means["B"] * (1 - means["B"]) for ki, ni, g in zip(k, n, kec) if g == "B") / 248
    assert prior.variance[3] == pytest.approx(own_b) and own_b > 0
    eb = S.eb_estimate(k, n, prior)
    raw = np.array(k) / np.array(n)
    lo, hi = np.minimum(raw, prior.mean), np.maximum(raw, prior.mean)
    assert ((eb >= lo - 1e-12) & (eb <= hi + 1e-12)).all()
    a, b = S.beta_posterior(k, n, prior)
    np.testing.assert_allclose(a / (a + b), eb, rtol=1e-9, atol=1e-8)
    # the posterior is a proper Beta and its draws centre on the EB estimate
    draws = np.random.default_rng(1).beta(a, b, size=(20000, len(k)))
    np.testing.assert_allclose(draws.mean(axis=0), eb, atol=0.01)


def test_eb_weight_is_spdep_binomial_rho_with_n_s2_for_n_minus_1_s2():
    # spdep::EBest(family = "binomial") (Berke): rho = (n s2 - (n/nbar) v) / ((n - 1) s2 + ((nbar - n)/nbar) v)
    k, n = np.array([1, 2, 30, 50, 5, 8, 60.0]), np.array([2, 5, 100, 200, 8, 40, 150.0])
    r, m = k / n, k.sum() / n.sum()
    s2, v, nbar = (n * (r - m) ** 2).sum() / n.sum(), m * (1 - m), n.mean()
    ours = (S.eb_global(k, n) - m) / (r - m)
    np.testing.assert_allclose(ours, (n * s2 - n / nbar * v) / (n * s2 + (nbar - n) / nbar * v), rtol=1e-12)
    rho = (n * s2 - n / nbar * v) / ((n - 1) * s2 + (nbar - n) / nbar * v)
    assert np.abs((m + rho * (r - m)) - S.eb_global(k, n)).max() < 0.0012  # not spdep's binomial branch, but close


def test_eb_missing_areas_stay_missing():
    eb = S.eb_local([3, None, 4], [10, 12, 0], ["A", "A", "A"])
    assert eb[0] == pytest.approx(0.3) and np.isnan(eb[1]) and np.isnan(eb[2])
    assert np.isnan(S.eb_global([None], [None])).all()


def test_funnel_limits_match_the_normal_approximation_for_large_n_and_bracket_the_exact_binomial():
    target = 0.22
    n = np.array([2000, 5000])
    for level in S.FUNNEL_LEVELS:
        lo, hi = S.funnel_limits(target, n, level)
        z = st.norm.ppf(1 - (1 - level) / 2)
        half = z * np.sqrt(target * (1 - target) / n)
        np.testing.assert_allclose(lo, target - half, atol=2e-3)
        np.testing.assert_allclose(hi, target + half, atol=2e-3)
    # small n: the interpolated limit lies between consecutive attainable proportions, at the binomial quantile
    for nn in (7, 20, 45):
        lo, hi = S.funnel_limits(target, [nn], 0.95)
        r = st.binom.ppf(0.975, nn, target)
        assert (r - 1) / nn <= hi[0] <= r / nn
        r = st.binom.ppf(0.025, nn, target)
        assert max(r - 1, 0) / nn <= lo[0] <= r / nn
    lo95, hi95 = S.funnel_limits(target, [50], 0.95)
    lo998, hi998 = S.funnel_limits(target, [50], 0.998)
    assert lo998[0] < lo95[0] < target < hi95[0] < hi998[0]


def test_reliability_classes_and_thresholds():
    got = S.reliability([0, 9, 10, 49, 50, None])
    assert got.tolist()[:5] == ["data terlalu sedikit", "data terlalu sedikit", "hati-hati", "hati-hati", "cukup"]
    assert pd.isna(got[5])
    assert S.reliability([20], few=25, caution=100).tolist() == ["data terlalu sedikit"]
    with pytest.raises(ValueError):
        S.reliability([1], few=50, caution=10)


def test_eb_without_overdispersion_still_moves_small_areas_most():
    # the moment estimate of a is negative here; spdep would set a = 0 and put every area at m
    k, n = [2, 9, 100], [5, 50, 500]
    prior = S.eb_prior(k, n)
    m, nbar = 111 / 555, 555 / 3
    assert prior.variance[0] == pytest.approx(m * (1 - m) / (S.PRIOR_AREAS * nbar))
    eb = S.eb_estimate(k, n, prior)
    raw = np.array(k) / np.array(n)
    moved = (raw[:2] - eb[:2]) / (raw[:2] - m)  # the third area is at m already
    assert moved[0] > moved[1] > 0.9 and moved[1] < 1 and abs(eb[2] - m) < 1e-12
