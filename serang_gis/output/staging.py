"""One output transaction for every command that writes a folder: stage, then swap; never touch what it
did not write.

``staged_folder(out)`` yields a fresh hidden folder inside ``out`` (``.serang-gis-stage-<pid>-<random>``;
a symlinked ``out`` is resolved, the link kept). The command writes its products there. On success each
product is renamed into ``out`` one by one (signals held for those few renames), products of the same
command's previous run that it no longer makes are removed, and the manifest ``.serang-gis-manifest.json``
records every file written with its sha256. Nothing else in ``out`` is moved, renamed or deleted: a
user's own files stay where they are. A file in the way of a product that the tool did not write (or
wrote and the user has edited since) is an error before anything is replaced, unless ``overwrite``.

On an error, Ctrl-C or SIGTERM the staged folder is deleted and ``out`` is as it was. Leftovers of a
process that no longer runs (SIGKILL, power cut) are the tool's own names only: a staged folder is
deleted, or, when it was already being swapped in, the swap is finished. Folders of older versions
(``.<name>.building-<pid>``: deleted; ``.<name>.old-<pid>``: its entries moved back, never deleted).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from serang_gis.core.errors import DiskFullError, OutputExistsError
from serang_gis.core.signals import held_signals

MANIFEST = ".serang-gis-manifest.json"
STAGE = ".serang-gis-stage-"
SWAPPING = ".serang-gis-swapping"
PREFIX = ".{name}.building-"  # staged sibling folders of older versions
OLD = ".{name}.old-"  # the previous folder, set aside by older versions


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**31
    return True


def _dead(name: str, head: str) -> bool:
    pid = name[len(head):].split("-", 1)[0]
    return pid.isdigit() and not _alive(int(pid))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


MAX_MANIFEST = 8 << 20  # bytes: a manifest of this tool is a few kB even for a province's atlas
MAX_ENTRIES = 100_000
_DIGEST = re.compile(r"[0-9a-f]{64}")
# the suffixes of every product a command of this tool writes (maps, layers, tables, styles, the lib/ runtime)
PRODUCT_SUFFIXES = frozenset((".html", ".htm", ".png", ".pdf", ".svg", ".gpkg", ".geojson", ".json", ".csv", ".csvt", ".qml",
                              ".xlsx", ".docx", ".tif", ".tiff", ".js", ".css", ".txt", ".md", ".qgz", ".qgs", ".sld", ".xml",
                              ".shp", ".shx", ".dbf", ".prj", ".cpg"))


def inside(folder: Path, rel) -> bool:
    """``rel`` is a plain relative name of a file inside ``folder``: no absolute path, no '..', no hidden or empty part,
    and no symlinked folder on the way that leads out of ``folder`` (checked on the resolved paths)."""
    if not isinstance(rel, str) or not rel or len(rel) > 1024 or any(c in rel for c in "\\:\x00"):
        return False
    parts = rel.split("/")
    if rel.startswith("/") or any(not part or part in (".", "..") or part.startswith(".") for part in parts):
        return False
    root = os.path.realpath(folder)
    real = os.path.realpath(os.path.join(root, *parts))
    return real != root and os.path.commonpath([root, real]) == root


def product_name(rel: str) -> bool:
    """A name some command of this tool could have written (its suffix is a product's; at most 4 folders deep)."""
    return rel.count("/") <= 4 and os.path.splitext(rel)[1].lower() in PRODUCT_SUFFIXES


def read_manifest(folder: Path, ignored: list | None = None) -> dict[str, dict[str, str]]:
    """{command: {relative path: sha256}} of the files the tool wrote into ``folder``.

    The manifest is untrusted input (anyone may edit it or copy it in): only entries naming a file inside ``folder``
    (``inside``) with a sha256 are kept; the others are appended to ``ignored``. A manifest that is not JSON, has the
    wrong shape or is larger than ``MAX_MANIFEST`` counts as none at all.
    """
    ignored = [] if ignored is None else ignored
    path = Path(folder) / MANIFEST
    try:
        if path.is_symlink() or not path.is_file():
            return {}
        if path.stat().st_size > MAX_MANIFEST:
            ignored.append(f"{MANIFEST} (larger than {MAX_MANIFEST >> 20} MB)")
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        ignored.append(f"{MANIFEST} (not readable JSON)")
        return {}
    sets = data.get("sets") if isinstance(data, dict) else None
    if not isinstance(sets, dict) or data.get("tool") != "serang-gis":
        ignored.append(f"{MANIFEST} (not a manifest of serang-gis)")
        return {}
    out, count = {}, 0
    for owner, entries in sets.items():
        if not isinstance(entries, dict):
            ignored.append(f"{owner!r} (not a list of files)")
            continue
        for rel, digest in entries.items():
            count += 1
            if count > MAX_ENTRIES:
                ignored.append(f"{MANIFEST} (more than {MAX_ENTRIES:,} entries)")
                return {}
            if isinstance(digest, str) and _DIGEST.fullmatch(digest) and inside(folder, rel):
                out.setdefault(owner, {})[rel] = digest
            else:
                ignored.append(str(rel)[:200])
    return out


def _warn_ignored(folder: Path, ignored: list[str]) -> None:
    if ignored:
        import click

        click.echo(f"warning: {folder}/{MANIFEST} was not written by serang-gis or was edited: {len(ignored)} entr"
                   f"{'y' if len(ignored) == 1 else 'ies'} ignored ({_some(ignored)}); only files the tool wrote into "
                   "this folder, unchanged, are ever replaced or removed", err=True)


def _manifest_text(sets: dict) -> str:
    return json.dumps({"tool": "serang-gis", "version": 1, "sets": sets}, indent=1, sort_keys=True)


def owned(folder: Path, rel: str, sets: dict | None = None) -> bool:
    """The file ``rel`` in ``folder`` is one the tool wrote, unchanged since."""
    sets = read_manifest(folder) if sets is None else sets
    path = Path(folder) / rel
    if not inside(folder, rel) or path.is_symlink() or not path.is_file():
        return False
    digests = {s[rel] for s in sets.values() if rel in s}
    return bool(digests) and sha256(path) in digests


def recover(out: Path) -> None:
    """Clean or finish what dead processes of this tool left, by its own names only."""
    parent = out.parent
    if parent.is_dir():
        for p in parent.glob(PREFIX.format(name=out.name) + "*"):
            if p.is_dir() and not p.is_symlink() and _dead(p.name, PREFIX.format(name=out.name)):
                shutil.rmtree(p, ignore_errors=True)
        for p in parent.glob(OLD.format(name=out.name) + "*"):
            if p.is_dir() and not p.is_symlink() and _dead(p.name, OLD.format(name=out.name)):
                _restore_old(p, out)
    if out.is_dir():
        for p in out.glob(STAGE + "*"):
            if p.is_dir() and not p.is_symlink() and _dead(p.name, STAGE):
                if (p / SWAPPING).is_file():
                    _finish_swap(p, out)
                shutil.rmtree(p, ignore_errors=True)


def _restore_old(old: Path, out: Path) -> None:
    """An older version set ``out`` aside here and died: what is not in ``out`` again goes back; nothing deleted."""
    out.mkdir(parents=True, exist_ok=True)
    for p in old.iterdir():
        if not os.path.lexists(out / p.name):
            with contextlib.suppress(OSError):
                os.replace(p, out / p.name)
    with contextlib.suppress(OSError):
        old.rmdir()  # only when empty: a name both here and in out stays for the user to look at


def _files(stage: Path) -> list[str]:
    rels = []
    for root, dirs, files in os.walk(stage):
        for f in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            rel = os.path.relpath(os.path.join(root, f), stage).replace(os.sep, "/")
            if rel not in (MANIFEST, SWAPPING):
                rels.append(rel)
    return sorted(rels)


def _finish_swap(stage: Path, out: Path) -> None:
    """A dead process's swap that was under way: move what is left into ``out`` (its plan, in SWAPPING, is checked
    like a manifest: only files inside ``out`` that it wrote, unchanged, are removed)."""
    try:
        plan = json.loads((stage / SWAPPING).read_text(encoding="utf-8"))
        remove, old = plan.get("remove", []), plan.get("old", {})
        owner, previous = next(iter(old.items()))
        previous = {r: d for r, d in previous.items() if isinstance(d, str) and inside(out, r)}
        remove = [r for r in remove if isinstance(r, str) and owned(out, r, {owner: previous})]
    except (OSError, ValueError, RecursionError, AttributeError, TypeError, StopIteration):
        remove = []
    _swap_in(stage, out, remove)


def _swap_in(stage: Path, out: Path, remove: list[str]) -> None:
    """The renames of a swap, then the removals (``remove``: checked by the caller) and the empty folders they leave."""
    for rel in _files(stage):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / rel, out / rel)
    for rel in remove:
        with contextlib.suppress(FileNotFoundError):
            (out / rel).unlink()
        _prune(out, rel)
    if (stage / MANIFEST).is_file():
        os.replace(stage / MANIFEST, out / MANIFEST)


