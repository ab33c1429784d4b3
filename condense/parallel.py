"""The per-transcript map of a run on several cores: segment and code each share of transcripts in a worker.

Every transcript is segmented and coded on its own (units never cross a transcript; guide context is per
transcript), so the map splits the transcripts into contiguous shares, one per job, and joins the results in
transcript order: the output is byte-identical to ``jobs=1`` (a test checks it). Workers are forked, so they
inherit the loaded language pipeline and the compiled coder instead of loading them again; where ``fork`` is
not available (Windows, macOS's default) the map runs in this process.

This is the part of the pipeline a distributed engine would take over beyond one machine
(``docs/architecture.md``): a bag of transcripts mapped to units and codings, then reduced to tables.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from contextlib import contextmanager
from dataclasses import fields
from functools import partial
from operator import attrgetter
from typing import Callable, Sequence, TypeVar

from .model import gc_paused

__all__ = ["available_jobs", "shares", "map_shares", "beside", "ended_on_error", "close_parent_ends", "columns", "rows",
           "preload"]

T = TypeVar("T")
R = TypeVar("R")

_WATCHING: list[list] = []  # the jobs forked inside each open ended_on_error(), innermost last

def available_jobs(jobs: int | None) -> int:
    """``jobs`` bounded by the cores this process may use (0 or None: all of them)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if not jobs or jobs < 1:
        return cores
    return max(1, min(int(jobs), cores))


def shares(items: Sequence[T], n: int, weight: Callable[[T], int] = lambda _: 1) -> list[list[int]]:
    """Indices of ``items`` in ``n`` contiguous shares of about equal weight (order kept, none empty)."""
    total = sum(weight(x) for x in items) or 1
    out: list[list[int]] = [[]]
    acc = 0
    for i, x in enumerate(items):
        if out[-1] and acc >= total * len(out) / n and len(out) < n:
            out.append([])
        out[-1].append(i)
        acc += weight(x)
    return [s for s in out if s]


def map_shares(fn: Callable[[list[T]], R], items: Sequence[T], jobs: int,
               weight: Callable[[T], int] = lambda _: 1, meanwhile: Callable[[], None] | None = None) -> list[R]:
    """``fn`` applied to contiguous shares of ``items``, in order; in ``jobs`` forked workers when jobs > 1.

    Each share has a process of its own (not a pool: on a busy machine a pool's first worker could take
    both shares before the second had started, and the work would not be split at all). A worker that
    fails hands its share back, which then runs here (the same result, or the same coded error).
    ``meanwhile()``: work of this process's own, done while the workers run (before ``fn`` without them)."""
    jobs = min(available_jobs(jobs), len(items)) if items else 1
    if jobs <= 1 or "fork" not in mp.get_all_start_methods():
        if meanwhile is not None:
            meanwhile()
        return [fn(list(items))]
    parts = shares(items, jobs, weight)
    workers = [_Forked(partial(_work, fn, items, share)) for share in parts]
    try:
        if meanwhile is not None:
            meanwhile()
    finally:  # should it fail, the workers are still waited for (none is left behind), then its error raised
        results = [w.result() for w in workers]
    return results


def _work(fn: Callable, items: Sequence, share: list[int]):
    return fn([items[i] for i in share])


def columns(objects: Sequence, cls: type) -> tuple[list, ...]:
    """Dataclass objects as one list per field, in field order: how a worker sends results back. Lists of
    strings, numbers and tuples pickle at C level; the objects themselves (slots dataclasses) pickle through
    Python-level state, about twice the time on both sides (31,615 units: 0.35 s to unpickle, 0.16 s as
    columns and :func:`rows`), and the parent's unpickling is not shared by the workers."""
    return tuple(list(map(attrgetter(f.name), objects)) for f in fields(cls))


def rows(cls: type, cols: tuple[list, ...]) -> list:
    """The objects :func:`columns` took apart (every field is an ``__init__`` argument, in order)."""
    return list(map(cls, *cols))


class _Inline:
    """A job run here, at :meth:`result` (no second core, or no ``fork``)."""

    def __init__(self, fn: Callable[[], R]):
        self.fn = fn

    def result(self) -> R:
        return self.fn()

    def stop(self) -> None:
        """Nothing runs until :meth:`result`."""


