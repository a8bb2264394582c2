"""Aggregate a by-name e-PPGBM export (one row per measurement) to kelurahan counts.

Each child is counted once: its latest measurement within the period that has a TB/U class, if it
was 0-59 months old then (a child with a blank TB/U and no z-score is not counted as measured, and
the note says how many). A child is identified by NIK + date of birth + name where the NIK is
present (siblings may share a family NIK), else by name + date of birth + parent's name (turned into
a plain number in memory). Height-for-age z-scores are recomputed from Tinggi, JK and the dates
(WHO 2006, ``core.growth``); a measurement whose z-score is implausible (outside -6..+6), whose
height is outside 38-130 cm, or whose recorded z-score is more than 0.5 from the recomputed one is
excluded and counted in the quality panel; none of these values is ever copied into a result, a report or a message
(messages name rows and columns only).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from serang_gis.core import growth, quality
from serang_gis.core.errors import InputError, SchemaError
from serang_gis.core.fields import header_key
from serang_gis.core.text import Msg
from serang_gis.read.tablebase import MAX_ERRORS, MISSING, RawTable, Table, invalid_values

# TB/U classes as exports write them (Indonesian, or English in some exports) -> our three classes
TBU = {"sangat pendek": "sangat pendek", "severely stunted": "sangat pendek", "pendek": "pendek", "stunted": "pendek",
       "normal": "normal", "tinggi": "tinggi", "tall": "tinggi"}


def parse_period(period: str | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """'2024' / '2024-08' / '2024-02..2024-08' / '2024-08-01..2024-08-31' -> [start, end] (inclusive)."""
    if not period:
        return None, None
    a, sep, b = period.partition("..")
    b = b or a

    def bound(text, end):
        text = text.strip()
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text) or not 1900 <= int(text[:4]) <= 2100:
            raise InputError(f"period {period!r} is not understood",
                             hint="write 2024, 2024-08, 2024-02..2024-08 or 2024-08-01..2024-08-31 (years 1900-2100)")
        try:
            pd.Timestamp(text if len(text) > 7 else text + ("-01" if len(text) == 7 else "-01-01"))
        except ValueError:
            raise InputError(f"period {period!r}: {text!r} is not a date", hint="months 01-12, days that exist") from None
        if re.fullmatch(r"\d{4}", text):
            p = pd.Period(text, "Y")
        elif re.fullmatch(r"\d{4}-\d{2}", text):
            p = pd.Period(text, "M")
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            p = pd.Period(text, "D")
        else:
            raise InputError(f"period {period!r} is not understood", hint="write 2024, 2024-08, 2024-02..2024-08 or 2024-08-01..2024-08-31")
        try:
            return (p.end_time if end else p.start_time).normalize()
        except (ValueError, OverflowError) as exc:  # an out-of-range date, e.g. year 0
            raise InputError(f"period {period!r} is not a date range ({exc})",
                             hint="write 2024, 2024-08, 2024-02..2024-08 or 2024-08-01..2024-08-31") from None

    return bound(a, False), bound(b, True)


def _per_unique(series: pd.Series, fn) -> pd.Series | pd.DataFrame:
    """Apply ``fn`` (Series -> Series or DataFrame) to the distinct values only: exports repeat dates and classes a lot."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    done = fn(pd.Series(uniques, dtype=series.dtype))
    if isinstance(done, pd.DataFrame):
        return pd.DataFrame({c: done[c].to_numpy()[codes] for c in done.columns}, index=series.index)
    return pd.Series(done.to_numpy()[codes], index=series.index)


DATE_ORDERS = {"dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y"}  # --date-format / [[data]] date_format
_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")


def _dates(series: pd.Series, order: str = "dmy") -> pd.Series:
    """Dates as e-PPGBM writes them: 2023-05-17, 17/05/2023, 17-05-2023 (day first; month first with ``order="mdy"``)."""
    return _per_unique(series, lambda u: _parse_dates(u, order)).astype("datetime64[ns]")


