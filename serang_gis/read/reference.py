"""The paper's tables and the public figures, embedded as package data, with kelurahan codes.

Files under ``serang_gis/data/`` are verbatim copies of the sourced CSVs (see its README). This
module loads them, resolves every kelurahan/kecamatan name to its Kemendagri code once (through
``match.Matcher`` against the embedded gazetteer of Kota Serang), and checks the paper's printed
totals, returning the known inconsistencies as ``Check`` rows instead of hiding them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from serang_gis.core.errors import MatchError
from serang_gis.core.numbers import interval, percent
from serang_gis.core.text import TEXT, t
from serang_gis.read.match import Matcher

KOTA_SERANG = "36.73"
KOTA_SERANG_NAME = "Kota Serang"

# Figures printed in the paper (sinergitas_stunting_kota_serang.txt), to check the tables against.
PRINTED = {
    "keluarga_berisiko_2021": 52_204,  # Table 1 "Jumlah"
    "jumlah_keluarga_2021": 158_540,  # text
    "balita_stunting_2021": 1_895,  # Table 1 "Jumlah"
    "prevalensi_kota_2021": 23.4,  # text and Bagan 1
    "anggaran_2022": 36_220_427_730,  # Table 2 "JUMLAH"
    "anggaran_2023": 19_930_831_500,  # Table 3 "JUMLAH"
    "lokus_2021_said": (12, 5),  # "dua belas kelurahan ... kedalam lima kecamatan"
    "lokus_2022_decree": 18,  # Keputusan Walikota 440/Kep.280-Huk/2021 (public/README.md)
    "curug_2023_article": 181,  # the article's kecamatan figure for Curug (public csv note)
}


# The lokus 2022 list follows the paper (19 kelurahan); Keputusan Walikota 440/Kep.280-Huk/2021 names 18 of them: the
# paper adds Kelurahan Kasemen (data/README.md). Decided once here: every product shows the paper's 19 and says, per
# kelurahan, which lists name it (``lokus()``'s ``sk_walikota``) and, in every credit, what the list rests on.
DECREE_2022 = "440/Kep.280-Huk/2021"
NOT_IN_DECREE_2022 = (("Kasemen", "Kasemen"),)  # (kelurahan, kecamatan) of the paper's list that the decree does not name


def _read(name: str, **kw) -> pd.DataFrame:
    with resources.files("serang_gis").joinpath("data", name).open("rb") as fh:
        return pd.read_csv(fh, dtype=str, **kw)  # empty cells are NA


@cache
def gazetteer() -> pd.DataFrame:
    """Kelurahan of Kota Serang: kode_kel, kelurahan, kode_kec, kecamatan (Kemendagri 2025 codes)."""
    return _read("kelurahan_3673.csv")


def region_names(level: str) -> dict[str, str]:
    """code -> name known without any boundary file (kecamatan or kabkota of Kota Serang)."""
    if level == "kabkota":
        return {KOTA_SERANG: KOTA_SERANG_NAME}
    g = gazetteer()
    return dict(zip(g["kode_kec"], g["kecamatan"]))


@cache
def matcher() -> Matcher:
    return Matcher(gazetteer())


def _with_codes(frame: pd.DataFrame, table: str, kel_col="kelurahan", kec_col="kecamatan") -> pd.DataFrame:
    """Add kode_kel (and kode_kec) to a table of names; any name that does not resolve is a bug here."""
    m = matcher()
    out = frame.copy()
    kel_codes, kec_codes, methods = [], [], []
    for i, row in out.iterrows():
        if kel_col and pd.notna(row.get(kel_col)):
            hit = m.match(row[kel_col], row.get(kec_col))
            if not hit.ok:
                raise MatchError(f"serang_gis/data/{table}: row {i + 2}: {row[kel_col]!r} (Kec. {row.get(kec_col)}) "
                                 f"matches no single kelurahan ({hit.method}; {'; '.join(hit.candidates)})")
            kel_codes.append(hit.kode_kel)
            kec_codes.append(hit.kode_kel[:8])
            methods.append(f"{hit.method} {hit.score:g}" if hit.method == "fuzzy" else hit.method)
        else:
            kec, _ = m.kecamatan_code(row.get(kec_col))
            if kec is None:
                raise MatchError(f"serang_gis/data/{table}: row {i + 2}: kecamatan {row.get(kec_col)!r} is not in Kota Serang")
            kel_codes.append(None)
            kec_codes.append(kec)
            methods.append("kecamatan")
    out.insert(0, "kode_kec", kec_codes)
    out.insert(0, "kode_kel", kel_codes)
    out["cocok"] = methods  # how the name was matched (code/name/fuzzy score)
    return out


def _num(frame, *cols, kind=float):
    for c in cols:
        frame[c] = pd.to_numeric(frame[c]).astype(kind)
    return frame


@cache
def lokus() -> pd.DataFrame:
    """Both lokus lists with codes: list (``2021`` or ``2022``), kode_kel, kelurahan, kecamatan, puskesmas, source, and
    ``sk_walikota``: whether Keputusan Walikota ``DECREE_2022`` names it too (2022; NA for 2021)."""
    l22 = _with_codes(_read("seed/lokus_2022.csv"), "seed/lokus_2022.csv").assign(
        daftar="2022", sumber="paper: Daftar Kelurahan Lokasi Fokus Aksi Konvergensi 2022")
    l22["sk_walikota"] = [(k, c) not in NOT_IN_DECREE_2022 for k, c in zip(l22["kelurahan"], l22["kecamatan"])]
    l21 = _with_codes(_read("seed/lokus_peta_2021.csv"), "seed/lokus_peta_2021.csv").assign(
        daftar="2021", sumber="paper: Gambar 1, Peta Lokasi Stunting 2021 (Dinas Kesehatan)")
    cols = ["daftar", "kode_kel", "kode_kec", "kelurahan", "kecamatan", "puskesmas", "cocok", "sumber", "sk_walikota"]
    return pd.concat([l21.reindex(columns=cols), l22.reindex(columns=cols)], ignore_index=True)


def lokus_2022_facts() -> dict:
    """The paper's lokus 2022 against the decree: n (the paper's), m (the decree's), without (the paper's only), decree."""
    l22 = lokus()[lokus()["daftar"] == "2022"]
    named = l22["sk_walikota"].astype(bool)
    return {"n": len(l22), "m": int(named.sum()), "without": ", ".join(l22.loc[~named, "kelurahan"]), "decree": DECREE_2022}


def lokus_basis(year: str, lang: str = "id") -> str:
    """What an embedded lokus list rests on, in ``lang``: "makalah Sinergitas (2023), 19 kelurahan (SK Walikota
    440/Kep.280-Huk/2021 menetapkan 18, tanpa Kasemen)" for 2022, the paper's figure for 2021."""
    if year != "2022":
        return t(lang, "lokus.basis_2021")
    return t(lang, "lokus.basis_2022", count=t(lang, "lokus.count_2022", **lokus_2022_facts()))


