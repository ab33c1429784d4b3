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


def test_follow_ups_the_codebook_names_group_answers_however_the_interviewers_worded_them():
    """The guide's challenges follow-up is asked as "Og bagsiden?", "Hvor skurrede det?", "Var der noget, der
    drillede?": no word in common, one proposal by the codebook's cues; a unit asking two follow-ups at once
    counts for the first the codebook lists; an unrelated question makes none."""
    from condense.codebook import Followup
    from condense.guide_groups import followup_groups

    followups = [Followup("andre", "Andre aktører", ["andre aktører", "kommunen"]),
                 Followup("udfordringer", "Udfordringer", ["svært", "udfordring", "bagsiden", "skurre", "drille",
                                                           "op ad bakke"])]
    units = [unit("a:0001:1", "Og bagsiden?"), unit("b:0003:1", "Hvor skurrede det i den fase?"),
             unit("c:0005:1", "Var der noget, der drillede undervejs?"), unit("d:0002:1", "Og hvad var så op ad bakke?"),
             unit("e:0002:1", "Var andre aktører med, og var det svært?"), unit("f:0002:1", "Spillede kommunen en rolle?"),
             unit("g:0002:1", "Hvem betalte for kaffen?")]
    assert followup_groups(units, followups, "da") == [
        ("Udfordringer (svar på guidens opfølgning)", ["a:0001:1", "b:0003:1", "c:0005:1", "d:0002:1"])]
    # two interviews asked about other actors, but two units are too few to be read as a group
    assert followup_groups(units, followups, "da", min_units=2) == [
        ("Andre aktører (svar på guidens opfølgning)", ["e:0002:1", "f:0002:1"]),
        ("Udfordringer (svar på guidens opfølgning)", ["a:0001:1", "b:0003:1", "c:0005:1", "d:0002:1"])]


def test_a_follow_up_asked_in_one_interview_only_makes_no_proposal():
    from condense.codebook import Followup
    from condense.guide_groups import followup_groups

    units = [unit(f"a:000{i}:1", "Og bagsiden?") for i in range(1, 6)]
    assert followup_groups(units, [Followup("u", "Udfordringer", ["bagsiden"])], "da") == []


def test_english_follow_ups_match_phrases_in_order():
    from condense.codebook import Followup
    from condense.guide_groups import followup_groups

    fu = [Followup("role", "The worker's own role", ["your own role", "your part"]),
          Followup("hard", "Challenges", ["difficult", "didn't work", "tension"])]
    units = [unit(f"{t}:0001:1", q, "We never had enough volunteers.") for t, q in zip(
        "abcdefg", ("And your own role in that?", "What was your part in it?", "And what was your role, your own?",
                    "Was there anything that didn't work?", "Were there tensions?", "Anything difficult at that stage?",
                    "So what was your own role then?"))]
    assert followup_groups(units, fu, "en") == [  # c: the cue's words are not in a row
        ("The worker's own role (answers to the guide's follow-up)", ["a:0001:1", "b:0001:1", "g:0001:1"]),
        ("Challenges (answers to the guide's follow-up)", ["d:0001:1", "e:0001:1", "f:0001:1"])]
