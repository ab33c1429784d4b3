"""Ingest: every format and label convention, consent, encodings and bad input."""
from __future__ import annotations

import re
import sys

import pytest

from condense.errors import CondenseError
from condense.ingest import ingest, read_transcript
from conftest import ECAPE, make_docx

TXT = """---
id: t1
cases: [Solsikkeparken]
language: da
interviewer_labels: [I]
---
Interview med projektlederen, 3. marts

I: Hvordan startede I?

R: Vi startede med en workshop.

Og så kom beboerne med mange ideer.

I: Og bagefter?

R: Bagefter gik vi i gang med gåklubben.
"""


def test_txt_front_matter_labels_and_continuation(write):
    t = read_transcript(write("a.txt", TXT))
    assert t.id == "t1" and t.cases == ["Solsikkeparken"] and t.language == "da"
    assert [(x.speaker, x.role) for x in t.turns] == [("I", "interviewer"), ("R", "respondent")] * 2
    assert t.turns[1].text == "Vi startede med en workshop. Og så kom beboerne med mange ideer."
    assert t.title == "Interview med projektlederen, 3. marts"  # a title line is not a turn


def test_spans_point_into_normalised_text(write):
    t = read_transcript(write("a.txt", TXT))
    for turn in t.turns:
        for t_off, s_off, length in turn.pieces:
            assert t.text[s_off:s_off + length] == turn.text[t_off:t_off + length]
    first = t.turns[1]
    assert t.text[first.start:first.start + 10] == "Vi started"


def test_id_defaults_to_file_stem(write):
    t = read_transcript(write("interview_07.txt", "I: Hvad laver du?\n\nX: Jeg arbejder.\n\nI: Hvorfor?\n\nX: Fordi.\n"))
    assert t.id == "interview_07"


def test_md_bold_labels_and_heading(write):
    md = "# Interview 3\n\n**I:** Hvad skete der?\n\n**R:** Vi lavede en undersøgelse.\n\n**I:** Og så?\n\n**R:** Så fik vi svar.\n"
    t = read_transcript(write("b.md", md))
    assert [x.speaker for x in t.turns] == ["I", "R", "I", "R"]
    assert t.turns[1].text == "Vi lavede en undersøgelse."


def test_timestamps_leave_the_text(write):
    text = ("[00:12:03] I: Hvordan gik det?\n\n00:12:10\n\nR: Det gik fint.\n\n*1:40 = I: Og så?\n\n"
            "*1.01.35 = R: Så kom de.\n\n0:00:00.0\n\n*49\n\nI: Godt.\n\nR: Ja, det var godt (1.04.46) synes jeg.\n")
    t = read_transcript(write("c.txt", text))
    texts = [x.text for x in t.turns]
    assert texts == ["Hvordan gik det?", "Det gik fint.", "Og så?", "Så kom de.", "Godt.", "Ja, det var godt synes jeg."]
    assert t.turns[0].timestamp == "[00:12:03]" and t.turns[1].timestamp == "00:12:10"
    assert t.turns[3].timestamp.startswith("*1.01.35")


def test_f4_time_marks_and_fractional_seconds_leave_the_text(write):
    """f4/f5transkript ends each turn with a time mark "#00:01:20-3#" (tenths after the dash); other tools write
    "[00:12:03.5]". They were read as speech: units ended in "#00:00:41-7#", and quotes printed it."""
    text = ("I: Hvordan kom I i gang? #00:00:12-4#\n\n"
            "B: Vi holdt et møde i fælleshuset. #00:00:41-7#\n\n"
            "I: Og bagefter? #00:01:02#\n\n"
            "B: Så kom der flere [00:01:15.5] til næste gang. #00:01:20-3#\n")
    t = read_transcript(write("f4.txt", text))
    assert [x.text for x in t.turns] == ["Hvordan kom I i gang?", "Vi holdt et møde i fælleshuset.", "Og bagefter?",
                                         "Så kom der flere til næste gang."]
    for turn in t.turns:  # each piece of a turn's text is where it stands in the file: quotes are found there
        for at, offset, length in turn.pieces:
            assert text[offset:offset + length] == turn.text[at:at + length]


def test_docx_bold_labels_soft_breaks_legend_title(tmp_path):
    path = make_docx(tmp_path / "d.docx", [
        "Transskribering af interview nr. 1", "I = Interviewer; X = Informant", "",
        "I: Hvordan inddrog I beboerne?", "",
        ["X: Vi gik fra dør til dør.", "Det tog lang tid."], "",
        "I: Hvem hjalp?", "", "X: En tolk.",
    ], bold_labels=True)
    t = read_transcript(path)
    assert [x.speaker for x in t.turns] == ["I", "X", "I", "X"]
    assert t.turns[1].text == "Vi gik fra dør til dør. Det tog lang tid."  # soft break = space
    assert t.speakers == {"I": "interviewer", "X": "respondent"} and t.role_source == "legend"
    assert "\n" not in t.turns[1].text


@pytest.mark.parametrize("legend", [
    ["I1: Interviewer 1", "I2: Interviewer 2", "M: Mand", "K: Kvinde"],
    ["I1 = Interviewer; I2 = Interviewer 2; M = Mand; K = Kvinde"],
    ["Interviewer (I1) Interviewer (I2) Mand (M) Kvinde (K)"],
])
def test_legend_styles_give_roles(tmp_path, legend):
    # K asks more questions than anybody: only the legend can get the roles right
    body = ["K: Hvad er det?", "I1: Det er en optager.", "K: Hvorfor?", "M: Fordi de spørger.",
            "I2: Hvor længe har I boet her?", "M: I ti år.", "K: Er det ikke elleve?"]
    t = read_transcript(make_docx(tmp_path / "legend.docx", ["Interview 1", *legend, "", *body]))
    assert t.speakers == {"K": "respondent", "I1": "interviewer", "M": "respondent", "I2": "interviewer"}
    assert all("Interviewer" not in x.text for x in t.turns)


def test_joint_turns_comments_and_tab_table(tmp_path):
    t = read_transcript(make_docx(tmp_path / "tab.docx", [
        "I1: Interviewer 1", "Y: Mandlig informant", "X: Kvindelig informant", "",
        "TID\tPERSON\tUDTALELSE", "0:0\tI1\tSådan. Og var det på Facebook, du så", "opslaget?",
        "Y\tJa. Det var det", "*03:02 = I1 (utydeligt hvem?): Og I to?", "Y og X: Ja begge to.", "X\tJa."]))
    assert [(x.speaker, x.role) for x in t.turns] == [
        ("I1", "interviewer"), ("Y", "respondent"), ("I1", "interviewer"), ("Y og X", "respondent"), ("X", "respondent")]
    assert t.turns[0].text == "Sådan. Og var det på Facebook, du så opslaget?"
    assert "TID" not in " ".join(x.text for x in t.turns)


def test_roles_by_questions_when_nothing_else_says(write):
    from condense.errors import Diagnostics

    d = Diagnostics()
    t = read_transcript(write("q.txt", "A: Hvad hedder du?\n\nB: Jens.\n\nA: Hvor bor du?\n\nB: I Odense.\n\nA: Hvorfor der?\n\nB: Arbejde.\n"), diagnostics=d)
    assert t.speakers == {"A": "interviewer", "B": "respondent"}
    assert [w.code for w in d] == ["W103"]


@pytest.mark.parametrize("label", ["Interviewer", "Intervieweren", "Interviewer 2", "Moderator", "Spørger",
                                   "INT", "IVR", "MOD", "Spm"])
def test_a_label_that_names_the_interviewer_decides(write, label):
    """The interviewer mostly comments and the respondent asks back: question marks would swap the roles;
    the transcriber's label says who interviews, and no W103 guess is reported."""
    from condense.errors import Diagnostics

    d = Diagnostics()
    text = (f"{label}: Fortæl om haven.\n\nHanne: Hvad vil du vide? Vi startede i foråret, ikke?\n\n"
            f"{label}: Jo, det var i april.\n\nHanne: Og hvem kom så? Mest børnefamilier, faktisk?\n\n"
            f"{label}: Og bagefter.\n\nHanne: Tja, hvem ved?\n")
    t = read_transcript(write("q.txt", text), diagnostics=d)
    assert t.speakers == {label: "interviewer", "Hanne": "respondent"}
    assert t.role_source == "labels" and "W103" not in [w.code for w in d]


@pytest.mark.parametrize("label", ["Interviewee", "Interviewperson", "Forsker"])
def test_a_respondents_role_word_is_no_interviewer_label(write, label):
    """An expert interview with a researcher, or a file that labels the one interviewed: questions decide."""
    t = read_transcript(write("q.txt", f"I: Hvad hedder du?\n\n{label}: Jens.\n\nI: Hvor bor du?\n\n"
                                       f"{label}: I Odense.\n"))
    assert t.speakers == {"I": "interviewer", label: "respondent"} and t.role_source == "initials"


