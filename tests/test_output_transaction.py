"""The output transaction (serang_gis/output/staging.py) against real processes: killed builds, a full disk,
leftovers of dead processes. Every run is ``python -m serang_gis`` in a subprocess, so signals are real."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import BOUNDARIES, ROOT, run_cli

CILEGON = BOUNDARIES / "banten" / "wilayah_boundaries_kel_36.72.geojson"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _cmd(out, *extra):
    return [sys.executable, "-m", "serang_gis", "build", "--boundaries", str(CILEGON), "--region", "36.72", "-q", "-o", str(out), *extra]


def plant(folder: Path) -> None:
    """1,000 files of the user's: 900 at the top, 100 in subfolders, a symlink to one of them, one named like a product's
    neighbour."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(900):
        (folder / f"catatan_{i:03d}.txt").write_text(f"mine {i}\n", encoding="utf-8")
    for i in range(100):
        sub = folder / "arsip" / f"bulan_{i % 10}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"data_{i:03d}.csv").write_text(f"kode;nilai\n{i};{i * 7}\n", encoding="utf-8")
    (folder / "terbaru.txt").symlink_to("catatan_000.txt")


def user_snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every user file (links as their target text), the tool's own names left out."""
    snap = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".serang-gis") and d != "lib"]
        for name in files:
            p = Path(root) / name
            rel = str(p.relative_to(folder))
            if name.startswith(("catatan_", "data_", "terbaru")):
                snap[rel] = "link:" + os.readlink(p) if p.is_symlink() else hashlib.sha256(p.read_bytes()).hexdigest()
    return snap


def _wait_for(pred, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.002)
    return False


def _catches(proc, sig) -> bool:
    """The process has a handler of its own for ``sig`` (Linux: the SigCgt mask of /proc/<pid>/status)."""
    try:
        status = Path(f"/proc/{proc.pid}/status").read_text(encoding="utf-8")
    except OSError:
        return False
    mask = next((int(line.split()[1], 16) for line in status.splitlines() if line.startswith("SigCgt:")), 0)
    return bool(mask >> (int(sig) - 1) & 1)


def _stage(real: Path):
    return [p for p in real.glob(".serang-gis-stage-*")]


def _swapping(real: Path):
    return any((p / ".serang-gis-swapping").exists() for p in _stage(real))


