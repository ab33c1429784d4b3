"""From blocks to turns: labels, legends, header lines, timestamps and withdrawn passages.

Conventions handled (all seen in real Danish transcripts):

* ``Label: text`` — labels ``I``, ``I1``, ``X``, ``Mette``, ``Interviewer``, joint ``X og Y``, with a
  transcriber's comment ``I1 (utydeligt hvem?):``, bold in Markdown ``**I:**``, or tab-separated
  (``0:0⇥I1⇥text``, a table layout ``TID⇥PERSON⇥UDTALELSE``).
* Timestamps before the label (``[00:12:03] I:``, ``*03:02 = I1:``, ``01:08:06 = I2:``, ``*1.36.02: X:``)
  or alone on a line (``0:00:00.0``, ``*1.01.07``, ``*49``): metadata of the next turn, never text.
* A speaker legend at the top (``I1: Interviewer 1`` lines, ``I = Interviewer; X = Informant``,
  ``Interviewer (I) Interviewer (O) Informant (X)``): metadata giving roles, never turns.
* Header lines before the first turn (a title, ``Båndlængde 59:11``, a transcriber's remark).
* Unlabelled lines after the first turn continue the current speaker's turn.
* ``[[withdrawn]] … [[/withdrawn]]`` (may span turns): removed, counted.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import NOTES_SPEAKER, Turn
from .sources import Block

__all__ = [
    "TS", "LONE_TS", "LABEL", "TURN_RE", "TS_PREFIX", "ROLE_WORDS", "ROLE_LABEL", "is_role_label", "INTERVIEWER_WORDS", "LEGEND_EQ",
    "LEGEND_PAREN", "LEGEND_SPLIT", "CODE_LABEL", "JOINT", "Parsed", "is_role_description",
    "parse_legend", "INLINE_TURN", "parse_blocks", "detect_labels", "INLINE_TS",
]

TS = (
    r"(?:\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\]"
    r"|\(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)"
    r"|\*\s*\d{1,2}(?:[:.]\d{1,2}){0,2}(?:\.\d+)?"
    r"|\d{1,2}[:.]\d{1,2}(?:[:.]\d{1,2})?(?:\.\d+)?)"
)
LONE_TS = re.compile(rf"^\s*{TS}\s*[=:]?\s*$")
# a speaker label: a capitalised word, or up to three ("Anne Hansen", "Mette Vinther Berg"), and a number
_NAME = r"[A-ZÆØÅ][\wæøåÆØÅ'\-]{0,24}"
_WORDLABEL = rf"{_NAME}(?:[ ]{_NAME}){{0,2}}(?:\s\d{{1,2}})?"
LABEL = rf"{_WORDLABEL}(?:\s(?:og|and|&|\+)\s{_WORDLABEL})*"
TURN_RE = re.compile(
    rf"^(?:(?P<ts>{TS})\s*(?:=|:|\t)?\s*)?"
    rf"(?:\*\*|__)?(?P<label>{LABEL})(?:\*\*|__)?"
    r"[ ]?(?:\((?P<comment>[^)\n]{0,60})\))?"
    r"(?:[ ]?\[(?P<stamp>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)\])?"
    r"(?:\s*[:\uff1a](?:\*\*|__)?|\t)[ \t]*(?P<text>.*)$",  # a colon, or the full-width one (an East Asian keyboard)
    re.S,
)
# "Anne Hansen  0:03" alone on a line, the speech in the paragraphs after it (Otter.ai's text export and
# others like it)
_CLOCK = r"[\[(]?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)[\])]?"
SPEAKER_LINE = re.compile(rf"^(?P<label>{LABEL})[ \t]+{_CLOCK}[ \t]*$")
# "[0:05] Anne Hansen" or "00:00:05 Anne Hansen" alone on a line, as Teams and Zoom write their .docx
SPEAKER_LINE_TS_FIRST = re.compile(rf"^{_CLOCK}[ \t]+(?P<label>{LABEL})[ \t]*$")
TS_PREFIX = re.compile(rf"^(?P<ts>{TS})\s*(?:=|:|\t)\s*")

# The words that name a role in an interview rather than a person, in Danish and English
_ROLE_NOUNS = ("informant", "respondent", "deltager", "mand", "kvinde", "barn", "datter", "søn", "mor", "far",
               "moderator", "forsker", "researcher", "participant", "facilitator", "projektleder", "koordinator",
               "medarbejder", "man", "woman", "child", "spørger", "interviewee", "borger", "beboer")
_SHORT_NOUNS = {"mor", "far", "man"}  # a word beginning with them is another word ("Morten", "Farum", "Manfred")
ROLE_WORDS = re.compile("interv|" + "|".join(w + (r"\b" if w in _SHORT_NOUNS else "") for w in _ROLE_NOUNS), re.I)
# A speaker label that names a role, not a person: a role word as a whole word, inflected ("Beboeren",
# "Mandlig informant"), numbered or lettered ("Beboer1", "Kvinde 2", "Deltager A"), or a transcriber's
# shortening (INT, Resp., INF, IVR, MOD, Spm, Sv). ROLE_WORDS matches word beginnings, which suits role
# descriptions but would take the surnames Søndergaard, Mandrup or Barnekow for "søn", "mand", "barn".
_ROLE_STEMS = "|".join(_ROLE_NOUNS + ("mænd", "børn", "sønnen", "sønner", "sønnerne", "men", "women", "children"))
ROLE_LABEL = re.compile(
    rf"(?:interv\w*|(?:{_ROLE_STEMS})(?:e|en|er|erne|ens|s|ne|r|rne|et|ets|lig|lige)?"
    r"|int|intv|intvr|ivr|resp|res|inf|mod|fac|part|spm|sv)\.?"
    r"(?:\s*\d{1,3}|[\s\-_]+[A-ZÆØÅ]\b)?(?:[\s,(].*)?",
    re.I | re.S,
)


def is_role_label(label: str) -> bool:
    """Whether a speaker label (or a legend's word) names a role rather than a person (:data:`ROLE_LABEL`)."""
    return ROLE_LABEL.fullmatch(label.strip()) is not None


INTERVIEWER_WORDS = re.compile(r"^\s*interv(?!iewe[de]|iewperson)|moderator|forsker|researcher|facilitator|spørger", re.I)
LEGEND_EQ = re.compile(rf"^\s*(?P<label>{_WORDLABEL})\s*[=:]\s*(?P<desc>[^=;]+?)\s*$")
LEGEND_PAREN = re.compile(rf"(?P<desc>[^();,]+?)\s*\(\s*(?P<label>{_WORDLABEL})\s*\)")
_LABEL_GROUP = re.compile(rf"\(\s*{_WORDLABEL}\s*\)")  # the label of a LEGEND_PAREN entry
LEGEND_SPLIT = re.compile(rf"[;,]\s*(?=(?:{_WORDLABEL})\s*[=:])")

CODE_LABEL = re.compile(r"^[A-ZÆØÅ]{1,2}\d?$")  # I, R, X, I1, X2, IP: labels even when used once
JOINT = re.compile(r"\s(?:og|and|&|\+)\s")

_MARKERS = re.compile(r"\[\[\s*(/?)\s*withdrawn\s*\]\]", re.I)


@dataclass
class Parsed:
    turns: list[Turn]
    legend: dict[str, str] = field(default_factory=dict)  # label -> description
    header: list[str] = field(default_factory=list)
    title: str = ""
    withdrawn: int = 0
    unclosed_withdrawn_line: int | None = None


def is_role_description(desc: str) -> bool:
    """"Interviewer 1", "Mandlig informant", "Informantens mor, der delvist deltager" — not a question."""
    words = desc.strip().split()
    if not words or len(words) > 6 or desc.strip().endswith("?"):
        return False
    return any(ROLE_WORDS.match(w.strip("(),;")) for w in words[:2])


def parse_legend(text: str) -> dict[str, str] | None:
    """Parse one legend line; None when the line is not a legend."""
    entries: dict[str, str] = {}
    if "(" in text and ")" in text and "=" not in text:
        if not text.rstrip(" ;,\t").endswith(")") or len(_LABEL_GROUP.findall(text)) != text.count("("):
            # every character must be part of an entry: the last one is an entry's ")", and every "(" opens an
            # entry's label (a description holds none). LEGEND_PAREN's lazy description tries every start of
            # a long paragraph (quadratic): ecape_da's 147 header lines, rows of an interview guide, cost 18 ms
            return None
        found = list(LEGEND_PAREN.finditer(text))
        rest = LEGEND_PAREN.sub("", text).strip(" ;,\t")
        if found and not rest and all(is_role_description(m.group("desc")) for m in found):
            for m in found:
                entries[m.group("label").strip()] = m.group("desc").strip()
            return entries
        return None
    if "=" in text or ":" in text:
        parts = LEGEND_SPLIT.split(text.strip())
        for part in parts:
            m = LEGEND_EQ.match(part.strip(" ;,"))
            if not m:
                return None
            desc = m.group("desc").strip(" ,;")
            if not is_role_description(desc):
                return None
            entries[m.group("label").strip()] = desc
        return entries or None
    return None


def _split_withdrawn(blocks: list[Block]) -> tuple[list[tuple[Block, bool]], int, int | None]:
    """Split blocks at withdrawn markers. Returns (block, withdrawn?) pairs, passages, unclosed line."""
    out: list[tuple[Block, bool]] = []
    inside = False
    count = 0
    open_line = None
    for block in blocks:
        text = block.text
        if "[[" not in text:
            out.append((block, inside))
            continue
        pos = 0
        for m in _MARKERS.finditer(text):
            piece = text[pos:m.start()]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append((Block(piece.strip(), block.offset + pos + lead, block.line, block.speaker, block.timestamp), inside))
            closing = m.group(1) == "/"
            if not closing and not inside:
                inside = True
                count += 1
                open_line = block.line
            elif closing:
                inside = False
            pos = m.end()
        piece = text[pos:]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((Block(piece.strip(), block.offset + pos + lead, block.line, block.speaker, block.timestamp), inside))
    return out, count, (open_line if inside else None)


# A transcriber forgot a paragraph break: "… hendes værelse   *20:25 = I2: Ja, ja." starts a new turn.
INLINE_TURN = re.compile(r"\s+(?=\*\s*\d{1,2}(?:[:.]\d{1,2}){0,2}\s*=\s*[A-ZÆØÅ][\wæøå]{0,3}\s*:)")


def _split_inline_turns(blocks: list[Block]) -> list[Block]:
    out = []
    for block in blocks:
        if "=" not in block.text or "*" not in block.text:
            out.append(block)
            continue
        pos = 0
        for m in INLINE_TURN.finditer(block.text):
            if m.start() > pos:
                out.append(Block(block.text[pos:m.start()], block.offset + pos, block.line, block.speaker, block.timestamp))
            pos = m.end()
        out.append(Block(block.text[pos:], block.offset + pos, block.line, block.speaker, block.timestamp))
    return out


def _seconds(stamp: str | None) -> float | None:
    if not stamp:
        return None
    nums = re.findall(r"\d+(?:\.\d+)?", stamp.replace(",", "."))
    if not nums:
        return None
    # "1.01.35" and "*1:40" style: the last number may carry decimals only when written h:mm:ss.d
    if "." in stamp and ":" not in stamp:
        nums = [x for x in re.findall(r"\d+", stamp)]
    values = [float(x) for x in nums][-3:]
    total = 0.0
    for v in values:
        total = total * 60 + v
    return total


def parse_blocks(
    blocks: list[Block],
    *,
    known_labels: set[str] | None = None,
    merge_same_speaker: bool = False,
    notes: bool = False,
) -> Parsed:
    """Turn blocks into turns. ``known_labels`` (configured or legend) are always accepted as labels."""
    pairs, withdrawn, unclosed = _split_withdrawn(_split_inline_turns(blocks))
    if notes:
        return _parse_notes(pairs, withdrawn, unclosed)
    matches = [TURN_RE.match(block.text) if block.speaker is None else None for block, _ in pairs]
    labels = [_clean_label(m.group("label")) if m else None for m in matches]  # each block's label, cleaned once
    common = _accepted_labels(labels, known_labels)
    accepted = common | _once_used(matches, labels, common)
    _unbullet(pairs, matches, labels, accepted)
    pairs, matches, labels = _split_at_labels(pairs, matches, labels, accepted)
    assembler = _Assembler(accepted, merge_same_speaker)
    heads = _speaker_lines(pairs)
    add = assembler.add
    for (block, hidden), m, label, head in zip(pairs, matches, labels, heads):
        if head is None:
            add(block, hidden, m, label)
        else:
            assembler.speaker_line(block, head)
    return assembler.parsed(withdrawn, unclosed)


def _unbullet(pairs: list[tuple[Block, bool]], matches: list, labels: list, accepted: set[str]) -> None:
    """Turns behind a list's mark in a file of "Label:" turns ("- R: …" among "R: …"), in place: the block starts
    after the mark where the label after it is one of the file's speakers (``accepted``). Such a turn went into
    the turn before it, in the other speaker's mouth; a dash before speech ("- ja, altså") is left alone."""
    for i, ((block, hidden), m) in enumerate(zip(pairs, matches)):
        found = _bulleted(block) if m is None else None
        if found is None or _clean_label(found.group("bullet")) not in accepted:
            continue
        block = _after_mark(block, found)
        pairs[i] = (block, hidden)
        matches[i] = TURN_RE.match(block.text)
        labels[i] = _clean_label(matches[i].group("label")) if matches[i] else None


def _speaker_lines(pairs: list[tuple[Block, bool]]) -> list[re.Match | None]:
    """Each block's :data:`SPEAKER_LINE` (or :data:`SPEAKER_LINE_TS_FIRST`) match, where its speaker has two
    such lines or more (else None: a timestamped "[00:05] Okay" once, or a heading, is no speaker's line)."""
    heads = [_speaker_line(block.text) if block.speaker is None and ":" in block.text else None for block, _ in pairs]
    # the speech follows on the next line: "[00:05] Ja" twice in a row is speech with a stamp, not two speakers
    heads = [h if h is not None and i + 1 < len(heads) and heads[i + 1] is None else None for i, h in enumerate(heads)]
    counts = Counter(_clean_label(h.group("label")) for h in heads if h is not None)
    return [h if h is not None and counts[_clean_label(h.group("label"))] >= 2 else None for h in heads]


def _speaker_line(text: str) -> re.Match | None:
    """:data:`SPEAKER_LINE` or :data:`SPEAKER_LINE_TS_FIRST` of a (non-empty) block. The first ends in its
    clock (a digit, ")" or "]") and spaces or tabs, the second starts with its clock ("[", "(" or a digit):
    most blocks, "I: ….", are tried by neither."""
    if text.rstrip(" \t")[-1:] in _CLOCK_ENDS:
        found = SPEAKER_LINE.match(text)
        if found is not None:
            return found
    return SPEAKER_LINE_TS_FIRST.match(text) if text[0] in _CLOCK_STARTS else None


_CLOCK_ENDS = frozenset(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ")", "]", ""])
_CLOCK_STARTS = frozenset("0123456789([")


