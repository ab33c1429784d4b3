"""A quote's readability skips a pattern where the quote cannot hold what it looks for (quotes._says_twice before
the false-start pattern, quotes._may_refer_back before the back references, a bracket, "??" or "xxx" before the
marks of unheard words). Each guard must let through every quote its pattern matches, or a defect would go
unweighed and another quote be printed."""
import random
import re

import pytest

from condense import quotes
from condense.quotes import (_BACK_REFERENCE, _BACK_REFERENCE_WORDS, _FALSE_START, _UNHEARD, _may_be_unheard,
                             _may_refer_back, _says_twice)

WORDS = ["at", "AT", "jeg", "Jeg", "fik", "det", "Det", "som", "SOM", "sagt", "I", "i", "said", "as", "ΟΣ", "οσ",
         "İ", "ı", "ſom", "straße", "STRASSE", "12", "a_1", "xXx", "mentioned"]
SEPARATORS = [" ", ", ", " - ", "  ", ". ", ".,", ",.", "..", "'", " – ", ",", "-", "\t", " ,  ", " (", ") ", "??"]


def texts(n=8000, seed=7):
    rng = random.Random(seed)
    for _ in range(n):
        yield "".join(rng.choice(WORDS) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 9))).strip()


def test_says_twice_lets_through_every_false_start():
    matched = [t for t in texts() if _FALSE_START.search(t)]
    assert len(matched) > 500  # the test meets the pattern often
    assert all(_says_twice(t) for t in matched)
    # and it does skip: no word said again within three words, or said again further on
    assert not _says_twice("Det var først i sidste måned, at vi fik lyst til at sætte solceller op.")
    assert not _says_twice("at jeg fik den og at jeg")
    # the pattern's back reference compares 'Σ' and 'σ' alike, lower() writes a final 'ς': the pattern decides
    assert _FALSE_START.search("ΟΣ οσ") and _says_twice("ΟΣ οσ")
    assert _FALSE_START.search("İ i") and _says_twice("İ i")


@pytest.mark.parametrize("language", sorted(_BACK_REFERENCE))
def test_back_reference_guard_names_a_word_of_every_alternative(language):
    pattern = _BACK_REFERENCE[language].pattern
    alternatives = re.split(r"\|(?![^(]*\))", pattern)  # the top-level alternatives
    assert len(alternatives) > 1
    for alt in alternatives:
        plain = re.sub(r"\\b|\(\?:|\)|\?|,", "", alt).replace("|", " ").lower()
        assert any(w.strip() in plain for w in _BACK_REFERENCE_WORDS[language]), alt


@pytest.mark.parametrize("language", sorted(_BACK_REFERENCE))
def test_back_reference_guard_lets_through_every_match(language):
    samples = list(texts()) + ["Som sagt, det var godt.", "Det, jeg nævnte før, var godt.", "ſom ſagt, godt.",
                               "As I said, it was fine.", "I mentioned before that it was fine.",
                               "AS MENTIONED, fine.", "Aſ ı ſaid, fine."]
    matched = [t for t in samples if _BACK_REFERENCE[language].search(t)]
    assert matched
    assert all(_may_refer_back(t, t.lower(), language) for t in matched)
    assert not _may_refer_back("Det var en god dag, og vi fik lavet meget.", "det var en god dag, og vi fik lavet meget.",
                               language)


def test_unheard_guard_lets_through_every_mark():
    samples = list(texts()) + ["Det var (utydeligt) godt.", "Det var ??? godt.", "Han hed XXX.", "Hun hed xXx og.", "Hun hed XXXX."]
    assert not _may_be_unheard("Det var godt, xx.", "det var godt, xx.")  # and it does skip
    for t in samples:
        if _UNHEARD.search(t):
            assert _may_be_unheard(t, t.lower()), t


def test_readability_unchanged_where_the_guards_pass():
    """The guards only skip: a quote with each defect scores as the patterns say."""
    plain = "Det var først i sidste måned, at vi fik lyst til at sætte solceller op på taget."
    for flawed in ("Som sagt var det først i sidste måned, at vi fik lyst til at sætte solceller op på taget.",
                   "Det var først i sidste måned (utydeligt), at vi fik lyst til at sætte solceller op på taget."):
        assert quotes.readability(flawed, "da") < quotes.readability(plain, "da")


def test_slips_guard_lets_through_every_slip():
    samples = list(texts()) + ["Mange ting., men hvordan.", "Varm mad hver dag. ikke to gange.", "Ja,. nej.",
                               "Kl. otte. men så.", "Det var godt.\u00a0ikke mere."]
    slipped = [t for t in samples if quotes._SLIP.search(t)]
    assert len(slipped) > 100
    assert all(quotes._slips(t, "da") == sum(1 for m in quotes._SLIP.finditer(t)
                                             if m.group(1) is None or m.group(1).lower() not in
                                             quotes._ABBREVIATIONS["da"] | quotes._ABBREVIATIONS["en"])
               for t in slipped)
    assert all(quotes._slips(t, "da") == 0 for t in samples if not quotes._SLIP.search(t))
    guarded = [t for t in samples if ".," not in t and ",." not in t and not quotes._STOP_BEFORE_LOWER.search(t)]
    assert guarded and not any(quotes._SLIP.search(t) for t in guarded)
