"""The office-staff walk of issue 23 (Perkim + DP3AKB): what a build says of an unread column and a missing kelurahan, and
what an office page says of its factors without data, its unreached lokus and the hot spots no activity reaches.

One hand-made Verval KRS table (synthetic figures: every kelurahan 200 keluarga sasaran; families without a proper water
source 150 (75 %) in a chosen set of kelurahan, else 20 (10 %)); its family-risk total headed ``JML KRS`` (not read:
the reader warns); one kelurahan left out. A two-row activity matrix: Perkim reaches two kelurahan (one lokus), DP3AKB
reaches one. Manual classes at 50 %: the top class is exactly the 75 % set."""

from __future__ import annotations

import csv
import html as htmllib
import re
import warnings

import pytest

from serang_gis.read import reference

from .conftest import run_cli

LEFT_OUT = "36.73.01.1004"  # no row in the KRS file


def _gaz():
    return reference.gazetteer().sort_values("kode_kel").reset_index(drop=True)


def _lokus() -> list[str]:
    lok = reference.lokus()
    return sorted(lok.loc[lok["daftar"] == "2022", "kode_kel"])


def _plan():
    """(high-rate kelurahan, Perkim's two reached kelurahan): high = every 5th kelurahan plus two lokus."""
    g = _gaz()
    lok = _lokus()
    high = set(g["kode_kel"][::5]) | set(lok[:2])
    non_lokus_high = sorted(c for c in high if c not in lok and c != LEFT_OUT)
    reached = [lok[0], non_lokus_high[0]]  # Perkim: one lokus (high) and one high non-lokus
    return high - {LEFT_OUT}, reached


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("walk23")
    g = _gaz().set_index("kode_kel")
    high, reached = _plan()
    with open(tmp / "krs.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Kecamatan", "Kelurahan", "Jumlah Keluarga Sasaran", "JML KRS", "Sumber Air Minum Tidak Layak"])
        for code, r in g.iterrows():
            if code != LEFT_OUT:
                w.writerow([r["kecamatan"], r["kelurahan"], 200, 60, 150 if code in high else 20])
    with open(tmp / "aksi2.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["No", "OPD", "Sub Kegiatan", "Jenis Intervensi", "Lokasi", "Pagu", "Sumber Dana", "Tahun"])
        w.writerow([1, "Dinas Perkim", "Sambungan air minum", "Sensitif",
                    ", ".join(f"Kel. {g.at[c, 'kelurahan']} (Kec. {g.at[c, 'kecamatan']})" for c in reached), "100000000", "APBD", 2023])
        w.writerow([2, "DP3AKB", "Pendampingan keluarga", "Sensitif", f"Kel. {g.at[reached[1], 'kelurahan']} (Kec. "
                    f"{g.at[reached[1], 'kecamatan']})", "50000000", "APBD", 2023])
    (tmp / "atlas.toml").write_text('[[data]]\npath = "krs.csv"\nperiod = "2024"\n[maps]\nstatic = false\nscheme = "manual"\n'
                                    'bins = [50]\n[[kegiatan]]\npath = "aksi2.csv"\nyear = 2023\n', encoding="utf-8")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        res = run_cli("build", "--config", tmp / "atlas.toml", "-o", tmp / "out")
    assert res.exit_code == 0, res.output
    return tmp / "out", res.output, [w for w in seen if w.category.__name__ == "PerformanceWarning"]


def _panel(page: str, heading_start: str) -> list[str]:
    m = re.search(r"<summary>" + re.escape(heading_start) + r"[^<]*</summary>\s*<ul>(.*?)</ul>", page, re.S)
    assert m, heading_start
    return [htmllib.unescape(x) for x in re.findall(r"<li>(.*?)</li>", m.group(1), re.S)]


def _place(code: str) -> str:
    g = _gaz().set_index("kode_kel")
    return f"{g.at[code, 'kelurahan']} (Kec. {g.at[code, 'kecamatan']})"


def test_the_terminal_says_the_unread_column_and_the_missing_kelurahan_in_the_runs_language(built):
    out, said, _ = built
    assert "krs.csv: peringatan: kolom 'JML KRS' tidak terbaca, padahal mirip keluarga_berisiko" in said
    assert f"krs.csv: 1 kelurahan tanpa baris di berkas ini: {_place(LEFT_OUT)}" in said
    index = htmllib.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert f"1 kelurahan tanpa baris di berkas ini: {_place(LEFT_OUT)}" in index
    assert "is not read" not in index  # the warning in Indonesian on the index too


def test_an_office_page_says_which_factor_has_no_data_and_why(built):
    out, _, _ = built
    page = (out / "opd_dp3akb.html").read_text(encoding="utf-8")
    lines = _panel(page, "Faktor yang ditangani")
    assert "keluarga berisiko (utama): tidak ada data: Keluarga berisiko stunting (kolom 'JML KRS' di krs.csv tidak terbaca)" in lines
    assert "terlalu muda (utama): tidak ada data: Terlalu muda (istri < 20 tahun)" in lines  # a factor the file lacks
    perkim = _panel((out / "opd_perkim.html").read_text(encoding="utf-8"), "Faktor yang ditangani")
    assert perkim[0] == "air minum (utama): Keluarga tanpa sumber air minum layak 2024"
    index = htmllib.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert ("Dinas Sosial<br><small>tanpa halaman: bantuan sosial (utama): tidak ada data: Keluarga berisiko stunting "
            "(kolom 'JML KRS' di krs.csv tidak terbaca)") in index  # why the office has no page; no internal name


def test_an_office_without_activities_counts_every_lokus_unreached(built):
    out, _, _ = built
    section = htmllib.unescape((out / "index.html").read_text(encoding="utf-8"))
    section = section[section.index("id='per-opd'"):]
    n = len(_lokus())
    assert re.search(r"Dinas PUPR</a><br><small>1 lapisan faktor · 0 kegiatan · " + str(n) + " lokus tidak dijangkau", section), section[:2000]
    assert f"1 kegiatan · {n - 1} lokus tidak dijangkau" in section  # Perkim reaches one lokus


def test_unreached_lokus_carry_the_main_factors_rate_worst_first_and_hot_spots_are_listed(built):
    out, _, _ = built
    high, reached = _plan()
    page = (out / "opd_perkim.html").read_text(encoding="utf-8")
    listed = _panel(page, "Lokus yang tidak dijangkau OPD ini")
    lok = [c for c in _lokus() if c not in reached]
    rate = {c: ("75,0 %" if c in high else "tidak ada data" if c == LEFT_OUT else "10,0 %") for c in lok}
    order = sorted(lok, key=lambda c: ({"75,0 %": 0, "10,0 %": 1, "tidak ada data": 2}[rate[c]], _place(c).split(" (Kec. ")[1],
                                       _place(c).split(" (Kec. ")[0]))
    assert listed == [f"{_place(c)} — Keluarga tanpa sumber air minum layak 2024: {rate[c]}" for c in order]
    hot = _panel(page, "Kelurahan non-lokus di kelas terburuk")
    expect = sorted((c for c in high if c not in _lokus() and c not in reached), key=lambda c: (_place(c).split(" (Kec. ")[1], _place(c)))
    assert hot == [f"{_place(c)} — Keluarga tanpa sumber air minum layak 2024: 75,0 %" for c in expect]


@pytest.mark.browser
def test_on_a_phone_the_opened_activity_fold_is_above_the_map_controls(built, browser):
    """390 x 844: after tapping "Kegiatan OPD ini", what lies at each line and fold heading of the title box is that line, not a
    zoom, search, fullscreen, print or layer control (at its left end, middle and right end)."""
    import functools
    import http.server
    import threading

    out, _, _ = built
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/opd_perkim.html")
        page.wait_for_function("window.sgAtlas !== undefined", timeout=10_000)
        page.locator("summary", has_text="Kegiatan OPD ini").click()
        page.wait_for_timeout(300)
        covered = page.evaluate("""() => [...document.querySelectorAll('.sg-title summary, .sg-title details[open] li')].filter(li => {
            const r = li.getBoundingClientRect();
            if (r.height === 0 || r.bottom < 0 || r.top > innerHeight) return false;
            return [r.left + 4, r.left + r.width / 2, r.right - 4].some(x => {
                const hit = document.elementFromPoint(x, r.top + r.height / 2);
                return !(hit && li.contains(hit));
            });
        }).map(li => li.textContent)""")
        assert covered == []
        page.close()
    finally:
        server.shutdown()
        server.server_close()


def test_a_qgis_layer_name_keeps_every_period_of_a_rank_over_two():
    """The priority map ranks tables of two periods ("periode 2024, 2024-08"): its QGIS name is not cut at the comma."""
    from serang_gis.render.qgis_project import _title

    assert _title("Prioritas penanganan", "Prioritas penanganan · periode 2024, 2024-08 · sumber a.csv", "id") == \
        "Prioritas penanganan 2024, 2024-08"
    assert _title("Prevalensi stunting", "Prevalensi stunting · periode 2023", "id") == "Prevalensi stunting 2023"


def test_the_build_prints_no_pandas_performance_warning(built, serang_path):
    """A build's stderr holds what the build says, not pandas' advice on fragmented frames (walk: printed twice, from the
    embedded figures joined to a layer of many columns: a by-name export, KRS, STBM and a rank)."""
    import datetime as dt

    import pandas as pd

    from serang_gis import read_kelurahan
    from serang_gis.join.atlas import build_layers, with_reference

    assert built[2] == []
    bounds = read_kelurahan(serang_path)
    kel = bounds.kelurahan[["kode_kel", "kelurahan", "kecamatan", "geometry"]].copy()
    for i in range(150):  # columns added one by one, as the joins and derivations add them
        kel[f"x{i}"] = float(i)
    kel["balita_stunting"] = 1.0
    kel["status_odf"], kel["sumber_sanitasi"], kel["periode_sanitasi"] = "ODF deklarasi", "stbm.csv", "2024"  # the user's ODF
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        out, _, _ = with_reference(kel, build_layers(bounds, dt.date(2025, 10, 1)), "id")
    assert out["stunting_dilaporkan"].eq(1).all() and out["sumber_odf"].eq("stbm.csv").all()


def test_the_rank_says_why_given_jamban_columns_do_not_count_as_its_jamban_indicators():
    """KRS jamban rates given, the profile's sanitation gap and KK-tanpa-jamban absent: the note names the columns read and
    why they do not stand in (walk: "no jamban data" although jamban columns were given). Without them: no such note."""
    import pandas as pd

    from serang_gis.analysis.priority import _without_absent
    from serang_gis.read.profile import load_profile

    frame = pd.DataFrame({"prevalensi_stunting": [10.0, 20.0], "balita_stunting": [1, 2], "persen_keluarga_berisiko": [5.0, 6.0],
                          "persen_krs_jamban_tidak_layak": [3.0, 4.0]})
    notes = _without_absent(frame, load_profile(), "id")[1]
    assert notes[0].startswith("PERINGATAN: tidak ada data KK tanpa akses jamban layak")
    assert "data jamban yang dibaca (Keluarga tanpa jamban layak) mengukur hal lain" in notes[1]
    assert len(_without_absent(frame.drop(columns="persen_krs_jamban_tidak_layak"), load_profile(), "id")[1]) == 1
