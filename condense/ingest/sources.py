"""Reading files into normalised text and blocks (paragraphs, lines or subtitle cues).

A *block* is one contiguous run of the normalised source text that may start a turn: a line of a
.txt/.md file, a paragraph (or table row) of a .docx, a voice of a subtitle cue. Blocks never contain a
newline. Parsing labels, legends and timestamps out of blocks is the job of :mod:`.turns`.
"""
from __future__ import annotations

import html
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import CondenseError, Diagnostics, display_path
from ..io import decode  # the one decoder (re-exported here for older imports)
from .wordml import RUN_MARKS, bold_leads, careful_paragraphs, hidden_styles

__all__ = [
    "Block", "Source", "has_odd", "invisible_in", "warn_invisible", "visible_cells", "INVISIBLE_CHARS", "normalise", "read_plain", "read_docx", "read_odt", "read_rtf", "read_subtitles", "READERS",
    "TRANSCRIPT_SUFFIXES", "read_source", "docx_bold_leads", "withdrawn_comments", "odt_withdrawn_comments",
    "rtf_withdrawn_comments",
]


@dataclass(slots=True)
class Block:
    text: str
    offset: int  # start of ``text`` in the normalised source text
    line: int  # 1-based line (paragraph for .docx, cue line for subtitles)
    speaker: str | None = None  # from a subtitle voice tag
    timestamp: str | None = None  # from a subtitle cue


@dataclass(slots=True)
class Source:
    text: str  # the normalised source text; all spans point into it
    blocks: list[Block]
    front_matter: dict | None = None
    front_matter_line: int = 0
    encoding: str = "utf-8"
    merge_same_speaker: bool = False  # subtitles: consecutive cues of one speaker are one turn
    raw_sha256: str = ""
    withdrawn: object = None  # a .withdrawn.Withdrawn: passages blanked in ``text`` and their fingerprints
    paragraph_of_line: list[int] | None = None  # .docx with soft line breaks: each line's paragraph number
    # what a .docx (.odt, .rtf) says of itself outside its text: its title and subject, its headers and footers
    # ("Interview med Gurli Zenfeldt"). Never read as transcript text; the privacy takes an anonymous respondent's
    # name from it
    document: str = ""


# (and the non-breaking hyphen, LibreOffice's and a pasted Word text's "Anne‑Marie": the same name as "Anne-Marie")
_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\ufeff": "", "\u2011": "-"}
# Invisible formatting characters no transcript needs: zero-width space, word joiner, soft hyphen, the
# left-to-right/right-to-left marks, embeddings, overrides and isolates. A right-to-left override makes a cell
# display in another order than it reads ("Trojan source"); a zero-width space splits a word unseen. They are
# removed (W111 says how many). Zero-width (non-)joiners stay: emoji and some scripts need them.
_INVISIBLE = "\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069"
_SPACE_RE = re.compile(f"[\u00a0\u202f\u2007\u2009\ufeff\u2011{_INVISIBLE}]")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
#: the characters :func:`normalise` removes as invisible, one by one (for a reader that must keep its own
#: offsets, as :func:`condense.qdpx.normalise` does: it maps every character of a source to the text it writes)
INVISIBLE_CHARS = frozenset(ch for ch in map(chr, range(0x00A0, 0x2070)) if _INVISIBLE_RE.match(ch))


def file_id(path: Path) -> str:
    """The id a file gives when nothing names it: its stem, with its letters in one Unicode form (NFC), so a
    folder copied from a Mac, whose names write "å" as "a" + ring, keeps the ids its decisions were made on.
    A name holding invisible formatting characters (a zero-width space, as :func:`normalise` removes from text,
    W111) or compatibility forms (the ligature "ﬁ", full-width letters, NFKC) gave an id nobody can type in a
    review sheet ("odd\u200b ﬁsk"): they are removed and written plainly ("odd fisk"). Other names keep their
    ids; two files whose ids come out the same are E106, as any two ids are."""
    stem = path.stem
    if stem.isascii():
        return stem
    return unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", stem))  # (NFC where there is nothing to clean)


