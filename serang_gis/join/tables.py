"""Match table rows to kelurahan (code -> name -> fuzzy) and join them, with a full JoinReport.

Nothing is lost silently: every row is either matched (and how), skipped as a total/heading/blank
(and checked against the data rows), or listed as unmatched with its row number. Kelurahan
without data stay in the result with missing values, never zero.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from dataclasses import asdict, dataclass, field

import geopandas as gpd
import pandas as pd

from serang_gis.core import codes, quality
from serang_gis.core.errors import InputError
from serang_gis.core.fields import COUNTS, PERCENTS
from serang_gis.core.indicators import UNSTABLE_BELOW, derive, prevalence
from serang_gis.core.memo import Memo
from serang_gis.core.numbers import Num, number
from serang_gis.core.text import TEXT, ListOf, Msg, say, t
from serang_gis.read.match import Matcher
from serang_gis.read.tables import Table

GROUPS = {  # indicator group -> fields; each group carries its source file and period
    "gizi": ("balita_diukur", "sasaran_balita", "pendek", "sangat_pendek", "stunting", "prevalensi"),
    "keluarga": ("keluarga", "keluarga_sasaran", "keluarga_berisiko", "krs_air_tidak_layak", "krs_jamban_tidak_layak",
                 "krs_terlalu_muda", "krs_terlalu_tua", "krs_terlalu_dekat", "krs_terlalu_banyak", "krs_bukan_kb_modern",
                 "pus", "pus_hamil", "baduta", "balita_keluarga"),
    "sanitasi": ("status_odf", "jamban_layak_persen", "jamban_persen", "jamban_aman_persen", "tanpa_jamban", "kk"),
    "stbm": ("stbm_stop_babs", "stbm_ctps", "stbm_pammrt", "stbm_sampah", "stbm_limbah", "tangga_babs_terbuka",
             "tangga_babs_tertutup", "tangga_bersama", "tangga_layak_sendiri", "tangga_aman"),
}
PREVALENCE_TOLERANCE = 0.5  # percentage points between a file's prevalence and its counts


@dataclass
class FileReport:
    file: str
    sheet: str | None
    kind: str
    period: str | None
    header_rows: list[int]
    columns: dict[str, str]
    ignored_columns: list[str]
    rows_read: int
    data_rows: int
    skipped: list[dict] = field(default_factory=list)
    total_rows: list[dict] = field(default_factory=list)
    matched: dict[str, int] = field(default_factory=lambda: {"code": 0, "name": 0, "fuzzy": 0})
    fuzzy: list[dict] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)
    # a file with personal data lists no label: unmatched rows are counted per reason instead
    unmatched_counts: dict[str, int] = field(default_factory=dict)
    personal: bool = False
    duplicates_summed: list[str] = field(default_factory=list)
    outside_region: int = 0  # rows with the code of another kab/kota
    totals_check: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quality: dict | None = None  # e-PPGBM quality panel of a by-name export (quality.QualityPanel), counts only
    missing: list[str] = field(default_factory=list)  # "Kelurahan (Kec. X)" of each kelurahan no row of this file gives

    def name(self) -> str:
        return f"{Path(self.file).name}{f' [{self.sheet}]' if self.sheet else ''}"

    def alerts(self, lang: str, most: int = 10) -> list[str]:
        """What a build says of this file on the terminal as on the index, in ``lang``: its warnings, the names matched as
        similar, the kelurahan it gives no row for (the first ``most``, then "dan N lainnya")."""
        out = [f"{TEXT[lang]['join.warning']}: {say(lang, x)}" for x in self.warnings]
        if self.fuzzy:
            out.append(t(lang, "join.fuzzy_line", pairs=", ".join(f"{x['given']}->{x['kelurahan']} {number(x['score'], 1, lang, trim=True)}"
                                                                   for x in self.fuzzy)))
        return out + ([self.missing_line(lang, most)] if self.missing else [])

    def missing_line(self, lang: str, most: int = 10) -> str:
        return t(lang, "join.missing_kel", n=len(self.missing), names=ListOf(self.missing[:most], len(self.missing) - most).text(lang))


@dataclass
class JoinReport:
    files: list[FileReport]
    kelurahan: int = 0
    with_data: int = 0  # kelurahan with a figure of any indicator in this period (families, sanitation ... count)
    measured: int | None = None  # kelurahan with toddlers measured in this period (None: no such column in its tables)
    without_data: list[str] = field(default_factory=list)
    coverage: dict | None = None  # balita diukur / sasaran balita (quality.coverage), where a sasaran column is joined

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)

    @property
    def warnings(self) -> list[str]:
        return [w for f in self.files for w in f.warnings]

    def summary(self, lang: str = "en") -> list[str]:
        """The report as lines of text, in English (the CLI) or Indonesian (``lang="id"``, the atlas index)."""

        def w(key):
            return TEXT[lang][f"join.{key}"]

        lines = []
        for f in self.files:
            lines.append(f"{Path(f.file).name}{f' [{f.sheet}]' if f.sheet else ''}: {TEXT[lang].get(f'join.kind.{f.kind}', f.kind)}, "
                         f"{f.rows_read} {w('read')}")
            lines.append(f"  {w('data')} {f.data_rows}; {w('skipped')} {len(f.skipped)}; {w('totals')} {len(f.total_rows)}"
                         + (f"; {f.outside_region} {w('outside')}" if f.outside_region else ""))
            lines.append(f"  {w('by_code')} {f.matched['code']}, {w('by_name')} {f.matched['name']}, {w('fuzzy')} {f.matched['fuzzy']}"
                         + (" (" + ", ".join(f"{x['given']}->{x['kelurahan']} {number(x['score'], 1, lang, trim=True)}" for x in f.fuzzy) + ")"
                            if f.fuzzy else ""))
            for u in f.unmatched:
                lines.append(f"  {w('unmatched')} {u['row']}: {u['kelurahan']!r} (kec. {u['kecamatan'] or '?'})"
                             + (f" - {w('nearest')}: {nearest_text(lang, u)}" if u.get("nearest") else ""))
            for reason, n in f.unmatched_counts.items():
                lines.append(f"  {w('unmatched_n')} {n}: {say(lang, reason)} ({w('byname_hidden')})")
            bad = [c for c in f.totals_check if not c["ok"]]
            if f.totals_check:
                lines.append(f"  {w('check')}: {len(f.totals_check) - len(bad)} {w('of')} {len(f.totals_check)} {w('agree')}")
            for n in f.notes:
                lines.append(f"  {w('note')}: {say(lang, n)}")
            for x in f.warnings:
                lines.append(f"  {w('warning')}: {say(lang, x)}")
            if f.missing:
                lines.append(f"  {f.missing_line(lang)}")
            lines += [f"  {q}" for q in quality.summary_lines(f.quality, lang)]
        lines += quality.coverage_lines(self.coverage, lang)
        lines.append(f"{w('with_data')} {self.with_data} {w('of')} {self.kelurahan}; {w('without')} {len(self.without_data)}")
        return lines


_TOTAL_WORDS = re.compile(r"^(jumlah|total|sub ?total|grand total|jml)\b\.?\s*|\b(kecamatan|kec)\b\.?\s*", re.IGNORECASE)


def _scope(matcher: Matcher, label: str, kecamatan_cell: str | None) -> str | None:
    """Kecamatan code a total row sums up, or None for a grand total."""
    cell = "" if not kecamatan_cell or _TOTAL_WORDS.match(kecamatan_cell) else kecamatan_cell
    for text in (cell, _TOTAL_WORDS.sub("", label or "").strip()):
        if text:
            code, score = matcher.kecamatan_code(text)
            if code:
                return code
    return None


def _resolve_maybe(table: Table, matcher: Matcher, rep: FileReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows like "Kota Baru" with no kecamatan: data when the label is a kelurahan's name, else a total/heading."""
    data, totals = table.data, table.totals
    maybe = table.maybe
    if maybe is None or maybe.empty:
        return data, totals
    inds = table.indicators
    is_data = []
    for r in maybe.itertuples(index=False):
        m = matcher.match(r.kelurahan, None)
        is_data.append(m.ok and m.method == "name")
    is_data = pd.Series(is_data, index=maybe.index)
    data = pd.concat([data, maybe[is_data]], ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)
    rest = maybe[~is_data]
    has_values = rest[inds].notna().any(axis=1) if inds else pd.Series(False, index=rest.index)
    if has_values.any():
        t = rest[has_values].copy()
        t.insert(1, "label", t["kelurahan"])
        if "kecamatan" in t.columns:
            t["kecamatan"] = ""  # a maybe row has no kecamatan cell: its scope comes from its label
        totals = pd.concat([totals, t], ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)
    for r in rest[~has_values].itertuples(index=False):
        rep.skipped.append({"row": r.row, "reason": "group heading" if table.raw.personal else f"group heading {r.kelurahan!r}"})
    return data, totals


