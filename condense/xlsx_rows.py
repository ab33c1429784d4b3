"""The rows of results.xlsx, written as worksheet XML directly: the bytes openpyxl's write-only mode writes,
at a fraction of its cost per cell.

openpyxl builds the workbook around them (styles, theme, sheet views, column widths, frozen header: the
*skeleton*, header rows only); :func:`sheet_rows` renders each data row the way openpyxl's lxml writer
renders it — inline strings with non-ASCII characters as numeric references, numbers as ``%.16g``, an empty
cell left out, text never a formula — column by column, so the cost is a few string operations per cell.
Output is byte-identical to the openpyxl rows (tests/test_scale.py compares them); a value of a kind not
handled here (a date, say) makes :func:`sheet_rows` return ``None`` and the caller writes with openpyxl.
"""
from __future__ import annotations

import math
import re
from itertools import chain, compress
from math import isfinite
from operator import ne, not_, or_

__all__ = ["sheet_rows", "WRAP_STYLE", "BOLD_STYLE"]

BOLD_STYLE, WRAP_STYLE = 1, 2  # openpyxl's style ids: the header's bold font first, then wrapped text
MAX_TEXT = 32767  # openpyxl cuts longer text to this
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # openpyxl's ILLEGAL_CHARACTERS_RE
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


class Unsupported(Exception):
    """A value this writer does not render (openpyxl writes the workbook instead)."""


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii") if not text.isascii() else text


def _number(value) -> str:
    return "" if math.isnan(value) or math.isinf(value) else "%.16g" % value


def _cell(ref: str, value, wrapped: bool) -> str:
    """One cell as openpyxl writes it ('' for a cell it leaves out)."""
    from .io import cell_value

    value = cell_value(value)
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        value = _ILLEGAL.sub("", value)[:MAX_TEXT]
        style = f' s="{WRAP_STYLE}"' if wrapped else ""
        if not wrapped and value in _ERROR_CODES:
            return f'<c r="{ref}" t="e"><v>{value}</v></c>'
        if value == "":
            return f'<c r="{ref}"{style} t="inlineStr"></c>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float:
        return f'<c r="{ref}" t="n"><v>{_number(value)}</v></c>'
    raise Unsupported(kind.__name__)


def _column(letter: str, rows: range, numbers: list[str], values: list, wrapped: bool) -> list:
    """One column's cells as openpyxl writes them, as pieces: a list of the cells' strings ('' where it leaves a
    cell out), or (:func:`_uniform`, a column of one kind) several such lists, each piece of a cell in the
    next, and a text where a piece is the same in every cell (``numbers``: the rows' numbers as text). Any
    other column cell by cell (:func:`_cell` with the common kinds inline). The column's texts are escaped all
    at once (:func:`_bodies`)."""
    uniform = _uniform(letter, numbers, values, wrapped)
    if uniform is not None:
        return uniform
    style = f' s="{WRAP_STYLE}"' if wrapped else ""
    texts = [v for v in values if type(v) is str]
    bodies = zip(*_bodies(texts)) if texts else iter(())
    out = []
    append = out.append
    for r, value in zip(rows, values):
        kind = type(value)
        if kind is str:
            value, body = next(bodies)
            append("".join(_text_cell(f"{letter}{r}", style, wrapped, value, body)))
        elif kind is float:
            append("" if value != value else f'<c r="{letter}{r}" t="n"><v>{_number(value)}</v></c>')
        elif kind is int:
            append(f'<c r="{letter}{r}" t="n"><v>{_number(value)}</v></c>')
        else:
            append(_cell(f"{letter}{r}", value, wrapped))
    return [out]


def _text_cell(ref: str, style: str, wrapped: bool, value: str, body: str) -> tuple[str, str, str, str]:
    """A text cell (``value`` as the cell holds it, ``body`` escaped) as openpyxl writes it, in four pieces:
    up to its place, the rest of its opening tags, its text, its closing tags."""
    if not value:
        return f'<c r="{ref}', f'"{style} t="inlineStr">', "", "</c>"
    if not wrapped and value in _ERROR_CODES:
        return f'<c r="{ref}', '" t="e"><v>', value, "</v></c>"
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    return f'<c r="{ref}', f'"{style} t="inlineStr"><is><t{space}>', body, "</t></is></c>"


