"""The Processing algorithms: each turns its typed parameters into a serang-gis command line.

The command runs in the Python where serang-gis is installed (runner.py); its messages stream into
the Processing log, a failure becomes a QgsProcessingException with the command's own message, and
the layers it wrote are returned (and loaded when run from the toolbox).
"""

import os

from qgis.core import (QgsProcessing, QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingException,
                       QgsProcessingOutputVectorLayer, QgsProcessingParameterBoolean, QgsProcessingParameterEnum,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber, QgsProcessingParameterString,
                       QgsProcessingParameterVectorDestination, QgsVectorLayer)

from . import runner

LANGS = ["id", "en"]
LANG_LABELS = ["Bahasa Indonesia (id)", "English (en)"]
LOKUS_LABELS = ["none", "2021 (the paper's list)", "2022 (the paper's list)"]
LOKUS_VALUES = [None, "2021", "2022"]
TABLES = "Tables (*.csv *.tsv *.txt *.xlsx *.xls)"
JOINED_FORMATS = ["gpkg", "geojson", "json"]
SETTING_PYTHON = "SERANG_GIS_PYTHON"


def python_setting() -> str:
    """The interpreter set under Settings > Options > Processing > Providers > serang-gis (or "")."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
    except ImportError:
        return ""
    return ProcessingConfig.getSetting(SETTING_PYTHON) or ""


class SerangAlgorithm(QgsProcessingAlgorithm):
    """One serang-gis command; subclasses declare parameters and build the arguments."""

    NAME = ""
    TITLE = ""
    HELP = ""

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return self.TITLE

    def group(self):
        return "Stunting"

    def groupId(self):  # noqa: N802
        return "stunting"

    def shortHelpString(self):  # noqa: N802
        return self.HELP + "\n\nRuns the serang-gis command (`serang-gis " + self.NAME + " --help` tells every option)."

    def createInstance(self):  # noqa: N802
        return type(self)()

    # ---- helpers turning parameters into arguments --------------------------------------------

    def joined_path(self, parameters, name, context, feedback) -> str:
        """A file the command reads: the layer's own GeoPackage/GeoJSON, else a temporary copy (selection, other format)."""
        path, layer = self.parameterAsCompatibleSourceLayerPathAndLayerName(
            parameters, name, context, JOINED_FORMATS, "gpkg", feedback)
        if layer and layer != "kelurahan":  # the command reads the kelurahan (or only) layer of a GeoPackage
            path, layer = self.parameterAsCompatibleSourceLayerPathAndLayerName(parameters, name, context, [], "gpkg", feedback)
        return path

    def option(self, args, flag, value):
        if value not in (None, "") and value != []:
            args += [flag, str(value)]

    def lokus(self, args, parameters, context):
        path = self.parameterAsFile(parameters, "LOKUS_FILE", context)
        self.option(args, "--lokus", path or LOKUS_VALUES[self.parameterAsEnum(parameters, "LOKUS", context)])

    def optional_int(self, parameters, name, context):
        return None if parameters.get(name) in (None, "") else self.parameterAsInt(parameters, name, context)

    def add_lokus_params(self):
        self.addParameter(QgsProcessingParameterEnum("LOKUS", "Lokus list to compare with", LOKUS_LABELS, defaultValue=0))
        self.addParameter(QgsProcessingParameterFile("LOKUS_FILE", "Or a lokus list file (CSV/XLSX of kelurahan names or codes)",
                                                     fileFilter=TABLES, optional=True))

    def add_lang_param(self):
        self.addParameter(QgsProcessingParameterEnum("LANG", "Language of the map text", LANG_LABELS, defaultValue=0))

    def lang(self, parameters, context):
        return LANGS[self.parameterAsEnum(parameters, "LANG", context)]

    def load(self, context, uri, name):
        """Load a layer the command wrote when the run finishes (toolbox runs); the result carries its URI either way."""
        layer = QgsVectorLayer(uri, name, "ogr")
        if layer.isValid() and context.project() is not None:
            context.temporaryLayerStore().addMapLayer(layer)
            context.addLayerToLoadOnCompletion(layer.id(), QgsProcessingContext.LayerDetails(name, context.project(), name))
        return uri

    # ---- the run -----------------------------------------------------------------------------

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        args = self.arguments(parameters, context, feedback)
        feedback.pushCommandInfo("serang-gis " + " ".join(_quoted(a) for a in args))
        try:
            runner.run(args, python=python_setting(), on_line=feedback.pushConsoleInfo, canceled=feedback.isCanceled)
        except runner.RunError as exc:
            raise QgsProcessingException(str(exc)) from None
        return self.results(context)

    def results(self, context):
        """What the run returns: the paths chosen in arguments() (a temporary output gets a new name on each ask)."""
        return {k: v for k, v in self.out.items() if v}


