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
    label = f"lokus {s.rank_lokus}" if s.rank_lokus in ("2021", "2022") else "lokus"
    ranking = rank(kel, profile, lokus=flags, draws=s.rank_draws, seed=s.rank_seed, lokus_label=label, lang=s.lang)
    out.notes += ranking.notes + [x for x in ranking.summary(s.lang)[1:] if x not in ranking.notes]
    ranked = attach(kel, ranking)
    ranked.attrs.update(kel.attrs)
    out.kelurahan, out.ranked = ranked, True
