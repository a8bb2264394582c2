"""recheck12's LOW items on the atlas's words and the QGIS project:

- L10: the English atlas said "Gambar 1" (the paper's figure) and "anggaran 2022 (Table 2)"; now "Figure 1", "budget".
- L11: the Indonesian atlas's kecamatan.csv gave its sources as the embedded tables store them, in English ("paper Table 1
  (...)", "(reported 27 Jun 2023)"); now in the atlas's words, as index.html says them.
- L12: the QGIS group of the ODF status was named "Indikator 2022-01-31 – 2025-09-20" (the span of its declarations);
  now "Status ODF".
- L4: the QGIS legend of the reported-case circles had a second heading under the layer's name saying the same; now
  what the circles show, as the HTML legend's note says it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap

import pandas as pd
import pytest

from tests.conftest import QGIS_PYTHON, run_cli


@pytest.fixture(scope="module", params=["id", "en"])
def atlas(request, tmp_path_factory, serang_path):
    out = tmp_path_factory.mktemp(f"atlas_{request.param}") / "atlas"
    res = run_cli("build", "-o", out, "--boundaries", serang_path, "--as-of", "2025-12-31", "--lang", request.param)
    assert res.exit_code == 0, res.output
    return request.param, out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_the_english_atlas_names_the_paper_s_figure_and_tables_in_english(atlas):
    lang, out = atlas
    said = " ".join(subprocess.run(["pdftotext", str(out / "peta_kelurahan.pdf"), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())  # the printed map's text: its source line
    index = (out / "index.html").read_text(encoding="utf-8")
    with open(out / "serang_gis.gpkg", "rb") as f:
        gpkg = f.read().decode("utf-8", "replace")
    if lang == "en":
        for text, where in ((said, "pdf"), (index, "index"), (gpkg, "gpkg")):
            assert "Gambar 1" not in text and "anggaran 202" not in text, where
        assert "2021: Figure 1" in said and "Figure 1" in gpkg and "budget 2022 (Table 2)" in index and "budget 2023 (Table 3)" in index
    else:  # the Indonesian atlas as it was
        assert "2021: Gambar 1" in said and "Gambar 1" in gpkg and "anggaran 2022 (Tabel 2)" in index


def test_the_tables_give_their_sources_in_the_atlas_s_words(atlas):
    lang, out = atlas
    kec = pd.read_csv(out / "kecamatan.csv", encoding="utf-8-sig", dtype=str)
    kel = pd.read_csv(out / "kelurahan.csv", encoding="utf-8-sig", dtype=str)
    said = {str(v) for frame in (kec, kel) for c in frame.columns if c.startswith("sumber_") for v in frame[c].dropna()}
    assert said
    paper = {"id": "makalah Sinergitas (2023), Tabel 1 (", "en": "Sinergitas paper (2023), Table 1 ("}[lang]
    reported = {"id": r"\(diberitakan \d+ \w+ \d{4}\)", "en": r"\(reported \d+ \w+ \d{4}\)"}[lang]
    assert any(s.startswith(paper) for s in said) and any(re.search(reported, s) for s in said), sorted(said)
    assert not any(s.startswith("paper Table") for s in said)  # never the stored form
    if lang == "id":
        assert not any("(reported " in s for s in said), sorted(said)


QGIS_READ = textwrap.dedent("""
    import json, os, sys
    from qgis.core import QgsApplication, QgsProject
    app = QgsApplication([], False); app.initQgis()
    p = QgsProject.instance(); p.read(sys.argv[1])
    root = p.layerTreeRoot()
    out = {"groups": {g.name(): [l.name() for l in g.findLayers()] for g in root.findGroups()}, "size_legends": {}}
    for lyr in p.mapLayers().values():  # the circles' size legend: its own heading under the layer's name, if any
        r = getattr(lyr, "renderer", lambda: None)()
        dd = r.dataDefinedSizeLegend() if r is not None and hasattr(r, "dataDefinedSizeLegend") else None
        if dd is not None:
            out["size_legends"][lyr.name()] = [dd.title(), [c.label for c in dd.classes()]]
    print(json.dumps(out)); sys.stdout.flush()
    os._exit(0)
""")


@pytest.mark.qgis
def test_qgis_groups_and_legends_say_what_they_hold(atlas, tmp_path):
    if not os.path.isfile(QGIS_PYTHON):
        pytest.skip("QGIS is not installed")
    lang, out = atlas
    (tmp_path / "read.py").write_text(QGIS_READ)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run([QGIS_PYTHON, str(tmp_path / "read.py"), str(out / "serang_gis.qgz")], capture_output=True, text=True,
                          env=env, timeout=600)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    status = {"id": "Status ODF", "en": "ODF status"}[lang]
    odf = [g for g, layers in got["groups"].items() if any(n.startswith(status) for n in layers)]
    assert odf == [status], got["groups"]  # named by what it holds, not by the span of its declarations' days
    assert not any(re.search(r"\d{4}-\d\d-\d\d", g) for g in got["groups"]), list(got["groups"])
    sized = got["size_legends"]
    assert any(n.startswith(("Balita stunting dilaporkan", "Reported stunted toddlers")) for n in sized), list(sized)
    said = {"id": "Luas lingkaran sebanding jumlah", "en": "Circle area proportional to count"}[lang]
    for name, (title, labels) in sized.items():  # its reference sizes headed by what they show, not the name again
        assert title == said and labels, (name, title, labels)