def normalise(text: str, odd: bool = True) -> str:
    """NFC, LF line ends, NBSP and other odd spaces to a plain space, stray BOMs and invisible formatting
    characters removed. ``odd=False``: the caller's :func:`has_odd` found none of those characters."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if odd and _SPACE_RE.search(text):
        text = _SPACE_RE.sub(lambda m: _SPACES.get(m.group(0), ""), text)
    return unicodedata.normalize("NFC", text)


def has_odd(text: str) -> bool:
    """Whether ``text`` holds an odd space or an invisible formatting character: one scan that answers for
    both :func:`warn_invisible` and :func:`normalise` (each scanned every transcript's whole text: 12 of
    ecape_da's ingest's 280 ms)."""
    return _SPACE_RE.search(text) is not None


def invisible_in(text: str) -> tuple[int, int, str] | None:
    """The invisible formatting characters :func:`normalise` removes from ``text``: how many, the offset of the
    first and its code point and name (``U+200B ZERO WIDTH SPACE``); None when there are none."""
    first = _INVISIBLE_RE.search(text)
    if first is None:
        return None
    name = unicodedata.name(first.group(0), "FORMAT CHARACTER")
    return len(_INVISIBLE_RE.findall(text)), first.start(), f"U+{ord(first.group(0)):04X} {name}"


def warn_invisible(text: str, path: Path, diagnostics: Diagnostics, unit: str = "line") -> None:
    """W111 when ``text`` (before :func:`normalise`) holds invisible formatting characters: how many, and the
    line (or paragraph) and name of the first."""
    found = invisible_in(text)
    if found is None:
        return
    n, at, first = found
    line = text.count("\n", 0, at) + 1
    diagnostics.warn("W111", path=display_path(path), n=n, where=f"{unit} {line}", first=first)


def visible_cells(row: dict[str, str], path: Path, line: int, diagnostics: Diagnostics | None) -> dict[str, str]:
    """A table's line (pseudonyms.csv, transcripts.csv, cases.csv) read as a transcript is: invisible formatting
    characters removed, with W111 naming the line, odd spaces made plain. A name pasted with a zero-width space in
    it is then the name the transcripts write."""
    cells = "\n".join(row.values())
    if not has_odd(cells):
        return row
    found = invisible_in(cells)
    if found is not None and diagnostics is not None:
        diagnostics.warn("W111", path=display_path(path), n=found[0], where=f"line {line}", first=found[2])
    return {k: normalise(v) for k, v in row.items()}


def _line_blocks(text: str, start: int = 0, first_line: int = 1) -> list[Block]:
    """Every non-empty line from ``start`` on is a block (stripped, offsets adjusted)."""
    blocks = []
    line = first_line
    pos = start
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        raw = text[pos:nl]
        stripped = raw.strip()
        if stripped:
            lead = 0 if raw[0] == stripped[0] else len(raw) - len(raw.lstrip())  # (most lines start at once)
            blocks.append(Block(stripped, pos + lead, line))
        line += 1
        pos = nl + 1
    return blocks


_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(\n|\Z)", re.S)


def read_plain(path: Path, data: bytes, diagnostics: Diagnostics) -> Source:
    """.txt and .md: optional YAML front matter, then one block per non-empty line."""
    import yaml

    raw, encoding = decode(data, path, diagnostics)
    odd = has_odd(raw)
    if odd:
        warn_invisible(raw, path, diagnostics)
    if odd and "\u00ad" in raw:  # a soft hyphen ending a line shows as a hyphen: "Gunn-" / "vor" is one word
        raw = re.sub("\u00ad(?=[\r\n])", "-", raw)  # (one character for one: lines stay)
    text = normalise(raw, odd)
    front = None
    body_start = 0
    m = _FRONT.match(text)
    if m:
        try:
            from ..limits import safe_load

            front = safe_load(m.group(1) or "") or {}  # depth and alias limits
        except yaml.YAMLError as exc:
            from ..limits import yaml_problem

            line, detail = yaml_problem(exc, (str(exc).splitlines() or ["invalid YAML"])[0])  # a tab named with its mend
            raise CondenseError("E107", path=display_path(path), line=line + 2 if line is not None else 2,
                                detail=detail) from exc
        if not isinstance(front, dict):
            raise CondenseError("E107", path=display_path(path), line=2, detail="expected `key: value` lines")
        front = _as_written(front, m.group(1) or "")
        body_start = m.end()
    return Source(text, _plain_blocks(text, body_start, path.suffix.lower()), front, 1 if m else 0, encoding)


def _as_written(front: dict, text: str) -> dict:
    """Front matter with its numbers, dates and times as the researcher wrote them: YAML reads ``id: 01`` as 1,
    ``id: 010`` as 8 (an octal number), ``cases: [2013]`` as a number and ``duration: 1:05`` as 65, and the
    transcript would go by an id (a plan by a name) nobody gave it. Yes/no and true/false stay what they say for
    `anonymous` alone: elsewhere they are words (``id: no`` was the transcript 'False', ``cases: [On]`` a case
    'True')."""
    def odd(value, key="") -> bool:
        meant = (str, type(None), dict, list, bool) if key == "anonymous" else (str, type(None), dict, list)
        return not isinstance(value, meant)

    if not any(odd(v, k) or isinstance(v, list) and any(odd(x, k) for x in v) for k, v in front.items()):
        return front
    from ..limits import compose

    written = {}
    for key_node, node in compose(text).value:
        if node.id == "scalar":
            written[key_node.value] = node.value
        elif node.id == "sequence":
            written[key_node.value] = [n.value if n.id == "scalar" else None for n in node.value]
    out = dict(front)
    for key, value in front.items():
        if odd(value, key):
            out[key] = written.get(key, value)
        elif isinstance(value, list) and isinstance(written.get(key), list) and len(written[key]) == len(value):
            out[key] = [w if odd(v, key) and w is not None else v for v, w in zip(value, written[key])]
    return out


def _plain_blocks(text: str, body_start: int, suffix: str) -> list[Block]:
    first_line = text.count("\n", 0, body_start) + 1
    blocks = _line_blocks(text, body_start, first_line)
    if suffix == ".md":
        blocks = [_strip_markdown(b) for b in blocks]
        blocks = [b for b in blocks if b.text]
    return blocks


_MD_HEADING = re.compile(r"^#{1,6}\s+")


def _strip_markdown(block: Block) -> Block:
    """Headings lose their ``#``; bold labels (``**I:**``) are handled by the label parser."""
    m = _MD_HEADING.match(block.text)
    if m:
        block.text, block.offset = block.text[m.end():], block.offset + m.end()
    return block


# ---------------------------------------------------------------- .docx
_W_TOKEN = re.compile(
    # one "<" and the namespace prefix for every tag, then the names (each tag of the XML failed every
    # alternative from its "<" on: 10-15% of the scan). Runs up to a "<" or ">" that must follow are
    # possessive (*+): nothing to give back, and no backtracking state kept (another 15%)
    rb"<(?:w:(?:t(?:\s[^>]*+)?>([^<]*+)</w:t>"  # 1 text
    rb"|p\b[^>]*?(/?)>"  # 2 a paragraph opens (or, self-closing, is empty)
    # a paragraph's properties (its tab stops, style, run marks; never text) are taken with its opening tag:
    # most of a transcript's tags are tab stops, and each failed the alternatives here one by one (ecape_da's
    # scan 0.145 -> 0.111 CPU s). The repeat of the group after the style is greedy, never possessive: 3.11.0-3.11.4
    # fail a possessive repeat of a group holding a lookahead (gh-100061) and read no paragraph's properties
    rb"(?:\s*+<w:pPr>[^<]*+(?:<(?!/w:pPr>)[^<]*+)*</w:pPr>)?"
    rb"|(br|cr)\b[^>]*/>"  # 3 soft line break
    rb"|(tab|noBreakHyphen)/>"  # 4 tab inside a run (tab *stops* carry attributes and do not match); Word's
    # non-breaking hyphen ("Anne-Marie" typed with Ctrl+Shift+-) is a tag of its own, not a character
    rb"|(tr|tc)\b[^>]*+>"  # 5 a table row or cell opens
    rb"|(delText|instrText)\b[^>]*+>[^<]*+</w:\6>"  # 6 deleted text and field codes: skipped
    # 7 hidden text, a tracked move or a text box: the document is read by .wordml instead. Looked for here, as
    # the scan passes each tag anyway (ecape_da: 3 ms more; four searches of the XML for them took 38 ms)
    rb"|(vanish|moveFrom|txbxContent)\b)"
    rb"|/w:(p|tr|tc)>)"  # 8 a paragraph, row or cell ends
)


