"""Front-end files (Leaflet, topojson-client) from the npm registry, plus the package's own runtime.

``npm ci`` at the repository root installs the pinned versions of ``package.json`` into
``node_modules`` (never committed); ``SERANG_GIS_ASSETS`` may point at another folder laid out the
same way. A map either references them from a ``lib/`` folder beside the HTML (copied there), or,
with ``offline``, carries them inline so that one file works with no network at all.
"""

from __future__ import annotations

import base64
import functools
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import SerangGISError

VENDOR = [  # (file name in lib/, path below node_modules)
    ("leaflet.js", "leaflet/dist/leaflet.js"),
    ("leaflet.css", "leaflet/dist/leaflet.css"),
    ("topojson-client.min.js", "topojson-client/dist/topojson-client.min.js"),
]
OWN = ["atlas.js", "atlas.css"]


class AssetsMissing(SerangGISError):
    pass


def node_modules() -> Path:
    candidates = [os.environ.get("SERANG_GIS_ASSETS"), Path(__file__).resolve().parents[2] / "node_modules",
                  Path.cwd() / "node_modules"]
    for c in candidates:
        if c and (Path(c) / VENDOR[0][1]).is_file():
            return Path(c)
    raise AssetsMissing("the Leaflet files are not installed (node_modules/leaflet not found)",
                        hint="run `npm ci` in the serang-gis folder (or set SERANG_GIS_ASSETS to a node_modules folder)")


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
        text = (nm / rel).read_text(encoding="utf-8")
        if name == "leaflet.css":
            text = _inline_images(text, (nm / rel).parent)
        out.append(Asset(name, text))
    for name in OWN:
        out.append(Asset(name, resources.files("serang_gis.maps").joinpath("static", name).read_text(encoding="utf-8")))
    return tuple(out)


def _inline_images(css: str, folder: Path) -> str:
    """leaflet.css refers to images/*.png: make them data: URIs so the CSS stands alone."""
    def repl(m):
        path = folder / m.group(1)
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
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_text(a.text, encoding="utf-8")
            os.replace(tmp, path)
    return target
