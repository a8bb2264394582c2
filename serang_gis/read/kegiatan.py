"""The Aksi 2 activity matrix (Rencana Kegiatan) as offices keep it -> one tidy row per activity.

The file is read by ``tables.read_raw`` (title rows, two-row merged headers, CSV or XLSX) with the
activity headers of ``KEGIATAN_FIELDS``. Each row gets:

- its office (OPD), matched to the known offices of ``data/kegiatan/opd.csv`` (alias, else fuzzy
  with its score; an office that matches none is kept under its own name and reported);
- its pagu (and realisasi) in rupiah: ``Rp 1.250.000.000``, ``1250000000``, ``1,25 M``,
  ``1,25 miliar``, ``500 juta``;
- its Jenis Intervensi (spesifik / sensitif / koordinatif), Sumber Dana, Tahun;
- its Lokasi parsed into kelurahan codes (``lokasi.parse_lokasi``): city-wide, kecamatan, a list of
  kelurahan, codes; a Lokasi that matches nothing is listed with its row (an error with ``strict``);
- the service packages it delivers (``paket.py``: the OPD/jenis/keyword mapping table).
Nothing is dropped silently: blank, heading and subtotal rows are listed in ``skipped``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from serang_gis.core.errors import InputError
from serang_gis.core.fields import header_key
from serang_gis.core.numbers import Rupiah, count, rupiah
from serang_gis.core.text import Msg
from serang_gis.read.lokasi import LokasiParser, problems_text
from serang_gis.read.rupiah import (MAX_PAGU, Unit, format_unit, header_unit, number_style, parse_rupiah,  # noqa: F401 (API)
                                    satuan_unit, title_unit)
from serang_gis.read.tables import MISSING, NumberError, RawTable, invalid_values, read_raw

# (field, full-match patterns on the end of the header key); the longest matching end wins, so that
# "Program / Kegiatan / Sub Kegiatan" over "Sub Kegiatan" reads as sub_kegiatan, not kegiatan
KEGIATAN_FIELDS: list[tuple[str, tuple[str, ...], str]] = [
    ("no", (r"no|nomor|no urut",), "running number (ignored)"),
    ("kode_lain", (r"kode (program|kegiatan|urusan|bidang( urusan)?|opd|skpd)", r"(program|kegiatan) kode"),
     "code of the programme or kegiatan (ignored: the sub-kegiatan code is the one that counts)"),
    ("kode", (r"kode( (rekening|sub kegiatan|sub|nomenklatur))?", r"sub kegiatan kode", r"kode rekening"),
     "code of the sub-kegiatan"),
    ("opd", (r"(nama )?(perangkat daerah|opd|skpd|pd|instansi|pelaksana|opd pelaksana|dinas|unit kerja)( pelaksana)?( opd)?",
             r"perangkat daerah opd", r"instansi pelaksana"), "office (Perangkat Daerah)"),
    ("program", (r"(nama )?program",), "programme"),
    ("kegiatan", (r"(nama )?kegiatan",), "kegiatan"),
    ("sub_kegiatan", (r"(nama )?sub ?kegiatan( nama)?", r"(nama )?rincian kegiatan", r"sub kegiatan uraian"), "sub-kegiatan"),
    ("jenis", (r"jenis( intervensi)?", r"(jenis )?intervensi", r"kategori intervensi"), "Jenis Intervensi (spesifik/sensitif/koordinatif)"),
    ("lokasi", (r"lokasi( kegiatan| sasaran)?", r"lokus( kegiatan)?", r"(desa )?kelurahan sasaran", r"wilayah( sasaran)?", r"sasaran lokasi"),
     "Lokasi (free text: Kota Serang, Kec. X, kelurahan names, codes)"),
    ("pagu", (r"(pagu|anggaran|alokasi|nilai)( anggaran)?( rp| rupiah)?", r"(pagu|anggaran) (indikatif|kegiatan)( rp)?",
              r"jumlah anggaran( rp)?"), "pagu in rupiah"),
    ("realisasi", (r"realisasi( anggaran| keuangan)?( rp| rupiah)?",), "realisasi in rupiah (optional)"),
    ("sumber_dana", (r"sumber( dana| anggaran| pendanaan)?",), "Sumber Dana (APBD, DAK, APBN, Dana Desa, CSR ...)"),
    ("sasaran", (r"(kelompok )?sasaran( kegiatan| penerima manfaat)?", r"target( sasaran)?", r"penerima manfaat"), "target group (Sasaran)"),
    ("tahun", (r"tahun( anggaran)?", r"ta", r"tahun pelaksanaan"), "year"),
    ("satuan", (r"satuan( anggaran| pagu| rupiah| uang| dana)?",), "unit of the pagu on the row (rupiah, ribu, juta, miliar)"),
]
_COMPILED = [(f, [re.compile(p) for p in pats]) for f, pats, _ in KEGIATAN_FIELDS]
REQUIRED = {"opd": "Perangkat Daerah (OPD)", "pagu": "Pagu", "lokasi": "Lokasi"}


def recognise_kegiatan(header) -> str | None:
    """Field of an activity-matrix header, or None.

    The longest end of the header that a pattern matches decides (a merged parent header comes first);
    failing that, the longest start ("Lokasi (Kelurahan/Kecamatan)", "Sumber Dana (APBD/DAK)")."""
    words = header_key(header).split()
    for part in [" ".join(words[s:]) for s in range(len(words))] + [" ".join(words[:e]) for e in range(len(words) - 1, 0, -1)]:
        for f, pats in _COMPILED:
            if any(p.fullmatch(part) for p in pats):
                return f
    return None


def parse_jenis(text) -> str | None:
    k = header_key(text)
    if not k or k in MISSING:
        return None
    found = set()
    for w in k.split():  # "Spesifik", "Spes.", "Intervensi Gizi Sensitif", "Koord."
        if w.startswith("spes") or w == "spe":
            found.add("spesifik")
        elif w.startswith("sens"):
            found.add("sensitif")
        elif w.startswith(("koor", "kord", "pendukung", "konvergen")):
            found.add("koordinatif")
    if len(found) == 1:
        return found.pop()
    raise NumberError("is not a Jenis Intervensi (write spesifik, sensitif or koordinatif)")


def parse_tahun(text) -> int | None:
    t = str(text).strip()
    if t in MISSING:
        return None
    m = re.fullmatch(r"(?:ta\.?\s*)?(\d{4})(?:\.0)?", t.lower())
    if not m or not 2000 <= int(m.group(1)) <= 2100:
        raise NumberError("is not a year (write 2023)")
    return int(m.group(1))


# ---- offices -------------------------------------------------------------------------------


def _opd_key(text) -> str:
    t = str(text).casefold().replace("&", " dan ")
    t = re.sub(r"\b(pemerintah|pemkot)\b", " ", t)
    t = re.sub(r"\bkota serang\b", " ", t)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", t).split())


@dataclass(frozen=True)
class OpdMatch:
    kode: str  # a known office's code, or the written name's key when unknown
    nama: str  # canonical name, or the name as written when unknown
    method: str  # alias | prefix | fuzzy | unknown
    score: float
    nearest: str = ""


class OpdMatcher:
    """Office names as written -> known offices (``data/kegiatan/opd.csv`` plus any user file)."""

    def __init__(self, extra: str | Path | None = None, *, threshold: float = 85.0, margin: float = 5.0):
        table = known_offices()
        if extra is not None:
            table = pd.concat([table, _read_offices(Path(extra))], ignore_index=True)
        self.names = dict(zip(table["kode"], table["nama"]))
        self.by_key: dict[str, str] = {}
        for kode, nama, alias in zip(table["kode"], table["nama"], table["alias"].fillna("")):
            for a in [nama, kode, *alias.split(";")]:
                if a.strip():
                    self.by_key.setdefault(_opd_key(a), kode)
        self.threshold, self.margin = threshold, margin
        self._cache: dict[str, OpdMatch] = {}

    def match(self, text: str) -> OpdMatch:
        if text in self._cache:
            return self._cache[text]
        key = _opd_key(text)
        prefix = [a for a in self.by_key if (len(a.split()) >= 2 or len(a) >= 8) and key.startswith(a + " ")]
        if key in self.by_key:
            kode = self.by_key[key]
            out = OpdMatch(kode, self.names[kode], "alias", 100.0)
        elif prefix:  # "Dinas Kesehatan (Puskesmas Kasemen)", "Puskesmas Unyur": the longest known name it starts with
            kode = self.by_key[max(prefix, key=len)]
            out = OpdMatch(kode, self.names[kode], "prefix", 90.0)
        else:
            found = process.extract(key, list(self.by_key), scorer=fuzz.token_sort_ratio, limit=10)
            best_by_office: dict[str, float] = {}
            for cand, score, _ in found:
                best_by_office.setdefault(self.by_key[cand], score)
            ranked = sorted(best_by_office.items(), key=lambda kv: -kv[1])
            kode, score = ranked[0] if ranked else ("", 0.0)
            runner = ranked[1][1] if len(ranked) > 1 else 0.0
            if score >= self.threshold and score - runner >= self.margin:
                out = OpdMatch(kode, self.names[kode], "fuzzy", round(float(score), 1))
            else:
                out = OpdMatch(key, " ".join(str(text).split()), "unknown", round(float(score), 1),
                               self.names.get(kode, ""))
        self._cache[text] = out
        return out


def _read_offices(path: Path) -> pd.DataFrame:
    try:
        t = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the office list ({exc})") from None
    missing = {"kode", "nama"} - set(t.columns)
    if missing:
        raise InputError(f"{path}: the office list needs the columns kode, nama[, alias] (missing {', '.join(sorted(missing))})",
                         hint="one office per row; alias: other spellings separated by ';'")
    return t.reindex(columns=["kode", "nama", "alias"]).fillna("")


@cache
def known_offices() -> pd.DataFrame:
    """kode, nama, alias (';'-separated spellings) of the offices that act on stunting in Kota Serang."""
    with resources.files("serang_gis").joinpath("data", "kegiatan", "opd.csv").open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


# kota names an office of another kota in or near Banten is written with ("Dinkes Kota Tangerang"); any "Kabupaten X" /
# "Kab. X" and any provincial office ("Dinas Kesehatan Provinsi Banten") is someone else's too
_OTHER_KOTA = {"serang", "cilegon", "tangerang", "jakarta", "bogor", "depok", "bekasi", "bandung", "sukabumi", "cimahi", "tasikmalaya",
               "banjar", "cirebon"}


def _place_key(text) -> str:
    t = " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())
    return re.sub(r"\bkabupaten\b", "kab", t)


def outside_office(text, own_kab: str = "Kota Serang") -> str | None:
    """Whose office ``text`` is when it is not the kab/kota's own: "Provinsi" (Dinas Kesehatan Provinsi Banten,
    Dinkes Prov. Banten, Pemprov, Dinkes Banten: the province's name without a kota or kabupaten), "Kabupaten Serang" (Dinkes Kab. Serang), "Kota Tangerang"; None for its own."""
    t, own = _place_key(text), _place_key(own_kab)
    m = re.search(r"\b(provinsi|prov|pemprov)\b( (?!dan\b)[a-z]+)?", t)
    if m:
        return "Provinsi" + (m.group(2) or "").title()
    if t.endswith(" banten") and not re.search(r"\b(kota|kab|kec|kecamatan|kel|kelurahan|desa|puskesmas|pustu|posyandu|upt puskesmas)\b", t):
        return "Provinsi Banten"  # "Dinkes Banten", "Dinsos Banten": the province's name alone (not Puskesmas / Kelurahan Banten, Kasemen)
    for kind, name in re.findall(r"\b(kab|kota) ([a-z]+)", t):
        if (kind == "kab" or name in _OTHER_KOTA) and not own.startswith(f"{kind} {name}"):
            return f"{'Kabupaten' if kind == 'kab' else 'Kota'} {name.title()}"
    return None


