"""``serang-gis build``: the atlas of one kab/kota, or of many at once."""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path

import click

from serang_gis.core.errors import InputError
from serang_gis.output.background import prestarted
from serang_gis.output.policy import check_folder, check_length
from serang_gis.output.staging import staged_folder
from serang_gis.render.leaflet.assets import node_modules
from serang_gis.cli.options import boundary_options, echo_rows, lang_opt, offline_opt, overwrite_opt, strict_opt


DRAWING_MODULES = ("serang_gis.render.static:warm",)  # what the static maps' process loads before its first map


def drawing_processes(workers: int):
    """The processes that draw the static maps, forked now (``output.background.prestarted``): they load matplotlib
    while this one reads, joins and plans. geopandas is imported first, once, so that they share it."""
    import geopandas  # noqa: F401

    return prestarted(*DRAWING_MODULES, workers=workers)


def _regions(ctx, param, value):
    if not value:
        return None
    from serang_gis.read.fetch import expand_regions

    try:
        return expand_regions(value)
    except InputError as exc:
        raise click.BadParameter(exc.message) from None


@click.command()
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), default=None,
              help="Output folder (default: the config's, else outputs/).")
@click.option("--region", "regions", multiple=True, callback=_regions,
              help="Kab/kota code (36.73), a comma list, a province (36) or all; repeatable. Default: the config's, else 36.73.")
