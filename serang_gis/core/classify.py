"""Choropleth classes: mapclassify schemes and fixed legend sets, as left-closed intervals.

Every scheme returns the same ``Classes`` object: break points, colours, labels and counts. All
intervals are half-open on the right, ``[a, b)``, whatever the scheme (mapclassify's own bins are
upper bounds; they are used here as break points, so a value equal to a break goes to the class
above, as in the WHO bands): the legend says so with "a – < b".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from branca.utilities import color_brewer

from serang_gis.core.choices import SCHEMES
from serang_gis.core.errors import InputError
from serang_gis.core.numbers import number
from serang_gis.core.text import t

# WHO-UNICEF 2018 prevalence thresholds for stunting (% of children under five), named who.1 .. who.5 in the text catalogue
WHO_BREAKS = [2.5, 10.0, 20.0, 30.0]


@dataclass
class Classes:
    scheme: str
    breaks: list[float]  # k-1 inner break points, ascending
    colors: list[str]  # k colours
    labels: list[str]  # k labels, e.g. "10 – < 20 %"
    counts: list[int] = field(default_factory=list)
    no_data: int = 0

    @property
    def k(self) -> int:
        return len(self.colors)

    def assign(self, values) -> np.ndarray:
        """Class index of each value (-1 for missing)."""
        v = pd.to_numeric(pd.Series(values), errors="coerce").astype(float).to_numpy()
        idx = np.searchsorted(np.asarray(self.breaks, dtype=float), v, side="right")
        return np.where(np.isnan(v), -1, idx)


def labels_for(breaks, unit="", lang="id") -> list[str]:
    """"a – < b" labels of the classes between ``breaks`` (at most two decimals, none trailing)."""
    u = f" {unit}" if unit else ""
    if not breaks:
        return [t(lang, "classes.all")]
    b = [number(x, 2, lang, trim=True) for x in breaks]
    return [f"< {b[0]}{u}"] + [f"{lo} – < {hi}{u}" for lo, hi in zip(b, b[1:])] + [f"≥ {b[-1]}{u}"]


def _natural_breaks(values, k):
    """mapclassify's NaturalBreaks (k-means, random starts) with numpy's global generator fixed for the call: the same
    values give the same breaks on every run (unseeded, 67 values gave 7,11 or 7,44 % by chance); the caller's state is kept."""
    import mapclassify

    state = np.random.get_state()
    np.random.seed(0)
    try:
        return mapclassify.NaturalBreaks(values, k=k)
    finally:
        np.random.set_state(state)


def classify(values, scheme: str = "quantiles", *, k: int = 5, bins=None, palette: str = "YlOrRd",
             unit: str = "", lang: str = "id") -> Classes:
    """Classes for ``values`` by a scheme name (the CLI's string form) and options."""
    scheme = scheme.replace("-", "_").lower()
    if scheme not in SCHEMES:
        raise InputError(f"unknown scheme {scheme!r}", hint=f"choose one of {', '.join(SCHEMES)}")
    v = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    present = v.dropna().to_numpy()
    if scheme == "who":
        breaks = list(WHO_BREAKS)
    elif scheme == "manual":
        if not bins:
            raise InputError("the manual scheme needs break points", hint="give them as --bins 10,20,30")
        breaks = sorted(float(b) for b in bins)
    else:
        if len(present) == 0:
            breaks = []
        else:
            import mapclassify  # imported here: it takes over a second, and fixed schemes do not need it

            import warnings

            kk = max(1, min(k, len(np.unique(present))))
            with warnings.catch_warnings():  # ties leave fewer classes than asked: the legend shows the classes there are
                warnings.filterwarnings("ignore", message="Not enough unique values", category=UserWarning)
                cls = {"quantiles": mapclassify.Quantiles, "natural_breaks": _natural_breaks,
                       "equal_interval": mapclassify.EqualInterval}[scheme](present, k=kk)
            breaks = sorted(set(float(b) for b in cls.bins[:-1]))
            shown = [round(b, 2) for b in breaks]  # the legend shows two decimals: the break is what it says
            if len(set(shown)) == len(breaks):  # (16,265 % sat in "≥ 16,27 %"; now the break is 16,27 or 16,26 and says so)
                breaks = shown
    n = len(breaks) + 1
    three = color_brewer(palette, 3)  # ColorBrewer has no 1- or 2-class palettes
    colors = color_brewer(palette, n) if n >= 3 else ([three[1]] if n == 1 else [three[0], three[2]])
    labels = labels_for(breaks, unit, lang)
    if scheme == "who":
        labels = [f"{lab} ({t(lang, f'who.{i + 1}')})" for i, lab in enumerate(labels)]
    out = Classes(scheme, breaks, colors, labels)
    idx = out.assign(v)
    out.counts = [int((idx == i).sum()) for i in range(n)]
    out.no_data = int((idx == -1).sum())
    return out
