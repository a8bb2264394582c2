"""Benchmark the rembuk pack's two PDFs (issue 22) for Kota Serang against the atlas alone.

The atlas is the full config atlas the PDF tests build (two periods of generated Data Sasaran, static
maps, the rank against the 2022 lokus with 200 draws, a generated Aksi 2 matrix); the PDFs are typeset
from its plan and the static maps it drew. Wall seconds, best of ``--runs`` for the PDFs.

    python3 benchmarks/bench_rembuk_pdf.py [--runs 3]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from serang_gis.analysis.atlas import analyse  # noqa: E402
from serang_gis.join.atlas import join_atlas  # noqa: E402
from serang_gis.pipeline import load_boundaries  # noqa: E402
from serang_gis.plan.atlas import plan_atlas  # noqa: E402
from serang_gis.read.config import load_config  # noqa: E402
from serang_gis.read.inputs import read_inputs  # noqa: E402
from serang_gis.render.atlas import write_atlas  # noqa: E402
from serang_gis.render.rembuk.documents import write_pdfs  # noqa: E402
from bench_rembuk import builtin_inputs  # noqa: E402  (this folder, on the path when run as a script)



def main(runs: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = builtin_inputs(tmp, scopes=("kota",))  # the same inputs as bench_rembuk.py, whole-city maps only
        start = time.perf_counter()
        cfg = load_config(path)
        bounds = load_boundaries(cfg, "36.73")
        inputs = read_inputs(cfg)
        joined = join_atlas(bounds, inputs, "36.73")
        plan = plan_atlas(joined, analyse(joined, inputs, "36.73"), inputs.settings, "36.73")
        result = write_atlas(plan, tmp / "atlas", bounds)
        atlas = time.perf_counter() - start
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            written = write_pdfs(plan, result, tmp / "rembuk")
            times.append(time.perf_counter() - start)
        pdfs = min(times)
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in written)
        print(f"Kota Serang: atlas {atlas:.1f} s; two PDFs {pdfs:.2f} s (best of {runs}; {sizes}); "
              f"PDFs / atlas = {pdfs / atlas:.3f}; atlas + PDFs {atlas + pdfs:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3)
