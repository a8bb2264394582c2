"""Many kab/kota at once: region lists, one task per kab/kota, and executors that run them.

A task is independent and picklable (config, region, output folder, and optionally its kelurahan
already cut from a national file), so the same tasks run in this process, in local processes
(``--jobs N``) or on a Dask distributed cluster (``--scheduler ADDRESS``), with the same results.
"""

from __future__ import annotations

import multiprocessing
import pickle
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from serang_gis.read.boundaries import Boundaries, BoundaryReport, read_kelurahan
from serang_gis.read.config import AtlasConfig
from serang_gis.read.fetch import expand_regions  # noqa: F401  (the batch's region lists; kept here for callers)
from serang_gis.core.errors import InputError, SerangGISError
from serang_gis.output.background import child_setup, end_now


@dataclass(frozen=True)
class Task:
    region: str
    out_dir: str
    config: AtlasConfig
    packed: bytes | None = None  # its kelurahan already cut from a national file, pickled (a few MB, not a frame per task)
    source: str = ""
    warnings: tuple = ()  # what reading that file found about this kab/kota (and about the file as a whole)

    @property
    def kelurahan(self) -> gpd.GeoDataFrame | None:
        return None if self.packed is None else pickle.loads(self.packed)


@dataclass(frozen=True)
class Outcome:
    region: str
    out_dir: str
    ok: bool
    seconds: float
    kelurahan: int = 0
    files: int = 0
    name: str = ""
    error: str = ""


def run_task(task: Task) -> Outcome:
    from serang_gis.pipeline import build_region, load_boundaries

    t0 = time.perf_counter()
    try:
        kel = task.kelurahan
        if kel is not None and kel.empty:
            raise InputError(f"{task.source}: no kelurahan of {task.region} in this file")
        if kel is not None:
            bounds = Boundaries(kel, BoundaryReport(path=task.source, schema="pre-split", source_crs="EPSG:4326",
                                                    features_read=len(kel), warnings=list(task.warnings)))
        else:
            bounds = load_boundaries(task.config, task.region)
        res = build_region(task.config, task.region, task.out_dir, bounds)
        return Outcome(task.region, task.out_dir, True, time.perf_counter() - t0, len(res.kelurahan), len(res.files),
                       str(res.kelurahan["kabkota"].iloc[0]))
    except SerangGISError as exc:
        return Outcome(task.region, task.out_dir, False, time.perf_counter() - t0, error=str(exc))
    except Exception as exc:  # a bug: keep the traceback for the report
        return Outcome(task.region, task.out_dir, False, time.perf_counter() - t0,
                       error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}")


def _warnings_by_region(warnings) -> dict[str, list]:
    """The warnings of reading a many-region file, each under the kab/kota codes it was made about (a coverage message's
    ``kabs`` field, ``read.boundaries``); one about the file as a whole under ""."""
    out: dict[str, list] = {}
    for w in warnings:
        for kab in getattr(w, "fields", {}).get("kabs") or [""]:
            out.setdefault(kab, []).append(w)
    return out


def make_tasks(config: AtlasConfig, regions: list[str], out_dir, *, apart: bool = False) -> list[Task]:
    """One task per region; a single boundary file holding many regions is read once and cut here, each kab/kota's
    part pickled into its task. With ``apart`` (the tasks will run in other processes) the file is read in a
    process of its own that ends before they start: the national frame (1 GB and more) never stays in this one."""
    out = Path(out_dir)
    multi = len(regions) > 1
    path = Path(config.boundaries) if config.boundaries else None
    if multi and path is not None and path.is_file():
        if apart:  # (a Pool: leaving it, by an error or Ctrl-C too, ends the reader at once)
            with multiprocessing.get_context("spawn").Pool(1) as reader:
                parts, said = reader.apply(_cut, (config, tuple(regions), path))
        else:
            parts, said = _cut(config, tuple(regions), path)
        return [Task(r, str(out / r), config, parts.get(r, parts[""]), str(path), tuple(said.get(r, [])) + tuple(said.get("", [])))
                for r in regions]
    return [Task(r, str(out / r) if multi else str(out), config) for r in regions]


def _cut(config: AtlasConfig, regions: tuple[str, ...], path: Path) -> tuple[dict[str, bytes], dict[str, list]]:
    """A many-region file read once: each kab/kota's kelurahan pickled (under "" none, for a region the file lacks:
    its task fails and says so), and the warnings of the reading by kab/kota."""
    from serang_gis.pipeline import boundary_columns

    read = read_kelurahan(path, layer=config.boundaries_layer, columns=boundary_columns(config), crs=config.boundaries_crs,
                          region=regions,  # only the kab/kota asked for are checked (2 of 513: seconds, not minutes)
                          name_sources=list(config.boundary_names), dissolve_duplicates=config.boundaries_dissolve,
                          strict=config.strict)
    allkel = read.kelurahan
    parts = {kab: pickle.dumps(grp.reset_index(drop=True), protocol=pickle.HIGHEST_PROTOCOL)
             for kab, grp in allkel.groupby("kode_kab", sort=False)}
    parts[""] = pickle.dumps(allkel.iloc[:0].reset_index(drop=True), protocol=pickle.HIGHEST_PROTOCOL)
    return parts, _warnings_by_region(read.report.warnings)


def _largest_first(tasks: list[Task]) -> list[Task]:
    """The tasks to hand out, the largest kab/kota (its kelurahan, pickled) first: a large one started last would leave
    the other workers idle at the end. Tasks without their kelurahan keep their order; results come back in task order."""
    return sorted(tasks, key=lambda t: -len(t.packed or b""))


def run(tasks: list[Task], *, jobs: int = 1, scheduler: str | None = None, on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Run tasks in this process, in ``jobs`` local processes, or on a Dask cluster; results in task order."""
    done = on_done or (lambda o: None)
    results: dict[str, Outcome] = {}
    if scheduler:
        from distributed import Client
        from distributed import as_completed as dask_completed

        with Client(scheduler, timeout=30) as client:
            futures = client.map(run_task, _largest_first(tasks), pure=False)
            for fut in dask_completed(futures):
                o = fut.result()
                results[o.region] = o
                done(o)
    elif jobs > 1 and len(tasks) > 1:
        ctx = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=child_setup)
        try:
            futures = [pool.submit(run_task, t) for t in _largest_first(tasks)]
            for fut in as_completed(futures):
                o = fut.result()
                results[o.region] = o
                done(o)
        except BaseException:  # Ctrl-C, SIGTERM or an error: the workers stop now, not after every task queued
            end_now(pool)
            raise
        pool.shutdown(wait=True)
    else:
        for t in tasks:
            o = run_task(t)
            results[o.region] = o
            done(o)
    return [results[t.region] for t in tasks]