def read_docx(path: Path, data: bytes, diagnostics: Diagnostics) -> Source:
    """.docx: one block per paragraph (a table row is one block, cells joined by a tab).

    The document XML is scanned directly, as bytes (:func:`_docx_paragraphs`): python-docx builds an object
    per run and is 5× slower on real transcripts (≈1 MB of XML each). python-docx is used when the XML does
    not use the usual ``w:`` prefix.
    """
    import io

    from ..limits import OLE_MAGIC, check_zip, office_problem

    office_problem(data, path)  # password-protected: an OLE container, not a zip (E718)
    if data.startswith(OLE_MAGIC):
        raise CondenseError("E111", path=display_path(path), detail="it is a Word 97–2003 .doc file, not .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            check_zip(z, path)  # a small file that would inflate to gigabytes (E712)
            if "word/document.xml" not in z.namelist():
                raise CondenseError("E111", path=display_path(path), detail=_zip_kind(z))
            xml = z.read("word/document.xml")
            styles = hidden_styles(_member(z, "word/styles.xml"))
            document = _docx_document(z, xml)
            xml, commented = withdrawn_comments(xml, _member(z, "word/comments.xml"))
        hidden: list[tuple[int, int]] = []
        if b"<w:body" not in xml:
            paragraphs = _docx_paragraphs_python_docx(path, data, hidden)
            text = "\n".join(paragraphs)
        else:
            text, paragraphs = _docx_text(xml, styles, hidden)
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, EOFError, NotImplementedError, ValueError) as exc:
        if data[:2] != b"PK":
            from ..limits import not_text

            not_text(data, path)  # a PDF saved under a .docx name: said so (E721)
            raise CondenseError("E104", path=display_path(path)) from exc
        raise CondenseError("E111", path=display_path(path), detail=type(exc).__name__) from exc
    odd = has_odd(text)
    if odd:
        warn_invisible(text, path, diagnostics, "paragraph")
    returns = "\r" in text  # (then the paragraphs are at hand: _docx_text)
    text = _normalised_paragraphs(text, paragraphs, odd)
    if returns:  # as normalise reads them: line breaks (each line its paragraph's number)
        paragraphs = [p.replace("\r\n", "\n").replace("\r", "\n") for p in paragraphs]
    if hidden:
        _warn_hidden(hidden, path, diagnostics, "Font > Hidden, Ctrl+Shift+H")
    _warn_commented(commented, path, diagnostics)
    if not text.strip():
        raise CondenseError("E103", path=display_path(path))
    numbers = _paragraph_numbers(paragraphs) if paragraphs is not None else None
    return Source(text, _paragraph_blocks(text, numbers), None, 0, "docx", paragraph_of_line=numbers, document=document)


_CORE_TEXT = re.compile(rb"<(?:dc:(?:title|subject|creator)|cp:lastModifiedBy)\b[^>]*>([^<]*)</")
_PART_TEXT = re.compile(rb"<w:t\b[^>]*>([^<]*)</w:t>|</w:p>")
_HEAD_FOOT = re.compile(r"word/(?:header\d*|footer\d*|comments|footnotes|endnotes)\.xml")
_ALT_TEXT = re.compile(rb'<wp:docPr\b[^>]*?\b(?:descr|title)="([^"]*)"')


def _docx_document(z: zipfile.ZipFile, xml: bytes = b"") -> str:
    """What a .docx says of itself (:attr:`Source.document`): the title, subject, author and last editor of its
    properties, the text of its headers and footers, comments, footnotes and endnotes, and the alt text of its
    pictures, a line each. An anonymous interview's file titled or headed "Interview med Gurli Zenfeldt" named her
    as its file name would (privacy._file_names), but nothing read it: another interview's "Gurli Zenfeldt"
    reached every output; a comment "Informanten er Gurli Zenfeldt" or her name as the file's author does so
    too. None of it is transcript text (the body's anchors of comments and notes hold none)."""
    lines = [html.unescape(m.decode("utf-8", "replace")) for m in _CORE_TEXT.findall(_member(z, "docProps/core.xml"))]
    for name in sorted(n for n in z.namelist() if _HEAD_FOOT.fullmatch(n)):
        line: list[str] = []
        for m in _PART_TEXT.finditer(_member(z, name)):
            if m.group(1) is None:
                lines.append("".join(line))
                line = []
            else:
                line.append(html.unescape(m.group(1).decode("utf-8", "replace")))
    if b"<wp:docPr" in xml:
        lines.extend(html.unescape(m.decode("utf-8", "replace")) for m in _ALT_TEXT.findall(xml))
    return "\n".join(x for x in lines if x.strip())


