"""Benchmark the kelurahan map of Kota Serang against geopandas.explore on the same polygons and tooltip fields.

Both maps are made in this run from the same joined layer (generated indicator values); the
figures are bytes and seconds, and their ratios.

    python3 benchmarks/bench_maps.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import fixtures as F  # noqa: E402  (generated office tables with known truth)

from serang_gis import read_kelurahan  # noqa: E402
from serang_gis.join.tables import join_tables  # noqa: E402
from serang_gis.render.leaflet import assets  # noqa: E402
from serang_gis.render.leaflet.indicator import indicator_spec  # noqa: E402
from serang_gis.read.tables import read_table  # noqa: E402

SERANG = ROOT.parent / "shared" / "data" / "boundaries" / "kota_serang_kelurahan.geojson"
TOOLTIP = ["kelurahan", "kecamatan", "prevalensi_stunting"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        F.write_messy_xlsx(tmp / "s.xlsx", F.truth_aggregate(), wrong_row=False)
        kel = read_kelurahan(SERANG).kelurahan
        joined, _ = join_tables(kel, [read_table(tmp / "s.xlsx")])

        t0 = time.perf_counter()
        m = joined[TOOLTIP + ["geometry"]].explore(column="prevalensi_stunting", tooltip=TOOLTIP)
        m.save(tmp / "explore.html")
        t_explore = time.perf_counter() - t0

        t0 = time.perf_counter()
        spec = indicator_spec(joined, "prevalensi")
        spec.save(tmp / "ours.html")
        t_ours = time.perf_counter() - t0
        indicator_spec(joined, "prevalensi").save(tmp / "ours_offline.html", offline=True)

        explore = (tmp / "explore.html").stat().st_size
        ours = (tmp / "ours.html").stat().st_size
        own_js = sum(len(a.text.encode()) for a in assets.load() if a.name in assets.OWN)
        offline = (tmp / "ours_offline.html").stat().st_size
    rows = [
        ("geopandas.explore (baseline)", explore, 1.0, t_explore),
        ("serang-gis map, HTML", ours, ours / explore, t_ours),
        ("serang-gis map, HTML + atlas.js/css", ours + own_js, (ours + own_js) / explore, None),
        ("serang-gis --offline (Leaflet inlined)", offline, offline / explore, None),
    ]
    print(f"{'map of Kota Serang (67 kelurahan, tooltips)':<42}{'bytes':>10}{'ratio':>8}{'seconds':>9}")
    for name, size, ratio, secs in rows:
        print(f"{name:<42}{size:>10,}{ratio:>8.2f}{(f'{secs:.2f}' if secs is not None else ''):>9}")
    print("explore and the online serang-gis map both load Leaflet from elsewhere (a CDN / lib/); the offline file carries it.")


if __name__ == "__main__":
    main()
