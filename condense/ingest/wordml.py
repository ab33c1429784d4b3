"""What of a .docx is not the transcript's text, read where a document has any of it.

:func:`.sources._docx_paragraphs` reads the usual transcript (runs of text in paragraphs and tables) with one
fast scan. A document that holds hidden text, a tracked move or a text box (the scan meets a tag it
knows for them), or whose styles hide text, is read here instead, with the same paragraphs otherwise:

- *hidden text* (Word's Font > Hidden, ``<w:vanish/>`` in a run's properties, or a character or paragraph
  style that has it) is not read: researchers hide notes, a respondent's name or a passage they were asked to
  leave out. Each paragraph that lost some is reported (W126). ``w:specVanish`` hides only a paragraph *mark*
  (a style separator: two paragraphs shown as one line); its text is read. A hidden paragraph mark alone
  (the runs shown) leaves the paragraph's text alone and the paragraph one of its own.
- a tracked *move* is read once, where it went (``w:moveTo``); its old place (``w:moveFrom``) is not read.
- a *text box* is written twice by Word, once for Word 2010 on (``mc:Choice``) and once for older readers
  (``mc:Fallback``); only the first is read. Its paragraphs sit inside the paragraph it is anchored in: they
  are read as paragraphs of their own after that one, not spliced into its sentence.

:func:`bold_leads` finds the bold words a paragraph opens with before text that is not bold: a speaker label
typed bold without a colon ("**Interviewer** Hvordan …"), read only where a document has no "Label:" turn.
"""
from __future__ import annotations

import html
import re

__all__ = ["RUN_MARKS", "hidden_styles", "careful_paragraphs", "inherited", "bold_leads"]

# an on/off property: <w:vanish/> is on, w:val="0", "false" or "off" turns it off
_VANISH = re.compile(rb'<w:vanish\b(?:[^>]*?\bw:val="([^"]*)")?[^>]*>')
_OFF = {b"0", b"false", b"off"}
_STYLE = re.compile(rb"<w:style\b([^>]*)>(.*?)</w:style>", re.S)
_STYLE_ID = re.compile(rb'\bw:styleId="([^"]*)"')
_BASED_ON = re.compile(rb'<w:basedOn\b[^>]*\bw:val="([^"]*)"')
_RUN_PROPS = re.compile(rb"<w:rPr>(.*?)</w:rPr>", re.S)


def _toggle(pattern: re.Pattern, props: bytes) -> bool | None:
    """An on/off property (``pattern``, its ``w:val`` in group 1) set in run properties ``props``: True, False
    (turned off) or None (not set). A formatting change's record of the old properties (``w:rPrChange``, last in
    the properties) is not read."""
    m = pattern.search(props.split(b"<w:rPrChange", 1)[0])
    if m is None:
        return None
    return m.group(1) not in _OFF


def _vanish(props: bytes) -> bool | None:
    """The hidden property set in run properties ``props`` (:func:`_toggle`)."""
    return _toggle(_VANISH, props)


def _styles_setting(styles_xml: bytes, read) -> dict[bytes, bool]:
    """Each style of ``styles.xml`` that sets an on/off property (``read`` of its run properties), itself or
    through the style it is based on: its id and the setting. Styles that say nothing of it are left out."""
    own: dict[bytes, bool | None] = {}
    parent: dict[bytes, bytes] = {}
    for head, body in _STYLE.findall(styles_xml):
        sid = _STYLE_ID.search(head)
        if sid is None:
            continue
        props = _RUN_PROPS.search(body)
        own[sid.group(1)] = read(props.group(1)) if props else None
        based = _BASED_ON.search(body)
        if based:
            parent[sid.group(1)] = based.group(1)
    return inherited(own, parent)


def hidden_styles(styles_xml: bytes) -> dict[bytes, bool]:
    """Each style of ``styles.xml`` that sets the hidden property, itself or through the style it is based on:
    its id and whether it hides (a style based on a hidden one may turn it off). Styles that say nothing of it
    are left out, so an empty dict means no style hides text."""
    if b"w:vanish" not in styles_xml:
        return {}
    return _styles_setting(styles_xml, _vanish)


def inherited(own: dict, parent: dict) -> dict:
    """A style property through style inheritance (.docx ``basedOn``, .odt ``parent-style-name``): each style's
    own value (None: it says nothing), else the nearest ancestor's that says; styles no ancestor decides for
    are left out. A loop of parents ends."""
    resolved = {}
    for name, value in own.items():
        seen, at = {name}, name
        while value is None and at in parent and parent[at] not in seen:
            at = parent[at]
            seen.add(at)
            value = own.get(at)
        if value is not None:
            resolved[name] = value
    return resolved


