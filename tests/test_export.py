"""Writing a run: every table as CSV, the workbook, report.md, candidates.yaml and a manifest that lists them."""
from __future__ import annotations

import hashlib
import json

import pytest

from condense.codebook import load_codebook
from condense.pipeline import run, write_results
from condense.project import load_project
from test_pipeline import FILLER, interview, make_project


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    texts = {f"int{i}_x.txt": interview(i, gaaklub=i != 6, extra=[FILLER[i % 3]]) for i in range(1, 7)}
    result = run(load_project(make_project(folder, texts)))
    return result, write_results(result, folder / "out")


def test_every_table_is_a_csv_and_the_manifest_lists_every_file(written):
    result, out = written
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert {f"{name}.csv" for name in result.tables} <= set(names)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == names
    assert manifest["counts"]["units"] == len(result.segmentation.units)
    assert manifest["counts"]["candidates"] == len(result.discovery.groups)
    transcript = out.parent / "transcripts" / "int1_x.txt"
    assert manifest["inputs"]["int1_x.txt"] == hashlib.sha256(transcript.read_bytes()).hexdigest()
    assert (out / "themes.csv").read_bytes().startswith(b"\xef\xbb\xbfdimension,theme,")


def test_workbook_has_the_tables_and_the_grids_but_not_units_coded(written):
    import openpyxl

    result, out = written
    sheets = openpyxl.load_workbook(out / "results.xlsx", read_only=True).sheetnames
    # issue 12: a Danish run's workbook has Danish sheet names
    assert "temaer" in sheets and "tabel fase × deltagelse" in sheets and "units_coded" not in sheets
    assert len(sheets) == len(result.tables) - 1 + len(result.sheets)


def test_report_sections_follow_the_steps(written):
    _, out = written
    report = (out / "report.md").read_text(encoding="utf-8")
    heads = [line for line in report.splitlines() if line.startswith("## ")]
    # step 1 shows key words for reading, not a "total impression" (issue 18 changed the heading on purpose)
    assert heads[:3] == ["## Materiale", "## Trin 1 – nøgleord til læsningen", "## Temaer og undertemaer"]
    assert heads[-2].startswith("## Matrix: Fase × Deltagelse") and heads[-1] == "## Kandidater til nye temaer"
    assert "6 interview · 6 tilfælde" in report  # issue 12: Danish throughout


def test_candidates_file_explains_itself_and_reads_back_as_a_codebook(written):
    _, out = written
    text = (out / "candidates.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Kandidater til nye temaer") and "condense codebook merge" in text
    assert load_codebook(out / "candidates.yaml").dimensions[0].id == "tema"


def test_a_workbook_rendered_beside_is_the_workbook_rendered_here(written, tmp_path, monkeypatch):
    """A large workbook is rendered in a forked process (export.WORKBOOK_BESIDE cells and more): the same
    bytes, written into the run's folder by the run's own process, listed in the manifest."""
    import multiprocessing as mp

    import condense.export
    import condense.parallel
    from condense.export import write_tables

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs fork")
    result, out = written
    monkeypatch.setattr(condense.parallel, "available_jobs", lambda jobs: 2)  # forks even on one core
    monkeypatch.setattr(condense.export, "WORKBOOK_BESIDE", 0)
    files = write_tables(result, tmp_path)
    assert (tmp_path / "results.xlsx").read_bytes() == (out / "results.xlsx").read_bytes()
    assert [p.name for p in files].index("results.xlsx") == len(result.tables)  # after the tables' CSVs
    assert "results.xlsx" in json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["files"]


def test_the_drawing_process_imports_matplotlib_without_writing_setter_docstrings():
    """The prepared figures' process imports matplotlib with ``kwdoc`` answering no text (the docstrings of
    each Artist's ``set``, which it never shows, cost a fifth of the import): inside, no "Properties:" list is
    written; afterwards ``kwdoc`` is matplotlib's own again and a figure draws as before."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import matplotlib\n"
        "from condense.export.figures import _setters_undocumented\n"
        "import matplotlib.artist as artist\n"
        "real = artist.kwdoc\n"
        "with _setters_undocumented():\n"
        "    import matplotlib.lines, matplotlib.figure\n"
        "assert 'Properties:' not in matplotlib.lines.Line2D.set.__doc__, matplotlib.lines.Line2D.set.__doc__\n"
        "assert artist.kwdoc is real\n"
        "assert 'linewidth' in artist.kwdoc(matplotlib.lines.Line2D)\n"
        "print('ok')\n")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root,
                          env={**__import__("os").environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_a_one_core_command_line_run_draws_without_writing_setter_docstrings(tmp_path):
    """Where `condense run` has one core, its own process draws the figures: it imports matplotlib as the
    figures' process does, without the setters' docstrings (0.15-0.2 CPU s of every such run), and the figures
    are written. A library caller's process is not the command line: its matplotlib keeps its docstrings."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from condense._entry import command_line_process
    from conftest import SAMPLE

    assert not command_line_process()  # this test process calls the library
    project = tmp_path / "study"
    project.mkdir()
    shutil.copy(SAMPLE / "04_kastanjegaarden.txt", project)
    seen = tmp_path / "documented.txt"
    code = (
        "import atexit, os, sys\n"
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        "def seen():\n"
        "    import matplotlib.lines\n"
        f"    open({str(seen)!r}, 'w').write(str('Properties:' in (matplotlib.lines.Line2D.set.__doc__ or '')))\n"
        "atexit.register(seen)\n"
        "from condense import init_project\n"
        "init_project('.')\n"
        "sys.argv = ['condense', 'run', '--out', 'results']\n"
        "from condense.cli import main\n"
        "main()\n")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (project / "results" / "figures").iterdir())  # the figures were drawn
    assert seen.read_text(encoding="utf-8") == "False"
