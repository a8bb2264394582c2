"""Interactive Leaflet maps (folium + the atlas.js runtime)."""

from .atlas import kecamatan_map, kecamatan_spec, kelurahan_map, kelurahan_spec
from .spec import MapSpec

__all__ = ["MapSpec", "kelurahan_map", "kecamatan_map", "kelurahan_spec", "kecamatan_spec"]
