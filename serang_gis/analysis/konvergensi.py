"""The convergence view: which office acts where, and does the money reach the lokus.

From the activities of one or more Aksi 2 matrices (``kegiatan.read_kegiatan``) and a joined
kelurahan layer, ``compute`` gives, per kelurahan: the distinct offices (OPD) whose activities reach
it (named directly or through its kecamatan; city-wide activities reach no kelurahan), the distinct
sub-kegiatan, the located pagu (``split="equal"``: an activity's pagu divided equally over the
kelurahan it names; ``"stunting"`` / ``"sasaran"``: in proportion to their balita_stunting /
sasaran_balita; ``split="none"``: counted whole for each of them, so the sum over kelurahan is
larger than the budget), the part of it that comes from kecamatan-level activities split down
(``pagu_turunan``, and ``pagu_hanya_turunan`` where that is all of it), pagu per stunted toddler and
per family at risk, the five service packages that reach it, and a need x spending class (3 x 3).
Per office and in total: the headline, the share of located pagu that lands in lokus kelurahan by
allocation (the split; equal for ``none``); beside it the share of located pagu in activities that
touch at least one lokus kelurahan, counted whole (the old measure); and the shares of all pagu
allocated to lokus and to non-lokus kelurahan, city-wide (unlocated) and whose Lokasi matched
nothing, with the amounts. ``render.konvergensi.build_products`` writes every product into a folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from serang_gis.core.errors import InputError
from serang_gis.read.kegiatan import Kegiatan, OpdMatcher
from serang_gis.core.numbers import count, number, percent, rupiah
from serang_gis.core.text import TEXT, Msg, indicator_label, say  # read as data: TEXT[lang][key]
from serang_gis.read.paket import PAKET, label as paket_label

SPLITS = ("equal", "stunting", "sasaran", "none")
SPLIT_NEED = {"stunting": "balita_stunting", "sasaran": "sasaran_balita"}  # need-weighted splits and the column they divide by
KEYS = ["kode_kel", "kelurahan", "kode_kec", "kecamatan", "kode_kab", "kabkota"]
NEEDS = ["balita_stunting", "prevalensi_stunting", "keluarga_berisiko", "persen_keluarga_berisiko", "kesenjangan_sanitasi", "belum_odf"]
# which need says that a missing package is a gap that matters
PAKET_NEED = {"air_sanitasi": ("kesenjangan_sanitasi", "belum_odf"), "konseling_gizi": ("prevalensi_stunting",),
              "kia": ("prevalensi_stunting",), "perlindungan_sosial": ("persen_keluarga_berisiko",), "paud": ()}
CLASSES = ("lokus", "non_lokus", "kota", "tidak_cocok")
# 3 x 3 bivariate palette (Joshua Stevens), need (first digit) x spending (second digit); "low, none" a darker grey than
# his #e8e8e8, which at the fill's opacity all but vanished into the map's pale background
BIVARIATE = {"11": "#c8c8c8", "21": "#e4acac", "31": "#c85a5a", "12": "#b0d5df", "22": "#ad9ea5", "32": "#985356",
             "13": "#64acbe", "23": "#627f8c", "33": "#574249"}


@dataclass
class Konvergensi:
    kelurahan: gpd.GeoDataFrame  # one row per kelurahan, the columns of COLUMNS
    kegiatan: pd.DataFrame  # every activity, with its class (lokus / non_lokus / kota / tidak_cocok)
    opd: pd.DataFrame  # headline per office (and a total row)
    matrix: pd.DataFrame  # kelurahan x office located pagu, lokus first
    gaps: pd.DataFrame  # lokus x package not reached, with the need
    context: pd.DataFrame  # the paper's budgets per office (Tables 2 and 3)
    split: str
    lokus_name: str | None
    need: str | None  # the need field of the bivariate layer
    bivariate_breaks: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    # per located activity (index of ``kegiatan``) x kelurahan: its fraction (bobot) and its pagu by allocation
    alokasi: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["kode_kel", "bobot", "pagu_alokasi"]))

    @property
    def total(self) -> dict:
        return self.opd[self.opd["opd"] == "TOTAL"].iloc[0].to_dict()


def combine(kegiatan: list[Kegiatan]) -> pd.DataFrame:
    frames = []
    for k in kegiatan:
        frames.append(k.rows.assign(berkas=k.path.name + (f"[{k.raw.sheet}]" if k.raw.sheet else "")))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    rows["sub_key"] = [f"{o}|{(c or s or f'{b}:{r}').casefold()}" for o, c, s, b, r in
                       zip(rows["opd"], rows["kode"], rows["sub_kegiatan"], rows["berkas"], rows["row"])]
    return rows


def compute(kel: gpd.GeoDataFrame, kegiatan: list[Kegiatan] | Kegiatan, *, lokus: pd.Series | None = None,
            lokus_name: str | None = None, split: str = "equal", lang: str = "id") -> Konvergensi:
    if split not in SPLITS:
        raise InputError(f"split {split!r} is not one of {', '.join(SPLITS)}")
    column = SPLIT_NEED.get(split)
    if column and column not in kel.columns:
        raise InputError(TEXT["en"]["konv_split_missing"].format(split=split, column=column),
                         hint=TEXT["en"]["konv_split_missing_hint"].format(column=column))
    kegiatan = [kegiatan] if isinstance(kegiatan, Kegiatan) else list(kegiatan)
    kel = kel.reset_index(drop=True)
    acts = combine(kegiatan)
    lokus_set = set(kel.loc[lokus.fillna(False).astype(bool).to_numpy(), "kode_kel"]) if lokus is not None else set()
    _classify(acts, lokus_set)
    notes = []
    ex = _located_shares(acts, kel, split, notes)
    _allocate(acts, ex, lokus_set)
    out = _reach(kel, ex, lang)
    _pagu_per_need(out, notes)
    _mark_split_down(out, notes, lang)
    if lokus is not None:
        out["lokus"] = out["kode_kel"].isin(lokus_set)
    out["daftar_kegiatan"] = out["kode_kel"].map(_activity_lists(ex, split, lang)).fillna("")
    need, breaks = _need_spending_classes(out, notes)
    opd = _headline(acts)
    matrix = _matrix(out, ex, lokus is not None)
    gaps = _gaps(out, acts, lokus is not None, lang)
    unreached = out[(out["jumlah_opd"] == 0) & (out["lokus"] if "lokus" in out else True)]
    if lokus is not None and len(unreached):
        notes.append(TEXT[lang]["konv.sum_unreached"].format(n=len(unreached), names=_name_list(unreached)))
    serang = "kode_kab" in kel.columns and (kel["kode_kab"] == reference_code()).all()
    context = paper_context() if serang else paper_context().iloc[0:0]  # the paper's budgets are Kota Serang's
    res = Konvergensi(out, acts, opd, matrix, gaps, context, split, lokus_name, need, breaks, notes)
    res.sources = [_source(k) for k in kegiatan]
    res.alokasi = pd.DataFrame({"kode_kel": ex["kode_kel"], "bobot": ex["bobot"], "pagu_alokasi": ex["pagu"].astype(float) * ex["bobot"]})
    return res


def _name_list(rows: pd.DataFrame, most: int = 10) -> str:
    """'Kasemen (Kec. Kasemen), ...' for a terminal line: the first ``most`` kelurahan, then how many more."""
    names = [f"{r.kelurahan} (Kec. {r.kecamatan})" if "kecamatan" in rows else str(r.kelurahan) for r in rows.head(most).itertuples()]
    more = len(rows) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _classify(acts: pd.DataFrame, lokus_set: set) -> None:
    """Each activity's class (kota / tidak_cocok / lokus / non_lokus) and how many kelurahan it names."""
    acts["kelas"] = [("kota" if kind == "kota" else "tidak_cocok" if kind == "tidak_cocok" else
                      "lokus" if lokus_set & set(codes) else "non_lokus")
                     for kind, codes in zip(acts["lokasi_jenis"], acts["kode_kel"])]
    acts["jumlah_kelurahan"] = acts["kode_kel"].map(len)