# words that open a transcriber's line ("Note: …", "Tid: 14.30") rather than a speaker's turn
_NOT_SPEAKERS = frozenset("""note noter notat nb obs bemærk husk kommentar kommentarer comment comments memo tema
theme emne topic spørgsmål question dato date tid time sted place location varighed duration start slut end pause
afbrydelse interruption resumé summary opsummering kilde source titel title fil file optagelse recording
deltagere participants""".split())


_COLONS = frozenset(":\uff1a")
_SEVERAL_WORDS = re.compile(rf"{_NAME} {_NAME}")  # "Section Two", "The Plan": too like a heading when used once


def _once_used(matches: list, labels: list, common: set[str]) -> set[str]:
    """Speakers heard once, once the conversation has begun: "SØN: Hvad, det er først klokken 4" or
    "Rengøringsdame: Jamen jeg starter ovenpå" in ecape_da, a respondent's one long answer in a short file.
    A label used once was taken for text, so the words went into the turn before, in another speaker's
    mouth. Accepted after the first paragraph with a speaker label of the file, one word (with a number, if
    any), with a colon (not a tab: "TID<tab>PERSON<tab>UDTALELSE" heads a table) and not a transcriber's
    word ("Note:", "Tid:"). ``common``: the labels :func:`_accepted_labels` accepts."""
    counts = Counter(labels)
    started, out = False, set()
    for m, label in zip(matches, labels):
        if label is None:
            continue
        if label in common:
            started = True
        elif (started and counts[label] == 1 and _COLONS.intersection(m.string[m.end("label"):m.start("text")])
              and not _SEVERAL_WORDS.match(label) and label.split()[0].casefold() not in _NOT_SPEAKERS):
            out.add(label)
    return out


