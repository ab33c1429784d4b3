"""Input limits: long turns are split (never spaCy's E088), YAML bombs and zip bombs refused, and the
UTF-16 detector does not mistake real transcripts for UTF-16."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from condense.errors import CondenseError, Diagnostics
from condense.limits import check_zip, looks_utf16_without_bom, safe_load, split_long

ROOT = Path(__file__).resolve().parents[2]


def test_a_turn_longer_than_the_limit_is_split_at_sentence_ends_and_segmented(tmp_path, monkeypatch):
    from condense.ingest import read_transcript
    from condense.segment import segment

    monkeypatch.setenv("CONDENSE_MAX_TURN_CHARS", "2000")
    sentence = "Vi holdt møder med beboerne hver uge i gården. "
    path = tmp_path / "long.txt"
    path.write_text("I: Hvordan gik det?\n\nR: " + sentence * 200 + "\n", encoding="utf-8")
    d = Diagnostics()
    t = read_transcript(path, diagnostics=d)
    assert [w.code for w in d if w.code == "W702"] == ["W702"]
    respondent = [x for x in t.turns if x.speaker == "R"]
    assert len(respondent) == 5 and all(len(x.text) <= 2000 and x.text.endswith(".") for x in respondent)
    # every piece maps back to its place in the source text
    for x in respondent:
        assert t.text[x.start:x.end] == x.text
    units = segment([t]).units
    assert sum(u.text.count("møder") for u in units) == 200


def test_splitting_prefers_sentence_ends_then_spaces():
    text = "a" * 50 + ". " + "b" * 40 + " " + "c" * 60
    pieces = split_long(text, 100)
    assert "".join(p for _, p in pieces) == text and all(len(p) <= 100 for _, p in pieces)
    assert pieces[0][1].endswith(". ")
    assert split_long("x" * 300, 100) is None


@pytest.mark.parametrize("text, words", [
    ("a: &a [1, 2]\nb: [*a, *a, *a]\n", None),
    ("&a [*a]", "recursive"),
    ("x: " + "[" * 200 + "]" * 200, "nested"),
    ("\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]"
                                                            for i in range(1, 9)]), "aliases"),
])
def test_yaml_limits(text, words):
    if words is None:
        assert safe_load(text) == {"a": [1, 2], "b": [[1, 2]] * 3}
        return
    with pytest.raises(yaml.YAMLError) as err:
        safe_load(text)
    assert words in str(err.value)


def test_zip_parts_over_the_limit_are_refused(monkeypatch, tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b" " * 3_000_000)
    data = buffer.getvalue()
    assert len(data) < 10_000  # a few KB that inflate to 3 MB
    check_zip(data, tmp_path / "x.docx")
    monkeypatch.setenv("CONDENSE_MAX_INFLATED_BYTES", "1000000")
    with pytest.raises(CondenseError) as err:
        check_zip(data, tmp_path / "x.docx")
    assert err.value.code == "E712" and "word/document.xml" in str(err.value)


def test_no_sample_transcript_looks_like_utf16():
    files = [p for p in (ROOT / "transcripts_sample").rglob("*") if p.suffix in (".txt", ".md", ".vtt", ".srt", ".csv")]
    assert len(files) >= 10
    assert [p.name for p in files if looks_utf16_without_bom(p.read_bytes())] == []
    text = (ROOT / "transcripts_sample" / "01_solsikkeparken.txt").read_text(encoding="utf-8")
    assert looks_utf16_without_bom(text.encode("utf-16-le")) and looks_utf16_without_bom(text.encode("utf-16-be"))