def _located_shares(acts: pd.DataFrame, kel: gpd.GeoDataFrame, split: str, notes: list[str]) -> pd.DataFrame:
    """One row per located activity x kelurahan of the layer: ``bobot``, that kelurahan's fraction of the
    activity's pagu by allocation (equal, or by the need of ``SPLIT_NEED``; equal for ``none``), and
    ``pagu_bagian``, its located pagu (pagu x bobot; the whole pagu for ``none``).

    A need-weighted activity naming a kelurahan without the figure, or only kelurahan with 0, is split
    equally (a note counts them)."""
    located = acts[acts["lokasi_jenis"].isin(["kecamatan", "kelurahan"])]
    ex = located.explode("kode_kel")
    ex = ex[ex["kode_kel"].isin(set(kel["kode_kel"]))].copy()
    ex["bobot"] = 1.0 / ex.groupby(level=0)["kode_kel"].transform("size")
    column = SPLIT_NEED.get(split)
    if column and len(ex):
        need = pd.to_numeric(kel.set_index("kode_kel")[column], errors="coerce")
        w = ex["kode_kel"].map(need).astype(float)
        w = w.where(w >= 0)
        total = w.groupby(level=0).transform("sum")
        bad = w.isna().groupby(level=0).transform("any") | ~(total > 0)
        ex["bobot"] = np.where(bad, ex["bobot"], w / total.where(total > 0, 1.0))
        which = located.loc[ex.index[bad.to_numpy()].unique()]
        if len(which):  # named: the user can see which activity's pagu was not split by need
            named = "; ".join(f"{r.row}: {r.sub_kegiatan or r.kegiatan}" for r in which.head(5).itertuples())
            notes.append(Msg("konv.split_fallback_rows", said=Msg("konv_split_fallback", n=len(which), column=column),
                             rows=named + ("; ..." if len(which) > 5 else "")))
    ex["pagu_bagian"] = ex["pagu"].astype(float) * (1.0 if split == "none" else ex["bobot"])
    return ex