def _split_at_labels(pairs: list[tuple[Block, bool]], matches: list, labels: list, accepted: set[str]):
    """Blocks cut where a speaker of the file starts talking inside a paragraph: "… have familien boende.
    Y: Ja, og det er dejligt" (the transcriber forgot the paragraph break). A label counts there only when it
    is one of the file's speakers (``accepted``), follows the end of a sentence or a run of spaces, and
    is followed by a colon and a space; ``matches`` and ``labels`` are redone for the pieces. Without this,
    an answer typed into the interviewer's paragraph was never a meaning unit, and an interviewer's line
    typed into an answer became part of a quotable unit."""
    words = sorted((a for a in accepted if not JOINT.search(a)), key=len, reverse=True)
    if not words:
        return pairs, matches, labels
    inside = re.compile(r"(?:(?<=[.?!…])[ \t]+|[ \t]{2,})(?=(?:" + "|".join(map(re.escape, words)) + r")[ \t]*:\s)")
    # a colon past the block's own label is rare: only those blocks are searched (the search on every block cost
    # a fifth of reading ecape_da)
    cut = [not hidden and block.speaker is None and _inside(inside, block.text, m.start("text") if m else 0)
           for (block, hidden), m in zip(pairs, matches)]
    if not any(cut):
        return pairs, matches, labels
    out: list[tuple[Block, bool]] = []
    for (block, hidden), split in zip(pairs, cut):
        if not split:
            out.append((block, hidden))
            continue
        pos = 0
        for m in inside.finditer(block.text):
            out.append((Block(block.text[pos:m.start()], block.offset + pos, block.line), hidden))
            pos = m.end()
        out.append((Block(block.text[pos:], block.offset + pos, block.line), hidden) if pos else (block, hidden))
    matches = [TURN_RE.match(block.text) if block.speaker is None else None for block, _ in out]
    return out, matches, [_clean_label(m.group("label")) if m else None for m in matches]


