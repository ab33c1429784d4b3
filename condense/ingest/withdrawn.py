"""The withdrawn-passage grammar: ``[[withdrawn]] … [[/withdrawn]]``, strictly.

A respondent who withdraws a passage was promised that it is never used. Guessing what a broken marker
meant would break that promise either way (text withheld that was meant to be used, or text used that was
meant to be withheld), so anything that *looks like* a marker but is not exactly one is a coded error with
the file and line:

* ``[[withdrawn]`` / ``[withdrawn]]`` / ``[[ withdrawn ]]`` / ``[[with drawn]]`` (a Word line break inside
  the marker becomes a space) — E801, a mistyped marker (letter case is free: ``[[Withdrawn]]`` is a marker);
* an opener inside a withdrawn passage — E802 (nesting);
* a closer with no opener — E803;
* an opener that is never closed — E113.

Passages may span lines, turns, .docx paragraphs and subtitle cues: the grammar runs over a file's whole
normalised text, before it is cut into blocks. The passages are then blanked (every character but line
breaks becomes a space), so offsets stay valid and nothing downstream can see them.

For the consent audit, each passage leaves *fingerprints*: salted hashes of its distinctive words and of its
four-word shingles, kept in memory only. The text itself is never stored or written anywhere.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field

from ..errors import CondenseError, CondenseErrors, display_path

__all__ = [
    "MARKER_LIKE", "OPENER", "CLOSER", "SHINGLE", "WORD_RE", "fingerprint_hash", "word_hashes", "distinctive",
    "Withdrawn", "find_withdrawn", "FRAGMENT", "BRACKETED", "blank", "strip_withdrawn",
    "word_value", "shingle_hashes", "value_array", "REPEAT_WORDS", "refuse_repeats", "shingle_table", "repeat_at",
]

_WORD = r"w[ \t]*i[ \t]*t[ \t]*h[ \t]*d[ \t]*r[ \t]*a[ \t]*w[ \t]*n"
MARKER_LIKE = re.compile(rf"(?P<open>\[+)?[ \t]*(?P<slash>/)?[ \t]*{_WORD}[ \t]*(?P<close>\]+)?", re.I)
OPENER = re.compile(r"\[\[withdrawn\]\]", re.I)
CLOSER = re.compile(r"\[\[/withdrawn\]\]", re.I)

# Hashes are salted per process: they are compared in memory and never written, and a salt keeps a
# dictionary attack on a stray copy useless.
_SALT = os.urandom(16)
SHINGLE = 4
WORD_RE = re.compile(r"\w+")


_MASK = (1 << 64) - 1
_BASE = 0x9E3779B97F4A7C15  # odd, so every shingle position counts (the multiplier is invertible mod 2**64)


def _word_value(word: str) -> int:
    """A word's salted 64-bit value (keyed BLAKE2b)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8, key=_SALT).digest(), "little")


class _WordValues(dict):
    """word → :func:`_word_value`, each word hashed once. Fed only words of non-withdrawn text (allowed
    texts, outputs under audit): the words of a withdrawn passage are hashed without it."""

    def __missing__(self, word: str) -> int:
        value = self[word] = _word_value(word)
        return value


_VALUES = _WordValues()


def fingerprint_hash(token: str) -> int:
    """The fingerprint of ``"w:" + word`` (a word) or ``"s:" + "w1 w2 w3 w4"`` (a shingle), as stored in
    :class:`Withdrawn` and returned by :func:`word_hashes`."""
    kind, body = token[:2], token[2:]
    if kind == "w:":
        return _VALUES[body]
    if kind == "s:":
        h = 0
        for w in body.split(" "):
            h = (h * _BASE + _VALUES[w]) & _MASK
        return h
    return _word_value(token)


def _shingles(values):
    """The hash of every run of SHINGLE words, from an array of word values (uint64; one vectorised pass:
    the multiplications wrap mod 2**64 as in :func:`fingerprint_hash`)."""
    import numpy as np

    n = len(values) - SHINGLE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    base = np.uint64(_BASE)
    h = values[:n].copy()
    for k in range(1, SHINGLE):
        h *= base
        h += values[k:k + n]
    return h


def _value_array(words: list[str], values=None):
    import numpy as np

    get = (values if values is not None else _VALUES).__getitem__
    return np.fromiter(map(get, words), dtype=np.uint64, count=len(words))


