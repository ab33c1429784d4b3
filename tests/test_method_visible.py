"""The method is visible: what rests on guide context, what step 1 is, a project that fits its codebook,
and no file calling the AI-made reference coding human."""
from __future__ import annotations

import re
from pathlib import Path

from test_pipeline import interview, make_project

ROOT = Path(__file__).resolve().parents[1]


def test_report_counts_the_codings_that_rest_on_guide_context_only(tmp_path):
    from condense.export.report import render_report
    from condense.pipeline import run
    from condense.project import load_project

    texts = {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 4)}
    result = run(load_project(make_project(tmp_path, texts)))
    report = render_report(result)
    assert "## Trin 1 – nøgleord til læsningen" in report and "helhedsindtryk:" not in report
    for dim in result.codebook.dimensions:
        mine = [c for c in result.codings if c.dimension == dim.id]
        guide = sum(1 for c in mine if c.source == "rule" and c.evidence.startswith("guide:"))
        assert re.search(rf"\| {re.escape(dim.label)} \|[^\n]*\| {guide} af {len(mine)} \|", report), dim.id


def test_init_writes_a_project_that_names_only_its_codebooks_dimensions(tmp_path):
    from condense.codebook import load_codebook
    from condense.project import load_project
    from condense.verbs import init_project

    project = load_project(init_project(tmp_path / "study"))
    codebook = load_codebook(project.codebook)
    dims = {d.id for d in codebook.dimensions}
    assert project.language == codebook.language
    assert set(project.emergent.get("dimensions") or []) <= dims
    assert {d for pair in project.tables.get("matrices") or [] for d in pair} <= dims


def test_no_file_calls_the_reference_coding_human():
    """The sample's reference coding was made by AI assistants; no file may present it as a person's."""
    pattern = re.compile(r"human\s+reference|a\s+person's\s+coding|one\s+person\s+coded", re.I)
    skip = {"test_notebooks.py", Path(__file__).name}
    found = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if not path.is_file() or parts & {".git", ".venv", "results", "__pycache__", "build", "dist"}:
            continue
        if path.suffix not in (".py", ".md", ".ipynb", ".yaml", ".txt", ".csv") or path.name in skip:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not found
