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


@pytest.mark.parametrize("question,answer", [
    ("Hvem taler jeg med?", "Gurli Zenfeldt. Vi"),
    ("Hallo?", "Gurli Zenfeldt, goddag. Vi"),
    ("Hallo?", "Ja, det er mig, Gurli Zenfeldt. Vi"),
])
def test_a_name_given_answering_the_phone_or_asked_for_is_named_in_no_output(tmp_path, question, answer):
    """A phone interview opens on the name: asked for ("Hvem taler jeg med?" – "Gurli Zenfeldt."), or the phone
    answered by it ("Gurli Zenfeldt, goddag", "det er mig, Gurli Zenfeldt"). None was read as her name."""
    texts = _interviews()
    texts["int1_x.txt"] += NAMER
    texts["07_solbakken.txt"] = ANON.replace("I: Hvordan planlagde I aktiviteterne på Solbakken?",
                                             f"I: {question}").replace(INTRO, answer)
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text


def _names(*turns: str) -> set[str]:
    from types import SimpleNamespace

    from condense.privacy import introduced_names

    speakers = ["I", "R"] * len(turns)
    return introduced_names(SimpleNamespace(anonymous=True, turns=[SimpleNamespace(speaker=s, text=t)
                                                                     for s, t in zip(speakers, turns)]))


@pytest.mark.parametrize("turns,name", [
    (("Who am I speaking with?", "Gail Hansen."), "Gail Hansen"),
    (("What's your name?", "Yes, it's Gail."), "Gail"),
    (("Hello?", "Gail Hansen speaking."), "Gail Hansen"),
    (("Hello?", "Hi, it's Gail Hansen here."), "Gail Hansen"),
    (("Hello?", "It's me, Gail Hansen."), "Gail Hansen"),
    (("Please introduce yourself.", "I go by Gigi these days."), "Gigi"),
    (("Your name is Gail Hansen, right?", "Yes."), "Gail Hansen"),
    (("Hvad hedder du?", "Torben."), "Torben"),
    (("Hello?", "Gail here."), "Gail"),
    (("Hallo?", "Gurli her, hej."), "Gurli"),
])
def test_english_and_danish_ways_of_giving_a_name_are_read(turns, name):
    assert name in _names(*turns)


@pytest.mark.parametrize("turns", [
    ("Hallo?", "Hallo, goddag. Ja, det passer fint nu."),  # ecape_da opens two calls so
    ("Goddag?", "Goddag, hej. Skal vi gå i gang?"),
    ("Okay?", "Okay, hej. Vi kan godt starte."),
    ("Hvad hedder du?", "Ja."),
    ("Hvordan gik det?", "Fint. Beboerne kom."),  # a capitalised answer to another question
    ("Who is this?", "Yes, it is."),
    ("Hallo?", "Det her er fint."),
    ("Hallo?", "Kaffemaskinen her er ny."),
])
def test_a_greeting_or_an_answer_to_another_question_names_nobody(turns):
    assert not _names(*turns)


@pytest.mark.parametrize("label", ["R - Gurli Zenfeldt", "GZ [Gurli]", "Gurli Zenfeldt, koordinator"])
def test_a_name_in_a_speaker_label_the_turns_reader_did_not_take_is_named_in_no_output(tmp_path, label):
    """An anonymous interview whose respondent's label holds her name in a form the turn reader does not take as a
    label ("R - Gurli Zenfeldt:"): the label stayed in the text and her name in every output (W103/W106 said the
    turns were not read). The whole names (or one in brackets) of a label used on two lines or more are her names."""
    texts = _interviews()
    texts["int1_x.txt"] += NAMER
    texts["07_solbakken.txt"] = ANON.replace("\nR: ", f"\n{label}: ").replace(INTRO, "Vi")
    assert texts["07_solbakken.txt"].count(f"{label}:") == 3
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text
    assert "zenfeldt" not in text or "Zenfeldt" not in label  # "[Gurli]" alone does not tell her surname


def test_a_role_or_a_heading_before_a_colon_is_no_name():
    from types import SimpleNamespace

    from condense.privacy import _unread_labels

    text = ("Respondent (Informant): Ja.\nRespondent (Informant): Nej.\nSpørgsmål 1: Hvad?\nSpørgsmål 1: Hvem?\n"
            "Note: tekst\nNote: tekst\nGurli Zenfeldt, koordinator: ja\n")
    assert _unread_labels(SimpleNamespace(text=text, speakers={})) == set()  # the last label is used once
    assert _unread_labels(SimpleNamespace(text=text * 2, speakers={})) == {"Gurli Zenfeldt"}
