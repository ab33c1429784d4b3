"""REFI-QDA codebook exchange: .qdc export (valid, deterministic, lossless) and lenient .qdc/.qdpx import."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import CODEBOOK_DA, CODEBOOK_EN, REFI
from condense.codebook import ID_RE, dump_codebook, load_codebook, parse_codebook
from condense.errors import CondenseError
from condense.refi import CODEBOOK_NS, PROJECT_NS, codebook_to_xml, export_qdc, import_refi

SAMPLES = REFI / "samples"
SAMPLE_FILES = sorted(p for p in SAMPLES.glob("*") if p.suffix.lower() in (".qdc", ".qdpx")) if SAMPLES.exists() else []
needs_samples = pytest.mark.skipif(not SAMPLE_FILES, reason="../shared/refi/samples is not present")


# ------------------------------------------------------------------------------------------- helpers
def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def sample_root(path: Path):
    """The XML root of a sample, read independently of condense.refi."""
    if path.suffix.lower() == ".qdpx":
        with zipfile.ZipFile(path) as zf:
            name = next(n for n in zf.namelist() if n.lower().endswith(".qde") and not n.lower().startswith("sources/"))
            data = zf.read(name)
    else:
        data = path.read_bytes()
    return etree.fromstring(data)


def sample_codes(path: Path):
    """(number of Code elements, deepest Code nesting, top-level Code elements) of a sample."""
    root = sample_root(path)
    codes = [e for e in root.iter() if local(e) == "Code"]
    holder = next(e for e in root.iter() if local(e) == "Codes")
    tops = [e for e in holder if local(e) == "Code"]

    def depth(el):
        return 1 + max((depth(c) for c in el if local(c) == "Code"), default=0)

    return len(codes), max(depth(t) for t in tops), tops


def theme_depth(theme) -> int:
    return 1 + max((theme_depth(s) for s in theme.subthemes), default=0)


def node_count(cb) -> int:
    c = cb.counts()
    return c["dimensions"] + c["themes"] + c["subthemes"]


def all_labels(cb) -> list[str]:
    return [node.label for d in cb.dimensions for node, _ in d.all_ids().values()]


def assert_valid(cb) -> None:
    """The codebook passes `condense codebook check`, dumps stably and has ASCII ids unique per dimension."""
    text = dump_codebook(cb)
    again = parse_codebook(text)
    assert dump_codebook(again) == text
    assert len({d.id for d in cb.dimensions}) == len(cb.dimensions)
    for dim in cb.dimensions:
        ids = [t.id for t in dim.themes] + [s.id for t in dim.themes for s, _ in t.walk()]
        assert len(ids) == len(set(ids))
        assert all(ID_RE.match(i) and i.isascii() for i in ids + [dim.id])


def qdc(codes_xml: str, *, ns: str | None = CODEBOOK_NS, extra: str = "") -> bytes:
    xmlns = f' xmlns="{ns}"' if ns else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook{xmlns} origin="test">'
            f"<Codes>{codes_xml}</Codes>{extra}</CodeBook>").encode("utf-8")


def qdpx(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def guid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


@pytest.fixture(scope="module")
def da():
    return load_codebook(CODEBOOK_DA)


# ------------------------------------------------------------------------------------------- export
def test_export_validates_against_codebook_xsd(da, tmp_path):
    xsd = REFI / "Codebook.xsd"
    if not xsd.exists():
        pytest.skip("../shared/refi/Codebook.xsd is not present")
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    out = export_qdc(da, tmp_path / "kodebog.qdc")
    assert out == tmp_path / "kodebog.qdc"
    doc = etree.parse(str(out))
    assert schema.validate(doc), schema.error_log
    root = doc.getroot()
    assert root.tag == f"{{{CODEBOOK_NS}}}CodeBook"
    assert root.get("origin").startswith("condense ")
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')


def test_export_code_count_and_shape(da):
    root = etree.fromstring(codebook_to_xml(da))
    codes = root.findall(f".//{{{CODEBOOK_NS}}}Code")
    assert len(codes) == node_count(da)
    tops = root.findall(f"{{{CODEBOOK_NS}}}Codes/{{{CODEBOOK_NS}}}Code")
    assert [t.get("name") for t in tops] == [d.label for d in da.dimensions]
    assert all(t.get("isCodable") == "false" for t in tops)
    assert all(c.get("isCodable") == "true" for c in codes if c not in tops)
    assert all(c.find(f"{{{CODEBOOK_NS}}}Description") is not None for c in codes)
    names = {c.get("name") for c in codes}
    assert set(all_labels(da)) <= names
    assert len({c.get("guid") for c in codes}) == len(codes)
    # the description a human reads in NVivo starts with the theme's own description
    first = da.dimensions[0].themes[0]
    desc = tops[0].find(f"{{{CODEBOOK_NS}}}Code/{{{CODEBOOK_NS}}}Description").text
    assert desc.startswith(first.description + "\n\n[condense]\n")
    assert f"id: {first.id}" in desc


def test_export_twice_gives_identical_bytes(da, tmp_path):
    a = export_qdc(da, tmp_path / "a.qdc").read_bytes()
    b = export_qdc(load_codebook(CODEBOOK_DA), tmp_path / "b.qdc").read_bytes()
    assert a == b


def test_guids_follow_the_id_path_not_the_position(da):
    import copy

    def guids(cb):
        root = etree.fromstring(codebook_to_xml(cb))
        return {c.get("name"): c.get("guid") for c in root.iter(f"{{{CODEBOOK_NS}}}Code")}

    changed = copy.deepcopy(da)
    changed.dimensions[0].themes.reverse()
    before, after = guids(da), guids(changed)
    assert before == after


# ------------------------------------------------------------------------------------------- round trip
@pytest.mark.parametrize("path", [CODEBOOK_DA, CODEBOOK_EN], ids=["da", "en"])
def test_export_then_import_gives_the_same_codebook(path, tmp_path):
    if not path.exists():
        pytest.skip(f"{path.name} is not present")
    cb = load_codebook(path)
    out = export_qdc(cb, tmp_path / "cb.qdc")
    back, not_imported = import_refi(out)
    assert dump_codebook(back) == dump_codebook(cb)
    assert not_imported == []
    assert back.language == cb.language


FULL = """\
codebook: fuld
label: Fuld kodebog – æøå
language: en
version: 2.1b
description: |
  Two lines
  of description.
