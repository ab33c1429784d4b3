"""Writing that cannot destroy a researcher's files.

Two kinds of output, two rules:

Output folders (``condense run``, ``segment``, ``code``, ``agree --out``, model folders)
    are written into a fresh temporary folder beside the target and moved into place only when every file
    is written. An existing target is replaced only when condense wrote it itself: its ``manifest.json``
    (written into every output folder) lists every file in it. Never the current folder, an input, the
    project folder or a folder that holds an input (E702); never a folder with files condense did not write
    (E703); never a file (E708). A lock beside the target makes a second writer fail at once with E707,
    and the temporary folder is removed when the process is interrupted (SIGINT, SIGTERM, SIGHUP).
Single files (review sheet, codebook, ``.qdc``, candidates)
    are refused when they exist (E704) unless the command was given ``--force``, and are never one of the
    command's own inputs (E705). They too are written to a temporary file and renamed into place.

Permissions follow the umask: folders and files are created like any other program's (``mkdtemp``'s
0700 is not used), so colleagues on a shared drive can open the results.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
import signal
import stat
import threading
from pathlib import Path
from typing import Iterable

from .errors import CondenseError, display_path, first_few, resolved

__all__ = [
    "MANIFEST", "JUNK", "listing", "foreign_files", "refuse_output_folder", "refuse_output_file", "write_bytes",
    "OutputFolder", "complete_manifest", "output_folder", "held"
]

MANIFEST = "manifest.json"
# files the operating system or an office program puts into any folder a person opens
JUNK = {".DS_Store", "Thumbs.db", "desktop.ini"}


def _resolve(path) -> Path:
    return resolved(Path(path).expanduser())


def _is_junk(name: str) -> bool:
    return name in JUNK or name.startswith("~$") or name.startswith("._")


def listing(folder: Path) -> list[str]:
    """Every file under ``folder`` as a relative POSIX path, sorted."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        rel = Path(root).relative_to(folder)
        for name in files:
            out.append((rel / name).as_posix())
    return sorted(out)


def foreign_files(folder: Path, kind: str | None = None) -> str:
    """Why ``folder`` may not be replaced: not written by condense, or (given ``kind``) written by another
    command — ``code --out`` onto a run's folder would replace its 17 files with 2 ("" when it may)."""
    entries = [e for e in folder.iterdir() if not _is_junk(e.name)]
    if not entries:
        return ""
    manifest = folder / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no condense manifest.json"
    if not isinstance(data, dict) or "condense" not in data or not isinstance(data.get("files"), list):
        return "a manifest.json that condense did not write"
    if kind is not None and data.get("kind", "run") != kind:
        return f"the results of `condense {data.get('kind', 'run')}`, not of `condense {kind}`"
    listed = {str(f) for f in data["files"]}
    extra = [f for f in listing(folder) if f not in listed and not _is_junk(Path(f).name)]
    if extra:
        return f"files condense did not write ({first_few(extra)})"
    checksums = data.get("checksums")
    edited = _edited(folder, checksums) if isinstance(checksums, dict) else _touched(folder, listed)
    if edited:
        return (f"files changed since condense wrote them ({first_few(edited)}): your edits would be lost (your own "
                "condensates and quotes belong in condensates.csv, which every run applies)")
    return ""


