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

from serang_gis.core.indicators import FACTOR
from serang_gis.core.text import t
from serang_gis.plan import layers as plan

REACH_COLOR, LOKUS_COLOR = "#1b7837", "#7b3294"  # the office's reach (green), the lokus (purple, as on the convergence map)
REACH_WEIGHT = 7  # px: the reach a wide green band under the lokus' dashed purple line, seen at city zoom (walk 23 item 10)
QGIS_REACH_MM = 1.4  # mm: the QGIS lokus-reach layer's lines (the lokus outline layers draw 0.9)


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
    factor_lines: tuple[str, ...] = ()  # per factor: its role, the layers that map it, the rates with no data (and why)
    unreached_lines: tuple[str, ...] = ()  # the unreached lokus with the rate of the office's main factor, highest first
    hot: tuple[str, ...] = ()  # non-lokus kelurahan in the top class of a factor layer that no activity of the office reaches
    period_why: tuple[tuple[str, str], ...] = ()  # (factor layer column, why its period: " (periode lengkap terakhir; ...)")

    @property
    def factor_layers(self) -> list:
        return [x for x in self.layers if x.kind == "choropleth"]


def plan_offices(s, u: plan.Units, konvergensi, classes_of, shown_of, unread: dict | None = None) -> list[Office]:
    """Every office of the factor table and of the matrices, in the factor table's order (then the matrices').

    ``classes_of(column)``: the classes the atlas gives that rate; ``shown_of(column)``: (value column, period, title) of
    the layer its own map shows first (the city period): an office's map reads as the indicator's map. ``unread``: field ->
    (file, header) of a column the reading left unread although it looks like that field (said beside the factor)."""
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
        lines = _factor_lines(s.lang, table, code, factor_layers, kel, unread or {})
        missing = _missing(s.lang, table.factors_of(code), factor_layers, activities, acts is not None, lines)
        layers = tuple(factor_layers) + tuple(_outlines(kel, reached, lokus, lokus_name, s.lang, bool(activities)))
        open_lokus = kel[lokus & ~kel["kode_kel"].isin(reached)] if acts is not None and lokus.any() else kel.iloc[:0]
        main = _main_layer(table, code, factor_layers)
        shown = bool(factor_layers or activities)
        out.append(Office(code, name, f"opd_{plan_slug(code)}.html" if shown else None, tuple(table.factors_of(code)), layers,
                          activities, acts is not None, tuple(_names(open_lokus)), lokus_name, missing, tuple(x for _, x in lines),
                          tuple(_with_rate(s.lang, open_lokus, main)),
                          tuple(_hot(s.lang, kel, lokus, reached, factor_layers)) if acts is not None else ()))
    return out


def _factor_lines(lang: str, table, code: str, layers: list, kel, unread: dict) -> list[tuple[bool, str]]:
    """(has data, line) per factor of the office: "air minum (utama): <its layers>; tidak ada data: <rates without data>"."""
    titles = {x.column.partition("__")[0]: x.title for x in layers}
    out, seen = [], set()
    for r in sorted(table.rows, key=lambda r: r.peran != "utama"):  # its lead factors first, as its layers (stable)
        if r.opd != code or r.faktor in seen:
            continue
        seen.add(r.faktor)
        inds = [x for x in r.indikator if x in titles or plan.INFO.get(x) is not None and plan.INFO[x].kind == "rate"]
        shown = [titles[x] for x in inds if x in titles]
        lacking = [_unread_label(lang, x, unread) for x in inds if x not in titles]
        what = "; ".join(shown + ([t(lang, "opd.no_data", what=", ".join(lacking))] if lacking else []))
        what = what or t(lang, "opd.no_data", what=", ".join(_unread_label(lang, x, unread) for x in r.indikator) or "–")
        out.append((bool(shown), t(lang, "opd.factor_role", factor=factor_name(r.faktor, lang), role=t(lang, f"opd.role.{r.peran}"),
                                   what=what)))
    return out


def factor_name(faktor: str, lang: str) -> str:
    """A factor's name in ``lang`` (faktor.<name> in the text catalogue); a factor the user's table adds: its short name."""
    from serang_gis.core.text import TEXT

    key = f"faktor.{faktor}"
    return t(lang, key) if key in TEXT[lang] else faktor.replace("_", " ")


def _unread_label(lang: str, column: str, unread: dict) -> str:
    """The rate's name; "(column 'JML KRS' of krs.xlsx not read)" when the reading left a column like its count unread."""
    label = plan.INFO[column].label(lang) if column in plan.INFO else column.replace("_", " ")
    hit = next((unread[c] for c in (column, column.removeprefix("persen_")) if c in unread), None)
    return t(lang, "opd.unread", label=label, header=hit[1], file=hit[0]) if hit else label


