"""The command line. Each command opens its inputs, calls one library function, and prints with rich.

Errors from the library are coded (:class:`condense.errors.CondenseError`): printed without a traceback,
exit code 1. Warnings are counted and shown once, at the end.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ._entry import INTERRUPTED, INTERRUPTED_LINE, Stopped, catch_stops, leave
from .errors import CondenseError, Diagnostics, did_you_mean, display_path, file_error, resolved

__all__ = [
    "app", "main",
]

class _Group(typer.core.TyperGroup):
    """A command group whose help shows no type after a flag. Typer's rich help writes a type after every option,
    flags too (`--help <bool>`, `--force <bool>`), as if the flag took a value (its plain help writes none); it
    writes an option's metavar instead when it has one, so each flag of the group and of its commands is given an
    empty one as the group is asked for its options or a command. A flag takes no value, so nothing else reads it."""

    def get_params(self, ctx):
        return _untyped_flags(super().get_params(ctx))

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is not None and not isinstance(command, _Group):
            _untyped_flags(command.get_params(ctx))
            _refuse_an_option_twice(command)
        return command


def _refuse_an_option_twice(command) -> None:
    """An option that takes one value, given twice with two values, is a usage error (E408): the parser kept the
    last, so `condense run --out results --out results2` wrote into results2 without a word."""
    if getattr(command, "_once", False):
        return
    parse = command.parse_args

    def parse_args(ctx, args):
        _given_once(ctx, command, args)
        return parse(ctx, args)

    command.parse_args, command._once = parse_args, True


def _given_once(ctx, command, args: list[str]) -> None:
    single = {opt: param for param in command.get_params(ctx) if getattr(param, "param_type_name", "") == "option"
              and not (param.multiple or param.is_flag or param.count) for opt in param.opts + param.secondary_opts}
    seen: dict[str, tuple[str, str]] = {}
    i = 0
    while i < len(args) and args[i] != "--":
        option, value, i = _option_at(args, i, single)
        param = single.get(option)
        if param is not None and seen.setdefault(param.name, (option, value))[1] != value:
            usage_error = sys.modules[type(ctx).__module__].UsageError  # click's, or the one newer Typers carry
            raise usage_error(f"{option} is given twice ('{seen[param.name][1]}' and '{value}'); give it once", ctx=ctx)


def _option_at(args: list[str], i: int, single: dict) -> tuple[str, str | None, int]:
    """The option at ``args[i]`` (``--out x``, ``--out=x``, ``-ox``) with its value, and where the next one starts."""
    arg = args[i]
    if arg.startswith("--") and "=" in arg:
        option, value = arg.split("=", 1)
        return option, value, i + 1
    if arg in single:
        return arg, (args[i + 1] if i + 1 < len(args) else None), i + 2
    if len(arg) > 2 and arg[0] == "-" and arg[1] != "-" and arg[:2] in single:
        return arg[:2], arg[2:], i + 1
    return arg, None, i + 1


def _untyped_flags(params: list) -> list:
    for param in params:
        if getattr(param, "is_flag", False) and not getattr(param, "count", False) and param.metavar is None:
            param.metavar = ""
    return params


app = typer.Typer(
    cls=_Group,
    help="condense — qualitative interview analysis by systematic text condensation (STC).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from ._version import __version__

        print(f"condense {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                       help="Print condense's version and exit.")) -> None:
    """The options every command shares (only --version)."""


def _open_closed_streams() -> None:
    """Give a standard stream the shell closed (`condense run >&-`, `2>&-`, `<&-`) the null device. Python
    starts with ``sys.stdout`` None then, and the console below ended the command in a traceback before it
    began (with both closed, no results at all); and a file opened later could take the free descriptor and
    receive what was printed. Output to a closed stream goes nowhere, as the shell asked."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        try:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            if getattr(sys, name) is None:
                setattr(sys, name, open(fd, mode, encoding="utf-8", closefd=False))  # noqa: SIM115
        except OSError:  # no null device: the console falls back to printing nothing
            pass


_open_closed_streams()


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # a closed stream
        return False


# Tables are wide; when output goes to a file or a pipe, don't squeeze them into 80 columns.


class _SafeConsole(Console):
    """A console that never crashes on names it did not choose: a transcript id, file name or theme label
    like ``[/]x`` is rich markup; when it does not parse, the output is printed again without markup.
    Nor on a reader that went away (:meth:`on_broken_pipe`)."""

    def on_broken_pipe(self) -> None:
        """Output piped into a reader that stopped reading (`condense run | head -1`): the rest of this stream's
        output goes to the null device and the command goes on. rich's own handler ended the command with
        status 1 at the next print, after the results were written but before the warnings were shown."""
        self.quiet = True
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self.file.fileno())
            os.close(null)
        except (OSError, ValueError, AttributeError):  # no descriptor to point elsewhere: quiet is enough
            pass

    def print(self, *objects, **kwargs):
        from rich.errors import MarkupError

        try:
            return super().print(*objects, **kwargs)
        except MarkupError:
            markup, self._markup = self._markup, False
            try:
                return super().print(*objects, **{**kwargs, "markup": False})
            finally:
                self._markup = markup


console = _SafeConsole(width=None if _is_terminal(sys.stdout) else 160)
err_console = _SafeConsole(stderr=True, width=None if _is_terminal(sys.stderr) else 160)


@contextmanager
def handled():
    """Turn coded library errors into a message and exit 1 (no traceback)."""
    try:
        _working_folder()
        yield
    except CondenseError as exc:
        _say_error(exc)
    except (RuntimeError, OSError) as exc:
        coded = file_error(exc)
        if coded is None:
            raise
        _say_error(coded)


def _say_error(exc: CondenseError) -> None:
    _print_error(exc)
    raise typer.Exit(1)


def _print_error(exc: CondenseError) -> None:
    for line in str(exc).splitlines():
        err_console.print(f"[bold red]Error[/] {escape(line)}", highlight=False, soft_wrap=True)


def _working_folder() -> None:
    """E724 when the shell's working folder is gone (deleted or moved while the shell was in it): every relative
    path, and every path shown relative to it, asked the system for it, and each command ended in a traceback."""
    try:
        os.getcwd()
    except FileNotFoundError:
        shown = os.environ.get("PWD", "")  # the shell's name for it; not another folder's, inherited
        raise CondenseError("E724", path=shown if shown and not os.path.exists(shown) else "(its name unknown)") from None


