"""`condense.run()`: the whole pipeline, top-down as DESIGN.md §2 draws it.

    transcripts ─ ingest ─ segment ─ code ─ review (decisions) ─ discover ─ condense ─ tables ─ export

Each step is a plain function of its own module; this module only chains them from a :class:`Project`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from typing import TYPE_CHECKING

from .codebook import Codebook, load_codebook
from .errors import CondenseError, Diagnostics, display_path, first_few
from .ingest import Corpus, ingest
from .io import output_folder
from .model import gc_settled, settle
from .privacy import apply_privacy
from .project import Project
from .segment import Segmentation, Settings, segment

if TYPE_CHECKING:
    from .agreement import Agreement
    from .condensation import Condensation
    from .emergent import Discovery

__all__ = ["RunResult", "ReviewSummary", "run", "write_results", "load_units", "make_coder", "coded_units",
           "code_and_review", "reviewed", "discover_candidates", "segmentation_settings", "table_settings", "steps_3_4",
           "withdrawn_check"]


@dataclass
class ReviewSummary:
    """What the review decisions did in a run."""

    applied: int = 0  # decisions in force (applied + superseded + orphaned == decisions)
    orphaned: int = 0  # decisions whose unit is gone (listed in orphaned_decisions.csv, kept in the file)
    relocated: int = 0  # decisions found again by their unit's text after its id changed
    decisions: int = 0  # decisions read
    superseded: int = 0  # replaced by a later decision on the same unit, dimension, theme and sub-theme
    rejected: int = 0  # applied decisions with action reject (part of ``applied``)


@dataclass
class RunResult:
    """Everything a run produced, in memory; :func:`write_results` writes it.

    ``tables`` holds every table as a DataFrame (file name without ``.csv`` → frame); the named fields hold
    what the report, the workbook and the command line read besides the tables.
    """

    project: Project
    corpus: Corpus
    segmentation: Segmentation
    diagnostics: Diagnostics
    tables: dict = field(default_factory=dict)  # name -> DataFrame, one csv each
    codebook: Codebook | None = None
    codings: list = field(default_factory=list)  # every coding (rule, model, human) after review
    review: ReviewSummary | None = None
    discovery: "Discovery | None" = None  # step 1–2: candidate emergent themes
    candidates: Codebook | None = None  # the same candidates as a codebook fragment (candidates.yaml)
    key_terms: dict = field(default_factory=dict)  # step 1: "(corpus)" and per interview → lemmas
    condensation: "Condensation | None" = None  # step 3
    researcher_rows: list = field(default_factory=list)  # (dimension, theme, subtheme) of researcher condensates
    matrix_grids: dict = field(default_factory=dict)  # "Fase × Deltagelse" → wide DataFrame (report, CLI)
    sheets: dict = field(default_factory=dict)  # extra workbook sheets: grid_<a>_x_<b>
    counts: dict = field(default_factory=dict)  # for the manifest
    agreement: "Agreement | None" = None  # against the project's reference coding, when it names one
    audit: dict = field(default_factory=dict)  # what the consent audit checked (write_results fills it)
    audit_scanner: object = None  # the consent audit's fingerprints and memory, made once (audit.run_scanner)
    coded: "CodedData | None" = None  # tables from coding done elsewhere: what was read (condense.coded)
    plan_matrix: object = None  # participation per plan × phase, the study's figure (wide DataFrame; report)
    side_inputs: dict = field(default_factory=dict)  # label → (path, sha256 or None) of the codebook, cases, decisions and condensates as the run began

    @property
    def units(self) -> list:
        return self.segmentation.units


def segmentation_settings(project: Project) -> Settings:
    s = project.segmentation
    return Settings(mode=s.get("mode", "window"), max_sentences=int(s.get("max_sentences", 3)),
                    max_words=int(s.get("max_words", 80)))


def load_units(project: Project, *, diagnostics: Diagnostics | None = None,
               progress: Callable | None = None, stage: Callable[[str], None] | None = None) -> tuple[Corpus, Segmentation]:
    """Ingest and segment a project's transcripts (the first two steps of every command)."""
    corpus, seg, _ = _load_units(project, diagnostics, progress, stage)
    return corpus, seg


