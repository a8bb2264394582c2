"""Map text in Bahasa Indonesia (default) and English, and Indonesian number formatting.

The tables are read-only: a map that needs another word passes it, never writes it here.
"""

from __future__ import annotations

import math
from types import MappingProxyType

TEXT = {
    "id": {
        "kel_title": "Kota Serang: lokus stunting, status ODF dan kasus yang dilaporkan",
        "kec_title": "Kota Serang: balita stunting dan keluarga berisiko per kecamatan",
        "kelurahan": "Kelurahan", "kecamatan": "Kecamatan", "boundaries": "Batas kelurahan",
        "kec_outline": "Batas kecamatan",
        "lokus": "Lokus {year}", "lokus_item": "Kelurahan lokus {year}",
        "odf": "Status ODF (per {date})", "odf_none": "Tidak ada data",
        "reported": "Balita stunting dilaporkan", "reported_note": "Lingkaran sebanding jumlah; kelurahan lain: tidak ada data",
        "stunting_snap": "Balita stunting ({snap})", "families": "Keluarga berisiko stunting (2021)",
        "circle_note": "Luas lingkaran sebanding jumlah",
        "sources": "Sumber data", "yes": "ya", "no": "tidak", "no_data": "tidak ada data",
        "subtitle_kec": "e-PPGBM menurut makalah (2021) dan pemberitaan (2022-2025); keluarga berisiko: pendataan keluarga 2021",
        "period": "periode", "source": "sumber", "balita": "balita", "keluarga": "keluarga",
        "no_data_class": "Tidak ada data", "unstable": "Kurang dari 10 balita diukur (angka tidak stabil)",
        "target": "Target {value}: {n} wilayah pada atau di atas target.", "search": "Cari kelurahan atau kode",
        "not_found": "Tidak ditemukan", "fullscreen": "Layar penuh", "no_basemap": "Tanpa peta dasar",
        "unit_name": "Kelurahan", "puskesmas": "Puskesmas",
        "attribution": "Batas wilayah: wilayah_boundaries (Cahya DSN, lisensi MIT), kode Kepmendagri 300.2.2-2138/2025",
        "measured_balita_diukur": "balita diukur", "measured_keluarga": "keluarga",
        "mark_few": "Data terlalu sedikit (< {n} {what}), tidak dikelaskan",
        "mark_caution": "Hati-hati: {lo}-{hi} {what} (arsir)",
        "mark_partial": "Sebagian: tidak semua kelurahan melapor (arsir)",
        "n_of_N": "{n} dari {N} kelurahan melapor",
        "subtitle_sum": "Jumlah dari kelurahan yang melapor; arsir: tidak semua kelurahan melapor",
        "reporting": "Kelurahan melapor",
        "short_few": "data terlalu sedikit", "short_caution": "hati-hati", "short_partial": "sebagian",
    },
    "en": {
        "kel_title": "Kota Serang: stunting lokus, ODF status and reported cases",
        "kec_title": "Kota Serang: stunted toddlers and families at risk per kecamatan",
        "kelurahan": "Kelurahan", "kecamatan": "Kecamatan", "boundaries": "Kelurahan boundaries",
        "kec_outline": "Kecamatan boundaries",
        "lokus": "Lokus {year}", "lokus_item": "Lokus kelurahan {year}",
        "odf": "ODF status (as of {date})", "odf_none": "No data",
        "reported": "Reported stunted toddlers", "reported_note": "Circle area proportional to count; other kelurahan: no data",
        "stunting_snap": "Stunted toddlers ({snap})", "families": "Families at risk of stunting (2021)",
        "circle_note": "Circle area proportional to count",
        "sources": "Data sources", "yes": "yes", "no": "no", "no_data": "no data",
        "subtitle_kec": "e-PPGBM per the paper (2021) and news reports (2022-2025); families at risk: family survey 2021",
        "period": "period", "source": "source", "balita": "toddlers", "keluarga": "families",
        "no_data_class": "No data", "unstable": "Fewer than 10 toddlers measured (unstable rate)",
        "target": "Target {value}: {n} areas at or above target.", "search": "Search kelurahan or code",
        "not_found": "Not found", "fullscreen": "Full screen", "no_basemap": "No basemap",
        "unit_name": "Kelurahan", "puskesmas": "Puskesmas",
        "attribution": "Boundaries: wilayah_boundaries (Cahya DSN, MIT licence), Kepmendagri 300.2.2-2138/2025 codes",
        "measured_balita_diukur": "toddlers measured", "measured_keluarga": "families",
        "mark_few": "Too few data (< {n} {what}), not classed",
        "mark_caution": "Caution: {lo}-{hi} {what} (hatched)",
        "mark_partial": "Partial: not every kelurahan reported (hatched)",
        "n_of_N": "{n} of {N} kelurahan reported",
        "subtitle_sum": "Sums of the kelurahan that reported; hatched: not every kelurahan reported",
        "reporting": "Kelurahan reporting",
        "short_few": "too few data", "short_caution": "caution", "short_partial": "partial",
    },
}

