"""The consent audit: no output byte may carry a withdrawn passage, an anonymous interview's plan or
transcript id, or a name listed in ``pseudonyms.csv``.

``condense run`` calls :func:`finalise` on the temporary output folder, after every file is written and
before the folder moves into place: listed names are replaced in every file (xlsx XML parts included), then
every file is checked; a finding is a coded error (E830) naming the file and line (the sheet cell for an
xlsx), and the earlier results stay untouched. ``condense audit RESULTS`` runs the same check on a folder.

What is looked for:

* **withdrawn passages**: salted hashes of their distinctive words (5+ letters, not dictionary words) and of
  their four-word shingles, taken while reading the transcripts (ingest/withdrawn.py), minus anything the
  non-withdrawn inputs, the codebook and condense's own wording also contain. The text itself is never kept.
* **anonymous interviews**: their transcript ids and file names, and their plans' names (unless a plan is
  also named by a respondent who is not anonymous).
* **listed real names**, in any letter case and inflected (``Fatmas``).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CondenseError, CondenseErrors, Diagnostics, display_path, first_few
from .ingest.withdrawn import WORD_RE
from .privacy import Privacy

__all__ = [
    "IMAGE_SUFFIXES", "TEXT_SUFFIXES", "ZIP_SUFFIXES", "MAX_FINDINGS", "ID_KIND", "PERSON_KIND", "PLACE_KINDS", "KIND_WHY", "AuditReport",
    "Fingerprints", "fingerprints", "allowed_texts", "audit_coded", "scan", "run_scanner", "checks_where_made", "check_bytes", "audit_folder",
    "sweep", "finalise", "audit_project", "scanner_ahead", "stop_ahead", "PartsCheck", "parts_check", "refuse_withdrawn_cells",
    "write_audited"
]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".pdf", ".webp")
TEXT_SUFFIXES = {".csv", ".md", ".yaml", ".yml", ".json", ".txt", ".html", ".htm", ".svg", ".xml", ".qdc", ".tsv"}
ZIP_SUFFIXES = {".xlsx", ".qdpx", ".docx", ".zip"}
_XML_TEXT = re.compile(r">([^<]+)<")
MAX_FINDINGS = 20
ID_KIND = "anonymous transcript id"
PERSON_KIND = "anonymous respondent's name"
KIND_WHY = {ID_KIND: "the respondent asked to be anonymous",
            "anonymous plan name": "the respondent asked to be anonymous",
            "anonymous plan attribute": "it places the anonymous respondent",
            PERSON_KIND: "the respondent asked to be anonymous",
            "listed real name": "pseudonyms.csv replaces it"}
PLACE_KINDS = ("anonymous plan name", "anonymous plan attribute")  # terms that place an anonymous respondent


@dataclass
class AuditReport:
    files: list[str] = field(default_factory=list)
    parts: int = 0
    skipped: list[str] = field(default_factory=list)
    via_twin: list[str] = field(default_factory=list)  # PNG figures: drawn text checked in their SVG twin
    withdrawn_words: int = 0
    withdrawn_shingles: int = 0
    terms: dict[str, str] = field(default_factory=dict)  # term -> kind (shown only as counts)

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for kind in self.terms.values():
            kinds[kind] = kinds.get(kind, 0) + 1
        checked = (f"{len(self.files)} file(s) ({self.parts} xlsx/zip part(s) unzipped) checked for "
                   f"{self.withdrawn_words} distinctive word(s) and {self.withdrawn_shingles} four-word shingle(s) of "
                   f"withdrawn passages" + "".join(f", {n} {k}(s)" for k, n in sorted(kinds.items())))
        if self.via_twin:
            checked += f"; {len(self.via_twin)} PNG figure(s) checked through their SVG twin"
        if self.skipped:
            checked += f"; not checked (images): {', '.join(self.skipped)}"
        return checked

    def as_dict(self) -> dict:
        return {"files": len(self.files), "parts": self.parts, "skipped": list(self.skipped), "via_twin": list(self.via_twin),
                "withdrawn_words": self.withdrawn_words, "withdrawn_shingles": self.withdrawn_shingles,
                "terms": len(self.terms)}


@dataclass
class Fingerprints:
    words: set[bytes] = field(default_factory=set)
    shingles: set[bytes] = field(default_factory=set)  # of the withdrawn passages; those in ``allowed`` are no finding
    terms: dict[str, str] = field(default_factory=dict)
    allowed: object = None  # audit_scan.ShingleIndex of the allowed texts (None: nothing allowed)

    def patterns(self) -> list[tuple[re.Pattern, str]]:
        """(pattern, the kind of term it finds unless the term is known by the words matched). Ids end at word
        characters (``int2`` is not in ``int20``); names end where letters end. What places an anonymous
        respondent (her name, her plan and its attributes) is found however written (name_pattern's loose: a
        plan with a look-alike letter or its accents changed places her too); a listed name as the sweep
        replaces it (a loose pattern costs about four times the time: ecape_da's units four times, 6.2M characters,
        two terms: 0.53 -> 2.13 s)."""
        ids = [t for t, k in self.terms.items() if k == ID_KIND]
        listed = [t for t, k in self.terms.items() if k not in (ID_KIND, PERSON_KIND) and k not in PLACE_KINDS]
        places = [t for t, k in self.terms.items() if k in PLACE_KINDS]
        persons = [t for t, k in self.terms.items() if k == PERSON_KIND]
        found = ((scan_pattern(ids, inflected=False, letters=False), ID_KIND), (scan_pattern(listed), "listed real name"),
                 (scan_pattern(places, loose=True), "anonymous plan name"), (scan_pattern(persons, loose=True), PERSON_KIND))
        return [(p, kind) for p, kind in found if p is not None]


def scan_pattern(names, *, inflected: bool = True, letters: bool = True, loose: bool = False) -> re.Pattern | None:
    """What :func:`condense.privacy.name_pattern` matches (group 1 the name, group 2 its inflection): the
    same pattern, which opens with each name's first character and only then looks behind it for the
    boundary, so most positions are passed over on one comparison."""
    from .privacy import name_pattern

    return name_pattern(names, inflected=inflected, letters=letters, loose=loose)


def fingerprints(privacy: Privacy, allowed_texts: list[str]) -> Fingerprints:
    """What the audit looks for: withdrawn fingerprints minus what the allowed texts also contain (words are
    subtracted here; shingles where the scan meets them, exactly: audit_scan.ShingleIndex)."""
    from .audit_scan import ShingleIndex

    fp = Fingerprints(terms=dict(privacy.audit_terms))
    for w in privacy.withdrawn:
        fp.words |= w.words
        fp.shingles |= w.shingles
    if fp.words or fp.shingles:
        texts = allowed_texts + [_own_wording(), " ".join(x.pseudonym for x in privacy.pseudonyms)]
        fp.allowed = ShingleIndex(texts)
        fp.words -= set(fp.allowed.values.values())  # every word of the allowed texts has its value there
    return fp


def _own_wording() -> str:
    """Every word condense itself may write (report headings, labels, quantifiers …): its own source."""
    root = Path(__file__).resolve().parent
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.rglob("*.py")))


def allowed_texts(corpus, project, units=None) -> list[str]:
    """The non-withdrawn inputs: transcripts (withdrawn passages blanked) and the lemmas of their words (key
    terms and candidate labels are lemmas), the codebook and project files."""
    texts = [t.text for t in corpus.transcripts] + _lemma_texts(corpus, units)
    for f in _input_files(project):
        try:
            if f.is_file() and f.stat().st_size < 20_000_000:
                texts.append(f.read_text(encoding="utf-8-sig", errors="replace"))
        except OSError:
            continue
    return texts


def _lemma_texts(corpus, units=None) -> list[str]:
    """The run's own lemmas (given its units), else the lemmas of every word of the transcripts."""
    from .nlp import compound_lemmatizer as _compound_lemmatizer

    if units is not None:
        return [" ".join(sorted({l for u in units for l in u.lemmas}))]
    texts = []
    for language in sorted({t.language for t in corpus.transcripts if t.language in ("da", "en")}):
        lemma = _compound_lemmatizer(language)
        words = {w for t in corpus.transcripts if t.language == language for w in WORD_RE.findall(t.text.casefold())}
        texts.append(" ".join(sorted({lemma(w) for w in words if not w.isdigit()})))
    return texts


