"""report.html and figures/ without a browser: escaping, anonymity, language, same counts as the tables,
deterministic bytes. (tests/test_report_browser.py opens the reports in Chromium.)"""
from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from condense.export.html import render_html, script_json
from condense.export.report_data import build_report_data
from condense.i18n import PAGE, page_strings

CODEBOOK = """\
codebook: lille
language: {language}
dimensions:
  - id: fase
    label: Fase
    themes:
      - {{id: planlaegning, label: Planlægning, terms: [planlægge, planlægning, budget, plan, budget]}}
      - {{id: evaluering, label: Evaluering, terms: [evaluering, evaluere, evaluate, evaluation]}}
  - id: deltagelse
    label: Deltagelse
    themes:
      - {{id: beboer, label: Beboerne bestemte, phrases: [bestemte selv, decided themselves]}}
      - {{id: professionel, label: Vi bestemte, phrases: [vi besluttede, we decided]}}
"""


def interview(i: int, *, anonymous: bool = False, planted: str = "") -> str:
    return textwrap.dedent(f"""\
        ---
        id: int{i}
        cases: ["Plan{i} <b>fed</b>"]
        interviewer_labels: [I]
        anonymous: {str(anonymous).lower()}
        ---
        I: Hvordan planlagde I budgettet? {planted}

        R: Vi planlagde budgettet sammen, og beboerne bestemte selv hvornår. {planted} Det var en god planlægning.

        I: Og evalueringen?

        R: Vi besluttede at evaluere hver måned med en lille bog. {planted} Evalueringen gik fint.
        """)


PLANTED = '<script>window.x=1</script> <img src=x onerror="window.x=2"> [a](javascript:alert(1)) </script><!-- \u2028'


def make_project(folder: Path, language: str = "da") -> Path:
    (folder / "transcripts").mkdir(parents=True)
    for i in (1, 2):
        (folder / "transcripts" / f"int{i}.txt").write_text(interview(i, planted=PLANTED), encoding="utf-8")
    (folder / "transcripts" / "int3.txt").write_text(interview(3, anonymous=True), encoding="utf-8")
    (folder / "transcripts" / "cases.csv").write_text(
        'case,region\n"Plan1 <b>fed</b>",Nord\n"Plan2 <b>fed</b>",Syd\n"Plan3 <b>fed</b>",Syd\n', encoding="utf-8")
    (folder / "codebook.yaml").write_text(CODEBOOK.format(language=language), encoding="utf-8")
    (folder / "condense.yaml").write_text("transcripts: transcripts\ncases: transcripts/cases.csv\n"
                                          "codebook: codebook.yaml\noutput: results\n", encoding="utf-8")
    return folder / "condense.yaml"


@pytest.fixture(scope="module")
def small_project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def small(small_project):
    from condense.pipeline import run
    from condense.project import load_project

    result = run(load_project(small_project))
    data = build_report_data(result)
    return result, data, render_html(result, data)


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "<!-- x", "a\u2028b\u2029c", "&amp; <>",
                                  "</SCRIPT >", "æøå \" \\ '"])
def test_embedded_json_cannot_end_its_script_block_and_reads_back(text):
    out = script_json({"t": text, "list": [text]})
    assert "<" not in out and ">" not in out and "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == {"t": text, "list": [text]}


def test_transcript_markup_reaches_the_page_only_as_text(small):
    _, _, html = small
    assert html.count("<script") == 2  # the JSON block and our own script, nothing a transcript planted
    assert "&lt;script&gt;window.x=1&lt;/script&gt;" in html  # a quote or condensate holding it: shown as text
    for raw in ("<img", "onerror=\"window", "<b>fed</b>", "javascript:alert(1)\"", "<!-- \u2028"):
        assert raw not in html, raw
    assert "Plan1 &lt;b&gt;fed&lt;/b&gt;" in html  # a case name with markup, shown as text
    data = html.split('id="report-data">', 1)[1].split("</script>", 1)[0]
    units = json.loads(data)["units"]
    assert any("<script>window.x=1</script>" in u[6] for u in units)  # the text itself is kept, as data


def test_only_our_script_may_run(small):
    import base64
    import hashlib

    _, _, html = small
    script = html.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html and "default-src 'none'" in html


def test_anonymous_respondent_has_no_case_and_no_speaker_in_the_report(small):
    result, data, html = small
    assert "Plan3" not in html
    units = result.tables["units"]
    anon = set(units[units.anonymous.astype(bool)].unit_id)
    assert anon
    rows = [u for u in data.payload["units"] if u[0] in anon]
    assert rows and all(u[3] == -1 and u[4] == [] for u in rows)
    assert any(page_strings("da")["anonymous"] in c.names for g in data.grids for row in g.cells for c in row)


def test_units_are_data_not_page_elements(small):
    _, data, html = small
    assert '<ol id="unit-list" class="unit-list"></ol>' in html
    assert len(data.payload["units"]) > 0


def test_heatmap_and_figure_show_the_matrix_tables_counts(small):
    from matplotlib.text import Text

    from condense.export.figures import figure_style, make_figures

    result, data, _ = small
    long = result.tables["matrix_fase_x_deltagelse"]
    grid = data.grids[0]
    assert [c.value for row in grid.cells for c in row] == long.n_units.tolist()
    for row in grid.cells:
        for cell in row:
            assert (cell.list_id is None and cell.value == 0) or len(data.lists[cell.list_id]) == cell.value
    with figure_style():
        fig = make_figures(data)["matrix_fase_x_deltagelse"]
    cells = _drawn_numbers(fig.axes[0])
    assert [int(cells[c, r]) for r in range(len(grid.rows)) for c in range(len(grid.cols))] == long.n_units.tolist()
    texts = {t.get_text() for t in fig.findobj(Text)}
    assert "Planlægning" in texts and any("enheder pr. celle" in t for t in texts)