def _load_units(project: Project, diagnostics: Diagnostics | None, progress: Callable | None,
                stage: Callable[[str], None] | None, coder: Callable | None = None) -> tuple[Corpus, Segmentation, list | None]:
    """:func:`load_units`; given ``coder`` (a function making the rule coder, called once the transcripts are
    read) and more than one job, the rule codings too, made in the segmenting workers
    (:func:`_private_and_coded`): (corpus, segmentation, the rule codings or None when not made here)."""
    from .parallel import available_jobs

    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    corpus = ingest(project.transcripts, cases_file=project.cases, interviewer_labels=project.interviewer_labels,
                    language=project.language, diagnostics=diagnostics, progress=progress, jobs=project.jobs)
    if stage:
        stage("ingest")
    nlp = None
    if project.spacy_model:
        from .nlp import load_nlp

        nlp = load_nlp(project.language, model=project.spacy_model)
    settings = segmentation_settings(project)
    codings = None
    if coder is not None and available_jobs(project.jobs) > 1 and len(corpus.transcripts) > 1:
        seg, codings = _private_and_coded(project, corpus, settings, nlp, coder, diagnostics)
    else:
        seg = _segment_shares(corpus.transcripts, settings, nlp, project.jobs)
        apply_privacy(project, corpus, seg, diagnostics=diagnostics)  # public ids for anonymous respondents, pseudonyms (privacy.py)
    if stage:
        stage("segment")
    return corpus, seg, codings


def _segment_shares(transcripts: list, settings: Settings, nlp, jobs: int) -> Segmentation:
    """``segment`` over the transcripts, in ``jobs`` processes when asked (segment.segment_shares; same result)."""
    from .segment import segment_shares

    return segment_shares(transcripts, settings, nlp, jobs)


def _private_and_coded(project: Project, corpus: Corpus, settings: Settings, nlp, coder,
                       diagnostics: Diagnostics | None = None) -> tuple[Segmentation, list]:
    """Segment, apply the privacy (privacy.py) and rule-code each share of transcripts in one worker
    (segment.segment_map), with the result of :func:`load_units` and then the rule coder (``coder()`` makes
    it): each step reads one transcript at a time, and the privacy is built from the corpus before the
    workers fork (with the coder, while the word pieces are tokenized in workers, this process idle).
    A map of its own for coding forked the workers and sent every unit to them again, and the privacy
    rewrote every unit here in between, on one core (1M words: 0.4 s). Returns (segmentation, rule codings)."""
    from .privacy import privacy_of
    from .segment import segment_map

    made: list = []  # the privacy and the coder, made while the word pieces are tokenized in workers

    def then(share: Segmentation):
        privacy, code = made
        asked = len(share.questions)
        privacy.apply(share)
        codings = code(share.units, share.questions)
        del share.questions[asked:]  # questions asked again of anonymous speakers: added below, in corpus order
        return codings, dict(privacy.anonymous_unit_ids)

    seg, parts = segment_map(corpus.transcripts, settings, nlp, project.jobs, then,
                             meanwhile=lambda: made.extend((privacy_of(project, corpus, diagnostics=diagnostics), coder())))
    privacy = made[0]
    seg.questions.extend(privacy.relabelled(seg.questions))  # as Privacy.apply adds them
    for _, ids in parts:
        privacy.anonymous_unit_ids.update(ids)
    privacy.activate()
    seg.privacy = privacy
    return seg, [c for codings, _ in parts for c in codings]


def _code_shares(coder, seg: Segmentation, jobs: int) -> list:
    """The rule codings of every unit, per share of transcripts in ``jobs`` processes when asked."""
    from .parallel import available_jobs, map_shares

    if available_jobs(jobs) <= 1:
        return coder(seg.units, seg.questions)
    by_transcript: dict[str, tuple[list, list]] = {}
    for u in seg.units:
        by_transcript.setdefault(u.transcript, ([], []))[0].append(u)
    for q in seg.questions:
        by_transcript.setdefault(q.transcript, ([], []))[1].append(q)
    groups = list(by_transcript.values())
    if len(groups) < 2:
        return coder(seg.units, seg.questions)
    parts = map_shares(lambda gs: coder([u for g in gs for u in g[0]], [q for g in gs for q in g[1]]), groups, jobs,
                       weight=lambda g: len(g[0]))
    return [c for p in parts for c in p]


