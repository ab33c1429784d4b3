"""Round nine of careless hands (h21a): the loose ends rounds 7-8 left (a PDF or .doc under a text name, a unit id
a spreadsheet converted inside decisions.csv itself, a transcript gone between listing and reading, "n't withdrawn"
inside "Isn't withdrawn", names that differ only in capitals or that Windows keeps for devices), then what a
careless and a hostile user gave every command. The tests marked "failed before" failed before their fix."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from condense.errors import CondenseError, Diagnostics

from .helpers import INTERVIEW, in_tmp, invoke, legacy_doc, make_study, refused, snapshot, zip_bytes  # noqa: F401

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


# ---------------------------------------------------------------- 1: a PDF, a .doc, a zip under a text name
@pytest.mark.parametrize("name, data, said, fix", [
    ("interview.txt", PDF, "a PDF document (.pdf) under a .txt name", "condense does not read PDFs"),
    ("interview.md", legacy_doc(), "a Word 97-2003 document or Excel 97-2003 workbook (.doc or .xls) under a .md name",
     "save it as a Word document (.docx)"),
    ("interview.txt", zip_bytes({"a/interview.txt": b"I: Hej?\nR: Hej.\n"}), "a zip archive", "Unzip it"),
    ("interview.docx", PDF, "a PDF document (.pdf) under a .docx name", "condense does not read PDFs"),
])
def test_a_pdf_doc_or_zip_under_a_transcript_name_is_named(in_tmp, name, data, said, fix):
    """Failed before: a PDF saved as interview.txt was read as Windows-1252 (W101) and skipped as having no turns
    (W102), the run going on without the interview; a .doc or a zip was E104 "a binary file, not a transcript"
    with no word of what it was (a .docx that is a PDF too). Now E721 says what the file is and what to give."""
    folder = in_tmp / "t"
    folder.mkdir()
    (folder / name).write_bytes(data)
    (folder / "other.txt").write_text(INTERVIEW.format(id="other", case="A"), encoding="utf-8")
    before = snapshot(in_tmp)
    out = refused(invoke(["ingest", folder]), "E721")
    assert said in out and fix in out and name in out, out
    assert "W102" not in out and snapshot(in_tmp) == before


def test_a_docx_under_a_txt_name_keeps_its_own_message(in_tmp):
    """What E721 said before for an office zip under a text name stays as it was (the new check comes after it)."""
    docx = zip_bytes({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"})
    (in_tmp / "x.txt").write_bytes(docx)
    out = refused(invoke(["ingest", in_tmp / "x.txt"]), "E721")
    assert "a Word document (.docx) under a .txt name" in out


# ---------------------------------------------------------------- 2: a converted unit id in decisions.csv
def test_a_unit_id_a_spreadsheet_made_a_time_in_decisions_csv_says_why_it_did_not_apply(in_tmp):
    """Failed before: decisions.csv opened and saved in Excel holds "1:02:01" where condense wrote "01:0002:1"; the
    row was read, orphaned and reported only as W107 ("match no unit any more"), with no word of why or of how to
    mend the file (a review sheet's such row is E701 at import). W514 names the line, the id and what it became;
    the decision stays in the file."""
    project = make_study(in_tmp / "s")
    decisions = in_tmp / "s" / "decisions.csv"
    text = ("transcript,unit_id,fingerprint,dimension,theme,subtheme,action,coder,note\n"
            "int1,1:02:01,,fase,planlaegning,,add,,\n"
            "int1,2026-01-02,,fase,planlaegning,,add,,\n")
    decisions.write_text(text, encoding="utf-8")
    out = invoke(["run", project], timeout=300).output
    assert "W107" in out, out
    w514 = next(line for line in out.splitlines() if "W514" in line)
    assert "line(s) 2, 3" in w514 and "'1:02:01'" in w514 and "a date or a time" in w514, w514
    assert "Text Import" in out
    assert decisions.read_text(encoding="utf-8") == text


# ---------------------------------------------------------------- 3: gone between listing and reading; a folder
def test_a_transcript_gone_between_listing_and_reading_is_said_so(in_tmp, monkeypatch):
    """Failed before: a file listed in the folder and gone when read (a sync client moving it) was E101 "File not
    found", whose fix said to check the path, which the researcher never typed. Now E728 says it went meanwhile."""
    import importlib

    ingest_module = importlib.import_module("condense.ingest")  # the package (condense.ingest is also the verb)

    folder = in_tmp / "t"
    folder.mkdir()
    for i in (1, 2):
        (folder / f"int{i}.txt").write_text(INTERVIEW.format(id=f"int{i}", case="A"), encoding="utf-8")
    listed = ingest_module.find_transcripts

    def list_then_lose(paths, diagnostics=None):
        files = listed(paths, diagnostics)
        (folder / "int2.txt").unlink()
        return files

    monkeypatch.setattr(ingest_module, "find_transcripts", list_then_lose)
    with pytest.raises(CondenseError) as caught:
        ingest_module.ingest([folder])
    assert caught.value.code == "E728" and "int2.txt" in str(caught.value)
    with pytest.raises(CondenseError) as caught:  # a path given that was never there stays E101
        ingest_module.read_transcript(folder / "never.txt")
    assert caught.value.code == "E101"


def test_a_folder_where_a_transcript_is_read_is_said_to_be_a_folder(in_tmp):
    """Failed before: a folder named like a transcript handed to the reader (a file replaced by a folder of that
    name) was E101 "File not found" although it is there."""
    from condense.ingest import read_transcript

    (in_tmp / "x.txt").mkdir()
    with pytest.raises(CondenseError) as caught:
        read_transcript(in_tmp / "x.txt")
    assert caught.value.code == "E722" and "is a folder" in str(caught.value)


# ---------------------------------------------------------------- 4: W131's negation, whole words
def _docx_with_comment(path: Path, comment: str) -> Path:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def p(text: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    body = (p("I: Hvordan startede det?") + '<w:p><w:r><w:t xml:space="preserve">R: Med en have. </w:t></w:r>'
            '<w:commentRangeStart w:id="3"/><w:r><w:t>Naboen drikker hver dag.</w:t></w:r><w:commentRangeEnd w:id="3"/>'
            '<w:r><w:t xml:space="preserve"> Og kommunen betalte.</w:t></w:r></w:p>' + p("I: Og så?") + p("R: Det gik."))
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {ns}><w:body>{body}</w:body></w:document>")
        z.writestr("word/comments.xml", f'<w:comments {ns}><w:comment w:id="3" w:author="Ane">{p(comment)}'
                                        "</w:comment></w:comments>")
    return path


@pytest.mark.parametrize("comment, said", [
    ("Isn't withdrawn", "Isn't withdrawn"),  # failed before: "n't withdrawn"
    ("It wasn’t withdrawn after all", "wasn’t withdrawn"),  # failed before: "n’t withdrawn"
    ("isnt withdrawn", "isnt withdrawn"),  # failed before: no W131
    ("Cannot be withdrawn", "Cannot be withdrawn"),  # failed before: no W131
    ("not withdrawn", "not withdrawn"),
    ("Parent withdrawn consent", None),  # a word ending in "nt" negates nothing
    ("Withdrawn by the respondent", None),
])
def test_w131_quotes_the_whole_negation_and_only_a_negation(tmp_path, comment, said):
    """W131 matched "n't withdrawn" inside "Isn't withdrawn" (no word start) and quoted half a word; "isnt" and
    "cannot" (typed as one does) were not read as negations. The passage is withheld whatever the comment says."""
    from condense.ingest import ingest

    corpus = ingest([_docx_with_comment(tmp_path / "k.docx", comment)])
    (t,) = corpus.transcripts
    assert t.withdrawn == 1 and "Naboen" not in t.text
    warned = [w.message for w in corpus.diagnostics.warnings if w.code == "W131"]
    if said is None:
        assert warned == []
    else:
        assert len(warned) == 1 and f'("{said}")' in warned[0], warned


# ---------------------------------------------------------------- 5: capitals; Windows device names
def test_two_transcripts_whose_ids_differ_only_in_capitals_are_refused(in_tmp):
    """Failed before: Interview1.txt and interview1.txt were read as two interviews, on Linux; a copy of the folder
    on Windows or macOS holds one of them, and a spreadsheet's pivot table of the outputs takes the two ids for one.
    E106 names both, as it does for two names a Mac would hold as one."""
    folder = in_tmp / "t"
    folder.mkdir()
    text = INTERVIEW.split("---\n", 2)[2]  # no front matter: the ids are the names
    (folder / "Interview1.txt").write_text(text, encoding="utf-8")
    (folder / "interview1.txt").write_text(text.replace("budget", "beløb"), encoding="utf-8")
    before = snapshot(in_tmp)
    out = refused(invoke(["ingest", folder]), "E106")
    assert "Interview1.txt" in out and "interview1.txt" in out and "differ only in capitals" in out, out
    assert snapshot(in_tmp) == before


def test_a_transcript_named_as_a_windows_device_is_warned_of(in_tmp):
    """Failed before: CON.txt was read without a word; Windows takes it for the console (the folder cannot be copied
    there). W133 names it; the study is read as before."""
    from condense.ingest import ingest

    folder = in_tmp / "t"
    folder.mkdir()
    (folder / "CON.txt").write_text(INTERVIEW.split("---\n", 2)[2], encoding="utf-8")
    (folder / "aux.md").write_text(INTERVIEW.format(id="a1", case="A"), encoding="utf-8")
    (folder / "console.txt").write_text(INTERVIEW.format(id="c1", case="A").replace("budget", "beløb"),
                                        encoding="utf-8")
    corpus = ingest([folder])
    assert sorted(t.id for t in corpus.transcripts) == ["CON", "a1", "c1"]
    warned = {w.message.split(":")[0]: str(w) for w in corpus.diagnostics.warnings if w.code == "W133"}
    assert sorted(Path(k).name for k in warned) == ["CON.txt", "aux.md"], warned
    con = next(m for k, m in warned.items() if k.endswith("CON.txt"))
    assert "`id: CON`" in con and "`id:" not in next(m for k, m in warned.items() if k.endswith("aux.md"))


def test_a_qdpx_source_named_as_a_windows_device_is_not_written_under_that_name():
    """Failed before: `condense import qdpx` wrote a source named "CON" as transcripts/CON.txt, which on Windows is
    the console: the transcript was written to no file."""
    from condense.qdpx import _file_id

    taken: set[str] = set()
    assert [_file_id(n, taken) for n in ("CON", "nul.txt", "Lpt1", "Conny")] == ["CON_", "nul_", "Lpt1_", "Conny"]


# ================================================================ part 2: hostile census nine
SHEET = ["enhed (id)", "fingeraftryk", "transskription", "tema_forslag", "tema_beslutning", "tema_tilføj", "koder",
         "note"]


@pytest.mark.parametrize("first_decided", [True, False])
def test_a_unit_id_cell_merged_over_the_next_row_loses_no_decision(tmp_path, first_decided):
    """Failed before: a review sheet whose unit_id cell was merged down over the next row (A8:A9) is read as the
    sheet shows it, the top row's id on both rows. Both rows adding the same theme were one decision (the second
    replaced the first: "1 updated", a decision lost, the kept one under the other unit's id); the second row alone
    decided was stored under the first row's id. The row whose id is another row's, with another text's
    fingerprint, is refused (E701) with what happened."""
    import openpyxl

    from condense.codebook import load_codebook
    from condense.errors import CondenseErrors
    from condense.review import import_review_sheet

    from .helpers import CODEBOOK_DA

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(SHEET)
    ws.append(["01_solsikkeparken:0013:1", "90c635233d910e0c", "01_solsikkeparken", "", "",
               "kompetenceopbygning" if first_decided else "", "", ""])
    ws.append(["01_solsikkeparken:0013:2", "559a9cb8d573ffe3", "01_solsikkeparken", "", "", "kompetenceopbygning",
               "", ""])
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "review.xlsx")
    with pytest.raises(CondenseErrors) as caught:
        import_review_sheet(tmp_path / "review.xlsx", load_codebook(CODEBOOK_DA))
    (error,) = caught.value.errors
    assert error.code == "E701" and "row 3" in str(error) and "is on row 2 too" in str(error), str(error)
    ws.unmerge_cells("A2:A3")
    ws["A3"] = "01_solsikkeparken:0013:2"
    wb.save(tmp_path / "review.xlsx")  # mended: both decisions, each on its own unit
    got = import_review_sheet(tmp_path / "review.xlsx", load_codebook(CODEBOOK_DA))
    assert sorted(d.unit_id for d in got) == (["01_solsikkeparken:0013:1"] if first_decided else []) + [
        "01_solsikkeparken:0013:2"]


@pytest.mark.parametrize("first, second, kind", [("plan", "Plan", "Theme"), ("fase", "FASE", "Dimension")])
def test_ids_that_differ_only_in_capitals_are_refused_in_a_codebook(in_tmp, first, second, kind):
    """Failed before: themes 'plan' and 'Plan' passed `codebook check` (a spreadsheet's lookups and pivot tables of
    themes.csv take them for one); dimensions 'fase' and 'FASE' too, and their review columns fase_tilføj and
    FASE_tilføj met as one (E403 for every sheet, measured). E204 says so at the codebook."""
    dims = [("fase", "plan", "evaluering")] if kind == "Theme" else [("fase", "plan", "evaluering"), ("x", "a", "b")]
    text = "language: da\ndimensions:\n"
    for i, (dim, a, b) in enumerate(dims):
        dim = second if kind == "Dimension" and i == 1 else dim
        b = second if kind == "Theme" else b
        text += (f"  - id: {dim}\n    themes:\n      - id: {a}\n        terms: [planlægning]\n"
                 f"      - id: {b}\n        terms: [evaluering]\n")
    (in_tmp / "codebook.yaml").write_text(text, encoding="utf-8")
    out = refused(invoke(["codebook", "check", "codebook.yaml"]), "E204")
    assert f"{kind} '{second}'" in out and f"'{first}' and '{second}' are one id" in out, out


@pytest.mark.parametrize("encoding, bom", [("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff")])
def test_a_transcript_saved_as_utf32_is_read_as_its_text(tmp_path, encoding, bom):
    """Failed before: UTF-32's mark FF FE 00 00 begins as UTF-16's, so a UTF-32 transcript (little-endian) was read
    as UTF-16 with a NUL after every letter: W701 for thousands of control characters, its front matter lost (no
    id, no case) and its words counted wrong; big-endian was E104. UTF-16 with either mark was and is read."""
    from condense.ingest import ingest

    text = INTERVIEW.format(id="int1", case="Plan1")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "int1.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "int1.txt").write_bytes(bom + text.encode(encoding))
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "int1.txt").write_bytes(text.encode("utf-16"))
    expected = ingest([tmp_path / "a"]).transcripts[0]
    for folder in ("b", "c"):
        corpus = ingest([tmp_path / folder])
        (got,) = corpus.transcripts
        assert (got.id, got.cases, got.text) == (expected.id, expected.cases, expected.text)
        assert "W701" not in {w.code for w in corpus.diagnostics.warnings}


