"""Every command is a thin wrapper over a library verb: the command's files equal the verb's, byte for byte,
for the same project; `discover` and `run` give the same candidates."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import condense
from condense.cli import app
from conftest import CODEBOOK_DA, SAMPLE

runner = CliRunner()
TWO = ["01_solsikkeparken.txt", "07_lindegaarden.txt"]  # both in the sample's reference coding


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def invoke(*args) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    """Two sample interviews (read in place), the study codebook, at most two candidate themes."""
    folder = tmp_path_factory.mktemp("study")
    files = "\n".join(f"  - {SAMPLE / name}" for name in TWO)
    (folder / "condense.yaml").write_text(
        f"transcripts:\n{files}\ncases: {SAMPLE / 'cases.csv'}\ncodebook: {CODEBOOK_DA}\n"
        "emergent: {max_groups: 2}\noutput: results\n", encoding="utf-8")
    return folder / "condense.yaml"


@pytest.fixture(scope="module")
def project(study):
    return condense.load_project(study)


@pytest.fixture(scope="module")
def ran(study, project, tmp_path_factory):
    """`condense run` and `run()` on the same project, each into its own folder."""
    base = tmp_path_factory.mktemp("ran")
    invoke("run", study, "--out", base / "cli")
    result = condense.run(project, out=base / "lib")
    return base, result


def test_run_files_equal_the_verbs(ran):
    base, _ = ran
    assert digest(base / "cli") == digest(base / "lib")
    assert "themes.csv" in digest(base / "cli")


def test_discover_gives_the_candidates_run_gives(study, project, ran, tmp_path):
    base, result = ran
    invoke("discover", study, "--out", tmp_path / "candidates.yaml")
    # the same file, byte for byte, as the run's candidates.yaml (both honour `emergent: {max_groups: 2}`)
    assert (tmp_path / "candidates.yaml").read_bytes() == (base / "cli" / "candidates.yaml").read_bytes()
    found = condense.discover(project)
    assert [g.terms for g in found.groups] == [g.terms for g in result.discovery.groups]
    assert 1 <= len(found.groups) <= 2
    # without the setting the same material gives more groups: the limit is what makes them agree
    assert len(condense.discover(project, n_groups=3).groups) == 3


def test_tables_from_saved_codings_equal_the_run(study, project, ran, tmp_path):
    base, _ = ran
    invoke("tables", study, "--codings", base / "cli" / "codings.csv", "--out", tmp_path / "cli")
    condense.tables(project, codings=base / "cli" / "codings.csv", out=tmp_path / "lib")
    assert digest(tmp_path / "cli") == digest(tmp_path / "lib")
    # steps 3–4 over the run's own codings reproduce the run's theme table
    assert (tmp_path / "cli" / "themes.csv").read_bytes() == (base / "cli" / "themes.csv").read_bytes()


def test_tables_without_saved_codings_is_a_coded_error(study, tmp_path):
    result = runner.invoke(app, ["tables", str(study), "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "[E405]" in result.output and "Traceback" not in result.output


def test_segment_and_code_files_equal_the_verbs(tmp_path):
    inputs = [SAMPLE / "04_kastanjegaarden.txt"]
    invoke("segment", *inputs, "--out", tmp_path / "seg_cli")
    condense.segment(inputs, out=tmp_path / "seg_lib")
    assert digest(tmp_path / "seg_cli") == digest(tmp_path / "seg_lib")
    invoke("code", *inputs, "--out", tmp_path / "code_cli")
    condense.code(inputs, out=tmp_path / "code_lib")
    assert digest(tmp_path / "code_cli") == digest(tmp_path / "code_lib")


def test_review_export_and_import_equal_the_verbs(study, project, tmp_path):
    out = invoke("review", "export", study, "--out", tmp_path / "cli.csv")
    assert "Review sheet" in out
    condense.review_export(project, out=tmp_path / "lib.csv")
    assert (tmp_path / "cli.csv").read_bytes() == (tmp_path / "lib.csv").read_bytes()
    # fill one decision, import it through the command and through the verb
    import pandas as pd

    sheet = pd.read_csv(tmp_path / "cli.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    row = sheet.index[sheet["fase_forslag"] != ""][0]  # the sample is Danish: so is its sheet
    sheet.loc[row, "fase_beslutning"] = "godkend"
    sheet.loc[row, "koder"] = "AB"
    sheet.to_csv(tmp_path / "filled.csv", index=False)
    invoke("review", "import", tmp_path / "filled.csv", "--decisions", tmp_path / "cli_decisions.csv")
    imported = condense.review_import(tmp_path / "filled.csv", tmp_path / "lib_decisions.csv")
    assert imported.added == 1 and imported.replaced == 0
    assert (tmp_path / "cli_decisions.csv").read_bytes() == (tmp_path / "lib_decisions.csv").read_bytes()


def test_agree_files_equal_the_verbs(ran, tmp_path):
    base, _ = ran
    codings, reference = base / "cli" / "codings.csv", SAMPLE / "reference_coding.csv"
    out = invoke("agree", codings, reference, "--out", tmp_path / "cli")
    assert "κ" in out
    agreement = condense.agree(codings, reference, out=tmp_path / "lib")
    assert digest(tmp_path / "cli") == digest(tmp_path / "lib")
    assert agreement.n_units > 0


def test_init_and_codebook_merge_equal_the_verbs(ran, tmp_path):
    base, _ = ran
    invoke("init", tmp_path / "cli")
    condense.init_project(tmp_path / "lib")
    assert digest(tmp_path / "cli") == digest(tmp_path / "lib")
    candidates = base / "cli" / "candidates.yaml"
    out = invoke("codebook", "merge", CODEBOOK_DA, candidates, "--out", tmp_path / "cli.yaml")
    merged = condense.merge_codebooks(CODEBOOK_DA, candidates, out=tmp_path / "lib.yaml")
    assert (tmp_path / "cli.yaml").read_bytes() == (tmp_path / "lib.yaml").read_bytes()
    assert f"Merged {merged.added} candidate theme(s)" in out
    # merging the same candidates again: every id is already there, all reported at once, nothing written
    again = runner.invoke(app, ["codebook", "merge", str(tmp_path / "cli.yaml"), str(candidates), "--out",
                                str(tmp_path / "twice.yaml")])
    assert again.exit_code == 1 and again.output.count("[E209]") == merged.added
    assert not (tmp_path / "twice.yaml").exists()


def test_learn_files_equal_the_verbs(study, project, tmp_path):
    reference = SAMPLE / "reference_coding.csv"
    out = invoke("learn", reference, "--project", study, "--out", tmp_path / "cli")
    assert "κ (model)" in out
    model = condense.learn(reference, project, out=tmp_path / "lib")
    assert digest(tmp_path / "cli") == digest(tmp_path / "lib")
    assert set(model.report) == {"fase", "deltagelse", "tema"}
    # the model codes new material through `condense code --model`
    invoke("code", SAMPLE / "04_kastanjegaarden.txt", "--model", tmp_path / "cli", "--out", tmp_path / "coded")
    assert b",model," in (tmp_path / "coded" / "codings.csv").read_bytes()


def test_discover_says_how_many_candidates_it_did_not_write(study, tmp_path):
    """candidates.yaml holds the best `emergent: shortlist` candidates; the command counts what it wrote and
    says how many more there are and how to have them all."""
    short = tmp_path / "condense.yaml"
    short.write_text(study.read_text(encoding="utf-8").replace("emergent: {max_groups: 2}", "emergent: {shortlist: 1}")
                     .replace("output: results", f"output: {tmp_path / 'results'}"), encoding="utf-8")
    found = condense.discover(condense.load_project(short)).discovery
    assert len(found.groups) >= 3 and len(found.shown) == 1
    out = invoke("discover", short, "--out", tmp_path / "candidates.yaml")
    assert out.startswith(f"1 candidate theme(s) from {found.n_uncovered} uncovered units")
    assert f"… and {found.more} more, ranked below these; `emergent: {{shortlist: 0}}`" in out
    assert (tmp_path / "candidates.yaml").read_text(encoding="utf-8").count("status: candidate") == 1
