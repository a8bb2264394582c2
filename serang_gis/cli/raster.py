"""``serang-gis raster`` and ``serang-gis zonal``: GeoTIFF out, zonal statistics in."""

from __future__ import annotations

from pathlib import Path

import click

from serang_gis.core.choices import SCHEMES
from serang_gis.core.choices import ZONAL_STATS as STATS
from serang_gis.output.policy import LAYER_SUFFIXES, check_outputs, check_suffix
from serang_gis.cli.map import _bins
from serang_gis.cli.options import lang_opt, overwrite_opt


@click.command(name="raster")
@click.argument("layer_file", metavar="JOINED", type=click.Path(dir_okay=False))
@click.option("--indicator", required=True, help="Column to burn in, e.g. prevalensi or skor_prioritas.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="GeoTIFF to write.")
@click.option("--crs", default=None, help="Projected CRS of the grid [default: the UTM zone of the layer, as the QGIS project].")
@click.option("--resolution", type=float, default=100.0, show_default=True, help="Pixel size in metres.")
@click.option("--nodata", type=float, default=-9999.0, show_default=True, help="Value of pixels with no data.")
@click.option("--scheme", type=click.Choice(SCHEMES), default=None, help="Classes of the style, as for `serang-gis map`.")
@click.option("--k", type=click.IntRange(2, 9), default=5, show_default=True, help="Number of classes.")
@click.option("--bins", callback=_bins, default=None, help="Break points for --scheme manual.")
@lang_opt
@overwrite_opt
def raster_cmd(layer_file, indicator, output, crs, resolution, nodata, scheme, k, bins, lang, overwrite):
    """Rasterise an indicator to a GeoTIFF (tiled, DEFLATE, with overviews).

    Band 1 holds the values; for a rate, band 2 holds the class of the map (the same classes as the
    HTML and QGIS maps) and a .qml beside the file gives QGIS their labels and colours. The GeoTIFF's
    tags name the indicator's period and data source where the layer has them. A count (stunted
    toddlers, families at risk) is refused: counts are mapped as proportional circles, never as a
    choropleth; rasterise a rate (prevalensi) instead.

    \b
    Examples:
      $ serang-gis raster joined.gpkg --indicator prevalensi -o prevalensi.tif
      $ serang-gis raster prioritas.gpkg --indicator skor_prioritas --resolution 50 -o skor.tif
    """
    from serang_gis.core.indicators import resolve
    from serang_gis.join.tables import read_joined
    from serang_gis.plan.layers import coverage as layer_units
    from serang_gis.plan.layers import indicator_plan, info_of
    from serang_gis.render.raster import rasterize

    if scheme == "manual" and not bins:
        raise click.UsageError("--scheme manual needs --bins, e.g. --bins 10,20,30")
    if crs:
        _check_crs(crs)
    check_suffix(output, (".tif", ".tiff"), "the GeoTIFF")
    check_outputs([output, str(Path(output).with_suffix(".qml"))], inputs=[layer_file], overwrite=overwrite)
    kel = read_joined(layer_file)
    col = resolve(indicator, kel.columns)
    if col not in kel.columns:
        _no_such_column(kel, col, layer_file)
    _refuse_a_kind(kel, col)
    _refuse_a_count(kel, col)
    layer = None
    if col in kel.columns and info_of(col, kel).kind == "rate":
        layer = indicator_plan(kel, col, scheme=scheme, k=k, bins=bins, lang=lang).main
        _with_unit(layer, col, lang)
        kel = layer_units(kel)
    period, source = _period_source(kel, col) if col in kel.columns else (None, None)
    path = rasterize(kel, col, output, crs=crs, resolution=resolution, nodata=nodata, layer=layer, overwrite=overwrite,
                     period=period, data_source=source)
    click.echo(f"wrote {path} ({_crs_label(path)}, {resolution:g} m pixels)")


def _check_crs(crs: str) -> None:
    """An unknown --crs is a bad option (walk adv12 M6: it was an "unexpected error")."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_user_input(crs)
    except CRSError:
        raise click.BadParameter(f"{crs!r} is not a CRS PROJ knows", param_hint="--crs") from None


def _refuse_a_kind(kel, col: str) -> None:
    """Text, yes/no, a category or whole numbers serang-gis does not know are no rate: said as what they are (not "a
    count"), with what of the layer can be rasterised (walk adv12 M1)."""
    import pandas as pd

    from serang_gis.core.errors import InputError
    from serang_gis.core.indicators import INFO

    values = kel[col]
    known = INFO.get(col)
    if pd.api.types.is_bool_dtype(values) or (known is not None and known.kind == "flag"):
        what = "a yes/no flag"
    elif known is not None and known.kind == "category":
        what = "a category (its classes are mapped as colours, not numbers)"
    elif not pd.api.types.is_numeric_dtype(values):
        what = "text, not numbers"
    elif known is None and not pd.api.types.is_float_dtype(values):
        what = "whole numbers serang-gis does not know (a count, a rank or a code?), not a rate it knows"
    else:
        return
    raise InputError(f"{col} is {what}: `serang-gis raster` burns a rate or a score into pixels",
                     hint=_rasterisable(kel, "rasterise one of this layer's rates"))


def _refuse_a_count(kel, col: str) -> None:
    """A count burnt into pixels is a choropleth of raw counts: a large kelurahan holds more children, so its colour
    would show its size (README: counts are proportional circles, never a choropleth). The tool has no density option."""
    from serang_gis.core.errors import InputError
    from serang_gis.plan.layers import info_of

    info = info_of(col, kel)
    if info.kind != "count":
        return
    unit = f" ({info.unit})" if info.unit else ""
    raise InputError(f"{col} is a count{unit}: a raster of counts paints each kelurahan by its size, not its burden, "
                     "so `serang-gis raster` burns rates only (the maps draw counts as proportional circles, e.g. the "
                     "GeoPackage's <count>_titik layers)",
                     hint=_rasterisable(kel, "rasterise a rate of this layer instead") + "; for a density, add a column of the count per km² (count / luas_km2) and rasterise that")


def _rasterisable(kel, lead: str) -> str:
    """What of this layer a raster can show: its rates with values, else its other numeric columns that are no counts."""
    import pandas as pd

    from serang_gis.core.indicators import INFO
    from serang_gis.plan.layers import info_of

    rates = [c for c in kel.columns if c in INFO and INFO[c].kind == "rate" and kel[c].notna().any()]
    if rates:
        return f"{lead}: --indicator {rates[0]}" + (f" (or {', '.join(rates[1:4])})" if rates[1:] else "")
    numeric = [c for c in kel.columns if c not in ("geometry", "kelas_peta") and pd.api.types.is_numeric_dtype(kel[c]) and kel[c].notna().any()
               and info_of(c, kel).kind != "count"]
    return ("this layer has no rate (no prevalensi or other percentage with values): join a table with measured and "
            "stunted balita first (`serang-gis join`, or an atlas config's [[data]])"
            + (f"; its other numeric columns: {', '.join(numeric[:6])}" if numeric else ""))


def _no_such_column(kel, col: str, layer_file) -> None:
    from serang_gis.core.errors import InputError

    raise InputError(f"{layer_file}: the layer read (its 'kelurahan' layer, else its first) has no column {col!r}",
                     hint=_rasterisable(kel, "rasterise one of this layer's rates"))


def _with_unit(layer, col: str, lang: str) -> None:
    """Class labels with the field's unit where the classes carry none ("< 2,19 km²" for luas_km2: the unit the
    field's alias names, "Luas (km²)")."""
    import re

    from serang_gis.core.text import TEXT

    if layer.classes is None or layer.unit:
        return
    m = re.search(r"\(([^()]+)\)$", TEXT[lang].get(f"alias.{col}", ""))
    if m and not any(lab.endswith(m[1]) for lab in layer.classes.labels):
        layer.classes.labels = [f"{lab} {m[1]}" for lab in layer.classes.labels]


def _period_source(kel, col: str) -> tuple[str | None, str | None]:
    """The period and data source of ``col`` as the layer holds them (``periode_gizi``, ``sumber_stunting_dilaporkan``,
    ``sumber_gizi__2021`` for ``prevalensi_stunting__2021``): every distinct value among the units with a value."""
    from serang_gis.plan.layers import info_of

    base, _, period = col.partition("__")
    own = info_of(base, kel).group or base
    tail = f"__{period}" if period else ""
    has = kel[col].notna()

    def said(name):
        vals = sorted({str(v) for v in kel.loc[has, name].dropna() if str(v).strip()}) if name in kel.columns else []
        return ", ".join(vals) or None

    return said(f"periode_{own}{tail}") or (period or None), said(f"sumber_{own}{tail}")


def _crs_label(path) -> str:
    """'EPSG:32651, WGS 84 / UTM zone 51N': the grid's CRS as the GeoTIFF holds it."""
    import rasterio
    from pyproj import CRS

    with rasterio.open(path) as src:
        crs = CRS.from_user_input(src.crs.to_wkt())
    code = crs.to_epsg()
    return f"EPSG:{code}, {crs.name}" if code else crs.name


@click.command(name="zonal")
@click.argument("layer_file", metavar="JOINED", type=click.Path(dir_okay=False))
@click.option("--raster", "raster_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Raster to summarise, any CRS (e.g. a WorldPop population grid).")
@click.option("--stat", "stats", type=click.Choice(STATS), multiple=True, default=(),
              help="Statistic(s), coverage-weighted; repeatable [default: sum; mean for a rate written by `serang-gis raster`].")
@click.option("--column", default=None, help="Name of the new column(s) (default: the raster's file name).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Layer to write: .gpkg, .geojson or .csv.")
@overwrite_opt
def zonal_cmd(layer_file, raster_path, stats, column, output, overwrite):
    """Add zonal statistics of a raster to each kelurahan as new columns.

    Each pixel counts with the share of its area inside the kelurahan (exactextract), so a
    population grid sums to the population of each kelurahan, e.g. to estimate toddlers where
    nothing was measured.

    \b
    Examples:
      $ serang-gis zonal joined.gpkg --raster idn_ppp_2020.tif --column penduduk -o joined_pop.gpkg
      $ serang-gis zonal joined.gpkg --raster balita_0_4.tif --stat sum --stat mean -o out.gpkg
    """
    from serang_gis.join.tables import read_joined
    from serang_gis.output.writers import write_joined
    from serang_gis.plan.layers import coverage
    from serang_gis.render.raster import zonal

    check_suffix(output, LAYER_SUFFIXES, "the layer")
    check_outputs([output], inputs=[layer_file, raster_path], overwrite=overwrite)
    kel = read_joined(layer_file)
    stats = _zonal_stats(raster_path, stats)
    name = column or Path(raster_path).stem
    replaced = [f"{name}_{s}" for s in stats if f"{name}_{s}" in kel.columns]
    out = zonal(kel, raster_path, stats=stats, column=column)
    if all(out[f"{name}_{s}"].isna().all() for s in stats):  # walk adv12 L6: a layer of empty columns was written, exit 0
        from serang_gis.core.errors import InputError

        raise InputError(f"{raster_path}: no pixel with a value over any kelurahan of {layer_file} (the raster lies "
                         "outside them, or is nodata there); nothing was written",
                         hint="check that the raster covers this kab/kota (gdalinfo shows its extent and CRS)")
    write_joined(output, coverage(out), overwrite=overwrite)  # the maps' clean coverage, as every command writes
    if replaced:
        click.echo(f"  note: replaced the layer's own column(s) {', '.join(replaced)} (give --column another name to keep them)", err=True)
    for s in stats:
        col = out[f"{name}_{s}"]
        if col.isna().all():
            click.echo(f"  {name}_{s}: no data (no pixel with a value in any kelurahan)", err=True)
            continue
        missing = int(col.isna().sum())
        click.echo(f"  {name}_{s}: " + (f"total {col.sum():,.1f}, " if s == "sum" else "") + f"min {col.min():,.2f}, max {col.max():,.2f}"
                   + (f"; no data for {missing} kelurahan outside the raster" if missing else ""))
    click.echo(f"wrote {output}")


def _zonal_stats(raster_path, stats: tuple) -> tuple:
    """The statistics to take: those asked for, else a sum, or the mean of a rate (a GeoTIFF ``serang-gis raster`` wrote:
    its ``indicator`` tag). A sum of percentages is refused (walk adv12 M2); which band is read is said."""
    import rasterio

    from serang_gis.core.errors import InputError

    try:
        with rasterio.open(raster_path) as src:
            tags, bands = src.tags(), src.count
    except rasterio.errors.RasterioIOError:
        return stats or ("sum",)  # zonal() says what is wrong with the file
    rate = tags.get("source") == "serang-gis" and tags.get("indicator")
    if rate and "sum" in stats:
        raise InputError(f"{raster_path} holds {rate} (written by `serang-gis raster`): each pixel carries its kelurahan's "
                         "value, so a sum of pixels multiplies that value by the kelurahan's size and means nothing",
                         hint="use --stat mean (the coverage-weighted mean)")
    if bands > 1:
        what = " (the map's classes)" if rate else ""
        click.echo(f"  note: band 1 of {bands} is summarised; band 2{what}" + (f" to {bands} are" if bands > 2 else " is") + " not",
                   err=True)
    return stats or (("mean",) if rate else ("sum",))
