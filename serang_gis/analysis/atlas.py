"""What a build computes from its joined kelurahan layer: the rank (with the profile's uncertainty) and the
convergence of the offices' budgets, before any product is planned."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from serang_gis.core.text import Msg
from serang_gis.read import reference


@dataclass
class Analysed:
    kelurahan: gpd.GeoDataFrame  # the joined layer, with the rank's columns where ranked
    ranked: bool = False
    konvergensi: object | None = None  # analysis.konvergensi.Konvergensi, where [[kegiatan]] are given
    two_numbers: str | None = None  # the e-PPGBM city figure beside the surveys (Kota Serang), of the city period
    measured: bool = False  # some kelurahan has toddlers measured: a funnel plot and a city figure can be drawn
    notes: list[str] = field(default_factory=list)
    weights: tuple[tuple[str, float], ...] = ()  # the rank's indicators (columns) and weights actually used (sum 1)
    absent: tuple[str, ...] = ()  # the profile's indicators without data (their weight moved to ``weights``)


def analyse(joined, inputs, region: str) -> Analysed:
    """Rank the kelurahan (of each group's city period: ``join_atlas`` put those in the layer), the city figure beside
    the surveys, and the convergence view."""
    from serang_gis.read.lokus import lokus_flags

    s = inputs.settings
    kel = joined.kelurahan
    out = Analysed(kel)
    profile = inputs.profile
    if profile is not None and not any(i.column in kel.columns and kel[i.column].notna().any() for i in profile.indicators):
        out.notes.append(Msg("rank.note_no_data", name=profile.name))
        profile = None
    flags = lokus_flags(s.rank_lokus, kel) if profile is not None and s.rank_lokus else None
    out.measured = "balita_diukur" in kel.columns and bool((pd.to_numeric(kel["balita_diukur"], errors="coerce") > 0).any())
    if out.measured and region == reference.KOTA_SERANG:
        gizi = joined.periods.get("gizi")
        out.two_numbers = reference.two_numbers(kel, period=gizi.period if gizi else None, lang=s.lang).sentence
    if profile is not None:
        _rank(out, profile, flags, s)
    if inputs.kegiatan:  # the convergence view: which office acts where, and does the money reach the lokus
        from serang_gis.analysis.konvergensi import from_config

        lokus = s.rank_lokus or ("2022" if region == reference.KOTA_SERANG else None)
        out.konvergensi = from_config(out.kelurahan, inputs.kegiatan, s.lang, lokus=lokus)
    return out


def _rank(out: Analysed, profile, flags, s) -> None:
    from serang_gis.analysis.priority import attach, rank

    kel = out.kelurahan
    label = f"lokus {s.lokus_name}" if s.lokus_name else "lokus"
    ranking = rank(kel, profile, lokus=flags, draws=s.rank_draws, seed=s.rank_seed, lokus_label=label, lang=s.lang)
    out.notes += ranking.notes + [x for x in ranking.summary(s.lang)[1:] if x not in ranking.notes] + _absent_said(kel, profile)
    ranked = attach(kel, ranking)
    ranked.attrs.update(kel.attrs)
    out.kelurahan, out.ranked = ranked, True
    used = ranking.profile  # without the indicators that had no data: their weight moved to these
    out.weights = tuple((i.column, float(w)) for i, w in zip(used.indicators, used.weights))
    out.absent = tuple(i.column for i in profile.indicators if i.column not in {c for c, _ in out.weights})


def _absent_said(kel, profile) -> list[Msg]:
    """Beside the rank's warning that an indicator has no data (its weight moved): why, where it can be told. The
    indicator given for another period than the one ranked; or "KK tanpa jamban" (households with no jamban at all)
    missing while the sanitation gap (households without a proper jamban, from a % access column) is ranked."""
    out = []
    for ind in profile.indicators:
        c = ind.column
        if c in kel.columns and kel[c].notna().any():
            continue
        other = sorted(col.split("__", 1)[1] for col in kel.columns if col.startswith(f"{c}__") and kel[col].notna().any())
        if other:
            out.append(Msg("rank.absent_period", label=Label(c), periods=", ".join(other)))
        elif c == "tanpa_jamban" and "kesenjangan_sanitasi" in kel.columns and kel["kesenjangan_sanitasi"].notna().any():
            out.append(Msg("rank.absent_tanpa_jamban"))
    return out


@dataclass(frozen=True)
class Label:
    """An indicator's name read in a message's language (a ``Msg`` field)."""

    col: str

    def text(self, lang: str) -> str:
        from serang_gis.core.text import indicator_label

        return indicator_label(lang, self.col)
