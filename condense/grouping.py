"""Sub-groups within a theme (STC step 3): codebook sub-themes decided in context, then proposals, and the
rest reported as *not placed*, never as a catch-all sub-group.

For each theme with units:

1. **Codebook sub-themes first.** A unit goes to the sub-theme the coder gave it. A sub-theme may name
   ``context`` words in the codebook: it then counts only when the unit also uses one of them (by lemma,
   or as the last part of a compound). *Voksne mænd* lists words about reaching, recruiting and taking
   part, so "deres mand var død" mentions a man but is not about reaching men; such a unit joins the rest.
   Decided here, from the codebook, so the coder's codings stay as they are and the rule is visible in
   the codebook file.
2. **Proposals among the rest**, with the emergent-theme machinery (:mod:`condense.emergent`): word-anchored
   groups of at least ``min_size`` units, each with coherence and distinctiveness above the thresholds,
   labelled by phrases and words in their most frequent surface form. Linear in the units.
3. **The rest is not placed.** Its units are listed on a row of kind ``unplaced`` ("Ikke placeret" /
   "Not placed") without condensate or quote; when its share of the theme is above
   :data:`MAX_UNPLACED` the label says so, for the researcher to read them.
"""
from __future__ import annotations

from dataclasses import dataclass

from .codebook import Theme
from .model import MeaningUnit

__all__ = [
    "MAX_UNPLACED", "UNPLACED", "FLAG", "PROPOSED", "Placement", "CONTEXT_WINDOW", "in_context", "place",
    "ATTACH_SIMILARITY", "ATTACH_MARGIN", "attach", "propose"
]

MAX_UNPLACED = 0.30  # above this share of a theme's units, the not-placed row is flagged for the researcher
UNPLACED = {"da": "Ikke placeret", "en": "Not placed"}
FLAG = {"da": "over {limit:.0%} af temaets enheder – læs dem, og placér dem eller opret et undertema",
        "en": "over {limit:.0%} of the theme's units – read them, and place them or make a sub-theme"}
PROPOSED = {"da": "Forslag: ", "en": "Proposed: "}


@dataclass
class Placement:
    subtheme: str  # sub-theme id, "_proposed_N" or "_unplaced"
    label: str
    unit_ids: list[str]
    kind: str  # codebook | proposed | unplaced


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

    def hit(lemma: str, word: str) -> bool:
        return lemma == word or (lemma.endswith(word) and len(lemma) > len(word) + 2)

    spots = [i for i, l in enumerate(lemmas) if anchors and any(hit(l, a) for a in anchors)]
    ranges = [(max(0, i - window), i + window + 1) for i in spots] or [(0, len(lemmas))]
    for lo, hi in ranges:
        near = lemmas[lo:hi]
        for form in forms:
            if all(any(hit(l, w) for l in near) for w in form):
                return True
    return False


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
          random_state: int = 0, min_size: int = 3, common: set[str] | None = None) -> list[Placement]:
    """Sub-groups of one theme's units (``members``: unit id → the coder's sub-theme id or '', or a set of them).

    ``common``: the words the whole corpus is about (:func:`condense.emergent.corpus_common` of all units,
    computed from ``by_id`` when not given), which never name a proposal."""
    if common is None:
        from .emergent import corpus_common

        common = corpus_common(list(by_id.values()), language)
    ctx = _Context.of(theme, language)
    buckets, rest = _codebook_buckets(members, by_id, ctx)
    out = [Placement(s.id, s.label, buckets[s.id], "codebook") for s in theme.subthemes if s.id in buckets]
    placed: set[str] = set()
    for n, (label, ids) in enumerate(propose([by_id[u] for u in rest], language, random_state=random_state,
                                             min_size=min_size, common=common), start=1):
        out.append(Placement(f"_proposed_{n}", PROPOSED.get(language, "Proposed: ") + label, ids, "proposed"))
        placed.update(ids)
    unplaced = [u for u in rest if u not in placed]
    if unplaced and out:
        unplaced = _attach_rest(unplaced, out, by_id, language, ctx)
    if unplaced:
        out.append(_unplaced_row(unplaced, len(members), language))
    return out


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
    words); returns the units still unplaced."""
    attached = attach([by_id[u] for u in unplaced], [[by_id[i] for i in p.unit_ids] for p in out], language)
    for uid, index in list(attached.items()):
        target = out[index]
        if target.kind == "codebook" and not ctx.fits(by_id[uid], target.subtheme):
            del attached[uid]  # resemblance never overrules a sub-theme's context words
            continue
        target.unit_ids.append(uid)
    for p in out:
        p.unit_ids.sort()
    return [u for u in unplaced if u not in attached]


def _unplaced_row(unplaced: list[str], n_members: int, language: str) -> Placement:
    """The row of units placed nowhere, flagged when above :data:`MAX_UNPLACED` of the theme's units."""
    label = UNPLACED.get(language, "Not placed")
    if len(unplaced) > MAX_UNPLACED * n_members:
        label += f" ({FLAG.get(language, FLAG['en']).format(limit=MAX_UNPLACED)})"
    return Placement("_unplaced", label, unplaced, "unplaced")


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

    everyone = [u for g in groups for u in g] + list(units)
    if not units or not groups:
        return {}
    rep = TermSpace(language, min_units=2, min_interviews=1, max_df=0.5, display=display_forms(everyone))
    X = sparse.csr_matrix(rep.fit_transform(everyone))
    if not rep.words:
        return {}
    rows, start = [], 0
    for g in groups:
        c = np.asarray(X[start:start + len(g)].mean(axis=0)).ravel() if g else np.zeros(X.shape[1])
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
            min_interviews: int = 1, common: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, list[str]]]:
    """Coherent groups among ``units``: (label, unit ids), largest first; units in no group are left out."""
    import numpy as np
    from scipy import sparse

    from .emergent import TermSpace, Thresholds, describe_group as _describe, label_group as _label, display_forms, find_groups, is_stop

    ordered = sorted(units, key=lambda u: u.unit_id)
    if len(ordered) < 2 * min_size:
        return []
    display = display_forms(ordered)
    rep = TermSpace(language, min_units=2, min_interviews=1, max_df=0.4, display=display)
    X = sparse.csr_matrix(rep.fit_transform(ordered))
    if not rep.words:
        return []
    B = (X > 0).astype(np.float64).tocsr()
    counts = np.asarray(B.sum(axis=0)).ravel()
    names = sorted({u.transcript for u in ordered})
    interviews = np.array([names.index(u.transcript) for u in ordered])
    th = Thresholds(min_size=min_size, min_interviews=min_interviews)
    from collections import Counter

    pool_pairs: Counter = Counter()
    for p in rep.pairs:
        pool_pairs.update({(a, b) for a, b, _, _ in p})
    out = []
    for raw in find_groups(B, rep.rarity, interviews, min_size=min_size, min_interviews=min_interviews):
        top, coherence, distinct = _describe(raw.members, B, counts, rep.rarity, 6)
        if len(top) < 2:
            continue  # inside a theme, one shared word is not an idea ("beboerne", "besluttede")
        if (len(raw.members) < th.min_size or not th.coherent(top, coherence, distinct, rep.rarity) or distinct < th.min_distinctiveness
                or len(raw.members) > 0.6 * len(ordered) or not top):
            continue
        label = _label(raw.members, top, rep.words, rep.pairs, display, language, pool_pairs, common)
        if not label or is_stop(label.split(",")[0], language):
            continue
        out.append((label, sorted(ordered[i].unit_id for i in raw.members)))
    out.sort(key=lambda x: (-len(x[1]), x[0]))
    return out
