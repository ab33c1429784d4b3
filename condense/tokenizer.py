"""spaCy's tokenizer rules (and stop words), applied without importing spaCy.

condense uses spaCy's blank Danish and English pipelines only to cut text into tokens. ``import spacy``
alone costs about 0.6 s CPU and building a blank pipeline another 0.2 s: a third of the sample run's time
in the core, for a tokenizer whose rules are data (prefix, suffix and infix patterns, URL pattern, special
cases). So the rules are read from spaCy once, kept as a small JSON file in the user cache (keyed by
spaCy's version and the language, beside the word-list cache of :mod:`condense.lexicon`), and applied here
with the same algorithm as spaCy's ``Tokenizer``: split at whitespace; per piece, peel prefixes and
suffixes until a special case or nothing is left; split the rest at infixes; finally apply special cases
that contain affix characters across the tokens they were split into (spaCy's special-case matcher).

Tests compare every token (text and offset) with spaCy's own on the sample, the English sample, ecape_da
and generated text. Without a cache folder (``CONDENSE_CACHE_DIR=``) the rules are read from spaCy in
every process; the tokens are the same.
"""
from __future__ import annotations

import json
import os
import re
import zlib
from functools import lru_cache
from pathlib import Path

__all__ = ["RULES_FORMAT", "Rules", "Tokenizer", "tokenizer_for", "rules_from_spacy"]

RULES_FORMAT = 1  # raise when the file layout changes: old files are then not read
_ORTH = 65  # spaCy's attribute id of ORTH in special-case dicts
_CACHE_LIMIT = 1_000_000  # spans whose tokens are remembered per tokenizer


class Rules:
    """The data of a spaCy tokenizer: pattern sources and special cases (key → the texts of its tokens)."""

    __slots__ = ("prefix", "suffix", "infix", "token_match", "url_match", "specials", "faster_heuristics",
                 "stop_words")

    def __init__(self, prefix, suffix, infix, token_match, url_match, specials: dict[str, tuple[str, ...]],
                 faster_heuristics: bool = True, stop_words: frozenset = frozenset()):
        self.prefix, self.suffix, self.infix = prefix, suffix, infix  # (pattern, flags) or None
        self.token_match, self.url_match = token_match, url_match
        self.specials = specials
        self.faster_heuristics = faster_heuristics
        self.stop_words = stop_words  # the language's stop words (the coder's term filter)

    def to_json(self) -> dict:
        return {"prefix": self.prefix, "suffix": self.suffix, "infix": self.infix, "token_match": self.token_match,
                "url_match": self.url_match, "specials": {k: list(v) for k, v in sorted(self.specials.items())},
                "faster_heuristics": self.faster_heuristics, "stop_words": sorted(self.stop_words)}

    @classmethod
    def from_json(cls, data: dict) -> "Rules":
        def pattern(value):
            return (str(value[0]), int(value[1])) if value else None

        return cls(pattern(data["prefix"]), pattern(data["suffix"]), pattern(data["infix"]),
                   pattern(data["token_match"]), pattern(data["url_match"]),
                   {str(k): tuple(map(str, v)) for k, v in data["specials"].items()}, bool(data["faster_heuristics"]),
                   frozenset(map(str, data["stop_words"])))


def _source(bound) -> tuple[str, int] | None:
    """(pattern, flags) of a compiled pattern's bound method (``prefix_search`` …), None when unset."""
    pattern = getattr(bound, "__self__", None)
    if bound is None:
        return None
    if not isinstance(pattern, re.Pattern):
        raise TypeError("tokenizer rule is not a compiled regular expression")
    return (pattern.pattern, pattern.flags)


def rules_from_spacy(language: str) -> Rules:
    """The rules of ``spacy.blank(language)``'s tokenizer (imports spaCy)."""
    import spacy

    nlp = spacy.blank(language)
    tok = nlp.tokenizer
    specials = {}
    for key, substrings in tok.rules.items():
        specials[key] = tuple(s.get(_ORTH, s.get("ORTH", s.get("orth"))) for s in substrings)
    return Rules(_source(tok.prefix_search), _source(tok.suffix_search), _source(tok.infix_finditer),
                 _source(tok.token_match), _source(tok.url_match), specials, bool(tok.faster_heuristics),
                 frozenset(nlp.Defaults.stop_words))


