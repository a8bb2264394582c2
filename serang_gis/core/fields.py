"""The indicator fields a table may hold, and the headers offices write for them.

``FIELDS`` is the documented synonym table (docs/columns.md is checked against it by a test):
each field has a kind (count, percent, category, key, by-name) and header patterns, tried in the
order of ``FIELDS`` so that "sangat pendek" is taken before "pendek". Headers are compared after
``header_key``: lower case, "%" read as "persen", punctuation as spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # key | count | percent | category | byname | ignore
    patterns: tuple[str, ...]  # regular expressions searched in the header key
    label: str  # English description for docs and messages
    examples: tuple[str, ...] = ()


FIELDS: list[Field] = [
    Field("no", "ignore", (r"^(no|nomor|no urut|nourut)$",), "running number (ignored)", ("No", "No.")),
    Field("kode", "key", (r"^(kode|kd|code)$", r"^(kode|kd)( (wilayah|desa|kel|kelurahan|kemendagri|bps|kemendagri desa))+$",
                          r"\bkode (desa|kelurahan|wilayah)\b", r"village code", r"^id (desa|kel|kelurahan)$"),
          "Kemendagri kelurahan code", ("Kode Wilayah", "Kode Desa", "KD_DESA")),
    Field("kecamatan", "key", (r"^(nama )?(kecamatan|kec)$", r"^district$"), "kecamatan name", ("Kecamatan", "Kec", "Nama Kecamatan")),
    Field("kelurahan", "key", (r"^(nama )?(desa|kelurahan|kel|desa kel|desa kelurahan|kelurahan desa|kel desa)$", r"^village$"),
          "kelurahan/desa name", ("Desa/Kel", "Kelurahan", "Nama Desa")),
    Field("puskesmas", "ignore", (r"^(nama )?(puskesmas|pukesmas|pkm)$",), "puskesmas (kept in the report only)", ("Puskesmas", "Pukesmas")),
    # by-name e-PPGBM columns: recognised so that they are never copied anywhere
    Field("nik", "byname", (r"^nik( anak| balita)?$", r"^no kk$"), "national ID (by-name, never output)", ("NIK",)),
    Field("nama_ortu", "byname", (r"^nama (ortu|orang tua|ibu|ayah)$",), "parent's name (never output)", ("Nama Ortu",)),
    Field("nama", "byname", (r"^nama( anak| balita)?$",), "child's name (never output)", ("Nama",)),
    Field("alamat", "byname", (r"^(alamat|rt|rw|rt rw|no hp|telepon)$",), "address (never output)", ("Alamat", "RT", "RW")),
    Field("tgl_lahir", "date", (r"^(tgl|tanggal) lahir$",), "date of birth", ("Tgl Lahir",)),
    Field("tgl_ukur", "date", (r"^(tgl|tanggal) (pengukuran|ukur)$",), "measurement date", ("Tanggal Pengukuran",)),
    Field("zs_tbu", "zscore", (r"^(zs|z score|zscore) tb u$",), "height-for-age z-score", ("ZS TB/U",)),
    Field("tbu", "category", (r"^(status )?tb u$",), "height-for-age class (Sangat Pendek/Pendek/Normal/Tinggi)", ("TB/U",)),
    Field("jk", "byname", (r"^(jk|jenis kelamin|kelamin|sex|gender)$",), "child's sex (L/P): to recompute the z-score, never output",
          ("JK", "Jenis Kelamin")),
    Field("tinggi", "measure", (r"^(tinggi|tinggi badan|panjang badan|tb|pb|tb pb|pb tb|height|length)( cm)?$",),
          "length/height in cm: to recompute the height-for-age z-score (WHO 2006)", ("Tinggi", "TB/PB (cm)")),
    Field("cara_ukur", "measure", (r"^(cara|posisi|metode) (ukur|pengukuran)$", r"^measure(ment)? (position|method)$"),
          "how the child was measured (Terlentang = lying, Berdiri = standing): corrects the height by 0.7 cm where the WHO "
          "table of that age expects the other position", ("Cara Ukur",)),
    Field("usia_ukur", "measure", (r"^(usia|umur)( saat| waktu| pada)? (ukur|pengukuran|diukur)$",),
          "age as text (\"2 Tahun - 3 Bulan - 5 Hari\"): never used for the age (the dates are), only compared with it",
          ("Usia Saat Ukur",)),
    # BKKBN Verval KRS / Pendataan Keluarga: the factors of the families at risk (before keluarga_berisiko and the
    # jamban fields, whose words they share)
    Field("krs_air_tidak_layak", "count", (r"\bair minum\b.*\b(tidak|belum|tdk)\b", r"\b(tidak|tdk|tanpa)\b.*\bair minum\b",
                                           r"unsafe (drinking )?water"),
          "families without a proper (layak) drinking-water source (BKKBN family-risk factor)",
          ("Sumber Air Minum Tidak Layak",)),
    Field("krs_jamban_tidak_layak", "count", (r"\bjamban\b.*\b(tidak|tdk) layak\b", r"\b(tidak|tdk) (punya |memiliki )?jamban layak\b",
                                              r"unimproved (latrine|sanitation)"),
          "families without a proper (layak) jamban (BKKBN family-risk factor; not the same as households with no jamban)",
          ("Jamban Tidak Layak",)),
    Field("krs_terlalu_muda", "count", (r"\bterlalu muda\b", r"too young"), "families whose wife is under 20 (4T: terlalu muda)",
          ("Terlalu Muda",)),
    Field("krs_terlalu_tua", "count", (r"\bterlalu tua\b", r"too old"), "families whose wife is 35-40 (4T: terlalu tua)",
          ("Terlalu Tua",)),
    Field("krs_terlalu_dekat", "count", (r"\bterlalu dekat\b", r"too close"), "births under 2 years apart (4T: terlalu dekat)",
          ("Terlalu Dekat",)),
    Field("krs_terlalu_banyak", "count", (r"\bterlalu banyak\b", r"too many"), "3 or more children (4T: terlalu banyak)",
          ("Terlalu Banyak",)),
    Field("krs_bukan_kb_modern", "count", (r"\b(bukan|tidak|belum|non)\b.*\bkb modern\b", r"\bkb modern\b.*\b(bukan|tidak|belum)\b",
                                           r"\bno modern contracepti"),
          "PUS not using modern contraception (bukan peserta KB modern)", ("Bukan Peserta KB Modern",)),
    Field("pus_hamil", "count", (r"^(jumlah |jml )?(keluarga )?pus hamil$", r"^pregnant (pus|couples?)$"),
          "PUS hamil: pregnant women of the couples of reproductive age", ("PUS Hamil",)),
    Field("pus", "count", (r"^(jumlah |jml )?(keluarga )?pus$", r"pasangan usia subur", r"^couples of reproductive age$"),
          "PUS (pasangan usia subur): couples of reproductive age; the denominator of bukan peserta KB modern and PUS hamil",
          ("PUS", "Jumlah PUS")),
    Field("baduta", "count", (r"^(jumlah |jml )?(keluarga )?(punya |memiliki |dengan )?baduta$", r"^children under (2|two)$"),
          "families with a child under two (baduta)", ("Baduta",)),
    Field("balita_keluarga", "count", (r"^(jumlah |jml )?keluarga (punya |memiliki |dengan )?balita$",),
          "families with a toddler (balita) in the family data (BKKBN); not the toddlers measured", ("Keluarga dengan Balita",)),
    # STBM: the five pillars (households practising each) and the sanitation ladder (households on each rung)
    Field("stbm_stop_babs", "count", (r"^(pilar 1 )?(kk )?stop babs$", r"^pilar 1\b",), "households that stopped open defecation (STBM pillar 1)",
          ("Pilar 1 Stop BABS", "KK Stop BABS")),
    Field("stbm_ctps", "count", (r"\bcuci tangan\b", r"\bctps\b", r"^pilar 2\b", r"hand ?washing"),
          "households washing hands with soap (STBM pillar 2: CTPS)", ("Pilar 2 CTPS",)),
    Field("stbm_pammrt", "count", (r"\bpengelolaan air minum\b", r"\bpamm ?rt\b", r"^pilar 3\b"),
          "households managing drinking water and food safely (STBM pillar 3: PAMM-RT)", ("Pilar 3 PAMM-RT",)),
    Field("stbm_sampah", "count", (r"^(pilar 4 )?(kk )?((pengamanan|pengelolaan) )?sampah( rt| rumah tangga)?$", r"^pilar 4\b", r"\bps ?rt\b", r"^(household )?solid waste( management)?$"),
          "households managing household waste (STBM pillar 4: pengamanan sampah rumah tangga)", ("Pilar 4 Pengamanan Sampah",)),
    Field("stbm_limbah", "count", (r"^(pilar 5 )?(kk )?((pengamanan|pengelolaan) )?limbah( cair)?( rt| rumah tangga)?$", r"^pilar 5\b", r"\bpl ?c ?rt\b", r"^(household )?waste ?water( management)?$"),
          "households managing liquid waste (STBM pillar 5: pengamanan limbah cair rumah tangga)", ("Pilar 5 Pengamanan Limbah Cair",)),
    Field("tangga_sanitasi", "category", (r"^(akses|tangga|tingkat|jenis) sanitasi$", r"^tangga (jamban|sanitasi)$",
                                          r"^sanitation (ladder|service level)$"),
          "a household's rung of the sanitation ladder (STBM by household: BABS Terbuka, BABS Tertutup, Sharing, Layak "
          "Sendiri, Aman); counted per kelurahan", ("Akses Sanitasi",)),
    Field("tangga_babs_terbuka", "count", (r"\bbabs (di )?(tempat )?terbuka\b", r"^(households )?(practising )?open defecation$"),
          "households defecating in the open (sanitation ladder: BABS terbuka)", ("BABS Terbuka",)),
    Field("tangga_babs_tertutup", "count", (r"\bbabs (di )?(tempat )?tertutup\b", r"^unimproved( sanitation| facility)?$"),
          "households with an unimproved closed facility (sanitation ladder: BABS tertutup)", ("BABS Tertutup",)),
    Field("tangga_bersama", "count", (r"\bsharing\b", r"\blayak bersama\b", r"^(jamban|akses|sanitasi) bersama$", r"^shared( sanitation| facility)?$"),
          "households sharing a proper jamban (sanitation ladder: sharing / layak bersama)", ("Sharing / Layak Bersama",)),
    Field("tangga_layak_sendiri", "count", (r"\blayak sendiri\b", r"^basic( sanitation)?$"),
          "households with their own proper jamban (sanitation ladder: layak sendiri)", ("Layak Sendiri",)),
    Field("tangga_aman", "count", (r"^(akses |sanitasi |jamban )?aman$", r"^safely managed$"),
          "households with safely managed sanitation (sanitation ladder: aman), counted", ("Aman",)),
    # aggregated indicators
    Field("keluarga_berisiko", "count", (r"^(?!.*\b(tidak|non|bukan)( beresiko| berisiko| risiko)).*(berisiko|risiko stunting)",
                                         r"^(jumlah )?krs$", r"(?<!not )at risk"),
          "families at risk of stunting (BKKBN)", ("Jumlah Keluarga Berisiko Stunting", "KRS")),
    Field("keluarga_sasaran", "count", (r"^(jumlah |jml |total )?(keluarga|kk) sasaran$", r"^target families$"),
          "keluarga sasaran (BKKBN: families with a PUS, pregnant woman, baduta or balita); not the denominator of any rate",
          ("Jumlah Keluarga Sasaran", "KK Sasaran")),
    Field("keluarga", "count", (r"^(jumlah |jml |total )?keluarga$", r"^families$"),
          "all families (Jumlah Keluarga): the denominator of persen_keluarga_berisiko", ("Jumlah Keluarga",)),
    Field("kk", "count", (r"^(jumlah |jml |total )?(kk|kepala keluarga|rumah tangga)$", r"^households$"),
          "households (KK): the denominator of the sanitation rates", ("Jumlah KK", "Jumlah Rumah Tangga")),
    Field("tanpa_jamban", "count", (r"jamban.*\b(tanpa|belum|tidak)\b", r"\b(tanpa|belum|tidak)\b.*jamban", r"without (a )?jamban"),
          "households without a jamban", ("KK Tanpa Jamban",)),
    # sanitation percentages are read by their words: aman (safely managed), sehat/layak (proper), any jamban; a plain
    # "akses jamban (%)" says none of these and is refused (``unqualified_jamban``), never guessed
    Field("jamban_aman_persen", "percent", (r"jamban.*\baman\b", r"\baman\b.*jamban", r"safely managed"),
          "percent of households with safely managed (aman) sanitation: stricter than sehat/layak; kept, not used in rates",
          ("% KK Akses Jamban Aman", "Akses Sanitasi Aman (%)")),
    Field("jamban_layak_persen", "percent", (r"jamban.*\b(sehat|layak)\b", r"\b(sehat|layak)\b.*jamban", r"improved sanitation"),
          "percent of households with a proper (sehat/layak) jamban: kesenjangan_sanitasi = 100 - this",
          ("% KK Akses Jamban Sehat", "Akses Jamban Layak (%)")),
    Field("jamban_persen", "percent", (r"jamban.*\b(semua|seluruh|segala|apa ?pun|any)\b", r"\b(semua|seluruh|segala|any)\b.*jamban"),
          "percent of households with any jamban (not necessarily sehat/layak); kept, not used in rates",
          ("% KK Akses Jamban (semua jenis)", "Any Jamban Access (%)")),
    Field("status_odf", "category", (r"\bodf\b", r"\bstbm\b", r"stop babs", r"status sanitasi"), "ODF status", ("Status ODF",)),
    Field("prevalensi", "percent", (r"prevalen(?!.*\b(wasting|underweight|gizi|kurus|obesitas|overweight|anemia|kek)\b)", r"persen(tase)?( \w+)? stunting", r"stunting persen"), "stunting prevalence given in the file (%)",
          ("Prevalensi (%)", "% Stunting")),
    Field("sangat_pendek", "count", (r"sangat pendek", r"severely stunted"), "toddlers severely stunted (TB/U < -3 SD)",
          ("Balita Sangat Pendek",)),
    Field("pendek", "count", (r"\bpendek\b", r"moderately stunted"), "toddlers stunted, not severely (-3 <= TB/U < -2 SD)", ("Balita Pendek",)),
    Field("sasaran_balita", "count", (r"^(?!.*(diukur|ditimbang)).*\bsasaran (balita|anak)", r"^(?!.*(diukur|ditimbang)).*\b(balita|anak) sasaran",
                                        r"target (toddlers|children)"),
          "sasaran balita (toddlers expected to be weighed): the denominator of coverage", ("Jumlah Sasaran Balita",)),
    Field("balita_diukur", "count", (r"diukur", r"measured"), "toddlers measured", ("Jumlah Balita Diukur",)),
    Field("stunting", "count", (r"^(jumlah |jml )?(balita )?stunting$", r"^stunted$", r"^kasus stunting$"),
          "toddlers stunted in total (pendek + sangat pendek)", ("Jumlah Stunting", "Balita Stunting")),
]
FIELD = {f.name: f for f in FIELDS}
COUNTS = [f.name for f in FIELDS if f.kind == "count"]
PERCENTS = [f.name for f in FIELDS if f.kind == "percent"]
INDICATORS = COUNTS + PERCENTS + ["status_odf"]
_COMPILED = [(f, [re.compile(p) for p in f.patterns]) for f in FIELDS]


# abbreviations offices write in headers, read as the words ("Air Mnm Tdk Lyk": air minum tidak layak); whole words only
ABBREVIATIONS = {"tdk": "tidak", "tak": "tidak", "lyk": "layak", "mnm": "minum", "jmbn": "jamban", "jmlh": "jumlah",
                 "blm": "belum", "bkn": "bukan", "sgt": "sangat", "pdk": "pendek", "pst": "peserta", "sbr": "sumber",
                 "smbr": "sumber", "klg": "keluarga", "klrg": "keluarga", "brsk": "berisiko"}


def header_key(text) -> str:
    """'Jumlah Balita  Sangat Pendek (%)' -> 'jumlah balita sangat pendek persen'; 'Air Mnm Tdk Lyk' -> 'air minum tidak
    layak' (``ABBREVIATIONS``)."""
    t = str(text if text is not None else "").lower().replace("%", " persen ")
    t = re.sub(r"[^0-9a-z]+", " ", t)
    return " ".join(ABBREVIATIONS.get(w, w) for w in t.split())


