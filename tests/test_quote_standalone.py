"""A golden quote stands alone: no false start, no pronoun pointing at what the quote never names, no
transcriber's placeholder, no short last sentence turning to another episode, where the group offers a quote
without them (ecape_da, real interviews none of us wrote, printed "… at jeg, at jeg fik den ide.", "Og [navn]
har fået et andet job, …" and "… Men så blev jeg syg.")."""
import pytest

from condense.model import MeaningUnit
from condense.quotes import best_quotes


def unit(uid, text):
    return MeaningUnit(uid, "", uid.split(":")[0], 1, 1, "R", "respondent", text, 0, len(text), cases=[])


def chosen(flawed: str, plain: str, language: str, ahead: float = 0.1) -> str:
    """The golden quote of a group of two units, the flawed one ``ahead`` more central (and longer)."""
    a, b = unit("01_a:0001:1", flawed), unit("02_b:0001:1", plain)
    quotes = best_quotes([a, b], {a.unit_id: ahead, b.unit_id: 0.0}, set(), language)
    return quotes[0].text


# (kind, language, a quote with the defect, one without it, a little shorter)
CASES = [
    ("false start", "da",
     "Det var bare først i sidste måned, at jeg, at jeg fik lyst til at sætte solceller op på taget af huset.",
     "Det var først i sidste måned, at vi fik lyst til at sætte solceller op på taget."),
    ("false start", "en",
     "It was only last month that I, that I got round to putting the solar panels up on the roof of the house.",
     "It was only last month that we got round to putting solar panels up on the roof."),
    ("anaphor", "da",
     "Det var bare først i sidste måned, da vi sad og snakkede om varmen, at jeg fik den ide.",
     "Det var først i sidste måned, at jeg fik ideen om at sætte solceller op på taget."),
    ("anaphor", "da",
     "Også når hun kommer tidligt hjem fra arbejde, så kan hun godt finde på at stå i køkkenet og lave mad.",
     "Også når min kone kommer tidligt hjem fra arbejde, så står hun tit i køkkenet."),
    ("anaphor", "da",
     "Vi har dem stadig ude i garagen, for vi har ikke fået ryddet op efter flytningen endnu.",
     "Vi har stadig flyttekasser stående ude i garagen, for vi har ikke ryddet op."),
    ("anaphor", "en",
     "Now and then she comes home early from work, and then she cooks dinner for all of us in the kitchen.",
     "Now and then my wife comes home early from work, and then she cooks for us."),
    ("placeholder", "da",
     "Vi har fået et andet job til [navn], så nu cykler vi begge to på arbejde hver dag, også om vinteren.",
     "Vi har begge to fået et andet job, så nu cykler vi på arbejde hver dag."),
    ("turn end", "da",
     "Vi fik et kursus på fire måneder på den sociale højskole. Men så blev jeg syg.",
     "Vi fik et kursus på fire måneder på den sociale højskole sidste år."),
    ("turn end", "en",
     "We had a month course at the college for new staff. But then I fell ill.",
     "We had a four month course at the college for all new staff."),
]


@pytest.mark.parametrize("kind,language,flawed,plain", CASES)
def test_a_quote_that_stands_alone_is_chosen_over_one_that_does_not(kind, language, flawed, plain):
    # a placeholder is a bracket, which readability already weighed a little (0.2): the flawed quote is further ahead
    assert chosen(flawed, plain, language, 0.3 if kind == "placeholder" else 0.1) == plain


@pytest.mark.parametrize("kind,language,flawed,plain", CASES)
def test_each_defect_is_told_by_its_kind(kind, language, flawed, plain):
    from condense.quotes import standalone_defects

    assert standalone_defects(flawed, language) == {kind}
    assert standalone_defects(plain, language) == set()


@pytest.mark.parametrize("kind,language,flawed,plain", CASES)
def test_a_groups_only_quote_is_kept_though_it_does_not_stand_alone(kind, language, flawed, plain):
    only = unit("01_a:0001:1", flawed)
    assert [q.text for q in best_quotes([only], {}, set(), language)] == [flawed]


@pytest.mark.parametrize("language,text", [
    # doubled for emphasis or by grammar, not a false start
    ("da", "Det betyder meget, meget for os, at vi kan bruge det hele hele tiden uden at tænke på prisen."),
    ("da", "Det tog lang, lang tid, og så er det det sociale, der holder folk i gang efter havedagene."),
    ("en", "It was very very cold that winter, and the heating had had no service for three years."),
    # the pronoun's person or thing is named before it in the quote
    ("da", "Min datter købte en cykel, da hun blev konfirmeret, og den har hun stadig i kælderen."),
    ("da", "Vi har fået penge i dåbsgave, og dem har vi stadig stående til en trampolin."),
    ("da", "Jeg fik en god ide sidste år, og den ide har jeg holdt fast i lige siden."),
    ("da", "Jeg var ham, man ringede til, når noget gik galt med nøglebrikken eller højttaleren."),
    # "ham med budgettet", "dem med små børn": the phrase after the pronoun says who (failed before)
    ("da", "Jeg var ham med budgettet, så alle regningerne gik gennem mig det første år."),
    ("da", "Det var især dem med små børn, der kom til fællesspisningen om torsdagen."),
    ("en", "My neighbour Tom came round, and he showed us how the meter works."),
    # a last sentence going on, not turning away; a long one is a thought of its own
    ("da", "Vi fik et kursus på fire måneder på højskolen. Men så lærte vi også rigtig meget om de nye metoder."),
])
def test_a_quote_that_stands_alone_shows_no_defect(language, text):
    from condense.quotes import standalone_defects

    assert standalone_defects(text, language) == set()


def test_a_pronoun_after_a_placeholder_points_at_it():
    from condense.quotes import standalone_defects

    text = "Og [navn på mand] har fået et andet job, men hun cykler stadig på arbejde hver dag."
    assert standalone_defects(text, "da") == {"placeholder"}


@pytest.mark.parametrize("language,text,stands", [
    ("da", "Vi fik et kursus på fire måneder på den sociale højskole, så vi kom på højde med de nye pædagoger. Men "
           "så blev jeg syg.",
     "Vi fik et kursus på fire måneder på den sociale højskole, så vi kom på højde med de nye pædagoger."),
    ("en", "We had a four month course at the college so that we caught up with the newly trained staff. But then "
           "I fell ill.",
     "We had a four month course at the college so that we caught up with the newly trained staff."),
])
def test_a_quote_ends_before_a_turn_to_another_episode_where_it_can(language, text, stands):
    """The unit's quote leaves out the short last sentence that turns away, when what comes before is a quote."""
    assert [q.text for q in best_quotes([unit("01_a:0001:1", text)], {}, set(), language)] == [stands]
