"""Which compact form for the packaged Kota Serang boundaries: bytes on disk, bytes in the wheel, exactness.

    python3 benchmarks/bench_package.py [SOURCE.geojson]

Each form is written from the source GeoJSON, read back, and compared with the source (identical WKB
and attributes = exact). "in wheel" is the zip-deflated size, as the file sits inside a wheel.
The wheel's own size and the wheel test's timings are in tests/output/wheel_test.json after
`python3 -m pytest tests/test_package.py`.
"""

from __future__ import annotations

import sys
import tempfile
import zlib
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "boundaries" / "kota_serang_kelurahan.geojson"


def exact(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> bool:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    same_attrs = a.drop(columns="geometry").reset_index(drop=True).equals(b.drop(columns="geometry").reset_index(drop=True))
    return bool(same_attrs and (shapely.to_wkb(a.geometry.array) == shapely.to_wkb(b.geometry.array)).all())


def main() -> None:
    src = pyogrio.read_dataframe(SOURCE)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        forms = {
            "GeoJSON (source)": (SOURCE, lambda p: pyogrio.read_dataframe(p)),
            "FlatGeobuf, no spatial index": (tmp / "k.fgb", lambda p: pyogrio.read_dataframe(p)),
            "FlatGeobuf, spatial index": (tmp / "k_idx.fgb", lambda p: pyogrio.read_dataframe(p)),
            "GeoParquet, brotli": (tmp / "k_brotli.parquet", gpd.read_parquet),
            "GeoParquet, zstd": (tmp / "k_zstd.parquet", gpd.read_parquet),
            "TopoJSON, quantised 1e6": (tmp / "k.topojson", None),
        }
        pyogrio.write_dataframe(src, tmp / "k.fgb", driver="FlatGeobuf", layer_options={"SPATIAL_INDEX": "NO"})
        pyogrio.write_dataframe(src, tmp / "k_idx.fgb", driver="FlatGeobuf")
        src.to_parquet(tmp / "k_brotli.parquet", compression="brotli")
        src.to_parquet(tmp / "k_zstd.parquet", compression="zstd")
        import topojson

        (tmp / "k.topojson").write_text(topojson.Topology(src, prequantize=1_000_000).to_json())
        for name, (path, reader) in forms.items():
            data = path.read_bytes()
            ok = exact(src, reader(path)) if reader else False
            rows.append((name, len(data), len(zlib.compress(data, 9)), "yes" if ok else "no"))
    print(f"source: {SOURCE}")
    print(f"{'form':32} {'bytes':>9} {'in wheel':>9} {'/source':>8}  exact")
    for name, size, deflated, ok in rows:
        print(f"{name:32} {size:9,} {deflated:9,} {size / rows[0][1]:8.2f}  {ok}")


if __name__ == "__main__":
    main()