def _conflicts(stage: Path, out: Path, rels: list[str], sets: dict, *, overwrite: bool, replace_own: bool) -> None:
    blocked, foreign = [], []
    for rel in rels:
        target = out / rel
        parents = [out / Path(*Path(rel).parts[:i]) for i in range(1, len(Path(rel).parts))]
        if any(os.path.lexists(d) and (d.is_symlink() or not d.is_dir()) for d in parents):
            blocked.append(rel)
        elif target.is_dir() and not target.is_symlink():
            blocked.append(rel)
        elif os.path.lexists(target) and not (overwrite or (replace_own and owned(out, rel, sets)) or _same(target, stage / rel)):
            foreign.append(rel)
    if blocked:
        raise OutputExistsError(f"{out}: a folder, file or link of yours is in the way of {_some(blocked)}",
                                hint="move it away or choose another -o; serang-gis never deletes what it did not write")
    if foreign:
        _refuse_foreign(out, foreign, sets)


def _refuse_foreign(out: Path, foreign: list[str], sets: dict) -> None:
    mine = sum(1 for r in foreign if any(r in s for s in sets.values()))
    why = "not written by serang-gis" if not mine else "not written by serang-gis, or edited since"
    raise OutputExistsError(f"{out}: {len(foreign)} file(s) would be replaced that are {why}: {_some(foreign)}",
                            hint="pass --overwrite to replace them, or choose another -o (other files in the folder are never touched)")


