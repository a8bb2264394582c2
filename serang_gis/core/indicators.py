"""Derived indicators: small pure functions over columns; missing in, missing out (never zero).

Rates are percentages kept at full precision (display rounds them, the data never does). Each rate
with a known denominator gets its Wilson interval (``<rate>_ci_bawah``, ``<rate>_ci_atas``), and
the stunting prevalence its empirical Bayes estimate (``prevalensi_stunting_eb``) and reliability
class (``keandalan_gizi``): see docs/statistics.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from serang_gis.core import stats
from serang_gis.core import numbers
from serang_gis.core.text import indicator_label, t

UNSTABLE_BELOW = stats.FEW  # fewer toddlers measured than this: the rate is shown but marked unstable
LEVEL = stats.LEVEL  # Wilson interval level of the derived columns
SMOOTHING = ("local", "global")  # EB toward the kecamatan rate (default) or the kab/kota rate


def _num(frame, col):
    return frame[col].astype("Float64") if col in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="Float64")


def stunted(frame: pd.DataFrame) -> pd.Series:
    """Stunted toddlers: pendek + sangat pendek where given, else the file's own total."""
    p, sp = _num(frame, "pendek"), _num(frame, "sangat_pendek")
    both = p + sp
    return both.fillna(_num(frame, "stunting"))


def prevalence(frame: pd.DataFrame) -> pd.Series:
    """(pendek + sangat pendek) / balita diukur, in percent; missing where diukur is 0 or missing."""
    d = _num(frame, "balita_diukur")
    return stunted(frame) / d.where(d > 0) * 100


def family_risk_share(frame: pd.DataFrame) -> pd.Series:
    """Keluarga berisiko stunting / jumlah keluarga (all families, not keluarga sasaran), in percent."""
    k = _num(frame, "keluarga")
    return _num(frame, "keluarga_berisiko") / k.where(k > 0) * 100


def sanitation_gap(frame: pd.DataFrame) -> pd.Series:
    """Percent of households without a proper (sehat/layak) jamban: 100 - jamban_layak_persen."""
    return 100 - _num(frame, "jamban_layak_persen")


def households_without_proper_jamban(frame: pd.DataFrame) -> pd.Series:
    """The sanitation gap as a number of KK (gap % of jumlah KK), the count its interval is built on."""
    return (sanitation_gap(frame) / 100 * _num(frame, "kk")).round()


@dataclass(frozen=True)
class Factor:
    """A counted factor shown as a rate: ``count`` / ``denominator`` in percent (``rate`` = ``persen_<count>``)."""

    count: str
    denominator: str
    topic: str  # krs (BKKBN family-risk factors and targets) | stbm (pillars) | tangga (sanitation ladder)
    worse: str = "higher"  # "higher": more is worse (a risk factor); "lower": more is better (an STBM pillar, a good rung)

    @property
    def rate(self) -> str:
        return f"persen_{self.count}"


# the BKKBN family-risk factors are counted among the keluarga sasaran the verification visits (every family with a
# factor is one of them); KB and pregnancy among the PUS; STBM pillars and the ladder among all households (KK)
FACTORS = [Factor(c, "keluarga_sasaran", "krs") for c in ("krs_air_tidak_layak", "krs_jamban_tidak_layak", "krs_terlalu_muda",
                                                          "krs_terlalu_tua", "krs_terlalu_dekat", "krs_terlalu_banyak")] + [
    Factor("krs_bukan_kb_modern", "pus", "krs"), Factor("pus_hamil", "pus", "krs"),
] + [Factor(c, "kk", "stbm", "lower") for c in ("stbm_stop_babs", "stbm_ctps", "stbm_pammrt", "stbm_sampah", "stbm_limbah")] + [
    Factor("tangga_babs_terbuka", "kk", "tangga"), Factor("tangga_babs_tertutup", "kk", "tangga"),
    Factor("tangga_bersama", "kk", "tangga", "lower"), Factor("tangga_layak_sendiri", "kk", "tangga", "lower"),
    Factor("tangga_aman", "kk", "tangga", "lower"),
]
FACTOR = {f.rate: f for f in FACTORS}


