"""The consent audit's one-pass scan: the same findings as a segment-by-segment check, PNG figures checked
through their SVG twin."""
from __future__ import annotations

import pytest


def _fingerprints(allowed_texts, withdrawn_text="", terms=None):
    from condense.audit import Fingerprints
    from condense.audit_scan import ShingleIndex
    from condense.ingest.withdrawn import Withdrawn

    w = Withdrawn()
    if withdrawn_text:
        w.add_fingerprints(withdrawn_text, "da")
    return Fingerprints(words=set(w.words), shingles=set(w.shingles), terms=dict(terms or {}),
                        allowed=ShingleIndex(allowed_texts))


WITHDRAWN = "min svoger Bjarnesen solgte huset i byen sidste vinter"
ALLOWED = "Vi talte om at han solgte huset i byen, og så kom der en ny plan."


@pytest.mark.parametrize("batch", [1 << 20, 8])  # 8: each line checked in a batch of its own
def test_withdrawn_shingles_are_findings_unless_the_inputs_hold_them_too(tmp_path, monkeypatch, batch):
    from condense import audit_scan
    from condense.audit import AuditReport, scan

    monkeypatch.setattr(audit_scan, "BATCH", batch)
    fp = _fingerprints([ALLOWED], WITHDRAWN)
    (tmp_path / "a.csv").write_text("id,text\n1,han solgte huset i byen\n", encoding="utf-8")  # the inputs say it too
    (tmp_path / "b.md").write_text("# Noter\n\nintet\n\nDet var i byen sidste vinter, sagde hun\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("id,text\n1,solgte huset\n2,i byen sidste\n", encoding="utf-8")  # cut by a line
    findings = scan(tmp_path, fp, AuditReport())
    assert [(f.kwargs["file"], f.kwargs["line"]) for f in findings] == [("b.md", "line 5")]
    assert "withdrawn passage" in findings[0].kwargs["what"]


def test_a_distinctive_withdrawn_word_and_a_protected_term_name_their_cell(tmp_path):
    import pandas as pd

    from condense.audit import AuditReport, scan
    from condense.io import write_xlsx

    fp = _fingerprints([ALLOWED], WITHDRAWN, terms={"Mosevangen": "anonymous plan name"})
    frame = pd.DataFrame({"text": ["intet her", "ja, Bjarnesen var der", "planen i Mosevangens gård"]})
    write_xlsx({"units": frame}, tmp_path / "r.xlsx")
    found = {(f.kwargs["line"], f.kwargs["what"].split(" (")[0]) for f in scan(tmp_path, fp, AuditReport())}
    assert found == {("cell A3", "a word of a withdrawn passage"), ("cell A4", "an anonymous plan name")}


def test_a_png_figure_is_checked_through_its_svg_twin(tmp_path):
    from matplotlib.figure import Figure

    from condense.audit import AuditReport, audit_folder
    from condense.errors import CondenseError
    from condense.export.figures import _save, figure_style

    fp = _fingerprints([ALLOWED], terms={"Mosevangen": "anonymous plan name"})
    with figure_style():
        fig = Figure(figsize=(3, 2))
        fig.subplots().set_title("Planer: Solsikkeparken")
        _save(fig, tmp_path, "fine")
    report = audit_folder(tmp_path, fp)
    assert report.via_twin == ["fine.png"] and not report.skipped
    with figure_style():
        fig = Figure(figsize=(3, 2))
        fig.subplots().set_yticks([0], ["Mosevangen"])  # a label drawn as pixels in the PNG
        _save(fig, tmp_path, "leak")
    with pytest.raises(CondenseError) as err:
        audit_folder(tmp_path, fp)
    assert err.value.kwargs["file"] == "leak.svg" and "anonymous plan name (10 letters" in err.value.kwargs["what"]
    assert "Mosevangen" not in str(err.value)  # the finding says what it is, never the term (E830 goes to logs)
    (tmp_path / "leak.svg").unlink()
    (tmp_path / "fine.svg").unlink()
    report = AuditReport()
    from condense.audit import scan

    assert scan(tmp_path, fp, report) == [] and report.skipped == ["fine.png", "leak.png"]  # no twin: not checked, said so


def test_files_checked_in_two_processes_give_the_same_findings_in_file_order(tmp_path, monkeypatch):
    """``--jobs 2`` checks the files in forked processes: the same findings, the first MAX_FINDINGS in file order."""
    import condense.parallel
    from condense import audit
    from condense.audit import AuditReport, scan

    monkeypatch.setattr(condense.parallel, "available_jobs", lambda jobs: max(1, jobs))  # two, even on one core
    monkeypatch.setattr(audit, "SPLIT_BYTES", 0)  # small files split too
    fp = _fingerprints([ALLOWED], WITHDRAWN, terms={"Mosevangen": "anonymous plan name"})
    for k in range(6):  # files of different sizes, findings in some, in an order the sizes do not follow
        lines = ["intet her"] * (50 * (k % 3) + 1) + (["planen i Mosevangen", "min svoger Bjarnesen"] * k)
        (tmp_path / f"f{k}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def findings(jobs):
        report = AuditReport()
        return [(f.kwargs["file"], f.kwargs["line"], f.kwargs["what"]) for f in scan(tmp_path, fp, report, jobs)], report

    one, report_one = findings(1)
    two, report_two = findings(2)
    assert one == two and len(one) == 20 and one[0][:2] == ("f1.md", "line 52")
    monkeypatch.setattr(audit, "MAX_FINDINGS", 1000)
    one, report_one = findings(1)
    two, report_two = findings(2)
    assert one == two and len(one) == 30 and report_one.files == report_two.files


def test_a_few_small_files_are_checked_here_without_forking(tmp_path, monkeypatch):
    """The files left for last (the figures and the manifest: under a megabyte) are checked in this process:
    forking two workers for them cost more than checking them."""
    import condense.parallel
    from condense.audit import AuditReport, scan

    def no_fork(*args, **kwargs):
        raise AssertionError("forked")

    monkeypatch.setattr(condense.parallel, "available_jobs", lambda jobs: max(1, jobs))
    monkeypatch.setattr(condense.parallel, "map_shares", no_fork)
    fp = _fingerprints([ALLOWED], WITHDRAWN, terms={"Mosevangen": "anonymous plan name"})
    for k in range(3):
        (tmp_path / f"f{k}.md").write_text("intet her\nplanen i Mosevangen\n", encoding="utf-8")
    found = [(f.kwargs["file"], f.kwargs["line"]) for f in scan(tmp_path, fp, AuditReport(), 2)]
    assert found == [(f"f{k}.md", "line 2") for k in range(3)]


def test_the_first_round_forks_only_for_cores_the_processes_still_writing_leave_free(tmp_path, monkeypatch):
    """While the workbook or the figures are still being made in processes of their own, each keeps a core
    busy: with two cores the files written so far are checked in this process, not in two forked workers
    that would only take turns with them; the same findings either way."""
    import condense.parallel
    from condense import audit
    from condense.audit import AuditReport, scan

    monkeypatch.setattr(condense.parallel, "available_jobs", lambda jobs: max(1, jobs))
    monkeypatch.setattr(audit, "SPLIT_BYTES", 0)
    fp = _fingerprints([ALLOWED], WITHDRAWN, terms={"Mosevangen": "anonymous plan name"})
    for k in range(4):
        (tmp_path / f"f{k}.md").write_text("intet her\n" * k + "planen i Mosevangen\n", encoding="utf-8")
    forks = []
    share = condense.parallel.map_shares
    monkeypatch.setattr(condense.parallel, "map_shares", lambda *a, **k: forks.append(a[2]) or share(*a, **k))

    class Later:
        def __init__(self, running):
            self.running = lambda: running

        @staticmethod
        def pending(rel):
            return rel == "f3.md"

        def finish(self):
            pass

    found = {}
    for running in (0, 1, 2):
        forks.clear()
        found[running] = [(f.kwargs["file"], f.kwargs["line"]) for f in scan(tmp_path, fp, AuditReport(), 2, Later(running))]
        assert forks == ([2] if running == 0 else [])
    assert found[0] == found[1] == found[2] == [(f"f{k}.md", f"line {k + 1}") for k in range(4)]


def test_files_still_being_written_are_checked_once_finished_in_file_order(tmp_path):
    """run checks the other files while the figures are still drawn, then waits and checks those: a leak in a
    figure is found all the same, and the findings keep file order."""
    from condense.audit import AuditReport, scan

    fp = _fingerprints([ALLOWED], terms={"Mosevangen": "anonymous plan name"})
    (tmp_path / "a.md").write_text("planen i Mosevangen\n", encoding="utf-8")
    (tmp_path / "z.md").write_text("Mosevangen igen\n", encoding="utf-8")

    class Later:
        finished = False

        @staticmethod
        def pending(rel):
            return rel.startswith("figures/")

        def finish(self):
            (tmp_path / "figures").mkdir()
            (tmp_path / "figures" / "f.svg").write_text("<svg><!-- Mosevangen --></svg>", encoding="utf-8")
            self.finished = True

    later = Later()
    report = AuditReport()
    found = [(f.kwargs["file"], f.kwargs["line"]) for f in scan(tmp_path, fp, report, 1, later)]
    assert later.finished and found == [("a.md", "line 1"), ("figures/f.svg", "line 1 (comment)"),
                                        ("figures/f.svg", "line 1"), ("z.md", "line 1")]
    assert report.files == ["a.md", "figures/f.svg", "z.md"]


def test_a_planted_leak_is_found_in_every_kind_of_output_and_again_in_each_file_it_recurs_in(tmp_path):
    """Each distinct text is checked once per audit (a unit's text recurs in several tables, sheets and the
    report's data): a leak met again is still a finding in every file, at its own line or cell. CSV files are
    read cell by cell (a quoted cell may span lines), report.html's JSON block string by string, decoded."""
    import json

    import pandas as pd

    from condense import audit
    from condense.audit import AuditReport, scan
    from condense.io import write_xlsx

    fp = _fingerprints([ALLOWED], WITHDRAWN, terms={"Mosevangen": "anonymous plan name"})
    leak = "ja, Bjarnesen var der"  # a distinctive word of the withdrawn passage
    (tmp_path / "a.csv").write_text(f'id,text\n1,intet her\n2,"første linje\nanden linje, {leak}"\n3,"{leak}"\n',
                                    encoding="utf-8")
    write_xlsx({"units": pd.DataFrame({"text": ["intet her", leak]})}, tmp_path / "b.xlsx")
    for name, text in (("c.html", "planen i \u004dosevangen"), ("h.html", leak)):  # a name hidden by an escape
        payload = json.dumps({"units": [{"t": "intet her"}, {"t": text}], "n": [1, 2.5, True, None]}, ensure_ascii=True)
        (tmp_path / name).write_text("<html>\n<p>intet her</p>\n<script type=\"application/json\" id=\"report-data\">"
                                     + payload.replace("M", "\\u004d") + " " * 10_000 + "</script>\n</html>\n",
                                     encoding="utf-8")
    (tmp_path / "d.md").write_text(f"# Noter\n\n{leak}\n", encoding="utf-8")
    (tmp_path / "e.yaml").write_text(f"label: intet\ndescription: {leak}\n", encoding="utf-8")
    (tmp_path / "f.json").write_text(json.dumps({"x": leak}, indent=2) + "\n", encoding="utf-8")
    (tmp_path / "g.svg").write_text(f"<svg>\n<!-- {leak} -->\n</svg>\n", encoding="utf-8")
    findings = scan(tmp_path, fp, AuditReport())
    found = [(f.kwargs["file"], f.kwargs["line"], f.kwargs["what"].split(" (")[0]) for f in findings]
    word = "a word of a withdrawn passage"
    assert found == [("a.csv", "line 3", word), ("a.csv", "line 5", word),  # the cell starts on line 3
                     ("b.xlsx › xl/worksheets/sheet1.xml", "cell A3", word),
                     ("c.html", "line 3", "an anonymous plan name"),  # one finding per line
                     ("d.md", "line 3", word), ("e.yaml", "line 2", word), ("f.json", "line 2", word),
                     ("g.svg", "line 2 (comment)", word), ("g.svg", "line 2", word), ("h.html", "line 3", word)]
    assert "Mosevangen" not in (tmp_path / "c.html").read_text(encoding="utf-8")
    assert audit.MAX_FINDINGS > len(found)


def test_an_xml_part_names_each_cell_of_a_leak_and_its_comment_and_attribute_once_however_often_they_recur(tmp_path):
    """A comment or attribute value is checked once per part (every text cell of a sheet says
    ``t="inlineStr"``), and its finding names its kind alone; a text node's finding names its own cell, each
    time the leak recurs. Character references are decoded whether the part uses only those an XML writer
    writes (decoded in one pass) or also a named entity without its semicolon (decoded text by text)."""
    from condense.audit import AuditReport, scan
    from condense.io import zip_bytes

    fp = _fingerprints([ALLOWED], WITHDRAWN, terms={"Mosevangen": "anonymous plan name"})
    cells = "".join(f'<c r="A{r}" t="inlineStr"><is><t>{text}</t></is></c>'
                    for r, text in enumerate(["intet", "ja, Bjarnesen &amp; &#230;", "intet", "Bjarnesen"], 1))
    sheet = f'<x><!--m--><!--Mosevangen--><!--m-->{cells}<y a="&#77;osevangen plan" b="ok ok"/></x>'.encode()
    loose = b'<x><t>&amp;c &not i &#77;osevangen</t><t a="intet her">intet</t></x>'
    (tmp_path / "r.xlsx").write_bytes(zip_bytes([("s.xml", sheet), ("t.xml", loose)]))
    found = [(f.kwargs["file"], f.kwargs["line"], f.kwargs["what"].split(" (")[0])
             for f in scan(tmp_path, fp, AuditReport())]
    name, word = "an anonymous plan name", "a word of a withdrawn passage"
    assert found == [("r.xlsx › s.xml", "cell A2", word), ("r.xlsx › s.xml", "cell A4", word),
                     ("r.xlsx › s.xml", "comment", name), ("r.xlsx › s.xml", "attribute", name),
                     ("r.xlsx › t.xml", "line 1", name)]


def test_references_are_decoded_as_html_unescape_decodes_them():
    import html

    from condense.audit_scan import _unescaped

    for texts in (["a &#230; &amp;#230; b", "&lt;&#38;&gt;", "&#0; &#150; &#1114112;"],  # one pass
                  ["&not&#105;n;", "&amp;c", "x &#230;"], ["&#x41; &#230;"], ["a\x00&amp;"], []):  # text by text
        assert _unescaped(texts) == [html.unescape(t) for t in texts]


def test_a_workbook_checked_part_by_part_as_it_is_zipped_gives_the_findings_of_reading_the_file(monkeypatch):
    """The workbook's process checks each part's bytes as they go into the zip (audit.PartsCheck) instead of
    unzipping the workbook again: the same parts counted and the same findings (a protected term in a sheet's
    cells and in a sheet's name, withdrawn words in a wrapped text column) as reading the finished file, and
    at most MAX_FINDINGS of them."""
    import pandas as pd

    from condense import audit
    from condense.audit_scan import Scanner
    from condense.io import xlsx_bytes, xlsx_parts

    fp = _fingerprints([ALLOWED], WITHDRAWN, terms={"Mosevangen": "anonymous plan name"})
    long = "intet her, kun en lang tekst om ingenting der bryder linjen i regnearket " * 2
    frames = {
        "units": pd.DataFrame({"text": [long, "ja, Bjarnesen var der " + long, "", " Mosevangen "],
                               "n": [1, 2, 3, 4], "share": [0.5, float("nan"), 1.0, 2.0]}),
        "Mosevangen": pd.DataFrame({"case": ["planen i Mosevangens gård", "intet"]}),
    }
    parts = xlsx_parts(frames)
    scanner = Scanner(fp, fp.allowed)
    check = audit.PartsCheck(scanner, "results.xlsx")
    data = xlsx_bytes(parts, check)
    expected = audit._check_data(Scanner(fp, fp.allowed), "results.xlsx", data)
    assert check.result() == expected
    places = {(part.split(" › ")[1], place) for part, place, _ in expected[2]}
    assert {("xl/worksheets/sheet1.xml", "cell A3"), ("xl/worksheets/sheet1.xml", "cell A5"),
            ("xl/worksheets/sheet2.xml", "cell A2"), ("xl/workbook.xml", "attribute")} <= places
    monkeypatch.setattr(audit, "MAX_FINDINGS", 2)
    check = audit.PartsCheck(Scanner(fp, fp.allowed), "results.xlsx")
    xlsx_bytes(parts, check)
    assert check.result() == audit._check_data(Scanner(fp, fp.allowed), "results.xlsx", data)
    assert len(check.result()[2]) == 2
