"""The fixed vocabularies a user chooses from, as plain tuples with no heavy import.

The command line offers them as ``click.Choice`` values while it builds its help, so they must not
load numpy or pandas; the modules that use them (classify, profile, priority, lokus, raster,
config) import them from here and keep answering at their old names.
"""

SCHEMES = ("who", "quantiles", "natural_breaks", "equal_interval", "manual")  # choropleth classes (core.classify)
NORMALISATIONS = ("percentile", "winsor", "minmax", "zscore")  # of a ranking indicator (read.profile)
ESTIMATES = ("eb", "raw")  # rates ranked: empirical Bayes or as counted (read.profile)
DRAWS = 10000  # default number of draws: enough for the flags not to change with the seed (docs/prioritization.md)
PAPER_LISTS = ("2021", "2022")  # the paper's lokus lists, named by year (read.lokus)
ZONAL_STATS = ("sum", "mean", "count", "min", "max")  # zonal statistics of a raster (render.raster)
COMPLETE_SHARE = 0.8  # a period is complete when this share of the kab/kota's kelurahan report ([periods] complete_share)
