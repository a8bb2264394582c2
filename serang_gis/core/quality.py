"""The e-PPGBM quality panel: how far a by-name export can be trusted, in counts only.

Computed while a by-name export is aggregated (``eppgbm.aggregate_byname``) and carried in the
join report (``FileReport.quality``, JSON and terminal summary): WHO flags for implausible
height-for-age z-scores (excluded and counted), the measurement month distribution (bulan
penimbangan is February and August), repeated children, the share of rows without a z-score, and,
where a sasaran balita column is joined, coverage = measured / sasaran. Never a personal value:
no identifier, no date of a child, no z-score leaves this module, only counts and shares.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from serang_gis.core import growth
from serang_gis.core.growth import HAZ_LIMITS, HEIGHT_CM, MISMATCH
from serang_gis.core.numbers import share
from serang_gis.core.text import t

WHO_HAZ = HAZ_LIMITS  # WHO Anthro flags: height-for-age z below -6 or above +6 is implausible (WHO 2019 cleaning guide)
WEIGHING_MONTHS = (2, 8)  # bulan penimbangan: February and August


def who_flags(z: pd.Series) -> pd.Series:
    """True where the height-for-age z-score is outside the WHO plausible range; missing z is not flagged."""
    z = pd.to_numeric(z, errors="coerce")
    return ((z < WHO_HAZ[0]) | (z > WHO_HAZ[1])).fillna(False).astype(bool)


def byname_flags(recorded: pd.Series | None, recomputed: pd.Series | None, height: pd.Series | None,
                 index: pd.Index, unreadable: pd.Series | None = None) -> pd.DataFrame:
    """Per measurement row: ``haz`` (recorded or recomputed HAZ outside [-6, +6]), ``height`` (outside 38-130 cm, or
    ``unreadable``: a height cell that is not a number) and ``mismatch`` (|recorded - recomputed| > 0.5). A missing
    value is never flagged."""
    none = pd.Series(False, index=index)
    haz = none.copy()
    for z in (recorded, recomputed):
        if z is not None:
            haz = haz | who_flags(z)
    if height is not None:
        h = pd.to_numeric(height, errors="coerce")
        bad_height = ((h < HEIGHT_CM[0]) | (h > HEIGHT_CM[1])).fillna(False).astype(bool)
    else:
        bad_height = none
    if unreadable is not None:
        bad_height = bad_height | unreadable.fillna(False).astype(bool)
    if recorded is not None and recomputed is not None:
        diff = (pd.to_numeric(recorded, errors="coerce") - recomputed).abs()
        mismatch = (diff > MISMATCH).fillna(False).astype(bool)
    else:
        mismatch = none
    return pd.DataFrame({"haz": haz, "height": bad_height, "mismatch": mismatch}, index=index)


@dataclass
class QualityPanel:
    rows: int  # measurement rows read
    who_flagged: int  # rows with HAZ outside [-6, +6]: excluded from every count
    who_flagged_in_period: int
    months: dict[str, int] = field(default_factory=dict)  # "2024-08" -> measurement rows (every row with a date)
    weighing_month_share: float | None = None  # share of rows measured in February or August
    children: int = 0  # distinct children with a measurement in the period
    repeated_children: int = 0  # of these, measured more than once in the period
    rows_without_zscore: int = 0
    share_without_zscore: float | None = None  # of all rows (None: the export has no ZS TB/U column)
    # recomputed from height, age and sex (WHO 2006 LMS, core.growth): rows where it could be, and the flags
    zscore_recomputed: int | None = None  # None: no height (Tinggi) or sex (JK) column, nothing recomputed
    height_implausible: int = 0  # rows with a height outside 38-130 cm (0, negative, 999,9 ...) or not a number
    height_rows: list[int] = field(default_factory=list)  # their row numbers in the file (never a value)
    zscore_mismatch: int = 0  # rows whose recorded z-score differs from the recomputed one by more than 0.5
    flagged: int = 0  # rows with any flag (WHO limits, height, mismatch): excluded from every count
    flagged_in_period: int = 0
    blank_tbu: int = 0  # toddlers with a measurement in the period but no TB/U class (nor z-score): not counted as measured
    classed_by_recomputed: int = 0  # rows with neither TB/U nor ZS TB/U classed from the recomputed z-score (height, age, sex)
    position_recorded: int | None = None  # rows with a Cara Ukur (Terlentang/Berdiri); None: the export has no such column
    position_corrected: int = 0  # of these, rows whose height was corrected by 0.7 cm (measured the other way than the table's)
    age_text_mismatch: int | None = None  # rows whose Usia Saat Ukur text is > 1 month from the dates; None: no such column
    age_text_rows: list[int] = field(default_factory=list)  # their row numbers in the file (never a value)

    def to_dict(self) -> dict:
        return asdict(self)


def assess_byname(measured: pd.Series, born: pd.Series, child: pd.Series, z: pd.Series | None, in_period: pd.Series,
                  height: pd.Series | None, sex: pd.Series | None, unreadable: pd.Series | None = None,
                  position: pd.Series | None = None) -> tuple[pd.Series | None, pd.DataFrame, QualityPanel]:
    """The quality of by-name records in one step: HAZ recomputed from height, age, sex and, where recorded, the
    measurement position ('L' lying / 'H' standing: the 0.7 cm correction; WHO 2006, ``core.growth``; None without
    height or sex), the flags of every row (``byname_flags``) and the panel (``byname_panel``)."""
    recomputed = None
    days = (measured - born).dt.days
    corrected = None
    if height is not None and position is not None:
        adjusted = growth.position_corrected(height, days, position)
        corrected = (adjusted - pd.to_numeric(height, errors="coerce")).abs().gt(0).fillna(False)
        height = adjusted
    if height is not None and sex is not None:
        recomputed = growth.haz(height, days, growth.sex_code(sex))
    flags = byname_flags(z, recomputed, height, measured.index, unreadable)
    panel = byname_panel(measured, child, z, in_period, flags, recomputed)
    if position is not None:
        panel.position_recorded = int(position.isin(["L", "H"]).sum())
        panel.position_corrected = int(corrected.sum()) if corrected is not None else 0
    return recomputed, flags, panel


def byname_panel(measured: pd.Series, child: pd.Series, z: pd.Series | None, in_period: pd.Series, flags: pd.DataFrame,
                 recomputed: pd.Series | None = None) -> QualityPanel:
    """The panel from row-wise measurement dates, child numbers (not identifiers), z-scores, the period mask and the
    flags of ``byname_flags``."""
    flagged = flags.any(axis=1)
    dated = measured.dropna()
    months = dated.dt.to_period("M").astype(str).value_counts().sort_index()
    weighing = float(dated.dt.month.isin(WEIGHING_MONTHS).mean()) if len(dated) else None
    per_child = child[in_period & ~flagged].value_counts()
    if z is None:
        no_z, share = len(measured), None
    else:
        no_z = int(pd.to_numeric(z, errors="coerce").isna().sum())
        share = no_z / len(measured) if len(measured) else None
    return QualityPanel(rows=len(measured), who_flagged=int(flags["haz"].sum()), who_flagged_in_period=int((flags["haz"] & in_period).sum()),
                        zscore_recomputed=None if recomputed is None else int(recomputed.notna().sum()),
                        height_implausible=int(flags["height"].sum()), zscore_mismatch=int(flags["mismatch"].sum()),
                        flagged=int(flagged.sum()), flagged_in_period=int((flagged & in_period).sum()),
                        months={k: int(v) for k, v in months.items()}, weighing_month_share=weighing,
                        children=int(len(per_child)), repeated_children=int((per_child > 1).sum()),
                        rows_without_zscore=int(no_z), share_without_zscore=share)


def coverage(frame: pd.DataFrame) -> dict | None:
    """Coverage = balita diukur / sasaran balita, over the kelurahan that have both; None without a sasaran column."""
    if "sasaran_balita" not in frame.columns or "balita_diukur" not in frame.columns:
        return None
    d = pd.to_numeric(frame["balita_diukur"], errors="coerce")
    s = pd.to_numeric(frame["sasaran_balita"], errors="coerce")
    both = d.notna() & (s > 0)
    if not both.any():
        return {"kelurahan": 0, "measured": 0, "sasaran": 0, "coverage": None, "below_80": 0, "above_100": 0}
    cov = d[both] / s[both]
    return {"kelurahan": int(both.sum()), "measured": int(d[both].sum()), "sasaran": int(s[both].sum()),
            "coverage": float(d[both].sum() / s[both].sum()), "below_80": int((cov < 0.8).sum()),
            "above_100": int((cov > 1).sum()), "median": float(np.median(cov))}


def summary_lines(panel: dict | None, lang: str = "en") -> list[str]:
    """The panel as short sentences (terminal summary, index.html). ``panel`` is QualityPanel.to_dict()."""
    if not panel:
        return []
    out = [t(lang, "quality.rows", rows=panel["rows"], flagged=panel["who_flagged"])]
    if panel["months"]:
        months = ", ".join(f"{k}: {v}" for k, v in panel["months"].items())
        out.append(t(lang, "quality.months", months=months, share=share(panel["weighing_month_share"], 0, lang)))
    out.append(t(lang, "quality.repeated", repeated=panel["repeated_children"], children=panel["children"]))
    if panel.get("zscore_recomputed") is None:
        out.append(t(lang, "q_no_recompute"))
    else:
        out.append(t(lang, "q_recomputed", n=panel["zscore_recomputed"], mismatch=panel["zscore_mismatch"],
                     height=panel["height_implausible"], flagged=panel["flagged"]))
    if panel.get("classed_by_recomputed"):
        out.append(t(lang, "q_classed_recomputed", n=panel["classed_by_recomputed"]))
    if panel.get("position_recorded") is not None:
        out.append(t(lang, "q_position", n=panel["position_recorded"], corrected=panel["position_corrected"]))
    if panel.get("age_text_mismatch"):
        out.append(t(lang, "q_age_text", n=panel["age_text_mismatch"]))
    if panel.get("blank_tbu"):
        out.append(t(lang, "q_blank_tbu", n=panel["blank_tbu"]))
    if panel["share_without_zscore"] is None:  # no recorded z-scores: checked against the recomputed ones where possible
        out.append(t(lang, "quality.no_z" if panel.get("zscore_recomputed") is None else "quality.no_z_recomputed"))
    else:
        out.append(t(lang, "quality.without_z", share=share(panel["share_without_zscore"], 1, lang)))
    return out


def coverage_lines(cov: dict | None, lang: str = "en") -> list[str]:
    """coverage() as a sentence; nothing without a sasaran column."""
    if not cov or cov.get("coverage") is None:
        return []
    return [t(lang, "quality.coverage", coverage=share(cov["coverage"], 0, lang),
              **{k: cov[k] for k in ("measured", "sasaran", "kelurahan", "below_80", "above_100")})]
