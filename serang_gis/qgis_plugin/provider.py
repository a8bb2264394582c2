"""The serang-gis Processing provider: the four algorithms and the setting naming serang-gis's Python."""

from qgis.core import QgsProcessingProvider

from .algorithms import ALGORITHMS, SETTING_PYTHON


def _config():
    try:
        from processing.core.ProcessingConfig import ProcessingConfig, Setting
    except ImportError:  # the Processing plugin is not loaded: the environment variable and PATH still work
        return None, None
    return ProcessingConfig, Setting


class SerangGISProvider(QgsProcessingProvider):
    def id(self):
        return "serang_gis"

    def name(self):
        return "serang-gis"

    def longName(self):  # noqa: N802
        return "serang-gis: stunting data to maps and QGIS layers"

    def load(self):
        config, setting = _config()
        if config is not None:
            config.settingIcons[self.name()] = self.icon()
            config.addSetting(setting(self.name(), SETTING_PYTHON,
                                      "Python where serang-gis is installed (empty: $SERANG_GIS_PYTHON, else serang-gis on PATH)",
                                      "", valuetype=setting.FILE))
            config.readSettings()
        self.refreshAlgorithms()
        return True

    def unload(self):
        config, _ = _config()
        if config is not None:
            config.removeSetting(SETTING_PYTHON)

    def loadAlgorithms(self):  # noqa: N802
        for cls in ALGORITHMS:
            self.addAlgorithm(cls())

    def supportsNonFileBasedOutput(self):  # noqa: N802 (the command writes files; QGIS picks a temporary file otherwise)
        return False

    def supportedOutputVectorLayerExtensions(self):  # noqa: N802
        return ["gpkg", "geojson", "csv"]

    def defaultVectorFileExtension(self, hasGeometry=True):  # noqa: N802
        return "gpkg"
