"""One language per page: the index's column titles, the match report and the paper checks in the page's language."""

import re

import pandas as pd
import pytest

from serang_gis import read_kelurahan
from serang_gis.read import reference
from serang_gis.join.tables import join_tables
from serang_gis.core.text import stored_text, t
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



def test_the_uncertainty_words_are_plain():
    """A planner reads the rank's uncertainty note (index "notes" heading, the build's terminal, the profile rows) in plain
    words: no statistician's names (issue 20 planner walk: "Catatan proses", "Galat Monte Carlo")."""
    from serang_gis.core.text import TEXT
    jargon = re.compile(r"Monte Carlo|Dirichlet|posterior|Catatan proses|Processing notes|\bgalat\b", re.I)
    for lang in ("id", "en"):
        bad = {k: v for k, v in TEXT[lang].items() if jargon.search(v)}
        assert not bad, bad
    note = t("id", "rank.sum_uncertainty", draws="2.000", more="", conc="20", seed=7, strong=3, border=5, top=20, mcse="0,011")
    assert "dihitung ulang 2.000 kali" in note and "tepat sampai ± 0,011" in note

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


# ---- the maps: one payload shape, the words of one language ---------------------------------------------------------


@pytest.fixture(scope="module")
def map_specs(tmp_path_factory, serang_path):
    """The default kelurahan and kecamatan maps and an indicator map (target, lokus, puskesmas), in both languages."""
    import datetime as dt

    from serang_gis.join.atlas import build_layers
    from serang_gis.render.leaflet.atlas import kecamatan_spec, kelurahan_spec
    from serang_gis.render.leaflet.indicator import indicator_spec

    tmp = tmp_path_factory.mktemp("lang")
    F.write_messy_xlsx(tmp / "s.xlsx", F.truth_aggregate(), wrong_row=False)
    kel = read_kelurahan(serang_path).kelurahan
    joined, _ = join_tables(kel, [read_table(tmp / "s.xlsx", period="2024")])
    layers = build_layers(read_kelurahan(serang_path), dt.date(2025, 10, 1))
    puskesmas = pd.DataFrame({"name": ["Puskesmas Kasemen"], "lat": [-6.03], "lon": [106.17]})
    makers = {"kelurahan": lambda lang: kelurahan_spec(layers, lang), "kecamatan": lambda lang: kecamatan_spec(layers, lang),
              "prevalensi": lambda lang: indicator_spec(joined, "prevalensi", target=14, lokus={"2022": F.lokus_flags(joined)},
                                                        puskesmas=puskesmas, lang=lang)}
    return {(name, lang): make(lang) for name, make in makers.items() for lang in ("id", "en")}, tmp


def _shape(x):
    """The keys of a payload at every level (values and plain lists stand as one mark)."""
    if isinstance(x, dict):
        return {k: _shape(v) for k, v in x.items()}
    if isinstance(x, list) and any(isinstance(v, (dict, list)) for v in x):
        return [_shape(v) for v in x]
    return "·"


def _words(text):
    return {w.lower() for w in re.findall(r"[^\W\d_]{4,}", re.sub(r"\{\w*\}", " ", text))}  # a text's words, not its {fields}


def test_english_and_indonesian_payloads_carry_the_same_keys(map_specs):
    specs, _ = map_specs
    for name in ("kelurahan", "kecamatan", "prevalensi"):
        p_id, p_en = specs[name, "id"].payload(), specs[name, "en"].payload()
        assert _shape(p_id) == _shape(p_en), name
        assert p_id["lang"] == "id" and p_en["lang"] == "en" and p_id["t"] != p_en["t"]
        assert set(p_id["t"]) == set(p_en["t"])  # only the words the runtime shows itself
        assert all(layer.get("legend") for layer in p_en["layers"] if layer["type"] != "labels")  # every legend made in Python


