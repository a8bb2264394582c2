"""Where the HTML map writes each kecamatan's name: off the units of a rare class and, where it can, off the circles,
at the size the map has on a phone (recheck12 M3).

The map opens fitted to the city. On a 390 px phone the city is about 300 px wide, so a 26 px circle and a 12 px
label cover far more of it than on a desktop: the name of kecamatan Serang, at the point inside its outline, sat over
three circles and over Kaligandu, the one Belum ODF kelurahan. Each name goes to the point inside its kecamatan whose
label box (its text at 12 px bold) misses the rare units and the names placed before it, covers the least of the
circles shown at first and stays inside its kecamatan, nearest its usual point among equals. A wider screen shows the same places, with more room.
"""

from __future__ import annotations

import numpy as np
import shapely

PHONE_CITY_PX = 300.0  # the width (or 1.8 x that height) the city is fitted to on a 390 x 844 phone, at least
CHAR_PX, LINE_PX = 7.5, 16.0  # a character of a 12 px bold label, the label's height
STEP_PX = 4.0  # the candidate points: a grid this fine
GAP_PX = 4.0  # between two names
OUT_WEIGHT, FAR_WEIGHT = 0.5, 0.002  # a label box partly outside its kecamatan; per pixel from the usual point


def phone_scale(bounds) -> float:
    """Metres per pixel of the first view on a phone, for ``bounds`` (minx, miny, maxx, maxy) in metres."""
    minx, miny, maxx, maxy = bounds
    return max((maxx - minx) / PHONE_CITY_PX, (maxy - miny) / (1.8 * PHONE_CITY_PX))


def label_places(kec, names: list[str], usual, avoid, discs: list[tuple[float, float, float]], m_px: float):
    """A point (metres) per kecamatan polygon of ``kec`` (metres) for its name: its label box off ``avoid`` (a
    geometry: the rare units) and covering the least of ``discs`` ((x, y, radius) in metres), inside its kecamatan,
    nearest ``usual`` (its representative point) among equals. The usual point when no candidate misses ``avoid``."""
    circles = shapely.union_all([shapely.Point(x, y).buffer(r, 16) for x, y, r in discs]) if discs else shapely.Polygon()
    out, taken = [], avoid if avoid is not None else shapely.Polygon()
    for poly, name, home in zip(kec, names, usual):  # each name off the names placed before it, too
        w, h = _half_box(name, m_px)
        out.append(_best(poly, w, h, home, taken, circles, m_px))
        taken = taken.union(shapely.box(out[-1].x - w, out[-1].y - h, out[-1].x + w, out[-1].y + h).buffer(GAP_PX * m_px))
    return out


def _half_box(name: str, m_px: float) -> tuple[float, float]:
    """Half the width and height (metres) of a name's label box."""
    return (len(name) * CHAR_PX + 6) * m_px / 2, LINE_PX * m_px / 2


def _best(poly, w: float, h: float, home, avoid, circles, m_px: float):
    minx, miny, maxx, maxy = poly.bounds
    step = STEP_PX * m_px
    xs, ys = np.meshgrid(np.arange(minx, maxx + step, step), np.arange(miny, maxy + step, step))
    pts = shapely.points(xs.ravel(), ys.ravel())
    pts = pts[shapely.contains(poly, pts)]
    if not len(pts):
        return home
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    boxes = shapely.box(x - w, y - h, x + w, y + h)
    ok = ~shapely.intersects(boxes, avoid) if not avoid.is_empty else np.ones(len(pts), bool)
    if not ok.any():
        return home
    area = 4 * w * h
    covered = shapely.area(shapely.intersection(boxes, circles)) / area if not circles.is_empty else np.zeros(len(pts))
    outside = 1 - shapely.area(shapely.intersection(boxes, poly)) / area
    far = np.hypot(x - home.x, y - home.y) / m_px
    score = np.where(ok, covered + OUT_WEIGHT * outside + FAR_WEIGHT * far, np.inf)
    k = int(np.argmin(score))  # the first of the best: the grid's order, the same every run
    return shapely.Point(x[k], y[k])