def require_units(corpus, units: list, paths) -> None:
    """E711 when transcripts were read but none holds a respondent's answer (questions only, the other files
    skipped): every table was written empty over the last results, exit 0, and nothing said."""
    if units or corpus is None or not corpus.transcripts:
        return
    raise CondenseError("E711", path=", ".join(display_path(p) for p in paths) or "(no input)", n=len(corpus.transcripts),
                        names=first_few([Path(t.path).name for t in corpus.transcripts], 3),
                        skipped=f" (skipped: {first_few([Path(p).name for p in corpus.skipped], 3)})" if corpus.skipped else "")


def make_coder(project: Project, codebook: Codebook | None = None):
    """The rule coder for a project's codebook and coding settings."""
    from .coding import Coder, CoderSettings

    codebook = codebook or load_codebook(project.codebook)
    try:
        settings = CoderSettings.from_dict(project.coding)
    except (ValueError, TypeError) as exc:
        raise CondenseError("E401", path=str(project.path or "(project)"), line="", detail=str(exc),
                            fix="Check the `coding:` settings in the project file.") from exc
    dims = [d.id for d in codebook.dimensions]
    unknown = [d for d in settings.guide_dimensions or () if d not in dims]
    if unknown:  # a typo here coded no unit by the guide's sections, without a word
        raise CondenseError("E401", path=str(project.path or "(project)"), line="",
                            detail=f"`coding.guide_dimensions` names '{unknown[0]}', which the codebook does not have",
                            fix=f"Use dimensions of the codebook: {', '.join(dims)}.")
    return Coder(codebook, settings)


def coded_units(project: Project, *, progress: Callable | None = None):
    """Ingest, segment and code a project, with its review decisions applied (for review and discovery).

    Returns (codebook, units, codings, diagnostics).
    """
    result = reviewed(project, progress=progress)
    return result.codebook, result.units, result.codings, result.diagnostics


def reviewed(project: Project, *, progress: Callable | None = None) -> RunResult:
    """Steps 1-2 of a project as a :class:`RunResult` (``codings``: the final codings, review decisions applied),
    for the verbs that stop before the tables. A review note repeating a withdrawn passage is refused at its row
    (E833) as in a run: the result is what the withdrawn check of a researcher's condensates needs after it."""
    from .review import final_codings

    diagnostics = Diagnostics()
    codebook = load_codebook(project.codebook)
    diagnostics.extend(codebook.diagnostics)
    corpus, seg = load_units(project, diagnostics=diagnostics, progress=progress)
    result = RunResult(project, corpus, seg, diagnostics, codebook=codebook)
    outcome, _ = code_and_review(project, codebook, seg, check=withdrawn_check(result), diagnostics=diagnostics)
    result.codings = final_codings(outcome.codings, codebook)
    return result


def code_and_review(project: Project, codebook: Codebook, seg: Segmentation, codings: list | None = None, *,
                    check=None, diagnostics: Diagnostics | None = None):
    """Rule codings (+ the learned model's, if the project names one) with the review decisions applied.
    ``codings``: the rule codings, when they were made with the units (:func:`_private_and_coded`).
    ``check(path, cells)``: given the (line, "note", text) of every decision's note (:func:`withdrawn_check`).
    ``diagnostics``: what reading the decisions file warns of (W101 for a file in Windows-1252).

    Returns (the review outcome, the number of decisions read).
    """
    from .review import apply_decisions, read_decisions

    if codings is None:
        codings = _code_shares(make_coder(project, codebook), seg, project.jobs)
    if diagnostics is not None:
        from .coding import warn_left_out

        warn_left_out(codings, diagnostics)  # themes a unit matched beyond its dimension's top_k (W308)
    if project.model is not None:
        from .learn import load_model

        codings += load_model(project.model, codebook).suggest(seg.units)
    decisions = read_decisions(project.decisions, codebook, diagnostics=diagnostics) if project.decisions else []
    if check is not None and decisions:
        check(project.decisions, [(d.row, "note", d.note) for d in decisions])
    if getattr(seg, "privacy", None) is not None:
        seg.privacy.translate_decisions(decisions)  # decisions keyed by a real transcript id find their units
    return apply_decisions(codings, seg.units, decisions, codebook), len(decisions)