def _inside(pattern: re.Pattern, text: str, start: int) -> bool:
    return text.find(":", start) >= 0 and pattern.search(text, start) is not None


def detect_labels(matches: list[re.Match | None], known_labels: set[str] | None = None) -> set[str]:
    """Which prefixes are speaker labels: configured, code-like (I, X2), the interviewer's role (``Interviewer``,
    ``Moderator 2``), or starting at least two blocks.

    A joint turn "X og Y" is a turn when its parts are speakers, however rare it is.
    """
    return _accepted_labels([_clean_label(m.group("label")) for m in matches if m], known_labels)


# a label that is the interviewer's role and nothing else: a speaker even when it speaks once ("Interviewer: …?"
# above one answer is an exchange, not a heading)
ROLE_NAME = re.compile(r"(?:interviewer(?:en)?|moderator(?:en)?|facilitator(?:en)?|spørger(?:en)?)(?:\s*\d+)?", re.I)


def _accepted_labels(labels: list[str | None], known_labels: set[str] | None) -> set[str]:
    """:func:`detect_labels` from the blocks' cleaned labels (None: no label)."""
    counts: Counter = Counter(labels)
    counts.pop(None, None)
    accepted = {label for label, c in counts.items() if c >= 2 or CODE_LABEL.match(label) or ROLE_NAME.fullmatch(label)}
    if known_labels:
        accepted |= set(known_labels)
    accepted |= {label for label in counts if all(p in accepted for p in JOINT.split(label)) and JOINT.search(label)}
    return accepted


