"""Consent census, round three (h15e): where else a withdrawn passage or an anonymous respondent's name can hide.
Each case a small project run end to end, every output byte read (xlsx unzipped, a PNG through its SVG twin)."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from test_consent import ANON, SOLBAKKEN_CASES, _run_beside_solbakken, output_text
from test_pipeline import FILLER, interview, make_project

from condense.cli import app

runner = CliRunner()
PASSAGE = "Naboen Jørgen Vrimmelsen drikker hver eneste dag og slår sin kone om aftenen"


def _interviews() -> dict[str, str]:
    return {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}


def _withdrawn_in_int1(texts: dict[str, str]) -> dict[str, str]:
    texts["int1_x.txt"] += (f"\nI: Noget om naboerne?\n\nR: [[withdrawn]]{PASSAGE}.[[/withdrawn]] Men ellers er det "
                            "fint.\n")
    return texts


# ---------------------------------------------------------------- a withdrawn passage said again, outside it
@pytest.mark.parametrize("where", ["interviewer quotes it back", "respondent says it again", "another interview",
                                   "other case, spacing and hyphen"])
def test_a_withdrawn_passage_said_again_outside_it_is_refused_with_the_line(tmp_path, where):
    """The interviewer quoting a withdrawn passage back, the respondent saying it again or another interview holding
    it put the passage in units.csv, the workbook and the report, and the audit passed: what the transcripts hold
    outside passages is allowed text to it. Now E834 names the file and the line of the repeat, and nothing is
    written; the words said again are not shown."""
    texts = _withdrawn_in_int1(_interviews())
    repeat = {"interviewer quotes it back": ("int1_x.txt", f"I: Du sagde at {PASSAGE.lower()}, hvad gjorde I så?"),
              "respondent says it again": ("int1_x.txt", f"R: Ja, som sagt, {PASSAGE.lower()}, det er svært."),
              "another interview": ("int2_x.txt", f"R: Ja, {PASSAGE}, det ved alle i opgangen godt."),
              "other case, spacing and hyphen": ("int1_x.txt", "R: Som sagt, NABOEN   Jørgen-Vrimmelsen DRIKKER hver "
                                                               "eneste dag og slår sin kone om aftenen.")}[where]
    texts[repeat[0]] += f"\nI: Og så?\n\n{repeat[1]}\n"
    project = make_project(tmp_path, texts)
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 1 and "E834" in res.output, res.output
    line = texts[repeat[0]].splitlines().index(repeat[1]) + 1
    assert f"{repeat[0]}, line {line}:" in res.output and "int1_x.txt are said again" in res.output, res.output
    assert "vrimmelsen" not in res.output.casefold() and "drikker" not in res.output.casefold()
    assert not out.exists()


def test_a_passage_sharing_only_a_few_words_in_a_row_with_other_talk_is_no_repeat(tmp_path):
    """The other side: seven words in a row of a withdrawn passage said elsewhere ("drikker hver eneste dag og slår
    sin") may be ordinary talk (ecape_da: 2.5% of its respondents' sentences share seven words in a row with another),
    and the run goes on; the audit passes."""
    texts = _withdrawn_in_int1(_interviews())
    texts["int2_x.txt"] += "\nI: Og så?\n\nR: Han drikker hver eneste dag og slår sin hund, siger de, men det er sladder.\n"
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(make_project(tmp_path, texts)), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "Consent audit passed" in res.output
    text = output_text(out, skip=(".png",)).casefold()
    assert "vrimmelsen" not in text and "han drikker hver eneste dag og slår sin hund" in " ".join(text.split())


# ---------------------------------------------------------------- a name in an address, a handle, in lower case
@pytest.mark.parametrize("line,kept", [
    ("Ja, skriv til gurli.zenfeldt@kommune.dk om budgettet, hun svarer hurtigt.", "skriv til [anonymiseret]@kommune.dk"),
    ("Ja, skriv til g.zenfeldt@kommune.dk om budgettet, hun svarer hurtigt.", "skriv til g.[anonymiseret]@kommune.dk"),
    ("Ja, skriv til gurli@kommune.dk om budgettet, hun svarer hurtigt.", "skriv til [anonymiseret]@kommune.dk"),
    ("Hun skriver som @gurlizenfeldt og #gurlizenfeldt på Instagram om gåklubben.", "skriver som @[anonymiseret] og #"),
    ("Følg @zenfeldt på Facebook, der skriver hun om gåklubben.", "følg @[anonymiseret] på facebook"),
    ("Se www.facebook.com/gurli.zenfeldt, der lægger hun billeder op.", "se www.facebook.com/[anonymiseret]"),
    ("ja og så sendte zenfeldt os skemaet om budgettet bagefter.", "så sendte [anonymiseret] os skemaet"),
])
def test_an_anonymous_respondents_name_in_an_address_a_handle_or_lower_case_is_named_in_no_output(tmp_path, line, kept):
    """An e-mail or web address, a handle or a hashtag writes a name in lower case, glued or with dots
    ("gurli.zenfeldt@", "@gurlizenfeldt"), and so does speech-to-text ("så sendte zenfeldt"): a word of an anonymous
    respondent's name was removed only where written as a name (capitalised), so another interview's address
    named her in units.csv, the workbook and the report, and the audit passed. A name word is removed in any case
    unless it is a known word some transcript writes in lower case in running text ("per uge"); the whole name
    glued ("gurlizenfeldt") too."""
    texts = _interviews()
    texts["int1_x.txt"] += f"\nI: Andre?\n\nR: {line}\n"
    texts["07_solbakken.txt"] = ANON
    out, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text
    assert kept in " ".join((out / "units.csv").read_text(encoding="utf-8-sig").casefold().split())


def test_her_own_address_names_her_in_no_output(tmp_path):
    """Her own interview lost "Gurli" and "Gurli Zenfeldt" in any case, but not "zenfeldt" alone: her own e-mail
    address "gurli.zenfeldt@…" left "[anonymiseret].zenfeldt@" beside anonym-01."""
    texts = _interviews()
    texts["07_solbakken.txt"] = ANON + "\nI: Kontakt?\n\nR: Skriv til mig på gurli.zenfeldt@kommune.dk, så sender jeg budgettet.\n"
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text


def test_a_name_word_that_is_an_ordinary_word_in_lower_case_stays_where_it_is_one(tmp_path):
    """The other side: an anonymous respondent called Per Holm; "per uge" and "holm" (an islet) are ordinary words
    that transcripts write in lower case, so only the capitalised name goes, as before; her address goes whole."""
    texts = _interviews()
    texts["int1_x.txt"] += ("\nI: Andre?\n\nR: Vi mødtes to gange per uge ude på en lille holm, og Per sendte "
                            "skemaet fra per.holm@kommune.dk bagefter.\n")
    texts["07_solbakken.txt"] = ANON.replace("Gurli Zenfeldt", "Per Holm")
    out, text = _run_beside_solbakken(tmp_path, texts)
    units = " ".join((out / "units.csv").read_text(encoding="utf-8-sig").split())
    assert "to gange per uge ude på en lille holm, og [anonymiseret] sendte skemaet fra [anonymiseret]@kommune.dk" in units

    texts["int1_x.txt"] = texts["int1_x.txt"].replace("per.holm@", "per@").replace("Per sendte", "hun sendte")
    out, text = _run_beside_solbakken(tmp_path / "first name", texts)
    units = " ".join((out / "units.csv").read_text(encoding="utf-8-sig").split())
    assert "per uge ude på en lille holm, og hun sendte skemaet fra [anonymiseret]@kommune.dk" in units


# ---------------------------------------------------------------- self-introductions read so far by nobody
@pytest.mark.parametrize("intro,name", [("Det er Gurli her, og vi", "gurli"), ("Nå, Gurli hedder jeg, og vi", "gurli"),
                                        ("Jeg er Gurli Zenfeldt, og vi", "gurli"), ("Hi, this is Gail speaking, and we", "gail"),
                                        ("Just call me Gail, and we", "gail"), ("hi i'm gail and we", "gail"),
                                        ("i'm gail hansen from the estate and we", "hansen")])
def test_an_anonymous_respondent_introduced_so_is_named_in_no_output(tmp_path, intro, name):
    """"det er Gurli her" (on the phone), "Gurli hedder jeg", "jeg er Gurli", "this is Gail speaking", "call me
    Gail" and speech-to-text's lower-case "i'm gail" named nobody, so the anonymous respondent's name stayed in her
    own units beside anonym-01 and in another interview naming her, and the audit passed."""
    texts = _interviews()
    other = "Gail Hansen" if name in ("gail", "hansen") else "Gurli Zenfeldt"
    texts["int1_x.txt"] += f"\nI: Andre?\n\nR: Ja, {other} sendte os skemaet, og {other.split()[0]} ringede bagefter.\n"
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi", intro)
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert name not in text


@pytest.mark.parametrize("text,safe", [("Det er Gurli her, og jeg kører lektiecaféen om onsdagen for børnene.", False),
                                       ("hi i'm gail and i run the homework club on wednesdays for the kids.", False),
                                       ("Det er jo her, lektiecaféen kører om onsdagen for børnene.", True),
                                       ("Jeg er B-menneske, så lektiecaféen om onsdagen passer mig fint.", True),
                                       ("i'm not sure the homework club on wednesdays helped the kids.", True)])
def test_such_an_introduction_is_no_quote_and_ordinary_talk_is(text, safe):
    """Quote safety refuses a unit introducing its speaker so, as it refuses "jeg hedder …"; "Det er jo her",
    "Jeg er B-menneske" and "i'm not sure" introduce nobody."""
    from types import SimpleNamespace

    from condense.privacy import quote_safe

    assert quote_safe(SimpleNamespace(text=text, anonymous=False)) is safe


def test_a_withdrawn_introduction_of_that_kind_still_hides_the_name_elsewhere(tmp_path):
    """A withdrawn "Det er Gurli her" told condense her name in memory only if it held "hedder", "navn", "name" or
    "called": a colleague's "Gurli" in another interview reached every output."""
    texts = _interviews()
    texts["int1_x.txt"] += "\nI: Andre?\n\nR: Ja, Gurli sendte os skemaet, og Gurli ringede bagefter.\n"
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi", "[[withdrawn]]Det er Gurli her.[[/withdrawn]] Vi")
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text


# ---------------------------------------------------------------- what a Word file says of itself
def _anonymous_docx(folder, where: str) -> None:
    """The anonymous Solbakken interview as a .docx whose title property or header names the respondent (her
    words never do), anonymous by transcripts.csv."""
    import docx

    document = docx.Document()
    if where == "title":
        document.core_properties.title = "Interview med Gurli Zenfeldt"
    else:
        document.sections[0].header.paragraphs[0].text = "Interview med Gurli Zenfeldt, 12. marts"
    for line in ANON.split("---\n")[2].strip().split("\n\n"):
        document.add_paragraph(line.replace("Jeg hedder Gurli Zenfeldt, og vi", "Vi"))
    document.save(folder / "solbakken.docx")
    (folder / "transcripts.csv").write_text("transcript,cases,anonymous\nsolbakken.docx,Solbakken,true\n", encoding="utf-8")


@pytest.mark.parametrize("where", ["title", "header"])
def test_a_name_only_the_anonymous_word_files_title_or_header_holds_is_hidden_where_another_interview_writes_it(
        tmp_path, where):
    """A .docx titled (File > Info > Title) or headed "Interview med Gurli Zenfeldt" names the respondent as its file
    name would, but ingest read only the document's text: another interview's "Gurli Zenfeldt" reached every output,
    and the audit passed. The title, subject, headers and footers are read for her name, never as text."""
    texts = _interviews()
    texts["int1_x.txt"] += "\nI: Andre?\n\nR: Ja, Gurli Zenfeldt sendte os skemaet, og Gurli ringede bagefter.\n"
    project = make_project(tmp_path, texts, cases=SOLBAKKEN_CASES)
    _anonymous_docx(tmp_path / "transcripts", where)
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = output_text(out, skip=(".png",)).casefold()
    assert "gurli" not in text and "zenfeldt" not in text and "anonym-01" in text
    assert "interview med" not in text  # the header is not read as text


@pytest.mark.parametrize("careful", [False, True])
def test_nothing_of_a_word_file_but_its_visible_text_reaches_an_output(tmp_path, careful):
    """Census guard (no leak found): properties (author, title, last modified by, subject, comments, keywords), header
    and footer, a tracked deletion and its author, a field code ("mailto:"), a hyperlink's target, an image's name
    and alt text, a comment, and hidden text reach no output, through the fast scan and the careful reader (a
    hidden run sends the document there)."""
    import io
    import zipfile

    import docx

    document = docx.Document()
    props = document.core_properties
    props.author, props.title, props.last_modified_by = "Zqauthor", "Zqtitle", "Zqlastmod"
    props.subject, props.comments, props.keywords = "Zqsubject", "Zqdescription", "Zqkeywords"
    document.sections[0].header.paragraphs[0].text = "Zqheader"
    document.sections[0].footer.paragraphs[0].text = "Zqfooter"
    for line in interview(4, gaaklub=True).split("---\n")[2].strip().split("\n"):
        document.add_paragraph(line.replace("budget,", "budget MARK,"))
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    extra = ('</w:t></w:r><w:del w:id="1" w:author="Zqdelauthor"><w:r><w:delText> Zqdeleted </w:delText></w:r></w:del>'
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "mailto:zqfield@x.dk" '
             '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>mailen</w:t></w:r><w:r>'
             '<w:fldChar w:fldCharType="end"/></w:r><w:hyperlink r:id="rIdZq"><w:r><w:t> linket</w:t></w:r></w:hyperlink>'
             '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
             '<wp:docPr id="5" name="Zqpicname" descr="Zqalttext" title="Zqalttitle"/></wp:inline></w:drawing></w:r>'
             '<w:r><w:commentReference w:id="0"/></w:r><w:r><w:t xml:space="preserve">')
    xml = parts["word/document.xml"].decode().replace("MARK", extra)
    if careful:
        xml = xml.replace("<w:body>", "<w:body><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>Zqhidden</w:t></w:r></w:p>", 1)
    parts["word/document.xml"] = xml.encode()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdZq" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/hyperlink" Target="mailto:zqhyperlink@x.dk" TargetMode="External"/>'
                             b'</Relationships>')
    parts["word/comments.xml"] = (b'<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                                  b'<w:comment w:id="0" w:author="Zqcommenter"><w:p><w:r><w:t>Zqcomment</w:t></w:r>'
                                  b'</w:p></w:comment></w:comments>')
    texts = _interviews()
    project = make_project(tmp_path, texts)
    with zipfile.ZipFile(tmp_path / "transcripts" / "int4_x.docx", "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    (tmp_path / "transcripts" / "cases.csv").write_text("case,region\nPlan1,Nord\nPlan2,Syd\nPlan3,Nord\n", encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = output_text(out, skip=(".png",)).casefold()
    assert "budget mailen linket" in " ".join(text.split())
    assert not [w for w in ("zqauthor", "zqtitle", "zqlastmod", "zqsubject", "zqdescription", "zqkeywords", "zqheader",
                            "zqfooter", "zqdelauthor", "zqdeleted", "zqfield", "zqhyperlink", "zqpicname", "zqalttext",
                            "zqalttitle", "zqcommenter", "zqcomment", "zqhidden") if w in text]


def test_coding_done_elsewhere_that_says_a_withdrawn_passage_again_unmarked_is_refused(tmp_path):
    """`condense tables`: a passage marked withdrawn in one row and said again unmarked in another (the segment
    copied, another respondent quoting it) reached units.csv, segments.csv, the workbook and the report; the audit,
    which allows what the file holds outside passages, passed. E834 names the unit; nothing is written."""
    import csv

    coded = tmp_path / "coded.csv"
    with coded.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["interview", "text", "code"])
        writer.writerow(["A", f"Vi gik tur. [[withdrawn]]{PASSAGE}.[[/withdrawn]] Og så kaffe bagefter.", "Fællesskab"])
        writer.writerow(["B", f"Ja, {PASSAGE}, siger de i opgangen.", "Konflikter"])
        writer.writerow(["C", "Vi planlagde det med et budget og evaluerede det bagefter med beboerne.", "Planlægning"])
    out = tmp_path / "out"
    res = runner.invoke(app, ["tables", str(coded), "--out", str(out)])
    assert res.exit_code == 1 and "E834" in res.output and "unit B:0001" in res.output, res.output
    assert "vrimmelsen" not in res.output.casefold() and not out.exists()


