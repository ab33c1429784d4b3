"""The project file (``condense.yaml``) and the embedded default project."""
from __future__ import annotations

import math
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CondenseError, did_you_mean, display_path, file_errors_coded, resolved
from .io import OutputFolder, read_text  # noqa: F401  (OutputFolder moved to the file layer; re-exported)

__all__ = [
    "PROJECT_FILE", "PACKAGE_DIR", "data_dir", "default_codebook", "Project", "default_project",
    "folder_project", "resolve_project", "load_project", "coding_kinds", "KEYS", "EXPECTED", "as_number", "is_kind", "holds_no_settings",
]

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
    reference: Path | None = None  # another coding of the same units: the run reports the coder's agreement with it
    pseudonyms: Path | None = None  # real → pseudonym list (default: pseudonyms.csv beside the project/transcripts)
    output: Path = Path("results")
    path: Path | None = None  # the project file, if any
    jobs: int = 1  # processes for the per-transcript map (segment, code); the results do not depend on it

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
        tables={"case_noun": ["helhedsplan", "helhedsplaner", "helhedsplanerne", "én"]},  # the study's cases are housing master plans
    )


def folder_project(folder: Path) -> Project:
    """A folder of transcripts with the defaults (its own cases.csv, decisions.csv, condensates.csv)."""
    folder = resolved(folder)
    own = folder / PROJECT_FILE
    if own.exists():
        return load_project(own)
    from .ingest import folder_language

    language = folder_language(folder) or "da"  # what its transcripts declare, else what they are written in
    return Project(
        transcripts=[folder],
        codebook=default_codebook(language),
        language=language,
        cases=folder / "cases.csv" if (folder / "cases.csv").exists() else None,
        decisions=folder / "decisions.csv",
        condensates=folder / "condensates.csv",
        reference=folder / "reference_coding.csv" if (folder / "reference_coding.csv").exists() else None,
        output=Path("results"),
    )


def answers_project(table: Path, language: str) -> Project:
    """A table of open answers (ingest/answers.py) with the defaults for its language; the decisions and
    condensates files are looked for beside it, named after it (``answers.decisions.csv``)."""
    return _one_file(table, language)


def file_project(path: Path) -> Project:
    """One transcript file with the defaults for its language (a cases.csv beside it is read as a folder's
    is); its decisions and condensates files are named after it (``interview.decisions.csv``)."""
    from .ingest import folder_language

    return _one_file(path, folder_language(resolved(path)) or "da")


def _one_file(path: Path, language: str) -> Project:
    """A project of one file: the default codebook of ``language``, decisions and condensates beside it."""
    path = resolved(path)
    return Project(transcripts=[path], codebook=default_codebook(language), language=language,
                   decisions=path.with_name(f"{path.stem}.decisions.csv"),
                   condensates=path.with_name(f"{path.stem}.condensates.csv"), output=Path("results"))


CODED_INPUTS = (".csv", ".tsv", ".xlsx", ".qdpx")  # coded data `condense tables` reads: never a project


@file_errors_coded
def resolve_project(path: str | Path | None) -> Project:
    """None → ``./condense.yaml`` when the working folder has one (as `condense init` writes it: a researcher in
    their study folder typing `condense run` means their study, not the built-in sample, whose results went into
    their folder), else the default project; a folder → folder project; a file → project file."""
    if path is None:
        here = Path(PROJECT_FILE)
        return load_project(here) if here.is_file() else default_project()
    p = Path(path)
    if not p.exists():
        raise CondenseError("E101", path=display_path(p))
    if p.is_dir():
        return folder_project(p)
    if p.suffix.lower() in (".yaml", ".yml"):
        return load_project(p)
    if p.suffix.lower() in CODED_INPUTS:  # coding done elsewhere, or condense's own tables
        from .ingest.answers import answers_language

        language = answers_language(p)
        if language is not None:  # open answers, not yet coded: each respondent an interview
            return answers_project(p, language)

        _study_table(p)
        raise CondenseError("E401", path=display_path(p), line="", detail="coded data, not a project",
                            fix=f"Make theme tables from it with `condense tables {shlex.quote(str(p))}`; `run` takes a condense.yaml "
                                "project file or a folder of transcripts.")
    from .ingest import TRANSCRIPT_SUFFIXES

    if p.suffix.lower() in TRANSCRIPT_SUFFIXES:
        return file_project(p)
    if p.suffix.lower() == ".qdc":  # what NVivo, ATLAS.ti, MAXQDA and QualCoder export as a codebook
        raise CondenseError("E401", path=display_path(p), line="", detail="a REFI-QDA codebook (.qdc), not a project",
                            fix=f"Turn it into a condense codebook with `condense codebook import {shlex.quote(str(p))} "
                                "--out codebook.yaml`, then name codebook.yaml under `codebook:` in condense.yaml "
                                "(or give it as --codebook).")
    if p.suffix.lower() == ".zip" and _holds_project(p):  # a .qdpx renamed, or saved by a browser as .zip
        qdpx = shlex.quote(str(p.with_suffix(".qdpx")))
        raise CondenseError("E401", path=display_path(p), line="", detail="a REFI-QDA project (.qdpx) named .zip",
                            fix=f"Rename it to {qdpx} and give that: `condense tables {qdpx}` (or `condense import "
                                "qdpx`, which reads it under either name).")
    raise CondenseError("E401", path=display_path(p), line="", detail="not a project file or folder",
                        fix="Give a condense.yaml project file, a folder of transcripts or one transcript file.")


