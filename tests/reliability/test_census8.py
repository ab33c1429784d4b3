"""Round eight of careless hands (h20a): what a spreadsheet does to ids, dates and fingerprints in a review sheet,
and the last tracebacks (a loop of links given to the library, errors of the file system outside condense's own
writer). The tests marked "failed before" failed before their fix."""
from __future__ import annotations

import csv
import errno
import os
import datetime
from pathlib import Path

import openpyxl
import pytest

from condense.codebook import load_codebook
from condense.errors import CondenseError, CondenseErrors
from condense.review import import_review_sheet

from .helpers import CODEBOOK_DA, in_tmp, invoke, leftovers, make_study, refused  # noqa: F401

HEADER = ["enhed (id)", "fingeraftryk", "transskription", "tema_forslag", "tema_beslutning", "tema_tilføj", "koder",
          "note"]
UNIT = "01_solsikkeparken:0005:1"


@pytest.fixture(scope="module")
def cb():
    return load_codebook(CODEBOOK_DA)


def row(unit=UNIT, fingerprint="", transcript="01_solsikkeparken", note=""):
    return [unit, fingerprint, transcript, "deltagerantal", "godkend", "", "", note]


def workbook(path: Path, *rows) -> Path:
    wb = openpyxl.Workbook()
    for values in [HEADER, *rows]:
        wb.active.append(values)
    wb.save(path)
    return path


