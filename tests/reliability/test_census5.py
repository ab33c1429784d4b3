"""Round five of hostile inputs (h17c): what a careless or unlucky researcher's files did that earlier rounds had
not tried. Each test failed before its fix."""
from __future__ import annotations

from pathlib import Path

from .helpers import in_tmp, invoke, leftovers, make_study, refused, snapshot  # noqa: F401 (in_tmp is a fixture)


def test_a_huge_value_is_named_by_its_start_not_printed_whole(in_tmp):
    """`language:` of 100,000 characters (a paste gone wrong) was printed whole in E407: a 50 MB value made a
    50 MB error line."""
    make_study(in_tmp)
    (in_tmp / "condense.yaml").write_text("transcripts: transcripts\ncodebook: codebook.yaml\nlanguage: "
                                          + "d" * 100_000 + "\n", encoding="utf-8")
    output = refused(invoke(["run", "condense.yaml", "--out", "out"]), "E407")
    assert "line 3" in output and "(100,000 characters)" in output and len(output) < 2_000, len(output)


def test_init_where_a_file_named_transcripts_stands_names_that_file(in_tmp):
    """A file `transcripts` (notes saved without an ending) in the new study folder: E402 named the study
    folder and said "File exists"."""
    (in_tmp / "ny").mkdir()
    (in_tmp / "ny" / "transcripts").write_text("mine noter", encoding="utf-8")
    before = snapshot(in_tmp)
    output = refused(invoke(["init", "ny"]), "E402")
    assert "ny/transcripts" in output and "a file of that name is there, not a folder" in output, output
    assert snapshot(in_tmp) == before and leftovers(in_tmp) == []
    (in_tmp / "notes").write_text("x", encoding="utf-8")
    output = refused(invoke(["init", "notes"]), "E402")
    assert "Study folder notes" in output and "not a folder" in output, output