def test_killed_builds_never_touch_1000_user_files(tmp_path):
    real = tmp_path / "atlas_real"
    plant(real)
    link = tmp_path / "atlas"
    link.symlink_to(real, target_is_directory=True)  # -o through a symlink: written into its target, the link kept
    before = user_snapshot(real)
    assert len(before) == 1001
    t0 = time.monotonic()
    first = subprocess.run(_cmd(link), env=ENV, capture_output=True, text=True, timeout=180)
    assert first.returncode == 0, first.stderr
    assert link.is_symlink() and (real / "index.html").is_file() and user_snapshot(real) == before
    # the last field: the signal may come while Python still loads the command line, where serang_gis/__main__.py
    # leaves at once with the code and no word (nothing was written). That point waits until __main__ has set its
    # handlers (the process catches SIGTERM): before it, Python itself is starting (site, runpy), which is not ours to
    # mend, and a loaded machine (CI's xdist workers) stretches that window past any fixed delay
    points = [(signal.SIGTERM, lambda p: bool(_stage(real)), 0.0, 143, False),  # as soon as it stages
              (signal.SIGINT, lambda p: bool(_stage(real)), 1.5, 130, False),  # mid-build
              (signal.SIGTERM, lambda p: _swapping(real), 0.0, 143, False),  # while it swaps (signals held: it finishes, or stops)
              (signal.SIGINT, lambda p: _catches(p, signal.SIGTERM), 0.0, 130, True),  # while Python still loads the CLI
              (signal.SIGKILL, lambda p: bool(_stage(real)), 1.0, -9, False)]  # no clean-up at all: the next run recovers
    for sig, ready, delay, code, loading in points:
        proc = subprocess.Popen(_cmd(link, "--lang", "en"), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _wait_for(lambda: ready(proc) or proc.poll() is not None)
        time.sleep(delay)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        # 0: it had already finished; -sig: the signal came while the interpreter itself was starting, before any
        # Python code (the handlers) ran: the default action, nothing written (a loaded machine makes that window long)
        assert proc.returncode in (code, 0, -sig), (sig, proc.returncode, err)
        assert "Traceback" not in err, err
        if proc.returncode == code and sig != signal.SIGKILL:
            quiet = loading and err == ""  # stopped by __main__'s handler before the command line was loaded
            assert quiet or (len(err.strip().splitlines()) == 1 and ("SIGTERM" in err or "Ctrl-C" in err)), (sig, delay, err)
            assert not _stage(real), "a staged folder was left"
        assert user_snapshot(real) == before, f"user files changed after {sig.name}"
    last = subprocess.run(_cmd(link), env=ENV, capture_output=True, text=True, timeout=180)
    assert last.returncode == 0, last.stderr
    assert user_snapshot(real) == before and link.is_symlink()
    assert not _stage(real) and not list(tmp_path.glob(".atlas*"))
    assert '<html lang="id">' in (real / "index.html").read_text(encoding="utf-8")  # the last build's atlas (Bahasa) is in place
    print(f"kill test: {time.monotonic() - t0:.1f} s")


def test_disk_full_names_the_folder(tmp_path):
    """A 400 kB tmpfs (a private mount namespace) fills during the build: a clear error, nothing left behind."""
    mnt = tmp_path / "klein"
    mnt.mkdir()
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {mnt}"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root or user namespaces)")
    script = f"mount -t tmpfs -o size=400k tmpfs {mnt} && echo mine > {mnt}/catatan.txt && \"$@\"; rc=$?; ls -A {mnt}; exit $rc"
    res = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *_cmd(mnt / "atlas")], env=ENV, capture_output=True, text=True,
                         timeout=180)
    assert res.returncode == 1, res.stderr
    assert "disk is full" in res.stderr and "MB free" in res.stderr and str(mnt / "atlas") in res.stderr, res.stderr
    assert "unexpected error" not in res.stderr and "Traceback" not in res.stderr
    assert res.stdout.split() == ["catatan.txt"]  # the staged folder and the new, empty atlas folder are gone


def test_leftovers_of_dead_processes_go_user_files_stay(tmp_path, serang_path):
    from serang_gis.output.staging import MANIFEST

    out = tmp_path / "j.gpkg"
    dead = tmp_path / ".j.gpkg.serang-gis-999999999-abcd.gpkg"  # a join killed by SIGKILL
    dead.write_bytes(b"half")
    alive = tmp_path / f".j.gpkg.serang-gis-{os.getpid()}-abcd.gpkg"  # a join still running (this pid is alive)
    alive.write_bytes(b"writing")
    user = tmp_path / ".j.gpkg.notes"
    user.write_text("mine", encoding="utf-8")
    (tmp_path / "s.csv").write_text("Kecamatan;Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek\nSerang;Cipare;100;5\n", encoding="utf-8")
    res = run_cli("join", "--boundaries", serang_path, "--data", tmp_path / "s.csv", "--period", "2024", "-o", out)
    assert res.exit_code == 0, res.output
    assert out.is_file() and not dead.exists() and alive.exists() and user.read_text() == "mine"
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert not (tmp_path / MANIFEST).exists()  # one file, one rename: no manifest needed


def _umask():
    m = os.umask(0)
    os.umask(m)
    return m


def test_legacy_old_folder_is_restored_not_deleted(tmp_path):
    """An older serang-gis died mid-swap leaving the user's files in .atlas.old-<pid>: they come back."""
    out = tmp_path / "atlas"
    old = tmp_path / ".atlas.old-999999999-xyz"
    (old / "sub").mkdir(parents=True)
    (old / "mine.txt").write_text("mine", encoding="utf-8")
    (old / "sub" / "deep.txt").write_text("deep", encoding="utf-8")
    res = run_cli("build", "--boundaries", CILEGON, "--region", "36.72", "-q", "-o", out)
    assert res.exit_code == 0, res.output
    assert (out / "mine.txt").read_text() == "mine" and (out / "sub" / "deep.txt").read_text() == "deep"
    assert not old.exists()


# ---- issue 19 UT 9/10: every write failure is a clear error naming the place, the cause and the fix; nothing half-written