def _main_layer(table, code: str, layers: list):
    """The layer of the office's first lead (utama) factor that has data, else its first layer."""
    lead = [x for r in table.rows if r.opd == code and r.peran == "utama" for x in r.indikator]
    return next((x for c in lead for x in layers if x.column.partition("__")[0] == c), layers[0] if layers else None)


def _rate(lang: str, layer, value) -> str:
    from serang_gis.core.numbers import number

    v = pd.to_numeric(value, errors="coerce")
    return t(lang, "no_data") if pd.isna(v) else number(float(v), layer.dec, lang) + (f" {layer.unit}" if layer.unit else "")


def _with_rate(lang: str, rows: pd.DataFrame, layer) -> list[str]:
    """Each lokus not reached, with the main factor's rate there, the worst first (no data last)."""
    if layer is None:
        return _names(rows)
    rows = rows.assign(rate_v=pd.to_numeric(rows[layer.column], errors="coerce")).sort_values(
        ["rate_v", "kecamatan", "kelurahan"], ascending=[_lower_worse(layer), True, True], na_position="last")
    return [t(lang, "opd.unreached_rate", place=f"{r.kelurahan} (Kec. {r.kecamatan})", label=layer.title, value=_rate(lang, layer, r.rate_v))
            for r in rows.itertuples()]


def _lower_worse(layer) -> bool:
    """An STBM pillar or a good sanitation rung: less is worse (its worst class is the lowest)."""
    factor = FACTOR.get(layer.column.partition("__")[0])
    return factor is not None and factor.worse == "lower"


def _hot(lang: str, kel, lokus: pd.Series, reached: set, layers: list) -> list[str]:
    """Non-lokus kelurahan no activity of the office reaches, in the worst class of one of its factor layers (the highest
    class; the lowest for a pillar, where less is worse): each with those layers' rates, by kecamatan then name."""
    base = kel.reset_index(drop=True)
    free = (~lokus.to_numpy()) & ~base["kode_kel"].isin(reached).to_numpy()
    out = []
    for i in base.sort_values(["kecamatan", "kelurahan"]).index:
        top = [x for x in layers if free[i] and x.classes is not None and int(x.index[i]) == (0 if _lower_worse(x) else x.classes.k - 1)]
        if top:
            what = "; ".join(f"{x.title}: {_rate(lang, x, base.at[i, x.column])}" for x in top)
            out.append(t(lang, "opd.hot", place=f"{base.at[i, 'kelurahan']} (Kec. {base.at[i, 'kecamatan']})", what=what))
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
                                  marks=[None] * n, color=REACH_COLOR, weight=REACH_WEIGHT, note=t(lang, "opd.reach_item")))
    if lokus.any():
        name = lokus_name or ""
        out.append(plan.LayerPlan("lokus", "outline", "lokus", t(lang, "lokus", year=name).strip(),
                                  index=np.where(lokus.to_numpy(), 0, -1), marks=[None] * n, color=LOKUS_COLOR, dash=True,
                                  note=t(lang, "lokus_item", year=name).strip()))
    return out


def lokus_reach_layer(office: Office, lang: str):
    """The lokus the office's activities reach and those they do not, as one outline layer of two classes (the QGIS
    group of the office; the HTML page draws the same as its reach band and lokus outline); None without a matrix or lokus."""
    by_id = {x.id: x for x in office.layers}
    if not office.has_matrix or "lokus" not in by_id:
        return None
    lokus = by_id["lokus"].index >= 0
    reached = by_id["opd_jangkauan"].index >= 0 if "opd_jangkauan" in by_id else np.zeros(len(lokus), dtype=bool)
    index = np.where(lokus, np.where(reached, 0, 1), -1)
    cats = [("dijangkau", REACH_COLOR, t(lang, "opd.lokus_reached")), ("tidak_dijangkau", LOKUS_COLOR, t(lang, "opd.lokus_unreached"))]
    return plan.LayerPlan(f"opd_{office.code}_lokus", "outline", "jangkauan_lokus_opd", t(lang, "opd.lokus_layer", name=office.name),
                          categories=cats, index=index, marks=[None] * len(index), weight=QGIS_REACH_MM,
                          note=t(lang, "opd.lokus_layer_note", reached=int((index == 0).sum()), total=int(lokus.sum())))


def _names(rows: pd.DataFrame) -> list[str]:
    return [f"{r.kelurahan} (Kec. {r.kecamatan})" for r in rows.sort_values(["kecamatan", "kelurahan"]).itertuples()]


def _missing(lang: str, factors: list[str], layers: list, activities: tuple, has_matrix: bool, lines: list) -> list[str]:
    out = []
    if not factors:
        out.append(t(lang, "opd.no_factor_row"))
    elif not layers:
        out += [x for _, x in lines]
    if not has_matrix:
        out.append(t(lang, "opd.no_matrix"))
    elif not activities:
        out.append(t(lang, "opd.no_activity"))
    return out