_INT_EXACT = 10 ** 15  # an int below this in size is written by "%.16g" as str() writes it


def _uniform(letter: str, numbers: list[str], values: list, wrapped: bool) -> list | None:
    """:func:`_column`'s pieces of a column whose values are all texts, all ints or all floats: the same
    opening and closing tags around each cell's row number and value, so the cells are never formatted one
    by one (a few C-level operations a cell instead of a pass of Python code); the few cells that differ (an
    empty or error-code text, one with a space at an end, a NaN or infinite float) are put right one by one.
    None for any other column."""
    kinds = set(map(type, values))
    kind = kinds.pop() if len(kinds) == 1 else None
    if kind is str:
        return _text_pieces(letter, numbers, values, wrapped)
    if kind is float:
        return _float_pieces(letter, numbers, values)
    if kind is int and -_INT_EXACT < min(values) and max(values) < _INT_EXACT:
        return [f'<c r="{letter}', numbers, '" t="n"><v>', list(map(str, values)), "</v></c>"]
    return None


def _float_pieces(letter: str, numbers: list[str], values: list[float]) -> list:
    texts = list(map("%.16g".__mod__, values))
    pieces, nan = [f'<c r="{letter}', numbers, '" t="n"><v>', texts, "</v></c>"], []
    for i in compress(range(len(values)), map(not_, map(isfinite, values))):
        if values[i] == values[i]:  # infinite: an empty value, as openpyxl writes it
            texts[i] = _number(values[i])
        else:
            nan.append(i)
    if nan:  # a NaN cell is left out: each of its pieces empty
        pieces = [list(piece) if isinstance(piece, list) else [piece] * len(values) for piece in pieces]
        for piece in pieces:
            for i in nan:
                piece[i] = ""
    return pieces


def _text_pieces(letter: str, numbers: list[str], values: list[str], wrapped: bool) -> list:
    style = f' s="{WRAP_STYLE}"' if wrapped else ""
    clean, bodies = _bodies(values)
    start, middle, end = f'<c r="{letter}', f'"{style} t="inlineStr"><is><t>', "</t></is></c>"
    # a space at either end (strip() takes what isspace() says is one; an empty text is none), or an error code
    odd = map(ne, clean, map(str.strip, clean))
    if not wrapped:
        odd = map(or_, odd, map(_ERROR_CODES.__contains__, clean))
    odd, empty = list(compress(range(len(clean)), odd)), list(compress(range(len(clean)), map(not_, clean)))
    if odd or empty:
        middle, end = [middle] * len(clean), [end] * len(clean)
        for i in empty:  # its body is empty too
            middle[i], end[i] = f'"{style} t="inlineStr">', "</c>"
        for i in odd:
            _, middle[i], bodies[i], end[i] = _text_cell("", style, wrapped, clean[i], bodies[i])
    return [start, numbers, middle, bodies, end]


_NUL = "\x00"  # between a column's texts while they are escaped together: XML_FORBIDDEN, so in no clean text
_FORBIDDEN_BUT_NUL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _bodies(texts: list[str]) -> tuple[list[str], list[str]]:
    """(the texts as the cells hold them, escaped) of a column's texts: as io.cell_value cleans it (after
    which openpyxl removes nothing more) and cut to MAX_TEXT. The texts are joined and escaped in one pass
    each (five string operations a column instead of a cell); a column with a forbidden character or an
    over-long text is done text by text."""
    from .io import XML_FORBIDDEN

    joined = _NUL.join(texts)
    if joined.count(_NUL) != len(texts) - 1 or _FORBIDDEN_BUT_NUL.search(joined) or max(map(len, texts)) > MAX_TEXT:
        clean = [(XML_FORBIDDEN.sub(" ", t) if XML_FORBIDDEN.search(t) else t)[:MAX_TEXT] for t in texts]
        return clean, [_escape(t) for t in clean]
    return texts, _escape(joined).split(_NUL)