def _counted_in_respondents(settings, corpus, language: str):
    """A survey whose every respondent is their own case ("8 af 40 tilfælde") counts respondents: the case noun
    is theirs unless the project names one. A table with a case column (a department) keeps its cases."""
    if settings.case_noun is not None or not corpus.of_respondents:
        return settings
    if any(c != t.id for t in corpus.transcripts for c in t.cases):
        return settings
    from dataclasses import replace

    from .i18n import noun_forms

    return replace(settings, case_noun=noun_forms("respondent", language))


def table_settings(project: Project):
    """The project's ``tables:`` settings (E401 when they are wrong)."""
    from .tables import TableSettings

    try:
        return TableSettings.from_dict(project.tables)
    except ValueError as exc:
        raise CondenseError("E401", path=str(project.path or "(project)"), line="", detail=str(exc),
                            fix="Check the `tables:` settings in the project file.") from exc


def discover_candidates(project: Project, units: list, codings: list, codebook: Codebook, *, n_groups: int | None = None):
    """STC steps 1–2: candidate emergent themes with every ``emergent:`` setting of the project.

    The one discovery call of ``run`` and ``discover`` (they once disagreed: 8 candidates against 2).
    Returns (Discovery, the candidates as a codebook fragment).
    """
    from .emergent import candidates_codebook, discover, emergent_options

    options = emergent_options(project.emergent, path=str(project.path or "(project)"))
    if n_groups is not None:
        options["n_groups"] = n_groups
    discovery = discover(units, codings, codebook, **options)
    return discovery, candidates_codebook(discovery, codebook, {u.unit_id: u for u in units})


def run(project: Project, *, progress: Callable | None = None, stage: Callable[[str], None] | None = None) -> RunResult:
    """Run the pipeline on a project and return every table as a DataFrame (nothing written).

    ingest → segment → code (rules, + learned model if the project names one) → apply review decisions
    → discover candidate themes → condense (sub-groups, drafts, golden quotes) → tables.
    ``stage(name)`` is called as each of ingest, segment, code, discover, condense and tables ends.
    """
    diagnostics = Diagnostics()
    codebook = load_codebook(project.codebook)
    diagnostics.extend(codebook.diagnostics)
    settings = table_settings(project)
    # STC step 2: meaning units and codes
    corpus, seg, rule = _load_units(project, diagnostics, progress, stage, coder=lambda: make_coder(project, codebook))
    if not corpus.transcripts:  # never replace good results with empty tables
        raise CondenseError("E706", path=", ".join(display_path(p) for p in project.transcripts),
                            skipped=", ".join(Path(p).name for p in corpus.skipped[:5]) or "none")
    require_units(corpus, seg.units, project.transcripts)
    from .coding import check_language

    check_language(seg.units, codebook, diagnostics, ", ".join(display_path(p) for p in project.transcripts[:3]), project=True)
    result = RunResult(project, corpus, seg, diagnostics, codebook=codebook)
    with gc_settled():  # the corpus and its units live until the run ends: no full collection scans them again
        outcome, n_decisions = code_and_review(project, codebook, seg, rule, check=withdrawn_check(result),
                                               diagnostics=diagnostics)
        settle()  # nor the codings
        if stage:
            stage("code")
        return steps_3_4(result, outcome, n_decisions, settings, stage=stage)


