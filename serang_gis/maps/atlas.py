"""The two maps of the default atlas: kelurahan (lokus, ODF, reported cases) and kecamatan (counts)."""

from __future__ import annotations

import folium

from ..atlas import AtlasLayers, snapshot_column, snapshots
from .base import circle_radius, esc, geojson_layer, new_map, tooltip_html
from .elements import Legend, LegendBlock, LegendItem, TitleBox
from .text import NO_DATA_COLOR, ODF_CLASSES, fmt_number, t

LOKUS_STYLE = {"2021": {"color": "#000000", "dashArray": "6 4"}, "2022": {"color": "#7b3294", "dashArray": None}}
CIRCLE_COLOR = "#b2182b"


def _sources_kel(layers: AtlasLayers) -> list[str]:
    kel = layers.kelurahan
    odf = sorted(set(kel["sumber_odf"].dropna()))
    rep = sorted(set(kel["sumber_stunting_dilaporkan"].dropna()))
    return ["Lokus 2021 & 2022: Sinergitas dalam Percepatan Penanganan Kasus Stunting di Kota Serang (2023), dari Dinas Kesehatan Kota Serang (2022)"] + \
        [f"ODF: {s}" for s in odf] + [f"Kasus: {s}" for s in rep]


def kelurahan_map(layers: AtlasLayers, lang: str = "id") -> folium.Map:
    kel = layers.kelurahan.copy()
    date = layers.as_of.isoformat()
    yes, no = t(lang, "yes"), t(lang, "no")
    kel["_tip"] = [
        tooltip_html([
            (t(lang, "kelurahan"), r.kelurahan), (t(lang, "kecamatan"), r.kecamatan),
            ("Lokus 2021", yes if r.lokus_2021 else no), ("Lokus 2022", yes if r.lokus_2022 else no),
            ("ODF", r.status_odf if isinstance(r.status_odf, str) else t(lang, "odf_none")),
            (t(lang, "reported"), f"{fmt_number(r.stunting_dilaporkan, lang=lang)} ({r.periode_stunting_dilaporkan})"
             if r.stunting_dilaporkan is not None and str(r.stunting_dilaporkan) != "<NA>" else t(lang, "no_data")),
        ])
        for r in kel.itertuples()
    ]
    m = new_map(kel)
    TitleBox(t(lang, "kel_title"), t(lang, "subtitle_kel", date=date), _sources_kel(layers), t(lang, "sources")).add_to(m)

    odf_label = t(lang, "odf", date=date)
    colors = {k: v[0] for k, v in ODF_CLASSES.items()}
    kel["_style"] = kel["status_odf"].map(colors).fillna(NO_DATA_COLOR)
    geojson_layer(kel, odf_label, lambda f: {"fillColor": f["properties"]["_style"], "fillOpacity": 0.7,
                                             "color": "#636363", "weight": 1}).add_to(m)
    for year in ("2021", "2022"):
        sel = kel[kel[f"lokus_{year}"]]
        st = LOKUS_STYLE[year]
        geojson_layer(sel, t(lang, "lokus", year=year),
                      lambda f, st=st: {"fill": False, "color": st["color"], "weight": 3.5, "dashArray": st["dashArray"]}).add_to(m)

    rep = kel[kel["stunting_dilaporkan"].notna()]
    group = folium.FeatureGroup(name=t(lang, "reported"))
    vmax = float(rep["stunting_dilaporkan"].max()) if len(rep) else 0.0
    pts = rep.to_crs(rep.estimate_utm_crs()).representative_point().to_crs(4326) if len(rep) else []
    for (_, r), p in zip(rep.iterrows(), pts):
        folium.CircleMarker([p.y, p.x], radius=circle_radius(r.stunting_dilaporkan, vmax), color="#67001f", weight=1,
                            fill=True, fill_color=CIRCLE_COLOR, fill_opacity=0.75,
                            tooltip=folium.Tooltip(tooltip_html([(t(lang, "kelurahan"), r.kelurahan),
                                                                 (t(lang, "reported"), fmt_number(r.stunting_dilaporkan, lang=lang)),
                                                                 (t(lang, "period"), r.periode_stunting_dilaporkan)]))).add_to(group)
    group.add_to(m)
    _kecamatan_outlines(layers, m, lang)

    legend = [
        LegendBlock(odf_label, [LegendItem(k if lang == "id" else v[1], color=v[0]) for k, v in ODF_CLASSES.items()
                                if k in set(kel["status_odf"].dropna())] + [LegendItem(t(lang, "odf_none"), color=NO_DATA_COLOR)]),
        LegendBlock("Lokus", [LegendItem(t(lang, "lokus_item", year=y), "line", LOKUS_STYLE[y]["color"], dashed=bool(LOKUS_STYLE[y]["dashArray"]))
                              for y in ("2021", "2022")]),
        LegendBlock(t(lang, "reported"), [LegendItem(f"{fmt_number(vmax, lang=lang)} {t(lang, 'balita')} (maks.)", "circle", CIRCLE_COLOR)],
                    t(lang, "reported_note")),
    ]
    Legend(legend).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def _kecamatan_outlines(layers: AtlasLayers, m: folium.Map, lang: str) -> None:
    kec = layers.kecamatan.copy()
    kec["_tip"] = [tooltip_html([(t(lang, "kecamatan"), k)]) for k in kec["kecamatan"]]
    group = geojson_layer(kec, t(lang, "kec_outline"), lambda f: {"fill": False, "color": "#252525", "weight": 2.5})
    pts = kec.to_crs(kec.estimate_utm_crs()).representative_point().to_crs(4326)
    for name, p in zip(kec["kecamatan"], pts):
        folium.Marker([p.y, p.x], icon=folium.DivIcon(html=f'<div class="sg-kec-label">{esc(name)}</div>',
                                                      icon_size=(120, 16), icon_anchor=(60, 8))).add_to(group)
    group.add_to(m)
    m.get_root().header.add_child(folium.Element(
        "<style>.sg-kec-label{font:bold 12px sans-serif;color:#111;text-align:center;"
        "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;white-space:nowrap}</style>"))


