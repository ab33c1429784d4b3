"""What a golden quote may say: no person named in passing, and the sub-group's own words in the quote."""
from condense.model import MeaningUnit
from condense.quotes import best_quotes, named_persons


def unit(uid, text, cases=("Solsikkeparken",)):
    return MeaningUnit(uid, "", uid.split(":")[0], 1, 1, "R", "respondent", text, 0, len(text), cases=list(cases))


NAMED = unit("01_a:0001:1", "Det var mig og min kollega Birgitte, der sad med spørgeskemaet i det første halve år, "
                            "og vi lånte spørgsmål fra kommunens sundhedsprofil.")
AGAIN = unit("01_a:0002:1", "Vi havde nedsat en lille arbejdsgruppe med tre beboere, mig og Birgitte, og så gennemgik "
                            "vi spørgeskemaet og snakkede om, hvad der kunne lade sig gøre.")
PAST = unit("02_b:0003:1", "Efter et par måneder kom to af kvinderne, en dansk kvinde, der hed Birthe, og sagde, at de "
                           "godt kunne klare spørgeskemaet selv.")
PLAIN = unit("02_b:0004:1", "Vi lavede et spørgeskema sammen med beboerne, og de gik selv rundt med det i opgangene "
                            "om aftenen.")


def test_people_named_in_passing_are_found_but_not_public_ids():
    place = unit("03_c:0001:1", "Min kollega Solsikkeparken sagde det, og min kollega Jens gik med rundt i opgangene.")
    pattern = named_persons([NAMED, AGAIN, PAST, PLAIN, place], "da")
    assert pattern is not None
    assert {m.group(0) for u in (NAMED, AGAIN, PAST, place) for m in pattern.finditer(u.text)} == {"Birgitte", "Birthe", "Jens"}
    assert named_persons([PLAIN], "da") is None


def test_a_quote_naming_a_person_is_never_chosen_the_runner_up_is():
    units = [NAMED, AGAIN, PAST, PLAIN]
    central = {u.unit_id: 1.0 for u in units}
    central[PLAIN.unit_id] = 0.0  # the plain unit is the least central: without the rule it loses
    matched = {"spørgeskemaet", "spørgeskema"}
    without = best_quotes(units, central, matched, "da")
    assert without[0].unit_id != PLAIN.unit_id
    ranked = best_quotes(units, central, matched, "da", persons=named_persons(units, "da"))
    assert [q.unit_id for q in ranked] == [PLAIN.unit_id]
