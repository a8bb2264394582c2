"""Composite priority index, traffic lights, tiers, comparison with a lokus list, and uncertainty.

A profile (TOML) names the indicators, their weights, direction, which are *core*, the
normalisation and the missing-data policy. Scores are normalised so that 0 is the best and 1 the
worst kelurahan; the composite is the weighted mean of the scores present. The method, its
defaults and why: docs/prioritization.md; the statistics behind it: docs/statistics.md.

- Missing is never zero. Default ``missing = "core"``: a kelurahan without a core indicator (the
  stunting figures) is *not ranked, needs data*; a missing non-core indicator is left out and the
  other weights rescaled (and listed). ``reweight`` rescales for every indicator (an explicit
  choice); ``flag`` ranks only kelurahan with every indicator.
- Rates are the empirical Bayes estimates by default (``estimate = "eb"``), and every draw of the
  uncertainty analysis combines Dirichlet-perturbed weights with a draw of each rate from its Beta
  posterior: P(top N), the 90 % rank interval and "lokus kuat" / "perbatasan" reflect both.
- N scales with the kelurahan actually ranked; ties are broken by a fixed rule (``tie_order``).
- Issue 18: fewer than FEW (10) toddlers measured is *perlu data* (no rank, light or lokus verdict);
  10-49 measured and coverage below LOW_COVERAGE are ranked with ``peringatan_data``; a partial
  period (< PARTIAL_SHARE of the layer with data) says so and judges no lokus outside the data
  (NOT_JUDGED); the stunted count is drawn as measured x the drawn rate; P is never rounded before
  a cut; with draws the tiers come from the same draws (``tiers_from_draws``); lights are on the
  ranked value; a weight moved from an indicator without data is a warning in every product.
"""

from __future__ import annotations


from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from serang_gis.core import indicators as ind_mod
from serang_gis.core import stats
from serang_gis.core.choices import DRAWS
from serang_gis.core.errors import InputError
from serang_gis.core.numbers import count, number
from serang_gis.core.text import TEXT, Msg, indicator_label  # read as data: TEXT[lang][key]

from serang_gis.read.profile import (  # noqa: E402  (re-exported: priority.Profile, priority.load_profile)
    ESTIMATES, LIGHTS, MISSING, NORMALISATIONS, WINSOR, Indicator, Profile, load_profile,
)

SETTLE_Z = 3.0  # a flag or tier boundary is settled when P is more than this many Monte Carlo errors from it
MORE_DRAWS = 16  # while one is not, more draws: up to this many times the draws asked for
RANK_CELLS = 20_000_000  # ... and no more than this many draws x kelurahan
STRONG, BORDER = 0.8, 0.2  # P(top N) >= STRONG: "lokus kuat"; BORDER <= P < STRONG: "perbatasan" (P unrounded)
NOT_RANKED = "tidak diperingkat: perlu data"
NOT_JUDGED = "lokus, tidak dinilai"  # a lokus outside the reporting kelurahan of a partial period
FEW, CAUTION = stats.FEW, stats.CAUTION  # < 10 balita diukur: perlu data (not ranked); 10-49: ranked with a caution
LOW_COVERAGE = 0.5  # balita diukur / sasaran balita (or the previous period's count) below this: "cakupan rendah"
PARTIAL_SHARE = 0.8  # fewer kelurahan with data than this share of the layer: a partial period
GIZI = ("prevalensi_stunting", "balita_stunting")  # indicators that rest on balita diukur
COUNT_RATE = {"balita_stunting": "prevalensi_stunting"}  # a count drawn as (its rate's denominator) x (drawn rate)
PREVIOUS = "balita_diukur_sebelumnya"  # coverage base where no sasaran_balita is given
ODF_DECLARED = ("ODF deklarasi", "ODF terverifikasi", "STBM")
SANITATION_KK, SANITATION_SHARE = 50, 5.0  # "high" KK tanpa jamban for an ODF kelurahan: >= 50 KK or >= 5 % of KK


def _average_ranks(v: np.ndarray) -> np.ndarray:
    """Ranks (1 = lowest) of each row's values, NaN kept; ties share their average rank (as scipy's rankdata,
    which is used when a row has ties: one argsort is enough for the draws, whose values do not tie)."""
    order = np.argsort(v, axis=1, kind="stable")  # NaN last
    ordered = np.take_along_axis(v, order, axis=1)
    if np.any(ordered[:, 1:] == ordered[:, :-1]):
        from scipy import stats as st  # here: importing scipy.stats takes seconds a build without ranks never needs

        return st.rankdata(v, axis=1, method="average", nan_policy="omit")
    r = np.empty_like(v)
    np.put_along_axis(r, order, np.broadcast_to(np.arange(1, v.shape[1] + 1, dtype=float), v.shape), axis=1)
    return np.where(np.isnan(v), np.nan, r)