def _quoted(arg) -> str:
    arg = str(arg)
    return f'"{arg}"' if (" " in arg or not arg) else arg


class JoinAlgorithm(SerangAlgorithm):
    NAME, TITLE = "join", "Join kelurahan tables"
    HELP = ("Joins kelurahan tables (Data Sasaran, e-PPGBM, keluarga berisiko, sanitasi; CSV or XLSX) to the kelurahan "
            "boundaries by code, else name, else a fuzzy name match within the kecamatan. Writes the joined layer as "
            "the maps' clean coverage; nothing is written when a value is invalid.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            "BOUNDARIES", "Kelurahan boundaries (default: the packaged Kota Serang, else downloaded for the region)",
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterString("REGION", "Kab/kota code (Kemendagri)", defaultValue="36.73"))
        self.addParameter(QgsProcessingParameterMultipleLayers("DATA", "Tables to join (CSV, TSV or XLSX)", QgsProcessing.TypeFile))
        self.addParameter(QgsProcessingParameterString("PERIOD", "Period of the data (2024, 2024-08, 2024-02..2024-08)", optional=True))
        self.addParameter(QgsProcessingParameterString("SHEET", "Sheet of the XLSX files (default: the first)", optional=True))
        self.addParameter(QgsProcessingParameterBoolean("SUM_DUPLICATES", "Add up several rows of one kelurahan", defaultValue=False))
        self.addParameter(QgsProcessingParameterBoolean("STRICT", "Treat warnings as errors", defaultValue=False))
        self.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", "Joined kelurahan", QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFileDestination("REPORT", "Match report (JSON)", "JSON (*.json)", optional=True,
                                                                createByDefault=False))

    def arguments(self, parameters, context, feedback):
        args = ["join"]
        if parameters.get("BOUNDARIES") not in (None, ""):
            path, layer = self.parameterAsCompatibleSourceLayerPathAndLayerName(
                parameters, "BOUNDARIES", context, ["gpkg", "geojson", "json", "shp", "fgb", "parquet", "zip"], "gpkg", feedback)
            args += ["--boundaries", path] + (["--layer", layer] if layer else [])
        self.option(args, "--region", self.parameterAsString(parameters, "REGION", context))
        for path in self.parameterAsFileList(parameters, "DATA", context):
            args += ["--data", path]
        if not self.parameterAsFileList(parameters, "DATA", context):
            raise QgsProcessingException("no table to join: give at least one CSV/XLSX table in 'Tables to join'")
        self.option(args, "--period", self.parameterAsString(parameters, "PERIOD", context))
        self.option(args, "--sheet", self.parameterAsString(parameters, "SHEET", context))
        args += ["--sum-duplicates"] if self.parameterAsBool(parameters, "SUM_DUPLICATES", context) else []
        args += ["--strict"] if self.parameterAsBool(parameters, "STRICT", context) else []
        self.out = {"OUTPUT": self.parameterAsOutputLayer(parameters, "OUTPUT", context),
                    "REPORT": self.parameterAsFileOutput(parameters, "REPORT", context)}
        args += ["-o", self.out["OUTPUT"], "--overwrite"]
        self.option(args, "--report", self.out["REPORT"])
        return args


