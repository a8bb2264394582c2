"""The convergence headline as money lands: a hand-made matrix whose shares are worked out by hand.

Five kelurahan: Sepang, Lialang, Kuranji (Kec. Taktakan) and Kalodran, Nyapah (Kec. Walantaka); lokus
Sepang and Kalodran. Stunted toddlers 30, 10, 20, 40, 10. Five activities (pagu in Rp million):

  1  Dinkes  "Kec. Taktakan"            300   -> Sepang, Lialang, Kuranji (kecamatan-level)
  2  Dinsos  "Lialang (Kec. Taktakan)"  200   -> Lialang
  3  Perkim  "Kec. Walantaka"           400   -> Kalodran, Nyapah (kecamatan-level)
  4  DP3AKB  "Kalodran, Kec. Walantaka"  50   -> Kalodran
  5  Dindik  "Kota Serang"              150   -> city-wide, located nowhere

Located pagu 950, all pagu 1.100.
Equal split: 1 gives 100 to each; 3 gives 200 to each. Lands in lokus: 100 (Sepang, from 1) + 200
(Kalodran, from 3) + 50 (Kalodran, from 4) = 350; headline 350 / 950 = 36,8 %.
Stunting split: 1 gives 300 x 30/60 = 150 to Sepang, 50 to Lialang, 100 to Kuranji; 3 gives 400 x 40/50
= 320 to Kalodran and 80 to Nyapah. Lands in lokus: 150 + 320 + 50 = 520; 520 / 950 = 54,7 %.
Touches a lokus (whole pagu of 1, 3, 4): 750; 750 / 950 = 78,9 % of located pagu, 750 / 1.100 = 68,2 % of all.
Only from kecamatan-level activities: Sepang (1 only), Kuranji (1 only), Nyapah (3 only).
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from serang_gis.analysis.konvergensi import compute
from serang_gis.core.errors import InputError
from serang_gis.read import reference
from serang_gis.read.kegiatan import read_kegiatan

from .conftest import run_cli

M = 1_000_000
NAMES = [("Sepang", "Taktakan", 30), ("Lialang", "Taktakan", 10), ("Kuranji", "Taktakan", 20),
         ("Kalodran", "Walantaka", 40), ("Nyapah", "Walantaka", 10)]
LOKUS = ["Sepang", "Kalodran"]
MATRIX = """Perangkat Daerah;Sub Kegiatan;Jenis Intervensi;Lokasi;Pagu (Rp)
Dinas Kesehatan;Pemberian makanan tambahan;spesifik;Kec. Taktakan;300.000.000
Dinas Sosial;Bantuan sosial pangan;sensitif;Lialang (Kec. Taktakan);200.000.000
Dinas Perkim;Pembangunan jamban sehat;sensitif;Kec. Walantaka;400.000.000
DP3AKB;Tim Pendamping Keluarga;sensitif;Kalodran, Kec. Walantaka;50.000.000
Dinas Pendidikan;Layanan gizi PAUD;sensitif;Kota Serang;150.000.000
"""


def _layer(stunting=(30, 10, 20, 40, 10)) -> gpd.GeoDataFrame:
    gaz = reference.gazetteer()
    rows = []
    for i, ((name, kec, _), n) in enumerate(zip(NAMES, stunting)):
        g = gaz[(gaz["kelurahan"] == name) & (gaz["kecamatan"] == kec)].iloc[0]
        rows.append({"kode_kel": g["kode_kel"], "kelurahan": name, "kode_kec": g["kode_kec"], "kecamatan": kec,
                     "kode_kab": "36.73", "kabkota": "Kota Serang", "balita_stunting": n, "geometry": box(106.1 + 0.01 * i, -6.1, 106.105 + 0.01 * i, -6.095)})
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    path = tmp_path_factory.mktemp("split") / "aksi2.csv"
    path.write_text(MATRIX, encoding="utf-8")
    return path


def _run(matrix, split, layer=None):
    kel = _layer() if layer is None else layer
    keg = read_kegiatan(matrix, kel)
    return compute(kel, keg, lokus=kel["kelurahan"].isin(LOKUS), lokus_name="uji", split=split)


def _by_name(res, col):
    return dict(zip(res.kelurahan["kelurahan"], res.kelurahan[col]))


def test_the_matrix_reads_as_drawn(matrix):
    keg = read_kegiatan(matrix, _layer())
    assert keg.rows["lokasi_jenis"].tolist() == ["kecamatan", "kelurahan", "kecamatan", "kelurahan", "kota"]
    assert [len(c) for c in keg.rows["kode_kel"]] == [3, 1, 2, 1, 0]


def test_equal_split_headline_is_the_pagu_landing_in_lokus(matrix):
    res = _run(matrix, "equal")
    t = res.total
    assert t["pagu_terlokasi"] == 950 * M and t["pagu_total"] == 1100 * M
    assert t["pagu_lokus"] == 350 * M and t["pagu_non_lokus"] == 600 * M
    assert t["persen_lokus_terlokasi"] == round(100 * 350 / 950, 1) == 36.8
    assert t["persen_lokus"] == round(100 * 350 / 1100, 1)  # the same amount as a share of all pagu
    assert t["pagu_kota"] == 150 * M
    assert _by_name(res, "pagu_terlokasi") == {"Sepang": 100 * M, "Lialang": 300 * M, "Kuranji": 100 * M,
                                               "Kalodran": 250 * M, "Nyapah": 200 * M}


def test_touches_a_lokus_is_kept_beside_it(matrix):
    t = _run(matrix, "equal").total
    assert t["pagu_menyentuh_lokus"] == 750 * M
    assert t["persen_menyentuh_lokus"] == round(100 * 750 / 950, 1) == 78.9
    assert t["persen_menyentuh_lokus_total"] == round(100 * 750 / 1100, 1) == 68.2


def test_stunting_weighted_split(matrix):
    res = _run(matrix, "stunting")
    t = res.total
    assert t["pagu_lokus"] == 520 * M
    assert t["persen_lokus_terlokasi"] == round(100 * 520 / 950, 1) == 54.7
    assert t["pagu_menyentuh_lokus"] == 750 * M  # touching does not depend on the split
    got = _by_name(res, "pagu_terlokasi")
    assert got == {"Sepang": 150 * M, "Lialang": 250 * M, "Kuranji": 100 * M, "Kalodran": 370 * M, "Nyapah": 80 * M}
    assert _by_name(res, "pagu_per_balita_stunting") == {"Sepang": 5 * M, "Lialang": 25 * M, "Kuranji": 5 * M,
                                                         "Kalodran": 9.25 * M, "Nyapah": 8 * M}
    assert sum(got.values()) == t["pagu_terlokasi"]


def test_a_kelurahan_without_the_figure_splits_its_activity_equally(matrix):
    """Nyapah without a count: activity 3 is split equally (200 / 200), activity 1 still by need: 150 + 200 + 50."""
    res = _run(matrix, "stunting", _layer((30, 10, 20, 40, None)))
    assert res.total["pagu_lokus"] == 400 * M
    assert any("1 activity names a kelurahan without a balita_stunting figure" in n for n in res.notes)


def test_missing_need_column_is_refused(matrix):
    with pytest.raises(InputError, match="sasaran_balita"):
        _run(matrix, "sasaran")
    with pytest.raises(InputError, match="balita_stunting"):
        _run(matrix, "stunting", _layer().drop(columns="balita_stunting"))


def test_sasaran_split_divides_by_sasaran_balita(matrix):
    layer = _layer().assign(sasaran_balita=[100, 100, 100, 300, 100])
    t = _run(matrix, "sasaran", layer).total
    # 1: 300 / 3 to Sepang = 100; 3: 400 x 300/400 = 300 to Kalodran; 4: 50
    assert t["pagu_lokus"] == 450 * M


def test_kelurahan_whose_pagu_is_only_split_down_are_marked(matrix):
    res = _run(matrix, "equal")
    only = _by_name(res, "pagu_hanya_turunan")
    assert {k for k, v in only.items() if v} == {"Sepang", "Kuranji", "Nyapah"}
    assert _by_name(res, "pagu_turunan") == {"Sepang": 100 * M, "Lialang": 100 * M, "Kuranji": 100 * M,
                                             "Kalodran": 200 * M, "Nyapah": 200 * M}
    notes = _by_name(res, "catatan_pagu")
    assert all(("pagu per balita stunting" in notes[k]) == only[k] for k in notes)
    assert any("3 kelurahan mendapat seluruh pagunya" in n for n in res.notes)  # the notes land in pages: the run's language


def test_cli_writes_the_shares_and_the_marks(tmp_path, matrix):
    _layer().to_file(tmp_path / "joined.gpkg", layer="kelurahan", driver="GPKG", engine="pyogrio")
    pd.DataFrame({"kelurahan": LOKUS, "kecamatan": ["Taktakan", "Walantaka"]}).to_csv(tmp_path / "lokus_uji.csv", index=False)
    res = run_cli("konvergensi", tmp_path / "joined.gpkg", "--kegiatan", matrix, "--lokus", tmp_path / "lokus_uji.csv",
                  "--split", "stunting", "--offline", "--lang", "en", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert "54.7 % of located pagu lands in lokus kelurahan (uji)" in res.output
    assert "touches a lokus: 78.9 % of located pagu" in res.output
    report = json.loads((tmp_path / "out" / "laporan_konvergensi.json").read_text(encoding="utf-8"))
    assert report["utama"]["persen_lokus_terlokasi"] == 54.7 and report["menyentuh_lokus"]["persen"] == 78.9
    assert report["split"] == "stunting"
    codes = dict(zip(_layer()["kelurahan"], _layer()["kode_kel"]))
    assert sorted(report["kelurahan_pagu_hanya_turunan"]) == sorted(codes[k] for k in ("Sepang", "Kuranji", "Nyapah"))
    gpkg = gpd.read_file(tmp_path / "out" / "konvergensi.gpkg", layer="konvergensi", engine="pyogrio")
    csv = pd.read_csv(tmp_path / "out" / "konvergensi_kelurahan.csv", encoding="utf-8-sig")
    xlsx = pd.read_excel(tmp_path / "out" / "matriks_lokus_opd.xlsx", sheet_name="Kelurahan", engine="openpyxl")
    for table in (gpkg, csv, xlsx):
        marked = set(table.loc[table["pagu_hanya_turunan"].astype(bool), "kelurahan"])
        assert marked == {"Sepang", "Kuranji", "Nyapah"}
    html = (tmp_path / "out" / "peta_konvergensi.html").read_text(encoding="utf-8")
    assert "pagu_hanya_turunan" in html and "54.7 % of located pagu" in html
    bad = run_cli("konvergensi", tmp_path / "joined.gpkg", "--kegiatan", matrix, "--split", "sasaran", "--offline", "-o", tmp_path / "o2")
    assert bad.exit_code != 0 and "sasaran_balita" in bad.output


def test_config_accepts_the_need_splits_and_from_config_refuses_a_missing_column(tmp_path, matrix):
    from serang_gis.analysis.konvergensi import from_config
    from serang_gis.read.config import KegiatanInput, load_config

    (tmp_path / "aksi2.csv").write_text(MATRIX, encoding="utf-8")
    for split in ("stunting", "sasaran"):
        (tmp_path / "atlas.toml").write_text(f'[[kegiatan]]\npath = "aksi2.csv"\nsplit = "{split}"\n', encoding="utf-8")
        cfg = load_config(tmp_path / "atlas.toml")
        assert cfg.kegiatan[0].split == split
    res = from_config(_layer(), [KegiatanInput(tmp_path / "aksi2.csv", None, "stunting", None)])
    assert res.split == "stunting" and res.total["pagu_terlokasi"] == 950 * M
    with pytest.raises(InputError, match="sasaran_balita"):
        from_config(_layer(), load_config(tmp_path / "atlas.toml").kegiatan)
    (tmp_path / "bad.toml").write_text('[[kegiatan]]\npath = "aksi2.csv"\nsplit = "need"\n', encoding="utf-8")
    with pytest.raises(Exception, match=r"kegiatan\[0\]\.split"):
        load_config(tmp_path / "bad.toml")


def test_pagu_per_toddler_classes_are_whole_rupiah_and_keep_every_kelurahan_in_its_class():
    """Planner walk 4: "1.250.263,5" in the legend. Whole-rupiah amounts 100, 201, 302, 403 have quartile breaks
    175,75 / 251,5 / 327,25: the classes read "< 176", "< 252", "< 328" and each amount stays in its class."""
    from serang_gis.core.classify import classify
    from serang_gis.render.leaflet.konvergensi import per_balita_classes

    per = pd.Series([0.0, 100.0, 201.0, 302.0, 403.0])
    raw = classify(per[per > 0], "quantiles", k=4)
    assert raw.breaks == pytest.approx([175.75, 251.5, 327.25]), raw.breaks
    cls = per_balita_classes(per, "id")
    assert cls.labels == ["Rp 0 / tidak ada pagu", "> 0 – < 176", "176 – < 252", "252 – < 328", "≥ 328"], cls.labels
    assert not any("," in lab for lab in cls.labels)
    probe = pd.Series([100.0, 175.0, 176.0, 251.0, 252.0, 327.0, 328.0, 403.0])  # whole amounts either side of each break
    assert list(cls.assign(probe)) == [i + 1 for i in raw.assign(probe)]  # the class the unrounded breaks give
