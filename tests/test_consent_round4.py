"""Consent census, round four (h16b): introductions, file properties, marker shapes and coding done elsewhere
that still let a withdrawn passage or an anonymous respondent's name through. Each case a small project run end
to end, every output byte read (xlsx unzipped, a PNG through its SVG twin)."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from test_consent import ANON, SOLBAKKEN_CASES, _run_beside_solbakken
from test_pipeline import FILLER, interview

from condense.cli import app

runner = CliRunner()
NAMER = "\nI: Talte I med andre planer?\n\nR: Ja, med Gurli Zenfeldt om budgettet, og Gurli sendte os skemaet bagefter.\n"


def _interviews() -> dict[str, str]:
    return {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}


# ---------------------------------------------------------------- introductions
@pytest.mark.parametrize("intro", ["Det er Gurli Zenfeldt, og vi", "Ja, det er Gurli Zenfeldt. Vi",
                                   "jeg er gurli zenfeldt og vi", "Hej, Gurli her. Vi"])
def test_an_anonymous_respondent_introduced_by_det_er_or_a_lower_case_jeg_er_is_named_in_no_output(tmp_path, intro):
    """"Det er Gurli Zenfeldt" (on the phone, without "her") and a lower-case "jeg er gurli zenfeldt og …" named
    nobody: her whole name stayed in her own units beside anonym-01, in another interview naming her, in the
    key terms of report.md, and the audit passed (h16b census). A whole name after "det er" with a word no lexicon
    knows, and no cleft after it, is an introduction; so is a lower-case run of two or three words after "jeg er"
    with such a word, and a capitalised name before "her" after a greeting opening the turn ("Hej, Gurli her")."""
    texts = _interviews()
    texts["int1_x.txt"] += NAMER
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi", intro)
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and ("zenfeldt" not in text or "zenfeldt" not in intro.casefold())


@pytest.mark.parametrize("line,kept", [
    ("Det er Anne Hansen, der bestemmer over budgettet i vores afdeling.", "det er anne hansen, der bestemmer"),
    ("Det er Kirsten Vrønnerup som bestemmer over budgettet i vores afdeling.", "det er kirsten vrønnerup som"),
    ("jeg er megastresset over budgettet i vores afdeling hele tiden.", "jeg er megastresset over budgettet"),
    ("Hej. Det her budget i vores afdeling er altid for lille, synes jeg.", "hej. det her budget i vores afdeling"),
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


@pytest.mark.parametrize("where", [
    r"{\info{\author Gurli Zenfeldt}}", r"{\info{\operator Gurli Zenfeldt}}",
    r"{\footnote \pard Informanten er Gurli Zenfeldt, formand.\par}",
    r"{\*\atnid GZ}{\*\atnauthor Gurli Zenfeldt}\chatn {\*\annotation{\*\atnref 0}\pard Tjek stavningen.\par}",
    r"{\*\annotation{\*\atnref 0}\pard Informanten er Gurli Zenfeldt, formand.\par}"],
    ids=["author", "operator", "footnote", "comment author", "comment"])
def test_an_anonymous_rtf_naming_her_outside_its_text_hides_her_name_everywhere(tmp_path, where):
    """An anonymous .rtf whose author or last editor (\\info), footnote, comment or comment's author is Gurli
    Zenfeldt named her where condense did not look (only an .rtf's title and subject were read, where a .docx's
    and an .odt's comments, notes and authors are): another interview's "Gurli Zenfeldt" reached the outputs.
    They are read for the privacy now, never as text."""
    from test_rtf import HEAD, _escaped

    texts = _interviews()
    texts["int1_x.txt"] += NAMER
    project = tmp_path / "transcripts"
    project.mkdir()
    paragraphs = ANON.split("---\n")[2].replace("Jeg hedder Gurli Zenfeldt, og vi", "Vi").strip().split("\n\n")
    head = HEAD.replace(r"{\info{\author Anne Jensen}{\title Interview 3}}", where if "info" in where else "")
    body = "".join(r"{\lang1030 " + _escaped(p, False) + r"}\par" + "\n" for p in paragraphs)
    body = body if "info" in where else body.replace(r"}\par", "}" + where + r"\par", 1)
    (project / "solbakken.rtf").write_bytes((head + body + "}").encode("ascii"))
    (project / "transcripts.csv").write_text("transcript,cases,anonymous\nsolbakken.rtf,Solbakken,true\n",
                                             encoding="utf-8")
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text and "solbakken" not in text


# ---------------------------------------------------------------- coding done elsewhere
PASSAGE = "Naboen Jørgen Vrimmelsen drikker brændevin hver eneste dag og slår sin kone om aftenen"


def _qdpx_with_a_withdrawn_passage(path, across: bool = True):
    """A .qdpx whose source marks a passage withdrawn, coded by another program inside the passage (a span that
    covers no marker), across its end, and outside it; a memo repeats it between markers."""
    import zipfile

    text = ("I: Hvordan planlagde I aktiviteterne?\n\nR: Vi planlagde det hele i en arbejdsgruppe med et lille budget, "
            "og beboerne bestemte selv.\n\nI: Noget om naboerne?\n\n"
            f"R: [[withdrawn]]{PASSAGE}.[[/withdrawn]] Men ellers er det fint med kaffe om tirsdagen.\n\n"
            "I: Og evalueringen?\n\nR: Vi talte deltagerne hver gang til evalueringen og skrev det i en bog.\n")
    start, end = text.index("[[withdrawn]]"), text.index("[[/withdrawn]]")
    inside, over = (start + 13, end), (start + 30, text.index(" om tirsdagen"))
    outside = (text.index("Vi planlagde"), text.index(", og beboerne"))
    spans = (inside, over, outside) if across else (inside, outside)
    selections = "".join(  # named by their text, as NVivo names them (which pins how the offsets count)
        f'<PlainTextSelection guid="S{i}" name="{text[a:b]}" startPosition="{a}" endPosition="{b}" creatingUser="U1">'
        f'<Coding guid="k{i}"><CodeRef targetGUID="C1"/></Coding></PlainTextSelection>' for i, (a, b) in enumerate(spans))
    qde = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="WD">'
           '<Users><User guid="U1" name="Ida"/></Users><CodeBook><Codes><Code guid="C1" name="Naboer" isCodable="true"/>'
           '</Codes></CodeBook><Sources><TextSource guid="T1" name="Interview 1" plainTextPath="internal://s1.txt">'
           f'{selections}</TextSource></Sources>'
           '<Notes><Note guid="N1" name="Memo" plainTextPath="internal://note.txt"/></Notes></Project>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
        z.writestr("sources/s1.txt", text.encode("utf-8"))
        z.writestr("sources/note.txt", f"Hun sagde: [[withdrawn]]{PASSAGE}[[/withdrawn]] Ellers fint.".encode("utf-8"))
    return path


@pytest.mark.parametrize("across", [False, True], ids=["inside", "inside-and-across"])
def test_a_qdpx_span_coded_inside_a_withdrawn_passage_reaches_no_table(tmp_path, across):
    """A REFI-QDA project coded in another program, its source marking a passage withdrawn: a span coded inside the
    passage covers none of its markers, so its words were allowed text and reached units.csv, segments.csv,
    themes.csv (the condensate draft), the workbook and the report, and the audit passed (h16b census). A span's text
    now gives each passage it overlaps whole, markers and all, to the withdrawn-passage step: the span inside is
    dropped (W615), the one across keeps its words outside the passage (it was refused, E803, for its closer without
    an opener), the audit knows the passage."""
    from test_consent import output_text

    qdpx = _qdpx_with_a_withdrawn_passage(tmp_path / "wd.qdpx", across)
    out = tmp_path / "tables"
    res = runner.invoke(app, ["tables", str(qdpx), "--out", str(out)])
    assert res.exit_code == 0 and "W615" in res.output, res.output
    text = output_text(out, skip=(".png",)).casefold()
    assert "vrimmelsen" not in text and "brændevin" not in text and "aftenen" not in text
    assert "vi planlagde det hele" in text and ("men ellers er det fint med kaffe" in text) == across


def test_import_qdpx_writes_no_withdrawn_words_into_selections_or_notes(tmp_path):
    """`condense import qdpx` wrote each coded span's text into selections.csv and each memo into notes.csv as they
    were: the words of a withdrawn passage in both (h16b census). They are left out there; the transcripts keep their
    markers, so the study's runs leave the passage out and audit it."""
    qdpx = _qdpx_with_a_withdrawn_passage(tmp_path / "wd.qdpx")
    study = tmp_path / "study"
    res = runner.invoke(app, ["import", "qdpx", str(qdpx), "--out", str(study)])
    assert res.exit_code == 0, res.output
    for name in ("selections.csv", "notes.csv"):
        text = (study / name).read_text(encoding="utf-8-sig").casefold()
        assert "vrimmelsen" not in text and "brændevin" not in text, name
    assert "Hun sagde: Ellers fint." in (study / "notes.csv").read_text(encoding="utf-8-sig")
    assert "[[withdrawn]]" in (study / "transcripts" / "Interview 1.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- markers of another kind
@pytest.mark.parametrize("marked", [
    f"[[trukket tilbage]]{PASSAGE}.[[/trukket tilbage]]", f"[[Trukket tilbage]] {PASSAGE}. [[/Trukket tilbage]]",
    f"[trukket tilbage: {PASSAGE}]", f"[tilbagetrukket] {PASSAGE}.", f"[[slettet]]{PASSAGE}.[[/slettet]]",
    f"(withdrawn) {PASSAGE}. (/withdrawn)", f"<withdrawn>{PASSAGE}.</withdrawn>",
    f"［［withdrawn］］{PASSAGE}.［［/withdrawn］］",
])
def test_a_marker_of_another_kind_is_refused_not_read_as_speech(tmp_path, marked):
    """A Danish team writing "[[trukket tilbage]] … [[/trukket tilbage]]", a closing tag of another word, or
    "withdrawn" in round or angle brackets meant the passage withdrawn; condense read it as speech, into units.csv,
    the workbook and the report, and the audit passed (h16b census: 3 of 3 such projects). Each is E801 with the file
    and line, nothing is written, and the message does not show the passage."""
    from test_pipeline import make_project

    texts = _interviews()
    texts["int2_x.txt"] += f"\nI: Noget om naboerne?\n\nR: {marked} Men ellers er det fint.\n"
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(make_project(tmp_path, texts)), "--out", str(out)])
    line = texts["int2_x.txt"].splitlines().index(f"R: {marked} Men ellers er det fint.") + 1
    assert res.exit_code == 1 and "E801" in res.output and f"int2_x.txt, line {line}" in res.output, res.output
    assert "vrimmelsen" not in res.output.casefold() and not out.exists()