class _Assembler:
    """Turn assembly, block by block: header and legend lines first, then labelled turns and continuations."""

    def __init__(self, accepted: set[str], merge_same_speaker: bool):
        self.accepted = accepted
        self.merge = merge_same_speaker
        self.legend: dict[str, str] = {}
        self.header: list[str] = []
        self.title = ""
        self.turns: list[Turn] = []
        self.current: Turn | None = None
        self.pending_ts: str | None = None
        self.in_header = True
        self.texts = _TurnTexts()

    def parsed(self, withdrawn: int, unclosed: int | None) -> Parsed:
        self.texts.finish()
        kept = [t for t in self.turns if t.text]
        for i, t in enumerate(kept):
            t.index = i
        return Parsed(kept, self.legend, self.header, self.title, withdrawn, unclosed)

    def start_turn(self, speaker: str, block: Block, stamp: str | None) -> Turn:
        turn = Turn(len(self.turns), speaker, "", "", block.offset, block.offset, block.line, stamp,
                    _seconds(stamp) if stamp else None)
        self.turns.append(turn)
        return turn

    def add(self, block: Block, hidden: bool, m: re.Match | None, label: str | None) -> None:
        """One block; ``m`` is its TURN_RE match and ``label`` that match's label cleaned (or None)."""
        if block.speaker is not None:
            self.voice(block, hidden)
        elif LONE_TS.match(block.text):
            self.pending_ts = block.text.strip().rstrip("=:").strip()
        else:
            if self.in_header and self.legend_line(block.text, m, label):
                return
            if m and label in self.accepted:
                self.labelled(block, hidden, m, label)
            elif self.in_header or self.current is None:
                self.header_line(block.text, hidden)
            else:
                self.continuation(block, hidden)

    def voice(self, block: Block, hidden: bool) -> None:
        """A subtitle cue with its own speaker."""
        current = self.current
        if current is None or not (self.merge and current.speaker == block.speaker):
            current = self.current = self.start_turn(block.speaker, block, block.timestamp)
        if not hidden:
            self.texts.add(current, block.text, block.offset)
        self.in_header = False

    def legend_line(self, text: str, m: re.Match | None, label: str | None) -> bool:
        """A speaker legend in the header ("I = Interviewer; X = Informant", "I1: Interviewer 1")."""
        entries = parse_legend(text)
        if entries is None and m and label is not None:
            desc = m.group("text").strip()
            if desc and len(desc.split()) <= 4 and is_role_description(desc):
                entries = {label: desc}
        if not entries:
            return False
        self.legend.update(entries)
        self.header.append(text)
        self.accepted |= set(entries)
        return True

    def labelled(self, block: Block, hidden: bool, m: re.Match, label: str) -> None:
        """``Label: text``: a new turn (or, for merged subtitles, more of the same speaker's)."""
        self.in_header = False
        stamp, body = m.group("ts", "text")
        stamp = stamp or m.group("stamp") or self.pending_ts
        self.pending_ts = None
        if self.current is None or not (self.merge and self.current.speaker == label):
            self.current = self.start_turn(label, block, stamp.strip() if stamp else None)
        if hidden:
            return
        text = body.strip()
        if text:
            # the stripped body starts where the text group starts plus its leading whitespace
            self.texts.add(self.current, text, block.offset + m.start("text") + body.find(text[0]))

    def speaker_line(self, block: Block, head: re.Match) -> None:
        """``Anne Hansen  0:03`` alone on a line: a turn of that speaker, its text in the blocks after it."""
        self.in_header = False
        self.pending_ts = None
        label = _clean_label(head.group("label"))
        self.accepted.add(label)
        self.current = self.start_turn(label, block, head.group("ts"))

    def header_line(self, text: str, hidden: bool) -> None:
        if not hidden:
            self.header.append(text)
            if not self.title:
                self.title = text

    def continuation(self, block: Block, hidden: bool) -> None:
        """More of the current speaker (a wrapped line or a further paragraph)."""
        text = block.text
        ts = TS_PREFIX.match(text)
        if ts:  # "*1:40 = and then she said" inside a turn: the stamp is metadata
            text_offset = block.offset + ts.end()
            text = text[ts.end():]
        else:
            text_offset = block.offset
        if text.strip() and not hidden:
            self.texts.add(self.current, text.strip(), text_offset + (len(text) - len(text.lstrip())))


