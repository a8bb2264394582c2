"""Every word the products show, in Bahasa Indonesia (default) and English: one read-only catalogue.

``t(lang, key, **fields)`` gives the text of ``key`` in ``lang`` ("id" or "en"), with ``{fields}``
filled in. Each entry below is written once as a pair ``key: (Indonesian, English)``, so that no
word exists in one language only; ``TEXT[lang]`` is the catalogue of one language, read-only (a map
that needs another word passes it, never writes it here). Numbers are formatted by
``serang_gis.core.numbers``, whose decimal and thousands marks are entries here too.

Keys are grouped by what shows them: the Leaflet maps (no prefix; ``RUNTIME`` lists the words the
browser runtime is given), units (``unit.``), indicator names (``ind.``), the index page
(``index.``, ``col.``), the atlas summary (``sum.``), the convergence view (``konv.``), the funnel
plot (``funnel.``), the join report (``join.``), the e-PPGBM quality panel (``quality.``), the
paper's checks (``check.``), the two numbers (``two.``), class labels (``classes.``, ``who.``),
QGIS field names (``alias.``), categories (``odf.``, ``tier``, ``paket.``, ``rank.``).
"""

from __future__ import annotations

from types import MappingProxyType

LANGS = ("id", "en")

_MAP = {  # the Leaflet maps and their runtime
    "kel_title": ("Kota Serang: lokus stunting, status ODF dan kasus yang dilaporkan",
                  "Kota Serang: stunting lokus, ODF status and reported cases"),
    "kec_title": ("Kota Serang: balita stunting dan keluarga berisiko per kecamatan",
                  "Kota Serang: stunted toddlers and families at risk per kecamatan"),
    "kelurahan": ("Kelurahan", "Kelurahan"),
    "desa": ("Desa", "Desa"),
    "kelurahan_desa": ("Kelurahan/desa", "Kelurahan/desa"),
    "kecamatan": ("Kecamatan", "Kecamatan"),
    "boundaries": ("Batas kelurahan", "Kelurahan boundaries"),
    "kec_outline": ("Batas kecamatan", "Kecamatan boundaries"),
    "kec_names": ("Nama kecamatan", "Kecamatan names"),
    "lokus": ("Lokus {year}", "Lokus {year}"),
    "lokus_item": ("Kelurahan lokus {year}", "Lokus kelurahan {year}"),
    # what each embedded lokus list rests on (read.reference: the paper's 2022 list, 19, against the Walikota decree's 18)
    "lokus.basis_2021": ("makalah Sinergitas (2023), Gambar 1 (peta lokasi stunting 2021, Dinas Kesehatan)",
                         "the Sinergitas paper (2023), Figure 1 (map of stunting locations 2021, Dinas Kesehatan)"),
    "lokus.count_2022": ("{n} kelurahan (SK Walikota {decree} menetapkan {m}, tanpa {without})",
                         "{n} kelurahan (mayoral decree {decree} names {m}, without {without})"),
    "lokus.basis_2022": ("makalah Sinergitas (2023), {count}", "the Sinergitas paper (2023), {count}"),
    "lokus.short": ("makalah Sinergitas (2023), 2022: {n} kelurahan (SK Walikota {m}, tanpa {without})",
                    "Sinergitas paper (2023), 2022: {n} kelurahan (mayoral decree {m}, without {without})"),
    "lokus.html_source": ("{paper}; lokus 2022: {count}", "{paper}; lokus 2022: {count}"),
    "lokus.both": ("makalah dan SK Walikota", "the paper and the mayoral decree"),
    "lokus.paper_only": ("makalah saja, tidak dalam SK Walikota", "the paper only, not in the mayoral decree"),
    "lokus.flag_by": ("ya ({by})", "yes ({by})"),
    "lokus.credit": ("makalah Sinergitas (2023), 2021: Gambar 1; 2022: {count}",
                     "the Sinergitas paper (2023), 2021: Figure 1; 2022: {count}"),
    "odf": ("Status ODF (per {date})", "ODF status (as of {date})"),
    "reported": ("Balita stunting dilaporkan", "Reported stunted toddlers"),
    "reported_note": ("Lingkaran sebanding jumlah; kelurahan lain: tidak ada data",
                      "Circle area proportional to count; other kelurahan: no data"),
    "stunting_snap": ("Balita stunting ({snap})", "Stunted toddlers ({snap})"),
    "stunting_snap_embedded": ("Balita stunting ({snap}, angka bawaan paket dari pemberitaan)",
                               "Stunted toddlers ({snap}, the package's built-in figures from news reports)"),
    "families": ("Keluarga berisiko stunting (2021)", "Families at risk of stunting (2021)"),
    "circle_note": ("Luas lingkaran sebanding jumlah", "Circle area proportional to count"),
    "circle_note_periods": ("Luas lingkaran sebanding jumlah, satu skala untuk semua periode (terbesar {max}); peta PNG memakai "
                            "skala periodenya sendiri",
                            "Circle area proportional to count, one scale for every period (largest {max}); the PNG map uses "
                            "its own period's scale"),
    "static.stunting": ("Balita stunting", "Stunted toddlers"),  # the size legend's heading of the static kecamatan map
    "static.per_kec": ("{kab}, per kecamatan", "{kab}, per kecamatan"),
    "static.kec_source": ("Sumber: e-PPGBM per kecamatan, {source} (lihat index.html)",
                          "Source: e-PPGBM per kecamatan, {source} (see index.html)"),
    "static.kel_source": ("Sumber: Pemkot Serang dan pemberitaan (lihat index.html)", "Source: Pemkot Serang and news reports (see index.html)"),
    # the kelurahan page's static map: the lokus outlines and the reported cases over the ODF fill, as its HTML page
    "static.kel_title": ("Lokus stunting, status ODF dan kasus dilaporkan", "Stunting lokus, ODF status and reported cases"),
    "static.reported_period": ("Balita stunting dilaporkan ({period})", "Reported stunted toddlers ({period})"),
    "static.cases_news": ("pemberitaan {period}", "news reports {period}"),
    "static.kel_sources": ("Sumber: {lokus}; ODF: {odf}; kasus: {cases}",
                           "Sources: {lokus}; ODF: {odf}; cases: {cases}"),
    "static.odf_news": ("Pemkot Serang dan pemberitaan s.d. {date} ({sites})", "Pemkot Serang and news reports up to {date} ({sites})"),
    "static.odf_as_of": ("ODF per {date}", "ODF as of {date}"),
    "static.old_status": ("{names}, laporan {date}", "{names}, reported {date}"),  # a status older than the map's date
    "static.odf_user": ("ODF: {files}", "ODF: {files}"),
    "static.cases_part": ("kasus: {cases}", "cases: {cases}"),
    "static.user_source": ("Sumber: {files}", "Source: {files}"),
    "static.layer_source": ("Sumber: {source}", "Source: {source}"),
    "static.layer_period": (", periode {period}", ", period {period}"),
    "static.boundaries": ("Batas wilayah: wilayah_boundaries (lisensi MIT)", "Boundaries: wilayah_boundaries (MIT licence)"),
    "src.news": ("pemberitaan", "news report"),
    "sources": ("Sumber data", "Data sources"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    "no_data": ("tidak ada data", "no data"),
    "subtitle_kec": ("e-PPGBM menurut makalah (2021) dan pemberitaan (2022-2025); keluarga berisiko: pendataan keluarga 2021",
                     "e-PPGBM per the paper (2021) and news reports (2022-2025); families at risk: family survey 2021"),
    "subtitle_source": ("Sumber: {source}", "Source: {source}"),
    "subtitle_period": ("periode {period}", "period {period}"),
    "subtitle_boundaries": ("{n} kelurahan/desa", "{n} kelurahan/desa"),
    "title_kecamatan": ("{title} per kecamatan – {kabkota}", "{title} per kecamatan – {kabkota}"),
    "area": ("Luas", "Area"),
    "no_data_class": ("Tidak ada data", "No data"),
    "target": ("Target {value}: {n} wilayah pada atau di atas target.", "Target {value}: {n} areas at or above target."),
    "search": ("Cari kelurahan atau kode", "Search kelurahan or code"),
    "not_found": ("Tidak ditemukan", "Not found"),
    "results": ("Hasil pencarian", "Search results"),
    "fullscreen": ("Layar penuh", "Full screen"),
    "print": ("Cetak peta", "Print map"),
    "layers": ("Lapisan peta", "Map layers"),
    "legend": ("Legenda", "Legend"),
    "zoom_in": ("Perbesar", "Zoom in"),
    "zoom_out": ("Perkecil", "Zoom out"),
    "no_basemap": ("Tanpa peta dasar", "No basemap"),
    "unit_name": ("Kelurahan", "Kelurahan"),
    "puskesmas": ("Puskesmas", "Puskesmas"),
    "attribution": ("Batas wilayah: wilayah_boundaries (Cahya DSN, lisensi MIT), kode Kepmendagri 300.2.2-2138/2025",
                    "Boundaries: wilayah_boundaries (Cahya DSN, MIT licence), Kepmendagri 300.2.2-2138/2025 codes"),
    "measured_balita_diukur": ("balita diukur", "toddlers measured"),
    "measured_keluarga": ("keluarga", "families"),
    "mark_few": ("Data terlalu sedikit (< {n} {what}), tidak dikelaskan", "Too few data (< {n} {what}), not classed"),
    "mark_caution": ("Hati-hati: {lo}–{hi} {what} (arsir)", "Caution: {lo}–{hi} {what} (hatched)"),
    "mark_partial": ("Sebagian: tidak semua kelurahan melapor (arsir)", "Partial: not every kelurahan reported (hatched)"),
    "n_of_N": ("{n} dari {N} kelurahan melapor", "{n} of {N} kelurahan reported"),
    "subtitle_sum": ("Jumlah dari kelurahan yang melapor; arsir: tidak semua kelurahan melapor",
                     "Sums of the kelurahan that reported; hatched: not every kelurahan reported"),
    "reporting": ("Kelurahan melapor", "Kelurahan reporting"),
    "short_few": ("data terlalu sedikit", "too few data"),
    "short_caution": ("hati-hati", "caution"),
    "short_partial": ("sebagian", "partial"),
    "change": ("Perubahan {label} {a} → {b}", "Change in {label}, {a} → {b}"),
    "change.skipped": ("peta perubahan {label} {a} → {b} tidak dibuat: tidak ada data {label} untuk periode {missing}",
                       "change map {label} {a} → {b} not drawn: no {label} data for the period {missing}"),
    "points_of": ("{label} (titik)", "{label} (points)"),
    "points_of_paren": ("{label}, titik)", "{label}, points)"),  # "Keluarga berisiko stunting (jumlah, titik)"
    "north": ("U", "N"),
}

_UNITS = {  # units as stored (Indonesian) -> as read
    "unit.balita": ("balita", "toddlers"),
    "unit.keluarga": ("keluarga", "families"),
    "unit.KK": ("KK", "households"),
    "unit.poin": ("poin", "points"),
    "unit.kelurahan": ("kelurahan", "kelurahan"),
}

_NUMBERS = {  # serang_gis.core.numbers: the marks of a number
    "num.decimal": (",", "."),
    "num.group": (".", ","),
}

_INDICATORS = {  # core.indicators.INFO: the name of each indicator column
    "ind.prevalensi_stunting": ("Prevalensi stunting", "Stunting prevalence"),
    "ind.prevalensi": ("Prevalensi stunting (tercatat)", "Stunting prevalence (as given)"),
    "ind.persen_keluarga_berisiko": ("Keluarga berisiko stunting", "Families at risk of stunting"),
    "ind.kesenjangan_sanitasi": ("KK tanpa akses jamban layak", "Households without a proper jamban"),
    "ind.jamban_layak_persen": ("Akses jamban layak", "Proper (sehat/layak) jamban access"),
    "ind.jamban_persen": ("Akses jamban (semua jenis)", "Any jamban access"),
    "ind.prevalensi_stunting_eb": ("Prevalensi stunting (dihaluskan)", "Stunting prevalence (smoothed)"),
    "ind.keandalan_gizi": ("Keandalan data gizi", "Reliability of the nutrition data"),
    "ind.balita_stunting": ("Balita stunting", "Stunted toddlers"),
    "ind.balita_diukur": ("Balita diukur", "Toddlers measured"),
    "ind.sasaran_balita": ("Sasaran balita", "Toddlers to be weighed (sasaran)"),
    "ind.pendek": ("Balita pendek", "Stunted toddlers (moderate)"),
    "ind.sangat_pendek": ("Balita sangat pendek", "Severely stunted toddlers"),
    "ind.stunting": ("Balita stunting (tercatat)", "Stunted toddlers (as given)"),
    "ind.keluarga": ("Jumlah keluarga", "Families"),
    "ind.keluarga_sasaran": ("Keluarga sasaran", "Target families"),
    "ind.kk": ("Jumlah KK", "Households"),
    "ind.keluarga_berisiko": ("Keluarga berisiko stunting (jumlah)", "Families at risk (number)"),
    "ind.tanpa_jamban": ("KK tanpa jamban", "Households without a jamban"),
    "ind.stunting_dilaporkan": ("Balita stunting dilaporkan", "Reported stunted toddlers"),
    "ind.status_odf": ("Status ODF", "ODF status"),
    "ind.prioritas": ("Prioritas penanganan", "Priority tier"),
    "ind.skor_prioritas": ("Skor prioritas", "Priority score"),
    "ind.krs_air_tidak_layak": ("Keluarga tanpa sumber air minum layak (jumlah)", "Families without a proper drinking-water source (number)"),
    "ind.persen_krs_air_tidak_layak": ("Keluarga tanpa sumber air minum layak", "Families without a proper drinking-water source"),
    "ind.krs_jamban_tidak_layak": ("Keluarga tanpa jamban layak (jumlah)", "Families without a proper jamban (number)"),
    "ind.persen_krs_jamban_tidak_layak": ("Keluarga tanpa jamban layak", "Families without a proper jamban"),
    "ind.krs_terlalu_muda": ("Terlalu muda (istri < 20 tahun) (jumlah)", "Too young (wife under 20) (number)"),
    "ind.persen_krs_terlalu_muda": ("Terlalu muda (istri < 20 tahun)", "Too young (wife under 20)"),
    "ind.krs_terlalu_tua": ("Terlalu tua (istri 35-40 tahun) (jumlah)", "Too old (wife 35-40) (number)"),
    "ind.persen_krs_terlalu_tua": ("Terlalu tua (istri 35-40 tahun)", "Too old (wife 35-40)"),
    "ind.krs_terlalu_dekat": ("Terlalu dekat (jarak kelahiran < 2 tahun) (jumlah)", "Too close (births under 2 years apart) (number)"),
    "ind.persen_krs_terlalu_dekat": ("Terlalu dekat (jarak kelahiran < 2 tahun)", "Too close (births under 2 years apart)"),
    "ind.krs_terlalu_banyak": ("Terlalu banyak (3 anak atau lebih) (jumlah)", "Too many (3 or more children) (number)"),
    "ind.persen_krs_terlalu_banyak": ("Terlalu banyak (3 anak atau lebih)", "Too many (3 or more children)"),
    "ind.krs_bukan_kb_modern": ("PUS bukan peserta KB modern (jumlah)", "Couples not using modern contraception (number)"),
    "ind.persen_krs_bukan_kb_modern": ("PUS bukan peserta KB modern", "Couples not using modern contraception"),
    "ind.pus_hamil": ("PUS hamil (jumlah)", "Pregnant women (PUS) (number)"),
    "ind.persen_pus_hamil": ("PUS hamil", "Pregnant women (PUS)"),
    "ind.stbm_stop_babs": ("Pilar 1: stop BABS (jumlah)", "Pillar 1: stop open defecation (number)"),
    "ind.persen_stbm_stop_babs": ("Pilar 1: stop BABS", "Pillar 1: stop open defecation"),
    "ind.stbm_ctps": ("Pilar 2: cuci tangan pakai sabun (jumlah)", "Pillar 2: handwashing with soap (number)"),
    "ind.persen_stbm_ctps": ("Pilar 2: cuci tangan pakai sabun", "Pillar 2: handwashing with soap"),
    "ind.stbm_pammrt": ("Pilar 3: pengelolaan air minum dan makanan (jumlah)", "Pillar 3: safe drinking water and food (number)"),
    "ind.persen_stbm_pammrt": ("Pilar 3: pengelolaan air minum dan makanan", "Pillar 3: safe drinking water and food"),
    "ind.stbm_sampah": ("Pilar 4: pengamanan sampah (jumlah)", "Pillar 4: household waste (number)"),
    "ind.persen_stbm_sampah": ("Pilar 4: pengamanan sampah", "Pillar 4: household waste"),
    "ind.stbm_limbah": ("Pilar 5: pengamanan limbah cair (jumlah)", "Pillar 5: household wastewater (number)"),
    "ind.persen_stbm_limbah": ("Pilar 5: pengamanan limbah cair", "Pillar 5: household wastewater"),
    "ind.tangga_babs_terbuka": ("BABS terbuka (jumlah)", "Open defecation (number)"),
    "ind.persen_tangga_babs_terbuka": ("BABS terbuka", "Open defecation"),
    "ind.tangga_babs_tertutup": ("BABS tertutup (jumlah)", "Unimproved closed facility (number)"),
    "ind.persen_tangga_babs_tertutup": ("BABS tertutup", "Unimproved closed facility"),
    "ind.tangga_bersama": ("Jamban layak bersama (sharing) (jumlah)", "Shared proper jamban (number)"),
    "ind.persen_tangga_bersama": ("Jamban layak bersama (sharing)", "Shared proper jamban"),
    "ind.tangga_layak_sendiri": ("Jamban layak sendiri (jumlah)", "Own proper jamban (number)"),
    "ind.persen_tangga_layak_sendiri": ("Jamban layak sendiri", "Own proper jamban"),
    "ind.tangga_aman": ("Sanitasi aman (jumlah)", "Safely managed sanitation (number)"),
    "ind.persen_tangga_aman": ("Sanitasi aman", "Safely managed sanitation"),
    "ind.pus": ("Pasangan usia subur (PUS)", "Couples of reproductive age (PUS)"),
    "ind.baduta": ("Keluarga dengan baduta", "Families with a child under two"),
    "ind.balita_keluarga": ("Keluarga dengan balita", "Families with a toddler")
}

_CATEGORIES = {
    "odf.verified": ("ODF terverifikasi", "ODF verified"),
    "odf.declared": ("ODF deklarasi", "ODF declared"),
    "odf.not_yet": ("Belum ODF", "Not yet ODF"),
    "tier": ("Prioritas {n}", "Priority {n}"),
    "paket.kia": ("KIA", "Maternal and child health (KIA)"),
    "paket.konseling_gizi": ("Konseling gizi", "Nutrition counselling"),
    "paket.air_sanitasi": ("Air bersih & sanitasi", "Water & sanitation"),
    "paket.perlindungan_sosial": ("Perlindungan sosial", "Social protection"),
    "paket.paud": ("PAUD", "Early childhood education (PAUD)"),
    "rank.prioritas": ("Prioritas", "Tier"),
    "rank.peringkat": ("Peringkat", "Rank"),
    "rank.penjelasan": ("Kontribusi indikator", "Why (share of the score)"),
    "rank.peluang_top_n": ("Peluang masuk Prioritas 1", "Chance of top tier"),
    "rank.galat_mc": ("Peluang itu tepat sampai ± (undian terbatas)", "That chance is exact to ± (a finite number of draws)"),
    "rank.status_lokus": ("Kekuatan sebagai lokus", "Strength as lokus"),
    "rank.banding_lokus": ("Dibanding daftar lokus", "Against the lokus list"),
    "rank.banding_lokus_named": ("Dibanding daftar lokus {name}", "Against the lokus list {name}"),
    "rank.peringatan_data": ("Peringatan data", "Data caution"),
    "rank.periode_sebagian": ("Periode sebagian", "Partial period"),
    "rank.bobot_dipindah": ("Bobot dipindah", "Weight moved"),
    "rank.di_batas": ("Di batas (undian lain bisa mengubahnya)", "At a cut (other draws could change it)"),
    "classes.all": ("semua nilai", "all values"),
    "who.1": ("sangat rendah", "very low"),
    "who.2": ("rendah", "low"),
    "who.3": ("sedang", "medium"),
    "who.4": ("tinggi", "high"),
    "who.5": ("sangat tinggi", "very high"),
}

_ALIASES = {  # QGIS field names (attribute table, forms)
    "alias.kode_kel": ("Kode kelurahan", "Kelurahan code"),
    "alias.kode_kec": ("Kode kecamatan", "Kecamatan code"),
    "alias.kode_kab": ("Kode kab/kota", "Kab/kota code"),
    "alias.kabkota": ("Kab/kota", "Kab/kota"),
    "alias.luas_km2": ("Luas (km²)", "Area (km²)"),
    "alias.jumlah_kelurahan": ("Jumlah kelurahan", "Kelurahan (number)"),
    "alias.kelas_peta": ("Kelas di peta", "Map class"),
    "alias.tanda_peta": ("Catatan keandalan", "Reliability note"),
    "alias.sumber": ("Sumber", "Source"),
    "alias.periode": ("Periode", "Period"),
    "alias.kelurahan": ("Kelurahan melapor", "Kelurahan reporting"),
    "alias.sebagian": ("Sebagian (tidak semua melapor)", "Partial (not all reported)"),
    "alias.ci_lower": ("{label}, batas bawah {pct} %", "{label}, {pct} % lower limit"),
    "alias.ci_upper": ("{label}, batas atas {pct} %", "{label}, {pct} % upper limit"),
    "alias.scheme": ("kelas {scheme}", "classes {scheme}"),
    "shp.col.short": ("nama_pendek", "short_name"),  # the header of a Shapefile's <layer>_fields.csv
    "shp.col.long": ("nama_panjang", "long_name"),
    "shp.col.alias": ("alias", "alias"),
    "scheme.who": ("WHO-UNICEF 2018", "WHO-UNICEF 2018"),  # as the legends name it (plan.layers: the layer's note)
    "scheme.quantiles": ("kuantil", "quantiles"),
    "scheme.natural_breaks": ("jeda alami (Jenks)", "natural breaks (Jenks)"),
    "scheme.equal_interval": ("interval sama", "equal intervals"),
    "scheme.manual": ("batas manual", "manual breaks"),
    "alias.kode_kel_10": ("Kode kelurahan, 10 angka tanpa titik", "Kelurahan code, 10 digits without dots"),
    "alias.kelurahan_nama": ("Kelurahan", "Kelurahan"),
    "alias.kecamatan": ("Kecamatan", "Kecamatan"),
    "alias.tipe": ("Jenis wilayah (kelurahan/desa)", "Unit type (kelurahan/desa)"),
    "alias.daftar_lokus": ("Daftar lokus", "Lokus list"),
    "alias.lokus": ("Lokus (ya/tidak)", "Lokus (yes/no)"),
    "alias.per_period": ("{label}, periode {period}", "{label}, period {period}"),
    "alias.change": ("Perubahan {label}, {a} ke {b}", "Change in {label}, {a} to {b}"),
    "shp.cut": ("{alias}; dipotong, teks lengkap di {file}", "{alias}; cut, the full text in {file}"),
    # the convergence layer (serang-gis konvergensi)
    "alias.jumlah_opd": ("Jumlah OPD yang menjangkau (OPD)", "Offices (OPD) reaching it (offices)"),
    "alias.jumlah_subkegiatan": ("Jumlah sub kegiatan (sub kegiatan)", "Sub-activities (number)"),
    "alias.pagu_terlokasi": ("Pagu terlokasi (Rp)", "Located pagu (Rp)"),
    "alias.pagu_turunan": ("Pagu dari kegiatan kecamatan yang dibagi (Rp)", "Pagu split down from kecamatan activities (Rp)"),
    "alias.pagu_hanya_turunan": ("Pagu hanya dari kegiatan kecamatan yang dibagi (ya/tidak)",
                                 "Pagu only from split kecamatan activities (yes/no)"),
    "alias.daftar_opd": ("OPD yang menjangkau (daftar)", "Offices reaching it (list)"),
    "alias.paket": ("Paket layanan {name} (ada/tidak)", "Service package {name} (yes/no)"),
    "alias.jumlah_paket": ("Jumlah paket layanan (dari 5)", "Service packages (of 5)"),
    "alias.paket_layanan": ("Paket layanan (daftar)", "Service packages (list)"),
    "alias.pagu_per_balita_stunting": ("Pagu terlokasi per balita stunting (Rp per balita)", "Located pagu per stunted toddler (Rp per toddler)"),
    "alias.pagu_per_keluarga_berisiko": ("Pagu terlokasi per keluarga berisiko (Rp per keluarga)",
                                         "Located pagu per family at risk (Rp per family)"),
    "alias.catatan_pagu": ("Catatan pagu", "Pagu note"),
    "alias.daftar_kegiatan": ("Sub kegiatan yang menjangkau (daftar)", "Sub-activities reaching it (list)"),
    "alias.kelas_kebutuhan_belanja": ("Kelas kebutuhan (tersil) x belanja (1: Rp 0; 2: > 0, ≤ median yang > 0; 3: > median itu)",
                                      "Need (tercile) x spending class (1: Rp 0; 2: > 0, ≤ median of those > 0; 3: above it)"),
    # flags, sources and the priority ranking (serang-gis rank)
    "alias.tidak_stabil": ("Angka tidak stabil: sedikit balita diukur (ya/tidak)", "Unstable rate: few toddlers measured (yes/no)"),
    "alias.status_odf_teks": ("Status ODF (teks sumber)", "ODF status (source text)"),
    "alias.tanggal_odf": ("Tanggal deklarasi ODF", "ODF declaration date"),
    "alias.tanggal_odf_kecamatan": ("Tanggal deklarasi ODF kecamatan", "Kecamatan ODF declaration date"),
    "alias.tingkat_odf": ("Tingkat deklarasi ODF", "ODF declaration level"),
    "alias.kepastian_odf": ("Kepastian status ODF", "Certainty of the ODF status"),
    "alias.kepastian_stunting_dilaporkan": ("Kepastian angka stunting dilaporkan", "Certainty of the reported stunting count"),
    "alias.dirangking": ("Diperingkat (ya/tidak)", "Ranked (yes/no)"),
    "alias.peringkat": ("Peringkat prioritas (1 = paling prioritas)", "Priority rank (1 = highest priority)"),
    "alias.peringkat_p5": ("Peringkat, persentil 5 (simulasi)", "Rank, 5th percentile (simulation)"),
    "alias.peringkat_p95": ("Peringkat, persentil 95 (simulasi)", "Rank, 95th percentile (simulation)"),
    "alias.indikator_hilang": ("Indikator tanpa data (daftar)", "Indicators without data (list)"),
    "alias.penjelasan": ("Penjelasan peringkat", "Why this rank"),
    "alias.cek_sanitasi": ("Cek data sanitasi", "Sanitation data check"),
    "alias.cakupan_persen": ("Cakupan data (%)", "Data coverage (%)"),
    "alias.peringatan_data": ("Peringatan data", "Data warning"),
    "alias.bobot_dipindah": ("Bobot dipindahkan dari indikator (daftar)", "Weight moved from indicators (list)"),
    "alias.peluang_top_n": ("Peluang masuk N teratas (0-1)", "Probability of the top N (0-1)"),
    "alias.peluang_top_2n": ("Peluang masuk 2N teratas (0-1)", "Probability of the top 2N (0-1)"),
    "alias.galat_mc": ("Ketepatan (±) peluang N teratas", "Precision (±) of the top N probability"),
    "alias.galat_mc_2n": ("Ketepatan (±) peluang 2N teratas", "Precision (±) of the top 2N probability"),
    "alias.status_lokus": ("Status terhadap daftar lokus", "Status against the lokus list"),
    "alias.banding_lokus": ("Banding dengan daftar lokus", "Compared with the lokus list"),
    "alias.di_batas": ("Di batas tier: undian lain bisa mengubahnya", "At a tier boundary: other draws could change it"),
    "alias.nilai": ("Nilai ternormalisasi: {label}", "Normalised value: {label}"),
    "alias.kontribusi": ("Kontribusi ke skor (%): {label}", "Contribution to the score (%): {label}"),
    "alias.lampu": ("Lampu (hijau/kuning/merah): {label}", "Light (green/amber/red): {label}"),
    "alias.lokus_year": ("Lokus {year} (ya/tidak)", "Lokus {year} (yes/no)"),
    "alias.jumlah_lokus": ("Jumlah kelurahan lokus {year}", "Lokus kelurahan {year} (number)"),
    "alias.puskesmas_lokus": ("Puskesmas lokus {year}", "Lokus puskesmas {year}"),
    "alias.dasar_lokus_2022": ("Lokus 2022 menurut", "Lokus 2022 per"),
    "alias.kontribusi_prevalensi": ("Kontribusi ke prevalensi kota {year} (%)", "Contribution to the city prevalence {year} (%)"),
}

_INDEX = {  # index.html
    "index.products": ("Produk", "Products"),
    "index.summary": ("Ringkasan", "Summary"),
    "index.checks": ("Pemeriksaan angka makalah", "Checks of the paper's figures"),
    "index.checks_intro": ("Setiap total yang dicetak makalah dihitung ulang dari tabelnya; perbedaan ditampilkan, tidak disembunyikan.",
                           "Every total the paper prints is recomputed from its tables; differences are shown, not hidden."),
    "index.check": ("Pemeriksaan", "Check"),
    "index.printed": ("Tercetak", "Printed"),
    "index.computed": ("Dihitung", "Computed"),
    "index.note": ("Catatan", "Note"),
    "index.same": ("sama", "same"),
    "index.differs": ("berbeda", "differs"),
    "index.sources": ("Sumber data", "Data sources"),
    "index.notes": ("Catatan tentang data dan cara menghitung", "Notes on the data and how the figures were made"),
    "index.table": ("Tabel kelurahan (klik judul kolom untuk mengurutkan)", "Kelurahan table (click a column title to sort)"),
    "index.match": ("Laporan pencocokan data", "Data match report"),
    "index.table_label": ("Tabel kelurahan, dapat digulir", "Kelurahan table, scrollable"),
    "index.sort_hint": ("urutkan", "sort"),
    "index.title": ("Atlas stunting {kab}", "{kab} stunting atlas"),
    "index.interactive": ("peta interaktif", "interactive map"),
    "index.funnel": ("prevalensi vs balita diukur", "prevalence vs toddlers measured"),
    "index.gpkg": ("GeoPackage (QGIS, bergaya)", "GeoPackage (QGIS, styled)"),
    "index.csv": ("tabel", "table"),
    "index.png": ("peta statis", "static map"),
    "index.qgz": ("proyek QGIS (semua lapisan, tata letak cetak)", "QGIS project (every layer, print layouts)"),
    "index.xlsx": ("tabel Excel", "Excel workbook"),
    "index.json": ("ringkasan JSON (untuk dibaca program)", "JSON summary (for programs)"),
    "index.funnel_title": ("Plot corong", "Funnel plot"),
    "group.gizi": ("gizi", "nutrition"),  # the index's table caption names each data group
    "group.keluarga": ("keluarga", "families"),
    "group.sanitasi": ("sanitasi", "sanitation"),
    "group.stbm": ("STBM", "STBM"),
    "col.kode_kel": ("Kode", "Code"),
    "col.kelurahan": ("Kelurahan", "Kelurahan"),
    "col.kecamatan": ("Kecamatan", "Kecamatan"),
    "col.lokus_2021": ("Lokus 2021", "Lokus 2021"),
    "col.lokus_2022": ("Lokus 2022", "Lokus 2022"),
    "col.reported_period": ("Balita stunting dilaporkan ({period}, balita)", "Reported stunted toddlers ({period}, toddlers)"),
    "sum.boundaries": ("Batas wilayah", "Boundaries"),
    "sum.matched": ("Kelurahan cocok", "Kelurahan matched"),
    "sum.reported": ("Kelurahan berdata kasus", "Reported kelurahan counts"),
    "sum.lokus_user": ("{n} (tabel pengguna {file})", "{n} (user's table {file})"),
    "sum.lokus_embedded": ("daftar makalah, bawaan paket, untuk perbandingan", "the paper's list, built into the package, for comparison"),
    "sum.lokus_paper": ("Lokus {year} (makalah)", "Lokus {year} (the paper's)"),
    "sum.two_numbers": ("Dua angka", "Two numbers"),
    "sum.data": ("{matched} baris cocok, {unmatched} tidak cocok; kelurahan dengan data apa pun {with_data} / {kelurahan}",
                 "{matched} rows matched, {unmatched} unmatched; kelurahan with data of any kind {with_data} / {kelurahan}"),
    "sum.lokus_read_as": ("daftar lokus {file} baris {row}: {written} dibaca sebagai {kel} (Kec. {kec}{how}); periksa dan perbaiki tulisannya",
                          "lokus list {file} row {row}: {written} read as {kel} (Kec. {kec}{how}); check and correct the spelling"),
    "sum.read_as_score": (", kemiripan {score}", ", similarity {score}"),
    "sum.read_as_code": (", menurut kodenya {code}", ", by its code {code}"),
    "sum.data_measured": ("; dengan balita diukur {n} / {kelurahan}", "; with toddlers measured {n} / {kelurahan}"),
    "sum.reported_in": ("Kel. berdata kasus {period}", "Kel. with counts {period}"),  # within the 26-character label column
}

_KONVERGENSI = {  # the convergence map and the lokus x OPD page
    "konv.title": ("Konvergensi: OPD mana bertindak di mana, dan apakah anggaran sampai ke lokus",
                   "Convergence: which office acts where, and does the money reach the lokus"),
    "konv.opd": ("Jumlah OPD yang menjangkau", "Offices (OPD) reaching it"),
    "konv.sub": ("Jumlah sub kegiatan", "Sub-kegiatan"),
    "konv.pagu": ("Pagu terlokasi (Rp)", "Located pagu (Rp)"),
    "konv.per_balita": ("Pagu terlokasi per balita stunting (Rp)", "Located pagu per stunted toddler (Rp)"),
    "konv.per_balita_zero": ("Rp 0 / tidak ada pagu", "Rp 0 / no pagu"),
    "konv.per_krs": ("Pagu terlokasi per keluarga berisiko (Rp)", "Located pagu per family at risk (Rp)"),
    "konv.paket": ("Paket layanan yang menjangkau", "Service packages reaching it"),
    "konv.opds": ("OPD", "Offices"),
    "konv.list": ("Kegiatan yang menjangkau kelurahan ini", "Activities reaching this kelurahan"),
    "konv.biv": ("Kebutuhan x belanja", "Need x spending"),
    "konv.biv_class": ("Kelas kebutuhan x belanja", "Need x spending class"),
    "konv.kota": ("Kegiatan se-kota (tidak dihitung menjangkau)", "City-wide activities (not counted as reaching)"),
    "konv.kota_text": ("{n} kegiatan, {pagu}", "{n} activities, {pagu}"),
    "konv.split_equal": ("Pagu satu kegiatan dibagi rata ke kelurahan yang disebut Lokasi-nya; kegiatan se-kota tidak dihitung.",
                         "An activity's pagu is split equally over the kelurahan its Lokasi names; city-wide activities are not counted."),
    "konv.split_none": ("Pagu satu kegiatan dihitung penuh di setiap kelurahan yang disebut Lokasi-nya (jumlahnya melebihi anggaran); "
                        "kegiatan se-kota tidak dihitung.",
                        "An activity's pagu is counted whole in each kelurahan its Lokasi names (the sum exceeds the budget); "
                        "city-wide activities are not counted."),
    "konv.opd_note": ("Langsung atau lewat kecamatannya; kegiatan se-kota tidak dihitung.",
                      "Directly or through the kecamatan; city-wide activities are not counted."),
    "konv.need.prevalensi_stunting": ("prevalensi", "prevalence"),
    "konv.need.balita_stunting": ("balita stunting", "stunted toddlers"),
    "konv.spend": ("pagu terlokasi", "located pagu"),
    "konv.lvl0": ("tidak ada data", "no data"),  # need unknown (the need x spending class "01")
    "konv.lvl1": ("rendah", "low"),
    "konv.lvl2": ("sedang", "medium"),
    "konv.lvl3": ("tinggi", "high"),
    "konv.biv_label": ("{need} {need_level} ({need_range}), {spend} {spend_range}",
                       "{need} {need_level} ({need_range}), {spend} {spend_range}"),
    "konv.lokus": ("Lokus {name}", "Lokus {name}"),
    "konv.lokus_item": ("Kelurahan lokus {name}", "Lokus kelurahan {name}"),
    "konv.share": ("bagian kelurahan ini", "this kelurahan's share"),
    "konv.via": ("lewat kecamatan", "through the kecamatan"),
    "konv.not_odf": ("belum ODF", "not ODF"),
    "konv.above_median": ("{need} {value} ≥ median {median}", "{need} {value} ≥ median {median}"),
    "konv.src_matrix": ("Matriks Aksi 2", "Aksi 2 activity matrix"),
    "konv.sum_row": ("Konvergensi", "Convergence"),
    "konv.h_money": ("Apakah anggaran sampai ke lokus?", "Does the money reach the lokus?"),
    "konv.activities": ("Kegiatan", "Activities"),
    "konv.c_lokus": ("Lokus", "Lokus"),
    "konv.c_non_lokus": ("Non-lokus", "Non-lokus"),
    "konv.c_kota": ("Se-kota", "City-wide"),
    "konv.c_tidak_cocok": ("Tidak cocok", "Matched nothing"),
    "konv.paper": ("Makalah {year}", "Paper {year}"),
    "konv.h_matrix": ("Matriks lokus x OPD", "Lokus x office"),
    "konv.h_gaps": ("Celah layanan pada kebutuhan tinggi", "Gaps where the need is high"),
    "konv.gap": ("{kelurahan} (Kec. {kecamatan}): {paket} – tidak ada kegiatan terlokasi; {why}",
                 "{kelurahan} (Kec. {kecamatan}): {paket} – no located activity; {why}"),
    "konv.gap_city": ("{kelurahan} (Kec. {kecamatan}): {paket} – tidak ada kegiatan terlokasi (se-kota: {opd}); {why}",
                      "{kelurahan} (Kec. {kecamatan}): {paket} – no located activity (city-wide: {opd}); {why}"),
    "konv.none": ("tidak ada", "none"),
}

_FUNNEL = {  # the funnel plot
    "funnel.x": ("Balita diukur", "Toddlers measured"),
    "funnel.y": ("Prevalensi stunting (%)", "Stunting prevalence (%)"),
    "funnel.target": ("Kota/kabupaten {rate} %", "Kab/kota {rate} %"),
    "funnel.limits": ("Batas {level} %", "{level} % limits"),
    "funnel.title": ("Plot corong prevalensi stunting", "Stunting prevalence funnel plot"),
    "funnel.above": ("di atas", "above"),
    "funnel.below": ("di bawah", "below"),
    "funnel.inside": ("Tidak ada kelurahan di luar batas 95 %: perbedaan antarkelurahan masih dalam batas kebetulan.",
                      "No kelurahan lies outside the 95 % limits: the differences are within chance."),
    "funnel.outside": ("Di luar batas funnel: {names}.", "Outside the funnel limits: {names}."),
    "funnel.point": ("{kelurahan} ({side} {level} %)", "{kelurahan} ({side} {level} %)"),
    "funnel.clipped": ("Batas 99,8 % keluar dari tepi atas grafik bila balita diukur kurang dari {n}.",
                       "The 99.8 % limit leaves the top of the plot below {n} toddlers measured."),
}

_JOIN = {  # the join report (terminal and index.html)
    "join.read": ("baris dibaca", "rows read"),
    "join.data": ("baris data", "data rows"),
    "join.skipped": ("dilewati", "skipped"),
    "join.totals": ("baris total", "total rows"),
    "join.outside": ("baris kab/kota lain disisihkan", "rows of other kab/kota left aside"),
    "join.by_code": ("cocok menurut kode", "matched by code"),
    "join.by_name": ("menurut nama", "by name"),
    "join.fuzzy": ("mirip", "fuzzy"),
    "join.unmatched": ("TIDAK COCOK baris", "UNMATCHED row"),
    "join.nearest": ("terdekat", "nearest"),
    "join.unmatched_n": ("TIDAK COCOK, jumlah baris", "UNMATCHED rows"),
    "join.byname_hidden": ("data by-name: label tidak ditampilkan", "by-name data: labels are not shown"),
    "join.check": ("pemeriksaan total", "totals check"),
    "join.of": ("dari", "of"),
    "join.agree": ("sesuai", "agree"),
    "join.note": ("catatan", "note"),
    "join.warning": ("peringatan", "warning"),
    "join.with_data": ("kelurahan dengan data", "kelurahan with data"),
    "join.without": ("tanpa data", "without data"),
}

_QUALITY = {  # the e-PPGBM quality panel
    "quality.rows": ("panel mutu e-PPGBM: {rows} baris; {flagged} di luar batas WHO (TB/U z < -6 atau > +6), dikeluarkan",
                     "e-PPGBM quality: {rows} rows; {flagged} outside the WHO limits (HAZ < -6 or > +6), excluded"),
    "quality.months": ("bulan pengukuran {months}; Februari/Agustus {share}", "measurement months {months}; February/August {share}"),
    "quality.repeated": ("{repeated} dari {children} anak diukur lebih dari sekali dalam periode",
                         "{repeated} of {children} children measured more than once in the period"),
    "quality.no_z": ("tidak ada kolom ZS TB/U", "no ZS TB/U column: z-scores cannot be checked"),
    "quality.without_z": ("{share} baris tanpa z-score", "{share} of rows without a z-score"),
    "quality.coverage": ("cakupan {coverage} ({measured} diukur / {sasaran} sasaran, {kelurahan} kelurahan; "
                         "{below_80} di bawah 80 %, {above_100} di atas 100 %)",
                         "coverage {coverage} ({measured} measured / {sasaran} sasaran in {kelurahan} kelurahan; "
                         "{below_80} below 80 %, {above_100} above 100 %)"),
}

_CHECKS = {  # the paper's printed figures recomputed (read.reference.checks)
    "check.keluarga_2021": ("keluarga berisiko stunting 2021 (Tabel 1)", "families at risk of stunting 2021 (Table 1)"),
    "check.balita_2021": ("balita stunting 2021 (Tabel 1)", "stunted toddlers 2021 (Table 1)"),
    "check.prevalensi_2021": ("prevalensi 2021: porsi kecamatan di Bagan 1 vs angka kota",
                              "prevalence 2021: kecamatan shares in Bagan 1 (chart) vs city figure"),
    "check.prevalensi_2021.note": ("jumlah porsi kecamatan lebih besar daripada prevalensi kota yang disebut makalah; keduanya disimpan",
                                   "the kecamatan shares add up to more than the city prevalence the paper gives; both are kept"),
    "check.anggaran_2022": ("anggaran 2022 (Tabel 2)", "budget 2022 (Table 2)"),
    "check.anggaran_2022.note": ("makalah mencetak 8.677.703.00 untuk Dinas PU/Cipta Karya; totalnya hanya cocok dengan 8.677.703.000, "
                                 "yang dipakai di sini",
                                 "the paper prints 8.677.703.00 for Dinas PU/Cipta Karya; the total only adds up with 8.677.703.000, "
                                 "used here"),
    "check.anggaran_2023": ("anggaran 2023 (Tabel 3)", "budget 2023 (Table 3)"),
    "check.lokus_2021": ("lokus 2021: kelurahan dan kecamatan menurut teks vs daftarnya",
                         "lokus 2021: kelurahan and kecamatan the text announces vs the list"),
    "check.lokus_2021.note": ("teks menyebut dua belas kelurahan di lima kecamatan, lalu mendaftar tiga belas di enam",
                              "the text says twelve kelurahan in five kecamatan, then lists thirteen in six"),
    "check.lokus_2022": ("lokus 2022: daftar makalah vs Keputusan Walikota", "lokus 2022: paper list vs the Walikota decree"),
    "check.lokus_2022.note": ("makalah menambahkan Kelurahan Kasemen pada 18 kelurahan Keputusan Walikota 440/Kep.280-Huk/2021",
                              "the paper adds Kelurahan Kasemen to the 18 of Keputusan Walikota 440/Kep.280-Huk/2021"),
    "check.curug_2023": ("stunting Curug 2023: sepuluh kelurahan vs angka kecamatan di artikel",
                         "stunting Curug 2023: ten kelurahan vs the article's kecamatan figure"),
    "check.curug_2023.note": ("jumlah per kelurahan di artikel lebih kecil daripada angka kecamatannya",
                              "the article's kelurahan counts add up to less than its kecamatan count"),
    "two.routine": ("pencatatan rutin", "routine records"),
    "two.survey": ("survei sampel", "sample survey"),
    "two.why": ("Angka e-PPGBM dihitung dari semua balita yang ditimbang dan diukur di posyandu (pencatatan rutin, hampir sensus), "
                "sedangkan SSGI dan SKI adalah survei sampel rumah tangga yang diukur oleh enumerator terlatih. Angka e-PPGBM "
                "biasanya lebih rendah: balita yang tidak datang ke posyandu tidak tercatat, alat dan cara ukur berbeda, dan "
                "periodenya tidak sama. Survei dipakai untuk angka kota; e-PPGBM untuk menunjuk kelurahan dan anak.",
                "The e-PPGBM figure counts every toddler weighed and measured at a posyandu (routine records, close to a census), "
                "whereas SSGI and SKI are household sample surveys measured by trained enumerators. e-PPGBM is usually lower: "
                "toddlers who do not come to the posyandu are not recorded, equipment and technique differ, and the periods differ. "
                "Use the surveys for the city figure; e-PPGBM to point at kelurahan and children."),
}

_PLAN = {  # the atlas plan: which period and which source each product uses (join.periods, plan.atlas)
    "period": ("periode", "period"),
    "source": ("sumber", "source"),
    "rank_unranked": ("tidak diperingkat", "not ranked"),
    "tier_unranked": ("Tidak diperingkat (perlu data: < 10 balita diukur, atau tidak ada data)",
                      "Not ranked (needs data: < 10 toddlers measured, or no data)"),
    "no_period": ("tanpa periode",
                  "no period"),
    "kelurahan_of": ("{n} dari {total} kelurahan",
                     "{n} of {total} kelurahan"),
    "period_complete": ("{period} ({n} dari {total} kelurahan)",
                        "{period} ({n} of {total} kelurahan)"),
    "period_partial": ("{period}, sebagian: {n} dari {total} kelurahan",
                       "{period}, partial: {n} of {total} kelurahan"),
    "city_period_line": ("{group}: {label}",
                         "{group}: {label}"),
    "city_period_config": (" (dipilih di konfigurasi)",
                           " (chosen in the config)"),
    "city_period_missing": (" (periode di konfigurasi tidak memuat kelompok ini: dipakai periode lengkap terakhir)",
                            " (the config's period has no figure of this group: its latest complete period is used)"),
    "city_period_best": (" (tidak ada periode dengan {share} kelurahan melapor: dipakai yang paling lengkap)",
                         " (no period with {share} of kelurahan reporting: the most complete is used)"),
    "city_period_latest": (" (periode lengkap terakhir; {later} lebih baru tetapi hanya {n} dari {total} kelurahan melapor, kurang "
                           "dari {share})",
                           " (the latest complete period; {later} is later but only {n} of {total} kelurahan report, fewer than {share})"),
    "city_period_others": ("; periode lain: {others}",
                           "; other periods: {others}"),
    "city_period": ("Periode produk se-kota",
                    "Period of the city-wide products"),
    "period_of": ("periode {label}",
                  "period {label}"),
    "source_user": ("{what}: tabel pengguna {files} (menggantikan angka bawaan paket)",
                    "{what}: the user's table {files} (replaces the package's embedded figures)"),
    "source_embedded": ("{what}: angka bawaan paket ({source}), tidak ada tabel pengguna",
                        "{what}: the package's embedded figures ({source}), no user table"),
    "sources_used": ("Sumber yang dipakai",
                     "Sources used"),
    "odf_user": ("Status ODF ({files})",
                 "ODF status ({files})"),
    "table_period": ("Tabel kelurahan: {label}",
                     "Kelurahan table: {label}"),
    "subtitle_kel_parts": ("Lokus: {lokus}; ODF: {odf}; kasus: {cases}",
                           "Lokus: {lokus}; ODF: {odf}; cases: {cases}"),
    "odf_news": ("pemberitaan resmi s.d. {date}",
                 "official reports up to {date}"),
    "user_table": ("tabel pengguna {files}",
                   "the user's table {files}"),
    "user_table_period": ("tabel pengguna {files}, periode {period}",
                          "the user's table {files}, period {period}"),
    "reported_user": ("Balita stunting ({files}, periode {period})",
                      "Stunted toddlers ({files}, period {period})"),
}

_FUNNEL_ADJUSTED = {  # the funnel adjusted for overdispersion (Spiegelhalter 2005): legend and sentence
    "funnel_l95_adj": ("Batas 95 % (disesuaikan overdispersi)",
                       "95 % limits (adjusted for overdispersion)"),
    "funnel_l998_adj": ("Batas 99,8 % (disesuaikan overdispersi)",
                       "99.8 % limits (adjusted for overdispersion)"),
    "funnel_l95_tau": ("Batas 95 % (disesuaikan τ²)",
                       "95 % limits (adjusted, τ²)"),
    "funnel_l998_tau": ("Batas 99,8 % (disesuaikan τ²)",
                        "99.8 % limits (adjusted, τ²)"),
    "funnel_l_plain": ("Batas tanpa penyesuaian (95 %, 99,8 %)",
                       "Unadjusted limits (95 %, 99.8 %)"),
    "funnel_phi": ("Overdispersi φ = {phi} (z-skor winsorisasi 10 %): batas dilebarkan √φ = {scale} kali",
                   "Overdispersion φ = {phi} (10 % winsorised z-scores): limits widened √φ = {scale} times"),
    "funnel_tau": ("Overdispersi φ = {phi}; efek acak aditif τ = {tau} poin persen ditambahkan ke batas",
                   "Overdispersion φ = {phi}; additive random effect τ = {tau} percentage points added to the limits"),
    "funnel_phi_none": ("Overdispersi φ = {phi} ≤ 1: batas tidak perlu disesuaikan",
                        "Overdispersion φ = {phi} ≤ 1: the limits need no adjustment"),
    "funnel_named": ("Berbeda nyata dari kota (di luar batas yang disesuaikan): {names}.",
                     "Significantly different from the city (outside the adjusted limits): {names}."),
    "funnel_named_plain": ("Berbeda nyata dari kota (di luar batas funnel): {names}.",
                           "Significantly different from the city (outside the funnel limits): {names}."),
    "funnel_none": ("Tidak ada kelurahan di luar batas 95 % yang disesuaikan: perbedaannya masih dalam keragaman wajar antarkelurahan.",
                    "No kelurahan lies outside the adjusted 95 % limits: the differences are within the usual spread between kelurahan."),
    "funnel_none_plain": ("Tidak ada kelurahan di luar batas 95 %: perbedaan antarkelurahan masih dalam batas kebetulan.",
                          "No kelurahan lies outside the 95 % limits: the differences are within chance."),
    "funnel_unadjusted": ("Tanpa penyesuaian, {n998} kelurahan di luar batas 99,8 % ({n95} di luar 95 %); mereka yang hanya di luar batas itu mencerminkan keragaman nyata antarkelurahan dan tidak disebut berbeda nyata.",
                          "Without the adjustment {n998} kelurahan lie outside the 99.8 % limits ({n95} outside 95 %); those outside only these reflect the genuine spread between kelurahan and are not called significantly different."),
}

_BYNAME_QUALITY = {  # the by-name quality panel: recomputed z-scores, implausible values, blank TB/U
    "ind.jamban_aman_persen": ("Akses sanitasi aman",
                               "Safely managed sanitation access"),
    "quality.no_z_recomputed": ("tidak ada kolom ZS TB/U: kelas TB/U dibaca apa adanya, z-score hanya dihitung ulang dari tinggi dan umur",
                                "no ZS TB/U column: the TB/U classes are read as given, z-scores only recomputed from height and age"),
    "q_recomputed": ("z-score TB/U dihitung ulang (WHO 2006) untuk {n} baris: {mismatch} berbeda lebih dari 0,5 dari yang tercatat, {height} dengan tinggi di luar 38-130 cm; {flagged} baris bertanda, dikeluarkan",
                     "height-for-age z-scores recomputed (WHO 2006) for {n} rows: {mismatch} differ from the recorded one by more than 0.5, {height} with a height outside 38-130 cm; {flagged} rows flagged, excluded"),
    "q_no_recompute": ("tidak ada kolom tinggi dan jenis kelamin: z-score tidak dapat dihitung ulang",
                       "no height and sex columns: z-scores cannot be recomputed"),
    "q_classed_recomputed": ("{n} baris tanpa TB/U dan ZS TB/U diberi kelas dari z-score yang dihitung ulang (tinggi, umur, jenis kelamin)",
                             "{n} rows without TB/U and ZS TB/U classed from the recomputed z-score (height, age, sex)"),
    "q_position": ("cara ukur tercatat untuk {n} baris: {corrected} dikoreksi 0,7 cm (berdiri sebelum 24 bulan, terlentang sejak 24 bulan)",
                   "measurement position recorded for {n} rows: {corrected} corrected by 0.7 cm (standing before 24 months, lying from 24 months)"),
    "q_age_text": ("{n} baris dengan usia tertulis (Usia Saat Ukur) yang berbeda lebih dari 1 bulan dari tanggal lahir dan tanggal ukur "
                   "(umur dihitung dari tanggal; baris tidak dikeluarkan)",
                   "{n} rows whose written age (Usia Saat Ukur) differs by more than 1 month from the birth and measurement dates "
                   "(the age is taken from the dates; the rows are not excluded)"),
    "q_blank_tbu": ("{n} balita tanpa kelas TB/U (kosong, tanpa z-score) dalam periode: tidak dihitung sebagai diukur",
                    "{n} toddlers without a TB/U class (blank, no z-score) in the period: not counted as measured"),
}

_KONV_ALLOCATION = {  # the convergence view measured as money lands (allocation shares, splits, split-down pagu)
    "konv_headline": ("{pct} pagu terlokasi jatuh di kelurahan lokus ({lokus}) menurut alokasi ({split}): {amount} dari {located}",
                      "{pct} of located pagu lands in lokus kelurahan ({lokus}) by allocation ({split}): {amount} of {located}"),
    "konv_headline_none": ("{pct} pagu terlokasi jatuh di kelurahan lokus ({lokus}) menurut alokasi (split none: dibagi rata untuk angka ini): {amount} dari {located}",
                           "{pct} of located pagu lands in lokus kelurahan ({lokus}) by allocation (split none: split equally for this figure): {amount} of {located}"),
    "konv_touch": ("di sampingnya, menyentuh lokus: {pct} pagu terlokasi ({amount}) ada pada kegiatan yang Lokasi-nya menyebut sedikitnya satu kelurahan lokus, dihitung penuh",
                   "beside it, touches a lokus: {pct} of located pagu ({amount}) is in activities whose Lokasi names at least one lokus kelurahan, counted whole"),
    "konv_split_equal": ("pagu dibagi rata ke kelurahan yang disebut",
                         "pagu split equally over the kelurahan named"),
    "konv_split_stunting": ("pagu dibagi menurut jumlah balita stunting tiap kelurahan yang disebut",
                            "pagu split in proportion to each named kelurahan's stunted toddlers"),
    "konv_split_sasaran": ("pagu dibagi menurut jumlah sasaran balita tiap kelurahan yang disebut",
                           "pagu split in proportion to each named kelurahan's sasaran balita"),
    "konv_split_none": ("pagu dihitung penuh di tiap kelurahan yang disebut",
                        "pagu counted whole in each kelurahan named"),
    "konv_row_lokus": ("jatuh di kelurahan lokus (alokasi)",
                       "lands in lokus kelurahan (allocated)"),
    "konv_row_non_lokus": ("jatuh di kelurahan non-lokus (alokasi)",
                           "lands in non-lokus kelurahan (allocated)"),
    "konv_row_kota": ("se-kota (tidak terlokasi)",
                      "city-wide (unlocated)"),
    "konv_row_tidak_cocok": ("Lokasi tidak cocok",
                             "Lokasi matched nothing"),
    "konv_row_touch": ("menyentuh lokus (kegiatan dihitung penuh)",
                       "touches a lokus (activity counted whole)"),
    "konv_of_total": ("dari seluruh pagu",
                      "of all pagu"),
    "konv_no_lokus": ("tanpa daftar lokus",
                      "no lokus list"),
    "konv_no_lokus_line": ("tanpa daftar lokus (--lokus): pangsa pagu yang jatuh di lokus tidak dihitung",
                           "no lokus list (--lokus): the share of pagu landing in lokus is not computed"),
    "konv_touch_col": ("Menyentuh lokus",
                       "Touches a lokus"),
    "konv_alloc_col": ("Jatuh di lokus (% terlokasi)",
                       "Lands in lokus (% of located)"),
    "konv_turunan": ("Pagu hanya dari kegiatan kecamatan yang dibagi",
                     "Pagu only from split kecamatan activities"),
    "konv_turunan_note": ("hanya dari kegiatan tingkat kecamatan yang dibagi: pagu per balita stunting adalah hasil pembagian, bukan alokasi ke kelurahan ini",
                          "only from kecamatan-level activities split down: the pagu per stunted toddler is an artefact of the split, not an allocation to this kelurahan"),
    "konv_turunan_count": ("{n} kelurahan mendapat seluruh pagunya dari kegiatan tingkat kecamatan yang dibagi: pagu per balita stunting mereka hasil pembagian",
                           "{n} kelurahan get all their pagu from kecamatan-level activities split down: their pagu per stunted toddler comes from the split"),
    "konv_split_missing": ("split {split!r} membagi pagu menurut {column}, tetapi lapisan kelurahan tidak punya kolom itu",
                           "split {split!r} divides pagu by {column}, but the kelurahan layer has no such column"),
    "konv_split_missing_hint": ("gabungkan tabel yang memuat {column} (serang-gis join), atau pakai --split equal",
                                "join a table that gives {column} (serang-gis join), or use --split equal"),
    "konv_split_fallback": ("{n} kegiatan menyebut kelurahan tanpa angka {column} (atau semuanya 0): pagunya dibagi rata",
                            "{n} activities name a kelurahan without a {column} figure (or all 0): their pagu is split equally"),
    "konv_sub_title": ("{n} kegiatan dari {o} OPD; pagu {total}; {pct_kota} se-kota. {headline}. Menyentuh lokus (kegiatan dihitung penuh): {touch} pagu terlokasi",
                       "{n} activities of {o} offices; pagu {total}; {pct_kota} city-wide. {headline}. Touches a lokus (activity counted whole): {touch} of located pagu"),
    "konv_kota_not_counted": ("kegiatan se-kota tidak dihitung.",
                              "city-wide activities are not counted."),
    "konv_headline_short": ("{pct} pagu terlokasi jatuh di kelurahan lokus ({split})",
                            "{pct} of located pagu lands in lokus kelurahan ({split})"),
    "konv_pagu_turunan": ("Pagu dari kegiatan kecamatan yang dibagi (Rp)",
                          "Pagu from split kecamatan activities (Rp)"),
    "konv_catatan_pagu": ("Catatan pagu",
                          "Pagu note"),
    "konv_def_alloc": ("Pangsa utama (alokasi): pagu tiap kegiatan terlokasi dibagi ke kelurahan yang disebut Lokasi-nya ({split}); bagian yang jatuh di kelurahan lokus dijumlahkan dan dibagi dengan seluruh pagu terlokasi.",
                       "Headline share (allocation): each located activity's pagu is divided over the kelurahan its Lokasi names ({split}); the parts landing in lokus kelurahan are summed and divided by all located pagu."),
    "konv_def_touch": ("Menyentuh lokus: seluruh pagu kegiatan yang Lokasi-nya menyebut sedikitnya satu kelurahan lokus, dibagi dengan seluruh pagu terlokasi (ukuran lama; menghitung pagu yang jatuh di kelurahan non-lokus).",
                       "Touches a lokus: the whole pagu of activities whose Lokasi names at least one lokus kelurahan, divided by all located pagu (the old measure; it counts pagu that lands in non-lokus kelurahan)."),
}

_RANK_ELIGIBILITY = {  # the rank: eligibility, data cautions, partial periods, moved weights
    "rank_few": ("perlu data: {n} balita diukur (< {few})",
                 "needs data: {n} toddlers measured (< {few})"),
    "rank_caution": ("hati-hati: {n} balita diukur ({few}–{last})",
                     "caution: {n} toddlers measured ({few}–{last})"),
    "rank_low_coverage": ("cakupan rendah: {share} % dari {base} (< {limit} %)",
                          "low coverage: {share} % of {base} (< {limit} %)"),
    "rank_base_sasaran": ("sasaran balita",
                          "sasaran balita"),
    "rank_base_previous": ("balita diukur periode sebelumnya",
                           "the previous period's toddlers measured"),
    "rank_not_ranked_few": ("tidak diperingkat: perlu data ({n} balita diukur, < {few})",
                            "not ranked: needs data ({n} toddlers measured, < {few})"),
    "rank_note_few": ("{k} kelurahan dengan kurang dari {few} balita diukur: perlu data, tidak diperingkat, tanpa lampu dan tanpa penilaian lokus: {names}",
                      "{k} kelurahan with fewer than {few} toddlers measured: need data, not ranked, no lights and no lokus verdict: {names}"),
    "rank_note_caution": ("{k} kelurahan diperingkat dengan {few}–{last} balita diukur (hati-hati, kolom peringatan_data): {names}",
                          "{k} kelurahan ranked with {few}–{last} toddlers measured (caution, column peringatan_data): {names}"),
    "rank_note_coverage": ("{k} kelurahan dengan cakupan penimbangan di bawah {limit} % (balita diukur / {base}; kolom peringatan_data): {names}",
                           "{k} kelurahan with weighing coverage below {limit} % (toddlers measured / {base}; column peringatan_data): {names}"),
    "rank_partial": ("periode sebagian: {n} dari {total} kelurahan berdata (< {share} %); peringkat dan lokus hanya dinilai di dalam data",
                     "partial period: {n} of {total} kelurahan have data (< {share} %); ranks and lokus are judged inside the data only"),
    "rank_partial_cell": ("sebagian: {n} dari {total} kelurahan berdata",
                          "partial: {n} of {total} kelurahan have data"),
    "rank_at_cut": ("di batas setelah {draws} undian: {names}: P(top N) atau P(top 2N) belum terpisah dari batas 0,80/0,20 "
                    "atau dari tetangganya di batas tingkat prioritas (selisihnya masih di dalam ketepatan undian); tanda atau tingkat prioritas bisa berubah dengan benih acak",
                    "at a cut after {draws} draws: {names}: P(top N) or P(top 2N) is not separated from the 0.80/0.20 cut "
                    "or from its neighbour at a tier boundary (the difference is within what the draws can tell); the flag or tier may change with the seed"),
    "rank_at_cut_cell": ("di batas: P belum terpisah dari batas setelah {draws} undian; tanda atau tingkat prioritas bisa berubah dengan benih acak",
                         "at a cut: P not separated from the cut after {draws} draws; the flag or tier may change with the seed"),
    "rank_not_judged": ("{k} dari {m} {label} di luar kelurahan yang melapor: tidak dinilai",
                        "{k} of the {m} {label} lie outside the reporting kelurahan: not judged"),
    "rank_weight_moved": ("PERINGATAN: tidak ada data {cols}: bobotnya ({share} %) dipindah ke indikator lain",
                          "WARNING: no data for {cols}: its weight ({share} %) moved to the other indicators"),
    "rank.absent_period": ("{label} ada untuk periode {periods}, tetapi tidak untuk periode yang diperingkat: tidak ikut peringkat",
                           "{label} is given for the period {periods} but not for the period ranked: left out of the rank"),
    "rank.absent_tanpa_jamban": ("KK tanpa jamban (jumlah KK yang tidak punya jamban sama sekali) tidak diberikan; persentase akses "
                                 "jamban yang diberikan dipakai sebagai KK tanpa akses jamban layak dan ikut peringkat dengan bobotnya sendiri",
                                 "KK without a jamban (households with no jamban at all) is not given; the jamban access percentage given "
                                 "is used as households without a proper jamban, ranked with its own weight"),
    "rank_jamban_other": ("data jamban yang dibaca ({cols}) mengukur hal lain (keluarga sasaran KRS, tangga sanitasi atau pilar STBM) "
                          "dan tidak menggantikan indikator jamban profil; untuk memeringkat dengannya, tulis kolomnya di profil ([rank] profile)",
                          "the jamban data read ({cols}) measures something else (KRS target families, the STBM ladder or pillar) "
                          "and does not stand in for the profile's jamban indicators; to rank by it, name its column in a profile ([rank] profile)"),
    "rank_weight_moved_cell": ("tidak ada data {cols}: bobot {share} % dipindah",
                               "no data for {cols}: weight {share} % moved"),
    "rank_odf_embedded": ("status ODF pada peta ODF adalah angka bawaan paket dari sumber publik ({n} kelurahan), bukan tabel dinas: tidak dipakai dalam peringkat; berikan tabel ODF/STBM dinas untuk memakainya",
                          "the ODF status on the ODF map is the package's embedded figure from public sources ({n} kelurahan), not an office table: it is not used in the rank; give the office's ODF/STBM table to use it"),
}

_MAP_FLOWS = {  # issue 20, map behaviour: the period control, tiles that fail, the need x spending legend, lokus strength
    "period_choice": ("Periode yang ditampilkan", "Period shown"),
    "tiles_failed": ("Peta dasar tidak dapat dimuat (tanpa jaringan?): latar polos ditampilkan.",
                     "The basemap cannot be loaded (no network?): a plain background is shown."),
    "konv.biv_axis_need": ("Kebutuhan", "Need"),
    "konv.biv_axis_spend": ("Belanja", "Spending"),
    "konv.biv_words": ("kebutuhan {need}, {spend}", "need {need}, {spend}"),
    "konv.biv_gap_list": ("Kebutuhan tinggi, tanpa belanja terlokasi: {n} kelurahan", "High need, no located spending: {n} kelurahan"),
    # spending levels of the need x spending layer: 1 no located pagu, 2/3 positive at most / above the positive median;
    # "spend_any": the one positive level when the positive amounts cannot be split
    "konv.spend1": ("tanpa belanja terlokasi", "no located spending"),
    "konv.spend2": ("belanja rendah", "low spending"),
    "konv.spend3": ("belanja tinggi", "high spending"),
    "konv.spend_any": ("belanja ada", "some spending"),
    "konv.spend_rule": ("Belanja: tidak ada (pagu terlokasi Rp 0), rendah (sampai median pagu yang > 0), tinggi (di atas median itu); "
                        "kebutuhan: sepertiga terendah, tengah, tertinggi.",
                        "Spending: none (located pagu Rp 0), low (up to the median of the pagu above 0), high (above that median); "
                        "need: lowest, middle, highest third."),
    "konv.spend_rule_one": ("Belanja: tidak ada (pagu terlokasi Rp 0) atau ada (> Rp 0; {n} kelurahan, tidak dapat dibagi di median); "
                            "kebutuhan: sepertiga terendah, tengah, tertinggi.",
                            "Spending: none (located pagu Rp 0) or some (> Rp 0; {n} kelurahan, cannot be split at a median); "
                            "need: lowest, middle, highest third."),
    "num.million": ("jt", "mn"),  # en "m" read as miliar by Indonesian readers: "mn" is unambiguous
    "num.billion": ("M", "bn"),
    "strength.title": ("Kekuatan sebagai lokus", "Strength as lokus"),
    "strength.kuat": ("Lokus kuat (peluang ≥ 80 %)", "Strong lokus (chance ≥ 80 %)"),
    "strength.perbatasan": ("Perbatasan (peluang 20–80 %)", "Borderline (chance 20–80 %)"),
    "strength.bukan": ("Bukan lokus menurut data (peluang < 20 %)", "Not a lokus by the data (chance < 20 %)"),
    "strength.perlu_data": ("Perlu data (tidak diperingkat)", "Needs data (not ranked)"),
    "col.kekuatan_lokus": ("Kekuatan sebagai lokus", "Strength as lokus"),
    "strength.short.kuat": ("Lokus kuat", "Strong lokus"),
    "strength.short.perbatasan": ("Perbatasan", "Borderline"),
    "strength.short.bukan": ("Bukan lokus menurut data", "Not a lokus by the data"),
    "strength.short.perlu_data": ("Perlu data", "Needs data"),
    "strength.define": ("Kekuatan sebagai lokus: peluang kelurahan masuk Prioritas 1 (N = {n} kelurahan teratas) di antara undian atas ketidakpastian data. Lokus kuat: peluang ≥ 80 %; perbatasan: 20–80 %; bukan lokus menurut data: < 20 %; perlu data: terlalu sedikit balita diukur untuk diperingkat.",
                        "Strength as lokus: the kelurahan's chance of Priority 1 (N = {n} top kelurahan) over draws of the data's uncertainty. Strong lokus: chance ≥ 80 %; borderline: 20–80 %; not a lokus by the data: < 20 %; needs data: too few toddlers measured to rank."),
    "strength.note": ("Peluang masuk Prioritas 1 atas ketidakpastian data", "Chance of Priority 1 over the data's uncertainty"),
}

_QGIS_PROJECT = {  # issue 21: the QGIS project beside the GeoPackage (layer groups, print layouts)
    "qgis.group_lokus": ("Lokus", "Lokus"),
    "qgis.group_counts": ("Jumlah (titik)", "Counts (points)"),
    "qgis.group_boundaries": ("Batas wilayah", "Boundaries"),
    "qgis.kab_outline": ("Batas kab/kota", "Kab/kota boundary"),
    "qgis.group_period": ("Indikator {period}", "Indicators {period}"),
    "qgis.group_change": ("Perubahan", "Change"),
    "qgis.group_other": ("Indikator", "Indicators"),
    "qgis.legend": ("Legenda", "Legend"),
    "qgis.printed": ("Dicetak", "Printed"),
    "qgis.atlas": ("Atlas per kecamatan", "Atlas by kecamatan"),
    "qgis.kecamatan_page": ("Kecamatan", "Kecamatan"),
    "qgis.all_kelurahan": ("Kelurahan (semua atribut)", "Kelurahan (all attributes)"),
    "qgis.all_kecamatan": ("Kecamatan (semua atribut)", "Kecamatan (all attributes)"),
}

_I20_LANG = {  # issue 20, language: rank cells stored in Indonesian, read in the page's language; the convergence summary
    "rank_explain_part": ("{label} {share} %", "{label} {share} %"),
    "rank_explain_absent": ("tanpa data, bobot dibagi ulang: {cols}", "no data, weight shared out again: {cols}"),
    "rank_not_ranked": ("tidak diperingkat: perlu data", "not ranked: needs data"),
    "rank_not_ranked_cols": ("tidak diperingkat: perlu data ({cols})", "not ranked: needs data ({cols})"),
    "val.lokus kuat": ("lokus kuat", "strong lokus"),
    "val.perbatasan": ("perbatasan", "borderline"),
    "val.lokus, lokus kuat": ("lokus, lokus kuat", "lokus, strong lokus"),
    "val.lokus, perbatasan": ("lokus, perbatasan", "lokus, borderline"),
    "val.lokus, prioritas rendah": ("lokus, prioritas rendah", "lokus, low priority"),
    "val.lokus, perlu data": ("lokus, perlu data", "lokus, needs data"),
    "val.lokus, tidak dinilai": ("lokus, tidak dinilai", "lokus, not judged"),
    "val.lokus kuat, bukan lokus": ("lokus kuat, bukan lokus", "strong lokus, not a lokus"),
    "val.perbatasan, bukan lokus": ("perbatasan, bukan lokus", "borderline, not a lokus"),
    "val.lokus dan Prioritas 1": ("lokus dan Prioritas 1", "lokus and Priority 1"),
    # banding_lokus as a profile reads it: which half is the list and which the data ("lokus kuat, bukan lokus" read as a contradiction)
    "cmp.lokus, lokus kuat": ("lokus dalam daftar; lokus kuat menurut data", "lokus on the list; strong lokus by the data"),
    "cmp.lokus, perbatasan": ("lokus dalam daftar; perbatasan menurut data", "lokus on the list; borderline by the data"),
    "cmp.lokus, prioritas rendah": ("lokus dalam daftar; prioritas rendah menurut data", "lokus on the list; low priority by the data"),
    "cmp.lokus, perlu data": ("lokus dalam daftar; data belum cukup untuk menilai", "lokus on the list; too little data to judge"),
    "cmp.lokus, tidak dinilai": ("lokus dalam daftar; tidak dinilai menurut data", "lokus on the list; not judged by the data"),
    "cmp.lokus kuat, bukan lokus": ("bukan lokus dalam daftar; lokus kuat menurut data", "not a lokus on the list; strong lokus by the data"),
    "cmp.perbatasan, bukan lokus": ("bukan lokus dalam daftar; perbatasan menurut data", "not a lokus on the list; borderline by the data"),
    "cmp.Prioritas 1, bukan lokus": ("bukan lokus dalam daftar; Prioritas 1 menurut data", "not a lokus on the list; Priority 1 by the data"),
    "val.Prioritas 1, bukan lokus": ("Prioritas 1, bukan lokus", "Priority 1, not a lokus"),
    "val.Prioritas 1": ("Prioritas 1", "Priority 1"),
    "val.Prioritas 2": ("Prioritas 2", "Priority 2"),
    "val.Prioritas 3": ("Prioritas 3", "Priority 3"),
    "val.cukup": ("cukup", "adequate"),  # keandalan_gizi (core.stats.RELIABILITY), stored in Indonesian
    "val.hati-hati": ("hati-hati", "caution"),
    "val.data terlalu sedikit": ("data terlalu sedikit", "too few data"),
    "konv.sum_head": ("{n} kegiatan dari {opd} OPD, pagu {pagu}; pembagian: {split}",
                      "{n} activities of {opd} offices (OPD), pagu {pagu}; split: {split}"),
    "konv.sum_lokasi": ("Lokasi: seluruh kota {kota}, kecamatan {kec}, kelurahan {kel}, tidak cocok {none}",
                        "Lokasi: city-wide {kota}, kecamatan {kec}, kelurahan {kel}, matched nothing {none}"),
    "konv.sum_reached": ("kelurahan yang dijangkau minimal satu OPD: {k} / {n}; OPD terbanyak: {most}",
                         "kelurahan reached by at least one OPD: {k} / {n}; most OPD: {most}"),
    "lokasi.problems": ("{items}", "{items}"),
    "lokasi.empty": ("Lokasi kosong", "Lokasi is empty"),
    "lokasi.nothing": ("tidak ada tempat yang dikenali", "no place found"),
    "lokasi.city_with_places": ("{name} (seluruh kota) ditulis bersama tempat lain", "{name} (city-wide) is listed together with places"),
    "lokasi.kec_unknown": ("kecamatan {name} tidak dikenal", "kecamatan {name} is not known"),
    "lokasi.two_kec": ("{name} ada di lebih dari satu kecamatan yang disebut", "{name} is in more than one of the kecamatan given"),
    "lokasi.ambiguous": ("{name} adalah nama lebih dari satu kelurahan ({names}): tambahkan kecamatannya",
                         "{name} is the name of more than one kelurahan ({names}): add the kecamatan"),
    "lokasi.not_kel": ("{name} bukan kelurahan{where}{near}", "{name} is not a kelurahan{where}{near}"),
    "lokasi.in_kec": (" di Kec. {kec}", " in Kec. {kec}"),
    "lokasi.nearest": (" (terdekat: {names})", " (nearest: {names})"),
    "konv.read_as": ("{file} baris {row}: {written!r} dibaca sebagai {kel} (Kec. {kec}, kemiripan {score}); periksa dan perbaiki tulisannya",
                     "{file} row {row}: {written!r} read as {kel} (Kec. {kec}, similarity {score}); check and correct the spelling"),
    "konv.note_prefix": ("catatan: Lokasi ", "note: Lokasi "),
    "konv.sum_nomatch": ("peringatan: {file} baris {row}: Lokasi {lokasi!r}: {problem} (pagunya dihitung sebagai 'tidak cocok')",
                         "warning: {file}:row {row}: Lokasi {lokasi!r}: {problem} (its pagu counted as 'matched nothing')"),
    "konv.sum_unknown": ("peringatan: {file}: OPD {written!r} di baris {rows} tidak dikenal{near}; tetap dengan namanya sendiri "
                         "(tambahkan ke berkas --opd, atau --strict untuk berhenti)",
                         "warning: {file}: office {written!r} on row(s) {rows} is not a known office{near}; kept under its own name "
                         "(add it to an --opd file, or --strict to stop)"),
    "konv.sum_near": (" (terdekat {near}, skor {score})", " (nearest {near}, score {score})"),
    "konv.sum_fuzzy": ("catatan: {file}: OPD {written!r} dibaca sebagai {match} (skor {score}) di baris {rows}",
                       "note: {file}: office {written!r} read as {match} (score {score}) on row(s) {rows}"),
    "konv.paper_note": ("Makalah Sinergitas (2023), Tabel 2 (2022: Rp 36.220.427.730) dan Tabel 3 (2023: Rp 19.930.831.500); "
                        "Dinas PU 2022 tercetak 8.677.703.00, dibaca 8.677.703.000 karena hanya itu yang cocok dengan total tercetak.",
                        "Paper Sinergitas (2023), Table 2 (2022: Rp 36,220,427,730) and Table 3 (2023: Rp 19,930,831,500); "
                        "Dinas PU 2022 printed as 8.677.703.00, read as 8,677,703,000 because only that matches the printed total."),
    "rank.sum_ranked": ("{ranked} dari {total} kelurahan diperingkat dengan profil {name!r}; Prioritas 1 = {top} teratas{scaled}",
                        "ranked {ranked} of {total} kelurahan with profile {name!r}; Prioritas 1 = the top {top}{scaled}"),
    "rank.sum_scaled": (" (top_n {n} disesuaikan dengan {ranked} yang diperingkat)", " (top_n {n} scaled to the {ranked} ranked)"),
    "rank.sum_more": (", {used} di tempat tanda atau tingkat prioritas berada di batasnya (undian ditambah sampai P cukup jauh dari batas untuk dibedakan, paling banyak {most}x)",
                      ", {used} where a flag or tier sat at its cut (more draws until P is far enough from it to tell, at most {most}x)"),
    "rank.sum_uncertainty": ("ketidakpastian: peringkat dihitung ulang {draws} kali{more}, tiap kali dengan bobot diacak di sekitar bobot profil "
                             "(kedekatan {conc}: makin besar makin dekat) dan angka tiap kelurahan diacak sesuai banyak balita yang diukur; benih acak {seed}; "
                             "lokus kuat {strong}, perbatasan {border}; peluang masuk {top} teratas tepat sampai ± {mcse} (banyak undian terbatas); "
                             "tingkat prioritas dari undian yang sama (Prioritas 1 = {top} kelurahan dengan peluang masuk {top} teratas tertinggi)",
                             "uncertainty: the ranking was redone {draws} times{more}, each time with weights drawn around the profile's "
                             "(closeness {conc}: higher is closer) and each kelurahan's rate drawn as far as the toddlers measured allow; seed {seed}; "
                             "strong lokus {strong}, borderline {border}; the chance of the top {top} is exact to ± {mcse} (a finite number of draws); "
                             "tiers from the same draws (Priority 1 = the {top} kelurahan with the highest chance of the top {top})"),
    "funnel.title_period": ("{title}, {period}", "{title}, {period}"),
    "funnel.dot_above": ("Berbeda nyata: di atas batas 95 %", "Significantly different: above the 95 % limit"),
    "funnel.dot_below": ("Berbeda nyata: di bawah batas 95 %", "Significantly different: below the 95 % limit"),
    "funnel.dot_inside": ("Dalam batas: tidak berbeda nyata dari kota", "Within the limits: not significantly different from the city"),
    "funnel.read": ("Setiap titik satu kelurahan. Titik di luar corong berbeda nyata dari angka kota; makin sedikit balita diukur, "
                    "makin lebar corongnya karena angka kecil lebih mudah berubah karena kebetulan.",
                    "Each dot is one kelurahan. A dot outside the funnel differs significantly from the city figure; the fewer "
                    "toddlers measured, the wider the funnel, since small numbers swing more by chance."),
    "funnel.phi_meaning": ("φ > 1 berarti kelurahan berbeda satu sama lain lebih dari kebetulan semata; batas dilebarkan agar hanya "
                           "kelurahan yang benar-benar menonjol disebut berbeda nyata.",
                           "φ > 1 means the kelurahan differ from one another by more than chance alone; the limits are widened so that "
                           "only kelurahan that truly stand out are called significantly different."),
    "funnel.phi_meaning_none": ("φ ≤ 1 berarti perbedaan antarkelurahan sebesar yang diharapkan dari kebetulan; batas binomial dipakai apa adanya.",
                                "φ ≤ 1 means the kelurahan differ by about as much as chance predicts; the binomial limits are used as they are."),
    "konv.sum_unreached": ("{n} kelurahan lokus tidak dijangkau OPD mana pun: {names}", "{n} lokus kelurahan reached by no office: {names}"),
    "konv.sum_note": ("catatan: {text}", "note: {text}"),
    "ind.belum_odf": ("Belum ODF", "Not yet ODF"),
    "split.equal": ("rata", "equal"),
    "split.stunting": ("menurut balita stunting", "by stunted toddlers"),
    "split.sasaran": ("menurut sasaran balita", "by target toddlers"),
    "split.none": ("tidak dibagi", "none"),
}

_I20_PAGE = {  # issue 20, page part: terminal lines naming which, print, phone index, language of pages, funnel plot
    "sum.unmatched_row": ("{file} baris {row} '{name}' (kec. {kec})", "{file} row {row} '{name}' (kec. {kec})"),
    "sum.unmatched_which": ("tidak cocok: {rows}", "unmatched: {rows}"),
    "sum.more": (" dan {n} lainnya", " and {n} more"),
    "close_popup": ("Tutup profil", "Close the profile"),
    "close_note": ("Tutup catatan", "Close the note"),
}

_I20_TEXT = {  # issue 20, words of the index and the title boxes: sources, the paper, the activity file's reading notes
    "src.paper": ("{title} (2023), tabel dari Dinas Kesehatan Kota Serang (2022)", "{title} (2023), tables from Dinas Kesehatan Kota Serang (2022)"),
    "src.file_period": ("{file}, periode {period}", "{file}, period {period}"),
    "src.reported": ("diberitakan {date}", "reported {date}"),
    "src.provisional": ("data sementara", "provisional data"),
    "src.table": ("Tabel {n}", "Table {n}"),
    "src.paper_table": ("makalah Sinergitas (2023), Tabel {n} ({who})", "Sinergitas paper (2023), Table {n} ({who})"),
    # reading an activity file (read.kegiatan): what is left out and why, what was read how
    "keg.heading": ("baris {row} (OPD {opd!r}, tanpa sub kegiatan, {pagu}) adalah judul: pagunya jumlah baris {first}-{last} di bawahnya; "
                    "dikeluarkan (tidak dihitung dua kali)",
                    "row {row} (office {opd!r}, no sub-kegiatan, {pagu}) is a heading: its pagu is the sum of rows {first}-{last} below it; "
                    "left out (not counted twice)"),
    "keg.repeat": ("baris {row} mengulang baris {first} (OPD, sub kegiatan, Lokasi dan pagu {pagu} sama): dihitung sekali; hapus salinannya, "
                   "atau bedakan barisnya bila keduanya memang ada",
                   "row {row} repeats row {first} (same office, sub-kegiatan, Lokasi and pagu {pagu}): counted once; delete the copy, "
                   "or make the rows differ if both are real"),
    "keg.other": ("OPD {opd!r} (baris {rows}; {pagu}) adalah OPD {where}, bukan {own}: dikeluarkan dari angkanya",
                  "office {opd!r} (row(s) {rows}; {pagu}) is an office of {where}, not of {own}: left out of its figures"),
    "keg.total": ("baris {row} ({label!r}): total {total} berbeda dari jumlah kegiatan {sum}{why}; kegiatan yang dipakai, baris total tidak",
                  "row {row} ({label!r}): the total {total} differs from the sum of the activities {sum}{why}; the activities are used, "
                  "the total row is not"),
    "keg.total_why": (" (cocok bila baris ulangan dihitung dua kali)", " (it matches the rows with the repeated ones counted twice)"),
    "keg.filled": ("OPD diisi dari baris di atasnya pada {n} baris (sel digabung atau kosong)",
                   "office filled down from the row above on {n} rows (merged or blank cells)"),
    "keg.realisasi": ("baris {row}: realisasi melebihi pagu", "row {row}: realisasi above pagu"),
    "keg.unit": ("{column} dibaca dalam {unit} rupiah, menurut {source} (sel yang menulis satuannya sendiri tetap memakainya)",
                 "{column} read in {unit} rupiah, as {source} says (a cell writing its own unit keeps it)"),
    "keg.unit_header": ("judul kolom {header!r}", "the header {header!r}"),
    "keg.unit_parent": ("judul {header!r} di atasnya (baris {row})", "the header {header!r} above it (row {row})"),
    "keg.unit_title": ("baris judul {row} ({text!r})", "the title row {row} ({text!r})"),
    "keg.unit_satuan": ("pagu dibaca dalam satuan kolom {column!r} barisnya (baris {rows})",
                        "pagu read in the unit of the column {column!r} of its row (rows {rows})"),
    "keg.unit_format": ("angka dibaca dengan satuan yang ditunjukkan format angka Excel-nya (baris {rows})",
                        "amounts read with the unit their Excel number format shows (rows {rows})"),
    "keg.comma_id": ("pemisah sebelum tiga angka (baris {rows}) dibaca sebagai titik ribuan, karena berkas menulis desimal dengan koma "
                     "(1,25 M, 1.250.000.000)",
                     "a separator before three digits (rows {rows}) read as a thousands dot, as the file writes decimals with a comma "
                     "(1,25 M, 1.250.000.000)"),
    "keg.comma_en": ("pemisah sebelum tiga angka (baris {rows}) dibaca sebagai koma ribuan, karena berkas menulis desimal dengan titik "
                     "(1.25 M, 1,250,000,000)",
                     "a separator before three digits (rows {rows}) read as a thousands comma, as the file writes decimals with a dot "
                     "(1.25 M, 1,250,000,000)"),
    "konv.file_warning": ("peringatan: {file}: {text} (--strict untuk berhenti)", "warning: {file}: {text} (--strict to stop)"),
    "konv.split_fallback_rows": ("{said} (baris {rows})", "{said} (row {rows})"),
    "konv.spend_one_level": ("{n} kelurahan punya pagu terlokasi > 0 dan tidak dapat dibagi di median (kurang dari 2 atau semua sama): "
                             "semuanya satu tingkat \"belanja ada\" pada kelas kebutuhan x belanja",
                             "{n} kelurahan have located pagu > 0 and cannot be split at a median (fewer than 2 or all equal): "
                             "all one level \"some spending\" in the need x spending class"),
    "konv.no_need_column": ("lapisan tidak punya kolom {column}: {per} dibiarkan kosong", "the layer has no {column}: {per} is left empty"),
    "konv.no_need": ("lapisan tidak punya prevalensi_stunting maupun balita_stunting: tidak ada kelas kebutuhan x belanja",
                     "the layer has neither prevalensi_stunting nor balita_stunting: no need x spending classes"),
    # the build's terminal report (cli.build): in the build's language, as its pages
    "sum.checks": ("Pemeriksaan makalah", "Paper checks"),
    "sum.checks_value": ("{ok} sesuai, {differ} berbeda dari angka tercetak (lihat index.html)",
                         "{ok} agree, {differ} differ from the printed figure (see index.html)"),
    "sum.wrote": ("{n} berkas ditulis ke {folder}/:", "wrote {n} files to {folder}/:"),
    "rembuk.wrote": ("atlas ({n} berkas) ditulis ke {folder}/atlas/ dan paket ke {folder}/:", "wrote the atlas ({n} files) to {folder}/atlas/ and the pack to {folder}/:"),
    "sum.more_files": ("  ... dan {n} lainnya (lihat index.html)", "  ... and {n} more (see index.html)"),
    # many kab/kota in one build (cli.build, templates/regions.html.j2)
    "regions.title": ("Atlas serang-gis: {n} kab/kota", "serang-gis atlas: {n} kab/kota"),
    "regions.code": ("Kode", "Code"),
    "regions.failed": ("gagal", "failed"),
    "regions.built": ("{ok} dari {n} kab/kota dibangun ({kel} kelurahan/desa) ke {folder}/", "built {ok} of {n} kab/kota ({kel} kelurahan/desa) into {folder}/"),
    "regions.failed_line": ("GAGAL {region}: {error}", "FAILED {region}: {error}"),
    "rank.at_cut_mark": ("di batas", "at a cut"),
    "rank.sum_sanitation": ("angka sanitasi yang saling bertentangan (cek_sanitasi): {n} kelurahan",
                            "sanitation figures that contradict each other (cek_sanitasi): {n} kelurahan"),
    "rank.note_periods": ("peringkat: {said}", "rank: {said}"),
    "rank.note_no_data": ("peringkat: tidak ada data untuk indikator mana pun dari profil {name!r}: tanpa peta prioritas",
                          "rank: no data for any indicator of the profile {name!r}: no priority map"),
    "rank.note_not_ranked": ("{n} kelurahan tidak diperingkat, perlu data: {names}", "{n} kelurahan not ranked, needs data: {names}"),
    # joining a table (join.tables): the warnings the match report shows, in the report's language
    "join.kind.aggregate": ("agregat", "aggregate"),
    "join.w_code_names_other": ("baris {row}: kode {code} adalah {label}, tetapi sel kelurahan menyebut {other}; kode yang dipakai "
                                "(perbaiki kode atau namanya)",
                                "row {row}: code {code} is {label}, but the kelurahan cell names {other}; the code was used "
                                "(correct the code or the name)"),
    "join.w_code_not_named": ("baris {row}: kode {code} adalah {label}, tetapi sel kelurahan{said} tidak menyebutnya; kode yang dipakai "
                              "(perbaiki kode atau namanya)",
                              "row {row}: code {code} is {label}, but the kelurahan cell{said} does not name it; the code was used "
                              "(correct the code or the name)"),
    "join.w_code_kec": ("baris {row}: kode {code} ada di {where}, tetapi sel kecamatan menyebut kecamatan {kec}; kode yang dipakai "
                        "(perbaiki salah satunya)",
                        "row {row}: code {code} is in {where}, but the kecamatan cell names kecamatan {kec}; the code was used "
                        "(correct one of them)"),
    "join.w_outside": ("{n} baris berkode kab/kota lain (baris {rows}; di sini: {here}): disisihkan",
                       "{n} row(s) have the code of another kab/kota (rows {rows}; here: {here}): left aside"),
    "join.w_unmatched": ("baris {row}: {name!r} (kec. {kec}) tidak cocok dengan kelurahan mana pun; angkanya tidak digabungkan",
                         "row {row}: {name!r} (kec. {kec}) matches no kelurahan; its figures are not joined"),
    "join.w_total": ("baris {row} ({label!r}): {column} tertulis {stated}, tetapi baris di atasnya berjumlah {computed}",
                     "row {row} ({label!r}): {column} is {stated} but the rows above add up to {computed}"),
    "join.w_identical": ("baris {rows} (kelurahan {code}) berisi angka yang sama: baris ditempel dua kali? angkanya dijumlahkan "
                         "(sum duplicates; hapus salinannya bila memang salinan)",
                         "rows {rows} (kelurahan {code}) hold identical figures: the row pasted twice? they were added up "
                         "(sum duplicates; delete the copy if it is one)"),
    "join.w_copy": ("baris {row} mengulang baris {first} (kelurahan {code}) di setiap sel: baris ditempel dua kali; dihitung sekali, "
                    "tidak dijumlahkan (hapus salinannya, atau bedakan barisnya bila keduanya memang ada)",
                    "row {row} repeats row {first} (kelurahan {code}) in every cell: a row pasted twice; counted once, not added "
                    "(delete the copy, or make the rows differ if both are real)"),
    "join.w_prevalence": ("baris {row}: prevalensi tertulis {given} % berbeda dari hitungan jumlahnya ({computed} %)",
                          "row {row}: prevalence given {given} % differs from the counts ({computed} %)"),
    "join.method.name": ("nama", "name"),
    "join.method.fuzzy": ("kemiripan nama", "fuzzy"),
    "join.method.code": ("kode", "code"),
    "join.w_code_foreign": ("baris {row}: kode{shown} bukan kode kelurahan {region}; dicocokkan menurut {method} ke {label} (perbaiki kodenya)",
                            "row {row}: the code{shown} is not a kelurahan code of {region}; matched by {method} to {label} (correct the code)"),
    "join.w_subtotal": ("baris {row}: {name!r} berisi jumlah {n} kelurahan lain di Kec. {kec}: dibaca sebagai subtotal kecamatan, bukan "
                        "kelurahan {kel} (tulis \"Jumlah Kec. {kec}\" untuk menyatakannya)",
                        "row {row}: {name!r} holds the sums of the {n} other kelurahan of Kec. {kec}: read as the kecamatan's subtotal, "
                        "not as kelurahan {kel} (write \"Jumlah Kec. {kec}\" to say so)"),
    "join.w_kec_named": ("baris {row}: {name!r} adalah nama Kec. {kec} dan kelurahannya {label}, dan sel kecamatan kosong: dibaca sebagai "
                         "kelurahan (subtotal kecamatan ditulis \"Jumlah Kec. ...\"; isi sel kecamatan)",
                         "row {row}: {name!r} is the name of Kec. {kec} and of its kelurahan {label}, and the kecamatan cell is blank: "
                         "read as the kelurahan (a kecamatan subtotal is written \"Jumlah Kec. ...\"; fill in the kecamatan cell)"),
    "join.w_unmatched_near": ("baris {row}: {name!r} (kec. {kec}) tidak cocok dengan kelurahan mana pun; angkanya tidak digabungkan "
                              "(mungkin maksudnya: {near})",
                              "row {row}: {name!r} (kec. {kec}) matches no kelurahan; its figures are not joined (did you mean: {near})"),
    "join.r_kel_empty": ("sel kelurahan kosong", "the kelurahan cell is empty"),
    "join.r_kec_unknown": ("sel kecamatan bukan kecamatan {region}", "the kecamatan cell is not a kecamatan of {region}"),
    "join.r_kel_unknown": ("sel kelurahan bukan kelurahan {region}", "the kelurahan cell is not a kelurahan of {region}"),
    "join.what.byname": ("balita dari ekspor by-name", "toddler(s) of the by-name export"),
    "join.what.household": ("rumah tangga dari ekspor STBM", "household(s) of the STBM export"),
    "join.what.row": ("baris", "row(s)"),
    "join.w_unmatched_counted": ("{n} {what}: {reason}; tidak digabungkan (kolom {column!r}; data by-name: isi selnya tidak ditampilkan)",
                                 "{n} {what}: {reason}; not joined (column {column!r}; by-name data: the cells are not shown)"),
    "join.w_prevalence_files": ("prevalensi di {file} bertentangan dengan hitungan di {counts} pada {n} kelurahan: {shown}",
                                "the prevalence of {file} contradicts the counts of {counts} in {n} kelurahan: {shown}"),
    "join.prevalence_pair": ("{label}: tertulis {given} %, dari hitungan {computed} %",
                             "{label}: {given} % given, {computed} % from the counts"),
    "join.kec_unknown_alone": ("kecamatan {kec!r} tidak dikenal; dicocokkan menurut nama saja",
                               "kecamatan {kec!r} is not known; matched by name alone"),
    "join.kec_unknown": ("kecamatan {kec!r} tidak dikenal", "kecamatan {kec!r} is not known"),
    "join.kec_unknown_hidden": ("kecamatan tidak dikenal; dicocokkan menurut nama saja",
                                "the kecamatan is not known; matched by name alone"),
    "join.w_row": ("baris {row}: {text}", "row {row}: {text}"),
    "join.w_few": ("{n} kelurahan dengan kurang dari {few} balita diukur, angkanya tidak stabil: {names}",
                   "{n} kelurahan with fewer than {few} toddlers measured, their rates are unstable: {names}"),
    "konv.file_note": ("catatan: {file}: {text}", "note: {file}: {text}"),
    "src.more": ("{names} dan {n} lainnya (lihat {where})", "{names} and {n} more (see {where})"),
}

_I20_PRINT = {  # issue 20, print: the printed page says when it was printed
    "printed": ("Dicetak", "Printed"),
    "print_more": ("dan {n} lainnya (lihat halaman)", "and {n} more (see the page)"),  # a long list cut to fit the printed page
}

_REMBUK_PDF = {  # issue 22: the rembuk pack's two PDFs (render.rembuk.documents)
    "rpdf.report_title": ("Laporan Analisis Situasi Stunting", "Stunting Situation Analysis Report"),
    "rpdf.slides_title": ("Bahan Paparan Rembuk Stunting", "Rembuk Stunting Presentation"),
    "rpdf.aksi": ("Aksi 1 (analisis situasi), bahan Aksi 3 (rembuk stunting)",
                  "Aksi 1 (situation analysis), material for Aksi 3 (the rembuk stunting)"),
    "rpdf.period": ("Periode", "Period"),
    "rpdf.group.gizi": ("gizi", "nutrition"),
    "rpdf.group.keluarga": ("keluarga", "families"),
    "rpdf.group.sanitasi": ("sanitasi", "sanitation"),
    "rpdf.group.stbm": ("STBM", "STBM (community-led sanitation)"),
    "rpdf.sources": ("Sumber data", "Data sources"),
    "rpdf.date": ("Tanggal", "Date"),
    "rpdf.contents": ("Isi", "Contents"),
    "rpdf.maps": ("Peta situasi", "Situation maps"),
    "rpdf.summary": ("Ringkasan temuan", "Summary of findings"),
    "rpdf.topic.prevalensi": ("Prevalensi stunting", "Stunting prevalence"),
    "rpdf.topic.kasus": ("Jumlah balita stunting", "Stunted toddlers (counts)"),
    "rpdf.topic.keluarga": ("Keluarga berisiko stunting", "Families at risk of stunting"),
    "rpdf.topic.sanitasi": ("Sanitasi", "Sanitation"),
    "rpdf.legend": ("Legenda", "Legend"),
    "rpdf.caveat": ("Catatan", "Caveat"),
    "rpdf.classes": ("kelas: {note}", "classes: {note}"),
    "plan.map_no_table": ("peta {label} dilewati: \"{indicator}\" ada di indicators bagian [maps] konfigurasi, tetapi tidak ada tabel [[data]] dengan kolom {columns}. Tambahkan tabel itu sebagai [[data]], atau hapus \"{indicator}\" dari indicators di [maps].",
                          "map of {label} skipped: \"{indicator}\" is in the indicators of the config's [maps], but no [[data]] table has the columns {columns}. Add that table as [[data]], or remove \"{indicator}\" from indicators in [maps]."),
    "rpdf.no_map": ("Peta {topic} tidak tersedia: {why}", "No map of {topic}: {why}"),
    "rpdf.why.no_table": ("tabel yang diberikan tidak memuat data ini", "the tables given hold no such data"),
    "rpdf.why.no_static": ("atlas dibuat tanpa peta cetak (PNG/PDF)", "the atlas was built without printable maps (PNG/PDF)"),
    "rpdf.two": ("Dua angka: register dan survei", "Two numbers: register and survey"),
    "rpdf.two_missing": ("Angka kota dari register (e-PPGBM) belum dapat disandingkan dengan survei (SSGI, SKI): {why}",
                         "The register's (e-PPGBM) city figure cannot yet be set beside the surveys (SSGI, SKI): {why}"),
    "rpdf.why.two": ("perlu tabel e-PPGBM dengan balita diukur dan balita stunting per kelurahan; "
                     "angka survei ada di paket untuk Kota Serang saja",
                     "it needs an e-PPGBM table of toddlers measured and stunted per kelurahan; "
                     "the package holds the surveys' figures for Kota Serang only"),
    "rpdf.funnel": ("Plot corong prevalensi", "Prevalence funnel plot"),
    "rpdf.funnel_missing": ("Plot corong tidak dibuat: tidak ada kelurahan dengan balita diukur",
                            "No funnel plot: no kelurahan has toddlers measured"),
    "rpdf.funnel_how": ("Setiap titik satu kelurahan (sumbu x: balita diukur; sumbu y: prevalensi). Titik di luar corong berbeda nyata dari angka kota; di dalam corong, perbedaan dapat terjadi karena kebetulan.",
                        "Each point is one kelurahan (x: toddlers measured; y: prevalence). Points outside the funnel differ significantly from the city figure; inside it, differences may be chance."),
    "rpdf.quality": ("Lampiran: mutu data", "Annex: data quality"),
    "rpdf.coverage": ("Cakupan data", "Data coverage"),
    "rpdf.coverage_row": ("{period}: {n} dari {total} kelurahan dengan data", "{period}: {n} of {total} kelurahan with data"),
    "rpdf.flags": ("Tanda mutu data per kelurahan", "Data-quality flags per kelurahan"),
    "rpdf.flag.missing": ("tanpa data: {cols}", "no data: {cols}"),
    "rpdf.no_flags": ("Tidak ada kelurahan yang ditandai.", "No kelurahan is flagged."),
    "rpdf.notes": ("Catatan pembuatan", "Build notes"),
    "rpdf.checks": ("Pemeriksaan paket atas angka makalah bawaannya", "The package's check of its built-in paper figures"),
    "rpdf.checks_how": ("Paket membandingkan angka yang tercetak di makalah (Tabel dan Bagan) dengan data bawaan paket sendiri. "
                        "Baris \"tidak\" berarti angka makalah tidak cocok dengan sumbernya; ini bukan pemeriksaan data pengguna.",
                        "The package compares the figures printed in the paper (its Tables and Charts) with the package's own "
                        "built-in data. A \"no\" row means the paper's figure does not match its source; this is not a check of the user's data."),
    "rpdf.checks_left_out": ("Tidak dimuat di sini: paket ini memakai tabel pengguna, bukan angka bawaan makalah. Pemeriksaan paket atas "
                             "angka makalah bawaannya ada di index.html atlas.",
                             "Left out here: this pack uses the user's tables, not the paper's built-in figures. The package's check "
                             "of its built-in paper figures is in the atlas's index.html."),
    "rpdf.missing": ("Yang belum ada", "What is missing"),
    "rpdf.nothing_missing": ("Semua bagian paket memiliki data.", "Every part of the pack has data."),
    "rpdf.miss.second_period": ("Hanya satu periode ({period}): perubahan antarperiode tidak dapat ditunjukkan.",
                                "One period only ({period}): no change between periods can be shown."),
    "rpdf.miss.no_period": ("Tidak ada periode data gizi.", "No period of nutrition data."),
    "rpdf.miss.keluarga": ("Tidak ada data keluarga berisiko stunting.", "No data on families at risk of stunting."),
    "rpdf.miss.gizi": ("Tidak ada data balita diukur dan stunting.", "No data on toddlers measured and stunted."),
    "rpdf.miss.kegiatan": ("Tidak ada matriks kegiatan (Aksi 2): siapa bertindak di mana belum dapat ditunjukkan.",
                           "No activity matrix (Aksi 2): who acts where cannot be shown yet."),
    "rpdf.miss.rank": ("Tidak ada peringkat kelurahan: rekomendasi lokus belum dapat dibuat.",
                       "No ranking of the kelurahan: no lokus recommendation can be made."),
    "rpdf.miss.last_lokus": ("Tidak ada daftar lokus tahun lalu: rekomendasi tidak dibandingkan.",
                             "No list of last year's lokus: the recommendation is not compared."),
    "rpdf.lokus": ("Rekomendasi lokus", "Lokus recommendation"),
    "rpdf.lokus_how": ("{define}", "{define}"),
    "rpdf.rank_made_of": ("Peringkat disusun dari indikator dan bobot berikut: {parts}.", "The rank is made of these indicators and weights: {parts}."),
    "rpdf.lokus_vs": ("Dibandingkan dengan lokus {last}.", "Compared with the lokus of {last}."),
    "rpdf.col.kelurahan": ("Kelurahan", "Kelurahan"),
    "rpdf.col.kecamatan": ("Kecamatan", "Kecamatan"),
    "rpdf.col.certainty": ("Kekuatan sebagai lokus", "Strength as lokus"),
    "rpdf.col.last": ("Lokus {last}", "Lokus {last}"),
    "rpdf.col.compare": ("Lokus {last} → usulan sekarang", "Lokus of {last} → proposed now"),
    "rpdf.col.prev": ("Prevalensi (%)", "Prevalence (%)"),
    "rpdf.col.measured": ("Balita diukur", "Toddlers measured"),
    "rpdf.col.stunted": ("Balita stunting", "Stunted toddlers"),
    "rpdf.col.families": ("Keluarga berisiko (%)", "Families at risk (%)"),
    "rpdf.col.rank": ("Peringkat", "Rank"),
    "rpdf.col.priority": ("Prioritas", "Priority"),
    "rpdf.col.flag": ("Tanda", "Flag"),
    "rpdf.col.opd": ("OPD", "Offices"),
    "rpdf.col.n_opd": ("Jumlah OPD", "Number of offices"),
    "rpdf.col.pagu": ("Pagu terlokasi", "Located pagu"),
    "rpdf.kecamatan_page": ("Kecamatan {name}", "Kecamatan {name}"),
    "rpdf.kecamatan_sum": ("{n} kelurahan; prevalensi {prev}; balita stunting {stunted}; keluarga berisiko {fam}",
                           "{n} kelurahan; prevalence {prev}; stunted toddlers {stunted}; families at risk {fam}"),
    # a count that is not the user's e-PPGBM table: its period and source said beside it (M4: the sections said "tidak ada
    # data" where the maps showed the packaged news-based counts)
    "rpdf.src.news": ("pemberitaan {sites}", "news reports: {sites}"),
    "rpdf.src.news_provisional": ("data sementara dari pemberitaan {sites}", "provisional figures from news reports: {sites}"),
    "rpdf.src.news_short": ("pemberitaan", "news reports"),
    "rpdf.src.news_provisional_short": ("data sementara dari pemberitaan", "provisional, from news reports"),
    "rpdf.s.most_when": ("{topic} ({when}): terbanyak di {name} ({n} {unit})", "{topic}, {when}: most in {name} ({n} {unit})"),
    "rpdf.kel_reported": ("Balita stunting per kelurahan: kasus yang dilaporkan {source}, periode dalam kurung (bukan tabel "
                          "e-PPGBM per kelurahan); \"tidak ada data (periode)\": tidak ada angka kelurahan itu untuk periode tersebut.",
                          "Stunted toddlers per kelurahan: cases reported by {source}, period in brackets (not an e-PPGBM table per "
                          "kelurahan); \"no data (period)\": no figure for that kelurahan in that period."),
    "rpdf.kel_reported_none": ("Balita stunting per kelurahan: tidak ada data untuk periode mana pun; yang ada hanya angka "
                               "kecamatan ({when}).",
                               "Stunted toddlers per kelurahan: no data for any period; there is only the kecamatan's figure ({when})."),
    # the package's families at risk per kecamatan (2021, the paper's Table 1) where the user gave no BKKBN table: said
    # as what exists and what is missing (recheck11 H1: the pack said the data did not exist beside an atlas that maps them)
    "rpdf.kel_families_none": ("Keluarga berisiko per kelurahan: tidak ada data BKKBN per kelurahan; yang ada hanya angka kecamatan ({when}).",
                               "Families at risk per kelurahan: no BKKBN figures per kelurahan; there is only the kecamatan's figure ({when})."),
    "rpdf.families_map_source": ("Sumber: {source}; pendataan keluarga 2021", "Source: {source}; family data collection 2021"),
    "rpdf.no_map_families_kec": ("Peta keluarga berisiko stunting per kelurahan tidak tersedia: tidak ada tabel BKKBN per kelurahan. "
                                 "Yang ada: angka per kecamatan ({when}; {total} keluarga), di halaman per kecamatan laporan ini "
                                 "dan sebagai lapisan \"{layer}\" pada peta_kecamatan.html di atlas.",
                                 "No map of families at risk of stunting per kelurahan: no BKKBN table per kelurahan. What exists: "
                                 "the figures per kecamatan ({when}; {total} families), on this report's kecamatan pages and as the "
                                 "layer \"{layer}\" of peta_kecamatan.html in the atlas."),
    "rpdf.per_kecamatan": ("Halaman per kecamatan", "A page per kecamatan"),
    "rpdf.pagu": ("Pagu yang jatuh di lokus", "Pagu landing in the lokus"),
    "rpdf.s.pagu_n": ("{pct} pagu terlokasi jatuh di kelurahan {given}", "{pct} of the located pagu lands in {given} kelurahan"),
    "rpdf.lokus_given": ("lokus {last} (daftar)", "lokus of the {last} list"),
    "rpdf.s.who_n": ("{reached} dari {n} {given} dijangkau OPD: siapa bertindak di mana", "{reached} of {n} {given} are reached by an office: who acts where"),
    "rpdf.s.lokus_table": ("{n} lokus usulan, kuat dahulu", "{n} proposed lokus, strong first"),
    "rpdf.s.lokus_other": ("Tidak diusulkan: {n} kelurahan (lokus {last} yang tidak masuk usulan, atau perlu data)",
                           "Not proposed: {n} kelurahan (lokus of {last} left out of the proposal, or needing data)"),
    "rpdf.s.lokus_other_nolast": ("Tidak diusulkan: {n} kelurahan yang perlu data", "Not proposed: {n} kelurahan needing data"),
    "rpdf.cmp.was": ("lokus", "lokus"),
    "rpdf.cmp.was_not": ("bukan lokus", "not a lokus"),
    "rpdf.cmp.out": ("tidak diusulkan", "not proposed"),
    "rpdf.change_hint": ("Data prevalensi ada untuk periode {periods}, tetapi peta perubahan tidak diminta; untuk menampilkannya, tambahkan change = [[\"{a}\", \"{b}\"]] di bagian [maps] konfigurasi.",
                         "Prevalence data exist for the periods {periods}, but no change map was asked for; to show it, add change = [[\"{a}\", \"{b}\"]] to the [maps] section of the config."),
    "rpdf.s.no_change": ("Data prevalensi ada untuk periode {periods}, tetapi peta perubahan antarperiode belum dibuat untuk rembuk ini.",
                         "Prevalence data exist for the periods {periods}, but no map of the change between them was made for this rembuk."),
    "rpdf.s.no_change_map": ("Tidak ada peta perubahan: lihat catatan pembuatan di laporan.",
                             "No change map: see the build notes in the report."),
    "rpdf.s.no_change_title": ("Perubahan antarperiode belum dapat ditunjukkan", "No change between periods can be shown yet"),
    "rpdf.s.categories": ("{topic}: {parts}", "{topic}: {parts}"),
    "rpdf.s.unfunded": ("{n} kelurahan berkebutuhan tinggi belum dijangkau belanja", "{n} high-need kelurahan are reached by no spending"),
    "rpdf.s.unfunded_how": ("Kebutuhan tinggi: sepertiga teratas menurut {need} (kelas peta konvergensi); belum dijangkau: tanpa pagu terlokasi dari matriks kegiatan Aksi 2 (kegiatan se-kota tidak dihitung).",
                            "High need: the top third by {need} (the convergence map's class); reached by no spending: no located pagu in the Aksi 2 activity matrix (city-wide activities are not counted)."),
    "rpdf.s.and_more": (" dan {n} lainnya", " and {n} more"),
    "rpdf.s.top_class": ("{topic}: {n} kelurahan di kelas tertinggi yang terisi ({cls}): {names}",
                         "{topic}: {n} kelurahan in the highest class reached ({cls}): {names}"),
    "rpdf.s.most": ("{topic}: terbanyak di {name} ({n} {unit})", "{topic}: most in {name} ({n} {unit})"),
    "rpdf.s.changed_n": ("Prevalensi naik di {up} kelurahan dan turun di {down} kelurahan", "Prevalence rose in {up} kelurahan and fell in {down}"),
    "rpdf.s.lokus_n": ("{n} lokus diusulkan: {kuat} kuat, {border} perbatasan; {need} kelurahan perlu data",
                       "{n} lokus proposed: {kuat} strong, {border} borderline; {need} kelurahan need data"),
    "rpdf.s.lokus_vs": ("; dibanding lokus {last}: {same} tetap, {new} baru, {out} tidak diusulkan lagi",
                        "; against the lokus of {last}: {same} kept, {new} new, {out} no longer proposed"),
    "rpdf.s.unreached_n": ("{n} dari {total} {given} belum dijangkau OPD mana pun", "{n} of {total} {given} are reached by no office"),
    "rpdf.s.proposed_reach": ("{reached} dari {n} lokus usulan dijangkau OPD", "{reached} of {n} proposed lokus are reached by an office"),
    "rpdf.s.proposed_reach.one": ("{reached} dari {n} lokus usulan dijangkau OPD", "{reached} of {n} proposed lokus is reached by an office"),
    "rpdf.s.proposed_unreached": ("Lokus usulan yang belum dijangkau OPD mana pun (peringkat tertinggi dahulu): {names}",
                                  "Proposed lokus reached by no office (highest rank first): {names}"),
    "rpdf.s.proposed_all": ("Setiap lokus usulan (kuat dan perbatasan) dijangkau setidaknya satu OPD dalam matriks kegiatan Aksi 2.",
                            "Every proposed lokus (strong and borderline) is reached by at least one office in the Aksi 2 activity matrix."),
    "rembuk.gap_proposed": ("Lokus usulan tidak dijangkau OPD mana pun", "Proposed lokus reached by no office"),
    "rembuk.gap_proposed_note": ("Kec. {kec}; peringkat {rank}; {strength}", "Kec. {kec}; rank {rank}; {strength}"),
    "rembuk.gap_reach": ("Jangkauan", "Reach"),
    "rpdf.s.rank_n": ("peringkat {rank}", "rank {rank}"),
    "rpdf.s.missing_n": ("{n} hal belum tersedia untuk rembuk", "{n} things are missing for the rembuk"),
    "rpdf.s.missing_none": ("Data untuk rembuk: lengkap", "Data for the rembuk: complete"),
    "rpdf.s.missing_rank": ("Data untuk rembuk: lengkap kecuali {n} indikator peringkat", "Data for the rembuk: complete except {n} rank indicators"),
    "rpdf.s.missing_rank.one": ("Data untuk rembuk: lengkap kecuali {n} indikator peringkat", "Data for the rembuk: complete except {n} rank indicator"),
    "rpdf.s.lokus": ("Lokus yang diusulkan", "The proposed lokus"),
    "rpdf.s.who": ("Siapa bertindak di mana", "Who acts where"),
    "rpdf.s.who_sub": ("Lokus dan OPD yang menjangkaunya (matriks kegiatan Aksi 2)", "Lokus and the offices that reach them (the Aksi 2 activity matrix)"),
    "rpdf.s.unreached": ("Lokus yang tidak dijangkau OPD mana pun: {names}", "Lokus reached by no office: {names}"),
    "rpdf.s.two": ("Dua angka, dua kegunaan", "Two numbers, two uses"),
    "rpdf.none": ("tidak ada", "none"),
    "rpdf.page": ("Halaman", "Page"),
    "rpdf.col.check": ("Angka tercetak", "Printed figure"),
    "rpdf.col.expected": ("Tercetak", "Printed"),
    "rpdf.col.found": ("Dihitung ulang", "Recomputed"),
    "rpdf.col.ok": ("Sama", "Equal"),
    "rpdf.continued": ("{title} (lanjutan {i}/{n})", "{title} (continued {i}/{n})"),
    "rpdf.s.two_title": ("Dua angka prevalensi: e-PPGBM menunjuk kelurahan, survei memberi angka kota", "Two prevalence figures: e-PPGBM points to kelurahan, the survey gives the city figure"),
}

_SINGULAR = {  # "key.one": the text when its n is 1 (Indonesian nouns do not change; English ones do)
    "rpdf.s.unlocated.one": ("Pagu {pagu} dari {n} kegiatan yang Lokasi-nya tidak cocok dengan wilayah mana pun tidak terlokasi: tidak dihitung dalam bagian di atas ({rows})",
                             "Pagu {pagu} of {n} activity whose Lokasi matched no area is not located: left out of the share above ({rows})"),
    "konv.kota_text.one": ("{n} kegiatan, {pagu}", "{n} activity, {pagu}"),
    "konv_split_fallback.one": ("{n} kegiatan menyebut kelurahan tanpa angka {column} (atau semuanya 0): pagunya dibagi rata",
                                "{n} activity names a kelurahan without a {column} figure (or all 0): its pagu is split equally"),
    "konv_sub_title.one": ("{n} kegiatan dari {o} OPD; pagu {total}; {pct_kota} se-kota. {headline}. Menyentuh lokus (kegiatan dihitung penuh): {touch} pagu terlokasi",
                           "{n} activity of {o} offices; pagu {total}; {pct_kota} city-wide. {headline}. Touches a lokus (activity counted whole): {touch} of located pagu"),
    "konv.sum_head.one": ("{n} kegiatan dari {opd} OPD, pagu {pagu}; pembagian: {split}",
                          "{n} activity of {opd} offices (OPD), pagu {pagu}; split: {split}"),
    "rembuk.gap_opd_kota_note.one": ("{n} kegiatan, tingkat kota: menjangkau setiap kelurahan, termasuk semua lokus, tetapi tidak ditujukan ke kelurahan lokus",
                                     "{n} activity, city-wide: it reaches every kelurahan, all lokus included, but is not aimed at a lokus kelurahan"),
    "rembuk.gap_opd_note.one": ("{n} kegiatan, tidak satu pun menyentuh kelurahan lokus", "{n} activity, not touching a lokus kelurahan"),
    "rpdf.s.unfunded.one": ("{n} kelurahan berkebutuhan tinggi belum dijangkau belanja", "{n} high-need kelurahan is reached by no spending"),
    "rpdf.s.missing_n.one": ("{n} hal belum tersedia untuk rembuk", "{n} thing is missing for the rembuk"),
    "rpdf.s.unreached_n.one": ("{n} dari {total} {given} belum dijangkau OPD mana pun", "{n} of {total} {given} is reached by no office"),
}

_REMBUK = {  # issue 22: the rembuk stunting pack (workbook, berita acara, index)
    "rembuk.miss_kegiatan": ("Tidak ada matriks kegiatan (Aksi 2): konvergensi OPD, pagu ke lokus dan tabel komitmen belum dapat diisi dari data",
                             "No activity matrix (Aksi 2): office convergence, pagu reaching lokus and the commitment table cannot be filled from data"),
    "rembuk.miss_weight": ("Peringkat: {cell} ke indikator lain", "Rank: {cell} to the other indicators"),
    "rembuk.miss_lokus": ("Tidak ada daftar lokus yang diberikan ke atlas", "No lokus list was given to the atlas"),
    "rembuk.hint_config": ("Untuk pembuat paket: {what} diatur di berkas konfigurasi ({keys}; lihat docs/atlas-config.md).",
                           "For whoever makes the pack: {what} are set in the config file ({keys}; see docs/atlas-config.md)."),
    "rembuk.hint_what": ("peringkat, daftar lokus, tabel data, matriks kegiatan dan peta cetak",
                         "the ranking, the lokus list, the data tables, the activity matrices and the printable maps"),
    "rembuk.miss_keluarga": ("Tidak ada data keluarga berisiko stunting (BKKBN): kolom {cols} dibiarkan kosong",
                             "No families-at-risk figures (BKKBN): the columns {cols} are left empty"),
    "rembuk.miss_gizi": ("Tidak ada data balita diukur (e-PPGBM): prevalensi dan kolom {cols} dibiarkan kosong",
                         "No toddlers-measured figures (e-PPGBM): prevalence and the columns {cols} are left empty"),
    "rembuk.miss_keluarga_kec": ("Keluarga berisiko stunting: hanya ada angka per kecamatan ({when}; {total} keluarga); belum ada data "
                                 "BKKBN per kelurahan untuk periode terkini: kolom {cols} dibiarkan kosong",
                                 "Families at risk of stunting: only figures per kecamatan ({when}; {total} families); no BKKBN "
                                 "figures per kelurahan for a current period: the columns {cols} are left empty"),
    "rembuk.miss_keluarga_some": ("Keluarga berisiko stunting (BKKBN): angka untuk {n} dari {total} kelurahan; {m} kelurahan lain "
                                  "belum ada angkanya (kosong di peta dan di Data Sasaran)",
                                  "Families at risk of stunting (BKKBN): figures for {n} of {total} kelurahan; the other {m} "
                                  "kelurahan have none yet (empty on the maps and in Data Sasaran)"),
    "rembuk.miss_keluarga_counts": ("Ada persentase keluarga berisiko stunting tetapi tidak ada jumlahnya (BKKBN): kolom {cols} dibiarkan kosong",
                                    "Families at risk are given as a share but not as counts (BKKBN): the columns {cols} are left empty"),
    "rembuk.miss_periods": ("Hanya {n} periode data: perubahan antarperiode tidak dapat dinilai",
                            "Only {n} data period(s): change between periods cannot be judged"),
    "rembuk.str_without": ("{n} dari {total} kelurahan tanpa data pada periode {period}", "{n} of {total} kelurahan without data in period {period}"),
    "rembuk.str_unmatched": ("{n} baris tabel periode {period} tidak cocok dengan kelurahan mana pun (tidak digabung): {rows}",
                             "{n} table rows of period {period} matched no kelurahan (not joined): {rows}"),
    "rembuk.row_unmatched": ("{file} baris {row}: {name}{nearest}", "{file} row {row}: {name}{nearest}"),
    "rembuk.row_nearest": (" (terdekat: {names})", " (nearest: {names})"),
    "rembuk.row_fuzzy": ("{file} baris {row}: {name} dicocokkan dengan {kel} (Kec. {kec}, skor {score})",
                         "{file} row {row}: {name} matched to {kel} (Kec. {kec}, score {score})"),
    "rembuk.row_hidden": ("isi sel tidak ditampilkan (data by-name)", "the cell is not shown (by-name data)"),
    "rembuk.str_totals": ("{n} baris jumlah pada tabel periode {period} berbeda dari jumlah barisnya",
                          "{n} total rows in the tables of period {period} differ from the sum of their rows"),
    "rembuk.str_fuzzy": ("{n} nama kelurahan pada tabel periode {period} ditulis berbeda dari nama resmi (dicocokkan dengan skor), periksa dan samakan dengan kode wilayah: {rows}",
                         "{n} kelurahan names in the tables of period {period} differ from the official name (matched with a score), check them and use the area code: {rows}"),
    "rembuk.miss_no_gizi": ("{n} kelurahan tanpa angka balita diukur pada periode {period} (peta dan peringkat tanpa mereka): {names}",
                            "{n} kelurahan without toddlers measured in period {period} (maps and rank without them): {names}"),
    "rembuk.miss_no_gizi_kec": ("Kec. {kec} ({n} kelurahan, seluruhnya): {names}", "Kec. {kec} ({n} kelurahan, all of them): {names}"),
    "rembuk.miss_no_gizi_part": ("Kec. {kec}: {names}", "Kec. {kec}: {names}"),
    "rembuk.lokasi_read_as": ("Lokasi kegiatan {line}", "Activity Lokasi {line}"),
    "rembuk.unlocated": ("{file} baris {row}: Lokasi {lokasi} tidak cocok dengan wilayah mana pun: pagu {pagu} tidak terlokasi (tidak dihitung dalam bagian pagu yang jatuh di lokus); {why}",
                         "{file} row {row}: Lokasi {lokasi} matched no area: pagu {pagu} not located (left out of the share landing in lokus); {why}"),
    "rpdf.s.unlocated": ("Pagu {pagu} dari {n} kegiatan yang Lokasi-nya tidak cocok dengan wilayah mana pun tidak terlokasi: tidak dihitung dalam bagian di atas ({rows})",
                         "Pagu {pagu} of {n} activities whose Lokasi matched no area is not located: left out of the share above ({rows})"),
    "rpdf.s.unlocated_row": ("{file} baris {row}", "{file} row {row}"),
    "rpdf.read_as": ("Nama yang dibaca sebagai kelurahan lain dari tulisannya", "Names read as a kelurahan spelt otherwise"),
    "rpdf.unlocated": ("Pagu tanpa lokasi yang cocok", "Pagu with no matching location"),
    "rembuk.ba_check": ("Data yang perlu diperiksa atau diperkuat:", "Data to check or strengthen:"),
    "rpdf.matrix_warnings": ("Peringatan dari matriks kegiatan", "Warnings from the activity matrix"),
    "rembuk.matrix_warning": ("matriks kegiatan {file}: {text}", "activity matrix {file}: {text}"),
    "rembuk.str_unstable": ("{n} kelurahan dengan prevalensi tidak stabil (terlalu sedikit balita diukur)",
                            "{n} kelurahan with an unstable prevalence (too few toddlers measured)"),
    "rembuk.str_unreached": ("{n} kelurahan lokus tidak dijangkau OPD mana pun: {names}", "{n} lokus kelurahan reached by no office: {names}"),
    "rembuk.h.catatan": ("Catatan", "Note"),
    "rembuk.h.jumlah_opd_semua": ("Jumlah OPD (semua OPD, semua intervensi) dengan kegiatan di kelurahan ini",
                                  "Offices (OPD: all offices, every intervention) with an activity in this kelurahan"),
    "rembuk.total_row": ("Jumlah ({n} kelurahan)", "Total ({n} kelurahan)"),
    "rembuk.total_row.one": ("Jumlah ({n} kelurahan)", "Total ({n} kelurahan)"),
    "rembuk.ta_none": ("tidak diberikan", "not given"),
    # the workbook's sheets and column headers (rencana_dan_kesenjangan.xlsx), in the pack's language
    "rembuk.sheet.sasaran": ("Data Sasaran", "Target data (Data Sasaran)"),
    "rembuk.sheet.gap": ("Program vs Kesenjangan", "Programmes vs gaps"),
    "rembuk.sheet.matrix": ("Lokus x OPD", "Lokus x office"),
    "rembuk.sheet.lokus_gaps": ("Kesenjangan Lokus-OPD", "Lokus-office gaps"),
    "rembuk.sheet.pagu": ("Pagu ke Lokus", "Pagu to lokus"),
    "rembuk.sheet.notes": ("Keterangan", "Notes"),
    "rembuk.period_see_notes": ("per sumber: lihat lembar Keterangan", "per source: see the Notes sheet"),
    "rembuk.yes": ("Ya", "Yes"),
    "rembuk.no": ("Tidak", "No"),
    "rembuk.h.intervensi": ("Intervensi (paket layanan)", "Intervention (service package)"),
    "rembuk.h.kode_kel": ("Kode wilayah", "Area code"),
    "rembuk.h.kelurahan": ("Kelurahan", "Kelurahan"),
    "rembuk.h.kecamatan": ("Kecamatan", "Kecamatan"),
    "rembuk.h.lokus": ("Lokus (daftar yang diberikan)", "Lokus (the list given)"),
    "rembuk.h.kekuatan_lokus": ("Kekuatan sebagai lokus", "Strength as lokus"),
    "rembuk.h.dijangkau_program": ("Dijangkau program intervensi ini", "Reached by a programme of this intervention"),
    "rembuk.h.jumlah_opd": ("Jumlah OPD dengan kegiatan intervensi ini di kelurahan", "Offices (OPD) with an activity of this intervention here"),
    "rembuk.h.indikator_cakupan": ("Indikator cakupan", "Coverage indicator"),
    "rembuk.h.nilai_kesenjangan": ("Kesenjangan cakupan (%)", "Coverage gap (%)"),
    "rembuk.h.kebutuhan_tinggi_tanpa_program": ("Kebutuhan tinggi, belum dijangkau belanja (semua intervensi)", "High need, reached by no spending (any intervention)"),
    "rembuk.why_high": ("{need}: sepertiga teratas; tanpa pagu terlokasi dari OPD mana pun", "{need}: top third; no located pagu from any office"),
    "rembuk.h.alasan": ("Alasan", "Reason"),
    "rembuk.h.prevalensi_stunting": ("Prevalensi stunting (%)", "Stunting prevalence (%)"),
    "rembuk.h.kesenjangan_sanitasi": ("KK tanpa akses jamban layak (%)", "Households without a proper jamban (%)"),
    "rembuk.h.belum_odf": ("Belum ODF", "Not yet ODF"),
    "rembuk.h.paket": ("Paket {name}", "Package {name}"),
    "rembuk.h.opd_pagu": ("{opd} (pagu, Rp)", "{opd} (pagu, Rp)"),
    "rembuk.h.kesenjangan": ("Kesenjangan", "Gap"),
    "rembuk.h.kode": ("Kode", "Code"),
    "rembuk.h.nama": ("Nama", "Name"),
    "rembuk.h.keterangan": ("Keterangan", "Note"),
    "rembuk.h.opd": ("Kode OPD", "Office code"),
    "rembuk.h.opd_nama": ("Perangkat Daerah (OPD)", "Office (OPD)"),
    "rembuk.h.kegiatan": ("Jumlah kegiatan", "Activities"),
    "rembuk.h.pagu_total": ("Pagu seluruhnya (Rp)", "Total pagu (Rp)"),
    "rembuk.h.pagu_terlokasi": ("Pagu terlokasi (Rp)", "Located pagu (Rp)"),
    "rembuk.h.pagu_lokus": ("Pagu ke lokus, alokasi (Rp)", "Pagu to lokus, allocated (Rp)"),
    "rembuk.h.persen_lokus_terlokasi": ("Pagu ke lokus, % dari terlokasi", "Pagu to lokus, % of located"),
    "rembuk.h.pagu_non_lokus": ("Pagu ke bukan lokus (Rp)", "Pagu to non-lokus (Rp)"),
    "rembuk.h.pagu_kota": ("Pagu tingkat kota, tanpa lokasi (Rp)", "City-wide pagu, not located (Rp)"),
    "rembuk.h.pagu_tidak_cocok": ("Pagu dengan Lokasi tidak cocok (Rp)", "Pagu whose Lokasi matched nothing (Rp)"),
    "rembuk.h.pagu_menyentuh_lokus": ("Pagu kegiatan yang menyentuh lokus, dihitung penuh (Rp)", "Pagu of activities touching a lokus, counted whole (Rp)"),
    "rembuk.h.persen_menyentuh_lokus": ("Pagu menyentuh lokus, % dari terlokasi", "Pagu touching a lokus, % of located"),
    "rembuk.h.kelurahan_dijangkau": ("Kelurahan yang dijangkau kegiatan terlokasi", "Kelurahan reached by located activities"),
    "rembuk.h.jangkauan_kota": ("Jangkauan kegiatan tingkat kota", "Reach of city-wide activities"),
    "rembuk.reach_city": ("menjangkau setiap kelurahan, termasuk semua lokus (tanpa lokasi: tidak dihitung di kolom sebelumnya)",
                          "reach every kelurahan, all lokus included (not located: not counted in the column before)"),
    "rembuk.h.periode": ("Periode data", "Data period"),
    "rembuk.h.tahun_anggaran": ("Rencana kegiatan (Aksi 2)", "Activity plan (Aksi 2)"),
    "rembuk.ta": ("TA {year}", "FY {year}"),
    "rembuk.no_ta": ("tidak ada (tanpa matriks kegiatan)", "none (no activity matrix)"),
    "rembuk.sasaran_comment": ("Periode data: {period}; rencana kegiatan {ta}; sumber: {sources}. Nama kolom mengikuti formulir Data Sasaran Web Aksi Bangda (tidak diterjemahkan); baris 1 tetap baris judul agar dapat diimpor.",
                               "Data period: {period}; activity plan {ta}; sources: {sources}. The column names are those of the Web Aksi Bangda Data Sasaran form (not translated); row 1 stays the header row so the sheet imports as it is."),
    "rembuk.cov_air_sanitasi": ("Kesenjangan sanitasi (% KK tanpa jamban sehat/layak)", "Sanitation gap (% households without a proper jamban)"),
    "rembuk.no_coverage": ("tidak ada data cakupan", "no coverage data"),
    "rembuk.gap_lokus": ("Lokus tidak dijangkau OPD mana pun", "Lokus reached by no office"),
    "rembuk.gap_opd": ("OPD tanpa kegiatan di lokus", "Office with no activity in a lokus"),
    "rembuk.gap_opd_note": ("{n} kegiatan, tidak satu pun menyentuh kelurahan lokus", "{n} activities, none touching a lokus kelurahan"),
    "rembuk.gap_opd_kota": ("OPD dengan kegiatan se-kota saja", "Office with city-wide activities only"),
    "rembuk.gap_opd_kota_note": ("{n} kegiatan, tingkat kota: menjangkau setiap kelurahan, termasuk semua lokus, tetapi tidak ada yang ditujukan ke kelurahan lokus",
                                 "{n} activities, city-wide: they reach every kelurahan, all lokus included, but none is aimed at a lokus kelurahan"),
    "rembuk.opd_name": ("Nama OPD \u201c{written}\u201d di matriks kegiatan ditulis \u201c{name}\u201d: {how}",
                        "Office name \u201c{written}\u201d in the activity matrix printed as \u201c{name}\u201d: {how}"),
    "rembuk.opd_how.alias": ("nama resmi dari daftar perangkat daerah paket (data/kegiatan/opd.csv, singkatan atau nama lain)",
                             "the official name from the package's list of offices (data/kegiatan/opd.csv, an abbreviation or other name)"),
    "rembuk.opd_how.prefix": ("awal nama cocok dengan daftar perangkat daerah paket (data/kegiatan/opd.csv)",
                              "the start of the name matched the package's list of offices (data/kegiatan/opd.csv)"),
    "rembuk.opd_how.fuzzy": ("nama paling mirip di daftar perangkat daerah paket (data/kegiatan/opd.csv); periksa",
                             "the closest name in the package's list of offices (data/kegiatan/opd.csv); check it"),
    "rembuk.opd_names": ("Nama OPD", "Office names"),
    "rembuk.n_activities": ("{n} kegiatan", "{n} activities"),
    "rembuk.n_activities.one": ("{n} kegiatan", "{n} activity"),
    "rembuk.gap_none": ("Tidak ada kesenjangan lokus-OPD", "No lokus-office gap"),
    "rembuk.xlsx_title": ("Rencana dan kesenjangan - Rembuk Stunting {kab}", "Plan and gaps - Rembuk Stunting {kab}"),
    "rembuk.period": ("Periode data: {period}", "Data period: {period}"),
    "rembuk.sources": ("Sumber data:", "Data sources:"),
    "rembuk.missing": ("Yang belum ada:", "What is missing:"),
    "rembuk.def_sasaran": ("data sasaran per kelurahan untuk Web Aksi Bangda (Master Ansit > Data Sasaran): jumlah keluarga, keluarga berisiko stunting, balita diukur, balita sangat pendek (TB/U < -3 SD), balita pendek (-3 <= TB/U < -2 SD); angka periode kota yang sama dengan peta; sel kosong = tidak ada data (bukan nol)",
                           "target data per kelurahan for Web Aksi Bangda (Master Ansit > Data Sasaran): families, families at risk of stunting, toddlers measured, severely stunted (HAZ < -3 SD), stunted (-3 <= HAZ < -2 SD); the city period the maps show; an empty cell = no data (not zero)"),
    "rembuk.def_gap": ("per intervensi (paket layanan) dan kelurahan: apakah ada program (kegiatan Aksi 2) intervensi itu yang menjangkau, berapa OPD dengan kegiatan intervensi itu, dan nilai kesenjangan cakupan bila data cakupannya ada ('tidak ada data cakupan' bila tidak). 'Kebutuhan tinggi, belum dijangkau belanja' dinilai untuk setiap kelurahan, lokus atau bukan, sama dengan slide rembuk: kebutuhan pada sepertiga teratas (kelas peta konvergensi) dan tanpa pagu terlokasi dari kegiatan mana pun (kegiatan se-kota tidak dihitung); sama untuk semua intervensi kelurahan itu",
                       "per intervention (service package) and kelurahan: whether a programme (Aksi 2 activity) of that intervention reaches it, how many offices have an activity of that intervention there, and the coverage gap where coverage data are given ('no coverage data' otherwise). 'High need, reached by no spending' is judged for every kelurahan, lokus or not, as on the rembuk slide: need in the top third (the convergence map's class) and no located pagu from any activity (city-wide activities not counted); the same for every intervention of that kelurahan"),
    "rembuk.def_matrix": ("pagu terlokasi (Rp) tiap OPD di tiap kelurahan lokus, dari tampilan konvergensi", "located pagu (Rp) of each office in each lokus kelurahan, from the convergence view"),
    "rembuk.def_lokus_gaps": ("kelurahan lokus yang tidak dijangkau OPD mana pun, dan OPD yang tidak satu pun kegiatannya menyentuh lokus",
                              "lokus kelurahan reached by no office, and offices none of whose activities touch a lokus"),
    "rembuk.def_pagu": ("per OPD: pagu total, pagu terlokasi, pagu yang jatuh di lokus menurut alokasi (Rp dan % dari terlokasi), non-lokus, se-kota, tidak cocok, dan pagu kegiatan yang menyentuh lokus dihitung penuh; baris TOTAL",
                        "per office: total pagu, located pagu, pagu landing in lokus by allocation (Rp and % of located), non-lokus, city-wide, unmatched, and the pagu of activities touching a lokus counted whole; a TOTAL row"),
    "rembuk.def_split": ("Pembagian pagu kegiatan ke kelurahan yang disebut: {split}", "How an activity's pagu is allocated over the kelurahan it names: {split}"),
    "rembuk.def_period": ("Periode data: {period}; rencana kegiatan (Aksi 2) {ta}. Setiap lembar data memuat kolom Periode data dan Rencana kegiatan; lembar Data Sasaran tidak (tata letak impor), periodenya di catatan sel A1.",
                          "Data period: {period}; activity plan (Aksi 2) {ta}. Every data sheet carries the columns Data period and Activity plan; the Data Sasaran sheet does not (its import layout), its period is in the note of cell A1."),
    "rembuk.assume_bangda": ("Asumsi: urutan kolom Data Sasaran mengikuti Panduan Web Aksi Bangda 2022 (keluarga, keluarga berisiko stunting, balita diukur, sangat pendek, pendek); nama kolom mengikuti formulir Data Sasaran serang-gis, karena templat unduhan portal tidak tersedia untuk diperiksa. Periksa dengan templat ekspor-impor portal sebelum mengunggah.",
                             "Assumption: the Data Sasaran columns follow the order of the Web Aksi Bangda 2022 guide (families, families at risk, toddlers measured, severely stunted, stunted); the column names are those of the serang-gis Data Sasaran form, as the portal's download template was not available to check. Compare with the portal's export-import template before uploading."),
    "rembuk.assume_money": ("Rupiah dibulatkan ke rupiah penuh; angka dari hasil konvergensi atlas, tidak dihitung ulang.",
                            "Rupiah rounded to whole rupiah; figures from the atlas's convergence result, not recomputed."),
    "rembuk.ba_title": ("BERITA ACARA KESEPAKATAN REMBUK STUNTING {kab}", "MINUTES OF AGREEMENT, REMBUK STUNTING {kab}"),
    "rembuk.ba_draft": ("DRAF - untuk dibahas dan dilengkapi dalam rembuk", "DRAFT - to be discussed and completed at the rembuk"),
    "rembuk.ba_opening": ("Pada hari ini ........ tanggal ........ bertempat di ........, Tim Percepatan Penurunan Stunting (TPPS) {kab} melaksanakan Rembuk Stunting (Aksi 3) berdasarkan hasil analisis situasi (Aksi 1; periode data: {period}) dan rancangan rencana kegiatan (Aksi 2), dan menyepakati hal-hal berikut.",
                          "On ........ at ........, the Stunting Reduction Acceleration Team (TPPS) of {kab} held the Rembuk Stunting (Aksi 3) on the situation analysis (Aksi 1; data periods: {period}) and the draft activity plan (Aksi 2), and agreed as follows."),
    "rembuk.ba_h_lokus": ("1. Kelurahan lokus yang disepakati", "1. The agreed lokus kelurahan"),
    "rembuk.ba_lokus_note": ("{n} kelurahan lokus dari {source}; coret atau tambahkan sesuai kesepakatan.",
                             "{n} lokus kelurahan from {source}; strike out or add as agreed."),
    "rembuk.lokus_from_file": ("daftar lokus yang diberikan (berkas {file})", "the lokus list given (file {file})"),
    "rembuk.ba_lokus_decree": ("Daftar di bawah mengikuti makalah ({n} kelurahan), bukan Keputusan Walikota ({decree} kelurahan): {note}.",
                               "The list below follows the paper ({n} kelurahan), not the Walikota decree ({decree} kelurahan): {note}."),
    "rembuk.lokus_from_paper": ("daftar lokus {year} (bawaan paket untuk Kota Serang)", "the {year} lokus list (built into the package for Kota Serang)"),
    "rembuk.ba_strength_note": ("Kekuatan sebagai lokus menurut peringkat atlas: {counts}. {define}",
                                "Strength as lokus by the atlas's rank: {counts}. {define}"),
    "rembuk.col_strength": ("Kekuatan sebagai lokus", "Strength as lokus"),
    "rembuk.ba_proposed": ("Usulan dari data: {n} kelurahan lokus kuat menurut peringkat atlas belum ada dalam daftar: {names}.",
                           "Proposed by the data: {n} kelurahan the atlas's rank calls a strong lokus are not on the list: {names}."),
    "rembuk.ba_no": ("No", "No"),
    "rembuk.ba_kode": ("Kode wilayah", "Area code"),
    "rembuk.ba_kel": ("Kelurahan", "Kelurahan"),
    "rembuk.ba_strength": ("Kekuatan sebagai lokus", "Strength as lokus"),
    "rembuk.ba_h_commit": ("2. Komitmen kegiatan per OPD di kelurahan lokus", "2. Activity commitments per office in the lokus kelurahan"),
    "rembuk.ba_commit_note": ("{n} baris terisi dari matriks kegiatan Aksi 2 (satu baris per kegiatan x kelurahan lokus yang dijangkaunya). Pagu ke kelurahan: bagian pagu kegiatan untuk kelurahan itu ({split}; sama dengan lembar Pagu ke Lokus), kolom ini berjumlah {total} = pagu ke lokus; pagu kegiatan seluruhnya ditulis sekali, pada baris pertama kegiatan. Lengkapi target dan indikator, tambahkan kegiatan baru pada baris kosong.",
                              "{n} rows filled from the Aksi 2 activity matrix (one row per activity x lokus kelurahan it reaches). Pagu to the kelurahan: the activity's pagu allocated to that kelurahan ({split}; as in the Pagu to lokus sheet), the column sums to {total} = the pagu reaching lokus; the activity's whole pagu is written once, on the activity's first row. Complete the target and indicator, add new activities in the blank rows."),
    "rembuk.ba_pagu_total": ("Pagu kegiatan (seluruhnya, Rp)", "Activity pagu (whole, Rp)"),
    "rembuk.ba_opd": ("Perangkat Daerah (OPD)", "Office (OPD)"),
    "rembuk.ba_kegiatan": ("Kegiatan / sub kegiatan", "Activity / sub-activity"),
    "rembuk.ba_pagu": ("Pagu ke kelurahan (alokasi, Rp)", "Pagu to the kelurahan (allocated, Rp)"),
    "rembuk.ba_target": ("Target / sasaran", "Target"),
    "rembuk.ba_indikator": ("Indikator", "Indicator"),
    "rembuk.ba_unreached": ("belum ada OPD: perlu kegiatan", "no office yet: an activity is needed"),
    "rembuk.ba_h_roles": ("3. Peran dan koordinasi", "3. Roles and coordination"),
    "rembuk.ba_role_kota": ("Kewenangan kota (OPD):", "The city's part (offices):"),
    "rembuk.ba_role_kel": ("Kewenangan kelurahan/desa:", "The kelurahan/desa's part:"),
    "rembuk.ba_role_coord": ("Koordinasi dan pemantauan (TPPS):", "Coordination and monitoring (TPPS):"),
    "rembuk.ba_h_data": ("4. Data yang perlu diperkuat", "4. Data to strengthen"),
    "rembuk.ba_h_sign": ("5. Tanda tangan anggota TPPS", "5. Signatures of the TPPS members"),
    "rembuk.ba_sign_place": ("Ditetapkan di ........, tanggal ........", "Signed at ........, on ........"),
    "rembuk.ba_sign_ketua": ("Ketua TPPS", "Chair of the TPPS"),
    "rembuk.ba_sign_sekretaris": ("Sekretaris TPPS (Kepala Bappeda)", "Secretary of the TPPS (Head of Bappeda)"),
    "rembuk.ba_sign_head": ("Kepala {opd}", "Head of {opd}"),
    "rembuk.ba_sign_role": ("Jabatan", "Position"),
    "rembuk.ba_sign_name": ("Nama", "Name"),
    "rembuk.ba_sign_nip": ("NIP", "NIP"),
    "rembuk.ba_sign_sig": ("Tanda tangan", "Signature"),
    "rembuk.p_atlas": ("Atlas HTML: {maps}", "HTML atlas: {maps}"),
    "rembuk.p_atlas_maps": ("peta dan tabelnya", "its maps and tables"),
    # what the pack shows, each with its period and source (the cover, slide 1, the index, the berita acara)
    "rembuk.shown.kec_counts": ("Balita stunting per kecamatan", "Stunted toddlers per kecamatan"),
    "rembuk.shown.reported": ("Balita stunting dilaporkan per kelurahan", "Reported stunted toddlers per kelurahan"),
    "rembuk.shown.families": ("Keluarga berisiko stunting per kecamatan", "Families at risk of stunting per kecamatan"),
    "rembuk.shown.odf": ("Status ODF", "ODF status"),
    "rembuk.shown.as_of": ("per {date}", "as of {date}"),
    "rembuk.shown.lokus": ("Lokus stunting", "Stunting lokus"),
    "rembuk.shown.lokus_years": ("daftar {years}", "lists {years}"),
    "rembuk.p_qgis": ("Proyek QGIS dengan lapisan bergaya dan tata letak cetak", "QGIS project with styled layers and print layouts"),
    "rembuk.p_xlsx": ("Data Sasaran (Web Aksi Bangda), program vs kesenjangan, matriks lokus x OPD, pagu ke lokus",
                      "Data Sasaran (Web Aksi Bangda), programme vs gap, lokus x office matrix, pagu reaching lokus"),
    "rembuk.p_docx": ("Draf berita acara komitmen (Word/LibreOffice)", "Draft minutes of commitment (Word/LibreOffice)"),
    "rembuk.p_laporan": ("Laporan analisis situasi (PDF, A4)", "Situation analysis report (PDF, A4)"),
    "rembuk.p_paparan": ("Bahan paparan (PDF, 16:9)", "Meeting slides (PDF, 16:9)"),
    "rembuk.i_title": ("Paket Rembuk Stunting {kab}", "Rembuk Stunting pack: {kab}"),
    "rembuk.i_products": ("Isi paket", "What the pack holds"),
    "rembuk.i_product": ("Berkas", "File"),
    "rembuk.i_what": ("Isi", "Contents"),
    "rembuk.i_missing": ("Yang belum ada", "What is missing"),
    "rembuk.i_hints": ("Catatan pembuatan", "Build notes"),
    "rembuk.i_sources": ("Sumber data", "Data sources"),
    "rembuk.i_note": ("Semua angka berasal dari rencana atlas yang sama dengan peta; tidak ada yang dihitung ulang.",
                      "Every figure comes from the same atlas plan as the maps; nothing is recomputed."),
}

_I24_XLSX = {  # issue 24: a cell longer than Excel holds is cut where a line ends, and says so
    "xlsx_cell_cut": ("… (terpotong: {n} karakter lagi; Excel memuat paling banyak 32.767 karakter per sel; isi lengkap ada di CSV dan GeoPackage)",
                      "… (cut: {n} more characters; Excel holds at most 32,767 characters in a cell; the full text is in the CSV and GeoPackage)"),
}

_I20_RUN = {  # issue 20, map runtime: a long list of kelurahan in a legend, one count given by several sources
    "konv.biv_gap_more": ("+{n} lainnya", "+{n} more"),
    "same_count": ("angka yang sama: {names}", "the same number: {names}"),
}

_COVERAGE = {  # issue 25: the boundary coverage rounded to the grid, and its repair (build report and index notes)
    "coverage.grid_repair": ("batas: pembulatan koordinat hasil pembersihan ke 0,00001 derajat (sekitar 1 m) membuat {broke}; "
                             "diperbaiki dengan pembersihan ulang: {units} kelurahan berubah, {m2} m² berpindah antar-kelurahan",
                             "boundaries: rounding the cleaned coordinates to 0.00001 degree (about 1 m) left {broke}; repaired "
                             "by cleaning again: kelurahan changed: {units}, {m2} m² moved between kelurahan"),
    "coverage.grid_edges": ("{n} sisi tidak bertemu sisi tetangganya", "{n} edges that no longer met their neighbour's"),
    "coverage.grid_edges.one": ("{n} sisi tidak bertemu sisi tetangganya", "{n} edge that no longer met its neighbour's"),
    "coverage.grid_gaps": ("{n} celah tipis", "{n} thin gaps"),
    "coverage.grid_gaps.one": ("{n} celah tipis", "{n} thin gap"),
    "coverage.grid_shift": ("sisi yang bergeser", "shifted edges"),
    "coverage.grid_and": (" dan ", " and "),
    "coverage.clean": ("batas: pembersihan batas masukan (sebelum pembulatan): {pairs} pasang kelurahan bertumpang tindih, "
                       "{overlap} kini milik satu kelurahan saja ({named}); {gaps} celah antar-kelurahan diisi ({gap}{gap_to}); "
                       "{units} kelurahan berubah bentuk, {moved} berganti kelurahan{told}",
                       "boundaries: cleaning the input boundaries (before rounding): overlapping pairs of kelurahan: {pairs}, "
                       "{overlap} now held by one kelurahan only ({named}); gaps between kelurahan filled: {gaps} ({gap}{gap_to}); "
                       "kelurahan changed in shape: {units}, {moved} changed kelurahan{told}"),
    "coverage.clean_slight": ("batas: penyesuaian kecil pada batas masukan: {units} kelurahan disesuaikan, {moved} berganti "
                              "kelurahan (tumpang tindih tipis {pairs} pasang dan {gaps} celah tipis di sepanjang batas bersama, "
                              "masing-masing di bawah ambang pelaporan, biasa pada berkas batas publik); luas kelurahan diukur pada "
                              "batas yang sudah disesuaikan",
                              "boundaries: slight adjustments to the input boundaries: kelurahan adjusted: {units}, {moved} "
                              "changed kelurahan (slight overlaps of {pairs} pairs and {gaps} thin gaps along shared edges, each "
                              "under the reporting threshold, usual in public boundary files); kelurahan areas are measured on the "
                              "adjusted boundaries"),
    "coverage.clean_pair": ("{a} dan {b} {area}, kini milik {holder}", "{a} and {b} {area}, now held by {holder}"),
    "coverage.clean_gap_to": ("; terbanyak ke {who}", "; the largest parts to {who}"),
    "coverage.clean_gap_one": ("{a} {area}", "{a} {area}"),
    "coverage.clean_told": (" ({told} oleh perbaikan di atas ambang; sisanya tumpang tindih dan celah tipis di sepanjang batas "
                            "bersama, yang biasa pada berkas batas publik)",
                            " ({told} by the repairs over the threshold; the rest is slight overlaps and slivers along shared "
                            "edges, usual in public boundary files)"),
    "coverage.open_gaps": ("batas: {n} celah antar-kelurahan lebih lebar dari 30 m tidak diisi ({area}) dan tampak sebagai lubang "
                           "di peta, di samping {near}: periksa berkas batas",
                           "boundaries: gaps between kelurahan wider than 30 m not filled: {n} ({area}), shown as holes "
                           "in the maps, next to {near}: check the boundary file"),
    "list.more": ("{items} dan {n} lainnya", "{items} and {n} more"),
    "coverage.overlap": ("{path}: {a} dan {b} bertumpang tindih {area} ({share} dari yang lebih kecil, {smaller}: {small}){repaired}",
                         "{path}: {a} and {b} overlap by {area} ({share} of the smaller, {smaller}: {small}){repaired}"),
    "coverage.stray_part": ("{path}: {a} (fitur {row}): bagian {part} dari {parts} ({area}) terletak {km} km dari kelurahan "
                            "lain mana pun di {kab} (titik {lon}, {lat}): hapus bagian itu dari berkas bila salah (bila "
                            "memang pulaunya, abaikan peringatan ini)",
                            "{path}: {a} (feature {row}): part {part} of {parts} ({area}) lies {km} km from any other "
                            "kelurahan of {kab} (at {lon}, {lat}): remove that part from the file if it is a mistake (if "
                            "it is the kelurahan's own island, ignore this warning)"),
    "coverage.open_hole": ("{path}: {a} (fitur {row}) berlubang {area} yang tidak dicakup kelurahan mana pun (titik {lon}, "
                           "{lat}); tampak kosong di peta: bila bukan enklave wilayah lain, tutup lubangnya di berkas",
                           "{path}: {a} (feature {row}) has a hole of {area} that no kelurahan covers (at {lon}, {lat}); it "
                           "shows blank in the maps: unless it is an enclave of another region, close the hole in the file"),
    "coverage.overlap_repaired": ("; {names} diperbaiki (garis batas memotong dirinya)", "; {names} was repaired (self-intersecting)"),
    "coverage.self_repair": ("{path}: {a} tidak valid ({why}); perbaikannya mengubah luasnya dari {before} (seperti "
                             "digambar) menjadi {after}: periksa garis batasnya",
                             "{path}: {a} is invalid ({why}); repairing it changed its area from {before} (as drawn) "
                             "to {after}: check its outline"),
    "invalid.self": ("garis batasnya memotong dirinya", "its outline crosses itself"),
    "invalid.hole_outside": ("lubangnya terletak di luar garis luarnya", "a hole lies outside its outer ring"),
    "invalid.nested_holes": ("lubang di dalam lubang", "a hole lies inside another hole"),
    "invalid.nested_shells": ("bagian di dalam bagian lain", "a part lies inside another part"),
    "invalid.disconnected": ("lubangnya memutus bagian dalamnya", "its holes cut its inside apart"),
    "invalid.few_points": ("cincin dengan terlalu sedikit titik", "a ring with too few points"),
    "invalid.other": ("GEOS: {reason}", "GEOS: {reason}"),
    "coverage.union_fallback": ("batas: kelurahan tidak dapat dijadikan cakupan yang valid di grid; batas kecamatan dan "
                                "kab/kota dibentuk dengan union pada grid, sehingga bisa berbeda sedikit dari sisi kelurahan",
                                "boundaries: the kelurahan could not be made a valid coverage on the grid; kecamatan and "
                                "kab/kota outlines are made by a union on the grid, so they may differ slightly from the "
                                "kelurahan edges"),
}

_OPD = {  # issue 23: the per-office view (a page per office, the index's "Per OPD" list, the QGIS group per office)
    "opd.title": ("{name}: faktor risiko, lokus dan kegiatan", "{name}: risk factors, lokus and activities"),
    "opd.subtitle": ("Faktor yang ditangani {name} (pilih satu lapisan); garis ungu putus-putus: lokus; pita hijau lebar: "
                     "kelurahan yang dijangkau kegiatannya",
                     "Factors {name} acts on (choose one layer); dashed purple line: lokus; wide green band: kelurahan its "
                     "activities reach"),
    "opd.lokus_reached": ("Lokus dijangkau OPD ini", "Lokus this office reaches"),
    "opd.lokus_unreached": ("Lokus tidak dijangkau OPD ini", "Lokus this office does not reach"),
    "opd.lokus_layer": ("Lokus dijangkau / tidak dijangkau {name}", "Lokus reached / not reached by {name}"),
    "opd.lokus_layer_note": ("{reached} dari {total} lokus dijangkau kegiatan OPD ini", "{reached} of {total} lokus reached by this office's activities"),
    "opd.sources": ("Sumber: {files}", "Source: {files}"),
    "opd.qgis_group": ("OPD: {name}", "Office: {name}"),
    "opd.city_wide": ("se-kota (tidak terlokasi)", "city-wide (not located)"),
    "opd.unmatched": ("lokasi tidak dikenali: {lokasi}", "location not recognised: {lokasi}"),
    "opd.unnamed": ("(tanpa nama kegiatan)", "(activity without a name)"),
    "opd.reach": ("Dijangkau kegiatan OPD ini", "Reached by this office's activities"),
    "opd.reach_item": ("Kelurahan yang dijangkau kegiatan OPD ini", "Kelurahan this office's activities reach"),
    "opd.no_factor_row": ("tabel faktor-OPD tidak memberi faktor untuk OPD ini", "the factor-to-office table gives this office no factor"),
    "opd.no_matrix": ("tidak ada matriks kegiatan (Aksi 2)", "no activity matrix (Aksi 2)"),
    "opd.no_activity": ("tidak ada kegiatan di matriks", "no activity in the matrix"),
    "opd.h_activities": ("Kegiatan OPD ini ({n}, pagu {pagu})", "This office's activities ({n}, pagu {pagu})"),
    "opd.activity": ("{name} — {where} — {pagu} (baris {row})", "{name} — {where} — {pagu} (row {row})"),
    "opd.h_unreached": ("Lokus yang tidak dijangkau OPD ini ({n} dari {total})", "Lokus this office does not reach ({n} of {total})"),
    "opd.h_factors": ("Faktor yang ditangani: {factors}", "Factors it acts on: {factors}"),
    "opd.h_missing": ("Yang belum ada", "What is missing"),
    "opd.index_h": ("Per OPD", "Per office"),
    "opd.index_intro": ("Setiap OPD: peta faktor risiko yang ditanganinya, lokus, dan kegiatannya dari matriks.",
                        "Each office: the map of the risk factors it acts on, the lokus, and its activities from the matrix."),
    "opd.index_card": ("{layers} lapisan faktor · {n} kegiatan · {unreached} lokus tidak dijangkau",
                       "{layers} factor layers · {n} activities · {unreached} lokus not reached"),
    "opd.index_card.one": ("{layers} lapisan faktor · {n} kegiatan · {unreached} lokus tidak dijangkau",
                           "{layers} factor layers · {n} activity · {unreached} lokus not reached"),
    "opd.index_missing": ("tanpa halaman: {why}", "no page: {why}"),
    # the office-staff walk of issue 23: what a page lacks is said on it, and the reading's warnings in the run's language
    "opd.no_data": ("tidak ada data: {what}", "no data: {what}"),
    "opd.unread": ("{label} (kolom {header!r} di {file} tidak terbaca)", "{label} (column {header!r} of {file} not read)"),
    "faktor.air_minum": ("air minum", "drinking water"),
    "faktor.bantuan_sosial": ("bantuan sosial", "social assistance"),
    "faktor.cuci_tangan": ("cuci tangan pakai sabun", "handwashing"),
    "faktor.jamban": ("jamban", "jamban"),
    "faktor.kb_modern": ("KB modern", "modern family planning, KB"),
    "faktor.keluarga_berisiko": ("keluarga berisiko", "families at risk"),
    "faktor.limbah": ("limbah", "wastewater"),
    "faktor.pmt": ("PMT", "PMT supplementary feeding"),
    "faktor.posyandu": ("posyandu", "posyandu"),
    "faktor.sampah": ("sampah", "solid waste"),
    "faktor.terlalu_banyak": ("terlalu banyak", "too many children"),
    "faktor.terlalu_dekat": ("terlalu dekat", "births too close together"),
    "faktor.terlalu_muda": ("terlalu muda", "mother too young"),
    "faktor.terlalu_tua": ("terlalu tua", "mother too old"),
    "opd.factor_role": ("{factor} ({role}): {what}", "{factor} ({role}): {what}"),
    "opd.role.utama": ("utama", "lead"),
    "opd.role.pendukung": ("pendukung", "supporting"),
    "opd.unreached_rate": ("{place} — {label}: {value}", "{place} — {label}: {value}"),
    "opd.h_hot": ("Kelurahan non-lokus di kelas terburuk salah satu faktornya, tidak dijangkau OPD ini ({n})",
                  "Non-lokus kelurahan in the worst class of one of its factors, not reached by this office ({n})"),
    "opd.hot": ("{place} — {what}", "{place} — {what}"),
    "read.w_resembling": ("kolom {header!r} tidak terbaca, padahal mirip {field} ({label}{also}): bila memang itu, sebutkan dengan "
                          "--map \"{header}={field}\" (config atlas: columns = {{ \"{header}\" = \"{field}\" }} di tabel [[data]]-nya); "
                          "bila bukan, --map \"{header}=no\" membungkam peringatan ini",
                          "column {header!r} is not read, but it looks like {field} ({label}{also}): if it is, name it with "
                          "--map \"{header}={field}\" (an atlas config: columns = {{ \"{header}\" = \"{field}\" }} in its [[data]] table); "
                          "if not, --map \"{header}=no\" silences this"),
    "read.w_resembling_also": ("; {field} dibaca dari {header!r}", "; {field} is read from {header!r}"),
    "read.filled_kecamatan": ("kecamatan diisi dari baris di atasnya pada {n} baris (sel digabung atau kosong)",
                              "kecamatan filled down from the row above on {n} rows (merged or blank cells)"),
    "read.byname_rows": ("ekspor by-name: {rows} baris pengukuran; {outside} di luar periode {period}; {repeat} pengukuran ulang "
                         "anak yang sama (yang terakhir dipakai); {not_toddler} anak tidak berusia 0-59 bulan saat diukur; "
                         "{counted} balita dihitung",
                         "by-name export: {rows} measurement rows; {outside} outside the period {period}; {repeat} repeat "
                         "measurements of the same child (latest kept); {not_toddler} children not 0-59 months old at measurement; "
                         "{counted} toddlers counted"),
    "read.all_periods": ("(semua)", "(all)"),
    "read.blank_rows": ("{n} baris kosong dilewati (baris {rows})", "{n} blank rows skipped (rows {rows})"),
    "read.byname_flagged": ("{n} pengukuran dalam periode ditandai dan tidak dipakai (tanda WHO: z-score TB/U di bawah -6 atau di atas "
                            "+6 ({who} baris di berkas); tinggi di luar 38-130 cm ({height}); z-score tercatat berbeda lebih dari 0,5 "
                            "dari yang dihitung ulang dari tinggi, umur dan jenis kelamin ({mismatch}))",
                            "{n} measurements in the period flagged and excluded (WHO flags: a height-for-age z-score below -6 or "
                            "above +6 ({who} rows in the file); a height outside 38-130 cm ({height}); a recorded z-score more than "
                            "0.5 from the one recomputed from height, age and sex ({mismatch}))"),
    "read.byname_heights": ("{n} baris memiliki tinggi (Tinggi) yang bukan panjang/tinggi anak (0, negatif, di luar 38-130 cm, atau "
                            "bukan angka), tidak dipakai: baris {rows}",
                            "{n} rows have a height (Tinggi) that is no child's length/height (0, negative, outside 38-130 cm, or "
                            "not a number), excluded: rows {rows}"),
    "read.byname_blank": ("{n} balita tidak memiliki TB/U maupun ZS TB/U dalam periode: tidak dihitung sebagai diukur",
                          "{n} toddlers have neither TB/U nor ZS TB/U in the period: not counted as measured"),
    "read.stbm_households": ("STBM per rumah tangga: {n} rumah tangga di {kel} kelurahan; {blank} tanpa anak tangga sanitasi (kosong)",
                             "STBM by household: {n} households in {kel} kelurahan; {blank} without a ladder rung (blank)"),
    "read.stbm_blank": ("{n} jawaban kosong untuk {header!r}: dihitung tidak mempraktikkan",
                        "{n} blank answers for {header!r}: counted as not practising"),
    "read.parts": ("{header}: {n} sub-kolom (L/P) dijumlahkan menjadi {field}", "{header}: {n} sub-columns (L/P) added up into {field}"),
    "read.header_again": ("judul kolom berulang di baris {rows}: dilewati", "the header is repeated on row(s) {rows}: skipped"),
    "join.h_file_warnings": ("Peringatan membaca {file}", "Warnings reading {file}"),
    "join.fuzzy_line": ("nama mirip dicocokkan: {pairs}", "names matched as similar: {pairs}"),
    "join.missing_kel": ("{n} kelurahan tanpa baris di berkas ini: {names}", "{n} kelurahan without a row in this file: {names}"),
    "join.kind.byname": ("by-name (per anak, dijumlahkan per kelurahan)", "by-name (per child, counted per kelurahan)"),
    "join.kind.household": ("per rumah tangga (dijumlahkan per kelurahan)", "per household (counted per kelurahan)"),
    "join.missing_kel.one": ("1 kelurahan tanpa baris di berkas ini: {names}", "1 kelurahan without a row in this file: {names}"),
}

_BOUNDARY_NOTES = {  # issue 25 walk: the boundary file's reading and check notes a build says in its language
    "bnd.crs_override": ("{path}: koordinat di luar jangkauan CRS-nya {crs}; dibaca sebagai {given} (--crs)",
                         "{path}: coordinates are out of range for its CRS {crs}; read as {given} (--crs)"),
    "bnd.no_geometry": ("{where}: tanpa geometri; tidak dipakai", "{where}: no geometry; left out"),
    "bnd.small_holes": ("{where}: {n} lubang lebih kecil dari 100 m² (seluruhnya {area} m²) ditutup", "{where}: {n} holes smaller "
                        "than 100 m² (together {area} m²) filled"),
    "bnd.not_polygon": ("{where}: sebuah {kind}, bukan poligon; tidak dipakai", "{where}: a {kind}, not a polygon; left out"),
    "bnd.collection_parts": ("{where}: GeometryCollection dengan {n} bagian bukan poligon ({kinds}); hanya poligonnya dipakai",
                             "{where}: a GeometryCollection with {n} parts that are not polygons ({kinds}); only its polygons are used"),
    "bnd.unnamed": ("{where}: {n} fitur tanpa nama (fitur {rows}): kodenya dipakai sebagai nama",
                    "{where}: {n} feature(s) have no name (features {rows}): their code is used as the name"),
    "bnd.outside": ("{path}: {n} fitur berkode di luar wilayah {region} ({codes}): tidak dipakai",
                    "{path}: {n} feature(s) have codes outside region {region} ({codes}): left out"),
    "bnd.merged": ("{path}: kode {code} dipakai beberapa fitur; digabung menjadi satu kelurahan",
                   "{path}: code {code} is held by several features; merged into one kelurahan"),
    "bnd.no_names": ("tidak ada nama {level} untuk {codes}: kode dipakai sebagai nama (beri layer {level} dengan --names FILE, "
                     "atau unduh namanya dengan `serang-gis boundaries fetch --region {region}`, perlu internet)",
                     "no {level} names found for {codes}: the code is used as the name (give a {level} layer with --names FILE, "
                     "or download the names with `serang-gis boundaries fetch --region {region}`, which needs the network)"),
    "bnd.missing": ("{path}: {n} kelurahan dari {kab} tidak ada di berkas: {names}", "{path}: {n} kelurahan of {kab} missing from the file: {names}"),
    "bnd.unknown": ("{path}: {n} kode tidak ada di daftar Kemendagri {kab} ({total} kelurahan): {labels}",
                    "{path}: {n} code(s) not in the Kemendagri list of {kab} ({total} kelurahan): {labels}"),
    "bnd.lokus_missing": ("lokus {year}: {n} kelurahan tidak ada di batas wilayah: {codes}",
                          "lokus {year}: {n} kelurahan not in the boundaries: {codes}"),
    "bnd.serang_extra": ("{n} kelurahan di batas wilayah tidak ada di daftar bawaan Kota Serang: {codes}",
                         "{n} kelurahan in the boundaries are not in the embedded list of Kota Serang: {codes}"),
    "bnd.serang_extra.one": ("{n} kelurahan di batas wilayah tidak ada di daftar bawaan Kota Serang: {codes}",
                             "{n} kelurahan in the boundaries is not in the embedded list of Kota Serang: {codes}"),
    "bnd.serang_missing": ("{n} kelurahan Kota Serang tidak ada di batas wilayah: {codes}",
                           "{n} kelurahan of Kota Serang are missing from the boundaries: {codes}"),
    "bnd.serang_missing.one": ("{n} kelurahan Kota Serang tidak ada di batas wilayah: {codes}",
                               "{n} kelurahan of Kota Serang is missing from the boundaries: {codes}"),
}

_I23_MESSAGES = {  # issue 23, office walk 23b: a Lokasi cell that matches nothing, a by-name period emptied by the flags
    "read.byname_all_flagged": ("{file}: seluruh {n} pengukuran dalam periode {period} ditandai dan tidak dipakai, tidak ada yang tersisa "
                                "untuk dihitung: tanda WHO (z-score TB/U di bawah -6 atau di atas +6) {who}; tinggi di luar 38-130 cm "
                                "atau bukan angka {height}; z-score tercatat berbeda lebih dari 0,5 dari yang dihitung ulang {mismatch}",
                                "{file}: all {n} measurements in the period {period} are flagged and excluded, none is left to count: "
                                "WHO flag (height-for-age z-score below -6 or above +6) {who}; height outside 38-130 cm or not a "
                                "number {height}; recorded z-score more than 0.5 from the one recomputed {mismatch}"),
    "read.byname_all_flagged_hint": ("periksa kolom Tinggi (cm), Tgl Lahir, Tanggal Pengukuran, JK dan ZS TB/U",
                                     "check the Tinggi (cm), Tgl Lahir, Tanggal Pengukuran, JK and ZS TB/U columns"),
}

_SECTIONS = (_I23_MESSAGES, _OPD, _I24_XLSX, _SINGULAR, _REMBUK, _REMBUK_PDF, _I20_PRINT, _I20_LANG, _I20_PAGE, _QGIS_PROJECT, _PLAN, _MAP_FLOWS, _RANK_ELIGIBILITY, _KONV_ALLOCATION, _BYNAME_QUALITY, _FUNNEL_ADJUSTED, _MAP, _UNITS, _NUMBERS, _INDICATORS, _CATEGORIES, _ALIASES, _INDEX, _KONVERGENSI, _FUNNEL, _JOIN, _QUALITY, _CHECKS, _I20_RUN, _COVERAGE, _I20_TEXT, _BOUNDARY_NOTES)


def _catalogue() -> MappingProxyType:
    keys = [k for section in _SECTIONS for k in section]
    if len(keys) != len(set(keys)):
        raise ValueError(f"text keys given twice: {sorted({k for k in keys if keys.count(k) > 1})}")
    pairs = {k: v for section in _SECTIONS for k, v in section.items()}
    return MappingProxyType({lang: MappingProxyType({k: v[i] for k, v in pairs.items()}) for i, lang in enumerate(LANGS)})


TEXT = _catalogue()

# the words the browser runtime (atlas.js) shows itself; the payload carries exactly these
RUNTIME = ("unit_name", "kecamatan", "search", "not_found", "results", "fullscreen", "print", "layers", "legend", "zoom_in", "zoom_out",
           "period_choice", "tiles_failed", "close_popup", "close_note", "printed", "print_more",
           "same_count")

ODF_CLASSES = {  # status -> (colour, text key of its label); ColorBrewer Dark2-like, colour-blind safe pair
    "ODF terverifikasi": ("#1a9850", "odf.verified"),
    "ODF deklarasi": ("#66bd63", "odf.declared"),
    "Belum ODF": ("#f46d43", "odf.not_yet"),
}
NO_DATA_COLOR = "#d9d9d9"


def t(lang: str, key: str, **fields) -> str:
    """The text of ``key`` in ``lang``, its ``{fields}`` filled in; with ``n`` = 1, the singular ``key.one`` where the
    catalogue has one ("1 activity", not "1 activities")."""
    n = fields.get("n")
    text = TEXT[lang].get(f"{key}.one") if (n == 1 or n == "1") and not isinstance(n, bool) else None
    text = text or TEXT[lang][key]
    return text.format(**fields) if fields else text


def group_name(lang: str, group: str) -> str:
    """A data group's name in ``lang`` ("gizi" -> "nutrition"); the group's code where the catalogue has no name."""
    return TEXT[lang].get(f"group.{group}", group)


def unit_word(lang: str, unit: str) -> str:
    """A unit as stored ("balita", "KK", "%") in ``lang``; a unit the catalogue does not know stays as given."""
    return TEXT[lang].get(f"unit.{unit}", unit) if unit else unit


def indicator_label(lang: str, column: str) -> str:
    """An indicator's name; a column the catalogue does not know is named by itself."""
    return TEXT[lang].get(f"ind.{column}", column)


def odf_label(lang: str, status):
    """An ODF status as read in ``lang`` (statuses are stored in Indonesian); others unchanged."""
    return t(lang, ODF_CLASSES[status][1]) if isinstance(status, str) and status in ODF_CLASSES else status


def _template_regex(template: str):
    """An Indonesian template as a pattern that gives back its fields ("{cols} tanpa data" -> (?P<cols>.+?) tanpa data)."""
    import re

    parts = re.split(r"\{(\w+)(?:![rs])?\}", template)
    numeric = {"share", "n", "few", "last", "limit"}
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[\\d.,]+)" if p in numeric else f"(?P<{p}>.+?)"
                              for i, p in enumerate(parts)) + "$")


