"""The finishing touches of a map page that folium does not make: language, title, zoomable viewport, deferred scripts.

folium writes ``<html>`` without ``lang``, no ``<title>``, a viewport that forbids pinch zoom, and runs the
map's script right after ``</body>``. ``finish`` sets the language and title, allows zooming, and wraps the
map's script so that it runs once the deferred Leaflet/runtime scripts have run (``DOMContentLoaded``):
the page paints its title before any script is parsed. Indentation is dropped (bytes a phone loads for nothing),
folium's head styles, which atlas.css carries in a shorter form, and the map options folium writes at Leaflet's
defaults.
"""

from __future__ import annotations

import html
import re

_FOLIUM_CHARSET = '<meta http-equiv="content-type" content="text/html; charset=UTF-8" />'
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
_VIEWPORT_RE = re.compile(r'<meta name="viewport"[^>]*/?>', re.S)
_TITLE_RE = re.compile(r'<header id="[^"]*" class="sg-title">.*?</header>', re.S)
# folium's indentation and blank lines: about 1 kB a page, never meaningful (no <pre>, no multi-line JS string; the
# runtime and Leaflet, inline in an offline page, are put in after this, see spec.MapSpec.render)
_INDENT_RE = re.compile(r"\n\s+")
_SCRIPT_RE = re.compile(r"</body>\s*<script>(.*)</script>\s*</html>\s*$", re.S)
# folium's own head styles and globals (after the indentation is dropped): the map box and the page's full height are
# in atlas.css (.folium-map, html/body), the 1rem map text too; ``#map`` styles an element no page has; L_NO_TOUCH and
# L_DISABLE_3D false are Leaflet's defaults
_FOLIUM_HEAD_RE = re.compile(
    r"<style>\n#map_\w+ \{\nposition: relative;\nwidth: 100\.0%;\nheight: 100\.0%;\nleft: 0\.0%;\ntop: 0\.0%;\n\}\n"
    r"\.leaflet-container \{ font-size: 1rem; \}\n</style>\n"
    r"|<style>html, body \{\nwidth: 100%;\nheight: 100%;\nmargin: 0;\npadding: 0;\n\}\n</style>\n"
    r"|<style>#map \{\nposition:absolute;\ntop:0;\nbottom:0;\nright:0;\nleft:0;\n\}\n</style>\n"
    r"|<script>\nL_NO_TOUCH = false;\nL_DISABLE_3D = false;\n</script>\n")
# the map's options that folium writes at Leaflet's defaults (after the indentation is dropped): the same map without them
_LEAFLET_DEFAULTS_RE = re.compile(r'^(?:crs: L\.CRS\.EPSG3857,|"zoomControl": true,|"preferCanvas": false,)\n', re.M)


def finish(page: str, *, lang: str, title: str) -> str:
    """``page``: folium's rendered HTML. Returns it with lang, title, viewport and a deferred map script."""
    page = page.replace("<html>", f'<html lang="{html.escape(lang)}">', 1)
    head = f"<head>\n<title>{html.escape(title)}</title>"
    page = page.replace("<head>", head, 1).replace(_FOLIUM_CHARSET, '<meta charset="utf-8">', 1)
    page = _VIEWPORT_RE.sub(VIEWPORT, page, count=1)
    title_box = _TITLE_RE.search(page)  # the title first in the body: painted at once, first in reading and tab order
    if title_box:
        page = page[: title_box.start()] + page[title_box.end():]
        page = page.replace("<body>", "<body>\n" + title_box.group(0), 1)
    m = _SCRIPT_RE.search(page)
    if m is None:
        raise ValueError("unexpected folium page layout: no map script after </body>")
    body = m.group(1)
    page = page[: m.start()] + ("<script>\ndocument.addEventListener(\"DOMContentLoaded\", function () {" + body +
                                "});\n</script>\n</body>\n</html>\n")
    return _LEAFLET_DEFAULTS_RE.sub("", _FOLIUM_HEAD_RE.sub("", _INDENT_RE.sub("\n", page)))  # another folium's styles stay (tests/test_maps.py says so)
