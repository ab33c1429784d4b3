"""REFI-QDA projects (``.qdpx``) in and out: sources, cases with variables, the codebook, users, coded
text selections and notes.

Reading is lenient, writing strict (valid against the spec's ``Project.xsd``).

Offsets
    condense's spans are half-open ``[start, end)`` in code points of the normalised text (BOM removed,
    CRLF and CR as LF, odd spaces as a space). The spec counts code points, but programs differ: NVivo for
    Windows counts UTF-16 code units with CRLF as two; others count bytes or CRLF as one. For every source
    :func:`read_qdpx` tries each way of counting (code points, UTF-16 units, UTF-8 bytes; CRLF as one or
    two; a BOM counted or not) and keeps the one under which the selections fit the text best: a selection
    whose ``name`` is text of the source must equal the text it covers, and boundaries should not cut a
    word, a character or a CRLF. A selection that does not land on its text under the chosen way is left
    out and counted (W620), never moved.

Vendor deviations tolerated (../shared/refi/README.md): ``Project.qde`` and ``Sources/`` in any case,
``plainTextPath`` without ``internal://``, stray files such as NVivo for Mac's ``sources/.root``, a BOM
in the text, sources with no text (their selections are counted, W622).

Deterministic export: GUIDs are uuid5 of stable keys (source id, case name, user name, code path, span),
zip entries are written in a fixed order with a fixed date, no creation dates are written.
"""
from __future__ import annotations

import io
import json
import re
import shlex
import unicodedata
import uuid
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np

from .codebook import Codebook
from .errors import CondenseError, Diagnostics, display_path
from .model import RESPONDENT, Case, Coding, MeaningUnit, fingerprint

__all__ = [
    "PROJECT_NS", "GUID_NAMESPACE", "OFFSET_UNITS", "QdaSelection", "QdaSource", "QdaCase", "QdaProject", "normalise",
    "detect_offsets", "describe", "read_qdpx", "coded_from_qdpx", "project_xml", "qdpx_bytes", "write_qdpx", "project_from_run", "audit_export",
    "META_COLUMNS", "SELECTION_COLUMNS", "FILE_ID_CHARS", "import_project", "project_from_folder", "coder_files"
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:condense:refi-qda:project")
#: ways of counting offsets, in order of preference when several fit equally well (the spec's first)
OFFSET_UNITS = [(unit, crlf, bom) for bom in (False, True) for unit in ("codepoints", "utf16", "bytes")
                for crlf in (2, 1)]
_ODD_SPACES = {"\u00a0", "\u202f", "\u2007", "\u2009"}


@dataclass
class QdaSelection:
    source: str                       # the source's guid
    start: int                        # code points of the source's normalised text, half-open
    end: int
    codings: list[tuple[str, str]] = field(default_factory=list)   # (code guid, user guid)
    name: str = ""
    guid: str = ""


@dataclass
class QdaSource:
    guid: str
    name: str
    text: str                         # normalised text (what the spans refer to)
    selections: list[QdaSelection] = field(default_factory=list)
    offsets: str = ""                 # how the file counted offsets, e.g. "utf16, CRLF as 2"


@dataclass
class QdaCase:
    name: str
    values: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)   # source guids


@dataclass
class QdaProject:
    """What condense reads from and writes to a .qdpx."""

    name: str
    codebook: Codebook
    codes: dict[str, tuple[str, str, str]]        # code guid → (dimension, theme, sub-theme path)
    users: dict[str, str] = field(default_factory=dict)           # guid → name
    sources: list[QdaSource] = field(default_factory=list)
    cases: list[QdaCase] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)       # name → REFI type (Text, Integer …)
    notes: list[tuple[str, str]] = field(default_factory=list)    # (name, text)
    counts: Counter = field(default_factory=Counter)
    path: str = ""
    first_lost: tuple = ()            # (source, start, end) of the first selection left out
    first_unknown: str = ""           # the first code guid no code of the codebook has
    first_repeated: tuple = ()        # (source, start, end) of the first coding that repeats another

    def user_name(self, guid: str) -> str:
        return self.users.get(guid, "") or ("" if not guid else guid)


# ================================================================================================ reading
def _decode(data: bytes, where: Path, diagnostics: Diagnostics | None) -> str:
    """Text of a source file through the one decoder (:func:`condense.io.decode`: UTF-8, UTF-16 with BOM,
    else Windows-1252 with W101). A BOM is kept as U+FEFF (whether it was counted is decided with the offsets).
    A source in UTF-16 without a BOM (E717 for a transcript, whose writer can save it again) is read as UTF-16:
    the QDA program wrote it, and the project cannot be saved otherwise but by exporting it again."""
    from .io import decode
    from .limits import utf16_bom

    if not data.strip():  # only ASCII white space, which decode() reads as empty: kept as it is
        return data.decode("ascii")
    bom = utf16_bom(data)
    if bom is not None:
        return decode(bom + data, where, diagnostics, allow_empty=True)[0]
    text, encoding = decode(data, where, diagnostics, allow_empty=True)
    return "\ufeff" + text if encoding in ("utf-8-sig", "utf-16") else text


def normalise(raw: str) -> tuple[str, np.ndarray]:
    """The normalised text and, for each raw character, its index in it (dropped characters get the index
    of what follows). BOMs dropped, CRLF and CR → LF, odd spaces → space; NFC when that keeps lengths.

    The invisible formatting characters a transcript loses when it is read (zero-width spaces, soft hyphens,
    direction marks and overrides: :data:`condense.ingest.sources.INVISIBLE_CHARS`) are dropped here too: the
    imported transcript kept them, its run removed them, and every selection after them pointed that many
    characters further on than the meaning units (30 zero-width spaces moved a coding 30 characters)."""
    from .ingest.sources import INVISIBLE_CHARS

    keep = np.ones(len(raw), dtype=bool)
    out = []
    for i, ch in enumerate(raw):
        if ch == "\ufeff" or ch in INVISIBLE_CHARS or (ch == "\r" and raw[i + 1:i + 2] == "\n"):
            keep[i] = False
            continue
        out.append("\n" if ch == "\r" else " " if ch in _ODD_SPACES else ch)
    text = "".join(out)
    nfc = unicodedata.normalize("NFC", text)
    if len(nfc) == len(text):
        text = nfc
    index = np.concatenate([[0], np.cumsum(keep)])[:-1] if len(raw) else np.zeros(0, dtype=np.int64)
    return text, index


def _starts(raw: str, unit: str, crlf: int, bom: bool) -> np.ndarray:
    """Offset at which each raw character starts under one way of counting (length len(raw)+1)."""
    cps = np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32) if raw else np.zeros(0, dtype=np.uint32)
    if unit == "codepoints":
        width = np.ones(len(cps), dtype=np.int64)
    elif unit == "utf16":
        width = 1 + (cps > 0xFFFF).astype(np.int64)
    else:
        width = 1 + (cps > 0x7F).astype(np.int64) + (cps > 0x7FF).astype(np.int64) + (cps > 0xFFFF).astype(np.int64)
    if crlf == 1 and len(cps) > 1:
        cr_before_lf = (cps[:-1] == 13) & (cps[1:] == 10)
        width[:-1][cr_before_lf] = 0
    if not bom and len(cps) and cps[0] == 0xFEFF:
        width[0] = 0
    return np.concatenate([[0], np.cumsum(width)])


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_boundary(text: str, i: int) -> bool:
    if i <= 0 or i >= len(text):
        return True
    return not (text[i - 1].isalnum() and text[i].isalnum())


def _place(raw: str, index: np.ndarray, text: str, selections: list[tuple[int, int, str]], how) -> list:
    """(start, end) in the normalised text for each selection under one way of counting (None: lands nowhere)."""
    starts = _starts(raw, *how)
    n = len(raw)
    index = np.concatenate([index, [len(text)]])
    out = []
    for a, b, _ in selections:
        if a < 0 or b < a or b > starts[-1]:
            out.append(None)
            continue
        ia = int(np.searchsorted(starts, a, side="left"))
        ib = int(np.searchsorted(starts, b, side="left"))
        if ia > n or ib > n or starts[ia] != a or starts[ib] != b:
            out.append(None)      # inside a character (a surrogate pair, a multi-byte sequence)
            continue
        out.append((int(index[ia]), int(index[ib])))
    return out