# headers that name the stunting total by its parts ("Balita Stunting (Pendek + Sangat Pendek)") must not be
# taken for one of the parts
_TOTAL_OF_PARTS = re.compile(r"stunting.*pendek|pendek (dan |and )?sangat pendek|sangat pendek (dan |and )?pendek")


def recognise(header) -> str | None:
    key = header_key(header)
    if not key:
        return None
    if _TOTAL_OF_PARTS.search(key) and "persen" not in key and "prevalen" not in key:
        return "stunting"
    for f, pats in _COMPILED:
        if any(p.search(key) for p in pats):
            return f.name
    return None


_JAMBAN_SHARE = re.compile(r"\bjamban\b.*\b(akses|persen\w*|cakupan|access)\b|\b(akses|persen\w*|cakupan|access)\b.*\bjamban\b")


def unqualified_jamban(header) -> bool:
    """True for a jamban access header that says neither aman, sehat/layak nor any ("Akses Jamban (%)"): the
    sanitation gap needs the proper (layak) share, and an office's plain "akses jamban" may be either, so it is
    not guessed (the reader refuses it until --map or the config's [columns] names the field)."""
    return recognise(header) is None and bool(_JAMBAN_SHARE.search(header_key(header)))


# ODF / STBM status: a closed vocabulary. Each class lists the spellings seen in STBM reports (compared after
# ``header_key``); any other word ("bukan ODF", "Proses ODF", "ODF?") is not guessed: it stops the join with the
# values seen and the accepted ones, and can be mapped with --map "bukan ODF=Belum ODF".
ODF_CLASSES = ["Baseline", "Belum ODF", "ODF deklarasi", "ODF terverifikasi", "STBM"]
ODF_SPELLINGS = {
    "Baseline": ("baseline", "base line"),
    "Belum ODF": ("belum odf", "blm odf", "belum", "tidak odf", "non odf", "babs", "masih babs", "open defecation",
                  "belum stop babs"),
    "ODF deklarasi": ("odf", "odf deklarasi", "deklarasi odf", "deklarasi", "sudah odf", "odf declared", "declared",
                      "stop babs", "sudah stop babs", "sudah", "odf sudah deklarasi", "sudah deklarasi"),
    "ODF terverifikasi": ("odf terverifikasi", "terverifikasi", "sudah terverifikasi", "odf verified", "verified",
                          "odf sudah terverifikasi"),
    "STBM": ("stbm", "stbm 5 pilar", "5 pilar", "lima pilar", "stbm lima pilar", "desa stbm", "kelurahan stbm"),
}
_ODF_WORDS = {word: cls for cls, words in ODF_SPELLINGS.items() for word in words}
ODF_MAP_PREFIX = "odf="  # mapping keys that name an ODF word, not a header (header keys never hold "=")


