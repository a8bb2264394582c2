"""One root error and a few subclasses.

The library raises these; it never prints. The CLI turns them into a one-line message and exit
code 1 (a traceback only with ``--debug``). Every message says what was expected, what was found
and how to fix it, and names the file, row and column where there is one.
"""

from __future__ import annotations


class SerangGISError(Exception):
    """Root of every error this package raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None):
        self.message = message
        self.hint = hint
        super().__init__(message if not hint else f"{message}\n  hint: {hint}")

    def __reduce__(self):  # through a process boundary (batch) with its message and hint apart, as raised
        state = dict(self.__dict__, **({"errno": self.errno} if isinstance(self, OSError) else {}))  # OSError's is a slot
        return _remade, (type(self), self.args, state)


class InputError(SerangGISError, ValueError):
    """A user's file or value is not what it should be (bad code, no CRS, no polygons ...)."""


class SchemaError(InputError):
    """The columns of an input could not be recognised."""


class MatchError(InputError):
    """A name or code could not be matched to exactly one kelurahan."""


class DownloadError(SerangGISError, OSError):
    """A boundary file could not be fetched, or its hash does not match the registry."""


class OutputExistsError(SerangGISError, FileExistsError):
    """An output file exists and overwriting was not asked for."""


class WriteFailedError(SerangGISError, OSError):
    """An output could not be written: the disk is full or read-only, the file too large, no permission (``errno``)."""

    def __init__(self, message: str, *, hint: str | None = None, code: int | None = None):
        super().__init__(message, hint=hint)
        self.errno = code


class DiskFullError(WriteFailedError):
    """The disk (or quota) of an output folder is full."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so every clean-up (``finally``) runs; the CLI exits 143."""


def _remade(cls, args, state):
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    for key, value in state.items():
        setattr(err, key, value)
    return err


def where(path=None, row=None, column=None) -> str:
    """Format a location prefix ``file:row:column`` for messages (parts that are None are left out)."""
    parts = [str(p) for p in (path, row, column) if p is not None]
    return ":".join(parts)