def normalise_matrix(v: np.ndarray, method: str, direction: str, winsor: float = WINSOR) -> np.ndarray:
    """Each row (one draw) of values over kelurahan -> 0 = best, 1 = worst; NaN stays NaN."""
    v = np.array(v, dtype=float, ndmin=2)
    if direction == "lower_worse":
        v = -v
    present = ~np.isnan(v)
    if method == "percentile":
        r = _average_ranks(v)
        count = present.sum(axis=1, keepdims=True)
        out = (r - 1) / np.maximum(count - 1, 1)
        out = np.where(count > 1, out, 0.5)
    elif method in ("minmax", "winsor"):
        if method == "winsor" and winsor > 0:
            # count-based: the lowest and highest ceil-ish share of the values take their neighbour's value
            filled = np.where(present.any(axis=1, keepdims=True), v, 0)
            with np.errstate(all="ignore"):
                lo_q = np.nanquantile(filled, winsor, axis=1, keepdims=True, method="higher")
                hi_q = np.nanquantile(filled, 1 - winsor, axis=1, keepdims=True, method="lower")
            v = np.clip(v, lo_q, hi_q)
        with np.errstate(all="ignore"):
            lo = np.nanmin(np.where(present, v, np.inf), axis=1, keepdims=True)
            hi = np.nanmax(np.where(present, v, -np.inf), axis=1, keepdims=True)
            out = np.where(hi > lo, (v - lo) / np.where(hi > lo, hi - lo, 1), 0.5)
    elif method == "zscore":
        from scipy import stats as st

        with np.errstate(all="ignore"):
            mean = np.nanmean(np.where(present, v, np.nan), axis=1, keepdims=True)
            sd = np.nanstd(np.where(present, v, np.nan), axis=1, keepdims=True)
            out = st.norm.cdf(np.where(sd > 0, (v - mean) / np.where(sd > 0, sd, 1), 0.0))
    else:
        raise InputError(f"normalisation {method!r}", hint=f"one of {', '.join(NORMALISATIONS)}")
    return np.where(present, out, np.nan)


def normalise(values: pd.Series, method: str, direction: str, winsor: float = WINSOR) -> pd.Series:
    """0 = best, 1 = worst (z-scores are mapped through the normal CDF); missing stays missing."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    return pd.Series(normalise_matrix(v.to_numpy(), method, direction, winsor)[0], index=values.index)


def _composite(scores: np.ndarray, weights: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """scores (..., units, indicators), weights (..., indicators) -> weighted mean of the scores present."""
    present = ~np.isnan(scores)
    w = present * weights[..., None, :]
    wsum = w.sum(axis=-1)
    comp = np.where(wsum > 0, (np.nan_to_num(scores) * w).sum(axis=-1) / np.where(wsum > 0, wsum, 1), np.nan)
    return np.where(eligible, comp, np.nan)


def _ranks(comp: np.ndarray, tie_pos: np.ndarray) -> np.ndarray:
    """1 = highest priority, unique (ties broken by ``tie_pos``, lower first); NaN stays unranked. Works per row."""
    comp = np.array(comp, dtype=float, ndmin=2)
    order = np.argsort(tie_pos, kind="stable")  # units in tie-break order
    key = -comp[:, order]
    srt = np.argsort(key, axis=1, kind="stable")  # NaN last; equal scores keep the tie-break order
    ranks = np.empty_like(comp)
    rows = np.arange(comp.shape[0])[:, None]
    ranks[rows, order[srt]] = np.arange(1, comp.shape[1] + 1)
    return np.where(np.isnan(comp), np.nan, ranks)


@dataclass
class Ranking:
    table: pd.DataFrame  # one row per kelurahan: score, rank, tier, lights, contributions, uncertainty
    profile: Profile
    comparison: dict = field(default_factory=dict)
    draws: int = 0
    seed: int | None = None
    notes: list[str] = field(default_factory=list)
    ranked: int = 0  # kelurahan with a rank
    total: int = 0  # kelurahan in the layer
    top_n: int = 0  # N actually used: the profile's top_n scaled to the kelurahan ranked
    mcse_max: float = float("nan")  # largest Monte Carlo standard error of P(top N)
    draws_used: int = 0  # draws actually made: more than ``draws`` where a flag or tier sat at its cut
    partial: str = ""  # the sentence saying the period is partial (also in notes), empty when it is not

    def summary(self, lang: str = "en") -> list[str]:
        """Sentences every product can carry: how many were ranked, N, and the uncertainty (in ``lang``; the terminal: English)."""
        L = TEXT[lang]
        scaled = L["rank.sum_scaled"].format(n=self.profile.top_n, ranked=self.ranked) if self.top_n != self.profile.top_n else ""
        lines = [L["rank.sum_ranked"].format(ranked=self.ranked, total=self.total, name=self.profile.name, top=self.top_n, scaled=scaled)]
        if self.draws and self.ranked:  # nobody ranked (no data the profile needs): no draws were made
            t = self.table
            more = L["rank.sum_more"].format(used=count(self.draws_used, lang), most=MORE_DRAWS) if self.draws_used > self.draws else ""
            lines.append(L["rank.sum_uncertainty"].format(
                draws=count(self.draws, lang), more=more, conc=number(self.profile.concentration, 1, lang, trim=True), seed=self.seed,
                strong=int((t["status_lokus"] == "lokus kuat").sum()), border=int((t["status_lokus"] == "perbatasan").sum()),
                top=self.top_n, mcse=number(self.mcse_max, 3, lang)))
        if self.partial:
            lines.append(self.partial)
        return lines


def _rate_draws(f: pd.DataFrame, rate: str, estimate: str, rng, draws: int):
    """(denominator, point rate or None for raw, draws of the rate as a fraction) of a rate with counts, or None."""
    counts = ind_mod.RATE_COUNTS.get(rate)
    if counts is None or counts[1] not in f.columns or not ind_mod._num(f, counts[1]).notna().any():
        return None
    k = counts[0](f).astype(float).to_numpy()
    n = ind_mod._num(f, counts[1]).astype(float).to_numpy()
    prior = stats.eb_prior(k, n, ind_mod.kecamatan_of(f).to_numpy())
    if estimate == "eb":
        mean = stats.eb_estimate(k, n, prior)
        a, b = stats.beta_posterior(k, n, prior)
    else:
        mean = None  # raw: the column's own value
        ok = (n > 0) & ~np.isnan(k)
        a, b = np.where(ok, k + 0.5, np.nan), np.where(ok, n - k + 0.5, np.nan)  # Jeffreys
    d = None
    if draws:
        ok = ~np.isnan(a)
        d = np.full((draws, len(f)), np.nan)
        d[:, ok] = rng.beta(a[ok], b[ok], size=(draws, int(ok.sum())))
    return n, mean, d


def _values(f: pd.DataFrame, profile: Profile, rng: np.random.Generator | None, draws: int):
    """Point values (units x indicators) and, with draws, their draws (draws x units x indicators).

    A rate with counts: its EB estimate (or the raw value) and draws from its posterior. A count with a rate
    (balita_stunting): balita diukur x the (smoothed) rate, drawn as balita diukur x the same drawn rate, so that
    the count carries the sampling uncertainty of its rate. Anything else is held as given.
    """
    point = np.full((len(f), len(profile.indicators)), np.nan)
    drawn = np.full((draws, len(f), len(profile.indicators)), np.nan) if draws else None
    rates: dict = {}  # rate -> its draws, shared by the rate and its count
    for j, ind in enumerate(profile.indicators):
        col = ind.column
        values = pd.to_numeric(f[col].astype("Float64") if col in f.columns else pd.Series(np.nan, index=f.index),
                               errors="coerce").astype(float).to_numpy()
        rate = COUNT_RATE.get(col, col)
        if rate not in rates:
            rates[rate] = _rate_draws(f, rate, profile.estimate, rng, draws)
        got = rates[rate]
        if got is None:
            point[:, j] = values
            if draws:
                drawn[:, :, j] = values
            continue
        n, mean, d = got
        scale = 100 if rate == col else n
        point[:, j] = values if mean is None else mean * scale
        if draws:
            drawn[:, :, j] = d * scale
        # a value given without its counts keeps its value (and no draw)
        gap = np.isnan(point[:, j]) & ~np.isnan(values)
        point[gap, j] = values[gap]
        if draws:
            held = np.isnan(drawn[0, :, j]) & ~np.isnan(point[:, j])
            drawn[:, held, j] = point[held, j]
    return point, drawn


def tie_order(f: pd.DataFrame, point: np.ndarray, profile: Profile) -> np.ndarray:
    """Tie-break position of each kelurahan: the worse value of the highest-weighted indicator first, then
    the next indicators by weight, then the kelurahan code (ascending)."""
    keys = [f["kode_kel"].astype(str).to_numpy()]
    for j in np.argsort(-profile.weights, kind="stable")[::-1]:
        sign = -1 if profile.indicators[j].direction == "higher_worse" else 1
        keys.append(np.nan_to_num(sign * point[:, j], nan=np.inf))
    order = np.lexsort(keys)
    pos = np.empty(len(f), dtype=int)
    pos[order] = np.arange(len(f))
    return pos


def scaled_top_n(top_n: int, ranked: int, total: int) -> int:
    """The profile's N for the whole layer, scaled to the kelurahan actually ranked (at least 1)."""
    if ranked == 0:
        return 0
    if ranked >= total:
        return min(top_n, ranked)
    return max(1, min(ranked, int(np.floor(top_n * ranked / total + 0.5))))


