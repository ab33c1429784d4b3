"""Step-4 synthesis drafts: every quantifier phrase the code can write is grammatical in Danish and English,
and a finding names only the codebook's sub-themes (proposals are mentioned as proposals to read)."""
import re

import pandas as pd
import pytest

from condense.synthesis import main_findings, nouns, quantified, synthesis
from condense.tables import quantifier, quantifier_key

PLAN = ("helhedsplan", "helhedsplaner", "helhedsplanerne", "én")
# what the counts count → (singular, plural, definite plural, the word for one) a reader expects
EXPECTED = {
    "da": {None: ("tilfælde", "tilfælde", "tilfældene", "ét"), "interviews": ("interview", "interview", "interviewene", "ét"),
           "units": ("enhed", "enheder", "enhederne", "én"), PLAN: PLAN},
    "en": {None: ("case", "cases", "the cases", "one"), "interviews": ("interview", "interviews", "the interviews", "one"),
           "units": ("unit", "units", "the units", "one")},
}
WORDS = {"da": {"all": "samtlige", "almost_all": "langt de fleste", "most": "de fleste", "several": "flere",
                "some": "nogle", "a_few": "enkelte"},
         "en": {"all": "all", "almost_all": "almost all", "most": "most", "several": "several", "some": "some",
                "a_few": "a few"}}


def _expected_phrase(language, key, n, total, forms):
    singular, plural, definite, one = forms
    of = "af" if language == "da" else "of"
    count = f"({n} {of} {total})"
    if language == "da":
        if n == 1:
            head = f"i {'den' if one == 'én' else 'det'} ene {singular}" if total == 1 else f"i {one} {singular}"
        elif key == "all" and total == 2:
            head = f"i begge {plural}"
        elif key == "half":
            head = f"i halvdelen af {definite}"
        else:
            head = f"i {WORDS['da'][key]} {plural}"
    else:
        if n == 1:
            head = f"in the one {singular}" if total == 1 else f"in one {singular}"
        elif key == "all" and total == 2:
            head = f"in both {plural}"
        elif key == "half":
            head = f"in half of {definite}"
        else:
            head = f"in {WORDS['en'][key]} {plural}"
    return f"{head} {count}"


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_quantifier_phrase_is_grammatical(language):
    # every n of every N up to 60 (numbers below 1000 read the same in both languages), for each noun
    reached = set()
    for counted, forms in EXPECTED[language].items():
        assert nouns(counted, language) == forms
        for total in range(1, 61):
            for n in range(1, total + 1):
                key = quantifier_key(n, total)
                reached.add(key)
                phrase = quantified(key, n, total, language, forms)
                assert phrase == _expected_phrase(language, key, n, total, forms), (counted, n, total, phrase)
                if language == "da":
                    assert not re.search(r"\bhalvdelen (?!af )", phrase)
                    assert not re.search(r"\b(?:én|ét|1) (?:helhedsplaner|enheder)\b", phrase)
    assert reached == {"all", "almost_all", "most", "half", "several", "some", "a_few", "one"}


def test_a_case_noun_without_its_gender_is_written_without_one():
    forms = nouns(["helhedsplan", "helhedsplaner"], "da")
    assert forms[2] == "helhedsplanerne"  # the definite plural follows from the plural
    assert quantified("one", 1, 12, "da", forms) == "i 1 af de 12 helhedsplaner"
    assert quantified("half", 6, 12, "da", forms) == "i halvdelen af helhedsplanerne (6 af 12)"
    assert nouns(["fall", "falls"], "en")[2] == "the falls"


def _rows(subs):
    """A theme row and its sub-group rows as the themes table writes them (12 plans in all)."""
    cols = ["theme_label", "subtheme", "subtheme_label", "n_cases", "n_interviews", "n_units", "quantifier"]
    theme = pd.DataFrame([["Rekruttering", "", "", 6, 6, 30, quantifier(6, 12)]], columns=cols)
    sub = pd.DataFrame([[ "Rekruttering", s, lab, n, n, 3 * n, quantifier(n, 12)] for s, lab, n in subs], columns=cols)
    return next(theme.itertuples(index=False)), sub


