"""Emergent themes (STC steps 1–2): what the codebook does not cover, grouped and labelled.

The units that no theme covers in the codebook's emergent dimensions (``tema`` in the study codebook)
are grouped into *candidate* themes, codebook fragments the researcher edits and folds in with
``condense codebook merge``. How:

* **Representation** (:class:`TermSpace`). Content lemmas (spoken-language stop lists dropped, see
  ``condense/stopwords/``) weighted by sublinear TF × IDF × *background rarity*: a word's frequency in
  ordinary language (``wordfreq``, shipped inside the package, offline) lowers its weight, so
  "gøre", "godt" or "anybody" cannot carry a group while "varmepumpe" or "rotte" can. Only words used
  in at least two interviews count (names and places of one interview do not make a theme), and no
  name (:func:`proper_nouns`: a word written with a capital inside its sentences, not only at their start).
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
  corpus ("svært", not "sværte"); a frequent two-word phrase said in two interviews leads the label when
  there is one. A label reads as one idea: each word after the first is used in a third of the units using
  the first, and forms of one word are shown once (:func:`label_group`).

Cost is linear in the number of units: NMF, co-occurrence of the top words only, no all-pairs step.
The representation is pluggable (:class:`Representation`); an embedding model can replace it.
"""
from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Protocol

import numpy as np

from .codebook import Codebook, Dimension, Theme, slugify
from .families import families, is_compound_of
from .model import Coding, MeaningUnit, parse_unit_id
from .stopwords import spoken_stop_words, stop_words as _stop_words_cached  # noqa: F401

__all__ = [
    "Representation", "spoken_stop_words", "is_stop", "content_lemmas", "content_lemmas_of", "corpus_words", "display_forms", "proper_nouns",
    "background_zipf", "rarity", "TermSpace", "TfidfLemmas", "Thresholds", "Group", "NOT_GROUPED",
    "CANDIDATE_COLUMNS", "Discovery", "weak_evidence", "not_grouped_line", "uncovered_units", "weakly_claimed",
    "class_tfidf", "describe_group", "label_group", "LABEL_TOGETHER", "same_word", "EmergentThemes", "corpus_common", "find_groups", "word_cooccurrence", "EMERGENT_KEYS", "emergent_options", "discover",
    "candidates_codebook", "key_terms", "also_coded", "content_word", "may_draw_out", "DRAWN_OUT_LANGUAGES"
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


def content_word(lemma: str, surface: str, stop) -> str:
    """The lemma in lower case when the word is a content word, else "": not a stop word or filler by its
    surface form (an abbreviation's full stop aside: "ift.", "f.eks.") or its lemma, no number, more than one
    letter, and not the first half of a compound written with a hyphen ("glas-" in "glas- og metalaffald")."""
    low = lemma.lower()
    if (len(lemma) > 1 and lemma[0].isalpha() and low not in stop and not surface.endswith("-")
            and surface.lower().rstrip(".") not in stop):
        return low
    return ""


def content_lemmas(unit: MeaningUnit, stop: set[str] | frozenset[str]) -> list[str]:
    """The unit's content words (:func:`content_word`), as lemmas in lower case."""
    return [w for w in (content_word(l, s, stop) for l, s in zip(unit.lemmas, unit.surfaces)) if w]


def content_lemmas_of(units: list[MeaningUnit], stop: set[str] | frozenset[str]) -> list[list[str]]:
    """:func:`content_lemmas` of many units; each (lemma, surface) pair is judged once for all of them."""
    keep: dict[tuple[str, str], str] = {}
    out = []
    for u in units:
        row = []
        for pair in zip(u.lemmas, u.surfaces):
            w = keep.get(pair)
            if w is None:
                w = keep[pair] = content_word(pair[0], pair[1], stop)
            if w:
                row.append(w)
        out.append(row)
    return out


_CORPUS_WORDS: list = []  # one entry: (language, the units' lemma and surface tuples, display forms, content lemmas)


def corpus_words(units: list[MeaningUnit], language: str) -> tuple[dict[str, str], list[list[str]]]:
    """:func:`display_forms` and :func:`content_lemmas_of` of a corpus, kept for the last corpus asked about:
    discovery and the key terms of one run read the same units. The entry is valid only while every unit
    still holds the very same (immutable) lemma and surface tuples, so a changed unit is read again."""
    tuples = [(u.lemmas, u.surfaces) for u in units]
    if _CORPUS_WORDS:
        lang, old, display, lemmas = _CORPUS_WORDS[0]
        if lang == language and len(old) == len(tuples) and all(
                a[0] is b[0] and a[1] is b[1] for a, b in zip(old, tuples)):
            return display, lemmas
    display = display_forms(units)
    lemmas = content_lemmas_of(units, _stop_words_cached(language))
    _CORPUS_WORDS[:] = [(language, tuples, display, lemmas)]
    return display, lemmas


def _content_pairs(unit: MeaningUnit, stop, repair: dict[tuple[str, str], str] | None = None,
                   seen: dict | None = None) -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """Content lemmas and the adjacent content-word pairs (lemma, lemma, surface, surface) of a unit;
    ``repair``: (lemma, surface) → the lemma to use instead (:func:`lemma_repairs`); ``seen``: a dict shared
    by the calls of one batch, in which each (lemma, surface) is judged once."""
    lemmas, pairs = [], []
    prev = None
    repair = repair or {}
    seen = {} if seen is None else seen
    for pair in zip(unit.lemmas, unit.surfaces):
        hit = seen.get(pair)
        if hit is None:
            hit = seen[pair] = _content_word(pair, stop, repair)
        if not hit:
            prev = None
            continue
        low, sl = hit
        lemmas.append(low)
        if prev is not None and prev[0] != low:
            pairs.append((prev[0], low, prev[1], sl))
        prev = (low, sl)
    return lemmas, pairs


def _content_word(pair: tuple[str, str], stop, repair: dict[tuple[str, str], str]) -> tuple[str, str] | tuple[()]:
    """(lemma, surface) in lower case, the lemma repaired; () for no content word (:func:`content_word`) or a
    stop word said drawn out."""
    low, sl = pair[0].lower(), pair[1].lower()
    low = repair.get((low, sl), low)
    if not content_word(low, sl, stop) or _drawn_out(sl, stop):
        return ()
    return low, sl


DRAWN_OUT_ZIPF = 3.0  # a drawn-out word is no word of the language as written
_RUN = re.compile(r"(\w)\1+")


def _drawn_out(word: str, stop) -> bool:
    """A stop word said drawn out ("neej", "neeej", "såååå", "øhhh"): with each run of a letter cut to one
    letter, the word is a stop word, and the word as written is no word of Danish or English (Zipf < 3:
    "værre" is "worse", not a long "være"). Written at the start of answers, "Neej" made a candidate."""
    if len(set(word)) == len(word):  # no letter twice: no run (most words; the cheap test first)
        return False
    short = _RUN.sub(r"\1", word)
    return (short != word and short in stop
            and max(background_zipf(word, "da"), background_zipf(word, "en")) < DRAWN_OUT_ZIPF)


DRAWN_OUT_LANGUAGES = ("da", "en")  # the word lists :func:`_drawn_out` weighs a word by, whatever the corpus's language


def may_draw_out(units: list[MeaningUnit], language: str) -> bool:
    """Whether :func:`_drawn_out` may look a word of these units up in the word lists (every language of
    :data:`DRAWN_OUT_LANGUAGES`): some word, as written in lower case, is a stop word of ``language`` with a
    run of a letter cut to one ("neej", "såå"), and not itself one. A few such words in a corpus make each
    process reading it load English's list (about 0.2 CPU s) besides a Danish corpus's own; known once the
    surfaces are counted (:func:`corpus_words` counts them), so a run can load the lists before it forks.
    Errs on the side of yes: whether the word is also a content word is left to the lookups."""
    stop = _stop_words_cached(language)
    words = "\n".join({surface.lower() for surfaces in _surface_counts(units).values() for surface in surfaces})
    for m in _DOUBLED.finditer(words):  # only the words with a letter said twice in a row: one scan of them all
        word = m.group(0)
        if not word.endswith("-") and word.rstrip(".") not in stop and _RUN.sub(r"\1", word) in stop:
            return True
    return False


_DOUBLED = re.compile(r"^.*?(\w)\1.*$", re.M)  # a line (a word) with a run of a letter, as _RUN finds one


_SURFACE_COUNTS: list = []  # one entry: (the units' lemma and surface tuples, their surface counts)


def _surface_counts(units: list[MeaningUnit]) -> dict[str, Counter]:
    """lemma (lower case) → Counter of its surface words as written (read only: shared, see below).

    Kept for the last units asked about, as :func:`corpus_words` keeps its corpus: a theme's proposals and
    its leftovers (``grouping.propose``, ``grouping.attach``) count the same units twice, for their display
    forms and in :class:`TermSpace`. Valid only while every unit holds the very same lemma and surface tuples."""
    tuples = [(u.lemmas, u.surfaces) for u in units]
    if _SURFACE_COUNTS:
        old, counts = _SURFACE_COUNTS[0]
        if len(old) == len(tuples) and all(a[0] is b[0] and a[1] is b[1] for a, b in zip(old, tuples)):
            return counts
    pairs = Counter(chain.from_iterable(zip(lemmas, surfaces) for lemmas, surfaces in tuples))
    out: dict[str, Counter] = {}
    for (l, s), c in pairs.items():  # a Counter made only for a new lemma (setdefault made one per pair)
        low = l.lower()
        got = out.get(low)
        if got is None:
            got = out[low] = Counter()
        got[s] = got.get(s, 0) + c  # (a missing key through Counter.__missing__ is a Python call)
    _SURFACE_COUNTS[:] = [(tuples, out)]
    return out


def display_forms(units: list[MeaningUnit]) -> dict[str, str]:
    """Lemma → its most frequent surface form in the units (lower case; ties: alphabetical), for every label.

    A lemmatiser's guess ("sværte" for "svært", "egn" for "egne") is never shown to a reader.
    """
    return {l: _most_used(low) for l, low in _lowered(_surface_counts(units)).items()}


def _uses_then_word(kv: tuple[str, int]) -> tuple[int, str]:
    return -kv[1], kv[0]


def _most_used(counts: Counter) -> str:
    """The word ``counts`` counts most often (ties: the alphabetically first). Most lemmas are written one way
    only in a theme's units: that word is the answer without ordering anything (display forms and lemma checks
    ask it of every lemma of every theme's proposals and leftovers)."""
    if len(counts) == 1:
        return next(iter(counts))
    return min(counts.items(), key=_uses_then_word)[0]


LEMMA_GAP = 0.5  # a lemma this much rarer in the language (Zipf) than the word as written is a lemmatiser's error


def lemma_repairs(units: list[MeaningUnit], language: str, counts: dict[str, Counter] | None = None,
                  lowered: dict[str, Counter] | None = None) -> dict[tuple[str, str], str]:
    """The lemmatiser's errors in these units: (lemma, surface), both lower case → the lemma to use.

    A lemma is wrong when it is clearly rarer in the language than the word as mostly written (Zipf gap
    ≥ :data:`LEMMA_GAP`) and that word is no inflection of it ("cykler" → "cyklus", "svært" → "sværte";
    not "beboerne" → "beboer"). All surfaces of a wrong lemma then move together, so that "cykler" and
    "cyklen" stay one term: to the corpus lemma the most frequent one inflects with a Danish unstressed e
    dropped ("cykler" → "cykel"), or else to that most frequent written word itself.
    """
    stop = _stop_words_cached(language)
    if lowered is None:  # lemma → its surfaces in lower case (:func:`_lowered`), when not given
        lowered = _lowered(counts if counts is not None else _surface_counts(units))
    bad = {l for l, c in lowered.items() if l not in stop and _wrong_lemma(l, c, language)}
    bases = {l for l in lowered if len(l) >= 4 and l not in stop and l not in bad and l.isalpha()}
    out: dict[tuple[str, str], str] = {}
    for l in sorted(bad):
        c = lowered[l]
        top = _most_used(c)
        target = _syncope_base(top, bases) or top
        out.update({(l, sf): target for sf in c if target != l})
    return out


_LOWERED: list = []  # one entry: (the surface counts it was made from, itself)


def _lowered(counts: dict[str, Counter]) -> dict[str, Counter]:
    """lemma → Counter of its surfaces in lower case (read only; kept for the last counts, which
    :func:`_surface_counts` shares: the display forms and a TermSpace of the same units ask for both)."""
    if _LOWERED and _LOWERED[0][0] is counts:
        return _LOWERED[0][1]
    out: dict[str, Counter] = {}
    for l, c in counts.items():
        low = out[l] = Counter()  # (each lemma once: the keys of ``counts`` are distinct)
        for sf, n in c.items():
            sf = sf.lower()
            low[sf] = low.get(sf, 0) + n
    _LOWERED[:] = [(counts, out)]
    return out


def _wrong_lemma(lemma: str, surfaces: Counter, language: str) -> bool:
    top = _most_used(surfaces)
    if top == lemma or not top.isalpha() or len(top) < 4 or top.startswith(lemma) or _syncope_base(top, {lemma}):
        return False  # "beboerne" → "beboer" is an inflection, however much more often the plural is said
    return background_zipf(lemma, language) + LEMMA_GAP <= background_zipf(top, language)


def _syncope_base(word: str, bases: set[str], max_ending: int = 4) -> str | None:
    """The lemma in ``bases`` that ``word`` inflects with the unstressed e before its last letter dropped
    ("cykel" → "cykl-er", "regel" → "regl-er"), adding at most ``max_ending`` letters."""
    for k in range(len(word) - 1, 2, -1):
        if len(word) - k > max_ending:
            break
        p = word[:k]
        stem = p[:-1] + "e" + p[-1]
        if stem[-2:] in ("el", "er", "en") and stem in bases:
            return stem
    return None


def proper_nouns(units: list[MeaningUnit], counts: dict[str, Counter] | None = None,
                 starts: Counter | None = None) -> set[str]:
    """Lemmas written with a capital letter in at least 80% of their uses: names of people and places,
    which make no theme and must not appear in a label. ``counts``: :func:`_surface_counts` of the units.

    ``starts``: how often each surface opens a sentence (:func:`sentence_starts`). A capital there says
    nothing about a name, so those uses are left out of the count, and a word used only there is no name:
    "Parkeringen var et stort emne", "Genhusningen var hård", "Duerne sad på altanerne" made parking,
    rehousing and pigeons names, and so no word of a theme, whenever the word opened every answer using it."""
    out = set()
    for l, c in (counts if counts is not None else _surface_counts(units)).items():
        if starts:
            c = {s: n - min(n, starts.get(s, 0)) for s, n in c.items()}
        upper = sum(n for s, n in c.items() if s[:1].isupper())
        total = sum(c.values())
        if total and upper >= 0.8 * total:
            out.add(l)
    return out


_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s+|[\n\r]+)[\"'»«“”„(\[–—-]*\s*([^\W\d_][\w-]*)")


