"""The ``serang-gis`` command group: version, --debug, and errors turned into clean messages.

The command modules are light (libraries load inside each command), so ``--help`` and
``--version`` answer at once.
"""

from __future__ import annotations

import errno
import os
import sys

import click

from serang_gis.core.version import __version__
from serang_gis.core.errors import SerangGISError

SIGPIPE_EXIT = 141  # 128 + SIGPIPE: what a shell reports for a Unix tool whose reader went away
SIGINT_EXIT, SIGTERM_EXIT = 130, 143  # 128 + the signal, as a shell reports them


def _interrupted(exc: BaseException):
    """Ctrl-C or SIGTERM: one line, exit 130 / 143. Staged and temporary files were removed on the way out."""
    from serang_gis.core.errors import Terminated

    term = isinstance(exc, Terminated)
    click.echo(f"serang-gis: {'stopped (SIGTERM)' if term else 'interrupted (Ctrl-C)'}; files being written were removed, "
               "earlier outputs are as they were", err=True)
    raise click.exceptions.Exit(SIGTERM_EXIT if term else SIGINT_EXIT)


def _on_sigterm(signum, frame):
    from serang_gis.core.errors import Terminated

    raise Terminated()


def _closed_pipe():
    """The reader of stdout went away (``serang-gis rank ... | head -1``): end quietly, exit 141.

    What is still buffered goes to /dev/null, so the flush at exit raises nothing either.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):  # a stdout without a file descriptor (a test runner's)
        pass
    raise click.exceptions.Exit(SIGPIPE_EXIT)


class Group(click.Group):
    """A group that shows SerangGISError (and unexpected errors) as one message, exit 1.

    Bad values and combinations are click's own BadParameter / UsageError (exit 2). The full
    traceback is shown with ``--debug``. A closed stdout ends the command quietly with exit 141.
    """

    def make_context(self, info_name, args, parent=None, **extra):
        try:  # --help and --version print here
            return super().make_context(info_name, args, parent=parent, **extra)
        except BrokenPipeError:
            _closed_pipe()

    def invoke(self, ctx):
        try:
            rv = super().invoke(ctx)
            sys.stdout.flush()  # output still buffered meets a closed pipe here, not in the flush at exit
            return rv
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt as exc:
            if ctx.find_root().meta.get("debug"):
                raise
            _interrupted(exc)
        except BrokenPipeError:
            _closed_pipe()
        except SerangGISError as exc:
            if ctx.find_root().meta.get("debug"):
                raise
            raise click.ClickException(str(exc)) from None
        except Exception as exc:  # a bug or a library failure: say so, plainly
            if ctx.find_root().meta.get("debug"):
                raise
            from serang_gis.output.failures import write_failure

            if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:  # any command, before or while writing
                name = str(getattr(exc, "filename", "") or "")
                raise click.ClickException(f"{name[:80]}{'...' if len(name) > 80 else ''}: a name in this path, or the "
                                           "whole path, is too long for the file system\n  hint: choose a shorter -o") from None
            if isinstance(exc, OSError):  # full disk, file too large, read-only ... met outside the writers: by errno
                folder = os.path.dirname(exc.filename) or "." if getattr(exc, "filename", None) else os.getcwd()
                err = write_failure(exc, folder)
                if err is not None:
                    raise click.ClickException(str(err)) from None
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
    from serang_gis.cli import boundaries, build, export, join, konvergensi, qgis_plugin, rank, raster, rembuk, template
    from serang_gis.cli import map as map_module

    cli.add_command(build.build)
    cli.add_command(join.join)
    cli.add_command(map_module.map_cmd)
    cli.add_command(rank.rank_cmd)
    cli.add_command(konvergensi.konvergensi_cmd)
    cli.add_command(rembuk.rembuk_cmd)
    cli.add_command(export.export_cmd)
    cli.add_command(raster.raster_cmd)
    cli.add_command(raster.zonal_cmd)
    cli.add_command(template.template)
    cli.add_command(boundaries.boundaries)
    cli.add_command(qgis_plugin.qgis_plugin_cmd)


_register()


def main(prog_name: str = "serang-gis"):
    """Console entry point: SIGTERM raised like Ctrl-C (every clean-up runs), neither ever a traceback."""
    import signal

    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(signal, "SIGXFSZ"):  # a file past `ulimit -f`: the write fails with EFBIG (reported), no silent kill
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        rv = cli.main(prog_name=prog_name, standalone_mode=False)
        sys.exit(rv if isinstance(rv, int) else 0)  # click hands back the exit code of Exit here
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt) as exc:
        try:
            _interrupted(exc.__cause__ if isinstance(exc, click.exceptions.Abort) else exc)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
