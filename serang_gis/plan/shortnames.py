"""Field names of at most 10 characters for a Shapefile copy: stable, unique and readable.

A name that fits is kept. A longer one is built from its words, each shortened by a fixed table
(``prevalensi`` -> ``prev``, ``stunting`` -> ``stunt``), then the longest word shortened a letter at a
time until it fits; a period keeps its digits as a suffix (``prevalensi_stunting__2023`` ->
``prev_st_23``, a change ``__2023_2024`` -> ``_2324``, a month ``_2024_02`` -> ``_2402``). Names are
given in sorted order after the names that already fit, so the same columns always give the same
names; a name already taken ends in a digit instead. Lower case throughout (dBASE ignores case).
"""

from __future__ import annotations

import re

LIMIT = 10

WORDS = {
    "prevalensi": "prev", "stunting": "stunt", "persen": "pct", "keluarga": "klg", "berisiko": "rsk",
    "jumlah": "jml", "kelurahan": "kel", "kecamatan": "kec", "balita": "blt", "diukur": "ukur",
    "dilaporkan": "lapor", "kegiatan": "keg", "subkegiatan": "subkeg", "daftar": "dft", "kesenjangan": "senjang",
    "sanitasi": "sanit", "peringkat": "rank", "prioritas": "prior", "kontribusi": "kontr", "kepastian": "pasti",
    "sasaran": "sas", "tanggal": "tgl", "jamban": "jmb", "status": "st", "peluang": "pel", "indikator": "ind",
    "peringatan": "warn", "catatan": "cat", "terlokasi": "lok", "turunan": "tur", "layanan": "lay",
    "kebutuhan": "butuh", "belanja": "blnj", "keandalan": "andal", "tingkat": "tkt", "cakupan": "cak",
    "dipindah": "pindah", "banding": "band", "hilang": "hlg", "sangat": "sgt", "pendek": "pdk",
    "tidak": "tdk", "stabil": "stbl", "puskesmas": "pkm", "disamarkan": "samar", "sebagian": "sbg",
    "sumber": "sbr", "periode": "per", "nilai": "nil", "lampu": "lmp", "kabkota": "kab",
}

FIXED = {"kode_kel_10": "kode_kel10"}  # where the rule reads worse than a choice

_PERIOD = re.compile(r"(?:__|_)(\d{4})(?:_(\d{4}))?(?:_(\d{2}))?$")


def _fit(words: list[str], budget: int) -> str:
    """Join ``words`` with "_" in at most ``budget`` characters, shortening the longest word (the later on a tie)."""
    words = [w for w in words if w]
    while len("_".join(words)) > budget:
        longest = max(range(len(words)), key=lambda i: (len(words[i]), i))
        if len(words[longest]) <= 2:
            return "".join(words)[:budget]
        words[longest] = words[longest][:-1]
    return "_".join(words)


def _short(name: str) -> str:
    if name in FIXED:
        return FIXED[name]
    m = _PERIOD.search(name)
    suffix, base = "", name
    if m and m.start() > 0:
        a, b, month = m.groups()
        suffix = "_" + a[2:] + (b[2:] if b else "") + (month or "")
        base = name[:m.start()]
    words = [WORDS.get(w, w) for w in base.lower().split("_")]
    return _fit(words, LIMIT - len(suffix)) + suffix


def short_names(columns) -> dict[str, str]:
    """Every column (but ``geometry``) -> its name in a Shapefile, at most 10 characters, unique ignoring case."""
    cols = [c for c in columns if c != "geometry"]
    out = {c: c.lower() for c in cols if len(c) <= LIMIT}
    taken = set(out.values())
    if len(taken) < len(out):
        raise ValueError("two columns differ only in case: " + ", ".join(sorted(out)))
    for c in sorted(c for c in cols if c not in out):
        name = _short(c)
        n = 1
        while name in taken:
            tail = str(n)
            name = _short(c)[:LIMIT - len(tail)] + tail
            n += 1
        out[c] = name
        taken.add(name)
    return {c: out[c] for c in cols}


__all__ = ["LIMIT", "WORDS", "short_names"]
