"""Step 4 tables from hand-made units and codings: counts a researcher can check by hand."""
from __future__ import annotations

import pytest

from condense.codebook import parse_codebook
from condense.model import Case, Coding, MeaningUnit
from condense.tables import TableSettings, cooccurrence, crosstab, matrix, matrix_wide, segments

CODEBOOK = parse_codebook("""\
codebook: t
language: da
dimensions:
  - id: fase
    label: Fase
    themes:
      - {id: plan, label: Planlægning, terms: [plan]}
      - {id: eval, label: Evaluering, terms: [eval]}
  - id: deltagelse
    label: Deltagelse
    themes:
      - {id: beboer, label: Beboerne, terms: [beboer]}
      - {id: prof, label: Professionelle, terms: [prof]}
""")


def unit(uid: str, transcript: str, cases: list[str], *, anonymous: bool = False) -> MeaningUnit:
    return MeaningUnit(uid, "fp", transcript, 1, 1, "X", "respondent", f"tekst {uid}", 0, 9, cases=cases,
                       anonymous=anonymous)


UNITS = [unit("a1", "A", ["P1"]), unit("a2", "A", ["P1"]), unit("b1", "B", ["P2", "P3"]),
         unit("c1", "C", ["P3"], anonymous=True)]
CASES = {"P1": Case("P1", {"region": "Nord"}), "P2": Case("P2", {"region": "Syd"}), "P3": Case("P3", {"region": "Syd"})}
CODINGS = [Coding("a1", "fase", "plan"), Coding("a1", "deltagelse", "beboer"), Coding("a2", "fase", "plan"),
           Coding("a2", "deltagelse", "beboer"), Coding("b1", "fase", "eval"), Coding("b1", "deltagelse", "prof"),
           Coding("c1", "fase", "plan", source="human", coder="AB")]


def test_matrix_counts_units_and_interviews_per_cell():
    long = matrix(UNITS, CODINGS, CODEBOOK, "fase", "deltagelse")
    cells = {(r.fase, r.deltagelse): (r.n_units, r.n_interviews) for r in long.itertuples()}
    assert cells == {("plan", "beboer"): (2, 1), ("plan", "prof"): (0, 0), ("eval", "beboer"): (0, 0),
                     ("eval", "prof"): (1, 1)}  # c1 has no participation code: in no cell
    grid = matrix_wide(long, "fase", "deltagelse")
    assert list(grid.columns) == ["fase", "Beboerne", "Professionelle"]
    assert grid.set_index("fase").loc["Planlægning", "Beboerne"] == 2


def test_crosstab_counts_interviews_or_cases_per_attribute_value():
    by_interview = crosstab(UNITS, CODINGS, CODEBOOK, CASES, "region").set_index("theme")
    assert by_interview.loc["(alle)", "Nord"] == 1 and by_interview.loc["(alle)", "Syd"] == 2  # interviews B, C
    assert by_interview.loc["plan", "Nord"] == 1 and by_interview.loc["plan", "Syd"] == 1  # A; C
    by_case = crosstab(UNITS, CODINGS, CODEBOOK, CASES, "region", TableSettings(count_over="cases")).set_index("theme")
    assert by_case.loc["(alle)", "Syd"] == 2 and by_case.loc["eval", "Syd"] == 2  # b1 covers P2 and P3


def test_cooccurrence_pairs_themes_of_different_dimensions():
    df = cooccurrence(CODINGS, CODEBOOK)
    assert [tuple(r) for r in df.itertuples(index=False)] == [("fase", "plan", "deltagelse", "beboer", 2),
                                                              ("fase", "eval", "deltagelse", "prof", 1)]


def test_segments_hide_who_an_anonymous_respondent_is():
    df = segments(UNITS, CODINGS, CODEBOOK)
    anon = df[df.unit_id == "c1"].iloc[0]
    assert (anon.cases, anon.speaker, anon.source, anon.coder) == ("", "", "human", "AB")
    assert df[df.unit_id == "b1"].iloc[0].cases == "P2;P3"
    assert list(df.dimension) == ["fase"] * 4 + ["deltagelse"] * 3  # codebook order