RUN_MARKS = {b"tab": b"\t", b"noBreakHyphen": b"-"}  # what a run's tab and non-breaking hyphen tags stand for
_CAREFUL = re.compile(
    # the fast scan's tokens (.sources._W_TOKEN), with what this reader needs besides: each paragraph's and
    # run's opening tag and properties (a style, the hidden property), a run's end, and moved-away runs and
    # the older copy of a text box, each taken whole (what they hold is not read). A repeated group is greedy,
    # never possessive (*+): 3.11.0-3.11.4 fail one holding a lookahead (gh-100061) and read no properties
    rb"<(?:w:(?:t(?:\s[^>]*+)?>([^<]*+)</w:t>"  # 1 text
    rb"|(p)\b[^>]*?(/?)>"  # 2 a paragraph opens, 3 self-closing: it is empty
    rb"(?:\s*+<w:pPr>([^<]*+(?:<(?!/w:pPr>)[^<]*+)*)</w:pPr>)?"  # 4 its properties
    rb"|(br|cr)\b[^>]*/>"  # 5 soft line break
    rb"|(tab|noBreakHyphen)/>"  # 6 tab inside a run, or Word's non-breaking hyphen (a tag, not a character)
    rb"|(tr|tc)\b[^>]*+>"  # 7 a table row or cell opens
    rb"|(delText|instrText)\b[^>]*+>[^<]*+</w:\8>"  # 8 deleted text and field codes: skipped
    rb"|moveFrom\b[^>]*+(?<!/)>(?s:.*?)</w:moveFrom>"  # moved away (not the paragraph mark's <w:moveFrom/>)
    rb"|(r)\b[^>]*+>(?:\s*+<w:rPr>([^<]*+(?:<(?!/w:rPr>)[^<]*+)*)</w:rPr>)?)"  # 9 a run opens, 10 its properties
    rb"|mc:Fallback\b[^>]*+(?<!/)>(?s:.*?)</mc:Fallback>"  # a text box's copy for older readers (not an empty one)
    rb"|/w:(p|tr|tc|r)>)"  # 11 a paragraph, row, cell or run ends
)
_PSTYLE = re.compile(rb'<w:pStyle\b[^>]*\bw:val="([^"]*)"')
_RSTYLE = re.compile(rb'<w:rStyle\b[^>]*\bw:val="([^"]*)"')


class _Paragraph:
    """A paragraph being read: its text so far, whether its style hides its runs, the characters hidden; for a
    text box's paragraph, whether the run it sits in is hidden (Word hides what a hidden run holds: all its
    runs are hidden then) and so whether the rest of that run is."""

    __slots__ = ("parts", "hides", "hidden", "within", "resume")

    def __init__(self, props: bytes, styles: dict[bytes, bool], within: bool = False, resume: bool = False):
        self.parts: list[bytes] = []
        self.within, self.resume = within, resume
        # (a change of the properties keeps the old ones last, in w:pPrChange: not read)
        style = _PSTYLE.search(props.split(b"<w:pPrChange", 1)[0]) if props and styles else None
        self.hides = bool(style and styles.get(style.group(1)))
        self.hidden = 0

    def text(self) -> bytes:
        para = b"".join(self.parts)
        if b"&" in para:
            para = html.unescape(para.decode("utf-8")).encode("utf-8")
        return para


def _run_hides(props: bytes, paragraph: _Paragraph | None, styles: dict[bytes, bool]) -> bool:
    """Whether a run with properties ``props`` is hidden: its own hidden property, else its character style's,
    else its paragraph style's. Hidden is a toggle in Word (a character style that hides, in a paragraph
    style that hides, shows the run); either style hiding it hides it here: the safe side."""
    own = _vanish(props) if props else None
    if own is not None:
        return own
    style = _RSTYLE.search(props) if props and styles else None
    if style and styles.get(style.group(1)):
        return True
    return paragraph is not None and paragraph.hides


class _Reader:
    """The paragraphs read so far and the state of the scan: the paragraphs open (more than one inside a text
    box), a text box's paragraphs waiting for the end of the paragraph it is anchored in (or of its table row),
    the table row and cell being read, and whether the current run is hidden."""

    def __init__(self, styles: dict[bytes, bool]):
        self.styles = styles
        self.out: list[bytes] = []
        self.hidden: list[tuple[int, int]] = []  # (paragraph number, characters hidden)
        self.open: list[_Paragraph] = []
        self.boxed: list[tuple[bytes, int]] = []
        self.row: list[bytes] | None = None
        self.row_hidden = 0
        self.cell: list[bytes] = []
        self.run_hides = False

    def emit(self, para: bytes, lost: int) -> None:
        self.out.append(para)
        if lost:
            self.hidden.append((len(self.out), lost))

    def emit_boxed(self) -> None:
        for para, lost in self.boxed:
            self.emit(para, lost)
        self.boxed.clear()

    def text(self, text: bytes) -> None:
        if not self.open:
            return
        if self.run_hides:
            self.open[-1].hidden += len(html.unescape(text.decode("utf-8")))
        else:
            self.open[-1].parts.append(text)

    def mark(self, mark: bytes) -> None:
        """A tab or a soft line break inside a run."""
        if self.open and not self.run_hides:
            self.open[-1].parts.append(mark)

    def paragraph_ends(self, done: _Paragraph | None) -> None:
        """The end of a paragraph (None: an empty, self-closing one)."""
        para, lost = (done.text(), done.hidden) if done is not None else (b"", 0)
        if self.open:  # a paragraph of a text box, inside the one it is anchored in
            self.boxed.append((para, lost))
        elif self.row is not None:
            self.cell.append(para)
            self.row_hidden += lost
        else:
            self.emit(para, lost)
            self.emit_boxed()

    def table(self, opens: bytes, closes: bytes) -> None:
        if self.open:  # a table inside a text box: its paragraphs are read as the box's
            return
        if opens == b"tr":
            self.row, self.row_hidden = [], 0
        elif self.row is None:
            return
        elif closes == b"tc":
            self.row.append(b" ".join(x for x in self.cell if x.decode("utf-8").strip()))
            self.cell = []
        elif closes == b"tr":
            self.emit(b"\t".join(self.row), self.row_hidden)
            self.row = None
            self.emit_boxed()


