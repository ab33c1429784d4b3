"""Condensation (STC step 3): per theme, sub-groups of units, a condensate draft and a golden quote.

* Sub-groups come from :mod:`condense.grouping`: the codebook's sub-themes decided in context, then
  coherent proposals among the rest; units placed nowhere are listed as *not placed* (kind ``unplaced``:
  no condensate, no quote), never as a catch-all sub-group.
* A **condensate draft** is extractive: the most central units, fillers and repetitions removed, first
  person kept, marked as a draft. It is a starting point for the researcher's own condensate.
* A **golden quote** is a real unit of 12–60 words, central to the sub-group and readable on its own.
  Withdrawn passages are never units; an anonymous respondent's quote carries no attribution.
* A researcher's ``condensates.csv`` replaces drafts and quote choices on every run; entries that match
  nothing are reported, never dropped (the file is only ever read).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import eq
from pathlib import Path

import numpy as np

from .codebook import Codebook
from .errors import CondenseError, Diagnostics, display_path
from .model import NOTES_SPEAKER, Coding, MeaningUnit, gc_paused

__all__ = [
    "DRAFT_MARK", "ANONYMOUS", "clean_speech", "word_count", "SubGroup", "Condensation", "centrality",
    "propose_subgroups", "condense", "groundwork_beside", "assign_quotes", "quote_source", "CONDENSATE_COLUMNS",
    "apply_researcher_condensates"
]

DRAFT_MARK = {"da": "[UDKAST] ", "en": "[DRAFT] "}
ANONYMOUS = {"da": "anonym informant", "en": "anonymous respondent"}
QUOTE_MIN, QUOTE_MAX = 12, 60

# Danish-safe filler rules (tests/test_fillers.py holds real cases and their expected output): only what
# cannot carry meaning is removed. Tags ("…, ikke?") only when set off by a comma ("er det ikke?" is a real
# question); "jo" only as a modal particle after a finite verb or pronoun, never in "jo mere … jo bedre";
# "altså"/"ligesom"/"du ved" only when set off by commas; repeats only without a comma between ("Det, det
# handler om" is Danish). A self-repair dash is left alone (joining the two halves breaks the sentence).
_FILLER_PATTERNS = {
    "da": [
        # a pause before "ikke" stays a pause: "har været … altså, ikke godt" → "har været – ikke godt"
        (r"\s*[–,…]?\s*(?<!\w)(?:øh+m?|æh+|hm+)\s*[,…]?\s+(?=ikke\b)", " – "),
        (r"\s*[–,…]\s*altså\s*[,…]?\s+(?=ikke\b)|\s+altså\s*[,…]\s+(?=ikke\b)", " – "),
        (r"(\b(?:ja|nej|jo|nå|okay|men|og)),\s*(?:øh+m?|æh+|hm+)\s*,\s*", r"\1, "),
        (r",\s*(?:øh+m?|æh+|hm+)\s*,\s*", " "),
        (r"(?<!\w)(?:øh+m?|øhm|æh+|hm+|mm+|mhm)(?!\w)[,.…]?", " "),
        (r"(^|[.!?] )(?:tja|jamen|nå|altså)\b\s*[,…]?\s*", r"\1"),
        (r",\s*ikke også\s*(?=[.?!,]|$)\??", ""),
        (r",\s*ikke også,", ","),
        (r",\s*(?:ikke|ik|ikk|ik')\s*\?", "."),
        (r",\s*(?:ikke|ik|ikk)\s*(?=[.!]|$)", ""),
        (r"(^|[.!?] )(?:altså|ligesom|du ved|jamen|nå),\s*", r"\1"),
        (r",\s*(?:altså|ligesom|du ved)\s*,", ","),
        (r"\b(er|var|har|havde|kan|kunne|skal|skulle|vil|ville|må|måtte|gør|gjorde|bliver|blev|det|der|man|vi|de|"
         r"jeg|den|du|han|hun|så|nu) jo\b(?! (?:mere|mindre|bedre|værre|flere|færre|længere|tidligere|\w+ere)\b)", r"\1"),
        (r"\bsådan en slags\b", "en slags"),
    ],
    "en": [
        (r"(?<!\w)(?:erm+|um+|uh+|mm+|mhm)(?!\w)[,.]?", " "),
        (r",\s*you know\s*,", ","),
        (r"(^|[.!?] )(?:you know|I mean|well|so),\s*", r"\1"),
        (r",\s*(?:you know|I mean)\s*(?=[.?!]|$)", ""),
        (r",\s*(?:sort of|kind of)\s*,", ","),
    ],
}
_NONVERBAL = re.compile(r"\s*[(\[](?:griner|ler|pause|laughs?|sukker|hoster|utydeligt[^)\]]*|[A-ZÆØÅ] griner)[)\]]", re.I)
_REPEAT_MULTI = re.compile(r"\b(\w+(?:\s+\w+){1,2})(?:\s+\1\b)+", re.I)  # "det er det er" → "det er"
_REPEAT_ONE = re.compile(r"\b(?!(?:det|der|den|de|at|så|nej|ja|jo|hvad|som)\b)(\w+)(?:\s+\1\b)+", re.I)  # "og og"
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*(?=[a-zæøå])")
_SPACES = re.compile(r"\s{2,}")
_SPACE_PUNCT = re.compile(r"\s+([,.;:!?])")
_SENTENCE_START = re.compile(r"([.!?]\s+)([a-zæøå])")


# Every match of each rule above holds one of its words (lower case): a sentence without any of them is not
# searched with that rule (most sentences hold none of a rule's words).
_HESITATION = ("øh", "æh", "hm")
_FILLER_WORDS = {
    "da": [_HESITATION, ("altså",), _HESITATION, _HESITATION, _HESITATION + ("mm",), ("tja", "jamen", "nå", "altså"),
           ("ikke også",), ("ikke også",), ("ik",), ("ik",), ("altså", "ligesom", "du ved", "jamen", "nå"),
           ("altså", "ligesom", "du ved"), ("jo",), ("sådan en slags",)],
    "en": [("erm", "um", "uh", "mm", "hm"), ("you know",), ("you know", "i mean", "well", "so"), ("you know", "i mean"),
           ("sort of", "kind of")],
}
_FILLERS = {language: [(re.compile(p, re.I), repl, words)
                       for (p, repl), words in zip(rules, _FILLER_WORDS[language], strict=True)]
            for language, rules in _FILLER_PATTERNS.items()}
# re.I pairs these with a rule's "i" or "s" although str.lower() does not (quotes._IGNORECASE_ONLY): a text
# holding one is searched with every rule
_IGNORECASE_ONLY = ("\u0130", "\u0131", "\u017f")
_DASH_REPEAT = re.compile(r"\b(\w+(?:\s+\w+)?)\s+[–-]\s+\1\b", re.I)  # "en – en undersøgelse"
_LEADING_PUNCT = re.compile(r"^[,.;:]\s*")
_DOUBLE_COMMA = re.compile(r",\s*,")
_PUNCT_BEFORE_END = re.compile(r"([,;:])([.!?])")
_PUNCT_AFTER_END = re.compile(r"([.!?])[,.;:]+")
_CLOSING_QUOTES = "\"'\u201d\u2019\u00bb\u00ab\u201c"  # marks that may close a quotation ("…", »…«, „…“, '…')


def clean_speech(text: str, language: str = "da") -> str:
    """Remove hesitations, tag questions, set-off fillers, non-verbal marks and immediate repeats, by
    Danish-safe rules (or English ones); keep every word that carries meaning. Used for condensate drafts
    only; quotes are never cleaned."""
    out = _words_cleaned(text, language)
    out = _SPACE_PUNCT.sub(r"\1", _SPACES.sub(" ", out)).strip(" ,;")
    out = _LEADING_PUNCT.sub("", out)
    out = _DOUBLE_COMMA.sub(",", out)
    out = _PUNCT_BEFORE_END.sub(r"\2", out)
    out = _PUNCT_AFTER_END.sub(r"\1", out)
    out = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), out)
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
    if out and out.rstrip(_CLOSING_QUOTES)[-1:] not in ".!?…":  # (a sentence may end inside a quotation: "… mere.")
        out += "."
    return out


def _words_cleaned(text: str, language: str) -> str:
    """The rules of :func:`clean_speech` that take words out; the rest only set spaces, punctuation and capitals."""
    # each rule only where its own characters stand (most sentences hold no bracket, ellipsis or dash)
    out = _NONVERBAL.sub("", text) if "(" in text or "[" in text else text
    out = _ELLIPSIS.sub(" ", out) if "…" in out or "..." in out else out
    out = _fillers(out, language)
    if _may_repeat(out):  # (most sentences say no word again within three words)
        out = _DASH_REPEAT.sub(r"\1", out) if "-" in out or "–" in out else out
        out = _REPEAT_MULTI.sub(r"\1", out)
        out = _REPEAT_ONE.sub(r"\1", out)
    return out


# The few characters whose capital is not a word character as they are one (a letter and a combining mark, two
# words to ``\w``: "ǰ" → "J̌", Greek with diacritics; or the other way round: U+0345): clean_speech capitalises
# a text's first character, so a text holding one is cleaned in full before its words are counted.
_CAPITAL_SPLITS = re.compile("[\u01f0\u0345\u0390\u03b0\u1e96-\u1e99\u1f50-\u1ff7]")


def cleaned_word_count(text: str, language: str = "da") -> int:
    """``word_count(clean_speech(text, language))``, by the rules that take words out alone: the rules after them
    join spaces, move punctuation and set capitals, and change no word character into another kind or join two
    words (:data:`_CAPITAL_SPLITS` aside). A quote's readability asks it of every candidate (1,317 on the
    sample): the seven rules left out were a fifth of the cleaning."""
    if _CAPITAL_SPLITS.search(text):
        return word_count(clean_speech(text, language))
    return word_count(_words_cleaned(text, language))


def _may_repeat(text: str) -> bool:
    """False when none of the repeat rules (:data:`_DASH_REPEAT`, :data:`_REPEAT_MULTI`, :data:`_REPEAT_ONE`)
    can match: each needs a word said again (case-blind) as the next word, or two or three words on (the
    first word of a repeated run of two or three). Words compare in lower case as the rules' back-references
    compare them (character by character, each in lower case), but for U+0130, which ``str.lower()`` makes
    two characters (every other character keeps its length and whether it is a word character: a search of
    all code points showed it): a text holding it is searched with the rules."""
    if "\u0130" in text:
        return True
    words = _WORD.findall(text.lower())
    if len(set(words)) == len(words):
        return False
    return any(any(map(eq, words, words[k:])) for k in (1, 2, 3))  # (pairs compared in C, not a generator)


def _fillers(out: str, language: str) -> str:
    """The filler rules in order, each only where the text (as the rules before left it) holds its words."""
    every = any(c in out for c in _IGNORECASE_ONLY)
    low = None
    for pattern, repl, words in _FILLERS.get(language, []):
        if not every:
            low = out.lower() if low is None else low
            if not any(w in low for w in words):
                continue
        new = pattern.sub(repl, out)
        if new != out:
            out, low = new, None
    return out


_WORD = re.compile(r"\w+")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass
class SubGroup:
    dimension: str
    theme: str
    subtheme: str  # id ("" on the theme's own row)
    label: str
    unit_ids: list[str]
    kind: str = "codebook"  # codebook | proposed | other | theme
    condensate: str = ""
    golden_unit_id: str = ""
    researcher: bool = False  # condensate/quote written by a person (condensates.csv)
    note: str = ""
    golden_quote: str = ""  # the printed quote: sentences of the golden unit ("" → the whole unit)
    golden_start: int = 0  # the quote's offsets in the unit's text
    golden_end: int = 0
    runner_up_unit_id: str = ""
    runner_up_quote: str = ""
    central: dict = field(default_factory=dict, repr=False)  # unit id → centrality in this group
    voice: dict = field(default_factory=dict, repr=False)  # unit id → its words saying what the group is about


@dataclass
class Condensation:
    groups: list[SubGroup] = field(default_factory=list)  # theme rows and their sub-groups, in table order
    persons: re.Pattern | None = None  # the people the transcripts name (quotes.named_persons), never quoted


class _Stop:
    """The stop words TF-IDF over lemmas leaves out (emergent.is_stop), as a set-like object; each word is
    looked up once (a run asks about the same words for every group a unit is in)."""

    def __init__(self, language: str):
        from .emergent import is_stop

        self.language, self._is_stop, self._seen = language, is_stop, {}

    def __contains__(self, word: str) -> bool:
        hit = self._seen.get(word)
        if hit is None:
            hit = self._seen[word] = self._is_stop(word, self.language)
        return hit


def centrality(units: list[MeaningUnit], language: str, counts=None) -> list[float]:
    """Cosine similarity of each unit to the group's centroid (TF-IDF over content lemmas, fitted on the
    group). ``counts``: a :class:`condense.group_tfidf.CountRows` shared by the groups of one run, so each
    unit's lemmas are counted once however many rows it appears on."""
    from .group_tfidf import CountRows, centroid_cosines, group_tfidf

    if len(units) == 1:
        return [1.0]
    counts = counts if counts is not None else CountRows()
    stop = counts.memo(("stop words", language), lambda: _Stop(language))
    kept = counts.memo(("content words", language), dict)
    X = group_tfidf([counts.row(("lemmas", u.unit_id), lambda u=u: _content_lemmas(u, stop, kept)) for u in units],
                    sublinear=True)
    if X is None:  # no content word at all: every unit is as central as any other
        return [1.0] * len(units)
    dots, centroid = centroid_cosines(X)
    norm = np.linalg.norm(centroid) or 1.0
    return [float(d) / norm for d in dots]


