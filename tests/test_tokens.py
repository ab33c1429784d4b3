"""The tokens of a turn put together from its space-separated pieces (nlp.analyze_text) are exactly the
tokens spaCy gives the whole turn: same sentence starts, lemmas, texts and character offsets."""
from __future__ import annotations

import pytest
from hypothesis import assume, given, settings, strategies as st

from condense.ingest import ingest
from condense.nlp import analyze, analyze_text, load_nlp, token_types
from conftest import ECAPE, SAMPLE


def _same(text: str, nlp, types) -> bool:
    doc = nlp.make_doc(text)
    starts, lemmas, texts, offset = analyze_text(text, types, nlp.make_doc)
    return (starts, lemmas, texts) == analyze(doc, types) and [offset(i) for i in range(len(doc))] == [t.idx for t in doc]


def _turns(folder) -> list[str]:
    return [turn.text for t in ingest([folder]).transcripts for turn in t.turns]


@pytest.mark.parametrize("language, folder", [("da", SAMPLE), ("en", SAMPLE / "en")])
def test_every_sample_turn_is_tokenized_as_a_whole(language, folder):
    nlp = load_nlp(language)
    types = token_types(nlp, language)
    turns = _turns(folder)
    assert len(turns) > 150
    assert [t for t in turns if not _same(t, nlp, types)] == []


def test_every_real_interview_turn_is_tokenized_as_a_whole():
    if not ECAPE.exists():
        pytest.skip("../shared/data/ecape_da is absent")
    nlp = load_nlp("da")
    types = token_types(nlp, "da")
    turns = _turns(ECAPE)
    assert len(turns) > 10_000
    assert [t for t in turns if not _same(t, nlp, types)] == []


# Pieces that stress the tokenizer's rules: abbreviations, brackets, enders, quotes, numbers, URLs,
# hyphens, emoticons, apostrophes, and whitespace that is not a single space (the whole-text path).
PIECES = ["kr.", "f.eks.", "bl.a.", "osv.", "ca.", "Det", "var", "godt", "(griner)", "[anonymiseret]", "[", "]",
          "(", ")", "...", "…", "?!", ".", ",", "“hej”", "'", "50", "3,5", "10.000", "kl.", "14.30", "www.kk.dk",
          "a@b.dk", "e-mail", "-", "–", ":)", "Nej", "ikk'", "dét", "ide", "idé", "Mr.", "U.S.", "don't", "\t",
          "\u00a0", "  ", "x", "Ja.Nej", "(kr.", "kr.)", "\"Ja\"", "øh…", "JA!", "2.", "d.", "1990'erne"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14), st.lists(st.sampled_from([" ", "", " ", "  "]),
                                                                          min_size=13, max_size=13))
def test_joined_pieces_are_tokenized_as_a_whole(nlp_da, pieces, gaps):
    text = "".join(p + g for p, g in zip(pieces, gaps + [""]))
    assume(_spacy_context_free(text, nlp_da))  # where spaCy is not, the pieces get spaCy's tokens alone (below)
    assert _same(text, nlp_da, token_types(nlp_da, "da"))


def _spacy_context_free(text: str, nlp) -> bool:
    """spaCy gives each space-separated piece of the text the tokens it gives the piece alone."""
    doc = nlp.make_doc(text)
    pieces: dict[int, list[str]] = {}
    start = 0
    for t in doc:
        if t.idx == 0 or text[t.idx - 1].isspace():
            start = t.idx
        pieces.setdefault(start, []).append(t.text)
    return all([t.text for t in nlp.make_doc(text[at:at + sum(map(len, toks))])] == toks
               for at, toks in pieces.items() if not any(c.isspace() for c in "".join(toks)))


def test_a_piece_is_tokenized_the_same_wherever_it_stands(nlp_da):
    """spaCy splits ":)kr." into ":", ")", "kr." after an earlier "kr.:)" in the same text, and into ":)", "kr."
    anywhere else (its tokenizer's cache of affix splits carries across the text); condense tokenizes a piece
    the same wherever it stands: as spaCy does the piece alone."""
    from condense.nlp import analyze_text

    types = token_types(nlp_da, "da")
    assert [t.text for t in nlp_da.make_doc("kr. kr.:) :)kr.")] == ["kr.", "kr.", ":)", ":", ")", "kr."]  # spaCy
    _, _, texts, _ = analyze_text("kr. kr.:) :)kr.", types, nlp_da.make_doc)
    assert texts == ["kr.", "kr.", ":)", ":)", "kr."]
    assert [t.text for t in nlp_da.make_doc(":)kr.")] == [":)", "kr."]
    assert not _spacy_context_free("kr. kr.:) :)kr.", nlp_da) and _spacy_context_free(":)kr. kr.:)", nlp_da)