_STORED = ("rank_not_ranked_few", "rank_not_ranked_cols", "rank_few", "rank_caution", "rank_low_coverage", "rank_weight_moved_cell",
           "rank_explain_absent", "rank_explain_part")  # the templates of the rank cells stored in Indonesian


def _field_in(lang: str, value: str) -> str:
    """One filled-in field of a stored cell in ``lang``: indicator names, catalogue words, numbers' marks."""
    by_id = {v: k for k, v in TEXT["id"].items() if k.startswith(("ind.", "rank_base", "val."))}
    items = [by_id.get(x.strip()) for x in value.split(", ")]
    if all(items):
        return ", ".join(TEXT[lang][k] for k in items)
    if value.replace(".", "").replace(",", "").isdigit():  # a number written with the Indonesian marks
        return value.translate({ord("."): TEXT[lang]["num.group"], ord(","): TEXT[lang]["num.decimal"]})
    return value


def comparison_text(lang: str, value):
    """A ``banding_lokus`` cell as a profile shows it: the list's half and the data's half named; else as ``stored_text``."""
    if isinstance(value, str) and f"cmp.{value}" in TEXT[lang]:
        return TEXT[lang][f"cmp.{value}"]
    return stored_text(lang, value)


def stored_text(lang: str, value):
    """A rank cell stored in Indonesian (``penjelasan``, ``status_lokus``, ``banding_lokus``, ``prioritas``,
    ``peringatan_data``, ``bobot_dipindah``, an ODF status) as read in ``lang``: the data files keep the stored words, pages translate.
    A text no template knows is returned unchanged."""
    if lang == "id" or not isinstance(value, str) or not value:
        return value
    if f"val.{value}" in TEXT[lang]:
        return TEXT[lang][f"val.{value}"]
    if value in ODF_CLASSES:
        return odf_label(lang, value)
    if value == TEXT["id"]["rank_not_ranked"]:
        return TEXT[lang]["rank_not_ranked"]
    out = []
    for part in _split_parts(value):
        for key in _STORED:
            m = _template_regex(TEXT["id"][key]).match(part)
            if m:
                part = TEXT[lang][key].format(**{k: _field_in(lang, v) for k, v in m.groupdict().items()})
                break
        out.append(part)
    return "; ".join(out)