def test_the_usual_i_and_b_labels_need_no_guess_when_i_asks(write):
    """f4/f5transkript and many transcribers label the interviewer "I" and the other "B" (or R, D): every such
    file got W103 "could not tell who the interviewer is". Where the questions say the same as the letter, no
    warning; where "I" does not ask, the guess is still a guess and says so."""
    from condense.errors import Diagnostics

    d = Diagnostics()
    t = read_transcript(write("ib.txt", "I: Hvordan startede det?\n\nB: Med et møde.\n\nI1: Hvem kom?\n\n"
                                        "B: Naboerne.\n"), diagnostics=d)
    assert t.speakers == {"I": "interviewer", "B": "respondent", "I1": "interviewer"}
    assert t.role_source == "initials" and "W103" not in [w.code for w in d]
    d = Diagnostics()
    t = read_transcript(write("bi.txt", "B: Hvordan startede det?\n\nI: Med et møde.\n\nB: Hvem kom?\n\n"
                                        "I: Naboerne.\n"), diagnostics=d)
    assert t.speakers == {"B": "interviewer", "I": "respondent"} and "W103" in [w.code for w in d]


def test_a_speaker_typed_into_anothers_paragraph_starts_a_turn(write):
    """Transcribers forget paragraph breaks: ecape_da has an answer typed into the interviewer's paragraph
    ("… eller har du..? X: Hvis jeg …", so it was never a unit) and a second speaker inside an answer after a run
    of spaces. A known speaker's label after a sentence end or spaces starts a turn; a label-like word that is
    no speaker of the file (``Note:``) and a label inside a sentence do not."""
    text = ("I: Hvor længe har I boet her? Og hvorfor flyttede I? X: Siden 2015. Vi ville have en have.\n\n"
            "X: Vi har plads til familien.     Y: Ja, og det er dejligt. Note: de griner.\n\n"
            "I: Og haven, bruger I den?\n\nY: Hver dag, sagde X: om sommeren.\n")
    t = read_transcript(write("t.txt", text))
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("I", "Hvor længe har I boet her? Og hvorfor flyttede I?"), ("X", "Siden 2015. Vi ville have en have."),
        ("X", "Vi har plads til familien."), ("Y", "Ja, og det er dejligt. Note: de griner."),
        ("I", "Og haven, bruger I den?"), ("Y", "Hver dag, sagde X: om sommeren.")]
    assert all(t.text[x.start:x.start + len(x.text)] == x.text for x in t.turns)  # spans point into the file


def test_speakers_named_in_full_and_speakers_heard_once(write):
    """'Anne Hansen:' is a label (it was text, so every answer went into the interviewer's turns and the file
    gave no unit), and so is a speaker heard once after the talk began ('SØN:', 'Rengøringsdame:' in ecape_da,
    whose words went into the turn before); a transcriber's 'Note:' line and a tabbed table header are not."""
    text = ("Dato: 3. marts\n\nInterviewer: Hvad skete der?\n\nAnne Hansen: Vi lavede en have.\n\n"
            "Note: der ringer en telefon.\n\nSøn: Mor, telefonen!\n\nInterviewer: Og så?\n\n"
            "TID\tPERSON\tUDTALELSE\n\nAnne Hansen: Så kom naboerne.\n")
    t = read_transcript(write("t.txt", text))
    assert [(x.speaker, x.role, x.text) for x in t.turns] == [
        ("Interviewer", "interviewer", "Hvad skete der?"),
        ("Anne Hansen", "respondent", "Vi lavede en have. Note: der ringer en telefon."),
        ("Søn", "respondent", "Mor, telefonen!"),
        ("Interviewer", "interviewer", "Og så? TID\tPERSON\tUDTALELSE"),
        ("Anne Hansen", "respondent", "Så kom naboerne.")]


def test_otter_style_speaker_lines_and_timestamps_in_brackets(write):
    """Otter.ai and similar exports put 'Name  0:03' on a line of its own and the speech below it (Teams and
    Zoom: '[0:05] Name'); such files were skipped (W102, no speaker turns). A stamp in round brackets,
    '(01:05) R: …', or after the label, 'Anne [00:00:05]: …', was no stamp either."""
    otter = read_transcript(write("o.txt", "Maria Jensen  0:03\nHvordan startede det?\n\nAnne Hansen  0:10\n"
                                           "Med en have.\nOg en madklub.\n\nMaria Jensen  1:02\nHvem kom?\n\n"
                                           "Anne Hansen  1:15\nDe ældre.\n"))
    assert [(x.speaker, x.timestamp, x.text) for x in otter.turns] == [
        ("Maria Jensen", "0:03", "Hvordan startede det?"), ("Anne Hansen", "0:10", "Med en have. Og en madklub."),
        ("Maria Jensen", "1:02", "Hvem kom?"), ("Anne Hansen", "1:15", "De ældre.")]
    assert otter.speakers == {"Maria Jensen": "interviewer", "Anne Hansen": "respondent"}
    assert all(otter.text[x.start:x.start + 3] == x.text[:3] for x in otter.turns)
    paren = read_transcript(write("p.txt", "(00:00) I: Hvordan startede det?\n(01:05) R: Med en have.\n"
                                           "(02:00) I: Og så?\n(02:30) R: En madklub.\n"))
    assert [(x.speaker, x.seconds, x.text) for x in paren.turns][1] == ("R", 65, "Med en have.")
    teams = read_transcript(write("t.txt", "[0:00] Maria Jensen\nHvordan startede det?\n\n[0:05] Anne Hansen\n"
                                           "Med en have.\n\n[1:00] Maria Jensen\nHvem kom?\n\n[1:05] Anne Hansen\n"
                                           "De ældre.\n"))
    assert [(x.speaker, x.seconds) for x in teams.turns] == [("Maria Jensen", 0), ("Anne Hansen", 5),
                                                             ("Maria Jensen", 60), ("Anne Hansen", 65)]
    after = read_transcript(write("a.txt", "Interviewer [00:00:00]: Hvordan startede det?\n"
                                           "Anne [00:00:05]: Med en have.\nInterviewer [00:01:00]: Og så?\n"))
    assert [(x.speaker, x.seconds, x.text) for x in after.turns][1] == ("Anne", 5, "Med en have.")
    stamped = read_transcript(write("s.txt", "I: Hvordan startede det?\n\nR: Med en have.\n[00:05] Ja\n[00:07] Ja\n"
                                             "\nI: Og så?\n\nR: En klub.\n[00:20] Ja\n[00:22] Ja\n"))
    assert [x.speaker for x in stamped.turns] == ["I", "R", "I", "R"]  # a stamped 'Ja' twice is speech


def test_docx_soft_line_breaks_separate_turns(tmp_path):
    """Shift+Enter between speakers ('Interviewer: …?⏎Anne: …' in one Word paragraph) gave one turn per
    paragraph: every answer in the interviewer's turn and no meaning unit. A soft break now ends a line as in
    a .txt file; a break inside one speaker's answer still continues it, and ``line`` stays Word's paragraph."""
    path = make_docx(tmp_path / "soft.docx", [
        ["Interviewer: Hvordan startede det?", "Anne: Med en have."],
        ["Interviewer: Hvem kom?", "Anne: De ældre,", "og nogle børnefamilier."]])
    t = read_transcript(path)
    assert [(x.speaker, x.text, x.line) for x in t.turns] == [
        ("Interviewer", "Hvordan startede det?", 1), ("Anne", "Med en have.", 1),
        ("Interviewer", "Hvem kom?", 2), ("Anne", "De ældre, og nogle børnefamilier.", 2)]


def _raw_docx(path, body: bytes):
    """A .docx whose document XML is ``body`` inside <w:body> (written as given: entities, bytes)."""
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document><w:body>" + body + b"</w:body></w:document>")
    return path


def test_docx_carriage_return_in_text_is_a_line_break_of_its_paragraph(tmp_path):
    """A carriage return in a run's text (&#13;, as some exporters write it) is a soft line break like
    <w:br/>, and each line keeps Word's paragraph number. With a <w:br/> elsewhere in the file, reading
    stopped with an IndexError (the paragraphs were counted before the carriage return became a break)."""
    path = _raw_docx(tmp_path / "cr.docx", b"<w:p><w:r><w:t>I: Hej?</w:t><w:br/><w:t>R: Ja&#13;nej</w:t></w:r></w:p>"
                     b"<w:p><w:r><w:t>I: Og s\xc3\xa5?</w:t></w:r></w:p><w:p><w:r><w:t>R: Slut.</w:t></w:r></w:p>")
    t = read_transcript(path, interviewer_labels=["I"])
    assert [(x.speaker, x.text, x.line) for x in t.turns] == [
        ("I", "Hej?", 1), ("R", "Ja nej", 1), ("I", "Og så?", 2), ("R", "Slut.", 3)]
    alone = _raw_docx(tmp_path / "cr2.docx", b"<w:p><w:r><w:t>I: Hej?</w:t></w:r></w:p><w:p><w:r><w:t>R: Ja&#13;nej</w:t></w:r></w:p>"
                      b"<w:p><w:r><w:t>I: Og?</w:t></w:r></w:p><w:p><w:r><w:t>R: Slut.</w:t></w:r></w:p>")
    assert [x.line for x in read_transcript(alone, interviewer_labels=["I"]).turns] == [1, 2, 3, 4]