def _drawn_numbers(ax) -> dict:
    """{(x, y): label} of the counts an axes draws (figures._numbers: a collection per distinct label)."""
    return {(round(float(x), 6), round(float(y), 6)): coll.get_label()
            for coll in ax.collections if coll.get_label().isdigit() for x, y in coll.get_offsets()}


def test_figure_counts_are_glyph_outlines_placed_as_text_would_be(small):
    """Each count drawn as a Text of its own was laid out and rasterised one by one in every pass (theme × case:
    234 cells, most of its drawing time): a heatmap now draws one collection per distinct count, its glyph
    outlines where ax.text(..., ha="center", va="center") puts the text, in the cell's contrasting colour."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    from condense.export.figures import figure_style, make_figures

    _, data, _ = small
    with figure_style():
        fig = make_figures(data)["theme_case"]
        ax = fig.axes[0]
        grid = data.theme_case
        values = [c.value for row in grid.cells for c in row]
        assert not [t for t in fig.findobj(Text) if t.get_text().isdigit()]  # no Text per cell
        assert len([c for c in ax.collections if c.get_label().isdigit()]) == len(set(values))
        renderer = FigureCanvasAgg(fig).get_renderer()
        scale = fig.dpi / 72
        for coll in ax.collections:
            if not coll.get_label().isdigit():
                continue
            ink = coll.get_paths()[0].get_extents()  # in points from the anchor
            for (x, y), colour in zip(coll.get_offsets(), coll.get_facecolors()):
                anchor = ax.transData.transform((x, y))
                glyphs = Bbox(anchor + ink.get_points() * scale)
                text = ax.text(x, y, coll.get_label(), ha="center", va="center", fontsize=8)
                box = text.get_window_extent(renderer)
                text.remove()
                assert abs(glyphs.x0 + glyphs.x1 - box.x0 - box.x1) / 2 < 1.5 * scale  # centred as the text
                assert box.y0 - 0.5 <= glyphs.y0 and glyphs.y1 <= box.y1 + 0.5  # the ink inside its line box
                dark = np.dot(ax.get_images()[0].to_rgba(grid.cells[int(y)][int(x)].value)[:3], (0.2126, 0.7152, 0.0722)) < 0.5
                assert tuple(colour[:3]) == ((1.0, 1.0, 1.0) if dark else (0.0, 0.0, 0.0))


def test_heatmap_rules_between_cells_are_two_collections_not_minor_ticks(small):
    """The white rules between a heatmap's cells were minor ticks' grid lines: a Tick each (two tick lines,
    two labels and a grid line, all laid out in every pass). Two line collections draw the same pixels."""
    from matplotlib.collections import LineCollection

    from condense.export.figures import figure_style, make_figures

    _, data, _ = small
    with figure_style():
        fig = make_figures(data)["theme_case"]
    ax = fig.axes[0]
    n_rows, n_cols = len(data.theme_case.rows), len(data.theme_case.cols)
    assert n_rows > 1 and n_cols > 1
    assert not len(ax.xaxis.get_minorticklocs()) and not len(ax.yaxis.get_minorticklocs())
    rules = sorted((tuple(map(tuple, seg)) for c in ax.collections if isinstance(c, LineCollection)
                    for seg in c.get_segments()))
    between_cols = [((x - 0.5, -0.5), (x - 0.5, n_rows - 0.5)) for x in range(1, n_cols)]
    between_rows = [((-0.5, y - 0.5), (n_cols - 0.5, y - 0.5)) for y in range(1, n_rows)]
    assert rules == sorted(between_cols + between_rows)


def test_the_png_and_the_svg_show_one_layout(small):
    """Both files are cut to the box Agg finds around the figure's texts; with hinted glyphs Agg measured the
    labels wider than the SVG draws them (the sample's matrix: 0.2 inch), so the two files differed in layout.
    Unhinted, Agg's box is the SVG renderer's."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_svg import RendererSVG

    from condense.export.figures import figure_style, make_figures

    _, data, _ = small
    with figure_style():
        for name, fig in make_figures(data).items():
            agg = fig.get_tightbbox(FigureCanvasAgg(fig).get_renderer())
            fig.dpi = 72  # as savefig draws an SVG
            svg = fig.get_tightbbox(RendererSVG(fig.get_figwidth(), fig.get_figheight(), io.StringIO()))
            assert abs(agg.width - svg.width) < 0.005 and abs(agg.height - svg.height) < 0.005, (name, agg, svg)


def test_no_text_is_cut_off_in_the_png(small):
    """The box both files are cut to is found at the figure's own dpi; hinted glyphs are as wide as the pixel
    grid makes them, so at the PNG's 200 dpi a title measured at 100 came out wider and lost its last letter
    ("enheder pr. cell" in the sample's matrix). Every text drawn at the PNG's dpi lies inside the box."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from condense.export import figures

    _, data, _ = small
    with figures.figure_style():
        long_title = figures._heatmap(data.grids[0], "Matrix: Projektfase × Deltagelsestype — enheder pr. celle")
        made = {**figures.make_figures(data), "long title": long_title}
        for name, fig in made.items():
            box = fig.get_tightbbox(FigureCanvasAgg(fig).get_renderer()).padded(0.1)  # as _render finds it
            fig.dpi = figures.DPI
            renderer = FigureCanvasAgg(fig).get_renderer()
            for text in _drawn_texts(fig):
                inches = text.get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted())
                assert box.x0 <= inches.x0 and inches.x1 <= box.x1, (name, text.get_text(), inches, box)


def _drawn_texts(fig) -> list:
    """The texts a figure draws: its own, its axes' titles, labels and texts, and the labels of the ticks
    inside each axis' view (an axis holds Tick objects beyond it, never drawn)."""
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            texts += [t.label1 for t in axis.get_major_ticks() if low <= t.get_loc() <= high]
    return [t for t in texts if t.get_visible() and t.get_text()]


def test_report_and_figures_speak_the_codebooks_language(small):
    import dataclasses

    from matplotlib.text import Text

    from condense.export.figures import figure_style, make_figures

    result, danish, _ = small
    english = dataclasses.replace(result, codebook=dataclasses.replace(result.codebook, language="en"))
    for run_result, lang, words, other in ((result, "da", ("Materiale og dækning", "Udbredelse af temaer"), "Material and"),
                                           (english, "en", ("Material and coverage", "Theme prevalence"), "Materiale og")):
        data = build_report_data(run_result)
        html = render_html(run_result, data)
        assert f'<html lang="{lang}">' in html and words[0] in html and other not in html
        with figure_style():
            figures = make_figures(data)
        texts = " ".join(t.get_text() for f in figures.values() for t in f.findobj(Text))
        assert words[1] in texts


def test_a_figure_of_many_themes_or_cases_shows_the_largest_and_says_so(small):
    """Coding done elsewhere with 600 top-level codes drew a prevalence chart 180 inches tall (2.6 MB of PNG),
    and the run waited 9 s for it. A figure draws at most figures.MAX_ROWS bars or heatmap rows (and MAX_COLS
    columns): those in the most cases or holding the most units, in their order, with a title that says how
    many of how many; the tables keep them all."""
    import dataclasses

    from matplotlib.text import Text

    from condense.export import figures
    from condense.export.report_data import Cell, Grid

    _, data, _ = small
    section = data.themes[0]
    many = [dict(section["rows"][0], label=f"Tema {i:03d}", n_cases=(i % 7) + (10 if i == 77 else 0), is_sub=False)
            for i in range(120)]
    n_rows, n_cols = 90, 55
    grid = Grid("theme_case", "Tema × case", "Tema", "Case", [f"T{i}" for i in range(n_rows)],
                [f"C{j}" for j in range(n_cols)],
                [[Cell(50 if (i, j) == (70, 50) else (i + j) % 3, None) for j in range(n_cols)] for i in range(n_rows)])
    wide = dataclasses.replace(data, themes=[dict(section, rows=many)], theme_case=grid)
    with figures.figure_style():
        made = figures.make_figures(wide)
    bars = made["theme_prevalence"]
    labels = [t.get_text() for ax in bars.axes for t in ax.get_yticklabels()]
    assert len(labels) == figures.MAX_ROWS and "Tema 077" in labels  # the most widespread, though listed late
    assert labels == sorted(labels)  # in their order
    assert any("de 40 mest udbredte af 120" in t.get_text() for t in bars.findobj(Text))
    heat = made["theme_case"]
    assert len(heat.axes[0].get_yticklabels()) == figures.MAX_ROWS and len(heat.axes[0].get_xticklabels()) == figures.MAX_COLS
    assert "T70" in [t.get_text() for t in heat.axes[0].get_yticklabels()]
    assert "C50" in [t.get_text() for t in heat.axes[0].get_xticklabels()]
    title = heat.axes[0].get_title(loc="left")
    assert "de 40 største af 90 rækker" in title and "de 40 største af 55 kolonner" in title


def test_both_languages_have_every_string():
    # report.html's words are in the project's one localisation table (i18n.PAGE), a pair per key
    assert all(len(pair) == 2 and all(pair) for pair in PAGE.values())
    assert set(page_strings("da")) == set(page_strings("en")) == set(PAGE)


def test_an_english_report_names_each_idea_by_one_word():
    """An English report's step-1 heading said "key words" above a table headed "Key terms"; its workbook said
    "golden quote" where report.html said "Illustrative quote", and "quantifier" where it said "Spread". One word
    each, METHOD.md's (§6: golden quote, quantifiers), wherever an English reader meets the idea; and the
    candidates' table headers its words in lower case like its other columns, as the workbook does."""
    import re
    from types import SimpleNamespace

    from condense.export.report import candidates_section
    from condense.i18n import COLUMNS, LABELS

    english = " ".join(pair[1] for table in (LABELS, COLUMNS, PAGE) for pair in table.values()).lower()
    assert not [w for w in ("key word", "illustrative", "spread") if re.search(rf"\b{w}", english)]
    assert "key terms" in LABELS["step1"][1] and LABELS["terms"][1] == PAGE["terms"][1] == "Key terms"
    assert COLUMNS["terms"][1] == "key terms" and PAGE["quote"][1] == "Golden quote"
    # what is marked [DRAFT] is a draft in report.md and report.html alike (the page said "machine extracts")
    assert [("udkast" in PAGE["draft_note"][0], "drafts" in PAGE["draft_note"][1])] == [(True, True)]
    group = SimpleNamespace(id="kandidat_01_tolk", terms=["tolk", "somali"], size=5, transcripts=["a", "b"])
    found = SimpleNamespace(discovery=SimpleNamespace(groups=[group], shown=[group], more=0, not_grouped=[]))
    assert "| id | key terms | units | interviews |" in "\n".join(candidates_section(found, "en"))
    assert "| id | nøgleord | enheder | interview |" in "\n".join(candidates_section(found, "da"))


def test_danish_words_agree_with_the_case_noun_and_write_shares_as_danish_does():
    """Read by a Danish researcher: "Hver tilfælde står i den celle, dens …" (tilfælde is neuter: hvert, dets; a
    project's "helhedsplan" is not), a not-placed row "over 30% af temaets enheder" beside "81 %" elsewhere, and a
    figure titled "Enheder pr. tema og case"."""
    from types import SimpleNamespace

    import pandas as pd

    from condense.export.report import plan_matrix_section
    from condense.grouping import _unplaced_row

    grid = pd.DataFrame({"deltagelsestype": ["Beboerinitiativ"], "Planlægning": ["Solsikkeparken (0,9)"]})

    def note(case_noun):
        themes = pd.DataFrame()
        themes.attrs["case_noun"] = case_noun
        return plan_matrix_section(SimpleNamespace(plan_matrix=grid, tables={"themes": themes}), "da")[2]

    assert note(None).startswith("_Hvert tilfælde står i den celle, dets dominerende")
    assert note(["helhedsplan", "helhedsplaner", "helhedsplanerne", "én"]).startswith("_Hver helhedsplan står i den "
                                                                                      "celle, dens dominerende")
    assert note(["plan", "planer"]).startswith("_Hver plan står i den celle, dens")
    assert "over 30 % af temaets enheder" in _unplaced_row(["a"] * 4, 10, "da").label
    assert "over 30% of the theme's units" in _unplaced_row(["a"] * 4, 10, "en").label
    assert page_strings("da")["figure_theme_case"] == "Enheder pr. tema og tilfælde"


def test_one_of_a_thing_is_singular_on_the_page(small):
    """report.html wrote "1 enheder" under a sub-group of one unit and in a heatmap cell's label, "1 tilbagetrukne
    passager er udeladt", and in English "1 interviews have anonymous respondents" (the study has one)."""
    import dataclasses
    import re

    result, data, html = small
    english = dataclasses.replace(result, codebook=dataclasses.replace(result.codebook, language="en"))
    page = render_html(english, build_report_data(english))
    for text, one, many in ((html, "1 enhed", "1 enheder"), (page, "1 unit", "1 units")):
        assert re.search(rf"(?<![\d.,]){one}\b", text) and not re.search(rf"(?<![\d.,]){many}\b", text)
    assert "1 interview har anonyme informanter: dets enheder vises" in html
    assert "1 interview has anonymous respondents: its units show" in page
    strings = page_strings("da")
    assert strings["withdrawn_1"].startswith("1 tilbagetrukket passage er udeladt")


FIGURE_SCRIPT = """\
import pickle, sys
from pathlib import Path
from condense.export.figures import write_figures
write_figures(pickle.loads(Path(sys.argv[1]).read_bytes()), Path(sys.argv[2]))
"""


def test_figures_are_byte_identical_across_processes(small, tmp_path):
    _, data, _ = small
    (tmp_path / "data.pkl").write_bytes(pickle.dumps(data))
    from condense.export.figures import write_figures

    write_figures(data, tmp_path / "a")  # here, and in a fresh process
    subprocess.run([sys.executable, "-c", FIGURE_SCRIPT, str(tmp_path / "data.pkl"), str(tmp_path / "b")], check=True)
    digests = [{p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())} for name in ("a", "b")]
    assert digests[0] == digests[1]
    assert {"matrix_fase_x_deltagelse.svg", "matrix_fase_x_deltagelse.png", "theme_prevalence.svg",
            "theme_prevalence.png", "theme_case.svg", "theme_case.png"} == set(digests[0])
    svg = digests[0]["theme_case.svg"].decode()
    assert "<dc:date>" not in svg
    png = digests[0]["theme_case.png"]
    assert b"Software" not in png and b"matplotlib" not in png.lower()