# ---- the matrix ----------------------------------------------------------------------------


@dataclass
class Kegiatan:
    """The activities of one matrix file, with everything that was not taken as an activity."""

    path: Path
    raw: RawTable
    rows: pd.DataFrame  # one row per activity (see read_kegiatan)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    totals: list[tuple[int, str, int | None]] = field(default_factory=list)  # (row, label, pagu)
    notes: list[str] = field(default_factory=list)
    year: int | None = None
    warnings: list[str] = field(default_factory=list)  # what --strict stops on: headings, repeated rows, other offices, totals
    units: dict[str, str] = field(default_factory=dict)  # pagu / realisasi -> the unit its header states (juta, ribu, miliar)

    def loc(self, row: int, column: str) -> str:
        name = self.path.name + (f"[{self.raw.sheet}]" if self.raw.sheet else "")
        return f"{name}:row {row}:column {self.raw.columns.get(column, column)!r}"

    @property
    def unknown_opd(self) -> pd.DataFrame:
        return self.rows.loc[self.rows["opd_cocok"] == "unknown", ["row", "opd_tertulis", "opd_terdekat", "opd_skor"]]

    @property
    def unlocated(self) -> pd.DataFrame:
        return self.rows.loc[self.rows["lokasi_jenis"] == "tidak_cocok", ["row", "lokasi", "lokasi_masalah", "pagu"]]


