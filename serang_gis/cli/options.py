"""Options shared by several commands, defined once.

Every module of ``serang_gis.cli`` stays light: it imports click and the plain vocabularies of
``serang_gis.core.choices`` at the top and the libraries (geopandas, pandas, folium ...) only inside the
command that needs them, so ``--help`` and ``--version`` answer at once (tests/test_cli_quick.py).

Catalogue:
  --boundaries PATH   kelurahan boundary file (any GDAL vector format or GeoParquet); default:
                      $SERANG_GIS_BOUNDARIES, else the packaged file (36.73), else the registry file for --region (cached/downloaded)
  --layer NAME        layer of a multi-layer file (GeoPackage)
  --columns MAP       source columns: code=KODE,name=NAMA[,kecamatan=..,kecamatan_code=..,kabkota=..]
  --crs CRS           CRS to assume when the file has none, or whose coordinates do not fit its CRS (EPSG:32748 ...)
  --dissolve-duplicates  merge features sharing a code that overlap or carry different names (else an error)
  --names PATH        extra kecamatan / kab-kota layer that names the regions (repeatable)
  --region CODE       kab/kota code (36.73) whose kelurahan are kept
  --lang id|en        language of map text
  --offline           maps as single self-contained HTML files
  --overwrite         replace existing outputs (one policy for every command: serang_gis/outputs.py)
  --strict            treat warnings as errors: reading and joining tables, the boundary file's coverage check
"""

from __future__ import annotations

import click

from serang_gis.core.errors import SchemaError


def _columns(ctx, param, value):
    if value is None:
        return None
    from serang_gis.read.boundaries import ColumnMap

    try:
        return ColumnMap.parse(value)
    except SchemaError as exc:
        raise click.BadParameter(exc.message + (f" ({exc.hint})" if exc.hint else "")) from None


def _region(ctx, param, value):
    if value is None:
        return None
    from serang_gis.core import codes

    norm = codes.normalize(value, "kabkota")
    if norm is None:
        raise click.BadParameter(f"{value!r} is not a kab/kota code; write it like 36.73 (Kota Serang)")
    return norm


boundaries_opt = click.option("--boundaries", "boundaries", type=click.Path(), default=None,
                              help="Kelurahan boundary file (GeoJSON, Shapefile or .zip, GeoPackage, FlatGeobuf, GeoParquet), or a folder of per-kab/kota files. "
                                   "Default: $SERANG_GIS_BOUNDARIES, else the packaged file (Kota Serang), else the registry download for --region.")
layer_opt = click.option("--layer", default=None, help="Layer to read from a multi-layer file.")
columns_opt = click.option("--columns", callback=_columns, default=None, metavar="MAP",
                           help="Name the source columns when the schema is not recognised: code=KODE,name=NAMA[,kecamatan=KEC].")
crs_opt = click.option("--crs", default=None, help="CRS to assume when the file has none (or its coordinates do not fit its CRS), e.g. EPSG:32748.")
names_opt = click.option("--names", "names", multiple=True, type=click.Path(exists=True, dir_okay=False),
                         help="Kecamatan or kab/kota layer (code + name columns) naming the regions; repeatable.")
region_opt = click.option("--region", callback=_region, default="36.73", show_default=True,
                          help="Kab/kota code (Kemendagri), e.g. 36.73 for Kota Serang.")
lang_opt = click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
                        help="Language of the map text (Bahasa Indonesia or English).")

overwrite_opt = click.option("--overwrite", is_flag=True, help="Replace existing output files (without it an existing output is an error, exit 1).")

strict_opt = click.option("--strict", is_flag=True,
                          help="Treat warnings as errors: unmatched rows, totals that differ, a subtotal named like a kelurahan, "
                               "a header that looks like a field, fractions read as percent, rows pasted twice, and a boundary "
                               "file that is not a clean coverage (overlapping kelurahan, a repair that changed an area, a "
                               "polygon part far from the rest, a gap wider than 30 m between kelurahan, a kelurahan missing), and "
                               "a map asked for in the config whose table is missing.")

offline_opt = click.option("--offline", is_flag=True,
                           help="Write each map as one self-contained HTML file (Leaflet inlined; no basemap until online).")


dissolve_opt = click.option("--dissolve-duplicates", "dissolve_duplicates", is_flag=True,
                            help="Merge features that share a code although they overlap or carry different names (default: an error).")


def read_options(f):
    """Options that say how to read a boundary file."""
    for opt in reversed([layer_opt, columns_opt, crs_opt, names_opt, dissolve_opt]):
        f = opt(f)
    return f


def boundary_options(f):
    """Where the boundaries come from (--boundaries) and how to read them."""
    return boundaries_opt(read_options(f))


def lokus_option(spec: str | None, kelurahan):
    """``--lokus 2021|2022|FILE`` as flags per kelurahan: a file with bad rows is a data error (exit 1), a name that is
    neither a paper list nor a file is a bad option value (exit 2)."""
    if not spec:
        return None
    from pathlib import Path

    from serang_gis.core.errors import InputError
    from serang_gis.read.lokus import lokus_flags

    try:
        return lokus_flags(spec, kelurahan)
    except InputError as exc:
        if Path(spec).exists():
            raise
        raise click.BadParameter(str(exc), param_hint="--lokus") from None


LABEL_WIDTH = 26  # the summary's label column


def echo_rows(rows) -> None:
    """A build's summary, label and value in two columns; a label too long for its column ("Kel. berdata kasus 2023,
    2024-06, 2024-07") has its value on the next line, under the column, not run on after it."""
    for label, value in rows:
        if len(label) >= LABEL_WIDTH:
            click.echo(f"  {label}")
            click.echo(f"  {'':<{LABEL_WIDTH}} {value}")
        else:
            click.echo(f"  {label:<{LABEL_WIDTH}} {value}")