def _text_names(text: str, selections) -> list[str]:
    """Each selection's name squashed when it is text of the source (longer than three letters), else ''. Worked
    out once per source: it was per selection and way of counting, squashing the whole text each time, and
    condense's own export (every selection named by its text) of NVivo's sample took 96 s to read back."""
    whole = _squash(text)
    out = []
    for _, _, name in selections:
        squashed = _squash(name) if name else ""
        out.append(squashed if len(squashed) > 3 and squashed in whole else "")
    return out


def _score(text: str, names: list[str], placed) -> tuple[int, int]:
    """(selections that land, evidence): a name that is source text must match; boundaries should not cut words."""
    landed = evidence = 0
    for name, spot in zip(names, placed):
        if spot is None:
            continue
        if name:
            if _squash(text[spot[0]:spot[1]]) != name:
                continue
            evidence += 3
        landed += 1
        evidence += _is_boundary(text, spot[0]) + _is_boundary(text, spot[1])
    return landed, evidence


def detect_offsets(raw: str, selections: list[tuple[int, int, str]]):
    """The way of counting under which the selections fit best; returns (how, text, placed, landed-flags)."""
    text, index = normalise(raw)
    names = _text_names(text, selections)
    best = None
    for rank, how in enumerate(OFFSET_UNITS):
        if how[2] and not raw.startswith("\ufeff"):
            continue
        placed = _place(raw, index, text, selections, how)
        landed, evidence = _score(text, names, placed)
        key = (landed, evidence, -rank)
        if best is None or key > best[0]:
            best = (key, how, placed)
    _, how, placed = best
    ok = [spot is not None and (not name or _squash(text[spot[0]:spot[1]]) == name)
          for name, spot in zip(names, placed)]
    return how, text, placed, ok


def describe(how) -> str:
    unit, crlf, bom = how
    return f"{unit}, CRLF as {crlf}" + (", BOM counted" if bom else "")


def _local(el) -> str:
    from lxml import etree

    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kids(el, name: str) -> list:
    return [c for c in el if _local(c) == name]


def _text_of(el) -> str:
    return "".join(el.itertext()) if el is not None else ""


class _Archive:
    """The entries of a .qdpx archive that sources and notes name (none for a bare project document)."""

    def __init__(self, data: bytes, shown: str):
        self.shown = shown
        self.zf = zipfile.ZipFile(io.BytesIO(data)) if zipfile.is_zipfile(io.BytesIO(data)) else None
        self.names = [n for n in self.zf.namelist() if not n.endswith("/")] if self.zf else []

    def entry(self, path: str) -> str | None:
        """The entry a ``plainTextPath`` names: ``internal://x.txt``, ``x.txt``, in ``sources/`` of any case."""
        target = path.split("://", 1)[-1].replace("\\", "/").lstrip("/")
        wanted = PurePosixPath(target).name.lower()
        exact = [n for n in self.names if n.lower() == target.lower() or n.lower() == f"sources/{target.lower()}"]
        loose = [n for n in self.names if PurePosixPath(n).name.lower() == wanted]
        return (exact + loose or [None])[0]

    def text(self, path: str | None, diagnostics: Diagnostics | None) -> str | None:
        """The decoded text of the entry ``path`` names (None without a path, an archive or such an entry)."""
        name = self.entry(path) if path and self.zf is not None else None
        if name is None:
            return None
        return _decode(self.zf.read(name), Path(self.shown) / name, diagnostics)

    def close(self) -> None:
        if self.zf is not None:
            self.zf.close()


def read_qdpx(path: str | Path, *, diagnostics: Diagnostics | None = None) -> QdaProject:
    """Read a .qdpx project: codebook, users, sources with their text, selections (placed on the
    normalised text), cases, variables and notes. Lost selections are counted and warned about."""
    from . import refi

    p = Path(path)
    shown = display_path(p)
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    data = refi.read_file(p, shown)
    xml, inner = refi.container_xml(data, p, shown)
    root = refi.parse_xml(xml, shown, inner)
    if _local(root) == "CodeBook":  # a .qdc, whatever its name: a codebook alone
        raise CondenseError("E621", path=shown, detail="a REFI-QDA codebook (<CodeBook>, a .qdc), not a project",
                            fix=f"Take its codes with `condense codebook import {shlex.quote(shown)} --out "
                                "codebook.yaml`; for the coded interviews, export the project (.qdpx) from your QDA "
                                "program.")
    if _local(root) != "Project":
        raise CondenseError("E620", path=shown, detail="the file holds no <Project>")
    _no_guid_twice(root, shown)
    codebook, _, guids = refi.codebook_from_tree(root, p)
    renamed = refi.distinct_labels(codebook)
    if renamed:
        diagnostics.warn("W629", path=shown, n=len(renamed), first=renamed[0][0], label=renamed[0][1])
    project = QdaProject(name=(root.get("name") or p.stem).strip(), codebook=codebook, codes=guids, path=shown)
    project.users = _read_users(root)
    archive = _Archive(data, shown)
    try:
        _read_sources(root, archive, project, diagnostics)
        _read_cases(root, project)
        _settle_types(project, diagnostics)
        _unique_case_names(project, diagnostics)
        project.notes = [_read_note(note, archive, diagnostics) for block in _kids(root, "Notes")
                         for note in _kids(block, "Note")]
    finally:
        archive.close()
    _warn_lost(project, diagnostics)
    _warn_not_imported(root, project, diagnostics)
    _visible_names(project, diagnostics)
    return project


def _visible_names(project: QdaProject, diagnostics: Diagnostics) -> None:
    """Names without invisible formatting characters, W111 for the first: a code, case, user, variable, source
    or note named with a right-to-left override ("RTL \u202egnp.exe") displayed reversed in report.html,
    report.md and the workbook, as a transcript's or a coded table's never do (they lose them, W111)."""
    from .ingest.sources import INVISIBLE_CHARS

    found = []

    def clean(text: str, what: str) -> str:
        kept = "".join(ch for ch in text if ch not in INVISIBLE_CHARS)
        if len(kept) != len(text):
            first = next(ch for ch in text if ch in INVISIBLE_CHARS)
            found.append((len(text) - len(kept), what, kept, first))
        return kept

    for dim in project.codebook.dimensions:
        dim.label, dim.description = clean(dim.label, "code"), clean(dim.description, "code description")
        for node in [t for theme in dim.themes for t in [theme, *(sub for sub, _ in theme.walk())]]:
            node.label, node.description = clean(node.label, "code"), clean(node.description, "code description")
    project.users = {g: clean(n, "user") for g, n in project.users.items()}
    project.variables = {clean(n, "variable"): kind for n, kind in project.variables.items()}
    for case in project.cases:
        case.name = clean(case.name, "case")
        case.values = {clean(k, "variable"): clean(v, "variable value") for k, v in case.values.items()}
    for source in project.sources:
        source.name = clean(source.name, "source")
    project.notes = [(clean(n, "note"), t) for n, t in project.notes]
    if found:
        _, what, name, ch = found[0]
        diagnostics.warn("W111", path=project.path, n=sum(f[0] for f in found),
                         where=f"the names ({what} '{name}' first)",
                         first=f"U+{ord(ch):04X} {unicodedata.name(ch, 'FORMAT CHARACTER')}")


def _read_users(root) -> dict[str, str]:
    """guid → name of every ``<User>``."""
    users = {}
    for user in (u for block in _kids(root, "Users") for u in _kids(block, "User")):
        users[(user.get("guid") or "").strip().lower()] = (user.get("name") or user.get("id") or "").strip()
    return users


def _no_guid_twice(root, shown: str) -> None:
    """E620 when two codes or two text sources share a guid: a coding names its code and a selection lies in
    its source by guid, so the second code silently took the first one's codings, and a source listed twice
    made two transcripts of one name that the import itself then refused with an error about its own
    temporary folder."""
    for tag, what in (("Code", "code"), ("TextSource", "source")):
        seen: dict[str, str] = {}
        for el in root.iter():
            if _local(el) != tag or not (el.get("guid") or "").strip():
                continue
            guid = el.get("guid").strip().lower()
            name = (el.get("name") or el.get("plainTextPath") or "").strip()
            if guid in seen:
                raise CondenseError("E620", path=shown, detail=f"the {what} guid {guid} is used twice ('{seen[guid]}' and "
                                    f"'{name}'), so what is coded with it cannot be told apart")
            seen[guid] = name