def _contradictions(r, m, matcher: Matcher, raw, rep: FileReport) -> None:
    """A row matched by its code whose name or kecamatan cell names another place: say so (fails --strict)."""
    from serang_gis.read.match import name_key

    kel, kec = getattr(r, "kelurahan", "") or "", getattr(r, "kecamatan", "") or ""
    said = "" if raw.personal else f" {kel!r}"
    if kel and name_key(kel) != name_key(matcher.name(m.kode_kel)):
        by_name = matcher.match(kel, None)
        if by_name.ok and by_name.kode_kel != m.kode_kel:
            rep.warnings.append(Msg("join.w_code_names_other", row=r.row, code=m.kode_kel, label=matcher.label(m.kode_kel),
                                    other=matcher.label(by_name.kode_kel)))
        elif not by_name.ok or by_name.method == "ambiguous":
            from rapidfuzz import fuzz

            if fuzz.ratio(name_key(kel), name_key(matcher.name(m.kode_kel))) < matcher.threshold:
                rep.warnings.append(Msg("join.w_code_not_named", row=r.row, code=m.kode_kel, label=matcher.label(m.kode_kel), said=said))
    if kec:
        kec_code, _ = matcher.kecamatan_code(kec)
        if kec_code and kec_code != m.kode_kel[:8]:
            rep.warnings.append(Msg("join.w_code_kec", row=r.row, code=m.kode_kel, where=matcher.label(m.kode_kel).split('(')[-1].rstrip(')'),
                                    kec=kec_code))


