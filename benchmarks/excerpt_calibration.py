"""Is excerpt mode's confidence right on text we did not write? Reliability tables before and after calibrating
it against researchers' decisions (:mod:`condense.calibration`).

Data (every excerpt gets a code; correctness is judged by people who did not write our rules):
  * ../shared/data/shuffle_music: 796 answers coded by other researchers; a codebook made from their own
    category names (each level-2 category a theme, its level-3 code names as terms: ``shuffle_data.codebook``);
    a coding is confirmed when its category is among the answer's level-2 categories;
  * the Danish sample's reference units as bare excerpts, dimension ``fase`` (regression check);
  * the English sample (no reference coding): coverage and the share flagged for review only.

"before": the confidence excerpt mode gives today (learned from the rules' own labels). "after": the same
codings, each calibrated by a calibration fitted on the other folds (5 folds grouped by participant /
interview; Platt on log-odds + how the coding was reached, and isotonic on the raw confidence). Also
"transfer": a calibration fitted on all of one dataset applied to the other — what a calibration from
another study is worth. Per table: confidence bin, n, mean confidence, observed accuracy, and the ECE.

    python benchmarks/excerpt_calibration.py [--only shuffle|sample|en] [--bins 5]
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from condense.calibration import Calibration, cross_fitted, kind_of, reliability_table  # noqa: E402
from condense.learn import _quiet  # noqa: E402


def excerpt_rows(coder, units, gold: dict, multi: bool, dim: str):
    """(raw confidence, kind, confirmed, group) of every excerpt-mode coding in ``dim``, and the flag count."""
    from condense.excerpt_mode import code_excerpts

    codings, flagged = code_excerpts(coder, units)
    group = {u.unit_id: u.transcript for u in units}
    rows = []
    for c in codings:
        if c.dimension != dim or c.unit_id not in gold:
            continue
        g = gold[c.unit_id]
        ok = (c.theme in g) if multi else (c.theme == g)
        rows.append((c.probability, kind_of(c), int(ok), group[c.unit_id], c.unit_id))
    coded = {c.unit_id for c in codings if c.dimension == dim}
    return rows, flagged, len(coded)


def table(title: str, conf, correct, bins: int) -> float:
    rows, ece = reliability_table(conf, correct, bins=bins)
    print(f"  {title}: ECE {ece:.3f}")
    print(f"    {'bin':>8} {'n':>5} {'mean conf':>9} {'accuracy':>9}")
    for r in rows:
        print(f"    {r['bin']:>8} {r['n']:5d} {r['mean_confidence']:9.3f} {r['accuracy']:9.3f}")
    return ece


def report(name: str, rows, bins: int) -> dict:
    raw = np.array([r[0] for r in rows])
    kinds = [r[1] for r in rows]
    ok = np.array([r[2] for r in rows])
    groups = [r[3] for r in rows]
    print(f"\n{name}: {len(rows)} codings, {ok.mean():.3f} confirmed; by kind: " + ", ".join(
        f"{k} {sum(1 for x in kinds if x == k)} ({np.mean([o for o, x in zip(ok, kinds) if x == k]):.2f})"
        for k in ("rule", "below", "learned", "prior") if k in kinds))
    out = {"before": table("before (confidence learned from the rules' labels)", raw, ok, bins)}
    for method in ("platt", "isotonic"):
        cal = cross_fitted(raw, kinds, ok, groups, folds=5, seed=0, method=method)
        out[method] = table(f"after, {method} cross-fitted on researchers' labels (5 folds grouped)", cal, ok, bins)
    few_decisions(raw, kinds, ok, [r[4] for r in rows])
    sys.stdout.flush()
    return {"raw": raw, "kinds": kinds, "ok": ok}


def few_decisions(raw, kinds, ok, units, sizes=(25, 50, 100, 200), seeds: int = 5) -> None:
    """ECE on the other excerpts when the calibration is fitted on the decisions about N excerpts (drawn at
    random; mean over seeds): how many decisions a researcher needs before the confidence can be trusted."""
    names = sorted(set(units))
    kinds = np.asarray(kinds, dtype=object)
    parts = []
    for n in sizes:
        if n >= len(names):
            break
        eces = []
        for seed in range(seeds):
            chosen = set(np.random.RandomState(seed).permutation(names)[:n].tolist())
            train = np.array([u in chosen for u in units])
            cal = Calibration.fit(raw[train], kinds[train], ok[train])
            conf = cal.predict(raw[~train], kinds[~train]) if cal is not None else raw[~train]
            eces.append(reliability_table(conf, ok[~train])[1])
        parts.append(f"{n}: {np.mean(eces):.3f}")
    print("  ECE on the other excerpts, calibration fitted on the decisions about N excerpts (mean of "
          f"{seeds} draws): " + ", ".join(parts))


def transfer(a: str, da: dict, b: str, db: dict, bins: int) -> None:
    cal = Calibration.fit(da["raw"], da["kinds"], da["ok"])
    if cal is None:
        return
    table(f"transfer: calibration fitted on {a}, applied to {b}", cal.predict(db["raw"], db["kinds"]), db["ok"], bins)


def shuffle(bins: int):
    import shuffle_data

    from condense.codebook import parse_codebook
    from condense.coding import Coder

    if not shuffle_data.available():
        print("\nshuffle_music: ../shared/data/shuffle_music not found; skipped")
        return None
    units, labels, _ = shuffle_data.load()
    cb = parse_codebook(shuffle_data.codebook_yaml(), "shuffle_music (from its categories)")
    coder = Coder(cb)
    from condense.codebook import slugify

    gold = {uid: {slugify(c) for c in cats} for uid, cats in labels["level2"].items()}  # theme ids
    rows, flagged, coded = excerpt_rows(coder, units, gold, True, "level2")
    print(f"\nshuffle_music level-2, codebook from its category names: {coded}/{len(units)} answers coded, "
          f"{flagged} coding(s) flagged for review")
    return report("shuffle_music level-2", rows, bins)


def sample(bins: int):
    from condense.codebook import load_codebook
    from condense.coding import Coder
    from condense.ingest import ingest
    from condense.learn import labels_from_file
    from condense.segment import segment

    sample = ROOT / "transcripts_sample"
    cb = load_codebook(ROOT / "codebooks" / "beboerinddragelse.da.yaml")
    seg = segment(ingest([sample]).transcripts)
    gold = labels_from_file(sample / "reference_coding.csv", cb, seg.units)["fase"]
    units = [replace(u, question="") for u in seg.units if u.unit_id in gold]
    rows, flagged, coded = excerpt_rows(Coder(cb), units, gold, False, "fase")
    print(f"\nDanish sample, reference units as bare excerpts: {coded}/{len(units)} coded in fase, {flagged} flagged")
    return report("Danish sample fase", rows, bins)


def english() -> None:
    from condense.codebook import load_codebook
    from condense.coding import Coder
    from condense.excerpt_mode import code_excerpts
    from condense.ingest import ingest
    from condense.segment import segment

    cb = load_codebook(ROOT / "codebooks" / "beboerinddragelse.en.yaml")
    seg = segment(ingest([ROOT / "transcripts_sample" / "en"]).transcripts)
    units = [replace(u, question="") for u in seg.units]
    codings, flagged = code_excerpts(Coder(cb), units)
    per_dim = {d.id: len({c.unit_id for c in codings if c.dimension == d.id}) for d in cb.dimensions}
    kinds = {}
    for c in codings:
        kinds[kind_of(c)] = kinds.get(kind_of(c), 0) + 1
    print(f"\nEnglish sample (no reference coding; regression check): {len(units)} units as bare excerpts, coded per "
          f"dimension {per_dim}, codings by kind {dict(sorted(kinds.items()))}, {flagged} flagged for review")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=("shuffle", "sample", "en"))
    ap.add_argument("--bins", type=int, default=5)
    args = ap.parse_args()
    t0 = time.time()
    with _quiet():
        s = shuffle(args.bins) if args.only in (None, "shuffle") else None
        d = sample(args.bins) if args.only in (None, "sample") else None
        if s is not None and d is not None:
            print()
            transfer("shuffle_music", s, "the Danish sample", d, args.bins)
            transfer("the Danish sample", d, "shuffle_music", s, args.bins)
        if args.only in (None, "en"):
            english()
    print(f"\n({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
