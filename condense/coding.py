"""Deductive coding (STC step 2): every meaning unit scored against every theme of a codebook.

The :class:`Coder` works like spaCy's ``SpanRuler``: it compiles the codebook's terms, phrases and question
cues into lemma patterns (``len(coder)`` counts them) and, called on units, returns :class:`Coding` rows.

Scoring, per unit and theme (sub-themes' matches count for their theme too):

* each distinct **term** found in the unit adds ``term_weight``. A term is a single lemma: the word in any
  inflection, and also as the last part of a compound (``undersøgelse`` in ``beboerundersøgelsen``). A
  multi-word term is kept for older codebooks and means ``all_of``; a term of words joined by hyphens that the
  tokenizer cuts apart ("one-to-one") is matched as a phrase;
* each **all_of** entry (its content lemmas all in ONE sentence of the unit, in any order) adds
  ``multiword_weight``; each **phrase** (its lemmas contiguous and in order) adds ``phrase_weight``; all
  times the theme's ``weight``;
* **negation** (:mod:`condense.negation`): a word inside a negation's scope ("vi inddrog *ikke beboerne*",
  "we did *not involve residents*") matches no term, all_of or phrase, in every dimension;
* a **question cue** in the interviewer question that prompted the unit adds ``question_weight`` (once);
* **guide context**: in a guided interview the follow-ups of a phase ("var beboerne inddraget?") never
  name it, so a unit also inherits ``guide_weight`` for the theme of the last interviewer question that
  opened a section (matched that theme's cues), for up to ``guide_span`` further questions — except the
  interview's consent, introduction and closing exchanges (exchanges.py), which sit after a section
  without belonging to it;
* an **exclude term** in the unit vetoes the theme.

A dimension gets the themes scoring at least ``threshold`` (one for a single-label dimension, up to
``top_k`` for a multi-label one: the themes beyond it are named in the last kept coding's evidence,
:data:`LEFT_OUT`, and warned of, W308), then inside each the best sub-theme scoring at least
``subtheme_threshold``. A unit that matches nothing stays uncoded. Deterministic: ties go to codebook order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable

from . import negation
from .codebook import Codebook, Theme
from .errors import display_path
from .exchanges import SHORT_ANSWER, frames_answer, frames_question, invites_more, opening_end
from .model import Coding, MeaningUnit, gc_paused
from .segment import Question

__all__ = [
    "SOURCE", "MIN_COMPOUND_HEAD", "MIN_COMPOUND_MODIFIER", "CoderSettings", "Coder", "codings_frame",
    "units_coded_frame", "text_language", "check_language", "LEFT_OUT", "left_out", "warn_left_out"
]

SOURCE = "rule"
# the part of a rule coding's evidence naming the themes a multi-label dimension's ``top_k`` left out of the unit
# (the themes it also matched, scoring below the ones kept); condense.i18n.evidence writes it in Danish
LEFT_OUT = "left out (top_k: {k}): "
_LEFT_OUT = re.compile(r"left out \(top_k: (\d+)\): ([^;]*)")
MIN_COMPOUND_HEAD = 5  # a term matches as the end of a compound only when it has at least 5 letters
MIN_COMPOUND_MODIFIER = 4  # "for|tælle" is a verb, not a compound of tælle


# a term written as one word joined by hyphens ("one-to-one", "post-it"); its parts are words of their own to
# the tokenizer, so as a term of several words (all of them in one sentence, any order) it matched "One got a
# job ... one went to college" and "It was all done ... before I was even in post"
_HYPHENATED = re.compile(r"\w+(?:-\w+)+")


@dataclass(frozen=True)
class CoderSettings:
    # Measured on the sample against its reference coding (transcripts_sample/README.md): a single term of
    # the unit outweighs a question cue, which outweighs the guide section; each alone can code a unit.
    threshold: float = 0.6
    subtheme_threshold: float = 1.0
    top_k: int = 2
    term_weight: float = 1.0
    multiword_weight: float = 1.25
    phrase_weight: float = 1.25
    question_weight: float = 0.8
    guide_weight: float = 0.6
    guide_span: int = 6  # the guide's five follow-ups, plus one
    guide_dimensions: tuple[str, ...] | None = None  # None: single-label dimensions with question cues
    negation: bool = True  # words in a negation's scope match nothing (condense.negation)

    @classmethod
    def from_dict(cls, data: dict | None) -> "CoderSettings":
        data = dict(data or {})
        if "guide_dimensions" in data and data["guide_dimensions"] is not None:
            data["guide_dimensions"] = tuple(data["guide_dimensions"])
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown coding setting(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        return replace(cls(), **data)


@dataclass
class _Node:
    """A theme or sub-theme, compiled."""

    dimension: str
    theme: str  # top-level theme id
    node: str  # this node's id (== theme for a top-level theme)
    depth: int
    weight: float
    parent: int | None
    terms: list[tuple[frozenset, str]] = field(default_factory=list)  # (lemmas, as written)
    phrases: list[tuple[tuple, str]] = field(default_factory=list)
    cues: list[tuple[frozenset, str]] = field(default_factory=list)
    excludes: list[frozenset] = field(default_factory=list)


class Coder:
    """Rule coder for one codebook.

    >>> coder = Coder(load_codebook("codebooks/beboerinddragelse.da.yaml"))   # doctest: +SKIP
    >>> codings = coder(units, questions)                                      # doctest: +SKIP
    """

    def __init__(self, codebook: Codebook, settings: CoderSettings | None = None, *, nlp=None):
        from .nlp import types_for
        from .tokenizer import tokenizer_for

        self.codebook = codebook
        self.settings = settings or CoderSettings()
        self.language = codebook.language
        self._nlp = nlp  # None: condense's own tokenizer, no spaCy import (nlp.analyze_plain)
        self._types = types_for(self.language)
        self.stop = tokenizer_for("da" if self.language == "da" else "en").stop_words  # spaCy's stop words
        self.nodes: list[_Node] = []
        self.dimensions = [d.id for d in codebook.dimensions]
        self.multi_label = {d.id: d.multi_label for d in codebook.dimensions}
        self.thresholds = {d.id: (d.threshold if d.threshold is not None else self.settings.threshold) for d in codebook.dimensions}
        self.top_k = {d.id: (d.top_k if d.top_k is not None else (self.settings.top_k if d.multi_label else 1))
                      for d in codebook.dimensions}
        for dim in codebook.dimensions:
            for theme in dim.themes:
                self._add(dim.id, theme, theme.id, 0, None)
        g = self.settings.guide_dimensions
        self.guide_dimensions = set(g) if g is not None else {
            d.id for d in codebook.dimensions if not d.multi_label and any(self.nodes[i].cues for i in self._dim_nodes(d.id))}
        self._build_index()

    # ---------------------------------------------------------------- compile
    def lemmas(self, text: str) -> list[str]:
        return list(self.lemmas_and_surfaces(text)[0])

    def lemmas_and_surfaces(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        from .nlp import analyze, analyze_plain

        text = text.replace("\n", " ")
        if self._nlp is None:
            _, lemmas, texts = analyze_plain(text, self.language)
        else:
            _, lemmas, texts = analyze(self._nlp.make_doc(text), self._types)
        pairs = [(l, t) for l, t in zip(lemmas, texts) if l]
        return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)

    def _content(self, text: str) -> frozenset:
        """The lemmas a term needs: its content words; all its words when fewer than two are content words
        (so the cue "efter helhedsplanen" does not shrink to the everyday "helhedsplan")."""
        lemmas = self.lemmas(text)
        content = [l for l in lemmas if l not in self.stop]
        if len(lemmas) > 1 and len(content) < 2:
            return frozenset(lemmas)
        return frozenset(content or lemmas)

    def _add(self, dimension: str, theme: Theme, top: str, depth: int, parent: int | None) -> None:
        node = _Node(dimension, top, theme.id, depth, theme.weight, parent)
        hyphenated = []  # "one-to-one", "post-it": one word the tokenizer cuts in several, matched as a phrase
        plain = set(theme.terms)  # asked once per term: a list made a codebook of 100,000 terms quadratic
        for term in list(theme.terms) + list(theme.all_of):
            if term in plain and _HYPHENATED.fullmatch(term.strip()) and len(self.lemmas(term)) > 1:
                hyphenated.append(term)
                continue
            lem = self._content(term)
            if lem:
                node.terms.append((lem, term))
        for phrase in list(theme.phrases) + hyphenated:
            lem = tuple(self.lemmas(phrase))
            if lem:
                node.phrases.append((lem, phrase))
        for cue in theme.question_cues:
            lem = self._content(cue)
            if lem:
                node.cues.append((lem, cue))
        for ex in theme.exclude_terms:
            lem = self._content(ex)
            if lem:
                node.excludes.append(lem)
        index = len(self.nodes)
        self.nodes.append(node)
        for sub in theme.subthemes:
            self._add(dimension, sub, top, depth + 1, index)

    def _dim_nodes(self, dimension: str) -> list[int]:
        return [i for i, n in enumerate(self.nodes) if n.dimension == dimension]

    def _build_index(self) -> None:
        self.term_lemmas: set[str] = set()
        self.term_index: dict[str, list[tuple[int, int]]] = {}
        self.cue_index: dict[str, list[tuple[int, int]]] = {}
        self.exclude_index: dict[str, list[tuple[int, int]]] = {}
        self.phrase_index: dict[str, list[tuple[int, int]]] = {}
        self._phrase_sets: dict[tuple[int, int], frozenset] = {}
        for i, node in enumerate(self.nodes):
            for j, (lem, _) in enumerate(node.terms):
                for l in lem:
                    self.term_index.setdefault(l, []).append((i, j))
                    self.term_lemmas.add(l)
            for j, (lem, _) in enumerate(node.cues):
                for l in lem:
                    self.cue_index.setdefault(l, []).append((i, j))
                    self.term_lemmas.add(l)
            for j, lem in enumerate(node.excludes):
                for l in lem:
                    self.exclude_index.setdefault(l, []).append((i, j))
                    self.term_lemmas.add(l)
            for j, (lem, _) in enumerate(node.phrases):
                # keyed by the phrase's longest lemma (a rare word), so common first words ("vi") stay cheap
                self.phrase_index.setdefault(max(lem, key=len), []).append((i, j))
                self._phrase_sets[(i, j)] = frozenset(lem)
        self._build_self_negating()
        self._build_prefilter()
        self._heads: dict[str, tuple[str, ...]] = _Heads(self._heads_of)  # unit lemma -> the term lemmas it stands for
        self._cue_cache: dict[tuple, dict] = {}
        self._framing: dict[str, bool] = {}  # during a call: question text -> exchanges.frames_question
        self._cues_of: dict[tuple, dict] | None = None  # during a call: (lemmas, surfaces) -> cue matches
        self._long_terms = sorted({l for l in self.term_lemmas if len(l) >= MIN_COMPOUND_HEAD}, key=len)

    def _build_self_negating(self) -> None:
        """The terms and phrases that say a negation themselves ("der kom ikke nogen", "ingen mænd", "ikke
        inddrage"): their own cue negates the words after it, and negated words match nothing, so they never
        matched. They are looked for in the unit's words as written, negation aside (:meth:`_self_negated`)."""
        cues = negation.CUES.get(self.language, set())
        self.neg_term_index = {l: kept for l, pairs in self.term_index.items()
                               if (kept := [(i, j) for i, j in pairs if self.nodes[i].terms[j][0] & cues])}
        self.neg_phrase_index = {l: kept for l, pairs in self.phrase_index.items()
                                 if (kept := [(i, j) for i, j in pairs if self._phrase_sets[(i, j)] & cues])}

    def _build_prefilter(self) -> None:
        """What :meth:`_may_match` looks up: the lemmas that are a term or exclude pattern alone, the
        patterns of several lemmas by each of their lemmas, and the phrases' lemma sets by key lemma."""
        # each distinct phrase by its rarest-looking lemma (not on the spoken stop list, then the longest): keyed
        # by the longest, "komme med ide" stood under "komme" and 10,871 of ecape_da's units tried 163,675 phrases
        from .stopwords import stop_words

        stops = stop_words(self.language)
        self._phrase_sets_of: dict[str, list[tuple[frozenset, tuple[str, ...]]]] = {}
        for (i, j), lemset in self._phrase_sets.items():
            seq = self.nodes[i].phrases[j][0]
            key = max(sorted(lemset), key=lambda l: (l.lower() not in stops, len(l)))
            found = self._phrase_sets_of.setdefault(key, [])
            if (lemset, seq) not in found:
                found.append((lemset, seq))
        self._phrase_keys = frozenset(self._phrase_sets_of)
        patterns = [lem for node in self.nodes for lem in [t[0] for t in node.terms] + node.excludes]
        self._single = frozenset(next(iter(lem)) for lem in patterns if len(lem) == 1)
        # a pattern of several lemmas is looked up by one of them, its longest (a rare word more likely than
        # a short one; ties by spelling): all its lemmas must be present, so the others need not find it again
        # (by every lemma, ecape_da's units tried 171,000 patterns, 0.03 of 0.3 CPU s of coding)
        self._patterns_of: dict[str, list[frozenset]] = {}
        for lem in dict.fromkeys(lem for lem in patterns if len(lem) > 1):
            self._patterns_of.setdefault(max(sorted(lem), key=len), []).append(lem)

    def __len__(self) -> int:
        return sum(len(n.terms) + len(n.phrases) + len(n.cues) + len(n.excludes) for n in self.nodes)

    def heads(self, lemma: str) -> tuple[str, ...]:
        """Term lemmas a unit lemma stands for: itself, and any term it ends with (compound head)."""
        return self._heads[lemma]

    def _heads_of(self, lemma: str) -> tuple[str, ...]:
        out = [lemma] if lemma in self.term_lemmas else []
        n = len(lemma)
        for i in range(MIN_COMPOUND_MODIFIER, n - MIN_COMPOUND_HEAD + 1):
            tail = lemma[i:]
            if tail in self.term_lemmas:
                out.append(tail)
            elif tail[0] == "-" and tail[1:] in self.term_lemmas:
                out.append(tail[1:])
        return tuple(out)

    # ---------------------------------------------------------------- match
    def _present(self, lemmas: tuple[str, ...], surfaces: tuple[str, ...] | None = None) -> dict[str, str]:
        """Term lemmas present in a text → the unit lemma that carried each (first occurrence)."""
        present: dict[str, str] = {}
        cache = self._heads
        # most lemmas stand for no term (no heads: an empty tuple): those that do, in the order of their first
        # occurrence, filtered at C speed, a lemma not met before getting its heads on the way (_Heads; a set
        # intersection sorted by position searched the unit once per carrier: 5 or more carriers in 5,296 of
        # ecape_da's 13,083 units; a separate pass for unmet lemmas cost a third of this)
        for lemma in dict.fromkeys(filter(cache.__getitem__, lemmas)):
            for h in cache[lemma]:
                if h not in present:
                    present[h] = lemma
        return present

    @staticmethod
    def _surface(lemma: str, lemmas: tuple[str, ...], surfaces: tuple[str, ...]) -> str:
        try:
            return surfaces[lemmas.index(lemma)]
        except ValueError:
            return lemma

    def _matches(self, present: dict[str, str], index: dict, patterns, words, together=None) -> dict[int, list[str]]:
        """Patterns all of whose lemmas are present → node index → evidence words. ``together(lemmas)``, when
        given, must also hold for a pattern of several lemmas (they share a sentence)."""
        hits: dict[int, list[str]] = {}
        seen = set()
        keys = present.keys()
        for l in sorted(keys & index.keys()):  # sorted: set order follows string hashing
            for i, j in index[l]:
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                lem = patterns(i)[j]
                lemset = lem[0] if isinstance(lem, tuple) else lem
                if lemset <= keys and (together is None or len(lemset) < 2 or together(lemset)):
                    found = sorted({words(present[x]) for x in lemset}, key=str.lower)
                    hits.setdefault(i, []).append(" ".join(found))
        return hits

    def _phrase_hits(self, lemmas: tuple[str, ...], surfaces: tuple[str, ...], index: dict | None = None
                     ) -> dict[int, list[str]]:
        """Contiguous phrases (of ``index``, default all). Only phrases whose every lemma occurs in the unit are
        searched for."""
        hits: dict[int, list[str]] = {}
        index = self.phrase_index if index is None else index
        uset = set(lemmas)
        keys = index.keys() & uset
        if not keys:
            return hits
        for key in sorted(keys):  # sorted: set order follows string hashing
            for i, j in index[key]:
                lem = self.nodes[i].phrases[j][0]
                if not self._phrase_sets[(i, j)] <= uset:
                    continue
                m = len(lem)
                first = lem[0]
                k = lemmas.index(first)
                while True:
                    if lemmas[k:k + m] == lem:
                        text = " ".join(surfaces[k:k + m])
                        if text not in hits.get(i, []):
                            hits.setdefault(i, []).append(text)
                    try:
                        k = lemmas.index(first, k + 1)
                    except ValueError:
                        break
        return hits

    def score(self, unit: MeaningUnit, question: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
              guide: dict[str, tuple[int, str]] | None = None) -> dict[int, tuple[float, list[str]]]:
        """Score one unit: node index → (score, evidence parts)."""
        lemmas, surfaces = unit.lemmas, unit.surfaces
        present = self._present(lemmas)
        cue_hits = self._question_hits(question)
        if not self._may_match(present, lemmas):
            # Negation and sentences only take matches away: a unit none of whose term, all_of, phrase or
            # exclude patterns has all its lemmas is not scanned for cues (most units; negation was the
            # largest part of coding); nor, without question cues or a guide section, scored at all (no theme)
            if not cue_hits and not guide:
                return {}
            return self._with_guide(self._combine({}, {}, cue_hits, set()), guide, set(), cue_hits)
        flags, sentence_of = self._negation(unit.text, surfaces)
        as_written = present
        if True in flags:  # negated words match nothing
            matchable = tuple("" if f else l for l, f in zip(lemmas, flags))
            present = self._present(tuple(filter(None, matchable)))
        else:
            matchable = lemmas
        words = lambda lemma: self._surface(lemma, lemmas, surfaces)  # noqa: E731
        per_sentence: list[set[str]] = []

        def together(lemset: frozenset) -> bool:
            if not per_sentence:
                groups: dict[int, set[str]] = {}
                for l, n in zip(matchable, sentence_of()):
                    if l:
                        groups.setdefault(n, set()).update(self.heads(l) or ())
                per_sentence.extend(groups.values())
            return any(lemset <= g for g in per_sentence)

        term_hits = self._matches(present, self.term_index, lambda i: self.nodes[i].terms, words, together)
        phrase_hits = self._phrase_hits(matchable, surfaces)
        if matchable is not lemmas and (self.neg_term_index or self.neg_phrase_index):
            self._self_negated(term_hits, phrase_hits, as_written, lemmas, surfaces, words, sentence_of)
        excluded = set(self._matches(present, self.exclude_index, lambda i: [(e, "") for e in self.nodes[i].excludes], words)) \
            if self.exclude_index else set()
        return self._with_guide(self._combine(term_hits, phrase_hits, cue_hits, excluded), guide, excluded, cue_hits)

    def _self_negated(self, term_hits: dict, phrase_hits: dict, present: dict[str, str], lemmas, surfaces, words,
                      sentence_of) -> None:
        """Add the matches of the terms and phrases that say a negation themselves, read in the unit's words
        as written (``present``: :meth:`_present` of them; a negation they do not hold still takes other
        patterns' words away, above)."""
        by_sentence: dict[int, set[str]] = {}
        for l, n in zip(lemmas, sentence_of()):
            by_sentence.setdefault(n, set()).update(self.heads(l) or ())
        together = lambda lemset: any(lemset <= g for g in by_sentence.values())  # noqa: E731
        found = (self._matches(present, self.neg_term_index, lambda i: self.nodes[i].terms, words,
                               together), term_hits), (self._phrase_hits(lemmas, surfaces, self.neg_phrase_index),
                                                       phrase_hits)
        for extra, hits in found:
            for i, evidence in extra.items():
                have = hits.setdefault(i, [])
                have.extend(e for e in evidence if e not in have)

    def _with_guide(self, raw, guide, excluded, cue_hits) -> dict[int, tuple[float, list[str]]]:
        """The guide section's theme added to a unit's scores (not when excluded or cued by the question)."""
        s = self.settings
        if guide:
            for dim, (theme_index, where) in guide.items():
                if theme_index in excluded:
                    continue
                if theme_index in cue_hits:
                    continue  # the unit answers the opening question itself: counted as a question cue
                value, evidence = raw.get(theme_index, (0.0, []))
                raw[theme_index] = (value + s.guide_weight, evidence + [f"guide: {where}"])
        return raw

    def _may_match(self, present: dict[str, str], lemmas: tuple[str, ...]) -> bool:
        """Whether some term, all_of or exclude pattern has all its lemmas among the unit's, or some phrase
        stands in its lemmas contiguously and in order (before negation, regardless of sentences): when none
        does, the unit matches nothing however it is read. (A phrase's lemmas merely present, e.g. "den" and
        "blive" anywhere, sent 2,738 of ecape_da's 13,083 units through negation for no match.)"""
        keys = present.keys()
        if not self._single.isdisjoint(keys):
            return True
        patterns = self._patterns_of
        for lemma in keys & patterns.keys():
            for lemset in patterns[lemma]:
                if lemset <= keys:
                    return True
        if self._phrase_keys.isdisjoint(lemmas):
            return False
        uset = set(lemmas)
        return any(ps <= uset and _occurs(lemmas, seq)
                   for key in self._phrase_keys & uset for ps, seq in self._phrase_sets_of[key])

    def _negation(self, text: str, surfaces: tuple[str, ...]):
        """(negation flag per surface, a function giving each surface's sentence number). Without a cue
        in the text nothing is negated, and sentence numbers are worked out only if a pattern of several
        lemmas asks for them (most units never do): the same answers as :func:`negation.align`."""
        if surfaces and self.settings.negation:  # (align_lazily looks for a cue first)
            return negation.align_lazily(text, surfaces, self.language)
        return [False] * len(surfaces), lambda: negation.align(text, surfaces, self.language)[1]

    def _question_hits(self, question) -> dict[int, list[str]]:
        """node index → cue words found in the unit's interviewer question (matched once per question)."""
        if question is None or not question[0]:
            return {}
        cue_hits = self._cue_cache.get(question[0])
        if cue_hits is None:  # units of one turn share their question: match its cues once
            cue_hits = self._cue_cache[question[0]] = self._cue_matches(question)
        return cue_hits

    def _cue_matches(self, question: tuple[tuple[str, ...], tuple[str, ...]]) -> dict[int, list[str]]:
        """node index → cue words of a question (lemmas, surfaces); remembered during a call, so that the
        guide sections' pass and the units' questions match each question once."""
        known = self._cues_of
        hits = known.get(question) if known is not None else None
        if hits is None:
            present = self._present(question[0])
            hits = self._matches(present, self.cue_index, lambda i: self.nodes[i].cues,
                                 lambda lemma: self._surface(lemma, *question))
            if known is not None:
                known[question] = hits
        return hits

    def _combine(self, term_hits, phrase_hits, cue_hits, excluded) -> dict[int, tuple[float, list[str]]]:
        """node index → (score, evidence) from the unit's terms, all_of entries and phrases and its question's cues."""
        s = self.settings
        raw: dict[int, tuple[float, list[str]]] = {}
        for i in sorted(set(term_hits) | set(phrase_hits) | set(cue_hits)):
            if i in excluded:
                continue
            terms = term_hits.get(i, [])
            phrases = phrase_hits.get(i, [])
            multi = sum(1 for t in terms if " " in t)
            value = (s.term_weight * (len(terms) - multi) + s.multiword_weight * multi + s.phrase_weight * len(phrases)) * self.nodes[i].weight
            evidence = [f"unit: {', '.join(terms + phrases)}"] if terms or phrases else []
            if i in cue_hits:
                value += s.question_weight
                evidence.append(f"question: {', '.join(cue_hits[i])}")
            raw[i] = (value, evidence)
        return raw

    def code_unit(self, unit: MeaningUnit, question=None, guide=None) -> list[Coding]:
        raw = self.score(unit, question, guide)
        if not raw:
            return []
        # roll sub-theme scores up into their top-level theme
        totals: dict[int, float] = {}
        evidence: dict[int, list[str]] = {}
        top_of: dict[int, int] = {}
        for i, (value, ev) in raw.items():
            top = i
            while self.nodes[top].parent is not None:
                top = self.nodes[top].parent
            top_of[i] = top
            totals[top] = totals.get(top, 0.0) + value
            evidence.setdefault(top, []).extend(ev)
        out: list[Coding] = []
        for dim in self.dimensions:
            cands = [(totals[i], i) for i in totals if self.nodes[i].dimension == dim and totals[i] >= self.thresholds[dim] - 1e-9]
            if not cands:
                continue
            cands.sort(key=lambda x: (-x[0], x[1]))
            k = self.top_k[dim]
            for value, i in cands[:k]:
                sub = self._best_subtheme(i, raw)
                out.append(Coding(unit.unit_id, dim, self.nodes[i].theme, sub, round(value, 3),
                                  "; ".join(_merge_evidence(evidence[i])), SOURCE))
            if len(cands) > k and self.multi_label[dim]:  # never a silent loss: the last kept coding names them
                last = out[-1]
                out[-1] = replace(last, evidence=f"{last.evidence}; {LEFT_OUT.format(k=k)}"
                                  + ", ".join(self.nodes[i].theme for _, i in cands[k:]))
        return out

    def _best_subtheme(self, top: int, raw) -> str:
        best, best_value = "", 0.0
        for i, (value, _) in raw.items():
            if i == top or self.nodes[i].theme != self.nodes[top].theme or self.nodes[i].dimension != self.nodes[top].dimension:
                continue
            # the level-1 ancestor is what the tables group by; deeper matches count for it
            node = i
            while self.nodes[node].depth > 1:
                node = self.nodes[node].parent
            total = sum(v for j, (v, _) in raw.items() if j == node or self._descends(j, node))
            if total >= self.settings.subtheme_threshold and (total > best_value or (total == best_value and self.nodes[node].node < best)):
                best, best_value = self.nodes[node].node, total
        return best

    def _descends(self, i: int, ancestor: int) -> bool:
        p = self.nodes[i].parent
        while p is not None:
            if p == ancestor:
                return True
            p = self.nodes[p].parent
        return False

    def opens_section(self, question: tuple[tuple[str, ...], tuple[str, ...]]) -> dict[str, tuple[int, str]]:
        """dimension → (theme node, cue words) for each guide dimension whose theme this question names."""
        hits = self._cue_matches(question)
        out: dict[str, tuple[int, str]] = {}
        best: dict[str, tuple[int, int]] = {}
        for i, words in hits.items():
            node = self.nodes[i]
            if node.dimension not in self.guide_dimensions:
                continue
            top = i
            while self.nodes[top].parent is not None:
                top = self.nodes[top].parent
            n = len(words)
            cur = best.get(node.dimension)
            if cur is None or n > cur[1] or (n == cur[1] and top < cur[0]):
                best[node.dimension] = (top, n)
                out[node.dimension] = (top, ", ".join(words))
        return out

    def __call__(self, units: list[MeaningUnit], questions: list[Question] | None = None) -> list[Coding]:
        """Code units. ``questions`` (all interviewer turns, from segmentation) enable guide context;
        without them each unit still uses its own question text for question cues."""
        self._cue_cache: dict[tuple, dict] = {}
        self._cues_of: dict[tuple, dict] = {}
        self._framing: dict[str, bool] = {}
        try:
            with gc_paused():
                return self._code(units, questions)
        finally:
            self._cue_cache = {}
            self._cues_of = None
            self._framing = {}

    def _framed(self, unit: MeaningUnit, question, guide) -> bool:
        """exchanges.frames_interview(unit), asked only where it changes the unit's scores: when its question
        cues a theme or it falls in a guide section (else neither question nor guide adds anything)."""
        if not guide and not self._question_hits(question):
            return False
        return self._frames_question(unit.question) or frames_answer(unit.text, self.language)

    def _says_nothing(self, unit: MeaningUnit) -> bool:
        """A short reply (at most SHORT_ANSWER words) to a consent, introduction or closing question that invites
        nothing more ("Må jeg skrive til dig?" – "Ja, min mail er den samme."): it is not coded at all. Asked
        only of a unit the coder would code (its length first): judging every unit's question by the
        framing regex was a quarter of coding ecape_da."""
        if not unit.question or len(unit.text.split()) > SHORT_ANSWER:
            return False
        return self._frames_question(unit.question) and not invites_more(unit.question, self.language)

    def _frames_question(self, text: str) -> bool:
        """exchanges.frames_question, once per question text during a call: the guide sections' pass and
        every unit answering the question ask (its case-blind regex was a third of coding ecape_da)."""
        known = self._framing
        framed = known.get(text)
        if framed is None:
            framed = known[text] = frames_question(text, self.language)
        return framed

    def _code(self, units: list[MeaningUnit], questions: list[Question] | None) -> list[Coding]:
        by_turn: dict[tuple[str, int], Question] = {}
        per_transcript: dict[str, list[Question]] = {}
        for q in questions or []:
            by_turn[(q.transcript, q.turn)] = q
            per_transcript.setdefault(q.transcript, []).append(q)
        sections: dict[tuple[str, int], dict] = {}
        if questions and self.guide_dimensions:
            for transcript, qs in per_transcript.items():
                self._sections(transcript, qs, sections)
        opening = {t: end for t, qs in per_transcript.items()
                   if (end := opening_end(sorted(qs, key=lambda q: q.turn), self.language)) is not None}
        out: list[Coding] = []
        lemma_cache: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for unit in units:
            if opening and unit.turn < opening.get(unit.transcript, -1):
                continue  # the call's opening, before leave to record is asked: greetings, not answers
            question = None
            guide = None
            key = (unit.transcript, unit.question_turn)
            q = by_turn.get(key) if unit.question_turn is not None else None
            if q is not None:
                question = (q.lemmas, q.surfaces)
                guide = sections.get(key)
            elif unit.question:
                if unit.question not in lemma_cache:
                    lemma_cache[unit.question] = self.lemmas_and_surfaces(unit.question)
                question = lemma_cache[unit.question]
            if question is not None and self._framed(unit, question, guide):
                question = guide = None  # consent, introduction, closing: framed by the guide, not part of it
            codings = self.code_unit(unit, question, guide)
            if codings and self._says_nothing(unit):
                continue  # "Gerne, min mail er den samme.": a short reply to a consent or closing question says nothing
            out.extend(codings)
        return out

    def _sections(self, transcript: str, qs: list[Question], sections: dict[tuple[str, int], dict]) -> None:
        """The guide section each question of one interview falls in: (transcript, turn) → dimension →
        (theme node, "theme (turn n)") in ``sections``."""
        current: dict[str, tuple[int, int, int]] = {}  # dim -> (theme node, opening turn, questions since)
        labels: dict[str, tuple[int, str]] = {}  # dim -> (theme node, "theme (turn n)"), made when it opens
        for q in qs:
            opened = self.opens_section((q.lemmas, q.surfaces))
            if opened and self._frames_question(q.text):
                opened = {}  # consent, introduction, closing ("How long has it been running?") open no phase
            is_question = "?" in q.text
            for dim in list(current):
                if dim in opened:
                    continue
                theme, turn, since = current[dim]
                since += 1 if is_question else 0
                if since > self.settings.guide_span:
                    del current[dim]
                else:
                    current[dim] = (theme, turn, since)
            for dim, (theme, _) in opened.items():
                current[dim] = (theme, q.turn, 0)
                labels[dim] = (theme, f"{self.nodes[theme].theme} (turn {q.turn})")
            sections[(transcript, q.turn)] = {dim: labels[dim] for dim in current}


class _Heads(dict):
    """lemma → :meth:`Coder.heads`, worked out the first time a lemma is looked up."""

    def __init__(self, heads_of):
        super().__init__()
        self.heads_of = heads_of

    def __missing__(self, lemma: str) -> tuple[str, ...]:
        found = self[lemma] = self.heads_of(lemma)
        return found


def _occurs(lemmas: tuple[str, ...], seq: tuple[str, ...]) -> bool:
    """``seq`` stands in ``lemmas`` contiguously and in order (its first lemma is known to be there)."""
    m = len(seq)
    first = seq[0]
    k = lemmas.index(first)
    while lemmas[k:k + m] != seq:
        try:
            k = lemmas.index(first, k + 1)
        except ValueError:
            return False
    return True


def _merge_evidence(parts: list[str]) -> list[str]:
    """Merge 'unit: a', 'unit: b' into 'unit: a, b' keeping the order unit, question, guide."""
    merged: dict[str, list[str]] = {}
    for part in parts:
        kind, _, words = part.partition(": ")
        for w in words.split(", "):
            if w and w not in merged.setdefault(kind, []):
                merged[kind].append(w)
    order = ["unit", "question", "guide"]
    return [f"{k}: {', '.join(merged[k])}" for k in order if k in merged]


def left_out(codings: Iterable[Coding]) -> dict[str, tuple[int, list[tuple[str, list[str]]]]]:
    """Per dimension, (its ``top_k``, [(unit id, themes left out)]) for the units whose rule coding says ``top_k``
    left themes out (:data:`LEFT_OUT`): what the warning W308 and the report count."""
    out: dict[str, tuple[int, list[tuple[str, list[str]]]]] = {}
    for c in codings:
        m = _LEFT_OUT.search(c.evidence) if c.source == SOURCE and "top_k" in c.evidence else None
        if m:
            k, units = out.setdefault(c.dimension, (int(m.group(1)), []))
            units.append((c.unit_id, [t.strip() for t in m.group(2).split(",") if t.strip()]))
    return out


def warn_left_out(codings: Iterable[Coding], diagnostics) -> None:
    """W308 per multi-label dimension whose ``top_k`` left themes a unit matched out of it: coders used to NVivo
    or MAXQDA expect every code that applies to be visible, and a third theme was dropped without a word."""
    for dim, (k, units) in left_out(codings).items():
        unit, themes = units[0]
        diagnostics.warn("W308", dimension=dim, n=len(units), k=k, m=sum(len(t) for _, t in units), unit=unit,
                         themes=", ".join(themes))


def codings_frame(codings: list[Coding]):
    import pandas as pd

    cols = ["unit_id", "dimension", "theme", "subtheme", "score", "evidence", "source", "coder", "probability"]
    return pd.DataFrame([c.as_row() for c in codings], columns=cols)


def units_coded_frame(units: list[MeaningUnit], codings: list[Coding], dimensions: list[str]):
    """One row per unit, one column per dimension holding the top theme (or empty)."""
    import pandas as pd

    top: dict[tuple[str, str], tuple[float, str]] = {}
    order = {}
    for c in codings:
        key = (c.unit_id, c.dimension)
        rank = (0 if c.source == "human" else 1, -c.score)
        if key not in top or rank < order[key]:
            top[key] = (c.score, c.theme)
            order[key] = rank
    rows = []
    for u in units:
        row = {"unit_id": u.unit_id, "transcript": u.transcript, "cases": ";".join(u.cases), "speaker": u.speaker,
               "text": u.text, "question": u.question}
        for d in dimensions:
            row[d] = top.get((u.unit_id, d), (0, ""))[1]
        rows.append(row)
    return pd.DataFrame(rows, columns=["unit_id", "transcript", "cases", "speaker", "text", "question", *dimensions])


# the most frequent function words of each language; a text's share of them tells its language apart
_COMMON = {
    "da": {"og", "i", "at", "det", "er", "en", "på", "til", "de", "med", "for", "ikke", "der", "som", "har", "vi",
           "jeg", "så", "af", "et", "men", "var", "om", "den", "kan", "også", "skal", "nogle", "hvad", "bare"},
    "en": {"the", "and", "to", "of", "a", "in", "is", "it", "that", "i", "was", "for", "on", "with", "but", "not",
           "this", "my", "me", "they", "have", "be", "are", "we", "so", "what", "just", "like", "can", "do"},
}
_NAMES = {"da": "Danish", "en": "English"}


def text_language(texts: Iterable[str], *, max_words: int = 20000) -> tuple[str, float]:
    """The language (``da``/``en``) whose common words make up the larger share of the texts, and that share."""
    import re

    counts = {lang: 0 for lang in _COMMON}
    n = 0
    for text in texts:
        for w in re.findall(r"[^\W\d_]+", text.lower()):
            n += 1
            for lang, common in _COMMON.items():
                if w in common:
                    counts[lang] += 1
            if n >= max_words:
                break
        if n >= max_words:
            break
    if not n:
        return "", 0.0
    lang = max(sorted(counts), key=lambda k: counts[k])
    return lang, counts[lang] / n


def check_language(units: list[MeaningUnit], codebook: Codebook, diagnostics, where: str = "the units", *,
                   project: bool = False) -> str:
    """W304 when the units' text is clearly in another language than the codebook's. Returns the language found.
    ``project``: the codebook is a project's (the fix names the project file, not `-c`)."""
    lang, share = text_language(u.text for u in units)
    if lang and lang != codebook.language and share >= 0.15:
        fix = (f"Set `language: {lang}` and a codebook in {_NAMES.get(lang, lang)} in the project file (the study's is "
               f"codebooks/beboerinddragelse.{lang}.yaml; `condense init --language {lang}` writes a blank one)." if project else
               f"Code with a codebook in the text's language (`-c codebooks/beboerinddragelse.{lang}.yaml` or your own).")
        diagnostics.warn("W304", path=where, found=lang, found_name=_NAMES.get(lang, lang), share=f"{share:.0%}",
                         codebook=display_path(codebook.path) if codebook.path else codebook.id,
                         expected=_NAMES.get(codebook.language, codebook.language), fix=fix)
    return lang
