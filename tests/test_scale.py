"""Scale: the per-transcript map on several processes, and the streaming workbook."""
from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _spy_on_workers(monkeypatch) -> dict[str, set[int]]:
    """From now on parallel.map_shares records, per function that called it, the processes its shares ran in."""
    from condense import parallel

    workers: dict[str, set[int]] = {}
    real_map = parallel.map_shares

    def spy(fn, items, jobs, weight=lambda _: 1, meanwhile=None):
        parts = real_map(lambda share: (os.getpid(), fn(share)), items, jobs, weight, meanwhile)
        workers.setdefault(sys._getframe(1).f_code.co_name, set()).update(pid for pid, _ in parts)
        return [result for _, result in parts]

    monkeypatch.setattr(parallel, "map_shares", spy)
    return workers


def _jobs_1_and_2(corpus: Path, monkeypatch, finish) -> tuple[dict, dict[str, set[int]]]:
    """``finish(run(project), jobs)`` of the project in ``corpus`` with one job, then with two, the workers of the
    second run spied on: ({jobs: what finish returned}, the function that mapped → the processes its shares ran in)."""
    from condense import resolve_project
    from condense.pipeline import run

    out, workers = {}, {}
    for jobs in (1, 2):
        project = resolve_project(corpus)
        project.jobs = jobs
        if jobs == 2:
            workers = _spy_on_workers(monkeypatch)
        out[jobs] = finish(run(project), jobs)
    return out, workers


@pytest.mark.cores
def test_jobs_2_writes_the_same_bytes_as_jobs_1(tmp_path, monkeypatch):
    from condense import parallel
    from condense.pipeline import write_results

    if parallel.available_jobs(2) < 2 or "fork" not in mp.get_all_start_methods():
        pytest.skip("one core, or no fork: --jobs 2 runs in this process")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("01_solsikkeparken.txt", "04_kastanjegaarden.txt", "07_lindegaarden.txt", "10_kildebakken.txt",
                 "11_mosevangen.txt", "cases.csv"):
        shutil.copy(SAMPLE / name, corpus / name)
    # the privacy is applied in the segmenting workers: an anonymous interview (10), listed names
    (corpus / "pseudonyms.csv").write_text("real,pseudonym,kind\nFatma,Leila,person\nJens,Karl,person\n", encoding="utf-8")
    def written(result, jobs):
        write_results(result, tmp_path / f"out{jobs}")
        return _files(tmp_path / f"out{jobs}")

    outputs, workers = _jobs_1_and_2(corpus, monkeypatch, written)
    # reading ran in two worker processes, not here; segmenting, the privacy and coding in two others, one
    # map for all three (no map of its own for coding, which forked and sent every unit again)
    assert {"_reader", "segment_map"} <= workers.keys() and "_code_shares" not in workers, workers
    assert all(len(pids) >= 2 and os.getpid() not in pids for pids in workers.values()), workers
    units = outputs[2]["units.csv"].decode("utf-8-sig")
    assert "anonym-" in units and "Leila" in units and "Fatma" not in units
    assert outputs[1].keys() == outputs[2].keys()
    different = [name for name in outputs[1] if outputs[1][name] != outputs[2][name]]
    assert not different


@pytest.mark.cores
def test_jobs_2_gives_an_anonymous_speaker_the_same_units_questions_and_codings(tmp_path, monkeypatch):
    """An anonymous speaker of a joint interview: the workers that segment and code give their units a public
    id and ask them the interview's questions again under it (guide context), as one process does; the
    questions come back in the same order, and every table is the same."""
    from condense import parallel

    if parallel.available_jobs(2) < 2 or "fork" not in mp.get_all_start_methods():
        pytest.skip("one core, or no fork: --jobs 2 runs in this process")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("01_solsikkeparken.txt", "07_lindegaarden.txt", "11_mosevangen.txt", "cases.csv"):
        shutil.copy(SAMPLE / name, corpus / name)
    (corpus / "05_joint.txt").write_text(
        "---\nid: 05_joint\ncases: [Lindegården]\ninterviewer_labels: [I]\nanonymous: [Y]\n---\n"
        "I: Hvordan gik sundhedsdagen i Lindegården?\n\nX: Den gik godt, vi havde mad og musik hele dagen.\n\n"
        "Y: Jeg stod i køkkenet med de andre frivillige, og børnene løb rundt i gården.\n\n"
        "I: Hvad med motionsholdet for kvinder?\n\nY: Motionsholdet kører stadig hver tirsdag, og vi er flere end "
        "sidste år.\n\nX: Ja, og vi vil gerne starte et hold mere.\n", encoding="utf-8")
    results, workers = _jobs_1_and_2(corpus, monkeypatch, lambda result, jobs: result)
    assert "segment_map" in workers and "_code_shares" not in workers, workers
    one, two = results[1], results[2]
    assert [u.transcript for u in one.units].count("anonym-01") >= 2
    assert [q.transcript for q in one.segmentation.questions].count("anonym-01") >= 2
    assert one.units == two.units and one.segmentation.questions == two.segmentation.questions
    assert one.codings == two.codings
    assert one.segmentation.privacy.anonymous_unit_ids == two.segmentation.privacy.anonymous_unit_ids
    assert one.tables.keys() == two.tables.keys()
    for name, frame in one.tables.items():
        assert frame.equals(two.tables[name]), name


