"""The word lists read from condense's user cache answer exactly as simplemma's own, and the cache is never
required: a folder that cannot be written, or a damaged file, only means simplemma decodes the list itself."""
from __future__ import annotations

import json
import random
import re

import pytest
import simplemma

from condense import lexicon
from conftest import SAMPLE


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A new process as far as the lexicon goes: nothing loaded yet, the cache in ``tmp_path/cache``."""
    monkeypatch.setenv("CONDENSE_CACHE_DIR", str(tmp_path / "cache"))
    for fn in (lexicon.dictionary, lexicon._lemmatizer, lexicon._lookup):
        fn.cache_clear()
    yield tmp_path / "cache"
    for fn in (lexicon.dictionary, lexicon._lemmatizer, lexicon._lookup):
        fn.cache_clear()


def _sample_words() -> list[str]:
    words = set()
    for path in sorted(SAMPLE.rglob("*")):
        if path.suffix in (".txt", ".md", ".vtt"):
            words |= set(re.findall(r"\w+", path.read_text(encoding="utf-8")))
    return sorted(words)


def _cached(language: str):
    """The lexicon as a later process reads it (from the cache file the first one wrote)."""
    lexicon.dictionary.cache_clear()
    found = lexicon.dictionary(language)
    assert isinstance(found, lexicon.BlockLexicon), "the cache was not written or not read back"
    return found


@pytest.mark.parametrize("language", ["da", "en"])
def test_cached_word_list_answers_as_simplemma(fresh, language):
    lexicon.dictionary(language)  # first process: decodes and writes the cache
    cached = _cached(language)
    reference = lexicon._simplemma_dictionary(language)  # simplemma's own, decoded in memory
    rng = random.Random(16)
    keys = rng.sample(sorted(reference), 3000)
    probes = keys + [k.upper() for k in keys[:300]] + [k + "xq" for k in keys[:300]] + _sample_words()
    probes += ["", "a", "\u00e9", "zzzzzzzzzz", min(reference), max(reference)]
    probes += [reference[k] for k in keys[:500]]  # lemmas, often spelt like a key they stand before in a block
    assert [cached.get(w) for w in probes] == [reference.get(w) for w in probes]
    assert len(cached) == len(reference)


def test_a_value_is_never_taken_for_a_key():
    """A block is searched for ``word\\0`` after a NUL: a lemma spelt like the word (before its own entry, or
    of no entry at all) must not answer for it."""
    entries = {b"aa": b"ab", b"ab": b"ab", b"ac": b"zz", b"ad": b"ac", b"b": b""}
    found = lexicon._decode(lexicon._encode(entries, "da"), "da")
    assert isinstance(found, lexicon.BlockLexicon)
    assert [found.get(w) for w in ["aa", "ab", "ac", "ad", "zz", "b", "a", "c", ""]] == \
        ["ab", "ab", "zz", "ac", None, "", None, None, None]


def test_lemmas_and_known_words_are_simplemma_s(fresh):
    lexicon.dictionary("da")
    _cached("da")
    words = _sample_words()
    assert [lexicon.lemmatize(w.lower(), "da") for w in words] == [simplemma.lemmatize(w.lower(), lang="da") for w in words]
    assert [lexicon.is_known(w, "da") for w in words] == [simplemma.is_known(w, lang="da") for w in words]


def test_a_second_process_does_not_decode_the_list_again(fresh, monkeypatch):
    lexicon.dictionary("en")
    assert list(fresh.rglob("en.lex")), "no cache file under CONDENSE_CACHE_DIR"

    def no_decoding(language):
        raise AssertionError("simplemma's list was decoded although the cache holds it")

    monkeypatch.setattr(lexicon, "_simplemma_dictionary", no_decoding)
    assert _cached("en").get("houses") == "house"


def test_an_unwritable_cache_folder_still_gives_the_same_answers(monkeypatch, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("CONDENSE_CACHE_DIR", str(blocker / "condense"))
    lexicon.dictionary.cache_clear()
    try:
        listed = lexicon.dictionary("en")
        assert not isinstance(listed, lexicon.BlockLexicon)
        assert listed.get("houses") == "house" and lexicon.is_known("houses", "en")
    finally:
        lexicon.dictionary.cache_clear()


def test_a_damaged_cache_file_is_ignored_and_written_anew(fresh):
    lexicon.dictionary("en")
    (path,) = fresh.rglob("en.lex")
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x20  # one flipped bit in an entry: the CRC no longer matches
    path.write_bytes(bytes(raw))
    lexicon.dictionary.cache_clear()
    listed = lexicon.dictionary("en")
    assert not isinstance(listed, lexicon.BlockLexicon)  # decoded by simplemma, not read from the bad file
    assert _cached("en").get("houses") == "house"  # and the file was replaced by a good one


def test_the_cache_is_plain_bytes_and_versioned(fresh):
    lexicon.dictionary("en")
    (path,) = fresh.rglob("en.lex")
    assert path.parts[-4:-1] == ("lexicon", f"v{lexicon.FORMAT}", f"simplemma-{simplemma.__version__}")
    magic, header, entries = path.read_bytes().split(b"\n", 2)
    assert magic == b"condense-lexicon"
    assert json.loads(header)["simplemma"] == simplemma.__version__
    reference = lexicon._simplemma_dictionary("en")
    first = min(reference, key=str.encode)  # entries are plain key/value bytes in byte order, no pickle
    assert entries.startswith(first.encode() + b"\0" + reference[first].encode() + b"\0")


def test_a_token_of_forty_thousand_letters_is_not_split_as_a_compound():
    """A code name or "word" of 100,000 letters in coded data (census round three) made the Danish compound
    split try every tail of it against the lexicon: 86 s of a 108 s `condense tables`. A token longer than any
    word is now its own lemma; words keep theirs."""
    import time

    from condense.nlp import compound_lemmatizer

    lemma = compound_lemmatizer("da")
    began = time.perf_counter()
    assert lemma("x" * 40_000) == "x" * 40_000
    assert time.perf_counter() - began < 2.0
    assert (lemma("beboerinddragelsen"), lemma("helhedsplanerne")) == ("beboerinddragelse", "helhedsplan")


def test_a_cached_word_list_is_read_without_importing_simplemma(fresh):
    """Reading the list from the cache needs only simplemma's version, from its installed metadata: importing
    simplemma to read its ``__version__`` cost a small run 0.12 CPU s (it compiles every language's rules)."""
    import os
    import subprocess
    import sys

    lexicon.dictionary("da")  # the cache file, written here
    script = ("import sys; from condense import lexicon; listed = lexicon.dictionary('da'); "
              "assert isinstance(listed, lexicon.BlockLexicon), type(listed); listed.get('huse'); "
              "print('simplemma' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CONDENSE_CACHE_DIR": str(fresh)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