def match_table(table: Table, matcher: Matcher, *, sum_duplicates: bool = False) -> tuple[pd.DataFrame, FileReport]:
    raw = table.raw
    personal = raw.personal or table.kind == "byname"
    rep = _file_report(table, personal)
    data, totals = _resolve_maybe(table, matcher, rep)
    rep.data_rows = len(data)
    data = _without_other_regions(data, matcher, rep)
    data = data.copy()
    data["kode_kel"] = _match_rows(data, table, matcher, rep, personal)
    _unmatched_warnings(table, rep)
    if table.kind == "aggregate":
        data, totals = _kecamatan_named_rows(data, totals, table, matcher, rep)
    _check_totals(data, totals, table, matcher, rep, personal)
    data = data[data["kode_kel"].notna()]
    data = _duplicates(data, table, rep, sum_duplicates or table.sum_duplicates)
    _value_warnings(data, matcher, rep)
    keep = ["kode_kel"] + table.indicators
    return data[keep].set_index("kode_kel"), rep


def _file_report(table: Table, personal: bool) -> FileReport:
    """The report of one file as read: header rows, columns, rows read and skipped, notes."""
    raw = table.raw
    rep = FileReport(file=str(raw.path), sheet=raw.sheet, kind=table.kind, period=table.period, header_rows=list(raw.header_rows),
                     columns=dict(raw.columns), ignored_columns=list(raw.ignored), rows_read=int(raw.rows.iloc[-1]) if len(raw.rows) else max(raw.header_rows),
                     data_rows=len(table.data), notes=list(table.notes), quality=getattr(table, "quality", None), personal=personal)
    rep.skipped = [{"row": r, "reason": why} for r, why in table.skipped]
    rep.warnings += list(getattr(raw, "warnings", [])) + list(getattr(table, "warnings", []))
    return rep


_KAB_CODES = Memo(4, copies=False)  # _kab_codes: a national table's, worked out once per process


def _kab_codes(kode: pd.Series):
    """The kab/kota code ("36.73", or "" where the code is none) of each row's kelurahan code. A batch worker joins one
    national table (83,190 rows) to each of its kab/kota: worked out once, by the codes' hash, not once per kab/kota."""
    import hashlib

    key = hashlib.blake2b(pd.util.hash_pandas_object(kode.astype(str), index=False).to_numpy().tobytes(), digest_size=16).digest()
    return _KAB_CODES.get(key, lambda: kode.map(lambda c: (codes.normalize(c, "kelurahan") or "")[:5]).to_numpy())


def _without_other_regions(data: pd.DataFrame, matcher: Matcher, rep: FileReport) -> pd.DataFrame:
    """A national or provincial table: rows with the code of another kab/kota are outside, not unmatched."""
    if "kode" not in data.columns:
        return data
    kab = pd.Series(_kab_codes(data["kode"]), index=data.index)
    outside = (kab != "") & ~kab.isin(matcher.kab_codes)
    if outside.any():
        rep.outside_region = int(outside.sum())
        rows = data.loc[outside, "row"].tolist()
        rep.warnings.append(Msg("join.w_outside", n=rep.outside_region, rows=", ".join(map(str, rows[:10])) + (" ..." if len(rows) > 10 else ""),
                                here=", ".join(sorted(matcher.kab_codes))))
        data = data[~outside].reset_index(drop=True)
        rep.data_rows = len(data)
    return data


