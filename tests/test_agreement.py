"""Agreement figures equal scikit-learn's and the krippendorff package's on the same data."""
from __future__ import annotations

import csv
import math
import random
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from condense.agreement import agree, read_coding_file


def write(path, rows, transcript=True):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow((["transcript"] if transcript else []) + ["unit_id", "dimension", "theme"])
        for r in rows:
            w.writerow(([r[0]] if transcript else []) + list(r[1:]))
    return path


def reference(a, b):
    values = sorted(set(a) | set(b))
    idx = {v: i for i, v in enumerate(values)}
    k = cohen_kappa_score(a, b) if len(values) > 1 else math.nan
    al = krippendorff.alpha(reliability_data=np.array([[idx[x] for x in a], [idx[x] for x in b]], float),
                            level_of_measurement="nominal") if len(values) > 1 else math.nan
    return k, al


def same(x, y):
    return (math.isnan(x) and math.isnan(y)) or abs(x - y) < 1e-4


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_data_matches_reference_implementations(tmp_path, seed):
    rng = random.Random(seed)
    themes = ["a", "b", "c", ""]
    la = [rng.choice(themes) for _ in range(60)]
    lb = [x if rng.random() < 0.6 else rng.choice(themes) for x in la]
    write(tmp_path / "a.csv", [("t1", f"u{i}", "fase", x) for i, x in enumerate(la)])
    write(tmp_path / "b.csv", [("t1", f"u{i}", "fase", x) for i, x in enumerate(lb)])
    result = agree(read_coding_file(tmp_path / "a.csv"), read_coding_file(tmp_path / "b.csv"))
    row = result.table.query("dimension == 'fase' and theme == '' and scope == 'uncoded_as_none'").iloc[0]
    na = [x or "none" for x in la]
    nb = [x or "none" for x in lb]
    k, al = reference(na, nb)
    assert row.n_units == 60
    assert same(row.cohen_kappa, k) and same(row.krippendorff_alpha, al)
    assert same(row.percent_agreement, sum(x == y for x, y in zip(na, nb)) / 60)
    # per theme: presence/absence
    t = result.table.query("dimension == 'fase' and theme == 'a' and scope == 'uncoded_as_none'").iloc[0]
    pa = ["yes" if x == "a" else "no" for x in la]
    pb = ["yes" if x == "a" else "no" for x in lb]
    k, al = reference(pa, pb)
    assert same(t.cohen_kappa, k) and same(t.krippendorff_alpha, al)
    both = sum(1 for x, y in zip(la, lb) if x == y == "a")
    assert same(t.precision, both / la.count("a")) and same(t.recall, both / lb.count("a"))


@pytest.mark.parametrize("seed", range(6))
def test_our_kappa_is_scikit_learns_to_the_last_bit(seed):
    """κ is computed without scikit-learn (its import cost more than a small run): the same figure, exactly."""
    from condense.agreement import cohen_kappa as _kappa

    rng = random.Random(seed)
    labels = [f"t{i}" for i in range(rng.randint(2, 12))]
    a = [rng.choice(labels) for _ in range(rng.randint(5, 400))]
    b = [x if rng.random() < rng.random() else rng.choice(labels) for x in a]
    if len(set(a) | set(b)) < 2:
        b[0] = "other"
    assert _kappa(a, b) == float(cohen_kappa_score(a, b))
    assert _kappa(["x"] * 5, ["y"] * 5) == float(cohen_kappa_score(["x"] * 5, ["y"] * 5))  # no agreement at all: 0
    assert math.isnan(_kappa(["x"] * 5, ["x"] * 5))  # one category only: undefined


def test_degenerate_one_class_and_total_disagreement(tmp_path):
    write(tmp_path / "a.csv", [("t", f"u{i}", "fase", "a") for i in range(5)])
    write(tmp_path / "b.csv", [("t", f"u{i}", "fase", "a") for i in range(5)])
    row = agree(read_coding_file(tmp_path / "a.csv"), read_coding_file(tmp_path / "b.csv")).summary().iloc[0]
    assert math.isnan(row.cohen_kappa) and math.isnan(row.krippendorff_alpha) and row.percent_agreement == 1.0
    write(tmp_path / "c.csv", [("t", f"u{i}", "fase", "a" if i % 2 else "b") for i in range(6)])
    write(tmp_path / "d.csv", [("t", f"u{i}", "fase", "b" if i % 2 else "a") for i in range(6)])
    row = agree(read_coding_file(tmp_path / "c.csv"), read_coding_file(tmp_path / "d.csv")).summary().iloc[0]
    la = ["a" if i % 2 else "b" for i in range(6)]
    lb = ["b" if i % 2 else "a" for i in range(6)]
    k, al = reference(la, lb)
    assert same(row.cohen_kappa, k) and same(row.krippendorff_alpha, al) and row.percent_agreement == 0.0


