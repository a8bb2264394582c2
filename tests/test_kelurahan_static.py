"""Planner walk 11, H1: the kelurahan page's static map (PNG, PDF, thumbnail, the rembuk's figures of it) shows what its
HTML page shows: the ODF fill, the lokus 2021 (black, dashed) and 2022 (purple) outlines and the reported cases as
circles whose size legend names their periods, titled so, with the lokus, ODF and counts' sources."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.shared_data

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


@pytest.fixture(scope="module")
def built(default_build):
    """The default atlas (conftest's ``default_build``, built once per run)."""
    return default_build[0]


@pytest.fixture(scope="module")
def layers(serang_path):
    from serang_gis import read_kelurahan
    from serang_gis.join.atlas import build_layers

    return build_layers(read_kelurahan(serang_path), dt.date(2025, 10, 1))


def _static(layers, lang):
    from serang_gis.plan import layers as plan
    from serang_gis.plan.atlas import _embedded_statics

    u = plan.units(layers.kelurahan)
    layers.kelurahan = u.kelurahan
    odf = plan.odf_layer(u.kelurahan, lang=lang, title="Status ODF")
    (st,), _ = _embedded_statics(layers, odf, u, lang)
    return st, u


def _near(rgb: np.ndarray, hexcolor: str, tol: int) -> np.ndarray:
    from matplotlib.colors import to_rgb

    want = np.array([round(c * 255) for c in to_rgb(hexcolor)])
    return (np.abs(rgb[..., :3].astype(int) - want) <= tol).all(axis=-1)


def test_the_png_legend_names_the_lokus_lines_after_the_odf_classes(built):
    from PIL import Image

    with Image.open(built / "peta_kelurahan.png") as im:
        legend = json.loads(im.text["Legend"])
        rgb = np.asarray(im.convert("RGB"))
    kel = pd.read_csv(built / "kelurahan.csv", encoding="utf-8-sig", dtype=str)
    old = kel[kel["status_odf"] == "Belum ODF"]  # one kelurahan, reported in 2022: its date printed with it (recheck11 M6)
    assert len(old) == 1 and old["tanggal_odf"].iloc[0] < "2024"
    belum = f"Belum ODF\n({old['kelurahan'].iloc[0]}, laporan {old['tanggal_odf'].iloc[0]})"
    assert legend == [["ODF deklarasi", "#66bd63"], [belum, "#f46d43"], ["Tidak ada data", "#d9d9d9"],
                      ["Lokus 2021", "#000000"], ["Lokus 2022", "#7b3294"], ["Batas kecamatan", "#222222"]]
    assert _near(rgb, "#7b3294", 12).sum() > 2000  # the 19 lokus 2022 outlines drawn in purple, not only the legend's line
    with Image.open(built / "peta_kelurahan_thumb.png") as th:  # the index card's picture is that map, lokus and all
        small = np.asarray(th.convert("RGB"))
    assert _near(small, "#7b3294", 40).sum() > 100


@needs_poppler
def test_the_pdf_is_titled_by_what_it_shows_and_names_periods_and_sources(built):
    text = subprocess.run(["pdftotext", "-layout", str(built / "peta_kelurahan.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "Lokus stunting, status ODF dan kasus dilaporkan" in flat
    assert "Status ODF (per" not in flat.split("Kota Serang")[0]  # no longer titled as the ODF map alone
    assert "ODF per 2025-12-31" in flat and "Balita stunting dilaporkan (2023–2024-07)" in flat
    assert "52 balita" in flat and "13 balita" in flat and "Lokus 2021" in flat and "Lokus 2022" in flat
    for said in ("SK Walikota 440/Kep.280-Huk/2021", "Sinergitas", "kim.serangkota.go.id", "tangerangekspres.disway.id",
                 "bantenintens.co.id", "wilayah_boundaries"):
        assert said in flat, said


def _to_pixels(ax, geom, height: float):
    """A geometry in the axes' data units (UTM) as display pixels, rows counted from the top (an image's)."""
    import shapely

    def f(xy):
        px = ax.transData.transform(xy)
        return np.column_stack([px[:, 0], height - px[:, 1]])

    return shapely.transform(geom, f)


def test_lokus_2022_solid_purple_and_lokus_2021_dashed_black_and_labels_clear_of_the_circles(layers):
    """Drawn as the atlas draws it: along a 2022-only outline (away from other lines and the circles) nearly every
    pixel is purple; along a 2021-only outline the black is broken by gaps (dashed). No kecamatan label meets a circle."""
    import matplotlib.pyplot as plt
    import shapely

    from serang_gis.core.geometry import utm_crs
    from serang_gis.render.static import layer_figure

    st, u = _static(layers, "id")
    kec = u.kecamatan[["kecamatan", "geometry"]]
    fig, _ = layer_figure(st.frame, st.layer, title=st.title, subtitle=st.subtitle, source=st.source, outlines=kec, lang="id",
                          overlays=st.overlays, circles=st.circles)
    try:
        fig.canvas.draw()
        rgb = np.asarray(fig.canvas.buffer_rgba())
        height = fig.bbox.height
        ax = fig.axes[0]
        utm = utm_crs(st.frame)
        kel = st.frame.to_crs(utm)
        on21 = kel["lokus_2021"].fillna(False).astype(bool).to_numpy()
        on22 = kel["lokus_2022"].fillna(False).astype(bool).to_numpy()
        line21 = _to_pixels(ax, shapely.union_all(kel[on21].boundary.values), height)
        line22 = _to_pixels(ax, shapely.union_all(kel[on22].boundary.values), height)
        kec_lines = _to_pixels(ax, shapely.union_all(kec.to_crs(utm).boundary.values), height)
        from matplotlib.collections import PathCollection

        discs = []
        for c in ax.collections:
            if isinstance(c, PathCollection) and len(c.get_offsets()):
                px = ax.transData.transform(c.get_offsets())
                discs += [(x, height - y, math.sqrt(s / math.pi) * fig.dpi / 72) for (x, y), s in zip(px, c.get_sizes())]
        assert len(discs) == 15  # the 15 kelurahan with reported counts

        def samples(line, away):
            """Points every pixel along ``line``, 5 px or more from every line in ``away`` and from every circle."""
            pts = [line.interpolate(d) for d in np.arange(0, line.length, 1.0)]
            far = [p for p in pts if all(g.distance(p) >= 5 for g in away)
                   and all(math.hypot(p.x - x, p.y - y) > r + 4 for x, y, r in discs)]
            return [rgb[int(round(p.y)), int(round(p.x)), :3] for p in far]

        purple = samples(line22.difference(line21.buffer(1)), [line21, kec_lines])
        assert len(purple) > 200
        assert np.mean(_near(np.array(purple), "#7b3294", 40)) > 0.9  # solid purple
        black = samples(line21.difference(line22.buffer(1)), [line22, kec_lines])
        assert len(black) > 200
        dark = np.mean(np.array(black).max(axis=1) < 60)
        assert 0.35 < dark < 0.9, dark  # black dashes with gaps between them: neither solid nor missing

        renderer = fig.canvas.get_renderer()
        labels = [x for x in ax.texts if x.get_text() in set(kec["kecamatan"])]
        assert len(labels) >= 5
        for label in labels:
            box = label.get_window_extent(renderer)
            for c in ax.collections:
                if isinstance(c, PathCollection) and len(c.get_offsets()):
                    for (x, y), s in zip(ax.transData.transform(c.get_offsets()), c.get_sizes()):
                        r = math.sqrt(s / math.pi) * fig.dpi / 72
                        nx, ny = min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)
                        assert math.hypot(nx - x, ny - y) >= r, label.get_text()
        legends = [c for c in ax.get_children() if c.__class__.__name__ == "Legend"]
        boxes = [leg.get_window_extent(renderer) for leg in legends]
        assert len(boxes) == 2 and not boxes[0].overlaps(boxes[1])  # the long class legend and the size legend apart
    finally:
        plt.close(fig)


@pytest.mark.parametrize("lang, title, heading, lokus, cases", [
    ("id", "Lokus stunting, status ODF dan kasus dilaporkan", "Balita stunting dilaporkan (2023–2024-07)", "SK Walikota",
     "kasus: pemberitaan 2023–2024-07"),
    ("en", "Stunting lokus, ODF status and reported cases", "Reported stunted toddlers (2023–2024-07)", "mayoral decree",
     "cases: news reports 2023–2024-07"),
])
def test_the_plan_titles_and_sources_in_each_language(layers, lang, title, heading, lokus, cases):
    st, _ = _static(layers, lang)
    assert st.title == title and st.circles.title == heading and st.circles.column == "stunting_dilaporkan"
    assert [(o.title, o.color, o.dash) for o in st.overlays] == [("Lokus 2021", "#000000", True), ("Lokus 2022", "#7b3294", False)]
    assert cases in st.subtitle and "2025-10-01" in st.subtitle
    assert lokus in st.source and "bantenintens.co.id" in st.source and "banten.tribunnews.com" in st.source
    foreign = ("Sumber", "pemberitaan", "kasus") if lang == "en" else ("Source", "news reports", "cases:")
    assert not any(w in st.title + st.subtitle + st.source + st.circles.title for w in foreign)


def test_the_slide_and_the_report_show_the_same_lokus_and_circles(layers):
    """The rembuk pack redraws this map for its slide (16:9, 15 pt): its legends stay inside the figure and apart, the
    lokus lines and the circles' heading among them; the report's printed legend lists the same items."""
    import matplotlib.pyplot as plt

    from serang_gis.render.rembuk.facts import static_legend
    from serang_gis.render.rembuk.figures import SLIDE, SLIDE_PT
    from serang_gis.render.static import layer_figure

    st, u = _static(layers, "id")
    fig, _ = layer_figure(st.frame, st.layer, title="", subtitle="", source="", outlines=u.kecamatan[["kecamatan", "geometry"]],
                          lang="id", size=SLIDE, font=SLIDE_PT, overlays=st.overlays, circles=st.circles)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legends = [c for c in fig.axes[0].get_children() if c.__class__.__name__ == "Legend"]
        boxes = [leg.get_window_extent(renderer) for leg in legends]
        assert len(boxes) == 2 and not boxes[0].overlaps(boxes[1])
        for e in boxes:
            assert e.y0 >= 0 and e.y1 <= fig.bbox.height and e.x1 <= fig.bbox.width, (e, fig.bbox)
        texts = [x.get_text() for leg in legends for x in leg.get_texts()] + [leg.get_title().get_text() for leg in legends]
        assert "Lokus 2021" in texts and "Lokus 2022" in texts and "52 balita" in texts
        assert any("Balita stunting dilaporkan" in x and "2024-07" in x for x in texts)
    finally:
        plt.close(fig)
    items = static_legend(st, "id")
    old = st.frame[st.frame["status_odf"].astype(str) == "Belum ODF"]  # its report's date under it, as on the map
    belum = f"Belum ODF\n({old['kelurahan'].iloc[0]}, laporan {old['tanggal_odf'].iloc[0]})"
    assert [it["label"] for it in items] == ["ODF deklarasi", belum, "Tidak ada data", "Lokus 2021", "Lokus 2022", "Batas kecamatan",
                                             "Balita stunting dilaporkan (2023–2024-07)", "52 balita", "13 balita"]
    assert [it.get("line") for it in items[3:6]] == ["dashed", "solid", "thin"]  # the kecamatan outlines, as the PNG's legend
