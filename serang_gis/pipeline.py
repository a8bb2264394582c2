"""The main job for one kab/kota, stage by stage: read -> join -> analyse -> plan -> render.

Two sources of figures end in the same products: Kota Serang's embedded figures (the default atlas,
no config needed) and the ``[[data]]`` tables of an atlas config, joined per period. Each stage hands
the next one what it made and never calls back: ``read_inputs`` reads every file, ``join_atlas`` makes
the kelurahan layer (each group's city period decided, the user's tables before the embedded figures),
``analyse`` ranks it and computes the convergence view, ``plan_atlas`` decides every product, and
``write_atlas`` draws them. Every file is written atomically; the same inputs give the same bytes.
"""

from __future__ import annotations

import dataclasses

from serang_gis.analysis.atlas import analyse
from serang_gis.join.atlas import join_atlas
from serang_gis.plan.atlas import AtlasPlan, plan_atlas
from serang_gis.read import fetch, reference
from serang_gis.read.boundaries import Boundaries, ColumnMap, read_kelurahan
from serang_gis.read.config import AtlasConfig
from serang_gis.read.inputs import read_inputs
from serang_gis.render.atlas import GPKG_NAME, BuildResult, summary_rows, write_atlas

__all__ = ["GPKG_NAME", "BuildResult", "boundary_columns", "build_atlas", "build_region", "build_rembuk", "plan_region", "load_boundaries", "summary_rows"]


def boundary_columns(config: AtlasConfig) -> ColumnMap | None:
    return ColumnMap(**dict(config.boundaries_columns)) if config.boundaries_columns else None


def load_boundaries(config: AtlasConfig, region: str) -> Boundaries:
    src = fetch.resolve(region, config.boundaries)
    return read_kelurahan(src.kelurahan, layer=config.boundaries_layer, columns=boundary_columns(config), crs=config.boundaries_crs,
                          region=region, name_sources=[*src.names, *config.boundary_names],
                          dissolve_duplicates=config.boundaries_dissolve, strict=config.strict)


def build_atlas(out_dir="outputs", *, region: str = reference.KOTA_SERANG, config: AtlasConfig | None = None, **options) -> BuildResult:
    """Build one region's atlas from Python: ``build_atlas("outputs", boundaries="kel.geojson", lang="en")``.

    ``options`` are AtlasConfig fields and override ``config``.
    """
    cfg = dataclasses.replace(config or AtlasConfig(), output=str(out_dir), **options)
    return build_region(cfg, region, out_dir, load_boundaries(cfg, region))


def plan_region(cfg: AtlasConfig, region: str, bounds: Boundaries) -> AtlasPlan:
    """Read, join, analyse and plan one region: everything a product needs, before anything is drawn."""
    inputs = read_inputs(cfg)
    joined = join_atlas(bounds, inputs, region)
    analysed = analyse(joined, inputs, region)
    return plan_atlas(joined, analysed, inputs.settings, region)


def build_region(cfg: AtlasConfig, region: str, out_dir, bounds: Boundaries) -> BuildResult:
    """One path for every atlas: each stage once, in order."""
    return write_atlas(plan_region(cfg, region, bounds), out_dir, bounds)


def build_rembuk(cfg: AtlasConfig, region: str, out_dir, bounds: Boundaries, *, atlas_folder: str = "atlas"):
    """The rembuk stunting pack (issue 22) from the same plan as the atlas: the atlas in ``out_dir/atlas_folder``,
    the pack's documents and its index beside it. Returns (BuildResult of the atlas, the pack's files)."""
    from pathlib import Path

    from serang_gis.render.rembuk.pack import write_pack

    atlas_plan = plan_region(cfg, region, bounds)
    result = write_atlas(atlas_plan, Path(out_dir) / atlas_folder, bounds)
    return result, write_pack(atlas_plan, result, out_dir, atlas_folder=atlas_folder)
