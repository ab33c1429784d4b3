"""benchmarks/embedding_survey.py: the figures docs/architecture.md quotes rest on its ranks and groups being
counted as said (no embedder needed here: the matrices are written by hand)."""
from __future__ import annotations

import sys

import numpy as np

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))


def test_neighbour_rank_counts_the_units_nearer_than_the_nearest_fellow_answer():
    from embedding_survey import neighbour_ranks

    sims = np.array([[1.0, 0.2, 0.9, 0.5],
                     [0.2, 1.0, 0.1, 0.3],
                     [0.9, 0.1, 1.0, 0.4],
                     [0.5, 0.3, 0.4, 1.0]])
    # rows 0 and 1 are one topic: row 0's fellow (0.2) has two units nearer (0.9, 0.5); row 1's fellow (0.2)
    # has one (0.3); itself never counts
    assert neighbour_ranks(sims, {0: "a", 1: "a"}) == {0: 3, 1: 2}
    # a planted row without a fellow answer gets no rank
    assert neighbour_ranks(sims, {0: "a", 1: "a", 2: "b"}) == {0: 3, 1: 2}


def test_meaning_groups_need_mutual_neighbours_above_the_bar_over_two_interviews():
    from embedding_survey import meaning_groups

    rng = np.random.default_rng(0)
    base = rng.normal(size=(2, 8))
    vecs = np.vstack([base[0] + 0.01 * rng.normal(size=8) for _ in range(3)]
                     + [base[1] + 0.01 * rng.normal(size=8) for _ in range(3)])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    sims = vecs @ vecs.T
    two = meaning_groups(sims, ["i1", "i2", "i1", "i3", "i3", "i3"], bar=0.9)
    assert sorted(sorted(g) for g in two) == [[0, 1, 2]]  # rows 3-5 are all one interview
    assert meaning_groups(sims, ["i1", "i2", "i1", "i3", "i4", "i3"], bar=1.01) == []  # none above the bar


def test_auc_is_the_chance_a_same_topic_pair_is_nearer():
    from embedding_survey import auc

    assert auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auc([0.5], [0.5]) == 0.5
    assert auc([0.1], [0.2, 0.05]) == 0.5
