"""Negation and its scope in Danish and English interview text (used by the coder for every dimension).

A negation cue (``ikke``, ``ingen``, ``aldrig``, ``uden``, ``hverken … eller``; ``not``, ``n't``, ``no``,
``never``, ``without``, ``neither … nor``) negates the words after it up to the end of its clause: the next
punctuation mark, a clause-opening conjunction (``men``, ``selvom``, ``fordi``; ``but``, ``although``,
``because``) or :data:`MAX_SCOPE` words, whichever comes first (``hverken``/``neither`` reach the clause
end; the prepositions ``uden``/``without`` cover four words). What the cue negates is therefore what follows it, as in "vi inddrog *ikke beboerne i planlægningen*"
or "we did *not involve residents*". Words before the cue are never in scope ("*Beboerne* var ikke med").

Not negations (no scope): a tag question ("… ikke?", "ikke også", "ikke sandt"), a cue that ends its clause
("Nej, ikke."), the pseudo-negations "ikke kun/bare/blot/alene/mindst", "uden tvivl", "ingen tvivl",
"not only/just/merely", "no doubt", "no matter", "not least", and a cue followed at once by another
("ikke uden" = with; "not without"), which cancel each other.

The API is two functions over plain text, so any module can use it (the coder; participation logic):

>>> [w for w, neg in words("Vi inddrog ikke beboerne, men de kom alligevel.", "da") if neg]
['beboerne']
>>> is_negated("We never asked the residents.", 9, 14, "en")   # "asked"
True
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import compress
from typing import Callable

__all__ = [
    "MAX_SCOPE", "CUES", "PAIRED", "SHORT", "BOUNDARIES", "PSEUDO", "Word", "analyse", "words", "negated_spans",
    "is_negated", "align", "align_lazily"
]

MAX_SCOPE = 8  # words; a clause rarely runs longer before a comma in speech

CUES = {
    "da": {"ikke", "ikk", "ingen", "intet", "ingenting", "aldrig", "uden", "hverken", "ej", "ingensinde"},
    "en": {"not", "no", "never", "without", "neither", "nor", "none", "nobody", "nothing", "cannot", "nowhere"},
}
# cues that reach the clause end (both halves of the pair are inside: "hverken beboerne eller personalet")
PAIRED = {"hverken", "neither"}
# prepositions negate a short phrase ("uden beboerne", "without asking them")
SHORT = {"uden": 4, "without": 4}
# words that open a new clause: the negation does not reach past them
BOUNDARIES = {
    "da": {"men", "selvom", "skønt", "fordi", "mens", "hvorimod", "derimod", "alligevel", "dog", "imens", "hvis", "når"},
    "en": {"but", "although", "though", "because", "while", "whereas", "however", "yet", "except", "if", "when",
           "unless"},
}
# cue + next word(s) that are not a negation of what follows
PSEUDO = {
    "da": {("ikke", "kun"), ("ikke", "bare"), ("ikke", "blot"), ("ikke", "alene"), ("ikke", "mindst"),
           ("ikke", "også"), ("ikke", "sandt"), ("ikk", "også"), ("uden", "tvivl"), ("ingen", "tvivl"),
           ("ikke", "for"), ("aldrig", "så")},
    "en": {("not", "only"), ("not", "just"), ("not", "merely"), ("not", "least"), ("no", "doubt"),
           ("no", "matter"), ("not", "to", "mention"), ("nothing", "but"), ("no", "longer", "only")},
}
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
_PUNCT_END = set(".,;:!?()[]\"“”„«»—–-/…")
_ENDERS = (".", "!", "?", "…")


@dataclass(frozen=True)
class Word:
    """A word of the text: its characters, whether a negation covers it, and its sentence number."""

    start: int
    end: int
    text: str
    negated: bool
    sentence: int
    cue: bool = False


def _is_cue(low: str, language: str) -> bool:
    if low in CUES.get(language, ()):
        return True
    # English contractions: don't, isn't, can't, won't, wasn't (as one token or spaCy's "n't")
    return language == "en" and (low.endswith("n't") or low.endswith("n’t") or low in ("n't", "n’t"))


def analyse(text: str, language: str = "da") -> list[Word]:
    """Every word of ``text`` with its negation flag and sentence number (punctuation left out)."""
    texts, spans, negated, cue_at = _scan(text, language)
    sentence = _sentence_numbers(texts)
    return [Word(spans[k][0], spans[k][1], t, negated[k], sentence[k], cue_at[k])
            for k, t in enumerate(texts) if _is_word_char(t[0])]


def _scan(text: str, language: str, start: int = 0) -> tuple[list[str], list[tuple[int, int]], list[bool], list[bool]]:
    """The tokens of ``text`` from ``start`` (a token boundary) on, words and single punctuation marks: their
    texts and spans, and per token: negated?, a cue? Tokens are listed by C-level calls (``finditer``, ``map``);
    Python looks only at the cues and their scopes."""
    matches = list(_TOKEN.finditer(text, start))
    texts = list(map(_GROUP, matches))
    spans = list(map(_SPAN, matches))
    lows = list(map(str.lower, texts))
    n = len(texts)
    negated = [False] * n
    cue_at = [False] * n
    after = 0  # the first token a cue may be at (a pseudo-negation skips the word after its cue)
    for i in _cue_candidates(lows, language):
        if i < after:
            continue
        if _not_a_negation(lows, texts, i, language):
            after = i + 2
            continue
        cue_at[i] = True
        _mark_scope(texts, lows, i, language, negated)
        # a cue ending its clause ("… ikke?", "Nej, ikke.") negates nothing; a cue inside scope still counts
    return texts, spans, negated, cue_at


_SPAN, _GROUP = re.Match.span, re.Match.group


def _cue_candidates(lows: list[str], language: str):
    """Indices of the tokens that are cues (every cue is a word token), in order."""
    cues = CUES.get(language, set())
    if language == "en":
        return [i for i, low in enumerate(lows) if _is_cue(low, language)]
    return compress(range(len(lows)), map(cues.__contains__, lows))


def _sentence_numbers(texts: list[str]) -> list[int]:
    """The sentence number of each token: sentences end after ``.``, ``!``, ``?`` and ``…``."""
    sentence = []
    s = 0
    for t in texts:
        sentence.append(s)
        if t in _ENDERS:
            s += 1
    return sentence


def _not_a_negation(lows: list[str], texts: list[str], i: int, language: str) -> bool:
    """The cue at ``i`` with the word after it is a pseudo-negation ("ikke kun", "no doubt") or a second cue
    that cancels it ("ikke uden", "not without"): both words are skipped."""
    n = len(lows)
    nxt = lows[i + 1:min(n, i + 3)]
    pseudo = PSEUDO.get(language, set())
    if (lows[i], *nxt[:1]) in pseudo or (lows[i], *nxt[:2]) in pseudo:
        return True
    return i + 1 < n and _is_word_char(texts[i + 1][0]) and _is_cue(lows[i + 1], language) and lows[i + 1] not in ("nor",)


def _mark_scope(texts: list[str], lows: list[str], i: int, language: str, negated: list[bool]) -> None:
    """Flag the words after the cue at ``i`` up to a punctuation mark, a clause-opening conjunction or the
    cue's reach (MAX_SCOPE words; a paired cue to the end; a preposition four words)."""
    boundaries = BOUNDARIES.get(language, set())
    n = len(texts)
    limit = n if lows[i] in PAIRED else SHORT.get(lows[i], MAX_SCOPE)
    count = 0
    j = i + 1
    while j < n and count < limit:
        if not _is_word_char(texts[j][0]):  # a punctuation token (one character)
            if texts[j] in _PUNCT_END:
                break
            j += 1
            continue
        if lows[j] in boundaries:
            break
        negated[j] = True
        count += 1
        j += 1


