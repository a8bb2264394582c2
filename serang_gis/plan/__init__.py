"""Plan stage: the map plan (``layers``: classes, colours, caveats of every layer) and the atlas plan.

``serang_gis.plan`` was a module before the stage layout; its names still answer here.
"""


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.layers"), name)  # AttributeError for a submodule not yet loaded
    return value
