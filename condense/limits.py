"""Limits on what condense reads, so a hostile or broken file gets a coded error instead of a hang,
a crash or all the memory of the machine.

Every limit has a default that no real study comes near, and an environment variable to raise it:

==============================  ==============  ======================================================
environment variable            default         what it bounds
==============================  ==============  ======================================================
CONDENSE_MAX_INFLATED_BYTES     268435456       inflated size of one part of a zip file (.docx, .xlsx,
                                (256 MiB)       .qdpx, model.npz) that condense reads; 4× that in all
CONDENSE_MAX_YAML_DEPTH         100             nesting depth of a YAML file (codebook, project file,
                                                front matter)
CONDENSE_MAX_YAML_NODES         200000          YAML values after expanding aliases (``*name``): an
                                                "alias bomb" of a few lines would expand to billions
CONDENSE_MAX_TURN_CHARS         100000          characters of one speaker turn given to the language
                                                pipeline at once; longer turns are split at sentence
                                                ends (W702), or at spaces; a turn with neither is E714
CONDENSE_MAX_CSV_FIELD          1000000         characters of one CSV field (E715 names the line)
==============================  ==============  ======================================================

A YAML anchor used inside itself (a recursive alias) is always refused. FIFOs, devices and sockets are
never read (E716): reading a FIFO named ``x.txt`` would wait for ever.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import yaml

from .errors import CondenseError, display_path

__all__ = [
    "DEFAULTS", "limit", "check_regular", "read_bytes", "OLE_MAGIC", "office_problem", "office_kind", "not_text",
    "looks_utf16_without_bom", "utf16_bom",
    "check_zip", "YAMLLimitError", "LimitedLoader", "safe_load", "compose", "split_long", "split_long_turns"
]

DEFAULTS = {
    "CONDENSE_MAX_INFLATED_BYTES": 256 * 1024 * 1024,
    "CONDENSE_MAX_YAML_DEPTH": 100,
    "CONDENSE_MAX_YAML_NODES": 200_000,
    "CONDENSE_MAX_TURN_CHARS": 100_000,
    "CONDENSE_MAX_CSV_FIELD": 1_000_000,
}


def limit(name: str) -> int:
    """The limit ``name`` (an environment variable of :data:`DEFAULTS`), read at the time of use."""
    raw = os.environ.get(name, "").strip().replace("_", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return DEFAULTS[name]


# ---------------------------------------------------------------- files
def check_regular(path: str | Path) -> None:
    """E716 for a FIFO, device or socket (reading one would hang or never end); nothing for a missing file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise CondenseError("E716", path=display_path(path), kind=kind)


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, refusing FIFOs and devices (E716)."""
    check_regular(path)
    return Path(path).read_bytes()


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def office_problem(data: bytes, path: str | Path) -> None:
    """E718 for a password-protected .docx/.xlsx (an OLE container holding an ``EncryptedPackage``); E721 for a
    document or workbook read as text (a .docx renamed .txt, a workbook saved under a .csv name), naming what it
    is: E104 called it "a binary file, not a transcript" and told to export a transcript, for a cases.csv too."""
    if data.startswith(OLE_MAGIC) and ("EncryptedPackage".encode("utf-16-le") in data[:1 << 20]
                                       or b"EncryptedPackage" in data[:1 << 20]):
        raise CondenseError("E718", path=display_path(path))
    suffix = Path(path).suffix.lower()
    kind = _office_zip(data) if data.startswith(b"PK\x03\x04") and suffix not in _ZIPPED else None
    if kind:
        name, ending = kind
        raise CondenseError("E721", path=display_path(path), detail=f"this is {name} ({ending}) under a "
                            f"{suffix or 'plain'} name, not text",
                            fix=f"Rename it to end in {ending} (Windows hides file endings unless View > File name "
                                "extensions is on), or save it again as the kind of file its name says.")


# what a transcript's own text may be saved as, to say so where a file under a text name is no text
_AS_TEXT = "save it from the program that made it as a Word document (.docx) or as plain text (.txt)"
# file endings of text a transcript may be read from: a fix for one of them may offer a .docx
_TRANSCRIPT_TEXT = frozenset({".txt", ".md", ".vtt", ".srt", ".rtf", ".docx", ".odt"})


def not_text(data: bytes, path: str | Path) -> None:
    """E721 for a PDF, a Word 97-2003 .doc (or .xls) or a zip archive read as text, naming what it is and what to
    give instead. A PDF saved as "interview.txt" was read as Windows-1252 text (W101) and skipped for having no
    turns (W102); a .doc or a zip was E104, "a binary file, not a transcript", with no word of what it was.
    (:func:`office_problem` has said so before for a .docx, .xlsx or .odt.)"""
    suffix = Path(path).suffix.lower()
    named = f"under a {suffix} name" if suffix else "under a name with no ending"
    transcript = suffix in _TRANSCRIPT_TEXT
    if data.startswith(b"%PDF-"):
        what = "a PDF document (.pdf)"
        fix = ("condense does not read PDFs: " + (_AS_TEXT if transcript else "save its text as plain text")
               + ", or copy its text into a plain-text file, and give that file.")
    elif data.startswith(OLE_MAGIC):
        what = "a Word 97-2003 document or Excel 97-2003 workbook (.doc or .xls)"
        fix = ("Open it in Word or LibreOffice and " + ("save it as a Word document (.docx) or as plain text (.txt)"
               if transcript else f"save it as plain text under its {suffix} name")
               + "; condense does not read the older .doc and .xls formats.")
    elif data.startswith(b"PK\x03\x04") and suffix not in _ZIPPED:
        what = "a zip archive (or a document stored as one, such as an Apple Pages or Numbers file)"
        fix = ("Unzip it and give the files inside (a folder of transcripts: give the folder); a Pages or Numbers "
               "file: File > Export To > Word (.docx) or plain text.")
    else:
        return
    kind = f"a {suffix} document" if suffix in (".docx", ".odt") else "text"
    raise CondenseError("E721", path=display_path(path), detail=f"this is {what} {named}, not {kind}", fix=fix)


# endings whose readers tell one zip from another themselves (a .docx saved under a .rtf name is read: W127)
_ZIPPED = frozenset({".docx", ".xlsx", ".pptx", ".odt", ".ods", ".qdpx", ".qdc", ".zip", ".rtf"})
# the part that tells what an office zip is, and what it is then
_OFFICE_PARTS = (("word/document.xml", "a Word document", ".docx"), ("xl/workbook.xml", "an Excel workbook", ".xlsx"),
                 ("ppt/presentation.xml", "a PowerPoint file", ".pptx"), ("project.qde", "a REFI-QDA project", ".qdpx"))
_OPEN_DOCUMENT = {b"application/vnd.oasis.opendocument.text": ("an OpenDocument text", ".odt"),
                  b"application/vnd.oasis.opendocument.spreadsheet": ("an OpenDocument spreadsheet", ".ods")}


def office_kind(data: bytes) -> tuple[str, str] | None:
    """What a document, workbook, REFI-QDA project or PDF is (its name and file ending), whatever its name
    says; None for anything else (text, another zip)."""
    if data.startswith(OLE_MAGIC):
        return "an Office 97-2003 document or workbook", ".doc or .xls"
    if data.startswith(b"%PDF"):
        return "a PDF document", ".pdf"
    return _office_zip(data) if data.startswith(b"PK\x03\x04") else None


def _office_zip(data: bytes) -> tuple[str, str] | None:
    """What an office document's zip is (its name and file ending), or None for any other zip or no zip."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "mimetype" in names and z.getinfo("mimetype").file_size < 200:
                found = _OPEN_DOCUMENT.get(z.read("mimetype").strip())
                if found:
                    return found
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return None
    return next(((name, ending) for part, name, ending in _OFFICE_PARTS if part in names), None)