_COMMENT = re.compile(rb"<w:comment\b[^>]*?\bw:id=\"([^\"]*)\"[^>]*>(.*?)</w:comment>", re.S)
_RANGE = re.compile(rb'<w:commentRange(Start|End)\b[^>]*?\bw:id="([^"]*)"[^>]*/>')
# what a researcher writes in a comment on a passage a respondent withdrew: "withdrawn", "[[withdrawn]]",
# "Trukket tilbage", "tilbagetrukket af informanten"
_WITHDRAWAL = r"(?:w\s*i\s*t\s*h\s*d\s*r\s*a\s*w\s*n|trukket\s+tilbage|tilbagetrukket)"
_WITHDRAWN_COMMENT = re.compile(_WITHDRAWAL, re.I)
# English negations typed without their apostrophe ("isnt withdrawn"); not any word ending in "nt" ("parent
# withdrawn consent" negates nothing)
_UNAPOSTROPHISED = r"(?:is|was|are|were|has|have|had|do|does|did|could|would|should|ca|wo|must|need)nt"
# ... and one that seems to say the opposite: a negation up to three words before ("not withdrawn", "no longer
# withdrawn", "isn't withdrawn", "ikke trukket tilbage", "ikke længere tilbagetrukket", "unwithdrawn") or an answer
# after ("withdrawn: no", "trukket tilbage? nej", "withdrawn - cancelled", "tilbagetrukket, fortrudt"). Its passage
# is withdrawn all the same (the withheld side, when in doubt), and W131 names the comment's place. (A false alarm,
# "do not use - withdrawn", costs a warning; a missed negation costs nothing: the passage is withheld either way)
_NEGATED_COMMENT = re.compile(
    r"\b(?:not|never|no|cannot|ikke|ej|aldrig|\w+n['’ʼ]t|" + _UNAPOSTROPHISED  # the whole word: "Isn't", not "n't"
    + r")(?P<between>(?:[\s-]+\w+){0,3}?)[\s-]+" + _WITHDRAWAL
    + r"|\bun-?" + _WITHDRAWAL
    + "|" + _WITHDRAWAL + r"\W{0,3}\b(?:no|nej|cancell?ed|annulleret|fortrudt|undone|reversed)\b", re.I)


def withdrawn_comments(xml: bytes, comments: bytes) -> tuple[bytes, list[str]]:
    """A document's XML with each passage a comment calls withdrawn ("withdrawn", "trukket tilbage") marked
    ``[[withdrawn]]`` … ``[[/withdrawn]]`` where the comment's range starts and ends, and those comments' texts.
    Comments are not read as text, so a researcher who marked a withdrawn passage with one saw it in every
    output; the markers make it a withdrawn passage like any other (blanked, counted, its words known to the
    audit). A comment whose range holds a marker already adds none (the markers typed there decide)."""
    if not comments or b"w:commentRange" not in xml:
        return xml, []
    said: dict[bytes, str] = {}
    for cid, body in _COMMENT.findall(comments):
        text = html.unescape(b"".join(_PART_TEXT.findall(body)).decode("utf-8", "replace"))
        if _WITHDRAWN_COMMENT.search(text):
            said[cid] = " ".join(text.split())
    if not said:
        return xml, []
    starts = {m.group(2): m.span() for m in _RANGE.finditer(xml) if m.group(1) == b"Start" and m.group(2) in said}
    ends = {m.group(2): m.span() for m in _RANGE.finditer(xml) if m.group(1) == b"End" and m.group(2) in starts}
    return _marked(xml, starts, ends, b"<w:r><w:t>%s</w:t></w:r>", said, _W_PARAGRAPH)


def _marked(xml: bytes, starts: dict, ends: dict, wrap: bytes, said: dict,
            paragraph: re.Pattern) -> tuple[bytes, list[str]]:
    """``xml`` with each range (a comment's start and end tags' spans, by the comment's id) replaced by withdrawn
    markers in ``wrap`` (a run holding ``%s``), where the range holds no marker already; the comments' texts, each
    that seems to negate its withdrawal (:data:`_NEGATED_COMMENT`) as a :class:`Negated` (``paragraph``: what opens
    a paragraph of ``xml``, to count the one the range starts in)."""
    marked = [c for c in starts if c in ends and ends[c][0] >= starts[c][1]
              and not _MARKER_IN.search(xml, starts[c][1], ends[c][0])]
    if not marked:
        return xml, []
    said = {c: _negated(said[c], len(paragraph.findall(xml, 0, starts[c][0]))) for c in marked}
    cuts = sorted([(*starts[c], wrap % b"[[withdrawn]]") for c in marked]
                  + [(*ends[c], wrap % b"[[/withdrawn]]") for c in marked])
    out, pos = [], 0
    for a, b, marker in cuts:
        out += [xml[pos:a], marker]
        pos = b
    out.append(xml[pos:])
    return b"".join(out), [said[c] for c in marked]


class Negated(str):
    """A comment's text that calls its passage withdrawn but seems to say it is not: ``said`` is the words that
    seem to negate ("ikke trukket tilbage"; never the rest, which may name a person), ``paragraph`` the number of
    the paragraph the comment's range starts in."""
    said: str
    paragraph: int


def _negated(text: str, paragraph: int) -> str:
    """``text`` as a :class:`Negated` where it seems to negate its withdrawal, else as it is."""
    m = _NEGATED_COMMENT.search(text)
    if m is None:
        return text
    out = Negated(text)
    said = m.group(0)
    if m.group("between"):  # words between the negation and "withdrawn": a capitalised one may be a name
        at, end = m.start("between") - m.start(), m.end("between") - m.start()
        between = " ".join("…" if w.lstrip("-")[:1].isupper() else w for w in said[at:end].split())
        said = f"{said[:at]} {between} {said[end:]}"
    out.said, out.paragraph = " ".join(said.split()), max(1, paragraph)
    return out


def _warn_commented(commented: list[str], path: Path, diagnostics: Diagnostics) -> None:
    """W130: how many passages comments withdrew (a comment may name a person: not shown); W131 for each whose
    comment seems to say the opposite, with its place and the words that do."""
    if not commented:
        return
    diagnostics.warn("W130", path=display_path(path), n=len(commented))
    for comment in commented:
        if isinstance(comment, Negated):
            diagnostics.warn("W131", path=display_path(path), paragraph=comment.paragraph, said=comment.said)


_MARKER_IN = re.compile(rb"\[\[\s*/?\s*withdrawn", re.I)
# what opens a paragraph, to count them (:func:`_marked`): a .docx's, an .odt's, an .rtf's (each ``\par`` ends one)
_W_PARAGRAPH = re.compile(rb"<w:p[\s>/]")
_ODT_PARAGRAPH_OPEN = re.compile(rb"<text:[ph][\s>/]")
_RTF_PARAGRAPH = re.compile(rb"\A|\\par(?![a-zA-Z])")
_ODT_ANNOTATION = re.compile(rb"<office:annotation\b([^>]*?)(?<!/)>(.*?)</office:annotation>", re.S)
_ODT_END = re.compile(rb"<office:annotation-end\b[^>]*?\boffice:name=\"([^\"]*)\"[^>]*/>")
_ODT_NAME = re.compile(rb'\boffice:name="([^"]*)"')