class Msg(str):
    """A message kept with its catalogue key and fields: as a plain ``str`` it reads in English (an error that stops a run,
    the JSON report, a log), and ``say(lang, msg)`` reads it in a page's or a run's language. A field may itself be a
    ``Msg`` or any value with a ``text(lang)`` method (an amount in rupiah), read in the same language."""

    def __new__(cls, key: str, **fields):
        self = super().__new__(cls, _filled("en", key, fields))
        self.key, self.fields = key, fields
        return self

    def __reduce__(self):  # pickled (batch workers) as its key and fields, not as its English text
        return _msg, (self.key, self.fields)

    def text(self, lang: str) -> str:
        return _filled(lang, self.key, self.fields)


class ListOf:
    """A list in a message: its items (texts or ``Msg``) joined by "; ", with "dan {n} lainnya" / "and {n} more" when
    ``more`` items were left out; read in the language the message is read in."""

    def __init__(self, items, more: int = 0):
        self.items, self.more = tuple(items), int(more)

    def text(self, lang: str) -> str:
        items = "; ".join(say(lang, x) for x in self.items)
        return t(lang, "list.more", items=items, n=f"{self.more:,}".replace(",", t(lang, "num.group"))) if self.more > 0 else items

    def __eq__(self, other):
        return isinstance(other, ListOf) and (self.items, self.more) == (other.items, other.more)

    __hash__ = None