_TOTAL = re.compile(r"^(jumlah|total|sub ?total|grand total|jml)\b", re.IGNORECASE)
TEXT_FIELDS = ("opd", "program", "kegiatan", "sub_kegiatan", "kode", "sumber_dana", "sasaran")
FILL_DOWN = ("opd", "program", "kegiatan")


def read_kegiatan(path, kelurahan: pd.DataFrame, *, sheet: str | None = None, year: int | None = None,
                  opd_file=None, paket_file=None, strict: bool = False) -> Kegiatan:
    """Read an Aksi 2 matrix; ``kelurahan`` (kode_kel, kelurahan, kode_kec, kecamatan[, kabkota]) is what Lokasi is matched to.

    Columns of ``rows``: row, opd (code), opd_nama, opd_tertulis, opd_cocok (alias/fuzzy/unknown), opd_skor,
    opd_terdekat, program, kegiatan, sub_kegiatan, kode, jenis, sumber_dana, sasaran, tahun, pagu, realisasi,
    lokasi, lokasi_jenis (kota/kecamatan/kelurahan/tidak_cocok), kode_kel (tuple of codes), lokasi_cocok,
    lokasi_masalah, paket (tuple of package ids).
    Left out with a warning naming the rows (``warnings``): office heading rows (no sub-kegiatan, the pagu of
    the office's rows below), rows repeating an earlier row, the offices of the province or another kab/kota,
    and a grand total that differs from the activities is said. A bad pagu, realisasi, jenis or tahun stops
    the run (every bad cell listed); with ``strict`` so do every warning, an unknown office and a Lokasi
    that matches nothing.
    """
    path = Path(path)
    raw = read_raw(path, sheet=sheet, recogniser=recognise_kegiatan, required=REQUIRED)
    missing = [what for f, what in REQUIRED.items() if f not in raw.columns]
    if missing:
        raise InputError(f"{path.name}: no {', '.join(missing)} column (headers found: {', '.join(raw.columns.values())})",
                         hint="an Aksi 2 matrix needs Perangkat Daerah, Lokasi and Pagu columns; "
                              "`serang-gis template --kegiatan` writes one")
    own = str(kelurahan["kabkota"].iloc[0]) if "kabkota" in kelurahan.columns and len(kelurahan) else "Kota Serang"
    walk = _MatrixRows(raw, kelurahan, opd_file=opd_file, paket_file=paket_file, strict=strict, own_kab=own)
    for i in range(len(raw.frame)):
        walk.read_row(i)
    if walk.problems:
        raise invalid_values(walk.problems, path)
    warnings: list[str] = []
    acts = _leave_out_headings(walk.activities, warnings, walk.has_sub)
    acts, repeated = _leave_out_repeats(acts, warnings)
    in_file = sum(a["pagu"] or 0 for a in acts)
    acts = _leave_out_others(acts, own, warnings)
    rows = pd.DataFrame(acts, columns=ROW_COLUMNS)
    # the reasons a Lokasi matched nothing stay messages (read in the run's language), not text inferred as str
    rows["lokasi_masalah"] = pd.Series([a["lokasi_masalah"] for a in acts], index=rows.index, dtype=object)
    keg = Kegiatan(path, raw, rows, walk.skipped, walk.totals, [], year, warnings, {c: u[0][0] for c, u in walk.units.items()})
    keg.notes += walk.unit_notes()
    if walk.filled:
        keg.notes.append(Msg("keg.filled", n=walk.filled))
    if year is not None:
        _keep_year(keg, year)
    over = keg.rows["realisasi"].notna() & keg.rows["pagu"].notna() & (keg.rows["realisasi"] > keg.rows["pagu"])
    for r in keg.rows.loc[over, "row"]:
        keg.notes.append(Msg("keg.realisasi", row=r))
    _check_totals(keg, in_file, repeated)
    if strict and keg.warnings:
        raise InputError(f"{keg.path.name}: " + "; ".join(keg.warnings[:10]) + (" ..." if len(keg.warnings) > 10 else ""),
                         hint="correct the file, or leave out --strict to read it with these rows left out")
    return keg


