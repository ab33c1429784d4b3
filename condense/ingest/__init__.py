"""Ingest: transcript files in any supported format → :class:`~condense.model.Transcript` objects.

>>> corpus = ingest(["transcripts_sample"])            # doctest: +SKIP
>>> corpus.transcripts[0].turns[0].speaker              # doctest: +SKIP
'I'
"""
from __future__ import annotations

import os

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..errors import CondenseError, Diagnostics, display_path, first_few, resolved
from ..model import INTERVIEWER, NOTES_SPEAKER, Case, Transcript, Turn, gc_paused
from .answers import ANSWER_SUFFIXES, read_answers
from .metadata import CASES_CSV, TRANSCRIPTS_CSV, Meta, meta_from_front_matter, read_cases, read_transcripts_csv
from .roles import assign_roles
from .sources import TRANSCRIPT_SUFFIXES, docx_bold_leads, file_id, read_source
from .turns import parse_blocks, relabelled
# The withdrawn passages' fingerprints are salted per process (withdrawn._SALT, drawn as it is imported), and a
# fingerprint made in a forked reader is compared here with words hashed here: imported now, before any fork,
# every process of a run has the same salt. Imported first in a reader (--jobs 2), it drew a salt of its own,
# and the consent audit here matched none of its fingerprints.
from . import withdrawn as _withdrawn  # noqa: F401
from .withdrawn import refuse_repeats

__all__ = ["Corpus", "ingest", "read_transcript", "find_transcripts", "folder_language", "transcript_name",
           "TRANSCRIPT_SUFFIXES", "NOT_TRANSCRIPTS", "windows_device"]

NOT_TRANSCRIPTS = {"readme.md", "license.md", "changelog.md"}


@dataclass
class Corpus:
    """Transcripts, the cases they belong to, and the warnings met while reading them."""

    transcripts: list[Transcript]
    cases: dict[str, Case] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    skipped: list[str] = field(default_factory=list)
    withdrawn_unread: int = 0  # withdrawn passages of respondents with nothing else to read (answer tables)

    @property
    def n_withdrawn(self) -> int:
        """Withdrawn passages left out of the material: every transcript's, and those of respondents whose
        every answer was withdrawn."""
        return sum(t.withdrawn for t in self.transcripts) + self.withdrawn_unread

    counted: tuple = field(default=((), 0), repr=False, compare=False)  # (the turn texts counted, their words)

    @property
    def of_respondents(self) -> bool:
        """Every transcript is one respondent's answers from a table (a survey export): the material is
        counted in respondents, not interviews."""
        return bool(self.transcripts) and all(t.role_source == "table" for t in self.transcripts)

    @property
    def n_words(self) -> int:
        """The words of every turn, counted once for the texts the turns hold (the report, its data, the
        manifest and the command line each ask: 1M words, 0.05 CPU s a count)."""
        texts = [turn.text for t in self.transcripts for turn in t.turns]
        old, n = self.counted
        if len(old) != len(texts) or any(a is not b for a, b in zip(old, texts)):
            n = sum(t.n_words for t in self.transcripts)
            self.counted = (texts, n)
        return n

    def transcript(self, transcript_id: str) -> Transcript:
        for t in self.transcripts:
            if t.id == transcript_id:
                return t
        raise KeyError(transcript_id)


def transcript_name(name: str) -> bool:
    """A file name a folder's transcripts go by: a transcript type, not hidden, not an Office lock file (``~$``),
    not a README."""
    return (Path(name).suffix.lower() in TRANSCRIPT_SUFFIXES and not name.startswith((".", "~$"))
            and name.lower() not in NOT_TRANSCRIPTS)


