"""The data model: plain dataclasses that every pipeline step passes on.

Spans are half-open ``[start, end)`` in code points of the transcript's *normalised source text*
(``Transcript.text``: decoded, NFC, CRLF→LF, NBSP→space; for .docx the paragraphs joined by ``\\n``;
withdrawn passages blanked to spaces of the same length). A unit that crosses a paragraph break or
several subtitle cues has a span covering what lies between its pieces (the break, a cue's timing line).
"""
from __future__ import annotations

import gc
import hashlib
import re
from contextlib import contextmanager
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = [
    "INTERVIEWER", "RESPONDENT", "NOTES_SPEAKER", "Case", "Turn", "Transcript", "MeaningUnit", "Coding",
    "gc_paused", "gc_settled", "settle", "fingerprint", "fingerprint_words", "words_digest", "make_unit_id",
    "UnitId", "parse_unit_id",
]

INTERVIEWER = "interviewer"
RESPONDENT = "respondent"
NOTES_SPEAKER = "notes"  # the speaker of a notes document (kind: notes): the interviewer's words, not a quote


@dataclass(slots=True)
class Case:
    """A case (in the study: a housing-social master plan) with its attributes from cases.csv."""

    id: str
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Turn:
    """One speaker's turn. ``text`` has labels and timestamps removed and no newline in it.

    ``pieces`` maps the turn text back to the source: ``(turn_offset, source_offset, length)`` for
    each contiguous run of source text the turn is made of (a turn may span several paragraphs).
    """

    index: int
    speaker: str
    role: str
    text: str
    start: int
    end: int
    line: int
    timestamp: str | None = None
    seconds: float | None = None
    pieces: list[tuple[int, int, int]] = field(default_factory=list)

    def source_start(self, offset: int) -> int:
        """Map a start offset in ``text`` to the source text."""
        for t_off, s_off, length in self.pieces:
            if offset < t_off + length:
                return s_off + max(0, offset - t_off)
        t_off, s_off, length = self.pieces[-1]
        return s_off + length

    def source_end(self, offset: int) -> int:
        """Map an end offset (exclusive) in ``text`` to the source text."""
        result = self.pieces[0][1]
        for t_off, s_off, length in self.pieces:
            if offset <= t_off:
                break
            result = s_off + min(length, offset - t_off)
        return result


@dataclass(slots=True)
class Transcript:
    """One interview (or a notes document) with its turns and metadata."""

    id: str
    path: str
    text: str
    turns: list[Turn]
    language: str = "da"
    kind: str = "interview"  # interview | notes
    cases: list[str] = field(default_factory=list)
    speakers: dict[str, str] = field(default_factory=dict)  # label -> role
    role_source: str = ""  # configured | legend | labels | questions | initials (I/I1 ask: questions agree) | notes
    anonymous: bool | list[str] = False
    title: str = ""
    header: list[str] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    withdrawn: int = 0
    encoding: str = "utf-8"
    sha256: str = ""
    withdrawn_fingerprints: object = None  # hashes of withdrawn passages' words (in memory only; never written)

    def is_anonymous(self, speaker: str) -> bool:
        if isinstance(self.anonymous, bool):
            return self.anonymous
        return speaker in self.anonymous

    @property
    def n_words(self) -> int:
        return sum(len(t.text.split()) for t in self.turns)


@dataclass(slots=True)
class MeaningUnit:
    """A meaning unit (meningsbærende enhed): a stretch of one respondent turn."""

    unit_id: str
    fingerprint: str
    transcript: str
    turn: int
    position: int
    speaker: str
    role: str
    text: str
    start: int
    end: int
    question: str = ""
    question_turn: int | None = None
    timestamp: str | None = None
    cases: list[str] = field(default_factory=list)
    anonymous: bool = False
    language: str = "da"
    n_words: int = 0
    lemmas: tuple[str, ...] = ()  # content lemmas in order (masked tokens left out)
    surfaces: tuple[str, ...] = ()  # the surface word of each lemma

    def as_row(self) -> dict:
        return {
            "unit_id": self.unit_id,
            "fingerprint": self.fingerprint,
            "transcript": self.transcript,
            "turn": self.turn,
            "position": self.position,
            "speaker": self.speaker,
            "role": self.role,
            "start": self.start,
            "end": self.end,
            "timestamp": self.timestamp or "",
            "n_words": self.n_words,
            "text": self.text,
            "question": self.question,
            "cases": ";".join(self.cases),
            "anonymous": self.anonymous,
        }


@dataclass(slots=True)
class Coding:
    """One theme assigned to one unit, by a rule, a model or a person."""

    unit_id: str
    dimension: str
    theme: str
    subtheme: str = ""
    score: float = 0.0
    evidence: str = ""
    source: str = "rule"  # rule | model | human
    coder: str = ""
    probability: float | None = None

    def as_row(self) -> dict:
        return {
            "unit_id": self.unit_id,
            "dimension": self.dimension,
            "theme": self.theme,
            "subtheme": self.subtheme,
            "score": round(self.score, 3),
            "evidence": self.evidence,
            "source": self.source,
            "coder": self.coder,
            "probability": "" if self.probability is None else round(self.probability, 3),
        }


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector inside a hot loop.

    Segmenting and coding build hundreds of thousands of small objects (lemma tuples, units); CPython's
    cyclic collector then rescans everything alive again and again (≈10% of a run). None of these objects
    form reference cycles, so nothing is leaked; the collector's previous state is restored afterwards.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            # The objects made during the pause all sit in the youngest generation; re-enabling as is would
            # make the next allocation scan every one of them at once (≈0.3 s for 400k words). freeze() +
            # unfreeze() moves them to the oldest generation unscanned instead: they are long-lived, and
            # the oldest generation is still collected on its usual schedule, so nothing escapes the GC.
            gc.freeze()
            if not _SETTLED[0]:  # inside gc_settled() they stay with the settled objects until it ends
                gc.unfreeze()
            gc.enable()


