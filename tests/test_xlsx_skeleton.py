"""results.xlsx's skeleton (fixed parts, sheet names, header rows) rendered without openpyxl once openpyxl's
constant parts are kept in the user cache: the same bytes as openpyxl's, and no openpyxl import in later runs."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from condense import xlsx_rows


def _parts(wrap: bool, header_extra: str = "", title_extra: str = "") -> list:
    long = "et langt svar, " * 6 if wrap else "kort"
    wide = pd.DataFrame({f"kolonne {i}": [i, i + 1] for i in range(30)})  # columns past Z: AA, AB, …
    return [
        (f"enheder{title_extra}", pd.DataFrame({"enhed (id)": ["a:1:1", "b:2:1"], "tekst": [long, "nej"],
                                               f"spørgsmål{header_extra}": ["Hvad?", None]})),
        ("matrix fase × deltagelse", pd.DataFrame({"Beboerinitiativ – fælles": [1, 2], "x < y & z > w": [0.5, 1.0]})),
        ("forældreløse beslutninger", wide),
    ]


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv("CONDENSE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.mark.parametrize("wrap", [True, False])
def test_the_skeleton_is_openpyxls_byte_for_byte_and_needs_it_only_once(cache, monkeypatch, wrap):
    parts = _parts(wrap, header_extra=" é€ 😀")
    expected = xlsx_rows._openpyxl_skeleton(parts)
    assert xlsx_rows._skeleton(parts) == expected  # openpyxl's, its constant parts kept
    assert list(cache.rglob("openpyxl-*.json"))

    def no_openpyxl(parts):
        raise AssertionError("openpyxl made the skeleton although its constant parts are kept")

    monkeypatch.setattr(xlsx_rows, "_openpyxl_skeleton", no_openpyxl)
    assert xlsx_rows._skeleton(parts) == expected


@pytest.mark.parametrize("title_extra, header_extra", [("", " "), ("", ""), (" & co", ""), ("", "\t")])
def test_what_openpyxl_writes_otherwise_is_left_to_it(cache, title_extra, header_extra):
    """A title openpyxl escapes or refuses, two sheets of one title, a header with spaces around it: openpyxl
    makes the skeleton (the same bytes as before), and keeps nothing it was not checked against."""
    xlsx_rows._skeleton(_parts(True))  # the constant parts kept
    parts = _parts(True, header_extra=header_extra, title_extra=title_extra)
    if not title_extra and not header_extra:
        parts = parts + [("ENHEDER", parts[0][1])]  # openpyxl names the second one otherwise
    assert xlsx_rows._skeleton(parts) == xlsx_rows._openpyxl_skeleton(parts)


def test_a_later_process_writes_the_workbook_without_importing_openpyxl(tmp_path):
    code = ("import sys, pandas as pd\n"
            "from condense.xlsx_rows import write_workbook\n"
            "parts = [('enheder', pd.DataFrame({'enhed (id)': ['a:1:1'], 'tekst': ['et svar ' * 10]}))]\n"
            "data = write_workbook(parts)\n"
            "sys.stdout.write(str('openpyxl' in sys.modules) + ' ' + str(hash(data)))\n")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "CONDENSE_CACHE_DIR": str(tmp_path / "cache"), "PYTHONHASHSEED": "0"}
    first, second = (subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
                     for _ in range(2))
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.split()[0] == "True"  # the first made it with openpyxl and kept its constant parts
    assert second.stdout.split() == ["False", first.stdout.split()[1]]  # the same bytes
