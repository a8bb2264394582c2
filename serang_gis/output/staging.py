"""Build a folder of products beside its target, then swap it in: an interrupted build never leaves a
half-updated atlas.

``staged_folder(out)`` yields a fresh sibling folder (``.<name>.building-<pid>-<random>``). On success
the previous ``out`` (if any) is renamed aside, the staged folder renamed to ``out``, files of the old
folder that the build did not make (the user's own files) are moved back, and the old folder deleted.
On an error or Ctrl-C the staged folder is deleted and ``out`` is untouched. Staged folders of
processes that no longer run (a SIGKILL) are removed by the next build into the same place. Two builds
into one folder each stage their own folder: they never share a temporary name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

PREFIX = ".{name}.building-"
OLD = ".{name}.old-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_orphans(out: Path) -> list[Path]:
    """Delete staged/old sibling folders left by builds that were killed (their process is gone)."""
    removed = []
    parent = out.parent
    if not parent.is_dir():
        return removed
    for pattern in (PREFIX, OLD):
        head = pattern.format(name=out.name)
        for p in parent.glob(head + "*"):
            pid = p.name[len(head):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)) and p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
    return removed


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


@contextlib.contextmanager
def staged_folder(out: str | Path):
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_orphans(out)
    stage = Path(tempfile.mkdtemp(prefix=PREFIX.format(name=out.name) + f"{os.getpid()}-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(stage, 0o777 & ~umask)  # mkdtemp makes it private; the atlas folder is an ordinary one
    try:
        yield stage
        swap_in(stage, out)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def swap_in(stage: Path, out: Path) -> None:
    """Put the staged folder in place of ``out``, keeping the files in ``out`` that the build did not make."""
    if not out.exists():
        os.replace(stage, out)
        return
    if not out.is_dir():
        raise FileExistsError(f"{out} is a file, not a folder")
    made = {p.name for p in stage.iterdir()}
    if _inside(Path.cwd(), out):
        # the user works inside the folder: replace entry by entry (each one atomic), never the folder itself
        for name in sorted(made):
            target, new = out / name, stage / name
            if target.is_dir() and not target.is_symlink():
                old = Path(tempfile.mkdtemp(prefix=OLD.format(name=name) + f"{os.getpid()}-", dir=out))
                os.replace(target, old / name)
                os.replace(new, target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(new, target)
        return
    old = Path(tempfile.mkdtemp(prefix=OLD.format(name=out.name) + f"{os.getpid()}-", dir=out.parent))
    old.rmdir()
    os.replace(out, old)
    try:
        os.replace(stage, out)
    except BaseException:
        os.replace(old, out)  # put the previous atlas back
        raise
    for p in old.iterdir():  # the user's own files in the folder stay
        if p.name not in made:
            with contextlib.suppress(OSError):
                os.replace(p, out / p.name)
    shutil.rmtree(old, ignore_errors=True)