def _match_rows(data: pd.DataFrame, table: Table, matcher: Matcher, rep: FileReport, personal: bool) -> list:
    """The kelurahan code of each row (None when it matches none), counting each match in the report;
    raises when a name is ambiguous."""
    raw = table.raw
    region = ", ".join(sorted(matcher.kab_codes))
    errors = []
    codes_out = []
    for r in data.itertuples(index=False):
        m = matcher.match(getattr(r, "kelurahan", None), getattr(r, "kecamatan", None) or None, getattr(r, "kode", None))
        if r.row in table.filled_rows and m.method != "code" and _fill_is_a_guess(r, m, matcher):
            errors.append(_filled_error(r, matcher, raw, personal))
        elif m.method == "ambiguous":
            given = "" if personal else f" {getattr(r, 'kelurahan', '')!r}"
            errors.append(f"{raw.name}: row {r.row}, column {raw.columns.get('kelurahan', 'kelurahan')!r}:{given} is the name of "
                          f"{len(m.candidates)} kelurahan ({'; '.join(m.candidates)}): add a kecamatan column or the code")
        elif m.ok:
            _note_match(r, m, matcher, raw, rep, personal, region)
        elif personal:
            reason = _unmatched_reason(r, matcher, region)
            n = int(getattr(r, {"byname": "balita_diukur", "household": "kk"}.get(table.kind, "row"), 1) or 1) \
                if table.kind in ("byname", "household") else 1
            rep.unmatched_counts[reason] = rep.unmatched_counts.get(reason, 0) + n
        else:
            rep.unmatched.append({"row": r.row, "kelurahan": getattr(r, "kelurahan", ""), "kecamatan": getattr(r, "kecamatan", ""),
                                  "kode": getattr(r, "kode", ""), "nearest": list(m.candidates)})
        codes_out.append(m.kode_kel)
    if errors:
        raise InputError("\n".join(errors), hint="fill in the kecamatan cells named above (Kota Serang has two kelurahan "
                                                 "called Sukawana: Kec. Serang and Kec. Curug)")
    if rep.data_rows and not any(rep.matched.values()):
        why = "; ".join(f"{reason}: {n}" for reason, n in rep.unmatched_counts.items())
        raise InputError(f"{raw.name}: none of its {rep.data_rows} data rows matches a kelurahan of {region}; nothing was "
                         "joined" + (f" (e.g. row {rep.unmatched[0]['row']}: kode {rep.unmatched[0]['kode']!r}, kelurahan "
                                     f"{rep.unmatched[0]['kelurahan']!r})" if rep.unmatched else "")
                         + (f" ({why}; by-name data: the cells are not shown)" if why else ""),
                         hint="check that the file is of this kab/kota (--region), that its code column holds full "
                              "kelurahan codes (3673011002 or 36.73.01.1002) and its name column kelurahan names")
    return codes_out


def _fill_is_a_guess(r, m, matcher: Matcher) -> bool:
    """A kecamatan filled from the rows above decides nothing by itself: refused where the name is that of several
    kelurahan (Sukawana), or where it is not in the filled kecamatan but is elsewhere (the fill would lose it)."""
    alone = matcher.match(getattr(r, "kelurahan", None), None)
    return alone.method == "ambiguous" or (not m.ok and alone.method != "none")


def _filled_error(r, matcher: Matcher, raw, personal: bool) -> str:
    """A row whose blank kecamatan cell was filled from the row above, and whose name is not (once) in that kecamatan."""
    kel = getattr(r, "kelurahan", "") or ""
    alone = matcher.match(kel, None)
    where_ = (f"; by name alone it is {alone.kode_kel and matcher.label(alone.kode_kel)}" if alone.ok else
              f"; the name is that of {'; '.join(alone.candidates)}" if alone.method == "ambiguous" else "")
    given = "" if personal else f" {kel!r}"
    if alone.method == "ambiguous":
        return (f"{raw.name}: row {r.row}: the kecamatan cell is blank (the rows above would make it "
                f"{getattr(r, 'kecamatan', '')!r}), and{given} is the name of {len(alone.candidates)} kelurahan"
                f"{'' if personal else where_}: write the kecamatan in that cell")
    return (f"{raw.name}: row {r.row}: the kecamatan cell is blank and would be filled from the rows above as "
            f"{getattr(r, 'kecamatan', '')!r}, but{given} is not a kelurahan of that kecamatan{'' if personal else where_}: "
            "write the kecamatan in that cell")


def _note_match(r, m, matcher: Matcher, raw, rep: FileReport, personal: bool, region: str) -> None:
    """Count a matched row by its method, with the warnings it deserves (a contradicting or foreign code, a
    kecamatan not known) and the fuzzy matches to review."""
    rep.matched[m.method] += 1
    if m.method == "code":
        _contradictions(r, m, matcher, raw, rep)
    elif str(getattr(r, "kode", "") or "").strip():
        shown = "" if personal else f" {getattr(r, 'kode')!r}"
        rep.warnings.append(Msg("join.w_code_foreign", row=r.row, shown=shown, region=region, method=Msg(f"join.method.{m.method}") if f"join.method.{m.method}" in TEXT["en"] else m.method,
                                label=matcher.label(m.kode_kel)))
    if m.method == "name" and m.candidates:  # matched despite a kecamatan we do not know: say so
        rep.warnings.append(Msg("join.w_row", row=r.row, text=Msg("join.kec_unknown_hidden") if personal else m.candidates[0]))
    if m.method == "fuzzy":
        kel = matcher.name(m.kode_kel)
        rep.fuzzy.append({"row": r.row, "given": "" if personal else getattr(r, "kelurahan", ""),
                          "kecamatan": "" if personal else getattr(r, "kecamatan", ""),
                          "kode_kel": m.kode_kel, "kelurahan": kel, "score": m.score})