def word_hashes(text: str) -> tuple[set[int], set[int]]:
    """(hashes of words, hashes of four-word shingles) of a text, case-folded."""
    values = _value_array(WORD_RE.findall(text.casefold()))
    return set(values.tolist()), set(_shingles(values).tolist())


def withdrawn_overlap(text: str, words: set[int], shingles: set[int]) -> str:
    """``"word"`` when ``text`` holds a word of ``words``, ``"shingle"`` when it holds four words in a row
    of ``shingles`` (hashes from :class:`Withdrawn`), else ``""`` — one pass over the text."""
    values = _value_array(WORD_RE.findall(text.casefold()))
    if words and not words.isdisjoint(values.tolist()):
        return "word"
    if shingles and not shingles.isdisjoint(_shingles(values).tolist()):
        return "shingle"
    return ""


# For the consent audit (audit_scan.py), which hashes the outputs with a cache of its own per run.
word_value, shingle_hashes, value_array = _word_value, _shingles, _value_array


def distinctive(words: list[str], language: str | None) -> list[str]:
    """Words of a withdrawn passage worth a single-word fingerprint: 5+ letters and not a dictionary word
    (a dictionary word may well appear in the results for other reasons; a name or a rare word may not)."""
    from ..lexicon import is_known

    out = []
    for w in words:
        if len(w) < 5 or not any(ch.isalpha() for ch in w) or w.isdigit():
            continue
        try:
            known = is_known(w, language or "da") or is_known(w, "en")
        except Exception:  # noqa: BLE001 - an unknown language code: treat as unknown word
            known = False
        if not known:
            out.append(w)
    return out


@dataclass
class Withdrawn:
    """The withdrawn passages of one text: spans (markers included) and their fingerprints."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    words: set[int] = field(default_factory=set)  # single distinctive words
    shingles: set[int] = field(default_factory=set)
    # names a speaker gives for themselves inside a passage ("[[withdrawn]]Jeg hedder Søren Ågård …"): an anonymous
    # respondent who withdrew their introduction is still named by a colleague in another interview, and the
    # privacy needs the name to hide it there (in memory only, as the fingerprints; never written)
    names: set[str] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.spans)

    def add_fingerprints(self, passage: str, language: str | None) -> None:
        words = WORD_RE.findall(passage.casefold())
        own = {w: _word_value(w) for w in words}  # not kept in the shared cache
        self.words |= {own[w] for w in distinctive(words, language)}
        self.shingles |= set(_shingles(_value_array(words, own)).tolist())


def find_withdrawn(text: str, path, *, unit: str = "line", first_line: int = 1, language: str | None = None,
                   where: str | None = None) -> Withdrawn:
    """Check the marker grammar over ``text`` and return its withdrawn passages. Raises every marker
    mistake at once (E801–E803, E113), each with the file and line (``unit``: line, paragraph, row)."""
    result = Withdrawn()
    folded = text.casefold()
    if "withdrawn" not in folded and not _loose(text, folded):
        return result
    name = where or display_path(path)

    def line_of(pos: int) -> str:
        return f"{unit} {first_line + text.count(chr(10), 0, pos)}"

    spans, errors = _passages(text, name, line_of, unit)
    errors += _misspelt(text, name, line_of) + _fragments(text, name, line_of) + _foreign(text, name, line_of)
    if errors:  # every mistake at once, in the order of the file (a typo first, then what it caused)
        errors = [e for _, e in sorted(errors, key=lambda x: x[0])]
        raise errors[0] if len(errors) == 1 else CondenseErrors(errors)
    result.spans = spans
    for start, end in spans:
        inner = text[start:end]
        inner = CLOSER.sub(" ", OPENER.sub(" ", inner))
        result.add_fingerprints(inner, language)
        result.names |= _introduced(inner)
    return result


def _introduced(passage: str) -> set[str]:
    """The names a withdrawn passage's speaker introduces themselves by (see :attr:`Withdrawn.names`)."""
    from types import SimpleNamespace

    from ..privacy import introduced_names

    return introduced_names(SimpleNamespace(anonymous=True, turns=[SimpleNamespace(speaker="", text=passage)]))