class _Forked:
    """A job running in a forked process; :meth:`result` waits for it. Should the process fail in any way
    (an error, a crash, a result that cannot be sent), the job runs again here: it is deterministic, so the
    result (or the error, reported as usual) is the same."""

    def __init__(self, fn: Callable[[], R]):
        self.fn = fn
        context = mp.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_run_and_send, args=(fn, send, self.receive), daemon=True)
        self.process.start()
        send.close()
        for started in _WATCHING:
            started.append(self)

    def result(self) -> R:
        try:
            # The results arrive as many small objects (units, lemma tuples): with the cyclic collector
            # running, unpickling them rescans the heap again and again (0.8 s instead of 0.2 s for 31,000 units).
            with gc_paused():
                ok, value = self.receive.recv()
        except (EOFError, OSError):
            ok, value = False, None
        finally:
            self.receive.close()
            self.process.join()
        return value if ok else self.fn()

    def stop(self) -> None:
        """End the process now, its result unread: a value too large for the pipe kept it waiting for a reader
        for as long as this process lived. :meth:`result` still answers, by running the job here."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receive.close()


def _run_and_send(fn: Callable, send, parent_end=None) -> None:
    import sys

    close_parent_ends(parent_end)
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - nothing of it reaches the user
    try:
        value = (True, fn())
    except BaseException:  # noqa: BLE001 - the parent runs the job itself and meets the error there
        value = (False, None)
    try:
        send.send(value)
    except Exception:  # noqa: BLE001 - an unpicklable result: the parent runs the job itself
        send.send((False, None))
    send.close()


def close_parent_ends(*ends) -> None:
    """In a forked child, close its copies of the pipe ends its parent reads from (or writes to). A child that
    kept them never saw its parent die: a write that filled the pipe waited for a reader that was itself, a
    read waited for a writer that was itself, and the child lived on after the run was stopped (SIGTERM, or
    Ctrl-C sent to the run alone), holding the terminal's output open, so `condense run | tee log` never ended."""
    for end in ends:
        if end is not None:
            end.close()


def beside(fn: Callable[[], R]):
    """Start ``fn`` (no arguments, deterministic) in a forked process while the caller goes on; ``.result()``
    waits for its value. In this process, at ``.result()``, without a second core or ``fork``."""
    if available_jobs(0) < 2 or "fork" not in mp.get_all_start_methods():
        return _Inline(fn)
    return _Forked(fn)


@contextmanager
def ended_on_error():
    """Inside it, every job forked here (:func:`beside`, :func:`map_shares`) is ended should an error leave the
    block: a job whose result nobody will read now waited, when its result was larger than a pipe holds, to
    send it for as long as this process lived (``condense.run(project)`` failing in a notebook left the
    consent audit's scanner, the quotes' groundwork and the discovery running, one set more per failed call).
    Jobs whose result was read are ended already; without an error nothing changes."""
    started: list = []
    _WATCHING.append(started)
    try:
        yield
    except BaseException:
        for job in started:
            job.stop()
        raise
    finally:
        _WATCHING.remove(started)


def preload(*modules: str) -> None:
    """Import ``modules`` here, before forking jobs that all import them: a forked process inherits what its
    parent has imported, and each import after the fork is paid again in every process (scipy's sparse
    matrices and wordfreq: about 0.25 CPU s in the discovery process of every run). A module that cannot be
    imported is left to the code that uses it, which reports it as it always did."""
    import importlib

    with _located_by_caller():
        for name in modules:
            try:
                importlib.import_module(name)
            except ImportError:
                pass


class _located_by_caller:
    """While imports run: ``locate.this_dir()`` (wordfreq finds its data folder with it as it is imported)
    answered from its caller's frame. locate answers from ``inspect.stack()``, which reads the source file of
    every frame of the stack and resolves the path of every loaded module to name each frame's module: deep
    in a run, with some 1,500 modules loaded, about 0.04 of wordfreq's 0.15 CPU s. The answer is the same:
    the folder of the calling module's ``__file__``, else the working folder."""

    def __enter__(self):
        try:
            import locate
        except ImportError:  # wordfreq without locate: nothing to answer
            self.module = None
            return self
        self.module, self.slow = locate, locate.this_dir
        locate.this_dir = _caller_dir
        return self

    def __exit__(self, *exc) -> None:
        if self.module is not None:
            self.module.this_dir = self.slow


def _caller_dir():
    """``locate.this_dir()``: the directory of the calling module's file (else the working folder)."""
    import sys
    from pathlib import Path

    caller = sys._getframe(1).f_globals
    if "__file__" in caller:
        return Path(os.path.abspath(caller["__file__"])).parent
    return Path(os.path.abspath(os.getcwd()))
