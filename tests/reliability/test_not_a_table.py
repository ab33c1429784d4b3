"""A file of another kind given where a table of codings or decisions is read (`condense agree interview.txt`,
`decisions: cases.csv`): E520 says what the file is and where it goes; a table that only lacks a column stays
E504. All failed before: each was E504 "no column 'unit_id' (line 1)", as if the interview were a table."""
from __future__ import annotations

import pytest

from condense.agreement import read_coding_file
from condense.errors import CondenseError
from condense.io import read_table
from condense.review import read_decisions

from .helpers import INTERVIEW, in_tmp, invoke, make_study, refused, snapshot  # noqa: F401

CODINGS = "unit_id,dimension,theme\nint1:0001:1,tema,mad\n"
VTT = "WEBVTT\n\n00:00:03.500 --> 00:00:14.895\n<v Interviewer>Hej, kan du høre mig?</v>\n\n" \
      "00:00:17.504 --> 00:00:38.363\n<v Hanne>Ja, fint.</v>\n"
SRT = "1\n00:00:01,000 --> 00:00:04,000\nI: Hvordan begyndte det?\n\n2\n00:00:05,000 --> 00:00:09,000\nR: Med et møde.\n"
FILES = {
    "interview.txt": (INTERVIEW.format(id="int9", case="A"), "a transcript", "condense run FOLDER"),
    "interview.md": ("---\ncase: A\n---\nI: Hvordan gik det, og hvem kom?\nR: Godt, vi var mange.\n",
                     "a transcript", "condense run FOLDER"),
    "interview.vtt": (VTT, "a transcript", "condense run FOLDER"),
    "interview.srt": (SRT, "a transcript", "condense run FOLDER"),
    "cases.csv": ("case,region\nPlan A,Nord\n", "the cases table", "cases.csv"),
    "transcripts.csv": ("transcript,cases,language\nint1.txt,Plan A,da\n", "the transcripts table", "transcripts.csv"),
    "codebook.yaml": ("name: x\ndimensions:\n  - id: tema\n    themes: []\n", "a codebook", "--codebook FILE"),
    "condense.yaml": ("transcripts: transcripts\ncodebook: codebook.yaml\n", "a project file",
                      "condense run condense.yaml"),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_agree_given_a_file_of_another_kind_says_what_it_is(in_tmp, name):
    text, what, fix = FILES[name]
    (in_tmp / name).write_text(text, encoding="utf-8")
    (in_tmp / "b.csv").write_text(CODINGS, encoding="utf-8")
    before = snapshot(in_tmp)
    out = " ".join(refused(invoke(["agree", name, "b.csv"]), "E520").split())
    assert f"{name} is {what}" in out and "not a table this command reads" in out and fix in out and "unit_id, dimension, theme" in out, out
    assert snapshot(in_tmp) == before


def test_decisions_and_review_sheets_of_another_kind_are_named_too(in_tmp):
    """The project's decisions file (read by run, learn, review) and `review import`'s sheet go the same way."""
    for name in ("interview.txt", "cases.csv"):
        (in_tmp / name).write_text(FILES[name][0], encoding="utf-8")
        with pytest.raises(CondenseError) as err:
            read_decisions(in_tmp / name)
        assert err.value.code == "E520" and FILES[name][1] in str(err.value)
        with pytest.raises(CondenseError) as err:
            read_coding_file(in_tmp / name)
        assert err.value.code == "E520"


@pytest.mark.parametrize("name, text, column", [
    ("codings.txt", "unit\tdimension\ttheme\nint1:0001:1\ttema\tmad\n", "unit_id"),  # a tab-separated table as .txt
    ("codings.csv", "unit_id,dim,theme\nint1:0001:1,tema,mad\n", "dimension"),
    ("notes.md", "# Noter\n\nVi talte om kaffen og om budgettet.\n", "unit_id"),  # text, but no interview
])
def test_a_table_only_missing_a_column_is_still_told_so(in_tmp, name, text, column):
    (in_tmp / name).write_text(text, encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        read_coding_file(in_tmp / name)
    assert err.value.code == "E504" and f"no column '{column}'" in str(err.value)
    with pytest.raises(CondenseError) as err:
        read_table(in_tmp / name, required=("unit_id", "dimension"))
    assert err.value.code == "E504"


def test_a_project_run_whose_decisions_file_is_the_cases_table_is_refused_by_name(in_tmp):
    project = make_study(in_tmp)
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("decisions: decisions.csv", "decisions: transcripts/cases.csv"), encoding="utf-8")
    out = " ".join(refused(invoke(["run", str(project), "--out", "res"]), "E520").split())
    assert "cases.csv is the cases table" in out and not (in_tmp / "res").exists()


@pytest.mark.parametrize("name", ["cases.csv", "transcripts.csv"])
def test_a_studys_own_table_given_as_the_project_or_as_coded_data_is_named(in_tmp, name):
    """Failed before: `condense discover cases.csv` said "coded data, not a project" and told to make theme tables
    from it; `condense tables cases.csv` told to name its text column."""
    (in_tmp / name).write_text(FILES[name][0], encoding="utf-8")
    what = FILES[name][1]
    for command in (["discover", name], ["run", name, "--out", "res"]):
        out = " ".join(refused(invoke(command), "E401").split())
        assert f"{what} (one row per" in out and "of a study, not a project" in out and "coded data" not in out, out
    out = " ".join(refused(invoke(["tables", name, "--out", "res"]), "E611").split())
    assert f"This is {what}" in out and "not coded data" in out, out
    assert not (in_tmp / "res").exists()


def test_coded_data_with_a_case_column_is_not_taken_for_the_cases_table(in_tmp):
    (in_tmp / "coded.csv").write_text("case,code,note\nPlan A,mad,x\n", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        read_coding_file(in_tmp / "coded.csv")
    assert err.value.code == "E504"
    out = " ".join(refused(invoke(["run", "coded.csv", "--out", "res"]), "E401").split())
    assert "coded data, not a project" in out


@pytest.mark.parametrize("name, what", [("interview.txt", "a transcript"), ("interview.vtt", "a transcript"),
                                        ("cases.csv", "the cases table"), ("codings.csv", "a table")])
def test_a_transcript_or_table_given_as_a_refi_qda_file_is_named(in_tmp, name, what):
    """Failed before: `condense import qdpx interview.txt` (and `codebook import`) said "not well-formed XML (Start
    tag expected, '<' not found, line 1, column 1)"."""
    text = CODINGS if name == "codings.csv" else FILES[name][0]
    (in_tmp / name).write_text(text, encoding="utf-8")
    for command in (["import", "qdpx", name, "--out", "study"], ["codebook", "import", name, "--out", "cb.yaml"]):
        out = " ".join(refused(invoke(command), "E601").split())
        assert f"this is {what}" in out and "not a REFI-QDA project or codebook" in out and "XML" not in out, out
    assert not (in_tmp / "study").exists() and not (in_tmp / "cb.yaml").exists()
