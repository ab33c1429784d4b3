"""Terms that behave like a theme's own terms in the project's units (`condense codebook suggest`).

For each theme: the units the rule coder gave that theme (on the unit's own words, not on question or
guide context) are its evidence set. A word is proposed when it occurs in at least ``min_units`` of them
and is far more frequent there than in the other units: pointwise mutual information
``log2(P(word | theme) / P(word))``, with add-one smoothing so rare words do not dominate. Words that are
already terms of any theme, stop words and numbers are left out. Each proposal comes with example units,
for the researcher to accept by adding it to the codebook by hand: nothing is ever added silently.

Everyday words: a single-word term whose lemma is a very frequent word of the language (Zipf ≥
:data:`EVERYDAY_ZIPF` in ``wordfreq``: "council", "school", and "outing", whose lemma is "out") codes any
unit that says it. :func:`everyday_terms` finds them in a codebook (warning W306 in ``condense codebook
check`` and ``codebook suggest``), and a proposal that is such a word is marked ``everyday``: it belongs in
a phrase or an ``all_of`` entry, with a second word that gives it context.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Coding, MeaningUnit

__all__ = ["Suggestion", "suggest_terms"]


@dataclass
class Suggestion:
    dimension: str
    theme: str
    word: str
    pmi: float
    n_theme: int  # units of the theme with the word
    n_all: int  # units with the word
    examples: list[str]  # unit ids
    everyday: bool = False  # a very frequent word of the language: propose it only with context


def suggest_terms(units: list[MeaningUnit], codings: list[Coding], coder, *, top: int = 8, min_units: int = 3,
                  n_examples: int = 2) -> list[Suggestion]:
    from .emergent import content_lemmas
    from .stopwords import stop_words as _stop_words

    stop = _stop_words(coder.language)
    words = {u.unit_id: set(content_lemmas(u, stop)) for u in units}
    known = set(coder.term_lemmas)
    doc_freq: dict[str, int] = {}
    for ws in words.values():
        for w in ws:
            doc_freq[w] = doc_freq.get(w, 0) + 1
    members: dict[tuple[str, str], list[str]] = {}
    for c in codings:
        if c.source == "rule" and "unit:" in c.evidence:
            members.setdefault((c.dimension, c.theme), []).append(c.unit_id)
    n = max(1, len(units))
    out: list[Suggestion] = []
    for (dim, theme), ids in sorted(members.items()):
        ids = sorted(set(ids))
        counts: dict[str, list[str]] = {}
        for uid in ids:
            for w in words.get(uid, ()):
                counts.setdefault(w, []).append(uid)
        scored = []
        for w, with_w in counts.items():
            if len(with_w) < min_units or w in known or any(h in known for h in coder.heads(w)):
                continue
            pmi = math.log2(((len(with_w) + 1) / (len(ids) + 2)) / ((doc_freq[w] + 1) / (n + 2)))
            if pmi > 1.0:
                scored.append((pmi, w, with_w))
        scored.sort(key=lambda x: (-x[0], x[1]))
        for pmi, w, with_w in scored[:top]:
            out.append(Suggestion(dim, theme, w, round(pmi, 2), len(with_w), doc_freq[w], with_w[:n_examples],
                                  is_everyday(w, coder.language)))
    return out


EVERYDAY_ZIPF = 5.0  # about one word in 10,000 of ordinary text ("council" 5.1, "survey" 4.7 in English)


def is_everyday(lemma: str, language: str, zipf: float = EVERYDAY_ZIPF) -> bool:
    from .emergent import background_zipf

    return background_zipf(lemma.lower(), language) >= zipf


@dataclass
class EverydayTerm:
    dimension: str
    theme: str  # the theme or sub-theme id
    term: str  # as written in the codebook
    lemma: str  # what it matches
    zipf: float
    line: int  # the theme's line in the codebook


def everyday_terms(codebook, coder, *, zipf: float = EVERYDAY_ZIPF) -> list[EverydayTerm]:
    """Single-word ``terms`` of the codebook whose lemma is a very frequent everyday word."""
    from .emergent import background_zipf

    out: list[EverydayTerm] = []
    for dim in codebook.dimensions:
        for theme in dim.themes:
            for node in [theme] + [sub for sub, _ in theme.walk()]:
                for term in node.terms:
                    lemmas = coder._content(term)
                    if len(lemmas) != 1:
                        continue
                    (lemma,) = lemmas
                    z = background_zipf(lemma.lower(), codebook.language)
                    if z >= zipf:
                        out.append(EverydayTerm(dim.id, node.id, term, lemma, round(z, 1), node.line))
    return out


def warn_everyday_terms(codebook, coder, diagnostics, *, zipf: float = EVERYDAY_ZIPF) -> list[EverydayTerm]:
    """W306 for every single-word term that is a very frequent everyday word (see :func:`everyday_terms`)."""
    from .errors import display_path

    found = everyday_terms(codebook, coder, zipf=zipf)
    path = display_path(codebook.path) if codebook.path else codebook.id
    for t in found:
        matches = f"'{t.term}'" if t.term.lower() == t.lemma.lower() else f"'{t.term}' (it matches its lemma '{t.lemma}')"
        diagnostics.warn("W306", path=path, line=t.line, term=matches, theme=t.theme, dimension=t.dimension,
                         zipf=f"{t.zipf:.1f}", word=t.term)
    return found
