"""Writing that cannot destroy: replacement only of condense's own folders, umask permissions, no temporary
folder left by a signal, one winner and a coded error for the loser when two writers meet."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from condense.errors import CondenseError
from condense.safety import OutputFolder, refuse_output_file, write_bytes

from .helpers import ROOT, leftovers


def write_run(target: Path, marker: str) -> None:
    with OutputFolder(target) as tmp:
        (tmp / "units.csv").write_text(marker, encoding="utf-8")
        (tmp / "sub").mkdir()
        (tmp / "sub" / "figure.txt").write_text(marker, encoding="utf-8")


def test_a_folder_condense_wrote_is_replaced_and_its_manifest_lists_every_file(tmp_path):
    target = tmp_path / "results"
    write_run(target, "first")
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == ["manifest.json", "sub/figure.txt", "units.csv"] and manifest["kind"] == "run"
    with pytest.raises(CondenseError) as err:  # another command's folder: `code --out` onto a run's results
        with OutputFolder(target, kind="code") as tmp:
            (tmp / "codings.csv").write_text("x", encoding="utf-8")
    assert err.value.code == "E703" and "condense run" in str(err.value)
    write_run(target, "second")
    assert (target / "units.csv").read_text(encoding="utf-8") == "second"
    (target / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        write_run(target, "third")
    assert err.value.code == "E703" and "notes.md" in str(err.value)
    assert (target / "units.csv").read_text(encoding="utf-8") == "second"
    assert leftovers(tmp_path) == []


def test_a_file_the_researcher_edited_in_the_results_is_not_replaced(tmp_path):
    """A researcher who wrote their condensate into results/themes.csv (or saved results.xlsx from Excel) lost it
    on the next run without a word: the folder was condense's, so it was replaced. The manifest now records each
    file's checksum, and a changed file stops the replacement (E703, the file named); unchanged, a re-run
    replaces the folder as ever, and a manifest without checksums (an older run's) is replaced too."""
    target = tmp_path / "results"
    write_run(target, "first")
    write_run(target, "second")  # unchanged since written: replaced
    (target / "units.csv").write_text("second, and my own note", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        write_run(target, "third")
    assert err.value.code == "E703" and "changed since condense wrote them (units.csv)" in str(err.value)
    assert (target / "units.csv").read_text(encoding="utf-8") == "second, and my own note"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    del manifest["checksums"]
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    write_run(target, "fourth")
    assert (target / "units.csv").read_text(encoding="utf-8") == "fourth"
    assert leftovers(tmp_path) == []


def test_a_file_saved_after_an_older_runs_manifest_is_not_replaced(tmp_path):
    """A results folder from before condense recorded checksums: a file saved after its manifest.json (the
    researcher's edit of themes.csv, or a thesis.docx a hand-edited manifest lists) stops the replacement
    (E703, the file named) instead of being deleted; files as old as the manifest are replaced as before."""
    target = tmp_path / "results"
    write_run(target, "first")
    manifest_path = target / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["checksums"]
    manifest["files"].append("thesis.docx")
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    written = manifest_path.stat().st_mtime
    (target / "thesis.docx").write_bytes(b"four years of work")
    os.utime(target / "thesis.docx", (written + 60, written + 60))
    with pytest.raises(CondenseError) as err:
        write_run(target, "second")
    assert err.value.code == "E703" and "thesis.docx" in str(err.value)
    assert (target / "thesis.docx").read_bytes() == b"four years of work"
    assert (target / "units.csv").read_text(encoding="utf-8") == "first"
    os.utime(target / "thesis.docx", (written, written))  # as old as the manifest: condense's, replaced
    write_run(target, "third")
    assert (target / "units.csv").read_text(encoding="utf-8") == "third"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("umask, mode", [(0o022, 0o755), (0o002, 0o775)])
def test_permissions_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_run(tmp_path / "results", "x")
        write_bytes(tmp_path / "review.csv", b"a\n")
    finally:
        os.umask(old)
    assert (tmp_path / "results").stat().st_mode & 0o777 == mode
    assert (tmp_path / "results" / "sub").stat().st_mode & 0o777 == mode
    assert (tmp_path / "review.csv").stat().st_mode & 0o777 == mode & 0o666


def test_single_files_need_force_and_never_overwrite_an_input(tmp_path):
    sheet = tmp_path / "review.xlsx"
    sheet.write_bytes(b"filled")
    with pytest.raises(CondenseError) as err:
        refuse_output_file(sheet)
    assert err.value.code == "E704"
    assert refuse_output_file(sheet, force=True) == sheet
    with pytest.raises(CondenseError) as err:
        refuse_output_file(sheet, force=True, inputs=[tmp_path / "." / "review.xlsx"])
    assert err.value.code == "E705"
    link = tmp_path / "link.xlsx"
    link.symlink_to(sheet)
    with pytest.raises(CondenseError) as err:
        refuse_output_file(link, force=True, inputs=[sheet])
    assert err.value.code == "E705"


SCRIPT = """
import sys, time
from pathlib import Path
from condense.safety import OutputFolder
with OutputFolder(Path(sys.argv[1])) as tmp:
    (tmp / "units.csv").write_text("partial", encoding="utf-8")
    print("inside", flush=True)
    for _ in range(600):  # working, as a run does: a signal is acted on between two steps
        time.sleep(0.1)
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_leaves_no_temporary_folder_and_the_old_results(tmp_path, sig):
    target = tmp_path / "results"
    write_run(target, "good")
    # started as from a terminal: a shell starts a background job (`make test &`) with SIGINT ignored, and
    # Python, like every program, then leaves Ctrl-C ignored, so the signal would never reach the run
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(target)], stdout=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stdout.readline().strip() == "inside"
    assert any(".tmp-" in p.name for p in tmp_path.iterdir())
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert leftovers(tmp_path) == []
    assert (target / "units.csv").read_text(encoding="utf-8") == "good"


def test_a_writer_killed_outright_leaves_nothing_the_next_run_keeps(tmp_path):
    """`kill -9` (or a power cut) gives a run no chance to remove its temporary folder: it stayed beside the
    results for good, a hidden copy of them, and each such run added one. The next writer of the folder removes
    it (it holds the folder's lock, so no living writer owns one); another folder's twins are left alone."""
    target = tmp_path / "results"
    write_run(target, "good")
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "inside"
    proc.kill()
    proc.wait(timeout=60)
    assert [p for p in leftovers(tmp_path) if ".tmp-" in p]  # what the killed writer left
    moved_aside = tmp_path / ".results.old-4242-0123abcd"  # killed between its two renames
    (moved_aside / "sub").mkdir(parents=True)
    other = tmp_path / ".results2.tmp-4242-0123abcd"  # another folder's writer's: not this folder's to remove
    other.mkdir()
    write_run(target, "new")
    assert leftovers(tmp_path) == [other.name]
    assert (target / "units.csv").read_text(encoding="utf-8") == "new"


def test_results_moved_aside_by_a_writer_killed_between_its_renames_are_put_back_first(tmp_path):
    """Killed (`kill -9`, a power cut) after moving the earlier results aside and before moving its own into
    place, a writer left no results folder at all, only the hidden `.results.old-…`: the next writer puts them
    back before it starts, so that if it fails too the researcher still has their last results, and removes
    them only by replacing them with its own."""
    from condense.errors import CondenseError
    from condense.safety import OutputFolder

    target = tmp_path / "results"
    write_run(target, "good")
    moved_aside = tmp_path / ".results.old-4242-0123abcd"
    target.rename(moved_aside)  # where the killed writer left them
    with pytest.raises(CondenseError):
        with OutputFolder(target):
            raise CondenseError("E402", path="x", detail="this run fails too")
    assert (target / "units.csv").read_text(encoding="utf-8") == "good"
    assert leftovers(tmp_path) == []
    write_run(target, "new")
    assert (target / "units.csv").read_text(encoding="utf-8") == "new" and leftovers(tmp_path) == []


def test_two_writers_into_one_folder_one_wins_the_other_gets_a_coded_error(tmp_path):
    target = tmp_path / "results"
    write_run(target, "old")
    barrier = threading.Barrier(2)
    outcomes: list = []

    def writer(marker: str) -> None:
        barrier.wait()
        try:
            with OutputFolder(target) as tmp:
                (tmp / "units.csv").write_text(marker, encoding="utf-8")
                time.sleep(0.3)
            outcomes.append(("ok", marker))
        except CondenseError as exc:
            outcomes.append((exc.code, marker))

    rounds = 20
    for _ in range(rounds):
        outcomes.clear()
        threads = [threading.Thread(target=writer, args=(m,)) for m in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(code for code, _ in outcomes)
        assert codes in (["E707", "ok"], ["ok", "ok"]), outcomes  # "ok, ok" only when one finished first
        winner = [m for code, m in outcomes if code == "ok"][-1]
        assert (target / "units.csv").read_text(encoding="utf-8") == winner
        assert leftovers(tmp_path) == []
        assert sorted(p.name for p in target.iterdir()) == ["manifest.json", "units.csv"]


def _children(pid: int) -> set[int]:
    """The living descendants of ``pid`` (Linux /proc)."""
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                kids = Path(f"/proc/{parent}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for kid in map(int, kids):
                if kid not in found:
                    found.add(kid)
                    todo.append(kid)
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended; only its reaping is left


@pytest.mark.skipif(not Path("/proc/self/task").exists() or (os.cpu_count() or 1) < 2,
                    reason="Linux /proc and a second core (the figures' process is forked only then)")
@pytest.mark.cores
def test_a_run_stopped_by_sigterm_leaves_no_process_behind(tmp_path):
    """A run stopped with SIGTERM (`kill`, `timeout`, a job scheduler) left its prepared figures' process, and
    the heatmap drawer under it, running for ever: each held a copy of the pipe it waited on, so it never saw
    its parent go, and it kept the terminal's pipe open (`condense run | tee log` never ended). Every forked
    child now closes its copies of its parent's pipe ends and ends with it."""
    from .helpers import make_study

    project = make_study(tmp_path)
    code = ("import sys; sys.path.insert(0, %r); from condense.cli import main; "
            "sys.argv = ['condense', 'run', %r, '--out', %r]; main()" % (str(ROOT), str(project), str(tmp_path / "r")))
    run = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    kids: set[int] = set()
    deadline = time.monotonic() + 60
    while not kids and run.poll() is None and time.monotonic() < deadline:
        kids = _children(run.pid)
        time.sleep(0.02)
    if not kids:
        run.kill()
        run.wait()
        pytest.skip("the run forked no process to stop it beside")
    time.sleep(0.3)
    kids |= _children(run.pid)
    run.send_signal(signal.SIGTERM)
    run.wait(timeout=60)
    deadline = time.monotonic() + 30
    while {k for k in kids if _alive(k)} and time.monotonic() < deadline:
        time.sleep(0.1)
    left = {k for k in kids if _alive(k)}
    for k in left:
        os.kill(k, signal.SIGKILL)
    assert not left, f"{len(left)} process(es) of the stopped run still running"
    assert not leftovers(tmp_path)


def test_a_file_that_cannot_be_replaced_is_named_as_a_file_with_a_fix_that_fits(tmp_path, monkeypatch):
    """`review import` into a decisions.csv that is read-only or open in Excel (locked on Windows) said 'Output
    folder decisions.csv cannot be written … Choose another --out folder': it is a file, and that command has
    no --out for it."""
    target = tmp_path / "decisions.csv"
    target.write_text("unit_id\n", encoding="utf-8")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(CondenseError) as err:
        write_bytes(target, b"unit_id\nx\n")
    text = str(err.value)
    assert err.value.code == "E402" and "The file" in text and "decisions.csv" in text and "Permission denied" in text
    assert "folder" not in text.split("Fix:")[0] and "--out" not in text and "open" in text.split("Fix:")[1]
    assert target.read_text(encoding="utf-8") == "unit_id\n" and not leftovers(tmp_path)


def test_a_file_its_owner_made_read_only_is_left_as_it_is(tmp_path):
    """`review import` into a decisions.csv the researcher had made read-only (chmod 444, or Read-only in
    Explorer) replaced it and left it writable: the rename needs only the folder's permission (and root writes
    anyway). It is refused, named, with the fix; a writable file beside it is still replaced."""
    kept, open_ = tmp_path / "decisions.csv", tmp_path / "other.csv"
    for f in (kept, open_):
        f.write_text("unit_id\n", encoding="utf-8")
    kept.chmod(0o444)
    with pytest.raises(CondenseError) as err:
        write_bytes(kept, b"unit_id\nx\n")
    text = str(err.value)
    assert err.value.code == "E402" and "decisions.csv" in text and "read-only" in text, text
    assert kept.read_text(encoding="utf-8") == "unit_id\n" and kept.stat().st_mode & 0o777 == 0o444
    assert not leftovers(tmp_path)
    write_bytes(open_, b"unit_id\nx\n")
    assert open_.read_text(encoding="utf-8") == "unit_id\nx\n"


@pytest.mark.parametrize("limit", ["fsize", "enospc"])
def test_a_full_disk_or_a_file_size_limit_is_named_in_the_results_folder_with_its_own_fix(tmp_path, limit):
    """Census h11c: `condense run` under `ulimit -f` (or on a full disk) said 'The file
    .out.tmp-12820-cbf164bf/report.html cannot be written: File too large. Fix: Close it if a program (a
    spreadsheet) has it open': a temporary folder the user never sees, and a fix for another trouble. The file
    is named in the folder it was to land in, and the fix is to free space; the old results stay."""
    target = tmp_path / "out"
    write_run(target, "old")
    script = (
        "import errno, os, resource, signal, sys\n"
        "from pathlib import Path\n"
        "from condense.errors import CondenseError\n"
        "from condense.safety import OutputFolder, write_bytes\n"
        f"if {limit!r} == 'fsize':\n"
        "    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, resource.RLIM_INFINITY))\n"
        "else:\n"
        "    real = os.fdopen\n"
        "    class Full:\n"
        "        def __init__(self, f): self.f = f\n"
        "        def __enter__(self): return self\n"
        "        def __exit__(self, *a): self.f.close()\n"
        "        def write(self, data): raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "    os.fdopen = lambda fd, mode: Full(real(fd, mode))\n"
        "try:\n"
        "    with OutputFolder(Path(sys.argv[1])) as tmp:\n"
        "        write_bytes(tmp / 'report.html', b'x' * 5000)\n"
        "except CondenseError as exc:\n"
        "    print(exc)\n")
    res = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    text = res.stdout
    assert "E402" in text and f"{target.name}/report.html" in text and ".tmp-" not in text, text + res.stderr
    assert "disk is full" in text.split("Fix:")[1] and "spreadsheet" not in text, text
    assert (target / "units.csv").read_text(encoding="utf-8") == "old" and not leftovers(tmp_path)


def test_a_name_longer_than_the_file_system_allows_is_a_coded_error_naming_it(tmp_path):
    """A folder or file name of 260 bytes (130 letters ø) cannot exist: asking whether it does raised
    "File name too long" from pathlib, and the command ended in a traceback. (A name short enough to exist is
    written, however long: tests/reliability/test_twins.py.)"""
    from condense.safety import refuse_output_folder

    long = tmp_path / ("ø" * 130)
    with pytest.raises(CondenseError) as err:
        refuse_output_folder(long)
    assert err.value.code == "E402" and "name too long" in str(err.value) and "--out" in str(err.value)
    with pytest.raises(CondenseError) as err:
        refuse_output_file(long / "decisions.csv")
    assert err.value.code == "E402" and "name too long" in str(err.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.cores
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a second core (the figures' process is forked only then)")
def test_a_home_folder_that_cannot_be_written_leaves_no_temporary_folder(tmp_path):
    """No home folder to write in (HOME unset, read-only, or here a file): matplotlib keeps its settings and font
    list in a temporary folder it removes at exit, but it is imported in the forked figures' process, which
    ends without exit handlers: every run left a matplotlib-XXXXXXXX in the temporary folder for good."""
    from .helpers import make_study

    project = make_study(tmp_path)
    home, temporary = tmp_path / "home", tmp_path / "tmp"
    home.write_text("a file, not a folder", encoding="utf-8")
    temporary.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "MPLCONFIGDIR")}
    env.update(HOME=str(home), TMPDIR=str(temporary), CONDENSE_CACHE_DIR="")
    code = ("import sys; sys.path.insert(0, %r); from condense.cli import main; "
            "sys.argv = ['condense', 'run', %r, '--out', %r]; main()" % (str(ROOT), str(project), str(tmp_path / "r")))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r" / "figures").is_dir()
    assert sorted(p.name for p in temporary.iterdir()) == []