def nearest_text(lang: str, unmatched: dict) -> str:
    """The names an unmatched row comes nearest to (or why none), in ``lang``."""
    return "; ".join(say(lang, x) for x in unmatched.get("nearest") or ())


def _unmatched_reason(r, matcher: Matcher, region: str) -> Msg:
    """Why a row of personal data matched no kelurahan, without showing its cells."""
    kel_cell, kec_cell = getattr(r, "kelurahan", "") or "", getattr(r, "kecamatan", "") or ""
    if not kel_cell and not getattr(r, "kode", ""):
        return Msg("join.r_kel_empty")
    if kec_cell and matcher.kecamatan_code(kec_cell)[0] is None:
        return Msg("join.r_kec_unknown", region=region)
    return Msg("join.r_kel_unknown", region=region)


def _unmatched_warnings(table: Table, rep: FileReport) -> None:
    """One warning per unmatched row (per reason, counted, for personal data)."""
    for u in rep.unmatched:
        if u.get("nearest"):  # the names it comes nearest to ("did you mean")
            rep.warnings.append(Msg("join.w_unmatched_near", row=u['row'], name=u['kelurahan'], kec=u['kecamatan'] or '?',
                                    near=ListOf(u["nearest"])))
        else:
            rep.warnings.append(Msg("join.w_unmatched", row=u['row'], name=u['kelurahan'], kec=u['kecamatan'] or '?'))
    what = Msg(f"join.what.{table.kind if table.kind in ('byname', 'household') else 'row'}")
    for reason, n in rep.unmatched_counts.items():
        rep.warnings.append(Msg("join.w_unmatched_counted", n=n, what=what, reason=reason,
                                column=table.raw.columns.get('kelurahan', 'kelurahan')))


def _ambiguous_subtotal(table: Table, matcher: Matcher, r, kec: str, n: int) -> None:
    """A row named like its kecamatan holding the sums of its other kelurahan, the same-named kelurahan having no other row:
    the kecamatan's subtotal or that kelurahan cannot be told apart, so it is refused (never a subtotal joined as a kelurahan)."""
    name = matcher.kecamatan_name(kec)
    raise InputError(f"{table.raw.name}: row {r['row']}: {r['kelurahan']!r} is the name of Kec. {name} and of its kelurahan "
                     f"{matcher.label(r['kode_kel'])}, its figures are the exact sums of the {n} other kelurahan of Kec. {name}, and "
                     f"the file has no other row for kelurahan {matcher.name(r['kode_kel'])}: it cannot be told whether the row is the "
                     "kecamatan's subtotal or the kelurahan",
                     hint=f'a subtotal: write "Jumlah Kec. {name}" in its kelurahan cell; the kelurahan: write its code '
                          f"{r['kode_kel']} on the row (a Kode Wilayah column), which is then matched by code")