def _read_sources(root, archive: _Archive, project: QdaProject, diagnostics: Diagnostics) -> None:
    """Every ``<TextSource>`` with its selections; the selections of other sources (pictures, audio, PDF) counted."""
    counts = project.counts
    files: dict[str, str] = {}          # archive entry → the first source read from it
    for block in _kids(root, "Sources"):
        for el in block:
            if _local(el) != "TextSource":
                counts["selections_not_text"] += sum(1 for s in el.iter() if _local(s).endswith("Selection"))
                counts["codings_not_text"] += sum(1 for s in el.iter() if _local(s) == "Coding")
                continue
            source = _read_source(el, archive, project, diagnostics)
            if source is not None:
                project.sources.append(source)
                _warn_shared_file(el, source, archive, files, project, diagnostics)


def _warn_shared_file(el, source: "QdaSource", archive: _Archive, files: dict[str, str], project: QdaProject,
                      diagnostics: Diagnostics) -> None:
    """W625 when a second source reads the text file an earlier one read: faithful to the file, the import makes
    two transcripts of one text, and every table counts that interview twice without saying so."""
    path = (el.get("plainTextPath") or "").strip()
    if _kids(el, "PlainTextContent") or not path or archive.zf is None:
        return
    entry = archive.entry(path)
    if entry is None:
        return
    if entry in files:
        diagnostics.warn("W625", path=project.path, file=entry, first=files[entry], second=source.name)
    else:
        files[entry] = source.name


def _read_cases(root, project: QdaProject) -> None:
    """``<Cases>`` with their variable values named (not by guid), and the variables' REFI types."""
    for case in (c for block in _kids(root, "Cases") for c in _kids(block, "Case")):
        project.cases.append(_read_case(case, root))
    variables = {(v.get("guid") or "").lower(): (v.get("name") or "", v.get("typeOfVariable") or "Text")
                 for block in _kids(root, "Variables") for v in _kids(block, "Variable")}
    for case in project.cases:
        case.values = {variables.get(k, (k, "Text"))[0]: v for k, v in case.values.items()}
    project.variables = {name: kind for name, kind in variables.values()}


def _unique_case_names(project: QdaProject, diagnostics: Diagnostics) -> None:
    """Case names in NFC, each its own: a second case of one name (or of a name that differs only in how its
    accents are encoded, "Café" and "Cafe\u0301") becomes "Café (2)", W626. The import wrote both names to
    cases.csv, which its own run then refused (E720, naming a temporary folder), and the tables of the .qdpx
    let the second case's variables silently replace the first's."""
    taken: set[str] = set()
    renamed = []
    for case in project.cases:
        # a ';' separates the cases of a transcript in transcripts.csv: "Nord;Syd" came back as two cases that
        # do not exist, and the source lost its case (and its variables) on the way
        base = unicodedata.normalize("NFC", case.name).replace(";", ",")
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base} ({n})"
        if name != unicodedata.normalize("NFC", case.name):
            renamed.append((case.name, name))
        taken.add(name)
        case.name = name
    if renamed:
        diagnostics.warn("W626", path=project.path, n=len(renamed), first=renamed[0][0], name=renamed[0][1])


def _read_note(note, archive: _Archive, diagnostics: Diagnostics) -> tuple[str, str]:
    """(name, text) of a ``<Note>``: its ``PlainTextContent``, else the archive entry its ``plainTextPath`` names."""
    content = _kids(note, "PlainTextContent")
    text = _text_of(content[0]) if content else ""
    if not text and note.get("plainTextPath"):
        text = (archive.text(note.get("plainTextPath"), diagnostics) or "").lstrip("\ufeff")
    return (note.get("name") or "").strip(), text.replace("\r\n", "\n")


def _warn_lost(project: QdaProject, diagnostics: Diagnostics) -> None:
    """W620 selections that land on no text, W621 codings of unknown codes, W623 selections not on text."""
    counts, shown = project.counts, project.path
    if counts["selections_lost"]:
        first = project.first_lost or ("?", "?", "?")
        diagnostics.warn("W620", path=shown, n=counts["selections_lost"], source=first[0], start=first[1], end=first[2])
    if counts["codings_unknown_code"]:
        diagnostics.warn("W621", path=shown, n=counts["codings_unknown_code"], guid=project.first_unknown)
    if counts["selections_not_text"]:
        diagnostics.warn("W623", path=shown, n=counts["selections_not_text"])
    if counts["codings_repeated"]:
        source, start, end = project.first_repeated
        diagnostics.warn("W630", path=shown, n=counts["codings_repeated"], source=source, start=start, end=end)


#: REFI-QDA elements a condense study has no place for, as the words W627 counts them in
_NOT_IMPORTED = (("Set", "set(s)"), ("Link", "link(s)"), ("Graph", "graph(s)"))
_NON_TEXT = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")


def _not_imported(root) -> list[str]:
    """What the project holds that the import leaves out, counted: sets (groups of codes or documents), links,
    graphs, comments on selections, descriptions of sources and cases, variables of sources (not of cases),
    codings of whole pictures, PDFs, audio or video, and which source or selection a note is about."""
    found = Counter()
    for el in root.iter():
        tag = _local(el)
        parent = _local(el.getparent()) if el.getparent() is not None else ""
        if tag == "Description" and parent not in ("Code", "Project", "") and _text_of(el).strip():
            found["comment(s) or description(s) of selections, sources, cases or notes"] += 1
        elif tag == "VariableValue" and parent != "Case":
            found["variable value(s) of sources (not of cases)"] += 1
        elif tag == "Coding" and parent in _NON_TEXT:
            found["coding(s) of whole pictures, PDFs, audio or video"] += 1
        elif tag == "NoteRef" and parent != "Code":
            found["note link(s) (which source or selection a note is about)"] += 1
        else:
            found.update(word for name, word in _NOT_IMPORTED if tag == name)
    order = [word for _, word in _NOT_IMPORTED] + [w for w in found if w not in dict(_NOT_IMPORTED).values()]
    return [f"{found[w]} {w}" for w in order if found[w]]


def _warn_not_imported(root, project: QdaProject, diagnostics: Diagnostics) -> None:
    """W627 naming, with counts, what the project holds that neither the study folder nor the tables keep (it
    was left out without a word: ATLAS.ti's spec example holds 16 sets, among them its document groups
    "gender: male" and "age: 67")."""
    what = _not_imported(root)
    if what:
        diagnostics.warn("W627", path=project.path, what="; ".join(what))


def _raw_selection(sel) -> tuple[int, int, str, list[tuple[str, str]], str]:
    """(start, end, name, [(code guid, user guid)], guid) of a ``<PlainTextSelection>`` as written in the file."""
    try:
        a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
    except (TypeError, ValueError):
        a, b = -1, -1
    codings = []
    for coding in _kids(sel, "Coding"):
        ref = _kids(coding, "CodeRef")
        target = (ref[0].get("targetGUID") or "").strip().lower() if ref else ""
        user = (coding.get("creatingUser") or sel.get("creatingUser") or "").strip().lower()
        codings.append((target, user))
    return a, b, (sel.get("name") or "").strip(), codings, (sel.get("guid") or "").strip()


def _whole_codings(el) -> list[tuple[str, str]]:
    """(code guid, user guid) of the codings of a whole source (``<Coding>`` directly under it)."""
    return [((c[0].get("targetGUID") or "").strip().lower() if c else "", (coding.get("creatingUser") or "").strip().lower())
            for coding in _kids(el, "Coding") for c in [_kids(coding, "CodeRef")]]


def _source_name(el, guid: str, taken: set[str]) -> str:
    """A source's name; without one (QualCoder writes none), its text file's name without the suffix
    (``internal://board_2017.txt`` → ``board_2017``) unless another source has it; else its guid."""
    name = (el.get("name") or "").strip()
    if name:
        return name
    path = (el.get("plainTextPath") or "").strip().split("://", 1)[-1]
    stem = PurePosixPath(path).stem.strip() if path else ""
    return stem if stem and stem not in taken else guid


