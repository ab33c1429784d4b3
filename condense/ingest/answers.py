"""Open-ended answers in a table (a survey export, answers gathered in a spreadsheet) read as transcripts.

``condense run answers.csv`` treats each respondent as an interview: one transcript per respondent, the
respondent's answers as their turns and the question an answer replies to as the interviewer's turn before it,
so segmentation, coding, discovery and the tables work on answers exactly as on interviews ("in 12 interviews"
then reads "from 12 respondents").

Two layouts are read (the first row is the header):

- **long** — a column of answer text (``text``, ``answer``, ``response``, ``full_response_text``, ``svar``,
  ``tekst`` …), optionally a respondent column (``participant_id``, ``respondent``, ``informant`` …) that
  joins a respondent's rows into one transcript, and a ``question``/``spørgsmål`` column;
- **wide** — one row per respondent and one column per open question, the header being the question (as
  SurveyXact, Qualtrics and Google Forms export them): a column whose cells are free text (three words or
  more on average) is a question.

Every other column is an attribute of the respondent (age, municipality, group …): the respondents become
cases with those attributes, so the crosstabs compare them. Columns that say who a respondent is (name, e-mail,
phone, address, IP address: ``PERSONAL_HEADERS``) are not read at all (W115), and a second header row under the
questions, as SurveyMonkey writes one, is no respondent (W116). A column of 0/1 marks means the table is coded
already (a code grid): it is not read here (``condense tables`` reads it). Withdrawn passages (``[[withdrawn]]
… [[/withdrawn]]`` inside a cell) leave the cell before anything reads it, and their fingerprints go with the
transcript to the consent audit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CondenseError, Diagnostics, display_path
from .sources import file_id
from .columns import (IDENTIFIER, MARKS, NOT_APPLIED, PERSONAL_HEADERS, QUESTION_HEADERS, RESPONDENT_HEADERS,
                      SUBHEADER_CELLS, SYSTEM_HEADERS, TEXT_HEADERS, clean_cell, fields_of, header_key)
from ..model import INTERVIEWER, RESPONDENT, Case, Transcript, Turn

__all__ = ["ANSWER_SUFFIXES", "AnswerLayout", "answer_layout", "read_answers", "answers_language"]

ANSWER_SUFFIXES = (".csv", ".tsv", ".xlsx")
ASKER, ANSWERER = "Q", "A"  # the speaker labels of an answer table's turns

_CODED_FIELDS = {"code", "theme", "subtheme", "dimension", "excerpt", "coder"}
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass
class AnswerLayout:
    """Which columns of an answer table are what."""

    texts: list[str]  # the answer columns
    respondent: str | None = None
    question: str | None = None
    case: str | None = None
    attributes: list[str] = field(default_factory=list)
    wide: bool = False  # each answer column's header is the question its cells answer
    personal: list[str] = field(default_factory=list)  # columns saying who a respondent is: never read


def _free_text(rows, column: str) -> bool:
    """Cells that read as sentences: three words or more on average, over the non-empty cells."""
    values = [r.get(column, "") for _, r in rows]
    values = [v for v in values if v and v.strip()]
    if not values:
        return False
    return sum(len(_WORD.findall(v)) for v in values) / len(values) >= 3


def _named_columns(header: list[str]) -> tuple[dict[str, str], dict[str, str | None], list[str]] | None:
    """(header → field, the respondent/question/case columns, the answer-text columns) by their headers, or
    None for coded data (a code, theme or excerpt column)."""
    fields = fields_of(header, {})
    if _CODED_FIELDS & set(fields.values()):
        return None
    keys = {h: header_key(h) for h in header if h}

    def first(field_name: str, names: set[str]) -> str | None:
        return next((h for h, f in fields.items() if f == field_name), None) or next(
            (h for h, k in keys.items() if k in names), None)

    roles = {"respondent": first("interview", RESPONDENT_HEADERS), "question": first("", QUESTION_HEADERS), "case": first("case", set())}
    texts = [h for h, f in fields.items() if f == "text"] + [h for h, k in keys.items() if k in TEXT_HEADERS]
    return fields, roles, texts


def answer_layout(header: list[str], rows) -> AnswerLayout | None:
    """The layout of a table of answers, or None when it is something else (coded data, no answer text)."""
    named = _named_columns(header)
    if named is None:
        return None
    fields, roles, texts = named
    taken = {*roles.values(), *texts}
    personal = [h for h in header if h and h not in taken and header_key(h) in PERSONAL_HEADERS]
    rest = [h for h in header if h and h not in taken and h not in personal and not IDENTIFIER.fullmatch(h.strip())
            and fields.get(h) != "unit_id"]
    by_header = bool(texts)
    texts = _answer_columns(rows, [h for h in rest if header_key(h) not in SYSTEM_HEADERS], texts)
    if not texts:
        return None
    # the header is the question where the answers stand in columns of their own (a survey export)
    wide = not roles["question"] and (len(texts) > 1 or not by_header)
    return AnswerLayout(texts, roles["respondent"], None if wide else roles["question"], roles["case"],
                        [h for h in rest if h not in texts], wide, personal)


def _answer_columns(rows, rest: list[str], texts: list[str]) -> list[str]:
    """The columns of answer text (named so, else those of free text), or [] for coded data: 0/1 code columns,
    or code columns holding the passages coded (a wide grid of excerpts; condense tables reads both)."""
    if any(_only_marks(rows, h) for h in rest):
        return []
    texts = texts or [h for h in rest if _free_text(rows, h)]
    if texts and any(_excerpts_of(rows, h, texts) for h in rest if h not in texts):
        return []
    return texts


def _excerpts_of(rows, column: str, texts: list[str]) -> bool:
    """A column whose cells are passages of the row's answer (three or more, four in five of them found in it):
    a code column of a wide grid, which holds the text coded ("the coded text means applied"), not an
    attribute of the respondent (an age or a municipality is not a passage of what they wrote)."""
    cells = [(clean_cell(r.get(column, "")), " ".join(clean_cell(r.get(t, "")) for t in texts)) for _, r in rows]
    cells = [(c.casefold(), a.casefold()) for c, a in cells if len(c) >= 12]
    if len(cells) < 3:
        return False
    inside = sum(1 for c, a in cells if any(part.strip() in a for part in c.split("/") if len(part.strip()) >= 12))
    return inside >= 0.8 * len(cells)


def _only_marks(rows, column: str) -> bool:
    """Every cell a 0/1-like mark (not merely a number: an age column is an attribute, not a code)."""
    values = {clean_cell(r.get(column, "")).casefold() for _, r in rows}
    return values <= (MARKS | NOT_APPLIED) and bool(values - {""})


def answers_language(path: Path) -> str | None:
    """The language (``da``/``en``) of a .csv/.tsv/.xlsx whose columns read as open answers, or None when it
    is no such table (coded data, no answer text). A file that cannot be read as a table gives the reader's
    coded error (it was taken for coded data, E401, which hid what was wrong)."""
    from ..coding import text_language
    from ..io import read_table

    if path.suffix.lower() not in ANSWER_SUFFIXES or not path.is_file():
        return None
    header, rows = _questions_below(path, *read_table(path))
    layout = answer_layout(header, rows)
    if layout is None:
        return None
    return text_language(r.get(c, "") for _, r in rows for c in layout.texts)[0] or "da"


@dataclass
class _Respondent:
    """One respondent's transcript under construction."""

    id: str
    line: int
    turns: list[Turn] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    length: int = 0
    last_question: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    case: str = ""
    withdrawn: object = None  # ingest.withdrawn.Withdrawn: the passages taken out of this respondent's cells

    @property
    def case_id(self) -> str:
        """The table's case column, else the respondent when the table says anything about them, else none."""
        return self.case or (self.id if self.attributes else "")

    def say(self, speaker: str, role: str, text: str, line: int) -> None:
        if self.parts:
            self.length += 2  # the blank line between two turns in the transcript's text
        start = self.length
        self.turns.append(Turn(index=len(self.turns), speaker=speaker, role=role, text=text, start=start,
                               end=start + len(text), line=line, pieces=[(0, start, len(text))]))
        self.parts.append(text)
        self.length += len(text)

    def ask(self, question: str, line: int) -> None:
        if question and question != self.last_question:
            self.say(ASKER, INTERVIEWER, question, line)
        self.last_question = question


