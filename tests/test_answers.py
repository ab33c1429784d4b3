"""Open-ended answers in a table (ingest/answers.py): each respondent read as an interview, run end to end."""
from __future__ import annotations

import csv
import re

import pytest
from typer.testing import CliRunner

from conftest import SHARED
from condense.cli import app
from condense.errors import CondenseError
from condense.ingest import ingest
from condense.project import resolve_project

runner = CliRunner()
SHUFFLE = SHARED / "data" / "shuffle_music" / "shuffle_music_unlabeled.csv"


def _table(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


LONG = [
    ["respondent", "spørgsmål", "svar", "alder"],
    ["r1", "Hvad fik du ud af gåklubben?", "Jeg kom ud at gå hver uge, og jeg fik nye venner i blokken.", "67"],
    ["r1", "Hvad fik du ud af gåklubben?", "Og jeg sover bedre om natten efter turene.", "67"],
    ["r1", "Hvad kunne være bedre?", "Det kunne være rart med flere bænke på ruten rundt om søen.", "67"],
    ["r2", "Hvad fik du ud af gåklubben?", "Ikke så meget, jeg var kun med to gange i foråret.", "34"],
    ["r2", "Hvad kunne være bedre?", "", "34"],
]


def test_a_long_table_gives_one_interview_per_respondent_with_its_questions(tmp_path):
    corpus = ingest([_table(tmp_path / "svar.csv", LONG)])
    assert [t.id for t in corpus.transcripts] == ["r1", "r2"]
    r1 = corpus.transcripts[0]
    # the question is asked once before the answers that reply to it; the empty answer of r2 is no turn
    assert [(t.role, t.text[:20]) for t in r1.turns] == [
        ("interviewer", "Hvad fik du ud af gå"), ("respondent", "Jeg kom ud at gå hve"),
        ("respondent", "Og jeg sover bedre o"), ("interviewer", "Hvad kunne være bedr"),
        ("respondent", "Det kunne være rart ")]
    assert [t.line for t in r1.turns] == [2, 2, 3, 4, 4]  # the table's own lines
    for turn in r1.turns:  # every turn maps back into the transcript's text
        assert r1.text[turn.start:turn.end] == turn.text
    assert len(corpus.transcripts[1].turns) == 2
    # the age column is an attribute of the respondent (a number, not a 0/1 code)
    assert corpus.cases["r1"].attributes == {"alder": "67"} and r1.cases == ["r1"]


def test_a_wide_survey_export_reads_each_free_text_column_as_a_question(tmp_path):
    path = _table(tmp_path / "survey.csv", [
        ["ID", "Kommune", "Hvad betyder fællesskabet i boligafdelingen for dig?", "Hvad vil du ændre i området?"],
        ["1", "Aarhus", "Det betyder at jeg kender mine naboer og kan låne en stige.", "Bedre belysning ved stierne om aftenen."],
        ["2", "Odense", "Ikke ret meget, jeg kender næsten ingen i min opgang.", ""],
    ])
    corpus = ingest([path])
    first = corpus.transcripts[0]
    assert first.turns[0].text == "Hvad betyder fællesskabet i boligafdelingen for dig?" and first.turns[0].role == "interviewer"
    assert [t.role for t in first.turns] == ["interviewer", "respondent", "interviewer", "respondent"]
    assert {c: k.attributes for c, k in corpus.cases.items()} == {"1": {"Kommune": "Aarhus"}, "2": {"Kommune": "Odense"}}


def test_run_on_a_table_of_answers_writes_every_table_with_the_questions_and_a_crosstab(tmp_path):
    rows = [["deltager", "kommune", "svar"]]
    answers = ["Vi holder fællesspisning hver fredag i festsalen, og mange kommer med børnene.",
               "Jeg går med i gåklubben om torsdagen, det er godt for helbredet og humøret.",
               "Beboerne bestemte selv hvilke aktiviteter der skulle være i helhedsplanen."]
    for i in range(1, 7):
        rows.append([f"p{i}", "Aarhus" if i % 2 else "Odense", answers[i % 3]])
    table = _table(tmp_path / "svar.csv", rows)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(table), "--out", str(out)])
    assert result.exit_code == 0, result.output
    units = (out / "units.csv").read_text(encoding="utf-8-sig")
    assert "fællesspisning" in units and "p6" in units
    assert (out / "crosstab_kommune.csv").exists()  # the respondents' attribute compares them
    assert (out / "results.xlsx").exists() and (out / "report.md").exists()


