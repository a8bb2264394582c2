"""Issue 20, static figures: the kecamatan map's circles, their size legend and the labels, measured on the drawn
figure (artist extents in display pixels), in both languages."""

from __future__ import annotations

import datetime as dt
import math

import pytest

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def layers(serang_path):
    from serang_gis import read_kelurahan
    from serang_gis.join.atlas import build_layers

    return build_layers(read_kelurahan(serang_path), dt.date(2025, 10, 1))


def _kecamatan_figure(layers, lang):
    from serang_gis.plan import layers as plan
    from serang_gis.plan.atlas import _embedded_statics
    from serang_gis.render.static import layer_figure

    u = plan.units(layers.kelurahan)
    _, (st,) = _embedded_statics(layers, plan.odf_layer(u.kelurahan, lang=lang, title="x"), u, lang)
    fig, _ = layer_figure(st.frame, st.layer, title=st.title, subtitle=st.subtitle, source=st.source,
                          outlines=u.kecamatan[["kecamatan", "geometry"]], lang=lang)
    return fig, st, list(u.kecamatan["kecamatan"])


def _discs(ax):
    """Every data circle as (x, y, radius) in display pixels."""
    from matplotlib.collections import PathCollection

    circles = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets())]
    assert len(circles) == 1, circles
    c = circles[0]
    px = ax.transData.transform(c.get_offsets())
    return [(x, y, math.sqrt(s / math.pi) * ax.figure.dpi / 72) for (x, y), s in zip(px, c.get_sizes())]


@pytest.mark.parametrize("lang, heading, unit, source, foreign", [
    ("id", "Balita stunting", "balita", "Sumber: ", ("paper", "Table", "Source")),
    ("en", "Stunted toddlers", "toddlers", "Source: ", ("makalah", "Sumber", "lihat", "sementara")),
])
def test_kecamatan_map_size_legend_boxed_labels_clear_of_circles(layers, lang, heading, unit, source, foreign):
    import matplotlib.pyplot as plt

    from serang_gis.core.geometry import utm_crs
    from serang_gis.core.numbers import number

    fig, st, names = _kecamatan_figure(layers, lang)
    try:
        ax = fig.axes[0]
        renderer = fig.canvas.get_renderer()
        discs = _discs(ax)
        assert len(discs) == 6
        labels = [x for x in ax.texts if x.get_text() in names]
        assert sorted(x.get_text() for x in labels) == sorted(names)
        for label in labels:  # no label on any circle: the nearest point of its box is outside every disc
            box = label.get_window_extent(renderer)
            for cx, cy, r in discs:
                nx, ny = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
                assert math.hypot(nx - cx, ny - cy) >= r, (label.get_text(), box, (cx, cy, r))
            assert label.get_zorder() > max(c.get_zorder() for c in ax.collections)  # and drawn over them, with a halo
            assert label.get_path_effects()
        legend = ax.get_legend()
        assert legend is not None and legend.get_frame_on() and legend.get_title().get_text() == heading
        vmax = float(st.frame[st.layer.column].max())
        texts = [x.get_text() for x in legend.get_texts()]
        assert texts == [f"{number(vmax, 0, lang)} {unit}", f"{number(vmax / 4, 0, lang)} {unit}"]
        box, frame = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
        city = ax.transData.transform(st.frame.to_crs(utm_crs(st.frame)).total_bounds.reshape(2, 2))
        assert box.x0 > city[1][0], (box, city)  # the box stands beside the city, not over it
        assert box.x1 <= fig.bbox.x1 and box.x0 >= frame.x1 - 1
        fig.canvas.draw()
        drawn = []
        for handle in legend.legend_handles:  # each reference circle inside the box, none touching another
            (x, y), = handle.get_offset_transform().transform(handle.get_offsets())
            r = math.sqrt(handle.get_sizes()[0] / math.pi) * fig.dpi / 72
            assert box.x0 <= x - r and x + r <= box.x1 and box.y0 <= y - r and y + r <= box.y1, ((x, y, r), box)
            drawn.append((x, y, r))
        (xa, ya, ra), (xb, yb, rb) = drawn
        assert math.hypot(xa - xb, ya - yb) > ra + rb
        caption = " ".join(x.get_text() for x in fig.texts)
        assert source in caption and not any(w in caption for w in foreign), caption
    finally:
        plt.close(fig)


@pytest.mark.parametrize("lang, said", [("id", "makalah Sinergitas (2023), Tabel 1 (Dinas Kesehatan Kota Serang 2022)"),
                                        ("en", "Sinergitas paper (2023), Table 1 (Dinas Kesehatan Kota Serang 2022)")])
def test_kecamatan_sources_in_the_page_language(layers, lang, said):
    from serang_gis.plan import layers as plan
    from serang_gis.plan.atlas import embedded_counts, source_words

    assert source_words("paper Table 1 (Dinas Kesehatan Kota Serang 2022)", lang) == said
    assert source_words("https://x.id/a (reported 27 Jun 2023)", lang).endswith("(diberitakan 27 Jun 2023)" if lang == "id"
                                                                              else "(reported 27 Jun 2023)")
    counts = embedded_counts(layers, plan.units(layers.kelurahan), lang)
    first = counts[0]  # 2021: the paper's Table 1
    assert first.period == "2021" and first.source == said
    if lang == "id":
        assert not any("paper" in (c.source or "") or "reported" in (c.source or "") for c in counts)
