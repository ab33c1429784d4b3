"""Transcript metadata (front matter, transcripts.csv) and cases (cases.csv)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CondenseError, Diagnostics, did_you_mean, display_path, first_few
from ..io import read_table, read_text
from ..model import Case

__all__ = [
    "FRONT_MATTER_KEYS", "KINDS", "LANGUAGES", "TRANSCRIPTS_CSV", "CASES_CSV", "Meta",
    "meta_from_front_matter", "read_csv_rows", "read_transcripts_csv", "read_cases",
]

FRONT_MATTER_KEYS = {
    "id", "cases", "case", "language", "kind", "anonymous", "interviewer_labels", "interviewer",
    "title", "date", "duration", "respondent", "place", "note", "notes", "extra",
}
KINDS = ("interview", "notes")
LIST_KEYS = ("cases", "case", "interviewer_labels", "interviewer")
_TEXT_KEYS = ("title", "date", "duration", "respondent", "place", "note", "notes")  # kept as the transcript's own
LANGUAGES = ("da", "en")
TRANSCRIPTS_CSV = "transcripts.csv"
CASES_CSV = "cases.csv"


@dataclass
class Meta:
    """Metadata of one transcript, merged from transcripts.csv and front matter (front matter wins)."""

    id: str | None = None
    cases: list[str] = field(default_factory=list)
    language: str | None = None
    kind: str = "interview"
    anonymous: bool | list[str] = False
    interviewer_labels: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def _as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _as_anonymous(value, where: str, line) -> bool | list[str]:
    """`anonymous` is true, false or a list of speaker labels — nothing else (E810): a value read as
    "not anonymous" by mistake would attribute a respondent who asked not to be."""
    if isinstance(value, bool):
        return value
    if value is None or value == "":
        return False
    if isinstance(value, (list, tuple)):
        labels = [str(v).strip() for v in value if str(v).strip()]
        if not labels or any(isinstance(v, (bool, dict, list)) for v in value):
            raise CondenseError("E810", path=display_path(where), line=f"line {line}", value=value)
        return labels
    text = str(value).strip()
    low = text.lower()
    if low in YES or low in NO:
        return low in YES
    if isinstance(value, str) and ";" in text:
        labels = _as_list(text)
        if labels and all(_LABEL.fullmatch(l) for l in labels):
            return labels
    if isinstance(value, str) and _LABEL.fullmatch(text) and low not in _NOT_LABELS:
        return [text]  # a single speaker label (checked against the transcript's speakers, E811)
    raise CondenseError("E810", path=display_path(where), line=f"line {line}", value=text)


_LABEL = re.compile(r"[A-ZÆØÅ][\wæøåÆØÅ'\-]{0,24}(?:\s\d{1,2})?")
#: the words `anonymous` says yes and no by, in transcripts.csv and in front matter alike (any letter case, spaces
#: around): `anonymous: yes` was true in front matter (YAML reads it so) and E810 in the table, `ja`, `x` and `1`
#: were E810 in both. A tick mark "X" is yes, though a speaker may be labelled X: of the two readings it hides more
#: (the whole interview); a speaker X alone is written `[X]` (`X;` in the table). "Y", "J" and "N" alone may be a
#: yes, a no or a label: E810
YES = {"true", "yes", "ja", "x", "1", "sand", "on"}
NO = {"false", "no", "nej", "0", "falsk", "off"}
_NOT_LABELS = {"y", "n", "j", "none", "ingen", "anonym", "anonymous"}


def _check_choice(value, options, path, line, field_name) -> str:
    text = str(value).strip()
    if text not in options:
        raise CondenseError("E110", path=display_path(path), line=line, value=text, field=field_name,
                            expected=f"Use one of: {', '.join(options)}.")
    return text


# Words for the person interviewed and their place: the nearest spelling of "interviewee" is "interviewer", and
# a respondent's name given there would be taken for the interviewer's label, not hidden as the respondent's.
_PERSON_KEYS = {"interviewee": "respondent", "informant": "respondent", "participant": "respondent",
                "name": "respondent", "navn": "respondent", "deltager": "respondent", "informant_name": "respondent",
                "location": "place", "sted": "place"}


def meta_from_front_matter(front: dict, path: Path, base: Meta | None = None) -> Meta:
    meta = base or Meta()
    lines = _key_lines(path, front)
    for key, value in front.items():
        line = lines.get(key, 2)
        if key not in FRONT_MATTER_KEYS:
            hint = f" (did you mean '{_PERSON_KEYS[key.lower()]}'?)" if str(key).lower() in _PERSON_KEYS else None
            raise CondenseError("E108", path=display_path(path), line=line, key=key,
                                hint=hint or did_you_mean(key, FRONT_MATTER_KEYS))
        _check_shape(key, value, path, line)
        _set_field(meta, key, value, path, line)
    return meta


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _check_shape(key: str, value, path: Path, line: int) -> None:
    """E110 for a front-matter value of the wrong shape: a mapping or nested list for a list key, a list for the id;
    a control character (``"\\u0000"``) in any text of it, which would reach every table's bytes."""
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(t, str) and _CONTROL.search(t) for t in texts):
        raise CondenseError("E110", path=display_path(path), line=line, value="a control character", field=key,
                            expected=f"Write `{key}:` in letters, digits and punctuation (no \\u0000-style escapes).")
    nested = isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value))
    if not (key in LIST_KEYS and nested or key == "id" and isinstance(value, (dict, list))):
        return
    shape = "a mapping" if isinstance(value, dict) else "a nested list" if key in LIST_KEYS else "a list"
    raise CondenseError("E110", path=display_path(path), line=line, value=shape, field=key,
                        expected=f"Write `{key}:` as " + ("one text, e.g. `id: int01`." if key == "id" else
                                                          f"a list, e.g. `{key}: [A, B]`, or one name."))


