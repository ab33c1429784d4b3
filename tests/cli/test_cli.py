"""The command line: every command has help; bad input gives a coded error, exit 1, no traceback."""
from __future__ import annotations

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from condense.cli import app
from conftest import CODEBOOK_DA, SAMPLE

runner = CliRunner()


def all_commands():
    root = get_command(app)
    out = []

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, path + [name])
        else:
            out.append((path, cmd))

    walk(root, [])
    return out


def test_every_command_has_help_text():
    commands = all_commands()
    names = {" ".join(p) for p, _ in commands}
    assert {"ingest", "segment", "run", "code", "agree", "learn", "discover", "tables", "init", "codebook check",
            "codebook show", "codebook export", "codebook import", "codebook merge", "review export",
            "review import"} <= names
    for path, cmd in commands:
        assert cmd.help and len(cmd.help) > 20, path
        result = runner.invoke(app, path + ["--help"])
        assert result.exit_code == 0, path


def test_help_shows_no_type_after_a_flag():
    """Typer's help wrote `<bool>` after `--help`, `--version` and every flag of every command, as if it took a
    value (`condense --help`: "--version <bool>"). A flag shows none; an option that takes a value keeps its type."""
    for path, _ in [([], None)] + all_commands():
        out = runner.invoke(app, path + ["--help"], terminal_width=120).output
        assert "--help" in out and "<bool>" not in out, path
    assert "<path>" in runner.invoke(app, ["review", "export", "--help"], terminal_width=120).output


@pytest.mark.parametrize("args,code", [
    (["ingest", "does/not/exist"], "E101"),
    (["ingest", "{tmp}/notes.pdf"], "E102"),
    (["ingest", "{tmp}/empty.txt"], "E103"),
    (["codebook", "check", "{tmp}/bad.yaml"], "E202"),
    (["code", "{tmp}/quotes.csv", "--out", "{tmp}/o"], "E301"),
    (["run", "{tmp}/condense.yaml"], "E401"),
])
def test_bad_input_exits_1_with_a_coded_message_and_no_traceback(tmp_path, args, code):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bad.yaml").write_text("codebook: x\ndimensions:\n  - id: d\n    lable: D\n")
    (tmp_path / "quotes.csv").write_text("id,quote\n1,hej\n")
    (tmp_path / "condense.yaml").write_text("transcript: here\n")
    result = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 1
    assert f"[{code}]" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_codebook_check_all_problems_at_once(tmp_path):
    (tmp_path / "cb.yaml").write_text("codebook: x\nlanguage: dk\ndimensions:\n  - id: d\n    themes:\n"
                                      "      - {id: a, lable: A}\n      - {id: a, label: B}\n")
    result = runner.invoke(app, ["codebook", "check", str(tmp_path / "cb.yaml")])
    assert result.exit_code == 1
    for code in ("E206", "E202", "E204"):
        assert code in result.output


def test_codebook_check_warnings_only_exit_0(tmp_path):
    (tmp_path / "cb.yaml").write_text("codebook: x\ndimensions:\n  - id: d\n    themes:\n      - {id: a, label: A}\n")
    result = runner.invoke(app, ["codebook", "check", str(tmp_path / "cb.yaml")])
    assert result.exit_code == 0 and "W201" in result.output