def steps_3_4(result: RunResult, outcome, n_decisions: int, settings=None, *,
              stage: Callable[[str], None] | None = None) -> RunResult:
    """From reviewed codings on: candidates, condensation and every table (fills ``result``). Should it fail
    (a coded error, Ctrl-C), the processes it started beside (the consent audit's scanner, the plan × phase
    reading, the quotes' groundwork, the discovery) end with it, not with the session (parallel.ended_on_error)."""
    from .parallel import ended_on_error

    with ended_on_error():
        return _steps_3_4(result, outcome, n_decisions, settings, stage)


def _warn_converted(orphans: list, path, diagnostics: Diagnostics) -> None:
    """W514 for orphaned decisions whose unit id a spreadsheet made a time, a date or a number: why they did not
    apply, and how to mend the file."""
    from .review import converted_orphans

    converted = converted_orphans(orphans)
    if converted:
        kinds = sorted({kind for _, kind in converted})
        diagnostics.warn("W514", path=display_path(path), lines=first_few([str(d.row) for d, _ in converted], 5),
                         n=len(converted), ids=first_few([f"'{d.unit_id}'" for d, _ in converted], 3),
                         kinds=" or ".join(kinds))


def _steps_3_4(result: RunResult, outcome, n_decisions: int, settings, stage: Callable[[str], None] | None) -> RunResult:
    from .coding import codings_frame, units_coded_frame
    from .review import DECISION_COLUMNS, final_codings
    from .tables import cooccurrence, crosstab, crosstab_names, default_crosstabs, named_in_project, segments, themes_table

    import pandas as pd

    project, codebook, diagnostics = result.project, result.codebook, result.diagnostics
    settings = _counted_in_respondents(settings or table_settings(project), result.corpus, codebook.language)
    corpus, seg = result.corpus, result.segmentation
    settings = named_in_project(settings, codebook, corpus.cases, diagnostics,
                                named_matrices="matrices" in (project.tables or {}))
    units = seg.units
    if outcome.orphaned:
        diagnostics.warn("W107", path=str(project.decisions), n=len(outcome.orphaned))
        _warn_converted(outcome.orphaned, project.decisions, diagnostics)
    result.codings = outcome.codings
    final = final_codings(outcome.codings, codebook)
    result.review = ReviewSummary(outcome.applied, len(outcome.orphaned), outcome.relocated, n_decisions,
                                  outcome.superseded, outcome.rejected)  # applied + superseded + orphaned == decisions

    _preload_steps()  # before the forks below, not between them
    plan = _plan_phase_beside(result, final)  # the tables' plan × phase reading, found beside condensation
    ground = _groundwork_beside(result, final)  # and the quotes' and drafts' groundwork, beside the tables below
    # STC step 4's tables that read the final codings alone, made now: the heatmaps are drawn from them
    # while condensation runs (_heatmaps_ahead)
    t = result.tables
    t["units"] = seg.to_frame()
    t["codings"] = codings_frame(outcome.codings)
    t["units_coded"] = units_coded_frame(units, final, [d.id for d in codebook.dimensions])
    t["segments"] = segments(units, final, codebook)
    long = _matrix_tables(result, final, settings)
    _heatmaps_ahead(result, long)
    _audit_ahead(result)
    applied = _discover_and_condense(result, final, settings, stage, ground)

    # STC step 4: tables
    t["themes"] = themes_table(result.condensation, units, codebook, settings, final,
                               sources={tr.id: tr.text for tr in corpus.transcripts})
    _matrices(result, long, settings)
    _participation_per_plan(result, final, plan)
    attributes = settings.crosstabs
    if attributes is None:
        attributes = default_crosstabs(corpus.cases, diagnostics)
    # an anonymous interview's plan and its attributes are no column of a crosstab
    public_cases = {k: v for k, v in corpus.cases.items() if k not in _privacy(seg).anonymous_cases}
    for attribute, name in crosstab_names(attributes).items():
        t[name] = crosstab(units, final, codebook, public_cases, attribute, settings)
    t["cooccurrence"] = cooccurrence(final, codebook)
    t["candidates"] = result.discovery.to_frame()
    t["orphaned_decisions"] = pd.DataFrame([d.as_row() for d in outcome.orphaned], columns=DECISION_COLUMNS)
    if project.reference is not None and project.reference.exists():
        _agreement_with_reference(result, final, project.reference)
    result.counts = {"decisions_applied": outcome.applied, "orphaned_decisions": len(outcome.orphaned),
                     "decisions_superseded": outcome.superseded, "decisions_rejected": outcome.rejected,
                     "candidates": len(result.discovery.groups), "researcher_condensates": applied}
    if stage:
        stage("tables")
    return result