def _msg(key: str, fields: dict) -> Msg:
    return Msg(key, **fields)


def _filled(lang: str, key: str, fields: dict) -> str:
    return t(lang, key, **{k: v.text(lang) if hasattr(v, "text") and callable(v.text) else v for k, v in fields.items()})


def say(lang: str, message) -> str:
    """A message in ``lang``: a ``Msg`` read in that language, any other text as it is."""
    return message.text(lang) if isinstance(message, Msg) else str(message)


_SOURCE_NOTES = (("reported ", "src.reported"), ("data sementara", "src.provisional"))  # as the packaged tables write them


def source_text(lang: str, source: str) -> str:
    """A packaged source as read in ``lang``: "paper Table 1 (...)", its bracketed note ("(reported 27 Jun 2023)", "(data sementara)")
    in that language."""
    import re

    paper = re.match(r"^paper Table (\d+) \((.+)\)$", str(source))
    if paper:
        return t(lang, "src.paper_table", n=paper.group(1), who=paper.group(2))
    m = re.match(r"^(.*) \((reported (.+)|data sementara)\)$", str(source))
    if not m:
        return str(source)
    note = t(lang, "src.reported", date=m.group(3)) if m.group(3) else t(lang, "src.provisional")
    return f"{m.group(1)} ({note})"


