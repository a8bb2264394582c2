"""The ``serang-gis`` command group: version, --debug, and errors turned into clean messages."""

from __future__ import annotations

import click

from serang_gis.core.version import __version__
from serang_gis.core.errors import SerangGISError


class Group(click.Group):
    """A group that shows SerangGISError (and unexpected errors) as one message, exit 1.

    Bad values and combinations are click's own BadParameter / UsageError (exit 2). The full
    traceback is shown with ``--debug``.
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except SerangGISError as exc:
            if ctx.find_root().meta.get("debug"):
                raise
            raise click.ClickException(str(exc)) from None
        except Exception as exc:  # a bug or a library failure: say so, plainly
            if ctx.find_root().meta.get("debug"):
                raise
            raise click.ClickException(f"unexpected error: {type(exc).__name__}: {exc}\n"
                                       "  rerun with --debug for the traceback and report it") from None


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="serang-gis")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.pass_context
def cli(ctx, debug):
    """Stunting data to maps and QGIS layers for Kota Serang and any kab/kota.

    \b
    Examples:
      $ serang-gis build                       # the default Kota Serang atlas into outputs/
      $ serang-gis boundaries fetch --region 36.73
      $ serang-gis boundaries info batas_desa.zip
    """
    ctx.meta["debug"] = debug


def _register():
    from serang_gis.cli import boundaries, build, export, join, konvergensi, rank, raster, template
    from serang_gis.cli import map as map_module

    cli.add_command(build.build)
    cli.add_command(join.join)
    cli.add_command(map_module.map_cmd)
    cli.add_command(rank.rank_cmd)
    cli.add_command(konvergensi.konvergensi_cmd)
    cli.add_command(export.export_cmd)
    cli.add_command(raster.raster_cmd)
    cli.add_command(raster.zonal_cmd)
    cli.add_command(template.template)
    cli.add_command(boundaries.boundaries)


_register()


def main():  # pragma: no cover - console entry point alias
    cli()
