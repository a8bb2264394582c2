"""The slides of ``bahan_paparan.pdf``: one message per slide (what changed, where, who acts where, what
is missing), each with its map or table, from the same facts as the report (``facts``)."""

from __future__ import annotations

from serang_gis.core.text import t
from serang_gis.render.rembuk import facts, meeting

ROWS_PER_SLIDE = 12  # one-line rows at 12 pt on a 16:9 slide


def slides(plan, maps, miss, images, lang: str) -> list[dict]:
    city = [m for m in maps if m.kecamatan is None]
    out = [_changed(city, miss, images, lang, meeting.gizi_periods(plan))]
    for topic in facts.TOPICS:  # where: the city period of each topic, one map a slide
        shown = next((m for m in city if m.topic == topic and m.show and not m.change), None)
        if shown is not None:
            title = t(lang, "rpdf.s.where") if topic == "prevalensi" else t(lang, f"rpdf.topic.{topic}")
            out.append({"title": title, "subtitle": shown.title, "blocks": [shown.block(images(shown.png))]})
    out += _lokus(plan, lang) + _who(plan, lang)
    two = plan.two_numbers
    out.append({"title": t(lang, "rpdf.s.two"), "blocks": [{"t": "p", "text": two} if two else
                                                          {"t": "notice", "text": t(lang, "rpdf.two_missing", why=t(lang, "rpdf.why.two"))}]})
    out.append({"title": t(lang, "rpdf.s.missing"),
                "blocks": [{"t": "list", "items": miss} if miss else {"t": "p", "text": t(lang, "rpdf.nothing_missing")}]})
    return out


def _changed(city, miss, images, lang: str, periods: list[str]) -> dict:
    """The change map, or why there is none (one period, none asked for, none drawable): never a blank slide."""
    change = next((m for m in city if m.change and m.topic == "prevalensi"), None) or next((m for m in city if m.change), None)
    if change is None:
        said = [x for x in miss if x.startswith(t(lang, "rpdf.miss.second_period", period="").split("(")[0])]
        if len(periods) >= 2:  # two periods, no change map asked for: say how to ask
            said = [t(lang, "rpdf.s.no_change", periods=", ".join(periods), a=periods[-2], b=periods[-1])]
        said = said or miss[:1] or [t(lang, "rpdf.s.no_change_map")]
        return {"title": t(lang, "rpdf.s.changed"), "blocks": [{"t": "notice", "text": x} for x in said]}
    return {"title": t(lang, "rpdf.s.changed"), "subtitle": change.title, "blocks": [change.block(images(change.png))]}


def _chunks(title: str, table: dict, lang: str, subtitle: str | None = None, per: int = ROWS_PER_SLIDE) -> list[dict]:
    """A table over as many slides as it needs, ``per`` rows each, the header repeated."""
    rows = table["rows"]
    parts = [rows[i:i + per] for i in range(0, len(rows), per)] or [[]]
    out = []
    for i, part in enumerate(parts, 1):
        name = title if len(parts) == 1 else t(lang, "rpdf.continued", title=title, i=i, n=len(parts))
        out.append({"title": name, "blocks": [dict(table, rows=part)], **({"subtitle": subtitle} if subtitle else {})})
    return out


def _lokus(plan, lang: str) -> list[dict]:
    title = t(lang, "rpdf.s.lokus")
    if not plan.analysed.ranked:
        return [{"title": title, "blocks": [{"t": "notice", "text": t(lang, "rpdf.miss.rank")}]}]
    cols, rows = facts.lokus_rows(plan, lang)
    widths = [3, 3, 2, 2, 2, 1.6, 1.6, 3.5][:len(cols)]
    table = {"t": "table", "columns": cols, "rows": rows, "widths": widths, "align": ["l", "l", "l", "r", "r", "r", "l", "l"][:len(cols)]}
    return _chunks(title, table, lang, facts.lokus_how(plan.settings.lokus_name, lang))


def _who(plan, lang: str) -> list[dict]:
    title = t(lang, "rpdf.s.who")
    got = facts.who_acts_rows(plan, lang)
    if got is None:
        return [{"title": title, "blocks": [{"t": "notice", "text": t(lang, "rembuk.miss_kegiatan")}]}]
    cols, rows, unreached = got
    table = {"t": "table", "columns": cols, "rows": rows, "widths": [2.5, 2.5, 1.5, 5, 3], "align": ["l", "l", "r", "l", "r"]}
    out = _chunks(title, table, lang, t(lang, "rpdf.s.who_sub"), per=6)  # an office list takes two or three lines
    pagu = facts.pagu_headline(plan, lang)
    if pagu:  # the headline the terminal and the workbook give: a slide of its own
        out.insert(0, {"title": t(lang, "rpdf.pagu"), "blocks": [{"t": "notice", "text": pagu[0]}, {"t": "list", "items": pagu[1:]}]})
    if unreached:  # a slide of its own: the gap the meeting must close
        out.insert(0, {"title": title, "blocks": [{"t": "notice", "text": t(lang, "rpdf.s.unreached", names=", ".join(unreached))}]})
    return out