def _study_table(p: Path) -> None:
    """E401 for a study's own cases.csv or transcripts.csv given as the project (`condense discover cases.csv`
    said "coded data, not a project" and told to make theme tables from it)."""
    from .io import STUDY_TABLES, read_table, what_else

    try:
        other = what_else(p, read_table(p)[0])
    except CondenseError:
        return
    if other is not None and other.kind in STUDY_TABLES:
        folder = shlex.quote(str(p.parent) if str(p.parent) != "" else ".")
        raise CondenseError("E401", path=display_path(p), line="", detail=f"{other.what} of a study, not a project",
                            fix=f"Give the folder that holds it and the interviews (`condense run {folder}`), or "
                                "its condense.yaml.")


def _holds_project(p: Path) -> bool:
    """Whether ``p`` is a zip archive holding a REFI-QDA ``project.qde`` (any case, anywhere but sources/)."""
    import io
    import zipfile

    from .io import read_bytes
    from .refi import project_entry

    try:
        with zipfile.ZipFile(io.BytesIO(read_bytes(p))) as zf:
            return project_entry([n for n in zf.namelist() if not n.endswith("/")]) is not None
    except (zipfile.BadZipFile, OSError, EOFError, CondenseError):
        return False


@file_errors_coded
def load_project(path: str | Path) -> Project:
    """Read and validate a project file. Every problem is reported at once, with its line and the fix."""
    path = resolved(path)
    data, lines = _parse(path)
    check = _ProjectCheck(display_path(path), lines)
    data = check.project(data)
    check.raise_errors()
    return _build_project(path, data)


def _parse(path: Path) -> tuple[dict, dict[str, int]]:
    """The YAML data and the line of every key (``"segmentation.max_words"`` → 12)."""
    import yaml

    text = read_text(path)
    try:
        from .limits import compose, safe_load

        node = compose(text)  # depth, alias-expansion and recursion limits
        data = safe_load(text)
    except yaml.YAMLError as exc:
        from .limits import yaml_problem

        line, detail = yaml_problem(exc, "invalid YAML")  # a tab named with its mend
        raise CondenseError("E401", path=display_path(path), line=line + 1 if line is not None else 1,
                            detail=detail, fix="Check indentation and `key: value` syntax.") from exc
    _refuse_degenerate(path, data, node, text)
    lines: dict[str, int] = {}

    def walk(n, prefix: str) -> None:
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key, line = f"{prefix}{k.value}", k.start_mark.line + 1
                if key in lines:  # YAML keeps the second value and drops the first without a word
                    raise CondenseError("E401", path=display_path(path), line=line,
                                        detail=f"`{key}` is given twice (lines {lines[key]} and {line})",
                                        fix=f"Keep one `{k.value}:` line.")
                lines[key] = line
                walk(v, key + ".")

    walk(node, "")
    return data, lines


MINIMAL_PROJECT = ("A minimal project file names the transcripts and the codebook on lines of their own: "
                   "`transcripts: transcripts` (a folder, or a list of files) and `codebook: codebook.yaml`; "
                   "`condense init NEW_FOLDER` writes a commented one with every setting to copy from.")


