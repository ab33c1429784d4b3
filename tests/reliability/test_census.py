"""The census: hostile and careless inputs to every command, as a new user or a broken file gives them.

Every row asserts what a researcher relies on: exit status 1, the documented error code in the output,
no traceback, no hang (each row is bounded by an alarm), no temporary folder or lock left behind, and
every file that was in the folder before the command byte-identical afterwards.
"""
from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from .helpers import (CODEBOOK_DA, encrypted_office, fake_results, invoke, leftovers, legacy_doc, make_study, snapshot,
                      zip_bytes, in_tmp)  # noqa: F401 (in_tmp is a fixture)

CASES = []
SMALL_ZIP = {"CONDENSE_MAX_INFLATED_BYTES": "1000000"}


def case(code: str, *, env: dict | None = None):
    def register(fn):
        CASES.append(pytest.param(fn, code, env, id=fn.__name__))
        return fn

    return register


def w(root: Path, name: str, content) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def transcript(body: str = "", *, front: str = "") -> str:
    head = f"---\n{front}---\n" if front else ""
    return head + "I: Hvordan gik det?\n\nR: Det gik godt med beboerne i gården hver uge.\n" + body


def interview_bytes() -> bytes:
    return transcript().encode("utf-8")


def codebook_text(body: str) -> str:
    return "codebook: cb\nlabel: Test\nlanguage: da\n" + body


VALID_DIM = ("dimensions:\n  - id: tema\n    label: Tema\n    multi_label: true\n    themes:\n"
             "      - id: mad\n        label: Mad\n        terms: [mad]\n")


def bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def deep(n: int = 1000) -> str:
    return "x: " + "[" * n + "]" * n + "\n"


# ================================================================= output folders that must not be replaced
@case("E702")
def run_out_is_the_transcripts_folder(root):
    make_study(root)
    return ["run", "condense.yaml", "--out", "transcripts"]


@case("E702")
def segment_out_is_the_current_folder(root):
    make_study(root)
    return ["segment", "transcripts", "--out", "."]


@case("E702")
def segment_out_holds_the_current_folder(root):
    make_study(root / "study")
    os.chdir(root / "study")
    return ["segment", "transcripts", "--out", ".."]


@case("E702")
def run_out_is_the_project_folder(root):
    make_study(root / "study")
    return ["run", "study/condense.yaml", "--out", "study"]


@case("E702")
def run_out_is_the_codebook_file(root):
    make_study(root)
    return ["run", "condense.yaml", "--out", "codebook.yaml"]


@case("E702")
def project_output_is_its_own_folder(root):
    make_study(root / "study", project="")
    text = (root / "study" / "condense.yaml").read_text(encoding="utf-8").replace("output: results", "output: .")
    (root / "study" / "condense.yaml").write_text(text, encoding="utf-8")
    return ["run", "study/condense.yaml"]


@case("E702")
def project_output_is_the_transcripts(root):
    make_study(root)
    text = (root / "condense.yaml").read_text(encoding="utf-8").replace("output: results", "output: transcripts")
    (root / "condense.yaml").write_text(text, encoding="utf-8")
    return ["run", "condense.yaml"]


@case("E702")
def code_out_is_the_transcripts(root):
    make_study(root)
    return ["code", "transcripts", "--out", "transcripts"]


@case("E702")
def code_out_holds_an_input(root):
    make_study(root / "study")
    return ["code", "study/transcripts/int1.txt", "--out", "study"]


@case("E702")
def segment_out_is_a_transcript_file(root):
    make_study(root)
    return ["segment", "transcripts/int1.txt", "--out", "transcripts/int1.txt"]


@case("E708")
def run_out_is_an_existing_file(root):
    make_study(root)
    w(root, "notes.txt", "my notes")
    return ["run", "condense.yaml", "--out", "notes.txt"]


@case("E708")
def segment_out_is_an_existing_csv(root):
    make_study(root)
    w(root, "results.csv", "a,b\n1,2\n")
    return ["segment", "transcripts", "--out", "results.csv"]


@case("E725")
def run_out_holds_a_line_break(root):
    """A name pasted with its line end made a folder "results\n" (and "a\nb"): refused, nothing made."""
    make_study(root)
    return ["run", "condense.yaml", "--out", "results\n"]


@case("E725")
def segment_out_holds_a_tab_in_a_folder_on_the_way(root):
    make_study(root)
    return ["segment", "transcripts", "--out", "new\tfolder/units"]


@case("E725")
def export_qdpx_out_file_holds_an_escape(root):
    make_study(root)
    return ["export", "qdpx", "condense.yaml", "--out", "study\x1b.qdpx"]


@case("E703")
def run_out_is_a_folder_of_the_researchers(root):
    make_study(root)
    w(root, "analysis/memo.docx", b"PK\x03\x04 memo")
    return ["run", "condense.yaml", "--out", "analysis"]


@case("E703")
def run_out_has_a_file_condense_did_not_write(root):
    make_study(root)
    fake_results(root / "results")
    w(root, "results/my_notes.md", "# notes\n")
    return ["run", "condense.yaml"]


@case("E703")
def run_out_has_a_foreign_manifest(root):
    make_study(root)
    w(root, "out/manifest.json", '{"name": "another tool"}')
    w(root, "out/data.csv", "x\n1\n")
    return ["run", "condense.yaml", "--out", "out"]


@case("E703")
def segment_out_has_a_subfolder_of_the_researchers(root):
    make_study(root)
    fake_results(root / "out", kind="segment")
    w(root, "out/drafts/chapter1.md", "text")
    return ["segment", "transcripts", "--out", "out"]


@case("E703")
def code_out_is_the_study_folder_of_another_study(root):
    make_study(root)
    make_study(root / "other")
    return ["code", "transcripts", "--out", "other"]


@case("E703")
def code_out_onto_an_earlier_run(root):
    make_study(root)
    fake_results(root / "results", {f"table{i}.csv": "a\n1\n" for i in range(17)})
    return ["code", "transcripts", "--out", "results"]


@case("E703")
def segment_out_onto_an_earlier_run(root):
    make_study(root)
    fake_results(root / "results")
    return ["segment", "transcripts", "--out", "results"]