@pytest.mark.parametrize("given, what", [("transcripts/int1.txt", "a transcript"), ("transcripts/cases.csv", "a table"),
                                         ("condense.yaml", "a project file")])
def test_a_transcript_table_or_project_given_as_the_codebook_is_named_for_what_it_is(in_tmp, given, what):
    """Failed before: `--codebook interview.txt` was E201 "line 7: but found another document ... check that the
    file is valid YAML", a cases.csv E205 quoting the table's text whole, condense.yaml an E202 for each of its keys.
    E214 says what the file is and what to give; a codebook saved as .txt with a mistake keeps its own error."""
    make_study(in_tmp)
    before = snapshot(in_tmp)
    out = refused(invoke(["run", "condense.yaml", "--codebook", given, "--out", "out"]), "E214")
    assert f"is {what}, not a condense codebook" in out and "E201" not in out and "E202" not in out, out
    assert "Plan1,Nord" not in out and snapshot(in_tmp) == before
    if what == "a project file":
        assert "`codebook: codebook.yaml`" in out
    (in_tmp / "cb.txt").write_text("language: da\ndimensions:\n  - id: a\n    themes: 5\n", encoding="utf-8")
    refused(invoke(["codebook", "check", "cb.txt"]), "E205")


def test_a_project_whose_transcripts_name_the_project_file_is_told_of_transcripts(in_tmp):
    """Failed before: `transcripts: condense.yaml` was E102 telling the researcher, who had run `condense run
    condense.yaml`, to "give this command the transcripts folder"; it names the `transcripts:` setting now."""
    project = make_study(in_tmp)
    project.write_text(project.read_text(encoding="utf-8").replace("transcripts: transcripts", "transcripts: condense.yaml"),
                       encoding="utf-8")
    out = refused(invoke(["run", "condense.yaml", "--out", "out"]), "E102")
    assert "`transcripts:` in a project file" in out and "never the project file itself" in out, out