def check_in_the_way(out: str | Path, rels, *, overwrite: bool = False) -> None:
    """Before any work: a file of the user's (not written by this tool, or edited since) at a name the command will
    surely write is the error ``commit`` would give after minutes of work (walk adv12 L3: 73 s for a rembuk pack).
    ``commit`` still checks every product at the end."""
    real = Path(os.path.realpath(out))
    if overwrite or not real.is_dir():
        return
    sets = read_manifest(real)
    foreign = [r for r in rels if os.path.lexists(real / r) and not owned(real, r, sets)]
    if foreign:
        _refuse_foreign(real, foreign, sets)


def _same(a: Path, b: Path) -> bool:
    """Replacing ``a`` by ``b`` changes nothing (the same bytes; e.g. lib/ of another command)."""
    return a.is_file() and not a.is_symlink() and a.stat().st_size == b.stat().st_size and sha256(a) == sha256(b)


def _some(rels: list[str]) -> str:
    return ", ".join(rels[:3]) + (f" and {len(rels) - 3} more" if len(rels) > 3 else "")


def commit(stage: Path, out: Path, *, owner: str, overwrite: bool = False, replace_own: bool = True,
           names=product_name) -> list[str]:
    """Swap the staged products into ``out``; returns their relative paths. Of the previous run's products listed in the
    manifest, only those ``names`` accepts (a name the command could have written) may be removed."""
    rels = _files(stage)
    unknown = [r for r in rels if not product_name(r) and not (stage / r).is_symlink()]
    if unknown:  # PRODUCT_SUFFIXES is kept by hand: a product it misses could never be replaced by a later run
        raise RuntimeError(f"internal: {_some(unknown)} written with a name the output guard does not know "
                           "(add its suffix to serang_gis.output.staging.PRODUCT_SUFFIXES)")
    with _locked(out):
        ignored = []
        sets = read_manifest(out, ignored)
        previous = {}
        for rel, digest in sets.get(owner, {}).items():
            if names(rel):
                previous[rel] = digest
            else:
                ignored.append(rel)
        _warn_ignored(out, ignored)
        _conflicts(stage, out, rels, sets, overwrite=overwrite, replace_own=replace_own)
        remove = [r for r in previous if r not in rels and owned(out, r, {owner: previous})]  # hashed before the swap
        new_sets = {k: {r: d for r, d in v.items() if r not in rels and os.path.lexists(out / r)}
                    for k, v in sets.items() if k != owner}
        new_sets[owner] = {r: sha256(stage / r) for r in rels if not (stage / r).is_symlink()}
        new_sets = {k: v for k, v in new_sets.items() if v}
        (stage / MANIFEST).write_text(_manifest_text(new_sets), encoding="utf-8")
        (stage / SWAPPING).write_text(json.dumps({"remove": remove, "old": {owner: previous}}), encoding="utf-8")
        with held_signals():  # renames and unlinks only: no hashing, no writing
            _swap_in(stage, out, remove)
    return rels


