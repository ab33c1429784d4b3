"""Learning from a previous round: a supervised coder per dimension, trained on reviewed codings.

Features (:class:`Features`): TF-IDF over the unit's lemmas and lemma pairs, over character n-grams of its
text (inflections and Danish compounds share their parts), and over its question's words (marked ``q:``,
the guide's context). Per dimension a class-balanced logistic regression: one multinomial model for a
single-label dimension, one yes/no model per theme for a multi-label one. Probabilities are calibrated
(Platt scaling fitted on out-of-fold scores), and a multi-label theme is suggested above the probability
threshold that agreed best with people on those out-of-fold scores. Training rows are the units a person
coded in that dimension, including explicit "none" (an empty theme), so the model learns when *not* to code.

Evaluation on the same folds for all three (``folds``, grouped by ``group_by`` so no interview is on both
sides, shuffled by ``seed``): Cohen's κ of the learner, of always guessing the most frequent label (0 by
construction) and of a plain baseline (default TF-IDF over the text + class-balanced logistic regression).
The report says when the learner does not beat the baseline; a multi-label dimension reports the mean κ
over its themes (presence/absence). Also a reliability table of the calibrated probabilities.

State is plain data (vocabularies, idf weights, coefficients, calibration and thresholds), saved as
``model.json`` + ``model.npz``: no pickle. The model records the codebook (id and content hash) it was
trained with; applying it with another codebook is an error (E510).

Withdrawn passages are never units, so they never reach a training set.
"""
from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .codebook import Codebook
from .errors import CondenseError, display_path
from .model import Coding, MeaningUnit

__all__ = [
    "NONE", "MODEL_FILE", "META_FILE", "FORMAT", "GROUP_BY", "BINS", "features", "Features", "split", "reliability",
    "LearnedCoder", "load_model", "labels_from_file"
]

NONE = "none"
MODEL_FILE = "model.npz"
META_FILE = "model.json"
FORMAT = 2
GROUP_BY = ("transcript", "case", "speaker", "none")
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0000001)
WARM_UP = 100  # reviewed units: below it the review order weighs uncertainty by how typical a unit is


def features(unit: MeaningUnit) -> list[str]:
    """The unit's content lemmas, and the words of its question marked ``q:`` (the guide's context)."""
    import re

    from .emergent import content_lemmas
    from .stopwords import stop_words as _stop_words

    stop = _stop_words(unit.language)
    q = [f"q:{w}" for w in re.findall(r"\w+", unit.question.lower()) if w not in stop and len(w) > 2]
    return content_lemmas(unit, stop) + q


def _word_tokens(unit: MeaningUnit) -> list[str]:
    """Lemmas (all words, lower case) and adjacent lemma pairs."""
    lem = [l.lower() for l in unit.lemmas if l and not l[0].isdigit()]
    return lem + [f"{a} {b}" for a, b in zip(lem, lem[1:])]


def _question_tokens(unit: MeaningUnit) -> list[str]:
    return [t for t in features(unit) if t.startswith("q:")]


def _identity(doc):
    return doc


