"""The project file: paths relative to it, every problem reported at once with its line, no traceback."""
from __future__ import annotations

import re

import pytest

from condense.errors import CondenseError, CondenseErrors
from condense.project import default_project, load_project, resolve_project
from conftest import ROOT, SAMPLE


def errors_of(path) -> list[CondenseError]:
    with pytest.raises(CondenseError) as err:
        load_project(path)
    return err.value.errors if isinstance(err.value, CondenseErrors) else [err.value]


def test_paths_resolve_against_the_project_file(write, tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "cases.csv").write_text("case\nA\n", encoding="utf-8")
    path = write("study/condense.yaml", "transcripts: ../t\ncodebook: cb.yaml\nlanguage: en\n"
                 "interviewer_labels: I; I2\nsegmentation: {mode: turn}\noutput: out\n")
    project = load_project(path)
    assert project.transcripts == [(tmp_path / "t").resolve()]
    assert project.codebook == (tmp_path / "study" / "cb.yaml").resolve()
    assert project.cases == (tmp_path / "t" / "cases.csv").resolve()  # found beside the transcripts
    assert project.output == (tmp_path / "study" / "out").resolve()
    assert project.decisions == (tmp_path / "study" / "decisions.csv").resolve()
    assert project.interviewer_labels == ["I", "I2"] and project.language == "en"
    assert project.segmentation == {"mode": "turn"}


def test_a_tilde_in_a_project_path_is_the_home_folder(write, tmp_path, monkeypatch):
    # "output: ~/results" made a folder named "~" beside the project file, and "transcripts: ~/interviews" was
    # not found: a researcher writes paths as the shell takes them
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = write("study/condense.yaml", "transcripts: ~/interviews\noutput: ~/results\ncodebook: ~cb.yaml\n")
    project = load_project(path)
    assert project.transcripts == [(tmp_path / "home" / "interviews").resolve()]
    assert project.output == (tmp_path / "home" / "results").resolve()
    assert project.codebook == (tmp_path / "study" / "~cb.yaml").resolve()  # "~cb" is no user's home


def test_a_project_file_written_on_windows_reads_on_a_mac(write, tmp_path):
    """A colleague on Windows writes `transcripts: data\\interviews`; on a Mac or Linux that was a file name
    with backslashes in it, not found (E101/E201). A backslash separates folders unless a file of that very name
    is there."""
    (tmp_path / "study" / "data" / "interviews").mkdir(parents=True)
    path = write("study/condense.yaml", "transcripts: data\\interviews\ncodebook: ..\\cb.yaml\noutput: out\\run1\n")
    project = load_project(path)
    assert project.transcripts == [(tmp_path / "study" / "data" / "interviews").resolve()]
    assert project.codebook == (tmp_path / "cb.yaml").resolve()
    assert project.output == (tmp_path / "study" / "out" / "run1").resolve()
    odd = tmp_path / "study" / "a\\b.yaml"
    odd.write_text("x", encoding="utf-8")
    path = write("study/condense.yaml", "transcripts: data\\interviews\ncodebook: a\\b.yaml\n")
    assert load_project(path).codebook == odd.resolve()


def test_wrong_types_are_all_reported_with_lines(write):
    path = write("condense.yaml", "transcripts: x\n"           # 1
                 "segmentation:\n"                              # 2
                 "  mode: paragraph\n"                          # 3
                 "  max_words: mange\n"                         # 4
                 "coding:\n"                                    # 5
                 "  threshold: høj\n"                           # 6
                 "tables:\n"                                    # 7
                 "  matrices: 5\n"                              # 8
                 "emergent: {max_groups: 0, dimensions: tema}\n")  # 9
    found = [(e.code, e.kwargs["line"], e.kwargs["key"]) for e in errors_of(path)]
    assert found == [("E407", 3, "segmentation.mode"), ("E406", 4, "segmentation.max_words"),
                     ("E406", 6, "coding.threshold"), ("E406", 8, "tables.matrices"),
                     ("E406", 9, "emergent.max_groups"), ("E406", 9, "emergent.dimensions")]


