"""Names the researcher chose are printed as they are: rich markup like ``[/]`` in an id, a case, a file or
an output folder never crashes a command that succeeded."""
from __future__ import annotations

import pytest

from .helpers import in_tmp, invoke  # noqa: F401 (in_tmp is a fixture)

TEXT = "---\nid: '[/]x[bold'\ncases: ['[red]c[/]']\n---\nI: Hej [/] med dig?\n\nR: Det gik [/bold] godt med beboerne i gården.\n"


@pytest.mark.parametrize("args", [["ingest", "t"], ["segment", "t", "--out", "o[/]"], ["code", "t", "--out", "c[/]"]])
def test_markup_in_names_is_printed_not_parsed(in_tmp, args):
    (in_tmp / "t").mkdir()
    (in_tmp / "t" / "[b]int[i.txt").write_text(TEXT, encoding="utf-8")
    result = invoke(args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.exception is None