def _input_files(project) -> list[Path]:
    """The project's own files (codebook, cases, reference, pseudonyms, the project file) and the
    transcripts.csv/cases.csv beside its transcripts. Not the researcher's condensates and review decisions:
    the outputs carry their text, and a condensate or note written before the respondent withdrew what it
    repeats must be found, not allowed (nor a passage they mark withdrawn, whose words the whole file would
    allow everywhere)."""
    files = []
    if project is None:
        return files
    for name in ("codebook", "cases", "reference", "pseudonyms", "path"):
        value = getattr(project, name, None)
        if value is not None:
            files.append(Path(value))
    for t in getattr(project, "transcripts", []) or []:
        t = Path(t)
        folder = t if t.is_dir() else t.parent
        files += [folder / "transcripts.csv", folder / "cases.csv"]
    return files


def scan(folder: Path, fp: Fingerprints, report: AuditReport, jobs: int = 1, later=None,
         scanner=None) -> list[CondenseError]:
    """Check every file of ``folder`` (audit_scan.py: one pass per file); at most MAX_FINDINGS findings, the
    first ones in file order. With ``jobs`` > 1 the files are checked in that many forked processes (the
    same findings). ``later`` (export.PendingTables): files still being written; the rest are checked
    first, then ``later.finish()`` is waited for, then they are (but for those ``later.checked`` has
    checked already, where their bytes were made: :func:`check_bytes`). ``scanner``: the run's
    (:func:`run_scanner`, made from ``fp``), else one is made here."""
    from .audit_scan import Scanner

    scanner = scanner if scanner is not None else Scanner(fp, fp.allowed)
    done: dict[str, tuple] = {}
    if later is not None:
        first = [(rel, path) for rel, path, _ in _listing(folder) if not later.pending(rel)]
        done.update(zip((rel for rel, _ in first), _check_files(scanner, first, _free_jobs(jobs, later))))
        later.finish()
        done.update(getattr(later, "checked", None) or {})  # checked where they were made (the workbook)
    listing = _listing(folder)
    report.skipped += [rel for rel, _, skipped in listing if skipped]
    checked = [(rel, path) for rel, path, skipped in listing if not skipped]
    report.files += [rel for rel, _ in checked]
    rest = _check_files(scanner, [(rel, path) for rel, path in checked if rel not in done], jobs)
    findings: list[CondenseError] = []
    for rel, _ in checked:
        parts, twin, found = done[rel] if rel in done else next(rest)
        report.parts += parts
        if twin:
            report.via_twin.append(rel)
        findings += [CondenseError("E830", file=part, line=line, what=what) for part, line, what in found]
        if len(findings) >= MAX_FINDINGS:
            return findings[:MAX_FINDINGS]
    return findings