def _allocate(acts: pd.DataFrame, ex: pd.DataFrame, lokus_set: set) -> None:
    """Each activity's pagu by allocation: ``pagu_ke_lokus`` (the parts of its kelurahan that are lokus),
    ``pagu_ke_non_lokus`` (the rest of a located activity's pagu); 0 for city-wide / unmatched ones."""
    part = ex["pagu"].astype(float) * ex["bobot"]
    to_lokus = part[ex["kode_kel"].isin(lokus_set).to_numpy()].groupby(level=0).sum()
    located = acts["lokasi_jenis"].isin(["kecamatan", "kelurahan"])
    acts["pagu_ke_lokus"] = acts.index.map(to_lokus).fillna(0.0).astype(float).where(located, 0.0)
    acts["pagu_ke_non_lokus"] = (acts["pagu"].astype(float) - acts["pagu_ke_lokus"]).where(located, 0.0)


def _reach(kel: gpd.GeoDataFrame, ex: pd.DataFrame, lang: str) -> gpd.GeoDataFrame:
    """The kelurahan layer with what reaches each: offices, sub-kegiatan, located pagu, service packages."""
    g = ex.groupby("kode_kel")
    # the period and file of each need figure (the map cites them)
    periods = [f"{w}_{g}" for g in ("gizi", "keluarga") for w in ("periode", "sumber") if f"{w}_{g}" in kel.columns]
    out = kel[[c for c in KEYS if c in kel.columns] + [c for c in NEEDS if c in kel.columns] + periods + ["geometry"]].copy()
    code = out["kode_kel"]
    out["jumlah_opd"] = code.map(g["opd"].nunique()).fillna(0).astype(int)
    out["jumlah_subkegiatan"] = code.map(g["sub_key"].nunique()).fillna(0).astype(int)
    out["pagu_terlokasi"] = code.map(g["pagu_bagian"].sum()).fillna(0.0).round(0)
    down = ex[ex["lokasi_jenis"] == "kecamatan"].groupby("kode_kel")["pagu_bagian"].sum()
    direct = set(ex.loc[ex["lokasi_jenis"] != "kecamatan", "kode_kel"])
    out["pagu_turunan"] = code.map(down).fillna(0.0).round(0)
    out["pagu_hanya_turunan"] = (out["pagu_turunan"] > 0) & ~code.isin(direct)
    names = ex.groupby("kode_kel")["opd_nama"].agg(lambda s: "; ".join(sorted(set(s))))
    out["daftar_opd"] = code.map(names).fillna("")
    for p in PAKET:
        reach = set(ex.loc[ex["paket"].map(lambda t, p=p: p in t), "kode_kel"])
        out[f"paket_{p}"] = code.isin(reach)
    out["jumlah_paket"] = out[[f"paket_{p}" for p in PAKET]].sum(axis=1).astype(int)
    out["paket_layanan"] = [", ".join(paket_label(p, lang) for p in PAKET if r[f"paket_{p}"]) for _, r in out.iterrows()]
    return out


