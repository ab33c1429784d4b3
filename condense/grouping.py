"""Sub-groups within a theme (STC step 3): codebook sub-themes decided in context, then proposals, and the
rest reported as *not placed*, never as a catch-all sub-group.

For each theme with units:

1. **Codebook sub-themes first.** A unit goes to the sub-theme the coder gave it. A sub-theme may name
   ``context`` words in the codebook: it then counts only when the unit also uses one of them (by lemma,
   or as the last part of a compound). *Voksne mænd* lists words about reaching, recruiting and taking
   part, so "deres mand var død" mentions a man but is not about reaching men; such a unit joins the rest.
   A sub-theme's word after a possessive ("hendes anden mand", "min mand") is someone's own relation and
   never in context.
   Decided here, from the codebook, so the coder's codings stay as they are and the rule is visible in
   the codebook file.
2. **Proposals among the rest**, with the emergent-theme machinery (:mod:`condense.emergent`): word-anchored
   groups of at least ``min_size`` units from two interviews or more, each with coherence and distinctiveness
   above the thresholds, labelled by phrases and words in their most frequent surface form. Linear in the units. Then, among
   the units still left, proposals by the guide's follow-up they answer (the codebook's ``followups:``) and
   by a word the interviewers' questions share (:mod:`condense.guide_groups`), and last by the unit's code
   in the dimension this one is crossed with in a matrix (a participation type's units by phase: the
   matrix's cells, :func:`partner_groups`; a dimension in no matrix is crossed with the phases). Then a
   leftover unit that clearly resembles a codebook sub-theme or a word proposal joins it (:func:`attach`),
   and one that carries on from the unit before it in the same turn ("Og så …", "Men det …": :func:`continues`)
   joins the sub-group that unit is in: the rest of an answer goes where its first part went.
3. **The rest is not placed.** Its units are listed on a row of kind ``unplaced`` ("Ikke placeret" /
   "Not placed") without condensate or quote; when its share of the theme is above
   :data:`MAX_UNPLACED` the label says so, for the researcher to read them. A theme of fewer than
   :data:`MIN_SUBGROUP_UNITS` units gets no proposals and no flag: its rest row says there are too few
   units to sub-group, since a researcher reads a handful of units as one and a split of four units into
   sub-groups would say nothing; when none of its units is in a sub-theme, it has no rest row at all (the
   theme row, with its condensate and quote, is the reading).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .codebook import Theme
from .model import MeaningUnit

__all__ = [
    "MAX_UNPLACED", "MIN_SUBGROUP_UNITS", "TOO_FEW", "UNPLACED", "FLAG", "PROPOSED", "Placement", "CONTEXT_WINDOW", "in_context", "place",
    "ATTACH_SIMILARITY", "ATTACH_MARGIN", "attach", "propose", "CONTINUES", "continues"
]

MAX_UNPLACED = 0.30  # above this share of a theme's units, the not-placed row is flagged for the researcher
MIN_SUBGROUP_UNITS = 8  # a theme with fewer units is read as a whole: no proposals, its rest is not flagged
UNPLACED = {"da": "Ikke placeret", "en": "Not placed"}
TOO_FEW = {"da": "For få enheder til undergrupper ({n}) – læs dem under temaet",
           "en": "Too few units to sub-group ({n}) – read them under the theme"}
FLAG = {"da": "over {limit} af temaets enheder – læs dem, og placér dem eller opret et undertema",
        "en": "over {limit} of the theme's units – read them, and place them or make a sub-theme"}
PROPOSED = {"da": "Forslag: ", "en": "Proposed: "}


@dataclass
class Placement:
    subtheme: str  # sub-theme id, "_proposed_N" or "_unplaced"
    label: str
    unit_ids: list[str]
    kind: str  # codebook | proposed (by words) | question (by the guide's question: guide_groups.py) | matrix (by the
    # crossed dimension's code) | unplaced
    recalled: list[str] = field(default_factory=list)  # units placed by resemblance to the sub-theme, not by the coder
    voice: dict[str, set[str]] = field(default_factory=dict)  # unit id → its words that say what the group is about
    # (a follow-up group: the words voicing the follow-up, guide_groups.voiced), for its quote and condensate


def _lemma_forms(language: str, words: list[str]) -> list[tuple[str, ...]]:
    """Codebook context words as lemma tuples (multi-word entries need all their words)."""
    lemma = _lemmatizer(language)
    return [tuple(lemma(w) for w in phrase.lower().split()) for phrase in words if phrase.strip()]


_LEMMATIZERS: dict = {}


def _lemmatizer(language: str):
    if language not in _LEMMATIZERS:
        from .nlp import compound_lemmatizer as _compound_lemmatizer

        _LEMMATIZERS[language] = _compound_lemmatizer(language)
    return _LEMMATIZERS[language]


CONTEXT_WINDOW = 8  # tokens either side of the sub-theme's own word in which a context word must stand


def in_context(unit: MeaningUnit, forms: list[tuple[str, ...]], anchors: set[str] | None = None,
               window: int = CONTEXT_WINDOW) -> bool:
    """True when the unit uses one of the context words (a lemma, or the last part of a compound) within
    ``window`` tokens of one of the sub-theme's own words (``anchors``; anywhere when none is found)."""
    if not forms:
        return True
    lemmas = [l.lower() for l in unit.lemmas]
    ends = tuple(anchors or ())  # one endswith() over all anchors first: most lemmas end with none of them
    spots = [i for i, l in enumerate(lemmas) if ends and l.endswith(ends) and any(_hit(l, a) for a in ends)]
    kept = [i for i in spots if not _owned(lemmas, i)]
    if spots and not kept:  # "hendes anden mand", "min mand": her husband, not the men the sub-theme means
        return False
    ranges = [(max(0, i - window), i + window + 1) for i in kept] or [(0, len(lemmas))]
    return any(_holds_form(lemmas[lo:hi], form) for lo, hi in ranges for form in forms)