def test_scopes_and_coverage(tmp_path):
    # A (no transcript column) coded three units; B covers transcript t1 only, with an explicit none
    write(tmp_path / "a.csv", [(None, "u1", "fase", "a"), (None, "u2", "fase", "b"), (None, "x9", "fase", "a")], transcript=False)
    write(tmp_path / "b.csv", [("t1", "u1", "fase", "a"), ("t1", "u2", "fase", "a"), ("t1", "u3", "fase", "")])
    result = agree(read_coding_file(tmp_path / "a.csv"), read_coding_file(tmp_path / "b.csv"))
    s = result.summary().set_index("scope")
    assert s.loc["uncoded_as_none", "n_units"] == 3  # x9 is outside what B covers
    assert s.loc["named_only", "n_units"] == 2  # u3: A said nothing
    assert s.loc["uncoded_as_none", "percent_agreement"] == round(2 / 3, 4)


def test_cli_agree_against_the_reference_coding(tmp_path):
    from typer.testing import CliRunner

    from condense.cli import app
    from conftest import SAMPLE

    runner = CliRunner()
    out = tmp_path / "coded"
    assert runner.invoke(app, ["code", str(SAMPLE), "--out", str(out)]).exit_code == 0
    res = runner.invoke(app, ["agree", str(out / "codings.csv"), str(SAMPLE / "reference_coding.csv"), "--out", str(tmp_path / "agr")])
    assert res.exit_code == 0, res.output
    table = __import__("pandas").read_csv(tmp_path / "agr" / "agreement.csv", encoding="utf-8-sig", keep_default_na=False)
    assert {"dimension", "theme", "scope", "n_units", "cohen_kappa", "krippendorff_alpha", "percent_agreement",
            "precision", "recall", "f1"} <= set(table.columns)
    fase = table.query("dimension == 'fase' and theme == '' and scope == 'uncoded_as_none'").iloc[0]
    assert fase.n_units >= 300 and 0.3 < fase.cohen_kappa < 0.9