def _spacy_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spacy")
    except PackageNotFoundError:
        return None


def _cache_file(language: str) -> Path | None:
    from .lexicon import cache_dir

    root = cache_dir()
    version = _spacy_version()
    if root is None or version is None:
        return None
    return root / "tokenizer" / f"v{RULES_FORMAT}" / f"spacy-{version}" / f"{language}.json"


def _read_cached(path: Path, language: str) -> Rules | None:
    try:
        raw = path.read_bytes()
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        if header.get("format") != RULES_FORMAT or header.get("language") != language or header.get("crc32") != zlib.crc32(body):
            return None
        return Rules.from_json(json.loads(body))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _write_cached(path: Path, rules: Rules, language: str) -> None:
    body = json.dumps(rules.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    header = json.dumps({"format": RULES_FORMAT, "language": language, "crc32": zlib.crc32(body)}).encode("ascii")
    _write_atomically(path, header + b"\n" + body)


def _write_atomically(path: Path, content: bytes) -> None:
    """Write a cache file through the file layer: a temporary twin renamed into place, removed when the rename
    fails (the cache file's name taken by a folder, a full disk) or the run is interrupted, and, when a run
    killed outright (``kill -9``) left it, by the next writer (it stayed, and every run added another). A
    failure only means no cache: the rules are simply read (or compiled) again next time."""
    from .errors import CondenseError
    from .safety import write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, content)  # atomic: a process reading at the same time sees the old file or the new one
    except (OSError, CondenseError):
        pass


def load_rules(language: str) -> Rules:
    """The tokenizer rules of a language: from the cache when it holds them for this spaCy, else from spaCy."""
    path = _cache_file(language)
    if path is not None:
        rules = _read_cached(path, language)
        if rules is not None:
            return rules
    rules = rules_from_spacy(language)
    if path is not None:
        _write_cached(path, rules, language)
    return rules


def _compiled(source, method: str, patterns: dict | None = None):
    if source is None:
        return None
    pattern = (patterns or {}).get(source)
    return getattr(pattern if pattern is not None else re.compile(source[0], source[1]), method)


