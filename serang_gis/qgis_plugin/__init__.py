"""The serang-gis QGIS plugin: a Processing provider with join, rank, export and konvergensi.

This folder is zipped as ``serang_gis_qgis/`` by ``serang-gis qgis-plugin`` (Plugins > Install from ZIP).
It imports only QGIS and the standard library: the algorithms run the serang-gis command of the Python
where the package is installed (see runner.py).
"""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import SerangGISPlugin

    return SerangGISPlugin(iface)
