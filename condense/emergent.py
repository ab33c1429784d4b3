"""Emergent themes (STC steps 1–2): what the codebook does not cover, grouped and labelled.

The units that no theme covers in the codebook's emergent dimensions (``tema`` in the study codebook)
are represented as TF-IDF vectors over lemmas (stop words and fillers dropped on the surface form),
grouped with seeded KMeans (the number of groups chosen by silhouette within bounds, or set), and
labelled by class-based TF-IDF. Each group becomes a *candidate* theme: a codebook fragment the researcher
edits and folds in with ``condense codebook merge``.

The representation is a small pluggable interface (:class:`Representation`): an embedding model can
replace :class:`TfidfLemmas` without touching the grouping or the output.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .codebook import Codebook, Dimension, Theme, slugify
from .model import Coding, MeaningUnit
from .nlp import FILLERS


class Representation(Protocol):
    """Turns units into a matrix (one row per unit). ``vocabulary`` names the columns when they are words."""

    def fit_transform(self, units: list[MeaningUnit]): ...

    @property
    def vocabulary(self) -> list[str] | None: ...


# Words of everyday speech that carry no theme: spaCy's stop-word lists stop at function words, but in
# transcribed talk the most frequent content-looking words are these (measured on the sample corpus).
SPOKEN = {
    "da": {
        "bare", "gerne", "helt", "hel", "hele", "godt", "godte", "god", "rigtig", "rigtigt", "faktisk", "måske", "lidt",
        "meget", "mere", "mest", "nok", "vel", "fint", "fin", "nemlig", "egentlig", "simpelthen", "ret", "stadig",
        "tage", "tog", "stå", "gå", "komme", "få", "sige", "synes", "tænke", "tro", "vide", "se", "give", "holde",
        "lave", "gøre", "snakke", "tale", "sidde", "bruge", "ske", "høre", "finde", "ligge", "sætte", "kalde",
        "folk", "gang", "tid", "ting", "dag", "uge", "år", "måned", "første", "sidste", "anden", "andet", "par",
        "fem", "fire", "seks", "ti", "tyve", "halv", "del", "måde", "slags", "sted", "spørgsmål", "svar",
        "interview", "optage", "ende", "starte", "start", "begynde", "passe", "lyde", "mene", "prøve",
        "sidst", "først", "lige", "ja", "nej", "okay", "hvordan", "hvorfor", "hvad", "hvem", "noget", "nogen",
        "når", "jamen", "nåh", "måtte", "skulle", "kunne", "ville", "burde", "både", "enkelt", "præcis", "ærlig",
    },
    "en": {
        "just", "really", "quite", "actually", "maybe", "bit", "lot", "thing", "things", "people", "time", "way",
        "get", "got", "go", "went", "come", "came", "say", "said", "think", "know", "see", "take", "make", "do",
        "yeah", "yes", "okay", "sort", "kind", "mean", "well", "good", "great", "first", "last", "year", "week", "day",
    },
}


def _stop_words(language: str) -> set[str]:
    if language == "da":
        from spacy.lang.da.stop_words import STOP_WORDS
    else:
        from spacy.lang.en.stop_words import STOP_WORDS
    return set(STOP_WORDS) | FILLERS.get(language, set()) | SPOKEN.get(language, set())


def content_lemmas(unit: MeaningUnit, stop: set[str]) -> list[str]:
    """Lemmas of the unit's words, dropping stop words and fillers by their surface form, and numbers."""
    return [l.lower() for l, s in zip(unit.lemmas, unit.surfaces)
            if s.lower() not in stop and l.lower() not in stop and len(l) > 2 and not l[0].isdigit()]


