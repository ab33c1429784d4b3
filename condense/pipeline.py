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


def run(project: Project, *, progress: Callable | None = None) -> RunResult:
    """Run the pipeline on a project and return every table as a DataFrame (nothing written)."""
    from .coding import codings_frame, units_coded_frame

    diagnostics = Diagnostics()
    codebook = load_codebook(project.codebook)
    diagnostics.extend(codebook.diagnostics)
    corpus, seg = load_units(project, diagnostics=diagnostics, progress=progress)
    result = RunResult(project, corpus, seg, diagnostics)
    result.codebook = codebook
    coder = make_coder(project, codebook)
    codings = coder(seg.units, seg.questions)
    result.codings = codings
    result.tables["units"] = seg.to_frame()
    result.tables["codings"] = codings_frame(codings)
    result.tables["units_coded"] = units_coded_frame(seg.units, codings, [d.id for d in codebook.dimensions])
    return result


def write_results(result: RunResult, out: str | Path) -> Path:
    """Write every table of a run into ``out`` (atomically: all or nothing)."""
    from .export import write_tables

    with OutputFolder(out) as tmp:
        write_tables(result, tmp)
    return Path(out)
