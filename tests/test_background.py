"""export/background.py: a piece of the write stage computed in a forked process (the workbook's bytes)."""
from __future__ import annotations

import multiprocessing as mp
import os
import time

import pytest

pytestmark = pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs fork")


@pytest.fixture
def two_cores(monkeypatch):
    import condense.parallel

    monkeypatch.setattr(condense.parallel, "available_jobs", lambda jobs: 2)  # forks even on one core


def test_the_value_comes_from_the_forked_process(two_cores):
    from condense.export.background import background

    parent = os.getpid()
    job = background(lambda: (os.getpid(), b"x" * 1_000_000))  # larger than a pipe's buffer
    pid, data = job.result()
    assert pid != parent and data == b"x" * 1_000_000


def test_a_job_that_fails_in_the_child_runs_again_here(two_cores):
    from condense.export.background import background

    parent = os.getpid()

    def job():
        if os.getpid() != parent:
            raise MemoryError("only in the child")
        return "computed here"

    assert background(job).result() == "computed here"
    with pytest.raises(ValueError, match="the same error"):  # an error of the job itself is met here too
        background(lambda: (_ for _ in ()).throw(ValueError("the same error"))).result()


def test_cancel_stops_the_process_at_once(two_cores):
    from condense.export.background import background

    job = background(lambda: time.sleep(60))
    process = job.process
    started = time.monotonic()
    job.cancel()
    assert time.monotonic() - started < 10 and not process.is_alive()
