"""One output policy for every command, checked before any work is done.

- an existing output is replaced only with ``--overwrite`` (``OutputExistsError``, exit 1, whatever the command);
- an output that is also an input is refused, even with ``--overwrite``;
- the suffix says the format: an unknown suffix is an error, never a silent CSV;
- the folder must be writable; a file name (``--name``, ``name_template``) holds no path separator.
"""

from __future__ import annotations

import contextlib
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


MAX_NAME = 120  # bytes of a name stem; suffixes (_2024-08_thumb.png) still fit the 255 of every file system
RESERVED = {"index", "funnel_prevalensi"}  # names the atlas gives its own products (index.html, funnel_prevalensi.png)
WINDOWS = '<>:"|?*'


def name_problem(name: str, reserved=()) -> str | None:
    """Why ``name`` (a file name without suffix) is not a plain file name, or None; ``reserved``: names taken."""
    if not name or name.strip(" .") == "":
        return "it is empty"
    if any(sep in name for sep in ("/", "\\", os.sep)) or ".." in name:
        return "it holds a path separator or '..'"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "it holds a control character"
    if ":" in name:
        return "it holds ':' (a link scheme such as javascript: or a drive)"
    if any(c in WINDOWS for c in name):
        return f"it holds one of {WINDOWS} (not allowed on Windows)"
    if name.startswith((".", "-", " ")) or name.endswith((" ", ".")):
        return "it starts with '.', '-' or a space, or ends in a space or '.'"
    if len(name.encode("utf-8")) > MAX_NAME:
        return f"it is {len(name)} characters long; keep names within {MAX_NAME}"
    if name.lower() in reserved:
        return f"{name}.html or another product of the atlas has that name"
    return None


def check_name(name: str, option: str = "--name") -> None:
    """A base file name: no folder part, no '..', no scheme, no leading dot, not too long."""
    import click

    why = name_problem(name)
    if why:
        raise click.BadParameter(f"{name!r} is not a plain file name: {why}", param_hint=option)


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
        check_length(out)
        if out.is_dir():
            raise InputError(f"{out}: is a folder", hint="give a file name, e.g. -o result.gpkg")
        if out.exists() and not overwrite:
            raise OutputExistsError(f"{out} exists", hint="pass --overwrite to replace it, or choose another -o")
        check_folder(out.parent if str(out.parent) else Path("."))


NAME_MAX, PATH_MAX = 255, 4096  # bytes: Linux's limits of one name and of a whole path


def check_length(path: Path) -> None:
    """A name or path the file system cannot hold, said as such (walk adv13: "unexpected error: OSError: [Errno 36]")."""
    text = os.fsencode(os.path.abspath(path))
    long = next((part for part in Path(path).parts if len(os.fsencode(part)) > NAME_MAX), None)
    if long is not None or len(text) > PATH_MAX:
        what = (f"a name in it is too long: {len(os.fsencode(long)):,} bytes (at most {NAME_MAX})" if long is not None
                else f"the whole path is too long: {len(text):,} bytes (at most {PATH_MAX:,})")
        raise InputError(f"{str(path)[:80]}...: {what}", hint="choose a shorter -o")


def check_folder(folder: Path) -> None:
    """The folder (or its nearest existing parent) must be writable."""
    folder = Path(folder)
    check_length(folder)
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise InputError(f"{folder}: {probe} is a file, not a folder", hint="choose another output folder")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(f"{folder}: the folder {probe} is not writable", hint="choose a folder you may write to, or change its permissions")
    if probe.is_dir() and not _can_create_in(probe):  # root passes os.access everywhere; /proc takes no new files
        where = "there" if probe == folder else f"in {probe}"
        raise InputError(f"{folder}: no file or folder can be made {where} (a system folder such as /proc or /sys?)",
                         hint="choose an ordinary folder you may write to for -o")


def _can_create_in(folder: Path) -> bool:
    """A folder can really be made in ``folder`` (made and removed at once, under its own hidden name)."""
    import tempfile

    from serang_gis.core.signals import held_signals

    made = None
    try:
        with held_signals():
            made = tempfile.mkdtemp(prefix=".serang-gis-probe-", dir=folder)
    except OSError:
        return False
    finally:
        if made is not None:
            with contextlib.suppress(OSError):
                os.rmdir(made)
    return True
