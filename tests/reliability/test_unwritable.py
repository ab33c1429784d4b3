"""A folder the command may not write in is a coded error naming it, with a fix that fits the command; never a
traceback. The tests run as root, whom permissions do not stop, so the folder is made immutable (`chattr +i`,
ext4 and most Linux file systems); where that is not possible they are skipped."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from .helpers import ROOT, invoke

SAMPLE = ROOT / "transcripts_sample"


@pytest.fixture
def locked(tmp_path):
    """An empty folder no one may write in, made writable again afterwards (else it could not be removed)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_names_into_a_folder_that_may_not_be_written_in_is_a_coded_error(locked):
    """`condense names --out locked/names.csv` wrote its own temporary file, and ended in a PermissionError
    traceback."""
    result = invoke(["names", str(SAMPLE), "--out", str(locked / "names.csv")])
    assert "Traceback" not in result.output and not isinstance(result.exception, PermissionError), result.output
    assert result.exit_code == 1 and "[E402]" in result.output and "names.csv" in result.output, result.output
    assert list(locked.iterdir()) == []


def test_init_in_a_folder_that_may_not_be_written_in_names_the_study_folder_not_an_out_option(locked):
    """`condense init` there said 'Output folder … Fix: Choose another --out folder.': init has no --out."""
    result = invoke(["init", str(locked / "study")])
    assert result.exit_code == 1 and "[E402]" in result.output, result.output
    assert "Study folder" in result.output and "--out" not in result.output, result.output
    assert "condense init NEW_FOLDER" in result.output, result.output
