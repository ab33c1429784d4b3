"""Review decisions survive every re-run; the review sheet round trip; orphans are reported and kept."""
from __future__ import annotations

import pandas as pd
import pytest

from condense.errors import CondenseError, CondenseErrors
from condense.pipeline import ReviewSummary, run
from condense.project import load_project
from condense.review import (Decision, import_review_sheet, merge_decisions, read_decisions, review_sheet,
                             write_decisions, write_review_sheet)
from test_pipeline import interview, make_project


@pytest.fixture
def project(tmp_path):
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 4)}
    return make_project(tmp_path, texts, extra="decisions: decisions.csv\n")


def test_export_edit_import_run_applies_the_decisions(project, tmp_path):
    """A Danish study's sheet speaks Danish (headers, the drop-down's words, its sheets) and imports as filled."""
    proj = load_project(project)
    first = run(proj)
    sheet = review_sheet(first.segmentation.units, first.codings, first.codebook)
    path = write_review_sheet(sheet, first.codebook, tmp_path / "review.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["gennemgang"]
    validations = ws.data_validations.dataValidation
    assert any("lister!" in (dv.formula1 or "") for dv in validations) and len(validations) == 4
    assert [wb["lister"].cell(row=r, column=1).value for r in (1, 2, 3)] == ["beslutning", "godkend", "afvis"]
    assert wb["lister"].cell(row=2, column=2).value == "(ingen)"
    header = [c.value for c in ws[1]]
    assert header[:6] == ["enhed (id)", "fingeraftryk", "transskription", "tilfælde", "spørgsmål", "tekst"]
    assert "tema_forslag_2" in header and "tema_beslutning_2" in header and "fase_forslag_2" not in header
    assert not [h for h in header if any(w in h for w in ("suggested", "decision", "evidence", "_add", "coder"))]
    row_of = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    units = first.segmentation.units
    walk = [u for u in units if "Gåklubben" in u.text][0]
    plan = [u for u in units if "arbejdsgruppe" in u.text][0]
    ws.cell(row=row_of[walk.unit_id], column=header.index("tema_beslutning") + 1, value="afvis")
    ws.cell(row=row_of[walk.unit_id], column=header.index("tema_tilføj") + 1, value="mad")
    ws.cell(row=row_of[plan.unit_id], column=header.index("fase_tilføj") + 1, value="evaluering")
    ws.cell(row=row_of[plan.unit_id], column=header.index("koder") + 1, value="AB")
    wb.save(path)
    decisions = import_review_sheet(path, first.codebook)
    write_decisions(decisions, project.parent / "decisions.csv")
    second = run(proj)
    codings = second.tables["codings"]
    walk_rows = codings[(codings.unit_id == walk.unit_id) & (codings.dimension == "tema")]
    assert list(walk_rows.theme) == ["mad"] and list(walk_rows.source) == ["human"]
    plan_rows = codings[(codings.unit_id == plan.unit_id) & (codings.dimension == "fase")]
    assert list(zip(plan_rows.theme, plan_rows.source, plan_rows.coder)) == [("evaluering", "human", "AB")]
    assert second.review.applied == 3


def test_decisions_follow_their_text_when_a_paragraph_is_inserted(project):
    proj = load_project(project)
    first = run(proj)
    unit = [u for u in first.segmentation.units if "Gåklubben" in u.text and u.transcript == "int2"][0]
    write_decisions([Decision(2, "int2", unit.unit_id, unit.fingerprint, "tema", "mad", "", "add", "AB", "")],
                    project.parent / "decisions.csv")
    path = project.parent / "transcripts" / "int2_x.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("I: Hvordan planlagde", "I: Må jeg først høre, hvem du er?\n\nR: Jeg er projektleder "
                                 "og har været det i fire år i området.\n\nI: Hvordan planlagde", 1), encoding="utf-8")
    second = run(proj)
    moved = [u for u in second.segmentation.units if u.fingerprint == unit.fingerprint][0]
    assert moved.unit_id != unit.unit_id
    c = second.tables["codings"]
    rows = c[(c.unit_id == moved.unit_id) & (c.dimension == "tema")]
    # the added theme is there as a human coding; the rule's own suggestion, not rejected, stays beside it
    assert list(zip(rows.theme, rows.source)) == [("mad", "human"), ("gaaklub", "rule")]
    assert second.review == ReviewSummary(applied=1, orphaned=0, relocated=1, decisions=1)