@pytest.mark.cores
def test_word_pieces_tokenized_in_workers_are_the_pieces_tokenized_here(monkeypatch):
    """segment_shares fills the word-piece cache in worker processes before the segmenting workers fork:
    what comes back is exactly what this process would have computed (pieces, word types, lemmas)."""
    from condense import nlp, parallel
    from condense.ingest import ingest

    if parallel.available_jobs(2) < 2 or "fork" not in mp.get_all_start_methods():
        pytest.skip("one core, or no fork")
    seg_module = sys.modules["condense.segment"]
    texts = [turn.text for t in ingest([SAMPLE]).transcripts for turn in t.turns]
    here = nlp.TokenTypes("da")
    nlp.fill_chunks(texts, here)
    there = nlp.TokenTypes("da")  # empty caches, filled by the workers
    monkeypatch.setitem(nlp._TYPES, "da", there)
    monkeypatch.setattr(seg_module, "PREFILL_MIN", 10)
    workers = _spy_on_workers(monkeypatch)
    seg_module._prefill("da", texts, 2)
    pids = workers["_prefill"]
    assert len(pids) == 2 and os.getpid() not in pids
    assert len(there.chunks) > 1000
    assert there.chunks == here.chunks
    assert (there.info, there.kinds, there.lemmas) == (here.info, here.kinds, here.lemmas)


@pytest.mark.cores
def test_ingest_with_jobs_2_reads_the_same_corpus_warnings_and_first_error(tmp_path, monkeypatch):
    """--jobs reads the files in workers: the corpus, the warnings (order and counts) and the coded error of
    the first bad file are exactly those of one process."""
    from condense import parallel
    from condense.errors import CondenseError, Diagnostics
    from condense.ingest import ingest

    if parallel.available_jobs(2) < 2 or "fork" not in mp.get_all_start_methods():
        pytest.skip("one core, or no fork")
    workers = _spy_on_workers(monkeypatch)
    one, two = Diagnostics(), Diagnostics()
    serial = ingest([SAMPLE], diagnostics=one, jobs=1)
    assert not workers
    forked = ingest([SAMPLE], diagnostics=two, jobs=2)
    pids = workers["_reader"]
    assert len(pids) == 2 and os.getpid() not in pids
    assert forked.transcripts == serial.transcripts and len(serial.transcripts) >= 10
    assert (two.warnings, two.counts) == (one.warnings, one.counts) and one.warnings
    bad = tmp_path / "bad"
    bad.mkdir()
    for i in range(6):
        (bad / f"{i:02d}.txt").write_text("I: Hej?\n\nR: Godt.\n", encoding="utf-8")
    for i in (2, 4):  # two bad files in different shares: the first one is reported
        (bad / f"{i:02d}.txt").write_text("I: Hej?\n\nR: [[withdrawn]] hemmeligt\n", encoding="utf-8")
    errors = []
    for jobs in (1, 2):
        with pytest.raises(CondenseError) as caught:
            ingest([bad], jobs=jobs)
        errors.append(str(caught.value))
    assert errors[0] == errors[1] and "02.txt" in errors[0]


def test_shares_keep_order_and_cover_every_item():
    from condense.parallel import shares

    items = [5, 1, 1, 1, 9, 2, 2, 3]
    for n in (1, 2, 3, 8, 20):
        parts = shares(items, n, weight=lambda x: x)
        assert [i for p in parts for i in p] == list(range(len(items)))
        assert len(parts) <= n and all(parts)


def test_a_sheet_longer_than_a_worksheet_is_split_not_cut(tmp_path, monkeypatch):
    import openpyxl
    import pandas as pd

    from condense import io
    from condense.errors import Diagnostics

    monkeypatch.setattr(io, "EXCEL_MAX_ROWS", 4)  # three rows under the header
    df = pd.DataFrame({"unit_id": [f"u{i}" for i in range(8)], "text": ["=1+1", "@SUM(A1)"] + ["x"] * 6})
    diagnostics = Diagnostics()
    io.write_xlsx({"units": df, "small": df.iloc[:2]}, tmp_path / "r.xlsx", diagnostics=diagnostics)
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["units", "units (2)", "units (3)", "small"]
    rows = [r for name in wb.sheetnames[:3] for r in wb[name].iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in rows] == list(df.unit_id)
    assert [w.code for w in diagnostics.warnings] == ["W950"]
    cell = wb["units"]["B2"]
    assert cell.value == "=1+1" and cell.data_type == "s"  # text, not a formula