def lokus_credit(lang: str = "id", *, named: bool = True) -> str:
    """The credit of both embedded lokus lists in the static maps' source line (short: a slide's map keeps its height),
    "lokus: ..." (``named``), else without that word (beside a label that says it)."""
    body = t(lang, "lokus.credit", count=t(lang, "lokus.count_2022", **lokus_2022_facts()))
    return f"lokus: {body}" if named else body


def lokus_2022_by(codes, lang: str = "id") -> list[str | None]:
    """Per kelurahan code: which lists name it as lokus 2022 ("makalah dan SK Walikota", "makalah saja ..."), None
    where neither does."""
    l22 = lokus()[lokus()["daftar"] == "2022"]
    both = dict(zip(l22["kode_kel"], l22["sk_walikota"].astype(bool)))
    return [None if c not in both else t(lang, "lokus.both" if both[c] else "lokus.paper_only") for c in codes]


@cache
def kecamatan_2021() -> pd.DataFrame:
    """Table 1 of the paper: families at risk and stunted toddlers per kecamatan, 2021."""
    t = _read("seed/kecamatan_2021.csv").rename(columns={"kode_kecamatan": "kode_kec"})
    t = _num(t, "keluarga_risiko_stunting", "balita_stunting", kind=int)
    return _num(t, "prevalensi_kontribusi_persen")


