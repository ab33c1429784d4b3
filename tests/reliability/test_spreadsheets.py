"""Spreadsheet-safe output (OWASP CSV injection): no live formula in any xlsx condense writes, formula-like
CSV cells prefixed with ' and read back without it; characters XML forbids replaced with W701."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from .helpers import in_tmp, invoke, make_study  # noqa: F401 (in_tmp is a fixture)

HOSTILE = """\
---
id: "=HYPERLINK(\\"http://x\\",\\"id\\")"
cases: ["@SUM(1+1)"]
interviewer_labels: [I]
---
I: Hvordan planlagde I aktiviteterne?

R: =cmd|' /C calc'!A0 vi planlagde det hele i en arbejdsgruppe med beboerne hver uge.

I: Og evalueringen?

R: +1+2 vi talte deltagerne til evalueringen og skrev det ned i en bog på kontoret.

I: Hvad med gåklubben?

R: -2+3 gåklubben gik tur hver torsdag\x0bog sluttede med kaffe i beboerhuset bagefter.
"""
FORMULA = re.compile(r"^[=+\-@\t\r]")


def formula_cells(path: Path) -> list[str]:
    """Cells a spreadsheet program would evaluate: <f> elements, or cells typed as formulas."""
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                found += [f"{name}: {m}" for m in re.findall(r"<f>[^<]*</f>|<c [^>]*t=\"f\"", xml)]
    return found


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    make_study(root, n=2)
    text = HOSTILE + "\n" + "R: Og så lidt mere tekst om planlægningen. " * 300 + "\x00 efter 8 KiB.\n"
    (root / "transcripts" / "int1.txt").write_text(text, encoding="utf-8")
    (root / "transcripts" / "cases.csv").write_text("case,region\n@SUM(1+1),=1+1\nPlan2,Nord\n", encoding="utf-8")
    import os

    cwd = os.getcwd()
    os.chdir(root)
    try:
        run = invoke(["run", "condense.yaml"])
        sheet = invoke(["review", "export", "condense.yaml", "--out", "review.xlsx"])
        sheet_csv = invoke(["review", "export", "condense.yaml", "--out", "review.csv"])
    finally:
        os.chdir(cwd)
    return root, run, sheet, sheet_csv


def test_the_run_and_the_review_sheets_succeed_with_a_warning_naming_transcript_and_line(hostile_run):
    root, run, sheet, sheet_csv = hostile_run
    for result in (run, sheet, sheet_csv):
        assert result.exit_code == 0, result.output
    assert "W701" in run.output and "int1.txt, line 16" in run.output  # the vertical tab's line


def test_no_xlsx_holds_a_formula(hostile_run):
    root = hostile_run[0]
    import openpyxl

    books = [root / "results" / "results.xlsx", root / "review.xlsx"]
    hostile_cells = 0
    for book in books:
        assert formula_cells(book) == [], book
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (book.name, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and FORMULA.match(cell.value):
                        hostile_cells += 1
    assert hostile_cells >= 10  # the hostile text is there, as text


def test_csv_cells_that_look_like_formulas_are_prefixed(hostile_run):
    root = hostile_run[0]
    import csv

    checked = 0
    for path in sorted((root / "results").glob("*.csv")) + [root / "review.csv"]:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    if cell and FORMULA.match(cell) and not re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", cell) and len(cell) > 1:
                        pytest.fail(f"{path.name}: live formula cell {cell!r}")
                    checked += cell.startswith("'=") or cell.startswith("'+") or cell.startswith("'-")
    assert checked >= 5


def test_condense_reads_its_own_prefixed_cells_back_exactly(hostile_run):
    from condense.io import read_table

    root = hostile_run[0]
    header, rows = read_table(root / "results" / "units.csv")
    texts = [r["text"] for _, r in rows]
    assert any(t.startswith("=cmd|") for t in texts) and any(t.startswith("+1+2") for t in texts)
    assert all("\x0b" not in t and "\x00" not in t for t in texts)
    ids = {r["transcript"] for _, r in rows}
    assert '=HYPERLINK("http://x","id")' in ids


def test_a_review_sheet_with_formula_like_ids_round_trips(hostile_run, tmp_path):
    """The review CSV is read back into decisions with the ids condense wrote, not the escaped ones."""
    from condense.codebook import load_codebook
    from condense.io import read_table
    from condense.review import import_review_sheet

    root = hostile_run[0]
    header, rows = read_table(root / "review.csv")
    hostile = [r for _, r in rows if r["transskription"].startswith("=HYPERLINK")]  # a Danish sheet
    assert hostile
    lines = (root / "review.csv").read_text(encoding="utf-8-sig").splitlines()
    # fill one decision on the first hostile row, keeping the file as condense wrote it
    import csv
    import io

    table = list(csv.reader(io.StringIO("\n".join(lines))))
    col = table[0].index("tema_tilføj")
    target = next(i for i, r in enumerate(table) if r[table[0].index("enhed (id)")] == "'" + hostile[0]["enhed (id)"])
    table[target][col] = "maalgrupper"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    filled = tmp_path / "filled.csv"
    filled.write_text(out.getvalue(), encoding="utf-8")
    decisions = import_review_sheet(filled, load_codebook(root / "codebook.yaml"))
    assert [(x.unit_id, x.theme) for x in decisions] == [(hostile[0]["enhed (id)"], "maalgrupper")]
