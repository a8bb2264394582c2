"""Small pure functions for decision-grade rates: intervals, smoothing, funnel limits, reliability.

Every function works on proportions (0-1) held in numpy arrays or pandas Series and returns
arrays of the same length; a missing or zero denominator gives a missing result (NaN), never
zero. The formulas, defaults and references are in docs/statistics.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LEVEL = 0.95  # default confidence level of the Wilson interval
FUNNEL_LEVELS = (0.95, 0.998)  # Spiegelhalter (2005): about 2 and 3 standard deviations
FEW, CAUTION = 10, 50  # reliability thresholds: < FEW "data terlalu sedikit", < CAUTION "hati-hati"
RELIABILITY = ("data terlalu sedikit", "hati-hati", "cukup")


def _st():
    """scipy.stats, imported when a formula needs it: importing it takes seconds, and a build without indicator data
    (the default atlas) or ``--version`` never does."""
    from scipy import stats

    return stats


def _arr(x) -> np.ndarray:
    return pd.to_numeric(pd.Series(np.asarray(x, dtype=object).ravel()), errors="coerce").to_numpy(dtype=float)


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"confidence level {level!r} must be between 0 and 1 (e.g. 0.95)")
    return float(_st().norm.ppf(1 - (1 - level) / 2))


def wilson_interval(k, n, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Wilson (1927) score interval for k successes out of n, as proportions (lower, upper).

    Missing where n is missing or 0, or k is missing. Brown, Cai & DasGupta (2001) recommend it
    over the Wald interval p +- z*sqrt(p(1-p)/n), which collapses to a point at 0 % and 100 %.
    """
    k, n, z = _arr(k), _arr(n), _z(level)
    ok = (n > 0) & ~np.isnan(k)
    nn = np.where(ok, n, 1.0)
    p = np.where(ok, k, 0.0) / nn
    denom = 1 + z * z / nn
    centre = (p + z * z / (2 * nn)) / denom
    half = z * np.sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom
    lo, hi = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    lo, hi = np.where(p == 0, 0.0, lo), np.where(p == 1, 1.0, hi)  # exact ends, no rounding residue
    return np.where(ok, lo, np.nan), np.where(ok, hi, np.nan)


PRIOR_AREAS = 10  # floor of the between-area variance: the prior counts for at most ten average areas


@dataclass(frozen=True)
class Prior:
    """The empirical Bayes prior of each area: its mean and the between-area variance (proportions)."""

    mean: np.ndarray
    variance: np.ndarray


def eb_prior(k, n, groups=None) -> Prior:
    """Method-of-moments prior (Marshall 1991): the Poisson-branch formula of spdep::EBest with the
    binomial variance m (1 - m) in place of m; not spdep's family="binomial" weight (docs/statistics.md).

    Global (``groups`` None): prior mean m = sum(k) / sum(n) over the areas with data; the
    between-area variance a = sum(n (r - m)^2) / sum(n) - m (1 - m) / mean(n), set to 0 when negative.
    Local (``groups`` = the kecamatan of each area): the mean is the group's own rate
    sum(k) / sum(n) within the group, and a is estimated per group in the same way around it.
    A group with a single area, or whose estimate is not positive, takes the pooled estimate of
    all groups (deviations from their own group mean), so that one kelurahan reported in a
    kecamatan is not "smoothed" onto itself. Unlike spdep, which sets a negative estimate to 0
    (every area then takes the prior mean, whatever its size), a is floored at
    m (1 - m) / (PRIOR_AREAS * mean n): the prior never weighs more than ten average areas, so a
    large area always keeps more of its own rate than a small one.
    """
    k, n = _arr(k), _arr(n)
    ok = (n > 0) & ~np.isnan(k)
    r = np.where(ok, k / np.where(ok, n, 1), np.nan)
    mean = np.full(len(k), np.nan)
    var = np.full(len(k), np.nan)
    if not ok.any():
        return Prior(mean, var)
    if groups is None:
        g = np.zeros(len(k), dtype=int)
    else:
        g = pd.factorize(pd.Series(np.asarray(groups, dtype=object)).fillna("?"))[0]
    sk = pd.Series(np.where(ok, k, 0)).groupby(g).transform("sum").to_numpy()
    sn = pd.Series(np.where(ok, n, 0)).groupby(g).transform("sum").to_numpy()
    mean = np.where(sn > 0, sk / np.where(sn > 0, sn, 1), np.nan)
    dev = np.where(ok, n * (r - mean) ** 2, 0.0)
    binom = np.where(ok, mean * (1 - mean), 0.0)  # sum over areas of m(1-m) = count * m(1-m)
    frame = pd.DataFrame({"g": g, "dev": dev, "binom": binom, "n": np.where(ok, n, 0), "ok": ok})
    per = frame.groupby("g").agg(dev=("dev", "sum"), binom=("binom", "sum"), n=("n", "sum"), areas=("ok", "sum"))
    pooled = max((per["dev"].sum() - per["binom"].sum()) / per["n"].sum(), 0.0)
    own = ((per["dev"] - per["binom"]) / per["n"].where(per["n"] > 0)).where(per["areas"] > 1)
    own = own.where(own > 0, pooled) if groups is not None else own.fillna(pooled).clip(lower=0)
    var = own.reindex(g).to_numpy(dtype=float)
    # the prior never weighs more than PRIOR_AREAS average kelurahan: a >= m(1-m) / (PRIOR_AREAS * mean n)
    mean_n = per["n"].sum() / per["areas"].sum()
    var = np.maximum(var, np.nan_to_num(mean * (1 - mean)) / (PRIOR_AREAS * mean_n))
    return Prior(np.where(np.isnan(mean), np.nan, mean), np.where(np.isnan(mean), np.nan, var))