@case("E703")
def agree_out_onto_an_earlier_run(root):
    w(root, "a.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    w(root, "b.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    fake_results(root / "results")
    return ["agree", "a.csv", "b.csv", "--out", "results"]


@case("E402")
def out_below_a_file(root):
    make_study(root)
    w(root, "notes.txt", "x")
    return ["segment", "transcripts", "--out", "notes.txt/results"]


@case("E706")
def run_that_reads_no_transcript_keeps_the_results(root):
    w(root, "guide/interviewguide.txt", "Interviewguide\n\nSpørgsmål om planlægning.\nSpørgsmål om evaluering.\n")
    fake_results(root / "results")
    return ["run", "guide", "--out", "results"]


@case("E706")
def segment_that_reads_no_transcript(root):
    w(root, "guide/noter.txt", "Bare noter uden talere.\nEn linje mere.\n")
    fake_results(root / "out", kind="segment")
    return ["segment", "guide", "--out", "out"]


@case("E711")
def run_of_transcripts_that_hold_only_questions_keeps_the_results(root):
    """Transcripts read, no answer in them (a guide's questions with labels, the respondent's turns unlabelled):
    every table was written empty over the last results, exit 0."""
    w(root, "t/onlyq.txt", "I: Hvordan startede det?\nI: Og hvem var med?\nI: Tak for det.\n")
    w(root, "t/monolog.txt", "Vi startede med et stormøde i beboerhuset.\n\nSenere en evaluering.\n")
    fake_results(root / "results")
    return ["run", "t", "--out", "results"]


@case("E711")
def segment_of_transcripts_that_hold_only_questions(root):
    w(root, "t/onlyq.txt", "I: Hvordan startede det?\nI: Og hvem var med?\n")
    fake_results(root / "out", kind="segment")
    return ["segment", "t", "--out", "out"]


@case("E711")
def code_of_transcripts_that_hold_only_questions(root):
    w(root, "t/onlyq.txt", "I: Hvordan startede det?\nI: Og hvem var med?\n")
    return ["code", "t", "--out", "out"]


@case("E706")
def code_that_reads_no_transcript(root):
    w(root, "guide/noter.md", "# Noter\n\nIngen talere her.\n")
    return ["code", "guide", "--out", "out"]


# ================================================================= single files that must not be written over
@case("E704")
def review_export_onto_an_existing_sheet(root):
    make_study(root)
    w(root, "review.xlsx", b"PK\x03\x04 a reviewer's filled sheet")
    return ["review", "export", "condense.yaml", "--out", "review.xlsx"]


@case("E705")
def review_export_onto_the_decisions(root):
    make_study(root)
    w(root, "decisions.csv", "transcript,unit_id,fingerprint,dimension,theme,subtheme,action,coder,note\n")
    return ["review", "export", "condense.yaml", "--out", "decisions.csv"]


@case("E705")
def export_qdpx_onto_a_transcript_even_with_force(root):
    make_study(root)
    return ["export", "qdpx", "condense.yaml", "--out", "transcripts/int1.txt", "--force"]


@case("E705")
def discover_onto_cases_csv_even_with_force(root):
    make_study(root)
    return ["discover", "condense.yaml", "--out", "transcripts/cases.csv", "--force"]


@case("E723")
def discover_into_the_transcript_folder_as_a_new_transcript(root):
    make_study(root)
    return ["discover", "condense.yaml", "--out", "transcripts/candidates.md"]


@case("E709")
def review_export_into_a_missing_folder(root):
    make_study(root)
    return ["review", "export", "condense.yaml", "--out", "missing/review.xlsx"]


@case("E722")
def review_export_onto_a_folder(root):
    make_study(root)
    (root / "sheet.xlsx").mkdir()
    return ["review", "export", "condense.yaml", "--out", "sheet.xlsx"]


@case("E403")
def review_export_as_text(root):
    make_study(root)
    return ["review", "export", "condense.yaml", "--out", "review.txt"]


@case("E705")
def review_import_into_the_sheet_itself(root):
    make_study(root)
    w(root, "review.csv", "unit_id,tema_add\nint1:0001:1,mad\n")
    return ["review", "import", "review.csv", "--decisions", "review.csv", "--codebook", "codebook.yaml"]


@case("E721")
def review_import_into_a_workbook(root):
    make_study(root)
    w(root, "review.csv", "unit_id,tema_add\nint1:0001:1,mad\n")
    w(root, "decisions.xlsx", b"PK\x03\x04 the decisions workbook")
    return ["review", "import", "review.csv", "--decisions", "decisions.xlsx", "--codebook", "codebook.yaml"]


@case("E705")
def codebook_export_onto_its_input(root):
    w(root, "cb.yaml", CODEBOOK_DA.read_bytes())
    return ["codebook", "export", "cb.yaml", "--out", "cb.yaml"]


@case("E704")
def codebook_export_onto_an_existing_qdc(root):
    w(root, "cb.yaml", CODEBOOK_DA.read_bytes())
    w(root, "cb.qdc", "<CodeBook/>")
    return ["codebook", "export", "cb.yaml", "--out", "cb.qdc"]


@case("E709")
def codebook_export_into_a_missing_folder(root):
    w(root, "cb.yaml", CODEBOOK_DA.read_bytes())
    return ["codebook", "export", "cb.yaml", "--out", "nowhere/cb.qdc"]


@case("E704")
def codebook_import_onto_an_existing_codebook(root):
    w(root, "cb.yaml", CODEBOOK_DA.read_bytes())
    assert invoke(["codebook", "export", "cb.yaml", "--out", "cb.qdc"]).exit_code == 0
    return ["codebook", "import", "cb.qdc", "--out", "cb.yaml"]


@case("E705")
def codebook_import_onto_its_input(root):
    w(root, "cb.yaml", CODEBOOK_DA.read_bytes())
    assert invoke(["codebook", "export", "cb.yaml", "--out", "cb.qdc"]).exit_code == 0
    return ["codebook", "import", "cb.qdc", "--out", "cb.qdc"]


@case("E705")
def codebook_merge_onto_the_codebook(root):
    w(root, "cb.yaml", CODEBOOK_DA.read_bytes())
    w(root, "cand.yaml", codebook_text(VALID_DIM.replace("id: tema", "id: nyt")))
    return ["codebook", "merge", "cb.yaml", "cand.yaml", "--out", "cb.yaml"]


@case("E704")
def codebook_merge_onto_another_file(root):
    w(root, "cb.yaml", CODEBOOK_DA.read_bytes())
    w(root, "cand.yaml", codebook_text(VALID_DIM.replace("id: tema", "id: nyt")))
    w(root, "old.yaml", "id: old\n")
    return ["codebook", "merge", "cb.yaml", "cand.yaml", "--out", "old.yaml"]


@case("E705")
def discover_onto_the_codebook(root):
    make_study(root)
    return ["discover", "condense.yaml", "--out", "codebook.yaml"]


@case("E704")
def discover_onto_existing_candidates(root):
    make_study(root)
    w(root, "candidates.yaml", "id: mine\n# edited by hand\n")
    return ["discover", "condense.yaml", "--out", "candidates.yaml"]


@case("E704")
def learn_onto_an_existing_model(root):
    make_study(root)
    w(root, "model/model.json", "{}")
    w(root, "codings.csv", "unit_id,dimension,theme\n")
    return ["learn", "codings.csv", "--project", "condense.yaml", "--out", "model"]


@case("E708")
def agree_out_is_a_file(root):
    w(root, "a.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    w(root, "b.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    w(root, "notes.txt", "my notes\n")
    return ["agree", "a.csv", "b.csv", "--out", "notes.txt"]


@case("E702")
def agree_out_is_an_input(root):
    w(root, "a.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    w(root, "b.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    return ["agree", "a.csv", "b.csv", "--out", "a.csv"]


@case("E703")
def agree_out_is_a_researchers_folder(root):
    w(root, "a.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    w(root, "b.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    w(root, "paper/draft.md", "text")
    return ["agree", "a.csv", "b.csv", "--out", "paper"]


@case("E402")
def init_over_an_existing_project(root):
    make_study(root)
    return ["init", "."]


# ================================================================= transcripts
@case("E716")
def fifo_named_txt(root):
    (root / "t").mkdir()
    os.mkfifo(root / "t" / "pipe.txt")
    return ["ingest", "t/pipe.txt"]


@case("E716")
def fifo_named_txt_run_as_a_project(root):  # one file as a project: its language is read before ingest
    (root / "t").mkdir()
    os.mkfifo(root / "t" / "pipe.txt")
    return ["run", "t/pipe.txt", "--out", "out"]


@case("E716")
def fifo_as_transcripts_csv_of_a_folder_run_without_a_project_file(root):
    make_study(root)
    os.mkfifo(root / "transcripts" / "transcripts.csv")
    return ["run", "transcripts", "--out", "out"]


@case("E508")
def answers_table_with_a_column_named_twice(root):  # the second 'svar' column was dropped unseen
    w(root, "svar.csv", "svar,svar\nVi mødes i fælleshuset hver tirsdag.,Og om torsdagen går vi en tur i parken.\n")
    return ["run", "svar.csv", "--out", "out"]


@case("E508")
def cases_csv_with_a_column_named_twice(root):
    make_study(root)
    w(root, "transcripts/cases.csv", "case,region,region\nPlan1,Nord,Syd\nPlan2,Nord,Syd\n")
    return ["run", "condense.yaml", "--out", "out"]


@case("E503")
def answers_workbook_that_is_not_a_workbook(root):  # it was taken for coded data (E401)
    w(root, "svar.xlsx", b"PK\x03\x04 not a zip")
    return ["run", "svar.xlsx", "--out", "out"]


@case("E107")
def front_matter_tag_without_a_value(root):  # PyYAML's builder raised IndexError: a traceback
    w(root, "t/int1.txt", "---\nid: !!int \n---\nI: Hej?\n\nR: Godt, vi mødes hver tirsdag.\n")
    return ["run", "t/int1.txt", "--out", "out"]


@case("E401")
def project_file_tag_without_a_value(root):
    make_study(root, project="language: !!float \n")
    return ["run", "condense.yaml", "--out", "out"]


@case("E201")
def codebook_tag_without_a_value(root):
    w(root, "cb.yaml", "id: x\nlabel: !!int \ndimensions: []\n")
    return ["codebook", "check", "cb.yaml"]


@case("E716")
def fifo_as_cases_csv(root):
    make_study(root)
    (root / "transcripts" / "cases.csv").unlink()
    os.mkfifo(root / "transcripts" / "cases.csv")
    return ["ingest", "transcripts"]


@case("E716")
def fifo_as_transcripts_csv(root):
    make_study(root)
    os.mkfifo(root / "transcripts" / "transcripts.csv")
    return ["ingest", "transcripts"]


@case("E716")
def device_as_transcript(root):
    (root / "t").mkdir()
    os.symlink("/dev/zero", root / "t" / "zero.txt")
    return ["ingest", "t/zero.txt"]


@case("E717")
def utf16_without_bom(root):
    w(root, "t/int1.txt", transcript().encode("utf-16-le"))
    return ["ingest", "t/int1.txt"]


@case("E717")
def utf16_big_endian_without_bom(root):
    w(root, "t/int1.md", transcript().encode("utf-16-be"))
    return ["ingest", "t/int1.md"]


@case("E718")
def encrypted_docx(root):
    w(root, "t/int1.docx", encrypted_office())
    return ["ingest", "t/int1.docx"]


@case("E111")
def legacy_doc_renamed_docx(root):
    w(root, "t/int1.docx", legacy_doc())
    return ["ingest", "t/int1.docx"]


@case("E712", env=SMALL_ZIP)
def docx_zip_bomb(root):
    body = b"<w:document><w:body>" + b" " * 2_000_000 + b"</w:body></w:document>"
    w(root, "t/int1.docx", zip_bytes({"word/document.xml": body}))
    return ["ingest", "t/int1.docx"]


@case("E104")
def docx_that_is_not_a_zip(root):
    w(root, "t/int1.docx", bytes(range(256)) * 40)
    return ["ingest", "t/int1.docx"]


@case("E111")
def docx_without_document(root):
    w(root, "t/int1.docx", zip_bytes({"word/other.xml": b"<x/>"}))
    return ["ingest", "t/int1.docx"]


@case("E111")
def docx_with_undecodable_xml(root):
    w(root, "t/int1.docx", zip_bytes({"word/document.xml": b"<w:body>\xff\xfe\xfa</w:body>"}))
    return ["ingest", "t/int1.docx"]


@case("E111")
def docx_truncated(root):
    full = zip_bytes({"word/document.xml": b"<w:document><w:body><w:p><w:r><w:t>I: Hej</w:t></w:r></w:p></w:body></w:document>" * 50})
    w(root, "t/int1.docx", full[: len(full) // 2])
    return ["ingest", "t/int1.docx"]


@case("E103")
def empty_transcript(root):
    w(root, "t/int1.txt", "")
    return ["ingest", "t/int1.txt"]


@case("E103")
def whitespace_transcript(root):
    w(root, "t/int1.txt", "  \n\n\t \n")
    return ["ingest", "t/int1.txt"]


@case("E104")
def binary_named_txt(root):
    w(root, "t/int1.txt", b"\x00\x01\x02\x03" * 3000)
    return ["ingest", "t/int1.txt"]


@case("E104")
def png_named_txt(root):
    w(root, "t/int1.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    return ["ingest", "t/int1.txt"]


@case("E105")
def undecodable_bytes(root):
    w(root, "t/int1.txt", "I: Hej\nR: Hej\n".encode() + b"\x81\x8d\x8f\x90\x9d")
    return ["ingest", "t/int1.txt"]


@case("E107")
def front_matter_invalid_yaml(root):
    w(root, "t/int1.txt", transcript(front="id: [unclosed\n"))
    return ["ingest", "t/int1.txt"]


@case("E107")
def front_matter_alias_bomb(root):
    w(root, "t/int1.txt", transcript(front=bomb()))
    return ["ingest", "t/int1.txt"]


@case("E107")
def front_matter_recursive_anchor(root):
    w(root, "t/int1.txt", transcript(front="id: &a [*a]\n"))
    return ["ingest", "t/int1.txt"]


@case("E107")
def front_matter_nested_1000_deep(root):
    w(root, "t/int1.txt", transcript(front=deep()))
    return ["ingest", "t/int1.txt"]


@case("E107")
def front_matter_a_list(root):
    w(root, "t/int1.txt", transcript(front="- a\n- b\n"))
    return ["ingest", "t/int1.txt"]


@case("E108")
def front_matter_unknown_key(root):
    w(root, "t/int1.txt", transcript(front="id: int1\ninterviewr: I\n"))
    return ["ingest", "t/int1.txt"]


@case("E810")
def front_matter_anonymous_yes_please(root):
    w(root, "t/int1.txt", transcript(front="anonymous: yes, please\n"))
    return ["ingest", "t/int1.txt"]


@case("E810")
def front_matter_anonymous_number(root):
    w(root, "t/int1.txt", transcript(front="anonymous: 7\n"))
    return ["ingest", "t/int1.txt"]


@case("E110")
def front_matter_cases_as_mapping(root):
    w(root, "t/int1.txt", transcript(front="cases:\n  Plan1: Nord\n"))
    return ["ingest", "t/int1.txt"]


@case("E110")
def front_matter_id_as_list(root):
    w(root, "t/int1.txt", transcript(front="id: [a, b]\n"))
    return ["ingest", "t/int1.txt"]


@case("E110")
def front_matter_language_unknown(root):
    w(root, "t/int1.txt", transcript(front="language: klingon\n"))
    return ["ingest", "t/int1.txt"]


@case("E110")
def front_matter_kind_unknown(root):
    w(root, "t/int1.txt", transcript(front="kind: podcast\n"))
    return ["ingest", "t/int1.txt"]


@case("E110")
def front_matter_interviewer_labels_mapping(root):
    w(root, "t/int1.txt", transcript(front="interviewer_labels:\n  I: interviewer\n"))
    return ["ingest", "t/int1.txt"]


@case("E113")
def unclosed_withdrawn_marker(root):
    w(root, "t/int1.txt", transcript("\nR: [[withdrawn]] Det her må ikke bruges.\n"))
    return ["ingest", "t/int1.txt"]


@case("E106")
def duplicate_transcript_ids(root):
    w(root, "t/a.txt", transcript(front="id: same\n"))
    w(root, "t/b.txt", transcript(front="id: same\n"))
    return ["ingest", "t"]


@case("E106")
def duplicate_ids_with_rich_markup(root):
    w(root, "t/a.txt", transcript(front="id: '[/]x[bold'\n"))
    w(root, "t/b.txt", transcript(front="id: '[/]x[bold'\n"))
    return ["ingest", "t"]


@case("E103")
def rich_markup_in_a_file_name(root):
    w(root, "t/[/]int[red]1.txt", "")
    return ["ingest", "t/[/]int[red]1.txt"]


@case("E101")
def rich_markup_in_a_missing_path(root):
    return ["ingest", "[/]nothing[/].txt"]


@case("E115")
def transcripts_csv_names_a_missing_file(root):
    make_study(root)
    w(root, "transcripts/transcripts.csv", "transcript,id\nint9.txt,int9\n")
    return ["ingest", "transcripts"]


@case("E109")
def transcripts_csv_without_transcript_column(root):
    make_study(root)
    w(root, "transcripts/transcripts.csv", "file,id\nint1.txt,int1\n")
    return ["ingest", "transcripts"]


@case("E720")
def transcripts_csv_duplicate_rows(root):
    make_study(root)
    w(root, "transcripts/transcripts.csv", "transcript,id\nint1.txt,a\nint1.txt,b\n")
    return ["ingest", "transcripts"]


@case("E720")
def cases_csv_duplicate_rows(root):
    make_study(root)
    w(root, "transcripts/cases.csv", "case,region\nPlan1,Nord\nPlan1,Syd\n")
    return ["ingest", "transcripts"]


@case("E720")
def cases_csv_cases_differing_only_in_capitals(root):
    """"Plan1" and "plan1" were two cases (two rows of every crosstab) that a spreadsheet takes for one."""
    make_study(root)
    w(root, "transcripts/cases.csv", "case,region\nPlan1,Nord\nplan1,Nord\n")
    return ["ingest", "transcripts"]


@case("E109")
def cases_csv_without_case_column(root):
    make_study(root)
    w(root, "transcripts/cases.csv", "plan,region\nPlan1,Nord\n")
    return ["ingest", "transcripts"]


@case("E715")
def transcripts_csv_oversized_field(root):
    make_study(root)
    w(root, "transcripts/transcripts.csv", 'transcript,id\nint1.txt,"' + "x" * 1_100_000 + '\n')
    return ["ingest", "transcripts"]


@case("E715")
def cases_csv_unclosed_quote(root):
    make_study(root)
    w(root, "transcripts/cases.csv", 'case,region\nPlan1,"Nord\n' + "Plan2,Syd\n" * 120_000)
    return ["ingest", "transcripts"]


@case("E717")
def transcripts_csv_utf16_without_bom(root):
    make_study(root)
    w(root, "transcripts/transcripts.csv", "transcript,id\nint1.txt,a\n".encode("utf-16-le"))
    return ["ingest", "transcripts"]


@case("E110")
def transcripts_csv_bad_language(root):
    make_study(root)
    w(root, "transcripts/transcripts.csv", "transcript,language\nint1.txt,fr\n")
    return ["ingest", "transcripts"]


@case("E714")
def turn_without_any_place_to_split(root):
    w(root, "t/int1.txt", "I: Hvordan?\n\nR: " + "x" * 150_000 + "\n")
    return ["segment", "t", "--out", "out"]


@case("E101")
def missing_transcript(root):
    return ["ingest", "nothing.txt"]


@case("E102")
def unsupported_type(root):
    w(root, "int1.pdf", b"%PDF-1.4")
    return ["ingest", "int1.pdf"]


@case("E112")
def folder_without_transcripts(root):
    w(root, "t/notes.csv", "a\n")
    return ["ingest", "t"]


@case("E112")
def folder_named_like_a_transcript(root):
    (root / "int1.txt").mkdir()
    return ["ingest", "int1.txt"]


@case("E103")
def empty_subtitles(root):
    w(root, "t/int1.vtt", "\n\n")
    return ["ingest", "t/int1.vtt"]


@case("E104")
def binary_subtitles(root):
    w(root, "t/int1.srt", bytes(range(256)) * 20)
    return ["ingest", "t/int1.srt"]


# ================================================================= codebooks
@case("E201")
def codebook_is_a_folder(root):
    (root / "cb.yaml").mkdir()
    return ["codebook", "check", "cb.yaml"]


@case("E201")
def codebook_missing(root):
    return ["codebook", "check", "cb.yaml"]


@case("E201")
def codebook_invalid_yaml(root):
    w(root, "cb.yaml", "id: [x\nlabel: y\n")
    return ["codebook", "check", "cb.yaml"]


@case("E201")
def codebook_alias_bomb(root):
    w(root, "cb.yaml", codebook_text(VALID_DIM) + bomb())
    return ["codebook", "check", "cb.yaml"]


@case("E201")
def codebook_recursive_anchor(root):
    w(root, "cb.yaml", codebook_text("dimensions: &d\n  - id: tema\n    label: Tema\n    themes: *d\n"))
    return ["codebook", "check", "cb.yaml"]


@case("E201")
def codebook_with_a_python_tag(root):  # found by the fuzz run: a tag YAML cannot build
    w(root, "cb.yaml", codebook_text(VALID_DIM) + "notes: !!python/name:os.system\n")
    return ["codebook", "check", "cb.yaml"]


@case("E201")
def codebook_with_an_unknown_tag(root):
    w(root, "cb.yaml", "!a\n")
    return ["codebook", "check", "cb.yaml"]


@case("E201")
def codebook_nested_1000_deep(root):
    w(root, "cb.yaml", codebook_text(VALID_DIM) + deep())
    return ["codebook", "check", "cb.yaml"]


@case("E105")
def codebook_not_utf8(root):
    w(root, "cb.yaml", codebook_text(VALID_DIM).encode("utf-8") + b"\xff\xfe\x81")
    return ["codebook", "check", "cb.yaml"]


@case("E717")
def codebook_utf16_without_bom(root):
    w(root, "cb.yaml", codebook_text(VALID_DIM).encode("utf-16-le"))
    return ["codebook", "check", "cb.yaml"]


@case("E716")
def codebook_fifo(root):
    os.mkfifo(root / "cb.yaml")
    return ["codebook", "check", "cb.yaml"]


@case("E205")
def codebook_wrong_type(root):
    w(root, "cb.yaml", codebook_text(VALID_DIM.replace("multi_label: true", "multi_label: [yes]")))
    return ["codebook", "check", "cb.yaml"]


@case("E202")
def codebook_unknown_key(root):
    w(root, "cb.yaml", codebook_text(VALID_DIM.replace("terms: [mad]", "terms: [mad]\n        trems: [x]")))
    return ["codebook", "check", "cb.yaml"]


@case("E211")
def codebook_key_twice(root):
    w(root, "cb.yaml", codebook_text(VALID_DIM.replace("terms: [mad]", "terms: [mad]\n        terms: [kage]")))
    return ["codebook", "check", "cb.yaml"]


@case("E401")
def project_key_twice(root):
    w(root, "condense.yaml", "transcripts: .\njobs: 1\njobs: 2\n")
    return ["run", "condense.yaml", "--out", "out"]


@case("E204")
def codebook_duplicate_theme(root):
    w(root, "cb.yaml", codebook_text(VALID_DIM + "      - id: mad\n        label: Mad igen\n        terms: [kage]\n"))
    return ["codebook", "check", "cb.yaml"]


@case("E210")
def codebook_without_dimensions(root):
    w(root, "cb.yaml", "codebook: cb\nlabel: x\nlanguage: da\ndimensions: []\n")
    return ["codebook", "check", "cb.yaml"]


@case("E210")
def codebook_empty(root):
    w(root, "cb.yaml", "# nothing\n")
    return ["codebook", "check", "cb.yaml"]


@case("E207")
def codebook_markup_in_an_id(root):
    w(root, "cb.yaml", codebook_text(VALID_DIM.replace("id: mad", "id: '[/]mad[bold'")))
    return ["codebook", "check", "cb.yaml"]


@case("E201")
def codebook_show_is_a_folder(root):
    (root / "cb").mkdir()
    return ["codebook", "show", "cb"]


@case("E201")
def run_with_a_codebook_that_is_a_folder(root):
    make_study(root)
    (root / "codebook.yaml").unlink()
    (root / "codebook.yaml").mkdir()
    return ["run", "condense.yaml"]


@case("E201")
def code_with_a_codebook_that_is_a_folder(root):
    make_study(root)
    (root / "cbdir").mkdir()
    return ["code", "transcripts", "--codebook", "cbdir", "--out", "out"]


# ================================================================= project files
def project(root: Path, extra: str) -> list[str]:
    make_study(root, project=extra)
    return ["run", "condense.yaml"]


@case("E401")
def project_invalid_yaml(root):
    make_study(root)
    w(root, "condense.yaml", "transcripts: [transcripts\n")
    return ["run", "condense.yaml"]


@case("E401")
def project_unknown_key(root):
    return project(root, "segmentaton: {mode: turn}\n")


@case("E407")
def project_unknown_language(root):
    return project(root, "language: 5\n")


@case("E401")
def project_alias_bomb(root):
    make_study(root)
    w(root, "condense.yaml", "transcripts: transcripts\n" + bomb().replace("a0:", "name:", 1))
    return ["run", "condense.yaml"]


@case("E401")
def project_nested_1000_deep(root):
    make_study(root)
    w(root, "condense.yaml", "transcripts: transcripts\ndescription: " + "[" * 1000 + "]" * 1000 + "\n")
    return ["run", "condense.yaml"]


@case("E401")
def project_a_list(root):
    make_study(root)
    w(root, "condense.yaml", "- transcripts\n")
    return ["run", "condense.yaml"]


@case("E406")
def project_segmentation_a_list(root):
    return project(root, "segmentation: [window]\n")


@case("E406")
def project_max_words_not_a_number(root):
    return project(root, "segmentation:\n  max_words: many\n")


@case("E406")
def project_max_groups_not_a_number(root):
    return project(root, "emergent:\n  max_groups: lots\n")


@case("E406")
def project_threshold_not_a_number(root):
    return project(root, "coding:\n  threshold: high\n")


@case("E406")
def project_transcripts_a_mapping(root):
    make_study(root)
    w(root, "condense.yaml", "transcripts:\n  folder: transcripts\n")
    return ["run", "condense.yaml"]


@case("E406")
def project_interviewer_labels_a_mapping(root):
    return project(root, "interviewer_labels:\n  I: interviewer\n")


@case("E406")
def project_output_a_list(root):
    make_study(root)
    w(root, "condense.yaml", "transcripts: transcripts\ncodebook: codebook.yaml\noutput: [a, b]\n")
    return ["run", "condense.yaml"]


@case("E716")
def project_file_fifo(root):
    os.mkfifo(root / "condense.yaml")
    return ["run", "condense.yaml"]


@case("E101")
def project_transcripts_missing(root):
    make_study(root)
    w(root, "condense.yaml", "transcripts: interviews\ncodebook: codebook.yaml\n")
    return ["run", "condense.yaml"]


@case("E407")
def project_unknown_segmentation_mode(root):
    return project(root, "segmentation:\n  mode: paragraph\n")


# ================================================================= decisions and review sheets
DECISIONS_HEADER = "transcript,unit_id,fingerprint,dimension,theme,subtheme,action,coder,note\n"


@case("E505")
def decisions_bad_action(root):
    make_study(root)
    w(root, "decisions.csv", DECISIONS_HEADER + "int1,int1:0001:1,,tema,mad,,maybe,AB,\n")
    return ["run", "condense.yaml"]


@case("E516")
def decisions_fingerprint_made_a_number(root):
    make_study(root)
    w(root, "decisions.csv", DECISIONS_HEADER + "int1,int1:0001:1,1.23457E+15,tema,mad,,add,AB,\n")
    return ["run", "condense.yaml"]


@case("E501")
def decisions_unknown_theme(root):
    make_study(root)
    w(root, "decisions.csv", DECISIONS_HEADER + "int1,int1:0001:1,,tema,kaffe,,add,AB,\n")
    return ["run", "condense.yaml"]


@case("E502")
def decisions_unknown_dimension(root):
    make_study(root)
    w(root, "decisions.csv", DECISIONS_HEADER + "int1,int1:0001:1,,emne,mad,,add,AB,\n")
    return ["run", "condense.yaml"]


@case("E504")
def decisions_missing_column(root):
    make_study(root)
    w(root, "decisions.csv", "unit,dimension,theme\nint1:0001:1,tema,mad\n")
    return ["run", "condense.yaml"]


@case("E715")
def decisions_oversized_field(root):
    make_study(root)
    w(root, "decisions.csv", DECISIONS_HEADER + 'int1,int1:0001:1,,tema,mad,,add,AB,"' + "x" * 1_100_000 + "\n")
    return ["run", "condense.yaml"]


@case("E717")
def decisions_utf16_without_bom(root):
    make_study(root)
    w(root, "decisions.csv", (DECISIONS_HEADER + "int1,int1:0001:1,,tema,mad,,add,AB,\n").encode("utf-16-le"))
    return ["run", "condense.yaml"]


@case("E104")
def decisions_binary(root):
    make_study(root)
    w(root, "decisions.csv", b"\x00\x01\x02" * 4000)
    return ["run", "condense.yaml"]


@case("E716")
def decisions_fifo(root):
    make_study(root)
    os.mkfifo(root / "decisions.csv")
    return ["run", "condense.yaml"]


def review_sheet(root: Path, rows: str, header: str = "unit_id,transcript,tema_suggested,tema_decision,tema_add,coder\n") -> list[str]:
    make_study(root)
    w(root, "review.csv", header + rows)
    w(root, "decisions.csv", DECISIONS_HEADER + "int1,int1:0001:1,,tema,mad,,add,AB,\n")
    return ["review", "import", "review.csv", "--decisions", "decisions.csv", "--codebook", "codebook.yaml"]


@case("E701")
def review_import_blank_unit_id(root):
    return review_sheet(root, ",int1,,,mad,AB\n")


@case("E701")
def review_import_formula_unit_id(root):
    return review_sheet(root, "=A2,int1,,,mad,AB\n")


@case("E701")
def review_import_edited_unit_id(root):
    return review_sheet(root, "interview one,int1,,,mad,AB\n")


@case("E701")
def review_import_id_of_another_transcript(root):
    return review_sheet(root, "int2:0001:1,int1,,,mad,AB\n")


@case("E701")
def review_import_unit_not_in_the_project(root):
    args = review_sheet(root, "int1:0099:1,int1,,,mad,AB\n")
    return args + ["--project", "condense.yaml"]


@case("E501")
def review_import_unknown_theme(root):
    return review_sheet(root, "int1:0001:1,int1,,,madd,AB\n")


@case("E505")
def review_import_bad_decision(root):
    return review_sheet(root, "int1:0001:1,int1,mad,perhaps,,AB\n")


@case("E101")
def review_import_missing_sheet(root):
    make_study(root)
    return ["review", "import", "nothing.xlsx", "--decisions", "decisions.csv", "--codebook", "codebook.yaml"]


@case("E503")
def review_import_junk_workbook(root):
    make_study(root)
    w(root, "review.xlsx", b"PK\x03\x04 this is not a workbook")
    return ["review", "import", "review.xlsx", "--decisions", "decisions.csv", "--codebook", "codebook.yaml"]


@case("E712", env=SMALL_ZIP)
def review_import_workbook_zip_bomb(root):
    make_study(root)
    w(root, "review.xlsx", zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b" " * 2_000_000}))
    return ["review", "import", "review.xlsx", "--decisions", "decisions.csv", "--codebook", "codebook.yaml"]


@case("E718")
def review_import_encrypted_workbook(root):
    make_study(root)
    w(root, "review.xlsx", encrypted_office())
    return ["review", "import", "review.xlsx", "--decisions", "decisions.csv", "--codebook", "codebook.yaml"]


@case("E715")
def review_import_oversized_field(root):
    return review_sheet(root, 'int1:0001:1,int1,,,"' + "x" * 1_100_000 + "\n")


@case("E504")
def review_import_without_unit_id(root):
    return review_sheet(root, "x,int1,,,mad,AB\n", header="unit,transcript,tema_suggested,tema_decision,tema_add,coder\n")


# ================================================================= excerpt tables (code) and agreement
@case("E301")
def excerpts_without_text_column(root):
    w(root, "answers.csv", "id,note\n1,Vi spiste mad sammen\n")
    return ["code", "answers.csv", "--out", "out"]


@case("E302")
def excerpts_duplicate_ids(root):
    w(root, "answers.csv", "id,text\n1,Vi spiste mad sammen\n1,Vi gik en tur\n")
    return ["code", "answers.csv", "--out", "out"]


@case("E715")
def excerpts_oversized_field(root):
    w(root, "answers.csv", 'id,text\n1,"' + "mad " * 300_000 + "\n")
    return ["code", "answers.csv", "--out", "out"]


@case("E718")
def excerpts_encrypted_workbook(root):
    w(root, "answers.xlsx", encrypted_office())
    return ["code", "answers.xlsx", "--out", "out"]


@case("E503")
def excerpts_junk_workbook(root):
    w(root, "answers.xlsx", b"not a workbook at all")
    return ["code", "answers.xlsx", "--out", "out"]


@case("E717")
def excerpts_utf16_without_bom(root):
    w(root, "answers.csv", "id,text\n1,Vi spiste mad sammen\n".encode("utf-16-le"))
    return ["code", "answers.csv", "--out", "out"]


@case("E716")
def excerpts_fifo(root):
    os.mkfifo(root / "answers.csv")
    return ["code", "answers.csv", "--out", "out"]


@case("E101")
def agree_missing_file(root):
    w(root, "a.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    return ["agree", "a.csv", "b.csv"]


@case("E504")
def agree_missing_column(root):
    w(root, "a.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    w(root, "b.csv", "unit,dim\nu1,tema\n")
    return ["agree", "a.csv", "b.csv"]


@case("E518")
def agree_public_and_real_ids_of_an_anonymous_interview(root):
    w(root, "a.csv", "unit_id,dimension,theme\nanonym-01:0003:1,tema,mad\nint1:0003:1,tema,mad\n")
    w(root, "b.csv", "unit_id,dimension,theme\n07_solbakken:0003:1,tema,mad\nint1:0003:1,tema,mad\n")
    return ["agree", "a.csv", "b.csv"]


@case("E715")
def agree_oversized_field(root):
    w(root, "a.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    w(root, "b.csv", 'unit_id,dimension,theme\nu1,tema,"' + "x" * 1_100_000 + "\n")
    return ["agree", "a.csv", "b.csv"]


@case("E717")
def agree_utf16_without_bom(root):
    w(root, "a.csv", "unit_id,dimension,theme\nu1,tema,mad\n")
    w(root, "b.csv", "unit_id,dimension,theme\nu1,tema,mad\n".encode("utf-16-le"))
    return ["agree", "a.csv", "b.csv"]


# ================================================================= models
class Payload:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


@case("E710")  # issue 17: a pickle is named as such (deliberate change from E303)
def code_with_a_pickled_model(root):
    w(root, "model/model.pkl", pickle.dumps(Payload()))
    w(root, "t/int1.txt", transcript())
    return ["code", "t", "--model", "model", "--out", "out"]


@case("E710")  # issue 17: a pickle is named as such (deliberate change from E303)
def code_with_a_pickle_file_as_model(root):
    w(root, "model.pkl", pickle.dumps(Payload()))
    w(root, "t/int1.txt", transcript())
    return ["code", "t", "--model", "model.pkl", "--out", "out"]


@case("E710")  # issue 17: a pickle is named as such (deliberate change from E303)
def project_with_a_pickled_model(root):
    w(root, "model/model.pkl", pickle.dumps(Payload()))
    return project(root, "model: model\n")


@case("E303")
def code_with_a_missing_model(root):
    w(root, "t/int1.txt", transcript())
    return ["code", "t", "--model", "nomodel", "--out", "out"]


@case("E303")
def code_with_a_model_of_junk(root):
    w(root, "model/model.json", "{not json")
    w(root, "model/model.npz", b"PK junk")
    w(root, "t/int1.txt", transcript())
    return ["code", "t", "--model", "model", "--out", "out"]


# ================================================================= REFI-QDA
@case("E601")
def qdc_of_junk(root):
    w(root, "cb.qdc", "<<< not xml")
    return ["codebook", "import", "cb.qdc", "--out", "cb.yaml"]


@case("E601")
def qdpx_not_a_zip(root):
    w(root, "p.qdpx", b"\x00\x01 junk" * 100)
    return ["codebook", "import", "p.qdpx", "--out", "cb.yaml"]


@case("E712", env=SMALL_ZIP)
def qdpx_zip_bomb(root):
    w(root, "p.qdpx", zip_bytes({"project.qde": b"<Project>" + b" " * 2_000_000 + b"</Project>"}))
    return ["codebook", "import", "p.qdpx", "--out", "cb.yaml"]


def qde(head: str = "", text: str = "R: Det gik godt med maden.", path: str = "") -> bytes:
    """A small project.qde: one code, one source (its text inline, or at ``path`` in the archive), one coding;
    ``head`` goes before the root (a DOCTYPE), ``text`` may hold entity references."""
    source = (f'<TextSource guid="22222222-2222-2222-2222-222222222222" name="int1" plainTextPath="{path}">' if path else
              f'<TextSource guid="22222222-2222-2222-2222-222222222222" name="int1"><PlainTextContent>{text}'
              '</PlainTextContent>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{head}<Project xmlns="urn:QDA-XML:project:1.0" name="P"><CodeBook>'
            '<Codes><Code guid="11111111-1111-1111-1111-111111111111" name="Mad" isCodable="true"/></Codes></CodeBook>'
            f'<Sources>{source}<PlainTextSelection guid="33333333-3333-3333-3333-333333333333" startPosition="3" '
            'endPosition="6"><Coding guid="44444444-4444-4444-4444-444444444444"><CodeRef '
            'targetGUID="11111111-1111-1111-1111-111111111111"/></Coding></PlainTextSelection></TextSource></Sources>'
            '</Project>').encode("utf-8")


def symlink_zip(name: str, target: str, others: dict[str, bytes]) -> bytes:
    """A zip whose member ``name`` is a symbolic link to ``target`` (as `zip --symlinks` stores one)."""
    import io
    import stat
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for member, data in others.items():
            z.writestr(member, data)
        info = zipfile.ZipInfo(name)
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(info, target)
    return buffer.getvalue()


XXE = '<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = ('<!DOCTYPE Project [<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">'
                                                           for i in range(1, 10)) + "]>\n")


@case("E601")
def qdpx_external_entity_in_a_source_text(root):
    # read before: exit 0, the transcript said "R: Det gik &xxe; …" (nothing read, but an entity left as text)
    w(root, "p.qdpx", zip_bytes({"project.qde": qde(XXE, "R: Det &xxe; gik godt med maden.")}))
    return ["import", "qdpx", "p.qdpx", "--out", "out"]


@case("E601")
def qdpx_external_entity_in_the_tables(root):
    w(root, "p.qdpx", zip_bytes({"project.qde": qde(XXE, "R: Det &xxe; gik godt med maden.")}))
    return ["tables", "p.qdpx", "--out", "out"]


@case("E601")
def qdpx_external_parameter_entity(root):
    w(root, "p.qdpx", zip_bytes({"project.qde": qde('<!DOCTYPE Project [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n')}))
    return ["codebook", "import", "p.qdpx", "--out", "cb.yaml"]


@case("E601")
def qdpx_external_dtd(root):
    w(root, "p.qdpx", zip_bytes({"project.qde": qde('<!DOCTYPE Project SYSTEM "http://127.0.0.1:9/x.dtd">\n')}))
    return ["import", "qdpx", "p.qdpx", "--out", "out"]


@case("E601")
def qdpx_internal_entity(root):
    # read before: exit 0 with '&by;' where the text said a place
    w(root, "p.qdpx", zip_bytes({"project.qde": qde('<!DOCTYPE Project [<!ENTITY by "Aarhus">]>\n', "R: I &by; gik det godt.")}))
    return ["tables", "p.qdpx", "--out", "out"]


@case("E601")
def qdpx_billion_laughs(root):
    w(root, "p.qdpx", zip_bytes({"project.qde": qde(LAUGHS, "R: Det &l9; gik godt med maden.")}))
    return ["import", "qdpx", "p.qdpx", "--out", "out"]


@case("E601")
def qdpx_member_climbing_out_of_the_archive(root):
    w(root, "p.qdpx", zip_bytes({"project.qde": qde(path="internal://../../x.txt"), "../../x.txt": interview_bytes()}))
    return ["import", "qdpx", "p.qdpx", "--out", "out"]


@case("E601")
def qdpx_member_with_an_absolute_path(root):
    w(root, "p.qdpx", zip_bytes({"project.qde": qde(path="/etc/passwd"), "/etc/passwd": interview_bytes()}))
    return ["tables", "p.qdpx", "--out", "out"]


@case("E601")
def qdpx_member_that_is_a_symlink(root):
    # read before: exit 0, an interview whose text was "/etc/passwd" (the link's target, not the file)
    w(root, "p.qdpx", symlink_zip("sources/a.txt", "/etc/passwd", {"project.qde": qde(path="internal://a.txt")}))
    return ["import", "qdpx", "p.qdpx", "--out", "out"]


@case("E601")
def qdpx_without_a_project_document(root):
    w(root, "p.qdpx", zip_bytes({"sources/a.txt": interview_bytes()}))
    return ["import", "qdpx", "p.qdpx", "--out", "out"]


@case("E601")
def qdpx_project_document_not_xml(root):
    w(root, "p.qdpx", zip_bytes({"project.qde": b"\x00\x01 not xml", "sources/a.txt": interview_bytes()}))
    return ["tables", "p.qdpx", "--out", "out"]


@case("E712", env=SMALL_ZIP)
def qdpx_source_zip_bomb_on_import(root):
    w(root, "p.qdpx", zip_bytes({"project.qde": qde(path="internal://a.txt"), "sources/a.txt": b" " * 2_000_000}))
    return ["import", "qdpx", "p.qdpx", "--out", "out"]


@case("E716")
def qdc_fifo(root):
    os.mkfifo(root / "cb.qdc")
    return ["codebook", "import", "cb.qdc", "--out", "cb.yaml"]


# ================================================================= the census itself
def test_the_census_has_at_least_a_hundred_rows():
    assert len(CASES) >= 100


@pytest.mark.parametrize("setup, code, env", CASES)
def test_hostile_input(setup, code, env, in_tmp):
    root = in_tmp
    args = setup(root)
    cwd = Path.cwd()
    before = snapshot(root)
    result = invoke(args, env=env)
    os.chdir(cwd)
    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, output
    assert f"[{code}]" in output, output
    after = snapshot(root)
    changed = sorted(k for k in before if after.get(k) != before[k])
    assert changed == [], f"files changed or removed: {changed}"
    assert leftovers(root) == []
    assert not (root / "PWNED").exists()
    shutil.rmtree(root / "out", ignore_errors=True)


def test_an_output_folder_named_in_the_project_file_is_named_in_the_fix(in_tmp):
    """`output: .` in condense.yaml was refused with "Give --out a folder of its own": the user gave no --out."""
    root = in_tmp
    make_study(root, project="")
    text = (root / "condense.yaml").read_text(encoding="utf-8").replace("output: results", "output: .")
    (root / "condense.yaml").write_text(text, encoding="utf-8")
    result = invoke(["run", str(root / "condense.yaml")])
    assert result.exit_code == 1 and "[E702]" in result.output and "`output:` in condense.yaml" in result.output, result.output
