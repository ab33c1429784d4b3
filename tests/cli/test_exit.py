"""The console script leaves without tearing the interpreter down (cli._exit): the exit status, the whole
output and the exit handlers must survive that."""
from __future__ import annotations

import subprocess
import sys

from conftest import CODEBOOK_DA, SAMPLE

from condense.cli import INTERRUPTED_LINE


def _condense(*args, cwd=None):
    code = ("import atexit, sys; atexit.register(lambda: print('exit handlers ran', file=sys.stderr)); "
            "from condense.cli import main; sys.argv = ['condense', *sys.argv[1:]]; main()")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_a_command_that_succeeds_exits_0_with_all_its_output(tmp_path):
    done = _condense("codebook", "show", str(CODEBOOK_DA))
    assert done.returncode == 0, done.stderr
    shown = done.stdout
    assert shown.count("\n") > 20 and "Traceback" not in done.stderr  # every theme printed, then flushed
    assert "exit handlers ran" in done.stderr


def test_a_coded_error_exits_1_with_its_message_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    done = _condense("codebook", "check", str(bad))
    assert done.returncode == 1
    assert "Error" in done.stderr and "Traceback" not in done.stderr
    assert "exit handlers ran" in done.stderr


def test_usage_errors_are_coded_and_exit_1_naming_the_command_and_where_to_read():
    """A wrong command, option or value is refused like every other bad input: a code, what was wrong, the
    fix (the command's --help) and its usage line; exit 1, no traceback."""
    for args, command, what in [(("no-such-command",), "condense", "No such command 'no-such-command'"),
                                (("run", "--bogus"), "condense run", "No such option: --bogus"),
                                (("run", "--jobs", "x"), "condense run", "Invalid value for '--jobs'"),
                                (("review", "apply"), "condense review", "No such command 'apply'"),
                                # a cap on candidates below 1 took the largest but the last three (-3), or none (0)
                                (("discover", "--n-groups", "-3"), "condense discover", "Invalid value for '--n-groups'"),
                                (("discover", "--n-groups", "0"), "condense discover", "Invalid value for '--n-groups'")]:
        done = _condense(*args)
        assert done.returncode == 1, (args, done.stderr)
        assert f"[E408] {command}: {what}" in done.stderr and f"`{command} --help`" in done.stderr, done.stderr
        assert f"Usage: {command} " in done.stderr and "Traceback" not in done.stderr
        assert "exit handlers ran" in done.stderr


def test_help_and_version_exit_0():
    for args in (("--help",), (), ("codebook",)):
        done = _condense(*args)
        assert done.returncode == 0 and "Usage: condense" in done.stdout, (args, done.stderr)
    done = _condense("--version")
    from condense import __version__

    assert done.returncode == 0 and done.stdout.strip() == f"condense {__version__}"


def test_an_output_that_cannot_hold_a_character_gets_a_question_mark_not_a_traceback(tmp_path):
    """A console or file in Windows-1252 (Windows, `condense run > log.txt`) or Latin-1 cannot hold '→': the
    command did its work and then died in a UnicodeEncodeError traceback, exit status 1, while printing."""
    import os

    book = tmp_path / "cb.yaml"
    book.write_text('language: da\ndimensions:\n  - id: tema\n    label: "Tema → fase"\n    themes:\n'
                    '      - id: a\n        label: "Ønsker → handling"\n        terms: [mænd]\n', encoding="utf-8")
    plain_c = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}  # ASCII with surrogateescape
    for encoding, env in (("cp1252", {"PYTHONIOENCODING": "cp1252"}), ("latin-1", {"PYTHONIOENCODING": "latin-1"}),
                          ("ascii", plain_c)):
        code = "from condense.cli import main; import sys; sys.argv = ['condense', *sys.argv[1:]]; main()"
        clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL", "LC_CTYPE")}
        done = subprocess.run([sys.executable, "-c", code, "codebook", "show", str(book)], capture_output=True,
                              timeout=120, env={**clean, **env})
        err = done.stderr.decode(encoding, "replace")
        assert done.returncode == 0 and "Traceback" not in err, err
        assert ("Ønsker ? handling" if encoding != "ascii" else "?nsker ? handling") in done.stdout.decode(encoding), done.stdout


