"""The convergence view: which office acts where, and does the money reach the lokus.

From the activities of one or more Aksi 2 matrices (``kegiatan.read_kegiatan``) and a joined
kelurahan layer, ``compute`` gives, per kelurahan: the distinct offices (OPD) whose activities reach
it (named directly or through its kecamatan; city-wide activities reach no kelurahan), the distinct
sub-kegiatan, the located pagu (``split="equal"``: an activity's pagu divided equally over the
kelurahan it names; ``split="none"``: counted whole for each of them, so the sum over kelurahan is
larger than the budget), pagu per stunted toddler and per family at risk, the five service packages
that reach it, and a need x spending class (3 x 3). Per office and in total: the paper's headline
measure, the share of pagu whose activity reaches at least one lokus kelurahan, the share located
only in non-lokus kelurahan, the city-wide (unlocated) share and the share whose Lokasi matched
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
from serang_gis.core.numbers import number, percent, rupiah
from serang_gis.core.text import t
from serang_gis.read.paket import PAKET, label as paket_label

SPLITS = ("equal", "none")
KEYS = ["kode_kel", "kelurahan", "kode_kec", "kecamatan", "kode_kab", "kabkota"]
NEEDS = ["balita_stunting", "prevalensi_stunting", "keluarga_berisiko", "persen_keluarga_berisiko", "kesenjangan_sanitasi", "belum_odf"]
# which need says that a missing package is a gap that matters
PAKET_NEED = {"air_sanitasi": ("kesenjangan_sanitasi", "belum_odf"), "konseling_gizi": ("prevalensi_stunting",),
              "kia": ("prevalensi_stunting",), "perlindungan_sosial": ("persen_keluarga_berisiko",), "paud": ()}
CLASSES = ("lokus", "non_lokus", "kota", "tidak_cocok")
# 3 x 3 bivariate palette (Joshua Stevens), need (first digit) x spending (second digit)
BIVARIATE = {"11": "#e8e8e8", "21": "#e4acac", "31": "#c85a5a", "12": "#b0d5df", "22": "#ad9ea5", "32": "#985356",
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
    kegiatan = [kegiatan] if isinstance(kegiatan, Kegiatan) else list(kegiatan)
    kel = kel.reset_index(drop=True)
    acts = combine(kegiatan)
    lokus_set = set(kel.loc[lokus.fillna(False).astype(bool).to_numpy(), "kode_kel"]) if lokus is not None else set()
    _classify(acts, lokus_set)
    ex = _located_shares(acts, kel, split)
    out = _reach(kel, ex, lang)
    notes = []
    _pagu_per_need(out, notes)
    if lokus is not None:
        out["lokus"] = out["kode_kel"].isin(lokus_set)
    out["daftar_kegiatan"] = out["kode_kel"].map(_activity_lists(ex, split, lang)).fillna("")
    need, breaks = _need_spending_classes(out, notes)
    opd = _headline(acts)
    matrix = _matrix(out, ex, lokus is not None)
    gaps = _gaps(out, lokus is not None, lang)
    unreached = int(((out["jumlah_opd"] == 0) & (out["lokus"] if "lokus" in out else True)).sum())
    if lokus is not None and unreached:
        notes.append(f"{unreached} lokus kelurahan reached by no office")
    serang = "kode_kab" in kel.columns and (kel["kode_kab"] == reference_code()).all()
    context = paper_context() if serang else paper_context().iloc[0:0]  # the paper's budgets are Kota Serang's
    res = Konvergensi(out, acts, opd, matrix, gaps, context, split, lokus_name, need, breaks, notes)
    res.sources = [_source(k) for k in kegiatan]
    return res


def _classify(acts: pd.DataFrame, lokus_set: set) -> None:
    """Each activity's class (kota / tidak_cocok / lokus / non_lokus) and how many kelurahan it names."""
    acts["kelas"] = [("kota" if kind == "kota" else "tidak_cocok" if kind == "tidak_cocok" else
                      "lokus" if lokus_set & set(codes) else "non_lokus")
                     for kind, codes in zip(acts["lokasi_jenis"], acts["kode_kel"])]
    acts["jumlah_kelurahan"] = acts["kode_kel"].map(len)


def _located_shares(acts: pd.DataFrame, kel: gpd.GeoDataFrame, split: str) -> pd.DataFrame:
    """One row per located activity x kelurahan of the layer, with that kelurahan's part of the pagu."""
    located = acts[acts["lokasi_jenis"].isin(["kecamatan", "kelurahan"])]
    ex = located.explode("kode_kel")
    ex = ex[ex["kode_kel"].isin(set(kel["kode_kel"]))]
    ex["pagu_bagian"] = ex["pagu"].astype(float) / (ex["jumlah_kelurahan"] if split == "equal" else 1)
    return ex


