"""The paragraphs of an OpenDocument text (.odt: LibreOffice, OpenOffice, Google Docs' and Word's "Save as
ODF"), read from its ``content.xml`` with the standard library.

What a reader sees is kept; what it does not see is not: deleted tracked changes (kept in
``text:tracked-changes``), comments (``office:annotation``), footnotes and endnotes (``text:note``), the
index of contents and other generated indexes, frames (text boxes, images) and hidden text. A table row is one
paragraph, its cells joined by a tab, as in a .docx; a soft line break (Shift+Enter) stays a line break inside
its paragraph; ``text:s`` is its number of spaces and ``text:tab`` a tab.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

__all__ = ["odt_paragraphs"]

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"


def _t(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


_PARAGRAPHS = {_t(_TEXT, "p"), _t(_TEXT, "h")}
_ROW = _t(_TABLE, "table-row")
_CELL = _t(_TABLE, "table-cell")
# never shown as the document's text (or, for indexes, generated from it: its headings would come twice)
_SKIPPED = {_t(_TEXT, n) for n in ("tracked-changes", "note", "table-of-content", "alphabetical-index",
                                    "illustration-index", "table-index", "object-index", "user-index",
                                    "bibliography", "sequence-decls", "variable-decls", "user-field-decls",
                                    "hidden-paragraph", "hidden-text")}
_SKIPPED |= {_t(_OFFICE, "annotation"), _t(_OFFICE, "forms"), _t(_DRAW, "frame"), _t(_DRAW, "custom-shape")}
_SPACE, _TAB, _BREAK = _t(_TEXT, "s"), _t(_TEXT, "tab"), _t(_TEXT, "line-break")


def odt_paragraphs(xml: bytes) -> list[str]:
    """The document body's paragraphs, in order (ValueError when ``xml`` is not an OpenDocument text)."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"content.xml is not well-formed XML ({exc})") from exc
    body = root.find(f"{_t(_OFFICE, 'body')}/{_t(_OFFICE, 'text')}")
    if body is None:
        raise ValueError("content.xml holds no text document (a spreadsheet or a presentation?)")
    out: list[str] = []
    _blocks(body, out)
    return out


def _blocks(element, out: list[str]) -> None:
    """Paragraphs and table rows below ``element`` (lists, sections and tables are walked into)."""
    for child in element:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag in _PARAGRAPHS:
            out.append(_inline(child))
        elif tag == _ROW:
            out.append("\t".join(_cell(cell) for cell in child if cell.tag == _CELL))
        else:
            _blocks(child, out)


def _cell(cell) -> str:
    """A table cell's text: its paragraphs joined by a space (a cell is one column of one turn)."""
    paragraphs: list[str] = []
    _blocks(cell, paragraphs)
    return " ".join(p.strip() for p in paragraphs if p.strip())


# ODF's white-space rule: in a paragraph's XML text, every run of spaces, tabs and line ends is one space, and
# none at its start or end; text:s, text:tab and text:line-break are the spaces, tabs and breaks a reader sees.
# They are kept apart from the XML's own while the rule is applied (as noncharacters, which no text holds).
_WHITE = re.compile(r"[ \t\r\n]+")
_KEPT = {"\ufdd0": " ", "\ufdd1": "\t", "\ufdd2": "\n"}
_UNKEEP = re.compile("[\ufdd0\ufdd1\ufdd2]")


def _inline(paragraph) -> str:
    parts: list[str] = []
    _collect(paragraph, parts)
    text = _WHITE.sub(" ", "".join(parts)).strip(" ")
    return _UNKEEP.sub(lambda m: _KEPT[m.group()], text)


def _collect(element, parts: list[str]) -> None:
    """The visible text inside a paragraph: spans, links and tracked insertions as text; text:s, text:tab and
    text:line-break as what they stand for; skipped elements (notes, comments, frames) left out with their
    text, but not the text that follows them."""
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if tag == _SPACE:
            parts.append("\ufdd0" * _count(child.get(_t(_TEXT, "c"))))
        elif tag == _TAB:
            parts.append("\ufdd1")
        elif tag == _BREAK:
            parts.append("\ufdd2")
        elif tag not in _SKIPPED:
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def _count(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1
