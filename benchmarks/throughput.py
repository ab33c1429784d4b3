"""Throughput of ingest → segment → code, against bare spaCy tokenization of the same turns.

Corpus: the real Danish interviews in ../shared/data/ecape_da (≈410,000 words of turn text), or, when that
folder is absent, a generated corpus of at least 200,000 words (said in the output).

Both timings are CPU seconds of this process (``time.process_time``: on a machine shared with other work,
wall-clock time measures the neighbours too), taken after one warm-up pass over the same corpus, so both the
tokenizer's cache and condense's per-type lemma cache are warm (as they are after the first interview of
a real run); the cold first pass is printed too. The last line is exactly
``words_per_s=<int> ratio_to_tokenizer=<float>``.

    python benchmarks/throughput.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from condense.codebook import load_codebook  # noqa: E402
from condense.coding import Coder  # noqa: E402
from condense.ingest import ingest  # noqa: E402
from condense.nlp import load_nlp  # noqa: E402
from condense.project import default_codebook  # noqa: E402
from condense.segment import segment  # noqa: E402

ECAPE = ROOT.parent / "shared" / "data" / "ecape_da"
_clock = time.process_time  # CPU seconds of this process


def generated_corpus(folder: Path, words: int = 210_000) -> Path:
    """Interviews made of sample sentences in random order (deterministic), as .txt files."""
    sample = ingest([ROOT / "transcripts_sample"])
    sentences = [t.text for tr in sample.transcripts for t in tr.turns if t.role == "respondent"]
    questions = [t.text for tr in sample.transcripts for t in tr.turns if t.role == "interviewer"]
    rng = random.Random(7)
    n = 0
    k = 0
    while n < words:
        lines = ["---", f"id: gen{k:03d}", "interviewer_labels: [I]", "---"]
        for _ in range(60):
            q, a = rng.choice(questions), rng.choice(sentences)
            lines += [f"I: {q}", "", f"R: {a}", ""]
            n += len(q.split()) + len(a.split())
        (folder / f"gen{k:03d}.txt").write_text("\n".join(lines), encoding="utf-8")
        k += 1
    return folder


def pipeline(paths, coder):
    corpus = ingest(paths)
    seg = segment(corpus.transcripts)
    codings = coder(seg.units, seg.questions)
    return corpus, seg, codings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions (median is reported)")
    args = parser.parse_args()

    tmp = None
    if ECAPE.exists():
        paths, label = [ECAPE], f"real Danish interviews ({ECAPE})"
    else:
        tmp = tempfile.TemporaryDirectory()
        paths, label = [generated_corpus(Path(tmp.name))], "generated corpus (../shared/data/ecape_da absent)"

    nlp = load_nlp("da")
    coder = Coder(load_codebook(default_codebook("da")))
    t0 = _clock()
    corpus, seg, codings = pipeline(paths, coder)  # warm-up, cold caches
    cold = _clock() - t0
    turns = [turn.text for t in corpus.transcripts for turn in t.turns]
    assert not any("\n" in x for x in turns)
    words = corpus.n_words
    import spacy

    fresh = spacy.blank("da")  # a new vocabulary: the tokenizer's own cold first pass
    t0 = _clock()
    for text in turns:
        fresh.make_doc(text)
    cold_tok = _clock() - t0

    ours, tok = [], []
    for _ in range(args.repeat):
        t0 = _clock()
        pipeline(paths, coder)
        ours.append(_clock() - t0)
        t0 = _clock()
        for text in turns:
            nlp.make_doc(text)
        tok.append(_clock() - t0)
    ours_s, tok_s = statistics.median(ours), statistics.median(tok)
    print(f"corpus: {label}")
    print(f"transcripts={len(corpus.transcripts)} turns={len(turns)} words={words} units={len(seg.units)} codings={len(codings)}")
    print(f"first pass, cold caches: {cold:.3f} s = {words / cold:,.0f} words/s; "
          f"cold tokenization {cold_tok:.3f} s; cold ratio {cold / cold_tok:.2f}")
    print(f"ingest+segment+code: {ours_s:.3f} s CPU (median of {args.repeat}: {', '.join(f'{x:.3f}' for x in ours)})")
    print(f"bare tokenization (nlp.make_doc per turn): {tok_s:.3f} s CPU (median of {args.repeat})")
    print(f"words_per_s={int(words / ours_s)} ratio_to_tokenizer={ours_s / tok_s:.2f}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