@pytest.mark.parametrize("hidden", [False, True])
def test_a_non_breaking_hyphen_is_a_hyphen_in_every_format(tmp_path, write, hidden):
    """Census h11c: Word writes a non-breaking hyphen (Ctrl+Shift+-) as a tag, <w:noBreakHyphen/>, which both
    .docx readers dropped: "Anne-Marie" was read "AnneMarie", "2013-2016" "20132016", and an anonymous
    respondent's name written so in one interview was not the name another wrote with a plain hyphen. A text
    file's or LibreOffice's non-breaking hyphen (U+2011) is a plain one too. ``hidden``: a document with hidden
    text, which the careful reader reads."""
    hide = b"<w:r><w:rPr><w:vanish/></w:rPr><w:t>note</w:t></w:r>" if hidden else b""
    path = _raw_docx(tmp_path / "nb.docx", b"<w:p><w:r><w:t>I: Hvem?</w:t></w:r></w:p><w:p><w:r><w:t>R: Anne</w:t>"
                     b"<w:noBreakHyphen/><w:t>Marie, i 2013</w:t><w:noBreakHyphen/><w:t>2016.</w:t></w:r>" + hide
                     + b"</w:p>")
    assert [x.text for x in read_transcript(path, interviewer_labels=["I"]).turns] == ["Hvem?", "Anne-Marie, i 2013-2016."]
    text = read_transcript(write("nb.txt", "I: Hvem?\n\nR: Anne\u2011Marie.\n"), interviewer_labels=["I"])
    assert text.turns[1].text == "Anne-Marie."


@pytest.mark.parametrize("numpy_loaded", [True, False])
def test_docx_text_that_is_not_utf8_is_a_coded_error(tmp_path, monkeypatch, numpy_loaded):
    """The scan reads the XML as bytes and decodes the text; a part that is not UTF-8 is still E111 (file,
    what is wrong): in a paragraph, in a table cell, and outside the text (an attribute, deleted text), also
    where entities in the text bring as many bytes outside ASCII as the broken ones. The bytes outside ASCII
    are counted by numpy where it is loaded, else byte by byte: the same counts either way."""
    import random

    import numpy  # noqa: F401 - loaded, as in a run

    from condense.ingest.sources import _ASCII, _non_ascii

    if not numpy_loaded:
        monkeypatch.setitem(sys.modules, "numpy", None)
    rng = random.Random(3)
    for data in [b"", b"abc", bytes(range(256)), *(rng.randbytes(rng.randint(0, 5000)) for _ in range(50))]:
        assert _non_ascii(data) == len(data.translate(None, _ASCII))
    text = b"<w:p><w:r><w:t>I: Hej?</w:t></w:r></w:p><w:p><w:r><w:t>R: Ja &#248;&#229; &amp; nej.</w:t></w:r></w:p>"
    assert [x.text for x in read_transcript(_raw_docx(tmp_path / "ok.docx", text), interviewer_labels=["I"]).turns] == [
        "Hej?", "Ja øå & nej."]
    for name, body in [("p.docx", b"<w:p><w:r><w:t>I: Hej \xe6?</w:t></w:r></w:p>"),
                       ("t.docx", b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>R \xff</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"),
                       ("a.docx", b'<w:p w:author="S\xf8ren"><w:r><w:t>I: Hej?</w:t></w:r></w:p>'),
                       ("d.docx", b"<w:p><w:r><w:t>I: Hej?</w:t><w:delText>\xe6\xf8</w:delText></w:r></w:p>"),
                       ("e.docx", text.replace(b"<w:p>", b'<w:p w:x="\xe6\xf8\xe5\xe6">', 1))]:
        with pytest.raises(CondenseError) as err:
            read_transcript(_raw_docx(tmp_path / name, body))
        assert err.value.code == "E111" and name in str(err.value)


def test_configured_labels_win(write):
    t = read_transcript(write("q.txt", "A: Hvad hedder du?\n\nB: Jens?\n\nA: Hvor bor du?\n\nB: Odense?\n"), interviewer_labels=["B"])
    assert t.speakers == {"A": "respondent", "B": "interviewer"}


def test_vtt_voices_merge_consecutive_cues(write):
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Hvordan kom I i gang?</v>\n\n"
           "00:00:05.000 --> 00:00:09.000\n<v Hanne>Kvinderne spurgte selv efter et hold.</v>\n\n"
           "00:00:09.500 --> 00:00:12.000\n<v Hanne>Og så fandt vi et lokale.</v>\n\n"
           "00:01:05.000 --> 00:01:09.000\n<v Interviewer>Og bagefter?</v>\n")
    t = read_transcript(write("e.vtt", vtt), interviewer_labels=["Interviewer"])
    assert [x.speaker for x in t.turns] == ["Interviewer", "Hanne", "Interviewer"]
    assert t.turns[1].text == "Kvinderne spurgte selv efter et hold. Og så fandt vi et lokale."
    assert t.turns[1].timestamp == "00:00:05" and t.turns[2].seconds == 65
    assert t.text[t.turns[1].start:t.turns[1].start + 9] == "Kvinderne"


def test_srt_name_prefixes(write):
    srt = ("1\n00:00:01,000 --> 00:00:03,000\nI: Hvad skete der?\n\n2\n00:00:04,000 --> 00:00:06,000\nR: Vi lavede mad.\n\n"
           "3\n00:00:06,500 --> 00:00:08,000\nSammen med beboerne.\n\n4\n00:00:09,000 --> 00:00:10,000\nI: Og så?\n\n"
           "5\n00:00:11,000 --> 00:00:12,000\nR: Så spiste vi.\n")
    t = read_transcript(write("f.srt", srt), interviewer_labels=["I"])
    assert [x.speaker for x in t.turns] == ["I", "R", "I", "R"]
    assert t.turns[1].text == "Vi lavede mad. Sammen med beboerne."


def test_notes_document_is_one_respondent_text(write):
    notes = "---\nkind: notes\ncases: [Fjordbyen]\n---\nNoter fra interview\n\nInformanten fortalte om madklubben.\n\nHun nævnte også kommunen.\n"
    t = read_transcript(write("n.md", notes))
    assert t.kind == "notes" and len(t.turns) == 1 and t.turns[0].role == "respondent"
    assert t.turns[0].text == "Informanten fortalte om madklubben. Hun nævnte også kommunen."


def test_guide_without_turns_is_skipped_with_warning(tmp_path, write):
    write("guide.txt", "Spørgeguide\n\nPræsentation af projektet\n\nHvordan bruger I energi i hjemmet?\n")
    write("int.txt", TXT)
    corpus = ingest([tmp_path])
    assert [t.id for t in corpus.transcripts] == ["t1"]
    assert [w.code for w in corpus.diagnostics] == ["W102"] and "guide.txt" in corpus.diagnostics.warnings[0].message


def test_transcripts_csv_metadata_for_docx(tmp_path, write):
    make_docx(tmp_path / "plan.docx", ["Titel", "Anna: Hvad skete der?", "Bo: Vi gik rundt.", "Anna: Og så?", "Bo: Så talte vi."])
    write("transcripts.csv", "transcript,cases,language,kind,anonymous,interviewer_labels\nplan.docx,A;B,da,interview,true,Anna\n")
    write("cases.csv", "case,region\nA,Sjælland\nB,Nordjylland\n")
    corpus = ingest([tmp_path])
    t = corpus.transcripts[0]
    assert t.cases == ["A", "B"] and t.anonymous is True and t.speakers["Anna"] == "interviewer"
    assert corpus.cases["B"].attributes == {"region": "Nordjylland"}


def test_transcripts_csv_names_a_file_in_another_unicode_form_or_case(tmp_path, write):
    # A file made on a Mac arrives with "å" as "a" + ring (NFD); the table typed in a spreadsheet has one letter
    # (NFC), and may not match the case of the name. Both name the same file: its metadata must apply.
    import unicodedata
    write(unicodedata.normalize("NFD", "Kastanjegården.txt"), TXT.split("---\n", 2)[2])
    write("transcripts.csv", "transcript,id,anonymous\n" + unicodedata.normalize("NFC", "kastanjegården.txt") + ",k1,true\n")
    corpus = ingest([tmp_path])
    assert [t.id for t in corpus.transcripts] == ["k1"] and corpus.transcripts[0].anonymous is True


def test_id_from_a_mac_file_name_is_the_same_on_every_machine(tmp_path, write):
    # Decisions are keyed by unit ids made from the file's stem: a folder copied from a Mac (NFD names) and the
    # same folder elsewhere (NFC) must give the same ids, or every decision made on one is orphaned on the other.
    import unicodedata
    write(unicodedata.normalize("NFD", "Kastanjegården.txt"), TXT.split("---\n", 2)[2])
    assert [t.id for t in ingest([tmp_path]).transcripts] == [unicodedata.normalize("NFC", "Kastanjegården")]


def test_transcripts_csv_does_not_guess_between_two_files_of_one_loose_name(tmp_path, write):
    write("Plan.txt", TXT)
    write("plan.txt", TXT.replace("t1", "t2"))
    write("transcripts.csv", "transcript,id\nPLAN.txt,x\n")
    with pytest.raises(CondenseError) as e:
        ingest([tmp_path])
    assert e.value.code == "E115"


