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


def test_usage_errors_keep_their_exit_status():
    done = _condense("no-such-command")
    assert done.returncode == 2 and "No such command" in done.stderr