def test_brackets_and_the_danish_words_in_ordinary_talk_are_no_marker(write):
    """The other side: "trukket sig tilbage" said, a note inside a note (ecape_da's "[[kvindelig informant] og Y
    griner]") and "withdrawn" said are read as they are."""
    from condense.ingest import read_transcript

    t = read_transcript(write("a.txt", "I: Hej?\n\nR: Han har trukket sig tilbage fra bestyrelsen, og han withdrawn "
                                       "sig. [[kvindelig informant] og Y griner]\n"))
    assert "trukket sig tilbage" in t.turns[1].text and t.withdrawn == 0


# ---------------------------------------------------------------- warnings
@pytest.mark.parametrize("labels,code", [(("Trine", "Gurli Zenfeldt", ": "), "W103"), (("I", "Gurli", " - "), "W118")])
def test_a_warning_about_an_anonymous_interviews_speakers_does_not_print_her_label(tmp_path, labels, code):
    """W118 (labels written "Gurli - …") and W103 (no interviewer configured, guessed from the questions) printed an
    anonymous interview's speaker labels, her name among them, on every command's screen (h16b census c02). Its
    labels are shown as [anonymiseret]; another interview's stay. (`condense ingest`'s own table, which lists each
    file's speakers for the researcher, is left as it is.)"""
    from test_pipeline import make_project

    asker, respondent, sep = labels
    texts = _interviews()
    texts["07_solbakken.txt"] = (ANON.replace("interviewer_labels: [I]\n", "")
                                 .replace("Jeg hedder Gurli Zenfeldt, og vi", "Vi")
                                 .replace("\nR: ", f"\n{respondent}{sep}").replace("\nI: ", f"\n{asker}{sep}")
                                 .replace("---\nI: ", f"---\n{asker}{sep}"))
    make_project(tmp_path, texts, cases=SOLBAKKEN_CASES)
    res = runner.invoke(app, ["ingest", str(tmp_path / "transcripts")])
    assert res.exit_code == 0 and code in res.output, res.output
    warning = " ".join(res.output[res.output.index(code):].split())
    assert "gurli" not in warning.casefold() and "[anonymiseret]" in warning, warning


