"""Consent census, round four (h16b): introductions, file properties, marker shapes and coding done elsewhere
that still let a withdrawn passage or an anonymous respondent's name through. Each case a small project run end
to end, every output byte read (xlsx unzipped, a PNG through its SVG twin)."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from test_consent import ANON, _run_beside_solbakken
from test_pipeline import FILLER, interview

from condense.cli import app

runner = CliRunner()
NAMER = "\nI: Talte I med andre planer?\n\nR: Ja, med Gurli Zenfeldt om budgettet, og Gurli sendte os skemaet bagefter.\n"


def _interviews() -> dict[str, str]:
    return {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}


# ---------------------------------------------------------------- introductions
@pytest.mark.parametrize("intro", ["Det er Gurli Zenfeldt, og vi", "Ja, det er Gurli Zenfeldt. Vi",
                                   "jeg er gurli zenfeldt og vi"])
def test_an_anonymous_respondent_introduced_by_det_er_or_a_lower_case_jeg_er_is_named_in_no_output(tmp_path, intro):
    """"Det er Gurli Zenfeldt" (on the phone, without "her") and a lower-case "jeg er gurli zenfeldt og …" named
    nobody: her whole name stayed in her own units beside anonym-01, in another interview naming her, in the
    key terms of report.md, and the audit passed (h16b census). A whole name after "det er" with a word no lexicon
    knows, and no cleft after it, is an introduction; so is a lower-case run of two or three words after "jeg er"
    with such a word."""
    texts = _interviews()
    texts["int1_x.txt"] += NAMER
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi", intro)
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text


@pytest.mark.parametrize("line,kept", [
    ("Det er Anne Hansen, der bestemmer over budgettet i vores afdeling.", "det er anne hansen, der bestemmer"),
    ("Det er Kirsten Vrønnerup som bestemmer over budgettet i vores afdeling.", "det er kirsten vrønnerup som"),
    ("jeg er megastresset over budgettet i vores afdeling hele tiden.", "jeg er megastresset over budgettet"),
])
def test_a_cleft_or_an_ordinary_word_after_det_er_or_jeg_er_names_nobody(tmp_path, line, kept):
    """The other side: "Det er Anne Hansen, der bestemmer" names someone else (a cleft), and "jeg er megastresset"
    (ecape_da's one lower-case word after "jeg er" no lexicon knows) is no name: both stay in the outputs."""
    texts = _interviews()
    texts["07_solbakken.txt"] = ANON
    texts["int2_x.txt"] += f"\nI: Og budgettet?\n\nR: {line}\n"
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert kept in " ".join(text.split()) and "zenfeldt" not in text


# ---------------------------------------------------------------- what a file says of itself
@pytest.mark.parametrize("info", [r"{\title Interview med Gurli Zenfeldt}", r"{\subject Samtale med Gurli Zenfeldt}",
                                  r"{\title Interview med Gurli Zenfeldt, Solbakken \'e6}"])
def test_an_anonymous_rtfs_title_or_subject_naming_her_hides_the_name_where_another_interview_writes_it(tmp_path, info):
    """An anonymous .rtf whose File > Properties title or subject is "Interview med Gurli Zenfeldt" names her, as a
    .docx's or an .odt's title does (README), but only those were read: another interview's "Gurli Zenfeldt" reached
    units.csv, the workbook and the report, and the audit passed (h16b census). The title and subject of the RTF's
    \\info are read for the privacy only, never as text."""
    from test_rtf import HEAD, _escaped

    texts = _interviews()
    texts["int1_x.txt"] += NAMER
    project = tmp_path / "transcripts"
    project.mkdir()
    paragraphs = ANON.split("---\n")[2].replace("Jeg hedder Gurli Zenfeldt, og vi", "Vi").strip().split("\n\n")
    head = HEAD.replace(r"{\title Interview 3}", info)
    body = "".join(r"{\lang1030 " + _escaped(p, False) + r"}\par" + "\n" for p in paragraphs)
    (project / "solbakken.rtf").write_bytes((head + body + "}").encode("ascii"))
    (project / "transcripts.csv").write_text("transcript,cases,anonymous\nsolbakken.rtf,Solbakken,true\n",
                                             encoding="utf-8")
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text and "solbakken" not in text