ROW_COLUMNS = ["row", "opd", "opd_nama", "opd_tertulis", "opd_cocok", "opd_skor", "opd_terdekat", "program", "kegiatan",
               "sub_kegiatan", "kode", "jenis", "sumber_dana", "sasaran", "tahun", "pagu", "realisasi", "lokasi", "lokasi_jenis",
               "kode_kel", "lokasi_cocok", "lokasi_masalah", "paket"]


class _MatrixRows:
    """Walks the rows of a matrix, one ``read_row`` each: a blank, total or heading row is listed, an
    activity row becomes an activity; office, programme and kegiatan are filled down from the rows above."""

    def __init__(self, raw: RawTable, kelurahan: pd.DataFrame, *, opd_file, paket_file, strict: bool, own_kab: str = "Kota Serang"):
        from serang_gis.read.paket import PaketTable

        f = raw.frame
        self.raw, self.strict = raw, strict
        self.cols = {c: f[c].tolist() for c in f.columns}
        empty = [""] * len(f)
        self.get = {c: self.cols.get(c, empty) for c in ("opd", "program", "kegiatan", "sub_kegiatan", "kode", "jenis", "lokasi",
                                                         "pagu", "realisasi", "sumber_dana", "sasaran", "tahun", "satuan")}
        self.file_rows = raw.rows.tolist()
        self.has_sub = "sub_kegiatan" in raw.columns
        self.opds = OpdMatcher(opd_file)
        self.parser = LokasiParser(kelurahan)
        self.paket = PaketTable.load(paket_file)
        self.problems, self.skipped, self.totals, self.activities = [], [], [], []
        self.context = {c: "" for c in FILL_DOWN}
        self.filled = 0  # rows whose office was filled down
        self.units = column_units(raw)  # pagu / realisasi -> (the unit the column is written in, who says so)
        self.formats = number_formats(raw)  # pagu / realisasi -> {frame row: a number format naming a unit or scaling}
        self.satuan = "satuan" in raw.columns and any(satuan_unit(v) for v in self.cols["satuan"])
        self.style = number_style(self.get["pagu"] + self.get["realisasi"], machine=raw.path.suffix.lower() in (".xlsx", ".xlsm"))
        self.used: dict[str, list[int]] = {"format": [], "satuan": [], "comma": []}  # file rows read by each rule
        self.own_kab = own_kab
        self.outside: dict[str, tuple[str, list[int]]] = {}  # office as written -> (whose it is, rows)

    def read_row(self, i: int) -> None:
        r, get = self.file_rows[i], self.get
        labels = [self.cols[c][i] for c in self.cols if self.cols[c][i] and c not in ("no", "satuan")]
        if not labels:
            self.skipped.append((r, "blank row"))
            return
        text_labels = [get[c][i] for c in ("opd", "program", "kegiatan", "sub_kegiatan", "lokasi") if get[c][i]]
        if any(_TOTAL.match(v) for v in text_labels):
            try:
                self.totals.append((r, " ".join(text_labels), parse_rupiah(get["pagu"][i], self._unit(i, "pagu", []), self.style)))
            except NumberError:
                self.totals.append((r, " ".join(text_labels), None))
            return
        pagu_text, lokasi = get["pagu"][i], get["lokasi"][i]
        is_activity = bool(lokasi) or (bool(get["sub_kegiatan"][i]) if self.has_sub else pagu_text not in MISSING)
        if not is_activity:
            self._heading(i, r, text_labels, pagu_text)
            return
        row = self._activity(i, r)
        if row is not None:
            self.activities.append(row)

    def _heading(self, i: int, r: int, text_labels: list[str], pagu_text: str) -> None:
        """A heading (or a subtotal line without Lokasi) sets the context of the rows below it."""
        for c in FILL_DOWN:
            if self.get[c][i]:
                self.context[c] = self.get[c][i]
                for later in FILL_DOWN[FILL_DOWN.index(c) + 1:]:
                    self.context[later] = ""
        what = "subtotal line without Lokasi" if pagu_text not in MISSING else "heading"
        self.skipped.append((r, f"{what} {' / '.join(v for v in text_labels if v)[:80]!r}"))

    def _activity(self, i: int, r: int) -> dict | None:
        """One activity: office matched, amounts, jenis and year parsed, Lokasi located, packages; None (and a
        problem) without an office."""
        get, cell_loc = self.get, self.raw.loc
        row = {"row": r}
        for c in FILL_DOWN:
            v = get[c][i]
            if v:
                self.context[c] = v
            elif self.context[c]:
                self.filled += c == "opd"
                v = self.context[c]
            row[c] = v
        for c in ("sub_kegiatan", "kode", "sumber_dana", "sasaran"):
            row[c] = get[c][i]
        if not row["opd"]:
            self.problems.append(f"{cell_loc(i, 'opd')}: no office (Perangkat Daerah) on this row or above it")
            return None
        self._office(i, row)
        for c, parse in (("pagu", parse_rupiah), ("realisasi", parse_rupiah), ("jenis", parse_jenis), ("tahun", parse_tahun)):
            try:
                row[c] = parse(get[c][i], self._unit(i, c, self.problems), self.style) if c in ("pagu", "realisasi") else parse(get[c][i])
            except NumberError as exc:
                self.problems.append(f"{cell_loc(i, c)}: {get[c][i]!r} {exc}")
                row[c] = None
        if row["pagu"] is None and not any(p.startswith(cell_loc(i, "pagu")) for p in self.problems):
            self.problems.append(f"{cell_loc(i, 'pagu')}: the pagu is empty; write the amount (0 when there is none)")
        self._lokasi(i, row)
        row["paket"] = self.paket.packages(row["opd"], row["jenis"], " ".join((row["program"], row["kegiatan"], row["sub_kegiatan"])))
        return row

    def _unit(self, i: int, c: str, problems: list[str]) -> Unit | None:
        """The unit of the amount in column ``c`` of row ``i`` when the cell writes none: its number format (XLSX),
        else its row's Satuan, else the column's (header, header above, title). A contradiction is a problem."""
        column = self.units.get(c)
        unit = column[0] if column else None
        text, r = self.get[c][i], self.file_rows[i]
        if self.satuan and text not in MISSING:
            s = self.get["satuan"][i]
            own = satuan_unit(s)
            if own is None or (unit and own != unit):
                problems.append(f"{self.raw.loc(i, 'satuan')}: {s!r} " + (
                    "is not a unit of money, and other rows of this column are: write rupiah, ribu, juta or miliar" if own is None else
                    f"says {own[0]}, but {column[1]} says {unit[0]}: write one unit"))
                return unit
            unit = own
            self.used["satuan"].append(r)
        code = self.formats.get(c, {}).get(i)
        if code:
            named, thousands = format_unit(code)
            base = named or unit
            if base is None:
                divisor = count(1000 ** thousands)
                problems.append(f"{self.raw.loc(i, c)}: the cell's number format {code!r} shows the amount divided by {divisor} "
                                "without naming the unit: write the unit in the header (Pagu (Rp Juta)) or give the cell a plain number format")
                return unit
            unit = (base[0], base[1] / 1000 ** thousands)
            self.used["format"].append(r)
        if re.search(r"(?<![\d.,])\d{1,3}[,.]\d{3}(?![\d.,])", text) and self.style in ("id", "en"):
            self.used["comma"].append(r)
        return unit

    def unit_notes(self) -> list[str]:
        """Which units were read and from where (what a reader checks against the printed matrix)."""
        notes = [Msg("keg.unit", column=c, unit=u[0], source=source) for c, (u, source) in self.units.items()]
        rows = lambda key: ", ".join(map(str, sorted(set(self.used[key]))[:10])) + (" ..." if len(set(self.used[key])) > 10 else "")
        if self.used["satuan"]:
            notes.append(Msg("keg.unit_satuan", column=self.raw.columns['satuan'], rows=rows('satuan')))
        if self.used["format"]:
            notes.append(Msg("keg.unit_format", rows=rows('format')))
        if self.used["comma"]:
            notes.append(Msg("keg.comma_id" if self.style == "id" else "keg.comma_en", rows=rows('comma')))
        return notes

    def _office(self, i: int, row: dict) -> None:
        whose = outside_office(row["opd"], self.own_kab)
        if whose:  # another government's office: kept apart, left out of the kab/kota's figures
            row.update(opd=_opd_key(row["opd"]), opd_nama=row["opd"], opd_tertulis=row["opd"], opd_cocok="luar", opd_skor=0.0,
                       opd_terdekat="", luar=whose)
            return
        om = self.opds.match(row["opd"])
        row.update(opd=om.kode, opd_nama=om.nama, opd_tertulis=row["opd"], opd_cocok=om.method, opd_skor=om.score,
                   opd_terdekat=om.nearest)
        if om.method == "unknown" and self.strict:
            self.problems.append(f"{self.raw.loc(i, 'opd')}: office {row['opd_tertulis']!r} is not a known office"
                                 + (f" (nearest: {om.nearest}, score {om.score:g})" if om.nearest else "")
                                 + "; write its usual name or add it to an --opd file (kode,nama,alias)")

    def _lokasi(self, i: int, row: dict) -> None:
        lokasi = self.get["lokasi"][i]
        loc = self.parser.parse(lokasi)
        row.update(lokasi=lokasi, lokasi_jenis=loc.kind, kode_kel=tuple(loc.codes), lokasi_cocok="; ".join(loc.matches),
                   lokasi_masalah=problems_text(loc.problems))
        if loc.kind == "tidak_cocok" and self.strict:
            self.problems.append(f"{self.raw.loc(i, 'lokasi')}: {lokasi!r}: {'; '.join(loc.problems)}; write Kota Serang, "
                                 "Kec. NAME, or kelurahan names with their kecamatan, e.g. \"Kel. Sepang, Lialang (Kec. Taktakan)\"")


