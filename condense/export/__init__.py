"""Writing results: CSV tables (UTF-8 with BOM so Excel shows æ, ø and å), results.xlsx, report.md,
candidates.yaml and manifest.json. Everything is deterministic: two runs on the same inputs give
byte-identical files (the xlsx too: its zip entries and document properties carry fixed dates).
"""
from __future__ import annotations

from pathlib import Path

# The writers live in the file layer; re-exported here for older imports.
from ..io import CSV_ENCODING, FIXED_DATE, cell_value as _cell, normalise_zip, write_csv, write_json, write_markdown, write_xlsx, write_yaml  # noqa: F401

__all__ = ["write_tables", "start_tables", "PendingTables", "write_candidates", "manifest", "candidates_header", "write_csv", "write_xlsx", "write_json"]


def candidates_header(language: str) -> str:
    """The comment block on top of candidates.yaml: what the file is and how to fold it into a codebook."""
    if language == "da":
        return ("# Kandidater til nye temaer fundet af condense blandt enheder, som kodebogen ikke dækker.\n"
                "# Ret id, label, beskrivelse og ord; slet det, der ikke er et tema. Flet så ind med\n"
                "#   condense codebook merge KODEBOG candidates.yaml --out NY_KODEBOG.yaml\n")
    return ("# Candidate themes condense found among units the codebook does not cover.\n"
            "# Edit ids, labels, descriptions and terms; delete what is not a theme. Then fold them in with\n"
            "#   condense codebook merge CODEBOOK candidates.yaml --out NEW_CODEBOOK.yaml\n")


def write_candidates(candidates, language: str, path: Path) -> Path:
    """candidates.yaml: the candidate themes as a codebook fragment under an explanatory header."""
    from ..codebook import dump_codebook

    return write_yaml(dump_codebook(candidates), path, header=candidates_header(language))


def localised_sheets(sheets: dict, language: str) -> dict:
    """Workbook sheets with names and headers in the codebook's language (CSV files keep machine keys)."""
    from ..i18n import localise_frame, sheet

    return {sheet(name, language): localise_frame(df, language) for name, df in sheets.items()}


def write_tables(result, folder: Path) -> list[Path]:
    """Write every table of a run (CSV), the workbook, the report, figures, candidates and the manifest."""
    return start_tables(result, folder).finish()


class PendingTables:
    """A run's files written but for those still being made in other processes: the figures (being drawn,
    see figures.start_figures), the workbook (rendered beside, see :func:`_start_workbook`) and the manifest
    (which lists them all): :meth:`finish` waits for them and writes them, :meth:`cancel` stops them when the
    run fails first. Until then :meth:`pending` names the paths that may still change."""

    def __init__(self, result, folder: Path, written: list[Path], figures, workbook=None):
        self.result, self.folder, self.written, self.figures = result, Path(folder), written, figures
        self.workbook = workbook  # (index in written, finish) of the workbook still being rendered
        self.done: list[Path] | None = None

    @staticmethod
    def pending(rel: str) -> bool:
        return rel in ("manifest.json", WORKBOOK) or rel.startswith("figures/")

    def finish(self) -> list[Path]:
        if self.done is None:
            written = list(self.written)
            if self.workbook is not None:
                at, finish = self.workbook
                written.insert(at, finish())
            written += self.figures.result()
            files = [p.relative_to(self.folder).as_posix() for p in written]
            write_json(manifest(self.result, files), self.folder / "manifest.json")
            self.done = written
        return self.done

    def running(self) -> int:
        """How many processes are still making the pending files (the figures', the workbook's)."""
        workbook = getattr(self.workbook[1], "job", None) if self.workbook is not None else None
        return sum(_at_work(job) for job in (self.figures, workbook) if job is not None) if self.done is None else 0

    @property
    def checked(self) -> dict:
        """Files the consent audit has checked where they were made (rel → audit._check_data's answer)."""
        return getattr(self.workbook[1], "checked", {}) if self.workbook is not None else {}

    def cancel(self) -> None:
        if self.done is None:
            self.figures.cancel()
            if self.workbook is not None and hasattr(self.workbook[1], "cancel"):
                self.workbook[1].cancel()


WORKBOOK = "results.xlsx"


def _at_work(job) -> bool:
    """Whether a job of the write stage (figures._Drawing, background.Background) runs in a process still alive."""
    process = getattr(job, "process", None)
    return process is not None and process.is_alive()


def start_tables(result, folder: Path) -> PendingTables:
    """Write every file of a run but the figures, the workbook and the manifest; the figures are drawn, and
    the workbook rendered, in other processes where there is a second core (figures.start_figures,
    :func:`_start_workbook`), while the rest is written here."""
    from .figures import start_figures
    from .report_data import build_report_data

    # the workbook first: rendering and checking a large one is the longest job of the write stage (1M words:
    # 1.5 CPU s, the figures' rest 1 s), so its process starts before the report's data is gathered here
    workbook = _start_workbook(result, Path(folder) / WORKBOOK)
    figures = None
    try:
        data = build_report_data(result)
        figures = start_figures(data, Path(folder) / "figures")
        written = _write_files(result, folder, data)
    except BaseException:
        if figures is not None:
            figures.cancel()  # nothing may land in the folder once the run has given up on it
        workbook.cancel()
        raise
    return PendingTables(result, folder, written, figures, (len(result.tables), workbook))


