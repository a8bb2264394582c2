"""Composite priority index, traffic lights, tiers, comparison with a lokus list, and sensitivity.

A profile (TOML) names the indicators, their weights, direction and normalisation, and what to do
with missing values. Scores are normalised so that 0 is the best and 1 the worst kelurahan; the
composite is the weighted mean of the scores present. Missing is never zero: with ``reweight`` a
missing indicator is left out and the other weights rescaled (and the kelurahan says which were
missing); with ``flag`` a kelurahan missing any indicator gets no score.
"""

from __future__ import annotations

import math

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

NORMALISATIONS = ("minmax", "percentile", "zscore")
MISSING = ("reweight", "flag")
LIGHTS = ("hijau", "kuning", "merah")  # green (best third), yellow, red (worst third)


@dataclass(frozen=True)
class Indicator:
    column: str
    weight: float
    direction: str = "higher_worse"
    reason: str = ""
    thresholds: tuple[float, float] | None = None  # traffic light: [yellow from, red from]; default tertiles


@dataclass
class Profile:
    name: str
    indicators: list[Indicator]
    normalisation: str = "minmax"
    missing: str = "reweight"
    top_n: int = 20
    description: str = ""
    source: str = ""

    @property
    def weights(self) -> np.ndarray:
        w = np.array([i.weight for i in self.indicators], dtype=float)
        return w / w.sum()


def load_profile(path: str | Path | None = None) -> Profile:
    """Read a profile TOML (default: the package's default profile); every error names the key."""
    if path is None:
        text, where_ = resources.files("serang_gis").joinpath("data", "profiles", "default.toml").read_text(encoding="utf-8"), "default"
    else:
        where_ = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot read the profile ({exc.strerror})") from None
    try:
        cfg = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where_}: not valid TOML ({exc})") from None
    allowed = {"name", "description", "normalisation", "missing", "top_n", "indicator"}
    for key in cfg:
        if key not in allowed:
            raise InputError(f"{where_}: unknown key {key!r}", hint=f"keys: {', '.join(sorted(allowed))}")
    if cfg.get("normalisation", "minmax") not in NORMALISATIONS:
        raise InputError(f"{where_}: normalisation = {cfg['normalisation']!r}", hint=f"one of {', '.join(NORMALISATIONS)}")
    if cfg.get("missing", "reweight") not in MISSING:
        raise InputError(f"{where_}: missing = {cfg['missing']!r}", hint=f"one of {', '.join(MISSING)}")
    inds = []
    for n, item in enumerate(cfg.get("indicator", []), start=1):
        keyp = f"{where_}: indicator[{n}]"
        extra = set(item) - {"column", "weight", "direction", "reason", "thresholds"}
        if extra:
            raise InputError(f"{keyp}: unknown key(s) {', '.join(sorted(extra))}")
        if "column" not in item or "weight" not in item:
            raise InputError(f"{keyp}: needs column and weight")
        if isinstance(item["weight"], bool) or not isinstance(item["weight"], (int, float)) or not math.isfinite(item["weight"]) \
                or item["weight"] <= 0:
            raise InputError(f"{keyp}.weight: {item['weight']!r} must be a number > 0")
        if item.get("direction", "higher_worse") not in ("higher_worse", "lower_worse"):
            raise InputError(f"{keyp}.direction: {item['direction']!r}", hint="higher_worse or lower_worse")
        th = item.get("thresholds")
        if th is not None and (len(th) != 2 or th[0] > th[1]):
            raise InputError(f"{keyp}.thresholds: give [yellow_from, red_from], ascending")
        inds.append(Indicator(item["column"], float(item["weight"]), item.get("direction", "higher_worse"), item.get("reason", ""),
                              tuple(th) if th else None))
    if not inds:
        raise InputError(f"{where_}: no [[indicator]] tables")
    top_n = cfg.get("top_n", 20)
    if isinstance(top_n, bool) or not isinstance(top_n, int) or not 1 <= top_n <= 100_000:
        raise InputError(f"{where_}: top_n = {top_n!r} must be a whole number >= 1", hint="e.g. top_n = 20")
    return Profile(cfg.get("name", Path(where_).stem), inds, cfg.get("normalisation", "minmax"), cfg.get("missing", "reweight"),
                   int(cfg.get("top_n", 20)), cfg.get("description", ""), where_)