@pytest.mark.parametrize("where", ["title", "header"])
def test_a_name_only_the_anonymous_odt_files_title_or_header_holds_is_hidden_where_another_interview_writes_it(
        tmp_path, where):
    """The same for an .odt (File > Properties > Title, or a page header): its meta.xml and styles.xml were not read."""
    import html
    import zipfile

    texts = _interviews()
    texts["int1_x.txt"] += "\nI: Andre?\n\nR: Ja, Gurli Zenfeldt sendte os skemaet, og Gurli ringede bagefter.\n"
    project = make_project(tmp_path, texts, cases=SOLBAKKEN_CASES)
    office = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
              'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
              'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"')
    body = "".join(f"<text:p>{html.escape(line.replace('Jeg hedder Gurli Zenfeldt, og vi', 'Vi'))}</text:p>"
                   for line in ANON.split("---\n")[2].strip().split("\n\n"))
    title = "<dc:title>Interview med Gurli Zenfeldt</dc:title>" if where == "title" else ""
    header = ("<style:master-page style:name='Standard'><style:header><text:p>Interview med Gurli Zenfeldt</text:p>"
              "</style:header></style:master-page>" if where == "header" else "")
    with zipfile.ZipFile(tmp_path / "transcripts" / "solbakken.odt", "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", f"<office:document-content {office}><office:body><office:text>{body}"
                                  "</office:text></office:body></office:document-content>")
        z.writestr("meta.xml", f"<office:document-meta {office}><office:meta>{title}</office:meta></office:document-meta>")
        z.writestr("styles.xml", f"<office:document-styles {office}><office:master-styles>{header}"
                                 "</office:master-styles></office:document-styles>")
    (tmp_path / "transcripts" / "transcripts.csv").write_text("transcript,cases,anonymous\nsolbakken.odt,Solbakken,true\n",
                                                              encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = output_text(out, skip=(".png",)).casefold()
    assert "gurli" not in text and "zenfeldt" not in text and "anonym-01" in text and "interview med" not in text


def test_i_am_a_known_first_name_and_a_surname_names_the_respondent(tmp_path):
    """"I'm Peter Zenfeldt": the lexicon knows "Peter", so the introduction named nobody and both names stayed in her
    units and another interview's; the run is a name when one of its words is no ordinary English word. "I'm Peter"
    alone still names nobody (README: list such a name in pseudonyms.csv)."""
    texts = _interviews()
    texts["int1_x.txt"] += "\nI: Andre?\n\nR: Ja, Peter Zenfeldt sendte os skemaet, og Peter ringede bagefter.\n"
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi", "I'm Peter Zenfeldt, og vi")
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "peter" not in text and "zenfeldt" not in text


def test_repeats_found_per_transcript_are_those_found_turn_by_turn():
    """refuse_repeats looks at all of a transcript's turns at once (per turn, its numpy calls cost 2.8 CPU s at a
    million words): the same turns, with the same first repeat, as repeat_at turn by turn; no run across turns."""
    import random
    from types import SimpleNamespace

    from condense.ingest.withdrawn import _repeats, repeat_at, shingle_table, word_hashes

    rng = random.Random(5)
    passage = "hun sagde at naboen havde slået hunden med en kæp i haven om natten"
    _, shingles = word_hashes(passage)
    table = shingle_table(shingles)
    vocab = passage.split() + ["og", "så", "vi", "det", "huset", "Naboen", "HAVDE"]
    for _ in range(300):
        turns = []
        for line in range(rng.randint(1, 6)):
            n = rng.randint(0, 14)
            words = [rng.choice(vocab) for _ in range(n)]
            if rng.random() < 0.3:  # a real repeat of 8 or more words, maybe at a turn's edge
                cut = rng.randint(0, len(passage.split()) - 8)
                words[rng.randint(0, n):0] = passage.split()[cut:cut + rng.randint(8, 10)]
            turns.append(SimpleNamespace(text=" ".join(words), line=line))
        expected = [(t, repeat_at(t.text, table)) for t in turns if repeat_at(t.text, table) is not None]
        assert _repeats(turns, table) == expected
