"""spaCy's tokenizer rules kept in the user cache: read back exactly, a damaged file ignored, no cache folder
still works, and the core of a run (ingest, segment, code) never imports spaCy once the rules are cached."""
from __future__ import annotations

import json
import subprocess
import sys

from condense import tokenizer as tk
from conftest import SAMPLE


def test_cached_rules_are_the_rules_read_from_spacy(tmp_path, monkeypatch):
    monkeypatch.setenv("CONDENSE_CACHE_DIR", str(tmp_path))
    fresh = tk.load_rules("da")  # read from spaCy, written to the cache
    path = tk._cache_file("da")
    assert path is not None and path.is_file()
    cached = tk.load_rules("da")
    assert cached.to_json() == fresh.to_json() == tk.rules_from_spacy("da").to_json()
    assert "kr." in cached.specials and "og" in cached.stop_words


def test_a_damaged_cache_file_is_ignored_and_written_anew(tmp_path, monkeypatch):
    monkeypatch.setenv("CONDENSE_CACHE_DIR", str(tmp_path))
    tk.load_rules("en")
    path = tk._cache_file("en")
    head, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    data["specials"]["kr."] = ["k", "r."]  # a changed rule: the checksum no longer matches
    path.write_bytes(head + b"\n" + json.dumps(data).encode())
    assert tk._read_cached(path, "en") is None
    assert tk.load_rules("en").to_json() == tk.rules_from_spacy("en").to_json()
    assert tk._read_cached(path, "en") is not None  # the good file is back


def test_no_cache_folder_gives_the_same_tokens(monkeypatch):
    text = "Det kostede 50 kr. (griner) :) www.kk.dk, f.eks.  hm…"
    with_cache = tk.Tokenizer(tk.load_rules("da"))(text)
    monkeypatch.setenv("CONDENSE_CACHE_DIR", "")
    assert tk._cache_file("da") is None
    assert tk.Tokenizer(tk.load_rules("da"))(text) == with_cache


def test_ingest_segment_and_code_do_not_import_spacy(tmp_path):
    """The measured reason for condense.tokenizer: `import spacy` and a blank pipeline cost ~0.8 s CPU."""
    script = (
        "import sys\n"
        "from condense.tokenizer import load_rules\n"
        "load_rules('da')\n"  # the first process may read the rules from spaCy; then they are cached
        "for m in [m for m in sys.modules if m == 'spacy' or m.startswith('spacy.')]:\n"
        "    del sys.modules[m]\n"
        "from condense import ingest, segment\n"
        "from condense.pipeline import make_coder\n"
        "from condense.project import default_project\n"
        f"units = segment(ingest([{str(SAMPLE)!r}]).transcripts)\n"
        "codings = make_coder(default_project())(units.units, units.questions)\n"
        "assert len(units.units) > 500 and len(codings) > 500\n"
        "print('spacy' in sys.modules)\n"
    )
    env = {"CONDENSE_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"


def test_cached_programs_make_the_patterns_re_compile_makes(tmp_path, monkeypatch):
    """The rules' patterns are compiled once: later processes build them from the cached programs, which
    give patterns equal to re.compile's (the same pattern, flags and program); a damaged or foreign programs
    file is compiled again, with the same tokens."""
    import re

    monkeypatch.setenv("CONDENSE_CACHE_DIR", str(tmp_path))
    text = "Det kostede 50 kr. (griner) :) www.kk.dk, f.eks.  hm… Anne-Marie's 3-4 gange"
    for language in ("da", "en"):
        rules = tk.load_rules(language)
        sources = [s for s in (rules.prefix, rules.suffix, rules.infix, rules.token_match, rules.url_match) if s]
        made = tk.compiled_patterns(rules, language)  # compiled; programs written
        path = tk._programs_file(language)
        assert path is not None and path.is_file()
        cached = tk.compiled_patterns(rules, language)  # from the programs
        assert set(cached) == set(sources)
        for source in sources:
            assert cached[source] == made[source] == re.compile(*source)
        assert tk.Tokenizer(rules, cached)(text) == tk.Tokenizer(rules)(text)
        head, _, body = path.read_bytes().partition(b"\n")
        path.write_bytes(head + b"\n" + body.replace(b"[", b"[1, ", 1))  # damaged: CRC no longer matches
        assert tk._read_programs(path, sources) is None
        programs = json.loads(body)
        programs[0][3][:3] = [1, 2, 3]  # a program the regex engine refuses, under a matching CRC
        body = json.dumps(programs).encode("utf-8")
        import zlib

        path.write_bytes(json.dumps({"crc32": zlib.crc32(body)}).encode("ascii") + b"\n" + body)
        assert tk._read_programs(path, sources) is None
        again = tk.compiled_patterns(rules, language)  # compiled again and written anew
        assert all(again[s] == re.compile(*s) for s in sources) and tk._read_programs(path, sources) is not None


def test_a_cache_file_that_cannot_be_replaced_leaves_no_temporary_file(tmp_path, monkeypatch):
    """A folder where the rules' cache file belongs (or a full disk) makes the rename fail: the run goes on
    without the cache, and the temporary file written beside it stayed, one more per run."""
    monkeypatch.setenv("CONDENSE_CACHE_DIR", str(tmp_path))
    path = tk._cache_file("da")
    path.mkdir(parents=True)
    assert tk.load_rules("da").to_json() == tk.rules_from_spacy("da").to_json()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