def test_every_new_piece_gets_the_tokens_spacy_gives_it_alone(nlp_da):
    """fill_chunks tokenizes each new piece on its own: a special case never reaches across two pieces
    ("x'" then "''Spar": joined by a space, the two apostrophes would be matched as one "''")."""
    from condense.nlp import TokenTypes, fill_chunks

    types = TokenTypes("da")  # a fresh piece cache
    texts = ["x' ''Spar og (: så", "Han sagde ' ''Spar' kr. :) 50 kr.", "det' '' f.eks. bl.a. osv."] + _turns(SAMPLE)[:60]
    fill_chunks(texts, types)
    assert "''Spar" in types.chunks
    for piece, facts in types.chunks.items():
        doc = nlp_da.make_doc(piece)
        assert (list(facts[1]), list(facts[4])) == ([t.text for t in doc], [t.idx for t in doc]), piece


# Characters and fragments for whole texts: letters, every kind of punctuation spaCy's rules name, quotes,
# emoticons, abbreviations, URLs, numbers and whitespace of every kind (runs, tabs, newlines, no-break).
ATOMS = (list("abxyzæøåABÆØ0189") + list(".,;:!?'\"()[]{}-–—/\\&%$€#@*+=<>|^~_`´’‘“”«»…°§")
         + [" ", " ", "  ", "\t", "\n", "\u00a0"] + PIECES
         + [":-)", "):", "''", "``", "http://x.dk/a?b=1", "n't", "'s", "can't", "e.g.", "10:30", "o.k.", "<3", "=)", "(:", ":p"])


@pytest.mark.parametrize("language", ["da", "en"])
@settings(max_examples=400, deadline=None)
@given(atoms=st.lists(st.sampled_from(ATOMS), min_size=1, max_size=16))
def test_condense_tokenizer_gives_spacys_tokens_and_offsets(language, atoms):
    """condense.tokenizer applies spaCy's rules without spaCy: every token and offset is spaCy's (wherever
    spaCy's own answer for a piece does not depend on the pieces before it, see above)."""
    from condense.tokenizer import tokenizer_for

    text = "".join(atoms)
    nlp = load_nlp(language)
    assume(_spacy_context_free(text, nlp))
    assert tokenizer_for(language)(text) == [(t.text, t.idx) for t in nlp.make_doc(text)]


def test_content_words_are_the_content_tokens_of_the_whole_analysis(sample_corpus):
    """content_words (an interviewer's turn: joined from the pieces' own content words) gives the lemmas and
    surfaces that analyze_text gives for the content tokens, brackets blanked, on every turn of the sample
    and on texts with brackets, odd spaces and pieces met for the first time."""
    from itertools import compress

    from condense.nlp import analyze_text, content_words, types_for

    types = types_for("da")
    texts = [turn.text for t in sample_corpus.transcripts for turn in t.turns]
    texts += ["Vi (griner) talte med [anonymiseret] om det.", "Beboerne  kom (ikke", "Helt nye ordstykkerne xqzw!",
              "Det var ... ja. Tak", ""]
    for text in texts:
        _, lemmas, tokens, _ = analyze_text(text, types)
        assert content_words(text, types) == (tuple(filter(None, lemmas)), tuple(compress(tokens, lemmas)))
    assert content_words("Vi (griner) talte", types)[1] == ("Vi", "talte")


def test_runs_of_spaces_are_put_together_from_pieces_as_spacy_tokenizes_them(nlp_da):
    """A turn with runs of spaces (101 of ecape_da's turns) is joined from its pieces, the spaces after the
    first of a run being one token of their own, as spaCy has them: same tokens, offsets, sentences, lemmas."""
    from itertools import compress

    from condense.nlp import TokenTypes, whole_unit

    types = TokenTypes("da")  # a fresh piece cache: no piece known yet
    texts = ["Ja.  Og så", "a   b", "Det var kr.    50", "hej  (griner)  nej. Ja", "Nej!  [anonymiseret]   Ja  ?",
             "Vi  kom  ikke.  Men  det  gjorde  de", "Ja\u00a0 nej"]
    for text in texts:
        assert _same(text, nlp_da, types), text
        _, lemmas, tokens, _ = analyze_text(text, types)
        if "(" not in text and "[" not in text and text.isprintable():  # (else whole_unit analyses in full)
            assert whole_unit(text, types, 99, 99) == (tuple(filter(None, lemmas)), tuple(compress(tokens, lemmas))), text
    assert "" in types.chunks and "Ja.  Og så" not in types.chunks