def sheet(path: Path, *rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([HEADER, *rows])
    return path


def refused_sheet(sheet_path: Path, cb) -> list[CondenseError]:
    with pytest.raises((CondenseError, CondenseErrors)) as err:
        import_review_sheet(sheet_path, cb)
    return getattr(err.value, "errors", None) or [err.value]


# ---------------------------------------------------------------- ids, dates and fingerprints a spreadsheet changed
@pytest.mark.parametrize("cell, shown, kind", [
    (datetime.time(1, 3, 1), "01:03:01", "a time"),  # 01:0003:1 pasted into a cell of Excel's General format
    (datetime.datetime(1900, 1, 1, 1, 3, 1), "1900-01-01 01:03:01", "a date"),  # as LibreOffice keeps that time
    (10301, "10301", "a number"),
])
def test_an_id_a_spreadsheet_turned_into_a_time_date_or_number_says_so(tmp_path, cb, cell, shown, kind):
    """Failed before: E701 "'01:03:01' is not a unit id" with no word of why. Now it says a spreadsheet converted
    the cell and how to keep the column as text; the decision is attached to no unit (the id cannot be rebuilt
    for certain: a time has lost the turn's leading zeros, and a turn of 60 or more rolls over into the hour)."""
    for path in (workbook(tmp_path / "review.xlsx", row(cell, transcript="01")),
                 sheet(tmp_path / "review.csv", row(shown, transcript="01"))):
        (error,) = refused_sheet(path, cb)
        message = str(error)
        assert error.code == "E701" and f"'{shown}' is not a unit id" in message, message
        assert f"a spreadsheet program turned the id into {kind}" in message, message
        assert "formatted as Text" in message and "Text Import" in message


def test_an_id_that_is_only_mistyped_is_not_blamed_on_a_spreadsheet(tmp_path, cb):
    (error,) = refused_sheet(sheet(tmp_path / "review.csv", row("01_solsikkeparken:5")), cb)
    assert error.code == "E701" and "spreadsheet" not in str(error)


def test_a_date_typed_in_a_note_is_read_as_the_researcher_sees_it(tmp_path, cb):
    """Failed before: a date typed in a note of an .xlsx sheet was read as '2024-03-01 00:00:00'."""
    path = workbook(tmp_path / "review.xlsx", row(note=datetime.datetime(2024, 3, 1)),
                    row("01_solsikkeparken:0011:1", note=datetime.datetime(2024, 3, 1, 14, 30)),
                    row("01_solsikkeparken:0013:1", note=datetime.time(9, 15)))
    assert [d.note for d in import_review_sheet(path, cb)] == ["2024-03-01", "2024-03-01 14:30:00", "09:15:00"]


@pytest.mark.parametrize("fingerprint", [1230000000000000, 1.23e15])
def test_a_fingerprint_excel_made_a_number_of_is_reported_not_stored(tmp_path, cb, fingerprint):
    """Failed before: a fingerprint of digits alone that Excel turned into a number (its last digits lost) was
    stored in decisions.csv as 1230000000000000, silently; now E516 as for decisions.csv. The same digits kept as
    text are a fingerprint like any other."""
    (error,) = refused_sheet(workbook(tmp_path / "review.xlsx", row(fingerprint=fingerprint)), cb)
    assert error.code == "E516" and UNIT in str(error), str(error)
    (decision,) = import_review_sheet(workbook(tmp_path / "text.xlsx", row(fingerprint="1230000000000000")), cb)
    assert decision.fingerprint == "1230000000000000"


def test_a_fingerprint_in_a_csv_sheet_that_is_no_longer_16_hex_digits_is_reported(tmp_path, cb):
    """Failed before: '1.23E+15' (Excel's CSV of that number) was stored as the unit's fingerprint."""
    (error,) = refused_sheet(sheet(tmp_path / "review.csv", row(fingerprint="1.23E+15")), cb)
    assert error.code == "E516" and "'1.23E+15'" in str(error)


def test_excels_text_mark_typed_before_an_id_in_a_csv_is_not_part_of_the_id(tmp_path, cb):
    """Failed before: "'01_solsikkeparken:0005:1" (the apostrophe Excel shows for "keep as text", typed into a CSV)
    was E701, "does not belong to transcript '01_solsikkeparken'". One leading apostrophe is taken off."""
    (decision,) = import_review_sheet(sheet(tmp_path / "review.csv", row("'" + UNIT)), cb)
    assert decision.unit_id == UNIT


# ---------------------------------------------------------------- the last tracebacks
@pytest.mark.parametrize("resolve", ["this_python", "as_313"])
@pytest.mark.parametrize("call", ["load_project", "ingest", "run_out", "segment"])
def test_a_loop_of_links_given_to_the_library_is_a_coded_error(tmp_path, monkeypatch, call, resolve):
    """Failed before: the library raised RuntimeError "Symlink loop from …" (the command line alone said E726).
    ``as_313``: Python 3.13's ``Path.resolve`` returns a loop of links unresolved where 3.11 raised RuntimeError;
    there the loop was E101 (not found), E708 (a file, not a folder) or E716. Emulated here on any Python."""
    import pathlib

    import condense

    if resolve == "as_313":
        resolve_here = pathlib.Path.resolve

        def as_313(self, strict=False):
            try:
                return resolve_here(self, strict)
            except RuntimeError:
                return pathlib.Path(os.path.abspath(self))

        monkeypatch.setattr(pathlib.Path, "resolve", as_313)
    (tmp_path / "l1").symlink_to(tmp_path / "l2")
    (tmp_path / "l2").symlink_to(tmp_path / "l1")
    loop = tmp_path / "l1"
    calls = {"load_project": lambda: condense.load_project(loop), "ingest": lambda: condense.ingest([loop]),
             "run_out": lambda: condense.run(out=loop), "segment": lambda: condense.segment(loop)}
    with pytest.raises(CondenseError) as err:
        calls[call]()
    assert err.value.code == "E726" and "l1 is a link that leads back to itself" in str(err.value)


def _refusing(monkeypatch, name: str, error: int) -> None:
    """Reading a file called ``name`` fails with ``error`` (as root, chmod denies nothing)."""
    import errno as _errno  # noqa: F401

    real = Path.read_bytes

    def read_bytes(self):
        if self.name == name:
            raise OSError(error, os.strerror(error), str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


@pytest.mark.parametrize("error, fix", [(errno.EACCES, "Check that you may read"), (errno.EPERM, "Check that you may read"),
                                        (errno.EIO, "the disk or share it is on")])
def test_a_transcript_the_system_will_not_give_is_a_coded_error_naming_it(in_tmp, monkeypatch, error, fix):
    """Failed before: a transcript that could not be read (permission denied, a failing disk) ended `condense run`
    in a PermissionError or OSError traceback."""
    make_study(in_tmp)
    _refusing(monkeypatch, "int1.txt", error)
    output = refused(invoke(["run", "condense.yaml", "--out", "out"]), "E727")
    assert "int1.txt" in output and os.strerror(error) in output and fix in output, output
    assert not (in_tmp / "out").exists() and leftovers(in_tmp) == []


def test_a_transcript_the_system_will_not_give_is_a_coded_error_in_the_library_too(tmp_path, monkeypatch):
    import condense

    make_study(tmp_path)
    _refusing(monkeypatch, "int2.txt", errno.EACCES)
    with pytest.raises(CondenseError) as err:
        condense.ingest([tmp_path / "transcripts"])
    assert err.value.code == "E727" and "int2.txt" in str(err.value)


def test_a_name_too_long_for_the_file_system_is_a_coded_error(in_tmp):
    """Failed before: a --codebook or project path whose name passes 255 bytes (a name pasted twice) ended in
    OSError 'File name too long'."""
    make_study(in_tmp)
    long = "kodebog" * 40 + ".yaml"
    for args in (["run", "condense.yaml", "--codebook", long, "--out", "out"], ["run", long, "--out", "out"]):
        output = refused(invoke(args), "E727")
        assert "File name too long" in output and "shorter name" in output, output


def test_a_closed_pipe_is_not_taken_for_a_file_error():
    from condense.errors import file_error

    assert file_error(BrokenPipeError(errno.EPIPE, "Broken pipe")) is None
    assert file_error(RuntimeError("something else")) is None
    gone = file_error(FileNotFoundError(errno.ENOENT, "No such file or directory", "cases.csv"))
    assert gone.code == "E727" and "moved or deleted while condense was using it" in str(gone)
    folder = file_error(IsADirectoryError(errno.EISDIR, "Is a directory", "cases.csv"))
    assert folder.code == "E727" and "cases.csv: Is a directory" in str(folder) and "It is a folder" in str(folder)


@pytest.mark.parametrize("name", ["cases.csv", "condense.yaml", "codebook.yaml", "decisions.csv"])
def test_a_project_file_the_system_will_not_give_says_to_check_its_permissions(in_tmp, monkeypatch, name):
    """A cases.csv the system would not give (permission denied) was E503 "cannot read the file", whose fix said to
    give "a .csv or .xlsx file written by condense or in its format", which it was. Every file of the study is E727
    then, with the fix for a permission: the same answer as for a transcript."""
    make_study(in_tmp)
    if name == "decisions.csv":
        (in_tmp / name).write_text("unit_id,dimension,theme,action\n", encoding="utf-8")
    _refusing(monkeypatch, name, errno.EACCES)
    output = refused(invoke(["run", "condense.yaml", "--out", "out"]), "E727")
    assert name in output and "Check that you may read" in output and "written by condense" not in output, output
    assert not (in_tmp / "out").exists()


def test_a_decisions_workbook_whose_fingerprint_excel_made_a_number_is_reported_as_a_review_sheet_is(tmp_path, cb):
    """read_decisions and the review sheet's import check a fingerprint alike (one check): a number cell in an
    .xlsx decisions file is E516, though its digits are 16 hex digits."""
    from condense.review import read_decisions

    wb = openpyxl.Workbook()
    for values in (["unit_id", "fingerprint", "dimension", "theme", "action"],
                   [UNIT, 1230000000000000, "tema", "deltagerantal", "accept"]):
        wb.active.append(values)
    wb.save(tmp_path / "decisions.xlsx")
    with pytest.raises((CondenseError, CondenseErrors)) as err:
        read_decisions(tmp_path / "decisions.xlsx", cb)
    (error,) = getattr(err.value, "errors", None) or [err.value]
    assert error.code == "E516" and "1230000000000000" in str(error)
