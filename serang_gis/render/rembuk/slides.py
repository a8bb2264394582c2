"""The slides of ``bahan_paparan.pdf``: one message per slide (what changed, where, who acts where, what
is missing), each with its map or table, from the same facts as the report (``facts``).

Each title states the slide's finding as a sentence (how many kelurahan, which, how many lokus by strength),
read from the plan's own classes and columns; the maps are drawn for the slide (``figures``: 16:9, their one
legend inside the image, in the pack's language) and fill most of it."""

from __future__ import annotations

import pandas as pd

from serang_gis.core.numbers import count
from serang_gis.core.text import indicator_label, t
from serang_gis.render.rembuk import facts, meeting

NAMES = 4  # kelurahan named in a title before "and n more"


def slides(plan, maps, miss, draw, images, lang: str) -> list[dict]:
    """``draw(map_shown)``: the slide's PNG of a map (``figures.draw`` at slide size); ``images``: its name for Typst."""
    city = [m for m in maps if m.kecamatan is None]
    out = [_changed(city, miss, draw, images, lang, meeting.gizi_periods(plan))]  # "finding": the report's summary
    for topic in facts.TOPICS:  # where: the city period of each topic, one map a slide
        shown = next((m for m in city if m.topic == topic and m.show and not m.change), None)
        if shown is not None:
            title, names = where(shown, topic, lang)
            out.append({"title": title, "subtitle": _subtitle(shown), "blocks": [_map(shown, draw, images, names)],
                        "finding": title != t(lang, f"rpdf.topic.{topic}")})
    out += _lokus(plan, lang) + _who(plan, lang)
    two = plan.two_numbers
    out.append({"title": t(lang, "rpdf.s.two_title" if two else "rpdf.s.two"), "blocks": [{"t": "p", "text": two} if two else
                                                          {"t": "notice", "text": t(lang, "rpdf.two_missing", why=t(lang, "rpdf.why.two"))}]})
    out.append({"title": meeting.headline(plan, lang), "blocks": [{"t": "list", "items": miss} if miss else {"t": "p", "text": t(lang, "rpdf.nothing_missing")}]})
    return out


def _map(shown, draw, images, names: list[str] | None = None) -> dict:
    """The slide's map: the image alone (its legend inside it, the kelurahan the title names labelled), its caveats
    (when it has any) and its source under it as text."""
    return {"t": "map", "image": images(draw(shown, names=names or [])), "caveats": shown.caveats, "source": shown.source}


def _subtitle(shown) -> str:
    sub = str(shown.static.subtitle or "") if shown.static is not None else ""
    return f"{shown.title} · {sub}" if sub and sub not in shown.title else shown.title


def _names(names: list[str], lang: str) -> str:
    more = len(names) - NAMES
    said = ", ".join(names[:NAMES])
    return said + (t(lang, "rpdf.s.and_more", n=count(more, lang)) if more > 0 else "")


def where_title(shown, topic: str, lang: str) -> str:
    return where(shown, topic, lang)[0]