class RankAlgorithm(SerangAlgorithm):
    NAME, TITLE = "rank", "Rank kelurahan (priority, lokus decision)"
    HELP = ("Ranks kelurahan by a composite index on smoothed rates for the lokus decision (Aksi 1): tiers Prioritas 1-3, "
            "P(top N) from draws of weights and rates, lokus kuat / perbatasan, and the comparison with a lokus list. "
            "The same seed gives the same result.")
    NORMALISATIONS = [None, "percentile", "winsor", "minmax", "zscore"]

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource("JOINED", "Joined kelurahan (from join)", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterFile("PROFILE", "Profile (TOML; default: the package's)", fileFilter="TOML (*.toml)",
                                                     optional=True))
        self.add_lokus_params()
        self.addParameter(QgsProcessingParameterNumber("DRAWS", "Draws of the uncertainty analysis (0: none)",
                                                       QgsProcessingParameterNumber.Integer, 10000, minValue=0, maxValue=50000))
        self.addParameter(QgsProcessingParameterNumber("SEED", "Seed of the draws", QgsProcessingParameterNumber.Integer, 42))
        self.addParameter(QgsProcessingParameterEnum("NORMALISATION", "Normalisation",
                                                     ["the profile's", "percentile", "winsor", "minmax", "zscore"], defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum("ESTIMATE", "Rates ranked", ["eb (empirical Bayes)", "raw (as counted)"],
                                                     defaultValue=0))
        self.add_lang_param()
        self.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", "Ranked kelurahan", QgsProcessing.TypeVectorPolygon))
        for name, title, filt in (("CSV", "Rank table (CSV)", "CSV (*.csv)"), ("XLSX", "Rank table (XLSX)", "Excel (*.xlsx)"),
                                  ("MAP", "Tier map (HTML)", "HTML (*.html)")):
            self.addParameter(QgsProcessingParameterFileDestination(name, title, filt, optional=True, createByDefault=False))

    def arguments(self, parameters, context, feedback):
        args = ["rank", self.joined_path(parameters, "JOINED", context, feedback)]
        self.option(args, "--profile", self.parameterAsFile(parameters, "PROFILE", context))
        self.lokus(args, parameters, context)
        args += ["--draws", self.parameterAsInt(parameters, "DRAWS", context), "--seed", self.parameterAsInt(parameters, "SEED", context)]
        self.option(args, "--normalisation", self.NORMALISATIONS[self.parameterAsEnum(parameters, "NORMALISATION", context)])
        args += ["--estimate", ["eb", "raw"][self.parameterAsEnum(parameters, "ESTIMATE", context)]]
        self.out = {"OUTPUT": self.parameterAsOutputLayer(parameters, "OUTPUT", context)}
        args += ["-o", self.out["OUTPUT"]]
        for name in ("CSV", "XLSX", "MAP"):
            self.out[name] = self.parameterAsFileOutput(parameters, name, context)
            self.option(args, "--" + name.lower(), self.out[name])
        return args + ["--lang", self.lang(parameters, context), "--overwrite"]


class ExportAlgorithm(SerangAlgorithm):
    NAME, TITLE = "export", "Export QGIS-ready styled layers"
    HELP = ("Writes a GeoPackage 1.2 (layers kelurahan, kecamatan, lokus with their default styles) and GeoJSON layers "
            "with a .qml beside each, styled like the HTML maps.")
    SCHEMES = [None, "who", "quantiles", "natural_breaks", "equal_interval", "manual"]
    FORMATS = ["gpkg", "geojson"]

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource("JOINED", "Joined or ranked kelurahan", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterString("NAME", "Base name of the files", defaultValue="serang_gis"))
        self.addParameter(QgsProcessingParameterString("INDICATOR", "Indicator the style classes (default: prevalence, else the tier)",
                                                       optional=True))
        self.addParameter(QgsProcessingParameterEnum("SCHEME", "Classes", ["default (WHO bands for prevalence, else quantiles)",
                                                     *self.SCHEMES[1:]], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber("K", "Number of classes", QgsProcessingParameterNumber.Integer, 5,
                                                       minValue=2, maxValue=9))
        self.addParameter(QgsProcessingParameterString("BINS", "Break points for the manual scheme (e.g. 10,20,30)", optional=True))
        self.addParameter(QgsProcessingParameterEnum("FORMATS", "What to write", self.FORMATS, allowMultiple=True, defaultValue=[0, 1]))
        self.addParameter(QgsProcessingParameterNumber("SUPPRESS_BELOW", "For shared outputs: blank counts from 1 to N-1 (N)",
                                                       QgsProcessingParameterNumber.Integer, None, optional=True, minValue=1))
        self.add_lang_param()
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT", "Output folder"))
        self.addOutput(QgsProcessingOutputVectorLayer("KELURAHAN", "Kelurahan layer", QgsProcessing.TypeVectorPolygon))

    def arguments(self, parameters, context, feedback):
        args = ["export", self.joined_path(parameters, "JOINED", context, feedback)]
        self.name_ = self.parameterAsString(parameters, "NAME", context)
        self.option(args, "--name", self.name_)
        self.option(args, "--indicator", self.parameterAsString(parameters, "INDICATOR", context))
        self.option(args, "--scheme", self.SCHEMES[self.parameterAsEnum(parameters, "SCHEME", context)])
        args += ["--k", self.parameterAsInt(parameters, "K", context)]
        self.option(args, "--bins", self.parameterAsString(parameters, "BINS", context))
        self.formats = [self.FORMATS[i] for i in self.parameterAsEnums(parameters, "FORMATS", context)]
        for fmt in self.formats:
            args += ["--format", fmt]
        self.option(args, "--suppress-below", self.optional_int(parameters, "SUPPRESS_BELOW", context))
        self.out = {"OUTPUT": self.parameterAsFileOutput(parameters, "OUTPUT", context)}
        return args + ["--lang", self.lang(parameters, context), "-o", self.out["OUTPUT"], "--overwrite"]

    def results(self, context):
        folder, name = self.out["OUTPUT"], self.name_ or "serang_gis"
        if "gpkg" in self.formats:
            layers = {lyr: f"{os.path.join(folder, name)}.gpkg|layername={lyr}" for lyr in ("kelurahan", "kecamatan", "lokus")}
        else:
            layers = {lyr: os.path.join(folder, f"{name}_{lyr}.geojson") for lyr in ("kelurahan", "kecamatan", "lokus")}
        for lyr in ("lokus", "kecamatan", "kelurahan"):
            self.load(context, layers[lyr], f"{name} {lyr}")
        return {"OUTPUT": folder, "KELURAHAN": layers["kelurahan"]}


class KonvergensiAlgorithm(SerangAlgorithm):
    NAME, TITLE = "konvergensi", "Convergence of the Aksi 2 activities"
    HELP = ("Reads the Aksi 2 activity matrix (offices, sub-kegiatan, Lokasi, pagu) and writes per kelurahan the offices "
            "reaching it, the located pagu, pagu per stunted toddler and the service packages, and the share of pagu "
            "landing in lokus kelurahan: konvergensi.gpkg (styled), CSV tables, a map, the lokus x OPD matrix and a JSON report.")
    SPLITS = ["equal", "stunting", "sasaran", "none"]

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource("JOINED", "Joined kelurahan (from join)", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterMultipleLayers("KEGIATAN", "Aksi 2 activity matrix (CSV/XLSX)", QgsProcessing.TypeFile))
        self.addParameter(QgsProcessingParameterString("SHEET", "Sheet of the XLSX matrix (default: the first)", optional=True))
        self.addParameter(QgsProcessingParameterNumber("YEAR", "Keep only the activities of this year", QgsProcessingParameterNumber.Integer,
                                                       None, optional=True, minValue=2000, maxValue=2100))
        self.add_lokus_params()
        self.addParameter(QgsProcessingParameterEnum("SPLIT", "How an activity's pagu is allocated over its kelurahan",
                                                     ["equal", "stunting (by balita_stunting)", "sasaran (by sasaran_balita)",
                                                      "none (counted whole for each)"], defaultValue=0))
        self.addParameter(QgsProcessingParameterFile("OPD", "Extra offices (CSV kode,nama,alias)", fileFilter="CSV (*.csv)", optional=True))
        self.addParameter(QgsProcessingParameterFile("PAKET", "Package mapping table (CSV)", fileFilter="CSV (*.csv)", optional=True))
        self.addParameter(QgsProcessingParameterBoolean("STRICT", "Treat warnings as errors", defaultValue=False))
        self.add_lang_param()
        self.addParameter(QgsProcessingParameterBoolean("OFFLINE", "Self-contained HTML map", defaultValue=False))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT", "Output folder"))
        self.addOutput(QgsProcessingOutputVectorLayer("KONVERGENSI", "Konvergensi layer", QgsProcessing.TypeVectorPolygon))

    def arguments(self, parameters, context, feedback):
        args = ["konvergensi", self.joined_path(parameters, "JOINED", context, feedback)]
        files = self.parameterAsFileList(parameters, "KEGIATAN", context)
        if not files:
            raise QgsProcessingException("no activity matrix: give the Aksi 2 matrix (CSV/XLSX) in 'Aksi 2 activity matrix'")
        for path in files:
            args += ["--kegiatan", path]
        self.option(args, "--sheet", self.parameterAsString(parameters, "SHEET", context))
        self.option(args, "--year", self.optional_int(parameters, "YEAR", context))
        self.lokus(args, parameters, context)
        args += ["--split", self.SPLITS[self.parameterAsEnum(parameters, "SPLIT", context)]]
        self.option(args, "--opd", self.parameterAsFile(parameters, "OPD", context))
        self.option(args, "--paket", self.parameterAsFile(parameters, "PAKET", context))
        args += ["--strict"] if self.parameterAsBool(parameters, "STRICT", context) else []
        args += ["--offline"] if self.parameterAsBool(parameters, "OFFLINE", context) else []
        self.out = {"OUTPUT": self.parameterAsFileOutput(parameters, "OUTPUT", context)}
        return args + ["--lang", self.lang(parameters, context), "-o", self.out["OUTPUT"], "--overwrite"]

    def results(self, context):
        uri = os.path.join(self.out["OUTPUT"], "konvergensi.gpkg") + "|layername=konvergensi"
        return {"OUTPUT": self.out["OUTPUT"], "KONVERGENSI": self.load(context, uri, "konvergensi")}


ALGORITHMS = [JoinAlgorithm, RankAlgorithm, ExportAlgorithm, KonvergensiAlgorithm]