def column_units(raw: RawTable) -> dict[str, tuple[Unit, str]]:
    """pagu / realisasi -> (unit, who says it): its header ("Pagu (Rp Juta)"), else the header row right above it (a merged
    "Anggaran (Rp Juta)" over "Pagu" and "Realisasi"), else a title row ("Matriks Aksi 2 (dalam ribuan rupiah)")."""
    out = {}
    names = list(raw.frame.columns)
    for c in ("pagu", "realisasi"):
        if c not in raw.columns:
            continue
        try:
            out[c] = _column_unit(raw, c, names.index(c))
        except NumberError as exc:
            raise InputError(f"{raw.name}: column {raw.columns[c]!r}: {exc}") from None
    return {c: u for c, u in out.items() if u}


def _column_unit(raw: RawTable, c: str, j: int) -> tuple[Unit, str] | None:
    unit = header_unit(raw.columns[c])
    if unit:
        return unit, Msg("keg.unit_header", header=raw.columns[c])
    if {"rp", "rupiah", "idr"} & set(header_key(raw.columns[c]).split()):
        return None  # "Pagu (Rp)": the header says rupiah, a title above does not change it
    if raw.above and sum(bool(v) for v in raw.above[-1]) >= 2:  # a header row above: its cell (merged: the nearest to the left)
        parent = next((v for v in reversed(raw.above[-1][:j + 1]) if v), "")
        unit = header_unit(parent) if parent else None
        if unit:
            return unit, Msg("keg.unit_parent", header=parent, row=len(raw.above))
    for r, row in enumerate(raw.above, start=1):
        text = " ".join(v for v in row if v)
        unit = title_unit(text)
        if unit:
            return unit, Msg("keg.unit_title", row=r, text=text[:60])
    return None