def normalise(values: pd.Series, method: str, direction: str) -> pd.Series:
    """0 = best, 1 = worst (z-scores are mapped through the normal CDF); missing stays missing."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    if direction == "lower_worse":
        v = -v
    if method == "minmax":
        lo, hi = v.min(), v.max()
        out = (v - lo) / (hi - lo) if hi > lo else v * 0 + 0.5
    elif method == "percentile":
        out = (v.rank(method="average") - 1) / max(v.notna().sum() - 1, 1)
    else:
        from math import erf, sqrt

        sd = v.std(ddof=0)
        z = (v - v.mean()) / sd if sd > 0 else v * 0
        out = z.map(lambda x: 0.5 * (1 + erf(x / sqrt(2))) if pd.notna(x) else np.nan)
    return out.where(v.notna())


def _composite(scores: np.ndarray, weights: np.ndarray, missing: str) -> np.ndarray:
    present = ~np.isnan(scores)
    w = present * weights
    wsum = w.sum(axis=1)
    comp = np.where(wsum > 0, np.nansum(np.nan_to_num(scores) * w, axis=1) / np.where(wsum > 0, wsum, 1), np.nan)
    if missing == "flag":
        comp = np.where(present.all(axis=1), comp, np.nan)
    return comp


def _ranks(comp: np.ndarray) -> np.ndarray:
    """1 = highest priority; NaN stays unranked."""
    r = pd.Series(comp).rank(ascending=False, method="min")
    return r.to_numpy()


@dataclass
class Ranking:
    table: pd.DataFrame  # one row per kelurahan: score, rank, tier, lights, contributions, sensitivity
    profile: Profile
    comparison: dict = field(default_factory=dict)
    draws: int = 0
    seed: int | None = None
    notes: list[str] = field(default_factory=list)


def rank(frame: pd.DataFrame, profile: Profile, *, lokus: pd.Series | None = None, draws: int = 1000, seed: int = 42,
         concentration: float = 50.0) -> Ranking:
    """Score, rank and tier every kelurahan of ``frame`` (it needs kode_kel and the profile's columns)."""
    absent = [i.column for i in profile.indicators if i.column not in frame.columns or frame[i.column].isna().all()]
    notes = []
    if absent:
        kept = [i for i in profile.indicators if i.column not in absent]
        if not kept or profile.missing == "flag":
            raise InputError(f"the layer has no data for the profile's indicator(s) {', '.join(absent)} (profile {profile.source})",
                             hint="join the data that carries them, or remove them from the profile")
        notes.append(f"no data at all for {', '.join(absent)}: left out, the other weights rescaled")
        profile = Profile(profile.name, kept, profile.normalisation, profile.missing, profile.top_n, profile.description, profile.source)
    f = frame.reset_index(drop=True)
    scores = np.column_stack([normalise(f[i.column], profile.normalisation, i.direction).to_numpy(dtype=float)
                              for i in profile.indicators])
    w = profile.weights
    comp = _composite(scores, w, profile.missing)
    ranks = _ranks(comp)
    out = pd.DataFrame({"kode_kel": f["kode_kel"], "kelurahan": f.get("kelurahan"), "kecamatan": f.get("kecamatan")})
    out["skor_prioritas"] = np.round(comp, 4)
    out["peringkat"] = pd.Series(ranks).round().astype("Int64")
    n = profile.top_n
    out["prioritas"] = pd.Series(np.select([ranks <= n, ranks <= 2 * n, ~np.isnan(ranks)], ["Prioritas 1", "Prioritas 2", "Prioritas 3"],
                                           default=""), dtype="string").replace("", pd.NA)
    present = ~np.isnan(scores)
    out["indikator_hilang"] = [", ".join(i.column for i, p in zip(profile.indicators, row) if not p) or pd.NA for row in present]
    # contributions: each indicator's share of the composite
    wp = present * w
    denom = wp.sum(axis=1, keepdims=True)
    contrib = np.where(denom > 0, np.nan_to_num(scores) * wp / np.where(denom > 0, denom, 1), np.nan)
    total = np.nansum(contrib, axis=1, keepdims=True)
    share = np.where(total > 0, contrib / np.where(total > 0, total, 1) * 100, np.nan)
    for j, ind in enumerate(profile.indicators):
        out[f"kontribusi_{ind.column}"] = np.round(share[:, j], 1)
        out[f"lampu_{ind.column}"] = _lights(f[ind.column], ind)
    out["penjelasan"] = [_explain(profile, share[k], present[k], comp[k]) for k in range(len(f))]
    if lokus is not None:
        flags = pd.Series(lokus).reset_index(drop=True).fillna(False).astype(bool)
        top = out["prioritas"] == "Prioritas 1"
        out["lokus"] = flags
        out["banding_lokus"] = np.select([flags & top, flags & ~top, ~flags & top],
                                         ["lokus dan Prioritas 1", "lokus, prioritas rendah", "Prioritas 1, bukan lokus"], default="")
        out["banding_lokus"] = out["banding_lokus"].replace("", pd.NA)
    if draws:
        sens = sensitivity(scores, w, profile, draws=draws, seed=seed, concentration=concentration)
        out = pd.concat([out, sens], axis=1)
    result = Ranking(out, profile, draws=draws, seed=seed, notes=notes)
    if lokus is not None:
        result.comparison = {k: out.loc[out["banding_lokus"] == k, "kode_kel"].tolist()
                             for k in ("lokus dan Prioritas 1", "lokus, prioritas rendah", "Prioritas 1, bukan lokus")}
    return result


def _lights(values: pd.Series, ind: Indicator) -> pd.Series:
    v = pd.to_numeric(values, errors="coerce").astype(float)
    if ind.direction == "lower_worse":
        v = -v
    if ind.thresholds:
        lo, hi = ind.thresholds if ind.direction == "higher_worse" else (-ind.thresholds[1], -ind.thresholds[0])
    else:
        present = v.dropna()
        if present.empty:
            return pd.Series(pd.NA, index=v.index, dtype="string")
        lo, hi = present.quantile(1 / 3), present.quantile(2 / 3)
    green, yellow, red = LIGHTS
    light = np.select([v >= hi, v >= lo], [red, yellow], default=green)
    return pd.Series(light, index=v.index, dtype="string").where(v.notna())


def _explain(profile: Profile, share, present, comp) -> str:
    if np.isnan(comp):
        return "tidak ada skor: data indikator tidak lengkap" if profile.missing == "flag" else "tidak ada skor: tidak ada data"
    parts = sorted(((s, i.column) for s, i, p in zip(share, profile.indicators, present) if p), reverse=True)
    text = "; ".join(f"{col} {s:.0f} %" for s, col in parts if s >= 0.5)
    missing = [i.column for i, p in zip(profile.indicators, present) if not p]
    return text + (f" (tanpa data: {', '.join(missing)})" if missing else "")


def sensitivity(scores: np.ndarray, weights: np.ndarray, profile: Profile, *, draws: int, seed: int,
                concentration: float = 50.0) -> pd.DataFrame:
    """Perturb the weights (Dirichlet around the profile's, seeded) and re-rank each time.

    Returns, per kelurahan, the probability of being in the top N, the 5-95 % rank interval, and a
    flag where the tier depends on the weights (top-N probability between 10 % and 90 %).
    """
    rng = np.random.default_rng(seed)
    ws = rng.dirichlet(weights * concentration, size=draws)
    n = profile.top_n
    ranks = np.empty((draws, scores.shape[0]))
    for d in range(draws):
        ranks[d] = _ranks(_composite(scores, ws[d], profile.missing))
    valid = ~np.isnan(ranks).all(axis=0)
    top = np.where(valid, np.nanmean(ranks <= n, axis=0), np.nan)
    lo = np.full(scores.shape[0], np.nan)
    hi = np.full(scores.shape[0], np.nan)
    lo[valid] = np.nanpercentile(ranks[:, valid], 5, axis=0)
    hi[valid] = np.nanpercentile(ranks[:, valid], 95, axis=0)
    return pd.DataFrame({
        "peluang_top_n": np.round(top, 3),
        "peringkat_p5": pd.Series(np.round(lo)).astype("Int64"),
        "peringkat_p95": pd.Series(np.round(hi)).astype("Int64"),
        "tier_peka_bobot": pd.Series((top > 0.1) & (top < 0.9), dtype="boolean").where(valid),
    })


def attach(frame, ranking: Ranking):
    """The layer with the ranking's columns; ranking a ranked layer replaces its old ranking columns."""
    import geopandas as gpd

    new = ranking.table.drop(columns=["kelurahan", "kecamatan"])
    out = frame.drop(columns=[c for c in new.columns if c in frame.columns and c != "kode_kel"]).merge(new, on="kode_kel")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=frame.crs) if "geometry" in out.columns else out