def show_warnings(diagnostics: Diagnostics) -> None:
    if not len(diagnostics):
        return
    total = sum(diagnostics.counts.values())
    err_console.print(f"[yellow]{total} warning(s)[/]:", highlight=False)
    for w in diagnostics:
        n = diagnostics.counts[w]
        err_console.print(f"  [yellow]{w.code}[/] {escape(w.message)}." + (f" ({n}×)" if n > 1 else "")
                          + (f" [dim]{escape(w.fix)}[/]" if w.fix else ""), highlight=False, soft_wrap=True)


@contextmanager
def file_progress(label: str):
    """A progress bar for runs over many files (hidden for a handful, and when not a terminal). It is redrawn
    when a file is done, never by a thread of its own: the pipeline forks workers (``--jobs``, the figures, the
    audit), and a fork while another thread holds a lock (the console's, a stream's) can leave the child
    waiting on it for ever."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[name]}"), TimeElapsedColumn(), console=err_console,
                        transient=True, disable=not err_console.is_terminal, auto_refresh=False)
    task = None

    def update(i: int, n: int, path: Path):
        nonlocal task
        if task is None:
            task = progress.add_task(label, total=n, name="")
        progress.update(task, completed=i, name=path.name if i < n else "", refresh=True)

    with progress:
        yield update


def _corpus(paths: list[Path], labels: Optional[list[str]], language: Optional[str], diagnostics: Diagnostics):
    from .verbs import ingest

    with file_progress("Reading") as progress:
        return ingest(paths, interviewer_labels=labels, language=language, diagnostics=diagnostics, progress=progress)


LABELS_OPT = typer.Option(None, "--interviewer", "-i", help="Label(s) of the interviewer, e.g. -i I -i I2 (overrides guessing).")


@app.command("ingest")
def ingest_cmd(
    paths: list[Path] = typer.Argument(..., help="Transcript files or folders (.txt .md .docx .odt .rtf .vtt .srt)."),
    interviewer: Optional[list[str]] = LABELS_OPT,
    language: Optional[str] = typer.Option(None, help="Default language (da or en) where a file does not say."),
):
    """Read transcripts and show, per transcript, speakers with roles, turns, words, cases and warnings."""
    with handled():
        diagnostics = Diagnostics()
        corpus = _corpus(paths, interviewer, language, diagnostics)
    table = Table(title=f"{len(corpus.transcripts)} transcript(s)", show_lines=False)
    for col in ("transcript", "format", "speakers (role)", "roles from", "turns", "words", "cases", "withdrawn", "warnings"):
        table.add_column(col, overflow="fold")
    for t in corpus.transcripts:
        speakers = ", ".join(f"{label} ({role[0].upper()})" for label, role in t.speakers.items())
        name = display_path(t.path)
        codes = sorted({w.code for w in diagnostics if name in w.message})
        table.add_row(t.id, Path(t.path).suffix.lstrip("."), speakers, t.role_source, str(len(t.turns)),
                      f"{t.n_words:,}", "; ".join(t.cases), str(t.withdrawn or ""), " ".join(codes))
    table.add_section()
    table.add_row("total", "", "", "", str(sum(len(t.turns) for t in corpus.transcripts)), f"{corpus.n_words:,}",
                  str(len({c for t in corpus.transcripts for c in t.cases})), str(corpus.n_withdrawn))
    console.print(table)
    if corpus.skipped:
        console.print(f"Skipped: {', '.join(display_path(p) for p in corpus.skipped)}", highlight=False)
    show_warnings(diagnostics)


@app.command("segment")
def segment_cmd(
    paths: list[Path] = typer.Argument(..., help="Transcript files or folders."),
    out: Path = typer.Option(Path("results"), "--out", "-o", help="Output folder for units.csv."),
    mode: str = typer.Option("window", help="window | sentence | turn"),
    max_sentences: int = typer.Option(3, help="Window size in sentences."),
    max_words: int = typer.Option(80, help="Word cap of a window."),
    interviewer: Optional[list[str]] = LABELS_OPT,
    language: Optional[str] = typer.Option(None, help="Default language (da or en)."),
):
    """Split respondent turns into meaning units and write OUT/units.csv."""
    from .segment import Settings
    from .verbs import segment

    with handled():
        try:
            settings = Settings(mode=mode, max_sentences=max_sentences, max_words=max_words)
        except ValueError as exc:
            from .segment import MODES

            hint = did_you_mean(mode, MODES) if mode not in MODES else ""
            raise CondenseError("E403", path="(options)", line="", detail=str(exc) + hint,
                                fix=f"Give --mode {' | '.join(MODES)} (and --max-sentences, --max-words of 1 or more); "
                                    "see `condense segment --help`.")
        diagnostics = Diagnostics()
        corpus = _corpus(paths, interviewer, language, diagnostics)
        seg = segment(corpus, settings=settings, out=out)
    console.print(f"{len(seg.units):,} meaning units from {len(corpus.transcripts)} transcript(s) → "
                  f"{display_path(out / 'units.csv')}", highlight=False)
    show_warnings(diagnostics)


CODEBOOK_RUN_OPT = typer.Option(None, "--codebook", "-c", help="A codebook YAML instead of the project's (a folder "
                                "of transcripts otherwise takes the study codebook in its language).")


def _resolved(project: Optional[Path], codebook: Optional[Path]):
    """The project given (or found), with ``--codebook`` in place of its own codebook."""
    from .project import resolve_project

    proj = resolve_project(project)
    if codebook is not None:
        proj.codebook = resolved(codebook.expanduser())
    return proj


@app.command("run")
def run_cmd(
    project: Optional[Path] = typer.Argument(None, help="A condense.yaml project file or a folder of transcripts; default: ./condense.yaml, else the built-in sample."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: the project's, else results/)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=0, help="Processes for segmenting and coding (0: every core; default: the project's `jobs:`, else 1). The results do not depend on it."),
    codebook: Optional[Path] = CODEBOOK_RUN_OPT,
):
    """Run the whole pipeline and write every table into the output folder."""
    from .verbs import run

    with handled():
        proj = _resolved(project, codebook)
        if jobs is not None:
            proj.jobs = jobs or 0
        target = out or proj.output
        with file_progress("Reading") as progress:
            result = run(proj, out=target, progress=progress)
    _summary(result, target)
    show_warnings(result.diagnostics)


@app.command("code")
def code_cmd(
    inputs: list[Path] = typer.Argument(..., help="Transcripts (files/folders) or a .csv/.xlsx of excerpts with a `text` column."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", "-c", help="Codebook YAML (default: the Danish study codebook)."),
    out: Path = typer.Option(Path("results"), "--out", "-o", help="Output folder for codings.csv and units_coded.csv."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A model folder from `condense learn`: adds its suggestions (source `model`)."),
    interviewer: Optional[list[str]] = LABELS_OPT,
    excerpt_mode: bool = typer.Option(True, "--excerpt-mode/--no-excerpt-mode", help="Excerpt tables: give every excerpt its best theme per dimension with a confidence (low ones flagged `review`) instead of none."),
    calibrate: Optional[Path] = typer.Option(None, "--calibrate", help="Your decisions (reviewed codings) on some of the excerpts: excerpt mode's confidence is calibrated against them."),
):
    """Code meaning units with a codebook: OUT/codings.csv (one row per theme) and OUT/units_coded.csv."""
    from .verbs import code

    with handled():
        with file_progress("Reading") as progress:
            result = code(inputs, codebook=codebook, model=model, interviewer_labels=interviewer, out=out, progress=progress,
                          excerpt_mode=excerpt_mode, calibrate=calibrate)
    cb, units, codings, diagnostics = result.codebook, result.units, result.codings, result.diagnostics
    coded = {c.unit_id for c in codings}
    console.print(f"{len(units):,} units, {len(coded):,} coded ({len(coded) / max(1, len(units)):.0%}), "
                  f"{len(codings):,} codings → {display_path(out)}", highlight=False)
    _dimension_table(cb, units, codings)
    show_warnings(diagnostics)


def _dimension_table(cb, units, codings) -> None:
    from collections import Counter

    table = Table(title="Themes by number of units")
    for col in ("dimension", "theme", "units", "share"):
        table.add_column(col)
    counts = Counter((c.dimension, c.theme) for c in codings)
    n = max(1, len(units))
    for dim in cb.dimensions:
        for theme in dim.themes:
            k = counts.get((dim.id, theme.id), 0)
            table.add_row(dim.id, theme.label, str(k), f"{k / n:.0%}")
        table.add_section()
    console.print(table)


codebook_app = typer.Typer(cls=_Group, help="Check, show, convert and merge codebooks.", no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")


@codebook_app.command("suggest")
def codebook_suggest(
    project: Optional[Path] = typer.Argument(None, help="Project file or folder (default: ./condense.yaml, else the built-in sample)."),
    top: int = typer.Option(8, "--top", help="Proposals per theme."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Also write the proposals with example text to this .csv."),
):
    """Propose words that behave like each theme's terms in your own units (never added by itself)."""
    from .project import resolve_project
    from .verbs import suggest_terms

    diagnostics = Diagnostics()
    with handled():
        found = suggest_terms(resolve_project(project), top=top, out=out, diagnostics=diagnostics)
    table = Table(title="Candidate terms (add the ones you agree with to the codebook yourself)")
    for col in ("dimension", "theme", "word", "PMI", "units (theme / all)", "example units"):
        table.add_column(col)
    for s in found:
        word = s.word + (" (everyday word: use it in a phrase or all_of)" if s.everyday else "")
        table.add_row(s.dimension, s.theme, word, f"{s.pmi:.2f}", f"{s.n_theme} / {s.n_all}", ", ".join(s.examples))
    console.print(table)
    show_warnings(diagnostics)
    if out is not None:
        console.print(f"Proposals with example text → {display_path(out)}", highlight=False)