def results_kind(folder: Path) -> str | None:
    """The command whose results ``folder`` holds (its condense ``manifest.json`` says: "run", "tables", …), else
    None: a folder condense wrote is its output, never its input."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or "condense" not in data or not isinstance(data.get("files"), list):
        return None
    return str(data.get("kind", "run"))


def _edited(folder: Path, checksums: dict) -> list[str]:
    """The files of ``folder`` whose bytes are no longer those the manifest's checksums record (a themes.csv or
    results.xlsx a researcher edited and saved in place: the next run replaced it, and the edits were gone)."""
    edited = []
    for name, recorded in sorted(checksums.items()):
        path = folder / str(name)
        if path.is_file() and _checksum(path) != recorded:
            edited.append(str(name))
    return edited


SAVED_AFTER = 2.0  # seconds a file may be younger than its manifest (a copy of the folder, a coarse clock)


def _touched(folder: Path, listed: set[str]) -> list[str]:
    """The files of a folder whose manifest records no checksums (written before condense recorded them) that
    were saved after the manifest: condense writes the manifest last and moves the folder into place whole, so
    a listed file younger than it was saved again since (a themes.csv edited in Excel), or was never condense's
    (a manifest listing a thesis.docx): replacing the folder would lose it."""
    try:
        written = (folder / MANIFEST).stat().st_mtime
    except OSError:
        return []
    touched = []
    for name in sorted(listed):
        path = folder / name
        try:
            if name != MANIFEST and path.is_file() and path.stat().st_mtime > written + SAVED_AFTER:
                touched.append(name)
        except OSError:
            continue
    return touched


def _checksum(path: Path) -> str:
    """CRC-32 and size of a file: enough to see an edit (not a security hash); about 16 ms for ecape_da's 15 MB
    of results."""
    import zlib

    crc, size = 0, 0
    with path.open("rb") as f:  # in pieces: a 3M-word run's units.csv read whole raised the peak memory by its size
        while piece := f.read(1 << 20):
            crc, size = zlib.crc32(piece, crc), size + len(piece)
    return f"{crc:08x}-{size}"


# a control character (a line break, a tab, an escape; and Unicode's line and paragraph separators) in a name
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def refuse_control_names(path: str | Path) -> None:
    """E725 when a name condense would make for ``path`` (its own, and those of the folders on the way that are not
    there yet) holds a control character: ``--out "results\n"`` (a name pasted with its line end) made a folder
    whose name breaks every listing and script that shows it. Folders that exist already are the researcher's.
    E729 for ``-`` (standard output to many programs; condense made a folder named "-" of it)."""
    path = Path(path)
    made = [path]
    while not os.path.lexists(made[-1].parent) and made[-1].parent != made[-1]:
        made.append(made[-1].parent)
    if str(path) == "-" and not os.path.lexists(path):  # `--out -`: many programs' "standard output"
        raise CondenseError("E729")
    for part in made:
        found = _CONTROL.search(part.name)
        if found:
            shown = _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], str(path))
            raise CondenseError("E725", path=shown, char=f"U+{ord(found.group(0)):04X}")


def refuse_output_folder(target: str | Path, inputs: Iterable[str | Path] = (), kind: str | None = None) -> Path:
    """Raise a coded error when ``target`` may not be (re)placed by an output folder; return it resolved."""
    refuse_control_names(target)
    target = _resolve(target)
    shown = display_path(target)
    cwd = _resolve(Path.cwd())
    if target == cwd:
        raise CondenseError("E702", path=shown, detail="it is the current folder")
    if target in cwd.parents:
        raise CondenseError("E702", path=shown, detail="it holds the current folder")
    home = _resolve(Path.home())
    if target == home or target in home.parents:
        raise CondenseError("E702", path=shown, detail="it is your home folder or holds it")
    for raw in inputs:
        if raw is None:
            continue
        p = _resolve(raw)
        if target == p:
            raise CondenseError("E702", path=shown, detail=f"it is an input of this command ({display_path(p)})")
        if target in p.parents:
            raise CondenseError("E702", path=shown, detail=f"it holds an input of this command ({display_path(p)})")
    if _present(target, "Output folder"):
        if not target.is_dir():
            raise CondenseError("E708", path=shown)
        _refuse_mount_point(target, shown)
        why = foreign_files(target, kind)
        if why:
            raise CondenseError("E703", path=shown, detail=why)
    return target


def _refuse_mount_point(target: Path, shown: str) -> None:
    """E402 before any work for an output folder that is a mount point (a memory stick, a drive or a share mounted
    there): results are put in place by renaming a finished folder onto the target, which a mount point refuses, so
    the whole run was done first and then refused with "Device or resource busy"."""
    if os.path.ismount(target):
        raise CondenseError("E402", what="Output folder", path=shown,
                            detail="it is a mount point (a drive, memory stick or network share of its own), which "
                                   "cannot be replaced by the finished folder of results",
                            fix=f"Give a folder inside it, e.g. --out {Path(shown) / 'results'}; nothing was written.")


def _present(path: Path, what: str) -> bool:
    """Whether ``path`` is there (a dangling symlink is); E402 when the system cannot even look: a name longer
    than the file system allows (255 bytes: 128 letters æ, ø or å), a folder on the way that may not be read.
    ``Path.exists`` raised those as they were, and the command ended in a traceback."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise CondenseError("E402", what=what, path=display_path(path), detail=exc.strerror or str(exc),
                            fix="Choose another --out folder." if what == "Output folder" else
                            "Choose a shorter name, or a folder you may read and write.") from exc
    return True