def sentence_starts(units: list[MeaningUnit]) -> Counter:
    """Surface word with a capital → how often it opens a sentence (the unit's first word, or a word after
    . ! ? … : ;)."""
    out: Counter = Counter()
    for u in units:
        out.update(w for w in (m.group(1) for m in _SENTENCE_START.finditer(u.text)) if w[:1].isupper())
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
    "honning", "solcellepanel" → "solcelle"), so that units about one thing in several compounds meet. The
    first part must be a word of the corpus used on its own too and not common in the language (Zipf ≤ 4.1:
    "fjern" in "fjernvarme"/"fjernsyn" is too common to tie them; a word too rare for the background list,
    Zipf 0, is the rarest of all), and the rest a word of the language of three letters or more (Zipf ≥ 2.5,
    with or without a linking s/e), whether or not the corpus says it alone."""
    out = {}
    for w in known:
        if len(w) < 7 or not w.isalpha():
            continue
        for i in range(len(w) - 2, 3, -1):
            p = w[:i]
            if p not in known or p in stop:
                continue
            tails = [w[i:]] + ([w[i + 1:]] if w[i] in "se" else [])
            if not any(len(t) >= 3 and background_zipf(t, "da") >= 2.5 for t in tails):
                continue
            if background_zipf(p, "da") <= 4.1 and standalone.get(p, 0) >= 1:
                out[w] = p
            break
    return out


FAMILY_MARK = " +"  # "hund +": the family term of "hund" (a lemma holds no space) (:func:`_family_told`)


def _family_told(units: list[MeaningUnit], docs: list[list[str]], pairs: list[list[tuple]],
                 family: dict[str, set[str]], language: str, repair: dict[tuple[str, str], str]) -> list[list[str]]:
    """Per unit: the family heads (:mod:`condense.families`) it tells in their own compounds beside the word
    itself ("Hundeejerne … hundene", "Snerydningen … sneskovlene … sne"). Such a unit is about that thing,
    however ordinary the word, while a unit using the word alone may only mention it ("forsikringer og bil
    og hund og mad"); the unit gets the family term (head + :data:`FAMILY_MARK`), a word of its own that
    only such units share. A compound counts as written too ("hundeskov", which the lemmatiser made
    "hundesko"), and for open compounds as an adjacent pair the family lists ("dog bins"). ``repair``: the
    lemmatiser's errors (:func:`lemma_repairs`)."""
    heads_of: dict[tuple[str, str], set[str]] = {}  # (lemma, surface) → the heads the word is a compound of
    out = []
    for u, doc, prs in zip(units, docs, pairs):
        here = family.keys() & set(doc)
        if not here:  # most units use no family head at all
            out.append([])
            continue
        told = set()
        for pair in zip(u.lemmas, u.surfaces):
            heads = heads_of.get(pair)
            if heads is None:
                low, sl = pair[0].lower(), pair[1].lower()
                # an inflection of the head ("bilerne", lemma "bil") is the word itself, not a compound of it
                heads = heads_of[pair] = ((_compound_heads_of(low, family, language)
                                           | _compound_heads_of(sl, family, language)) - {low, repair.get((low, sl), low)})
            told |= heads
        told |= {a for a, b, *_ in prs if a in family and f"{a} {b}" in family[a]}
        out.append(sorted(told & here))
    return out


def _compound_heads_of(word: str, family: dict[str, set[str]], language: str) -> set[str]:
    """The family heads ``word`` is a closed compound of (:func:`condense.families.is_compound_of`)."""
    return {word[:i] for i in range(2, len(word)) if word[:i] in family
            and (word in family[word[:i]] or is_compound_of(word, word[:i], language, background_zipf))}


@dataclass
class _Tokens:
    """The documents as arrays: each distinct (document, word) once, with its count."""

    vocabulary: list[str]  # word ids → words, in first-seen order
    rows: np.ndarray  # document of each distinct (document, word)
    ids: np.ndarray  # word id of each
    counts: np.ndarray  # uses of the word in the document
    df: np.ndarray  # per word id: documents using it
    spread: np.ndarray  # per word id: interviews using it


def _tokens(units: list[MeaningUnit], docs: list[list[str]]) -> _Tokens:
    """Per word: the documents and interviews using it, counted with arrays (one dictionary look-up a token)."""
    vocabulary: dict[str, int] = {}
    ids = np.fromiter((vocabulary.setdefault(w, len(vocabulary)) for d in docs for w in d), dtype=np.int64)
    lens = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    v = max(len(vocabulary), 1)
    keys, counts = np.unique(np.repeat(np.arange(len(docs), dtype=np.int64), lens) * v + ids, return_counts=True)
    rows, word = keys // v, keys % v
    names = {t: i for i, t in enumerate(sorted({u.transcript for u in units}))}
    interview = np.fromiter((names[u.transcript] for u in units), dtype=np.int64, count=len(units))
    spread = np.bincount(np.unique(interview[rows] * v + word) % v, minlength=len(vocabulary))
    return _Tokens(list(vocabulary), rows, word, counts, np.bincount(word, minlength=len(vocabulary)), spread)


class TermSpace:
    """Units as rows of content-word weights: sublinear TF × IDF × background rarity, rows L2-normalised.

    ``min_units``/``min_interviews``: a word must occur in this many units and interviews to be a column;
    ``family_terms``: add the family term of a word a unit tells in its own compounds (:func:`_family_told`);
    ``sentence_starts``: a capital opening a sentence is no sign of a name (:func:`proper_nouns`).
    """

    def __init__(self, language: str = "da", *, min_units: int = 2, min_interviews: int = 2, max_df: float = 0.25,
                 display: dict[str, str] | None = None, common: set[str] | frozenset[str] = frozenset(),
                 family_terms: bool = True, sentence_starts: bool = False):
        self.language = language
        self.sentence_starts = sentence_starts  # a capital that opens a sentence is no sign of a name
        self.family_terms = family_terms
        self.common = common  # words the whole corpus uses (:func:`corpus_common`): no column
        self.repair: dict[tuple[str, str], str] = {}
        self.min_units = min_units
        self.min_interviews = min_interviews
        self.max_df = max_df
        self.display = display or {}
        self.words: list[str] = []
        self.docs: list[list[str]] = []
        self.pairs: list[list[tuple[str, str, str, str]]] = []
        self.weights: np.ndarray | None = None
        self.rarity: np.ndarray | None = None
        self.family_heads: set[str] = set()  # words used on their own and in compounds in the same units

    def fit_transform(self, units: list[MeaningUnit]):
        self._documents(units)
        tokens = _tokens(units, self.docs)
        column = self._columns(units, tokens)  # word id → column, −1 for none
        self.words = [tokens.vocabulary[k] for k in np.flatnonzero(column >= 0)[np.argsort(column[column >= 0])]]
        n = max(len(units), 1)
        df = np.zeros(len(self.words))
        df[column[column >= 0]] = tokens.df[column >= 0]
        idf = np.log((1 + n) / (1 + df)) + 1
        self.rarity = np.array([rarity(max(background_zipf(w, self.language),
                                           background_zipf(self.display.get(w, w), self.language))) for w in self.words])
        # a family head (:mod:`condense.families`) is what its units are about: it weighs as an uncommon word
        family = np.array([w in self.family_heads for w in self.words], dtype=bool)
        if family.any():
            self.rarity[family] = np.maximum(self.rarity[family], SINGLE_WORD_RARITY)
        told = np.array([w.endswith(FAMILY_MARK) for w in self.words], dtype=bool)
        self.rarity[told] = 1.0
        self.weights = idf * self.rarity
        return self._matrix(tokens, column)

    def _documents(self, units: list[MeaningUnit]) -> None:
        """Each unit's content lemmas (+ the first part of its Danish compounds) and adjacent word pairs."""
        stop = _stop_words_cached(self.language)
        self.docs, self.pairs = [], []
        self._counts = _surface_counts(units)
        lowered = _lowered(self._counts)
        self.repair = lemma_repairs(units, self.language, self._counts, lowered)
        standalone: Counter = Counter()
        for l, c in lowered.items():
            for sf, n in c.items():
                standalone[self.repair.get((l, sf), l)] += n
        self._display_repaired(lowered)
        known = set(self.display) | set(standalone)
        head = _compound_heads(known, stop, standalone) if self.language == "da" else {}
        seen: dict = {}
        lems = []
        for u in units:
            lem, pairs = _content_pairs(u, stop, self.repair, seen)
            if self.common:
                lem = [w for w in lem if w not in self.common]
            lems.append(lem)
            self.pairs.append(pairs)
        family = families(lems, self.pairs, self.language, stop, background_zipf)
        self.family_heads = set(family)
        # the head's compounds are not tied to it: "varmepumpe" beside "varmt" in a few answers must not make
        # every heat-pump answer one about warmth (ecape's heat-pump candidate, 103 units, was lost that way)
        self.docs = [lem + [head[w] for w in lem if w in head] for lem in lems]
        if not self.family_terms:
            return
        told = _family_told(units, lems, self.pairs, family, self.language, self.repair)
        for doc, heads in zip(self.docs, told):
            doc.extend(h + FAMILY_MARK for h in heads)
        if any(told):
            self.display = dict(self.display)
            self.display.update({h + FAMILY_MARK: self.display.get(h, h) for h in family})

    def _display_repaired(self, lowered: dict[str, Counter]) -> None:
        """A repaired lemma is shown as the most frequent of all the words now under it ("cykler")."""
        targets = set(self.repair.values())
        if not targets:
            return
        counts: dict[str, Counter] = {t: Counter() for t in targets}
        for l, c in lowered.items():
            for sf, n in c.items():
                target = self.repair.get((l, sf), l)
                if target in counts:
                    counts[target][sf] += n
        self.display = dict(self.display)
        for target, c in counts.items():
            if c:
                self.display[target] = _most_used(c)

    def _columns(self, units: list[MeaningUnit], tokens: _Tokens) -> np.ndarray:
        """Word id → its column (−1: none). Columns are the words in enough units and interviews, not in too
        many units, not names, in alphabetical order."""
        n = max(len(units), 1)
        n_interviews = len({u.transcript for u in units})
        need_int = self.min_interviews if n_interviews >= self.min_interviews else 1
        need_units = self.min_units if n >= 10 else 1
        max_units = max(need_units, int(self.max_df * n)) if n >= 20 else n
        counts = getattr(self, "_counts", None)
        names = proper_nouns(units, counts)
        ok = (tokens.df >= need_units) & (tokens.df <= max_units) & (tokens.spread >= need_int)
        if self.sentence_starts:
            names = self._opening_words(units, names, {tokens.vocabulary[k] for k in np.flatnonzero(ok).tolist()}, counts)
        chosen = [k for k in np.flatnonzero(ok).tolist() if tokens.vocabulary[k] not in names]
        chosen.sort(key=tokens.vocabulary.__getitem__)
        column = np.full(len(tokens.vocabulary), -1, dtype=np.int64)
        column[chosen] = np.arange(len(chosen))
        return column

    @staticmethod
    def _opening_words(units: list[MeaningUnit], names: set[str], words: set[str],
                       counts: dict[str, Counter] | None) -> set[str]:
        """``names`` without the ``words`` that were names only for opening sentences (:func:`proper_nouns`
        with ``starts``); only the units using a capitalised form of such a word are read again."""
        counts = counts if counts is not None else _surface_counts(units)
        suspects = names & words
        capitals = {sf for l in suspects for sf in counts.get(l, ()) if sf[:1].isupper()}
        if not capitals:
            return names
        starts = sentence_starts([u for u in units if not capitals.isdisjoint(u.surfaces)])
        return names - (suspects - proper_nouns(units, {l: counts[l] for l in suspects if l in counts}, starts))

    def _matrix(self, tokens: _Tokens, column: np.ndarray):
        """Rows: sublinear TF × the word's weight, L2-normalised (CSR)."""
        from scipy import sparse

        col = column[tokens.ids]
        keep = col >= 0
        col = col[keep]
        vals = (1 + np.log(tokens.counts[keep])) * self.weights[col]
        X = sparse.csr_matrix((vals, (tokens.rows[keep], col)), shape=(len(self.docs), len(self.words)), dtype=np.float64)
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


MIN_RARITY = 0.45  # a group's words: background rarity at least this (Zipf ≤ 4.9: "hund" yes; "dog", "really" no)
SINGLE_WORD_RARITY = 0.7  # a group held by one word only: Zipf ≤ 4.05 ("fireworks", "skimmelsvamp")
BIG_LEAD_UNITS = 15  # discovery: a lead word this many of a group's units use holds it at half its uses inside


@dataclass
class Thresholds:
    """What a group must reach to be proposed (defaults measured on the sample, ecape_da and planted topics)."""

    min_size: int = 3
    min_interviews: int = 2
    min_coherence: float = 0.25  # mean NPMI of the top words over the units (−1 … 1)
    min_distinctiveness: float = 0.4  # share of the top words' uses that fall inside the group
    min_stability: float = 0.6  # mean best Jaccard with the groups re-found on subsamples
    max_share: float = 0.25  # a group may hold at most this share of the units it is drawn from
    min_single_word: float = 0.8  # a group held together by one word: that word's uses inside the group
    single_word_rarity: float = SINGLE_WORD_RARITY  # ... and that word uncommon in the language

    lead_cover: float = 0.75  # a group held by its lead word: the word is in this share of its units ...
    # ... and a word that this many of the group's units use (0: off) needs only :attr:`big_lead_share` of
    # its uses inside the group, not :attr:`min_single_word` (:meth:`lead_share_bar`)
    big_lead_units: int = 0
    big_lead_share: float = 0.5
    all_but_one: bool = False  # a lead word of four uses, three inside, passes too (:meth:`lead_share_bar`)

    def coherent(self, top: list[int], coherence: float, distinctiveness: float, rare=None,
                 lead: tuple[float, float] | None = None) -> bool:
        """Coherent top words; or one rare word ("varmepumpe", "pigeons", not "honest") whose uses fall
        (nearly) all inside the group (coherence, a measure over pairs of words, is 0 for one word).

        ``lead``: (share of the group's units using its lead word, share of that word's uses inside the group).
        A group whose lead word is in nearly all its units and nearly only there is held by that word, as a
        one-word group is: the other top words each describe a part of it ("breve", "onsdag" in a homework
        café group) and need not co-occur with each other, so their mean NPMI does not judge it
        (:meth:`held_by_lead`)."""
        if len(top) == 1:
            return (distinctiveness >= self.lead_share_bar(lead)
                    and (rare is None or rare[top[0]] >= self.single_word_rarity))
        if lead is not None and top and self.held_by_lead(lead, 1.0 if rare is None else rare[top[0]]):
            return True
        return coherence >= self.min_coherence

    def distinct(self, distinctiveness: float, top: list[int], rare, lead: tuple[float, float] | None = None) -> bool:
        """Distinct from the rest of the pool: the top words' mean in-group share reaches
        :attr:`min_distinctiveness`, or the group is held by its lead word (:meth:`held_by_lead`), whose own
        share is then what counts: 16 units about mould that also mention "værelse" or "værre" are no less
        about mould for it."""
        if distinctiveness >= self.min_distinctiveness:
            return True
        return lead is not None and bool(top) and self.held_by_lead(lead, 1.0 if rare is None else rare[top[0]])

    def held_by_lead(self, lead: tuple[float, float], rarity_of_lead: float) -> bool:
        """The lead word is in :attr:`lead_cover` of the units, :attr:`min_single_word` of its uses are inside,
        and it may anchor a group (:data:`MIN_RARITY`); the other top words are the group's second witness,
        which is why the bar on the word's rarity is the anchor's, not the higher one-word bar."""
        cover, share = lead[:2]
        return cover >= self.lead_cover and share >= self.lead_share_bar(lead) and rarity_of_lead >= MIN_RARITY

    def lead_share_bar(self, lead: tuple | None) -> float:
        """The share of the lead word's uses that must fall inside the group: :attr:`min_single_word`, or
        :attr:`big_lead_share` when :attr:`big_lead_units` of the group's own units use the word (``lead[2]``).
        A thing many answers are about is also named in passing in answers about other things, and each of
        those goes to the group of the other thing: ecape_da's solar panels are the topic of 33 answers and
        named in 31 more about heat pumps, campers or the sun (52% inside), and the bar made for a word of
        a few units lost the topic; so did electric cars, district heating, gas boilers and candles.

        With :attr:`all_but_one` (discovery), a word with one use outside the group passes too: a word of four
        uses, three inside (75%). Its fourth unit told of more things and went to the group of those ("bulky
        waste … fridges, furniture, full" to a fridge group), and a small topic was lost for one answer that
        also belongs elsewhere; from five uses on, all but one inside is 80% anyway."""
        if lead is None or len(lead) < 3:
            return self.min_single_word
        if self.big_lead_units and lead[2] >= self.big_lead_units:
            return min(self.min_single_word, self.big_lead_share)
        if self.all_but_one and lead[2] >= 3 and lead[1] > 0 and round(lead[2] / lead[1]) - lead[2] <= 1:
            return min(self.min_single_word, lead[2] / (lead[2] + 1))
        return self.min_single_word


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
    also_coded: list[str] = field(default_factory=list)  # units a codebook theme covers that use its words
    specificity: float = 1.0  # mean background rarity of its first three words (:func:`rarity`)
    focus: float = 1.0  # mean share of its units' word weight that its own words carry (:func:`focus`)
    lead_share: float = 0.0  # held by its lead word (:meth:`Thresholds.held_by_lead`): that word's uses inside, else 0


    @property
    def size(self) -> int:
        return len(self.unit_ids)


NOT_GROUPED = {"da": "ikke grupperet", "en": "not grouped"}
SHORTLIST = 40  # candidates a researcher is shown first (report, candidates.yaml); the rest stay in candidates.csv
PROPOSED = ("Kandidat: ", "Candidate: ")  # how a candidate's label starts until the researcher names the theme
CANDIDATE_COLUMNS = ["candidate", "label", "n_units", "n_interviews", "coherence", "distinctiveness", "stability",
                     "terms", "interviews", "representative_unit_ids", "unit_ids", "n_also_coded", "also_coded_unit_ids"]


@dataclass
class Discovery:
    groups: list[Group]
    n_uncovered: int
    dimension: str
    k_scores: dict[int, float] = field(default_factory=dict)
    not_grouped: list[str] = field(default_factory=list)  # unit ids of the pool in no proposed group
    language: str = "da"
    seed: int = 0
    cut: list[tuple[str, str, int]] = field(default_factory=list)  # (label, why, units) of groups not proposed
    shortlist: int = SHORTLIST  # the first this many candidates are shown (0: all); the rest are listed only

    @property
    def shown(self) -> list[Group]:
        """The candidates a researcher reads first (report, candidates.yaml): the best :attr:`shortlist` by rank
        (:func:`rank_score`). The others stay candidates, ranked below them in candidates.csv."""
        return self.groups[:self.shortlist] if self.shortlist > 0 else list(self.groups)

    @property
    def more(self) -> int:
        """How many candidates are not shown (listed in candidates.csv only)."""
        return len(self.groups) - len(self.shown)

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
                "n_also_coded": len(g.also_coded), "also_coded_unit_ids": "; ".join(g.also_coded),
            })
        if self.not_grouped:
            transcripts = sorted(_transcripts_of(self.not_grouped))
            rows.append({"candidate": "_not_grouped", "label": NOT_GROUPED.get(self.language, "not grouped"),
                         "n_units": len(self.not_grouped), "n_interviews": len(transcripts), "coherence": "",
                         "distinctiveness": "", "stability": "", "terms": "", "interviews": "; ".join(transcripts),
                         "representative_unit_ids": "", "unit_ids": "; ".join(self.not_grouped),
                         "n_also_coded": "", "also_coded_unit_ids": ""})
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


