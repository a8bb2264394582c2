"""``serang-gis join``: office tables onto the kelurahan layer, with a match report."""

from __future__ import annotations

from pathlib import Path

import click

from serang_gis.read import fetch
from serang_gis.core.errors import InputError
from serang_gis.output.policy import LAYER_SUFFIXES, check_outputs, check_suffix
from serang_gis.cli.options import boundary_options, overwrite_opt, region_opt, strict_opt


@click.command()
@boundary_options
@region_opt
@click.option("--data", "data", multiple=True, required=True, type=click.Path(dir_okay=False),
              help="Table to join (CSV, TSV or XLSX): aggregated per kelurahan, or a by-name e-PPGBM export. Repeatable.")
@click.option("--sheet", default=None, help="Sheet of the XLSX files (default: the first).")
@click.option("--map", "mapping", multiple=True, metavar='"HEADER=field"',
              help='Name a column the headers do not reveal, e.g. --map "Jumlah Stunting=stunting". Repeatable.')
@click.option("--config", "config", type=click.Path(exists=True, dir_okay=False), default=None,
              help='TOML file with a [columns] table of "Header" = "field" mappings (as --map).')
@click.option("--period", default=None, help="Period of the data (2024, 2024-08, 2024-02..2024-08); filters by-name exports.")
@click.option("--sum-duplicates", is_flag=True, help="Add up the counts of several rows for one kelurahan instead of failing.")
@strict_opt
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Joined kelurahan layer: .gpkg (GeoPackage 1.2), .geojson or .csv.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None, help="Write the match report as JSON here.")
@overwrite_opt
def join(boundaries, layer, columns, crs, names, dissolve_duplicates, region, data, sheet, mapping, config, period, sum_duplicates, strict, output, report_path, overwrite):
    """Join kelurahan tables (e-PPGBM, keluarga berisiko, sanitasi) to the boundaries.

    Rows are matched by code, else by kecamatan + kelurahan name, else by a fuzzy name match within
    the kecamatan (reported with its score). Total rows are skipped and checked against the data.
    Nothing is written when a value is invalid; by-name columns (NIK, names, addresses) never
    reach any output.

    \b
    Examples:
      $ serang-gis join --data data_sasaran_2024.xlsx -o joined.gpkg --report report.json
      $ serang-gis join --data eppgbm_agustus.csv --period 2024-08 --data krs_2024.xlsx -o joined.gpkg
      $ serang-gis join --data stbm.csv --map "Status STBM=status_odf" -o sanitasi.geojson --strict
      $ serang-gis join --data puskesmas.xlsx --sheet Rekap --config kolom.toml -o joined.gpkg
    """
    from serang_gis.join.tables import join_tables
    from serang_gis.output.writers import write_joined, write_text
    from serang_gis.read.boundaries import read_kelurahan
    from serang_gis.read.tables import mapping_from_config, parse_mapping, read_table

    out = Path(output)
    check_suffix(out, LAYER_SUFFIXES, "the joined layer")
    if report_path:
        check_suffix(report_path, (".json",), "the report", "--report")
    check_outputs([out, report_path], inputs=[*data, boundaries, config, *names], overwrite=overwrite)
    try:
        maps = parse_mapping(mapping)
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from None
    if config:
        maps = {**mapping_from_config(config), **maps}  # --map wins over the file
    src = fetch.resolve(region, boundaries)
    bounds = read_kelurahan(src.kelurahan, layer=layer, columns=columns, crs=crs, region=region, name_sources=[*src.names, *names],
                            dissolve_duplicates=dissolve_duplicates)
    for w in bounds.report.warnings:
        click.echo(f"boundaries: {w}", err=True)
    tables = [read_table(p, sheet=sheet, mapping=maps, period=period) for p in data]
    joined, report = join_tables(bounds.kelurahan, tables, sum_duplicates=sum_duplicates, strict=strict)
    write_joined(out, joined, overwrite=overwrite)
    if report_path:
        write_text(report_path, report.to_json(), overwrite=overwrite)
    for line in report.summary():
        click.echo(line)
    click.echo(f"wrote {out}" + (f" and {report_path}" if report_path else ""))