def _content_lemmas(unit: MeaningUnit, stop: _Stop, kept: dict) -> list[str]:
    """:func:`condense.emergent.content_lemmas` of the unit, each (lemma, surface) pair judged once per run
    (``kept``: pair → the lemma in lower case, "" for none)."""
    from .emergent import content_word

    out = []
    for pair in zip(unit.lemmas, unit.surfaces):
        w = kept.get(pair)
        if w is None:
            w = kept[pair] = content_word(pair[0], pair[1], stop)
        if w:
            out.append(w)
    return out


def propose_subgroups(units: list[MeaningUnit], language: str, *, random_state: int = 0) -> list[tuple[str, list[str]]]:
    """Coherent sub-groups among a theme's units: (label, unit ids); units in none are left out.

    Kept for callers of the old API; the work is done by :func:`condense.grouping.propose` (linear, no
    all-pairs silhouette)."""
    from .grouping import propose

    return propose(units, language, random_state=random_state)


def condense(
    units: list[MeaningUnit],
    codings: list[Coding],
    codebook: Codebook,
    *,
    random_state: int = 0,
    matrices: tuple = (("fase", "deltagelse"),),
    groundwork=None,
) -> Condensation:
    """Sub-groups with condensate drafts and golden quotes for every theme that has units.

    Sub-groups come from :func:`condense.grouping.place`: codebook sub-themes decided in context, then
    proposals, then the units placed nowhere on a row of kind ``unplaced`` (never a catch-all sub-group).
    ``matrices``: pairs of crossed dimensions (the project's ``tables: matrices``); a theme's units that
    nothing else placed may be proposed by their code in the crossed dimension (the matrix cells).
    ``groundwork``: :func:`groundwork_beside` of the same units, codings and language, started earlier by
    the caller (started here when not given).
    """
    from .emergent import corpus_common, corpus_words
    from .group_tfidf import CountRows
    from .grouping import place

    language = codebook.language
    by_id = {u.unit_id: u for u in units}
    common = corpus_common(units, language)  # words the whole corpus is about never name a proposal
    lemmas = dict(zip((u.unit_id for u in units), corpus_words(units, language)[1]))  # read once, for every theme
    counts = CountRows()  # each unit's lemmas counted once, for every row it is on
    result = Condensation()
    crossed = _crossed_codes(codings, codebook, matrices, by_id)
    if groundwork is None:
        groundwork = groundwork_beside(units, codings, language)
    # sub-groups, drafts and quotes make many small objects and no cycles among them: the cyclic collector
    # is paused meanwhile (model.gc_paused; 1M words: ~0.2 CPU s of collections)
    with gc_paused():
        for dim in codebook.dimensions:
            assigned: dict[str, dict[str, set[str]]] = {}  # theme -> unit id -> its sub-themes (a unit may have several)
            for c in codings:
                if c.dimension == dim.id and c.unit_id in by_id:
                    assigned.setdefault(c.theme, {}).setdefault(c.unit_id, set()).add(c.subtheme)
            for theme in dim.themes:
                members = assigned.get(theme.id, {})
                if not members:
                    continue
                ids = sorted(members)
                row = SubGroup(dim.id, theme.id, "", theme.label, ids, kind="theme")
                _fill(row, [by_id[i] for i in ids], language, counts)
                result.groups.append(row)
                for p in place(theme, members, by_id, language, random_state=random_state, common=common,
                               followups=codebook.followups, partners=crossed.get(dim.id), lemmas=lemmas):
                    g = SubGroup(dim.id, theme.id, p.subtheme, p.label, sorted(p.unit_ids), kind=p.kind, voice=p.voice)
                    if p.kind != "unplaced":  # not a sub-group: no condensate, no quote
                        _fill(g, [by_id[i] for i in g.unit_ids], language, counts)
                    result.groups.append(g)
        assign_quotes(result, by_id, codings, language, prepared=groundwork.result())
    return result