def test_a_decision_whose_id_was_lost_is_put_on_no_other_interviews_same_words(project):
    """Census h11c: a spreadsheet that read the unit id as a date or time saved it back as one ("45291",
    "03:03:01"); the decision's fingerprint then found the same sentence in three interviews, and the decision
    went to the first in id order, int1's, silently. Text said in several interviews and in none of the
    decision's own (its transcript column, else its unit id) is no unit: the decision is an orphan, reported
    and kept; one whose id still names its interview finds its words there."""
    proj = load_project(project)
    first = run(proj)
    shared = [u for u in first.segmentation.units if "arbejdsgruppe" in u.text]
    assert len({u.fingerprint for u in shared}) == 1 and len(shared) == 3
    unit = [u for u in shared if u.transcript == "int3"][0]
    write_decisions([Decision(2, "", "45291", unit.fingerprint, "tema", "mad", "", "add", "AB", ""),
                     Decision(3, "", "int3:03:01", unit.fingerprint, "fase", "evaluering", "", "add", "AB", "")],
                    project.parent / "decisions.csv")
    second = run(proj)
    c = second.tables["codings"]
    human = c[c.source == "human"]
    assert list(zip(human.unit_id, human.theme)) == [(unit.unit_id, "evaluering")]
    assert second.review == ReviewSummary(applied=1, orphaned=1, relocated=1, decisions=2)


