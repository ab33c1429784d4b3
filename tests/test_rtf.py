"""RTF transcripts (f4/f5transkript, WordPad, older Word; what MAXQDA, NVivo and ATLAS.ti import): read as a .docx
is, paragraph by paragraph, and never a word the document hides."""
from __future__ import annotations

import pytest

from condense.errors import CondenseError, Diagnostics
from condense.ingest import ingest, read_transcript, transcript_name
from conftest import make_docx

HEAD = (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss\fcharset0 Arial;}{\f1\froman\fcharset0 Times;}}"
        r"{\colortbl;\red0\green0\blue0;}{\stylesheet{\s0\f0 Normal;}}{\*\generator Riched20 10.0;}"
        r"{\info{\author Anne Jensen}{\title Interview 3}}\viewkind4\uc1\pard\f0\fs20 ")


def _escaped(text: str, unicode: bool) -> str:
    """``text`` as RTF writes it: letters outside ASCII as ``\\'e6`` (Windows-1252) or ``\\u230?``."""
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ch == "\t":
            out.append(r"\tab ")
        elif ord(ch) < 128:
            out.append(ch)
        elif not unicode and ch.encode("cp1252", "ignore"):
            out.append("\\'%02x" % ch.encode("cp1252")[0])
        else:
            code = ord(ch)
            out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def make_rtf(path, paragraphs: list[str], *, unicode: bool = False, head: str = HEAD) -> object:
    """An .rtf of ``paragraphs`` in the run style Word writes (each run a group of its own), one ``\\par`` each."""
    body = "".join(r"{\rtlch\fcs1 \af0 \ltrch\fcs0 \lang1030\insrsid1574 " + _escaped(p, unicode) + r"}\par" + "\n"
                   for p in paragraphs)
    path.write_bytes((head + body + "}").encode("ascii"))
    return path


INTERVIEW = [
    "Interview 3, Ærø, 12. maj",
    "",
    "I: Hvordan har I brugt fælleshaven i år? #00:00:12-4#",
    "B: Vi har sået kartofler og løg, og børnene har passet jordbærrene hver dag. Det går rigtig godt. #00:01:20-3#",
    "I: Hvad med de ældre beboere?",
    "B: De kommer mest om søndagen, når der er kaffe i skuret. Så snakker vi om høsten. #00:02:05-1#",
]
INTERVIEW_LONG = [p.replace("I: ", "Interviewer: ").replace("B: ", "Deltager: ") for p in INTERVIEW]


def _turns(t):
    return [(x.speaker, x.role, x.text) for x in t.turns]


@pytest.mark.parametrize("paragraphs", [INTERVIEW, INTERVIEW_LONG], ids=["I-B", "Interviewer-Deltager"])
@pytest.mark.parametrize("unicode", [False, True], ids=["hex", "u"])
def test_danish_rtf_gives_the_turns_and_units_of_the_same_text_as_txt(tmp_path, paragraphs, unicode):
    from condense.segment import segment

    txt = tmp_path / "txt" / "interview.txt"
    txt.parent.mkdir()
    txt.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    rtf = make_rtf(tmp_path / "interview.rtf", paragraphs, unicode=unicode)
    a, b = read_transcript(txt), read_transcript(rtf)
    assert _turns(b) == _turns(a) and len(b.turns) == 4
    assert b.turns[1].text.startswith("Vi har sået kartofler og løg") and b.speakers == a.speakers
    assert b.title == a.title == "Interview 3, Ærø, 12. maj"
    units_a, units_b = segment([a]).units, segment([b]).units
    assert [u.text for u in units_b] == [u.text for u in units_a] and units_b
    assert all(b.text[u.start:u.end] == u.text for u in units_b if "\n" not in u.text)


def test_hidden_text_and_tracked_deletions_are_never_read(tmp_path):
    """Researchers hide names and notes with Word's hidden text (\\v); a tracked deletion is not the text either."""
    path = tmp_path / "h.rtf"
    path.write_bytes((HEAD + r"I: Hvem hjalp dig?\par "
                      r"B: Det gjorde {\v Mette Sørensen fra nr. 12 }min nabo, og \v NOTE: ring til hende\v0 vi "
                      r"{\deleted talte med kommunen, }plantede sammen. {\plain\v skjult}Ja.\par "
                      r"I: Og \v\b skjult \plain s\'e5?\par B: Godt.\par}").encode("latin-1"))
    t = read_transcript(path)
    text = " ".join(x.text for x in t.turns)
    for hidden in ("Mette", "NOTE", "ring til", "kommunen", "skjult"):
        assert hidden not in text and hidden not in t.text
    assert t.turns[1].text == "Det gjorde min nabo, og vi plantede sammen. Ja."
    assert t.turns[2].text == "Og så?"


