"""The hidden twins every write makes beside its target (a temporary file or folder, a folder moved aside, a
lock): short enough for any name the file system allows, and, when a writer was killed outright (`kill -9`, a
power cut), removed by the next writer of the same target only when they are surely ours and stale."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from condense.safety import write_bytes

from .helpers import ROOT, leftovers, make_study
from .test_writing import SCRIPT, write_run

LONG_NAMES = {
    "255 bytes": "r" * 255,
    "254 bytes, Danish": "Resultater_x" + "æøå" * 40 + "ø",  # 12 + 240 + 2 bytes: two bytes a letter
    "231 bytes": "r" * 231,  # the first length given a shortened twin (a process id may have up to 10 digits)
}


def test_the_long_names_are_as_long_as_they_say():
    assert [len(os.fsencode(n)) for n in LONG_NAMES.values()] == [255, 254, 231]


@pytest.mark.parametrize("name", LONG_NAMES.values(), ids=LONG_NAMES.keys())
def test_a_folder_or_file_named_as_long_as_the_file_system_allows_is_written_and_replaced(tmp_path, name):
    """An --out named with 231-255 bytes was refused (E402 "File name too long"): the name was allowed, but its
    temporary twin `.NAME.tmp-PID-HEX` was 24 bytes longer than it, and the lock `.NAME.lock` 6."""
    target = tmp_path / name
    write_run(target, "one")
    write_run(target, "two")  # replaced: the earlier folder is moved aside (.old) first
    assert (target / "units.csv").read_text(encoding="utf-8") == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    single = tmp_path / "files" / name
    single.parent.mkdir()
    write_bytes(single, b"one")
    write_bytes(single, b"two")
    assert single.read_bytes() == b"two" and [p.name for p in single.parent.iterdir()] == [name]


def test_condense_run_into_an_out_folder_of_255_bytes(tmp_path):
    """The command itself, as the researcher types it."""
    project = make_study(tmp_path)
    out = tmp_path / ("ø" * 127)  # 254 bytes
    code = ("import sys; sys.path.insert(0, %r); from condense.cli import main; "
            "sys.argv = ['condense', 'run', %r, '--out', %r]; main()" % (str(ROOT), str(project), str(out)))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "themes.csv").is_file() and (out / "manifest.json").is_file() and leftovers(tmp_path) == []


def test_what_a_writer_of_a_long_named_folder_killed_outright_left_is_removed_by_the_next(tmp_path):
    """The shortened twins are found again (the same name always gets the same twin name), and so are the twins
    an earlier version gave a name of 231-240 bytes, which fitted with a short process id."""
    target = tmp_path / LONG_NAMES["255 bytes"]
    write_run(target, "good")
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "inside"
    proc.kill()
    proc.wait(timeout=60)
    assert [p for p in leftovers(tmp_path) if ".tmp-" in p]
    write_run(target, "new")
    assert leftovers(tmp_path) == [] and (target / "units.csv").read_text(encoding="utf-8") == "new"

    earlier = tmp_path / LONG_NAMES["231 bytes"]
    write_run(earlier, "good")
    (tmp_path / f".{earlier.name}.tmp-4242-0123abcd").mkdir()  # as an earlier version named them
    earlier.rename(tmp_path / f".{earlier.name}.old-4242-0123abcd")  # killed between its two renames
    write_run(earlier, "new")
    assert leftovers(tmp_path) == [] and (earlier / "units.csv").read_text(encoding="utf-8") == "new"


# writes decisions.csv through the file layer, and waits (until killed) just before renaming it into place
WRITING = """\
import os, sys, time
from condense.safety import write_bytes
def waiting(src, dst):
    print("writing", flush=True)
    time.sleep(600)