def _prune(out: Path, rel: str) -> None:
    """Remove folders a removed product ``rel`` leaves empty (never ``out`` itself, never one with anything in it)."""
    parts = rel.split("/")[:-1]
    for depth in range(len(parts), 0, -1):  # at most as many steps as ``rel`` has folders: it always ends
        with contextlib.suppress(OSError):
            (out / "/".join(parts[:depth])).rmdir()


@contextlib.contextmanager
def _locked(out: Path):
    """One swap at a time per folder (two commands writing into one folder each stage their own)."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock, the renames are still each atomic
        yield
        return
    fd = os.open(out, os.O_RDONLY)  # the folder itself: no lock file left among the user's
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def disk_full(folder: Path, exc: OSError) -> DiskFullError:
    """A clear message for ENOSPC / EDQUOT: the folder, the free space, the fix."""
    from serang_gis.output.failures import failure

    return failure(exc.errno, Path(folder))


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1))


def _all_files(folder: Path) -> list[str]:
    return [os.path.join(root, f) for root, _, files in os.walk(folder) for f in files]


@contextlib.contextmanager
def staged_folder(out: str | Path, *, owner: str = "build", overwrite: bool = False, replace_own: bool = True,
                  names=product_name):
    """Yield a staging folder; on success swap its products into ``out`` (see the module's docstring)."""
    real = Path(os.path.realpath(out))  # a symlinked folder: write into its target, keep the link
    if os.path.lexists(real) and not real.is_dir():
        raise OutputExistsError(f"{out} is a file, not a folder", hint="choose a folder for -o")
    created = not real.exists()
    real.mkdir(parents=True, exist_ok=True)
    recover(real)
    stage = None
    try:
        with held_signals():  # the stage is named before a signal can stop the build: a finally below removes it
            stage = Path(tempfile.mkdtemp(prefix=f"{STAGE}{os.getpid()}-", dir=real))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(stage, 0o777 & ~umask)  # mkdtemp makes it private; products are ordinary files
        yield stage
        commit(stage, real, owner=owner, overwrite=overwrite, replace_own=replace_own, names=names)
    except Exception as exc:  # a full disk, a file too large ... (also from GDAL) named as the output folder
        from serang_gis.output.failures import write_failure

        err = write_failure(exc, Path(out), written=_all_files(stage) if stage is not None else [])
        if err is None:
            raise
        raise err from None
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                real.rmdir()  # a failed first run leaves no empty folder