@pytest.mark.browser
def test_no_word_of_the_other_language_on_a_page(map_specs, browser, serang_path):
    """What a reader sees (the page, every legend, every tooltip) carries no word the catalogue has in the other language only."""
    from serang_gis.core.text import TEXT

    specs, tmp = map_specs
    units = read_kelurahan(serang_path).kelurahan
    names = set().union(*map(_words, pd.concat([units["kelurahan"], units["kecamatan"]]).astype(str)))
    only_id = set().union(*map(_words, TEXT["id"].values())) - set().union(*map(_words, TEXT["en"].values()))
    only_en = set().union(*map(_words, TEXT["en"].values())) - set().union(*map(_words, TEXT["id"].values()))
    assert {"tidak", "legenda", "sumber", "lapisan"} <= only_id and {"toddlers", "legend", "search", "families"} <= only_en
    seen = """() => {
        sgAtlas.layers.forEach(l => sgAtlas.realize(l));  // every legend block, also of the layers not shown
        const tags = html => html.replace(/<[^>]+>/g, " ");
        const tips = [...Array(sgAtlas.n).keys()].map(i => tags(sgAtlas.tooltip(i, null)));
        const labels = [...document.querySelectorAll("[aria-label], [title], [placeholder]")]
            .filter(e => !e.closest(".leaflet-control-attribution"))  // Leaflet's credit, in its own words
            .map(e => ["aria-label", "title", "placeholder"].map(a => e.getAttribute(a) || "").join(" "));
        return [document.title, document.body.innerText, ...Object.values(sgAtlas.legendBlocks).map(b => tags(b.outerHTML)),
                ...tips, ...labels].join("\\n");
    }"""
    for (name, lang), spec in specs.items():
        path = spec.save(tmp / f"{name}_{lang}.html", offline=True)
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.sgAtlas !== undefined", timeout=15_000)
        text = page.evaluate(seen)
        page.close()
        other = (only_id if lang == "en" else only_en) - names  # a place called "Kota Baru" is a name, not a word
        assert sorted(_words(text) & other) == [], (name, lang)


# ---- whole atlases in Chromium: the index and the map pages read in one language, numbers of one quantity alike -----

OTHER_WORDS = {  # words of the other language a page must not show (data names and web addresses taken out first)
    "id": (" of ", "split", "city-wide", "matches", "row ", "equal", "matched", "uncertainty", "reached by", " office",
           "with fewer than", "aggregate", "reported 2", "table 1", "note:", "warning:", "boundaries:"),
    "en": (" dan ", "kelurahan dengan", "lokus kuat", "perbatasan", "tidak", "belum", "tanpa data", "dipindah", "diperingkat",
           "batas wilayah", "lisensi", "tabel dari", "agregat", "data sementara", "catatan:", "peringatan:", "peta kelurahan"),
}


@pytest.fixture(scope="module")
def atlases(tmp_path_factory, serang_path):
    """The default atlas and a config atlas (two periods, rank, activity matrix), each in Indonesian and English."""
    import datetime as dt

    from click.testing import CliRunner

    from serang_gis.cli.main import cli
    from serang_gis.pipeline import build_atlas

    from . import kegiatan_fixtures as K
    from .test_config_atlas import _write_config

    tmp, out, acts = tmp_path_factory.mktemp("atlases"), {}, K.make_activities()
    for lang in ("id", "en"):
        build_atlas(tmp / f"default_{lang}", boundaries=str(serang_path), static=False, lang=lang, as_of=dt.date(2025, 10, 1))
        out["default", lang] = tmp / f"default_{lang}"
        d = tmp / f"config_{lang}"
        d.mkdir()
        K.write_xlsx(d / "aksi2.xlsx", acts)
        cfg = _write_config(d, serang_path, '\n[[kegiatan]]\npath = "aksi2.xlsx"\n')
        cfg.write_text(cfg.read_text(encoding="utf-8").replace('lang = "id"', f'lang = "{lang}"').replace("static = true", "static = false"),
                       encoding="utf-8")
        res = CliRunner().invoke(cli, ["build", "--config", str(cfg)])
        assert res.exit_code == 0, res.output
        (d / "terminal.txt").write_text(res.output, encoding="utf-8")  # what the run printed (stdout and stderr)
        out["config", lang] = d / "atlas"
    data_names = {a.sub for a in acts} | {a.written_opd for a in acts}
    return out, data_names


_READ = """() => {
    const tags = h => h.replace(/<[^>]+>/g, " ");
    const parts = [document.title, document.body.innerText];
    const a = window.sgAtlas;
    if (a) {
        a.layers.forEach(l => a.realize(l));
        parts.push(...Object.values(a.legendBlocks).map(b => tags(b.outerHTML)));
        for (const i of Array(a.n).keys()) {
            parts.push(tags(a.tooltip(i, null)));
            const p = a.profile(i);
            parts.push(tags(typeof p === "string" ? p : p.outerHTML));
        }
    }
    return parts.join("\\n");
}"""