def _read_source(el, archive: _Archive, project: QdaProject, diagnostics: Diagnostics) -> QdaSource | None:
    counts = project.counts
    guid = (el.get("guid") or "").strip().lower()
    name = _source_name(el, guid, {s.name for s in project.sources})
    raw_selections = [_raw_selection(sel) for sel in _kids(el, "PlainTextSelection")]
    whole = _whole_codings(el)
    counts["selections"] += len(raw_selections)
    counts["codings"] += sum(len(s[3]) for s in raw_selections) + len(whole)
    content = _kids(el, "PlainTextContent")
    raw = _text_of(content[0]) if content else archive.text(el.get("plainTextPath"), diagnostics)
    if raw is None:
        _no_text(el, name, raw_selections, whole, project, diagnostics)
        return QdaSource(guid, name, "")
    _warn_invisible(raw, name, project, diagnostics)
    how, text, placed, ok = detect_offsets(raw, [(a, b, n) for a, b, n, _, _ in raw_selections])
    source = QdaSource(guid, name, text, offsets=describe(how) if raw_selections else "")
    seen: dict[tuple[int, int], set] = {}
    for (a, b, sel_name, codings, sguid), spot, good in zip(raw_selections, placed, ok):
        if not good:
            counts["selections_lost"] += 1
            counts["codings_lost"] += len(codings)
            project.first_lost = project.first_lost or (name, a, b)
            continue
        known = _known_codes(project, codings)
        kept = _once(project, seen, name, spot, known)
        if known and not kept:
            continue  # every coding of it repeats one already on this passage
        counts["selections_landed"] += 1
        counts["codings_landed"] += len(kept)
        source.selections.append(QdaSelection(guid, spot[0], spot[1], kept, sel_name, sguid))
    if whole:
        kept = [(c, u) for c, u in whole if c in project.codes]
        counts["codings_landed"] += len(kept)
        counts["codings_unknown_code"] += len(whole) - len(kept)
        counts["codings_lost"] += len(whole) - len(kept)
        source.selections.append(QdaSelection(guid, 0, len(text), kept))
    return source


def _once(project: QdaProject, seen: dict, name: str, spot: tuple[int, int], codings: list) -> list:
    """The codings not already on this passage (same span, code and coder), counted and named by W630: a selection
    listed twice, or a code applied twice by one coder to one passage, was two mentions in the tables of the
    .qdpx and one in the imported study."""
    here = seen.setdefault(spot, set())
    kept = []
    for coding in codings:
        if coding in here:
            project.counts["codings_repeated"] += 1
            project.first_repeated = project.first_repeated or (name, spot[0], spot[1])
            continue
        here.add(coding)
        kept.append(coding)
    return kept


def _warn_invisible(raw: str, name: str, project: QdaProject, diagnostics: Diagnostics) -> None:
    """W111 for a source whose text holds invisible formatting characters (removed by :func:`normalise`): how
    many, the line and the first, as for a transcript."""
    from .ingest.sources import invisible_in

    found = invisible_in(raw)
    if found is not None:
        n, at, first = found
        line = raw.count("\n", 0, at) + 1
        diagnostics.warn("W111", path=project.path, n=n, where=f"source '{name}', line {line}", first=first)


def _no_text(el, name: str, raw_selections: list, whole: list, project: QdaProject, diagnostics: Diagnostics) -> None:
    """A source whose text is missing: its selections and codings are counted as having no text (W622). An
    uncoded source is reported too: it is an interview the study would otherwise lose without a word."""
    counts = project.counts
    diagnostics.warn("W622", path=project.path, source=name, n=len(raw_selections) + len(whole),
                     detail=f"no {el.get('plainTextPath') or 'PlainTextContent'}")
    counts["sources_no_text"] += 1
    counts["selections_no_text"] += len(raw_selections)
    counts["codings_no_text"] += sum(len(s[3]) for s in raw_selections) + len(whole)


def _known_codes(project: QdaProject, codings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The codings whose code the codebook has; the others are counted as lost (W621 names the first)."""
    kept = []
    for code, user in codings:
        if code not in project.codes:
            project.counts["codings_unknown_code"] += 1
            project.counts["codings_lost"] += 1
            project.first_unknown = project.first_unknown or code
            continue
        kept.append((code, user))
    return kept


def _read_case(el, root) -> QdaCase:
    # A name is read without the spaces around it: cases.csv, where a case is named, keeps no cell's outer spaces,
    # and a name of spaces alone is none (the case took the name "" and was dropped from the study): its guid
    case = QdaCase((el.get("name") or "").strip() or (el.get("guid") or "").strip() or "case")
    for value in _kids(el, "VariableValue"):
        ref = _kids(value, "VariableRef")
        key = (ref[0].get("targetGUID") or "").strip().lower() if ref else ""
        for child in value:
            if _local(child).endswith("Value"):
                case.values[key] = _text_of(child).strip()
    case.sources = [(s.get("targetGUID") or "").strip().lower() for s in _kids(el, "SourceRef")]
    return case


# ================================================================================================ coded data
def _withdrawn_spans(project: QdaProject, source: QdaSource) -> list[tuple[int, int]]:
    """The withdrawn passages (``[[withdrawn]] … [[/withdrawn]]``, markers included) of a source's text, the marker
    grammar checked as for a transcript (E801–E803, E113 naming the project, the source and its line)."""
    from .ingest.withdrawn import find_withdrawn

    return find_withdrawn(source.text, project.path, where=f"{project.path}, source '{source.name}'").spans


def _selection_text(source: QdaSource, start: int, end: int, passages: list[tuple[int, int]]) -> str:
    """The text a selection covers, each withdrawn passage it overlaps given whole with its markers (which the
    withdrawn-passage step then takes out, keeping its fingerprints for the audit): a span coded inside a passage
    in another program covers none of its markers, and its words went into every table as allowed text."""
    parts, pos = [], start
    for a, b in passages:
        if b <= start or a >= end:
            continue
        parts += [source.text[pos:max(pos, a)], " ", source.text[a:b], " "]
        pos = max(pos, b)
    parts.append(source.text[pos:end] if pos < end else "")
    return "".join(parts)


def coded_from_qdpx(project: QdaProject, codebook: Codebook | None = None):
    """A project's selections as coded data: one unit per distinct coded span, one coding per application."""
    from .coded import CodedData

    if codebook is not None and codebook is not project.codebook:
        raise CondenseError("E621", path=project.path, detail="a .qdpx project brings its own codebook",
                            fix="Leave out --codebook for a .qdpx; edit the codebook in the QDA program.")
    case_of = defaultdict(list)
    for case in project.cases:
        for s in case.sources:
            case_of[s].append(case.name)
    units: dict[str, MeaningUnit] = {}
    codings: list[Coding] = []
    for source in project.sources:
        passages = _withdrawn_spans(project, source)
        for sel in sorted(source.selections, key=lambda s: (s.start, s.end)):
            uid = f"{source.name}:{sel.start}-{sel.end}"
            if uid not in units:
                text = " ".join(_selection_text(source, sel.start, sel.end, passages).split())
                units[uid] = MeaningUnit(uid, fingerprint(text), source.name, len(units), 1, "", RESPONDENT, text,
                                         sel.start, sel.end, cases=sorted(case_of.get(source.guid, [])))
            for code, user in sel.codings:
                dim, theme, sub = project.codes[code]
                codings.append(Coding(uid, dim, theme, sub, 1.0, "", "human", project.user_name(user)))
    cases = {c.name: Case(c.name, dict(c.values)) for c in project.cases}
    return CodedData(list(units.values()), codings, project.codebook, project.path,
                     n_applications=project.counts["codings"], cases=cases, kind="qdpx")


# ================================================================================================ writing
def _guid(*key) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(str(k) for k in key)))


