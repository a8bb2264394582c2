"""Many regions: region lists, local processes, a Dask LocalCluster on 127.0.0.1, failures reported."""

import pytest
from click.testing import CliRunner

from serang_gis import InputError
from serang_gis.batch import expand_regions, make_tasks, run
from serang_gis.cli.main import cli
from serang_gis.read.config import AtlasConfig
from serang_gis.output.writers import atomic_path

from .conftest import BOUNDARIES

THREE = ["36.71", "36.72", "36.74"]


def test_expand_regions():
    assert expand_regions(["3673"]) == ["36.73"]
    assert expand_regions(["36.72,36.71"]) == ["36.71", "36.72"]
    assert len(expand_regions(["36"])) == 8
    assert len(expand_regions(["all"])) == 513
    with pytest.raises(InputError, match="not a region"):
        expand_regions(["Serang"])


def _files(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def sequential(tmp_path_factory):
    out = tmp_path_factory.mktemp("seq")
    cfg = AtlasConfig(boundaries=str(BOUNDARIES / "banten"), static=False)
    outcomes = run(make_tasks(cfg, THREE, out))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    return out, outcomes


@pytest.mark.shared_data
def test_local_processes_give_the_same_files(sequential, tmp_path):
    out, outcomes = sequential
    import pyogrio

    counts = [pyogrio.read_info(BOUNDARIES / "banten" / f"wilayah_boundaries_kel_{r}.geojson")["features"] for r in THREE]
    assert [o.region for o in outcomes] == THREE and [o.kelurahan for o in outcomes] == counts
    cfg = AtlasConfig(boundaries=str(BOUNDARIES / "banten"), static=False)
    run(make_tasks(cfg, THREE, tmp_path), jobs=2)
    assert _files(tmp_path) == _files(out)


@pytest.mark.slow
@pytest.mark.shared_data
def test_dask_local_cluster_gives_the_same_files(sequential, tmp_path):
    distributed = pytest.importorskip("distributed")
    out, _ = sequential
    cfg = AtlasConfig(boundaries=str(BOUNDARIES / "banten"), static=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as cluster:
        outcomes = run(make_tasks(cfg, THREE, tmp_path), scheduler=cluster.scheduler_address)
    assert all(o.ok for o in outcomes)
    assert _files(tmp_path) == _files(out)


@pytest.mark.shared_data
def test_cli_many_regions_with_progress_and_a_failure(tmp_path):
    # 36.01 has no file in this folder: it fails, the others are built, the exit code says so
    folder = tmp_path / "bnd"
    folder.mkdir()
    for code in ("36.71", "36.72"):
        (folder / f"wilayah_boundaries_kel_{code}.geojson").write_bytes((BOUNDARIES / "banten" / f"wilayah_boundaries_kel_{code}.geojson").read_bytes())
    res = CliRunner().invoke(cli, ["build", "--region", "36.71,36.72,36.01", "--boundaries", str(folder), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1
    # the run speaks --lang (id) as its pages do; the error's own text is English, as every error is
    assert "2 dari 3 kab/kota dibangun" in res.output and "GAGAL 36.01" in res.output and "no boundary file for 36.01" in res.output
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="36.71/index.html"' in index and "gagal" in index and "Atlas serang-gis: 3 kab/kota" in index


@pytest.mark.shared_data
def test_a_national_file_is_cut_once(tmp_path):
    import pandas as pd

    national = BOUNDARIES / "indonesia_kelurahan_1m.parquet"
    codes = pd.read_parquet(national, columns=["kode"])["kode"]
    tasks = make_tasks(AtlasConfig(boundaries=str(national)), ["36.72", "11.01"], tmp_path)
    assert [len(t.kelurahan) for t in tasks] == [int(codes.str.startswith(r + ".").sum()) for r in ("36.72", "11.01")]
    assert tasks[1].out_dir.endswith("11.01")


@pytest.mark.shared_data
def test_a_national_file_read_apart_gives_the_same_tasks_and_errors(tmp_path):
    # read in a process of its own (--jobs/--scheduler): the same kelurahan, bytes for bytes, and the same warnings
    national = BOUNDARIES / "indonesia_kelurahan_1m.parquet"
    cfg = AtlasConfig(boundaries=str(national))
    here, apart = (make_tasks(cfg, ["36.72", "36.73", "99.99"], tmp_path, apart=a) for a in (False, True))
    assert [t.packed for t in apart] == [t.packed for t in here] and [t.warnings for t in apart] == [t.warnings for t in here]
    assert len(apart[1].kelurahan) == 67 and apart[2].kelurahan.empty  # 99.99 is not in the file: its task fails alone
    # an error of the reading comes back as raised there: its message and its hint apart
    with pytest.raises(InputError, match="no kelurahan of region 98.01, 99.99") as err:
        make_tasks(cfg, ["98.01", "99.99"], tmp_path, apart=True)
    assert err.value.hint.startswith("check --region") and "hint:" not in err.value.message


def test_a_warning_goes_to_the_kab_kota_it_is_about(tmp_path):
    # a file whose name holds another kab/kota's code: an overlap between two kelurahan of 36.71 is 36.71's alone (read
    # from the text, the code in the path sent it to 36.72 as well); a filled pinhole (no kab/kota) is the file's: both
    import geopandas as gpd
    from shapely.geometry import Polygon, box

    pin = Polygon(box(106.30, -6.10, 106.31, -6.09).exterior.coords, [box(106.305, -6.095, 106.30505, -6.09495).exterior.coords])
    kel = gpd.GeoDataFrame({"kode": ["36.71.01.1001", "36.71.01.1002", "36.72.01.2001"], "nama": ["Satu", "Dua", "Tiga"]},
                           geometry=[box(106.10, -6.10, 106.11, -6.09), box(106.109, -6.10, 106.119, -6.09), pin], crs=4326)
    path = tmp_path / "batas_36.72.geojson"
    kel.to_file(path)
    a, b = make_tasks(AtlasConfig(boundaries=str(path)), ["36.71", "36.72"], tmp_path / "out")
    keys = lambda task: sorted(w.key for w in task.warnings if w.key != "bnd.no_names")  # (no kecamatan names: both)
    assert keys(a) == ["bnd.small_holes", "coverage.overlap"] and keys(b) == ["bnd.small_holes"]
    assert "Satu (36.71.01.1001)" in next(w for w in a.warnings if w.key == "coverage.overlap")


def test_interrupted_write_leaves_nothing(tmp_path):
    target = tmp_path / "peta.html"
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def _descendants(pid: int) -> set[int]:
    """Every live process under ``pid`` (Linux /proc)."""
    from pathlib import Path

    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(x) for x in (task / "children").read_text().split()]
            except OSError:
                continue
            found.update(kids)
            todo += kids
    return found


def _alive(pid: int) -> bool:
    from pathlib import Path

    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:"))
    except (OSError, StopIteration):
        return False
    return "Z" not in state.split()[1]  # a zombie has ended (only not yet reaped)


@pytest.mark.shared_data
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_a_stopped_batch_stops_its_workers_at_once(tmp_path, sig):
    """SIGTERM or Ctrl-C during `build --region 36 --jobs 2`: the build ends within seconds and its worker processes
    with it, not after every kab/kota queued (session 10: a stopped national run left both workers drawing), and
    nothing of it is left in the output folder. SIGKILL (no clean-up at all): the workers die with it (walk 10 found
    them left running for good)."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "banten"
    cmd = [sys.executable, "-m", "serang_gis", "build", "--region", "36", "--boundaries", str(BOUNDARIES / "banten"),
           "-o", str(out), "-q", "--jobs", "2", "--lang", "en"]
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": str(root)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline, workers = time.monotonic() + 120, set()
    while time.monotonic() < deadline and proc.poll() is None:
        workers |= _descendants(proc.pid)
        if any(out.glob(".serang-gis-stage-*/36.*/index.html")):  # a kab/kota built: the others are queued or drawing
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the batch ended before it could be stopped"
    workers |= _descendants(proc.pid)
    proc.send_signal(getattr(signal, sig))
    started = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - started < 8, "the batch went on after the signal"  # before the fix: 21 s, every task queued
    assert proc.returncode == {"SIGTERM": 143, "SIGINT": 130, "SIGKILL": -9}[sig], err
    assert "Traceback" not in err, err
    time.sleep(1.0)
    assert workers and not [p for p in workers if _alive(p)]
    if sig != "SIGKILL":  # (killed, its staged folder stays until the next build into that folder removes it)
        assert not any(out.glob(".serang-gis-stage-*")) and not any(out.glob("36.*"))


def test_the_largest_kab_kota_are_handed_out_first():
    """A national run's tail: a large kab/kota started last would keep one worker busy while the other idles. Tasks
    carrying their kelurahan go largest first; without them, in code order."""
    from serang_gis.batch import Task, _largest_first

    cfg = AtlasConfig()
    tasks = [Task("11.01", "a", cfg, b"x" * 10), Task("11.02", "b", cfg, b"x" * 300), Task("11.03", "c", cfg, b"x" * 10),
             Task("11.04", "d", cfg, b"x" * 50), Task("11.05", "e", cfg)]
    assert [t.region for t in _largest_first(tasks)] == ["11.02", "11.04", "11.01", "11.03", "11.05"]
    plain = [Task(r, r, cfg) for r in THREE]
    assert _largest_first(plain) == plain