def odt_withdrawn_comments(content: bytes) -> tuple[bytes, list[str]]:
    """:func:`withdrawn_comments` for an .odt's ``content.xml``: a LibreOffice comment on a range
    (``office:annotation`` … ``office:annotation-end`` of the same name) that calls it withdrawn."""
    if b"office:annotation-end" not in content:
        return content, []
    said, starts = {}, {}
    for m in _ODT_ANNOTATION.finditer(content):
        name = _ODT_NAME.search(m.group(1))
        paragraphs = re.findall(rb"<text:p\b[^>]*>(.*?)</text:p>", m.group(2), re.S)
        text = html.unescape(b" ".join(_TAG.sub(b"", x) for x in paragraphs).decode("utf-8", "replace"))
        if name is not None and _WITHDRAWN_COMMENT.search(text):
            said[name.group(1)] = " ".join(text.split())
            starts[name.group(1)] = m.span()
    ends = {m.group(1): m.span() for m in _ODT_END.finditer(content) if m.group(1) in starts}
    return _marked(content, starts, ends, b"<text:span>%s</text:span>", said, _ODT_PARAGRAPH_OPEN)


def rtf_withdrawn_comments(data: bytes) -> tuple[bytes, list[str]]:
    """:func:`withdrawn_comments` for an .rtf: a comment (``{\\*\\annotation{\\*\\atnref N} …}``) that calls its
    range (``{\\*\\atrfstart N}`` … ``{\\*\\atrfend N}``) withdrawn, as Word and LibreOffice write them."""
    from .rtf import RANGE, rtf_annotations

    if b"atrfstart" not in data:
        return data, []
    said = {ref.encode("latin-1"): " ".join(text.split()) for ref, text in rtf_annotations(data)
            if ref and _WITHDRAWN_COMMENT.search(text)}
    if not said:
        return data, []
    ranges = list(RANGE.finditer(data))
    starts = {m.group(2): m.span() for m in ranges if m.group(1) == b"start" and m.group(2) in said}
    ends = {m.group(2): m.span() for m in ranges if m.group(1) == b"end" and m.group(2) in starts}
    return _marked(data, starts, ends, b"{%s}", said, _RTF_PARAGRAPH)


def _warn_hidden(hidden: list[tuple[int, int]], path: Path, diagnostics: Diagnostics, how: str) -> None:
    """W126: the paragraphs (number, characters) whose hidden text was left out, and how to unhide it."""
    from ..errors import first_few

    diagnostics.warn("W126", path=display_path(path), n=sum(n for _, n in hidden),
                     paragraphs=first_few([str(number) for number, _ in hidden]), how=how)


# what a zip that is no Word document is, by a part only that kind of file has
_ZIP_KINDS = (("xl/workbook.xml", "an Excel workbook (.xlsx)"), ("ppt/presentation.xml", "a PowerPoint file (.pptx)"),
              ("content.xml", "an OpenDocument file (.odt/.ods)"), ("project.qde", "a REFI-QDA project (.qdpx)"))


def _zip_kind(z: zipfile.ZipFile) -> str:
    """Why a zip named .docx (or .rtf) is no Word document: what it is instead, when a part says so."""
    names = set(z.namelist())
    for part, kind in _ZIP_KINDS:
        if part in names:
            return f"it is {kind}, not a Word document"
    return "a zip archive with no word/document.xml, so no Word document"


def _docx_text(xml: bytes, styles: dict[bytes, bool] | None = None,
               hidden: list[tuple[int, int]] | None = None) -> tuple[str, list[str] | None]:
    """The text of a document's XML, its paragraphs joined by line breaks, decoded once (UnicodeDecodeError
    for a part that is not UTF-8); and the paragraphs one by one where one holds a line break or carriage
    return of its own (else None: the text's lines are its paragraphs). Decoding the whole XML to scan it as
    a string cost as much as a fifth of reading ecape_da's .docx (the text is a tenth of the XML).
    A document with hidden text, a tracked move or a text box (``styles``: which styles hide text) is read by
    :func:`.wordml.careful_paragraphs`; ``hidden`` gets the paragraphs that lost hidden text."""
    added: list[int] = []
    raw = None if styles and any(styles.values()) else _docx_paragraphs(xml, added)
    careful = raw is None
    if careful:
        raw, lost = careful_paragraphs(xml, styles or {})
        if hidden is not None:
            hidden.extend(lost)
    joined = b"\n".join(raw)
    text = joined.decode("utf-8")
    if careful or _non_ascii(joined) - sum(added) != _non_ascii(xml):
        # bytes outside ASCII elsewhere than in the text (an attribute, deleted text): the whole part must be
        # UTF-8 too (a count of such bytes costs a third of decoding it; Word writes them in the text only)
        xml.decode("utf-8")
    if "\r" in text or text.count("\n") != len(raw) - 1:
        return text, [p.decode("utf-8") for p in raw]
    return text, None


def _normalised_paragraphs(text: str, paragraphs: list[str], odd: bool = True) -> str:
    """The paragraphs (``text`` is them joined by line breaks) each normalised, joined by line breaks; a soft
    line break inside one (Shift+Enter, or a carriage return) stays a line break. Without carriage returns
    the whole text is normalised at once: :func:`normalise` works character by character but for NFC, and NFC
    never combines anything with a line break (32,000 calls on ecape_da cost 0.01 s); a paragraph ending in
    a carriage return would make one line end of it and the join."""
    if "\r" in text:
        return "\n".join(normalise(p, odd) for p in paragraphs)
    return normalise(text, odd)


def _paragraph_blocks(text: str, numbers: list[int] | None = None) -> list[Block]:
    """One block per line of a .docx text (paragraphs joined by a line break): a paragraph, or a part of one
    after a soft line break, as a .txt file's lines are. Typed with Shift+Enter, "Interviewer: …?⏎Anne: …"
    is two turns; read as one paragraph, every answer went into the interviewer's turn. ``line`` is the
    paragraph's number, as Word counts them (``numbers``: each line's, see :func:`_paragraph_numbers`)."""
    blocks = []
    offset = 0
    for i, para in enumerate(text.split("\n")):
        stripped = para.strip()
        if stripped:
            lead = 0 if para[0] == stripped[0] else len(para) - len(para.lstrip())  # (most start at once)
            blocks.append(Block(stripped, offset + lead, numbers[i] if numbers else i + 1))
        offset += len(para) + 1
    return blocks