def groundwork_beside(units: list[MeaningUnit], codings: list[Coding], language: str):
    """What the drafts and quotes need of each unit alone (:func:`_groundwork`), worked out beside whatever
    the caller does next (it does not depend on the sub-groups): in a forked process when there is a second
    core. ``.result()`` is what :func:`assign_quotes` takes as ``prepared``."""
    by_id = {u.unit_id: u for u in units}
    return _beside(lambda: _groundwork(list(by_id.values()), codings, language))


def _beside(job):
    """``job`` in a forked process beside this one (:func:`condense.parallel.beside`), or here, at
    ``.result()``, in a process that may not start one (a daemon: a pool's worker)."""
    import multiprocessing

    from .parallel import beside

    return _Here(job) if multiprocessing.current_process().daemon else beside(job)


class _Here:
    """A job run in this process, at :meth:`result`."""

    def __init__(self, job):
        self.job = job

    def result(self):
        return self.job()


class _Record:
    """A memo as :meth:`condense.group_tfidf.CountRows.memo` that keeps what it worked out (``values``), to
    hand to another process."""

    def __init__(self):
        self.values: dict = {}

    def memo(self, key, make):
        try:
            return self.values[key]
        except KeyError:
            value = self.values[key] = make()
            return value


def _groundwork(units: list[MeaningUnit], codings: list[Coding], language: str) -> tuple:
    """The people the transcripts name (:func:`condense.quotes.named_persons`), and what the drafts and
    quotes need of each coded unit alone (drafts.prepare, quotes.prepare): (pattern or None, memo entries)."""
    from .drafts import prepare as prepare_drafts
    from .quotes import named_persons, prepare as prepare_quotes

    with gc_paused():  # many small results, no cycles among them (model.gc_paused)
        persons = named_persons(units, language)
        coded = {c.unit_id for c in codings}
        mine = [u for u in units if u.unit_id in coded]
        memo = _Record()
        prepare_drafts(mine, language, memo)
        prepare_quotes(mine, language, memo, persons)
    return persons, memo.values


