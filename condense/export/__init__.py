"""Writing results: CSV tables (UTF-8 with BOM so Excel shows æ, ø and å), results.xlsx, report.md,
candidates.yaml and manifest.json. Everything is deterministic: two runs on the same inputs give
byte-identical files (the xlsx too: its zip entries and document properties carry fixed dates).
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

CSV_ENCODING = "utf-8-sig"
FIXED_DATE = (2000, 1, 1, 0, 0, 0)


def write_csv(df, path: Path) -> None:
    """Deterministic CSV: fixed column order, LF line ends, no index."""
    df.to_csv(path, index=False, encoding=CSV_ENCODING, lineterminator="\n")


def write_xlsx(sheets: dict, path: Path) -> None:
    """One sheet per table: readable column widths, frozen bold header row, wrapped long text."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used = set()
    for name, df in sheets.items():
        title = name[:31]
        k = 2
        while title in used:
            title = f"{name[:28]}_{k}"
            k += 1
        used.add(title)
        ws = wb.create_sheet(title)
        ws.append([str(c) for c in df.columns])
        for row in df.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for j, col in enumerate(df.columns, start=1):
            values = [str(col)] + [str(v) for v in df.iloc[:200, j - 1].tolist()]
            longest = max((len(v) for v in values), default=8)
            width = min(max(10, longest + 2), 60)
            ws.column_dimensions[get_column_letter(j)].width = width
            if longest > 60:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    fixed = datetime.datetime(*FIXED_DATE)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "condense"
    wb.save(path)
    normalise_zip(path)


def _cell(value):
    if value is None:
        return None
    try:
        import math

        if isinstance(value, float) and math.isnan(value):
            return None
    except TypeError:
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def normalise_zip(path: Path) -> None:
    """Rewrite a zip (xlsx) with fixed entry dates and order, so equal content gives equal bytes."""
    import re

    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    # openpyxl stamps the save time into the document properties whatever was set before
    fixed = b"2000-01-01T00:00:00Z"
    entries = [(name, re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + fixed + rb"\g<2>", data)
                if name == "docProps/core.xml" else data) for name, data in entries]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


def write_json(data, path: Path) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def write_tables(result, folder: Path) -> list[Path]:
    """Write every table of a run (CSV), the workbook, the report, candidates and the manifest."""
    from ..codebook import dump_codebook
    from .report import render_report

    written = []
    for name, df in result.tables.items():
        path = folder / f"{name}.csv"
        write_csv(df, path)
        written.append(path)
    sheets = {name: df for name, df in result.tables.items() if name not in ("units_coded",)}
    for name, df in result.extras.get("sheets", {}).items():
        sheets[name] = df
    write_xlsx(sheets, folder / "results.xlsx")
    written.append(folder / "results.xlsx")
    if result.extras.get("candidates") is not None:
        path = folder / "candidates.yaml"
        header = ("# Kandidater til nye temaer fundet af condense blandt enheder, som kodebogen ikke dækker.\n"
                  "# Ret id, label, beskrivelse og ord; slet det, der ikke er et tema. Flet så ind med\n"
                  "#   condense codebook merge KODEBOG candidates.yaml --out NY_KODEBOG.yaml\n"
                  if result.codebook is not None and result.codebook.language == "da" else
                  "# Candidate themes condense found among units the codebook does not cover.\n"
                  "# Edit ids, labels, descriptions and terms; delete what is not a theme. Then fold them in with\n"
                  "#   condense codebook merge CODEBOOK candidates.yaml --out NEW_CODEBOOK.yaml\n")
        path.write_text(header + dump_codebook(result.extras["candidates"]), encoding="utf-8")
        written.append(path)
    report = folder / "report.md"
    report.write_text(render_report(result), encoding="utf-8")
    written.append(report)
    write_json(manifest(result, [p.name for p in written]), folder / "manifest.json")
    return written


def manifest(result, files: list[str]) -> dict:
    """Versions, codebook hash, input hashes and settings: what is needed to reproduce the run."""
    import platform
    from importlib import metadata

    def version(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    from .. import __version__

    project = result.project
    inputs = {Path(t.path).name: t.sha256 for t in result.corpus.transcripts}
    for label, p in (("cases", project.cases), ("decisions", project.decisions), ("condensates", project.condensates)):
        if p is not None and Path(p).exists():
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
            "withdrawn_passages": sum(t.withdrawn for t in result.corpus.transcripts),
            "skipped_files": [Path(p).name for p in result.corpus.skipped],
            **result.extras.get("counts", {}),
        },
        "files": sorted(files + ["manifest.json"]),
    }
