"""Condensate drafts in STC's sense: one text per sub-group, in the respondents' first person plural.

Malterud's condensate is an "artificial quotation": the sub-group's content retold in the participants'
own words. The draft is composed, not glued: sentences are taken from the sub-group's units, ranked by how
central they are to the sub-group (cosine to its centroid), and picked by maximal marginal relevance from
*different interviews* (a second sentence of an interview only once every interview has given one), so the
draft says what several plans say rather than one unit at length. Each sentence is cleaned of fillers by
Danish-safe rules (:func:`condense.condensation.clean_speech`), spoken in "vi" (jeg→vi, mig→os,
min/mit/mine→vores), and kept to at most ``MAX_RUN`` words, so no draft repeats a run of more than 25 words
of one unit. Left out: notes documents (third person), interviewer speech, consent/introduction/closing
exchanges, meta-talk ("hvis jeg skal være ærlig", "som sagt", "det kommer vi til") and bare backchannels.

The draft stays marked ``[UDKAST]``/``[DRAFT]``; a researcher's ``condensates.csv`` always replaces it.
"""
from __future__ import annotations

import re

import numpy as np

from .model import MeaningUnit

DRAFT_MARK = {"da": "[UDKAST] ", "en": "[DRAFT] "}
MAX_RUN = 25  # the longest verbatim stretch of one unit a draft may hold
TARGET_WORDS = 60
MMR_LAMBDA = 0.7

_META = {
    "da": re.compile(
        r"\b(?:hvis jeg skal være ærlig|skal jeg være ærlig|ærlig talt|som sagt|som jeg sagde|det kommer vi (?:vel )?til|"
        r"det må jeg (?:sige|indrømme)|kan man sige|vil jeg sige|godt spørgsmål|undskyld|hvad hedder det|hvor var jeg|"
        r"jeg kan ikke huske|det ved jeg ikke|jeg ved ikke|som du (?:siger|spurgte)|dit spørgsmål|interview\w*|"
        r"rapporten|optag\w*|mail|ringe|telefon\w*|det er et sidespor|sidespor|nu vi taler om|ærligt sige|"
        r"må jeg (?:ærligt )?(?:sige|indrømme)|tror jeg nok|kan jeg huske|vil jeg (?:godt )?sige)\b", re.I),
    "en": re.compile(
        r"\b(?:to be honest|as I said|we'll come to|good question|sorry|I can't remember|I don't know|your question|"
        r"interview\w*|report|record\w*|e-?mail|phone)\b", re.I),
}
_PLURAL = {
    "da": [(r"\bjeg\b", "vi"), (r"\bJeg\b", "Vi"), (r"\bmig\b", "os"), (r"\bMig\b", "Os"),
           (r"\bmin\b", "vores"), (r"\bmit\b", "vores"), (r"\bmine\b", "vores"),
           (r"\bMin\b", "Vores"), (r"\bMit\b", "Vores"), (r"\bMine\b", "Vores")],
    "en": [(r"\bI\b", "we"), (r"\bme\b", "us"), (r"\bmy\b", "our"), (r"\bMy\b", "Our"), (r"\bmine\b", "ours"),
           (r"\bI'm\b", "we're"), (r"\bI've\b", "we've")],
}
_LEAD = re.compile(r"^(?:og|men|eller|jamen|ja|nej|jo),?\s+(?=\w)", re.I)  # never "så": Danish inverts after it
_BACKCHANNEL = re.compile(r"^\W*(?:\w+\W*){0,3}$")


def first_person_plural(sentence: str, language: str = "da") -> str:
    """The respondents' collective voice: Danish verbs do not inflect for person, so pronouns suffice."""
    out = sentence
    for pattern, repl in _PLURAL.get(language, []):
        out = re.sub(pattern, repl, out)
    if language == "en" and out.startswith("we "):
        out = "We " + out[3:]
    return out


