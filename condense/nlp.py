"""The language pipeline: spaCy's blank Danish/English tokenizer rules, interview sentence rules, lemmas.

condense's own path (:func:`analyze_text`, :func:`types_for`) applies spaCy's tokenizer rules without
importing spaCy (:mod:`condense.tokenizer`: same tokens, 0.8 s less start-up); :func:`load_nlp` still
builds a real spaCy pipeline with the same two components for library users and trained pipelines.

Why not a trained pipeline: none is downloadable on an offline machine, and for matching a codebook we
need lemmas and sentences, not parses. spaCy's lookup lemmatizer is case-sensitive and misses compounds;
simplemma gets everyday interview words right, and we add a compound split for unknown words
(``gåklubben`` → ``gåklub``), cached per word type.

Never hand this pipeline a text with ``\\n`` in it: a newline switches the tokenizer cache off for the
rest of the doc (5–6× slower). Turns are split before they get here; one doc per turn.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, chain, compress
from operator import itemgetter
from typing import TYPE_CHECKING, Callable

from .errors import CondenseError
from .model import fingerprint_words, words_digest

if TYPE_CHECKING:  # spaCy loads when a pipeline is first built, not when condense is imported
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["LANGUAGES", "FILLERS", "BACKCHANNELS", "load_nlp", "token_types", "types_for", "analyze", "analyze_text",
           "analyze_plain", "content_words", "whole_unit", "fill_chunks", "is_backchannel",
           "TokenTypes", "LemmaComponent", "SentenceComponent", "compound_lemmatizer", "LONGEST_WORD", "settled_starts"]

LANGUAGES = ("da", "en")

# Abbreviations that may end a sentence: "Det kostede 50 kr. Og så …" splits after "kr.".
SENTENCE_FINAL_ABBREVIATIONS = {
    "da": {"kr.", "mio.", "mia.", "osv.", "etc.", "mv.", "m.m.", "o.l.", "pct.", "ca."},
    "en": {"etc.", "p.m.", "a.m.", "ltd.", "inc."},
}
# "…" and "..." mark hesitation as often as an end: split only when a capital letter follows.
ELLIPSES = {"…", "...", "....", "…."}
ENDERS = {".", "!", "?", "?!", "!?", "??", "!!", "?.", ".?"}
OPENING_MARKS = {"(", "["}
CLOSING_MARKS = {")": "(", "]": "["}
# Quotation marks, which open or close by where they stand: one written against the end of a sentence with
# a space (or the turn's end) after it closes that sentence ("… godt." Og så …, »… godt.« Og så …, „… godt.“,
# '… godt.' ); the same glyph may open in another usage (“ opens in English, closes in „…“), so the glyph alone
# never decides.
QUOTATION_MARKS = {'"', "'", "''", "``", "\u201c", "\u201d", "\u201e", "\u201f", "\u2018", "\u2019", "\u201a",
                   "\u201b", "\u00ab", "\u00bb", "\u2039", "\u203a"}

# Fillers and backchannels: not lemmatised into content, not units on their own.
FILLERS = {
    "da": {
        "altså", "øh", "øhm", "øhh", "øhhh", "hm", "hmm", "mm", "mmm", "mhm", "ehm", "eh", "øøh", "æh",
        "ikk", "ik", "ikke", "også", "jo", "ja", "jaa", "jah", "nej", "nå", "nåh", "okay", "ok", "okey",
        "ja-ja", "jaja", "nejnej", "mhm", "aha", "ah", "åh", "ligesom", "sådan", "lige", "vel", "da",
    },
    "en": {
        "erm", "er", "um", "uh", "uhm", "mm", "mmm", "mhm", "hmm", "yeah", "yes", "no", "ok", "okay",
        "right", "well", "like", "you", "know", "sort", "of", "kind", "ah", "oh", "so",
    },
}
BACKCHANNELS = {
    "da": {"ja", "jo", "nej", "mm", "mmm", "mhm", "hm", "hmm", "okay", "ok", "nå", "nåh", "klart", "præcis",
           "netop", "rigtigt", "godt", "fint", "super", "aha", "ah", "ja ja", "nej nej", "ja okay", "selvfølgelig",
           "det", "er", "jamen", "også", "sandt", "helt", "enig", "tak", "øh", "altså", "ikke", "ikk", "jaja",
           "jeps", "javel", "sikkert", "godt nok", "nemlig", "lige", "så"},
    "en": {"yes", "yeah", "no", "mm", "mmm", "mhm", "hmm", "okay", "ok", "right", "sure", "exactly", "true",
           "indeed", "i", "see", "fine", "great", "good", "thanks", "oh", "ah", "erm", "yep", "absolutely",
           "of", "course", "that's", "it", "is", "so"},
}


#: letters beyond which a token is taken as it is, not lemmatised: no Danish or English word comes near, and a
#: code name or a "word" of 100,000 letters pasted into coded data made the compound split try every tail
LONGEST_WORD = 80


def compound_lemmatizer(language: str):
    """Word → lemma, with a compound split for words simplemma does not know.

    simplemma's word list is consulted directly first (one dictionary lookup; its full strategy pipeline
    costs ~20× more per word and gives the same answer for listed words); unlisted words go through
    ``simplemma.lemmatize`` and, for Danish, a compound split.
    """
    from .lexicon import dictionary, is_known, lemmatize

    listed = dictionary(language)  # once per process, from the user cache when it is there (lexicon.py)

    @lru_cache(maxsize=None)
    def lemma(word: str) -> str:
        # é is optional in Danish (idé/ide, café/cafe): lemmas are compared without it
        return _lemma(word).replace("é", "e")

    def _lemma(word: str) -> str:
        low = word.lower()
        hit = listed.get(low)
        if hit is not None:
            return hit
        if len(low) > LONGEST_WORD:  # no word: its compound split was quadratic (100,000 letters: 86 s)
            return low
        lem = lemmatize(low, language)
        if lem != low or language != "da" or len(low) < 7 or is_known(low, language):
            return lem
        # Danish compound: find the longest known tail (≥ 4 letters) and lemmatise only that.
        for i in range(2, len(low) - 3):
            tail = low[i:]
            if is_known(tail, language):
                return low[:i] + lemmatize(tail, language)
        return lem

    return lemma


class TokenTypes:
    """Per word type facts, computed once per type and shared by the pipeline components and the fast
    path of :func:`analyze`: the lemma (empty for punctuation), and the sentence-boundary class.

    Besides ``info`` (token text → all facts) the facts are kept in one dict each (``kinds``, ``lemmas``)
    so :func:`analyze` can look a whole doc up with ``map`` at C speed. ``tokenizer`` is spaCy's tokenizer
    for the language, applied without spaCy (:mod:`condense.tokenizer`).
    """

    OPEN, CLOSE, ENDER, SOFT, WORD, PUNCT, QUOTE, SPACE = range(8)  # SPACE: a tab, a run of spaces

    def __init__(self, language: str):
        from .tokenizer import tokenizer_for

        self.language = language
        self.tokenizer = tokenizer_for(language)
        self.lemma_of = compound_lemmatizer(language)
        self.abbreviations = SENTENCE_FINAL_ABBREVIATIONS.get(language, set())
        self.info: dict[str, tuple[int, str, bool, str]] = {}  # text -> (kind, lemma, starts upper, text)
        self.kinds: dict[str, int] = {}
        self.lemmas: dict[str, str] = {}
        self.chunks: dict[str, tuple] = {}  # a space-separated piece of text -> its tokens' facts (analyze_text)
        self.spaces: dict[int, tuple] = {}  # n -> the facts of a token of n spaces (_spaced)

    def get(self, text: str) -> tuple[int, str, bool, str]:
        info = self.info.get(text)
        if info is None:
            first = text[:1]
            upper = first.isupper() or first.isdigit()
            if text in OPENING_MARKS:
                kind = self.OPEN
            elif text in CLOSING_MARKS:
                kind = self.CLOSE
            elif text in ENDERS:
                kind = self.ENDER
            elif text in ELLIPSES or text in self.abbreviations:
                kind = self.SOFT
            elif text in QUOTATION_MARKS:
                kind = self.QUOTE
            elif text.isspace():  # spaCy's lexeme attribute is_space
                kind = self.SPACE
            elif _is_punct(text):  # is_punct
                kind = self.PUNCT
            else:
                kind = self.WORD
            lemma = self.lemma_of(text) if kind == self.WORD else ""
            info = (kind, lemma, upper, text)
            self.info[text] = info
            self.kinds[text] = kind
            self.lemmas[text] = lemma
        return info


def _is_punct(text: str) -> bool:
    """Every character is punctuation (Unicode category P*), as spaCy's ``is_punct``; true for ""."""
    if text[:1].isalnum():  # a letter or digit first (most words): not punctuation
        return False
    return all(unicodedata.category(c)[0] == "P" for c in text)


