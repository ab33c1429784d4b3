"""Consent, round five (eighteenth session): names an anonymous respondent goes by that no self-introduction
gave: the interviewer saying it ("Du hedder Gurli Zenfeldt, ikke?") and a name she is called by ("de kalder mig
bare Gurli"). Each case a small project run end to end beside another interview naming her, every output read."""
from __future__ import annotations

import pytest

from test_consent import ANON, _run_beside_solbakken
from test_consent_round4 import NAMER, _interviews

INTRO = "Jeg hedder Gurli Zenfeldt, og vi"


@pytest.mark.parametrize("question,answer", [
    ("Du hedder Gurli Zenfeldt, ikke?", "Jo. Vi"),
    ("Hedder du ikke Gurli Zenfeldt?", "Jo, det gør jeg. Vi"),
    ("Dit navn er Gurli Zenfeldt, ikke?", "Jo. Vi"),
    ("Hvordan planlagde I aktiviteterne?", "Folk herude kalder mig bare Gurli Zenfeldt, og vi"),
    ("Hvordan planlagde I aktiviteterne?", "Jeg bliver kaldt Gurli Zenfeldt, og vi"),
])
def test_a_name_the_interviewer_says_or_she_is_called_by_is_named_in_no_output(tmp_path, question, answer):
    """An anonymous interview whose interviewer names the respondent ("Du hedder Gurli Zenfeldt, ikke?") or
    where she says what people call her: her name stayed in units.csv, units_coded.csv, the workbook and the
    report, and in another interview naming her, because only her own "jeg hedder …" was read. Every turn of an
    anonymous interview is read for her name, and these are read as introductions."""
    texts = _interviews()
    texts["int1_x.txt"] += NAMER
    texts["07_solbakken.txt"] = ANON.replace("I: Hvordan planlagde I aktiviteterne på Solbakken?",
                                             f"I: {question}").replace(INTRO, answer)
    assert "Zenfeldt" in texts["07_solbakken.txt"]
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text


def test_an_ordinary_word_she_is_called_names_nobody(tmp_path):
    """The other side: "de kalder mig tosset" (lower case, an ordinary word) is no name and stays in the outputs."""
    texts = _interviews()
    texts["07_solbakken.txt"] = ANON.replace(INTRO, "De kalder mig tosset herude, men vi")
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "de kalder mig tosset herude" in " ".join(text.split())