def weakly_claimed(codings: list[Coding], dimensions: list[str], language: str) -> dict[str, dict[str, set[str]]]:
    """unit id → the themes that claim it on one word only → that word (lower case, as written in the unit)."""
    out: dict[str, dict[str, set[str]]] = {}
    stop = _stop_words_cached(language)
    for c in codings:
        if c.dimension in dimensions and weak_evidence(c, language):
            unit_part = next((p[5:] for p in c.evidence.split(";") if p.strip().startswith("unit:")), "")
            words = {w.lower() for entry in unit_part.split(",") for w in entry.split() if w.lower() not in stop}
            out.setdefault(c.unit_id, {}).setdefault(c.theme, set()).update(words)
    return out


def claimed_lemmas(pool: list[MeaningUnit], claimed: dict[str, dict[str, set[str]]]) -> dict[int, dict[str, set[str]]]:
    """Pool index → the themes that claim the unit on one word (:func:`weakly_claimed`) → that word's lemma
    in the unit; read once per pool, since every group asks about its units."""
    out: dict[int, dict[str, set[str]]] = {}
    for i, u in enumerate(pool):
        claims = claimed.get(u.unit_id)
        if claims:
            lemma_of = {s.lower(): l.lower() for l, s in zip(u.lemmas, u.surfaces)}
            out[i] = {theme: {lemma_of.get(w, w) for w in words} for theme, words in claims.items()}
    return out


