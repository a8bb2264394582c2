"""core.signals: a Ctrl-C or SIGTERM that arrives while a temporary file or staging folder is being made never leaves it
behind (CI of 829d9a5: 'a staged folder was left' by a SIGTERM sent as soon as the stage appeared)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile

import pytest

from serang_gis.core.errors import Terminated
from serang_gis.core.signals import held_signals

from .conftest import ROOT


@pytest.fixture
def cli_handlers():
    """The handlers `serang-gis` installs (cli.main.main): SIGTERM raises Terminated, Ctrl-C KeyboardInterrupt."""
    from serang_gis.cli import main as cli_main

    old = signal.signal(signal.SIGTERM, cli_main._on_sigterm), signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGTERM, old[0])
    signal.signal(signal.SIGINT, old[1])


def _signal_once_made(monkeypatch, name, sig):
    """``tempfile.<name>`` makes its file or folder, then the signal comes (before the caller gets the name back)."""
    real = getattr(tempfile, name)

    def made_then_signalled(*args, **kwargs):
        got = real(*args, **kwargs)
        monkeypatch.setattr(tempfile, name, real)
        os.kill(os.getpid(), sig)
        return got

    monkeypatch.setattr(tempfile, name, made_then_signalled)


@pytest.mark.parametrize("sig, raised", [(signal.SIGTERM, Terminated), (signal.SIGINT, KeyboardInterrupt)])
def test_a_signal_while_the_stage_is_made_leaves_no_stage(tmp_path, monkeypatch, cli_handlers, sig, raised):
    from serang_gis.output.staging import STAGE, staged_folder

    out = tmp_path / "atlas"
    out.mkdir()
    (out / "catatan.txt").write_text("mine", encoding="utf-8")
    _signal_once_made(monkeypatch, "mkdtemp", sig)
    with pytest.raises(raised):
        with staged_folder(out):
            raise AssertionError("the build must not start after the signal")
    assert sorted(p.name for p in out.iterdir()) == ["catatan.txt"], list(out.iterdir())
    assert not list(out.glob(STAGE + "*"))


def test_a_signal_while_a_temporary_file_is_made_leaves_no_file(tmp_path, monkeypatch, cli_handlers):
    from serang_gis.output.writers import write_bytes

    _signal_once_made(monkeypatch, "mkstemp", signal.SIGTERM)
    with pytest.raises(Terminated):
        write_bytes(tmp_path / "peta.png", b"png")
    assert list(tmp_path.iterdir()) == []


def test_a_signal_held_is_raised_after_the_block_and_an_ignored_one_stays_ignored(cli_handlers):
    done = []
    with pytest.raises(Terminated):
        with held_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            done.append("the block ran to its end")
    assert done and signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN  # the CLI's handler is back
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a drawing child ignores Ctrl-C (output.background.child_setup)
    with held_signals():
        os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_sigterm_with_its_default_action_still_ends_the_process_at_once():
    """A drawing child keeps SIGTERM's default action: `end_now` must stop it at once, not get an exception back."""
    code = ("import os, signal\nfrom serang_gis.core.signals import held_signals\n"
            "with held_signals():\n    os.kill(os.getpid(), signal.SIGTERM)\n    print('went on')\n")
    res = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == -signal.SIGTERM and "went on" not in res.stdout, (res.returncode, res.stdout, res.stderr)