def test_figures_are_what_matplotlib_saves_with_the_figure_as_laid_out(small):
    """_render saves each figure without the layout engine tight_layout leaves behind (savefig would lay the
    figure out once more first, for nothing but, in an SVG, a zero's sign: "L 0 0" or "L 0 -0"), and encodes
    Agg's pixels itself (RGB, zlib's fastest level): the SVG is savefig's, the PNG has the pixels and the dpi
    of savefig's PNG and no metadata."""
    import io

    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    from condense.export import figures

    _, data, _ = small
    with figures.figure_style():
        rendered = {name: dict(figures._render(fig)) for name, fig in figures.make_figures(data).items()}
        for name, fig in figures.make_figures(data).items():
            box = fig.get_tightbbox(FigureCanvasAgg(fig).get_renderer()).padded(0.1)
            fig.set_layout_engine(None)
            plain = {}
            for fmt, options in (("svg", {"metadata": figures._SVG_META}), ("png", {"dpi": figures.DPI})):
                buffer = io.BytesIO()
                fig.savefig(buffer, format=fmt, bbox_inches=box, **options)
                plain[fmt] = buffer.getvalue()
            assert (name, rendered[name]["svg"]) == (name, plain["svg"])
            ours, theirs = (Image.open(io.BytesIO(b)) for b in (rendered[name]["png"], plain["png"]))
            assert ours.mode == "RGB" and theirs.mode == "RGBA" and ours.info == {"dpi": theirs.info["dpi"]}  # no software stamp
            assert round(ours.info["dpi"][0]) == figures.DPI
            assert np.array_equal(np.asarray(ours), np.asarray(theirs)[..., :3]), name
            assert np.asarray(theirs)[..., 3].min() == 255  # opaque: nothing lost with the alpha channel
            assert len(rendered[name]["png"]) < 1.25 * len(plain["png"])  # about as large (here +10 %, the sample's the same)


