"""The consent audit's scan, in one pass per file (audit.py says what is looked for; this says how, fast).

Every byte is still read. A file (or each XML part of an xlsx/zip) is cut into segments — lines of a
text file, text nodes, comments and attribute values of XML — and the segments are checked together:

* protected terms (anonymous ids, plan names, listed names): each pattern runs once over the file's
  segments joined by NUL characters, which no pattern can match across;
* distinctive words of withdrawn passages: the salted hash of each *distinct* word, once per audit;
* four-word shingles of withdrawn passages: a shingle the non-withdrawn inputs also hold is no finding
  (audit.py subtracted them by hashing every shingle of the inputs). Now the inputs' shingles are kept as
  exact keys of word ids (:class:`ShingleIndex`, no text kept beyond what the run holds anyway); an output
  shingle found there is allowed, and only the rest — the run's own wording, numbers, ids — is hashed and
  looked up among the withdrawn ones.

A PNG figure has no text to read: its words are drawn as pixels. condense draws each figure twice, as SVG and
as PNG, from one matplotlib figure, and the SVG names every text it draws in a comment; so a PNG with its
SVG twin beside it is checked through the twin (and its own text chunks, should it have any).
"""
from __future__ import annotations

import bisect
import html
from itertools import accumulate
import io
import re
import zlib
from pathlib import Path

import numpy as np

__all__ = ["Scanner", "ShingleIndex", "file_parts", "png_texts"]

SEPARATOR = "\x00"  # between segments: no pattern matches across it, no word contains it
_TOKENS = re.compile(r"\w+|\x00")
_XML_TEXT = re.compile(r">([^<]+)<")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_ATTRIBUTE = re.compile(r'="([^"]{4,})"')
_CELL = re.compile(r'<c r="([A-Z]+\d+)"')
_MIX = np.uint64(0x9E3779B97F4A7C15)
UNKNOWN = 2**32 - 2  # a word no allowed text holds
BOUNDARY = 2**32 - 1  # between two segments
BATCH = 1 << 20  # characters checked at once