def test_anonymous_for_some_labels(write):
    t = read_transcript(write("a.txt", "---\nanonymous: [Y]\n---\nI: Hej?\n\nX: Hej.\n\nY: Goddag.\n\nI: Hvem er I?\n"))
    assert t.is_anonymous("Y") and not t.is_anonymous("X")


def test_withdrawn_passage_spanning_turns_is_removed_and_counted(write):
    text = ("---\ninterviewer_labels: [I]\n---\nI: Fortæl om familien?\n\n"
            "[[withdrawn]] R: Familien Hansen havde en konflikt med kommunen.\n\nI: Hvad skete der?\n\n"
            "R: De flyttede. [[/withdrawn]] Men det var før min tid.\n\nI: Tak.\n")
    t = read_transcript(write("w.txt", text))
    joined = " ".join(x.text for x in t.turns)
    assert "Hansen" not in joined and "flyttede" not in joined and "withdrawn" not in joined
    assert "Men det var før min tid." in joined and t.withdrawn == 1


def test_redactions_and_nonverbal_stay_in_text_but_are_not_lemmatised(nlp_da):
    doc = nlp_da("Jeg hedder [navn på informant] og bor i [anonymiseret] (griner) gåklubben")
    assert "[navn på informant]" in doc.text
    lemmas = [t.lemma_ for t in doc if t.lemma_]
    assert "navn" not in lemmas and "anonymiseret" not in lemmas and "grine" not in lemmas and "griner" not in lemmas
    assert lemmas[-1] == "gåklub"


def test_encodings_bom_cp1252_crlf_nbsp(write):
    from condense.errors import Diagnostics

    body = "I: Hvad så?\r\n\r\nR: Beboerne\u00a0kom til fællesspisning.\r\n\r\nI: Og?\r\n\r\nR: Det var godt.\r\n"
    t = read_transcript(write("bom.txt", b"\xef\xbb\xbf" + body.encode("utf-8")), interviewer_labels=["I"])
    assert t.turns[1].text == "Beboerne kom til fællesspisning." and "\r" not in t.text
    d = Diagnostics()
    t2 = read_transcript(write("win.txt", body.encode("cp1252")), interviewer_labels=["I"], diagnostics=d)
    assert t2.turns[1].text == "Beboerne kom til fællesspisning."
    assert [w.code for w in d] == ["W101"] and "win.txt" in d.warnings[0].message


def test_invisible_formatting_characters_are_removed_with_a_warning(write, tmp_path):
    # A right-to-left override makes a cell display in another order than it reads; a zero-width space or a
    # soft hyphen splits a word unseen. Emoji joiners stay.
    from condense.errors import Diagnostics

    body = ("I: Hvem\u202e kom\u200b til møderne?\n\nR: Sundheds\u00adfremme\u2066 var det store emne \U0001F468\u200d"
            "\U0001F469.\n")
    for path, unit in ((write("rtl.txt", body), "line 1"),
                       (make_docx(tmp_path / "rtl.docx", body.split("\n")), "paragraph 1")):
        d = Diagnostics()
        t = read_transcript(path, interviewer_labels=["I"], diagnostics=d)
        assert [x.text for x in t.turns] == ["Hvem kom til møderne?",
                                             "Sundhedsfremme var det store emne \U0001F468\u200d\U0001F469."]
        assert [w.code for w in d] == ["W111"]
        message = d.warnings[0].message
        assert path.name in message and unit in message and "4 invisible" in message and "U+202E" in message


@pytest.mark.parametrize("name,content,code", [
    ("empty.txt", b"", "E103"),
    ("blank.txt", b"\n\n  \n", "E103"),
    ("binary.txt", b"\x00\x01\x02PNG\x00" * 50, "E104"),
    ("bad.txt", b"I: Hvad \x81\x8d\x8f\x90\x9d?\n", "E105"),
    ("notes.pdf", b"%PDF-1.4", "E102"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "E111"),
])
def test_bad_input_gets_coded_errors(write, name, content, code):
    path = write(name, content)
    with pytest.raises(CondenseError) as err:
        read_transcript(path) if code != "E102" else ingest([path])
    assert err.value.code == code
    assert name in str(err.value) and "Fix:" in str(err.value)


def test_a_stray_nul_in_a_text_is_a_space_with_its_line(write):
    """One NUL in an interview of valid UTF-8 (a crashed editor, a bad copy) refused the whole file as binary
    (E104); it is now replaced like every control character (W701, its line). Many NULs stay E104."""
    from condense.errors import Diagnostics

    d = Diagnostics()
    t = read_transcript(write("a.txt", "I: Hvordan gik det?\n\nR: Vi m\x00des hver tirsdag.\n".encode()), diagnostics=d)
    assert t.turns[1].text == "Vi m des hver tirsdag."
    assert [w.code for w in d.warnings if w.code.startswith("W7")] == ["W701"] and "line 3" in d.warnings[0].message
    with pytest.raises(CondenseError) as err:
        read_transcript(write("b.txt", ("I: Hej.\x00\x00\n" * 40).encode()))
    assert err.value.code == "E104"


def test_undecodable_bytes_name_the_line(write):
    with pytest.raises(CondenseError) as err:
        read_transcript(write("bad.txt", b"I: Hej?\n\nR: Goddag\n\nR: \x81\x8d\n"))
    assert err.value.code == "E105" and "line 5" in str(err.value)


def test_duplicate_transcript_ids(tmp_path, write):
    write("a.txt", "---\nid: same\n---\nI: Hej?\n\nR: Hej.\n")
    write("b.txt", "---\nid: same\n---\nI: Hej?\n\nR: Hej.\n")
    with pytest.raises(CondenseError) as err:
        ingest([tmp_path])
    assert err.value.code == "E106" and "a.txt" in str(err.value) and "b.txt" in str(err.value)


def test_front_matter_typo_is_an_error_with_suggestion(write):
    with pytest.raises(CondenseError) as err:
        read_transcript(write("a.txt", "---\nid: x\nanonymus: true\n---\nI: Hej?\n\nR: Hej.\n"))
    assert err.value.code == "E108" and "line 3" in str(err.value) and "anonymous" in str(err.value)


def test_the_interviewee_key_points_to_respondent_not_interviewer(write):
    """Census h11c: `interviewee: Søren Ågård` was answered "did you mean 'interviewer'?", and the list of keys
    left out `respondent`, the key that hides the person interviewed's name; following the hint would have
    declared them the interviewer."""
    with pytest.raises(CondenseError) as err:
        read_transcript(write("a.txt", "---\nid: x\ninterviewee: Søren Ågård\n---\nI: Hej?\n\nR: Hej.\n"))
    text = str(err.value)
    assert err.value.code == "E108" and "did you mean 'respondent'" in text and "interviewer'" not in text
    assert "respondent" in text.split("Fix:")[1] and "place" in text.split("Fix:")[1]


def test_front_matter_ids_cases_and_times_are_read_as_written(write):
    """Census h11c: YAML reads ``id: 010`` as 8 (octal), ``id: 01`` as 1, ``cases: [03]`` as 3 and ``duration: 1:05``
    as 65; the interview then went by an id nobody gave it (decisions keyed by "010:0003:1" found nothing) and its
    plan matched no row of cases.csv. Yes/true stay what they say."""
    t = read_transcript(write("010.txt", "---\nid: 010\ncases: [03, Plan2]\nduration: 1:05\nanonymous: no\n"
                                         "date: 2017-03-14\n---\nI: Hej?\n\nR: Hej.\n"))
    assert t.id == "010" and t.cases == ["03", "Plan2"] and t.anonymous is False
    assert t.metadata.get("duration") == "1:05" and t.metadata.get("date") == "2017-03-14"
    assert read_transcript(write("b.txt", "---\nid: 01\n---\nI: Hej?\n\nR: Hej.\n")).id == "01"


def test_unclosed_withdrawn_marker_is_an_error(write):
    with pytest.raises(CondenseError) as err:
        read_transcript(write("a.txt", "I: Hej?\n\n[[withdrawn]] R: Hemmeligt.\n\nI: Ok?\n"))
    assert err.value.code == "E113" and "line 3" in str(err.value)


def test_readme_and_metadata_in_a_folder_are_not_transcripts(tmp_path, write):
    write("README.md", "# About\n\nA: b\n\nA: c\n")
    write("cases.csv", "case\nA\n")
    write("x.txt", TXT)
    assert [t.id for t in ingest([tmp_path]).transcripts] == ["t1"]


# ------------------------------------------------------------------ the real Danish interviews
LEGEND_INTERVIEWERS = {"I", "I1", "I2", "O", "I1 + I2"}


def test_real_danish_interviews_all_read_with_legend_roles(ecape_corpus):
    assert len(ecape_corpus.transcripts) == 30
    assert [p.split("/")[-1] for p in ecape_corpus.skipped] == ["Interviewguide_DK.docx"]
    assert [w.code for w in ecape_corpus.diagnostics] == ["W102"]
    for t in ecape_corpus.transcripts:
        assert t.role_source == "legend", t.id
        for label, role in t.speakers.items():
            assert (role == "interviewer") == (label in LEGEND_INTERVIEWERS), (t.id, label, role)