SERANG_B = BOUNDARIES / "kota_serang_kelurahan.geojson"
BASE_CSV = "Kecamatan;Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek\nSerang;Cipare;100;5\nCurug;Sukawana;80;4\n"
AKSI2 = ("No;OPD;Sub Kegiatan;Jenis Intervensi;Lokasi;Pagu;Sumber Dana;Tahun\n"
         "1;Dinas Kesehatan;PMT balita;spesifik;Kel. Cipare (Kec. Serang);10 juta;APBD;2023\n")


def _joined(tmp_path) -> Path:
    (tmp_path / "s.csv").write_text(BASE_CSV, encoding="utf-8")
    res = run_cli("join", "--boundaries", SERANG_B, "--data", tmp_path / "s.csv", "--period", "2024", "-o", tmp_path / "j.gpkg")
    assert res.exit_code == 0, res.output
    return tmp_path / "j.gpkg"


def _small_disk(mnt: Path, size: str, *cmd):
    """``cmd`` with ``mnt`` a tmpfs of ``size`` in a private mount namespace; stdout: what is on it afterwards."""
    mnt.mkdir()
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {mnt}"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root or user namespaces)")
    script = f"mount -t tmpfs -o size={size} tmpfs {mnt} && echo mine > {mnt}/catatan.txt && \"$@\"; rc=$?; ls -A {mnt}; exit $rc"
    return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", sys.executable, "-m", "serang_gis", *map(str, cmd)], env=ENV,
                          capture_output=True, text=True, timeout=180)


def _clear(res, phrase: str, place) -> None:
    assert res.returncode == 1, res.stderr
    assert phrase in res.stderr and str(place) in res.stderr, res.stderr
    assert "unexpected error" not in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert ".serang-gis" not in res.stderr, res.stderr  # the user's folder, not the tool's staging folder
    assert "hint:" in res.stderr and len(res.stderr.strip().splitlines()) == 2, res.stderr  # the error, its fix