def test_codebook_merge_takes_an_id_differing_only_in_capitals_for_a_conflict(in_tmp):
    """Failed before: a candidate 'Kompetenceopbygning' merged beside the codebook's 'kompetenceopbygning' (and a
    candidate dimension 'Tema' beside 'tema') was written as a new theme: a codebook every later command refuses
    (E204). merge reports it as the conflict it is (E209) and writes nothing."""
    from .helpers import CODEBOOK_DA

    (in_tmp / "codebook.yaml").write_bytes(CODEBOOK_DA.read_bytes())
    (in_tmp / "cand.yaml").write_text(
        "language: da\ndimensions:\n  - id: Tema\n    themes:\n      - id: Kompetenceopbygning\n"
        "        label: Noget nyt\n        origin: emergent\n        terms: [noget]\n", encoding="utf-8")
    before = snapshot(in_tmp)
    out = refused(invoke(["codebook", "merge", "codebook.yaml", "cand.yaml", "--out", "merged.yaml"]), "E209")
    assert "Kompetenceopbygning" in out and snapshot(in_tmp) == before


@pytest.mark.parametrize("first, second", [("Planlægning", "PLANLÆGNING"), ("Planlægning", "Planlægning "),
                                           ("Idéudvikling", "Ide\u0301udvikling")])
