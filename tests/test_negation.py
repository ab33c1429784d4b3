"""Negation and scope (condense.negation) and its use by the coder in every dimension."""
from __future__ import annotations

import re

import pytest

from condense.codebook import parse_codebook
from condense.coding import Coder
from condense.negation import analyse, is_negated, negated_spans, words
from conftest import SHARED
from test_coding import MINI, code_text


def negated(text, language="da"):
    return [w for w, n in words(text, language) if n]


@pytest.mark.parametrize("text,language,inside,outside", [
    ("Vi inddrog ikke beboerne, men de kom alligevel.", "da", ["beboerne"], ["Vi", "kom", "alligevel"]),
    ("Beboerne planlagde ikke selv aktiviteterne.", "da", ["selv", "aktiviteterne"], ["Beboerne", "planlagde"]),
    ("Der var hverken beboere eller frivillige med i planlægningen.", "da", ["beboere", "frivillige", "planlægningen"], ["Der"]),
    ("Vi har aldrig lavet en evaluering.", "da", ["lavet", "evaluering"], ["Vi"]),
    ("Ingen beboere deltog i workshoppen.", "da", ["beboere", "deltog", "workshoppen"], []),
    ("Det gik uden beboerne, og så kom kommunen.", "da", ["beboerne"], ["kommunen"]),
    ("We did not involve the residents but they came anyway.", "en", ["involve", "residents"], ["came", "anyway"]),
    ("We never asked the tenants.", "en", ["asked", "tenants"], ["We"]),
    ("Neither the residents nor the staff planned it.", "en", ["residents", "staff", "planned"], []),
    ("It went ahead without the residents.", "en", ["residents"], ["went"]),
])
def test_scope_runs_from_the_cue_to_the_clause_end(text, language, inside, outside):
    found = negated(text, language)
    assert all(w in found for w in inside), found
    assert not any(w in found for w in outside), found


@pytest.mark.parametrize("text,language", [
    ("Det var ikke kun beboerne, der kom.", "da"),  # ikke kun = not only
    ("Det gik fint, ikke?", "da"),  # tag question
    ("Det skete ikke uden beboerne.", "da"),  # double negation
    ("It was not only the residents.", "en"),
    ("No doubt the residents helped.", "en"),
    ("No, I liked it a lot.", "en"),  # "No," answers, it negates nothing
])
def test_pseudo_negations_negate_nothing(text, language):
    assert negated(text, language) == []


def test_character_api():
    text = "We did not involve residents."
    start = text.index("involve")
    assert is_negated(text, start, start + len("involve"), "en")
    assert not is_negated(text, 0, 2, "en")
    assert negated_spans("Vi inddrog ikke beboerne, men de kom.") == [(16, 24)]
    assert [w.sentence for w in analyse("Ja. Nej ikke nu.", "da")] == [0, 1, 1, 1]


SHUFFLE_LONG = SHARED / "data" / "shuffle_music" / "shuffle_music_coded_LONG.csv"
ECAPE_05 = SHARED / "data" / "ecape_da" / "Interview 05.docx"


def test_real_english_answers():
    """Answers people wrote in the shuffle_music study (read in place)."""
    if not SHUFFLE_LONG.exists():
        pytest.skip("../shared/data/shuffle_music is not present")
    text = SHUFFLE_LONG.read_text(encoding="utf-8")
    for sentence, inside, outside in [
        ("I don't really like this version of silent night", ["like", "version"], ["I"]),
        ("Never heard it before", ["heard", "before"], []),
        ("I don't recognise this, but it's peaceful", ["recognise"], ["peaceful"]),
    ]:
        assert sentence in text
        found = negated(sentence, "en")
        assert all(w in found for w in inside) and not any(w in found for w in outside), (sentence, found)


def test_real_danish_sentences():
    """Sentences of a real Danish interview (ecape_da, read in place)."""
    if not ECAPE_05.exists():
        pytest.skip("../shared/data/ecape_da is not present")
    import docx

    text = " ".join(p.text for p in docx.Document(ECAPE_05).paragraphs)
    text = re.sub(r"\s+", " ", text)
    for sentence, inside, outside in [
        ("Det burde hjælpe lidt, men når vægge og gulv ikke er isoleret så...", ["isoleret"], ["hjælpe", "vægge"]),
        ("Vi må ikke vaske om natten efter klokken 10.", ["vaske", "natten"], ["Vi"]),
        ("Jeg svor egentlig at jeg aldrig nogensinde skulle tilbage til de her boliger, men det kom jeg så.",
         ["skulle", "tilbage", "boliger"], ["svor", "kom"]),
    ]:
        assert sentence in text
        found = negated(sentence, "da")
        assert all(w in found for w in inside) and not any(w in found for w in outside), (sentence, found)


@pytest.fixture(scope="module")
def coder():
    return Coder(parse_codebook(MINI))


def test_a_negated_term_codes_nothing_in_any_dimension(coder):
    assert {(c.dimension, c.theme) for c in code_text(coder, "Vi lavede en evaluering.")} == {("fase", "evaluering")}
    assert code_text(coder, "Vi lavede aldrig en evaluering.") == []
    assert code_text(coder, "Der var ingen SSP-medarbejdere med.") == []  # the multi-label dimension too
    # the same word outside the negation's scope still counts
    assert {c.theme for c in code_text(coder, "Vi lavede ikke meget, men en evaluering kom der.")} == {"evaluering"}


def test_negation_can_be_switched_off():
    from condense.coding import CoderSettings

    plain = Coder(parse_codebook(MINI), CoderSettings(negation=False))
    assert {c.theme for c in code_text(plain, "Vi lavede aldrig en evaluering.")} == {"evaluering"}
