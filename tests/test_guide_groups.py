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


def test_the_words_voicing_a_follow_up_are_found_in_the_answers_by_its_cues():
    """A follow-up group's quote should say what the follow-up asks about: the answer's own words for it are
    found by the follow-up's cues (by word, lemma or stem, as the last part of a compound, a phrase in a row)."""
    from condense.codebook import Followup
    from condense.guide_groups import voiced

    fu = Followup("udfordringer", "Udfordringer", ["svært", "udfordring", "problem", "gik galt"])
    units = [unit("a:0001:1", "Og bagsiden?", "Det sværeste var at holde fast i de frivillige."),
             unit("b:0001:1", "Og bagsiden?", "Hverdagsudfordringerne fyldte, og der var problemer med nøglerne."),
             unit("c:0001:1", "Og bagsiden?", "Det gik galt med lokalet første gang."),
             unit("d:0001:1", "Og bagsiden?", "Vi mødtes hver tirsdag i beboerhuset."),
             unit("e:0001:1", "Og bagsiden?", "Det galt om at komme tidligt, og vi gik hjem.")]
    assert voiced(units, fu, "da") == {"a:0001:1": {"sværeste"}, "b:0001:1": {"hverdagsudfordringerne", "problemer"},
                                       "c:0001:1": {"gik galt"}}
    en = Followup("worked", "What worked", ["went well", "success", "worked"])
    units = [unit("f:0001:1", "What went well?", "The walks were a real success, and the cooking worked too."),
             unit("g:0001:1", "What went well?", "Nothing went, well, nowhere.")]
    assert voiced(units, en, "en") == {"f:0001:1": {"success", "worked"}}


def test_follow_up_groups_of_the_sample_quote_an_answer_that_voices_the_follow_up(sample_run):
    """When some answers in a follow-up group say what it asks about ("Mændene er bare svære at få fat på"),
    the golden quote is one of them, not an answer that only follows the question ("I de gode perioder kom der
    en ti-tolv mænd")."""
    from condense.guide_groups import voiced
    from condense.quotes import candidates, relevance

    result, _ = sample_run
    elsewhere = {g.golden_unit_id for g in result.condensation.groups}
    by_id = {u.unit_id: u for u in result.units}
    labels = {f"Forslag: {f.label} (svar på guidens opfølgning)": f for f in result.codebook.followups}
    checked = 0
    for g in result.condensation.groups:
        f = labels.get(g.label)
        if f is None or not g.golden_quote:
            continue
        says = voiced([by_id[u] for u in g.unit_ids], f, "da")
        quotable = {uid for uid, words in says.items()  # a sentence quotes could print says it, not negated,
                    if uid not in elsewhere - {g.golden_unit_id}  # in a unit no other row quotes
                    and any(relevance(text, words, "da") for text, _, _ in candidates(by_id[uid], "da"))}
        if quotable:
            checked += 1
            assert g.golden_unit_id in quotable, (g.label, g.golden_quote)
    assert checked >= 5


def _voiced_by_every_word(units, followup, language):
    """The words voicing a follow-up found the long way round: every cue tried at every word (and every
    compound tail of four letters or more after three), every phrase at every position."""
    import re

    from condense.guide_groups import _word_keys

    keys = _word_keys(language)
    cues = [[keys(w) for w in re.findall(r"[^\W\d_][\w'’-]*", c.lower())] for c in followup.cues]
    out = {}
    for u in units:
        spans = [m.span() for m in re.finditer(r"[^\W\d_][\w'’-]*", u.text)]
        words = [u.text[a:b] for a, b in spans]
        ks = [keys(w) for w in words]
        found = set()
        for form in cues:
            n = len(form)
            for i in range(len(words) - n + 1):
                if n == 1:
                    hit = not ks[i].isdisjoint(form[0]) or any(x[j:] in form[0] for x in ks[i] for j in range(3, len(x) - 3))
                else:
                    hit = (all(not ks[i + j].isdisjoint(form[j]) for j in range(n))
                           and u.text[spans[i][1]:spans[i + n - 1][0]].replace(" ", "") == "".join(words[i + 1:i + n - 1]))
                if hit:
                    found.add(" ".join(words[i:i + n]).lower())
        if found:
            out[u.unit_id] = found
    return out


def test_voicing_reads_each_answer_once_and_finds_what_trying_every_word_finds():
    """voiced() reads a unit's words once per run (a unit is voiced for each follow-up group and proposal it is
    in: 0.25 CPU s at 1M words before) and looks a phrase up only where its first word stands; what it finds is
    what trying every cue at every word finds, compound tails, phrases across a comma and repeated phrases too."""
    from condense.codebook import Followup
    from condense.guide_groups import _reading, voiced

    fu = Followup("udfordringer", "Udfordringer", ["svært", "udfordring", "problem", "gik galt", "op ad bakke",
                                                  "ikke ville", "drille"])
    texts = ["Det sværeste var at holde fast, og det gik galt, så det gik galt igen.",
             "Hverdagsudfordringerne og problemstillingerne fyldte; det var op ad bakke, op, ad bakke.",
             "Det drillede, gik, galt og de ikke ville, ikke ville de.", "Svært. Problemer? Udfordring!",
             "Vi mødtes hver tirsdag i beboerhuset.", "Det gik galt"]
    units = [unit(f"{chr(97 + i)}:0001:1", "Og bagsiden?", t) for i, t in enumerate(texts)]
    expected = _voiced_by_every_word(units, fu, "da")
    assert expected["a:0001:1"] == {"sværeste", "gik galt"} and "e:0001:1" not in expected
    assert voiced(units, fu, "da") == expected
    hits = _reading.cache_info().hits
    assert voiced(units, fu, "da") == expected
    assert _reading.cache_info().hits - hits == len(units)  # read again from the first reading
    label = type("Label", (), {"id": "", "cues": ["problem", "bakke"]})()
    assert voiced(units, label, "da") == _voiced_by_every_word(units, label, "da")