def _hit(lemma: str, word: str) -> bool:
    """The lemma is the word, or a compound ending in it."""
    return lemma.endswith(word) and (lemma == word or len(lemma) > len(word) + 2)


def _holds_form(near: list[str], form: tuple[str, ...]) -> bool:
    """Every word of a context form is among ``near`` (:func:`_hit`)."""
    return all(any(l.endswith(w) and (l == w or len(l) > len(w) + 2) for l in near) for w in form)


# possessive determiners (Danish and English lemmas): a sub-theme's word right after one, or after one and a
# word ("hendes anden mand", "my own son"), names the speaker's or someone's own relation, not a group
_POSSESSIVES = frozenset("min mine din dine sin sine hans hendes dens dets vores jeres deres "
                         "my your his her its our their".split())


def _owned(lemmas: list[str], i: int) -> bool:
    return (i >= 1 and lemmas[i - 1] in _POSSESSIVES) or (i >= 2 and lemmas[i - 2] in _POSSESSIVES)


def _anchors(sub: Theme, language: str) -> set[str]:
    """The lemmas of a sub-theme's own terms and phrases (content words of three letters or more)."""
    from .stopwords import stop_words as _stop_words_cached

    stop = _stop_words_cached(language)
    lemma = _lemmatizer(language)
    return {lemma(w) for entry in sub.terms + sub.phrases for w in entry.lower().split()
            if len(w) >= 3 and w not in stop}