def test_decision_whose_unit_was_deleted_is_reported_and_kept(project, tmp_path):
    from condense.pipeline import write_results

    proj = load_project(project)
    first = run(proj)
    unit = [u for u in first.segmentation.units if "Gåklubben" in u.text and u.transcript == "int3"][0]
    decisions_path = project.parent / "decisions.csv"
    write_decisions([Decision(2, "int3", unit.unit_id, unit.fingerprint, "tema", "mad", "", "add", "AB", "vigtig")], decisions_path)
    before = decisions_path.read_bytes()
    path = project.parent / "transcripts" / "int3_x.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(unit.text, "Det husker jeg ikke så godt mere, desværre."),
                    encoding="utf-8")
    second = run(proj)
    out = write_results(second, tmp_path / "results")
    orphans = pd.read_csv(out / "orphaned_decisions.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(orphans.unit_id) == [unit.unit_id] and list(orphans.note) == ["vigtig"]
    assert [w.code for w in second.diagnostics if w.code == "W107"] == ["W107"]
    assert decisions_path.read_bytes() == before


def test_import_reports_every_bad_row(project, tmp_path):
    first = run(load_project(project))
    df = review_sheet(first.segmentation.units, first.codings, first.codebook)
    df.loc[0, "tema_add"] = "gaaklubb"
    df.loc[2, "fase_decision"] = "maybe"
    df.loc[3, "deltagelse_add"] = "beboer"
    path = tmp_path / "review.csv"
    write_review_sheet(df, first.codebook, path)
    with pytest.raises(CondenseErrors) as err:
        import_review_sheet(path, first.codebook)
    messages = [str(e) for e in err.value.errors]
    assert len(messages) == 2
    assert "row 2" in messages[0] and "gaaklubb" in messages[0] and "did you mean 'gaaklub'" in messages[0]
    assert "row 4" in messages[1] and "maybe" in messages[1]


def test_a_theme_written_by_its_label_is_read_and_one_in_the_wrong_column_is_pointed_to(project, tmp_path):
    """Researchers write a theme as the tables show it ("Gåklubben", "evaluering" in capitals) rather than its
    id; a label that names exactly one theme is that theme. A theme written in the decision column, or in
    another dimension's column, is refused with the column it belongs in."""
    first = run(load_project(project))
    df = review_sheet(first.segmentation.units, first.codings, first.codebook)
    df.loc[0, "tema_add"] = "gåklubben"
    df.loc[1, "fase_add"] = "EVALUERING"
    path = tmp_path / "review.csv"
    write_review_sheet(df, first.codebook, path)
    added = [(d.dimension, d.theme) for d in import_review_sheet(path, first.codebook) if d.action == "add"]
    assert added == [("tema", "gaaklub"), ("fase", "evaluering")]
    df.loc[2, "fase_decision"] = "Evaluering"
    df.loc[3, "tema_add"] = "Vi bestemte"
    write_review_sheet(df, first.codebook, path)
    with pytest.raises(CondenseErrors) as err:
        import_review_sheet(path, first.codebook)
    first_error, second_error = (str(e) for e in err.value.errors)
    assert "row 4, column fase_beslutning: invalid action 'Evaluering'" in first_error
    assert "write afvis in fase_beslutning and 'Evaluering' in fase_tilføj" in first_error
    assert "row 5" in second_error and "is professionel in dimension 'deltagelse'" in second_error


def test_merge_never_drops_existing_decisions():
    old = [Decision(2, "t", "u1", "f", "tema", "mad", "", "add", "AB", ""),
           Decision(3, "t", "u2", "f", "fase", "evaluering", "", "add", "AB", "")]
    new = [Decision(2, "t", "u1", "f", "tema", "mad", "", "reject", "AB", "changed my mind"),
           Decision(3, "t", "u3", "f", "fase", "", "", "add", "CD", "")]
    merged, added, replaced = merge_decisions(old, new)
    assert (added, replaced) == (1, 1)
    assert [(d.unit_id, d.action) for d in merged] == [("u1", "reject"), ("u2", "add"), ("u3", "add")]


def test_a_column_of_the_researchers_own_in_decisions_csv_survives_a_rewrite(tmp_path):
    """A "kommentar" column added to decisions.csv by hand was dropped when `review import` wrote the file again
    (with condense's nine columns); it is kept, after them, for old and replaced decisions alike."""
    from condense.review import write_decisions

    path = tmp_path / "decisions.csv"
    path.write_text("unit_id,dimension,theme,action,kommentar,coder\n"
                    "u1,tema,mad,add,vigtigt citat,AB\nu2,fase,evaluering,add,=1+1,AB\n", encoding="utf-8")
    old = read_decisions(path)
    assert [d.extra for d in old] == [{"kommentar": "vigtigt citat"}, {"kommentar": "=1+1"}]
    new = [Decision(2, "t", "u1", "", "tema", "mad", "", "reject", "AB", "changed my mind"),
           Decision(3, "t", "u3", "", "fase", "", "", "add", "CD", "")]
    write_decisions(merge_decisions(old, new)[0], path)
    again = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(again.columns)[-1] == "kommentar"
    assert again[["unit_id", "action", "kommentar"]].values.tolist() == [
        ["u1", "reject", "vigtigt citat"], ["u2", "add", "'=1+1"], ["u3", "add", ""]]
    assert [d.extra["kommentar"] for d in read_decisions(path)] == ["vigtigt citat", "=1+1", ""]  # escape read back


def test_reference_coding_reads_as_decisions(sample_units):
    from condense.codebook import load_codebook
    from conftest import CODEBOOK_DA, SAMPLE

    cb = load_codebook(CODEBOOK_DA)
    decisions = read_decisions(SAMPLE / "reference_coding.csv", cb)
    units = {u.unit_id: u for u in sample_units.units}
    transcripts = {d.transcript for d in decisions}
    assert len(transcripts) >= 6
    named = {d.unit_id for d in decisions}
    assert len(named) >= 300
    # every respondent unit of the covered interviews has a row in each of the three dimensions
    for u in sample_units.units:
        if u.transcript in transcripts:
            dims = {d.dimension for d in decisions if d.unit_id == u.unit_id}
            assert dims == {"fase", "deltagelse", "tema"}, u.unit_id
            assert units[u.unit_id].fingerprint == next(d.fingerprint for d in decisions if d.unit_id == u.unit_id)


def test_blind_sheet_shows_no_suggestion_and_imports_as_decisions(sample_units, tmp_path):
    from condense.codebook import load_codebook
    from condense.coding import Coder
    from condense.review import import_review_sheet, review_sheet, write_review_sheet
    from conftest import CODEBOOK_DA

    cb = load_codebook(CODEBOOK_DA)
    units = sample_units.units[:12]
    codings = Coder(cb)(units)
    assert codings  # there is something the blind sheet must hide
    df = review_sheet(units, codings, cb, blind=True)
    assert not [c for c in df.columns if "_suggested" in c or "_evidence" in c or "_decision" in c]
    assert {f"{d.id}_add" for d in cb.dimensions} <= set(df.columns)
    assert list(df.columns[:6]) == ["unit_id", "fingerprint", "transcript", "cases", "question", "text"]
    df.loc[0, "fase_add"] = "evaluering"
    df.loc[1, "fase_add"] = "none"
    path = write_review_sheet(df, cb, tmp_path / "blind.xlsx")
    decisions = import_review_sheet(path, cb)
    assert [(d.unit_id, d.theme) for d in decisions] == [(units[0].unit_id, "evaluering"), (units[1].unit_id, "")]


def test_uncertainty_order_puts_the_least_sure_first(sample_units):
    from condense.codebook import load_codebook
    from condense.review import review_sheet
    from conftest import CODEBOOK_DA

    cb = load_codebook(CODEBOOK_DA)
    units = sample_units.units[:20]
    unsure = {u.unit_id: (i * 7 % 20) / 20 for i, u in enumerate(units)}
    df = review_sheet(units, [], cb, uncertainty=unsure)
    assert list(df["uncertainty"]) == sorted(df["uncertainty"], reverse=True)
    assert df["unit_id"].iloc[0] == max(unsure, key=unsure.get)


def test_two_coders_decisions_both_reach_codings_csv_and_agree_compares_the_coders(project, tmp_path):
    from typer.testing import CliRunner

    from condense.cli import app
    from condense.pipeline import load_units

    _, seg = load_units(load_project(project))
    walk, plan = (next(u for u in seg.units if word in u.text and u.transcript == "int1")
                  for word in ("Gåklubben", "arbejdsgruppe"))
    rows = [(walk, "fase", "evaluering", "AB"), (walk, "fase", "evaluering", "CD"),  # the same code from two coders
            (plan, "fase", "planlaegning", "AB"), (plan, "fase", "evaluering", "CD")]
    write_decisions([Decision(i + 2, u.transcript, u.unit_id, u.fingerprint, dim, theme, "", "add", coder, "")
                     for i, (u, dim, theme, coder) in enumerate(rows)], project.parent / "decisions.csv")
    runner = CliRunner()
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 0 and "4 decision(s) read, 4 applied." in res.output, res.output
    codings = pd.read_csv(out / "codings.csv", encoding="utf-8-sig", keep_default_na=False)
    human = codings[codings.source == "human"]
    assert sorted(zip(human.unit_id, human.theme, human.coder)) == sorted(
        [(walk.unit_id, "evaluering", "AB"), (walk.unit_id, "evaluering", "CD"),
         (plan.unit_id, "planlaegning", "AB"), (plan.unit_id, "evaluering", "CD")])
    agreed = runner.invoke(app, ["agree", str(out / "codings.csv"), "--coder", "AB", "--coder", "CD",
                                 "--out", str(tmp_path / "agr")])
    assert agreed.exit_code == 0, agreed.output
    table = pd.read_csv(tmp_path / "agr" / "agreement.csv", encoding="utf-8-sig", keep_default_na=False)
    fase = table[(table.dimension == "fase") & (table.theme == "") & (table.scope == "uncoded_as_none")].iloc[0]
    assert (fase.n_units, fase.percent_agreement) == (2, 0.5)  # they agree on the walking club, not on the plan


def test_decision_written_with_a_decomposed_id_reaches_its_unit(tmp_path):
    # An id typed or saved in another Unicode form ("å" as "a" + ring, as macOS writes file names) is the same
    # id: the decision must apply to its unit by id, not fall to the fingerprint or be orphaned.
    import unicodedata

    nfd = unicodedata.normalize("NFD", "kastanjegården:0003:1")
    path = tmp_path / "decisions.csv"
    path.write_text(f"transcript,unit_id,fingerprint,dimension,theme,action\n{unicodedata.normalize('NFD', 'kastanjegården')},"
                    f"{nfd},,tema,mad,add\n", encoding="utf-8")
    d = read_decisions(path)[0]
    assert d.unit_id == unicodedata.normalize("NFC", "kastanjegården:0003:1") and d.transcript == "kastanjegården"


def test_a_fingerprint_a_spreadsheet_turned_into_a_number_is_named(project, tmp_path):
    """Opened and saved in a spreadsheet program, decisions.csv's all-digit fingerprints (about one in 1,800)
    become numbers ("1.23457E+15"); such a decision matched no unit and was orphaned, or applied by its id to
    whatever text the id points at after an edit. It is refused with its line; upper-case hex is read."""
    first = run(load_project(project))
    unit = first.segmentation.units[0]
    path = project.parent / "decisions.csv"
    header = "transcript,unit_id,fingerprint,dimension,theme,subtheme,action,coder,note\n"
    path.write_text(header + f"{unit.transcript},{unit.unit_id},1.23457E+15,tema,mad,,add,AB,\n", encoding="utf-8")
    with pytest.raises(CondenseErrors) as err:
        read_decisions(path, first.codebook)
    (only,) = err.value.errors
    assert only.code == "E516" and "line 2" in str(only) and "'1.23457E+15'" in str(only) and unit.unit_id in str(only)
    path.write_text(header + f"{unit.transcript},{unit.unit_id},{unit.fingerprint.upper()},tema,mad,,add,AB,\n",
                    encoding="utf-8")
    (decision,) = read_decisions(path, first.codebook)
    assert decision.fingerprint == unit.fingerprint
    assert run(load_project(project)).review.applied == 1


def _sheet_with_a_row_twice(project, tmp_path, second_decision: str):
    """A review sheet whose first suggested row is pasted once more at the end, decided 'accept' and then
    ``second_decision``."""
    first = run(load_project(project))
    df = review_sheet(first.segmentation.units, first.codings, first.codebook)
    dim = next(d.id for d in first.codebook.dimensions if df[f"{d.id}_suggested"].astype(bool).any())
    i = df.index[df[f"{dim}_suggested"].astype(bool)][0]
    df.loc[i, f"{dim}_decision"] = "accept"
    again = df.loc[[i]].copy()
    again[f"{dim}_decision"] = second_decision
    df = pd.concat([df, again], ignore_index=True)
    path = tmp_path / "review.csv"
    write_review_sheet(df, first.codebook, path)
    return path, first.codebook, df.loc[i, "unit_id"], i + 2, len(df) + 1


def test_a_unit_accepted_on_one_row_and_rejected_on_another_is_refused(project, tmp_path):
    """A unit's row pasted twice and decided two ways: the later row replaced the earlier without a word
    (counted as a decision updated). Which one the researcher meant cannot be guessed."""
    path, codebook, unit_id, line, again = _sheet_with_a_row_twice(project, tmp_path, "reject")
    with pytest.raises(CondenseErrors) as err:
        import_review_sheet(path, codebook)
    (message,) = [str(e) for e in err.value.errors]
    assert message.startswith("[E403] ") and f"review.csv, line {again}: unit {unit_id} " in message
    assert f"'accept' in line {line}, 'reject' here" in message


def test_a_row_pasted_twice_with_the_same_decision_is_one_decision(project, tmp_path):
    """The same decision twice is one decision: imported twice, it was reported as one added and one updated."""
    path, codebook, unit_id, _, _ = _sheet_with_a_row_twice(project, tmp_path, "accept")
    decisions = import_review_sheet(path, codebook)
    assert [d.action for d in decisions if d.unit_id == unit_id] == ["accept"]


def test_a_decisions_file_excel_saved_as_windows_1252_is_read_with_the_warning_other_files_get(tmp_path):
    """Census h11c: a decisions.csv saved by Danish Excel in Windows-1252 was decoded right but without W101,
    which cases.csv and every other file read in a guessed encoding give: read_decisions read its table with
    no diagnostics to warn in."""
    project = make_project(tmp_path, {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 4)})
    (project.parent / "decisions.csv").write_bytes(
        "unit_id;dimension;action;theme;subtheme;note;coder\n"
        "int1:0003:1;fase;add;evaluering;;Gåturen i Ærøskøbing tæller;søren\n".encode("cp1252"))
    result = run(load_project(project))
    w101 = [w for w in result.diagnostics.warnings if w.code == "W101"]
    assert len(w101) == 1 and "decisions.csv" in w101[0].message, [w.message for w in result.diagnostics.warnings]
    codings = result.tables["codings"]
    human = codings[codings.coder == "søren"]
    assert len(human) == 1 and "Gåturen i Ærøskøbing tæller" in human.evidence.iloc[0], codings.to_string()