def _reach(kel: gpd.GeoDataFrame, ex: pd.DataFrame, lang: str) -> gpd.GeoDataFrame:
    """The kelurahan layer with what reaches each: offices, sub-kegiatan, located pagu, service packages."""
    g = ex.groupby("kode_kel")
    out = kel[[c for c in KEYS if c in kel.columns] + [c for c in NEEDS if c in kel.columns] + ["geometry"]].copy()
    code = out["kode_kel"]
    out["jumlah_opd"] = code.map(g["opd"].nunique()).fillna(0).astype(int)
    out["jumlah_subkegiatan"] = code.map(g["sub_key"].nunique()).fillna(0).astype(int)
    out["pagu_terlokasi"] = code.map(g["pagu_bagian"].sum()).fillna(0.0).round(0)
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
            notes.append(f"the layer has no {col}: {per} is left empty")


def _need_spending_classes(out: gpd.GeoDataFrame, notes: list[str]) -> tuple[str | None, dict]:
    """The need x spending class (tercile digits) of each kelurahan; returns the need field and the tercile breaks."""
    need = next((c for c in ("prevalensi_stunting", "balita_stunting") if c in out.columns
                 and pd.to_numeric(out[c], errors="coerce").notna().any()), None)
    breaks = {}
    if need:
        nv = pd.to_numeric(out[need], errors="coerce")
        nc, breaks[need] = _terciles(nv)
        sc, breaks["pagu_terlokasi"] = _terciles(out["pagu_terlokasi"])
        out["kelas_kebutuhan_belanja"] = [f"{a}{b}" if a and b else None for a, b in zip(nc, sc)]
    else:
        out["kelas_kebutuhan_belanja"] = None
        notes.append("the layer has neither prevalensi_stunting nor balita_stunting: no need x spending classes")
    return need, breaks


def _source(k: Kegiatan) -> dict:
    """What one activity file gave: its rows, the blank and skipped rows, its notes and its own total rows."""
    return {"berkas": k.path.name, "baris_kegiatan": len(k.rows), "baris_kosong": sum(a == "blank row" for _, a in k.skipped),
            "dilewati": [{"baris": r, "alasan": a} for r, a in k.skipped if a != "blank row"],
            "catatan": k.notes, "total_berkas": [{"baris": r, "label": lab, "pagu": v} for r, lab, v in k.totals]}


