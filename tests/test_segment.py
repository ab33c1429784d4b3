"""Segmentation: meaning units from respondent turns, sentence rules for Danish speech."""
from __future__ import annotations

import pytest

from condense.ingest import read_transcript
from condense.segment import Settings, segment

INTERVIEW = """---
id: s1
cases: [Engdraget]
interviewer_labels: [I]
---
I: Hvordan fik I ideen til holdet?

R: Ja.

I: Fortæl.

R: Kvinderne kom selv på kontoret. De spurgte efter et sted at træne. Vi fandt et lokale i kælderen. Der var gardiner for vinduerne. Og døren kunne låses.

I: Mm.

R: Nej nej.

I: Hvad kostede det?

R: Det kostede 50 kr. Og så var der kaffe bagefter.
"""


@pytest.fixture
def transcript(write):
    return read_transcript(write("s1.txt", INTERVIEW))


def test_windows_of_sentences_inside_one_turn(transcript):
    units = segment([transcript], settings=Settings(max_sentences=3)).units
    texts = [u.text for u in units]
    assert texts[0] == "Kvinderne kom selv på kontoret. De spurgte efter et sted at træne. Vi fandt et lokale i kælderen."
    assert texts[1] == "Der var gardiner for vinduerne. Og døren kunne låses."
    assert all(u.role == "respondent" for u in units)


def test_backchannels_are_not_units_and_questions_are_kept(transcript):
    units = segment([transcript]).units
    assert "Ja." not in [u.text for u in units] and "Nej nej." not in [u.text for u in units]
    assert units[0].question == "Fortæl." and units[-1].question == "Hvad kostede det?"


def test_kr_can_end_a_sentence(transcript):
    units = segment([transcript], settings=Settings(mode="sentence")).units
    assert units[-2].text == "Det kostede 50 kr." and units[-1].text == "Og så var der kaffe bagefter."


@pytest.mark.parametrize("text,n", [
    ("Vi havde bl.a. gåture og f.eks. madlavning. Det gik godt.", 2),
    ("Det er dvs. dem der kommer. Ca. 20 stykker.", 2),
    ("Og så… og så gik vi hjem. Det var det.", 2),
    ("Vi ventede… Så kom de endelig.", 2),
    ("Hvad siger du? Nej! Det tror jeg ikke.", 3),
])
def test_danish_sentence_boundaries(nlp_da, text, n):
    assert len(list(nlp_da(text).sents)) == n


def test_modes_turn_and_word_cap(transcript):
    turn_units = segment([transcript], settings=Settings(mode="turn")).units
    assert len(turn_units) == 2 and turn_units[0].text.endswith("kunne låses.")
    capped = segment([transcript], settings=Settings(max_sentences=10, max_words=12)).units
    assert all(u.n_words <= 12 or u.text.count(".") <= 1 for u in capped)


def test_unit_ids_are_stable_and_spans_exact(transcript, write):
    a = segment([transcript]).units
    b = segment([read_transcript(write("s1.txt", INTERVIEW))]).units
    assert [u.unit_id for u in a] == [u.unit_id for u in b]
    assert [u.fingerprint for u in a] == [u.fingerprint for u in b]
    assert len({u.unit_id for u in a}) == len(a)
    for u in a:
        assert transcript.text[u.start:u.end] == u.text
        assert u.unit_id.startswith("s1:")


def test_fingerprint_follows_text_not_position(write):
    moved = INTERVIEW.replace("I: Hvordan fik I ideen til holdet?", "I: Velkommen til.\n\nR: Tak for det, jeg glæder mig.\n\nI: Hvordan fik I ideen til holdet?")
    a = segment([read_transcript(write("a.txt", INTERVIEW))]).units
    b = segment([read_transcript(write("b.txt", moved))]).units
    assert [u.unit_id for u in a] != [u.unit_id for u in b[1:]]
    assert [u.fingerprint for u in a] == [u.fingerprint for u in b[1:]]