def refuse_output_file(path: str | Path, *, force: bool = False, inputs: Iterable[str | Path] = (),
                       example: str = "", read_folders: Iterable[str | Path] = ()) -> Path:
    """Raise a coded error when a single output file may not be written; return the path.

    ``read_folders`` are the transcript folders the command reads: a file there that ingest would read (a
    transcript, ``cases.csv``, ``transcripts.csv``) is an input even with ``--force``, and so is a new one
    (the next run would read it)."""
    path = Path(path)
    refuse_control_names(path)
    shown = display_path(path)
    present = _present(path, "The file")
    if present and path.is_dir():
        raise CondenseError("E722", path=shown, example=f", e.g. {example}" if example else "")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise CondenseError("E709", path=shown, folder=display_path(parent))
    for raw in inputs:
        if raw is None:
            continue
        p = Path(raw)
        if _resolve(p) == _resolve(path) or (p.exists() and path.exists() and os.path.samefile(p, path)):
            raise CondenseError("E705", path=shown)
    _refuse_in_read_folders(path, read_folders)
    if present:
        if not path.is_file():
            raise CondenseError("E716", path=shown, kind="not a regular file")
        if not force:
            raise CondenseError("E704", path=shown)
    return path


def _refuse_in_read_folders(path: Path, folders: Iterable[str | Path]) -> None:
    from .ingest import TRANSCRIPT_SUFFIXES
    from .ingest.metadata import CASES_CSV, TRANSCRIPTS_CSV

    from .ingest import NOT_TRANSCRIPTS

    name = path.name.lower()
    read = name in (CASES_CSV, TRANSCRIPTS_CSV) or (path.suffix.lower() in TRANSCRIPT_SUFFIXES
                                                    and name not in NOT_TRANSCRIPTS)
    if not read:
        return
    target = _resolve(path)
    for raw in folders:
        folder = Path(raw)
        if folder.is_dir() and _resolve(folder) in target.parents:
            if path.exists():
                raise CondenseError("E705", path=display_path(path))
            raise CondenseError("E723", path=display_path(path), folder=display_path(folder),
                                what="metadata" if name.endswith(".csv") else "a transcript")


# A full disk, a quota or a limit on file size (``ulimit -f``): no program holds the file, and closing one is no fix.
_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_FULL = ("The disk is full, or a disk quota or a limit on file size was reached; what was there before is "
         "unchanged. Free some space (or lift the limit), then run again, or write to another disk.")
_TMP_FOLDER = re.compile(r"\.(?P<name>.+)\.tmp-\d+-[0-9a-f]{8}")
_LANDING: dict[Path, Path] = {}  # an output folder's temporary twin → the folder it is to land in (this process's)


def _shown(path: Path) -> Path:
    """A file as the user knows it: one in an output folder's temporary twin (``.results.tmp-123-ab12cd34/``) is
    named in the folder it was to land in (``results/``)."""
    for parent in path.parents:
        if parent in _LANDING:
            return _LANDING[parent] / path.relative_to(parent)
        m = _TMP_FOLDER.fullmatch(parent.name)
        if m:
            return parent.with_name(m.group("name")) / path.relative_to(parent)
    return path


NAME_MAX = 255  # bytes in one name: ext4, XFS, Btrfs, APFS (NTFS: 255 UTF-16 units, never fewer)
_TWIN_END = 24  # ".tmp-" or ".old-", a process id (up to 10 digits), "-", 8 hex digits


