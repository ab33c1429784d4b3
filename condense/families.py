"""Word families: a word a speaker uses on its own *and* as the first part of a compound in one breath.

"Hundeejerne … hundene", "hundelorte … hundene", "en hundeskov … så hundene kunne løbe": a word that heads
compounds next to its own use in the same unit is what the unit is about, however ordinary the word is in
the language (Danish "hund", English "dog"). Rarity against background frequency alone cannot see this,
since "hund" is as common as "bange"; the family can. :func:`families` finds such heads from the units'
content lemmas; :class:`condense.emergent.TermSpace` lets them weigh as uncommon words, and a unit using
one joins a group that holds it as through the group's lead word. The compounds are not tied to the head:
in interviews about the energy crisis "varmepumpe" beside "varmt" would make every heat-pump answer one
about warmth.

The rule is general (no word list): Danish and German write compounds closed ("hundeskov"); English writes
them open ("dog bins"), so for languages other than Danish an adjacent pair of content words whose first
word the unit also uses on its own counts as well. A family needs at least :data:`MIN_COMPOUNDS` distinct
compounds, each seen next to the head in some unit, in at least :data:`MIN_UNITS` units; the rest of each
compound must itself be a word of the language, of four letters or more in a closed compound (with or
without a linking s/e), so that an inflection ("hund-ene") or an unrelated word with the same start
("hus-ke") is no compound, and of three or more in an open one ("dog bins").
"""
from __future__ import annotations

from collections import defaultdict

__all__ = ["families", "is_compound_of", "MIN_COMPOUNDS", "MIN_UNITS", "MIN_TAIL", "MAX_HEAD_ZIPF"]

MIN_COMPOUNDS = 2  # distinct compounds of the head, each used beside the head itself in a unit
MIN_UNITS = 2  # units in which the head is used both on its own and in a compound
MIN_TAIL = 4  # letters of the compound's second part ("lort", "ejer", "skov"); "ene" in "hundene" is an ending
MAX_HEAD_ZIPF = 5.6  # up to "music", "car", "party" (Zipf 5.45–5.5); a commoner head is a word of speech, not a topic
_TAIL_ZIPF = 2.5  # the second part is a word of the language


def _prefix_heads(vocabulary: set[str], min_head: int = 3) -> dict[str, list[tuple[str, str]]]:
    """word → [(a shorter word of the vocabulary it starts with, the rest)], the rest at least
    :data:`MIN_TAIL` letters after an optional linking s/e. Only vocabulary look-ups: cheap at any size."""
    out: dict[str, list[tuple[str, str]]] = {}
    for w in vocabulary:
        if len(w) < min_head + MIN_TAIL or not w.isalpha():
            continue
        for i in range(min_head, len(w) - MIN_TAIL + 1):
            p = w[:i]
            if p in vocabulary:
                tail = w[i + 1:] if w[i] in "se" and len(w) - i - 1 >= MIN_TAIL else w[i:]
                out.setdefault(w, []).append((p, tail))
    return out


def is_compound_of(word: str, head: str, language: str, zipf, depth: int = 1) -> bool:
    """``word`` is a closed compound of ``head``: it starts with it, and the rest (after an optional linking
    s/e) is a word of the language of :data:`MIN_TAIL` letters or more ("hundeskov", "sneskovlene"; not
    "hundene"), or itself such a compound of one ("sne-rydnings-ordning"), ``depth`` levels down."""
    if len(word) < len(head) + MIN_TAIL or not word.startswith(head) or not word.isalpha():
        return False
    rest = word[len(head):]
    for t in [rest] + ([rest[1:]] if rest[0] in "se" else []):
        if len(t) >= MIN_TAIL and zipf(t, language) >= _TAIL_ZIPF:
            return True
        if depth > 0 and any(zipf(t[:i], language) >= _TAIL_ZIPF and is_compound_of(t, t[:i], language, zipf, depth - 1)
                             for i in range(MIN_TAIL, len(t) - MIN_TAIL + 1)):
            return True
    return False


def families(docs: list[list[str]], pairs: list[list[tuple]] | None, language: str, stop,
             zipf) -> dict[str, set[str]]:
    """Family heads of a corpus: head → the compounds seen beside it (closed ones as words, open ones as
    "head tail"). ``docs``: each unit's content lemmas; ``pairs``: each unit's adjacent content-word pairs
    (lemma, lemma, …), used for open compounds when ``language`` is not Danish; ``zipf(word, language)``:
    background frequency on the Zipf scale."""
    seen, units, tails = _seen_beside(docs, pairs if language != "da" else None)
    out = {}
    for p in sorted(seen):
        if units[p] < MIN_UNITS or len(seen[p]) < MIN_COMPOUNDS or p in stop:
            continue
        good = {c for c in seen[p] if zipf(tails[c], language) >= _TAIL_ZIPF}
        if len(good) >= MIN_COMPOUNDS and 0 < zipf(p, language) <= MAX_HEAD_ZIPF:
            out[p] = good
    return out


def _seen_beside(docs: list[list[str]], pairs: list[list[tuple]] | None):
    """(head → its compounds seen beside it in a unit, head → the number of such units, compound → its second
    part). ``pairs``: None for closed compounds only."""
    heads = _prefix_heads({w for d in docs for w in d})
    seen: dict[str, set[str]] = defaultdict(set)
    units: dict[str, int] = defaultdict(int)
    tails: dict[str, str] = {}
    for i, doc in enumerate(docs):
        words = set(doc)
        here: set[str] = set()
        for w in words:
            for p, tail in heads.get(w, ()):
                if p in words:
                    seen[p].add(w)
                    tails[w] = tail
                    here.add(p)
        if pairs is not None:
            here |= _open_compounds(doc, pairs[i], seen, tails)
        for p in here:
            units[p] += 1
    return seen, units, tails


def _open_compounds(doc: list[str], pairs: list[tuple], seen: dict[str, set[str]], tails: dict[str, str]) -> set[str]:
    """Heads of the unit's open compounds ("dog bins" beside "dogs"), recorded in ``seen`` and ``tails``."""
    twice = _repeated(doc)
    here = set()
    for a, b, *_ in pairs:
        if a in twice and len(b) >= 3 and a != b:
            seen[a].add(f"{a} {b}")
            tails[f"{a} {b}"] = b
            here.add(a)
    return here


def _repeated(doc: list[str]) -> set[str]:
    """Words a unit uses twice or more (once in an open compound, once more on their own)."""
    once: set[str] = set()
    twice: set[str] = set()
    for w in doc:
        (twice if w in once else once).add(w)
    return twice