def _parse_notes(pairs, withdrawn, unclosed) -> Parsed:
    texts = _TurnTexts()
    header: list[str] = []
    turn: Turn | None = None
    title = ""
    for block, hidden in pairs:
        if hidden:
            continue
        if turn is None and not title and len(block.text.split()) <= 12 and not block.text.rstrip().endswith("."):
            title = block.text
            header.append(block.text)
            continue
        if turn is None:
            turn = Turn(index=0, speaker=NOTES_SPEAKER, role="respondent", text="", start=block.offset, end=block.offset,
                        line=block.line)
        texts.add(turn, block.text, block.offset)
    texts.finish()
    return Parsed([turn] if turn and turn.text else [], {}, header, title, withdrawn, unclosed)


def _clean_label(label: str) -> str:
    return " ".join(label.split())  # runs of whitespace → one space (str.split's whitespace is re's \s)


# A timestamp the transcriber left inside the speech, "(1.04.46)", "[00:12:03]" or "[00:12:03.5]", or the
# time mark f4/f5transkript writes at the end of each turn, "#00:01:20-3#" (tenths after the dash): metadata.
INLINE_TS = re.compile(r"\s*(?:\(\s*\d{1,2}[.:]\d{2}(?:[.:]\d{2})?(?:[.,]\d{1,3})?\s*\)"
                       r"|\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\]"
                       r"|#\d{1,2}:\d{2}(?::\d{2})?(?:[-.,]\d{1,3})?#)")