def _vectorizers(state: dict | None = None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    specs = {
        "words": dict(analyzer=_identity, sublinear_tf=True, min_df=2),
        "chars": dict(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, lowercase=True),
        "question": dict(analyzer=_identity, sublinear_tf=True, min_df=2),
    }
    out = {}
    for name, kw in specs.items():
        if state is not None:
            if name not in state:
                continue
            vocab = {t: i for i, t in enumerate(state[name]["terms"])}
            v = TfidfVectorizer(**kw, vocabulary=vocab)
            v.idf_ = np.asarray(state[name]["idf"], dtype=float)
            out[name] = v
        else:
            out[name] = TfidfVectorizer(**kw)
    return out


def _inputs(units: list[MeaningUnit]) -> dict[str, list]:
    return {"words": [_word_tokens(u) for u in units], "chars": [u.text for u in units],
            "question": [_question_tokens(u) for u in units]}


class Features:
    """Unit → sparse feature row; fitted state is vocabularies and idf weights (plain arrays)."""

    def __init__(self, state: dict | None = None):
        self.vectorizers = _vectorizers(state) if state is not None else {}

    def fit_transform(self, units: list[MeaningUnit]):
        from scipy.sparse import hstack

        data = _inputs(units)
        blocks = []
        self.vectorizers = {}
        for name, v in _vectorizers().items():
            try:
                blocks.append(v.fit_transform(data[name]))
            except ValueError:  # empty vocabulary (no questions; every word once)
                continue
            self.vectorizers[name] = v
        if not blocks:
            from scipy.sparse import csr_matrix

            return csr_matrix((len(units), 0))
        return hstack(blocks).tocsr()

    def transform(self, units: list[MeaningUnit]):
        from scipy.sparse import hstack

        data = _inputs(units)
        return hstack([v.transform(data[name]) for name, v in self.vectorizers.items()]).tocsr()

    def state(self) -> dict:
        out = {}
        for name, v in self.vectorizers.items():
            terms = sorted(v.vocabulary_, key=v.vocabulary_.get)
            out[name] = {"terms": terms, "idf": [float(x) for x in v.idf_]}
        return out


class _quiet:
    """scikit-learn's convergence and undefined-metric warnings are not for the user's console; nor are its
    checks of arguments condense fixes itself and of TF-IDF values, which are finite (a fit on the sample
    validated them in ~650 model fits: about a tenth of its time). The results are the same."""

    def __enter__(self):
        import sklearn

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore")
        self._config = sklearn.config_context(skip_parameter_validation=True, assume_finite=True)
        self._config.__enter__()

    def __exit__(self, *exc):
        self._config.__exit__(*exc)
        return self._ctx.__exit__(*exc)


def _logreg(c: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    # one yes/no model per label (liblinear: fast and deterministic on sparse text features)
    return LogisticRegression(solver="liblinear", dual=True, class_weight="balanced", C=c, random_state=seed, max_iter=1000)


def _kappa(a, b) -> float:
    """Cohen's κ (scikit-learn's figure, bit for bit: agreement.cohen_kappa); 0 where only one label occurs."""
    from .agreement import cohen_kappa

    if len(set(a) | set(b)) < 2:
        return 0.0
    return cohen_kappa(a, b)


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Sigmoid calibration p = 1 / (1 + exp(a·s + b)) fitted on out-of-fold scores (Platt's targets)."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        return -1.0, 0.0  # no evidence to calibrate on: the raw logistic link
    m = LogisticRegression(C=1e6, max_iter=1000).fit(scores.reshape(-1, 1), y)
    return -float(m.coef_[0, 0]), -float(m.intercept_[0])


def _sigmoid(s: np.ndarray, a: float, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(np.clip(a * s + b, -50, 50)))


def split(units: list[MeaningUnit], y: list, *, folds: int, group_by: str, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test index pairs: grouped (no group in both) unless ``group_by`` is ``none``; shuffled by seed."""
    from sklearn.model_selection import GroupKFold, KFold

    n = len(units)
    if group_by == "none":
        k = min(folds, n)
        return list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n))) if k >= 2 else []
    key = {"transcript": lambda u: u.transcript, "case": lambda u: (u.cases[0] if u.cases else u.transcript),
           "speaker": lambda u: f"{u.transcript}/{u.speaker}"}[group_by]
    names = sorted({key(u) for u in units})
    rng = np.random.RandomState(seed)
    order = {g: i for i, g in enumerate(rng.permutation(names))}
    groups = np.array([order[key(u)] for u in units])
    k = min(folds, len(names))
    if k < 2:
        return []
    return list(GroupKFold(n_splits=k).split(np.zeros(n), groups=groups))


@dataclass
class _Head:
    """One dimension's fitted classifier as plain arrays: one yes/no logistic regression per label."""

    labels: list[str]
    multi: bool
    coef: np.ndarray  # (n_labels, n_features)
    intercept: np.ndarray  # (n_labels,)
    platt: np.ndarray  # (n_labels, 2)
    thresholds: np.ndarray  # multi-label: per label; single-label: unused (the most probable label wins)

    def scores(self, X) -> np.ndarray:
        return np.asarray(X @ self.coef.T) + self.intercept

    def proba(self, X) -> np.ndarray:
        s = self.scores(X)
        p = np.column_stack([_sigmoid(s[:, j], *self.platt[j]) for j in range(len(self.labels))])
        if not self.multi:  # calibrated one-vs-rest probabilities, normalised to sum to one
            p = p / np.clip(p.sum(axis=1, keepdims=True), 1e-12, None)
        return p


def _targets(y: list, multi: bool, labels: list[str]) -> np.ndarray:
    if multi:
        return np.array([[1 if lab in yi else 0 for lab in labels] for yi in y], dtype=int).reshape(len(y), len(labels))
    return np.array([[1 if yi == lab else 0 for lab in labels] for yi in y], dtype=int).reshape(len(y), len(labels))


def _raw_fit(X, Y: np.ndarray, seed: int, c: float) -> tuple[np.ndarray, np.ndarray]:
    rows, icpt = [], []
    for j in range(Y.shape[1]):
        yj = Y[:, j]
        if len(set(yj.tolist())) < 2:  # a label always or never present in these rows
            rows.append(np.zeros(X.shape[1]))
            icpt.append(10.0 if yj[0] else -10.0)
            continue
        m = _logreg(c, seed).fit(X, yj)
        rows.append(m.coef_[0])
        icpt.append(float(m.intercept_[0]))
    return np.array(rows, dtype=float).reshape(Y.shape[1], X.shape[1]), np.array(icpt, dtype=float)


def _fit_head(X, y: list, multi: bool, labels: list[str], seed: int, c: float, inner_folds: int = 3) -> _Head:
    """Fit on all rows; calibrate and pick thresholds on out-of-fold scores of ``inner_folds`` folds."""
    from sklearn.model_selection import KFold

    n = X.shape[0]
    Y = _targets(y, multi, labels)
    oof = np.zeros(Y.shape, dtype=float)
    k = min(inner_folds, n)
    for tr, te in KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n)):
        coef, intercept = _raw_fit(X[tr], Y[tr], seed, c)
        oof[te] = np.asarray(X[te] @ coef.T) + intercept
    coef, intercept = _raw_fit(X, Y, seed, c)
    platt = np.array([_platt(oof[:, j], Y[:, j]) for j in range(len(labels))], dtype=float).reshape(len(labels), 2)
    head = _Head(labels, multi, coef, intercept, platt, np.full(len(labels), 0.5))
    if multi:
        p = np.column_stack([_sigmoid(oof[:, j], *platt[j]) for j in range(len(labels))])
        grid = np.round(np.arange(0.1, 0.91, 0.05), 2)
        head.thresholds = np.array([max(grid, key=lambda t: (_kappa(Y[:, j].tolist(), (p[:, j] >= t).astype(int).tolist()), -abs(t - 0.5)))
                                    for j in range(len(labels))], dtype=float)
    return head


class _FoldMatrices:
    """The feature matrices of the cross-validation folds, made once in a fit: a fold's vocabulary is a function
    of its training units, and dimensions coded on the same units are split into the same folds (the sample's
    three dimensions: five folds' features made once, not three times; its fit took 10.4-11.5 CPU s, 6.9-9.0 now, the same model)."""

    def __init__(self):
        self._made: dict[tuple, tuple] = {}

    def _key(self, kind: str, units: list[MeaningUnit], train, test) -> tuple:
        return kind, tuple(units[i].unit_id for i in train), tuple(units[i].unit_id for i in test)

    def condense(self, units: list[MeaningUnit], train, test) -> tuple:
        """(training rows, test rows) in the features of the training part's own vocabulary."""
        key = self._key("condense", units, train, test)
        if key not in self._made:
            feats = Features()
            Xtr = feats.fit_transform([units[i] for i in train])
            self._made[key] = Xtr, feats.transform([units[i] for i in test])
        return self._made[key]

    def baseline(self, units: list[MeaningUnit], train, test) -> tuple | None:
        """(training rows, test rows) of the plain baseline's default TF-IDF over the text; None for an empty
        vocabulary."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        key = self._key("baseline", units, train, test)
        if key not in self._made:
            v = TfidfVectorizer()
            try:
                Xtr = v.fit_transform([units[i].text for i in train])
            except ValueError:
                self._made[key] = None
            else:
                self._made[key] = Xtr, v.transform([units[i].text for i in test])
        return self._made[key]


def _baseline_predict(matrices: tuple | None, y_train, n_test: int, multi: bool, labels: list[str], seed: int) -> list:
    """The plain baseline: default TF-IDF over the text (``matrices``: _FoldMatrices.baseline) + class-balanced
    logistic regression."""
    if matrices is None:
        return [set() if multi else y_train[0]] * n_test
    Xtr, Xte = matrices
    if multi:
        out = [set() for _ in range(n_test)]
        for lab in labels:
            yj = [1 if lab in yi else 0 for yi in y_train]
            if len(set(yj)) < 2:
                continue
            for i, p in enumerate(_plain_logreg(seed).fit(Xtr, yj).predict(Xte)):
                if p:
                    out[i].add(lab)
        return out
    if len(set(y_train)) < 2:
        return [y_train[0]] * n_test
    return list(_plain_logreg(seed).fit(Xtr, y_train).predict(Xte))


def _plain_logreg(seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)


def _multi_kappa(y: list[set], pred: list[set], labels: list[str]) -> float:
    """Mean over themes of κ on presence/absence (a multi-label dimension)."""
    ks = [_kappa([int(lab in a) for a in y], [int(lab in b) for b in pred]) for lab in labels]
    return float(np.mean(ks)) if ks else 0.0


def _label_names(y: list, multi: bool) -> list[str]:
    return sorted({t for yi in y for t in yi}) if multi else sorted(set(y))


def _evaluation_summary(y, predicted, base, prob, multi: bool, names: list[str]) -> dict:
    """κ of the learner and of the baseline, accuracies, the majority guess and the reliability table."""
    acc = float(np.mean([a == b for a, b in zip(y, predicted)]))
    if multi:
        kappa = _multi_kappa(y, predicted, names)
        baseline = _multi_kappa(y, base, names)
        majority, majority_acc, table = "", float(np.mean([len(a) == 0 for a in y])), []
    else:
        kappa, baseline = _kappa(y, predicted), _kappa(y, base)
        majority = max(sorted(set(y)), key=y.count)
        majority_acc = y.count(majority) / len(y)
        table = reliability(prob, [int(a == b) for a, b in zip(y, predicted)])
    return {"folds": 0, "cv_kappa": round(kappa, 4), "baseline_kappa": round(baseline, 4),
            "majority_label": majority, "majority_kappa": 0.0, "cv_accuracy": round(acc, 4),
            "majority_accuracy": round(majority_acc, 4), "beats_baseline": bool(kappa > baseline),
            "reliability": table}


def reliability(prob: list[float], correct: list[int]) -> list[dict]:
    """Calibration table: per probability bin, the number of suggestions, mean probability and share correct."""
    rows = []
    p = np.asarray(prob, dtype=float)
    c = np.asarray(correct, dtype=float)
    for lo, hi in zip(BINS, BINS[1:]):
        m = (p >= lo) & (p < hi)
        if m.any():
            rows.append({"bin": f"{lo:.1f}-{min(hi, 1.0):.1f}", "n": int(m.sum()), "mean_probability": round(float(p[m].mean()), 3),
                         "share_correct": round(float(c[m].mean()), 3)})
    return rows


@dataclass
class LearnedCoder:
    """One classifier per dimension. ``suggest(units)`` gives Coding rows with source ``model``."""

    codebook_id: str
    language: str
    models: dict = field(default_factory=dict)  # dimension -> _Head
    report: dict = field(default_factory=dict)
    min_probability: float = 0.0  # the most probable label is suggested; its probability goes with it
    codebook_sha256: str = ""
    features: Features | None = None
    c: float = 4.0

    def fit(self, units: list[MeaningUnit], labels: dict[str, dict], *, folds: int = 5, random_state: int = 0,
            group_by: str = "transcript", multi_label: dict[str, bool] | None = None,
            evaluate: bool = True) -> "LearnedCoder":
        """``labels``: dimension → unit id → label (a theme id or ``none``; a set of theme ids in a multi-label
        dimension, the empty set for none)."""
        if group_by not in GROUP_BY:
            raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")
        by_id = {u.unit_id: u for u in units}
        labelled = sorted({u for per in labels.values() for u in per if u in by_id})
        with _quiet():
            self.features = Features()
            if len(labelled) < 10:  # nothing to learn from (each dimension needs ten units)
                for dim, per_unit in sorted(labels.items()):
                    self.report[dim] = {"n_units": len([u for u in per_unit if u in by_id]), "skipped": "too few units or only one label"}
                return self
            X_all = self.features.fit_transform([by_id[u] for u in labelled])
            row = {u: i for i, u in enumerate(labelled)}
            matrices = _FoldMatrices()
            for dim, per_unit in sorted(labels.items()):
                multi = bool((multi_label or {}).get(dim)) or any(isinstance(v, (set, frozenset, list, tuple)) for v in per_unit.values())
                self._fit_dimension(dim, per_unit, multi, by_id, X_all, row, evaluate=evaluate, folds=folds,
                                    group_by=group_by, seed=random_state, matrices=matrices)
        return self

    def _fit_dimension(self, dim: str, per_unit: dict, multi: bool, by_id: dict, X_all, row: dict, *, evaluate: bool,
                       folds: int, group_by: str, seed: int, matrices: _FoldMatrices) -> None:
        """One dimension's head (and, with ``evaluate``, its cross-validated report)."""
        ids = sorted(u for u in per_unit if u in by_id)
        y = [_as_set(per_unit[u]) if multi else _as_label(per_unit[u]) for u in ids]
        names = _label_names(y, multi)
        if len(ids) < 10 or len(names) < (1 if multi else 2) or (multi and all(len(yi) == 0 for yi in y)):
            self.report[dim] = {"n_units": len(ids), "skipped": "too few units or only one label"}
            return
        X = X_all[[row[u] for u in ids]]
        dim_units = [by_id[u] for u in ids]
        report = {"n_units": len(ids), "n_interviews": len({u.transcript for u in dim_units}),
                  "multi_label": multi, "labels": names, "group_by": group_by, "seed": seed}
        if evaluate:
            report.update(self._evaluate(y, dim_units, multi, names, folds, group_by, seed, matrices))
        self.models[dim] = _fit_head(X, y, multi, names, seed, self.c)
        self.report[dim] = report

    def _evaluate(self, y, dim_units, multi, names, folds, group_by, seed, matrices: _FoldMatrices) -> dict:
        splits = split(dim_units, y, folds=folds, group_by=group_by, seed=seed)
        if not splits:
            return {"folds": 0, "cv_kappa": math.nan, "baseline_kappa": math.nan, "majority_kappa": 0.0}
        predicted: list = [None] * len(y)
        base: list = [None] * len(y)
        prob: list = [0.0] * len(y)
        for train, test in splits:
            ytr = [y[i] for i in train]
            fold_names = _label_names(ytr, multi)
            self._predict_fold(dim_units, train, test, ytr, fold_names, multi, seed, predicted, prob, matrices)
            for i, b in zip(test, _baseline_predict(matrices.baseline(dim_units, train, test), ytr, len(test), multi,
                                                    fold_names or names, seed)):
                base[i] = b
        return dict(_evaluation_summary(y, predicted, base, prob, multi, names), folds=len(splits))

    def _predict_fold(self, dim_units, train, test, ytr, fold_names, multi, seed, predicted: list, prob: list,
                      matrices: _FoldMatrices) -> None:
        """Fit on one fold's training part (its own vocabulary) and fill in predictions for its test part."""
        if not fold_names or (not multi and len(fold_names) < 2):
            for i in test:
                predicted[i] = set() if multi else ytr[0]
            return
        Xtr, Xte = matrices.condense(dim_units, train, test)  # the vocabulary of the training fold only
        head = _fit_head(Xtr, ytr, multi, fold_names, seed, self.c)
        p = head.proba(Xte)
        for r, i in enumerate(test):
            if multi:
                predicted[i] = {fold_names[j] for j in range(len(fold_names)) if p[r, j] >= head.thresholds[j]}
            else:
                j = int(np.argmax(p[r]))
                predicted[i], prob[i] = fold_names[j], float(p[r, j])

    def check_codebook(self, codebook: Codebook, where: str = "(model)") -> None:
        """E510 when the model was trained with another codebook (id or content)."""
        if self.codebook_sha256 and self.codebook_sha256 != codebook.sha256:
            raise CondenseError("E510", path=where, codebook=display_path(codebook.path) if codebook.path else codebook.id,
                                trained=self.codebook_id)
        if not self.codebook_sha256 and self.codebook_id != codebook.id:
            raise CondenseError("E510", path=where, codebook=display_path(codebook.path) if codebook.path else codebook.id,
                                trained=self.codebook_id)

    def probabilities(self, units: list[MeaningUnit]) -> dict[str, tuple[list[str], np.ndarray]]:
        """dimension → (labels, probability matrix units × labels)."""
        if not units or not self.models:
            return {}
        with _quiet():
            X = self.features.transform(units)
            return {dim: (head.labels, head.proba(X)) for dim, head in sorted(self.models.items())}

    def suggest(self, units: list[MeaningUnit]) -> list[Coding]:
        out: list[Coding] = []
        for dim, (labels, proba) in self.probabilities(units).items():
            head = self.models[dim]
            for u, p in zip(units, proba):
                if head.multi:
                    chosen = [j for j in np.argsort(-p, kind="stable") if p[j] >= head.thresholds[j]]
                else:
                    chosen = [int(np.argmax(p))]
                for j in chosen:
                    label = labels[j]
                    if label == NONE or p[j] < self.min_probability:
                        continue
                    out.append(Coding(u.unit_id, dim, label, "", round(float(p[j]), 3), f"model: p={p[j]:.2f}", "model",
                                      "", round(float(p[j]), 3)))
        return out

    def uncertainty(self, units: list[MeaningUnit]) -> dict[str, float]:
        """unit id → how unsure the model is (0 sure … 1 unsure), the least sure dimension counting: for a
        single-label dimension 1 − (best − second best probability); for a multi-label one the theme closest
        to its threshold."""
        out = {u.unit_id: 0.0 for u in units}
        for dim, (labels, proba) in self.probabilities(units).items():
            head = self.models[dim]
            for u, p in zip(units, proba):
                if head.multi:
                    value = float(1 - np.min(np.abs(p - head.thresholds)) * 2)
                else:
                    top = np.sort(p)[::-1]
                    value = float(1 - (top[0] - (top[1] if len(top) > 1 else 0.0)))
                out[u.unit_id] = max(out[u.unit_id], value)
        return out

    def review_priority(self, units: list[MeaningUnit], *, reviewed: int | None = None) -> dict[str, float]:
        """unit id → how much reviewing the unit is worth now (higher first): its :meth:`uncertainty`, and
        while the model has learned from fewer than :data:`WARM_UP` reviewed units (``reviewed``; default:
        the units it was trained on), that uncertainty times how typical the unit is of the units to review
        (cosine similarity of its features to their centroid, scaled to 0–1). A young model is unsure of
        much, and most of all of odd units (a fragment, a digression) that teach it little: measured on
        shuffle_music and the sample in ``benchmarks/learning_curve.py``."""
        unsure = self.uncertainty(units)
        if reviewed is None:
            reviewed = max((r.get("n_units", 0) for r in self.report.values()), default=0)
        if reviewed >= WARM_UP or not units or not self.models:
            return unsure
        from sklearn.preprocessing import normalize

        with _quiet():
            X = normalize(self.features.transform(units))
        typical = np.asarray(X @ np.asarray(X.mean(axis=0)).ravel()).ravel()
        top = float(typical.max()) if typical.size else 0.0
        if top <= 0:
            return unsure
        return {u.unit_id: unsure[u.unit_id] * float(t) / top for u, t in zip(units, typical)}

    def save(self, folder: str | Path) -> Path:
        """Write the model folder all or nothing (a temporary folder moved into place, :func:`io.output_folder`):
        an interrupted save leaves no half-written model beside a whole one."""
        from .io import output_folder

        with output_folder(folder, kind="learn") as tmp:
            self._write(tmp)
        return Path(folder)

    def _write(self, folder: Path) -> None:
        arrays: dict[str, np.ndarray] = {}
        heads = {}
        for d, (dim, head) in enumerate(sorted(self.models.items())):
            for key in ("coef", "intercept", "platt", "thresholds"):
                arrays[f"h{d}_{key}"] = np.asarray(getattr(head, key), dtype=np.float64)
            heads[dim] = {"index": d, "labels": head.labels, "multi_label": head.multi}
        feats = self.features.state() if self.features else {}
        for name, st in feats.items():
            arrays[f"f_{name}_terms"] = np.array(st["terms"], dtype=str)
            arrays[f"f_{name}_idf"] = np.array(st["idf"], dtype=np.float64)
        with (folder / MODEL_FILE).open("wb") as f:
            np.savez_compressed(f, **arrays)
        meta = {"format": FORMAT, "codebook": self.codebook_id, "codebook_sha256": self.codebook_sha256,
                "language": self.language, "min_probability": self.min_probability, "heads": heads,
                "features": sorted(feats), "report": self.report}
        (folder / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False, default=_plain, sort_keys=True) + "\n",
                                        encoding="utf-8")


def _plain(x):
    if isinstance(x, (np.floating, np.integer)):
        return x.item()
    if isinstance(x, (set, frozenset)):
        return sorted(x)
    return str(x)


def _as_set(v) -> frozenset:
    if isinstance(v, (set, frozenset, list, tuple)):
        return frozenset(t for t in v if t and t != NONE)
    return frozenset() if not v or v == NONE else frozenset([v])


def _as_label(v) -> str:
    if isinstance(v, (set, frozenset, list, tuple)):
        v = sorted(t for t in v if t and t != NONE)
        return v[0] if v else NONE
    return v or NONE


PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib")


def _refuse_pickle(folder: Path) -> None:
    """E710 for a model of the old pickle format (a pickle file, or a folder holding one and no model.npz):
    it is never opened, since loading a pickle can run code."""
    if folder.is_file():
        with folder.open("rb") as f:
            magic = f.read(2)
        if folder.suffix.lower() in PICKLE_SUFFIXES or (len(magic) == 2 and magic[0] == 0x80 and 2 <= magic[1] <= 5):
            raise CondenseError("E710", path=display_path(folder), folder=display_path(folder.with_suffix("")))
        return
    if folder.is_dir() and not (folder / MODEL_FILE).exists():
        old = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in PICKLE_SUFFIXES)
        if old:
            raise CondenseError("E710", path=display_path(folder / old[0]), folder=display_path(folder))


