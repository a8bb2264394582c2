"""Match names (and codes) written by people to kelurahan codes: code, then name, then fuzzy.

A reference table has columns kode_kel, kelurahan, kode_kec, kecamatan (the canonical boundary
table or the embedded gazetteer). Names are compared after ``name_key`` (case, "Kel."/"Desa"
prefixes, spaces and punctuation removed); a fuzzy match (rapidfuzz) is accepted only within the
kecamatan, above ``threshold`` and clearly ahead of the runner-up, and is reported with its score.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from serang_gis.core import codes
from serang_gis.core.text import Msg

_PREFIX = re.compile(
    r"^(?:kelurahan|kel|desa|ds|kecamatan|kec)\b\.?\s*", re.IGNORECASE
)


def name_key(value) -> str:
    """Comparable form of a place name: 'KEL. Suka  Jaya' -> 'sukajaya'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    text = text.strip()
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return re.sub(r"[^0-9a-z]", "", text.casefold())


@dataclass(frozen=True)
class Match:
    """How one row was matched. ``kode_kel`` is None when ``method`` is 'none' or 'ambiguous'."""

    kode_kel: str | None
    method: str  # code | name | fuzzy | none | ambiguous
    score: float = 100.0
    candidates: tuple[str, ...] = field(default=())  # "code name (kecamatan)" for ambiguous / near misses, or a Msg why

    @property
    def ok(self) -> bool:
        return self.kode_kel is not None


class Matcher:
    """Matches against a reference table; every look-up but the fuzzy step is a dict access."""

    def __init__(self, reference: pd.DataFrame, *, threshold: float = 85.0, margin: float = 5.0):
        self.ref = reference[["kode_kel", "kelurahan", "kode_kec", "kecamatan"]].reset_index(drop=True)
        self.threshold = threshold
        self.margin = margin
        self.codes = set(self.ref["kode_kel"])
        self.kec_codes = set(self.ref["kode_kec"])
        self.kab_codes = {c[:5] for c in self.codes}
        self._label = {r.kode_kel: f"{r.kode_kel} {r.kelurahan} (Kec. {r.kecamatan})" for r in self.ref.itertuples()}
        self._name = dict(zip(self.ref["kode_kel"], self.ref["kelurahan"]))
        self.by_key: dict[str, list[str]] = {}
        self.by_kec_key: dict[tuple[str, str], list[str]] = {}
        self.pool: dict[str, dict[str, str]] = {}  # kode_kec -> {kode_kel: key}
        for code, kel, kec in zip(self.ref["kode_kel"], self.ref["kelurahan"].map(name_key), self.ref["kode_kec"]):
            self.by_key.setdefault(kel, []).append(code)
            self.by_kec_key.setdefault((kec, kel), []).append(code)
            self.pool.setdefault(kec, {})[code] = kel
        self.kec_by_key: dict[str, str] = {}
        for code, name in zip(self.ref["kode_kec"], self.ref["kecamatan"].map(name_key)):
            self.kec_by_key.setdefault(name, code)
        self._kec_cache: dict = {}

    def label(self, code: str) -> str:
        """'36.73.04.1007 Sukawana (Kec. Curug)'."""
        return self._label.get(code, code)

    def name(self, code: str) -> str:
        return self._name.get(code, code)

    def kecamatan_name(self, kode_kec: str) -> str:
        """'36.73.04' -> 'Curug'."""
        hit = self.ref.loc[self.ref["kode_kec"] == kode_kec, "kecamatan"]
        return str(hit.iloc[0]) if len(hit) else kode_kec

    def kecamatan_code(self, kecamatan) -> tuple[str | None, float]:
        """Code of a kecamatan given by name or code, with the match score."""
        if kecamatan in self._kec_cache:
            return self._kec_cache[kecamatan]
        self._kec_cache[kecamatan] = out = self._kecamatan_code(kecamatan)
        return out

    def _kecamatan_code(self, kecamatan) -> tuple[str | None, float]:
        code = codes.normalize(kecamatan, "kecamatan")
        if code and code in self.kec_codes:
            return code, 100.0
        key = name_key(kecamatan)
        if not key:
            return None, 0.0
        if key in self.kec_by_key:
            return self.kec_by_key[key], 100.0
        starts = [k for k in self.kec_by_key if len(key) >= 4 and k.startswith(key)]
        if len(starts) == 1:  # "Cipocok" for "Cipocok Jaya"
            return self.kec_by_key[starts[0]], 90.0
        best = process.extractOne(key, list(self.kec_by_key), scorer=fuzz.ratio)
        if best and best[1] >= self.threshold:
            return self.kec_by_key[best[0]], float(best[1])
        return None, float(best[1]) if best else 0.0

    def match(self, kelurahan=None, kecamatan=None, code=None) -> Match:
        if code is not None and not (isinstance(code, float) and pd.isna(code)) and str(code).strip():
            norm = codes.normalize(code, "kelurahan")
            if norm in self.codes:
                return Match(norm, "code")
        key = name_key(kelurahan)
        if not key:
            return Match(None, "none", 0.0)
        kec = None
        if kecamatan is not None and not (isinstance(kecamatan, float) and pd.isna(kecamatan)) and name_key(kecamatan):
            kec, _ = self.kecamatan_code(kecamatan)
            if kec is None:  # an unknown kecamatan: the name alone may still be unique in the region
                hit = self.match(kelurahan)
                if hit.ok and hit.method == "name":
                    return Match(hit.kode_kel, "name", 100.0, (Msg("join.kec_unknown_alone", kec=kecamatan),))
                return Match(None, "none", 0.0, (Msg("join.kec_unknown", kec=kecamatan),))
            hits = self.by_kec_key.get((kec, key), [])
        else:
            hits = self.by_key.get(key, [])
        if len(hits) == 1:
            return Match(hits[0], "name")
        if len(hits) > 1:
            return Match(None, "ambiguous", 100.0, tuple(self._label[c] for c in hits))
        choices = self.pool[kec] if kec else {c: k for p in self.pool.values() for c, k in p.items()}
        found = process.extract(key, choices, scorer=fuzz.ratio, limit=2)
        if not found:
            return Match(None, "none", 0.0)
        (_, best, code_hit), runner = found[0], (found[1][1] if len(found) > 1 else 0.0)
        near = tuple(self._label[f[2]] for f in found)
        if best >= self.threshold and best - runner >= self.margin:
            return Match(code_hit, "fuzzy", round(float(best), 1), near[:1])
        return Match(None, "none", round(float(best), 1), near)