_SETTLED = [0]  # depth of gc_settled() blocks


@contextmanager
def gc_settled():
    """Leave the objects alive now out of the cyclic collector's full scans until the block ends.

    A run's corpus, units, codings and tables live until the run is over, yet every full collection (one
    each time the objects alive grow by a quarter) scanned all of them again: at 1M words eight full
    collections took 9 of a single-process run's 21 CPU seconds (gc.callbacks). ``gc.freeze()`` moves them to
    the collector's permanent generation, which also spares processes forked meanwhile from scanning (and
    copying) their parent's pages. Nothing is lost: an object no longer referenced is still freed at once
    (reference counting), and at the end of the outermost block ``gc.unfreeze()`` hands everything back to
    the oldest generation, collected as usual (a cycle that became garbage meanwhile waits until then).
    :func:`settle` adds what was made since."""
    _SETTLED[0] += 1
    gc.freeze()
    try:
        yield
    finally:
        _SETTLED[0] -= 1
        if not _SETTLED[0]:
            gc.unfreeze()


def settle() -> None:
    """Inside :func:`gc_settled`: the objects alive now join the settled ones (outside one: nothing)."""
    if _SETTLED[0]:
        gc.freeze()


_FP_STRIP = re.compile(r"[\W_]+", re.UNICODE)
# A character outside ASCII that is no word character (’ – … «): rare in a unit, and replaced one by one
_FP_ODD = re.compile(r"[^\x00-\x7f\w]")
# ASCII bytes that are no word character (\W and _) to a space; UTF-8 bytes of other characters unchanged
_FP_ASCII = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes(range(128, 256))


def fingerprint(text: str) -> str:
    """A content fingerprint that survives re-wrapping, case and punctuation changes: the SHA-1 of the
    text's words (runs of ``[^\\W_]``, case-folded, NFC) joined by single spaces.

    The words are cut from the UTF-8 bytes (``bytes.translate`` and ``split`` at C speed; the regex
    substitution over every character was most of the cost), after any non-ASCII character that is no
    word character has been replaced by a space."""
    return words_digest(fingerprint_words(text))


def fingerprint_words(text: str) -> bytes:
    """The words :func:`fingerprint` hashes, UTF-8, joined by single spaces. The words of texts joined by
    spaces are their words joined by a space (NFC composes nothing with a space, and the rest works
    character by character), so the segmenter keeps each space-separated piece's words and hashes a unit
    from its pieces' (nlp.py)."""
    norm = unicodedata.normalize("NFC", text).casefold()
    for odd in set(_FP_ODD.findall(norm)):
        norm = norm.replace(odd, " ")
    return b" ".join(norm.encode("utf-8").translate(_FP_ASCII).split())


def words_digest(words: bytes) -> str:
    """The fingerprint of :func:`fingerprint_words`'s bytes."""
    return hashlib.sha1(words).hexdigest()[:16]


def _fingerprint_by_regex(text: str) -> str:
    """:func:`fingerprint` as a regex substitution (the definition; tests compare the two)."""
    norm = unicodedata.normalize("NFC", text).casefold()
    norm = _FP_STRIP.sub(" ", norm).strip()
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


def make_unit_id(transcript: str, turn: int, position: int) -> str:
    """Stable id: transcript id + turn index + position of the unit inside the turn."""
    return f"{transcript}:{turn:04d}:{position}"


class UnitId(NamedTuple):
    """A unit id taken apart (:func:`parse_unit_id`): its parts as written, so that an id put back together
    with another transcript (``_replace(transcript=…)``, ``str()``) keeps its turn and position byte for byte."""

    transcript: str
    turn: str  # make_unit_id pads it to four digits
    position: str

    def __str__(self) -> str:
        return f"{self.transcript}:{self.turn}:{self.position}"

    def well_formed(self, turn_digits: int = 1) -> bool:
        """Whether it has :func:`make_unit_id`'s shape: a transcript, then digits (at least ``turn_digits`` of
        the turn), not merely two colons."""
        return bool(self.transcript) and len(self.turn) >= turn_digits and self.turn.isdecimal() \
            and self.position.isdecimal()


def parse_unit_id(unit_id: str) -> UnitId | None:
    """The transcript, turn and position of a unit id (:func:`make_unit_id`), split at its last two colons: a
    transcript id may hold colons itself ("kl 10:30", from a file's name or its front matter), a turn and a
    position never do. None for text with fewer than two colons; :meth:`UnitId.well_formed` tells an id of
    condense's shape from any other text with two colons (a unit id a person typed)."""
    head, sep, position = unit_id.rpartition(":")
    transcript, sep2, turn = head.rpartition(":")
    return UnitId(transcript, turn, position) if sep and sep2 else None