@dataclass
class _Context:
    """A theme's sub-themes as :func:`place` decides with them."""

    level1: dict[str, Theme]  # first-level sub-themes by id
    deeper: dict[str, str]  # any sub-theme id (at any depth) → its first-level sub-theme
    forms: dict[str, list[tuple[str, ...]]]  # context words (lemma tuples) per sub-theme
    anchors: dict[str, set[str]]  # the sub-theme's own words, near which a context word must stand

    @classmethod
    def of(cls, theme: Theme, language: str) -> "_Context":
        deeper = {d.id: s.id for s in theme.subthemes for d, _ in s.walk()}
        return cls({s.id: s for s in theme.subthemes}, deeper,
                   {s.id: _lemma_forms(language, s.context) for s in theme.subthemes if s.context},
                   {s.id: _anchors(s, language) for s in theme.subthemes if s.context})

    def fits(self, unit: MeaningUnit, sub: str) -> bool:
        """The unit meets the sub-theme's context words (always, when it has none)."""
        return in_context(unit, self.forms.get(sub, []), self.anchors.get(sub))

    def first_level(self, keys) -> list[str]:
        """The coder's sub-theme keys (a bare id at any depth, or a path ``sub/subsub``) as first-level ids."""
        keys = keys if isinstance(keys, (set, frozenset, list, tuple)) else {keys}
        return sorted({k.split("/")[0] if "/" in k else self.deeper.get(k, k) for k in keys})


def place(theme: Theme, members: dict[str, str], by_id: dict[str, MeaningUnit], language: str, *,
          random_state: int = 0, min_size: int = 3, common: set[str] | None = None,
          followups=(), partners: dict[str, list[tuple[str, str]]] | None = None,
          lemmas: dict[str, list[str]] | None = None) -> list[Placement]:
    """Sub-groups of one theme's units (``members``: unit id → the coder's sub-theme id or '', or a set of them).

    ``common``: the words the whole corpus is about (:func:`condense.emergent.corpus_common` of all units,
    computed from ``by_id`` when not given), which never name a proposal. ``followups``: the guide's
    follow-up questions from the codebook (:func:`condense.guide_groups.followup_groups`). ``partners``: unit
    id → (key, label) of its codes in the dimension this theme's dimension is crossed with in a matrix
    (:func:`partner_groups`). ``lemmas``: unit id → its content lemmas (:func:`condense.emergent.corpus_words`),
    read once per run rather than once per theme (found here when not given)."""
    if common is None:
        from .emergent import corpus_common

        common = corpus_common(list(by_id.values()), language)
    ctx = _Context.of(theme, language)
    buckets, rest = _codebook_buckets(members, by_id, ctx)
    recalled = recall_subthemes([by_id[u] for u in rest], theme, language, ctx, common,
                                [by_id[u] for u in sorted(members)], lemmas=lemmas)
    for uid, sub in recalled.items():
        buckets.setdefault(sub, []).append(uid)
    rest = [u for u in rest if u not in recalled]
    out = [Placement(s.id, s.label, sorted(buckets[s.id]), "codebook",
                     sorted(u for u in buckets[s.id] if u in recalled)) for s in theme.subthemes if s.id in buckets]
    few = len(members) < MIN_SUBGROUP_UNITS
    unplaced = rest if few else _proposals(theme, rest, by_id, language, out, random_state=random_state,
                                           min_size=min_size, common=common, followups=followups,
                                           partners=partners)
    if unplaced and out:
        unplaced = _attach_rest(unplaced, out, by_id, language, ctx)
    if unplaced and out:
        unplaced = _follow_answers(unplaced, out, by_id, language, ctx)
    if unplaced and (out or not few):  # a handful of units and no sub-group: the theme row is the reading
        out.append(_unplaced_row(unplaced, len(members), language))
        if few:  # a handful of units: the researcher reads them as one, there is nothing to sub-group
            out[-1].label = TOO_FEW.get(language, TOO_FEW["en"]).format(n=len(unplaced))
    return out


def _proposals(theme: Theme, rest: list[str], by_id: dict[str, MeaningUnit], language: str, out: list[Placement], *,
               random_state: int, min_size: int, common, followups=(), partners=None) -> list[str]:
    """Proposals by shared words, then by the guide's follow-ups the codebook names, then by a word the
    interviewers' questions share (guide_groups.py), then by the crossed dimension's code (the matrix cells),
    appended to ``out``; returns the units still unplaced."""
    groups = propose([by_id[u] for u in rest], language, random_state=random_state, min_size=min_size, common=common)
    unplaced = _offer(groups, "proposed", rest, out, language)
    for p, (label, _) in zip(out[len(out) - len(groups):], groups):
        p.voice = _label_voice(label, p.unit_ids, by_id, language)
    if unplaced and followups:
        unplaced = _followup_proposals(unplaced, by_id, language, out, followups)
    if unplaced:
        unplaced = _question_proposals(theme, unplaced, by_id, language, out)
    return _partner_proposals(unplaced, partners, by_id, language, out) if unplaced and partners else unplaced


