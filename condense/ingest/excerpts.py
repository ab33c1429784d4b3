"""Pre-segmented input: a .csv or .xlsx of excerpts (quotes collected elsewhere, open survey answers).

Columns: ``text`` (required), optional ``id``, ``case``/``cases``, ``speaker``, ``question``, ``transcript``.
Each row becomes one meaning unit; its id is the ``id`` column when given, else ``<file stem>:<row>``.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import CondenseError, display_path
from ..io import read_table  # noqa: F401  (re-exported for older imports)
from ..model import RESPONDENT, MeaningUnit, fingerprint
from .withdrawn import strip_withdrawn

__all__ = [
    "EXCERPT_SUFFIXES", "read_excerpts",
]

EXCERPT_SUFFIXES = (".csv", ".xlsx")


def read_excerpts(path: str | Path, *, language: str = "da", nlp=None) -> list[MeaningUnit]:
    """Read excerpts as meaning units (lemmatised, ready for the coder)."""
    from ..nlp import analyze, analyze_plain, token_types

    path = Path(path)
    if not path.exists():
        raise CondenseError("E101", path=display_path(path))
    header, rows = read_table(path)
    header_l = [h.lower() for h in header]
    if "text" not in header_l:
        raise CondenseError("E301", path=display_path(path))
    types = token_types(nlp, language)
    units: list[MeaningUnit] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        row = {k.lower(): v for k, v in raw.items()}
        for column in ("text", "question"):  # withdrawn passages leave the cell before anything reads it
            row[column] = strip_withdrawn(row.get(column, ""), path, line, column=column, language=language)
        text = " ".join(row.get("text", "").split())
        if not text:
            continue
        uid = row.get("id", "") or f"{path.stem}:{line:04d}"
        if uid in seen:
            raise CondenseError("E302", path=display_path(path), line=line, id=uid)
        seen[uid] = line
        lemmas, texts = [], []
        for _, piece in _pieces(text, path, line):  # spaCy refuses texts over 1,000,000 characters (E088)
            _, more_lemmas, more_texts = (analyze(nlp.make_doc(piece), types) if nlp is not None
                                          else analyze_plain(piece, language))
            lemmas += more_lemmas
            texts += more_texts
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


def _pieces(text: str, path: Path, line: int) -> list[tuple[int, str]]:
    from ..limits import limit, split_long

    pieces = split_long(text)
    if pieces is None:
        raise CondenseError("E714", path=display_path(path), line=line, n=len(text),
                            limit=limit("CONDENSE_MAX_TURN_CHARS"))
    return pieces