def test_results_made_with_decisions_replaced_by_a_run_without_them_are_warned_of(project, tmp_path):
    """decisions.csv moved or renamed (or named wrong in condense.yaml) reads as "no decisions yet": the next run
    replaced results holding the researcher's decisions with results holding none, without a word (W401)."""
    from condense import verbs
    from condense.pipeline import load_units

    proj = load_project(project)
    _, seg = load_units(proj)  # the run's first two steps: its units, ids and fingerprints (a whole run found one)
    unit = [u for u in seg.units if "Gåklubben" in u.text and u.transcript == "int2"][0]
    write_decisions([Decision(2, "int2", unit.unit_id, unit.fingerprint, "tema", "mad", "", "add", "AB", "")],
                    project.parent / "decisions.csv")
    out = tmp_path / "res"
    assert not [w for w in verbs.run(proj, out=out).diagnostics if w.code == "W401"]
    (project.parent / "decisions.csv").rename(project.parent / "decisions_old.csv")
    lost = [w for w in verbs.run(proj, out=out).diagnostics if w.code == "W401"]
    assert len(lost) == 1 and "1 review decision(s)" in lost[0].message and "does not exist" in lost[0].message
    assert not [w for w in verbs.run(proj, out=out).diagnostics if w.code == "W401"]  # said once: now none had any


