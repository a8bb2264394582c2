"""A Shapefile copy of a styled layer that keeps its meaning: short names chosen by the plan, the style for them.

Beside ``<stem>.shp`` (with ``.shx``, ``.dbf``, ``.prj`` and a ``.cpg`` saying UTF-8):

- ``<stem>.qml``: the layer's style with every field, filter and size expression on the short names and
  the long names' aliases, which QGIS applies when it opens the file;
- ``<stem>_fields.csv``: short name, long name, alias, one row per field;
- ``<stem>_teks.csv`` when a text is longer than a dBASE field holds (254 bytes, e.g. ``daftar_kegiatan``):
  the full texts keyed by ``kode_kel``; the field itself ends in "…" and its alias says where the rest is.

All files are written in a hidden folder beside the target and moved into place together.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from serang_gis.core.errors import OutputExistsError
from serang_gis.core.signals import held_signals
from serang_gis.core.text import t
from serang_gis.output.writers import _typed, write_csv, write_text
from serang_gis.plan.shortnames import short_names
from serang_gis.render.styles import Rule, Style, qml

DBF_BYTES = 254
ELLIPSIS = "…"
SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def _rename_expr(expr: str | None, names: dict[str, str]) -> str | None:
    if expr is None:
        return None
    return re.sub(r'"((?:[^"]|"")+)"', lambda m: '"' + names.get(m[1].replace('""', '"'), m[1]).replace('"', '""') + '"', expr)


def rename_style(style: Style, names: dict[str, str], aliases: dict[str, str] | None = None) -> Style:
    """``style`` on the renamed fields: rule filters, SLD conditions, the size expression, the label field and the
    aliases (``aliases`` replaces them when given, keyed by the old names)."""
    rules = [dataclasses.replace(r, filter=_rename_expr(r.filter, names),
                                 sld=tuple((*cond[:2], names.get(cond[2], cond[2])) if len(cond) > 2 else cond for cond in r.sld))
             for r in style.rules]
    old = dict(style.aliases) if aliases is None else aliases
    return dataclasses.replace(style, rules=rules, marker_size=_rename_expr(style.marker_size, names),
                               label_field=names.get(style.label_field, style.label_field),
                               aliases=tuple((names[f], a) for f, a in old.items() if f in names))


def _cut(text: str) -> str:
    """``text`` in at most 254 UTF-8 bytes, ending in an ellipsis when cut."""
    raw = text.encode("utf-8")
    if len(raw) <= DBF_BYTES:
        return text
    return raw[:DBF_BYTES - len(ELLIPSIS.encode())].decode("utf-8", errors="ignore") + ELLIPSIS


def _long_texts(frame: pd.DataFrame) -> list[str]:
    out = []
    for c in frame.columns:
        if c != "geometry" and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])):
            # a plain Python test: mapping an empty string-dtype column gives a string column, which has no any()
            if any(len(str(v).encode("utf-8")) > DBF_BYTES for v in frame[c].dropna()):
                out.append(c)
    return out


def _stage(target: Path, frame: gpd.GeoDataFrame, style: Style, lang: str, tmp: Path) -> None:
    typed = _typed(frame)
    names = short_names(typed.columns)
    alias = dict(style.aliases)
    long = _long_texts(typed)
    if long:
        key = "kode_kel" if "kode_kel" in typed.columns else None
        side = pd.DataFrame({key: typed[key]} if key else {"fid": range(len(typed))})
        side[long] = typed[long]
        write_csv(tmp / f"{target.stem}_teks.csv", side)
        for c in long:
            typed[c] = typed[c].map(lambda v: _cut(str(v)) if pd.notna(v) else v).astype("string")
            alias[c] = t(lang, "shp.cut", alias=alias.get(c, c), file=f"{target.stem}_teks.csv")
    shp = gpd.GeoDataFrame(typed.rename(columns=names), geometry="geometry", crs=typed.crs)
    shp.to_file(tmp / target.name, driver="ESRI Shapefile", engine="pyogrio", encoding="UTF-8")
    write_text(tmp / f"{target.stem}.qml", qml(rename_style(style, names, alias)))
    table = pd.DataFrame({t(lang, "shp.col.short"): list(names.values()), t(lang, "shp.col.long"): list(names),
                          t(lang, "shp.col.alias"): [alias.get(c, "") for c in names]})
    write_csv(tmp / f"{target.stem}_fields.csv", table)


def write_shapefile_with_qml(target, frame: gpd.GeoDataFrame, style: Style, *, overwrite: bool = True, lang: str = "id") -> list[Path]:
    """Write the Shapefile of ``frame`` and its sidecars (module docstring); all or nothing."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = None
    try:
        with held_signals():  # named before a signal can stop the command: the finally below removes it
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.serang-gis-{os.getpid()}-", dir=target.parent))
        _stage(target, frame, style, lang, tmp)
        staged = sorted(p for p in tmp.iterdir() if p.is_file())
        if not overwrite:
            for p in staged:
                if (target.parent / p.name).exists():
                    raise OutputExistsError(f"{target.parent / p.name} exists", hint="use --overwrite to replace it")
        out = []
        for p in staged:
            os.replace(p, target.parent / p.name)
            out.append(target.parent / p.name)
        return out
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


__all__ = ["DBF_BYTES", "rename_style", "write_shapefile_with_qml"]