def test_consent_flags_and_withdrawn(write):
    text = ("---\nanonymous: true\ninterviewer_labels: [I]\n---\nI: Hvad skete der?\n\n"
            "R: Vi lavede en madklub for beboerne.\n\n[[withdrawn]] R: Naboen var meget syg.\n\nI: Ja? [[/withdrawn]]\n\n"
            "I: Og så?\n\nR: Så sluttede projektet.\n")
    units = segment([read_transcript(write("c.txt", text))]).units
    assert [u.text for u in units] == ["Vi lavede en madklub for beboerne.", "Så sluttede projektet."]
    assert all(u.anonymous for u in units)


def test_units_never_cross_a_turn(sample_corpus, sample_units):
    turns = {(t.id, turn.index): turn for t in sample_corpus.transcripts for turn in t.turns}
    for u in sample_units.units:
        assert u.text in turns[(u.transcript, u.turn)].text


ODD_TURNS = """---
id: odd
interviewer_labels: [I]
---
I: Hvad skete der?

R: Det var ... Nej. Det var godt … men dyrt, 50 kr. Og så.

R: Vi talte (griner) om det [anonymiseret] bagefter.

R: En. To. Tre.

R: En. To. Tre. Fire.

R: Ét, to, tre, fire, fem, seks, syv, otte, ni, ti, elleve, tolv, tretten, fjorten, femten, seksten, sytten, atten.

R: Hun sagde:  "nej"\tog gik.

R: Mm, okay.

R: Bl.a. f.eks. dvs. osv. Ja, præcis!
"""


@pytest.mark.parametrize("mode,limits", [("window", (3, 80)), ("window", (3, 12)), ("window", (1, 5)),
                                         ("turn", (3, 80)), ("sentence", (3, 80))])
def test_a_turn_read_as_one_unit_gives_the_units_of_the_full_analysis(mode, limits, sample_corpus, write,
                                                                       monkeypatch):
    """A respondent turn that is one window is joined from its pieces' content words (nlp.whole_unit)
    without the token lists, and its fingerprint from its pieces' words (so are the windows of whole pieces);
    every unit (id, span, text, fingerprint, lemmas, surfaces, …) is the one the
    full analysis gives, on the sample, the English sample and turns with ellipses, abbreviations,
    brackets, odd spaces and exactly the sentence and word limits, in every mode; with the default settings a third of these turns take it (ecape_da: 6,771 of 9,542)."""
    import sys

    from condense.ingest import ingest
    from condense.nlp import whole_unit
    from conftest import SAMPLE

    transcripts = (sample_corpus.transcripts + ingest([SAMPLE / "en"]).transcripts
                   + [read_transcript(write("odd.txt", ODD_TURNS))])
    settings = Settings(mode=mode, max_sentences=limits[0], max_words=limits[1])
    taken = []

    def counted(text, types, sentences, words, **kwargs):
        found = whole_unit(text, types, sentences, words, **kwargs)
        taken.append(len(found) == 3)
        return found

    monkeypatch.setattr(sys.modules["condense.nlp"], "whole_unit", counted)
    fast = segment(transcripts, settings=settings)
    monkeypatch.setattr(sys.modules["condense.segment"], "_whole_unit", lambda nlp, language, settings: None)
    full = segment(transcripts, settings=settings)
    assert fast.units == full.units and fast.questions == full.questions
    assert any(taken) and not all(taken)
    if (mode, limits) == ("window", (3, 80)):  # the default settings
        assert sum(taken) > len(taken) / 3, (sum(taken), len(taken))


# speech-to-text without punctuation: no sentence end, no question mark, lower case (written for this test)
_STORY = ("vi startede med at invitere til kaffe i fælleshuset hver onsdag og i begyndelsen kom der kun et par "
          "stykker men så begyndte folk at tage naboen med og efter et halvt år var vi oppe på tyve mennesker "
          "og så spurgte nogle af kvinderne om vi ikke kunne lave mad sammen i stedet for bare at drikke kaffe "
          "fordi mange af dem boede alene og ikke gad lave mad til sig selv så vi fik lov at låne køkkenet af "
          "boligforeningen og en af beboerne som havde været kok tog ansvaret for indkøbene ")