def _variable_type(values: list[str]) -> str:
    """The REFI type of a variable of no known type, from its values. A number written with a leading zero
    ("007", a postcode "0800") is Text: as an Integer, a QDA program shows it as 7."""
    values = [v for v in values if v != ""]
    if not values:
        return "Text"
    if all(re.fullmatch(r"-?(?:0|[1-9]\d*)", v) for v in values):
        return "Integer"
    if all(re.fullmatch(r"-?(?:0|[1-9]\d*)(?:\.\d+)?", v) for v in values):
        return "Float"
    if all(v.lower() in ("true", "false") for v in values):
        return "Boolean"
    if all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) and _fits("Date", v) for v in values):  # not "2024-13-45"
        return "Date"
    return "Text"


_VALUE_ELEMENT = {"Text": "TextValue", "Integer": "IntegerValue", "Float": "FloatValue", "Boolean": "BooleanValue",
                  "Date": "DateValue", "DateTime": "DateTimeValue"}
_ZONE = r"(?:Z|[+-]\d\d:\d\d)?"
#: how Project.xsd's value elements write a value (xsd:integer, decimal, boolean, date, dateTime)
_LEXICAL = {"Integer": r"[+-]?\d+", "Float": r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", "Boolean": r"(?i:true|false|1|0)",
            "Date": r"\d{4}-\d\d-\d\d" + _ZONE, "DateTime": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?" + _ZONE}


def _fits(kind: str, value: str) -> bool:
    """Whether ``value`` can be written as a value of type ``kind`` (an empty value is not written)."""
    import datetime

    value = value.strip()
    if kind == "Text" or value == "":
        return True
    if kind not in _LEXICAL or not re.fullmatch(_LEXICAL[kind], value):
        return False
    if kind in ("Date", "DateTime"):
        try:
            datetime.date.fromisoformat(value[:10])
        except ValueError:
            return False
    return True


def _settle_types(project: QdaProject, diagnostics: Diagnostics | None) -> None:
    """A variable whose type is none of REFI-QDA's, or that holds a value its type cannot (an Integer "n/a"),
    becomes Text, W628: the export wrote typeOfVariable="Weird" or <IntegerValue>n/a</IntegerValue>, which
    Project.xsd refuses, so no QDA program would open the file."""
    changed = []
    for name in sorted(project.variables):
        kind = project.variables[name]
        bad = [v for c in project.cases for v in [c.values.get(name, "")] if not _fits(kind, v)]
        if kind not in _VALUE_ELEMENT or bad:
            changed.append((name, kind, bad[0] if bad else ""))
            project.variables[name] = "Text"
    if changed and diagnostics is not None:
        name, kind, value = changed[0]
        diagnostics.warn("W628", path=project.path, n=len(changed), name=name, kind=kind or "none",
                         value=f"the value '{value}'" if value else "a type REFI-QDA does not know")


def project_xml(project: QdaProject) -> bytes:
    """The ``project.qde`` document (valid against Project.xsd), deterministic."""
    from lxml import etree

    from . import refi
    from ._version import __version__

    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", refi.xml_text(project.name))
    root.set("origin", f"condense {__version__}")
    user_guid = _users_xml(root, project)
    _el(root, "CodeBook").append(refi.codes_element(project.codebook, PROJECT_NS))
    _variables_xml(root, project)
    _cases_xml(root, project)
    _sources_xml(root, project, user_guid)
    if project.notes:
        block = _el(root, "Notes")
        for name, text in project.notes:
            note = _el(block, "Note", guid=_guid("note", name), name=refi.xml_text(name))
            _el(note, "PlainTextContent").text = refi.xml_text(text)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _el(parent, tag: str, **attrs):
    """A child element ``tag`` of the project namespace, with ``attrs`` in the order given."""
    from lxml import etree

    return _sub(etree, parent, f"{{{PROJECT_NS}}}{tag}", attrs)


def _users_xml(root, project: QdaProject) -> dict[str, str]:
    """``<Users>`` (by name, sorted); returns name → guid."""
    users = sorted(set(project.users.values()) - {""})
    user_guid = {name: _guid("user", name) for name in users}
    if users:
        block = _el(root, "Users")
        for name in users:
            _el(block, "User", guid=user_guid[name], name=name)
    return user_guid


def _variables_xml(root, project: QdaProject) -> None:
    variables = sorted(project.variables)
    if variables:
        block = _el(root, "Variables")
        for name in variables:
            _el(block, "Variable", guid=_guid("variable", name), name=name, typeOfVariable=project.variables[name])


def _cases_xml(root, project: QdaProject) -> None:
    """``<Cases>`` (sorted by name) with their non-empty variable values and the sources they link."""
    from . import refi

    if not project.cases:
        return
    variables = sorted(project.variables)
    source_guids = {s.guid for s in project.sources}
    block = _el(root, "Cases")
    for case in sorted(project.cases, key=lambda c: c.name):
        el = _el(block, "Case", guid=_guid("case", case.name), name=case.name)
        for name in variables:
            if case.values.get(name, "") == "":
                continue
            vv = _el(el, "VariableValue")
            _el(vv, "VariableRef", targetGUID=_guid("variable", name))
            kind = project.variables[name]
            value = case.values[name].strip().lower() if kind == "Boolean" else case.values[name]
            _el(vv, _VALUE_ELEMENT.get(kind, "TextValue")).text = refi.xml_text(value)
        for s in sorted(set(case.sources)):
            if s in source_guids:
                _el(el, "SourceRef", targetGUID=s)


def _sources_xml(root, project: QdaProject, user_guid: dict[str, str]) -> None:
    """``<Sources>``: one ``<TextSource>`` per source, its selections in text order, each with its codings."""
    from . import refi

    if not project.sources:
        return
    block = _el(root, "Sources")
    for source in project.sources:
        el = _el(block, "TextSource", guid=source.guid, name=source.name, plainTextPath=f"internal://{source.guid}.txt")
        for sel in sorted(source.selections, key=lambda s: (s.start, s.end)):
            sguid = _guid("selection", source.guid, sel.start, sel.end)
            s_el = _el(el, "PlainTextSelection", guid=sguid, name=refi.xml_text(_label(source.text, sel)),
                       startPosition=str(sel.start), endPosition=str(sel.end))
            for code, user in sorted(set(sel.codings)):
                c_el = _el(s_el, "Coding", guid=_guid("coding", sguid, code, user))
                user = project.user_name(user)
                if user:
                    c_el.set("creatingUser", user_guid.get(user) or _guid("user", user))
                _el(c_el, "CodeRef", targetGUID=_codebook_guid(project, code))


def _codebook_guid(project: QdaProject, code: str) -> str:
    """The guid the codebook element gives the code (path-based), whatever guid the project read had."""
    from . import refi

    dim, theme, sub = project.codes[code]
    return refi.code_guid(project.codebook.id, dim, theme, *[p for p in sub.split("/") if p])


def _sub(etree, parent, tag, attrs):
    el = etree.SubElement(parent, tag)
    for k, v in attrs.items():
        el.set(k, v)
    return el


def _label(text: str, sel: QdaSelection) -> str:
    """A selection's name: the start of its text (as NVivo and ATLAS.ti do), at most 60 characters."""
    covered = " ".join(text[sel.start:sel.end].split())
    return covered if len(covered) <= 60 else covered[:59] + "…"


def qdpx_bytes(project: QdaProject) -> bytes:
    """``project.qde`` and ``sources/<guid>.txt`` (UTF-8, LF) as the bytes of a .qdpx, deterministically."""
    from .io import zip_bytes

    entries = [("project.qde", project_xml(project))]
    for source in sorted(project.sources, key=lambda s: s.guid):
        entries.append((f"sources/{source.guid}.txt", source.text.encode("utf-8")))
    return zip_bytes(entries)


def write_qdpx(project: QdaProject, path: str | Path) -> Path:
    """Write the project as a .qdpx file (:func:`qdpx_bytes`)."""
    from .io import write_file

    return write_file(Path(path), qdpx_bytes(project))


# ================================================================================================ from a run
def project_from_run(result, *, name: str | None = None) -> QdaProject:
    """A run's (or coded data's) sources, cases, codebook, coders, codings and condensates as a project.

    Sources are the transcripts' normalised text (withdrawn passages already blanked); every coding of the
    final (reviewed) codings becomes a coding on its unit's span, by the user ``condense rules``,
    ``condense model`` or the human coder; condensates and golden quotes become notes. An anonymous
    transcript is linked to no case, and its quotes carry no attribution.
    """
    codebook = result.codebook
    privacy = getattr(result.segmentation, "privacy", None)
    transcripts = [t for t in result.corpus.transcripts if t.text]
    project = QdaProject(name or codebook.label or codebook.id, codebook, _codes_of(codebook))
    sources, offsets = {}, {}
    for t in transcripts:
        public, text, offsets[t.id] = _public_source(privacy, t)
        sources[t.id] = QdaSource(_guid("source", public), public, text)
    spans = _run_spans(result, sources, _source_of_units(privacy, transcripts), offsets)
    _add_selections(sources, spans)
    project.sources = [sources[t.id] for t in transcripts]
    project.users = {u: u for u in sorted({user for codings in spans.values() for _, user in codings})}
    hidden = privacy.anonymous_cases if privacy is not None else set()
    _run_cases(project, {k: v for k, v in result.corpus.cases.items() if k not in hidden}, transcripts, sources)
    project.notes = _condensate_notes(result, codebook.language)
    return project


def audit_export(result, data: bytes, name: str = "export.qdpx") -> None:
    """The consent audit of a run's export (:func:`qdpx_bytes`) before it is written: no withdrawn passage, no
    anonymous interview's id, plan or place in any byte of the .qdpx (E830, nothing written)."""
    import tempfile

    from .audit import allowed_texts, audit_folder, fingerprints
    from .io import write_file

    privacy = getattr(result.segmentation, "privacy", None)
    if privacy is None:
        return
    with tempfile.TemporaryDirectory(prefix="condense-qdpx-") as folder:
        write_file(Path(folder) / Path(name).name, data)
        audit_folder(folder, fingerprints(privacy, allowed_texts(result.corpus, result.project,
                                                                 result.segmentation.units)))


def _public_source(privacy, t) -> tuple[str, str, object]:
    """A transcript's name and text as the export may carry them (an anonymous interview under its public
    id, without its plan, places and names; listed names pseudonymised), and the map of its offsets."""
    if privacy is None:
        return t.id, t.text, None
    if t.anonymous and t.anonymous is not True:
        raise CondenseError("E812", path=display_path(t.path),  # by their public ids: a label is a name, often
                            labels=", ".join(privacy.speaker_ids.get((t.id, label), "[anonymiseret]") for label in t.anonymous))
    from .privacy import OffsetMap

    public, offsets, text = privacy.public_transcript(t.id), OffsetMap(), t.text
    if t.anonymous:
        text = offsets.sub(_FRONT_MATTER, lambda m: _public_front_matter(t, public), text)
    text, offsets = privacy.public_source(text, t.id, offsets)
    return public, text, offsets


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)