def test_synthesis_sentences_in_the_studys_register():
    row, sub = _rows([("netvaerk", "Netværk", 4), ("opsoegende", "Opsøgende arbejde", 1)])
    text = synthesis(row, sub, 12, "da", PLAN)
    # the informants, as the English text's "the respondents": "medarbejderne" (the staff) is one study's word
    assert text.startswith("I halvdelen af helhedsplanerne (6 af 12) fortæller informanterne om rekruttering.")
    assert "I flere helhedsplaner (4 af 12) handler det om »netværk«." in text
    assert "I én helhedsplan (1 af 12) handler det om »opsøgende arbejde«." in text
    findings = main_findings(row, sub, 12, "da", PLAN)
    assert findings[0] == "Rekruttering findes i halvdelen af helhedsplanerne (6 af 12)."
    assert main_findings(row, sub, 12, "en")[0] == "Rekruttering: in half of the cases (6 of 12)."


def test_an_english_finding_has_no_verb_to_agree_with_a_plural_label():
    """The main findings said "Activity types appears in all cases (3 of 3)" and "Children appears …": a theme's
    label is a plural as often as not. The finding names it and its spread, as "Most shared: …" does."""
    row, sub = _rows([("boern", "Children and parents", 4)])
    row = row._replace(theme_label="Target groups")
    findings = main_findings(row, sub, 12, "en")
    assert findings[0] == "Target groups: in half of the cases (6 of 12)."
    assert not any(" appears " in f for f in findings)


def test_a_sub_theme_that_is_a_statement_is_named_not_parsed():
    """"handler det om inddragelsen falder …" lacks an "at"; the label is quoted as the name it is."""
    row, sub = _rows([("kompleks", "Inddragelsen falder med aktivitetens kompleksitet", 4)])
    assert "handler det om »inddragelsen falder med aktivitetens kompleksitet«." in synthesis(row, sub, 12, "da", PLAN)
    assert "it is about “inddragelsen falder" in synthesis(row, sub, 12, "en")


def test_proposals_are_never_findings():
    row, sub = _rows([("netvaerk", "Netværk", 4), ("_proposed_1", "Forslag: tirsdag, torsdag", 5),
                      ("_unplaced", "Ikke placeret", 3)])
    text = synthesis(row, sub, 12, "da", PLAN)
    assert "tirsdag, torsdag«." in text and "handler det om »tirsdag" not in text and "handler det om »netværk«" in text
    assert "forslag til undergrupper, som skal læses, før de bruges: »tirsdag, torsdag«." in text
    assert "Ikke placeret" not in text and "ikke placeret" not in text
    findings = " ".join(main_findings(row, sub, 12, "da", PLAN))
    assert "tirsdag" not in findings and "Netværk" in findings
    row, only_proposals = _rows([("_proposed_1", "Forslag: mødrene, arabiske", 5)])
    assert main_findings(row, only_proposals, 12, "da", PLAN) == ["Rekruttering findes i halvdelen af helhedsplanerne (6 af 12)."]


def test_proposals_are_listed_apart_when_their_labels_hold_commas():
    """The synthesis listed the machine's proposals with commas between them, while labels hold commas themselves
    ("»Det, der virkede (svar på guidens opfølgning)«", a group marked by three words): one list read as two."""
    row, sub = _rows([("netvaerk", "Netværk", 4)])
    extra = sub.iloc[[0, 0]].copy()
    extra["subtheme"] = ["_proposed_1", "_proposed_2"]
    extra["subtheme_label"] = ["Forslag: gruppe kendetegnet ved ordene »a«, »b« og »c«",
                               "Forslag: Det, der virkede (svar på guidens opfølgning)"]
    text = synthesis(row, pd.concat([sub, extra]), 12, "da", PLAN)
    assert text.endswith("før de bruges: gruppe kendetegnet ved ordene »a«, »b« og »c«; "
                         "»Det, der virkede (svar på guidens opfølgning)«.")


def test_sub_theme_rows_given_as_tuples_read_as_their_frame():
    """report.md reads a dimension's rows once and hands each theme its sub-theme rows as tuples (a frame of them
    was sliced column by column for the synthesis and again for the findings): the same text either way."""
    row, sub = _rows([("netvaerk", "Netværk", 4), ("_proposed_1", "Forslag: tirsdag, torsdag", 5),
                      ("opsoegende", "Opsøgende arbejde", 1)])
    tuples = list(sub.itertuples(index=False))
    for language in ("da", "en"):
        assert synthesis(row, tuples, 12, language, PLAN) == synthesis(row, sub, 12, language, PLAN)
        assert main_findings(row, tuples, 12, language, PLAN) == main_findings(row, sub, 12, language, PLAN)
    assert "»netværk«" in synthesis(row, tuples, 12, "da", PLAN) and main_findings(row, [], 12, "da", PLAN) == \
        ["Rekruttering findes i halvdelen af helhedsplanerne (6 af 12)."]