def _free_jobs(jobs: int, later) -> int:
    """The jobs the first round may fork: ``jobs`` but for a core for each process still making the files
    ``later`` waits for (the workbook, the figures), which keeps it busy. With two cores and either of them
    at work the round is checked in this process: two workers beside it only took turns on the cores with
    it, and forking them from the run cost more (1M words: the write stage 6.27 -> 6.11 CPU s, median of 3)."""
    from .parallel import available_jobs

    running = later.running() if hasattr(later, "running") else 0
    return max(1, available_jobs(jobs) - running)


def _listing(folder: Path) -> list[tuple[str, Path, bool]]:
    """(relative path, path, left unchecked) of every file: an image is not read, but a PNG with its SVG
    twin beside it is checked through the twin."""
    out = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        skipped = suffix in IMAGE_SUFFIXES and not (suffix == ".png" and path.with_suffix(".svg").is_file())
        out.append((path.relative_to(folder).as_posix(), path, skipped))
    return out


SPLIT_BYTES = 1 << 20  # files checked in several processes only when they hold this much (1M words: 70 MB at first)


def _check_files(scanner, checked: list[tuple[str, Path]], jobs: int):
    """(zip parts, checked through an SVG twin, findings as (part, place, what)) per file, in order; lazily
    when checked here (so a run with MAX_FINDINGS findings stops early), all at once from ``jobs`` forked
    processes, the largest files first so that the shares come out even."""
    from .parallel import available_jobs, map_shares

    jobs = min(available_jobs(jobs), len(checked))
    if jobs > 1 and sum(_weight(path) for _, path in checked) < SPLIT_BYTES:
        jobs = 1  # a few small files (the figures and the manifest, checked last): forking costs more than they do
    if jobs <= 1:
        yield from (_check_file(scanner, rel, path) for rel, path in checked)
        return
    order = sorted(range(len(checked)), key=lambda i: (-_weight(checked[i][1]), i))
    parts = map_shares(lambda share: [(i, _check_file(scanner, *checked[i])) for i in share], order, jobs,
                       weight=lambda i: _weight(checked[i][1]))
    done = dict(item for part in parts for item in part)
    yield from (done[i] for i in range(len(checked)))


