"""Which period every city-wide product uses, decided once per indicator group and said in every product.

The tables of an atlas config come per period, and a period is often partial (the August weighing of
two kecamatan, say). A city-wide product (the rank, the index's kelurahan table, the funnel plot, the
"dua angka" city figure, the convergence need) must not silently use a partial period. The rule:

- per indicator group (``gizi``, ``keluarga``, ``sanitasi``: the groups of ``join.tables.GROUPS``), the
  **city period** is the latest period in which at least ``complete_share`` of the kab/kota's kelurahan
  report (default 80 %); ``[periods] city`` in the config names one instead;
- where no period is complete, the best-covered one (the latest of equals) is used, and said;
- a partial period keeps its own maps, titled "sebagian: n dari N kelurahan".

A group given both by a table without a period and by tables with one is ambiguous: refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from serang_gis.core.choices import COMPLETE_SHARE
from serang_gis.core.errors import InputError
from serang_gis.core.indicators import DERIVED, INFO
from serang_gis.join.tables import GROUPS
from serang_gis.core.text import TEXT, group_name  # read as data: TEXT[lang][key]

GROUP_FIELDS = GROUPS  # the fields each group's tables give (one table for the join and the period decision)
_SUFFIXES = ("_ci_bawah", "_ci_atas", "_eb")


def group_of(column: str) -> str | None:
    """The indicator group a joined column belongs to (its source, period, intervals and derived columns too)."""
    for head in ("sumber_", "periode_"):
        if column.startswith(head) and column[len(head):] in GROUP_FIELDS:
            return column[len(head):]
    for group, fields in GROUP_FIELDS.items():
        if column in fields:
            return group
    base = column
    for suffix in _SUFFIXES:
        base = base.removesuffix(suffix)
    if base in INFO and INFO[base].group:
        return INFO[base].group
    if base in DERIVED:
        return group_of(DERIVED[base][1][0])
    return None


@dataclass(frozen=True)
class PeriodChoice:
    """The period a group's city-wide products use, and how it was chosen."""

    group: str
    period: str  # "" for a table given without a period
    reporting: int  # kelurahan with this group's data in that period
    total: int  # kelurahan of the kab/kota
    complete: bool
    how: str  # "auto" | "config" | "config_missing" (the config's period has no figure of it) | "best" (none complete)
    reporting_by_period: tuple[tuple[str, int], ...] = ()
    share: float = COMPLETE_SHARE  # the share of kelurahan that makes a period complete

    def label(self, lang: str = "id") -> str:
        """'2023 (67 dari 67 kelurahan)'; a partial one says 'sebagian'."""
        return period_label(self.period, self.reporting, self.total, lang, self.complete)

    def why(self, lang: str = "id") -> str:
        """Why this period, in ``lang`` (" (dipilih di konfigurasi)", " (periode lengkap terakhir; 2024 lebih baru tetapi
        hanya 21 dari 67 kelurahan melapor ...)"); "" where it is simply the latest period and complete."""
        share = f"{round(self.share * 100)} %"  # a whole percent: no marks to format
        if self.how == "config":
            return TEXT[lang]["city_period_config"]
        if self.how == "config_missing":
            return TEXT[lang]["city_period_missing"]
        if self.how == "best":
            return TEXT[lang]["city_period_best"].format(share=share)
        later = [(p, n) for p, n in self.reporting_by_period if p > self.period]  # later periods, all partial (else chosen)
        if not later:
            return ""
        p, n = later[-1]
        return TEXT[lang]["city_period_latest"].format(later=p, n=n, total=self.total, share=share)

    def partial_periods(self) -> list[str]:
        return [p for p, n in self.reporting_by_period if n < self.total and p != self.period]


def period_name(period: str, lang: str = "id") -> str:
    return period or TEXT[lang]["no_period"]


def period_label(period: str, reporting: int, total: int, lang: str = "id", complete: bool | None = None) -> str:
    """'2023 (67 dari 67 kelurahan)' for a complete period (every kelurahan, or the share the rule asks), else
    '2024, sebagian: 22 dari 67 kelurahan'."""
    name = period_name(period, lang)
    complete = reporting >= total if complete is None else complete
    return TEXT[lang]["period_complete" if complete else "period_partial"].format(period=name, n=reporting, total=total)


def is_complete(reporting: int, total: int, share: float = COMPLETE_SHARE) -> bool:
    return total > 0 and reporting >= share * total


