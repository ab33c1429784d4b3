"""The error catalogue: every code has a message and a fix; codes are unique and well-formed."""
import re

from condense.errors import CATALOGUE, CondenseError, Diagnostics


def test_every_code_has_a_message_and_a_fix():
    for code, (template, fix) in CATALOGUE.items():
        assert re.fullmatch(r"[EW]\d{3}", code), code
        assert template and template[0].isupper() or template.startswith("{"), code
        if code.startswith("E"):
            assert fix, f"{code} has no fix"


def test_message_names_what_where_and_fix():
    err = CondenseError("E106", id="int1", first="a.txt", second="b.txt")
    assert str(err) == ("[E106] Transcript id 'int1' is used twice: a.txt and b.txt. Fix: Give each transcript its own "
                        "`id` in its front matter or in transcripts.csv.")


def test_warnings_are_counted_once():
    d = Diagnostics()
    for _ in range(3):
        d.warn("W104", path="x.txt", case="Y")
    assert len(d) == 1 and d.counts[d.warnings[0]] == 3
