"""serang-gis: stunting data of Kota Serang (and any kab/kota) to maps and QGIS layers.

Pipeline, one module per step::

    boundaries (fetch) -> reference / tables -> match/join -> atlas layers -> maps, export
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("serang-gis")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

from .boundaries import Boundaries, ColumnMap, read_kelurahan  # noqa: E402
from .errors import DownloadError, InputError, MatchError, SchemaError, SerangGISError  # noqa: E402
from .match import Match, Matcher  # noqa: E402

__all__ = [
    "Boundaries", "ColumnMap", "read_kelurahan", "Match", "Matcher",
    "SerangGISError", "InputError", "SchemaError", "MatchError", "DownloadError", "__version__",
]
