"""Funnel plot of stunting prevalence against toddlers measured (Spiegelhalter 2005), as a PNG.

Each kelurahan is a point (x: balita diukur, y: prevalence); the funnel is the 95 % and 99.8 %
control limits around the kab/kota rate. Kelurahan rates usually differ by far more than binomial
chance (e-PPGBM is close to a census of genuinely different kelurahan: phi can exceed 20), so plain binomial
limits would flag most kelurahan. By default the limits are therefore widened for overdispersion
(Spiegelhalter 2005, multiplicative): phi is the mean squared z-score after winsorising the
z-scores at their 10th and 90th percentiles, and the limits are target +- z sqrt(phi) sd(n); with
phi <= 1 they are the exact binomial limits unchanged (``stats.funnel_limits_adjusted``). The
unadjusted limits are drawn as thin lines. Only a kelurahan outside the ADJUSTED limits is named
("berbeda nyata"); how many lie outside the unadjusted ones is given as a count.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from serang_gis.core import stats
from serang_gis.core.indicators import _num, stunted
from serang_gis.core.numbers import number
from serang_gis.core.text import t
from serang_gis.output.writers import save_figure

LEVELS = {"99,8 %": 99.8, "95 %": 95.0}  # the limit a point lies outside, as the points table names it -> percent


METHODS = ("multiplicative", "additive")


@dataclass
class Funnel:
    target: float  # kab/kota rate, percent
    points: pd.DataFrame  # kode_kel, kelurahan, balita_diukur, prevalensi, z, batas (the widest ADJUSTED limit it lies outside), arah, batas_tanpa_penyesuaian
    outside: list[dict] = field(default_factory=list)  # outside the adjusted 95 % limits: kode_kel, kelurahan, level, side
    path: Path | None = None
    phi: float = 1.0  # overdispersion: mean squared winsorised z-score
    tau2: float = 0.0  # additive between-kelurahan variance (proportion squared); used only by method "additive"
    method: str = "multiplicative"
    unadjusted: dict = field(default_factory=dict)  # {"95 %": count, "99,8 %": count} outside the unadjusted limits

    @property
    def adjusted(self) -> bool:
        """Whether the limits drawn and judged differ from the plain binomial ones."""
        return self.tau2 > 0 if self.method == "additive" else self.phi > 1

    def limits(self, n, level: float, adjusted: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper limits (proportions) at sizes n: adjusted for overdispersion, or plain binomial."""
        t = self.target / 100
        if not adjusted:
            return stats.funnel_limits(t, n, level)
        if self.method == "additive":
            return stats.funnel_limits_adjusted(t, n, level, tau2=self.tau2)
        return stats.funnel_limits_adjusted(t, n, level, phi=self.phi)


def _outside_level(fun: Funnel, n, p, adjusted: bool) -> np.ndarray:
    """'99,8 %', '95 %' or '' per point: the widest limit it lies outside."""
    lo95, hi95 = fun.limits(n, 0.95, adjusted)
    lo998, hi998 = fun.limits(n, 0.998, adjusted)
    return np.select([(p > hi998) | (p < lo998), (p > hi95) | (p < lo95)], ["99,8 %", "95 %"], default="")