def _paragraph_numbers(paragraphs: list[str]) -> list[int] | None:
    """Each line's paragraph number, where a paragraph holds soft line breaks (else None: line i + 1)."""
    if not any("\n" in p for p in paragraphs):
        return None
    return [i for i, p in enumerate(paragraphs, start=1) for _ in range(p.count("\n") + 1)]


_ASCII = bytes(range(128))


def _non_ascii(data: bytes) -> int:
    """How many bytes of ``data`` are outside ASCII. Where numpy is loaded already (every run and benchmark:
    pandas, spaCy), it counts them in one vectorised pass: ecape_da's 29 MB of document XML in 2.6 instead of
    10.3 ms (bytes.translate deletes byte by byte); it is not imported for this."""
    np = sys.modules.get("numpy")
    if np is None:
        return len(data.translate(None, _ASCII))
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) >= 128))


def _docx_paragraphs(xml: bytes, added: list[int] | None = None) -> list[bytes] | None:
    """The paragraphs of a document's XML, as UTF-8 (a table row is one, its cells joined by a tab).
    ``findall`` hands over each tag's groups as a tuple at C speed (a group call per alternative and match
    cost a third of the scan); every group is empty where its alternative did not match, and an empty run's
    text adds nothing. The scan is of bytes: a tag is ASCII, and no byte of a UTF-8 letter is ``<``.
    ``added`` gets, per paragraph with entities, how many bytes outside ASCII decoding them added.
    None where the document holds hidden text, a tracked move or a text box (:mod:`.wordml` reads it)."""
    out: list[bytes] = []
    parts: list[bytes] = []
    row: list[bytes] | None = None
    cell: list[bytes] = []
    for text, p_self, brk, tab, opens, _, care, closes in _W_TOKEN.findall(xml):
        if text:
            parts.append(text)
        elif closes == b"p" or p_self:  # a paragraph ends
            para = b"".join(parts)
            if b"&" in para:
                decoded = html.unescape(para.decode("utf-8")).encode("utf-8")
                if added is not None:  # bytes outside ASCII an entity brought (&#248;): not in the XML itself
                    added.append(len(decoded.translate(None, _ASCII)) - len(para.translate(None, _ASCII)))
                para = decoded
            parts = []
            if row is not None:
                cell.append(para)
            else:
                out.append(para)
        elif closes == b"tr":
            if row is not None:
                out.append(b"\t".join(row))
                row = None
        elif closes:  # the end of a cell
            if row is not None:
                row.append(b" ".join(x for x in cell if x.decode("utf-8").strip()))
                cell = []
        elif opens == b"tr":
            row = []
        elif tab:
            parts.append(RUN_MARKS[tab])
        elif brk:
            parts.append(b"\n")
        elif care:
            return None
    return out


def _docx_paragraphs_python_docx(path: Path, data: bytes, hidden: list[tuple[int, int]] | None = None) -> list[str]:
    """The paragraphs as python-docx reads them (a document whose XML does not use the ``w:`` prefix), without
    hidden runs (their own hidden property, else their character or paragraph style's, as the scan decides);
    ``hidden`` gets each paragraph's number and characters left out."""
    import io

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for broken packages
        raise CondenseError("E111", path=display_path(path), detail=str(exc)) from exc
    out = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        text, lost = _visible_runs(paragraph)
        out.append(text)
        if lost and hidden is not None:
            hidden.append((number, lost))
    return out


def _style_hides(style) -> bool:
    """Whether a python-docx style, or the first style it is based on that says, sets the hidden property."""
    seen = 0
    while style is not None and seen < 50:  # (a loop of basedOn ends)
        value = style.font.hidden
        if value is not None:
            return value
        style, seen = style.base_style, seen + 1
    return False


def _visible_runs(paragraph) -> tuple[str, int]:
    """A python-docx paragraph's text without its hidden runs, and how many characters those held. A paragraph
    without hidden formatting anywhere is read as python-docx reads it (``paragraph.text``)."""
    inserted = bool(paragraph._p.xpath("./w:ins | ./w:moveTo"))
    if not inserted and b"vanish" not in paragraph._p.xml.encode() and not _style_hides(paragraph.style):
        if not any(_style_hides(run.style) for run in paragraph.runs if run.style is not None):  # (the common case)
            return paragraph.text, 0
    para_hides = _style_hides(paragraph.style)
    pieces, lost = [], 0
    for item in (_tracked_runs(paragraph) if inserted else paragraph.iter_inner_content()):
        for run in getattr(item, "runs", None) or [item]:
            hides = run.font.hidden
            if hides is None:
                hides = (run.style is not None and _style_hides(run.style)) or para_hides
            if hides:
                lost += len(run.text)
            else:
                pieces.append(run.text)
    return "".join(pieces), lost


def _tracked_runs(paragraph) -> list:
    """A paragraph's runs in order, those of tracked insertions and moves (``w:ins``, ``w:moveTo``) included: the
    text a reader sees with changes shown, as the scan reads it. python-docx's ``paragraph.text`` and inner content
    hold only the paragraph's own runs and links, so an inserted word was lost ("(ind)"); deleted and moved-away
    text (``w:del``, ``w:moveFrom``) stays out."""
    from docx.text.run import Run

    found = paragraph._p.xpath("./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:ins/w:hyperlink/w:r | ./w:moveTo/w:r")
    return [Run(r, paragraph) for r in found]


