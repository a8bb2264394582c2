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

_KONV_SPLIT_TEXT = {  # the convergence view: the headline by allocation, the "touches a lokus" share, split-down pagu
    "id": {
        "konv_headline": "{pct} pagu terlokasi jatuh di kelurahan lokus ({lokus}) menurut alokasi ({split}): {amount} dari {located}",
        "konv_headline_none": "{pct} pagu terlokasi jatuh di kelurahan lokus ({lokus}) menurut alokasi (split none: dibagi rata untuk angka ini): {amount} dari {located}",
        "konv_touch": "di sampingnya, menyentuh lokus: {pct} pagu terlokasi ({amount}) ada pada kegiatan yang Lokasi-nya menyebut sedikitnya satu kelurahan lokus, dihitung penuh",
        "konv_split_equal": "pagu dibagi rata ke kelurahan yang disebut",
        "konv_split_stunting": "pagu dibagi menurut jumlah balita stunting tiap kelurahan yang disebut",
        "konv_split_sasaran": "pagu dibagi menurut jumlah sasaran balita tiap kelurahan yang disebut",
        "konv_split_none": "pagu dihitung penuh di tiap kelurahan yang disebut",
        "konv_row_lokus": "jatuh di kelurahan lokus (alokasi)", "konv_row_non_lokus": "jatuh di kelurahan non-lokus (alokasi)",
        "konv_row_kota": "se-kota (tidak terlokasi)", "konv_row_tidak_cocok": "Lokasi tidak cocok",
        "konv_row_touch": "menyentuh lokus (kegiatan dihitung penuh)", "konv_of_total": "dari seluruh pagu",
        "konv_no_lokus": "tanpa daftar lokus",
        "konv_no_lokus_line": "tanpa daftar lokus (--lokus): pangsa pagu yang jatuh di lokus tidak dihitung",
        "konv_touch_col": "Menyentuh lokus", "konv_alloc_col": "Jatuh di lokus (% terlokasi)",
        "konv_turunan": "Pagu hanya dari kegiatan kecamatan yang dibagi",
        "konv_turunan_note": "hanya dari kegiatan tingkat kecamatan yang dibagi: pagu per balita stunting adalah hasil pembagian, bukan alokasi ke kelurahan ini",
        "konv_turunan_count": "{n} kelurahan mendapat seluruh pagunya dari kegiatan tingkat kecamatan yang dibagi (pagu_hanya_turunan): pagu per balita stunting mereka hasil pembagian",
        "konv_split_missing": "split {split!r} membagi pagu menurut {column}, tetapi lapisan kelurahan tidak punya kolom itu",
        "konv_split_missing_hint": "gabungkan tabel yang memuat {column} (serang-gis join), atau pakai --split equal",
        "konv_split_fallback": "{n} kegiatan menyebut kelurahan tanpa angka {column} (atau semuanya 0): pagunya dibagi rata",
        "konv_sub_title": "{n} kegiatan dari {o} OPD; pagu {total}; {pct_kota} se-kota. {headline}. Menyentuh lokus (kegiatan dihitung penuh): {touch} pagu terlokasi",
        "konv_kota_not_counted": "kegiatan se-kota tidak dihitung.",
        "konv_headline_short": "{pct} pagu terlokasi jatuh di kelurahan lokus ({split})",
        "konv_pagu_turunan": "Pagu dari kegiatan kecamatan yang dibagi (Rp)", "konv_catatan_pagu": "Catatan pagu",
        "konv_def_alloc": "Pangsa utama (alokasi): pagu tiap kegiatan terlokasi dibagi ke kelurahan yang disebut Lokasi-nya ({split}); bagian yang jatuh di kelurahan lokus dijumlahkan dan dibagi dengan seluruh pagu terlokasi.",
        "konv_def_touch": "Menyentuh lokus: seluruh pagu kegiatan yang Lokasi-nya menyebut sedikitnya satu kelurahan lokus, dibagi dengan seluruh pagu terlokasi (ukuran lama; menghitung pagu yang jatuh di kelurahan non-lokus).",
    },
    "en": {
        "konv_headline": "{pct} of located pagu lands in lokus kelurahan ({lokus}) by allocation ({split}): {amount} of {located}",
        "konv_headline_none": "{pct} of located pagu lands in lokus kelurahan ({lokus}) by allocation (split none: split equally for this figure): {amount} of {located}",
        "konv_touch": "beside it, touches a lokus: {pct} of located pagu ({amount}) is in activities whose Lokasi names at least one lokus kelurahan, counted whole",
        "konv_split_equal": "pagu split equally over the kelurahan named",
        "konv_split_stunting": "pagu split in proportion to each named kelurahan's stunted toddlers",
        "konv_split_sasaran": "pagu split in proportion to each named kelurahan's sasaran balita",
        "konv_split_none": "pagu counted whole in each kelurahan named",
        "konv_row_lokus": "lands in lokus kelurahan (allocated)", "konv_row_non_lokus": "lands in non-lokus kelurahan (allocated)",
        "konv_row_kota": "city-wide (unlocated)", "konv_row_tidak_cocok": "Lokasi matched nothing",
        "konv_row_touch": "touches a lokus (activity counted whole)", "konv_of_total": "of all pagu",
        "konv_no_lokus": "no lokus list",
        "konv_no_lokus_line": "no lokus list (--lokus): the share of pagu landing in lokus is not computed",
        "konv_touch_col": "Touches a lokus", "konv_alloc_col": "Lands in lokus (% of located)",
        "konv_turunan": "Pagu only from split kecamatan activities",
        "konv_turunan_note": "only from kecamatan-level activities split down: the pagu per stunted toddler is an artefact of the split, not an allocation to this kelurahan",
        "konv_turunan_count": "{n} kelurahan get all their pagu from kecamatan-level activities split down (pagu_hanya_turunan): their pagu per stunted toddler comes from the split",
        "konv_split_missing": "split {split!r} divides pagu by {column}, but the kelurahan layer has no such column",
        "konv_split_missing_hint": "join a table that gives {column} (serang-gis join), or use --split equal",
        "konv_split_fallback": "{n} activities name a kelurahan without a {column} figure (or all 0): their pagu is split equally",
        "konv_sub_title": "{n} activities of {o} offices; pagu {total}; {pct_kota} city-wide. {headline}. Touches a lokus (activity counted whole): {touch} of located pagu",
        "konv_kota_not_counted": "city-wide activities are not counted.",
        "konv_headline_short": "{pct} of located pagu lands in lokus kelurahan ({split})",
        "konv_pagu_turunan": "Pagu from split kecamatan activities (Rp)", "konv_catatan_pagu": "Pagu note",
        "konv_def_alloc": "Headline share (allocation): each located activity's pagu is divided over the kelurahan its Lokasi names ({split}); the parts landing in lokus kelurahan are summed and divided by all located pagu.",
        "konv_def_touch": "Touches a lokus: the whole pagu of activities whose Lokasi names at least one lokus kelurahan, divided by all located pagu (the old measure; it counts pagu that lands in non-lokus kelurahan).",
    },
}
for _lang, _words in _KONV_SPLIT_TEXT.items():
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