def test_a_reference_coding_named_but_missing_is_warned_of(tmp_path):
    """`reference:` names a file that is not there: the run left agreement.csv and the report's agreement section
    out, without a word (W402)."""
    from condense import verbs

    texts = {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 3)}
    proj = load_project(make_project(tmp_path, texts, extra="reference: colleague.csv\n"))
    said = [w for w in verbs.run(proj, out=tmp_path / "res").diagnostics if w.code == "W402"]
    assert len(said) == 1 and "colleague.csv" in said[0].message


# ---------------------------------------------------------------- the sheet in the study's language
def _coded(sample_units, language: str, n: int = 40):
    """A codebook in ``language`` (the Danish study's, same ids), the sample's first units and its review sheet."""
    import dataclasses

    from condense.codebook import load_codebook
    from condense.coding import Coder
    from conftest import CODEBOOK_DA

    cb = dataclasses.replace(load_codebook(CODEBOOK_DA), language=language)
    units = sample_units.units[:n]
    return cb, units, review_sheet(units, Coder(cb)(units), cb)


def _suggested(df, dimension: str = "fase") -> list[int]:
    return [i for i in df.index if df.loc[i, f"{dimension}_suggested"]]


@pytest.mark.parametrize("language, words, headers", [
    ("da", ("godkend", "afvis", "(ingen)"), ("gennemgang", "enhed (id)", "fase_beslutning", "fase_tilføj", "koder")),
    ("en", ("accept", "reject", "(none)"), ("review", "unit_id", "fase_decision", "fase_add", "coder")),
])
def test_a_sheet_round_trips_in_its_studys_language(sample_units, tmp_path, language, words, headers):
    """The sheet of a Danish study was in English (headers, accept/reject, "(ingen)" beside English words); it is
    in the codebook's language, and what a reviewer writes there from its own lists comes back as decisions."""
    import openpyxl

    cb, units, df = _coded(sample_units, language)
    path = write_review_sheet(df, cb, tmp_path / "review.xlsx")
    wb = openpyxl.load_workbook(path)
    title, unit_id, decision, add, coder = headers
    ws = wb[title]
    header = [c.value for c in ws[1]]
    assert {unit_id, decision, add, coder} <= set(header)
    evidence = header.index(decision.replace("beslutning", "belæg").replace("decision", "evidence")) + 1
    said = [v for r in range(2, ws.max_row + 1) if (v := ws.cell(r, evidence).value)]
    assert any(v.startswith("enhed: " if language == "da" else "unit: ") for v in said)
    assert language == "en" or not [v for v in said if "unit: " in v or "(turn " in v or "question: " in v]
    lists = wb.worksheets[1]
    assert [lists.cell(row=r, column=1).value for r in (2, 3)] == list(words[:2]) and lists.cell(2, 2).value == words[2]
    first, second = _suggested(df)[:2]
    ws.cell(first + 2, header.index(decision) + 1).value = words[0]
    ws.cell(second + 2, header.index(decision) + 1).value = words[1]
    ws.cell(second + 2, header.index(add) + 1).value = "evaluering"
    ws.cell(4, header.index(add.replace("fase", "tema")) + 1).value = words[2]
    for row in (first, second):
        ws.cell(row + 2, header.index(coder) + 1).value = "AB"
    wb.save(path)
    got = {(d.unit_id, d.dimension, d.theme, d.action, d.coder) for d in import_review_sheet(path, cb)}
    fase = lambda i: df.loc[i, "fase_suggested"].partition("/")[0]  # noqa: E731
    assert got == {(units[first].unit_id, "fase", fase(first), "accept", "AB"),
                   (units[2].unit_id, "tema", "", "add", ""),
                   (units[second].unit_id, "fase", fase(second), "reject", "AB"),
                   (units[second].unit_id, "fase", "evaluering", "add", "AB")}