def sheet_rows(df, wrapped: set[int], *, first_row: int = 2):
    """The ``<row>`` elements of a frame's data, in chunks of bytes (:class:`Unsupported` for a value this
    writer does not render)."""
    letters = [_letter(j + 1) for j in range(df.shape[1])]
    chunk = 2000
    for start in range(0, len(df), chunk):
        part = df.iloc[start:start + chunk]
        rows = range(first_row + start, first_row + start + len(part))
        numbers = list(map(str, rows))
        columns = [_column(letter, rows, numbers, part.iloc[:, j].tolist(), j in wrapped) for j, letter in enumerate(letters)]
        # a row's pieces: its opening tag (in three), each cell's pieces, its closing tag; put in place piece by piece
        row = ['<row r="', numbers, '">', *(piece for column in columns for piece in column), "</row>"]
        pieces = [""] * (len(rows) * len(row))
        for k, piece in enumerate(row):
            pieces[k::len(row)] = piece if isinstance(piece, list) else [piece] * len(rows)
        yield "".join(pieces).encode("ascii")

def write_workbook(parts: list, check=None) -> bytes:
    """results.xlsx as bytes: openpyxl's skeleton (header rows only), the data rows rendered here and
    streamed into the zip in order. Raises :class:`Unsupported` for a value this writer does not render.
    ``check(name, body)``: called with each entry's bytes as they go into the zip, in the zip's order (the
    consent audit's check where the workbook is made: audit.PartsCheck)."""
    import io
    import zipfile

    from .io import FIXED_DATE, XLSX_LEVEL

    skeleton, wrapped = _skeleton(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, body in skeleton:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)  # as io.zip_bytes writes every entry
            info.compress_type = zipfile.ZIP_DEFLATED
            setattr(info, _LEVEL_ATTRIBUTE, XLSX_LEVEL)
            info.external_attr = 0o644 << 16
            sheet = _SHEET.fullmatch(name)
            if sheet is None:
                z.writestr(info, body)
            else:
                body = _write_sheet(z, info, body, parts[int(sheet.group(1)) - 1][1], wrapped[int(sheet.group(1)) - 1],
                                    keep=check is not None)
            if check is not None:
                check(name, body)
    return out.getvalue()


def _write_sheet(z, info, skeleton: bytes, df, wrapped: set[int], *, keep: bool) -> bytes | None:
    """A worksheet streamed into the zip: its skeleton's header row, the frame's rows, the skeleton's end.
    Returns the worksheet's bytes when ``keep``."""
    cut = skeleton.index(b"</row>", skeleton.index(b"<sheetData>")) + len(b"</row>")
    kept = []
    with z.open(info, "w") as dest:
        for piece in chain((skeleton[:cut],), sheet_rows(df, wrapped), (skeleton[skeleton.index(b"</sheetData>"):],)):
            dest.write(piece)
            if keep:
                kept.append(piece)
    return b"".join(kept) if keep else None


_SHEET = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
# where a ZipInfo keeps its level (``z.open(info, "w")`` takes none): public from Python 3.13
_LEVEL_ATTRIBUTE = "compress_level" if hasattr(__import__("zipfile").ZipInfo, "compress_level") else "_compresslevel"


def _skeleton(parts: list) -> tuple[list[tuple[str, bytes]], list[set[int]]]:
    """The workbook's entries with each sheet's header row (and, once, a row that registers the wrapped-text
    style where openpyxl would first meet it; the rows are replaced), and the wrapped columns of each sheet.
    Rendered here (:func:`_own_skeleton`) from openpyxl's constant parts kept in the user cache; where they are
    not kept yet, or a title or header is one this renderer leaves to openpyxl, openpyxl makes it (and its
    constant parts are kept for the next run once this renderer gave the same bytes for the whole skeleton).
    Importing openpyxl and building the skeleton with it cost every run about 0.35 CPU s (the sample's
    workbook, load ~5): 0.2 s of import, for a skeleton of fixed parts and a header row per sheet."""
    from .io import column_layout

    for _, df in parts:
        if not len(df.columns):
            raise Unsupported("a sheet without columns")
    layouts = [column_layout(df) for _, df in parts]
    wrap_sheet = next((i for i, ((_, df), (_, wrapped)) in enumerate(zip(parts, layouts))
                       if _holds_text(df, wrapped)), None)
    version, kept = _kept_parts()
    if kept is not None and _STYLES[wrap_sheet is not None] in kept:
        try:
            return _own_skeleton(parts, layouts, wrap_sheet, kept), [w for _, w in layouts]
        except Unsupported:
            pass
    entries, wrapped_of = _openpyxl_skeleton(parts)
    _keep_parts(version, kept, parts, layouts, wrap_sheet, entries)
    return entries, wrapped_of