def looks_utf16_without_bom(data: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark: every other byte is NUL (ASCII-range text)."""
    return utf16_bom(data) is not None


def utf16_bom(data: bytes) -> bytes | None:
    """The byte-order mark that text in UTF-16 without one (:func:`looks_utf16_without_bom`) lacks: ``FF FE`` for
    little-endian, ``FE FF`` for big-endian; None for anything else."""
    sample = data[:4096]
    if len(sample) < 8 or sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / max(1, len(odd))
    if max(zeros_even, zeros_odd) < 0.3 or min(zeros_even, zeros_odd) > 0.05:
        return None
    little = zeros_odd > zeros_even
    try:
        text = sample[: len(sample) // 2 * 2].decode("utf-16-le" if little else "utf-16-be")
    except UnicodeDecodeError:
        return None
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    if printable < 0.9 * len(text):
        return None
    return b"\xff\xfe" if little else b"\xfe\xff"


def check_zip(source, path: str | Path, *, members=None) -> None:
    """E712 when a part of a zip file (bytes, a path or an open ZipFile) would inflate past the limit.

    The declared sizes are what :mod:`zipfile` enforces while inflating, so checking them is enough.
    ``members``: only these names (default: every part).
    """
    import io
    import zipfile

    most = limit("CONDENSE_MAX_INFLATED_BYTES")
    if isinstance(source, zipfile.ZipFile):
        infos = source.infolist()
    else:
        try:
            with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
                infos = z.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            return  # the reader reports a broken archive in its own words
    total = 0
    for info in infos:
        if members is not None and info.filename not in members:
            continue
        total += info.file_size
        if info.file_size > most:
            raise CondenseError("E712", path=display_path(path), member=info.filename, size=f"{info.file_size:,}",
                                limit=f"{most:,}", setting="CONDENSE_MAX_INFLATED_BYTES")
        if total > 4 * most:
            raise CondenseError("E712", path=display_path(path), member="(all parts together)", size=f"{total:,}",
                                limit=f"{4 * most:,}", setting="CONDENSE_MAX_INFLATED_BYTES")


# ---------------------------------------------------------------- YAML
class YAMLLimitError(yaml.MarkedYAMLError):
    """A YAML file over a limit; a YAMLError, so every reader's YAML error path reports it with its line."""

    def __init__(self, problem: str, mark):
        super().__init__(problem=problem, problem_mark=mark)


class LimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a nesting-depth limit, an expanded-size limit and no recursive aliases."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._expanded = 0
        self._open: set[str] = set()
        self._sizes: dict[str, int] = {}
        self._max_depth = limit("CONDENSE_MAX_YAML_DEPTH")
        self._max_nodes = limit("CONDENSE_MAX_YAML_NODES")

    def _grow(self, n: int, mark) -> None:
        self._expanded += n
        if self._expanded > self._max_nodes:
            raise YAMLLimitError(f"more than {self._max_nodes:,} values once its aliases (*) are expanded "
                                 "(CONDENSE_MAX_YAML_NODES)", mark)

    def construct_object(self, node, deep=False):
        """The value of ``node``; one PyYAML cannot build is the YAML error at the node's line."""
        try:
            return super().construct_object(node, deep)
        except _UNBUILDABLE as exc:
            raise unbuildable(exc, node.start_mark) from exc

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise YAMLLimitError(f"the alias *{event.anchor} is used inside its own anchor &{event.anchor} "
                                     "(a recursive structure)", event.start_mark)
            self._grow(self._sizes.get(event.anchor, 1), event.start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > self._max_depth:
            raise YAMLLimitError(f"nested more than {self._max_depth} levels deep (CONDENSE_MAX_YAML_DEPTH)",
                                 event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open.add(anchor)
        start = self._expanded
        self._grow(1, event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if anchor is not None:
                self._open.discard(anchor)
                self._sizes[anchor] = self._expanded - start


def safe_load(text: str):
    """``yaml.safe_load`` within the limits (raises a yaml.YAMLError with a line on a breach)."""
    fast = _libyaml(text, "get_single_data")
    if fast is not _SLOW:
        return fast
    loader = LimitedLoader(text)
    try:
        return loader.get_single_data()
    except _UNBUILDABLE as exc:
        raise unbuildable(exc) from exc  # PyYAML's builders fail so on odd typed scalars ("!!int " with no digit)
    finally:
        loader.dispose()


_UNBUILDABLE = (ValueError, IndexError, TypeError, KeyError, AttributeError, OverflowError)


def unbuildable(exc: Exception, mark=None) -> yaml.YAMLError:
    """A value PyYAML's builders could not build, as the YAML error every reader of YAML reports (a tagged
    scalar such as ``!!int`` with nothing after it raised IndexError from inside PyYAML: a traceback), at the
    value's line when it is known."""
    return yaml.constructor.ConstructorError(None, None, f"a value could not be read ({type(exc).__name__}: "
                                             f"{exc}); remove the tag (e.g. !!int) or give it a value", mark)


def yaml_problem(exc: yaml.YAMLError, fallback: str | None = None) -> tuple[int | None, str]:
    """(the line YAML stopped at, counted from 0, or None; what it found) of every reader's YAML error
    (codebook, project file, front matter). A tab, which an editor shows as spaces, is named as what it is
    and how to mend it: "found character '\\t' that cannot start any token" told no-one what to change; so is
    a backslash that starts an escape in double quotes (a Windows path pasted in).
    ``fallback``: what to say when YAML gave no problem (default: the error's own text)."""
    mark = getattr(exc, "problem_mark", None)
    problem = str(getattr(exc, "problem", None) or (fallback if fallback is not None else exc))
    if "'\\t'" in problem:
        problem += " (a tab: YAML indents with spaces only; replace the tab with spaces)"
    elif "escape" in problem:  # "C:\Users\…" in double quotes: "\U" asks for eight hex digits
        problem += (" (a backslash inside double quotes starts an escape, as in a Windows path \"C:\\Users\\…\": "
                    "put the path in single quotes, or write / for \\)")
    return (mark.line if mark is not None else None), problem


def compose(text: str):
    """``yaml.compose`` within the limits."""
    fast = _libyaml(text, "get_single_node")
    if fast is not _SLOW:
        return fast
    loader = LimitedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_SLOW = object()  # _libyaml's answer when LimitedLoader must read the text
# what the two parsers read differently (a fuzz test found each): tabs, a BOM inside the text, the line breaks
# NEL, LS and PS, a tag or an explicit key ("!" or "?" where a token starts), a block scalar's header with a
# comment right after it ("|#"), directives ("%YAML"). libyaml accepts some of these where PyYAML refuses them.
_LIBYAML_ODD = re.compile(r"[\t\ufeff\x85\u2028\u2029]|(?:^|[\s\[\]{},])[!?]|[|>][-+0-9]*#|^%", re.M)
_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_END_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _libyaml(text: str, method: str):
    """``method`` ("get_single_node" or "get_single_data") of PyYAML's libyaml loader (C), when the text is
    one document without any alias and within the depth and size limits; else ``_SLOW``. The two parsers
    give the same nodes and values (a test compares them on every YAML file of the project), and the C one
    composes the 80 kB study codebook in about 10 ms instead of 77 (each command that loads it, every run).
    Anything unusual (no libyaml, an alias, a limit reached, any error) goes to :class:`LimitedLoader`, so
    every refusal is its own, with the same message and line as ever. The limits are checked on libyaml's
    events, which it makes without recursion, before anything is composed (its composer recurses in C)."""
    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None or not isinstance(text, str) or _LIBYAML_ODD.search(text):
        return _SLOW
    try:
        if not _within_limits(loader_class(text)):
            return _SLOW
        loader = loader_class(text)
        try:
            return getattr(loader, method)()
        finally:
            loader.dispose()
    except Exception:  # noqa: BLE001 - whatever it is, LimitedLoader meets it again and reports it as ever
        return _SLOW


def _within_limits(loader) -> bool:
    """The events of one document, none an alias, nested at most CONDENSE_MAX_YAML_DEPTH deep, with at most
    CONDENSE_MAX_YAML_NODES values (as :class:`LimitedLoader` counts them), and none that PyYAML reads
    otherwise: an empty value ("key:", placed on another line) or a "?" in a plain value inside ``[]``/``{}``
    (where PyYAML ends the value)."""
    most_deep, most_nodes = limit("CONDENSE_MAX_YAML_DEPTH"), limit("CONDENSE_MAX_YAML_NODES")
    open_, nodes, documents = [], 0, 0  # open_: each open collection's flow style
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _NODE_EVENTS):
                nodes += 1
                if len(open_) + 1 > most_deep or nodes > most_nodes:
                    return False
                if isinstance(event, yaml.ScalarEvent):
                    if not event.style and (not event.value or ("?" in event.value and True in open_)):
                        return False
                else:
                    open_.append(bool(event.flow_style))
            elif isinstance(event, _END_EVENTS):
                open_.pop()
            elif isinstance(event, yaml.AliasEvent):
                return False
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    return False
    finally:
        loader.dispose()
    return True


# ---------------------------------------------------------------- long turns
_SENTENCE_END = re.compile(r"[.!?…][\"'»”)\]]*\s+")


def split_long(text: str, most: int | None = None) -> list[tuple[int, str]] | None:
    """``text`` in pieces of at most ``most`` characters, cut after sentence ends (else at spaces):
    [(offset, piece)]. None when some stretch of ``most`` characters has no place to cut."""
    most = most or limit("CONDENSE_MAX_TURN_CHARS")
    if len(text) <= most:
        return [(0, text)]
    pieces = []
    start = 0
    n = len(text)
    while n - start > most:
        window = text[start:start + most]
        cut = None
        for m in _SENTENCE_END.finditer(window):
            if m.end() < len(window):
                cut = m.end()
        if cut is None or cut < most // 4:  # no sentence end, or only one near the start: the last space
            space = max(window.rfind(" "), window.rfind("\n"), window.rfind("\t"))
            if space > 0:
                cut = max(cut or 0, space + 1)
        if not cut:
            return None
        pieces.append((start, text[start:start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def split_long_turns(turns: list, path, diagnostics) -> list:
    """Turns over CONDENSE_MAX_TURN_CHARS split into several turns of the same speaker (W702), so no
    text given to the language pipeline comes near spaCy's own limit (E088 at 1,000,000 characters)."""
    from bisect import bisect_left, bisect_right
    from dataclasses import replace

    most = limit("CONDENSE_MAX_TURN_CHARS")
    if all(len(t.text) <= most for t in turns):
        return turns
    out = []
    for turn in turns:
        if len(turn.text) <= most:
            out.append(turn)
            continue
        starts = [t_off for t_off, _, _ in turn.pieces]
        pieces = split_long(turn.text, most)
        if pieces is None:
            raise CondenseError("E714", path=display_path(path), line=turn.line, n=len(turn.text), limit=most)
        diagnostics.warn("W702", path=display_path(path), line=turn.line, n=len(turn.text), parts=len(pieces), limit=most)
        for offset, piece in pieces:
            text = piece.rstrip()
            lead = len(text) - len(text.lstrip())
            text = text.strip()
            lo, hi = offset + lead, offset + lead + len(text)
            mapped = []
            # only the turn's pieces that can overlap [lo, hi): one before lo's, then on while they start before hi
            for t_off, s_off, length in turn.pieces[max(0, bisect_right(starts, lo) - 1):bisect_left(starts, hi)]:
                a, b = max(lo, t_off), min(hi, t_off + length)
                if a < b:
                    mapped.append((a - lo, s_off + (a - t_off), b - a))
            if not text or not mapped:
                continue
            out.append(replace(turn, text=text, pieces=mapped, start=mapped[0][1],
                               end=mapped[-1][1] + mapped[-1][2]))
    for i, t in enumerate(out):
        t.index = i
    return out