def test_a_coded_grid_is_still_refused_by_run_and_sent_to_tables(tmp_path):
    table = _table(tmp_path / "coded.csv", [["id", "text", "Positive", "Negative"],
                                            ["1", "I love this song a lot, it is great.", "1", "0"],
                                            ["2", "It bores me after a while, to be honest.", "0", "1"]])
    with pytest.raises(CondenseError) as refused:
        resolve_project(table)
    assert refused.value.code == "E401" and "condense tables" in str(refused.value)


def test_a_grid_whose_code_columns_hold_the_coded_passages_is_coded_data_not_answers(tmp_path):
    """shuffle_music's WIDE file holds, under each code, the passage of the answer coded: `condense run` read it
    as 397 respondents with 74 attributes and wrote 74 crosstabs. Passages of the answer are code columns; an
    attribute (a town, an age group) is not a passage of what was written, and a table of those still runs."""
    answers = ["I love this song a lot, it reminds me of summer with my friends.",
               "It bores me after a while, to be honest, the chorus is far too long.",
               "My dad played it in the car when I was small, so it feels like home.",
               "Great beat for running, I put it on when I need to push up the hill."]
    grid = [["Participant Number", "Full Text", "Nostalgia", "Negative"]]
    grid += [[str(i), a, a.split(",")[0] if i != 1 else "", "the chorus is far too long" if i == 1 else ""]
             for i, a in enumerate(answers)]
    with pytest.raises(CondenseError) as refused:
        resolve_project(_table(tmp_path / "wide.csv", grid))
    assert refused.value.code == "E401" and "condense tables" in str(refused.value)
    towns = [["respondent", "svar", "by"]] + [[str(i), a, t] for i, (a, t) in enumerate(zip(answers, [
        "Aarhus Midtby Vest", "Odense Sydøstlige", "Aalborg Nordkvarter", "Esbjerg Strandby"]))]
    assert resolve_project(_table(tmp_path / "svar.csv", towns)).language == "en"


