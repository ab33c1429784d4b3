"""condense: qualitative interview analysis by systematic text condensation (STC).

The library is first; the ``condense`` command only translates. A notebook can call each step::

    from condense import resolve_project, ingest, segment, code, discover, condense, tables, run
    project = resolve_project("transcripts_sample")
    corpus = ingest(project)                 # transcripts → turns with speakers and roles
    units = segment(project).units           # step 2: meaning units
    coded = code(project)                    # step 2: codes, review decisions applied
    found = discover(project)                # steps 1–2: candidate emergent themes
    groups = condense(project)               # step 3: sub-groups, condensate drafts, golden quotes
    result = run(project, out="results")     # steps 1–4, every table written

Importing condense is cheap: spaCy, pandas and scikit-learn load when a step first needs them, and the package
itself imports its own modules only when a name is first used (the ``condense`` command installs its answer to
Ctrl-C before anything else is imported: :mod:`condense._entry`).
"""
import sys as _sys

from ._version import __version__

TYPE_CHECKING = False  # typing's own costs 20-60 ms to import; type checkers read any TYPE_CHECKING as True
if TYPE_CHECKING:  # what an editor or type checker sees; at run time each name is imported on first use
    from .errors import CondenseError, CondenseErrors, Diagnostics
    from .model import Case, Coding, MeaningUnit, Transcript, Turn
    from .project import Project, default_project, load_project, resolve_project
    from .verbs import (CodeResult, DiscoverResult, ExportResult, MergeResult, ReviewImport, agree, code, condense,
                        discover, export_qdpx, ingest, init_project, learn, load_codings, merge_codebooks,
                        review_export, review_import, run, segment, tables)
del TYPE_CHECKING

# The package's submodules `condense.ingest`, `condense.segment`, `condense.tables` and `condense.learn` share
# their names with verbs. Importing such a submodule later (``from condense.tables import quantifier``) must
# not replace the verb on the package, so the package keeps its verbs.
_VERBS = frozenset({"ingest", "segment", "tables", "learn"})


_ModuleType = type(_sys)  # types.ModuleType, without importing types (not yet loaded when Python starts)


class _Package(_ModuleType):
    def __setattr__(self, name, value):
        if name in _VERBS and isinstance(value, _ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package

_BY_MODULE = {  # the package's own names, imported on first use too: `import condense` itself takes a few ms
    "errors": ("CondenseError", "CondenseErrors", "Diagnostics"),
    "model": ("Case", "Coding", "MeaningUnit", "Transcript", "Turn"),
    "project": ("Project", "default_project", "load_project", "resolve_project"),
    "verbs": ("CodeResult", "DiscoverResult", "ExportResult", "MergeResult", "ReviewImport", "agree", "code", "condense",
              "discover", "export_qdpx", "ingest", "init_project", "learn", "load_codings", "merge_codebooks",
              "review_export", "review_import", "run", "segment", "tables"),
}
_LAZY = {  # heavier names, imported on first use
    **{name: (module, name) for module, names in _BY_MODULE.items() for name in names},
    "Corpus": ("ingest", "Corpus"), "read_transcript": ("ingest", "read_transcript"),
    "Segmentation": ("segment", "Segmentation"), "Settings": ("segment", "Settings"),
    "Codebook": ("codebook", "Codebook"), "load_codebook": ("codebook", "load_codebook"),
    "save_codebook": ("codebook", "save_codebook"),
    "Coder": ("coding", "Coder"), "CoderSettings": ("coding", "CoderSettings"),
    "RunResult": ("pipeline", "RunResult"), "ReviewSummary": ("pipeline", "ReviewSummary"),
    "write_results": ("pipeline", "write_results"), "load_units": ("pipeline", "load_units"),
    "Discovery": ("emergent", "Discovery"), "Condensation": ("condensation", "Condensation"),
    "Agreement": ("agreement", "Agreement"), "LearnedCoder": ("learn", "LearnedCoder"),
    "load_model": ("learn", "load_model"), "load_nlp": ("nlp", "load_nlp"),
    # coding done elsewhere and REFI-QDA projects
    "CodedData": ("coded", "CodedData"), "read_coded": ("coded", "read_coded"),
    "tables_from_coded": ("coded", "tables_from_coded"), "QdaProject": ("qdpx", "QdaProject"),
    "read_qdpx": ("qdpx", "read_qdpx"), "write_qdpx": ("qdpx", "write_qdpx"),
    "import_qdpx": ("qdpx", "import_project"), "qdpx_from_run": ("qdpx", "project_from_run"),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'condense' has no attribute {name!r}")


__all__ = [
    # the steps, in the order of the method
    "ingest", "segment", "code", "discover", "condense", "tables", "run",
    # review, agreement, learning, project and codebook
    "review_export", "review_import", "agree", "learn", "init_project", "merge_codebooks", "load_codings", "export_qdpx",
    # results
    "RunResult", "ReviewSummary", "CodeResult", "DiscoverResult", "ReviewImport", "MergeResult", "ExportResult",
    "Corpus", "Segmentation", "Discovery", "Condensation", "Agreement", "LearnedCoder",
    # model types and settings
    "Transcript", "Turn", "MeaningUnit", "Coding", "Case", "Codebook", "Coder", "CoderSettings", "Settings",
    "Project", "load_project", "resolve_project", "default_project", "load_codebook", "save_codebook",
    "read_transcript", "write_results", "load_units", "load_model", "load_nlp",
    "CondenseError", "CondenseErrors", "Diagnostics", "__version__",
    # coding done elsewhere and REFI-QDA projects
    "CodedData", "read_coded", "tables_from_coded", "QdaProject", "read_qdpx", "write_qdpx", "import_qdpx",
    "qdpx_from_run",
]