def _pagu_per_need(out: gpd.GeoDataFrame, notes: list[str]) -> None:
    """Located pagu per stunted toddler and per family at risk (empty, with a note, when the layer lacks the count)."""
    for col, per in (("balita_stunting", "pagu_per_balita_stunting"), ("keluarga_berisiko", "pagu_per_keluarga_berisiko")):
        if col in out.columns:
            d = pd.to_numeric(out[col], errors="coerce")
            out[per] = (out["pagu_terlokasi"] / d.where(d > 0)).round(0)
        else:
            out[per] = np.nan
            notes.append(Msg("konv.no_need_column", column=col, per=per))


def _mark_split_down(out: gpd.GeoDataFrame, notes: list[str], lang: str) -> None:
    """``catatan_pagu``: the flag of kelurahan whose pagu (and so pagu per stunted toddler) only comes from
    kecamatan-level activities split down; a note counts them."""
    only = out["pagu_hanya_turunan"]
    out["catatan_pagu"] = np.where(only, TEXT[lang]["konv_turunan_note"], "")
    if only.any():
        notes.append(TEXT[lang]["konv_turunan_count"].format(n=int(only.sum())))


def _need_spending_classes(out: gpd.GeoDataFrame, notes: list[str]) -> tuple[str | None, dict]:
    """The need x spending class of each kelurahan, two digits: the need's tercile, then the spending level
    (``_spending_levels``); returns the need field and the breaks (need: its terciles; pagu_terlokasi: [0, median of
    the positive amounts], or [0] when the positive amounts make one level)."""
    need = next((c for c in ("prevalensi_stunting", "balita_stunting") if c in out.columns
                 and pd.to_numeric(out[c], errors="coerce").notna().any()), None)
    breaks = {}
    if need:
        nv = pd.to_numeric(out[need], errors="coerce")
        nc, breaks[need] = _terciles(nv)
        sc, breaks["pagu_terlokasi"] = _spending_levels(out["pagu_terlokasi"], notes)
        out["kelas_kebutuhan_belanja"] = [f"{a}{b}" if a and b else None for a, b in zip(nc, sc)]
    else:
        out["kelas_kebutuhan_belanja"] = None
        notes.append(Msg("konv.no_need"))
    return need, breaks


def _source(k: Kegiatan) -> dict:
    """What one activity file gave: its rows, the blank and skipped rows, its notes and its own total rows."""
    return {"berkas": k.path.name, "baris_kegiatan": len(k.rows), "baris_kosong": sum(a == "blank row" for _, a in k.skipped),
            "dilewati": [{"baris": r, "alasan": a} for r, a in k.skipped if a != "blank row"],
            "catatan": k.notes, "peringatan": k.warnings, "satuan": k.units,
            "total_berkas": [{"baris": r, "label": lab, "pagu": v} for r, lab, v in k.totals]}


def _terciles(values: pd.Series) -> tuple[list[int | None], list[float]]:
    """Class 1-3 of each value by its terciles, intervals closed on the right: (min, t1], (t1, t2], (t2, max]."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    present = v.dropna()
    if present.empty:
        return [None] * len(v), []
    t1, t2 = float(present.quantile(1 / 3)), float(present.quantile(2 / 3))
    cls = [None if np.isnan(x) else (1 if x <= t1 else 2 if x <= t2 else 3) for x in v]
    return cls, [round(t1, 2), round(t2, 2)]


SPEND_RULE = ("need: terciles of the need, (min, t1], (t1, t2], (t2, max]; spending (pagu_terlokasi): 1 = 0 (no activity "
              "reaches it), 2 = positive and <= the median of the positive amounts, 3 = above that median (one level 2 "
              "when fewer than 2 amounts are positive or all are equal)")


def _spending_levels(values: pd.Series, notes: list[str]) -> tuple[list[int | None], list[float]]:
    """Spending level 1-3 of each located pagu: 1 no spending (0: no activity reaches it), 2 positive and at most the
    median of the positive amounts, 3 above it. Ties with zero no longer share a class with zero (six Taktakan kelurahan
    with exactly Rp 53.846.154 fell in the zero tercile). When fewer than 2 amounts are positive, or all positive amounts
    are equal, every positive one is level 2 ("some spending"), the breaks are [0] and a note says so."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    positive = v[v > 0]
    if positive.nunique() < 2:
        notes.append(Msg("konv.spend_one_level", n=len(positive)))
        return [None if np.isnan(x) else (2 if x > 0 else 1) for x in v], [0.0]
    median = float(positive.median())
    return [None if np.isnan(x) else (1 if x <= 0 else 2 if x <= median else 3) for x in v], [0.0, round(median, 2)]


