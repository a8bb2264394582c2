"""Assemble the layers of the default atlas: boundaries + the embedded figures, by code.

``kelurahan_layer`` and ``kecamatan_layer`` return GeoDataFrames that carry every attribute with
its source; nothing is filled with zero where no figure exists (missing stays missing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

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


def kelurahan_layer(bounds: Boundaries, as_of: dt.date) -> tuple[gpd.GeoDataFrame, list[str]]:
    kel = bounds.kelurahan.copy()
    notes = []
    lok = reference.lokus()
    for year in ("2021", "2022"):
        codes_in = set(lok.loc[lok["daftar"] == year, "kode_kel"])
        kel[f"lokus_{year}"] = kel["kode_kel"].isin(codes_in)
        missing = codes_in - set(kel["kode_kel"])
        if missing:
            notes.append(f"lokus {year}: {len(missing)} kelurahan not in the boundaries: {', '.join(sorted(missing))}")
    pusk = lok[lok["daftar"] == "2022"].set_index("kode_kel")["puskesmas"]
    kel["puskesmas_lokus_2022"] = kel["kode_kel"].map(pusk)

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


def build_layers(bounds: Boundaries, as_of: dt.date | None = None) -> AtlasLayers:
    """``as_of``: the date of the ODF status; by default today's status, dated by the newest declaration it uses."""
    given = as_of
    as_of = as_of or dt.date.today()
    kel, notes = kelurahan_layer(bounds, as_of)
    if given is None and kel["tanggal_odf"].notna().any():
        as_of = dt.date.fromisoformat(max(kel["tanggal_odf"].dropna()))  # "per" the newest source, never the build day
    kec = kecamatan_layer(bounds, kel)
    gaz = set(reference.gazetteer()["kode_kel"])
    matched = len(gaz & set(kel["kode_kel"]))
    extra = set(kel["kode_kel"]) - gaz
    if extra:
        notes.append(f"{len(extra)} kelurahan in the boundaries are not in the embedded list of Kota Serang: {', '.join(sorted(extra)[:5])}")
    if matched < len(gaz):
        notes.append(f"{len(gaz) - matched} kelurahan of Kota Serang are missing from the boundaries: "
                     f"{', '.join(sorted(gaz - set(kel['kode_kel']))[:5])}")
    return AtlasLayers(kel, kec, as_of, matched, len(gaz), notes)