_TYPES: dict[str, TokenTypes] = {}


def types_for(language: str) -> TokenTypes:
    """The per-type cache of a language (one per process; no spaCy needed)."""
    types = _TYPES.get(language)
    if types is None:
        if language not in LANGUAGES:
            raise CondenseError("E114", language=language, path="(settings)", where="")
        types = _TYPES[language] = TokenTypes(language)
    return types


def token_types(nlp: Language, language: str) -> TokenTypes:
    """The shared per-type cache of a pipeline's language (for :func:`analyze`)."""
    return types_for(language)


# Token kinds as bytes (TokenTypes.OPEN … QUOTE are 0 … 6): the kinds of a doc become one bytes object,
# and the few tokens that matter to sentences and brackets are found by a C-level regex search.
_SPECIAL_KINDS = re.compile(rb"[\x00\x01\x02\x03]")  # a class, not a range: 10x faster in re


def analyze(doc: Doc, types: TokenTypes) -> tuple[list[int], list[str], list[str]]:
    """Sentence starts, lemmas and token texts of a spaCy doc (a user's pipeline, the components below).

    Same rules as :func:`analyze_text`; lemmas are ``""`` for punctuation and inside ``[…]``/``(…)``.
    """
    return _analyze_tokens([t.text for t in doc], types, lambda j: bool(doc[j - 1].whitespace_) or doc[j].is_space)


