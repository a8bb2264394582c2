"""The main job: boundaries + embedded figures -> maps, GeoPackage, CSV and index.html."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import fetch, reference
from .atlas import AtlasLayers, build_layers
from .boundaries import Boundaries, ColumnMap, read_kelurahan
from .errors import InputError
from .export import write_csv, write_text
from .maps import kecamatan_spec, kelurahan_spec
from .maps.text import fmt_number
from .qgis_export import export_layers
from .site import Product, render_index

GPKG_NAME = "serang_gis.gpkg"


@dataclass
class BuildResult:
    out_dir: Path
    bounds: Boundaries
    layers: AtlasLayers
    files: list[Path] = field(default_factory=list)
    checks: list[reference.Check] = field(default_factory=list)


def _fmt(v, lang):
    if isinstance(v, (int, float)):
        return fmt_number(v, 0 if float(v).is_integer() else 2, lang)
    if isinstance(v, tuple):
        return " / ".join(_fmt(x, lang) for x in v)
    return str(v)


def build_atlas(
    out_dir: str | Path = "outputs",
    *,
    region: str = reference.KOTA_SERANG,
    boundaries: str | Path | None = None,
    layer: str | None = None,
    columns: ColumnMap | None = None,
    crs: str | None = None,
    names: list[str | Path] = (),
    as_of: dt.date | None = None,
    lang: str = "id",
    offline: bool = False,
) -> BuildResult:
    if region != reference.KOTA_SERANG:
        raise InputError(f"the default atlas holds figures for Kota Serang ({reference.KOTA_SERANG}) only, not {region}",
                         hint="build other regions from your own data with a config file, or draw their boundaries with "
                              "`serang-gis boundaries info`")
    src = fetch.resolve(region, boundaries)
    bounds = read_kelurahan(src.kelurahan, layer=layer, columns=columns, crs=crs, region=region,
                            name_sources=[*src.names, *names])
    layers = build_layers(bounds, as_of)
    out = Path(out_dir)
    files = []
    files.append(kelurahan_spec(layers, lang).save(out / "peta_kelurahan.html", offline=offline))
    files.append(kecamatan_spec(layers, lang).save(out / "peta_kecamatan.html", offline=offline))
    styled = export_layers(layers.kelurahan, out, name=GPKG_NAME.removesuffix(".gpkg"), lang=lang, formats=("gpkg",),
                           kecamatan=layers.kecamatan)
    files.extend(styled.files)
    files.append(write_csv(out / "kelurahan.csv", layers.kelurahan))
    files.append(write_csv(out / "kecamatan.csv", layers.kecamatan))
    checks = reference.checks()
    files.insert(0, write_text(out / "index.html", _index(layers, bounds, checks, lang)))
    return BuildResult(out, bounds, layers, files, checks)


def summary_rows(layers: AtlasLayers, bounds: Boundaries, lang: str = "id") -> list[tuple[str, str]]:
    kel = layers.kelurahan
    odf = kel["status_odf"].value_counts()
    en = lang == "en"
    return [
        ("Boundaries" if en else "Batas wilayah", f"{bounds.report.path} ({bounds.report.schema}, {bounds.report.source_crs})"),
        ("Kelurahan matched" if en else "Kelurahan cocok", f"{layers.matched} / {layers.expected}"),
        ("Kecamatan", str(len(layers.kecamatan))),
        ("Lokus 2021", str(int(kel["lokus_2021"].sum()))),
        ("Lokus 2022", str(int(kel["lokus_2022"].sum()))),
        (f"ODF ({layers.as_of.isoformat()})", ", ".join(f"{k}: {v}" for k, v in odf.items())
         + f", {'no data' if en else 'tidak ada data'}: {int(kel['status_odf'].isna().sum())}"),
        ("Reported kelurahan counts" if en else "Kelurahan dengan kasus dilaporkan", str(int(kel["stunting_dilaporkan"].notna().sum()))),
    ]


def _index(layers, bounds, checks, lang) -> str:
    en = lang == "en"
    products = [
        Product("peta_kelurahan.html", "Peta kelurahan" if not en else "Kelurahan map",
                "lokus 2021/2022, status ODF, kasus dilaporkan" if not en else "lokus 2021/2022, ODF status, reported cases"),
        Product("peta_kecamatan.html", "Peta kecamatan" if not en else "Kecamatan map",
                "balita stunting per periode, keluarga berisiko 2021" if not en else "stunted toddlers per snapshot, families at risk 2021"),
        Product(GPKG_NAME, "GeoPackage", "kelurahan, kecamatan, lokus: semua atribut, bergaya seperti peta (QGIS)" if not en
                else "kelurahan, kecamatan, lokus: every attribute, styled like the maps (QGIS)"),
        Product("kelurahan.csv", "kelurahan.csv", "tabel atribut kelurahan" if not en else "kelurahan attribute table"),
        Product("kecamatan.csv", "kecamatan.csv", "tabel atribut kecamatan" if not en else "kecamatan attribute table"),
    ]
    check_rows = [dict(name=c.name, expected=_fmt(c.expected, lang), found=_fmt(c.found, lang), ok=c.ok, note=c.note) for c in checks]
    sources = [
        "Sinergitas dalam Percepatan Penanganan Kasus Stunting di Kota Serang (2023), tabel dari Dinas Kesehatan Kota Serang (2022)",
        *sorted(set(reference.stunting_kecamatan()["sumber"]) | set(reference.stunting_kelurahan()["sumber"]) | set(reference.sanitasi()["sumber"])),
        "Batas wilayah: wilayah_boundaries (Cahya DSN, lisensi MIT), kode Kepmendagri 300.2.2-2138 Tahun 2025",
    ]
    return render_index(
        title="Atlas stunting Kota Serang" if not en else "Kota Serang stunting atlas",
        subtitle=(f"Data per {layers.as_of.isoformat()}; angka dari makalah dan pemberitaan resmi, masing-masing dengan sumbernya"
                  if not en else f"Data as of {layers.as_of.isoformat()}; figures from the paper and official reports, each with its source"),
        products=products, summary=summary_rows(layers, bounds, lang), checks=check_rows, sources=sources,
        notes=layers.notes + bounds.report.warnings, lang=lang)