def test_hidden_text_is_named_in_w126_as_in_a_docx(tmp_path):
    """Hidden text left out of a .docx or .odt is reported (W126: paragraphs, characters); an .rtf's was left
    out without a word, so a researcher who hid part of the interview by mistake never heard of it. A tracked
    deletion is no hidden text and is not counted."""
    path = tmp_path / "h.rtf"
    path.write_bytes((HEAD + r"I: Hvem hjalp dig?\par "
                      r"B: Det gjorde {\v Mette}min nabo {\deleted og kommunen }i haven.\par "
                      r"I: Og s\'e5?\par B: {\v N\'e6ste \u230?r.}Godt.\par}").encode("latin-1"))
    d = Diagnostics()
    t = read_transcript(path, diagnostics=d)
    assert t.turns[1].text == "Det gjorde min nabo i haven."
    (w,) = [w for w in d.warnings if w.code == "W126"]
    assert "paragraph(s) 2, 4:" in w.message and " 14 character(s)" in w.message, w.message  # "Mette", "Næste ær."


def test_withdrawn_passage_across_paragraphs_is_blanked_and_counted(tmp_path):
    paragraphs = ["I: Fortæl om familien?", "[[withdrawn]] B: Familien Hansen havde en konflikt med kommunen.",
                  "I: Hvad skete der?", "B: De flyttede. [[/withdrawn]] Men det var før min tid.", "I: Tak."]
    t = read_transcript(make_rtf(tmp_path / "w.rtf", paragraphs))
    joined = " ".join(x.text for x in t.turns)
    assert "Hansen" not in joined and "flyttede" not in joined and "withdrawn" not in joined
    assert "Hansen" not in t.text and "Men det var før min tid." in joined and t.withdrawn == 1


def _commented_rtf(path, comment: str, *, head: str = HEAD):
    """An interview whose answer holds a passage under a comment saying ``comment``, as Word writes one in RTF: the
    range's start and end groups, its author, and the comment naming the range's number (``\atnref``)."""
    body = (r"{\lang1030 I: Hvordan startede det?}\par" "\n"
            r"{\lang1030 R: Med en have. }{\*\atrfstart 1849}{\lang1030 Naboen drikker hver dag og sl\'e5r sin kone.}"
            r"{\*\atrfend 1849}{\*\atnid AJ}{\*\atnauthor Ane Jensen}\chatn {\*\annotation{\*\atnref 1849}"
            r"{\*\atndate 1}\pard\plain " + _escaped(comment, False) + r"\par}{\lang1030  Og kommunen betalte.}\par" "\n"
            r"{\lang1030 I: Hvem fandt p\'e5 det?}\par" "\n" r"{\lang1030 R: Det var min id\'e9.}\par" "\n")
    path.write_bytes((head + body + "}").encode("ascii"))
    return path


@pytest.mark.parametrize("comment", ["Trukket tilbage af informanten", "[[withdrawn]]", "Withdrawn 12/3"])
def test_a_passage_an_rtf_comment_calls_withdrawn_is_withdrawn(tmp_path, comment):
    """A Word or LibreOffice comment "Trukket tilbage" on a passage of an .rtf was passed over with the other
    comments: the passage was read into every output, where a .docx's or an .odt's was withdrawn (W130). It is
    withdrawn now, as there; a comment saying something else leaves its passage read. The comment and its author
    are read for the privacy only, never as text."""
    corpus = ingest([_commented_rtf(tmp_path / "k.rtf", comment)])
    (t,) = corpus.transcripts
    assert [" ".join(x.text.split()) for x in t.turns] == [
        "Hvordan startede det?", "Med en have. Og kommunen betalte.", "Hvem fandt på det?", "Det var min idé."]
    assert t.withdrawn == 1 and "slår" not in t.text and "Naboen" not in t.text
    assert {w.code for w in corpus.diagnostics.warnings} >= {"W130", "W109"}
    assert "Ane Jensen" in t.metadata["document"] and comment in t.metadata["document"]
    (kept,) = ingest([_commented_rtf(tmp_path / "ok.rtf", "tjek stavningen")]).transcripts
    assert kept.turns[1].text == "Med en have. Naboen drikker hver dag og slår sin kone. Og kommunen betalte."
    assert kept.withdrawn == 0 and "W130" not in {w.code for w in ingest([tmp_path / "ok.rtf"]).diagnostics.warnings}