def _holds_text(df, wrapped: set[int]) -> bool:
    from .io import cell_value

    return any(isinstance(cell_value(v), str) for j in sorted(wrapped) for v in df.iloc[:, j].tolist())


def _openpyxl_skeleton(parts: list) -> tuple[list[tuple[str, bytes]], list[set[int]]]:
    """openpyxl's workbook with each sheet's header row (and the row registering the wrapped-text style):
    its zip entries, and the wrapped columns of each sheet."""
    import zipfile
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    from .io import start_sheet, workbook_bytes

    wb = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    wrapped_of, registered = [], False
    for title, df in parts:
        ws, wrapped = start_sheet(wb, title, df, bold)
        if not registered and _holds_text(df, wrapped):
            cell = WriteOnlyCell(ws, value="")
            cell.alignment = wrap
            ws.append([cell])
            registered = True
        wrapped_of.append(wrapped)
    with zipfile.ZipFile(BytesIO(workbook_bytes(wb))) as z:
        entries = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    return entries, wrapped_of


# openpyxl's parts that are the same in every workbook condense writes (the styles in two forms: without and
# with the wrapped-text style), kept from openpyxl's own output in the user cache, per openpyxl version
_CONSTANT = ("docProps/app.xml", "docProps/core.xml", "xl/theme/theme1.xml", "_rels/.rels")
_STYLES = ("xl/styles.xml", "xl/styles.xml+wrap")
_KEPT_FORMAT = 1
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument"
_NOT_IN_TITLE = set('\\*?:/[]&<>"\'')


def _kept_file() -> tuple[str | None, object]:
    from importlib.metadata import PackageNotFoundError, version

    from .lexicon import cache_dir

    try:
        openpyxl_version = version("openpyxl")
    except PackageNotFoundError:
        return None, None
    root = cache_dir()
    return openpyxl_version, (None if root is None else
                              root / "xlsx" / f"v{_KEPT_FORMAT}" / f"openpyxl-{openpyxl_version}.json")


def _kept_parts() -> tuple[str | None, dict | None]:
    """(openpyxl's version, its constant parts from the cache: name → bytes, or None)."""
    import json
    import zlib

    openpyxl_version, path = _kept_file()
    if path is None:
        return openpyxl_version, None
    try:
        head, _, body = path.read_bytes().partition(b"\n")
        if json.loads(head).get("crc32") != zlib.crc32(body):
            return openpyxl_version, None
        kept = json.loads(body)
        return openpyxl_version, {str(k): str(v).encode("utf-8") for k, v in kept.items()}
    except (OSError, ValueError, AttributeError):
        return openpyxl_version, None


def _keep_parts(openpyxl_version, kept, parts, layouts, wrap_sheet, entries) -> None:
    """Keep openpyxl's constant parts in the cache, where this renderer makes the whole skeleton
    openpyxl made of them byte for byte (a workbook it leaves to openpyxl keeps nothing)."""
    import json
    import zlib

    from .errors import CondenseError
    from .safety import write_bytes

    _, path = _kept_file()
    made = dict(entries)
    found = {name: made[name] for name in _CONSTANT if name in made}
    if path is None or len(found) != len(_CONSTANT) or "xl/styles.xml" not in made:
        return
    found[_STYLES[wrap_sheet is not None]] = made["xl/styles.xml"]
    try:
        if _own_skeleton(parts, layouts, wrap_sheet, found) != entries:
            return
    except Unsupported:
        return
    if kept:
        found = {**kept, **found}
    body = json.dumps({k: v.decode("utf-8") for k, v in sorted(found.items())}, ensure_ascii=True).encode("ascii")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, json.dumps({"crc32": zlib.crc32(body)}).encode("ascii") + b"\n" + body)
    except (OSError, CondenseError):
        pass


