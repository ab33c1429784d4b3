"""Learning from a previous round: a supervised coder per dimension, trained on reviewed codings.

TF-IDF over the unit's content lemmas (plus its question's lemmas, marked ``q:``) and a logistic
regression per dimension (scikit-learn, ``class_weight="balanced"``). Training rows are the units a person
coded in that dimension, including explicit "none" (an empty theme), so the model learns when *not* to code.
Evaluation: cross-validated Cohen's κ, grouped by interview (no interview in both training and test folds),
beside the κ of always guessing the most frequent label (0 by construction: the baseline to beat).

Withdrawn passages are never units, so they never reach a training set.
"""
from __future__ import annotations

import json
import math
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .codebook import Codebook
from .errors import CondenseError, display_path
from .model import Coding, MeaningUnit

NONE = "none"
MODEL_FILE = "model.pkl"
META_FILE = "model.json"


def features(unit: MeaningUnit) -> list[str]:
    """The unit's content lemmas, and the words of its question marked ``q:`` (the guide's context)."""
    import re

    from .emergent import _stop_words, content_lemmas

    stop = _stop_words(unit.language)
    q = [f"q:{w}" for w in re.findall(r"\w+", unit.question.lower()) if w not in stop and len(w) > 2]
    return content_lemmas(unit, stop) + q


def _already_tokens(doc: list[str]) -> list[str]:
    """The analyzer for pre-tokenised features (a module-level function, so models can be pickled)."""
    return doc


def _pipeline(random_state: int = 0):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer=_already_tokens, min_df=1, sublinear_tf=True),
        LogisticRegression(max_iter=2000, class_weight="balanced", C=2.0, random_state=random_state),
    )


@dataclass
class LearnedCoder:
    """One classifier per dimension. ``suggest(units)`` gives Coding rows with source ``model``."""

    codebook_id: str
    language: str
    models: dict = field(default_factory=dict)  # dimension -> fitted pipeline
    report: dict = field(default_factory=dict)
    min_probability: float = 0.0  # the most probable label is suggested; its probability goes with it

    def fit(self, units: list[MeaningUnit], labels: dict[str, dict[str, str]], *, folds: int = 5,
            random_state: int = 0) -> "LearnedCoder":
        """``labels``: dimension → unit id → label (a theme id or ``none``)."""
        from sklearn.metrics import cohen_kappa_score
        from sklearn.model_selection import GroupKFold

        by_id = {u.unit_id: u for u in units}
        for dim, per_unit in sorted(labels.items()):
            ids = sorted(u for u in per_unit if u in by_id)
            y = [per_unit[u] for u in ids]
            if len(ids) < 10 or len(set(y)) < 2:
                self.report[dim] = {"n_units": len(ids), "skipped": "too few units or only one label"}
                continue
            X = [features(by_id[u]) for u in ids]
            groups = [by_id[u].transcript for u in ids]
            n_groups = len(set(groups))
            k = min(folds, n_groups)
            predicted = [None] * len(ids)
            if k >= 2:
                for train, test in GroupKFold(n_splits=k).split(X, y, groups):
                    if len({y[i] for i in train}) < 2:
                        for i in test:
                            predicted[i] = y[train[0]]
                        continue
                    model = _pipeline(random_state).fit([X[i] for i in train], [y[i] for i in train])
                    for i, p in zip(test, model.predict([X[i] for i in test])):
                        predicted[i] = p
                kappa = float(cohen_kappa_score(y, predicted))
            else:
                kappa = math.nan
            majority = max(sorted(set(y)), key=y.count)
            baseline = float(cohen_kappa_score(y, [majority] * len(y))) if len(set(y)) > 1 else math.nan
            self.models[dim] = _pipeline(random_state).fit(X, y)
            self.report[dim] = {
                "n_units": len(ids), "n_interviews": n_groups, "folds": k, "labels": sorted(set(y)),
                "cv_kappa": round(kappa, 4), "majority_label": majority, "majority_kappa": round(baseline, 4) if not math.isnan(baseline) else 0.0,
                "cv_accuracy": round(sum(a == b for a, b in zip(y, predicted)) / len(y), 4) if k >= 2 else math.nan,
                "majority_accuracy": round(y.count(majority) / len(y), 4),
            }
        return self

    def suggest(self, units: list[MeaningUnit]) -> list[Coding]:
        out: list[Coding] = []
        if not units:
            return out
        X = [features(u) for u in units]
        for dim, model in sorted(self.models.items()):
            proba = model.predict_proba(X)
            classes = list(model.classes_)
            for u, p in zip(units, proba):
                j = int(np.argmax(p))
                label = classes[j]
                if label == NONE or p[j] < self.min_probability:
                    continue
                out.append(Coding(u.unit_id, dim, label, "", round(float(p[j]), 3), f"model: p={p[j]:.2f}", "model",
                                  "", round(float(p[j]), 3)))
        return out

    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / MODEL_FILE).open("wb") as f:
            pickle.dump({"codebook_id": self.codebook_id, "language": self.language, "models": self.models,
                         "min_probability": self.min_probability}, f)
        (folder / META_FILE).write_text(json.dumps({"codebook": self.codebook_id, "language": self.language,
                                                    "report": self.report}, indent=2, ensure_ascii=False, default=str) + "\n",
                                        encoding="utf-8")
        return folder


def load_model(folder: str | Path) -> LearnedCoder:
    """Load a model folder written by ``condense learn`` (only load folders you made yourself: pickle)."""
    folder = Path(folder)
    path = folder / MODEL_FILE
    if not path.exists():
        raise CondenseError("E303", path=display_path(folder), detail=f"no {MODEL_FILE} in it")
    try:
        with path.open("rb") as f:
            data = pickle.load(f)
        report = json.loads((folder / META_FILE).read_text(encoding="utf-8")).get("report", {}) if (folder / META_FILE).exists() else {}
    except Exception as exc:  # a damaged or foreign file
        raise CondenseError("E303", path=display_path(folder), detail=str(exc)) from exc
    return LearnedCoder(data["codebook_id"], data["language"], data["models"], report, data.get("min_probability", 0.0))


def labels_from_file(path: str | Path, codebook: Codebook, units: list[MeaningUnit]) -> dict[str, dict[str, str]]:
    """dimension → unit id → label from a reviewed codings / decisions / reference file.

    Units are matched by id and, when the id moved, by fingerprint (as review decisions are). Only
    human-reviewed rows count when the file says where its rows come from (``source``).
    """
    from .review import locate, read_decisions

    decisions = read_decisions(path, codebook, sources=("human",))
    found, _, _ = locate(decisions, units)
    multi = {d.id: d.multi_label for d in codebook.dimensions}
    labels: dict[str, dict[str, str]] = {}
    for i, d in enumerate(decisions):
        if i not in found or d.action == "reject":
            continue
        per = labels.setdefault(d.dimension, {})
        uid = found[i]
        label = d.theme or NONE
        # one label per unit: in a multi-label dimension the first theme a person gave
        if uid not in per or (per[uid] == NONE and label != NONE):
            per[uid] = label
    if not labels:
        raise CondenseError("E507", path=display_path(path), detail="no human decisions match the project's units")
    return labels
