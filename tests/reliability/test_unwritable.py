"""A folder the command may not write in is a coded error naming it, with a fix that fits the command; never a
traceback. The tests run as root, whom permissions do not stop, so the folder is made immutable (`chattr +i`,
ext4 and most Linux file systems); where that is not possible they are skipped."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from .helpers import ROOT, invoke

SAMPLE = ROOT / "transcripts_sample"


@pytest.fixture
def locked(tmp_path):
    """An empty folder no one may write in, made writable again afterwards (else it could not be removed)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_names_into_a_folder_that_may_not_be_written_in_is_a_coded_error(locked):
    """`condense names --out locked/names.csv` wrote its own temporary file, and ended in a PermissionError
    traceback."""
    result = invoke(["names", str(SAMPLE), "--out", str(locked / "names.csv")])
    assert "Traceback" not in result.output and not isinstance(result.exception, PermissionError), result.output
    assert result.exit_code == 1 and "[E402]" in result.output and "names.csv" in result.output, result.output
    assert list(locked.iterdir()) == []


def test_init_in_a_folder_that_may_not_be_written_in_names_the_study_folder_not_an_out_option(locked):
    """`condense init` there said 'Output folder … Fix: Choose another --out folder.': init has no --out."""
    result = invoke(["init", str(locked / "study")])
    assert result.exit_code == 1 and "[E402]" in result.output, result.output
    assert "Study folder" in result.output and "--out" not in result.output, result.output
    assert "condense init NEW_FOLDER" in result.output, result.output


def test_a_transcript_removed_or_changed_during_a_run_is_a_warning(tmp_path, monkeypatch):
    """A transcript deleted while the run was going (consent withdrawn, a file tidied away) was in every output,
    and the run said nothing and exited 0; one edited meanwhile, the same. The run still finishes from what it
    read (the results are whole and consistent), with W703 naming each file."""
    import condense.pipeline as pipeline
    from condense.verbs import run

    from .helpers import make_study

    project = make_study(tmp_path, n=3)
    folder = tmp_path / "transcripts"
    real = pipeline.run

    def run_then_tidy(*args, **kwargs):
        result = real(*args, **kwargs)
        (folder / "int2.txt").unlink()
        with (folder / "int3.txt").open("a", encoding="utf-8") as edited:
            edited.write("\nR: Og så en sætning mere, skrevet ind mens kørslen arbejdede.\n")
        return result

    monkeypatch.setattr(pipeline, "run", run_then_tidy)
    from condense.project import resolve_project

    result = run(resolve_project(project), out=tmp_path / "r")
    warned = sorted(w.message for w in result.diagnostics if w.code == "W703")
    assert len(warned) == 2 and "int2.txt was removed" in warned[0] and "int3.txt was changed" in warned[1], warned
    assert "int2" in (tmp_path / "r" / "units.csv").read_text(encoding="utf-8-sig")  # as the run read it

    monkeypatch.setattr(pipeline, "run", real)
    again = run(resolve_project(project), out=tmp_path / "r")
    assert not [w for w in again.diagnostics if w.code == "W703"]


def test_a_decisions_file_or_codebook_changed_during_a_run_is_a_warning_and_the_manifest_keeps_what_was_read(
        tmp_path, monkeypatch):
    """`review import` rewriting decisions.csv while a run was going (or a codebook saved meanwhile): the run
    said nothing, and its manifest hashed decisions.csv as the run ended, so it listed decisions the results do
    not hold. The manifest now records each file as the run began, and W703 names each changed file."""
    import hashlib
    import json

    import condense.pipeline as pipeline
    from condense.project import resolve_project
    from condense.verbs import run

    from .helpers import make_study

    project = resolve_project(make_study(tmp_path, n=3))
    decisions = tmp_path / "decisions_of_mine.csv"
    decisions.write_text("unit_id,dimension,theme,action\n", encoding="utf-8")
    project.decisions = decisions
    began = hashlib.sha256(decisions.read_bytes()).hexdigest()
    codebook = project.codebook  # the study's own copy (make_study)
    real = pipeline.run

    def run_then_edit(*args, **kwargs):
        result = real(*args, **kwargs)
        decisions.write_text("unit_id,dimension,theme,action\nint1:0001:1,fase,evaluering,add\n", encoding="utf-8")
        with codebook.open("a", encoding="utf-8") as edited:
            edited.write("# saved while the run was going\n")
        return result

    monkeypatch.setattr(pipeline, "run", run_then_edit)
    result = run(project, out=tmp_path / "r")
    warned = sorted(w.message for w in result.diagnostics if w.code == "W703")
    assert len(warned) == 2 and "codebook.yaml was changed" in warned[0] and "decisions_of_mine.csv was changed" in warned[1], warned
    inputs = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert inputs["(decisions) decisions_of_mine.csv"] == began