def withdrawn_check(result: RunResult):
    """The check a researcher's condensates and review notes get as they are read: E833 at the row of a cell that
    repeats a withdrawn passage (audit.refuse_withdrawn_cells; the consent audit stays the last guard)."""
    from .audit import refuse_withdrawn_cells

    return lambda path, cells: refuse_withdrawn_cells(result, path, cells)


def _privacy(seg):
    """The segmentation's privacy (apply_privacy sets it; built empty for units segmented elsewhere)."""
    from .privacy import Privacy

    privacy = getattr(seg, "privacy", None)
    return privacy if privacy is not None else Privacy()



# What steps 1-3 import in this process and in the processes they fork (discovery, the sub-groups, the quotes'
# groundwork): scipy's sparse matrices, wordfreq and the modules that use them
STEP_MODULES = ("scipy.sparse", "wordfreq", "condense.grouping", "condense.group_tfidf", "condense.quotes",
                "condense.drafts", "condense.names", "condense.emergent", "condense.condensation")


def _preload_steps() -> None:
    """:data:`STEP_MODULES` imported here once, before steps 3-4 fork any process: a forked process inherits
    them (parallel.preload), and this process imports them before it shares its memory with the processes it
    forks, not while they run. Imported after the plan, groundwork and audit processes had forked (as it was,
    at the start of discovery), the same imports cost this process about 0.2 CPU s more on the sample
    (2.83 -> 2.57 CPU s in one traced run; 7,000 fewer minor page faults for the whole run): pages written
    while shared with a forked child are copied first, and two processes running on two cores each run slower."""
    from .parallel import preload

    preload(*STEP_MODULES)


KEY_TERMS = 10  # key terms shown per interview (twice as many for the whole corpus)
KEY_TERMS_SPARE = 5  # found beyond those, to stand in for names left out

def _groundwork_beside(result: RunResult, final: list):
    """What condensation's drafts and quotes need of each unit alone (condensation.groundwork_beside), started
    now in a forked process: it reads only the units and the final codings, so it runs while the tables that
    need no condensation are made, on the core that would otherwise wait for them."""
    from .condensation import groundwork_beside

    _preload_steps()
    return groundwork_beside(result.segmentation.units, final, result.codebook.language)


def _discover_and_condense(result: RunResult, final: list, settings, stage: Callable[[str], None] | None,
                           groundwork=None) -> int:
    """STC steps 1–3 into ``result``: candidates and key terms, sub-groups with their drafts and quotes, the
    researcher's condensates applied (their number is returned). ``groundwork``: :func:`_groundwork_beside`,
    when started."""
    from .condensation import apply_researcher_condensates, condense
    from .emergent import corpus_words, emergent_options, key_terms
    from .parallel import beside
    from .quotes import without_persons

    project, codebook, diagnostics = result.project, result.codebook, result.diagnostics
    seg = result.segmentation
    units = seg.units
    _preload_steps()  # (done already when steps_3_4 called: what both sides of the fork below import)
    # STC steps 1–2: total impression and emergent candidates, found on the second core while step 3 runs
    # here (neither reads the other; its time shows under "condense" then)
    emergent_options(project.emergent, path=str(project.path or "(project)"))  # a wrong setting: E35x, here
    corpus_words(units, codebook.language)  # read once, before the fork, for both sides
    _background_frequencies(codebook.language, units)  # and loaded once
    # a few key terms more than are shown, so that a list the filters below shorten is filled up again
    found = beside(lambda: (*discover_candidates(project, units, final, codebook),
                            key_terms(units, codebook.language, n=KEY_TERMS + KEY_TERMS_SPARE)))
    if stage:
        stage("discover")

    # STC step 3: condensation; the researcher's own condensates replace the drafts
    by_id = {u.unit_id: u for u in units}
    condensation = condense(units, final, codebook, matrices=settings.matrices, groundwork=groundwork)
    applied = apply_researcher_condensates(condensation, project.condensates, by_id, diagnostics, privacy=_privacy(seg),
                                           check=withdrawn_check(result))
    result.condensation = condensation
    result.researcher_rows = [(g.dimension, g.theme, g.subtheme) for g in condensation.groups if g.researcher]
    result.discovery, result.candidates, terms = found.result()
    terms = _privacy(seg).filter_terms(without_persons(terms, condensation.persons))  # no names
    result.key_terms = {k: v[:KEY_TERMS * (2 if k == "(corpus)" else 1)] for k, v in terms.items()}
    if stage:
        stage("condense")
    return applied