def _crossed_codes(codings: list[Coding], codebook: Codebook, matrices, by_id) -> dict[str, dict[str, list]]:
    """Dimension id → unit id → (theme id, "Theme label (Dimension label)") of its codes in the dimensions it
    is crossed with (:func:`_crossings`)."""
    out: dict[str, dict[str, list]] = {}
    for a, b in _crossings(codebook, matrices):
        label = codebook.dimension(b).label
        cell = out.setdefault(a, {})
        names: dict[str, str] = {}  # theme id → its key's label, found once (label_of walks the dimension)
        for c in codings:
            if c.dimension == b and c.unit_id in by_id:
                name = names.get(c.theme)
                if name is None:
                    name = names[c.theme] = f"{codebook.label_of(b, c.theme)} ({label})"
                key = (c.theme, name)
                if key not in cell.setdefault(c.unit_id, []):
                    cell[c.unit_id].append(key)
    return out


def _crossings(codebook: Codebook, matrices) -> list[tuple[str, str]]:
    """(dimension, the dimension it is read by): both ways round for a matrix's pair; a dimension in no matrix
    and the first matrix's first dimension (the study's phases) both ways round too: the guide asks about each
    phase in turn, so a theme that cuts across them ("Kompetenceopbygning") is read phase by phase, and a
    phase by those themes ("Målgrupper (Tema)")."""
    have = {d.id for d in codebook.dimensions}
    pairs = [(a, b) for a, b in matrices if a in have and b in have and a != b]
    if not pairs:
        return []
    crossed = {d for pair in pairs for d in pair}
    outside = [d.id for d in codebook.dimensions if d.id not in crossed]
    first = pairs[0][0]
    return pairs + [(b, a) for a, b in pairs] + [(d, first) for d in outside] + [(first, d) for d in outside]