def _passages(text: str, name: str, line_of, unit: str) -> tuple[list[tuple[int, int]], list]:
    """The passages between exact markers, and (position, error) for every marker that is not exact (E801),
    nested (E802), a closer without opener (E803) or an opener never closed (E113 / E804)."""
    spans: list[tuple[int, int]] = []
    errors: list[tuple[int, CondenseError]] = []
    open_at: int | None = None
    for m in MARKER_LIKE.finditer(text):
        if not m.group("open") and not m.group("close"):
            continue  # the word itself, in running text
        token, at = m.group(0), m.start()
        if OPENER.fullmatch(token):
            if open_at is not None:
                errors.append((at, CondenseError("E802", path=name, line=line_of(at), first=line_of(open_at))))
            else:
                open_at = at
        elif CLOSER.fullmatch(token):
            if open_at is None:
                errors.append((at, CondenseError("E803", path=name, line=line_of(at))))
            else:
                spans.append((open_at, m.end()))
                open_at = None
        else:
            errors.append((at, CondenseError("E801", path=name, line=line_of(at), marker=token.strip())))
    if open_at is not None:
        if unit == "line":  # the historical code and message for transcripts
            errors.append((open_at, CondenseError("E113", path=name, line=line_of(open_at).split()[-1])))
        else:
            errors.append((open_at, CondenseError("E804", path=name, line=line_of(open_at))))
    return spans, errors


def _misspelt(text: str, name: str, line_of) -> list:
    """A misspelt marker: [[witdrawn]], [[/withdrawm]], [withdraw]] (E801)."""
    errors = []
    for m in BRACKETED.finditer(text):
        inner = re.sub(r"[^a-z]", "", m.group("inner").casefold())
        if inner != "withdrawn" and inner and _near(inner, "withdrawn"):
            errors.append((m.start(), CondenseError("E801", path=name, line=line_of(m.start()), marker=m.group(0).strip())))
    return errors


# Markers condense does not know, which a researcher may well have meant as withdrawn ones: a closing tag of another
# word in double brackets ("[[/trukket tilbage]]", "[[/slettet]]"), the Danish words in brackets ("[[trukket
# tilbage]]", "[tilbagetrukket: …]"), "withdrawn" tagged in other brackets ("(withdrawn) … (/withdrawn)",
# "</withdrawn>", full-width "［［withdrawn］］" pasted from an East Asian text). Their passage was read as speech,
# into every output. None is in ecape_da's 30 interviews or the sample (ecape_da's only "[[" is a note inside a
# note: "[[kvindelig informant] og Y griner]").
_FOREIGN = re.compile(r"\[\[[ \t]*/[ \t]*(?P<inner>[^\[\]\n]{1,40}?)[ \t]*\]\]"
                      r"|\[{1,2}[ \t]*/?[ \t]*(?i:trukket[ \t]+tilbage|tilbage[ \t]*trukket)"
                      r"|[(<{][ \t]*/?[ \t]*(?i:withdrawn)[ \t]*[)>}]|[［【〚⟦][ \t]*/?[ \t]*(?i:withdrawn)")


def _foreign(text: str, name: str, line_of) -> list:
    """A marker of another kind (:data:`_FOREIGN`) where a withdrawn one was surely meant (E801)."""
    return [(m.start(), CondenseError("E801", path=name, line=line_of(m.start()), marker=m.group(0).strip()))
            for m in _FOREIGN.finditer(text) if not _near(re.sub(r"[^a-z]", "", (m.group("inner") or "").casefold()),
                                                           "withdrawn")]


def _fragments(text: str, name: str, line_of) -> list:
    """Half a marker, the rest cut off by a line, paragraph or cue break (E801)."""
    errors = []
    for m in FRAGMENT.finditer(text):
        word = (m.group("head") or m.group("tail") or "").casefold()
        if (m.group("head") and "withdrawn".startswith(word)) or (m.group("tail") and "withdrawn".endswith(word)):
            errors.append((m.start(), CondenseError("E801", path=name, line=line_of(m.start()), marker=m.group(0).strip())))
    return errors


# "with drawn" in any case. The letters as the classes re.IGNORECASE gives them (i also matches İ and ı): a
# case-blind search is slower than one for a character class, over every transcript's whole text.
_LOOSE = re.compile(r"[Ww][Iiİı][Tt][Hh][ \t]*[Dd][Rr][Aa][Ww][Nn]")
FRAGMENT = re.compile(r"\[\[[ \t]*/?[ \t]*(?P<head>[A-Za-z]{2,8})[ \t]*(?=\n|$)"
                      r"|(?:^|(?<=\n))[ \t]*(?P<tail>[A-Za-z]{2,8})[ \t]*\]\]")