def _rp(v, lang="id") -> str:
    return rupiah(v, lang, missing="-")


def _activity_lists(ex: pd.DataFrame, split: str, lang: str) -> dict[str, str]:
    """Per kelurahan, one line per activity reaching it: office: sub-kegiatan, pagu (share), sumber dana."""
    out = {}
    share, via = TEXT[lang]["konv.share"], TEXT[lang]["konv.via"]
    for code, grp in ex.sort_values(["opd_nama", "row"]).groupby("kode_kel", sort=False):
        lines = []
        for r in grp.itertuples():
            what = r.sub_kegiatan or r.kegiatan or r.program or "-"
            line = f"{r.opd_nama}: {what} – {_rp(r.pagu, lang)}"
            if split != "none" and r.jumlah_kelurahan > 1:
                line += f" ({share} {_rp(round(r.pagu_bagian), lang)})"
            if r.sumber_dana:
                line += f" – {r.sumber_dana}"
            if r.lokasi_jenis == "kecamatan":
                line += f" [{via}]"
            lines.append(line)
        out[code] = "\n".join(lines)
    return out


def _pct_of(amount: float, base: float):
    return round(100 * amount / base, 1) if base > 0 else None


def _headline(acts: pd.DataFrame) -> pd.DataFrame:
    """Per office and in total: ``persen_lokus_terlokasi`` (the headline: pagu allocated to lokus kelurahan /
    located pagu), ``persen_menyentuh_lokus`` (whole pagu of activities naming a lokus / located pagu), and
    ``pagu_*`` / ``persen_*`` of CLASSES as amounts and shares of all pagu (lokus / non_lokus by allocation)."""
    rows = []
    groups = [(o, n, g) for (o, n), g in acts.groupby(["opd", "opd_nama"], sort=True)] + [("TOTAL", "Total", acts)]
    for opd, name, g in groups:
        pagu = g["pagu"].astype(float)
        total = float(pagu.sum())
        row = {"opd": opd, "opd_nama": name, "kegiatan": len(g), "pagu_total": total}
        located = float(pagu[g["lokasi_jenis"].isin(["kecamatan", "kelurahan"])].sum())
        to_lokus = round(float(g["pagu_ke_lokus"].sum()), 0)
        amounts = {"lokus": to_lokus, "non_lokus": located - to_lokus}  # whole rupiah that add up to the located pagu
        for cls in CLASSES:
            amount = amounts.get(cls, float(pagu[g["kelas"] == cls].sum()))
            row[f"pagu_{cls}"] = amount
            row[f"persen_{cls}"] = _pct_of(amount, total)
        touch = float(pagu[g["kelas"] == "lokus"].sum())
        row.update(pagu_terlokasi=located, persen_lokus_terlokasi=_pct_of(amounts["lokus"], located),
                   pagu_menyentuh_lokus=touch, persen_menyentuh_lokus=_pct_of(touch, located),
                   persen_menyentuh_lokus_total=_pct_of(touch, total))
        row["kelurahan_dijangkau"] = len({c for codes, k in zip(g["kode_kel"], g["lokasi_jenis"]) if k != "tidak_cocok" for c in codes})
        rows.append(row)
    return pd.DataFrame(rows)


def _matrix(out: pd.DataFrame, ex: pd.DataFrame, has_lokus: bool) -> pd.DataFrame:
    cols = ["kode_kel", "kelurahan", "kecamatan"] + (["lokus"] if has_lokus else [])
    m = out[cols + [c for c in ("prevalensi_stunting", "kesenjangan_sanitasi", "belum_odf") if c in out.columns]].copy()
    if len(ex):
        pivot = ex.pivot_table(index="kode_kel", columns="opd_nama", values="pagu_bagian", aggfunc="sum")
        for c in sorted(pivot.columns):
            m[c] = m["kode_kel"].map(pivot[c]).round(0)
    m["jumlah_opd"] = out["jumlah_opd"]
    for p in PAKET:
        m[f"paket_{p}"] = out[f"paket_{p}"]
    sort = ["lokus", "kode_kel"] if has_lokus else ["kode_kel"]
    return m.sort_values(sort, ascending=[False, True] if has_lokus else True).reset_index(drop=True)


