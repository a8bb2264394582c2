"""output.background: the static maps drawn in a forked child beside the build, or inline; the same bytes either way."""

import contextlib
import os
import threading
import time

import pytest

from serang_gis.output import background
from serang_gis.output.background import Background


def _write_pid(path, text):
    path.write_text(f"{os.getpid()} {text}", encoding="utf-8")


def _fail(message):
    raise ValueError(message)


needs_fork = pytest.mark.skipif(not background.can_fork(), reason="one core, no fork, or threads in this process")


@pytest.fixture(autouse=True)
def _no_thread_left_by_an_earlier_module():
    """A build forks its drawing child only from a process with one thread (``can_fork``). Under xdist this module may
    run right after a browser module on the same worker, whose Playwright threads (asyncio's child watcher and
    executor) end just after its browser closed: wait for them, so that these tests run the fork they are about
    (CI of 5febf8f ran them inline, and the Ctrl-C test then interrupted the worker itself)."""
    main = threading.main_thread()
    end = time.monotonic() + 30
    for thread in threading.enumerate():
        if thread is not main:
            thread.join(max(0.0, end - time.monotonic()))
    left = [t.name for t in threading.enumerate() if t is not main]
    assert not left, f"threads still running in the test process (an earlier test leaked them): {left}"


@needs_fork
def test_calls_run_in_one_child_in_order_and_are_done_by_wait(tmp_path):
    with Background() as bg:
        for k in range(3):
            bg.submit(_write_pid, tmp_path / f"{k}.txt", f"call {k}")
        bg.wait()
        got = [(tmp_path / f"{k}.txt").read_text(encoding="utf-8").split(" ", 1) for k in range(3)]
    pids = {pid for pid, _ in got}
    assert [text for _, text in got] == ["call 0", "call 1", "call 2"]
    assert len(pids) == 1 and pids != {str(os.getpid())}  # one child, not this process


@needs_fork
def test_an_error_in_the_child_is_raised_by_wait():
    with Background() as bg:
        bg.submit(_fail, "kelurahan 3673010001: cannot draw")
        with pytest.raises(ValueError, match="cannot draw"):
            bg.wait()


def test_inline_runs_here_at_once(tmp_path):
    with Background(inline=True) as bg:
        bg.submit(_write_pid, tmp_path / "a.txt", "now")
        assert (tmp_path / "a.txt").read_text(encoding="utf-8") == f"{os.getpid()} now"  # before wait()
        with pytest.raises(ValueError, match="inline"):
            bg.submit(_fail, "inline")


def test_a_pool_worker_or_a_threaded_process_draws_inline(monkeypatch):
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 2)  # a Dask worker's or QGIS's threads
    assert not background.can_fork() and Background().inline


def _tree(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@needs_fork
def test_a_build_drawn_in_the_child_gives_the_same_bytes_as_drawn_inline(tmp_path, monkeypatch):
    from serang_gis.pipeline import build_atlas

    forked = build_atlas(tmp_path / "forked")
    assert any(p.suffix == ".pdf" for p in forked.files) and all(p.exists() for p in forked.files)
    monkeypatch.setattr(background, "can_fork", lambda: False)
    build_atlas(tmp_path / "inline")
    a, b = _tree(tmp_path / "forked"), _tree(tmp_path / "inline")
    assert {p for p in a if p.suffix in (".png", ".pdf")} and a == b


def _interrupt_self_then_write(path):
    import signal

    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C at a terminal reaches every process of the group
    path.write_text("drawn", encoding="utf-8")


@needs_fork
def test_prestarted_children_leave_ctrl_c_to_the_build_and_end_quietly(tmp_path, capfd):
    """Forked before the build's own work: they must not run the build's SIGTERM handler (its message and a traceback
    when the build ends them) nor die of a Ctrl-C meant for the build."""
    import signal
    import time

    from serang_gis.cli import main as cli_main

    old = signal.signal(signal.SIGTERM, cli_main._on_sigterm)  # what `serang-gis build` installs before it forks
    try:
        with background.prestarted("json", workers=2):
            with Background() as bg:
                bg.submit(_interrupt_self_then_write, tmp_path / "a.txt")
                bg.wait()
        assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "drawn"
        with background.prestarted("json"):  # never taken: ended when the block ends (a build that failed early)
            time.sleep(0.3)
            started = time.monotonic()
        assert time.monotonic() - started < 5
    finally:
        signal.signal(signal.SIGTERM, old)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "SIGTERM" not in err, err


@needs_fork
def test_submit_all_hands_the_calls_over_at_once_and_wait_raises_their_first_error(tmp_path):
    with Background() as bg:
        bg.submit_all([(_write_pid, (tmp_path / f"{k}.txt", f"call {k}"), {}) for k in range(3)])
        bg.wait()
    got = [(tmp_path / f"{k}.txt").read_text(encoding="utf-8").split(" ", 1) for k in range(3)]
    assert [text for _, text in got] == ["call 0", "call 1", "call 2"]
    assert len({pid for pid, _ in got}) == 1 and got[0][0] != str(os.getpid())
    with Background() as bg:
        bg.submit_all([(_write_pid, (tmp_path / "a.txt", "a"), {}), (_fail, ("kelurahan 3673010001: cannot draw",), {})])
        with pytest.raises(ValueError, match="cannot draw"):
            bg.wait()


def _sleep_then_write(path, seconds):
    import time

    time.sleep(seconds)
    _write_pid(path, "too late")


@needs_fork
@pytest.mark.parametrize("prestart", [0, 1, 2], ids=["forked-at-first-call", "one-prestarted", "two-prestarted"])
def test_a_stopped_block_ends_its_children_at_once_and_nothing_is_written_after(tmp_path, prestart):
    """A build stopped by an error, Ctrl-C or SIGTERM does not wait for maps nobody will see (both maps are one call
    since submit_all), and no child writes into the folder the build is removing."""
    import time

    started = time.monotonic()
    with background.prestarted("json", workers=prestart) if prestart else contextlib.nullcontext():
        with pytest.raises(KeyboardInterrupt):
            with Background() as bg:
                bg.submit_all([(_sleep_then_write, (tmp_path / "a.txt", 2.0), {}), (_sleep_then_write, (tmp_path / "b.txt", 2.0), {})])
                time.sleep(0.3)  # the child is drawing
                raise KeyboardInterrupt
    assert time.monotonic() - started < 1.8
    time.sleep(2.5)
    assert list(tmp_path.iterdir()) == []
