"""Re-runs are byte-identical across processes: nothing the outputs hold may follow string hashing.

One process cannot see this (its hash seed is fixed for its lifetime), so two `condense run` processes
with different PYTHONHASHSEED write the sample's results and every file is compared byte for byte.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_two_processes_with_different_hash_seeds_write_identical_bytes(tmp_path):
    procs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        procs.append(subprocess.Popen([sys.executable, "-m", "condense.cli", "run", "--out", str(tmp_path / f"r{seed}")],
                                      cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
    def files(root):
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    first = files(tmp_path / "r1")
    assert first == files(tmp_path / "r2")
    assert {"codings.csv", "segments.csv", "results.xlsx", "units.csv", "manifest.json"} <= set(first)
    differ = [name for name in first if (tmp_path / "r1" / name).read_bytes() != (tmp_path / "r2" / name).read_bytes()]
    assert differ == []
