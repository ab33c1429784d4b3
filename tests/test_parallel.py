"""parallel.map_shares: each share in a process of its own, results in order, a failing worker's share
run again here (so its error reaches the user as one process would report it)."""
from __future__ import annotations

import multiprocessing as mp
import os

import pytest

from condense import parallel
from condense.errors import CondenseError
from condense.model import MeaningUnit
from conftest import small_sample

pytestmark = [pytest.mark.cores, pytest.mark.skipif(parallel.available_jobs(2) < 2 or "fork" not in mp.get_all_start_methods(),
                                reason="one core, or no fork: the map runs in this process")]


def test_every_share_runs_in_a_process_of_its_own_and_results_keep_their_order():
    items = list(range(10))
    parts = parallel.map_shares(lambda share: (os.getpid(), [x * x for x in share]), items, 2)
    pids = [pid for pid, _ in parts]
    assert len(set(pids)) == 2 and os.getpid() not in pids
    assert [y for _, ys in parts for y in ys] == [x * x for x in items]


def test_a_share_that_fails_in_its_worker_fails_here_with_the_same_coded_error():
    def fn(share):
        if 7 in share:
            raise CondenseError("E114", language="xx", path="(settings)", where="")
        return share

    with pytest.raises(CondenseError) as caught:
        parallel.map_shares(fn, list(range(10)), 2)
    assert caught.value.code == "E114"


def test_meanwhile_runs_here_while_the_workers_run_and_its_error_waits_for_them():
    """map_shares(meanwhile=...): this process's own work is done while the workers run (a run builds its
    privacy and coder while the word pieces are tokenized); should it fail, no worker is left behind."""
    import time

    def slow(share):
        time.sleep(0.3)
        return share

    # the map's own workers: processes an earlier test of this process left running are not its business
    before = set(mp.active_children())
    seen = []
    parts = parallel.map_shares(slow, list(range(10)), 2,
                                meanwhile=lambda: seen.append((os.getpid(), len(set(mp.active_children()) - before))))
    assert seen == [(os.getpid(), 2)]  # here, with both workers still running
    assert [x for part in parts for x in part] == list(range(10))

    def fails():
        raise ValueError("meanwhile")

    with pytest.raises(ValueError, match="meanwhile"):
        parallel.map_shares(slow, list(range(10)), 2, meanwhile=fails)
    assert not set(mp.active_children()) - before


def test_units_sent_as_columns_come_back_equal():
    units = [MeaningUnit(f"t:{i:04d}:1", "f", "t", i, 1, "R", "respondent", "tekst", 0, 5, cases=["a"],
                         lemmas=("tekst",), surfaces=("tekst",)) for i in range(3)]
    assert parallel.rows(MeaningUnit, parallel.columns(units, MeaningUnit)) == units
    assert parallel.rows(MeaningUnit, parallel.columns([], MeaningUnit)) == []


_FORK_IMPORTS = """
import sys
from condense import emergent, pipeline, resolve_project

real = emergent.discover
def discover(*args, **kwargs):  # runs first thing in the forked process: what it would have to import itself
    with open(sys.argv[1], "w") as f:
        f.write(" ".join(m for m in ("scipy.sparse", "wordfreq") if m not in sys.modules) or "none")
    return real(*args, **kwargs)
emergent.discover = discover
pipeline.run(resolve_project(sys.argv[2]))
"""


def test_discovery_forks_with_its_libraries_already_imported(tmp_path):
    # scipy's sparse matrices and wordfreq are needed on both sides of the discovery fork; imported after it,
    # the forked process imported them again (about 0.25 CPU s). A fresh process: nothing imported by other tests.
    # Discovery forks whatever the study's size: three of the sample's interviews, not twelve.
    import subprocess
    import sys

    seen = tmp_path / "missing.txt"
    project = small_sample(tmp_path / "corpus")
    subprocess.run([sys.executable, "-c", _FORK_IMPORTS, str(seen), str(project)], capture_output=True, text=True,
                   check=True)
    assert seen.read_text(encoding="utf-8") == "none"


_WORD_LIST_ONCE = """
import sys
import wordfreq
from condense import pipeline

pipeline._background_frequencies(sys.argv[1])
built = []
real = wordfreq.get_frequency_list
wordfreq.get_frequency_list = lambda *args, **kwargs: built.append(args) or real(*args, **kwargs)
wordfreq.zipf_frequency("skole", sys.argv[1])
print(len(built))
"""


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_word_list_loaded_before_discovery_forks_is_the_one_words_are_looked_up_in(language):
    """_background_frequencies loads the language's word list once, before discovery forks, so that no process
    builds it again (English's: about 0.1 CPU s each): the first word looked up afterwards builds no list.
    Asked for by the language alone, wordfreq kept it apart from the list its lookups use. A fresh process:
    no list loaded by other tests."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _WORD_LIST_ONCE, language], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"


def test_preload_leaves_a_missing_module_to_its_user():
    parallel.preload("condense_no_such_module", "json")
    import sys

    assert "json" in sys.modules and "condense_no_such_module" not in sys.modules


_WORDFREQ = """
import sys
import locate
from condense import parallel
slow = locate.this_dir
def deep(n):
    return parallel.preload("wordfreq") if n == 0 else deep(n - 1)