def where(shown, topic: str, lang: str) -> tuple[str, list[str]]:
    """The finding of a city map: the kelurahan in the highest class any is in (a choropleth), how many in each
    category (ODF status), or where the most are (circles); and the kelurahan the title names (labelled on the map)."""
    layer, frame = shown.static.layer, shown.static.frame
    label = t(lang, f"rpdf.topic.{topic}")
    if layer.kind == "circles":
        values = pd.to_numeric(frame[layer.column], errors="coerce")
        if not values.notna().any():
            return label, []
        top = frame.loc[values.idxmax()]
        name = str(top.get("kelurahan", top.get("kecamatan", "")))
        when = facts.map_when(shown, lang)  # the period and, for the package's news-based counts, that they are provisional
        key = "rpdf.s.most_when" if when else "rpdf.s.most"
        return t(lang, key, topic=label, when=when, name=name, n=count(values.max(), lang), unit=layer.unit), [name]
    units = [str(n) for n in frame.get("kelurahan", frame.get("kecamatan", pd.Series(dtype=object)))]
    index = [int(i) for i in (layer.index if layer.index is not None else [])]
    if layer.kind == "categorical" and index:  # e.g. ODF status: how many kelurahan in each category
        parts = [f"{count(index.count(k), lang)} {name}" for k, (_, _, name) in enumerate(layer.categories) if index.count(k)]
        return t(lang, "rpdf.s.categories", topic=label, parts=", ".join(parts)), []
    if layer.kind != "choropleth" or layer.classes is None or not any(i >= 0 for i in index):
        return label, []
    k = max(index)  # the highest class any kelurahan is in; its kelurahan named highest value first
    values = pd.to_numeric(frame[layer.column], errors="coerce").to_numpy() if layer.column in frame else [0.0] * len(units)
    top = sorted((-float(v) if v == v else 0.0, n) for n, i, v in zip(units, index, values) if i == k)
    names = [n for _, n in top]
    said = t(lang, "rpdf.s.top_class", topic=label, n=count(len(names), lang), cls=layer.classes.labels[k], names=_names(names, lang))
    return said, names[:NAMES]


def _changed(city, miss, draw, images, lang: str, periods: list[str]) -> dict:
    """The change map, or why there is none (one period, none asked for, none drawable): never a blank slide."""
    change = next((m for m in city if m.change and m.topic == "prevalensi"), None) or next((m for m in city if m.change), None)
    if change is None:
        said = [x for x in miss if x.startswith(t(lang, "rpdf.miss.second_period", period="").split("(")[0])]
        if len(periods) >= 2:  # two periods, no change map asked for: say how to ask
            said = [meeting.no_change(periods, lang)]  # the same words as the last slide's list of what is missing
        said = said or miss[:1] or [t(lang, "rpdf.s.no_change_map")]
        return {"title": t(lang, "rpdf.s.no_change_title"), "blocks": [{"t": "notice", "text": x} for x in said]}
    values = pd.to_numeric(change.static.frame[change.static.layer.column], errors="coerce")
    title = t(lang, "rpdf.s.changed_n", up=count(int((values > 0).sum()), lang), down=count(int((values < 0).sum()), lang))
    return {"title": title, "subtitle": change.title, "blocks": [_map(change, draw, images)], "finding": True}


# the 16:9 page (Typst "presentation-16-9") less its margins, in points; the text sizes of templates/paparan.typ
PAGE_W, PAGE_H = 841.89 - 2 * 0.8 * 72 / 2.54, 473.56 - 1.7 * 72 / 2.54
TITLE_PT, SUB_PT, TABLE_PT = 24, 14, 16  # a title from the back of the room: >= 24 pt
EM = 0.5  # a character's mean width in em (Libertinus Serif, with room to spare)


def _lines(text: str, width: float, size: float, measured: dict | None = None) -> int:
    """Lines a text takes in a box ``width`` points wide at ``size`` points, words kept whole: by the words' widths
    ``measured`` by Typst (``_measure``: word -> points, " " the space), else roughly by characters."""
    if measured:
        lines, used, space = 1, 0.0, measured[" "]
        for word in str(text).split():
            w = measured.get(word, len(word) * size * EM)
            if used and used + space + w > width:
                lines, used = lines + 1, 0.0
            used += (space if used else 0.0) + w
        return lines
    per = max(1, int(width / (size * EM)))
    lines, used = 1, 0
    for word in str(text).split():
        if used and used + 1 + len(word) > per:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + len(word)
    return lines


MEASURE = """#let ws = json("w.json")
#let m(w, b) = measure(text(font: "Libertinus Serif", size: {size}pt, weight: b, w)).width.pt()
#context [#metadata((ws.map(w => m(w, "regular")), ws.map(w => m(w, "bold")), m("a a", "bold") - m("aa", "bold"))) <w>]
"""


