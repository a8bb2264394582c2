"""Map HTML checked by fragments (details); behaviour is checked in a browser (test_maps_browser)."""

import json
import re

import pytest
import shapely

from serang_gis import InputError, read_kelurahan
from serang_gis.core.classify import WHO_BREAKS, classify
from serang_gis.join.tables import join_tables
from serang_gis.core.geometry import clean_coverage, topology
from serang_gis.render.leaflet.indicator import indicator_spec
from serang_gis.read.tables import read_table
from serang_gis.render.leaflet.packing import read_payload

from . import fixtures as F


@pytest.fixture(scope="module")
def joined(tmp_path_factory, serang_path):
    tmp = tmp_path_factory.mktemp("m")
    F.write_messy_xlsx(tmp / "s.xlsx", F.truth_aggregate(), wrong_row=False)
    j, _ = join_tables(read_kelurahan(serang_path).kelurahan, [read_table(tmp / "s.xlsx", period="2024")])
    return j


def _payload(html):
    return read_payload(html)


def test_no_cdn_and_assets_beside_or_inline(joined, tmp_path):
    spec = indicator_spec(joined, "prevalensi")
    online = spec.render()
    scripts = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", online)
    assert scripts and all(s.startswith("lib/") for s in scripts)  # only our lib/ folder: no CDN
    assert "jsdelivr" not in online and "code.jquery" not in online
    assert '<script defer src="lib/leaflet.js">' in online
    offline = indicator_spec(joined, "prevalensi").render(offline=True)
    assert not re.search(r"<script[^>]+src=", offline) and not re.search(r"<link[^>]+href=", offline)
    assert "L.Map" in offline or "Leaflet" in offline  # leaflet inlined
    spec.save(tmp_path / "p.html")
    assert (tmp_path / "lib" / "leaflet.js").stat().st_size > 100_000


def test_text_from_data_cannot_close_the_script(joined):
    evil = joined.copy()
    evil.loc[0, "kelurahan"] = "</script><script>alert(1)</script>"
    html = indicator_spec(evil, "prevalensi").render()
    assert "</script><script>alert(1)" not in html
    assert _payload(html)["cols"]["nama"][0] == "</script><script>alert(1)</script>"


def test_rates_are_choropleths_counts_are_circles(joined):
    p = _payload(indicator_spec(joined, "prevalensi").render())
    main = p["layers"][0]
    assert main["type"] == "choropleth" and main["classes"]["breaks"] == WHO_BREAKS
    p = _payload(indicator_spec(joined, "balita_stunting").render())
    assert [layer["type"] for layer in p["layers"]][:2] == ["categorical", "circles"]
    # issue 21: a count is drawn as circles under any scheme (the scheme classes rates; the circle's area is the count)
    nb = _payload(indicator_spec(joined, "balita_stunting", scheme="natural_breaks").render())
    assert [layer["type"] for layer in nb["layers"]][:2] == ["categorical", "circles"]
    with pytest.raises(InputError, match="no indicator 'bogus'"):
        indicator_spec(joined, "bogus")


def test_profile_carries_sources_and_periods(joined):
    p = _payload(indicator_spec(joined, "prevalensi").render())
    fields = {f["key"]: f for f in p["fields"]}
    assert {"prevalensi_stunting", "persen_keluarga_berisiko", "balita_diukur"} <= set(p["profile"]) | {"prevalensi_stunting"}
    f = fields["persen_keluarga_berisiko"]
    assert p["sources"][p["cols"][f["source_col"]][0]] == "s.xlsx [Data Sasaran]"
    assert p["cols"][f["period_col"]][0] == "2024"


def test_schemes(joined):
    v = joined["prevalensi_stunting"]
    for scheme in ("quantiles", "natural_breaks", "equal_interval"):
        c = classify(v, scheme, k=4)
        assert c.k == 4 and sum(c.counts) + c.no_data == len(v) and c.no_data == 1
        assert all("–" in lab for lab in c.labels[1:-1]) and c.labels[0].startswith("< ") and c.labels[-1].startswith("≥ ")
    c = classify(v, "manual", bins=[5, 15])
    assert c.breaks == [5, 15] and c.counts == [int((v < 5).sum()), int(((v >= 5) & (v < 15)).sum()), int((v >= 15).sum())]
    # a value on a break goes to the class above: [a, b)
    assert list(classify([10.0], "who").assign([10.0])) == [2]
    with pytest.raises(InputError, match="--bins"):
        classify(v, "manual")