def _letter(n: int) -> str:
    """The column letters of column ``n`` (1: A, 27: AA)."""
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _own_skeleton(parts: list, layouts: list, wrap_sheet: int | None, kept: dict) -> list[tuple[str, bytes]]:
    """The skeleton's entries as openpyxl writes them, in its order (:class:`Unsupported` for a title or
    header left to openpyxl: one it would change or escape otherwise than plain text)."""
    titles = [title for title, _ in parts]
    if len({t.casefold() for t in titles}) != len(titles):
        raise Unsupported("two sheets of one title")
    sheets = [_sheet_skeleton(df, widths, i == wrap_sheet) for i, ((_, df), (widths, _)) in
              enumerate(zip(parts, layouts))]
    n = len(parts)
    names = [f"xl/worksheets/sheet{i}.xml" for i in range(1, n + 1)]
    workbook = "".join([
        f'<workbook xmlns="{_MAIN}"><workbookPr/><workbookProtection/><bookViews><workbookView visibility="visible" '
        'minimized="0" showHorizontalScroll="1" showVerticalScroll="1" showSheetTabs="1" tabRatio="600" '
        'firstSheet="0" activeTab="0" autoFilterDateGrouping="1"/></bookViews><sheets>',
        *(f'<sheet xmlns:r="{_OFFICE}" name="{_title(t)}" sheetId="{i}" state="visible" r:id="rId{i}"/>'
          for i, t in enumerate(titles, start=1)),
        '</sheets><definedNames/><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'])
    relation = _OFFICE
    workbook_rels = "".join([
        f'<Relationships xmlns="{_PACKAGE}/relationships">',
        *(f'<Relationship Type="{relation}/worksheet" Target="/{name}" Id="rId{i}"/>'
          for i, name in enumerate(names, start=1)),
        f'<Relationship Type="{relation}/styles" Target="styles.xml" Id="rId{n + 1}"/>'
        f'<Relationship Type="{relation}/theme" Target="theme/theme1.xml" Id="rId{n + 2}"/></Relationships>'])
    types = "".join([
        f'<Types xmlns="{_PACKAGE}/content-types"><Default Extension="rels" '
        f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        f'ContentType="application/xml"/><Override PartName="/xl/styles.xml" '
        f'ContentType="{_TYPE}.spreadsheetml.styles+xml"/><Override PartName="/xl/theme/theme1.xml" '
        f'ContentType="{_TYPE}.theme+xml"/><Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override '
        f'PartName="/docProps/app.xml" ContentType="{_TYPE}.extended-properties+xml"/>',
        *(f'<Override PartName="/{name}" ContentType="{_TYPE}.spreadsheetml.worksheet+xml"/>' for name in names),
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.spreadsheetml.sheet.main+xml"/></Types>'])
    return [("docProps/app.xml", kept["docProps/app.xml"]), ("docProps/core.xml", kept["docProps/core.xml"]),
            ("xl/theme/theme1.xml", kept["xl/theme/theme1.xml"]), *zip(names, sheets),
            ("xl/styles.xml", kept[_STYLES[wrap_sheet is not None]]), ("_rels/.rels", kept["_rels/.rels"]),
            ("xl/workbook.xml", workbook.encode("utf-8")), ("xl/_rels/workbook.xml.rels", workbook_rels.encode("utf-8")),
            ("[Content_Types].xml", types.encode("utf-8"))]


def _title(title: str) -> str:
    if not title or len(title) > 31 or not title.isprintable() or title != title.strip() \
            or not _NOT_IN_TITLE.isdisjoint(title):
        raise Unsupported("a sheet title openpyxl changes or escapes")
    return title


def _sheet_skeleton(df, widths: list, registers_wrap: bool) -> bytes:
    """A worksheet with its header row, as openpyxl's write-only sheet writes it."""
    cols = []
    for j, width in enumerate(widths, start=1):
        if type(width) is not int:
            raise Unsupported("a column width that is not a whole number")
        cols.append(f'<col width="{width}" customWidth="1" min="{j}" max="{j}"/>')
    cells = []
    for j, col in enumerate(df.columns, start=1):
        value = _ILLEGAL.sub("", str(col))
        if not value or value != value.strip() or not value.isprintable() or len(value) > MAX_TEXT:
            raise Unsupported("a header openpyxl writes otherwise")
        cells.append(f'<c r="{_letter(j)}1" s="{BOLD_STYLE}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>')
    extra = f'<row r="2"><c r="A2" s="{WRAP_STYLE}" t="inlineStr"></c></row>' if registers_wrap else ""
    return "".join([
        f'<worksheet xmlns="{_MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr/>'
        '</sheetPr><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A1" sqref="A1"/>'
        '</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/><cols>', *cols,
        '</cols><sheetData><row r="1">', *cells, "</row>", extra,
        '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        "</worksheet>"]).encode("ascii")
