"""Excerpt mode: every excerpt of an excerpt table gets its best theme per dimension, with a confidence.

An excerpt table holds passages a researcher chose because they matter, so "none" is rarely the right
answer. Per dimension:

1. the rule coder's themes, where it codes the excerpt (source ``rule``);
2. else the theme the codebook's words point to most, even below the coder's threshold (source
   ``excerpt``, evidence ``below threshold``);
3. else, when no word of the codebook occurs, the guess of a learner trained on the excerpts the rules did
   code (source ``excerpt``, evidence ``learned from the rule-coded excerpts``);
4. else (too few rule-coded excerpts to learn from) the theme the rules gave most often in this table,
   with its share as confidence, always flagged for review. Only a dimension the rules coded in no
   excerpt at all stays uncoded.

Confidence (the Coding's ``probability``): the learner's calibrated probability (Platt scaling on
out-of-fold scores) of the theme given, where a learner could be trained (≥ 10 rule-coded excerpts and two
themes); for a rule theme without a learner, 1 − 1/(1 + score). An excerpt below ``min_confidence`` is
flagged ``review`` in its evidence (and counted in warning W305) instead of being left uncoded.
``benchmarks/coding_quality.py`` prints the reliability table (confidence bins against the share a
reference coding confirms).
"""
from __future__ import annotations

from .coding import Coder
from .model import Coding, MeaningUnit

__all__ = ["SOURCE", "MIN_CONFIDENCE", "best_below_threshold", "code_excerpts"]

SOURCE = "excerpt"
MIN_CONFIDENCE = 0.5


def best_below_threshold(coder: Coder, unit: MeaningUnit) -> dict[str, tuple[str, float, str]]:
    """dimension → (theme, score, evidence) of the best-scoring theme, whatever its score (> 0)."""
    raw = coder.score(unit)
    totals: dict[int, float] = {}
    evidence: dict[int, list[str]] = {}
    for i, (value, ev) in raw.items():
        top = i
        while coder.nodes[top].parent is not None:
            top = coder.nodes[top].parent
        totals[top] = totals.get(top, 0.0) + value
        evidence.setdefault(top, []).extend(ev)
    out: dict[str, tuple[str, float, str]] = {}
    for i in sorted(totals, key=lambda i: (-totals[i], i)):
        dim = coder.nodes[i].dimension
        if dim not in out and totals[i] > 0:
            out[dim] = (coder.nodes[i].theme, totals[i], "; ".join(evidence[i]))
    return out


def code_excerpts(coder: Coder, units: list[MeaningUnit], *, min_confidence: float = MIN_CONFIDENCE,
                  seed: int = 0) -> tuple[list[Coding], int]:
    """Codings for every excerpt in every dimension, and the number flagged for review."""
    from .learn import LearnedCoder

    rules = coder(units)
    coded: dict[tuple[str, str], list[Coding]] = {}
    for c in rules:
        coded.setdefault((c.unit_id, c.dimension), []).append(c)
    labels: dict[str, dict[str, str]] = {}
    for (uid, dim), cs in coded.items():
        best = max(cs, key=lambda c: (c.score, c.theme))
        labels.setdefault(dim, {})[uid] = best.theme
    learner = LearnedCoder(coder.codebook.id, coder.language).fit(units, labels, evaluate=False, random_state=seed)
    proba = learner.probabilities(units) if learner.models else {}
    row = {u.unit_id: k for k, u in enumerate(units)}
    prior: dict[str, tuple[str, float]] = {}
    for dim, per in labels.items():
        counts: dict[str, int] = {}
        for theme in per.values():
            counts[theme] = counts.get(theme, 0) + 1
        best = max(sorted(counts), key=lambda t: counts[t])
        prior[dim] = (best, counts[best] / len(units))

    def confidence(uid: str, dim: str, theme: str, score: float) -> float:
        if dim in proba:
            names, p = proba[dim]
            return float(p[row[uid], names.index(theme)]) if theme in names else 0.0
        return 1.0 - 1.0 / (1.0 + max(score, 0.0))

    out: list[Coding] = []
    flagged = 0
    for u in units:
        guesses = None
        for dim in coder.dimensions:
            cs = coded.get((u.unit_id, dim))
            if cs:
                for c in cs:
                    conf = round(confidence(u.unit_id, dim, c.theme, c.score), 3)
                    low = conf < min_confidence
                    flagged += low
                    out.append(Coding(c.unit_id, dim, c.theme, c.subtheme, c.score,
                                      c.evidence + ("; review: low confidence" if low else ""), c.source, c.coder, conf))
                continue
            if guesses is None:
                guesses = best_below_threshold(coder, u)
            if dim in guesses:
                theme, score, ev = guesses[dim]
                evidence = f"below threshold: {ev}"
            elif dim in proba:
                names, p = proba[dim]
                j = max(range(len(names)), key=lambda k: (p[row[u.unit_id], k], -k))
                theme, score, evidence = names[j], 0.0, "learned from the rule-coded excerpts"
            elif dim in prior:
                theme, share = prior[dim]
                score, evidence = 0.0, "the theme most excerpts of this table have"
            else:
                continue
            from_prior = evidence.startswith("the theme most")
            conf = round(prior[dim][1] if from_prior else confidence(u.unit_id, dim, theme, score), 3)
            low = conf < min_confidence or from_prior  # a guess without a word of its own always goes to review
            flagged += low
            out.append(Coding(u.unit_id, dim, theme, "", round(score, 3), evidence + ("; review: low confidence" if low else ""),
                              SOURCE, "", conf))
    return out, flagged