def reporting(frame: pd.DataFrame, group: str) -> int:
    """Kelurahan whose row in one period's join carries a figure of this group (a matched row with blank cells is
    no report: Cibendung's family counts without toddlers measured report ``keluarga``, not ``gizi``)."""
    fields = [c for c in GROUP_FIELDS[group] if c in frame.columns]
    return int(frame[fields].notna().any(axis=1).sum()) if fields else 0


def files(frame: pd.DataFrame, group: str, missing: str = "?") -> str:
    """The source files of a group's figures in a joined frame (``sumber_<group>``), listed once each."""
    col = f"sumber_{group}"
    return ", ".join(sorted({str(v) for v in frame[col].dropna()})) if col in frame.columns else missing


def decide(joined: dict[str, pd.DataFrame], total: int, *, share: float = COMPLETE_SHARE,
           city: str | None = None) -> dict[str, PeriodChoice]:
    """group -> PeriodChoice, from the per-period joins (period "" = tables without a period)."""
    given = {p for p, f in joined.items() if any(reporting(f, g) for g in GROUP_FIELDS)}
    if city and city not in given:
        raise InputError(f"[periods] city = {city!r}: no [[data]] table of that period gives a figure",
                         hint=f"periods with figures: {', '.join(sorted(p or 'none' for p in given)) or 'none'}; or city = \"auto\"")
    out = {}
    for group in GROUP_FIELDS:
        counts = {p: reporting(f, group) for p, f in joined.items()}
        counts = {p: n for p, n in counts.items() if n}
        if not counts:
            continue
        if "" in counts and len(counts) > 1:
            dated = ", ".join(f"{files(joined[p], group)} ({p})" for p in sorted(counts) if p)
            raise InputError(f"[[data]] {files(joined[''], group)}: its {group} figures have no period, those of {dated} have one; "
                             "which is the later cannot be guessed",
                             hint=f"give {files(joined[''], group)} the period its figures are of, in its [[data]] table: period = \"YYYY\"")
        out[group] = _choose(group, counts, total, share, city)
    return out


def _choose(group: str, counts: dict[str, int], total: int, share: float, city: str | None) -> PeriodChoice:
    ordered = tuple(sorted(counts.items()))
    if city and city in counts:
        period, how = city, "config"
    elif city:  # the config's period gives no figure of this group: its latest complete one, said
        complete = [p for p, n in ordered if is_complete(n, total, share)]
        period, how = (complete[-1] if complete else max(ordered, key=lambda pn: (pn[1], pn[0]))[0]), "config_missing"
    else:
        complete = [p for p, n in ordered if is_complete(n, total, share)]
        if complete:
            period, how = complete[-1], "auto"
        else:  # none complete: the best covered, the latest of equals
            period, how = max(ordered, key=lambda pn: (pn[1], pn[0]))[0], "best"
    n = counts[period]
    return PeriodChoice(group, period, n, total, is_complete(n, total, share), how, ordered, share)


def assemble(base: gpd.GeoDataFrame, joined: dict[str, pd.DataFrame], choices: dict[str, PeriodChoice]) -> gpd.GeoDataFrame:
    """One kelurahan layer: each group's columns from its city period, and every dated period's as ``<column>__<period>``.

    A column of no group, or of a group no period gives a figure of, comes from the latest period that has it.
    """
    out = base.copy()
    own = set(base.columns)
    for period in sorted(joined):
        frame = joined[period]
        for c in frame.columns:
            if c in own:
                continue
            group = group_of(c)
            if group not in choices or choices[group].period == period:  # no group, or no figure at all: the latest
                out[c] = frame[c].to_numpy()
    for period in sorted(joined):
        if not period:
            continue
        frame = joined[period]
        extra = {f"{c}__{period}": frame[c].to_numpy() for c in frame.columns if c not in own}
        out = pd.concat([out, pd.DataFrame(extra, index=out.index)], axis=1)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=base.crs)


def summary(choices: dict[str, PeriodChoice], lang: str = "id") -> list[str]:
    """One line per group: the city period and the partial periods beside it."""
    lines = []
    for group, c in choices.items():
        line = TEXT[lang]["city_period_line"].format(group=group_name(lang, group), label=c.label(lang)) + c.why(lang)
        partial = [period_label(p, n, c.total, lang, is_complete(n, c.total, c.share)) for p, n in c.reporting_by_period
                   if p != c.period]
        if partial:
            line += TEXT[lang]["city_period_others"].format(others="; ".join(partial))
        lines.append(line)
    return lines