def _refuse_degenerate(path: Path, data, node, text: str) -> None:
    """E401 for a project file holding no settings: empty (0 bytes, blank lines or comments alone, `null`, `{}`),
    whose run went on with every default and ended in E112 "No transcripts found in ." — or holding a list or
    one value where `key: value` lines belong (`[]`, `0`, `false` were read as empty too)."""
    line = node.start_mark.line + 1 if node is not None else 1
    if _no_settings(data):
        detail = ("the file is empty" if not text.strip() else
                  "the file holds comments only, no settings" if node is None else
                  f"the file holds `{node.value or '{}'}` alone, no settings")
    elif not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else f"one value ({_shown(data)})"
        detail = f"the file holds {what}, where `key: value` lines belong"
    else:
        return
    raise CondenseError("E401", path=display_path(path), line=line, detail=detail, fix=MINIMAL_PROJECT)


def _no_settings(data) -> bool:
    """A project file's YAML that holds no settings: nothing (0 bytes, blank lines, comments), `null` or `{}`."""
    return data is None or data == {}


def holds_no_settings(path: Path) -> bool:
    """Whether a project file holds no settings (:func:`_no_settings`), as `condense run` refuses it (E401); False
    for one that cannot be read as YAML (run names its problem)."""
    import yaml

    from .limits import safe_load

    try:
        return _no_settings(safe_load(read_text(path)))
    except (yaml.YAMLError, CondenseError):
        return False


def _beside(base: Path, value) -> Path:
    """A path the project file gives, relative to its folder; "~" is the home folder, as in a shell ("output:
    ~/results" made a folder named "~" beside the project file); a backslash separates folders, as where the
    file was written on Windows, unless a file of that very name exists."""
    text = str(value)
    if "\\" in text and os.sep == "/" and not (base / text).exists():
        # written on Windows ("data\\interviews"): a colleague on a Mac or Linux reads the same project file
        text = text.replace("\\", "/")
    path = Path(text).expanduser() if text == "~" or text.startswith("~/") else Path(text)
    return resolved(base / path)


def _build_project(path: Path, data: dict) -> Project:
    """A Project from validated data; paths resolved against the project file's folder."""
    base = path.parent

    def rel(key: str, default: Path | None = None) -> Path | None:
        value = data.get(key)
        return default if value in (None, "") else _beside(base, value)

    transcripts = data.get("transcripts") or "."
    transcripts = [transcripts] if isinstance(transcripts, str) else transcripts
    transcripts = [_beside(base, t) for t in transcripts]
    language = str(data.get("language", "da"))
    folder = transcripts[0] if transcripts[0].is_dir() else transcripts[0].parent
    labels = data.get("interviewer_labels") or []
    if isinstance(labels, str):
        labels = [x.strip() for x in labels.split(";") if x.strip()]
    return Project(
        transcripts=transcripts,
        codebook=rel("codebook", default_codebook(language)),
        cases=rel("cases", folder / "cases.csv" if (folder / "cases.csv").exists() else None),
        language=language,
        interviewer_labels=[str(x) for x in labels],
        spacy_model=data.get("spacy_model"),
        **{key: dict(data.get(key) or {}) for key in SECTIONS_AND_CODING},
        decisions=rel("decisions", base / "decisions.csv"),
        condensates=rel("condensates", base / "condensates.csv"),
        model=rel("model"),
        reference=rel("reference"),
        pseudonyms=rel("pseudonyms"),
        output=rel("output", base / "results"),
        path=path,
        jobs=int(data.get("jobs") or 1),
    )


SECTIONS_AND_CODING = ("segmentation", "coding", "emergent", "tables")