def test_a_turn_without_sentence_ends_is_cut_by_length_at_clause_openers(write):
    """A 300-word turn with no sentence end was one 300-word meaning unit (1,102 words at most in ecape_da with
    its punctuation taken away): nothing to code or quote from. It is cut into pieces of about max_words
    content words, before a word that opens a clause; a sentence up to twice max_words stays whole."""
    text = "I: hvordan kom I i gang med fællesspisningen\n\nR: " + _STORY * 4 + "\n"
    t = read_transcript(write("u.txt", "---\ninterviewer_labels: [I]\n---\n" + text))
    units = segment([t], settings=Settings(max_words=40)).units
    assert len(units) >= 4
    for u in units:
        assert t.text[u.start:u.end] == u.text
        assert len(u.text.split()) <= 2 * 40 + 20
    openers = [u.text.split()[0] in ("og", "men", "så", "fordi", "eller", "altså", "hvis", "når", "da")
               for u in units[1:]]
    assert sum(openers) >= len(openers) - 1  # one cut here has no clause opener within reach: cut by count
    assert sum(len(u.text.split()) for u in units) == len(_STORY.split()) * 4  # no word lost or doubled
    whole = segment([t], settings=Settings(max_words=80, max_sentences=3)).units
    assert all(len(u.text.split()) <= 2 * 80 + 40 for u in whole)
    short = read_transcript(write("s.txt", "---\ninterviewer_labels: [I]\n---\nI: og så\n\nR: " + _STORY + "\n"))
    assert len(segment([short], settings=Settings(max_words=80)).units) == 1  # about 45 content words: whole


@pytest.mark.parametrize("max_words", [1, 2, 3, 80])
def test_long_sentences_are_cut_into_pieces_that_tile_the_sentence(max_words):
    """`segment --max-words 1` (or `max_words: 1` in the project) raised IndexError on the sample: a cut moved
    forward to a clause opener left no room for the next, and later cuts ran past the sentence's end. Every
    sentence's pieces now tile it exactly, in order, for any cap."""
    import random

    from condense.segment import _by_length

    rng = random.Random(max_words)
    words = ["og", "så", "men", ",", "vi", "havde", "møder", "i", "huset", "der", "."]
    for _ in range(400):
        n = rng.randint(1, 60)
        texts = [rng.choice(words) for _ in range(n)]
        lemmas = ["" if t in {",", "."} else t for t in texts]
        start = rng.randint(0, 3)
        texts, lemmas = ["x"] * start + texts, ["x"] * start + lemmas
        pieces = _by_length(start, len(texts), lemmas, texts, max_words)
        assert pieces[0][0] == start and pieces[-1][1] == len(texts), pieces
        assert all(a < b for a, b in pieces) and all(b == c for (_, b), (c, _) in zip(pieces, pieces[1:])), pieces


# A closing quotation mark stays with the sentence it closes, whichever marks the transcriber used; one with a
# space before it opens the next sentence.
QUOTED = [
    ('Hun sagde: "Vi kan godt selv." Og så gik det i gang.', 'Hun sagde: "Vi kan godt selv."'),
    ("Hun sagde: »Vi kan godt selv.« Og så gik det i gang.", "Hun sagde: »Vi kan godt selv.«"),
    ("Hun sagde: „Vi kan godt selv.“ Og så gik det i gang.", "Hun sagde: „Vi kan godt selv.“"),
    ("Hun sagde: ”Vi kan godt selv.” Og så gik det i gang.", "Hun sagde: ”Vi kan godt selv.”"),
    ("Hun sagde: 'Vi kan godt selv.' Og så gik det i gang.", "Hun sagde: 'Vi kan godt selv.'"),
    ("Hun sagde: ‘Vi kan godt selv?’ Og så gik det i gang.", "Hun sagde: ‘Vi kan godt selv?’"),
    ("Hun sagde: «Vi kan godt selv!» Og så gik det i gang.", "Hun sagde: «Vi kan godt selv!»"),
]


def _quoted_interview(answer: str) -> str:
    return f"---\nid: q\ninterviewer_labels: [I]\n---\nI: Hvordan startede haven?\n\nR: {answer}\n"


