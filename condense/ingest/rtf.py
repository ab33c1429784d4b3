"""The paragraphs of a Rich Text Format file (.rtf: f4/f5transkript's export, WordPad, Express Scribe, older
Word, and what MAXQDA, NVivo and ATLAS.ti import).

What a reader of the document sees is kept; what it does not see is not: hidden text (``\\v``, which
researchers use to keep names and notes out of sight), tracked deletions (``\\deleted``), headers and
footers, footnotes, comments, field instructions (a field's shown result is kept), pictures and embedded
objects, list numbers, document information and the tables of fonts, colours and styles. The information's title,
subject, author and last editor, the headers, footers, footnotes, comments and their authors are read apart, by
:func:`rtf_info`, for the privacy only; a comment calling its range withdrawn withdraws it
(:func:`.sources.rtf_withdrawn_comments`). A table row is one
paragraph, its cells joined by a tab, as in a .docx; a line break (``\\line``) or a page break stays a line
break inside its paragraph.

Which groups are never shown (RTF's "destinations") and which font character set is which code page is
taken from the ``striprtf`` package; its own ``rtf_to_text`` is not used, because it reads hidden text and
tracked deletions as text (a name hidden with ``\\v`` came out in the transcript), returns an emoji written
as two ``\\u`` code units as two lone surrogates (which no UTF-8 output file can hold), joins table cells
with ``|`` (not to be told from a ``|`` typed in a cell), and, matching a document character by character, is
half as fast: ecape_da's 430,000 words written as Word writes RTF (12 MB) are read here at 428,000 words per CPU
second, by ``rtf_to_text`` at 197,000 (``benchmarks/rtf_speed.py``; the same interviews as .docx: 1.8 million).
"""
from __future__ import annotations

import codecs
import re

from striprtf.striprtf import charset_map, destinations

__all__ = ["RTFError", "rtf_paragraphs", "rtf_info", "rtf_annotations", "RANGE"]


class RTFError(ValueError):
    """The bytes are no readable RTF document (the message says why, for E111)."""


# never shown as the document's text; ``fonttbl`` is read for the fonts' code pages before it is passed over
_SKIPPED = frozenset(destinations) | {"listtext", "nonshppict", "pgdsctbl", "fonttbl"}
# control words that are text, read where text is shown (``par``, ``cell`` and ``row`` are handled apart)
_WORDS = {
    "tab": "\t", "line": "\u2028", "page": "\u2028", "column": "\u2028", "sect": "\n", "emdash": "\u2014",
    "endash": "\u2013", "lquote": "\u2018", "rquote": "\u2019", "ldblquote": "\u201c", "rdblquote": "\u201d",
    "bullet": "\u2022", "emspace": " ", "enspace": " ", "qmspace": " ",
}
# control symbols: a non-breaking space (normalised to a space later), an optional hyphen (not shown unless a
# line is broken there) and a non-breaking hyphen; an escaped brace or backslash; a line end after a
# backslash is a paragraph end
_SYMBOLS = {"~": "\u00a0", "-": "", "_": "-", "{": "{", "}": "}", "\\": "\\"}
_DOCUMENT_PAGES = {"mac": "mac_roman", "pc": "cp437", "pca": "cp850"}

# control words read one by one: the rest only set how text looks (\fs22, \lang1030, \insrsid…)
_HANDLED = _SKIPPED | set(_WORDS) | set(_DOCUMENT_PAGES) | {
    "u", "v", "deleted", "par", "cell", "nestcell", "row", "nestrow", "intbl", "pard", "plain", "f", "uc", "ansicpg",
    "bin", "fcharset", "cpg"}