def _visible(browser, path) -> str:
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto(path.resolve().as_uri())
    if path.name != "index.html" and path.name != "matriks_lokus_opd.html":
        page.wait_for_function("window.sgAtlas !== undefined", timeout=15_000)
    text = page.evaluate(_READ)
    page.close()
    return text


@pytest.mark.browser
def test_every_atlas_page_reads_in_its_language(atlases, browser):
    out, data_names = atlases
    pages = ("index.html", "peta_kelurahan.html", "peta_prioritas.html", "prevalensi_stunting_kota.html", "peta_konvergensi.html",
             "matriks_lokus_opd.html")
    seen = checked = 0
    for (kind, lang), folder in out.items():
        for name in pages:
            if not (folder / name).exists():
                continue
            text = re.sub(r"https?://\S+|\S+\.(?:xlsx|csv|geojson|gpkg|qml|png|pdf|html)\b", " ", _visible(browser, folder / name))
            text = re.sub(r"Dinas [A-Z][^\t\n·–]*|Sinergitas dalam [^(\n]*", " ", text)  # office names and the paper's title
            for data in sorted(data_names, key=len, reverse=True):  # activity and office names are data, in their own words
                text = text.replace(data, " ")
            low = " " + re.sub(r"\s+", " ", text).lower() + " "
            found = [w for w in OTHER_WORDS[lang] if w in low]
            assert not found, (kind, lang, name, [low[max(0, low.index(w) - 80):low.index(w) + 60] for w in found])
            seen += 1
            if lang == "id":  # one formatter, fixed decimals: a prevalence always reads "12,3 %", never "12 %" beside "12,3 %"
                why = re.escape(t("id", "rank.penjelasan"))  # its "Prevalensi stunting 65 %" is a share of the score, not a prevalence
                plain = re.sub(why + r"\s+[^\n]*?(?=\s{3}|\n|$)", " ", text)
                shares = re.findall(r"(?<!; )Prevalensi stunting(?: \d{4})?\s+(\d+(?:,\d+)?) %(?!;)", plain)
                assert len({len(s.partition(",")[2]) for s in shares}) <= 1, (kind, name, sorted(set(shares))[:10])
                checked += len(shares)
    assert seen >= 12 and checked > 100


def test_the_index_table_gives_each_column_one_number_of_decimals():
    table = pd.DataFrame({"kode_kel": ["a", "b", "c"], "kelurahan": ["A", "B", "C"], "prevalensi_stunting": [25.0, 26.0, 3.45],
                          "balita_stunting": [3, 0, 12], "nilai_contoh": [0.0, 25.0, 26.04]})
    html = render_index(title="Atlas", subtitle="", products=[], summary=[], checks=[], sources=[], lang="id", table=table)
    cells = re.findall(r"<td data-key=\"[^\"]*\"(?: class=\"num\")?>([^<]*)</td>", html)
    assert {"25,0", "26,0", "3,5"} <= set(cells) and "25" not in cells  # a prevalence at its one decimal
    assert {"0,0", "26,0"} <= set(cells)  # a column with a fraction anywhere: every row at one decimal


# ---- the index: a card for every map, titled in the page's language; blank cells say what the map says --------------


def _cards(html: str) -> dict[str, str]:
    """href -> the card's title, as the index shows it."""
    import html as h

    return {h.unescape(a): h.unescape(b).strip()
            for a, b in re.findall(r'<div class="card[^"]*"><a href="([^"]+)">(?:<img[^>]*><br>)?([^<]*)</a>', html)}