def test_encoding_keeps_a_clean_coverage(serang_path):
    kel = read_kelurahan(serang_path).kelurahan
    assert not shapely.coverage_is_valid(kel.geometry.values)  # the source overlaps and leaves slivers
    clean = clean_coverage(kel)
    assert shapely.coverage_is_valid(clean.geometry.values)
    rel = (clean.to_crs(32748).area / kel.to_crs(32748).area - 1).abs()
    assert rel.max() < 0.01
    topo = topology(clean.geometry)
    assert len(topo["objects"]["u"]["geometries"]) == 67 and "properties" not in topo["objects"]["u"]["geometries"][0]
    # shared edges are stored once: far fewer arcs than polygon rings would need
    assert len(json.dumps(topo)) < 0.3 * len(clean.to_json())


def test_arcs_as_text_round_trip_and_are_half_the_json():
    from serang_gis.core.geometry import decode_arc, encode_arc

    arc = [[0, 0], [1, -1], [15, -16], [16, 17], [-1023, 1024], [123456, -98765], [-(2 ** 40), 2 ** 40]]
    text = encode_arc(arc)
    assert decode_arc(text) == arc
    assert encode_arc([[0, 0]]) == "AA" and encode_arc([[-1, 1]]) == "BC" and encode_arc([[16, 0]]) == "gBA"  # 16 -> zigzag 32: 0 (+32, more follows), then 1
    assert re.fullmatch(r"[A-Za-z0-9_-]+", text)  # nothing to escape in JSON or HTML
    small = [[i % 7 - 3, (i * 5) % 11 - 5] for i in range(500)]
    assert len(encode_arc(small)) < 0.5 * len(json.dumps(small, separators=(",", ":")))


def test_packed_columns_read_back_exactly_and_are_shorter():
    from serang_gis.render.leaflet.packing import pack, pack_cols, unpack_cols

    cols = {"kode": ["36.73.01.1001", "36.73.01.1002", "36.73.02.1001"],  # a common prefix
            "flag": [True, False, True], "same": [True, False, True],  # a column repeated whole
            "mixed": [1, True, 1.0], "none": [None, None, "x"], "one": [1], "kec": ["Serang"] * 5 + ["Kasemen"] * 3,
            "many": [f"v{i}" for i in range(70)]}  # more than 64 distinct values: plain
    packed = pack_cols(cols)
    assert unpack_cols(packed) == cols
    assert [type(v) for v in unpack_cols(packed)["mixed"]] == [int, bool, float]  # True, 1 and 1.0 stay apart
    assert packed["same"] == {"=": "flag"} and packed["kode"]["p"] == "36.73.0" and packed["many"] == cols["many"]
    assert packed["kec"] == {"d": ["Serang", "Kasemen"], "i": "AAAAABBB"} and packed["one"] == [1]
    # a column whose index text is an earlier column's names that column by its position
    both = {"kec": cols["kec"], "flag": ["x"] * 5 + ["y"] * 3, "colour": ["#111111"] * 5 + ["#222222"] * 3}
    assert pack_cols(both)["colour"] == {"d": ["#111111", "#222222"], "i": 0} and unpack_cols(pack_cols(both)) == both
    # decimals (label points): whole numbers of 10^-4, delta-encoded; the same floats back; other floats stay plain
    lat = [-6.1281 - k * 0.0013 for k in range(67)]
    lat = [round(v, 4) for v in lat]
    points = pack_cols({"_lat": lat, "third": [0.1 + 0.2, 1.5], "gap": [1.5, None, 2.0]})
    assert points["_lat"]["e"] == 4 and len(json.dumps(points["_lat"])) < 0.5 * len(json.dumps(lat))
    assert unpack_cols(points)["_lat"] == lat and all(type(v) is float for v in unpack_cols(points)["_lat"])
    assert points["third"] == [0.1 + 0.2, 1.5] and points["gap"] == [1.5, None, 2.0]
    # the whole payload: no null keys in layers, polygon types dropped and inferred again by the nesting of arcs
    topo = {"objects": {"u": {"geometries": [{"type": "Polygon", "arcs": [[0, 1]]}, {"type": "MultiPolygon", "arcs": [[[2]], [[~2]]]},
                                             {"type": None}]}}}  # a geometry without arcs: the list form
    p = pack({"cols": cols, "topo": topo, "layers": [{"id": "l0", "note": None, "legend": {"title": "T", "note": None}}]})
    assert p["layers"] == [{"id": "l0", "legend": {"title": "T", "items": None}}]  # no items: said, so none are implied
    assert [set(g) for g in p["topo"]["objects"]["u"]["geometries"]] == [{"arcs"}, {"arcs"}, {"type"}]


