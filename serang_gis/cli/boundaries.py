"""``serang-gis boundaries fetch`` and ``serang-gis boundaries info``."""

from __future__ import annotations

import click

from serang_gis.read import fetch as fetch_mod
from serang_gis.cli.options import read_options, strict_opt


@click.group()
def boundaries():
    """Get and inspect kelurahan boundary files.

    \b
    Examples:
      $ serang-gis boundaries fetch --region 36.73
      $ serang-gis boundaries info ~/Downloads/BATAS_DESA_BANTEN.zip
    """


@boundaries.command()
@click.option("--region", "regions", multiple=True, help="Kab/kota code, e.g. 36.73; repeatable.")
@click.option("--list", "list_", is_flag=True, help="List the kab/kota codes in the registry and exit.")
def fetch(regions, list_):
    """Download the public boundaries of a kab/kota into the cache (sha256-checked).

    The kelurahan file of the kab/kota and the kecamatan and kab/kota files of its province are
    fetched from pinned addresses and checked against the registry's sha256 (also for Kota Serang,
    whose kelurahan are packaged and need no download for `build`). Set SERANG_GIS_CACHE
    to choose the cache folder and SERANG_GIS_MIRROR to fetch from a mirror with the same layout.

    \b
    Examples:
      $ serang-gis boundaries fetch --region 36.73
      $ serang-gis boundaries fetch --region 36.01 --region 36.02
      $ serang-gis boundaries fetch --list
    """
    if list_:
        for code in fetch_mod.regions():
            click.echo(code)
        return
    if not regions:
        raise click.UsageError("give --region CODE (e.g. --region 36.73), or --list")
    from serang_gis.cli.options import _region

    for region in regions:
        region = _region(None, None, region)
        files = fetch_mod.resolve(region, download=True, packaged_ok=False)
        for path in (files.kelurahan, *files.names):
            click.echo(f"{region}  {path}")


@boundaries.command()
@click.argument("path", type=click.Path(dir_okay=False))
@read_options
@click.option("--region", default=None, help="Only kelurahan whose code starts with this, e.g. 36.73.")
@strict_opt
def info(path, layer, columns, crs, names, dissolve_duplicates, region, strict):
    """Show what was recognised in a boundary file: schema, CRS, counts, repairs, duplicate names, coverage.

    The layer is checked as a coverage: overlaps between different codes (above 100 m2 and 1 % of the
    smaller), repairs of self-intersecting outlines that changed an area, a polygon part more than 10 km
    from every other part of its kab/kota (and half the span of the rest), gaps between kelurahan wider
    than 30 m that a build leaves open, and (for kab/kota the package knows, 36.73) kelurahan missing from
    the file are warnings, errors with --strict; a kelurahan drawn over another (half of the smaller or
    more) is always an error.

    \b
    Examples:
      $ serang-gis boundaries info ../shared/data/boundaries/kota_serang_kelurahan.geojson
      $ serang-gis boundaries info Batas_Desa.gpkg --layer ADMINISTRASIDESA_AR_25K
      $ serang-gis boundaries info desa.shp --columns code=KODE,name=DESA,kecamatan=KEC
    """
    from serang_gis.read.boundaries import read_kelurahan

    b = read_kelurahan(path, layer=layer, columns=columns, crs=crs, region=region, name_sources=list(names),
                       dissolve_duplicates=dissolve_duplicates, strict=strict)
    rep, kel = b.report, b.kelurahan
    click.echo(f"file        {rep.path}" + (f" (layer {rep.layer})" if rep.layer else ""))
    click.echo(f"schema      {rep.schema}")
    click.echo(f"source CRS  {rep.source_crs} (written as EPSG:4326)")
    click.echo(f"features    {rep.features_read} read, {len(kel)} kelurahan/desa kept"
               + (f", {rep.filtered_out} outside region {region}" if rep.filtered_out else ""))
    click.echo(f"repaired    {rep.repaired} invalid geometries" + (f", {len(rep.repairs)} changed in area" if rep.repairs else ""))
    click.echo(f"coverage    {len(rep.overlaps)} overlapping pair(s) of kelurahan" + (f", {len(rep.missing)} missing/unknown finding(s)" if rep.missing else ""))
    for row, why in rep.dropped:
        click.echo(f"dropped     feature {row}: {why}")
    for code in rep.merged:
        click.echo(f"merged      several features share code {code}")
    for level, src in rep.name_sources.items():
        click.echo(f"{level + ' names':<11} {src}")
    click.echo("per kecamatan:")
    counts = kel.groupby(["kode_kab", "kabkota", "kode_kec", "kecamatan"]).size()
    for (kab_code, kab, kec_code, kec), n in counts.items():
        click.echo(f"  {kec_code}  {kec:<24} {n:>4}   ({kab})")
    dups = rep.duplicate_names(kel)
    for name, where in dups.items():
        click.echo(f"duplicate name  {name}: {', '.join(where)}")
    for w in rep.warnings:
        click.echo(f"warning     {w}", err=True)
    _cleaning(kel, region, strict)


INFO_CLEAN_MAX = 10  # boundaries info: the coverage cleaning (what a build would repair or leave open) for at most this many kab/kota


def _cleaning(kel, region, strict=False):
    """What a build's cleaning of each kab/kota would say: overlaps and gaps it repairs, gaps it leaves open (warnings;
    with --strict an open gap is an error, as in a build)."""
    from serang_gis.core.text import say
    from serang_gis.plan.layers import cleaning_notes, coverage, refuse_open_gaps

    groups = list(kel.groupby("kode_kab", sort=True))
    if len(groups) > INFO_CLEAN_MAX:
        click.echo(f"cleaning    not run for {len(groups)} kab/kota (at most {INFO_CLEAN_MAX}): give --region to see what a build repairs")
        return
    for kab, grp in groups:
        cov = coverage(grp)
        cleaned = cleaning_notes(cov)
        for note in cleaned:  # slight adjustments are a note, the rest a warning
            kind = "note   " if note.key == "coverage.clean_slight" else "warning"
            click.echo(f"{kind}     {kab}: {say('en', note)}", err=True)
        if strict:
            refuse_open_gaps(cov, cleaned)
