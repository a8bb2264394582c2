"""A ranking profile: which indicators, their weights and directions, and how to normalise them.

Read from TOML (the package's ``data/profiles/default.toml`` or a user's file); every error names the key.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from serang_gis.core.choices import ESTIMATES, NORMALISATIONS
from serang_gis.core.errors import InputError

MISSING = ("core", "reweight", "flag")
LIGHTS = ("hijau", "kuning", "merah")  # green (best), yellow, red (worst)
WINSOR = 0.05  # winsorised normalisation: clip below the 5th and above the 95th percentile


@dataclass(frozen=True)
class Indicator:
    column: str
    weight: float
    direction: str = "higher_worse"
    reason: str = ""
    thresholds: tuple[float, float] | None = None  # traffic light: [yellow from, red from]; default: see lights()
    core: bool = False  # missing = "core": a kelurahan without it is not ranked


@dataclass
class Profile:
    name: str
    indicators: list[Indicator]
    normalisation: str = "percentile"
    missing: str = "core"
    top_n: int = 20
    description: str = ""
    source: str = ""
    estimate: str = "eb"
    concentration: float = 50.0  # Dirichlet concentration of the weight draws: larger = weights closer to the profile's
    winsor: float = WINSOR

    @property
    def weights(self) -> np.ndarray:
        w = np.array([i.weight for i in self.indicators], dtype=float)
        return w / w.sum()


def load_profile(path: str | Path | None = None) -> Profile:
    """Read a profile TOML (default: the package's default profile); every error names the key."""
    if path is None:
        text, where_ = resources.files("serang_gis").joinpath("data", "profiles", "default.toml").read_text(encoding="utf-8"), "default"
    else:
        where_ = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")  # a BOM (Notepad) dropped
        except OSError as exc:
            raise InputError(f"{path}: cannot read the profile ({exc.strerror})") from None
    try:
        cfg = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where_}: not valid TOML ({exc})") from None
    allowed = {"name", "description", "normalisation", "missing", "top_n", "indicator", "estimate", "concentration", "winsor"}
    for key in cfg:
        if key not in allowed:
            raise InputError(f"{where_}: unknown key {key!r}", hint=f"keys: {', '.join(sorted(allowed))}")
    for key, options, default in (("normalisation", NORMALISATIONS, "percentile"), ("missing", MISSING, "core"),
                                  ("estimate", ESTIMATES, "eb")):
        if cfg.get(key, default) not in options:
            raise InputError(f"{where_}: {key} = {cfg[key]!r}", hint=f"one of {', '.join(options)}")
    conc = cfg.get("concentration", 50.0)
    if not isinstance(conc, (int, float)) or conc <= 0:
        raise InputError(f"{where_}: concentration = {conc!r} must be a number > 0", hint="50 is the default; larger keeps the weights closer")
    win = cfg.get("winsor", WINSOR)
    if not isinstance(win, (int, float)) or not 0 <= win < 0.5:
        raise InputError(f"{where_}: winsor = {win!r} must be a share between 0 and 0.5", hint="0.05 clips at the 5th and 95th percentile")
    top_n = cfg.get("top_n", 20)
    if isinstance(top_n, bool) or not isinstance(top_n, int) or not 1 <= top_n <= 100_000:
        raise InputError(f"{where_}: top_n = {top_n!r} must be a whole number >= 1", hint="e.g. top_n = 20")
    inds = []
    for n, item in enumerate(cfg.get("indicator", []), start=1):
        keyp = f"{where_}: indicator[{n}]"
        extra = set(item) - {"column", "weight", "direction", "reason", "thresholds", "core"}
        if extra:
            raise InputError(f"{keyp}: unknown key(s) {', '.join(sorted(extra))}")
        if "column" not in item or "weight" not in item:
            raise InputError(f"{keyp}: needs column and weight")
        if isinstance(item["weight"], bool) or not isinstance(item["weight"], (int, float)) or not math.isfinite(item["weight"]) \
                or item["weight"] <= 0:
            raise InputError(f"{keyp}.weight: {item['weight']!r} must be a number > 0")
        if item.get("direction", "higher_worse") not in ("higher_worse", "lower_worse"):
            raise InputError(f"{keyp}.direction: {item['direction']!r}", hint="higher_worse or lower_worse")
        if not isinstance(item.get("core", False), bool):
            raise InputError(f"{keyp}.core: {item['core']!r} must be true or false")
        th = item.get("thresholds")
        if th is not None and (len(th) != 2 or th[0] > th[1]):
            raise InputError(f"{keyp}.thresholds: give [yellow_from, red_from], ascending")
        inds.append(Indicator(item["column"], float(item["weight"]), item.get("direction", "higher_worse"), item.get("reason", ""),
                              tuple(th) if th else None, item.get("core", False)))
    if not inds:
        raise InputError(f"{where_}: no [[indicator]] tables")
    return Profile(cfg.get("name", Path(where_).stem), inds, cfg.get("normalisation", "percentile"), cfg.get("missing", "core"),
                   top_n, cfg.get("description", ""), where_, cfg.get("estimate", "eb"), float(conc), float(win))