def funnel_data(frame: pd.DataFrame, *, method: str = "multiplicative", winsor: float = stats.WINSOR) -> Funnel:
    """Points, phi and the limits each lies outside; the target is sum(stunted) / sum(measured) over the kelurahan with data.

    ``method`` "multiplicative" (default: limits widened by sqrt(phi)) or "additive" (a between-kelurahan
    variance tau^2 added, DerSimonian-Laird); ``winsor`` the share winsorised at each end before phi.
    """
    if method not in METHODS:
        raise ValueError(f"funnel overdispersion method {method!r}: choose one of {', '.join(METHODS)}")
    k, n = stunted(frame).astype(float), _num(frame, "balita_diukur").astype(float)
    ok = (n > 0) & k.notna()
    if not ok.any():
        raise ValueError("no kelurahan has toddlers measured: there is nothing to draw a funnel plot of")
    target = float(k[ok].sum() / n[ok].sum())
    pts = pd.DataFrame({"kode_kel": frame.get("kode_kel"), "kelurahan": frame.get("kelurahan"),
                        "balita_diukur": n, "prevalensi": k / n * 100, "z": stats.funnel_z(k, n, target)})[ok.to_numpy()]
    phi = stats.overdispersion(k[ok], n[ok], target, winsor)
    tau2 = stats.between_variance(k[ok], n[ok], target, phi) if method == "additive" else 0.0
    fun = Funnel(target * 100, pts, phi=phi, tau2=tau2, method=method)
    p, size = pts["prevalensi"].to_numpy() / 100, pts["balita_diukur"]
    plain = _outside_level(fun, size, p, adjusted=False)
    fun.unadjusted = {"95 %": int((plain != "").sum()), "99,8 %": int((plain == "99,8 %").sum())}
    pts["batas"] = pd.Series(_outside_level(fun, size, p, adjusted=True), index=pts.index, dtype="string").replace("", pd.NA)
    pts["batas_tanpa_penyesuaian"] = pd.Series(plain, index=pts.index, dtype="string").replace("", pd.NA)
    pts["arah"] = pd.Series(np.where(p > target, "atas", "bawah"), index=pts.index, dtype="string").where(pts["batas"].notna())
    fun.outside = [{"kode_kel": r.kode_kel, "kelurahan": r.kelurahan, "level": r.batas, "side": r.arah}
                   for r in pts[pts["batas"].notna()].sort_values(["batas", "prevalensi"], ascending=[False, False]).itertuples()]
    fun.points = pts.reset_index(drop=True)
    return fun


def _num_text(value: float, decimals: int, lang: str) -> str:
    return number(value, decimals, lang)


def phi_text(fun: Funnel, lang: str = "id") -> str:
    """The overdispersion line: phi and how the limits were widened (on the plot and in the index)."""
    lg = lang
    phi = _num_text(fun.phi, 2, lg)
    if not fun.adjusted:
        return t(lg, "funnel_phi_none", phi=phi)
    if fun.method == "additive":
        return t(lg, "funnel_tau", phi=phi, tau=_num_text(np.sqrt(fun.tau2) * 100, 1, lg))
    return t(lg, "funnel_phi", phi=phi, scale=_num_text(np.sqrt(fun.phi), 2, lg))


def _draw_limits(ax, fun: Funnel, xs: np.ndarray, lang: str) -> None:
    """Adjusted limits (or the plain ones when phi <= 1) as the funnel; the plain ones as thin dashed lines."""
    lg = lang
    if fun.adjusted:
        suffix = "tau" if fun.method == "additive" else "adj"
        labels = (t(lg, f"funnel_l95_{suffix}"), t(lg, f"funnel_l998_{suffix}"))
    else:
        labels = tuple(t(lang, "funnel.limits", level=number(v, 1, lang, trim=True)) for v in (95.0, 99.8))
    for level, style, label in ((0.95, "--", labels[0]), (0.998, "-", labels[1])):
        lo, hi = fun.limits(xs, level)
        ax.plot(xs, hi * 100, style, color="#333333", lw=1.1, label=label)
        ax.plot(xs, lo * 100, style, color="#333333", lw=1.1)
    if fun.adjusted:
        for i, level in enumerate((0.95, 0.998)):
            lo, hi = fun.limits(xs, level, adjusted=False)
            ax.plot(xs, hi * 100, linestyle=(0, (3, 3)), color="#999999", lw=0.6, label=t(lg, "funnel_l_plain") if i == 0 else None)
            ax.plot(xs, lo * 100, linestyle=(0, (3, 3)), color="#999999", lw=0.6)


def _save(fig, path: Path, dpi: int) -> None:
    """Through the package's one atomic write (no half-written PNG; the file gets the usual permissions)."""
    save_figure(fig, path, dpi=dpi)


DOTS = {"atas": ("#b2182b", "funnel.dot_above"), "bawah": ("#2166ac", "funnel.dot_below"), "": ("#8c8c8c", "funnel.dot_inside")}