def _office_zip(part: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<x/>")
    return buffer.getvalue()


def test_a_document_or_workbook_under_a_text_name_is_named_for_what_it_is(in_tmp):
    """A .docx renamed .txt (Windows hides endings) or a workbook saved under a .csv name was E104, "a binary
    file, not a transcript", with "Export the transcript as .txt …", for a decisions file as well."""
    make_study(in_tmp)
    (in_tmp / "transcripts" / "int3.txt").write_bytes(_office_zip("word/document.xml"))
    before = snapshot(in_tmp)
    output = refused(invoke(["segment", "transcripts", "--out", "out"]), "E721")
    assert "int3.txt: this is a Word document (.docx) under a .txt name" in output and "end in .docx" in output, output
    (in_tmp / "transcripts" / "int3.txt").unlink()
    (in_tmp / "decisions.csv").write_bytes(_office_zip("xl/workbook.xml"))
    output = refused(invoke(["run", "condense.yaml", "--out", "out"]), "E721")
    assert "decisions.csv: this is an Excel workbook (.xlsx) under a .csv name" in output, output
    (in_tmp / "a.xlsx").write_text("unit_id;dimension;theme\nint1:0001:1;fase;planlaegning\n", encoding="utf-8")
    output = refused(invoke(["agree", "a.xlsx", "a.xlsx"]), "E503")
    assert "a CSV table?" in output and "rename it to end in .csv" in output, output
    before.pop("transcripts/int3.txt")
    assert {k: v for k, v in snapshot(in_tmp).items() if k in before} == before and leftovers(in_tmp) == []


def test_a_review_sheet_behind_another_sheet_or_below_a_title_row_is_found_and_named(in_tmp):
    """A sheet of instructions put first, or a title typed above the column names: E504 said "no column
    'unit_id' (line 1)" of a workbook whose unit_id column was in plain sight."""
    import openpyxl

    make_study(in_tmp)
    assert invoke(["review", "export", "condense.yaml", "--out", "review.xlsx"]).exit_code == 0
    wb = openpyxl.load_workbook(in_tmp / "review.xlsx")
    wb.create_sheet("Vejledning", 0)["A1"] = "Skriv godkend eller afvis ud for hvert forslag."
    wb.active = 0
    wb.save(in_tmp / "first.xlsx")
    del wb["Vejledning"]
    wb.worksheets[0].insert_rows(1)
    wb.worksheets[0]["A1"] = "Gennemgang, runde 2"
    wb.save(in_tmp / "titled.xlsx")
    before = snapshot(in_tmp)
    output = refused(invoke(["review", "import", "first.xlsx"]), "E403")
    assert "the sheet read, 'Vejledning'" in output and "Move the sheet 'gennemgang' first" in output, output
    output = refused(invoke(["review", "import", "titled.xlsx"]), "E403")
    assert "the column names are on line 2 of the sheet 'gennemgang'" in output and "above line 2" in output, output
    assert snapshot(in_tmp) == before and leftovers(in_tmp) == []


def test_two_files_whose_names_differ_only_in_how_a_letter_is_written_are_told_apart(in_tmp):
    """"Åse.txt" twice, once with "Å" as one character and once as "A" and a ring (copied from a Mac): E106 said
    "'Åse' is used twice: transcripts/Åse.txt and transcripts/Åse.txt", two names that read the same."""
    import unicodedata

    make_study(in_tmp, n=1)
    text = (in_tmp / "transcripts" / "int1.txt").read_text(encoding="utf-8").replace("id: int1\n", "")
    for form in ("NFC", "NFD"):
        (in_tmp / "transcripts" / unicodedata.normalize(form, "Åse.txt")).write_text(text, encoding="utf-8")
    (in_tmp / "transcripts" / "int1.txt").unlink()
    output = refused(invoke(["segment", "transcripts", "--out", "out"]), "E106")
    assert "its letters written another way" in output and "one on a Mac" in output, output


def test_a_windows_path_in_double_quotes_is_named_as_the_backslashes_it_holds(in_tmp):
    """`transcripts: "C:\\Users\\mette\\Interviews"` pasted into condense.yaml: E401 said only "expected escape
    sequence of 8 hexadecimal numbers, but found 's'" and to check the indentation."""
    make_study(in_tmp)
    (in_tmp / "condense.yaml").write_text('codebook: codebook.yaml\ntranscripts: "C:\\Users\\mette\\Interviews"\n',
                                          encoding="utf-8")
    output = refused(invoke(["run", "condense.yaml", "--out", "out"]), "E401")
    assert "line 2" in output and "a backslash inside double quotes starts an escape" in output, output
    assert "put the path in single quotes, or write / for \\" in output, output


def test_a_review_sheet_given_where_decisions_are_read_is_named_a_review_sheet(in_tmp):
    """`condense learn review.xlsx` (or `decisions: review.xlsx` in condense.yaml): E504 said the sheet had no
    column 'unit_id', beside its "enhed (id)" column."""
    make_study(in_tmp)
    assert invoke(["review", "export", "condense.yaml", "--out", "review.xlsx"]).exit_code == 0
    before = snapshot(in_tmp)
    output = refused(invoke(["learn", "review.xlsx", "--out", "model"]), "E517")
    assert "review.xlsx is a review sheet" in output, output
    assert "`condense review import review.xlsx --decisions decisions.csv`, then give decisions.csv where you gave " \
        "the sheet" in output, output
    text = (in_tmp / "condense.yaml").read_text(encoding="utf-8").replace("decisions.csv", "review.xlsx")
    (in_tmp / "condense.yaml").write_text(text, encoding="utf-8")
    before["condense.yaml"] = snapshot(in_tmp)["condense.yaml"]
    refused(invoke(["run", "condense.yaml", "--out", "out"]), "E517")
    assert snapshot(in_tmp) == before and leftovers(in_tmp) == []


def test_a_project_file_given_where_transcripts_are_read_is_named_as_one(in_tmp):
    """`condense segment condense.yaml`: E102 listed the transcript types and nothing of what the file was."""
    make_study(in_tmp)
    for command in (["segment", "condense.yaml", "--out", "out"], ["ingest", "condense.yaml"]):
        output = refused(invoke(command), "E102")
        assert "(a project file or codebook, not a transcript: `condense run condense.yaml` reads a project" in output
    assert "project file" not in refused(invoke(["ingest", "transcripts/cases.pdf"]), "E101")
