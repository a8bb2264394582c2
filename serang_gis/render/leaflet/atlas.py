"""The two maps of the default atlas: kelurahan (lokus, ODF, reported cases) and kecamatan (counts)."""

from __future__ import annotations

import folium
import pandas as pd

from serang_gis.join.atlas import AtlasLayers, snapshot_column, snapshots
from serang_gis.plan import layers as plan
from serang_gis.plan.atlas import reported_span
from serang_gis.plan.layers import units as plan_units
from serang_gis.read import reference
from serang_gis.render.leaflet.spec import MapSpec
from serang_gis.core.numbers import quantity
from serang_gis.core.text import odf_label, source_text, t

PAPER = "Sinergitas dalam Percepatan Penanganan Kasus Stunting di Kota Serang (2023), data Dinas Kesehatan Kota Serang (2022)"


def kelurahan_spec(layers: AtlasLayers, lang: str = "id", units=None, odf: plan.LayerPlan | None = None,
                   period_why: str = "") -> MapSpec:
    """The kelurahan map of the embedded atlas; ``odf``: the ODF layer the atlas plan decided (else planned here);
    ``period_why``: why the cases are of their period where the user's tables have several (``PeriodChoice.why``)."""
    kel = units.kelurahan if units is not None else layers.kelurahan
    date = layers.as_of.isoformat()
    user = layers.odf_from  # the user's sanitation table replaced the embedded ODF status
    facts = reference.lokus_2022_facts()  # the paper's 19 lokus 2022, the decree's 18: said in the header, the sources, per kelurahan
    lokus_source = t(lang, "lokus.html_source", paper=PAPER, count=t(lang, "lokus.count_2022", **facts))
    sources = [f"Lokus 2021 & 2022: {lokus_source}"] + [f"ODF: {s}" for s in sorted(set(kel["sumber_odf"].dropna()))] + \
        [f"{t(lang, 'reported')}: {s}" for s in sorted(set(kel["sumber_stunting_dilaporkan"].dropna()))]
    counts = layers.counts_from  # the user's e-PPGBM counts replaced the news-based ones
    period = ", ".join(sorted({str(p) for p in kel["periode_stunting_dilaporkan"].dropna()}))
    odf_said = t(lang, "user_table", files=user) if user else t(lang, "odf_news", date=date)
    span = reported_span(kel)  # the circles mix periods (2023 in Curug, 2024 elsewhere): named as the PNG names them
    cases_said = (t(lang, "user_table_period", files=counts, period=period) + period_why if counts
                  else t(lang, "static.cases_news", period=span) if span else t(lang, "src.news"))
    reported = t(lang, "reported_user", files=counts, period=period) if counts else t(lang, "reported")
    circles = reported if counts or not span else t(lang, "static.reported_period", period=span)
    spec = MapSpec(kel, "kode_kel", "kelurahan", "kecamatan", lang=lang, title=t(lang, "kel_title"),
                   subtitle=t(lang, "subtitle_kel_parts", lokus=t(lang, "lokus.short", **facts), odf=odf_said, cases=cases_said),
                   sources=sources, unit_name=t(lang, "kelurahan"))
    spec.field("status_odf", kel["status_odf"].map(lambda s: odf_label(lang, s)),
               "ODF", kind="category", source=kel["sumber_odf"], period=kel["tanggal_odf"], tooltip=True)
    by = reference.lokus_2022_by(kel["kode_kel"], lang)  # in the page's words, whatever the layer was built in
    for year in ("2021", "2022"):  # lokus 2022: "ya (makalah dan SK Walikota)" or "ya (makalah saja ...)"
        texts = [t(lang, "lokus.flag_by", by=b) if on and isinstance(b, str) else t(lang, "yes" if on else "no")
                 for on, b in zip(kel[f"lokus_{year}"].fillna(False).astype(bool), by)] if year == "2022" else None
        spec.field(f"lokus_{year}", kel[f"lokus_{year}"], f"Lokus {year}", kind="flag", source=lokus_source, tooltip=True, texts=texts)
    spec.field("stunting_dilaporkan", kel["stunting_dilaporkan"], reported, unit=t(lang, "unit.balita"), kind="count",
               source=kel["sumber_stunting_dilaporkan"], period=kel["periode_stunting_dilaporkan"], tooltip=True)
    spec.add(odf or plan.odf_layer(kel, lang=lang, title=t(lang, "odf_user", files=user) if user else t(lang, "odf", date=date)))
    for layer in plan.lokus_layers(kel, {year: kel[f"lokus_{year}"] for year in ("2021", "2022")}, lang=lang):
        spec.add(layer)
    spec.circles("stunting_dilaporkan", circles, note=t(lang, "reported_note"))
    spec.kecamatan(t(lang, "kec_outline"))
    return spec