# ---------------------------------------------------------------- validation
# What each setting must be. Kinds: "path", "text", "texts" (a list, or one text), "int" (a whole number ≥ 1),
# "int0" (≥ 0), "int?" (or empty), "number", "ids" (a list of ids, or empty), ("choice", options),
# "pairs" (a list of [dimension, dimension]), "numbers" (a mapping of name → number).
TOP = {
    "transcripts": "texts", "codebook": "path", "cases": "path", "language": ("choice", ("da", "en")),
    "interviewer_labels": "texts", "spacy_model": "text", "decisions": "path", "condensates": "path",
    "model": "path", "reference": "path", "output": "path", "name": "text", "description": "text",
    "pseudonyms": "path", "jobs": "int",
}
SECTIONS = {
    "segmentation": {"mode": ("choice", ("window", "sentence", "turn")), "max_sentences": "int", "max_words": "int"},
    "emergent": {"dimensions": "ids", "n_groups": "int?", "min_groups": "int", "max_groups": "int",
                 "random_state": "int0", "min_size": "int", "min_interviews": "int", "resamples": "int0", "shortlist": "int0",
                 "min_coherence": "number", "min_distinctiveness": "number"},
    "tables": {"count_over": ("choice", ("cases", "interviews", "units")), "quantifiers": "numbers", "matrices": "pairs",
               "crosstabs": "ids", "case_noun": "texts"},
}
KEYS = set(TOP) | set(SECTIONS) | {"coding"}
EXPECTED = {
    "path": "a file or folder name", "text": "text", "texts": "a list of names (or one name)",
    "int": "a whole number of at least 1", "int0": "a whole number of at least 0", "int?": "a whole number (or nothing)",
    "number": "a finite number", "number0": "a number of at least 0", "bool": "true or false", "ids": "a list of ids, e.g. [tema]", "pairs": "a list of pairs, e.g. [[fase, deltagelse]]",
    "numbers": "name: number lines (finite numbers)",
}


def coding_kinds() -> dict:
    """The `coding:` settings and their kinds, read from the coder's own settings (new ones are included)."""
    from .coding import CoderSettings

    kinds = {}
    for name, f in CoderSettings.__dataclass_fields__.items():
        default = f.default
        kinds[name] = "ids" if default is None or isinstance(default, tuple) else "bool" if isinstance(default, bool) \
            else "int0" if isinstance(default, int) else "number0"  # (`negation: false`, as README says, was "not a number")
    kinds["top_k"] = "int"  # `top_k: 0` kept no theme of a matched unit: an IndexError in the coder
    return kinds


class _ProjectCheck:
    """Collects every problem of a project file (E401 unknown key, E406 wrong type, E407 invalid value)."""

    def __init__(self, path: str, lines: dict[str, int]):
        self.path = path
        self.lines = lines
        self.errors: list[CondenseError] = []

    def error(self, code: str, key: str, **kw) -> None:
        self.errors.append(CondenseError(code, path=self.path, line=self.lines.get(key, 1), key=key, **kw))

    def raise_errors(self) -> None:
        if self.errors:
            from .errors import CondenseErrors

            raise CondenseErrors(sorted(self.errors, key=lambda e: (e.kwargs.get("line") or 0)))

    def project(self, data: dict) -> dict:
        out = {}
        for key, value in data.items():
            if key not in KEYS:
                self.error("E401", key, detail=f"unknown key '{key}'{did_you_mean(key, KEYS)}",
                           fix=f"Allowed keys: {', '.join(sorted(KEYS))}.")
            elif key in SECTIONS or key == "coding":
                out[key] = self.section(key, value, SECTIONS.get(key) or coding_kinds())
            elif (value is None or value == "") and key not in ("name", "description"):  # those two change nothing
                self.empty(key)
            elif self.valid(key, value, TOP[key]):
                out[key] = value
        return out

    def empty(self, key: str) -> None:
        """E406 for `key:` with no value: an empty `codebook:` took the Danish study codebook, `transcripts:` the
        project's folder, `output:` results/, without a word. (A section with every setting commented out is
        its defaults.)"""
        kind = TOP[key]
        expected = f"one of {', '.join(kind[1])}" if isinstance(kind, tuple) else EXPECTED[kind]
        example = f"`{key}: {_FILLED.get(key) or _EXAMPLES[kind]}`, or a `#` before the line for the default"
        self.error("E406", key, expected=expected, got="nothing", example=example)

    def section(self, name: str, value, kinds: dict) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.errors.append(CondenseError("E406", path=self.path, line=self.lines.get(name, 1), key=name,
                                             expected="a mapping of settings", got=_shown(value),
                                             example=f"`{name}:` followed by indented `setting: value` lines"))
            return {}
        out = {}
        for key, item in value.items():
            where = f"{name}.{key}"
            if key not in kinds:
                self.error("E401", where, detail=f"unknown setting '{key}' in `{name}`{did_you_mean(key, kinds)}",
                           fix=f"Settings of `{name}`: {', '.join(sorted(kinds))}.")
            else:
                item = as_number(item, kinds[key])
                if self.valid(where, item, kinds[key]):
                    out[key] = item
        return out

    def valid(self, key: str, value, kind) -> bool:
        """True when ``value`` is of ``kind``; else one coded error (E406 wrong type, E407 not an option)."""
        if isinstance(kind, tuple):
            if str(value) in kind[1]:
                return True
            self.errors.append(CondenseError("E407", path=self.path, line=self.lines.get(key, 1), key=key,
                                             value=value, allowed=", ".join(kind[1])))
            return False
        if is_kind(kind, value):
            return True
        section, _, name = key.rpartition(".")
        example = f"`{name}: {_EXAMPLES[kind]}`" + (f" under `{section}:`" if section else "")
        self.error("E406", key, expected=EXPECTED[kind], got=_shown(value), example=example)
        return False