def number_formats(raw: RawTable) -> dict[str, dict[int, str]]:
    """pagu / realisasi -> {frame row: number format} of the XLSX cells whose format names a unit or scales the number
    (``#,##0" juta"``, ``"Rp"#,##0,,``): Excel shows "1.250 juta" for the 1250 stored."""
    if raw.path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    from openpyxl import load_workbook

    names = list(raw.frame.columns)
    cols = {c: names.index(c) for c in ("pagu", "realisasi") if c in raw.columns}
    index = {int(r): i for i, r in enumerate(raw.rows)}
    out: dict[str, dict[int, str]] = {}
    try:
        book = load_workbook(raw.path, read_only=True)
        ws = book[raw.sheet] if raw.sheet in book.sheetnames else book.active
        for r, cells in enumerate(ws.iter_rows(min_row=1, max_row=int(raw.rows.iloc[-1])), start=1):
            for c, j in cols.items():
                cell = cells[j] if j < len(cells) else None
                code = getattr(cell, "number_format", "General") or "General"
                if r in index and getattr(cell, "data_type", "") == "n" and code != "General" and any(format_unit(code)):
                    out.setdefault(c, {})[index[r]] = code
        book.close()
    except Exception:  # noqa: BLE001  the formats are an extra: a workbook openpyxl cannot read is read without them
        return {}
    return out


