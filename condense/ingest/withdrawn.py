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
    "Withdrawn", "find_withdrawn", "FRAGMENT", "BRACKETED", "blank", "strip_withdrawn"
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


def fingerprint_hash(token: str) -> bytes:
    return hashlib.blake2b(token.encode("utf-8"), digest_size=10, key=_SALT).digest()


def word_hashes(text: str) -> tuple[set[bytes], set[bytes]]:
    """(hashes of words, hashes of four-word shingles) of a text, case-folded."""
    words = WORD_RE.findall(text.casefold())
    singles = {fingerprint_hash("w:" + w) for w in words}
    shingles = {fingerprint_hash("s:" + " ".join(words[i:i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}
    return singles, shingles


def distinctive(words: list[str], language: str | None) -> list[str]:
    """Words of a withdrawn passage worth a single-word fingerprint: 5+ letters and not a dictionary word
    (a dictionary word may well appear in the results for other reasons; a name or a rare word may not)."""
    import simplemma

    out = []
    for w in words:
        if len(w) < 5 or not any(ch.isalpha() for ch in w) or w.isdigit():
            continue
        try:
            known = simplemma.is_known(w, lang=language or "da") or simplemma.is_known(w, lang="en")
        except Exception:  # noqa: BLE001 - an unknown language code: treat as unknown word
            known = False
        if not known:
            out.append(w)
    return out


@dataclass
class Withdrawn:
    """The withdrawn passages of one text: spans (markers included) and their fingerprints."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    words: set[bytes] = field(default_factory=set)  # single distinctive words
    shingles: set[bytes] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.spans)

    def add_fingerprints(self, passage: str, language: str | None) -> None:
        words = WORD_RE.findall(passage.casefold())
        self.words |= {fingerprint_hash("w:" + w) for w in distinctive(words, language)}
        self.shingles |= {fingerprint_hash("s:" + " ".join(words[i:i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


def find_withdrawn(text: str, path, *, unit: str = "line", first_line: int = 1, language: str | None = None,
                   where: str | None = None) -> Withdrawn:
    """Check the marker grammar over ``text`` and return its withdrawn passages. Raises every marker
    mistake at once (E801–E803, E113), each with the file and line (``unit``: line, paragraph, row)."""
    result = Withdrawn()
    if "withdrawn" not in text.casefold() and not _loose(text):
        return result
    errors: list[CondenseError] = []
    name = where or display_path(path)

    def line_of(pos: int) -> str:
        return f"{unit} {first_line + text.count(chr(10), 0, pos)}"

    open_at: int | None = None
    for m in MARKER_LIKE.finditer(text):
        if not m.group("open") and not m.group("close"):
            continue  # the word itself, in running text
        token = m.group(0)
        if OPENER.fullmatch(token):
            if open_at is not None:
                errors.append((m.start(), CondenseError("E802", path=name, line=line_of(m.start()), first=line_of(open_at))))
                continue
            open_at = m.start()
        elif CLOSER.fullmatch(token):
            if open_at is None:
                errors.append((m.start(), CondenseError("E803", path=name, line=line_of(m.start()))))
                continue
            result.spans.append((open_at, m.end()))
            open_at = None
        else:
            errors.append((m.start(), CondenseError("E801", path=name, line=line_of(m.start()), marker=token.strip())))
    for m in BRACKETED.finditer(text):  # a misspelt marker: [[witdrawn]], [[/withdrawm]], [withdraw]]
        inner = re.sub(r"[^a-z]", "", m.group("inner").casefold())
        if inner != "withdrawn" and inner and _near(inner, "withdrawn"):
            errors.append((m.start(), CondenseError("E801", path=name, line=line_of(m.start()), marker=m.group(0).strip())))
    for m in FRAGMENT.finditer(text):  # half a marker, the rest cut off by a line, paragraph or cue break
        word = (m.group("head") or m.group("tail") or "").casefold()
        if (m.group("head") and "withdrawn".startswith(word)) or (m.group("tail") and "withdrawn".endswith(word)):
            errors.append((m.start(), CondenseError("E801", path=name, line=line_of(m.start()), marker=m.group(0).strip())))
    if open_at is not None:
        if unit == "line":  # the historical code and message for transcripts
            errors.append((open_at, CondenseError("E113", path=name, line=line_of(open_at).split()[-1])))
        else:
            errors.append((open_at, CondenseError("E804", path=name, line=line_of(open_at))))
    if errors:  # every mistake at once, in the order of the file (a typo first, then what it caused)
        errors = [e for _, e in sorted(errors, key=lambda x: x[0])]
        raise errors[0] if len(errors) == 1 else CondenseErrors(errors)
    for start, end in result.spans:
        inner = text[start:end]
        inner = CLOSER.sub(" ", OPENER.sub(" ", inner))
        result.add_fingerprints(inner, language)
    return result


_LOOSE = re.compile(r"with[ \t]*drawn", re.I)
FRAGMENT = re.compile(r"\[\[[ \t]*/?[ \t]*(?P<head>[A-Za-z]{2,8})[ \t]*(?=\n|$)"
                      r"|(?:^|(?<=\n))[ \t]*(?P<tail>[A-Za-z]{2,8})[ \t]*\]\]")
BRACKETED = re.compile(r"\[{1,3}[ \t]*/?[ \t]*(?P<inner>[^\[\]\n]{4,25}?)[ \t]*\]{1,3}")


def _loose(text: str) -> bool:
    return bool(_LOOSE.search(text)) or ("[[" in text or "]]" in text) and bool(FRAGMENT.search(text)) or ("[" in text and any(
        _near(re.sub(r"[^a-z]", "", m.group("inner").casefold()), "withdrawn") for m in BRACKETED.finditer(text)))


def _near(word: str, target: str) -> bool:
    """Within two edits of ``target`` (a misspelt marker word)."""
    if abs(len(word) - len(target)) > 2:
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
                    collect: Withdrawn | None = None) -> str:
    """One cell of a table (an excerpt, a note, a condensate): withdrawn passages removed, markers
    checked. A passage must open and close inside its cell."""
    if not value or ("withdrawn" not in value.casefold() and not _loose(value)):
        return value
    where = f"{display_path(path)}, row {line}" + (f", column '{column}'" if column else "")
    found = find_withdrawn(value, path, unit="cell line", language=language, where=where)
    if collect is not None:
        collect.spans.extend(found.spans)
        collect.words |= found.words
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