def _public_front_matter(t, public: str) -> str:
    """An anonymous interview's front matter as the export carries it: its public id, no plans, no
    respondent or place; marked anonymous as a whole (an importer then hides every speaker)."""
    lines = ["---", f"id: {public}", f"language: {t.language}", f"kind: {t.kind}"]
    labels = [label for label, role in sorted(t.speakers.items()) if role == "interviewer"]
    if labels:
        lines.append("interviewer_labels: " + json.dumps(labels, ensure_ascii=False))
    return "\n".join(lines + ["anonymous: true", "---", ""])


def _source_of_units(privacy, transcripts) -> dict[str, str]:
    """The transcript id a unit's (public) transcript id stands for: an anonymous speaker's public id → the
    interview it spoke in."""
    out = {t.id: t.id for t in transcripts}
    if privacy is not None:
        out.update({privacy.public_transcript(t.id): t.id for t in transcripts})
        out.update({public: tid for (tid, _), public in privacy.speaker_ids.items()})
    return out


def _run_cases(project: QdaProject, cases: dict, transcripts: list, sources: dict[str, QdaSource]) -> None:
    """The run's cases with their attributes as variables, each linked to its transcripts' sources (an
    anonymous transcript is linked to no case; a plan only anonymous interviews name is not listed)."""
    linked = defaultdict(list)
    for t in transcripts:
        if t.anonymous is True:
            continue
        for case in t.cases:
            linked[case].append(sources[t.id].guid)
    names = sorted(set(cases) | set(linked))
    attributes = sorted({k for c in cases.values() for k in c.attributes})
    project.variables = {a: _variable_type([cases[c].attributes.get(a, "") for c in cases]) for a in attributes}
    project.cases = [QdaCase(n, dict(cases[n].attributes) if n in cases else {}, sorted(linked.get(n, [])))
                     for n in names]


def _codes_of(codebook: Codebook) -> dict[str, tuple[str, str, str]]:
    """code key (``dimension/theme/sub…``) → (dimension, theme, sub-theme path) for every node of the codebook."""
    codes: dict[str, tuple[str, str, str]] = {}
    for dim in codebook.dimensions:
        for path in dim.paths():
            theme, _, sub = path.partition("/")
            codes[_code_key(dim.id, theme, sub)] = (dim.id, theme, sub)
    return codes


def _run_spans(result, sources: dict[str, QdaSource], source_of: dict[str, str],
               offsets: dict) -> dict[tuple[str, int, int], set]:
    """(transcript, start, end) of each coded unit in its exported source → its (code key, user) pairs, from
    the final codings."""
    from .review import final_codings

    codebook = result.codebook
    by_id = {u.unit_id: u for u in result.segmentation.units}
    spans: dict[tuple[str, int, int], set] = defaultdict(set)
    for c in _codings_by_coder(result, final_codings(result.codings, codebook)):
        u = by_id.get(c.unit_id)
        tid = source_of.get(u.transcript) if u is not None else None
        if tid not in sources:
            continue
        moved = offsets.get(tid)
        start, end = (moved(u.start), moved(u.end, end=True)) if moved else (u.start, u.end)
        sub = _subtheme_path(codebook, c) if c.subtheme else c.subtheme
        spans[(tid, start, end)].add((_code_key(c.dimension, c.theme, sub), _user_of(c)))
    return spans


def _subtheme_path(codebook: Codebook, c: Coding) -> str:
    """A coding's sub-theme as its id path in the codebook ("" when the codebook has no such sub-theme)."""
    try:
        found = codebook.dimension(c.dimension).theme(c.theme).resolve(c.subtheme)
    except KeyError:
        found = None
    return found[0] if found else ""


def _add_selections(sources: dict[str, QdaSource], spans: dict[tuple[str, int, int], set]) -> None:
    """One selection per coded span, in (source, start, end) order, with its sorted codings."""
    for (tid, start, end), codings in sorted(spans.items()):
        source = sources[tid]
        source.selections.append(QdaSelection(source.guid, start, end, sorted(codings)))


def _codings_by_coder(result, final: list[Coding]) -> list[Coding]:
    """The final codings, with the human ones taken from the decisions file coder by coder (the run keeps
    one human coding per unit and theme; a project keeps every coder's)."""
    path = getattr(result.project, "decisions", None)
    if path is None or not Path(path).exists():
        return final
    from .review import read_decisions

    units = {u.unit_id for u in result.segmentation.units}
    decisions = read_decisions(path, result.codebook, diagnostics=result.diagnostics)
    privacy = getattr(result.segmentation, "privacy", None)
    if privacy is not None:  # the project's own file names anonymous units by their real ids
        decisions = privacy.translate_decisions(decisions)
    human = [Coding(d.unit_id, d.dimension, d.theme, d.subtheme, 1.0, "", "human", d.coder)
             for d in decisions if d.action in ("add", "accept") and d.theme and d.unit_id in units]
    if not human:
        return final
    return [c for c in final if c.source != "human"] + human


def _code_key(dimension: str, theme: str, sub: str) -> str:
    return f"{dimension}/{theme}" + (f"/{sub}" if sub else "")


def _user_of(coding: Coding) -> str:
    if coding.source == "rule":
        return "condense rules"
    if coding.source == "model":
        return "condense model"
    return coding.coder or "human"


