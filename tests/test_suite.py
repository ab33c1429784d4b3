"""The suite's own arrangement (tests/conftest.py)."""
from __future__ import annotations

from conftest import HEAVIEST_FIRST, ROOT


def test_the_files_handed_out_heaviest_first_are_the_suites_files():
    """A file renamed or split would fall silently to the end of xdist's queue, where one long file keeps one
    worker busy while the other waits; each name in the order is a test file of the suite, once."""
    assert len(set(HEAVIEST_FIRST)) == len(HEAVIEST_FIRST)
    assert [path for path in HEAVIEST_FIRST if not (ROOT / path).is_file()] == []