def test_an_rtf_comment_saying_its_passage_is_not_withdrawn_withholds_it_and_says_where(tmp_path):
    """As in a .docx (test_hidden_text): "ikke trukket tilbage" withholds its passage, and W131 says where."""
    corpus = ingest([_commented_rtf(tmp_path / "k.rtf", "Ikke trukket tilbage, Ane")])
    (t,) = corpus.transcripts
    assert " ".join(t.turns[1].text.split()) == "Med en have. Og kommunen betalte." and t.withdrawn == 1
    (w,) = [w for w in corpus.diagnostics.warnings if w.code == "W131"]
    assert "k.rtf, paragraph 2:" in w.message and '("Ikke trukket tilbage")' in w.message and "Ane" not in w.message


def test_an_rtf_comment_on_a_passage_marked_already_adds_no_marker(tmp_path):
    """The markers typed in the text decide: a comment "withdrawn" on a range holding them adds none (E802)."""
    path = _commented_rtf(tmp_path / "k.rtf", "withdrawn")
    path.write_bytes(path.read_bytes().replace(b"{\\lang1030 Naboen", b"{\\lang1030 [[withdrawn]]Naboen")
                     .replace(b"kone.}", b"kone.[[/withdrawn]]}"))
    t = read_transcript(path)
    assert " ".join(t.turns[1].text.split()) == "Med en have. Og kommunen betalte." and t.withdrawn == 1


def test_an_unclosed_withdrawn_marker_names_the_paragraph(tmp_path):
    path = make_rtf(tmp_path / "u.rtf", ["I: Hej?", "B: Hej.", "B: [[withdrawn]] Det her må ikke med."])
    with pytest.raises(CondenseError) as err:
        read_transcript(path)
    assert err.value.code == "E804" and "u.rtf" in str(err.value) and "paragraph 3" in str(err.value)


def test_a_table_row_is_one_paragraph_with_its_cells_joined_by_a_tab_as_in_docx(tmp_path):
    rows = [["I1", "Hvordan startede det?"], ["Y", "Med et møde i fælleshuset | og kage"], ["I1", "Og så?"],
            ["Y", "Så kom der flere."]]
    row = r"\trowd\trgaph108\cellx1500\cellx9000 "
    body = "".join(row + r"\pard\intbl " + _escaped(a, False) + r"\cell " + r"\pard\intbl " + _escaped(b, False)
                   + r"\cell\row " for a, b in rows)
    rtf = tmp_path / "t.rtf"
    rtf.write_bytes((HEAD + r"\pard Tabel\par " + body + r"\pard\par}").encode("ascii"))
    docx = make_docx(tmp_path / "t.docx", ["Tabel"] + ["\t".join(r) for r in rows])
    a, b = read_transcript(docx), read_transcript(rtf)
    assert _turns(b) == _turns(a)
    assert [x.text for x in b.turns] == ["Hvordan startede det?", "Med et møde i fælleshuset | og kage", "Og så?",
                                         "Så kom der flere."]


def test_two_paragraphs_in_one_cell_are_one_cell(tmp_path):
    from condense.ingest.rtf import rtf_paragraphs

    data = (HEAD + r"\trowd\cellx1500\cellx9000\pard\intbl I:\cell\pard\intbl Hvad?\par Og hvorfor?\cell\row"
            r"\pard B: Fordi.\par}").encode("ascii")
    assert rtf_paragraphs(data) == ["I:\tHvad? Og hvorfor?", "B: Fordi.", ""]


def test_pictures_headers_fields_comments_and_footnotes_are_not_text(tmp_path):
    png = bytes(range(256)) * 4
    data = (HEAD + r"{\header \pard Fortroligt: Anne Jensen\par}{\footer \pard Side 1\par}"
            r"I: Hvad ser vi her?\par B: Et billede{\*\shppict{\pict\pngblip\picw10\pich10 " + png.hex() + "}}"
            r"{\nonshppict{\pict\wmetafile8 0100090000}} af haven"
            r"{\*\atnid AJ}{\*\annotation{\*\atnauthor AJ} spørg om navnet} fra "
            r"{\field{\*\fldinst{HYPERLINK \"https://example.org/have\"}}{\fldrslt{sidste sommer}}}"
            r"{\super\chftn}{\footnote \pard fodnote med navn}.\par"
            r" I: Og \'e6blerne?\par B: Se{\pict\pngblip\bin22 ").encode("latin-1") + b"\x00}{\\par}\\{\xff" * 2 + (
            r" her}.\par}").encode("ascii")
    path = tmp_path / "p.rtf"
    path.write_bytes(data)
    t = read_transcript(path)
    assert [x.text for x in t.turns] == ["Hvad ser vi her?", "Et billede af haven fra sidste sommer.", "Og æblerne?",
                                         "Se."]
    for absent in ("Anne", "Side 1", "spørg", "HYPERLINK", "fodnote", "8950", "\x00"):
        assert absent not in t.text