def factor_share(frame: pd.DataFrame, rate: str) -> pd.Series:
    """A factor's count / its denominator, in percent; missing where either is missing or the denominator is 0."""
    f = FACTOR[rate]
    d = _num(frame, f.denominator)
    return _num(frame, f.count) / d.where(d > 0) * 100


# rate column -> (numerator, denominator): the counts its Wilson interval is computed from
RATE_COUNTS = {
    "prevalensi_stunting": (stunted, "balita_diukur"),
    "persen_keluarga_berisiko": (lambda f: _num(f, "keluarga_berisiko"), "keluarga"),
    "kesenjangan_sanitasi": (households_without_proper_jamban, "kk"),
    **{f.rate: ((lambda frame, c=f.count: _num(frame, c)), f.denominator) for f in FACTORS},
}


def interval(frame: pd.DataFrame, rate: str, level: float = LEVEL) -> tuple[pd.Series, pd.Series]:
    """Wilson interval of a rate column, in percent; missing where its counts are not known."""
    num, den = RATE_COUNTS[rate]
    lo, hi = stats.wilson_interval(num(frame), _num(frame, den), level)
    return (pd.Series(lo * 100, index=frame.index, dtype="Float64"), pd.Series(hi * 100, index=frame.index, dtype="Float64"))


def kecamatan_of(frame: pd.DataFrame) -> pd.Series:
    """The kecamatan code of each row (kode_kec, else the first 8 characters of kode_kel or the index)."""
    if "kode_kec" in frame.columns:
        return frame["kode_kec"].astype("string")
    codes = frame["kode_kel"] if "kode_kel" in frame.columns else pd.Series(frame.index, index=frame.index)
    return codes.astype("string").str[:8]


def smoothed_prevalence(frame: pd.DataFrame, smoothing: str = "local") -> pd.Series:
    """Empirical Bayes prevalence in percent: toward the kecamatan rate (local) or the kab/kota rate (global)."""
    if smoothing not in SMOOTHING:
        raise ValueError(f"smoothing {smoothing!r}: one of {', '.join(SMOOTHING)}")
    k, n = stunted(frame), _num(frame, "balita_diukur")
    groups = kecamatan_of(frame) if smoothing == "local" else None
    prior = stats.eb_prior(k, n, groups)
    return pd.Series(stats.eb_estimate(k, n, prior) * 100, index=frame.index, dtype="Float64")


def reliability(frame: pd.DataFrame, few: int = stats.FEW, caution: int = stats.CAUTION) -> pd.Series:
    """keandalan_gizi: "data terlalu sedikit" / "hati-hati" / "cukup"; missing where nothing was measured."""
    n = _num(frame, "balita_diukur")
    cls = stats.reliability(n, few, caution)
    cls.index = frame.index
    return cls.mask((n.fillna(0) <= 0).to_numpy())


def not_odf(frame: pd.DataFrame) -> pd.Series:
    """True where the kelurahan has not (yet) declared ODF; missing where no status is known."""
    if "status_odf" not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="boolean")
    s = frame["status_odf"]
    return s.isin(["Baseline", "Belum ODF"]).astype("boolean").mask(s.isna())


def unstable(frame: pd.DataFrame) -> pd.Series:
    d = _num(frame, "balita_diukur")
    return (d < UNSTABLE_BELOW).astype("boolean").mask(d.isna())


DERIVED = {  # column -> (function, inputs it needs, unit)
    "balita_stunting": (stunted, ("pendek", "sangat_pendek", "stunting"), "balita"),
    "prevalensi_stunting": (prevalence, ("balita_diukur",), "%"),
    "persen_keluarga_berisiko": (family_risk_share, ("keluarga", "keluarga_berisiko"), "%"),
    "kesenjangan_sanitasi": (sanitation_gap, ("jamban_layak_persen",), "%"),
    "belum_odf": (not_odf, ("status_odf",), ""),
    "tidak_stabil": (unstable, ("balita_diukur",), ""),
    **{f.rate: ((lambda frame, r=f.rate: factor_share(frame, r)), (f.count,), "%") for f in FACTORS},
}


