"""The QGIS project (.qgz) of a config atlas, opened by QGIS 3.22 headless from a moved copy of the folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
import zipfile

import pyogrio
import pytest

from tests.conftest import QGIS_PYTHON, run_cli
from tests.test_plan import payload

PROBE = textwrap.dedent("""
    import json, os, sys
    from qgis.core import (QgsApplication, QgsProject, QgsLayoutExporter, QgsLayoutItemLegend, QgsLayoutItemScaleBar,
                           QgsLayoutItemLabel, QgsLayoutItemPicture, QgsLayoutItemMap, QgsUnitTypes,
                           QgsLayoutUtils, QgsLegendRenderer, QgsNumericFormatContext)
    app = QgsApplication([], False); app.initQgis()
    p = QgsProject.instance()
    out = {"read": p.read(sys.argv[1]), "title": [p.title(), p.metadata().title()], "crs": p.crs().authid(), "crs_units": int(p.crs().mapUnits()), "layers": {},
           "tree": [], "layouts": {}}
    for lid, lay in p.mapLayers().items():
        r = lay.renderer()
        items = []
        for i in r.legendSymbolItems():
            sym = i.symbol()
            items.append([i.label(), sym.color().name(), sym.symbolLayer(0).layerType()] if sym else [i.label(), None, None])
        dds = r.dataDefinedSizeLegend() if r.type() == "singleSymbol" else None
        md = lay.metadata()
        out["layers"][lid] = {"valid": lay.isValid(), "name": lay.name(), "table": lay.source().split("layername=")[-1],
            "source": lay.source(), "n": lay.featureCount(), "renderer": r.type(), "items": items,
            "circles": [c.label for c in dds.classes()] if dds else None, "styles": lay.styleManager().styles(),
            "stroke": r.symbol().symbolLayer(0).strokeColor().name() if r.type() == "singleSymbol" and r.symbol().type() == 2 else None,
            "title": md.title(), "abstract": md.abstract(), "licenses": md.licenses(),
            "aliased": sum(1 for i in range(lay.fields().count()) if lay.attributeAlias(i)), "fields": lay.fields().count()}
    for g in p.layerTreeRoot().children():
        out["tree"].append([g.name(), g.itemVisibilityChecked(), [[c.layerId(), c.itemVisibilityChecked()] for c in g.children()]])
    for l in p.layoutManager().printLayouts():
        info = {"items": sorted(type(i).__name__ for i in l.items() if type(i).__name__.startswith("QgsLayoutItem"))}
        for it in l.items():
            if isinstance(it, QgsLayoutItemLegend):
                info["legend"] = [n.name() for n in it.model().rootGroup().findLayers()]
                info["legend_map"] = it.linkedMap() is not None
                r = it.sceneBoundingRect(); info["legend_box"] = [r.left(), r.top(), r.right(), r.bottom()]
                ctx = QgsLayoutUtils.createRenderContextForLayout(l, None)  # the size its content needs, as drawn
                need = QgsLegendRenderer(it.model(), it.legendSettings()).minimumSize(ctx)
                info["legend_need"] = [r.left() + need.width(), r.top() + need.height()]
            elif isinstance(it, QgsLayoutItemScaleBar):
                info["scalebar"] = [int(it.units()) == int(QgsUnitTypes.DistanceMeters), it.linkedMap() is not None]
                info["scale_4000"] = it.numericFormat().formatDouble(4000, QgsNumericFormatContext())
                info["scale_font"] = [it.textFormat().font().pointSizeF(), it.textFormat().size()]
            elif isinstance(it, QgsLayoutItemLabel):
                info.setdefault("labels", []).append(it.currentText())
            elif isinstance(it, QgsLayoutItemPicture):
                info["north"] = [it.picturePath(), it.linkedMap() is not None]
                r = it.sceneBoundingRect(); info["north_box"] = [r.left(), r.top(), r.right(), r.bottom()]
            elif isinstance(it, QgsLayoutItemMap):
                info["map_layers"] = [x.id() for x in it.layers()]
                r = it.sceneBoundingRect(); info["map_box"] = [r.left(), r.top(), r.right(), r.bottom()]
        if l.atlas().enabled():
            info["atlas"] = [l.atlas().updateFeatures(), l.atlas().coverageLayer().id()]
            res = QgsLayoutExporter.exportToPdf(l.atlas(), sys.argv[2] + "/atlas.pdf", QgsLayoutExporter.PdfExportSettings())
            info["pdf"] = int(res[0])
        elif l.name() == sys.argv[3]:
            ex = QgsLayoutExporter(l)
            info["pdf"] = int(ex.exportToPdf(sys.argv[2] + "/peta.pdf", QgsLayoutExporter.PdfExportSettings()))
            s = QgsLayoutExporter.ImageExportSettings(); s.dpi = 100
            info["png"] = int(ex.exportToImage(sys.argv[2] + "/peta.png", s))
        out["layouts"][l.name()] = info
    print(json.dumps(out)); sys.stdout.flush()
    os._exit(0)