def _weight(path: Path) -> int:
    """About how many bytes checking a file reads: a zip's parts unpacked."""
    try:
        if path.suffix.lower() in ZIP_SUFFIXES:
            with zipfile.ZipFile(path) as z:
                return sum(info.file_size for info in z.infolist())
        return path.stat().st_size
    except (OSError, zipfile.BadZipFile):
        return 0


def _check_file(scanner, rel: str, path: Path) -> tuple[int, bool, list[tuple[str, str, str]]]:
    return _check_data(scanner, rel, path.read_bytes())


def _check_data(scanner, rel: str, data: bytes) -> tuple[int, bool, list[tuple[str, str, str]]]:
    counts = AuditReport()
    found: list[tuple[str, str, str]] = []
    for part, segments, locate in _parts(rel, data, counts):
        found += _part_findings(scanner, part, segments, locate, MAX_FINDINGS - len(found))
        if len(found) >= MAX_FINDINGS:
            break
    return counts.parts, bool(counts.via_twin), found


def _part_findings(scanner, part: str, segments: list[str], locate, room: int) -> list[tuple[str, str, str]]:
    """(part, place, what) of the segments of one part with a problem, one per line or cell (a CSV row's cells
    share their line), at most ``room``."""
    found, places = [], set()
    for i, problem in sorted(scanner.problems(segments).items()):
        place = locate(i)
        if place in places:
            continue
        places.add(place)
        found.append((part, place, problem))
        if len(found) >= room:
            break
    return found


def _parts(rel: str, data: bytes, report: AuditReport):
    """The checkable parts of one output file; a PNG is checked through its SVG twin (the same figure,
    every label named in a comment; the twin is a file of its own) and by its own text chunks."""
    from .audit_scan import file_parts, png_texts

    if rel.lower().endswith(".png"):
        report.via_twin.append(rel)
        texts = png_texts(data)
        return [(rel, texts, lambda i: "text chunk")]
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                report.parts += len(z.infolist())
        except zipfile.BadZipFile:
            pass
    return file_parts(rel, data, ZIP_SUFFIXES)


def run_scanner(result):
    """The consent audit's scanner of a run (audit_scan.Scanner): the fingerprints of its inputs, its privacy
    and its units worked out once per run, and the texts it has checked remembered. Made before the write
    stage forks (export renders and checks a large workbook in a process of its own), both processes have it
    without working it out again; made ahead, beside the condensation, when :func:`scanner_ahead` started it."""
    scanner = getattr(result, "audit_scanner", None)
    if isinstance(scanner, _Ahead):
        scanner = result.audit_scanner = scanner.job.result()
    if scanner is None:
        scanner = result.audit_scanner = _new_scanner(result)
    return scanner


def write_audited(result, out: str | Path, write) -> Path:
    """A file a command makes from a run outside its results folder (a review sheet), written to ``out`` only
    once the consent audit finds nothing in it: ``write(path)`` makes it in a temporary folder, where it is
    checked (E830, nothing written; no privacy to audit: written as made)."""
    import tempfile

    from .io import read_bytes, write_file

    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="condense-audit-") as folder:
        made = write(Path(folder) / out.name)
        if getattr(result.segmentation, "privacy", None) is not None:
            scanner = run_scanner(result)
            audit_folder(folder, scanner.fp, scanner=scanner)
        return write_file(out, read_bytes(made))