def _claimed(members: np.ndarray, claims: dict[int, dict[str, set[str]]], head: set[str]) -> bool:
    """True when one codebook theme claims (on one word) more than half of the group's units and that word
    is the group's lead word (``head``): the group is that theme's material ("kommunen" claimed by
    *Samarbejde med kommunen*), not a new theme. A claim on a word the group is not about ("council" in
    units about parking permits) does not count. ``claims``: :func:`claimed_lemmas` of the pool."""
    votes: Counter = Counter()
    for i in members.tolist():
        for theme, lemmas in claims.get(i, {}).items():
            if not head.isdisjoint(lemmas):
                votes[theme] += 1
    return bool(votes) and votes.most_common(1)[0][1] > 0.5 * len(members)


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
    anchors: list[int] = field(default_factory=list)  # the words that gathered the group (:func:`_anchor_group`)


def _npmi_pair(co: float, da: float, db: float, n: int) -> float:
    if co <= 0:
        return -1.0
    p_ab = co / n
    if p_ab >= 1.0:
        return 1.0
    return math.log(p_ab / ((da / n) * (db / n))) / -math.log(p_ab)


def find_groups(B, weights: np.ndarray, interviews: np.ndarray, *, min_size: int = 3, min_interviews: int = 2,
                min_rarity: float = MIN_RARITY, min_assoc: float = 0.3, max_anchors: int = 5000, accept=None,
                rounds: int = 3, cooccurrence=None, anchors: np.ndarray | None = None,
                leads: np.ndarray | None = None, apart: np.ndarray | None = None,
                anchor_entry: bool = False) -> list[_Raw]:
    """Word-anchored groups: each distinctive word (rare in ordinary language, used in ≥ ``min_size`` units of
    ≥ ``min_interviews`` interviews) gathers the units that use it or a word tied to it (NPMI ≥ ``min_assoc``,
    co-occurring at least twice, mostly used together with it); overlapping groups are merged, the best
    first; each unit then goes to the one group whose words it uses with the most weight; every unit in no
    group stays alone. Cost: one sparse word × word co-occurrence product, linear in the number of units
    for units of bounded length; no unit × unit distances.

    ``accept(raw) -> bool``: the quality cut. Groups it rejects are dropped and their units (and the units
    they held) are assigned again among the groups left, up to ``rounds`` times: a unit about dogs in the
    stairwell joins the dog group when a failed stairwell group no longer holds it.

    ``B``: binary unit × word matrix (CSR); ``weights``: a word's rarity weight; ``interviews``: the interview
    index of each unit; ``anchors``: when given, a boolean mask of the only words that may anchor a group;
    ``apart``: a boolean mask of words whose groups are never merged into another (family terms,
    :func:`_family_told`); ``anchor_entry`` (discovery): a word that gathered a group lets a unit in as its lead
    word does, when no commoner than the lead (:func:`_entry_words`).
    """
    from scipy import sparse

    chosen = word_groups(B, weights, interviews, min_size=min_size, min_interviews=min_interviews,
                         min_rarity=min_rarity, min_assoc=min_assoc, max_anchors=max_anchors, cooccurrence=cooccurrence,
                         anchors=anchors, apart=apart)
    if not chosen:
        return []
    if leads is not None:
        _family_first(chosen, leads)
    Bc = sparse.csc_matrix(B)
    rare = np.asarray(weights)
    for _ in range(max(1, rounds)):
        best = _best_group(chosen, B, Bc, rare, leads, anchor_entry)
        raws = [_Raw(m, ch.top) for m, ch in zip(_members_of(best, len(chosen)), chosen)]
        ok = [len(r.members) > 0 and (accept is None or bool(accept(r))) for r in raws]
        if accept is None or all(ok) or _ == max(1, rounds) - 1:
            return [r for r, good in zip(raws, ok) if good]
        # drop the groups that failed with enough units, unless they pass with every unit their words hold
        # (they failed because a failing neighbour took units); one left too small may win units back
        chosen = [ch for ch, r, good in zip(chosen, raws, ok)
                  if good or len(r.members) < min_size or bool(accept(_Raw(ch.members, ch.top)))]
    return []


def _family_first(chosen: list[_Raw], leads: np.ndarray) -> None:
    """A group holding a family head (:mod:`condense.families`) is led by it: a word used on its own and in its
    compounds in the same answers is what they are about, while the rarer word that anchored the group may be
    only half about it ("sti" beside "sne … snerydningen": two of its four units are about a path by a lake,
    and as the lead word each of them joined the snow group on "sti" alone)."""
    for c in chosen:
        heads = [j for j in c.top if leads[j]]
        if heads and heads[0] != c.top[0]:
            c.top = heads + [j for j in c.top if not leads[j]]


def _members_of(best: np.ndarray, k: int) -> list[np.ndarray]:
    """For each of ``k`` groups, the (sorted) rows whose ``best`` is that group; one sort, not a scan a group."""
    order = np.argsort(best, kind="stable")
    bounds = np.searchsorted(best[order], np.arange(k + 1))
    return [order[bounds[i]:bounds[i + 1]] for i in range(k)]


def word_groups(B, weights: np.ndarray, interviews: np.ndarray, *, min_size: int = 3, min_interviews: int = 2,
                min_rarity: float = MIN_RARITY, min_assoc: float = 0.3, max_anchors: int = 5000,
                cooccurrence=None, anchors: np.ndarray | None = None, apart: np.ndarray | None = None) -> list[_Raw]:
    """The anchored, merged groups of :func:`find_groups` before units are assigned (they may overlap).
    ``cooccurrence``: :func:`cooccurrence` of ``B``, when already computed."""
    from scipy import sparse

    n, v = B.shape
    if n < min_size or v == 0:
        return []
    Bc = sparse.csc_matrix(B)
    df = np.asarray(Bc.sum(axis=0)).ravel()
    rare = np.asarray(weights)
    allowed = anchors
    anchors = [j for j in _anchor_words(Bc, df, rare, interviews, min_size, min_interviews, min_rarity)
               if allowed is None or allowed[j]][:max_anchors]
    if not anchors:
        return []
    Bc.sort_indices()
    C = cooccurrence if cooccurrence is not None else word_cooccurrence(Bc)
    groups = [_anchor_group(a, C, Bc, df, rare, n, min_rarity, min_assoc, apart) for a in anchors]
    # best first: many units, held together by rare words; an overlapping later group joins or is dropped
    groups.sort(key=lambda g: (-len(g.members) * float(rare[g.top].sum()) / len(g.top), g.top))
    return _merge_overlapping(groups, n, apart)


def word_cooccurrence(Bc):
    """Word × word: the number of units using both (CSR, no diagonal), from a binary unit × word matrix."""
    C = (Bc.T @ Bc).tocsr()
    C.setdiag(0)
    C.eliminate_zeros()
    C.sort_indices()
    return C


def _anchor_words(Bc, df: np.ndarray, rare: np.ndarray, interviews: np.ndarray, min_size: int, min_interviews: int,
                  min_rarity: float) -> list[int]:
    """Words that may anchor a group, most promising first: rare in the language, used in enough units and
    interviews."""
    from scipy import sparse

    n = Bc.shape[0]
    n_int = int(interviews.max()) + 1 if len(interviews) else 1
    owner = sparse.csr_matrix((np.ones(n), (np.arange(n), interviews)), shape=(n, n_int))
    spread = np.asarray(((Bc.T @ owner) > 0).sum(axis=1)).ravel()
    return [int(j) for j in np.argsort(-(np.sqrt(df) * rare), kind="stable")
            if df[j] >= min_size and spread[j] >= min_interviews and rare[j] >= min_rarity]


def _anchor_group(a: int, C, Bc, df: np.ndarray, rare: np.ndarray, n: int, min_rarity: float, min_assoc: float,
                  apart: np.ndarray | None = None) -> _Raw:
    """The units using anchor word ``a`` or a word tied to it; an ``apart`` word is tied to none."""
    lo, hi = C.indptr[a], C.indptr[a + 1]
    idx, co = C.indices[lo:hi], C.data[lo:hi]
    # b is tied to a: mostly used with it, and not a word a merely borrows now and then
    keep = (co >= 2) & (rare[idx] >= min_rarity) & (co >= 0.5 * df[idx]) & (co >= 0.25 * df[a])
    if apart is not None:
        keep &= ~apart[idx]
    core = [a] + [int(b) for b, c in zip(idx[keep], co[keep]) if _npmi_pair(c, df[a], df[b], n) >= min_assoc]
    if len(core) == 1:  # the anchor's own units (a CSC column's row indices are sorted and unique)
        members = Bc.indices[Bc.indptr[a]:Bc.indptr[a + 1]].copy()
    else:
        members = np.unique(np.concatenate([Bc.indices[Bc.indptr[j]:Bc.indptr[j + 1]] for j in core]))
    return _Raw(members, sorted(core, key=lambda j: (-df[j] * rare[j], j)), [a])