def careful_paragraphs(xml: bytes, styles: dict[bytes, bool]) -> tuple[list[bytes], list[tuple[int, int]]]:
    """The paragraphs of a document's XML as :func:`.sources._docx_paragraphs` reads them (a table row is one,
    its cells joined by a tab; entities decoded), without hidden text, moved-away text or a text box's second
    copy, and a text box's paragraphs after the paragraph it is anchored in. Also, for each paragraph that
    lost hidden text, its number (1-based, as the paragraphs are counted here) and how many characters."""
    reader = _Reader(styles)
    for text, p_open, p_self, p_props, brk, tab, opens, _, run, r_props, closes in _CAREFUL.findall(xml):
        if text:
            reader.text(text)
        elif run:
            top = reader.open[-1] if reader.open else None
            reader.run_hides = (top is not None and top.within) or _run_hides(r_props, top, styles)
        elif closes == b"r":
            reader.run_hides = False
        elif p_open:
            if p_self:
                reader.paragraph_ends(None)
            else:
                within = bool(reader.open) and (reader.run_hides or reader.open[-1].within)
                reader.open.append(_Paragraph(p_props, styles, within, reader.run_hides))
        elif closes == b"p":
            if reader.open:
                done = reader.open.pop()
                reader.paragraph_ends(done)
                reader.run_hides = done.resume
        elif opens or closes:
            reader.table(opens, closes)
        elif tab:
            reader.mark(RUN_MARKS[tab])
        elif brk:
            reader.mark(b"\n")
    if reader.row is not None or reader.boxed:  # (a document cut off: what was read is kept)
        reader.emit_boxed()
    return reader.out, reader.hidden


# bold, as <w:b/> sets it in a run's or a style's properties (w:val="0", "false" or "off" turns it off); not
# <w:bCs/>, the bold of complex scripts
_BOLD = re.compile(rb'<w:b(?:\s[^>]*?\bw:val="([^"]*)")?\s*/?>')
_BOLD_SCAN = re.compile(
    rb"<(?:w:(?:t(?:\s[^>]*+)?>([^<]*+)</w:t>"  # 1 text
    rb"|(r)\b[^>]*+>(?:\s*+<w:rPr>([^<]*+(?:<(?!/w:rPr>)[^<]*+)*)</w:rPr>)?"  # 2 a run opens, 3 its properties
    rb"|(br|cr)\b[^>]*/>"  # 4 a line break: a line of its own
    rb"|(?:delText|instrText)\b[^>]*+>[^<]*+</w:(?:delText|instrText)>)"  # deleted text, field codes: skipped
    rb"|/w:(p|tc)>)"  # 5 a paragraph or a table cell ends
)


def _bold(props: bytes) -> bool | None:
    """Bold as run or style properties ``props`` set it (:func:`_toggle`)."""
    return _toggle(_BOLD, props)


def bold_leads(xml: bytes, styles_xml: bytes = b"") -> dict[str, int]:
    """The bold text each line of a document's XML (a paragraph, a table cell, a part after a line break)
    opens with, where text that is not bold follows it: each such text (stripped, entities decoded) and how
    many lines open with it. A run is bold by its own properties, else by its character style; a line bold all
    through (a heading) has no lead, nor has one that opens with text that is not bold."""
    styles = _styles_setting(styles_xml, _bold) if b"w:b" in styles_xml else {}
    counts: dict[str, int] = {}
    lead: list[bytes] = []
    settled = False  # the current line's lead is known (found, or none)
    bold = False  # the current run is bold
    for text, run, props, brk, ends in _BOLD_SCAN.findall(xml):
        if run:
            own = _bold(props) if props else None
            style = _RSTYLE.search(props) if own is None and props and styles else None
            bold = own if own is not None else bool(style and styles.get(style.group(1)))
        elif text:
            if settled or not text.strip():
                continue
            if bold:
                lead.append(text)
                continue
            settled = True
            found = html.unescape(b"".join(lead).decode("utf-8", "replace")).strip()
            if found:
                counts[found] = counts.get(found, 0) + 1
        elif brk or ends:
            lead, settled = [], False
    return counts