def _set_field(meta: Meta, key: str, value, path: Path, line: int) -> None:
    """One front-matter key into the transcript's metadata (any other allowed key, and an empty id, go to ``extra``)."""
    if key == "id" and value is not None:
        meta.id = str(value).strip()
    elif key in ("cases", "case"):
        meta.cases = _as_list(value)
    elif key == "language":
        meta.language = _check_choice(value, LANGUAGES, path, line, "language")
    elif key == "kind":
        meta.kind = _check_choice(value, KINDS, path, line, "kind")
    elif key == "anonymous":
        anonymous = _as_anonymous(value, str(path), line)
        _same_anonymity(meta.anonymous, anonymous, path, line)
        meta.anonymous = anonymous
    elif key in ("interviewer_labels", "interviewer"):
        meta.interviewer_labels = _as_list(value)
    else:
        meta.extra[key] = value


def _same_anonymity(table, front, path: Path, line: int) -> None:
    """E813 where transcripts.csv makes a transcript anonymous and its front matter says otherwise: the front
    matter's `anonymous: false` replaced the table's `true`, and the respondent was named in every output."""
    def said(value) -> str:
        return ("true" if value else "false") if isinstance(value, bool) else ";".join(value)

    both_lists = isinstance(table, list) and isinstance(front, list)
    if table and (set(table) != set(front) if both_lists else table != front):
        raise CondenseError("E813", path=display_path(path), line=line, front=said(front), table=said(table))


def _key_lines(path: Path, front: dict) -> dict[str, int]:
    """Line numbers of top-level front-matter keys (for error messages)."""
    try:
        text = read_text(path)
    except CondenseError:  # the transcript itself was read already; without its lines, errors name line 2
        return {}
    lines = {}
    for i, line in enumerate(text.splitlines()[1:60], start=2):
        if line.strip() == "---":
            break
        key = line.split(":", 1)[0].strip()
        if key in front and not line.startswith((" ", "-")):
            if key in lines:  # YAML keeps the last value silently; for `anonymous` that breaks a promise
                raise CondenseError("E107", path=display_path(path), line=i,
                                    detail=f"`{key}` is given twice (lines {lines[key]} and {i}); keep one")
            lines[key] = i
    return lines


def read_csv_rows(path: Path, diagnostics: Diagnostics | None = None) -> tuple[list[str], list[tuple[int, dict]]]:
    """Read a small metadata CSV (UTF-8, BOM or Windows-1252 with W101; comma or semicolon) → header, rows, its
    letters in the one Unicode form (NFC) the transcripts' text is read in: a cases.csv or transcripts.csv saved
    on a Mac may write "Å" as "A" and a ring, and such a plan, place or respondent's name would match nothing in
    the text, so an anonymous interview's place and name stayed in every output. Invisible formatting characters
    go as from the transcripts (W111): a respondent's name pasted with a zero-width space in it was not redacted."""
    from .sources import visible_cells

    header, rows = read_table(path, diagnostics=diagnostics)
    return [nfc(h) for h in header], [(line, visible_cells({nfc(k): nfc(v) for k, v in row.items()}, path, line,
                                                           diagnostics)) for line, row in rows]


