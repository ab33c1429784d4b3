"""The command line. Each command opens its inputs, calls one library function, and prints with rich.

Errors from the library are coded (:class:`condense.errors.CondenseError`): printed without a traceback,
exit code 1. Warnings are counted and shown once, at the end.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import CondenseError, Diagnostics, display_path

app = typer.Typer(
    help="condense — qualitative interview analysis by systematic text condensation (STC).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Tables are wide; when output goes to a file or a pipe, don't squeeze them into 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


@contextmanager
def handled():
    """Turn coded library errors into a message and exit 1 (no traceback)."""
    try:
        yield
    except CondenseError as exc:
        for line in str(exc).splitlines():
            err_console.print(f"[bold red]Error[/] {line}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


def show_warnings(diagnostics: Diagnostics) -> None:
    if not len(diagnostics):
        return
    total = sum(diagnostics.counts.values())
    err_console.print(f"[yellow]{total} warning(s)[/]:", highlight=False)
    for w in diagnostics:
        n = diagnostics.counts[w]
        err_console.print(f"  [yellow]{w.code}[/] {w.message}." + (f" ({n}×)" if n > 1 else "")
                          + (f" [dim]{w.fix}[/]" if w.fix else ""), highlight=False, soft_wrap=True)


@contextmanager
def file_progress(label: str):
    """A progress bar for runs over many files (hidden for a handful, and when not a terminal)."""
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[name]}"), TimeElapsedColumn(), console=err_console,
                        transient=True, disable=not err_console.is_terminal)
    task = None

    def update(i: int, n: int, path: Path):
        nonlocal task
        if task is None:
            task = progress.add_task(label, total=n, name="")
        progress.update(task, completed=i, name=path.name if i < n else "")

    with progress:
        yield update


def _corpus(paths: list[Path], labels: Optional[list[str]], language: Optional[str], diagnostics: Diagnostics):
    from .ingest import ingest

    with file_progress("Reading") as progress:
        return ingest(paths, interviewer_labels=labels, language=language, diagnostics=diagnostics, progress=progress)


LABELS_OPT = typer.Option(None, "--interviewer", "-i", help="Label(s) of the interviewer, e.g. -i I -i I2 (overrides guessing).")


@app.command("ingest")
def ingest_cmd(
    paths: list[Path] = typer.Argument(..., help="Transcript files or folders (.txt .md .docx .vtt .srt)."),
    interviewer: Optional[list[str]] = LABELS_OPT,
    language: Optional[str] = typer.Option(None, help="Default language (da or en) where a file does not say."),
):
    """Read transcripts and show, per transcript, speakers with roles, turns, words, cases and warnings."""
    with handled():
        diagnostics = Diagnostics()
        corpus = _corpus(paths, interviewer, language, diagnostics)
    table = Table(title=f"{len(corpus.transcripts)} transcript(s)", show_lines=False)
    for col in ("transcript", "format", "speakers (role)", "roles from", "turns", "words", "cases", "withdrawn"):
        table.add_column(col, overflow="fold")
    for t in corpus.transcripts:
        speakers = ", ".join(f"{label} ({role[0].upper()})" for label, role in t.speakers.items())
        table.add_row(t.id, Path(t.path).suffix.lstrip("."), speakers, t.role_source, str(len(t.turns)),
                      f"{t.n_words:,}", "; ".join(t.cases), str(t.withdrawn or ""))
    table.add_section()
    table.add_row("total", "", "", "", str(sum(len(t.turns) for t in corpus.transcripts)), f"{corpus.n_words:,}",
                  str(len({c for t in corpus.transcripts for c in t.cases})), str(sum(t.withdrawn for t in corpus.transcripts)))
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
    from .export import write_csv
    from .project import OutputFolder
    from .segment import Settings, segment

    with handled():
        try:
            settings = Settings(mode=mode, max_sentences=max_sentences, max_words=max_words)
        except ValueError as exc:
            raise CondenseError("E403", path="(options)", line="", detail=str(exc), fix="See `condense segment --help`.")
        diagnostics = Diagnostics()
        corpus = _corpus(paths, interviewer, language, diagnostics)
        seg = segment(corpus.transcripts, settings=settings)
        with OutputFolder(out) as tmp:
            write_csv(seg.to_frame(), tmp / "units.csv")
    console.print(f"{len(seg.units):,} meaning units from {len(corpus.transcripts)} transcript(s) → "
                  f"{display_path(out / 'units.csv')}", highlight=False)
    show_warnings(diagnostics)


@app.command("run")
def run_cmd(
    project: Optional[Path] = typer.Argument(None, help="A condense.yaml project file or a folder of transcripts; default: the built-in sample."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: the project's, else results/)."),
):
    """Run the whole pipeline and write every table into the output folder."""
    from .pipeline import run, write_results
    from .project import resolve_project

    with handled():
        proj = resolve_project(project)
        with file_progress("Reading") as progress:
            result = run(proj, progress=progress)
        target = out or proj.output
        write_results(result, target)
    _summary(result, target)
    show_warnings(result.diagnostics)


def _summary(result, target: Path) -> None:
    corpus, seg = result.corpus, result.segmentation
    console.print(f"[bold]{len(corpus.transcripts)}[/] transcripts, [bold]{corpus.n_words:,}[/] words, "
                  f"[bold]{len(seg.units):,}[/] meaning units; "
                  f"{sum(t.withdrawn for t in corpus.transcripts)} withdrawn passage(s) left out.", highlight=False)
    for line in result.extras.get("summary", []):
        console.print(line)
    console.print(f"Written to [bold]{display_path(target)}[/]: " + ", ".join(sorted(p.name for p in Path(target).iterdir())),
                  highlight=False)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