@pytest.mark.parametrize("answer,first", QUOTED)
@pytest.mark.parametrize("layout", ["txt", "tab", "docx"])
def test_a_closing_quotation_mark_stays_with_its_sentence(write, tmp_path, answer, first, layout):
    """The sample's 08_rosenhaven:0025:2 began `" Og så …` and the unit before it ended on an open quotation:
    the closing mark went to the next sentence. Plain text, a turn with a tab (tokenized whole) and Word."""
    from conftest import make_docx

    if layout == "tab":
        answer = answer.replace("Hun sagde", "Hun\tsagde")
    if layout == "docx":
        path = make_docx(tmp_path / "q.docx", ["I: Hvordan startede haven?", f"R: {answer}"])
    else:
        path = write("q.txt", _quoted_interview(answer))
    units = segment([read_transcript(path)], settings=Settings(mode="sentence")).units
    assert [u.text for u in units] == [first.replace("Hun sagde", "Hun\tsagde") if layout == "tab" else first,
                                       "Og så gik det i gang."]


def test_quotation_marks_after_a_sentence_end_that_open_the_next_one(write):
    """A mark with a space before it opens the next sentence; one ending the turn closes the last (it was a
    sentence of its own, dropped as too short to be a unit, so the turn's last unit ended on an open quotation).
    The speech tag after a quoted question goes with it ("sagde en." was a sentence, and a unit, of its own)."""
    answer = 'Det var svært. "Hvorfor spørger I om det?" sagde en. Han sagde: "Det gider vi ikke."'
    units = segment([read_transcript(write("q.txt", _quoted_interview(answer)))],
                    settings=Settings(mode="sentence")).units
    assert [u.text for u in units] == ["Det var svært.", '"Hvorfor spørger I om det?" sagde en.',
                                       'Han sagde: "Det gider vi ikke."']


SPEECH_TAGS = [  # a quotation closed by its sentence's end, and the words after it in small letters: one sentence
    ('"Kommer du?" sagde en. Vi gik hjem.', ['"Kommer du?" sagde en.', "Vi gik hjem."]),
    ("»Nej!« råbte han. Så gik han.", ["»Nej!« råbte han.", "Så gik han."]),
    ('"Are you coming?" she asked. We left.', ['"Are you coming?" she asked.', "We left."]),
    ('"Kommer du?" Vi gik hjem.', ['"Kommer du?"', "Vi gik hjem."]),  # a capital: the next sentence
    ('Han spurgte "kommer du?" og gik.', ['Han spurgte "kommer du?" og gik.']),
]
SPACED = [  # a tab or a run of spaces after a sentence's end: the next unit starts at its word
    ("Det var svært.\tOg så gik vi hjem.", ["Det var svært.", "Og så gik vi hjem."]),
    ("Det var svært.  Og så gik vi hjem.", ["Det var svært.", "Og så gik vi hjem."]),
    ('Hun sagde: "Nej."\tOg så gik vi.', ['Hun sagde: "Nej."', "Og så gik vi."]),
    ("Det var svært…\tog så gik vi.", ["Det var svært…\tog så gik vi."]),  # no end: one sentence, as before
]


def _sentencizer(tmp_path):
    """A user's pipeline (a project's `spacy_model`): spaCy's rule-based sentencizer, saved and loaded."""
    import spacy

    from condense.nlp import load_nlp

    nlp = spacy.blank("da")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "pipe")
    return load_nlp("da", model=str(tmp_path / "pipe"))


@pytest.mark.parametrize("answer,expected", SPEECH_TAGS + SPACED)
@pytest.mark.parametrize("path", ["pieces", "tab", "pipeline"])
def test_sentences_as_a_reader_sees_them(write, tmp_path, answer, expected, path):
    """A quoted question's speech tag was a sentence of its own; after a full stop and a tab (or two spaces) the
    next unit began with the tab. Plain text, a turn with a tab (tokenized whole) and a user's spaCy pipeline."""
    if path == "tab" and "\t" not in answer:
        answer, expected = answer.replace(" ", "\t", 1), [expected[0].replace(" ", "\t", 1), *expected[1:]]
    nlp = _sentencizer(tmp_path) if path == "pipeline" else None
    units = segment([read_transcript(write("q.txt", _quoted_interview(answer)))], settings=Settings(mode="sentence"),
                    nlp=nlp).units
    texts = [u.text for u in units]
    assert texts == expected
    assert all(t == t.strip() for t in texts)