def kecamatan_spec(layers: AtlasLayers, lang: str = "id", units=None) -> MapSpec:
    u = units or plan_units(layers.kelurahan)
    units = plan.with_columns(u.kecamatan, layers.kecamatan)
    snaps = snapshots()
    shown = [f"sumber_{snapshot_column(s)}" for s in snaps]  # only what this map draws: the snapshots' sources
    sources = [source_text(lang, s) for s in sorted({s for c in shown if c in units.columns for s in units[c].dropna()})] + [
        f"{t(lang, 'families')}: {PAPER}, {t(lang, 'src.table', n=1)}"]
    spec = MapSpec(units, "kode_kec", "kecamatan", None, lang=lang, title=t(lang, "kec_title"),
                   subtitle=t(lang, "subtitle_kec"), sources=sources, clean=False, unit_name=t(lang, "kecamatan"))
    for s in snaps:
        col = snapshot_column(s)
        spec.field(col, units[col], t(lang, "stunting_snap", snap=s), unit=t(lang, "unit.balita"), kind="count",
                   source=units[f"sumber_{col}"].map(lambda x: source_text(lang, x) if isinstance(x, str) else x), period=s, tooltip=True)
    spec.field("keluarga_berisiko_2021", units["keluarga_berisiko_2021"], t(lang, "families"), unit=t(lang, "unit.keluarga"),
               kind="count", source=f"{PAPER}, {t(lang, 'src.table', n=1)}", period="2021", tooltip=True)
    spec.base(t(lang, "kec_outline"), t(lang, "kecamatan"))
    vmax = max(float(units[snapshot_column(s)].max()) for s in snaps)
    note = t(lang, "circle_note_periods", max=quantity(vmax, 0, lang, t(lang, "unit.balita")))
    for s in snaps:  # the periods: one at a time (radio), on one scale; each legend's references its own, as the PNG's
        spec.circles(snapshot_column(s), t(lang, "stunting_snap", snap=s), max_value=vmax, show=(s == snaps[-1]), group="balita_stunting",
                     own_refs=True, note=note)
    # under the balita circles: turned on beside them, its translucent blue repainted their red (recheck12 L2)
    spec.circles("keluarga_berisiko_2021", t(lang, "families"), color="#4393c3", stroke="#053061", show=False, under=True)
    spec.labels(t(lang, "kec_names"))
    return spec


def kelurahan_map(layers: AtlasLayers, lang: str = "id", offline: bool = False) -> folium.Map:
    return kelurahan_spec(layers, lang).to_map(offline=offline)


def kecamatan_map(layers: AtlasLayers, lang: str = "id", offline: bool = False) -> folium.Map:
    return kecamatan_spec(layers, lang).to_map(offline=offline)


def kecamatan_rate_spec(u, layer: plan.LayerPlan, lang: str = "id") -> MapSpec:
    """A rate per kecamatan (sums of its kelurahan): how many kelurahan reported is said, a partial sum hatched."""
    kec = u.kecamatan
    info = plan.info_of(layer.column, kec)
    group = info.group or ""
    title = t(lang, "title_kecamatan", title=layer.title, kabkota=kec["kabkota"].iloc[0]) if "kabkota" in kec.columns else layer.title
    sources = [s for s in (layer.source or "").split("; ") if s]
    spec = MapSpec(kec, "kode_kec", "kecamatan", None, lang=lang, title=title, subtitle=t(lang, "subtitle_sum"), sources=sources,
                   clean=False, unit_name=t(lang, "kecamatan"))
    spec.field(layer.column, kec[layer.column], layer.title, unit=layer.unit, dec=info.dec, source=kec.get(f"sumber_{group}"),
               period=kec.get(f"periode_{group}"), tooltip=True)
    if f"kelurahan_{group}" in kec.columns:
        # "12 / 13": each kecamatan's own number of kelurahan (as its tooltip and kecamatan.csv), not the largest one's
        got = pd.to_numeric(kec[f"kelurahan_{group}"], errors="coerce")
        spec.field(f"kelurahan_{group}", [None if pd.isna(g) else f"{int(g)} / {int(n)}" for g, n in zip(got, kec["jumlah_kelurahan"])],
                   t(lang, "reporting"))
    for c in ("balita_diukur", "balita_stunting", "keluarga", "keluarga_berisiko"):
        if c in kec.columns and c != layer.column:
            ci = plan.info_of(c, kec)
            spec.field(c, kec[c], ci.label(lang), unit=ci.unit, dec=ci.dec)
    spec.add(layer)
    spec.labels(t(lang, "kec_names"))
    return spec
