"""Excerpt mode's confidence calibrated against people's decisions (condense/calibration.py): a 0.7 should be
right about seven times in ten on excerpts the calibration never saw."""
from __future__ import annotations

import csv
from dataclasses import replace

import numpy as np
import pytest

from condense.calibration import Calibration, cross_fitted, decided_rows, reliability_table
from condense.codebook import load_codebook
from condense.coding import Coder
from condense.learn import labels_from_file
from conftest import CODEBOOK_DA, SAMPLE


def test_reliability_table_bins_and_expected_calibration_error():
    conf = [0.9] * 10 + [0.1] * 10
    correct = [1] * 5 + [0] * 5 + [0] * 9 + [1]
    rows, ece = reliability_table(conf, correct, bins=5)
    assert [(r["bin"], r["n"], r["accuracy"]) for r in rows] == [("0.0-0.2", 10, 0.1), ("0.8-1.0", 10, 0.5)]
    assert ece == pytest.approx(0.5 * abs(0.1 - 0.1) + 0.5 * abs(0.5 - 0.9))


def test_too_few_decisions_give_no_calibration():
    assert Calibration.fit([0.5] * 10, ["rule"] * 10, [1, 0] * 5) is None  # under MIN_DECISIONS
    assert Calibration.fit([0.5] * 40, ["rule"] * 40, [1] * 40) is None  # one outcome only


@pytest.fixture(scope="module")
def fase_excerpts(sample_units):
    """The sample's reference units as bare excerpts, excerpt mode's raw codings, and the reference labels."""
    from condense.excerpt_mode import raw_codings

    cb = load_codebook(CODEBOOK_DA)
    labels = labels_from_file(SAMPLE / "reference_coding.csv", cb, sample_units.units)
    units = [replace(u, question="") for u in sample_units.units if u.unit_id in labels["fase"]]
    coder = Coder(cb)
    return coder, units, raw_codings(coder, units), {"fase": labels["fase"]}


def test_calibration_on_some_interviews_holds_on_the_others(fase_excerpts):
    """Fitted on people's decisions about the excerpts of some interviews, the confidence is right as often as
    it says on the other interviews' excerpts; excerpt mode's own confidence (learned from the rules' labels)
    is not."""
    _, units, raw, labels = fase_excerpts
    values, kinds, ok, ids = decided_rows(raw, labels)
    group = {u.unit_id: u.transcript for u in units}
    before = reliability_table(values, ok)[1]
    after = reliability_table(cross_fitted(values, kinds, ok, [group[i] for i in ids], folds=4), ok)[1]
    print(f"ECE before {before:.3f}, after {after:.3f}")
    assert after < 0.1 < before and after < before / 3


def test_code_calibrated_flags_by_the_calibrated_confidence_and_codes_every_excerpt(fase_excerpts, tmp_path):
    from condense.errors import Diagnostics
    from condense.excerpt_mode import MIN_CONFIDENCE, code_calibrated, code_excerpts

    coder, units, _, labels = fase_excerpts
    transcripts = sorted({u.transcript for u in units})
    decided = {u.unit_id for u in units if u.transcript in transcripts[: len(transcripts) // 2]}
    path = tmp_path / "decisions.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit_id", "dimension", "theme"])
        for uid in sorted(decided):
            w.writerow([uid, "fase", "" if labels["fase"][uid] == "none" else labels["fase"][uid]])
    d = Diagnostics()
    plain, _ = code_excerpts(coder, units)
    calibrated, flagged = code_calibrated(coder, units, path, d)
    assert not [w for w in d if w.code == "W307"]
    assert {(c.unit_id, c.dimension, c.theme) for c in calibrated} == {(c.unit_id, c.dimension, c.theme) for c in plain}
    assert {c.unit_id for c in calibrated if c.dimension == "fase"} == {u.unit_id for u in units}  # every excerpt coded
    assert any(a.probability != b.probability for a, b in zip(plain, calibrated))
    low = [c for c in calibrated if "review: low confidence" in c.evidence]
    assert len(low) == flagged and all(c.probability < MIN_CONFIDENCE or "the theme most" in c.evidence for c in low)
    # on the interviews nobody decided, the calibrated confidence is the better forecast
    rest = [c for c in calibrated if c.dimension == "fase" and c.unit_id not in decided]
    assert len(transcripts) >= 4 and len(rest) >= 100
    before = [c for c in plain if c.dimension == "fase" and c.unit_id not in decided]
    truth = lambda c: int(c.theme == labels["fase"][c.unit_id])  # noqa: E731
    ece_after = reliability_table([c.probability for c in rest], [truth(c) for c in rest])[1]
    ece_before = reliability_table([c.probability for c in before], [truth(c) for c in before])[1]
    print(f"held-out interviews: ECE before {ece_before:.3f}, after {ece_after:.3f}")
    assert ece_after < ece_before
    few = tmp_path / "few.csv"
    few.write_text("unit_id,dimension,theme\n" + f"{sorted(decided)[0]},fase,\n", encoding="utf-8")
    d = Diagnostics()
    again, _ = code_calibrated(coder, units, few, d)
    assert [w.code for w in d] == ["W307"] and [c.as_row() for c in again] == [c.as_row() for c in plain]
