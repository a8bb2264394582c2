"""The pack's own map figures, drawn in the pack's language from the atlas plan's layers (never recomputed).

The atlas's static PNGs are A4-ish and in the atlas's language; the slides need a 16:9 figure that fills
the slide (the map and its one legend inside the image), and a pack in another language than the atlas
needs its figures' words (source line, legend, north arrow) in that language. Both are drawn here with
``render.static`` from the same ``plan.atlas.Static`` the atlas drew: the same classes, colours and values.
"""

from __future__ import annotations

import zlib
from pathlib import Path

SLIDE_PT = 15  # every text in a slide's map (legend, labels, scale bar) at least this, at the size it is shown
SLIDE_HEIGHT = 4.1  # inches: the map's height on the slide (what is left under a two-line title, over its caption)
SLIDE = (SLIDE_HEIGHT * 2.6, SLIDE_HEIGHT)  # the slide's map box; the drawn figure is then cut to the city and its legend
REPORT = (11.0, 7.6)  # the atlas's own size (render.static)
DPI = 110


def draw(plan, shown, folder: Path, lang: str, *, size: tuple[float, float] = REPORT, title: bool = True,
         names: list[str] | None = None) -> Path:
    """One map of ``facts.MapShown`` as a PNG in ``folder``: its layer, classes and kecamatan outlines as the atlas drew
    them, its words in ``lang``; ``title=False`` leaves the title to the slide. At ``size=SLIDE`` it is the slide's
    map (``slide_figure``): ``names`` are the kelurahan the slide's title names, labelled on the map."""
    from serang_gis.plan.atlas import layer_sources
    from serang_gis.render.static import render_layer

    st = shown.static
    frame = st.frame
    tag = "_".join(sorted(names or []))
    png = Path(folder) / f"{st.stem}_{lang}_{int(size[0] * 10)}{'_' + str(zlib.crc32(tag.encode())) if tag else ''}.png"
    if png.is_file():
        return png
    if size == SLIDE:
        from serang_gis.output.writers import save_figure
        import matplotlib.pyplot as plt

        fig = slide_figure(plan, shown, lang, names or [])
        save_figure(fig, png, dpi=DPI, metadata={"Software": None})
        plt.close(fig)
        return _crop(png)
    render_layer(frame, st.layer, title=st.title if title else "", subtitle=st.subtitle, source=layer_sources(st.layer, lang),
                 outlines=_outlines(plan, frame), png=png, lang=lang, size=size, **drawn_over(st))
    return png


def drawn_over(st) -> dict:
    """What the atlas drew over a static map's fill (``plan.atlas.Static``: the lokus outlines, the reported cases'
    circles), passed on to ``render.static`` so that the pack's figure of it shows the same."""
    return {"overlays": getattr(st, "overlays", ()), "circles": getattr(st, "circles", None)}


def _outlines(plan, frame):
    kec = plan.units.kecamatan
    codes = set(frame["kode_kec"]) if "kode_kec" in frame.columns else set()
    return kec[kec["kode_kec"].isin(codes)][["kecamatan", "geometry"]] if codes else None


def slide_figure(plan, shown, lang: str, names: list[str]):
    """The slide's map (a matplotlib figure, not saved): drawn at the size it is shown on the slide so that its
    legend, labels and scale bar are ``SLIDE_PT`` points there; no title, subtitle or source line inside (the slide
    prints them as text); the kelurahan in ``names`` labelled. Saved with a tight box: the city and its legend fill
    the image."""
    from serang_gis.render.static import layer_figure

    st = shown.static
    frame = st.frame
    col = "kelurahan" if "kelurahan" in frame.columns else None
    named = []
    if names and col:  # labelled before the kecamatan names, which move off them (or give way)
        rows = frame[frame[col].astype(str).isin(set(names))]
        named = [(str(n), p.x, p.y) for n, p in zip(rows[col], rows.representative_point())]
    fig, _ = layer_figure(frame, st.layer, title="", subtitle="", source="", outlines=_outlines(plan, frame), lang=lang,
                          size=SLIDE, font=SLIDE_PT, named=named, **drawn_over(st))
    return fig


def _crop(png: Path, pad: int = 6) -> Path:
    """The PNG cut to what is drawn on it (the city, its labels and legend) and a few pixels round it."""
    import io

    from PIL import Image, ImageChops

    from serang_gis.output.writers import write_bytes

    with Image.open(png) as im:
        rgb = im.convert("RGB")
    box = ImageChops.difference(rgb, Image.new("RGB", rgb.size, "white")).getbbox()
    if box:
        x0, y0, x1, y1 = box
        rgb = rgb.crop((max(0, x0 - pad), max(0, y0 - pad), min(rgb.width, x1 + pad), min(rgb.height, y1 + pad)))
    buffer = io.BytesIO()
    rgb.save(buffer, format="PNG")
    return write_bytes(png, buffer.getvalue())


def map_only(png: Path, folder: Path) -> Path:
    """An atlas-size map (``render.static`` at ``REPORT``) without its title above, its source line under it and its
    legend beside it: what the report shows under its own printed title, beside its printed legend. The legend is the
    rightmost block of drawn columns (``render.static`` anchors it just right of the map, wherever the map's shape puts
    it); a PNG that is not a single map and legend is left whole."""
    import numpy as np
    from PIL import Image

    out = Path(folder) / f"{Path(png).stem}_{zlib.crc32(str(png).encode())}_map.png"
    if out.is_file():
        return out
    try:
        with Image.open(png) as im:
            rgb = im.convert("RGB")
    except (OSError, SyntaxError):  # a damaged PNG: left as it is, for the documents' check to name it
        return Path(png)
    w, h = rgb.size
    rgb = rgb.crop((0, int(h * 0.055), w, int(h * 0.94)))  # the title above, the source line under
    ink = (np.asarray(rgb.convert("L"))[int(h * 0.06):] < 245).any(axis=0)  # drawn columns, below the subtitle
    blocks, start, gap = [], None, 0
    for x, on in enumerate(ink):
        if on:
            start, gap = (x if start is None else start), 0
        elif start is not None:
            gap += 1
            if gap >= 12:  # a white band: the block before it ends
                blocks.append((start, x - gap + 1))
                start, gap = None, 0
    if start is not None:
        blocks.append((start, len(ink) - gap))
    if len(blocks) >= 2:  # the map (and its north arrow), from its first drawn column to the legend's white band
        rgb = rgb.crop((max(0, min(blocks[0][0], _left(rgb)) - 8), 0, min(w, blocks[-2][1] + 8), rgb.height))
    rgb.save(out, format="PNG")
    return out


def _left(rgb) -> int:
    """The first drawn column over the whole height (the subtitle, left-aligned above the map, included)."""
    import numpy as np

    cols = np.flatnonzero((np.asarray(rgb.convert("L")) < 245).any(axis=0))
    return int(cols[0]) if len(cols) else 0