def _merge_overlapping(groups: list[_Raw], n: int, apart: np.ndarray | None = None) -> list[_Raw]:
    """Groups in order; a later group that mostly repeats a chosen one (same lead word, or ≥ 80% of its units)
    joins it, otherwise it is chosen too. A group led by an ``apart`` word is always chosen on its own: the
    units telling of dogs in "hundeejerne … hundene" are a part of those mentioning "hund", and joined to
    them they were judged by every passing mention."""
    chosen: list[_Raw] = []
    owner = np.full(n, -1)  # the first chosen group of each unit
    for g in groups:
        held = owner[g.members]
        held = held[held >= 0]
        if len(held) and (apart is None or not apart[g.top[0]]):
            c_index = int(np.bincount(held).argmax())
            overlap = int((held == c_index).sum())
            c = chosen[c_index]
            if overlap >= 0.5 * len(g.members) and (g.top[0] in c.top or overlap >= 0.8 * len(g.members)):
                # the same topic, already there: its words and units join the group
                c.top += [j for j in g.top if j not in c.top]
                c.anchors += [j for j in g.anchors if j not in c.anchors]
                c.members = np.union1d(c.members, g.members)
                free = g.members[owner[g.members] < 0]
                owner[free] = c_index
                continue
        chosen.append(_Raw(g.members, list(g.top), list(g.anchors)))
        free = g.members[owner[g.members] < 0]
        owner[free] = len(chosen) - 1
    return chosen