def test_decision_words_as_a_reviewer_types_them_and_an_unknown_one_is_refused(sample_units, tmp_path):
    """Excel keeps what was typed: "Godkendt ", "GODKEND", "ja". Either language's words, their past participles
    and yes/no are read whatever the sheet's language, case and spaces forgiven; any other word is E505 naming
    the sheet, the row, the column and the words read, never a decision dropped."""
    cb, units, df = _coded(sample_units, "da")
    typed = {"Godkendt ": "accept", "GODKEND": "accept", " ja": "accept", "Accepted": "accept", "yes": "accept",
             "afvist": "reject", "AFVIS ": "reject", "Nej": "reject", "reject": "reject", "No": "reject"}
    rows = _suggested(df)[:len(typed)]
    assert len(rows) == len(typed)
    for row, word in zip(rows, typed):
        df.loc[row, "fase_decision"] = word
    path = write_review_sheet(df, cb, tmp_path / "review.csv")
    got = {d.unit_id: d.action for d in import_review_sheet(path, cb)}
    assert got == {units[row].unit_id: action for row, action in zip(rows, typed.values())}
    df.loc[rows[0], "fase_decision"] = "x"
    write_review_sheet(df, cb, path)
    with pytest.raises(CondenseErrors) as err:
        import_review_sheet(path, cb)
    (message,) = (str(e) for e in err.value.errors)
    assert f"{path}, row {rows[0] + 2}, column fase_beslutning: invalid action 'x'" in message
    assert "accept: accept, accepted, godkend, godkendt, ja, yes" in message and "afvis, afvist, nej" in message


