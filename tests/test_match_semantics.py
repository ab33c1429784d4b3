"""What a codebook entry matches: `terms` single lemmas (and compound heads), `phrases` contiguous and in
order, `all_of` (and a multi-word term) its words in ONE sentence in any order; excerpt mode; language guard."""
from __future__ import annotations

import csv

import pytest

from condense.codebook import dump_codebook, parse_codebook
from condense.coding import Coder
from test_coding import code_text

BOOK = """\
codebook: semantics
language: en
dimensions:
  - id: topic
    label: Topic
    multi_label: true
    themes:
      - id: quality
        label: Quality
        phrases: [better quality]
      - id: cooperation
        label: Cooperation
        all_of: ["residents municipality"]
      - id: legacy
        label: Legacy multi-word term
        terms: [planning meeting]
      - id: survey
        label: Survey
        terms: [survey]
      - id: one_to_one
        label: Hyphenated terms
        terms: [one-to-one, well-being]
"""


@pytest.fixture(scope="module")
def coder():
    from condense.nlp import load_nlp

    return Coder(parse_codebook(BOOK), nlp=load_nlp("en"))


def coded(coder, rows: dict[str, str], language: str = "en") -> dict[str, set[str]]:
    """Unit id → the themes ``coder`` gives it, each of ``rows`` (id → text) read as an excerpt."""
    import tempfile
    from pathlib import Path

    from condense.ingest.excerpts import read_excerpts

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["id", "text"], *rows.items()])
        got: dict[str, set[str]] = {}
        for c in coder(read_excerpts(path, language=language)):
            got.setdefault(c.unit_id, set()).add(c.theme)
        return got


def themes(coder, text):
    return coded(coder, {"u1": text}).get("u1", set())


def test_phrases_are_contiguous_and_ordered(coder):
    assert themes(coder, "We got better quality this year.") == {"quality"}
    assert themes(coder, "The quality was better.") == set()
    assert themes(coder, "The code got better, and the quality too.") == set()
    assert themes(coder, "It has good quality.") == {"quality"}  # lemmas: better → good


def test_all_of_needs_its_words_in_one_sentence_in_any_order(coder):
    assert themes(coder, "The municipality met the residents.") == {"cooperation"}
    assert themes(coder, "The residents came. Later the municipality called.") == set()


def test_a_multi_word_term_means_all_of_not_anywhere_in_the_unit(coder):
    assert themes(coder, "The meeting was about planning.") == {"legacy"}
    assert themes(coder, "We did the planning. Then a meeting.") == set()


def test_a_hyphenated_term_is_one_word_not_its_parts_anywhere(coder):
    """"one-to-one" and "well-being" are single words the tokenizer cuts at the hyphens; as terms of several
    words they matched "One got a job ... one went to college" and "I was well"."""
    assert themes(coder, "We saw people one-to-one for six months.") == {"one_to_one"}
    assert themes(coder, "Their well-being improved a lot.") == {"one_to_one"}
    assert themes(coder, "One got a job, and one went to college to do nursing.") == set()
    assert themes(coder, "I was well, thank you, and it has been a good year.") == set()


def test_terms_match_inflections(coder):
    assert themes(coder, "Two surveys were sent.") == {"survey"}


def test_all_of_round_trips_and_counts_as_words():
    cb = parse_codebook(BOOK)
    again = parse_codebook(dump_codebook(cb))
    theme = again.dimension("topic").themes[1]
    assert theme.all_of == ["residents municipality"] and theme.n_terms == 1


def _excerpts(tmp_path, rows):
    path = tmp_path / "ex.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["id", "text"], *rows])
    return path


def test_excerpt_mode_codes_every_excerpt(tmp_path):
    from condense.codebook import load_codebook
    from condense.excerpt_mode import code_excerpts
    from condense.ingest.excerpts import read_excerpts
    from conftest import CODEBOOK_DA

    texts = ["Vi lavede en spørgeskemaundersøgelse blandt beboerne.", "Vi evaluerede forløbet med beboerne bagefter.",
             "Så holdt vi en workshop, hvor beboerne kom med idéer.", "Frivillige beboere stod for grillen til festen.",
             "Det var svært at få nogen til at komme.", "Vi talte med dem i opgangene om det."]
    units = read_excerpts(_excerpts(tmp_path, [[f"e{i}", t] for i, t in enumerate(texts)]))
    coder = Coder(load_codebook(CODEBOOK_DA))
    plain = {c.unit_id for c in coder(units) if c.dimension == "fase"}
    codings, flagged = code_excerpts(coder, units)
    fase = {c.unit_id: c for c in codings if c.dimension == "fase"}
    assert len(plain) < len(units)  # the rules alone leave some excerpts without a phase
    assert set(fase) == {u.unit_id for u in units}  # excerpt mode gives every excerpt one
    assert all(0 <= c.probability <= 1 for c in codings)
    assert flagged == sum("review: low confidence" in c.evidence for c in codings)
    rule_ids = {c.unit_id for c in codings if c.source == "rule" and c.dimension == "fase"}
    assert rule_ids == plain


