"""The learned coder: trained on part of the sample, it codes the rest; κ is reported honestly."""
from __future__ import annotations

from collections import Counter

import pytest

from condense.codebook import load_codebook
from condense.learn import LearnedCoder, labels_from_file, load_model
from conftest import CODEBOOK_DA, SAMPLE


def test_learning_on_part_of_the_sample_and_coding_the_rest(sample_units, tmp_path):
    from sklearn.metrics import cohen_kappa_score

    cb = load_codebook(CODEBOOK_DA)
    labels = labels_from_file(SAMPLE / "reference_coding.csv", cb, sample_units.units)
    held_out = "11_mosevangen"
    train = {d: {u: l for u, l in per.items() if not u.startswith(held_out)} for d, per in labels.items()}
    model = LearnedCoder(cb.id, cb.language).fit(sample_units.units, train, folds=5)
    # measured: cross-validated κ 0.56 (fase), 0.24 (deltagelse), 0.32 (tema); the majority guess has κ 0
    for dim, floor in (("fase", 0.4), ("deltagelse", 0.1), ("tema", 0.1)):
        r = model.report[dim]
        assert r["n_interviews"] == 5 and r["cv_kappa"] > floor, (dim, r)
        if dim == "tema":  # multi-label: a set of themes per unit, κ is the mean over themes (issue 17)
            continue
        # the baseline beside it is the real majority guess of the training labels
        counts = Counter(train[dim].values())
        label, n = counts.most_common(1)[0]
        assert r["majority_label"] == label and r["majority_accuracy"] == round(n / sum(counts.values()), 4)
    model.save(tmp_path / "model")
    loaded = load_model(tmp_path / "model")
    test_units = [u for u in sample_units.units if u.transcript == held_out]
    suggestions = loaded.suggest(test_units)
    assert suggestions and {c.source for c in suggestions} == {"model"}
    assert all(0 < c.probability <= 1 for c in suggestions)
    predicted = {c.unit_id: c.theme for c in suggestions if c.dimension == "fase"}
    gold = [labels["fase"][u.unit_id] for u in test_units]
    guess = [predicted.get(u.unit_id, "none") for u in test_units]
    kappa = cohen_kappa_score(gold, guess)
    assert kappa > 0.4  # measured 0.71 for this interview; the majority guess scores 0


def test_withdrawn_text_never_reaches_training(sample_corpus, sample_units):
    t = sample_corpus.transcript("11_mosevangen")
    assert t.withdrawn == 1
    assert not any("Yilmaz" in u.text for u in sample_units.units)


def test_model_is_data_only_and_bound_to_its_codebook(sample_units, tmp_path):
    import pytest

    from condense.codebook import parse_codebook
    from condense.errors import CondenseError

    cb = load_codebook(CODEBOOK_DA)
    # four of the six coded interviews (289 units, all coded): what is checked here is the model's files and its
    # binding, not its κ; fitting on them took 2.0 CPU s against 3.0 on the whole sample's 789 units (435 coded)
    four = ("01_solsikkeparken", "02_boegeloekken", "06_engdraget", "07_lindegaarden")
    coded = [u for u in sample_units.units if u.transcript in four]
    labels = labels_from_file(SAMPLE / "reference_coding.csv", cb, coded)
    model = LearnedCoder(cb.id, cb.language, codebook_sha256=cb.sha256).fit(coded, {"fase": labels["fase"]}, folds=3)
    r = model.report["fase"]
    assert r["n_interviews"] == 4 and r["n_units"] == len(coded)
    assert {"cv_kappa", "baseline_kappa", "majority_kappa", "beats_baseline", "reliability"} <= set(r)
    assert r["beats_baseline"] == (r["cv_kappa"] > r["baseline_kappa"])
    assert sum(row["n"] for row in r["reliability"]) == r["n_units"]
    model.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["manifest.json", "model.json", "model.npz"]  # written all or nothing (output_folder)
    import numpy as np

    with np.load(tmp_path / "m" / "model.npz", allow_pickle=False) as z:  # no object arrays
        assert all(z[k].dtype != object for k in z.files)
    units = coded[:40]
    again = load_model(tmp_path / "m", cb)
    assert [c.as_row() for c in again.suggest(units)] == [c.as_row() for c in model.suggest(units)]
    for picked in ("model.json", "model.npz"):  # a file picker gives one of the folder's files, not the folder
        assert [c.as_row() for c in load_model(tmp_path / "m" / picked, cb).suggest(units[:5])] == \
            [c.as_row() for c in model.suggest(units[:5])]
    other = parse_codebook(CODEBOOK_DA.read_text(encoding="utf-8").replace("label: Vidensindsamling", "label: Viden", 1))
    with pytest.raises(CondenseError) as err:
        load_model(tmp_path / "m", other)
    assert err.value.code == "E510"


