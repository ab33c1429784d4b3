"""exchanges._formal searches a lower-cased text case-sensitively where re.I would give the same answer (the
engine then passes over most of _FORMAL's alternatives by their first letter). It must answer as
``_FORMAL[language].search`` on every text: the turns of the sample and of ecape_da (real interviews), and the
characters re.I pairs with a letter that ``lower()`` does not."""
import pytest

from condense.exchanges import _FORMAL, _formal

EDGES = ["Tak for snakken", "TAK FOR SNAKKEN", "ſamtykke", "SAMTYKKE", "ſamtykke og İ", "Optag\u0130", "optagelse",
         "Mıt navn", "MIT NAVN", "mit navn", "Din rolle i Helhedsplanen", "din rolle i planen", "din rolle i ÆBLEHAVEN",
         "din rolle i æblehaven", "din rolle i \u212aøge", "THANK YOU", "thank ſou", "thanks", "Thanks", "ΣΟΣ thank you",
         "Hej hej", "", "  ", "god weekend!", "Hvor længe har planen kørt?", "HVOR LÆNGE HAR PLANEN KØRT",
         "I'm happy for Ann and Bob to be named", "\u212aontakte dig", "kontakte dig", "bye", "BYE", "byen"]


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_formal_answers_as_the_case_blind_pattern(language, sample_corpus):
    pattern = _FORMAL.get(language, _FORMAL["en"])
    texts = EDGES + [turn.text for t in sample_corpus.transcripts for turn in t.turns]
    assert sum(bool(pattern.search(t)) for t in texts) > 5
    assert [_formal(t, language) for t in texts] == [bool(pattern.search(t)) for t in texts]


def test_formal_on_real_interviews(ecape_corpus):
    texts = [turn.text for t in ecape_corpus.transcripts for turn in t.turns]
    found = [_formal(t, "da") for t in texts]
    assert sum(found) > 100
    assert found == [bool(_FORMAL["da"].search(t)) for t in texts]