# ... and those that may stand elsewhere than first in their group: a run of other control words that does not
# open a group (after "{", "\*" or a line end of the file: a group's first word may be a destination) is one
# token, and passed over (ecape_da as Word writes RTF: 2.0 -> 1.0 CPU s)
_IN_RUNS = sorted(_HANDLED - _SKIPPED, key=len, reverse=True)
_TOKEN = re.compile(
    r"((?<![{*\r\n])(?:\\(?!(?:" + "|".join(_IN_RUNS) + r")(?![a-zA-Z]))[a-zA-Z]{1,32}(?:-?\d{1,10})? ?)+)"  # 1: a run
    r"|\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # 2, 3: a control word and its number (a space after it is its end)
    r"|\\'([0-9a-fA-F]{2})"  # 4: a byte in the code page
    r"|\\([^a-zA-Z'])"  # 5: a control symbol
    r"|([{}])"  # 6: a group opens or closes
    r"|([^\\{}\r\n]+)"  # 7: text
    r"|[\r\n]+|\\'?"  # line ends in the file are no text; a lone backslash at the end is passed over
)
_HEAD = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{\\rtf")


def is_rtf(data: bytes) -> bool:
    """Whether ``data`` opens as an RTF document does (``{\\rtf``, perhaps after white space or a BOM)."""
    return _HEAD.match(data) is not None


def _codec(name: str, default: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return default


class _Reader:
    """The state of one document's reading: what is written out so far and how the current group reads."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.pending = bytearray()  # bytes in a code page (``\'e6``), decoded together: a double-byte letter
        self.pending_page = "cp1252"
        self.page = "cp1252"  # the document's code page (``\ansicpg``)
        self.fonts: dict[str, str] = {}  # font number -> code page, from its character set
        # the current group's state: characters to pass over after \uN, skipped, hidden (\v), deleted, font,
        # in the font table
        self.uc, self.skip, self.vanish, self.deleted, self.font, self.in_fonts = 1, False, False, False, None, False
        self.stack: list[tuple] = []
        self.defining: str | None = None  # the font the font table is defining
        self.in_table = False  # the paragraph is in a table cell (``\intbl``)
        self.fallback = 0  # characters still to pass over after a \uN
        self.at_paragraph = 1  # the number of the paragraph being written
        self.hidden_chars: dict[int, int] = {}  # paragraph number -> characters of hidden text left out there

    def flush(self) -> None:
        """Decode the bytes given in hex so far, in the code page they were written in."""
        try:
            self.out.append(self.pending.decode(self.pending_page))
        except UnicodeDecodeError as exc:
            byte = self.pending[exc.start]
            paragraph = "".join(self.out).count("\n") + 1
            raise RTFError(f"the byte \\'{byte:02x} in paragraph {paragraph} is no character of code page "
                           f"{self.pending_page}") from exc
        self.pending = bytearray()

    def code_page(self) -> str:
        return self.fonts.get(self.font, self.page) if self.font is not None else self.page

    def shown(self) -> bool:
        return not (self.skip or self.vanish or self.deleted)

    def left_out(self, n: int) -> None:
        """``n`` characters of hidden text were passed over (not of a tracked deletion, nor of a destination never
        shown, such as a header: neither is text the transcriber hid)."""
        if self.vanish and not self.skip:
            self.hidden_chars[self.at_paragraph] = self.hidden_chars.get(self.at_paragraph, 0) + n

    def byte(self, hex_digits: str) -> None:
        if self.fallback:
            self.fallback -= 1
        elif not self.shown():
            self.left_out(1)
        else:
            page = self.code_page()
            if self.pending and page != self.pending_page:
                self.flush()
            self.pending_page = page
            self.pending.append(int(hex_digits, 16))

    def text(self, run: str) -> None:
        if self.fallback:
            run, self.fallback = run[self.fallback:], max(0, self.fallback - len(run))
        if not run or not self.shown():
            self.left_out(len(run))
            return
        if self.pending:
            self.flush()
        if not run.isascii():  # a byte outside ASCII written as it is, not as \'xx: in the code page
            self.pending_page = self.code_page()
            self.pending.extend(run.encode("latin-1"))
            self.flush()
            return
        self.out.append(run)

    def write(self, text: str) -> None:
        if self.pending:
            self.flush()
        self.out.append(text)
        self.at_paragraph += text.count("\n")

    def group(self, brace: str) -> None:
        self.fallback = 0
        if brace == "{":
            self.stack.append((self.uc, self.skip, self.vanish, self.deleted, self.font, self.in_fonts))
        elif self.stack:
            self.uc, self.skip, self.vanish, self.deleted, self.font, self.in_fonts = self.stack.pop()

    def symbol(self, char: str) -> None:
        if self.fallback:
            self.fallback -= 1
        elif char == "*":
            self.skip = True
        elif char in "\r\n":
            self.paragraph()
        elif char in _SYMBOLS and self.shown():
            self.write(_SYMBOLS[char])

    def paragraph(self) -> None:
        if not self.skip:
            self.write(" " if self.in_table else "\n")

    def word(self, word: str, arg: str | None) -> None:
        if self.fallback and word != "u":
            self.fallback -= 1
            return
        if self.in_fonts:
            self.font_word(word, arg)
        if word in _SKIPPED:
            self.skip = True
            self.in_fonts = self.in_fonts or word == "fonttbl"
        elif word == "u" and arg is not None:
            if self.shown():
                number = int(arg)
                self.write(chr(number + 0x10000 if number < 0 else number))
            else:
                self.left_out(1)
            self.fallback = self.uc
        elif word == "v":  # hidden text (``\v0`` ends it)
            self.vanish = arg != "0"
        elif word == "deleted":  # a tracked deletion
            self.deleted = arg != "0"
        else:
            self.layout(word, arg)

    def layout(self, word: str, arg: str | None) -> None:
        """Paragraphs, table cells and rows, the words that are text, and the settings that say how to read."""
        if word == "par":
            self.paragraph()
        elif word in ("cell", "nestcell"):
            if not self.skip:
                self.write("\t")
        elif word in ("row", "nestrow"):
            if not self.skip:
                if self.out and self.out[-1] == "\t":
                    self.out.pop()
                self.write("\n")
        elif word in _WORDS:
            if self.shown():
                self.write(_WORDS[word])
        else:
            self.setting(word, arg)

    def setting(self, word: str, arg: str | None) -> None:
        if word == "intbl":
            self.in_table = True
        elif word == "pard":
            self.in_table = False
        elif word == "plain":  # character formatting back to the default: nothing hidden
            self.vanish = self.deleted = False
        elif word == "f":
            self.font = arg
        elif word == "uc" and arg is not None:
            self.uc = max(0, int(arg))
        elif word == "ansicpg" and arg is not None:
            self.page = _codec(f"cp{arg}", self.page)
        elif word in _DOCUMENT_PAGES:
            self.page = _DOCUMENT_PAGES[word]

    def font_word(self, word: str, arg: str | None) -> None:
        """In the font table: which font is defined, and its character set's code page."""
        if word == "f":
            self.defining = arg
        elif word == "fcharset" and arg is not None and self.defining is not None:
            page = charset_map.get(int(arg)) if int(arg) not in (0, 1, 2) else None
            if page:
                self.fonts[self.defining] = _codec(page, self.page)
        elif word == "cpg" and arg is not None and self.defining is not None:
            self.fonts[self.defining] = _codec(f"cp{arg}", self.page)


def rtf_paragraphs(data: bytes, hidden: list[tuple[int, int]] | None = None) -> list[str]:
    """The document's paragraphs, in order; a line break inside one is ``\\n``. RTFError when ``data`` is not
    an RTF document, breaks off before its groups close, or holds a byte its code page has no letter for.
    ``hidden`` gets (paragraph number, characters) for each paragraph that lost hidden text (W126)."""
    if not is_rtf(data):
        raise RTFError("it does not begin with {\\rtf")
    text = data.decode("latin-1")  # one character per byte: \bin counts bytes
    reader = _Reader()
    depth, pos, n = 0, 0, len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        pos = m.end()
        formatting, word, arg, hex_digits, symbol, brace, run = m.groups()
        if formatting:
            if reader.fallback:  # each control word is one character of a \uN's fallback
                reader.fallback = max(0, reader.fallback - formatting.count("\\"))
        elif run:
            reader.text(run)
        elif word:
            if word == "bin" and arg:  # binary data of that many bytes (a picture): passed over
                pos += max(0, int(arg))
                continue
            reader.word(word, arg)
        elif hex_digits:
            reader.byte(hex_digits)
        elif brace:
            depth += 1 if brace == "{" else -1
            reader.group(brace)
            if depth == 0:  # the document's group is closed: what follows is no part of it
                break
        elif symbol:
            reader.symbol(symbol)
    if depth > 0:
        raise RTFError(f"it breaks off with {depth} group(s) not closed (was the file cut short?)")
    if reader.pending:
        reader.flush()
    if hidden is not None:
        hidden.extend(sorted((p, n) for p, n in reader.hidden_chars.items() if n))
    return _joined(reader.out)


# what a document says of itself outside its text: its information's title, subject, author and last editor
# (``\\operator``), its headers and footers, footnotes and endnotes, and its comments with their authors
_INFO = re.compile(r"\{(?:\\\*)?\\(?:title|subject|author|operator|header[lrf]?|footer[lrf]?|footnote|annotation"
                   r"|atnauthor|atnid)(?![a-zA-Z])")
_PAGE = re.compile(r"\\ansicpg\d+")
_ANNOTATION = re.compile(r"\{\\\*\\annotation(?![a-zA-Z])")
_ANNOTATION_REF = re.compile(r"\{\\\*\\atnref\s*([^{}\\]*?)\s*\}")
#: a comment's range: ``{\\*\\atrfstart N}`` … ``{\\*\\atrfend N}``; its ``{\\*\\annotation{\\*\\atnref N} …}`` says N
RANGE = re.compile(rb"\{\\\*\\atrf(start|end)\s*([^{}\\]*?)\s*\}")


def _group_end(text: str, at: int) -> int:
    """Where the group whose body starts at ``at`` closes (the index of its ``}``; the text's end if it does not)."""
    depth = 1
    while at < len(text):
        char = text[at]
        if char == "\\":
            at += 1
        elif char in "{}":
            depth += 1 if char == "{" else -1
            if not depth:
                return at
        at += 1
    return len(text)


def _group_paragraphs(text: str, start: int, end: int, page: re.Match | None) -> list[str]:
    """The paragraphs of ``text[start:end]`` (a group's body) read as a document of its own in the file's code
    page; none where it cannot be read so."""
    head = "{\\rtf1\\ansi" + (page.group(0) if page else "") + " "
    try:
        return rtf_paragraphs((head + text[start:end] + "}").encode("latin-1"))
    except RTFError:
        return []


def rtf_info(data: bytes) -> str:
    """What the document says of itself, a line each paragraph: the title, subject, author and last editor of its
    information (``{\\info{\\title …}{\\author …}}``, File > Properties), its headers, footers and footnotes, and its
    comments and their authors. Never text of the transcript, but an anonymous interview titled "Interview med
    Gurli Zenfeldt", or whose comment says "Informanten er Gurli Zenfeldt", names her, as a .docx's do
    (:attr:`Source.document`). Each is read as a document of its own in the file's code page; one that cannot be
    read is passed over."""
    text = data.decode("latin-1")
    page = _PAGE.search(text)
    lines = []
    for m in _INFO.finditer(text):
        lines += _group_paragraphs(text, m.end(), _group_end(text, m.end()), page)
    return "\n".join(line.strip() for line in lines if line.strip())


def rtf_annotations(data: bytes) -> list[tuple[str, str]]:
    """Each comment of the document (``{\\*\\annotation …}``): the number of the range it is on (its ``\\atnref``;
    "" for none) and its text, its paragraphs joined by a space."""
    text = data.decode("latin-1")
    if "\\annotation" not in text:
        return []
    page = _PAGE.search(text)
    out = []
    for m in _ANNOTATION.finditer(text):
        end = _group_end(text, m.end())
        ref = _ANNOTATION_REF.search(text, m.end(), end)
        out.append((ref.group(1) if ref else "", " ".join(_group_paragraphs(text, m.end(), end, page))))
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def _joined(out: list[str]) -> list[str]:
    """The paragraphs of the text written out. A letter beyond U+FFFF (an emoji) is written as two \\u code
    units: they are put together; a code unit without its pair becomes U+FFFD."""
    text = "".join(out)
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return [p.replace("\u2028", "\n") for p in text.split("\n")]