def _label_voice(label: str, unit_ids: list[str], by_id: dict[str, MeaningUnit], language: str) -> dict[str, set[str]]:
    """Unit id → its words that say what a proposal's label ("målte blodtryk, sygeplejerske") says:
    "sygeplejersken", "målte blodtrykket", so its golden quote and condensate voice the label, as a follow-up
    group's voice the follow-up (guide_groups.voiced, whose matching of words and compounds this is)."""
    from types import SimpleNamespace

    from .guide_groups import voiced

    return voiced([by_id[u] for u in unit_ids], SimpleNamespace(id="", cues=label.split(", ")), language)


def _offer(groups: list[tuple[str, list[str]]], kind: str, unplaced: list[str], out: list[Placement],
           language: str) -> list[str]:
    """``groups`` (label, unit ids) appended to ``out`` as proposals of ``kind``, numbered after the proposals
    already there; returns the units of ``unplaced`` they leave."""
    n = sum(p.kind not in ("codebook", "unplaced") for p in out)
    taken: set[str] = set()
    for label, ids in groups:
        n += 1
        out.append(Placement(f"_proposed_{n}", PROPOSED.get(language, "Proposed: ") + label, ids, kind))
        taken.update(ids)
    return [u for u in unplaced if u not in taken]


MIN_CELL = 2  # units of one matrix cell that make a proposal (the matrix counts every cell; two units make a reading)


