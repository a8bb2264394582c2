"""render.static.place_label: where a label goes when every place round its point meets a circle."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from serang_gis.render.static import place_label  # noqa: E402


def test_a_label_with_no_free_place_sits_over_a_circles_edge_not_its_centre():
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    try:
        px_per_pt = fig.dpi / 72
        centre = (0.5, 0.5)
        cx, cy = ax.transData.transform(centre)
        inv = ax.transData.inverted()
        # a small circle at the label's point, and eight large ones round it: every place the label may take meets one
        discs = [(0.5, 0.5, 5.0)]
        for k in range(8):
            a = k * math.pi / 4
            x, y = inv.transform((cx + 60 * px_per_pt * math.cos(a), cy + 60 * px_per_pt * math.sin(a)))
            discs.append((x, y, 55.0))
        label = place_label(ax, "Cipocok Jaya", centre, discs, [], fontsize=7, fontweight="bold")
        assert label is not None  # not left out: there are places off every other label
        box = label.get_window_extent(fig.canvas.get_renderer())
        hidden = [d for d in discs if box.contains(*ax.transData.transform(d[:2]))]
        assert hidden == []  # before: drawn at its point, over the small circle's centre (the circle hidden)
    finally:
        plt.close(fig)