def _analyze_tokens(texts: list[str], types: TokenTypes, gap: Callable[[int], bool]) -> tuple[list[int], list[str], list[str]]:
    """:func:`analyze`'s three results for token texts; ``gap(j)``: whether space comes before token ``j``."""
    if not texts:
        return [], [], []
    try:
        kinds = bytes(map(types.kinds.__getitem__, texts))
    except KeyError:  # a word type not seen before: fill the caches, then look up again
        for text in texts:
            types.get(text)
        kinds = bytes(map(types.kinds.__getitem__, texts))
    lemmas = list(map(types.lemmas.__getitem__, texts))
    return _sentences(kinds, texts, lemmas, types, gap), lemmas, texts


def _offset_gaps(texts: list[str], offsets: list[int]) -> Callable[[int], bool]:
    """``gap(j)`` of tokens with character offsets: whether space lies between token j - 1 and j (or is token j)."""
    return lambda j: offsets[j] != offsets[j - 1] + len(texts[j - 1]) or texts[j].isspace()


def _piece_gaps(facts: tuple[tuple, ...]) -> Callable[[int], bool]:
    """``gap(j)`` of a text joined from space-separated pieces: token j opens a piece (the piece boundaries are
    counted on the first call; most texts never ask)."""
    firsts: set[int] = set()

    def gap(j: int) -> bool:
        if not firsts:
            firsts.update(accumulate(map(len, map(_ORTHS, facts))))  # after piece k: the first token of piece k + 1
        return j in firsts

    return gap


def _past_closing_marks(kinds: bytes, j: int, gap: Callable[[int], bool]) -> int:
    """Where the next sentence starts after a full stop, ! or ? at token ``j - 1`` and a quotation mark at ``j``:
    past the quotation marks (and brackets) written against it with a space or the text's end after them, which
    close the sentence ("… godt." Og så …, "…?" sagde hun); ``j`` itself when the mark has a space before it (it
    opens the next sentence: … godt. "Nej …) or is written between two words ("godt."Og), where nothing tells
    which sentence it belongs to. Where sentences start is all that changes: how many there are does not."""
    n = len(kinds)
    k = j
    while k < n and (kinds[k] == TokenTypes.QUOTE or kinds[k] == TokenTypes.CLOSE) and not gap(k):
        k += 1
    if k == j or (k < n and not gap(k)):
        return j
    return k