author: Ane og Bo
notes: a note
dimensions:
  - id: tema
    label: Temaer
    multi_label: true
    threshold: 0.35
    top_k: 2
    themes:
      - id: Oekonomi-1
        label: "Økonomi: penge & [tid]"
        origin: emergent
        status: candidate
        description: "[condense]\\nnot a block: it is the description"
        include: 'yes: "quoted"'
        exclude: "no"
        examples: ["Det kostede 50 kr.", "123", "- dash"]
        terms: [penge, "true", "null"]
        phrases: [fra dør til dør]
        all_of: [penge tid]
        question_cues: [økonomi]
        exclude_terms: [lommepenge]
        weight: 0.5
        color: "#a1b2c3"
        memo: "husk: ring til Ole"
        subthemes:
          - id: sub
            label: Små
            origin: predefined
            color: lilla
            subthemes:
              - id: subsub
                label: Endnu mindre
                terms: [x]
                subthemes:
                  - {id: deepest, label: Dybest, terms: [y]}
  - id: tom
    label: Tom dimension
"""


def test_every_field_round_trips(tmp_path):
    cb = parse_codebook(FULL, "fuld.yaml")
    out = export_qdc(cb, tmp_path / "fuld.qdc")
    back, not_imported = import_refi(out)
    assert dump_codebook(back) == dump_codebook(cb)
    assert not_imported == []
    # a colour REFI-QDA cannot carry goes into the block; a valid one into the attribute
    root = etree.fromstring(out.read_bytes())
    colours = {c.get("name"): c.get("color") for c in root.iter(f"{{{CODEBOOK_NS}}}Code")}
    assert colours["Økonomi: penge & [tid]"] == "#a1b2c3"
    assert colours["Små"] is None


def test_own_export_inside_a_project_round_trips(da, tmp_path):
    """A project file (project namespace, any *.qde name) holding our codes imports to the same codebook."""
    text = codebook_to_xml(da).decode("utf-8").replace(CODEBOOK_NS, PROJECT_NS)
    body = text.split("?>", 1)[1]
    project = (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{PROJECT_NS}" name="Studie">'
               f'<Users><User guid="{guid(1)}" name="Ane"/></Users>{body}</Project>')
    path = qdpx(tmp_path / "studie.qdpx", {"Min Studie.QDE": project.encode("utf-8"), "sources/a.txt": b"x"})
    back, not_imported = import_refi(path)
    assert dump_codebook(back) == dump_codebook(da)
    assert not_imported == ["1 user ('Ane'): a codebook has no users"]


def test_codes_added_in_another_program_get_fresh_ids(da, tmp_path):
    """A code added beside exported ones (no [condense] block) gets a slug id that does not clash."""
    root = etree.fromstring(codebook_to_xml(da))
    dim = root.find(f"{{{CODEBOOK_NS}}}Codes/{{{CODEBOOK_NS}}}Code")
    taken = da.dimensions[0].themes[0]
    etree.SubElement(dim, f"{{{CODEBOOK_NS}}}Code", guid=guid(9), name=taken.id, isCodable="true")
    path = tmp_path / "edited.qdc"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    back, _ = import_refi(path)
    assert back.dimensions[0].themes[0].id == taken.id
    assert back.dimensions[0].themes[-1].id == f"{taken.id}_2"
    assert_valid(back)


# ------------------------------------------------------------------------------------------- vendor samples
@needs_samples
@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_vendor_sample_imports(path):
    cb, not_imported = import_refi(path)
    assert_valid(cb)
    n_codes, depth, tops = sample_codes(path)
    if all(t.get("isCodable") == "false" for t in tops):
        assert node_count(cb) == n_codes
        assert [d.label for d in cb.dimensions] == [t.get("name") for t in tops]
    else:
        assert [(d.id, d.label) for d in cb.dimensions] == [("codes", "Codes")]
        assert node_count(cb) - 1 == n_codes
        assert max(theme_depth(t) for t in cb.dimensions[0].themes) == depth or any("::" in t.get("name") for t in tops)
    assert cb.language == "en"
    assert all(isinstance(item, str) and item for item in not_imported)


@needs_samples
@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_vendor_sample_re_exports_validly_and_losslessly(path, tmp_path):
    cb, _ = import_refi(path)
    out = export_qdc(cb, tmp_path / "again.qdc")
    xsd = REFI / "Codebook.xsd"
    if xsd.exists():
        schema = etree.XMLSchema(etree.parse(str(xsd)))
        assert schema.validate(etree.parse(str(out))), schema.error_log
    back, not_imported = import_refi(out)
    assert dump_codebook(back) == dump_codebook(cb)
    assert not_imported == []


@needs_samples
def test_deepest_sample_keeps_its_depth():
    deepest = max(SAMPLE_FILES, key=lambda p: sample_codes(p)[1])
    n_codes, depth, _ = sample_codes(deepest)
    assert depth >= 7
    cb, _ = import_refi(deepest)
    assert max(theme_depth(t) for d in cb.dimensions for t in d.themes) == depth
    # the very first path down the tree keeps its labels, level by level
    root = sample_root(deepest)
    el = next(e for e in root.iter() if local(e) == "Codes")
    expected = []
    while (kids := [c for c in el if local(c) == "Code"]):
        el = kids[0]
        expected.append(el.get("name"))
    got, kids = [], cb.dimensions[0].themes
    while kids:
        got.append(kids[0].label)
        kids = kids[0].subthemes
    assert got == expected


@needs_samples
def test_parent_child_names_become_nested():
    path = SAMPLES / "spec-annexA2_atlasti8-4_no-sources.qdpx"
    if not path.exists():
        pytest.skip(f"{path.name} is not present")
    cb, not_imported = import_refi(path)
    themes = cb.dimensions[0].themes
    coke = next(t for t in themes if t.label == "Coke")
    assert [s.label for s in coke.subthemes] == ["full-fat Coke", "diet Coke"]
    assert [s.description for s in coke.subthemes] == ["aka regular", "non sucré"]
    assert coke.description == "the breakfast of champions"
    assert not any("::" in label for label in all_labels(cb))
    assert node_count(cb) - 1 == sample_codes(path)[0]
    assert "set 'Feelings' (6 codes)" in not_imported
    assert "set 'Text files' (6 sources)" in not_imported
    assert "16 codings (codes applied to passages of sources): `condense import qdpx` reads them" in not_imported
    assert any(item.startswith("2 notes") for item in not_imported)
    assert any(item.startswith("3 users") for item in not_imported)


def test_parent_child_names_with_made_up_parents(tmp_path):
    codes = "".join(f'<Code guid="{guid(i)}" name="{name}" isCodable="true"/>' for i, name in enumerate(
        ["Mad::Morgenmad::Havregryn", "Mad::Frokost", "Mad", "Drikke::Kaffe", "Løst"]))
    path = tmp_path / "atlas.qdc"
    path.write_bytes(qdc(codes))
    cb, not_imported = import_refi(path)
    assert_valid(cb)
    themes = cb.dimensions[0].themes
    assert [t.label for t in themes] == ["Mad", "Drikke", "Løst"]
    assert [s.label for s in themes[0].subthemes] == ["Morgenmad", "Frokost"]
    assert themes[0].subthemes[0].subthemes[0].label == "Havregryn"
    assert any("made up" in item and "'Morgenmad', 'Drikke'" in item for item in not_imported)


@needs_samples
def test_non_ascii_labels_are_kept_with_ascii_ids():
    path = SAMPLES / "nvivo-win-12.6_two-users_hu-youtube-comments.qdpx"
    if not path.exists():
        pytest.skip(f"{path.name} is not present")
    cb, not_imported = import_refi(path)
    by_label = {node.label: node for node, _ in cb.dimensions[0].all_ids().values()}
    assert by_label["sárga"].id == "sarga"
    assert by_label["2. Attitűd szint az oltáshoz"].id == "2_attitud_szint_az_oltashoz"
    assert by_label["HBM 1. Perceived Susceptibility – Észlelt fogékonyság"].id.isascii()
    assert "303 codings (codes applied to passages of sources): `condense import qdpx` reads them" in not_imported
    assert "2 sources (2 TextSource): `condense import qdpx` reads them, with their codings" in not_imported  # not `ingest`
    assert any("'Attituderoots' is marked not codable" in item for item in not_imported)


def test_danish_labels(tmp_path):
    codes = (f'<Code guid="{guid(1)}" name="Økonomi og ældre" isCodable="true">'
             f'<Description>Små børn på gåben</Description>'
             f'<Code guid="{guid(2)}" name="Få penge" isCodable="true"/></Code>'
             f'<Code guid="{guid(3)}" name="ØKONOMI OG ÆLDRE" isCodable="true"/>')
    path = tmp_path / "da.qdc"
    path.write_bytes(qdc(codes))
    cb, _ = import_refi(path)
    assert_valid(cb)
    t = cb.dimensions[0].themes
    assert [(x.id, x.label) for x in t] == [("oekonomi_og_aeldre", "Økonomi og ældre"),
                                            ("oekonomi_og_aeldre_2", "ØKONOMI OG ÆLDRE")]
    assert t[0].description == "Små børn på gåben"
    assert (t[0].subthemes[0].id, t[0].subthemes[0].label) == ("faa_penge", "Få penge")


@needs_samples
def test_repeated_leaf_names_get_numbered_ids():
    path = SAMPLES / "qc-1.3.2_demo_human-coded.qdpx"
    if not path.exists():
        pytest.skip(f"{path.name} is not present")
    cb, _ = import_refi(path)
    ids = list(cb.dimensions[0].all_ids())
    assert {"citizenship", "citizenship_2", "citizenship_3"} <= set(ids)
    assert "citizenship_4" not in ids
    labels = [node.label for node, _ in cb.dimensions[0].all_ids().values()]
    assert labels.count("citizenship") == 3
    again, _ = import_refi(path)
    assert list(again.dimensions[0].all_ids()) == ids


@needs_samples
def test_codebook_with_a_set_and_stale_schema_location():
    path = SAMPLES / "atlasti-win-23.4_codebook_with-set.qdc"
    if not path.exists():
        pytest.skip(f"{path.name} is not present")
    cb, not_imported = import_refi(path)
    theme = cb.dimensions[0].themes[0]
    assert (theme.id, theme.label, theme.description, theme.color) == ("code1", "code1", "description", "#46AA00")
    assert not_imported == ["set 'code group 1' (1 code)"]


# ------------------------------------------------------------------------------------------- lenient reading
def test_non_codable_top_codes_become_dimensions(tmp_path):
    codes = (f'<Code guid="{guid(1)}" name="Fase" isCodable="false" color="#ff0000">'
             f'<Description>Faserne</Description>'
             f'<Code guid="{guid(2)}" name="Start" isCodable="true"/></Code>'
             f'<Code guid="{guid(3)}" name="Deltagelse" isCodable="0">'
             f'<Code guid="{guid(4)}" name="Start" isCodable="true"/></Code>')
    path = tmp_path / "dims.qdc"
    path.write_bytes(qdc(codes))
    cb, not_imported = import_refi(path)
    assert_valid(cb)
    assert [(d.id, d.label, d.description) for d in cb.dimensions] == [
        ("fase", "Fase", "Faserne"), ("deltagelse", "Deltagelse", "")]
    assert [d.themes[0].id for d in cb.dimensions] == ["start", "start"]   # ids are unique per dimension
    assert any("#ff0000" in item for item in not_imported)


def test_no_namespace_non_guid_ids_and_code_notes(tmp_path):
    project = (
        '<?xml version="1.0"?><Project xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="urn:QDA-XML:project:0:9 Project.xsd" name="Gammel">'
        '<CodeBook><Codes>'
        '<Code guid="1" name="Alpha" isCodable="true"><NoteRef targetGUID="n1"/>'
        '<Code guid="2" name="Beta"/></Code>'
        '</Codes></CodeBook>'
        '<Notes><Note guid="n1" name="Memo"><PlainTextContent>Husk at tjekke</PlainTextContent></Note>'
        '<Note guid="n2" name="Løs note"/></Notes>'
        '<Sets><Set guid="s" name="Gruppe"><MemberCode targetGUID="1"/><MemberCode targetGUID="2"/></Set></Sets>'
        '</Project>')
    path = qdpx(tmp_path / "gammel.qdpx", {"Project.QDE": project.encode("utf-8"),
                                           "Sources/other.qde": b"<Project/>"})
    cb, not_imported = import_refi(path)
    assert_valid(cb)
    assert (cb.id, cb.label, cb.language) == ("gammel", "Gammel", "en")
    alpha = cb.dimensions[0].themes[0]
    assert (alpha.id, alpha.memo, alpha.subthemes[0].label) == ("alpha", "Husk at tjekke", "Beta")
    assert "set 'Gruppe' (2 codes)" in not_imported
    assert "1 note (memos: 'Løs note')" in not_imported


def test_codebook_namespace_inside_a_project_and_bom(tmp_path):
    body = (f'<Project xmlns="{PROJECT_NS}"><CodeBook xmlns="{CODEBOOK_NS}"><Codes>'
            f'<Code guid="{{{guid(1).upper()}}}" name="Én" isCodable="true"/></Codes></CodeBook></Project>')
    path = qdpx(tmp_path / "x.qdpx", {"project.qde": b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode()})
    cb, _ = import_refi(path)
    assert [(t.id, t.label) for t in cb.dimensions[0].themes] == [("en", "Én")]


# ------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("name, content, code, detail", [
    ("missing.qdc", None, "E601", "file not found"),
    ("notxml.qdc", b"this is not XML at all", "E601", "XML"),
    ("broken.qdc", b"<CodeBook><Codes><Code name='a'></Codes>", "E601", "XML"),
    ("notzip.qdpx", b"\x00\x01 not a zip", "E601", "zip"),
    ("truncated.qdpx", b"PK\x03\x04 truncated", "E601", "zip"),
    ("nocodes.qdc", b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', "E602", "no codebook"),
    ("empty-codes.qde", b'<Project xmlns="urn:QDA-XML:project:1.0"><CodeBook><Codes/></CodeBook></Project>',
     "E602", "no codebook"),
    ("other.xml", b"<html><body/></html>", "E602", "no codebook"),
])
def test_bad_files_raise_coded_errors(tmp_path, name, content, code, detail):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CondenseError) as err:
        import_refi(path)
    assert err.value.code == code
    assert name in str(err.value)
    assert detail in str(err.value)


def test_zip_without_project_file(tmp_path):
    path = qdpx(tmp_path / "nothing.qdpx", {"sources/a.txt": b"x", "sources/b.qde": b"<Project/>"})
    with pytest.raises(CondenseError) as err:
        import_refi(path)
    assert err.value.code == "E601"
    assert "nothing.qdpx" in str(err.value) and "project.qde" in str(err.value)


# ------------------------------------------------------------------- a .qdc where a codebook is asked for
def _long_table(path: Path) -> Path:
    """Coding done elsewhere as a long table (one row per answer × code), written here."""
    rows = ["answer,text,code",
            "a1,The lyrics remind me of driving to the coast with my brother,Lyrics",
            "a1,The lyrics remind me of driving to the coast with my brother,Memory",
            "a2,It was playing when we moved into our first flat,Memory",
            "a3,Sad words over a cheerful tune,Lyrics"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_coding_done_elsewhere_takes_the_code_tree_as_a_qdc(tmp_path):
    """An analyst regenerating tables from NVivo or ATLAS.ti has the code tree as the .qdc they exported:
    `condense tables answers.csv --codebook codes.qdc` reads it as the codebook, and the tables count the
    same as with the same tree written as YAML."""
    from condense.coded import read_coded

    cb = parse_codebook("""