def refuse_withdrawn_cells(result, path, cells: list[tuple[int, str, str]]) -> None:
    """E833 for each cell of a researcher's own file (``cells``: line, column, text; a condensates.csv's
    condensates, a decisions file's notes) that repeats a withdrawn passage, as the run reads the file and
    before anything is written: the audit would stop the run too, but name the output file where the words
    turned up, not the row to mend. The run's own scanner decides (the audit's matching: distinctive words and
    four-word shingles, minus what the non-withdrawn inputs hold); it is asked only about cells that share a
    word or a shingle with some passage at all, so a run whose cells repeat none makes it no sooner."""
    from .ingest.withdrawn import withdrawn_overlap

    privacy = getattr(result.segmentation, "privacy", None)
    passages = getattr(privacy, "withdrawn", None) or []
    words = set().union(*(w.words for w in passages))
    shingles = set().union(*(w.shingles for w in passages))
    suspects = [c for c in cells if c[2] and withdrawn_overlap(c[2], words, shingles)] if words or shingles else []
    if not suspects:
        return
    found = run_scanner(result).withdrawn([text for _, _, text in suspects])
    errors = [CondenseError("E833", path=display_path(path), line=line, column=column, what=found[i])
              for i, (line, column, _) in enumerate(suspects) if i in found]
    if errors:
        raise errors[0] if len(errors) == 1 else CondenseErrors(errors)


def _new_scanner(result):
    from .audit_scan import Scanner

    fp = fingerprints(result.segmentation.privacy, allowed_texts(result.corpus, result.project, result.segmentation.units))
    return Scanner(fp, fp.allowed)


class _Ahead:
    """The run's scanner being made in another process (:func:`scanner_ahead`); ``job.result()`` is it."""

    def __init__(self, job):
        self.job = job


def scanner_ahead(result, frames: list) -> None:
    """Start making the run's scanner (:func:`run_scanner`) beside whatever the caller does next (in a forked
    process where there is a second core: parallel.beside), and check there the distinct texts of ``frames``
    (the tables made so far: the units' texts, questions and ids, which the CSV files, the workbook and
    report.html hold again and again). The scanner comes back remembering what it found in each of them, so
    the processes that check the written files (the workbook's and the audit's, forked from this one) look
    those texts up instead of each checking them again; every byte of every file is still read and each of
    its segments checked or looked up (a text is what it is, whichever process checked it). Nothing happens
    without privacy to audit (no audit then) or when the run has its scanner already."""
    if getattr(result.segmentation, "privacy", None) is None or getattr(result, "audit_scanner", None) is not None:
        return
    from .parallel import beside

    result.audit_scanner = _Ahead(beside(lambda: _primed(result, frames)))


def stop_ahead(result) -> None:
    """End the process making the run's scanner ahead (:func:`scanner_ahead`) when no file will be written now:
    a run called without an output folder (``condense.run(project)`` in a notebook) left it waiting to send
    its scanner, a forked copy of the session, until the session ended: one more with every run. Writing the
    result later still audits it (the scanner is then made in this process)."""
    scanner = getattr(result, "audit_scanner", None)
    if isinstance(scanner, _Ahead):
        scanner.job.stop()


def _primed(result, frames: list):
    """A new scanner of the run that has checked the distinct texts of ``frames`` (column names and text cells),
    without the inputs' texts it was made from (they stay in this process: nothing reads them again)."""
    import dataclasses

    scanner = _new_scanner(result)
    texts: set[str] = set()
    for df in frames:
        texts.update(str(c) for c in df.columns)
        for j in range(df.shape[1]):
            texts.update(df.iloc[:, j].tolist())
    scanner.problems(sorted(t for t in texts if type(t) is str))
    scanner.fp = dataclasses.replace(scanner.fp, allowed=None)
    return scanner


def checks_where_made(result) -> bool:
    """Whether a file of the run may be checked where its bytes are made (:func:`check_bytes`): not when the
    files are swept for listed names before the audit (they may change), nor without privacy to audit."""
    privacy = getattr(result.segmentation, "privacy", None)
    return privacy is not None and privacy.names is None


def check_bytes(result, rel: str, data: bytes) -> tuple | None:
    """What :func:`scan` finds in the file ``rel`` of a run's folder once it holds ``data``, worked out
    where the bytes are made (export renders the workbook in a process of its own and checks it there);
    None when :func:`checks_where_made` says no."""
    if not checks_where_made(result):
        return None
    return _check_data(run_scanner(result), rel, data)


