"""Commands that print rather than write: ingest, codebook show/export/import."""
from __future__ import annotations

from typer.testing import CliRunner

from condense.cli import app
from conftest import CODEBOOK_DA, SAMPLE

runner = CliRunner()


def test_ingest_shows_each_transcript_with_roles_and_totals():
    result = runner.invoke(app, ["ingest", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "12 transcript(s)" in result.output and "01_solsikkeparken" in result.output
    assert "W109" in result.output  # the withdrawn passage of 11_mosevangen is reported, once
    assert "total" in result.output


def test_codebook_show_prints_the_tree():
    result = runner.invoke(app, ["codebook", "show", str(CODEBOOK_DA)])
    assert result.exit_code == 0, result.output
    assert "fase" in result.output and "single-label" in result.output and "terms" in result.output


def test_codebook_export_then_import_round_trips(tmp_path):
    from condense.codebook import load_codebook

    out = runner.invoke(app, ["codebook", "export", str(CODEBOOK_DA), "--out", str(tmp_path / "cb.qdc")])
    assert out.exit_code == 0, out.output
    back = runner.invoke(app, ["codebook", "import", str(tmp_path / "cb.qdc"), "--out", str(tmp_path / "cb.yaml")])
    assert back.exit_code == 0, back.output
    original, imported = load_codebook(CODEBOOK_DA), load_codebook(tmp_path / "cb.yaml")
    assert [(d.id, [t.id for t in d.themes]) for d in imported.dimensions] == \
        [(d.id, [t.id for t in d.themes]) for d in original.dimensions]


def test_review_export_needs_xlsx_or_csv(tmp_path):
    result = runner.invoke(app, ["review", "export", str(SAMPLE), "--out", str(tmp_path / "sheet.txt")])
    assert result.exit_code == 1 and "[E403]" in result.output and not (tmp_path / "sheet.txt").exists()


def test_segment_rejects_a_bad_mode(tmp_path):
    result = runner.invoke(app, ["segment", str(SAMPLE), "--mode", "paragraph", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "[E403]" in result.output and not (tmp_path / "o").exists()
