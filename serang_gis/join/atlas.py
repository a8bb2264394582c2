"""Assemble the layers of the default atlas: boundaries + the embedded figures, by code.

``kelurahan_layer`` and ``kecamatan_layer`` return GeoDataFrames that carry every attribute with
its source; nothing is filled with zero where no figure exists (missing stays missing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from serang_gis.core.text import Msg
from serang_gis.read import reference
from serang_gis.read.boundaries import Boundaries

SNAPSHOT_COLUMN = "balita_stunting_{}"  # kecamatan columns per snapshot: balita_stunting_2024_02


def snapshot_column(snapshot: str) -> str:
    return SNAPSHOT_COLUMN.format(snapshot.replace("-", "_"))


@dataclass
class AtlasLayers:
    kelurahan: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    as_of: dt.date
    matched: int  # kelurahan of the embedded gazetteer found in the boundaries
    expected: int
    notes: list[str] = field(default_factory=list)
    odf_from: str | None = None  # the user's sanitation files whose ODF status replaced the embedded one
    counts_from: str | None = None  # the user's files whose stunted counts replaced the news-based ones


def kelurahan_layer(bounds: Boundaries, as_of: dt.date, lang: str = "id") -> tuple[gpd.GeoDataFrame, list[str]]:
    """``dasar_lokus_2022``: which lists name each lokus 2022 (the paper and the Walikota decree, or the paper only), in ``lang``."""
    kel = bounds.kelurahan.copy()
    notes = []
    lok = reference.lokus()
    for year in ("2021", "2022"):
        codes_in = set(lok.loc[lok["daftar"] == year, "kode_kel"])
        kel[f"lokus_{year}"] = kel["kode_kel"].isin(codes_in)
        missing = codes_in - set(kel["kode_kel"])
        if missing:
            notes.append(Msg("bnd.lokus_missing", year=year, n=len(missing), codes=", ".join(sorted(missing))))
    pusk = lok[lok["daftar"] == "2022"].set_index("kode_kel")["puskesmas"]
    kel["puskesmas_lokus_2022"] = kel["kode_kel"].map(pusk)
    kel["dasar_lokus_2022"] = pd.Series(reference.lokus_2022_by(kel["kode_kel"], lang), index=kel.index, dtype=object)

    odf = reference.odf_status(as_of)
    kel = kel.merge(odf, on="kode_kel", how="left")

    rep = reference.stunting_kelurahan().sort_values("snapshot").drop_duplicates("kode_kel", keep="last")
    rep = rep.set_index("kode_kel")
    kel["stunting_dilaporkan"] = kel["kode_kel"].map(rep["balita_stunting"]).astype("Int64")
    kel["periode_stunting_dilaporkan"] = kel["kode_kel"].map(rep["snapshot"])
    kel["sumber_stunting_dilaporkan"] = kel["kode_kel"].map(rep["sumber"])
    kel["kepastian_stunting_dilaporkan"] = kel["kode_kel"].map(rep["kepastian"])
    return gpd.GeoDataFrame(kel, geometry="geometry", crs=bounds.kelurahan.crs), notes


def kecamatan_layer(bounds: Boundaries, kel: gpd.GeoDataFrame) -> pd.DataFrame:
    """The paper's and public kecamatan figures by code (a table: the map plan dissolves the polygons once)."""
    kec = kel[["kode_kec", "kecamatan"]].drop_duplicates("kode_kec").sort_values("kode_kec").reset_index(drop=True)
    snaps = reference.stunting_kecamatan()
    for snap, grp in snaps.groupby("snapshot", sort=True):
        col = snapshot_column(snap)
        kec[col] = kec["kode_kec"].map(grp.set_index("kode_kec")["balita_stunting"]).astype("Int64")
        kec[f"sumber_{col}"] = kec["kode_kec"].map(grp.set_index("kode_kec")["sumber"])
    t1 = reference.kecamatan_2021().set_index("kode_kec")
    kec["keluarga_berisiko_2021"] = kec["kode_kec"].map(t1["keluarga_risiko_stunting"]).astype("Int64")
    kec["kontribusi_prevalensi_2021_persen"] = kec["kode_kec"].map(t1["prevalensi_kontribusi_persen"])
    for year in ("2021", "2022"):
        kec[f"jumlah_lokus_{year}"] = kec["kode_kec"].map(kel.groupby("kode_kec")[f"lokus_{year}"].sum()).astype("Int64")
    odf_kec = reference.sanitasi()
    odf_kec = odf_kec[odf_kec["tingkat"] == "kecamatan"].set_index("kode_kec")
    kec["tanggal_odf_kecamatan"] = kec["kode_kec"].map(odf_kec["tanggal"].map(lambda d: d.isoformat()))
    return kec


def snapshots() -> list[str]:
    return sorted(reference.stunting_kecamatan()["snapshot"].unique())