@pytest.mark.parametrize("settings,message", [({"count_over": "people"}, "count_over"), ({"colour": 1}, "colour")])
def test_table_settings_reject_what_they_do_not_know(settings, message):
    with pytest.raises(ValueError, match=message):
        TableSettings.from_dict(settings)


def test_every_row_counts_the_mentions_of_the_units_it_holds_and_an_anonymous_interview_is_a_case():
    """A sub-group row that holds units always counts their mentions: a unit the grouping placed although its
    coding names no sub-theme (the rest of an answer), and one whose coded sub-theme the grouping did not keep
    (a word out of context) and that sits on the not-placed row. An anonymous respondent's interview, whose plan
    is hidden, still counts as a case of its own, so the theme's cases are not undercounted."""
    from condense.condensation import Condensation, SubGroup
    from condense.tables import themes_table

    codebook = parse_codebook("""\
codebook: t
language: da
dimensions:
  - id: fase
    label: Fase
    themes:
      - id: plan
        label: Planlægning
        terms: [plan]
        subthemes:
          - {id: moeder, label: Møder, terms: [møde]}
          - {id: samtaler, label: Samtaler, terms: [samtale]}
""")
    units = [unit("a1", "A", ["P1"]), unit("a2", "A", ["P1"]), unit("a3", "A", ["P1"]),
             unit("d1", "D", [], anonymous=True)]
    codings = [Coding("a1", "fase", "plan", "moeder"), Coding("a2", "fase", "plan", "moeder"),
               Coding("a3", "fase", "plan"), Coding("d1", "fase", "plan")]
    groups = [SubGroup("fase", "plan", "", "Planlægning", ["a1", "a2", "a3", "d1"], "theme"),
              SubGroup("fase", "plan", "moeder", "Møder", ["a1", "a3"]),
              SubGroup("fase", "plan", "_unplaced", "Ikke placeret", ["a2", "d1"], "other")]
    table = themes_table(Condensation(groups), units, codebook, codings=codings)
    rows = {r.subtheme: (r.n_units, r.n_mentions, r.n_cases) for r in table.itertuples()}
    assert rows == {"": (4, 4, 2), "moeder": (2, 2, 1), "_unplaced": (2, 2, 2)}
    assert table.attrs["n_total"] == 2
    assert "D" not in table.to_csv(index=False).split()  # the anonymous interview is counted, never named


def test_a_proposal_by_shared_words_says_what_it_is():
    """Sub-group proposals by shared words were labelled as bare word lists ("Forslag: ark", "Forslag: tirsdag,
    torsdag"), which a reader took for names of ideas; the tables say they are groups marked by those words. Other
    proposals say what they are already and keep their labels; the group itself is discovery's, unchanged."""
    from types import SimpleNamespace

    from condense.tables import shown_label

    def group(label, kind="proposed"):
        return SimpleNamespace(label=label, kind=kind)

    assert shown_label(group("Forslag: ark"), "da") == "Forslag: gruppe kendetegnet ved ordet »ark«"
    # a label of one phrase was "ordet »solen skinner«" on ecape_da (3 of its 75 such labels, energy codebook)
    assert shown_label(group("Forslag: solen skinner"), "da") == "Forslag: gruppe kendetegnet ved udtrykket »solen skinner«"
    assert shown_label(group("Proposed: hot water"), "en") == "Proposed: group characterised by the phrase “hot water”"
    assert shown_label(group("Forslag: målte blodtryk, sygeplejerske, tirsdag"), "da") == \
        "Forslag: gruppe kendetegnet ved ordene »målte blodtryk«, »sygeplejerske« og »tirsdag«"
    assert shown_label(group("Proposed: checks, nurse"), "en") == \
        "Proposed: group characterised by the words “checks” and “nurse”"
    for kept in (group("Forslag: Udfordringer (svar på guidens opfølgning)", "question"),
                 group("Forslag: Planlægning (Projektfase)", "matrix"), group("Netværk", "codebook")):
        assert shown_label(kept, "da") == kept.label