# ---------------------------------------------------------------- .odt
def read_odt(path: Path, data: bytes, diagnostics: Diagnostics) -> Source:
    """OpenDocument text (.odt): one block per paragraph, as a .docx (:mod:`.odt` says what is read)."""
    import io

    from ..limits import check_zip
    from .odt import odt_paragraphs

    hidden: list[tuple[int, int]] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            check_zip(z, path)  # a small file that would inflate to gigabytes (E712)
            if "content.xml" not in z.namelist() and "EncryptedPackage" not in z.namelist():
                raise ValueError("it has no content.xml")
            if b"manifest:encryption-data" in _member(z, "META-INF/manifest.xml"):
                raise ValueError("it is password-protected")
            styles = _member(z, "styles.xml")
            raw = z.read("content.xml")
            content, commented = odt_withdrawn_comments(raw)
            paragraphs = odt_paragraphs(content, styles, hidden)
            document = _odt_document(_member(z, "meta.xml"), styles, raw)
    except (zipfile.BadZipFile, KeyError, EOFError, NotImplementedError, ValueError) as exc:
        if data[:2] != b"PK":
            from ..limits import not_text

            not_text(data, path)  # a PDF saved under a .docx name: said so (E721)
            raise CondenseError("E104", path=display_path(path)) from exc
        raise CondenseError("E111", path=display_path(path), kind=".odt", detail=str(exc) or type(exc).__name__,
                            app="LibreOffice", ext=".odt") from exc
    paragraphs = [p.replace("\r", " ") for p in paragraphs]
    source = _paragraph_source("\n".join(paragraphs), paragraphs, path, diagnostics, "odt", hidden,
                               "in LibreOffice Format > Character > Font Effects > Hidden; a hidden paragraph or "
                               "section: Edit > Fields or Format > Sections")
    source.document = document
    _warn_commented(commented, path, diagnostics)
    return source


_ODT_META = re.compile(rb"<(?:dc:(?:title|subject|creator)|meta:initial-creator)\b[^>]*>([^<]*)</")
_ODT_ASIDES = re.compile(rb"<(office:annotation|text:note-body)\b[^>]*(?<!/)>(.*?)</\1>", re.S)
_ODT_HEAD_FOOT = re.compile(rb"<style:(header|footer)(?:-left|-first)?\b[^>]*>(.*?)</style:\1", re.S)
_ODT_PARAGRAPH = re.compile(rb"</text:(?:p|h)>")
_TAG = re.compile(rb"<[^>]*>")


def _odt_document(meta: bytes, styles: bytes, content: bytes = b"") -> str:
    """What an .odt says of itself (:attr:`Source.document`), as :func:`_docx_document` for a .docx: the title,
    subject and authors of ``meta.xml``, the text of the headers and footers in ``styles.xml``, and of the
    comments (with their authors) and footnotes in ``content.xml``, a line each paragraph."""
    lines = [m for m in _ODT_META.findall(meta)]
    for _, body in _ODT_HEAD_FOOT.findall(styles):
        lines += [_TAG.sub(b"", part) for part in _ODT_PARAGRAPH.split(body)]
    if b"<office:annotation" in content or b"<text:note-body" in content:
        for _, body in _ODT_ASIDES.findall(content):
            lines += [_TAG.sub(b" ", part) for part in _ODT_PARAGRAPH.split(body)]
    return "\n".join(x for x in (html.unescape(b.decode("utf-8", "replace")) for b in lines) if x.strip())


def _paragraph_source(text: str, paragraphs: list[str], path: Path, diagnostics: Diagnostics, kind: str,
                      hidden: list[tuple[int, int]], how: str) -> Source:
    """The Source of a word processor's paragraphs (.odt, .rtf): invisible characters warned about (W111) and
    normalised, hidden text left out reported (W126, ``how``: how to unhide it), E103 when nothing is left;
    one block per paragraph, numbered as the word processor does."""
    odd = has_odd(text)
    if odd:
        warn_invisible(text, path, diagnostics, "paragraph")
    text = normalise(text, odd)
    if hidden:
        _warn_hidden(hidden, path, diagnostics, how)
    if not text.strip():
        raise CondenseError("E103", path=display_path(path))
    numbers = _paragraph_numbers(paragraphs)
    return Source(text, _paragraph_blocks(text, numbers), None, 0, kind, paragraph_of_line=numbers)


def docx_bold_leads(path: Path) -> frozenset[str]:
    """The bold texts that open two lines or more of a .docx (:func:`.wordml.bold_leads`), read again from the
    file: asked only of a document in which no "Label:" turn was found (the scan of every .docx for them would
    cost every run a second pass over the XML). Empty where the file cannot be read so (it was read once)."""
    import io

    from ..io import read_bytes

    try:
        with zipfile.ZipFile(io.BytesIO(read_bytes(path))) as z:
            leads = bold_leads(_member(z, "word/document.xml"), _member(z, "word/styles.xml"))
    except (zipfile.BadZipFile, CondenseError, EOFError, NotImplementedError, ValueError):
        return frozenset()
    return frozenset(text for text, n in leads.items() if n >= 2)


def _member(z: zipfile.ZipFile, name: str) -> bytes:
    try:
        return z.read(name)
    except KeyError:
        return b""


# ---------------------------------------------------------------- .rtf
def read_rtf(path: Path, data: bytes, diagnostics: Diagnostics) -> Source:
    """Rich Text Format (.rtf): one block per paragraph, as a .docx (:mod:`.rtf` says what is read: never
    hidden text). A .docx, .odt or text file given a .rtf name (a careless "Save As" or rename) is read as what
    it is, with W127."""
    from .rtf import RTFError, is_rtf, rtf_info, rtf_paragraphs

    if not is_rtf(data):
        return _not_rtf(path, data, diagnostics)
    hidden: list[tuple[int, int]] = []
    marked, commented = rtf_withdrawn_comments(data)
    try:
        paragraphs = rtf_paragraphs(marked, hidden)
    except RTFError as exc:
        raise CondenseError("E111", path=display_path(path), kind=".rtf", detail=str(exc), app="Word or LibreOffice",
                            ext=".rtf or .docx") from exc
    from ..io import controls_to_spaces

    # a control character (\'00, \u1?: a damaged file, a pasted one) is a space, as in a text file (W701)
    text = controls_to_spaces("\n".join(paragraphs), path, diagnostics)
    source = _paragraph_source(text, paragraphs, path, diagnostics, "rtf", hidden,
                               "in Word or LibreOffice: Font > Hidden")
    source.document = rtf_info(data)
    _warn_commented(commented, path, diagnostics)
    return source


