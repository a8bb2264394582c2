"""The installed version, read from the package metadata (no heavy imports)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("serang-gis")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"
