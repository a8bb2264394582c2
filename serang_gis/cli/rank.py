"""``serang-gis rank``: composite priority, tiers, lokus comparison and sensitivity."""

from __future__ import annotations

from dataclasses import replace

import click

from serang_gis.core.choices import DRAWS, ESTIMATES, NORMALISATIONS
from serang_gis.output.policy import LAYER_SUFFIXES, check_outputs, check_suffix
from serang_gis.cli.options import lang_opt, lokus_option, offline_opt, overwrite_opt


@click.command(name="rank")
@click.argument("layer_file", metavar="JOINED", type=click.Path(dir_okay=False))
@click.option("--profile", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Profile TOML (indicators, weights, direction, normalisation, missing-data policy); default: the package's.")
@click.option("--lokus", "lokus_file", default=None,
              help="Official lokus list to compare with: a CSV/XLSX of kelurahan names or codes, or 2021 / 2022 for the paper's lists.")
@click.option("--lokus-column", default=None, help="Or a lokus column of the layer, e.g. lokus_2022.")
@click.option("--draws", type=click.IntRange(0, 50_000), default=DRAWS, show_default=True,
              help="Draws of the uncertainty analysis (weights and rates; 0: none).")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the draws: the same seed gives the same bytes.")
@click.option("--concentration", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Dirichlet concentration of the weight draws (default: the profile's, 50); larger keeps weights closer.")
@click.option("--normalisation", type=click.Choice(NORMALISATIONS), default=None,
              help="Override the profile's normalisation (default percentile; minmax is sensitive to one extreme value).")
@click.option("--estimate", type=click.Choice(ESTIMATES), default=None,
              help="Rates ranked: eb (empirical Bayes, the default) or raw (as counted).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Layer with the ranking: .gpkg, .geojson or .csv.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), default=None, help="Rank table as CSV (spreadsheet-safe).")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), default=None, help="Rank table as XLSX (spreadsheet-safe).")
@click.option("--map", "map_path", type=click.Path(dir_okay=False), default=None, help="Also write a tier map (HTML).")
@lang_opt
@offline_opt
@overwrite_opt
def rank_cmd(layer_file, profile, lokus_file, lokus_column, draws, seed, concentration, normalisation, estimate, output, csv_path,
             xlsx_path, map_path, lang, offline, overwrite):
    """Rank kelurahan by a composite index for the lokus decision (Aksi 1, Analisis Situasi).

    Rates are the empirical Bayes (smoothed) estimates by default. Each indicator is normalised
    (percentile by default: 0 = best, 1 = worst), weighted, and averaged over the indicators
    present; a kelurahan without the core (stunting) data is not ranked and needs data. Tiers are
    Prioritas 1 (the top N, N scaled to the kelurahan ranked), 2 (the next N) and 3; ties are
    broken by the highest-weighted indicator, then the code. Each of --draws draws perturbs the
    weights (Dirichlet) and draws every rate from its Beta posterior: P(top N), its Monte Carlo
    error, the 90 % rank interval, and "lokus kuat" (P >= 0.80) / "perbatasan" (0.20-0.80, P
    unrounded), which the comparison with a lokus list uses; with draws the tiers come from the
    same draws (Prioritas 1 = the N highest P(top N)). Fewer than 10 toddlers measured: not
    ranked, needs data; 10-49 or coverage below 50 %: ranked with a caution (peringatan_data). A
    partial period (< 80 % of kelurahan with data) says so and judges no lokus outside the data.
    Method: docs/prioritization.md.

    \b
    Examples:
      $ serang-gis rank joined.gpkg -o prioritas.gpkg --xlsx prioritas.xlsx
      $ serang-gis rank joined.gpkg --profile profil.toml --lokus lokus_2025.csv --seed 7 -o p.gpkg --map prioritas.html
    """
    if lokus_file and lokus_column:
        raise click.UsageError("give --lokus or --lokus-column, not both")
    check_suffix(output, LAYER_SUFFIXES, "the ranked layer")
    for path, sfx, opt in ((csv_path, (".csv",), "--csv"), (xlsx_path, (".xlsx",), "--xlsx"), (map_path, (".html", ".htm"), "--map")):
        if path:
            check_suffix(path, sfx, "the file", opt)
    check_outputs([output, csv_path, xlsx_path, map_path], inputs=[layer_file, profile, lokus_file], overwrite=overwrite)
    from serang_gis.analysis.priority import attach, load_profile, rank
    from serang_gis.join.tables import read_joined
    from serang_gis.output.writers import write_csv, write_joined, write_table_xlsx
    from serang_gis.plan.layers import coverage
    from serang_gis.render.leaflet.indicator import indicator_spec

    kel = read_joined(layer_file)
    prof = load_profile(profile)
    flags = lokus_option(lokus_file, kel)
    if lokus_column:
        if lokus_column not in kel.columns:
            raise click.BadParameter(f"the layer has no column {lokus_column!r}", param_hint="--lokus-column")
        flags = kel[lokus_column]
    if normalisation:
        prof = replace(prof, normalisation=normalisation)
    if estimate:
        prof = replace(prof, estimate=estimate)
    label = lokus_column or (f"lokus {lokus_file}" if lokus_file in ("2021", "2022") else "lokus")
    result = rank(kel, prof, lokus=flags, draws=draws, seed=seed, concentration=concentration, lokus_label=label, lang=lang)
    ranked = attach(kel, result)
    write_joined(output, coverage(ranked), overwrite=overwrite)  # the maps' clean coverage, as every command writes
    ordered = result.table.sort_values(["peringkat", "kode_kel"], na_position="last")
    if csv_path:
        write_csv(csv_path, ordered, overwrite=overwrite)
    if xlsx_path:
        write_table_xlsx(xlsx_path, ordered, overwrite=overwrite, lang=lang)
    if map_path:
        sub = (f"Profil {prof.name}: " if lang == "id" else f"Profile {prof.name}: ") + ", ".join(
            f"{i.column} {w:.0%}" for i, w in zip(result.profile.indicators, result.profile.weights))
        indicator_spec(ranked, "prioritas", lang=lang, subtitle=sub).save(map_path, offline=offline, overwrite=overwrite)
    _report(result, ordered, lang)


def _report(result, ordered, lang: str = "id"):
    """Notes (stderr), the summary, the top N with their P(top N), the comparison with the lokus list: in the run's language
    (--lang), as the map and the notes are."""
    import pandas as pd

    from serang_gis.core.text import say, stored_text, t

    table = result.table
    for note in result.notes:
        text = say(lang, note)
        click.echo(text if text.startswith(("WARNING", "PERINGATAN")) else f"{t(lang, 'join.note')}: {text}", err=True)
    counts = table["prioritas"].value_counts()
    lines = result.summary(lang)
    click.echo(lines[0] + f" ({', '.join(f'{stored_text(lang, k)}: {v}' for k, v in sorted(counts.items()))})")
    for line in lines[1:]:
        click.echo(line)
    for _, r in ordered[ordered["prioritas"] == "Prioritas 1"].iterrows():  # with draws: the N highest P(top N)
        status = stored_text(lang, r["status_lokus"]) if "status_lokus" in r and pd.notna(r["status_lokus"]) else ""
        click.echo(f"  {int(r['peringkat']):>3}  {r['kode_kel']}  {r['kelurahan']:<18} {r['skor_prioritas']:.3f}"
                   + (f"  P(top {result.top_n}) {r['peluang_top_n']:.3f}  {status}"
                      + (f"  [{t(lang, 'rank.at_cut_mark')}]" if pd.notna(r.get("di_batas")) else "") if "peluang_top_n" in r else ""))
    for k, codes in result.comparison.items():
        click.echo(f"{stored_text(lang, k)}: {len(codes)}")
    flagged = table["cek_sanitasi"].notna().sum()
    if flagged:
        click.echo(t(lang, "rank.sum_sanitation", n=int(flagged)))
