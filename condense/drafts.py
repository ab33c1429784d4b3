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

__all__ = [
    "DRAFT_MARK", "MAX_RUN", "TARGET_WORDS", "MMR_LAMBDA", "first_person_plural", "draft", "longest_shared_run"
]

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
_PLURAL_RULES = {language: [(re.compile(p), repl) for p, repl in rules] for language, rules in _PLURAL.items()}
_BROKEN_OFF = re.compile(r"\s[–-]\s*$|\s[–-]\s+[a-zæøå]")  # self-repair or broken-off sentence
_LEAD = re.compile(r"^(?:og|men|eller|jamen|ja|nej|jo),?\s+(?=\w)", re.I)  # never "så": Danish inverts after it
_BACKCHANNEL = re.compile(r"^\W*(?:\w+\W*){0,3}$")
# An answer that is only a subordinate clause ("At det var beboerne selv, der styrede det." to "Hvad gjorde
# forskellen?"; "Fordi de kendte hinanden."; "Mens de sad og spillede whist."): no main clause, so not a sentence
# of a condensate (the subordinate openings quotes.py reads the same way).
_FRAGMENT = {
    "da": re.compile(r"^(?:at\s+(?:det|de|der|den|vi|man|han|hun|jeg|du|dem|folk|nogle|alle|beboerne)\b|"
                     r"(?:fordi|hvis|selvom|når|mens)\b[^,;:]*[.!]?$)", re.I),
    "en": re.compile(r"^(?:that\s+(?:it|they|there|we|you|he|she|I|people|some|all)\b|"
                     r"(?:because|if|although|when|while)\b[^,;:]*[.!]?$)", re.I),
}


def first_person_plural(sentence: str, language: str = "da") -> str:
    """The respondents' collective voice: Danish verbs do not inflect for person, so pronouns suffice."""
    out = sentence
    for pattern, repl in _PLURAL_RULES.get(language, []):
        out = pattern.sub(repl, out)
    if language == "en" and out.startswith("we "):
        out = "We " + out[3:]
    return out


def _sentences(unit: MeaningUnit, language: str) -> list[str]:
    from .condensation import clean_speech
    from .quotes import sentences, unbalanced_quotation

    out = []
    for a, b in sentences(unit.text):
        raw = unit.text[a:b]
        if _META.get(language, _META["en"]).search(raw) or "?" in raw:
            continue
        if _BROKEN_OFF.search(raw):
            continue
        cleaned = _LEAD.sub("", clean_speech(raw, language))
        if _FRAGMENT.get(language, _FRAGMENT["en"]).match(cleaned):
            continue
        cleaned = cleaned[:1].upper() + cleaned[1:]
        n = len(_WORDS.findall(cleaned))
        if n < 6 or n > MAX_RUN or _BACKCHANNEL.match(cleaned):
            continue
        if unbalanced_quotation(cleaned):
            continue
        out.append(cleaned)
    return out


def draft(units: list[MeaningUnit], central: list[float], language: str = "da", *,
          target_words: int = TARGET_WORDS, matched: set[str] | None = None, counts=None) -> str:
    """One condensate draft for a sub-group ('' when none of its units gives a usable sentence).

    ``matched``: the words the coder matched in the sub-group's units; a sentence holding one of them speaks
    to the sub-group and ranks higher. ``counts``: a :class:`condense.group_tfidf.CountRows` shared by the
    rows of one run (each unit's sentences are found and counted once)."""
    from .group_tfidf import CountRows, column_means, group_tfidf
    from .quotes import matched_test, present_words

    counts = counts if counts is not None else CountRows()
    pool, unit_of = _pool(units, central, language, counts)
    if not pool:
        return ""
    texts = [p[0] for p in pool]
    X = group_tfidf([counts.row(("sentence", t), lambda t=t: _TOKEN.findall(t.lower())) for t in texts])
    if X is None:  # no word of two letters: scikit-learn's "empty vocabulary"
        return ""
    centroid = column_means(X)
    norm = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norm[norm == 0] = 1.0
    cn = np.linalg.norm(centroid) or 1.0
    relevance = np.asarray(X @ centroid).ravel() / (norm * cn) + 0.3 * np.array([p[2] for p in pool])
    if matched:
        holds = matched_test(matched)
        known = [counts.memo(("present", t), lambda t=t: present_words(t)) for t in texts]  # once per sentence
        relevance = relevance + 0.5 * np.array([holds(t, k) for t, k in zip(texts, known)], dtype=float)
    chosen = _pick(X, norm, relevance, texts, unit_of, [p[1] for p in pool], target_words)
    # the draft reads in the order the sentences were ranked (most central first); two neighbours may
    # together repeat a longer stretch of a unit than either alone, so the last such sentence goes
    body = " ".join(first_person_plural(texts[i], language) for i in chosen)
    if len(chosen) > 1 and len(_WORDS.findall(body.lower())) > MAX_RUN:
        haystack = "\n".join(counts.memo(("words", u.unit_id), lambda u=u: _word_line(u.text)) for u in units)
        while len(chosen) > 1 and _shares_run(body, haystack, MAX_RUN):
            chosen.pop()
            body = " ".join(first_person_plural(texts[i], language) for i in chosen)
    return DRAFT_MARK.get(language, "[DRAFT] ") + body


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def prepare(units: list[MeaningUnit], language: str, memo) -> None:
    """The part of :func:`draft` that depends on a unit alone (whether it may be condensed, its usable
    sentences and their words), for ``units``, into ``memo`` (a :class:`condense.group_tfidf.CountRows`)
    under the keys :func:`draft` reads: worked out ahead, in another process while the sub-groups are made."""
    from .quotes import eligible, present_words

    for u in units:
        if memo.memo(("eligible", u.unit_id), lambda u=u: eligible(u, language)):
            for s in memo.memo(("sentences", u.unit_id), lambda u=u: _sentences(u, language)):
                memo.memo(("present", s), lambda s=s: present_words(s))