def odf_key(text) -> str:
    """'ODF - Deklarasi' -> 'odf deklarasi'; a question mark or other sign stays ('odf?' is not 'odf')."""
    t = str(text if text is not None else "").casefold()
    t = re.sub(r"[\s_\-/.,:;()]+", " ", t)
    return " ".join(t.split())


def odf_class(text, extra: dict[str, str] | None = None) -> str | None:
    """'sudah ODF' -> 'ODF deklarasi'; None for a word outside the vocabulary (``extra``: odf_key -> class)."""
    key = odf_key(text)
    if extra and key in extra:
        return extra[key]
    return _ODF_WORDS.get(key)


def odf_accepted() -> str:
    """The accepted spellings, for messages."""
    return "; ".join(f"{cls}: {', '.join(words[:4])}" for cls, words in ODF_SPELLINGS.items())


REFUSALS = [
    "## What the reader refuses, and what it warns about", "",
    "Nothing is guessed. An error names the file, row and column and stops the run with nothing written; a",
    "warning is printed and kept in the join report, and `--strict` turns every warning into an error.", "",
    "- Two columns read as one indicator (\"Balita Stunting\" and \"Jumlah Stunting\", one perhaps hidden): an",
    "  error naming both; `--map \"Jumlah Stunting=stunting\"` (or the config's `columns`) chooses one, the other is",
    "  ignored. Any column can be ignored with `--map \"Header=no\"`.",
    "- A header not recognised that looks like a field (`Stunting (jiwa)`): a warning naming the field it resembles.",
    "- Sheets and titles against `--period`: with no `--sheet`, a workbook whose sheet names carry dates",
    "  (\"Agustus 2022\", \"Agustus 2023\") is read at the one sheet that fits the period (several or none: an error",
    "  naming the sheets); a `--sheet` or a title row above the header (\"REKAP AGUSTUS 2023\") naming another year,",
    "  or another month of the year, than `--period`: an error naming the row. A first sheet without a table: the",
    "  error names the sheets that hold cells and `--sheet`.",
    "- A percent column whose values are all at most 1 (0,158 for 15,8 %): converted (x 100, with a warning) when",
    "  the counts of the same rows give the same rate x 100, else an error. A prevalence from one file that",
    "  contradicts the counts of another (more than 0.5 points): a warning naming the kelurahan.",
    "- A stunting total that is not pendek + sangat pendek: an error naming the rows (`--map \"Jumlah Stunting=no\"`",
    "  reads the parts only).",
    "- A blank kecamatan cell is filled from the rows above (a merged cell exported to CSV) only within a group (a",
    "  `Jumlah ...` row ends it) and only for a name that decides nothing by itself: a filled row whose name is",
    "  that of several kelurahan (Sukawana), or is not in that kecamatan but is elsewhere, is an error naming the",
    "  row (write its kecamatan).",
    "- A row named like its kecamatan (\"CURUG\": Kec. Curug and kelurahan Curug) whose counts are the sums of the",
    "  other kelurahan of that kecamatan is read as the kecamatan's subtotal (checked like the other totals), with",
    "  a warning, when kelurahan Curug has its own row; without one the row is an error (subtotal or kelurahan?):",
    "  write \"Jumlah Kec. Curug\" for a subtotal, or the kelurahan's code on the row. With a blank kecamatan cell",
    "  and other figures it is read as the kelurahan, with a warning.",
    "- Two rows for one kelurahan: an error (with identical figures: \"pasted twice?\"); `--sum-duplicates` (`join`) or",
    "  `sum_duplicates = true` (an atlas config's `[[data]]`) adds up the rows that differ; a row equal to an",
    "  earlier one in every cell is a pasted copy, counted once with a warning naming both rows (`--strict` refuses it). The header row repeated in the table is skipped (a note).",
    "- Codes: `3673011002`, `36.73.01.1002`, `'3673011002` and `3673011002.0` are read; `3,67301E+09` (scientific",
    "  notation: digits lost) is an error. A table none of whose rows matches a kelurahan is an error.",
    "- TOML files (a join `--config`, the atlas config, a ranking profile) may start with a UTF-8 byte-order mark.",
]


