"""The paragraphs of an OpenDocument text (.odt: LibreOffice, OpenOffice, Google Docs' and Word's "Save as
ODF"), read from its ``content.xml`` with the standard library.

What a reader sees is kept; what it does not see is not: deleted tracked changes (kept in
``text:tracked-changes``), comments (``office:annotation``), footnotes and endnotes (``text:note``), the
index of contents and other generated indexes, and hidden text: a span or paragraph whose style hides it
(``text:display="none"``, Format > Character > Font Effects > Hidden), a hidden paragraph or hidden text field
(``text:hidden-paragraph``, ``text:hidden-text``) and a hidden section. Hidden text is the safe side of
consent: researchers hide notes, names and passages they were asked to leave out; the paragraphs that lost
some are reported (W126). A table row is one paragraph, its cells joined by a tab, as in a .docx; a soft line
break (Shift+Enter) stays a line break inside its paragraph; ``text:s`` is its number of spaces and
``text:tab`` a tab. A text box (a frame's ``draw:text-box``, or a shape's text) is read once, its paragraphs
after the paragraph it is anchored in, as a .docx's are.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .wordml import inherited

__all__ = ["odt_paragraphs", "hidden_styles"]

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"


def _t(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


_STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_PARAGRAPHS = {_t(_TEXT, "p"), _t(_TEXT, "h")}
_ROW = _t(_TABLE, "table-row")
_CELL = _t(_TABLE, "table-cell")
# never shown as the document's text (or, for indexes, generated from it: its headings would come twice)
_SKIPPED = {_t(_TEXT, n) for n in ("tracked-changes", "note", "table-of-content", "alphabetical-index",
                                    "illustration-index", "table-index", "object-index", "user-index",
                                    "bibliography", "sequence-decls", "variable-decls", "user-field-decls")}
_SKIPPED |= {_t(_OFFICE, "annotation"), _t(_OFFICE, "forms")}
_BOXES = {_t(_DRAW, "frame"), _t(_DRAW, "custom-shape")}  # their text: paragraphs of their own
_HIDDEN_PARAGRAPH, _HIDDEN_TEXT = _t(_TEXT, "hidden-paragraph"), _t(_TEXT, "hidden-text")
_SECTION = _t(_TEXT, "section")
_SPACE, _TAB, _BREAK = _t(_TEXT, "s"), _t(_TEXT, "tab"), _t(_TEXT, "line-break")
_STYLE_NAME, _IS_HIDDEN, _DISPLAY = _t(_TEXT, "style-name"), _t(_TEXT, "is-hidden"), _t(_TEXT, "display")


def hidden_styles(*roots) -> dict[str, bool]:
    """Each paragraph or text style below ``roots`` (the parsed ``styles.xml`` and ``content.xml``) that says
    whether its text is shown (``text:display`` in its text properties), itself or through its parent style:
    its name and whether it hides. Styles that say nothing are left out; "condition" hides (the safe side)."""
    own: dict[str, bool | None] = {}
    parent: dict[str, str] = {}
    for root in roots:
        for style in root.iter(_t(_STYLE_NS, "style")):
            name = style.get(_t(_STYLE_NS, "name"))
            if name is None:
                continue
            props = style.find(_t(_STYLE_NS, "text-properties"))
            display = props.get(_DISPLAY) if props is not None else None
            own[name] = None if display is None else display != "true"
            if style.get(_t(_STYLE_NS, "parent-style-name")):
                parent[name] = style.get(_t(_STYLE_NS, "parent-style-name"))
    return inherited(own, parent)


def _parse(xml: bytes, name: str):
    try:
        return ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"{name} is not well-formed XML ({exc})") from exc


def odt_paragraphs(xml: bytes, styles_xml: bytes = b"", hidden: list[tuple[int, int]] | None = None) -> list[str]:
    """The document body's paragraphs, in order (ValueError when ``xml`` is not an OpenDocument text).
    ``styles_xml``: the document's ``styles.xml``, whose styles may hide text as ``xml``'s own may; ``hidden``
    gets each paragraph that lost hidden text: its number (as counted here) and how many characters."""
    root = _parse(xml, "content.xml")
    body = root.find(f"{_t(_OFFICE, 'body')}/{_t(_OFFICE, 'text')}")
    if body is None:
        raise ValueError("content.xml holds no text document (a spreadsheet or a presentation?)")
    styles = {}
    if b"text:display" in xml or b"text:display" in styles_xml:  # (else no style hides text: most documents)
        styles = hidden_styles(*([_parse(styles_xml, "styles.xml")] if styles_xml else []), root)
    reader = _Reader(styles)
    reader.blocks(body, reader.out)
    if hidden is not None:
        hidden.extend(reader.hidden)
    return reader.out


def _hidden_field(element) -> bool:
    """A hidden-paragraph or hidden-text field hides unless LibreOffice last found its condition false."""
    return element.get(_IS_HIDDEN) != "false"


def _hidden_section(element) -> bool:
    return element.get(_DISPLAY) in ("none", "condition")


# ODF's white-space rule: in a paragraph's XML text, every run of spaces, tabs and line ends is one space, and
# none at its start or end; text:s, text:tab and text:line-break are the spaces, tabs and breaks a reader sees.
# They are kept apart from the XML's own while the rule is applied (as noncharacters, which no text holds).
_WHITE = re.compile(r"[ \t\r\n]+")
_KEPT = {"\ufdd0": " ", "\ufdd1": "\t", "\ufdd2": "\n"}
_UNKEEP = re.compile("[\ufdd0\ufdd1\ufdd2]")


def _inline_text(parts: list[str]) -> str:
    text = _WHITE.sub(" ", "".join(parts)).strip(" ")
    return _UNKEEP.sub(lambda m: _KEPT[m.group()], text)


class _Reader:
    """The paragraphs read (``out``), the paragraphs that lost hidden text, and which styles hide."""

    def __init__(self, styles: dict[str, bool]):
        self.styles = styles
        self.out: list[str] = []
        self.hidden: list[tuple[int, int]] = []

    def blocks(self, element, out: list[str]) -> None:
        """Paragraphs and table rows below ``element`` (lists, sections and tables are walked into)."""
        for child in element:
            tag = child.tag
            if tag in _SKIPPED:
                continue
            if tag in _PARAGRAPHS:
                self.paragraph(child, out)
            elif tag == _ROW:
                self.row(child, out)
            elif tag == _SECTION and _hidden_section(child):
                self.hide_all(child, out)
            else:  # (a frame anchored to the page, too: its text box's paragraphs, in place)
                self.blocks(child, out)

    def emit(self, out: list[str], text: str, lost: int) -> None:
        out.append(text)
        if lost and out is self.out:
            self.hidden.append((len(out), lost))

    def paragraph(self, element, out: list[str]) -> None:
        """A paragraph, then the paragraphs of the text boxes anchored in it."""
        parts: list[str] = []
        boxed: list[str] = []
        hides = self.styles.get(element.get(_STYLE_NAME) or "", False)
        lost = self.collect(element, parts, boxed, hides)
        if any(_hidden_field(field) for field in element.iter(_HIDDEN_PARAGRAPH)):
            lost += len(_inline_text(parts))
            parts = []
        self.emit(out, _inline_text(parts), lost)
        for text in boxed:
            self.emit(out, text, 0)

    def row(self, element, out: list[str]) -> None:
        """A table row: one paragraph, its cells' paragraphs joined by a space, the cells by a tab."""
        cells = []
        lost = 0
        for cell in element:
            if cell.tag != _CELL:
                continue
            inner = _Reader(self.styles)
            inner.blocks(cell, inner.out)
            lost += sum(n for _, n in inner.hidden)
            cells.append(" ".join(p.strip() for p in inner.out if p.strip()))
        self.emit(out, "\t".join(cells), lost)

    def hide_all(self, element, out: list[str]) -> None:
        """A hidden section: each of its paragraphs is read empty, and counted."""
        inner = _Reader({})
        inner.blocks(element, inner.out)
        for text in inner.out:
            self.emit(out, "", len(text))

    def collect(self, element, parts: list[str], boxed: list[str], hides: bool) -> int:
        """The visible text inside a paragraph into ``parts``: spans, links and tracked insertions as text;
        text:s, text:tab and text:line-break as what they stand for; skipped elements (notes, comments) left
        out with their text, but not the text that follows them; a text box's paragraphs into ``boxed``.
        Returns how many characters were hidden (a span's style, a hidden-text field)."""
        lost = self.text(element.text, parts, hides)
        for child in element:
            tag = child.tag
            if tag == _SPACE:
                lost += self.text("\ufdd0" * _count(child.get(_t(_TEXT, "c"))), parts, hides)
            elif tag == _TAB:
                lost += self.text("\ufdd1", parts, hides)
            elif tag == _BREAK:
                lost += self.text("\ufdd2", parts, hides)
            elif tag in _BOXES and hides:  # a text box in hidden text is hidden with it
                lost += len(_inline_text(list(child.itertext())))
            elif tag in _BOXES:
                self.blocks(child, boxed)
            elif tag == _HIDDEN_TEXT:
                lost += self.collect(child, [], boxed, True) if _hidden_field(child) else self.collect(child, parts, boxed, hides)
            elif tag not in _SKIPPED and tag != _HIDDEN_PARAGRAPH:
                lost += self.collect(child, parts, boxed, self.styles.get(child.get(_STYLE_NAME) or "", hides))
            lost += self.text(child.tail, parts, hides)
        return lost

    @staticmethod
    def text(text: str | None, parts: list[str], hides: bool) -> int:
        if not text:
            return 0
        if hides:
            return len(text.strip())
        parts.append(text)
        return 0


def _count(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1