def eb_estimate(k, n, prior: Prior) -> np.ndarray:
    """Shrunken rate m + C (r - m), C = a / (a + m (1 - m) / n): small areas move most towards m."""
    k, n = _arr(k), _arr(n)
    ok = (n > 0) & ~np.isnan(k) & ~np.isnan(prior.mean)
    nn = np.where(ok, n, 1)
    r = np.where(ok, k, 0) / nn
    m, a = np.nan_to_num(prior.mean), np.nan_to_num(prior.variance)
    noise = m * (1 - m) / nn
    c = np.where(a + noise > 0, a / np.where(a + noise > 0, a + noise, 1), 1.0)
    return np.where(ok, m + c * (r - m), np.nan)


def eb_local(k, n, groups) -> np.ndarray:
    """EB estimate shrunk toward each group's (kecamatan's) rate: the default smoothing."""
    return eb_estimate(k, n, eb_prior(k, n, groups))


def eb_global(k, n) -> np.ndarray:
    """EB estimate shrunk toward the rate of all areas (the kab/kota rate)."""
    return eb_estimate(k, n, eb_prior(k, n))


PRIOR_SIZE_CAP = 1e7  # a zero between-area variance: the prior is (almost) a point at m


def beta_posterior(k, n, prior: Prior) -> tuple[np.ndarray, np.ndarray]:
    """Beta(alpha, beta) posterior of each area's rate under the EB prior.

    The prior is Beta(m s, (1 - m) s) with s = m (1 - m) / a, the prior "sample size" the EB
    estimate uses, so that the posterior mean (alpha) / (alpha + beta) equals ``eb_estimate``.
    With a = 0, s is capped at PRIOR_SIZE_CAP; a prior mean of exactly 0 or 1 is nudged by 1e-9
    so that both parameters stay positive. Missing where the area has no data.
    """
    k, n = _arr(k), _arr(n)
    ok = (n > 0) & ~np.isnan(k) & ~np.isnan(prior.mean)
    m = np.clip(np.nan_to_num(prior.mean), 1e-9, 1 - 1e-9)
    a = np.nan_to_num(prior.variance)
    s = np.where(a > 0, m * (1 - m) / np.where(a > 0, a, 1), PRIOR_SIZE_CAP)
    s = np.minimum(s, PRIOR_SIZE_CAP)
    alpha = m * s + np.where(ok, k, 0)
    beta = (1 - m) * s + np.where(ok, n - k, 0)
    return np.where(ok, alpha, np.nan), np.where(ok, beta, np.nan)


