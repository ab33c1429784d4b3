"""The one file layer: every text and table condense reads, every file it writes.

Reading
    :func:`decode` turns bytes into text the same way for every input (UTF-8, UTF-8 with BOM, UTF-16 with
    BOM, else Windows-1252 with warning W101); :func:`read_text` and :func:`read_table` build on it.
Writing
    One writer per format (:func:`write_csv`, :func:`write_xlsx`, :func:`write_yaml`, :func:`write_markdown`,
    :func:`write_json`); each renders bytes and hands them to :func:`write_file`, the single place a file
    is put on disk. A run's folder is written through :func:`output_folder` (all or nothing).

Everything is deterministic: two runs on the same inputs give byte-identical files (the xlsx too: its zip
entries and document properties carry fixed dates).
"""
from __future__ import annotations

import codecs
import contextlib
import io as _io
import math
import os
import re
import warnings
from collections import namedtuple
from pathlib import Path

from .errors import CondenseError, Diagnostics, display_path, file_error

__all__ = [
    "CSV_ENCODING", "FIXED_DATE", "decode", "controls_to_spaces", "read_bytes", "read_text", "read_table", "read_frame",
    "write_file", "zip_bytes", "write_csv", "write_xlsx", "xlsx_parts", "xlsx_bytes", "save_xlsx", "save_workbook", "write_yaml", "write_markdown", "write_json",
    "markdown_table", "markdown_text", "markdown_code", "cell_value", "normalise_zip", "output_folder", "OutputFolder", "sheets_not_read",
]

CSV_ENCODING = "utf-8-sig"  # a BOM, so Excel shows æ, ø and å
FIXED_DATE = (2000, 1, 1, 0, 0, 0)
TABLE_SUFFIXES = (".csv", ".xlsx")


