"""A new researcher's first afternoon: what someone coming from NVivo or MAXQDA types from the README and the
help, and what they are told back."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT


def test_python_dash_m_condense_runs_the_command_line(tmp_path):
    """`python -m condense` is what a notebook (`!python -m condense …`) or a shell without the venv's scripts
    folder on its path types; it used to end in "'condense' is a package and cannot be directly executed"."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "condense", "--version"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("condense ")