def _sentences(kinds: bytes, orths: list[str] | None, lemmas: list[str] | None, types: TokenTypes,
               gap: Callable[[int], bool]) -> list[int]:
    """Sentence starts of a token sequence (token texts; ``gap(j)``: space before token j); blanks (in place) the
    lemmas inside ``[…]``/``(…)``. A quotation mark closing a sentence stays in it (:func:`_past_closing_marks`),
    and the words after it that go on in small letters, its speech tag ("Kommer du?" sagde en.), are of the same
    sentence (:func:`_speech_tag`). A sentence starts at its first word, never on the tab or the spaces between
    it and the end before (:func:`_past_space`)."""
    starts = [0]
    OPEN, CLOSE, ENDER, QUOTE = types.OPEN, types.CLOSE, types.ENDER, types.QUOTE
    n = len(kinds)  # one kind per token
    depth = 0
    open_at = 0
    for match in _SPECIAL_KINDS.finditer(kinds):
        i = match.start()
        kind = kinds[i]
        if kind == OPEN:
            if not depth:
                open_at = i
            depth += 1
        elif kind == CLOSE:
            if depth:
                depth -= 1
                if not depth:  # everything from the outermost opening mark to here has no lemma
                    lemmas[open_at:i + 1] = [""] * (i + 1 - open_at)
        elif i + 1 < n:  # ENDER or SOFT: a sentence starts at the next token unless that ends or closes
            j = i + 1
            if kind == ENDER and kinds[j] == QUOTE:  # the start moves past the marks closing the sentence, so
                k = _past_closing_marks(kinds, j, gap)  # units, their ids and fingerprints stay those of before
                if k >= n:  # (the marks end the text: they were a sentence of their own, too short to be a unit)
                    continue
                k = _past_space(kinds, k)
                if k == j or not _speech_tag(orths, k):
                    starts.append(k)
                continue
            nxt = kinds[j]  # (a tab or spaces after an ellipsis or abbreviation are no capital: no sentence starts)
            if nxt != ENDER and nxt != CLOSE and (kind == ENDER or types.info[orths[j]][2]):
                starts.append(_past_space(kinds, j))
    if depth:  # an opening mark never closed: blank to the end of the doc
        lemmas[open_at:] = [""] * (n - open_at)
    return starts


_SPACE_KIND = TokenTypes.SPACE


def _past_space(kinds: bytes, j: int) -> int:
    """The first token from ``j`` on that is not whitespace (a tab, the spaces past the first of a run: tokens of
    their own); ``j`` when only whitespace follows. A sentence that began on them began its unit's text with a
    tab or a space."""
    if kinds[j] != _SPACE_KIND:
        return j
    k, n = j, len(kinds)
    while k < n and kinds[k] == _SPACE_KIND:
        k += 1
    return k if k < n else j


def settled_starts(starts: list[int], texts: list[str], types: TokenTypes) -> list[int]:
    """The sentence starts of a user's pipeline (a parser's or a sentencizer's ``doc.sents``) under the rules of
    :func:`_sentences` that need no sentence ends of their own: a start on whitespace moves to the word after it,
    and a start on a speech tag after a quotation closed by its sentence's end ("Kommer du?" sagde en.) is none."""
    kinds = bytes(types.get(t)[0] for t in texts)
    out: list[int] = []
    for start in starts:
        if start and kinds[start] == _SPACE_KIND:
            start = _past_space(kinds, start)
        if start and _speech_tag(texts, start) and _after_closed_quote(kinds, start, types):
            continue
        if not out or start > out[-1]:
            out.append(start)
    return out


def _after_closed_quote(kinds: bytes, k: int, types: TokenTypes) -> bool:
    """Whether token ``k`` follows (past whitespace) quotation marks that follow a sentence's end."""
    j = k - 1
    while j > 0 and kinds[j] == _SPACE_KIND:
        j -= 1
    quotes = j
    while j > 0 and kinds[j] in (types.QUOTE, types.CLOSE):
        j -= 1
    return j < quotes and kinds[j] == types.ENDER


def _speech_tag(orths: list[str], k: int) -> bool:
    """Whether the word at ``k``, after a quotation closed by its sentence's end, goes on in small letters: the
    speech tag of a quoted question or exclamation ("Kommer du?" sagde en. / "Are you coming?" she asked.), which a
    reader takes as one sentence with the quotation, not a sentence of its own."""
    return orths[k][:1].islower()