def _with_source(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit_id", "dimension", "theme", "source", "coder"])
        w.writerows(rows)
    return path


def test_only_coded_compares_exactly_the_units_a_student_coded(tmp_path):
    """A student codes 4 of 10 units; the reference codes all 10 (issue 18: κ over exactly those units)."""
    ref = write(tmp_path / "ref.csv", [("t", f"u{i}", "fase", "a" if i % 2 else "b") for i in range(10)], transcript=False)
    mine = _with_source(tmp_path / "mine.csv", [(f"u{i}", "fase", "a" if i % 2 else "b", "human", "student") for i in range(4)])
    full = agree(read_coding_file(mine), read_coding_file(ref))
    only = agree(read_coding_file(mine), read_coding_file(ref), only_coded=True)
    row = lambda r: r.summary().set_index("scope").loc["uncoded_as_none"]  # noqa: E731
    assert row(full).n_units == 10 and row(full).cohen_kappa < 1  # six uncoded units count as "none"
    assert row(only).n_units == 4 and row(only).cohen_kappa == 1.0
    assert only.n_units == 4 and "4 units in 1 transcript" in only.statement[-1] and "only the units A coded" in only.statement[-1]
    assert [w.code for w in full.diagnostics] == ["W512"] and "6 unit(s)" in full.diagnostics.warnings[0].message
    assert not len(only.diagnostics)
    assert "student" in only.statement[0] and "human" in only.statement[0]
    assert "--only-coded to compare only the units A coded" in str(full.diagnostics.warnings[0])


def test_the_fix_for_gaps_in_b_says_to_give_b_first(tmp_path):
    """With the partial coding given second, W512 said "pass --only-coded to compare only the units A coded":
    that keeps the units the full reference coded, every one, and changes nothing."""
    ref = write(tmp_path / "ref.csv", [("t", f"u{i}", "fase", "a" if i % 2 else "b") for i in range(10)], transcript=False)
    mine = _with_source(tmp_path / "mine.csv", [(f"u{i}", "fase", "a" if i % 2 else "b", "human", "student") for i in range(4)])
    said = str(agree(read_coding_file(ref), read_coding_file(mine)).diagnostics.warnings[0])
    assert "that B did not code" in said and "give B's file first and pass --only-coded" in said, said


def test_a_dimension_coded_on_one_side_only_is_named(tmp_path):
    a = write(tmp_path / "a.csv", [("t", "u1", "fase", "x"), ("t", "u1", "tema", "y"), ("t", "u2", "fase", "x")])
    b = write(tmp_path / "b.csv", [("t", "u1", "fase", "x"), ("t", "u2", "fase", "z")])
    result = agree(read_coding_file(a), read_coding_file(b))
    assert [(w.code, "tema" in w.message) for w in result.diagnostics] == [("W513", True)]
    assert "dimensions: fase, tema" in result.statement[-1]


def test_a_model_only_dimension_is_compared_on_its_model_rows(tmp_path):
    coded = _with_source(tmp_path / "codings.csv", [
        ("u1", "fase", "a", "rule", ""), ("u2", "fase", "b", "rule", ""),
        ("u1", "tema", "x", "model", ""), ("u2", "tema", "y", "model", ""), ("u2", "fase", "a", "model", "")])
    ref = write(tmp_path / "ref.csv", [("t", "u1", "fase", "a"), ("t", "u2", "fase", "b"),
                                       ("t", "u1", "tema", "x"), ("t", "u2", "tema", "y")], transcript=False)
    f = read_coding_file(coded)
    assert f.sources == {"fase": ["rule"], "tema": ["model"]}  # fase keeps its rule rows only
    result = agree(f, read_coding_file(ref)).summary().set_index(["dimension", "scope"])
    assert result.loc[("tema", "uncoded_as_none")].cohen_kappa == 1.0
    assert result.loc[("fase", "uncoded_as_none")].cohen_kappa == 1.0


def test_a_review_sheet_given_to_agree_says_to_import_it_first(tmp_path):
    """Two coders compare their filled review sheets: `condense agree` said only "no column 'dimension'"."""
    from condense.errors import CondenseError

    sheet = tmp_path / "mine.csv"
    sheet.write_text("unit_id,fingerprint,text,tema_suggested,tema_decision,tema_add\nint1:0001:1,,x,mad,accept,\n",
                     encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        read_coding_file(sheet)
    beside = tmp_path / "mine.decisions.csv"
    assert err.value.code == "E517" and f"condense review import {sheet} --decisions {beside}`" in str(err.value)
    danish = tmp_path / "min.csv"  # a Danish study's sheet: its headers are Danish, unit_id too
    danish.write_text("enhed (id),fingeraftryk,tekst,tema_forslag,tema_beslutning,tema_tilføj\nint1:0001:1,,x,mad,"
                      "godkend,\n", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        read_coding_file(danish)
    assert err.value.code == "E517"
    plain = tmp_path / "other.csv"
    plain.write_text("unit_id,code\nint1:0001:1,mad\n", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        read_coding_file(plain)
    assert err.value.code == "E504" and "'dimension'" in str(err.value)


def test_a_results_folder_or_its_workbook_is_compared_through_its_codings(sample_run, tmp_path):
    """`condense agree results/results.xlsx reference.csv` (or the folder): the workbook's sheets are localised for
    reading, so the run's codings.csv beside it is compared, the same figures as naming codings.csv."""
    _, out = sample_run
    ref = write(tmp_path / "ref.csv", [("t", "u1", "fase", "a")], transcript=False)
    by_file = agree(read_coding_file(out / "codings.csv"), read_coding_file(ref))
    for given in (out, out / "results.xlsx"):
        side = read_coding_file(given)
        assert side.path == str(out / "codings.csv")
        assert agree(side, read_coding_file(ref)).table.equals(by_file.table)
    (tmp_path / "empty").mkdir()
    with pytest.raises(Exception) as err:  # a folder that is no run's results: said so, not "Is a directory"
        read_coding_file(tmp_path / "empty")
    assert err.value.code == "E503" and "codings.csv" in str(err.value)


# ---------------------------------------------------------------- anonymous respondents, the study's language
SAMPLE_REFERENCE = Path(__file__).resolve().parents[1] / "transcripts_sample" / "reference_coding.csv"


def _output_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8-sig") for p in sorted(folder.iterdir()))


def test_agree_compares_an_anonymous_respondents_units_under_either_id_as_the_run_does(sample_run, tmp_path, monkeypatch):
    """The sample's reference coding names 10_kildebakken's units by its real id, the run's codings.csv by its
    public one (anonym-01): `condense agree` compared the reference's 243 rows of it with "none" and gave
    κ 0.667 in 'fase' where the run reported 0.824 for the same two codings. Now the figures are the run's, and
    no output names the anonymous interview."""
    import condense

    result, out = sample_run
    monkeypatch.chdir(tmp_path)  # no condense.yaml here: the study is the sample, whose reference B is
    outcome = condense.agree(out / "codings.csv", SAMPLE_REFERENCE, out=tmp_path / "agree")
    run_summary = result.tables["agreement"].query("theme == ''").reset_index(drop=True)
    assert outcome.summary().reset_index(drop=True).equals(run_summary)
    assert outcome.table.equals(result.tables["agreement"])
    text = _output_text(tmp_path / "agree").casefold()
    assert "anonym-01:" in text and "kildebakken" not in text
    listed = pd.read_csv(tmp_path / "agree" / "disagreements.csv")
    assert set(listed.columns) >= {"unit_id", "dimension", "theme_a", "theme_b"} and len(listed)
    assert not listed.unit_id.str.startswith("10_").any()


def test_ids_that_cannot_be_matched_without_the_study_are_refused_naming_no_real_id(sample_run, tmp_path, monkeypatch):
    """A copy of the reference outside the sample, no project: the public and the real id cannot be matched, so
    no κ (E518), and the message names the public id only; with --project the same files compare."""
    from condense.cli import app
    from typer.testing import CliRunner

    _, out = sample_run
    ref = tmp_path / "colleague.csv"
    ref.write_bytes(SAMPLE_REFERENCE.read_bytes())
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["agree", str(out / "codings.csv"), str(ref), "--out", "agree"])
    assert res.exit_code == 1 and "[E518]" in res.output and "anonym-01" in res.output, res.output
    assert "kildebakken" not in res.output.casefold() and "Traceback" not in res.output
    assert not (tmp_path / "agree").exists()
    sample = SAMPLE_REFERENCE.parent
    res = CliRunner().invoke(app, ["agree", str(out / "codings.csv"), str(ref), "--project", str(sample), "--out", "agree"])
    assert res.exit_code == 0, res.output
    assert "kildebakken" not in _output_text(tmp_path / "agree").casefold()


def test_the_report_of_a_danish_study_reads_in_danish_with_the_codebooks_names(sample_run, tmp_path, monkeypatch):
    """report.md of `condense agree` was English with theme ids in a Danish study; it now reads as report.md of
    the run does: Danish words, decimal comma, the codebook's names, and each theme's figures."""
    _, out = sample_run
    monkeypatch.chdir(tmp_path)
    import condense

    condense.agree(out / "codings.csv", SAMPLE_REFERENCE, out=tmp_path / "agree")
    md = (tmp_path / "agree" / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Overensstemmelse") and "enheder sammenlignet" in md and "Pr. tema" in md
    assert "| Projektfase | ukodet som ingen | 435 | 0,824 |" in md
    assert "| Projektfase | Evaluering |" in md
    assert "uncoded_as_none" not in md and "0.824" not in md and "compared" not in md
    # where they part: per transcript and dimension (the anonymous interview by its public id), and a word on
    # 'tema', whose units carry several themes and whose dimension κ compares whole sets
    assert "| transskription | Deltagelsestype | Projektfase | Tema |" in md and "| anonym-01 |" in md
    assert "i Tema har enheder flere temaer" in md and "kildebakken" not in md  # the dimension by its name


def test_an_anonymous_speakers_units_in_a_joint_interview_are_read_under_the_speakers_public_id(write):
    """A file keyed by the real id of a joint interview with one anonymous speaker: that speaker's turns go under
    the public id the run gives their units, the other speaker's stay (decisions and references translated
    only whole anonymous interviews)."""
    from types import SimpleNamespace

    from condense.ingest import ingest
    from condense.privacy import privacy_of

    path = write("t/fam.txt", "---\nid: fam\nanonymous: [B]\ninterviewer_labels: [I]\n---\nI: Hvordan gik det?\n\n"
                              "A: Det gik godt med budgettet i år.\n\nB: Jeg syntes det var svært med tiderne.\n")
    corpus = ingest([path.parent])
    privacy = privacy_of(SimpleNamespace(path=None, pseudonyms=None, transcripts=[path.parent]), corpus)
    turns = {turn.speaker: turn.index for turn in corpus.transcripts[0].turns}
    assert privacy.translate_unit_id(f"fam:{turns['B']:04d}:1") == f"anonym-01:{turns['B']:04d}:1"
    assert privacy.translate_unit_id(f"fam:{turns['A']:04d}:1") == f"fam:{turns['A']:04d}:1"


def test_a_study_folder_whose_project_cannot_be_read_still_compares_files_keyed_alike(tmp_path, monkeypatch):
    """agree looks for ./condense.yaml to match ids; one it cannot read (its transcripts gone) must not stop
    two files that name their units alike from being compared, as they were before; named with --project, it is
    the coded error it is."""
    from condense.cli import app
    from typer.testing import CliRunner

    (tmp_path / "condense.yaml").write_text("transcripts: gone/\n", encoding="utf-8")
    write(tmp_path / "a.csv", [("t", "t:0001:1", "fase", "x"), ("t", "t:0003:1", "fase", "y")])
    write(tmp_path / "b.csv", [("t", "t:0001:1", "fase", "x"), ("t", "t:0003:1", "fase", "x")])
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["agree", "a.csv", "b.csv"])
    assert res.exit_code == 0 and "2 units" in res.output, res.output
    res = CliRunner().invoke(app, ["agree", "a.csv", "b.csv", "--project", "condense.yaml"])
    assert res.exit_code == 1 and "Error [E" in res.output and "Traceback" not in res.output, res.output


def test_agree_in_a_danish_study_prints_and_writes_danish_with_the_codebooks_names(sample_run, tmp_path, monkeypatch):
    """`condense agree` printed its table in English (title, headers, 'uncoded_as_none', 0.824) while its report.md
    was Danish, and both said "rækker fra rule" (the coding's source by its machine word) and named the
    dimensions by their ids where the tables name them by the codebook's names; disagreements.csv gave
    theme ids alone. Now the console reads as report.md does, and each side's themes have their names beside
    the ids (as the review sheet's tema_navn), the anonymous interview by its public id only."""
    from typer.testing import CliRunner

    from condense.cli import app
    from condense.i18n import english_words

    _, out = sample_run
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["agree", str(out / "codings.csv"), str(SAMPLE_REFERENCE), "--out", "agree"])
    assert res.exit_code == 0, res.output
    printed = " ".join(res.output.split())
    assert "Overensstemmelse mellem codings.csv (A) og reference_coding.csv (B): 435 enheder" in printed
    assert "omfang" in printed and "enighed" in printed and "│ Projektfase │ ukodet som ingen │ 435 │ 0,824 │" in printed
    assert "rækker fra regel" in printed and not english_words(res.output), english_words(res.output)
    assert "dimensioner: Deltagelsestype, Projektfase, Tema" in printed  # by their names, as in the table
    md = (tmp_path / "agree" / "report.md").read_text(encoding="utf-8")
    assert "rækker fra regel" in md and "rule" not in md
    listed = pd.read_csv(tmp_path / "agree" / "disagreements.csv", keep_default_na=False)
    assert list(listed.columns[3:7]) == ["theme_a", "theme_a_label", "theme_b", "theme_b_label"]
    fase = listed[listed.dimension == "fase"]
    named = dict(zip(fase.theme_a, fase.theme_a_label)) | dict(zip(fase.theme_b, fase.theme_b_label))
    assert named["evaluering"] == "Evaluering" and named["none"] == "ingen"
    assert "kildebakken" not in (tmp_path / "agree" / "disagreements.csv").read_text(encoding="utf-8-sig").casefold()


def test_the_runs_agreement_speaks_the_codebooks_language_as_agree_does(sample_run):
    """The run's agreement with its reference coding said what it compared in English and named the dimensions by
    id ("dimensions: deltagelse, fase, tema") in a Danish study, where `condense agree` on the same files speaks the
    codebook's language and names ("dimensioner: Deltagelsestype, Projektfase, Tema"). The run's does so too."""
    result, _ = sample_run
    statement = " ".join(result.agreement.statement)
    assert "sammenlignet" in statement and "dimensioner: Deltagelsestype, Projektfase, Tema" in statement, statement
    assert statement.startswith("A = denne kørsels kodning"), statement
    assert "compared" not in statement and result.agreement.language == "da"
    assert "Projektfase" in result.agreement.to_markdown()