def _leave_out_headings(acts: list[dict], warnings: list[str], has_sub: bool) -> list[dict]:
    """Rows without a sub-kegiatan whose pagu is the sum of the same office's rows right below them (an office or
    programme heading carrying its total) are not activities: left out, each named in ``warnings``. In a file
    without a Sub Kegiatan column only a row without Lokasi can be such a heading (two activities of one office
    with the same pagu are not one heading)."""
    heads = set()
    for j, a in enumerate(acts):
        if a["sub_kegiatan"] or not a["pagu"] or (a["lokasi"] and not has_sub):
            continue
        total, below = 0, []
        for b in acts[j + 1:]:
            if b["opd"] != a["opd"] or total >= a["pagu"]:
                break
            if not b["sub_kegiatan"] and not b["lokasi"] and b["pagu"]:
                continue  # a heading nested in this one
            total += b["pagu"] or 0
            below.append(b["row"])
        if below and total == a["pagu"]:
            heads.add(j)
            warnings.append(Msg("keg.heading", row=a['row'], opd=a['opd_tertulis'], pagu=Rupiah(a['pagu'] or 0), first=below[0], last=below[-1]))
    return [a for j, a in enumerate(acts) if j not in heads]


_SAME = ("opd", "program", "kegiatan", "sub_kegiatan", "kode", "jenis", "lokasi", "pagu", "realisasi", "sumber_dana", "sasaran", "tahun")


