"""The consent audit's scan, in one pass per file (audit.py says what is looked for; this says how, fast).

Every byte is still read. A file (or each XML part of an xlsx/zip) is cut into segments — lines of a
text file, text nodes, comments and attribute values of XML — and the segments are checked together:

* protected terms (anonymous ids, plan names, listed names): each pattern runs once over the file's
  segments joined by NUL characters, which no pattern can match across;
* distinctive words of withdrawn passages: the salted hash of each *distinct* word, once per audit;
* four-word shingles of withdrawn passages: a shingle the non-withdrawn inputs also hold is no finding.
  Every output token gets its salted word value once (a cache per audit), every four-word run its rolling
  hash in one vectorised pass (the hash ingest/withdrawn.py stores), and the hashes are looked up among
  the withdrawn ones. The inputs' runs are kept as hashes (:class:`ShingleIndex`): a withdrawn hash no
  input run has is a finding wherever it is met; for the few an input run shares, the output's words are
  compared with the input runs of that hash exactly, so a hash collision never hides a withdrawn passage.

A PNG figure has no text to read: its words are drawn as pixels. condense draws each figure twice, as SVG and
as PNG, from one matplotlib figure, and the SVG names every text it draws in a comment; so a PNG with its
SVG twin beside it is checked through the twin (and its own text chunks, should it have any).
"""
from __future__ import annotations

import bisect
import csv
import html
from itertools import accumulate, islice
import io
import re
import zlib
from pathlib import Path

import numpy as np

from .ingest.withdrawn import shingle_hashes, value_array, word_value
from .privacy import name_key

__all__ = ["Scanner", "ShingleIndex", "file_parts", "xml_part_segments", "png_texts"]

SEPARATOR = "\x00"  # between segments: no pattern matches across it, no word contains it
_TOKENS = re.compile(r"\w+|\x00")
_XML_TEXT = re.compile(r">([^<]+)<")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
# attribute values, but for the place of a row or cell in a sheet (r="1234", r="AB123"): where, not what
_ATTRIBUTE = re.compile(r'="(?!(?<= r=")[A-Z]{0,3}\d+")([^"]{4,})"')
_CELL = re.compile(r'<c r="([A-Z]+\d+)"')
_SHORT_NUMBER = re.compile(r"\W*(?:\d+\W+){0,2}\d*\W*")  # at most three runs of digits, no letter
BATCH = 1 << 20  # characters checked at once
WORD_FINDING = "a word of a withdrawn passage (not shown)"
SHINGLE_FINDING = "four words in a row of a withdrawn passage (not shown)"


class WordValues(dict):
    """word → its salted value (ingest/withdrawn.py), each word hashed once per audit; fed only text the
    run may show (the allowed inputs, the outputs under audit), never a withdrawn passage's."""

    def __missing__(self, word: str) -> int:
        value = self[word] = word_value(word)
        return value


def _sorted(values) -> np.ndarray:
    return np.sort(np.fromiter(values, dtype=np.uint64, count=len(values)))