def derive(frame: pd.DataFrame, *, level: float = LEVEL, smoothing: str = "local", few: int = stats.FEW,
           caution: int = stats.CAUTION) -> pd.DataFrame:
    """Add every derived indicator whose inputs are present, with intervals, smoothing and reliability."""
    out = frame.copy()
    for col, (fn, needs, _) in DERIVED.items():
        if any(n in frame.columns for n in needs):
            out[col] = fn(frame)
    for rate in RATE_COUNTS:
        if rate in out.columns:
            out[f"{rate}_ci_bawah"], out[f"{rate}_ci_atas"] = interval(frame, rate, level)
    if "prevalensi_stunting" in out.columns:
        out["prevalensi_stunting_eb"] = smoothed_prevalence(frame, smoothing)
        out["keandalan_gizi"] = reliability(frame, few, caution)
    return out


@dataclass(frozen=True)
class Info:
    """How an indicator column is shown: its name (``ind.<key>`` in the text catalogue), unit, decimals,
    rate or count, its source columns."""

    key: str  # the column; its name is the catalogue's ind.<key> (a column it does not know is named by itself)
    unit: str
    dec: int
    kind: str  # rate (choropleth) | count (proportional symbols) | category | flag
    group: str | None = None  # join.GROUPS key: sumber_<group>, periode_<group>
    scheme: str = "quantiles"
    palette: str = "YlOrRd"

    def label(self, lang: str) -> str:
        return indicator_label(lang, self.key)


INFO = {
    "prevalensi_stunting": Info("prevalensi_stunting", "%", 1, "rate", "gizi", "who"),
    "prevalensi": Info("prevalensi", "%", 1, "rate", "gizi", "who"),
    "persen_keluarga_berisiko": Info("persen_keluarga_berisiko", "%", 1, "rate", "keluarga", palette="PuRd"),
    "kesenjangan_sanitasi": Info("kesenjangan_sanitasi", "%", 1, "rate", "sanitasi", palette="YlGnBu"),
    "jamban_layak_persen": Info("jamban_layak_persen", "%", 1, "rate", "sanitasi", palette="YlGnBu"),
    "jamban_persen": Info("jamban_persen", "%", 1, "rate", "sanitasi", palette="YlGnBu"),
    "jamban_aman_persen": Info("jamban_aman_persen", "%", 1, "rate", "sanitasi", palette="YlGnBu"),
    "prevalensi_stunting_eb": Info("prevalensi_stunting_eb", "%", 1, "rate", "gizi", "who"),
    "keandalan_gizi": Info("keandalan_gizi", "", 0, "category", "gizi"),
    "balita_stunting": Info("balita_stunting", "balita", 0, "count", "gizi"),
    "balita_diukur": Info("balita_diukur", "balita", 0, "count", "gizi"),
    "sasaran_balita": Info("sasaran_balita", "balita", 0, "count", "gizi"),
    "pendek": Info("pendek", "balita", 0, "count", "gizi"),
    "sangat_pendek": Info("sangat_pendek", "balita", 0, "count", "gizi"),
    "stunting": Info("stunting", "balita", 0, "count", "gizi"),
    "keluarga": Info("keluarga", "keluarga", 0, "count", "keluarga"),
    "keluarga_sasaran": Info("keluarga_sasaran", "keluarga", 0, "count", "keluarga"),
    "kk": Info("kk", "KK", 0, "count", "sanitasi"),
    "keluarga_berisiko": Info("keluarga_berisiko", "keluarga", 0, "count", "keluarga"),
    "tanpa_jamban": Info("tanpa_jamban", "KK", 0, "count", "sanitasi"),
    "stunting_dilaporkan": Info("stunting_dilaporkan", "balita", 0, "count"),
    "status_odf": Info("status_odf", "", 0, "category", "sanitasi"),
    "prioritas": Info("prioritas", "", 0, "category"),
    "skor_prioritas": Info("skor_prioritas", "", 3, "rate", palette="OrRd"),
}
_FACTOR_PALETTES = {("krs", "higher"): "PuRd", ("stbm", "lower"): "YlGn", ("tangga", "higher"): "OrRd", ("tangga", "lower"): "YlGn"}
for _f in FACTORS:
    _group = "keluarga" if _f.topic == "krs" else "stbm"
    INFO[_f.rate] = Info(_f.rate, "%", 1, "rate", _group, palette=_FACTOR_PALETTES[(_f.topic, _f.worse)])
    INFO[_f.count] = Info(_f.count, "keluarga" if _f.topic == "krs" else "KK", 0, "count", _group)
