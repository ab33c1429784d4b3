"""REFI-QDA projects: import of real vendor files (read in place from ../shared/refi/samples), offsets
detected per file, schema-valid deterministic export, export → import → export round trip, coders' agreement."""
from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from conftest import REFI
from test_pipeline import interview, make_project

SAMPLES = REFI / "samples"
NVIVO = SAMPLES / "nvivo-win-12.6_two-users_hu-youtube-comments.qdpx"
NS = "{urn:QDA-XML:project:1.0}"
needs_samples = pytest.mark.skipif(not NVIVO.exists(), reason="../shared/refi/samples is absent")


def schema():
    return etree.XMLSchema(etree.parse(str(REFI / "Project.xsd")))


@pytest.fixture(scope="module")
def nvivo():
    if not NVIVO.exists():
        pytest.skip("../shared/refi/samples is absent")
    from condense.qdpx import read_qdpx

    return read_qdpx(NVIVO)


@needs_samples
def test_all_nvivo_selections_land_exactly_on_their_text(nvivo):
    """NVivo for Windows counts UTF-16 code units with CRLF as two; the text is full of emoji. Each selection's
    text is cut independently from the raw bytes (UTF-16LE, 2 bytes a unit) and must equal ours."""
    with zipfile.ZipFile(NVIVO) as z:
        root = etree.fromstring(z.read("project.qde"))
        raw = {}
        for src in root.iter(f"{NS}TextSource"):
            name = src.get("plainTextPath").split("://")[1]
            raw[src.get("guid").lower()] = z.read(f"Sources/{name}").decode("utf-8-sig").encode("utf-16-le")
    expected = {}
    for src in root.iter(f"{NS}TextSource"):
        for sel in src.iter(f"{NS}PlainTextSelection"):
            a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
            text = raw[src.get("guid").lower()][2 * a:2 * b].decode("utf-16-le").replace("\r\n", "\n")
            expected[sel.get("guid")] = text
    assert len(expected) == 303
    assert nvivo.counts["selections_landed"] == 303 and nvivo.counts["codings_landed"] == 303
    got = {sel.guid: source.text[sel.start:sel.end] for source in nvivo.sources for sel in source.selections}
    assert got == expected
    assert sum(any(ord(ch) > 0xFFFF for ch in t) for t in got.values()) > 0     # emoji before or inside selections
    coded = [s for s in nvivo.sources if s.selections]
    assert [s.offsets for s in coded] == ["utf16, CRLF as 2"]


@needs_samples
def test_every_sample_imports_with_no_coding_lost_silently():
    """Every coding of every sample either lands on its text or is reported (coded warning and count)."""
    from condense.errors import Diagnostics
    from condense.qdpx import read_qdpx

    seen = {}
    for path in sorted(SAMPLES.glob("*.qdpx")):
        with zipfile.ZipFile(path) as z:
            inner = next(n for n in z.namelist() if n.lower().endswith(".qde"))
            root = etree.fromstring(z.read(inner))
        n_codings = sum(1 for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "Coding")
        d = Diagnostics()
        project = read_qdpx(path, diagnostics=d)
        c = project.counts
        reported = c["codings_lost"] + c["codings_no_text"] + c["codings_not_text"]
        assert c["codings_landed"] + reported == n_codings, path.name
        warned = Counter(w.code for w in d)
        if c["codings_lost"]:
            assert warned["W620"] or warned["W621"], path.name
        if c["codings_no_text"]:
            assert warned["W622"], path.name
        if c["codings_not_text"]:
            assert warned["W623"], path.name
        seen[path.name] = (c["codings_landed"], c["codings_lost"], c["codings_no_text"], c["codings_not_text"])
    assert seen["nvivo-win-12.6_two-users_hu-youtube-comments.qdpx"] == (303, 0, 0, 0)
    assert seen["qc-1.3.2_demo_human-coded.qdpx"] == (205, 0, 0, 0)
    # ATLAS.ti's spec example ships no source texts: its 7 text codings and 9 picture/audio codings are reported
    assert seen["spec-annexA2_atlasti8-4_no-sources.qdpx"] == (0, 0, 7, 9)


@needs_samples
def test_coded_tables_from_an_nvivo_project(nvivo):
    from condense.qdpx import coded_from_qdpx
    from condense.coded import hierarchy_condensation
    from condense.tables import themes_table

    data = coded_from_qdpx(nvivo)
    assert len(data.codings) == 303 and data.n_applications == 303
    table = themes_table(hierarchy_condensation(data.units, data.codings, data.codebook, drafts=False), data.units,
                         data.codebook, codings=data.codings)
    assert table[table["level"] == 1]["n_mentions"].sum() == 303
    assert set(c.coder for c in data.codings) == {"Gergo"}


# ------------------------------------------------------------------------------------ export
@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """A small run with cases, a withdrawn passage, an anonymous interview and two human coders."""
    from condense.pipeline import run
    from condense.project import load_project

    folder = tmp_path_factory.mktemp("study")
    texts = {f"int{i}_x.txt": interview(i, gaaklub=i != 3, anonymous=i == 3,
                                        withdrawn="Min nabo Ebbe Rasmussen må ikke nævnes" if i == 2 else "")
             for i in range(1, 5)}
    project = make_project(folder, texts, cases="case,region,units\nPlan1,Nord,12\nPlan2,Syd,8\nPlan3,Nord,3\nPlan4,Syd,5\n",
                           extra="decisions: decisions.csv\n")
    (folder / "decisions.csv").write_text(
        "transcript,unit_id,fingerprint,dimension,theme,subtheme,action,coder,note\n"
        "int1,int1:0001:1,,tema,mad,,add,anna,\n"
        "int1,int1:0001:1,,tema,gaaklub,,add,bo,\n"
        "int4,int4:0003:1,,tema,mad,,add,anna,\n"
        "int4,int4:0003:1,,tema,mad,,add,bo,\n"
        "int3,int3:0003:1,,tema,mad,,add,anna,\n"    # the anonymous interview, by its real id (the project's file)
        "int3,int3:0003:1,,tema,mad,,add,bo,\n", encoding="utf-8")
    return folder, run(load_project(project))


def test_export_is_valid_deterministic_and_honours_consent(study, tmp_path):
    from condense.qdpx import project_from_run, write_qdpx

    folder, result = study
    a = write_qdpx(project_from_run(result), tmp_path / "a.qdpx")
    b = write_qdpx(project_from_run(result), tmp_path / "b.qdpx")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        names = z.namelist()
        root = etree.fromstring(z.read("project.qde"))
        everything = b"".join(z.read(n) for n in names)
    if (REFI / "Project.xsd").exists():
        s = schema()
        assert s.validate(root), s.error_log.last_error
    assert names[0] == "project.qde" and all(n.startswith("sources/") and n.endswith(".txt") for n in names[1:])
    assert "Ebbe Rasmussen".encode() not in everything                      # withdrawn
    users = {u.get("name") for u in root.iter(f"{NS}User")}
    assert users >= {"condense rules", "anna", "bo"}
    cases = {c.get("name"): c for c in root.iter(f"{NS}Case")}
    assert set(cases) == {"Plan1", "Plan2", "Plan4"}      # Plan3 is named only by the anonymous interview
    assert all(w not in everything for w in (b"int3", b"Plan3"))           # anonymous: no id, no plan, anywhere
    assert [v.get("typeOfVariable") for v in root.iter(f"{NS}Variable")] == ["Text", "Integer"]
    # every selection covers exactly its unit's text: code points, half-open
    texts = {}
    with zipfile.ZipFile(a) as z:
        for src in root.iter(f"{NS}TextSource"):
            texts[src.get("guid")] = z.read(src.get("plainTextPath").replace("internal://", "sources/")).decode("utf-8")
    units = {(u.transcript, " ".join(u.text.split())) for u in result.segmentation.units}
    coded = Counter()
    for src in root.iter(f"{NS}TextSource"):
        for sel in src.iter(f"{NS}PlainTextSelection"):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            assert (src.get("name"), " ".join(texts[src.get("guid")][start:end].split())) in units
            coded[src.get("name")] += 1
    assert set(coded) == {"int1", "int2", "anonym-01", "int4"}     # the anonymous interview's codings too
    assert len(list(root.iter(f"{NS}Note"))) > 0
    anonymous = next(s for s in root.iter(f"{NS}TextSource") if s.get("name") == "anonym-01")
    by_user = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    assert {by_user[c.get("creatingUser")] for c in anonymous.iter(f"{NS}Coding")} >= {"anna", "bo"}