def _gaps(out: pd.DataFrame, acts: pd.DataFrame, has_lokus: bool, lang: str) -> pd.DataFrame:
    """Every (lokus) kelurahan x package that no located activity delivers there; ``kebutuhan_tinggi`` when the need of
    that package is at or above the median of the kelurahan with data (or the kelurahan is not ODF); ``opd_se_kota``: the
    offices whose city-wide activities carry that package (they reach everyone but are aimed at no kelurahan)."""
    focus = out[out["lokus"]] if has_lokus else out
    rows = []
    city = acts[acts["kelas"] == "kota"]
    for p, needs in PAKET_NEED.items():
        wide = "; ".join(sorted(set(city.loc[city["paket"].map(lambda t, p=p: p in t), "opd_nama"])))
        med = {n: pd.to_numeric(out[n], errors="coerce").median() for n in needs if n in out.columns and n != "belum_odf"}
        for _, r in focus[~focus[f"paket_{p}"]].iterrows():
            reasons = []
            for n in needs:
                if n not in out.columns or pd.isna(r[n]):
                    continue
                if n == "belum_odf":
                    if bool(r[n]):
                        reasons.append(TEXT[lang]["konv.not_odf"])
                elif float(r[n]) >= med[n]:
                    pct = " %" if str(n).startswith(("prevalensi", "persen")) else ""  # a rate says it is one: "33,0 % ≥ median 21,3 %"
                    reasons.append(TEXT[lang]["konv.above_median"].format(need=indicator_label(lang, n), value=number(r[n], 1, lang) + pct,
                                                                         median=number(med[n], 1, lang) + pct))
            rows.append({"kode_kel": r["kode_kel"], "kelurahan": r["kelurahan"], "kecamatan": r["kecamatan"], "paket": paket_label(p, lang),
                         "jumlah_opd": int(r["jumlah_opd"]), "kebutuhan_tinggi": bool(reasons), "alasan": "; ".join(reasons),
                         "opd_se_kota": wide})
    cols = ["kode_kel", "kelurahan", "kecamatan", "paket", "jumlah_opd", "kebutuhan_tinggi", "alasan", "opd_se_kota"]
    g = pd.DataFrame(rows, columns=cols)
    return g.sort_values(["kebutuhan_tinggi", "kode_kel", "paket"], ascending=[False, True, True]).reset_index(drop=True)


def reference_code() -> str:
    from serang_gis.read.reference import KOTA_SERANG

    return KOTA_SERANG


def paper_context() -> pd.DataFrame:
    """The paper's budgets per office (Table 2, 2022; Table 3, 2023), offices matched to the known ones."""
    from serang_gis.read import reference

    m = OpdMatcher()
    frames = []
    for year in (2022, 2023):
        tab = reference.anggaran(year)
        hits = [m.match(p) for p in tab["pelaksana"]]
        frames.append(pd.DataFrame({"tahun": year, "pelaksana_makalah": tab["pelaksana"], "opd": [h.kode for h in hits],
                                    "opd_nama": [h.nama for h in hits], "anggaran_rp": tab["anggaran_rp"], "sumber_dana": tab["sumber_dana"]}))
    out = pd.concat(frames, ignore_index=True)
    out["catatan"] = ["Table 2 prints 8.677.703.00; the printed total 36.220.427.730 only adds up with 8.677.703.000, used here"
                      if y == 2022 and o == "pupr" else "" for y, o in zip(out["tahun"], out["opd"])]
    return out


PAPER_NOTE = TEXT["id"]["konv.paper_note"]  # as stored in the report; pages read t(lang, "konv.paper_note")


# ---- products ------------------------------------------------------------------------------------


