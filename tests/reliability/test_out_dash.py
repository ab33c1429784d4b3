"""`--out -`: standard output to many programs. condense made a folder named "-" of it (awkward to open or
remove: `rm -r -` is read as an option). Failed before: exit 0 and the folder "-" written."""
from __future__ import annotations

import pytest

from .helpers import in_tmp, invoke, make_study, refused, snapshot  # noqa: F401


@pytest.mark.parametrize("command", [["run", "condense.yaml", "--out", "-"], ["names", "transcripts", "--out", "-"]])
def test_out_dash_is_refused_and_writes_nothing(in_tmp, command):
    make_study(in_tmp)
    before = snapshot(in_tmp)
    out = " ".join(refused(invoke(command), "E729").split())
    assert "not to standard output" in out and "--out results" in out, out
    assert snapshot(in_tmp) == before and not (in_tmp / "-").exists()


def test_a_folder_already_named_dash_is_the_researchers_and_refused_as_any_other(in_tmp):
    """A folder "-" that is there already (made by hand) is not condense's: E702/E703 as for any folder it did not
    write, never E729 (which is for a name condense would make)."""
    make_study(in_tmp)
    (in_tmp / "-").mkdir()
    (in_tmp / "-" / "mine.txt").write_text("keep", encoding="utf-8")
    result = invoke(["run", "condense.yaml", "--out", "-"])
    assert result.exit_code == 1 and "[E729]" not in result.output and "Traceback" not in result.output
    assert (in_tmp / "-" / "mine.txt").read_text(encoding="utf-8") == "keep"
