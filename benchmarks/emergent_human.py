"""Emergent themes against other researchers' codes: does discovery find what humans coded, unprompted?

Usage:  python benchmarks/emergent_human.py [--seed 0] [--min-answers 20]

Nothing is planted here. ``../shared/data/shuffle_music/shuffle_music_unlabeled.csv`` (397 people writing about
two tracks of their own music, 796 answers) is run as ``condense run`` would run it: each respondent an
interview, the default English codebook, whose housing-and-health themes cover almost none of it, so nearly
every unit is left to discovery. The answers were coded by the study's own researchers
(``shuffle_music_coded_LONG.csv``: 74 level-3 codes, grouped into level-2 categories by the analysts' workbook,
:mod:`shuffle_data`). Each unit takes the codes of the answer it comes from.

Per candidate it prints the human code that best describes it: among codes holding at least twice their share
of all units inside the candidate (``lift`` ≥ 2), the one with the highest precision (the share of the
candidate's units so coded); its recall is the share of that code's units the candidate holds. Per code with at
least ``--min-answers`` answers it prints the candidate that matches it best (highest F1 of precision and recall). A code answered in many ways
("Positive", on two answers in three) cannot be one candidate and is not meant to be.

Last line: ``SUMMARY candidates=<n> named=<candidates with a code at precision ≥ 0.7 and lift ≥ 2>
codes=<codes with ≥ min answers> reached=<codes with a candidate of precision ≥ 0.7 holding ≥ 10% of their units>
grouped=<share of units in a candidate>``.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import shuffle_data  # noqa: E402

ANSWERS = shuffle_data.DATA / "shuffle_music_unlabeled.csv"


def human_codes() -> dict[tuple[str, str], set[str]]:
    """(participant, answer text with white space collapsed) → the level-3 codes the researchers gave it."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    with shuffle_data.LONG.open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            out[(r["participant_id"].strip(), " ".join(r["full_response_text"].split()))].add(r["code_level3"].strip())
    return out


def unit_codes(units, codes: dict[tuple[str, str], set[str]]) -> dict[str, set[str]]:
    """unit id → the codes of the answer the unit comes from (a unit is a piece of one answer)."""
    by_person: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    for (person, text), cs in codes.items():
        by_person[person].append((text, cs))
    out = {}
    for u in units:
        text = " ".join(u.text.split())
        for answer, cs in by_person.get(u.transcript, []):
            if text and text in answer:
                out[u.unit_id] = cs
                break
    return out


def best_code(ids: set[str], labels: dict[str, set[str]], base: Counter, n: int) -> tuple[str, float, float, float]:
    """(code, precision, lift, recall) of the code that best names a group of units ('' when none has lift ≥ 2)."""
    inside = Counter(c for i in ids for c in labels.get(i, ()))
    best = ("", 0.0, 0.0, 0.0)
    for code, k in inside.items():
        precision, lift = k / len(ids), (k / len(ids)) / (base[code] / n)
        if lift >= 2 and precision > best[1]:
            best = (code, precision, lift, k / base[code])
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-answers", type=int, default=20)
    args = parser.parse_args(argv)
    if not ANSWERS.exists():
        print(f"{ANSWERS} is not present")
        return 0
    from condense.emergent import discover, emergent_options
    from condense.pipeline import coded_units
    from condense.project import resolve_project

    project = resolve_project(ANSWERS)
    codebook, units, codings, _ = coded_units(project)
    options = emergent_options(project.emergent)
    options["random_state"] = args.seed
    d = discover(units, codings, codebook, **options)
    labels = unit_codes(units, human_codes())
    base = Counter(c for cs in labels.values() for c in cs)
    n = len(labels)
    print(f"units={len(units)} with human codes={n}; candidates={len(d.groups)}; not grouped={len(d.not_grouped)}")
    print(f"{'candidate':40} {'units':>5}  {'human code':34} {'prec':>5} {'lift':>5} {'recall':>6}")
    named = 0
    held: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for g in d.groups:
        ids = set(g.unit_ids)
        code, precision, lift, recall = best_code(ids, labels, base, n)
        named += precision >= 0.7
        print(f"{g.label[:40]:40} {len(ids):5d}  {code[:34]:34} {precision:5.2f} {lift:5.1f} {recall:6.2f}")
        for c in {c for i in ids for c in labels.get(i, ())}:
            k = sum(1 for i in ids if c in labels.get(i, ()))
            held[c].append((k / base[c], k / len(ids), g.label))
    print()
    print(f"{'human code':34} {'units':>5}  {'best candidate (F1)':40} {'prec':>5} {'recall':>6}")
    frequent = sorted((c for c in base if base[c] >= args.min_answers), key=lambda c: (-base[c], c))
    reached = 0
    for c in frequent:
        options = held.get(c, [(0.0, 0.0, "-")])
        recall, precision, label = max(options, key=lambda o: (2 * o[0] * o[1] / (o[0] + o[1] or 1), o[2]))
        reached += any(p >= 0.7 and r >= 0.1 for r, p, _ in options)
        print(f"{c[:34]:34} {base[c]:5d}  {label[:40]:40} {precision:5.2f} {recall:6.2f}")
    grouped = sum(len(g.unit_ids) for g in d.groups) / max(len(units), 1)
    print(f"SUMMARY candidates={len(d.groups)} named={named} codes={len(frequent)} reached={reached} "
          f"grouped={grouped:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