def date_order(raw: RawTable, fields: list[str], given: str | None = None) -> str:
    """Whether the file's dd/mm/yyyy-like dates are day-first ("dmy") or month-first ("mdy"), from all their values.

    A value whose first part is above 12 settles day-first, one whose second part is, month-first; one order for
    the whole file (one export writes its dates one way). A column that holds both, or two columns that disagree,
    is an error; so are dates that could be read either way throughout (01/08/2024 and no day above 12) unless the
    order is ``given``. Messages name the rows and columns, never a date (the dates are a child's).
    """
    seen: dict[str, list[str]] = {"dmy": [], "mdy": []}
    ambiguous = []
    for name in fields:
        parts = _per_unique(raw.frame[name], lambda u: u.astype("string").str.extract(_DMY).astype("float")[[0, 1]])
        first, second = parts[0], parts[1]
        dmy, mdy = first > 12, second > 12
        if dmy.any() and mdy.any():
            i, j = int(np.flatnonzero(dmy.to_numpy())[0]), int(np.flatnonzero(mdy.to_numpy())[0])
            raise InputError(f"{raw.loc(i, name)} is written day first and {raw.loc(j, name)} month first: one column "
                             "mixes both orders", hint="write every date one way, e.g. 17/08/2024, or as 2024-08-17")
        for order, hit in (("dmy", dmy), ("mdy", mdy)):
            if hit.any():
                seen[order].append(raw.loc(int(np.flatnonzero(hit.to_numpy())[0]), name))
        either = (first.notna() & (first != second)).to_numpy()  # 01/08/2024: 1 August or January 8
        if either.any() and not (dmy.any() or mdy.any()):
            ambiguous.append(raw.loc(int(np.flatnonzero(either)[0]), name))
    if given:
        return given
    if seen["dmy"] and seen["mdy"]:
        raise InputError(f"{seen['dmy'][0]} is written day first but {seen['mdy'][0]} month first: the file mixes both orders",
                         hint="write every date one way, e.g. 17/08/2024, or as 2024-08-17")
    if seen["mdy"]:
        return "mdy"
    if ambiguous and not seen["dmy"]:
        raise InputError(f"{ambiguous[0]}: the dates could be day first (17/08/2024) or month first (08/17/2024): "
                         "no value has a day above 12 to tell", hint='say how they are written: --date-format dmy or '
                         '--date-format mdy (in an atlas config: date_format = "dmy" in the [[data]] table)')
    return "dmy"


def _parse_dates(s: pd.Series, order: str = "dmy") -> pd.Series:
    s = s.astype("string")
    s = s.mask(s.isin(list(MISSING)))
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    day_first = s.str.replace("-", "/", regex=False).str.replace(".", "/", regex=False)
    fmt_dm = DATE_ORDERS[order]
    for text, fmt in ((s, "%Y-%m-%d"), (s, "%Y-%m-%dT%H:%M:%S"), (s, "%Y-%m-%d %H:%M:%S"), (day_first, fmt_dm),
                      (day_first.str.split(" ").str[0], fmt_dm)):
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        parsed = parsed.where((parsed.dt.year >= 1900) & (parsed.dt.year <= 2100))  # a typo'd year is not a date
        out = out.fillna(parsed.astype("datetime64[ns]"))
    return out


def _child_ids(f: pd.DataFrame, born: pd.Series) -> pd.Series:
    """A number per distinct child: NIK + date of birth + name where the NIK has 16 digits (siblings share a family
    NIK in some exports), else name + date of birth + parent's name + kelurahan. The identifiers are not kept: each is
    turned into a number (per distinct value: a child's rows repeat them), and the numbers are combined."""
    n = len(f)

    def codes(values: pd.Series, normal) -> np.ndarray:  # equal after ``normal`` -> equal number
        raw_codes, uniques = pd.factorize(values, use_na_sentinel=False)
        return pd.factorize(normal(pd.Series(uniques, dtype=values.dtype)), use_na_sentinel=False)[0][raw_codes]

    def text(c):  # case and runs of spaces do not tell two children apart
        if c not in f.columns:
            return np.zeros(n, dtype="int64")
        return codes(f[c], lambda u: u.str.casefold().str.split().str.join(" "))

    if "nik" in f.columns:
        digits = _per_unique(f["nik"], lambda u: u.str.replace(r"\D", "", regex=True))
        ok = (digits.str.len() == 16).to_numpy()
        nik = codes(digits, lambda u: u)
    else:
        nik, ok = np.zeros(n, dtype="int64"), np.zeros(n, dtype=bool)
    birth = _per_unique(born, lambda u: u.dt.strftime("%Y-%m-%d"))
    if "tgl_lahir" in f.columns:
        birth = birth.fillna(_per_unique(f["tgl_lahir"], lambda u: u.str.casefold().str.split().str.join(" ")))
    birth = codes(birth.fillna(""), lambda u: u)
    name = text("nama")
    key = _combine(np.where(ok, nik, name), birth)
    key = _combine(key, np.where(ok, name, text("nama_ortu")))
    key = _combine(key, np.where(ok, -1, text("kelurahan")))
    return pd.Series(pd.factorize(_combine(key, ok.astype("int64")))[0], index=f.index)


