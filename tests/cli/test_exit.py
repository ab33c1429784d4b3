"""The console script leaves without tearing the interpreter down (cli._exit): the exit status, the whole
output and the exit handlers must survive that."""
from __future__ import annotations

import subprocess
import sys

from conftest import CODEBOOK_DA


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
                                (("review", "apply"), "condense review", "No such command 'apply'")]:
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