os.replace = waiting
write_bytes(sys.argv[1], b"half")
"""


def _killed_writer(target: Path) -> str:
    """Start a writer of ``target``, kill it outright while its temporary file exists; the file's name."""
    before = set(os.listdir(target.parent))
    proc = subprocess.Popen([sys.executable, "-c", WRITING, str(target)], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    (left,) = set(os.listdir(target.parent)) - before
    return left


def test_a_single_file_writer_killed_outright_leaves_nothing_the_next_writer_keeps(tmp_path):
    """`kill -9` while decisions.csv (or condense.yaml, a review sheet) was written left `.decisions.csv.tmp-…`
    beside it for good, a hidden half-written copy; each such kill added one."""
    target = tmp_path / "decisions.csv"
    target.write_bytes(b"earlier")
    left = _killed_writer(target)
    assert left.startswith(".decisions.csv.tmp-") and target.read_bytes() == b"earlier"
    write_bytes(target, b"new")
    assert sorted(os.listdir(tmp_path)) == ["decisions.csv"] and target.read_bytes() == b"new"


def test_only_twins_surely_ours_and_stale_are_removed(tmp_path):
    """Never anything that is not ours: another file's twin, a name that only looks like one, a link or a
    folder by that name, a twin whose process runs, or one a writer on another computer holds locked."""
    target = tmp_path / "decisions.csv"
    target.write_bytes(b"earlier")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    dead = int(gone.stdout)  # a process that has ended
    kept = {
        f".decisions2.csv.tmp-{dead}-0123abcd": "file",  # another file's
        f"decisions.csv.tmp-{dead}-0123abcd": "file",  # not hidden: not a name condense gives
        f".decisions.csv.tmp-{dead}-0123abcdX": "file",
        f".decisions.csv.tmp-{dead}-0123abce": "link",
        f".decisions.csv.tmp-{dead}-0123abcf": "folder",
        f".decisions.csv.tmp-{os.getppid()}-0123abcd": "file",  # its process is running
        f".decisions.csv.tmp-{dead}-01234567": "locked",  # held by a writer elsewhere
    }
    for name, kind in kept.items():
        if kind == "link":
            (tmp_path / name).symlink_to(target)
        elif kind == "folder":
            (tmp_path / name).mkdir()
        else:
            (tmp_path / name).write_bytes(b"theirs")
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys; f = open(sys.argv[1], 'rb+'); "
                               "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()",
                               str(tmp_path / f".decisions.csv.tmp-{dead}-01234567")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        stale = tmp_path / f".decisions.csv.tmp-{dead}-89abcdef"
        stale.write_bytes(b"half")
        write_bytes(target, b"new")
        assert sorted(os.listdir(tmp_path)) == sorted([*kept, "decisions.csv"])
        assert target.read_bytes() == b"new" and target.resolve() == target
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    write_bytes(target, b"again")  # the lock released: that one is stale now
    assert f".decisions.csv.tmp-{dead}-01234567" not in os.listdir(tmp_path)


def test_the_file_being_written_is_locked_until_it_is_in_place(tmp_path):
    """How a later writer tells a living writer's temporary file from a dead one's, on another computer too."""
    target = tmp_path / "decisions.csv"
    seen = []
    real = os.replace

    def replace(src, dst):
        fd = os.open(src, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen.append("unlocked")
        except OSError:
            seen.append("locked")
        finally:
            os.close(fd)
        real(src, dst)

    os.replace = replace
    try:
        write_bytes(target, b"new")
    finally:
        os.replace = real
    assert seen == ["locked"] and target.read_bytes() == b"new"


# writes a cache file as condense does (condense.tokenizer or condense.lexicon), waiting just before the rename
CACHING = """\
import os, sys, time
from pathlib import Path
from condense import lexicon, tokenizer
def waiting(src, dst):
    print("writing", flush=True)
    time.sleep(600)
os.replace = waiting
write = tokenizer._write_atomically if sys.argv[2] == "tokenizer" else lexicon._write_cache
write(Path(sys.argv[1]), b"half")
"""


@pytest.mark.parametrize("writer", ["tokenizer", "lexicon"])
def test_a_cache_writer_killed_outright_leaves_nothing_the_next_writer_keeps(tmp_path, writer):
    """The tokenizer's and the word list's cache files had temporary files of their own naming
    (`NAME.PID.tmp`, `.NAME.RANDOM`): `kill -9` while one was written left it in the cache folder for good."""
    from condense import lexicon, tokenizer

    target = tmp_path / "cache" / "rules.bin"
    target.parent.mkdir()
    target.write_bytes(b"earlier")
    proc = subprocess.Popen([sys.executable, "-c", CACHING, str(target), writer], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert len(os.listdir(target.parent)) == 2  # the cache file and what the killed writer left
    write = tokenizer._write_atomically if writer == "tokenizer" else lexicon._write_cache
    write(target, b"new")
    assert os.listdir(target.parent) == ["rules.bin"] and target.read_bytes() == b"new"