def funnel_png(frame: pd.DataFrame, path, *, lang: str = "id", title: str | None = None, period: str | None = None,
               dpi: int = 150, method: str = "multiplicative") -> Funnel:
    """Write the funnel plot PNG (adjusted limits, the unadjusted ones thin, phi stated) and return what it shows."""
    import matplotlib.pyplot as plt

    fig, fun = funnel_figure(frame, lang=lang, title=title, period=period, method=method)
    path = Path(path)
    try:
        _save(fig, path, dpi)
    finally:
        plt.close(fig)
    fun.path = path
    return fun


def funnel_figure(frame: pd.DataFrame, *, lang: str = "id", title: str | None = None, period: str | None = None,
                  method: str = "multiplicative"):
    """The funnel plot as a matplotlib figure (not saved) and its Funnel: the period in the title, every line and dot
    colour named in the legend, names that do not overlap, and a caption saying how to read it and what phi means."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    fun = funnel_data(frame, method=method)
    pts = fun.points
    xs = x_range(pts["balita_diukur"])
    fig, ax = plt.subplots(figsize=(8.5, 6.6))
    _draw_limits(ax, fun, xs, lang)
    ax.set_xlim(xs[0], xs[-1])
    ax.axhline(fun.target, color="#1f4e79", lw=1.2, label=t(lang, "funnel.target", rate=number(fun.target, 1, lang)))
    side = pts["arah"].fillna("").astype(str)
    ax.scatter(pts["balita_diukur"], pts["prevalensi"], s=24, c=side.map(lambda v: DOTS[v][0]).tolist(), zorder=3,
               edgecolors="white", linewidths=0.5)
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(subs=(1, 2, 3, 5)))  # 200, 300, 500, 1.000: a range within one decade still has ticks
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, 0, lang)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(t(lang, "funnel.x") + " (log)")
    ax.set_ylabel(t(lang, "funnel.y"))
    bottom, top, clipped = y_range(fun, xs)
    ax.set_ylim(bottom, top)
    head = title or t(lang, "funnel.title")
    ax.set_title(t(lang, "funnel.title_period", title=head, period=period) if period else head)
    dots = [Line2D([], [], marker="o", ls="", color=c, markeredgecolor="white", label=t(lang, key)) for c, key in DOTS.values()]
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + dots, loc="upper center", bbox_to_anchor=(0.5, -0.11), ncol=2, fontsize=7.5,
              frameon=False)  # under the axes: over them it would hide the limits of the smallest sizes
    meaning = t(lang, "funnel.phi_meaning" if fun.adjusted else "funnel.phi_meaning_none")
    said = t(lang, "funnel.read") + (" " + t(lang, "funnel.clipped", n=number(clipped, 0, lang)) if clipped else "")
    caption = textwrap.wrap(said, 120) + textwrap.wrap(phi_text(fun, lang) + ". " + meaning, 120)
    fig.text(0.01, 0.01, "\n".join(caption), fontsize=7.5, ha="left", va="bottom", color="#333333")
    fig.tight_layout(rect=(0, 0.03 + 0.019 * len(caption), 1, 1))  # the axes above the caption, whatever its lines
    fig.set_layout_engine(None)  # laid out once, here: tight_layout leaves a placeholder engine, and with any engine set
    #                              savefig draws the whole figure twice (a dry run first); the same bytes without it
    place_labels(ax, [(str(r.kelurahan), r.balita_diukur, r.prevalensi) for r in pts[pts["batas"].notna()].itertuples()],
                 others=list(zip(pts["balita_diukur"], pts["prevalensi"])))
    return fig, fun


def x_range(n: pd.Series) -> np.ndarray:
    """Sizes the limits are drawn at: the data's range with a margin of a quarter on the log axis each side
    (300-1400 toddlers give about 240-1750, not 1-1540)."""
    lo, hi = float(n.min()), float(n.max())
    return np.geomspace(max(lo / 1.25, 0.5), max(hi * 1.25, lo * 1.6), 240)


def y_range(fun: Funnel, xs: np.ndarray) -> tuple[float, float, float | None]:
    """Every dot and both limits (95 % and 99,8 %, as drawn) over the x range, with a small margin, 0-100 at most.

    Where the 99,8 % limit of the smallest sizes would stretch the axis past 1.25 times the highest dot (or 2.5 times
    the kab/kota rate), the axis stops there and the third value is the size below which that limit leaves the
    plot (said under it); else None."""
    lo, hi = (v * 100 for v in fun.limits(xs, 0.998))
    p = fun.points["prevalensi"].to_numpy(dtype=float)
    data_top = max(float(np.nanmax(p)), fun.target)
    cap = max(data_top * 1.25, fun.target * 2.5)
    low, high = min(float(np.nanmin(lo)), float(np.nanmin(p)), fun.target), max(float(np.nanmax(hi)), data_top)
    pad = (min(high, cap) - low) * 0.04
    if high + pad > cap and high > cap:
        return max(0.0, low - pad), min(100.0, cap), float(xs[hi > cap].max())
    return max(0.0, low - pad), min(100.0, high + pad), None


def place_labels(ax, items, fontsize: float = 7, others=()) -> list:
    """Name points without overlap (greedy): each label tries offsets around its point, nearest first, and takes
    the first whose box meets no label already placed nor the legend, stays inside the axes and is nearer its own
    point than any other dot (``others``: every dot drawn, (x, y) in data). Where no such place exists, the first
    free place is taken and a thin line leads back to the point; so does a label set far from its point."""
    renderer = ax.figure.canvas.get_renderer()
    dots = ax.transData.transform(np.asarray(list(others) or [(x, y) for _, x, y in items], dtype=float).reshape(-1, 2))
    steps = [(dx * r, dy * r) for r in (1, 2, 3, 4, 6, 8) for dx, dy in ((1, 1), (1, -1), (-1, 1), (-1, -1), (0, 1.4), (0, -1.4), (1.4, 0), (-1.4, 0))]
    legend = ax.get_legend()
    placed, texts = ([legend.get_window_extent(renderer)] if legend else []), []
    for name, x, y in sorted(items, key=lambda it: -it[2]):
        own = ax.transData.transform((x, y))
        found = _free_place(ax, name, (x, y), steps, placed, fontsize, renderer, lambda box: _nearest_own(box, own, dots))
        lead = found is None
        found = found or _free_place(ax, name, (x, y), steps, placed, fontsize, renderer, lambda box: _clear_of(box, own, dots))
        if found is None:  # no free place at all: the farthest try, kept (never seen on a kab/kota's few named kelurahan)
            found = (_label(ax, name, (x, y), steps[-1], fontsize), steps[-1])
        ann, (dx, dy) = found
        if lead or abs(dx) > 1.5 or abs(dy) > 1.5:  # set away from its point, or nearer another dot: a thin line leads back
            start = _leader_start(ann, own, renderer)
            ann.remove()
            ann = _label(ax, name, (x, y), (dx, dy), fontsize, arrowprops=dict(LEADER, **start))
        placed.append(ann.get_window_extent(renderer))
        texts.append(ann)
    return texts


LEADER = {"arrowstyle": "-", "color": "#555555", "lw": 0.6, "shrinkA": 0, "shrinkB": 2}


def _leader_start(label, end, renderer) -> dict:
    """Where a label's leader line starts: where the line from the label's centre to its dot leaves the box 2 points
    round the words, as matplotlib's default clipping finds it (``Annotation.update_positions``), but worked out here
    once, not by bisecting the line against the box at each drawing (a quarter of a large funnel plot's time). As a
    position relative to the words' box (``relpos``), which does not change with the resolution it is drawn at."""
    from matplotlib.text import Text

    from serang_gis.core.geometry import leader_exit

    label.update_positions(renderer)  # the words placed at their offset (a new annotation's are not yet)
    box = Text.get_window_extent(label, renderer)
    start = leader_exit(box.extents, end, renderer.points_to_pixels(4) / 2)
    if start is None:  # the dot inside the box: matplotlib's own clipping
        return {}
    x, y = start
    return {"patchA": None, "relpos": ((x - box.x0) / box.width, (y - box.y0) / box.height)}


def _label(ax, name: str, xy, step, fontsize: float, **kw):
    dx, dy = step
    return ax.annotate(name, xy, xytext=(5 * dx, 4 * dy), textcoords="offset points", fontsize=fontsize, zorder=4,
                       ha="left" if dx >= 0 else "right", va="bottom" if dy >= 0 else "top", **kw)


def _free_place(ax, name: str, xy, steps, placed, fontsize: float, renderer, fits):
    """The first offset whose label box stays in the axes, meets no placed box and ``fits``: (annotation, step) or None.

    The label is measured once; each offset's box is that size set at the offset (as ``_label`` aligns it), not an
    annotation made and measured per offset (48 offsets per name made the funnel plot of a large kab/kota take seconds)."""
    from matplotlib.transforms import Bbox

    frame = ax.get_window_extent(renderer)
    probe = _label(ax, name, xy, steps[0], fontsize)
    size = probe.get_window_extent(renderer)
    probe.remove()
    px, scale = ax.transData.transform(xy), ax.figure.dpi / 72
    taken = np.array([np.sort(b.extents.reshape(2, 2), axis=0).ravel() for b in placed]).reshape(-1, 4)  # x0 y0 x1 y1
    w, h = size.width, size.height
    for dx, dy in steps:
        x, y = px[0] + 5 * dx * scale, px[1] + 4 * dy * scale  # the offset in points, as _label sets it
        x0, y0 = (x if dx >= 0 else x - w), (y if dy >= 0 else y - h)
        if not (frame.x0 <= x0 and x0 + w <= frame.x1 and frame.y0 <= y0 and y0 + h <= frame.y1):
            continue
        # meets a placed box (Bbox.overlaps, edges touching included), all at once
        if (~((taken[:, 2] < x0) | (taken[:, 0] > x0 + w) | (taken[:, 3] < y0) | (taken[:, 1] > y0 + h))).any():
            continue
        if fits(Bbox.from_bounds(x0, y0, w, h)):
            return _label(ax, name, xy, (dx, dy), fontsize), (dx, dy)
    return None


def box_distance(box, xy) -> float:
    """Distance in pixels from a point to a box (0 inside it)."""
    return float(np.hypot(max(box.x0 - xy[0], 0, xy[0] - box.x1), max(box.y0 - xy[1], 0, xy[1] - box.y1)))


def box_distances(box, pts: np.ndarray) -> np.ndarray:
    """``box_distance`` to each of the points (n x 2), at once."""
    zero = np.zeros(len(pts))
    return np.hypot(np.maximum(np.maximum(box.x0 - pts[:, 0], zero), pts[:, 0] - box.x1),
                    np.maximum(np.maximum(box.y0 - pts[:, 1], zero), pts[:, 1] - box.y1))


def _other_dots(own, dots: np.ndarray) -> np.ndarray:
    """The dots not at ``own``'s pixel (within half a pixel)."""
    return dots[np.hypot(dots[:, 0] - own[0], dots[:, 1] - own[1]) > 0.5]


def _clear_of(box, own, dots, margin: float = 3.0) -> bool:
    """Whether the label box covers no other dot (a label led to its dot by a line may be nearer another one)."""
    return bool((box_distances(box, _other_dots(own, dots)) > margin).all())


def _nearest_own(box, own, dots) -> bool:
    """Whether the label box is nearer its own dot than any other dot (dots at the same pixel count as its own)."""
    mine = box_distance(box, own)
    return bool((box_distances(box, _other_dots(own, dots)) > mine).all())


def outside_text(fun: Funnel, lang: str = "id") -> str:
    """The kelurahan outside the ADJUSTED limits by name ("berbeda nyata"), phi, and how many lie
    outside the unadjusted limits as a count only (for the atlas and index.html)."""
    plain = "" if fun.adjusted else "_plain"
    if fun.outside:
        parts = [t(lang, "funnel.point", kelurahan=o["kelurahan"], side=t(lang, "funnel.above" if o["side"] == "atas" else "funnel.below"),
                   level=number(LEVELS[o["level"]], 1, lang, trim=True)) for o in fun.outside]
        named = t(lang, "funnel_named" + plain, names=", ".join(parts))
    else:
        named = t(lang, "funnel_none" + plain)
    words = [phi_text(fun, lang) + ".", named]
    if fun.adjusted:
        words.append(t(lang, "funnel_unadjusted", n95=fun.unadjusted.get("95 %", 0), n998=fun.unadjusted.get("99,8 %", 0)))
    return " ".join(words)
