"""`serang-gis build --config`: validation with key paths, periods, change maps, static maps, index, same bytes twice."""

import re

import pytest
from click.testing import CliRunner

from serang_gis import InputError, read_kelurahan
from serang_gis.cli.main import cli
from serang_gis.read.config import load_config
from serang_gis.render.leaflet.packing import read_payload

from . import fixtures as F
from .conftest import run_cli


def _write_config(tmp, serang_path, extra=""):
    """The config atlas of two periods, two indicators in two scopes, exported as GeoPackage and GeoJSON."""
    return F.write_two_period_config(tmp, serang_path, extra, scopes=("kota", "kecamatan"),
                                     indicators=("prevalensi", "persen_keluarga_berisiko"), export=("gpkg", "geojson"))


@pytest.fixture(scope="module")
def atlas(tmp_path_factory, serang_path):
    tmp = tmp_path_factory.mktemp("cfg")
    cfg = _write_config(tmp, serang_path)
    res = CliRunner().invoke(cli, ["build", "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    return tmp / "atlas", res.output, cfg


def test_config_builds_every_map_asked_for(atlas):
    out, text, _ = atlas
    names = {p.name for p in out.iterdir()}
    assert "prevalensi_stunting_kota.html" in names and "persen_keluarga_berisiko_kota.html" in names
    assert "prevalensi_stunting_kec_02_kasemen.html" in names  # each kecamatan zoomed
    assert len([n for n in names if n.startswith("prevalensi_stunting_kec_") and n.endswith(".html")]) == 6
    for stem in ("prevalensi_stunting_kota_2021", "prevalensi_stunting_kota_2023", "prevalensi_stunting_kota_2021_2023"):
        assert f"{stem}.png" in names and f"{stem}.pdf" in names  # one static map per period, and the change
    assert {"peta_prioritas.html", "serang_gis.gpkg", "serang_gis_kelurahan.geojson", "serang_gis_kelurahan.qml"} <= names
    assert "Data 2021" in text and "Data 2023" in text


def test_period_switcher_and_change_layer(atlas):
    out, _, _ = atlas
    html = (out / "prevalensi_stunting_kota.html").read_text(encoding="utf-8")
    payload = read_payload(html)
    grouped = [layer for layer in payload["layers"] if layer.get("group") == "prevalensi_stunting"]
    assert [layer["name"] for layer in grouped] == ["Prevalensi stunting 2023", "Prevalensi stunting 2021",
                                                     "Perubahan Prevalensi stunting 2021 → 2023"]
    assert [layer["show"] for layer in grouped] == [True, False, False]
    change = grouped[-1]["classes"]
    assert change["breaks"][0] < 0 < change["breaks"][-1] and len(change["colors"]) == 7  # diverging around zero
    assert grouped[0]["classes"]["breaks"] == grouped[1]["classes"]["breaks"]  # one set of classes: periods compare


def test_index_has_thumbnails_table_and_match_report(atlas):
    out, _, _ = atlas
    html = (out / "index.html").read_text(encoding="utf-8")
    thumbs = re.findall(r'<img src="([^"]+)"', html)
    assert thumbs and all((out / t).exists() for t in thumbs)
    assert 'id="sg-table"' in html and html.count("<tr><td data-key=") == 67
    assert "menurut nama 65, mirip 2" in html and "sasaran_2023.xlsx [Data Sasaran]: agregat" in html  # the page's language
    for href in re.findall(r'href="([^"]+)"', html):
        assert (out / href).exists(), href


def test_the_index_shows_one_count_column_when_the_users_counts_are_the_reported_ones(atlas, tmp_path):
    """The user's counts stand in for the reported ones (the same numbers): the planner saw two equal columns."""
    import pandas as pd

    out, _, _ = atlas
    kel = pd.read_csv(out / "kelurahan.csv")
    assert kel["stunting_dilaporkan"].fillna(-1).equals(kel["balita_stunting"].fillna(-1))  # the premise: equal throughout
    table = (out / "index.html").read_text(encoding="utf-8").split('id="sg-table"')[1].split("</thead>")[0]
    assert ">Balita stunting" in table and "dilaporkan" not in table
    default = tmp_path / "default"
    assert run_cli("build", "-o", default, "-q").exit_code == 0  # the embedded reported counts alone: their column stays
    head = (default / "index.html").read_text(encoding="utf-8").split('id="sg-table"')[1].split("</thead>")[0]
    assert "dilaporkan" in head


def test_two_runs_give_identical_bytes(atlas, tmp_path):
    out, _, cfg = atlas
    res = CliRunner().invoke(cli, ["build", "--config", str(cfg), "-o", str(tmp_path / "again"), "--quiet"])
    assert res.exit_code == 0 and res.output == ""
    first = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        assert (out / rel).read_bytes() == (tmp_path / "again" / rel).read_bytes(), rel


@pytest.mark.parametrize("extra, message", [
    ("[maps2]\nx = 1", "maps2: unknown key"),
    ("", None),
])
def test_unknown_top_level_key(tmp_path, serang_path, extra, message):
    cfg = _write_config(tmp_path, serang_path, extra)
    if message is None:
        assert load_config(cfg).indicators == ("prevalensi", "persen_keluarga_berisiko")
    else:
        with pytest.raises(InputError, match=message):
            load_config(cfg)


@pytest.mark.parametrize("old, new, message", [
    ('scopes = ["kota", "kecamatan"]', 'scopes = ["kota", "desa"]', r"maps\.scopes\[1\]: 'desa'"),
    ('path = "sasaran_2023.xlsx"', 'path = "hilang.xlsx"', r"data\[1\]\.path: 'hilang\.xlsx': no such file"),
    ('change = [["2021", "2023"]]', 'change = [["2021", "2024"]]', r"maps\.change\[0\]: no \[\[data\]\] has period '2024'"),
    ("draws = 200", 'draws = "banyak"', r"rank\.draws: 'banyak' is not a whole number"),
    ("static = true", "statis = true", r"maps\.statis: unknown key"),
    ('lang = "id"', 'lang = "jv"', r"lang: 'jv'"),
])
def test_config_errors_name_the_key(tmp_path, serang_path, old, new, message):
    cfg = _write_config(tmp_path, serang_path)
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_config(cfg)
    res = CliRunner().invoke(cli, ["build", "--config", str(cfg)])
    assert res.exit_code == 1 and "Traceback" not in res.output and not (tmp_path / "atlas").exists()


def test_one_table_without_period(tmp_path, serang_path):
    F.write_messy_xlsx(tmp_path / "s.xlsx", F.truth_aggregate(), wrong_row=False)
    cfg = tmp_path / "a.toml"
    cfg.write_text(f'[boundaries]\npath = "{serang_path}"\n[[data]]\npath = "s.xlsx"\n'
                   '[maps]\nindicators = ["prevalensi", "balita_stunting"]\nscheme = "quantiles"\nk = 4\n', encoding="utf-8")
    res = CliRunner().invoke(cli, ["build", "--config", str(cfg), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "out" / "prevalensi_stunting_kota.html").read_text(encoding="utf-8")
    payload = read_payload(html)
    assert len(payload["layers"][0]["classes"]["colors"]) == 4
    assert (tmp_path / "out" / "prevalensi_stunting_kota.png").exists()
    assert (tmp_path / "out" / "balita_stunting_kota.png").exists()  # counts: outlines only, circles in the HTML map


@pytest.mark.parametrize("section, share, city", [
    ("", 0.8, None),
    ('[periods]\ncomplete_share = 0.6\ncity = "2023"', 0.6, "2023"),
    ('[periods]\ncomplete_share = 1\ncity = "2024-08"', 1.0, "2024-08"),
    ('[periods]\ncity = "auto"', 0.8, None),
    ("[periods]\ncity = 2023\ncomplete_share = 0.05", 0.05, "2023"),
])
def test_periods_section_is_read(tmp_path, section, share, city):
    cfg = tmp_path / "atlas.toml"
    cfg.write_text(section, encoding="utf-8")
    config = load_config(cfg)
    assert config.periods_complete_share == share and isinstance(config.periods_complete_share, float)
    assert config.periods_city == city


@pytest.mark.parametrize("section, message", [
    ("periods = 0.8", r"periods: 0\.8 is not a table"),
    ("[periods]\nshare = 0.8", r"periods\.share: unknown key"),
    ("[periods]\ncomplete_share = 0", r"periods\.complete_share: 0 is not above 0 and at most 1"),
    ("[periods]\ncomplete_share = 1.5", r"periods\.complete_share: 1\.5 is not above 0 and at most 1"),
    ("[periods]\ncomplete_share = -0.2", r"periods\.complete_share: -0\.2 is not above 0 and at most 1"),
    ('[periods]\ncomplete_share = "80%"', r"periods\.complete_share: '80%' is not a number"),
    ("[periods]\ncomplete_share = true", r"periods\.complete_share: True is not a number"),
    ("[periods]\ncomplete_share = nan", r"periods\.complete_share: nan is not a number"),
    ('[periods]\ncity = "kemarin"', r"periods\.city: period 'kemarin' is not understood"),
    ('[periods]\ncity = "2024-13"', r"periods\.city: period '2024-13': '2024-13' is not a date"),
    ('[periods]\ncity = ""', r"periods\.city: '' is not a period"),
    ("[periods]\ncity = 2023.5", r"periods\.city: 2023\.5 is not a period such as"),
    ('[periods]\ncity = ["2023"]', r"periods\.city: \['2023'\] is not a period such as"),
])
def test_periods_section_errors_name_the_key(tmp_path, section, message):
    cfg = tmp_path / "atlas.toml"
    cfg.write_text(section, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_config(cfg)
    res = CliRunner().invoke(cli, ["build", "--config", str(cfg), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1 and "Traceback" not in res.output and not (tmp_path / "out").exists()


@pytest.mark.parametrize("scheme", ["who", "quantiles", "natural_breaks", "equal_interval", "manual"])
def test_a_count_is_drawn_as_circles_under_every_scheme(serang_path, scheme):
    """The scheme classes the rates; a count's circle area is the count itself, whatever the scheme."""
    from serang_gis.plan.layers import indicator_plan

    kel = read_kelurahan(serang_path).kelurahan
    kel["balita_stunting"] = [float(i % 9) for i in range(len(kel))]
    p = indicator_plan(kel, "balita_stunting", scheme=scheme, k=4, bins=(2, 4, 6) if scheme == "manual" else None)
    assert p.main.kind == "circles" and p.main.max_value == 8.0


def _qml_fills(text):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text.split("\n", 1)[1])
    out = []
    for r in root.iter("rule"):
        sym = root.find(f".//symbols/symbol[@name='{r.get('symbol')}']")
        fill = [p.get("v") for p in sym.iter("prop") if p.get("k") == "color"]
        kind = sym.find("layer").get("class")
        color = "#%02x%02x%02x" % tuple(int(x) for x in fill[0].split(",")[:3]) if kind == "SimpleFill" and fill else None
        out.append((r.get("label"), color if kind == "SimpleFill" else "hatch"))
    return out


@pytest.fixture(scope="module")
def count_atlas(tmp_path_factory, serang_path):
    tmp = tmp_path_factory.mktemp("cnt")
    cfg = _write_config(tmp, serang_path)
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        'indicators = ["prevalensi", "persen_keluarga_berisiko"]',
        'indicators = ["prevalensi", "persen_keluarga_berisiko", "balita_stunting"]\nscheme = "natural_breaks"\nk = 4')
        .replace("static = true", "static = false"), encoding="utf-8")
    res = CliRunner().invoke(cli, ["build", "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    return tmp / "atlas"


def _payload(path):
    return read_payload(path.read_text(encoding="utf-8"))


def test_config_atlas_geopackage_styles_every_map_as_its_html_legend(count_atlas):
    import pyogrio

    gpkg = count_atlas / "serang_gis.gpkg"
    styles = pyogrio.read_dataframe(gpkg, layer="layer_styles").set_index("f_table_name")
    checked = []
    for page in ("prevalensi_stunting_kota.html", "persen_keluarga_berisiko_kota.html", "peta_prioritas.html",
                 "prevalensi_stunting_per_kecamatan.html", "persen_keluarga_berisiko_per_kecamatan.html"):
        per_kec = "per_kecamatan" in page
        for layer in _payload(count_atlas / page)["layers"]:
            if layer["type"] not in ("choropleth", "categorical") or layer["field"].startswith("_"):
                continue
            named = [n for n in styles.index[styles["styleName"] == layer["name"]]
                     if n.startswith("peta_") and n.endswith("_kecamatan") == per_kec] or [f"peta_{layer['field']}"]
            assert len(named) == 1, (page, layer["name"], named)  # the map's own layer, by its title (ODF: its field)
            name = named[0]
            assert name in styles.index, (page, name)
            assert "kelas_peta" in pyogrio.read_info(gpkg, layer=name)["fields"]
            html = [(it["label"], it["color"] if it["kind"] == "fill" else "hatch") for it in layer["legend"]["items"]]
            assert _qml_fills(styles.at[name, "styleQML"]) == html, name
            checked.append(name)
    # family risk, the other period and the change map among them, each with its own style
    for name in ("peta_persen_keluarga_berisiko_2021", "peta_persen_keluarga_berisiko_2023", "peta_persen_keluarga_berisiko_2021_2023",
                 "peta_prevalensi_stunting_2021", "peta_prevalensi_stunting_2021_2023", "peta_prioritas",
                 "peta_persen_keluarga_berisiko_2023_kecamatan"):
        assert name in checked


def test_config_atlas_count_points_for_every_period_on_the_html_scale(count_atlas):
    import xml.etree.ElementTree as ET

    import pyogrio

    gpkg = count_atlas / "serang_gis.gpkg"
    styles = pyogrio.read_dataframe(gpkg, layer="layer_styles").set_index("f_table_name")
    kel = pyogrio.read_dataframe(gpkg, layer="kelurahan")
    circles = [x for x in _payload(count_atlas / "balita_stunting_kota.html")["layers"] if x["type"] == "circles"][0]
    for period in ("", "_2021", "_2023"):
        name = f"balita_stunting_titik{period}"
        col = "balita_stunting" + period.replace("_", "__")
        pts = pyogrio.read_dataframe(gpkg, layer=name)
        assert len(pts) == kel[col].notna().sum() and (pts.set_index("kode_kel")[col] == kel.set_index("kode_kel")[col].dropna()).all()
        root = ET.fromstring(styles.at[name, "styleQML"].split("\n", 1)[1])
        legend = [(float(c.get("size")), c.get("label")) for c in root.iter("class")]
        # the same reference circles as the HTML map, on one scale for every period
        assert [float(lab.split()[0].replace(".", "")) for _, lab in legend] == circles["refs"]
        assert legend[0][0] == pytest.approx(13.0)
        assert legend[1][0] / legend[0][0] == pytest.approx(circles["legend"]["items"][1]["size"] / circles["legend"]["items"][0]["size"], rel=1e-4)


def test_change_of_an_indicator_missing_in_one_period_is_skipped_with_a_note(tmp_path, serang_path):
    """Families only in the later table: their change map is skipped and said (both languages), the others built."""
    truth = F.truth_aggregate(1)
    lines = ["Kode Wilayah,Jumlah Balita Diukur,Balita Sangat Pendek,Balita Pendek"]
    lines += [f"{k},{v['balita_diukur'] or ''},{v['sangat_pendek'] or ''},{v['pendek'] or ''}" for k, v in truth.items()]
    (tmp_path / "gizi_2021.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    F.write_messy_xlsx(tmp_path / "sasaran_2023.xlsx", F.truth_aggregate(2), wrong_row=False, year="2023")
    for lang, words in (("id", "peta perubahan Keluarga berisiko"), ("en", "change map Families at risk")):
        cfg = tmp_path / f"{lang}.toml"
        cfg.write_text(f'lang = "{lang}"\n[boundaries]\npath = "{serang_path}"\n'
                       '[[data]]\npath = "gizi_2021.csv"\nperiod = "2021"\n[[data]]\npath = "sasaran_2023.xlsx"\nperiod = "2023"\n'
                       '[maps]\nindicators = ["prevalensi", "persen_keluarga_berisiko"]\nscopes = ["kota"]\n'
                       'change = [["2021", "2023"]]\nstatic = false\n', encoding="utf-8")
        out = tmp_path / f"out_{lang}"
        res = CliRunner().invoke(cli, ["build", "--config", str(cfg), "-o", str(out)])
        assert res.exit_code == 0, res.output
        said = res.stderr if hasattr(res, "stderr_bytes") and res.stderr_bytes is not None else res.output
        assert words.lower() in said.lower() and "2021" in said.split(words.split()[0])[-1][:200], said
        grouped = [layer["name"] for layer in read_payload((out / "prevalensi_stunting_kota.html").read_text(encoding="utf-8"))["layers"]]
        assert any("2021 → 2023" in n for n in grouped)  # the other change map is built
        fam = [layer["name"] for layer in read_payload((out / "persen_keluarga_berisiko_kota.html").read_text(encoding="utf-8"))["layers"]]
        assert fam and not any("→" in n for n in fam)


def test_an_indicator_whose_table_is_not_given_is_skipped_with_a_note_and_a_typo_still_stops(tmp_path, serang_path):
    """Walk fault 2: families at risk listed in [maps] but no families table: the other maps are built, the note names
    the missing columns and the config line; a name the package does not know still stops the build."""
    truth = F.truth_aggregate(1)
    lines = ["Kode Wilayah,Jumlah Balita Diukur,Balita Sangat Pendek,Balita Pendek"]
    lines += [f"{k},{v['balita_diukur'] or ''},{v['sangat_pendek'] or ''},{v['pendek'] or ''}" for k, v in truth.items()]
    (tmp_path / "gizi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for lang, words in (("id", 'peta Keluarga berisiko stunting dilewati: "persen_keluarga_berisiko" ada di indicators bagian [maps]'),
                        ("en", 'map of Families at risk of stunting skipped: "persen_keluarga_berisiko" is in the indicators of the config\'s [maps]')):
        cfg = tmp_path / f"{lang}.toml"
        cfg.write_text(f'lang = "{lang}"\n[boundaries]\npath = "{serang_path}"\n[[data]]\npath = "gizi.csv"\nperiod = "2023"\n'
                       '[maps]\nindicators = ["prevalensi", "persen_keluarga_berisiko"]\nscopes = ["kota"]\nstatic = false\n',
                       encoding="utf-8")
        out = tmp_path / f"out_{lang}"
        res = run_cli("build", "--config", cfg, "-o", out)
        assert res.exit_code == 0, res.output
        said = " ".join(res.output.split())
        assert words in said and '"Jumlah Keluarga", "Jumlah Keluarga Berisiko Stunting"' in said, said
        assert said.count("persen_keluarga_berisiko") == 2  # said once (no second change or layer note)
        assert (out / "prevalensi_stunting_kota.html").exists() and not list(out.glob("persen_keluarga_berisiko*"))
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('"persen_keluarga_berisiko"', '"persen_keluarga_beresiko"'), encoding="utf-8")
    res = run_cli("build", "--config", cfg, "-o", tmp_path / "typo")
    assert res.exit_code != 0 and "persen_keluarga_beresiko" in res.output and "Traceback" not in res.output
    res = run_cli("build", "--config", tmp_path / "id.toml", "-o", tmp_path / "strict", "--strict")  # a skipped map stops
    assert res.exit_code == 1 and "Traceback" not in res.output, res.output
    said = " ".join(res.output.split())
    assert '--strict: map of Families at risk of stunting skipped' in said and '"Jumlah Keluarga Berisiko Stunting"' in said, said
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").iterdir())


def test_a_config_table_may_add_up_two_rows_for_one_kelurahan(tmp_path, serang_path):
    """Walk adv12 M3: two rows for one kelurahan stopped `build --config` with the hint "pass --sum-duplicates", an option
    `build` does not have and no config key gave: [[data]] sum_duplicates = true now adds their counts, as join's does."""
    (tmp_path / "d.csv").write_text("Kecamatan;Desa/Kelurahan;Jumlah Balita Diukur;Balita Pendek;Balita Sangat Pendek\n"
                                    "Serang;Cipare;100;5;2\nCurug;Sukawana;80;4;1\nSerang;Cipare;50;1;1\n", encoding="utf-8")
    base = f'region = "36.73"\n[boundaries]\npath = "{serang_path}"\n[[data]]\npath = "d.csv"\nperiod = "2024"\n'
    (tmp_path / "a.toml").write_text(base, encoding="utf-8")
    res = run_cli("build", "--config", tmp_path / "a.toml", "-o", tmp_path / "a")
    assert res.exit_code == 1 and "rows 2, 4 are all kelurahan" in res.output, res.output
    assert "sum_duplicates = true in the atlas config's [[data]]" in res.output and not (tmp_path / "a").exists()
    (tmp_path / "b.toml").write_text(base + "sum_duplicates = true\n", encoding="utf-8")
    res = run_cli("build", "--config", tmp_path / "b.toml", "-o", tmp_path / "b")
    assert res.exit_code == 0, res.output
    import pandas as pd

    kel = pd.read_csv(tmp_path / "b" / "kelurahan.csv", dtype={"kode_kel": str}, encoding="utf-8-sig").set_index("kelurahan")
    assert kel.at["Cipare", "balita_diukur"] == 150 and kel.at["Cipare", "balita_stunting"] == 5 + 2 + 1 + 1
    (tmp_path / "c.toml").write_text(base + 'sum_duplicates = "ya"\n', encoding="utf-8")
    res = run_cli("build", "--config", tmp_path / "c.toml", "-o", tmp_path / "c")
    assert res.exit_code != 0 and "data[0].sum_duplicates: 'ya' is not true or false" in res.output, res.output