def funnel_limits(target: float, n, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Control limits of a proportion for sample sizes ``n`` around ``target`` (Spiegelhalter 2005).

    Exact binomial limits with the paper's interpolation (Appendix A.1.1): r_p is the p-quantile of
    Binomial(n, target) and the limit is (r_p - alpha) / n with
    alpha = (F(r_p) - p) / (F(r_p) - F(r_p - 1)); p = (1 - level) / 2 and 1 - (1 - level) / 2.
    """
    n = _arr(n)
    if not 0 <= target <= 1:
        raise ValueError(f"funnel target {target!r} must be a proportion between 0 and 1")
    _z(level)
    out = []
    for p in ((1 - level) / 2, 1 - (1 - level) / 2):
        ok = n > 0
        nn = np.where(ok, np.round(n), 1)
        r = _st().binom.ppf(p, nn, target)
        f_r, f_r1 = _st().binom.cdf(r, nn, target), _st().binom.cdf(r - 1, nn, target)
        step = f_r - f_r1
        alpha = np.where(step > 0, (f_r - p) / np.where(step > 0, step, 1), 0.0)
        out.append(np.where(ok, np.clip((r - alpha) / nn, 0, 1), np.nan))
    return out[0], out[1]


WINSOR = 0.10  # Spiegelhalter (2005): z-scores winsorised at their 10th and 90th percentiles before estimating phi


def funnel_z(k, n, target: float) -> np.ndarray:
    """z-score of each area against the target: (k/n - target) / sqrt(target (1 - target) / n); missing without data."""
    k, n = _arr(k), _arr(n)
    ok = (n > 0) & ~np.isnan(k)
    nn = np.where(ok, n, 1)
    sd = np.sqrt(target * (1 - target) / nn)
    z = np.where(sd > 0, (np.where(ok, k, 0) / nn - target) / np.where(sd > 0, sd, 1), 0.0)
    return np.where(ok, z, np.nan)


def winsorise(z, q: float = WINSOR) -> np.ndarray:
    """Values below the q-quantile set to it, above the (1 - q)-quantile set to it (numpy's linear
    quantile, R type 7, as FunnelPlotR); missing values stay missing."""
    z = _arr(z)
    if not 0 <= q < 0.5:
        raise ValueError(f"winsorising share {q!r} must be between 0 and 0.5 (e.g. 0.1)")
    ok = ~np.isnan(z)
    if not ok.any():
        return z
    lo, hi = np.quantile(z[ok], [q, 1 - q])
    return np.where(ok, np.clip(z, lo, hi), np.nan)


def overdispersion(k, n, target: float, q: float = WINSOR) -> float:
    """Multiplicative overdispersion phi = mean of the squared winsorised z-scores (Spiegelhalter 2005).

    About 1 when the areas differ only by chance; 25 means the spread of their rates is five times
    what binomial chance gives. NaN when no area has data.
    """
    z = winsorise(funnel_z(k, n, target), q)
    z = z[~np.isnan(z)]
    return float(np.mean(z * z)) if len(z) else float("nan")


def between_variance(k, n, target: float, phi: float) -> float:
    """Additive random-effects variance tau^2 (Spiegelhalter 2005, after DerSimonian & Laird 1986).

    tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w), w = 1 / s^2, s^2 = target (1 - target) / n;
    0 when I phi <= I - 1. Proportions squared.
    """
    k, n = _arr(k), _arr(n)
    ok = (n > 0) & ~np.isnan(k)
    if not ok.any() or not 0 < target < 1:
        return 0.0
    w = n[ok] / (target * (1 - target))
    count = int(ok.sum())
    if count * phi <= count - 1:
        return 0.0
    return float((count * phi - (count - 1)) / (w.sum() - (w * w).sum() / w.sum()))


def funnel_limits_adjusted(target: float, n, level: float, phi: float = 1.0, tau2: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Limits widened for overdispersion: target +- z sqrt(phi) sd(n), or target +- z sqrt(sd(n)^2 + tau2).

    sd(n) = sqrt(target (1 - target) / n). With phi <= 1 and tau2 = 0 there is nothing to adjust:
    the exact binomial ``funnel_limits`` are returned unchanged. Give phi (multiplicative) or tau2
    (additive), not both. Clipped to 0-1; missing without n.
    """
    if phi > 1 and tau2 > 0:
        raise ValueError("give either phi (multiplicative) or tau2 (additive) overdispersion, not both")
    if not (phi > 1 or tau2 > 0):
        return funnel_limits(target, n, level)
    n, z = _arr(n), _z(level)
    ok = n > 0
    var = target * (1 - target) / np.where(ok, n, 1)
    half = z * np.sqrt(var * max(phi, 1.0) + tau2)
    return np.where(ok, np.clip(target - half, 0, 1), np.nan), np.where(ok, np.clip(target + half, 0, 1), np.nan)


def reliability(n, few: int = FEW, caution: int = CAUTION) -> pd.Series:
    """"data terlalu sedikit" (n < few), "hati-hati" (few <= n < caution), "cukup"; missing without n."""
    if not 0 < few <= caution:
        raise ValueError(f"reliability thresholds {few}, {caution}: give 0 < few <= caution")
    n = _arr(n)
    cls = np.select([n < few, n < caution, n >= caution], list(RELIABILITY), default="")
    return pd.Series(cls, dtype="string").replace("", pd.NA)