# ---------------------------------------------------------------- reading
def decode(data: bytes, path: str | Path, diagnostics: Diagnostics | None = None, *, allow_empty: bool = False) -> tuple[str, str]:
    """Bytes → (text, encoding). UTF-8 (with or without BOM), UTF-16 or UTF-32 with BOM, else Mac OS Roman with W128
    where its letters say so (:func:`_mac_roman`), else Windows-1252 with W101.

    An empty file is E103 unless ``allow_empty``; binary data is E104; bytes that are neither UTF-8 nor
    Windows-1252 (nor Mac OS Roman) are E105 (with the line), never silently replaced.
    """
    path = Path(path)
    if not data.strip():
        if allow_empty:
            return "", "utf-8"
        raise CondenseError("E103", path=display_path(path))
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # UTF-32's marks (FF FE 00 00 begins as UTF-16's)
        return controls_to_spaces(_strict(data, "utf-32", path), path, diagnostics), "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return controls_to_spaces(_strict(data, "utf-16", path), path, diagnostics), "utf-16"
    from .limits import looks_utf16_without_bom, not_text, office_problem

    if looks_utf16_without_bom(data):
        raise CondenseError("E717", path=display_path(path))
    office_problem(data, path)
    not_text(data, path)  # a PDF, a .doc or a zip under a text name: said what it is (E721)
    head = data[:8192]
    nuls = head.count(b"\x00")
    try:
        text, first_bad = data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text, first_bad = None, exc.start
    # binary data, unless a few stray NULs in valid UTF-8 text (a crashed editor's, a bad copy): those become
    # spaces like every control character (W701 with their line)
    if nuls and (text is None or nuls > max(2, len(head) // 100)):
        raise CondenseError("E104", path=display_path(path))
    if text is not None:
        return controls_to_spaces(text, path, diagnostics), "utf-8"
    mixed = _mixed(data, path)
    if mixed is not None:
        if diagnostics is not None:
            diagnostics.warn("W121", path=display_path(path), line=data[:first_bad].count(b"\n") + 1)
        return controls_to_spaces(mixed, path, diagnostics), "utf-8+cp1252"
    text, encoding = _eight_bit(data, path)
    if sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f") > 5:
        raise CondenseError("E104", path=display_path(path))
    if diagnostics is not None:
        diagnostics.warn(_GUESSED[encoding], path=display_path(path))
    return controls_to_spaces(text, path, diagnostics), encoding


_GUESSED = {"cp1252": "W101", "mac_roman": "W128"}  # the warning of each encoding guessed for a file


def _eight_bit(data: bytes, path: Path) -> tuple[str, str]:
    """A file that is no UTF-8 as Mac OS Roman where its letters say so (:func:`_mac_roman`), else as
    Windows-1252 (E105 for bytes that are none)."""
    mac = _mac_roman(data)
    return (_strict(data, "cp1252", path), "cp1252") if mac is None else (mac, "mac_roman")


# What the bytes above 127 of a Danish, Norwegian, Swedish, German, French or English text stand for: letters
# with their marks, typographic quotes and dashes, and a few signs. Read with the wrong one of two 8-bit
# encodings, the same bytes come out as other signs ("gŒrden", "b¿rn", "¾bler" for Mac OS Roman's
# "gården", "børn", "æbler"; "Ê", "¯", "Â" for Windows-1252's æ, ø, å read as Mac OS Roman).
_WESTERN = frozenset("æøåÆØÅäöüÄÖÜßéèêëáàâäíìîïóòôúùûçñÉÈÊÁÀÍÓÚÇÑ’‘“”„–—…«»°§£€½·")


def _mac_roman(data: bytes) -> str | None:
    """``data`` read as Mac OS Roman (TextEdit's and Excel for Mac's "CSV (Macintosh)" encoding) when its
    bytes above 127 make Western letters that way, in words, and other signs as Windows-1252 (or are no
    Windows-1252 at all: Mac OS Roman's "Å" is 0x81); else None. Windows-1252 read as Mac OS Roman makes
    "Ê" of every "æ", so a Windows-1252 file is not taken for one."""
    high = data.translate(None, bytes(range(128)))
    as_mac = high.decode("mac_roman")
    odd_mac = sum(ch not in _WESTERN for ch in as_mac)
    try:
        odd_win = sum(ch not in _WESTERN for ch in high.decode("cp1252"))
    except UnicodeDecodeError:
        odd_win = len(high)
    if odd_win >= 2 and odd_mac * 4 < odd_win and len(_IN_WORD.findall(data)) >= 2:
        return data.decode("mac_roman")
    return None


# a byte above 127 beside a letter: in a word ("g\x8crden"), not bytes of no text that decode to letters anyway
_IN_WORD = re.compile(rb"(?<=[A-Za-z])[\x80-\xff]|[\x80-\xff](?=[A-Za-z])")


# Characters XML 1.0 (and so every .xlsx) cannot hold: Word's manual line break (vertical tab), a page break
# (form feed), NUL and the other C0 controls except tab, line feed and carriage return.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def controls_to_spaces(text: str, path: Path, diagnostics: Diagnostics | None) -> str:
    """Replace XML-forbidden characters by spaces (offsets and line numbers stay as they were), with W701
    naming the first line that had one. Every decoded text file, and a reader that decodes its format itself
    (.rtf, whose ``\\'00`` and ``\\u1?`` write characters no output can hold)."""
    m = XML_FORBIDDEN.search(text)
    if m is None:
        return text
    found = XML_FORBIDDEN.findall(text)
    if diagnostics is not None:
        kinds = sorted({f"U+{ord(ch):04X}" for ch in found})
        diagnostics.warn("W701", path=display_path(path), line=text.count("\n", 0, m.start()) + 1, n=len(found),
                         chars=", ".join(kinds[:5]))
    return XML_FORBIDDEN.sub(" ", text)


# a Latin letter written as UTF-8 (Ã¦ Ã¸ Ã¥ Ã© …): in a file that is not UTF-8 as a whole, the mark of a UTF-8
# file a spreadsheet program opened as Windows-1252 and saved with new text typed in (a note with "ø")
_UTF8_LATIN = re.compile(rb"[\xc3\xc4\xc5][\x80-\xbf]")


def _mixed(data: bytes, path: Path) -> str | None:
    """A file of UTF-8 with some Windows-1252 bytes in it, each read as what it is; None when the file holds no
    UTF-8 letter (a Windows-1252 file: read whole as such).
    Read whole as Windows-1252, the UTF-8 part became "Ã¸" for "ø", so a decision's unit id with an "ø" no
    longer matched its unit. One pass: the codec hands each byte that is no UTF-8 to :func:`_as_cp1252`."""
    if not _UTF8_LATIN.search(data):
        return None
    try:
        return codecs.decode(data, "utf-8", errors=_CP1252_HANDLER)
    except UnicodeDecodeError as exc:  # (0x81, 0x8d, 0x8f, 0x90, 0x9d are no Windows-1252 character either)
        raise CondenseError("E105", path=display_path(path), offset=exc.start,
                            line=data[:exc.start].count(b"\n") + 1) from exc


def _as_cp1252(exc: UnicodeError):
    """The codec's error handler: bytes that are no UTF-8, read as Windows-1252 (the error, at their own
    offset, when they are no Windows-1252 either)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    try:
        return bad.decode("cp1252"), exc.end
    except UnicodeDecodeError as inner:
        raise UnicodeDecodeError("cp1252", exc.object, exc.start + inner.start, exc.start + inner.end,
                                 inner.reason) from None


_CP1252_HANDLER = "condense-cp1252"
codecs.register_error(_CP1252_HANDLER, _as_cp1252)


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CondenseError("E105", path=display_path(path), offset=exc.start, line=line) from exc


def _read_bytes(path: Path) -> bytes:
    from .limits import check_regular

    check_regular(path)  # a FIFO would hang, a device never end (E716)
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise CondenseError("E101", path=display_path(path)) from exc
    except OSError as exc:  # permission denied, a failing disk: E727 with the fix for it (E503's is for content)
        raise (file_error(exc) or CondenseError("E503", path=display_path(path), detail=exc.strerror or str(exc))) from exc


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes (archives, hashes): E716 for a FIFO or device, E101 when missing, E503 when unreadable."""
    return _read_bytes(Path(path))


def read_text(path: str | Path, diagnostics: Diagnostics | None = None, *, allow_empty: bool = True) -> str:
    """A text file (YAML, markdown, csv) through :func:`decode`; E101 when it does not exist."""
    path = Path(path)
    return decode(_read_bytes(path), path, diagnostics, allow_empty=allow_empty)[0]


def read_table(path: str | Path, *, required: tuple[str, ...] = (),
               diagnostics: Diagnostics | None = None) -> tuple[list[str], list[tuple[int, dict]]]:
    """A .csv or .xlsx table as (header, [(line, row dict)]); cells are stripped strings, empty rows skipped.

    CSV: any encoding :func:`decode` reads; comma, semicolon or tab separated. E503 when the file cannot
    be read, E504 when a ``required`` column is missing.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        header, rows = _xlsx_rows(path, diagnostics)
    else:
        header, rows = _csv_rows(path, diagnostics)
    _no_twice_named(path, header)
    _warn_unnamed_cells(path, rows, diagnostics)
    for column in required:
        if column not in header:
            raise missing_column(path, header, column, ", ".join(required))
    return header, rows


_TRANSCRIPT_SUFFIXES = (".txt", ".md", ".markdown", ".vtt", ".srt", ".rtf")
# a speaker's turn ("I: Hvordan …", "Interviewer (Anne): …"), a subtitle file's first line, cue number, timing or voice
# tag, front matter
_TRANSCRIPT_LINE = re.compile(r"(?:WEBVTT\b|---\s*$|\d+\s*$|\d[\d:.,]*\s*-->|<v[\s.]|\[?[^\W\d][\w .'()\]-]{0,40}:\s)")


def missing_column(path: Path, header: list[str], column: str, required: str) -> CondenseError:
    """The error for a table without a column it needs: E520 when the file is not a table of this kind at all (a
    transcript, a codebook, the project file, cases.csv or transcripts.csv: `condense agree interview.txt` said
    "no column 'unit_id'" and that the file needs one, as if the interview were a table missing a column), else
    E504."""
    other = what_else(path, header)
    if other is None:
        return CondenseError("E504", path=display_path(path), column=column, required=required)
    return CondenseError("E520", path=display_path(path), what=other.what, required=required, fix=other.fix)


# columns of coded data (condense's and other programs' exports): a table holding one is no cases table
_CODED_COLUMNS = frozenset({"unit_id", "unit", "dimension", "theme", "code", "codes", "text", "excerpt", "segment",
                            "quote", "coded text", "coder", "transcript"})


# What :func:`what_else` found a file to be: ``kind`` (one of :data:`STUDY_TABLES`, "transcript", "codebook",
# "project", "yaml") for the callers, ``what`` and ``fix`` for the message (collections' namedtuple: typing's
# NamedTuple would import typing at start-up)
OtherFile = namedtuple("OtherFile", "kind what fix")


STUDY_TABLES = ("cases", "transcripts")  # a study's own tables, beside its interviews


def what_else(path: Path, header: list[str]) -> OtherFile | None:
    """What a file is that is no table of codings or decisions (and where it goes instead), or None."""
    names = {h.strip().casefold() for h in header if h}
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _what_yaml(path)
    if "case" in names and not names & _CODED_COLUMNS:
        return OtherFile("cases", "the cases table (one row per case)", "It belongs in the transcripts folder beside "
                         "the interviews (cases.csv); give the table of codings or decisions here.")
    if {"transcript", "kind"} <= names or {"transcript", "language"} <= names or {"transcript", "cases"} <= names:
        return OtherFile("transcripts", "the transcripts table (one row per transcript)", "It belongs in the "
                         "transcripts folder beside the interviews (transcripts.csv); give the table of codings or "
                         "decisions here.")
    if suffix in _TRANSCRIPT_SUFFIXES and _reads_as_transcript(path):
        return OtherFile("transcript", "a transcript", "Transcripts are read from their folder by `condense run "
                         "FOLDER` (or the project's `transcripts:`); give the table of codings or decisions here (a "
                         "run's codings.csv or decisions.csv).")
    return None


def yaml_kind(data) -> str | None:
    """"codebook" or "project" for a YAML document by its keys (``dimensions:``; ``transcripts:`` or
    ``codebook:``), else None: the one answer for a codebook reader given a project file and a table reader given
    either."""
    keys = set(map(str, data)) if isinstance(data, dict) else set()
    if "dimensions" in keys:
        return "codebook"
    if {"transcripts", "codebook"} & keys:
        return "project"
    return None


def _what_yaml(path: Path) -> OtherFile:
    from .limits import safe_load

    try:
        data = safe_load(decode(_read_bytes(path), path, None)[0])
    except Exception:  # noqa: BLE001 - not even YAML: a YAML-named file all the same
        data = None
    kind = yaml_kind(data)
    if kind == "codebook":
        return OtherFile(kind, "a codebook", "A codebook is given as `codebook:` in condense.yaml or `--codebook "
                         "FILE`; give the table of codings or decisions here.")
    if kind == "project":
        return OtherFile(kind, "a project file", f"Run it with `condense run {display_path(path)}`, or give it as "
                         "`--project`; give the table of codings or decisions here.")
    return OtherFile("yaml", "a YAML file", "Give the table of codings or decisions here (.csv or .xlsx).")


def _reads_as_transcript(path: Path) -> bool:
    """Whether the first lines of a text file read as an interview: speakers' turns, subtitles or front matter."""
    try:
        head = _read_bytes(path)[:8192]
        text = decode(head[:head.rfind(b"\n") + 1] or head, path, None)[0]
    except CondenseError:
        return False
    lines = [x.strip() for x in text.splitlines() if x.strip()][:30]
    return bool(lines) and sum(bool(_TRANSCRIPT_LINE.match(x)) for x in lines) >= min(2, len(lines))


_UNNAMED = "\x00unnamed"  # the key under which a row keeps the column of its first text no header names


def _warn_unnamed_cells(path: Path, rows: list[tuple[int, dict]], diagnostics: Diagnostics | None) -> None:
    """W114 for text in cells no header names (beyond the last named column, or under an empty header): a row
    is read by column name, so that text is not read (an answer cut at an unquoted comma loses its end)."""
    hit = [(line, row[_UNNAMED]) for line, row in rows if row.get(_UNNAMED)]
    for _, row in rows:
        row.pop(_UNNAMED, None)
    if hit and diagnostics is not None:  # where, not what: the text may hold half of a withdrawn passage cut at a comma
        diagnostics.warn("W114", path=display_path(path), line=hit[0][0], n=len(hit), column=hit[0][1])


def _no_twice_named(path: Path, header: list[str]) -> None:
    """E508 for two columns of one name: a row is read by column name, so one of them would be lost unseen."""
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if name and name in seen:
            raise CondenseError("E508", path=display_path(path), column=name, first=seen[name], second=i)
        seen.setdefault(name, i)


# "sep=;" alone on the first line: Excel writes and reads it to know a CSV's separator whatever the locale's
_SEP_LINE = re.compile(r"sep=([,;\t|])\r?", re.I)
_BARE_CR = re.compile(r"\r(?!\n)")


def _not_a_text_table(data: bytes, path: Path) -> None:
    """E721 for a table that is a document or a workbook condense does not read: a review sheet saved by LibreOffice
    in its own format (.ods), an Excel 97-2003 workbook (.xls), a PDF. Read as text, each was E104, "a binary file,
    not a transcript", telling to export a transcript, for a review sheet or a cases table."""
    from .limits import office_kind, office_problem

    office_problem(data, path)  # a workbook under a .csv name, a password-protected one: their own messages
    kind = office_kind(data)
    if kind is None:
        return
    name, ending = kind
    fix = ("Rename it to end in .xlsx, and give that file." if ending == ".xlsx" else
           "A PDF's tables are not read: export the table as .xlsx or .csv from the program that made the PDF."
           if ending == ".pdf" else
           "Open it and save it as an Excel workbook (.xlsx) or as CSV (.csv): in LibreOffice, File > Save As, "
           "file type Excel 2007-365 or Text CSV; then give that file.")
    raise CondenseError("E721", path=display_path(path), detail=f"this is {name} ({ending}); condense reads a "
                        "table from a .csv or .xlsx file", fix=fix)


def _csv_rows(path: Path, diagnostics: Diagnostics | None) -> tuple[list[str], list[tuple[int, dict]]]:
    import csv

    data = _read_bytes(path)
    _not_a_text_table(data, path)
    text, _ = decode(data, path, diagnostics, allow_empty=True)
    sample = text[:2048]
    first = sample.split("\n", 1)[0]
    delimiter = ";" if sample.count(";") > sample.count(",") and "\t" not in sample else ("\t" if "\t" in first else ",")
    start = 1
    told = _SEP_LINE.fullmatch(first)
    if told:  # Excel's own first line naming the separator: it is no header; the rows keep their line numbers
        delimiter, text, start = told.group(1), text[len(first) + 1:], 2
    from .limits import limit

    most = limit("CONDENSE_MAX_CSV_FIELD")
    previous = csv.field_size_limit(most)
    # Excel for Mac's "CSV (Macintosh)" ends its lines with a CR alone, which the csv module refuses (E503)
    reader = csv.reader(_io.StringIO(text, newline=None if _BARE_CR.search(text) else "\n"), delimiter=delimiter)
    rows, lines = [], []
    try:
        first_line = start
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + first_line
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise CondenseError("E715", path=display_path(path), line=start, limit=most) from exc
        raise CondenseError("E503", path=display_path(path), detail=f"line {start}: {exc}") from exc
    finally:
        csv.field_size_limit(previous)
    if not rows:
        return [], []
    _closed_at_the_end(path, text, rows[-1], lines[-1])
    header = [unescape_cell(h.strip()) for h in rows[0]]
    out = []
    for line, row in zip(lines[1:], rows[1:]):
        if not any(c.strip() for c in row):
            continue
        values = {h: (unescape_cell(row[j].strip()) if j < len(row) else "") for j, h in enumerate(header) if h}
        _keep_unnamed(values, header, row)
        out.append((line, values))
    return header, out


def _closed_at_the_end(path: Path, text: str, last: list[str], line: int) -> None:
    """E403 for a quote that opens a row's last cell and is never closed (a note typed as `"hun sagde ja`): the
    csv module reads the rest of the file into that cell, so every row below it was lost without a word (a
    decisions.csv read 1 decision of 3). A quoted last cell that is closed leaves a quote at the file's end."""
    if last and "\n" in last[-1] and not text.rstrip().endswith('"'):
        raise CondenseError("E403", path=display_path(path), line=line,
                            detail=f"a quote opens the cell in column {len(last)} and is never closed, so that "
                                   f"cell takes in the {last[-1].rstrip().count(chr(10))} line(s) below it, rows of "
                                   "their own",
                            fix="Close the quote where the cell ends (or delete it), and run again.")


def _keep_unnamed(values: dict, header: list[str], row) -> None:
    """The column number of a row's first cell with text that no header names, kept aside for
    :func:`_warn_unnamed_cells`."""
    for j, cell in enumerate(row):
        if (j >= len(header) or not header[j]) and cell is not None and str(cell).strip():
            values[_UNNAMED] = j + 1
            return


@contextlib.contextmanager
def workbook_reading():
    """A context in which openpyxl reads a workbook without printing its warnings: "Unknown extension is not
    supported and will be removed", "Data Validation extension …", "Workbook contains no default style" say
    what openpyxl would drop when it saved the file, and condense never saves a workbook it reads. A
    read-only workbook parses its sheets while its rows are read, so read the rows inside it too."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
        yield


def data_sheet(wb):
    """The sheet a table is read from: the first one the user can see. A hidden sheet (drop-down lists, an old
    version kept out of sight) opening the workbook was read instead of the table the user saw (E611)."""
    return next((ws for ws in wb.worksheets if ws.sheet_state == "visible"), wb.worksheets[0])


_MERGE_REF = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _fill_merged(rows: list[tuple], sheet_xml: bytes) -> list[tuple]:
    """Rows with a cell merged down a column (one document name beside all its segments) holding its value in
    every row it spans, as the spreadsheet shows it: read as stored, only the top row had it, and the rows
    below went to an interview named after the file. Merges across columns stay as stored: their value
    belongs to the first column only."""
    rows = [list(r) for r in rows]
    for a, top, b, bottom in _MERGE_REF.findall(sheet_xml):
        col = _column_number(a) - 1
        if a != b or col < 0:
            continue
        top, bottom = int(top) - 1, min(int(bottom), len(rows)) - 1
        value = rows[top][col] if top < len(rows) and col < len(rows[top]) else None
        for r in range(top + 1, bottom + 1):
            if col < len(rows[r]) and rows[r][col] is None:
                rows[r][col] = value
    return [tuple(r) for r in rows]


def _sheet_values(data: bytes, path: Path, *, data_only: bool) -> list[tuple]:
    """The first visible worksheet's rows of values (``data_only``: a formula's saved value, else its text),
    cells merged down a column filled."""
    import openpyxl
    import zipfile

    try:
        with workbook_reading():
            wb = openpyxl.load_workbook(_io.BytesIO(data), read_only=True, data_only=data_only)
            ws = data_sheet(wb)
            rows = list(ws.iter_rows(values_only=True))
            part = getattr(ws, "_worksheet_path", "")
        wb.close()
        if part:
            with zipfile.ZipFile(_io.BytesIO(data)) as z:
                xml = z.read(part) if part in z.namelist() else b""
            if b"<mergeCell " in xml:
                rows = _fill_merged(rows, xml)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise CondenseError("E503", path=display_path(path), detail=str(exc)) from exc
    return rows


def sheets_not_read(path: str | Path) -> tuple[str, list[tuple[str, int]]]:
    """The name of the sheet :func:`read_table` reads (the first visible one), and every other sheet that
    holds a value, with its count of rows holding one."""
    import openpyxl

    try:
        with workbook_reading():
            wb = openpyxl.load_workbook(_io.BytesIO(_read_bytes(Path(path))), read_only=True)
            others, read = [], data_sheet(wb) if wb.worksheets else None
            for sheet in (ws for ws in wb.worksheets if ws is not read):
                n = sum(1 for row in sheet.iter_rows(values_only=True) if any(v not in (None, "") for v in row))
                if n:
                    others.append((sheet.title, n))
    except CondenseError:
        raise
    except Exception as exc:  # openpyxl raises many types for broken files
        raise CondenseError("E503", path=display_path(path), detail=str(exc)) from exc
    first = read.title if read is not None else ""
    wb.close()
    return first, others


def _has_formulas(data: bytes) -> bool:
    """Any worksheet of the workbook holds a formula cell (``<f>`` in its XML)."""
    import zipfile

    with zipfile.ZipFile(_io.BytesIO(data)) as z:
        return any(b"<f" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def _formulas_kept(values: list[tuple], formulas: list[tuple], path: Path, diagnostics: Diagnostics | None) -> list[tuple]:
    """Cells whose formula has no saved value (a workbook written by a program, or text typed after ``=``
    that a spreadsheet took for a formula) read as the formula's text, with W112: read as empty, a
    respondent's answer or a case's attribute was lost without a word."""
    out, first = [], None
    for i, (row, texts) in enumerate(zip(values, formulas), start=1):
        kept = tuple(t if v is None and isinstance(t, str) and t.startswith("=") else v
                     for v, t in zip(row, texts)) + row[len(texts):]
        if kept != row and first is None:
            first = i
        out.append(kept)
    if first is not None and diagnostics is not None:
        diagnostics.warn("W112", path=display_path(path), line=first)
    return out


def _text_as_workbook(data: bytes, path: Path) -> None:
    """E503 saying so for a table of text under a .xlsx name (a CSV renamed, or saved by a program that wrote the
    ending it was asked for): openpyxl's "File is not a zip file" said nothing of what to do."""
    head = data[:4096]
    if head.startswith(b"PK") or b"\x00" in head or not any(sep in head for sep in (b",", b";", b"\t")):
        return
    raise CondenseError("E503", path=display_path(path), detail="it holds text separated by commas, semicolons or "
                        "tabs (a CSV table?) under a .xlsx name, not a workbook; rename it to end in .csv")


def _xlsx_rows(path: Path, diagnostics: Diagnostics | None = None) -> tuple[list[str], list[tuple[int, dict]]]:
    if not path.exists():
        raise CondenseError("E101", path=display_path(path))
    from .limits import check_zip, office_problem

    data = _read_bytes(path)
    office_problem(data, path)  # a password-protected workbook is an OLE file, not a zip (E718)
    _text_as_workbook(data, path)
    check_zip(data, path)  # no part may inflate past CONDENSE_MAX_INFLATED_BYTES (E712)
    rows = _sheet_values(data, path, data_only=True)
    if rows and _has_formulas(data):
        rows = _formulas_kept(rows, _sheet_values(data, path, data_only=False), path, diagnostics)
    if not rows:
        return [], []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    out = []
    for i, row in enumerate(rows[1:], start=2):
        values = {h: ("" if v is None else _cell_text(v)) for h, v in zip(header, row) if h}
        if any(values.values()):
            _keep_unnamed(values, header, row)
            out.append((i, values))
    return header, out


class NumberCell(str):
    """The text of a workbook cell that held a number, not text: a reader may need to know that a spreadsheet
    turned what condense wrote as text (a fingerprint of digits alone) into a number, losing digits past 15."""


def _cell_text(value) -> str:
    """A workbook cell's value as the researcher sees it: a date typed in a cell (openpyxl gives a datetime at
    midnight) as ``2024-03-01``, not ``2024-03-01 00:00:00``; a time as ``01:03:01``; a number as a
    :class:`NumberCell`; text as condense wrote it (:func:`unescape_cell`)."""
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = unescape_cell(str(value).strip())
    return NumberCell(text) if isinstance(value, (int, float)) and not isinstance(value, bool) else text


def read_frame(path: str | Path, *, required: tuple[str, ...] = (), diagnostics: Diagnostics | None = None):
    """:func:`read_table` as a DataFrame of strings (columns in file order)."""
    import pandas as pd

    header, rows = read_table(path, required=required, diagnostics=diagnostics)
    return pd.DataFrame([r for _, r in rows], columns=header)


# ---------------------------------------------------------------- writing
def write_file(path: str | Path, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Put one file on disk: the single entry point every writer goes through.

    The bytes go to a temporary file beside the target (created with the umask's permissions), which then
    replaces it, so a reader never sees a half-written file; an interrupted write leaves no temporary file.
    Whether ``path`` may be written at all is the caller's question (:mod:`condense.safety`).
    """
    from .safety import write_bytes

    if isinstance(data, str):
        data = data.encode(encoding)
    return write_bytes(path, data)


# ---------------------------------------------------------------- spreadsheet safety (OWASP CSV injection)
# A cell whose text starts with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def escape_cell(value):
    """A CSV cell as condense writes it: text that a spreadsheet would run as a formula gets a leading ``'``.

    ``=cmd|...``, ``+A1``, ``-2+3``, ``@SUM(...)`` and text starting with a tab or CR are prefixed; plain
    numbers (``-12``, ``+3.5``) and one-character cells are not formulas and stay as they are. A cell that
    already starts with ``'`` and then such a character gets one more ``'``, so :func:`unescape_cell`
    gives back exactly what was written."""
    if not isinstance(value, str) or len(value) < 2:
        return value
    if value[0] in FORMULA_START and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    if value[0] == "'" and value[1] in FORMULA_START:
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """Undo :func:`escape_cell` when condense reads a table back (decisions, review sheets, codings)."""
    if len(value) > 1 and value[0] == "'" and (value[1] in FORMULA_START or value[1] == "'"):
        return value[1:]
    return value


def csv_text(columns: list[str], rows) -> str:
    """Rows (dicts) as CSV text in ``columns``' order, LF line ends, every cell as :func:`escape_cell` writes it:
    the small tables condense writes without a DataFrame (an imported study's tables, name candidates)."""
    import csv

    buf = _io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([escape_cell(c) for c in columns])
    for r in rows:
        w.writerow([escape_cell(r.get(c, "")) for c in columns])
    return buf.getvalue()


def write_csv(df, path: str | Path, *, bom: bool = True) -> Path:
    """Deterministic CSV: the frame's column order, LF line ends, no index, UTF-8 (with a BOM by default).

    Text cells a spreadsheet would run as formulas are written with a leading ``'`` (:func:`escape_cell`)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    escaped = {}
    for j, c in enumerate(df.columns):
        if is_object_dtype(df.dtypes.iloc[j]) or is_string_dtype(df.dtypes.iloc[j]):
            column = _escaped_column(df.iloc[:, j])
            if column is not None:
                escaped[j] = column
    names = [escape_cell(c) for c in df.columns]  # a crosstab's columns are attribute values
    if escaped or names != list(df.columns):
        df = df.copy()
        for j, column in escaped.items():
            df.isetitem(j, column)
        df.columns = names
    text = df.to_csv(index=False, lineterminator="\n")
    return write_file(path, text, encoding=CSV_ENCODING if bom else "utf-8")


_ESCAPE_FIRST = frozenset(FORMULA_START) | {"'"}  # a text cell escape_cell may change starts with one of these


def _escaped_column(column):
    """``column.map(escape_cell)``, worked out only for the few cells it changes (None when it changes none):
    one test of the first character per cell instead of a function call."""
    values = column.tolist()
    first = _ESCAPE_FIRST
    hits = [i for i, v in enumerate(values) if isinstance(v, str) and v[:1] in first]
    changed = [(i, escape_cell(values[i])) for i in hits]
    changed = [(i, v) for i, v in changed if v != values[i]]
    if not changed:
        return None
    for i, v in changed:
        values[i] = v
    return column.__class__(values, index=column.index, name=column.name, dtype=object)  # as map() gives it


def cell_value(value):
    """A DataFrame value as openpyxl wants it: NaN/None empty, numpy scalars as Python numbers."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, str) and XML_FORBIDDEN.search(value):
        value = XML_FORBIDDEN.sub(" ", value)  # openpyxl would refuse the whole workbook (IllegalCharacterError)
    return value


EXCEL_MAX_ROWS = 1_048_576  # rows in one worksheet, the header included


def _sheet_parts(sheets: dict, diagnostics: Diagnostics | None):
    """(title, frame) per worksheet: titles cut to 31 characters and unique; a frame longer than a worksheet
    holds is split over several sheets (W950), never cut."""
    used: set[str] = set()

    def title_for(name: str) -> str:
        title, k = name[:31], 2
        while title in used:
            title = f"{name[:28]}_{k}"
            k += 1
        used.add(title)
        return title

    for name, df in sheets.items():
        per = EXCEL_MAX_ROWS - 1
        if len(df) <= per:
            yield title_for(name), df
            continue
        parts = -(-len(df) // per)
        if diagnostics is not None:
            diagnostics.warn("W950", sheet=name, rows=len(df), parts=parts)
        for k in range(parts):
            yield title_for(name if k == 0 else f"{name} ({k + 1})"), df.iloc[k * per:(k + 1) * per]


def write_xlsx(sheets: dict, path: str | Path, *, diagnostics: Diagnostics | None = None) -> Path:
    """One sheet per table: readable column widths, frozen bold header row, wrapped long text.

    The rows are rendered straight into worksheet XML (:mod:`condense.xlsx_rows`: the bytes openpyxl's
    write-only mode writes, several times faster) and stream into the zip; openpyxl writes the rest, and the
    whole workbook when a value is of a kind the row writer does not render. Text that starts with ``=`` is
    stored as text, never as a formula.
    """
    parts = xlsx_parts(sheets, diagnostics)
    return save_xlsx(parts, path, xlsx_bytes(parts))


def xlsx_parts(sheets: dict, diagnostics: Diagnostics | None = None) -> list:
    """(title, frame) per worksheet, as :func:`write_xlsx` writes them (W950 for a frame split in parts)."""
    return list(_sheet_parts(sheets, diagnostics))


def xlsx_bytes(parts: list, check=None) -> bytes | None:
    """The workbook of :func:`xlsx_parts` as bytes (None when a value is of a kind only openpyxl renders);
    ``check``: see xlsx_rows.write_workbook."""
    from .xlsx_rows import Unsupported, write_workbook

    try:
        return write_workbook(parts, check)
    except Unsupported:
        return None


def save_xlsx(parts: list, path: str | Path, data: bytes | None) -> Path:
    """Put the workbook of :func:`xlsx_bytes` on disk (written with openpyxl when ``data`` is None)."""
    return write_file(path, data) if data is not None else _write_xlsx_openpyxl(parts, path)


def column_layout(df) -> tuple[list[float], set[int]]:
    """Column widths (from the header and the first 200 values) and the columns whose text wraps."""
    widths, wrapped = [], set()
    head = df.iloc[:200]
    for j, col in enumerate(df.columns):
        longest = max([len(str(col))] + [len(str(v)) for v in head.iloc[:, j].tolist()])
        widths.append(min(max(10, longest + 2), 60))
        if longest > 60:
            wrapped.add(j)
    return widths, wrapped


def start_sheet(wb, title: str, df, bold) -> tuple[object, set[int]]:
    """A write-only sheet with its column widths, frozen bold header row (a crosstab's columns are attribute
    values: text) and the columns whose text wraps."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    widths, wrapped = column_layout(df)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    header = []
    for col in df.columns:
        cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", str(col)))
        cell.data_type = "s"  # text, never a formula
        cell.font = bold
        header.append(cell)
    ws.append(header)
    return ws, wrapped


def _write_xlsx_openpyxl(parts: list, path: str | Path) -> Path:
    """The workbook written cell by cell with openpyxl's write-only mode (rows stream to the file)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for title, df in parts:
        ws, wrapped = start_sheet(wb, title, df, bold)
        for row in df.itertuples(index=False, name=None):
            values = []
            for j, v in enumerate(row):
                v = cell_value(v)
                if isinstance(v, str):
                    v = ILLEGAL_CHARACTERS_RE.sub("", v)
                    if j in wrapped or v[:1] == "=":
                        cell = WriteOnlyCell(ws, value=v)
                        cell.data_type = "s"  # text, never a formula
                        if j in wrapped:
                            cell.alignment = wrap
                        v = cell
                values.append(v)
            ws.append(values)
    return save_workbook(wb, path)


def text_cells(wb) -> int:
    """Make every cell openpyxl took for a formula (text starting with ``=``) a text cell: condense writes
    data, never formulas, so transcript text like ``=HYPERLINK(...)`` is shown, not run. Returns how many."""
    n = 0
    if getattr(wb, "write_only", False):  # streamed sheets type their cells as they are written
        return n
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    n += 1
    return n


def save_workbook(wb, path: str | Path) -> Path:
    """Save an openpyxl workbook with fixed document properties and zip entry dates (byte-identical re-runs)."""
    return write_file(path, workbook_bytes(wb))


def workbook_bytes(wb) -> bytes:
    """An openpyxl workbook as the bytes :func:`save_workbook` writes."""
    import datetime

    text_cells(wb)
    fixed = datetime.datetime(*FIXED_DATE)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "condense"
    buffer = _io.BytesIO()
    wb.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes | str | Path) -> bytes:
    """A zip (xlsx) rewritten with fixed entry dates and order, so equal content gives equal bytes.

    Given a path, the file is rewritten in place; given bytes, the normalised bytes are returned.
    """
    import re
    import zipfile

    if isinstance(data, (str, Path)):
        path = Path(data)
        write_file(path, normalise_zip(path.read_bytes()))
        return path.read_bytes()
    with zipfile.ZipFile(_io.BytesIO(data)) as z:
        entries = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    # openpyxl stamps the save time into the document properties whatever was set before
    fixed = b"2000-01-01T00:00:00Z"
    entries = [(name, re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + fixed + rb"\g<2>", body)
                if name == "docProps/core.xml" else body) for name, body in entries]
    return zip_bytes(entries, XLSX_LEVEL)


# zlib's fastest level for workbooks: at 1M words (43 MB of sheet XML) deflating took 0.66 CPU s at zlib's
# default level (6) and takes 0.20 s at 1, for a file 23 % larger (6.9 -> 8.5 MB); the same bytes every run
XLSX_LEVEL = 1


def zip_bytes(entries, level: int | None = None) -> bytes:
    """A deterministic zip of ``(name, bytes)`` entries, in the given order: fixed dates, modes, compression
    (deflated at zlib's ``level``, its default when None)."""
    import zipfile

    out = _io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, body in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, body, compresslevel=level)
    return out.getvalue()


def write_yaml(data, path: str | Path, *, header: str = "") -> Path:
    """YAML with readable Unicode and keys in the given order; ``data`` may be YAML text already."""
    if not isinstance(data, str):
        import yaml

        data = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, indent=2)
    return write_file(path, header + data)


def markdown_table(df) -> str:
    """A DataFrame as a markdown table (``|`` escaped, newlines flattened); ``""`` for an empty frame."""
    if df.empty:
        return ""
    cols = [_md_cell(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines)


def _md_cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return markdown_text(value).replace("|", "\\|")


def markdown_text(value) -> str:
    """Text a researcher or a transcript wrote, placed in markdown as text: one line, its ``<`` written
    ``&lt;`` (which every renderer shows as "<") and its backticks escaped. A transcript's or a label's
    ``<img src=x onerror=…>`` otherwise reached report.md as live HTML, which Obsidian, Typora and VS Code's
    preview render, and a backtick in a quote opened a code span that swallowed the quote's unit id."""
    text = " ".join(str(value).splitlines())
    return text.replace("<", "&lt;").replace("`", "\\`")


def markdown_code(value) -> str:
    """``value`` as an inline code span, fenced by more backticks than it holds in a row (CommonMark)."""
    text = " ".join(str(value).splitlines())
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def write_markdown(text: str, path: str | Path) -> Path:
    return write_file(path, text)


def write_json(data, path: str | Path) -> Path:
    """Sorted keys, two-space indent, readable Unicode, a final newline."""
    import json

    return write_file(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


# ---------------------------------------------------------------- output folders
from .safety import OutputFolder  # noqa: E402  (the safe replacement of output folders: condense/safety.py)


def output_folder(target: str | Path, *, inputs=(), kind: str = "run") -> OutputFolder:
    """The folder a command writes its files into, all or nothing: ``with output_folder(out) as tmp: …``.

    Refused (coded errors) when ``target`` is the current folder, one of ``inputs``, holds one of them,
    is a file, or holds files condense did not write or another command's results (``kind``: the command
    writing it); see :mod:`condense.safety`."""
    return OutputFolder(target, inputs=inputs, kind=kind)