def _sentences(unit: MeaningUnit, language: str) -> list[str]:
    from .condensation import clean_speech
    from .quotes import sentences

    out = []
    for a, b in sentences(unit.text):
        raw = unit.text[a:b]
        if _META.get(language, _META["en"]).search(raw) or "?" in raw:
            continue
        if re.search(r"\s[–-]\s*$|\s[–-]\s+[a-zæøå]", raw):  # self-repair or broken-off sentence
            continue
        cleaned = _LEAD.sub("", clean_speech(raw, language))
        cleaned = cleaned[:1].upper() + cleaned[1:]
        n = len(re.findall(r"\w+", cleaned))
        if n < 6 or n > MAX_RUN or _BACKCHANNEL.match(cleaned):
            continue
        if (cleaned.count('"') + cleaned.count("”") + cleaned.count("“")) % 2:
            continue
        out.append(cleaned)
    return out


def draft(units: list[MeaningUnit], central: list[float], language: str = "da", *,
          target_words: int = TARGET_WORDS, matched: set[str] | None = None) -> str:
    """One condensate draft for a sub-group ('' when none of its units gives a usable sentence).

    ``matched``: the words the coder matched in the sub-group's units; a sentence holding one of them speaks
    to the sub-group and ranks higher."""
    from .quotes import contains_matched

    from .quotes import eligible

    pool: list[tuple[str, str, float]] = []  # (sentence, interview, centrality of its unit)
    unit_of: list[str] = []
    for u, c in zip(units, central):
        if not eligible(u, language):
            continue
        for s in _sentences(u, language):
            pool.append((s, u.transcript, c))
            unit_of.append(u.unit_id)
    if not pool:
        return ""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [p[0] for p in pool]
    try:
        X = TfidfVectorizer(lowercase=True, token_pattern=r"(?u)\b\w\w+\b").fit_transform(texts).toarray()
    except ValueError:
        return ""
    centroid = X.mean(axis=0)
    norm = np.linalg.norm(X, axis=1)
    norm[norm == 0] = 1.0
    cn = np.linalg.norm(centroid) or 1.0
    relevance = (X @ centroid) / (norm * cn) + 0.3 * np.array([p[2] for p in pool])
    if matched:
        relevance = relevance + 0.5 * np.array([contains_matched(t, matched) for t in texts], dtype=float)
    sim = (X @ X.T) / np.outer(norm, norm)
    chosen: list[int] = []
    interviews_used: set[str] = set()
    n_interviews = len({p[1] for p in pool})
    words = 0
    while words < target_words:
        best, best_score = None, None
        for i in range(len(pool)):
            if i in chosen or texts[i] in {texts[j] for j in chosen} or unit_of[i] in {unit_of[j] for j in chosen}:
                continue  # one sentence per unit: no draft repeats a long stretch of one unit
            fresh = pool[i][1] not in interviews_used
            if not fresh and len(interviews_used) < n_interviews:
                continue
            redundancy = max((sim[i, j] for j in chosen), default=0.0)
            score = MMR_LAMBDA * relevance[i] - (1 - MMR_LAMBDA) * redundancy
            key = (score, -i)
            if best_score is None or key > best_score:
                best, best_score = i, key
        if best is None:
            break
        n = len(re.findall(r"\w+", texts[best]))
        if chosen and words + n > target_words * 1.3:
            break
        chosen.append(best)
        interviews_used.add(pool[best][1])
        words += n
    # the draft reads in the order the sentences were ranked (most central first); two neighbours may
    # together repeat a longer stretch of a unit than either alone, so the last such sentence goes
    sources = [u.text for u in units]
    body = " ".join(first_person_plural(texts[i], language) for i in chosen)
    while len(chosen) > 1 and longest_shared_run(body, sources) > MAX_RUN:
        chosen.pop()
        body = " ".join(first_person_plural(texts[i], language) for i in chosen)
    return DRAFT_MARK.get(language, "[DRAFT] ") + body


def longest_shared_run(draft_text: str, source_texts: list[str]) -> int:
    """The longest run of consecutive words (case-insensitive) a draft shares with any one source text."""
    tokens = re.findall(r"\w+", draft_text.lower())
    best = 0
    for text in source_texts:
        src = re.findall(r"\w+", text.lower())
        if not src:
            continue
        prev = [0] * (len(src) + 1)
        for a in tokens:
            cur = [0] * (len(src) + 1)
            for j, b in enumerate(src, start=1):
                if a == b:
                    cur[j] = prev[j - 1] + 1
                    if cur[j] > best:
                        best = cur[j]
            prev = cur
    return best