def columns_doc() -> str:
    """docs/columns.md, written from FIELDS (``python3 -m serang_gis.core.fields > docs/columns.md``)."""
    lines = ["# Recognised columns", "",
             "`serang-gis join` recognises a table's columns from the headers offices write. Headers are compared",
             "in lower case with punctuation as spaces and `%` read as `persen`; fields are tried in this order",
             "(so *sangat pendek* is taken before *pendek*), after one rule: a header naming the stunting total by its",
             "parts (`Balita Stunting (Pendek + Sangat Pendek)`, `Pendek dan Sangat Pendek`) is `stunting`.",
             'Anything else can be named with `--map "Header in the file=field"`.', "",
             "Abbreviations offices write are read as their words before the patterns are tried (whole words only): "
             + ", ".join(f"`{k}` {v}" for k, v in ABBREVIATIONS.items()) + ' ("Air Mnm Tdk Lyk" is air minum tidak layak).', "",
             "Sanitation percentages are read by their words: *aman* (safely managed) is `jamban_aman_persen`, *sehat* or",
             "*layak* is `jamban_layak_persen` (the base of the sanitation gap), *semua jenis* / *any* is `jamban_persen`. A",
             "plain `Akses Jamban (%)` says none of these and stops the join (file, row and column named) until",
             '`--map "Akses Jamban (%)=jamban_layak_persen"` (or a `[columns]` entry in the config) says which it is.', "",
             "| field | kind | meaning | header patterns (regular expressions) | examples |", "|---|---|---|---|---|"]
    for f in FIELDS:
        pats = "<br>".join(f"`{p}`" for p in f.patterns).replace("|", "\\|")
        ex = ", ".join(f"`{e}`" for e in f.examples)
        lines.append(f"| `{f.name}` | {f.kind} | {f.label} | {pats} | {ex} |")
    lines += ["", "Kinds: *key* identifies the kelurahan; *count* is a whole number >= 0; *percent* is 0-100 (decimal comma or point;",
              "an XLSX cell formatted as percent is read as shown); *category* is a class (ODF status: Baseline, Belum ODF, ODF",
              "deklarasi, ODF terverifikasi, STBM, with common spellings such as `blm ODF`, `sudah ODF`, `Terverifikasi`; any other",
              "word stops the join with the values seen, and can be mapped with `--map \"bukan ODF=Belum ODF\"`); *byname*,",
              "*date* and *zscore* columns belong to the by-name e-PPGBM export: they are read to count children and are never",
              "written anywhere.", "",
              "Missing values: empty cells and `-`, `n/a`, `tidak ada data` are *no data*, never zero.", "",
              "A by-name e-PPGBM export is recognised by a TB/U or ZS TB/U column together with NIK, Nama, Tgl Lahir or",
              "Tanggal Pengukuran. Each child (NIK + date of birth + name, so siblings sharing a family NIK stay apart; else",
              "name + date of birth + parent + kelurahan) is counted once, with its latest measurement in `--period` that has",
              "a class, if it was 0-59 months old then; pendek and sangat pendek come from TB/U (Indonesian or English class",
              "names), else from ZS TB/U (< -3 sangat pendek, -3 to < -2 pendek), else from the z-score recomputed from Tinggi,",
              "JK and the dates (counted in the quality panel); a child with none of these is not counted as measured (the",
              "note says how many). With Tinggi and JK the height-for-age z-score is recomputed (WHO 2006 LMS);",
              "a measurement with a z-score outside -6..+6, a height outside 38-130 cm or a recorded z-score more than 0.5",
              "from the recomputed one is excluded and counted in the quality panel. A height of 0, a negative one, 999,9 or",
              "any other outside 38-130 cm, and a Tinggi cell that is not a number (`85 cm` and `85,5` are read) exclude the row;",
              "the note lists those rows by number (never a value). Two measurements of one child on the same day: the later row",
              "wins. The export as downloaded (NIK ... KIA, newer ones with Kelas Ibu Balita and MBG) is read as it comes:",
              "with Cara Ukur the height is corrected by 0.7 cm where the child was measured the other way than the WHO table",
              "of its age expects (Berdiri before 731 days: +0.7; Terlentang from 731 days: -0.7), and any other word than",
              "Terlentang/Berdiri (or blank) is an error naming the row; the age is always the dates' (Usia Saat Ukur,",
              "`2 Tahun - 3 Bulan - 5 Hari`, is only compared with them: rows more than one month off are counted in the",
              "quality panel by row number, not excluded).",
              "",
              "Dates written dd/mm/yyyy (also with `-` or `.`) are read in one order for the whole file, found from all its date",
              "values: a first part above 12 means day first (17/08/2024), a second part above 12 month first (08/17/2024). A",
              "column, or a file, holding both orders is an error; so are dates that could be read either way throughout",
              "(01/08/2024 and no day above 12): say the order with `--date-format dmy` or `mdy` (`date_format` in an atlas",
              "config's `[[data]]`). ISO dates (2024-08-17) are always read as such.", ""] + REFUSALS
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(columns_doc(), end="")