def _subfolders_with_transcripts(folder: Path, given: frozenset = frozenset(), limit: int = 2000) -> list[tuple[str, int]]:
    """The subfolders of ``folder`` (any depth) holding transcript files, with their counts: a folder is read
    without them, and interviews sorted into "runde1/", "runde2/" were left out without a word. Passed over:
    hidden folders, folders read in their own right (``given``), a study of its own (a condense.yaml) and folders
    condense wrote (a manifest.json: its report.md is no transcript); at most ``limit`` folders are looked into."""
    out, seen = [], 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (Path(root) / d).resolve() not in given
                         and not any((Path(root) / d / own).exists() for own in ("manifest.json", "condense.yaml")))
        seen += 1
        if root != str(folder):
            n = sum(1 for name in names if transcript_name(name))
            if n:
                out.append((Path(root).relative_to(folder).as_posix(), n))
        if seen >= limit:
            break
    return out


# documents a transcript often comes as that condense does not read: how to make one it reads
_SAVE_AS = dict.fromkeys((".doc", ".wpd"), "open it in Word or LibreOffice and save it as .docx (File > Save "
                                                   "As) to read it")
_SAVE_AS.update({".pdf": "a PDF's text is not read: export the transcript from the program that wrote it as .docx "
                          "or .txt", ".fodt": "save it as .odt (LibreOffice: File > Save As)"})


def _listed(folders: list[tuple[str, int]]) -> str:
    return first_few(f"'{name}' ({n} file(s))" for name, n in folders)


# files the operating system writes into a folder by itself (Windows Explorer's thumbnails and folder settings):
# no researcher put them there, so no warning (W105) tells them to move them (a hidden file is passed over anyway)
_SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini"})


def find_transcripts(paths: Iterable[str | Path], diagnostics: Diagnostics | None = None) -> list[Path]:
    """Expand files and folders into transcript files (a folder's own files, sorted; not recursive). A .csv,
    .tsv or .xlsx named itself is a table of answers (:mod:`.answers`); in a folder such files are its cases,
    decisions and other tables, never transcripts."""
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    files: list[Path] = []
    paths = list(paths)
    given = frozenset(resolved(p) for p in paths)
    for raw in paths:
        path = Path(raw)
        _refuse_results(path)
        if path.is_dir():
            found = []
            for child in sorted(path.iterdir(), key=lambda p: p.name.casefold()):
                if not child.is_file() or child.name.startswith((".", "~$")):
                    _warn_not_a_file(child, diagnostics)
                    continue
                if child.name.casefold() in _SYSTEM_FILES:  # what Windows leaves in a folder it has shown
                    continue
                suffix = child.suffix.lower()
                if transcript_name(child.name):
                    found.append(child)
                elif suffix not in (".csv", ".xlsx", ".yaml", ".yml", ".md", ".json", ".ipynb"):
                    hint = _SAVE_AS.get(suffix, "") or _name_tail(child.name)
                    diagnostics.warn("W105", path=display_path(child), hint=hint and f"; {hint}")
            below = _subfolders_with_transcripts(path, given)
            if not found:
                raise CondenseError("E112", path=display_path(path), sub=_why_none(path, below))
            if below:
                diagnostics.warn("W119", path=display_path(path), folders=_listed(below),
                                 first=display_path(path / below[0][0]))
            files.extend(found)
        elif path.exists():
            if path.suffix.lower() not in TRANSCRIPT_SUFFIXES + ANSWER_SUFFIXES:
                raise CondenseError("E102", ext=path.suffix.lower() or "(none)", path=display_path(path),
                                    hint=_project_hint(path))
            files.append(path)  # a table given by name is a table of answers (answers.py)
        else:
            raise CondenseError("E101", path=display_path(path))
    return files


def _why_none(folder: Path, below: list[tuple[str, int]]) -> str:
    """What E112 adds for a folder of no transcripts: its subfolders that hold some, or that the folder is named as
    a transcript file (`condense ingest x.txt` where x.txt is a folder)."""
    if below:
        return f" (its subfolder(s) {_listed(below)} hold some: name them)"
    if transcript_name(folder.name):
        return f" (a folder, though its name ends in {folder.suffix}: is the transcript file elsewhere?)"
    return ""


def _name_tail(name: str) -> str:
    """What to do with a transcript's name that ends in spaces or dots after its ending ("interview.txt ",
    "interview.txt."; Windows hides both, a synced or unpacked folder keeps them): it was "not a transcript type"
    with no word of why."""
    kept = name.rstrip(" .")
    if kept == name or not transcript_name(kept):
        return ""
    return f"this name ends in {len(name) - len(kept)} space(s) or dot(s) after '{kept}': rename it '{kept}' to read it"


