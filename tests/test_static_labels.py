"""render.static.place_label: where a label goes when every place round its point meets a circle."""

import math

import matplotlib
import pytest

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


def test_a_rare_class_is_at_most_three_units_and_under_a_tenth():
    import geopandas as gpd
    from shapely.geometry import box as square

    from serang_gis.render.static import rare_units

    units = gpd.GeoDataFrame(geometry=[square(i, 0, i + 1, 1) for i in range(40)])
    colors = ["green"] * 33 + ["orange"] + ["grey"] * 2 + ["red"] * 4
    rare = rare_units(units, colors)
    assert rare is not None and math.isclose(rare.area, 3.0)  # the one orange and the two grey: the four red are not rare
    assert rare.contains(square(33.2, 0.2, 33.8, 0.8)) and not rare.intersects(square(36.2, 0.2, 36.8, 0.8))
    assert rare_units(units.iloc[:10], ["a"] * 5 + ["b"] * 5) is None  # no class rare: nothing to avoid


def test_a_label_keeps_off_a_rare_unit_it_would_sit_on():
    from shapely.geometry import box as square

    fig, ax = plt.subplots(figsize=(4, 4))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    try:
        rare = square(0.45, 0.45, 0.55, 0.55)  # the label's own point is inside it
        label = place_label(ax, "Serang", (0.5, 0.5), [], [], avoid=rare, fontsize=9, fontweight="bold")
        from matplotlib.text import Text

        words = Text.get_window_extent(label, fig.canvas.get_renderer())
        (x0, y0), (x1, y1) = ax.transData.inverted().transform([(words.x0, words.y0), (words.x1, words.y1)])
        assert not rare.intersects(square(x0, y0, x1, y1))  # before: drawn at its point, over the unit
    finally:
        plt.close(fig)


@pytest.fixture(scope="module")
def serang_plan(tmp_path_factory):
    """The plan of the users' one-line config (``region = "36.73"``), static maps on, as ``rembuk`` draws them."""
    from serang_gis.analysis.atlas import analyse
    from serang_gis.join.atlas import join_atlas
    from serang_gis.pipeline import load_boundaries
    from serang_gis.plan.atlas import plan_atlas
    from serang_gis.read.config import load_config
    from serang_gis.read.inputs import read_inputs

    tmp = tmp_path_factory.mktemp("labels")
    (tmp / "atlas.toml").write_text('region = "36.73"\n[maps]\nstatic = true\n', encoding="utf-8")
    cfg = load_config(tmp / "atlas.toml")
    inputs = read_inputs(cfg)
    joined = join_atlas(load_boundaries(cfg, "36.73"), inputs, "36.73")
    return plan_atlas(joined, analyse(joined, inputs, "36.73"), inputs.settings, "36.73")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("where", ["atlas", "slide"])
def test_kecamatan_labels_keep_off_the_one_belum_odf_kelurahan_and_the_circles(serang_plan, where, lang):
    """recheck11 H2/M1: on the printed map and the slide, the "Serang" label sat over Kaligandu, the only "Belum ODF"
    kelurahan, and on the slide "Serang", "Curug" and "Cipocok Jaya" over circles. Each kecamatan label's words now
    keep off Kaligandu's polygon and off every circle drawn."""
    from matplotlib.collections import PathCollection
    from matplotlib.text import Text
    from shapely.geometry import box as square

    from serang_gis.core.geometry import utm_crs
    from serang_gis.render.rembuk import figures
    from serang_gis.render.static import layer_figure

    st = next(s for p in serang_plan.pages for s in p.statics if s.stem == "peta_kelurahan")
    frame = st.frame
    odf = frame["status_odf"].astype(str)
    assert (odf == "Belum ODF").sum() == 1 and frame.loc[odf == "Belum ODF", "kelurahan"].iloc[0] == "Kaligandu"
    if where == "atlas":
        fig, _ = layer_figure(frame, st.layer, title=st.title, subtitle=st.subtitle, source=st.source,
                              outlines=figures._outlines(serang_plan, frame), lang=lang, **figures.drawn_over(st))
    else:
        shown = type("Shown", (), {"static": st})()
        fig = figures.slide_figure(serang_plan, shown, lang, [])
    try:
        ax = fig.axes[0]
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        kaligandu = frame[odf == "Belum ODF"].to_crs(utm_crs(frame)).geometry.iloc[0]
        names = set(serang_plan.units.kecamatan["kecamatan"].astype(str))
        labels = [x for x in ax.texts if x.get_text() in names]
        assert {x.get_text() for x in labels} == names  # every kecamatan named
        scatter = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets()) > 1]  # the map's circles
        discs = [(ax.transData.transform(xy), math.sqrt(s / math.pi) * fig.dpi / 72)
                 for c in scatter for xy, s in zip(c.get_offsets(), c.get_sizes())]
        assert len(discs) >= 15  # the reported cases' circles
        for label in labels:
            words = Text.get_window_extent(label, renderer)
            (x0, y0), (x1, y1) = ax.transData.inverted().transform([(words.x0, words.y0), (words.x1, words.y1)])
            assert not kaligandu.intersects(square(x0, y0, x1, y1)), label.get_text()
            for (cx, cy), r in discs:
                nx, ny = min(max(cx, words.x0), words.x1), min(max(cy, words.y0), words.y1)
                assert math.hypot(nx - cx, ny - cy) >= r, (label.get_text(), (cx, cy, r))
    finally:
        plt.close(fig)


@pytest.mark.parametrize("far", [False, True])
def test_a_label_s_worked_out_box_is_the_box_matplotlib_gives_its_annotation(far):
    """``_LabelBox`` works out each offset's box from one measurement (matplotlib private behaviour: the words' box and
    where the leader line is clipped). If a matplotlib release changes either, this fails, not the maps silently."""
    import matplotlib.pyplot as plt

    from serang_gis.render import static

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 60)
    renderer = fig.canvas.get_renderer()
    style = {"fontsize": 9, "fontweight": "bold", "zorder": 5}
    measure = static._LabelBox(ax, "Cipocok Jaya", (40, 30), style, renderer)
    for dx, dy in [(0, 0), (0, -14), (0, 14), (14, 0), (-14, 0), (30, -30), (-45, 45), (60, 0), (0, -70)]:
        ha = "center" if dx == 0 else ("left" if dx > 0 else "right")
        va = "center" if dy == 0 else ("bottom" if dy > 0 else "top")
        label = ax.annotate("Cipocok Jaya", (40, 30), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                            path_effects=static.HALO, arrowprops=static.LEADER if far else None, **style)
        want = label.get_window_extent(renderer)
        label.remove()
        got = measure.box(dx, dy, ha, va, far)
        assert abs(got.x0 - want.x0) < 1e-6 and abs(got.x1 - want.x1) < 1e-6, (dx, dy, got, want)
        assert abs(got.y0 - want.y0) < 1e-6 and abs(got.y1 - want.y1) < 1e-6, (dx, dy, got, want)
    plt.close(fig)