def test_a_sheet_in_english_or_with_headers_typed_over_imports_into_a_danish_study(sample_units, tmp_path):
    """A sheet exported before the sheet spoke Danish (English headers), filled in English, imports into the Danish
    study; so does one whose headers a reviewer retyped ("ENHED (ID)", " Fase_Beslutning "). A column named in
    both languages is refused: one of the two would be read and the other's decisions lost."""
    cb, units, df = _coded(sample_units, "da")
    row = _suggested(df)[0]
    df.loc[row, "fase_decision"] = "accept"
    old = tmp_path / "old.csv"
    df.to_csv(old, index=False)  # the machine keys are the headers earlier versions wrote
    expected = [(units[row].unit_id, "fase", df.loc[row, "fase_suggested"].partition("/")[0], "accept")]
    assert [(d.unit_id, d.dimension, d.theme, d.action) for d in import_review_sheet(old, cb)] == expected
    retyped = tmp_path / "retyped.csv"
    df.rename(columns={"unit_id": "ENHED (ID)", "fase_decision": " Fase_Beslutning ", "fase_suggested": "fase forslag"}
              ).to_csv(retyped, index=False)
    assert [(d.unit_id, d.dimension, d.theme, d.action) for d in import_review_sheet(retyped, cb)] == expected
    both = tmp_path / "both.csv"
    df.assign(fase_beslutning="").to_csv(both, index=False)
    with pytest.raises(CondenseError) as err:
        import_review_sheet(both, cb)
    assert "the columns 'fase_decision' and 'fase_beslutning' both name fase_decision" in str(err.value)