_FILLED = {"transcripts": "transcripts", "codebook": "codebook.yaml", "cases": "transcripts/cases.csv", "language": "da",
           "decisions": "decisions.csv", "condensates": "condensates.csv", "reference": "reference_coding.csv",
           "pseudonyms": "pseudonyms.csv", "model": "model/", "spacy_model": "da_core_news_sm"}  # as `condense init` writes them
_EXAMPLES = {"path": "results", "text": "…", "texts": "[I, I2]", "int": "3", "int0": "0", "int?": "4",
             "number": "0.6", "number0": "0.6", "bool": "false", "ids": "[tema]", "pairs": "[[fase, deltagelse]]", "numbers": "{most: 0.5}"}


def _whole(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _number(v) -> bool:
    """A finite number: `.nan` compared false with every score and silently changed what was kept."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _scalar(v) -> bool:
    return v is not None and not isinstance(v, (list, dict, bool))


def _pair(p) -> bool:
    return isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)


_CHECKS = {
    "path": lambda v: v is None or _scalar(v),
    "text": lambda v: v is None or _scalar(v),
    "texts": lambda v: v is None or _scalar(v) or (isinstance(v, list) and all(map(_scalar, v))),
    "int": lambda v: _whole(v) and v >= 1,
    "int0": lambda v: _whole(v) and v >= 0,
    "int?": lambda v: v is None or (_whole(v) and v >= 1),
    "number": _number,
    "number0": lambda v: _number(v) and v >= 0,
    "bool": lambda v: isinstance(v, bool),
    "ids": lambda v: v is None or (isinstance(v, list) and all(isinstance(x, str) for x in v)),
    "pairs": lambda v: isinstance(v, list) and all(map(_pair, v)),
    "numbers": lambda v: isinstance(v, dict) and all(map(_number, v.values())),
}


_EXPONENT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")


def as_number(value, kind):
    """``1e-3`` as the number it is: PyYAML follows YAML 1.1, where a float needs a dot ("1.0e-3"), and read
    ``threshold: 1e-3`` as text, refused as "not a number" (E406). A whole number so written (``1e3``) is
    whole where a whole number is asked for."""
    if isinstance(value, dict) and kind == "numbers":
        return {k: as_number(v, "number") for k, v in value.items()}
    if not (isinstance(value, str) and kind in ("number", "number0", "int", "int0", "int?") and _EXPONENT.fullmatch(value)):
        return value
    number = float(value)
    return int(number) if kind.startswith("int") and number.is_integer() else number


def is_kind(kind: str, value) -> bool:
    """True when a setting's value is of ``kind`` (the project file's kinds: "int", "number0", …)."""
    return _CHECKS[kind](value)


def _shown(value) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return str(value)


def project_inputs(project: "Project") -> list[Path]:
    """Every file and folder a run of ``project`` reads (an output folder may be none of them, nor hold one)."""
    paths = list(project.transcripts) + [project.codebook, project.cases, project.decisions, project.condensates,
                                         project.model, project.reference, project.path]
    if project.path is not None:
        paths.append(project.path.parent)  # the project folder
    paths += _pseudonyms(project)  # `--out pseudonyms.csv --force` replaced the confirmed list of names
    return [Path(p) for p in paths if p is not None]


def _pseudonyms(project: "Project") -> list[Path]:
    """The pseudonym lists the project reads or would read: `pseudonyms:` of the project file, else every
    pseudonyms.csv beside it or in a transcripts folder (the first is read; the others are the researcher's too)."""
    from .privacy import PSEUDONYMS_CSV

    if project.pseudonyms is not None:
        return [Path(project.pseudonyms)]
    folders = [Path(project.path).parent] if project.path is not None else []
    folders += [Path(t) if Path(t).is_dir() else Path(t).parent for t in project.transcripts]
    return [f / PSEUDONYMS_CSV for f in folders if (f / PSEUDONYMS_CSV).exists()]