# ---------------------------------------------------------------- what a .docx holds besides its text
_DOCX_NAMING = {  # where a .docx names its anonymous respondent outside the transcript's text
    "comment": {"word/comments.xml": '<w:comment w:id="0" w:author="Ane">{p}</w:comment>'},
    "footnote": {"word/footnotes.xml": '<w:footnote w:id="1">{p}</w:footnote>'},
    "author": {"docProps/core.xml": "<dc:creator>Gurli Zenfeldt</dc:creator>"},
    "last editor": {"docProps/core.xml": "<cp:lastModifiedBy>Gurli Zenfeldt</cp:lastModifiedBy>"},
    "alt text": {},
}


def _solbakken_docx(tmp_path, parts: dict, extra_body: str = "") -> None:
    from test_hidden_text import _docx, _p

    project = tmp_path / "transcripts"
    project.mkdir()
    paragraphs = ANON.split("---\n")[2].replace("Jeg hedder Gurli Zenfeldt, og vi", "Vi").strip().split("\n\n")
    body = "".join(_p(x) for x in paragraphs) + extra_body
    _docx(project / "solbakken.docx", body, parts=parts)
    (project / "transcripts.csv").write_text("transcript,cases,anonymous\nsolbakken.docx,Solbakken,true\n",
                                             encoding="utf-8")