def test_every_map_has_a_card_titled_in_the_page_language(atlases):
    import html as h

    out, _ = atlases
    for (kind, lang), folder in out.items():
        index = (folder / "index.html").read_text(encoding="utf-8")
        cards = _cards(index)
        maps = {p.name for p in folder.glob("*.html")} - {"index.html"}
        assert {c for c in cards if c.endswith(".html")} == maps, (kind, lang, sorted(maps - set(cards)))  # peta_prioritas too, with or without a picture
        for name in maps - {"matriks_lokus_opd.html"}:  # a map's card carries the map's own title
            title = h.unescape(re.search(r"<title>([^<]*)</title>", (folder / name).read_text(encoding="utf-8")).group(1))
            assert cards[name] == title, (kind, lang, name)
        assert len(set(cards.values())) == len(cards)  # the matrix is not named like the convergence map
        if lang == "en":
            assert not [c for c in cards.values() if re.search(r"\b(peta|prevalensi|keluarga|matriks)\b", c, re.I)], cards
            assert cards["peta_kelurahan.html"] == t("en", "kel_title") and cards["peta_kecamatan.html"] == t("en", "kec_title")


def test_the_index_sources_read_in_the_page_language(atlases):
    out, _ = atlases
    for (kind, lang), folder in out.items():
        index = (folder / "index.html").read_text(encoding="utf-8")
        sources = re.search(r"<h2>" + re.escape(t(lang, "index.sources")) + r"</h2>\s*<ul>(.*?)</ul>", index, re.S).group(1)
        words = {"en": ("Batas wilayah", "lisensi", "tabel dari", ", periode"), "id": ("Boundaries", "licence", "tables of", ", period ")}
        assert not [w for w in words[lang] if w in sources], (kind, lang, sources[:400])
        assert t(lang, "attribution").split(":")[0] in sources


def test_a_blank_index_cell_says_what_the_map_says():
    table = pd.DataFrame({"kode_kel": ["a", "b"], "kelurahan": ["A", "B"], "status_odf": ["ODF deklarasi", None],
                          "peringkat": [1.0, None], "peringatan_data": ["hati-hati: 12 balita diukur (10-49)", None]})
    for lang in ("id", "en"):
        html = render_index(title="Atlas", subtitle="", products=[], summary=[], checks=[], sources=[], lang=lang, table=table)
        rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1], re.S)
        cells = [re.findall(r"<td data-key=\"([^\"]*)\"[^>]*>([^<]*)</td>", r) for r in rows]
        assert cells[1][2] == ("", t(lang, "no_data"))  # the ODF map's profile: "tidak ada data", not a blank
        assert cells[1][3] == ("", t(lang, "rank_unranked"))  # an empty rank: not ranked, as the map's profile says
        assert cells[1][4] == ("", "–")  # nothing to note
        assert cells[0][2][1] == stored_text(lang, "ODF deklarasi")


def test_the_priority_title_box_names_sources_short(atlases):
    """The title box says which sources by their short names (no raw web address); the full list, linked, folds out below."""
    import html as h

    from serang_gis.render.leaflet.packing import read_payload

    out, _ = atlases
    for lang in ("id", "en"):
        page = (out["config", lang] / "peta_prioritas.html").read_text(encoding="utf-8")
        sub = h.unescape(re.search(r'<div class="sg-title-sub">([^<]*)</div>', page).group(1))
        said = [sub] + [layer["subtitle"] for layer in read_payload(page)["layers"] if layer.get("subtitle")]
        for text in said:
            assert "http" not in text and len(text) <= 160, (lang, text)
        assert "sasaran_2023.xlsx" in sub and "bantenraya.co.id" in sub  # the user's table first, then the sites by name
        listed = re.search(r'<details class="sg-sources">(.*?)</details>', page, re.S).group(1)
        assert listed.count("https://") >= 5  # every address still there, in the folded list


@pytest.mark.browser
def test_the_priority_title_box_fits_at_desktop_size(atlases, browser):
    out, _ = atlases
    for lang in ("id", "en"):
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
        page.goto((out["config", lang] / "peta_prioritas.html").resolve().as_uri())
        page.wait_for_function("window.sgAtlas !== undefined", timeout=15_000)
        box = page.evaluate("() => { const r = document.querySelector('.sg-title').getBoundingClientRect(); return [r.height, r.width]; }")
        page.close()
        assert box[0] <= 130, (lang, box)  # title, one or two lines of sources, the folded list: not a wall of addresses