def _keys(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The exact key of every four-word run of a sequence of word ids: (ids 1–2, ids 3–4) packed."""
    a = ids.astype(np.uint64)
    return (a[:-3] << np.uint64(32)) | a[1:-2], (a[2:-1] << np.uint64(32)) | a[3:]


def _mix(k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
    return (k1 * _MIX) ^ k2  # wraps around: a hash for sorting; membership compares the exact keys


class ShingleIndex:
    """The four-word runs (case-folded) of the texts a run may show, as sorted exact keys of word ids."""

    def __init__(self, texts: list[str]):
        from .ingest.withdrawn import WORD_RE

        self.ids: dict[str, int] = {}
        firsts, seconds = [], []
        for text in texts:
            words = WORD_RE.findall(text.casefold())
            if len(words) < 4:
                continue
            ids = np.fromiter((self.ids.setdefault(w, len(self.ids)) for w in words), dtype=np.int64, count=len(words))
            k1, k2 = _keys(ids)
            firsts.append(k1)
            seconds.append(k2)
        k1 = np.concatenate(firsts) if firsts else np.zeros(0, dtype=np.uint64)
        k2 = np.concatenate(seconds) if seconds else np.zeros(0, dtype=np.uint64)
        h = _mix(k1, k2)
        order = np.argsort(h, kind="stable")
        self._h, self._k1, self._k2 = h[order], k1[order], k2[order]

    def word_ids(self, tokens: list[str]) -> np.ndarray:
        """Ids of output tokens: a word no allowed text holds is UNKNOWN, the segment separator BOUNDARY."""
        from itertools import repeat

        self.ids[SEPARATOR] = BOUNDARY  # not a word: never part of an allowed shingle
        return np.fromiter(map(self.ids.get, tokens, repeat(UNKNOWN)), dtype=np.int64, count=len(tokens))

    def contains(self, k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
        """Which keys are four-word runs of an allowed text (exactly: a hash collision only means 'no')."""
        if not len(self._h):
            return np.zeros(len(k1), dtype=bool)
        h = _mix(k1, k2)
        at = np.minimum(np.searchsorted(self._h, h), len(self._h) - 1)
        return (self._h[at] == h) & (self._k1[at] == k1) & (self._k2[at] == k2)


class Scanner:
    """The checks of one audit over a list of segments; remembers word and shingle verdicts across files."""

    def __init__(self, fp, allowed: ShingleIndex | None):
        self.fp = fp
        self.patterns = fp.patterns()
        self.allowed = allowed if allowed is not None else ShingleIndex([])
        self.kinds: dict[str, str] = {}
        for term, kind in fp.terms.items():
            self.kinds.setdefault(" ".join(term.split()).casefold(), kind)
        self._words: dict[str, bool] = {}
        self._flagged: set[str] = set()  # words of withdrawn passages met so far
        self._shingles: dict[str, bool] = {}

    def problems(self, segments: list[str]) -> dict[int, str]:
        """Segment index → what is wrong with it (the first problem, in the order audit.py always named
        them: a protected term, a withdrawn word, a withdrawn shingle). Checked in batches of about a
        million characters, so memory stays flat however large a file is."""
        found: dict[int, str] = {}
        start, size = 0, 0
        for end, segment in enumerate(segments, start=1):
            size += len(segment) + 1
            if size >= BATCH or end == len(segments):
                found.update((start + i, p) for i, p in self._batch(segments[start:end]).items())
                start, size = end, 0
        return found

    def _batch(self, segments: list[str]) -> dict[int, str]:
        joined = SEPARATOR.join(segments)
        found: dict[int, str] = {}
        if self.patterns:
            starts = [0, *accumulate(len(s) + 1 for s in segments[:-1])]
            for pattern in self.patterns:
                for m in pattern.finditer(joined):
                    found.setdefault(bisect.bisect_right(starts, m.start()) - 1, self._term_problem(m))
        if self.fp.words or self.fp.shingles:
            tokens = _TOKENS.findall(joined.casefold())
            ids = self.allowed.word_ids(tokens)
            segment_of = np.cumsum(ids == BOUNDARY)
            self._withdrawn_words(tokens, segment_of, found)
            self._withdrawn_shingles(tokens, ids, segment_of, found)
        return found

    def _term_problem(self, m) -> str:
        from .audit import KIND_WHY

        kind = self.kinds.get(" ".join(m.group(1).split()).casefold(), "protected term")
        article = "an" if kind[:1] in "aeiou" else "a"
        return f"'{m.group(1)}' is {article} {kind} ({KIND_WHY.get(kind, 'protected')})"

    def _withdrawn_words(self, tokens: list[str], segment_of: np.ndarray, found: dict[int, str]) -> None:
        from .ingest.withdrawn import fingerprint_hash

        if not self.fp.words:
            return
        distinct = set(tokens)
        for w in distinct.difference(self._words):  # a number is no distinctive word (ingest/withdrawn.py)
            hit = w != SEPARATOR and not w.isdigit() and fingerprint_hash("w:" + w) in self.fp.words
            self._words[w] = hit
            if hit:
                self._flagged.add(w)
        flagged = distinct & self._flagged
        if flagged:
            for i, t in enumerate(tokens):
                if t in flagged:
                    found.setdefault(int(segment_of[i]), "a word of a withdrawn passage (not shown)")

    def _withdrawn_shingles(self, tokens: list[str], ids: np.ndarray, segment_of: np.ndarray, found: dict[int, str]) -> None:
        from .ingest.withdrawn import SHINGLE, fingerprint_hash

        if not self.fp.shingles or len(tokens) < SHINGLE:
            return
        k1, k2 = _keys(ids)
        window = np.lib.stride_tricks.sliding_window_view(ids, SHINGLE)
        open_ = ~(window == BOUNDARY).any(axis=1)  # within one segment
        known = self.allowed.contains(k1, k2)
        if len(self._shingles) > 500_000:  # the run's own wording repeats; ids and numbers need not be kept
            self._shingles.clear()
        for i in np.flatnonzero(open_ & ~known):
            text = " ".join(tokens[i:i + SHINGLE])
            hit = self._shingles.get(text)
            if hit is None:
                hit = self._shingles[text] = fingerprint_hash("s:" + text) in self.fp.shingles
            if hit:
                found.setdefault(int(segment_of[i]), "four words in a row of a withdrawn passage (not shown)")


# ---------------------------------------------------------------- where the segments are
def file_parts(name: str, data: bytes, zip_suffixes: set[str]):
    """(part name, segments, locate) for one output file: the file itself, or each part of a zip;
    ``locate(i)`` says where segment ``i`` is (line, cell, shared string, comment, attribute)."""
    import zipfile

    if Path(name).suffix.lower() in zip_suffixes or data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                parts = [(info.filename, z.read(info.filename)) for info in z.infolist()]
        except zipfile.BadZipFile:
            yield (name, *_text_segments(name, data))
            return
        for part, body in parts:
            yield (f"{name} › {part}", *_xml_segments(f"{name} › {part}", body))
        return
    yield (name, *_text_segments(name, data))


def _text_segments(name: str, data: bytes):
    text = data.decode("utf-8", errors="replace")
    segments, where = [], []
    if Path(name.split(" › ")[0]).suffix.lower() in (".svg", ".html", ".htm", ".xml"):
        for m in _COMMENT.finditer(text):
            segments.append(html.unescape(m.group(1)))
            where.append(("comment", m.start()))
    for i, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            segments.append(line)
            where.append(("line", i))

    def locate(k: int) -> str:
        kind, at = where[k]
        return f"line {at}" if kind == "line" else f"line {text.count(chr(10), 0, at) + 1} (comment)"

    return segments, locate


def _xml_segments(name: str, data: bytes):
    text = data.decode("utf-8", errors="replace")
    if "<" not in text:
        return _text_segments(name, data)
    segments, where = [], []
    for m in _XML_TEXT.finditer(text):
        segments.append(html.unescape(m.group(1)))
        where.append(("node", m.start()))
    for m in _COMMENT.finditer(text):  # comments: matplotlib names each SVG label in one
        segments.append(html.unescape(m.group(1)))
        where.append(("comment", m.start()))
    for m in _ATTRIBUTE.finditer(text):  # attribute values (sheet names, document properties) too
        segments.append(html.unescape(m.group(1)))
        where.append(("attribute", m.start()))

    def locate(k: int) -> str:
        kind, at = where[k]
        if kind != "node":
            return kind
        cells = _CELL.findall(text, 0, at)
        if cells:
            return f"cell {cells[-1]}"
        si = text.count("<si>", 0, at) + text.count("<si ", 0, at)
        return f"shared string {si - 1}" if si else f"line {text.count(chr(10), 0, at) + 1}"

    return segments, locate


def png_texts(data: bytes) -> list[str]:
    """The text chunks of a PNG (tEXt, zTXt, iTXt): the only text a PNG holds besides its pixels."""
    out, at = [], 8
    while at + 8 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        at += 12 + length
        if kind == b"tEXt":
            out.append(body.replace(b"\x00", b" ").decode("latin-1"))
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\x00")
            out.append(key.decode("latin-1") + " " + zlib.decompress(rest[1:]).decode("latin-1", errors="replace"))
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\x00")
            compressed, rest = rest[0], rest[2:]
            language, _, rest = rest.partition(b"\x00")
            translated, _, value = rest.partition(b"\x00")
            value = zlib.decompress(value) if compressed else value
            out.append(" ".join(x.decode("utf-8", errors="replace") for x in (key, language, translated, value)))
    return out
