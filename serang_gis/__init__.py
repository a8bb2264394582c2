"""serang-gis: stunting data of Kota Serang (and any kab/kota) to maps and QGIS layers.

Pipeline, one module per step::

    boundaries (fetch) -> reference / tables -> match/join -> atlas layers -> maps, export

The workflow from Python (the README's "Python API")::

    import serang_gis as sg
    kel = sg.read_boundaries("36.73").kelurahan
    joined, report = sg.join_tables(kel, [sg.read_table("data_sasaran.xlsx", period="2024")])
    ranking = sg.rank(joined, sg.load_profile())
    sg.build_atlas("atlas", data=[sg.DataInput("data_sasaran.xlsx", period="2024")], rank=True)

Reading boundaries, tables and joins is imported at once; ranking and building (matplotlib, folium)
load on first use.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

try:
    __version__ = version("serang-gis")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

from .boundaries import Boundaries, ColumnMap, read_boundaries, read_kelurahan  # noqa: E402
from .errors import DownloadError, InputError, MatchError, SchemaError, SerangGISError  # noqa: E402
from .join import JoinReport, join_tables  # noqa: E402
from .match import Match, Matcher  # noqa: E402
from .tables import Table, read_table  # noqa: E402

if TYPE_CHECKING:  # what type checkers see for the lazy names below
    from .build import BuildResult, build_atlas
    from .config import AtlasConfig, DataInput, load_config
    from .priority import Profile, Ranking, attach, load_profile, rank

_LAZY = {  # name -> module: heavier imports, loaded when first used
    "rank": "priority", "load_profile": "priority", "attach": "priority", "Ranking": "priority", "Profile": "priority",
    "build_atlas": "build", "BuildResult": "build",
    "AtlasConfig": "config", "DataInput": "config", "load_config": "config",
}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'serang_gis' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "read_boundaries", "read_kelurahan", "Boundaries", "ColumnMap",
    "read_table", "Table", "join_tables", "JoinReport", "Match", "Matcher",
    "rank", "load_profile", "attach", "Ranking", "Profile",
    "build_atlas", "BuildResult", "AtlasConfig", "DataInput", "load_config",
    "SerangGISError", "InputError", "SchemaError", "MatchError", "DownloadError", "__version__",
]
