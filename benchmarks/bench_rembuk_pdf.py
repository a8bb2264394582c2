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
SERANG = ROOT.parent / "shared" / "data" / "boundaries" / "kota_serang_kelurahan.geojson"

from serang_gis.analysis.atlas import analyse  # noqa: E402
from serang_gis.join.atlas import join_atlas  # noqa: E402
from serang_gis.pipeline import load_boundaries  # noqa: E402
from serang_gis.plan.atlas import plan_atlas  # noqa: E402
from serang_gis.read.config import load_config  # noqa: E402
from serang_gis.read.inputs import read_inputs  # noqa: E402
from serang_gis.render.atlas import write_atlas  # noqa: E402
from serang_gis.render.rembuk.documents import write_pdfs  # noqa: E402
from tests import fixtures as F  # noqa: E402
from tests import kegiatan_fixtures as K  # noqa: E402

CONFIG = f"""region = "36.73"
[boundaries]
path = "{SERANG}"
[[data]]
path = "sasaran_2021.xlsx"
period = "2021"
[[data]]
path = "sasaran_2023.xlsx"
period = "2023"
[maps]
scopes = ["kota"]
change = [["2021", "2023"]]
static = true
[rank]
lokus = "2022"
draws = 200
seed = 3
[[kegiatan]]
path = "aksi2.xlsx"
year = 2023
"""


def main(runs: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for seed, period in ((1, "2021"), (2, "2023")):
            F.write_messy_xlsx(tmp / f"sasaran_{period}.xlsx", F.truth_aggregate(seed), wrong_row=False, year=period)
        K.write_xlsx(tmp / "aksi2.xlsx", K.make_activities())
        (tmp / "atlas.toml").write_text(CONFIG, encoding="utf-8")
        start = time.perf_counter()
        cfg = load_config(tmp / "atlas.toml")
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
