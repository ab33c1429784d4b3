"""simplemma's word lists, loaded at most once per process and in their cheapest form.

condense asks the lexicon two things: a word's lemma (``nlp``'s lemmatizer) and whether a word is a
dictionary word (names, privacy, withdrawn fingerprints). simplemma ships each language as a front-coded,
lzma-compressed stream that it decodes in full into a dict on first use: about 0.8 s CPU for Danish and
0.2 s for English, in every process, although a run looks up a few tens of thousands of words.

So the first process to need a language writes the decoded list once to the user cache folder, sorted
and cut into blocks of :data:`BLOCK` entries; later processes read that file (a few milliseconds) and
decode only the block a word falls in, remembering every answer. The cache

* lives in ``$CONDENSE_CACHE_DIR`` if set (empty: no cache), else the platform's user cache folder
  (``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on
  Windows), under ``condense/lexicon/v<FORMAT>/simplemma-<version>/<language>.lex``;
* is plain bytes (a JSON header line, then ``key\\0value\\0`` pairs), never a pickle, checked against a
  CRC-32 and its header on every load; a file that does not match is ignored and written anew;
* is never required: when it cannot be read or written (a read-only home), the list is decoded in memory
  exactly as simplemma does it, and the answers are the same.

Every lookup answers exactly as simplemma's own dictionary would (the same entries; a test compares them),
so lemmas, codings and every output are unchanged.
"""
from __future__ import annotations

import json
import os
import sys
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

__all__ = ["BLOCK", "FORMAT", "cache_dir", "dictionary", "lemmatize", "is_known", "BlockLexicon"]

FORMAT = 1  # raise when the file layout changes: old files are then simply not read
BLOCK = 64  # entries per block: one lookup splits one block (~1.5 kB)
_MAGIC = b"condense-lexicon\n"


def cache_dir() -> Path | None:
    """condense's folder in the user cache (None: caching switched off or no home folder)."""
    explicit = os.environ.get("CONDENSE_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) if explicit.strip() else None
    try:
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = str(Path.home() / "Library" / "Caches")
        else:
            xdg = os.environ.get("XDG_CACHE_HOME", "")
            base = xdg if os.path.isabs(xdg) else str(Path.home() / ".cache")  # XDG: relative paths are ignored
    except (RuntimeError, KeyError):  # no home folder
        return None
    return Path(base) / "condense"


@lru_cache(maxsize=1)
def _simplemma_version() -> str:
    """simplemma's version, from its installed metadata: importing simplemma only to read it cost 0.12 CPU s
    (it compiles the affix rules of every language it knows), in runs whose words the cached list all holds.
    Without metadata (a copy put on the path by hand), the module's own ``__version__``."""
    from importlib.metadata import PackageNotFoundError, version as dist_version

    try:
        return str(dist_version("simplemma"))
    except PackageNotFoundError:
        import simplemma

        return str(getattr(simplemma, "__version__", "unknown"))


def _cache_file(language: str) -> Path | None:
    root = cache_dir()
    if root is None:
        return None
    return root / "lexicon" / f"v{FORMAT}" / f"simplemma-{_simplemma_version()}" / f"{language}.lex"


class BlockLexicon(Mapping):
    """A read-only ``str → str`` view of a cached word list: bisect to a block, split only that block."""

    __slots__ = ("_data", "_offsets", "_firsts", "_memo")

    def __init__(self, data: bytes, offsets: list[int]):
        """``data[offsets[i]:offsets[i + 1]]`` is block ``i``: ``key\\0value\\0`` pairs in byte order of the keys."""
        self._data = data
        self._offsets = offsets
        self._firsts = [data[o:data.index(b"\0", o)] for o in offsets[:-1]]
        self._memo: dict[str, str | None] = {}

    def get(self, key, default=None):
        try:
            value = self._memo[key]
        except KeyError:
            value = self._memo[key] = self._find(key)
        return default if value is None else value

    def _find(self, key: str) -> str | None:
        """The key found in its block by C-level searches: where ``key\\0`` opens the block or follows a
        NUL, and an even number of NULs stands before it in the block (a key, not a value that happens to be
        spelt like it). Splitting the block into its 128 strings cost four fifths of a lookup: 0.12 of the
        0.8 CPU s that the 25,926 new word pieces of the 1M-word benchmark took to tokenize and lemmatise."""
        target = key.encode("utf-8")
        block = bisect_right(self._firsts, target) - 1
        if block < 0:
            return None
        data, lo, hi = self._data, self._offsets[block], self._offsets[block + 1]
        needle = target + b"\0"
        at = lo if data.startswith(needle, lo) else -1
        pos = lo
        while at < 0:
            k = data.find(b"\0" + needle, pos, hi)
            if k < 0:
                return None
            if data.count(b"\0", lo, k + 1) % 2 == 0:  # the NUL at k ends a value: a key follows
                at = k + 1
            else:
                pos = k + 1
        start = at + len(needle)
        return data[start:data.index(b"\0", start)].decode("utf-8")

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def _entries(self) -> bytes:
        return self._data[self._offsets[0]:self._offsets[-1]]

    def __iter__(self) -> Iterator[str]:
        items = self._entries().split(b"\0")
        return (k.decode("utf-8") for k in items[0:-1:2])

    def __len__(self) -> int:
        return self._entries().count(b"\0") // 2


def _encode(entries: dict[bytes, bytes], language: str) -> bytes | None:
    """The cache file's bytes for a decoded word list (None if an entry holds a NUL byte)."""
    pairs = sorted(entries.items())
    if any(b"\0" in k or b"\0" in v for k, v in pairs):
        return None
    chunks: list[bytes] = []
    offsets = [0]
    for start in range(0, len(pairs), BLOCK):
        chunk = b"".join(k + b"\0" + v + b"\0" for k, v in pairs[start:start + BLOCK])
        chunks.append(chunk)
        offsets.append(offsets[-1] + len(chunk))
    data = b"".join(chunks)
    header = {"format": FORMAT, "simplemma": _simplemma_version(), "language": language, "entries": len(pairs),
              "bytes": len(data), "crc32": zlib.crc32(data), "offsets": offsets}
    return _MAGIC + json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n" + data


def _decode(raw: bytes, language: str) -> BlockLexicon | None:
    """The lexicon in a cache file's bytes, or None when the file is not exactly what this version wrote."""
    if not raw.startswith(_MAGIC):
        return None
    end = raw.find(b"\n", len(_MAGIC))
    try:
        header = json.loads(raw[len(_MAGIC):end])
    except ValueError:
        return None
    base = end + 1  # the entries follow the header line; offsets are kept relative to it in the file
    offsets = header.get("offsets") if isinstance(header, dict) else None
    expected = {"format": FORMAT, "simplemma": _simplemma_version(), "language": language,
                "bytes": len(raw) - base, "crc32": zlib.crc32(memoryview(raw)[base:])}
    if any(header.get(k) != v for k, v in expected.items()) or not isinstance(offsets, list) or not offsets \
            or offsets[0] != 0 or offsets[-1] != len(raw) - base:
        return None
    return BlockLexicon(raw, [base + o for o in offsets])


def _read_cache(path: Path, language: str) -> BlockLexicon | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        return _decode(raw, language)
    except (ValueError, TypeError, IndexError):
        return None


def _write_cache(path: Path, content: bytes) -> None:
    """Write the cache file through the file layer (atomically; a temporary twin a run killed outright left is
    removed by the next writer); any failure (read-only home, full disk) only means no cache."""
    from .errors import CondenseError
    from .safety import write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, content)
    except (OSError, CondenseError):
        pass