def _condensate_notes(result, language: str | None = "en") -> list[tuple[str, str]]:
    """Each row's condensate and quote as a note, named in the study's language (a Danish study's notes were
    named "Condensate …" in NVivo's list beside "Kondensat" in its report)."""
    from .i18n import quoted, t

    word = t("condensate", language)
    themes = result.tables.get("themes")
    if themes is None or themes.empty:
        return []
    out = []
    for row in themes.itertuples(index=False):
        if not row.condensate:
            continue
        label = row.theme_label + (f" – {row.subtheme_label}" if row.subtheme else "")
        text = row.condensate
        if row.golden_quote:
            text += f"\n\n{quoted(row.golden_quote, language)} ({row.quote_source})"
        out.append((f"{word} {row.dimension}/{row.theme}" + (f"/{row.subtheme}" if row.subtheme else "")
                    + f": {label}", text))
    return out


# ================================================================================================ project folder
META_COLUMNS = ["transcript", "id", "cases", "kind"]
SELECTION_COLUMNS = ["transcript", "start", "end", "dimension", "theme", "subtheme", "coder", "text"]


#: characters of a source's name kept in its transcript's file name (and id): a file system takes 255 bytes
FILE_ID_CHARS = 80


def _file_id(name: str, taken: set[str]) -> str:
    """A transcript's file name (without .txt) for a source: its name in safe characters, shortened to
    :data:`FILE_ID_CHARS` (a source named with 100,000 characters was refused with E402 and the whole name),
    unique among the sources (``_2``, ``_3``…), no name Windows keeps for a device (``CON`` → ``CON_``)."""
    base = re.sub(r"[^\w\-. ]+", "_", name, flags=re.UNICODE).strip(" ._") or "source"
    base = re.sub(r"\.(txt|docx?|rtf|pdf|md)$", "", base, flags=re.I) or base
    base = base[:FILE_ID_CHARS]
    while len(base.encode("utf-8")) > 3 * FILE_ID_CHARS:  # letters beyond the BMP take four bytes each
        base = base[:-1]
    base = base.strip(" ._") or "source"
    from .ingest import windows_device

    if windows_device(base):  # "CON.txt" is the console on Windows: the transcript was written to no file there
        base += "_"
    candidate, n = base, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{base}_{n}"
    taken.add(candidate.casefold())
    return candidate


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """A table of the imported study. Its cells come from another program's project (coded text, user, case
    and variable names), so one that a spreadsheet would run as a formula gets the leading ``'`` every CSV of
    condense gets (``io.csv_text``); condense's readers take it off again."""
    from .io import csv_text, write_file

    write_file(path, csv_text(columns, rows))


def import_project(project: QdaProject, out: str | Path, *, language: str | None = None,
                   diagnostics: Diagnostics | None = None) -> dict:
    """Write a project as a condense study folder; returns counts.

    ``transcripts/`` (one UTF-8 .txt per source, the normalised text the spans refer to; a source without
    speaker turns is marked ``kind: notes`` in transcripts.csv), ``transcripts/cases.csv`` (variables as
    columns), ``variables.csv`` (each variable's REFI type, when there are variables),
    ``codebook.yaml``, ``selections.csv`` (every coded span, lossless), ``decisions.csv`` (each
    coder's codes on the meaning units their spans overlap), ``users.csv``, ``notes.csv`` and ``condense.yaml``.
    """
    from .codebook import dump_codebook
    from .ingest.withdrawn import strip_withdrawn
    from .io import output_folder, write_file

    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    out = Path(out)
    taken: set[str] = set()
    ids = {s.guid: _file_id(s.name, taken) for s in project.sources}
    with_text = [s for s in project.sources if s.text.strip()]
    if not with_text:  # a study folder of no transcript: E112 from its first run, naming a temporary folder
        missing = project.counts["sources_no_text"]
        why = (f"the archive lacks the text file(s) of {missing} source(s) (W622 names them)" if missing else
               "a codebook-only export, or sources that are pictures, audio or PDF")
        raise CondenseError("E622", path=project.path or "the project", n=len(project.sources),
                            codes=len(project.codes), why=why)
    if language is None:  # the texts' own: a Danish project was imported as English (its tables' words, lemmas)
        from .coding import text_language

        language = text_language(s.text for s in with_text)[0]
    with output_folder(out) as tmp:
        folder = tmp / "transcripts"
        folder.mkdir()
        for s in with_text:
            write_file(folder / f"{ids[s.guid]}.txt", s.text)
        _write_cases(folder / "cases.csv", project)
        if project.variables:  # each variable's type: inferred again from cases.csv, "007" became an Integer
            _write_csv(tmp / "variables.csv", ["variable", "type"],
                       [{"variable": v, "type": project.variables[v]} for v in sorted(project.variables)])
        meta = _transcripts_meta(project, ids, with_text)
        _write_csv(folder / "transcripts.csv", META_COLUMNS, meta)
        write_file(tmp / "codebook.yaml", dump_codebook(project.codebook))
        rows = _selection_rows(project, ids, with_text)
        _write_csv(tmp / "selections.csv", SELECTION_COLUMNS, rows)
        _write_csv(tmp / "users.csv", ["user"], [{"user": u} for u in sorted(set(project.users.values()) - {""})])
        if project.notes:
            _write_csv(tmp / "notes.csv", ["name", "text"], [
                {"name": n, "text": strip_withdrawn(t, project.path, 0, where=f"{project.path}, note '{n}'")}
                for n, t in project.notes])
        write_file(
            tmp / "condense.yaml",
            "# Imported from a REFI-QDA project by `condense import qdpx`.\n"
            f"name: {_yaml_str(project.name)}\ntranscripts: transcripts\ncases: transcripts/cases.csv\n"
            f"codebook: codebook.yaml\nlanguage: {language}\ndecisions: decisions.csv\noutput: results\n")
        n_decisions, notes_kind, n_outside = _decisions(tmp, rows, meta, diagnostics, out)
    return {"sources": len(with_text), "selections": sum(len(s.selections) for s in with_text),
            "codings": len(rows), "decisions": n_decisions, "cases": len(project.cases),
            "users": len(set(project.users.values())), "notes_kind": notes_kind, "outside_units": n_outside}


def _write_cases(path: Path, project: QdaProject) -> None:
    """cases.csv: a ``case`` column and one column per variable (a header alone when the project has no cases)."""
    from .io import write_file

    if not project.cases:
        write_file(path, "case\n")
        return
    variables = sorted(project.variables)
    _write_csv(path, ["case", *variables],
               [{"case": c.name, **{v: c.values.get(v, "") for v in variables}} for c in project.cases])


def _transcripts_meta(project: QdaProject, ids: dict[str, str], with_text: list[QdaSource]) -> list[dict]:
    """The rows of transcripts.csv: each source's file, id and the cases that link it."""
    case_of = defaultdict(list)
    for case in project.cases:
        for g in case.sources:
            case_of[g].append(case.name)
    return [{"transcript": f"{ids[s.guid]}.txt", "id": ids[s.guid], "cases": ";".join(sorted(case_of[s.guid])),
             "kind": ""} for s in with_text]


def _selection_rows(project: QdaProject, ids: dict[str, str], with_text: list[QdaSource]) -> list[dict]:
    """The rows of selections.csv: one per coding of a selection, in text order, with the text it covers."""
    from .ingest.withdrawn import strip_withdrawn

    rows = []
    for s in with_text:
        passages = _withdrawn_spans(project, s)
        for sel in sorted(s.selections, key=lambda x: (x.start, x.end)):
            text = s.text[sel.start:sel.end]
            if passages:  # the words of a withdrawn passage it covers left out
                text = strip_withdrawn(_selection_text(s, sel.start, sel.end, passages), project.path, 0,
                                       where=f"{project.path}, source '{s.name}'")
            for code, user in sorted(set(sel.codings)):
                dim, theme, sub = project.codes[code]
                rows.append({"transcript": ids[s.guid], "start": sel.start, "end": sel.end, "dimension": dim,
                             "theme": theme, "subtheme": sub, "coder": project.user_name(user), "text": text})
    return rows