# the same without the leading spaces: a search for it starts only at "(", "[" and "#" (INLINE_TS tried every
# position)
_INLINE_TS_AT = re.compile(INLINE_TS.pattern[3:])


class _TurnTexts:
    """Each turn's text as it is assembled, piece by piece: a turn's pieces are joined once, when text
    comes for another turn or by :meth:`finish` (adding to the turn's string in place copied the whole turn
    for every line: quadratic in one long turn). Turns are assembled one after the other; a turn that
    gets text again later goes on from its joined text."""

    def __init__(self):
        self._turn: Turn | None = None  # the turn being assembled
        self._parts: list[str] = []
        self._length = 0

    def add(self, turn: Turn, text: str, offset: int) -> None:
        """One stretch of source text, from ``offset`` on; inline timestamps in it are left out."""
        if ("(" in text or "[" in text or "#" in text) and _INLINE_TS_AT.search(text):
            pos = 0
            for m in INLINE_TS.finditer(text):
                if text[pos:m.start()].strip():
                    self._add_one(turn, text[pos:m.start()].strip(), offset + pos + _lead(text[pos:m.start()]))
                pos = m.end()
            if text[pos:].strip():
                self._add_one(turn, text[pos:].strip(), offset + pos + _lead(text[pos:]))
            return
        self._add_one(turn, text, offset)

    def _add_one(self, turn: Turn, text: str, offset: int) -> None:
        if turn is not self._turn:
            self.finish()
            self._turn = turn
            self._parts = [turn.text] if turn.text else []
            self._length = len(turn.text)
        parts = self._parts
        length = self._length
        if length:
            parts.append(" ")
            length += 1
        pieces = turn.pieces
        if not pieces:
            turn.start = offset
        pieces.append((length, offset, len(text)))
        parts.append(text)
        self._length = length + len(text)
        turn.end = offset + len(text)

    def finish(self) -> None:
        """The text of the turn being assembled, joined."""
        if self._turn is not None:
            self._turn.text = "".join(self._parts)
            self._turn = None
            self._parts = []


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


# Labels written otherwise than "Label: …", tried on a document in which no such turn was found: set off by a
# dash ("I - …", "Informant – …"), in square brackets ("[I]: …", "[R] …"), with a full stop ("I.: …", and
# "Q. …" / "A. …" for letters alone), in small letters ("interviewer: …", "deltager 2: …"), bold without a
# colon in Markdown ("**Interviewer** Hvordan …") or, in a .docx, a bold run before the speech (``bold``)
_LOWER_LABEL = r"[a-zæøå][\wæøå'\-]{0,24}(?:\s\d{1,2})?"
_OTHER_TURN = re.compile(
    rf"^(?:(?P<dash>{_WORDLABEL})[ \t]+[-–—]|\[(?P<bracket>{_WORDLABEL})\][ \t]*:?|(?P<stop>{_WORDLABEL})\.[ \t]*:|(?P<initial>[A-ZÆØÅ]{{1,2}}\d?)\."
    rf"|(?P<small>{_LOWER_LABEL})[ \t]*:|\*\*(?P<mdbold>{_WORDLABEL})\*\*)[ \t]+(?=\S)")
_STYLES = ("dash", "bracket", "stop", "initial", "small", "mdbold", "bold", "bullet")
# a list's mark before a "Label:" turn ("- I: …", "• IP: …", "* **I:** …"): a Markdown or pasted list
_BULLET_MARKS = "-–—•·▪◦‣●○*"
BULLET = re.compile(rf"^[{re.escape(_BULLET_MARKS)}][ \t]+(?=\S)")