def test_packed_legends_leave_out_what_their_layer_says_and_read_back_whole():
    import copy

    from serang_gis.render.leaflet.packing import pack, unpack_layers

    line = {"id": "l1", "type": "outline", "name": "Lokus 2021", "label": "Kelurahan lokus", "color": "#000000", "dash": True,
            "legend": {"title": "Lokus 2021", "items": [{"kind": "line", "label": "Kelurahan lokus", "color": "#000000", "dash": True}]}}
    cats = {"id": "l0", "type": "categorical", "name": "ODF", "note": "catatan",
            "cats": [{"value": "a", "color": "#111111", "label": "A"}, {"value": "b", "color": "#222222", "label": "B"}],
            "nodata": {"color": "#d9d9d9", "label": "Tidak ada data"},
            "legend": {"title": "ODF", "note": "catatan", "items": [{"kind": "fill", "label": "A", "color": "#111111", "cls": 0},
                                                                    {"kind": "fill", "label": "B", "color": "#222222", "cls": 1},
                                                                    {"kind": "fill", "label": "Tidak ada data", "color": "#d9d9d9", "cls": -1}]}}
    own = {"id": "l2", "type": "kecamatan", "name": "Batas", "label": "Batas", "color": "#4d4d4d",  # items unlike the implied
           "legend": {"title": "Lain", "items": [{"kind": "line", "label": "Batas", "color": "#4d4d4d", "dash": True}]}}
    bare = {"id": "l3", "type": "choropleth", "name": "P", "legend": {"title": "P", "note": "n"}}  # no items: none come back
    layers = [line, cats, own, bare]
    packed = pack({"cols": {}, "topo": {"objects": {}}, "layers": copy.deepcopy(layers)})["layers"]
    assert [p["legend"] for p in packed] == [{}, {}, {"title": "Lain", "items": own["legend"]["items"]}, {"note": "n", "items": None}]
    assert unpack_layers(copy.deepcopy(packed)) == layers


def test_packed_geometries_are_one_text_that_reads_back_exactly(serang_path):
    """Issue 20's bytes: the geometries' arc indices as one text (units "|", polygons ";", rings ","), delta-encoded."""
    import copy

    from serang_gis.render.leaflet.packing import pack_topo, unpack_topo

    geoms = [{"type": "Polygon", "arcs": [[0, 1, 2], [-4]]}, {"type": "MultiPolygon", "arcs": [[[3, -1]], [[5], [~5, 700, 701]]]},
             {"type": "MultiPolygon", "arcs": [[[9]]]}]  # a MultiPolygon of one part stays one
    topo = {"objects": {"u": {"geometries": copy.deepcopy(geoms)}}}
    packed = pack_topo(topo)["objects"]["u"]["geometries"]
    assert isinstance(packed, str) and packed.count("|") == 2 and packed.endswith(";")
    assert re.fullmatch(r"[A-Za-z0-9_|;,-]+", packed)  # nothing to escape in JSON or HTML
    assert unpack_topo(pack_topo(topo))["objects"]["u"]["geometries"] == geoms
    # the real coverage: the same geometries back, in a third of the JSON
    real = topology(clean_coverage(read_kelurahan(serang_path).kelurahan).geometry)
    text = pack_topo(real)["objects"]["u"]["geometries"]
    assert unpack_topo(pack_topo(copy.deepcopy(real)))["objects"]["u"]["geometries"] == real["objects"]["u"]["geometries"]
    assert len(text) < 0.4 * len(json.dumps(real["objects"]["u"]["geometries"], separators=(",", ":")))


def test_page_payload_reads_back_as_the_spec_made_it(joined):
    from serang_gis.render.leaflet.packing import read_payload

    spec = indicator_spec(joined, "prevalensi")
    made, html = spec.payload(), spec.render()
    read = read_payload(html)
    assert read["cols"] == made["cols"] and read["topo"] == made["topo"]
    assert len(re.search(r"SerangAtlas\.draw\([^,]+, (\{.*\})\);", html).group(1)) < 0.85 * len(json.dumps(made, ensure_ascii=False, separators=(",", ":")))
    with pytest.raises(ValueError, match="no SerangAtlas.draw"):
        read_payload("<html></html>")


def test_page_head_keeps_none_of_folium_s_styles(joined):
    """folium's head styles (the map box, html/body, an unused #map, the 1rem text) and its default L_NO_TOUCH /
    L_DISABLE_3D globals are gone: atlas.css carries the rules that matter, shorter."""
    from serang_gis.render.leaflet import assets

    html = indicator_spec(joined, "prevalensi").render()
    head = html[: html.index("</head>")]
    assert "<style>" not in head and "L_NO_TOUCH" not in head and '<meta charset="utf-8">' in head
    css = assets.atlas_css().replace(" ", "")
    assert "html,body{width:100%;height:100%;margin:0;padding:0" in css
    assert ".folium-map{position:relative;width:100%;height:100%" in css and "font:1rem/1.4" in css