def test_figures_drawn_in_a_second_process_are_the_same_files(small, tmp_path, monkeypatch):
    """write_tables has the figures drawn by a forked process while it writes the rest: the same bytes as
    drawing them here; a process that fails is made good by drawing here; a cancelled one writes nothing more."""
    import multiprocessing as mp

    import condense.parallel
    from condense.export import figures

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("no fork here: the figures are always drawn in the calling process")
    _, data, _ = small
    monkeypatch.setattr(condense.parallel, "available_jobs", lambda jobs: 2)  # a second core, even on one
    here = figures.write_figures(data, tmp_path / "here")
    drawing = figures.start_figures(data, tmp_path / "forked")
    assert isinstance(drawing, figures._Drawing)
    forked = drawing.result()
    assert [p.name for p in forked] == [p.name for p in here]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(here, forked))
    drawing = figures.start_figures(data, tmp_path / "cancelled")
    drawing.cancel()
    assert not drawing.process.is_alive()
    monkeypatch.setattr(figures, "_draw", lambda data, folder, send: send.close())  # a process that dies mute
    again = figures.start_figures(data, tmp_path / "redrawn").result()
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in here]
    import time

    monkeypatch.setattr(figures, "_draw", lambda data, folder, send: time.sleep(60))  # one that never answers
    monkeypatch.setattr(figures, "WAIT", 0.5)
    stuck = figures.start_figures(data, tmp_path / "stuck")
    assert [p.read_bytes() for p in stuck.result()] == [p.read_bytes() for p in here]
    assert not stuck.process.is_alive()


