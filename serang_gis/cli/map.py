"""``serang-gis map``: one indicator of a joined layer as an interactive map."""

from __future__ import annotations

from pathlib import Path

import click

from serang_gis.core.choices import PAPER_LISTS, SCHEMES
from serang_gis.output.policy import check_outputs, check_suffix
from serang_gis.cli.options import lang_opt, offline_opt, overwrite_opt


def _bins(ctx, param, value):
    if not value:
        return None
    try:
        return [float(v.replace(",", ".")) if v.count(",") == 1 and "." not in v else float(v) for v in value.split(";" if ";" in value else ",")]
    except ValueError:
        raise click.BadParameter("write break points like 10,20,30") from None


@click.command(name="map")
@click.argument("layer_file", metavar="JOINED", type=click.Path(dir_okay=False))
@click.option("--indicator", required=True, help="Column to map, e.g. prevalensi, persen_keluarga_berisiko, balita_stunting, status_odf.")
@click.option("--scheme", type=click.Choice(SCHEMES), default=None,
              help="Classes for a rate; default WHO bands for prevalence, quantiles otherwise.")
@click.option("--k", type=click.IntRange(2, 9), default=5, show_default=True, help="Number of classes (quantiles, natural_breaks, equal_interval).")
@click.option("--bins", callback=_bins, default=None, help="Break points for --scheme manual, e.g. 10,20,30.")
@click.option("--estimate", type=click.Choice(["raw", "eb"]), default="raw", show_default=True,
              help="Prevalence as measured (raw) or smoothed toward the kecamatan rate (eb, empirical Bayes; docs/statistics.md).")
@click.option("--target", type=float, default=None, help="Target line for the legend, e.g. 14 (national prevalence target).")
@click.option("--lokus", "lokus_files", multiple=True,
              help="Lokus list (CSV/XLSX of kelurahan names or codes, or 2021 / 2022 for the paper's lists), drawn as outlines; repeatable.")
@click.option("--puskesmas", type=click.Path(exists=True, dir_okay=False), default=None, help="CSV of puskesmas: name, lat, lon.")
@click.option("--layer", default=None, help="Layer of the GeoPackage (default: kelurahan).")
@click.option("--title", default=None, help="Map title (default: the indicator and the kab/kota).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@lang_opt
@offline_opt
@overwrite_opt
def map_cmd(layer_file, indicator, scheme, k, bins, estimate, target, lokus_files, puskesmas, layer, title, output, lang, offline, overwrite):
    """Draw one indicator of a joined kelurahan layer as an interactive Leaflet map.

    A rate (prevalence, share of families at risk, sanitation gap) is a choropleth; a count is drawn
    as proportional circles. Lokus lists, ODF status, kecamatan outlines and puskesmas are layers
    that can be switched on and off, each with its legend.

    \b
    Examples:
      $ serang-gis map joined.gpkg --indicator prevalensi -o peta_prevalensi.html
      $ serang-gis map joined.gpkg --indicator prevalensi --scheme quantiles --k 4 --target 14 --lokus lokus_2025.csv
      $ serang-gis map joined.gpkg --indicator balita_stunting --offline --lang en -o stunted.html
    """
    from serang_gis.core.indicators import resolve
    from serang_gis.join.tables import read_joined
    from serang_gis.read.lokus import lokus_flags, read_lokus, read_puskesmas
    from serang_gis.render.leaflet.indicator import indicator_spec

    if scheme == "manual" and not bins:
        raise click.UsageError("--scheme manual needs --bins, e.g. --bins 10,20,30")
    check_suffix(output, (".html", ".htm"), "the map")
    check_outputs([output], inputs=[layer_file, *lokus_files, puskesmas], overwrite=overwrite)
    kel = read_joined(layer_file, layer)
    for p in lokus_files:
        if p not in PAPER_LISTS and not Path(p).is_file():
            raise click.BadParameter(f"{p}: no such file (or 2021 / 2022 for the paper's lists)", param_hint="--lokus")
    lists = dict((p, lokus_flags(p, kel)) if p in PAPER_LISTS and not Path(p).exists() else read_lokus(p, kel) for p in lokus_files)
    pusk = read_puskesmas(puskesmas) if puskesmas else None
    if estimate == "eb":
        col = resolve(indicator, kel.columns)
        if f"{col}_eb" not in kel.columns:
            raise click.BadParameter(f"the layer has no smoothed {col} (column {col}_eb): join it again with this version",
                                     param_hint="--estimate")
        indicator = f"{col}_eb"
    spec = indicator_spec(kel, indicator, scheme=scheme, k=k, bins=bins, target=target, lokus=lists, puskesmas=pusk,
                          lang=lang, title=title)
    path = spec.save(output, offline=offline, overwrite=overwrite)
    click.echo(f"wrote {path}" + ("" if offline else f" (with {Path(path).parent / 'lib'}/)"))