def test_english_text_with_the_danish_codebook_warns(tmp_path):
    from typer.testing import CliRunner

    from condense.cli import app

    path = _excerpts(tmp_path, [["a", "I like this song because it reminds me of the summer with my friends."],
                                ["b", "The lyrics are not that good but the beat is great and I dance to it."]])
    result = CliRunner().invoke(app, ["code", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "W304" in result.output and "English" in result.output
    danish = _excerpts(tmp_path, [["a", "Vi inddrog beboerne i planlægningen af aktiviteterne, og det gik godt."]])
    result = CliRunner().invoke(app, ["code", str(danish), "--out", str(tmp_path / "out2")])
    assert result.exit_code == 0 and "W304" not in result.output


def test_codebook_suggest_proposes_new_words_with_examples_and_changes_nothing(sample_units):
    from condense.codebook import load_codebook
    from condense.suggest import suggest_terms
    from conftest import CODEBOOK_DA

    cb = load_codebook(CODEBOOK_DA)
    before = dump_codebook(cb)
    coder = Coder(cb)
    units = sample_units.units
    found = suggest_terms(units, coder(units, sample_units.questions), coder, top=3)
    assert found and dump_codebook(cb) == before
    by_id = {u.unit_id: u for u in units}
    for s in found:
        assert s.word not in coder.term_lemmas and s.pmi > 1.0 and s.n_theme >= 3 and s.examples
        assert all(s.word in {l.lower() for l in by_id[e].lemmas} for e in s.examples)


EVERYDAY = """\
codebook: everyday
language: en
dimensions:
  - id: topic
    label: Topic
    themes:
      - id: partners
        label: Partners
        terms: [council, outing, questionnaire]
        all_of: ["council partnership"]
"""


def test_a_single_everyday_word_as_a_term_is_warned_about_with_its_line():
    """W306: "council" and "outing" (whose lemma is "out") code any unit that says them; "questionnaire" and
    the all_of entry have context enough."""
    from condense.errors import Diagnostics
    from condense.nlp import load_nlp
    from condense.suggest import everyday_terms, warn_everyday_terms

    cb = parse_codebook(EVERYDAY, "everyday.yaml")
    coder = Coder(cb, nlp=load_nlp("en"))
    found = everyday_terms(cb, coder)
    assert [(t.term, t.lemma) for t in found] == [("council", "council"), ("outing", "out")]
    d = Diagnostics()
    warn_everyday_terms(cb, coder, d)
    assert [w.code for w in d] == ["W306", "W306"]
    assert all("everyday.yaml" in w.message and "line 7" in w.message for w in d)  # the theme starts on line 7
    assert "lemma 'out'" in list(d)[1].message


def test_the_english_codebook_has_no_everyday_word_standing_alone(tmp_path):
    from typer.testing import CliRunner

    from condense.cli import app
    from conftest import CODEBOOK_EN

    result = CliRunner().invoke(app, ["codebook", "check", str(CODEBOOK_EN)])
    assert result.exit_code == 0 and "OK" in result.output and "W306" not in result.output
    bad = tmp_path / "cb.yaml"
    bad.write_text(EVERYDAY, encoding="utf-8")
    result = CliRunner().invoke(app, ["codebook", "check", str(bad)])
    assert result.exit_code == 0 and result.output.count("W306") == 2


NEGATING_BOOK = """\
codebook: negating
language: da
dimensions:
  - id: tema
    label: Tema
    multi_label: true
    themes:
      - id: faa
        label: Få deltagere
        phrases: [der kom ikke nogen, ingen mænd]
      - id: udenom
        label: Beboerne holdt udenfor
        terms: [ikke inddrage]
      - id: inddragelse
        label: Inddragelse
        terms: [inddrage]
"""


def test_terms_and_phrases_that_say_a_negation_match_as_written():
    """The default codebook holds 2 terms and 28 phrases with "ikke"/"ingen"/"uden" in them ("der kom ikke
    nogen", "ingen mænd", "ikke inddrage"); not one could ever match, because its own cue negated its words
    and negated words match nothing. Now they match as written, while a word after a negation the pattern
    does not hold still matches nothing."""
    got = coded(Coder(parse_codebook(NEGATING_BOOK)), {
        "u1": "Vi prøvede med zumba, men der kom ikke nogen til det.",
        "u2": "Der var en fast regel om at ingen mænd går ind i salen.",
        "u3": "Kommunen ville ikke inddrage beboerne i planen.",
        "u4": "Vi inddrog beboerne fra starten i planen.",
        "u5": "Der kom nogen hver uge, også mænd."}, language="da")
    assert got.get("u1") == {"faa"} and got.get("u2") == {"faa"}
    assert got.get("u3") == {"udenom"}  # "inddrage" negated: not Inddragelse
    assert got.get("u4") == {"inddragelse"} and "u5" not in got
