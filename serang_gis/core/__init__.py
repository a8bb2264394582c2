"""core stage of the pipeline (see serang_gis/__init__.py)."""