def test_units_after_a_tab_keep_their_ids_and_fingerprints(write):
    """The tab before a sentence moves out of its unit's text; the unit's id and fingerprint stay those of
    before (measured on the code before the change), so review decisions keep their units."""
    answer = "Vi fik en have.\tDet var svært i starten. Så kom der flere.  Til sidst var alle med."
    units = segment([read_transcript(write("q.txt", _quoted_interview(answer)))],
                    settings=Settings(mode="sentence")).units
    assert [(u.unit_id, u.fingerprint, u.text) for u in units] == [
        ("q:0001:1", "56c93be4a373b80b", "Vi fik en have."),
        ("q:0001:2", "31c720de6d10b339", "Det var svært i starten."),
        ("q:0001:3", "175cb338c61280a1", "Så kom der flere."),
        ("q:0001:4", "5f49bcc7e77b6718", "Til sidst var alle med.")]


def test_a_users_pipeline_keeps_the_closing_mark_too(nlp_da):
    """spaCy's Doc path (a project's `spacy_model`) reads the spaces from the tokens."""
    from condense.nlp import analyze, analyze_text, types_for

    types = types_for("da")
    for answer, first in QUOTED:
        doc = nlp_da.make_doc(answer)
        starts, _, texts = analyze(doc, types)
        assert starts == analyze_text(answer, types)[0]
        assert texts[starts[1]] == "Og", answer


# What the segmenter before the change made of a turn in sentence mode (ids, fingerprints, texts): a closing mark
# began the next unit. A researcher's decisions keyed to those units must land on the same units after it.
OLD_SENTENCE_UNITS = [
    ("q:0001:1", "e8c96e2792f3b37b", "Tre kvinder kom på kontoret."),
    ("q:0001:2", "600b97cf01a328f3", 'En af dem sagde: "Græsplænen bag blokken bruger ingen, må vi dyrke den?'),
    ("q:0001:3", "594bb3388b7e9181", '" Og så gik det stærkt.'),
    ("q:0001:4", "282f1a52a45ed264", "Vi fik lov af afdelingsbestyrelsen."),
    ("q:0001:5", "c95838537f86f89f", "Hun sagde: »Nu gør vi det selv."),
    ("q:0001:6", "79a9e56a9ea5a800", "« Og det gjorde de."),
    ("q:0001:7", "b25ff843ee27465f", 'Til sidst sagde formanden: "Det er den bedste ide i år.'),
    ("q:0003:1", "f676ab2dfda1396e", '" Det var godt.'),
]
OLD_TURNS = ('Tre kvinder kom på kontoret. En af dem sagde: "Græsplænen bag blokken bruger ingen, må vi dyrke den?" Og '
             'så gik det stærkt. Vi fik lov af afdelingsbestyrelsen. Hun sagde: »Nu gør vi det selv.« Og det gjorde de. '
             'Til sidst sagde formanden: "Det er den bedste ide i år."\n\nI: Mm.\n\nR: Nej. "Ja." Det var godt.')


