"""Typed, aliased attributes (issue 21): integers as integers, codes as text, flags as booleans, every field named in
Indonesian with its unit, read back through GDAL (ogrinfo) the way QGIS reads them."""

from __future__ import annotations

import re
import subprocess

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import box

from .conftest import run_cli


def _frame():
    return gpd.GeoDataFrame({
        "kode_kel": ["36.73.01.1001", "36.73.01.1002"], "kelurahan": ["Serang", "Cipare"], "kode_kab": ["36.73", "36.73"],
        "balita_stunting": [804.0, None], "balita_diukur__2023": [1200.0, 90.0], "prevalensi_stunting__2023": [12.5, None],
        "tidak_stabil": [False, True], "tidak_stabil__2023": ["False", "True"],  # a period's flag as text, as a concat leaves it
        "prevalensi_stunting__2021_2023": [-1.5, None], "lokus_2022": [True, False]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)


def _schema(path, layer=None):
    text = subprocess.run(["ogrinfo", "-so", "-al", str(path)] if layer is None else ["ogrinfo", "-so", str(path), layer],
                          capture_output=True, text=True).stdout
    return {ln.split(":")[0].strip(): ln.split(":")[1].split("(")[0].strip() + ("(Boolean)" if "(Boolean)" in ln else "")
            for ln in text.splitlines() if ln.count(":") == 1 and "(" in ln}


@pytest.mark.gdal_cli
def test_csv_counts_are_integers_and_codes_text_for_gdal_and_qgis(tmp_path):
    from serang_gis.output.writers import write_csv

    write_csv(tmp_path / "t.csv", _frame())
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "804," in text and "804.0" not in text and ",1200," in text
    assert (tmp_path / "t.csvt").is_file()
    s = _schema(tmp_path / "t.csv")  # GDAL's CSV driver (QGIS's ogr provider) reads the .csvt beside it
    assert s["kode_kab"] == "String" and s["kode_kel"] == "String" and s["kode_kel_10"] == "String"
    assert s["balita_stunting"] == "Integer64" and s["balita_diukur__2023"] == "Integer64"
    assert s["tidak_stabil__2023"] == "Integer(Boolean)" and s["prevalensi_stunting__2023"] == "Real"
    back = pyogrio.read_dataframe(tmp_path / "t.csv")
    assert back["tidak_stabil__2023"].tolist() == [False, True]
    assert back["kode_kel_10"].tolist() == ["3673011001", "3673011002"]  # an office's own 10-digit codes join to this


@pytest.mark.gdal_cli
def test_geopackage_types_and_every_field_aliased(tmp_path):
    from serang_gis.render.qgis import aliases
    from serang_gis.render.styles import outline_style, write_styled_gpkg
    from serang_gis.output.writers import _typed

    frame = _frame()
    names = aliases(_typed(frame))
    write_styled_gpkg(tmp_path / "t.gpkg", {"kelurahan": (frame, outline_style("x", "#000000", aliases=names))})
    s = _schema(tmp_path / "t.gpkg", "kelurahan")
    assert s["tidak_stabil__2023"] == "Integer(Boolean)" == s["tidak_stabil"] and s["balita_stunting"] == "Integer64"
    assert s["kode_kel_10"] == "String"
    fields = [c for c in _typed(frame).columns if c != "geometry"]
    assert set(names) == set(fields) and all(names[c] != c for c in fields)
    assert names["prevalensi_stunting__2023"] == "Prevalensi stunting (%), periode 2023"
    assert names["prevalensi_stunting__2021_2023"].startswith("Perubahan Prevalensi stunting (%), 2021 ke 2023")
    assert names["lokus_2022"] == "Lokus 2022 (ya/tidak)" and "10 angka" in names["kode_kel_10"]


def test_konvergensi_fields_are_all_aliased(tmp_path, joined_gpkg):
    from . import kegiatan_fixtures as K

    K.write_xlsx(tmp_path / "a.xlsx", K.make_activities())
    res = run_cli("konvergensi", joined_gpkg, "--kegiatan", tmp_path / "a.xlsx", "--lokus", "2022", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    styles = pyogrio.read_dataframe(tmp_path / "out" / "konvergensi.gpkg", layer="layer_styles")
    qml = styles["styleQML"][0]
    fields = pyogrio.read_info(tmp_path / "out" / "konvergensi.gpkg", layer="konvergensi")["fields"]
    missing = [f for f in fields if f'field="{f}"' not in qml]
    assert not missing
    assert 'name="Pagu terlokasi (Rp)"' in qml


@pytest.mark.parametrize("raw, want", [(1.0, True), (0.0, False), (float("nan"), None), ("True", True), ("False", False),
                                       ("1", True), ("0", False), ("1.0", True), ("0.0", False), (None, None)])
def test_flag_read_back_forms(raw, want):
    """Every form a boolean comes back in from GDAL or a concat: a float 1.0/0.0 (a boolean field with NULLs read by
    pyogrio), numpy scalars, text. 1.0 used to become NULL (issue 21: export blanked every belum_odf)."""
    import numpy as np
    import pandas as pd

    from serang_gis.output.writers import _flag

    for v in ([raw, np.float64(raw)] if isinstance(raw, float) else [raw]):
        got = _flag(v)
        assert (got is pd.NA) if want is None else (got is want or got == want), (v, got)
    assert _flag(np.bool_(True)) is True and _flag(np.int64(0)) is False


def test_flags_survive_join_export_rank_round_trip(tmp_path, joined_gpkg):
    """belum_odf (true, false, NULL) and tidak_stabil written by join, read back by export and rank: the same counts
    of true, false and NULL in the GeoPackage, the GeoJSON and the ranking (issue 21: all came out NULL)."""
    from serang_gis.output.writers import write_gpkg

    frame = pyogrio.read_dataframe(joined_gpkg)
    n = len(frame)
    frame["belum_odf"] = [True] * 20 + [False] * (n - 22) + [None, None]
    write_gpkg(tmp_path / "j.gpkg", {"kelurahan": frame})

    def counts(s):
        s = s.map(lambda v: None if v is None or v != v else bool(v))
        return s.value_counts(dropna=False).to_dict()

    want = {"belum_odf": {True: 20, False: n - 22, None: 2}, "tidak_stabil": counts(pyogrio.read_dataframe(joined_gpkg)["tidak_stabil"])}
    assert want["tidak_stabil"].get(False, 0) > 0
    assert run_cli("export", tmp_path / "j.gpkg", "-o", tmp_path / "x").exit_code == 0
    assert run_cli("rank", tmp_path / "j.gpkg", "--draws", "20", "-o", tmp_path / "r.gpkg").exit_code == 0
    outs = {"gpkg": pyogrio.read_dataframe(next((tmp_path / "x").glob("*.gpkg")), layer="kelurahan"),
            "geojson": pyogrio.read_dataframe(next((tmp_path / "x").glob("*kelurahan.geojson"))),
            "rank": pyogrio.read_dataframe(tmp_path / "r.gpkg")}
    for name, out in outs.items():
        for col, c in want.items():
            if col in out.columns or name != "rank":
                assert counts(out[col]) == c, (name, col)
    # the ranking's di_batas is a note, not a flag: its text reaches the GeoPackage (it was NULLed as a flag)
    notes = outs["rank"]["di_batas"].dropna() if "di_batas" in outs["rank"].columns else []
    assert len(notes) and all(str(v).startswith(("di batas", "at a cut")) for v in notes), list(notes)[:3]


def test_kode_kel_10_is_aliased_in_every_layer(tmp_path, joined_gpkg):
    """Every layer that carries kode_kel_10 (added at writing beside a dotted kode_kel) names it in its style (issue 21:
    the count-point layers showed the bare field name)."""
    assert run_cli("export", joined_gpkg, "-o", tmp_path / "x").exit_code == 0
    gpkg = tmp_path / "x" / "serang_gis.gpkg"
    styles = pyogrio.read_dataframe(gpkg, layer="layer_styles").set_index("f_table_name")["styleQML"]
    checked = 0
    for name, _ in pyogrio.list_layers(gpkg):
        if name != "layer_styles" and "kode_kel_10" in pyogrio.read_info(gpkg, layer=name)["fields"]:
            assert re.search(r'<alias field="kode_kel_10" index="\d+" name="Kode kelurahan, 10 angka tanpa titik"', styles[name]), name
            checked += 1
    assert checked >= 2


def test_a_flag_field_holding_other_text_is_an_error_not_a_silent_null(tmp_path):
    """A yes/no field with a value that is not a flag ('mungkin') stops the write, naming the field and the value: it
    used to become NULL without a word."""
    from serang_gis.output.writers import write_csv

    frame = _frame()
    frame["lokus_2022"] = ["ya", "mungkin"]
    with pytest.raises(ValueError, match=r"lokus_2022.*'mungkin'"):
        write_csv(tmp_path / "t.csv", frame)
    assert not (tmp_path / "t.csv").exists()
    frame["lokus_2022"] = ["yes", "no"]  # the English words of an English run read as flags too
    write_csv(tmp_path / "t.csv", frame)
    assert "lokus_2022" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