def test_unknown_keys_and_settings_suggest_the_right_name(write):
    path = write("condense.yaml", "transcript: x\nlanguage: dk\ncoding:\n  treshold: 0.5\nsegmentation: 5\n")
    messages = {e.kwargs["line"]: str(e) for e in errors_of(path)}
    assert "[E401]" in messages[1] and "did you mean 'transcripts'" in messages[1]
    assert "[E407]" in messages[2] and "da, en" in messages[2]
    assert "[E401]" in messages[4] and "did you mean 'threshold'" in messages[4]
    assert "[E406]" in messages[5] and "mapping" in messages[5]


def test_invalid_yaml_names_the_line(write):
    path = write("condense.yaml", "transcripts: x\nsegmentation:\n  mode: [turn\n")
    (err,) = errors_of(path)
    assert err.code == "E401" and err.kwargs["line"] >= 3


def test_a_tab_in_the_project_file_is_named_as_a_tab_with_its_mend(write):
    """Census h11c: a tab in condense.yaml (an editor shows it as spaces) gave YAML's "found character '\\t' that
    cannot start any token"; it is now named as a tab with its mend, as the codebook's is (one helper)."""
    path = write("condense.yaml", "transcripts: x\nsegmentation:\n\tmode: turn\n")
    (err,) = errors_of(path)
    assert err.code == "E401" and err.kwargs["line"] == 3, str(err)
    assert "a tab: YAML indents with spaces only; replace the tab with spaces" in str(err)


def test_no_project_given_in_a_study_folder_is_that_study(tmp_path, monkeypatch):
    """`condense run` typed in the folder `condense init` made ran the built-in sample and wrote its fictional
    interviews' results into the researcher's study folder; it runs the study's condense.yaml now."""
    from condense.verbs import init_project

    init_project(tmp_path / "study")
    monkeypatch.chdir(tmp_path / "study")
    project = resolve_project(None)
    assert project.transcripts == [(tmp_path / "study" / "transcripts").resolve()]
    assert project.output == (tmp_path / "study" / "results").resolve()
    monkeypatch.chdir(tmp_path)  # no condense.yaml here: the sample, as before
    assert resolve_project(None).transcripts[0].name == "transcripts_sample"