@pytest.mark.parametrize("jobs, expected", [(1, 1), (0, None)])
def test_available_jobs(jobs, expected):
    from condense.parallel import available_jobs

    got = available_jobs(jobs)
    assert got >= 1 and (expected is None or got == expected)


def test_group_tfidf_centrality_is_scikit_learns_fit_on_the_group(sample_units):
    """Centrality from counts made once per run equals a TfidfVectorizer fitted on each group (the old way)."""
    import numpy as np

    from condense.condensation import centrality
    from condense.emergent import TfidfLemmas
    from condense.group_tfidf import CountRows

    units = [u for u in sample_units.units if u.role == "respondent"]
    counts = CountRows()
    for start, size in ((0, 40), (20, 40), (100, 300), (5, 2)):  # overlapping groups share the counts
        group = units[start:start + size]
        X = TfidfLemmas("da", min_df=1, max_df=1.0).fit_transform(group).toarray()
        centroid = X.mean(axis=0)
        expected = X @ centroid / (np.linalg.norm(centroid) or 1.0)
        assert np.allclose(centrality(group, "da", counts), expected, atol=1e-12)


def test_shared_run_check_agrees_with_the_word_by_word_comparison(sample_units):
    from condense.drafts import MAX_RUN, longest_shared_run, shares_run_longer_than

    texts = [u.text for u in sample_units.units if len(u.text.split()) > 40][:30]
    assert len(texts) == 30
    for i, text in enumerate(texts):
        words = text.split()
        for draft in (" ".join(words[:MAX_RUN + 1]), " ".join(words[:MAX_RUN]) + " x y",
                      "Vi " + " ".join(words[3:3 + MAX_RUN + 4])):
            others = texts[:i] + texts[i + 1:]
            for sources in ([text], others, others + [text.upper()]):
                assert shares_run_longer_than(draft, sources, MAX_RUN) == (longest_shared_run(draft, sources) > MAX_RUN)


def test_rows_written_as_xml_are_the_bytes_openpyxl_writes(tmp_path):
    import datetime

    import numpy as np
    import pandas as pd

    from condense import io

    long = "Vi startede med en spørgeskemaundersøgelse blandt beboerne i området, og så " * 2
    frame = pd.DataFrame({
        "text": ["Ø & <b> æ", " leading space", "=1+1", "#N/A", "", None, "tab\there\r\nny linje", "emoji 😀", "x\x07y"],
        "n": [1, 2, 3, 4, 5, 6, 7, 8, 2**60],
        "share": [0.1, np.nan, 1 / 3, 2.5, -0.0, 1e-7, 12345678.9, float("inf"), 3.0],
        "flag": [True, False, True, False, True, False, True, False, True],
        "long": [long, None, "#N/A", "=SUM(A1)", "kort", "", " ", long + " ", "æøå"],
    })
    uniform = pd.DataFrame({  # columns of one kind each, as a run's tables have them
        "text": ["Ø & <b> æ", "", " leading", "trailing\n", "#N/A", "=1+1", "plain", "", "x"],
        "long": [long, "", " ", "#N/A", long + " ", "kort", "æøå", "", "tab\there"],
        "n": [1, -2, 0, 10**14, -(10**14), 7, 8, 9, 10],
        "share": [0.1, np.nan, 1 / 3, float("-inf"), -0.0, 1e-7, 12345678.9, float("inf"), np.nan],
        "whole": [1.0, 2.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 1e20],
    })
    sheets = {"units": frame, "other": frame.iloc[:3, :2], "værdier": pd.DataFrame({"a": [1.5, None], "b": ["x", "y"]}),
              "uniform": uniform, "empty": uniform.iloc[:0]}
    parts = list(io._sheet_parts(sheets, None))
    io._write_xlsx_openpyxl(parts, tmp_path / "openpyxl.xlsx")
    io.write_xlsx(sheets, tmp_path / "rows.xlsx")
    assert (tmp_path / "rows.xlsx").read_bytes() == (tmp_path / "openpyxl.xlsx").read_bytes()
    dated = {"d": pd.DataFrame({"when": [datetime.date(2020, 1, 2)], "x": ["y"]})}  # not rendered here: openpyxl writes it
    io.write_xlsx(dated, tmp_path / "dated.xlsx")
    io._write_xlsx_openpyxl(list(io._sheet_parts(dated, None)), tmp_path / "dated_openpyxl.xlsx")
    assert (tmp_path / "dated.xlsx").read_bytes() == (tmp_path / "dated_openpyxl.xlsx").read_bytes()


