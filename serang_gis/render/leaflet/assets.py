"""Front-end files (Leaflet, topojson-client) from the npm registry, plus the package's own runtime.

The versions pinned in ``package-lock.json`` are never committed. Where they are found, first match wins:

1. ``SERANG_GIS_ASSETS``: a folder laid out like ``node_modules`` (an override);
2. the package itself, ``serang_gis/render/leaflet/vendor/`` read with ``importlib.resources``: the build hook
   (``hatch_build.py``) fills it from ``npm ci --omit=dev`` whenever a wheel or sdist is built;
3. ``node_modules`` of a source checkout (``npm ci`` there), for an editable install.

The package's own runtime is written as small parts (``static/atlas/*.js``, see ``ATLAS_PARTS``),
concatenated in that fixed order into the one ``atlas.js`` a page loads.

A map either references them from a ``lib/`` folder beside the HTML (copied there), or, with
``offline``, carries them inline so that one file works with no network at all.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from serang_gis.core.errors import SerangGISError

VENDOR = [  # (file name in lib/, path below node_modules)
    ("leaflet.js", "leaflet/dist/leaflet.js"),
    ("leaflet.css", "leaflet/dist/leaflet.css"),
    ("topojson-client.min.js", "topojson-client/dist/topojson-client.min.js"),
]
OWN = ["atlas.js", "atlas.css"]
# the runtime's parts, in the order lib/atlas.js holds them: each adds to window.SerangAtlas what the next ones use
ATLAS_PARTS = ["data.js", "legend.js", "tooltip.js", "profile.js", "layers.js", "controls.js", "print.js", "main.js"]
PAGE_PARTS = ["panels.js"]  # inlined only in the pages that need them (``panels_js``), not in atlas.js


class AssetsMissing(SerangGISError):
    pass


ENV_ASSETS = "SERANG_GIS_ASSETS"


def node_modules() -> Traversable:
    """The folder holding ``leaflet/`` and ``topojson-client/`` (see the module docstring for the order)."""
    env = os.environ.get(ENV_ASSETS)
    if env:
        if all((Path(env) / rel).is_file() for _, rel in VENDOR):
            return Path(env)
        missing = next(rel for _, rel in VENDOR if not (Path(env) / rel).is_file())
        raise AssetsMissing(f"{ENV_ASSETS}={env}: {missing} is not there",
                            hint=f"point {ENV_ASSETS} at a node_modules folder (`npm ci` makes one), or unset it to use the packaged files")
    packaged = resources.files("serang_gis.render.leaflet") / "vendor"
    checkout = Path(__file__).resolve().parents[3] / "node_modules"
    for folder in (packaged, checkout):
        if all(folder.joinpath(*rel.split("/")).is_file() for _, rel in VENDOR):
            return folder
    raise AssetsMissing("the Leaflet files are missing: not in the package (serang_gis/render/leaflet/vendor) nor in node_modules",
                        hint="install serang-gis with `python3 -m pip install .` (its build runs `npm ci`), or run `npm ci` "
                             f"in the serang-gis checkout, or set {ENV_ASSETS} to a node_modules folder")


@dataclass(frozen=True)
class Asset:
    name: str
    text: str

    @property
    def is_css(self) -> bool:
        return self.name.endswith(".css")


@functools.cache
def load() -> tuple[Asset, ...]:
    """The asset files, read once per process (a national build renders a thousand maps)."""
    nm = node_modules()
    out = []
    for name, rel in VENDOR:
        *folder, base = rel.split("/")
        text = nm.joinpath(*folder, base).read_text(encoding="utf-8")
        if name == "leaflet.css":
            text = _inline_images(text, nm.joinpath(*folder))
        out.append(Asset(name, text))
    for name in OWN:
        out.append(Asset(name, atlas_js() if name == "atlas.js" else atlas_css()))
    return tuple(out)


def _static(*path: str) -> str:
    return resources.files("serang_gis.render.leaflet").joinpath("static", *path).read_text(encoding="utf-8")


def atlas_js() -> str:
    """The runtime as pages load it: the parts of ``ATLAS_PARTS`` one after the other, minified when built."""
    return _minified("js", "\n".join(_static("atlas", part) for part in ATLAS_PARTS))


def panels_js() -> str:
    """The runtime's extension for pages with folded lists (print: the lists after the legend, cut to fit), inlined in
    those pages only (the other pages do not carry its bytes); comments and indentation left out."""
    import re

    text = re.sub(r"/\*.*?\*/", "", _static("atlas", PAGE_PARTS[0]), flags=re.S)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def atlas_css() -> str:
    return _minified("css", _static("atlas.css"))


def _minified(kind: str, source: str) -> str:
    """The minified file of ``source`` when the build made it from exactly this source, else ``source``.

    The build hook (``hatch_build.py``) writes ``vendor/atlas.min.{js,css}`` with esbuild and records the sha256 of
    their sources in ``vendor/atlas.min.json``; a file that does not match (no build yet, an edited source, esbuild
    unavailable at build time) is never served. ``SERANG_GIS_READABLE_RUNTIME=1`` serves the sources (debugging)."""
    vendor = resources.files("serang_gis.render.leaflet") / "vendor"
    meta, mini = vendor / "atlas.min.json", vendor / f"atlas.min.{kind}"
    if os.environ.get("SERANG_GIS_READABLE_RUNTIME") or not (meta.is_file() and mini.is_file()):
        return source
    try:
        sums = json.loads(meta.read_text(encoding="utf-8")).get("source_sha256") or {}
    except ValueError:
        return source
    return mini.read_text(encoding="utf-8") if sums.get(kind) == hashlib.sha256(source.encode("utf-8")).hexdigest() else source


def _inline_images(css: str, folder: Traversable) -> str:
    """leaflet.css refers to images/*.png: make them data: URIs so the CSS stands alone."""
    def repl(m):
        path = folder.joinpath(*m.group(1).split("/"))
        if not path.is_file():
            return m.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()})"

    return re.sub(r"url\((images/[^)]+\.png)\)", repl, css)


def head_html(offline: bool, lib: str = "lib") -> str:
    """<script>/<link> tags (relative to lib/) or the files inline.

    Scripts never block the first paint: ``defer`` when they are files, ``type="module"`` (deferred too, in
    document order) when inline; the map's own script waits for them (see ``page.finish``).
    """
    parts = []
    for a in load() if offline else [Asset(n, "") for n, _ in VENDOR] + [Asset(n, "") for n in OWN]:  # names only online
        if offline:
            body = a.text.replace("</script", "<\\/script") if not a.is_css else a.text.replace("</style", "<\\/style")
            parts.append(f"<style>{body}</style>" if a.is_css else f'<script type="module">{body}</script>')
        else:
            parts.append(f'<link rel="stylesheet" href="{lib}/{a.name}">' if a.is_css else f'<script defer src="{lib}/{a.name}"></script>')
    return "\n".join(parts)


def copy_lib(out_dir: Path, lib: str = "lib") -> Path:
    """Copy the asset files into ``out_dir/lib`` (same bytes every time)."""
    target = Path(out_dir) / lib
    target.mkdir(parents=True, exist_ok=True)
    for a in load():
        path = target / a.name
        if not path.exists() or path.read_text(encoding="utf-8") != a.text:
            from serang_gis.output.writers import write_text  # temporary file named by pid: two maps at once never collide

            write_text(path, a.text)
    return target