def _member(table: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Which of ``queries`` are in the sorted array ``table``."""
    if not len(table) or not len(queries):
        return np.zeros(len(queries), dtype=bool)
    at = np.minimum(np.searchsorted(table, queries), len(table) - 1)
    return table[at] == queries


def _run_hashes(words: list[str], values: WordValues) -> np.ndarray:
    return shingle_hashes(value_array(words, values))


class ShingleIndex:
    """The four-word runs (case-folded) of the texts a run may show, as the hashes the withdrawn fingerprints
    use (sorted); the texts themselves are only referred to, for :meth:`split`'s exact check."""

    def __init__(self, texts: list[str]):
        from .ingest.withdrawn import WORD_RE

        self.values = WordValues()
        self._texts = list(texts)
        self._per_text = [_run_hashes(WORD_RE.findall(t.casefold()), self.values) for t in self._texts]
        self.hashes = np.sort(np.concatenate(self._per_text)) if self._per_text else np.zeros(0, dtype=np.uint64)

    def split(self, shingles) -> tuple[np.ndarray, np.ndarray, set[tuple[str, ...]]]:
        """Withdrawn shingle hashes → (those no allowed run has, those some allowed run has too, the allowed
        runs with one of the latter hashes as word tuples: an output run is allowed only if it is one)."""
        from .ingest.withdrawn import SHINGLE, WORD_RE

        withdrawn = _sorted(shingles)
        shared = _member(self.hashes, withdrawn)
        sure, maybe = withdrawn[~shared], withdrawn[shared]
        exact: set[tuple[str, ...]] = set()
        for text, hashes in zip(self._texts, self._per_text):
            at = np.flatnonzero(_member(maybe, hashes))
            if len(at):
                words = WORD_RE.findall(text.casefold())
                exact.update(tuple(words[i:i + SHINGLE]) for i in at.tolist())
        return sure, maybe, exact


class Scanner:
    """The checks of one audit over a list of segments."""

    def __init__(self, fp, allowed: ShingleIndex | None):
        self.fp = fp
        self.patterns = fp.patterns()
        allowed = allowed if allowed is not None else ShingleIndex([])
        self.values = allowed.values
        from .audit import ID_KIND

        self.kinds: dict[tuple[bool, str], str] = {}
        for term, kind in fp.terms.items():  # an id as written, a name however written (ids are no names)
            self.kinds.setdefault((kind == ID_KIND, term.casefold() if kind == ID_KIND else name_key(term)), kind)
        self.words = _sorted(fp.words)
        self.sure, self.maybe, self.exact = allowed.split(fp.shingles)
        self.seen: dict[str, str] = {}  # segment → its problem ('' for none): each distinct segment checked once
        self.bad: set[str] = set()  # the segments with a problem

    def problems(self, segments: list[str]) -> dict[int, str]:
        """Segment index → what is wrong with it (the first problem, in the order audit.py always named
        them: a protected term, a withdrawn word, a withdrawn shingle).

        What is wrong with a segment depends on its text alone (no pattern, word or shingle crosses a
        separator), so each distinct text is checked once per audit: a unit's text met again in another
        table, sheet or the report's data is looked up, not read again."""
        seen = self.seen
        todo = sorted(set(segments).difference(seen))  # sorted: the same batches in every process
        if todo:
            # a number of a few digit runs ("0.8345", "12:30") holds no distinctive word (a number is none)
            # and fewer than four words: only the protected terms (an id may be digits) are looked for
            short = bytearray(1 if _SHORT_NUMBER.fullmatch(s) else 0 for s in todo)
            for hashed in (False, True):
                part = [s for s, k in zip(todo, short) if k != hashed]
                found = self._check(part, hashed)
                seen.update((s, found.get(i, "")) for i, s in enumerate(part))
                self.bad.update(part[i] for i in found)
        if self.bad.isdisjoint(segments):  # the common case: nothing wrong, said without a pass in Python
            return {}
        return {i: p for i, p in enumerate(map(seen.__getitem__, segments)) if p}

    def withdrawn(self, segments: list[str]) -> dict[int, str]:
        """Segment index → the withdrawn word or shingle finding :meth:`problems` would name, protected terms
        not looked for: a researcher's own cells (condensates, review notes) checked as they are read, where
        a listed name is no finding yet (the written files are swept for those before the audit). Nothing is
        remembered: these texts are checked once."""
        return self._check(segments, terms=False)

    def _check(self, segments: list[str], hashed: bool = True, *, terms: bool = True) -> dict[int, str]:
        """:meth:`problems` of segments not met before, in batches of about a million characters, so memory
        stays flat however large a file is (``hashed``: withdrawn words and shingles looked for too;
        ``terms``: the protected terms)."""
        found: dict[int, str] = {}
        ends = list(accumulate(len(s) + 1 for s in segments))  # where each segment ends in the joined text
        start = 0
        while start < len(segments):
            before = ends[start - 1] if start else 0
            end = max(start + 1, min(len(segments), bisect.bisect_left(ends, before + BATCH) + 1))
            batch = self._batch(segments[start:end], ends[start:end], before, hashed, terms)
            found.update((start + i, p) for i, p in batch.items())
            start = end
        return found

    def _batch(self, segments: list[str], ends: list[int], before: int, hashed: bool = True,
               terms: bool = True) -> dict[int, str]:
        joined = SEPARATOR.join(segments)
        found: dict[int, str] = {}
        for pattern, kind in self.patterns if terms else ():
            for m in pattern.finditer(joined):  # the segment whose end (its separator) comes after the match
                found.setdefault(bisect.bisect_right(ends, before + m.start()), self._term_problem(m, kind))
        if hashed and (len(self.words) or len(self.sure) or len(self.maybe)):
            tokens = _TOKENS.findall(joined.casefold())
            values = value_array(tokens, self.values)
            maybe_sep = np.flatnonzero(values == self.values[SEPARATOR]).tolist()
            seps = np.array([i for i in maybe_sep if tokens[i] == SEPARATOR], dtype=np.int64)
            self._withdrawn_words(tokens, values, seps, found)
            self._withdrawn_shingles(tokens, values, seps, found)
        return found

    def _term_problem(self, m, kind: str) -> str:
        """What a protected term found is, never the term itself: E830 goes to the console, a CI log, a
        notebook's saved output. Its kind, why it is protected and how long it is (with the file and line,
        enough to find it there)."""
        from .audit import ID_KIND, KIND_WHY

        term = m.group(1)
        kind = self.kinds.get((kind == ID_KIND, term.casefold() if kind == ID_KIND else name_key(term)), kind)
        size = f"{len(term)} characters" if kind == ID_KIND else f"{sum(c.isalpha() for c in term)} letters"
        return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind} ({size}, not shown: {KIND_WHY.get(kind, 'protected')})"

    def _withdrawn_words(self, tokens: list[str], values: np.ndarray, seps: np.ndarray, found: dict[int, str]) -> None:
        for i in np.flatnonzero(_member(self.words, values)).tolist():
            if tokens[i] != SEPARATOR and not tokens[i].isdigit():  # a number is no distinctive word (ingest/withdrawn.py)
                found.setdefault(int(np.searchsorted(seps, i)), WORD_FINDING)

    def _withdrawn_shingles(self, tokens: list[str], values: np.ndarray, seps: np.ndarray, found: dict[int, str]) -> None:
        from .ingest.withdrawn import SHINGLE

        if not (len(self.sure) or len(self.maybe)) or len(tokens) < SHINGLE:
            return
        hashes = shingle_hashes(values)
        crossed = np.zeros(len(tokens) + 1, dtype=np.int64)  # separators before each token
        crossed[seps + 1] = 1
        crossed = np.cumsum(crossed)
        open_ = crossed[SHINGLE:] == crossed[:-SHINGLE]  # the run lies within one segment
        for i in np.flatnonzero(_member(self.sure, hashes) & open_).tolist():
            found.setdefault(int(np.searchsorted(seps, i)), SHINGLE_FINDING)
        for i in np.flatnonzero(_member(self.maybe, hashes) & open_).tolist():
            if tuple(tokens[i:i + SHINGLE]) not in self.exact:
                found.setdefault(int(np.searchsorted(seps, i)), SHINGLE_FINDING)


