"""The rembuk stunting pack: the meeting's documents beside the atlas, and the ``index.html`` that links them.

``write_pack(atlas_plan, atlas_result, out)`` writes, from the plan the atlas was drawn from (the same
numbers, classes and periods): ``rencana_dan_kesenjangan.xlsx`` (``workbook``), ``berita_acara_komitmen.docx``
(``berita_acara``), the two PDFs (``documents.write_pdfs``) and
``index.html``. The caller writes into a staging folder (``output.staging``): all of it or nothing.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from serang_gis.core.text import t
from serang_gis.output.writers import write_text
from serang_gis.render.rembuk import facts, meeting
from serang_gis.render.rembuk.documents import write_pdfs
from serang_gis.render.rembuk.berita_acara import FILE as DOCX, write_berita_acara
from serang_gis.render.rembuk.workbook import FILE as XLSX, write_workbook

PDFS = ("laporan_analisis_situasi.pdf", "bahan_paparan.pdf")
QGIS_PROJECT = "serang_gis.qgz"
# written by every pack (checked for files in the way before any work), the atlas's in its folder ``atlas/``
ALWAYS = ("index.html", XLSX, DOCX, *PDFS, "atlas/index.html", f"atlas/{QGIS_PROJECT}")


def write_pack(ap, result, out_dir, *, atlas_folder: str = "atlas") -> list[Path]:
    """The pack's own files (the atlas is already in ``out_dir/atlas_folder``); returns them, index.html first."""
    out = Path(out_dir)
    lang = ap.settings.lang
    files = [write_workbook(ap, out / XLSX, lang), write_berita_acara(ap, out / DOCX, lang)]
    files += write_pdfs(ap, result, out, lang)  # laporan_analisis_situasi.pdf, bahan_paparan.pdf (Typst)
    files.insert(0, write_text(out / "index.html", index_html(ap, out, atlas_folder, files, lang, _maps(result))))
    return files


def _maps(result) -> str:
    """The atlas's HTML maps by their titles (what this atlas has, not what an atlas may have)."""
    titles = [str(v) for k, v in getattr(result, "titles", {}).items() if str(k).endswith(".html") and v]
    return "; ".join(dict.fromkeys(titles))


def index_html(ap, out: Path, atlas_folder: str, files: list[Path], lang: str, maps: str = "") -> str:
    from jinja2 import Environment

    written = {Path(f).name for f in files}
    items = [(f"{atlas_folder}/index.html", "rembuk.p_atlas"), (f"{atlas_folder}/{QGIS_PROJECT}", "rembuk.p_qgis"),
             (XLSX, "rembuk.p_xlsx"), (DOCX, "rembuk.p_docx"), (PDFS[0], "rembuk.p_laporan"), (PDFS[1], "rembuk.p_paparan")]
    what = {"rembuk.p_atlas": t(lang, "rembuk.p_atlas", maps=maps or t(lang, "rembuk.p_atlas_maps"))}
    products = [{"href": href, "name": Path(href).name if "/" not in href else href, "what": what.get(key) or t(lang, key)}
                for href, key in items if (out / href).exists() or Path(href).name in written]
    template = Environment(autoescape=True).from_string(
        resources.files("serang_gis").joinpath("templates", "rembuk_index.html.j2").read_text(encoding="utf-8"))
    labels = {k: t(lang, f"rembuk.i_{k}") for k in ("products", "product", "what", "missing", "sources", "note", "hints")}
    hints = [h for h in (meeting.change_hint(ap, lang), meeting.config_hint(ap, lang)) if h]  # the config: not on a slide
    return template.render(lang=lang, title=t(lang, "rembuk.i_title", kab=meeting.kabkota(ap)),
                           subtitle=t(lang, "rembuk.period", period=meeting.period_text(ap, lang)), L=labels,
                           products=products, missing=meeting.missing(ap, lang), sources=meeting.sources(ap, lang),
                           nothing_missing=t(lang, "rpdf.nothing_missing"), headline=meeting.headline(ap, lang), hints=hints)
