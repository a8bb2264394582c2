"""Join stage: office tables to kelurahan (``tables``), the embedded figures to the boundaries (``atlas``).

``serang_gis.join`` was a module before the stage layout; its names still answer here.
"""


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.tables"), name)  # AttributeError for a submodule not yet loaded
    return value