def test_figures_split_between_two_processes_are_the_same_files(small, tmp_path, monkeypatch):
    """The drawing process forks a child for about half of the figures: the same files, in the same order;
    a child that fails leaves its figures to be rendered by the drawing process itself."""
    import multiprocessing as mp
    import os

    from condense.export import figures

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs fork")
    _, data, _ = small
    here = figures.write_figures(data, tmp_path / "here")
    parent, render, rendered_here = os.getpid(), figures._render, []

    def tracked(fig):  # the figures rendered in this process (the child's list stays in the child)
        if os.getpid() == parent:
            rendered_here.append(fig)
        return render(fig)

    monkeypatch.setattr(figures, "_render", tracked)
    split = figures.write_figures(data, tmp_path / "split", split=True)
    assert [p.name for p in split] == [p.name for p in here]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(here, split))
    assert 0 < len(rendered_here) < len(here) // 2  # some here, the others in the child

    def child_fails(fig):
        if os.getpid() != parent:
            raise MemoryError("in the child only")
        return tracked(fig)

    rendered_here.clear()
    monkeypatch.setattr(figures, "_render", child_fails)
    rescued = figures.write_figures(data, tmp_path / "rescued", split=True)
    assert [p.read_bytes() for p in rescued] == [p.read_bytes() for p in here]
    assert len(rendered_here) == len(here) // 2  # every figure ended up rendered here


def test_figures_drawn_by_the_process_prepared_before_the_run_are_the_same_files(small, tmp_path, monkeypatch):
    """`condense run` forks the figures' process before the pipeline (it imports matplotlib meanwhile) and hands
    it the figures at the end: the same bytes as drawing them here; a prepared process that has died is
    replaced by a fresh one."""
    import multiprocessing as mp

    import condense.parallel
    from condense.export import figures

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("no fork here: the figures are always drawn in the calling process")
    _, data, _ = small
    monkeypatch.setattr(condense.parallel, "available_jobs", lambda jobs: 2)  # a second core, even on one
    here = figures.write_figures(data, tmp_path / "here")
    figures.prepare_figures()
    process = figures._PREPARED[0][0]
    drawing = figures.start_figures(data, tmp_path / "prepared")
    assert drawing.process is process and not figures._PREPARED
    assert [p.read_bytes() for p in drawing.result()] == [p.read_bytes() for p in here]
    figures.prepare_figures()
    figures._PREPARED[0][0].terminate()
    figures._PREPARED[0][0].join()
    again = figures.start_figures(data, tmp_path / "again")
    assert again.process is not process and [p.read_bytes() for p in again.result()] == [p.read_bytes() for p in here]


def test_review_decisions_are_reported_in_the_material(small):
    import dataclasses

    from condense.pipeline import ReviewSummary

    result, _, _ = small
    reviewed = dataclasses.replace(result, review=ReviewSummary(applied=2, orphaned=1, relocated=0, decisions=3))
    html = render_html(reviewed, build_report_data(reviewed))
    assert "Gennemgang: 2 beslutninger anvendt, 1 forældreløs beslutning." in html


def test_one_review_decision_is_singular_in_both_reports(small):
    """A review of one decision read "1 beslutninger anvendt; 1 forældreløse beslutninger" in report.md and
    "1 beslutninger anvendt, 1 forældreløse." on the page."""
    import dataclasses

    from condense.export.report import material_section
    from condense.pipeline import ReviewSummary

    result, _, _ = small
    one = dataclasses.replace(result, review=ReviewSummary(applied=1, orphaned=1, relocated=0, decisions=2))
    md = "\n".join(material_section(one, "da"))
    assert "Gennemgang: 1 beslutning anvendt; 1 forældreløs beslutning." in md
    assert "Review: 1 decision applied; 1 orphaned decision." in "\n".join(material_section(one, "en"))
    assert "Gennemgang: 1 beslutning anvendt, 1 forældreløs beslutning." in render_html(one, build_report_data(one))
    none = dataclasses.replace(result, review=ReviewSummary(applied=0, orphaned=0, relocated=0, decisions=0))
    assert "Gennemgang: 0 beslutninger anvendt; 0 forældreløse beslutninger." in "\n".join(material_section(none, "da"))


