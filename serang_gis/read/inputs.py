"""Everything an atlas build reads, read once before anything is joined or written.

``read_inputs`` takes the config's ``[[data]]`` tables (per period, each with its column map), the
ranking profile and the settings the later stages need; a bad file stops the build here, before any
product is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from serang_gis.core.choices import COMPLETE_SHARE
from serang_gis.core.memo import Memo
from serang_gis.read.config import AtlasConfig
from serang_gis.read.profile import Profile, load_profile
from serang_gis.read.tables import Table, parse_mapping, read_table



@dataclass(frozen=True)
class Settings:
    """The choices of a build that the stages after reading follow (from the config, or its defaults)."""

    lang: str = "id"
    offline: bool = False
    static: bool = False
    as_of: object = None  # the date of the embedded ODF status (None: the latest)
    indicators: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ("kota",)
    scheme: str | None = None
    k: int = 5
    bins: tuple | None = None
    change: tuple = ()
    name_template: str = "{indicator}_{scope}"
    export_formats: tuple[str, ...] = ("gpkg",)
    rank_lokus: str | None = None
    rank_draws: int = 10000
    rank_seed: int = 42
    complete_share: float = COMPLETE_SHARE
    city_period: str | None = None
    strict: bool = False  # a join warning stops the build (--strict)
    factors: object = None  # read.faktor.FactorTable: which office acts on which factor (the per-office view)

    @property
    def lokus_name(self) -> str | None:
        """Last year's lokus as the products name it: "2022", or a CSV's year ("lokus_2026.csv" -> "2026"), else its
        file stem; never a path."""
        import re
        from pathlib import PurePath

        if not self.rank_lokus:
            return None
        stem = PurePath(str(self.rank_lokus).replace("\\", "/")).stem
        year = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", stem)
        return year.group(1) if year else stem


@dataclass(frozen=True)
class Inputs:
    settings: Settings
    tables: dict[str, list[Table]] = field(default_factory=dict)  # period ("" = none given) -> its tables
    profile: Profile | None = None  # the ranking profile, when the config asks for a rank
    kegiatan: tuple = ()  # the [[kegiatan]] items (activity matrices), read with the kelurahan they name


def settings_of(cfg: AtlasConfig) -> Settings:
    return Settings(
        lang=cfg.lang, offline=cfg.offline, static=cfg.static, as_of=cfg.as_of, indicators=tuple(cfg.indicators),
        scopes=tuple(cfg.scopes), scheme=cfg.scheme, k=cfg.k, bins=cfg.bins, change=tuple(cfg.change),
        name_template=cfg.name_template, export_formats=tuple(cfg.export_formats or ("gpkg",)), rank_lokus=cfg.rank_lokus,
        rank_draws=cfg.rank_draws, rank_seed=cfg.rank_seed,
        complete_share=cfg.periods_complete_share, city_period=cfg.periods_city, strict=cfg.strict)


_READ = Memo(8)  # _read_once: the tables this process has read, by file (path, size, time) and options


def _read_once(d) -> Table:
    """A ``[[data]]`` table, read once per process: a batch worker builds many kab/kota from one national table, which
    took seconds to read for each. A changed file (size or modification time) is read again; each caller gets its own
    copy, so that nothing a build does to its table reaches the next."""
    import os

    def read() -> Table:
        return read_table(d.path, sheet=d.sheet, mapping=parse_mapping([f"{k}={v}" for k, v in d.columns]),
                          period=d.period or None, date_format=d.date_format)

    try:
        stat = os.stat(d.path)
    except OSError:
        return read()  # its own clear error
    key = (os.path.realpath(d.path), stat.st_size, stat.st_mtime_ns, d.sheet, tuple(d.columns), d.period, d.date_format)
    table = _READ.get(key, read)
    table.sum_duplicates = d.sum_duplicates
    return table


def read_inputs(cfg: AtlasConfig) -> Inputs:
    """The config's tables per period, its profile and settings."""
    by_period: dict[str, list[Table]] = {}
    for d in cfg.data:
        by_period.setdefault(d.period or "", []).append(_read_once(d))
    profile = load_profile(cfg.rank_profile) if cfg.rank else None
    settings = settings_of(cfg)
    if by_period or cfg.kegiatan:  # a config atlas with data: the per-office view needs the factor-to-office table
        from dataclasses import replace

        from serang_gis.read.faktor import FactorTable

        settings = replace(settings, factors=FactorTable.load(cfg.faktor_opd))
    return Inputs(settings, dict(sorted(by_period.items())), profile, tuple(cfg.kegiatan))