def test_a_table_without_answers_is_a_coded_error(tmp_path):
    from condense.ingest.answers import read_answers

    table = _table(tmp_path / "ages.csv", [["respondent", "age"], ["r1", "67"], ["r2", "34"]])
    with pytest.raises(CondenseError) as refused:
        read_answers(table)
    assert refused.value.code == "E116" and "ages.csv" in str(refused.value)
    result = runner.invoke(app, ["run", str(table), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output and not (tmp_path / "out").exists()


@pytest.mark.skipif(not SHUFFLE.exists(), reason="../shared/data/shuffle_music absent")
def test_the_shuffle_survey_answers_run_as_397_english_respondents(tmp_path):
    project = resolve_project(SHUFFLE)
    assert project.language == "en" and project.codebook.name == "beboerinddragelse.en.yaml"
    corpus = ingest(project.transcripts, language=project.language)
    assert len(corpus.transcripts) == 397
    answers = [t for tr in corpus.transcripts for t in tr.turns if t.role == "respondent"]
    assert len(answers) == 784  # one per row of the file (two tracks each for most): none lost, none joined
    assert not any(t.role == "interviewer" for tr in corpus.transcripts for t in tr.turns)  # no question column


def test_an_answer_a_spreadsheet_took_for_a_formula_is_read_with_a_warning(tmp_path):
    import openpyxl

    from condense.errors import Diagnostics

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Respondent ID", "Hvad synes du om området?"])
    sheet.append([1, "Der er for meget larm om natten fra parkeringspladsen."])
    sheet.append([2, '=HYPERLINK("http://x","klik") her er fint nok, synes jeg.'])  # no saved value
    book.save(tmp_path / "svar.xlsx")
    diagnostics = Diagnostics()
    corpus = ingest([tmp_path / "svar.xlsx"], diagnostics=diagnostics)
    assert [t.id for t in corpus.transcripts] == ["1", "2"]  # read as empty, respondent 2 was lost unsaid
    assert corpus.transcripts[1].turns[1].text.startswith('=HYPERLINK("http://x","klik") her')
    warned = [w.message for w in diagnostics if w.code == "W112"]
    assert len(warned) == 1 and warned[0].endswith("svar.xlsx, row 3: a formula cell with no saved value was read as "
                                                   "the formula's text")


def test_two_named_answer_columns_are_both_read_each_under_its_header(tmp_path):
    corpus = ingest([_table(tmp_path / "svar.csv", [
        ["respondent", "svar", "kommentar"],
        ["r1", "Vi mødes i fælleshuset hver tirsdag til kaffe og kage.", "Det kunne godt være oftere, synes jeg."],
    ])])
    assert [(t.role, t.text) for t in corpus.transcripts[0].turns] == [
        ("interviewer", "svar"), ("respondent", "Vi mødes i fælleshuset hver tirsdag til kaffe og kage."),
        ("interviewer", "kommentar"), ("respondent", "Det kunne godt være oftere, synes jeg.")]
    one = ingest([_table(tmp_path / "one.csv", [["svar"], ["Vi mødes i fælleshuset hver tirsdag til kaffe."]])])
    assert [t.role for t in one.transcripts[0].turns] == ["respondent"]  # a lone answer column asks nothing


def test_a_respondent_whose_every_answer_was_withdrawn_is_counted_and_nowhere_shown(tmp_path):
    import json

    table = _table(tmp_path / "svar.csv", [
        ["respondent", "svar"],
        ["r1", "Vi mødes i fælleshuset hver tirsdag til kaffe og kage med naboerne."],
        ["r2", "[[withdrawn]]Zqvorm fortalte om sin nabo og hendes sygdom.[[/withdrawn]]"],
        ["r3", "Jeg går i gåklubben om torsdagen, det er godt for helbredet."],
    ])
    corpus = ingest([table])
    assert [t.id for t in corpus.transcripts] == ["r1", "r3"] and corpus.n_withdrawn == 1
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(table), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 withdrawn passage(s) left out" in result.output
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]["withdrawn_passages"] == 1
    assert "1 tilbagetrukket passage udeladt" in (out / "report.md").read_text(encoding="utf-8")
    for path in out.rglob("*"):
        if path.is_file() and path.suffix != ".xlsx":
            assert b"zqvorm" not in path.read_bytes().lower()


def test_condense_code_reads_a_survey_table_by_the_names_its_columns_go_by(tmp_path):
    from condense.ingest.excerpts import read_excerpts

    table = _table(tmp_path / "svar.csv", [["deltager", "spørgsmål", "svar"],
                                           ["d1", "Hvad laver I?", "Vi holder fællesspisning hver fredag."]])
    unit, = read_excerpts(table)
    assert (unit.transcript, unit.question, unit.text) == ("d1", "Hvad laver I?", "Vi holder fællesspisning hver fredag.")
    if SHUFFLE.exists():  # was E301 (no `text` column) for full_response_text
        units = read_excerpts(SHUFFLE, language="en")
        assert len(units) == 784 and units[0].transcript == "1"


def test_attribute_headers_that_look_like_paths_name_files_inside_the_output_only(tmp_path):
    from condense.tables import crosstab_names

    assert crosstab_names(["../../evil", "a/b", "a\\b", "Køn", "=1+1", "x" * 300]) == {
        "../../evil": "crosstab__.._evil", "a/b": "crosstab_a_b", "a\\b": "crosstab_a_b_2", "Køn": "crosstab_Køn",
        "=1+1": "crosstab_=1+1", "x" * 300: "crosstab_" + "x" * 80}
    work = tmp_path / "work"
    work.mkdir()
    table = _table(work / "svar.csv", [["respondent", "../../evil", "a/b", "svar"],
                                       ["r1", "1", "2", "Vi holder fællesspisning hver fredag i festsalen."],
                                       ["r2", "3", "4", "Jeg går med i gåklubben om torsdagen."]])
    result = runner.invoke(app, ["run", str(table), "--out", str(work / "out")])
    assert result.exit_code == 0, result.output  # was E402: "crosstab_../../evil.csv" cannot be written
    assert {p.name for p in (work / "out").glob("crosstab_*")} == {"crosstab__.._evil.csv", "crosstab_a_b.csv"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert sorted(p.name for p in work.iterdir()) == ["out", "svar.csv"]


def test_answers_on_a_workbook_s_other_sheets_are_not_lost_without_a_word(tmp_path):
    """The first sheet is read; a sheet after it holding rows (a second round of answers, a group put on a sheet
    of its own) is named with its count of rows (W113), and an empty sheet is not."""
    import openpyxl

    from condense.errors import Diagnostics

    book = openpyxl.Workbook()
    book.active.title = "Runde 1"
    book.active.append(["Respondent ID", "Hvad synes du om området?"])
    book.active.append([1, "Der er for meget larm om natten fra parkeringspladsen."])
    second = book.create_sheet("Runde 2")
    second.append(["Respondent ID", "Hvad synes du om området?"])
    second.append([7, "Legepladsen er blevet meget bedre, børnene er der hver dag."])
    book.create_sheet("Tom")
    book.save(tmp_path / "svar.xlsx")
    diagnostics = Diagnostics()
    corpus = ingest([tmp_path / "svar.xlsx"], diagnostics=diagnostics)
    assert [t.id for t in corpus.transcripts] == ["1"]
    warned = [w.message for w in diagnostics if w.code == "W113"]
    assert len(warned) == 1 and warned[0].endswith(
        "svar.xlsx: only the first sheet ('Runde 1') was read; 'Runde 2' (2 rows) hold rows that were not read")


def test_text_in_a_column_without_a_header_is_named_not_lost_unseen(tmp_path):
    """An answer written with an unquoted comma is cut in two cells; the second had no header and was dropped
    without a word. W114 gives the line and the column (not the text: it may hold half a withdrawn passage)."""
    from condense.errors import Diagnostics

    path = tmp_path / "svar.csv"
    path.write_text("respondent,svar\nr1,Vi mødes i fælleshuset hver tirsdag, og så drikker vi kaffe sammen.\n"
                    "r2,Jeg går i gåklubben om torsdagen og det er godt for helbredet.\n", encoding="utf-8")
    diagnostics = Diagnostics()
    corpus = ingest([path], diagnostics=diagnostics)
    assert [t.id for t in corpus.transcripts] == ["r1", "r2"]
    warned = [w.message for w in diagnostics if w.code == "W114"]
    assert len(warned) == 1 and "svar.csv, line 2: 1 row(s)" in warned[0] and "column 3" in warned[0]
    assert "kaffe" not in warned[0]


def _surveymonkey(n: int):
    """A SurveyMonkey-style export: respondent, collector and dates, the respondent's IP, e-mail and name, a
    custom group, two open questions, and the second header row SurveyMonkey writes under them."""
    questions = ["Hvad betyder fællesskabet i din afdeling for dig?", "Hvordan har du været inddraget i helhedsplanen?"]
    answers = ["Fællesskabet betyder meget, især fællesspisningen om torsdagen hvor vi mødes på tværs af opgangene.",
               "Jeg kender næsten ingen af mine naboer, men jeg vil gerne være med i noget, hvis det er gratis.",
               "Gåklubben har givet mig nye venner, og vi går tur hver tirsdag rundt om søen.",
               "Beboermøderne er for lange, og der er altid de samme der taler, så jeg er holdt op med at komme."]
    rows = [["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
             "Last Name", "Custom Data 1", *questions],
            ["", "", "", "", "", "", "", "", "", "Open-Ended Response", "Open-Ended Response"]]
    for i in range(n):
        rows.append([str(11400000 + i), "4001", f"12/01/2026 10:{i:02d}:00", f"12/01/2026 11:{i:02d}:00",
                     f"10.0.0.{i}", f"beboer{i}@example.dk", f"Fornavn{i}", f"Efternavn{i}", "ab"[i % 2],
                     answers[i % 4], answers[(i + 1) % 4]])
    return rows


def test_a_survey_export_s_personal_columns_and_second_header_row_reach_no_output(tmp_path):
    table = _table(tmp_path / "survey.csv", _surveymonkey(12))
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(table), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "W115" in result.output and "W116" in result.output  # (Start Date: a survey tool's bookkeeping)
    units = (out / "units.csv").read_text(encoding="utf-8-sig")
    assert "Open-Ended Response" not in units and "survey-2" not in units  # no respondent made of the header row
    import zipfile

    for path in out.rglob("*"):
        if not path.is_file() or path.suffix == ".png":
            continue
        parts = ([z.read(n) for z in [zipfile.ZipFile(path)] for n in z.namelist()] if path.suffix == ".xlsx"
                 else [path.read_bytes()])
        for data in parts:
            assert b"example.dk" not in data and b"10.0.0." not in data and b"Fornavn" not in data, path
    # a crosstab by the group, none by a time every respondent has to themselves
    assert (out / "crosstab_Custom Data 1.csv").exists() and not (out / "crosstab_Start Date.csv").exists()


def test_an_age_column_is_not_crosstabbed_value_by_value_but_its_bands_are(tmp_path):
    """A survey's age column made crosstab_Alder.csv with a column per age (30 of them among 40 respondents):
    it compares little. A number with more than twelve values is left out with W124 (its range named, a
    decimal comma read as Danish spreadsheets write it); a column of age bands beside it is crosstabbed."""
    from condense.tables import default_crosstabs
    from condense.errors import Diagnostics
    from condense.model import Case

    cases = {f"r{i}": Case(f"r{i}", {"Alder": str(20 + (i * 7) % 31), "Aldersgruppe": "ung" if i % 3 else "ældre",
                                     "Anciennitet": f"{i % 15},5", "Bydel": "ab"[i % 2], "Tidspunkt": f"10:{i:02d}",
                                     "Progress": "100"}) for i in range(40)}
    d = Diagnostics()
    assert default_crosstabs(cases, d) == ["Aldersgruppe", "Bydel"]  # (Progress: a survey tool's bookkeeping)
    assert [w.code for w in d if "Tidspunkt" in w.message] == ["W117"]
    w124 = [w.message for w in d if w.code == "W124"]
    assert len(w124) == 2 and "'Alder'" in w124[0] and "(20-50)" in w124[0] and "'Anciennitet'" in w124[1]
    few = {k: Case(k, {"Alder": str(20 + i % 5)}) for i, k in enumerate(cases)}  # five ages: a fine crosstab
    assert default_crosstabs(few, Diagnostics()) == ["Alder"]


def test_a_survey_is_counted_in_respondents_not_interviews(tmp_path):
    """A survey export's report opened "12 interview · …" and the terminal "12 transcripts": its material is
    respondents. A folder of interviews keeps its interviews (the sample's report is unchanged)."""
    table = _table(tmp_path / "survey.csv", _surveymonkey(12))
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(table), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("12 respondents,")
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "12 respondenter · " in report and "12 respondenter · 12" not in report
    assert re.search(r"\(\d+ af 12 respondenter\)", report) and not re.search(r"af 12 tilfælde", report)
    # step 1 lists no respondent without key words of their own (a survey of 400 listed 400 rows, nearly all empty)
    step1 = report.split("## Trin 1", 1)[1].split("\n## ", 1)[0]
    assert not re.search(r"^\| [^|]+ \|\s*\|$", step1, flags=re.M), step1
    # with a case column (each respondent's department) the cases stay cases
    rows = _surveymonkey(12)
    rows[0][8], rows[1][8] = "case", ""
    grouped = tmp_path / "grouped"
    grouped.mkdir()
    result = runner.invoke(app, ["run", str(_table(grouped / "survey.csv", rows)), "--out", str(tmp_path / "out2")])
    assert result.exit_code == 0, result.output
    report = (tmp_path / "out2" / "report.md").read_text(encoding="utf-8")
    assert "12 respondenter · 2 tilfælde · " in report and re.search(r"\(\d af 2 tilfælde\)", report)


@pytest.mark.parametrize("header", ["RespondentID", "ResponseId", "Respondentnummer"])
def test_survey_tools_respondent_columns_name_the_respondents(tmp_path, header):
    """Qualtrics writes ResponseId, SurveyXact and others RespondentID: read as an attribute, the respondents
    were numbered by row (svar-17) and the id column got a warning (W117) instead of naming them."""
    rows = [[header, "Hvad fungerede godt?"]] + [[f"R{700 + i}", "Fællesspisningen om torsdagen med naboerne."]
                                               for i in range(12)]
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(_table(tmp_path / "s.csv", rows)), "--out", str(out)])
    assert result.exit_code == 0 and "W117" not in result.output, result.output
    units = (out / "units.csv").read_text(encoding="utf-8-sig")
    assert "R700:0001:1" in units and "R711:" in units