# "[" then up to two more: the same matches as ``\[{1,3}``, but a literal first character lets the regex engine
# skip to each "[" (over ecape_da's 2.1 million characters: 11 -> 1 ms)
# FRAGMENT's two halves for a yes/no answer: a head has a literal "[[" to skip to; a tail is looked for only at
# the lines whose first "]]" it could end (FRAGMENT's tail alternative tried every position of the text)
_FRAGMENT_HEAD = re.compile(r"\[\[[ \t]*/?[ \t]*[A-Za-z]{2,8}[ \t]*(?=\n|$)")
_TAIL_BEFORE = re.compile(r"[ \t]*[A-Za-z]{2,8}[ \t]*")
BRACKETED = re.compile(r"\[\[{0,2}[ \t]*/?[ \t]*(?P<inner>[^\[\]\n]{4,25}?)[ \t]*\]{1,3}")


def _loose(text: str, folded: str | None = None) -> bool:
    """Something in ``text`` that looks like a marker without being one. ``folded`` (``text.casefold()``,
    when the caller has it) spares the search for "with drawn" where "drawn" is not in it at all: every
    match of _LOOSE folds to a text holding "drawn" (a case-blind scan of a whole transcript, 7 ms of
    ecape_da's 30)."""
    if (folded is None or "drawn" in folded) and _LOOSE.search(text):
        return True
    if ("[[" in text or (folded or text.casefold()).find("tilbage") >= 0) and _FOREIGN.search(text):
        return True
    return _has_fragment(text) or ("[" in text and any(
        _near(re.sub(r"[^a-z]", "", m.group("inner").casefold()), "withdrawn") for m in BRACKETED.finditer(text)))


def _has_fragment(text: str) -> bool:
    """``bool(FRAGMENT.search(text))``: half a marker at the end of a line ("[[with") or at the start of one
    ("drawn]]"). A tail stands between a line's start and the first "]]" on it."""
    if "[[" in text and _FRAGMENT_HEAD.search(text):
        return True
    at = text.find("]]")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        if _TAIL_BEFORE.fullmatch(text, start, at):
            return True
        end = text.find("\n", at)  # the next line's first "]]"
        if end < 0:
            return False
        at = text.find("]]", end)
    return False


def _near(word: str, target: str) -> bool:
    """Within two edits of ``target`` (a misspelt marker word)."""
    if abs(len(word) - len(target)) > 2:
        return False
    if sum(c not in target for c in word) > 2:  # each letter the target lacks costs an edit of its own
        return False
    prev = list(range(len(target) + 1))
    for i, a in enumerate(word, start=1):
        cur = [i]
        for j, b in enumerate(target, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != b)))
        prev = cur
    return prev[-1] <= 2