def relabelled(blocks: list[Block], bold: frozenset[str] = frozenset()) -> tuple[list[Block], list[str]] | None:
    """The blocks of a document whose speaker labels are written in one of the other styles of
    :data:`_OTHER_TURN`, each such label and its marks written as "Label:" and spaces, and the labels; None
    unless two labels or more of one style each open two blocks or more and together open at least half the
    blocks (a transcriber's word, "Tema - …", "[Note] …", is no label). Tried only on a document in which no
    speaker turn was found: in one with "Label:" turns, "Nej - altså …" opening a paragraph is speech. The text
    keeps its length and place ("[I]: x" becomes "I:   x"), so every span still points at the source's words.
    ``bold``: the texts a .docx sets in bold at the start of a paragraph, before text that is not bold
    (:func:`.wordml.bold_leads`): a label there when it is one of them. A list's mark before a "Label:" turn
    ("- I: …") is left out of its block (the block starts after it), under the same conditions."""
    found = [_OTHER_TURN.match(b.text) if b.speaker is None else None for b in blocks]
    found_bold = _bold_matches(blocks, bold)
    found_bullet = [_bulleted(b) for b in blocks]
    styles = {style: _style_labels(found, style) for style in _STYLES[:-2]}
    styles["bold"] = _style_labels(found_bold, "bold")
    styles["bullet"] = _style_labels(found_bullet, "bullet")
    style = max(_STYLES, key=lambda x: sum(styles[x].values()))
    best = styles[style]
    said = sum(1 for b in blocks if b.text.strip())
    if len(best) < 2 or 2 * sum(best.values()) < said:
        return None
    if style == "bullet":
        return [_unbulleted(block, m, best) for block, m in zip(blocks, found_bullet)], sorted(best)
    out = []
    for block, m in zip(blocks, found_bold if style == "bold" else found):
        label = _styled_label(m, best, style == "bold")
        if label is not None:
            text = label + ":" + " " * (m.end() - len(label) - 1) + block.text[m.end():]
            block = Block(text, block.offset, block.line, block.speaker, block.timestamp)
        out.append(block)
    return out, sorted(best)


def _bold_matches(blocks: list[Block], bold: frozenset[str]) -> list[re.Match | None]:
    """Each block's bold label and the spaces after it (group ``bold``), where the block opens with one of
    ``bold`` that is written as a label (:data:`LABEL`: a capitalised word or up to three)."""
    leads = sorted((x for x in bold if re.fullmatch(LABEL, x)), key=len, reverse=True)
    if not leads:
        return [None] * len(blocks)
    pattern = re.compile(r"(?P<bold>" + "|".join(map(re.escape, leads)) + r")[ \t]+(?=\S)")
    return [pattern.match(b.text) if b.speaker is None else None for b in blocks]


def _bulleted(block: Block) -> re.Match | None:
    """A block that opens with a list's mark and then a "Label:" turn: the match of that turn, the label in
    group ``bullet`` and the mark's end at ``start("rest")``."""
    if block.speaker is not None or block.text[:1] not in _BULLET_MARKS:
        return None
    return _BULLETED_TURN.match(block.text)


_BULLETED_TURN = re.compile(BULLET.pattern + r"(?P<rest>" + TURN_RE.pattern[1:].replace("(?P<label>", "(?P<bullet>", 1)
                            + ")", re.S)


def _unbulleted(block: Block, m: re.Match | None, labels: Counter) -> Block:
    """The block without its list's mark, where it opens a turn of one of ``labels``."""
    if m is None or _canonical(m.group("bullet")) not in labels:
        return block
    return _after_mark(block, m)


def _after_mark(block: Block, m: re.Match) -> Block:
    """The block from the turn after its list's mark on (a :func:`_bulleted` match), its offset moved with it."""
    cut = m.start("rest")
    return Block(block.text[cut:], block.offset + cut, block.line, block.speaker, block.timestamp)


def _canonical(label: str) -> str:
    """A label as "Label:" turns write it: "deltager 2" → "Deltager 2" (same length)."""
    label = _clean_label(label)
    first = label[0].upper()
    return first + label[1:] if len(first) == 1 else label


def _style_labels(found: list, style: str) -> Counter:
    """The labels of one style that open two blocks or more, with their counts."""
    counts = Counter(_canonical(m.group(style)) for m in found if m is not None and m.group(style))
    return Counter({label: n for label, n in counts.items()
                    if n >= 2 and label.split()[0].casefold() not in _NOT_SPEAKERS})


def _styled_label(m: re.Match | None, labels: Counter, bold: bool = False) -> str | None:
    """The label of a match of :data:`_OTHER_TURN` (of any of its styles; ``bold``: of :func:`_bold_matches`),
    where it is one of ``labels``."""
    if m is None:
        return None
    style = "bold" if bold else next(s for s in _STYLES[:-2] if m.group(s))
    label = _canonical(m.group(style))
    return label if label in labels else None