deep(30)
import wordfreq
assert locate.this_dir is slow
print(wordfreq.DATA_PATH)
print(wordfreq.zipf_frequency("skole", "da"))
"""


def test_preloaded_wordfreq_finds_its_data_where_locate_would():
    """preload answers locate.this_dir() from its caller's frame (no inspect.stack()): wordfreq gets the same
    data folder as imported plainly, reads its word lists from it, and locate is left as it was."""
    import subprocess
    import sys

    plain = subprocess.run([sys.executable, "-c", "import wordfreq; print(wordfreq.DATA_PATH); "
                            "print(wordfreq.zipf_frequency('skole', 'da'))"], capture_output=True, text=True, check=True)
    preloaded = subprocess.run([sys.executable, "-c", _WORDFREQ], capture_output=True, text=True, check=True)
    assert preloaded.stdout == plain.stdout and "wordfreq" in plain.stdout


_DRAWN_OUT_LISTS = """
import sys
import wordfreq
from condense import pipeline
from condense.model import MeaningUnit

words = sys.argv[1].split()
text = " ".join(words)
unit = MeaningUnit("u1", "u1", "t1", 1, 1, "X", "respondent", text, 0, len(text), n_words=len(words),
                   lemmas=tuple(w.lower() for w in words), surfaces=tuple(words))
pipeline._background_frequencies("da", [unit])
built = []
real = wordfreq.get_frequency_list
wordfreq.get_frequency_list = lambda *args, **kwargs: built.append(args[0]) or real(*args, **kwargs)
from condense.emergent import background_zipf
background_zipf("neeej", "en")
print(" ".join(built) or "none")
"""


@pytest.mark.parametrize("words, built", [("Neeej det tror jeg ikke", "none"), ("Nej det tror jeg ikke", "en")])
def test_a_corpus_with_a_stop_word_said_drawn_out_has_both_word_lists_loaded_before_discovery_forks(words, built):
    """A Danish corpus holding a stop word said drawn out ("Neeej") is weighed by English's word list too
    (emergent._drawn_out): loaded before the fork, not again in the discovery process and the run's process
    (the 1M-word corpus: 0.18 CPU s each); a corpus without one does not load it (the sample)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _DRAWN_OUT_LISTS, words], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == built


def test_a_run_without_an_output_folder_leaves_no_process_behind_and_its_result_can_be_written_later(tmp_path):
    """condense.run(project) with no output folder (a notebook's way): the process that made the consent audit's
    scanner ahead waited to send it (the sample's is larger than a pipe holds) for as long as the session lived,
    one more with every run. Now none is left, and the result written later is the run's, audited. Three of the
    sample's interviews: their scanner (328 kB) is larger than a pipe holds too."""
    import condense

    project = condense.resolve_project(small_sample(tmp_path / "corpus"))
    before = set(mp.active_children())
    result = condense.run(project)
    assert not set(mp.active_children()) - before
    out = condense.write_results(result, tmp_path / "later")
    assert (out / "themes.csv").read_bytes() and (out / "report.md").read_bytes()
    again = condense.tables(project, codings=out / "codings.csv")  # tables, no folder either
    assert not set(mp.active_children()) - before
    assert again.tables["themes"].equals(result.tables["themes"])


def test_a_run_that_fails_after_its_jobs_started_leaves_no_process_behind(tmp_path, monkeypatch):
    """condense.run(project) raising a coded error in steps 3–4 (here a wrong `emergent:` setting, read once
    the consent audit's scanner, the quotes' groundwork and the plan × phase reading had been started beside)
    left those processes alive, the larger results waiting to be read, for the rest of a notebook's session;
    a run failing while its files are written left the scanner so. Each exit ends them now. Three of the
    sample's interviews: the scanner (328 kB) and the groundwork (163 kB) are larger than a pipe holds too."""
    import dataclasses

    import condense
    from condense import export

    project = condense.resolve_project(small_sample(tmp_path / "corpus"))
    before = set(mp.active_children())
    wrong = dataclasses.replace(project, emergent={"max_groups": "many"})
    with pytest.raises(CondenseError, match="E350"):
        condense.run(wrong)
    assert not set(mp.active_children()) - before

    def fails(*_args):
        raise CondenseError("E112", path="(writing)")

    monkeypatch.setattr(export, "start_tables", fails)
    with pytest.raises(CondenseError, match="E112"):
        condense.run(project, out=tmp_path / "results")
    from condense.export import figures

    kept = {process for process, *_ in figures._PREPARED}  # the figures' process, prepared for the next run (by design)
    assert not set(mp.active_children()) - before - kept


def test_a_failing_condense_call_ends_the_groundwork_it_started_beside(monkeypatch):
    """condense.condense(project) starts the quotes' groundwork in a forked process beside the sub-groups; a call
    that failed meanwhile (a coded error, Ctrl-C in a notebook) left that process waiting, its large result
    unread, for as long as the session lived, one more per failed call: run and tables end theirs
    (parallel.ended_on_error), condense did not. It ends them now, and its error still reaches the caller."""
    import condense
    from condense import grouping
    from condense.project import default_project

    forks = []

    class Counted(parallel._Forked):
        def __init__(self, fn):
            super().__init__(fn)
            forks.append(self)

    def broken(*args, **kwargs):
        raise RuntimeError("place failed")

    monkeypatch.setattr(parallel, "_Forked", Counted)
    monkeypatch.setattr(grouping, "place", broken)
    try:
        with pytest.raises(RuntimeError, match="place failed"):
            condense.condense(default_project())
        assert forks and not [f for f in forks if f.process.is_alive()]
    finally:
        for f in forks:
            f.stop()