""")
LAYOUT = "Prevalensi stunting 2021"


@pytest.fixture(scope="module")
def atlas(tmp_path_factory, serang_path):
    """A small config atlas (two periods, two indicators, a change map), built, then its folder moved."""
    from tests.test_config_atlas import _write_config

    tmp = tmp_path_factory.mktemp("qgz")
    cfg = _write_config(tmp, serang_path)
    cfg.write_text(cfg.read_text().replace("static = true", "static = false").replace("draws = 200", "draws = 50"))
    res = run_cli("build", "--config", cfg)
    assert res.exit_code == 0, res.output
    moved = tmp / "moved"
    shutil.move(tmp / "atlas", moved)  # relative paths: the folder works where it is put
    return moved


@pytest.fixture(scope="module")
def opened(atlas, tmp_path_factory):
    if not os.path.isfile(QGIS_PYTHON):
        pytest.skip("QGIS is not installed")
    tmp = tmp_path_factory.mktemp("probe")
    (tmp / "probe.py").write_text(PROBE)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp)}
    proc = subprocess.run([QGIS_PYTHON, str(tmp / "probe.py"), str(atlas / "serang_gis.qgz"), str(tmp), LAYOUT],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    (tmp / "stderr.txt").write_text(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1]), tmp


def test_the_project_is_one_qgs_with_relative_paths_and_the_same_bytes(atlas):
    with zipfile.ZipFile(atlas / "serang_gis.qgz") as z:
        assert z.namelist() == ["serang_gis.qgs"]
        text = z.read("serang_gis.qgs").decode()
    assert "./serang_gis.gpkg|layername=kelurahan" in text and str(atlas.parent) not in text
    assert "format_date(now()" in text


@pytest.mark.qgis
def test_every_layer_opens_valid_and_styled_as_the_geopackage(atlas, opened):
    got, _ = opened
    assert got["title"] == ["Atlas stunting Kota Serang"] * 2  # the atlas's title, as index.html (issue 21)
    assert got["read"] and re.fullmatch(r"EPSG:327\d\d", got["crs"]) and got["crs_units"] == 0  # UTM, metres
    layers = {v["table"]: v for k, v in got["layers"].items() if k != "serang_gis_batas_kecamatan"}
    tables = {n for n, _ in pyogrio.list_layers(atlas / "serang_gis.gpkg")} - {"layer_styles"}
    assert set(layers) == tables
    styles = pyogrio.read_dataframe(atlas / "serang_gis.gpkg", layer="layer_styles").set_index("f_table_name")
    for name, lay in layers.items():
        assert lay["valid"] and lay["n"] == pyogrio.read_info(atlas / "serang_gis.gpkg", layer=name)["features"], name
        qml = styles.at[name, "styleQML"]
        assert lay["renderer"] == re.search(r'renderer-v2 type="(\w+)"', qml)[1], name
        if "data-defined-size-legend" in qml:  # circles: the reference circles of the size legend
            assert lay["circles"] and len(lay["circles"]) == qml.count("<class "), name
        else:
            assert len(lay["items"]) == max(1, qml.count("<rule ")), name  # one legend item per rule of the style
        assert lay["styles"] == [styles.at[name, "styleName"]]
        assert lay["aliased"] >= lay["fields"] - 3, name  # every field but fid, kode_kel_10 and the class fields' kin
        assert "lisensi MIT" in " ".join(lay["licenses"]), name
    prev = layers["peta_prevalensi_stunting_2021"]
    assert prev["title"] == "Prevalensi stunting 2021"
    assert all(w in prev["abstract"] for w in ("periode 2021", "sumber sasaran_2021.xlsx", "kelas WHO-UNICEF 2018", "lisensi MIT"))
    assert "kelas who" not in prev["abstract"]  # the scheme as the legend names it, not its key (GIS walk 25)
    assert layers["peta_balita_stunting_2021"]["circles"]  # a size legend of reference circles
    html = payload(atlas / "peta_kecamatan.html")  # its labels as the HTML legend's: "849 balita" (issue 21)
    want = {x["field"]: [i["label"] for i in x["legend"]["items"]] for x in html["layers"] if x["type"] == "circles"}
    assert layers["peta_balita_stunting_2021"]["circles"] == want["balita_stunting_2021"] and want["balita_stunting_2021"][0].endswith(" balita")
    assert layers["peta_keluarga_berisiko_2021"]["circles"] == want["keluarga_berisiko_2021"]  # "15.126 keluarga"
    assert all(c.endswith((" balita", " keluarga")) for lay in layers.values() for c in lay["circles"] or [])
    assert layers["kelurahan"]["title"] == "Kelurahan (semua atribut)"  # the full layer beside the maps (issue 21)


@pytest.mark.qgis
def test_groups_open_as_the_html_maps(atlas, opened):
    got, _ = opened
    tree = {name: (on, kids) for name, on, kids in got["tree"]}
    assert list(tree)[:3] == ["Lokus", "Jumlah (titik)", "Batas wilayah"]
    for name, (on, kids) in tree.items():
        if name != "Lokus":
            assert sum(v for _, v in kids) == 1, name  # one layer ticked per group
    # issue 21: as the main HTML map opens: every lokus outline it shows, no count circles over the choropleth
    main = payload(atlas / "prevalensi_stunting_kota.html")
    lokus = [x["name"] for x in main["layers"] if x["name"].startswith("Lokus") and x["show"]]
    assert len(lokus) >= 2 and tree["Lokus"][0]
    names = {lid: lay["name"] for lid, lay in got["layers"].items()}
    assert sorted(names[k] for k, v in tree["Lokus"][1] if v) == sorted(lokus)
    assert not any(x["type"] == "circles" and x["show"] for x in main["layers"]) and not tree["Jumlah (titik)"][0]
    on, kids = tree["Indikator 2023"]
    assert on and kids[0] == ["serang_gis_peta_prevalensi_stunting_2023", True]  # the latest period's prevalence, as the HTML
    assert not tree["Indikator 2021"][0] and not tree["Perubahan"][0]
    assert [k for k, _ in tree["Perubahan"][1]] == ["serang_gis_peta_prevalensi_stunting_2021_2023",
                                                     "serang_gis_peta_persen_keluarga_berisiko_2021_2023"]


def test_layer_names_are_titles_in_their_groups(opened):
    """Issue 21: no GeoPackage table name in a layer's title, the full kelurahan layer named as such among the
    boundaries, every count-point layer (each period's too) under "Jumlah (titik)", no doubled parentheses."""
    got, _ = opened
    layers = got["layers"]
    group_of = {lid: name for name, _, kids in got["tree"] for lid, _ in kids}
    names = [lay["name"] for lay in layers.values()]
    assert len(set(names)) == len(names)
    for lid, lay in layers.items():
        assert f"({lay['table']})" not in lay["name"] and not re.search(r"\(\w*_\w*\)", lay["name"]), lay["name"]
        assert ") (" not in lay["name"], lay["name"]
        if "_titik" in lay["table"]:
            assert group_of[lid] == "Jumlah (titik)", (lay["name"], group_of[lid])
    kel = next(lid for lid, lay in layers.items() if lay["table"] == "kelurahan")
    assert layers[kel]["name"] == "Kelurahan (semua atribut)" and group_of[kel] == "Batas wilayah"
    assert "Keluarga berisiko stunting (jumlah, titik)" in {re.sub(r",? (periode )?\d{4}$", "", n) for n in names}


@pytest.mark.qgis
def test_qgis_legends_equal_every_html_legend(atlas, opened):
    """Each classed layer of each whole-city HTML map: QGIS's legend gives the same labels and colours, in order."""
    got, _ = opened
    by_title = {}
    for lay in got["layers"].values():
        by_title.setdefault(lay["name"], []).append(lay)
    compared = 0
    for html in sorted(atlas.glob("*.html")):
        if "_kec_" in html.name or html.name == "index.html":
            continue
        p = payload(html)
        classed = [x for x in p["layers"] if x["type"] in ("choropleth", "categorical") and x["name"] != "Batas kecamatan"]
        for layer in classed:
            want = [(i["label"], i["color"]) for i in layer["legend"]["items"] if i["kind"] == "fill"]  # as the page draws it
            name = layer["name"] + (" (Kecamatan)" if "per_kecamatan" in html.name else "")
            name = next((n for n in by_title if re.fullmatch(re.escape(name) + r"( \d{4}(-\d\d)?)?", n)), name)  # + its period
            if name not in by_title:
                assert layer["name"] == "Status ODF", (html.name, name)  # the same ODF map, titled with its date
                continue
            (lay,) = by_title[name]
            fills = [(label, color) for label, color, kind in lay["items"] if kind == "SimpleFill"]
            assert fills == [(label, color.lower()) for label, color in want], (html.name, name)
            assert all(kind == "LinePatternFill" for _, _, kind in lay["items"][len(fills):])  # then the caveats' hatches
            compared += 1
    assert compared >= 9  # both periods, the change and per kecamatan of both indicators, and the priority


@pytest.mark.qgis
def test_print_layout_exports_with_legend_scale_bar_north_arrow_and_sources(opened):
    from PIL import Image

    got, tmp = opened
    lay = got["layouts"][LAYOUT]
    assert lay["pdf"] == 0 and (tmp / "peta.pdf").read_bytes()[:5] == b"%PDF-"
    assert lay["legend"] == ["Prevalensi stunting 2021", "Batas kecamatan"] and lay["legend_map"]
    assert lay["scalebar"] == [True, True]  # metres, following the map
    assert lay["scale_4000"] == "4.000"  # Indonesian thousands separator (issue 21)
    outline = got["layers"]["serang_gis_batas_kecamatan"]
    assert outline["stroke"] == "#4d4d4d"  # the HTML maps' kecamatan outline colour
    assert lay["north"][1] and lay["north"][0].endswith("north_arrow.svg")
    assert any("sumber sasaran_2021.xlsx" in x and "lisensi MIT" in x for x in lay["labels"])
    assert any(re.fullmatch(r"Dicetak \d{4}-\d\d-\d\d", x) for x in lay["labels"])  # the print date
    assert any(x == "Prevalensi stunting 2021" for x in lay["labels"])  # the title
    # rendered: every class colour of the HTML legend is drawn in the legend's box of the page
    img = Image.open(tmp / "peta.png").convert("RGB")
    px = img.width / 297
    x0, y0, x1, y1 = (round(v * px) for v in lay["legend_box"])
    seen = {"#%02x%02x%02x" % c for _, c in img.crop((x0, y0, x1, y1)).getcolors(1 << 20)}
    prev = next(v for v in got["layers"].values() if v["name"] == LAYOUT)
    assert {c for _, c, kind in prev["items"] if kind == "SimpleFill"} <= seen
    for name, info in got["layouts"].items():
        assert {"QgsLayoutItemMap", "QgsLayoutItemLegend", "QgsLayoutItemScaleBar", "QgsLayoutItemPicture"} <= set(info["items"]), name
        # the north arrow off the map (GIS walk 25: it sat over map features), on the page
        (nx0, ny0, nx1, ny1), (mx0, my0, mx1, my1) = info["north_box"], info["map_box"]
        assert ny0 >= my1 or nx0 >= mx1, (name, info["north_box"], info["map_box"])
        assert nx1 <= 297 and ny1 <= 210, (name, info["north_box"])


@pytest.mark.qgis
def test_the_project_opens_without_qt_font_warnings(opened):
    """The scale bar names its font (GIS walk 25: every .qgz printed `QFont::fromString: Invalid description '(empty)'`
    twice, once per layout, from a scale bar without a font)."""
    got, tmp = opened
    assert "QFont" not in (tmp / "stderr.txt").read_text()
    for name, info in got["layouts"].items():
        assert 8 in info["scale_font"], (name, info["scale_font"])  # 8 pt, as the legend's labels


@pytest.mark.qgis
def test_every_legend_fits_its_column_and_the_page(opened):
    """The legend's text as QGIS lays it out stays inside the side column and the A4 page (issue 21: titles and labels
    such as "Data terlalu sedikit (< 10 balita diukur), tidak dikelaskan" ran 50-80 mm past the page's edge)."""
    got, _ = opened
    for name, info in got["layouts"].items():
        right, bottom = info["legend_need"]
        assert right <= 206 + 81 + 0.01 and right <= 297 and bottom <= 210, (name, info["legend_need"])


@pytest.mark.qgis
def test_atlas_layout_has_a_page_per_kecamatan(opened):
    got, tmp = opened
    atlas = got["layouts"]["Atlas per kecamatan"]
    assert atlas["atlas"] == [6, "serang_gis_kecamatan"]
    assert atlas["pdf"] == 0
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", (tmp / "atlas.pdf").read_bytes())
    assert len(pages) == 6
    assert atlas["map_layers"] == ["serang_gis_batas_kecamatan", "serang_gis_peta_prevalensi_stunting_2023"]


def test_export_writes_a_project_over_its_geopackage(joined_gpkg, tmp_path):
    """`export` (no HTML maps): the project holds every layer, a layout of the styled kelurahan and the atlas."""
    import xml.etree.ElementTree as ET

    assert run_cli("export", joined_gpkg, "-o", tmp_path / "q").exit_code == 0
    with zipfile.ZipFile(tmp_path / "q" / "serang_gis.qgz") as z:
        root = ET.fromstring(z.read("serang_gis.qgs").decode().split("\n", 1)[1])
    sources = {e.text for e in root.iter("datasource")}
    tables = {n for n, _ in pyogrio.list_layers(tmp_path / "q" / "serang_gis.gpkg")} - {"layer_styles"}
    assert sources == {f"./serang_gis.gpkg|layername={n}" for n in tables}
    layouts = [e.get("name") for e in root.iter("Layout")]
    assert len(layouts) == 2 and layouts[-1] == "Atlas per kecamatan"
    # it opens with its choropleth (the styled kelurahan) and the kecamatan outlines visible
    top = root.find("layer-tree-group")
    group = next(g for g in top.findall("layer-tree-group") if any(n.get("id") == "serang_gis_kelurahan" for n in g))
    ticked = [n.get("id") for n in group if n.get("checked") == "Qt::Checked"]
    assert group.get("checked") == "Qt::Checked" and sorted(ticked) == ["serang_gis_batas_kecamatan", "serang_gis_kelurahan"]
    assert run_cli("export", joined_gpkg, "-o", tmp_path / "q").exit_code == 1  # the project too is kept without --overwrite
