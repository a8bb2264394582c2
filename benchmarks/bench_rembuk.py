"""Benchmark the whole rembuk pack (issue 22) for Kota Serang against the atlas alone, in the same run.

The pack is ``build_rembuk`` (the atlas, then the workbook, the berita acara and the two PDFs); the atlas
alone is ``build_region`` on the same config and boundaries. Inputs: a config atlas given with
``--config`` (e.g. a TPPS walk's atlas.toml), else a built-in one (two periods of generated Data Sasaran,
static maps, the rank against the 2022 lokus, a generated Aksi 2 matrix). Wall seconds; goal: pack < 60 s.

    python3 benchmarks/bench_rembuk.py [--config atlas.toml] [--runs 2]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERANG = ROOT.parent / "shared" / "data" / "boundaries" / "kota_serang_kelurahan.geojson"
GOAL = 60.0

from serang_gis.pipeline import build_rembuk, build_region, load_boundaries  # noqa: E402
from serang_gis.read.config import load_config  # noqa: E402


def builtin_inputs(tmp: Path, scopes=("kota", "kecamatan")) -> Path:
    """The built-in config atlas in ``tmp`` (also bench_rembuk_pdf's): two periods of generated Data Sasaran, static
    maps, the rank against the 2022 lokus, a generated Aksi 2 matrix (the tests' config, tests/fixtures.py); returns its
    atlas.toml."""
    from tests import fixtures as F

    F.write_two_period_inputs(tmp, kegiatan=True)
    (tmp / "atlas.toml").write_text(f'region = "36.73"\n[boundaries]\npath = "{SERANG}"\n'
                                    + F.two_period_toml(scopes=scopes, kegiatan=True), encoding="utf-8")
    return tmp / "atlas.toml"


def _timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, every thread): CPU time also reads true on a shared, loaded machine."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def main(config: str | None, runs: int = 2) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = Path(config).resolve() if config else builtin_inputs(tmp)
        cfg = load_config(path)
        region = "36.73"
        atlas, pack = [], []
        for i in range(runs):  # each whole: boundaries, read, join, analyse, plan, draw (and the pack's documents);
            # best of runs, so the first run's imports and font caches are not charged to either side
            atlas.append(_timed(lambda: build_region(cfg, region, tmp / f"atlas{i}", load_boundaries(cfg, region))))
            pack.append(_timed(lambda: build_rembuk(cfg, region, tmp / f"pack{i}", load_boundaries(cfg, region))))
        (a, ac), (p, pc) = min(atlas), min(pack)
        files = sorted(f.name for f in (tmp / "pack0").iterdir())
        load = os.getloadavg()[0]
        print(f"Kota Serang ({path.name if config else 'built-in config'}), best of {runs}, load average {load:.1f} on "
              f"{os.cpu_count()} cores: atlas alone {a:.1f} s wall / {ac:.1f} s CPU; whole pack ({', '.join(files)}) "
              f"{p:.1f} s wall / {pc:.1f} s CPU; pack / atlas = {p / a:.2f} wall, {pc / ac:.2f} CPU; "
              f"goal < {GOAL:.0f} s wall: {'met' if p < GOAL else 'NOT met'}")

if __name__ == "__main__":
    argv = sys.argv
    main(argv[argv.index("--config") + 1] if "--config" in argv else None,
         int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 2)