def test_export_audit_refuses_an_anonymous_interview_under_its_real_id(study):
    """The consent audit runs on the export before it is written: a source carrying the anonymous
    interview's real id and text is E830 (the export builds public sources, so this is the backstop)."""
    from condense.errors import CondenseError, CondenseErrors
    from condense.qdpx import QdaSource, audit_export, project_from_run, qdpx_bytes

    _, result = study
    project = project_from_run(result)
    audit_export(result, qdpx_bytes(project))                               # the public export passes
    real = next(t for t in result.corpus.transcripts if t.anonymous is True)
    project.sources.append(QdaSource("leak", real.id, real.text))
    with pytest.raises((CondenseError, CondenseErrors)) as caught:
        audit_export(result, qdpx_bytes(project), "study.qdpx")
    assert "E830" in str(caught.value) and "study.qdpx" in str(caught.value)


def test_export_import_export_round_trip_and_coders_agreement(study, tmp_path):
    from condense.agreement import agree
    from condense.qdpx import coder_files, import_project, project_from_folder, read_qdpx, write_qdpx

    _, result = study
    first = write_qdpx(project_from_run(result), tmp_path / "first.qdpx")
    project = read_qdpx(first)
    assert project.counts["selections"] == project.counts["selections_landed"] > 0
    counts = import_project(project, tmp_path / "imported", language="da")
    assert counts["codings"] == project.counts["codings"]
    second = write_qdpx(project_from_folder(tmp_path / "imported"), tmp_path / "second.qdpx")
    assert second.read_bytes() == first.read_bytes()
    fa, fb = coder_files(tmp_path / "imported", ["anna", "bo"])
    outcome = agree(fa, fb)
    assert outcome.n_units == 3


def project_from_run(result):
    from condense.qdpx import project_from_run as build

    return build(result)