_KINDS, _ORTHS, _LEMMAS, _TEXTS, _OFFSETS, _CONTENT, _SURFACES, _WORDS = (itemgetter(i) for i in range(8))
_CHUNK_LIMIT = 1_000_000  # distinct space-separated chunks remembered per language before starting afresh


def analyze_text(text: str, types: TokenTypes, make_doc=None) -> tuple[list[int], list[str], list[str], Callable[[int], int]]:
    """Sentence starts, lemmas, token texts and token index → character offset of ``text``, tokenized as
    spaCy's blank pipeline would (``make_doc`` is accepted for older callers and not used).

    A tokenizer cuts a text at whitespace and tokenizes each piece on its own, so a text of words separated
    by single spaces is the concatenation of its pieces' tokens. Each distinct piece is tokenized once and
    its token facts kept (``types.chunks``); a text is then a few C-level joins. A run of spaces is a token
    of its own past the first space (:func:`_spaced`). A text with any other whitespace (tabs, no-break
    spaces, a leading or trailing space) or other non-printable characters is tokenized whole.

    One known difference: spaCy's special-case matcher runs over the whole doc, and a special case whose
    parts straddle a space (``' ''Spar``: the two apostrophes either side) can keep an overlapping one
    inside the next piece (``''``) from applying; pieces alone give ``'`` ``''`` where the whole text
    gives ``'`` ``'`` ``'``. Only punctuation made of special-case fragments around a space does this;
    every turn of the sample, the English sample and ecape_da gets the whole-text tokens (tests).
    """
    if not _joinable(text):
        if not text:
            return [], [], [], _no_offset
        tokens = types.tokenizer(text)
        texts = [t for t, _ in tokens]
        offsets = [i for _, i in tokens]
        starts, lemmas, texts = _analyze_tokens(texts, types, _offset_gaps(texts, offsets))
        return starts, lemmas, texts, offsets.__getitem__
    chunks, facts = _pieces_of(text, types)
    kinds = b"".join(map(_KINDS, facts))
    lemmas = list(chain.from_iterable(map(_LEMMAS, facts)))
    texts = list(chain.from_iterable(map(_TEXTS, facts)))
    return _sentences(kinds, texts, lemmas, types, _piece_gaps(facts)), lemmas, texts, _ChunkOffsets(chunks, facts)


def whole_unit(text: str, types: TokenTypes, max_sentences: int, max_words: int, fingerprint: bool = False):
    """``(content lemmas, surface words)`` of ``text`` when its one window is the whole text (at most
    ``max_sentences`` sentences and ``max_words`` content words; most respondent turns), else
    :func:`analyze_text`'s four results. The content words are joined from the pieces' own, as in
    :func:`content_words`, without the token lists that cutting a turn into windows needs; a text that is
    longer, has an opening bracket (which blanks lemmas) or is not joinable is analysed in full, reusing the
    pieces' facts and the sentence starts already found. ``fingerprint``: the whole text's
    :func:`condense.model.fingerprint` too, as a third item, made from the pieces' words."""
    if not _joinable(text):
        return analyze_text(text, types)
    chunks, facts = _pieces_of(text, types)
    kinds = b"".join(map(_KINDS, facts))
    texts = starts = None
    if b"\x00" not in kinds:  # no TokenTypes.OPEN: no lemma is blanked
        # sentences first: a turn of more sentences is cut into windows and needs its starts anyway, while
        # its content words joined here would be thrown away (most of a corpus's words are in such turns).
        # Sentence starts need the token texts only after an ellipsis or abbreviation (SOFT) or a quotation mark.
        texts = list(chain.from_iterable(map(_TEXTS, facts))) if b"\x03" in kinds or b"\x06" in kinds else None
        starts = _sentences(kinds, texts, None, types, _piece_gaps(facts))
        if len(starts) <= max_sentences:
            content = tuple(chain.from_iterable(map(_CONTENT, facts)))
            if len(content) <= max_words:
                surfaces = tuple(chain.from_iterable(map(_SURFACES, facts)))
                return (content, surfaces, _fingerprint(facts)) if fingerprint else (content, surfaces)
    lemmas = list(chain.from_iterable(map(_LEMMAS, facts)))
    if texts is None:
        texts = list(chain.from_iterable(map(_TEXTS, facts)))
    if starts is None:
        starts = _sentences(kinds, texts, lemmas, types, _piece_gaps(facts))
    return starts, lemmas, texts, _ChunkOffsets(chunks, facts)