class Tokenizer:
    """Text → tokens as (text, character offset), exactly as spaCy's ``Tokenizer`` with the same rules.
    ``patterns``: the rules' patterns compiled already ((pattern, flags) → compiled; :func:`compiled_patterns`)."""

    def __init__(self, rules: Rules, patterns: dict | None = None):
        self.prefix_search = _compiled(rules.prefix, "search", patterns)
        self.suffix_search = _compiled(rules.suffix, "search", patterns)
        self.infix_finditer = _compiled(rules.infix, "finditer", patterns)
        self.token_match = _compiled(rules.token_match, "match", patterns)
        self.url_match = _compiled(rules.url_match, "match", patterns)
        self.specials = rules.specials
        self.stop_words = rules.stop_words
        self._matcher_keys = [k for k in rules.specials if not rules.faster_heuristics or self._has_affix(k)]
        self._patterns: dict[str, list[tuple[tuple[str, ...], str]]] | None = None
        self._cache: dict[str, list[str]] = {}  # span -> tokens (spaCy keeps the same cache per span)

    def _has_affix(self, key: str) -> bool:
        return bool(self._prefix_len(key) or self._infixes(key) or self._suffix_len(key) or " " in key)

    def _prefix_len(self, s: str) -> int:
        m = self.prefix_search(s) if self.prefix_search else None
        return m.end() - m.start() if m is not None else 0

    def _suffix_len(self, s: str) -> int:
        m = self.suffix_search(s) if self.suffix_search else None
        return m.end() - m.start() if m is not None else 0

    def _infixes(self, s: str) -> list:
        return list(self.infix_finditer(s)) if self.infix_finditer else []

    # --------------------------------------------------------------- one piece
    def piece(self, span: str, specials: bool = True) -> list[str]:
        """The token texts of a text without whitespace (spaCy's cache key: one such span)."""
        if specials:
            hit = self.specials.get(span) or self._cache.get(span)
            if hit is not None:
                return list(hit)
        prefixes: list[str] = []
        suffixes: list[str] = []
        rest = self._split_affixes(span, prefixes, suffixes, specials)
        tokens = prefixes + self._attach(rest, specials) + suffixes[::-1]
        if specials and len(self._cache) < _CACHE_LIMIT:
            self._cache[span] = tuple(tokens)
        return tokens

    def _split_affixes(self, s: str, prefixes: list[str], suffixes: list[str], specials: bool) -> str:
        last = 0
        table = self.specials if specials else {}
        while s and len(s) != last:
            if (self.token_match and self.token_match(s)) or s in table:
                break
            last = len(s)
            pre = self._prefix_len(s)
            if pre and s[pre:] and s[pre:] in table:
                prefixes.append(s[:pre])
                return s[pre:]
            suf = self._suffix_len(s[pre:])
            if suf and s[:-suf] and s[:-suf] in table:
                suffixes.append(s[-suf:])
                return s[:-suf]
            if pre and suf and pre + suf <= len(s):
                prefixes.append(s[:pre])
                suffixes.append(s[-suf:])
                s = s[pre:-suf]
            elif pre:
                prefixes.append(s[:pre])
                s = s[pre:]
            elif suf:
                suffixes.append(s[-suf:])
                s = s[:-suf]
        return s

    def _attach(self, s: str, specials: bool) -> list[str]:
        if not s:
            return []
        if specials and s in self.specials:
            return list(self.specials[s])
        if (self.token_match and self.token_match(s)) or (self.url_match and self.url_match(s)):
            return [s]
        out: list[str] = []
        start = 0
        for m in self._infixes(s):
            i, j = m.start(), m.end()
            if i == 0:  # an infix at the very start is no split
                continue
            if i != start:
                out.append(s[start:i])
            if i != j:
                out.append(s[i:j])
            start = j
        if s[start:]:
            out.append(s[start:])
        return out

    # --------------------------------------------------------------- a text
    def _affix_tokens(self, text: str, specials: bool) -> list[tuple[str, int]]:
        """Whitespace split and per-span tokens, as spaCy's ``_tokenize_affixes``: one space after a token
        belongs to it; any other run of whitespace is a span of its own."""
        out: list[tuple[str, int]] = []
        if not text:
            return out
        words = text.split()  # str.split and str.isspace agree on what whitespace is
        if len(words) == 1 and len(words[0]) == len(text):  # one span (every piece analyze_text asks about)
            self._emit(text, 0, len(text), out, specials)
            return out
        start = 0
        in_ws = text[0].isspace()
        for i, ch in enumerate(text):
            if ch.isspace() != in_ws:
                if start < i:
                    self._emit(text, start, i, out, specials)
                start = i + 1 if ch == " " else i
                in_ws = not in_ws
        if start < len(text):
            self._emit(text, start, len(text), out, specials)
        return out

    def _emit(self, text: str, start: int, end: int, out: list, specials: bool) -> None:
        at = start
        for tok in self.piece(text[start:end], specials):
            out.append((tok, at))
            at += len(tok)

    def __call__(self, text: str) -> list[tuple[str, int]]:
        """(token text, offset) of every token of ``text``, special cases across affixes applied."""
        tokens = self._affix_tokens(text, True)
        if self._matcher_keys and tokens:
            tokens = self._special_spans(text, tokens)
        return tokens

    def _special_spans(self, text: str, tokens: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """spaCy's special-case matcher: a special case whose key the affix rules split into several tokens
        replaces those tokens (longest match first, then leftmost; a match whose first or last token is taken
        by a longer one is dropped)."""
        patterns = self._pattern_index()
        orths = [t for t, _ in tokens]
        if patterns.keys().isdisjoint(orths):  # no key starts at any token (most texts)
            return tokens
        found = []
        for i, orth in enumerate(orths):
            for pattern, key in patterns.get(orth, ()):
                n = len(pattern)
                if tuple(orths[i:i + n]) == pattern:
                    found.append((i, i + n))
        if not found:
            return tokens
        found.sort(key=lambda se: (se[1] - se[0], -se[0]))
        seen: set[int] = set()
        kept = []
        for start, end in reversed(found):
            if start not in seen and end - 1 not in seen:
                kept.append((start, end))
            seen.update(range(start, end))
        out: list[tuple[str, int]] = []
        i = 0
        for start, end in sorted(kept):
            out.extend(tokens[i:start])
            at = tokens[start][1]
            span = text[at:tokens[end - 1][1] + len(tokens[end - 1][0])]
            special = self.specials.get(span)
            if special is None:
                out.extend(tokens[start:end])
            else:
                for tok in special:
                    out.append((tok, at))
                    at += len(tok)
            i = end
        out.extend(tokens[i:])
        return out

    def _pattern_index(self) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        """First token → (token texts of a key tokenized without special cases, key), built on first use."""
        if self._patterns is None:
            index: dict[str, list] = {}
            for key in self._matcher_keys:
                pattern = tuple(t for t, _ in self._affix_tokens(key, False))
                if pattern:
                    index.setdefault(pattern[0], []).append((pattern, key))
            self._patterns = index
        return self._patterns


@lru_cache(maxsize=4)
def tokenizer_for(language: str) -> Tokenizer:
    """The tokenizer of a language, built once per process."""
    rules = load_rules(language)
    return Tokenizer(rules, compiled_patterns(rules, language))


# ------------------------------------------------------------------ compiled patterns
# Compiling the rules' patterns took 0.047 of the 0.06 CPU s that making a Danish tokenizer costs, in every
# process that tokenizes (the sample's whole core is about 0.4 s): their character classes list thousands of
# code points, which the regex compiler visits one by one in Python. What it makes of a pattern (the
# program ``_sre.compile`` takes) depends on the pattern and on the Python only, so it is kept in the cache
# beside the rules, in a file named for this Python's exact version and its regex engine's: a pattern
# is compiled once, and later processes hand its program to the engine, which checks the program before it
# takes it. The program is kept only when the pattern it makes equals ``re.compile``'s (same pattern, flags
# and program); a file that does not match its rules or its CRC, or a program the engine refuses, is
# compiled again. Without a cache folder every process compiles, as before.
_KINDS = ("prefix", "suffix", "infix", "token_match", "url_match")


def compiled_patterns(rules: Rules, language: str) -> dict:
    """(pattern, flags) → compiled pattern, for each pattern of ``rules``: from the programs cache when it
    holds them for these rules and this Python, else compiled (and their programs cached)."""
    sources = [getattr(rules, kind) for kind in _KINDS]
    sources = [s for s in sources if s is not None]
    path = _programs_file(language)
    if path is None:
        return {}
    known = _read_programs(path, sources)
    if known is not None:
        return known
    compiled, programs = {}, []
    for source in sources:
        pattern = compiled[source] = re.compile(source[0], source[1])
        program = _program(source)
        if program is None or _from_program(program) != pattern:
            return compiled  # this Python compiles otherwise: nothing cached
        programs.append(program)
    body = json.dumps(programs, ensure_ascii=False).encode("utf-8")
    _write_atomically(path, json.dumps({"crc32": zlib.crc32(body)}).encode("ascii") + b"\n" + body)
    return compiled


def _programs_file(language: str) -> Path | None:
    import sys

    try:
        import _sre
    except ImportError:  # pragma: no cover - another Python: no programs
        return None
    rules = _cache_file(language)
    tag = getattr(sys.implementation, "cache_tag", None)
    if rules is None or not tag:
        return None
    return rules.with_name(f"{language}.re-{tag}-{sys.hexversion:x}-{_sre.MAGIC}-{_sre.CODESIZE}.json")


def _program(source: tuple[str, int]) -> list | None:
    """What the regex compiler hands ``_sre.compile`` for a pattern (as ``re._compiler.compile`` makes it)."""
    try:
        from re import _compiler, _parser

        parsed = _parser.parse(source[0], source[1])
        code = _compiler._code(parsed, source[1])
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        return [source[0], source[1], source[1] | parsed.state.flags, list(code), parsed.state.groups - 1,
                groupindex, indexgroup]
    except Exception:  # noqa: BLE001 - a Python whose compiler is built otherwise: compile as usual
        return None


def _from_program(program: list) -> re.Pattern:
    import _sre

    pattern, _, flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))


def _read_programs(path: Path, sources: list) -> dict | None:
    try:
        head, _, body = path.read_bytes().partition(b"\n")
        if json.loads(head).get("crc32") != zlib.crc32(body):
            return None
        programs = json.loads(body)
        if [(p[0], p[1]) for p in programs] != [tuple(s) for s in sources]:
            return None  # programs of other rules
        return {source: _from_program(p) for source, p in zip(sources, programs)}
    except Exception:  # noqa: BLE001 - unreadable, damaged or refused by the engine ("invalid SRE code"): compile
        return None