@pytest.mark.slow
def test_multi_label_dimension_learns_sets(sample_units):
    cb = load_codebook(CODEBOOK_DA)
    labels = labels_from_file(SAMPLE / "reference_coding.csv", cb, sample_units.units)
    assert any(isinstance(v, set) for v in labels["tema"].values())
    model = LearnedCoder(cb.id, cb.language).fit(sample_units.units, {"tema": labels["tema"]}, folds=3,
                                                 multi_label={"tema": True})
    assert model.report["tema"]["multi_label"] and model.models["tema"].multi
    u = model.uncertainty(sample_units.units[:30])
    assert all(0.0 <= v <= 1.0 for v in u.values())


def test_a_folds_features_are_made_once_and_only_for_its_own_units(sample_units):
    """The folds' features are made once per fit and shared by the dimensions split into the same folds; a fold of
    other units (a dimension coded on other units) gets the features of its own training part."""
    from condense.learn import Features, _FoldMatrices

    units = sample_units.units[:60]
    made = _FoldMatrices()
    first = made.condense(units, range(40), range(40, 60))
    assert made.condense(units, list(range(40)), list(range(40, 60))) is first  # the same fold: made once
    for train, test in ((range(30), range(30, 60)), (range(20, 60), range(20))):
        Xtr, Xte = made.condense(units, train, test)
        alone = Features()
        assert (Xtr != alone.fit_transform([units[i] for i in train])).nnz == 0
        assert (Xte != alone.transform([units[i] for i in test])).nnz == 0
        base_tr, base_te = made.baseline(units, train, test)
        assert base_tr.shape[0] == len(train) and base_te.shape[0] == len(test)
        assert made.baseline(units, train, test)[0] is base_tr


def test_cli_learn_needs_a_project_and_known_dimensions(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from condense.cli import app

    monkeypatch.chdir(tmp_path)
    coded = tmp_path / "mine.csv"
    coded.write_text("unit_id,dimension,theme\nx:0001:1,level2,Memory\n" * 3, encoding="utf-8")
    result = CliRunner().invoke(app, ["learn", str(coded), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and "E511" in result.output and result.output.count("E5") == 1
    result = CliRunner().invoke(app, ["learn", str(coded), "--out", str(tmp_path / "m"), "--project", str(SAMPLE)])
    assert result.exit_code == 1 and "E512" in result.output and "E502" not in result.output
    assert result.output.count("[E5") + result.output.count("E512") <= 2


@pytest.mark.slow
def test_cli_learn_reports_the_baseline_without_raw_warnings(tmp_path):
    from typer.testing import CliRunner

    from condense.cli import app

    result = CliRunner().invoke(app, ["learn", str(SAMPLE / "reference_coding.csv"), "--out", str(tmp_path / "m"),
                                      "--folds", "3", "--seed", "1", "--group-by", "transcript"])
    assert result.exit_code == 0, result.output
    assert "κ (baseline)" in result.output and "grouped by transcript, seed 1" in result.output
    assert "Warning" not in result.output and "sklearn" not in result.output
    result = CliRunner().invoke(app, ["learn", str(SAMPLE / "reference_coding.csv"), "--out", str(tmp_path / "m2"),
                                      "--group-by", "colour"])
    assert result.exit_code == 1 and "E513" in result.output


def test_model_folder_is_written_all_or_nothing(sample_units, tmp_path):
    """Issue 17: the model folder goes through io.output_folder — a folder with files condense did not write
    is never replaced, and a save that fails half-way leaves no model and no temporary folder behind."""
    from unittest import mock

    from condense.errors import CondenseError

    cb = load_codebook(CODEBOOK_DA)
    labels = labels_from_file(SAMPLE / "reference_coding.csv", cb, sample_units.units)
    model = LearnedCoder(cb.id, cb.language).fit(sample_units.units, {"fase": labels["fase"]}, evaluate=False)
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"mine")
    with pytest.raises(CondenseError) as err:
        model.save(mine)
    assert err.value.code == "E703" and sorted(p.name for p in mine.iterdir()) == ["thesis.docx"]
    with mock.patch("numpy.savez_compressed", side_effect=OSError("disk full")), pytest.raises(OSError):
        model.save(tmp_path / "m")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]
    model.save(tmp_path / "m")
    model.save(tmp_path / "m")  # its own folder: replaced
    assert load_model(tmp_path / "m").models.keys() == {"fase"}


def test_the_thresholds_kappa_is_scikit_learns_bit_for_bit():
    """The learned coder picks each theme's threshold by κ on 0/1 lists, ~800 times a fit: computed by
    agreement.cohen_kappa (scikit-learn's checks around the formula were a tenth of the fit), it must give the
    very figure cohen_kappa_score gives, or a tie between thresholds could be broken otherwise."""
    import random

    from sklearn.metrics import cohen_kappa_score

    from condense.learn import _kappa

    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(2, 60)
        a = [rng.randint(0, 1) for _ in range(n)]
        b = [x if rng.random() < 0.7 else rng.randint(0, 2) for x in a]
        expected = 0.0 if len(set(a) | set(b)) < 2 else float(cohen_kappa_score(a, b))
        assert _kappa(a, b) == expected or (expected != expected and _kappa(a, b) != _kappa(a, b))
