"""Funnel plot of stunting prevalence against toddlers measured (Spiegelhalter 2005), as a PNG.

Each kelurahan is a point (x: balita diukur, y: prevalence); the funnel is the 95 % and 99.8 %
control limits around the kab/kota rate (exact binomial, ``stats.funnel_limits``). A kelurahan
outside a limit is named on the plot and listed in the result, so that a planner sees which
figures differ from the city by more than chance and which only look extreme because few
toddlers were measured.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from serang_gis.core import stats
from serang_gis.core.indicators import _num, stunted
from serang_gis.core.numbers import number
from serang_gis.core.text import t

LEVELS = {"99,8 %": 99.8, "95 %": 95.0}  # the limit a point lies outside, as the points table names it -> percent


@dataclass
class Funnel:
    target: float  # kab/kota rate, percent
    points: pd.DataFrame  # kode_kel, kelurahan, balita_diukur, prevalensi, batas (the widest limit it lies outside), arah
    outside: list[dict] = field(default_factory=list)  # kelurahan outside the 95 % limits: kode_kel, kelurahan, level, side
    path: Path | None = None


def funnel_data(frame: pd.DataFrame) -> Funnel:
    """Points and the limits each lies outside; the target is sum(stunted) / sum(measured) over the kelurahan with data."""
    k, n = stunted(frame).astype(float), _num(frame, "balita_diukur").astype(float)
    ok = (n > 0) & k.notna()
    if not ok.any():
        raise ValueError("no kelurahan has toddlers measured: there is nothing to draw a funnel plot of")
    target = float(k[ok].sum() / n[ok].sum())
    pts = pd.DataFrame({"kode_kel": frame.get("kode_kel"), "kelurahan": frame.get("kelurahan"),
                        "balita_diukur": n, "prevalensi": k / n * 100})[ok.to_numpy()]
    lo95, hi95 = stats.funnel_limits(target, pts["balita_diukur"], 0.95)
    lo998, hi998 = stats.funnel_limits(target, pts["balita_diukur"], 0.998)
    p = pts["prevalensi"].to_numpy() / 100
    level = np.select([(p > hi998) | (p < lo998), (p > hi95) | (p < lo95)], ["99,8 %", "95 %"], default="")
    pts["batas"] = pd.Series(level, index=pts.index, dtype="string").replace("", pd.NA)
    pts["arah"] = pd.Series(np.where(p > target, "atas", "bawah"), index=pts.index, dtype="string").where(pts["batas"].notna())
    out = [{"kode_kel": r.kode_kel, "kelurahan": r.kelurahan, "level": r.batas, "side": r.arah}
           for r in pts[pts["batas"].notna()].sort_values(["batas", "prevalensi"], ascending=[False, False]).itertuples()]
    return Funnel(target * 100, pts.reset_index(drop=True), out)


def funnel_png(frame: pd.DataFrame, path, *, lang: str = "id", title: str | None = None, period: str | None = None,
               dpi: int = 150) -> Funnel:
    """Write the funnel plot PNG (written to a temporary file, then renamed) and return what it shows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fun = funnel_data(frame)
    pts = fun.points
    rate = fun.target / 100
    xs = np.unique(np.r_[np.arange(1, 50), np.geomspace(50, max(pts["balita_diukur"].max() * 1.1, 60), 200).round()])
    fig, ax = plt.subplots(figsize=(8, 5.5))
    for level, style in ((0.95, "--"), (0.998, ":")):
        label = t(lang, "funnel.limits", level=number(level * 100, 1, lang, trim=True))
        lo, hi = stats.funnel_limits(rate, xs, level)
        ax.plot(xs, hi * 100, style, color="#555555", lw=1, label=label)
        ax.plot(xs, lo * 100, style, color="#555555", lw=1)
    ax.axhline(fun.target, color="#1f4e79", lw=1.2, label=t(lang, "funnel.target", rate=number(fun.target, 1, lang)))
    colours = pts["batas"].map({"99,8 %": "#b2182b", "95 %": "#ef8a62"}).fillna("#4d4d4d")
    ax.scatter(pts["balita_diukur"], pts["prevalensi"], s=22, c=colours, zorder=3, edgecolors="white", linewidths=0.5)
    for r in pts[pts["batas"].notna()].itertuples():
        ax.annotate(str(r.kelurahan), (r.balita_diukur, r.prevalensi), xytext=(4, 3), textcoords="offset points", fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel(t(lang, "funnel.x") + " (log)")
    ax.set_ylabel(t(lang, "funnel.y"))
    ax.set_ylim(0, min(100, max(pts["prevalensi"].max() * 1.1, fun.target * 2.5)))
    ax.set_title((title or t(lang, "funnel.title")) + (f"\n{period}" if period else ""))
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=dpi)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        plt.close(fig)
    fun.path = path
    return fun


def outside_text(fun: Funnel, lang: str = "id") -> str:
    """One sentence naming the kelurahan outside the limits (for the atlas and index.html)."""
    if not fun.outside:
        return t(lang, "funnel.inside")
    parts = [t(lang, "funnel.point", kelurahan=o["kelurahan"], side=t(lang, "funnel.above" if o["side"] == "atas" else "funnel.below"),
               level=number(LEVELS[o["level"]], 1, lang, trim=True)) for o in fun.outside]
    return t(lang, "funnel.outside", names=", ".join(parts))