def content_words(text: str, types: TokenTypes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lemmas of ``text``'s content tokens and their surface words (what a question needs of
    :func:`analyze_text`): joined from the pieces' own content words when no ``(``/``[`` can blank a stretch."""
    if "(" in text or "[" in text or not _joinable(text):
        _, lemmas, texts, _ = analyze_text(text, types)
        return tuple(filter(None, lemmas)), tuple(compress(texts, lemmas))
    _, facts = _pieces_of(text, types)
    return tuple(chain.from_iterable(map(_CONTENT, facts))), tuple(chain.from_iterable(map(_SURFACES, facts)))


def _pieces_of(text: str, types: TokenTypes) -> tuple[list[str], list[tuple]]:
    """The space-separated pieces of a joinable ``text`` and their facts (new pieces tokenized first)."""
    chunks = text.split(" ")
    known = types.chunks
    try:
        facts = _facts_of(chunks, known)
    except KeyError:  # new pieces: tokenized and kept (not through analyze_text, whose analysis would be thrown away)
        add_pieces(list(dict.fromkeys(chunks)), types)
        facts = _facts_of(chunks, known)
    if "  " in text:
        facts = _spaced(chunks, facts, types)
    return chunks, facts


def _spaced(chunks: list[str], facts: tuple[tuple, ...], types: TokenTypes) -> tuple[tuple, ...]:
    """The facts of a text's pieces where runs of spaces cut it into empty pieces too: n + 1 spaces between
    two words are n empty pieces (each without tokens), and the tokenizer gives the n spaces after the first
    one token of their own, which is put on the run's first empty piece (its offset: right after that space)."""
    out = list(facts)
    run = 0
    for k, chunk in enumerate(chunks):
        if chunk:
            run = 0
            continue
        run += 1
        if run > 1:
            continue
        n = 1
        while not chunks[k + n]:  # (a joinable text does not end in a space: a word ends every run)
            n += 1
        out[k] = types.spaces.get(n) or types.spaces.setdefault(n, _chunk_facts([(" " * n, 0)], types))
    return tuple(out)


def _facts_of(chunks: list[str], known: dict[str, tuple]) -> tuple[tuple, ...]:
    """The facts of each piece (KeyError for one not in ``known``). One ``itemgetter`` call fetches them all
    at C speed, without the method call per piece of ``map(known.__getitem__, …)`` (about half the cost of
    the lookups); for a single key it gives the value itself."""
    if len(chunks) == 1:
        return (known[chunks[0]],)
    return itemgetter(*chunks)(known)


def analyze_plain(text: str, language: str) -> tuple[list[int], list[str], list[str]]:
    """``analyze(load_nlp(language).make_doc(text), …)`` without spaCy: sentence starts, lemmas and token
    texts of the whole text tokenized at once."""
    types = types_for(language)
    tokens = types.tokenizer(text)
    texts = [t for t, _ in tokens]
    return _analyze_tokens(texts, types, _offset_gaps(texts, [i for _, i in tokens]))


def _joinable(text: str) -> bool:
    """Words separated by spaces (single, or runs: :func:`_spaced`), nothing else that is whitespace or
    unprintable, no space at either end (analyze_text)."""
    return bool(text) and text.isprintable() and text[0] != " " and text[-1] != " "


def _no_offset(i: int) -> int:
    raise IndexError(i)


def bound_chunks(types: TokenTypes) -> None:
    """The piece cache forgotten when it holds more than _CHUNK_LIMIT pieces (memory stays bounded)."""
    if len(types.chunks) > _CHUNK_LIMIT:
        types.chunks.clear()


def new_pieces(texts, types: TokenTypes) -> list[str]:
    """The distinct space-separated pieces of ``texts`` that :func:`analyze_text` has not seen yet, in order."""
    bound_chunks(types)
    known = types.chunks
    pieces = dict.fromkeys(chain.from_iterable(t.split(" ") for t in texts if _joinable(t)))
    return [p for p in pieces if p not in known]