def nfc(value):
    """A text in NFC (anything else as it is)."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) and not value.isascii() else value


def read_transcripts_csv(path: Path, diagnostics: Diagnostics | None = None) -> dict[str, tuple[int, Meta]]:
    """transcripts.csv → {file name or stem: (line, Meta)}. Rows of one transcript accumulate cases."""
    header, rows = read_csv_rows(path, diagnostics)
    if "transcript" not in header:
        raise CondenseError("E109", path=display_path(path), line=1, column="transcript",
                            required=_required("transcript", header))
    out: dict[str, tuple[int, Meta]] = {}
    seen: dict[tuple, int] = {}
    unread = [c for c in header if c and c != "transcript" and c not in FRONT_MATTER_KEYS]
    if unread and diagnostics is not None:  # a researcher's "navn" column is not what keeps a name out of tables
        diagnostics.warn("W123", path=display_path(path), columns=first_few([f"'{c}'" for c in unread]),
                         read=", ".join(sorted(FRONT_MATTER_KEYS - {"extra"})))
    for line, row in rows:
        name = row.get("transcript", "")
        if not name:
            raise CondenseError("E110", path=display_path(path), line=line, value="", field="transcript",
                                expected="Name the transcript file in the `transcript` column.")
        _no_duplicate(path, seen, line, name, row, out)
        line0, meta = out.get(name, (line, Meta()))
        _row_into(meta, row, path, line)
        out[name] = (line0, meta)
    return out


def _row_into(meta: Meta, row: dict, path: Path, line: int) -> None:
    """One row of transcripts.csv into its transcript's metadata (rows of one transcript add up its cases)."""
    if row.get("id"):
        meta.id = row["id"]
    meta.cases += [c for c in _as_list(row.get("cases", "")) + _as_list(row.get("case", "")) if c not in meta.cases]
    if row.get("language"):
        meta.language = _check_choice(row["language"], LANGUAGES, path, line, "language")
    if row.get("kind"):
        meta.kind = _check_choice(row["kind"], KINDS, path, line, "kind")
    if row.get("anonymous"):
        meta.anonymous = _as_anonymous(row["anonymous"], str(path), line)
    labels = row.get("interviewer_labels", "") or row.get("interviewer", "")
    if labels:
        meta.interviewer_labels = _as_list(labels)
    for key in _TEXT_KEYS:  # as in front matter: `respondent` and `place` are redacted for an anonymous one
        if row.get(key):
            _check_shape(key, row[key], path, line)
            meta.extra[key] = row[key]


def _required(column: str, header: list[str], *danish: str) -> str:
    """E109's required column, and the column that is there under another writing of its name ("Case ", "CASE",
    the review sheet's Danish "tilfælde"): it was "column 'case' is missing" beside a column 'Case '."""
    near = next((h for h in header if h and " ".join(h.split()).casefold() in (column, *danish)), None)
    if near is None:
        return f"`{column}` is required"
    return f"`{column}` is required: rename the column '{near}' to `{column}` (small letters, no spaces)"


def read_cases(path: Path, diagnostics: Diagnostics | None = None) -> dict[str, Case]:
    """cases.csv: a ``case`` column and any attribute columns."""
    header, rows = read_csv_rows(path, diagnostics)
    if "case" not in header:
        raise CondenseError("E109", path=display_path(path), line=1, column="case",
                            required=_required("case", header, "tilfælde"))
    cases: dict[str, Case] = {}
    first: dict[str, int] = {}
    folded: dict[str, str] = {}  # a case's name, its capitals made small → the name
    for line, row in rows:
        name = row.get("case", "")
        if not name:
            continue
        if name in first:  # the second line would silently replace the first
            raise CondenseError("E720", path=display_path(path), first=first[name], second=line,
                                detail=f"the case '{name}' is listed twice")
        twin = folded.setdefault(name.casefold(), name)
        if twin != name:  # "Solsikkeparken" and "solsikkeparken": two cases to condense, one to a spreadsheet
            raise CondenseError("E720", path=display_path(path), first=first[twin], second=line,
                                detail=f"the cases '{twin}' and '{name}' differ only in capitals, which a spreadsheet's "
                                       "lookups and pivot tables take for one case (one case: write it alike on both; two: rename one)")
        first[name] = line
        cases[name] = Case(name, {k: v for k, v in row.items() if k != "case"})
        if diagnostics is not None and " ".join(name.casefold().rstrip(":").split()) in _TOTALS:
            values = first_few([f"'{v}'" for k, v in row.items() if k != "case" and v]) or "none"
            diagnostics.warn("W129", path=display_path(path), line=line, case=name, values=values)
    return cases


# what Excel's and LibreOffice's total rows, or a researcher's, say in their first cell
_TOTALS = frozenset({"total", "totalt", "totals", "grand total", "sum", "i alt", "ialt", "samlet", "i alt (n)"})


SINGLE = ("id", "language", "kind", "anonymous", "interviewer_labels", "interviewer")


def _no_duplicate(path, seen: dict, line: int, name: str, row: dict, out: dict) -> None:
    """E720 for a transcripts.csv line that repeats another, or gives one transcript a second id, language,
    kind, anonymity or interviewer (several lines of one transcript may add cases; they may not disagree)."""
    key = tuple(sorted(row.items()))
    if key in seen:
        raise CondenseError("E720", path=display_path(path), first=seen[key], second=line,
                            detail=f"the same line for '{name}' twice")
    seen[key] = line
    for other_key, other_line in seen.items():
        other = dict(other_key)
        if other_line == line or other.get("transcript") != name:
            continue
        for field_name in SINGLE:
            a, b = (other.get(field_name) or "").strip(), (row.get(field_name) or "").strip()
            if a and b and a != b:
                raise CondenseError("E720", path=display_path(path), first=other_line, second=line,
                                    detail=f"two different {field_name} values for '{name}' ('{a}' and '{b}')")
