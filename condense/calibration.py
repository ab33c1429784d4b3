"""Confidence that holds on text we did not write: excerpt-mode scores calibrated against people's decisions.

Excerpt mode's own confidence (:mod:`condense.excerpt_mode`) is learned from the rule coder's labels, so it
says how often the *rules* would agree, not how often a researcher does. A :class:`Calibration` maps it to
the share of such codings a researcher confirmed, fitted on the excerpts a researcher has decided:

* the input of one coding is its raw confidence (as a log-odds) and how excerpt mode reached it (its
  ``kind``: the rules coded it, the best theme below the threshold, the learner's guess where no codebook
  word occurs, or the table's most frequent theme);
* ``platt`` (default): a logistic regression of "confirmed" on those inputs, with a mild penalty (few
  parameters, so a few dozen decisions are enough); ``isotonic``: a monotone step function of the raw
  confidence alone (needs more decisions);
* :func:`cross_fitted` gives every coding a calibrated confidence from a calibration fitted on the other
  folds (grouped by interview or participant), so a reliability table measured on them is honest.

:func:`reliability_table` bins confidences and reports n, mean confidence, observed accuracy per bin and the
expected calibration error (ECE: the n-weighted mean of |accuracy − confidence| over the bins).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Calibration", "KINDS", "METHODS", "MIN_DECISIONS", "cross_fitted", "decided_rows", "kind_of",
           "reliability_table"]

KINDS = ("rule", "below", "learned", "prior")
METHODS = ("platt", "isotonic")
MIN_DECISIONS = 20  # fewer decided codings (or only one outcome among them): no calibration


def kind_of(coding) -> str:
    """How excerpt mode reached a coding (see :mod:`condense.excerpt_mode`)."""
    if coding.source != "excerpt":
        return "rule"
    if coding.evidence.startswith("below threshold"):
        return "below"
    if coding.evidence.startswith("learned"):
        return "learned"
    return "prior"


def _logit(p) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _design(raw, kinds) -> np.ndarray:
    kinds = list(kinds)
    cols = [_logit(raw)] + [np.array([k == name for k in kinds], dtype=float) for name in KINDS[1:]]
    return np.column_stack(cols)


@dataclass
class Calibration:
    """Raw excerpt-mode confidence (+ kind) → the share of such codings people confirmed."""

    method: str = "platt"
    coef: list[float] = field(default_factory=list)  # platt: intercept, log-odds, one per kind after "rule"
    x: list[float] = field(default_factory=list)  # isotonic: breakpoints of the raw confidence
    y: list[float] = field(default_factory=list)  # isotonic: calibrated values at the breakpoints
    n: int = 0  # decisions it was fitted on

    @classmethod
    def fit(cls, raw, kinds, confirmed, *, method: str = "platt") -> "Calibration | None":
        """None when there is too little to calibrate on (fewer than MIN_DECISIONS, or one outcome only)."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}")
        y = np.asarray(confirmed, dtype=int)
        if len(y) < MIN_DECISIONS or len(set(y.tolist())) < 2:
            return None
        if method == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(np.asarray(raw, dtype=float), y)
            return cls("isotonic", x=[float(v) for v in iso.X_thresholds_], y=[float(v) for v in iso.y_thresholds_], n=len(y))
        from sklearn.linear_model import LogisticRegression

        m = LogisticRegression(C=1.0, max_iter=1000).fit(_design(raw, kinds), y)
        return cls("platt", coef=[float(m.intercept_[0])] + [float(c) for c in m.coef_[0]], n=len(y))

    def predict(self, raw, kinds) -> np.ndarray:
        raw = np.asarray(raw, dtype=float)
        if self.method == "isotonic":
            return np.interp(raw, self.x, self.y)
        c = np.asarray(self.coef)
        z = c[0] + _design(raw, kinds) @ c[1:]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))

    def to_dict(self) -> dict:
        return {"method": self.method, "coef": self.coef, "x": self.x, "y": self.y, "n": self.n}

    @classmethod
    def from_dict(cls, data: dict) -> "Calibration":
        return cls(data["method"], list(data.get("coef", [])), list(data.get("x", [])), list(data.get("y", [])),
                   int(data.get("n", 0)))


def cross_fitted(raw, kinds, confirmed, groups, *, folds: int = 5, seed: int = 0, method: str = "platt") -> np.ndarray:
    """Every coding's confidence from a calibration fitted on the other folds (no group on both sides).
    Where a fold's training part is too small to calibrate, the raw confidence stays."""
    from sklearn.model_selection import GroupKFold

    raw = np.asarray(raw, dtype=float)
    kinds = np.asarray(list(kinds), dtype=object)
    y = np.asarray(confirmed, dtype=int)
    names = sorted(set(groups))
    rng = np.random.RandomState(seed)
    order = {g: i for i, g in enumerate(rng.permutation(names))}
    g = np.array([order[x] for x in groups])
    out = raw.copy()
    k = min(folds, len(names))
    if k < 2:
        return out
    for train, test in GroupKFold(n_splits=k).split(raw, groups=g):
        cal = Calibration.fit(raw[train], kinds[train], y[train], method=method)
        if cal is not None:
            out[test] = cal.predict(raw[test], kinds[test])
    return out


def reliability_table(confidence, correct, *, bins: int = 5) -> tuple[list[dict], float]:
    """Per confidence bin (equal width on 0–1): n, mean confidence, observed accuracy; and the ECE."""
    p = np.asarray(confidence, dtype=float)
    c = np.asarray(correct, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows, ece = [], 0.0
    for i, (lo, hi) in enumerate(zip(edges, edges[1:])):
        m = (p >= lo) & ((p < hi) if i < bins - 1 else (p <= hi))
        if not m.any():
            continue
        conf, acc = float(p[m].mean()), float(c[m].mean())
        rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(m.sum()), "mean_confidence": round(conf, 3),
                     "accuracy": round(acc, 3)})
        ece += m.sum() / max(1, len(p)) * abs(acc - conf)
    return rows, round(float(ece), 4)


def decided_rows(codings, labels: dict[str, dict]) -> tuple[list[float], list[str], list[int], list[str]]:
    """(raw confidence, kind, confirmed, unit id) of every coding whose excerpt a person decided in its
    dimension. ``labels``: dimension → unit id → the person's theme (``none`` or a set of themes in a
    multi-label dimension, as :func:`condense.learn.labels_from_file` reads them)."""
    raw, kinds, confirmed, ids = [], [], [], []
    for c in codings:
        decided = labels.get(c.dimension, {})
        if c.unit_id not in decided:
            continue
        gold = decided[c.unit_id]
        ok = c.theme in gold if isinstance(gold, (set, frozenset)) else c.theme == gold
        raw.append(c.probability)
        kinds.append(kind_of(c))
        confirmed.append(int(ok))
        ids.append(c.unit_id)
    return raw, kinds, confirmed, ids
