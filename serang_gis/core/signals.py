"""Ctrl-C and SIGTERM held for a few steps that must not be cut in two.

The CLI turns SIGTERM into ``Terminated`` (a ``KeyboardInterrupt``) so that every ``finally`` cleans up. A
``finally`` can only remove what it knows the name of: between the moment a temporary file or staging folder
exists on disk and the moment its name is held by the code that removes it, a signal would leave it behind
unless it is made and its name assigned inside ``held_signals``, in the ``try``::

    stage = None
    try:
        with held_signals():
            stage = tempfile.mkdtemp(...)
        ...
    finally:
        if stage is not None:
            shutil.rmtree(stage)

A swap of many renames is held whole for the same reason (``output.staging``).
"""

from __future__ import annotations

import contextlib
import signal
import threading


@contextlib.contextmanager
def held_signals():
    """Hold Ctrl-C and SIGTERM for the block; act on them right after it (``Terminated`` / ``KeyboardInterrupt``).

    Only a signal Python handles (Ctrl-C's ``KeyboardInterrupt``, the CLI's SIGTERM handler) is held: one that is
    ignored or ends the process at once (a drawing child: ``output.background.child_setup``) stays so. Outside the
    main thread (where Python runs no handler) the block just runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got = []
    old = {s: signal.signal(s, lambda n, f: got.append(n)) for s in (signal.SIGINT, signal.SIGTERM)
           if callable(signal.getsignal(s))}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        if got:
            from serang_gis.core.errors import Terminated

            raise Terminated() if got[0] == signal.SIGTERM else KeyboardInterrupt()