def words(text: str, language: str = "da") -> list[tuple[str, bool]]:
    """``(word, negated)`` for every word of the text, in order."""
    return [(w.text, w.negated) for w in analyse(text, language)]


def negated_spans(text: str, language: str = "da") -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the negated stretches of ``text`` (adjacent words merged)."""
    spans: list[list[int]] = []
    last_index = -2
    for k, w in enumerate(analyse(text, language)):
        if not w.negated:
            continue
        if spans and last_index == k - 1:
            spans[-1][1] = w.end
        else:
            spans.append([w.start, w.end])
        last_index = k
    return [(a, b) for a, b in spans]


def is_negated(text: str, start: int, end: int, language: str = "da") -> bool:
    """True when every word overlapping ``text[start:end]`` lies inside a negation's scope."""
    inside = [w for w in analyse(text, language) if w.start < end and w.end > start]
    return bool(inside) and all(w.negated for w in inside)


def align(text: str, surfaces: tuple[str, ...] | list[str], language: str = "da") -> tuple[list[bool], list[int]]:
    """Negation flag and sentence number for each of ``surfaces`` (tokens of ``text`` in order, e.g. a
    meaning unit's ``surfaces``). A token not found in the text is neither negated nor moved to a new
    sentence; punctuation keeps the sentence number before it. A surface takes the flag and sentence of
    the first word of :func:`analyse` it overlaps; a cue itself is not negated. A text without any
    negation cue is not tokenised here at all: the surfaces the caller has are enough."""
    flags, sentences = align_lazily(text, surfaces, language)
    return flags, sentences()