def read_answers(path: str | Path, *, language: str | None = None,
                 diagnostics: Diagnostics | None = None) -> tuple[list[Transcript], dict[str, Case], int]:
    """The respondents of an answer table as transcripts (in the order they first appear), the cases their
    attribute columns describe, and the withdrawn passages of respondents left with no answer (counted, as
    every withdrawn passage is). E116 when the table holds no answers."""
    from ..io import read_table

    path = Path(path)
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    header, rows = _questions_below(path, *read_table(path, diagnostics=diagnostics), diagnostics)
    layout = _layout_of(path, header, rows, diagnostics)
    language = language or "da"
    people: dict[str, _Respondent] = {}
    for line, row in _without_subheader(path, rows, layout, diagnostics):
        _read_row(path, line, row, layout, people, language)
    transcripts = [_transcript(path, p, language) for p in people.values() if p.turns]
    unread = _count_withdrawn(path, people.values(), transcripts, diagnostics)
    if not any(t.role == RESPONDENT for tr in transcripts for t in tr.turns):
        raise CondenseError("E116", path=display_path(path), columns=", ".join(h for h in header if h))
    _warn_other_sheets(path, diagnostics)
    return transcripts, _cases(people.values(), layout), unread


def _layout_of(path: Path, header: list, rows: list, diagnostics: Diagnostics) -> AnswerLayout:
    """The table's answer layout; E116 when no column holds answers, W115 naming the personal columns not read."""
    layout = answer_layout(header, rows)
    if layout is None:
        raise CondenseError("E116", path=display_path(path), columns=", ".join(h for h in header if h) or "(none)")
    if layout.personal:
        diagnostics.warn("W115", path=display_path(path), columns=", ".join(f"'{clean_cell(h)}'" for h in layout.personal))
    return layout