def twin_stem(name: str, folder: str | Path = ".") -> str:
    """How every hidden twin of ``name`` in ``folder`` begins (its temporary file or folder, the folder moved
    aside, the lock): ``.NAME``, or, when a twin's name would then be longer than the file system allows, the
    name's first characters, ``~`` and a hash of the whole name. A results folder or decisions file named with
    more than some 235 bytes (118 letters æ, ø or å; 237 with a 4-digit process id, 250 at most: the lock) could
    be named, but not written: its twin's name was too long. Names up to 230 bytes keep ``.NAME``. The same name
    in the same folder always gets the same stem, so the next writer finds what a killed one left."""
    stem = "." + name
    limit = _name_max(folder)
    if len(os.fsencode(stem)) + _TWIN_END <= limit:
        return stem
    import hashlib

    digest = "~" + hashlib.sha256(os.fsencode(name)).hexdigest()[:10]
    room = limit - _TWIN_END - len(os.fsencode("." + digest))
    head, size = [], 0
    for char in name:  # whole characters: a letter ø cut in two would make a name no program shows right
        size += len(os.fsencode(char))
        if size > room:
            break
        head.append(char)
    return "." + "".join(head) + digest


def _name_max(folder: str | Path) -> int:
    """The longest name ``folder``'s file system takes, in bytes (eCryptfs: 143); 255 when it cannot say."""
    try:
        return min(NAME_MAX, os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError, TypeError):  # not there yet, or no pathconf (Windows)
        return NAME_MAX


def _twin_pattern(name: str, folder: Path, kinds: str) -> re.Pattern:
    """The names of ``name``'s twins of ``kinds`` (``tmp``, ``tmp|old``) in ``folder``: with this version's stem
    and with ``.NAME``, which an earlier version used for every name it could write (up to some 235 bytes)."""
    stems = sorted({twin_stem(name, folder), "." + name})
    return re.compile(rf"(?:{'|'.join(map(re.escape, stems))})\.({kinds})-(\d+)-[0-9a-f]{{8}}")


def _refuse_read_only(path: Path) -> None:
    """A file its owner marked read-only is not replaced. The rename that replaces a file needs only the right to
    write in its folder, so a decisions.csv made read-only to keep it as it is (or one that root may write
    anyway) was replaced, and came back writable."""
    try:
        mode = path.stat().st_mode
    except OSError:  # not there (yet): nothing to keep
        return
    if stat.S_ISREG(mode) and not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise CondenseError("E402", what="The file", path=display_path(_shown(path)), detail="it is read-only",
                            fix="It was left as it is. Make it writable if condense should replace it (or write "
                                "to another file), then run again.")


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Put bytes on disk atomically: a temporary file beside ``path`` (mode from the umask), then a rename. The
    temporary file is locked until it is renamed, so that a later writer can tell one whose writer was killed
    outright (``kill -9``, a power cut) and remove it (:func:`_remove_stale_files`)."""
    path = Path(path)
    _refuse_read_only(path)
    folder = path.parent
    _remove_stale_files(path)
    tmp = folder / f"{twin_stem(path.name, folder)}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as f:
            held = _hold(fd)
            f.write(data)
            if held:  # renamed while locked (POSIX renames an open file; Windows, which has no flock, does not)
                f.flush()
                os.replace(tmp, path)
        if not held:
            os.replace(tmp, path)
    except OSError as exc:  # a file, not an --out folder: a decisions file may have no --out at all
        with contextlib.suppress(OSError):  # a name too long to create is too long to remove as well
            tmp.unlink(missing_ok=True)
        raise CondenseError("E402", what="The file", path=display_path(_shown(path)), detail=exc.strerror or str(exc),
                            fix=_FULL if exc.errno in _FULL_ERRNOS else
                            "Close it if a program (a spreadsheet) has it open, and check that you may write "
                            "in its folder; then run again, or write to another file.") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _hold(fd: int) -> bool:
    """Lock a temporary file being written (an exclusive ``flock``); False where there is no such lock."""
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):  # Windows; a file system without locks
        return False
    return True


def _remove_stale_files(path: Path) -> None:
    """Remove the temporary twins of ``path`` (``.decisions.csv.tmp-PID-HEX``) that a writer killed outright left:
    each stayed for good, a hidden, half-written copy. Only a twin that is surely ours and stale goes: its name
    is this file's twin's name exactly, it is a regular file (not a link, not a folder), the process named in it
    is not running here, and nobody holds its lock (every writer locks its twin until the rename; a writer on
    another computer sharing the folder holds it as well). Without ``flock`` (Windows) nothing is removed. An
    output folder's files are skipped: its temporary folder is new, and the folder's own lock covers it."""
    try:
        import fcntl
    except ImportError:
        return
    folder = path.parent
    if any(parent in _LANDING for parent in path.parents):
        return
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    except OSError:
        return
    pattern = _twin_pattern(path.name, folder, "tmp")
    for name in names:
        m = pattern.fullmatch(name)
        if m and not _running(int(m.group(2))):
            _remove_if_unlocked(folder / name, fcntl)


def _running(pid: int) -> bool:
    """Whether process ``pid`` may be running here (anything but a clear no counts as yes)."""
    if pid <= 0 or pid == os.getpid():  # 0 would ask the whole process group; this process may write it itself
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # EPERM: another user's process
        return True
    return True


def _remove_if_unlocked(twin: Path, fcntl) -> None:
    try:
        fd = os.open(twin, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(fd).st_ino == os.lstat(twin).st_ino:
            os.unlink(twin)
    except OSError:  # locked: its writer lives
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------- locking and signals
class _Lock:
    """An exclusive, non-blocking lock on ``.NAME.lock`` (:func:`twin_stem`) beside the target; removed when
    released."""

    def __init__(self, target: Path):
        self.target = target
        self.path = target.with_name(f"{twin_stem(target.name, target.parent)}.lock")
        self.fd: int | None = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # no flock: an exclusive create is the lock
            try:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                raise self._busy() from None
            return
        for _ in range(100):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise self._busy() from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:  # not a lock file its previous holder had already removed
                self.fd = fd
                return
            os.close(fd)
        raise self._busy()

    def _busy(self) -> CondenseError:
        return CondenseError("E707", path=display_path(self.target), lock=display_path(self.path))

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self.fd)
            self.fd = None


@contextlib.contextmanager
def held(target: str | Path):
    """``target``'s lock held while a command reads a file, changes it and writes it back (review import's decisions
    file): two imports at once each read the file before the other wrote it, and the one writing last put back
    the file without the other's decisions, both saying they were added. The second is E707 now."""
    lock = _Lock(Path(target))
    try:
        lock.acquire()
    except OSError as exc:
        raise CondenseError("E402", what="The file", path=display_path(target), detail=exc.strerror or str(exc),
                            fix="Check that you may write in its folder; then run again.") from exc
    try:
        yield
    finally:
        lock.release()


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_BLOCK = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _raise_exit(signum, frame):
    """SIGTERM or SIGHUP inside an output folder's block: unwind it (its clean-up runs), exit status 128 + the
    signal's number; the command line says so in one line (:mod:`condense._entry`)."""
    from ._entry import Stopped

    raise Stopped(signum)