def test_real_danish_interviews_yield_clean_units(ecape_corpus):
    from condense.segment import segment

    seg = segment(ecape_corpus.transcripts)
    per = {u.transcript for u in seg.units}
    assert per == {t.id for t in ecape_corpus.transcripts}
    stamp = re.compile(r"(?<![\w(])\*?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\.\d)?\s*[=:]|^\d{1,2}:\d{2}:\d{2}|\(\d{1,2}\.\d{2}\.\d{2}\)")
    legend = re.compile(r"Interviewer \d|Båndlængde|TID\tPERSON|Transskribering af interview")
    for u in seg.units:
        assert u.role == "respondent" and u.speaker not in LEGEND_INTERVIEWERS
        assert not stamp.search(u.text), (u.unit_id, u.text)
        assert not legend.search(u.text), (u.unit_id, u.text)
        assert "\n" not in u.text


def test_real_interview_22_is_read_turn_by_turn(ecape_corpus):
    t = ecape_corpus.transcript("Interview 22")
    assert len(t.turns) > 600
    assert t.turns[0].speaker == "I1" and t.turns[0].text.endswith("Eller hvor var det?")
    assert t.turns[1].speaker == "Y" and t.turns[1].text == "Ja. Ja det var det"
    assert {x.speaker for x in t.turns} >= {"I1", "I2", "X", "Y", "Y og X"}


def test_two_files_with_the_same_title_keep_their_own_ids(ecape_corpus):
    titled = [t.id for t in ecape_corpus.transcripts if t.title == "Transskribering af interview nr. 1"]
    assert titled == ["Interview 01", "Interview 23"]


def test_withdrawn_passage_is_blanked_in_the_source_text_too(write):
    text = "I: Hej?\n\nR: Godt.\n\n[[withdrawn]] R: Familien Hansen.\n\nI: Ja? [[/withdrawn]]\n\nR: Slut.\n"
    t = read_transcript(write("w.txt", text), interviewer_labels=["I"])
    assert "Hansen" not in t.text and "withdrawn" not in t.text
    assert len(t.text) == len(text)  # spans stay valid
    last = t.turns[-1]
    assert t.text[last.start:last.end] == "Slut."


def test_docx_paragraph_properties_hold_no_text():
    """A paragraph's properties (tab stops, style, a tracked change of them with a nested pPr, the paragraph
    mark's run properties) are passed over whole; runs, tabs, breaks and empty paragraphs read as before."""
    from condense.ingest.sources import _docx_paragraphs

    props = ('<w:pPr><w:pStyle w:val="Normal"/><w:tabs><w:tab w:val="left" w:pos="1304"/>'
             '<w:tab w:val="left" w:pos="2608"/></w:tabs><w:rPr><w:b/></w:rPr>'
             '<w:pPrChange w:id="1"><w:pPr><w:jc w:val="left"/></w:pPr></w:pPrChange></w:pPr>')
    xml = ('<w:document><w:body>'
           f'<w:p>\n\t{props}<w:r><w:rPr><w:b/></w:rPr><w:t>I: Hvordan</w:t></w:r>'
           '<w:r><w:tab/><w:t xml:space="preserve">gik det? </w:t><w:br/><w:t>Godt &amp; vel</w:t></w:r></w:p>'
           '<w:p/>'
           f'<w:p w:rsidR="00A1">{props}</w:p>'
           f'<w:p>{props}<w:r><w:t>R: Det gik fint.</w:t></w:r></w:p>'
           '</w:body></w:document>')
    assert _docx_paragraphs(xml.encode()) == [p.encode() for p in ["I: Hvordan\tgik det? \nGodt & vel", "", "", "R: Det gik fint."]]


def test_docx_scan_reads_breaks_tables_and_skipped_text():
    """Each kind of tag the .docx scan knows, read from its groups: a carriage return, an empty run, deleted
    text and a field code (skipped), a self-closing paragraph with attributes, a table row (its cells'
    non-blank paragraphs joined by a space, the cells by a tab, entities decoded), a tab in a run."""
    from condense.ingest.sources import _docx_paragraphs

    xml = ('<w:document><w:body>'
           '<w:p><w:r><w:t>I: Før</w:t><w:cr/><w:t></w:t><w:t>efter</w:t></w:r>'
           '<w:del><w:r><w:delText>slettet</w:delText></w:r></w:del>'
           '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r></w:p>'
           '<w:p w:rsidR="00A1"/>'
           '<w:tbl><w:tr w:rsidR="2"><w:tc><w:p><w:r><w:t>R</w:t></w:r></w:p><w:p><w:r><w:t> </w:t></w:r></w:p></w:tc>'
           '<w:tc><w:p><w:r><w:t>Svar &lt;her&gt;</w:t></w:r></w:p><w:p><w:r><w:t>mere</w:t></w:r></w:p></w:tc>'
           '</w:tr></w:tbl>'
           '<w:p><w:r><w:t>Slut</w:t><w:tab/><w:t>her</w:t></w:r></w:p>'
           '</w:body></w:document>')
    assert _docx_paragraphs(xml.encode()) == [p.encode() for p in ["I: Før\nefter", "", "R\tSvar <her> mere", "Slut\ther"]]


def test_docx_paragraphs_normalised_at_once_as_one_by_one():
    """A .docx text is normalised whole: the same text as normalising each paragraph (combining marks opening a paragraph, odd spaces, invisible characters,
    carriage returns and line breaks inside a paragraph included)."""
    import random

    from condense.ingest.sources import _normalised_paragraphs, normalise

    pieces = ["a", "e", "\u0301", "\u0308", "å", "A\u030a", "\u00a0", "\u2009", "\ufeff", "\u200b", "\u00ad",
              " ", "I:", "\r", "\r\n", "\n", "\u1100", "\u1161", "\u11a8", "\u0b47", "\u0b3e", "ﬁ"]
    rng = random.Random(3)
    for _ in range(2000):
        paragraphs = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.7:
            paragraphs = [p.replace("\r", "").replace("\n", "") for p in paragraphs]
        one_by_one = "\n".join(normalise(p) for p in paragraphs)
        assert _normalised_paragraphs("\n".join(paragraphs), paragraphs) == one_by_one, paragraphs


def test_one_scan_for_odd_characters_answers_for_the_invisible_warning_and_normalise():
    """read_plain and read_docx scan a text once (has_odd) and skip both the W111 search and normalise's
    replacement when it finds nothing: every character that either would act on is found by it, so a text
    without one warns of nothing and normalises to the same text as before."""
    import random

    from condense.ingest.sources import _normalised_paragraphs, has_odd, invisible_in, normalise

    chars = [chr(c) for c in range(0x3000)] + ["\ufeff", "\ufe0f", "\U0001f600"]
    for ch in chars:
        if invisible_in(ch) is not None:
            assert has_odd(ch), hex(ord(ch))
        assert normalise(f"a{ch}b", has_odd(f"a{ch}b")) == normalise(f"a{ch}b"), hex(ord(ch))
    rng = random.Random(8)
    pieces = ["a", "å", "e\u0301", "\u00a0", "\u202f", "\u200b", "\u00ad", "\u2066", " ", "\t", "\r\n", "…", "ﬁ"]
    for _ in range(2000):
        paragraphs = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 4))]
        text = "\n".join(paragraphs)
        odd = has_odd(text)
        assert odd or invisible_in(text) is None
        assert _normalised_paragraphs(text, paragraphs, odd) == _normalised_paragraphs(text, paragraphs), paragraphs


@pytest.mark.parametrize("front", ['id: "int\\u0000x"', 'cases: ["A\\u001bB"]'])
def test_a_control_character_in_front_matter_is_refused_before_it_reaches_a_table(write, front):
    from condense.errors import CondenseError

    path = write("a.txt", f"---\n{front}\n---\nI: Hvordan gik det?\n\nR: Det gik fint med gåklubben.\n")
    with pytest.raises(CondenseError) as refused:
        ingest([path])
    assert refused.value.code == "E110" and "line 2" in str(refused.value)


def test_parenthesised_legend_check_skips_only_lines_that_are_no_legend():
    """parse_legend gives up on a line with "(" early when its last character is no entry's ")" or some "("
    opens no label (LEGEND_PAREN alone tried every start of a long header paragraph: quadratic); on random
    lines of legend pieces, prose and brackets it answers as the pattern alone does."""
    import random

    from condense.ingest.turns import LEGEND_PAREN, is_role_description, parse_legend

    def by_pattern(text):  # the parenthesised branch without the early checks
        found = list(LEGEND_PAREN.finditer(text))
        rest = LEGEND_PAREN.sub("", text).strip(" ;,\t")
        if found and not rest and all(is_role_description(m.group("desc")) for m in found):
            return {m.group("label").strip(): m.group("desc").strip() for m in found}
        return None

    pieces = ["Interviewer", " (I)", "(X)", " ( I1 )", "Informant", " (Anne Hansen)", "Mor", "(prioriteter)", "(",
              ")", "; ", ", ", " ", "\t", "hvad synes du", "?", "(care – for hinanden)", "(Y 2)", "deltager", "x"]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 9)))
        if "(" in text and ")" in text and "=" not in text:
            assert parse_legend(text) == by_pattern(text), text
    assert parse_legend("Interviewer (I) Interviewer (O) Informant (X) Informant (Y)") == {
        "I": "Interviewer", "O": "Interviewer", "X": "Informant", "Y": "Informant"}