def _terciles(values: pd.Series) -> tuple[list[int | None], list[float]]:
    """Class 1-3 of each value by its terciles, intervals closed on the right: (min, t1], (t1, t2], (t2, max]."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    present = v.dropna()
    if present.empty:
        return [None] * len(v), []
    t1, t2 = float(present.quantile(1 / 3)), float(present.quantile(2 / 3))
    cls = [None if np.isnan(x) else (1 if x <= t1 else 2 if x <= t2 else 3) for x in v]
    return cls, [round(t1, 2), round(t2, 2)]


def _rp(v, lang="id") -> str:
    return rupiah(v, lang, missing="-")


def _activity_lists(ex: pd.DataFrame, split: str, lang: str) -> dict[str, str]:
    """Per kelurahan, one line per activity reaching it: office: sub-kegiatan, pagu (share), sumber dana."""
    out = {}
    share, via = t(lang, "konv.share"), t(lang, "konv.via")
    for code, grp in ex.sort_values(["opd_nama", "row"]).groupby("kode_kel", sort=False):
        lines = []
        for r in grp.itertuples():
            what = r.sub_kegiatan or r.kegiatan or r.program or "-"
            line = f"{r.opd_nama}: {what} – {_rp(r.pagu, lang)}"
            if split == "equal" and r.jumlah_kelurahan > 1:
                line += f" ({share} {_rp(round(r.pagu_bagian), lang)})"
            if r.sumber_dana:
                line += f" – {r.sumber_dana}"
            if r.lokasi_jenis == "kecamatan":
                line += f" [{via}]"
            lines.append(line)
        out[code] = "\n".join(lines)
    return out


def _headline(acts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    groups = [(o, n, g) for (o, n), g in acts.groupby(["opd", "opd_nama"], sort=True)] + [("TOTAL", "Total", acts)]
    for opd, name, g in groups:
        pagu = g["pagu"].astype(float)
        total = float(pagu.sum())
        row = {"opd": opd, "opd_nama": name, "kegiatan": len(g), "pagu_total": total}
        for cls in CLASSES:
            amount = float(pagu[g["kelas"] == cls].sum())
            row[f"pagu_{cls}"] = amount
            row[f"persen_{cls}"] = round(100 * amount / total, 1) if total > 0 else None
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


def _gaps(out: pd.DataFrame, has_lokus: bool, lang: str) -> pd.DataFrame:
    """Every (lokus) kelurahan x package that no activity delivers there; ``kebutuhan_tinggi`` when the need of
    that package is at or above the median of the kelurahan with data (or the kelurahan is not ODF)."""
    focus = out[out["lokus"]] if has_lokus else out
    rows = []
    for p, needs in PAKET_NEED.items():
        med = {n: pd.to_numeric(out[n], errors="coerce").median() for n in needs if n in out.columns and n != "belum_odf"}
        for _, r in focus[~focus[f"paket_{p}"]].iterrows():
            reasons = []
            for n in needs:
                if n not in out.columns or pd.isna(r[n]):
                    continue
                if n == "belum_odf":
                    if bool(r[n]):
                        reasons.append(t(lang, "konv.not_odf"))
                elif float(r[n]) >= med[n]:
                    reasons.append(t(lang, "konv.above_median", need=n, value=number(r[n], 1, lang), median=number(med[n], 1, lang)))
            rows.append({"kode_kel": r["kode_kel"], "kelurahan": r["kelurahan"], "kecamatan": r["kecamatan"], "paket": paket_label(p, lang),
                         "jumlah_opd": int(r["jumlah_opd"]), "kebutuhan_tinggi": bool(reasons), "alasan": "; ".join(reasons)})
    cols = ["kode_kel", "kelurahan", "kecamatan", "paket", "jumlah_opd", "kebutuhan_tinggi", "alasan"]
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


PAPER_NOTE = ("Makalah Sinergitas (2023), Tabel 2 (2022: Rp 36.220.427.730) dan Tabel 3 (2023: Rp 19.930.831.500); "
              "Dinas PU 2022 tercetak 8.677.703.00, dibaca 8.677.703.000 karena hanya itu yang cocok dengan total tercetak.")


# ---- products ------------------------------------------------------------------------------------


def report_dict(res: Konvergensi) -> dict:
    acts = res.kegiatan
    per_kind = acts["lokasi_jenis"].value_counts().to_dict()
    total = res.total

    def num(v):
        return None if v is None or pd.isna(v) else (int(v) if float(v).is_integer() else float(v))

    return {
        "split": res.split, "lokus": res.lokus_name,
        "kegiatan": int(len(acts)), "opd": sorted(set(acts["opd_nama"])),
        "lokasi": {k: int(per_kind.get(k, 0)) for k in ("kota", "kecamatan", "kelurahan", "tidak_cocok")},
        "pagu": {"total": num(total["pagu_total"]), **{c: num(total[f"pagu_{c}"]) for c in CLASSES}},
        "persen": {c: num(total[f"persen_{c}"]) for c in CLASSES},
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
        "kebutuhan_belanja": {"kebutuhan": res.need, "batas_tersil": res.bivariate_breaks},
        "anggaran_makalah": [{k: num(v) if k == "anggaran_rp" else v for k, v in r.items()} for r in res.context.to_dict("records")],
        "berkas": res.sources, "catatan": res.notes,
    }


def summary_lines(res: Konvergensi, lang: str = "id") -> list[str]:
    tot = res.total
    rep = report_dict(res)
    lines = [f"{rep['kegiatan']} kegiatan of {len(rep['opd'])} OPD, pagu {_rp(tot['pagu_total'])}; split {res.split}",
             f"  Lokasi: city-wide {rep['lokasi']['kota']}, kecamatan {rep['lokasi']['kecamatan']}, kelurahan {rep['lokasi']['kelurahan']}, "
             f"matched nothing {rep['lokasi']['tidak_cocok']}"]
    for c, what in (("lokus", f"reaches a lokus kelurahan ({res.lokus_name})" if res.lokus_name else "reaches a lokus kelurahan (no lokus list)"),
                    ("non_lokus", "located, non-lokus kelurahan only"), ("kota", "city-wide (unlocated)"), ("tidak_cocok", "Lokasi matched nothing")):
        pct = tot[f"persen_{c}"]
        lines.append(f"  {what:<44} {_rp(tot[f'pagu_{c}']):>22}  {percent(pct, 1, 'en', missing='')}")
    k = res.kelurahan
    lines.append(f"  kelurahan reached by at least one OPD: {int((k['jumlah_opd'] > 0).sum())} / {len(k)}; most OPD: {int(k['jumlah_opd'].max())}")
    for r in rep["lokasi_tidak_cocok"]:
        lines.append(f"warning: {r['berkas']}:row {r['baris']}: Lokasi {r['lokasi']!r}: {r['masalah']} (its pagu counted as 'matched nothing')")
    unknown: dict = {}
    for r in rep["opd_tidak_dikenal"]:
        unknown.setdefault((r["berkas"], r["opd"], r["terdekat"], r["skor"]), []).append(str(r["baris"]))
    for (berkas, written, near, skor), rows in unknown.items():
        lines.append(f"warning: {berkas}: office {written!r} on row(s) {', '.join(rows)} is not a known office"
                     + (f" (nearest {near}, score {skor:g})" if near else "")
                     + "; kept under its own name (add it to an --opd file, or --strict to stop)")
    fuzzy: dict = {}
    for r in rep["opd_fuzzy"]:
        fuzzy.setdefault((r["berkas"], r["opd"], r["cocok"], r["skor"]), []).append(str(r["baris"]))
    for (berkas, written, cocok, skor), rows in fuzzy.items():
        lines.append(f"note: {berkas}: office {written!r} read as {cocok} (score {skor:g}) on row(s) {', '.join(rows)}")
    lines += [f"note: {n}" for n in res.notes]
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