@cache
def stunting_kecamatan() -> pd.DataFrame:
    """Stunted toddlers per kecamatan per snapshot (2021 ... 2025-04), with source and certainty."""
    t = _with_codes(_read("public/stunting_kecamatan_snapshots.csv"), "public/stunting_kecamatan_snapshots.csv", kel_col=None)
    return _num(t, "balita_stunting", kind=int)


@cache
def stunting_kelurahan() -> pd.DataFrame:
    """The few kelurahan-level counts that were published (every other kelurahan: no data)."""
    t = _with_codes(_read("public/stunting_kelurahan_reported.csv"), "public/stunting_kelurahan_reported.csv")
    return _num(t, "balita_stunting", kind=int)


@cache
def sanitasi() -> pd.DataFrame:
    """ODF declarations per kecamatan and per kelurahan, with dates."""
    raw = _read("public/sanitasi_odf.csv")
    t = _with_codes(raw.assign(kelurahan=raw["kelurahan"].where(raw["tingkat"] == "kelurahan")), "public/sanitasi_odf.csv")
    t["tanggal"] = pd.to_datetime(t["tanggal"]).dt.date
    return t


@cache
def indikator_kota() -> pd.DataFrame:
    return _num(_read("public/kota_serang_indikator.csv"), "nilai")


def anggaran(year: int) -> pd.DataFrame:
    return _num(_read(f"seed/anggaran_{year}.csv"), "anggaran_rp", kind="int64")


def prevalensi_kota() -> pd.DataFrame:
    return _num(_read("seed/prevalensi_kota.csv"), "prevalensi_persen")


def odf_status(as_of) -> pd.DataFrame:
    """ODF status of every kelurahan of Kota Serang on date ``as_of``.

    The latest declaration on or before the date wins; a kecamatan-wide declaration covers each of
    its kelurahan from its date on. Kelurahan with no declaration by then have no status (None),
    which is "no data", not "Belum ODF".
    """
    as_of = pd.Timestamp(as_of).date()
    s = sanitasi()
    s = s[s["tanggal"] <= as_of]
    g = gazetteer()[["kode_kel", "kode_kec"]]
    # latest date first wins, then "kecamatan" before "kelurahan" (a kelurahan's own declaration of the same day wins),
    # then the later row: the declarations once in that order, each kelurahan's last one found in plain Python (a
    # filter and a sort per kelurahan took half a second of every build)
    decl = s.to_dict("records")
    decl.sort(key=lambda r: r["tingkat"], reverse=True)
    decl.sort(key=lambda r: r["tanggal"])
    rows = []
    for kel, kec in zip(g["kode_kel"], g["kode_kec"]):
        own = [r for r in decl if r["kode_kel"] == kel or (r["tingkat"] == "kecamatan" and r["kode_kec"] == kec)]
        if not own:
            rows.append({"kode_kel": kel})
            continue
        last = own[-1]
        rows.append({"kode_kel": kel, "status_odf": _odf_class(last["status"]), "status_odf_teks": last["status"],
                     "tanggal_odf": last["tanggal"].isoformat(), "tingkat_odf": last["tingkat"],
                     "sumber_odf": last["sumber"], "kepastian_odf": last["kepastian"]})
    cols = ["kode_kel", "status_odf", "status_odf_teks", "tanggal_odf", "tingkat_odf", "sumber_odf", "kepastian_odf"]
    return pd.DataFrame(rows).reindex(columns=cols)


def _odf_class(text: str) -> str:
    t = text.casefold()
    if t.startswith("belum"):
        return "Belum ODF"
    if "verifikasi" in t:
        return "ODF terverifikasi"
    if t.startswith("odf"):
        return "ODF deklarasi"
    return text


@dataclass(frozen=True)
class Check:
    """One check of the paper's printed figures against its own tables."""

    name: str
    expected: object  # as printed
    found: object  # as computed from the table
    ok: bool
    note: str = ""


def checks(lang: str = "en") -> list[Check]:
    """Every total the paper prints, recomputed; the known inconsistencies come out with ok=False.

    Names and notes in ``lang`` (``check.*`` in the text catalogue); English by default (the terminal)."""
    return [Check(t(lang, f"check.{key}"), expected, found, ok, TEXT[lang].get(f"check.{key}.note", "")) for key, expected, found, ok in _checks()]


