"""Coding done elsewhere → STC tables: long tables, wide grids, an analyst's workbook (shuffle_music, read in
place from ../shared/data), mention counts at every level, codebooks with ids unique only among siblings."""
from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pytest

from conftest import SHARED

SHUFFLE = SHARED / "data" / "shuffle_music"
LONG = SHUFFLE / "shuffle_music_coded_LONG.csv"
WIDE = SHUFFLE / "shuffle_music_coded_WIDE.csv"
WORKBOOK = SHUFFLE / "QUAL THEMES_ Reorg_22.02.19.xlsx"
LONG_COLUMNS = "participant_id=interview,track_id=unit,full_response_text=text,code_level3=code,coded_text_excerpt=excerpt"
GRID_COLUMNS = "Participant Number=interview,Track ID=unit,Full Text=text"
COUNTS = ["dimension", "theme", "subtheme", "level", "n_units", "n_interviews", "n_cases", "n_mentions", "share",
          "quantifier", "unit_ids"]
needs_shuffle = pytest.mark.skipif(not WORKBOOK.exists(), reason="../shared/data/shuffle_music is absent")


@pytest.fixture(scope="session")
def shuffle():
    """The three shuffle_music inputs, each read once: the workbook builds the codebook the others use."""
    if not WORKBOOK.exists():
        pytest.skip("../shared/data/shuffle_music is absent")
    from condense.coded import read_coded

    book = read_coded(WORKBOOK, columns=GRID_COLUMNS)
    long = read_coded(LONG, columns=LONG_COLUMNS, codebook=book.codebook)
    wide = read_coded(WIDE, columns=GRID_COLUMNS, codebook=book.codebook)
    flat = read_coded(LONG, columns=LONG_COLUMNS)   # no codebook: the codes found form one
    return {"workbook": book, "long": long, "wide": wide, "flat": flat}


def counts_table(data):
    from condense.coded import hierarchy_condensation
    from condense.tables import themes_table

    cond = hierarchy_condensation(data.units, data.codings, data.codebook, drafts=False)
    return themes_table(cond, data.units, data.codebook, codings=data.codings)


def long_rows():
    with LONG.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------------------------ shuffle_music
@needs_shuffle
def test_level3_counts_equal_the_stated_counts(shuffle):
    # the data README's top ten: answers per code
    stated = {"Positive": 505, "No relationship": 403, "Artist": 344, "Musical Expressive Characteristics": 297,
              "Album": 208, "Musical Meaning": 180, "Time or Stage in Life": 163, "Lyrics": 146, "Beat": 134,
              "Genre": 126}
    for name, data in shuffle.items():
        table = counts_table(data)
        labels = {}
        for dim in data.codebook.dimensions:
            for path, node in dim.paths().items():
                labels[node.label.strip()] = path
        rows = {(r.theme + ("/" + r.subtheme if r.subtheme else "")): r for r in table.itertuples()}
        for label, n in stated.items():
            row = rows[labels[label]]
            assert (name, label, row.n_units) == (name, label, n)
            assert row.n_mentions == n          # one application per answer and code in this data


@needs_shuffle
def test_no_code_application_is_lost_between_input_and_themes(shuffle):
    rows = long_rows()
    assert len(rows) == 5417
    for name, data in shuffle.items():
        assert data.n_applications == len(rows) == len(data.codings), name
        table = counts_table(data)
        # the top-level rows of themes.csv hold every application once
        assert table[table["level"] == 1]["n_mentions"].sum() == len(rows), name
        # and each level-3 code holds exactly the input's rows of that code
        per_code = Counter(r["code_level3"].strip() for r in rows)
        leaves = {}
        for dim in data.codebook.dimensions:
            for path, node in dim.paths().items():
                if not node.subthemes:
                    leaves[path] = node.label.strip()
        got = {leaves[r.theme + ("/" + r.subtheme if r.subtheme else "")]: r.n_mentions
               for r in table.itertuples() if (r.theme + ("/" + r.subtheme if r.subtheme else "")) in leaves}
        assert got == dict(per_code), name


@needs_shuffle
def test_long_wide_and_workbook_give_the_same_theme_tables(shuffle):
    tables = {name: counts_table(shuffle[name])[COUNTS] for name in ("workbook", "long", "wide")}
    assert len(tables["workbook"]) == 4 + 2 + 14 + 74   # 4 themes + 2 codes without a group, 14 groups, 74 codes
    assert tables["long"].equals(tables["workbook"])
    assert tables["wide"].equals(tables["workbook"])
    units = {name: sorted((u.unit_id, u.text) for u in shuffle[name].units) for name in ("workbook", "long", "wide")}
    assert units["workbook"] == units["wide"]
    assert [u for u, _ in units["long"]] == [u for u, _ in units["wide"]] and len(units["long"]) == 784
    # the long file's re-hoster cut full_response_text at 1000 characters: 12 answers are shorter there
    cut = [(a, b) for (_, a), (_, b) in zip(units["long"], units["wide"]) if a != b]
    assert len(cut) == 12 and all(len(a) <= 1000 < len(b) and b.startswith(a) for a, b in cut)