def test_decisions_on_units_cut_before_the_marks_moved_still_apply(write):
    """Moving a closing mark changes a unit's text and span, never its id or fingerprint (the fingerprint hashes
    words, and no sentence is added or removed): every decision made on the old units is found at its own unit,
    none is relocated or orphaned (W107), in sentence mode and in windows."""
    from condense.model import fingerprint
    from condense.review import Decision, locate

    path = write("q.txt", _quoted_interview(OLD_TURNS))
    units = segment([read_transcript(path)], settings=Settings(mode="sentence")).units
    assert not {t for _, _, t in OLD_SENTENCE_UNITS} & {u.text for u in units} - {"Tre kvinder kom på kontoret.",
                                                                                 "Vi fik lov af afdelingsbestyrelsen."}
    assert all(fingerprint(t) == fp for _, fp, t in OLD_SENTENCE_UNITS)
    decisions = [Decision(k, "q", uid, fp, "tema", "have", "", "add", "ane", "")
                 for k, (uid, fp, _) in enumerate(OLD_SENTENCE_UNITS, start=2)]
    found, orphans, moved = locate(decisions, units)
    assert (orphans, moved) == ([], 0)
    assert [found[i] for i in range(len(decisions))] == [uid for uid, _, _ in OLD_SENTENCE_UNITS]
    # a window holds the same sentences as before, so its id and fingerprint are those of before too
    windows = segment([read_transcript(path)]).units
    assert [(u.unit_id, u.fingerprint) for u in windows] == [
        ("q:0001:1", "d37ddc63c3ffb36d"), ("q:0001:2", "168a84f091103400"), ("q:0001:3", "b25ff843ee27465f"),
        ("q:0003:1", "023cfe334abdcccf")]


@pytest.mark.parametrize("transcript", ["03_nordlyset", "anonym-01", "interview_7-b", "2017", "kl 10:30", "a:1:2", "møde: 03"])
def test_a_unit_id_comes_apart_into_the_parts_it_was_made_of_even_with_colons_in_its_transcript(transcript):
    """model.parse_unit_id, the one reading of make_unit_id's ids (agreement, privacy, review and emergent each
    split them by hand): a transcript id may hold colons (a file named "kl 10:30.txt", front matter `id: "a:1:2"`),
    so an id is split at its last two."""
    from condense.model import UnitId, make_unit_id, parse_unit_id

    uid = make_unit_id(transcript, 12, 3)
    parts = parse_unit_id(uid)
    assert parts == UnitId(transcript, "0012", "3") and parts.well_formed(turn_digits=4) and str(parts) == uid
    assert str(parts._replace(transcript="anonym-02")) == "anonym-02:0012:3"


def test_text_that_is_no_unit_id_is_told_apart():
    from condense.model import parse_unit_id

    assert parse_unit_id("03_nordlyset") is None and parse_unit_id("03:0003") is None and parse_unit_id("") is None
    assert not parse_unit_id("03:x:1").well_formed() and not parse_unit_id(":0003:1").well_formed()
    assert parse_unit_id("03:3:1").well_formed() and not parse_unit_id("03:3:1").well_formed(turn_digits=4)


def test_decisions_on_a_speech_tag_cut_off_find_the_joined_unit(write):
    """The segmenter before the speech-tag change cut '"Hvorfor spørger I om det?"' and 'sagde en.' into two
    units (q:0001:2 and q:0001:3); now they are one, whose fingerprint neither decision holds. Each decision is
    relocated to the unit whose words hold its text's words in a row, in its own turn; none is orphaned."""
    from condense.model import fingerprint
    from condense.review import Decision, locate

    answer = 'Det var svært. "Hvorfor spørger I om det?" sagde en. Han sagde: "Det gider vi ikke."'
    units = segment([read_transcript(write("q.txt", _quoted_interview(answer)))],
                    settings=Settings(mode="sentence")).units
    old = [("q:0001:1", "Det var svært."), ("q:0001:2", '"Hvorfor spørger I om det?"'), ("q:0001:3", "sagde en."),
           ("q:0001:4", 'Han sagde: "Det gider vi ikke."')]
    decisions = [Decision(k, "q", uid, fingerprint(text), "tema", "have", "", "add", "ane", "")
                 for k, (uid, text) in enumerate(old, start=2)]
    found, orphans, moved = locate(decisions, units)
    assert orphans == [] and moved == 3
    assert [found[i] for i in range(4)] == ["q:0001:1", "q:0001:2", "q:0001:2", "q:0001:3"]
    elsewhere = [Decision(2, "q", "q:0002:1", fingerprint("sagde en."), "tema", "have", "", "add", "ane", "")]
    assert locate(elsewhere, units)[1] == elsewhere  # another turn's unit is not searched
