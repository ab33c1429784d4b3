"""`condense.run()`: the whole pipeline, top-down as DESIGN.md §2 draws it.

    transcripts ─ ingest ─ segment ─ code ─ review (decisions) ─ discover ─ condense ─ tables ─ export

Each step is a plain function of its own module; this module only chains them from a :class:`Project`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .codebook import Codebook, load_codebook
from .errors import CondenseError, Diagnostics
from .ingest import Corpus, ingest
from .project import OutputFolder, Project
from .segment import Segmentation, Settings, segment


@dataclass
class RunResult:
    project: Project
    corpus: Corpus
    segmentation: Segmentation
    diagnostics: Diagnostics
    tables: dict = field(default_factory=dict)  # name -> DataFrame (later steps fill it)
    extras: dict = field(default_factory=dict)
    codebook: Codebook | None = None
    codings: list = field(default_factory=list)


def segmentation_settings(project: Project) -> Settings:
    s = project.segmentation
    return Settings(mode=s.get("mode", "window"), max_sentences=int(s.get("max_sentences", 3)),
                    max_words=int(s.get("max_words", 80)))


def load_units(project: Project, *, diagnostics: Diagnostics | None = None,
               progress: Callable | None = None) -> tuple[Corpus, Segmentation]:
    """Ingest and segment a project's transcripts (the first two steps of every command)."""
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    corpus = ingest(project.transcripts, cases_file=project.cases, interviewer_labels=project.interviewer_labels,
                    language=project.language, diagnostics=diagnostics, progress=progress)
    nlp = None
    if project.spacy_model:
        from .nlp import load_nlp

        nlp = load_nlp(project.language, model=project.spacy_model)
    seg = segment(corpus.transcripts, settings=segmentation_settings(project), nlp=nlp)
    return corpus, seg


def make_coder(project: Project, codebook: Codebook | None = None):
    """The rule coder for a project's codebook and coding settings."""
    from .coding import Coder, CoderSettings

    codebook = codebook or load_codebook(project.codebook)
    try:
        settings = CoderSettings.from_dict(project.coding)
    except (ValueError, TypeError) as exc:
        raise CondenseError("E401", path=str(project.path or "(project)"), line="", detail=str(exc),
                            fix="Check the `coding:` settings in the project file.") from exc
    return Coder(codebook, settings)


def coded_units(project: Project, *, progress: Callable | None = None):
    """Ingest, segment and code a project, with its review decisions applied (for review and discovery).

    Returns (codebook, units, codings, diagnostics).
    """
    from .review import final_codings

    diagnostics = Diagnostics()
    codebook = load_codebook(project.codebook)
    diagnostics.extend(codebook.diagnostics)
    corpus, seg = load_units(project, diagnostics=diagnostics, progress=progress)
    outcome, _ = code_and_review(project, codebook, seg)
    return codebook, seg.units, final_codings(outcome.codings, codebook), diagnostics


def code_and_review(project: Project, codebook: Codebook, seg: Segmentation):
    """Rule codings (+ the learned model's, if the project names one) with the review decisions applied.

    Returns (the review outcome, the number of decisions read).
    """
    from .review import apply_decisions, read_decisions

    codings = make_coder(project, codebook)(seg.units, seg.questions)
    if project.model is not None:
        from .learn import load_model

        codings += load_model(project.model).suggest(seg.units)
    decisions = read_decisions(project.decisions, codebook) if project.decisions else []
    return apply_decisions(codings, seg.units, decisions, codebook), len(decisions)


