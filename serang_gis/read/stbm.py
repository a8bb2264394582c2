"""Aggregate an STBM export by household (one row per KK) to kelurahan counts: the sanitation ladder and the pillars.

A household file is recognised by its ladder column (``tangga_sanitasi``: "Akses Sanitasi" holding BABS Terbuka, BABS
Tertutup, Sharing / Layak Bersama, Layak Sendiri or Aman). Each row is one household (KK) of its kelurahan: ``kk``
counts them, each rung counts the households on it, and each pillar column given (Stop BABS, CTPS, PAMM-RT, sampah,
limbah cair, answered Ya/Tidak) counts the households answering yes. A blank pillar answer is counted as not
practising, and the note says how many there were (the pillar's rate is then a lower bound). A rung or answer outside
the vocabulary stops the read with the rows and column named. The file holds a head of household's name and family
card number: no cell of it is ever shown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from serang_gis.core.fields import header_key
from serang_gis.core.text import Msg
from serang_gis.read.tablebase import MAX_ERRORS, MISSING, RawTable, Table, invalid_values

RUNGS = {  # header_key of a ladder word -> the rung's count field
    "babs terbuka": "tangga_babs_terbuka", "babs di tempat terbuka": "tangga_babs_terbuka", "open defecation": "tangga_babs_terbuka",
    "babs tertutup": "tangga_babs_tertutup", "babs di tempat tertutup": "tangga_babs_tertutup", "tidak layak": "tangga_babs_tertutup",
    "unimproved": "tangga_babs_tertutup",
    "sharing": "tangga_bersama", "layak bersama": "tangga_bersama", "jamban bersama": "tangga_bersama", "sharing layak bersama": "tangga_bersama",
    "shared": "tangga_bersama",
    "layak sendiri": "tangga_layak_sendiri", "layak": "tangga_layak_sendiri", "basic": "tangga_layak_sendiri",
    "aman": "tangga_aman", "aman dikelola": "tangga_aman", "safely managed": "tangga_aman",
}
LADDER = ["tangga_babs_terbuka", "tangga_babs_tertutup", "tangga_bersama", "tangga_layak_sendiri", "tangga_aman"]
PILLARS = ["stbm_stop_babs", "stbm_ctps", "stbm_pammrt", "stbm_sampah", "stbm_limbah"]
YES = {"ya", "y", "1", "sudah", "yes", "v", "ada"}
NO = {"tidak", "t", "0", "belum", "no", "tdk", "n", "x", "tidak ada"}


def is_household(raw: RawTable) -> bool:
    return "tangga_sanitasi" in raw.columns


def aggregate_households(raw: RawTable, period: str | None) -> Table:
    f = raw.frame
    problems: list[str] = []
    rung = f["tangga_sanitasi"].map(lambda v: RUNGS.get(header_key(v)) if v not in MISSING else "")
    _bad_cells(raw, "tangga_sanitasi", rung.isna(), problems,
               "not a rung of the sanitation ladder (write BABS Terbuka, BABS Tertutup, Sharing, Layak Sendiri or Aman)")
    pillars, blanks = {}, {}
    for p in (c for c in PILLARS if c in f.columns):
        key = f[p].map(header_key)
        yes, no, blank = key.isin(YES), key.isin(NO), f[p].isin(MISSING)
        _bad_cells(raw, p, ~(yes | no | blank), problems, "not a yes/no answer (write Ya or Tidak)")
        pillars[p], blanks[p] = yes, int(blank.sum())
    if problems:
        raise invalid_values(problems, raw.path)
    keys = [c for c in ("kode", "kecamatan", "kelurahan") if c in f.columns]
    work = pd.DataFrame({"row": raw.rows.to_numpy(), **{k: f[k] for k in keys}, "kk": 1})
    for r in LADDER:
        work[r] = (rung == r).astype(int)
    for p, yes in pillars.items():
        work[p] = yes.astype(int)
    no_rung = int((rung == "").sum())
    counts = work.groupby(keys, sort=False, dropna=False).agg({"row": "min", "kk": "sum", **{c: "sum" for c in LADDER + list(pillars)}})
    data = counts.reset_index()
    for c in ["kk", *LADDER, *pillars]:
        data[c] = data[c].astype("Int64")
    notes = [Msg("read.stbm_households", n=len(f), kel=len(data), blank=no_rung)]
    notes += [Msg("read.stbm_blank", n=n, header=raw.columns[p]) for p, n in blanks.items() if n]
    return Table(raw, "household", data[["row", *keys, "kk", *LADDER, *pillars]], pd.DataFrame(columns=["row", "label"]), [], 0,
                 period, notes)


def _bad_cells(raw: RawTable, column: str, bad: pd.Series, problems: list[str], what: str) -> None:
    """Name the rows (never the cells: the file holds names) whose ``column`` holds no known word."""
    for i in np.flatnonzero(bad.fillna(True).to_numpy())[:MAX_ERRORS]:
        problems.append(f"{raw.loc(i, column)}: {what}")
