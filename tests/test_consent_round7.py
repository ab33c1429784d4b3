"""Consent, round seven (h24b): an anonymous respondent's name written with letters of another alphabet that look
like Latin ones (Cyrillic "е", "і", Greek "ο", a dotless "ı") or with an accent typed apart from its letter, in her
own interview or in another; and the consent audit's refusal, which names what it found but never the term. Each
case a small project run end to end beside another interview naming her, every output read with look-alikes read
as the letters they look like, accents folded and everything but letters dropped."""
from __future__ import annotations

import pytest

from test_consent import ANON, SOLBAKKEN_CASES, _run_beside_solbakken, app, runner
from test_consent_round4 import NAMER, _interviews
from test_consent_round6 import INTRO, _letters
from test_pipeline import CODEBOOK, make_project

# what a reader takes these for (a few of each alphabet; condense's own list is longer)
_AS_LATIN = str.maketrans("аеіорсуΖοιαı", "aeiopcyZoiai")


def _named(text: str) -> list[str]:
    letters = _letters(text.translate(_AS_LATIN))
    return [name for name in ("gurli", "zenfeldt") if name in letters]


SAID = "Ja, med Gurli Zenfeldt om budgettet, og Gurli sendte os skemaet bagefter."


@pytest.mark.parametrize("intro,namer,own", [
    # another interview writes her name with look-alike letters, each word alone
    (INTRO, "Ja, med Z\u0435nf\u0435ldt om budgettet, og Gurl\u0456 sendte os skemaet bagefter.", ""),
    (INTRO, "Ja, med \u0396enfeldt om budgettet, og Gurl\u0131 sendte os skemaet bagefter.", ""),  # Greek Ζ, dotless ı
    # an accent typed apart from a letter NFC has no letter for ("l" + diaeresis stays two characters)
    (INTRO, "Ja, med Zenfeldt om budgettet, og Gurl\u0308i sendte os skemaet bagefter.", ""),
    # she introduces herself with look-alikes: the Latin name another interview writes is hers all the same
    ("Jeg hedder Gurl\u0456 Z\u0435nfeldt, og vi", SAID, ""),
    # her own interview writes her name with a look-alike later on
    (INTRO, SAID, "i Gurl\u0456s lille bog"),
])
def test_her_name_in_look_alike_letters_or_with_an_accent_apart_is_named_in_no_output(tmp_path, intro, namer, own):
    """The loose name pattern knew Latin letters only (accents, full width): "Gurlі" with a Cyrillic і, "Zеnfеldt"
    with Cyrillic е's, "Gurl̈i" with an accent NFC cannot join to its letter stayed in every output (units.csv,
    the workbook, the report), and the audit, looking with the same pattern, passed; her introduction written so
    hid only that spelling. A letter of another alphabet drawn as a Latin one now stands for it, in both
    directions, and an accent may follow any letter of a name."""
    texts = _interviews()
    texts["int1_x.txt"] += NAMER.replace(SAID, namer)
    anon = ANON.replace(INTRO, intro)
    texts["07_solbakken.txt"] = anon.replace("i en lille bog", own) if own else anon
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert _named(text) == []


@pytest.mark.parametrize("own,namer", [
    ("i en mail med #GurliZ", SAID),  # a hashtag gluing her name to an initial, in her own interview
    ("i en lille bog", "Ja, med Zenfeldtfamilien om budgettet, og @GurliForever sendte os skemaet bagefter."),
])
def test_her_name_glued_into_a_longer_word_is_named_in_no_output(tmp_path, own, namer):
    """"#GurliZ" and "@GurliForever" (a small letter before a capital, as hashtags and handles glue words) and
    "Zenfeldtfamilien" (a name no lexicon knows glued to a word) were no name: letters went on after it, so the
    name stayed in units.csv and every table. A name ends before a capital too, and an unknown name of five
    letters or more glued to small letters is the whole word."""
    texts = _interviews()
    texts["int1_x.txt"] += NAMER.replace(SAID, namer)
    texts["07_solbakken.txt"] = ANON.replace("i en lille bog", own)
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert _named(text) == []


def test_look_alike_letters_name_nobody_else():
    """The other side: a look-alike stands for its Latin letter only inside a name condense looks for; words that
    merely resemble her name, and Danish text without any look-alike, are no match."""
    from condense.privacy import name_pattern

    pattern = name_pattern(["Gurli Zenfeldt", "Gurli", "Zenfeldt"], loose=True)
    for text in ("Gurlig", "Burli", "Zenfelt", "guerli", "Gur li", "Zenfeldtsk", "GURLIZ", "Petersen"):
        assert pattern.search(text) is None, text
    for text in ("Gurl\u0456", "\u0261urli", "Z\u0435nf\u0435ldt", "ZENFЕLDT", "Gurl\u0308i", "Gu\u0308rli"):
        assert pattern.search(text) is not None, text


@pytest.mark.parametrize("where", ["note", "label"])
def test_a_review_sheet_naming_her_is_refused_and_not_written(tmp_path, where):
    """`condense review export` wrote a sheet (for a co-coder) that no audit read: a decision's note naming the
    anonymous respondent ("Gurli sagde det også", shown in the evidence column) or a theme the researcher named
    after her ("Gurlis gåklub") went into review.xlsx. The sheet is made aside and audited like a run's files:
    E830, which does not name her either, and no sheet."""
    texts = _interviews()
    texts["07_solbakken.txt"] = ANON
    project = make_project(tmp_path, texts, cases=SOLBAKKEN_CASES)
    if where == "note":
        (tmp_path / "decisions.csv").write_text(
            "transcript,unit_id,fingerprint,dimension,theme,subtheme,action,coder,note\n"
            "int1,int1:0001:1,,fase,planlaegning,,accept,AB,Gurli sagde det også\n", encoding="utf-8")
    else:
        (tmp_path / "codebook.yaml").write_text(CODEBOOK.replace("label: Gåklubben", "label: Gurlis gåklub"),
                                                encoding="utf-8")
    sheet = tmp_path / "review.xlsx"
    res = runner.invoke(app, ["review", "export", str(project), "--out", str(sheet)])
    assert res.exit_code == 1 and "E830" in res.output and "anonymous respondent's name" in res.output, res.output
    assert "gurli" not in res.output.casefold() and "Traceback" not in res.output and not sheet.exists()


@pytest.mark.parametrize("written", ["S\u043elbakken", "Sølbakken", "SÓLBAKKEN"])
def test_her_plan_written_otherwise_in_another_interview_is_named_in_no_output(tmp_path, written):
    """The plan only the anonymous interview names places her; another interview writing it with a Cyrillic "о"
    or an accent changed ("Sølbakken") kept it in every output, and the audit, looking for the plan as written,
    passed. The plan is looked for as loosely as her name, in the units and by the audit (a hand-edited file
    holding it so is a finding)."""
    texts = _interviews()
    texts["int1_x.txt"] += ("\nI: Talte I med andre planer?\n\nR: Ja, vi besøgte " + written
                            + " om budgettet, og de sendte os skemaet bagefter.\n")
    texts["07_solbakken.txt"] = ANON
    out, text = _run_beside_solbakken(tmp_path, texts)
    assert "solbakken" not in _letters(text.translate(_AS_LATIN))
    themes = out / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8-sig") + f"note,{written} sagde det\n", encoding="utf-8")
    res = runner.invoke(app, ["audit", str(out), "--project", str(tmp_path / "condense.yaml")])
    assert res.exit_code == 1 and "E830" in res.output and "an anonymous plan name (9 letters" in res.output, res.output
