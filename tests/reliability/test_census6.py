"""Round six of hostile inputs (h18c): codebooks from other tools, YAML's yes/no, consent said twice, options
given twice. Each test failed before its fix."""
from __future__ import annotations

from .helpers import in_tmp, invoke, leftovers, make_study, refused, snapshot  # noqa: F401 (in_tmp is a fixture)


def test_anonymity_the_front_matter_takes_back_isrefused(in_tmp):
    """transcripts.csv said `anonymous: true` and the transcript's front matter `anonymous: false`: the front
    matter won, and the respondent's transcript id, case and speaker were in every output (exit 0)."""
    make_study(in_tmp)
    (in_tmp / "transcripts" / "transcripts.csv").write_text("transcript,anonymous\nint1.txt,true\n", encoding="utf-8")
    text = (in_tmp / "transcripts" / "int1.txt").read_text(encoding="utf-8")
    (in_tmp / "transcripts" / "int1.txt").write_text(text.replace("id: int1\n", "id: int1\nanonymous: false\n"),
                                                     encoding="utf-8")
    before = snapshot(in_tmp)
    output = refused(invoke(["run", "condense.yaml", "--out", "out"]), "E813")
    assert "transcripts/int1.txt, line 3" in output and "`anonymous: false`" in output, output
    assert snapshot(in_tmp) == before and leftovers(in_tmp) == [] and not (in_tmp / "out").exists()
    # the same in both places, or a list the front matter repeats in another order, is read as before
    (in_tmp / "transcripts" / "transcripts.csv").write_text("transcript,anonymous\nint1.txt,R;I\n", encoding="utf-8")
    (in_tmp / "transcripts" / "int1.txt").write_text(text.replace("id: int1\n", "id: int1\nanonymous: [I, R]\n"),
                                                     encoding="utf-8")
    result = invoke(["segment", "transcripts", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert "int1:" not in (in_tmp / "out" / "units.csv").read_text(encoding="utf-8")


_HEAD = "codebook: cb\nlabel: Test\nlanguage: en\n"


def test_ids_terms_and_labels_yaml_reads_as_yes_no_or_numbers_are_read_as_written(in_tmp):
    """YAML 1.1 reads `no`, `yes`, `on`, `off` as true/false and `0x10`, `010` as numbers: the theme `no`
    (Norway) was 'False', `0x10` was '16', `yes` and `on` were one theme 'True' defined twice (E204 naming
    'True', which nobody wrote), a dimension `off` was 'False', the term `on` was 'True'."""
    from condense.codebook import load_codebook

    (in_tmp / "cb.yaml").write_text(_HEAD + "dimensions:\n  - id: off\n    label: Yes\n    themes:\n"
                                    "      - id: yes\n        label: On\n        terms: [on, 1.50]\n"
                                    "      - id: on\n        label: No\n        terms: [kaffe]\n"
                                    "      - id: no\n        label: 010\n        terms: [tur]\n"
                                    "      - id: 0x10\n        label: Hex\n        terms: [budget]\n", encoding="utf-8")
    result = invoke(["codebook", "check", "cb.yaml"])
    assert result.exit_code == 0 and "E204" not in result.output, result.output
    dimension = load_codebook(in_tmp / "cb.yaml").dimensions[0]
    assert (dimension.id, dimension.label) == ("off", "Yes")
    assert [(t.id, t.label) for t in dimension.themes] == [("yes", "On"), ("on", "No"), ("no", "010"), ("0x10", "Hex")]
    assert dimension.themes[0].terms == ["on", "1.50"]
    # quoted, or a true number where one is meant, as before
    (in_tmp / "cb.yaml").write_text(_HEAD + "dimensions:\n  - id: 'no'\n    label: \"yes\"\n    multi_label: yes\n"
                                    "    threshold: 0.5\n    themes:\n      - id: 12\n        label: X\n"
                                    "        terms: [kaffe]\n", encoding="utf-8")
    dimension = load_codebook(in_tmp / "cb.yaml").dimensions[0]
    assert (dimension.id, dimension.label, dimension.multi_label, dimension.threshold) == ("no", "yes", True, 0.5)
    assert dimension.themes[0].id == "12"


def test_a_transcript_id_or_case_yaml_reads_as_yes_no_is_read_as_written(in_tmp):
    """Front matter `id: no` made the transcript 'False' (its unit ids 'False:0001:1'), `cases: [On]` a case
    'True'; `anonymous: yes` still means true."""
    make_study(in_tmp)
    path = in_tmp / "transcripts" / "int1.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("id: int1", "id: no").replace("[Plan1]", "[On]"),
                    encoding="utf-8")
    path = in_tmp / "transcripts" / "int2.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("id: int2", "id: int2\nanonymous: yes"), encoding="utf-8")
    result = invoke(["segment", "transcripts", "--out", "out"])
    assert result.exit_code == 0, result.output
    import csv

    with open(in_tmp / "out" / "units.csv", encoding="utf-8-sig", newline="") as f:
        units = list(csv.DictReader(f))
    assert {(u["transcript"], u["cases"]) for u in units} == {("no", "On"), ("anonym-01", "")}, units
    assert units[0]["unit_id"] == "no:0001:1"


def _zip(parts: dict[str, str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buffer.getvalue()


QDC = ('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti">'
       '<Codes><Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Mad" isCodable="true"/></Codes></CodeBook>\n')


def test_a_codebook_another_program_wrote_is_named_for_what_it_is(in_tmp):
    """An NVivo or MAXQDA codebook export (.xlsx, .docx) given as the codebook was E104 "not a transcript" with a
    fix to export the transcript; a .qdc saved as codebook.yaml was E205 quoting its XML whole."""
    make_study(in_tmp)
    workbook = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    document = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>"})
    for name, data, what in (("codes.xlsx", workbook, "an Excel workbook (.xlsx)"),
                             ("codes.docx", document, "a Word document (.docx)"),
                             ("codebook.yaml", workbook, "an Excel workbook (.xlsx)")):
        (in_tmp / name).write_bytes(data)
        before = snapshot(in_tmp)
        output = refused(invoke(["run", "condense.yaml", "--codebook", name, "--out", "out"]), "E213")
        assert f"Codebook {name} is {what}" in output and "condense codebook import" in output, output
        assert "transcript" not in output and snapshot(in_tmp) == before and leftovers(in_tmp) == []
    (in_tmp / "codebook.yaml").write_text(QDC, encoding="utf-8")
    output = refused(invoke(["codebook", "check", "codebook.yaml"]), "E212")
    assert "is a REFI-QDA codebook (.qdc)" in output and "CodeBook" not in output, output
    assert invoke(["codebook", "import", "codebook.yaml", "--out", "mine.yaml"]).exit_code == 0


def test_init_beside_a_codebook_of_the_researchers_reads_it_first_and_says_it_kept_it(in_tmp):
    """`condense init` in a folder of transcripts with the researcher's codebook.yaml and cases.csv said "Wrote
    condense.yaml, codebook.yaml (the blank STC template …) and cases.csv" though it wrote neither; with a broken
    codebook.yaml it stopped (E201) after writing cases.csv."""
    make_study(in_tmp)
    study = in_tmp / "transcripts"
    (study / "codebook.yaml").write_text("codebook: x\nlabel: [broken\n", encoding="utf-8")
    (study / "cases.csv").unlink()
    before = snapshot(in_tmp)
    refused(invoke(["init", "transcripts"]), "E201")
    assert snapshot(in_tmp) == before and leftovers(in_tmp) == []
    (study / "codebook.yaml").write_bytes((in_tmp / "codebook.yaml").read_bytes())
    (study / "cases.csv").write_text("case,region\nPlan1,Nord\n", encoding="utf-8")
    before = snapshot(in_tmp)
    result = invoke(["init", "transcripts"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Wrote transcripts/condense.yaml; your codebook.yaml and cases.csv kept as they were." in said, said
    assert "blank" not in said
    assert {k: v for k, v in snapshot(in_tmp).items() if k != "transcripts/condense.yaml"} == before


def test_an_option_given_twice_with_two_values_isrefused(in_tmp):
    """`condense run --out results --out results2` (an edited command line) wrote into results2 without a word:
    the parser keeps the last value. An option that may repeat (`-i I -i I2`) and the same value twice still pass."""
    import subprocess
    import sys

    make_study(in_tmp)

    def condense(*args):
        return subprocess.run([sys.executable, "-m", "condense", *args], capture_output=True, text=True, timeout=300)

    for args in (["--out", "ra", "--out", "rb"], ["-o", "ra", "--out=rb"], ["-ora", "-orb"]):
        done = condense("segment", "transcripts", *args)
        assert done.returncode == 1 and "[E408]" in done.stderr and "is given twice ('ra' and 'rb')" in done.stderr, done
        assert "Traceback" not in done.stderr and not (in_tmp / "ra").exists() and not (in_tmp / "rb").exists()
    done = condense("segment", "transcripts", "-i", "I", "-i", "Q", "--out", "ra", "--out", "ra")
    assert done.returncode == 0 and (in_tmp / "ra" / "units.csv").exists(), done.stderr


def test_a_term_pasted_with_a_zero_width_space_matches_the_word_it_shows(in_tmp):
    """A term or phrase copied from a web page or Word with a zero-width space in it ("budget\\u200b") never matched
    the word it shows; `codebook check` said OK. The codebook is read as a transcript is: W111, then the word."""
    make_study(in_tmp)
    (in_tmp / "cb.yaml").write_text(_HEAD.replace("en", "da") + "dimensions:\n  - id: a\n    label: A\n"
                                    "    multi_label: true\n    themes:\n      - id: penge\n        label: Penge\n"
                                    "        terms: [\"budget\u200b\"]\n        phrases: [\"gik\u200b tur\"]\n",
                                    encoding="utf-8")
    checked = invoke(["codebook", "check", "cb.yaml"])
    assert checked.exit_code == 0 and "W111 cb.yaml, line 11: 2 invisible" in checked.output, checked.output
    result = invoke(["code", "transcripts", "--codebook", "cb.yaml", "--out", "out"])
    assert result.exit_code == 0, result.output
    codings = (in_tmp / "out" / "codings.csv").read_text(encoding="utf-8")
    assert "unit: budget" in codings and "gik tur" in codings, codings


def _named_study(root, names_file: str, names: str):
    make_study(root)
    path = root / "transcripts" / "int1.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("R: Vi planlagde", "R: Jeg talte med Karina Holst, og vi "
                                                             "planlagde"), encoding="utf-8")
    (root / "transcripts" / names_file).write_text(names, encoding="utf-8")


def _outputs_naming(folder, word: str) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file() and word.encode() in p.read_bytes())


def test_a_listed_name_pasted_with_a_zero_width_space_is_still_replaced(in_tmp):
    """pseudonyms.csv listing "Karina\\u200b Holst" (copied from a web page or Word): the name matched nothing in
    the transcripts and stayed in units.csv, segments.csv, units_coded.csv and report.html; the audit, looking for
    the listed name as written, passed (exit 0, no warning)."""
    _named_study(in_tmp, "pseudonyms.csv", "real,pseudonym,kind\nKarina\u200b Holst,Anna Berg,person\n")
    result = invoke(["run", "condense.yaml", "--out", "out"])
    assert result.exit_code == 0 and "W111 transcripts/pseudonyms.csv, line 2" in result.output, result.output
    assert _outputs_naming(in_tmp / "out", "Karina") == [] and "Anna Berg" in (in_tmp / "out" / "units.csv").read_text(
        encoding="utf-8")


def test_an_anonymous_respondents_name_pasted_with_a_zero_width_space_is_still_redacted(in_tmp):
    """transcripts.csv giving an anonymous respondent `respondent: Karina\\u200b Holst`: the name was in four
    outputs (exit 0)."""
    _named_study(in_tmp, "transcripts.csv", "transcript,anonymous,respondent\nint1.txt,true,Karina\u200b Holst\n")
    result = invoke(["run", "condense.yaml", "--out", "out"])
    assert result.exit_code == 0 and "W111 transcripts/transcripts.csv, line 2" in result.output, result.output
    assert _outputs_naming(in_tmp / "out", "Karina") == [] and _outputs_naming(in_tmp / "out", "Holst") == []


def test_a_total_row_excel_left_in_cases_csv_is_named(in_tmp):
    """cases.csv with Excel's total row ("I alt,2"): read silently as a case, its sum a column '2' of zeros in
    crosstab_region.csv."""
    make_study(in_tmp)
    (in_tmp / "transcripts" / "cases.csv").write_text("case,region\nPlan1,Nord\nPlan2,Nord\nI alt,2\n", encoding="utf-8")
    result = invoke(["segment", "transcripts", "--out", "out"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "W129 transcripts/cases.csv, line 4: the case 'I alt' looks like a spreadsheet's total row" in said, said
    assert "('2')" in said
    (in_tmp / "transcripts" / "cases.csv").write_text("case,region\nPlan1,Nord\nPlan2,Total Syd\n", encoding="utf-8")
    assert "W129" not in invoke(["segment", "transcripts", "--out", "out2"]).output


def test_names_and_discover_never_write_over_the_pseudonym_list_or_cases_even_with_force(in_tmp):
    """`condense names --out transcripts/pseudonyms.csv --force` wrote the candidates over the confirmed list of
    real names and their pseudonyms (the next run named everyone), `--out transcripts/cases.csv --force` over the
    cases; `discover --out pseudonyms.csv --force` wrote candidate themes over the list."""
    make_study(in_tmp)
    (in_tmp / "transcripts" / "pseudonyms.csv").write_text("real,pseudonym,kind\nKarina Holst,Anna Berg,person\n",
                                                           encoding="utf-8")
    (in_tmp / "pseudonyms.csv").write_text("real,pseudonym,kind\nKarina Holst,Anna Berg,person\n", encoding="utf-8")
    before = snapshot(in_tmp)
    for args in (["names", "condense.yaml", "--out", "transcripts/pseudonyms.csv", "--force"],
                 ["names", "condense.yaml", "--out", "transcripts/cases.csv", "--force"],
                 ["names", "condense.yaml", "--out", "condense.yaml", "--force"],
                 ["discover", "condense.yaml", "--out", "pseudonyms.csv", "--force"]):
        output = refused(invoke(args), "E705")
        assert "is also an input of this command" in output, output
        assert snapshot(in_tmp) == before and leftovers(in_tmp) == []
    result = invoke(["names", "condense.yaml", "--out", "candidates.csv"])
    assert result.exit_code == 0 and (in_tmp / "candidates.csv").exists(), result.output