def _kb(folder: Path) -> int:
    """The space ``folder``'s files take on a tmpfs (whole 4 kB pages), in kB."""
    return sum(-(-p.stat().st_size // 4096) * 4 for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("share", [0.3, 0.6, 0.9])  # full while GDAL writes the layer ... while lib/ is copied
def test_disk_full_konvergensi(tmp_path, share):
    joined = _joined(tmp_path)
    (tmp_path / "aksi2.csv").write_text(AKSI2, encoding="utf-8")
    args = ["konvergensi", joined, "--kegiatan", tmp_path / "aksi2.csv", "-o"]
    assert run_cli(*args, tmp_path / "full").exit_code == 0
    mnt = tmp_path / "klein"
    res = _small_disk(mnt, f"{int(_kb(tmp_path / 'full') * share)}k", *args, mnt / "k")
    _clear(res, "disk is full", mnt / "k")
    assert res.stdout.split() == ["catatan.txt"]


@pytest.mark.parametrize("size, suffix", [("40k", ".gpkg"), ("100k", ".gpkg"), ("200k", ".gpkg"), ("40k", ".geojson")])
def test_disk_full_join(tmp_path, size, suffix):
    (tmp_path / "s.csv").write_text(BASE_CSV, encoding="utf-8")
    mnt = tmp_path / "klein"
    res = _small_disk(mnt, size, "join", "--boundaries", SERANG_B, "--data", tmp_path / "s.csv", "--period", "2024",
                      "-o", mnt / f"j{suffix}")
    _clear(res, "disk is full", mnt)
    assert res.stdout.split() == ["catatan.txt"]


def _limited(ignore_sigxfsz: bool, limit: int = 100 * 1024):
    """A child whose files may not grow past ``limit`` bytes (``ulimit -f``); SIGXFSZ ignored there or left to main()."""
    import resource

    def pre():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
        if ignore_sigxfsz:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return pre


@pytest.mark.parametrize("ignore", [True, False], ids=["child-ignores-sigxfsz", "main-ignores-sigxfsz"])
def test_file_too_large_build(tmp_path, ignore):
    out = tmp_path / "atlas"
    res = subprocess.run(_cmd(out), env={**ENV, "PYTHONDONTWRITEBYTECODE": "1"}, capture_output=True, text=True, timeout=180,
                         preexec_fn=_limited(ignore))
    assert res.returncode != -signal.SIGXFSZ, "killed by SIGXFSZ: main() must ignore it"
    _clear(res, "file size limit (102,400 bytes", out)
    assert not out.exists() and not list(tmp_path.glob(".*"))


@pytest.mark.parametrize("ignore", [True, False], ids=["child-ignores-sigxfsz", "main-ignores-sigxfsz"])
@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_file_too_large_join(tmp_path, ignore, suffix):
    (tmp_path / "s.csv").write_text(BASE_CSV, encoding="utf-8")
    out = tmp_path / f"j{suffix}"
    cmd = [sys.executable, "-m", "serang_gis", "join", "--boundaries", str(SERANG_B), "--data", str(tmp_path / "s.csv"),
           "--period", "2024", "-o", str(out)]
    res = subprocess.run(cmd, env={**ENV, "PYTHONDONTWRITEBYTECODE": "1"}, capture_output=True, text=True, timeout=180,
                         preexec_fn=_limited(ignore))
    assert res.returncode != -signal.SIGXFSZ, "killed by SIGXFSZ: main() must ignore it"
    _clear(res, "file size limit (102,400 bytes", out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]  # no half-written layer, no temporary file


def test_a_product_the_output_guard_does_not_know_stops_the_swap(tmp_path):
    """PRODUCT_SUFFIXES is kept by hand: a command writing a product it misses (its later runs could never replace it)
    fails at the swap, with the user's folder as it was. Every command the suite runs passes this check."""
    from serang_gis.output.staging import staged_folder

    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("the user's file", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"peta\.weird.*PRODUCT_SUFFIXES"):
        with staged_folder(out) as stage:
            (stage / "peta.html").write_text("<html></html>", encoding="utf-8")
            (stage / "peta.weird").write_text("?", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
    with staged_folder(out) as stage:  # known suffixes swap in as before
        (stage / "peta.html").write_text("<html></html>", encoding="utf-8")
    assert (out / "peta.html").is_file() and (out / "mine.txt").read_text(encoding="utf-8") == "the user's file"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc on this system")
def test_an_output_in_a_system_folder_is_refused_before_any_work(tmp_path):
    """Walk adv12 L1: `-o /proc/p.tif` was an "unexpected error: FileNotFoundError" (root passes os.access there; /proc
    takes no new file). Every command that writes says where and what to do, and makes nothing."""
    joined = _joined(tmp_path)
    before = set(os.listdir("/proc"))
    for args in (["raster", joined, "--indicator", "prevalensi", "-o", "/proc/p.tif"], ["export", joined, "-o", "/proc/ekspor"],
                 ["map", joined, "--indicator", "prevalensi", "-o", "/proc/m.html"], ["build", "-o", "/proc/atlas"],
                 ["join", "--data", tmp_path / "s.csv", "--period", "2024", "-o", "/proc/j.gpkg"]):
        res = run_cli(*args)
        assert res.exit_code == 1 and "no file or folder can be made" in res.output and "/proc" in res.output, (args, res.output)
        assert "unexpected error" not in res.output and "hint:" in res.output, res.output
    assert not {n for n in set(os.listdir("/proc")) - before if not n.isdigit()}


def test_a_name_or_path_too_long_is_said_as_such(tmp_path):
    """Walk adv13 M3: "unexpected error: OSError: [Errno 36] File name too long: <several KB>", "report it"."""
    joined = _joined(tmp_path)
    long_name, deep = "a" * 300, "/".join(["b" * 200] * 25)
    for args in (["build", "-o", tmp_path / long_name], ["build", "-o", tmp_path / deep], ["export", joined, "-o", tmp_path / long_name],
                 ["raster", joined, "--indicator", "prevalensi", "-o", tmp_path / f"{long_name}.tif"],
                 ["map", joined, "--indicator", "prevalensi", "-o", tmp_path / f"{long_name}.html"]):
        res = run_cli(*args)
        assert res.exit_code == 1 and "too long" in res.output and "hint: choose a shorter -o" in res.output, (args[0], res.output[:300])
        assert "unexpected error" not in res.output and len(res.output) < 400, res.output[:300]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.gpkg", "s.csv"]