WORKBOOK_BESIDE = 300_000  # cells from which the workbook is rendered in a process of its own


class _Workbook:
    """results.xlsx rendered in a forked process (export/background.py) and written here by :meth:`__call__`.
    A small workbook (the sample's 51,000 cells: 0.4 CPU s) is rendered here at :meth:`__call__`, after
    the other files are written and checked: beside them it would only take its core from the figures,
    which are then the longest job of the write stage; a large one (1M words: 1.3 CPU s) is the longest."""

    def __init__(self, parts: list, path: Path, result=None):
        from .background import Background, background

        self.parts, self.path, self.checked = parts, path, {}
        cells = sum(df.shape[0] * df.shape[1] for _, df in parts)
        if cells >= WORKBOOK_BESIDE:  # the process that renders it checks it too, for the consent audit
            from ..audit import checks_where_made, run_scanner

            if checks_where_made(result):
                run_scanner(result)  # before the fork: worked out once, for this process and that one
            self.job = background(lambda: _render_and_check(parts, result, path.name))
        else:
            self.job = Background(lambda: _render_and_check(parts, None, path.name))

    def __call__(self) -> Path:
        from ..io import save_xlsx

        data, check = self.job.result()
        written = save_xlsx(self.parts, self.path, data)
        if check is not None:
            self.checked[self.path.name] = check
        return written

    def cancel(self) -> None:
        self.job.cancel()


def _render_and_check(parts: list, result, name: str) -> tuple:
    """The workbook's bytes (None: openpyxl writes it) and, given the run, what the consent audit finds in
    them (audit.check_bytes' answer, worked out from each part's bytes as it goes into the zip: audit.PartsCheck;
    None when the audit must look at the file itself)."""
    from ..audit import parts_check
    from ..io import xlsx_bytes

    check = parts_check(result, name) if result is not None else None
    data = xlsx_bytes(parts, check)
    return data, check.result() if check is not None and data is not None else None


def _start_workbook(result, path: Path) -> _Workbook:
    """Start rendering results.xlsx: every table but units_coded (its columns are in units and codings) and
    the run's extra sheets, named and headed in the codebook's language; a table too long for a worksheet
    is split here (W950), before the fork."""
    from ..io import xlsx_parts

    sheets = {name: df for name, df in result.tables.items() if name not in ("units_coded",)}
    sheets.update(result.sheets)
    sheets = localised_sheets(sheets, result.codebook.language if result.codebook is not None else "en")
    return _Workbook(xlsx_parts(sheets, result.diagnostics), path, result)


def _write_files(result, folder: Path, data) -> list[Path]:
    """Every file of a run but the figures, the workbook and the manifest."""
    from .html import write_html
    from .report import render_report

    written = []
    for name, df in result.tables.items():
        written.append(write_csv(df, folder / f"{name}.csv"))
    if result.candidates is not None:
        language = result.codebook.language if result.codebook is not None else "en"
        written.append(write_candidates(result.candidates, language, folder / "candidates.yaml"))
    written.append(write_markdown(render_report(result), folder / "report.md"))
    written.append(write_html(result, folder, data))
    return written


def write_visual_report(result, folder: Path) -> list[Path]:
    """report.html and figures/ (SVG + PNG), both drawn from the same tables; returns the paths written."""
    from .figures import write_figures
    from .html import write_html
    from .report_data import build_report_data

    data = build_report_data(result)
    return [write_html(result, folder, data), *write_figures(data, Path(folder) / "figures")]


def manifest(result, files: list[str]) -> dict:
    """Versions, codebook hash, input hashes and settings: what is needed to reproduce the run."""
    import platform
    from importlib import metadata

    def version(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    from .._version import __version__

    project = result.project
    public = getattr(getattr(result.segmentation, "privacy", None), "public_files", {})  # anonymous: no file name
    inputs = {public.get(t.id, Path(t.path).name): t.sha256 for t in result.corpus.transcripts}
    side = getattr(result, "side_inputs", None) or {}
    for label, p in (("cases", project.cases), ("decisions", project.decisions), ("condensates", project.condensates)):
        if label in side:  # as the run began (verbs.side_inputs), not as it ended
            if side[label][1] is not None:
                inputs[f"({label}) {Path(p).name}"] = side[label][1]
        elif p is not None and Path(p).exists():
            import hashlib

            inputs[f"({label}) {Path(p).name}"] = hashlib.sha256(Path(p).read_bytes()).hexdigest()
    return {
        "condense": __version__,
        "versions": {"python": platform.python_version(), **{n: version(n) for n in (
            "spacy", "simplemma", "pandas", "scikit-learn", "numpy", "openpyxl", "pyyaml")}},
        "codebook": {"file": Path(project.codebook).name if project.codebook else None,
                     "id": result.codebook.id if result.codebook else None,
                     "sha256": result.codebook.sha256 if result.codebook else None},
        "inputs": dict(sorted(inputs.items())),
        "settings": project.settings(),
        "counts": {
            "transcripts": len(result.corpus.transcripts),
            "words": result.corpus.n_words,
            "units": len(result.segmentation.units),
            "codings": len(result.codings),
            "withdrawn_passages": result.corpus.n_withdrawn,
            "skipped_files": [Path(p).name for p in result.corpus.skipped],
            **result.counts,
        },
        "files": sorted(files + ["manifest.json"]),
    }
