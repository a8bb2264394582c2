"""``serang-gis build``: the default Kota Serang atlas."""

from __future__ import annotations

import datetime as dt

import click

from ..build import build_atlas, summary_rows
from .options import boundary_options, lang_opt, offline_opt, output_dir_opt, region_opt


@click.command()
@output_dir_opt
@region_opt
@boundary_options
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the ODF status shown (YYYY-MM-DD); default: today.")
@lang_opt
@offline_opt
def build(output, region, boundaries, layer, columns, crs, names, as_of, lang, offline):
    """Build the Kota Serang atlas: maps, GeoPackage, CSV and index.html.

    Boundaries come from --boundaries, else $SERANG_GIS_BOUNDARIES, else the public registry file
    (cached, or downloaded with its sha256 checked). The figures are the paper's and the public
    ones embedded in the package, each with its source.

    \b
    Examples:
      $ serang-gis build
      $ serang-gis build -o atlas --as-of 2024-01-01 --lang en
      $ serang-gis build --offline            # each map one self-contained HTML file
      $ serang-gis build --boundaries BATAS_DESA_36.zip
    """
    result = build_atlas(output, region=region, boundaries=boundaries, layer=layer, columns=columns, crs=crs,
                         names=list(names), as_of=as_of.date() if as_of else dt.date.today(), lang=lang,
                         offline=offline)
    click.echo(f"serang-gis build: Kota Serang ({region})")
    for label, value in summary_rows(result.layers, result.bounds, "en"):
        click.echo(f"  {label:<26} {value}")
    differ = [c for c in result.checks if not c.ok]
    click.echo(f"  {'Paper checks':<26} {len(result.checks) - len(differ)} agree, {len(differ)} differ from the printed figure (see index.html)")
    for note in result.layers.notes + result.bounds.report.warnings:
        click.echo(f"  note: {note}", err=True)
    click.echo(f"wrote {len(result.files)} files to {result.out_dir}/:")
    for f in result.files:
        click.echo(f"  {f.name}")
