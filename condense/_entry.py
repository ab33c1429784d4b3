"""The ``condense`` command's first code: how it answers Ctrl-C, SIGTERM and SIGHUP, set up before anything heavy
is imported.

The console script and ``python -m condense`` start here. Importing the command line (typer, rich, then the
command's own modules) takes 0.2-1 s, and the console script used to import it before any answer to a signal
was in place: Ctrl-C in that time printed a Python traceback, and SIGTERM (``kill``, ``timeout``, a job
scheduler) or SIGHUP (the terminal closed) ended the command at any moment without a word, leaving a
half-written single file's temporary twin behind. This module imports only what Python has loaded before any
program starts (``os``, ``sys``, the signal module's C core ``_signal``: ``signal`` itself imports ``enum``,
5-10 ms); it installs the answers, then imports the command line inside a guard. What is left before them is
Python's own start (40 ms here: ``site`` and the venv's ``.pth`` files), where no program can answer.

Ctrl-C is Python's ``KeyboardInterrupt``; SIGTERM and SIGHUP become :class:`Stopped`, a ``SystemExit`` with the
shell's status for the signal (128 + its number: 143, 129). Both unwind the command, so every ``with`` block
and ``finally`` clause on the way cleans up (an output folder's temporary twin is removed, its lock released);
then one line is printed. A signal the command was started with ignored (``nohup``, a background job's
Ctrl-C) stays ignored, and a process forked by the command (figures, parallel workers) ends as it did before:
the answers belong to the process that installed them.
"""
import os
import sys

try:
    import _signal as signal  # the C module signal.py wraps (same functions and constants), loaded at start-up
except ImportError:  # an interpreter without it
    import signal

__all__ = ["INTERRUPTED", "INTERRUPTED_LINE", "Stopped", "catch_stops", "command_line_process", "main"]

INTERRUPTED = 130  # 128 + SIGINT, as shells report a program stopped by Ctrl-C
_SAFE = "Nothing was left half-written: an output folder or file is put in place only once it is complete."
INTERRUPTED_LINE = f"Interrupted (Ctrl-C). {_SAFE}"
_WHY = {getattr(signal, name): why for name, why in (("SIGTERM", "terminated, SIGTERM"),
                                                    ("SIGHUP", "the terminal was closed, SIGHUP")) if hasattr(signal, name)}


class Stopped(SystemExit):
    """SIGTERM or SIGHUP raised where the command was: exit status 128 + the signal's number."""

    def __init__(self, signum: int):
        super().__init__(128 + signum)
        self.signum = signum

    @property
    def line(self) -> str:
        """What the command says as it stops."""
        return f"Stopped ({_WHY.get(self.signum, f'signal {self.signum}')}). {_SAFE}"


_owner: int | None = None  # the process whose signals these answers are
_main: int | None = None  # ... and its thread that installed them (where Python answers a signal)


def _stop(signum, frame):
    """SIGTERM, SIGHUP: :class:`Stopped` here; in a forked child, the signal's default (the child ends, as it
    did before this answer existed; the parent, which sent it or got the same signal, reports)."""
    if os.getpid() != _owner:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise Stopped(signum)


def catch_stops() -> None:
    """Install the answers to SIGTERM and SIGHUP (once per process; a signal found ignored is left ignored).
    Ctrl-C needs none: Python raises KeyboardInterrupt itself, and :func:`main` catches it. Called by
    :func:`main` first, and by :func:`condense.cli.main` for a caller that starts there."""
    global _owner, _main
    if _owner == os.getpid():
        return
    import _thread

    _owner, _main = os.getpid(), _thread.get_ident()
    if sys.unraisablehook is not _unraisable:
        _unraisable.previous = sys.unraisablehook  # a host's own (pytest's, a notebook's) still gets the rest
        sys.unraisablehook = _unraisable
    for signum in _WHY:
        try:
            if signal.getsignal(signum) == signal.SIG_DFL:
                signal.signal(signum, _stop)
        except (ValueError, OSError):  # not the main thread, or a platform without it
            pass


def command_line_process() -> bool:
    """Whether this process is condense's own command line (:func:`catch_stops` ran here, not in a parent it
    was forked from): a process that ends with the command, which no library caller goes on using."""
    return _owner == os.getpid()


def _unraisable(info) -> None:
    """Ctrl-C, SIGTERM or SIGHUP that landed where Python cannot raise it — a finaliser, a weak reference's
    callback such as the import system's module-lock clean-up — is printed by Python as "Exception ignored in …"
    and dropped, and the command went on to the end (exit 0, results written: seen in CI, a Ctrl-C 0.2 s into a
    run). Here it is sent again, to be raised where the command is once the callback has returned. Anything else
    goes to Python's own hook."""
    exc = info.exc_type
    if exc is not None and issubclass(exc, (KeyboardInterrupt, Stopped)) and os.getpid() == _owner:
        import _thread

        # from another thread, once this hook has returned: raised again here (os.kill or interrupt_main from this
        # thread answer at once, inside the hook), it would be dropped again
        _thread.start_new_thread(_again, (info.exc_value.signum if isinstance(info.exc_value, Stopped) else
                                          signal.SIGINT,))
        return
    getattr(_unraisable, "previous", sys.__unraisablehook__)(info)


def _again(signum: int) -> None:
    """Send ``signum`` to the main thread a moment from now (:func:`_unraisable`): as a signal, so that a system
    call it waits in (a pipe, a child process) is interrupted as the first signal would have interrupted it."""
    import _thread
    import time

    time.sleep(0.01)
    if hasattr(signal, "pthread_kill") and _main is not None:
        signal.pthread_kill(_main, signum)
    else:
        _thread.interrupt_main(signum)


def main() -> None:
    """The console script's entry point (``condense = condense._entry:main``)."""
    catch_stops()
    try:
        from .cli import main as command_line

        command_line()
    except KeyboardInterrupt:
        leave(INTERRUPTED_LINE, INTERRUPTED)
    except Stopped as stopped:
        leave(stopped.line, stopped.code)


def leave(line: str, status: int) -> None:
    """Say ``line`` on stderr and exit with ``status``: further signals are ignored while the exit handlers run
    (a second Ctrl-C there printed a traceback), the output is flushed, the interpreter is not torn down."""
    import atexit

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        try:
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        except (AttributeError, ValueError, OSError):
            pass
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):  # stderr closed, or its terminal gone (SIGHUP)
        pass
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(status)