def short_source(source: str) -> str:
    """A source as a title box names it: a web address by its site ("bantenraya.co.id"), a file by itself, notes dropped."""
    from urllib.parse import urlsplit

    text = str(source).strip()
    if text.startswith(("http://", "https://")):
        host = urlsplit(text.split()[0]).hostname or text
        return host.removeprefix("www.")
    return text


def short_sources(lang: str, sources, most: int = 3, where: str | None = None) -> str:
    """"bantenraya.co.id, jejakbanten.com, data.xlsx and 3 more (see Data sources)": the sources of a title box,
    each by its short name, once, at most ``most`` of them; the full list (with links) stays in ``where``."""
    given = [str(s) for s in sources if str(s).strip()]
    given.sort(key=lambda s: s.startswith(("http://", "https://")))  # the user's own files first, then the web sites
    names = list(dict.fromkeys(short_source(s) for s in given))
    if len(names) <= most:
        return ", ".join(names)
    return t(lang, "src.more", names=", ".join(names[:most]), n=len(names) - most, where=where or t(lang, "sources"))


def _split_parts(value: str) -> list[str]:
    """'a; b (c; d)' -> ['a', 'b (c; d)']: the parts of a stored cell, brackets kept whole."""
    parts, depth, cur = [], 0, ""
    for ch in value:
        depth += (ch == "(") - (ch == ")")
        if ch == ";" and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return parts + [cur.strip()] if cur.strip() else parts