for _c in ("pus", "baduta", "balita_keluarga"):
    INFO[_c] = Info(_c, "keluarga", 0, "count", "keluarga")
ALIASES = {"prevalensi": "prevalensi_stunting", "stunting": "balita_stunting", "keluarga_berisiko_persen": "persen_keluarga_berisiko",
           "sanitasi": "kesenjangan_sanitasi", "odf": "status_odf"}


def resolve(name: str, columns) -> str:
    """The column an indicator name means in a layer: itself, or its alias when the alias is there."""
    if name in ALIASES and ALIASES[name] in columns:
        return ALIASES[name]
    return name


SUPPRESSIBLE = ("pendek", "sangat_pendek", "stunting", "balita_stunting", "keluarga_berisiko", "tanpa_jamban")


def suppress_small(frame: pd.DataFrame, below: int) -> pd.DataFrame:
    """For shared outputs (``--suppress-below``): blank counts from 1 to ``below`` - 1 and what reveals them.

    A count of 0 is kept (it identifies nobody). Where a stunting count is suppressed, the
    prevalence, its interval and smoothed value are blanked too (they would give the count back
    from balita_diukur); likewise the family-risk share for keluarga_berisiko. ``disamarkan`` is
    True on every row where something was blanked, so that the product can say so.
    """
    if below < 1:
        raise ValueError(f"--suppress-below {below}: give a whole number >= 1")
    out = frame.copy()
    hidden = pd.Series(False, index=frame.index)
    reveals = {"pendek": "prevalensi_stunting", "sangat_pendek": "prevalensi_stunting", "stunting": "prevalensi_stunting",
               "balita_stunting": "prevalensi_stunting", "keluarga_berisiko": "persen_keluarga_berisiko"}
    for col in SUPPRESSIBLE:
        if col not in out.columns:
            continue
        v = pd.to_numeric(out[col], errors="coerce")
        small = ((v > 0) & (v < below)).fillna(False).astype(bool)
        if not small.any():
            continue
        hidden |= small
        out[col] = out[col].mask(small)
        rate = reveals.get(col)
        if rate:
            for c in (rate, f"{rate}_ci_bawah", f"{rate}_ci_atas", f"{rate}_eb", "prevalensi" if rate == "prevalensi_stunting" else None):
                if c and c in out.columns:
                    out[c] = out[c].mask(small)
    out["disamarkan"] = pd.Series(hidden, index=frame.index, dtype="boolean")
    return out


def format_with_interval(value, lo, hi, *, decimals: int = 1, lang: str = "id") -> str:
    """'12,4 % (8,1–18,3 %)' for tooltips, profiles and tables; the value alone without an interval; '' when missing."""
    return numbers.interval(value, lo, hi, decimals, lang, "%", missing="")


def derived_aliases(lang: str = "id", level: float = LEVEL) -> dict[str, str]:
    """Human field names (aliases) of the columns derive() adds for uncertainty, for exports (GeoPackage, QGIS, CSV)."""
    pct = numbers.number(level * 100, 2, lang, trim=True)
    out = {}
    for rate in RATE_COUNTS:
        base = INFO[rate].label(lang)
        out[f"{rate}_ci_bawah"] = t(lang, "alias.ci_lower", label=base, pct=pct)
        out[f"{rate}_ci_atas"] = t(lang, "alias.ci_upper", label=base, pct=pct)
    for col in ("prevalensi_stunting_eb", "keandalan_gizi"):
        out[col] = INFO[col].label(lang)
    return out
