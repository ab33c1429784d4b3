"""One library verb per command, named after the STC step it performs.

Each verb takes a :class:`~condense.project.Project`, or what its command takes (a condense.yaml, a folder;
the project verbs given nothing: the working folder's condense.yaml, else the sample), returns typed results and,
given ``out``, writes the same files its command writes. The command line only parses, calls the verb and
prints; a notebook calls the same verbs::

    from condense import resolve_project, ingest, segment, code, discover, condense, tables, run
    project = resolve_project("transcripts_sample")
    corpus = ingest(project)                  # step 0: transcripts → turns
    seg = segment(project)                    # step 2: meaning units
    coded = code(project)                     # step 2: codes (+ review decisions)
    found = discover(project)                 # steps 1–2: candidate emergent themes
    groups = condense(project)                # step 3: sub-groups, condensate drafts, golden quotes
    result = run(project, out="results")      # steps 1–4 and every file

Heavy libraries (spaCy, pandas, scikit-learn) are imported inside the verbs, never when this module is.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .errors import CondenseError, CondenseErrors, Diagnostics, display_path, first_few, file_errors_coded
from .project import PROJECT_FILE, Project, default_codebook, holds_no_settings

if TYPE_CHECKING:
    from .agreement import Agreement
    from .codebook import Codebook
    from .condensation import Condensation
    from .emergent import Discovery
    from .ingest import Corpus
    from .learn import LearnedCoder
    from .qdpx import QdaProject
    from .model import Coding, MeaningUnit
    from .pipeline import RunResult
    from .segment import Segmentation, Settings

__all__ = [
    "ingest", "segment", "code", "discover", "condense", "tables", "run", "agree", "learn",
    "review_export", "review_import", "init_project", "merge_codebooks", "export_qdpx", "ExportResult",
    "CodeResult", "DiscoverResult", "ReviewImport", "MergeResult", "load_codings",
]

def _paths(paths) -> list[Path]:
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _project(source: "Project | str | Path | None") -> Project:
    """A project as the command line takes it: a condense.yaml, a folder of transcripts, a coded or answers file;
    None: ./condense.yaml, else the built-in sample. A :class:`Project` is used as it is."""
    if isinstance(source, Project):
        return source
    from .project import resolve_project

    return resolve_project(source)


def _codebook(codebook, language: str = "da") -> "Codebook":
    """A loaded codebook from a Codebook, a path, or None (the default study codebook)."""
    from .codebook import Codebook, load_codebook

    if isinstance(codebook, Codebook):
        return codebook
    return load_codebook(codebook or default_codebook(language))


# ---------------------------------------------------------------- step 0 and 2: transcripts → units
@file_errors_coded
def ingest(source: "Project | str | Path | Iterable[str | Path]", *, cases_file=None, interviewer_labels: list[str] | None = None,
           language: str | None = None, diagnostics: Diagnostics | None = None,
           progress: Callable | None = None) -> "Corpus":
    """Read transcripts into turns with speakers and roles (a project, or files and folders).

    >>> corpus = ingest("transcripts_sample")          # doctest: +SKIP
    >>> corpus.transcripts[0].turns[0].speaker         # doctest: +SKIP
    """
    from .ingest import ingest as _ingest

    if isinstance(source, Project):
        return _ingest(source.transcripts, cases_file=source.cases, interviewer_labels=source.interviewer_labels,
                       language=source.language, diagnostics=diagnostics, progress=progress)
    return _ingest(_paths(source), cases_file=cases_file, interviewer_labels=interviewer_labels, language=language,
                   diagnostics=diagnostics, progress=progress)


@file_errors_coded
def segment(source, *, settings: "Settings | None" = None, nlp=None, out: str | Path | None = None,
            interviewer_labels: list[str] | None = None, language: str | None = None,
            diagnostics: Diagnostics | None = None, progress: Callable | None = None) -> "Segmentation":
    """STC step 2: respondent turns → meaning units.

    ``source`` is a project (its ``segmentation:`` settings apply), a :class:`Corpus`, a list of
    transcripts, or files/folders to ingest first. With ``out``, writes ``out/units.csv``.
    """
    from .ingest import Corpus
    from .privacy import apply_privacy
    from .segment import segment as _segment

    inputs = _inputs(source)
    if out is not None:
        from .safety import refuse_output_folder

        refuse_output_folder(out, inputs, "segment")  # before the work, not after it
    if isinstance(source, Project):
        from .pipeline import load_units

        corpus, seg = load_units(source, diagnostics=diagnostics, progress=progress)
        _read_something(corpus, source.transcripts)
    else:
        if isinstance(source, Corpus):
            corpus = source
            _read_something(source, inputs)
        elif isinstance(source, (str, Path)) or (isinstance(source, (list, tuple)) and source
                                                 and isinstance(source[0], (str, Path))):
            corpus = ingest(source, interviewer_labels=interviewer_labels, language=language,
                            diagnostics=diagnostics, progress=progress)
            _read_something(corpus, inputs)
        else:
            corpus = Corpus(list(source))
        seg = _segment(corpus.transcripts, settings=settings, nlp=nlp)
        apply_privacy(None, corpus, seg, language=language, diagnostics=diagnostics)  # anonymous respondents' public ids, pseudonyms
    if not isinstance(source, (list, tuple)) or not source or isinstance(source[0], (str, Path)):  # not Transcript objects
        from .pipeline import require_units

        require_units(corpus, seg.units, inputs or [display_path(Path(t.path)) for t in corpus.transcripts[:3]])
    if out is not None:
        from .io import output_folder, write_csv

        with output_folder(out, inputs=inputs, kind="segment") as tmp:
            write_csv(seg.to_frame(), tmp / "units.csv")
    return seg


def _read_folders(source) -> list[Path]:
    """The transcript folders a verb reads (a file written there would be read back as an input)."""
    if isinstance(source, Project):
        return [Path(p) for p in source.transcripts if Path(p).is_dir()]
    if isinstance(source, (str, Path)) and Path(source).is_dir():
        return [Path(source)]
    if isinstance(source, (list, tuple)):
        return [Path(p) for p in source if isinstance(p, (str, Path)) and Path(p).is_dir()]
    return []


def _inputs(source) -> list[Path]:
    """The files and folders a verb reads (an output may be none of them, nor hold one)."""
    from .ingest import Corpus

    if isinstance(source, Project):
        from .project import project_inputs

        return project_inputs(source)
    if isinstance(source, Corpus):
        return [Path(t.path) for t in source.transcripts] + [Path(p) for p in source.skipped]
    if isinstance(source, (str, Path)):
        return [Path(source)]
    if isinstance(source, (list, tuple)):
        return [Path(p) for p in source if isinstance(p, (str, Path))]
    return []


def _read_something(corpus, paths) -> None:
    """E706 when every file was skipped: results are never replaced by empty tables."""
    if corpus is not None and not corpus.transcripts:
        raise CondenseError("E706", path=", ".join(display_path(p) for p in paths) or "(no input)",
                            skipped=", ".join(Path(p).name for p in corpus.skipped[:5]) or "none")


# ---------------------------------------------------------------- step 2: codes
@dataclass
class CodeResult:
    """Units, the codebook and the codings :func:`code` assigned."""

    codebook: "Codebook"
    units: list["MeaningUnit"]
    codings: list["Coding"]
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    corpus: "Corpus | None" = None

    def frames(self) -> dict:
        """codings (one row per theme) and units_coded (one row per unit, a column per dimension)."""
        from .coding import codings_frame, units_coded_frame

        return {"codings": codings_frame(self.codings),
                "units_coded": units_coded_frame(self.units, self.codings, [d.id for d in self.codebook.dimensions])}

    def write(self, out: str | Path, *, inputs=()) -> Path:
        """``out/codings.csv`` and ``out/units_coded.csv`` (all or nothing; never into one of ``inputs``)."""
        from .io import output_folder, write_csv

        with output_folder(out, inputs=inputs, kind="code") as tmp:
            for name, df in self.frames().items():
                write_csv(df, tmp / f"{name}.csv")
        return Path(out)


@file_errors_coded
def code(source, *, codebook=None, model: str | Path | None = None, interviewer_labels: list[str] | None = None,
         out: str | Path | None = None, progress: Callable | None = None, excerpt_mode: bool = True,
         calibrate: str | Path | None = None) -> CodeResult:
    """STC step 2: code meaning units with a codebook.

    ``source`` is a project (its codebook, coding settings, model and review decisions apply: the codings
    are the reviewed ones) or a list of inputs: transcript files/folders and ``.csv``/``.xlsx`` excerpt
    tables (a ``text`` column), coded with ``codebook`` (default: the Danish study codebook) and ``model``.
    With ``out``, writes ``codings.csv`` and ``units_coded.csv``. ``excerpt_mode``: every excerpt of an
    excerpt table gets its best theme per dimension with a confidence (:mod:`condense.excerpt_mode`),
    calibrated against a researcher's decisions on some of the excerpts when ``calibrate`` names them.
    A text in another language than the codebook's is warned about (W304).
    """
    inputs = _inputs(source) if isinstance(source, Project) else [*_paths(source), codebook, model, calibrate]
    inputs = [p for p in inputs if isinstance(p, (str, Path))]
    if out is not None:
        from .safety import refuse_output_folder

        refuse_output_folder(out, inputs, "code")  # before the work, not after it
    if isinstance(source, Project):
        from .pipeline import coded_units

        cb, units, codings, diagnostics = coded_units(source, progress=progress)
        result = CodeResult(cb, units, codings, diagnostics)
    else:
        result = _code_inputs(_paths(source), codebook, model, interviewer_labels, progress, excerpt_mode, calibrate)
    if out is not None:
        result.write(out, inputs=inputs)
    return result


def _code_inputs(inputs: list[Path], codebook, model, interviewer_labels, progress, excerpt_mode: bool = True,
                 calibrate: str | Path | None = None) -> CodeResult:
    from .coding import Coder, check_language, warn_left_out
    from .ingest.excerpts import EXCERPT_SUFFIXES, read_excerpts
    from .privacy import apply_privacy
    from .segment import segment as _segment

    cb = _codebook(codebook)
    diagnostics = Diagnostics()
    diagnostics.extend(cb.diagnostics)
    excerpts = [p for p in inputs if p.suffix.lower() in EXCERPT_SUFFIXES]
    transcripts = [p for p in inputs if p not in excerpts]
    units, questions, corpus = [], [], None
    excerpt_units = []
    for path in excerpts:
        excerpt_units.extend(read_excerpts(path, language=cb.language, diagnostics=diagnostics))
    if transcripts:
        corpus = ingest(transcripts, interviewer_labels=interviewer_labels, language=cb.language,
                        diagnostics=diagnostics, progress=progress)
        if not excerpts:
            _read_something(corpus, transcripts)
        seg = _segment(corpus.transcripts)
        apply_privacy(None, corpus, seg, language=cb.language, diagnostics=diagnostics)  # anonymous respondents' public ids, pseudonyms
        if not excerpts:
            from .pipeline import require_units

            require_units(corpus, seg.units, transcripts)
        units.extend(seg.units)
        questions.extend(seg.questions)
    check_language(excerpt_units + units, cb, diagnostics, ", ".join(display_path(p) for p in inputs[:3]))
    coder = Coder(cb)
    codings = coder(units, questions)
    if excerpt_units and excerpt_mode:
        from .excerpt_mode import MIN_CONFIDENCE, code_calibrated

        excerpt_codings, flagged = code_calibrated(coder, excerpt_units, calibrate, diagnostics)
        if flagged:
            diagnostics.warn("W305", n=flagged, total=len(excerpt_codings), threshold=MIN_CONFIDENCE)
    else:
        excerpt_codings = coder(excerpt_units)
    codings = excerpt_codings + codings
    units = excerpt_units + units
    warn_left_out(codings, diagnostics)  # themes a unit matched beyond its dimension's top_k (W308)
    if model is not None:
        from .learn import load_model

        codings.extend(load_model(model, cb).suggest(units))
    return CodeResult(cb, units, codings, diagnostics, corpus)


@file_errors_coded
def load_codings(path: str | Path, codebook: "Codebook", *, diagnostics: Diagnostics | None = None) -> list["Coding"]:
    """Saved codings (a ``codings.csv`` written by condense) as :class:`Coding` objects.

    Every row naming a dimension or theme the codebook lacks is reported at once (E404). This is the
    seam where other coded tables (long/wide, other programs' exports) come in.
    """
    from .io import read_table
    from .model import Coding

    path = Path(path)
    if not path.exists():
        raise CondenseError("E405", path=display_path(path))
    header, rows = read_table(path, required=("unit_id", "dimension", "theme"), diagnostics=diagnostics)
    dims = {d.id: d for d in codebook.dimensions}
    errors, out = [], []
    for line, r in rows:
        dim = dims.get(r["dimension"])
        if dim is None or (r["theme"] and r["theme"] not in dim.all_ids()):
            errors.append(CondenseError("E404", path=display_path(path), line=line, dimension=r["dimension"],
                                        theme=r["theme"]))
            continue
        probability = r.get("probability", "")
        out.append(Coding(r["unit_id"], r["dimension"], r["theme"], r.get("subtheme", ""),
                          float(r.get("score") or 0.0), r.get("evidence", ""), r.get("source", "") or "rule",
                          r.get("coder", ""), float(probability) if probability else None))
    if errors:
        raise CondenseErrors(errors)
    return out


# ---------------------------------------------------------------- steps 1–2: emergent candidates
@dataclass
class DiscoverResult:
    """Candidate emergent themes, as groups (:class:`Discovery`) and as a codebook fragment."""

    discovery: "Discovery"
    candidates: "Codebook"
    codebook: "Codebook"
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    @property
    def groups(self) -> list:
        return self.discovery.groups

    def write(self, path: str | Path) -> Path:
        """candidates.yaml, byte for byte the file ``condense run`` writes."""
        from .export import write_candidates

        return write_candidates(self.candidates, self.codebook.language, Path(path))


@file_errors_coded
def discover(project: "Project | str | Path | None" = None, *, n_groups: int | None = None, out: str | Path | None = None,
             progress: Callable | None = None, force: bool = False) -> DiscoverResult:
    """STC steps 1–2 alone: candidate themes among units the codebook does not cover.

    Uses every ``emergent:`` setting of the project, through the same call as :func:`run`, so both give
    the same candidates. With ``out``, writes the candidates file there.
    """
    project = _project(project)
    from .pipeline import coded_units, discover_candidates

    if out is not None:
        from .safety import refuse_output_file

        refuse_output_file(out, force=force, inputs=_inputs(project), example="candidates.yaml",
                           read_folders=_read_folders(project))
    cb, units, codings, diagnostics = coded_units(project, progress=progress)
    discovery, candidates = discover_candidates(project, units, codings, cb, n_groups=n_groups)
    result = DiscoverResult(discovery, candidates, cb, diagnostics)
    if out is not None:
        result.write(out)
    return result


# ---------------------------------------------------------------- step 3
@file_errors_coded
def condense(project: "Project | str | Path | None" = None, *, progress: Callable | None = None) -> "Condensation":
    """STC step 3: sub-groups, condensate drafts and golden quotes per theme (researcher's condensates applied).
    A condensate or review note repeating a withdrawn passage is refused at its row (E833), as ``run`` refuses it:
    what this returns goes into a notebook, a file or a paper without the consent audit of a run's folder.
    Should it fail (a coded error, Ctrl-C), the quotes' groundwork it started beside the sub-groups ends with it
    (parallel.ended_on_error, as in run and tables): it waited, its result unread, for as long as the session lived."""
    project = _project(project)
    from .condensation import apply_researcher_condensates, condense as _condense
    from .parallel import ended_on_error
    from .pipeline import reviewed, table_settings, withdrawn_check
    from .privacy import active_privacy

    with ended_on_error():
        result = reviewed(project, progress=progress)
        condensation = _condense(result.units, result.codings, result.codebook,
                                 matrices=table_settings(project).matrices)
        apply_researcher_condensates(condensation, project.condensates, {u.unit_id: u for u in result.units},
                                     result.diagnostics, privacy=active_privacy(),  # the privacy reviewed() applied
                                     check=withdrawn_check(result))  # E833, as in a run
    return condensation


# ---------------------------------------------------------------- steps 3–4
@file_errors_coded
def tables(source: "Project | str | Path | None" = None, *, codings: "str | Path | list[Coding] | None" = None, out: str | Path | None = None,
           progress: Callable | None = None) -> "RunResult":
    """STC steps 3–4 from saved codings: condensation, theme tables, matrices, crosstabs, report.

    ``codings`` is a list of codings or a codings file (default: ``codings.csv`` in the project's output
    folder, as ``condense run`` left it); the coder is not run. Review decisions and the researcher's
    condensates are applied as in :func:`run`. With ``out``, writes every file ``run`` writes.
    """
    source = _project(source)
    from .codebook import load_codebook
    from .pipeline import RunResult, load_units, steps_3_4, table_settings, withdrawn_check, write_results
    from .review import apply_decisions, read_decisions

    if out is not None:
        from .safety import refuse_output_folder

        refuse_output_folder(out, _inputs(source), "run")  # the codings read from the old results are not an input to keep
    diagnostics = Diagnostics()
    codebook = load_codebook(source.codebook)
    diagnostics.extend(codebook.diagnostics)
    settings = table_settings(source)
    if codings is None:
        codings = Path(source.output) / "codings.csv"
    if not isinstance(codings, list):
        codings = load_codings(codings, codebook, diagnostics=diagnostics)
    corpus, seg = load_units(source, diagnostics=diagnostics, progress=progress)
    _read_something(corpus, source.transcripts)
    from .pipeline import require_units

    require_units(corpus, seg.units, source.transcripts)
    result = RunResult(source, corpus, seg, diagnostics, codebook=codebook)
    decisions = read_decisions(source.decisions, codebook, diagnostics=diagnostics) if source.decisions else []
    if decisions:  # a note repeating a withdrawn passage: refused at its row (E833), as in `condense run`
        withdrawn_check(result)(source.decisions, [(d.row, "note", d.note) for d in decisions])
    outcome = apply_decisions(codings, seg.units, decisions, codebook)
    result = steps_3_4(result, outcome, len(decisions), settings)
    from .audit import stop_ahead

    try:
        if out is not None:
            write_results(result, out)
    finally:  # as in run: no process left waiting to hand its scanner over
        stop_ahead(result)
    return result


@file_errors_coded
def run(project: "Project | str | Path | None" = None, *, out: str | Path | None = None, progress: Callable | None = None) -> "RunResult":
    """The whole pipeline (steps 1–4) on a project; with ``out``, every file is written there."""
    project = _project(project)
    from .pipeline import run as _run, write_results

    if out is not None:
        from .safety import refuse_output_folder

        refuse_output_folder(out, _inputs(project), "run")  # before the run, not after it
        from .export.figures import prepare_figures

        prepare_figures()  # the figures' process imports matplotlib while the pipeline runs
    side = side_inputs(project)  # before they are read: the manifest names these, and W703 compares with them
    result = _run(project, progress=progress)
    result.side_inputs = side
    from .audit import stop_ahead

    try:
        if out is not None:
            _warn_lost_review(project, result, Path(out))
            write_results(result, out)
    finally:  # nothing written (no folder, or an error on the way): no process is left waiting to hand its scanner over
        stop_ahead(result)
    _changed_while_running(result)
    return result


def _warn_lost_review(project: Project, result, out: Path) -> None:
    """W401 when the results this run replaces applied review decisions or the researcher's condensates and this
    run applies none: a decisions.csv moved, renamed or named wrong in condense.yaml is read as "no decisions yet",
    and the researcher's decisions silently left the tables. W402 for a `reference:` file that is not there."""
    import json

    if project.reference is not None and not Path(project.reference).exists():
        result.diagnostics.warn("W402", path=display_path(project.reference))
    try:
        before = json.loads((out / "manifest.json").read_text(encoding="utf-8")).get("counts") or {}
    except (OSError, ValueError, AttributeError):
        return
    for count, key, what in (("decisions_applied", "decisions", "review decision(s)"),
                             ("researcher_condensates", "condensates", "condensate(s) of yours")):
        had, path = before.get(count), getattr(project, key, None)
        if isinstance(had, int) and had > 0 and not result.counts.get(count):
            why = "it does not exist" if path is None or not Path(path).exists() else "it holds none that match"
            result.diagnostics.warn("W401", out=display_path(out), before=had, what=what, key=key, why=why,
                                    file=display_path(path) if path is not None else f"(no `{key}:` in the project)")


def side_inputs(project: Project) -> dict:
    """The sha256 of the codebook, cases, decisions and condensates files as a run begins (None: not there).
    The manifest hashed them as the run ended: a decisions.csv that `review import` rewrote during the run was
    listed with decisions the results do not hold."""
    import hashlib

    out = {}
    for label in ("codebook", "cases", "decisions", "condensates"):
        path = getattr(project, label, None)
        if path is None:
            continue
        try:  # a regular file only: a FIFO named as decisions.csv would block here (the run refuses it, E716)
            out[label] = (Path(path), hashlib.sha256(Path(path).read_bytes()).hexdigest() if Path(path).is_file() else None)
        except OSError:
            out[label] = (Path(path), None)
    return out


def _changed_while_running(result: "RunResult") -> None:
    """W703 for each transcript removed or changed between its reading and the run's end. The run finished from
    what it had read, said nothing, and exited 0: a transcript deleted because consent was withdrawn was in every
    output, and the manifest listed a file that was no longer there. Each file is read and hashed once more
    (the sample's 12 files, 224 kB: 0.7 ms; SHA-256 of 10 MB: 15 ms here). A table of answers or excerpts
    records no hash of its file: only its removal is seen."""
    import hashlib

    recorded: dict[str, str] = {}
    for t in result.corpus.transcripts:
        recorded.setdefault(t.path, t.sha256)
    for path, sha256 in recorded.items():
        try:
            changed = bool(sha256) and hashlib.sha256(Path(path).read_bytes()).hexdigest() != sha256
            what = "changed" if changed else None
            if not sha256 and not Path(path).exists():
                what = "removed"
        except FileNotFoundError:
            what = "removed"
        except OSError:  # there, but not readable now: what the run read stands
            continue
        if what:
            result.diagnostics.warn("W703", path=display_path(path), what=what)
    for path, sha256 in result.side_inputs.values():  # the codebook, cases, decisions, condensates
        try:
            now = hashlib.sha256(Path(path).read_bytes()).hexdigest() if Path(path).is_file() else None
        except FileNotFoundError:
            now = None
        except OSError:
            continue
        if now != sha256:
            what = "removed" if now is None else "created" if sha256 is None else "changed"
            result.diagnostics.warn("W703", path=display_path(path), what=what)


# ---------------------------------------------------------------- agreement, learning, review
@file_errors_coded
def agree(a, b, *, sources: Iterable[str] | None = None, out: str | Path | None = None,
          only_coded: bool = False, diagnostics: Diagnostics | None = None, project=None) -> "Agreement":
    """Agreement of codings A with B (files or :class:`CodingFile`): κ, α, % agreement, P/R/F1 per dimension
    and theme. With ``out``, writes agreement.csv, confusion tables, disagreements.csv and report.md there.
    ``only_coded``: only the units A coded, per dimension. The result's ``statement`` says what was compared
    and its ``diagnostics`` warn about uncoded units counted as none (W512) and one-sided dimensions (W513),
    after what reading the files warned of (W101); ``diagnostics`` given: what reading A and B warned of already.

    ``project`` (a :class:`Project`, its file or folder; default ``./condense.yaml``, or the built-in sample when
    A or B is its reference coding): the study the codings belong to. Its transcripts say who is anonymous, so
    a file naming an anonymous respondent's units by the real transcript id and one naming them by the public
    id (codings.csv) are compared unit for unit, as the run compares its reference; its codebook gives the
    report its language and names, and the units the two sides code differently are listed (public ids only).
    Without one, files naming such units differently are refused (E518).
    """
    from .agreement import CodingFile, agree as _agree, check_unit_ids, read_coding_file, reconcile, write_agreement

    sources = tuple(sources) if sources else None
    inputs = [p for p in (a, b) if isinstance(p, (str, Path))]
    if out is not None:
        from .safety import refuse_output_folder

        refuse_output_folder(out, inputs, "agree")
    read = diagnostics if diagnostics is not None else Diagnostics()  # reading's warnings (W101), then comparing's
    fa = a if isinstance(a, CodingFile) else read_coding_file(a, sources=sources, diagnostics=read)
    fb = b if isinstance(b, CodingFile) else read_coding_file(b, sources=sources, diagnostics=read)
    study, privacy, codebook = _study_read(project, inputs)
    if privacy is not None:
        fa, fb = reconcile(fa, privacy), reconcile(fb, privacy)
    check_unit_ids(fa, fb, project=display_path(getattr(study, "path", None) or "") if study is not None else "")
    result = _agree(fa, fb, only_coded=only_coded, codebook=codebook, list_units=privacy is not None)
    read.extend(result.diagnostics)
    result.diagnostics = read
    if out is not None:
        write_agreement(result, out, inputs=inputs)
    return result


def _study_read(project, inputs: list):
    """(study, its Privacy, its codebook), or three Nones. A study only found (./condense.yaml) that cannot be
    read leaves the files as they are (E518 still guards their ids); one named with ``project`` must be read."""
    from .codebook import load_codebook

    try:
        study = _study_of(project, inputs)
        return (study, _study_privacy(study), load_codebook(study.codebook)) if study is not None else (None, None, None)
    except CondenseError:
        if project is not None:
            raise
        return None, None, None


def _study_of(project, inputs: list) -> Project | None:
    """The study two codings belong to: ``project`` given, else ``./condense.yaml``, else the built-in sample
    when one of the files is its reference coding; else None."""
    from .project import PROJECT_FILE, default_project, load_project

    if project is not None:
        return _project(project)
    if Path(PROJECT_FILE).is_file():
        return load_project(PROJECT_FILE)
    sample = default_project()
    reference = Path(sample.reference).resolve() if sample.reference else None
    if any(Path(p).is_file() and Path(p).resolve() == reference for p in inputs):
        return sample
    return None


def _study_privacy(project: Project):
    """The study's :class:`Privacy` as its run builds it (who is anonymous, their public ids, renamed ids);
    reading the transcripts warns of nothing here: the run does."""
    from .ingest import ingest
    from .privacy import privacy_of

    quiet = Diagnostics()
    corpus = ingest(project.transcripts, cases_file=project.cases, interviewer_labels=project.interviewer_labels,
                    language=project.language, diagnostics=quiet)
    return privacy_of(project, corpus, diagnostics=quiet)


@file_errors_coded
def learn(codings: str | Path, project: Project | None, *, out: str | Path | None = None,
          diagnostics: Diagnostics | None = None, folds: int = 5, group_by: str = "transcript",
          seed: int = 0, force: bool = False) -> "LearnedCoder":
    """Train a coder per dimension on reviewed codings (human rows); cross-validated κ of the learner, the
    majority guess and a plain TF-IDF + logistic-regression baseline on the same folds in ``.report``.

    ``project`` None: ``./condense.yaml``, or the built-in sample when ``codings`` is its reference coding;
    else E511. Codings whose dimensions are all unknown to the codebook: E512 (one error, not one per row).
    """
    from .codebook import load_codebook
    from .learn import GROUP_BY, LearnedCoder, labels_from_file
    from .pipeline import load_units
    from .project import PROJECT_FILE, default_project, load_project

    if out is not None and Path(out).exists() and not force:  # before the training, not after
        raise CondenseError("E704", path=display_path(out))
    if group_by not in GROUP_BY:
        raise CondenseError("E513", value=group_by, allowed=", ".join(GROUP_BY))
    if project is None:
        sample = default_project()
        if Path(PROJECT_FILE).exists():
            project = load_project(PROJECT_FILE)
        elif sample.reference and Path(codings).exists() and Path(codings).resolve() == Path(sample.reference).resolve():
            project = sample
        else:
            raise CondenseError("E511", detail=f"no --project given and no {PROJECT_FILE} in the current folder")
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    cb = load_codebook(project.codebook)
    _, seg = load_units(project, diagnostics=diagnostics)
    labels = labels_from_file(codings, cb, seg.units, diagnostics)
    model = LearnedCoder(cb.id, cb.language, codebook_sha256=cb.sha256).fit(
        seg.units, labels, folds=folds, group_by=group_by, random_state=seed,
        multi_label={d.id: d.multi_label for d in cb.dimensions})
    for dim, r in model.report.items():
        if "skipped" not in r and not r.get("beats_baseline", True):
            diagnostics.warn("W511", dimension=dim, kappa=f"{r['cv_kappa']:.3f}", baseline=f"{r['baseline_kappa']:.3f}")
    if not model.models:
        raise CondenseError("E507", path=display_path(codings), detail="no dimension had two labels and ten units")
    if out is not None:
        model.save(out)
    return model


REVIEW_SUFFIXES = (".xlsx", ".csv")


@file_errors_coded
def review_export(project: "Project | str | Path | None" = None, *, out: str | Path | None = None, progress: Callable | None = None,
                  blind: bool = False, order: str = "unit", model: str | Path | None = None, force: bool = False) -> CodeResult:
    """A review sheet of a project's coded units: one row per unit, suggestions and empty decision columns.

    Returns the coded units; with ``out`` (.xlsx with drop-down lists, or .csv), writes the sheet.
    ``blind``: no suggestions (code each unit yourself). ``order="uncertainty"``: the units the learned model
    (``model`` or the project's ``model:``) is least sure of first, with an ``uncertainty`` column
    (:meth:`LearnedCoder.review_priority`: while the model has learned from few units, weighted by how
    typical each unit is).
    """
    project = _project(project)
    if order not in ("unit", "uncertainty"):
        raise CondenseError("E514", value=order, allowed="unit, uncertainty")
    if order == "uncertainty" and (model or project.model) is None:
        raise CondenseError("E515", detail="no --model and no `model:` in the project file")
    from .review import review_sheet, write_review_sheet

    if out is not None and Path(out).suffix.lower() not in REVIEW_SUFFIXES:
        raise CondenseError("E403", path=display_path(out), line="", detail="the review sheet must be .xlsx or .csv",
                            fix="Use --out review.xlsx (recommended) or --out review.csv.")
    if out is not None:  # a reviewer's filled sheet is months of work: never written over without --force
        from .safety import refuse_output_file

        refuse_output_file(out, force=force, inputs=_inputs(project), example="review.xlsx",
                           read_folders=_read_folders(project))
    from .pipeline import reviewed

    run_result = reviewed(project, progress=progress)  # code(project)'s codings, with what the audit needs
    result = CodeResult(run_result.codebook, run_result.units, run_result.codings, run_result.diagnostics)
    uncertainty = None
    if order == "uncertainty":
        from .learn import load_model

        uncertainty = load_model(model or project.model, result.codebook).review_priority(result.units)
    if out is not None:  # a sheet goes to co-coders: a note or label naming an anonymous respondent stops it (E830)
        from .audit import write_audited

        sheet = review_sheet(result.units, result.codings, result.codebook, blind=blind, uncertainty=uncertainty)
        write_audited(run_result, out, lambda path: write_review_sheet(sheet, result.codebook, path))
    return result


@dataclass
class ReviewImport:
    """The decisions after merging a review sheet: all of them, and how many were added or replaced."""

    decisions: list
    added: int
    replaced: int
    path: Path | None = None
    diagnostics: Diagnostics = field(default_factory=Diagnostics)  # what reading the sheet and files warned of


@file_errors_coded
def review_import(sheet: str | Path, decisions: str | Path, *, codebook=None, write: bool = True,
                  project: Project | None = None) -> ReviewImport:
    """Merge a filled review sheet into a decisions file, checking every theme id (bad rows all at once).

    The decisions file is created when missing; rows are only added or updated, never removed. It must be a
    .csv (E721) and not the sheet itself (E705). Rows whose unit id is blank or malformed, or (given the
    ``project``) names no unit of it, are refused with their row numbers (E701).
    """
    from .review import decided_otherwise, import_review_sheet, merge_decisions, read_decisions, write_decisions
    from .safety import held, refuse_output_file

    decisions = Path(decisions)
    if decisions.suffix.lower() != ".csv":
        given = f"a {decisions.suffix} file" if decisions.suffix else "a file with no ending"
        raise CondenseError("E721", path=display_path(decisions),
                            detail=f"the decisions file must be a .csv (condense writes it as text), not {given}",
                            fix="Give --decisions a .csv file, e.g. decisions.csv; no other file (a workbook, a "
                                "codebook, a transcript) is ever written over.")
    refuse_output_file(decisions, force=True, inputs=[sheet], example="decisions.csv")
    cb = _codebook(codebook)
    diagnostics = Diagnostics()
    units = None
    if project is not None:
        from .pipeline import load_units

        units = load_units(project, diagnostics=diagnostics)[1].units
    new = import_review_sheet(sheet, cb, units, diagnostics=diagnostics)
    with held(decisions) if write else contextlib.nullcontext():  # no other import between reading and writing
        existing = read_decisions(decisions, cb, diagnostics=diagnostics)
        merged, added, replaced = merge_decisions(existing, new)
        _warn_decided_otherwise(decided_otherwise(existing, new), sheet, decisions, cb, diagnostics)
        if write:
            write_decisions(merged, decisions)
    return ReviewImport(merged, added, replaced, Path(decisions), diagnostics)


def _warn_decided_otherwise(changed: list, sheet, decisions: Path, codebook, diagnostics: Diagnostics) -> None:
    """W705 for decisions the sheet gives another action than the decisions file had (the first one named)."""
    if not changed:
        return
    from .review import sheet_header

    old, new = changed[0]
    diagnostics.warn("W705", path=display_path(Path(sheet)), n=len(changed), decisions=display_path(decisions),
                     unit=new.unit_id, dimension=new.dimension, theme="/".join(p for p in (new.theme, new.subtheme) if p),
                     before=old.action, after=new.action, coder=sheet_header("coder", codebook))


# ---------------------------------------------------------------- project and codebook
INIT_TEMPLATE = """\
# condense project file. Paths are relative to this file. `condense run` in this folder uses it.
transcripts: {transcripts}          # a folder of .txt .md .docx .odt .rtf .vtt .srt (or a list of files/folders)
cases: {cases}                   # case attributes: a `case` column and any others (period, kommune, region …)
codebook: {codebook}
language: {language}                          # da | en (the codebook's)

# Who is the interviewer, when the files do not say (front matter, transcripts.csv, a speaker legend):
interviewer_labels: []                # e.g. [I, I1, I2]

segmentation:
  mode: {mode}                        # window | sentence | turn
  max_sentences: {max_sentences}
  max_words: {max_words}

coding:                               # see condense/coding.py for what each weight does
  threshold: {threshold}                      # a dimension may override it in the codebook (`threshold:`)
  top_k: {top_k}                            # most themes per unit in a multi-label dimension
  guide_span: {guide_span}                       # follow-up questions that inherit the phase of the question that opened it

emergent:
{emergent_dimensions}
tables:
  count_over: cases                   # cases (the default) | interviews | units (one interview may cover several cases)
  # case_noun: [helhedsplan, helhedsplaner, helhedsplanerne, én]   # what the report calls a case (singular, plural[, definite plural, one])
{matrices}
  # crosstabs: [region]               # default: every column of cases.csv

decisions: decisions.csv              # review decisions, applied on every run (condense review …)
condensates: condensates.csv          # your own condensates and quote choices; never overwritten
# model: model/                       # a learned coder from `condense learn` (optional)
# reference: reference_coding.csv     # another coding of the same units (a colleague's): agreement.csv and a section of report.md
output: results
"""


def transcripts_here(folder: str | Path) -> list[Path]:
    """The transcript files a folder holds itself (not its subfolders'), as a run would read them."""
    from .ingest import transcript_name

    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and transcript_name(p.name))


@file_errors_coded
def init_project(folder: str | Path = ".", language: str | None = None) -> Path:
    """Start a study: a commented ``condense.yaml``, the blank STC codebook template in ``language`` (da, en)
    and ``transcripts/``. In a folder that holds transcripts already, the project reads them where they are
    (``transcripts: .``, cases.csv beside them) and, unless ``language`` is given, the codebook is in theirs.

    Nothing that exists is overwritten (E402 for an existing project file). Returns the project file.
    """
    from .ingest import folder_language

    here = transcripts_here(folder)
    language = language or (folder_language(Path(folder)) if here else None) or "da"
    if language not in _TEMPLATE_VALUES:
        raise CondenseError("E408", command="condense init", detail=f"unknown --language '{language}'; "
                            f"use one of {', '.join(sorted(_TEMPLATE_VALUES))}")
    from .coding import CoderSettings
    from .segment import Settings

    folder = Path(folder)
    target = folder / PROJECT_FILE
    if target.exists():
        if holds_no_settings(target):  # `run` sends its maker here (E401): the way on is not `run` again
            raise CondenseError("E402", what="Project file", path=display_path(target),
                                detail="it exists already, empty or comments only; nothing was written",
                                fix=f"Delete or rename {display_path(target)} (condense does not write over a file it "
                                    f"did not write) and run `condense init` again, or start the study in another "
                                    "folder (`condense init NEW_FOLDER`).")
        raise CondenseError("E402", what="Project file", path=display_path(target),
                            detail="it exists already; nothing was written",
                            fix=f"This folder holds a study already: run it with `condense run {display_path(target)}`, "
                                "or start the new study in another folder (`condense init NEW_FOLDER`).")
    transcripts = "." if here else "transcripts"
    _no_file_in_the_way(folder, folder / transcripts)
    cb = folder / "codebook.yaml"
    # a codebook.yaml of the researcher's is read before anything is written: a broken one stopped init after it
    # had written cases.csv
    dimensions = _init_dimensions(cb) if cb.exists() else None
    try:
        (folder / transcripts).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CondenseError("E402", what="Study folder", path=display_path(folder), detail=exc.strerror or str(exc),
                            fix="Start the study in a folder you may write in (`condense init NEW_FOLDER`).") from exc
    from .io import read_text, write_file

    if dimensions is None:
        write_file(cb, blank_codebook(read_text(default_codebook("da").parent / "stc-template.yaml"), language))
        dimensions = _init_dimensions(cb)
    cases = folder / transcripts / "cases.csv"
    if not cases.exists():
        write_file(cases, "case,period,kommune,region\n")
    seg, coder = Settings(), CoderSettings()
    write_file(target, INIT_TEMPLATE.format(
        transcripts=transcripts, cases="cases.csv" if here else "transcripts/cases.csv", codebook="codebook.yaml",
        mode=seg.mode, max_sentences=seg.max_sentences, max_words=seg.max_words, threshold=coder.threshold,
        top_k=coder.top_k, guide_span=coder.guide_span, **dimensions))
    return target


def _no_file_in_the_way(folder: Path, transcripts: Path) -> None:
    """E402 naming the file that stands where ``init`` makes a folder: a file named ``transcripts`` (notes saved
    without an ending) was reported as "Study folder … cannot be written: File exists", the study folder named."""
    for path, what in ((folder, "Study folder"), (transcripts, "Transcripts folder")):
        if path.exists() and not path.is_dir():
            raise CondenseError("E402", what=what, path=display_path(path),
                                detail="a file of that name is there, not a folder",
                                fix=f"Rename or move the file {display_path(path)}, or start the study in another "
                                    "folder (`condense init NEW_FOLDER`).")


# The blank template's values in each language (its comments stay in English, as all docs): the lines of
# stc-template.yaml as written, and what a Danish study's blank codebook says instead.
_TEMPLATE_VALUES: dict[str, dict[str, str]] = {"en": {}, "da": {
    "label: My study – short title": "label: Mit studie – kort titel",
    "language: en": "language: da",
    "  Describe the study and the research question here, in two or three sentences.":
        "  Beskriv studiet og forskningsspørgsmålet her med to-tre sætninger.",
    "  - id: challenges": "  - id: udfordringer",
    "    label: Challenges": "    label: Udfordringer",
    "    cues: [difficult, hard, challenge, problem, went wrong]": "    cues: [svært, svær, udfordring, problem, gik galt]",
    "  - id: phase": "  - id: fase",
    "    label: Project phase": "    label: Projektfase",
    "      The phase of the project that a statement is about.": "      Den fase af projektet, som et udsagn handler om.",
    "      - id: knowledge_gathering": "      - id: vidensindsamling",
    "        label: Knowledge gathering": "        label: Vidensindsamling",
    "          How the project found out about participants' needs and wishes before choosing what to do.":
        "          Hvordan projektet fandt ud af deltagernes behov og ønsker, før det valgte, hvad der skulle ske.",
    "        include: The statement is about collecting or using knowledge as a basis for choosing what to do.":
        "        include: Udsagnet handler om at indsamle eller bruge viden som grundlag for at vælge, hvad der skal ske.",
    "        exclude: Measuring the results of an activity already under way belongs to Evaluation.":
        "        exclude: At måle resultatet af en aktivitet, der allerede er i gang, hører under Evaluering.",
    '          - "We did a survey and went round with an interpreter so people could answer in their own language."':
        '          - "Vi sendte et spørgeskema ud og bankede på med en tolk, så alle kunne svare på deres eget sprog."',
    "          - survey": "          - undersøgelse",
    "          - questionnaire": "          - spørgeskema",
    "          - needs assessment": "          - behovsanalyse",
    "          - door to door": "          - fra dør til dør",
    "          - knowledge gathering": "          - vidensindsamling",
    "          - find out about": "          - finde ud af",
    "          - id: own_surveys": "          - id: egne_spoergeskemaer",
    "            label: Own questionnaire surveys": "            label: Egne spørgeskemaundersøgelser",
    "              Surveys the project ran itself among participants.":
        "              Spørgeskemaer, som projektet selv lavede blandt deltagerne.",
    "            include: The statement is about a survey the project designed or carried out.":
        "            include: Udsagnet handler om et spørgeskema, projektet selv udformede eller gennemførte.",
    "            exclude: Existing statistics and published profiles belong to a sub-theme of their own.":
        "            exclude: Eksisterende statistik og udgivne sundhedsprofiler har deres eget undertema.",
    '              - "We sent out our own questionnaire and got about a hundred back."':
        '              - "Vi lavede vores eget skema og fik omkring hundrede besvarelser tilbage."',
    "              - questionnaire": "              - spørgeskema",
    "              - response rate": "              - svarprocent",
    "              - sent out a questionnaire": "              - eget spørgeskema",
}}


def blank_codebook(template: str, language: str) -> str:
    """The blank STC template with its values in ``language`` (each value line replaced as a whole)."""
    values = _TEMPLATE_VALUES[language]
    out = []
    for line in template.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        out.append(values.get(body, body) + line[len(body):])
    return "".join(out)


def _init_dimensions(codebook_path: Path) -> dict:
    """The project file's dimension settings, named after the codebook it sits beside (never a dimension the
    codebook lacks): emergent themes among the multi-label dimensions, a matrix of the first two single-label ones."""
    from .codebook import load_codebook

    cb = load_codebook(codebook_path)
    multi = [d.id for d in cb.dimensions if d.multi_label]
    single = [d.id for d in cb.dimensions if not d.multi_label]
    if multi:
        emergent = (f"  dimensions: [{', '.join(multi)}]" + " " * 10
                    + "# look for new themes among units none of these dimensions' themes cover\n  max_groups: 8\n")
    else:
        emergent = ("  # dimensions: [topic]             # a multi-label dimension of your codebook (default: chosen from the codebook)\n"
                    "  max_groups: 8\n")
    if len(single) >= 2:
        matrices = f"  matrices: [[{single[0]}, {single[1]}]]"
    else:
        matrices = "  # matrices: [[phase, participation]]   # two single-label dimensions of your codebook, crossed"
    return {"language": cb.language, "emergent_dimensions": emergent, "matrices": matrices}


@dataclass
class ExportResult:
    """A REFI-QDA export: the project written and the warnings of the run behind it."""

    project: "QdaProject"
    path: Path
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


@file_errors_coded
def export_qdpx(source: str | Path | None, out: str | Path, *, force: bool = False,
                progress: Callable | None = None) -> ExportResult:
    """REFI-QDA export of a folder made by ``import qdpx`` (as it is), or of a project, run first: its sources
    as the run shows them (anonymous interviews under their public ids), checked by the consent audit before
    the file is written. Never onto an existing file without ``force``, never onto an input."""
    from .qdpx import audit_export, project_from_folder, project_from_run, qdpx_bytes
    from .safety import refuse_output_file

    out = refuse_output_file(out, force=force, example="study.qdpx")  # before a run: a folder, a missing folder, no --force
    if source is not None and Path(source).is_dir() and (Path(source) / "selections.csv").exists():
        read = Diagnostics()
        qda, result = project_from_folder(source, read), None
    else:
        from .pipeline import run as run_pipeline
        from .project import resolve_project

        project = resolve_project(source)
        refuse_output_file(out, force=force, inputs=_inputs(project), example="study.qdpx",
                           read_folders=_read_folders(project))
        result = run_pipeline(project, progress=progress)
        qda = project_from_run(result)
    data = qdpx_bytes(qda)
    if result is not None:
        audit_export(result, data, out.name)
    from .io import write_file

    diagnostics = result.diagnostics if result is not None else read
    if out.suffix.lower() != ".qdpx":
        diagnostics.warn("W704", path=display_path(out), name=display_path(out.with_suffix("") if out.suffix.lower() in (".qde", ".zip") else out))
    return ExportResult(qda, write_file(out, data), diagnostics)


@dataclass
class MergeResult:
    """The merged codebook and the number of candidate themes added to it."""

    codebook: "Codebook"
    added: int
    path: Path | None = None
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


@file_errors_coded
def merge_codebooks(codebook: str | Path, candidates: str | Path, *, out: str | Path | None = None,
                    force: bool = False) -> MergeResult:
    """Fold candidate themes (an edited candidates.yaml) into a codebook.

    Ids found in both are reported all at once (E209) and nothing is written; ``out`` may not be one of
    the inputs (E402).
    """
    from .codebook import load_codebook, merge_codebooks as _merge, save_codebook

    base = load_codebook(codebook)
    cand = load_codebook(candidates)
    merged, conflicts = _merge(base, cand)
    if conflicts:
        raise CondenseErrors([CondenseError("E209", id=c, a=display_path(codebook), b=display_path(candidates))
                              for c in conflicts])
    if out is not None:
        from .safety import refuse_output_file

        out = refuse_output_file(out, force=force, inputs=[codebook, candidates], example="codebook.yaml")
        from .codebook import merged_text
        from .io import read_text, write_yaml

        text = merged_text(read_text(Path(codebook)), base, merged)  # the researcher's comments and layout kept
        if text is not None:
            write_yaml(text, out)
        else:
            save_codebook(merged, out)
    return MergeResult(merged, sum(len(d.themes) for d in cand.dimensions), out,
                       _unnamed_candidates(cand, out if out is not None else candidates))


def _unnamed_candidates(cand, where) -> Diagnostics:
    """W204 for candidate themes merged as condense proposed them (status candidate, label still "Kandidat: …"):
    candidates.yaml asks the researcher to name each and delete the rest, and merging it unread made every
    proposal a theme of the codebook, coded on the next run like the researcher's own."""
    from .emergent import PROPOSED

    diagnostics = Diagnostics()
    unnamed = [t.id for d in cand.dimensions for t in d.themes if t.status == "candidate" and t.label.startswith(PROPOSED)]
    if unnamed:
        diagnostics.warn("W204", n=len(unnamed), ids=first_few(unnamed), path=display_path(where))
    return diagnostics


def suggest_terms(project: "Project | str | Path | None" = None, *, top: int = 8, out: str | Path | None = None,
                  diagnostics: Diagnostics | None = None) -> list:
    """Words that behave like each theme's own terms in the project's units (co-occurrence, PMI), with
    example units (:mod:`condense.suggest`). Only proposals: the codebook is never changed. With ``out``
    (.csv), writes them with the example units' text."""
    project = _project(project)
    from .pipeline import make_coder
    from .suggest import suggest_terms as _suggest

    result = code(project)
    coder = make_coder(project, result.codebook)
    found = _suggest(result.units, result.codings, coder, top=top)
    if diagnostics is not None:
        from .suggest import warn_everyday_terms

        warn_everyday_terms(result.codebook, coder, diagnostics)  # W306: the codebook's own everyday terms
    if out is not None:
        import pandas as pd

        from .io import write_csv

        text = {u.unit_id: u.text for u in result.units}
        rows = [{"dimension": s.dimension, "theme": s.theme, "word": s.word, "pmi": s.pmi, "units_with_theme": s.n_theme,
                 "units_in_all": s.n_all, "everyday": s.everyday, "example_units": ";".join(s.examples),
                 "example_text": " | ".join(text[e][:200] for e in s.examples)} for s in found]
        write_csv(pd.DataFrame(rows, columns=["dimension", "theme", "word", "pmi", "units_with_theme", "units_in_all",
                                              "everyday", "example_units", "example_text"]), out)
    return found