def test_run_and_tables_both_write_the_same_report_and_figures(small, small_project, tmp_path):
    from condense.pipeline import write_results
    from condense.project import load_project
    from condense.verbs import tables

    result, _, _ = small
    a = write_results(result, tmp_path / "a")
    tables(load_project(small_project), codings=a / "codings.csv", out=tmp_path / "b")
    for name in ("report.html", "figures/matrix_fase_x_deltagelse.svg", "figures/theme_prevalence.png",
                 "figures/theme_case.png"):
        assert (a / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    manifest = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    assert "report.html" in manifest["files"] and "figures/theme_case.svg" in manifest["files"]


def test_figures_show_pseudonyms_not_listed_names(tmp_path):
    """Figures are pixels and glyph paths that no sweep can search afterwards: names are replaced before drawing."""
    from matplotlib.text import Text

    from condense.export.figures import figure_style, make_figures
    from condense.pipeline import run
    from condense.project import load_project

    project = make_project(tmp_path)
    (project.parent / "pseudonyms.csv").write_text("real,pseudonym,kind\nPlan1,Kløvermarken,place\n",
                                                    encoding="utf-8")
    result = run(load_project(project))
    data = build_report_data(result)
    with figure_style():
        figures = make_figures(data)
    texts = " ".join(t.get_text() for f in figures.values() for t in f.findobj(Text))
    assert "Kløvermarken" in texts and "Plan1" not in texts
    from condense.pipeline import write_results

    out = write_results(result, tmp_path / "results")
    assert "Plan1" not in (out / "report.html").read_text(encoding="utf-8")  # the written page, after the sweep


def test_heatmaps_drawn_ahead_are_the_files_drawn_with_the_rest_and_a_changed_one_is_drawn_again(small, tmp_path, monkeypatch):
    """`condense run` hands the heatmaps to the figures' process once the codings are final (report_data.heatmaps
    from the units, segments and matrix tables; figures.draw_heatmaps), so they are rendered while condensation
    runs. The files are byte for byte those drawn with the rest; a heatmap whose grid differs by then is
    drawn again."""
    import dataclasses
    import multiprocessing as mp

    from condense.export import figures
    from condense.export.report_data import heatmaps

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs fork")
    result, data, _ = small
    figures.write_figures(data, tmp_path / "with_the_rest")
    expected = {p.name: p.read_bytes() for p in (tmp_path / "with_the_rest").iterdir()}
    known = {name: df for name, df in result.tables.items() if name in ("units", "segments") or name.startswith("matrix_")}
    language, grids, theme_case = heatmaps(result, known)
    made_here: list[str] = []
    heatmap = figures._heatmap
    monkeypatch.setattr(figures, "_heatmap", lambda grid, *a: made_here.append(grid.key) or heatmap(grid, *a))

    figures.write_figures(data, tmp_path / "ahead", early=figures._Early(language, grids, theme_case))
    assert {p.name: p.read_bytes() for p in (tmp_path / "ahead").iterdir()} == expected
    assert made_here == []  # both heatmaps came from the child that drew them ahead

    first = grids[0]
    changed = dataclasses.replace(first, cells=[[dataclasses.replace(c, value=c.value + 1) for c in row] for row in first.cells])
    figures.write_figures(data, tmp_path / "changed", early=figures._Early(language, [changed], theme_case))
    assert {p.name: p.read_bytes() for p in (tmp_path / "changed").iterdir()} == expected
    assert made_here == [first.key]  # drawn again, from the grid the figures are written from


def test_the_report_data_takes_the_units_read_for_the_heatmaps_once_and_is_the_same(small, monkeypatch):
    """report_data.heatmaps reads the units and their theme keys before condensation; the report's data, made
    at the write stage from the same units and segments tables, takes that reading once instead of reading them
    again (1M words: 0.4 of 0.5 CPU s): every section, unit list and the page's data are what a fresh reading
    gives. Tables changed since (other frames) are read anew."""
    import dataclasses

    import pandas as pd

    from condense.export import report_data as rd

    result, _, _ = small
    rd._AHEAD.clear()
    fresh = rd.build_report_data(result)
    known = {name: df for name, df in result.tables.items() if name in ("units", "segments") or name.startswith("matrix_")}
    read: list = []
    context = rd._context
    monkeypatch.setattr(rd, "_context", lambda *a: read.append(1) or context(*a))
    rd.heatmaps(result, known)
    reused = rd.build_report_data(result)
    assert read == [1] and not rd._AHEAD  # read once, for the heatmaps, and taken
    for f in dataclasses.fields(rd.ReportData):
        a, b = getattr(fresh, f.name), getattr(reused, f.name)
        assert (a.equals(b) if isinstance(a, pd.DataFrame) else a == b), f.name
    rd.heatmaps(result, known)
    other = dataclasses.replace(result, tables={**result.tables, "units": result.tables["units"].copy()})
    assert rd.build_report_data(other).payload == fresh.payload and read == [1, 1, 1]


def test_a_run_hands_its_figures_process_the_heatmaps_it_writes(small_project, monkeypatch):
    """With a figures' process prepared (`condense run`), the run hands it the heatmaps before condensing,
    and they show exactly what the written figures show (so the ones drawn ahead are the ones written)."""
    from condense.export import figures
    from condense.pipeline import run
    from condense.project import load_project

    handed = []
    monkeypatch.setattr(figures, "prepared", lambda: True)
    monkeypatch.setattr(figures, "draw_heatmaps", lambda *args: handed.append(args) or True)
    result = run(load_project(small_project))
    assert len(handed) == 1 and result.condensation is not None
    data = build_report_data(result)
    ahead = figures._heatmap_specs(*handed[0])
    written = figures._heatmap_specs(data.language, data.grids, data.theme_case)
    assert set(ahead) == set(written) == {"matrix_fase_x_deltagelse", "theme_case"}
    assert {k: figures._shown(v) for k, v in ahead.items()} == {k: figures._shown(v) for k, v in written.items()}


def test_prevalence_bars_count_an_interview_without_a_case_and_stay_inside_the_axis(tmp_path):
    """An interview cases.csv does not list counts as a case of its own in the themes table; the prevalence
    figure counts out of the same total, so no bar runs past its axis (a scale corpus drew a figure metres
    wide, every bar cut off and its number far to the right)."""
    from condense.export.figures import figure_style, make_figures
    from condense.pipeline import run
    from condense.project import load_project

    project = make_project(tmp_path)
    for i in (3, 4, 5):  # interviews that name no case
        text = interview(i).replace(f'cases: ["Plan{i} <b>fed</b>"]\n', "")
        (tmp_path / "transcripts" / f"int{i}.txt").write_text(text, encoding="utf-8")
    result = run(load_project(project))
    themes = result.tables["themes"]
    total = themes.attrs["n_total"]
    assert total > 2 and themes.n_cases.max() > 2  # two named cases, and interviews counted as cases of their own
    data = build_report_data(result)
    with figure_style():
        fig = make_figures(data)["theme_prevalence"]
    for ax in fig.axes:
        right = ax.get_xlim()[1]
        assert all(bar.get_width() <= right for bar in ax.patches)
        assert all(text.get_position()[0] <= right for text in ax.texts)
        assert all(x <= right for x, _ in _drawn_numbers(ax))  # the bars' numbers too
    assert f"(af {total})" in fig.axes[-1].get_xlabel()
    assert fig.get_tightbbox().width < 12  # inches: a figure for a page


def test_transcript_markup_reaches_report_md_only_as_text(small):
    """report.md is read in Obsidian, Typora and VS Code's preview, which render HTML in markdown: a
    transcript's or a case name's markup must arrive as text there too."""
    from condense.export.report import render_report

    result, _, _ = small
    md = render_report(result)
    assert "&lt;script>window.x=1&lt;/script>" in md  # a quote or condensate holding it, shown as text
    assert "Plan1 &lt;b>fed&lt;/b>" in md  # a case name in a quote's source
    for raw in ("<script", "<img", "<b>", "<!--"):
        assert raw not in md, raw


@pytest.mark.parametrize("value, span", [("int1:0002:1", "`int1:0002:1`"), ("a`b", "``a`b``"),
                                         ("`x", "`` `x ``"), ("a``b`", "``` a``b` ```")])
def test_a_unit_id_is_one_code_span_whatever_backticks_it_holds(value, span):
    from condense.io import markdown_code, markdown_text

    assert markdown_code(value) == span
    assert markdown_text("a quote with a ` and\nan <i>") == "a quote with a \\` and an &lt;i>"


def _english(result):
    import dataclasses

    return dataclasses.replace(result, codebook=dataclasses.replace(result.codebook, language="en"))


def test_agreement_names_dimensions_and_themes_as_the_codebook_does(small):
    """The agreement tables of report.md and report.html said "deltagelse" and "beboerinitiativ_beboer" where the
    rest of the report says "Deltagelse" and "Beboerne bestemte"; agreement.csv keeps the ids for scripts."""
    import dataclasses
    from types import SimpleNamespace

    import pandas as pd

    from condense.export.report import agreement_section

    result, _, _ = small
    table = pd.DataFrame({"dimension": ["deltagelse", "deltagelse", "fase"], "theme": ["", "beboer", ""],
                          "scope": ["uncoded_as_none"] * 3, "n_units": [6, 6, 6], "cohen_kappa": [0.5, 0.25, 1.0]})
    tables = dict(result.tables, agreement=table)
    with_reference = dataclasses.replace(result, tables=tables,
                                         agreement=SimpleNamespace(b="reference.csv", n_units=6))
    md = "\n".join(agreement_section(with_reference, "da"))
    assert "| Deltagelse | ukodet som ingen | 6 | 0,500 |" in md and "| Fase | ukodet som ingen |" in md
    assert "| deltagelse |" not in md and "| fase |" not in md
    page = render_html(with_reference, build_report_data(with_reference))
    section = page[page.index('<section id="agreement"'):page.index('<section id="units"')]
    assert "<td>Beboerne bestemte</td>" in section and "<td>Deltagelse</td>" in section
    assert ">deltagelse<" not in section and ">beboer<" not in section
    assert list(table["dimension"]) == ["deltagelse", "deltagelse", "fase"]  # the run's table is left as it was


def test_a_matrix_grid_heads_its_rows_with_the_dimensions_name(small):
    """report.md's matrix and the workbook's grid sheet headed the phases' column "fase", an id, above rows and
    beside columns that are all labels."""
    result, _, _ = small
    (grid,) = result.matrix_grids.values()
    assert grid.columns[0] == "Fase"
    (sheet,) = result.sheets.values()
    assert sheet.columns[0] == "Fase"


def test_the_material_and_spreads_on_the_page_agree_with_their_counts(small):
    """report.html wrote "1 interviews" and "1 cases" for a study of one interview, and "(2 af 3 tilfælde)" where
    report.md, with the project's case noun, says "(2 af 3 helhedsplaner)"."""
    import dataclasses
    import re

    result, _, html = small
    corpus = result.corpus
    one = dataclasses.replace(result, corpus=dataclasses.replace(corpus, transcripts=corpus.transcripts[:1]))
    for page, wrong in ((render_html(_english(one)), r"<strong>1</strong> (interviews|cases)\b"),
                        (render_html(one), r"<strong>1</strong> (meningsbærende enheder)\b")):
        facts = page[page.index('<p class="facts">'):page.index("</p>", page.index('<p class="facts">'))]
        assert not re.search(wrong, facts), facts
    assert "<strong>1</strong> interview</span>" in render_html(_english(one))
    assert "<strong>1</strong> case</span>" in render_html(_english(one))
    themes = result.tables["themes"].copy()
    themes.attrs = dict(result.tables["themes"].attrs, case_noun=["plan", "planer", "planerne", "én"])
    planned = dataclasses.replace(result, tables=dict(result.tables, themes=themes))
    page = render_html(planned, build_report_data(planned))
    assert re.search(r'class="spread">[^<]* \(\d af 3 planer\)', page)
    assert "<strong>3</strong> planer</span>" in page


def test_the_page_says_which_themes_top_k_left_out_as_report_md_does(small):
    """report.md says when a dimension's top_k left themes out (W308 on the terminal); report.html did not."""
    import dataclasses

    from condense.model import Coding

    result, _, _ = small
    unit = result.codings[0].unit_id
    extra = Coding(unit, "fase", "planlaegning", score=2.0, evidence="unit: plan; left out (top_k: 1): evaluering")
    left = dataclasses.replace(result, codings=[extra] + list(result.codings))
    page = render_html(left, build_report_data(left))
    assert "Fase: 1 enhed matchede flere temaer, end top_k: 1 beholder; 1 tema blev udeladt" in page
    assert "matchede flere temaer" not in render_html(result, build_report_data(result))


NODE_PAGE = r"""
const fs = require("fs");
const html = fs.readFileSync(process.argv[2], "utf8");
const json = html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)[1];
const js = html.match(/<script>([\s\S]*?)<\/script>\s*<\/body>/)[1];
const nodes = {};
function node(id) {
  return { id, textContent: id === "report-data" ? json : "", value: "", hidden: false, href: "",
           classList: { add() {} }, style: {}, addEventListener() {}, appendChild(c) { return c; },
           insertBefore(c) { return c; }, focus() {}, scrollIntoView() {}, setAttribute() {} };
}
global.document = { getElementById: (id) => nodes[id] || (nodes[id] = node(id)), createElement: () => node(""),
                    createDocumentFragment: () => node(""), createTextNode: () => node(""),
                    documentElement: node("") };
global.window = { addEventListener() {} };
global.location = { hash: "#list=" + process.argv[3] };
eval(js);
process.stdout.write(nodes["list-status"].textContent);
"""


def test_the_unit_browser_says_one_unit_in_the_singular(small, tmp_path):
    """Opening a count of one, the unit browser said "Viser 1 af 1 enheder" ("Showing 1 of 1 units")."""
    import shutil

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the page's script cannot be run without a browser")
    result, data, html = small
    single = next(i for i, ids in enumerate(data.lists) if len(ids) == 1)
    several = next(i for i, ids in enumerate(data.lists) if len(ids) > 1)
    (tmp_path / "run.js").write_text(NODE_PAGE, encoding="utf-8")
    english = render_html(_english(result))
    said = {}
    for name, page in (("da", html), ("en", english)):
        (tmp_path / f"{name}.html").write_text(page, encoding="utf-8")
        for i in (single, several):
            out = subprocess.run([node, str(tmp_path / "run.js"), str(tmp_path / f"{name}.html"), str(i)],
                                 capture_output=True, text=True, timeout=60)
            assert out.returncode == 0, out.stderr
            said[name, i] = out.stdout
    assert said["da", single] == "Viser 1 af 1 enhed" and said["en", single] == "Showing 1 of 1 unit"
    n = len(data.lists[several])
    assert said["da", several] == f"Viser {n} af {n} enheder" and said["en", several] == f"Showing {n} of {n} units"


def test_the_units_in_no_candidate_are_not_shown_as_a_candidate(small):
    """report.html listed the `_not_grouped` row of candidates.csv as a candidate ("_not_grouped · not grouped")
    and, when it was the only row, never said that no candidate was found, as report.md does."""
    import dataclasses

    import pandas as pd

    result, _, _ = small
    ids = ";".join(result.tables["units"]["unit_id"][:2])
    rest = {"candidate": "_not_grouped", "label": "ikke grupperet", "terms": "", "n_units": 2, "n_interviews": 1,
            "unit_ids": ids}
    found = {"candidate": "kandidat_01_budget", "label": "budget, bog", "terms": "budget, bog", "n_units": 2,
             "n_interviews": 2, "unit_ids": ids}

    def section(rows):
        run = dataclasses.replace(result, tables=dict(result.tables, candidates=pd.DataFrame(rows)))
        page = render_html(run, build_report_data(run))
        return page[page.index('<section id="candidates"'):page.index("</section>", page.index('<section id="candidates"'))]

    alone = section([rest])
    assert "_not_grouped" not in alone and '<th scope="row">Ikke grupperet</th>' in alone
    assert PAGE["no_candidates"][0] in alone
    both = section([found, rest])
    assert "kandidat_01_budget · budget, bog" in both and PAGE["no_candidates"][0] not in both
    assert "_not_grouped" not in both


def test_the_page_has_report_mds_key_terms_and_plan_by_phase_table(small):
    """report.html had neither step 1's key terms nor the study's participation-per-plan-and-phase table, the two
    sections of report.md a reader turns to first and last."""
    import dataclasses

    import pandas as pd

    from condense.export.report import key_terms_section, plan_matrix_section

    result, _, _ = small
    grid = pd.DataFrame({"deltagelsestype": ["Beboerne bestemte"], "Planlægning": ["Plan1 <b>fed</b> (0,9) · 2 enh."]})
    run = dataclasses.replace(result, plan_matrix=grid, key_terms={"(corpus)": ["budget", "bog"], "int1": ["måned"],
                                                                    "int2": []})
    page = render_html(run, build_report_data(run))
    md = "\n".join(key_terms_section(run, "da") + plan_matrix_section(run, "da"))
    keys = page[page.index('<section id="key_terms"'):page.index('<section id="themes"')]
    assert "<h2 id=\"key_terms-h\">Trin 1 – nøgleord til læsningen</h2>" in keys and "## Trin 1 – nøgleord" in md
    assert "På tværs af alle interview:</strong> budget, bog" in keys
    assert '<th scope="row">int1</th><td>måned</td>' in keys and "int2" not in keys  # as report.md: no empty row
    plans = page[page.index('<section id="plan_matrix"'):]
    plans = plans[:plans.index("</section>")]
    title = "Deltagelsestype pr. fase (én type pr. tilfælde og fase)"
    assert f">{title}</h2>" in plans and f"## {title}" in md
    assert "Hvert tilfælde står i den celle, dets dominerende" in plans
    assert "<td>Plan1 &lt;b&gt;fed&lt;/b&gt; (0,9) · 2 enh.</td>" in plans  # escaped, as every cell
    assert '<a href="#plan_matrix">' in page and '<a href="#key_terms">' in page
    bare = dataclasses.replace(result, plan_matrix=None, key_terms={})
    assert 'id="plan_matrix"' not in render_html(bare, build_report_data(bare))


def test_the_page_says_which_codings_rest_on_the_guide_alone_as_report_md_does(small):
    """report.md's coverage table has a column of codings that rest only on where an answer stands in the guide,
    with the advice to review them first; report.html's table had neither."""
    from condense.export.report import material_section

    result, data, html = small
    md = "\n".join(material_section(result, "da"))
    table = html[html.index('<table class="coverage">'):html.index("</table>", html.index('<table class="coverage">'))]
    assert '<th scope="col">kun ud fra interviewguiden</th>' in table and "kun ud fra interviewguiden" in md
    for row in data.coverage:  # the same "n af m" as report.md's row of the dimension
        assert f"| {row['label']} |" in md and f"| {row['guide_text']} |" in md.split(f"| {row['label']} |")[1]
        assert f'<td class="num">{row["guide_text"]}</td>' in table
    assert "Gennemgå dem først." in html[html.index('<table class="coverage">'):html.index('<h3>')]
