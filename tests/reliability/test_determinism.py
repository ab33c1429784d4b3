"""Re-runs are byte-identical across processes: nothing the outputs hold may follow string hashing.

One process cannot see this (its hash seed is fixed for its lifetime), so the sample's results written in
this process (the session's run) and by a `condense run` process with another PYTHONHASHSEED are compared
byte for byte, every file.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_two_processes_with_different_hash_seeds_write_identical_bytes(sample_run, tmp_path):
    """One process is this one (conftest's session run of the sample, under this process's hash seed); the
    other is `condense run` started with a seed this process does not have. (Two fresh processes cost a
    second whole run of the sample and tested no more.)"""
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"  # never this process's own seed
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run([sys.executable, "-m", "condense.cli", "run", "--out", str(tmp_path / "r")], cwd=tmp_path,
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    assert done.returncode == 0, done.stderr.decode()

    def files(root):
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    here = sample_run[1]
    first = files(here)
    assert first == files(tmp_path / "r")
    assert {"codings.csv", "segments.csv", "results.xlsx", "units.csv", "manifest.json"} <= set(first)
    differ = [name for name in first if (here / name).read_bytes() != (tmp_path / "r" / name).read_bytes()]
    assert differ == []