def partner_groups(unplaced: list[str], partners: dict[str, list[tuple[str, str]]], by_id: dict[str, MeaningUnit],
                   min_units: int = MIN_CELL) -> list[tuple[str, list[str]]]:
    """(label, unit ids) per code of the crossed dimension among the unplaced units: a participation type's
    units sub-grouped by phase are the matrix's cells ("Idéudvikling (Projektfase)"), each to be read with its
    condensate and quote. A unit with two such codes joins the larger cell; at least ``min_units`` units from
    at least two interviews, or ``min_units`` + 1 from one."""
    cells: dict[tuple[str, str], list[str]] = {}
    for uid in unplaced:
        for key in partners.get(uid, []):
            cells.setdefault(key, []).append(uid)
    taken: set[str] = set()
    out = []
    for key, ids in sorted(cells.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ids = [u for u in ids if u not in taken]
        interviews = {by_id[u].transcript for u in ids}
        if len(ids) >= min_units + (len(interviews) < 2):
            out.append((key[1], sorted(ids)))
            taken.update(ids)
    return out


def _partner_proposals(unplaced: list[str], partners, by_id: dict[str, MeaningUnit], language: str,
                       out: list[Placement]) -> list[str]:
    """Proposals by the crossed dimension's codes (the matrix cells); returns the units still unplaced."""
    return _offer(partner_groups(unplaced, partners, by_id), "matrix", unplaced, out, language)


def _followup_proposals(unplaced: list[str], by_id: dict[str, MeaningUnit], language: str, out: list[Placement],
                        followups) -> list[str]:
    """Proposals by the guide's follow-up each unit answers; returns the units still unplaced."""
    from .guide_groups import FOLLOWUP_LABEL, MIN_FOLLOWUP_UNITS, followup_groups, voiced

    start = len(out)
    groups = followup_groups([by_id[u] for u in unplaced], followups, language, min_units=MIN_FOLLOWUP_UNITS)
    left = _offer(groups, "question", unplaced, out, language)
    template = PROPOSED.get(language, "Proposed: ") + FOLLOWUP_LABEL.get(language, FOLLOWUP_LABEL["en"])
    asked = {template.format(label=f.label): f for f in reversed(followups)}  # two of one label: the first
    for p in out[start:]:
        p.voice = voiced([by_id[u] for u in p.unit_ids], asked[p.label], language)
    return left


def _question_proposals(theme: Theme, unplaced: list[str], by_id: dict[str, MeaningUnit], language: str,
                        out: list[Placement]) -> list[str]:
    """Proposals by a word the interviewers' questions share, among the units still unplaced; returns those
    left."""
    from .guide_groups import question_groups, stem_key

    lemma = _lemmatizer(language)
    exclude = {stem_key(lemma(w.lower()), language) for name in (theme.label, theme.id)
               for w in _WORD.findall(name)}
    return _offer(question_groups([by_id[u] for u in unplaced], language, exclude=exclude), "question", unplaced,
                  out, language)


def _codebook_buckets(members: dict, by_id: dict[str, MeaningUnit], ctx: _Context) -> tuple[dict[str, list[str]], list[str]]:
    """Units by the coder's first-level sub-theme when it stands in context; the rest in a list."""
    buckets: dict[str, list[str]] = {}
    rest: list[str] = []
    for uid in sorted(members):
        hit = [sub for sub in ctx.first_level(members[uid]) if sub in ctx.level1 and ctx.fits(by_id[uid], sub)]
        for sub in hit:
            buckets.setdefault(sub, []).append(uid)
        if not hit:
            rest.append(uid)
    return buckets, rest


def _attach_rest(unplaced: list[str], out: list[Placement], by_id: dict[str, MeaningUnit], language: str,
                 ctx: _Context) -> list[str]:
    """Leftover units that clearly resemble one placed sub-group join it (never against a sub-theme's context
    words); returns the units still unplaced. Only sub-groups made of what units say take units by resemblance:
    the answers to one follow-up, or one matrix cell, are a group by the question or the code, and a unit that
    shares words with some of them neither answers that follow-up nor sits in that cell."""
    targets = [p for p in out if p.kind in ("codebook", "proposed")]
    attached = attach([by_id[u] for u in unplaced], [[by_id[i] for i in p.unit_ids] for p in targets], language)
    for uid, index in list(attached.items()):
        target = targets[index]
        if target.kind == "codebook" and not ctx.fits(by_id[uid], target.subtheme):
            del attached[uid]  # resemblance never overrules a sub-theme's context words
            continue
        target.unit_ids.append(uid)
    for p in out:
        p.unit_ids.sort()
    return [u for u in unplaced if u not in attached]


# Words that open the rest of an answer rather than a new point: connectives, and pronouns and adverbs that
# point back to what was just said. Left out on purpose: Danish "der" and "for" (mostly a relative/expletive
# and a preposition), and personal pronouns ("han", "hun", "she"), which as often open a new story.
CONTINUES = {
    "da": frozenset("og men så også derfor dermed desuden samtidig alligevel dog altså nemlig ellers bagefter "
                    "derefter herefter sidenhen hvilket det dét dette den denne de disse dem deres dens dets her "
                    "heller".split()),
    "en": frozenset("and but so also then therefore thus however still afterwards later which that this these "
                    "those it its they them their either neither".split()),
}
_FILLERS = frozenset("øh øhm æh æhm hm hmm eh uh uhm um erm".split())
_WORD = re.compile(r"[^\W\d_]+")


def continues(unit: MeaningUnit, language: str) -> bool:
    """True when the unit opens with a word that carries on from what was said just before it ("Og så …",
    "Men det …", "That was …"); hesitation sounds before it are passed over."""
    words = CONTINUES.get(language, CONTINUES["en"])
    for match in _WORD.finditer(unit.text[:80]):
        word = match.group(0).lower()
        if word not in _FILLERS:
            return word in words
    return False


def _follow_answers(unplaced: list[str], out: list[Placement], by_id: dict[str, MeaningUnit], language: str,
                    ctx: _Context) -> list[str]:
    """A leftover unit that carries on from the unit before it in the same turn (:func:`continues`) joins the
    codebook sub-theme or word proposal that unit is in: the rest of an answer goes where its first part went,
    as a researcher reading the turn would put it. Never against a sub-theme's context words; a chain of such
    units follows its first part. Groups by the guide's question or by a matrix cell take no units this way
    (they are groups by the question or the code, not by what was said). Returns the units still unplaced."""
    home: dict[tuple[str, int, int], Placement] = {}
    for p in out:
        if p.kind in ("codebook", "proposed"):
            for uid in p.unit_ids:
                u = by_id[uid]
                home.setdefault((u.transcript, u.turn, u.position), p)
    joined: set[str] = set()
    for uid in sorted(unplaced, key=lambda i: (by_id[i].transcript, by_id[i].turn, by_id[i].position)):
        u = by_id[uid]
        target = home.get((u.transcript, u.turn, u.position - 1))
        if target is None or not continues(u, language):
            continue
        if target.kind == "codebook" and not ctx.fits(u, target.subtheme):
            continue
        target.unit_ids.append(uid)
        home[(u.transcript, u.turn, u.position)] = target
        joined.add(uid)
    for p in out:
        p.unit_ids.sort()
    return [u for u in unplaced if u not in joined]


def _unplaced_row(unplaced: list[str], n_members: int, language: str) -> Placement:
    """The row of units placed nowhere, flagged when above :data:`MAX_UNPLACED` of the theme's units."""
    label = UNPLACED.get(language, "Not placed")
    if len(unplaced) > MAX_UNPLACED * n_members:
        from .i18n import percent  # "30 %" in Danish, as every other share of the report: it said "30%"

        label += f" ({FLAG.get(language, FLAG['en']).format(limit=percent(MAX_UNPLACED, language))})"
    return Placement("_unplaced", label, unplaced, "unplaced")


RECALL_SIMILARITY = 0.08  # cosine of a unit (+ its question) with a sub-theme's codebook text that places it there
RECALL_OWN = 0.05  # ... of which the unit's own words alone must give this much (a question alone places nothing)
RECALL_MARGIN = 0.02  # ... and this much more than for the next sub-theme
QUESTION_WEIGHT = 0.5  # a word of the interviewer's question counts half a word of the unit
RECALL_MIN_WORDS = 3  # content words a unit needs to be placed by resemblance


def recall_subthemes(units: list[MeaningUnit], theme: Theme, language: str, ctx: "_Context",
                     common: set[str] | frozenset[str], members: list[MeaningUnit], *,
                     lemmas: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Units of the theme that no sub-theme term matched, placed in the sub-theme whose codebook text they
    resemble: unit id → first-level sub-theme id.

    A sub-theme is its codebook text (label, description, include, examples, terms, phrases, and those of its
    own sub-themes), lemmatised; a unit is its content words plus, at half weight, those of the question it
    answers. Words are weighted by rarity in the language × IDF over the theme's units; words the whole corpus
    uses and stop words count for nothing. A unit joins the most similar sub-theme when the cosine is at
    least :data:`RECALL_SIMILARITY`, its own words alone give :data:`RECALL_OWN`, it beats the next sub-theme
    by :data:`RECALL_MARGIN`, and the sub-theme's context words stand in it. Linear: units × sub-themes.
    ``lemmas``: unit id → content lemmas, when the caller has them for the whole run.
    """
    from .emergent import content_lemmas
    from .stopwords import stop_words as _stop_words_cached

    if not units or not theme.subthemes:
        return {}
    stop = _stop_words_cached(language)
    if lemmas is None:
        lemmas = {u.unit_id: content_lemmas(u, stop) for u in members}
    df = Counter(w for u in members for w in set(lemmas[u.unit_id]))
    vector = _RecallVectors(df, max(len(members), 1), language)
    words = _RecallWords(language, stop, common)
    profiles = {s.id: vector(Counter(words(_codebook_text(s)))) for s in theme.subthemes}
    out = {}
    for u in units:
        own = Counter(w for w in lemmas[u.unit_id] if w not in common)
        if sum(own.values()) < RECALL_MIN_WORDS:
            continue
        sid = _most_like(vector(own + Counter({w: QUESTION_WEIGHT for w in words(u.question)})), vector(own),
                         profiles)
        if sid is not None and ctx.fits(u, sid):
            out[u.unit_id] = sid
    return out


def _most_like(both: dict[str, float], alone: dict[str, float], profiles: dict[str, dict[str, float]]) -> str | None:
    """The sub-theme a unit's words (``both``: with its question's; ``alone``: its own) clearly resemble, or None."""
    sims = sorted(((sum(x * p.get(w, 0.0) for w, x in both.items()), sid) for sid, p in profiles.items()),
                  key=lambda x: (-x[0], x[1]))
    best, sid = sims[0]
    second = sims[1][0] if len(sims) > 1 else 0.0
    own_sim = sum(x * profiles[sid].get(w, 0.0) for w, x in alone.items())
    return sid if best >= RECALL_SIMILARITY and own_sim >= RECALL_OWN and best - second >= RECALL_MARGIN else None


class _RecallWords:
    """The content lemmas of a text (a question, a sub-theme's codebook text) for :func:`recall_subthemes`; each
    text is read once (the units answering one question share it)."""

    _TOKEN = re.compile(r"[^\W\d_][\w-]*")

    def __init__(self, language: str, stop, common):
        self.stop, self.common, self.lemma, self.seen = stop, common, _lemmatizer(language), {}

    def __call__(self, text: str) -> list[str]:
        got = self.seen.get(text)
        if got is None:
            stop, common, lemma = self.stop, self.common, self.lemma
            got = []
            for t in self._TOKEN.findall(text.lower()):
                if t not in stop and len(t) >= 3:
                    w = lemma(t)
                    if w not in stop and w not in common:
                        got.append(w)
            self.seen[text] = got
        return got


class _RecallVectors:
    """Unit-length weight vectors (sublinear TF × IDF over the theme's units × background rarity) for
    :func:`recall_subthemes`; each word's IDF and rarity are found once per theme."""

    def __init__(self, df: Counter, n: int, language: str):
        self.df, self.n, self.language, self.factors = df, n, language, {}

    def factor(self, w: str) -> tuple[float, float]:
        got = self.factors.get(w)
        if got is None:
            got = self.factors[w] = (math.log((1 + self.n) / (1 + self.df.get(w, 0))), _rarity(w, self.language))
        return got

    def __call__(self, counts: Counter) -> dict[str, float]:
        v = {}
        for w, c in counts.items():
            if c > 0:
                idf, rare = self.factor(w)
                v[w] = (1 + math.log(c)) * idf * rare
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / norm for w, x in v.items()}


@lru_cache(maxsize=1 << 18)
def _rarity(word: str, language: str) -> float:
    """A word's background rarity (:func:`condense.emergent.rarity`), found once per process rather than once per
    theme: a word of many themes' units was looked up again for each (the sample: 2,675 look-ups of 1,445 words)."""
    from .emergent import background_zipf, rarity

    return rarity(background_zipf(word, language))


def _codebook_text(sub: Theme) -> str:
    """Everything the codebook says about a sub-theme and its own sub-themes."""
    parts = []
    for node in [sub] + [d for d, _ in sub.walk()]:
        parts += [node.label, node.description, node.include] + list(node.examples) + list(node.terms) + list(node.phrases)
    return " ".join(p for p in parts if p)


PROPOSAL_MIN_COHERENCE = 0.15
PROPOSAL_MIN_DISTINCTIVENESS = 0.3
ATTACH_SIMILARITY = 0.25  # cosine to a sub-group's centroid that places a leftover unit in it
ATTACH_MARGIN = 0.05  # ... and by this much more than to the next sub-group


def attach(units: list[MeaningUnit], groups: list[list[MeaningUnit]], language: str, *,
           min_similarity: float = ATTACH_SIMILARITY, margin: float = ATTACH_MARGIN) -> dict[str, int]:
    """Leftover units that clearly resemble one sub-group: unit id → the group's index.

    Each unit is compared with each group's centroid (the same word weights as discovery: background
    rarity, spoken stop words); it joins the most similar group when the cosine is at least
    ``min_similarity`` and beats the next group by ``margin``. Linear: units × groups, no unit pairs.
    """
    import numpy as np
    from scipy import sparse

    from .emergent import TermSpace, display_forms
    from .group_tfidf import column_means

    everyone = [u for g in groups for u in g] + list(units)
    if not units or not groups:
        return {}
    # family terms (emergent._family_told) are for discovery among uncovered units; inside a theme they were not tried
    rep = TermSpace(language, min_units=2, min_interviews=1, max_df=0.5, display=display_forms(everyone),
                    family_terms=False)
    X = sparse.csr_matrix(rep.fit_transform(everyone))
    if not rep.words:
        return {}
    rows, start = [], 0
    for g in groups:
        c = column_means(X, start, start + len(g)) if g else np.zeros(X.shape[1])
        norm = np.linalg.norm(c)
        rows.append(c / norm if norm else c)
        start += len(g)
    C = np.vstack(rows)
    sims = np.asarray(X[start:] @ C.T)
    out = {}
    for u, row in zip(units, sims):
        order = np.argsort(-row, kind="stable")
        best = row[order[0]]
        second = row[order[1]] if len(order) > 1 else 0.0
        if best >= min_similarity and best - second >= margin:
            out[u.unit_id] = int(order[0])
    return out


def propose(units: list[MeaningUnit], language: str, *, random_state: int = 0, min_size: int = 3,
            min_interviews: int = 2, common: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, list[str]]]:
    """Coherent groups among ``units``: (label, unit ids), largest first; units in no group are left out.

    A group's words are used in ``min_interviews`` interviews, as a candidate theme's are: a group of one
    interview is held together and labelled by one speaker's words ("fjernvarme, affald, ulighed", six units
    of one ecape_da interview), which say how that person told it, not an idea of the theme."""
    import numpy as np
    from scipy import sparse

    from .emergent import TermSpace, Thresholds, describe_group as _describe, label_group as _label, display_forms, find_groups, is_stop

    ordered = sorted(units, key=lambda u: u.unit_id)
    if len(ordered) < 2 * min_size:
        return []
    display = display_forms(ordered)
    rep = TermSpace(language, min_units=2, min_interviews=1, max_df=0.4, display=display, family_terms=False)
    X = sparse.csr_matrix(rep.fit_transform(ordered))
    if not rep.words:
        return []
    B = (X > 0).astype(np.float64).tocsr()
    counts = np.asarray(B.sum(axis=0)).ravel()
    Bc = sparse.csc_matrix(B)
    names = sorted({u.transcript for u in ordered})
    interviews = np.array([names.index(u.transcript) for u in ordered])
    # inside a theme the bar of the first round (coherence 0.15, distinctiveness 0.3): the theme already
    # says what the units share, a proposal only has to name a coherent part of it
    th = Thresholds(min_size=min_size, min_interviews=min_interviews, min_coherence=PROPOSAL_MIN_COHERENCE,
                    min_distinctiveness=PROPOSAL_MIN_DISTINCTIVENESS)
    from collections import Counter

    pool_pairs: Counter = Counter()
    for p in rep.pairs:
        pool_pairs.update({(a, b) for a, b, _, _ in p})
    out = []
    for raw in find_groups(B, rep.rarity, interviews, min_size=min_size, min_interviews=min_interviews):
        top, coherence, distinct, head, lead = _describe(raw.members, B, counts, rep.rarity, 6, words=rep.words, Bc=Bc)
        if len(head) < 2:
            continue  # inside a theme, one shared word is not an idea ("beboerne", "besluttede")
        if (len(raw.members) < th.min_size or not th.coherent(head, coherence, distinct, rep.rarity, lead)
                or not th.distinct(distinct, head, rep.rarity, lead) or len(raw.members) > 0.6 * len(ordered) or not top):
            continue
        label = _label(raw.members, top, rep.words, rep.pairs, display, language, pool_pairs, common, B, interviews)
        if not label or is_stop(label.split(",")[0], language):
            continue
        out.append((label, sorted(ordered[i].unit_id for i in raw.members)))
    out.sort(key=lambda x: (-len(x[1]), x[0]))
    return out