def report_dict(res: Konvergensi, lang: str = "en") -> dict:
    """The JSON report; its notes and definitions read in ``lang`` (the build's language), its keys fixed."""
    acts = res.kegiatan
    per_kind = acts["lokasi_jenis"].value_counts().to_dict()
    total = res.total

    def num(v):
        return None if v is None or pd.isna(v) else (int(v) if float(v).is_integer() else float(v))

    return {
        "split": res.split, "lokus": res.lokus_name,
        "kegiatan": int(len(acts)), "opd": sorted(set(acts["opd_nama"])),
        "lokasi": {k: int(per_kind.get(k, 0)) for k in ("kota", "kecamatan", "kelurahan", "tidak_cocok")},
        "utama": {"persen_lokus_terlokasi": num(total["persen_lokus_terlokasi"]), "pagu_lokus": num(total["pagu_lokus"]),
                  "pagu_terlokasi": num(total["pagu_terlokasi"]), "split_alokasi": alloc_split(res.split),
                  "definisi": TEXT[lang]["konv_def_alloc"].format(split=alloc_split(res.split))},
        "menyentuh_lokus": {"persen": num(total["persen_menyentuh_lokus"]), "pagu": num(total["pagu_menyentuh_lokus"]),
                            "persen_dari_total": num(total["persen_menyentuh_lokus_total"]), "definisi": TEXT[lang]["konv_def_touch"]},
        "pagu": {"total": num(total["pagu_total"]), **{c: num(total[f"pagu_{c}"]) for c in CLASSES}},
        "persen": {c: num(total[f"persen_{c}"]) for c in CLASSES},
        "kelurahan_pagu_hanya_turunan": res.kelurahan.loc[res.kelurahan["pagu_hanya_turunan"], "kode_kel"].tolist(),
        "per_opd": [{k: (num(v) if isinstance(v, (int, float, np.integer, np.floating)) else v) for k, v in r.items()}
                    for r in res.opd.to_dict("records") if r["opd"] != "TOTAL"],
        "kelurahan_tanpa_opd": res.kelurahan.loc[res.kelurahan["jumlah_opd"] == 0, "kode_kel"].tolist(),
        "lokasi_tidak_cocok": [{"berkas": r.berkas, "baris": int(r.row), "lokasi": r.lokasi, "masalah": r.lokasi_masalah, "pagu": num(r.pagu)}
                               for r in acts[acts["lokasi_jenis"] == "tidak_cocok"].itertuples()],
        "opd_tidak_dikenal": [{"berkas": r.berkas, "baris": int(r.row), "opd": r.opd_tertulis, "terdekat": r.opd_terdekat, "skor": r.opd_skor}
                              for r in acts[acts["opd_cocok"] == "unknown"].itertuples()],
        "opd_fuzzy": [{"berkas": r.berkas, "baris": int(r.row), "opd": r.opd_tertulis, "cocok": r.opd_nama, "skor": r.opd_skor}
                      for r in acts[acts["opd_cocok"].isin(["fuzzy", "prefix"])].itertuples()],
        "celah_kebutuhan_tinggi": res.gaps[res.gaps["kebutuhan_tinggi"]].to_dict("records"),
        "kebutuhan_belanja": {"kebutuhan": res.need, "batas_kelas": res.bivariate_breaks, "aturan": SPEND_RULE},
        "anggaran_makalah": [{k: num(v) if k == "anggaran_rp" else v for k, v in r.items()} for r in res.context.to_dict("records")],
        "berkas": [{k: [say(lang, x) for x in v] if k in ("catatan", "peringatan") else v for k, v in b.items()} for b in res.sources],
        "catatan": [say(lang, n) for n in res.notes],
    }


def alloc_split(split: str) -> str:
    """The split of the headline allocation: the split itself, equal for ``none`` (which does not allocate)."""
    return "equal" if split == "none" else split


def headline_lines(res: Konvergensi, lang: str = "id") -> list[str]:
    """The headline (share of located pagu landing in lokus kelurahan by allocation) and, beside it, the
    "touches a lokus" share, each with its amounts."""
    tot = res.total

    def pct(v):
        return percent(v, 1, lang, missing="-")

    if "lokus" not in res.kelurahan.columns:
        return [TEXT[lang]["konv_no_lokus_line"]]
    lokus = res.lokus_name or TEXT[lang]["konv_no_lokus"]
    key = "konv_headline_none" if res.split == "none" else "konv_headline"
    return [TEXT[lang][key].format(pct=pct(tot["persen_lokus_terlokasi"]), lokus=lokus, split=TEXT[lang][f"konv_split_{alloc_split(res.split)}"],
              amount=_rp(tot["pagu_lokus"], lang), located=_rp(tot["pagu_terlokasi"], lang)),
            TEXT[lang]["konv_touch"].format(pct=pct(tot["persen_menyentuh_lokus"]), amount=_rp(tot["pagu_menyentuh_lokus"], lang))]


