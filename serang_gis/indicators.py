"""Derived indicators: small pure functions over columns; missing in, missing out (never zero)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

UNSTABLE_BELOW = 10  # fewer toddlers measured than this: the rate is shown but marked unstable


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
    return (stunted(frame) / d.where(d > 0) * 100).round(2)


def family_risk_share(frame: pd.DataFrame) -> pd.Series:
    """Keluarga berisiko stunting / jumlah keluarga, in percent."""
    k = _num(frame, "keluarga")
    return (_num(frame, "keluarga_berisiko") / k.where(k > 0) * 100).round(2)


def sanitation_gap(frame: pd.DataFrame) -> pd.Series:
    """Percent of households without a proper jamban: 100 - jamban access."""
    return (100 - _num(frame, "jamban_persen")).round(2)


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
    "kesenjangan_sanitasi": (sanitation_gap, ("jamban_persen",), "%"),
    "belum_odf": (not_odf, ("status_odf",), ""),
    "tidak_stabil": (unstable, ("balita_diukur",), ""),
}


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Add every derived indicator whose inputs are present."""
    out = frame.copy()
    for col, (fn, needs, _) in DERIVED.items():
        if any(n in frame.columns for n in needs):
            out[col] = fn(frame)
    return out


@dataclass(frozen=True)
class Info:
    """How an indicator column is shown: labels, unit, decimals, rate or count, its source columns."""

    label_id: str
    label_en: str
    unit: str
    dec: int
    kind: str  # rate (choropleth) | count (proportional symbols) | category | flag
    group: str | None = None  # join.GROUPS key: sumber_<group>, periode_<group>
    scheme: str = "quantiles"
    palette: str = "YlOrRd"

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_id


INFO = {
    "prevalensi_stunting": Info("Prevalensi stunting", "Stunting prevalence", "%", 1, "rate", "gizi", "who"),
    "prevalensi": Info("Prevalensi stunting (tercatat)", "Stunting prevalence (as given)", "%", 1, "rate", "gizi", "who"),
    "persen_keluarga_berisiko": Info("Keluarga berisiko stunting", "Families at risk of stunting", "%", 1, "rate", "keluarga",
                                     palette="PuRd"),
    "kesenjangan_sanitasi": Info("KK tanpa akses jamban layak", "Households without a proper jamban", "%", 1, "rate", "sanitasi",
                                 palette="YlGnBu"),
    "jamban_persen": Info("Akses jamban layak", "Proper jamban access", "%", 1, "rate", "sanitasi", palette="YlGnBu"),
    "balita_stunting": Info("Balita stunting", "Stunted toddlers", "balita", 0, "count", "gizi"),
    "balita_diukur": Info("Balita diukur", "Toddlers measured", "balita", 0, "count", "gizi"),
    "pendek": Info("Balita pendek", "Stunted toddlers (moderate)", "balita", 0, "count", "gizi"),
    "sangat_pendek": Info("Balita sangat pendek", "Severely stunted toddlers", "balita", 0, "count", "gizi"),
    "stunting": Info("Balita stunting (tercatat)", "Stunted toddlers (as given)", "balita", 0, "count", "gizi"),
    "keluarga": Info("Jumlah keluarga", "Families", "keluarga", 0, "count", "keluarga"),
    "keluarga_berisiko": Info("Keluarga berisiko stunting (jumlah)", "Families at risk (number)", "keluarga", 0, "count", "keluarga"),
    "tanpa_jamban": Info("KK tanpa jamban", "Households without a jamban", "KK", 0, "count", "sanitasi"),
    "stunting_dilaporkan": Info("Balita stunting dilaporkan", "Reported stunted toddlers", "balita", 0, "count"),
    "status_odf": Info("Status ODF", "ODF status", "", 0, "category", "sanitasi"),
    "prioritas": Info("Prioritas penanganan", "Priority tier", "", 0, "category"),
    "skor_prioritas": Info("Skor prioritas", "Priority score", "", 3, "rate", palette="OrRd"),
}
ALIASES = {"prevalensi": "prevalensi_stunting", "stunting": "balita_stunting", "keluarga_berisiko_persen": "persen_keluarga_berisiko",
           "sanitasi": "kesenjangan_sanitasi", "odf": "status_odf"}


def resolve(name: str, columns) -> str:
    """The column an indicator name means in a layer: itself, or its alias when the alias is there."""
    if name in ALIASES and ALIASES[name] in columns:
        return ALIASES[name]
    return name
