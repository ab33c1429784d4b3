"""The whole run on small constructed corpora: tables, consent, re-runs, failures, the researcher's writing."""
from __future__ import annotations

import csv
import hashlib
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from condense.pipeline import run, write_results
from condense.project import load_project
from condense.tables import quantifier

CODEBOOK = """\
codebook: mini
language: da
dimensions:
  - id: fase
    label: Fase
    themes:
      - {id: planlaegning, label: Planlægning, terms: [planlægge, planlægning, budget]}
      - {id: evaluering, label: Evaluering, terms: [evaluering, evaluere, tælle]}
  - id: deltagelse
    label: Deltagelse
    themes:
      - {id: beboer, label: Beboerne bestemte, phrases: [bestemte selv]}
      - {id: professionel, label: Vi bestemte, phrases: [vi besluttede]}
  - id: tema
    label: Tema
    multi_label: true
    threshold: 1.0
    themes:
      - {id: gaaklub, label: Gåklubben, origin: emergent, terms: [gåklub, gåtur]}
      - {id: mad, label: Mad, origin: emergent, terms: [fællesspisning, madklub]}
"""

FILLER = [
    "Vi havde kaffe på kontoret hver morgen, og der kom altid nogen forbi for at snakke om vejret og om naboerne.",
    "Om vinteren var der mørkt tidligt, så mange blev hjemme om aftenen, og det mærkede vi i hele området.",
    "Jeg har arbejdet i boligselskabet i mange år, og jeg kender de fleste familier i opgangene efterhånden.",
]


def interview(i: int, *, gaaklub: bool, extra: list[str] = (), anonymous: bool = False, withdrawn: str = "") -> str:
    lines = ["---", f"id: int{i}", f"cases: [Plan{i}]", "interviewer_labels: [I]", f"anonymous: {str(anonymous).lower()}", "---",
             "I: Hvordan planlagde I aktiviteterne?",
             "R: Vi planlagde det hele i en arbejdsgruppe med et lille budget, og beboerne bestemte selv, hvornår de ville mødes om tirsdagen.",
             "I: Og evalueringen?",
             "R: Vi talte deltagerne hver gang til evalueringen, og vi besluttede at skrive det ned i en lille bog på kontoret."]
    if gaaklub:
        lines += ["I: Hvad med gåklubben?",
                  f"R: Gåklubben i plan {i} gik tur hver torsdag, og gåturen sluttede altid med kaffe i beboerhuset bagefter med hinanden."]
    for k, text in enumerate(extra):
        lines += ["I: Noget andet?", f"R: {text}"]
    if withdrawn:
        lines += ["[[withdrawn]] R: " + withdrawn + " [[/withdrawn]]"]
    lines += ["I: Tak for snakken?", "R: Selv tak, det var hyggeligt at fortælle om det hele her i telefonen i dag."]
    return "\n\n".join(lines) + "\n"


def make_project(folder: Path, interviews: dict[str, str], *, cases: str | None = None, extra: str = "") -> Path:
    (folder / "transcripts").mkdir(parents=True, exist_ok=True)
    for name, text in interviews.items():
        (folder / "transcripts" / name).write_text(text, encoding="utf-8")
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    if cases is None:
        ids = sorted(int(n.split("_")[0][3:]) for n in interviews)
        cases = "case,region\n" + "".join(f"Plan{i},{'Nord' if i % 2 else 'Syd'}\n" for i in ids)
    (folder / "transcripts" / "cases.csv").write_text(cases, encoding="utf-8")
    (folder / "condense.yaml").write_text(textwrap.dedent(f"""\
        transcripts: transcripts
        codebook: codebook.yaml
        output: results
        {extra}"""), encoding="utf-8")
    return folder / "condense.yaml"


SIX = {f"int{i}_x.txt": interview(i, gaaklub=i != 6, extra=[FILLER[i % 3]]) for i in range(1, 7)}


@pytest.fixture
def six(tmp_path):
    return make_project(tmp_path, SIX)


@pytest.fixture(scope="module")
def six_run(tmp_path_factory):
    """One run of the six-interview project, shared by the tests that only read it: (project file, result)."""
    project = make_project(tmp_path_factory.mktemp("six"), SIX)
    return project, run(load_project(project))


def test_theme_in_five_of_six_interviews_gets_de_fleste(six_run):
    _, result = six_run
    themes = result.tables["themes"]
    row = themes[(themes.theme == "gaaklub") & (themes.subtheme == "")].iloc[0]
    assert (row.n_interviews, row.quantifier) == (5, "de fleste")
    assert row.share == round(5 / 6, 3)
    plan = themes[(themes.theme == "planlaegning") & (themes.subtheme == "")].iloc[0]
    assert plan.quantifier == "samtlige"


@pytest.mark.parametrize("n,total,word", [(27, 27, "samtlige"), (25, 27, "langt de fleste"), (15, 27, "de fleste"),
                                          (9, 27, "flere"), (5, 27, "nogle"), (2, 27, "enkelte"), (1, 27, "en enkelt")])
def test_quantifiers(n, total, word):
    assert quantifier(n, total, "da") == word