def _simplemma_dictionary(language: str) -> Mapping:
    """simplemma's own in-memory dictionary (shared with its module-level functions when it has one)."""
    from simplemma.strategies.dictionaries import dictionary_factory

    factory = getattr(dictionary_factory, "DEFAULT_DICTIONARY_FACTORY", None)
    return (factory or dictionary_factory.DefaultDictionaryFactory()).get_dictionary(language)


@lru_cache(maxsize=None)
def dictionary(language: str) -> Mapping:
    """The word list of ``language`` (word → lemma), once per process: from the cache when it is there,
    else decoded by simplemma (and cached for the next process when the cache folder is writable)."""
    path = _cache_file(language)
    if path is not None:
        cached = _read_cache(path, language)
        if cached is not None:
            return cached
    listed = _simplemma_dictionary(language)  # ValueError for a language simplemma does not have
    if path is not None:
        raw = getattr(listed, "_dict", None)
        entries = raw if isinstance(raw, dict) else {k.encode("utf-8"): v.encode("utf-8") for k, v in listed.items()}
        content = _encode(entries, language)
        if content is not None:
            _write_cache(path, content)
    return listed


class _Factory:
    """A simplemma dictionary factory over :func:`dictionary`."""

    def get_dictionary(self, lang: str) -> Mapping:
        return dictionary(lang)


@lru_cache(maxsize=1)
def _lemmatizer():
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_Factory()))


@lru_cache(maxsize=1)
def _lookup():
    from simplemma.strategies import DictionaryLookupStrategy

    return DictionaryLookupStrategy(_Factory())


def lemmatize(word: str, language: str) -> str:
    """``simplemma.lemmatize(word, lang=language)``, over the cached word list."""
    return _lemmatizer().lemmatize(word, language)


def is_known(word: str, language: str) -> bool:
    """``simplemma.is_known(word, lang=language)``, over the cached word list (False for an empty word)."""
    if not word:
        return False
    return _lookup().get_lemma(_normalize(word), language) is not None


def _normalize(word: str) -> str:
    try:
        from simplemma.utils import normalize_token  # simplemma ≥ 2 compares NFC forms
    except ImportError:  # pragma: no cover - older simplemma: the word as given
        return word
    return normalize_token(word)