def assign_quotes(result: Condensation, by_id: dict[str, MeaningUnit], codings: list[Coding], language: str, *,
                  prepared: tuple | None = None, marked: dict | None = None) -> None:
    """Condensate draft (drafts.py), golden quote and runner-up (quotes.py) per row, in table order; no unit
    is the golden quote of two rows, and a runner-up repeats no quote of its dimension (:func:`_runner_ups`). ``prepared``: :func:`_groundwork` of the units, when worked out ahead. ``marked``:
    (dimension, theme, subtheme) → unit id → the spans a coder marked for that row (coding done elsewhere):
    such a unit is quoted from what was marked."""
    from .drafts import draft
    from .group_tfidf import CountRows
    from .quotes import best_quotes, marked_quotes, named_persons, relevance, word_weights

    used: set[str] = set()
    weights = word_weights(codings)
    counts = CountRows()  # each unit's sentences, candidates and words found once, for every row it is on
    if prepared is None:
        persons = named_persons(by_id.values(), language)  # people named in passing are never quoted
    else:
        persons, memos = prepared
        for key, value in memos.items():
            counts.memo(key, lambda value=value: value)
    result.persons = persons
    # a row reads its own theme's codings of its own units, not all of them
    by_theme: dict[tuple[str, str], dict[str, list[Coding]]] = {}
    coded: dict[str, list[Coding]] = {}
    for c in codings:
        by_theme.setdefault((c.dimension, c.theme), {}).setdefault(c.unit_id, []).append(c)
        coded.setdefault(c.unit_id, []).append(c)
    rankings: dict[int, list] = {}  # id of a row → its quotes, best first
    # sub-groups choose first: a theme row may quote any of its units, a sub-group only its own
    for g in sorted(result.groups, key=lambda g: g.kind == "theme"):
        if g.kind == "unplaced":  # not a sub-group: no condensate, no quote
            continue
        members = [by_id[i] for i in g.unit_ids if i in by_id]
        matched = _row_matched(g, by_theme.get((g.dimension, g.theme), {}))
        voiced = matched.union(*g.voice.values())  # a follow-up group: the follow-up's words are preferred too
        g.condensate = draft(members, [g.central.get(u.unit_id, 0.0) for u in members], language, matched=voiced,
                             counts=counts)
        own = {u.unit_id: _own_words(u.unit_id, g, coded, counts) | g.voice.get(u.unit_id, set()) for u in members}
        within = (marked or {}).get((g.dimension, g.theme, g.subtheme))
        ranked = best_quotes(members, g.central, matched, language, used, memo=counts, persons=persons,
                             weights=weights, own=own, within=within)
        if not ranked and g.kind in ("question", "matrix"):  # a group by the question asked or the code given:
            # every unit is the theme's by its coding, so a sentence without the coder's words may speak for it
            ranked = best_quotes(members, g.central, matched, language, used, require_match=False, memo=counts,
                                 persons=persons, weights=weights, own=own)
        if not ranked and within:  # no quotable sentence inside the marks: the marked passage as it stands
            ranked = marked_quotes(members, within, g.central, language, used, persons)
        if g.voice and g.kind != "proposed":  # a follow-up group: a quote saying what the follow-up asks about first
            # (a proposal's label words count towards relevance through ``own``, weighed with readability)
            ranked.sort(key=lambda q: relevance(q.text, g.voice.get(q.unit_id, set()), language) == 0)
        g.golden_unit_id, g.golden_quote = "", ""
        if ranked:
            q = ranked[0]
            g.golden_unit_id, g.golden_quote, g.golden_start, g.golden_end = q.unit_id, q.text, q.start, q.end
            used.add(q.unit_id)
        rankings[id(g)] = ranked
    _runner_ups(result.groups, rankings)


