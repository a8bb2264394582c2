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

from . import fixtures as F


@pytest.fixture(scope="module")
def joined(tmp_path_factory, serang_path):
    tmp = tmp_path_factory.mktemp("m")
    F.write_messy_xlsx(tmp / "s.xlsx", F.truth_aggregate(), wrong_row=False)
    j, _ = join_tables(read_kelurahan(serang_path).kelurahan, [read_table(tmp / "s.xlsx", period="2024")])
    return j


def _payload(html):
    m = re.search(r"SerangAtlas\.draw\([^,]+, (\{.*\})\);", html)
    return json.loads(m.group(1))


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
    with pytest.raises(InputError, match="proportional circles"):
        indicator_spec(joined, "balita_stunting", scheme="natural_breaks")
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