def test_resolve_project_default_folder_and_missing(tmp_path):
    assert default_project().transcripts[0].name == "transcripts_sample"
    assert resolve_project(SAMPLE).transcripts == [SAMPLE.resolve()]
    with pytest.raises(CondenseError) as err:
        resolve_project(tmp_path / "nope")
    assert err.value.code == "E101"
    (tmp_path / "notes.pdf").write_text("x", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        resolve_project(tmp_path / "notes.pdf")
    assert err.value.code == "E401"
    assert "line" not in str(err.value)  # no line to name, so no "line :" either


def test_a_folder_of_english_transcripts_gets_the_english_codebook(tmp_path):
    """Without a project file, the language is what the transcripts declare, else what they are written in
    (a folder of English interviews was coded with the Danish codebook, its tables labelled in Danish)."""
    declared, plain = tmp_path / "declared", tmp_path / "plain"
    for folder, front in ((declared, "---\nlanguage: en\n---\n"), (plain, "")):
        folder.mkdir()
        (folder / "a.txt").write_text(front + "I: How did the walking group start?\n\nR: We put a leaflet through "
                                      "every door and the caretaker told people about it when he met them.\n", encoding="utf-8")
        project = resolve_project(folder)
        assert project.language == "en" and project.codebook.name == "beboerinddragelse.en.yaml", folder
    assert resolve_project(SAMPLE).language == "da"


def test_one_transcript_file_runs_as_a_project_of_its_own(tmp_path):
    """`condense run interview.txt`: the file in its language, its decisions named after it."""
    from typer.testing import CliRunner

    from condense.cli import app

    project = resolve_project(SAMPLE / "en" / "02_bristol_quayside.txt")
    assert project.transcripts == [(SAMPLE / "en" / "02_bristol_quayside.txt").resolve()]
    assert project.language == "en" and project.decisions.name == "02_bristol_quayside.decisions.csv"
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(SAMPLE / "01_solsikkeparken.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 transcripts" in result.output and "Solsikkeparken" in (out / "units.csv").read_text(encoding="utf-8-sig")


def test_coded_data_given_as_a_project_points_to_condense_tables(tmp_path):
    # a researcher with coding from another tool tries `condense run codings.csv`
    (tmp_path / "my codings.csv").write_text("unit,theme\n1,a\n", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        resolve_project(tmp_path / "my codings.csv")
    assert err.value.code == "E401"
    assert "condense tables '" in err.value.fix and "my codings.csv'" in err.value.fix


def test_the_init_template_is_a_valid_project(tmp_path):
    from condense.verbs import init_project

    project = load_project(init_project(tmp_path / "study"))
    assert project.segmentation == {"mode": "window", "max_sentences": 3, "max_words": 80}
    assert project.coding == {"threshold": 0.6, "top_k": 2, "guide_span": 6}
    # the blank codebook has one dimension: no matrix of dimensions it lacks (issue 18 changed this on purpose)
    assert "matrices" not in project.tables


def test_run_warns_when_the_interviews_are_not_in_the_codebooks_language(tmp_path):
    """A Danish interview put into a study started with an English blank codebook was segmented and coded as
    English without a word (W304 was checked by `condense code` only)."""
    from condense.pipeline import run
    from condense.verbs import init_project

    project = load_project(init_project(tmp_path / "study", "en"))
    (tmp_path / "study" / "transcripts" / "a.txt").write_text(
        "I: Hvordan kom I i gang med det?\n\nR: Det var egentlig beboerne selv, der ville have en madklub, og så "
        "mødtes vi i fælleshuset hver tirsdag, og det har vi gjort siden.\n", encoding="utf-8")
    (w,) = [w for w in run(project).diagnostics.warnings if w.code == "W304"]
    assert "looks Danish" in w.message and "`language: da`" in w.fix and "project file" in w.fix
    assert "`condense init --language da`" in w.fix


def test_init_in_a_folder_of_transcripts_reads_them_where_they_are(tmp_path):
    """`condense init .` typed in a folder of interviews wrote transcripts/ and said to put the transcripts
    there: the next `condense run` read an empty folder. Now the study reads them where they are, with a
    cases.csv beside them, and the blank codebook is in their language unless one is asked for."""
    import shutil

    from typer.testing import CliRunner

    from condense.cli import app
    from condense.verbs import init_project

    folder = tmp_path / "interviews"
    shutil.copytree(SAMPLE / "en", folder, ignore=shutil.ignore_patterns("condense.yaml", "cases.csv", "*.csv"))
    res = CliRunner().invoke(app, ["init", str(folder)])
    assert res.exit_code == 0 and "reads the 3 transcript(s) in this folder" in res.output, res.output
    project = load_project(folder / "condense.yaml")
    assert project.transcripts == [folder.resolve()] and project.language == "en"
    assert project.cases == (folder / "cases.csv").resolve() and not (folder / "transcripts").exists()
    run = CliRunner().invoke(app, ["run", str(folder)])
    assert run.exit_code == 0 and "3 transcripts" in run.output, run.output
    other = tmp_path / "da_asked"
    shutil.copytree(SAMPLE / "en", other, ignore=shutil.ignore_patterns("condense.yaml", "*.csv"))
    assert load_project(init_project(other, "da")).language == "da"


def test_init_writes_the_blank_codebook_in_the_studys_language(tmp_path):
    """`condense init` wrote an English blank codebook for every study (its example terms coded nothing in
    Danish interviews, W304 on the first run); Danish is the default, English on request, the comments stay."""
    from condense.codebook import load_codebook
    from condense.pipeline import run
    from condense.verbs import init_project

    from condense.verbs import _TEMPLATE_VALUES

    template = (ROOT / "codebooks" / "stc-template.yaml").read_text(encoding="utf-8")
    # every Danish value replaces a line the template has (an edited template would leave it English unseen)
    assert set(_TEMPLATE_VALUES["da"]) <= set(template.splitlines())
    for language, term in (("da", "spørgeskema"), ("en", "questionnaire")):
        project = load_project(init_project(tmp_path / language, language))
        codebook = load_codebook(project.codebook)
        assert project.language == codebook.language == language
        assert term in codebook.dimensions[0].themes[0].terms
        text = project.codebook.read_text(encoding="utf-8")
        assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == \
            [line for line in template.splitlines() if line.lstrip().startswith("#")]
    (tmp_path / "da" / "transcripts" / "a.txt").write_text(
        "I: Hvordan fandt I ud af, hvad beboerne ville?\n\nR: Vi lavede et spørgeskema, som vi bar rundt fra dør "
        "til dør, og næsten halvdelen svarede på det.\n", encoding="utf-8")
    result = run(load_project(tmp_path / "da" / "condense.yaml"))
    assert not [w for w in result.diagnostics.warnings if w.code == "W304"]
    assert "vidensindsamling" in set(result.tables["codings"].theme)
    with pytest.raises(CondenseError) as err:
        init_project(tmp_path / "de", "de")
    assert err.value.code == "E408" and not (tmp_path / "de").exists()


def test_a_project_key_given_twice_is_refused_with_both_lines(tmp_path):
    """YAML keeps the last of two `jobs:` (or `transcripts:`) lines and drops the first without a word; which
    one the researcher meant is theirs to say."""
    (tmp_path / "t").mkdir()
    path = tmp_path / "condense.yaml"
    path.write_text("transcripts: t\njobs: 1\nsegmentation:\n  max_words: 80\n  max_words: 60\n", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        load_project(path)
    assert err.value.code == "E401" and "`segmentation.max_words` is given twice (lines 4 and 5)" in str(err.value)
    path.write_text("transcripts: t\njobs: 1\nsegmentation:\n  max_words: 80\n", encoding="utf-8")
    assert load_project(path).jobs == 1


@pytest.mark.parametrize("tables,said", [
    ({"matrices": [["tema", "tema"]]}, "two different dimensions"),   # was a pandas traceback
    ({"quantifiers": {"all": 2}}, "unknown quantifier step"),          # kept and never used, without a word
    ({"quantifiers": {"most": -1}}, "between 0 and 1"),
    ({"quantifiers": {"most": 1.5}}, "between 0 and 1"),
    ({"quantifiers": {"some_min": 0.5}}, "whole number"),
    ({"quantifiers": {"most": 0.95}}, "must not decrease"),            # above almost_all: "most" never said
])
def test_table_settings_that_cannot_mean_anything_are_refused(tables, said):
    from condense.tables import TableSettings

    with pytest.raises(ValueError) as err:
        TableSettings.from_dict(tables)
    assert said in str(err.value)
    TableSettings.from_dict({"quantifiers": {"most": 0.6, "some_min": 3}, "matrices": [["fase", "deltagelse"]]})


def test_a_setting_that_is_not_a_finite_number_is_named(write):
    """`.nan` compared false with every score (a cut that kept or dropped everything, silently); a negative
    whole number was told it is not 'a whole number'."""
    path = write("condense.yaml", "transcripts: x\nemergent:\n  min_coherence: .nan\ncoding:\n  top_k: -1\n")
    found = sorted((e.code, e.kwargs.get("line"), e.kwargs.get("key")) for e in errors_of(path))
    assert [c for c, _, _ in found] == ["E406", "E406"], found
    messages = " ".join(str(e) for e in errors_of(path))
    assert "a finite number, not nan" in messages and "a whole number of at least 1, not -1" in messages


def test_coding_switches_and_weights_are_checked_as_what_they_are(write):
    """README says `negation: false` under `coding:` switches negation off; the project check refused it as "not
    a number" (E406), so the documented switch could not be used. A negative threshold or weight (every theme
    applied, or a term counting against its theme) passed without a word."""
    ok = write("condense.yaml", "transcripts: x\ncoding:\n  negation: false\n  threshold: 0\n")
    assert load_project(ok).coding == {"negation": False, "threshold": 0}
    bad = write("condense.yaml", "transcripts: x\ncoding:\n  negation: maybe\n  threshold: -1\n  term_weight: -2\n")
    said = sorted((e.code, e.kwargs.get("line")) for e in errors_of(bad))
    assert said == [("E406", 3), ("E406", 4), ("E406", 5)], said


def test_matrices_and_crosstabs_named_but_not_there_are_warned_not_dropped():
    """`matrices: [[fase, nope]]` made no matrix and `crosstabs: [nix]` an empty crosstab_nix.csv, both without a
    word (a typo, or a codebook changed since): W403 names each, the tables that can be made are kept, and the
    default fase × deltagelse of a codebook without those dimensions stays quiet."""
    from condense.codebook import load_codebook
    from condense.errors import Diagnostics
    from condense.model import Case
    from condense.tables import TableSettings, named_in_project

    codebook = load_codebook(ROOT / "codebooks" / "beboerinddragelse.da.yaml")
    cases = {"p1": Case("p1", {"region": "Syd"}), "p2": Case("p2", {"region": "Nord", "periode": "2015"})}
    settings = TableSettings.from_dict({"matrices": [["fase", "nope"], ["fase", "deltagelse"]],
                                        "crosstabs": ["nix", "region"]})
    diagnostics = Diagnostics()
    kept = named_in_project(settings, codebook, cases, diagnostics)
    assert kept.matrices == (("fase", "deltagelse"),) and kept.crosstabs == ("region",)
    said = sorted((w.code, re.search(r"'(\w+)', which", w.message)[1]) for w in diagnostics.warnings)
    assert said == [("W403", "nix"), ("W403", "nope")], said
    assert "periode, region" in " ".join(str(w) for w in diagnostics.warnings)
    blank = load_codebook(ROOT / "codebooks" / "stc-template.yaml")
    quiet = Diagnostics()
    assert named_in_project(TableSettings(), blank, cases, quiet, named_matrices=False).matrices == ()
    assert not quiet.warnings


def test_guide_dimensions_naming_no_dimension_is_refused(tmp_path):
    """`coding: {guide_dimensions: [nope]}` coded no unit by the guide's sections, silently."""
    from condense.pipeline import make_coder
    from condense.project import Project

    project = Project(transcripts=[SAMPLE], codebook=ROOT / "codebooks" / "beboerinddragelse.da.yaml",
                      coding={"guide_dimensions": ["nope"]}, path=tmp_path / "condense.yaml")
    with pytest.raises(CondenseError) as err:
        make_coder(project)
    assert err.value.code == "E401" and "'nope'" in str(err.value) and "fase" in str(err.value)
    make_coder(Project(transcripts=[SAMPLE], codebook=ROOT / "codebooks" / "beboerinddragelse.da.yaml",
                       coding={"guide_dimensions": ["fase"]}))


def test_a_number_written_with_an_exponent_is_a_number(write):
    """PyYAML reads `1e-3` (no dot) as text, and the project check refused `threshold: 1e-3` as "not a number"."""
    path = write("condense.yaml", "transcripts: x\ncoding:\n  threshold: 1e-1\n  top_k: 2E0\nsegmentation:\n"
                 "  max_words: 1e2\ntables:\n  quantifiers: {most: 6e-1}\n")
    project = load_project(path)
    assert project.coding == {"threshold": 0.1, "top_k": 2} and project.segmentation["max_words"] == 100
    assert project.tables["quantifiers"]["most"] == 0.6
    bad = write("condense.yaml", "transcripts: x\nsegmentation:\n  max_words: 1.5e0\n")
    assert [e.code for e in errors_of(bad)] == ["E406"]   # 1.5 words: not a whole number


def test_top_k_of_nought_is_refused(write):
    """`coding: {top_k: 0}` kept no theme of a matched unit: an IndexError traceback in the coder."""
    assert [(e.code, e.kwargs.get("line")) for e in errors_of(write("condense.yaml", "transcripts: x\ncoding:\n  top_k: 0\n"))] \
        == [("E406", 3)]


@pytest.mark.parametrize("text, line, said", [
    ("", 1, "the file is empty"),
    ("\n  \n", 1, "the file is empty"),
    ("# my study\n# transcripts: interviews\n", 1, "comments only"),
    ("null\n", 1, "`null` alone"),
    ("# my study\n~\n", 2, "`~` alone"),
    ("{}\n", 1, "`{}` alone"),
    ("- transcripts: t\n- codebook: cb.yaml\n", 1, "holds a list"),
    ("# notes\n[]\n", 2, "holds a list"),
    ("my study\n", 1, "one value ('my study')"),
    ("0\n", 1, "one value (0)"),
    ("false\n", 1, "one value (false)"),
])
def test_a_project_file_holding_no_settings_says_so_and_what_a_minimal_one_holds(write, text, line, said):
    """An empty condense.yaml (0 bytes, or comments alone, `null`, `[]`, `0`, `false`) was read as every default,
    and the run ended in E112 "No transcripts found in ." about the folder, not the file the user made."""
    (err,) = errors_of(write("condense.yaml", text))
    assert err.code == "E401" and err.kwargs["line"] == line, str(err)
    assert said in str(err) and "condense.yaml" in str(err)
    assert "`transcripts: transcripts`" in str(err) and "`codebook: codebook.yaml`" in str(err)


def test_a_key_without_a_value_is_named_at_its_line_with_what_to_write(write):
    """`codebook:` with nothing after it ran the Danish study codebook, `transcripts:` the project's folder,
    `output:` results/, silently; `language:` was "'' is not a valid `language`". A section whose settings are
    all commented out is still its defaults."""
    path = write("condense.yaml", "transcripts:\ncodebook:   # ours\nlanguage:\noutput: ''\njobs:\n"
                                  "emergent:\n  # max_groups: 3\ncoding:\nname: ''\ndescription:\n")
    found = {e.kwargs["line"]: (e.code, e.kwargs["key"], str(e)) for e in errors_of(path)}
    assert [(line, code, key) for line, (code, key, _) in sorted(found.items())] == [
        (1, "E406", "transcripts"), (2, "E406", "codebook"), (3, "E406", "language"), (4, "E406", "output"),
        (5, "E406", "jobs")]  # nothing about `emergent:`, `coding:` or a study's name (`condense import qdpx` writes it)
    assert "Write `codebook: codebook.yaml`, or a `#` before the line" in found[2][2]
    assert "`language` must be one of da, en, not nothing" in found[3][2]
    assert "Write `transcripts: transcripts`" in found[1][2]


def test_condense_run_in_a_folder_with_an_empty_project_file_names_the_file(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from condense.cli import app

    (tmp_path / "condense.yaml").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["run", "--out", "results"])
    assert res.exit_code == 1 and "E401" in res.output and "E112" not in res.output, res.output
    assert "condense.yaml, line 1: the file is empty" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("text", ["", "# vores studie\n\n", "\ufeff   \n", "null\n", "{}\n"])
def test_init_beside_an_empty_project_file_says_how_on_not_to_run_it(tmp_path, text):
    """A researcher who made an empty condense.yaml was sent in a circle: `condense run` refused it (E401, "condense
    init NEW_FOLDER writes one") and `condense init .` said the folder held a study already, "run it". init still
    writes over nothing, and says to move the empty file away or start elsewhere."""
    from condense.verbs import init_project

    (tmp_path / "condense.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        init_project(tmp_path)
    assert err.value.code == "E402" and "empty or comments only" in str(err.value)
    assert "Delete or rename" in str(err.value) and "run it with" not in str(err.value)
    assert (tmp_path / "condense.yaml").read_text(encoding="utf-8") == text and len(list(tmp_path.iterdir())) == 1
    (tmp_path / "condense.yaml").write_text("transcripts: t\n", encoding="utf-8")
    with pytest.raises(CondenseError, match="holds a study already"):
        init_project(tmp_path)
