"""A new researcher's first afternoon: what someone coming from NVivo or MAXQDA types from the README and the
help, and what they are told back."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT


def test_python_dash_m_condense_runs_the_command_line(tmp_path):
    """`python -m condense` is what a notebook (`!python -m condense …`) or a shell without the venv's scripts
    folder on its path types; it used to end in "'condense' is a package and cannot be directly executed"."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "condense", "--version"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("condense ")


CODEBOOK = """codebook: tablets
label: Tablets i hjemmeplejen
language: da
version: 1
dimensions:
  - id: emne
    label: Emne
    multi_label: true
    themes:
      - id: teknik
        label: Teknik
        origin: predefined
        terms: [tablet, skærm]
      - id: oplaering
        label: Oplæring
        origin: predefined
        terms: [kursus, superbruger]
"""

INTERVIEW = """I: Hvordan var det at få tabletten?
B: Vi fik tabletterne i foråret, og skærmen var for lille til de ældre kolleger. Vi havde et kursus på to timer.
I: Hvad så?
B: Nu har vi en superbruger på holdet, og det hjælper meget på arbejdsglæden hver eneste dag.
"""


def study(tmp_path):
    """A study as `condense init` leaves it, with one transcript and a codebook of the researcher's own ids."""
    from typer.testing import CliRunner

    from condense.cli import app

    folder = tmp_path / "studie"
    assert CliRunner().invoke(app, ["init", str(folder)]).exit_code == 0
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (folder / "transcripts" / "hjemmepleje.txt").write_text(INTERVIEW, encoding="utf-8")
    return folder


def fill(sheet, column: str, value: str) -> None:
    """Write one cell of the first unit's row as Excel would save it."""
    from openpyxl import load_workbook

    wb = load_workbook(sheet)
    ws = wb.active  # "gennemgang": the study is Danish
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index(column) + 1).value = value
    wb.save(sheet)


def test_the_review_import_that_review_export_prints_works_when_pasted(tmp_path, monkeypatch):
    """The printed next step named a placeholder DECISIONS.csv and no project: pasted, it checked the sheet against
    the built-in study codebook and refused the researcher's own theme id, which the sheet's list offered (E501)."""
    import shlex

    from typer.testing import CliRunner

    from condense.cli import app

    folder = study(tmp_path)
    monkeypatch.chdir(folder)
    runner = CliRunner()
    exported = runner.invoke(app, ["review", "export", "--out", "review.xlsx"])
    assert exported.exit_code == 0, exported.output
    line = " ".join(exported.stdout.split()).split("then: ", 1)[1]
    fill(folder / "review.xlsx", "emne_tilføj", "oplaering")
    args = shlex.split(line)
    assert args[:3] == ["condense", "review", "import"]
    imported = runner.invoke(app, args[1:])
    assert imported.exit_code == 0, imported.output
    assert "oplaering" in (folder / "decisions.csv").read_text(encoding="utf-8")  # the file the project's runs read
    assert "They apply on every" in imported.stdout


def _exported_and_filled(tmp_path, monkeypatch, theme: str):
    """A study whose review sheet was exported in its folder (the working folder now) and given ``theme`` in its
    first *_add cell; the runner to import it with."""
    from typer.testing import CliRunner

    from condense.cli import app

    folder = study(tmp_path)
    monkeypatch.chdir(folder)
    runner = CliRunner()
    assert runner.invoke(app, ["review", "export", "--out", "review.xlsx"]).exit_code == 0
    fill(folder / "review.xlsx", "emne_tilføj", theme)
    return runner


def test_review_import_in_a_study_folder_checks_the_studys_codebook(tmp_path, monkeypatch):
    """Without --project or --codebook, inside a folder with condense.yaml, review import means that study (as
    `condense run` there does); a decisions file the project does not read is said not to apply."""
    from condense.cli import app

    runner = _exported_and_filled(tmp_path, monkeypatch, "oplaering")
    imported = runner.invoke(app, ["review", "import", "review.xlsx", "--decisions", "other.csv"])
    assert imported.exit_code == 0, imported.output
    said = " ".join(imported.stdout.split())
    assert "reads its decisions from decisions.csv, not this file" in said