def test_the_sheet_names_each_suggestion_beside_its_id_and_an_edited_name_changes_no_decision(sample_units, tmp_path):
    """review.xlsx showed theme ids only ("professionelt_faelles"): a reviewer needs the theme's name. Each
    suggestion has its name beside it (fase_navn in a Danish study's sheet); the import reads the ids as before, so
    a name the reviewer overwrote or cleared, and a sheet of an older version with no names, give the same decisions."""
    import openpyxl

    cb, units, df = _coded(sample_units, "da")
    path = write_review_sheet(df, cb, tmp_path / "review.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["gennemgang"]
    header = [c.value for c in ws[1]]
    assert header.index("fase_navn") == header.index("fase_forslag") + 1
    assert header.index("tema_navn_2") == header.index("tema_forslag_2") + 1
    names = {t.id: t.label for t in cb.dimension("fase").themes}
    col = lambda name: header.index(name) + 1  # noqa: E731
    rows = _suggested(df)[:3]
    for i in rows:
        suggested = ws.cell(i + 2, col("fase_forslag")).value
        theme, _, sub = suggested.partition("/")
        shown = ws.cell(i + 2, col("fase_navn")).value
        assert shown == names[theme] if not sub else shown.startswith(names[theme] + " / ") and len(shown) > len(names[theme]) + 3
    ws.cell(rows[0] + 2, col("fase_beslutning")).value = "godkend"
    ws.cell(rows[1] + 2, col("fase_beslutning")).value = "afvis"
    ws.cell(rows[2] + 2, col("fase_tilføj")).value = "evaluering"
    ws.cell(rows[0] + 2, col("fase_navn")).value = "Noget helt andet"  # the reviewer's edits of the names
    ws.cell(rows[1] + 2, col("fase_navn")).value = None
    wb.save(path)
    got = sorted((d.unit_id, d.dimension, d.theme, d.action) for d in import_review_sheet(path, cb))
    assert got == sorted([(units[rows[0]].unit_id, "fase", df.loc[rows[0], "fase_suggested"].partition("/")[0], "accept"),
                          (units[rows[1]].unit_id, "fase", df.loc[rows[1], "fase_suggested"].partition("/")[0], "reject"),
                          (units[rows[2]].unit_id, "fase", "evaluering", "add")])
    older = df.drop(columns=[c for c in df.columns if "_label" in c])  # as the sheet was exported before
    older.loc[rows[0], "fase_decision"], older.loc[rows[1], "fase_decision"] = "godkend", "afvis"
    older.loc[rows[2], "fase_add"] = "evaluering"
    for suffix in (".xlsx", ".csv"):
        before = write_review_sheet(older, cb, tmp_path / f"older{suffix}")
        assert sorted((d.unit_id, d.dimension, d.theme, d.action) for d in import_review_sheet(before, cb)) == got


def test_a_review_row_naming_a_transcript_whose_id_begins_the_units_is_refused(tmp_path):
    """A transcript id may hold a colon ("kl_10:30"): a row whose transcript column says "kl_10" was taken to own
    unit "kl_10:30:0004:1" (its id began with "kl_10:"), and its decisions were imported under a transcript that
    is not the unit's. The unit's transcript is read from the id (model.parse_unit_id) and compared whole."""
    from condense.codebook import load_codebook
    from condense.project import default_codebook

    path = tmp_path / "review.csv"
    path.write_text("unit_id,transcript,tema_add\nkl_10:30:0004:1,kl_10:30,maalgrupper\n"
                    "kl_10:30:0004:1,kl_10,maalgrupper\n", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        import_review_sheet(path, load_codebook(default_codebook("da")))
    assert err.value.code == "E701" and err.value.kwargs["row"] == 3, str(err.value)
    assert "does not belong to transcript 'kl_10'" in str(err.value)


def test_a_total_row_below_the_decisions_is_named_for_what_it_is(tmp_path):
    """A researcher who summed a column in a spreadsheet left "I alt" below the decisions: it was E502 "unknown
    dimension ''", a message about dimensions for a row that names none. It is E519, naming the row and its
    filled-in columns (not their values: a note may quote anyone); the decisions above it are read once it goes."""
    from condense.codebook import load_codebook
    from conftest import CODEBOOK_DA

    codebook = load_codebook(CODEBOOK_DA)
    head = "transcript,unit_id,fingerprint,dimension,theme,subtheme,action,coder,note\n"
    rows = "a,a:0001:1,,fase,planlaegning,,add,MK,\na,a:0002:1,,fase,evaluering,,add,MK,\n"
    path = tmp_path / "decisions.csv"
    path.write_text(head + rows + "I alt,,,,,,,,2 beslutninger fra Gurli\n", encoding="utf-8")
    with pytest.raises(CondenseErrors) as err:
        read_decisions(path, codebook)
    (only,) = err.value.errors
    assert only.code == "E519" and "row 4" in str(only) and "transcript, note" in str(only)
    assert "Gurli" not in str(only)
    path.write_text(head + rows, encoding="utf-8")
    assert [d.theme for d in read_decisions(path, codebook)] == ["planlaegning", "evaluering"]