def _runner_ups(groups: list[SubGroup], rankings: dict[int, list]) -> None:
    """Each row's runner-up, in table order: its best quote after the golden one from a unit no row of its dimension
    quotes already, golden or runner-up, else none. A theme row's golden quote came back as a sub-theme's runner-up
    and one runner-up on a theme and its sub-theme: the report printed the same words twice under one theme (the
    sample 18 times in 263 quotes, the English sample 7 in 71, ecape_da 10 in 165 with the study's codebook)."""
    shown: dict[str, set[str]] = {}
    for g in groups:
        if g.golden_unit_id:
            shown.setdefault(g.dimension, set()).add(g.golden_unit_id)
    for g in groups:
        ranked = rankings.get(id(g))
        if not ranked:
            continue
        seen = shown.setdefault(g.dimension, set())
        other = next((q for q in ranked[1:] if q.unit_id not in seen), None)
        g.runner_up_unit_id, g.runner_up_quote = (other.unit_id, other.text) if other is not None else ("", "")
        if other is not None:
            seen.add(other.unit_id)


def _row_matched(g: SubGroup, theirs: dict[str, list[Coding]]) -> set[str]:
    """The words the coder matched in a row's units for its theme (:func:`condense.quotes.matched_words`);
    ``theirs``: unit id → the theme's codings of that unit, so a row reads its own units' codings only."""
    from .quotes import matched_words

    return matched_words([c for u in g.unit_ids for c in theirs.get(u, ())], set(g.unit_ids), g.dimension, g.theme,
                         g.subtheme)