def test_two_themes_of_one_label_capitals_and_spaces_aside_are_warned_of(in_tmp, first, second):
    """Failed before: themes labelled 'Planlægning' and 'PLANLÆGNING' (or written with another space, or one 'é'
    as one character and the other as two) passed `codebook check` without a word: the tables showed two rows of
    one name, and a review decision written as that label was "unknown theme" (E501, measured). W206 names both."""
    (in_tmp / "codebook.yaml").write_text(
        "language: da\ndimensions:\n  - id: fase\n    themes:\n"
        f"      - id: plan\n        label: \"{first}\"\n        terms: [planlægning]\n"
        f"      - id: eval\n        label: \"{second}\"\n        terms: [evaluering]\n", encoding="utf-8")
    result = invoke(["codebook", "check", "codebook.yaml"])
    assert result.exit_code == 0 and "W206 Themes 'plan' and 'eval' in dimension 'fase' have one label" in result.output, \
        result.output
    from .helpers import CODEBOOK_DA

    assert "W206" not in invoke(["codebook", "check", CODEBOOK_DA]).output


def test_an_empty_folder_named_as_a_transcript_is_said_to_be_a_folder(in_tmp):
    """Failed before: `condense ingest x.txt`, where x.txt is a folder, was E112 "No transcripts found in x.txt",
    with no word that x.txt is a folder and not the transcript the researcher meant."""
    (in_tmp / "x.txt").mkdir()
    out = refused(invoke(["ingest", "x.txt"]), "E112")
    assert "a folder, though its name ends in .txt" in out, out