def test_review_import_in_a_study_folder_merges_into_the_studys_decisions_file(tmp_path, monkeypatch):
    """`condense review import review.xlsx` in the study's folder stopped at "Missing option '--decisions'" though
    condense.yaml names the file every run reads; that file is the default now (and without a project, E408)."""
    from condense.cli import app

    runner = _exported_and_filled(tmp_path, monkeypatch, "oplaering")
    imported = runner.invoke(app, ["review", "import", "review.xlsx"])
    assert imported.exit_code == 0, imported.output
    assert "decisions.csv" in imported.stdout and "apply on every" in " ".join(imported.stdout.split())
    assert (tmp_path / "studie" / "decisions.csv").is_file()
    monkeypatch.chdir(tmp_path)
    alone = runner.invoke(app, ["review", "import", str(tmp_path / "studie" / "review.xlsx")])
    assert alone.exit_code == 1 and "E408" in alone.output and "decisions:" in alone.output


def test_a_danish_workbook_says_where_a_coding_came_from_in_danish():
    """The workbook of a Danish study showed "rule", "human", "predefined" and "accept" in its cells (a coding's
    source, a theme's origin, a decision's action) and "human: <note>" as evidence; the CSV keeps the machine words."""
    import pandas as pd

    from condense.i18n import english_words, localise_frame

    codings = pd.DataFrame({"source": ["rule", "human", "model"], "evidence": ["unit: kursus", "human: Kurset nævnes", "x"],
                            "origin": ["predefined", "emergent", "predefined"], "action": ["accept", "reject", "add"]})
    da = localise_frame(codings, "da")
    assert list(da["kilde"]) == ["regel", "manuel", "model"]
    assert list(da["oprindelse"]) == ["foruddefineret", "emergent", "foruddefineret"]
    assert list(da["handling"]) == ["godkendt", "afvist", "tilføjet"]
    assert list(da["belæg"])[:2] == ["enhed: kursus", "manuel: Kurset nævnes"]
    assert english_words(" ".join(str(v) for v in da.to_numpy().ravel())) == set()
    assert english_words("rule human predefined accept") == {"rule", "human", "predefined", "accept"}
    en = localise_frame(codings, "en")
    assert list(en["source"]) == ["rule", "human", "model"] and list(en["origin"])[0] == "predefined"


def test_tables_into_a_new_folder_reads_the_last_runs_codings(tmp_path, monkeypatch):
    """`condense tables --out tabeller` after a run: the new folder holds no codings.csv yet, and the command was
    refused (E405) although the run's results/codings.csv was there to re-tabulate."""
    from typer.testing import CliRunner

    from condense.cli import app

    folder = study(tmp_path)
    monkeypatch.chdir(folder)
    runner = CliRunner()
    ran = runner.invoke(app, ["run"])
    assert ran.exit_code == 0, ran.output
    tabled = runner.invoke(app, ["tables", "--out", "tabeller"])
    assert tabled.exit_code == 0, tabled.output
    assert (folder / "tabeller" / "themes.csv").read_bytes() == (folder / "results" / "themes.csv").read_bytes()
    missing = runner.invoke(app, ["tables", "--out", "andet", "--codings", "nowhere.csv"])
    assert missing.exit_code == 1 and "[E405]" in missing.output  # a codings file named but missing is still refused


def test_a_danish_studys_qdpx_names_its_condensate_notes_in_danish(tmp_path, monkeypatch):
    """NVivo's or MAXQDA's note list showed "Condensate emne/teknik: Teknik" for a Danish study."""
    import zipfile

    from typer.testing import CliRunner

    from condense.cli import app

    folder = study(tmp_path)
    monkeypatch.chdir(folder)
    done = CliRunner().invoke(app, ["export", "qdpx", "--out", "studie.qdpx"])
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(folder / "studie.qdpx") as z:
        qde = z.read("project.qde").decode("utf-8")
    assert 'name="Kondensat emne/' in qde and "Condensate" not in qde


def test_codebook_check_counts_in_words_that_agree(tmp_path):
    """`condense codebook check` said "OK codebook.yaml: 1 dimensions, 4 themes, 1 sub-themes."."""
    from typer.testing import CliRunner

    from condense.cli import app

    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    checked = CliRunner().invoke(app, ["codebook", "check", str(path)])
    assert checked.exit_code == 0, checked.output
    assert "1 dimension, 2 themes, 0 sub-themes." in " ".join(checked.stdout.split())