def test_speaker_line_and_inline_stamp_prechecks_find_what_the_patterns_find():
    """turns._speaker_line tries SPEAKER_LINE only on a block ending in a clock and SPEAKER_LINE_TS_FIRST only
    on one starting with it; _TurnTexts looks for an inline stamp from "(", "[" and "#" only. On random blocks
    of labels, clocks, brackets and speech they find what the patterns alone find."""
    import random

    from condense.ingest.turns import _INLINE_TS_AT, INLINE_TS, SPEAKER_LINE, SPEAKER_LINE_TS_FIRST, _speaker_line

    pieces = ["Anne Hansen", "I", "Interviewer", "X og Y", " ", "  ", "\t", "0:03", "[00:05]", "(1:02:03)", "12",
              ":", "Ja", ".", "(griner)", "[", "]", "(", ")", "(1.04.46)", "[00:12:03]", "Det var 14.30", "ø",
              "#00:01:20-3#", "#", "[00:12:03.5]", "#3"]
    labels, clocks, gaps = ["Anne Hansen", "I", "X og Y", "Ja"], ["0:03", "[00:05]", "(1:02:03)", "12", "1.04"], [" ", "\t", "  ", ""]
    rng = random.Random(11)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 7))) for _ in range(5000)]
    for _ in range(2000):  # a speaker line, either way round, or nearly one
        label, clock, gap, end = rng.choice(labels), rng.choice(clocks), rng.choice(gaps), rng.choice(gaps + [".", ":"])
        texts.append(label + gap + clock + end if rng.random() < 0.5 else clock + gap + label + end)
    assert sum(bool(SPEAKER_LINE.match(t)) for t in texts) > 200 and sum(bool(SPEAKER_LINE_TS_FIRST.match(t)) for t in texts) > 200
    for text in texts:
        found = _speaker_line(text)
        expected = SPEAKER_LINE.match(text) or SPEAKER_LINE_TS_FIRST.match(text)
        assert (found and (found.re, found.span(), found.groupdict())) == (
            expected and (expected.re, expected.span(), expected.groupdict())), text
        assert (_INLINE_TS_AT.search(text) is not None) == (INLINE_TS.search(text) is not None), text


def test_one_exchange_under_a_label_naming_the_interviewer_is_read(write):
    """A file of one question and one answer was skipped (W102): each label was used once, too like a heading."""
    path = write("a.txt", "Interviewer: Hvad synes du om gåklubben?\nBeboer: Den er god, jeg går med hver torsdag.\n")
    t = read_transcript(path)
    assert t is not None and [(x.speaker, x.role) for x in t.turns] == [("Interviewer", "interviewer"), ("Beboer", "respondent")]
    heading = write("b.txt", "Interventionen: gåklubben\n\nVi gik hver torsdag.\n\nDet var godt.\n")
    assert read_transcript(heading) is None  # a word starting like the role is no label of its own


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_transcript_whose_every_turn_is_withdrawn_is_skipped_and_its_passages_counted(tmp_path, jobs):
    """The researcher is told how many passages were left out: a file with nothing but a withdrawn passage
    counts too (it was skipped as if it held no turns, and its passage went uncounted)."""
    (tmp_path / "a.txt").write_text("I: Hvordan gik det?\n\nR: Godt, vi mødes hver tirsdag i fælleshuset.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("[[withdrawn]]\nI: Hvordan gik det?\n\nR: Det vil jeg ikke have med.\n"
                                    "[[/withdrawn]]\n", encoding="utf-8")
    corpus = ingest([tmp_path], jobs=jobs)
    assert [t.id for t in corpus.transcripts] == ["a"] and corpus.skipped == [str(tmp_path / "b.txt")]
    assert corpus.n_withdrawn == 1
    assert {w.code for w in corpus.diagnostics.warnings} >= {"W102", "W109"}


OTHER_LABELS = {  # the same interview, its labels written otherwise than "Label: …"
    "dash": ("I - ", "R – "), "bracket": ("[I]: ", "[R] "), "stop": ("I.: ", "R.: "), "initial": ("I. ", "R.  "),
    "small": ("i: ", "r:  "),
    # a list's mark before the label (a Markdown list, a pasted bullet), bold without a colon in Markdown
    "bullet": ("- I: ", "• R: "), "bullet_bold": ("* **I:** ", "- **R:** "), "mdbold": ("**I** ", "**R**  ")}


@pytest.mark.parametrize("style", sorted(OTHER_LABELS))
def test_speakers_labelled_otherwise_are_read(tmp_path, write, style):
    """'I - …', '[I]: …', 'I.: …', 'interviewer: …': the whole interview was skipped as holding no turns (W102)."""
    i, r = OTHER_LABELS[style]
    path = write("ole.txt", f"Interview med Ole\n\n{i}Hvordan kom I i gang med helhedsplanen?\n\n"
                            f"{r}Det var beboerne selv. Vi holdt et stormøde i fælleshuset.\n\n{i}Hvem kom?\n\n"
                            f"{r}Mest de ældre, altså - ikke så mange unge familier.\n")
    corpus = ingest([tmp_path])
    (t,) = corpus.transcripts
    assert [(x.speaker, x.role) for x in t.turns] == [("I", "interviewer"), ("R", "respondent")] * 2
    source = path.read_text(encoding="utf-8")
    assert [source[x.start:x.end] for x in t.turns] == [x.text for x in t.turns]  # spans point at the source's words
    assert t.turns[3].text == "Mest de ældre, altså - ikke så mange unge familier."
    assert [w.code for w in corpus.diagnostics.warnings if w.code != "W103"] == ["W118"]


def test_full_width_colon_is_a_colon(write):
    """'I：' (U+FF1A, as an East Asian keyboard or an IME types it) was no label: the file was skipped (W102),
    and in a file of 'I:' turns a turn typed 'IP：' went into the turn before it."""
    t = read_transcript(write("fw.txt", "I：Hvordan kom I i gang?\n\nIP：Vi mødtes i beboerhuset.\n\n"
                                        "I：Hvem tog initiativet?\n\nIP： Formanden.\n"))
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("I", "Hvordan kom I i gang?"), ("IP", "Vi mødtes i beboerhuset."), ("I", "Hvem tog initiativet?"),
        ("IP", "Formanden.")]
    mixed = read_transcript(write("mixed.txt", "I: Hvordan kom I i gang?\n\nIP：Vi mødtes i beboerhuset.\n\n"
                                               "I: Hvem kom?\n\nIP: De ældre.\n"))
    assert [x.speaker for x in mixed.turns] == ["I", "IP", "I", "IP"]


def test_a_turn_behind_a_list_mark_among_colon_turns_is_a_turn(write):
    """'- R: …' in a file of 'I: …' / 'R: …' turns went into the turn before it, in the interviewer's mouth. The
    file's own labels behind a list's mark open turns; a dash before speech stays speech."""
    t = read_transcript(write("a.txt", "I: Hvordan gik det?\n\nR: Godt.\n\n- I: Og så?\n\n- R: Så spiser vi.\n\n"
                                       "- ja, altså: vi mødes hver tirsdag.\n\n• I: Hvem kom?\n\nR: De ældre.\n"))
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("I", "Hvordan gik det?"), ("R", "Godt."), ("I", "Og så?"),
        ("R", "Så spiser vi. - ja, altså: vi mødes hver tirsdag."), ("I", "Hvem kom?"), ("R", "De ældre.")]


def _bold_docx(path, lines):
    """A .docx whose paragraphs are (bold, plain) runs: ("Interviewer", " Hvordan …")."""
    import docx

    document = docx.Document()
    for bold, plain in lines:
        para = document.add_paragraph()
        if bold:
            para.add_run(bold).bold = True
        if plain:
            para.add_run(plain)
    document.save(path)
    return path


def test_bold_labels_without_a_colon_in_a_docx(tmp_path):
    """'Interviewer' as a bold run before the speech, no colon: the interview was skipped (W102). A paragraph that
    opens with a bold word for emphasis, or a bold heading, is no label."""
    path = _bold_docx(tmp_path / "bold.docx", [
        ("Interview med Anne", ""), ("Interviewer", " Hvordan kom I i gang med det?"),
        ("Anne", "\tVi mødtes i beboerhuset hver tirsdag."), ("Interviewer ", "Hvem tog initiativet?"),
        ("Anne", " Det gjorde formanden, tror jeg."), ("", "Og så kom de andre med.")])
    corpus = ingest([path])
    (t,) = corpus.transcripts
    assert [(x.speaker, x.role) for x in t.turns] == [("Interviewer", "interviewer"), ("Anne", "respondent")] * 2
    assert t.turns[1].text == "Vi mødtes i beboerhuset hver tirsdag."
    assert t.turns[3].text == "Det gjorde formanden, tror jeg. Og så kom de andre med."
    assert [t.text[x.start:x.end] for x in t.turns[:3]] == [x.text for x in t.turns[:3]]
    assert [w.code for w in corpus.diagnostics.warnings] == ["W118"]
    (tmp_path / "notes").mkdir()
    notes = _bold_docx(tmp_path / "notes" / "guide.docx", [
        ("Tema 1", ""), ("Vigtigt", ": spørg til opstarten."), ("Opstart", " hvem tog initiativet?"),
        ("Deltagelse", " hvem kom?"), ("Vigtigt", " spørg til de unge.")])
    assert read_transcript(notes) is None


