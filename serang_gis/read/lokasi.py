"""The Lokasi column of an activity matrix (free text) -> kelurahan codes.

Read in this order (documented in docs/konvergensi.md):

- ``Kota Serang``, ``seluruh kelurahan``, ``se-Kota Serang`` ... -> city-wide: located nowhere;
- the text is cut into groups at ``;`` and new lines, each group into items at ``,`` ``/`` ``&`` ``dan``;
- an item with ``Kec.``/``Kecamatan`` names a kecamatan; a kecamatan code (``36.73.02``) too;
- an item with a kelurahan code (``36.73.02.1001``, ``3673021001``) names that kelurahan;
- any other item is a kelurahan name (``Kel.``/``Desa`` prefixes allowed; a bare ``Kasemen`` is the
  kelurahan, not the kecamatan). A kecamatan written in brackets (``(Kec. Taktakan)``, ``(Taktakan)``)
  or beside kelurahan names in the same group (``Kalodran, Kec. Walantaka``) says where those names
  are; names are matched like table rows (``match.Matcher``: name within the kecamatan, then fuzzy with
  its score). A kecamatan alone in its group means every kelurahan of it;
- after ``Kec.``, further items that are kecamatan names are kecamatan too
  (``Kecamatan Kasemen dan Walantaka``).
Anything that matches nothing makes the whole Lokasi ``tidak_cocok``, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from serang_gis.core import codes as codes_mod
from serang_gis.core.text import Msg
from serang_gis.read.match import Matcher, name_key

_CITY = re.compile(
    r"^(di )?((se ?)?kota( serang)?|(seluruh|semua) (kelurahan|kecamatan|wilayah|desa kelurahan|kelurahan desa)"
    r"( (di |se ?)?kota( serang)?)?|se kota serang|citywide|city wide|(67|enam puluh tujuh) kelurahan|seluruh kota serang|kota serang seluruh kelurahan)$")
_KEC = re.compile(r"^(kecamatan|kec)\b\.?\s*", re.IGNORECASE)
_KEL = re.compile(r"^(kelurahan|kel|desa|ds)\b\.?\s*", re.IGNORECASE)
_COUNT_NOTE = re.compile(r"^\d+\s*(kel|kelurahan|desa|lokasi|titik)\b|^(seluruh|semua) (kelurahan|desa)", re.IGNORECASE)
_CODE = re.compile(r"^\d{2}[.\s]?\d{2}[.\s]?\d{2}([.\s]?\d{4})?$")


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())


@dataclass
class Lokasi:
    kind: str  # kota | kecamatan | kelurahan | tidak_cocok
    codes: list[str] = field(default_factory=list)  # kelurahan codes, sorted
    matches: list[str] = field(default_factory=list)  # how each item was read ("Sepang -> 36.73.06.1010 name")
    problems: list[str] = field(default_factory=list)


class LokasiParser:
    def __init__(self, kelurahan: pd.DataFrame):
        self.m = Matcher(kelurahan)
        ref = self.m.ref
        self.kel_of_kec = {k: sorted(g["kode_kel"]) for k, g in ref.groupby("kode_kec")}
        self.kec_name = dict(zip(ref["kode_kec"], ref["kecamatan"]))
        self.region_name = _norm(kelurahan["kabkota"].iloc[0]) if "kabkota" in kelurahan.columns and len(kelurahan) else "kota serang"
        self._cache: dict[str, Lokasi] = {}

    def parse(self, text: str) -> Lokasi:
        text = str(text or "").strip()
        if text not in self._cache:
            self._cache[text] = self._parse(text)
        return self._cache[text]

    def _is_city(self, text: str) -> bool:
        n = _norm(re.sub(r"\([^)]*\)", " ", text))
        return bool(_CITY.match(n)) or n in (self.region_name, f"se {self.region_name}", f"seluruh {self.region_name}")

    def _kec_exact(self, item: str) -> str | None:
        code, score = self.m.kecamatan_code(item)
        return code if code and score >= 100 else None

    def _parse(self, text: str) -> Lokasi:
        if not text:
            return Lokasi("tidak_cocok", problems=[Msg("lok.empty")])
        if self._is_city(text):
            return Lokasi("kota", matches=["city-wide"])
        codes, matches, problems = set(), [], []
        whole_kec = False
        for group in re.split(r"[;\n]+|\s+-\s+", text):
            group = group.strip(" ,.")
            if not group:
                continue
            for k in self._group(group, codes, matches, problems):
                codes.update(self.kel_of_kec[k])
                matches.append(f"Kec. {self.kec_name[k]} -> {len(self.kel_of_kec[k])} kelurahan")
                whole_kec = True
        if problems:
            return Lokasi("tidak_cocok", sorted(codes), matches, problems)
        if not codes:
            return Lokasi("tidak_cocok", [], matches, [Msg("lok.nothing")])
        kind = "kecamatan" if whole_kec and all(m.startswith("Kec.") or m.endswith("ignored") for m in matches) else "kelurahan"
        return Lokasi(kind, sorted(codes), matches, [])

    def _group(self, group: str, codes: set, matches: list, problems: list) -> list[str]:
        """Read one group into ``codes``, ``matches`` and ``problems``; returns the kecamatan it means whole."""
        inner = [p.strip() for p in re.findall(r"\(([^)]*)\)", group)]
        items = self._group_items(re.sub(r"\([^)]*\)", " ", group))
        context, names = self._bracketed(inner, matches)
        kecs = self._read_items(items, names, codes, matches, problems)
        if names:
            # kecamatan beside the names (not in brackets) say where the names are when the names are there
            ctx = context or kecs
            used = set()
            for name in names:
                hit, via = self._name(name, ctx)
                if hit is None:
                    problems.append(via)
                else:
                    codes.add(hit.kode_kel)
                    used.add(hit.kode_kel[:8])
                    matches.append(f"{name} -> {hit.kode_kel} {hit.method}" + (f" {hit.score:g}" if hit.method == "fuzzy" else ""))
            if not context:  # a kecamatan that placed no name is meant whole; with brackets, those outside are whole
                kecs = [k for k in kecs if k not in used]
        return kecs

    def _group_items(self, outside: str) -> list[str]:
        """The items of a group outside its brackets; a head before a colon is a kecamatan, a label or items."""
        head, colon, rest = outside.partition(":")
        items = _items(rest if colon else outside)
        if colon:  # "Kec. Serang: Unyur, Lopang"; "Kelurahan: Sepang, Lialang"; "Lokus: ..."
            h = head.strip()
            if _KEC.match(h):
                items = [h] + items
            elif _norm(h) in _LABELS:
                pass
            elif self._kec_exact(h):
                items = ["Kec. " + h] + items
            else:
                items = _items(h) + items
        return items

    def _bracketed(self, inner: list[str], matches: list) -> tuple[list[str], list[str]]:
        """What the brackets of a group say: the kecamatan of its names (context), or more names; counts are ignored."""
        context, names = [], []
        for part in inner:
            if _COUNT_NOTE.match(part):
                matches.append(f"({part}) ignored")
                continue
            pitems = _items(part)
            as_kec = [self._kec_item(p, loose=True) for p in pitems]
            if pitems and all(as_kec):
                context += as_kec
            else:
                names += pitems  # "Kec. Curug (Curug Manis, Cipete)"
        return context, names

    def _read_items(self, items: list[str], names: list[str], codes: set, matches: list, problems: list) -> list[str]:
        """Codes, kecamatan and names of the items: codes go to ``codes``, names to ``names``; returns the kecamatan."""
        kecs = []
        after_kec = False
        for it in items:
            if self._is_city(it) and len(items) > 1:
                problems.append(Msg("lok.city_with_places", item=it))
                continue
            code = self._code_item(it)
            if code:
                if len(code) == 8:
                    kecs.append(code)
                else:
                    codes.add(code)
                    matches.append(f"{it} -> {code} code")
                continue
            if _KEC.match(it):
                k = self._kec_item(it)
                if k is None:
                    problems.append(Msg("join.kec_unknown", kec=_KEC.sub("", it)))  # in the run's language (walk 23b)
                else:
                    kecs.append(k)
                after_kec = True
                continue
            if after_kec and not _KEL.match(it) and not names and self._kec_exact(it):
                kecs.append(self._kec_exact(it))
                continue
            names.append(it)
        return kecs

    def _code_item(self, item: str) -> str | None:
        t = item.strip()
        if not _CODE.match(t):
            return None
        kel = codes_mod.normalize(t, "kelurahan")
        if kel and kel in self.m.codes:
            return kel
        kec = codes_mod.normalize(t, "kecamatan")
        if kec and kec in self.m.kec_codes:
            return kec
        return None

    def _kec_item(self, item: str, loose: bool = False) -> str | None:
        t = item.strip()
        if _KEC.match(t):
            code, _ = self.m.kecamatan_code(_KEC.sub("", t))
            return code
        if loose and not _KEL.match(t):
            return self._kec_exact(t)
        return None

    def _name(self, name: str, context: list[str]):
        """(Match, None) or (None, reason)."""
        if context:
            hits = []
            for k in dict.fromkeys(context):
                h = self.m.match(name, k)
                if h.ok:
                    hits.append(h)
            if len(hits) == 1:
                return hits[0], None
            if len(hits) > 1:
                return None, Msg("lok.in_two_kec", name=name)
        hit = self.m.match(name)
        if hit.ok:
            return hit, None
        if hit.method == "ambiguous":
            return None, Msg("lok.ambiguous", name=name, candidates="; ".join(hit.candidates))
        near = Msg("lok.not_kel_near", names="; ".join(hit.candidates)) if hit.candidates else ""
        where = Msg("lok.not_kel_where", kec=", ".join(self.kec_name[k] for k in context)) if context else ""
        return None, Msg("lok.not_kel", name=name, where=where, near=near)


_LABELS = {"lokus", "lokasi", "kelurahan", "kel", "desa", "di", "desa kelurahan", "kelurahan desa", "lokasi kegiatan"}


def _items(text: str) -> list[str]:
    """Items of a group: cut at , / & + dan, and before a Kec./Kel. word ("Kel. Kalodran Kec. Walantaka")."""
    text = re.sub(r"\bse[-\s]+(?=(?:kec|kel))", " ", text, flags=re.IGNORECASE)
    parts = re.split(r"\s*(?:,|/|&|\+|\bdan\b|\band\b)\s*|\s+(?=(?:kec|kecamatan|kel|kelurahan|desa)\b\.?\s)", text,
                     flags=re.IGNORECASE)
    parts = [p.strip(" .") for p in parts if p]
    return [p for p in parts if p and name_key(p) and _norm(p) not in _FILLER]


# words around places that name no place: "Seluruh Kelurahan di Kec. Kasemen", "semua desa se-Kecamatan Curug"
_FILLER = {"seluruh", "semua", "se", "di", "seluruh kelurahan", "semua kelurahan", "seluruh desa", "semua desa",
           "seluruh kelurahan di", "semua kelurahan di", "seluruh kelurahan se", "semua kelurahan se", "seluruh desa di",
           "seluruh desa kelurahan", "seluruh kelurahan desa", "kelurahan di", "desa di"}
