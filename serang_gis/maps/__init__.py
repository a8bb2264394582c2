"""Interactive Leaflet maps (folium)."""

from .atlas import kecamatan_map, kelurahan_map

__all__ = ["kelurahan_map", "kecamatan_map"]