def _own_words(unit_id: str, g: SubGroup, coded: dict[str, list[Coding]], counts) -> frozenset:
    """The words the coder matched in one unit for the row's theme (and sub-theme), found once per run: a unit
    is on its theme's row and its sub-group's, which mostly ask the same."""
    from .quotes import matched_words

    subtheme = g.subtheme if g.subtheme and not g.subtheme.startswith("_") else ""  # what matched_words reads
    return counts.memo(("own words", unit_id, g.dimension, g.theme, subtheme),
                       lambda: frozenset(matched_words(coded.get(unit_id, []), {unit_id}, g.dimension, g.theme,
                                                       subtheme)))


def _fill(group: SubGroup, units: list[MeaningUnit], language: str, counts=None) -> None:
    central = centrality(units, language, counts)
    group.central = {u.unit_id: c for u, c in zip(units, central)}  # drafts and quotes: assign_quotes()


def quote_source(unit: MeaningUnit, cases: dict | None = None, language: str = "da") -> str:
    """Attribution of a quote: its case(s), never the person; none for an anonymous respondent."""
    if unit.anonymous:
        return ANONYMOUS.get(language, "anonymous respondent")
    return ", ".join(unit.cases) if unit.cases else unit.transcript


CONDENSATE_COLUMNS = ["dimension", "theme", "subtheme", "condensate", "golden_unit_id", "note"]  # condensates.csv


def apply_researcher_condensates(condensation: Condensation, path: str | Path | None, units_by_id: dict[str, MeaningUnit],
                                 diagnostics: Diagnostics | None = None, *, privacy=None, check=None) -> int:
    """Replace drafts with a researcher's condensates.csv entries. Returns the number applied.

    The file is read, never written. An entry whose theme/sub-theme or unit no longer exists is reported
    (W108) and left in the file. A golden unit named by an anonymous respondent's real id is refused (E412):
    the file would tie the respondent to the interview, and a warning could not be undone. ``check(path,
    cells)`` is given the (line, column, text) of every condensate and note applied, to refuse one that
    repeats a withdrawn passage at its row (audit.refuse_withdrawn_cells).
    """
    from .io import read_table
    from .ingest.withdrawn import strip_withdrawn

    if path is None or not Path(path).exists():
        return 0
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    header, rows = read_table(Path(path), diagnostics=diagnostics)
    index = {(g.dimension, g.theme, g.subtheme): g for g in condensation.groups}
    applied = 0
    cells: list[tuple[int, str, str]] = []
    for line, row in rows:
        key = (row.get("dimension", ""), row.get("theme", ""), row.get("subtheme", ""))
        group = index.get(key)
        what = "/".join(x for x in key if x) or "(empty)"
        if group is None:
            diagnostics.warn("W108", path=display_path(path), line=line, what=what)
            continue
        text = strip_withdrawn(row.get("condensate", ""), path, line, column="condensate").strip()
        unit_id = row.get("golden_unit_id", "").strip()
        if privacy is not None and unit_id in privacy.anonymous_unit_ids:
            raise CondenseError("E412", path=display_path(path), line=line, public=privacy.anonymous_unit_ids[unit_id])
        if unit_id and (unit_id not in units_by_id or unit_id not in group.unit_ids):
            diagnostics.warn("W108", path=display_path(path), line=line, what=f"{what} (unit {unit_id})")
            unit_id = ""
        if text:
            group.condensate = text
        if unit_id:
            group.golden_unit_id = unit_id
            group.golden_quote, group.runner_up_unit_id, group.runner_up_quote = "", "", ""
        if text or unit_id:
            group.researcher = True
            group.note = strip_withdrawn(row.get("note", ""), path, line, column="note")
            cells += [(line, "condensate", text), (line, "note", group.note)]
            applied += 1
    if check is not None:
        check(path, cells)
    return applied
