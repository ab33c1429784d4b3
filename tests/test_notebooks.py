"""The notebooks run from a fresh kernel, from a folder outside the repository, and are stored without outputs.

Each notebook is executed once per session; the tests below read its executed outputs. Notebook 02's review
story and notebook 03's blind-coding exercise are checked against what the coder really does.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _patch(path: Path, nb) -> None:
    """Make the executed copy report what the tests check (the stored notebook is not changed)."""
    if path.name.startswith("02_"):
        nb.cells.append(nbformat.v4.new_code_cell(
            'print("CORRECTIONS", corrections.to_json(orient="records", force_ascii=False))'))
    if path.name.startswith("03_"):
        # a student who coded three of the chosen units and left the rest empty
        i = next(i for i, c in enumerate(nb.cells) if c.source.startswith("my_fase = {unit_id: \"\""))
        nb.cells[i].source += '\nfor unit_id in list(my_fase)[:3]:\n    my_fase[unit_id] = "ideudvikling"'
        nb.cells[i].source += '\nprint("STUDENT", json.dumps(sorted(u for u, t in my_fase.items() if t)))'
        nb.cells[i].source = "import json\n" + nb.cells[i].source


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    cache: dict[str, tuple] = {}

    def run(path: Path):
        if path.name not in cache:
            nb = nbformat.read(path, as_version=4)
            _patch(path, nb)
            # The last cell reports the kernel's interpreter: the notebooks must run on this environment's Python.
            nb.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)"))
            folder = tmp_path_factory.mktemp(path.stem)
            client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                             resources={"metadata": {"path": str(folder)}})
            client.execute()  # raises CellExecutionError, with the failing cell and its traceback, on any error
            cache[path.name] = (nb, folder)
        return cache[path.name]

    return run


def _stream(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream")


def test_the_tutorial_notebooks_are_there():
    names = {p.name for p in NOTEBOOKS}
    assert {"01_stc_tutorial.ipynb", "02_new_interview_round.ipynb", "03_exercises.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    stored = [i for i, cell in enumerate(nb.cells)
              if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
    assert not stored, f"{path.name}: clear the outputs and execution counts of cells {stored} before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, executed):
    nb, folder = executed(path)
    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    assert not errors
    prefix = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream").strip()
    assert Path(prefix).resolve() == Path(sys.prefix).resolve(), f"the kernel ran {prefix}, not {sys.prefix}"
    assert not any(folder.iterdir()), "a notebook left files in its working folder"


def test_no_notebook_calls_the_reference_coding_human():
    for path in NOTEBOOKS:
        text = " ".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        text = re.sub(r"\s+", " ", text)
        assert not re.search(r"human reference|a person's coding|one person coded|a human coding", text), path.name


def test_no_markdown_cell_claims_a_miscoding():
    """Claims about what the coder did to a unit are printed by code at run time, never written into the text."""
    from condense.codebook import load_codebook
    from condense.project import data_dir

    theme_ids = {t.id for d in load_codebook(data_dir("codebooks") / "beboerinddragelse.da.yaml").dimensions
                 for t in d.themes}
    for path in NOTEBOOKS:
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type != "markdown":
                continue
            for paragraph in cell.source.split("\n\n"):
                if re.search(r"\d\d_[a-z]+:\d{4}:\d", paragraph):
                    named = {t for t in theme_ids if re.search(rf"\b{t}\b", paragraph)}
                    assert not named, f"{path.name} cell {i} names a unit with a theme ({named}): print it from the run"


def test_notebook_02_corrections_are_what_the_coder_really_proposed(executed):
    """Every unit notebook 02 says the tool got wrong was in fact coded that way by the coder."""
    from condense import ingest, segment
    from condense.codebook import load_codebook
    from condense.coding import Coder
    from condense.project import data_dir

    nb, _ = executed(ROOT / "notebooks" / "02_new_interview_round.ipynb")
    line = next(ln for ln in _stream(nb).splitlines() if ln.startswith("CORRECTIONS "))
    corrections = json.loads(line[len("CORRECTIONS "):])
    assert corrections, "the review found no error of the tool: the story has nothing to correct"

    # The notebook's two transcripts, as its cells write them, coded afresh here.
    source = next(c.source for c in nb.cells if c.cell_type == "code" and "birkelunden = \"\"\"" in c.source)
    texts = dict(re.findall(r'(\w+) = """(.*?)"""', source, re.S))
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "13_birkelunden.txt").write_text(texts["birkelunden"], encoding="utf-8")
        (folder / "14_hyldegaarden.txt").write_text(texts["hyldegaarden"], encoding="utf-8")
        seg = segment(ingest([folder]).transcripts)
    codebook = load_codebook(data_dir("codebooks") / "beboerinddragelse.da.yaml")
    codings = Coder(codebook)(seg.units, seg.questions)
    proposed: dict[tuple[str, str], list] = {}
    for c in sorted(codings, key=lambda c: (-c.score, c.theme)):
        proposed.setdefault((c.unit_id, c.dimension), []).append(c.theme)
    for row in corrections:
        themes = proposed.get((row["unit_id"], row["dimension"]), [])
        said = [] if row["tool proposed"] == "–" else row["tool proposed"].split(", ")
        assert set(said) <= set(themes) and (said or not themes), (row, themes)
        reviewer = set() if row["reviewer reads"] == "–" else set(row["reviewer reads"].split(", "))
        assert set(said) != reviewer, row


def test_exercise_kappa_counts_exactly_the_units_the_student_coded(executed):
    nb, _ = executed(ROOT / "notebooks" / "03_exercises.ipynb")
    text = _stream(nb)
    student = json.loads(next(ln for ln in text.splitlines() if ln.startswith("STUDENT "))[len("STUDENT "):])
    assert len(student) == 3
    assert f"{len(student)} unit(s) coded by you; compared on exactly these units." in text
    tables = [o["data"]["text/plain"] for c in nb.cells if c.cell_type == "code" and "compare_with(my_fase)" in c.source
              for o in c.outputs if o.output_type in ("display_data", "execute_result")]
    counts = re.findall(r"the (?:tool|reference)\s+(\d+)", tables[0])
    assert counts == [str(len(student))] * 2, tables[0]
