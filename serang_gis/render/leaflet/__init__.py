"""Interactive Leaflet maps (folium + the atlas.js runtime).

Imported lazily, so that ``serang_gis.core.text`` (used by the map plan) does not pull in folium.
"""

__all__ = ["MapSpec", "kelurahan_map", "kecamatan_map", "kelurahan_spec", "kecamatan_spec"]


def __getattr__(name):
    if name == "MapSpec":
        from serang_gis.render.leaflet.spec import MapSpec

        return MapSpec
    if name in ("kelurahan_map", "kecamatan_map", "kelurahan_spec", "kecamatan_spec"):
        from serang_gis.render.leaflet import atlas

        return getattr(atlas, name)
    raise AttributeError(name)