# ---------------------------------------------------------------- where the segments are
def file_parts(name: str, data: bytes, zip_suffixes: set[str]):
    """(part name, segments, locate) for one output file: the file itself, or each part of a zip (read one
    at a time); ``locate(i)`` says where segment ``i`` is (line, cell, shared string, comment, attribute)."""
    import zipfile

    if Path(name).suffix.lower() in zip_suffixes or data[:2] == b"PK":
        try:
            z = zipfile.ZipFile(io.BytesIO(data))
            infos = z.infolist()
        except zipfile.BadZipFile:
            yield (name, *_text_segments(name, data))
            return
        with z:
            for info in infos:
                try:
                    body = z.read(info.filename)
                except zipfile.BadZipFile:  # a damaged part: every byte of the file as text instead
                    yield (name, *_text_segments(name, data))
                    return
                yield (f"{name} › {info.filename}", *xml_part_segments(f"{name} › {info.filename}", body))
        return
    if Path(name).suffix.lower() == ".csv":
        parsed = _csv_segments(data)
        if parsed is not None:
            yield (name, *parsed)
            return
    yield (name, *_text_segments(name, data))


def _csv_segments(data: bytes):
    """The cells of a CSV file (a cell spread over several lines is one segment, a comma is no text), each
    located by the line its row starts on; None when the file does not parse as CSV (read by lines then)."""
    text = data.decode("utf-8", errors="replace")
    segments: list[str] = []
    starts, lines = [], []  # the first segment of each row, and that row's line
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for row in reader:
            starts.append(len(segments))
            lines.append(line)
            segments.extend(row)  # an empty cell too: it holds nothing to find, and skipping it costs more
            line = reader.line_num + 1
    except csv.Error:
        return None
    return segments, lambda k: f"line {lines[bisect.bisect_right(starts, k) - 1]}"


def _text_segments(name: str, data: bytes):
    text = data.decode("utf-8", errors="replace")
    segments, where = [], []
    if Path(name.split(" › ")[0]).suffix.lower() in (".svg", ".html", ".htm", ".xml"):
        for m in _COMMENT.finditer(text):
            segments.append(html.unescape(m.group(1)))
            where.append(-m.start() - 1)  # a comment: minus its offset
    for i, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        strings = _json_strings(line) if len(line) > JSON_LINE and _JSON_BLOCK.search(line) else None
        for s in strings if strings is not None else (line,):
            segments.append(s)
            where.append(i)

    def locate(k: int) -> str:
        at = where[k]
        return f"line {at}" if at > 0 else f"line {text.count(chr(10), 0, -at - 1) + 1} (comment)"

    return segments, locate