def test_letters_in_other_code_pages_double_byte_and_beyond_the_basic_plane(tmp_path):
    from condense.ingest.rtf import rtf_paragraphs

    cases = {
        r"{\rtf1\ansi\ansicpg1250\deff0{\fonttbl{\f0\fcharset238 Arial CE;}}\f0 Za\'9e\'ed\'e8 \'9av\'e1b\par}": "Zažíč šváb",
        r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}{\f1\fcharset204 Arial Cyr;}}\f0 S\'f8 {\f1 \'cf\'f0\'e8} s\'f8\par}":
            "Sø При sø",
        r"{\rtf1\ansi\ansicpg932{\fonttbl{\f0\fcharset128 MS Mincho;}}\f0 \'82\'a0\'82\'a2\par}": "あい",
        r"{\rtf1\ansi\uc2 T\u230\'3f\'3fnk, \uc0 k\u248 ?\par}": "Tænk, kø?",
        r"{\rtf1\ansi\uc1 Smil \u-10179?\u-8704? og \u-10179? alene\par}": "Smil \U0001f600 og \ufffd alene",
        r"{\rtf1\mac Caf\'8e\par}": "Café",
        r"{\rtf1\ansi\ansicpg99999 Ukendt tegnsæt: s\'f8\par}": "Ukendt tegnsæt: sø",
    }
    for rtf, text in cases.items():
        assert rtf_paragraphs(rtf.encode("latin-1"))[0] == text, rtf


def test_line_breaks_are_lines_of_their_paragraph_and_errors_count_paragraphs(tmp_path):
    data = (HEAD + r"Interview\par I: Hvordan gik det?\line B: Godt, tak.\par\par I: Og s\'e5?\par "
            r"B: Vi fortsatte.\par}").encode("ascii")
    path = tmp_path / "l.rtf"
    path.write_bytes(data)
    t = read_transcript(path)
    assert [(x.speaker, x.text, x.line) for x in t.turns] == [
        ("I", "Hvordan gik det?", 2), ("B", "Godt, tak.", 2), ("I", "Og så?", 4), ("B", "Vi fortsatte.", 5)]


