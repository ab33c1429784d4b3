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
themes); for a rule theme without a learner, 1 − 1/(1 + score). That learner learns from the rules' own
labels, so its confidence says how often the rules would agree, not a researcher. Given a researcher's
decisions on some excerpts (``condense code TABLE --calibrate DECISIONS``), :func:`code_calibrated`
calibrates it against them (:mod:`condense.calibration`): then a 0.7 means that about 7 in 10 such codings
were confirmed. An excerpt below ``min_confidence`` is flagged ``review`` in its evidence (and counted in
warning W305) instead of being left uncoded. ``benchmarks/excerpt_calibration.py`` prints the reliability
tables (bins, n, mean confidence, observed accuracy, ECE) on data others coded.
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
                  seed: int = 0, calibration=None) -> tuple[list[Coding], int]:
    """Codings for every excerpt in every dimension, and the number flagged for review. With ``calibration``
    (:class:`condense.calibration.Calibration`, fitted on a researcher's decisions) the confidence is the
    calibrated one, and the review flag follows it."""
    return flag(raw_codings(coder, units, seed=seed), min_confidence, calibration)


def code_calibrated(coder: Coder, units: list[MeaningUnit], decisions, diagnostics, *,
                    min_confidence: float = MIN_CONFIDENCE, seed: int = 0) -> tuple[list[Coding], int]:
    """:func:`code_excerpts` with the confidence calibrated on a researcher's ``decisions`` (a reviewed
    codings / decisions file about some of these excerpts; ``None``: uncalibrated). Too few decisions to
    calibrate on: warning W307, and the confidence stays uncalibrated."""
    raw = raw_codings(coder, units, seed=seed)
    if decisions is None:
        return flag(raw, min_confidence)
    from .calibration import MIN_DECISIONS, Calibration, decided_rows
    from .errors import display_path
    from .learn import labels_from_file

    labels = labels_from_file(decisions, coder.codebook, units, diagnostics)
    values, kinds, confirmed, _ = decided_rows(raw, labels)
    calibration = Calibration.fit(values, kinds, confirmed)
    if calibration is None:
        diagnostics.warn("W307", path=display_path(decisions), n=len(confirmed), need=MIN_DECISIONS)
    return flag(raw, min_confidence, calibration)


def flag(codings: list[Coding], min_confidence: float = MIN_CONFIDENCE, calibration=None) -> tuple[list[Coding], int]:
    """Calibrate (when given a calibration) and mark for review the codings below ``min_confidence``; a guess
    from the table's most frequent theme (no word of its own) always goes to review."""
    from dataclasses import replace

    from .calibration import kind_of

    out: list[Coding] = []
    flagged = 0
    for c in codings:
        kind = kind_of(c)
        conf = c.probability
        if calibration is not None:
            conf = round(float(calibration.predict([conf], [kind])[0]), 3)
        low = conf < min_confidence or kind == "prior"
        flagged += low
        out.append(replace(c, evidence=c.evidence + ("; review: low confidence" if low else ""), probability=conf))
    return out, flagged


def raw_codings(coder: Coder, units: list[MeaningUnit], *, seed: int = 0) -> list[Coding]:
    """Every excerpt's codings with excerpt mode's own confidence (learned from the rules' labels), unflagged."""
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
    prior = _priors(labels, len(units))

    def confidence(uid: str, dim: str, theme: str, score: float) -> float:
        if dim in proba:
            names, p = proba[dim]
            return float(p[row[uid], names.index(theme)]) if theme in names else 0.0
        return 1.0 - 1.0 / (1.0 + max(score, 0.0))

    out: list[Coding] = []
    for u in units:
        guesses = None
        for dim in coder.dimensions:
            cs = coded.get((u.unit_id, dim))
            if cs:
                out.extend(Coding(c.unit_id, dim, c.theme, c.subtheme, c.score, c.evidence, c.source, c.coder,
                                  round(confidence(u.unit_id, dim, c.theme, c.score), 3)) for c in cs)
                continue
            if guesses is None:
                guesses = best_below_threshold(coder, u)
            guess = _guess(guesses, proba, prior, dim, row[u.unit_id])
            if guess is None:
                continue
            theme, score, evidence = guess
            from_prior = evidence.startswith("the theme most")
            conf = round(prior[dim][1] if from_prior else confidence(u.unit_id, dim, theme, score), 3)
            out.append(Coding(u.unit_id, dim, theme, "", round(score, 3), evidence, SOURCE, "", conf))
    return out


def _priors(labels: dict[str, dict[str, str]], n_units: int) -> dict[str, tuple[str, float]]:
    """dimension → (the theme the rules gave most often, its share of all excerpts)."""
    prior: dict[str, tuple[str, float]] = {}
    for dim, per in labels.items():
        counts: dict[str, int] = {}
        for theme in per.values():
            counts[theme] = counts.get(theme, 0) + 1
        best = max(sorted(counts), key=lambda t: counts[t])
        prior[dim] = (best, counts[best] / n_units)
    return prior


def _guess(guesses: dict, proba: dict, prior: dict, dim: str, row: int) -> tuple[str, float, str] | None:
    """(theme, score, evidence) for an excerpt the rules did not code in ``dim``: the best theme below the
    threshold, else the learner's guess, else the table's most frequent theme; None when nothing is known."""
    if dim in guesses:
        theme, score, ev = guesses[dim]
        return theme, score, f"below threshold: {ev}"
    if dim in proba:
        names, p = proba[dim]
        j = max(range(len(names)), key=lambda k: (p[row, k], -k))
        return names[j], 0.0, "learned from the rule-coded excerpts"
    if dim in prior:
        return prior[dim][0], 0.0, "the theme most excerpts of this table have"
    return None
