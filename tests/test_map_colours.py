"""Fill colours as a planner sees them: each at the opacity the map draws it, over the map's background (both read from
the runtime's own sources), against the background and against the lokus outlines drawn over them (issue 20 planner walk:
"need low, no spending" all but vanished into the background; the "Lokus kuat" fill hid the lokus outlines)."""

from __future__ import annotations

import re
from pathlib import Path

from serang_gis.analysis.konvergensi import BIVARIATE
from serang_gis.plan.layers import KNOWN_LOKUS_STYLE, STRENGTH

STATIC = Path(__file__).resolve().parents[1] / "serang_gis" / "render" / "leaflet" / "static"


def _rgb(hex_color: str) -> tuple[float, ...]:
    h = hex_color.lstrip("#")
    return tuple(int(h[k:k + 2], 16) for k in (0, 2, 4))


def _background() -> tuple[float, ...]:
    css = (STATIC / "atlas.css").read_text(encoding="utf-8")
    return _rgb(re.search(r"\.leaflet-container\s*\{[^}]*background:\s*(#[0-9a-fA-F]{6})", css).group(1))


def _opacity(kind: str) -> float:
    js = (STATIC / "atlas" / "data.js").read_text(encoding="utf-8")
    return float(re.search(kind + r":\s*([0-9.]+)", re.search(r"FILL_OPACITY = \{[^}]*\}", js).group(0)).group(1))


def _shown(hex_color: str, kind: str = "categorical") -> tuple[float, ...]:
    a, bg = _opacity(kind), _background()
    return tuple(c * a + b * (1 - a) for c, b in zip(_rgb(hex_color), bg))


def _linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(rgb) -> float:
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b) -> float:
    lo, hi = sorted((_luminance(a), _luminance(b)))
    return (hi + 0.05) / (lo + 0.05)


def _lab(rgb):
    r, g, b = (_linear(c) for c in rgb)
    x, y, z = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _delta_e(a, b) -> float:  # CIE76: about 2 is just noticeable, 10 and more clearly different
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b))) ** 0.5


def test_the_helpers_on_known_colours():
    assert _contrast((0, 0, 0), (255, 255, 255)) == 21.0
    assert _delta_e((255, 255, 255), (255, 255, 255)) == 0
    assert _delta_e((0, 0, 0), (255, 255, 255)) == 100.0 or abs(_delta_e((0, 0, 0), (255, 255, 255)) - 100) < 0.01
    assert _background() == (0xf2, 0xef, 0xe9) and _opacity("categorical") == 0.75


def test_every_need_x_spending_class_stands_out_from_the_background():
    bg = _background()
    far = {cls: round(_delta_e(_shown(color), bg), 1) for cls, color in BIVARIATE.items()}
    assert min(far.values()) >= 10, far  # "11" (need low, no spending) was #e8e8e8: 3.1
    shown = [_shown(c) for c in BIVARIATE.values()]
    assert min(_delta_e(a, b) for k, a in enumerate(shown) for b in shown[k + 1:]) >= 9  # and the nine stay apart


def test_lokus_outlines_stay_seen_over_every_strength_fill():
    bg = _background()
    for key, fill in STRENGTH:
        for year, (outline, _) in KNOWN_LOKUS_STYLE.items():
            ratio = _contrast(_shown(fill), _rgb(outline))
            assert ratio >= 3, (key, fill, year, outline, round(ratio, 2))  # "kuat" #7a0177 under purple #7b3294: 1.3
        if key != "perlu_data":  # the no-data grey is the package's one grey on every map
            assert _delta_e(_shown(fill), bg) >= 10, (key, fill)
