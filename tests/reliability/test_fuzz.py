"""Fuzz tests (hypothesis) of every reader, and of reader → segment → every writer.

The property is the one a researcher relies on: whatever the bytes, condense either reads them or raises a
coded :class:`CondenseError` — never another exception, never a hang — and what it writes is readable
back and holds no spreadsheet formula. ``make test`` runs a bounded number of examples per test
(CONDENSE_FUZZ_EXAMPLES, default 40, derandomised); ``make fuzz`` runs the long, random version.
"""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from condense.errors import CondenseError, Diagnostics

EXAMPLES = int(os.environ.get("CONDENSE_FUZZ_EXAMPLES", "40"))
LONG = "CONDENSE_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG, database=None,
                suppress_health_check=list(HealthCheck), print_blob=True)

# text as transcripts really are, and as they are when something went wrong
ALPHABET = st.sampled_from(list("abcæøåABCÆØÅ IRX:.,?!-=+@[]()*/\\\"'#\t\n\r\x0b\x0c\x00\x1f\ufeff\u00a0\u2028é0123456789>")
                           + ["[[withdrawn]]", "[[/withdrawn]]", "I: ", "R: ", "\n---\n", "00:01:02.000 --> 00:01:03.000",
                              "<v Anna>", "**I:**", "=HYPERLINK(\"x\")", "&a", "*a", "{", "}"])
TEXT = st.lists(ALPHABET, max_size=200).map("".join)
LINES = st.lists(st.tuples(st.sampled_from(["I", "R", "X", "Mette", "I1", ""]), TEXT), max_size=12).map(
    lambda turns: "\n".join(f"{label}: {text}" if label else text for label, text in turns))
ENCODED = st.one_of(
    st.binary(max_size=3000),
    TEXT.map(lambda t: t.encode("utf-8")),
    LINES.map(lambda t: t.encode("utf-8")),
    LINES.map(lambda t: t.encode("utf-16-le", errors="replace")),
    LINES.map(lambda t: t.encode("utf-16", errors="replace")),
    LINES.map(lambda t: t.encode("cp1252", errors="replace")),
    st.tuples(TEXT, LINES).map(lambda p: ("---\n" + p[0] + "\n---\n" + p[1]).encode("utf-8")),
)


def coded(call):
    """Run ``call``; a CondenseError is an acceptable answer, any other exception fails the property."""
    try:
        return call()
    except CondenseError:
        return None


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def docx_bytes(xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", xml)
    return buffer.getvalue()


@FUZZ
@given(data=ENCODED, suffix=st.sampled_from([".txt", ".md", ".vtt", ".srt"]))
def test_transcript_readers(folder, data, suffix):
    from condense.ingest import read_transcript

    coded(lambda: read_transcript(put(folder, "t" + suffix, data), diagnostics=Diagnostics()))


@FUZZ
@given(body=st.one_of(LINES, TEXT), raw=st.binary(max_size=500), mode=st.integers(0, 3))
def test_docx_reader(folder, body, raw, mode):
    from condense.ingest import read_transcript

    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in body.split("\n"))
    xml = [f'<w:document><w:body>{paragraphs}</w:body></w:document>', body, ""][mode % 3]
    data = docx_bytes(xml) if mode < 3 else b"PK\x03\x04" + raw
    coded(lambda: read_transcript(put(folder, "t.docx", data), diagnostics=Diagnostics()))


@FUZZ
@given(data=ENCODED, suffix=st.sampled_from([".csv", ".xlsx"]))
def test_table_reader(folder, data, suffix):
    from condense.io import read_table

    coded(lambda: read_table(put(folder, "table" + suffix, data), required=("unit_id",)))


@FUZZ
@given(text=st.one_of(TEXT, LINES, st.tuples(TEXT, TEXT).map(
    lambda p: "codebook: x\nlanguage: da\ndimensions:\n  - id: tema\n    label: " + p[0] + "\n    themes:\n      - id: a\n"
              "        label: " + p[1] + "\n        terms: [" + p[0] + "]\n")))
def test_codebook_reader(text):
    from condense.codebook import parse_codebook

    coded(lambda: parse_codebook(text, "cb.yaml"))


@FUZZ
@given(text=st.one_of(TEXT, LINES, TEXT.map(lambda t: "transcripts: transcripts\nsegmentation:\n  max_words: " + t)))
def test_project_reader(folder, text):
    from condense.project import load_project

    coded(lambda: load_project(put(folder, "condense.yaml", text.encode("utf-8", errors="replace"))))


@FUZZ
@given(data=ENCODED, which=st.sampled_from(["cases.csv", "transcripts.csv"]))
def test_metadata_readers(folder, data, which):
    from condense.ingest.metadata import read_cases, read_transcripts_csv

    path = put(folder, which, data)
    coded(lambda: (read_cases if which == "cases.csv" else read_transcripts_csv)(path))


@FUZZ
@given(data=ENCODED)
def test_decisions_and_review_readers(folder, data):
    from condense.codebook import load_codebook
    from condense.review import import_review_sheet, read_decisions

    cb = _codebook()
    path = put(folder, "decisions.csv", data)
    coded(lambda: read_decisions(path, cb))
    coded(lambda: import_review_sheet(path, cb))


_CB = {}


def _codebook():
    from condense.codebook import load_codebook

    if "cb" not in _CB:
        _CB["cb"] = load_codebook(Path(__file__).resolve().parents[2] / "codebooks" / "beboerinddragelse.da.yaml")
    return _CB["cb"]


@settings(FUZZ, max_examples=max(5, EXAMPLES // 4))  # the whole chain: slower per input
@given(body=LINES, front=st.one_of(st.just(""), TEXT))
def test_read_segment_and_write_everything(folder, body, front):
    """reader → segment → code → every writer; what is written reads back and holds no formula."""
    from condense.coding import Coder, codings_frame
    from condense.ingest import read_transcript
    from condense.io import read_table, write_csv, write_xlsx
    from condense.review import review_sheet, write_review_sheet
    from condense.segment import segment

    text = ("---\n" + front + "\n---\n" if front else "") + body
    path = put(folder, "int.txt", text.encode("utf-8"))
    transcript = coded(lambda: read_transcript(path, diagnostics=Diagnostics()))
    if transcript is None:
        return
    seg = segment([transcript])
    cb = _codebook()
    if "coder" not in _CB:
        _CB["coder"] = Coder(cb)
    codings = _CB["coder"](seg.units, seg.questions)
    frames = {"units": seg.to_frame(), "codings": codings_frame(codings)}
    out = folder / "out"
    out.mkdir(exist_ok=True)
    for name, df in frames.items():
        write_csv(df, out / f"{name}.csv")
        header, rows = read_table(out / f"{name}.csv")
        assert len(rows) <= len(df)
        if name == "units":
            assert [r["text"] for _, r in rows] == [t for t in df["text"] if t.strip()]
    write_xlsx(frames, out / "results.xlsx")
    write_review_sheet(review_sheet(seg.units, codings, cb), cb, out / "review.xlsx")
    for book in ("results.xlsx", "review.xlsx"):
        with zipfile.ZipFile(out / book) as z:
            for member in z.namelist():
                if member.startswith("xl/worksheets/"):
                    assert b"<f>" not in z.read(member)