def _leave_out_repeats(acts: list[dict], warnings: list[str]) -> tuple[list[dict], int]:
    """A row equal to an earlier one in every field (office, sub-kegiatan, Lokasi, pagu, ...) is a pasted copy:
    counted once, each copy named in ``warnings``; returns the rows kept and the pagu of the copies."""
    first: dict[tuple, int] = {}
    kept, repeated = [], 0
    for a in acts:
        key = tuple(a.get(c) for c in _SAME)
        if key in first:
            repeated += a["pagu"] or 0
            warnings.append(Msg("keg.repeat", row=a['row'], first=first[key], pagu=Rupiah(a['pagu'] or 0)))
        else:
            first[key] = a["row"]
            kept.append(a)
    return kept, repeated


def _leave_out_others(acts: list[dict], own: str, warnings: list[str]) -> list[dict]:
    """The activities of provincial and other kab/kota offices are left out of ``own``'s figures, each office named."""
    others: dict[str, list[dict]] = {}
    for a in acts:
        if a.get("luar"):
            others.setdefault(a["opd_tertulis"], []).append(a)
    for written, rows in others.items():
        warnings.append(Msg("keg.other", opd=written, rows=", ".join(str(a['row']) for a in rows), pagu=Rupiah(sum(a['pagu'] or 0 for a in rows)),
                            where=rows[0]['luar'], own=own))
    return [a for a in acts if not a.get("luar")]


def _keep_year(keg: Kegiatan, year: int) -> None:
    """Only the activities of ``year`` (and those without a Tahun); the others are listed as skipped."""
    rows = keg.rows
    other = rows["tahun"].notna() & (rows["tahun"] != year)
    for r, t in zip(rows.loc[other, "row"], rows.loc[other, "tahun"]):
        keg.skipped.append((int(r), f"year {int(t)}, not {year}"))
    keg.rows = rows.loc[~other].reset_index(drop=True)
    if keg.rows.empty:
        raise InputError(f"{keg.path.name}: no activity of year {year} (years in the file: "
                         f"{', '.join(str(int(y)) for y in sorted(rows['tahun'].dropna().unique())) or 'none'})",
                         hint="choose another year, or leave the year out")


def _check_totals(keg: Kegiatan, in_file: int, repeated: int) -> None:
    """The grand total (a single total row, or the last and largest of several) is checked against the activities of
    the file (``in_file``: after headings and repeated rows are left out, with other governments' rows and every year: a
    ``year`` chosen does not change what the file's own total adds); a difference
    is a warning naming the row, not fixed. The total row itself is never an activity."""
    grand = [t for t in keg.totals if t[2] is not None]
    others = [t[2] for t in grand[:-1]]
    if not grand or any(v > grand[-1][2] for v in others) or 2 * grand[-1][2] < sum(others):
        return  # no total, or only subtotals (the last is not the largest, or less than half of the others together)
    r, label, value = grand[-1]
    if value != in_file:
        why = Msg("keg.total_why") if repeated and value == in_file + repeated else ""
        keg.warnings.append(Msg("keg.total", row=r, label=label[:40], total=Rupiah(value or 0), sum=Rupiah(in_file or 0), why=why))
