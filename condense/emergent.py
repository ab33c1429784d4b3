"""Emergent themes (STC steps 1–2): what the codebook does not cover, grouped and labelled.

The units that no theme covers in the codebook's emergent dimensions (``tema`` in the study codebook)
are grouped into *candidate* themes, codebook fragments the researcher edits and folds in with
``condense codebook merge``. How:

* **Representation** (:class:`TermSpace`). Content lemmas (spoken-language stop lists dropped, see
  ``condense/stopwords/``) weighted by sublinear TF × IDF × *background rarity*: a word's frequency in
  ordinary language (``wordfreq``, shipped inside the package, offline) lowers its weight, so
  "gøre", "godt" or "anybody" cannot carry a group while "varmepumpe" or "rotte" can. Only words used
  in at least two interviews count (names and places of one interview do not make a theme).
* **Grouping that may leave units alone** (:func:`find_groups`). Non-negative matrix factorisation
  with more components than themes are expected; a unit joins a component only when the component
  dominates its row and the unit uses one of the component's top words. Everything else stays
  *not grouped* and is reported as such (count and unit ids), never folded into a catch-all.
* **Quality cut.** Every group reports its *coherence* (mean NPMI of its top words over the units),
  *distinctiveness* (the share of its top words' uses that fall inside the group), size and number of
  interviews; groups below the thresholds in :class:`Thresholds` are not proposed.
* **Stability.** The grouping is repeated on bootstrap subsamples with other seeds; a candidate's
  *stability* is the mean best Jaccard overlap of its units with the groups re-found there.
  Everything is seeded: the same input and seed give the same output.
* **Readable labels.** Every word shown to a reader is the lemma's most frequent surface form in the
  corpus ("svært", not "sværte"); a frequent two-word phrase leads the label when there is one.

Cost is linear in the number of units: NMF, co-occurrence of the top words only, no all-pairs step.
The representation is pluggable (:class:`Representation`); an embedding model can replace it.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

from .codebook import Codebook, Dimension, Theme, slugify
from .model import Coding, MeaningUnit
from .stopwords import spoken_stop_words, stop_words as _stop_words_cached  # noqa: F401

__all__ = [
    "Representation", "spoken_stop_words", "is_stop", "content_lemmas", "display_forms", "proper_nouns",
    "background_zipf", "rarity", "TermSpace", "TfidfLemmas", "Thresholds", "Group", "NOT_GROUPED",
    "CANDIDATE_COLUMNS", "Discovery", "weak_evidence", "not_grouped_line", "uncovered_units", "weakly_claimed",
    "class_tfidf", "describe_group", "label_group", "find_groups", "EMERGENT_KEYS", "emergent_options", "discover",
    "candidates_codebook", "key_terms"
]


class Representation(Protocol):
    """Turns units into a matrix (one row per unit). ``vocabulary`` names the columns when they are words."""

    def fit_transform(self, units: list[MeaningUnit]): ...

    @property
    def vocabulary(self) -> list[str] | None: ...


def is_stop(word: str, language: str) -> bool:
    """True when any word of ``word`` (a term or a phrase) is a stop word of the language."""
    stop = _stop_words_cached(language)
    return any(w.lower() in stop for w in word.split())


def content_lemmas(unit: MeaningUnit, stop: set[str] | frozenset[str]) -> list[str]:
    """Lemmas of the unit's words, dropping stop words and fillers by their surface form, and numbers."""
    return [l.lower() for l, s in zip(unit.lemmas, unit.surfaces)
            if s.lower() not in stop and l.lower() not in stop and len(l) > 1 and l[0].isalpha()]


def _content_pairs(unit: MeaningUnit, stop) -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """Content lemmas and the adjacent content-word pairs (lemma, lemma, surface, surface) of a unit."""
    lemmas, pairs = [], []
    prev = None
    for l, s in zip(unit.lemmas, unit.surfaces):
        low, sl = l.lower(), s.lower()
        if sl in stop or low in stop or len(low) < 2 or not low[0].isalpha():
            prev = None
            continue
        lemmas.append(low)
        if prev is not None and prev[0] != low:
            pairs.append((prev[0], low, prev[1], sl))
        prev = (low, sl)
    return lemmas, pairs