def _yaml_str(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _decisions(folder: Path, rows: list[dict], meta: list[dict], diagnostics: Diagnostics,
               shown: Path | None = None) -> tuple[int, int, int]:
    """Segment the imported transcripts and write each coder's codes on the units their spans overlap."""
    from .errors import Diagnostics as _D
    from .pipeline import load_units
    from .project import load_project
    from .review import DECISION_COLUMNS

    project = load_project(folder / "condense.yaml")
    corpus, seg = load_units(project, diagnostics=_D())
    skipped = {Path(p).name for p in corpus.skipped}
    notes_kind = 0
    if skipped:          # no speaker turns: the source is read as notes (one turn per paragraph)
        for m in meta:
            if m["transcript"] in skipped:
                m["kind"] = "notes"
                notes_kind += 1
        _write_csv(folder / "transcripts" / "transcripts.csv", META_COLUMNS, meta)
        corpus, seg = load_units(load_project(folder / "condense.yaml"), diagnostics=_D())
    by_transcript = defaultdict(list)
    for u in seg.units:
        by_transcript[u.transcript].append(u)
    for units in by_transcript.values():
        units.sort(key=lambda u: u.start)
    seen = set()
    decisions = []
    outside = []
    for r in rows:
        hits = 0
        for u in by_transcript.get(r["transcript"], []):
            if u.start < r["end"] and r["start"] < u.end or (r["start"] == r["end"] and u.start <= r["start"] < u.end):
                key = (u.unit_id, r["dimension"], r["theme"], r["subtheme"], r["coder"])
                hits += 1  # a second passage of the unit coded alike lies in it too (it was counted in none, W624)
                if key in seen:
                    continue
                seen.add(key)
                decisions.append({"transcript": u.transcript, "unit_id": u.unit_id, "fingerprint": u.fingerprint,
                                  "dimension": r["dimension"], "theme": r["theme"], "subtheme": r["subtheme"],
                                  "action": "add", "coder": r["coder"], "note": ""})
            elif u.start < r["end"] and r["start"] < u.end:
                hits += 1
        if not hits:
            outside.append(r)
    if outside:
        diagnostics.warn("W624", path=display_path((shown or folder) / "selections.csv"), n=len(outside),
                         transcript=outside[0]["transcript"], start=outside[0]["start"], end=outside[0]["end"])
    _write_csv(folder / "decisions.csv", DECISION_COLUMNS, decisions)
    return len(decisions), notes_kind, len(outside)


def project_from_folder(folder: str | Path, diagnostics: Diagnostics | None = None) -> QdaProject:
    """An imported project folder (see :func:`import_project`) read back as a project: lossless. ``diagnostics``
    gets what reading its tables and transcripts warns of (W101: a table re-saved by Excel as Windows-1252)."""
    import yaml

    from .codebook import load_codebook
    from .io import read_table, read_text

    from .limits import safe_load

    folder = Path(folder)
    try:
        settings = safe_load(read_text(folder / "condense.yaml", diagnostics)) or {}
    except yaml.YAMLError as exc:  # a hand-edited file: its line and what is wrong, not a traceback
        from .limits import yaml_problem

        line, detail = yaml_problem(exc, "invalid YAML")  # a tab named with its mend
        raise CondenseError("E401", path=display_path(folder / "condense.yaml"), line=line + 1 if line is not None else 1,
                            detail=detail, fix="Check indentation and `key: value` syntax.") from exc
    if not isinstance(settings, dict):
        settings = {}
    codebook = load_codebook(folder / "codebook.yaml")
    project = QdaProject(str(settings.get("name") or folder.name), codebook, _codes_of(codebook),
                         path=display_path(folder))
    _, meta = read_table(folder / "transcripts" / "transcripts.csv", diagnostics=diagnostics)
    sources = {}
    for _, m in meta:
        tid = _meta_id(m)
        sources[tid] = QdaSource(_guid("source", tid), tid, read_text(folder / "transcripts" / m["transcript"], diagnostics))
    _, rows = read_table(folder / "selections.csv", diagnostics=diagnostics)
    spans = defaultdict(set)
    for _, r in rows:
        spans[(r["transcript"], int(r["start"]), int(r["end"]))].add(
            (_code_key(r["dimension"], r["theme"], r["subtheme"]), r["coder"]))
    _add_selections(sources, spans)
    project.sources = list(sources.values())
    users = set()
    if (folder / "users.csv").exists():
        users |= {r["user"] for _, r in read_table(folder / "users.csv", diagnostics=diagnostics)[1] if r.get("user")}
    users |= {u for codings in spans.values() for _, u in codings if u}
    project.users = {u: u for u in sorted(users)}
    if (folder / "transcripts" / "cases.csv").exists():
        _folder_cases(project, folder / "transcripts" / "cases.csv", meta, sources, diagnostics)
        _settle_types(project, diagnostics)
    if (folder / "notes.csv").exists():
        project.notes = [(r["name"], r["text"]) for _, r in read_table(folder / "notes.csv", diagnostics=diagnostics)[1]]
    return project


def _meta_id(m: dict) -> str:
    """A transcript's id in transcripts.csv: its ``id``, else its file name without the suffix."""
    return m.get("id") or Path(m["transcript"]).stem


def _folder_cases(project: QdaProject, cases_csv: Path, meta: list, sources: dict[str, QdaSource],
                  diagnostics: Diagnostics | None = None) -> None:
    """cases.csv of an imported folder: each case with its variable values and the sources transcripts.csv links."""
    from .io import read_table

    header, case_rows = read_table(cases_csv, diagnostics=diagnostics)
    linked = defaultdict(list)
    for _, m in meta:
        for c in [x.strip() for x in m.get("cases", "").split(";") if x.strip()]:
            linked[c].append(sources[_meta_id(m)].guid)
    variables = [h for h in header if h != "case"]
    types, typed = {}, cases_csv.parent.parent / "variables.csv"
    if typed.exists():  # the types the project had (import qdpx writes it)
        rows = read_table(typed, diagnostics=diagnostics)[1]
        types = {r["variable"]: r.get("type", "") for _, r in rows if r.get("variable")}
    project.variables = {v: types.get(v) or _variable_type([r.get(v, "") for _, r in case_rows]) for v in variables}
    project.cases = [QdaCase(r["case"], {v: r.get(v, "") for v in variables}, sorted(linked.get(r["case"], [])))
                     for _, r in case_rows if r.get("case")]


# ================================================================================================ agreement
def coder_files(path: str | Path, coders: list[str], diagnostics: Diagnostics | None = None):
    """Two coders of one project as two coding files over the project's meaning units.

    ``path`` is a folder made by :func:`import_project`, its ``decisions.csv``, or a ``.qdpx`` (imported into
    a temporary folder first). Each coder's decisions name units; every unit either coder coded is compared.
    ``diagnostics`` gets what reading the decisions warns of (W101: a decisions.csv saved as Windows-1252).
    """
    import tempfile

    from .agreement import CodingFile
    from .io import read_table

    p = Path(path)
    if len(coders) != 2:
        raise CondenseError("E621", path=display_path(p), detail=f"--coder was given {len(coders)} time(s)",
                            fix="Name exactly two coders: --coder NAME --coder OTHER.")
    if p.suffix.lower() == ".qdpx":
        with tempfile.TemporaryDirectory() as tmp:
            import_project(read_qdpx(p), Path(tmp) / "project")
            return coder_files(Path(tmp) / "project", coders, diagnostics)
    decisions = p / "decisions.csv" if p.is_dir() else p
    if not decisions.exists():
        raise CondenseError("E101", path=display_path(decisions))
    _, rows = read_table(decisions, required=("unit_id", "dimension", "theme", "coder"), diagnostics=diagnostics)
    present = sorted({r.get("coder", "") for _, r in rows})
    files = []
    for name in coders:
        if name not in present:
            raise CondenseError("E621", path=display_path(decisions), detail=f"no decisions by coder '{name}'",
                                fix=f"Coders in this project: {', '.join(x for x in present if x) or 'none'}.")
        labels: dict[str, dict[str, set[str]]] = defaultdict(dict)
        transcripts = {}
        for _, r in rows:
            if r.get("coder", "") != name or r.get("action", "").lower() == "reject":
                continue
            themes = labels[r["unit_id"]].setdefault(r["dimension"], set())
            if r.get("theme"):
                themes.add(r["theme"])
            transcripts[r["unit_id"]] = r.get("transcript", "")
        files.append(CodingFile(f"{display_path(decisions)} ({name})", dict(labels), transcripts, True))
    return files[0], files[1]
