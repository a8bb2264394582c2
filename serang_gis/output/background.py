"""Slow writers (matplotlib PNG/PDF maps) in one forked process beside the build, off its critical path.

A single build on a machine with a second core draws its static maps in a child process while the parent writes
the web pages, the GeoPackage and the tables; ``wait()`` collects them (re-raising the child's error) before the
index links them. Where that cannot help or is not safe the calls run inline, in order, in this process:

- a batch worker (a process pool's child: the cores are already busy) or a thread of a Dask worker or QGIS (forking
  a process that runs other threads can deadlock the child),
- no ``fork`` start method (Windows) or one core.

The same calls write the same bytes either way; only when they run differs.

``prestarted(modules)`` forks that child at the start of a command, before this process imports its libraries: the
child imports what drawing needs (matplotlib and its PDF backend, geopandas) while this one imports the rest and reads,
joins and plans; the build's ``Background`` then takes that child. A call may name its function as
``"module:function"`` so that the child imports only that module (not the parent's web-page code).
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether calls may run in a forked child: the main process, one thread, ``fork`` available, two cores or more."""
    return (_cores() > 1 and multiprocessing.parent_process() is None and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


def child_setup() -> None:
    """In the child: SIGTERM ends it at once and quietly, Ctrl-C is left to the build; killed when the build's process
    ends, however it ends (SIGKILL, SIGTERM, Ctrl-C), so no orphan keeps drawing into a folder the build gave up, or
    holds the build's stdout/stderr open (Linux prctl; else nothing)."""
    import ctypes
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's handler (its message, its clean-up): a child just ends
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the build decides, then ends it
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the build ended before the line above ran
        os._exit(1)


def _pool(workers: int = 1) -> ProcessPoolExecutor:
    """Forked children (all at the first call, before the executor starts its thread: no fork beside a thread)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=child_setup)


def _function(fn):
    """A callable, or the one a ``"module:function"`` string names (imported where it runs)."""
    if isinstance(fn, str):
        module, _, name = fn.partition(":")
        return getattr(importlib.import_module(module), name)
    return fn


def _call(fn, args, kwargs):
    return _function(fn)(*args, **kwargs)


def _call_all(calls) -> None:
    for fn, args, kwargs in calls:
        _call(fn, args, kwargs)


def _import(modules: tuple[str, ...]) -> None:
    """Import each module; a ``"module:function"`` is imported and called (a warm-up)."""
    for name in modules:
        if ":" in name:
            _function(name)()
        else:
            importlib.import_module(name)


_STARTED: list[tuple[ProcessPoolExecutor, int]] = []  # the children ``prestarted`` forked and their count, until a Background takes them


@contextlib.contextmanager
def prestarted(*modules: str, workers: int = 1):
    """Fork the drawing children now (where ``can_fork``; ``workers`` of them, at most the cores) and let them import
    ``modules`` while this process goes on; the first ``Background`` of the block takes them. Leaving the block ends
    children no Background took, at once."""
    if workers > 0 and not _STARTED and can_fork():  # workers=0: nothing will be drawn (no static maps asked for)
        workers = min(workers, _cores())
        pool = _pool(workers)
        for _ in range(workers):
            pool.submit(_import, modules)
        _STARTED.append((pool, workers))
    try:
        yield
    finally:
        while _STARTED:
            end_now(_STARTED.pop()[0])


def end_now(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's children at once (a child never used, or a batch stopped by an error or a signal), not after
    what they are doing."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


class Background:
    """``with Background() as bg: bg.submit(fn, *args); ...; bg.wait()``: calls in one forked child, in order (or in
    the children ``prestarted`` forked, each call whole in one of them), or inline when ``can_fork()`` says no (or
    ``inline``). Leaving the block early (an error, Ctrl-C, SIGTERM) ends the children at once: nothing writes into a
    folder after its build gave up, and a stopped build does not wait for maps nobody will see."""

    def __init__(self, inline: bool = False):
        self.pool, self.workers = _STARTED.pop() if _STARTED and not inline else (None, 1)
        self.inline = self.pool is None and (inline or not can_fork())
        self.futures: list[Future] = []
        self.used = False  # a call was submitted

    def __enter__(self) -> Background:
        return self

    def submit(self, fn, /, *args, **kwargs) -> None:
        """``fn(*args, **kwargs)`` in the child; ``fn`` a callable or ``"module:function"``."""
        self.used = True
        if self.inline:
            _call(fn, args, kwargs)
            return
        if self.pool is None:  # the child is forked at the first call: it holds what the build had read by then
            self.pool = _pool()
        self.futures.append(self.pool.submit(_call, fn, args, kwargs))

    def submit_all(self, calls) -> None:
        """Each ``(fn, args, kwargs)`` of ``calls`` as ``submit`` would, handed over at once: to a single child as one
        message, so that no call waits for this process (busy with the rest of the build) to send it."""
        calls = list(calls)
        if self.inline or len(calls) < 2 or self.workers > 1:
            for fn, args, kwargs in calls:
                self.submit(fn, *args, **kwargs)
            return
        self.used = True
        if self.pool is None:
            self.pool = _pool()
        self.futures.append(self.pool.submit(_call_all, calls))

    def wait(self) -> None:
        """Every call done; the first one that failed raises its error here."""
        futures, self.futures = self.futures, []
        for fut in futures:
            fut.result()

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.pool is not None and (exc_type is not None or not self.used):  # stopped, or nothing to draw
            end_now(self.pool)
        elif self.pool is not None:
            self.pool.shutdown(wait=True)
        self.pool = None
