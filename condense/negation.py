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
from dataclasses import dataclass

__all__ = [
    "MAX_SCOPE", "CUES", "PAIRED", "SHORT", "BOUNDARIES", "PSEUDO", "Word", "analyse", "words", "negated_spans",
    "is_negated", "align"
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
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    lows = [t[2].lower() for t in tokens]
    is_word = [t[2][0].isalnum() or t[2][0] == "_" for t in tokens]
    boundaries = BOUNDARIES.get(language, set())
    pseudo = PSEUDO.get(language, set())
    negated = [False] * len(tokens)
    cue_at = [False] * len(tokens)
    sentence = []
    s = 0
    for i, t in enumerate(tokens):
        sentence.append(s)
        if t[2] in (".", "!", "?", "…"):
            s += 1
    i = 0
    n = len(tokens)
    while i < n:
        low = lows[i]
        if not is_word[i] or not _is_cue(low, language):
            i += 1
            continue
        nxt = [lows[j] for j in range(i + 1, min(n, i + 3))]
        if (low, *nxt[:1]) in pseudo or (low, *nxt[:2]) in pseudo:
            i += 2
            continue
        if i + 1 < n and is_word[i + 1] and _is_cue(lows[i + 1], language) and lows[i + 1] not in ("nor",):
            i += 2  # "ikke uden", "not without": the two cancel
            continue
        cue_at[i] = True
        limit = n if low in PAIRED else SHORT.get(low, MAX_SCOPE)
        count = 0
        j = i + 1
        while j < n and count < limit:
            if not is_word[j]:
                if tokens[j][2] in _PUNCT_END:
                    break
                j += 1
                continue
            if lows[j] in boundaries:
                break
            negated[j] = True
            count += 1
            j += 1
        # a cue ending its clause ("… ikke?", "Nej, ikke.") negates nothing; a cue inside scope still counts
        i += 1
    return [Word(t[0], t[1], t[2], negated[k], sentence[k], cue_at[k]) for k, t in enumerate(tokens) if is_word[k]]


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
    sentence."""
    analysed = analyse(text, language)
    flags: list[bool] = []
    sentences: list[int] = []
    pos = 0
    k = 0
    sent = 0
    for s in surfaces:
        at = text.find(s, pos)
        if at < 0:
            flags.append(False)
            sentences.append(sent)
            continue
        pos = at + len(s)
        while k < len(analysed) and analysed[k].end <= at:
            k += 1
        neg = False
        if k < len(analysed) and analysed[k].start < pos:
            neg = analysed[k].negated and not analysed[k].cue
            sent = analysed[k].sentence
        flags.append(neg)
        sentences.append(sent)
    return flags, sentences