def _measure(texts) -> tuple[dict, dict]:
    """Each word of ``texts`` measured by Typst in the slides' font at ``TABLE_PT`` (one query, some 20 ms): regular
    and bold widths in points, the space under " "."""
    import json
    import tempfile
    from pathlib import Path

    import typst

    words = sorted({w for x in texts for w in str(x).split()})
    with tempfile.TemporaryDirectory() as d:
        Path(d, "w.json").write_text(json.dumps(words), encoding="utf-8")
        Path(d, "m.typ").write_text(MEASURE.replace("{size}", str(TABLE_PT)), encoding="utf-8")
        got = typst.query(str(Path(d, "m.typ")), "<w>", field="value", one=True, root=d, ignore_system_fonts=True)
    regular, bold, space = json.loads(got) if isinstance(got, str) else got
    return dict(zip(words, regular), **{" ": space}), dict(zip(words, bold), **{" ": space})


def _row_height(cells, widths: list[float], measured: dict | None = None) -> float:
    """A table row's height in points at ``TABLE_PT``: its tallest cell's lines and the cell's inset."""
    total = sum(widths) or 1
    n = max(_lines(c, w / total * PAGE_W - 0.6 * TABLE_PT, TABLE_PT, measured) for c, w in zip(cells, widths))
    return (0.65 + 1.3 * (n - 1) + 0.6) * TABLE_PT + 1


def _chunks(title: str, table: dict, lang: str, subtitle: str | None = None, twin: dict | None = None) -> list[dict]:
    """A table over as many slides as it needs at ``TABLE_PT`` (the header repeated), the rows shared evenly so
    that each slide is about as full as the others and the last is not a stub. ``twin``: the same table in the other
    language (``title``, ``columns``, ``rows`` in the same order, ``subtitle``): each row and heading is measured in
    both and the taller kept, so that the Indonesian and English decks break at the same rows."""
    rows, widths = table["rows"], table.get("widths") or [1] * len(table["columns"])
    versions = [(title, table["columns"], rows, subtitle)] + ([(twin["title"], twin["columns"], twin["rows"], twin.get("subtitle"))]
                                                             if twin and len(twin["rows"]) == len(rows) else [])
    regular, bold = _measure([c for v in versions for row in [v[1]] + list(v[2]) for c in row])
    heads = max(_heads(v[0], v[3]) + _row_height(v[1], widths, bold) for v in versions)
    room = 0.97 * (PAGE_H - heads)
    heights = [max(_row_height(v[2][i], widths, regular) for v in versions) for i in range(len(rows))]
    pages = 1 + sum(1 for _ in _breaks(heights, room))  # how many slides at the fullest
    target = min(room, sum(heights) / pages + max(heights, default=0) / 2)  # then fill them evenly
    parts, start = [], 0
    for end in list(_breaks(heights, target)) + [len(rows)]:
        parts.append(rows[start:end])
        start = end
    parts = [x for x in parts if x] or [[]]
    if len(parts) > pages:  # filling evenly overshot: the fullest split
        parts, start = [], 0
        for end in list(_breaks(heights, room)) + [len(rows)]:
            parts.append(rows[start:end])
            start = end
    out = []
    for i, part in enumerate(parts, 1):
        name = title if i == 1 else t(lang, "rpdf.continued", title=title, i=i, n=len(parts))  # the first page: the title alone
        out.append({"title": name, "blocks": [dict(table, rows=part)], **({"subtitle": subtitle} if subtitle else {}),
                    **({"continued": True} if i > 1 else {})})
    return out


def _heads(title: str, subtitle: str | None) -> float:
    """The points a table slide's title (as on a continuation slide, the longest) and subtitle take."""
    heads = TITLE_PT * 1.3 * _lines(title + " (lanjutan 9/9)", PAGE_W, TITLE_PT) + 12
    return heads + (SUB_PT * 1.3 * _lines(subtitle, PAGE_W, SUB_PT) + 8 if subtitle else 0)