def _best_group(chosen: list[_Raw], B, Bc, rare: np.ndarray, leads: np.ndarray | None = None,
                anchor_entry: bool = False) -> np.ndarray:
    """Each unit's group (−1: none): the one whose words it uses with the most weight. A word weighs its
    rarity × the share of its use that lies in the group ("udluftning" in a unit about mould weighs less
    for a big ventilation group than "skimmel" for the mould group); ties to the earlier (better) group. A
    unit is eligible for a group through one of its entry words (:func:`_entry_words`) or two of its words."""
    from scipy import sparse

    n, v = B.shape
    if not chosen:
        return np.full(n, -1)
    Bcsr = sparse.csr_matrix(B)
    rows = np.repeat(np.arange(len(chosen)), [len(c.top) for c in chosen])
    cols = np.fromiter((j for c in chosen for j in c.top), dtype=np.int64, count=len(rows))
    # per (group, one of its words): the word's units inside the group, from one groups × words product
    member = sparse.csr_matrix((np.ones(sum(len(c.members) for c in chosen)),
                                (np.repeat(np.arange(len(chosen)), [len(c.members) for c in chosen]),
                                 np.concatenate([c.members for c in chosen]))), shape=(len(chosen), n))
    inside = np.asarray((member @ Bcsr)[rows, cols]).ravel()
    users = np.diff(Bc.indptr)[cols]
    vals = np.where(users > 0, rare[cols] * inside / np.maximum(users, 1), 0.0)
    W = sparse.csr_matrix((vals, (rows, cols)), shape=(len(chosen), v))
    fit = (Bcsr @ W.T).tocoo()
    # one word of a group that is not its lead word is a hint, not membership ("kloak" in a unit about new
    # pipes is no unit about rats): a unit needs a word that lets it in (:func:`_entry_words`) or two of the
    # group's words
    ones = sparse.csr_matrix((np.ones(len(vals)), (rows, cols)), shape=(len(chosen), v))
    pairs = [(i, j) for i, c in enumerate(chosen) for j in _entry_words(c, rare, leads, anchor_entry)]
    lead = sparse.csr_matrix((np.ones(len(pairs)), ([i for i, _ in pairs], [j for _, j in pairs])), shape=(len(chosen), v))
    shared = (Bcsr @ ones.T).tocsr()
    shared.data = (shared.data >= 2).astype(np.float64)
    eligible = shared + (Bcsr @ lead.T).tocsr()
    eligible.data = (eligible.data > 0).astype(np.float64)
    fit = fit.tocsr().multiply(eligible).tocoo()
    fit.eliminate_zeros()
    order = np.lexsort((fit.col, -fit.data, fit.row))
    r, c = fit.row[order], fit.col[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = r[1:] != r[:-1]
    best = np.full(n, -1)
    best[r[first]] = c[first]
    return best


def _entry_words(c: _Raw, rare: np.ndarray, leads: np.ndarray | None, anchor_entry: bool = False) -> list[int]:
    """The words of group ``c`` that alone make a unit using one a member: its lead word, a family head
    (``leads``, :mod:`condense.families`), and with ``anchor_entry`` (discovery; the sub-groups of
    :mod:`condense.grouping` keep their proposals) a word that gathered the group (:attr:`_Raw.anchors`) that is
    no commoner in the language than the lead word. The lead is the word of most weight among the words tied
    together, and may be one the anchor's units use beside it ("altanerne" beside "parabolerne"); an answer
    saying only "parabolerne" was then no member, and the group, left with the answers of one interview, was
    cut (issue 13: the planted satellite dishes, `fresh3`). A commoner anchor stays a side word: it was tied
    to a rarer lead, and its answers need that lead or a second word of the group."""
    return [j for k, j in enumerate(c.top) if k == 0 or (leads is not None and leads[j])
            or (anchor_entry and j in c.anchors and rare[j] >= rare[c.top[0]])]


def _npmi(B, cols: list[int], n: int) -> float:
    """Mean NPMI over pairs of columns of a binary unit × word matrix (−1 when a pair never co-occurs)."""
    if len(cols) < 2:
        return 0.0
    sub = sparse_columns(B, cols)
    co = (sub.T @ sub).toarray()
    df = np.diag(co)
    vals = [_npmi_pair(co[a, b], df[a], df[b], n) for a in range(len(cols)) for b in range(a + 1, len(cols))]
    return float(np.mean(vals))


def _npmi_cooccurrence(C, df: np.ndarray, cols: list[int], n: int) -> float:
    """:func:`_npmi` read off a word × word co-occurrence matrix (:func:`word_cooccurrence`) and the words'
    unit counts ``df``: no columns sliced, a binary search per pair."""
    vals = []
    for i, a in enumerate(cols):
        idx = C.indices[C.indptr[a]:C.indptr[a + 1]]
        for b in cols[i + 1:]:
            k = int(np.searchsorted(idx, b))
            co = float(C.data[C.indptr[a] + k]) if k < len(idx) and idx[k] == b else 0.0
            vals.append(_npmi_pair(co, df[a], df[b], n))
    return float(np.mean(vals))


def sparse_columns(B, cols: list[int]):
    """Columns of a sparse matrix (fast from CSC; a CSR matrix is converted once per call)."""
    from scipy import sparse

    Bc = B if sparse.isspmatrix_csc(B) or getattr(B, "format", "") == "csc" else sparse.csc_matrix(B)
    return Bc[:, cols]


def _column_counts(B, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The columns the ``members`` rows of a binary CSR matrix use (ascending) and how many of the rows use
    each; no row slicing, and nothing the size of the vocabulary."""
    members = np.asarray(members, dtype=np.int64)
    starts, ends = B.indptr[members], B.indptr[members + 1]
    lens = ends - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    cols, counts = np.unique(B.indices[shift + np.arange(total)], return_counts=True)
    return cols, counts.astype(np.float64)


def _turns_using(B, members: np.ndarray, turns: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """For each of ``cols`` (ascending, columns the ``members`` rows use): the number of distinct turns
    (``turns``: each row's turn index) among the members using it. Only those columns are counted."""
    members = np.asarray(members, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    if len(cols) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = B.indptr[members]
    lens = B.indptr[members + 1] - starts
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    flat = B.indices[shift + np.arange(int(lens.sum()))].astype(np.int64)
    owner = np.repeat(turns[members], lens).astype(np.int64)
    keep = np.isin(flat, cols)
    v = int(B.shape[1]) or 1
    pairs = np.unique(owner[keep] * v + flat[keep])  # each (turn, word) once
    used, per = np.unique(pairs % v, return_counts=True)
    return per[np.searchsorted(used, cols)]


def describe_group(members: np.ndarray, B, counts_all: np.ndarray, rare: np.ndarray, n_terms: int,
              min_rarity: float = MIN_RARITY, words: list[str] | None = None, Bc=None, C=None, turns=None
                   ) -> tuple[list[int], float, float, list[int], tuple[float, float]]:
    """Top words of a group (in-group frequency × share of the word's uses in the group, among words that are
    not common in the language), their coherence (mean NPMI), distinctiveness (mean in-group share), and the
    head words these are measured on: the first five, where a compound and its own first part ("campingvogn",
    "camping") count once, since they co-occur by construction and say nothing about coherence; last, the
    lead word's cover (share of the group's units using it) and share (of its uses inside the group).

    ``turns``: the turn index of each row; a word of one turn, however many units that turn was cut into, is
    one speaker's passing word ("100 indere forurener" in two units of one answer), not a word of the group."""
    cols, inside = _column_counts(B, members)  # only the group's own words are looked at
    share = inside / np.maximum(counts_all[cols], 1)
    score = (inside / max(len(members), 1)) * share * (rare[cols] >= min_rarity)
    need = max(2, math.ceil(0.1 * len(members)))  # a word of one unit describes that unit, not the group
    ok = (inside >= need) & (score > 0)
    if turns is not None and ok.any() and len(np.unique(turns[members])) < len(members):  # two units of one turn
        ok[ok] = _turns_using(B, members, turns, cols[ok]) >= 2
    cand = np.flatnonzero(ok)
    order = [int(j) for j in cols[cand[np.argsort(-score[cand], kind="stable")][:n_terms]]]
    head = _independent(order, words)[:5] if words is not None else order[:5]
    n = B.shape[0]
    if len(head) < 2:
        coherence = 0.0
    elif C is not None:  # ``C``: :func:`word_cooccurrence` of ``B``, when at hand
        coherence = _npmi_cooccurrence(C, counts_all, head, n)
    else:
        coherence = _npmi(B if Bc is None else Bc, head, n)
    at = np.searchsorted(cols, head)  # the head words' places among the group's words
    distinct = float(np.mean(share[at])) if head else 0.0
    lead = ((float(inside[at[0]]) / max(len(members), 1), float(share[at[0]]), int(inside[at[0]])) if head
            else (0.0, 0.0, 0))
    return order, coherence, distinct, head, lead


def _independent(order: list[int], words: list[str]) -> list[int]:
    """The words of ``order`` that are not a compound of, or the first part of, an earlier one."""
    out: list[int] = []
    for j in order:
        w = words[j]
        if not any(len(min(w, words[k], key=len)) >= 3 and (w.startswith(words[k]) or words[k].startswith(w))
                   for k in out):
            out.append(j)
    return out


LABEL_TOGETHER = 1 / 3  # a label word after the first is in this share of the units holding the first


def label_group(members: np.ndarray, top: list[int], words: list[str], pairs, display: dict[str, str], language: str,
           pool_pairs: Counter, common: set[str] | frozenset[str] = frozenset(), B=None, interviews=None) -> str:
    """Label: a frequent two-word phrase of the group when there is one, then its top words (display forms).

    Every word of a label is distinctive: no stop word, and no word the whole corpus is about
    (``common``, see :func:`corpus_common`); "" when no such word is left (the group is then no idea).
    The words must read as one idea: with ``B`` (the unit × word matrix of the rows ``members`` index), a
    word after the first is used in at least :data:`LABEL_TOGETHER` of the units that use the first word
    (or phrase): two top words of a group held by its lead word may each come from two units that have
    nothing else in common ("presset, orden", where "orden" is in 2 of 18 units). A form of a word already
    shown is not shown again ("forsikringer, forsikret, sanitetsforsikring": :func:`same_word`).
    ``interviews``: the interview of each row, for the phrase (:func:`_label_phrase`)."""
    held = None if B is None else [frozenset(B.indices[B.indptr[i]:B.indptr[i + 1]].tolist()) for i in members.tolist()]
    parts, used, anchor = _phrase_part(members, {words[j] for j in top[:5]}, pairs, pool_pairs, interviews, language,
                                       common, held)
    for j in top:
        w = words[j]
        if len(parts) >= 3:
            break
        if not _may_show(w, display, language, common, parts, used):
            continue
        if anchor is not None and sum(j in h for h in anchor) < LABEL_TOGETHER * len(anchor):
            continue  # not used with the label's first word: another idea, or none
        parts.append(display.get(w, w))
        used.append(w)
        if anchor is None and held is not None:
            anchor = [h for h in held if j in h]
    return ", ".join(parts)


def _phrase_part(members: np.ndarray, head: set[str], pairs, pool_pairs: Counter, interviews, language: str,
                 common, held) -> tuple[list[str], list[str], list[frozenset] | None]:
    """A label's lead phrase (:func:`_label_phrase`), when it is distinctive: its text, its lemmas and the
    word sets of the units saying it (None without ``held``); nothing of the three when there is none."""
    phrase = _label_phrase(members, head, pairs, pool_pairs, interviews)
    if not phrase or is_stop(phrase[1], language) or common & set(phrase[0]):
        return [], [], None
    anchor = None if held is None else [h for h, i in zip(held, members.tolist())
                                        if any(p[:2] == phrase[0] for p in pairs[i])]
    return [phrase[1]], list(phrase[0]), anchor


def _may_show(w: str, display: dict[str, str], language: str, common, parts: list[str], used: list[str]) -> bool:
    """A word may join a label: distinctive (no stop word, not what the corpus is about) and no form of a word
    the label already shows."""
    shown = display.get(w, w)
    return not (w in common or is_stop(shown, language) or shown in parts or any(same_word(w, u) for u in used))


def same_word(a: str, b: str) -> bool:
    """Two lemmas that are forms of one word, shown once in a label: one is the last part (the head) of the
    other ("forsikring", "sanitetsforsikring"), or they differ only in an ending the lemmatiser left (a shared
    first part of five letters or more, after which the shorter goes on for one letter at most and the longer
    for three: "forsikre", "forsikring"; "fryser", "fryserdel"; not "regne", "regnskab", "svigerfar", "svigermor",
    nor "termo", "termostater", where the compound says what its first part does not)."""
    short, long_ = sorted((a, b), key=len)
    if a == b or (len(short) >= 4 and long_.endswith(short)):
        return True
    n = len(os.path.commonprefix([a, b]))
    return n >= 5 and len(short) - n <= 1 and len(long_) - n <= 3


COMMON_INTERVIEW_SHARE = 0.75  # a word used in this share of the interviews ...
COMMON_UNIT_SHARE = 0.05  # ... and in more than this share of all units is what the corpus is about
SPREAD_UNIT_SHARE = 0.02  # ... with eight interviews or more, already from this share of the units
SPREAD_MIN_INTERVIEWS = 8


def corpus_common(units: list[MeaningUnit], language: str, lemmas: dict[str, list[str]] | None = None) -> set[str]:
    """Lemmas the whole corpus is about, which cannot name or hold a group of it: used in three quarters of
    the interviews and in more than 5% of all units (2% with eight interviews or more): "beboerne" in
    interviews with housing staff, "varme" in interviews about the energy crisis. A topic of some
    interviews only is never one, however often it is talked about there. Measured by document frequency
    over interviews and units; the thresholds are :data:`COMMON_INTERVIEW_SHARE`,
    :data:`COMMON_UNIT_SHARE`, :data:`SPREAD_UNIT_SHARE`, :data:`SPREAD_MIN_INTERVIEWS`."""
    rows = [lemmas[u.unit_id] for u in units] if lemmas is not None else corpus_words(units, language)[1]
    tokens = _tokens(units, rows)  # per word: units and interviews using it
    n, n_int = len(units), len({u.transcript for u in units})
    share = SPREAD_UNIT_SHARE if n_int >= SPREAD_MIN_INTERVIEWS else COMMON_UNIT_SHARE
    many = tokens.df > share * n if share == COMMON_UNIT_SHARE else tokens.df >= share * n
    return {tokens.vocabulary[k] for k in np.flatnonzero(many & (tokens.spread >= COMMON_INTERVIEW_SHARE * n_int))}


def _label_phrase(members: np.ndarray, head: set[str], pairs, pool_pairs: Counter,
                  interviews=None) -> tuple[tuple[str, str], str] | None:
    """The group's most frequent two-word phrase with one of its ``head`` words, used in ≥ 20% of its units
    and mostly inside the group: (lemma pair, its most frequent surface text); None when there is none.

    With ``interviews`` (the interview of each row), the phrase must be said in two interviews or more: two
    words side by side in one speaker's answer ("en fryserdel forneden" twice in one interview, "lave mad
    klokken 4" in three units of one turn) are how that speaker put it, not a phrase of the group."""
    inside: Counter = Counter()
    surface: dict[tuple[str, str], Counter] = {}
    said: dict[tuple[str, str], set] = {}
    for i in members:
        seen = set()
        for a, b, sa, sb in pairs[i]:
            if (a in head or b in head) and (a, b) not in seen:
                seen.add((a, b))
                inside[(a, b)] += 1
                surface.setdefault((a, b), Counter())[f"{sa} {sb}"] += 1
                if interviews is not None:
                    said.setdefault((a, b), set()).add(interviews[int(i)])
    need = max(2, math.ceil(0.2 * len(members)))
    # a group of one interview may still have a phrase; any other needs it said in two
    voices = 0 if interviews is None else min(2, len({interviews[int(i)] for i in members}))
    phrases = [(c, p) for p, c in inside.items() if c >= need and c >= 0.6 * pool_pairs.get(p, c)
               and len(said.get(p, ())) >= voices]
    if not phrases:
        return None
    _, p = min(phrases, key=lambda x: (-x[0], x[1]))
    return p, _most_used(surface[p])


EMERGENT_KEYS = {"dimensions": "a list of dimension ids", "n_groups": "a whole number", "max_groups": "a whole number",
                 "min_groups": "a whole number", "random_state": "a whole number", "min_size": "a whole number",
                 "min_interviews": "a whole number", "resamples": "a whole number", "shortlist": "a whole number",
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


@dataclass
class _Space:
    """The pool of uncovered units in the representation, with what grouping and labelling need."""

    X: object  # unit × word weights (CSR)
    B: object  # binary unit × word (CSR)
    Bc: object  # the same, CSC (column access)
    C: object  # word × word co-occurrence (units using both)
    words: list[str]
    counts: np.ndarray  # units per word in the pool
    rare: np.ndarray  # background rarity per word
    pairs: list  # adjacent content-word pairs per unit
    pool_pairs: Counter  # units per pair in the pool
    interviews: np.ndarray  # interview index per unit
    display: dict[str, str]
    common: set[str]  # words the whole corpus is about
    names: list[str] = field(default_factory=list)  # the interviews, by their index in ``interviews``
    index: dict[str, int] | None = None  # word → its column, made when first asked for
    family: np.ndarray | None = None  # per column: a family head (:mod:`condense.families`), a lead word anywhere
    turns: np.ndarray | None = None  # turn index per unit (the units of one answer share it)
    repair: dict = field(default_factory=dict)  # the lemmatiser's errors (:func:`lemma_repairs`)


class EmergentThemes:
    """Emergent themes as an estimator (``fit`` on a project's units and codings, then ``get_theme_info``).

    ``EmergentThemes(random_state=0).fit(units, codings, codebook).get_theme_info()`` gives one row per
    candidate theme (``theme`` 0, 1, …) and a last row ``theme = -1`` for the units in no candidate
    (never a theme). :func:`discover` is this object's ``fit(...).discovery_``. Thresholds: :class:`Thresholds`.
    """

    def __init__(self, *, dimensions: list[str] | None = None, n_groups: int | None = None,
                 max_groups: int | None = None, min_size: int = 3, min_interviews: int = 2,
                 min_coherence: float | None = None, min_distinctiveness: float | None = None, n_terms: int = 8,
                 min_content: int = 3, random_state: int = 0, resamples: int = 3,
                 representation: Representation | None = None, shortlist: int = SHORTLIST):
        self.dimensions = dimensions
        self.shortlist = shortlist
        self.cap = n_groups or max_groups  # at most this many candidates, the largest; an explicit number wins
        self.thresholds = Thresholds(min_size=min_size, min_interviews=min_interviews, big_lead_units=BIG_LEAD_UNITS,
                                     all_but_one=True)
        if min_coherence is not None:
            self.thresholds.min_coherence = min_coherence
        if min_distinctiveness is not None:
            self.thresholds.min_distinctiveness = min_distinctiveness
        self.n_terms = n_terms
        self.min_content = min_content
        self.random_state = random_state
        self.resamples = resamples
        self.representation = representation
        self.discovery_: Discovery | None = None
        self.cut_: list[tuple[str, str, int]] = []

    # -- fitting ---------------------------------------------------------------------------------

    def fit(self, units: list[MeaningUnit], codings: list[Coding], codebook: Codebook) -> "EmergentThemes":
        """Group the units no emergent theme covers into candidate themes; the rest is left not grouped."""
        language = codebook.language
        dims = self.dimensions or codebook.emergent_dimensions() or [codebook.dimensions[-1].id]
        lemmas = dict(zip((u.unit_id for u in units), corpus_words(units, language)[1]))
        pool = sorted(uncovered_units(units, codings, dims, language), key=lambda u: u.unit_id)
        # short answers ("Nej, det må du gerne.") carry no theme of their own
        pool = [u for u in pool if len(lemmas[u.unit_id]) >= self.min_content]
        discovery = Discovery([], len(pool), dims[0], language=language, seed=self.random_state,
                              shortlist=self.shortlist)
        discovery.not_grouped = [u.unit_id for u in pool]
        self.discovery_ = discovery
        th = self.thresholds
        if len(pool) < max(th.min_size * 2, 6):
            return self
        space = self._space(units, pool, language, lemmas)
        if space is None:
            return self
        groups = self._groups(space, pool, claimed_lemmas(pool, weakly_claimed(codings, dims, language)), language)
        _stability(groups, space.B, space.rare, space.interviews, pool, th, self.random_state, self.resamples,
                   anchors=_word_mask(space.words, groups), apart=_told_mask(space.words))
        discovery.groups = self._ranked(groups, language)
        discovery.cut = list(self.cut_)
        grouped = {uid for g in discovery.groups for uid in g.unit_ids}
        discovery.not_grouped = [u.unit_id for u in pool if u.unit_id not in grouped]
        in_pool = {u.unit_id for u in pool}
        covered = [u for u in units if u.unit_id not in in_pool and len(lemmas[u.unit_id]) >= self.min_content]
        also_coded(discovery.groups, covered, lemmas, space.repair)
        return self

    def _groups(self, space: _Space, pool: list[MeaningUnit], claimed: dict, language: str) -> list[Group]:
        """The groups that pass the quality cut, each judged once per membership."""
        th = self.thresholds
        made: dict = {}

        def accept(r: _Raw) -> bool:  # a group left as it was in the last round is not judged again
            key = (r.members.tobytes(), tuple(r.top))
            if key not in made:
                made[key] = self._candidate(r, space, pool, claimed, language)
            return made[key] is not None

        raws = find_groups(space.B, space.rare, space.interviews, min_size=th.min_size, min_interviews=th.min_interviews,
                           accept=accept, cooccurrence=space.C, leads=space.family, apart=_told_mask(space.words),
                           anchor_entry=True)
        groups = [made[(r.members.tobytes(), tuple(r.top))] for r in raws]
        for g, r in zip(groups, raws):  # labelled and listed once, when the group is final
            g.unit_ids = sorted(pool[i].unit_id for i in r.members)
            g.label = label_group(r.members, _columns_of(space, g.lemmas), space.words, space.pairs, space.display, language, space.pool_pairs,
                                  space.common, space.B, space.interviews)
            g.representatives = _central(space.X, r.members, pool)[:3]
            g.focus = focus(space.X, r.members, _columns_of(space, g.lemmas))
        cut = [_one_ordinary_word(g, r.members, space, language) for g, r in zip(groups, raws)]
        # one pass, not ``g not in kept``: that compared every group with the kept ones field by field (a
        # dataclass's ==), quadratic in the groups (1M words: 787 groups, 309,000 comparisons)
        self.cut_ = [(g.label, "one ordinary word", g.size) for g, out in zip(groups, cut) if out]
        return [g for g, out in zip(groups, cut) if not out]

    def _ranked(self, groups: list[Group], language: str) -> list[Group]:
        """Stable enough groups, best first (:func:`rank_score`), at most ``cap``, numbered in that order."""
        groups = [g for g in groups if self.resamples <= 0 or g.stability >= self.thresholds.min_stability]
        groups.sort(key=lambda gr: (-rank_score(gr), gr.label))
        if self.cap:
            groups = groups[:self.cap]
        prefix = "kandidat" if language == "da" else "candidate"
        for n, gr in enumerate(groups, start=1):
            gr.id = f"{prefix}_{n:02d}_{slugify('_'.join(gr.terms[:2]))}"
        return groups

    def _space(self, units: list[MeaningUnit], pool: list[MeaningUnit], language: str,
               lemmas: dict[str, list[str]] | None = None) -> _Space | None:
        """The pool in the representation (None when it has no words)."""
        from scipy import sparse

        display = corpus_words(units, language)[0]
        common = corpus_common(units, language, lemmas)  # what the whole corpus is about: never a group's word
        rep = self.representation or TermSpace(language, display=display, common=common, sentence_starts=True)
        X = sparse.csr_matrix(rep.fit_transform(pool))
        display = getattr(rep, "display", None) or display  # with the lemmatiser's errors repaired
        words = rep.vocabulary or []
        if not words:
            return None
        B = (X > 0).astype(np.float64).tocsr()
        pairs = getattr(rep, "pairs", None) or [[] for _ in pool]
        pool_pairs: Counter = Counter()
        for p in pairs:
            pool_pairs.update({(a, b) for a, b, _, _ in p})
        rare = getattr(rep, "rarity", None)
        names = sorted({u.transcript for u in pool})
        index = {t: i for i, t in enumerate(names)}
        Bc = sparse.csc_matrix(B)
        return _Space(X, B, Bc, word_cooccurrence(Bc), words, np.asarray(B.sum(axis=0)).ravel(), np.ones(len(words)) if rare is None else rare,
                      pairs, pool_pairs, np.array([index[u.transcript] for u in pool]), display, common, names,
                      family=np.array([w in getattr(rep, "family_heads", ()) for w in words], dtype=bool),
                      turns=_turn_index(pool), repair=getattr(rep, "repair", {}))

    def _candidate(self, r: _Raw, space: _Space, pool: list[MeaningUnit], claimed: dict[int, dict[str, set[str]]],
                   language: str) -> Group | None:
        """The group as a candidate theme, or None when it misses a threshold or one codebook theme claims it."""
        th = self.thresholds
        where = np.unique(space.interviews[r.members])
        if len(r.members) < th.min_size or len(where) < th.min_interviews:
            return None  # the cheap tests first
        top, coherence, distinct, head, lead = describe_group(r.members, space.B, space.counts, space.rare,
                                                              self.n_terms, words=space.words, Bc=space.Bc, C=space.C,
                                                              turns=space.turns)
        if _claimed(r.members, claimed, {space.words[j] for j in top[:1]}):
            return None  # mostly units one codebook theme already names by the group's own words: that theme's
        if (not top or not th.coherent(head, coherence, distinct, space.rare, lead)
                or not th.distinct(distinct, head, space.rare, lead) or len(r.members) > th.max_share * len(pool)):
            return None
        words, display = space.words, space.display
        terms = [display.get(words[j], words[j]) for j in top]
        if not any(words[j] not in space.common and not is_stop(t, language) for j, t in zip(top, terms)):
            return None  # only words the whole corpus uses: no idea of its own (nothing to label it by)
        return Group(id="", label="", terms=list(dict.fromkeys(t for t in terms if not is_stop(t, language))),
                     unit_ids=[], transcripts=[space.names[k] for k in where],
                     representatives=[], coherence=coherence, distinctiveness=distinct,
                     lemmas=[words[j] for j in top], specificity=float(np.mean(space.rare[top[:3]])),
                     lead_share=float(lead[1]) if top and th.held_by_lead(lead, float(space.rare[head[0]])) else 0.0)

    # -- reading ---------------------------------------------------------------------------------

    @property
    def themes_(self) -> list[Group]:
        """The candidate themes found by :meth:`fit`, largest first."""
        return list(self._fitted().groups)

    def get_theme(self, theme: int | str) -> list[str]:
        """A candidate's terms (display forms, most distinctive first), by number or id."""
        groups = self._fitted().groups
        for n, g in enumerate(groups):
            if theme in (n, g.id):
                return list(g.terms)
        raise KeyError(theme)

    def get_theme_info(self):
        """One row per candidate (``theme`` 0, 1, …) and ``theme = -1`` for the units in none: count, name (id),
        label, representation (terms), representative unit ids, coherence, distinctiveness, stability."""
        import pandas as pd

        d = self._fitted()
        rows = [{"theme": n, "count": g.size, "name": g.id, "label": g.label, "representation": list(g.terms),
                 "representative_units": list(g.representatives), "n_interviews": len(g.transcripts),
                 "coherence": g.coherence, "distinctiveness": g.distinctiveness, "stability": g.stability}
                for n, g in enumerate(d.groups)]
        if d.not_grouped:
            rows.append({"theme": -1, "count": len(d.not_grouped), "name": "_not_grouped",
                         "label": NOT_GROUPED.get(d.language, "not grouped"), "representation": [],
                         "representative_units": [], "n_interviews": len(_transcripts_of(d.not_grouped)),
                         "coherence": None, "distinctiveness": None, "stability": None})
        return pd.DataFrame(rows, columns=["theme", "count", "name", "label", "representation", "representative_units",
                                           "n_interviews", "coherence", "distinctiveness", "stability"])

    def _fitted(self) -> Discovery:
        if self.discovery_ is None:
            raise RuntimeError("EmergentThemes: call fit(units, codings, codebook) first")
        return self.discovery_


def rank_score(g: Group) -> float:
    """A candidate's rank: stability × distinctiveness × (1 + coherence) × specificity × √focus ×
    log2(1 + units) × log2(1 + interviews), where a group held by its lead word (:meth:`Thresholds.held_by_lead`)
    is as distinct as that word (:attr:`Group.lead_share`, when higher): it was proposed on that word's share,
    and its other words, each telling a part of it, lowered the mean of their shares. ecape_da's heat,
    washing and cooling groups (29–88 units, mean share 0.27–0.34, their lead 0.80–0.98) ranked below
    one-word groups of four to six units ("sæk", "arvet", "nørder", "energimæssigt"), and the topics the
    corpus is about below passing words. Clear, stable and specific ideas first; among equally clear ones,
    the larger and the more widely told: four answers of three interviews about energy companies ranked
    above 22 answers of ten interviews about the energy crisis when only the units counted, and a group
    named by weekdays ("tirsdag, torsdag") is less of an idea than one named by interpreters and languages.
    ``focus`` (:func:`focus`) puts answers *about* a thing before answers that mention it in passing; its
    square root, since the corpus' own big topics are told in long answers about many things (ecape_da:
    "elpriser" has focus 0.26, and with focus itself fell from 7th to 34th below one-word groups)."""
    return (g.stability * max(g.distinctiveness, g.lead_share) * (1 + max(g.coherence, 0.0)) * g.specificity
            * math.sqrt(g.focus) * math.log2(1 + g.size) * math.log2(1 + len(g.transcripts)))


def focus(X, members: np.ndarray, cols: list[int]) -> float:
    """The mean, over a group's units, of the share of the unit's word weight (``X``: unit × word weights,
    CSR) that falls on the group's own words ``cols``. Near 1 when each unit is about the group's topic;
    low when the units are long answers about something else that drop the group's word once (ecape_da:
    0.29 for "strømforbrug", said in answers about other things; 0.57 for the laundry-room answers). Rarely used words weigh more
    in ``X``, so a unit's ordinary words dilute it little. Linear in the members' words."""
    members = np.asarray(members, dtype=np.int64)
    if len(members) == 0 or not cols:
        return 0.0
    starts = X.indptr[members]
    lens = X.indptr[members + 1] - starts
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    at = shift + np.arange(int(lens.sum()))  # the members' stored entries, row after row; no slicing
    row = np.repeat(np.arange(len(members)), lens)
    data = X.data[at]
    total = np.bincount(row, weights=data, minlength=len(members))
    own = np.bincount(row, weights=data * np.isin(X.indices[at], cols), minlength=len(members))
    return float(np.mean(own / np.maximum(total, 1e-12)))


def _central(X, members: np.ndarray, pool: list[MeaningUnit]) -> list[str]:
    """The group's unit ids, most similar to its centroid first (ties: by id)."""
    rows = X[members]
    centroid = np.asarray(rows.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid) or 1.0
    sims = np.asarray(rows @ centroid).ravel() / norm
    return [uid for _, uid in sorted(zip(-sims, [pool[i].unit_id for i in members]))]


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
    shortlist: int = SHORTLIST,  # the best this many are shown first (report, candidates.yaml); 0: all
) -> Discovery:
    """Group the units no emergent theme covers into candidate themes; the rest is reported as not grouped
    (:class:`EmergentThemes` does the work)."""
    model = EmergentThemes(dimensions=dimensions, n_groups=n_groups, max_groups=max_groups, min_size=min_size,
                           min_interviews=min_interviews, min_coherence=min_coherence,
                           min_distinctiveness=min_distinctiveness, n_terms=n_terms, min_content=min_content,
                           random_state=random_state, resamples=resamples, representation=representation,
                           shortlist=shortlist)
    return model.fit(units, codings, codebook).discovery_


def also_coded(groups: list[Group], covered: list[MeaningUnit], lemmas: dict[str, list[str]],
               repair: dict[tuple[str, str], str]) -> None:
    """Fill each candidate's :attr:`Group.also_coded`: the units a codebook theme already covers that use the
    candidate's lead word or two of its words (the rule by which an uncovered unit joins it).

    A topic the codebook does not name can run through units it codes for something else (an answer about
    a planning phase that complains about the noise). Such units are not grouped (the candidate is seeded
    and judged on the uncovered units alone, so a codebook theme's own material never makes a candidate)
    but listed beside it, so that the researcher sees "also in N coded units" and can read them.
    ``lemmas``: each unit's content lemmas; ``repair``: the lemmatiser's errors (:func:`lemma_repairs`)."""
    if not groups or not covered:
        return
    fixed = {l: t for (l, _), t in repair.items()}  # a wrong lemma moves with all its surfaces
    wanted: dict[str, list[tuple[int, bool]]] = {}
    for k, g in enumerate(groups):
        for rank, w in enumerate(g.lemmas):
            wanted.setdefault(w, []).append((k, rank == 0))
    found: list[list[str]] = [[] for _ in groups]
    for u in covered:
        hits: dict[int, list[int]] = {}
        for w in {fixed.get(l, l) for l in lemmas[u.unit_id]}:
            for k, lead in wanted.get(w, ()):
                tally = hits.setdefault(k, [0, 0])
                tally[0] += 1
                tally[1] |= lead
        for k, (n, lead) in hits.items():
            if lead or n >= 2:
                found[k].append(u.unit_id)
    for g, ids in zip(groups, found):
        g.also_coded = sorted(ids)


ORDINARY_ZIPF = 3.0  # a simple word of everyday text (Danish compounds are mostly unknown to wordfreq: 0)
WITNESS_MIN_UNITS = 6  # from this size on, a group's units are expected to share a second word
WITNESS_LIFT = 3.0  # ... used in two of its turns, at least this many times as often as in the pool


def _one_ordinary_word(g: Group, members: np.ndarray, space: _Space, language: str) -> bool:
    """True for a candidate of :data:`WITNESS_MIN_UNITS` units or more held by one word only (no second
    independent word among its top words), that word an ordinary word of the language (Zipf ≥
    :data:`ORDINARY_ZIPF`, not a family head), whose units share no other word: no content word that two
    of its turns use at least :data:`WITNESS_LIFT` times as often as the pool does. Such units have a word
    in common, not a topic: ecape's "ordner" (clothes, bills, a membrane to be fixed), "plukke", "skørt"
    (one speaker's "det er helt skørt"). A real topic of that size brings a second word along, however
    ordinary ("campingvogn": "plads", "betale"; "logge": "hjemmeside"); smaller groups are not judged, since
    three answers need not share two words."""
    if g.size < WITNESS_MIN_UNITS or not g.lemmas:
        return False
    top = _columns_of(space, g.lemmas)
    head = _independent(top, space.words)
    lead = head[0]
    if len(head) > 1 or (space.family is not None and space.family[lead]):
        return False
    if background_zipf(space.display.get(space.words[lead], space.words[lead]), language) < ORDINARY_ZIPF:
        return False
    cols, inside = _column_counts(space.B, members)
    lift = inside / np.maximum(space.counts[cols] * len(members) / max(space.B.shape[0], 1), 1e-9)
    maybe = cols[(inside >= 2) & (lift >= WITNESS_LIFT) & ~np.isin(cols, top)]  # the lead and its compounds: no witness
    if space.turns is not None and len(maybe):
        maybe = maybe[_turns_using(space.B, members, space.turns, maybe) >= 2]
    return len(maybe) == 0


def _turn_index(pool: list[MeaningUnit]) -> np.ndarray:
    """Per unit: an index shared by the units of one turn (one answer cut into several units)."""
    index: dict[tuple[str, int], int] = {}
    return np.fromiter((index.setdefault((u.transcript, u.turn), len(index)) for u in pool), dtype=np.int64,
                       count=len(pool))


def _columns_of(space: _Space, lemmas: list[str]) -> list[int]:
    """Column indices of words of the space."""
    if space.index is None:
        space.index = {w: j for j, w in enumerate(space.words)}
    return [space.index[w] for w in lemmas]


def _told_mask(words: list[str]) -> np.ndarray:
    """Boolean mask over ``words``: the family terms (:func:`_family_told`)."""
    return np.fromiter((w.endswith(FAMILY_MARK) for w in words), dtype=bool, count=len(words))


def _word_mask(words: list[str], groups: list[Group]) -> np.ndarray:
    """Boolean mask over ``words``: the lead words (lemmas) of the groups."""
    index = {w: j for j, w in enumerate(words)}
    mask = np.zeros(len(words), dtype=bool)
    mask[[index[w] for g in groups for w in g.lemmas[:1] if w in index]] = True
    return mask


def _subsample(ids: np.ndarray, seed: int, r: int, fraction: float) -> np.ndarray:
    """The rows of subsample ``r``: each unit is kept or left out by a hash of the seed, ``r`` and its own id
    (kept when the hash falls below ``fraction``), so whether a unit is in a subsample does not depend on the
    other units. Drawing 80% of the rows at random instead redrew every subsample when one unit more or less
    was uncovered, and a candidate far from that unit (a planted topic of four answers) was kept or cut by
    the draw."""
    import hashlib

    limit = int(fraction * 2 ** 64)
    keep = [int.from_bytes(hashlib.blake2b(f"{seed}:{r}:{uid}".encode(), digest_size=8).digest(), "big") < limit
            for uid in ids.tolist()]
    return np.flatnonzero(np.array(keep, dtype=bool))


EXTRA_RESAMPLES = 2  # × ``resamples``: more subsamples, drawn only for groups that none of the first could test


def _stability(groups: list[Group], B, rare, interviews, pool: list[MeaningUnit], th: Thresholds, seed: int,
               resamples: int, *, fraction: float = 0.8, anchors: np.ndarray | None = None,
               apart: np.ndarray | None = None) -> None:
    """Mean best Jaccard of each group with the groups re-found on seeded subsamples (about 80% of the units,
    each kept by a hash of its id: :func:`_subsample`; groups of one unit fewer may be re-found there). A
    subsample that keeps too few of a group's units or interviews to form it at all says nothing about its
    stability and is not counted for it (a 3-unit group in two interviews loses one of them in a fifth of the
    subsamples). A group that none of the ``resamples`` subsamples could test is tested on further ones
    (up to :data:`EXTRA_RESAMPLES` × ``resamples`` more, drawn the same way) until one can: without any, it
    scored 0 and was cut for want of evidence, not for being unstable (a planted topic of three answers, two
    of them in one interview, lost the one other answer in all three subsamples of ecape at seed 0). The
    groups already tested keep their scores, so the extra subsamples change no other group's stability.

    ``anchors``: the words that may anchor a re-found group (a boolean mask), the words of the candidates.
    A group the quality cut rejected on all the units is no theme; re-found on a subsample without that
    cut, it took units from the candidates ("boligselskabet" in a unit about mould), which measured the
    missing cut rather than the candidate's stability."""
    if not groups or resamples <= 0:
        return
    ids = np.array([u.unit_id for u in pool])
    scores: list[list[float]] = [[] for _ in groups]
    for r in range(1, resamples * (1 + EXTRA_RESAMPLES) + 1):
        todo = list(range(len(groups))) if r <= resamples else [i for i, s in enumerate(scores) if not s]
        if not todo:
            break
        rows = _subsample(ids, seed, r, fraction)
        # a group of ``min_size`` units keeps fewer in a subsample: re-finding it must not need the full size
        found = find_groups(B[rows], rare, interviews[rows], min_size=max(2, th.min_size - 1),
                            min_interviews=th.min_interviews, anchors=anchors, apart=apart, anchor_entry=True)
        _score_subsample([groups[i] for i in todo], [scores[i] for i in todo], found, ids[rows], th)
    for g, s in zip(groups, scores):
        g.stability = float(np.mean(s)) if s else 0.0


def _score_subsample(groups: list[Group], scores: list[list[float]], found: list[_Raw], kept_ids: np.ndarray,
                     th: Thresholds) -> None:
    """Append to each group's ``scores`` its best Jaccard with the groups ``found`` on one subsample (whose
    unit ids are ``kept_ids``), unless the subsample kept too little of the group to re-find it."""
    where = {}  # unit id → the re-found group it is in (groups are disjoint)
    sizes = []
    for k, m in enumerate(found):
        for uid in kept_ids[m.members].tolist():
            where[uid] = k
        sizes.append(len(m.members))
    kept = set(kept_ids.tolist())
    for g, s in zip(groups, scores):
        mine = [u for u in g.unit_ids if u in kept]
        if len(mine) < max(2, th.min_size - 1) or len(_transcripts_of(mine)) < th.min_interviews:
            continue  # the subsample left too little of the group to re-find it: no evidence either way
        hits = Counter(where[u] for u in mine if u in where)
        s.append(max((n / (len(mine) + sizes[k] - n) for k, n in hits.items()), default=0.0))


def candidates_codebook(discovery: Discovery, codebook: Codebook, units_by_id: dict[str, MeaningUnit]) -> Codebook:
    """The candidate groups as a codebook fragment (origin emergent, status candidate)."""
    try:
        source = codebook.dimension(discovery.dimension)
        dim = Dimension(id=source.id, label=source.label, multi_label=source.multi_label)
    except KeyError:
        dim = Dimension(id=discovery.dimension, label=discovery.dimension, multi_label=True)
    from .i18n import count, number
    from .privacy import quote_safe

    da = codebook.language == "da"
    for g in discovery.shown:  # the rest are in candidates.csv; ``emergent: {shortlist: N}`` shows more
        examples = [units_by_id[u].text for u in g.representatives if u in units_by_id and quote_safe(units_by_id[u])]
        c, d, s = (number(x, codebook.language, 2) for x in (g.coherence, g.distinctiveness, g.stability))
        quality = (f"Sammenhæng {c}, særpræg {d}, stabilitet {s}." if da else  # a Danish sentence's decimal comma
                   f"Coherence {c}, distinctiveness {d}, stability {s}.")
        lang = codebook.language
        coded, size, talks = (count(len(g.also_coded), "unit", lang), count(g.size, "unit", lang),
                              count(len(g.transcripts), "interview", lang))  # "1 enhed", not "1 enheder"
        also = ((f" Dens ord findes også i {coded}, som kodebogen koder (se candidates.csv)."
                 if da else f" Its words are also in {coded} the codebook codes (see candidates.csv).")
                if g.also_coded else "")
        description = (f"Foreslået af condense ud fra {size} i {talks}, som kodebogen ikke "
                       f"dækker.{also} {quality} Omdøb, skriv en beskrivelse, ret ordene – eller slet forslaget."
                       if da else
                       f"Proposed by condense from {size} in {talks} that the codebook does "
                       f"not cover.{also} {quality} Rename it, describe it, edit its terms – or delete it.")
        dim.themes.append(Theme(id=g.id, label=PROPOSED[0 if da else 1] + g.label, origin="emergent",
                                status="candidate", description=description, examples=examples, terms=list(g.terms)))
    return Codebook(id=f"{codebook.id}_candidates", label=("Kandidater til nye temaer" if da else "Candidate themes"),
                    language=codebook.language, version="1", dimensions=[dim])


def key_terms(units: list[MeaningUnit], language: str, *, by: str = "transcript", n: int = 10) -> dict[str, list[str]]:
    """Step 1 overview ("total impression"): the most distinctive words per interview and in the corpus.

    Per interview: class-based TF-IDF with each interview as a class, times background rarity.
    ``"(corpus)"``: the most frequent content words over all interviews, weighted by the number of
    interviews they occur in and by rarity. Words are shown in their most frequent surface form.
    """
    display, lemmas = corpus_words(units, language)
    groups: dict[str, Counter] = {}
    for u, lem in zip(units, lemmas):
        groups.setdefault(getattr(u, by), Counter()).update(lem)
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


def _transcripts_of(unit_ids) -> set[str]:
    """The interviews the units of ``unit_ids`` come from, by their ids (model.parse_unit_id: a transcript id may
    hold colons); coded data's ids without turn and position (``interview:0001``, condense.coded) by what stands
    before their colon, and an id without one as it is."""
    return {parts.transcript if (parts := parse_unit_id(u)) is not None else u.partition(":")[0] for u in unit_ids}