@codebook_app.command("check")
def codebook_check(file: Path = typer.Argument(..., help="Codebook YAML.")):
    """Validate a codebook: every problem at once, with line and fix. Exit 1 on errors, 0 with warnings only."""
    from .codebook import load_codebook

    with handled():
        cb = load_codebook(file)
        from .coding import Coder
        from .suggest import warn_everyday_terms

        warn_everyday_terms(cb, Coder(cb), cb.diagnostics)  # W306: a single everyday word as a term
    c = cb.counts()
    console.print(f"[green]OK[/] {display_path(file)}: {_tree_size(c)}.", highlight=False)
    show_warnings(cb.diagnostics)


def _tree_size(counts: dict) -> str:
    """"1 dimension, 4 themes, 1 sub-theme": the codebook's size as a sentence says it ("1 dimensions" read wrong)."""
    def n(k: int, word: str) -> str:
        return f"{k} {word}" + ("" if k == 1 else "s")

    return (f"{n(counts['dimensions'], 'dimension')}, {n(counts['themes'], 'theme')}, "
            f"{n(counts['subthemes'], 'sub-theme')}")


@codebook_app.command("show")
def codebook_show(file: Path = typer.Argument(..., help="Codebook YAML.")):
    """Print the codebook as a tree with the number of terms of each theme."""
    from rich.tree import Tree

    from .codebook import load_codebook

    with handled():
        cb = load_codebook(file)
    tree = Tree(f"[bold]{cb.label or cb.id}[/] ({cb.language})")

    def add(branch, theme):
        node = branch.add(f"{theme.label} [dim]{theme.id} · {theme.origin} · {len(theme.terms)} terms, "
                          f"{len(theme.phrases)} phrases, {len(theme.question_cues)} cues[/]")
        for sub in theme.subthemes:
            add(node, sub)

    for dim in cb.dimensions:
        branch = tree.add(f"[bold cyan]{dim.label}[/] [dim]{dim.id} · {'multi' if dim.multi_label else 'single'}-label[/]")
        for theme in dim.themes:
            add(branch, theme)
    console.print(tree)
    show_warnings(cb.diagnostics)


@codebook_app.command("export")
def codebook_export(
    file: Path = typer.Argument(..., help="Codebook YAML."),
    out: Path = typer.Option(..., "--out", "-o", help="The .qdc file to write (REFI-QDA codebook)."),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists (never one of the inputs)."),
):
    """Export a codebook to REFI-QDA .qdc (NVivo, ATLAS.ti, MAXQDA, QualCoder)."""
    from .codebook import load_codebook
    from .refi import export_qdc

    from .safety import refuse_output_file

    with handled():
        refuse_output_file(out, force=force, inputs=[file], example="codebook.qdc")
        cb = load_codebook(file)
        export_qdc(cb, out)
    c = cb.counts()
    console.print(f"Wrote {display_path(out)}: {c['dimensions'] + c['themes'] + c['subthemes']} codes.", highlight=False)


@codebook_app.command("import")
def codebook_import(
    file: Path = typer.Argument(..., help="A REFI-QDA .qdc or .qdpx file."),
    out: Path = typer.Option(..., "--out", "-o", help="The codebook YAML to write."),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists (never one of the inputs)."),
):
    """Import a REFI-QDA codebook (.qdc/.qdpx) into a condense codebook YAML."""
    from .codebook import save_codebook
    from .refi import import_refi

    from .safety import refuse_output_file

    with handled():
        refuse_output_file(out, force=force, inputs=[file], example="codebook.yaml")
        cb, unplaced = import_refi(file)
        save_codebook(cb, out)
    c = cb.counts()
    console.print(f"Wrote {display_path(out)}: {_tree_size(c)}.", highlight=False)
    for item in unplaced:
        console.print(f"  [yellow]not imported[/]: {item}", highlight=False)