def twin_lang(lang: str) -> str:
    """The pack's other language (the decks are paginated alike in both)."""
    return "en" if lang == "id" else "id"


def _breaks(heights: list[float], room: float):
    """The row indexes where a new slide starts when each holds at most ``room`` points of rows (at least one row)."""
    used = 0.0
    for i, h in enumerate(heights):
        if used and used + h > room:
            yield i
            used = 0.0
        used += h


def lokus_count(plan, lang: str) -> str:
    """How many lokus the rank proposes, by strength, and against last year's list (when one was given)."""
    kel = plan.units.kelurahan
    status = kel["status_lokus"].astype(object) if "status_lokus" in kel.columns else pd.Series("", index=kel.index)
    kuat, border = status.eq("lokus kuat"), status.eq("perbatasan")
    need = ~kel["dirangking"].fillna(True).astype(bool) if "dirangking" in kel.columns else pd.Series(False, index=kel.index)
    said = t(lang, "rpdf.s.lokus_n", n=count(int((kuat | border).sum()), lang), kuat=count(int(kuat.sum()), lang),
             border=count(int(border.sum()), lang), need=count(int(need.sum()), lang))
    last = plan.settings.lokus_name
    if last and "lokus" in kel.columns:
        was = kel["lokus"].fillna(False).astype(bool)
        said += t(lang, "rpdf.s.lokus_vs", last=last, same=count(int(((kuat | border) & was).sum()), lang),
                  new=count(int(((kuat | border) & ~was).sum()), lang), out=count(int((was & ~(kuat | border)).sum()), lang))
    return said


def _lokus(plan, lang: str) -> list[dict]:
    if not plan.analysed.ranked:
        return [{"title": t(lang, "rpdf.s.lokus"), "blocks": [{"t": "notice", "text": t(lang, "rpdf.miss.rank")}]}]
    cols, rows, other = _lokus_rows(plan, lang)
    widths = [3, 2.8, 3.4, 2.2, 2.2, 2.2, 5.8][:len(cols)]  # at 16 pt: "Peringkat" whole, "bukan lokus → lokus kuat" on one line
    table = {"t": "table", "columns": cols, "rows": rows, "widths": widths, "align": ["l", "l", "l", "r", "r", "r", "l"][:len(cols)]}
    how = facts.lokus_how(plan, lang)
    head = {"title": lokus_count(plan, lang), "blocks": [{"t": "p", "text": how}], "finding": True}
    tw = twin_lang(lang)
    cols2, rows2, other2 = _lokus_rows(plan, tw)  # measured too: both decks break at the same rows
    twin = {"title": t(tw, "rpdf.s.lokus_table", n=count(len(rows), tw)), "columns": cols2, "rows": rows2}
    out = [head] + _chunks(t(lang, "rpdf.s.lokus_table", n=count(len(rows), lang)), table, lang, twin=twin)  # how: on the head slide
    if other:  # last year's lokus left out and kelurahan needing data: their own, labelled table
        twin = {"title": facts.lokus_other_title(plan, len(other), tw), "columns": cols2, "rows": other2}
        return out + _chunks(facts.lokus_other_title(plan, len(other), lang), dict(table, rows=other), lang, twin=twin)
    return out


def _lokus_rows(plan, lang: str):
    """The report's lokus table (``facts.lokus_rows``) without its last-year "ya/tidak" column on a slide: the arrow
    column ("lokus → lokus kuat") says it, and one line a row is what makes the slides readable."""
    cols, rows, other = facts.lokus_rows(plan, lang)
    if len(cols) < 8:
        return cols, rows, other
    cut = lambda x: x[:6] + x[7:]  # noqa: E731
    return cut(cols), [cut(r) for r in rows], [cut(r) for r in other]