def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One number per distinct pair of integers (a[i], b[i]), in order of first appearance."""
    a, b = pd.factorize(a)[0].astype("int64"), pd.factorize(b)[0].astype("int64")
    return pd.factorize(a * (int(b.max(initial=0)) + 1) + b)[0]


def _height_and_sex(f: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None, pd.Series | None]:
    """Height in cm from Tinggi (None without it; "85,5" and "85.5 cm" read), JK where the birth date is there too
    (None: no HAZ to recompute), and where a Tinggi cell holds something that is not a number (text, "1.000,5")."""
    if "tinggi" not in f.columns:
        return None, None, None
    blank = f["tinggi"].isna() | f["tinggi"].isin(MISSING)
    text = f["tinggi"].str.strip().str.replace(r"\s*cm$", "", regex=True, case=False).str.replace(",", ".", regex=False)
    height = pd.to_numeric(text.where(~blank), errors="coerce")
    unreadable = ~blank & height.isna()
    return height, f["jk"] if "jk" in f.columns and "tgl_lahir" in f.columns else None, unreadable


def aggregate_byname(raw: RawTable, period: str | None, date_format: str | None = None) -> Table:
    f = raw.frame
    missing = {"kelurahan", "tgl_ukur"} - set(f.columns)
    if missing:
        raise SchemaError(f"{raw.path.name}: a by-name e-PPGBM export needs the columns {', '.join(sorted(missing))}",
                          hint='name them with --map "Header=tgl_ukur"')
    order = date_order(raw, [c for c in ("tgl_ukur", "tgl_lahir") if c in f.columns], date_format)
    measured = _dates(f["tgl_ukur"], order)
    born = _dates(f["tgl_lahir"], order) if "tgl_lahir" in f.columns else pd.Series(pd.NaT, index=f.index)
    problems = _date_problems(raw, measured, born)
    cls, z = _height_classes(raw, problems)
    position = _positions(raw, problems)
    if problems:
        raise invalid_values(problems, raw.path)
    height, sex, unreadable = _height_and_sex(f)

    start, end = parse_period(period)
    in_period = pd.Series(True, index=f.index)
    if start is not None:
        in_period = (measured >= start) & (measured <= end)
    age_months = (measured.dt.year - born.dt.year) * 12 + (measured.dt.month - born.dt.month) - (measured.dt.day < born.dt.day)
    toddler = (age_months >= 0) & (age_months < 60) if "tgl_lahir" in f.columns else pd.Series(True, index=f.index)

    child = _child_ids(f, born)
    # HAZ recomputed from WHO 2006, the flags of every row (excluded from every count, and counted), the panel
    recomputed, flags, panel = quality.assess_byname(measured, born, child, z, in_period, height, sex, unreadable, position)
    cls = _panel_rows_and_classes(raw, panel, flags, measured, born, cls, recomputed)
    flagged = flags.any(axis=1)
    work = pd.DataFrame({
        "row": raw.rows.to_numpy(), "child": child, "measured": measured, "cls": cls,
        "kelurahan": f["kelurahan"], "kecamatan": f["kecamatan"] if "kecamatan" in f.columns else "",
        "kode": f["kode"] if "kode" in f.columns else "",
    })
    n_rows, out_period = len(work), int((~in_period).sum())
    work = work[in_period & ~flagged]
    if start is not None and in_period.any() and work.empty:  # a period asked for whose every measurement is flagged: say
        # which flags, not "none in it" (without a period an all-flagged file is an empty table with its flags counted)
        raise InputError(_all_flagged(raw, flags[in_period], period), hint=Msg("read.byname_all_flagged_hint"))
    if start is not None and work.empty:
        first, last = measured.min(), measured.max()
        raise InputError(f"{raw.name}: no measurement falls in the period {period} (the file's measurements run from "
                         f"{first:%Y-%m-%d} to {last:%Y-%m-%d})", hint="give a --period inside that range, or leave it out")
    work, repeat, not_toddler, blank = _latest_classed(work, toddler)
    panel.blank_tbu = blank
    notes = [Msg("read.byname_rows", rows=n_rows, outside=out_period, period=period or Msg("read.all_periods"), repeat=repeat,
                 not_toddler=not_toddler, counted=len(work))]
    notes += _flag_notes(panel, blank)
    table = Table(raw, "byname", _counts_per_kelurahan(work, "kode" in f.columns), pd.DataFrame(columns=["row", "label"]), [], 0,
                  period, notes)
    table.quality = panel.to_dict()  # read by join.match_table into FileReport.quality
    return table


def _all_flagged(raw: RawTable, flags: pd.DataFrame, period: str | None) -> Msg:
    """Every measurement of the period flagged: how many, and how many carry each flag (a row can carry two)."""
    n = flags.sum()
    return Msg("read.byname_all_flagged", file=raw.name, n=len(flags), period=period or Msg("read.all_periods"),
               who=int(n["haz"]), height=int(n["height"]), mismatch=int(n["mismatch"]))


def _panel_rows_and_classes(raw: RawTable, panel, flags: pd.DataFrame, measured: pd.Series, born: pd.Series, cls: pd.Series,
                            recomputed: pd.Series | None) -> pd.Series:
    """The panel's row lists (implausible heights, ages written unlike the dates) and the classes: a measurement with
    neither TB/U nor ZS TB/U but a height, sex and dates takes its class from the recomputed z-score (counted)."""
    f = raw.frame
    panel.height_rows = [int(r) for r in raw.rows.to_numpy()[flags["height"].to_numpy()]]
    if "usia_ukur" in f.columns:
        off = age_text_disagrees(f["usia_ukur"], measured, born)
        panel.age_text_mismatch, panel.age_text_rows = int(off.sum()), [int(r) for r in raw.rows.to_numpy()[off.to_numpy()]]
    if recomputed is None:
        return cls
    fill = (cls == "") & recomputed.notna() & ~flags.any(axis=1)
    from_z = pd.Series(np.select([recomputed < -3, recomputed < -2, recomputed.notna()], ["sangat pendek", "pendek", "normal"], ""),
                       index=cls.index)
    panel.classed_by_recomputed = int(fill.sum())
    return cls.where(~fill, from_z)


def _latest_classed(work: pd.DataFrame, toddler: pd.Series) -> tuple[pd.DataFrame, int, int, int]:
    """Each child's latest measurement (in the period, unflagged) that has a TB/U class, if the child was 0-59 months
    old then; also the repeat measurements, the children not 0-59 months old, and the toddlers with no classed
    measurement (a blank TB/U and no z-score: not counted as measured)."""
    def latest(w):
        return w.sort_values(["child", "measured", "row"]).drop_duplicates("child", keep="last")

    every = latest(work)
    repeat = len(work) - len(every)
    not_toddler = int((~toddler.loc[every.index]).sum())
    toddlers = set(every.loc[toddler.loc[every.index].to_numpy(), "child"])
    classed = latest(work[work["cls"] != ""])
    classed = classed[toddler.loc[classed.index].to_numpy() & classed["child"].isin(toddlers).to_numpy()]
    return classed, repeat, not_toddler, len(toddlers) - len(classed)


def _flag_notes(panel, blank: int) -> list[str]:
    notes = []
    if panel.flagged_in_period:
        notes.append(Msg("read.byname_flagged", n=panel.flagged_in_period, who=panel.who_flagged, height=panel.height_implausible,
                         mismatch=panel.zscore_mismatch))
    if panel.height_rows:
        rows = panel.height_rows
        notes.append(Msg("read.byname_heights", n=len(rows), rows=", ".join(map(str, rows[:30])) + (" ..." if len(rows) > 30 else "")))
    if blank:
        notes.append(Msg("read.byname_blank", n=blank))
    return notes


_AGE_PART = {unit: re.compile(r"(\d+)\s*" + words + r"\b", re.IGNORECASE) for unit, words in
             (("y", r"(?:tahun|thn|th|years?|yrs?)"), ("m", r"(?:bulan|bln|bl|months?|mo)"), ("d", r"(?:hari|hr|days?)"))}
AGE_TEXT_TOLERANCE = 1  # months between the written age and the one from the dates before a row is counted as disagreeing


def age_text_months(text: pd.Series) -> pd.Series:
    """'2 Tahun - 3 Bulan - 5 Hari' -> 27 (completed months); NA where the text names no year or month."""
    s = text.astype("string")
    parts = {u: pd.to_numeric(s.str.extract(rx, expand=False), errors="coerce") for u, rx in _AGE_PART.items()}
    named = parts["y"].notna() | parts["m"].notna()
    months = parts["y"].fillna(0) * 12 + parts["m"].fillna(0)
    return months.where(named)


def age_text_disagrees(text: pd.Series, measured: pd.Series, born: pd.Series) -> pd.Series:
    """True where the written age (Usia Saat Ukur) is more than ``AGE_TEXT_TOLERANCE`` months from the completed months
    between the birth and measurement dates. The text is only compared, never used as the age."""
    written = _per_unique(text, age_text_months)
    months = (measured.dt.year - born.dt.year) * 12 + (measured.dt.month - born.dt.month) - (measured.dt.day < born.dt.day)
    return ((written - months).abs() > AGE_TEXT_TOLERANCE).fillna(False).astype(bool)


def _positions(raw: RawTable, problems: list[str]) -> pd.Series | None:
    """Cara Ukur as 'L' (Terlentang, lying) / 'H' (Berdiri, standing) / NA (blank); None without the column; a word
    that is neither goes to ``problems`` (row and column named)."""
    if "cara_ukur" not in raw.frame.columns:
        return None
    code = _per_unique(raw.frame["cara_ukur"].mask(raw.frame["cara_ukur"].isin(MISSING)), growth.position_code)
    for i in np.flatnonzero((code == "X").to_numpy())[:MAX_ERRORS]:
        problems.append(f"{raw.loc(i, 'cara_ukur')}: not a measurement position (write Terlentang for lying or Berdiri "
                        "for standing, or leave it blank)")
    return code.astype("string")


def _date_problems(raw: RawTable, measured: pd.Series, born: pd.Series) -> list[str]:
    """The cells of the measurement and birth dates that are not dates (at most MAX_ERRORS of each)."""
    problems = []
    for i in np.flatnonzero(measured.isna().to_numpy())[:MAX_ERRORS]:
        problems.append(f"{raw.loc(i, 'tgl_ukur')}: not a date (write 2024-08-17 or 17/08/2024)")
    if "tgl_lahir" in raw.frame.columns:
        for i in np.flatnonzero(born.isna().to_numpy())[:MAX_ERRORS]:
            problems.append(f"{raw.loc(i, 'tgl_lahir')}: not a date (write 2021-03-01 or 01/03/2021)")
    return problems


def _height_classes(raw: RawTable, problems: list[str]) -> tuple[pd.Series, pd.Series | None]:
    """The height-for-age class of each measurement, from TB/U, else from the z-score ("" when neither),
    and the z-scores (None without a ZS TB/U column); cells that are no TB/U class go to ``problems``."""
    f = raw.frame
    if "tbu" in f.columns:
        cls = _per_unique(f["tbu"], lambda u: u.map(lambda v: TBU.get(header_key(v), header_key(v))))
        known = cls.isin(["sangat pendek", "pendek", "normal", "tinggi"]) | f["tbu"].isin(MISSING)
        for i in np.flatnonzero((~known).to_numpy())[:MAX_ERRORS]:
            problems.append(f"{raw.loc(i, 'tbu')}: not a TB/U class (write Sangat Pendek, Pendek, Normal or Tinggi)")
    else:
        cls = pd.Series("", index=f.index)
    if "zs_tbu" in f.columns:
        z = _per_unique(f["zs_tbu"], lambda u: pd.to_numeric(u.str.replace(",", ".", regex=False).where(~u.isin(MISSING)),
                                                             errors="coerce")).rename("zs_tbu")
        from_z = pd.Series(np.select([z < -3, z < -2, z.notna()], ["sangat pendek", "pendek", "normal"], ""), index=f.index)
        cls = cls.where(cls.isin(["sangat pendek", "pendek", "normal", "tinggi"]), from_z)
    else:
        z = None
    return cls, z


def _counts_per_kelurahan(work: pd.DataFrame, has_code: bool) -> pd.DataFrame:
    """Toddlers measured, pendek and sangat pendek per kelurahan (one row per kecamatan, kelurahan, code)."""
    grp = work.groupby(["kecamatan", "kelurahan", "kode"], sort=False, dropna=False)
    data = pd.DataFrame({
        "row": grp["row"].min(),
        "balita_diukur": grp.size(),
        "pendek": grp["cls"].agg(lambda s: int((s == "pendek").sum())),
        "sangat_pendek": grp["cls"].agg(lambda s: int((s == "sangat pendek").sum())),
    }).reset_index()
    for c in ("balita_diukur", "pendek", "sangat_pendek"):
        data[c] = data[c].astype("Int64")
    data = data[["row", "kode", "kecamatan", "kelurahan", "balita_diukur", "pendek", "sangat_pendek"]]
    if not has_code:
        data = data.drop(columns="kode")
    return data