def _checks() -> list[tuple[str, object, object, bool]]:
    """(key, printed, computed, agree) of every check."""
    k = kecamatan_2021()
    a22, a23 = anggaran(2022), anggaran(2023)
    lk = lokus()
    l21 = lk[lk["daftar"] == "2021"]
    curug = stunting_kelurahan()
    curug = curug[(curug["snapshot"] == "2023") & (curug["kode_kec"] == "36.73.04")]
    share = round(float(k["prevalensi_kontribusi_persen"].sum()), 2)
    found = {
        "keluarga_2021": (PRINTED["keluarga_berisiko_2021"], int(k["keluarga_risiko_stunting"].sum())),
        "balita_2021": (PRINTED["balita_stunting_2021"], int(k["balita_stunting"].sum())),
        "prevalensi_2021": (PRINTED["prevalensi_kota_2021"], share),
        "anggaran_2022": (PRINTED["anggaran_2022"], int(a22["anggaran_rp"].sum())),
        "anggaran_2023": (PRINTED["anggaran_2023"], int(a23["anggaran_rp"].sum())),
        "lokus_2021": (PRINTED["lokus_2021_said"], (len(l21), l21["kode_kec"].nunique())),
        "lokus_2022": (PRINTED["lokus_2022_decree"], int((lk["daftar"] == "2022").sum())),
        "curug_2023": (PRINTED["curug_2023_article"], int(curug["balita_stunting"].sum())),
    }
    agree = {key: (abs(f - e) < 0.05 if key == "prevalensi_2021" else f == e) for key, (e, f) in found.items()}
    return [(key, e, f, agree[key]) for key, (e, f) in found.items()]


@dataclass(frozen=True)
class TwoNumbers:
    """The kab/kota e-PPGBM prevalence beside the survey figures, with why they differ."""

    table: pd.DataFrame  # sumber, tahun, prevalensi, ci_bawah, ci_atas, jenis (percent; survey intervals not published here)
    sentence: str

    def html_rows(self) -> list[dict]:
        return self.table.to_dict("records")


def two_numbers(frame: pd.DataFrame, *, period: str | None = None, lang: str = "id", level: float = 0.95) -> TwoNumbers:
    """e-PPGBM prevalence of the joined layer (sum stunted / sum measured, Wilson interval) beside SSGI 2022 and SKI 2023."""
    from serang_gis.core.indicators import _num, stunted
    from serang_gis.core.stats import wilson_interval

    k, n = stunted(frame).astype(float), _num(frame, "balita_diukur").astype(float)
    ok = (n > 0) & k.notna()
    rows = []
    if ok.any():
        kk, nn = float(k[ok].sum()), float(n[ok].sum())
        lo, hi = wilson_interval([kk], [nn], level)
        rows.append({"sumber": "e-PPGBM" + (f" ({int(ok.sum())} kelurahan)" if ok.sum() < len(frame) else ""), "tahun": period or "",
                     "prevalensi": kk / nn * 100, "ci_bawah": float(lo[0]) * 100, "ci_atas": float(hi[0]) * 100,
                     "jenis": t(lang, "two.routine")})
    ind = indikator_kota()
    for key, label in (("prevalensi_stunting_ssgi", "SSGI"), ("prevalensi_stunting_ski", "SKI")):
        r = ind[ind["indikator"] == key]
        if len(r):
            rows.append({"sumber": f"{label} {r['tahun'].iloc[0]}", "tahun": r["tahun"].iloc[0], "prevalensi": float(r["nilai"].iloc[0]),
                         "ci_bawah": None, "ci_atas": None, "jenis": t(lang, "two.survey")})
    table = pd.DataFrame(rows, columns=["sumber", "tahun", "prevalensi", "ci_bawah", "ci_atas", "jenis"])
    lead = ""
    if ok.any():
        e = rows[0]
        reporting = f" ({t(lang, 'kelurahan_of', n=int(ok.sum()), total=len(frame))})" if ok.sum() < len(frame) else ""
        lead = (f"e-PPGBM{' ' + period if period else ''}{reporting} {interval(e['prevalensi'], e['ci_bawah'], e['ci_atas'], 1, lang)}; "
                + "; ".join(f"{r['sumber']} {percent(r['prevalensi'], 1, lang)}" for r in rows[1:]) + ". ")
    return TwoNumbers(table, lead + t(lang, "two.why"))
