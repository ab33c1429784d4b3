"""Every table a command reads in a guessed encoding warns W101, as cases.csv does: a pseudonyms.csv, a review
sheet, a decisions file given to `review import`, a coding compared by `agree`, a reference coding and a table of
excerpts that Danish Excel saved as Windows-1252 are decoded right, and the researcher is told (h13a)."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from condense.cli import app
from test_pipeline import interview, make_project

runner = CliRunner()

CODING = "unit_id,dimension,theme,coder\nint1:0003:1,fase,evaluering,{coder}\n"


def _cp1252(path, text: str):
    path.write_bytes(text.encode("cp1252"))
    return path


def _project(tmp_path, extra: str = ""):
    return make_project(tmp_path, {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 4)}, extra=extra)


def _pseudonyms(tmp_path):
    project = _project(tmp_path)
    _cp1252(project.parent / "pseudonyms.csv", "real,pseudonym,kind\nSøren Ærø,Maja Lund,person\n")
    return ["run", str(project), "--out", str(tmp_path / "out")], "pseudonyms.csv"


def _reference(tmp_path):
    project = _project(tmp_path, extra="reference: reference.csv\n")
    _cp1252(project.parent / "reference.csv", CODING.format(coder="søren"))
    return ["run", str(project), "--out", str(tmp_path / "out")], "reference.csv"


def _review_sheet(tmp_path):
    project = _project(tmp_path)
    sheet = _cp1252(tmp_path / "review.csv", "unit_id,note\nint1:0003:1,Gåturen i Ærøskøbing\n")
    return ["review", "import", str(sheet), "--decisions", str(tmp_path / "decisions.csv"),
            "--codebook", str(project.parent / "codebook.yaml")], "review.csv"


def _review_decisions(tmp_path):
    project = _project(tmp_path)
    sheet = tmp_path / "review.csv"
    sheet.write_text("unit_id,note\nint1:0003:1,ok\n", encoding="utf-8")
    _cp1252(tmp_path / "decisions.csv", "unit_id,dimension,action,theme,subtheme,note,coder\n"
                                        "int1:0003:1,fase,add,evaluering,,Gåturen tæller,søren\n")
    return ["review", "import", str(sheet), "--decisions", str(tmp_path / "decisions.csv"),
            "--codebook", str(project.parent / "codebook.yaml")], "decisions.csv"


def _agree(tmp_path):
    (tmp_path / "anne.csv").write_text(CODING.format(coder="anne"), encoding="utf-8")
    _cp1252(tmp_path / "soeren.csv", CODING.format(coder="søren"))
    return ["agree", str(tmp_path / "anne.csv"), str(tmp_path / "soeren.csv")], "soeren.csv"


def _excerpts(tmp_path):
    path = _cp1252(tmp_path / "svar.csv", "id,text\na,Vi inddrog beboerne i planlægningen af aktiviteterne, og det "
                                          "gik godt på kontoret i Ærøskøbing.\n")
    return ["code", str(path), "--out", str(tmp_path / "out")], "svar.csv"


@pytest.mark.parametrize("setup", [_pseudonyms, _reference, _review_sheet, _review_decisions, _agree, _excerpts],
                         ids=["pseudonyms", "reference", "review-sheet", "review-decisions", "agree", "excerpts"])
def test_a_table_saved_as_windows_1252_warns_w101_naming_it(tmp_path, setup):
    """Each of these read its table with no diagnostics to warn in: decoded right, but silently."""
    argv, name = setup(tmp_path)
    res = runner.invoke(app, argv)
    assert res.exit_code == 0, res.output
    warned = [line for line in res.output.splitlines() if "W101" in line]
    assert any(name in line for line in warned), res.output


def _warned_of(output: str, name: str) -> bool:
    return any(name in line for line in output.splitlines() if "W101" in line)


@pytest.mark.parametrize("table", ["pseudonyms.csv", "cases.csv"])
def test_audit_warns_w101_for_a_project_table_saved_as_windows_1252(tmp_path, table):
    """`condense audit` reads the project again (its cases.csv, its pseudonyms.csv) and warned of nothing while
    every other command that reads them gave W101 (h14b)."""
    project = _project(tmp_path)
    if table == "pseudonyms.csv":
        _cp1252(project.parent / table, "real,pseudonym,kind\nSøren Ærø,Maja Lund,person\n")
    else:
        _cp1252(project.parent / "transcripts" / table, "case,region\nPlan1,Nørd\nPlan2,Syd\nPlan3,Nørd\n")
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(project), "--out", str(out)]).exit_code == 0
    res = runner.invoke(app, ["audit", str(out), "--project", str(project)])
    assert res.exit_code == 0, res.output
    assert "Consent audit passed" in res.output and _warned_of(res.output, table), res.output


def test_audit_of_tables_from_coded_data_warns_w101_for_the_file_and_its_pseudonyms(tmp_path):
    """`condense audit RESULTS --project CODED.csv` read the coded file and the pseudonyms.csv beside it with no
    diagnostics: `tables` warned W101 for both, the audit of its results for neither."""
    coded = _cp1252(tmp_path / "coded.csv", "Document name,Code,Segment\n"
                                            "Søren Ærø,Gåklub,\"Vi gik tur hver torsdag, og Søren Ærø tog kaffe med.\"\n"
                                            "Lars Berg,Evaluering,Vi talte deltagerne hver gang og skrev det ned.\n")
    _cp1252(tmp_path / "pseudonyms.csv", "real,pseudonym,kind\nSøren Ærø,Maja Lund,person\nLars Berg,Per Hald,person\n")
    out = tmp_path / "out"
    assert runner.invoke(app, ["tables", str(coded), "--out", str(out)]).exit_code == 0
    res = runner.invoke(app, ["audit", str(out), "--project", str(coded)])
    assert res.exit_code == 0, res.output
    assert _warned_of(res.output, "coded.csv") and _warned_of(res.output, "pseudonyms.csv"), res.output


@pytest.mark.parametrize("table", ["pseudonyms.csv", "cases.csv"])
def test_names_warns_w101_for_a_project_table_saved_as_windows_1252(tmp_path, table):
    """`condense names` read cases.csv and pseudonyms.csv and printed no warnings at all (h14b)."""
    project = _project(tmp_path)
    if table == "pseudonyms.csv":
        _cp1252(project.parent / table, "real,pseudonym,kind\nSøren Ærø,Maja Lund,person\n")
    else:
        _cp1252(project.parent / "transcripts" / table, "case,region\nPlan1,Nørd\nPlan2,Syd\nPlan3,Nørd\n")
    res = runner.invoke(app, ["names", str(project)])
    assert res.exit_code == 0, res.output
    assert _warned_of(res.output, table), res.output