def _warn_not_a_file(child: Path, diagnostics: Diagnostics) -> None:
    """W132 for an entry named as a transcript that is no file to read: a link to a transcript moved or deleted, a
    link leading back to itself, a named pipe or a device. Each was passed over without a word, and the study
    counted one interview fewer."""
    import errno
    import stat

    if not transcript_name(child.name):
        return
    try:
        mode = child.stat().st_mode
    except OSError as exc:
        if not child.is_symlink():
            return
        what = ("a link that leads back to itself" if exc.errno == errno.ELOOP else
                f"a link to {os.readlink(child)}, which does not exist")
        diagnostics.warn("W132", path=display_path(child), what=what,
                         fix="Point the link at the transcript again, or put the transcript's file in its place")
        return
    if stat.S_ISDIR(mode):
        return
    what = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    diagnostics.warn("W132", path=display_path(child), what=what,
                     fix="Put the transcript's file in its place, or move it out of the folder")


def _refuse_results(path: Path) -> None:
    """E117 for a folder condense wrote (or a file in it that its manifest lists): `condense run results` read
    the last run's report.md as an interview and its tables' texts as answers, and analysed its own output."""
    from ..safety import results_kind

    folder = path if path.is_dir() else path.parent
    kind = results_kind(folder)
    if kind is None or (path is not folder and not _listed_in(folder, path.name)):
        return
    raise CondenseError("E117", path=display_path(path), kind=kind, folder=display_path(folder))


def _listed_in(folder: Path, name: str) -> bool:
    import json

    try:
        return name in json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return False


def _shown_labels(labels, anonymous, quote: str = "'") -> str:
    """Speaker labels as a warning shows them: an anonymous speaker's label (their name, often) never, as in every
    output; for an interview anonymous as a whole, none of its labels."""
    hidden = set(labels) if anonymous is True else set(anonymous or ())
    return ", ".join("[anonymiseret]" if label in hidden else f"{quote}{label}{quote}" for label in labels)


def _relabelled(source, parsed, known: set[str], path: Path, diagnostics: Diagnostics, anonymous=False):
    """A document with no "Label:" turn read again with labels written otherwise ("I - …", "[I]: …", "I.: …",
    "interviewer: …", "- I: …", a .docx's bold "Interviewer" before the speech), when its paragraphs open with such
    labels (W118 names them); else as it was."""
    bold = docx_bold_leads(path) if source.encoding == "docx" else frozenset()
    found = relabelled(source.blocks, bold)
    if found is None:
        return parsed
    blocks, labels = found
    again = parse_blocks(blocks, known_labels=known, merge_same_speaker=source.merge_same_speaker)
    if again.turns:
        diagnostics.warn("W118", path=display_path(path), labels=_shown_labels(labels, anonymous))
        return again
    return parsed


_ANONYMOUS_KEY = re.compile(r"\s*anonym\w*\s*:", re.I)


def _refuse_unread_anonymity(blocks, header: set[str], path: Path) -> None:
    """E814 where the lines before the first turn hold a front matter that was not read as one (typed into a .docx,
    .odt or .rtf, or below a title line in a .txt) and it says `anonymous: …`: the interview would be read as not
    anonymous, under its real id, with the respondent's name. Any other key there is read as a header line."""
    opened = None
    for block in blocks:
        text = block.text.strip()
        if block.text not in header:
            return
        if text == "---":
            if opened is not None:
                return
            opened = block.line
        elif opened is not None and _ANONYMOUS_KEY.match(text):
            raise CondenseError("E814", path=display_path(path), line=block.line, kind=path.suffix.lower() or "text")