def fill_chunks(texts, types: TokenTypes, make_doc=None, batch: int = 0) -> None:
    """Tokenize every space-separated piece of ``texts`` that :func:`analyze_text` has not seen yet (one
    piece at a time: the tokenizer works per piece; ``make_doc`` and ``batch`` are no longer used)."""
    add_pieces(new_pieces(texts, types), types)


def add_pieces(pieces: list[str], types: TokenTypes) -> None:
    """The token facts of ``pieces`` into the piece cache."""
    known = types.chunks
    tokenize = types.tokenizer
    for piece in pieces:
        if piece not in known:
            known[piece] = _chunk_facts(tokenize(piece), types)


def piece_facts(pieces: list[str], types: TokenTypes) -> tuple[list[tuple], list[tuple]]:
    """(piece, facts) of ``pieces`` and (text, facts) of the word types they brought: what a worker process
    sends back so that the parent can :func:`merge_facts` before forking the segmenting workers."""
    seen = len(types.info)
    add_pieces(pieces, types)
    chunks = types.chunks
    return [(p, chunks[p]) for p in pieces], list(types.info.items())[seen:]


def merge_facts(types: TokenTypes, facts: tuple[list[tuple], list[tuple]]) -> None:
    """Adds what :func:`piece_facts` computed elsewhere (the facts are a function of the text alone)."""
    pieces, infos = facts
    for text, info in infos:
        if text not in types.info:
            types.info[text] = info
            types.kinds[text] = info[0]
            types.lemmas[text] = info[1]
    types.chunks.update(pieces)


def _chunk_facts(tokens: list, types: TokenTypes) -> tuple[bytes, tuple, tuple, tuple, tuple, tuple, tuple, bytes]:
    """(kinds, token texts, lemmas before bracket blanking, token texts, character offsets, the lemmas of
    its content tokens, their texts, the words a fingerprint hashes) of one piece's tokens (text, offset
    in the piece)."""
    infos = [types.get(t) for t, _ in tokens]
    texts = tuple(t for t, _ in tokens)
    lemmas = tuple(i[1] for i in infos)
    return (bytes(i[0] for i in infos), texts, lemmas, texts, tuple(i for _, i in tokens),
            tuple(filter(None, lemmas)), tuple(compress(texts, lemmas)), fingerprint_words("".join(texts)))


def _fingerprint(facts) -> str:
    """:func:`condense.model.fingerprint` of the text the pieces make, joined by spaces: their words joined
    (the casefold, the scan for odd characters and the cut into words are done once per distinct piece;
    per unit 3.7 → 1.6 µs on ecape_da)."""
    return words_digest(b" ".join(filter(None, map(_WORDS, facts))))


class _ChunkOffsets:
    """Token index → character offset in the text, for a text joined from space-separated pieces (the
    running sums are made on the first call: an interviewer's turn never asks); and the fingerprint of a
    stretch of whole pieces (:meth:`fingerprint`)."""

    __slots__ = ("chunks", "facts", "tokens", "chars")

    def __init__(self, chunks: list[str], facts: tuple[tuple, ...]):
        self.chunks = chunks
        self.facts = facts
        self.tokens: list[int] = []

    def __call__(self, i: int) -> int:
        if not self.tokens:
            self.tokens = list(accumulate(map(len, map(_ORTHS, self.facts))))  # tokens up to piece k, inclusive
            self.chars = [0, *accumulate(map(len, self.chunks))]  # letters before piece k
        k = bisect_right(self.tokens, i)
        before = self.tokens[k - 1] if k else 0
        return self.chars[k] + k + self.facts[k][4][i - before]  # k spaces precede piece k

    def fingerprint(self, first: int, end: int, start: int, stop: int) -> str | None:
        """:func:`condense.model.fingerprint` of the text from character ``start`` to ``stop``, which holds
        tokens ``first`` to ``end`` (exclusive; offsets asked before), when it is whole pieces (the text of a
        window, but for a sentence cut inside a piece, "slut.Næste"); else None."""
        tokens, chars = self.tokens, self.chars
        k1, k2 = bisect_right(tokens, first), bisect_right(tokens, end - 1)
        if start != chars[k1] + k1 or stop != chars[k2 + 1] + k2:
            return None
        return _fingerprint(self.facts[k1:k2 + 1])