@boundary_options
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Atlas config (TOML): data per period, maps, rank, exports. See docs/atlas-config.md.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the ODF status shown (YYYY-MM-DD); default: today.")
@click.option("--faktor-opd", "faktor_opd", type=click.Path(dir_okay=False), default=None,
              help="Your factor-to-office CSV (faktor, indikator, opd, peran), replacing the package's; see docs/faktor-opd.md.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Local processes for many regions.")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Dask distributed scheduler (tcp://host:8786) to run the regions on.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@lang_opt
@offline_opt
@overwrite_opt
@strict_opt
def build(output, regions, boundaries, layer, columns, crs, names, dissolve_duplicates, config_path, as_of, faktor_opd, jobs, scheduler, quiet, lang,
          offline, overwrite, strict):
    """Build an atlas: maps (HTML, PNG, PDF), styled GeoPackage, tables and index.html.

    Without a config it builds the Kota Serang atlas from the figures embedded in the package, or a
    boundaries atlas for another kab/kota. With --config it joins your tables per period and makes
    every map the config asks for. The output folder may hold your own files: they are left in place;
    the build replaces only the files it wrote itself (listed in .serang-gis-manifest.json), and a file
    of yours in the way of a product is an error unless --overwrite. Boundaries come from --boundaries (a file, or a folder of
    per-kab/kota files), else $SERANG_GIS_BOUNDARIES, else for Kota Serang the file packaged with
    serang-gis (offline), else the public registry download (cached).

    \b
    Examples:
      $ serang-gis build
      $ serang-gis build -o atlas --as-of 2024-01-01 --lang en --offline
      $ serang-gis build --config atlas.toml
      $ serang-gis build --region 36 --boundaries banten/ --jobs 2 -o banten_atlas
      $ serang-gis build --region 36.01,36.02,36.03 --scheduler tcp://127.0.0.1:8786 -o atlas
    """
    from serang_gis.read.fetch import expand_regions

    cfg = _config(config_path, lang=lang, offline=offline, as_of=as_of, boundaries=boundaries, layer=layer, columns=columns,
                  crs=crs, names=names, dissolve_duplicates=dissolve_duplicates, strict=strict, faktor_opd=faktor_opd)
    if jobs > 1 and scheduler:
        raise click.UsageError("give --jobs or --scheduler, not both")
    out = Path(output or (cfg.output if config_path else "outputs"))
    todo = regions or expand_regions(cfg.region)
    check_length(out)  # before any look at it: a name too long makes exists() raise
    if out.exists() and not out.is_dir():
        raise click.BadParameter(f"{out} is a file, not a folder", param_hint="-o/--output")
    check_folder(out)
    node_modules()  # the map runtime's files, checked before minutes of reading boundaries: a missing install fails at once
    # built in a staging folder and swapped in: an interrupted or failed build leaves the previous atlas as it was
    if len(todo) == 1:
        drawers = (2 if config_path else 1) if cfg.static else 0  # a config's maps are many: two processes draw them
        with drawing_processes(drawers), staged_folder(out, overwrite=overwrite) as stage:
            from serang_gis.pipeline import build_atlas  # imported here while that process imports matplotlib

            result = build_atlas(stage, region=todo[0], config=cfg)
        result.out_dir = out
        if not quiet:
            _report(result, todo[0], cfg.lang)
        return
    with staged_folder(out, overwrite=overwrite) as stage:
        failed = _build_many(cfg, todo, stage, jobs, scheduler, quiet, shown=out)
    if failed:
        raise click.exceptions.Exit(1)


def _config(config_path, *, lang, offline, as_of, boundaries, layer, columns, crs, names, dissolve_duplicates, strict=False,
            faktor_opd=None):
    """The atlas config (the file's, else the defaults) with the command line's options over it."""
    from serang_gis.read.config import AtlasConfig, load_config

    cfg = load_config(config_path) if config_path else AtlasConfig()
    overrides = {"lang": lang if lang != "id" or not config_path else cfg.lang, "offline": offline or cfg.offline}
    if as_of:
        overrides["as_of"] = as_of.date()
    if boundaries:
        overrides["boundaries"] = boundaries
    if layer:
        overrides["boundaries_layer"] = layer
    if columns:
        overrides["boundaries_columns"] = tuple((k, v) for k, v in columns.__dict__.items() if v)
    if crs:
        overrides["boundaries_crs"] = crs
    if names:
        overrides["boundary_names"] = tuple(names)
    if dissolve_duplicates:
        overrides["boundaries_dissolve"] = True
    if strict:
        overrides["strict"] = True
    if faktor_opd:
        if not Path(faktor_opd).is_file():
            raise click.BadParameter(f"{faktor_opd}: no such file", param_hint="--faktor-opd")
        overrides["faktor_opd"] = str(Path(faktor_opd).resolve())
    return dataclasses.replace(cfg, **overrides)  # every region, one or many, gets the same options


def _report(result, region, lang: str = "id"):
    """What a one-region build made: the summary, the paper checks, notes (stderr) and the first files, all in the build's
    language (--lang, or the config's), as its pages are; errors and --help stay English."""
    from serang_gis.core.text import say, t
    from serang_gis.pipeline import summary_rows

    kab = result.kelurahan["kabkota"].iloc[0]
    click.echo(f"serang-gis build: {kab} ({region})" if str(kab) != str(region) else f"serang-gis build: {region}")  # a name not known: the code once
    echo_rows(summary_rows(result, lang))
    if result.checks:
        differ = [c for c in result.checks if not c.ok]
        echo_rows([(t(lang, 'sum.checks'), t(lang, 'sum.checks_value', ok=len(result.checks) - len(differ), differ=len(differ)))])
    for rep in result.reports.values():  # each table's warnings, similar names and missing kelurahan, as the index says them
        for f in rep.files:
            for line in f.alerts(lang):
                click.echo(f"  {f.name()}: {line}", err=True)
    for note in result.notes:
        click.echo(f"  {t(lang, 'join.note')}: {say(lang, note)}", err=True)
    click.echo(t(lang, "sum.wrote", n=len(result.files), folder=result.out_dir))
    for f in result.files[:12]:
        click.echo(f"  {f.name}")
    if len(result.files) > 12:
        click.echo(t(lang, "sum.more_files", n=len(result.files) - 12))


def _build_many(cfg, regions, out: Path, jobs, scheduler, quiet, shown: Path):
    from jinja2 import Environment
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from serang_gis.batch import make_tasks, run
    from serang_gis.output.writers import write_text

    tasks = make_tasks(cfg, regions, out, apart=bool(scheduler) or jobs > 1)
    progress = Progress(TextColumn("[bold]build"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.fields[last]}"), disable=quiet, transient=False)
    with progress:
        bar = progress.add_task("build", total=len(tasks), last="")
        outcomes = run(tasks, jobs=jobs, scheduler=scheduler,
                       on_done=lambda o: progress.update(bar, advance=1, last=f"{o.region} {'ok' if o.ok else 'FAILED'}"))
    template = Environment(autoescape=True).from_string(
        resources.files("serang_gis").joinpath("templates", "regions.html.j2").read_text(encoding="utf-8"))
    from serang_gis.core.numbers import count
    from serang_gis.core.text import t

    lang = cfg.lang  # the page and the lines below in the build's language; an error's own text stays English
    write_text(out / "index.html", template.render(title=t(lang, "regions.title", n=len(regions)), outcomes=outcomes, lang=lang,
                                                   L={"code": t(lang, "regions.code"), "failed": t(lang, "regions.failed")}))
    failed = [o for o in outcomes if not o.ok]
    if not quiet:
        total = sum(o.kelurahan for o in outcomes)
        click.echo(t(lang, "regions.built", ok=len(outcomes) - len(failed), n=len(outcomes), kel=count(total, lang), folder=shown))
    for o in failed:
        click.echo(t(lang, "regions.failed_line", region=o.region, error=o.error.splitlines()[0]), err=True)
    return failed
