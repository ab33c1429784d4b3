"""Active learning: κ of the learned coder after 25, 50, 100 and 200 reviewed units, in uncertainty order
(``condense review export --order uncertainty``) and in random order.

Two codings:
  * the sample's reference coding (transcripts_sample/reference_coding.csv), dimension ``fase``;
  * ../shared/data/shuffle_music, a real coding by other researchers: its 14 level-2 categories learned
    from the answers (multi-label; κ is the mean over categories of κ on presence/absence).

Per seed: a held-out test set of whole interviews / participants (a third); the rest is the pool a
researcher reviews. Random order reviews the pool in a seeded shuffle. Uncertainty order starts with the
same first 25 units, then repeatedly trains on what was reviewed and reviews next the 25 units that
:meth:`LearnedCoder.review_priority` puts first (the order `condense review export --order uncertainty`
gives: uncertainty, weighted by how typical a unit is while fewer than 100 units are reviewed). κ on the test set after each checkpoint, mean over
seeds. Also, for shuffle_music, the learner against the plain TF-IDF + logistic-regression baseline on the
same 5 grouped folds (the issue's bar: ≥ 0.05 κ ahead).

    python benchmarks/learning_curve.py [--seeds 3] [--only sample|shuffle] [--no-folds]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from condense.learn import LearnedCoder, _kappa, _multi_kappa, _quiet  # noqa: E402

CHECKPOINTS = (25, 50, 100, 200)
BATCH = 25


def predict(model: LearnedCoder, units, dim: str):
    if dim not in model.models:
        return None
    labels, proba = model.probabilities(units)[dim]
    head = model.models[dim]
    if head.multi:
        return [frozenset(labels[j] for j in range(len(labels)) if p[j] >= head.thresholds[j]) for p in proba]
    return [labels[int(np.argmax(p))] for p in proba]


def score(model, units, y, dim, multi, names) -> float:
    pred = predict(model, units, dim)
    if pred is None:  # one label only so far: the model guesses it everywhere
        return 0.0
    return _multi_kappa(y, pred, names) if multi else _kappa(y, pred)


def curve(units, labels: dict, dim: str, multi: bool, seed: int, language: str) -> dict[str, list[float]]:
    rng = np.random.RandomState(seed)
    per = labels[dim]
    ids = sorted(u.unit_id for u in units if u.unit_id in per)
    by_id = {u.unit_id: u for u in units}
    groups = sorted({by_id[i].transcript for i in ids})
    test_groups = set(rng.permutation(groups)[: max(1, len(groups) // 3)].tolist())
    test = [i for i in ids if by_id[i].transcript in test_groups]
    pool = [i for i in ids if by_id[i].transcript not in test_groups]
    pool = [pool[k] for k in rng.permutation(len(pool))]
    y_test = [per[i] for i in test]
    names = sorted({t for v in per.values() for t in v}) if multi else None
    test_units = [by_id[i] for i in test]

    def train(chosen):
        m = LearnedCoder("benchmark", language)
        return m.fit(units, {dim: {i: per[i] for i in chosen}}, evaluate=False, random_state=seed,
                     multi_label={dim: multi})

    out = {"random": [], "uncertainty": []}
    for n in CHECKPOINTS:
        out["random"].append(score(train(pool[:n]), test_units, y_test, dim, multi, names))
    chosen = list(pool[:BATCH])
    rest = [i for i in pool if i not in set(chosen)]
    while len(chosen) < max(CHECKPOINTS):
        if len(chosen) in CHECKPOINTS:
            out["uncertainty"].append(None)  # filled below from the model trained on `chosen`
        m = train(chosen)
        if len(chosen) in CHECKPOINTS:
            out["uncertainty"][-1] = score(m, test_units, y_test, dim, multi, names)
        unsure = m.review_priority([by_id[i] for i in rest], reviewed=len(chosen)) if dim in m.models else {i: 0.0 for i in rest}
        nxt = sorted(rest, key=lambda i: (-unsure[i], rest.index(i)))[:BATCH]
        chosen += nxt
        nxt_set = set(nxt)
        rest = [i for i in rest if i not in nxt_set]
    out["uncertainty"].append(score(train(chosen), test_units, y_test, dim, multi, names))
    return out


def report(name: str, curves: list[dict]) -> None:
    print(f"\n{name}: κ on held-out interviews/participants after N reviewed units (mean of {len(curves)} seeds)")
    print(f"{'order':<12}" + "".join(f"{n:>8}" for n in CHECKPOINTS))
    for order in ("random", "uncertainty"):
        means = np.mean([c[order] for c in curves], axis=0)
        print(f"{order:<12}" + "".join(f"{v:>8.3f}" for v in means))
    diff = np.mean([np.array(c["uncertainty"]) - np.array(c["random"]) for c in curves], axis=0)
    print(f"{'difference':<12}" + "".join(f"{v:>+8.3f}" for v in diff))
    sd = np.std([np.array(c["uncertainty"]) - np.array(c["random"]) for c in curves], axis=0)
    print(f"{'sd (seeds)':<12}" + "".join(f"{v:>8.3f}" for v in sd))
    sys.stdout.flush()


def sample_data():
    from condense.codebook import load_codebook
    from condense.ingest import ingest
    from condense.learn import labels_from_file
    from condense.segment import segment

    sample = ROOT / "transcripts_sample"
    cb = load_codebook(ROOT / "codebooks" / "beboerinddragelse.da.yaml")
    seg = segment(ingest([sample]).transcripts)
    return seg.units, labels_from_file(sample / "reference_coding.csv", cb, seg.units)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--only", choices=("sample", "shuffle"))
    ap.add_argument("--no-folds", action="store_true", help="skip the learner-vs-baseline folds on shuffle_music")
    args = ap.parse_args()
    t0 = time.time()
    with _quiet():
        if args.only in (None, "sample"):
            units, labels = sample_data()
            report("sample reference coding, fase", [curve(units, labels, "fase", False, s, "da") for s in range(args.seeds)])
        if args.only in (None, "shuffle"):
            import shuffle_data

            if not shuffle_data.available():
                print("\nshuffle_music: ../shared/data/shuffle_music not found; skipped")
                return
            units, labels, _ = shuffle_data.load()
            if not args.no_folds:
                m = LearnedCoder("shuffle_music", "en").fit(units, labels, folds=5, group_by="transcript", random_state=0,
                                                            multi_label={"level2": True})
                r = m.report["level2"]
                print(f"\nshuffle_music level-2, 5 folds grouped by participant, seed 0: learner κ {r['cv_kappa']:.3f}, "
                      f"plain TF-IDF + logistic regression κ {r['baseline_kappa']:.3f} "
                      f"(difference {r['cv_kappa'] - r['baseline_kappa']:+.3f}), majority guess κ 0.000")
                sys.stdout.flush()
            report("shuffle_music level-2 categories", [curve(units, labels, "level2", True, s, "en") for s in range(args.seeds)])
    print(f"\n({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
