"""User lists read beside a map: lokus lists (names or codes) and puskesmas points (name, lat, lon)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from serang_gis.core.choices import PAPER_LISTS
from serang_gis.core.errors import InputError
from serang_gis.read.match import Matcher, name_key
from serang_gis.read.tablebase import parse_number
from serang_gis.read.tables import read_raw


def read_lokus(path, kelurahan: pd.DataFrame) -> tuple[str, pd.Series]:
    """A lokus list file (CSV/XLSX with kelurahan [+ kecamatan] or codes) -> (list name, bool per kelurahan).

    The list is named after the file (``lokus_2025.csv`` -> ``2025``); every row must match exactly
    one kelurahan, or the error names the row (a code of another kab/kota is said to be one).
    """
    path = Path(path)
    codes, _ = _match_rows(path, kelurahan)
    name = path.stem.lower().removeprefix("lokus").strip("_- ") or path.stem
    return name, kelurahan["kode_kel"].isin(codes).reset_index(drop=True)


def lokus_read_as(path, kelurahan: pd.DataFrame) -> list[dict]:
    """The rows of a lokus list whose name was matched by likeness ("Warung Jaut" read as Warung Jaud): file, row, the
    name as written, the kelurahan taken (code, name, kecamatan) and the score; [] for the paper's lists."""
    if not path or str(path) in PAPER_LISTS or not Path(path).is_file():
        return []
    return _match_rows(Path(path), kelurahan)[1]


def _match_rows(path: Path, kelurahan: pd.DataFrame) -> tuple[set, list[dict]]:
    raw = read_raw(path)
    f = raw.frame
    m = Matcher(kelurahan)
    names = kelurahan.set_index("kode_kel")
    region = {str(c)[:5] for c in kelurahan["kode_kel"]}
    codes, problems, fuzzy, elsewhere = set(), [], [], []
    for i in range(len(f)):
        kel, kec, code = (f[c].iloc[i] if c in f.columns else None for c in ("kelurahan", "kecamatan", "kode"))
        if not (kel or code):
            continue
        hit = m.match(kel, kec or None, code or None)
        if not hit.ok:
            digits = "".join(ch for ch in str(code or "") if ch.isdigit())
            other = len(digits) >= 4 and f"{digits[:2]}.{digits[2:4]}" not in region
            if other:
                elsewhere.append(f"{digits[:2]}.{digits[2:4]}")
            problems.append(f"{raw.loc(i, 'kelurahan')}: {kel or code!r} matches no single kelurahan"
                            + (f" (code {code} is of kab/kota {digits[:2]}.{digits[2:4]}, not of this atlas ({', '.join(sorted(region))}))"
                               if other else f" ({'; '.join(hit.candidates)})" if hit.candidates else ""))
        else:
            codes.add(hit.kode_kel)
            official = str(names.at[hit.kode_kel, "kelurahan"])
            if hit.method == "fuzzy" or (kel and hit.method == "code" and name_key(str(kel)) != name_key(official)):
                fuzzy.append({"file": path.name, "row": int(raw.rows.iloc[i]), "written": str(kel), "kode_kel": hit.kode_kel,
                              "kelurahan": official, "kecamatan": str(names.at[hit.kode_kel, "kecamatan"]),
                              "score": float(hit.score) if hit.method == "fuzzy" else None})  # None: read by its code
    if problems:
        other = "remove the rows of another kab/kota: a lokus list holds this atlas's kelurahan only (or build that kab/kota's atlas)"
        hint = ("add the kecamatan or the code for these rows" if not elsewhere else other if len(elsewhere) == len(problems)
                else other + "; add the kecamatan or the code for the other rows")
        raise InputError("lokus list: " + "; ".join(problems), hint=hint)
    return codes, fuzzy


def read_puskesmas(path) -> pd.DataFrame:
    """CSV with name, lat, lon (also nama/lintang/bujur) -> DataFrame; coordinates checked."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
    except Exception as exc:
        raise InputError(f"{path}: cannot read the puskesmas CSV ({exc})") from None
    cols = {c.lower().strip(): c for c in frame.columns}
    pick = {k: next((cols[c] for c in names if c in cols), None) for k, names in
            {"name": ("name", "nama", "puskesmas"), "lat": ("lat", "latitude", "lintang"), "lon": ("lon", "lng", "longitude", "bujur")}.items()}
    if not all(pick.values()):
        raise InputError(f"{path}: needs columns name, lat, lon (found {', '.join(frame.columns)})")
    out, problems = [], []
    for i, r in frame.iterrows():
        try:
            lat, lon = parse_number(r[pick["lat"]], integer=False), parse_number(r[pick["lon"]], integer=False)
        except ValueError:
            lat = lon = None
        if lat is None or lon is None or not (-11.5 <= lat <= 6.5 and 94 <= lon <= 141.5):
            problems.append(f"{path.name}:row {i + 2}: lat/lon {r[pick['lat']]!r}, {r[pick['lon']]!r} is not a place in Indonesia")
            continue
        out.append({"name": r[pick["name"]], "lat": lat, "lon": lon})
    if problems:
        raise InputError("; ".join(problems), hint="write decimal degrees, e.g. lat -6.12, lon 106.15")
    return pd.DataFrame(out)


def lokus_flags(spec: str, kelurahan: pd.DataFrame) -> pd.Series:
    """A lokus list named on the command line or in a config: the paper's ``2021``/``2022``, or a file."""
    if spec in PAPER_LISTS and not Path(spec).exists():
        from serang_gis.read import reference

        lok = reference.lokus()
        return kelurahan["kode_kel"].isin(set(lok.loc[lok["daftar"] == spec, "kode_kel"])).reset_index(drop=True)
    if not Path(spec).is_file():
        raise InputError(f"{spec}: no such lokus file", hint="give a CSV/XLSX of kelurahan names or codes, or 2021 / 2022 for the paper's lists")
    return read_lokus(spec, kelurahan)[1]