def test_segment_writes_units_csv(tmp_path):
    result = runner.invoke(app, ["segment", str(SAMPLE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    import pandas as pd

    df = pd.read_csv(tmp_path / "out" / "units.csv", encoding="utf-8-sig", keep_default_na=False)
    assert {"unit_id", "fingerprint", "transcript", "turn", "speaker", "role", "start", "end", "text", "question",
            "cases", "anonymous"} <= set(df.columns)
    assert set(df.role) == {"respondent"} and len(df) > 700


def test_code_writes_codings_and_units_coded(tmp_path):
    (tmp_path / "quotes.csv").write_text("id,text,case\nq1,Vi gik fra dør til dør med en tolk og spurgte til sundheden.,A\n"
                                         "q2,Det regnede hele dagen.,B\n", encoding="utf-8")
    result = runner.invoke(app, ["code", str(tmp_path / "quotes.csv"), "--codebook", str(CODEBOOK_DA), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    import pandas as pd

    codings = pd.read_csv(tmp_path / "o" / "codings.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(codings.columns)[:7] == ["unit_id", "dimension", "theme", "subtheme", "score", "evidence", "source"]
    assert "vidensindsamling" in set(codings[codings.unit_id == "q1"].theme)
    coded = pd.read_csv(tmp_path / "o" / "units_coded.csv", encoding="utf-8-sig", keep_default_na=False)
    # excerpt mode (issue 17): a chosen excerpt gets its best guess, flagged for review, not "none"
    assert list(coded.unit_id) == ["q1", "q2"] and coded.loc[1, "fase"] != ""
    assert "review: low confidence" in " ".join(codings[codings.unit_id == "q2"].evidence)
    result = runner.invoke(app, ["code", str(tmp_path / "quotes.csv"), "--codebook", str(CODEBOOK_DA), "--out",
                                 str(tmp_path / "o2"), "--no-excerpt-mode"])
    assert result.exit_code == 0, result.output
    coded = pd.read_csv(tmp_path / "o2" / "units_coded.csv", encoding="utf-8-sig", keep_default_na=False)
    assert coded.loc[1, "fase"] == ""


def test_init_then_run_a_new_study(tmp_path):
    study = tmp_path / "study"
    assert runner.invoke(app, ["init", str(study)]).exit_code == 0
    (study / "transcripts" / "a.txt").write_text(
        "---\ncases: [X]\n---\nI: Hvordan gik det med vores undersøgelse?\n\nR: Vi lavede et spørgeskema, og folk svarede.\n", encoding="utf-8")
    (study / "transcripts" / "cases.csv").write_text("case,region\nX,Nord\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(study / "condense.yaml")])
    assert result.exit_code == 0, result.output
    assert (study / "results" / "themes.csv").exists()
    again = runner.invoke(app, ["init", str(study)])
    assert again.exit_code == 1 and "E402" in again.output
    assert "Project file" in again.output and "condense run" in again.output  # not "Output folder … --out"


def test_run_and_discover_take_a_codebook_of_their_own(tmp_path):
    """`condense run interviews/ --codebook mine.yaml` was "No such option" (E408): trying one's own codebook on a
    folder meant writing a project file first. Both `run` and `discover` take it in place of the project's."""
    mine = tmp_path / "mine.yaml"
    mine.write_text("codebook: mine\nlabel: Mine\nlanguage: da\ndimensions:\n  - id: emne\n    label: Emne\n"
                    "    multi_label: true\n    themes:\n      - id: kaffe\n        label: Kaffe\n        terms: [kaffe]\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(SAMPLE), "--codebook", str(mine), "--out", str(out)])
    assert res.exit_code == 0, res.output
    codings = (out / "codings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(codings) > 1 and {line.split(",")[1:3] == ["emne", "kaffe"] for line in codings[1:]} == {True}
    res = runner.invoke(app, ["discover", str(SAMPLE), "--codebook", str(mine), "--out", str(tmp_path / "c.yaml")])
    assert res.exit_code == 0 and (tmp_path / "c.yaml").exists(), res.output
    res = runner.invoke(app, ["run", str(SAMPLE), "--codebook", str(tmp_path / "nope.yaml"), "--out", str(out)])
    assert res.exit_code == 1 and "E201" in res.output


def test_learn_from_one_interview_reports_no_kappa_instead_of_a_traceback(tmp_path):
    """Reviewed units from one interview (grouped by transcript) leave no fold to hold out: the model was
    written, then the summary table raised KeyError 'cv_accuracy' (a traceback, exit 1). Now the table shows
    empty cells and says the dimensions were not cross-validated; --folds below 2 is a usage error."""
    lines = (SAMPLE / "reference_coding.csv").read_text(encoding="utf-8").splitlines()
    one = tmp_path / "one.csv"
    one.write_text("\n".join([lines[0]] + [x for x in lines[1:] if x.startswith("01_solsikkeparken,")]) + "\n", encoding="utf-8")
    done = runner.invoke(app, ["learn", str(one), "--project", str(SAMPLE), "--out", str(tmp_path / "m")])
    assert done.exit_code == 0, done.output
    assert "Not cross-validated: deltagelse, fase, tema" in " ".join(done.output.split())
    assert (tmp_path / "m" / "model.npz").is_file()
    refused = runner.invoke(app, ["learn", str(one), "--project", str(SAMPLE), "--out", str(tmp_path / "m1"), "--folds", "1"])
    assert refused.exit_code != 0 and not (tmp_path / "m1").exists()


def test_a_misspelt_segmentation_mode_is_answered_with_the_mode_meant(tmp_path):
    """`condense segment --mode sentense` said only "must be one of ('window', 'sentence', 'turn')" and "See
    `condense segment --help`"; it names the mode meant and the options to give, and writes nothing."""
    res = runner.invoke(app, ["segment", str(SAMPLE / "01_solsikkeparken.txt"), "--mode", "sentense",
                              "--out", str(tmp_path / "u")])
    assert res.exit_code == 1 and "E403" in res.output, res.output
    assert "did you mean 'sentence'?" in res.output and "--mode window | sentence | turn" in res.output
    assert "('window'" not in res.output and not (tmp_path / "u").exists()