def rank(frame: pd.DataFrame, profile: Profile, *, lokus: pd.Series | None = None, draws: int | None = None, seed: int = 42,
         concentration: float | None = None, lokus_label: str = "lokus", lang: str = "id") -> Ranking:
    """Score, rank and tier every kelurahan of ``frame`` (it needs kode_kel and the profile's columns)."""
    draws = DRAWS if draws is None else draws
    if concentration is not None:
        profile = replace(profile, concentration=float(concentration))
    profile, notes, nobody, moved = _without_absent(frame, profile, lang)
    f = frame.reset_index(drop=True)
    rng = np.random.default_rng(seed)
    point, drawn = _values(f, profile, rng, draws)
    present = ~np.isnan(point)
    reporting = _eligible(present, profile, nobody)  # has the data the missing-data policy asks for
    measured = ind_mod._num(f, "balita_diukur").astype(float).to_numpy()
    few = reporting & (measured < FEW) if any(i.column in GIZI for i in profile.indicators) else np.zeros(len(f), bool)
    eligible = reporting & ~few
    w = profile.weights
    # normalised among the kelurahan that are ranked only
    scores = np.stack([normalise_matrix(np.where(eligible, point[:, j], np.nan)[None, :], profile.normalisation, i.direction,
                                        profile.winsor)[0] for j, i in enumerate(profile.indicators)], axis=1)
    comp = _composite(scores, w, eligible)
    ties = tie_order(f, point, profile)
    ranks = _ranks(comp, ties)[0]
    n_ranked = int(eligible.sum())
    n = scaled_top_n(profile.top_n, n_ranked, len(f))
    out = _tier_table(f, profile, point, present, eligible, comp, ranks, n)
    _add_explanations(out, f, profile, scores, present, comp, eligible, point)
    out["cek_sanitasi"] = sanitation_check(f)
    partial = bool(reporting.any()) and reporting.sum() < PARTIAL_SHARE * len(f)
    _add_cautions(out, f, profile, few, eligible, measured, notes, lang)
    out["periode_sebagian"] = pd.Series(TEXT["id"]["rank_partial_cell"].format(n=int(reporting.sum()), total=len(f)) if partial else pd.NA,
                                        index=out.index, dtype="string")
    out["bobot_dipindah"] = pd.Series(moved or pd.NA, index=out.index, dtype="string")
    if n_ranked < len(f):  # in the notes, so that every product (CLI, build index) says it
        names = ", ".join(str(x) for x in out.loc[~eligible, "kelurahan" if out["kelurahan"].notna().any() else "kode_kel"][:12])
        notes.append(Msg("rank.note_not_ranked", n=len(f) - n_ranked, names=names + (" ..." if len(f) - n_ranked > 12 else "")))
    if partial:
        notes.append(TEXT[lang]["rank_partial"].format(n=int(reporting.sum()), total=len(f), share=f"{PARTIAL_SHARE * 100:.0f}"))
    result = Ranking(out, profile, draws=draws, seed=seed, notes=notes, ranked=n_ranked, total=len(f), top_n=n)
    result.partial = notes[-1] if partial else ""
    if draws and n_ranked:
        out = _with_draws(result, f, drawn, eligible, ties, ranks, rng, lang)
    if lokus is not None:
        outside = ~reporting if partial else np.zeros(len(f), bool)
        result.table, result.comparison = _compare(out, lokus, bool(draws and n_ranked), outside)
        k, m = len(result.comparison[NOT_JUDGED]), int(result.table["lokus"].sum())
        if k:
            result.notes.append(TEXT[lang]["rank_not_judged"].format(k=k, m=m, label=lokus_label))
    return result


