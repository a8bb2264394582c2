"""serang-gis: stunting data of Kota Serang (and any kab/kota) to maps and QGIS layers.

The package is laid out as its pipeline, one subpackage per stage; a stage imports only from the
stages before it (``tests/test_layout.py`` checks this)::

    core -> output -> read -> join -> analysis -> plan -> render -> pipeline -> batch -> cli

- ``core``: codes, fields, indicators, statistics, errors, the text catalogue, geometry
- ``output``: file writers (temporary file, then rename), staging, output policy
- ``read``: boundaries (and their download), office tables, by-name exports, activity matrices,
  locations, lokus lists, the embedded reference figures, the atlas config
- ``join``: tables to kelurahan by code or name; the embedded figures to the boundaries
- ``analysis``: priority ranking, funnel limits, convergence of budgets
- ``plan``: the map plan (classes, colours, caveats) and the atlas plan (periods, sources, products)
- ``render``: Leaflet pages, static PNG, QGIS styles and layers, GeoTIFF, the index page
- ``pipeline``: ``build_region`` / ``build_atlas``, the wiring of the stages

The workflow from Python (the README's "Python API")::

    import serang_gis as sg
    kel = sg.read_boundaries("36.73").kelurahan
    joined, report = sg.join_tables(kel, [sg.read_table("data_sasaran.xlsx", period="2024")])
    ranking = sg.rank(joined, sg.load_profile())
    sg.build_atlas("atlas", data=[sg.DataInput("data_sasaran.xlsx", period="2024")], rank=True)

Every name loads on first use, so ``import serang_gis`` and the command line's ``--help`` stay quick.
Modules keep answering at their old names (``serang_gis.build`` is ``serang_gis.pipeline``).
"""

import importlib.abc
import importlib.util
import sys
from importlib import import_module
from typing import TYPE_CHECKING

from serang_gis.core.version import __version__

if TYPE_CHECKING:  # what type checkers see for the lazy names below
    from serang_gis.analysis.priority import Profile, Ranking, attach, load_profile, rank
    from serang_gis.core.errors import DownloadError, InputError, MatchError, SchemaError, SerangGISError
    from serang_gis.join.tables import JoinReport, join_tables
    from serang_gis.pipeline import BuildResult, build_atlas
    from serang_gis.read.boundaries import Boundaries, ColumnMap, read_boundaries, read_kelurahan
    from serang_gis.read.config import AtlasConfig, DataInput, load_config
    from serang_gis.read.match import Match, Matcher
    from serang_gis.read.tables import Table, read_table

_LAZY = {  # public name -> module that defines it
    **dict.fromkeys(["read_boundaries", "read_kelurahan", "Boundaries", "ColumnMap"], "read.boundaries"),
    **dict.fromkeys(["SerangGISError", "InputError", "SchemaError", "MatchError", "DownloadError"], "core.errors"),
    **dict.fromkeys(["JoinReport", "join_tables"], "join.tables"),
    **dict.fromkeys(["Match", "Matcher"], "read.match"),
    **dict.fromkeys(["Table", "read_table"], "read.tables"),
    **dict.fromkeys(["rank", "load_profile", "attach", "Ranking", "Profile"], "analysis.priority"),
    **dict.fromkeys(["build_atlas", "BuildResult"], "pipeline"),
    **dict.fromkeys(["AtlasConfig", "DataInput", "load_config"], "read.config"),
}

# modules of the first releases, at their old names -> where they live now
_MOVED = {
    "codes": "core.codes", "errors": "core.errors", "fields": "core.fields", "stats": "core.stats",
    "quality": "core.quality", "classify": "core.classify", "indicators": "core.indicators",
    "maps.text": "core.text", "maps.geometry": "core.geometry",
    "staging": "output.staging", "outputs": "output.policy", "export": "output.writers",
    "boundaries": "read.boundaries", "fetch": "read.fetch", "tablebase": "read.tablebase", "tables": "read.tables",
    "eppgbm": "read.eppgbm", "match": "read.match", "lokasi": "read.lokasi", "lokus": "read.lokus",
    "kegiatan": "read.kegiatan", "paket": "read.paket", "reference": "read.reference", "config": "read.config",
    "atlas": "join.atlas", "priority": "analysis.priority", "funnel": "analysis.funnel",
    "konvergensi": "analysis.konvergensi", "styles": "render.styles", "qgis_export": "render.qgis",
    "raster": "render.raster", "static_maps": "render.static", "site": "render.site", "template": "render.template",
    "maps": "render.leaflet", "maps.assets": "render.leaflet.assets", "maps.atlas": "render.leaflet.atlas",
    "maps.elements": "render.leaflet.elements", "maps.indicator": "render.leaflet.indicator",
    "maps.konvergensi": "render.leaflet.konvergensi", "maps.page": "render.leaflet.page",
    "maps.spec": "render.leaflet.spec", "build": "pipeline",
}


class _OldNames(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import serang_gis.build`` gives the module now at ``serang_gis.pipeline`` (the same object)."""

    def find_spec(self, fullname, path=None, target=None):
        old = fullname.partition(".")[2]
        if fullname.startswith(__name__ + ".") and old in _MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return import_module(f"{__name__}.{_MOVED[spec.name.partition('.')[2]]}")

    def exec_module(self, module):
        pass


if not any(isinstance(f, _OldNames) for f in sys.meta_path):
    sys.meta_path.append(_OldNames())


def __getattr__(name):
    if name in _LAZY:
        value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    if name in _MOVED:  # `from serang_gis import build` (the old module names)
        return import_module(f"{__name__}.{_MOVED[name]}")
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
