"""One piece of the write stage computed in a forked process while this one writes the rest.

The job returns bytes (or any picklable value) and writes nothing itself: whatever reaches the output folder
is written here, by the caller, so a run that gives up on its folder (:meth:`Background.cancel`) leaves no
file behind. Should the process fail in any way (an error, a crash, a value that cannot be sent), the job
runs again here at :meth:`Background.result`: it is deterministic, so the value, or the coded error, is the
same. Without a second core or ``fork`` the job runs here, at :meth:`Background.result`.
"""
from __future__ import annotations

from typing import Callable

__all__ = ["Background", "background"]


class Background:
    """``fn()`` computed in a forked process; :meth:`result` waits for its value, :meth:`cancel` stops it."""

    def __init__(self, fn: Callable, process=None, receive=None):
        self.fn, self.process, self.receive = fn, process, receive

    def result(self):
        if self.process is None:
            return self.fn()
        ok, value = False, None
        try:
            ok, value = self.receive.recv()
        except (EOFError, OSError):
            pass
        finally:
            self._stop()
        return value if ok else self.fn()

    def cancel(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self._stop()

    def _stop(self) -> None:
        self.receive.close()
        self.process.join()
        self.process = None


def _compute(fn: Callable, send, parent_end=None) -> None:
    """The forked side: ``(True, value)`` sent back, or ``(False, None)`` for the parent to compute it itself."""
    import os
    import sys

    from ..parallel import close_parent_ends

    close_parent_ends(parent_end)

    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - nothing reaches the user
    answer = (False, None)
    try:
        answer = (True, fn())
        send.send(answer)
    except BaseException:  # noqa: BLE001 - an error, or a value that cannot be sent: the parent meets it itself
        if answer[0]:
            send.send((False, None))
    finally:
        send.close()


def background(fn: Callable) -> Background:
    """Start ``fn`` (no arguments, deterministic, writing no file) beside this process, where there is a
    second core and ``fork``; else it runs at ``result()``."""
    import multiprocessing as mp

    from ..parallel import available_jobs

    if available_jobs(0) < 2 or "fork" not in mp.get_all_start_methods():
        return Background(fn)
    context = mp.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_compute, args=(fn, send, receive), daemon=True)
    process.start()
    send.close()
    return Background(fn, process, receive)
