"""Terms that behave like a theme's own terms in the project's units (`condense codebook suggest`).

For each theme: the units the rule coder gave that theme (on the unit's own words, not on question or
guide context) are its evidence set. A word is proposed when it occurs in at least ``min_units`` of them
and is far more frequent there than in the other units: pointwise mutual information
``log2(P(word | theme) / P(word))``, with add-one smoothing so rare words do not dominate. Words that are
already terms of any theme, stop words and numbers are left out. Each proposal comes with example units,
for the researcher to accept by adding it to the codebook by hand: nothing is ever added silently.
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
            out.append(Suggestion(dim, theme, w, round(pmi, 2), len(with_w), doc_freq[w], with_w[:n_examples]))
    return out