def _background_frequencies(language: str, units: list | None = None) -> None:
    """wordfreq's word list of the language (emergent.background_zipf reads it), loaded here before discovery
    forks: both sides weigh words by it (discovery, and the sub-groups here), and each loaded it again on its
    own (English's list: 0.106 CPU s in each process; Danish's: 0.007). Asked for as wordfreq asks for it
    itself (``get_frequency_dict(lang, "best")``): the list is kept per call's arguments, and asked for by the
    language alone it was kept apart and built again in this process and each forked one at their first word.
    Given the ``units``, the lists a stop word said drawn out is weighed by are loaded too when the units may
    hold one (emergent.may_draw_out: a Danish corpus then loaded English's list on both sides of the fork; the
    1M-word corpus, 0.18 CPU s each). A list that cannot be loaded is left to the code that reads it."""
    from .emergent import DRAWN_OUT_LANGUAGES, may_draw_out

    languages = [language if language in ("da", "en") else "en"]
    if units is not None and may_draw_out(units, language):
        languages += [x for x in DRAWN_OUT_LANGUAGES if x not in languages]
    try:
        from wordfreq import get_frequency_dict

        for lang in languages:
            get_frequency_dict(lang, "best")
    except Exception:  # noqa: BLE001 - no word list: background_zipf meets (and handles) it as before
        pass


def _matrix_tables(result: RunResult, final: list, settings) -> dict:
    """matrix_<a>_x_<b> tables (long) by (a, b); ``settings`` holds only matrices the codebook can make
    (:func:`condense.tables.named_in_project` left out the rest, with W403 where the project named them)."""
    from .tables import matrix

    codebook, units = result.codebook, result.segmentation.units
    return {(a, b): matrix(units, final, codebook, a, b) for a, b in settings.matrices}


def _heatmaps_ahead(result: RunResult, long: dict) -> None:
    """The heatmaps handed to the figures' process now, when `condense run` prepared one (figures.prepared)
    and no listed real name can be in them (write_results replaces those in every table first)."""
    from .export import figures

    privacy = _privacy(result.segmentation)
    if not figures.prepared() or privacy.names is not None:
        return
    from .export.report_data import heatmaps

    tables = {name: result.tables[name] for name in ("units", "segments")}
    tables.update({f"matrix_{a}_x_{b}": frame for (a, b), frame in long.items()})
    figures.draw_heatmaps(*heatmaps(result, tables))


def _audit_ahead(result: RunResult) -> None:
    """The consent audit's scanner made beside the condensation, with the texts of the tables made so far
    checked there once (audit.scanner_ahead), rather than at the start of the write stage and then again in
    each process that checks files (1M words: 0.6 CPU s of this process's, and most texts three times)."""
    from .audit import scanner_ahead

    scanner_ahead(result, [result.tables[name] for name in ("units", "codings", "units_coded", "segments")])