def test_ambiguous_labels_are_refused_saying_what_to_type(tmp_path, write):
    """One bulleted label and unlabelled answers is not read as turns: W102, whose fix says to type 'Label:'
    at the start of a line, and E706 when every file is skipped."""
    write("a.txt", "- I: Hvordan kom I i gang?\n\nVi mødtes i beboerhuset.\n\n- I: Hvem kom?\n\nDe ældre.\n")
    with pytest.raises(CondenseError) as err:
        from condense.verbs import segment

        segment([tmp_path])
    assert err.value.code == "E706"
    corpus = ingest([tmp_path])
    (w,) = corpus.diagnostics.warnings
    assert w.code == "W102" and "(`I: …`, `IP: …`; no list dash before it)" in w.fix


def test_a_dash_in_speech_is_no_label(write):
    """A file with colon labels keeps a paragraph that opens with a word and a dash as speech, and a guide whose
    lines open with 'Tema - …' is no interview."""
    t = read_transcript(write("a.txt", "I: Hvordan gik det?\n\nR: Godt.\n\nJa - altså vi mødes hver tirsdag.\n\n"
                                       "I: Og så?\n\nR: Så spiser vi.\n\nJa - det er hyggeligt.\n"))
    assert [x.speaker for x in t.turns] == ["I", "R", "I", "R"] and t.turns[1].text.endswith("hver tirsdag.")
    guide = "Spørgeguide\n\nTema - opstart\n\nSpørgsmål - hvem tog initiativet?\n\nTema - deltagelse\n\nSpørgsmål - hvem kom?\n"
    assert read_transcript(write("guide.txt", guide)) is None
    lettered = "Spørgeguide\n\na) Hvem tog initiativet?\n\nb) Hvem kom?\n\na) Hvad virkede?\n\nb) Hvad gjorde I så?\n"
    assert read_transcript(write("guide2.txt", lettered)) is None
    notes = "note: ringede kl. 10\n\nnote: hun var glad\n\ntema: opstart\n\ntema: deltagelse\n"
    assert read_transcript(write("notes.txt", notes)) is None


def test_a_case_not_in_cases_csv_names_the_one_meant(tmp_path, write):
    """W104 said only that 'solsikkeparken' is not in cases.csv; it names 'Solsikkeparken' when the two differ in
    capitals, spaces or a letter, and nothing when no case is near."""
    write("cases.csv", "case,region\nSolsikkeparken,Sjælland\nBøgeløkken,Sjælland\n")
    for name, case in (("a", "solsikkeparken "), ("b", "Bøgeløken"), ("c", "Åbyen")):
        write(f"{name}.txt", f"---\ncases: [{case}]\n---\nI: Hvordan gik det?\n\nR: Godt.\n")
    messages = sorted(w.message for w in ingest([tmp_path]).diagnostics.warnings if w.code == "W104")
    assert messages[0].endswith("case 'solsikkeparken' is not in cases.csv; cases.csv has 'Solsikkeparken'")
    assert messages[1].endswith("case 'Bøgeløken' is not in cases.csv; cases.csv has 'Bøgeløkken'")
    assert messages[2].endswith("case 'Åbyen' is not in cases.csv")