CODEBOOK_EN = """codebook: clubs
label: Homework clubs
language: en
version: 1
dimensions:
  - id: topic
    label: Topic
    multi_label: true
    themes:
      - id: volunteers
        label: Volunteers
        origin: predefined
        terms: [volunteer]
"""

INTERVIEW_EN = """Interviewer: What was difficult about the homework club?
Respondent: Finding volunteers who could come every single week was hard. People get tired, and when two of the parents moved away we nearly had to close the club.
Interviewer: And now?
Respondent: We depend on volunteers for the homework club, and it is hard to keep them. Most of them are retired teachers who come for a year and then stop.
"""


def test_an_english_report_quotes_in_english_marks(tmp_path, monkeypatch):
    """An English study's report.md and report.html set golden quotes in Danish guillemets (»…«), beside the
    synthesis's “…”; a Danish study keeps »…«."""
    from typer.testing import CliRunner

    from condense.cli import app

    folder = tmp_path / "study"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(folder), "--language", "en"]).exit_code == 0
    (folder / "codebook.yaml").write_text(CODEBOOK_EN, encoding="utf-8")
    (folder / "transcripts" / "club.txt").write_text(INTERVIEW_EN, encoding="utf-8")
    monkeypatch.chdir(folder)
    ran = runner.invoke(app, ["run"])
    assert ran.exit_code == 0, ran.output
    report = (folder / "results" / "report.md").read_text(encoding="utf-8")
    assert "> “" in report and "»" not in report and "«" not in report
    page = (folder / "results" / "report.html").read_text(encoding="utf-8")
    assert "<blockquote>" in page and "»" not in page.split("<blockquote>", 1)[1].split("</blockquote>", 1)[0]


def test_the_candidates_sheet_names_each_column_once():
    """An English workbook's candidates sheet had two columns headed "interviews": the count and the list of ids."""
    import pandas as pd

    from condense.i18n import localise_frame

    header = ["candidate", "label", "n_units", "n_interviews", "coherence", "distinctiveness", "stability", "terms",
              "interviews", "representative_unit_ids", "unit_ids", "n_also_coded", "also_coded_unit_ids"]
    for language in ("da", "en"):
        shown = list(localise_frame(pd.DataFrame(columns=header), language).columns)
        assert len(set(shown)) == len(shown), (language, shown)


def test_a_new_code_typed_into_the_review_sheet_is_refused_with_how_to_add_it(tmp_path, monkeypatch):
    """In NVivo a new code is made while coding; here a code the codebook lacks is refused (E501), and the fix said
    only to pick an id from the list, not how to add the code the researcher meant."""
    from condense.cli import app

    runner = _exported_and_filled(tmp_path, monkeypatch, "Ungdomsklub")
    refused = runner.invoke(app, ["review", "import", "review.xlsx", "--decisions", "decisions.csv"])
    said = " ".join(refused.output.split())
    assert refused.exit_code == 1 and "[E501]" in said and "'Ungdomsklub'" in said
    assert "a new code goes into the codebook first" in said


def test_init_says_where_the_transcripts_go_from_where_you_are(tmp_path, monkeypatch):
    """`condense init studie` said "Put transcripts in transcripts/", a folder that is not there from where the
    researcher stands; it now names studie/transcripts/ and the next commands, each of which runs."""
    import shlex

    from typer.testing import CliRunner

    from condense.cli import app

    monkeypatch.chdir(tmp_path)
    said = " ".join(CliRunner().invoke(app, ["init", "min studie"]).stdout.split())
    inbox = shlex.split(said.split("Put transcripts in ", 1)[1].split(",", 1)[0])[0]
    assert (tmp_path / inbox).is_dir() and inbox.rstrip("/") == "min studie/transcripts"
    assert "condense names 'min studie'" in said and "condense run 'min studie'" in said


def test_a_missing_qdpx_is_refused_with_a_fix_about_the_path(tmp_path):
    """`condense import qdpx nope.qdpx` said to export the codebook again; the file was simply not there."""
    from typer.testing import CliRunner

    from condense.cli import app

    done = CliRunner().invoke(app, ["import", "qdpx", str(tmp_path / "nope.qdpx"), "--out", str(tmp_path / "s")])
    said = " ".join(done.output.split())
    assert done.exit_code == 1 and "[E601]" in said and "file not found" in said
    assert "Check the path" in said and "Export the codebook again" not in said  # a project, not only a codebook