def _matrices(result: RunResult, long: dict, settings) -> None:
    """matrix_<a>_x_<b> tables (long, from :func:`_matrix_tables`), their wide grids for the report and the
    workbook."""
    from .tables import matrix_wide

    codebook, t = result.codebook, result.tables
    for (a, b), frame in long.items():
        t[f"matrix_{a}_x_{b}"] = frame
        result.matrix_grids[f"{codebook.dimension(a).label} × {codebook.dimension(b).label}"] = \
            matrix_wide(frame, a, b, corner=codebook.dimension(a).label)
    # the rows' column headed by the dimension's name ("Projektfase"), as the columns are: its id stood there
    result.sheets = {f"grid_{a}_x_{b}": matrix_wide(t[f"matrix_{a}_x_{b}"], a, b, corner=codebook.dimension(a).label)
                     for a, b in settings.matrices if f"matrix_{a}_x_{b}" in t}


def _participation_per_plan(result: RunResult, final: list, plan=None) -> None:
    """One participation type per plan × phase (participation.py), when the codebook has both dimensions.
    ``plan``: :func:`_plan_phase_beside`'s job, when started."""
    from .participation import plan_matrix_grid

    codebook = result.codebook
    if not _has_plan_matrix(codebook):
        return  # the four IVAC types are the study codebook's; another codebook gets no plan matrix
    frame = plan.result() if plan is not None else _plan_phase_frame(result, final)
    result.tables["plan_phase"] = frame
    result.plan_matrix = plan_matrix_grid(frame, result.tables.get("matrix_fase_x_deltagelse"), codebook,
                                          codebook.language)


def _has_plan_matrix(codebook) -> bool:
    """The codebook has the phase dimension and the four IVAC participation types."""
    from .participation import TYPES

    dims = {d.id: d for d in codebook.dimensions}
    return {"fase", "deltagelse"} <= set(dims) and set(TYPES) <= {th.id for th in dims["deltagelse"].themes}


def _plan_phase_frame(result: RunResult, final: list):
    """The plan × phase decisions as a table: it reads the units, their questions and the final codings only."""
    from .participation import phases_for, plan_phase, plan_phase_frame

    codebook, seg = result.codebook, result.segmentation
    phase_of = phases_for(seg.units, seg.questions, final, make_coder(result.project, codebook))
    return plan_phase_frame(plan_phase(seg.units, phase_of, codebook.language), codebook)


def _plan_phase_beside(result: RunResult, final: list):
    """:func:`_plan_phase_frame` started in a forked process (parallel.beside; here, at ``.result()``, without a
    second core), or None when the codebook has no plan matrix."""
    from .parallel import beside

    return beside(lambda: _plan_phase_frame(result, final)) if _has_plan_matrix(result.codebook) else None


def _agreement_with_reference(result: RunResult, final: list, reference: Path) -> None:
    """The run's codings against a reference coding: agreement.csv and a section of report.md."""
    from .agreement import CodingFile, agree, read_coding_file, reconcile
    from .i18n import t

    lang = getattr(result.codebook, "language", None) or "en"
    mine = CodingFile.from_codings(final, name=t("agree_this_run", lang))
    theirs = read_coding_file(reference, diagnostics=result.diagnostics)
    privacy = getattr(result.segmentation, "privacy", None)
    if privacy is not None:  # a reference keyed by real transcript ids: as `condense agree` reads it
        theirs = reconcile(theirs, privacy)
    outcome = agree(mine, theirs, codebook=result.codebook)  # its statement in the codebook's language, as agree's
    result.tables["agreement"] = outcome.table
    result.agreement = outcome


def write_results(result: RunResult, out: str | Path) -> Path:
    """Write every table of a run into ``out`` (atomically: all or nothing)."""
    from .export import start_tables

    from .audit import finalise
    from .project import project_inputs

    from .privacy import pseudonymise_result

    pseudonymise_result(result)  # listed names out of every table before figures and files are made
    with gc_settled(), output_folder(out, inputs=project_inputs(result.project)) as tmp:  # the run: see gc_settled
        pending = start_tables(result, tmp)  # the figures still drawing: the audit checks the rest meanwhile
        try:
            result.audit = finalise(result, tmp, pending)  # pseudonyms in every byte, then the consent audit
        finally:
            pending.cancel()
    return Path(out)
