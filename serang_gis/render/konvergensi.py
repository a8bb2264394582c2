"""The convergence view's files: map, GeoPackage, CSV, workbook, matrix page and report (``write_products``)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from serang_gis.analysis.konvergensi import PAPER_NOTE, Konvergensi, alloc_split, from_config, headline_lines, layer_frame, report_dict
from serang_gis.core.text import say, t as text
from serang_gis.output.writers import _typed, write_csv, write_text, write_workbook
from serang_gis.render.qgis import aliases
from serang_gis.plan.layers import coverage
from serang_gis.render.leaflet import assets
from serang_gis.render.leaflet.konvergensi import konvergensi_spec, layer_style, matrix_page
from serang_gis.render.styles import write_styled_gpkg


def build_products(kel: gpd.GeoDataFrame, cfg_items, out_dir, lang: str = "id", *, lokus: str | None = None,
                   offline: bool = False, opd_file=None, paket_file=None, strict: bool = False) -> list[Path]:
    """The convergence view of ``[[kegiatan]]`` config items (``config.KegiatanInput``) into ``out_dir``.

    Items with different ``split`` values are not combined: the first item's split is used and the
    others must agree. ``lokus``: "2021"/"2022"/a file, as ``--lokus``.
    """
    items = list(cfg_items)
    if not items:
        return []
    res = from_config(kel, items, lang, lokus=lokus, opd_file=opd_file, paket_file=paket_file, strict=strict)
    return write_products(res, out_dir, lang=lang, offline=offline)


PRODUCTS = ("konvergensi.gpkg", "konvergensi_kelurahan.csv", "kegiatan_terbaca.csv", "peta_konvergensi.html", "matriks_lokus_opd.xlsx",
            "matriks_lokus_opd.html", "laporan_konvergensi.json")


def write_products(res: Konvergensi, out_dir, *, lang: str = "id", offline: bool = False) -> list[Path]:
    # the polygons the map draws, computed once for the map and every layer (the joined layer may carry raw,
    # overlapping ones); the map first: a failure (e.g. the Leaflet files missing) stops the run before any file is written
    res = dataclasses.replace(res, kelurahan=coverage(res.kelurahan))
    html_map = konvergensi_spec(res, lang=lang).render(offline=offline)
    if not offline:
        assets.node_modules()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    layer = layer_frame(res)
    style = dataclasses.replace(layer_style(res, lang), aliases=tuple(aliases(_typed(layer), lang).items()))
    files = [write_styled_gpkg(out / "konvergensi.gpkg", {"konvergensi": (layer, style)})]
    files.append(write_csv(out / "konvergensi_kelurahan.csv", layer))
    acts = res.kegiatan.assign(kode_kel=res.kegiatan["kode_kel"].map(" ".join), paket=res.kegiatan["paket"].map(", ".join))
    acts = acts.drop(columns=["sub_key"])
    files.append(write_csv(out / "kegiatan_terbaca.csv", acts))
    if not offline:
        assets.copy_lib(out)  # lib/ beside the map, as MapSpec.save does
    files.append(write_text(out / "peta_konvergensi.html", html_map))
    files.append(write_workbook(out / "matriks_lokus_opd.xlsx", _sheets(res, acts, lang), lang=lang))
    files.append(write_text(out / "matriks_lokus_opd.html", matrix_page(res, lang)))
    files.append(write_text(out / "laporan_konvergensi.json", json.dumps(report_dict(res, lang), ensure_ascii=False, indent=2, default=str)))
    return files


def _sheets(res: Konvergensi, acts: pd.DataFrame, lang: str) -> dict[str, pd.DataFrame]:
    m = res.matrix
    sheets = {"Ringkasan OPD": res.opd}
    if "lokus" in m.columns:
        sheets["Matriks lokus x OPD"] = m[m["lokus"]].drop(columns="lokus")
    sheets["Semua kelurahan x OPD"] = m
    sheets["Kelurahan"] = pd.DataFrame(layer_frame(res).drop(columns="geometry"))  # the layer's table, with pagu_hanya_turunan
    sheets["Celah layanan"] = res.gaps
    sheets["Kegiatan"] = acts
    sheets["Anggaran makalah"] = res.context
    sheets["Catatan"] = pd.DataFrame({"catatan": headline_lines(res, lang) + [
        text(lang, "konv_def_alloc", split=text(lang, f"konv_split_{alloc_split(res.split)}")), text(lang, "konv_def_touch"),
        ("Pagu terlokasi: pagu satu kegiatan dihitung penuh untuk setiap kelurahan yang disebut (split none); jumlahnya melebihi anggaran."
         if res.split == "none" else f"Pagu terlokasi: {text(lang, 'konv_split_' + res.split)} (split {res.split})."),
        "Kegiatan se-kota (Lokasi: Kota Serang / seluruh kelurahan) tidak dihitung menjangkau kelurahan mana pun.",
        PAPER_NOTE] + [say(lang, n) for n in res.notes]})
    return sheets
