"""Proposals by the guide's follow-up question: answers to the same question across interviews."""
from condense.guide_groups import question_groups
from condense.model import MeaningUnit


def unit(uid: str, question: str, text: str = "Det var svært at få nok frivillige med hver gang.") -> MeaningUnit:
    return MeaningUnit(uid, "", uid.split(":")[0], 1, 1, "R", "respondent", text, 0, len(text), question=question)


def test_answers_to_one_follow_up_across_interviews_make_one_proposal_named_by_the_question():
    units = [unit("a:0001:1", "Og udfordringerne?"), unit("b:0003:1", "Hvad var de særlige udfordringer i den fase?"),
             unit("c:0005:1", "Og udfordringerne?"), unit("c:0007:1", "Hvordan gik det med økonomien?"),
             unit("d:0002:1", "Hvordan gik det med økonomien?"), unit("e:0002:1", "Hvem betalte for kaffen?")]
    groups = question_groups(units, "da")
    assert groups == [("svar på »Og udfordringerne?«", ["a:0001:1", "b:0003:1", "c:0005:1"])]


OTHERS = [unit(f"{t}:0009:1", q) for t, q in zip("vwxyz", ("Hvem betalte?", "Og kaffen?", "Hvor mødtes I?",
                                                           "Hvornår sluttede det?", "Hvem kom?"))]


def test_a_question_naming_the_theme_itself_makes_no_proposal():
    units = [unit(f"{t}:0001:1", "Og planlægningen?") for t in "abcd"] + OTHERS
    assert question_groups(units, "da", exclude={"planlægning"}) == []
    assert len(question_groups(units, "da")) == 1


def test_a_word_in_most_questions_names_the_theme_not_a_part_of_it():
    units = [unit(f"{t}:0001:1", "Og udfordringerne?") for t in "abcdef"] + OTHERS[:2]
    assert question_groups(units, "da") == []


def test_english_follow_ups_asked_in_different_words_are_named_by_their_shared_word():
    units = [unit(f"{t}:0001:1", q, "We never had enough volunteers for the Tuesday walk, so it stopped.")
             for t, q in zip("abc", ("And the challenges?", "What were the main challenges?", "Any challenges?"))]
    assert question_groups(units + [unit(f"{t}:0009:1", q) for t, q in zip("xyz", ("Who paid?", "And the coffee?",
                                                                              "Where did you meet?"))], "en") == [("answers to questions about “challenges”", ["a:0001:1", "b:0001:1", "c:0001:1"])]