def kecamatan_map(layers: AtlasLayers, lang: str = "id") -> folium.Map:
    kec = layers.kecamatan.copy()
    snaps = snapshots()
    kec["_tip"] = [
        tooltip_html([(t(lang, "kecamatan"), r["kecamatan"])]
                     + [(t(lang, "stunting_snap", snap=s), fmt_number(r[snapshot_column(s)], lang=lang)) for s in snaps]
                     + [(t(lang, "families"), fmt_number(r["keluarga_berisiko_2021"], lang=lang))])
        for _, r in kec.iterrows()
    ]
    m = new_map(kec)
    sources = sorted({s for s in kec.filter(like="sumber_").stack().dropna()}) + [
        "Keluarga berisiko 2021: makalah Sinergitas (2023), Tabel 1 (Dinas Kesehatan Kota Serang 2022)"]
    TitleBox(t(lang, "kec_title"), t(lang, "subtitle_kec"), sources, t(lang, "sources")).add_to(m)
    geojson_layer(kec, t(lang, "kec_outline"), lambda f: {"fillColor": "#f7f7f7", "fillOpacity": 0.5, "color": "#252525", "weight": 2}).add_to(m)
    pts = kec.to_crs(kec.estimate_utm_crs()).representative_point().to_crs(4326)
    counts = {s: kec[snapshot_column(s)] for s in snaps}
    vmax = max(float(c.max()) for c in counts.values())
    for s in snaps:
        group = folium.FeatureGroup(name=t(lang, "stunting_snap", snap=s), show=(s == snaps[-1]))
        for (_, r), p in zip(kec.iterrows(), pts):
            v = r[snapshot_column(s)]
            folium.CircleMarker([p.y, p.x], radius=circle_radius(v, vmax), color="#67001f", weight=1, fill=True,
                                fill_color=CIRCLE_COLOR, fill_opacity=0.7,
                                tooltip=folium.Tooltip(tooltip_html([(t(lang, "kecamatan"), r["kecamatan"]),
                                                                     (t(lang, "stunting_snap", snap=s), fmt_number(v, lang=lang))]))).add_to(group)
        group.add_to(m)
    fam = kec["keluarga_berisiko_2021"]
    group = folium.FeatureGroup(name=t(lang, "families"), show=False)
    for (_, r), p in zip(kec.iterrows(), pts):
        folium.CircleMarker([p.y, p.x], radius=circle_radius(r["keluarga_berisiko_2021"], float(fam.max())), color="#053061",
                            weight=1, fill=True, fill_color="#4393c3", fill_opacity=0.6,
                            tooltip=folium.Tooltip(tooltip_html([(t(lang, "kecamatan"), r["kecamatan"]),
                                                                 (t(lang, "families"), fmt_number(r["keluarga_berisiko_2021"], lang=lang))]))).add_to(group)
    group.add_to(m)
    Legend([
        LegendBlock(t(lang, "stunting_snap", snap=", ".join(snaps)),
                    [LegendItem(f"{fmt_number(vmax, lang=lang)} {t(lang, 'balita')} (maks.)", "circle", CIRCLE_COLOR)], t(lang, "circle_note")),
        LegendBlock(t(lang, "families"), [LegendItem(f"{fmt_number(fam.max(), lang=lang)} {t(lang, 'keluarga')} (maks.)", "circle", "#4393c3")]),
    ]).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m