class TfidfLemmas:
    """TF-IDF over content lemmas (the default representation)."""

    def __init__(self, language: str = "da", *, min_df: int = 2, max_df: float = 0.2):
        self.language = language
        self.min_df = min_df
        self.max_df = max_df
        self._vectorizer = None

    def fit_transform(self, units: list[MeaningUnit]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        stop = _stop_words(self.language)
        docs = [content_lemmas(u, stop) for u in units]
        min_df = self.min_df if len(units) >= 10 else 1
        self._vectorizer = TfidfVectorizer(analyzer=lambda d: d, min_df=min_df, max_df=self.max_df if len(units) >= 10 else 1.0,
                                           sublinear_tf=True, norm="l2")
        try:
            return self._vectorizer.fit_transform(docs)
        except ValueError:  # empty vocabulary
            self._vectorizer = TfidfVectorizer(analyzer=lambda d: d, min_df=1, norm="l2")
            return self._vectorizer.fit_transform([d or ["_"] for d in docs])

    @property
    def vocabulary(self) -> list[str] | None:
        return list(self._vectorizer.get_feature_names_out()) if self._vectorizer is not None else None


@dataclass
class Group:
    """A candidate theme: units that belong together and that no emergent theme covers."""

    id: str
    label: str
    terms: list[str]
    unit_ids: list[str]
    transcripts: list[str]
    representatives: list[str]  # unit ids, most central first

    @property
    def size(self) -> int:
        return len(self.unit_ids)


@dataclass
class Discovery:
    groups: list[Group]
    n_uncovered: int
    dimension: str
    k_scores: dict[int, float] = field(default_factory=dict)

    def to_frame(self, units_by_id: dict[str, MeaningUnit] | None = None):
        import pandas as pd

        rows = []
        for g in self.groups:
            rows.append({
                "candidate": g.id, "label": g.label, "n_units": g.size, "n_interviews": len(g.transcripts),
                "terms": ", ".join(g.terms), "interviews": "; ".join(g.transcripts),
                "representative_unit_ids": "; ".join(g.representatives), "unit_ids": "; ".join(g.unit_ids),
            })
        return pd.DataFrame(rows, columns=["candidate", "label", "n_units", "n_interviews", "terms", "interviews",
                                           "representative_unit_ids", "unit_ids"])


def uncovered_units(units: list[MeaningUnit], codings: list[Coding], dimensions: list[str]) -> list[MeaningUnit]:
    covered = {c.unit_id for c in codings if c.dimension in dimensions}
    return [u for u in units if u.unit_id not in covered]


def class_tfidf(counts: np.ndarray) -> np.ndarray:
    """Class-based TF-IDF: term frequency in a group × log(1 + average words per group / term frequency)."""
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    avg = counts.sum() / max(counts.shape[0], 1)
    f = counts.sum(axis=0)
    idf = np.log(1 + avg / np.maximum(f, 1))
    return tf * idf


def discover(
    units: list[MeaningUnit],
    codings: list[Coding],
    codebook: Codebook,
    *,
    dimensions: list[str] | None = None,
    n_groups: int | None = None,
    min_groups: int = 2,
    max_groups: int = 8,
    min_size: int = 3,
    n_terms: int = 8,
    min_content: int = 5,
    random_state: int = 0,
    representation: Representation | None = None,
) -> Discovery:
    """Group the units no emergent theme covers into candidate themes."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    dims = dimensions or codebook.emergent_dimensions() or [codebook.dimensions[-1].id]
    pool = sorted(uncovered_units(units, codings, dims), key=lambda u: u.unit_id)
    stop = _stop_words(codebook.language)
    # short answers ("Nej, det må du gerne.") carry no theme of their own
    pool = [u for u in pool if len(content_lemmas(u, stop)) >= min_content]
    discovery = Discovery([], len(pool), dims[0])
    if len(pool) < max(min_size * 2, 6):
        return discovery
    rep = representation or TfidfLemmas(codebook.language)
    X = rep.fit_transform(pool)
    vocab = rep.vocabulary
    nonzero = np.asarray((X != 0).sum(axis=1)).ravel() > 0 if hasattr(X, "nnz") else np.ones(len(pool), bool)
    keep = np.flatnonzero(nonzero)
    pool = [pool[i] for i in keep]
    X = X[keep]
    hi = min(max_groups, len(pool) // min_size)
    ks = [n_groups] if n_groups else list(range(min_groups, max(min_groups, hi) + 1))
    best = None
    for k in ks:
        if k < 2 or k >= len(pool):
            continue
        km = KMeans(n_clusters=k, n_init=10, random_state=random_state)
        labels = km.fit_predict(X)
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(X, labels, metric="cosine", random_state=random_state))
        discovery.k_scores[k] = round(score, 4)
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels, km)
    if best is None:
        return discovery
    _, k, labels, km = best
    # class-based TF-IDF over raw lemma counts per group
    words = vocab or []
    index = {w: i for i, w in enumerate(words)}
    counts = np.zeros((k, len(words)))
    for u, g in zip(pool, labels):
        for l in content_lemmas(u, stop):
            j = index.get(l)
            if j is not None:
                counts[g, j] += 1
    ctfidf = class_tfidf(counts) if len(words) else counts
    dense = X.toarray() if hasattr(X, "toarray") else np.asarray(X)
    groups = []
    for g in range(k):
        members = [i for i, lab in enumerate(labels) if lab == g]
        if len(members) < min_size:
            continue
        order = np.argsort(-ctfidf[g], kind="stable")
        terms = [words[j] for j in order[:n_terms] if ctfidf[g, j] > 0]
        centroid = dense[members].mean(axis=0)
        norm = np.linalg.norm(centroid) or 1.0
        sims = [(float(dense[i] @ centroid) / norm, pool[i].unit_id, i) for i in members]
        sims.sort(key=lambda x: (-x[0], x[1]))
        transcripts = sorted({pool[i].transcript for i in members})
        groups.append(Group(id="", label="", terms=terms, unit_ids=sorted(pool[i].unit_id for i in members),
                            transcripts=transcripts, representatives=[s[1] for s in sims[:3]]))
    groups.sort(key=lambda gr: (-gr.size, gr.terms[:1]))
    for n, gr in enumerate(groups, start=1):
        base = f"kandidat_{n:02d}_{slugify('_'.join(gr.terms[:2]))}" if codebook.language == "da" else \
            f"candidate_{n:02d}_{slugify('_'.join(gr.terms[:2]))}"
        gr.id = base
        gr.label = ", ".join(gr.terms[:3])
    discovery.groups = groups
    return discovery


def candidates_codebook(discovery: Discovery, codebook: Codebook, units_by_id: dict[str, MeaningUnit]) -> Codebook:
    """The candidate groups as a codebook fragment (origin emergent, status candidate)."""
    try:
        source = codebook.dimension(discovery.dimension)
        dim = Dimension(id=source.id, label=source.label, multi_label=source.multi_label)
    except KeyError:
        dim = Dimension(id=discovery.dimension, label=discovery.dimension, multi_label=True)
    from .privacy import quote_safe

    da = codebook.language == "da"
    for g in discovery.groups:
        examples = [units_by_id[u].text for u in g.representatives if u in units_by_id and quote_safe(units_by_id[u])]
        description = (f"Foreslået af condense ud fra {g.size} enheder i {len(g.transcripts)} interview, som kodebogen ikke "
                       f"dækker. Omdøb, skriv en beskrivelse, ret ordene – eller slet forslaget."
                       if da else
                       f"Proposed by condense from {g.size} units in {len(g.transcripts)} interviews that the codebook does "
                       f"not cover. Rename it, describe it, edit its terms – or delete it.")
        dim.themes.append(Theme(id=g.id, label=("Kandidat: " if da else "Candidate: ") + g.label, origin="emergent",
                                status="candidate", description=description, examples=examples, terms=list(g.terms)))
    return Codebook(id=f"{codebook.id}_candidates", label=("Kandidater til nye temaer" if da else "Candidate themes"),
                    language=codebook.language, version="1", dimensions=[dim])


def key_terms(units: list[MeaningUnit], language: str, *, by: str = "transcript", n: int = 10) -> dict[str, list[str]]:
    """Step 1 overview ("total impression"): the most distinctive lemmas per interview and in the corpus.

    Per interview: class-based TF-IDF with each interview as a class. ``"(corpus)"``: the most frequent
    content lemmas over all interviews, weighted by the number of interviews they occur in.
    """
    stop = _stop_words(language)
    groups: dict[str, Counter] = {}
    for u in units:
        groups.setdefault(getattr(u, by), Counter()).update(content_lemmas(u, stop))
    names = sorted(groups)
    vocab = sorted({w for c in groups.values() for w in c})
    if not vocab:
        return {}
    index = {w: i for i, w in enumerate(vocab)}
    counts = np.zeros((len(names), len(vocab)))
    for r, name in enumerate(names):
        for w, c in groups[name].items():
            counts[r, index[w]] = c
    scores = class_tfidf(counts)
    out = {}
    for r, name in enumerate(names):
        order = np.argsort(-scores[r], kind="stable")
        out[name] = [vocab[j] for j in order[:n] if counts[r, j] >= 2]
    df = (counts > 0).sum(axis=0)
    total = counts.sum(axis=0) * np.log1p(df)
    order = np.argsort(-total, kind="stable")
    out["(corpus)"] = [vocab[j] for j in order[:n * 2]]
    return out
