"""``serang-gis template``: a fill-in Data Sasaran workbook."""

from __future__ import annotations

import click

from serang_gis.read import fetch
from serang_gis.output.policy import check_outputs, check_suffix
from serang_gis.cli.options import boundary_options, overwrite_opt, region_opt


@click.command()
@boundary_options
@region_opt
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Workbook to write (.xlsx).")
@overwrite_opt
@click.option("--kegiatan", is_flag=True,
              help="Write the Aksi 2 activity matrix (Rencana Kegiatan) instead, read back by `serang-gis konvergensi`.")
@click.option("--layout", type=click.Choice(["sasaran", "krs", "stbm", "bangda", "eppgbm"]), default="sasaran", show_default=True,
              help="Which table: Data Sasaran; BKKBN Verval KRS (family-risk factors); STBM (pillars, sanitation ladder); "
                   "Web Aksi Bangda Data Sasaran; e-PPGBM by-name (one row per measurement, empty).")
def template(boundaries, layer, columns, crs, names, dissolve_duplicates, region, output, overwrite, kegiatan, layout):
    """Write a Data Sasaran workbook with every kelurahan of the region prefilled.

    The indicator columns have input checks (whole numbers, percent 0-100, a dropdown for ODF
    status); the filled workbook reads back with `serang-gis join`.

    \b
    Examples:
      $ serang-gis template -o data_sasaran.xlsx
      $ serang-gis template --region 36.72 -o data_sasaran_cilegon.xlsx
      $ serang-gis template --kegiatan -o aksi2_2025.xlsx
      $ serang-gis template --layout krs -o verval_krs.xlsx
    """
    from serang_gis.read.boundaries import read_kelurahan
    from serang_gis.render.template import write_template

    check_suffix(output, (".xlsx",), "the workbook")
    check_outputs([output], inputs=[boundaries, *names], overwrite=overwrite)
    src = fetch.resolve(region, boundaries)
    b = read_kelurahan(src.kelurahan, layer=layer, columns=columns, crs=crs, region=region, name_sources=[*src.names, *names],
                       dissolve_duplicates=dissolve_duplicates)
    kab = b.kelurahan["kabkota"].iloc[0]
    if kegiatan:
        from serang_gis.read.kegiatan import known_offices
        from serang_gis.render.template import write_kegiatan_template

        write_kegiatan_template(output, b.kelurahan, title=f"Matriks Rencana Kegiatan (Aksi 2) Percepatan Penurunan Stunting - {kab}",
                                offices=known_offices()["nama"].tolist(), overwrite=overwrite)
        click.echo(f"wrote {output}: Aksi 2 activity matrix, {len(b.kelurahan)} kelurahan of {kab} in the Wilayah sheet")
        return
    titles = {"sasaran": "Data Sasaran Aksi Konvergensi Stunting", "krs": "Verifikasi dan Validasi Keluarga Berisiko Stunting",
              "stbm": "Capaian STBM per Kelurahan", "bangda": "Data Sasaran (Web Aksi Bangda)", "eppgbm": "Data Pengukuran Balita By Name"}
    write_template(output, b.kelurahan, title=f"{titles[layout]} - {kab} ({region})", overwrite=overwrite, layout=layout)
    click.echo(f"wrote {output}: {len(b.kelurahan)} kelurahan of {kab}" if layout != "eppgbm" else f"wrote {output}: by-name sheet, 500 rows")