def read_transcript(
    path: str | Path,
    *,
    meta: Meta | None = None,
    interviewer_labels: list[str] | None = None,
    language: str | None = None,
    diagnostics: Diagnostics | None = None,
) -> Transcript | None:
    """Read one transcript file. Returns None (with a warning) for a document without speaker turns."""
    path = Path(path)
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    source = read_source(path, diagnostics)
    meta = meta or Meta()
    if source.front_matter:
        meta = meta_from_front_matter(source.front_matter, path, meta)
    configured = list(interviewer_labels or []) + list(meta.interviewer_labels)
    known = set(configured)
    parsed = parse_blocks(source.blocks, known_labels=known, merge_same_speaker=source.merge_same_speaker,
                          notes=meta.kind == "notes")
    if not parsed.turns and meta.kind != "notes":
        parsed = _relabelled(source, parsed, known, path, diagnostics, meta.anonymous)
    if parsed.unclosed_withdrawn_line is not None:
        raise CondenseError("E113", path=display_path(path), line=parsed.unclosed_withdrawn_line)
    if not source.front_matter and not meta.anonymous:
        _refuse_unread_anonymity(source.blocks, set(parsed.header), path)
    withdrawn = source.withdrawn.count if source.withdrawn is not None else 0
    if not parsed.turns:
        if withdrawn:  # every turn withdrawn: the passages still count as left out
            diagnostics.warn("W109", path=display_path(path), n=withdrawn)
            _UNREAD[path] = withdrawn
        diagnostics.warn("W102", path=display_path(path))
        return None
    speakers, role_source = _roles(parsed, meta, configured, path, diagnostics)
    _warn_unpunctuated(parsed.turns, path, diagnostics)
    _check_anonymous_labels(meta.anonymous, speakers, path)
    _warn_joint_anonymous(meta.anonymous, speakers, path, diagnostics)
    if withdrawn:
        diagnostics.warn("W109", path=display_path(path), n=withdrawn)
    from ..limits import split_long_turns

    parsed.turns = split_long_turns(parsed.turns, path, diagnostics)  # none longer than CONDENSE_MAX_TURN_CHARS
    return Transcript(
        id=meta.id or file_id(path),
        path=str(path),
        text=source.text,  # withdrawn passages are blanked already (ingest/withdrawn.py)
        turns=parsed.turns,
        language=meta.language or language or "da",
        kind=meta.kind,
        cases=list(meta.cases),
        speakers=speakers,
        role_source=role_source,
        anonymous=meta.anonymous,
        title=parsed.title,
        header=parsed.header,
        metadata={"legend": parsed.legend, **meta.extra, **({"document": source.document} if source.document else {})},
        withdrawn=withdrawn,
        encoding=source.encoding,
        sha256=source.raw_sha256,
        withdrawn_fingerprints=source.withdrawn if withdrawn else None,
    )


def _roles(parsed, meta: Meta, configured: list[str], path: Path, diagnostics: Diagnostics):
    """Who speaks in what role (label → role), and how that was decided (W103: from the questions asked;
    W106: nobody asks)."""
    if meta.kind == "notes":
        return {NOTES_SPEAKER: "respondent"}, "notes"
    speakers, role_source = assign_roles(parsed.turns, configured=configured, legend=parsed.legend)
    if role_source == "questions":
        asked = [l for l, r in speakers.items() if r == INTERVIEWER]
        diagnostics.warn("W103", path=display_path(path), label=_shown_labels(asked, meta.anonymous, "") or "(none)")
    if not any(r == INTERVIEWER for r in speakers.values()):
        diagnostics.warn("W106", path=display_path(path))
    return speakers, role_source


_SENTENCE_ENDS = re.compile(r"[.!?…]")


def _warn_unpunctuated(turns, path: Path, diagnostics: Diagnostics, per: int = 150) -> None:
    """W120 for a transcript of 300 words or more with fewer than one sentence end per ``per`` words and no
    question mark (speech-to-text without punctuation): its questions were found by their words and its long
    "sentences" cut by length, both guesses a researcher should look at."""
    if any("?" in t.text for t in turns):  # (nearly every transcript: no word is counted)
        return
    words = sum(len(t.text.split()) for t in turns)
    if words < 300:
        return
    ends = sum(len(_SENTENCE_ENDS.findall(t.text)) for t in turns)
    if ends * per < words:
        diagnostics.warn("W120", path=display_path(path), words=f"{words:,}", ends=ends)


