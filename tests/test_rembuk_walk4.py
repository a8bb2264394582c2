"""Faults of the fourth TPPS walk (issue 22): proportional-circle legends as the map's circles, no-data units on
count maps, kelurahan labels on kecamatan maps, and what the pack's products say about gaps and matches.

The figure tests draw hand-made units (three squares far apart with known counts) through ``render.static``
and the report's Typst block template, render the PDF with poppler and measure the circles in pixels.
"""

from __future__ import annotations

import shutil
import subprocess
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from serang_gis.core.text import t

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")


def _squares(values, names=None) -> gpd.GeoDataFrame:
    """Squares of 1 km, 6 km apart (UTM 48S, near Serang), one per value: their circles never meet."""
    geoms = [box(620000 + 6000 * i, 9320000, 621000 + 6000 * i, 9321000) for i in range(len(values))]
    names = names or [f"Kel {i}" for i in range(len(values))]
    return gpd.GeoDataFrame({"kode_kel": [f"36.73.01.100{i}" for i in range(len(values))], "kelurahan": names,
                             "kode_kec": "36.73.01", "kecamatan": "Uji", "balita_stunting": values},
                            geometry=geoms, crs="EPSG:32748").to_crs("EPSG:4326")


def _layer(frame, lang="id"):
    from serang_gis.plan.layers import count_layer

    return count_layer(frame, "balita_stunting", lang=lang)


def _runs(mask: np.ndarray) -> list[tuple[int, int, int]]:
    """Each blob of True pixels (scipy's labelling) as (width, height, top row)."""
    from scipy import ndimage

    lab, n = ndimage.label(mask)
    out = []
    for sl in ndimage.find_objects(lab):
        out.append((sl[1].stop - sl[1].start, sl[0].stop - sl[0].start, sl[0].start))
    return out


def _near(rgb: np.ndarray, hexcolor: str, tol: int = 10) -> np.ndarray:
    from matplotlib.colors import to_rgb

    want = np.array(to_rgb(hexcolor)) * 255
    return (np.abs(rgb.astype(int) - want).max(axis=2) <= tol)


@needs_poppler
def test_report_legend_circles_have_the_map_circles_size_and_colour(tmp_path):
    """Walk 4 fault 6: the report's printed legend circles were ~60 % of the map circle of the same value and another
    red. Rendered at 144 dpi: the legend circle of 400 and of 100 equal the map circles of 400 and 100 (within 2 px),
    in the colour the translucent map circle shows."""
    from PIL import Image

    from serang_gis.plan.layers import BASE_COLOR
    from serang_gis.render.rembuk import figures
    from serang_gis.render.rembuk.facts import MapShown, legend_items
    from serang_gis.render.static import CIRCLE_ALPHA, blend, render_layer

    frame = _squares([400.0, 100.0, np.nan])
    layer = _layer(frame)
    png = tmp_path / "peta.png"
    render_layer(frame, layer, title="Judul", subtitle="", source="sumber", png=png)
    cut = figures.map_only(png, tmp_path)
    shown = MapShown("kasus", png, "Judul", legend_items(layer, frame, "id"), [], "sumber", True, False, None)
    block = shown.block("peta.png", cut)
    assert [it["label"] for it in block["legend"]] == ["400 balita", "100 balita", "Tidak ada data"]
    shutil.copy(cut, tmp_path / "peta.png")
    tpl = resources.files("serang_gis.render.rembuk").joinpath("templates", "blocks.typ").read_text(encoding="utf-8")
    (tmp_path / "blocks.typ").write_text(tpl, encoding="utf-8")
    import json

    (tmp_path / "b.json").write_text(json.dumps(block), encoding="utf-8")
    (tmp_path / "doc.typ").write_text('#import "blocks.typ": *\n#set page(paper: "a4", margin: 2cm)\n'
                                      '#render-block(json("b.json"), (legend: "Legenda", caveat: "Catatan"))\n', encoding="utf-8")
    import typst

    (tmp_path / "doc.pdf").write_bytes(typst.compile(str(tmp_path / "doc.typ"), root=str(tmp_path), ignore_system_fonts=True))
    subprocess.run(["pdftoppm", "-r", "144", "-png", "-singlefile", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True)
    rgb = np.asarray(Image.open(tmp_path / "page.png").convert("RGB"))
    shows = blend(layer.color, BASE_COLOR, CIRCLE_ALPHA)
    blobs = sorted(b for b in _runs(_near(rgb, shows, 14)) if b[0] > 5)
    assert len(blobs) == 4, blobs  # two map circles (400, 100) and two legend circles
    by_top = sorted(blobs, key=lambda b: b[2])
    maps_, legends = sorted(by_top[:2], reverse=True), sorted(by_top[2:], reverse=True)
    for (mw, mh, _), (lw, lh, _) in zip(maps_, legends):
        assert abs(mw - lw) <= 2 and abs(mh - lh) <= 2, (maps_, legends)
    assert maps_[0][0] > 1.8 * maps_[1][0]  # diameter ~ sqrt(count): 400 is twice 100


def _legends(fig):
    import matplotlib.legend

    return [c for c in fig.axes[0].get_children() if isinstance(c, matplotlib.legend.Legend)]


def test_slide_size_legend_is_whole_inside_the_figure_with_both_reference_circles(tmp_path):
    """Walk 4 fault 6: on slide 4 the size legend ran off the bottom of the figure (the 702-balita circle cut off).
    Drawn at the slide's size and font, every legend lies inside the figure; the no-data units are in the legend."""
    import matplotlib.pyplot as plt

    from serang_gis.render.rembuk.figures import SLIDE, SLIDE_PT
    from serang_gis.render.static import layer_figure

    frame = _squares([2808.0, 702.0, np.nan, 1500.0])
    kec = frame.dissolve("kecamatan").reset_index()[["kecamatan", "geometry"]]
    fig, _ = layer_figure(frame, _layer(frame), title="", subtitle="", source="", outlines=kec, lang="id", size=SLIDE, font=SLIDE_PT)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legends = _legends(fig)
    assert len(legends) == 2
    for leg in legends:
        e = leg.get_window_extent(renderer)
        assert e.y0 >= 0 and e.y1 <= fig.bbox.height and e.x1 <= fig.bbox.width, (e, fig.bbox)
    labels = [x.get_text() for leg in legends for x in leg.get_texts()]
    assert "2.808 balita" in labels and "702 balita" in labels and t("id", "no_data_class") in labels
    plt.close(fig)