@codebook_app.command("merge")
def codebook_merge(
    codebook: Path = typer.Argument(..., help="The codebook YAML."),
    candidates: Path = typer.Argument(..., help="candidates.yaml from a run (edited by you)."),
    out: Path = typer.Option(..., "--out", "-o", help="Where to write the merged codebook."),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists (never one of the inputs)."),
):
    """Fold candidate emergent themes into a codebook. Conflicting ids are reported; nothing is overwritten."""
    from .verbs import merge_codebooks

    with handled():
        result = merge_codebooks(codebook, candidates, out=out, force=force)
    console.print(f"Merged {result.added} candidate theme(s) into {display_path(out)}.", highlight=False)
    show_warnings(result.diagnostics)


review_app = typer.Typer(cls=_Group, help="Review suggested codes in a spreadsheet; decisions apply on every run.", no_args_is_help=True)
app.add_typer(review_app, name="review")


@review_app.command("export")
def review_export(
    project: Optional[Path] = typer.Argument(None, help="Project file or folder (default: ./condense.yaml, else the built-in sample)."),
    out: Path = typer.Option(Path("review.xlsx"), "--out", "-o", help="The sheet to write: .xlsx (with drop-down lists) or .csv."),
    blind: bool = typer.Option(False, "--blind", help="No suggestions, evidence or decision columns: code every unit yourself in the *_add columns."),
    order: str = typer.Option("unit", "--order", help="Row order: unit (as in the transcripts) or uncertainty (the units the learned model is least sure of first)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model folder for --order uncertainty (default: the project's `model:`)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing sheet (a filled one holds a reviewer's work)."),
):
    """Write a review sheet: one row per unit with the suggested theme per dimension and empty decision columns."""
    from .project import resolve_project
    from .verbs import review_export as export_sheet

    with handled():
        proj = resolve_project(project)
        result = export_sheet(proj, out=out, blind=blind, order=order, model=model, force=force)
    from .i18n import review_column, review_word

    units, diagnostics, lang = result.units, result.diagnostics, result.codebook.language
    sheet, of_project = _quoted(out), _project_option(project, proj)
    add, decision = review_column("_add", lang), review_column("_decision", lang)  # the sheet's own headers
    if blind:
        console.print(f"Blind coding sheet with {len(units):,} units → {display_path(out)}. Write a theme id (or "
                      f"'{review_word('none', lang)}') in each *{add} column, then: condense review import {sheet} "
                      f"--decisions MINE.csv{of_project}; compare with: condense agree MINE.csv REFERENCE.csv --only-coded",
                      highlight=False)
        show_warnings(diagnostics)
        return
    decisions = _quoted(proj.decisions) if of_project and proj.decisions else "DECISIONS.csv"
    console.print(f"Review sheet with {len(units):,} units → {display_path(out)}. Fill the *{decision} "
                  f"({review_word('accept', lang)}/{review_word('reject', lang)}) and *{add} columns, then: "
                  f"condense review import {sheet} --decisions {decisions}{of_project}", highlight=False)
    show_warnings(diagnostics)


def _quoted(path: Path) -> str:
    """A path as the shell takes it back when the line is pasted (a study folder may hold spaces)."""
    import shlex

    return shlex.quote(display_path(path))


def _project_option(given: Optional[Path], proj) -> str:
    """` --project P` for the command a researcher pastes next, so that it checks their codebook and units: without
    it `review import` checked the theme ids against the built-in study codebook, and refused the researcher's own
    ids as unknown (E501) although the sheet's drop-down lists offered them. Empty for the built-in sample."""
    where = proj.path or given
    return f" --project {_quoted(where)}" if where is not None else ""