def _count_withdrawn(path: Path, people, transcripts: list, diagnostics: Diagnostics) -> int:
    """The withdrawn passages of respondents left with no answer (returned), and W109 for all the table's."""
    unread = sum(p.withdrawn.count for p in people if not p.turns)
    withdrawn = sum(t.withdrawn for t in transcripts) + unread
    if withdrawn:
        diagnostics.warn("W109", path=display_path(path), n=withdrawn)
    return unread


def _questions_below(path: Path, header: list, rows: list, diagnostics: Diagnostics | None = None) -> tuple[list, list]:
    """A Qualtrics export's three header rows read as one: its first row names columns by id (Q1, Q2), the
    second holds the questions' text, the third an ``{"ImportId": …}`` per column. They were read as two
    respondents of their own (the ImportId cells in every table) and the questions shown as "Q1". The
    header becomes the second row's text (the id where it is empty); both rows go (W125)."""
    if len(rows) < 2 or not _import_ids(rows[1][1]):
        return header, rows
    titles = {h: clean_cell(rows[0][1].get(h, "")) or h for h in header if h}
    if len(set(titles.values())) < len(titles):  # two columns of one title: keep the ids, which differ
        titles = {h: h for h in titles}
    if diagnostics is not None:
        diagnostics.warn("W125", path=display_path(path), lines=f"{rows[0][0]}-{rows[1][0]}")
    renamed = [(line, {titles.get(h, h): v for h, v in row.items()}) for line, row in rows[2:]]
    return [titles.get(h, h) for h in header], renamed