@needs_shuffle
def test_higher_levels_equal_the_analysts_own_formulas(shuffle):
    """Level-2 and level-1 units equal the workbook's own cached =IF(SUM(...)) values, except on the answers
    where its 0/1 grid and its coded-text sheet disagree (we read what was coded: the text)."""
    import openpyxl

    from condense.io import workbook_reading

    with workbook_reading():
        wb = openpyxl.load_workbook(WORKBOOK, read_only=True, data_only=True)
        sheets = {ws.title.strip(): list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
        wb.close()
    text, grid = sheets["ALL_TEXT"], sheets["ALL_Level 3"]
    grid_at = {(str(r[0]), str(r[1])): dict(zip(grid[0], r)) for r in grid[1:] if r[0] is not None}
    disagree = set()
    for r in text[1:]:
        if r[0] is None:
            continue
        key = (str(r[0]), str(r[1]))
        for h, v in zip(text[0][3:], r[3:]):
            if (v is not None and str(v).strip() != "") != (grid_at[key].get(h) == 1):
                disagree.add(f"{key[0]}:{key[1]}")
    assert 0 < len(disagree) <= 6
    data = shuffle["workbook"]
    table = counts_table(data)
    by_label = {}
    for r in table.itertuples():
        label = r.subtheme_label if r.subtheme else r.theme_label
        by_label[(r.level, label.strip())] = set(r.unit_ids.split(";"))
    checked = 0
    for sheet, level in (("Level 2 Codes", 2), ("Level 1 Code", 1)):
        rows = sheets[sheet]
        for j, h in enumerate(rows[0][2:], start=2):
            theirs = {f"{r[0]}:{r[1]}" for r in rows[1:] if r[0] is not None and r[j] == 1}
            ours = by_label[(level, str(h).strip())]
            assert ours ^ theirs <= disagree, (sheet, h)
            checked += 1
            if not (ours ^ theirs):
                assert len(ours) == len(theirs)
    assert checked == 14 + 4


@needs_shuffle
def test_mentions_at_higher_levels_equal_a_direct_count(shuffle):
    data = shuffle["long"]
    table = counts_table(data)
    parent = {}
    for dim in data.codebook.dimensions:
        for path, node in dim.paths().items():
            parent[node.label.strip()] = path
    direct_units, direct_mentions = defaultdict(set), Counter()
    for r in long_rows():
        path = parent[r["code_level3"].strip()].split("/")
        for i in range(1, len(path) + 1):
            key = "/".join(path[:i])
            direct_units[key].add(f"{r['participant_id']}:{r['track_id']}")
            direct_mentions[key] += 1
    for r in table.itertuples():
        key = r.theme + ("/" + r.subtheme if r.subtheme else "")
        assert (key, r.n_units, r.n_mentions) == (key, len(direct_units[key]), direct_mentions[key])
    evaluations = table[(table["theme"] == "evaluations") & (table["level"] == 1)].iloc[0]
    assert evaluations.n_mentions > evaluations.n_units      # mentions count applications, not answers


@needs_shuffle
def test_workbook_reports_what_it_had_to_guess(shuffle):
    codes = Counter(w.code for w in shuffle["workbook"].diagnostics)
    assert codes["W612"] == 1 and codes["W613"] == 1 and codes["W614"] == 1 and codes["W610"] == 1
    messages = " ".join(w.message for w in shuffle["workbook"].diagnostics)
    assert "Negative Evaluations" in messages and "No relationship" in messages


# ------------------------------------------------------------------------------------ small inputs
@needs_shuffle
def test_an_identifier_column_is_no_code():
    """Read as they come (no --columns), the grid's "Track ID" and the uncoded sheet's "track_id" are keys,
    not codes: every one of their cells had counted as the code applied (784 units coded "track_id")."""
    from condense.coded import read_coded
    from condense.errors import CondenseError

    wide = read_coded(WIDE)
    assert {t.label for t in wide.codebook.dimensions[0].themes} >= {"Positive", "Negative"}
    assert not any("track" in c.theme for c in wide.codings)
    with pytest.raises(CondenseError) as refused:
        read_coded(SHUFFLE / "shuffle_music_unlabeled.csv")
    assert refused.value.code == "E612" and "track_id" in str(refused.value)


def test_long_table_with_code_paths_builds_a_hierarchy_and_keeps_every_application(tmp_path, write):
    from condense.coded import read_coded

    path = write("coded.csv", "unit_id,text,interview,code,coder\n"
                 "u1,We met every week.,i1,Collaboration::Collaboration,ann\n"
                 "u1,We met every week.,i1,Collaboration::Meetings,ann\n"
                 "u1,We met every week.,i1,Collaboration::Meetings,ann\n"
                 "u2,The tenants decided.,i2,Power::Collaboration,bo\n")
    data = read_coded(path)
    dim = data.codebook.dimensions[0]
    assert list(dim.paths()) == ["collaboration", "collaboration/collaboration", "collaboration/meetings", "power",
                                 "power/collaboration"]
    assert [(c.theme, c.subtheme, c.coder) for c in data.codings] == [
        ("collaboration", "collaboration", "ann"), ("collaboration", "meetings", "ann"),
        ("collaboration", "meetings", "ann"), ("power", "collaboration", "bo")]
    table = counts_table(data)
    rows = {(r.theme, r.subtheme): (r.n_units, r.n_mentions) for r in table.itertuples()}
    assert rows[("collaboration", "")] == (1, 3)
    assert rows[("collaboration", "meetings")] == (1, 2)
    assert rows[("power", "collaboration")] == (1, 1)


def test_unknown_codes_are_reported_with_did_you_mean(tmp_path, write):
    from condense.coded import read_coded
    from condense.errors import CondenseError

    cb = write("cb.yaml", "codebook: t\nlanguage: en\ndimensions:\n  - id: codes\n    themes:\n"
               "      - id: meetings\n        label: Meetings\n      - id: power\n        label: Power\n")
    path = write("coded.csv", "text,theme\nWe met.,Meetings\nThey ruled.,Powr\nAgain.,Powr\n")
    with pytest.raises(CondenseError) as err:
        read_coded(path, codebook=cb)
    assert err.value.code == "E610"
    assert "line 3" in str(err.value) and "'Powr'" in str(err.value) and "did you mean 'Power'" in str(err.value)
    assert "2 application(s)" in str(err.value)


def test_wide_grid_of_marks_and_sep(write):
    from condense.coded import read_coded

    path = write("grid.csv", "id,answer,A/x,A/y,B\n1,first answer,1,0,\n2,second answer,0,1,x\n3,,0,0,0\n")
    data = read_coded(path, columns="id=unit_id,answer=text", sep="/")
    assert sorted((c.unit_id, c.theme, c.subtheme) for c in data.codings) == [("1", "a", "x"), ("2", "a", "y"),
                                                                             ("2", "b", "")]
    assert [w.code for w in data.diagnostics] == ["W610"]      # row 3: no text, no code


def test_rows_of_text_whose_code_cell_names_no_code_are_reported(write):
    """A segment row whose code is empty, blank or a separator alone became an uncoded unit without a word, and
    the summary merely counted fewer code applications: the researcher is told how many rows and where."""
    from condense.coded import read_coded

    path = write("coded.csv", "unit_id,text,code\n"
                 "u1,We met every week.,Meetings\n"
                 "u2,They ruled.,\\\n"
                 "u3,Nobody came.,\n"
                 'u4,It rained.,"   "\n'
                 "u5,We sang.,::\n"
                 "u7,,\n"
                 "u6,We danced.,Meetings\\Dance\n")
    data = read_coded(path)
    assert sorted((c.unit_id, c.theme, c.subtheme) for c in data.codings) == [("u1", "meetings", ""),
                                                                             ("u6", "meetings", "dance")]
    assert [u.unit_id for u in data.units] == ["u1", "u2", "u3", "u4", "u5", "u6"]  # still units, as before
    warned = {w.code: str(w) for w in data.diagnostics}
    assert sorted(warned) == ["W610", "W617"]                   # line 7: no text, no code (W610 as before)
    assert "coded.csv: 4 row(s) with text name no code" in warned["W617"]
    assert "first: line 3, code '\\'" in warned["W617"]


@pytest.mark.parametrize("cell,sep,read", [("Meetings\\", None, "Meetings"), ("Meetings::", None, "Meetings"),
                                          ("Meetings/", "/", "Meetings"), ("Nodes\\Meetings\\", None, "Meetings")])
def test_a_code_path_ending_with_its_separator_is_read_as_the_theme_and_reported(write, cell, sep, read):
    """h14b: "Meetings\\" (a sub-code's name lost, or the theme itself applied) was read as the code "Meetings"
    without a word, so a unit could move up a level unseen. It is still read as the theme, and W618 names the file,
    the line and the cell; a whole path or a separator alone (W617) gives no W618."""
    from condense.coded import read_coded

    path = write("coded.csv", "unit_id,text,code\n"
                 "u1,We met every week.,Meetings/Dance\n".replace("/", sep or "\\") +
                 f"u2,We sang together.,{cell}\n"
                 f"u3,They ruled.,{sep or '::'}\n"
                 f"u4,We sang again.,{cell}\n")
    data = read_coded(path, sep=sep)
    assert sorted((c.unit_id, c.theme, c.subtheme) for c in data.codings) == [
        ("u1", "meetings", "dance"), ("u2", "meetings", ""), ("u4", "meetings", "")]
    warned = {w.code: str(w) for w in data.diagnostics}
    assert sorted(warned) == ["W617", "W618"], warned
    assert "coded.csv: 2 code path(s) end with a separator" in warned["W618"]
    assert f"first: line 3, code '{cell}' read as '{read}'" in warned["W618"], warned["W618"]


def test_a_grid_column_headed_by_a_path_ending_with_its_separator_is_reported(write):
    """The same in a wide grid's header: the column "A::" is the code A, said at line 1."""
    from condense.coded import read_coded

    path = write("grid.csv", "id,answer,A::x,A::\n1,first answer,1,0\n2,second answer,0,1\n")
    data = read_coded(path, columns="id=unit_id,answer=text")
    assert sorted((c.unit_id, c.theme, c.subtheme) for c in data.codings) == [("1", "a", "x"), ("2", "a", "")]
    (warning,) = [str(w) for w in data.diagnostics if w.code == "W618"]
    assert "grid.csv: 1 code path(s) end with a separator" in warning and "line 1, code 'A::' read as 'A'" in warning


def test_condense_tables_prints_the_warning_for_a_path_ending_with_its_separator(write, tmp_path):
    from typer.testing import CliRunner

    from condense.cli import app

    path = write("coded.csv", "Document name,Code,Segment\n"
                 "int1,Aktiviteter\\Motion,Vi gik tur hver torsdag med beboerne i parken.\n"
                 "int2,Aktiviteter\\,Vi lavede mad sammen i beboerhuset om onsdagen.\n")
    res = CliRunner().invoke(app, ["tables", str(path), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "W618" in said and "coded.csv: 1 code path(s)" in said and "line 3, code 'Aktiviteter\\'" in said, said


def test_a_coded_table_with_every_row_coded_has_no_word_about_uncoded_rows(write):
    from condense.coded import read_coded

    path = write("coded.csv", "unit_id,text,code\nu1,We met.,Meetings\nu2,Again.,Meetings\\Dance\n")
    assert [w.code for w in read_coded(path).diagnostics] == []


def test_invisible_characters_copied_into_a_coded_table_split_no_code_and_are_reported(write):
    """A zero-width space or a right-to-left mark pasted in from a word processor is invisible in a spreadsheet:
    the code it sits in must still be the same code, the text read as it looks, and the user told where."""
    from condense.coded import read_coded

    path = write("coded.csv", "unit_id,text,code\n"
                 "u1,We met every week.,Meetings\n"
                 "u2,The tenants de\u200bcided.,Meetings\u200b\n"
                 "u3,They ruled.,\u202ePower\n")
    data = read_coded(path)
    dim = data.codebook.dimensions[0]
    assert [t.label for t in dim.themes] == ["Meetings", "Power"]
    assert [(c.unit_id, c.theme) for c in data.codings] == [("u1", "meetings"), ("u2", "meetings"), ("u3", "power")]
    assert [u.text for u in data.units][1] == "The tenants decided."
    warning = [w for w in data.diagnostics if w.code == "W111"]
    assert len(warning) == 1
    assert "coded.csv" in str(warning[0]) and "row 3" in str(warning[0]) and "3 invisible" in str(warning[0])
    assert "U+200B" in str(warning[0])


def test_a_case_named_with_a_right_to_left_override_loses_it_as_the_other_cells_do(write):
    """W111 said the table's invisible characters were removed, but the case column kept them: a case named
    "Nord \u202egnp.exe" reached units.csv, segments.csv and report.html displaying as "Nord exe.png"."""
    from condense.coded import read_coded

    path = write("coded.csv", "unit_id,text,code,case\n"
                 "u1,We met every week.,Meetings,Nord \u202egnp.exe\n"
                 "u2,They ruled.,Power,Syd\u200b;Nord \u202egnp.exe\n")
    data = read_coded(path)
    assert [u.cases for u in data.units] == [["Nord gnp.exe"], ["Syd", "Nord gnp.exe"]]
    assert [w.code for w in data.diagnostics].count("W111") == 1


def test_bad_columns_spec_is_a_coded_error(write):
    from condense.coded import read_coded
    from condense.errors import CondenseError

    path = write("grid.csv", "text,a\nx,1\n")
    with pytest.raises(CondenseError) as err:
        read_coded(path, columns="text=txt")
    assert err.value.code == "E613" and "did you mean 'text'" in str(err.value)


def test_codebook_ids_unique_within_parent_only(tmp_path):
    from condense.codebook import parse_codebook
    from condense.errors import CondenseErrors

    text = """codebook: t
language: en
dimensions:
  - id: codes
    themes:
      - id: collaboration
        subthemes:
          - id: collaboration
          - id: meetings
      - id: power
        subthemes:
          - id: meetings
            subthemes:
              - id: weekly
"""
    cb = parse_codebook(text, "t.yaml")
    dim = cb.dimension("codes")
    assert list(dim.paths()) == ["collaboration", "collaboration/collaboration", "collaboration/meetings", "power",
                                 "power/meetings", "power/meetings/weekly"]
    assert dim.theme("power").resolve("meetings/weekly")[0] == "meetings/weekly"
    assert dim.theme("power").resolve("weekly")[0] == "meetings/weekly"
    with pytest.raises(CondenseErrors) as err:
        parse_codebook(text.replace("          - id: meetings\n            subthemes", "          - id: meetings\n"
                                    "          - id: meetings\n            subthemes"), "t.yaml")
    assert err.value.errors[0].code == "E204"


@pytest.mark.filterwarnings("error::UserWarning")  # e.g. matplotlib on a figure whose scale is 0
def test_tables_cli_on_coded_table(tmp_path, write):
    from typer.testing import CliRunner

    from condense.cli import app

    path = write("coded.csv", "unit_id,text,interview,theme,subtheme\n"
                 "u1,We met every week in the yard and talked about the plan for the houses.,i1,Collaboration,Meetings\n"
                 "u1,We met every week in the yard and talked about the plan for the houses.,i1,Collaboration,Trust\n"
                 "u2,The tenants decided on the playground themselves after a long meeting.,i2,Power,\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["tables", str(path), "--out", str(out)])
    assert res.exit_code == 0, res.output
    import pandas as pd

    themes = pd.read_csv(out / "themes.csv", keep_default_na=False)
    assert list(themes["n_mentions"]) == [2, 1, 1, 1]
    assert list(themes["subtheme"]) == ["", "meetings", "trust", ""]
    assert (out / "codebook.yaml").exists() and (out / "results.xlsx").exists() and (out / "report.md").exists()
    bad = CliRunner().invoke(app, ["tables", str(path), "--out", str(tmp_path / "o2"), "--columns", "text=nope"])
    assert bad.exit_code == 1 and "E613" in bad.output and "Traceback" not in bad.output


def test_tables_from_coded_data_choose_drafts_and_quotes_from_each_nodes_own_units(tmp_path, write):
    # regression: after drafts and quotes moved into condensation.assign_quotes, coded data's theme tables
    # (and the condensate notes of a .qdpx export) came out with empty draft and quote columns
    from condense.coded import coded_result, read_coded

    speech = {
        "u1": "We met every week in the yard and talked about the plan for the houses and the new playground.",
        "u2": "The tenants decided on the playground themselves after a long meeting in the common house.",
        "u3": "Every Tuesday we walked together around the lake, and more neighbours joined us each month.",
    }
    rows = ["unit_id,text,interview,theme,subtheme",
            f'u1,"{speech["u1"]}",i1,Collaboration,Meetings',
            f'u2,"{speech["u2"]}",i2,Collaboration,Meetings',
            f'u3,"{speech["u3"]}",i3,Activities,Walking']
    data = read_coded(write("coded.csv", "\n".join(rows) + "\n"))
    themes = coded_result(data).tables["themes"]
    assert len(themes) == 4
    for row in themes.itertuples():
        assert row.condensate.startswith("[DRAFT]"), row
        if row.golden_quote:
            assert row.golden_unit_id in row.unit_ids.split(";"), row
            assert row.golden_quote in speech[row.golden_unit_id], row
    # no unit is quoted on two rows; a row goes without a quote only when every unit of it is quoted elsewhere
    quoted = [u for u in themes.golden_unit_id if u]
    assert len(quoted) == len(set(quoted)) == 3
    for row in themes.itertuples():
        assert row.golden_quote or set(row.unit_ids.split(";")) <= set(quoted), row


def _withdrawn_table(path):
    rows = [["participant_id", "full_response_text", "code", "coded_text_excerpt"]]
    answer = ("Jeg kan godt lide haven. [[withdrawn]]Min nabo Jørgen Sørensen drikker hver dag.[[/withdrawn]] "
              "Vi mødes om torsdagen {}.")
    for i in range(4):
        rows.append([str(i), answer.format(i), "Have", "Jeg kan godt lide haven"])
        rows.append([str(i), answer.format(i), "Alkohol", "Min nabo Jørgen Sørensen drikker hver dag"])
    rows.append(["9", "[[withdrawn]]Alt det her om Sørensen vil jeg ikke have med.[[/withdrawn]]", "Alkohol", ""])
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def test_withdrawn_passages_in_coding_done_elsewhere_reach_no_output(tmp_path):
    """Text coded in another tool keeps the study's [[withdrawn]] markers: the passages were written into every
    table, the report and the workbook. Now they are left out of units and excerpts, an answer wholly withdrawn
    and a code applied to withdrawn words are dropped (W615), the report counts the passages, and the
    consent audit checks every byte before the folder moves into place."""
    import zipfile

    from condense.coded import tables_from_coded

    out = tmp_path / "out"
    result = tables_from_coded(_withdrawn_table(tmp_path / "long.csv"), out)
    assert [w.code for w in result.diagnostics] == ["W615"]
    assert {c.theme for c in result.codings} == {"have"} and len(result.codings) == 4
    assert {u.transcript for u in result.coded.units} == {"0", "1", "2", "3"}
    assert result.audit and "withdrawn" in result.audit["summary"]
    for f in out.rglob("*"):
        if not f.is_file():
            continue
        blobs = [zipfile.ZipFile(f).read(n) for n in zipfile.ZipFile(f).namelist()] if f.suffix == ".xlsx" else [f.read_bytes()]
        for blob in blobs:
            assert b"S\xc3\xb8rensen" not in blob and b"drikker" not in blob, f
    # the report counts every passage, respondent 9's too (who withdrew their one answer and is shown nowhere);
    # the answers are Danish, so the report is
    assert "5 tilbagetrukne" in (out / "report.md").read_text(encoding="utf-8")


def test_the_audit_of_coded_tables_refuses_a_leak(tmp_path, monkeypatch):
    """The audit is armed: a table that still carried a withdrawn word is refused, and nothing is written."""
    from condense import coded
    from condense.errors import CondenseError

    real = coded.coded_result

    def leaky(data, **kw):
        result = real(data, **kw)
        result.tables["units"].loc[0, "text"] = "Jørgen Sørensen drikker hver dag"
        return result

    monkeypatch.setattr(coded, "coded_result", leaky)
    with pytest.raises(CondenseError):
        coded.tables_from_coded(_withdrawn_table(tmp_path / "long.csv"), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_condense_audit_checks_tables_against_the_coded_file(tmp_path):
    """`condense audit RESULTS --project coded.csv` re-checks tables made by `condense tables` (it refused the
    file as 'coded data, not a project'): clean tables pass, a withdrawn sentence put back is found, and
    tables made from another file are refused (E832)."""
    from typer.testing import CliRunner

    from condense.cli import app
    from condense.coded import tables_from_coded

    coded_file, out = _withdrawn_table(tmp_path / "long.csv"), tmp_path / "out"
    tables_from_coded(coded_file, out)
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", str(out), "--project", str(coded_file)])
    assert ok.exit_code == 0 and "Consent audit passed" in ok.output
    units = out / "units.csv"
    units.write_text(units.read_text(encoding="utf-8-sig").replace(
        "Jeg kan godt lide haven", "Min nabo Jørgen Sørensen drikker hver dag", 1), encoding="utf-8")
    leak = runner.invoke(app, ["audit", str(out), "--project", str(coded_file)])
    assert leak.exit_code == 1 and "E830" in leak.output and "units.csv" in leak.output
    other = tmp_path / "other.csv"
    other.write_text("participant_id,full_response_text,code\n1,Et helt andet svar om haven.,Have\n", encoding="utf-8")
    wrong = runner.invoke(app, ["audit", str(out), "--project", str(other)])
    assert wrong.exit_code == 1 and "E832" in wrong.output


def test_a_pseudonym_list_beside_coded_data_names_nobody_in_the_tables(tmp_path):
    """MAXQDA's and NVivo's documents are often named after the person interviewed. A pseudonyms.csv beside the
    coded file replaces every listed name as in a run: the interviews, unit ids (a report link spelled
    "Karina%20Holst" too), text and excerpts; the audit looks for the names, and `condense audit` too."""
    from typer.testing import CliRunner

    from condense.cli import app
    from condense.coded import tables_from_coded
    from test_consent import output_text

    coded_file = tmp_path / "coded.csv"
    with coded_file.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Document name", "Code", "Segment"])
        w.writerow(["Karina Holst", "Gåklub", "Vi gik tur hver torsdag, og Karina Holst tog kaffe med til alle."])
        w.writerow(["Karina Holst", "Evaluering", "Vi talte deltagerne hver gang og skrev det ned i en bog."])
        w.writerow(["Lars Berg", "Gåklub", "Gåklubben var god, og Karina kom også nogle gange fra den anden plan."])
        w.writerow(["Lars Berg", "Evaluering", "Evalueringen var et spørgeskema til alle beboerne bagefter."])
    (tmp_path / "pseudonyms.csv").write_text("real,pseudonym,kind\nKarina Holst,Maja Lund,person\nKarina,Maja,person\n"
                                             "Lars Berg,Per Hald,person\n", encoding="utf-8")
    out = tmp_path / "out"
    result = tables_from_coded(coded_file, out)
    text = output_text(out)
    for name in ("karina", "holst", "lars", "berg"):
        assert name not in text.casefold(), name
    assert {"Maja Lund", "Per Hald"} <= set(result.tables["units"].transcript)
    assert "og Maja Lund tog kaffe" in text and "Maja kom også" in text
    assert result.audit and "listed real name" in result.audit["summary"]
    themes = out / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8-sig") + "note,Karina Holst sagde det\n", encoding="utf-8")
    leak = CliRunner().invoke(app, ["audit", str(out), "--project", str(coded_file)])
    assert leak.exit_code == 1 and "E830" in leak.output and "a listed real name (11 letters" in leak.output, leak.output
    assert "karina" not in leak.output.casefold()  # found, not quoted: the console goes into logs and notebooks


def test_coding_done_elsewhere_is_quoted_from_the_passage_the_coder_marked(tmp_path):
    """An answer coded Negative for its last sentence was quoted by its first, praising one ("It's a band whose
    music I like …", shuffle_music): the quote of a row comes from what the coder marked for it."""
    from condense.coded import tables_from_coded

    rows = [["participant_id", "full_response_text", "code", "coded_text_excerpt"]]
    answers = [
        ("It is a band whose music I like and the song is quite upbeat and catchy. "
         "Still, I would not pick it out myself if I could choose another song.",
         "I would not pick it out myself if I could choose another song"),
        ("The song has a lovely melody that I really enjoy when I am out running. "
         "But honestly it gets a bit boring after the third time in a row.",
         "it gets a bit boring after the third time"),
        ("My sister played this song at her wedding and everyone danced to it all night. "
         "Now the chorus annoys me, it is played far too often on the radio.",
         "the chorus annoys me"),
    ]
    for i, (text, excerpt) in enumerate(answers):
        rows.append([str(i), text, "Negative", excerpt])
        rows.append([str(i), text, "Positive", text.split(". ")[0]])
    path = tmp_path / "long.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    result = tables_from_coded(path, tmp_path / "out")
    quotes = {r.theme: r.golden_quote for r in result.tables["themes"].itertuples()}
    negative = [a[0].split(". ")[1] for a in answers]
    positive = [a[0].split(". ")[0] + "." for a in answers]
    assert quotes["negative"] in negative, quotes
    assert quotes["positive"] in positive, quotes


def test_a_row_whose_marked_passages_hold_no_quotable_sentence_run_is_quoted_by_one_of_them(tmp_path):
    """Survey answers are often written without a full stop: no passage coded Background was a quotable run of
    sentences, so the row had no quote (shuffle_music's Accompaniment and Sleeping). A marked passage is quoted as
    it stands when it reads as a quote (12–60 words, opening a sentence, ending one or ending the answer); one
    too short ("It's a great track for background music.", 7 words) or stopping mid-answer is not."""
    from condense.coded import tables_from_coded
    from condense.quotes import quote_problems

    whole = "It is a calm and relaxing song which is nice to have on in the background whilst I cook dinner"
    rows = [["participant_id", "full_response_text", "code", "coded_text_excerpt"]]
    answers = [("Easy listening. It's a great track for background music.", "It's a great track for background music."),
               ("Feeling relaxed " + whole, whole),
               ("I put it on when the house is quiet and I read a book for an hour or so and it helps and more",
                "I put it on when the house is quiet and I read a book for an hour or so")]
    for i, (text, excerpt) in enumerate(answers):
        rows.append([str(i), text, "Background", excerpt])
    path = tmp_path / "long.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    result = tables_from_coded(path, tmp_path / "out")
    row = result.tables["themes"].set_index("theme").loc["background"]
    assert row.golden_quote == whole and not row.runner_up_quote
    assert quote_problems(row.golden_quote, "Feeling relaxed " + whole, "en") == ["no terminal punctuation"]


def test_coded_segments_as_maxqda_and_nvivo_export_them(tmp_path):
    """A MAXQDA "Coded segments" export (Document name; Code 'Parent\\Child'; Segment; Created by) was read as
    one interview (its document column unknown), each code path one flat theme, and its Danish text given
    English table words ("all", "most"). Now: a unit per segment in its document, the path as theme and
    sub-theme (NVivo's 'Nodes\\' root dropped), the table words in the text's language."""
    from condense.coded import tables_from_coded

    rows = [("Interview 1", "Aktiviteter\\Fællesspisning", "Vi startede fællesspisning hver torsdag i beboerhuset, og der kom mange familier."),
            ("Interview 1", "Rekruttering", "Vi gik fra dør til dør med sedler, og det var det, der virkede bedst i starten."),
            ("Interview 2", "Nodes\\Aktiviteter\\Motion", "Gåklubben mødtes hver mandag, og det var mest ældre kvinder, der kom."),
            ("Interview 2", "Rekruttering", "Det var naboerne, der fortalte hinanden om det, ikke opslagene i opgangen."),
            ("Interview 3", "Aktiviteter\\Motion", "Vi havde fodbold for de unge om fredagen i hallen, og det blev ved.")]
    path = tmp_path / "coded_segments.csv"
    lines = ["Color;Document group;Document name;Code;Begin;End;Segment;Created by"]
    lines += [f"#ff0000;;{d};{c};{i};{i + 1};{s};AB" for i, (d, c, s) in enumerate(rows, start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    result = tables_from_coded(path)
    themes = result.tables["themes"]
    top = themes[themes.level == 1].set_index("theme_label")
    assert top.loc["Aktiviteter", "n_interviews"] == 3 and top.loc["Rekruttering", "n_interviews"] == 2
    assert set(themes[themes.level == 2].subtheme_label) == {"Fællesspisning", "Motion"}
    assert result.coded.codebook.language == "da" and top.loc["Aktiviteter", "quantifier"] == "samtlige"
    assert {c.coder for c in result.codings} == {"AB"}


def test_coded_segments_without_their_full_text_are_their_own_units(tmp_path):
    """QualCoder's coded-text export (File, Codename, Coded text) has no full-text column: it was refused with
    E611 although every segment is there to count."""
    from condense.coded import tables_from_coded

    path = tmp_path / "qualcoder.csv"
    path.write_text("File,Codename,Coded text,Coder\nint1.txt,Mad,Vi lavede mad sammen hver torsdag.,AB\n"
                    "int2.txt,Mad,Fællesspisningen var det bedste ved projektet.,AB\n"
                    "int2.txt,Motion,Vi gik en tur hver mandag rundt om søen.,AB\n", encoding="utf-8")
    result = tables_from_coded(path)
    assert sorted(u.text for u in result.coded.units)[0] == "Fællesspisningen var det bedste ved projektet."
    top = result.tables["themes"].set_index("theme_label")
    assert top.loc["Mad", "n_interviews"] == 2 and top.loc["Motion", "n_units"] == 1


def test_a_code_cell_listing_several_codes_one_per_line_is_several_codings(tmp_path):
    """ATLAS.ti lists a quotation's codes one per line in its Codes cell: read as one, "Mad\\nMotion" became one
    code "Mad Motion" that no researcher made."""
    import openpyxl

    from condense.coded import tables_from_coded

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Document", "Quotation Content", "Codes"])
    ws.append(["1:1", "Interview 1", "Vi lavede mad sammen hver torsdag, og bagefter gik vi en tur.", "Mad\nMotion"])
    ws.append(["2:1", "Interview 2", "Fællesspisningen var det bedste ved hele projektet.", "Mad"])
    wb.save(tmp_path / "quotations.xlsx")
    result = tables_from_coded(tmp_path / "quotations.xlsx")
    assert sorted(c.theme for c in result.codings) == ["mad", "mad", "motion"]
    assert result.coded.n_applications == 3


def _analyst_workbook(path, *, sheet_xml_edit=None):
    """A small analyst's workbook written here: a 0/1 grid of two codes and a sheet summing them into a group;
    ``sheet_xml_edit`` rewrites the grid sheet's XML as another program might have saved it."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    grid = wb.active
    grid.title = "Codes"
    grid.append(["Participant", "Answer", "Calm", "Restless"])
    grid.append(["p1", "The song made me calm, like a slow evening by the sea", 1, 0])
    grid.append(["p2", "It made me restless and I wanted to skip it", 0, 1])
    grid.append(["p3", "Calm at first and then restless towards the end", 1, 1])
    groups = wb.create_sheet("Groups")
    groups.append(["Participant", "Moods"])
    for r in range(2, 5):
        groups.append([f"=Codes!A{r}", f"=SUM(Codes!C{r}:D{r})"])
    plain = path.with_name("plain.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and sheet_xml_edit:
                data = sheet_xml_edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    return path


def _workbook_with_hidden(path, *, old_copy: bool = False, hide: tuple[str, ...] = ()):
    """An analyst's workbook (a 0/1 grid "Codes" summed into "Groups"), with an older copy of both kept first and
    hidden ("OldCodes", where the second code was still "Tense" and every answer calm, and "OldGroups"), and the
    sheets named in ``hide`` hidden."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    answers = ["The song made me calm, like a slow evening by the sea", "It made me restless and I wanted to skip it",
               "Calm at first and then restless towards the end"]
    books = [("OldCodes", "OldGroups", "Tense", [(1, 0), (1, 0), (1, 0)])] if old_copy else []
    for grid_name, group_name, second, marks in books + [("Codes", "Groups", "Restless", [(1, 0), (0, 1), (1, 1)])]:
        grid = wb.create_sheet(grid_name)
        grid.append(["Participant", "Answer", "Calm", second])
        for i, (answer, (calm, restless)) in enumerate(zip(answers, marks), start=1):
            grid.append([f"p{i}", answer, calm, restless])
        groups = wb.create_sheet(group_name)
        groups.append(["Participant", "Moods"])
        for r in range(2, 5):
            groups.append([f"={grid_name}!A{r}", f"=SUM({grid_name}!C{r}:D{r})"])
        if old_copy and grid_name == "OldCodes":
            grid.sheet_state = groups.sheet_state = "hidden"
    for name in hide:
        wb[name].sheet_state = "hidden"
    wb.save(path)
    return path


def test_a_hidden_old_copy_of_a_workbooks_grid_is_not_read_and_is_named(tmp_path):
    """h14b: an analyst's formula workbook was read from every sheet, hidden or not, and the first grid in the
    workbook gave the codes: an old copy kept hidden before the current one was read instead of what the analyst
    sees (here: the old code "Tense" and every answer calm), without a word. Other workbooks are read from their
    first visible sheet."""
    from condense.coded import read_coded

    path = _workbook_with_hidden(tmp_path / "moods.xlsx", old_copy=True)
    data = read_coded(path, columns="Participant=interview,Answer=text")
    assert sorted((c.unit_id.split(":")[0], c.subtheme) for c in data.codings) == [
        ("p1", "calm"), ("p2", "restless"), ("p3", "calm"), ("p3", "restless")]
    assert {s.label for d in data.codebook.dimensions for t in d.themes for s in t.subthemes} == {"Calm", "Restless"}
    (warning,) = [str(w) for w in data.diagnostics if w.code == "W619"]
    assert "moods.xlsx: 2 hidden sheet(s)" in warning and "'OldCodes', 'OldGroups'" in warning, warning


@pytest.mark.parametrize("hide", [("Codes",), ("Groups",)], ids=["grid-hidden", "sums-hidden"])
def test_a_hidden_sheet_the_visible_ones_are_summed_from_or_into_is_still_read(tmp_path, hide):
    """The other side: a hidden grid that the visible level sheet sums, or a hidden sheet of sums over the visible
    grid, is part of what the user sees, and is read as before with no note."""
    from condense.coded import read_coded

    path = _workbook_with_hidden(tmp_path / "moods.xlsx", hide=hide)
    data = read_coded(path, columns="Participant=interview,Answer=text")
    assert sorted(c.subtheme for c in data.codings) == ["calm", "calm", "restless", "restless"]
    assert {t.label for d in data.codebook.dimensions for t in d.themes} == {"Moods"}
    assert not [w for w in data.diagnostics if w.code == "W619"]


def test_a_workbook_with_extensions_openpyxl_does_not_know_is_read_without_a_python_warning(tmp_path, capfd):
    """Excel saves features openpyxl does not model (x14 extensions: sparklines, slicers, newer data
    validation) in <extLst>; openpyxl then warns "Unknown extension is not supported and will be removed",
    a Python warning with its source path that tells a researcher their file will lose something. condense
    only reads the workbook, so nothing is removed and nothing is printed; the workbook reads as before."""
    import warnings

    from condense.coded import read_coded

    ext = ('<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
           'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:sparklineGroups/>'
           '</ext></extLst></worksheet>')
    path = _analyst_workbook(tmp_path / "moods.xlsx", sheet_xml_edit=lambda xml: xml.replace("</worksheet>", ext))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = read_coded(path, columns="Participant=interview,Answer=text")
    assert [str(w.message) for w in caught] == []
    assert sorted(c.subtheme for c in data.codings) == ["calm", "calm", "restless", "restless"]
    assert {t.label for d in data.codebook.dimensions for t in d.themes} == {"Moods"}


def test_a_workbook_whose_sheet_cannot_be_parsed_is_refused_naming_it(tmp_path):
    """A grid sheet that breaks while its rows are read (openpyxl reads a read-only sheet lazily) is E503
    naming the file, not a traceback."""
    from condense.coded import read_coded
    from condense.errors import CondenseError

    path = _analyst_workbook(tmp_path / "moods.xlsx",
                             sheet_xml_edit=lambda xml: xml.replace("</sheetData>", '<row r="9"><c r="A9" t="n"><v>x</v></c></row></sheetData>'))
    with pytest.raises(CondenseError) as err:
        read_coded(path, columns="Participant=interview,Answer=text")
    assert err.value.code == "E503" and "moods.xlsx" in str(err.value)


def _segments_workbook(path, edit):
    """A coded-segments export as MAXQDA writes it, built here; ``edit(wb, ws)`` alters it as a user might."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Coded segments"
    ws.append(["Document name", "Code", "Segment"])
    ws.append(["Anna", "Mad\\Fællesspisning", "Vi spiste sammen i beboerhuset hver fredag."])
    ws.append([None, "Motion\\Gåture", "Om søndagen gik vi en lang tur rundt om søen."])
    ws.append(["Bent", "Mad\\Fællesspisning", "Maden var billig, så alle kunne være med."])
    ws.append([None, "Motion\\Gåture", "Jeg gik kun med, når vejret var godt."])
    edit(wb, ws)
    wb.save(path)
    return path


def test_a_document_name_merged_down_its_segments_names_every_segment(tmp_path):
    """A user tidies a segments export by merging each document's name down its rows: Excel shows the name
    beside every segment but stores it in the top cell only. Read as stored, the second segment of each
    interview went to an interview named after the file."""
    from condense.coded import read_coded

    path = _segments_workbook(tmp_path / "segments.xlsx", lambda wb, ws: (ws.merge_cells("A2:A3"),
                                                                          ws.merge_cells("A4:A5")))
    data = read_coded(path)
    assert [u.transcript for u in data.units] == ["Anna", "Anna", "Bent", "Bent"]
    assert data.n_applications == 4


def test_a_merged_cell_across_columns_is_not_copied_into_the_next_column(tmp_path):
    """A segment merged across Segment and a note column holds its text in the first column only: copying it
    would make the note column say the segment again."""
    from condense.io import read_table

    def edit(wb, ws):
        ws["A3"], ws["A5"], ws["D1"] = "Anna", "Bent", "Note"
        ws.merge_cells("C2:D2")

    header, rows = read_table(_segments_workbook(tmp_path / "segments.xlsx", edit))
    assert rows[0][1]["Segment"].startswith("Vi spiste") and rows[0][1]["Note"] == ""


def test_a_hidden_first_sheet_is_not_read_in_place_of_the_visible_table(tmp_path):
    """A workbook whose first sheet is hidden (drop-down lists, an old version kept out of sight) shows the
    user its table; condense read the hidden sheet and refused the file for want of a text column (E611)."""
    from condense.coded import read_coded

    def edit(wb, ws):
        ws["A3"], ws["A5"] = "Anna", "Bent"
        hidden = wb.create_sheet("Lister", 0)
        hidden.append(["valg"])
        hidden.append(["ja"])
        hidden.sheet_state = "hidden"

    data = read_coded(_segments_workbook(tmp_path / "segments.xlsx", edit))
    assert sorted(c.theme for c in data.codings) == ["mad", "mad", "motion", "motion"]


def test_a_code_typed_as_a_formula_without_a_saved_value_is_reported(tmp_path):
    """A code cell a script wrote as a formula has no saved value; it is read as the formula's text, and the
    user must be told (W112), as a transcript table tells them."""
    from condense.coded import read_coded

    def edit(wb, ws):
        ws["A3"], ws["A5"] = "Anna", "Bent"
        ws["B2"] = '=UPPER("mad")'

    data = read_coded(_segments_workbook(tmp_path / "segments.xlsx", edit))
    warning = [w for w in data.diagnostics if w.code == "W112"]
    assert len(warning) == 1 and "segments.xlsx" in str(warning[0]) and "row 2" in str(warning[0])


def test_codes_spelt_with_other_capitals_are_one_code_and_the_user_is_told(write):
    """"Mænd" and "mænd" are read as one code, as they almost always are one code typed twice; but a QDA program
    may hold them as two, so the merge is reported (W616) with the first line. A trailing space is no other
    spelling and is not reported."""
    from condense.coded import read_coded

    path = write("segments.csv", "Document name,Code,Segment\n"
                 "Anna,Mål\\Mænd,Vi fik fat i mændene via fiskeklubben.\n"
                 "Anna,Mål\\Mænd ,Mændene kom til petanque om torsdagen.\n"
                 "Bent,mål\\mænd,Ingen mænd kom til madklubben.\n")
    data = read_coded(path)
    assert len({(c.theme, c.subtheme) for c in data.codings}) == 1 and data.n_applications == 3
    (warning,) = [w for w in data.diagnostics if w.code == "W616"]
    assert "segments.csv, line 4: 2 code name(s)" in str(warning) and "'mål' as 'Mål'" in str(warning)


def test_a_pseudonym_list_beside_coded_data_saved_as_windows_1252_warns_w101(tmp_path):
    """The pseudonyms.csv beside a coded file was read with no diagnostics to warn in: one Danish Excel saved as
    Windows-1252 was decoded right, but without the W101 every other file read in a guessed encoding gives (h13a)."""
    from typer.testing import CliRunner

    from condense.cli import app

    coded_file = tmp_path / "coded.csv"
    coded_file.write_text("Document name,Code,Segment\n"
                          "Søren Ærø,Gåklub,\"Vi gik tur hver torsdag, og Søren Ærø tog kaffe med til alle.\"\n"
                          "Lars Berg,Evaluering,Vi talte deltagerne hver gang og skrev det ned i en bog.\n",
                          encoding="utf-8")
    (tmp_path / "pseudonyms.csv").write_bytes("real,pseudonym,kind\nSøren Ærø,Maja Lund,person\n"
                                              "Lars Berg,Per Hald,person\n".encode("cp1252"))
    res = CliRunner().invoke(app, ["tables", str(coded_file), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert any("pseudonyms.csv" in line for line in res.output.splitlines() if "W101" in line), res.output
    assert "Maja Lund" in (tmp_path / "out" / "units.csv").read_text(encoding="utf-8-sig")


def test_condense_own_codings_file_is_named_with_the_command_that_reads_it(sample_run):
    """`condense tables results/codings.csv`: the run's codings name units, not texts, and E611 told the user to map a
    text column the file does not have. The fix names `--codings` with a project, and segments.csv."""
    from condense.coded import read_coded
    from condense.errors import CondenseError

    _, out = sample_run
    with pytest.raises(CondenseError) as err:
        read_coded(out / "codings.csv")
    assert err.value.code == "E611"
    assert f"--codings {out / 'codings.csv'}" in err.value.fix and "segments.csv" in err.value.fix
    assert read_coded(out / "segments.csv").n_applications > 0  # the same run's coded texts are read
