"""The five service packages (paket layanan) and the table that says which activity delivers which.

``data/kegiatan/paket_layanan.csv`` (overridable with ``--paket FILE``) has one rule per row:

    opd,jenis,kata_kunci,paket,catatan
    dinkes,*,,kia,...                         every Dinas Kesehatan activity delivers KIA
    dinkes,*,gizi|pmt|asi,konseling_gizi,...  ... and konseling gizi when its names say so
    *,*,paud|bkb,paud,...                     any office's activity about PAUD or BKB

``opd`` is an office code of ``data/kegiatan/opd.csv`` (or ``*``), ``jenis`` spesifik / sensitif /
koordinatif (or ``*``), ``kata_kunci`` words separated by ``|`` looked for (whole words, any case) in
the programme, kegiatan and sub-kegiatan names (empty: always). An activity delivers every package
of every rule it meets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from serang_gis.core.errors import InputError
from serang_gis.core.text import t

PAKET = ("kia", "konseling_gizi", "air_sanitasi", "perlindungan_sosial", "paud")  # named paket.<id> in the text catalogue
JENIS = ("spesifik", "sensitif", "koordinatif")


def label(paket: str, lang: str = "id") -> str:
    return t(lang, f"paket.{paket}")


@dataclass(frozen=True)
class Rule:
    opd: str
    jenis: str
    words: re.Pattern | None
    paket: str


class PaketTable:
    def __init__(self, rules: list[Rule], source: str):
        self.rules, self.source = rules, source

    @classmethod
    def load(cls, path=None) -> "PaketTable":
        if path is None:
            with resources.files("serang_gis").joinpath("data", "kegiatan", "paket_layanan.csv").open("rb") as fh:
                table = pd.read_csv(fh, dtype=str, keep_default_na=False)
            name = "serang_gis/data/kegiatan/paket_layanan.csv"
        else:
            path = Path(path)
            try:
                table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            except (OSError, ValueError) as exc:
                raise InputError(f"{path}: cannot read the package table ({exc})") from None
            name = path.name
        missing = {"opd", "jenis", "kata_kunci", "paket"} - set(table.columns)
        if missing:
            raise InputError(f"{name}: the package table needs the columns opd, jenis, kata_kunci, paket (missing {', '.join(sorted(missing))})")
        rules, problems = [], []
        for i, r in enumerate(table.itertuples(index=False), start=2):
            paket, jenis = r.paket.strip(), (r.jenis.strip() or "*")
            if paket not in PAKET:
                problems.append(f"{name}:row {i}:column 'paket': {paket!r} is not a package ({', '.join(PAKET)})")
            if jenis != "*" and jenis not in JENIS:
                problems.append(f"{name}:row {i}:column 'jenis': {jenis!r} is not spesifik, sensitif, koordinatif or *")
            words = [w.strip().casefold() for w in r.kata_kunci.split("|") if w.strip()]
            pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b") if words else None
            rules.append(Rule(r.opd.strip() or "*", jenis, pattern, paket))
        if problems:
            raise InputError("; ".join(problems), hint="fix the package table (see docs/konvergensi.md)")
        return cls(rules, name)

    def packages(self, opd: str, jenis: str | None, names: str) -> tuple[str, ...]:
        text = " ".join(str(names).casefold().split())
        found = []
        for rule in self.rules:
            if rule.opd not in ("*", opd) or rule.jenis not in ("*", jenis):
                continue
            if rule.words is not None and not rule.words.search(text):
                continue
            if rule.paket not in found:
                found.append(rule.paket)
        return tuple(p for p in PAKET if p in found)
