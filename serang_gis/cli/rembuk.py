"""``serang-gis rembuk``: the rembuk stunting pack (Aksi 3) from the inputs of a config atlas."""

from __future__ import annotations

from pathlib import Path

import click

from serang_gis.cli.options import boundary_options, echo_rows, lang_opt, offline_opt, overwrite_opt, strict_opt


@click.command(name="rembuk")
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False),
              help="Atlas config (TOML) with its [[data]] tables and, for the convergence and commitments, [[kegiatan]] "
                   "activity matrices and [rank] lokus. See docs/atlas-config.md.")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), required=True, help="Folder for the pack.")
@click.option("--region", default=None, help="Kab/kota code (36.73); default: the config's.")
@boundary_options
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the ODF status shown (YYYY-MM-DD); default: today.")
@lang_opt
@offline_opt
@overwrite_opt
@strict_opt
def rembuk_cmd(config_path, output, region, boundaries, layer, columns, crs, names, dissolve_duplicates, as_of, lang, offline,
               overwrite, strict):
    """Build the rembuk stunting pack: the atlas and the meeting's documents in one folder.

    From the same inputs as `build --config` (the [[kegiatan]] activity matrices give the convergence view and
    the commitment table): the atlas (HTML maps and the QGIS project) in atlas/, and beside it
    rencana_dan_kesenjangan.xlsx (Data Sasaran per kelurahan in the Web Aksi Bangda layout, programme vs gap,
    the lokus x office matrix, pagu reaching lokus), berita_acara_komitmen.docx (the draft commitment, to be
    completed at the meeting) and index.html linking them. Every figure comes from the atlas plan. Data that
    are missing (no activity matrix, no families at risk, one period) are said in the pack, not guessed. All
    of it or nothing: the pack is staged and swapped in; a file of yours in the way is an error unless --overwrite.

    \b
    Examples:
      $ serang-gis rembuk --config atlas.toml -o rembuk/
      $ serang-gis rembuk --config atlas.toml -o rembuk_en/ --lang en --offline
    """
    from serang_gis.read.fetch import expand_regions
    from serang_gis.cli.build import _config
    from serang_gis.output.policy import check_folder
    from serang_gis.output.staging import check_in_the_way, staged_folder
    from serang_gis.render.leaflet.assets import node_modules
    from serang_gis.cli.build import drawing_processes

    cfg = _config(config_path, lang=lang, offline=offline, as_of=as_of, boundaries=boundaries, layer=layer, columns=columns,
                  crs=crs, names=names, dissolve_duplicates=dissolve_duplicates, strict=strict)
    todo = expand_regions((region,) if region else cfg.region)
    if len(todo) != 1:
        raise click.BadParameter(f"a pack is made for one kab/kota, not {len(todo)}", param_hint="--region")
    out = Path(output)
    check_folder(out)
    node_modules()  # the map runtime's files, checked before minutes of reading boundaries: a missing install fails at once
    with drawing_processes(2 if cfg.static else 0):  # the atlas's static maps drawn beside the rest
        from serang_gis.pipeline import build_rembuk, load_boundaries
        from serang_gis.render.rembuk.pack import ALWAYS

        check_in_the_way(out, ALWAYS, overwrite=overwrite)  # a file of the user's in the way: said now, not after the work
        bounds = load_boundaries(cfg, todo[0])
        with staged_folder(out, owner="rembuk", overwrite=overwrite) as stage:
            result, files = build_rembuk(cfg, todo[0], stage, bounds)
    _report(result, files, out, cfg.lang)


def _report(result, files, out: Path, lang: str) -> None:
    """The run's summary, notes and files, in the run's language (as ``build`` says them)."""
    from serang_gis.core.text import say, t
    from serang_gis.pipeline import summary_rows

    click.echo(f"serang-gis rembuk: {result.kelurahan['kabkota'].iloc[0]}")
    echo_rows(summary_rows(result, lang))
    for note in result.notes:  # as build says them (a change map skipped, weight moved ...): also in the report's annex
        click.echo(f"  {t(lang, 'join.note')}: {say(lang, note)}", err=True)
    click.echo(t(lang, "rembuk.wrote", n=len(result.files), folder=out))
    for f in files:
        click.echo(f"  {Path(f).name}")
