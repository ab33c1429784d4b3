"""The project file (``condense.yaml``) and the embedded default project."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import CondenseError, did_you_mean, display_path
from .io import OutputFolder, read_text  # noqa: F401  (OutputFolder moved to the file layer; re-exported)

PROJECT_FILE = "condense.yaml"
PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """A folder shipped with condense (``codebooks`` or ``transcripts_sample``).

    Installed wheels carry them in ``condense/_data``; a source checkout has them at the top level.
    """
    for candidate in (PACKAGE_DIR / "_data" / name, PACKAGE_DIR.parent / name):
        if candidate.exists():
            return candidate
    raise CondenseError("E401", path=name, line="", detail=f"the built-in folder '{name}' is missing",
                        fix="Reinstall condense, or name your own files in a project file.")


def default_codebook(language: str = "da") -> Path:
    return data_dir("codebooks") / f"beboerinddragelse.{language}.yaml"


@dataclass
class Project:
    """Everything a run needs. Paths are absolute (resolved against the project file's folder)."""

    transcripts: list[Path]
    codebook: Path | None = None
    cases: Path | None = None
    language: str = "da"
    interviewer_labels: list[str] = field(default_factory=list)
    spacy_model: str | None = None
    segmentation: dict = field(default_factory=dict)
    coding: dict = field(default_factory=dict)
    emergent: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    decisions: Path | None = None
    condensates: Path | None = None
    model: Path | None = None
    reference: Path | None = None  # a human reference coding: the run reports the coder's agreement with it
    output: Path = Path("results")
    path: Path | None = None  # the project file, if any

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else self.transcripts[0] if self.transcripts[0].is_dir() else self.transcripts[0].parent

    def settings(self) -> dict:
        """The settings that shape the results (for the manifest)."""
        return {
            "language": self.language,
            "interviewer_labels": self.interviewer_labels,
            "spacy_model": self.spacy_model,
            "segmentation": self.segmentation,
            "coding": self.coding,
            "emergent": self.emergent,
            "tables": self.tables,
        }


KEYS = {
    "transcripts", "codebook", "cases", "language", "interviewer_labels", "spacy_model", "segmentation",
    "coding", "emergent", "tables", "decisions", "condensates", "model", "reference", "output", "name", "description",
}


def default_project() -> Project:
    """The embedded default: the Danish sample corpus and the study codebook."""
    sample = data_dir("transcripts_sample")
    return Project(
        transcripts=[sample],
        codebook=default_codebook("da"),
        cases=sample / "cases.csv",
        decisions=sample / "decisions.csv",
        condensates=sample / "condensates.csv",
        reference=sample / "reference_coding.csv",
        output=Path("results"),
    )


def folder_project(folder: Path) -> Project:
    """A folder of transcripts with the defaults (its own cases.csv, decisions.csv, condensates.csv)."""
    folder = folder.resolve()
    own = folder / PROJECT_FILE
    if own.exists():
        return load_project(own)
    language = "da"
    return Project(
        transcripts=[folder],
        codebook=default_codebook(language),
        cases=folder / "cases.csv" if (folder / "cases.csv").exists() else None,
        decisions=folder / "decisions.csv",
        condensates=folder / "condensates.csv",
        reference=folder / "reference_coding.csv" if (folder / "reference_coding.csv").exists() else None,
        output=Path("results"),
    )


def resolve_project(path: str | Path | None) -> Project:
    """None → default project; a folder → folder project; a file → project file."""
    if path is None:
        return default_project()
    p = Path(path)
    if not p.exists():
        raise CondenseError("E101", path=display_path(p))
    if p.is_dir():
        return folder_project(p)
    if p.suffix.lower() in (".yaml", ".yml"):
        return load_project(p)
    raise CondenseError("E401", path=display_path(p), line="", detail="not a project file or folder",
                        fix="Give a condense.yaml project file or a folder of transcripts.")


def load_project(path: str | Path) -> Project:
    import yaml

    path = Path(path).resolve()
    try:
        text = read_text(path)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CondenseError("E401", path=display_path(path), line=(mark.line + 1) if mark else 1,
                            detail=getattr(exc, "problem", None) or "invalid YAML",
                            fix="Check indentation and `key: value` syntax.") from exc
    if not isinstance(data, dict):
        raise CondenseError("E401", path=display_path(path), line=1, detail="expected `key: value` lines",
                            fix="See `condense init` for an example project file.")
    lines = {}
    for i, line in enumerate(text.splitlines(), start=1):
        if line and not line.startswith((" ", "#", "-")) and ":" in line:
            lines.setdefault(line.split(":", 1)[0].strip(), i)
    for key in data:
        if key not in KEYS:
            raise CondenseError("E401", path=display_path(path), line=lines.get(key, 1),
                                detail=f"unknown key '{key}'{did_you_mean(key, KEYS)}",
                                fix=f"Allowed keys: {', '.join(sorted(KEYS))}.")
    base = path.parent

    def rel(value) -> Path | None:
        if value in (None, ""):
            return None
        return (base / str(value)).resolve()

    transcripts = data.get("transcripts") or "."
    if isinstance(transcripts, str):
        transcripts = [transcripts]
    language = str(data.get("language", "da"))
    if language not in ("da", "en"):
        raise CondenseError("E401", path=display_path(path), line=lines.get("language", 1),
                            detail=f"unknown language '{language}'", fix="Use `language: da` or `language: en`.")
    codebook = rel(data.get("codebook")) or default_codebook(language)
    first = rel(transcripts[0])
    folder = first if first and first.is_dir() else (first.parent if first else base)
    cases = rel(data.get("cases")) or (folder / "cases.csv" if (folder / "cases.csv").exists() else None)
    for key in ("segmentation", "coding", "emergent", "tables"):
        if key in data and not isinstance(data[key], dict):
            raise CondenseError("E401", path=display_path(path), line=lines.get(key, 1),
                                detail=f"`{key}` must be a mapping of settings", fix=f"Write `{key}:` followed by indented `name: value` lines.")
    labels = data.get("interviewer_labels") or []
    if isinstance(labels, str):
        labels = [x.strip() for x in labels.split(";") if x.strip()]
    return Project(
        transcripts=[rel(t) for t in transcripts],
        codebook=codebook,
        cases=cases,
        language=language,
        interviewer_labels=[str(x) for x in labels],
        spacy_model=data.get("spacy_model"),
        segmentation=dict(data.get("segmentation") or {}),
        coding=dict(data.get("coding") or {}),
        emergent=dict(data.get("emergent") or {}),
        tables=dict(data.get("tables") or {}),
        decisions=rel(data.get("decisions")) or base / "decisions.csv",
        condensates=rel(data.get("condensates")) or base / "condensates.csv",
        model=rel(data.get("model")),
        reference=rel(data.get("reference")),
        output=rel(data.get("output")) or base / "results",
        path=path,
    )