def _with_draws(result: Ranking, f: pd.DataFrame, drawn: np.ndarray, eligible: np.ndarray, ties: np.ndarray,
                point_ranks: np.ndarray, rng: np.random.Generator, lang: str) -> pd.DataFrame:
    """The uncertainty columns and the tiers from the draws: more draws while a flag or tier sits at its cut
    (``settled_ranks``), and a note naming the kelurahan that are still at one."""
    profile, n = result.profile, result.top_n

    def more(k: int) -> np.ndarray:
        return _draw_ranks(_values(f, profile, rng, k)[1], profile.weights, profile, eligible, ties, rng)

    cap = max(result.draws, min(MORE_DRAWS * result.draws, RANK_CELLS // max(1, len(f))))
    first = _draw_ranks(drawn, profile.weights, profile, eligible, ties, rng)
    ranks, still = settled_ranks(first, more, cap, n, point_ranks, eligible)
    result.draws_used = len(ranks)
    sens = uncertainty(ranks, eligible, n, still, lang)
    result.mcse_max = float(np.nanmax(sens["galat_mc"])) if sens["galat_mc"].notna().any() else 0.0
    out = pd.concat([result.table, sens], axis=1)
    out["prioritas"] = tiers_from_draws(out["peluang_top_n"].to_numpy(), out["peluang_top_2n"].to_numpy(), point_ranks, n)
    names = out.loc[still & eligible, "kelurahan"].fillna(out["kode_kel"]).astype(str).tolist()
    if names:
        result.notes.append(TEXT[lang]["rank_at_cut"].format(names=", ".join(names), draws=count(len(ranks), lang)))
    result.table = out
    return out


def tiers_from_draws(top: np.ndarray, top2: np.ndarray, ranks: np.ndarray, n: int) -> pd.Series:
    """Tiers from the same draws as P: Prioritas 1 = the N kelurahan with the highest P(top N) (ties: P(top 2N),
    then the point rank), Prioritas 2 = the N of the others with the highest P(top 2N) (ties: P(top N), then the
    point rank), Prioritas 3 the rest. So no Prioritas 1 has a lower P(top N) than a Prioritas 2, and no
    Prioritas 2 a lower P(top 2N) than a Prioritas 3."""
    by_top, by_top2 = _tier_order(top, top2, ranks, n)
    tier = np.full(len(ranks), "", dtype=object)
    tier[by_top] = "Prioritas 3"
    tier[by_top2[:n]] = "Prioritas 2"
    tier[by_top[:n]] = "Prioritas 1"
    return pd.Series(tier, dtype="string").replace("", pd.NA)


def coverage(f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """balita diukur / sasaran balita (or, where no sasaran is given, / the previous period's balita diukur,
    column ``balita_diukur_sebelumnya``) per kelurahan, as a fraction (NaN where neither), and which base was used."""
    measured = ind_mod._num(f, "balita_diukur").astype(float).to_numpy()
    sasaran = ind_mod._num(f, "sasaran_balita").astype(float).to_numpy()
    previous = ind_mod._num(f, PREVIOUS).astype(float).to_numpy()
    use_sasaran = sasaran > 0
    base = np.where(use_sasaran, sasaran, np.where(previous > 0, previous, np.nan))
    kind = np.where(use_sasaran, "sasaran", np.where(previous > 0, "previous", ""))
    with np.errstate(all="ignore"):
        return measured / base, kind


def _add_cautions(out: pd.DataFrame, f: pd.DataFrame, profile: Profile, few: np.ndarray, eligible: np.ndarray,
                  measured: np.ndarray, notes: list[str], lang: str) -> None:
    """peringatan_data (perlu data / hati-hati / cakupan rendah) and cakupan_persen per kelurahan, and the notes."""
    gizi = any(i.column in GIZI for i in profile.indicators)
    caution = eligible & (measured < CAUTION) if gizi else np.zeros(len(f), bool)
    cov, kind = coverage(f)
    low = (cov < LOW_COVERAGE) & (measured > 0) if gizi else np.zeros(len(f), bool)
    out["cakupan_persen"] = np.round(cov * 100, 1)
    cells = []
    for i in range(len(f)):
        parts = []
        if few[i]:
            parts.append(TEXT["id"]["rank_few"].format(n=int(measured[i]), few=FEW))
        elif caution[i]:
            parts.append(TEXT["id"]["rank_caution"].format(n=int(measured[i]), few=FEW, last=CAUTION - 1))
        if low[i]:
            base = TEXT["id"]["rank_base_sasaran" if kind[i] == "sasaran" else "rank_base_previous"]
            parts.append(TEXT["id"]["rank_low_coverage"].format(share=f"{cov[i] * 100:.0f}", base=base, limit=f"{LOW_COVERAGE * 100:.0f}"))
        cells.append("; ".join(parts) or pd.NA)
    out["peringatan_data"] = pd.Series(cells, index=out.index, dtype="string")
    for i in np.flatnonzero(few):
        out.iat[i, out.columns.get_loc("penjelasan")] = TEXT["id"]["rank_not_ranked_few"].format(n=int(measured[i]), few=FEW)
    label = out["kelurahan"] if out["kelurahan"].notna().any() else out["kode_kel"]

    def names(mask):
        got = [str(x) for x in label[mask]]
        return ", ".join(got[:12]) + (" ..." if len(got) > 12 else "")
    if few.any():
        notes.append(TEXT[lang]["rank_note_few"].format(k=int(few.sum()), few=FEW, names=names(few)))
    if caution.any():
        notes.append(TEXT[lang]["rank_note_caution"].format(k=int(caution.sum()), few=FEW, last=CAUTION - 1, names=names(caution)))
    if low.any():
        base = TEXT[lang]["rank_base_sasaran"] if (kind[low] == "sasaran").all() else TEXT[lang]["rank_base_sasaran"] + " / " + TEXT[lang]["rank_base_previous"]
        notes.append(TEXT[lang]["rank_note_coverage"].format(k=int(low.sum()), limit=f"{LOW_COVERAGE * 100:.0f}", base=base, names=names(low)))


def _without_absent(frame: pd.DataFrame, profile: Profile, lang: str = "id") -> tuple[Profile, list[str], bool, str]:
    """The profile without the indicators the layer has no data for, the notes saying so (a warning: their weight
    moves to the others), whether a core indicator is among them so that no kelurahan can be ranked
    (missing = "core"), and the cell every row of the rank table carries about the moved weight."""
    absent = [i.column for i in profile.indicators if i.column not in frame.columns or frame[i.column].isna().all()]
    notes, nobody, moved = [], False, ""
    if absent:
        kept = [i for i in profile.indicators if i.column not in absent]
        if not kept or profile.missing == "flag":
            raise InputError(f"the layer has no data for the profile's indicator(s) {', '.join(absent)} (profile {profile.source})",
                             hint="join the data that carries them, or remove them from the profile")
        core_absent = [i.column for i in profile.indicators if i.column in absent and i.core]
        share = number(sum(w for i, w in zip(profile.indicators, profile.weights) if i.column in absent) * 100, 0, "id")
        notes.append(TEXT[lang]["rank_weight_moved"].format(cols=_labels(absent, lang), share=share))
        other = [c for c in JAMBAN_OTHER if c in frame.columns and frame[c].notna().any()]
        if other and {"kesenjangan_sanitasi", "tanpa_jamban"} & set(absent):  # jamban data given, of another measure
            notes.append(TEXT[lang]["rank_jamban_other"].format(cols=_labels(other, lang)))
        if "belum_odf" in absent and "status_odf" in frame.columns and frame["status_odf"].notna().any():
            notes.append(TEXT[lang]["rank_odf_embedded"].format(n=int(frame["status_odf"].notna().sum())))
        moved = TEXT["id"]["rank_weight_moved_cell"].format(cols=_labels(absent, "id"), share=share)
        if core_absent and profile.missing == "core":
            nobody = True
            notes.append(f"no data at all for the core indicator(s) {', '.join(core_absent)}: no kelurahan can be ranked, "
                         f"all need data (join the stunting data, or choose missing = \"reweight\" in a profile)")
        profile = replace(profile, indicators=kept)
    return profile, notes, nobody, moved


def _eligible(present: np.ndarray, profile: Profile, nobody: bool) -> np.ndarray:
    """Which kelurahan are ranked, by the profile's missing-data policy (and none when ``nobody``)."""
    core = np.array([i.core for i in profile.indicators])
    if profile.missing == "flag":
        eligible = present.all(axis=1)
    elif profile.missing == "core":
        eligible = present[:, core].all(axis=1) if core.any() else present.any(axis=1)
    else:
        eligible = present.any(axis=1)
    eligible &= present.any(axis=1) & (not nobody)
    return eligible


def _tier_table(f: pd.DataFrame, profile: Profile, point: np.ndarray, present: np.ndarray, eligible: np.ndarray,
                comp: np.ndarray, ranks: np.ndarray, n: int) -> pd.DataFrame:
    """One row per kelurahan: whether it is ranked, its score, rank, tier, the indicators it lacks and the ranked values."""
    out = pd.DataFrame({"kode_kel": f["kode_kel"], "kelurahan": f.get("kelurahan"), "kecamatan": f.get("kecamatan")})
    out["dirangking"] = pd.Series(eligible, dtype="boolean")
    out["skor_prioritas"] = comp
    out["peringkat"] = pd.Series(ranks).round().astype("Int64")
    out["prioritas"] = pd.Series(np.select([ranks <= n, ranks <= 2 * n, ~np.isnan(ranks)], ["Prioritas 1", "Prioritas 2", "Prioritas 3"],
                                           default=""), dtype="string").replace("", pd.NA)
    out["indikator_hilang"] = [", ".join(i.column for i, p in zip(profile.indicators, row) if not p) or pd.NA for row in present]
    for j, indic in enumerate(profile.indicators):
        if (indic.column in ind_mod.RATE_COUNTS or indic.column in COUNT_RATE) and profile.estimate == "eb":
            out[f"nilai_{indic.column}"] = point[:, j]  # the (smoothed) value that was ranked
    return out


def _add_explanations(out: pd.DataFrame, f: pd.DataFrame, profile: Profile, scores: np.ndarray, present: np.ndarray,
                      comp: np.ndarray, eligible: np.ndarray, point: np.ndarray) -> None:
    """Each indicator's share of the score and its traffic light (on the value ranked, among the ranked kelurahan;
    none for a kelurahan not ranked), and the sentence explaining the score."""
    wp = (~np.isnan(scores)) * profile.weights
    denom = wp.sum(axis=1, keepdims=True)
    contrib = np.where(denom > 0, np.nan_to_num(scores) * wp / np.where(denom > 0, denom, 1), np.nan)
    total = np.nansum(contrib, axis=1, keepdims=True)
    share = np.where(total > 0, contrib / np.where(total > 0, total, 1) * 100, np.nan)
    for j, indic in enumerate(profile.indicators):
        out[f"kontribusi_{indic.column}"] = np.round(share[:, j], 1)
        out[f"lampu_{indic.column}"] = lights(pd.Series(np.where(eligible, point[:, j], np.nan), index=out.index), indic)
    out["penjelasan"] = [_explain(profile, share[k], present[k], comp[k], eligible[k]) for k in range(len(f))]


def _draw_ranks(drawn: np.ndarray, weights: np.ndarray, profile: Profile, eligible: np.ndarray, ties: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
    """The rank of every kelurahan in every draw (draws x kelurahan): Dirichlet weights x the drawn values."""
    ws = rng.dirichlet(weights * profile.concentration, size=drawn.shape[0])
    values = np.where(eligible[None, :, None], drawn, np.nan)
    scores = np.empty_like(values)
    for j, i in enumerate(profile.indicators):
        held = np.array_equal(values[:, :, j], np.broadcast_to(values[:1, :, j], values.shape[:2]), equal_nan=True)
        # an indicator held as given is the same in every draw: normalised once
        scores[:, :, j] = normalise_matrix(values[:1 if held else None, :, j], profile.normalisation, i.direction, profile.winsor)
    return _ranks(_composite(scores, ws, eligible[None, :]), ties)


def _tier_order(top: np.ndarray, top2: np.ndarray, ranks: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Ranked kelurahan by P(top N) (ties: P(top 2N), then the point rank), and the ones after the first N by
    P(top 2N) (ties: P(top N), then the point rank)."""
    idx = np.flatnonzero(~np.isnan(ranks))
    by_top = idx[np.lexsort((ranks[idx], -top2[idx], -top[idx]))]
    rest = by_top[n:]
    return by_top, rest[np.lexsort((ranks[rest], -top[rest], -top2[rest]))]


def unsettled(ranks: np.ndarray, n: int, point_ranks: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Kelurahan whose flag or tier the draws do not settle: P(top N) within SETTLE_Z Monte Carlo errors of the
    0.80 or 0.20 cut, or at a tier boundary (the last Prioritas 1 and the first after it by P(top N); the last
    Prioritas 2 and the first Prioritas 3 by P(top 2N)) whose difference in P is within SETTLE_Z of its error."""
    d = ranks.shape[0]
    inside, inside2 = ranks <= n, ranks <= 2 * n
    top, top2 = inside.mean(axis=0), inside2.mean(axis=0)
    se = np.sqrt(top * (1 - top) / d)
    out = eligible & ((np.abs(top - STRONG) < SETTLE_Z * se) | (np.abs(top - BORDER) < SETTLE_Z * se))
    by_top, by_top2 = _tier_order(top, top2, np.where(eligible, point_ranks, np.nan), n)
    for order, hit in ((by_top, inside), (by_top2, inside2)):
        if len(order) > n:
            a, b = order[n - 1], order[n]
            diff = hit[:, a].astype(float) - hit[:, b]
            err = diff.std() / np.sqrt(d)
            if err > 0 and diff.mean() < SETTLE_Z * err:
                out[[a, b]] = True
    return out


def settled_ranks(first: np.ndarray, more, cap: int, n: int, point_ranks: np.ndarray, eligible: np.ndarray):
    """Ranks from the ``first`` draws and, while a flag or tier is unsettled (``unsettled``), as many again from
    ``more(k)`` (k draws at a time, no more than the first batch), up to ``cap`` draws in all.
    Returns (ranks, the kelurahan still unsettled)."""
    batches, total = [first], len(first)
    while True:
        ranks = batches[0] if len(batches) == 1 else np.concatenate(batches)
        still = unsettled(ranks, n, point_ranks, eligible)
        if not still.any() or total >= cap:
            return ranks, still
        for _ in range(max(1, (min(total, cap - total) + len(first) - 1) // len(first))):
            k = min(len(first), cap - total)
            batches.append(more(k))
            total += k


def uncertainty(ranks: np.ndarray, eligible: np.ndarray, n: int, still: np.ndarray, lang: str = "id") -> pd.DataFrame:
    """Summarise the ranks of every draw per kelurahan.

    Returns P(top N) (``peluang_top_n``), its Monte Carlo standard error (``galat_mc``), the 90 % rank
    interval (``peringkat_p5``-``peringkat_p95``), P(top 2N) (``peluang_top_2n``, which orders Prioritas 2 and 3)
    and its error (``galat_mc_2n``), ``status_lokus``: "lokus kuat" (P >= 0.80), "perbatasan" (0.20 <= P < 0.80),
    missing otherwise (P compared unrounded: a P shown as 0.80 may be 0.7996 and "perbatasan"), and ``di_batas``,
    the sentence for a kelurahan whose flag or tier the draws did not settle (``still``).
    """
    d = ranks.shape[0]
    valid = eligible
    top = np.where(valid, (ranks <= n).mean(axis=0), np.nan)
    top2 = np.where(valid, (ranks <= 2 * n).mean(axis=0), np.nan)
    lo = np.full(len(valid), np.nan)
    hi = np.full(len(valid), np.nan)
    lo[valid] = np.percentile(ranks[:, valid], 5, axis=0, method="lower")
    hi[valid] = np.percentile(ranks[:, valid], 95, axis=0, method="higher")
    status = np.select([top >= STRONG, top >= BORDER], ["lokus kuat", "perbatasan"], default="")
    note = TEXT[lang]["rank_at_cut_cell"].format(draws=count(d, lang))
    return pd.DataFrame({
        "peluang_top_n": top,
        "galat_mc": np.sqrt(top * (1 - top) / d),
        "peringkat_p5": pd.Series(lo).astype("Int64"),
        "peringkat_p95": pd.Series(hi).astype("Int64"),
        "status_lokus": pd.Series(status, dtype="string").replace("", pd.NA).where(valid),
        "peluang_top_2n": top2,
        "galat_mc_2n": np.sqrt(top2 * (1 - top2) / d),
        "di_batas": pd.Series(np.where(still & valid, note, ""), dtype="string").replace("", pd.NA),
    })


COMPARISON = ("lokus, lokus kuat", "lokus, perbatasan", "lokus, prioritas rendah", "lokus, perlu data", NOT_JUDGED,
              "lokus kuat, bukan lokus", "perbatasan, bukan lokus")
COMPARISON_POINT = ("lokus dan Prioritas 1", "lokus, prioritas rendah", "lokus, perlu data", NOT_JUDGED, "Prioritas 1, bukan lokus")


def _compare(out: pd.DataFrame, lokus, with_draws: bool, outside: np.ndarray):
    """banding_lokus per kelurahan; a lokus ``outside`` the data (a partial period) gets no verdict: NOT_JUDGED."""
    flags = pd.Series(lokus).reset_index(drop=True).fillna(False).astype(bool)
    out = out.copy()
    out["lokus"] = flags
    flags = flags.to_numpy(dtype=bool)
    ranked = out["dirangking"].fillna(False).to_numpy(dtype=bool)
    if with_draws:
        strong = (out["status_lokus"] == "lokus kuat").fillna(False).to_numpy(dtype=bool)
        border = (out["status_lokus"] == "perbatasan").fillna(False).to_numpy(dtype=bool)
        cond = [flags & outside, flags & ~ranked, flags & strong, flags & border, flags, ~flags & strong, ~flags & border]
        labels = [NOT_JUDGED, "lokus, perlu data", "lokus, lokus kuat", "lokus, perbatasan", "lokus, prioritas rendah",
                  "lokus kuat, bukan lokus", "perbatasan, bukan lokus"]
        keys = COMPARISON
    else:
        top = (out["prioritas"] == "Prioritas 1").fillna(False).to_numpy(dtype=bool)
        cond = [flags & outside, flags & ~ranked, flags & top, flags, ~flags & top]
        labels = [NOT_JUDGED, "lokus, perlu data", "lokus dan Prioritas 1", "lokus, prioritas rendah", "Prioritas 1, bukan lokus"]
        keys = COMPARISON_POINT
    out["banding_lokus"] = pd.Series(np.select(cond, labels, default=""), dtype="string").replace("", pd.NA)
    return out, {k: out.loc[out["banding_lokus"] == k, "kode_kel"].tolist() for k in keys}


def lights(values: pd.Series, ind: Indicator) -> pd.Series:
    """Traffic light per kelurahan: hijau / kuning / merah, missing where the value is missing.

    With profile thresholds [yellow_from, red_from]: by them. Otherwise by tertiles of the values
    present, respecting the best value: a value equal to the best (0 % gap, ODF declared) is always
    green, ties at the lower tertile are green, values above the upper tertile red, and the worst
    value red unless every kelurahan has the same value (then all green). A yes/no indicator is
    green for the good answer and red for the other.
    """
    v = pd.to_numeric(values.astype("Float64") if values.dtype == bool or str(values.dtype) == "boolean" else values,
                      errors="coerce").astype(float)
    if ind.direction == "lower_worse":
        v = -v
    green, yellow, red = LIGHTS
    if ind.thresholds:
        lo, hi = ind.thresholds if ind.direction == "higher_worse" else (-ind.thresholds[1], -ind.thresholds[0])
        light = np.select([v >= hi, v >= lo], [red, yellow], default=green)
        return pd.Series(light, index=v.index, dtype="string").where(v.notna())
    present = v.dropna()
    if present.empty:
        return pd.Series(pd.NA, index=v.index, dtype="string")
    best, worst = present.min(), present.max()
    lo, hi = present.quantile(1 / 3), present.quantile(2 / 3)
    is_green = (v == best) | ((v <= lo) & (v < worst))
    is_red = (v > hi) | ((v == worst) & (worst > best))
    light = np.select([is_green, is_red], [green, red], default=yellow)
    return pd.Series(light, index=v.index, dtype="string").where(v.notna())


def sanitation_check(f: pd.DataFrame) -> pd.Series:
    """Contradictions between the three sanitation figures, as a sentence per kelurahan (missing when none).

    ODF declared (deklarasi, terverifikasi, STBM) yet many KK tanpa jamban (>= SANITATION_KK, or
    >= SANITATION_SHARE % of KK where jumlah KK is given); or not ODF yet 100 % access to a proper
    jamban.
    """
    out = pd.Series(pd.NA, index=f.index, dtype="string")
    if "status_odf" not in f.columns:
        return out
    odf = f["status_odf"].isin(ODF_DECLARED)
    tanpa = ind_mod._num(f, "tanpa_jamban")
    kk = ind_mod._num(f, "kk")
    share = tanpa / kk.where(kk > 0) * 100
    many = ((tanpa >= SANITATION_KK) | (share >= SANITATION_SHARE)).fillna(False).astype(bool)
    full = (ind_mod._num(f, "jamban_layak_persen") >= 100).fillna(False).astype(bool)
    not_odf = f["status_odf"].isin(["Baseline", "Belum ODF"])
    for i in np.flatnonzero((odf & many).to_numpy()):
        out.iat[i] = f"{f['status_odf'].iat[i]}, tetapi {int(tanpa.iat[i])} KK tanpa jamban"
    for i in np.flatnonzero((not_odf & full).to_numpy()):
        out.iat[i] = f"{f['status_odf'].iat[i]}, tetapi akses jamban layak 100 %"
    return out


def _explain(profile: Profile, share, present, comp, eligible) -> str:
    """The penjelasan cell (stored in Indonesian, read in the page's language through ``text.stored_text``): each
    indicator's share of the score by its name, not its column, at whole percent through the one formatter."""
    missing = _labels([i.column for i, p in zip(profile.indicators, present) if not p], "id")
    if not eligible:
        return TEXT["id"]["rank_not_ranked_cols"].format(cols=missing) if missing else NOT_RANKED
    parts = sorted(((s, i.column) for s, i, p in zip(share, profile.indicators, present) if p), reverse=True)
    text = [TEXT["id"]["rank_explain_part"].format(label=indicator_label("id", col), share=number(s, 0, "id")) for s, col in parts if s >= 0.5]
    return "; ".join(text + ([TEXT["id"]["rank_explain_absent"].format(cols=missing)] if missing else []))


# jamban measures of the offices' exports that are not the profile's sanitation gap (another population or definition)
JAMBAN_OTHER = ("persen_krs_jamban_tidak_layak", "persen_tangga_babs_terbuka", "persen_tangga_babs_tertutup", "persen_stbm_stop_babs")


def _labels(columns, lang: str) -> str:
    """Indicator columns by their names in ``lang``: "Prevalensi stunting, Balita stunting"."""
    return ", ".join(indicator_label(lang, c) for c in columns)


RANK_COLUMNS = {"dirangking", "skor_prioritas", "peringkat", "prioritas", "indikator_hilang", "penjelasan", "cek_sanitasi",
                "peluang_top_n", "galat_mc", "peringkat_p5", "peringkat_p95", "status_lokus", "tier_peka_bobot", "lokus",
                "banding_lokus", "peluang_top_2n", "peringatan_data", "cakupan_persen", "periode_sebagian", "bobot_dipindah"}


def attach(frame, ranking: Ranking):
    """The layer with the ranking's columns; ranking a ranked layer replaces its old ranking columns."""
    import geopandas as gpd

    new = ranking.table.drop(columns=["kelurahan", "kecamatan"])
    stale = [c for c in frame.columns if c != "kode_kel" and (c in new.columns or c in RANK_COLUMNS
                                                              or c.startswith(("kontribusi_", "lampu_", "nilai_")))]
    out = frame.drop(columns=stale).merge(new, on="kode_kel")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=frame.crs) if "geometry" in out.columns else out