def test_matrix_sums_equal_the_coded_units(six_run):
    _, result = six_run
    m = result.tables["matrix_fase_x_deltagelse"]
    codings = result.tables["codings"]
    fase = set(codings[codings.dimension == "fase"].unit_id)
    delt = set(codings[codings.dimension == "deltagelse"].unit_id)
    assert m.n_units.sum() == len(fase & delt) > 0
    assert {"fase", "fase_label", "deltagelse", "n_units", "n_interviews", "example_unit_ids"} <= set(m.columns)


def test_every_quoted_row_has_a_real_quote_from_its_units(six_run):
    _, result = six_run
    units = {u.unit_id: u for u in result.segmentation.units}
    for row in result.tables["themes"].itertuples():
        if row.subtheme == "_unplaced":  # units placed in no sub-group: listed, never condensed or quoted
            assert row.golden_quote == "" and row.condensate == ""
            continue
        ids = row.unit_ids.split(";")
        if row.golden_quote:
            assert row.golden_unit_id in ids
            assert all(piece in units[row.golden_unit_id].text for piece in row.golden_quote.split(" […] "))
        assert row.condensate.startswith("[UDKAST]")


def test_crosstab_by_case_attribute(six_run):
    _, result = six_run
    ct = result.tables["crosstab_region"]
    assert list(ct.columns) == ["dimension", "theme", "theme_label", "Nord", "Syd"]
    totals = ct.iloc[0]
    assert (totals.Nord, totals.Syd) == (3, 3)
    gaa = ct[ct.theme == "gaaklub"].iloc[0]
    assert (gaa.Nord, gaa.Syd) == (3, 2)  # interview 6 (Syd) has no walking club


def test_withdrawn_passage_appears_in_no_output(tmp_path):
    secret = "Familien Jensen fik en bøde af kommunen for deres gåklub og flyttede bagefter til Sønderborg i vrede."
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, withdrawn=secret if i == 2 else "") for i in range(1, 5)}
    out = tmp_path / "results"
    result = run(load_project(make_project(tmp_path, texts)))
    write_results(result, out)
    assert result.corpus.transcript("int2").withdrawn == 1
    for path in sorted(p for p in out.rglob("*") if p.is_file()):  # figures/ too
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            import zipfile

            with zipfile.ZipFile(path) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        assert b"Jensen" not in data and "Sønderborg".encode() not in data, path.name


def test_anonymous_respondent_quote_carries_no_case_name(tmp_path):
    texts = {"int1_x.txt": interview(1, gaaklub=True, anonymous=True)}
    result = run(load_project(make_project(tmp_path, texts)))
    themes = result.tables["themes"]
    quoted = themes[themes.golden_quote != ""]
    assert len(quoted) > 0
    assert set(quoted.quote_source) == {"anonym informant"}
    segs = result.tables["segments"]
    assert set(segs.cases) == {""} and set(segs.speaker) == {""}
    report = write_results(result, tmp_path / "out") / "report.md"
    assert "(Plan1)" not in report.read_text(encoding="utf-8")


def test_planted_topic_nobody_coded_comes_back_as_a_candidate(tmp_path):
    homework = [
        "Lektiecaféen om onsdagen var fuld af børn, og frivillige hjalp med matematik og lektier til sent.",
        "I lektiecaféen sad forældrene også nogle gange og fik hjælp til breve, mens børnene lavede lektier.",
        "Lektiecaféen startede med fem børn, og til sidst kom der tredive børn med lektier hver onsdag.",
    ]
    texts = {}
    for i in range(1, 7):
        extra = [homework[i % 3], FILLER[i % 3]] if i <= 4 else [FILLER[i % 3], FILLER[(i + 1) % 3]]
        texts[f"int{i}_x.txt"] = interview(i, gaaklub=True, extra=extra)
    result = run(load_project(make_project(tmp_path, texts)))
    groups = result.discovery.groups
    found = [g for g in groups if "lektiecafe" in g.lemmas or "lektie" in g.lemmas]  # terms are shown as written
    assert found, [g.terms for g in groups]
    assert len(found[0].transcripts) >= 3
    cand = result.candidates
    theme = [t for t in cand.dimension("tema").themes if t.id == found[0].id][0]
    assert theme.status == "candidate" and theme.origin == "emergent" and "lektiecaf" in " ".join(theme.terms)


def test_candidates_merge_into_a_valid_codebook(tmp_path, six_run):
    from condense.codebook import load_codebook, merge_codebooks, parse_codebook, dump_codebook

    six, result = six_run
    out = write_results(result, tmp_path / "r")
    cand = load_codebook(out / "candidates.yaml")
    merged, conflicts = merge_codebooks(load_codebook(six.parent / "codebook.yaml"), cand)
    assert conflicts == []
    parse_codebook(dump_codebook(merged))


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_reruns_are_byte_identical(six_run, tmp_path):
    six, first = six_run  # the module's first run against a fresh one
    a = write_results(first, tmp_path / "a")
    b = write_results(run(load_project(six)), tmp_path / "b")
    da, db = _digest(a), _digest(b)
    assert [n for n in da if da[n] != db.get(n)] == []
    assert {"themes.csv", "segments.csv", "matrix_fase_x_deltagelse.csv", "results.xlsx", "report.md",
            "manifest.json", "candidates.yaml", "units.csv", "codings.csv", "report.html",
            "figures/matrix_fase_x_deltagelse.svg", "figures/matrix_fase_x_deltagelse.png",
            "figures/theme_prevalence.png", "figures/theme_case.svg"} <= set(_digest(a))