def _kecamatan_named_rows(data: pd.DataFrame, totals: pd.DataFrame, table: Table, matcher: Matcher,
                          rep: FileReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A row named like its kecamatan ("CURUG": a kecamatan and one of its kelurahan) matched by name: when its counts
    are the sums of the other kelurahan of that kecamatan it is the kecamatan's subtotal (moved to the totals, with a
    warning) if the kelurahan has its own row, else an error (``_ambiguous_subtotal``); when its kecamatan cell is blank it is read as the kelurahan, with a warning naming the row."""
    from serang_gis.read.match import name_key

    if "kelurahan" not in data.columns:
        return data, totals
    counts = [c for c in table.indicators if c in COUNTS]
    has_kec = "kecamatan" in table.raw.columns
    moved = []
    named = data["kelurahan"].map(name_key).isin(matcher.kec_by_key.keys())
    for j, r in data[named].iterrows():
        key = name_key(r.get("kelurahan", ""))
        kec = matcher.kec_by_key.get(key)
        if not kec or pd.isna(r["kode_kel"]) or str(r.get("kode", "") or "").strip():
            continue
        others = data[(data.index != j) & data["kode_kel"].astype("string").str.startswith(kec + ".").fillna(False)]
        given = [c for c in counts if pd.notna(r[c])]
        if given and len(others) >= 2 and all(int(r[c]) == int(others[c].sum(skipna=True)) for c in given):
            if not (others["kode_kel"] == r["kode_kel"]).any():
                _ambiguous_subtotal(table, matcher, r, kec, len(others))
            moved.append(j)
            rep.warnings.append(Msg("join.w_subtotal", row=r['row'], name=r['kelurahan'], n=len(others), kec=matcher.kecamatan_name(kec),
                                    kel=matcher.name(r['kode_kel'])))
        elif has_kec and (r["row"] in table.filled_rows or not str(r.get("kecamatan", "") or "").strip()):
            rep.warnings.append(Msg("join.w_kec_named", row=r['row'], name=r['kelurahan'], kec=matcher.kecamatan_name(kec),
                                    label=matcher.label(r['kode_kel'])))
    if not moved:
        return data, totals
    t = data.loc[moved].drop(columns=["kode_kel"])
    t.insert(1, "label", ["Kec. " + matcher.kecamatan_name(matcher.kec_by_key[name_key(k)]) for k in t["kelurahan"]])
    if "kecamatan" in t.columns:
        t["kecamatan"] = list(t["label"].str[5:])
    totals = pd.concat([totals, t[[c for c in t.columns if c in totals.columns]]], ignore_index=True)
    return data.drop(index=moved), totals.sort_values("row", kind="stable").reset_index(drop=True)


def _check_totals(data: pd.DataFrame, totals: pd.DataFrame, table: Table, matcher: Matcher, rep: FileReport, personal: bool) -> None:
    """Check the data rows against every total row (of the whole table or of one kecamatan)."""
    counts = [c for c in table.indicators if c in COUNTS]
    if "kecamatan" in data.columns:
        kec_of_row = data["kecamatan"].map(lambda k: matcher.kecamatan_code(k)[0] if k else None)
    else:
        kec_of_row = pd.Series(None, index=data.index, dtype=object)
    kec_of_row = kec_of_row.fillna(data["kode_kel"].astype("string").str[:8])  # no row matched (another region): all missing
    for t in totals.itertuples(index=False):
        scope = _scope(matcher, t.label, getattr(t, "kecamatan", None))
        t = t._replace(label="total row") if personal else t
        rows = data[kec_of_row == scope] if scope else data
        rep.total_rows.append({"row": t.row, "label": t.label, "scope": scope or "all"})
        for c in counts:
            stated = getattr(t, c)
            if stated is None or pd.isna(stated):
                continue
            computed = int(rows[c].sum(skipna=True))
            ok = int(stated) == computed
            rep.totals_check.append({"row": t.row, "label": t.label, "scope": scope or "all", "field": c,
                                     "stated": int(stated), "computed": computed, "ok": ok})
            if not ok:
                rep.warnings.append(Msg("join.w_total", row=t.row, label=t.label, column=c, stated=Num(int(stated)), computed=Num(computed)))


def _duplicates(data: pd.DataFrame, table: Table, rep: FileReport, sum_duplicates: bool) -> pd.DataFrame:
    """Two rows for one kelurahan are an error, or (``sum_duplicates``, counts only) added together."""
    dup = data["kode_kel"].duplicated(keep=False)
    if not dup.any():
        return data
    raw, inds = table.raw, table.indicators
    counts = [c for c in inds if c in COUNTS]
    dups = data[dup]
    same = {code: len(g[inds].astype("string").drop_duplicates()) == 1 for code, g in dups.groupby("kode_kel")}
    pasted = " (identical figures: the row pasted twice?)"
    if not sum_duplicates:
        lines = [f"{raw.path.name}: rows {', '.join(map(str, g['row']))} are all kelurahan {code}{pasted if same[code] else ''}"
                 for code, g in dups.groupby("kode_kel")]
        raise InputError("two or more rows for one kelurahan:\n  " + "\n  ".join(lines),
                         hint="remove the extra rows, or add up their counts: `serang-gis join --sum-duplicates`, or "
                              "sum_duplicates = true in the atlas config's [[data]] of this file")
    data = _drop_copies(data, dups, raw, rep)
    dups = data[data["kode_kel"].duplicated(keep=False)]
    rep.duplicates_summed = sorted(dups["kode_kel"].unique())
    for code, g in dups.groupby("kode_kel"):
        if len(g[inds].astype("string").drop_duplicates()) == 1:
            rep.warnings.append(Msg("join.w_identical", rows=", ".join(map(str, g['row'])), code=code))
    if set(inds) - set(counts):
        raise InputError(f"{raw.path.name}: summing duplicate rows adds counts only, but the file also has {', '.join(sorted(set(inds) - set(counts)))}")
    return data.groupby("kode_kel", as_index=False).agg({"row": "min", **{c: "sum" for c in counts}})


def _drop_copies(data: pd.DataFrame, dups: pd.DataFrame, raw, rep: FileReport) -> pd.DataFrame:
    """With --sum-duplicates, a row equal to an earlier row of its kelurahan in every cell (the No column aside) is a
    pasted copy, not a second part: counted once, each copy named in a warning (--strict refuses it)."""
    at = {int(r): i for i, r in enumerate(raw.rows)}
    cells = raw.frame[[c for c in raw.frame.columns if c != "no"]].astype(str)
    copies: list[int] = []
    for code, g in dups.groupby("kode_kel"):
        seen: dict[tuple, int] = {}
        for r in g["row"]:
            key = tuple(cells.iloc[at[int(r)]]) if int(r) in at else (r,)
            if key in seen:
                copies.append(int(r))
                rep.warnings.append(Msg("join.w_copy", row=int(r), first=seen[key], code=code))
            else:
                seen[key] = int(r)
    return data[~data["row"].astype(int).isin(copies)] if copies else data


def _value_warnings(data: pd.DataFrame, matcher: Matcher, rep: FileReport) -> None:
    """Warnings on the values: a prevalence that differs from its counts (a stunting total that is not
    pendek + sangat pendek stops the reading), and kelurahan with too few toddlers measured for a stable rate."""
    if "prevalensi" in data.columns and "balita_diukur" in data.columns:
        computed = prevalence(data)
        off = (data["prevalensi"] - computed).abs() > PREVALENCE_TOLERANCE
        for r, given, comp in zip(data.loc[off.fillna(False), "row"], data.loc[off.fillna(False), "prevalensi"], computed[off.fillna(False)]):
            rep.warnings.append(Msg("join.w_prevalence", row=r, given=Num(given, 2, trim=True), computed=Num(comp, 2)))
    if "balita_diukur" in data.columns:
        few = data[data["balita_diukur"] < UNSTABLE_BELOW]
        if len(few):
            names = ", ".join(matcher.label(c) for c in few["kode_kel"][:10]) + (" ..." if len(few) > 10 else "")
            rep.warnings.append(Msg("join.w_few", n=len(few), few=UNSTABLE_BELOW, names=names))


def join_tables(kelurahan: gpd.GeoDataFrame, tables: list[Table], *, sum_duplicates=False, strict=False) -> tuple[gpd.GeoDataFrame, JoinReport]:
    """Join every table to the canonical kelurahan layer; raise on errors (and on warnings if strict)."""
    matcher = Matcher(kelurahan)
    merged = pd.DataFrame(index=pd.Index(kelurahan["kode_kel"], name="kode_kel"))
    reports, origin = [], {}
    for table in tables:
        values, rep = match_table(table, matcher, sum_duplicates=sum_duplicates)
        reports.append(rep)
        lacking = kelurahan[~kelurahan["kode_kel"].isin(values.index)].sort_values(["kecamatan", "kelurahan"])
        rep.missing = [f"{r.kelurahan} (Kec. {r.kecamatan})" for r in lacking.itertuples()]
        for c in values.columns:
            if c in origin:
                header = table.raw.columns.get(c, c)
                raise InputError(f"{c} is given by both {origin[c]} and {table.raw.path.name} (column {header!r}): one table "
                                 "per field and period",
                                 hint=f"keep one: leave the column out of the other table, in atlas.toml with "
                                      f"columns = {{ {json.dumps(header)} = \"-\" }} on its [[data]] table, or with "
                                      f"--map \"{header}=-\"; or give the tables different periods")
            origin[c] = table.raw.path.name
        merged = merged.join(values, how="left")
        src = table.raw.path.name + (f" [{table.raw.sheet}]" if table.raw.sheet else "")
        for group, cols in GROUPS.items():
            if any(c in values.columns for c in cols):
                merged[f"sumber_{group}"] = pd.Series(src, index=values.index).reindex(merged.index)
                merged[f"periode_{group}"] = pd.Series(table.period or "", index=values.index).reindex(merged.index)
    _across_tables(merged, origin, reports, matcher)
    report = JoinReport(reports, kelurahan=len(kelurahan), coverage=quality.coverage(merged))
    ind_cols = [c for c in merged.columns if c in COUNTS or c in PERCENTS or c == "status_odf"]
    has = merged[ind_cols].notna().any(axis=1) if ind_cols else pd.Series(False, index=merged.index)
    report.with_data = int(has.sum())
    if "balita_diukur" in merged.columns:
        report.measured = int(pd.to_numeric(merged["balita_diukur"], errors="coerce").notna().sum())
    names = kelurahan.set_index("kode_kel")
    report.without_data = [f"{c} {names.at[c, 'kelurahan']} (Kec. {names.at[c, 'kecamatan']})" for c in merged.index[~has]]
    if strict and report.warnings:
        lines = [f"{Path(f.file).name}{f' [{f.sheet}]' if f.sheet else ''}: {w}" for f in report.files for w in f.warnings]
        raise InputError("--strict: the join has warnings:\n  " + "\n  ".join(lines), hint="fix the data, or run without --strict")
    out = kelurahan.merge(derive(merged).reset_index(), on="kode_kel", how="left")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=kelurahan.crs), report


def _across_tables(merged: pd.DataFrame, origin: dict[str, str], reports: list[FileReport], matcher: Matcher) -> None:
    """A prevalence from one file and counts from another that disagree: a warning naming the kelurahan (the row
    check of ``_value_warnings`` covers a file holding both)."""
    if "prevalensi" not in origin or "balita_diukur" not in origin:
        return
    count_files = {origin[c] for c in ("pendek", "sangat_pendek", "stunting") if c in origin} | {origin["balita_diukur"]}
    if count_files == {origin["prevalensi"]}:
        return
    computed = prevalence(merged)
    off = ((merged["prevalensi"] - computed).abs() > PREVALENCE_TOLERANCE).fillna(False)
    if not off.any():
        return
    shown = [Msg("join.prevalence_pair", label=matcher.label(c), given=Num(merged.at[c, "prevalensi"], 2, trim=True),
                 computed=Num(computed[c], 1)) for c in merged.index[off][:10]]
    rep = next(r for r in reports if Path(r.file).name == origin["prevalensi"])
    rep.warnings.append(Msg("join.w_prevalence_files", file=origin["prevalensi"], counts=", ".join(sorted(count_files)),
                            n=int(off.sum()), shown=ListOf(shown, int(off.sum()) - len(shown))))


JOINED_KEYS = ["kode_kel", "kelurahan", "kode_kec", "kecamatan", "kode_kab", "kabkota"]


def read_joined(path, layer: str | None = None) -> gpd.GeoDataFrame:
    """A layer written by ``join`` or ``build`` (GeoPackage or GeoJSON), checked to have the key columns."""
    import pyogrio

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file", hint="make one with `serang-gis join ... -o joined.gpkg`")
    if path.is_dir():
        raise InputError(f"{path}: is a folder", hint="give the .gpkg or .geojson written by `serang-gis join`")
    if path.suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx", ".xls"):
        raise InputError(f"{path}: cannot read it as a vector layer: a {path.suffix} table has no geometry",
                         hint="give the .gpkg or .geojson written by `serang-gis join` (-o joined.gpkg)")
    try:
        layers = [n for n, _ in pyogrio.list_layers(path)]
        if layer is None:
            layer = "kelurahan" if "kelurahan" in layers else layers[0]
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
        if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame.columns or frame.geometry.isna().all():
            raise InputError(f"{path}: cannot read it as a vector layer: layer {layer!r} has no geometry",
                             hint="give the .gpkg or .geojson written by `serang-gis join`")
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: cannot read it as a vector layer ({exc})", hint="give the .gpkg or .geojson written by join") from None
    missing = [c for c in JOINED_KEYS if c not in frame.columns]
    if missing:
        raise InputError(f"{path} (layer {layer}): missing the columns {', '.join(missing)}",
                         hint="map the layer written by `serang-gis join` or `serang-gis build`")
    _refuse_repeated_codes(frame, path)
    _refuse_impossible_percentages(frame, path)
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        frame = frame.set_crs(4326) if frame.crs is None else frame.to_crs(4326)
    return frame


def _refuse_impossible_percentages(frame, path: Path) -> None:
    """A percentage outside 0-100 (a layer edited by hand) was mapped, exported, ranked and classed as it was (walk
    adv13 HIGH-1: 150 % shown beside its own interval of 18-28 %): refused for every command, naming the feature."""
    from serang_gis.core.indicators import INFO

    for col in frame.columns:
        if getattr(INFO.get(col), "unit", None) != "%":
            continue
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = [i for i, v in enumerate(values) if pd.notna(v) and not 0 <= v <= 100]
        if bad:
            i = bad[0]
            who = f"{frame['kode_kel'].iloc[i]} {frame['kelurahan'].iloc[i]}"
            raise InputError(f"{path}: {col} of {who} is {values.iloc[i]:g} %, outside 0-100"
                             + (f" ({len(bad) - 1} more features too)" if len(bad) > 1 else ""),
                             hint=f"correct {col} of that kelurahan (a percentage), or rebuild the layer with `serang-gis join`")


def _refuse_repeated_codes(frame, path: Path) -> None:
    """A kelurahan code on two features (a layer edited by hand in QGIS, two layers appended) would count, map and burn
    in that kelurahan twice: refused for every command that reads a joined layer, naming the features (walk adv12 H1)."""
    codes = frame["kode_kel"]
    repeated = codes[codes.duplicated(keep=False) & codes.notna()]
    if len(repeated):
        first = repeated.iloc[0]
        rows = [i + 1 for i, c in enumerate(codes) if c == first]
        raise InputError(f"{path}: the kelurahan code {first} is on {len(rows)} features (features {', '.join(map(str, rows))})"
                         + (f", and {repeated.nunique() - 1} more codes repeat" if repeated.nunique() > 1 else ""),
                         hint="give each kelurahan its own code (kode_kel) in QGIS, or rebuild the layer with `serang-gis join`")