def test_transcripts_in_subfolders_are_named_not_lost(tmp_path):
    """A folder is read without its subfolders: interviews sorted into 'runde2/' were left out without a word.
    W119 names such subfolders; not those named in their own right, a study of their own (condense.yaml) or
    condense's results (manifest.json, whose report.md is no transcript). A folder with none of its own is E112
    naming them."""
    interview = "I: Hvordan gik det?\n\nR: Godt, vi mødes hver tirsdag.\n"
    for name in ("a.txt", "runde2/b.txt", "runde2/c.docx.txt", "study/d.txt", "results/report.md", ".git/e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(interview, encoding="utf-8")
    (tmp_path / "study" / "condense.yaml").write_text("transcripts: .\n", encoding="utf-8")
    (tmp_path / "results" / "manifest.json").write_text("{}", encoding="utf-8")
    corpus = ingest([tmp_path])
    (w,) = [w for w in corpus.diagnostics.warnings if w.code == "W119"]
    assert "'runde2' (2 file(s))" in w.message and "study" not in w.message and "results" not in w.message
    assert [t.id for t in corpus.transcripts] == ["a"]
    both = ingest([tmp_path, tmp_path / "runde2"])
    assert "W119" not in {w.code for w in both.diagnostics.warnings} and len(both.transcripts) == 3
    (tmp_path / "a.txt").unlink()
    with pytest.raises(CondenseError) as err:
        ingest([tmp_path])
    assert err.value.code == "E112" and "'runde2'" in str(err.value)


def test_an_unpunctuated_transcript_finds_its_interviewer_by_the_questions_words(write):
    """Speech-to-text without punctuation has no question mark: the interviewer was not found (W103 '(none)'),
    and every question became a meaning unit. With no question mark anywhere, a turn asks when a question word
    or a verb before its subject stands among its last words ("hvordan …", "kan du …"); W120 says so. Measured
    on ecape_da with its punctuation taken away: the same roles as the punctuated files in 25 of 30 interviews
    (0 before), the sample 11 of 11 (3 before)."""
    from condense.errors import Diagnostics

    turns = [("A", "hej og tak fordi du ville være med kan du starte med at fortælle hvad du laver"),
             ("B", "ja jeg er beboerrådgiver i området og har været det i fem år " * 5),
             ("A", "okay og hvordan kom I så i gang med fællesspisningen"),
             ("B", "det var egentlig nogle af kvinderne der spurgte om de måtte låne køkkenet " * 5),
             ("A", "mm"),
             ("B", "og så gik det stærkt for vi havde jo et lokale der stod tomt om aftenen " * 5),
             ("A", "hvem var det der kom i starten"),
             ("B", "mest ældre og nogle enlige mødre men ingen mænd i begyndelsen " * 5),
             ("A", "var der nogen der faldt fra"),
             ("B", "nej ikke rigtig de blev ved med at komme hver uge hele vinteren " * 3)]
    body = "\n\n".join(f"{label}: {text.strip()}" for label, text in turns) + "\n"
    d = Diagnostics()
    t = read_transcript(write("u.txt", body), diagnostics=d)
    assert t.speakers == {"A": "interviewer", "B": "respondent"}
    assert "W120" in [w.code for w in d]
    punctuated = body.replace(" laver\n", " laver?\n").replace(" starten\n", " starten?\n")
    d = Diagnostics()
    read_transcript(write("p.txt", punctuated), diagnostics=d)
    assert "W120" not in [w.code for w in d]  # a question mark anywhere: questions are read by their marks


_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3"><office:body><office:text>
<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>
<dc:creator>Transcriber</dc:creator></office:change-info><text:p>R: Det her er slettet og skal ikke læses.</text:p>
</text:deletion></text:changed-region></text:tracked-changes>
<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Figure"/></text:sequence-decls>
<text:h text:outline-level="1">Interview med <text:span>Engdraget</text:span></text:h>
<text:p>I: Hvordan kom I i gang<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>
<text:note-body><text:p>Fodnote: spørgsmålet blev stillet to gange.</text:p></text:note-body></text:note> med holdet?</text:p>
<text:p text:style-name="P1">R: Kvinderne kom selv<text:s text:c="2"/>på kontoret<text:change text:change-id="ct1"/>, og vi
fandt et lokale.<office:annotation><dc:creator>AB</dc:creator><text:p>kommentar: tjek navnet</text:p></office:annotation>
Der var gardiner for vinduerne.<text:line-break/>I: Og hvad kostede det?</text:p>
<text:list><text:list-item><text:p>R: Det kostede 50 kr. om måneden,<text:tab/>og kaffen var gratis.</text:p></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>I</text:p></table:table-cell>
<table:table-cell><text:p>Kom der nogen mænd?</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>R</text:p></table:table-cell>
<table:table-cell><text:p>Nej, kun en enkelt <text:a xlink:href="x" xmlns:xlink="http://www.w3.org/1999/xlink">en gang</text:a>.</text:p></table:table-cell></table:table-row></table:table>
<text:p><draw:frame draw:name="Billede1"><draw:text-box><text:p>Billedtekst</text:p></draw:text-box></draw:frame></text:p>
</office:text></office:body></office:document-content>
"""


def make_odt(path, content: str = _ODT_CONTENT, *, encrypted: bool = False):
    """An .odt as LibreOffice writes one: the mimetype first and stored, a manifest, the content."""
    import zipfile

    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">'
                + ('<manifest:encryption-data/>' if encrypted else '') + '</manifest:file-entry></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_an_odt_transcript_is_read_as_a_reader_sees_it(tmp_path):
    """LibreOffice's .odt was 'ignored (not a transcript type)'. Read now as a .docx is: a paragraph per block,
    a table row's cells joined, soft line breaks kept; deleted tracked changes, footnotes and comments left out
    (a footnote's or comment's text is not the respondent's speech). A text box is read once, as a paragraph of
    its own after the one it is anchored in (as in a .docx; it had been left out): with no label of its own, it
    goes on the turn before."""
    t = read_transcript(make_odt(tmp_path / "engdraget.odt"))
    said = [(x.speaker, x.text) for x in t.turns]
    assert said == [
        ("I", "Hvordan kom I i gang med holdet?"),
        ("R", "Kvinderne kom selv  på kontoret, og vi fandt et lokale. Der var gardiner for vinduerne."),
        ("I", "Og hvad kostede det?"),
        ("R", "Det kostede 50 kr. om måneden,\tog kaffen var gratis."),
        ("I", "Kom der nogen mænd?"),
        ("R", "Nej, kun en enkelt en gang. Billedtekst"),
    ]  # the XML's own line break is a space (ODF's white-space rule); <text:s text:c="2"/> is two
    text = t.text
    for hidden in ("slettet", "Fodnote", "kommentar", "Transcriber"):
        assert hidden not in text
    assert text.count("Billedtekst") == 1
    for x in t.turns:  # every turn's text is the source's, at its offsets
        assert all(text[src:src + n] == x.text[off:off + n] for off, src, n in x.pieces)
    assert t.speakers == {"I": "interviewer", "R": "respondent"}


def test_an_odt_that_cannot_be_read_is_named(tmp_path):
    from condense.errors import CondenseError

    laughs = ('<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")
    bomb = _ODT_CONTENT.replace("<office:document-content", laughs + "<office:document-content", 1) \
        .replace("Interview med", "&i;")  # ten to the ninth a's once expanded
    for path, words in ((make_odt(tmp_path / "locked.odt", encrypted=True), "password-protected"),
                        (make_odt(tmp_path / "laughs.odt", bomb), "not well-formed"),
                        (make_odt(tmp_path / "calc.odt", _ODT_CONTENT.replace("office:text>", "office:spreadsheet>")),
                         "no text document")):
        with pytest.raises(CondenseError) as err:
            read_transcript(path)
        assert err.value.code == "E111" and words in str(err.value) and "LibreOffice" in str(err.value)


def test_a_doc_or_pdf_in_the_folder_says_how_to_make_it_readable_and_a_rtf_is_read(tmp_path):
    from condense.errors import Diagnostics

    (tmp_path / "a.txt").write_text("I: Hvordan startede det?\n\nR: Med et beboermøde i fælleshuset.\n", encoding="utf-8")
    (tmp_path / "b.rtf").write_text("{\\rtf1 I: Hvordan startede det?\\par R: Med et beboerm\\'f8de.\\par}",
                                    encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "d.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    d = Diagnostics()
    corpus = ingest([tmp_path], diagnostics=d)
    pdf, doc = (str(w) for w in d.warnings if w.code == "W105")
    assert "c.pdf" in pdf and "PDF's text is not read" in pdf
    assert "d.doc" in doc and "save it as .docx" in doc
    assert corpus.transcript("b").turns[1].text == "Med et beboermøde."


def test_files_windows_leaves_in_a_folder_are_passed_over_without_a_word(tmp_path):
    """Failed before: Thumbs.db and desktop.ini, which Windows Explorer writes into a folder it shows, were W105
    "ignored (not a transcript type)" on every run, as if the researcher had put them there."""
    from condense.errors import Diagnostics

    (tmp_path / "a.txt").write_text("I: Hvordan startede det?\n\nR: Med et beboermøde i fælleshuset.\n", encoding="utf-8")
    for name in ("Thumbs.db", "desktop.ini", "ehthumbs.db"):
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0 system")
    (tmp_path / "notes.db").write_bytes(b"\xd0\xcf\x11\xe0")  # a file someone put there is still named
    d = Diagnostics()
    corpus = ingest([tmp_path], diagnostics=d)
    assert [t.id for t in corpus.transcripts] == ["a"]
    named = [str(w) for w in d.warnings if w.code == "W105"]
    assert len(named) == 1 and "notes.db" in named[0], named


def test_a_second_copy_of_an_interview_is_named(tmp_path):
    """"Interview 01 (1).docx" beside "Interview 01.docx" (a second download) was read as one more interview
    without a word: every count and quantifier counted its units twice. W122 names both files."""
    from condense.errors import Diagnostics

    body = "I: Hvordan startede det?\n\nR: Med et beboermøde i fælleshuset, og så kom der flere hver gang.\n"
    (tmp_path / "a.txt").write_text("---\nid: a\n---\n" + body, encoding="utf-8")
    (tmp_path / "a (1).txt").write_text("---\nid: a_copy\n---\n" + body, encoding="utf-8")
    (tmp_path / "b.txt").write_text(body.replace("beboermøde", "stormøde"), encoding="utf-8")
    d = Diagnostics()
    corpus = ingest([tmp_path], diagnostics=d)
    assert len(corpus.transcripts) == 3  # read, as the researcher may have meant it: but said
    (w,) = [w for w in d.warnings if w.code == "W122"]
    assert "a (1).txt and" in str(w) and "a.txt hold the same interview" in str(w) and "b.txt" not in str(w)


@pytest.mark.parametrize("labels", [("INT", "RESP"), ("Int", "Inf"), ("IVR", "Beboer 2")])
def test_shortened_role_labels_are_no_names_to_propose(tmp_path, labels):
    """`condense names` proposed "INT" and "RESP" as people to pseudonymise: a transcriber's shortened role
    labels are labels, as "Interviewer" and "Respondent" are."""
    from condense.ingest import ingest
    from condense.names import propose

    ask, answer = labels
    (tmp_path / "a.txt").write_text(f"{ask}: Hvordan startede det?\n\n{answer}: Med et møde i beboerhuset.\n\n"
                                    f"Hanne: Og naboerne kom med kage.\n\n{ask}: Hvem kom så?\n\n"
                                    f"{answer}: Mest børnefamilier.\n\nHanne: Og de ældre fra nummer 12.\n",
                                    encoding="utf-8")
    proposed = {c.real for c in propose(ingest([tmp_path / "a.txt"]))}
    assert "Hanne" in proposed  # a speaker label that is a name is still proposed
    assert ask not in proposed and answer not in proposed


def test_a_tab_in_front_matter_is_named_as_a_tab_with_its_mend(write):
    """Census h11c: a tab in a transcript's front matter gave YAML's "found character '\\t' that cannot start any
    token" (E107); it is now named as a tab with its mend, as in a codebook or a project file, at the file's line."""
    for name in ("a.txt", "b.md"):
        path = write(name, "---\nid: int1\ncases:\n\t- Plan1\n---\nI: Hvordan gik det?\n\nR: Godt.\n")
        with pytest.raises(CondenseError) as err:
            read_transcript(path)
        assert err.value.code == "E107" and err.value.kwargs["line"] == 4, str(err.value)
        assert "a tab: YAML indents with spaces only; replace the tab with spaces" in str(err.value)


def test_a_results_folder_is_refused_as_transcripts(sample_run, tmp_path):
    """`condense run results`: the last run's report.md was read as an interview (W103, W106 only) and analysed.
    A folder condense wrote, or a file its manifest lists, is refused (E117); a folder beside it is read."""
    from condense.ingest import find_transcripts

    _, out = sample_run
    for given in (out, out / "report.md"):
        with pytest.raises(CondenseError) as err:
            find_transcripts([given])
        assert err.value.code == "E117" and "codings.csv" in str(err.value)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.txt").write_text("I: Hvordan?\n\nR: Sådan.\n", encoding="utf-8")
    (tmp_path / "t" / "manifest.json").write_text('{"name": "my own notes"}', encoding="utf-8")  # not condense's
    assert [p.name for p in find_transcripts([tmp_path / "t"])] == ["a.txt"]


def test_an_id_from_a_file_name_is_cleaned_of_invisible_characters_and_compatibility_forms(tmp_path, write):
    """A file named "odd\u200b ﬁsk.txt" gave the id "odd\u200b ﬁsk": a zero-width space and a ligature nobody can
    type in a review sheet or decisions.csv. The id is written plainly now ("odd fisk"), as W111 cleans text; a
    name without such characters keeps its id ("Kastanjegården", and a Mac's "a" + ring is "å" as before). Two
    files whose cleaned ids meet are E106, saying why."""
    write("odd\u200b ﬁsk.txt", "I: Hej?\n\nR: Hej.\n")
    write("Ｂølle\u2060gården.txt", "I: Hej?\n\nR: Hej.\n")
    write("Kastanjega\u030arden.txt", "I: Hej?\n\nR: Hej.\n")
    write("plain name.txt", "I: Hej?\n\nR: Hej.\n")
    ids = sorted(t.id for t in ingest([tmp_path]).transcripts)
    assert ids == ["Bøllegården", "Kastanjegården", "odd fisk", "plain name"]
    write("odd fisk.txt", "I: Hej?\n\nR: Hej.\n")
    with pytest.raises(CondenseError) as err:
        ingest([tmp_path])
    assert err.value.code == "E106" and "'odd fisk'" in str(err.value) and "rename one" in str(err.value)