def build_layers(bounds: Boundaries, as_of: dt.date | None = None, lang: str = "id") -> AtlasLayers:
    """``as_of``: the date of the ODF status; by default today's status, dated by the newest declaration it uses."""
    given = as_of
    as_of = as_of or dt.date.today()
    kel, notes = kelurahan_layer(bounds, as_of, lang)
    if given is None and kel["tanggal_odf"].notna().any():
        as_of = dt.date.fromisoformat(max(kel["tanggal_odf"].dropna()))  # "per" the newest source, never the build day
    kec = kecamatan_layer(bounds, kel)
    gaz = set(reference.gazetteer()["kode_kel"])
    matched = len(gaz & set(kel["kode_kel"]))
    extra = set(kel["kode_kel"]) - gaz
    said = bool(bounds.report.missing)  # the boundary check named them already (with names and kecamatan): not twice
    if extra and not said:
        notes.append(Msg("bnd.serang_extra", n=len(extra), codes=", ".join(sorted(extra)[:5])))
    if matched < len(gaz) and not said:
        notes.append(Msg("bnd.serang_missing", n=len(gaz) - matched, codes=", ".join(sorted(gaz - set(kel["kode_kel"]))[:5])))
    return AtlasLayers(kel, kec, as_of, matched, len(gaz), notes)


# ---- one kelurahan layer for a whole build -------------------------------------------------------

ODF_EMBEDDED = ("status_odf", "status_odf_teks", "tanggal_odf", "tingkat_odf", "sumber_odf", "kepastian_odf")


@dataclass
class Joined:
    """The kelurahan layer of a build, and what joining it decided and found."""

    kelurahan: gpd.GeoDataFrame  # each group's city period, every dated period as <column>__<period>, embedded figures
    reports: dict = field(default_factory=dict)  # period -> JoinReport
    periods: dict = field(default_factory=dict)  # group -> join.periods.PeriodChoice
    periods_said: list[str] = field(default_factory=list)  # each group's city period and the others, in words
    embedded: AtlasLayers | None = None  # Kota Serang's embedded figures, where the region is Kota Serang
    sources: list[str] = field(default_factory=list)  # which source won, where a user's table meets an embedded figure
    checks: list = field(default_factory=list)  # the paper's figures against the embedded data
    notes: list[str] = field(default_factory=list)


def join_atlas(bounds: Boundaries, inputs, region: str) -> Joined:
    """Join each period's tables, decide each group's city period, then add the embedded figures (Kota Serang)."""
    from serang_gis.join import periods
    from serang_gis.join.tables import join_tables

    s = inputs.settings
    base = bounds.kelurahan
    joined, reports = {}, {}
    for period, tables in inputs.tables.items():
        joined[period], reports[period] = join_tables(base, tables, strict=s.strict)
    choices = periods.decide(joined, len(base), share=s.complete_share, city=s.city_period)
    kel = periods.assemble(base, joined, choices)
    out = Joined(kel, reports, choices, periods.summary(choices, s.lang), notes=list(bounds.report.warnings))
    if region == reference.KOTA_SERANG:
        out.embedded = build_layers(bounds, s.as_of, s.lang)
        out.checks = reference.checks(s.lang)  # the paper's figures against the embedded data
        out.notes += out.embedded.notes
        out.kelurahan, out.sources, out.embedded.odf_from = with_reference(kel, out.embedded, s.lang)
    return out


def with_reference(kel: gpd.GeoDataFrame, layers: AtlasLayers, lang: str) -> tuple[gpd.GeoDataFrame, list[str], str | None]:
    """Kota Serang's embedded figures (lokus lists, ODF status as of a date, reported counts) joined by code, like any
    table. A user's table always beats them: where the user's tables give the ODF status, none of the embedded ODF
    columns is joined, and the ODF products name the user's file. Returns the layer, what was chosen (said) and the
    user's ODF files (None: the embedded status is used)."""
    from serang_gis.core.text import TEXT  # read as data: TEXT[lang][key]
    from serang_gis.join import periods

    ref = layers.kelurahan
    kel = kel.drop(columns=[c for c in ("status_odf",) if c in kel.columns and kel[c].isna().all()])
    user_odf = "status_odf" in kel.columns
    extra = [c for c in ref.columns if c not in kel.columns and c != "geometry" and not (user_odf and c in ODF_EMBEDDED)]
    out = kel.merge(pd.DataFrame(ref[["kode_kel", *extra]]), on="kode_kel", how="left").copy()  # one block: no pandas
    what = TEXT[lang]["ind.status_odf"]  # PerformanceWarning on stderr when the columns below are added
    odf_from = periods.files(out, "sanitasi", "") if user_odf else None
    if user_odf:
        out["sumber_odf"] = out.get("sumber_sanitasi")
        out["tanggal_odf"] = out.get("periode_sanitasi")
        said = [TEXT[lang]["source_user"].format(what=what, files=odf_from)]
    else:
        said = [TEXT[lang]["source_embedded"].format(what=what, source=f"Pemkot Serang, per {layers.as_of.isoformat()}")]
    if "balita_stunting" in out.columns and out["balita_stunting"].notna().any():  # the user's counts, not the news-based ones
        out["stunting_dilaporkan"] = out["balita_stunting"].astype("Int64")
        out["sumber_stunting_dilaporkan"] = out.get("sumber_gizi")
        out["periode_stunting_dilaporkan"] = out.get("periode_gizi")
        out["kepastian_stunting_dilaporkan"] = None
        layers.counts_from = periods.files(out, "gizi", "")
        said.append(TEXT[lang]["source_user"].format(what=TEXT[lang]["ind.stunting_dilaporkan"], files=layers.counts_from))
    return gpd.GeoDataFrame(out, geometry="geometry", crs=kel.crs), said, odf_from

