"""The plugin object QGIS loads: registers the Processing provider and removes it on unload."""

from qgis.core import QgsApplication

from .provider import SerangGISProvider


class SerangGISPlugin:
    def __init__(self, iface=None):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 (QGIS's name; called for hasProcessingProvider=yes plugins too)
        if self.provider is None:
            self.provider = SerangGISProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