def _import_ids(row: dict) -> bool:
    """Most filled cells of a row are Qualtrics' ``{"ImportId":"QID1_TEXT"}``."""
    cells = [c.strip() for c in row.values() if c and c.strip()]
    return len(cells) >= 2 and sum(c.startswith('{"ImportId"') for c in cells) >= 0.8 * len(cells)


def _without_subheader(path: Path, rows: list, layout: AnswerLayout, diagnostics: Diagnostics) -> list:
    """The rows without a second header row under the questions (SurveyMonkey writes "Open-Ended Response" under
    each open question, and no respondent id): read as an answer it made a respondent of its own."""
    if len(rows) < 2:
        return rows
    line, first = rows[0]
    cells = [clean_cell(first.get(h, "")) for h in layout.texts]
    said = [c for c in cells if c]
    if not said or any(len(c.split()) > 3 for c in said):
        return rows
    no_id = bool(layout.respondent) and not clean_cell(first.get(layout.respondent, "")) and all(
        clean_cell(r.get(layout.respondent, "")) for _, r in rows[1:])
    if not (no_id or all(c.casefold() in SUBHEADER_CELLS for c in said)):
        return rows
    diagnostics.warn("W116", path=display_path(path), line=line, cells=", ".join(f"'{c}'" for c in dict.fromkeys(said)))
    return rows[1:]


def _warn_other_sheets(path: Path, diagnostics: Diagnostics) -> None:
    """A workbook's answers are read from its first sheet; rows on the others would be lost without a word."""
    from ..io import sheets_not_read

    if path.suffix.lower() != ".xlsx":
        return
    first, others = sheets_not_read(path)
    if others:
        diagnostics.warn("W113", path=display_path(path), first=clean_cell(first),
                         others=", ".join(f"'{clean_cell(name)}' ({n} rows)" for name, n in others))


def _read_row(path: Path, line: int, row: dict, layout: AnswerLayout, people: dict, language: str) -> None:
    from .withdrawn import Withdrawn, strip_withdrawn

    rid = clean_cell(row.get(layout.respondent, "")) if layout.respondent else ""
    rid = rid or f"{file_id(path)}-{line}"
    person = people.get(rid)
    if person is None:
        person = people[rid] = _Respondent(rid, line, withdrawn=Withdrawn())

    def cell(column: str) -> str:  # withdrawn passages leave the cell before anything reads it
        return clean_cell(strip_withdrawn(row.get(column, ""), path, line, column=column, language=language,
                                          collect=person.withdrawn))

    for column in layout.attributes:
        value = cell(column)
        if value and column not in person.attributes:
            person.attributes[column] = value
    if layout.case:
        person.case = person.case or clean_cell(row.get(layout.case, ""))
    for column in layout.texts:
        answer = cell(column)
        if not answer:
            continue
        if layout.wide:
            person.ask(clean_cell(column), line)
        elif layout.question:
            person.ask(cell(layout.question), line)
        person.say(ANSWERER, RESPONDENT, answer, line)


def _transcript(path: Path, person: _Respondent, language: str) -> Transcript:
    withdrawn = person.withdrawn.count
    case = person.case_id
    return Transcript(
        id=person.id,
        path=str(path),
        text="\n\n".join(person.parts),
        turns=person.turns,
        language=language,
        cases=[case] if case else [],
        speakers={label: role for label, role in ((ASKER, INTERVIEWER), (ANSWERER, RESPONDENT))
                  if any(t.speaker == label for t in person.turns)},
        role_source="table",
        metadata={"table_line": person.line},
        withdrawn=withdrawn,
        withdrawn_fingerprints=person.withdrawn if withdrawn else None,
    )


def _cases(people, layout: AnswerLayout) -> dict[str, Case]:
    """A case per respondent (or per value of the table's case column) with the attribute columns' values."""
    cases: dict[str, Case] = {}
    for person in people:
        if not person.turns or not person.case_id:
            continue
        known = cases.setdefault(person.case_id, Case(person.case_id))
        for column, value in person.attributes.items():
            known.attributes.setdefault(column, value)
    return cases