def test_sources_the_title_box_lists_are_written_as_its_item_numbers():
    """A source the title box lists (after its label, "ODF: ...") is {"h": k} in the payload; read back from the page."""
    import html as h

    from serang_gis.render.leaflet.packing import pack

    heads = ["Lokus 2021 & 2022: Makalah <2023>", "ODF: https://a.example/1", "ODF: https://a.example/1", "tabel.csv",
             "X: baris\nkedua"]  # a repeat (the first is named) and a text the page would not read back the same
    payload = {"cols": {}, "topo": {"objects": {}}, "layers": [],
               "sources": ["https://a.example/1", "tabel.csv", "lain.csv", "baris\nkedua"],
               "fields": [{"key": "a", "source": "Makalah <2023>"}, {"key": "b", "source": "ODF"}, {"key": "c"}]}
    packed = pack(payload, heads)
    assert packed["sources"] == [{"h": 1}, {"h": 3}, "lain.csv", "baris\nkedua"]
    assert [f.get("source") for f in packed["fields"]] == [{"h": 0}, "ODF", None]
    page = ('<details class="sg-sources"><summary>Sumber</summary>\n<ul>' + "".join(f"<li>{h.escape(s)}</li>" for s in heads) +
            "</ul>\n</details>SerangAtlas.draw(map_1, " + json.dumps(packed) + ");")
    read = read_payload(page)
    assert read["sources"] == payload["sources"] and read["fields"] == payload["fields"]


def test_map_page_and_runtime_weigh_at_most_0_30_of_explore_s_page(serang_path, tmp_path):
    """Issue 20: the kelurahan map's HTML + atlas.js + atlas.css (minified, as the build ships them) <= 0.30x the bytes
    of geopandas.explore's page of the same layer (as benchmarks/bench_browser.py measures)."""
    import datetime as dt

    from serang_gis.join.atlas import build_layers
    from serang_gis.render.leaflet import assets
    from serang_gis.render.leaflet.atlas import kelurahan_spec

    if assets.atlas_js() == "\n".join(assets._static("atlas", p) for p in assets.ATLAS_PARTS):
        pytest.skip("the runtime is not minified here, or not for these sources (python3 hatch_build.py)")
    layers = build_layers(read_kelurahan(serang_path), dt.date(2025, 10, 1))
    page = kelurahan_spec(layers, "id").save(tmp_path / "peta_kelurahan.html")
    ours = sum(p.stat().st_size for p in (page, tmp_path / "lib" / "atlas.js", tmp_path / "lib" / "atlas.css"))
    cols = ["kelurahan", "kecamatan", "status_odf", "lokus_2021", "lokus_2022", "stunting_dilaporkan"]
    layers.kelurahan[cols + ["geometry"]].explore(column="status_odf", tooltip=cols).save(tmp_path / "explore.html")
    assert ours <= 0.30 * (tmp_path / "explore.html").stat().st_size, ours


def test_a_data_break_is_the_number_its_label_says():
    """TPPS walk 4: Lontarbaru at 16,265 % sat in "≥ 16,27 %" (the quantile break was 16,265, shown rounded). Breaks from
    the data are rounded to the two decimals the legend shows, so every value is inside the class its label names."""
    import numpy as np
    import pandas as pd

    def edges(label):  # "12,5 – < 16,27 %" -> (12.5, 16.27)
        nums = [float(x.replace(".", "").replace(",", ".")) for x in re.findall(r"[\d.,]*\d", label)]
        if label.startswith("<"):
            return -np.inf, nums[0]
        if label.startswith("≥"):
            return nums[0], np.inf
        return nums[0], nums[1]

    cases = [(pd.Series([10.0, 12.0, 16.265, 20.0, 25.0]), "quantiles", 2),  # the median is the 16,265 kelurahan itself
             (pd.Series([10.0, 12.5, 14.0, 16.265, 18.0, 20.0, 22.754, 25.0, 30.0]), "quantiles", 4),
             (pd.Series([10.0, 12.5, 14.0, 16.265, 18.0, 20.0, 22.754, 25.0, 30.0]), "natural_breaks", 3),
             (pd.Series([1.0, 2.0, 3.333, 4.0]), "equal_interval", 3)]
    for v, scheme, k in cases:
        c = classify(v, scheme, k=k)
        for x, i in zip(v, c.assign(v)):
            lo, hi = edges(c.labels[i])
            assert lo <= x < hi, (scheme, x, c.labels[i], c.breaks)
