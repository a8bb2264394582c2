"""``serang-gis konvergensi``: which office acts where, and does the money reach the lokus."""

from __future__ import annotations

from pathlib import Path

import click

from serang_gis.cli.options import lang_opt, lokus_option, offline_opt, overwrite_opt
from serang_gis.core.text import t


@click.command(name="konvergensi")
@click.argument("layer_file", metavar="JOINED", type=click.Path(dir_okay=False))
@click.option("--kegiatan", "kegiatan_files", multiple=True, required=True, type=click.Path(dir_okay=False),
              help="Aksi 2 activity matrix (CSV/XLSX: Perangkat Daerah, Sub Kegiatan, Jenis Intervensi, Lokasi, Pagu, Sumber Dana ...); repeatable.")
@click.option("--sheet", default=None, help="Sheet of the XLSX matrix (default: the first).")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="Keep only the activities of this year (rows without a Tahun are kept).")
@click.option("--lokus", "lokus_spec", default=None,
              help="Lokus list: 2021 / 2022 (the paper's lists) or a CSV/XLSX of kelurahan names or codes.")
@click.option("--split", type=click.Choice(["equal", "stunting", "sasaran", "none"]), default="equal", show_default=True,
              help="How an activity's pagu is allocated over the kelurahan it names: equal; stunting / sasaran: in proportion to "
                   "their balita_stunting / sasaran_balita (the layer must have the column); none: counted whole for each "
                   "(a reach measure; the headline then splits equally).")
@click.option("--opd", "opd_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Extra offices (CSV kode,nama,alias with ';'-separated spellings) besides the known ones.")
@click.option("--paket", "paket_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Package mapping table (CSV opd,jenis,kata_kunci,paket) replacing the package's own (docs/konvergensi.md).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors: an unknown office, a Lokasi that matches nothing, a heading or repeated row, "
                   "an office of the province or another kab/kota, a grand total that differs.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder for the products.")
@lang_opt
@offline_opt
@overwrite_opt
def konvergensi_cmd(layer_file, kegiatan_files, sheet, year, lokus_spec, split, opd_file, paket_file, strict, output, lang, offline, overwrite):
    """Convergence view of the Aksi 2 activity matrix: offices, money and service packages per kelurahan.

    Each activity's Lokasi is read as city-wide ("Kota Serang", "seluruh kelurahan"), a kecamatan
    ("Kec. Kasemen": all its kelurahan) or kelurahan ("Kel. Sepang, Lialang (Kec. Taktakan)",
    "Kalodran, Kec. Walantaka", codes). Per kelurahan: the offices (OPD) reaching it, the
    sub-kegiatan, the located pagu (split equally over the kelurahan an activity names, by their
    stunted toddlers or sasaran with --split stunting|sasaran, or --split none), pagu per stunted
    toddler and per family at risk (marked where all of it comes from kecamatan-level activities split
    down), the five service packages. Per office and in total, the headline: the share of located pagu
    that lands in lokus kelurahan by allocation; beside it the share in activities touching any lokus
    (counted whole); and the shares of all pagu in lokus / non-lokus kelurahan, city-wide. Writes konvergensi.gpkg (styled for QGIS), konvergensi_kelurahan.csv,
    kegiatan_terbaca.csv, peta_konvergensi.html, matriks_lokus_opd.xlsx/.html and
    laporan_konvergensi.json. All of them or none: an existing product is replaced only with --overwrite,
    an input is never overwritten, other files in the folder are left in place.

    \b
    Examples:
      $ serang-gis konvergensi joined.gpkg --kegiatan aksi2_2023.xlsx --lokus 2022 -o konvergensi/
      $ serang-gis konvergensi joined.gpkg --kegiatan aksi2.csv --year 2023 --split stunting --lokus lokus_2024.csv -o out/
    """
    from serang_gis.join.tables import read_joined
    from serang_gis.read.kegiatan import read_kegiatan
    from serang_gis.analysis.konvergensi import compute, summary_lines, _lokus_name
    from serang_gis.output.policy import check_outputs
    from serang_gis.output.staging import staged_folder
    from serang_gis.render.konvergensi import PRODUCTS, write_products

    inputs = [layer_file, *kegiatan_files, opd_file, paket_file, lokus_spec if lokus_spec and Path(lokus_spec).is_file() else None]
    check_outputs([Path(output) / p for p in PRODUCTS], inputs=inputs, overwrite=overwrite)  # before any work
    kel = read_joined(layer_file)
    flags = lokus_option(lokus_spec, kel)
    for f in kegiatan_files:
        if not Path(f).is_file():
            raise click.BadParameter(f"{f}: no such file", param_hint="--kegiatan")
    keg = [read_kegiatan(f, kel, sheet=sheet, year=year, opd_file=opd_file, paket_file=paket_file, strict=strict) for f in kegiatan_files]
    res = compute(kel, keg, lokus=flags, lokus_name=_lokus_name(lokus_spec), split=split, lang=lang)
    own = set(PRODUCTS) | {p[:-4] + ".csvt" for p in PRODUCTS if p.endswith(".csv")}  # what a run could have written
    with staged_folder(output, owner="konvergensi", overwrite=overwrite, replace_own=False,
                       names=lambda rel: rel in own or (rel.startswith("lib/") and rel.count("/") == 1)) as stage:
        files = [Path(output) / Path(p).relative_to(stage) for p in write_products(res, stage, lang=lang, offline=offline)]
    for line in summary_lines(res, lang):
        click.echo(line, err=line.startswith(("warning:", "note:", "peringatan:", "catatan:")))
    click.echo(t(lang, "sum.wrote", n=len(files), folder=output) + " " + ", ".join(Path(p).name for p in files))  # the run's language