class OutputFolder:
    """Write a command's files into a temporary folder; move it into place only when all went well.

    >>> with OutputFolder("results", inputs=[transcripts]) as tmp:   # doctest: +SKIP
    ...     write_csv(df, tmp / "units.csv")

    The target is checked (:func:`refuse_output_folder`) before anything is written and again just before
    the move. A ``manifest.json`` listing every file is left in the folder (completed, or written when
    the command wrote none), so the next run may replace it. An exception, Ctrl-C, SIGTERM or SIGHUP
    inside the block removes the temporary folder and leaves the target as it was.
    """

    def __init__(self, target: str | Path, *, inputs: Iterable[str | Path] = (), kind: str = "run"):
        self.kind = kind  # the command that writes it: a folder is replaced only by the same command
        self.given = Path(target)
        self.inputs = [p for p in inputs if p is not None]
        self.target = _resolve(target)
        self.tmp: Path | None = None
        self._lock: _Lock | None = None
        self._handlers: dict = {}

    def __enter__(self) -> Path:
        self.target = refuse_output_folder(self.given, self.inputs, self.kind)
        parent = self.target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CondenseError("E402", path=display_path(self.target), detail=exc.strerror or str(exc)) from exc
        self._lock = _Lock(self.target)
        try:
            self._lock.acquire()
        except OSError as exc:
            raise CondenseError("E402", path=display_path(self.target), detail=exc.strerror or str(exc)) from exc
        try:
            refuse_output_folder(self.target, self.inputs, self.kind)  # another process may have written it meanwhile
            _remove_stale_twins(self.target)
            self._catch_signals()
            self.tmp = parent / f"{twin_stem(self.target.name, parent)}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
            os.mkdir(self.tmp, 0o777)  # the umask decides, as for any other program
            _LANDING[self.tmp] = self.target
        except OSError as exc:
            self._cleanup()
            raise CondenseError("E402", path=display_path(self.target), detail=exc.strerror or str(exc)) from exc
        except BaseException:
            self._cleanup()
            raise
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> bool:
        try:
            if exc_type is None:
                self._finish()
        finally:
            self._cleanup()
        return False

    def _finish(self) -> None:
        assert self.tmp is not None
        complete_manifest(self.tmp, self.kind)
        refuse_output_folder(self.target, self.inputs, self.kind)
        old = None
        blocked = _block_signals()  # a signal between the two renames would leave no target at all
        try:
            try:
                if self.target.exists():
                    stem = twin_stem(self.target.name, self.target.parent)
                    old = self.target.with_name(f"{stem}.old-{os.getpid()}-{secrets.token_hex(4)}")
                    os.replace(self.target, old)
                os.replace(self.tmp, self.target)
                _LANDING.pop(self.tmp, None)
                self.tmp = None
            except OSError as exc:
                if old is not None and not self.target.exists():
                    os.replace(old, self.target)
                    old = None
                raise CondenseError("E402", path=display_path(self.target), detail=exc.strerror or str(exc)) from exc
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        finally:
            _unblock_signals(blocked)

    def _catch_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for sig in _SIGNALS:  # only where nothing answers yet: `nohup` ignores SIGHUP, and the run went on stopping
            try:
                if signal.getsignal(sig) == signal.SIG_DFL:
                    self._handlers[sig] = signal.signal(sig, _raise_exit)
            except (ValueError, OSError):
                pass

    def _cleanup(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            _LANDING.pop(self.tmp, None)
            self.tmp = None
        for sig, handler in self._handlers.items():
            try:
                signal.signal(sig, handler)
            except (ValueError, OSError, TypeError):
                pass
        self._handlers = {}
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _remove_stale_twins(target: Path) -> None:
    """Remove the temporary and moved-aside folders (``.results.tmp-PID-HEX``, ``.results.old-PID-HEX``) that a
    writer of ``target`` killed outright (``kill -9``, a power cut) left beside it. Called with the target's lock
    held, so no living writer owns one: every writer takes the lock before it makes its folder and keeps it
    until the folder is moved or removed. Left alone, each stayed for good, a hidden copy of the results.

    A writer killed between its two renames left no target, its earlier results moved aside (``.old``): they are
    put back in place first, so that the researcher's last results are where they were should this run fail."""
    pattern = _twin_pattern(target.name, target.parent, "tmp|old")  # this version's twins and earlier ones
    try:
        stale = [(e.name, pattern.fullmatch(e.name)) for e in os.scandir(target.parent) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    stale = [(name, m.group(1)) for name, m in stale if m]
    moved_aside = sorted((name for name, kind in stale if kind == "old"), key=lambda name: _mtime(target.parent / name))
    if moved_aside and not os.path.lexists(target):
        try:
            os.replace(target.parent / moved_aside[-1], target)
        except OSError:
            pass
    for name, _ in stale:
        if os.path.lexists(target.parent / name):
            shutil.rmtree(target.parent / name, ignore_errors=True)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _block_signals():
    if hasattr(signal, "pthread_sigmask"):
        return signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCK)
    return None


def _unblock_signals(previous) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def complete_manifest(folder: Path, kind: str = "run") -> None:
    """Make ``folder/manifest.json`` list every file in the folder and the command that wrote it (it marks
    the folder as condense's)."""
    from . import __version__

    path = folder / MANIFEST
    files = sorted(set(listing(folder)) | {MANIFEST})
    data = None
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            data = None
    if not isinstance(data, dict):
        data = {"condense": __version__}
    data.setdefault("condense", __version__)
    checksums = {f: _checksum(folder / f) for f in files if f != MANIFEST}
    if data.get("files") == files and data.get("kind") == kind and data.get("checksums") == checksums and path.exists():
        return
    data["files"] = files
    data["kind"] = kind
    data["checksums"] = checksums
    write_bytes(path, (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def output_folder(target: str | Path, *, inputs: Iterable[str | Path] = (), kind: str = "run") -> OutputFolder:
    return OutputFolder(target, inputs=inputs, kind=kind)
