"""One output policy for every command, checked before any work is done.

- an existing output is replaced only with ``--overwrite`` (``OutputExistsError``, exit 1, whatever the command);
- an output that is also an input is refused, even with ``--overwrite``;
- the suffix says the format: an unknown suffix is an error, never a silent CSV;
- the folder must be writable; a file name (``--name``, ``name_template``) holds no path separator.
"""

from __future__ import annotations

import os
from pathlib import Path

from serang_gis.core.errors import InputError, OutputExistsError

LAYER_SUFFIXES = (".gpkg", ".geojson", ".json", ".csv")


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_suffix(path, suffixes, what: str, option: str = "-o/--output") -> None:
    """An output's suffix must name one of ``suffixes``."""
    import click

    if Path(path).suffix.lower() not in suffixes:
        raise click.BadParameter(f"{path}: {what} must end in {', '.join(suffixes)} (the suffix chooses the format)",
                                 param_hint=option)


def check_name(name: str, option: str = "--name") -> None:
    """A base file name: no folder part, no '..'."""
    import click

    if not name or any(sep in name for sep in ("/", "\\", os.sep)) or name in (".", "..") or "\x00" in name:
        raise click.BadParameter(f"{name!r} is not a plain file name: it may not hold a path separator or be '..'",
                                 param_hint=option)


def check_outputs(outputs, *, inputs=(), overwrite: bool = False) -> None:
    """Refuse before any work: existing outputs (without overwrite), outputs that are inputs, unwritable folders."""
    outs = [Path(p) for p in outputs if p]
    ins = [Path(p) for p in inputs if p]
    seen = {}
    for out in outs:
        key = os.path.abspath(out)
        if key in seen:
            raise InputError(f"{out}: named twice as an output", hint="give each output its own file name")
        seen[key] = out
        for src in ins:
            if os.path.abspath(src) == key or same_file(out, src):
                raise InputError(f"{out}: is also an input of this command; it would be overwritten by its own result",
                                 hint="write the result to another file (-o)")
        if out.is_dir():
            raise InputError(f"{out}: is a folder", hint="give a file name, e.g. -o result.gpkg")
        if out.exists() and not overwrite:
            raise OutputExistsError(f"{out} exists", hint="pass --overwrite to replace it, or choose another -o")
        check_folder(out.parent if str(out.parent) else Path("."))


def check_folder(folder: Path) -> None:
    """The folder (or its nearest existing parent) must be writable."""
    folder = Path(folder)
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise InputError(f"{folder}: {probe} is a file, not a folder", hint="choose another output folder")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(f"{folder}: the folder {probe} is not writable", hint="choose a folder you may write to, or change its permissions")
