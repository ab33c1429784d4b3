"""The sample corpus is what the tutorial and the tables rely on: its design, formats, consent and variety."""
from __future__ import annotations

import re
from collections import Counter

from condense.ingest import ingest
from conftest import SAMPLE


def test_sample_design(sample_corpus):
    ts = sample_corpus.transcripts
    assert len(ts) >= 12 and sample_corpus.n_words >= 25_000
    formats = Counter(t.path.rsplit(".", 1)[1] for t in ts)
    assert formats["docx"] >= 2 and formats["vtt"] >= 1 and formats["txt"] + formats["md"] >= 8
    assert sum(1 for t in ts if len(t.cases) >= 2) >= 1  # one respondent covering two plans
    assert [t.id for t in ts if t.kind == "notes"] == ["12_fjordbyen_noter"]
    assert [t.id for t in ts if t.anonymous] == ["10_kildebakken"]
    assert [t.id for t in ts if t.withdrawn] == ["11_mosevangen"]
    regions = {c.attributes["region"] for c in sample_corpus.cases.values()}
    assert len(regions) >= 4
    assert all(t.role_source in ("configured", "notes") for t in ts)
    labels = {label for t in ts for label in t.speakers}
    assert {"I", "R", "Interviewer"} <= labels  # several label conventions


def test_no_two_interviews_share_sentences(sample_corpus):
    """Fewer than 2% of sentences (of five words or more) occur more than once anywhere in the corpus."""
    sentences = []
    for t in sample_corpus.transcripts:
        for turn in t.turns:
            for s in re.split(r"(?<=[.!?])\s+", turn.text):
                words = re.findall(r"\w+", s.lower())
                if len(words) >= 5:
                    sentences.append(" ".join(words))
    counts = Counter(sentences)
    repeated = sum(c for c in counts.values() if c > 1)
    assert len(sentences) > 1500
    assert repeated / len(sentences) < 0.02, [s for s, c in counts.items() if c > 1][:10]


def test_english_sample_reads_with_its_own_project():
    from condense.project import load_project

    project = load_project(SAMPLE / "en" / "condense.yaml")
    assert project.language == "en" and project.codebook.name == "beboerinddragelse.en.yaml"
    corpus = ingest(project.transcripts, cases_file=project.cases)
    assert len(corpus.transcripts) == 3 and all(t.language == "en" for t in corpus.transcripts)
    assert len(corpus.cases) == 3