def blank(text: str, spans: list[tuple[int, int]], keep_line=None) -> str:
    """Every character of the spans becomes a space, line breaks kept (offsets stay valid). ``keep_line``
    (a compiled regex) restores whole lines inside a span that are structure, not speech (subtitle timings)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    out = "".join(chars)
    if keep_line is not None:
        lines_in = text.split("\n")
        lines_out = out.split("\n")
        for i, (a, b) in enumerate(zip(lines_in, lines_out)):
            if a != b and keep_line.match(a) and "[" not in a and "withdrawn" not in a.casefold():
                lines_out[i] = a
        out = "\n".join(lines_out)
    return out


def strip_withdrawn(value: str, path, line, *, column: str = "", language: str | None = None,
                    collect: Withdrawn | None = None, where: str | None = None) -> str:
    """One cell of a table (an excerpt, a note, a condensate): withdrawn passages removed, markers
    checked. A passage must open and close inside its cell. ``where``: how errors name the cell (default:
    the file, ``row {line}`` and the column)."""
    if not value:
        return value
    folded = value.casefold()
    if "withdrawn" not in folded and not _loose(value, folded):
        return value
    where = where or f"{display_path(path)}, row {line}" + (f", column '{column}'" if column else "")
    found = find_withdrawn(value, path, unit="cell line", language=language, where=where)
    if collect is not None:
        collect.spans.extend(found.spans)
        collect.words |= found.words
        collect.names |= found.names
        collect.shingles |= found.shingles
    if not found.spans:
        return value
    out = []
    pos = 0
    for start, end in found.spans:
        out.append(value[pos:start])
        pos = end
    out.append(value[pos:])
    return " ".join(" ".join(out).split())


# Words in a row of a withdrawn passage that, said again outside every passage, repeat it. Measured on ecape_da's
# 15,781 respondent sentences of 8 words or more, each taken as withdrawn: 105 (0.67%) have 8 words in a row said
# elsewhere too, most of them the same sentence said twice ("der bor enlige i mange af lejlighederne her"); at 7
# words 2.5%, at 6 words 9% ("eller hvad man nu kalder det"). The sample's 1,285 such sentences: none at 8, 18 at 7.
REPEAT_WORDS = 8


def refuse_repeats(transcripts) -> None:
    """Refuse (E834, every turn at once) a turn that says again, outside every passage, :data:`REPEAT_WORDS` words
    in a row of a withdrawn passage of any transcript: an interviewer quoting the passage back ("Du sagde, at …"),
    the respondent saying it again, or another interview holding it. Such a repeat is in no passage, so it is no
    withdrawn text to the consent audit either (the audit allows what the transcripts hold outside passages): it
    reached units.csv, the workbook and the report. Which words were said again is not shown; nor is the text
    kept: the turns' words are hashed as the passages' were, and looked up among their four-word shingles."""
    import numpy as np

    sources = [t for t in transcripts if t is not None and getattr(t.withdrawn_fingerprints, "shingles", None)]
    if not sources:
        return
    table = shingle_table(set().union(*(t.withdrawn_fingerprints.shingles for t in sources)))
    errors = []
    for t in transcripts:
        if t is None:
            continue
        for turn, first in _repeats(t.turns, table):
            where = next(s for s in sources if first in s.withdrawn_fingerprints.shingles)
            errors.append(CondenseError("E834", path=display_path(t.path), line=f"{_unit(t.path)} {turn.line}",
                                        n=REPEAT_WORDS, source=display_path(where.path)))
    if errors:
        raise errors[0] if len(errors) == 1 else CondenseErrors(errors)


def _repeats(turns, table) -> list:
    """(turn, the first shingle hash of its repeat) for each turn holding a repeat, as :func:`repeat_at` finds it,
    for all the turns of a transcript at once: their words in one array, so the numpy calls are made per transcript,
    not per turn (per turn they cost 2.8 CPU s at a million words; the sample's copies hold withdrawn passages).
    A shingle running from one turn into the next is no shingle (masked), so a run never crosses turns."""
    import numpy as np
    from bisect import bisect_right
    from itertools import accumulate

    words = [WORD_RE.findall(turn.text.casefold()) for turn in turns]
    need = REPEAT_WORDS - SHINGLE + 1
    hashes = _shingles(_value_array([w for ws in words for w in ws]))
    if len(hashes) < need:
        return []
    hit = table[np.minimum(np.searchsorted(table, hashes), len(table) - 1)] == hashes
    if not hit.any():
        return []
    starts = [0, *accumulate(map(len, words))]
    for end in starts[1:-1]:  # the SHINGLE - 1 shingles that begin in one turn and end in the next
        hit[max(0, end - SHINGLE + 1):end] = False
    runs = np.convolve(hit.astype(np.int32), np.ones(need, dtype=np.int32), mode="valid") == need
    found, last = [], -1
    for at in np.flatnonzero(runs).tolist():
        k = bisect_right(starts, at) - 1
        if k != last:  # the first repeat of each turn
            found.append((turns[k], int(hashes[at])))
            last = k
    return found


def shingle_table(shingles: set[int]):
    """Withdrawn shingle hashes as :func:`repeat_at` looks them up (a sorted array)."""
    import numpy as np

    return np.array(sorted(shingles), dtype=np.uint64)


def repeat_at(text: str, table) -> int | None:
    """The first shingle hash of a run of :data:`REPEAT_WORDS` words or more of ``text`` whose every four-word
    shingle is in ``table`` (sorted withdrawn shingle hashes), else None."""
    import numpy as np

    hashes = _shingles(_value_array(WORD_RE.findall(text.casefold())))
    need = REPEAT_WORDS - SHINGLE + 1
    if len(hashes) < need:
        return None
    at = np.minimum(np.searchsorted(table, hashes), len(table) - 1)
    hit = table[at] == hashes
    run = 0
    for i, h in enumerate(hit.tolist()):
        run = run + 1 if h else 0
        if run == need:
            return int(hashes[i - need + 1])
    return None


def _unit(path) -> str:
    """How a transcript's error names where: a word processor's paragraph, a table's row, else a line."""
    suffix = str(path).lower().rsplit(".", 1)[-1]
    return "paragraph" if suffix in ("docx", "odt", "rtf") else "row" if suffix in ("csv", "tsv", "xlsx") else "line"
