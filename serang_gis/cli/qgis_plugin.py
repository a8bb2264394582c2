"""``serang-gis qgis-plugin``: the QGIS plugin zip (Processing provider), for Plugins > Install from ZIP."""

from __future__ import annotations

import click

from serang_gis.cli.options import overwrite_opt
from serang_gis.output.policy import check_outputs, check_suffix

PLUGIN_DIR = "serang_gis_qgis"  # the folder name QGIS installs the plugin under


@click.command("qgis-plugin")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Plugin zip to write (.zip).")
@overwrite_opt
def qgis_plugin_cmd(output, overwrite):
    """Write the QGIS plugin zip: join, rank, export and konvergensi in the Processing toolbox.

    Install it in QGIS with Plugins > Manage and Install Plugins > Install from ZIP. The
    algorithms run this serang-gis: set its Python under Settings > Options > Processing >
    Providers > serang-gis (or SERANG_GIS_PYTHON), else `serang-gis` is looked up on PATH.

    \b
    Examples:
      $ serang-gis qgis-plugin -o serang_gis_qgis.zip
    """
    import os
    import sys
    import tempfile
    import zipfile
    from pathlib import Path

    from serang_gis.core.signals import held_signals
    from serang_gis.core.version import __version__

    check_suffix(output, (".zip",), "the plugin zip")
    check_outputs([output], overwrite=overwrite)
    src = Path(__file__).resolve().parents[1] / "qgis_plugin"
    files = sorted(p for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    out = Path(output)
    tmp = None
    try:
        with held_signals():  # named before a signal can stop the command: the except below removes it
            fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent if str(out.parent) else ".")
            os.close(fd)
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in files:
                data = p.read_bytes()
                if p.name == "metadata.txt":  # the plugin carries the package's version
                    data = b"\n".join(b"version=" + __version__.encode() if line.startswith(b"version=") else line
                                      for line in data.split(b"\n"))
                info = zipfile.ZipInfo(f"{PLUGIN_DIR}/{p.relative_to(src).as_posix()}", date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                zf.writestr(info, data, zipfile.ZIP_DEFLATED)
        os.replace(tmp, out)
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    click.echo(f"wrote {output}: QGIS plugin {PLUGIN_DIR} {__version__} ({len(files)} files); "
               f"install it with Plugins > Install from ZIP (algorithms run {sys.executable} -m serang_gis "
               "when SERANG_GIS_PYTHON names it)")
