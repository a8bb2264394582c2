"""The per-office view (issue 23): for each office (OPD), the map of the factors it owns, the lokus, its own activities.

"Offices do not see their own part of the map." ``plan_offices`` decides, for every office of the factor-to-office
table (``read.faktor.FactorTable``) and every office of the activity matrices: the factor layers of its page (the rate
columns of its factors that the joined layer holds, classed as the indicator maps class them, one shown at a time), the
lokus outline, the kelurahan its activities reach, its activities (what, where, pagu) and the lokus none of its
activities reaches. An office with neither factor data nor activities gets no page: the index lists it with what is
missing. ``render.leaflet.opd`` draws a page and decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from serang_gis.core.text import t
from serang_gis.plan import layers as plan

REACH_COLOR, LOKUS_COLOR = "#1b7837", "#7b3294"  # the office's reach (green), the lokus (purple, as on the convergence map)


@dataclass(frozen=True)
class Activity:
    """One activity of the office as its page lists it."""

    name: str  # sub-kegiatan (else kegiatan)
    where: str  # the kelurahan it reaches by name, "se-kota", or the Lokasi that matched nothing
    kelurahan: tuple[str, ...]  # codes of the kelurahan it reaches (empty: city-wide or unmatched)
    pagu: float
    row: int  # its row in the matrix


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    file: str | None  # its page; None: nothing to show (``missing`` says why)
    factors: tuple[str, ...]  # the factors the table gives it
    layers: tuple  # plan.LayerPlan: the factor layers (exclusive), then the reach and lokus outlines
    activities: tuple[Activity, ...] = ()
    has_matrix: bool = False  # an activity matrix was given
    unreached: tuple[str, ...] = ()  # "Kelurahan (Kec. X)" of each lokus none of its activities reaches
    lokus_name: str | None = None
    missing: tuple[str, ...] = ()  # what the office lacks, said in the page's language

    @property
    def factor_layers(self) -> list:
        return [x for x in self.layers if x.kind == "choropleth"]


def plan_offices(s, u: plan.Units, konvergensi, classes_of, shown_of) -> list[Office]:
    """Every office of the factor table and of the matrices, in the factor table's order (then the matrices').

    ``classes_of(column)``: the classes the atlas gives that rate; ``shown_of(column)``: (value column, period, title) of
    the layer its own map shows first (the city period): an office's map reads as the indicator's map."""
    table = s.factors
    if table is None:
        return []
    kel = u.kelurahan
    acts = konvergensi.kegiatan if konvergensi is not None else None
    codes = table.offices() + ([c for c in dict.fromkeys(acts["opd"]) if c and c not in table.offices()] if acts is not None else [])
    names = _office_names()
    lokus, lokus_name = _lokus(kel, konvergensi, s)
    out = []
    for code in codes:
        name = names.get(code) or next((n for n in (acts[acts["opd"] == code]["opd_nama"] if acts is not None else []) if n), code)
        own = acts[acts["opd"] == code] if acts is not None else None
        factor_layers = _factor_layers(s, kel, table.indicators_of(code, kel.columns), code, classes_of, shown_of)
        activities = tuple(_activities(own, kel, s.lang)) if own is not None else ()
        reached = {c for a in activities for c in a.kelurahan}
        missing = _missing(s.lang, table.factors_of(code), factor_layers, activities, acts is not None)
        layers = tuple(factor_layers) + tuple(_outlines(kel, reached, lokus, lokus_name, s.lang, bool(activities)))
        unreached = tuple(_names(kel[lokus & ~kel["kode_kel"].isin(reached)])) if activities and lokus.any() else ()
        shown = bool(factor_layers or activities)
        out.append(Office(code, name, f"opd_{plan_slug(code)}.html" if shown else None, tuple(table.factors_of(code)), layers,
                          activities, acts is not None, unreached, lokus_name, missing))
    return out


def plan_slug(text: str) -> str:
    return "".join(ch.lower() if ch.isalnum() else "_" for ch in str(text)).strip("_")


def _office_names() -> dict[str, str]:
    from serang_gis.read.kegiatan import known_offices

    return dict(zip(known_offices()["kode"], known_offices()["nama"]))


def _lokus(kel, konvergensi, s) -> tuple[pd.Series, str | None]:
    """The lokus flags the page outlines and counts against: the convergence view's (its [rank] lokus), else the rank's."""
    if konvergensi is not None and "lokus" in konvergensi.kelurahan.columns:
        flags = kel["kode_kel"].map(konvergensi.kelurahan.set_index("kode_kel")["lokus"])
        return flags.fillna(False).astype(bool), konvergensi.lokus_name or s.lokus_name
    if "lokus" in kel.columns:
        return kel["lokus"].fillna(False).astype(bool), s.lokus_name
    return pd.Series(False, index=kel.index), None


def _factor_layers(s, kel, columns: list[str], code: str, classes_of, shown_of) -> list[plan.LayerPlan]:
    """The office's factors that the data holds as rates, one layer each (of the city period where the data has periods),
    exclusive (the first shown)."""
    out = []
    for col in columns:
        info = plan.info_of(col, kel)
        if info.kind != "rate" or pd.to_numeric(kel[col], errors="coerce").isna().all():
            continue
        vcol, period, title = shown_of(col)
        kw = {"value_column": vcol, "period": period} if vcol != col else {}
        layer = plan.rate_layer(kel, col, classes_of(col), lang=s.lang, title=title, group=f"opd_{code}",
                                layer_id=f"opd_{code}__{vcol}", show=not out, **kw)
        out.append(layer)
    return out


def _activities(own: pd.DataFrame, kel, lang: str):
    known = dict(zip(kel["kode_kel"], kel["kelurahan"]))
    for r in own.itertuples():
        codes = tuple(c for c in (r.kode_kel if isinstance(r.kode_kel, (list, tuple, set, frozenset)) else ()) if c in known)
        if r.lokasi_jenis == "kota":
            where = t(lang, "opd.city_wide")
        elif r.lokasi_jenis == "tidak_cocok" or not codes:
            where = t(lang, "opd.unmatched", lokasi=str(r.lokasi or ""))
        else:
            where = ", ".join(sorted(known[c] for c in codes))
        name = str(r.sub_kegiatan or r.kegiatan or "").strip() or t(lang, "opd.unnamed")
        pagu = float(r.pagu) if pd.notna(r.pagu) else float("nan")
        yield Activity(name, where, tuple(sorted(codes)) if r.lokasi_jenis != "kota" else (), pagu, int(r.row))


def _outlines(kel, reached: set, lokus: pd.Series, lokus_name, lang: str, has_activities: bool) -> list[plan.LayerPlan]:
    out = []
    n = len(kel)
    if has_activities:
        on = kel["kode_kel"].isin(reached).to_numpy()
        out.append(plan.LayerPlan("opd_jangkauan", "outline", "opd_jangkauan", t(lang, "opd.reach"), index=np.where(on, 0, -1),
                                  marks=[None] * n, color=REACH_COLOR, note=t(lang, "opd.reach_item")))
    if lokus.any():
        name = lokus_name or ""
        out.append(plan.LayerPlan("lokus", "outline", "lokus", t(lang, "lokus", year=name).strip(),
                                  index=np.where(lokus.to_numpy(), 0, -1), marks=[None] * n, color=LOKUS_COLOR, dash=True,
                                  note=t(lang, "lokus_item", year=name).strip()))
    return out


def _names(rows: pd.DataFrame) -> list[str]:
    return [f"{r.kelurahan} (Kec. {r.kecamatan})" for r in rows.sort_values(["kecamatan", "kelurahan"]).itertuples()]


def _missing(lang: str, factors: list[str], layers: list, activities: tuple, has_matrix: bool) -> list[str]:
    out = []
    if not factors:
        out.append(t(lang, "opd.no_factor_row"))
    elif not layers:
        out.append(t(lang, "opd.no_factor_data", factors=", ".join(factors)))
    if not has_matrix:
        out.append(t(lang, "opd.no_matrix"))
    elif not activities:
        out.append(t(lang, "opd.no_activity"))
    return out
