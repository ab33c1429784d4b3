"""The shortcuts condensation takes for speed find what the full searches find.

Each test below compares a shortcut with the search it spares, on texts of the sample interviews and on
generated texts that put the shortcut's edge cases (case, Unicode word characters, punctuation) together.
"""
import random
import re

import pytest

from condense import condensation, quotes
from condense.condensation import clean_speech


def _sample_sentences(sample_units) -> list[str]:
    out = []
    for u in sample_units.units:
        out += [u.text[a:b] for a, b in quotes.sentences(u.text)]
    return out


def _generated(seed: int, pieces: list[str], n: int = 3000, longest: int = 14) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, longest))) for _ in range(n)]


REPEAT_PIECES = ["det", "Det", "DET", "er", "og", "så", "vi", "Vi", " ", " ", " ", "  ", ", ", " – ", " - ", ".",
                 "ø", "Ø", "\u0130", "i", "_", "1", "²", "ſ", "s", "K", "\u212a", "k", "øh", "altså", "ikke", "jo"]


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_text_spared_the_repeat_rules_has_no_repeat_they_would_remove(sample_units, language, monkeypatch):
    """clean_speech searches for repeated words ("det er det er", "og og", "en – en") only when a word comes
    again within three words (condensation._may_repeat): the same output as searching every text."""
    texts = _sample_sentences(sample_units) + _generated(11, REPEAT_PIECES)
    texts += ["Det det er godt.", "det er det er godt", "Vi VI gik", "en – en undersøgelse", "Og så og så kom de.",
              "i \u0130 i", "\u0130 \u0130", "ſ s", "K \u212a k", "x_1 x_1", "a b c a b c"]
    fast = [clean_speech(t, language) for t in texts]
    monkeypatch.setattr(condensation, "_may_repeat", lambda text: True)
    assert fast == [clean_speech(t, language) for t in texts]


def test_a_repeat_within_three_words_is_still_removed():
    assert clean_speech("Det er det er svært.") == "Det er svært."
    assert clean_speech("Vi vi gik derhen.") == "Vi gik derhen."
    assert clean_speech("Det var en – en undersøgelse.") == "Det var en undersøgelse."


LAST_WORD_PIECES = ["og", "som", "Og", "SOM", "x", "_", "1", "²", "é", " ", ".", "!", "?", "...", "”", "'", ")",
                    "\u0130", "-", "\n", "…", "men"]


@pytest.mark.parametrize("language", ["da", "en", None])
def test_a_sentence_ends_a_quote_as_the_last_word_search_decides(sample_units, language):
    """ends_a_quote reads a sentence's last word from its end: the word re.search(r"(\\w+)\\W*$") finds."""
    old = re.compile(r"(\w+)\W*$")

    def reference(sentence: str) -> bool:
        end = sentence.rstrip("\"”»«“’')")  # (any closing quotation mark; two dots trail off as three do)
        if end[-1:] not in ".!?" or end.endswith(".."):
            return False
        if language is not None and re.search(r",\s*så\W*$" if language == "da" else r",\s*so\W*$", end, re.I):
            return False
        if language in quotes._OPEN_END:
            last = old.search(end)
            return last is None or last.group(1).lower() not in quotes._OPEN_END[language]
        return True

    for text in _sample_sentences(sample_units) + _generated(12, LAST_WORD_PIECES, longest=8):
        assert quotes.ends_a_quote(text, language) == reference(text), text


def _holds_reference(matched: set[str]):
    """matched_test as it was: every part of a term looked up one by one."""
    def holds(quote: str) -> bool:
        low, present = quotes.present_words(quote)
        for w in matched:
            parts = w.split()
            if all(quotes._has(p, low, present) for p in parts):
                return True
        return False
    return holds


def test_a_term_of_several_words_is_found_as_each_word_would_be():
    """matched_test looks a term's plain words up among the quote's words at once and searches only the rest
    (a word with a hyphen, a term's word glued to punctuation): the same answer as looking each word up."""
    terms = ["sund mad", "by-rum", "by rum", "mad", "to ord", "a-a b", "x_1", "øl ²", "", " ", "b-", "fælles spisning"]
    pieces = ["sund", " ", "mad", "by", "-", "rum", "to", "ord", "a", "b", "x_1", "øl", "²", ".", ",", "fælles",
              "spisning", "Sund", "MAD"]
    rng = random.Random(13)
    sets = [set(rng.sample(terms, rng.randint(0, 4))) for _ in range(200)]
    texts = _generated(14, pieces, n=300, longest=10)
    for matched in sets:
        fast, slow = quotes.matched_test(matched), _holds_reference(matched)
        for text in texts:
            assert fast(text) == slow(text) == fast(text, quotes.present_words(text)), (matched, text)


def test_a_formal_question_is_read_as_the_pattern_reads_it(sample_units):
    """formal_exchange reads each question once (exchanges._formal_question): the same answer as searching the
    question and the answer of every unit."""
    from condense.exchanges import _FORMAL, formal_exchange

    for language in ("da", "en"):
        pattern = _FORMAL[language]
        for u in sample_units.units:
            expected = bool(pattern.search(u.question or "") or pattern.search(u.text))
            assert formal_exchange(u, language) == expected


def test_a_word_keys_are_those_a_fresh_lemmatiser_gives(sample_units):
    """guide_groups keeps one keys function per language (the voices of every proposal and follow-up read
    the same words again): each word's keys are what a lemmatiser made afresh gives."""
    from condense import guide_groups
    from condense.nlp import compound_lemmatizer

    keys = guide_groups._word_keys("da")
    assert guide_groups._word_keys("da") is keys
    fresh = compound_lemmatizer("da")
    words = {w for u in sample_units.units[:200] for w in guide_groups._WORD.findall(u.text)}
    for w in sorted(words):
        low = w.lower()
        lem = fresh(low)
        expected = frozenset((low, lem, guide_groups.stem_key(low, "da"), guide_groups.stem_key(lem, "da")))
        assert keys(w) == expected, w


def test_condensation_pauses_the_cyclic_collector_and_restores_it(sample_run, monkeypatch):
    """Sub-groups, drafts and quotes run with the cyclic collector paused (many small objects, no cycles), and
    the collector is running again afterwards."""
    import gc

    from condense import grouping
    from condense.condensation import condense
    from condense.review import final_codings

    result, _ = sample_run
    seen = []
    place = grouping.place
    monkeypatch.setattr(grouping, "place", lambda *a, **k: seen.append(gc.isenabled()) or place(*a, **k))
    assert gc.isenabled()
    again = condense(result.segmentation.units, final_codings(result.codings, result.codebook), result.codebook)
    assert seen and not any(seen)
    assert gc.isenabled()
    assert [g.unit_ids for g in again.groups]