def _not_rtf(path: Path, data: bytes, diagnostics: Diagnostics) -> Source:
    """A file named .rtf that is no RTF: a Word or OpenDocument file (a zip) or a text file is read as such;
    anything else is refused as binary (E104) by the reader of text files."""
    from ..limits import OLE_MAGIC

    if data.startswith(OLE_MAGIC):
        raise CondenseError("E111", path=display_path(path), kind=".rtf",
                            detail="it is a Word 97–2003 .doc file, not RTF", app="Word", ext=".docx")
    if data[:2] == b"PK":
        odt = b"mimetypeapplication/vnd.oasis.opendocument" in data[:200]
        kind, reader = (".odt", read_odt) if odt else (".docx", read_docx)
    else:
        kind, reader = ".txt", read_plain
    source = reader(path, data, diagnostics)
    diagnostics.warn("W127", path=display_path(path), kind=kind)
    return source


# ---------------------------------------------------------------- .vtt / .srt
_CUE_TIME = re.compile(
    r"^\s*(\d{1,2}:)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>(.*?)(?:</v>|(?=<v[\s.])|$)", re.S)
_TAGS = re.compile(r"</?(?:c|i|b|u|lang|ruby|rt|v)(?:[.\s][^>]*)?>|<\d{1,2}:\d{2}[:.\d]*>")


def read_subtitles(path: Path, data: bytes, diagnostics: Diagnostics) -> Source:
    """WebVTT and SubRip: one block per cue (per voice when a cue has several)."""
    raw, encoding = decode(data, path, diagnostics)
    odd = has_odd(raw)
    if odd:
        warn_invisible(raw, path, diagnostics)
    text = normalise(raw, odd)
    return Source(text, _subtitle_blocks(text), None, 0, encoding, merge_same_speaker=True)


def _subtitle_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    i = 0
    n = len(lines)
    while i < n:
        m = _CUE_TIME.match(lines[i])
        if not m:
            i += 1
            continue
        hours = int((m.group(1) or "0:")[:-1])
        stamp = f"{hours:02d}:{int(m.group(2)):02d}:{int(m.group(3)):02d}"
        i += 1
        while i < n and lines[i].strip():
            line, off = lines[i], offsets[i]
            blocks.extend(_cue_line_blocks(line, off, i + 1, stamp))
            i += 1
    return blocks


def _cue_line_blocks(line: str, offset: int, lineno: int, stamp: str) -> list[Block]:
    out = []
    voices = list(_VOICE.finditer(line))
    if voices:
        for v in voices:
            body = v.group(2)
            start = v.start(2)
            clean, shift = _strip_tags(body)
            if clean.strip():
                lead = len(clean) - len(clean.lstrip())
                out.append(Block(clean.strip(), offset + start + shift + lead, lineno, v.group(1).strip(), stamp))
        return out
    clean, shift = _strip_tags(line)
    if clean.strip():
        lead = len(clean) - len(clean.lstrip())
        out.append(Block(clean.strip(), offset + shift + lead, lineno, None, stamp))
    return out


def _strip_tags(text: str) -> tuple[str, int]:
    """Remove inline cue tags. Returns the text and how many characters were removed before it starts.

    Tags inside the text are replaced by nothing; offsets inside such a block are then approximate, so
    such blocks keep only their start offset exact (subtitles rarely style speech mid-sentence).
    """
    lead = 0
    m = _TAGS.match(text)
    while m:
        lead += m.end()
        text = text[m.end():]
        m = _TAGS.match(text)
    return _TAGS.sub("", text), lead


READERS = {
    ".txt": read_plain,
    ".md": read_plain,
    ".docx": read_docx,
    ".odt": read_odt,
    ".rtf": read_rtf,
    ".vtt": read_subtitles,
    ".srt": read_subtitles,
}
TRANSCRIPT_SUFFIXES = tuple(READERS)


def read_source(path: Path, diagnostics: Diagnostics) -> Source:
    import hashlib

    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise CondenseError("E102", ext=suffix or "(none)", path=display_path(path))
    from ..limits import check_regular

    check_regular(path)  # a FIFO or device named .txt would hang or never end
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CondenseError("E101", path=display_path(path)) from exc
    except IsADirectoryError as exc:  # a file that became a folder since (E101 "File not found" for a folder)
        raise CondenseError("E722", path=display_path(path), example=", e.g. a transcript's .txt or .docx") from exc
    if not data.strip():
        raise CondenseError("E103", path=display_path(path))
    source = reader(path, data, diagnostics)
    source.raw_sha256 = hashlib.sha256(data).hexdigest()
    _withdraw(source, path, _AS_READ.get(source.encoding, ".txt" if suffix == ".rtf" else suffix))
    return source


# the type a file was read as, by its Source's encoding (a .rtf may be a .docx renamed: W127)
_AS_READ = {"docx": ".docx", "odt": ".odt", "rtf": ".rtf"}
_PARAGRAPHS = (".docx", ".odt", ".rtf")  # a block is a paragraph (or a line of one), numbered as a word processor does


def _withdraw(source: Source, path: Path, suffix: str) -> None:
    """Check the withdrawn-marker grammar over the whole text, then blank the passages and cut the blocks
    again, so that a passage may cross lines, paragraphs and cues and no block ever holds withdrawn text."""
    from .withdrawn import blank, find_withdrawn

    language = (source.front_matter or {}).get("language") if isinstance(source.front_matter, dict) else None
    found = find_withdrawn(source.text, path, unit="paragraph" if suffix in _PARAGRAPHS else "line",
                           language=language if language in ("da", "en") else None)
    source.withdrawn = found
    if not found.spans:
        return
    subtitles = suffix in (".vtt", ".srt")
    source.text = blank(source.text, found.spans, keep_line=_CUE_TIME if subtitles else None)
    if subtitles:
        source.blocks = _subtitle_blocks(source.text)
    elif suffix in _PARAGRAPHS:
        source.blocks = _paragraph_blocks(source.text, source.paragraph_of_line)
    else:
        m = _FRONT.match(source.text)
        source.blocks = _plain_blocks(source.text, m.end() if m else 0, suffix)
