"""``serang-gis export``: styled layers for QGIS (GeoPackage with layer_styles, GeoJSON + .qml)."""

from __future__ import annotations

import click

from serang_gis.core.choices import SCHEMES
from serang_gis.cli.map import _bins
from serang_gis.output.policy import check_folder, check_name, check_outputs
from serang_gis.cli.options import lang_opt, overwrite_opt


@click.command(name="export")
@click.argument("layer_file", metavar="JOINED", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--name", default="serang_gis", show_default=True, help="Base name of the files.")
@click.option("--indicator", default=None, help="Indicator the kelurahan style classes (default: prevalence, else the tier).")
@click.option("--scheme", type=click.Choice(SCHEMES), default=None, help="Classes, as for `serang-gis map`.")
@click.option("--k", type=click.IntRange(2, 9), default=5, show_default=True, help="Number of classes.")
@click.option("--bins", callback=_bins, default=None, help="Break points for --scheme manual.")
@click.option("--format", "formats", type=click.Choice(["gpkg", "geojson", "shp"]), multiple=True,
              default=("gpkg", "geojson"), show_default=True,
              help="What to write; repeatable. shp: a Shapefile per layer with field names of at most 10 characters, "
                   "its .qml on those names, <layer>_fields.csv (short name, long name, alias) and texts over 254 "
                   "bytes in full in <layer>_teks.csv.")
@click.option("--suppress-below", type=click.IntRange(1, None), default=None,
              help="For shared outputs: blank counts from 1 to N-1 and the rates that would give them back (column disamarkan).")
@overwrite_opt
@lang_opt
def export_cmd(layer_file, out_dir, name, indicator, scheme, k, bins, formats, suppress_below, overwrite, lang):
    """Write QGIS-ready layers styled like the HTML maps.

    A GeoPackage 1.2 with layers kelurahan (every indicator and the priority), kecamatan and lokus,
    and their default styles (QML and SLD) in its layer_styles table, with a QGIS project (.qgz) over
    it (layers grouped and styled, a print layout per map, an atlas over kecamatan); and GeoJSON per
    layer (RFC 7946) with a .qml of the same name that QGIS applies when it opens the file. With
    --format shp, a Shapefile per layer whose short field names, .qml and side tables keep sizes,
    classes and aliases.

    \b
    Examples:
      $ serang-gis export prioritas.gpkg -o qgis/
      $ serang-gis export joined.gpkg -o shared/ --suppress-below 5
      $ serang-gis export prioritas.gpkg -o shp/ --format shp
      $ serang-gis export joined.gpkg -o qgis/ --indicator persen_keluarga_berisiko --scheme natural_breaks --k 4
    """
    from pathlib import Path

    from serang_gis.join.tables import read_joined
    from serang_gis.render.qgis import export_layers

    check_name(name)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise click.BadParameter(f"{out_dir} is a file, not a folder", param_hint="-o/--output")
    check_folder(out)
    targets = ([out / f"{name}.gpkg", out / f"{name}.qgz"] if "gpkg" in formats else []) + \
        [out / f"{name}_{layer}{sfx}" for layer in ("kelurahan", "kecamatan", "lokus") for sfx in (".geojson", ".qml")
         if "geojson" in formats] + \
        [out / f"{name}_{layer}{sfx}" for layer in ("kelurahan", "kecamatan") for sfx in (".shp", ".dbf", ".qml", "_fields.csv")
         if "shp" in formats]
    check_outputs(targets, inputs=[layer_file], overwrite=overwrite)
    kel = read_joined(layer_file)
    if suppress_below:
        from serang_gis.core.indicators import suppress_small

        kel = suppress_small(kel, suppress_below)
    result = export_layers(kel, out_dir, name=name, indicator=indicator, scheme=scheme, k=k, bins=bins, lang=lang,
                           formats=formats, overwrite=overwrite)
    for layer, n in result.layers.items():
        rules = len(result.styles[layer].rules)
        click.echo(f"  {layer:<10} {n:>5} features, style {result.styles[layer].name!r} ({rules} {'class' if rules == 1 else 'classes'})")
    click.echo(f"wrote {len(result.files)} files to {out_dir}/")
    for f in result.files:
        click.echo(f"  {f.name}")