def _who(plan, lang: str) -> list[dict]:
    title = t(lang, "rpdf.s.who")
    got = facts.who_acts_rows(plan, lang)
    if got is None:
        return [{"title": title, "blocks": [{"t": "notice", "text": t(lang, "rembuk.miss_kegiatan")}]}]
    cols, rows, unreached = got
    table = {"t": "table", "columns": cols, "rows": rows, "widths": [2.5, 2.5, 1.5, 5, 3], "align": ["l", "l", "r", "l", "r"]}
    title = t(lang, "rpdf.s.who_n", reached=count(len(rows) - len(unreached), lang), n=count(len(rows), lang),
              given=facts.given_lokus(plan, lang))
    tw = twin_lang(lang)
    cols2, rows2, unreached2 = facts.who_acts_rows(plan, tw)
    twin = {"title": t(tw, "rpdf.s.who_n", reached=count(len(rows2) - len(unreached2), tw), n=count(len(rows2), tw),
                       given=facts.given_lokus(plan, tw)), "columns": cols2, "rows": rows2, "subtitle": t(tw, "rpdf.s.who_sub")}
    out = _chunks(title, table, lang, t(lang, "rpdf.s.who_sub"), twin=twin)
    out[0]["finding"] = not unreached  # all reached: the table's title is the finding (no slide of a caption alone)
    pagu = facts.pagu_headline(plan, lang)
    if pagu:  # the headline the terminal and the workbook give: a slide of its own
        items = pagu[1:] + _unlocated(plan, lang)  # the pagu left out of the share, said where the share is
        out.insert(0, {"title": facts.pagu_title(plan, lang), "blocks": [{"t": "notice", "text": pagu[0]}, {"t": "list", "items": items}],
                       "finding": True})
    prop = facts.proposed_reach_said(plan, lang)
    if prop:  # the lokus the atlas proposes (not only the list given): does an office reach them?
        out.insert(0, {"title": prop[0], "blocks": [{"t": "notice" if prop[2] else "p", "text": prop[1]}],
                       "finding": True})
    if unreached:  # the gap the meeting must close, first
        said = t(lang, "rpdf.s.unreached_n", n=count(len(unreached), lang), total=count(len(rows), lang),
                 given=facts.given_lokus(plan, lang))
        out.insert(0, {"title": said, "blocks": [{"t": "notice", "text": t(lang, "rpdf.s.unreached", names=", ".join(unreached))}], "finding": True})
    return unfunded(plan, lang) + out


def _unlocated(plan, lang: str) -> list[str]:
    """One line: the pagu of the activities whose Lokasi matched nothing, left out of the share (file and row each; the
    report's annex and the berita acara say why); [] when none."""
    konv = plan.analysed.konvergensi
    bad = konv.kegiatan[konv.kegiatan["lokasi_jenis"] == "tidak_cocok"] if konv is not None else None
    if bad is None or not len(bad):
        return []
    from serang_gis.core.numbers import rupiah

    rows = "; ".join(t(lang, "rpdf.s.unlocated_row", file=r.berkas, row=int(r.row)) for r in bad.head(5).itertuples())
    return [t(lang, "rpdf.s.unlocated", pagu=rupiah(float(pd.to_numeric(bad["pagu"]).sum()), lang), n=count(len(bad), lang),
              rows=rows + ("; ..." if len(bad) > 5 else ""))]


def unfunded(plan, lang: str) -> list[dict]:
    """The kelurahan of high need that no located pagu reaches (``facts.high_need_unreached``, the workbook's
    "Program vs Kesenjangan" flag): a slide of its own, before who acts where ([] when none or no class)."""
    rows = facts.high_need_unreached(plan.analysed.konvergensi)
    if rows.empty:
        return []
    names = ", ".join(f"{r['kelurahan']} ({r['kecamatan']})" for _, r in rows.iterrows())
    need = indicator_label(lang, plan.analysed.konvergensi.need).lower()
    return [{"title": t(lang, "rpdf.s.unfunded", n=count(len(rows), lang)), "finding": True,
             "blocks": [{"t": "notice", "text": names}, {"t": "p", "text": t(lang, "rpdf.s.unfunded_how", need=need)}]}]