@pytest.mark.parametrize("data, words", [
    (HEAD.encode("ascii") + rb"I: Hvad skete der?\par B: Vi m\'f8dtes i g\'e5rden og", "cut short"),
    (HEAD.encode("ascii") + rb"I: Hvad\'81?\par}", "\\'81 in paragraph 1"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Word 97"),
])
def test_bad_rtf_is_a_coded_error_naming_the_file(tmp_path, data, words):
    path = tmp_path / "bad.rtf"
    path.write_bytes(data)
    with pytest.raises(CondenseError) as err:
        read_transcript(path)
    assert err.value.code == "E111" and "bad.rtf" in str(err.value) and words in str(err.value)


def test_binary_data_named_rtf_is_e104(tmp_path):
    path = tmp_path / "x.rtf"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(CondenseError) as err:
        read_transcript(path)
    assert err.value.code == "E104" and "x.rtf" in str(err.value)


def test_a_docx_or_text_file_named_rtf_is_read_as_what_it_is(tmp_path):
    docx = make_docx(tmp_path / "a.docx", ["I: Hvordan gik det?", "B: Godt, vi fik en ny have."])
    renamed = tmp_path / "a.rtf"
    renamed.write_bytes(docx.read_bytes())
    d = Diagnostics()
    t = read_transcript(renamed, diagnostics=d)
    assert [x.text for x in t.turns] == ["Hvordan gik det?", "Godt, vi fik en ny have."]
    (w,) = [w for w in d.warnings if w.code == "W127"]
    assert "a.rtf" in str(w) and "a .docx file" in str(w)
    text = tmp_path / "b.rtf"
    text.write_text("---\nid: b1\n---\nI: Hvordan gik det?\n\nB: Godt.\n", encoding="utf-8")
    d = Diagnostics()
    t = read_transcript(text, diagnostics=d)
    assert t.id == "b1" and [x.text for x in t.turns] == ["Hvordan gik det?", "Godt."]
    (w,) = [w for w in d.warnings if w.code == "W127"]
    assert "b.rtf" in str(w) and "a .txt file" in str(w)


def test_a_folder_of_rtf_files_is_read_and_init_counts_them(tmp_path):
    make_rtf(tmp_path / "01.rtf", INTERVIEW)
    make_rtf(tmp_path / "02.rtf", INTERVIEW_LONG, unicode=True)
    d = Diagnostics()
    corpus = ingest([tmp_path], diagnostics=d)
    assert [t.id for t in corpus.transcripts] == ["01", "02"] and not [w for w in d.warnings if w.code == "W105"]
    assert transcript_name("Interview 3.RTF") and not transcript_name("~$terview 3.rtf")


def test_condense_run_on_a_folder_of_rtf(tmp_path):
    import csv

    from typer.testing import CliRunner

    from condense.cli import app

    folder = tmp_path / "rtf"
    folder.mkdir()
    for i in range(3):
        make_rtf(folder / f"0{i}.rtf", INTERVIEW if i % 2 else INTERVIEW_LONG, unicode=bool(i % 2))
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "out" / "units.csv", encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    assert {u["transcript"] for u in units} == {"00", "01", "02"}
    assert any("sået kartofler og løg" in u["text"] for u in units)


def test_a_header_or_footer_group_opened_on_a_line_of_its_own_is_passed_over_too():
    """Control words that only set how text looks are passed over as one run; a group's first word may be a
    destination, also when the writer put a line end after the brace."""
    from condense.ingest.rtf import rtf_paragraphs

    data = b"{\\rtf1\\ansi I: Hvem?\\par{\r\n\\header\\pard Anne Jensen\\par}{\n\\footer Side 1\\par}B: Min nabo.\\par}"
    assert rtf_paragraphs(data) == ["I: Hvem?", "B: Min nabo.", ""]


@pytest.mark.parametrize("unicode", [False, True])
def test_where_striprtf_reads_right_the_text_is_the_same(tmp_path, unicode):
    """No hidden text, tracked deletion, table or letter beyond U+FFFF: striprtf's rtf_to_text and this reader give
    the same text, in the run style Word writes, with fields, pictures, headers and comments between."""
    from striprtf.striprtf import rtf_to_text

    from condense.ingest.rtf import rtf_paragraphs

    extra = (r"{\header \pard Side\par}B: Se {\field{\*\fldinst PAGE}{\fldrslt 3}} og "
             r"{\*\shppict{\pict\pngblip 89504e47}}{\*\annotation note} {\*\bkmkstart a}her{\*\bkmkend a}.\par}")
    path = make_rtf(tmp_path / "s.rtf", INTERVIEW_LONG + ["Æblerne i \"haven\" \\ {klubben} – 5 % – koster 10 €."],
                    unicode=unicode)
    data = path.read_bytes()[:-1] + extra.encode("ascii")
    assert "\n".join(rtf_paragraphs(data)) == rtf_to_text(data.decode("ascii"))


def test_an_rtf_with_no_text_shown_is_empty(tmp_path):
    """Only hidden text, a header and a picture: nothing a reader sees, so nothing to read (E103), never the
    hidden words."""
    path = tmp_path / "tom.rtf"
    path.write_bytes(rb"{\rtf1\ansi{\header Anne\par}{\v Anne Jensen\par}{\pict\pngblip 8950}\par}")
    with pytest.raises(CondenseError) as err:
        read_transcript(path)
    assert err.value.code == "E103" and "tom.rtf" in str(err.value)


def test_a_control_character_is_a_space_with_w701(tmp_path):
    """RTF can write characters no spreadsheet or XML output can hold (\\'00, \\u1?); a text file's are spaces."""
    path = tmp_path / "c.rtf"
    path.write_bytes(rb"{\rtf1\ansi I: Hvordan?\par B: Godt\'00 og\u1? fint.\par}")
    d = Diagnostics()
    t = read_transcript(path, diagnostics=d)
    assert t.turns[1].text == "Godt  og  fint."  # a space each: spans stay where they were
    assert "\x00" not in t.text and "\x01" not in t.text
    (w,) = [w for w in d.warnings if w.code == "W701"]
    assert "c.rtf" in str(w) and "U+0000" in str(w)


@pytest.mark.parametrize("name", ["sheet.docx", "sheet.rtf"])
def test_a_workbook_named_docx_or_rtf_is_refused_saying_what_it_is(tmp_path, name):
    """An Excel workbook saved or renamed as .docx or .rtf (a careless "Save As") was refused with the detail
    "KeyError": a zip without word/document.xml. E111 now says it is an Excel workbook."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "Hvordan gik det?"
    wb.save(tmp_path / name)
    with pytest.raises(CondenseError) as err:
        read_transcript(tmp_path / name)
    assert err.value.code == "E111" and "an Excel workbook (.xlsx)" in str(err.value) and "KeyError" not in str(err.value)
