"""Step 3: sub-groups, condensate drafts, golden quotes and the researcher's own condensates."""
from __future__ import annotations

import pytest

from condense.codebook import parse_codebook
from condense.condensation import apply_researcher_condensates, clean_speech, condense, quote_source
from condense.errors import Diagnostics
from condense.model import Coding
from condense.segment import segment

CODEBOOK = parse_codebook("""\
codebook: c
language: da
dimensions:
  - id: tema
    label: Tema
    multi_label: true
    themes:
      - id: motion
        label: Motion
        terms: [gåtur, cykel]
        subthemes:
          - {id: gang, label: Gang, terms: [gåtur]}
""")


def units_from(write, nlp_da):
    from condense.ingest import read_transcript

    text = ("---\ncases: [P1]\n---\nI: Hvad lavede I?\n\n"
            "R: Vi gik en lang gåtur hver torsdag rundt om søen, og bagefter drak vi kaffe sammen i huset.\n\n"
            "I: Og ellers?\n\nR: Øh, vi cyklede også, altså på cykel ud til stranden om lørdagen med børnene.\n\n"
            "I: Mere?\n\nR: Gåturen om søen var det, folk talte mest om, for den samlede hele opgangen hver uge.\n")
    return segment([read_transcript(write("a.txt", text), interviewer_labels=["I"])], nlp=nlp_da).units


def test_theme_row_subtheme_bucket_and_the_units_no_subtheme_takes(write, nlp_da):
    units = units_from(write, nlp_da)
    walk, bike, walk2 = [u.unit_id for u in units]
    codings = [Coding(walk, "tema", "motion", "gang"), Coding(bike, "tema", "motion"), Coding(walk2, "tema", "motion", "gang")]
    groups = condense(units, codings, CODEBOOK).groups
    assert [(g.subtheme, g.kind, g.unit_ids) for g in groups] == [
        ("", "theme", sorted([walk, bike, walk2])), ("gang", "codebook", sorted([walk, walk2])), ("_unplaced", "unplaced", [bike])]
    for g in groups[:2]:  # the theme and its sub-theme: a draft and a quote from the group itself
        assert g.golden_unit_id in g.unit_ids and g.condensate


def test_researcher_condensates_replace_drafts_and_unknown_rows_warn(write, nlp_da):
    units = units_from(write, nlp_da)
    codings = [Coding(u.unit_id, "tema", "motion", "gang") for u in units]
    condensation = condense(units, codings, CODEBOOK)
    own = units[2].unit_id
    path = write("condensates.csv", "dimension,theme,subtheme,condensate,golden_unit_id,note\n"
                 f"tema,motion,,Gåturen samlede opgangen.,{own},\ntema,svoemning,,Noget.,,\n")
    d = Diagnostics()
    applied = apply_researcher_condensates(condensation, path, {u.unit_id: u for u in units}, d)
    row = condensation.groups[0]
    assert applied == 1 and row.researcher and row.condensate == "Gåturen samlede opgangen." and row.golden_unit_id == own
    assert [w.code for w in d] == ["W108"] and "svoemning" in d.warnings[0].message


def test_clean_speech_drops_fillers_and_repetitions_but_keeps_words():
    # issue 12: a mid-sentence "altså" without commas may carry meaning ("after all") and is kept
    assert clean_speech("øh vi vi gik altså (griner) en tur") == "Vi gik altså en tur."


def test_quotes_of_anonymous_respondents_carry_no_case(write, nlp_da):
    unit = units_from(write, nlp_da)[0]
    assert quote_source(unit) == "P1"
    unit.anonymous = True
    assert "P1" not in quote_source(unit)


@pytest.mark.cores
def test_rows_are_the_same_whether_the_quote_groundwork_ran_in_another_process(write, nlp_da, monkeypatch):
    """With a second core, each unit's draft sentences, quotable runs and the people the transcripts name are
    worked out ahead in a forked process beside the grouping: the rows (drafts, quotes, runners-up) are
    exactly those found when each row works them out as it needs them."""
    import multiprocessing as mp

    import pytest

    from condense import condensation, parallel

    if parallel.available_jobs(0) < 2 or "fork" not in mp.get_all_start_methods():
        pytest.skip("one core, or no fork: the groundwork runs in this process")
    units = units_from(write, nlp_da)
    walk, bike, walk2 = [u.unit_id for u in units]
    codings = [Coding(walk, "tema", "motion", "gang"), Coding(bike, "tema", "motion"), Coding(walk2, "tema", "motion", "gang")]
    forks = []

    class Counted(parallel._Forked):
        def __init__(self, fn):
            forks.append(fn)
            super().__init__(fn)

    monkeypatch.setattr(parallel, "_Forked", Counted)
    beside = condense(units, codings, CODEBOOK).groups
    assert len(forks) == 1
    nothing_ahead = type("NothingAhead", (), {"result": lambda self: None})
    monkeypatch.setattr(condensation, "_beside", lambda job: nothing_ahead())
    here = condense(units, codings, CODEBOOK).groups
    assert len(forks) == 1 and [vars(g) for g in beside] == [vars(g) for g in here]
    assert any(g.golden_quote for g in here) and any(g.condensate for g in here)


@pytest.mark.parametrize("language,text,draft", [
    ("en", 'The lunch club came from two ladies who said, "there\'s nowhere to eat with anyone."',
     'The lunch club came from two ladies who said, "there\'s nowhere to eat with anyone."'),
    ("da", "Formanden sagde: »Nu gør vi det selv!«", "Formanden sagde: »Nu gør vi det selv!«"),
    ("da", "Hun spurgte: „Må vi dyrke den?“", "Hun spurgte: „Må vi dyrke den?“"),
    ("da", 'Hun sagde bare "nej"', 'Hun sagde bare "nej".'),
])
def test_a_draft_sentence_ending_inside_a_quotation_gets_no_second_full_stop(language, text, draft):
    """Since a closing mark stays with its sentence (segment), a sentence may end `…anyone."`: the English
    sample's drafts read `…anymore.".` (three of them) when the full stop was added after the mark."""
    assert clean_speech(text, language) == draft


def test_a_runner_up_repeats_no_quote_of_its_dimension(sample_run):
    """A theme row's golden quote came back as one of its sub-themes' runner-ups, and one runner-up stood on a theme
    and its sub-theme: the sample's report printed the same words twice under one theme 18 times. Across
    dimensions a unit may be quoted again (it is coded in both)."""
    import pandas as pd

    _, out = sample_run
    themes = pd.read_csv(out / "themes.csv", keep_default_na=False)
    for dimension, rows in themes.groupby("dimension"):
        shown = [u for u in list(rows["golden_unit_id"]) + list(rows["runner_up_unit_id"]) if u]
        assert len(shown) == len(set(shown)), dimension
    assert (themes["runner_up_quote"] != "").sum() >= 130  # (138 of the 166 quoted rows keep one)
