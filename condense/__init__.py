"""condense: qualitative interview analysis by systematic text condensation (STC).

The library is first; the ``condense`` command only translates. A notebook can call each step::

    from condense import ingest, segment
    corpus = ingest(["transcripts_sample"])
    units = segment(corpus.transcripts).units
"""
from .errors import CondenseError, Diagnostics
from .ingest import Corpus, ingest, read_transcript
from .model import Case, Coding, MeaningUnit, Transcript, Turn
from .nlp import load_nlp
from .pipeline import RunResult, load_units, run, write_results
from .project import Project, load_project, resolve_project
from .segment import Segmentation, segment

__version__ = "0.1.0"

__all__ = [
    "CondenseError", "Diagnostics", "Corpus", "ingest", "read_transcript", "Case", "Coding", "MeaningUnit",
    "Transcript", "Turn", "load_nlp", "RunResult", "load_units", "run", "write_results", "Project",
    "load_project", "resolve_project", "Segmentation", "segment", "__version__",
]
