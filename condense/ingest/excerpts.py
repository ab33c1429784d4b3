"""Pre-segmented input: a .csv or .xlsx of excerpts (quotes collected elsewhere, open survey answers).

Columns: ``text`` (required), optional ``id``, ``case``/``cases``, ``speaker``, ``question``, ``transcript``;
the text, transcript and question columns may also go by the names open answers have in survey exports
(``full_response_text``/``svar``, ``participant_id``/``respondent``, ``spørgsmål``).
Each row becomes one meaning unit; its id is the ``id`` column when given, else ``<file stem>:<row>``.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import CondenseError, Diagnostics, display_path
from ..io import read_table  # noqa: F401  (re-exported for older imports)
from ..model import RESPONDENT, MeaningUnit, fingerprint
from .sources import file_id
from .withdrawn import strip_withdrawn

__all__ = [
    "EXCERPT_SUFFIXES", "read_excerpts",
]

EXCERPT_SUFFIXES = (".csv", ".xlsx")


def read_excerpts(path: str | Path, *, language: str = "da", nlp=None,
                  diagnostics: Diagnostics | None = None) -> list[MeaningUnit]:
    """Read excerpts as meaning units (lemmatised, ready for the coder); ``diagnostics`` gets what reading the
    table warns of (W101: a file saved as Windows-1252), as for every other file read."""
    from ..nlp import analyze, analyze_plain, token_types

    path = Path(path)
    if not path.exists():
        raise CondenseError("E101", path=display_path(path))
    header, rows = read_table(path, diagnostics=diagnostics)
    names = _column_names(header)
    if "text" not in names.values():
        raise CondenseError("E301", path=display_path(path))
    types = token_types(nlp, language)
    units: list[MeaningUnit] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        row = {names[k]: v for k, v in raw.items() if k in names}
        for column in ("text", "question"):  # withdrawn passages leave the cell before anything reads it
            row[column] = strip_withdrawn(row.get(column, ""), path, line, column=column, language=language)
        text = " ".join(row.get("text", "").split())
        if not text:
            continue
        uid = row.get("id", "") or f"{file_id(path)}:{line:04d}"
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
            transcript=row.get("transcript", "") or file_id(path),
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


def _column_names(header: list[str]) -> dict[str, str]:
    """header → the column it is (text, id, case, cases, speaker, question, transcript): by its name in any
    letter case, else, for the text, the transcript and the question, by the names open answers go by
    (``full_response_text``, ``svar``, ``participant_id``, ``spørgsmål``: ingest/columns.py)."""
    from .columns import QUESTION_HEADERS, RESPONDENT_HEADERS, TEXT_HEADERS, fields_of, header_key

    names = {h: h.lower() for h in header if h.lower() in _COLUMNS}
    fields = fields_of([h for h in header if h not in names], {})
    known = {"text": ("text", TEXT_HEADERS), "transcript": ("interview", RESPONDENT_HEADERS - {"id"}),
             "question": (None, QUESTION_HEADERS)}
    for column, (field_name, headers) in known.items():
        if column in names.values():
            continue
        found = [h for h in header if h not in names and (fields.get(h) == field_name or header_key(h) in headers)]
        if found:
            names[found[0]] = column
    return names


_COLUMNS = ("text", "id", "case", "cases", "speaker", "question", "transcript")


def _pieces(text: str, path: Path, line: int) -> list[tuple[int, str]]:
    from ..limits import limit, split_long

    pieces = split_long(text)
    if pieces is None:
        raise CondenseError("E714", path=display_path(path), line=line, n=len(text),
                            limit=limit("CONDENSE_MAX_TURN_CHARS"))
    return pieces