class PartsCheck:
    """What :func:`scan` finds in a zip file of a run (the workbook), worked out from the bytes of its entries as
    they go into the zip, one entry at a time (xlsx_rows.write_workbook calls it with each), rather than by
    unzipping the file again: every entry, every byte of it, the same segments, findings and count of parts.
    :meth:`result` is :func:`check_bytes`'s answer; make it with :func:`parts_check`."""

    def __init__(self, scanner, rel: str):
        self.scanner, self.rel, self.parts, self.found = scanner, rel, 0, []

    def __call__(self, name: str, body: bytes) -> None:
        from .audit_scan import xml_part_segments

        self.parts += 1
        if len(self.found) < MAX_FINDINGS:
            part = f"{self.rel} › {name}"
            self.found += _part_findings(self.scanner, part, *xml_part_segments(part, body), MAX_FINDINGS - len(self.found))

    def result(self) -> tuple[int, bool, list[tuple[str, str, str]]]:
        return self.parts, False, self.found


def parts_check(result, rel: str) -> PartsCheck | None:
    """A :class:`PartsCheck` of the zip file ``rel`` of a run's folder; None when :func:`checks_where_made` says no."""
    return PartsCheck(run_scanner(result), rel) if checks_where_made(result) else None


def audit_folder(folder: str | Path, fp: Fingerprints, jobs: int = 1, later=None, scanner=None) -> AuditReport:
    """Check every file of ``folder`` (in ``jobs`` processes; ``later``, ``scanner``: see :func:`scan`); raise
    E830 (all findings at once) or return what was checked."""
    folder = Path(folder)
    report = AuditReport(withdrawn_words=len(fp.words), withdrawn_shingles=len(fp.shingles), terms=dict(fp.terms))
    findings = scan(folder, fp, report, jobs, later, scanner)
    if findings:
        raise findings[0] if len(findings) == 1 else CondenseErrors(findings)
    return report


# ---------------------------------------------------------------- pseudonyms in every byte
def sweep(folder: Path, privacy: Privacy) -> int:
    """Replace listed real names in every written file (text files, and the text nodes of xlsx XML parts).
    Returns the number of files changed. Units were pseudonymised already; this catches text that did not
    come from units (a researcher's condensates, review notes, codebook labels, case attributes)."""
    if privacy.names is None:
        return 0
    changed = 0
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="strict")
            new = privacy.pseudonymise_file_text(text, suffix)
            if new != text:
                bom = path.read_bytes().startswith(b"\xef\xbb\xbf")
                path.write_text(new.lstrip("\ufeff"), encoding="utf-8-sig" if bom else "utf-8")
                changed += 1
        elif suffix in ZIP_SUFFIXES:
            if _sweep_zip(path, privacy):
                changed += 1
    return changed


def _sweep_zip(path: Path, privacy: Privacy) -> bool:
    from .export import FIXED_DATE

    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    out = []
    dirty = False
    for info, data in entries:
        if info.filename.endswith((".xml", ".rels", ".qde", ".txt")):
            text = data.decode("utf-8")
            new = _XML_TEXT.sub(lambda m: ">" + privacy.pseudonymise_file_text(m.group(1), ".xml") + "<", text)
            if new != text:
                dirty = True
                data = new.encode("utf-8")
        out.append((info, data))
    if not dirty:
        return False
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for info, data in out:
            fresh = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            fresh.compress_type = zipfile.ZIP_DEFLATED
            fresh.external_attr = 0o644 << 16
            z.writestr(fresh, data)
    return True


def finalise(result, folder: Path, later=None) -> dict:
    """The last step of a run, inside the temporary folder: pseudonyms everywhere, then the audit. ``later``
    (export.PendingTables): files still being written, finished here (after the other files are checked,
    unless listed names must first be replaced in every file)."""
    privacy = getattr(result.segmentation, "privacy", None)
    if later is not None and (privacy is None or privacy.names is not None):
        later.finish()
        later = None
    if privacy is None:
        return {}
    sweep(folder, privacy)
    scanner = run_scanner(result)
    report = audit_folder(folder, scanner.fp, getattr(result.project, "jobs", 1), later, scanner)
    return {**report.as_dict(), "summary": report.summary()}


