"""Round six of hostile inputs (h18c): codebooks from other tools, YAML's yes/no, consent said twice, options
given twice. Each test failed before its fix."""
from __future__ import annotations

from .helpers import in_tmp, invoke, leftovers, make_study, snapshot  # noqa: F401 (in_tmp is a fixture)


def _refused(result, code: str) -> str:
    output = result.output
    assert "Traceback" not in output and result.exit_code == 1 and f"[{code}]" in output, output
    return output


def test_anonymity_the_front_matter_takes_back_is_refused(in_tmp):
    """transcripts.csv said `anonymous: true` and the transcript's front matter `anonymous: false`: the front
    matter won, and the respondent's transcript id, case and speaker were in every output (exit 0)."""
    make_study(in_tmp)
    (in_tmp / "transcripts" / "transcripts.csv").write_text("transcript,anonymous\nint1.txt,true\n", encoding="utf-8")
    text = (in_tmp / "transcripts" / "int1.txt").read_text(encoding="utf-8")
    (in_tmp / "transcripts" / "int1.txt").write_text(text.replace("id: int1\n", "id: int1\nanonymous: false\n"),
                                                     encoding="utf-8")
    before = snapshot(in_tmp)
    output = _refused(invoke(["run", "condense.yaml", "--out", "out"]), "E813")
    assert "transcripts/int1.txt, line 3" in output and "`anonymous: false`" in output, output
    assert snapshot(in_tmp) == before and leftovers(in_tmp) == [] and not (in_tmp / "out").exists()
    # the same in both places, or a list the front matter repeats in another order, is read as before
    (in_tmp / "transcripts" / "transcripts.csv").write_text("transcript,anonymous\nint1.txt,R;I\n", encoding="utf-8")
    (in_tmp / "transcripts" / "int1.txt").write_text(text.replace("id: int1\n", "id: int1\nanonymous: [I, R]\n"),
                                                     encoding="utf-8")
    result = invoke(["segment", "transcripts", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert "int1:" not in (in_tmp / "out" / "units.csv").read_text(encoding="utf-8")
