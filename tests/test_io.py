"""The file layer: one decoder for every input, one writer per format."""
from __future__ import annotations

import pandas as pd
import pytest

from condense.errors import CondenseError, Diagnostics
from condense.io import markdown_table, read_table, read_text, write_csv, write_json, write_xlsx


def test_a_windows_1252_table_is_read_with_a_warning(write):
    path = write("cases.csv", "case;kommune\nPlan1;Køge\nPlan2;Århus\n".encode("cp1252"))
    d = Diagnostics()
    header, rows = read_table(path, diagnostics=d)
    assert header == ["case", "kommune"] and [r["kommune"] for _, r in rows] == ["Køge", "Århus"]
    assert [w.code for w in d] == ["W101"] and "cases.csv" in d.warnings[0].message


def test_a_bom_and_utf8_table_read_the_same_without_warnings(write):
    text = "case,region\nPlan1,Sjælland\n\nPlan2,Nord\n"
    d = Diagnostics()
    plain = read_table(write("a.csv", text), diagnostics=d)
    bom = read_table(write("b.csv", b"\xef\xbb\xbf" + text.encode("utf-8")), diagnostics=d)
    assert plain == bom and [line for line, _ in plain[1]] == [2, 4] and not len(d)


def test_bytes_neither_utf8_nor_cp1252_are_a_coded_error_not_replaced(write):
    path = write("bad.csv", b"case\nPlan\x81\n")
    with pytest.raises(CondenseError) as err:
        read_table(path)
    assert err.value.code == "E105" and "line 2" in str(err.value)


def test_missing_column_and_missing_file_are_coded(write, tmp_path):
    with pytest.raises(CondenseError) as err:
        read_table(write("x.csv", "a,b\n1,2\n"), required=("unit_id",))
    assert err.value.code == "E504"
    with pytest.raises(CondenseError) as err:
        read_text(tmp_path / "nope.yaml")
    assert err.value.code == "E101"


