"""How condense scales: the whole pipeline, every output, on corpora of about 100k, 300k, 1M and 3M words.

The corpora are built from the real Danish interviews in ../shared/data/ecape_da (about 430,000 words in 30
.docx files), copied as many times as needed under new file names (so every copy is a transcript of its own),
topped up with the sample's interviews; without ecape_da, from the sample alone (said in the output).
Each size runs in a subprocess of its own (so peak memory is that run's alone): ingest → segment → code →
discover → condense → tables → write, each stage timed, with the peak resident memory after it
(`resource.getrusage`, which only grows), and the CPU time (user + sys, workers included) each stage took:
on a shared machine wall time measures the neighbours too (with a second core, discovery runs beside
condensation, so its time shows under "condense"). Then tables, and the log-log slope of time, CPU
time and memory against words between the smallest and the largest corpus (1.0 = linear).

    .venv/bin/python benchmarks/scale.py [--sizes 100000,300000,1000000,3000000] [--jobs 1]

The last line is exactly ``words=<int> seconds=<float> peak_rss_mb=<int> slope=<float>`` for the 1M corpus
(slope: of time against words, over all sizes).
"""
from __future__ import annotations

import argparse
import json
import math
import re
import resource
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout, or where CONDENSE_SHARED says (as the tests read it): from a git worktree with
# no ../shared beside it the corpora were built from the sample alone, and compared with a checkout's they measured
# another corpus (1,001,005 words against 1,005,735)
ECAPE = Path(os.environ.get("CONDENSE_SHARED") or ROOT.parent / "shared") / "data" / "ecape_da"
SAMPLE = ROOT / "transcripts_sample"
STAGES = ("ingest", "segment", "code", "discover", "condense", "tables", "write")


def _words_of(paths: list[Path]) -> dict[Path, int]:
    sys.path.insert(0, str(ROOT))
    from condense import ingest

    out = {}
    for p in paths:
        corpus = ingest([p])
        out[p] = sum(t.n_words for t in corpus.transcripts)
    return out


def build_corpus(folder: Path, words: int, sources: dict[Path, int]) -> int:
    """Copy source transcripts (round robin, renamed per copy) into ``folder`` until about ``words`` words."""
    folder.mkdir(parents=True, exist_ok=True)
    total, k = 0, 0
    items = sorted(sources.items(), key=lambda kv: kv[0].name)
    while total < words:
        path, n = items[k % len(items)]
        copy = k // len(items)
        if total + n > words * 1.02 and total >= words * 0.9:
            break
        name = f"c{copy:02d}_{path.name.replace(' ', '_')}"
        if path.suffix in (".txt", ".md"):  # a front-matter id must differ between copies too
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"(?m)^id:\s*(\S+)", lambda m: f"id: c{copy:02d}_{m.group(1)}", text, count=1)
            (folder / name).write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(path, folder / name)
        total += n
        k += 1
    return total


def child(folder: Path, out: Path, jobs: int) -> None:
    """One size: every stage of the pipeline, timed; prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    timings: dict[str, tuple[float, int]] = {}

    def peak_mb() -> int:
        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    def cpu() -> float:  # user + sys of this process and its workers (--jobs): what a loaded machine cannot inflate
        return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                     resource.getrusage(resource.RUSAGE_CHILDREN)))

    t0 = time.perf_counter()
    from condense import resolve_project
    from condense.pipeline import run, write_results

    last = time.perf_counter()
    last_cpu = cpu()
    cpu_of: dict[str, float] = {}

    def tick(stage: str) -> None:
        nonlocal last, last_cpu
        now, now_cpu = time.perf_counter(), cpu()
        timings[stage] = (now - last, peak_mb())
        cpu_of[stage] = round(now_cpu - last_cpu, 3)
        last, last_cpu = now, now_cpu

    project = resolve_project(folder)
    project.jobs = jobs
    from condense.export.figures import prepare_figures

    prepare_figures()  # as `condense run` does
    result = run(project, stage=tick)
    write_results(result, out)
    tick("write")
    total = time.perf_counter() - t0
    n_words = sum(t.n_words for t in result.corpus.transcripts)
    print(json.dumps({"words": n_words, "seconds": total, "cpu_seconds": round(cpu(), 3), "peak_rss_mb": peak_mb(),
                      "units": len(result.units), "stages": {k: [round(v[0], 3), v[1]] for k, v in timings.items()},
                      "cpu": cpu_of}))


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log y against log x."""
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-9)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    den = sum((a - mx) ** 2 for a in lx)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / den if den else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,300000,1000000,3000000")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--child", nargs=2, metavar=("FOLDER", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.jobs)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    files = sorted(ECAPE.glob("*.docx")) if ECAPE.is_dir() else []
    files = [f for f in files if "guide" not in f.name.lower()]
    files += sorted(p for p in SAMPLE.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")
    print("corpus from:", "ecape_da (30 real interviews) + the sample" if ECAPE.is_dir() else "the sample only")
    sources = _words_of(files)
    rows = []
    with tempfile.TemporaryDirectory(prefix="condense_scale_") as tmp:
        for size in sizes:
            folder = Path(tmp) / f"corpus_{size}"
            built = build_corpus(folder, size, sources)
            out = Path(tmp) / f"results_{size}"
            proc = subprocess.run([sys.executable, __file__, "--child", str(folder), str(out), "--jobs", str(args.jobs)],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                print(proc.stdout, proc.stderr, file=sys.stderr)
                raise SystemExit(f"the run on {size} words failed")
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            row["target"] = size
            rows.append(row)
            shutil.rmtree(folder)
            shutil.rmtree(out, ignore_errors=True)
            print(f"  {size:>9,} target, {built:>9,} words in files: {row['seconds']:.2f} s, {row['peak_rss_mb']} MB",
                  flush=True)
    header = f"{'words':>10} {'total s':>8} {'peak MB':>8} " + " ".join(f"{s:>9}" for s in STAGES)
    print("\nseconds per stage (peak RSS in MB after the stage)")
    print(header)
    for r in rows:
        cells = " ".join(f"{r['stages'].get(s, [0, 0])[0]:>5.2f}/{r['stages'].get(s, [0, 0])[1]:<4}"[:9].rjust(9)
                         for s in STAGES)
        print(f"{r['words']:>10,} {r['seconds']:>8.2f} {r['peak_rss_mb']:>8} {cells}")
    print("\nCPU seconds (user + sys) per stage")
    print(f"{'words':>10} {'total':>8} " + " ".join(f"{s:>9}" for s in STAGES))
    for r in rows:
        print(f"{r['words']:>10,} {r['cpu_seconds']:>8.2f} " + " ".join(f"{r['cpu'].get(s, 0):>9.2f}" for s in STAGES))
    words = [r["words"] for r in rows]
    t_slope = slope(words, [r["seconds"] for r in rows])
    m_slope = slope(words, [r["peak_rss_mb"] for r in rows])
    c_slope = slope(words, [r["cpu_seconds"] for r in rows])
    print(f"\nlog-log slope against words: time {t_slope:.2f}, CPU time {c_slope:.2f}, memory {m_slope:.2f} (1.0 = linear)")
    one = min(rows, key=lambda r: abs(r["target"] - 1_000_000))
    print(f"words={one['words']} seconds={one['seconds']:.2f} peak_rss_mb={one['peak_rss_mb']} slope={t_slope:.2f}")


if __name__ == "__main__":
    main()