def test_a_qualtrics_export_is_read_with_its_questions_and_without_its_header_rows(tmp_path):
    """Qualtrics writes three header rows: column ids (Q1), the questions' text, and an ImportId per column. Its
    second and third rows were two respondents of their own (the ImportId JSON in every table), the questions
    were "Q1", and Finished (True/False) made the whole table look like a 0/1 grid of codes, so `condense run`
    refused it as coded data. Bookkeeping columns (Progress, Status, Duration) are not crosstabbed by default."""
    h1 = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished", "ResponseId",
          "RecipientEmail", "DistributionChannel", "UserLanguage", "Q1", "Q2"]
    h2 = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)", "Finished",
          "Response ID", "Recipient Email", "Distribution Channel", "User Language",
          "Hvad fungerede godt i beboerhuset?", "Hvad kunne være bedre?"]
    h3 = ['{"ImportId":"%s"}' % x for x in ("startDate", "endDate", "status", "ipAddress", "progress", "duration",
                                             "finished", "_recordId", "recipientEmail", "distributionChannel",
                                             "userLanguage", "QID1_TEXT", "QID2_TEXT")]
    rows = [h1, h2, h3] + [[f"2026-11-{i + 1:02d} 10:00", f"2026-11-{i + 1:02d} 10:05", "IP Address", f"10.1.1.{i}",
                            "100", "300", "True", f"R_{i:03d}xyz", f"p{i}@example.dk", "anonymous", "DA",
                            "Fællesspisningen om torsdagen, hvor man møder naboerne.",
                            "Åbningstiderne, det lukker alt for tidligt om aftenen."] for i in range(12)]
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(_table(tmp_path / "qualtrics.csv", rows)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("12 respondents,") and "W125" in result.output
    units = (out / "units.csv").read_text(encoding="utf-8-sig")
    assert "R_000xyz:0001:1" in units and "Hvad kunne være bedre?" in units and ",Q1," not in units
    assert not list(out.glob("crosstab_*"))
    for path in out.rglob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        assert "ImportId" not in text and "example.dk" not in text and "10.1.1." not in text, path


def test_a_named_attribute_with_a_value_per_respondent_is_still_crosstabbed(tmp_path):
    table = _table(tmp_path / "survey.csv", _surveymonkey(12))
    (tmp_path / "condense.yaml").write_text("transcripts: survey.csv\ntables:\n  crosstabs: [Start Date]\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(tmp_path / "condense.yaml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "crosstab_Start Date.csv").exists() and "W117" not in result.output
    assert table.exists()
