"""Sub-groups by the guide's follow-up question: units that answer the same question across interviews.

A guided interview asks the same follow-ups in every phase and every interview (in the study: were residents
involved, your own role, other actors, what worked well, the particular challenges). Answers to "Hvad var de
særlige udfordringer?" rarely share the words of any codebook sub-theme, and they rarely share words with each
other either: each plan had its own challenges. Yet "the challenges of implementation" is the sub-group a
researcher would make of them. So, among a theme's units that nothing else placed, a word of the interviewer's
question that recurs in the questions of at least :data:`MIN_INTERVIEWS` interviews makes a proposal (the
rarest such word first: "udfordringer" before "kørte"). It is a proposal like the others (never a finding), and its label says that it
rests on the question, not on what the answers say: it quotes the question as the interviewers asked it most
often when they asked it in the same words more than once ("svar på »Og udfordringerne?«"), else the word the
questions share ("svar på spørgsmål om »mand«").

When the codebook names the guide's follow-ups (``followups:``, each with the ways interviewers word it:
"svært", "udfordring", "op ad bakke", "drille" …), :func:`followup_groups` comes first: the five follow-ups
are asked in many words ("Og bagsiden?", "Hvor skurrede det?"), so a shared question word finds only the
ones asked alike, where the researcher's list of cues finds them all. Its label names the follow-up
("Udfordringer (svar på guidens opfølgning)"). Its golden quote is an answer that says what the follow-up asks
about in the answer's own words, found by the same cues (:func:`voiced`: "Mændene er bare svære at få fat på"),
when one does, rather than the answer most central to the group.

Linear in the units: one pass to count question words, one greedy pass to assign.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from .model import MeaningUnit

__all__ = ["MIN_INTERVIEWS", "MIN_UNITS", "QUESTION_LABEL", "WORD_LABEL", "FOLLOWUP_LABEL", "question_groups",
           "followup_groups", "followup_of", "stem_key", "voiced"]

MIN_INTERVIEWS = 3  # a follow-up of the guide recurs across interviews; a one-off question is not a sub-group
MIN_UNITS = 3
MAX_SHARE = 0.6  # a question word in most units' questions names the theme itself, not a part of it
QUESTION_LABEL = {"da": "svar på »{question}«", "en": "answers to “{question}”"}
WORD_LABEL = {"da": "svar på spørgsmål om »{word}«", "en": "answers to questions about “{word}”"}
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
FOLLOWUP_LABEL = {"da": "{label} (svar på guidens opfølgning)", "en": "{label} (answers to the guide's follow-up)"}
MIN_FOLLOWUP_INTERVIEWS = 2  # the researcher named the follow-up: two interviews that asked it make a group
MIN_FOLLOWUP_UNITS = 2  # ... of two answers (a word shared by questions by chance needs MIN_UNITS)


def followup_groups(units: list[MeaningUnit], followups, language: str, *, min_units: int = MIN_UNITS,
                    min_interviews: int = MIN_FOLLOWUP_INTERVIEWS) -> list[tuple[str, list[str]]]:
    """(label, unit ids) per follow-up of the guide (:class:`condense.codebook.Followup`) that the units'
    questions ask, in at least ``min_units`` units from ``min_interviews`` interviews. A question that asks two
    follow-ups at once ("Hvad var godt, og hvad var svært?") counts for the first the codebook lists."""
    if not followups:
        return []
    cues = _cue_forms(followups, language)
    groups: dict[str, list[MeaningUnit]] = defaultdict(list)
    asked: dict[str, str | None] = {}  # the units of one answer share its question: read it once
    for u in sorted(units, key=lambda x: x.unit_id):
        q = u.question or ""
        if q not in asked:
            asked[q] = followup_of(q, cues, language)
        hit = asked[q]
        if hit is not None:
            groups[hit].append(u)
    out = []
    for f in followups:
        members = groups.get(f.id, [])
        if len(members) >= min_units and len({u.transcript for u in members}) >= min_interviews:
            label = FOLLOWUP_LABEL.get(language, FOLLOWUP_LABEL["en"]).format(label=f.label)
            out.append((label, sorted(u.unit_id for u in members)))
    return out


def voiced(units: list[MeaningUnit], followup, language: str) -> dict[str, set[str]]:
    """Unit id → the words (and phrases) of its answer that say what ``followup`` asks about, matched by the
    follow-up's cues as questions are ("det sværeste var …", "problemet", "lykkedes"): a follow-up group's
    golden quote and condensate should voice the follow-up, not only answer it. Units that voice nothing are
    left out. A unit is read once per run (:func:`_reading`), though it is voiced for every follow-up group
    and proposal it is in, and a phrase is looked for only where its first word stands."""
    [(_, forms)] = _cue_forms([followup], language)
    says = _says(tuple(f[0] for f in forms if len(f) == 1), language)
    phrases = [f for f in forms if len(f) > 1]
    out: dict[str, set[str]] = {}
    for u in units:
        text = u.text
        spans, words, ks, lows, at = _reading(text, language)
        found = {low for low in lows if says(low)}
        for form in phrases:
            n = len(form)
            for i in {i for key in form[0] for i in at.get(key, ())}:
                if (i + n <= len(words) and all(not ks[i + j].isdisjoint(form[j]) for j in range(1, n))
                        and text[spans[i][1]:spans[i + n - 1][0]].replace(" ", "") == "".join(words[i + 1:i + n - 1])):
                    found.add(" ".join(words[i:i + n]).lower())
        if found:
            out[u.unit_id] = found
    return out


@lru_cache(maxsize=1 << 14)
def _reading(text: str, language: str) -> tuple:
    """A unit's words as :func:`voiced` reads them: their spans, the words, each word's keys
    (:func:`_word_keys`), the distinct words in lower case, and key → the positions of the words having it."""
    keys = _word_keys(language)
    spans = [m.span() for m in _WORD.finditer(text)]
    words = [text[a:b] for a, b in spans]
    ks = [keys(w) for w in words]
    at: dict[str, list[int]] = {}
    for i, k in enumerate(ks):
        for key in k:
            at.setdefault(key, []).append(i)
    return spans, words, ks, frozenset(w.lower() for w in words), at


_SAYS: dict = {}  # (one-word cues, language) → word (lower case) → it matches one of them


def _says(single: tuple[frozenset, ...], language: str):
    """Whether a word (in lower case) matches one of the one-word cues ``single`` (:func:`_one`); each word is
    tried once per set of cues in a run (a follow-up's answers are voiced in every theme they are in)."""
    if len(_SAYS) > 256:  # (a proposal's label makes a set of cues of its own: kept for the last few hundred)
        _SAYS.clear()
    seen = _SAYS.setdefault((single, language), {})
    keys = _word_keys(language)
    every = frozenset().union(*single)
    tails: dict[int, set[str]] = {}  # length → the cue forms of that length that may end a compound (_one)
    for c in every:
        if len(c) >= 4:
            tails.setdefault(len(c), set()).add(c)

    def says(low: str) -> bool:  # any(_one(keys(low), cue) for cue in single), by one look-up per key and length
        hit = seen.get(low)
        if hit is None:
            k = keys(low)
            hit = seen[low] = not k.isdisjoint(every) or any(
                x[-n:] in forms for x in k for n, forms in tails.items() if n <= len(x) - 3)
        return hit

    return says


def _one(keys: frozenset, cue: frozenset) -> bool:
    """A one-word cue matches a word by a key, or as the last part of a compound ("udfordring" in
    "hverdagsudfordringer")."""
    # a tail x[i:] for i in 3 .. len(x) - 4: four letters or more, after three or more (one endswith per key and cue
    # form rather than a slice per letter)
    return not cue.isdisjoint(keys) or any(4 <= len(c) <= len(x) - 3 and x.endswith(c) for x in keys for c in cue)


def _cue_forms(followups, language: str) -> list[tuple[str, list[tuple[frozenset, ...]]]]:
    """(follow-up id, its cues as tuples of word keys), in the codebook's order."""
    keys = _word_keys(language)
    return [(f.id, [tuple(keys(w) for w in _WORD.findall(c.lower())) for c in f.cues if _WORD.search(c)])
            for f in followups]


_KEYS: dict = {}  # language → its keys function (:func:`_word_keys`)
_LEMMAS: dict = {}  # language → its compound lemmatiser (:func:`_lemmatizer`)


def _lemmatizer(language: str):
    """:func:`condense.nlp.compound_lemmatizer`, made once per language: each one keeps the lemmas it found, and
    the proposals' voices, the follow-ups and the questions of every theme read the same words."""
    got = _LEMMAS.get(language)
    if got is None:
        from .nlp import compound_lemmatizer

        got = _LEMMAS[language] = compound_lemmatizer(language)
    return got


def _word_keys(language: str):
    """A word → the forms it may match by: itself, its lemma and both without an inflection (the lemmatiser
    gives "drillede" → "drille" but "drille" → "dril"; "svært" → "sværte": a cue must match all the same).
    One function per language, which finds each word's keys once (a run asks again for every sub-group)."""
    got = _KEYS.get(language)
    if got is not None:
        return got
    lemma = _lemmatizer(language)

    @lru_cache(maxsize=1 << 18)
    def keys(word: str) -> frozenset:
        low = word.lower()
        lem = lemma(low)
        return frozenset((low, lem, stem_key(low, language), stem_key(lem, language)))

    _KEYS[language] = keys
    return keys


def followup_of(question: str, cues: list[tuple[str, list[tuple[frozenset, ...]]]], language: str) -> str | None:
    """The first follow-up whose cue stands in the question: a cue's words in a row, each by its word, lemma or
    stem; a one-word cue also as the last part of a compound ("udfordring" in "hverdagsudfordringer")."""
    keys = _word_keys(language)
    words = [keys(w) for w in _WORD.findall(question)]
    if not words:
        return None
    present = frozenset().union(*words)
    tails = {x[i:] for x in present for i in range(3, len(x) - 3)}  # compound tails of four letters or more
    for fid, forms in cues:
        for form in forms:
            if len(form) == 1:
                if not form[0].isdisjoint(present) or not form[0].isdisjoint(tails):
                    return fid
            elif not form[0].isdisjoint(present) and _in_row(words, form):
                return fid
    return None


def _in_row(words: list[frozenset], form: tuple[frozenset, ...]) -> bool:
    n = len(form)
    return any(all(not words[i + j].isdisjoint(form[j]) for j in range(n)) for i in range(len(words) - n + 1))


def question_groups(units: list[MeaningUnit], language: str, *, exclude: set[str] = frozenset(),
                    min_interviews: int = MIN_INTERVIEWS, min_units: int = MIN_UNITS) -> list[tuple[str, list[str]]]:
    """(label, unit ids) for each recurring question word among ``units``, most units first; a unit joins
    the group of its question's rarest recurring word. ``exclude``: keys that may not make a group (the theme's
    own name, "planlægning"; also its verb, "planlægge", by a shared first seven letters: a question naming the
    theme opens it, it is not a part of it)."""
    words_of, surface = _question_words(units, language, exclude)
    ranked = _ranked_keys(units, words_of, language, min_units, min_interviews)
    groups: dict[str, list[MeaningUnit]] = defaultdict(list)
    for u in sorted(units, key=lambda x: x.unit_id):
        best = next((k for k in ranked if k in words_of[u.unit_id]), None)
        if best is not None:
            groups[best].append(u)
    out = []
    for key, members in groups.items():
        if len(members) >= min_units and len({u.transcript for u in members}) >= min_interviews:
            out.append((_label(members, surface[key], language), sorted(u.unit_id for u in members)))
    out.sort(key=lambda x: (-len(x[1]), x[0]))
    return out


_SUFFIXES = {"da": ("erne", "ene", "ere", "er", "en", "et", "e", "t"), "en": ("ies", "es", "ed", "ing", "s")}


def _question_words(units: list[MeaningUnit], language: str, exclude) -> tuple[dict[str, set[str]], dict[str, Counter]]:
    """Unit id → the keys of its question's content words; key → the forms the interviewers wrote."""
    from .stopwords import stop_words

    lemma = _lemmatizer(language)
    stop = stop_words(language)
    prefixes = {x[:7] for x in exclude if len(x) >= 5}
    words_of: dict[str, set[str]] = {}
    surface: dict[str, Counter] = defaultdict(Counter)
    for u in units:
        found = set()
        for w in _WORD.findall(u.question or ""):
            low = w.lower()
            if len(low) < 4 or low in stop or lemma(low) in stop:
                continue
            key = stem_key(lemma(low), language)
            if key in exclude or key[:7] in prefixes:
                continue
            found.add(key)
            surface[key][low] += 1
        words_of[u.unit_id] = found
    return words_of, surface


def _ranked_keys(units: list[MeaningUnit], words_of: dict[str, set[str]], language: str, min_units: int,
                 min_interviews: int) -> list[str]:
    """The keys that may make a group (asked in enough units and interviews, but not in most units'
    questions), rarest in the language first."""
    spread = _spread(units, words_of)
    limit = MAX_SHARE * len(units)
    zipf = _zipf(language)
    return sorted((k for k, (n, interviews) in spread.items()
                   if min_units <= n <= limit and len(interviews) >= min_interviews),
                  key=lambda k: (round(zipf(k), 1), -len(spread[k][1]), -spread[k][0], k))


def stem_key(word: str, language: str) -> str:
    """A question word's key: its lemma without an inflection the lemmatiser left ("svært", "svære" → "svær";
    "rollen" → "roll"). Only a grouping key, never shown."""
    for suffix in _SUFFIXES.get(language, _SUFFIXES["en"]):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-len(suffix)]
    return word


