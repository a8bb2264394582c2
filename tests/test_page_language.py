"""One language per page: the index's column titles, the match report and the paper checks in the page's language."""

import re

import pandas as pd

from serang_gis import read_kelurahan
from serang_gis.read import reference
from serang_gis.join.tables import join_tables
from serang_gis.render.site import column_label, render_index
from serang_gis.read.tables import read_table

from . import fixtures as F


def test_match_report_in_indonesian_has_the_same_figures(tmp_path, serang_path):
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=True)
    _, report = join_tables(read_kelurahan(serang_path).kelurahan, [read_table(tmp_path / "s.xlsx")])
    en, id_ = report.summary(), report.summary("id")
    assert len(en) == len(id_)
    assert [re.findall(r"\d+", a) for a in en] == [re.findall(r"\d+", b) for b in id_]  # same numbers, line by line
    text = "\n".join(id_)
    assert "cocok menurut kode" in text and "baris dibaca" in text and "kelurahan dengan data" in text
    for word in ("matched", "rows read", "without data", "agree"):
        assert word not in text


def test_paper_checks_in_indonesian():
    en, id_ = reference.checks(), reference.checks("id")
    assert [(c.expected, c.found, c.ok) for c in en] == [(c.expected, c.found, c.ok) for c in id_]
    for e, i in zip(en, id_):
        assert i.name != e.name or "Tabel" in i.name
        assert bool(i.note) == bool(e.note) and (not e.note or i.note != e.note)
    assert not any(re.search(r"\b(the|and|than|vs city)\b", c.name + " " + c.note) for c in id_)


def test_index_columns_are_labels_with_units():
    table = pd.DataFrame({"kode_kel": ["36.73.01.1001"], "kelurahan": ["Serang"], "prevalensi_stunting": [3.4],
                          "balita_stunting": [30], "persen_keluarga_berisiko": [5.2]})
    for lang, want in (("id", ["Kode", "Kelurahan", "Prevalensi stunting (%)", "Balita stunting (balita)", "Keluarga berisiko stunting (%)"]),
                       ("en", ["Code", "Kelurahan", "Stunting prevalence (%)", "Stunted toddlers (toddlers)", "Families at risk of stunting (%)"])):
        assert [column_label(c, lang) for c in table.columns] == want
        html = render_index(title="Atlas", subtitle="", products=[], summary=[], checks=[], sources=[], lang=lang, table=table)
        heads = re.findall(r'<th scope="col"[^>]*aria-sort="none"><button type="button">([^<]*)</button>', html)
        assert heads == want
        assert f'<html lang="{lang}">' in html and "<title>Atlas</title>" in html


def test_a_kecamatan_map_does_not_rename_the_units_of_the_next_kelurahan_map(serang_path):
    import datetime as dt

    from serang_gis.join.atlas import build_layers
    from serang_gis.render.leaflet.atlas import kecamatan_spec, kelurahan_spec

    layers = build_layers(read_kelurahan(serang_path), dt.date(2025, 10, 1))
    assert kecamatan_spec(layers, "id").payload()["t"]["unit_name"] == "Kecamatan"
    assert kelurahan_spec(layers, "id").payload()["t"]["unit_name"] == "Kelurahan"