def test_cli_import_and_export(study, tmp_path):
    from typer.testing import CliRunner

    from condense.cli import app
    from condense.qdpx import project_from_run, write_qdpx

    _, result = study
    qdpx = write_qdpx(project_from_run(result), tmp_path / "s.qdpx")
    runner = CliRunner()
    res = runner.invoke(app, ["import", "qdpx", str(qdpx), "--out", str(tmp_path / "p"), "--language", "da"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "p" / "selections.csv").exists() and (tmp_path / "p" / "decisions.csv").exists()
    res = runner.invoke(app, ["export", "qdpx", str(tmp_path / "p"), "--out", str(qdpx)])
    assert res.exit_code == 1 and "E704" in res.output and "--force" in res.output  # never overwrites without --force
    res = runner.invoke(app, ["export", "qdpx", str(tmp_path / "p"), "--out", str(tmp_path / "p")])
    assert res.exit_code == 1 and "E722" in res.output  # a folder (E402 said --force would do; it never replaces one)
    res = runner.invoke(app, ["export", "qdpx", str(tmp_path / "p"), "--out", str(tmp_path / "study")])
    assert res.exit_code == 0 and "W704" in res.output and "study.qdpx" in res.output  # no ending: import dialogs hide it
    res = runner.invoke(app, ["agree", str(tmp_path / "p"), "--coder", "anna", "--coder", "nobody"])
    assert res.exit_code == 1 and "E621" in res.output and "anna" in res.output
    res = runner.invoke(app, ["agree", str(tmp_path / "p"), "--coder", "anna", "--coder", "bo"])
    assert res.exit_code == 0, res.output


@needs_samples
def test_a_project_of_no_text_is_refused_and_a_danish_one_is_read_as_danish(study, tmp_path):
    """A codebook-only export (ATLAS.ti's, NVivo's, the spec's example) made a study folder of no transcript,
    whose first run failed with E112 naming a temporary folder, and `condense tables` wrote empty tables over
    the last ones; now E622 and E623 say what the file is and nothing is written. Without --language a
    project is imported in its texts' language (a Danish one was English: its words, lemmas and tables)."""
    from typer.testing import CliRunner

    from condense.cli import app
    from condense.qdpx import project_from_run, write_qdpx

    runner = CliRunner()
    for name in ("atlasti-win-23.2_minimal-hierarchy.qdpx", "nvivo-mac-15_codebook-only_from-qc.qdpx",
                 "spec-annexA2_atlasti8-4_no-sources.qdpx"):
        res = runner.invoke(app, ["import", "qdpx", str(SAMPLES / name), "--out", str(tmp_path / "i")])
        assert res.exit_code == 1 and "E622" in res.output and "codebook import" in res.output, res.output
        res = runner.invoke(app, ["tables", str(SAMPLES / name), "--out", str(tmp_path / "t")])
        assert res.exit_code == 1 and "E623" in res.output, res.output
        assert not (tmp_path / "i").exists() and not (tmp_path / "t").exists()
    _, result = study
    qdpx = write_qdpx(project_from_run(result), tmp_path / "s.qdpx")
    res = runner.invoke(app, ["import", "qdpx", str(qdpx), "--out", str(tmp_path / "da")])
    assert res.exit_code == 0, res.output
    assert "language: da" in (tmp_path / "da" / "condense.yaml").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------ lenient reading
def _qdpx(path, qde: str, entries: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde.encode("utf-8"))
        for name, data in entries.items():
            z.writestr(name, data)
    return path


LENIENT_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Lenient">
 <Users><User guid="U1" name="Ida"/></Users>
 <CodeBook><Codes><Code guid="C1" name="Mad" isCodable="true"/></Codes></CodeBook>
 <Sources>
  <TextSource guid="S1" name="grød" plainTextPath="internal://s1.txt">
   <PlainTextSelection guid="A" name="Blåbærgrød" startPosition="0" endPosition="10" creatingUser="U1">
    <Coding guid="k1"><CodeRef targetGUID="C1"/></Coding></PlainTextSelection>
   <PlainTextSelection guid="B" startPosition="5" endPosition="500"><Coding guid="k2"><CodeRef targetGUID="C1"/></Coding></PlainTextSelection>
   <PlainTextSelection guid="C" startPosition="11" endPosition="13"><Coding guid="k3"><CodeRef targetGUID="NOPE"/></Coding></PlainTextSelection>
   <PlainTextSelection guid="D" startPosition="x" endPosition="3"/>
   <Coding guid="k4" creatingUser="U1"><CodeRef targetGUID="C1"/></Coding>
  </TextSource>
  <TextSource guid="S2" name="gone" plainTextPath="internal://missing.txt">
   <PlainTextSelection guid="E" startPosition="0" endPosition="4"><Coding guid="k5"><CodeRef targetGUID="C1"/></Coding></PlainTextSelection>
  </TextSource>
  <PictureSource guid="P1" name="foto" path="internal://p.png">
   <PictureSelection guid="F" firstX="0" firstY="0" secondX="1" secondY="1"><Coding guid="k6"><CodeRef targetGUID="C1"/></Coding></PictureSelection>
  </PictureSource>
 </Sources>
 <Notes><Note guid="N1" name="Memo" plainTextPath="internal://note.txt"/></Notes>
</Project>"""


def test_lenient_reading_counts_and_reports_every_coding_it_cannot_place(tmp_path):
    """Our own project with every fault the reader tolerates: each coding lands or is counted and warned about;
    a Windows-1252 source is read through the one decoder (W101), a note's UTF-8 BOM is dropped."""
    from condense.errors import Diagnostics
    from condense.qdpx import read_qdpx

    text = "Blåbærgrød er god.\r\nMere tekst."
    path = _qdpx(tmp_path / "lenient.qdpx", LENIENT_QDE, {
        "sources/s1.txt": text.encode("cp1252"), "sources/note.txt": "\ufeffHusk mad.\r\n".encode("utf-8")})
    d = Diagnostics()
    project = read_qdpx(path, diagnostics=d)
    c = project.counts
    assert (c["selections"], c["codings"]) == (5, 5)
    assert (c["selections_landed"], c["selections_lost"], c["selections_no_text"], c["selections_not_text"]) == (2, 2, 1, 1)
    assert (c["codings_landed"], c["codings_lost"], c["codings_unknown_code"], c["codings_no_text"],
            c["codings_not_text"]) == (2, 2, 1, 1, 1)
    assert c["codings_landed"] + c["codings_lost"] + c["codings_no_text"] == c["codings"]
    assert [w.code for w in d] == ["W101", "W622", "W620", "W621", "W623"]
    assert "first: source 'grød', 5–500" in next(str(w) for w in d if w.code == "W620")
    grod, gone = project.sources
    assert grod.text == "Blåbærgrød er god.\nMere tekst." and gone.text == ""
    spans = [(s.start, s.end, s.codings) for s in grod.selections]
    assert spans == [(0, 10, [("c1", "u1")]), (11, 13, []), (0, len(grod.text), [("c1", "u1")])]
    assert grod.text[0:10] == "Blåbærgrød"
    assert project.users == {"u1": "Ida"} and project.notes == [("Memo", "Husk mad.\n")]


TWICE_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Twice">
 <CodeBook><Codes><Code guid="C1" name="Mad" isCodable="true"/></Codes></CodeBook>
 <Sources>
  <TextSource guid="S1" name="Interview Ida" plainTextPath="internal://ida.txt">
   <PlainTextSelection guid="A" startPosition="0" endPosition="10"><Coding guid="k1"><CodeRef targetGUID="C1"/></Coding>
   </PlainTextSelection></TextSource>
  <TextSource guid="S2" name="Ida (copy)" plainTextPath="internal://ida.txt">
   <PlainTextSelection guid="B" startPosition="0" endPosition="10"><Coding guid="k2"><CodeRef targetGUID="C1"/></Coding>
   </PlainTextSelection></TextSource>
  <TextSource guid="S3" name="Interview Bo" plainTextPath="internal://bo.txt"/>
 </Sources>
</Project>"""


def test_one_text_file_under_two_sources_is_read_faithfully_and_reported(tmp_path):
    """Two source guids naming one text file became two transcripts with every coding on it counted twice, and
    nothing said so; the reading stays faithful to the file, and the researcher is told which file and sources."""
    from condense.coded import read_coded
    from condense.errors import Diagnostics

    path = _qdpx(tmp_path / "twice.qdpx", TWICE_QDE, {"sources/ida.txt": "Blåbærgrød er god.".encode("utf-8"),
                                                       "sources/bo.txt": "Vi spiste sammen.".encode("utf-8")})
    d = Diagnostics()
    data = read_coded(path, diagnostics=d)
    assert sorted({u.transcript for u in data.units}) == ["Ida (copy)", "Interview Ida"]   # Bo: nothing coded
    assert len(data.codings) == 2                          # as the file has it: one coding under each source
    warned = [str(w) for w in d if w.code == "W625"]
    assert len(warned) == 1
    assert "twice.qdpx" in warned[0] and "'sources/ida.txt'" in warned[0]
    assert "'Interview Ida' and 'Ida (copy)'" in warned[0]


def test_sources_of_their_own_text_files_are_not_reported_as_shared(tmp_path):
    from condense.errors import Diagnostics
    from condense.qdpx import read_qdpx

    qde = TWICE_QDE.replace('plainTextPath="internal://ida.txt">\n   <PlainTextSelection guid="B"',
                            'plainTextPath="internal://ida2.txt">\n   <PlainTextSelection guid="B"')
    assert qde != TWICE_QDE
    path = _qdpx(tmp_path / "own.qdpx", qde, {"sources/ida.txt": b"Bl\xc3\xa5b\xc3\xa6r er godt.",
                                              "sources/ida2.txt": b"Bl\xc3\xa5b\xc3\xa6r er godt.",
                                              "sources/bo.txt": b"Vi spiste."})
    d = Diagnostics()
    read_qdpx(path, diagnostics=d)
    assert [w.code for w in d] == []


@needs_samples
def test_a_source_without_a_name_is_named_by_its_text_file():
    """QualCoder writes no `name` on its sources: the interviews were called by their guid in every table
    ('33663939-3636-…'); a researcher knows them by their file, board_2017."""
    from condense.qdpx import coded_from_qdpx, read_qdpx

    project = read_qdpx(SAMPLES / "qc-1.3.2_demo_human-coded.qdpx")
    assert sorted(s.name for s in project.sources) == ["admin-1", "board_2017"]
    assert {u.transcript for u in coded_from_qdpx(project).units} == {"board_2017"}


@needs_samples
def test_an_imported_folder_whose_project_file_was_broken_by_hand_is_a_coded_error(tmp_path):
    """`condense export qdpx FOLDER` read the imported folder's condense.yaml with a bare yaml.safe_load: a
    hand edit gave a traceback."""
    from typer.testing import CliRunner

    from condense.cli import app

    runner = CliRunner()
    folder = tmp_path / "imp"
    assert runner.invoke(app, ["import", "qdpx", str(SAMPLES / "qc-1.3.2_demo_human-coded.qdpx"), "--out",
                               str(folder)]).exit_code == 0
    (folder / "condense.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["export", "qdpx", str(folder), "--out", str(tmp_path / "p.qdpx")])
    assert result.exit_code == 1 and "E401" in result.output and "line 2" in result.output
    assert not (tmp_path / "p.qdpx").exists()


FORMULA_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Formler">
 <Users><User guid="U1" name="=Ida()"/></Users>
 <CodeBook><Codes><Code guid="C1" name="Mad" isCodable="true"/></Codes></CodeBook>
 <Variables><Variable guid="V1" name="@kommune" typeOfVariable="Text"/></Variables>
 <Cases><Case guid="K1" name="-2+3"><VariableValue><VariableRef targetGUID="V1"/><TextValue>+Nord</TextValue></VariableValue><SourceRef targetGUID="S1"/></Case></Cases>
 <Sources>
  <TextSource guid="S1" name="samtale" plainTextPath="internal://s1.txt">
   <PlainTextSelection guid="A" startPosition="0" endPosition="33" creatingUser="U1">
    <Coding guid="k1" creatingUser="U1"><CodeRef targetGUID="C1"/></Coding></PlainTextSelection>
  </TextSource>
 </Sources>
</Project>"""


def test_an_imported_study_s_tables_hold_no_formula_a_spreadsheet_would_run(tmp_path):
    """`condense import qdpx` wrote selections.csv, users.csv, cases.csv and decisions.csv with the project's
    text as it stood: a coded passage '=HYPERLINK(...)', a coder '=Ida()', a case '-2+3' or a value '+Nord'
    became a live formula when the researcher opened the file in Excel. They now get the leading ' of every
    CSV condense writes, and read back as they were."""
    import csv

    from condense.io import read_table
    from condense.qdpx import import_project, read_qdpx

    text = '=HYPERLINK("http://x.example";"k") og mere.\nI: Hvad?\nR: Vi lavede mad sammen hver onsdag.\n'
    path = _qdpx(tmp_path / "f.qdpx", FORMULA_QDE, {"sources/s1.txt": text.encode("utf-8")})
    import_project(read_qdpx(path), tmp_path / "study")
    seen = {}
    for table in sorted((tmp_path / "study").rglob("*.csv")):
        with table.open(encoding="utf-8-sig", newline="") as f:
            cells = [c for row in csv.reader(f) for c in row]
        live = [c for c in cells if c[:1] in "=+-@" and len(c) > 1 and not c.lstrip("+-").replace(".", "").isdigit()]
        assert not live, (table.name, live)
        seen[table.relative_to(tmp_path / "study").as_posix()] = read_table(table)[1]
    assert seen["selections.csv"][0][1]["text"] == text[:33]
    assert [r["user"] for _, r in seen["users.csv"]] == ["=Ida()"]
    assert [(r["case"], r["@kommune"]) for _, r in seen["transcripts/cases.csv"]] == [("-2+3", "+Nord")]


def _two_source_qde(codes: str, second_source_guid: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Twice">
 <CodeBook><Codes>{codes}</Codes></CodeBook>
 <Sources>
  <TextSource guid="S1" name="ib" plainTextPath="internal://ib.txt">
   <PlainTextSelection guid="A" startPosition="0" endPosition="9"><Coding guid="k1"><CodeRef targetGUID="C1"/></Coding></PlainTextSelection>
  </TextSource>
  <TextSource guid="{second_source_guid}" name="ulla" plainTextPath="internal://ulla.txt"/>
 </Sources>
</Project>"""


SOURCES = {"sources/ib.txt": b"Vi gik tur hver dag.", "sources/ulla.txt": b"Vi spiste sammen."}


def test_a_code_guid_used_by_two_codes_is_refused_not_given_to_the_last(tmp_path):
    """Two codes with one guid (a hand-merged export): every coding with that guid went to the second code,
    the first lost its codings without a word."""
    from condense.errors import CondenseError
    from condense.qdpx import read_qdpx

    codes = '<Code guid="C1" name="Motion" isCodable="true"/><Code guid="c1" name="Mad" isCodable="true"/>'
    path = _qdpx(tmp_path / "twice.qdpx", _two_source_qde(codes, "S2"), SOURCES)
    with pytest.raises(CondenseError) as err:
        read_qdpx(path)
    assert err.value.code == "E620" and "twice.qdpx" in str(err.value) and "'Motion' and 'Mad'" in str(err.value)


def test_a_source_guid_listed_twice_is_refused_naming_the_project(tmp_path):
    """A source listed twice under one guid: the import wrote it as two transcripts of one name and then
    refused its own temporary transcripts.csv (E720), a file the user never saw."""
    from condense.errors import CondenseError
    from condense.qdpx import read_qdpx

    path = _qdpx(tmp_path / "twice.qdpx", _two_source_qde('<Code guid="C1" name="Motion" isCodable="true"/>', "S1"),
                 SOURCES)
    with pytest.raises(CondenseError) as err:
        read_qdpx(path)
    assert err.value.code == "E620" and "twice.qdpx" in str(err.value) and "source guid s1" in str(err.value)


def test_an_uncoded_source_missing_from_the_archive_is_reported(tmp_path):
    """A source with no coding yet whose text file is missing from the archive: the study lost an interview
    without a word (W622 was given only for a source with selections)."""
    from condense.errors import Diagnostics
    from condense.qdpx import read_qdpx

    path = _qdpx(tmp_path / "gone.qdpx", _two_source_qde('<Code guid="C1" name="Motion" isCodable="true"/>', "S2"),
                 {"sources/ib.txt": SOURCES["sources/ib.txt"]})
    d = Diagnostics()
    read_qdpx(path, diagnostics=d)
    assert [w.code for w in d] == ["W622"] and "'ulla'" in str(next(iter(d)))


def test_a_tab_in_an_imported_folders_project_file_is_named_as_a_tab_with_its_mend(tmp_path):
    """The imported folder's condense.yaml is read as every project file is: a tab gets its name and mend
    (limits.yaml_problem), not YAML's "found character '\\t' that cannot start any token"."""
    from condense.errors import CondenseError
    from condense.qdpx import project_from_folder

    (tmp_path / "condense.yaml").write_text("name: demo\nlanguage: da\n\tcodebook: codebook.yaml\n", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        project_from_folder(tmp_path)
    assert err.value.code == "E401" and err.value.kwargs["line"] == 3, str(err.value)
    assert "replace the tab with spaces" in str(err.value)


def _second_coder_in_cp1252(folder):
    """decisions.csv with every decision also made by 'søren', saved by Excel as Windows-1252."""
    lines = (folder / "decisions.csv").read_text(encoding="utf-8").splitlines()
    again = [line.replace(",add,cp,", ",add,søren,") for line in lines[1:]]
    (folder / "decisions.csv").write_bytes("\n".join(lines + again).encode("cp1252") + b"\n")
    return ["agree", str(folder), "--coder", "cp", "--coder", "søren"], "decisions.csv"


def _users_in_cp1252(folder):
    """users.csv with a coder added by hand in Danish Excel (Windows-1252)."""
    (folder / "users.csv").write_bytes("user\ncp\nsøren\n".encode("cp1252"))
    return ["export", "qdpx", str(folder), "--out", str(folder.parent / "again.qdpx")], "users.csv"


@needs_samples
@pytest.mark.parametrize("edit", [_second_coder_in_cp1252, _users_in_cp1252], ids=["agree-coders", "export-folder"])
def test_an_imported_folders_table_saved_as_windows_1252_warns_w101(tmp_path, edit):
    """`agree FOLDER --coder` and `export qdpx FOLDER` read the imported folder's tables with no diagnostics to
    warn in: a table re-saved by Excel as Windows-1252 was decoded right, but silently (h13a)."""
    from typer.testing import CliRunner

    from condense.cli import app

    runner = CliRunner()
    folder = tmp_path / "imp"
    assert runner.invoke(app, ["import", "qdpx", str(SAMPLES / "qc-1.3.2_demo_human-coded.qdpx"), "--out",
                               str(folder)]).exit_code == 0
    argv, name = edit(folder)
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert any(name in line for line in result.output.splitlines() if "W101" in line), result.output


# ------------------------------------------------------------------------- hostile names (census round three)
HOSTILE = ['=HYPERLINK("http://x.example","klik")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "<script>alert(1)</script>",
           "]]> slut", "citat \" og ' begge", "Café", "Cafe\u0301"]


def _hostile_qde(names: list[str], long_source: str = "") -> tuple[str, dict[str, bytes]]:
    """A project whose code, case, user, variable, note and source names are ``names``: each name codes one
    answer of three sources (a source of name ``long_source`` if given), each case links one source."""
    from xml.sax.saxutils import escape, quoteattr

    def g(i):
        return f"{i:08x}-0000-4000-8000-000000000000"

    codes = "".join(f'<Code guid="{g(100 + i)}" name={quoteattr(n)} isCodable="true"/>' for i, n in enumerate(names))
    users = "".join(f'<User guid="{g(200 + i)}" name={quoteattr(n)}/>' for i, n in enumerate(names))
    cases = "".join(f'<Case guid="{g(400 + i)}" name={quoteattr(n)}><VariableValue><VariableRef targetGUID="{g(300)}"/>'
                    f'<TextValue>{escape(n)}</TextValue></VariableValue><SourceRef targetGUID="{g(500 + i % 3)}"/></Case>'
                    for i, n in enumerate(names))
    sources, texts = "", {}
    for k in range(3):
        text, selections = "", ""
        for i in range(k, len(names), 3):
            start = len(text) + 3
            text += f"R: Svar nummer {i} handler om maden og gården.\n"
            selections += (f'<PlainTextSelection guid="{g(600 + i)}" startPosition="{start}" endPosition="{start + 11}">'
                           f'<Coding guid="{g(700 + i)}" creatingUser="{g(200 + i)}"><CodeRef targetGUID="{g(100 + i)}"/>'
                           '</Coding></PlainTextSelection>')
        name = long_source if long_source and k == 2 else names[k]
        sources += (f'<TextSource guid="{g(500 + k)}" name={quoteattr(name)} plainTextPath="internal://{k}.txt">'
                    f"{selections}</TextSource>")
        texts[f"sources/{k}.txt"] = text.encode("utf-8")
    notes = "".join(f'<Note guid="{g(800 + i)}" name={quoteattr(n)}><PlainTextContent>{escape(n)}</PlainTextContent></Note>'
                    for i, n in enumerate(names))
    qde = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name={quoteattr(names[-1])}>'
           f'<Users>{users}</Users><CodeBook><Codes>{codes}</Codes></CodeBook><Variables><Variable guid="{g(300)}" '
           f'name={quoteattr(names[0])} typeOfVariable="Text"/></Variables><Cases>{cases}</Cases>'
           f'<Sources>{sources}</Sources><Notes>{notes}</Notes></Project>')
    return qde, texts


def _live_cells(folder: Path) -> list[str]:
    """Every cell of a .csv under ``folder`` that a spreadsheet would run, and every formula cell of an .xlsx."""
    import csv
    import re

    import openpyxl

    number = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?%?")
    live = []
    for table in sorted(folder.rglob("*.csv")):
        with table.open(encoding="utf-8-sig", newline="") as f:
            live += [f"{table.name}: {c[:30]!r}" for row in csv.reader(f) for c in row
                     if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not number.fullmatch(c)]
    for book in sorted(folder.rglob("*.xlsx")):
        for sheet in openpyxl.load_workbook(book).worksheets:
            live += [f"{book.name}!{c.coordinate}" for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    return live


def test_hostile_names_in_a_project_reach_every_output_inert(tmp_path):
    """Code, case, user, variable, note and source names that are formulas, markup, CDATA ends, quotes, and one case
    name twice in two Unicode forms ("Café" composed and decomposed). The import refused the second case with
    E720 naming its own temporary folder; now it is "Café (2)" (W626). Every output stays inert: no formula
    in a workbook, every CSV cell a spreadsheet would run guarded, the report escaped, the figures and the
    exported .qdpx well-formed and the export schema-valid."""
    from typer.testing import CliRunner

    from condense.cli import app
    from condense.io import read_table

    qde, texts = _hostile_qde(HOSTILE)
    path = _qdpx(tmp_path / "hostile.qdpx", qde, texts)
    runner = CliRunner()
    res = runner.invoke(app, ["import", "qdpx", str(path), "--out", str(tmp_path / "study")])
    assert res.exit_code == 0, res.output
    assert "W626" in res.output and "as 'Café (2)'" in res.output
    cases = [r["case"] for _, r in read_table(tmp_path / "study" / "transcripts" / "cases.csv")[1]]
    assert sorted(cases) == sorted([n.strip() for n in HOSTILE[:-1]] + ["Café (2)"])   # names are stripped
    res = runner.invoke(app, ["tables", str(path), "--out", str(tmp_path / "tables")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["export", "qdpx", str(tmp_path / "study"), "--out", str(tmp_path / "again.qdpx")])
    assert res.exit_code == 0, res.output
    for folder in ("study", "tables"):
        assert _live_cells(tmp_path / folder) == [], folder
    html = (tmp_path / "tables" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for svg in (tmp_path / "tables" / "figures").glob("*.svg"):
        assert not [e for e in etree.parse(str(svg)).iter() if isinstance(e.tag, str) and e.tag.endswith("script")]
    with zipfile.ZipFile(tmp_path / "again.qdpx") as z:
        assert schema().validate(etree.fromstring(z.read("project.qde")))
    counts = {r["theme_label"]: r["n_mentions"] for _, r in read_table(tmp_path / "tables" / "themes.csv")[1]}
    assert len(counts) == len(HOSTILE) and set(counts.values()) == {"1"}   # every coding counted once


def test_a_source_named_with_100000_characters_imports_under_a_short_file_name(tmp_path):
    """A source name of 100,000 characters was the transcript's file name: the import failed with E402 and the
    whole name in its message. The file name is now its first 80 characters; the source keeps its codings."""
    from condense.qdpx import import_project, read_qdpx

    qde, texts = _hostile_qde(["Mad", "Bolig", "Have"], long_source="L" * 100_000)
    counts = import_project(read_qdpx(_qdpx(tmp_path / "long.qdpx", qde, texts)), tmp_path / "study")
    names = sorted(p.name for p in (tmp_path / "study" / "transcripts").glob("*.txt"))
    assert names == ["Bolig.txt", "L" * 80 + ".txt", "Mad.txt"]
    assert counts["codings"] == 3


def test_a_figure_label_takes_at_most_four_lines():
    """A code named with 100,000 characters made the prevalence figure 2,942 lines tall, and drawing it ended in
    std::bad_alloc (a traceback) after five minutes; a label now ends in "…" after four lines."""
    from condense.export.figures import _wrap

    lines = _wrap("L" * 100_000).split("\n")
    assert len(lines) == 4 and lines[-1].endswith("…") and all(len(line) <= 34 for line in lines)
    assert _wrap("Boligsociale helhedsplaner og beboerinddragelse") == "Boligsociale helhedsplaner og\nbeboerinddragelse"


NOT_IMPORTED_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Rest">
 <CodeBook><Codes><Code guid="C1" name="Mad" isCodable="true"/></Codes></CodeBook>
 <Variables><Variable guid="V1" name="alder" typeOfVariable="Integer"/></Variables>
 <Sources>
  <TextSource guid="S1" name="ib" plainTextPath="internal://ib.txt">
   <Description>Interview i haven</Description>
   <PlainTextSelection guid="A" startPosition="0" endPosition="9"><Description>Vigtigt!</Description>
    <Coding guid="k1"><CodeRef targetGUID="C1"/></Coding><NoteRef targetGUID="N1"/></PlainTextSelection>
   <VariableValue><VariableRef targetGUID="V1"/><IntegerValue>67</IntegerValue></VariableValue>
  </TextSource>
  <PictureSource guid="P1" name="foto" path="internal://foto.jpg"><Coding guid="k2"><CodeRef targetGUID="C1"/></Coding>
  </PictureSource>
 </Sources>
 <Notes><Note guid="N1" name="memo"><PlainTextContent>Husk</PlainTextContent></Note></Notes>
 <Sets><Set guid="G1" name="gender: male"><MemberSource targetGUID="S1"/></Set></Sets>
</Project>"""


def test_what_a_project_holds_beyond_coded_text_is_named_with_counts(tmp_path):
    """Sets (ATLAS.ti writes its document groups as sets: "gender: male"), comments on selections, descriptions
    of sources, variables of sources, the coding of a whole picture and a note's link to its selection were
    left out without a word (the picture's coding with no selection on it escaped W623 too). W627 names them."""
    from condense.errors import Diagnostics
    from condense.qdpx import read_qdpx

    d = Diagnostics()
    project = read_qdpx(_qdpx(tmp_path / "rest.qdpx", NOT_IMPORTED_QDE, {"sources/ib.txt": b"Vi gik tur hver dag."}),
                        diagnostics=d)
    assert project.counts["codings_landed"] == 1
    text = next(str(w) for w in d if w.code == "W627")
    for part in ("1 set(s)", "2 comment(s) or description(s)", "1 variable value(s) of sources",
                 "1 coding(s) of whole pictures", "1 note link(s)"):
        assert part in text, (part, text)


@needs_samples
def test_the_spec_example_s_sets_links_and_graph_are_named():
    from condense.errors import Diagnostics
    from condense.qdpx import read_qdpx

    d = Diagnostics()
    read_qdpx(SAMPLES / "spec-annexA2_atlasti8-4_no-sources.qdpx", diagnostics=d)
    text = next(str(w) for w in d if w.code == "W627")
    assert "16 set(s); 1 link(s); 1 graph(s)" in text
    for other in ("nvivo-win-12.6_two-users_hu-youtube-comments.qdpx", "qc-1.3.2_demo_human-coded.qdpx"):
        d = Diagnostics()
        read_qdpx(SAMPLES / other, diagnostics=d)
        assert "W627" not in [w.code for w in d], other   # NVivo's 303 empty selection descriptions are nothing


def test_invisible_characters_in_a_source_do_not_move_its_codings_to_another_unit(tmp_path):
    """The import wrote a source's zero-width spaces into its transcript and the offsets of selections.csv
    counted them; the run removes them (W111), so every meaning unit after them started that many characters
    earlier than the spans said: 40 of them before a short answer put its coding on the next answer. The import
    now removes them too (W111 names the source and line) and the coding stays on its answer."""
    import csv

    from condense.errors import Diagnostics
    from condense.qdpx import import_project, read_qdpx

    text = ("I: Hvad laver I?\n\nR: Vi gik" + "\u200b" * 40 + " tur hver dag i parken.\n\nI: Og maden?\n\n"
            "R: Vi spiste sammen.\n\nI: Og bagefter?\n\nR: Vi cyklede hjem igen hver eneste gang.\n")
    start = text.index("spiste")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Z"><CodeBook><Codes><Code guid="C1" name="Mad" isCodable="true"/></Codes>
</CodeBook><Sources><TextSource guid="S1" name="ib" plainTextPath="internal://ib.txt"><PlainTextSelection guid="A"
 name="spiste sammen" startPosition="{start}" endPosition="{start + 13}"><Coding guid="k1"><CodeRef targetGUID="C1"/>
</Coding></PlainTextSelection></TextSource></Sources></Project>"""
    d = Diagnostics()
    import_project(read_qdpx(_qdpx(tmp_path / "z.qdpx", qde, {"sources/ib.txt": text.encode("utf-8")}), diagnostics=d),
                   tmp_path / "study", diagnostics=d)
    assert "\u200b" not in (tmp_path / "study" / "transcripts" / "ib.txt").read_text(encoding="utf-8")
    assert any(w.code == "W111" and "source 'ib', line 3: 40 invisible" in str(w) for w in d), [str(w) for w in d]
    with (tmp_path / "study" / "decisions.csv").open(encoding="utf-8", newline="") as f:
        decided = [r["unit_id"] for r in csv.DictReader(f)]
    from condense.pipeline import load_units
    from condense.project import load_project

    _, seg = load_units(load_project(tmp_path / "study" / "condense.yaml"))
    assert [u.text for u in seg.units if u.unit_id in decided] == ["Vi spiste sammen."]


def test_a_right_to_left_override_in_a_name_is_removed_and_named(tmp_path):
    """A code, case and user named with U+202E RIGHT-TO-LEFT OVERRIDE ("Mad \u202egnp.exe" displays as
    "Mad exe.png") reached codebook.yaml, report.html and report.md as they were; a transcript or a coded table
    loses such characters with W111, and now a project's names do too."""
    from typer.testing import CliRunner

    from condense.cli import app

    qde, texts = _hostile_qde(["Mad \u202egnp.exe", "Bolig\u200f", "Have"])
    path = _qdpx(tmp_path / "rtl.qdpx", qde, texts)
    res = CliRunner().invoke(app, ["tables", str(path), "--out", str(tmp_path / "tables")])
    assert res.exit_code == 0, res.output
    assert "W111" in res.output and "U+202E RIGHT-TO-LEFT OVERRIDE" in res.output
    for name in ("codebook.yaml", "report.html", "report.md", "themes.csv", "segments.csv"):
        text = (tmp_path / "tables" / name).read_text(encoding="utf-8")
        assert "\u202e" not in text and "\u200f" not in text, name
    assert "Mad gnp.exe" in (tmp_path / "tables" / "report.md").read_text(encoding="utf-8")


def test_a_case_name_holding_a_semicolon_keeps_its_source(tmp_path):
    """transcripts.csv lists a transcript's cases separated by ';': a case 'Nord;Syd' was read back as the cases
    'Nord' and 'Syd', which do not exist, and its source lost its case and variables without a word. It is
    imported as 'Nord,Syd' (W626)."""
    from condense.errors import Diagnostics
    from condense.qdpx import import_project, project_from_folder, read_qdpx

    qde, texts = _hostile_qde(["Nord;Syd", "Bolig", "Have"])
    d = Diagnostics()
    import_project(read_qdpx(_qdpx(tmp_path / "semi.qdpx", qde, texts), diagnostics=d), tmp_path / "study")
    assert any(w.code == "W626" and "'Nord;Syd' as 'Nord,Syd'" in str(w) for w in d)
    back = {c.name: (c.sources, c.values) for c in project_from_folder(tmp_path / "study").cases}
    assert len(back["Nord,Syd"][0]) == 1 and back["Nord,Syd"][1] == {"Nord;Syd": "Nord;Syd"}


# ------------------------------------------------------------------------------------ round two (h16c)
def _g(i: int) -> str:
    return f"{i:08x}-0000-4000-8000-000000000000"


H_TEXT = "R: Vi spiser grød hver morgen i gården.\nR: Naboerne kommer til mødet om haven.\n"


def _h_qde(codes: str, sources: str, extra: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="H">'
            f'<Users><User guid="{_g(1)}" name="Ida"/></Users><CodeBook><Codes>{codes}</Codes></CodeBook>{extra}'
            f'<Sources>{sources}</Sources></Project>')


def _h_source(selections, guid: int = 500, path: str = "internal://s.txt") -> str:
    """A text source with one selection per (start, end, code guid, name); the name is left out when ''."""
    sels = "".join(f'<PlainTextSelection guid="{_g(600 + i)}" startPosition="{a}" endPosition="{b}"'
                   + (f' name="{name}"' if name else "") + f'><Coding guid="{_g(700 + i)}" creatingUser="{_g(1)}">'
                   f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
                   for i, (a, b, code, name) in enumerate(selections))
    return f'<TextSource guid="{_g(guid)}" name="s" plainTextPath="{path}">{sels}</TextSource>'


H_CODES = f'<Code guid="{_g(100)}" name="Mad" isCodable="true"/><Code guid="{_g(101)}" name="Have" isCodable="true"/>'


def _typed_qde() -> str:
    """Cases whose variables are typed by the QDA program: digits that are Text ('007', postcodes), an Integer, a
    Date, a type the schema does not know, and an Integer holding 'n/a'."""
    variables = [("Id", "Text", ["007", "12"]), ("Postnr", "Text", ["5000", "8000"]), ("Alder", "Integer", ["41", "7"]),
                 ("Født", "Date", ["1980-01-02", ""]), ("Farve", "Colour", ["rød", "blå"]),
                 ("Børn", "Integer", ["2", "n/a"])]
    element = {"Text": "TextValue", "Integer": "IntegerValue", "Date": "DateValue", "Colour": "TextValue"}
    decl = "".join(f'<Variable guid="{_g(300 + i)}" name="{n}" typeOfVariable="{t}"/>' for i, (n, t, _) in enumerate(variables))
    cases = ""
    for k in range(2):
        values = "".join(f'<VariableValue><VariableRef targetGUID="{_g(300 + i)}"/><{element[t]}>{vs[k]}</{element[t]}>'
                         f'</VariableValue>' for i, (_, t, vs) in enumerate(variables) if vs[k])
        cases += f'<Case guid="{_g(400 + k)}" name="Sag {k}">{values}<SourceRef targetGUID="{_g(500)}"/></Case>'
    return _h_qde(H_CODES, _h_source([(3, 17, _g(100), "")]),
                  f"<Variables>{decl}</Variables><Cases>{cases}</Cases>")


def test_an_import_export_import_round_trip_keeps_each_variable_s_type_and_value(tmp_path):
    """Exporting an imported folder inferred each variable's type again from cases.csv: the Text variable 'Id'
    ('007', '12') and the postcodes became Integer, and a QDA program showed 7. The folder keeps the types
    (variables.csv); a type the schema lacks, or an Integer holding 'n/a', becomes Text (W628), where the export
    wrote typeOfVariable="Colour" and <IntegerValue>n/a</IntegerValue>, which Project.xsd refuses."""
    from condense.errors import Diagnostics
    from condense.qdpx import import_project, project_from_folder, read_qdpx, write_qdpx

    d = Diagnostics()
    first = read_qdpx(_qdpx(tmp_path / "typed.qdpx", _typed_qde(), {"sources/s.txt": H_TEXT.encode()}), diagnostics=d)
    w628 = [w for w in d if w.code == "W628"]
    assert len(w628) == 1 and "2 variable(s)" in str(w628[0]) and "'Børn', typed Integer: the value 'n/a'" in str(w628[0])
    want = {"Id": "Text", "Postnr": "Text", "Alder": "Integer", "Født": "Date", "Farve": "Text", "Børn": "Text"}
    assert first.variables == want
    import_project(first, tmp_path / "study")
    back = project_from_folder(tmp_path / "study")
    assert back.variables == want
    exported = write_qdpx(back, tmp_path / "again.qdpx")
    with zipfile.ZipFile(exported) as z:
        root = etree.fromstring(z.read("project.qde"))
    if (REFI / "Project.xsd").exists():
        s = schema()
        assert s.validate(root), s.error_log.last_error
    again = read_qdpx(exported)
    assert again.variables == want
    values = {c.name: c.values for c in again.cases}
    assert values["Sag 0"] == {"Id": "007", "Postnr": "5000", "Alder": "41", "Født": "1980-01-02", "Farve": "rød",
                               "Børn": "2"}
    assert values["Sag 1"]["Id"] == "12" and values["Sag 1"]["Børn"] == "n/a"
    # a folder imported before variables.csv existed: digits with a leading zero are Text, not an Integer of 7
    # nor is "2024-13-45" a Date (<DateValue>2024-13-45</DateValue> made the export invalid)
    (tmp_path / "study" / "variables.csv").unlink()
    cases = tmp_path / "study" / "transcripts" / "cases.csv"
    lines = cases.read_text(encoding="utf-8").splitlines()
    cases.write_text("\n".join([lines[0] + ",Dato", lines[1] + ",2024-02-03", lines[2] + ",2024-13-45"]) + "\n",
                     encoding="utf-8")
    older = project_from_folder(tmp_path / "study")
    assert older.variables["Id"] == "Text" and older.variables["Dato"] == "Text" and older.variables["Alder"] == "Integer"
    with zipfile.ZipFile(write_qdpx(older, tmp_path / "older.qdpx")) as z:
        root = etree.fromstring(z.read("project.qde"))
    if (REFI / "Project.xsd").exists():
        assert s.validate(root), s.error_log.last_error


def test_codes_whose_names_look_the_same_are_numbered_and_named(tmp_path):
    """Two codes of different guids named "Café" composed and "Cafe\u0301" decomposed (or one name twice) stayed
    two themes of one look in every table, without a word. The second is labelled "Café (2)" (W629; a sentence
    in `codebook import`), keeps its own codings, and codes of one name under different parents are left alone."""
    from condense.errors import Diagnostics
    from condense.qdpx import read_qdpx
    from condense.refi import import_refi

    codes = (f'<Code guid="{_g(100)}" name="Café"><Code guid="{_g(110)}" name="Pris"/></Code>'
             f'<Code guid="{_g(101)}" name="Cafe\u0301"><Code guid="{_g(111)}" name="Pris"/>'
             f'<Code guid="{_g(112)}" name="Pris"/></Code>')
    path = _qdpx(tmp_path / "nfc.qdpx", _h_qde(codes, _h_source([(3, 17, _g(100), ""), (43, 51, _g(101), "")])),
                 {"sources/s.txt": H_TEXT.encode()})
    d = Diagnostics()
    project = read_qdpx(path, diagnostics=d)
    themes = project.codebook.dimensions[0].themes
    assert [t.label for t in themes] == ["Café", "Café (2)"]
    assert [s.label for s in themes[0].subthemes] == ["Pris"] and [s.label for s in themes[1].subthemes] == ["Pris", "Pris (2)"]
    w629 = [w for w in d if w.code == "W629"]
    assert len(w629) == 1 and "2 code name(s)" in str(w629[0]) and "as 'Café (2)'" in str(w629[0])
    assert sorted(project.codes[c][1] for s in project.sources for sel in s.selections for c, _ in sel.codings) == \
        sorted(t.id for t in themes)
    cb, report = import_refi(path)
    assert [t.label for t in cb.dimensions[0].themes] == ["Café", "Café (2)"]
    assert any("2 code names looking the same" in r for r in report)


def test_an_xinclude_in_a_project_or_codebook_is_refused_not_passed_over(tmp_path):
    """An <xi:include href="/etc/hostname"/> was neither processed nor reported: the project was imported as if
    it were not there. It is E601 naming the element, its target and its line."""
    from condense.errors import CondenseError
    from condense.qdpx import read_qdpx
    from condense.refi import import_refi

    xi = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/hostname" parse="text"/>'
    qdpx = _qdpx(tmp_path / "xi.qdpx", _h_qde(H_CODES, _h_source([(3, 17, _g(100), "")]), xi),
                 {"sources/s.txt": H_TEXT.encode()})
    qdc = tmp_path / "xi.qdc"
    qdc.write_text(f'<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   f'<Code guid="{_g(100)}" name="Mad" isCodable="true">{xi}</Code></Codes></CodeBook>', encoding="utf-8")
    for read, path in ((read_qdpx, qdpx), (import_refi, qdpx), (import_refi, qdc)):
        with pytest.raises(CondenseError) as caught:
            read(path)
        assert caught.value.code == "E601" and "XInclude" in str(caught.value) and "/etc/hostname" in str(caught.value)
        assert path.name in str(caught.value)


def test_case_names_of_spaces_lose_them_without_losing_a_case(tmp_path):
    """A case name is read without its outer spaces (cases.csv keeps no cell's outer spaces either): " Nord " and
    "Nord" are two cases, the second "Nord (2)" (W626). A name of spaces alone became "", and the case, its
    variables and its source's link were dropped from the study without a word; it is named by its guid."""
    from condense.errors import Diagnostics
    from condense.qdpx import import_project, project_from_folder, read_qdpx

    names = [" Nord ", "Nord", "   "]
    cases = "".join(f'<Case guid="{_g(400 + k)}" name="{n}"><SourceRef targetGUID="{_g(500)}"/></Case>'
                    for k, n in enumerate(names))
    path = _qdpx(tmp_path / "c.qdpx", _h_qde(H_CODES, _h_source([(3, 17, _g(100), "")]), f"<Cases>{cases}</Cases>"),
                 {"sources/s.txt": H_TEXT.encode()})
    d = Diagnostics()
    project = read_qdpx(path, diagnostics=d)
    assert [c.name for c in project.cases] == ["Nord", "Nord (2)", _g(402)]
    assert any(w.code == "W626" and "1 case name(s)" in str(w) for w in d)
    import_project(project, tmp_path / "study")
    back = project_from_folder(tmp_path / "study")
    assert sorted(c.name for c in back.cases) == sorted(["Nord", "Nord (2)", _g(402)])
    assert all(len(c.sources) == 1 for c in back.cases)


def test_a_qdpx_named_zip_and_a_codebook_given_as_a_project_say_what_to_do(tmp_path):
    """`condense tables study.zip` (a .qdpx renamed, or saved by a browser) said "not a project file or folder";
    `condense import qdpx codebook.qdc` said "holds no <Project>" with the fix "export the project again". Each
    names the file and the command that reads it."""
    from typer.testing import CliRunner

    from condense.cli import app

    runner = CliRunner()
    zipped = _qdpx(tmp_path / "study.zip", _h_qde(H_CODES, _h_source([(3, 17, _g(100), "")])),
                   {"sources/s.txt": H_TEXT.encode()})
    res = runner.invoke(app, ["tables", str(zipped), "--out", str(tmp_path / "t")])
    assert res.exit_code == 1 and "E401" in res.output and "a REFI-QDA project (.qdpx) named .zip" in res.output
    assert "study.qdpx" in res.output and not (tmp_path / "t").exists()
    res = runner.invoke(app, ["import", "qdpx", str(zipped), "--out", str(tmp_path / "i")])
    assert res.exit_code == 0, res.output                      # the import reads it under either name
    qdc = tmp_path / "koder.qdc"
    qdc.write_text(f'<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   f'<Code guid="{_g(100)}" name="Mad" isCodable="true"/></Codes></CodeBook>', encoding="utf-8")
    (tmp_path / "koder.qdpx").write_bytes(qdc.read_bytes())
    for given in (qdc, tmp_path / "koder.qdpx"):
        res = runner.invoke(app, ["import", "qdpx", str(given), "--out", str(tmp_path / "j")])
        assert res.exit_code == 1 and "E621" in res.output and "codebook import" in res.output, res.output
        assert "a REFI-QDA codebook" in res.output and not (tmp_path / "j").exists()
        assert "Traceback" not in res.output


def test_a_passage_coded_twice_alike_counts_once_and_two_passages_of_one_unit_lie_in_it(tmp_path):
    """A selection listed twice (same span, code and coder) was two mentions in the tables of the .qdpx and one
    decision in the imported study: it counts once, W630. Two passages of one meaning unit coded alike made two
    rows whose decision was one, and W624 counted the second row as lying in no meaning unit."""
    from condense.coded import tables_from_coded
    from condense.errors import Diagnostics
    from condense.qdpx import import_project, read_qdpx

    twice = [(3, 17, _g(100), ""), (3, 17, _g(100), ""), (3, 17, _g(101), "")]
    d = Diagnostics()
    project = read_qdpx(_qdpx(tmp_path / "twice.qdpx", _h_qde(H_CODES, _h_source(twice)), {"sources/s.txt": H_TEXT.encode()}),
                        diagnostics=d)
    assert sorted(c for sel in project.sources[0].selections for c, _ in sel.codings) == [_g(100), _g(101)]
    w630 = [w for w in d if w.code == "W630"]
    assert len(w630) == 1 and "1 coding(s)" in str(w630[0]) and "source 's', 3–17" in str(w630[0])
    result = tables_from_coded(tmp_path / "twice.qdpx", out=tmp_path / "tables")
    themes = result.tables["themes"]
    assert themes.set_index("theme_label")["n_mentions"].to_dict() == {"Mad": 1, "Have": 1}
    parts = [(3, 9, _g(100), ""), (10, 17, _g(100), "")]            # "Vi spi" and "er grød": one unit, one code
    d = Diagnostics()
    path = _qdpx(tmp_path / "parts.qdpx", _h_qde(H_CODES, _h_source(parts)), {"sources/s.txt": H_TEXT.encode()})
    counts = import_project(read_qdpx(path), tmp_path / "study", diagnostics=d)
    assert counts["codings"] == 2 and counts["decisions"] == 1 and counts["outside_units"] == 0
    assert not any(w.code == "W624" for w in d)


def _census(project) -> tuple[dict, list]:
    """Counts of a project, and each coding as (source, the text it covers, code path, coder), sorted."""
    codings = sorted((s.name, s.text[sel.start:sel.end], project.codes[c], project.user_name(u))
                     for s in project.sources for sel in s.selections for c, u in sel.codings)
    counts = {"codes": len(project.codes), "sources": sum(1 for s in project.sources if s.text.strip()),
              "codings": len(codings), "cases": len(project.cases), "users": len(set(project.users.values()) - {""})}
    return counts, codings


@needs_samples
@pytest.mark.parametrize("name, n, via_folder", [("nvivo-win-12.6_two-users_hu-youtube-comments.qdpx", 303, False),
                                                ("qc-1.3.2_demo_human-coded.qdpx", 205, True)])
def test_a_vendor_project_survives_import_export_import_with_every_coding_on_its_text(name, n, via_folder, tmp_path):
    """The census of round two, kept: a real NVivo project (offsets in UTF-16 units, CRLF as two) and a real
    QualCoder one (through the study folder: import qdpx, then export qdpx; NVivo's takes 13 s to segment, so it is
    written as read), read again, keep their codes, sources, cases, coders and every coding on the same text by the
    same coder, and the export is valid against Project.xsd, as a QDA program that checks the schema reads it."""
    from condense.qdpx import import_project, project_from_folder, read_qdpx, write_qdpx

    first = read_qdpx(SAMPLES / name)
    if via_folder:
        import_project(first, tmp_path / "study")
    exported = write_qdpx(project_from_folder(tmp_path / "study") if via_folder else first, tmp_path / "again.qdpx")
    with zipfile.ZipFile(exported) as z:
        root = etree.fromstring(z.read("project.qde"))
    s = schema()
    assert s.validate(root), s.error_log.last_error
    counts, codings = _census(first)
    assert counts["codings"] == n
    assert _census(read_qdpx(exported)) == (counts, codings)


@needs_samples
def test_every_vendor_codebook_exports_as_a_schema_valid_qdc_with_its_codes(tmp_path):
    """Each sample's codebook (six programs' files) exported as .qdc validates against Codebook.xsd and reads back
    with as many codes."""
    from condense.refi import export_qdc, import_refi

    xsd = etree.XMLSchema(etree.parse(str(REFI / "Codebook.xsd")))
    for path in sorted(SAMPLES.iterdir()):
        cb, _ = import_refi(path)
        out = export_qdc(cb, tmp_path / f"{path.stem}.qdc")
        assert xsd.validate(etree.parse(str(out))), (path.name, xsd.error_log.last_error)
        again, _ = import_refi(out)
        size = [sum(len(d.paths()) for d in c.dimensions) for c in (cb, again)]
        assert size[0] == size[1] > 0, path.name


def test_careless_sources_and_codebooks_read_right_or_are_counted(tmp_path):
    """Hostile or careless files: a UTF-16 source with CRLF (NVivo's offsets); a UTF-8 source with a BOM and CRLF
    whose ranges count characters, the BOM and each CR too; ranges reversed, negative or past the text's end (W620,
    counted); codes without a name; 'A::B' and 'B::A' (each the other's parent); 10,000 codes. Each coding lands on its text or is counted."""
    from condense.errors import Diagnostics
    from condense.qdpx import read_qdpx

    crlf = H_TEXT.replace("\n", "\r\n")
    files = {
        "utf16": ([(6, 20, _g(100), ""), (44, 52, _g(101), "")], crlf.encode("utf-16")),
        "bom_crlf_chars": ([(7, 21, _g(100), ""), (45, 53, _g(101), "")], ("\ufeff" + crlf).encode("utf-8")),
    }
    for name, (sels, data) in files.items():
        project = read_qdpx(_qdpx(tmp_path / f"{name}.qdpx", _h_qde(H_CODES, _h_source(sels)), {"sources/s.txt": data}))
        s = project.sources[0]
        assert [s.text[x.start:x.end] for x in s.selections] == ["spiser grød hv", "Naboerne"], name
    d = Diagnostics()
    bad = _h_source([(3, 17, _g(100), ""), (17, 3, _g(100), ""), (-4, 2, _g(101), ""), (50, 5000, _g(101), "")])
    project = read_qdpx(_qdpx(tmp_path / "ranges.qdpx", _h_qde(H_CODES, bad), {"sources/s.txt": H_TEXT.encode()}),
                        diagnostics=d)
    assert project.counts["selections_landed"] == 1 and project.counts["selections_lost"] == 3
    assert any(w.code == "W620" and "3 selection(s)" in str(w) for w in d)
    nameless = f'<Code guid="{_g(100)}" name="" isCodable="true"/><Code guid="{_g(101)}"/><Code guid="{_g(102)}" name="  "/>'
    project = read_qdpx(_qdpx(tmp_path / "nameless.qdpx", _h_qde(nameless, _h_source([(3, 17, _g(100), "")])),
                              {"sources/s.txt": H_TEXT.encode()}))
    themes = project.codebook.dimensions[0].themes
    assert len(themes) == 3 and len({t.label for t in themes}) == 3 and all(t.label.strip() for t in themes)
    cycle = f'<Code guid="{_g(100)}" name="A::B"/><Code guid="{_g(101)}" name="B::A"/>'  # each the other's parent
    project = read_qdpx(_qdpx(tmp_path / "cycle.qdpx", _h_qde(cycle, _h_source([(3, 17, _g(100), ""), (45, 53, _g(101), "")])),
                              {"sources/s.txt": H_TEXT.encode()}))
    assert sorted(project.codes.values()) == [("codes", "a", "b"), ("codes", "b_2", "a_2")]  # ids unique per dimension
    assert sum(len(sel.codings) for sel in project.sources[0].selections) == 2
    many = "".join(f'<Code guid="{_g(10000 + i)}" name="Kode {i}" isCodable="true"/>' for i in range(10000))
    project = read_qdpx(_qdpx(tmp_path / "many.qdpx", _h_qde(many, _h_source([(3, 17, _g(19999), "")])),
                              {"sources/s.txt": H_TEXT.encode()}))
    assert len(project.codes) == 10000 and project.codes[_g(19999)][1] == "kode_9999"


def test_reading_back_selections_named_by_their_text_squashes_each_source_once(monkeypatch):
    """Offset detection squashed the whole source text once per selection and way of counting, to ask whether a
    selection's name is source text: condense's own export names every selection by its text, and NVivo's sample,
    exported and read back, took 96 s (3.6 s now). The work is linear in the text: the letters squashed stay
    within a few times the text's length, however many selections there are."""
    from condense import qdpx

    text = "".join(f"R: Svar nummer {i} handler om maden og gården.\n" for i in range(300))
    selections = []
    for i in range(300):
        start = text.index(f"Svar nummer {i} ")
        selections.append((start, start + 20, text[start:start + 20]))
    squashed = []
    real = qdpx._squash
    monkeypatch.setattr(qdpx, "_squash", lambda s: squashed.append(len(s)) or real(s))
    how, _, placed, ok = qdpx.detect_offsets(text, selections)
    assert all(ok) and [text[a:b] for a, b in placed] == [name for _, _, name in selections]
    assert sum(squashed) < 5 * len(text)


def _in_utf16(tmp_path, name: str, part, encoding: str = "utf-16-le", declaration: str = "") -> Path:
    """The QualCoder sample with its project.qde (part "qde") or its sources' text ("txt") re-saved in UTF-16
    without a byte-order mark."""
    out = tmp_path / name
    with zipfile.ZipFile(SAMPLES / "qc-1.3.2_demo_human-coded.qdpx") as src, zipfile.ZipFile(out, "w") as z:
        for member in src.namelist():
            data = src.read(member)
            if member.endswith("." + part):
                data = (declaration + data.decode("utf-8")).encode(encoding)
            z.writestr(member, data)
    return out


def _read(path):
    from condense.qdpx import read_qdpx

    project = read_qdpx(path)
    return [(s.name, s.text, [(x.start, x.end, x.codings) for x in s.selections]) for s in project.sources]


@needs_samples
@pytest.mark.parametrize("part,encoding,declaration", [
    ("qde", "utf-16-le", ""), ("qde", "utf-16-be", ""),
    ("qde", "utf-16-le", '<?xml version="1.0" encoding="UTF-16"?>\n'),
    ("txt", "utf-16-le", ""), ("txt", "utf-16-be", "")])
def test_a_project_saved_in_utf16_without_a_byte_order_mark_is_read(tmp_path, part, encoding, declaration):
    """project.qde in UTF-16 without a BOM or declaration was E601 'Char 0x0 out of allowed range'; a source's text
    so saved was E717, whose fix (save it again from Word) a .qdpx's reader cannot follow. Both read as the UTF-8
    original is: the same texts and the same coded spans."""
    original = _read(SAMPLES / "qc-1.3.2_demo_human-coded.qdpx")
    assert _read(_in_utf16(tmp_path, "u16.qdpx", part, encoding, declaration)) == original


def test_xml_with_nul_bytes_that_cannot_be_read_says_to_save_it_in_utf8(tmp_path):
    """XML neither UTF-8 nor readable UTF-16: E601 says what encoding to save it in."""
    from condense.errors import CondenseError
    from condense.qdpx import read_qdpx

    path = tmp_path / "odd.qde"
    path.write_bytes(b"\x00\x00\x00\x00" + "<Project/>".encode("utf-16-le"))
    with pytest.raises(CondenseError) as err:
        read_qdpx(path)
    assert err.value.code == "E601" and "save or export it in UTF-8" in str(err.value)


def test_a_project_whose_text_files_are_missing_from_the_archive_is_told_so(tmp_path):
    """Sources listed, their text files not in the zip (an export copied without its sources folder): E622 said
    "a codebook-only export, or sources that are pictures, audio or PDF", blaming the wrong export. It now says
    the archive lacks the sources' text files, beside W622 naming each; nothing is written."""
    from typer.testing import CliRunner

    from condense.cli import app

    path = _qdpx(tmp_path / "no-texts.qdpx", LENIENT_QDE, {})
    res = CliRunner().invoke(app, ["import", "qdpx", str(path), "--out", str(tmp_path / "i")])
    assert res.exit_code == 1 and "E622" in res.output, res.output
    assert "lacks the text file(s) of 2 source(s)" in res.output and "codebook-only" not in res.output
    assert not (tmp_path / "i").exists()


EMOJI_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Emoji">
 <CodeBook><Codes><Code guid="C1" name="Glad 😀" isCodable="true"><Description>Når de er glade 🎉</Description></Code>
 </Codes></CodeBook>
 <Sources><TextSource guid="S1" name="have" plainTextPath="internal://s1.txt">
   <PlainTextSelection guid="A" startPosition="31" endPosition="60"><Coding guid="k1"><CodeRef targetGUID="C1"/></Coding>
   </PlainTextSelection></TextSource></Sources>
</Project>"""


def test_an_imported_emoji_label_is_written_as_the_letter_it_is(tmp_path):
    """A code named "Glad 😀" in a .qdpx was written into codebook.yaml as "Glad \\U0001F600": libyaml escapes
    every letter beyond U+FFFF whatever allow_unicode says. The codebook now holds the letters as they are, and
    reads back to the same label and description."""
    from typer.testing import CliRunner

    from condense.cli import app
    from condense.codebook import load_codebook

    qdpx = _qdpx(tmp_path / "e.qdpx", EMOJI_QDE, {
        "sources/s1.txt": "I: Hvordan gik det med haven?\nR: Vi er glade for haven og maden.\n".encode("utf-8")})
    res = CliRunner().invoke(app, ["import", "qdpx", str(qdpx), "--out", str(tmp_path / "p"), "--language", "da"])
    assert res.exit_code == 0, res.output
    text = (tmp_path / "p" / "codebook.yaml").read_text(encoding="utf-8")
    assert "Glad 😀" in text and "glade 🎉" in text and "\\U0001" not in text
    (theme,) = [t for d in load_codebook(tmp_path / "p" / "codebook.yaml").dimensions for t in d.themes]
    assert theme.label == "Glad 😀" and theme.description == "Når de er glade 🎉"
