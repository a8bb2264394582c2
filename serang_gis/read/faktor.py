"""Which office acts on which factor: the factor-to-office table (TPPS roles), replaceable by the user's own CSV.

``data/kegiatan/faktor_opd.csv`` has one row per factor and office:

    faktor,indikator,opd,peran,catatan
    air_minum,persen_krs_air_tidak_layak;krs_air_tidak_layak,perkim,utama,...
    jamban,persen_krs_jamban_tidak_layak;...;kesenjangan_sanitasi,dinkes,utama,...

``faktor`` is a short name of the factor (several rows: several offices), ``indikator`` the indicator columns that
measure it (``;``-separated; the names of ``core.indicators.INFO`` or a derived column such as ``belum_odf``; may
be empty for a factor with no data yet), ``opd`` an office code of ``data/kegiatan/opd.csv`` (or of the user's
office file), ``peran`` utama (the office that acts) or pendukung (supports), ``catatan`` free text. A per-office
view takes ``indicators_of(opd)``: the factors that office owns, as the columns to map. Every problem names the
file, row and column (docs/faktor-opd.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from serang_gis.core.errors import InputError
from serang_gis.core.indicators import DERIVED, INFO, RATE_COUNTS

PERAN = ("utama", "pendukung")
COLUMNS = ("faktor", "indikator", "opd", "peran")
DEFAULT = "serang_gis/data/kegiatan/faktor_opd.csv"


@dataclass(frozen=True)
class FactorOffice:
    faktor: str
    indikator: tuple[str, ...]
    opd: str
    peran: str
    catatan: str = ""


def _known_indicators() -> set[str]:
    return set(INFO) | set(DERIVED) | set(RATE_COUNTS)


class FactorTable:
    def __init__(self, rows: list[FactorOffice], source: str):
        self.rows, self.source = rows, source

    @classmethod
    def load(cls, path=None, offices: pd.DataFrame | None = None) -> "FactorTable":
        """The package's table, or the user's CSV at ``path``; ``offices`` (kode column) are the known office codes
        (default: data/kegiatan/opd.csv)."""
        table, name = _read(path)
        missing = [c for c in COLUMNS if c not in table.columns]
        if missing:
            raise InputError(f"{name}: the factor-to-office table needs the columns {', '.join(COLUMNS)} (missing "
                             f"{', '.join(missing)})", hint="see docs/faktor-opd.md for the columns")
        if offices is None:
            from serang_gis.read.kegiatan import known_offices

            offices = known_offices()
        codes, known = set(offices["kode"]), _known_indicators()
        rows, problems = [], []
        for i, r in enumerate(table.itertuples(index=False), start=2):
            faktor, opd, peran = r.faktor.strip(), r.opd.strip(), r.peran.strip().casefold()
            inds = tuple(x.strip() for x in r.indikator.split(";") if x.strip())
            if not faktor:
                problems.append(f"{name}:row {i}:column 'faktor': empty (give the factor a short name)")
            if opd not in codes:
                problems.append(f"{name}:row {i}:column 'opd': {opd!r} is not an office code ({', '.join(sorted(codes))})")
            if peran not in PERAN:
                problems.append(f"{name}:row {i}:column 'peran': {r.peran!r} is not utama or pendukung")
            problems += [f"{name}:row {i}:column 'indikator': {x!r} is not an indicator column (e.g. persen_krs_terlalu_muda, "
                         "kesenjangan_sanitasi)" for x in inds if x not in known]
            rows.append(FactorOffice(faktor, inds, opd, peran, getattr(r, "catatan", "") or ""))
        if problems:
            raise InputError(f"{name}: {len(problems)} problem(s) in the factor-to-office table:\n  " + "\n  ".join(problems[:20]),
                             hint="fix the cells named above (docs/faktor-opd.md)")
        if not rows:
            raise InputError(f"{name}: the factor-to-office table has no rows", hint="one row per factor and office")
        return cls(rows, name)

    def offices(self) -> list[str]:
        return list(dict.fromkeys(r.opd for r in self.rows))

    def factors_of(self, opd: str, peran: tuple[str, ...] = PERAN) -> list[str]:
        """The factors an office owns (``peran``: utama and pendukung by default), in the table's order."""
        return list(dict.fromkeys(r.faktor for r in self.rows if r.opd == opd and r.peran in peran))

    def indicators_of(self, opd: str, columns=None, peran: tuple[str, ...] = PERAN) -> list[str]:
        """The indicator columns of the factors an office owns: its lead (utama) factors first, then those it supports, each
        in the table's order (an office page opens on its first); only those in ``columns`` when given (the columns a joined
        layer holds)."""
        out = [x for p in peran for r in self.rows if r.opd == opd and r.peran == p for x in r.indikator]
        out = list(dict.fromkeys(out))
        return out if columns is None else [x for x in out if x in set(columns)]

    def offices_of(self, indicator: str) -> list[tuple[str, str]]:
        """(office code, peran) of every office that acts on a factor measured by ``indicator``."""
        return list(dict.fromkeys((r.opd, r.peran) for r in self.rows if indicator in r.indikator))


def _read(path) -> tuple[pd.DataFrame, str]:
    if path is None:
        with resources.files("serang_gis").joinpath("data", "kegiatan", "faktor_opd.csv").open("rb") as fh:
            return pd.read_csv(fh, dtype=str, keep_default_na=False), DEFAULT
    path = Path(path)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig"), path.name
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", hint="give the path of your factor-to-office CSV") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the factor-to-office table ({exc})",
                         hint="save it as CSV (UTF-8) with the columns faktor, indikator, opd, peran, catatan") from None