@pytest.mark.parametrize("given", ["codebook.yaml", "transcripts/int1.txt"])
def test_a_codebook_or_transcript_given_as_decisions_is_said_to_be_no_csv(in_tmp, given):
    """Failed before: `review import sheet.xlsx --decisions codebook.yaml` was E721 "the decisions file is a .csv",
    a statement the researcher reads as being about their codebook; it says the decisions file must be a .csv,
    not the .yaml given. Nothing is written either way."""
    make_study(in_tmp)
    (in_tmp / "sheet.csv").write_text("unit_id,fingerprint,transcript,tema_add\n", encoding="utf-8")
    before = snapshot(in_tmp)
    out = refused(invoke(["review", "import", "sheet.csv", "--decisions", given]), "E721")
    assert f"must be a .csv (condense writes it as text), not a {Path(given).suffix} file" in out, out
    assert snapshot(in_tmp) == before


@pytest.mark.parametrize("written", ["Case", "CASE ", "tilfælde"])
def test_a_case_column_written_otherwise_is_named_in_the_fix(in_tmp, written):
    """Failed before: a cases.csv whose first column is 'Case' (or the review sheet's Danish 'tilfælde') was E109
    "column 'case' is missing" beside that very column; the fix names the column to rename."""
    make_study(in_tmp)
    cases = in_tmp / "transcripts" / "cases.csv"
    cases.write_text(cases.read_text(encoding="utf-8").replace("case,", f"{written},", 1), encoding="utf-8")
    out = refused(invoke(["ingest", "transcripts"]), "E109")
    assert f"rename the column '{written.strip()}' to `case`" in out, out


@pytest.mark.parametrize("option", [["--count-over", "units"], ["--count-over", "foo"], ["--codebook", "other.yaml"]])
def test_an_option_of_coded_data_given_with_a_project_is_refused_not_ignored(in_tmp, option):
    """Failed before: `condense tables --count-over units` on a project's saved codings counted over the project's
    setting (cases) without a word, `--count-over foo` was taken too, and `--codebook other.yaml` re-tabulated with
    the project's codebook: the options are read for coded data only. E408 says so, and nothing is written."""
    project = make_study(in_tmp)
    (in_tmp / "results").mkdir()
    (in_tmp / "results" / "codings.csv").write_text("unit_id,dimension,theme,subtheme,source,score\n", encoding="utf-8")
    before = snapshot(in_tmp)
    out = refused(invoke(["tables", project, "--out", "tabeller", *option]), "E408")
    assert f"{option[0]} is read only for coded data" in out, out
    assert snapshot(in_tmp) == before