_PLAN_TEXT = {  # the atlas plan's words: which period and which source each product uses
    "id": {
        "no_period": "tanpa periode", "kelurahan_of": "{n} dari {total} kelurahan",
        "period_complete": "{period} ({n} dari {total} kelurahan)",
        "period_partial": "{period}, sebagian: {n} dari {total} kelurahan",
        "city_period_line": "{group}: {label}",
        "city_period_config": " (dipilih di konfigurasi)",
        "city_period_missing": " (periode di konfigurasi tidak memuat kelompok ini: dipakai periode lengkap terakhir)",
        "city_period_best": " (tidak ada periode dengan {share} kelurahan melapor: dipakai yang paling lengkap)",
        "city_period_others": "; periode lain: {others}",
        "city_period": "Periode produk se-kota",
        "period_of": "periode {label}",
        "source_user": "{what}: tabel pengguna {files} (menggantikan angka bawaan paket)",
        "source_embedded": "{what}: angka bawaan paket ({source}), tidak ada tabel pengguna",
        "sources_used": "Sumber yang dipakai",
        "odf_user": "Status ODF ({files})",
        "table_period": "Tabel kelurahan: {label}",
        "subtitle_kel_parts": "Lokus: makalah Sinergitas (2023) dan SK Walikota; ODF: {odf}; kasus: {cases}",
        "odf_news": "pemberitaan resmi s.d. {date}", "cases_news": "pemberitaan 2023-2024",
        "user_table": "tabel pengguna {files}", "user_table_period": "tabel pengguna {files}, periode {period}",
        "reported_user": "Balita stunting ({files}, periode {period})",
    },
    "en": {
        "no_period": "no period", "kelurahan_of": "{n} of {total} kelurahan",
        "period_complete": "{period} ({n} of {total} kelurahan)",
        "period_partial": "{period}, partial: {n} of {total} kelurahan",
        "city_period_line": "{group}: {label}",
        "city_period_config": " (chosen in the config)",
        "city_period_missing": " (the config's period has no figure of this group: its latest complete period is used)",
        "city_period_best": " (no period with {share} of kelurahan reporting: the most complete is used)",
        "city_period_others": "; other periods: {others}",
        "city_period": "Period of the city-wide products",
        "period_of": "period {label}",
        "source_user": "{what}: the user's table {files} (replaces the package's embedded figures)",
        "source_embedded": "{what}: the package's embedded figures ({source}), no user table",
        "sources_used": "Sources used",
        "odf_user": "ODF status ({files})",
        "table_period": "Kelurahan table: {label}",
        "subtitle_kel_parts": "Lokus: Sinergitas paper (2023) and mayoral decree; ODF: {odf}; cases: {cases}",
        "odf_news": "official reports up to {date}", "cases_news": "reports 2023-2024",
        "user_table": "the user's table {files}", "user_table_period": "the user's table {files}, period {period}",
        "reported_user": "Stunted toddlers ({files}, period {period})",
    },
}
for _lang, _words in _PLAN_TEXT.items():
    TEXT[_lang].update(_words)