@review_app.command("import")
def review_import(
    sheet: Path = typer.Argument(..., help="The filled review sheet (.xlsx or .csv)."),
    decisions: Optional[Path] = typer.Option(None, "--decisions", "-d", help="The decisions file to merge into (created if missing; default: the project's `decisions:`)."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", "-c", help="Codebook the theme ids must come from (default: the project's, else the Danish study codebook)."),
    project: Optional[Path] = typer.Option(None, "--project", "-p", help="The project the sheet came from: unit ids must name its units (default: ./condense.yaml when the folder has one)."),
):
    """Merge a filled review sheet into the decisions file, checking every theme id and unit id (bad rows are listed)."""
    from .project import PROJECT_FILE
    from .verbs import review_import as import_sheet

    if project is None and codebook is None and Path(PROJECT_FILE).is_file():
        project = Path(PROJECT_FILE)  # in the study's folder, as `condense run` there means the study
    with handled():
        proj = None
        if project is not None:
            from .project import resolve_project

            proj = resolve_project(project)
            codebook = codebook or proj.codebook
        if decisions is None:  # in the study's folder: the file its runs read (it was a required option)
            if proj is None or proj.decisions is None:
                raise CondenseError("E408", command="condense review import",
                                    detail="no --decisions given and no project naming a `decisions:` file")
            decisions = Path(proj.decisions)
        result = import_sheet(sheet, decisions, codebook=codebook, project=proj)
    console.print(f"{result.added} decision(s) added, {result.replaced} updated → {display_path(decisions)} "
                  f"({len(result.decisions)} in all). {_applied_where(decisions, proj)}", highlight=False)
    show_warnings(result.diagnostics)


def _applied_where(decisions: Path, proj) -> str:
    """Whether the decisions just written are the ones the project's runs read: a file the project does not name
    (a `--decisions DECISIONS.csv` pasted as printed) was said to apply on every run, and applied to none."""
    if proj is None or proj.decisions is None or decisions.resolve() == Path(proj.decisions).resolve():
        return "They apply on every `condense run`."
    return (f"The project reads its decisions from {_quoted(proj.decisions)}, not this file: import into that one, "
            f"or name this file under `decisions:` in the project file.")


@app.command("agree")
def agree_cmd(
    a: Path = typer.Argument(..., help="Codings A (codings.csv or the run's results folder, decisions.csv, a reference coding; .csv or .xlsx), "
                             "or with --coder: a project imported by `condense import qdpx`, its decisions.csv, or a .qdpx."),
    b: Optional[Path] = typer.Argument(None, help="Codings B, e.g. transcripts_sample/reference_coding.csv (not with --coder)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for agreement.csv, confusion tables and report.md."),
    source: Optional[list[str]] = typer.Option(None, "--source", help="Only rows of A and B with this source (rule, model, human)."),
    coder: Optional[list[str]] = typer.Option(None, "--coder", help="Two coders of one project: --coder NAME --coder OTHER."),
    only_coded: bool = typer.Option(False, "--only-coded", help="Compare only the units A coded (per dimension), e.g. a student's blind coding."),
    project: Optional[Path] = typer.Option(None, "--project", "-p", help="The study the codings belong to (default: ./condense.yaml): "
                                           "anonymous respondents' real and public ids are matched, the report is in its codebook's language."),
):
    """Agreement of A with B per dimension and theme: Cohen's κ, Krippendorff's α, % agreement, precision/recall/F1;
    with the study known, disagreements.csv lists the units the two code differently."""
    from .verbs import agree

    with handled():
        if coder:
            from .qdpx import coder_files

            read = Diagnostics()
            fa, fb = coder_files(a, list(coder), read)
            a, b = Path(coder[0]), Path(coder[1])
            result = agree(fa, fb, out=out, only_coded=only_coded, diagnostics=read, project=project)
        else:
            if b is None:
                raise CondenseError("E621", path="condense agree", detail="give two codings files, or one project and --coder twice",
                                    fix="condense agree A.csv B.csv, or condense agree PROJECT --coder NAME --coder OTHER.")
            result = agree(a, b, sources=source, out=out, only_coded=only_coded, project=project)
    _agreement_table(result, a.name, b.name, out)
    show_warnings(result.diagnostics)


def _agreement_table(result, a: str, b: str, out: Path | None) -> None:
    """What `condense agree` prints, in the codebook's language with its dimensions' names, as its report.md
    (English, and the ids, without a study)."""
    from .export.report_data import named_agreement
    from .i18n import column, count, t, value

    lang = result.language
    table = Table(title=t("agree_title", lang, a=a, b=b, units=count(result.n_units, "unit", lang)))
    for col in ("dimension", "scope", "n_units", "κ", "α", "percent_agreement", "precision", "recall", "f1"):
        table.add_column(column(col, lang))
    for r in named_agreement(result.summary(), result.codebook).itertuples(index=False):
        table.add_row(r.dimension, value("scope", r.scope, lang), str(r.n_units), _f(r.cohen_kappa, lang),
                      _f(r.krippendorff_alpha, lang), _f(r.percent_agreement, lang), _f(r.precision, lang),
                      _f(r.recall, lang), _f(r.f1, lang))
    for line in result.statement:
        console.print(line, highlight=False)
    console.print(table)
    if out is not None:
        console.print(t("agree_written", lang, folder=display_path(out)), highlight=False)


@app.command("learn")
def learn_cmd(
    codings: Path = typer.Argument(..., help="Reviewed codings or a decisions/reference file (human rows are used)."),
    out: Path = typer.Option(..., "--out", "-o", help="Model folder to write."),
    project: Optional[Path] = typer.Option(None, "--project", "-p", help="The project the codings belong to (default: ./condense.yaml)."),
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-validation folds for the reported κ."),
    group_by: str = typer.Option("transcript", "--group-by", help="Keep these together in one fold: transcript, case, speaker or none."),
    seed: int = typer.Option(0, "--seed", help="Seed for the fold assignment and the classifiers."),
    force: bool = typer.Option(False, "--force", help="Replace an existing model folder."),
):
    """Train a coder per dimension on reviewed codings; report cross-validated κ beside the majority guess
    and a plain TF-IDF + logistic-regression baseline on the same folds."""
    from .project import resolve_project
    from .verbs import learn

    with handled():
        diagnostics = Diagnostics()
        model = learn(codings, resolve_project(project) if project is not None else None, out=out,
                      diagnostics=diagnostics, folds=folds, group_by=group_by, seed=seed, force=force)
    table = Table(title=f"Learned coder: {folds}-fold cross-validation grouped by {group_by}, seed {seed}")
    for col in ("dimension", "units", "interviews", "κ (model)", "κ (baseline)", "κ (majority)", "accuracy", "majority acc."):
        table.add_column(col)
    for dim, r in model.report.items():
        if "skipped" in r:
            table.add_row(dim, str(r["n_units"]), "", "skipped", "", "", "", "")
            continue
        table.add_row(dim, str(r["n_units"]), str(r["n_interviews"]), *(_f(r.get(k)) for k in (
            "cv_kappa", "baseline_kappa", "majority_kappa", "cv_accuracy", "majority_accuracy")))
    console.print(table)
    unevaluated = [dim for dim, r in model.report.items() if "skipped" not in r and not r.get("folds")]
    if unevaluated:  # one group of units only (one interview, --group-by transcript): no fold to hold out
        console.print(f"Not cross-validated: {', '.join(unevaluated)} (the reviewed units of a dimension must come "
                      f"from at least two groups by --group-by {group_by}), so κ is unknown there.", highlight=False)
    console.print("κ (baseline): default TF-IDF + class-balanced logistic regression on the same folds; a multi-label "
                  "dimension shows the mean κ over its themes.", highlight=False)
    console.print(f"Model → {display_path(out)} (trained with codebook {model.codebook_id}). Use it with: condense code ... "
                  f"--model {display_path(out)} (or `model:` in condense.yaml)", highlight=False)
    show_warnings(diagnostics)


@app.command("discover")
def discover_cmd(
    project: Optional[Path] = typer.Argument(None, help="Project file or folder (default: ./condense.yaml, else the built-in sample)."),
    out: Path = typer.Option(Path("candidates.yaml"), "--out", "-o", help="Where to write the candidate themes."),
    n_groups: Optional[int] = typer.Option(None, min=1, help="At most this many candidates, the largest (default: every group that passes the quality cut)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing candidates file (you may have edited it)."),
    codebook: Optional[Path] = CODEBOOK_RUN_OPT,
):
    """STC steps 1–2 alone: candidate emergent themes among units the codebook does not cover."""
    from .verbs import discover

    with handled():
        with file_progress("Reading") as progress:
            d = discover(_resolved(project, codebook), n_groups=n_groups, out=out, progress=progress,
                         force=force).discovery
    console.print(f"{len(d.shown)} candidate theme(s) from {d.n_uncovered} uncovered units → {display_path(out)}", highlight=False)
    for g in d.shown:
        console.print(f"  {g.id}: {', '.join(g.terms[:6])} ({g.size} units, {len(g.transcripts)} interviews)", highlight=False)
    if d.more:  # the file holds the best ones only (Discovery.shortlist): say so, and how to have them all
        console.print(f"  … and {d.more} more, ranked below these; `emergent: {{shortlist: 0}}` in the project file "
                      f"writes them all (`condense run` lists them all in candidates.csv).", highlight=False, markup=False)


@app.command("tables")
def tables_cmd(
    project: Optional[Path] = typer.Argument(None, help="Project file or folder (default: ./condense.yaml, else the built-in sample), or coded data: "
                                             "a long table or wide 0/1 grid (.csv/.xlsx), an analyst's workbook, a .qdpx project."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: the project's; for coded data: results/)."),
    codings: Optional[Path] = typer.Option(None, "--codings", "-c", help="Saved codings (default: codings.csv in the output folder, else in the project's, from `condense run`)."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", help="Coded data: the codebook its codes must come from (default: built from the codes found)."),
    columns: Optional[str] = typer.Option(None, "--columns", help="Coded data: map headers to fields, e.g. 'participant_id=interview,code_level3=code' "
                                          "(fields: unit_id, unit, text, interview, case, dimension, theme, subtheme, code, excerpt, coder)."),
    sep: Optional[str] = typer.Option(None, "--sep", help="Coded data: the separator of code paths (default: '::'), e.g. '/'."),
    count_over: Optional[str] = typer.Option(None, "--count-over", help="Coded data: what quantifiers are a share of: interviews, cases or units."),
):
    """STC steps 3–4 from saved codings: theme tables, matrix, crosstabs, report and workbook (no re-coding); or from
    coding done elsewhere (a long table, a wide grid, an analyst's workbook, a .qdpx project)."""
    from .coded import CODED_SUFFIXES
    from .project import resolve_project
    from .verbs import tables

    if project is not None and project.is_file() and project.suffix.lower() in CODED_SUFFIXES:
        _coded_tables_cmd(project, out or Path("results"), codebook, columns, sep, count_over)
        return
    with handled():
        proj = resolve_project(project)
        _no_coded_options(codebook=codebook, columns=columns, sep=sep, count_over=count_over)
        target = out or proj.output
        with file_progress("Reading") as progress:
            result = tables(proj, codings=codings or _saved_codings(target, proj), out=target, progress=progress)
    _summary(result, target)
    show_warnings(result.diagnostics)


def _no_coded_options(**given) -> None:
    """E408 for an option of coded data given with a project: `condense tables --count-over units` counted over
    the project's `tables: count_over:` setting (cases by default), and `--codebook` coded nothing again, both
    without a word, as the options are read for coded data only."""
    named = [f"--{key.replace('_', '-')}" for key, value in given.items() if value is not None]
    if not named:
        return
    detail = (f"{' and '.join(named)} {'is' if len(named) == 1 else 'are'} read only for coded data (a table, workbook "
              "or .qdpx given as the file), not for a project's saved codings: for a project, set `count_over:` under "
              "`tables:` and `codebook:` in its condense.yaml")
    raise CondenseError("E408", command="condense tables", detail=detail)


def _saved_codings(target: Path, proj) -> Path:
    """The codings `tables` re-tabulates: the output folder's, else the project's last run's. A new folder
    (`condense tables --out tabeller`) has none yet, and was refused (E405) though `results/codings.csv` was there."""
    here = Path(target) / "codings.csv"
    last = Path(proj.output) / "codings.csv"
    return last if not here.exists() and last.is_file() else here


@app.command("audit")
def audit_cmd(
    results: Path = typer.Argument(..., help="A results folder written by `condense run` or `condense tables`."),
    project: Optional[Path] = typer.Option(None, "--project", "-p", help="The project the results come from, or the coded file given to `condense tables` (default: ./condense.yaml, else the built-in sample)."),
):
    """Consent audit: no withdrawn passage, anonymous interview's plan or id, or listed real name in any byte
    of any file in RESULTS (xlsx unzipped). Exit 1 naming the file and line of every finding."""
    from .audit import audit_coded, audit_project
    from .project import CODED_INPUTS, resolve_project

    diagnostics = Diagnostics()
    try:
        with handled():
            if project is not None and project.suffix.lower() in CODED_INPUTS and project.is_file():
                report = audit_coded(results, project, diagnostics)
            else:
                report = audit_project(results, resolve_project(project), diagnostics)
        console.print(f"[green]Consent audit passed[/]: {escape(report.summary())}.", highlight=False)
    finally:  # a failed audit's inputs were read too: a guessed encoding may be why a passage was not matched
        show_warnings(diagnostics)


@app.command("names")
def names_cmd(
    project: Optional[Path] = typer.Argument(None, help="Project file or folder (default: ./condense.yaml, else the built-in sample)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Candidate file to write (default: pseudonyms_candidates.csv beside the project file, or in the folder given)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing candidate file."),
):
    """Propose likely personal names and places (speaker labels, "jeg hedder …", capitalised words that are
    not in the lexicon, places in cases.csv) for pseudonyms.csv. Nothing is applied until you confirm."""
    from collections import Counter

    from .names import propose_for_project
    from .project import resolve_project

    diagnostics = Diagnostics()
    if out is None and project is not None and project.is_dir():  # where its pseudonyms.csv is read, not the working folder
        from .names import CANDIDATES_CSV

        out = project / CANDIDATES_CSV
    with handled():
        proj = resolve_project(project)
        with file_progress("Reading") as progress:
            candidates, target, listed, known = propose_for_project(proj, out=out, force=force, progress=progress,
                                                                    diagnostics=diagnostics)
    kinds = Counter(c.kind for c in candidates)
    console.print(f"{len(candidates)} candidate name(s) ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}) → "
                  f"{display_path(target)}" + (f"; {len(known)} already in {display_path(listed)}" if listed else ""),
                  highlight=False)
    for c in candidates[:15]:
        console.print(f"  {escape(c.real)} [dim]{c.kind} · {escape(c.row('')['evidence'])}[/]", highlight=False)
    pseudonyms = listed or (target.parent / "pseudonyms.csv" if project is not None or proj.path else Path("pseudonyms.csv"))
    console.print(f"Confirm: copy the lines that are names into {escape(display_path(pseudonyms))} (columns real, pseudonym, "
                  "kind), choose the pseudonyms, and run again.", highlight=False)
    show_warnings(diagnostics)


def _coded_tables_cmd(path: Path, out: Path, codebook, columns, sep, count_over) -> None:
    from .coded import tables_from_coded
    from .i18n import column, t

    with handled():
        result = tables_from_coded(path, out, codebook=codebook, columns=columns, sep=sep, count_over=count_over)
    data = result.coded
    console.print(f"{data.kind}: [bold]{len(data.units):,}[/] units in {len({u.transcript for u in data.units}):,} interviews, "
                  f"[bold]{data.n_applications:,}[/] code applications read, {len(result.codings):,} in the tables; codebook: "
                  f"{data.codebook.counts()['themes']} themes, {data.codebook.counts()['subthemes']} sub-themes.", highlight=False)
    themes = result.tables["themes"]
    top = themes[themes["level"] == 1]
    lang = data.codebook.language  # the table's words follow the codebook, as the files written do
    table = Table(title=t("themes_level1", lang))
    for col in ("theme_label", "n_units", "n_interviews", "n_mentions", "quantifier"):
        table.add_column(column(col, lang))
    for row in top.itertuples(index=False):
        table.add_row(row.theme_label, str(row.n_units), str(row.n_interviews), str(row.n_mentions), row.quantifier)
    console.print(table)
    console.print(f"Written to [bold]{escape(display_path(out))}[/]: " + ", ".join(sorted(p.name for p in Path(out).iterdir())),
                  highlight=False)
    if getattr(result, "audit", None):
        console.print(f"[green]Consent audit passed[/]: {escape(result.audit['summary'])}.", highlight=False)
    show_warnings(result.diagnostics)


export_app = typer.Typer(cls=_Group, help="Export a study to other programs.", no_args_is_help=True)
app.add_typer(export_app, name="export")
import_app = typer.Typer(cls=_Group, help="Import a study from other programs.", no_args_is_help=True)
app.add_typer(import_app, name="import")


@export_app.command("qdpx")
def export_qdpx_cmd(
    project: Optional[Path] = typer.Argument(None, help="A project (condense.yaml or folder; it is run first), or a folder made by "
                                             "`condense import qdpx` (exported as it is); default: ./condense.yaml, else the built-in sample."),
    out: Path = typer.Option(..., "--out", "-o", help="The .qdpx file to write (REFI-QDA project: NVivo, ATLAS.ti, MAXQDA, QualCoder)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
):
    """REFI-QDA project export: sources, cases and variables, codebook, coders, codings, condensates as notes."""
    from .verbs import export_qdpx

    with handled():
        with file_progress("Reading") as progress:
            exported = export_qdpx(project, out, force=force, progress=progress)
    qda, diagnostics = exported.project, exported.diagnostics
    n_sel = sum(len(s.selections) for s in qda.sources)
    n_cod = sum(len(set(sel.codings)) for s in qda.sources for sel in s.selections)
    console.print(f"Wrote {display_path(out)}: {len(qda.sources)} sources, {len(qda.cases)} cases, {n_sel} selections with "
                  f"{n_cod} codings by {len(qda.users)} coder(s), {len(qda.notes)} notes.", highlight=False)
    show_warnings(diagnostics)


@import_app.command("qdpx")
def import_qdpx_cmd(
    file: Path = typer.Argument(..., help="A REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder …"),
    out: Path = typer.Option(..., "--out", "-o", help="The study folder to create (transcripts, cases, codebook, decisions per coder)."),
    language: Optional[str] = typer.Option(None, help="Language of the texts (da or en); default: the one they are "
                                           "written in."),
):
    """REFI-QDA project import: sources → transcripts, cases → cases.csv, codebook → YAML, codings → decisions per coder."""
    from .qdpx import import_project, read_qdpx

    diagnostics = Diagnostics()
    with handled():
        qda = read_qdpx(file, diagnostics=diagnostics)
        counts = import_project(qda, out, language=language, diagnostics=diagnostics)
    c = qda.counts
    console.print(f"Read {display_path(file)}: {c['selections']} text selections with {c['codings']} codings; "
                  f"{c['selections_landed']} landed on their text ({c['codings_landed']} codings), "
                  f"{c['selections_lost']} did not, {c['selections_no_text']} have no source text, "
                  f"{c['selections_not_text']} are not on text.", highlight=False)
    for s in qda.sources:
        if s.offsets:
            console.print(f"  {s.name}: offsets counted as {s.offsets}", highlight=False)
    console.print(f"Wrote {display_path(out)}: {counts['sources']} transcripts, {counts['cases']} cases, "
                  f"{counts['codings']} codings by {counts['users']} user(s) → selections.csv, {counts['decisions']} "
                  f"decisions on meaning units → decisions.csv. Next: condense run {display_path(out)}", highlight=False)
    show_warnings(diagnostics)


@app.command("init")
def init_cmd(
    folder: Path = typer.Argument(Path("."), help="The study folder (created if missing)."),
    language: Optional[str] = typer.Option(None, "--language", "-l", help="The interviews' language: da (Danish) "
                                           "or en (English); the blank codebook's terms and labels are written in "
                                           "it. Default: the language of the transcripts in the folder, else da."),
):
    """Write a commented condense.yaml (and a transcripts/ folder) to start a new study. In a folder of
    transcripts, the study reads them where they are."""
    from .codebook import load_codebook
    from .verbs import init_project, transcripts_here

    with handled():
        here = transcripts_here(folder)
        kept = [name for name in ("codebook.yaml", "cases.csv" if here else "transcripts/cases.csv")
                if (Path(folder) / name).exists()]  # the researcher's: init writes neither over them
        target = init_project(folder, language.strip().lower() if language else None)
        language = load_codebook(Path(folder) / "codebook.yaml").language
    written = [display_path(target)] + [f"codebook.yaml (the blank STC template, language {language})"] * (
        "codebook.yaml" not in kept) + (["cases.csv"] * ("cases.csv" not in kept) if here else ["transcripts/"])
    said = f"Wrote {_and(written)}" + (f"; your {_and(kept)} kept as {'they were' if len(kept) > 1 else 'it was'}"
                                       if kept else "")
    if here:
        console.print(f"{said}. The study reads the {len(here)} transcript(s) in this folder; run it: "
                      f"condense run {display_path(folder)}", highlight=False)
        return
    import shlex

    inbox = shlex.quote(display_path(Path(folder) / "transcripts") + "/")  # from here, not from inside the study
    console.print(f"{said}. Put transcripts in {inbox}, then: condense names {_quoted(Path(folder))} "
                  f"and condense run {_quoted(Path(folder))}", highlight=False)


def _and(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return " and ".join(filter(None, [", ".join(items[:-1]), items[-1]]))


def _f(x, language: str = "en") -> str:
    """A score with three decimals as the language writes it (0,824 in Danish); empty for NaN (undefined κ)."""
    from .i18n import number

    return "" if x is None or x != x else number(float(x), language, 3)


def _summary(result, target: Path) -> None:
    """The end of a run: material, themes by coverage, the matrix, candidates, files written."""
    corpus, seg = result.corpus, result.segmentation
    what = "respondents" if corpus.of_respondents else "transcripts"
    console.print(f"[bold]{len(corpus.transcripts)}[/] {what}, [bold]{corpus.n_words:,}[/] words, "
                  f"[bold]{len(seg.units):,}[/] meaning units; "
                  f"{corpus.n_withdrawn} withdrawn passage(s) left out.", highlight=False)
    _print_review(result.review)
    _print_themes(result.tables.get("themes"))
    _print_grids(result.matrix_grids)
    _print_candidates(result.discovery)
    console.print(f"Written to [bold]{escape(display_path(target))}[/]: " + ", ".join(sorted(p.name for p in Path(target).iterdir())),
                  highlight=False)
    audit = getattr(result, "audit", None)
    if audit:
        console.print(f"[green]Consent audit passed[/]: {escape(audit['summary'])}.", highlight=False)


def _print_review(review) -> None:
    """How the review decisions were counted (nothing when there were none)."""
    if review is None or not review.decisions:
        return
    console.print(f"Review: {review.decisions} decision(s) read, {review.applied} applied"
                  + (f" ({review.rejected} of them rejections)" if review.rejected else "")
                  + (f", {review.superseded} superseded by a later decision" if review.superseded else "")
                  + (f", {review.relocated} found again by their text" if review.relocated else "")
                  + (f", [yellow]{review.orphaned} orphaned[/] (see orphaned_decisions.csv; kept in the decisions file)"
                     if review.orphaned else "") + ".", highlight=False)


def _print_themes(themes) -> None:
    """Top-level themes by the number of interviews, then units, per dimension."""
    if themes is None or themes.empty:
        return
    table = Table(title="Themes by coverage")
    for col in ("dimension", "theme", "units", "interviews", "spread"):
        table.add_column(col)
    top = themes[themes["subtheme"] == ""].sort_values(["dimension", "n_interviews", "n_units"], ascending=[True, False, False],
                                                       kind="stable")
    for row in top.itertuples(index=False):
        table.add_row(row.dimension, row.theme_label, str(row.n_units), str(row.n_interviews), row.quantifier)
    console.print(table)


def _print_grids(grids: dict) -> None:
    for name, grid in grids.items():
        if grid.empty:
            continue
        table = Table(title=f"Matrix (units): {name}")
        for col in grid.columns:
            table.add_column(str(col)[:28], overflow="fold")
        for row in grid.itertuples(index=False):
            table.add_row(*[str(v) for v in row])
        console.print(table)


def _print_candidates(discovery) -> None:
    if discovery is None:
        return
    console.print(f"Candidate themes: {len(discovery.groups)} (from {discovery.n_uncovered} units no "
                  f"'{discovery.dimension}' theme covers) → candidates.yaml", highlight=False)
    for g in discovery.groups[:8]:
        console.print(f"  {g.id}: {', '.join(g.terms[:5])} ({g.size} units, {len(g.transcripts)} interviews)", highlight=False)


def main() -> None:
    """The command line, as the console script's guard (:mod:`condense._entry`) calls it. Called directly (a
    script, an older console script), it installs the same answers to Ctrl-C, SIGTERM and SIGHUP first."""
    catch_stops()
    try:
        _printable_output()
        _working_folder()  # before Typer parses: on Python 3.13 its first import then failed (SystemError)
        returned = app(standalone_mode=False)  # click returns a command's exit status instead of raising it
    except _usage_errors() as exc:  # a wrong command, option or value: coded like every refusal, exit 1
        _exit(_usage_error(exc))
    except CondenseError as exc:  # E724: the working folder is gone
        _print_error(exc)
        _exit(1)
    except typer.Abort:  # end of input at a prompt
        err_console.print("Aborted.", highlight=False)
        _exit(1)
    except KeyboardInterrupt:  # Ctrl-C outside a command (inside one, Typer answers it with 130 itself)
        returned = INTERRUPTED
    except Stopped as stopped:  # SIGTERM or SIGHUP: the command has unwound and cleaned up
        leave(stopped.line, stopped.code)
    except SystemExit as done:
        _exit(done.code)
    if returned == INTERRUPTED:  # Typer's answer to Ctrl-C (KeyboardInterrupt): the status alone, nothing said
        leave(INTERRUPTED_LINE, INTERRUPTED)
    _exit(returned if isinstance(returned, int) and not isinstance(returned, bool) else 0)


def _printable_output() -> None:
    """Print what the output's encoding cannot hold as '?' instead of failing on it. A console or file in
    Windows-1252 or Latin-1 (Windows when the output is redirected, `condense run > log.txt`; an older Linux
    locale) cannot hold '→' or 'κ': the run wrote its results and then ended in a UnicodeEncodeError
    traceback, exit status 1, while printing its summary."""
    for stream in (sys.stdout, sys.stderr):  # surrogateescape: the C locale's, and it fails on '–' just the same
        if getattr(stream, "errors", None) in ("strict", "surrogateescape") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (AttributeError, ValueError, OSError):  # a stream that cannot change: left as it is
                pass


def _usage_errors() -> tuple[type, ...]:
    """The command-line parser's errors: click's, and those of the click that newer Typers carry inside them."""
    kinds: list[type] = []
    try:
        from typer.exceptions import TyperException

        kinds.append(TyperException)
    except ImportError:  # an older Typer: click's own
        pass
    try:
        import click

        kinds.append(click.ClickException)
    except ImportError:
        pass
    return tuple(kinds)


def _usage_error(exc) -> int:
    """A usage error as a coded error (E408: the command, what was wrong, where to read how) and the
    command's usage line; exit status 1. A command group called without a command shows its help (0)."""
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":
        console.print(exc.format_message(), highlight=False, markup=False, soft_wrap=True)
        return 0
    command = ctx.command_path if ctx is not None else "condense"
    detail = exc.format_message().rstrip(".")
    if type(exc).__name__ == "NoSuchOption":
        detail += _dash_named_path()
    error = CondenseError("E408", command=command, detail=detail)
    for line in str(error).splitlines():
        err_console.print(f"[bold red]Error[/] {escape(line)}", highlight=False, soft_wrap=True)
    if ctx is not None:
        err_console.print(escape(ctx.get_usage()), highlight=False, soft_wrap=True)
    return 1


def _dash_named_path() -> str:
    """A hint when an argument the parser took for options is a file or folder whose name starts with '-'
    (`condense run -interviews`): the error named an option '-i' the user never meant."""
    for arg in sys.argv[1:]:
        if arg.startswith("-") and arg not in ("-", "--") and os.path.exists(arg):
            return f"; '{arg}' is a file or folder here: write it as ./{arg} (or put -- before it)"
    return ""


def _exit(code) -> None:
    """Leave without tearing the interpreter down: the exit handlers run (child processes, temporary files)
    and the output is flushed, but the run's objects are not freed one by one and collected at exit, which
    took the sample's `condense run` 0.2-0.5 s (more on a busy machine) after its work was done."""
    import atexit
    import os

    if code is not None and not isinstance(code, int):  # sys.exit("message"): printed, exit status 1
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (condense run | head): nothing more to say
            pass
    os._exit(code or 0)


if __name__ == "__main__":
    main()