def _check_anonymous_labels(anonymous, speakers: dict[str, str], path: Path) -> None:
    """``anonymous: [labels]`` must name speakers of the transcript: a misspelt label would silently leave
    the respondent it meant attributed."""
    if isinstance(anonymous, bool):
        return
    known = set(speakers)
    parts = {p.strip() for label in speakers for p in re.split(r"\s(?:og|and|&|\+)\s", label)}
    for label in anonymous:
        if label not in known and label not in parts:
            raise CondenseError("E811", path=display_path(path), label=label, speakers=", ".join(sorted(known)) or "(none)")


_LANGUAGE_KEY = re.compile(r"^language:[ \t]*[\"']?([A-Za-z]+)", re.M)


def folder_language(path: Path, max_words: int = 3000) -> str | None:
    """The language of a folder of transcripts (or of one transcript file): the one its text files' front
    matter and the transcripts.csv there declare, when they agree; when none declares one, the language most of
    its words are in (the first files, up to ``max_words``); None when that cannot be told. Errors are left
    for ingest to report."""
    from ..coding import text_language

    folder = path if path.is_dir() else path.parent
    try:
        files = find_transcripts([path])
        table = read_transcripts_csv(folder / TRANSCRIPTS_CSV) if (folder / TRANSCRIPTS_CSV).is_file() else {}
    except CondenseError:
        return None
    if not path.is_dir():
        table = {k: v for k, v in table.items() if k in (path.name, path.stem)}
    declared = {meta.language for _, meta in table.values() if meta.language}
    for f in files:
        if f.suffix.lower() in (".txt", ".md"):
            head = _head(f).decode("utf-8", errors="ignore").lstrip("\ufeff")
            front = head.split("\n---", 1)[0] if head.startswith("---") else ""
            declared |= {m.group(1).lower() for m in _LANGUAGE_KEY.finditer(front)}
    if declared:
        return declared.pop() if len(declared) == 1 else None
    language, share = text_language(_texts(files, max_words))
    return language if share >= 0.15 else None


def _head(path: Path, n: int = 4096) -> bytes:
    """The first bytes of a regular file (a FIFO or device given a transcript's name is left to ingest's E716)."""
    from ..limits import check_regular

    try:
        check_regular(path)
        with open(path, "rb") as f:
            return f.read(n)
    except (CondenseError, OSError):
        return b""


def _texts(files: list[Path], max_words: int):
    """The texts of the first files, until about ``max_words`` words are read (a file that cannot be read is
    passed over: ingest reports it)."""
    words = 0
    for f in files:
        try:
            text = read_source(f, Diagnostics()).text
        except CondenseError:
            continue
        yield text
        words += len(text.split())
        if words >= max_words:
            return


def _warn_joint_anonymous(anonymous, speakers: dict[str, str], path: Path, diagnostics: Diagnostics) -> None:
    """Anonymous speakers beside named respondents lose their names, label and case, but their units still
    sit in the order, turns and questions of that interview: say so, once per file."""
    if isinstance(anonymous, bool):
        return
    named = sorted(label for label, role in speakers.items() if role != INTERVIEWER and label not in anonymous)
    if named:
        diagnostics.warn("W803", path=display_path(path), labels=_shown_labels(anonymous, True, ""), named=", ".join(named))


_WITHDRAWN_SPAN = re.compile(r"\[\[\s*withdrawn\s*\]\].*?(?:\[\[\s*/\s*withdrawn\s*\]\]|\Z)", re.S | re.I)


