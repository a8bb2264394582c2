"""The atlas config (TOML): what to read, which maps and exports to make, and where.

Every key is checked: an unknown key, a missing file or a bad value stops the build before
anything is written, with the key's path (``maps.scopes[1]``) in the message. Paths in the file are
relative to the file's folder.

    region = "36.73"                  # a code, a list, a province ("36") or "all"
    output = "atlas"                  # folder (default: outputs)
    name_template = "{indicator}_{scope}"   # file names of the maps; fields: indicator, scope, period
    lang = "id"                       # or "en"
    offline = false
    as_of = "2025-12-31"              # date of the ODF status (Kota Serang's embedded figures)

    [boundaries]
    path = "batas/kota_serang.gpkg"   # default: the registry download for each region
    layer = "desa"
    columns = { code = "KODE", name = "NAMA" }

    [[data]]                          # one table per period; every table is joined by code/name
    path = "data/sasaran_2021.xlsx"
    period = "2021"
    sheet = "Data Sasaran"
    columns = { "Jumlah Stunting" = "stunting" }
    date_format = "dmy"               # a by-name export's dd/mm/yyyy dates, when no day above 12 tells (or "mdy")

    [maps]
    indicators = ["prevalensi", "persen_keluarga_berisiko"]
    scopes = ["kota", "kecamatan"]    # the whole kab/kota, and each kecamatan zoomed
    scheme = "who"                    # classes, as for `serang-gis map`
    k = 5
    bins = [10, 20, 30]               # break points when scheme = "manual"
    change = [["2021", "2023"]]       # change maps: later minus earlier, diverging palette
    static = true                     # PNG and PDF beside each interactive map

    [rank]
    profile = "default"               # or a profile TOML
    lokus = "2022"                    # a lokus list file, or 2021 / 2022 (Kota Serang)
    draws = 10000                     # weight + rate draws (priority.DRAWS)
    seed = 42

    [export]
    formats = ["gpkg", "geojson"]

    [[kegiatan]]                      # Aksi 2 activity matrices: the convergence view (docs/konvergensi.md)
    path = "aksi2_2023.xlsx"
    year = 2023                       # keep only this year's activities (optional)
    split = "equal"                   # or "stunting" / "sasaran" (by need) or "none": how an activity's pagu is spread over its kelurahan
    sheet = "Matriks"                 # optional

    [periods]
    complete_share = 0.8              # share of kelurahan that must report for a period to count as complete
    city = "auto"                     # the period of the city-wide products: "2023", "2024-08" or "auto"
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from serang_gis.core.choices import COMPLETE_SHARE, SCHEMES
from serang_gis.core.errors import InputError


@dataclass(frozen=True)
class DataInput:
    path: str
    period: str | None = None
    sheet: str | None = None
    columns: tuple[tuple[str, str], ...] = ()
    date_format: str | None = None  # "dmy" or "mdy": a by-name export's dd/mm/yyyy dates when no day above 12 tells
    sum_duplicates: bool = False  # two rows for one kelurahan: their counts added (`join --sum-duplicates`), not an error


@dataclass(frozen=True)
class KegiatanInput:
    path: str
    year: int | None = None
    split: str = "equal"
    sheet: str | None = None


@dataclass(frozen=True)
class AtlasConfig:
    region: tuple[str, ...] = ("36.73",)
    output: str = "outputs"
    name_template: str = "{indicator}_{scope}"
    lang: str = "id"
    offline: bool = False
    as_of: dt.date | None = None
    boundaries: str | None = None
    boundaries_layer: str | None = None
    boundaries_columns: tuple[tuple[str, str], ...] = ()
    boundaries_crs: str | None = None  # assumed when the file has none (command line --crs)
    boundary_names: tuple[str, ...] = ()  # kecamatan / kab-kota layers naming the regions (command line --names)
    boundaries_dissolve: bool = False  # merge features sharing a code although they overlap (--dissolve-duplicates)
    data: tuple[DataInput, ...] = ()
    indicators: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ("kota",)
    scheme: str | None = None
    k: int = 5
    bins: tuple[float, ...] | None = None  # break points of the manual scheme
    change: tuple[tuple[str, str], ...] = ()
    static: bool = True
    rank_profile: str | None = None
    rank_lokus: str | None = None
    rank_draws: int = 10000  # priority.DRAWS: flags stable over seeds 1-8 (benchmarks/bench_rank.py)
    rank_seed: int = 42
    export_formats: tuple[str, ...] = ("gpkg",)
    rank: bool = False
    source: str | None = None
    kegiatan: tuple[KegiatanInput, ...] = ()
    faktor_opd: str | None = None  # the user's factor-to-office CSV (docs/faktor-opd.md); None: the package's
    periods_complete_share: float = COMPLETE_SHARE  # share of kelurahan that must report for a period to count as complete
    periods_city: str | None = None  # period of the city-wide products; None: auto
    strict: bool = False  # command line --strict: a warning of reading or joining a table stops the build


SCHEMA = {
    "": {"region", "output", "name_template", "lang", "offline", "as_of", "boundaries", "data", "maps", "rank", "export", "kegiatan",
         "periods", "faktor_opd"},
    "boundaries": {"path", "layer", "columns", "dissolve_duplicates"},
    "data": {"path", "period", "sheet", "columns", "date_format", "sum_duplicates"},
    "maps": {"indicators", "scopes", "scheme", "k", "bins", "change", "static"},
    "rank": {"profile", "lokus", "draws", "seed"},
    "export": {"formats"},
    "kegiatan": {"path", "year", "split", "sheet"},
    "periods": {"complete_share", "city"},
}


class _Checker:
    def __init__(self, path: Path):
        self.path, self.base = path, path.parent

    def fail(self, key: str, msg: str, hint: str | None = None):
        raise InputError(f"{self.path}: {key}: {msg}", hint=hint)

    def keys(self, table: dict, section: str, where: str):
        for k in table:
            if k not in SCHEMA[section]:
                self.fail(f"{where}{k}" if where else k, "unknown key",
                          hint=f"keys here: {', '.join(sorted(SCHEMA[section]))}")

    def typed(self, value, types, key, what):
        if not isinstance(value, types):
            self.fail(key, f"{value!r} is not {what}")
        return value

    def tables(self, value, section: str, path_hint: str | None = None):
        """The items of a ``[[section]]`` array, each a table of known keys with a ``path``: (key path, table)."""
        for i, d in enumerate(self.typed(value, list, section, f"a list of [[{section}]] tables")):
            key = f"{section}[{i}]"
            self.typed(d, dict, key, "a table")
            self.keys(d, section, f"{key}.")
            if "path" not in d:
                self.fail(f"{key}.path", "missing", hint=path_hint)
            yield key, d

    def file(self, value, key) -> str:
        self.typed(value, str, key, "a path")
        p = (self.base / value).resolve() if not Path(value).is_absolute() else Path(value)
        if not p.exists():
            self.fail(key, f"{value!r}: no such file ({p})")
        return str(p)


def load_config(path: str | Path) -> AtlasConfig:
    path = Path(path)
    cfg = _read_toml(path)
    c = _Checker(path)
    c.keys(cfg, "", "")
    out = {"source": str(path), **_top_level(c, cfg)}
    if "boundaries" in cfg:
        out.update(_boundaries(c, cfg["boundaries"]))
    if "data" in cfg:
        out["data"] = _data(c, cfg["data"])
    if "maps" in cfg:
        out.update(_maps(c, cfg["maps"], out.get("data", ())))
    if "rank" in cfg:
        out.update(_rank(c, cfg["rank"]))
    if "export" in cfg:
        out["export_formats"] = _export(c, cfg["export"])
    if out.get("scheme") == "manual" and not out.get("bins"):
        c.fail("maps.bins", "the manual scheme needs break points", hint="add bins = [10, 20, 30] under [maps]")
    if "kegiatan" in cfg:
        out["kegiatan"] = _kegiatan(c, cfg["kegiatan"])
    if "periods" in cfg:
        out.update(_periods(c, cfg["periods"]))
    config = AtlasConfig(**out)
    if config.indicators and not config.data:
        c.fail("maps.indicators", "maps of indicators need [[data]] tables to take them from")
    return config


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a BOM (Notepad) is not TOML: dropped
    except FileNotFoundError:
        raise InputError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the config ({exc})", hint="give a UTF-8 TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from None


def _top_level(c: _Checker, cfg: dict) -> dict:
    """The keys outside any section: region, output, name_template, lang, offline, as_of."""
    out = {}
    if "region" in cfg:
        r = cfg["region"]
        regions = [r] if isinstance(r, str) else r
        if not isinstance(regions, list) or not regions or not all(isinstance(x, str) for x in regions):
            c.fail("region", f"{r!r} is not a code or a list of codes", hint='write "36.73", ["36.72", "36.73"], "36" or "all"')
        out["region"] = tuple(regions)
    if "output" in cfg:
        out["output"] = str((c.base / c.typed(cfg["output"], str, "output", "a folder")).resolve())
    if "name_template" in cfg:
        out["name_template"] = _name_template(c, cfg["name_template"])
    if "lang" in cfg:
        if cfg["lang"] not in ("id", "en"):
            c.fail("lang", f"{cfg['lang']!r}", hint='"id" or "en"')
        out["lang"] = cfg["lang"]
    if "offline" in cfg:
        out["offline"] = c.typed(cfg["offline"], bool, "offline", "true or false")
    if "as_of" in cfg:
        v = cfg["as_of"]
        if isinstance(v, str):
            try:
                v = dt.date.fromisoformat(v)
            except ValueError:
                c.fail("as_of", f"{v!r} is not a date", hint="write 2025-12-31")
        out["as_of"] = c.typed(v, dt.date, "as_of", "a date")
    if "faktor_opd" in cfg:  # the user's factor-to-office table, replacing the package's
        out["faktor_opd"] = c.file(cfg["faktor_opd"], "faktor_opd")
    return out


def _name_template(c: _Checker, value) -> str:
    """A plain file name with the fields {indicator}, {scope}, {period}, {region}."""
    t = c.typed(value, str, "name_template", "text")
    try:
        t.format(indicator="x", scope="y", period="z", region="r")
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        c.fail("name_template", f"{t!r} has an unknown field ({exc})", hint="fields: {indicator}, {scope}, {period}, {region}")
    from serang_gis.output.policy import RESERVED, name_problem

    why = name_problem(t.format(indicator="prevalensi", scope="kota", period="2024", region="36.73"), RESERVED)
    if why:
        c.fail("name_template", f"{t!r} is not a plain file name: {why}",
               hint='maps are written inside the output folder, beside index.html; write e.g. "{indicator}_{scope}"')
    return t


def _boundaries(c: _Checker, value) -> dict:
    """``[boundaries]``: path, dissolve_duplicates, layer, columns."""
    b = c.typed(value, dict, "boundaries", "a table")
    c.keys(b, "boundaries", "boundaries.")
    out = {}
    if "path" in b:
        out["boundaries"] = c.file(b["path"], "boundaries.path")
    if "dissolve_duplicates" in b:
        out["boundaries_dissolve"] = c.typed(b["dissolve_duplicates"], bool, "boundaries.dissolve_duplicates", "true or false")
    if "layer" in b:
        out["boundaries_layer"] = c.typed(b["layer"], str, "boundaries.layer", "a layer name")
    if "columns" in b:
        out["boundaries_columns"] = _boundary_columns(c, b["columns"])
    return out


def _boundary_columns(c: _Checker, value) -> tuple[tuple[str, str], ...]:
    """``boundaries.columns``: the keys of ``ColumnMap``, each a column name; code and name required."""
    cols = c.typed(value, dict, "boundaries.columns", "a table")
    from serang_gis.read.boundaries import ColumnMap

    known = set(ColumnMap.__dataclass_fields__)
    for k, v in cols.items():
        if k not in known:
            c.fail(f"boundaries.columns.{k}", "unknown key", hint=f"keys: {', '.join(sorted(known))}")
        c.typed(v, str, f"boundaries.columns.{k}", "a column name")
    for k in ("code", "name"):
        if k not in cols:
            c.fail(f"boundaries.columns.{k}", "missing", hint='write e.g. columns = { code = "KODE", name = "NAMA" }')
    return tuple(sorted((str(k), str(v)) for k, v in cols.items()))


def _data(c: _Checker, value) -> tuple[DataInput, ...]:
    """``[[data]]`` items: path (required), period, sheet, columns (header = field), date_format (dmy or mdy),
    sum_duplicates (true: two rows for one kelurahan have their counts added)."""
    data = []
    for key, d in c.tables(value, "data"):
        period = d.get("period")
        if period is not None:
            period = _period(c, period, f"{key}.period", "a period such as \"2024\" or \"2024-08\"")
        if "sheet" in d:
            c.typed(d["sheet"], str, f"{key}.sheet", "a sheet name")
        cols = c.typed(d.get("columns", {}), dict, f"{key}.columns", "a table")
        for k, v in cols.items():
            c.typed(v, str, f"{key}.columns.{k}", "a field name")
        pairs = tuple((str(k), str(v)) for k, v in cols.items())
        from serang_gis.read.tables import parse_mapping

        try:
            parse_mapping([f"{k}={v}" for k, v in pairs])
        except InputError as exc:
            c.fail(f"{key}.columns", exc.message, hint=exc.hint)
        if d.get("date_format") not in (None, "dmy", "mdy"):
            c.fail(f"{key}.date_format", f"{d['date_format']!r} is not a date order", hint='write "dmy" (17/08/2024) or "mdy" (08/17/2024)')
        summed = c.typed(d.get("sum_duplicates", False), bool, f"{key}.sum_duplicates", "true or false")
        data.append(DataInput(c.file(d["path"], f"{key}.path"), period, d.get("sheet"), pairs, d.get("date_format"), bool(summed)))
    return tuple(data)


def _period(c: _Checker, value, key: str, what: str) -> str:
    """A period as text ("2024", "2024-08", a range), checked by ``eppgbm.parse_period``."""
    period = str(c.typed(value, (str, int), key, what))
    from serang_gis.read.eppgbm import parse_period

    try:
        parse_period(period)
    except InputError as exc:
        c.fail(key, exc.message, hint=exc.hint)
    return period


def _maps(c: _Checker, value, data: tuple[DataInput, ...]) -> dict:
    """``[maps]``: indicators, scopes, scheme, k, bins, change (pairs of [[data]] periods), static."""
    m = c.typed(value, dict, "maps", "a table")
    c.keys(m, "maps", "maps.")
    out = {}
    if "indicators" in m:
        out["indicators"] = _indicators(c, m["indicators"])
    if "scopes" in m:
        scopes = c.typed(m["scopes"], list, "maps.scopes", "a list")
        for i, v in enumerate(scopes):
            if v not in ("kota", "kecamatan"):
                c.fail(f"maps.scopes[{i}]", f"{v!r}", hint='"kota" (the whole kab/kota) or "kecamatan" (each one zoomed)')
        out["scopes"] = tuple(scopes)
    if "scheme" in m:
        if m["scheme"] not in SCHEMES:
            c.fail("maps.scheme", f"{m['scheme']!r}", hint=", ".join(SCHEMES))
        out["scheme"] = m["scheme"]
    if "k" in m:
        k = c.typed(m["k"], int, "maps.k", "a whole number")
        if not 2 <= k <= 9:
            c.fail("maps.k", f"{k} is not between 2 and 9")
        out["k"] = k
    if "bins" in m:
        out["bins"] = _bins(c, m["bins"])
    if "change" in m:
        out["change"] = _change(c, m["change"], {d.period for d in data})
    if "static" in m:
        out["static"] = c.typed(m["static"], bool, "maps.static", "true or false")
    return out


def _indicators(c: _Checker, value) -> tuple[str, ...]:
    inds = c.typed(value, list, "maps.indicators", "a list")
    from serang_gis.core.indicators import ALIASES, INFO

    for i, v in enumerate(inds):
        c.typed(v, str, f"maps.indicators[{i}]", "an indicator name")
        if v not in INFO and v not in ALIASES:
            c.fail(f"maps.indicators[{i}]", f"{v!r} is not an indicator",
                   hint=f"indicators: {', '.join(sorted(set(INFO) | set(ALIASES)))}")
    return tuple(inds)


def _bins(c: _Checker, value) -> tuple[float, ...]:
    """Break points of the manual scheme: finite numbers, strictly increasing."""
    bins = c.typed(value, list, "maps.bins", "a list of break points")
    for i, v in enumerate(bins):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v in (float("inf"), float("-inf")):
            c.fail(f"maps.bins[{i}]", f"{v!r} is not a number")
    if sorted(bins) != list(bins) or len(set(bins)) != len(bins):
        c.fail("maps.bins", f"{bins!r} is not strictly increasing", hint="write e.g. bins = [10, 20, 30]")
    return tuple(float(v) for v in bins)


def _change(c: _Checker, value, known: set) -> tuple[tuple[str, str], ...]:
    """Change maps: [earlier, later] pairs of periods that some [[data]] has."""
    ch = c.typed(value, list, "maps.change", "a list of [earlier, later] pairs")
    pairs = []
    for i, pair in enumerate(ch):
        if not (isinstance(pair, list) and len(pair) == 2):
            c.fail(f"maps.change[{i}]", f"{pair!r} is not an [earlier, later] pair")
        a, b = map(str, pair)
        for p in (a, b):
            if p not in known:
                c.fail(f"maps.change[{i}]", f"no [[data]] has period {p!r}", hint=f"periods: {', '.join(sorted(filter(None, known))) or 'none'}")
        pairs.append((a, b))
    return tuple(pairs)


def _rank(c: _Checker, value) -> dict:
    """``[rank]``: profile (checked by loading it), lokus, draws, seed; the section itself turns ranking on."""
    r = c.typed(value, dict, "rank", "a table")
    c.keys(r, "rank", "rank.")
    out = {}
    prof = r.get("profile", "default")
    out["rank_profile"] = None if prof == "default" else c.file(prof, "rank.profile")
    if out["rank_profile"]:
        from serang_gis.read.profile import load_profile

        load_profile(out["rank_profile"])  # its own checks, before anything is written
    if "lokus" in r:
        lok = str(r["lokus"])
        out["rank_lokus"] = lok if lok in ("2021", "2022") else c.file(lok, "rank.lokus")
    if "draws" in r:
        draws = c.typed(r["draws"], int, "rank.draws", "a whole number")
        if isinstance(draws, bool) or not 0 <= draws <= 100_000:
            c.fail("rank.draws", f"{draws!r} is not between 0 and 100000", hint="1000 draws are plenty; 0 turns the sensitivity off")
        out["rank_draws"] = draws
    if "seed" in r:
        seed = c.typed(r["seed"], int, "rank.seed", "a whole number")
        if isinstance(seed, bool) or not 0 <= seed < 2**32:
            c.fail("rank.seed", f"{seed!r} is not between 0 and 4294967295")
        out["rank_seed"] = seed
    out["rank"] = True
    return out


def _export(c: _Checker, value) -> tuple[str, ...]:
    """``[export]``: formats, each "gpkg", "geojson" or "shp"."""
    e = c.typed(value, dict, "export", "a table")
    c.keys(e, "export", "export.")
    fm = c.typed(e.get("formats", ["gpkg"]), list, "export.formats", "a list")
    for i, v in enumerate(fm):
        if v not in ("gpkg", "geojson", "shp"):
            c.fail(f"export.formats[{i}]", f"{v!r}", hint='"gpkg", "geojson" or "shp"')
    return tuple(fm)


def _periods(c: _Checker, value) -> dict:
    """``[periods]``: complete_share (0 < x <= 1: the share of kelurahan that must report for a period to
    count as complete) and city (the period of the city-wide products, or "auto")."""
    p = c.typed(value, dict, "periods", "a table")
    c.keys(p, "periods", "periods.")
    out = {}
    if "complete_share" in p:
        v = p["complete_share"]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
            c.fail("periods.complete_share", f"{v!r} is not a number", hint="write e.g. complete_share = 0.8")
        if not 0 < v <= 1:
            c.fail("periods.complete_share", f"{v!r} is not above 0 and at most 1",
                   hint="the share of kelurahan that must report, e.g. complete_share = 0.8 (80 %)")
        out["periods_complete_share"] = float(v)
    if "city" in p:
        city = p["city"]
        what = 'a period such as "2024" or "2024-08", or "auto"'
        if city != "auto":
            if isinstance(city, str) and not city.strip():
                c.fail("periods.city", f"{city!r} is not a period", hint=f"write {what}")
            city = _period(c, city, "periods.city", what)
        out["periods_city"] = None if city == "auto" else city
    return out


def _kegiatan(c: _Checker, value) -> tuple[KegiatanInput, ...]:
    """``[[kegiatan]]`` items: path (required), year, split ("equal" / "stunting" / "sasaran" / "none", the same for all), sheet."""
    out = []
    for key, d in c.tables(value, "kegiatan", "the Aksi 2 matrix (CSV/XLSX) of this item"):
        year = d.get("year")
        if year is not None:
            if isinstance(year, str) and year.isdigit():
                year = int(year)
            if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
                c.fail(f"{key}.year", f"{d['year']!r} is not a year", hint="write year = 2023")
        split = d.get("split", "equal")
        if split not in ("equal", "stunting", "sasaran", "none"):
            c.fail(f"{key}.split", f"{split!r}", hint='"equal" (pagu divided equally over the kelurahan named), "stunting" / "sasaran" '
                   '(in proportion to their balita_stunting / sasaran_balita) or "none" (counted whole for each)')
        sheet = d.get("sheet")
        if sheet is not None:
            c.typed(sheet, str, f"{key}.sheet", "a sheet name")
        out.append(KegiatanInput(c.file(d["path"], f"{key}.path"), year, split, sheet))
    if len({k.split for k in out}) > 1:
        c.fail("kegiatan", "the items use different split values", hint="give every [[kegiatan]] the same split")
    return tuple(out)
