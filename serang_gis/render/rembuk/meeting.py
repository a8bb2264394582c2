"""What the pack's documents say, taken from the atlas plan once: the lokus list, the period, the sources,
what is missing and the data to strengthen.

Nothing here computes a figure: the lokus flags come from the convergence result (or from the same
``lokus_flags`` rule ``analysis.atlas.analyse`` applies), the counts from the joined layer and the join
reports, the strength of each lokus from ``plan.layers.lokus_strength``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from serang_gis.core.numbers import count
from serang_gis.core.text import stored_text, t
from serang_gis.join.tables import nearest_text
from serang_gis.plan.layers import has_draws, lokus_strength
from serang_gis.read import reference
from serang_gis.render.rembuk import facts


def kabkota(ap) -> str:
    kel = ap.units.kelurahan
    return str(kel["kabkota"].iloc[0]) if "kabkota" in kel.columns and len(kel) else ap.region


def period(ap) -> str | None:
    """The city period of the nutrition figures (the one the maps show first), else of the family figures."""
    for group in ("gizi", "keluarga"):
        choice = ap.joined.periods.get(group)
        if choice is not None and getattr(choice, "period", None):
            return str(choice.period)
    return None


def shown(ap, lang: str) -> list[tuple[str, str, str | None]]:
    """What the pack shows, one entry per source: (what, its period, its source or None where the build's own
    ``joined.sources`` line or the user's file already names it). The user's tables by group ("gizi", their city period
    and coverage), then the package's figures of Kota Serang the maps and pages show: stunted toddlers per kecamatan,
    reported cases per kelurahan, families at risk per kecamatan, the ODF status, the lokus lists."""
    out = [(facts.group_name(g, lang), c.label(lang), None) for g, c in ap.joined.periods.items()]
    emb = getattr(ap.joined, "embedded", None)
    return out + (_embedded_shown(ap, emb, lang) if emb is not None else [])


def _embedded_shown(ap, emb, lang: str) -> list[tuple[str, str, str | None]]:
    """``shown``'s entries of the package's own figures (where the user's tables did not replace them)."""
    from serang_gis.core.text import source_text

    kel, out = ap.units.kelurahan, []
    st = facts.count_static(ap)
    if st is not None and not emb.counts_from and facts.layer_period(st.layer):
        col = f"sumber_{st.layer.column}"
        out.append((t(lang, "rembuk.shown.kec_counts"), facts.layer_period(st.layer),
                    facts.news_words(st.frame[col] if col in st.frame.columns else (), lang)))
    periods = sorted({str(p) for p in kel.get("periode_stunting_dilaporkan", pd.Series(dtype=object)).dropna() if str(p)})
    if periods and not emb.counts_from:
        span = periods[0] if len(periods) == 1 else f"{periods[0]}\u2013{periods[-1]}"
        out.append((t(lang, "rembuk.shown.reported"), span, facts.news_words(kel["sumber_stunting_dilaporkan"], lang)))
    if facts.embedded_families(ap):
        out.append((t(lang, "rembuk.shown.families"), "2021", source_text(lang, facts.FAMILY_SOURCE)))
    if "status_odf" in kel.columns and kel["status_odf"].notna().any() and not emb.odf_from and emb.as_of is not None:
        out.append((t(lang, "rembuk.shown.odf"), t(lang, "rembuk.shown.as_of", date=emb.as_of.isoformat()) + _odf_old(ap, lang), None))
    years = [y for y in ("2021", "2022") if f"lokus_{y}" in kel.columns and kel[f"lokus_{y}"].fillna(False).astype(bool).any()]
    if years:
        out.append((t(lang, "rembuk.shown.lokus"), t(lang, "rembuk.shown.lokus_years", years=", ".join(years)),
                    reference.lokus_credit(lang, named=False)))  # the paper's lists; 2022's beside the decree's
    return out


def _odf_old(ap, lang: str) -> str:
    """"; Belum ODF: Kaligandu, laporan 2022-10-20": the statuses of the ODF map older than its date (as its legend
    says them, as the plan decided them: ``plan.layers.old_classes``), "" when none."""
    st = next((x for page in ap.pages for x in page.statics if getattr(x.layer, "column", None) == "status_odf"), None)
    if st is None:
        return ""
    return "".join(f"; {label}: {st.layer.old[k]}" for k, (_, _, label) in enumerate(st.layer.categories) if k in st.layer.old)


def period_lines(ap, lang: str) -> list[str]:
    """The periods of what the pack shows, one line per source ("Balita stunting per kecamatan: 2025-04"); one line
    "tidak ada data" when it shows no dated figure."""
    return [f"{what}: {when}" for what, when, _ in shown(ap, lang)] or [t(lang, "no_data")]


def period_text(ap, lang: str) -> str:
    """``period_lines`` in one sentence (the index's and the berita acara's "data periode ...")."""
    return "; ".join(period_lines(ap, lang))


def shown_sources(ap, lang: str) -> list[str]:
    """The sources of the package's figures the pack shows ("Balita stunting per kecamatan: data sementara dari
    pemberitaan bantenintens.co.id"), beside the tables and decisions ``joined.sources`` names."""
    return [f"{what}: {src}" for what, _, src in shown(ap, lang) if src]


def lokus_spec(ap) -> str | None:
    """The lokus list the atlas uses: the config's ``[rank] lokus``, else Kota Serang's 2022 list (as ``analyse``)."""
    return ap.settings.rank_lokus or ("2022" if ap.region == reference.KOTA_SERANG else None)


def lokus_source(ap, lang: str) -> str:
    """Where the lokus list comes from, in words: the file given (e.g. last year's lokus), or the built-in paper list;
    never "the atlas's proposal" (the atlas only rates the list, ``proposed`` names what it would add)."""
    spec = lokus_spec(ap)
    if spec and Path(spec).is_file():
        return t(lang, "rembuk.lokus_from_file", file=Path(spec).name)
    return t(lang, "rembuk.lokus_from_paper", year=spec or "-")


def lokus_decree(ap, lang: str) -> str | None:
    """One sentence beside the built-in 2022 lokus list where it is not the Walikota decree's: which list it follows and
    which kelurahan differs, in the words of the package's own check (``check.lokus_2022.note``, as the atlas's index and
    the report's annex say it). None for a list given as a file, another region, or when the two agree."""
    spec = lokus_spec(ap)
    if spec != "2022" or ap.region != reference.KOTA_SERANG or Path(spec).is_file():
        return None
    name = t(lang, "check.lokus_2022")
    check = next((c for c in reference.checks(lang) if c.name == name), None)
    if check is None or check.ok or not check.note:
        return None
    return t(lang, "rembuk.ba_lokus_decree", n=check.found, decree=check.expected, note=check.note)


def aksi2_year(ap) -> str | None:
    """The budget year(s) of the Aksi 2 activities (``Tahun`` column or the config's ``year``), e.g. "2027"."""
    konv = ap.analysed.konvergensi
    if konv is None or "tahun" not in konv.kegiatan.columns:
        return None
    years = sorted({str(int(y)) for y in pd.to_numeric(konv.kegiatan["tahun"], errors="coerce").dropna()})
    return ", ".join(years) or None


def lokus_flags(ap) -> pd.Series | None:
    """True per kelurahan of the plan's layer that is a lokus: the convergence result's flags where there is one."""
    kel = ap.units.kelurahan
    konv = ap.analysed.konvergensi
    if konv is not None and "lokus" in konv.kelurahan.columns:
        codes = set(konv.kelurahan.loc[konv.kelurahan["lokus"].astype(bool), "kode_kel"])
        return kel["kode_kel"].isin(codes)
    spec = lokus_spec(ap)
    if not spec:
        return None
    from serang_gis.read.lokus import lokus_flags as read_flags

    return pd.Series(read_flags(spec, kel).fillna(False).astype(bool).to_numpy(), index=kel.index)  # its index is reset


def lokus_table(ap, lang: str) -> pd.DataFrame:
    """The lokus kelurahan (code, name, kecamatan; their strength by the data where the atlas ranked), by code."""
    kel = ap.units.kelurahan
    flags = lokus_flags(ap)
    if flags is None:
        return kel.iloc[0:0][["kode_kel", "kelurahan", "kecamatan"]]
    rows = kel[flags.to_numpy(dtype=bool)]
    out = pd.DataFrame(rows[["kode_kel", "kelurahan", "kecamatan"]])
    if has_draws(kel):
        out["kekuatan"] = lokus_strength(rows, lang, short=True).to_numpy()
    return out.sort_values("kode_kel").reset_index(drop=True)


def proposed(ap) -> pd.DataFrame:
    """Kelurahan the atlas's rank calls a strong lokus (``status_lokus``) that are not on the lokus list."""
    kel = ap.units.kelurahan
    if "status_lokus" not in kel.columns:
        return kel.iloc[0:0][["kode_kel", "kelurahan", "kecamatan"]]
    flags = lokus_flags(ap)
    strong = [s == "lokus kuat" for s in kel["status_lokus"].astype(object).where(kel["status_lokus"].notna(), "")]
    if flags is not None:
        strong = [a and not b for a, b in zip(strong, flags.to_numpy(dtype=bool))]
    return pd.DataFrame(kel[strong][["kode_kel", "kelurahan", "kecamatan"]]).sort_values("kode_kel").reset_index(drop=True)


def sources(ap, lang: str | None = None) -> list[str]:
    """The input files the figures come from: the data tables (with sheet and period) and the activity matrices (with
    their number of activities in ``lang``, the plan's by default)."""
    out = []
    for per, report in sorted(ap.joined.reports.items()):
        for f in report.files:
            out.append(f"{Path(f.file).name}{f' [{f.sheet}]' if f.sheet else ''} ({per})")
    konv = ap.analysed.konvergensi
    if konv is not None:
        lang = lang or ap.settings.lang
        out += [f"{s['berkas']} ({t(lang, 'rembuk.n_activities', n=count(int(s['baris_kegiatan']), lang))})" for s in konv.sources]
    out += [s for s in ap.joined.sources if s not in out]
    return out + [s for s in shown_sources(ap, lang or ap.settings.lang) if s not in out]


# Data Sasaran headers (render.template's words) of the family and the measurement figures
FAMILY_COLUMNS = (("keluarga", "Jumlah Keluarga"), ("keluarga_berisiko", "Jumlah Keluarga Berisiko Stunting"))
MEASURE_COLUMNS = (("balita_diukur", "Jumlah Balita Diukur"), ("sangat_pendek", "Balita Sangat Pendek"), ("pendek", "Balita Pendek"))


def _empty(kel: pd.DataFrame, columns, lang: str) -> str:
    """The Data Sasaran columns left empty, named: 'A dan B' / 'A and B'."""
    names = [f"'{h}'" for c, h in columns if not _has(kel, c)]
    joiner = " dan " if lang == "id" else " and "
    return ", ".join(names[:-1]) + joiner + names[-1] if len(names) > 1 else "".join(names)


def _has(kel: pd.DataFrame, column: str) -> bool:
    return column in kel.columns and pd.to_numeric(kel[column], errors="coerce").notna().any()


def gizi_periods(ap) -> list[str]:
    """The periods with nutrition figures (the change between periods needs two)."""
    gizi = ap.joined.periods.get("gizi")
    return sorted({p for p, _ in gizi.reporting_by_period if p}) if gizi is not None else []


def missing(ap, lang: str) -> list[str]:
    """What the pack lacks, each gap said once and in the same words in every product (the report's annex, the
    slides, the workbook's Keterangan, the berita acara's data to strengthen, the index): no nutrition figures or a
    single period, no family-risk figures, no rank, a rank indicator without data (its weight moved), no lokus list, no activity matrix."""
    kel = ap.units.kelurahan
    out = []
    periods = gizi_periods(ap)
    if not _has(kel, "balita_diukur"):
        out.append(t(lang, "rembuk.miss_gizi", cols=_empty(kel, MEASURE_COLUMNS, lang)))
    else:
        out += _no_gizi(ap, lang)
    if _has(kel, "balita_diukur") and len(periods) < 2:
        out.append(t(lang, "rpdf.miss.second_period", period=periods[0]) if periods else t(lang, "rpdf.miss.no_period"))
    elif len(periods) >= 2 and not ap.settings.change:  # the change slide says it cannot show the change: counted here too
        out.append(no_change(periods, lang))
    if not any(_has(kel, c) for c in ("keluarga_berisiko", "persen_keluarga_berisiko", "keluarga_berisiko_2021")):
        total = facts.families_total(ap, lang)  # the package's per-kecamatan 2021 figures (the paper's Table 1), if any
        out.append(t(lang, "rembuk.miss_keluarga_kec", total=total, when=facts.families_when(lang), cols=_empty(kel, FAMILY_COLUMNS, lang))
                   if total else t(lang, "rembuk.miss_keluarga", cols=_empty(kel, FAMILY_COLUMNS, lang)))
    elif not _has(kel, "keluarga_berisiko"):  # a share (or the paper's 2021 figure) but no counts for Data Sasaran
        out.append(t(lang, "rembuk.miss_keluarga_counts", cols=_empty(kel, FAMILY_COLUMNS, lang)))
    else:  # counts for some kelurahan only (walk adv12 L8: 20 of 67, said in the period line alone)
        have = int(pd.to_numeric(kel["keluarga_berisiko"], errors="coerce").notna().sum())
        if have < len(kel):
            out.append(t(lang, "rembuk.miss_keluarga_some", n=count(have, lang), total=count(len(kel), lang),
                         m=count(len(kel) - have, lang)))
    if not ap.analysed.ranked:
        out.append(t(lang, "rpdf.miss.rank"))
    weight = _weight_moved(ap, lang)
    if weight:  # an indicator of the rank without data: said here too, not only as the lokus slide's warning
        out.append(weight)
    if lokus_flags(ap) is None:
        out.append(t(lang, "rembuk.miss_lokus"))
    if ap.analysed.konvergensi is None:
        out.append(t(lang, "rembuk.miss_kegiatan"))
    return out


def _weight_moved(ap, lang: str) -> str | None:
    """The line of what is missing about rank indicators without data (their weight moved), or None."""
    kel = ap.units.kelurahan
    moved = kel["bobot_dipindah"].dropna() if "bobot_dipindah" in kel.columns else ()
    return t(lang, "rembuk.miss_weight", cell=stored_text(lang, str(moved.iloc[0]))) if len(moved) else None


def headline(ap, lang: str) -> str:
    """What is missing in one line, the same in every product (last slide, report annex, Keterangan, berita acara,
    index): "lengkap" when nothing is; "lengkap kecuali n indikator peringkat" when the only gap is rank indicators
    without data (their weight moved: listed, but no failure); else how many things are missing."""
    miss = missing(ap, lang)
    if not miss:
        return t(lang, "rpdf.s.missing_none")
    absent = ap.analysed.absent
    if len(miss) == 1 and absent and miss[0] == _weight_moved(ap, lang):
        return t(lang, "rpdf.s.missing_rank", n=count(len(absent), lang))
    return t(lang, "rpdf.s.missing_n", n=count(len(miss), lang))


def no_change(periods: list[str], lang: str) -> str:
    """Two periods of nutrition data and no change map asked for: the change slide's notice and an item of ``missing``."""
    return t(lang, "rpdf.s.no_change", periods=", ".join(periods), a=periods[-2], b=periods[-1])


def _no_gizi(ap, lang: str) -> list[str]:
    """The kelurahan without toddlers measured in the city period, by kecamatan ("Kec. Curug (10 kelurahan,
    seluruhnya): Curug, ..."): on the maps they are grey, in the rank "perlu data"; every product names them."""
    kel = ap.units.kelurahan
    blank = pd.to_numeric(kel["balita_diukur"], errors="coerce").isna()
    if not blank.any():
        return []
    parts = []
    for kec, part in kel.sort_values(["kode_kec", "kode_kel"]).groupby("kode_kec", sort=True):
        gone = part[blank.loc[part.index]]
        if len(gone):
            names = ", ".join(gone["kelurahan"].astype(str))
            whole = len(gone) == len(part)
            parts.append(t(lang, "rembuk.miss_no_gizi_kec" if whole else "rembuk.miss_no_gizi_part", kec=str(part["kecamatan"].iloc[0]),
                           n=count(len(gone), lang), names=names))
    return [t(lang, "rembuk.miss_no_gizi", n=count(int(blank.sum()), lang), period=period(ap) or "-", names="; ".join(parts))]


def _unmatched_rows(report, lang: str) -> str:
    """Each unmatched row named: file, row, the kelurahan name as written (place names, not personal data; the join
    keeps no name of a by-name file), the nearest names."""
    said = []
    for f in report.files:
        for u in f.unmatched:
            nearest = t(lang, "rembuk.row_nearest", names=nearest_text(lang, u)) if u.get("nearest") else ""
            name = repr(str(u["kelurahan"] or u.get("kode") or "")) if not f.personal else t(lang, "rembuk.row_hidden")
            said.append(t(lang, "rembuk.row_unmatched", file=Path(f.file).name, row=u["row"], name=name, nearest=nearest))
    return "; ".join(said)


def _fuzzy_rows(report, kecamatan: dict, lang: str) -> str:
    """Each name matched with a score: file, row, the name as written, what it was matched to, the score."""
    from serang_gis.core.numbers import number

    said = []
    for f in report.files:
        for x in f.fuzzy:
            name = repr(str(x["given"])) if x["given"] else t(lang, "rembuk.row_hidden")
            kec = kecamatan.get(x["kode_kel"])
            said.append(t(lang, "rembuk.row_fuzzy", file=Path(f.file).name, row=x["row"], name=name, kel=x["kelurahan"],
                          kec=kec or "?", score=number(x["score"], 1, lang, trim=True)))
    return "; ".join(said)


def to_check(ap, lang: str) -> list[str]:
    """The atlas's data-quality findings: kelurahan without data, rows not matched, totals that differ, unstable rates,
    activities whose Lokasi matched nothing, lokus reached by no office, the matrix's warnings, names read otherwise."""
    kel = ap.units.kelurahan
    out = []
    for per, report in sorted(ap.joined.reports.items()):
        if report.without_data:
            out.append(t(lang, "rembuk.str_without", n=count(len(report.without_data), lang), total=count(report.kelurahan, lang), period=per))
        unmatched = sum(len(f.unmatched) for f in report.files)
        if unmatched:
            out.append(t(lang, "rembuk.str_unmatched", n=count(unmatched, lang), period=per, rows=_unmatched_rows(report, lang)))
        differ = sum(1 for f in report.files for c in f.totals_check if not c.get("ok", True))
        if differ:
            out.append(t(lang, "rembuk.str_totals", n=count(differ, lang), period=per))
        fuzzy = sum(len(f.fuzzy) for f in report.files)
        if fuzzy:
            out.append(t(lang, "rembuk.str_fuzzy", n=count(fuzzy, lang), period=per, rows=_fuzzy_rows(report, dict(zip(kel["kode_kel"], kel["kecamatan"])), lang)))
    if "tidak_stabil" in kel.columns and kel["tidak_stabil"].fillna(False).astype(bool).any():
        out.append(t(lang, "rembuk.str_unstable", n=count(int(kel["tidak_stabil"].fillna(False).astype(bool).sum()), lang)))
    konv = ap.analysed.konvergensi
    if konv is not None:
        out += unlocated(ap, lang)
        if "lokus" in konv.kelurahan.columns:
            lost = konv.kelurahan[konv.kelurahan["lokus"].astype(bool) & (konv.kelurahan["jumlah_opd"] == 0)]
            if len(lost):
                out.append(t(lang, "rembuk.str_unreached", n=count(len(lost), lang), names=", ".join(sorted(lost["kelurahan"].astype(str)))))
    return out + matrix_warnings(ap, lang) + read_as(ap, lang)


def matrix_warnings(ap, lang: str) -> list[str]:
    """What reading the activity matrices warned of (a total row that differs from its activities, a heading or a
    repeated row left out), per file, in the run's language: said in the berita acara's section 4 and the report's
    annex, not only on the terminal (walk 5: a JUMLAH row Rp 148,5 juta off reached no meeting document)."""
    from serang_gis.core.text import say

    konv = ap.analysed.konvergensi
    return [t(lang, "rembuk.matrix_warning", file=src["berkas"], text=say(lang, w))
            for src in (konv.sources if konv is not None else []) for w in src["peringatan"]]


def read_as(ap, lang: str) -> list[str]:
    """Each name the pack read otherwise than written ("dibaca sebagai"): rows of the lokus list matched by likeness or
    by their code, kelurahan names of a Lokasi matched by likeness; said on the terminal, here and in the report's annex."""
    from serang_gis.analysis.konvergensi import lokasi_read_as, read_as_line
    from serang_gis.read.lokus import lokus_read_as
    from serang_gis.render.atlas import lokus_read_as_line

    spec = ap.settings.rank_lokus
    out = [lokus_read_as_line(lang, d) for d in (lokus_read_as(spec, ap.units.kelurahan) if spec else [])]
    konv = ap.analysed.konvergensi
    return out + [t(lang, "rembuk.lokasi_read_as", line=read_as_line(lang, d)) for d in (lokasi_read_as(konv) if konv is not None else [])]


def unlocated(ap, lang: str) -> list[str]:
    """Each activity whose Lokasi matched no area, by file, row, the Lokasi as written, its pagu (not located: left out
    of the share landing in lokus) and why."""
    from serang_gis.analysis.konvergensi import lokasi_problems
    from serang_gis.core.numbers import rupiah

    konv = ap.analysed.konvergensi
    if konv is None:
        return []
    acts = konv.kegiatan[konv.kegiatan["lokasi_jenis"] == "tidak_cocok"]
    return [t(lang, "rembuk.unlocated", file=r.berkas, row=int(r.row), lokasi=repr(str(r.lokasi)), pagu=rupiah(r.pagu, lang), why=why)
            for r, why in zip(acts.itertuples(), lokasi_problems(konv, lang))]


def config_hint(plan, lang: str) -> str | None:
    """Where the config sets what the meeting documents say is missing (plain words there; the keys only in the index's
    hints, for whoever makes the pack: recheck12 L7)."""
    keys = [k for k, gone in (("[rank]", not plan.analysed.ranked), ("[rank] lokus", lokus_flags(plan) is None),
                              ("[[data]]", not _has(plan.units.kelurahan, "balita_diukur")),
                              ("[[kegiatan]]", plan.analysed.konvergensi is None), ("[maps] static", not plan.settings.static))
            if gone]
    return t(lang, "rembuk.hint_config", what=t(lang, "rembuk.hint_what"), keys=", ".join(keys)) if keys else None


def change_hint(plan, lang: str) -> str | None:
    """How to ask for the change map when two periods exist and none was asked: for the build notes, not a slide."""
    periods = gizi_periods(plan)
    if len(periods) < 2 or plan.settings.change:
        return None
    return t(lang, "rpdf.change_hint", periods=", ".join(periods), a=periods[-2], b=periods[-1])
