"""Coding quality on the sample against its reference coding (transcripts_sample/reference_coding.csv; made by
AI assistants under written coding rules, not by people: see transcripts_sample/README.md).

Prints Cohen's κ per dimension (scope ``uncoded_as_none``, the same as ``condense agree``) for
  1. the rule coder alone (default Danish codebook, guide context on),
  2. the rule coder without any context (units as bare excerpts: no question, no guide section),
  3. rules + the learned coder, the model trained leave-one-interview-out on the reference
     (each interview is coded by a model that never saw it; the rule wins where it codes a
     single-label dimension, the model fills where the rule is silent),
the negative control: the share of units that get a `fase` theme in the real energy-crisis interviews
(../shared/data/ecape_da, not about housing-social work) against the share in the sample, and
participation as the study decided it (condense/participation.py): κ of the unit-level participation
decisions against the reference, and the plan × phase matrix against the designed type of every
interview × phase cell that ../shared/SAMPLE_DESIGN.md fills.

    .venv/bin/python benchmarks/coding_quality.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from condense.agreement import agree, read_coding_file  # noqa: E402
from condense.codebook import load_codebook  # noqa: E402
from condense.coding import Coder, codings_frame  # noqa: E402
from condense.io import write_csv  # noqa: E402
from condense.ingest import ingest  # noqa: E402
from condense.learn import LearnedCoder, labels_from_file  # noqa: E402
from condense.review import final_codings  # noqa: E402
from condense.segment import segment  # noqa: E402

SAMPLE = ROOT / "transcripts_sample"
REFERENCE = SAMPLE / "reference_coding.csv"
ECAPE = ROOT.parent / "shared" / "data" / "ecape_da"


def kappas(codings, tmp: Path, name: str) -> dict[str, float]:
    path = tmp / f"{name}.csv"
    write_csv(codings_frame(codings), path)
    table = agree(read_coding_file(path, sources=("rule", "model", "human")), read_coding_file(REFERENCE)).summary()
    return {r.dimension: r.cohen_kappa for r in table.itertuples() if r.scope == "uncoded_as_none"}


DESIGN = ROOT.parent / "shared" / "SAMPLE_DESIGN.md"
SHORT = {"BB": "beboerinitiativ_beboer", "BF": "beboerinitiativ_faelles", "PF": "professionelt_faelles",
         "PI": "professionelle_informerer"}


def designed_cells(path: Path = DESIGN) -> dict[tuple[str, str], str]:
    """(interview number, phase id) → designed participation type, for the cells the design fills."""
    import re

    phases = ["vidensindsamling", "ideudvikling", "planlaegning", "gennemfoerelse", "forankring", "evaluering"]
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| (\d\d) \|", line)
        if not m:
            continue
        cells = [c.strip() for c in line.split("|")[1:-1]]
        for phase, cell in zip(phases, cells[4:10]):
            code = cell.split(" ")[0]
            if code in SHORT:
                out[(m.group(1), phase)] = SHORT[code]
    return out


def participation_quality(coder, seg, rules) -> None:
    """Participation κ (unit decisions vs reference) and plan × phase cell agreement with the design."""
    from sklearn.metrics import cohen_kappa_score

    from condense.ingest.metadata import read_csv_rows
    from condense.participation import decide, phases_for, plan_phase, unit_signals

    _, rows = read_csv_rows(REFERENCE)
    ref = {r["unit_id"]: r["theme"] for _, r in rows if r.get("dimension") == "deltagelse"}
    by_id = {u.unit_id: u for u in seg.units}
    mine, theirs = [], []
    for uid, theme in sorted(ref.items()):
        if uid not in by_id:
            continue
        dec, ini = {}, {}
        for s in unit_signals(by_id[uid]):
            target = dec if s.axis == "dec" else ini
            target[s.value] = target.get(s.value, 0.0) + s.weight
        mine.append(decide(dec, ini) or "none")
        theirs.append(theme or "none")
    rule_of = {c.unit_id: c.theme for c in rules if c.dimension == "deltagelse"}
    rule_labels = [rule_of.get(uid, "none") for uid in sorted(ref) if uid in by_id]
    print(f"participation κ vs reference ({len(mine)} units): unit decisions (participation.py) "
          f"{cohen_kappa_score(theirs, mine):.3f} · rule coder {cohen_kappa_score(theirs, rule_labels):.3f}")
    if not DESIGN.exists():
        print("plan × phase vs design skipped (../shared/SAMPLE_DESIGN.md absent)")
        return
    design = designed_cells()
    cells = plan_phase(seg.units, phases_for(seg.units, seg.questions, rules, coder))
    interview_of = {c: u.transcript[:2] for u in seg.units for c in u.cases}
    got: dict[tuple[str, str], list[str]] = {}
    for c in cells:
        got.setdefault((interview_of.get(c.case, ""), c.phase), []).append(c.type)
    hits = sum(1 for key, want in design.items() if got.get(key) and all(t == want for t in got[key]))
    plan_cells = [(key, t) for key, want in design.items() for t in got.get(key, [""])]
    plan_hits = sum(1 for (key, t) in plan_cells if t == design[key])
    print(f"plan × phase vs SAMPLE_DESIGN.md: {hits}/{len(design)} interview × phase cells "
          f"({hits / len(design):.0%}; an interview with two plans counts when both match), "
          f"{plan_hits}/{len(plan_cells)} plan × phase cells")


def main() -> None:
    cb = load_codebook(ROOT / "codebooks" / "beboerinddragelse.da.yaml")
    coder = Coder(cb)
    corpus = ingest([SAMPLE])
    seg = segment(corpus.transcripts)
    rules = coder(seg.units, seg.questions)
    from dataclasses import replace

    no_context = coder([replace(u, question="") for u in seg.units], None)
    labels = labels_from_file(REFERENCE, cb, seg.units)
    covered = sorted({u.split(":")[0] for per in labels.values() for u in per})
    combined = list(rules)
    for held in covered:
        train = {d: {u: l for u, l in per.items() if not u.startswith(held + ":")} for d, per in labels.items()}
        model = LearnedCoder(cb.id, cb.language).fit(seg.units, train, folds=2)
        combined += model.suggest([u for u in seg.units if u.transcript == held])
    combined = final_codings(combined, cb)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        rows = {"rules (question + guide context)": kappas(rules, tmp, "rules"),
                "rules, no context (bare excerpts)": kappas(no_context, tmp, "bare"),
                "rules + learned model (leave-one-interview-out)": kappas(combined, tmp, "combined")}
    dims = [d.id for d in cb.dimensions]
    print(f"reference: {REFERENCE.relative_to(ROOT)} ({len(covered)} interviews, "
          f"{len({u for per in labels.values() for u in per})} units)")
    print(f"{'coder':50s} " + " ".join(f"{d:>11s}" for d in dims))
    for name, k in rows.items():
        print(f"{name:50s} " + " ".join(f"{k.get(d, float('nan')):11.3f}" for d in dims))
    excerpt_mode_report(coder, [replace(u, question="") for u in seg.units if u.unit_id in labels["fase"]], labels["fase"])
    participation_quality(coder, seg, rules)
    share_sample = len({c.unit_id for c in rules if c.dimension == "fase"}) / len(seg.units)
    if ECAPE.exists():
        e = ingest([ECAPE])
        es = segment(e.transcripts)
        ec = coder(es.units, es.questions)
        share_e = len({c.unit_id for c in ec if c.dimension == "fase"}) / len(es.units)
        print(f"negative control: fase share sample={share_sample:.3f} ecape_da={share_e:.3f} ratio={share_e / share_sample:.2f}")
    else:
        print(f"negative control skipped (../shared/data/ecape_da absent); fase share sample={share_sample:.3f}")


def excerpt_mode_report(coder, units, gold: dict[str, str]) -> None:
    """Excerpt mode on the reference units as bare excerpts: coverage, κ, and the reliability table of its
    confidence (is a 0.7 right seven times in ten?)."""
    from condense.excerpt_mode import code_excerpts
    from condense.learn import _kappa, reliability

    codings, flagged = code_excerpts(coder, units)
    best = {}
    for c in codings:
        if c.dimension == "fase" and (c.unit_id not in best or c.probability > best[c.unit_id].probability):
            best[c.unit_id] = c
    ids = [u.unit_id for u in units]
    kappa = _kappa([gold[i] for i in ids], [best[i].theme if i in best else "none" for i in ids])
    coded_gold = [i for i in ids if gold[i] != "none"]
    print(f"excerpt mode (bare excerpts, fase): {len(best)}/{len(ids)} coded, κ {kappa:.3f} against the reference, "
          f"accuracy on the {len(coded_gold)} units the reference gives a phase "
          f"{sum(best[i].theme == gold[i] for i in coded_gold if i in best) / max(1, len(coded_gold)):.3f}; "
          f"{flagged} coding(s) flagged for review")
    print("  reliability (fase): confidence bin, n, mean confidence, share the reference confirms")
    for row in reliability([best[i].probability for i in ids if i in best], [int(best[i].theme == gold[i]) for i in ids if i in best]):
        print(f"  {row['bin']:>8} {row['n']:5d} {row['mean_probability']:6.3f} {row['share_correct']:6.3f}")


if __name__ == "__main__":
    main()