def load_model(folder: str | Path, codebook: Codebook | None = None) -> LearnedCoder:
    """Load a model folder written by ``condense learn`` (data only: JSON and numpy arrays, no pickle).
    With ``codebook``, a model trained with another codebook is an error (E510). One of the folder's own two
    files (``--model m/model.json``, as a file picker gives) stands for its folder."""
    folder = Path(folder)
    if folder.name in (MODEL_FILE, META_FILE) and folder.is_file():
        folder = folder.parent
    path = folder / MODEL_FILE
    meta_path = folder / META_FILE
    _refuse_pickle(folder)
    if not path.exists() or not meta_path.exists():
        raise CondenseError("E303", path=display_path(folder), detail=f"no {MODEL_FILE} and {META_FILE} in it")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        feats = {name: {"terms": arrays[f"f_{name}_terms"].tolist(), "idf": arrays[f"f_{name}_idf"]} for name in meta["features"]}
        models = {}
        for dim, h in meta["heads"].items():
            d = h["index"]
            models[dim] = _Head(list(h["labels"]), bool(h["multi_label"]), arrays[f"h{d}_coef"], arrays[f"h{d}_intercept"],
                                arrays[f"h{d}_platt"], arrays[f"h{d}_thresholds"])
    except Exception as exc:  # a damaged or foreign file
        raise CondenseError("E303", path=display_path(folder), detail=f"{type(exc).__name__}: {exc}") from exc
    model = LearnedCoder(meta.get("codebook", ""), meta.get("language", ""), models, meta.get("report", {}),
                         meta.get("min_probability", 0.0), meta.get("codebook_sha256", ""), Features(feats))
    if codebook is not None:
        model.check_codebook(codebook, display_path(folder))
    return model


