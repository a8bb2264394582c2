"""The pack's own map figures, drawn in the pack's language from the atlas plan's layers (never recomputed).

The atlas's static PNGs are A4-ish and in the atlas's language; the slides need a 16:9 figure that fills
the slide (the map and its one legend inside the image), and a pack in another language than the atlas
needs its figures' words (source line, legend, north arrow) in that language. Both are drawn here with
``render.static`` from the same ``plan.atlas.Static`` the atlas drew: the same classes, colours and values.
"""

from __future__ import annotations

from pathlib import Path

SLIDE = (13.0, 6.0)  # inches: the 16:9 slide's map box (about 28 x 12.9 cm), legend inside the figure
REPORT = (11.0, 7.6)  # the atlas's own size (render.static)


def draw(plan, shown, folder: Path, lang: str, *, size: tuple[float, float] = REPORT, title: bool = True) -> Path:
    """One map of ``facts.MapShown`` as a PNG in ``folder``: its layer, classes and kecamatan outlines as the atlas drew
    them, its words in ``lang``; ``title=False`` leaves the title to the slide."""
    from serang_gis.plan.atlas import layer_sources
    from serang_gis.render.static import render_layer

    st = shown.static
    frame = st.frame
    kec = plan.units.kecamatan
    codes = set(frame["kode_kec"]) if "kode_kec" in frame.columns else set()
    outlines = kec[kec["kode_kec"].isin(codes)][["kecamatan", "geometry"]] if codes else None
    png = Path(folder) / f"{st.stem}_{lang}_{int(size[0] * 10)}.png"
    if not png.is_file():
        render_layer(frame, st.layer, title=st.title if title else "", subtitle=st.subtitle, source=layer_sources(st.layer, lang),
                     outlines=outlines, png=png, lang=lang, size=size)
    return png