def blank_withdrawn(text: str) -> str:
    """Withdrawn passages, markers included, become spaces (line breaks kept): the transcript's text keeps
    its length, so every span stays valid, and no display of context around a span can show them."""
    return _WITHDRAWN_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def ingest(
    paths: Iterable[str | Path],
    *,
    cases_file: str | Path | None = None,
    interviewer_labels: list[str] | None = None,
    language: str | None = None,
    diagnostics: Diagnostics | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
    jobs: int = 1,
) -> Corpus:
    """Read transcripts (files or folders) with their metadata and cases.

    Metadata comes from front matter and from a ``transcripts.csv`` beside the files; cases from a
    ``cases.csv`` beside the files or ``cases_file``. Documents without turns are skipped with a warning.
    ``jobs`` > 1 reads the files in that many forked processes (the same corpus, warnings and errors).
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    files = find_transcripts(paths, diagnostics)
    folders = list(dict.fromkeys(f.parent for f in files))
    table: dict[Path, tuple[int, Meta]] = {}
    cases: dict[str, Case] = {}
    for folder in folders:
        tcsv = folder / TRANSCRIPTS_CSV
        if tcsv.exists():
            entries = read_transcripts_csv(tcsv, diagnostics)
            names = _names_in(folder)
            for name, (line, meta) in entries.items():
                target = names.get(name) or names.get(_name_key(name))
                if target is None:
                    raise CondenseError("E115", line=line, name=name, folder=display_path(folder))
                table[target] = (line, meta)
        ccsv = folder / CASES_CSV
        if ccsv.exists() and cases_file is None:
            cases.update(read_cases(ccsv, diagnostics))
    if cases_file is not None:
        cases.update(read_cases(Path(cases_file), diagnostics))

    transcripts: list[Transcript] = []
    skipped: list[str] = []
    seen: dict[str, tuple[str, str]] = {}  # an id folded (its capitals made small) → the id and its file
    with gc_paused():
        read = _reader(files, table, interviewer_labels, language, diagnostics, progress, jobs)
        unread = _read_all(files, read, diagnostics, cases, transcripts, skipped, seen)
        refuse_repeats(transcripts)  # a withdrawn passage said again outside it (E834)
    if progress:
        progress(len(files), len(files), Path())
    return Corpus(transcripts, cases, diagnostics, skipped, unread)


def _name_key(name: str) -> str:
    """A file name as a person means it: the same letters whatever their Unicode form (macOS and files copied
    from it write "å" as "a" + ring, a spreadsheet as one letter) and their case (Windows and macOS folders
    do not tell "Interview" from "interview")."""
    return "\0" + unicodedata.normalize("NFC", name).casefold()


def _names_in(folder: Path) -> dict[str, Path]:
    """Names a line of transcripts.csv may give a file by: its name, its stem, and either as a person means it
    (:func:`_name_key`) when only one file answers to it."""
    files = [f for f in folder.iterdir()]
    names = {f.name: f for f in files} | {f.stem: f for f in files if f.is_file()}
    loose: dict[str, set[Path]] = {}
    for name, f in names.items():
        loose.setdefault(_name_key(name), set()).add(f)
    return names | {key: next(iter(found)) for key, found in loose.items() if len(found) == 1}


def _is_table(path: Path) -> bool:
    return path.suffix.lower() in ANSWER_SUFFIXES


# A file whose every turn is withdrawn reads as None; read_transcript leaves its count of passages here.
_UNREAD: dict[Path, int] = {}


def _read_one(path: Path, table, interviewer_labels, language, diagnostics: Diagnostics):
    """The file's transcript (None: skipped); a table of answers gives (its transcripts, its cases, its
    withdrawn passages left unread), and so does a file whose every turn is withdrawn ([None], {}, n)."""
    try:
        if _is_table(path):
            return read_answers(path, language=language, diagnostics=diagnostics)
        meta = table.get(path, (0, None))[1]
        meta = Meta(**vars(meta)) if meta else None  # a copy: front matter may add to it
        transcript = read_transcript(path, meta=meta, interviewer_labels=interviewer_labels, language=language,
                                     diagnostics=diagnostics)
    except CondenseError as exc:  # a file listed, then gone: E101 "File not found" told to check a path
        if exc.code == "E101" and not os.path.exists(path):
            raise CondenseError("E728", path=display_path(path)) from exc
        raise
    unread = _UNREAD.pop(path, 0)
    return ([None], {}, unread) if transcript is None and unread else transcript


def _reader(files: list[Path], table, interviewer_labels, language, diagnostics, progress, jobs: int):
    """index → the file's transcript (or None), its warnings already in ``diagnostics``, in file order.

    With ``jobs`` > 1 the files are read in forked workers first, each file with warnings of its own and its
    coded error kept (not raised) so that the files are then taken in order exactly as one process would."""
    from ..parallel import available_jobs, map_shares

    def here(i: int):
        if progress:
            progress(i, len(files), files[i])
        return _read_one(files[i], table, interviewer_labels, language, diagnostics)

    if available_jobs(jobs) <= 1 or len(files) < 2:
        return here

    def share(indices: list[int]) -> list:
        out = []
        for i in indices:
            if _is_table(files[i]):
                out.append((i, (None, None, None)))  # read in the parent (its transcripts are many)
                continue
            own = Diagnostics()
            try:
                out.append((i, (_packed(_read_one(files[i], table, interviewer_labels, language, own)), own, None)))
            except CondenseError as exc:
                out.append((i, (None, own, exc)))
                break  # one process would stop at this file (and never reach the rest of the share)
        return out

    sizes = {i: _size(p) for i, p in enumerate(files)}
    results = dict(r for part in map_shares(share, list(range(len(files))), jobs, weight=sizes.__getitem__) for r in part)

    def there(i: int):
        if progress:
            progress(i, len(files), files[i])
        transcript, own, error = results[i]
        if own is None:
            return _read_one(files[i], table, interviewer_labels, language, diagnostics)
        diagnostics.extend(own)
        if error is not None:
            raise error
        return _unpacked(transcript)

    return there


def _packed(transcript: Transcript | None):
    """A transcript as a worker sends it: its fields, and its turns as columns (parallel.columns)."""
    from ..parallel import columns

    if transcript is None or isinstance(transcript, tuple):
        return transcript
    turns = transcript.turns
    transcript.turns = []
    return transcript, columns(turns, Turn)


def _unpacked(packed) -> Transcript | None:
    from ..parallel import rows

    if packed is None or len(packed) == 3:
        return packed
    transcript, turns = packed
    transcript.turns = rows(Turn, turns)
    return transcript


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 1


# the names Windows keeps for devices, whatever ending follows (CON.txt is the console, not a file)
_DEVICE = re.compile(r"(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])\s*(?:\..*)?", re.I | re.S)


def windows_device(name: str) -> bool:
    """Whether Windows takes a file of this name for a device (``CON.txt``, ``aux.md``, ``nul``, ``COM1.docx``):
    such a file cannot be made or copied there, and a program opening it there reads the console or nothing."""
    return _DEVICE.fullmatch(name) is not None


def _warn_device(path: Path, found: list, diagnostics: Diagnostics) -> None:
    """W133 for a transcript file named as a Windows device (``CON.txt``)."""
    name = path.name.split(".")[0].strip()
    keep = ""
    if any(t.id == file_id(path) for t in found):  # its id is its name: renaming it renames the id
        keep = (f"; to keep the id its decisions name, give it `id: {file_id(path)}` in its front matter or in "
                "transcripts.csv (only the file's name matters to Windows)")
    diagnostics.warn("W133", path=display_path(path), name=name, keep=keep)


def _read_all(files, read, diagnostics, cases, transcripts, skipped, seen) -> int:
    """Every file into ``transcripts`` (in order); returns the withdrawn passages of respondents left unread."""
    unread = 0
    spoken: dict[tuple[int, int], tuple[Path, object]] = {}  # a file's shape (turns, characters) → the first such
    for i, path in enumerate(files):
        got = read(i)
        if isinstance(got, tuple):  # a table of answers: its respondents, and the cases its columns describe
            found, table_cases, withdrawn_unread = got
            unread += withdrawn_unread
            for case, known in table_cases.items():
                cases.setdefault(case, known)  # a cases.csv beside it says more
        else:
            found = [got]
            _not_twice(got, path, spoken, diagnostics)
        if windows_device(path.name):
            _warn_device(path, [t for t in found if t is not None], diagnostics)
        for transcript in found:
            _take(transcript, path, diagnostics, cases, transcripts, skipped, seen)
    return unread


def _not_twice(transcript, path: Path, spoken: dict[tuple[int, int], tuple[Path, object]],
               diagnostics: Diagnostics) -> None:
    """W122 for a transcript file whose turns are another file's, word for word: "Interview 01 (1).docx", a
    browser's second download or a copy left beside the original, was read as one more interview without a
    word, and every count, share and quantifier of the study counted its units twice. (A warning, not an
    error: a corpus copied on purpose, as benchmarks/scale.py builds, still runs.)"""
    if transcript is None or not transcript.turns:
        return
    # turns and characters first: only a file of the same shape is compared turn by turn
    shape = (len(transcript.turns), sum(len(t.text) for t in transcript.turns))
    if shape not in spoken:
        spoken[shape] = (path, transcript)
        return
    first, earlier = spoken[shape]
    if [(t.speaker, t.text) for t in earlier.turns] == [(t.speaker, t.text) for t in transcript.turns]:
        diagnostics.warn("W122", first=display_path(first), second=display_path(path), path=display_path(path))


def _near_case(case: str, cases) -> str:
    """"; cases.csv has 'Solsikkeparken'" for a case written in other capitals or spaces, or one letter off."""
    import difflib

    key = " ".join(case.split()).casefold()
    same = [c for c in cases if " ".join(str(c).split()).casefold() == key]
    near = same or difflib.get_close_matches(case, [str(c) for c in cases], n=1, cutoff=0.85)
    return f"; cases.csv has '{near[0]}'" if near else ""


def _project_hint(path: Path) -> str:
    """What a YAML file given as transcripts is (a project file or a codebook), and which command reads a project:
    `condense segment condense.yaml` was told only which transcript types there are. (A project file whose
    `transcripts:` named itself was told to "give this command the transcripts folder", which it had.)"""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return ""
    return (f" (a project file or codebook, not a transcript: `condense run {display_path(path)}` reads a project; "
            "give a command that reads transcripts their folder, as `transcripts:` in a project file names it, "
            "never the project file itself)")


def _refuse_capitals(earlier: str, earlier_path: str, id_: str, path: Path) -> None:
    """E106 for two interviews whose ids differ only in capitals ("Interview1", "interview1"): Windows and macOS
    hold two such file names as one file (a copy of the folder there keeps one interview), and a spreadsheet's
    lookups, filters and pivot tables of the outputs take the two ids for one. Both were read as two interviews."""
    second = display_path(path) + (f" (the ids '{earlier}' and '{id_}' differ only in capitals: Windows and macOS "
                                   "hold such names as one file, and a spreadsheet takes them for one id; rename one, "
                                   "or remove it if it is a copy of the other)")
    raise CondenseError("E106", id=earlier, first=display_path(earlier_path), second=second)


def _take(transcript, path, diagnostics, cases, transcripts, skipped, seen):
    """One transcript read from ``path`` into the corpus (E106 for an id read twice)."""
    if transcript is None:
        skipped.append(str(path))
        return
    key = transcript.id.casefold()
    earlier, earlier_path = seen.get(key, (None, ""))
    if earlier == transcript.id:
        first, second = display_path(earlier_path), display_path(path)
        if first != second and unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", second):
            # two names that look alike: one writes "Å" as one character, the other as "A" and a ring (a copy from
            # a Mac), and a Mac would hold them as one file
            second += (" (the same name with its letters written another way, as a Mac writes them: two files here, "
                       "one on a Mac)")
        elif Path(first).stem != Path(second).stem and file_id(Path(first)) == file_id(Path(second)) == transcript.id:
            second += (" (their names give one id once invisible characters are taken out and letter forms such as "
                       "'ﬁ' written plainly: rename one of the files)")
        raise CondenseError("E106", id=transcript.id, first=first, second=second)
    if earlier is not None and earlier_path != str(path):
        _refuse_capitals(earlier, earlier_path, transcript.id, path)
    seen.setdefault(key, (transcript.id, str(path)))
    if cases:
        for case in transcript.cases:
            if case not in cases:
                diagnostics.warn("W104", path=display_path(path), case=case, near=_near_case(case, cases))
    transcripts.append(transcript)