def run(project: Project, *, progress: Callable | None = None) -> RunResult:
    """Run the pipeline on a project and return every table as a DataFrame (nothing written).

    ingest → segment → code (rules, + learned model if the project names one) → apply review decisions
    → discover candidate themes → condense (sub-groups, drafts, golden quotes) → tables.
    """
    from .coding import codings_frame, units_coded_frame
    from .condensation import apply_researcher_condensates, condense
    from .emergent import candidates_codebook, discover, key_terms
    from .review import DECISION_COLUMNS, final_codings
    from .tables import TableSettings, cooccurrence, crosstab, matrix, matrix_wide, segments, themes_table

    import pandas as pd

    diagnostics = Diagnostics()
    codebook = load_codebook(project.codebook)
    diagnostics.extend(codebook.diagnostics)
    try:
        table_settings = TableSettings.from_dict(project.tables)
    except ValueError as exc:
        raise CondenseError("E401", path=str(project.path or "(project)"), line="", detail=str(exc),
                            fix="Check the `tables:` settings in the project file.") from exc

    # STC step 2: meaning units and codes
    corpus, seg = load_units(project, diagnostics=diagnostics, progress=progress)
    result = RunResult(project, corpus, seg, diagnostics, codebook=codebook)
    units = seg.units
    outcome, n_decisions = code_and_review(project, codebook, seg)
    if outcome.orphaned:
        diagnostics.warn("W107", path=str(project.decisions), n=len(outcome.orphaned))
    result.codings = outcome.codings
    final = final_codings(outcome.codings, codebook)
    result.extras["review"] = {"applied": outcome.applied, "orphaned": len(outcome.orphaned),
                               "relocated": outcome.relocated, "decisions": n_decisions}

    # STC steps 1–2: total impression and emergent candidates
    emergent = dict(project.emergent)
    discovery = discover(units, final, codebook, dimensions=emergent.get("dimensions"),
                         n_groups=emergent.get("n_groups"), min_groups=int(emergent.get("min_groups", 2)),
                         max_groups=int(emergent.get("max_groups", 8)), random_state=int(emergent.get("random_state", 0)))
    by_id = {u.unit_id: u for u in units}
    result.extras["discovery"] = discovery
    result.extras["candidates"] = candidates_codebook(discovery, codebook, by_id)
    result.extras["key_terms"] = key_terms(units, codebook.language)

    # STC step 3: condensation; the researcher's own condensates replace the drafts
    condensation = condense(units, final, codebook)
    applied = apply_researcher_condensates(condensation, project.condensates, by_id, diagnostics)
    result.extras["researcher_rows"] = [(g.dimension, g.theme, g.subtheme) for g in condensation.groups if g.researcher]

    # STC step 4: tables
    t = result.tables
    t["units"] = seg.to_frame()
    t["codings"] = codings_frame(outcome.codings)
    t["units_coded"] = units_coded_frame(units, final, [d.id for d in codebook.dimensions])
    t["segments"] = segments(units, final, codebook)
    themes = themes_table(condensation, units, codebook, table_settings)
    t["themes"] = themes
    grids = {}
    dims = {d.id for d in codebook.dimensions}
    for a, b in table_settings.matrices:
        if a in dims and b in dims:
            long = matrix(units, final, codebook, a, b)
            t[f"matrix_{a}_x_{b}"] = long
            grids[f"{codebook.dimension(a).label} × {codebook.dimension(b).label}"] = matrix_wide(long, a, b)
    result.extras["matrix_grids"] = grids
    result.extras["sheets"] = {f"grid_{a}_x_{b}": matrix_wide(t[f"matrix_{a}_x_{b}"], a, b)
                               for a, b in table_settings.matrices if f"matrix_{a}_x_{b}" in t}
    attributes = table_settings.crosstabs
    if attributes is None:
        attributes = sorted({k for c in corpus.cases.values() for k in c.attributes})
    for attribute in attributes:
        t[f"crosstab_{attribute}"] = crosstab(units, final, codebook, corpus.cases, attribute, table_settings)
    t["cooccurrence"] = cooccurrence(final, codebook)
    t["candidates"] = discovery.to_frame()
    t["orphaned_decisions"] = pd.DataFrame([d.as_row() for d in outcome.orphaned], columns=DECISION_COLUMNS)
    if project.reference is not None and project.reference.exists():
        _agreement_with_reference(result, final, project.reference)
    result.extras["counts"] = {"decisions_applied": outcome.applied, "orphaned_decisions": len(outcome.orphaned),
                               "candidates": len(discovery.groups), "researcher_condensates": applied}
    return result


def _agreement_with_reference(result: RunResult, final: list, reference: Path) -> None:
    """The run's codings against a human reference coding: agreement.csv and a section of report.md."""
    from .agreement import CodingFile, agree, read_coding_file

    mine = CodingFile.from_codings(final, name="this run's codings")
    outcome = agree(mine, read_coding_file(reference))
    result.tables["agreement"] = outcome.table
    result.extras["agreement_md"] = outcome.to_markdown()


def write_results(result: RunResult, out: str | Path) -> Path:
    """Write every table of a run into ``out`` (atomically: all or nothing)."""
    from .export import write_tables

    with OutputFolder(out) as tmp:
        write_tables(result, tmp)
    return Path(out)