def labels_from_file(path: str | Path, codebook: Codebook, units: list[MeaningUnit],
                     diagnostics=None) -> dict[str, dict[str, str]]:
    """dimension → unit id → label from a reviewed codings / decisions / reference file (a set of themes in
    a multi-label dimension).

    Units are matched by id and, when the id moved, by fingerprint (as review decisions are). Only
    human-reviewed rows count when the file says where its rows come from (``source``). Rows of dimensions
    the codebook does not have are one error when no dimension is known (E512: wrong project or codebook),
    else left out with one warning (W510) in ``diagnostics``.
    """
    from .errors import CondenseErrors
    from .review import locate, read_decisions, validate_decision

    decisions = _known_dimensions(read_decisions(path, None, sources=("human",), diagnostics=diagnostics), path, codebook, diagnostics)
    errors = [e for d in decisions for e in validate_decision(d, codebook, path)]
    if errors:
        raise CondenseErrors(errors)
    found, _, _ = locate(decisions, units)
    labels = _labels_of(decisions, found, {d.id: d.multi_label for d in codebook.dimensions})
    if not labels:
        raise CondenseError("E507", path=display_path(path), detail="no human decisions match the project's units")
    return labels


def _known_dimensions(decisions: list, path, codebook: Codebook, diagnostics) -> list:
    """The decisions in the codebook's dimensions: E512 when none is, W510 for the rows left out."""
    known = {d.id for d in codebook.dimensions}
    found_dims = sorted({d.dimension for d in decisions})
    unknown = [d for d in found_dims if d not in known]
    if decisions and len(unknown) == len(found_dims):
        raise CondenseError("E512", path=display_path(path), codebook=display_path(codebook.path) if codebook.path else codebook.id,
                            found=", ".join(found_dims[:8]), allowed=", ".join(sorted(known)))
    if unknown:
        n = sum(1 for d in decisions if d.dimension in unknown)
        if diagnostics is not None:
            diagnostics.warn("W510", n=n, path=display_path(path), dimensions=", ".join(unknown), allowed=", ".join(sorted(known)))
        decisions = [d for d in decisions if d.dimension in known]
    return decisions


def _labels_of(decisions: list, found: dict, multi: dict[str, bool]) -> dict[str, dict]:
    """dimension → unit id → label from the located decisions (rejections left out; a person's theme wins
    over an explicit none; every theme of a multi-label dimension, none as the empty set)."""
    labels: dict[str, dict] = {}
    for i, d in enumerate(decisions):
        if i not in found or d.action == "reject":
            continue
        per = labels.setdefault(d.dimension, {})
        uid = found[i]
        if multi.get(d.dimension):
            per.setdefault(uid, set())
            if d.theme:
                per[uid].add(d.theme)
            continue
        label = d.theme or NONE
        if uid not in per or (per[uid] == NONE and label != NONE):
            per[uid] = label
    return labels
