"""Every process of a run salts the withdrawn passages' fingerprints alike (withdrawn._SALT is drawn as the module
is imported): a fingerprint made in a forked reader (--jobs 2) must be the hash the consent audit makes in the
run's process, or the audit matches none of them."""
from __future__ import annotations

import multiprocessing as mp
import os

import pytest

from condense import parallel
from condense.pipeline import run
from condense.project import load_project

from test_pipeline import FILLER, interview, make_project

pytestmark = [pytest.mark.cores, pytest.mark.skipif(parallel.available_jobs(0) < 2 or "fork" not in mp.get_all_start_methods(),
                                reason="one core, or no fork: every step runs in this process")]

SECRET = "Familien Jensen flyttede til Skrøllebakken efter striden om haven og vil ikke nævnes i nogen rapport."
TEXTS = {f"int{i}_x.txt": interview(i, gaaklub=i != 3, extra=[FILLER[i % 3]], anonymous=i == 2,
                                    withdrawn=SECRET if i == 4 else "") for i in range(1, 6)}


SALT_CHECK = """\
import json, sys
from condense import verbs
from condense.project import load_project

project = load_project(sys.argv[1])
project.jobs = int(sys.argv[2])
result = verbs.run(project, out=sys.argv[3])
from condense.ingest.withdrawn import fingerprint_hash

prints = [t.withdrawn_fingerprints for t in result.corpus.transcripts if t.withdrawn_fingerprints is not None]
print(json.dumps([result.audit["withdrawn_words"], [fingerprint_hash("w:skrøllebakken") in p.words for p in prints]]))
"""


@pytest.mark.parametrize("jobs", [2])
def test_a_withdrawn_passage_read_in_another_process_is_fingerprinted_as_the_audit_here_hashes(tmp_path, jobs):
    """The fingerprints of a withdrawn passage are salted per process: made in a forked reader (--jobs 2) they must be the hashes the consent audit makes here of the same words. A fresh
    interpreter, as `condense run` starts: no module imported before the command imports it."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    project = make_project(tmp_path, TEXTS)
    script = tmp_path / "check.py"
    script.write_text(SALT_CHECK, encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(script), str(project), str(jobs), str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    words, found = json.loads(done.stdout.strip().splitlines()[-1])
    alone = run(load_project(project))  # in this process, where nothing was forked to read it
    from condense.audit import allowed_texts, fingerprints

    expected = fingerprints(alone.segmentation.privacy, allowed_texts(alone.corpus, alone.project, alone.units))
    assert found == [True] and words == len(expected.words) > 0