def summary_lines(res: Konvergensi, lang: str = "id") -> list[str]:
    tot = res.total
    rep = report_dict(res)
    L, loc = TEXT[lang], rep["lokasi"]
    split = L.get(f"split.{res.split}", res.split)
    lines = [L["konv.sum_head"].format(n=count(rep["kegiatan"], lang), opd=len(rep["opd"]), pagu=rupiah(tot["pagu_total"], lang), split=split),
             "  " + L["konv.sum_lokasi"].format(kota=loc["kota"], kec=loc["kecamatan"], kel=loc["kelurahan"], none=loc["tidak_cocok"])]
    lines += ["  " + h for h in headline_lines(res, lang)]
    lines.append(f"  {TEXT[lang]['konv_of_total']}:")
    rows = [(c, tot[f"pagu_{c}"], tot[f"persen_{c}"]) for c in CLASSES]
    rows.append(("touch", tot["pagu_menyentuh_lokus"], tot["persen_menyentuh_lokus_total"]))
    for c, amount, pct in rows:
        lines.append(f"    {TEXT[lang]['konv_row_' + c]:<44} {_rp(amount, lang):>22}  {percent(pct, 1, lang, missing='')}")
    k = res.kelurahan
    lines.append("  " + L["konv.sum_reached"].format(k=int((k["jumlah_opd"] > 0).sum()), n=len(k), most=int(k["jumlah_opd"].max())))
    for r in rep["lokasi_tidak_cocok"]:
        lines.append(L["konv.sum_nomatch"].format(file=r["berkas"], row=r["baris"], lokasi=r["lokasi"], problem=say(lang, r["masalah"])))
    unknown: dict = {}
    for r in rep["opd_tidak_dikenal"]:
        unknown.setdefault((r["berkas"], r["opd"], r["terdekat"], r["skor"]), []).append(str(r["baris"]))
    for (berkas, written, near, skor), rows in unknown.items():
        near_text = L["konv.sum_near"].format(near=near, score=number(skor, 1, lang, trim=True)) if near else ""
        lines.append(L["konv.sum_unknown"].format(file=berkas, written=written, rows=", ".join(rows), near=near_text))
    fuzzy: dict = {}
    for r in rep["opd_fuzzy"]:
        fuzzy.setdefault((r["berkas"], r["opd"], r["cocok"], r["skor"]), []).append(str(r["baris"]))
    for (berkas, written, cocok, skor), rows in fuzzy.items():
        lines.append(L["konv.sum_fuzzy"].format(file=berkas, written=written, match=cocok, score=number(skor, 1, lang, trim=True),
                                                rows=", ".join(rows)))
    for src in res.sources:
        lines += [L["konv.file_warning"].format(file=src["berkas"], text=say(lang, w)) for w in src["peringatan"]]
        lines += [L["konv.file_note"].format(file=src["berkas"], text=say(lang, n)) for n in src["catatan"]]
    lines += [L["konv.sum_note"].format(text=say(lang, n)) for n in res.notes]
    return lines


def layer_frame(res: Konvergensi) -> gpd.GeoDataFrame:
    """The kelurahan layer as written to GeoPackage/CSV (no list columns)."""
    return res.kelurahan.copy()


def from_config(kel: gpd.GeoDataFrame, cfg_items, lang: str = "id", *, lokus: str | None = None, opd_file=None,
                paket_file=None, strict: bool = False) -> Konvergensi:
    """Read the ``[[kegiatan]]`` items and compute (no file written): for an index that also wants
    ``summary_lines(res)`` or ``maps.konvergensi.matrix_html(res)``."""
    from serang_gis.read.kegiatan import read_kegiatan
    from serang_gis.read.lokus import lokus_flags

    items = list(cfg_items)
    splits = {i.split for i in items}
    if len(splits) > 1:
        raise InputError(f"[[kegiatan]] items use different split values ({', '.join(sorted(splits))})",
                         hint="give every [[kegiatan]] the same split")
    keg = [read_kegiatan(i.path, kel, sheet=i.sheet, year=i.year, opd_file=opd_file, paket_file=paket_file, strict=strict) for i in items]
    flags = lokus_flags(lokus, kel) if lokus else None
    return compute(kel, keg, lokus=flags, lokus_name=_lokus_name(lokus), split=items[0].split, lang=lang)


def _lokus_name(spec) -> str | None:
    if spec is None:
        return None
    p = Path(str(spec))
    return str(spec) if str(spec) in ("2021", "2022") and not p.exists() else (p.stem.lower().removeprefix("lokus").strip("_- ") or p.stem)
