"""A write that failed, said plainly: which folder or file, why (disk full, file too large, read-only disk, no
permission) and what to do, for every writer (GDAL/pyogrio, sqlite, openpyxl, plain files).

GDAL often hides the cause ("Failed to commit transaction", "database or disk is full", "no such table:
gpkg_contents" when the disk filled while the file was created): ``write_failure`` then looks at the place
itself: the free space left on its disk and the process's file size limit (``ulimit -f``) against the size
the file reached. A failure with no such cause is not relabelled (it stays an unexpected error to report).
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
from pathlib import Path

from serang_gis.core.errors import DiskFullError, WriteFailedError

LOW_SPACE = 1 << 20  # bytes: a GDAL failure with less than this free on the disk is the disk being full
PAGE = 1 << 16  # the largest SQLite page: a file this close to the size limit hit it
FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", -1))
CAUSES = {errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}
MESSAGES = (("disk is full", errno.ENOSPC), ("no space left", errno.ENOSPC), ("quota", getattr(errno, "EDQUOT", errno.ENOSPC)),
            ("file too large", errno.EFBIG), ("read-only file system", errno.EROFS), ("readonly database", errno.EROFS),
            ("permission denied", errno.EACCES))


def _existing(path: Path) -> Path:
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe


def _free(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(_existing(folder)).free
    except OSError:
        return None


def size_limit() -> int | None:
    """The process's file size limit in bytes (``ulimit -f``), None when unlimited."""
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY else soft


def _biggest(files) -> int:
    sizes = [0]
    for f in files:
        try:
            sizes.append(os.stat(f).st_size)
        except OSError:
            pass
    return max(sizes)


def _from_library(exc: BaseException) -> bool:
    """Raised by a writing library (GDAL through pyogrio/fiona/rasterio, sqlite3, zipfile of openpyxl and xlsxwriter)."""
    return type(exc).__module__.split(".")[0] in ("pyogrio", "fiona", "rasterio", "sqlite3", "zipfile", "openpyxl", "xlsxwriter")


def cause(exc: BaseException, folder: Path, written=()) -> int | None:
    """The errno that explains ``exc`` (a failure writing ``written`` into ``folder``), or None."""
    if isinstance(exc, WriteFailedError):
        return exc.errno
    code = getattr(exc, "errno", None)
    if isinstance(exc, OSError) and code in CAUSES:
        return errno.EACCES if code == errno.EPERM else code
    if not _from_library(exc):  # any other error says what it is (a plain OSError by its errno, above)
        return None
    text = str(exc).lower()
    for phrase, code in MESSAGES:
        if phrase in text:
            return code
    limit = size_limit()
    if limit is not None and _biggest(written) >= limit - PAGE:
        return errno.EFBIG
    free = _free(folder)
    if free is not None and free < LOW_SPACE:
        return errno.ENOSPC
    return None


def failure(code: int, folder: Path, file: Path | None = None) -> WriteFailedError:
    """The one-line error of a write that failed for ``code`` in ``folder`` (``file``: the product)."""
    place = f"{folder}"
    if code in FULL:
        free = _free(folder)
        shown = f"{free / 1e6:,.1f} MB free" if free is not None else "free space unknown"
        what = "the disk is full" if code == errno.ENOSPC else "the disk quota is used up"
        return DiskFullError(f"{place}: {what} ({shown}); nothing was changed there",
                             hint="free some space (or choose -o on another disk) and run the command again", code=code)
    name = place if not file else str(file) if Path(file).parent == Path(folder) else f"{Path(file).name} in {place}"
    if code == errno.EFBIG:
        limit = size_limit()
        why = (f"larger than this session's file size limit ({limit:,} bytes, `ulimit -f`)" if limit is not None
               else "larger than this disk allows (FAT32: 4 GB per file)")
        return WriteFailedError(f"{name}: the file would be {why}; nothing was changed there",
                                hint="raise the limit (`ulimit -f unlimited`) or choose -o on another disk", code=code)
    if code == errno.EROFS:
        return WriteFailedError(f"{place}: the disk is read-only; nothing was changed there",
                                hint="choose -o on a disk you can write to (or remount it read-write)", code=code)
    return WriteFailedError(f"{place}: permission denied; nothing was changed there",
                            hint="choose a folder you may write to (and files you may read), or change the permissions",
                            code=code)


def write_failure(exc: BaseException, folder: Path, file: Path | None = None, written=()) -> WriteFailedError | None:
    """``exc`` as a clear ``WriteFailedError`` naming ``folder`` (and ``file``), or None when no cause is known."""
    code = cause(exc, Path(folder), written)
    if code is None:
        return None
    err = failure(code, Path(folder), file or getattr(exc, "file", None))
    err.file = file or getattr(exc, "file", None)
    return err