def make_lemma_component(nlp: Language, name: str, language: str):
    return LemmaComponent(nlp, language)


class LemmaComponent:
    """Sets ``token.lemma_`` from simplemma (cached per word type).

    Tokens inside ``[…]`` or ``(…)`` — redactions such as ``[anonymiseret]`` and non-verbal marks such as
    ``(griner)`` — stay in the text but get an empty lemma, so nothing downstream matches or counts them.
    """

    def __init__(self, nlp: Language, language: str):
        self.types = types_for(language)
        self.strings = nlp.vocab.strings

    def __call__(self, doc: Doc) -> Doc:
        _, lemmas, _ = analyze(doc, self.types)
        add = self.strings.add
        for token, lemma in zip(doc, lemmas):
            token.lemma = add(lemma) if lemma else 0
        return doc


def make_sentence_component(nlp: Language, name: str, language: str):
    return SentenceComponent(nlp, language)


class SentenceComponent:
    """Sentence boundaries for transcribed speech.

    A boundary follows ``.``, ``!`` and ``?``; after ``…``/``...`` and after abbreviations that can end a
    sentence (``kr.``) only when a capital letter or digit follows. Abbreviations such as ``bl.a.``,
    ``f.eks.``, ``dvs.`` are single tokens in spaCy's Danish tokenizer and never end a sentence.
    """

    def __init__(self, nlp: Language, language: str):
        self.types = types_for(language)

    def __call__(self, doc: Doc) -> Doc:
        starts, _, _ = analyze(doc, self.types)
        marks = set(starts)
        for i, token in enumerate(doc):
            token.is_sent_start = i in marks
        return doc


@lru_cache(maxsize=1)
def _register_components() -> None:
    """Register the two pipeline components with spaCy (once, when the first pipeline is built)."""
    from spacy.language import Language

    Language.factory("condense_lemmas", default_config={"language": "da"}, func=make_lemma_component)
    Language.factory("condense_sentences", default_config={"language": "da"}, func=make_sentence_component)


@lru_cache(maxsize=4)
def _build(language: str, model: str | None) -> Language:
    import spacy

    _register_components()
    if model:
        try:
            nlp = spacy.load(model)
        except OSError as exc:
            raise CondenseError("E401", path="(project)", line="", detail=f"spaCy pipeline '{model}' is not installed ({exc})",
                                fix="Install the pipeline package, or remove `spacy_model` to use the built-in one.") from exc
        if "condense_lemmas" not in nlp.pipe_names:
            nlp.add_pipe("condense_lemmas", config={"language": language})
        if not nlp.has_pipe("parser") and not nlp.has_pipe("senter") and not nlp.has_pipe("sentencizer"):
            nlp.add_pipe("condense_sentences", config={"language": language})
        return nlp
    nlp = spacy.blank(language)
    nlp.add_pipe("condense_sentences", config={"language": language})
    nlp.add_pipe("condense_lemmas", config={"language": language})
    return nlp


def load_nlp(language: str = "da", *, model: str | None = None) -> Language:
    """The pipeline for a language (``da`` or ``en``), built once per process.

    >>> nlp = load_nlp("da")
    >>> [t.lemma_ for t in nlp("Beboerne inddrog os.")][:2]
    ['beboer', 'inddrage']
    """
    if language not in LANGUAGES:
        raise CondenseError("E114", language=language, path="(settings)", where="")
    return _build(language, model)


_WORD = re.compile(r"\w+", re.UNICODE)


_BACKCHANNEL_WORDS = {lang: BACKCHANNELS[lang] | FILLERS[lang] for lang in BACKCHANNELS}


BACKCHANNEL_CHARS = 60  # a longer text is never a backchannel


def is_backchannel(text: str, language: str = "da") -> bool:
    """True for turns like "Ja.", "Mm, okay", "nej nej" that carry no meaning of their own."""
    if len(text) > BACKCHANNEL_CHARS:
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return True
    vocab = _BACKCHANNEL_WORDS.get(language, set())
    return len(words) <= 4 and all(w in vocab for w in words)