def test_the_progress_bar_runs_no_thread_the_workers_could_be_forked_beside(monkeypatch):
    """In a terminal the progress bar is drawn when a file is done, not by a refresh thread: `condense run`
    forks workers under it (--jobs, the figures, the audit), and a child forked while another thread holds a
    lock (the console's, a stream's) may wait on it for ever."""
    import io
    import threading

    from rich.console import Console

    from condense import cli

    screen = io.StringIO()
    monkeypatch.setattr(cli, "err_console", Console(file=screen, force_terminal=True, width=100))
    before = threading.active_count()
    with cli.file_progress("Reading") as update:
        update(1, 2, Path("a.txt"))
        assert threading.active_count() == before
        update(2, 2, Path("b.txt"))
    assert "Reading" in screen.getvalue() and "1/2" in screen.getvalue()  # drawn all the same


@pytest.mark.cores
def test_a_job_beside_the_pipeline_runs_in_another_process_and_falls_back_to_this_one():
    """Discovery runs beside condensation (parallel.beside): same value as here; a child that crashes or fails
    hands the job back to this process, where its value (or its coded error) comes as usual."""
    from condense import parallel
    from condense.errors import CondenseError

    if parallel.available_jobs(2) < 2 or "fork" not in mp.get_all_start_methods():
        pytest.skip("one core, or no fork")
    me = os.getpid()
    assert parallel.beside(lambda: (os.getpid(), list(range(5)))).result()[1] == [0, 1, 2, 3, 4]
    assert parallel.beside(lambda: os.getpid()).result() != me  # it ran in a child

    def crash_there():
        if os.getpid() != me:
            os._exit(3)
        return "here"

    assert parallel.beside(crash_there).result() == "here"

    def fail():
        raise CondenseError("E101", path="x.txt")

    with pytest.raises(CondenseError, match="E101"):
        parallel.beside(fail).result()


def test_the_corpus_counts_its_words_once_and_again_when_a_turn_changes():
    """The report, its data, the manifest and the command line all ask for the corpus's words: counted once
    for the texts the turns hold, and again as soon as one of them is another text."""
    from condense import ingest

    corpus = ingest([SAMPLE])
    first = corpus.n_words
    assert first == sum(len(turn.text.split()) for t in corpus.transcripts for turn in t.turns)
    assert corpus.n_words == first
    corpus.transcripts[0].turns[0].text += " to ord"
    assert corpus.n_words == first + 2
    corpus.transcripts.pop()
    assert corpus.n_words == sum(len(turn.text.split()) for t in corpus.transcripts for turn in t.turns)


def test_column_means_are_scipys_row_mean_bit_for_bit():
    """The centroid of a draft's sentences, a group's units and a sub-group's rows is read from the CSR arrays
    (group_tfidf.column_means): the very floats scipy's ``X[a:b].mean(axis=0)`` gives, rows with their columns
    in any order, repeated columns and empty rows included, so every score and tie stays as it was."""
    import numpy as np
    from scipy import sparse

    from condense.group_tfidf import column_means

    rng = np.random.default_rng(7)
    for trial in range(60):
        rows, cols = int(rng.integers(1, 40)), int(rng.integers(1, 300))
        lengths = rng.integers(0, min(cols, 25) + 1, size=rows)
        indices = np.concatenate([rng.permutation(cols)[:k] for k in lengths] + [np.zeros(0, dtype=np.int64)])
        if trial % 3 == 0 and lengths[0] >= 2:  # a column twice in a row (a matrix not in canonical form)
            indices[1] = indices[0]
        data = rng.random(len(indices)) ** 3 / rng.integers(1, 1000)
        X = sparse.csr_matrix((data, indices, np.concatenate([[0], np.cumsum(lengths)])), shape=(rows, cols))
        a = int(rng.integers(0, rows))
        b = int(rng.integers(a + 1, rows + 1))
        assert column_means(X).tobytes() == np.asarray(X.mean(axis=0)).ravel().tobytes()
        assert column_means(X, a, b).tobytes() == np.asarray(X[a:b].mean(axis=0)).ravel().tobytes()


def test_scale_benchmark_reads_the_shared_folder_where_condense_shared_says(tmp_path):
    """From a git worktree (no ../shared beside it) scale.py built its corpora from the sample alone while the
    tests honour CONDENSE_SHARED: two checkouts compared measured two corpora (1,001,005 against 1,005,735 words)."""
    import subprocess

    from conftest import ROOT

    script = ("import sys; sys.path.insert(0, sys.argv[1]); import scale; print(scale.ECAPE)")
    shown = subprocess.run([sys.executable, "-c", script, str(ROOT / "benchmarks")], capture_output=True, text=True,
                           env={**os.environ, "CONDENSE_SHARED": str(tmp_path)}, check=True).stdout.strip()
    assert shown == str(tmp_path / "data" / "ecape_da")