def test_xlsx_round_trip_and_byte_identical_rewrites(tmp_path):
    df = pd.DataFrame({"unit_id": ["u1", "u2"], "score": [1.5, float("nan")], "text": ["æøå", "ok"]})
    write_xlsx({"codings": df}, tmp_path / "a.xlsx")
    write_xlsx({"codings": df}, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    header, rows = read_table(tmp_path / "a.xlsx")
    assert header == ["unit_id", "score", "text"] and rows == [(2, {"unit_id": "u1", "score": "1.5", "text": "æøå"}),
                                                             (3, {"unit_id": "u2", "score": "", "text": "ok"})]


def test_csv_has_a_bom_and_lf_and_json_sorted_keys(tmp_path):
    write_csv(pd.DataFrame({"a": ["x"], "b": ["y\nz"]}), tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == b'\xef\xbb\xbfa,b\nx,"y\nz"\n'
    write_csv(pd.DataFrame({"a": ["x"]}), tmp_path / "nobom.csv", bom=False)
    assert (tmp_path / "nobom.csv").read_bytes() == b"a\nx\n"
    write_json({"b": 1, "a": "ø"}, tmp_path / "m.json")
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == '{\n  "a": "ø",\n  "b": 1\n}\n'


def test_markdown_table_escapes_pipes_and_newlines():
    df = pd.DataFrame({"theme": ["a|b", "c"], "quote": ["one\ntwo", None]})
    assert markdown_table(df) == "| theme | quote |\n|---|---|\n| a\\|b | one two |\n| c |  |"
    assert markdown_table(df.iloc[:0]) == ""


def test_utf8_with_windows_1252_typed_into_it_reads_each_part_as_what_it_is(tmp_path):
    """decisions.csv (UTF-8, no BOM) opened in Excel shows "SÃ¸ren"; a note typed there with "ø" and saved as CSV
    writes the old letters as their UTF-8 bytes and the new one as Windows-1252. Read whole as Windows-1252, the
    unit id 'Interview Søren:0003:1' became 'Interview SÃ¸ren:0003:1' and the decision lost its unit."""
    from condense.errors import Diagnostics
    from condense.io import decode, read_table

    data = ("transcript,unit_id,note\nInterview Søren,Interview Søren:0003:1,god\n".encode("utf-8")
            + "Interview Søren,Interview Søren:0005:1,for vag – mangler målgruppen\n".encode("cp1252"))
    d = Diagnostics()
    text, encoding = decode(data, tmp_path / "decisions.csv", d)
    assert "SÃ" not in text and text.count("Søren") == 4 and "– mangler målgruppen" in text
    assert encoding == "utf-8+cp1252" and [w.code for w in d.warnings] == ["W121"] and "line 3" in str(d.warnings[0])
    (tmp_path / "decisions.csv").write_bytes(data)
    _, rows = read_table(tmp_path / "decisions.csv")
    assert [r["unit_id"] for _, r in rows] == ["Interview Søren:0003:1", "Interview Søren:0005:1"]
    d = Diagnostics()  # a Windows-1252 file holds no UTF-8 letter: read whole as such, as before
    assert decode("Søren og Åse kom.\n".encode("cp1252"), tmp_path / "a.txt", d)[0] == "Søren og Åse kom.\n"
    assert [w.code for w in d.warnings] == ["W101"]


def test_excels_separator_line_is_no_header_and_rows_keep_their_line_numbers(write):
    """Excel writes (and reads) `sep=;` alone on a CSV's first line; it was read as the header, so a
    decisions.csv or a review sheet saved that way was refused with "no column 'unit_id' (line 1)" (h17c)."""
    d = Diagnostics()
    header, rows = read_table(write("decisions.csv", "sep=;\r\nunit_id;theme;note\r\nint1:0001:1;mad;a, b\r\n\r\n"
                                                     "int1:0003:1;rum;\r\n"), diagnostics=d)
    assert header == ["unit_id", "theme", "note"] and not len(d)
    assert rows == [(3, {"unit_id": "int1:0001:1", "theme": "mad", "note": "a, b"}),
                    (5, {"unit_id": "int1:0003:1", "theme": "rum", "note": ""})]
    header, rows = read_table(write("cases.csv", "SEP=,\ncase,region\nPlan1,Nord; Syd\n".encode("cp1252")))
    assert header == ["case", "region"] and rows == [(3, {"case": "Plan1", "region": "Nord; Syd"})]
    with pytest.raises(CondenseError) as err:
        read_table(write("c.csv", "sep=;\nunit_id;note\nx;open\n"), required=("theme",))
    assert err.value.code == "E504"


def test_a_mac_os_roman_file_is_read_as_such_with_its_own_warning(write, tmp_path):
    """A transcript or CSV from an older Mac (TextEdit, Excel for Mac's "CSV (Macintosh)") is Mac OS Roman: read
    as Windows-1252 it became "gŒrden", "b¿rnene", "¾bler" with a W101 that said nothing was wrong (h17c)."""
    from condense.io import decode

    text = "Det gik godt med børnene og æblerne i gården, sagde Åse; “Ærø” – også ØEN.\n"
    d = Diagnostics()
    assert decode(text.encode("mac_roman"), tmp_path / "a.txt", d) == (text, "mac_roman")
    assert [w.code for w in d.warnings] == ["W128"] and "a.txt" in d.warnings[0].message
    header, rows = read_table(write("cases.csv", "case\rKøge\rÅrhus\r".encode("mac_roman")))
    assert rows == [(2, {"case": "Køge"}), (3, {"case": "Århus"})]
    for same in ("Søren og Åse kom “hjem” – æbler, ½ kg og 20 °C.\n", "Café in Zürich: “naïve” façade…\n"):
        d = Diagnostics()  # Windows-1252 stays Windows-1252
        assert decode(same.encode("cp1252"), tmp_path / "w.txt", d) == (same, "cp1252")
        assert [w.code for w in d.warnings] == ["W101"]


def test_a_quote_never_closed_is_refused_not_left_to_swallow_the_rows_below(write):
    """A note typed as `"hun sagde ja` in decisions.csv: the csv module read the rest of the file into that cell,
    so a run applied 1 decision of 3 and said nothing of the other two (h17c)."""
    data = ('unit_id,theme,action,note\r\nint1:0001:1,mad,accept,"hun sagde ja\r\nint1:0003:1,rum,reject,\r\n'
            'int2:0003:1,rum,reject,ok\r\n')
    with pytest.raises(CondenseError) as err:
        read_table(write("decisions.csv", data))
    assert err.value.code == "E403" and "decisions.csv, line 2" in str(err.value), str(err.value)
    assert "column 4 and is never closed" in str(err.value) and "the 2 line(s) below it" in str(err.value)
    with pytest.raises(CondenseError):  # a quote opened earlier in the row takes in the rest of it too
        read_table(write("d2.csv", data.replace('accept,"hun', '"accept,hun')))
    closed = 'unit_id,note\nu1,"to\nlinjer"\nu2,x, y\n'  # quoted line breaks, closed, are read as before
    assert read_table(write("ok.csv", closed))[1] == [(2, {"unit_id": "u1", "note": "to\nlinjer"}),
                                                        (4, {"unit_id": "u2", "note": "x"})]
    last = 'unit_id,note\nu1,"to\nlinjer"\n'
    assert read_table(write("last.csv", last))[1] == [(2, {"unit_id": "u1", "note": "to\nlinjer"})]