def _label(units: list[MeaningUnit], forms: Counter, language: str) -> str:
    """The question itself when interviewers asked it in the same words in two interviews or more ("svar på »Og
    udfordringerne?«"), else the word the questions share ("svar på spørgsmål om »mand«"): one question
    picked from many different ones would misstate what the group rests on."""
    asked, times = _typical_question(units, forms)
    if times >= 2:
        return QUESTION_LABEL.get(language, QUESTION_LABEL["en"]).format(question=asked)
    word = sorted(forms.items(), key=lambda x: (-x[1], x[0]))[0][0]
    return WORD_LABEL.get(language, WORD_LABEL["en"]).format(word=word)


def _typical_question(units: list[MeaningUnit], forms: Counter) -> tuple[str, int]:
    """The group's question as the interviewers asked it in most interviews, and in how many: the sentence of
    each unit's question that holds the word (shortest first among equally frequent ones), at most
    :data:`MAX_QUESTION` characters."""
    asked: dict[str, set[str]] = defaultdict(set)  # question → the interviews that asked it in these words
    for u in units:
        for sentence in _SENTENCE.findall(u.question or ""):
            sentence = " ".join(sentence.split()).strip(" –-")
            if sentence.endswith("?") and any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", sentence, re.I) for f in forms):
                asked[sentence[:1].upper() + sentence[1:]].add(u.transcript)
                break
    if not asked:
        return "", 0
    best, where = sorted(asked.items(), key=lambda x: (-len(x[1]), len(x[0]), x[0]))[0]
    times = len(where)
    return (best if len(best) <= MAX_QUESTION else best[:MAX_QUESTION - 1].rstrip() + "…"), times


_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")
MAX_QUESTION = 70


def _zipf(language: str):
    """Word → how common it is in the language (wordfreq's Zipf scale, shipped inside the package): the rarer
    of two question words says more ("udfordringer" before "særlige")."""
    from wordfreq import zipf_frequency

    return lambda word: zipf_frequency(word, language)


def _spread(units: list[MeaningUnit], words_of: dict[str, set[str]]) -> dict[str, tuple[int, set[str]]]:
    """Question word → (units whose question holds it, interviews they come from)."""
    n: Counter = Counter()
    interviews: dict[str, set[str]] = defaultdict(set)
    for u in units:
        for key in words_of[u.unit_id]:
            n[key] += 1
            interviews[key].add(u.transcript)
    return {k: (n[k], interviews[k]) for k in n}