_RANK_TEXT = {  # the rank's words: eligibility, coverage, partial periods, lokus not judged, weights moved
    "id": {
        "rank_few": "perlu data: {n} balita diukur (< {few})",
        "rank_caution": "hati-hati: {n} balita diukur ({few}-{last})",
        "rank_low_coverage": "cakupan rendah: {share} % dari {base} (< {limit} %)",
        "rank_base_sasaran": "sasaran balita", "rank_base_previous": "balita diukur periode sebelumnya",
        "rank_not_ranked_few": "tidak diperingkat: perlu data ({n} balita diukur, < {few})",
        "rank_note_few": "{k} kelurahan dengan kurang dari {few} balita diukur: perlu data, tidak diperingkat, tanpa lampu dan tanpa penilaian lokus: {names}",
        "rank_note_caution": "{k} kelurahan diperingkat dengan {few}-{last} balita diukur (hati-hati, kolom peringatan_data): {names}",
        "rank_note_coverage": "{k} kelurahan dengan cakupan penimbangan di bawah {limit} % (balita diukur / {base}; kolom peringatan_data): {names}",
        "rank_partial": "periode sebagian: {n} dari {total} kelurahan berdata (< {share} %); peringkat dan lokus hanya dinilai di dalam data",
        "rank_partial_cell": "sebagian: {n} dari {total} kelurahan berdata",
        "rank_not_judged": "{k} dari {m} {label} di luar kelurahan yang melapor: tidak dinilai",
        "rank_weight_moved": "PERINGATAN: tidak ada data {cols}: bobotnya ({share} %) dipindah ke indikator lain",
        "rank_weight_moved_cell": "{cols} tanpa data: bobot {share} % dipindah",
        "rank_field_caution": "Peringatan data", "rank_field_partial": "Periode sebagian", "rank_field_moved": "Bobot dipindah",
    },
    "en": {
        "rank_few": "needs data: {n} toddlers measured (< {few})",
        "rank_caution": "caution: {n} toddlers measured ({few}-{last})",
        "rank_low_coverage": "low coverage: {share} % of {base} (< {limit} %)",
        "rank_base_sasaran": "sasaran balita", "rank_base_previous": "the previous period's toddlers measured",
        "rank_not_ranked_few": "not ranked: needs data ({n} toddlers measured, < {few})",
        "rank_note_few": "{k} kelurahan with fewer than {few} toddlers measured: need data, not ranked, no lights and no lokus verdict: {names}",
        "rank_note_caution": "{k} kelurahan ranked with {few}-{last} toddlers measured (caution, column peringatan_data): {names}",
        "rank_note_coverage": "{k} kelurahan with weighing coverage below {limit} % (toddlers measured / {base}; column peringatan_data): {names}",
        "rank_partial": "partial period: {n} of {total} kelurahan have data (< {share} %); ranks and lokus are judged inside the data only",
        "rank_partial_cell": "partial: {n} of {total} kelurahan have data",
        "rank_not_judged": "{k} of the {m} {label} lie outside the reporting kelurahan: not judged",
        "rank_weight_moved": "WARNING: no data for {cols}: its weight ({share} %) moved to the other indicators",
        "rank_weight_moved_cell": "{cols} without data: weight {share} % moved",
        "rank_field_caution": "Data caution", "rank_field_partial": "Partial period", "rank_field_moved": "Weight moved",
    },
}
for _lang, _words in _RANK_TEXT.items():
    TEXT[_lang].update(_words)

TEXT = MappingProxyType({lang: MappingProxyType(words) for lang, words in TEXT.items()})

ODF_CLASSES = {  # status -> (colour, English label); ColorBrewer Dark2-like, colour-blind safe pair
    "ODF terverifikasi": ("#1a9850", "ODF verified"),
    "ODF deklarasi": ("#66bd63", "ODF declared"),
    "Belum ODF": ("#f46d43", "Not yet ODF"),
}
NO_DATA_COLOR = "#d9d9d9"


def t(lang: str, key: str, **kw) -> str:
    return TEXT[lang][key].format(**kw)


def fmt_number(value, decimals: int = 0, lang: str = "id") -> str:
    """1234.5 -> '1.234,5' (id) or '1,234.5' (en); missing -> ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    text = f"{float(value):,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