@pytest.mark.parametrize("where", sorted(_DOCX_NAMING))
def test_an_anonymous_docx_naming_her_outside_its_text_hides_her_name_everywhere(tmp_path, where):
    """A comment "Informanten er Gurli Zenfeldt", a footnote, the file's author or last editor, or a picture's alt
    text named the anonymous respondent where condense did not look (only the title, subject, headers and footers
    were read for the privacy): another interview's "Gurli Zenfeldt" reached units.csv, the workbook and the
    report. They are read for the privacy now, never as text."""
    from test_hidden_text import _p

    texts = _interviews()
    texts["int1_x.txt"] += NAMER
    parts = {name: xml.replace("{p}", _p("Informanten er Gurli Zenfeldt, formand.")) for name, xml in
             _DOCX_NAMING[where].items()}
    picture = ('<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Billede 1" descr="Gurli Zenfeldt i haven"/>'
               "</wp:inline></w:drawing></w:r></w:p>") if where == "alt text" else ""
    _solbakken_docx(tmp_path, parts, picture)
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text and "solbakken" not in text


def test_a_passage_commented_withdrawn_in_a_docx_reaches_no_output(tmp_path):
    """A Word comment "Trukket tilbage" on a passage: its words were in every output (comments are not read, and
    the audit knew no passage). Now a withdrawn passage: in no output, and known to the audit."""
    from test_hidden_text import _r

    words = "Naboen Jørgen Vrimmelsen drikker brændevin hver eneste dag"
    body = ('<w:p>' + _r("", "R: Og naboerne? ") + '<w:commentRangeStart w:id="4"/>' + _r("", words + ".")
            + '<w:commentRangeEnd w:id="4"/>' + _r("", " Men ellers er det fint med kaffe om tirsdagen i haven.")
            + "</w:p>")
    from test_hidden_text import _p

    _solbakken_docx(tmp_path, {"word/comments.xml": '<w:comment w:id="4">' + _p("Trukket tilbage") + "</w:comment>"},
                    _p("I: Og naboerne?") + body)
    out, text = _run_beside_solbakken(tmp_path, _interviews())
    assert "vrimmelsen" not in text and "brændevin" not in text
    assert "kaffe om tirsdagen" in " ".join(text.split())