def align_lazily(text: str, surfaces: tuple[str, ...] | list[str], language: str = "da") -> tuple[list[bool], Callable[[], list[int]]]:
    """:func:`align`, with the sentence numbers worked out when first asked for: the coder needs them only
    for a pattern of several lemmas, and most units never have one."""
    starts, ends = _negated_words(text, language)
    n = len(surfaces)
    firsts = _first_word_chars(text, surfaces) if starts else None
    flags = [False] * n
    if starts:
        for i, first in enumerate(firsts):
            if first is not None:
                k = bisect_right(starts, first) - 1
                flags[i] = k >= 0 and first < ends[k]
    known: list[list[int]] = []

    def sentences() -> list[int]:
        if not known:
            enders = [m.start() for m in _ENDER_SEARCH.finditer(text)]
            known.append(_sentences_at(firsts if firsts is not None else _first_word_chars(text, surfaces), enders)
                         if enders else [0] * n)
        return known[0]

    return flags, sentences


def _sentences_at(firsts: list[int | None], enders: list[int]) -> list[int]:
    """The sentence number of each position (sentences end at ``enders``); None keeps the one before."""
    sentences = []
    sent = 0
    for first in firsts:
        if first is not None:
            sent = bisect_left(enders, first)
        sentences.append(sent)
    return sentences


def _negated_words(text: str, language: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the words in a negation's scope (cues left out), in order; none without a cue."""
    starts: list[int] = []
    ends: list[int] = []
    first_cue = _first_cue(text, language)
    if first_cue is not None:
        _, spans, negated, cue_at = _scan(text, language, first_cue)
        for k in compress(range(len(spans)), negated):
            if not cue_at[k]:
                starts.append(spans[k][0])
                ends.append(spans[k][1])
    return starts, ends


def _first_word_chars(text: str, surfaces) -> list[int | None]:
    """For each surface, found in order in ``text``: the first position it covers inside a word of
    :func:`analyse` (None when it covers none, or is not found)."""
    out: list[int | None] = []
    pos = 0
    size = len(text)
    find = text.find
    for s in surfaces:
        at = find(s, pos)
        if at < 0:
            out.append(None)
            continue
        pos = at + len(s)
        ch = text[at] if at < size else ""
        out.append(at if (ch.isalnum() or ch == "_") and at < pos else _first_word_char(text, at, pos))
    return out


# Any cue of a language as a whole word of the lower-cased text, or an English contraction ("don't"). This
# finds every text :func:`analyse` could find a cue in (and a few more, which :func:`align` then analyses).
_CUE_SEARCH = {
    lang: re.compile(r"\b(?:" + "|".join(sorted(cues, key=len, reverse=True)) + r")\b"
                     + (r"|n['’]t" if lang == "en" else ""))
    for lang, cues in CUES.items()
}
_ENDER_SEARCH = re.compile(r"[.!?…]")
_WORD_CHAR = re.compile(r"\w")


def may_negate(text: str, language: str = "da") -> bool:
    """False when ``text`` holds no negation cue of ``language`` (then nothing in it is negated)."""
    return _first_cue(text, language) is not None


def _first_cue(text: str, language: str) -> int | None:
    """None when ``text`` holds no cue; else a token boundary before its first cue (cues only reach forward,
    so the analysis may start there): the start of the cue's space-delimited stretch."""
    search = _CUE_SEARCH.get(language)
    low = text.lower()
    m = search.search(low) if search is not None else None
    if m is None:
        return None
    if len(low) != len(text):  # lower-casing changed the length ("İ"): positions differ, start at the top
        return 0
    return text.rfind(" ", 0, m.start()) + 1


def _first_word_char(text: str, at: int, end: int) -> int | None:
    """The first position of ``text[at:end]`` inside a word of :func:`analyse` (a word character, or an
    apostrophe between two), or None. An empty stretch (``at == end``) is inside a word when it splits one."""
    if at == end:
        return at if 0 < at < len(text) and _in_word(text, at - 1) and _in_word(text, at) else None
    if _in_word(text, at):
        return at
    m = _WORD_CHAR.search(text, at, end)
    return m.start() if m else None


def _in_word(text: str, i: int) -> bool:
    ch = text[i]
    if ch.isalnum() or ch == "_":
        return True
    return ch in "'’" and 0 < i < len(text) - 1 and _is_word_char(text[i - 1]) and _is_word_char(text[i + 1])


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
