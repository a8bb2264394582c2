"""``serang-gis template``: a fill-in Data Sasaran workbook."""

from __future__ import annotations

import click

from .. import fetch
from ..boundaries import read_kelurahan
from ..template import write_template
from .options import boundary_options, region_opt


@click.command()
@boundary_options
@region_opt
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Workbook to write (.xlsx).")
@click.option("--overwrite", is_flag=True, help="Replace an existing workbook.")
@click.option("--kegiatan", is_flag=True,
              help="Write the Aksi 2 activity matrix (Rencana Kegiatan) instead, read back by `serang-gis konvergensi`.")
def template(boundaries, layer, columns, crs, names, region, output, overwrite, kegiatan):
    """Write a Data Sasaran workbook with every kelurahan of the region prefilled.

    The indicator columns have input checks (whole numbers, percent 0-100, a dropdown for ODF
    status); the filled workbook reads back with `serang-gis join`.

    \b
    Examples:
      $ serang-gis template -o data_sasaran.xlsx
      $ serang-gis template --region 36.72 -o data_sasaran_cilegon.xlsx
      $ serang-gis template --kegiatan -o aksi2_2025.xlsx
    """
    if not output.lower().endswith(".xlsx"):
        raise click.BadParameter("the workbook must end in .xlsx", param_hint="-o/--output")
    src = fetch.resolve(region, boundaries)
    b = read_kelurahan(src.kelurahan, layer=layer, columns=columns, crs=crs, region=region, name_sources=[*src.names, *names])
    kab = b.kelurahan["kabkota"].iloc[0]
    if kegiatan:
        from ..kegiatan import known_offices
        from ..template import write_kegiatan_template

        write_kegiatan_template(output, b.kelurahan, title=f"Matriks Rencana Kegiatan (Aksi 2) Percepatan Penurunan Stunting - {kab}",
                                offices=known_offices()["nama"].tolist(), overwrite=overwrite)
        click.echo(f"wrote {output}: Aksi 2 activity matrix, {len(b.kelurahan)} kelurahan of {kab} in the Wilayah sheet")
        return
    write_template(output, b.kelurahan, title=f"Data Sasaran Aksi Konvergensi Stunting - {kab} ({region})", overwrite=overwrite)
    click.echo(f"wrote {output}: {len(b.kelurahan)} kelurahan of {kab}")