def test_the_terminal_reads_in_the_build_language(atlases):
    """One language per run: the summary, the notes and their prefix follow --lang (the config's lang), as the pages do."""
    out, data_names = atlases
    prefix = {"id": ("catatan:", "peringatan:"), "en": ("note:", "warning:")}
    for lang in ("id", "en"):
        text = (out["config", lang].parent / "terminal.txt").read_text(encoding="utf-8")
        other = "en" if lang == "id" else "id"
        assert text.count(prefix[lang][0]) >= 3 and not [p for p in prefix[other] if p in text], (lang, text)
        assert t(lang, "sum.matched") in text and t(lang, "sum.checks") in text and t(other, "sum.checks") not in text
        assert re.search(r"^  " + t(lang, "konv.sum_row") + r" ", text, re.M) and f"  {t(other, 'konv.sum_row')} " not in text
        plain = re.sub(r"https?://\S+|\S+\.(?:xlsx|csv|geojson|gpkg|qml|png|pdf|html|fgb|json|qgz)\b|/\S+", " ", text)
        plain = re.sub(r"Dinas [A-Z][^\t\n·–]*|Sinergitas dalam [^(\n]*", " ", plain)
        for data in sorted(data_names, key=len, reverse=True):
            plain = plain.replace(data, " ")
        low = " " + re.sub(r"\s+", " ", plain).lower() + " "
        found = [w for w in OTHER_WORDS[lang] if w in low]
        assert not found, (lang, [low[max(0, low.index(w) - 80):low.index(w) + 60] for w in found])


def test_stored_words_in_the_profiles_read_in_the_page_language(atlases):
    """keandalan_gizi ("cukup") and prioritas ("Prioritas 3") are stored in Indonesian; the English maps read them in English."""
    out, _ = atlases
    maps = ("prevalensi_stunting_kota.html", "peta_prioritas.html")
    id_pages = {m: (out["config", "id"] / m).read_text(encoding="utf-8") for m in maps}
    en_pages = {m: (out["config", "en"] / m).read_text(encoding="utf-8") for m in maps}
    assert all('"cukup"' in h and '"Prioritas 3"' in h for h in id_pages.values())  # the test has something to read
    for m, h in en_pages.items():
        shown = h.replace('"value":"Prioritas 3"', "")  # a category's key in the payload (its label is English) is no text
        for word in ('"cukup"', '"Prioritas 3"', '"hati-hati"'):
            assert word not in shown, (m, shown[max(0, shown.find(word) - 300):shown.find(word) + 40])
        assert '"adequate"' in h and '"Priority 3"' in h, m


def test_the_convergence_source_and_summary_row_read_in_english(atlases):
    out, _ = atlases
    en = {m: (out["config", "en"] / m).read_text(encoding="utf-8") for m in ("index.html", "peta_konvergensi.html")}
    idx = (out["config", "id"] / "peta_konvergensi.html").read_text(encoding="utf-8")
    assert "Matriks Aksi 2" in idx  # the Indonesian page names it
    for m, h in en.items():
        assert "Matriks Aksi 2" not in h, m
    assert "Aksi 2 activity matrix" in en["peta_konvergensi.html"]  # English keeps the programme's name "Aksi 2" (issue 22: one name in every product)
    assert "<th>Konvergensi</th>" not in en["index.html"] and ">Convergence<" in en["index.html"]


def test_every_profiles_rank_rows_name_the_period_ranked(atlases):
    """Planner walk 4: Prioritas / Skor / Peringkat / Peluang had no period in a kelurahan profile, while every indicator
    row had one; they now carry the period of the tables the rank was made of, as the priority map's title does."""
    from serang_gis.render.leaflet.packing import read_payload

    out, _ = atlases
    for lang in ("id", "en"):
        folder = out["config", lang]
        title = re.search(r"<title>([^<]*)</title>", (folder / "peta_prioritas.html").read_text(encoding="utf-8")).group(1)
        pages = [p for p in sorted(folder.glob("*.html")) if '"key":"peringkat"' in p.read_text(encoding="utf-8")]
        assert len(pages) >= 2, pages
        for page in pages:
            fields = {f["key"]: f for f in read_payload(page.read_text(encoding="utf-8"))["fields"]}
            ranked = [fields[k] for k in ("prioritas", "skor_prioritas", "peringkat", "peluang_top_n") if k in fields]
            if page.name == "peta_prioritas.html":
                ranked = ranked[1:]  # the map's own field: its period is in the title
            assert ranked, page.name
            for f in ranked:
                assert f.get("period") and f"({f['period']})" in f["label"] and f["period"] in title, (page.name, f)