JSON_LINE = 10_000  # a line longer than this holding a JSON data block is checked string by string
_JSON_BLOCK = re.compile(r'<script type="application/json"[^>]*>')


def _json_strings(line: str) -> list[str] | None:
    """A line holding report.html's JSON data block, as its markup around the block and every key and text
    of the block decoded (so an escaped character hides no word, and a unit's text is the same segment
    here as in a table); None when the block is not JSON (the line is checked as it stands)."""
    import json

    m = _JSON_BLOCK.search(line)
    end = line.find("</script>", m.end())
    if end < 0:
        return None
    try:  # numbers (and NaN, Infinity) as the text they are written as
        data = json.loads(line[m.end():end], parse_int=str, parse_float=str, parse_constant=str)
    except ValueError:
        return None
    out = [line[:m.end()], line[end:]]
    stack = [data]
    pop, push, add, add_all = stack.pop, stack.extend, out.append, out.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str:
            add(item)
        elif kind is list:
            push(item)
        elif kind is dict:
            add_all(item)
            push(item.values())
        elif kind is bool:
            add("true" if item else "false")  # as JSON writes them
    return [s for s in out if s.strip()]


_XML_KINDS = (("node", _XML_TEXT), ("comment", _COMMENT), ("attribute", _ATTRIBUTE))  # in segment order


def xml_part_segments(name: str, data: bytes):
    """The text nodes, comments (matplotlib names each SVG label in one) and attribute values (sheet names,
    document properties) of an XML part. A comment or an attribute value is a segment once per part however
    often it recurs (every text cell of a sheet says ``t="inlineStr"``: 484,000 times at 1M words): its
    finding names no place but its kind, one per part, so the first of its recurrences found is every
    finding it gave; a text node is a segment each time (its finding names its cell). Where a segment is,
    is worked out again only for a finding."""
    text = data.decode("utf-8", errors="replace")
    if "<" not in text:
        return _text_segments(name, data)
    nodes = _XML_TEXT.findall(text)
    kinds, raws = [], nodes
    for kind, pattern in _XML_KINDS[1:]:
        distinct = list(dict.fromkeys(pattern.findall(text) if kind != "comment" or "<!--" in text else ()))
        kinds.append((kind, len(distinct)))
        raws = raws + distinct
    # a text met again (a question, a case, an id) is unescaped once; one without an escape stays as it is
    escaped = [raw for raw in set(raws) if "&" in raw]
    decoded = dict(zip(escaped, _unescaped(escaped)))
    segments = list(map(decoded.get, raws, raws))

    def locate(k: int) -> str:
        if k < len(nodes):
            return _node_place(text, next(islice(_XML_TEXT.finditer(text), k, None)).start())
        k -= len(nodes)
        for kind, n in kinds:
            if k < n:
                return kind
            k -= n
        return "part"

    return segments, locate


_REFERENCE = re.compile(r"(&(?:#[0-9]+|amp|lt|gt|quot|apos);)")


def _unescaped(texts: list[str]) -> list[str]:
    """``html.unescape`` of each text. When every ``&`` of them opens a whole character reference of the
    kinds an XML writer uses (``&#230;``, ``&amp;``, ``&lt;``, ``&gt;``, ``&quot;``, ``&apos;``), html.unescape
    replaces each reference by itself alone, so the distinct references are unescaped once and put in place
    in one pass over all the texts (a sheet of Danish text holds 90,000 ``&#230;``-like references: 0.17 CPU s
    one call each); any other ``&`` (a named entity without its semicolon, whose meaning depends on what
    follows) and the texts are unescaped one by one."""
    joined = SEPARATOR.join(texts)
    if joined.count(SEPARATOR) != len(texts) - 1:
        return [html.unescape(t) for t in texts]
    parts = _REFERENCE.split(joined)
    references = parts[1::2]
    if len(references) != joined.count("&"):
        return [html.unescape(t) for t in texts]
    table = {ref: html.unescape(ref) for ref in set(references)}
    parts[1::2] = map(table.__getitem__, references)
    return "".join(parts).split(SEPARATOR) if texts else []


def _node_place(text: str, at: int) -> str:
    """The cell (or shared string, or line) of the text node at offset ``at`` of an XML part."""
    pos = text.rfind('<c r="', 0, at)
    while pos >= 0:
        m = _CELL.match(text, pos)
        if m is not None and m.end() <= at:
            return f"cell {m.group(1)}"
        pos = text.rfind('<c r="', 0, pos)
    si = text.count("<si>", 0, at) + text.count("<si ", 0, at)
    return f"shared string {si - 1}" if si else f"line {text.count(chr(10), 0, at) + 1}"


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