def _surface_counts(units: list[MeaningUnit]) -> dict[str, Counter]:
    """lemma (lower case) → Counter of its surface words as written."""
    pairs: Counter = Counter()
    for u in units:
        pairs.update(zip(u.lemmas, u.surfaces))
    out: dict[str, Counter] = {}
    for (l, s), c in pairs.items():
        out.setdefault(l.lower(), Counter())[s] += c
    return out


def display_forms(units: list[MeaningUnit]) -> dict[str, str]:
    """Lemma → its most frequent surface form in the units (lower case; ties: alphabetical), for every label.

    A lemmatiser's guess ("sværte" for "svært", "egn" for "egne") is never shown to a reader.
    """
    out = {}
    for l, c in _surface_counts(units).items():
        low: Counter = Counter()
        for s, n in c.items():
            low[s.lower()] += n
        out[l] = min(low.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return out


def proper_nouns(units: list[MeaningUnit]) -> set[str]:
    """Lemmas written with a capital letter in at least 80% of their uses: names of people and places,
    which make no theme and must not appear in a label."""
    out = set()
    for l, c in _surface_counts(units).items():
        upper = sum(n for s, n in c.items() if s[:1].isupper())
        if upper >= 0.8 * sum(c.values()):
            out.add(l)
    return out


@lru_cache(maxsize=200_000)
def background_zipf(word: str, language: str) -> float:
    """A word's frequency in ordinary language on the Zipf scale (0 = unknown, 7 ≈ "the")."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return 0.0
    return float(zipf_frequency(word, language if language in ("da", "en") else "en"))


def rarity(zipf: float) -> float:
    """Weight from background frequency: 1 for rare words (Zipf ≤ 3), falling to 0.05 for Zipf ≥ 6.3."""
    return float(min(1.0, max(0.05, (6.5 - zipf) / 3.5)))


def _compound_heads(known: set[str], stop, standalone: dict[str, int]) -> dict[str, str]:
    """Danish compound → its first part ("skakklub" → "skak", "fisketur" → "fiske", "honningsalg" →
    "honning"), so that units about one thing in several compounds meet. The first part must be a word of
    the corpus that is uncommon in the language (Zipf 0 < z ≤ 4.1: "fjern" in "fjernvarme"/"fjernsyn" is
    too common to tie them) used on its own too, and the rest a word of three letters or more
    (with or without a linking s/e)."""
    out = {}
    for w in known:
        if len(w) < 7 or not w.isalpha():
            continue
        for i in range(len(w) - 2, 3, -1):
            p = w[:i]
            if p not in known or p in stop:
                continue
            tails = [w[i:]] + ([w[i + 1:]] if w[i] in "se" else [])
            if not any(len(t) >= 3 and t in known and background_zipf(t, "da") >= 2.5 for t in tails):
                continue
            if 0 < background_zipf(p, "da") <= 4.1 and standalone.get(p, 0) >= 1:
                out[w] = p
            break
    return out


class TermSpace:
    """Units as rows of content-word weights: sublinear TF × IDF × background rarity, rows L2-normalised.

    ``min_units``/``min_interviews``: a word must occur in this many units and interviews to be a column.
    """

    def __init__(self, language: str = "da", *, min_units: int = 2, min_interviews: int = 2, max_df: float = 0.25,
                 display: dict[str, str] | None = None):
        self.language = language
        self.min_units = min_units
        self.min_interviews = min_interviews
        self.max_df = max_df
        self.display = display or {}
        self.words: list[str] = []
        self.docs: list[list[str]] = []
        self.pairs: list[list[tuple[str, str, str, str]]] = []
        self.weights: np.ndarray | None = None
        self.rarity: np.ndarray | None = None

    def fit_transform(self, units: list[MeaningUnit]):
        from scipy import sparse

        stop = _stop_words_cached(self.language)
        self.docs, self.pairs = [], []
        standalone = Counter(l.lower() for u in units for l in u.lemmas)
        known = set(self.display) | set(standalone)
        head = _compound_heads(known, stop, standalone) if self.language == "da" else {}
        for u in units:
            lem, pairs = _content_pairs(u, stop)
            self.docs.append(lem + [head[w] for w in lem if w in head])
            self.pairs.append(pairs)
        df: Counter = Counter()
        where: dict[str, set[str]] = {}
        for u, doc in zip(units, self.docs):
            for w in set(doc):
                df[w] += 1
                where.setdefault(w, set()).add(u.transcript)
        n = max(len(units), 1)
        n_interviews = len({u.transcript for u in units})
        need_int = self.min_interviews if n_interviews >= self.min_interviews else 1
        need_units = self.min_units if n >= 10 else 1
        max_units = max(need_units, int(self.max_df * n)) if n >= 20 else n
        names = proper_nouns(units)
        self.words = sorted(w for w, c in df.items()
                            if need_units <= c <= max_units and len(where[w]) >= need_int and w not in names)
        index = {w: j for j, w in enumerate(self.words)}
        idf = np.array([math.log((1 + n) / (1 + df[w])) + 1 for w in self.words])
        back = np.array([rarity(max(background_zipf(w, self.language),
                                    background_zipf(self.display.get(w, w), self.language))) for w in self.words])
        self.rarity = back
        self.weights = idf * back
        rows, cols, vals = [], [], []
        for i, doc in enumerate(self.docs):
            for w, c in Counter(doc).items():
                j = index.get(w)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    vals.append((1 + math.log(c)) * self.weights[j])
        X = sparse.csr_matrix((vals, (rows, cols)), shape=(len(self.docs), len(self.words)), dtype=np.float64)
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms) @ X

    @property
    def vocabulary(self) -> list[str] | None:
        return list(self.words)


class TfidfLemmas:
    """TF-IDF over content lemmas (used for centrality inside a sub-group)."""

    def __init__(self, language: str = "da", *, min_df: int = 2, max_df: float = 0.2):
        self.language = language
        self.min_df = min_df
        self.max_df = max_df
        self._vectorizer = None

    def fit_transform(self, units: list[MeaningUnit]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        stop = _stop_words_cached(self.language)
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
class Thresholds:
    """What a group must reach to be proposed (defaults measured on the sample, ecape_da and planted topics)."""

    min_size: int = 3
    min_interviews: int = 2
    min_coherence: float = 0.15  # mean NPMI of the top words over the units (−1 … 1)
    min_distinctiveness: float = 0.3  # share of the top words' uses that fall inside the group
    max_share: float = 0.25  # a group may hold at most this share of the units it is drawn from
    min_single_word: float = 0.8  # a group held together by one word: that word's uses inside the group
    single_word_rarity: float = 0.83  # ... and that word rare in the language (Zipf ≤ 3.6)

    def coherent(self, top: list[int], coherence: float, distinctiveness: float, rare=None) -> bool:
        """Coherent top words; or one rare word ("varmepumpe", "pigeons", not "honest") whose uses fall
        (nearly) all inside the group (coherence, a measure over pairs of words, is 0 for one word)."""
        if len(top) == 1:
            return (distinctiveness >= self.min_single_word
                    and (rare is None or rare[top[0]] >= self.single_word_rarity))
        return coherence >= self.min_coherence


@dataclass
class Group:
    """A candidate theme: units that belong together and that no emergent theme covers."""

    id: str
    label: str
    terms: list[str]  # display forms, most distinctive first
    unit_ids: list[str]
    transcripts: list[str]
    representatives: list[str]  # unit ids, most central first
    coherence: float = 0.0
    distinctiveness: float = 0.0
    stability: float = 0.0
    lemmas: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.unit_ids)


NOT_GROUPED = {"da": "ikke grupperet", "en": "not grouped"}
CANDIDATE_COLUMNS = ["candidate", "label", "n_units", "n_interviews", "coherence", "distinctiveness", "stability",
                     "terms", "interviews", "representative_unit_ids", "unit_ids"]


@dataclass
class Discovery:
    groups: list[Group]
    n_uncovered: int
    dimension: str
    k_scores: dict[int, float] = field(default_factory=dict)
    not_grouped: list[str] = field(default_factory=list)  # unit ids of the pool in no proposed group
    language: str = "da"
    seed: int = 0

    def to_frame(self, units_by_id: dict[str, MeaningUnit] | None = None):
        """One row per candidate, then one row for the units in no candidate ("ikke grupperet")."""
        import pandas as pd

        rows = []
        for g in self.groups:
            rows.append({
                "candidate": g.id, "label": g.label, "n_units": g.size, "n_interviews": len(g.transcripts),
                "coherence": round(g.coherence, 3), "distinctiveness": round(g.distinctiveness, 3),
                "stability": round(g.stability, 3), "terms": ", ".join(g.terms), "interviews": "; ".join(g.transcripts),
                "representative_unit_ids": "; ".join(g.representatives), "unit_ids": "; ".join(g.unit_ids),
            })
        if self.not_grouped:
            transcripts = sorted({uid.rsplit(":", 2)[0] for uid in self.not_grouped})
            rows.append({"candidate": "_not_grouped", "label": NOT_GROUPED.get(self.language, "not grouped"),
                         "n_units": len(self.not_grouped), "n_interviews": len(transcripts), "coherence": "",
                         "distinctiveness": "", "stability": "", "terms": "", "interviews": "; ".join(transcripts),
                         "representative_unit_ids": "", "unit_ids": "; ".join(self.not_grouped)})
        return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


def weak_evidence(coding: Coding, language: str) -> bool:
    """A rule coding that rests on one word of the unit ("council", "kommunen", "i opgangene"): one word is
    a hint, not a theme; the unit stays open for discovery (and a candidate made mostly of units that one
    theme claims this way is that theme's, and is not proposed)."""
    if coding.source != "rule":
        return False
    unit_part = next((p[5:].strip() for p in coding.evidence.split(";") if p.strip().startswith("unit:")), "")
    stop = _stop_words_cached(language)
    words = {w.lower() for entry in unit_part.split(",") for w in entry.split() if w.lower() not in stop}
    return len(words) <= 1 and bool(unit_part)


def not_grouped_line(discovery: "Discovery") -> str:
    """One sentence for the report: how many uncovered units are in no candidate, and where to read them."""
    n, total = len(discovery.not_grouped), discovery.n_uncovered
    if discovery.language == "da":
        return (f"*Ikke grupperet: {n} af {total} enheder, som kodebogen ikke dækker, indgår i ingen kandidat "
                f"(se rækken `_not_grouped` i candidates.csv).*")
    return (f"*Not grouped: {n} of {total} units the codebook does not cover are in no candidate "
            f"(see the `_not_grouped` row of candidates.csv).*")


def uncovered_units(units: list[MeaningUnit], codings: list[Coding], dimensions: list[str],
                    language: str | None = None) -> list[MeaningUnit]:
    """Units no theme of ``dimensions`` covers. With ``language``, a rule coding that rests on a single word
    of the unit (:func:`weak_evidence`) does not count as cover."""
    covered = {c.unit_id for c in codings if c.dimension in dimensions
               and (language is None or not weak_evidence(c, language))}
    return [u for u in units if u.unit_id not in covered]


def weakly_claimed(codings: list[Coding], dimensions: list[str], language: str) -> dict[str, set[str]]:
    """unit id → the themes that claim it on one word only."""
    out: dict[str, set[str]] = {}
    for c in codings:
        if c.dimension in dimensions and weak_evidence(c, language):
            out.setdefault(c.unit_id, set()).add(c.theme)
    return out


def class_tfidf(counts: np.ndarray) -> np.ndarray:
    """Class-based TF-IDF: term frequency in a group × log(1 + average words per group / term frequency)."""
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    avg = counts.sum() / max(counts.shape[0], 1)
    f = counts.sum(axis=0)
    idf = np.log(1 + avg / np.maximum(f, 1))
    return tf * idf


# ---------------------------------------------------------------------------------------------
# grouping


@dataclass
class _Raw:
    members: np.ndarray  # row indices
    top: list[int]  # column indices of the top words


def _npmi_pair(co: float, da: float, db: float, n: int) -> float:
    if co <= 0:
        return -1.0
    p_ab = co / n
    if p_ab >= 1.0:
        return 1.0
    return math.log(p_ab / ((da / n) * (db / n))) / -math.log(p_ab)


def find_groups(B, weights: np.ndarray, interviews: np.ndarray, *, min_size: int = 3, min_interviews: int = 2,
                min_rarity: float = 0.45, min_assoc: float = 0.3, max_anchors: int = 5000) -> list[_Raw]:
    """Word-anchored groups: each distinctive word (rare in ordinary language, used in ≥ ``min_size`` units of
    ≥ ``min_interviews`` interviews) gathers the units that use it or a word tied to it (NPMI ≥ ``min_assoc``,
    co-occurring at least twice, mostly used together with it); overlapping groups are merged, the best
    first; every unit in no group stays alone. Cost: one sparse word × word co-occurrence product, linear in
    the number of units for units of bounded length; no unit × unit distances.

    ``B``: binary unit × word matrix (CSR); ``weights``: a word's rarity weight; ``interviews``: the interview
    index of each unit.
    """
    from scipy import sparse

    n, v = B.shape
    if n < min_size or v == 0:
        return []
    Bc = sparse.csc_matrix(B)
    df = np.asarray(Bc.sum(axis=0)).ravel()
    rare = np.asarray(weights)
    n_int = int(interviews.max()) + 1 if len(interviews) else 1
    owner = sparse.csr_matrix((np.ones(n), (np.arange(n), interviews)), shape=(n, n_int))
    spread = np.asarray(((Bc.T @ owner) > 0).sum(axis=1)).ravel()
    anchors = [j for j in np.argsort(-(np.sqrt(df) * rare), kind="stable")
               if df[j] >= min_size and spread[j] >= min_interviews and rare[j] >= min_rarity][:max_anchors]
    if not anchors:
        return []
    C = (Bc.T @ Bc).tocsr()
    C.setdiag(0)
    C.eliminate_zeros()
    groups = []
    for a in anchors:
        lo, hi = C.indptr[a], C.indptr[a + 1]
        idx, co = C.indices[lo:hi], C.data[lo:hi]
        # b is tied to a: mostly used with it, and not a word a merely borrows now and then
        keep = (co >= 2) & (rare[idx] >= min_rarity) & (co >= 0.5 * df[idx]) & (co >= 0.25 * df[a])
        core = [a] + [int(b) for b, c in zip(idx[keep], co[keep]) if _npmi_pair(c, df[a], df[b], n) >= min_assoc]
        members = np.unique(np.concatenate([Bc.indices[Bc.indptr[j]:Bc.indptr[j + 1]] for j in core]))
        groups.append(_Raw(members, sorted(core, key=lambda j: (-df[j] * rare[j], j))))
    # best first: many units, held together by rare words; an overlapping later group joins or is dropped
    groups.sort(key=lambda g: (-len(g.members) * float(np.mean(rare[g.top])), g.top))
    chosen: list[_Raw] = []
    owner = np.full(n, -1)  # the first chosen group of each unit
    for g in groups:
        held = owner[g.members]
        held = held[held >= 0]
        if len(held):
            c_index = int(np.bincount(held).argmax())
            overlap = int((held == c_index).sum())
            c = chosen[c_index]
            if overlap >= 0.5 * len(g.members) and (g.top[0] in c.top or overlap >= 0.8 * len(g.members)):
                # the same topic, already there: its words and units join the group
                c.top += [j for j in g.top if j not in c.top]
                c.members = np.union1d(c.members, g.members)
                free = g.members[owner[g.members] < 0]
                owner[free] = c_index
                continue
        chosen.append(_Raw(g.members, list(g.top)))
        free = g.members[owner[g.members] < 0]
        owner[free] = len(chosen) - 1
    # every unit to one group: the one whose core words it uses with the most weight
    if not chosen:
        return []
    # each unit goes to the group whose words it uses with the most weight: a word weighs its rarity × the
    # share of its use that lies in the group ("udluftning" in a unit about mould weighs less for a big
    # ventilation group than "skimmel" for the mould group); ties to the earlier (better) group
    rows, cols, vals = [], [], []
    for i, c in enumerate(chosen):
        inside = np.zeros(n, dtype=bool)
        inside[c.members] = True
        for j in c.top:
            users = Bc.indices[Bc.indptr[j]:Bc.indptr[j + 1]]
            rows.append(i)
            cols.append(j)
            vals.append(rare[j] * inside[users].mean() if len(users) else 0.0)
    W = sparse.csr_matrix((vals, (rows, cols)), shape=(len(chosen), v))
    fit = (sparse.csr_matrix(B) @ W.T).tocoo()
    order = np.lexsort((fit.col, -fit.data, fit.row))
    r, c = fit.row[order], fit.col[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = r[1:] != r[:-1]
    best = np.full(n, -1)
    best[r[first]] = c[first]
    out = []
    for i, ch in enumerate(chosen):
        members = np.flatnonzero(best == i)
        if len(members):
            out.append(_Raw(members, ch.top))
    return out


def _npmi(B, cols: list[int], n: int) -> float:
    """Mean NPMI over pairs of columns of a binary unit × word matrix (−1 when a pair never co-occurs)."""
    if len(cols) < 2:
        return 0.0
    sub = B[:, cols]
    co = (sub.T @ sub).toarray()
    df = np.diag(co)
    vals = []
    for a in range(len(cols)):
        for b in range(a + 1, len(cols)):
            if co[a, b] == 0:
                vals.append(-1.0)
                continue
            p_ab = co[a, b] / n
            if p_ab >= 1.0:
                vals.append(1.0)
                continue
            pmi = math.log(p_ab / ((df[a] / n) * (df[b] / n)))
            vals.append(pmi / -math.log(p_ab))
    return float(np.mean(vals))


def describe_group(members: np.ndarray, B, counts_all: np.ndarray, rare: np.ndarray, n_terms: int,
                   min_rarity: float = 0.45) -> tuple[list[int], float, float]:
    """Top words of a group (in-group frequency × share of the word's uses in the group, among words that are
    not common in the language), their coherence (mean NPMI) and distinctiveness (mean in-group share)."""
    inside = np.asarray(B[members].sum(axis=0)).ravel()
    share = inside / np.maximum(counts_all, 1)
    score = (inside / max(len(members), 1)) * share * (rare >= min_rarity)
    need = max(2, math.ceil(0.1 * len(members)))  # a word of one unit describes that unit, not the group
    cand = np.flatnonzero((inside >= need) & (score > 0))
    order = [int(j) for j in cand[np.argsort(-score[cand], kind="stable")][:n_terms]]
    head = order[:5]
    n = B.shape[0]
    coherence = _npmi(B, head, n) if len(head) >= 2 else 0.0
    distinct = float(np.mean(share[head])) if head else 0.0
    return order, coherence, distinct


def label_group(members: np.ndarray, top: list[int], words: list[str], pairs, display: dict[str, str], language: str,
                pool_pairs: Counter, common: set[str] | frozenset[str] = frozenset()) -> str:
    """Label: a frequent two-word phrase of the group when there is one, then its top words (display forms)."""
    head = {words[j] for j in top[:5]}
    inside: Counter = Counter()
    surface: dict[tuple[str, str], Counter] = {}
    for i in members:
        seen = set()
        for a, b, sa, sb in pairs[i]:
            if (a in head or b in head) and (a, b) not in seen:
                seen.add((a, b))
                inside[(a, b)] += 1
                surface.setdefault((a, b), Counter())[f"{sa} {sb}"] += 1
    need = max(2, math.ceil(0.2 * len(members)))
    phrases = [(c, p) for p, c in inside.items() if c >= need and c >= 0.6 * pool_pairs.get(p, c)]
    parts: list[str] = []
    used: set[str] = set()
    if phrases:
        c, p = min(phrases, key=lambda x: (-x[0], x[1]))
        text = min(surface[p].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if not is_stop(text, language):
            parts.append(text)
            used |= set(p)
    for allow_common in (False, True):  # words the whole corpus is about only when nothing else is left
        for j in top:
            if len(parts) >= 3 or (allow_common and parts):
                break
            w = words[j]
            if w in used or is_stop(display.get(w, w), language) or (w in common and not allow_common):
                continue
            parts.append(display.get(w, w))
            used.add(w)
    return ", ".join(parts)


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


EMERGENT_KEYS = {"dimensions": "a list of dimension ids", "n_groups": "a whole number", "max_groups": "a whole number",
                 "min_groups": "a whole number", "random_state": "a whole number", "min_size": "a whole number",
                 "min_interviews": "a whole number", "resamples": "a whole number",
                 "min_coherence": "a number", "min_distinctiveness": "a number"}


def emergent_options(settings: dict | None, *, path: str = "(project)") -> dict:
    """``discover()`` keyword arguments from a project's ``emergent:`` settings (one reading for run and
    discover). A value of the wrong type is a coded error (E350) naming the key."""
    from .errors import CondenseError

    s = dict(settings or {})
    out: dict = {"random_state": 0}
    for key, value in s.items():
        kind = EMERGENT_KEYS.get(key)
        if kind is None or value is None:
            continue
        try:
            if kind == "a list of dimension ids":
                if isinstance(value, str):
                    value = [value]
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ValueError
                out[key] = list(value)
            elif kind == "a whole number":
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise ValueError
                out[key] = int(value)
            else:
                if isinstance(value, bool):
                    raise ValueError
                out[key] = float(value)
        except (TypeError, ValueError):
            raise CondenseError("E350", path=path, key=key, kind=kind, value=value) from None
    out.pop("min_groups", None)  # the number of groups follows from the quality cut
    return out


def discover(
    units: list[MeaningUnit],
    codings: list[Coding],
    codebook: Codebook,
    *,
    dimensions: list[str] | None = None,
    n_groups: int | None = None,
    min_groups: int = 2,  # kept for old callers: the number of groups follows from the quality cut
    max_groups: int | None = None,  # at most this many candidates (the largest); so does ``n_groups``
    min_size: int = 3,
    min_interviews: int = 2,
    min_coherence: float | None = None,
    min_distinctiveness: float | None = None,
    n_terms: int = 8,
    min_content: int = 3,
    random_state: int = 0,
    resamples: int = 3,
    representation: Representation | None = None,
) -> Discovery:
    """Group the units no emergent theme covers into candidate themes; the rest is reported as not grouped."""
    from scipy import sparse

    language = codebook.language
    dims = dimensions or codebook.emergent_dimensions() or [codebook.dimensions[-1].id]
    pool = sorted(uncovered_units(units, codings, dims, language), key=lambda u: u.unit_id)
    claimed = weakly_claimed(codings, dims, language)
    stop = _stop_words_cached(language)
    # short answers ("Nej, det må du gerne.") carry no theme of their own
    pool = [u for u in pool if len(content_lemmas(u, stop)) >= min_content]
    th = Thresholds(min_size=min_size, min_interviews=min_interviews)
    if min_coherence is not None:
        th.min_coherence = min_coherence
    if min_distinctiveness is not None:
        th.min_distinctiveness = min_distinctiveness
    discovery = Discovery([], len(pool), dims[0], language=language, seed=random_state)
    discovery.not_grouped = [u.unit_id for u in pool]
    if len(pool) < max(th.min_size * 2, 6):
        return discovery
    display = display_forms(units)
    rep = representation or TermSpace(language, display=display)
    X = sparse.csr_matrix(rep.fit_transform(pool))
    words = rep.vocabulary or []
    if not words:
        return discovery
    B = (X > 0).astype(np.float64).tocsr()
    counts_all = np.asarray(B.sum(axis=0)).ravel()
    weights = getattr(rep, "weights", None)
    weights = np.ones(len(words)) if weights is None else weights
    pairs = getattr(rep, "pairs", None) or [[] for _ in pool]
    pool_pairs: Counter = Counter()
    for p in pairs:
        pool_pairs.update({(a, b) for a, b, _, _ in p})
    unit_df = Counter(w for u in units for w in set(content_lemmas(u, stop)))
    common = {w for w, c in unit_df.items() if c > 0.05 * len(units)}  # what the whole corpus is about

    rare = getattr(rep, "rarity", None)
    rare = np.ones(len(words)) if rare is None else rare
    names = sorted({u.transcript for u in pool})
    interviews = np.array([names.index(u.transcript) for u in pool]) if pool else np.zeros(0, int)
    raws = find_groups(B, rare, interviews, min_size=th.min_size, min_interviews=th.min_interviews)
    groups = []
    for r in raws:
        transcripts = sorted({pool[i].transcript for i in r.members})
        if len(r.members) < th.min_size or len(transcripts) < th.min_interviews:
            continue  # the cheap tests first
        top, coherence, distinct = describe_group(r.members, B, counts_all, rare, n_terms)
        claims = Counter(t for i in r.members for t in claimed.get(pool[i].unit_id, ()))
        if claims and claims.most_common(1)[0][1] > 0.5 * len(r.members):
            continue  # mostly units one codebook theme already names: that theme's material, not a new one
        if (len(r.members) < th.min_size or len(transcripts) < th.min_interviews or not th.coherent(top, coherence, distinct, rare)
                or distinct < th.min_distinctiveness or len(r.members) > th.max_share * len(pool) or not top):
            continue
        centroid = np.asarray(X[r.members].mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid) or 1.0
        sims = np.asarray(X[r.members] @ centroid).ravel() / norm
        order = sorted(zip(-sims, [pool[i].unit_id for i in r.members]))
        terms = [display.get(words[j], words[j]) for j in top]
        groups.append(Group(id="", label=label_group(r.members, top, words, pairs, display, language, pool_pairs, common),
                            terms=[t for t in terms if not is_stop(t, language)],
                            unit_ids=sorted(pool[i].unit_id for i in r.members), transcripts=transcripts,
                            representatives=[uid for _, uid in order[:3]], coherence=coherence,
                            distinctiveness=distinct, lemmas=[words[j] for j in top]))
    _stability(groups, B, rare, interviews, pool, th, random_state, resamples)
    groups.sort(key=lambda gr: (-gr.size, gr.terms[:1]))
    cap = n_groups or max_groups  # an explicit number wins over the project's maximum
    if cap:  # at most this many candidates, the largest
        groups = groups[:cap]
    prefix = "kandidat" if language == "da" else "candidate"
    for n, gr in enumerate(groups, start=1):
        gr.id = f"{prefix}_{n:02d}_{slugify('_'.join(gr.terms[:2]))}"
    discovery.groups = groups
    grouped = {uid for g in groups for uid in g.unit_ids}
    discovery.not_grouped = [u.unit_id for u in pool if u.unit_id not in grouped]
    return discovery


def _stability(groups: list[Group], B, rare, interviews, pool: list[MeaningUnit], th: Thresholds, seed: int,
               resamples: int, *, fraction: float = 0.8) -> None:
    """Mean best Jaccard of each group with the groups re-found on seeded bootstrap subsamples (80% of units)."""
    if not groups or resamples <= 0:
        return
    n = B.shape[0]
    ids = np.array([u.unit_id for u in pool])
    scores: list[list[float]] = [[] for _ in groups]
    for r in range(1, resamples + 1):
        rng = np.random.default_rng([seed, r])
        rows = np.sort(rng.choice(n, size=int(fraction * n), replace=False))
        found = find_groups(B[rows], rare, interviews[rows], min_size=th.min_size, min_interviews=th.min_interviews)
        where = {}  # unit id → the re-found group it is in (groups are disjoint)
        sizes = []
        for k, m in enumerate(found):
            for uid in ids[rows[m.members]].tolist():
                where[uid] = k
            sizes.append(len(m.members))
        kept = set(ids[rows].tolist())
        for i, g in enumerate(groups):
            mine = [u for u in g.unit_ids if u in kept]
            hits = Counter(where[u] for u in mine if u in where)
            best = max((n / (len(mine) + sizes[k] - n) for k, n in hits.items()), default=0.0)
            scores[i].append(best)
    for g, s in zip(groups, scores):
        g.stability = float(np.mean(s))


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
        quality = (f"Sammenhæng {g.coherence:.2f}, særpræg {g.distinctiveness:.2f}, stabilitet {g.stability:.2f}."
                   if da else
                   f"Coherence {g.coherence:.2f}, distinctiveness {g.distinctiveness:.2f}, stability {g.stability:.2f}.")
        description = (f"Foreslået af condense ud fra {g.size} enheder i {len(g.transcripts)} interview, som kodebogen ikke "
                       f"dækker. {quality} Omdøb, skriv en beskrivelse, ret ordene – eller slet forslaget."
                       if da else
                       f"Proposed by condense from {g.size} units in {len(g.transcripts)} interviews that the codebook does "
                       f"not cover. {quality} Rename it, describe it, edit its terms – or delete it.")
        dim.themes.append(Theme(id=g.id, label=("Kandidat: " if da else "Candidate: ") + g.label, origin="emergent",
                                status="candidate", description=description, examples=examples, terms=list(g.terms)))
    return Codebook(id=f"{codebook.id}_candidates", label=("Kandidater til nye temaer" if da else "Candidate themes"),
                    language=codebook.language, version="1", dimensions=[dim])


def key_terms(units: list[MeaningUnit], language: str, *, by: str = "transcript", n: int = 10) -> dict[str, list[str]]:
    """Step 1 overview ("total impression"): the most distinctive words per interview and in the corpus.

    Per interview: class-based TF-IDF with each interview as a class, times background rarity.
    ``"(corpus)"``: the most frequent content words over all interviews, weighted by the number of
    interviews they occur in and by rarity. Words are shown in their most frequent surface form.
    """
    stop = _stop_words_cached(language)
    display = display_forms(units)
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
    back = np.array([rarity(background_zipf(display.get(w, w), language)) for w in vocab])
    scores = class_tfidf(counts) * back
    out = {}
    for r, name in enumerate(names):
        order = np.argsort(-scores[r], kind="stable")
        out[name] = [display.get(vocab[j], vocab[j]) for j in order[:n] if counts[r, j] >= 2]
    df = (counts > 0).sum(axis=0)
    total = counts.sum(axis=0) * np.log1p(df) * back
    order = np.argsort(-total, kind="stable")
    out["(corpus)"] = [display.get(vocab[j], vocab[j]) for j in order[:n * 2]]
    return out