version: 1
language: en
dimensions:
  - id: songs
    label: Songs
    themes:
      - id: characteristics
        label: Characteristics
        subthemes:
          - {id: lyrics, label: Lyrics}
      - id: associations
        label: Associations
        subthemes:
          - {id: memory, label: Memory}
""", "codes.yaml")
    (tmp_path / "codes.yaml").write_text(dump_codebook(cb), encoding="utf-8")
    export_qdc(cb, tmp_path / "codes.qdc")
    table = _long_table(tmp_path / "answers.csv")
    columns = "answer=unit,text=text,code=code"
    from_yaml = read_coded(table, codebook=tmp_path / "codes.yaml", columns=columns)
    from_qdc = read_coded(table, codebook=tmp_path / "codes.qdc", columns=columns)

    def applied(data):
        return sorted((c.unit_id, c.theme, c.subtheme) for c in data.codings)

    assert applied(from_qdc) == applied(from_yaml)
    assert [(u.split(":")[-1], t, s) for u, t, s in applied(from_qdc)] == [
        ("a1", "associations", "memory"), ("a1", "characteristics", "lyrics"),
        ("a2", "associations", "memory"), ("a3", "characteristics", "lyrics")]


def test_a_qdc_given_as_the_codebook_of_a_run_says_to_import_it(da, tmp_path):
    """A run codes by each theme's words, which a .qdc has none of: given as a run's codebook (or to
    `condense codebook check`) it is E212 with the import command, not E205 "expected a mapping, got str"."""
    export_qdc(da, tmp_path / "study.qdc")
    with pytest.raises(CondenseError) as err:
        load_codebook(tmp_path / "study.qdc")
    assert err.value.code == "E212"
    assert "condense codebook import" in str(err.value) and "study.qdc" in str(err.value)


def test_a_qdc_given_as_the_project_says_what_it_is(da, tmp_path):
    """`condense run codes.qdc` or `condense tables codes.qdc`: E401 saying it is a REFI-QDA codebook and how
    to use it, not "not a project file or folder"."""
    from condense.project import resolve_project

    export_qdc(da, tmp_path / "study.qdc")
    with pytest.raises(CondenseError) as err:
        resolve_project(tmp_path / "study.qdc")
    assert err.value.code == "E401" and "REFI-QDA codebook" in str(err.value)
    assert "condense codebook import" in str(err.value)
