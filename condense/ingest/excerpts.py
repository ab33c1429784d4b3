"""Pre-segmented input: a .csv or .xlsx of excerpts (quotes collected elsewhere, open survey answers).

Columns: ``text`` (required), optional ``id``, ``case``/``cases``, ``speaker``, ``question``, ``transcript``.
Each row becomes one meaning unit; its id is the ``id`` column when given, else ``<file stem>:<row>``.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import CondenseError, display_path
from ..model import RESPONDENT, MeaningUnit, fingerprint
from .metadata import read_csv_rows

EXCERPT_SUFFIXES = (".csv", ".xlsx")


def read_table(path: str | Path, *, required: tuple[str, ...] = ()) -> tuple[list[str], list[tuple[int, dict]]]:
    """A .csv or .xlsx table as (header, [(line, row dict)]), with a coded error (E503) when it cannot be
    read and E504 when a required column is missing."""
    path = Path(path)
    try:
        header, rows = _rows(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise CondenseError("E503", path=display_path(path), detail=str(exc)) from exc
    for column in required:
        if column not in header:
            raise CondenseError("E504", path=display_path(path), column=column, required=", ".join(required))
    return header, rows


def _rows(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    if path.suffix.lower() == ".csv":
        return read_csv_rows(path)
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise CondenseError("E503", path=display_path(path), detail=str(exc)) from exc
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    if not rows:
        return [], []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    out = []
    for i, row in enumerate(rows[1:], start=2):
        values = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, row)}
        if any(values.values()):
            out.append((i, values))
    return header, out


def read_excerpts(path: str | Path, *, language: str = "da", nlp=None) -> list[MeaningUnit]:
    """Read excerpts as meaning units (lemmatised, ready for the coder)."""
    from ..nlp import analyze, load_nlp, token_types

    path = Path(path)
    if not path.exists():
        raise CondenseError("E101", path=display_path(path))
    header, rows = read_table(path)
    header_l = [h.lower() for h in header]
    if "text" not in header_l:
        raise CondenseError("E301", path=display_path(path))
    nlp = nlp or load_nlp(language)
    types = token_types(nlp, language)
    units: list[MeaningUnit] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        row = {k.lower(): v for k, v in raw.items()}
        text = " ".join(row.get("text", "").split())
        if not text:
            continue
        uid = row.get("id", "") or f"{path.stem}:{line:04d}"
        if uid in seen:
            raise CondenseError("E302", path=display_path(path), line=line, id=uid)
        seen[uid] = line
        _, lemmas, texts = analyze(nlp.make_doc(text), types)
        pairs = [(l, t) for l, t in zip(lemmas, texts) if l]
        cases = row.get("cases", "") or row.get("case", "")
        units.append(MeaningUnit(
            unit_id=uid,
            fingerprint=fingerprint(text),
            transcript=row.get("transcript", "") or path.stem,
            turn=line,
            position=1,
            speaker=row.get("speaker", ""),
            role=RESPONDENT,
            text=text,
            start=0,
            end=len(text),
            question=" ".join(row.get("question", "").split()),
            cases=[c.strip() for c in cases.split(";") if c.strip()],
            language=language,
            n_words=len(pairs),
            lemmas=tuple(p[0] for p in pairs),
            surfaces=tuple(p[1] for p in pairs),
        ))
    return units