def _same_project(results: Path, project, corpus) -> None:
    """E832 when none of the transcripts the results were written from (manifest.json's inputs, by content
    hash) is one of the project's: auditing another study's results against this project's withdrawn passages
    and names checks the wrong things, and its findings would be false alarms or, worse, a false all-clear.
    A transcript edited since the run (a passage withdrawn afterwards) is still audited: some others match."""
    import json

    try:
        inputs = json.loads((results / "manifest.json").read_text(encoding="utf-8")).get("inputs") or {}
    except (OSError, ValueError, AttributeError):
        raise CondenseError("E831", path=display_path(results), detail="its manifest.json cannot be read") from None
    written = {name: h for name, h in inputs.items() if not str(name).startswith("(")}
    hashes = {t.sha256 for t in corpus.transcripts}
    first = Path(project.transcripts[0]) if project.transcripts else Path(".")
    where = project.path or (first if first.is_dir() else first.parent)
    if written and not set(written.values()) & hashes:
        raise CondenseError("E832", path=display_path(results), n=len(written), project=display_path(where))
    names = {Path(t.path).name for t in corpus.transcripts}
    unknown = sorted(name for name, h in written.items() if Path(str(name)).name not in names and h not in hashes)
    if unknown:  # its withdrawn passages and its respondent's name are unknown here: no all-clear can be given
        raise CondenseError("E835", path=display_path(results), n=len(unknown), names=first_few(unknown),
                            project=display_path(where))


def audit_coded(results: str | Path, path: str | Path, diagnostics: Diagnostics | None = None) -> AuditReport:
    """``condense audit RESULTS --project CODED``: tables made from coding done elsewhere (``condense tables``),
    checked against the withdrawn passages of that file. The markers are found in the file's cells whatever
    columns the tables were read with; the rest of the file (its lemmas too) is what the tables may show, but
    for a cell that repeats withdrawn words unmarked (an excerpt of the passage: its code was dropped).
    ``diagnostics`` gets what reading the file and its pseudonyms.csv warns of (W101), as ``tables`` does."""
    import hashlib
    from types import SimpleNamespace

    from .coding import text_language
    from .ingest.withdrawn import blank, find_withdrawn, withdrawn_overlap
    from .io import read_bytes, read_table

    results, path = Path(results), Path(path)
    _results_folder(results)
    if path.suffix.lower() == ".qdpx":
        from .coded import read_coded

        data = read_coded(path, diagnostics=diagnostics)
        text, withdrawn = "\n".join(u.text for u in data.units), data.withdrawn
    else:
        _, rows = read_table(path, diagnostics=diagnostics)
        cells = "\n".join(v for _, row in rows for v in row.values() if v)
        found = find_withdrawn(cells, path, unit="cell line", language=text_language([cells])[0])
        text, withdrawn = blank(cells, found.spans), [found] if found.spans else []
        if found.spans:  # a cell that repeats withdrawn words unmarked (an excerpt of the passage) allows nothing
            text = "\n".join(c for c in text.split("\n") if not withdrawn_overlap(c, found.words, found.shingles))
    sha = hashlib.sha256(read_bytes(path)).hexdigest()
    texts = [SimpleNamespace(text=text, language=lang, sha256=sha, path=str(path)) for lang in ("da", "en")]
    corpus = SimpleNamespace(transcripts=texts)
    _same_project(results, SimpleNamespace(transcripts=[path], path=path), corpus)
    from .coded import coded_privacy, coded_pseudonyms

    privacy = coded_privacy("da", withdrawn, coded_pseudonyms(path, diagnostics))
    return audit_folder(results, fingerprints(privacy, [text] + _lemma_texts(corpus)))


def _results_folder(results: Path) -> None:
    if not results.is_dir():
        raise CondenseError("E831", path=display_path(results), detail="not a folder")
    if not (results / "manifest.json").exists():
        raise CondenseError("E831", path=display_path(results), detail="no manifest.json in it")


def audit_project(results: str | Path, project, diagnostics: Diagnostics | None = None) -> AuditReport:
    """``condense audit``: read the project's inputs again (fingerprints live in memory only) and check a
    results folder. ``diagnostics`` gets what reading them warns of (W101 for a cases.csv or pseudonyms.csv
    saved as Windows-1252), as the run that wrote the results did."""
    from .ingest import ingest
    from .privacy import pseudonyms_file, read_pseudonyms

    results = Path(results)
    _results_folder(results)
    corpus = ingest(project.transcripts, cases_file=project.cases, interviewer_labels=project.interviewer_labels,
                    language=project.language, diagnostics=diagnostics)
    _same_project(results, project, corpus)
    path = pseudonyms_file(project)
    privacy = Privacy.build(corpus, pseudonyms=read_pseudonyms(path, diagnostics) if path else [], language=project.language)
    return audit_folder(results, fingerprints(privacy, allowed_texts(corpus, project)), getattr(project, "jobs", 1))