def _patched(verb: str, body: str) -> str:
    """A console script whose library ``verb`` is replaced by ``body`` (the command line around it as shipped)."""
    return ("import sys, time, condense.verbs as v\n"
            f"def stand_in(*a, **k):\n    {body}\n"
            f"v.{verb} = stand_in\n"
            "from condense.cli import main; sys.argv = ['condense', *sys.argv[1:]]; main()\n")


def test_ctrl_c_is_answered_with_one_line_and_exit_130(tmp_path):
    """Typer turns Ctrl-C into exit status 130 and says nothing: a run stopped by Ctrl-C left the researcher
    with a silent prompt, not knowing whether the results were touched."""
    import signal

    done = subprocess.run([sys.executable, "-c", _patched("run", "raise KeyboardInterrupt"), "run", str(SAMPLE),
                           "--out", str(tmp_path / "r")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 130
    assert done.stderr.strip().splitlines() == [INTERRUPTED_LINE], done.stderr
    # the signal itself, sent while the command works (started with Ctrl-C not ignored, as from a terminal)
    run = subprocess.Popen([sys.executable, "-c", _patched("run", "print('working', flush=True); time.sleep(60)"),
                            "run", str(SAMPLE), "--out", str(tmp_path / "r")], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert run.stdout.readline().strip() == "working"
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130 and err.strip().splitlines() == [INTERRUPTED_LINE], err
    assert not (tmp_path / "r").exists()


def test_output_piped_into_a_reader_that_stops_does_not_stop_the_command():
    """`condense ingest … | head -1`: the reader is gone after a line, and rich's handler of the broken pipe
    ended the command with status 1 at its next print, so the warnings (here W109, a withdrawn passage) were
    never shown on the terminal."""
    code = "from condense.cli import main; import sys; sys.argv = ['condense', *sys.argv[1:]]; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, "ingest", str(SAMPLE)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # the reader has gone before the first line
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert proc.returncode == 0, err
    assert "W109" in err and "Traceback" not in err and "Exception ignored" not in err, err


def test_closed_standard_streams_are_no_traceback(tmp_path):
    """`condense … >&-` (and `2>&-`): Python starts with sys.stdout None, and the console was built on it at
    import: a traceback before the command began; with both closed, `run` wrote no results at all."""
    import os

    from tests.reliability.helpers import make_study

    code = "from condense.cli import main; import sys; sys.argv = ['condense', *sys.argv[1:]]; main()"
    done = subprocess.run([sys.executable, "-c", code, "codebook", "show", str(CODEBOOK_DA)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120, preexec_fn=lambda: os.close(1))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    project = make_study(tmp_path)
    done = subprocess.run([sys.executable, "-c", code, "run", str(project), "--out", str(tmp_path / "r")],
                          timeout=300, cwd=tmp_path, preexec_fn=lambda: (os.close(1), os.close(2)))
    assert done.returncode == 0
    assert (tmp_path / "r" / "themes.csv").is_file()


def test_a_working_folder_deleted_under_the_shell_is_a_coded_error(tmp_path):
    """The shell's folder deleted (or moved) while it was in it: every command asked the system for it and ended
    in a FileNotFoundError traceback."""
    import os

    gone = tmp_path / "gone"
    gone.mkdir()
    code = "from condense.cli import main; import sys; sys.argv = ['condense', *sys.argv[1:]]; main()"
    for args in (("ingest", "interview.txt"), ("run", str(SAMPLE), "--out", str(tmp_path / "r"))):
        gone.mkdir(exist_ok=True)
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                              cwd=gone, env={**os.environ, "PWD": str(gone)}, preexec_fn=lambda: os.rmdir(gone))
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert f"[E724] The working folder {gone} no longer exists" in done.stderr and "Fix: " in done.stderr
    assert not (tmp_path / "r").exists()


def test_a_folder_named_with_a_leading_dash_is_named_in_the_usage_error(tmp_path):
    """`condense run -interviews` (a folder of that name): the parser reads it as options, and the error named
    an option '-i' the user never typed; it now says how to give the folder."""
    (tmp_path / "-interviews").mkdir()
    done = _condense("run", "-interviews", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "'-interviews' is a file or folder here: write it as ./-interviews (or put -- before it)" in done.stderr
    done = _condense("run", "-interviews", cwd=tmp_path / "-interviews")  # no such folder here: no hint
    assert done.returncode == 1 and "is a file or folder here" not in done.stderr and "[E408]" in done.stderr