def test_researchers_condensate_survives_a_rerun(six):
    project = load_project(six)
    first = run(project)
    row = first.tables["themes"].query("theme == 'gaaklub' and subtheme == ''").iloc[0]
    unit = row.unit_ids.split(";")[-1]
    path = six.parent / "condensates.csv"
    path.write_text("dimension,theme,subtheme,condensate,golden_unit_id,note\n"
                    f"tema,gaaklub,,Vi gik sammen hver torsdag og sluttede med kaffe.,{unit},skrevet af AB\n"
                    "tema,findes_ikke,,Noget.,,\n", encoding="utf-8")
    before = path.read_bytes()
    for _ in range(2):
        result = run(project)
        write_results(result, six.parent / "results")
        row = result.tables["themes"].query("theme == 'gaaklub' and subtheme == ''").iloc[0]
        assert row.condensate == "Vi gik sammen hver torsdag og sluttede med kaffe."
        units = {u.unit_id: u.text for u in result.segmentation.units}
        assert row.golden_quote == units[unit]
        assert [w.code for w in result.diagnostics if w.code == "W108"] == ["W108"]
    assert path.read_bytes() == before  # never written


@pytest.mark.parametrize("writer", ["export.write_markdown", "io.save_xlsx"])  # written here / rendered beside
def test_failed_run_leaves_previous_results_intact(six, monkeypatch, writer):
    project = load_project(six)
    out = six.parent / "results"
    write_results(run(project), out)
    before = _digest(out)
    import condense.export
    import condense.io

    def broken(*args, **kwargs):
        raise RuntimeError("disk full half-way")

    module, name = writer.split(".")
    monkeypatch.setattr({"export": condense.export, "io": condense.io}[module], name, broken)
    with pytest.raises(RuntimeError):
        write_results(run(project), out)
    assert _digest(out) == before
    assert not [p for p in six.parent.iterdir() if p.name.startswith(".results")]


def test_default_run_on_the_sample(sample_run):
    result, out = sample_run
    themes = pd.read_csv(out / "themes.csv", encoding="utf-8-sig", keep_default_na=False)
    assert set(themes.dimension) == {"fase", "deltagelse", "tema"}
    units = pd.read_csv(out / "units.csv", encoding="utf-8-sig", keep_default_na=False)
    text_of = dict(zip(units.unit_id, units.text))
    quoted = themes[themes.golden_quote != ""]
    for row in quoted.itertuples():  # a quote is sentences of its own unit, words unchanged ("[…]" marks a cut)
        assert row.golden_unit_id in row.unit_ids.split(";")
        assert all(piece in text_of[row.golden_unit_id] for piece in row.golden_quote.split(" […] "))
    assert quoted.golden_unit_id.is_unique
    assert (themes.quantifier != "").all()
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"sha256"' in manifest and "beboerinddragelse" in manifest
    sheet_names = __import__("openpyxl").load_workbook(out / "results.xlsx", read_only=True).sheetnames
    assert "temaer" in sheet_names and "matrix fase × deltagelse" in sheet_names  # a Danish run's workbook is Danish


def test_full_collections_leave_a_runs_units_alone_until_it_ends(six, tmp_path, monkeypatch):
    # A run's units, codings and tables live until it ends; every full collection scanned them all again
    # (at 1M words 9 of 21 CPU s). While steps 3-4 and the writing run they sit in the collector's permanent
    # generation; afterwards nothing stays frozen, so a notebook that drops a run gets its memory back.
    import gc

    import condense.export

    frozen: dict[str, int] = {}
    result = run(load_project(six), stage=lambda name: frozen.setdefault(name, gc.get_freeze_count()))
    assert gc.get_freeze_count() == 0
    n_units = len(result.units)
    assert frozen["ingest"] == frozen["segment"] == 0  # nothing yet: the units are being made
    assert all(frozen[s] > n_units for s in ("code", "discover", "condense", "tables")), frozen

    seen = []
    real = condense.export.start_tables
    monkeypatch.setattr(condense.export, "start_tables",
                        lambda *args: seen.append(gc.get_freeze_count()) or real(*args))
    write_results(result, tmp_path / "out")
    assert seen and seen[0] > n_units and gc.get_freeze_count() == 0


def test_a_paused_collector_inside_a_settled_block_keeps_what_it_froze():
    import gc

    from condense.model import gc_paused, gc_settled

    with gc_settled():
        before = gc.get_freeze_count()
        with gc_paused():
            made = [[i] for i in range(1000)]
        assert gc.get_freeze_count() >= before + 1000  # the new objects join the settled ones, none thawed
    assert gc.get_freeze_count() == 0 and len(made) == 1000