def _pool(units: list[MeaningUnit], central: list[float], language: str, counts) -> tuple[list, list[str]]:
    """The candidate sentences: (sentence, interview, centrality of its unit) and each one's unit id."""
    from .quotes import eligible

    pool: list[tuple[str, str, float]] = []
    unit_of: list[str] = []
    for u, c in zip(units, central):
        if not counts.memo(("eligible", u.unit_id), lambda u=u: eligible(u, language)):
            continue
        for s in counts.memo(("sentences", u.unit_id), lambda u=u: _sentences(u, language)):
            pool.append((s, u.transcript, c))
            unit_of.append(u.unit_id)
    return pool, unit_of


def _pick(X, norm, relevance, texts: list[str], unit_of: list[str], interviews: list[str], target_words: int) -> list[int]:
    """Maximal marginal relevance: sentences by relevance less their likeness to those already chosen, one
    per unit and per text, from a new interview until every interview has given one, up to the target
    length. Only the chosen sentences are compared with the rest (no all-pairs matrix)."""
    n = len(texts)
    open_ = np.ones(n, dtype=bool)  # neither its unit nor its text chosen yet
    text_id = _ids(texts)
    unit_id = _ids(unit_of)
    interview = _ids(interviews)
    interview_used = np.zeros(interview.max() + 1, dtype=bool)
    redundancy = np.zeros(n)
    chosen: list[int] = []
    words = 0
    while words < target_words:
        allowed = open_ if interview_used.all() else open_ & ~interview_used[interview]
        if not allowed.any():
            break
        score = MMR_LAMBDA * relevance - (1 - MMR_LAMBDA) * redundancy
        best = int(np.argmax(np.where(allowed, score, -np.inf)))  # the first of equals: the lowest index
        k = len(_WORDS.findall(texts[best]))
        if chosen and words + k > target_words * 1.3:
            break
        chosen.append(best)
        open_ &= (text_id != text_id[best]) & (unit_id != unit_id[best])
        interview_used[interview[best]] = True
        words += k
        similarity = (X @ _dense_row(X, best)) / (norm * norm[best])
        redundancy = np.maximum(redundancy, similarity)
    return chosen


def _dense_row(X, i: int) -> np.ndarray:
    """Row ``i`` of a CSR matrix as a dense vector, read from its arrays (slicing a row out of the matrix
    costs more than the product it feeds)."""
    row = np.zeros(X.shape[1])
    lo, hi = X.indptr[i], X.indptr[i + 1]
    row[X.indices[lo:hi]] = X.data[lo:hi]
    return row


def _ids(values: list[str]) -> np.ndarray:
    """Each value's index among the distinct values (equal values, equal ids)."""
    index: dict[str, int] = {}
    return np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)


def shares_run_longer_than(draft_text: str, source_texts: list[str], n: int) -> bool:
    """Whether the draft shares a run of more than ``n`` consecutive words (case-insensitive) with any one
    source text: ``longest_shared_run(...) > n``, in one substring search per run of ``n + 1`` words of the
    draft rather than a comparison of every word pair."""
    return _shares_run(draft_text, "\n".join(_word_line(t) for t in source_texts), n)


_WORDS = re.compile(r"\w+")


def _word_line(text: str) -> str:
    """A text's words, lower case, one space between and around them (a run of words is a substring)."""
    return " " + " ".join(_WORDS.findall(text.lower())) + " "


def _shares_run(draft_text: str, haystack: str, n: int) -> bool:
    tokens = _WORDS.findall(draft_text.lower())
    return any(" " + " ".join(tokens[i:i + n + 1]) + " " in haystack for i in range(len(tokens) - n))


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
