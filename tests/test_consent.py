"""Consent and anonymity in every output: the withdrawn-marker grammar, anonymous respondents' public ids,
pseudonyms, quote safety, `condense names` and the consent audit."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ECAPE, make_docx
from test_pipeline import CODEBOOK, FILLER, interview, make_project

from condense.cli import app
from condense.errors import CondenseError
from condense.ingest import read_transcript
from condense.pipeline import run, write_results
from condense.project import load_project

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"


def output_text(folder: Path, skip: tuple[str, ...] = ()) -> str:
    """Every byte of every file of a results folder, xlsx parts unzipped and XML entities decoded (but files
    ending in ``skip``: a PNG's pixels hold any two letters)."""
    chunks = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(skip)):
        data = path.read_bytes()
        if data[:2] == b"PK":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    chunks.append(html.unescape(z.read(name).decode("utf-8", errors="replace")))
        else:
            chunks.append(data.decode("utf-8", errors="replace"))
    return "\n".join(chunks)


# ---------------------------------------------------------------- the marker grammar
@pytest.mark.parametrize("marker,code", [
    ("[[withdrawn]", "E801"), ("[withdrawn]]", "E801"), ("[[ withdrawn ]]", "E801"), ("[[WITHDRAWN]", "E801"),
    ("[[with drawn]]", "E801"), ("[[[withdrawn]]", "E801"), ("[withdrawn]", "E801"), ("[[witdrawn]]", "E801"),
    ("[[withdrawm]]", "E801"), ("[[Withdraw]]", "E801"), ("[[ /withdrawn]]", "E801"),
])
def test_mistyped_opener_is_a_coded_error_with_its_line(write, marker, code):
    text = f"I: Hej?\n\nR: Godt.\n\n{marker} R: Hemmeligt zqxone. [[/withdrawn]]\n\nI: Tak.\n"
    with pytest.raises(CondenseError) as err:
        read_transcript(write("a.txt", text))
    assert err.value.code == code and "a.txt" in str(err.value) and "line 5" in str(err.value)


@pytest.mark.parametrize("text,code,line", [
    ("I: Hej?\n\nR: [[withdrawn]] a [[withdrawn]] b [[/withdrawn]] SECRET [[/withdrawn]]\n", "E802", 3),
    ("I: Hej?\n\nR: Godt. [[/withdrawn]] SECRET\n", "E803", 3),
    ("I: Hej?\n\nR: Godt.\n\n[[withdrawn]] R: SECRET\n", "E113", 5),
    ("I: Hej?\n\nR: Godt [[/withdrawn ]] SECRET\n", "E801", 3),
])
def test_nested_stray_and_unclosed_markers_are_errors(write, text, code, line):
    with pytest.raises(CondenseError) as err:
        read_transcript(write("a.txt", text))
    assert code in str(err.value) and f"line {line}" in str(err.value)


def test_markers_in_any_letter_case_and_the_word_itself_in_speech(write):
    t = read_transcript(write("a.txt", "I: Hej?\n\nR: Hun withdrawn fra det hele. [[Withdrawn]] zqxsecret [[/WITHDRAWN]] Slut.\n"))
    joined = " ".join(x.text for x in t.turns)
    assert "zqxsecret" not in joined and "Hun withdrawn fra det hele." in joined and t.withdrawn == 1


def test_docx_marker_split_across_runs_and_paragraphs(tmp_path):
    import docx

    document = docx.Document()
    for text in ["I: Hvad skete der?", "R: Vi gik en tur."]:
        document.add_paragraph(text)
    p = document.add_paragraph("R: Og så ")
    p.add_run("[[with")
    p.add_run("drawn]] zqxdocxsecret")
    document.add_paragraph("I: Ja? zqxinterviewer [[/with")
    document.paragraphs[-1].add_run("drawn]] Tak.")
    document.add_paragraph("R: Selv tak.")
    path = tmp_path / "a.docx"
    document.save(path)
    t = read_transcript(path)
    joined = " ".join(x.text for x in t.turns)
    assert "zqx" not in joined and "zqx" not in t.text and "Selv tak." in joined and t.withdrawn == 1


def test_docx_line_break_inside_a_marker_is_an_error(tmp_path):
    path = make_docx(tmp_path / "a.docx", ["I: Hej?", ["R: Godt. [[with", "drawn]] zqxsecret [[/withdrawn]]"]])
    with pytest.raises(CondenseError) as err:
        read_transcript(path)
    assert err.value.code == "E801" and "paragraph 2" in str(err.value)


def test_half_a_marker_cut_by_a_cue_break_is_an_error(write):
    vtt = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Anna>Hvad skete der?\n\n"
           "2\n00:00:04.000 --> 00:00:06.000\n<v Bo>Vi gik en tur. [[with\n\n"
           "3\n00:00:07.000 --> 00:00:09.000\ndrawn]] zqxsecret [[/withdrawn]]\n")
    with pytest.raises(CondenseError) as err:
        read_transcript(write("a.vtt", vtt), interviewer_labels=["Anna"])
    assert err.value.code == "E801" and "line 9" in str(err.value)


def test_vtt_passage_across_cues(write):
    vtt = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Anna>Hvad skete der?\n\n"
           "2\n00:00:04.000 --> 00:00:06.000\n<v Bo>Vi gik en tur. [[withdrawn]] Naboen zqxvtt\n\n"
           "3\n00:00:07.000 --> 00:00:09.000\n<v Bo>var syg zqxvtttwo.\n\n"
           "4\n00:00:10.000 --> 00:00:12.000\n<v Bo>Ja. [[/withdrawn]] Og så spiste vi.\n\n"
           "5\n00:00:13.000 --> 00:00:15.000\n<v Anna>Tak?\n")
    t = read_transcript(write("a.vtt", vtt), interviewer_labels=["Anna"])
    joined = " ".join(x.text for x in t.turns)
    assert "zqx" not in joined and "Og så spiste vi." in joined and "Vi gik en tur." in joined


# ---------------------------------------------------------------- the anonymous field
@pytest.mark.parametrize("value", ["maybe", "2", "yes please", "{a: 1}", "Y", "n", "none", "anonym"])
def test_anonymous_accepts_true_false_or_labels_only(write, value):
    with pytest.raises(CondenseError) as err:
        read_transcript(write("a.txt", f"---\nanonymous: {value}\n---\nI: Hej?\n\nR: Godt.\n"))
    assert err.value.code in ("E810", "E811")


@pytest.mark.parametrize("written, meant", [
    ("true", True), ("yes", True), ("Yes", True), ("JA", True), ("ja", True), (" Ja ", True), ("x", True), ("X", True),
    ("1", True), ("sand", True), ("false", False), ("no", False), ("NEJ", False), (" nej", False), ("0", False),
    ("falsk", False), ("R", ["R"]), ("R;", ["R"]), ("Y", "E810"), ("j", "E810"), ("maybe", "E810"), ("2", "E810")])
def test_anonymous_reads_the_same_words_the_same_way_in_front_matter_and_transcripts_csv(tmp_path, written, meant):
    """`anonymous: yes` in front matter was true (YAML reads it so) while `yes` in transcripts.csv was E810, and `ja`,
    `x` and `1` were E810 in both. The two read one list of words alike now, Danish and English, in any letter case
    and with spaces around; what could be a yes, a no or a speaker label ("Y", "j") is refused in both (E810), never
    read as named."""
    from condense.errors import Diagnostics
    from condense.ingest.metadata import meta_from_front_matter, read_transcripts_csv
    from condense.ingest.sources import read_plain

    got = {}
    (tmp_path / "t.csv").write_text(f"transcript,anonymous\na.txt,{written}\n", encoding="utf-8")
    front = tmp_path / "a.txt"
    front.write_text(f"---\nanonymous: '{written}'\n---\nR: Hej.\n" if written != written.strip() else
                     f"---\nanonymous: {written}\n---\nR: Hej.\n", encoding="utf-8")
    for where, read in (("table", lambda: read_transcripts_csv(tmp_path / "t.csv")["a.txt"][1].anonymous),
                        ("front", lambda: meta_from_front_matter(
                            read_plain(front, front.read_bytes(), Diagnostics()).front_matter, front).anonymous)):
        try:
            got[where] = read()
        except CondenseError as err:
            got[where] = err.code
    assert got == {"table": meant, "front": meant}


def test_anonymous_label_must_be_a_speaker(write):
    with pytest.raises(CondenseError) as err:
        read_transcript(write("a.txt", "---\nanonymous: [Z]\n---\nI: Hej?\n\nR: Godt.\n\nI: Og?\n\nR: Ja.\n"))
    assert err.value.code == "E811" and "'Z'" in str(err.value)


# ---------------------------------------------------------------- anonymous everywhere
ANON = """---
id: 07_solbakken
cases: [Solbakken]
interviewer_labels: [I]
anonymous: true
---
I: Hvordan planlagde I aktiviteterne på Solbakken?

R: Jeg hedder Gurli Zenfeldt, og vi planlagde det hele i en arbejdsgruppe med et lille budget, og beboerne bestemte selv om tirsdagen.

I: Og evalueringen?

R: Vi talte deltagerne hver gang til evalueringen her i Tarmby, og vi besluttede at skrive det ned i en lille bog på kontoret.

I: Hvad med gåklubben?

R: Gåklubben på Solbakkens græsplæne gik tur hver torsdag, og gåturen sluttede altid med kaffe i beboerhuset bagefter med hinanden.
"""


SOLBAKKEN_CASES = "case,kommune\nPlan1,Vejle\nPlan2,Odense\nPlan3,Vejle\nSolbakken,Tarmby\n"


@pytest.fixture
def anon_project(tmp_path):
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["07_solbakken.txt"] = ANON
    return make_project(tmp_path, texts, cases=SOLBAKKEN_CASES)


def _run_beside_solbakken(tmp_path, texts: dict[str, str]):
    """``condense run`` of ``texts`` with Solbakken's cases into tmp_path/out (exit 0): the folder and every
    output's text, case-folded (a PNG read through its SVG twin)."""
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(make_project(tmp_path, texts, cases=SOLBAKKEN_CASES)), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out, output_text(out, skip=(".png",)).casefold()


def test_anonymous_interview_has_a_public_id_everywhere_and_no_plan(anon_project, tmp_path):
    result = run(load_project(anon_project))
    out = write_results(result, tmp_path / "out")
    text = output_text(out)
    for secret in ("solbakken", "07_solbakken", "tarmby", "zenfeldt", "gurli"):
        assert secret not in text.casefold(), secret
    units = result.tables["units"]
    anon = units[units.transcript == "anonym-01"]
    assert len(anon) == 3 and all(u.startswith("anonym-01:") for u in anon.unit_id)
    assert set(anon.cases) == {""} and set(anon.speaker) == {""}
    assert "[anonymiseret]" in " ".join(anon.text) and "[anonymiseret]" in " ".join(anon.question)
    assert "anonym-01" in (out / "report.md").read_text(encoding="utf-8") or "anonym-01" in text
    assert result.audit["files"] >= 10


def test_another_interview_naming_the_anonymous_respondent_names_them_in_no_output(tmp_path):
    """The respondent of 07_solbakken introduces herself ("Jeg hedder Gurli Zenfeldt"); another respondent
    names her, whole and by one name: that identifies her as her own words would, so it goes from every unit,
    and the audit looks for her names in every file."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] += ("\nI: Talte I med andre planer?\n\nR: Ja, med Gurli Zenfeldt om budgettet, og Gurli "
                            "sendte os skemaet; fru Zenfeldts gåklub var den bedste.\n")
    texts["07_solbakken.txt"] = ANON
    project = make_project(tmp_path, texts, cases=SOLBAKKEN_CASES)
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = output_text(out).casefold()
    assert "gurli" not in text and "zenfeldt" not in text
    units = (out / "units.csv").read_text(encoding="utf-8-sig")
    assert "med [anonymiseret] om budgettet" in units and "fru [anonymiseret] gåklub" in units
    # the audit looks for her names: a hand-edited leak is found
    themes = out / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8-sig") + "note,Zenfeldt sagde det\n", encoding="utf-8")
    res = runner.invoke(app, ["audit", str(out), "--project", str(project)])
    assert res.exit_code == 1 and "E830" in res.output and "themes.csv" in res.output, res.output
    # what it is and where, never the name: the console is copied into CI logs and notebooks
    assert "anonymous respondent's name (8 letters, not shown" in res.output and "zenfeldt" not in res.output.casefold()


def test_a_respondent_named_in_transcripts_csv_is_redacted_as_in_front_matter_and_other_columns_are_named(tmp_path):
    """transcripts.csv takes the front matter's keys: its `respondent` of an anonymous interview is removed from
    every output as front matter's is (the interviewer thanks her by name; she never introduces herself). A
    column condense does not read (an e-mail) is named in W123, so nobody takes it for protection."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi", "Vi").replace(
        "I: Og evalueringen?", "I: Tak, Oda. Og evalueringen?")
    project = make_project(tmp_path, texts, cases=SOLBAKKEN_CASES)
    (tmp_path / "transcripts" / "transcripts.csv").write_text(
        "transcript,respondent,e-mail\n07_solbakken.txt,Oda Quist,oq@solbakken.dk\n", encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "W123" in res.output and "'e-mail'" in res.output
    text = output_text(out).casefold()
    assert "oda" not in re.findall(r"\w+", text) and "quist" not in text and "oq@" not in text
    assert "tak, [anonymiseret]. og evalueringen?" in text


def test_review_decisions_keyed_by_the_public_id_find_their_units_on_rerun(anon_project, tmp_path):
    first = run(load_project(anon_project))
    unit = next(u for u in first.segmentation.units if u.transcript == "anonym-01" and "Gåklubben" in u.text)
    real_key = unit.unit_id.replace("anonym-01", "07_solbakken")
    decisions = anon_project.parent / "decisions.csv"
    with decisions.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["transcript", "unit_id", "fingerprint", "dimension", "theme", "subtheme", "action", "coder", "note"])
        w.writerow(["anonym-01", unit.unit_id, unit.fingerprint, "fase", "evaluering", "", "add", "ab", ""])
        first_eval = next(u for u in first.segmentation.units if u.transcript == "anonym-01" and "evalueringen" in u.text)
        w.writerow(["07_solbakken", real_key.replace(unit.unit_id.split(":")[1], first_eval.unit_id.split(":")[1]), "",
                    "deltagelse", "beboer", "", "add", "ab", ""])
    again = run(load_project(anon_project))
    human = {(c.unit_id, c.theme) for c in again.codings if c.source == "human"}
    assert (unit.unit_id, "evaluering") in human
    assert (first_eval.unit_id, "beboer") in human
    assert again.review.orphaned == 0
    out = write_results(again, tmp_path / "out2")
    assert "solbakken" not in output_text(out).casefold()


# ---------------------------------------------------------------- pseudonyms
def test_pseudonyms_replace_names_in_every_output_inflected_and_never_as_key_terms(tmp_path):
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[
        "Fatma startede gåklubben, og Fatmas søster hjalp med kaffen hver torsdag i beboerhuset i Vollsmose sammen med os.",
        "Vi talte med FATMA om fællesspisning, og fatma sagde at Vollsmoses beboere gerne ville lave madklub om fredagen."])
        for i in range(1, 4)}
    project = make_project(tmp_path, texts)
    (tmp_path / "pseudonyms.csv").write_text("real,pseudonym,kind\nFatma,Leila,person\nVollsmose,Havby,place\n", encoding="utf-8")
    result = run(load_project(project))
    out = write_results(result, tmp_path / "out")
    text = output_text(out)
    assert "fatma" not in text.casefold() and "vollsmose" not in text.casefold()
    assert "Leilas søster" in text and "Havbys beboere" in text and "LEILA" in text
    for terms in result.key_terms.values():
        assert not {"leila", "fatma"} & {t.casefold() for t in terms}


def test_people_named_in_passing_are_no_key_terms_but_named_events_are(tmp_path):
    """No quote naming "Lisbeth" is printed (she never agreed to be named), yet the report's step 1 listed
    "lisbeth" among the words that set her interview apart. A name that is no person's ("Tirsdagsklubben",
    capitalised as a name of its own) stays a key term, and the list is filled up to its length again."""
    extra = {1: ["Min kollega Lisbeth lavede kaffe, og Lisbeth tog sig af Tirsdagsklubben hver uge i kælderen.",
                 "Tirsdagsklubben samlede mange, og Lisbeth skrev alle navnene ned til Tirsdagsklubben på en liste."]}
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=extra.get(i, [])) for i in range(1, 4)}
    result = run(load_project(make_project(tmp_path, texts)))
    terms = result.key_terms["int1"]
    assert "lisbeth" not in terms and "tirsdagsklubben" in terms, terms
    from condense.emergent import key_terms

    longer = key_terms(result.segmentation.units, "da", n=15)["int1"]
    assert "lisbeth" in longer and terms == [t for t in longer if t != "lisbeth"][:10]
    report = (write_results(result, tmp_path / "out") / "report.md").read_text(encoding="utf-8")
    assert "lisbeth" not in report.casefold()


def test_pseudonym_file_problems_are_coded_errors(tmp_path):
    texts = {"int1_x.txt": interview(1, gaaklub=True)}
    project = make_project(tmp_path, texts)
    (tmp_path / "pseudonyms.csv").write_text("real,pseudonym,kind\nFatma,Leila,person\nfatma,Ayse,person\n", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        run(load_project(project))
    assert err.value.code == "E821" and "line 3" in str(err.value)


# ---------------------------------------------------------------- quote safety
def test_sample_golden_quotes_have_no_self_introduction_and_do_not_place_the_anonymous_respondent(sample_run):
    result, out = sample_run
    themes = result.tables["themes"]
    quotes = [q for q in themes.golden_quote if q]
    assert len(quotes) > 40
    intro = re.compile(r"jeg hedder|mit navn er|hedder jeg", re.I)
    assert not [q for q in quotes if intro.search(q)]
    places = re.compile(r"kildebakken|esbjerg|syddanmark|\[anonymiseret\]", re.I)
    anon = themes[themes.quote_source == "anonym informant"]
    assert not [q for q in anon.golden_quote if places.search(q)]
    drafts = " ".join(themes.condensate)
    assert not intro.search(drafts)
    text = output_text(out).casefold()
    assert "kildebakken" not in text and "10_kildebakken" not in text


# ---------------------------------------------------------------- condense names
def test_names_proposes_names_places_and_never_overwrites(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "I: Hvem er du?\n\nR: Jeg hedder Gurli Zenfeldt, og min kollega Bodil tog sig af børnene i Kvistrup.\n\n"
        "I: Og lederen?\n\nR: Hun hedder Inger, og vi mødtes hver uge med Bodil og Kaj på kontoret.\n\n"
        "I: Mere?\n\nR: My name is Ann Lee and I worked with Ringo.\n", encoding="utf-8")
    (folder / "cases.csv").write_text("case,kommune\nPlanA,Tarmby\n", encoding="utf-8")
    (folder / "transcripts.csv").write_text("transcript,cases\na.txt,PlanA\n", encoding="utf-8")
    out = tmp_path / "cand.csv"
    res = runner.invoke(app, ["names", str(folder), "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = {r["real"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    for name in ("Gurli Zenfeldt", "Bodil", "Inger", "Ann Lee", "Kaj", "Kvistrup", "Tarmby", "PlanA"):
        assert name in rows, (name, sorted(rows))
    assert rows["Tarmby"]["kind"] == "place" and rows["Gurli Zenfeldt"]["kind"] == "person"
    assert "jeg" not in {r.casefold() for r in rows}
    again = runner.invoke(app, ["names", str(folder), "--out", str(out)])
    assert again.exit_code == 1 and "E840" in again.output
    assert runner.invoke(app, ["names", str(folder), "--out", str(out), "--force"]).exit_code == 0


def test_names_of_a_folder_writes_its_candidates_where_its_pseudonyms_are_read(tmp_path, monkeypatch):
    """`condense names interviews` wrote pseudonyms_candidates.csv into the working folder, wherever that was, while
    pseudonyms.csv is read from the interviews' folder; the candidates go there now, and the message names it."""
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "a.txt").write_text("I: Hvem er du?\n\nR: Jeg hedder Gurli Zenfeldt og bor i Kvistrup.\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    res = runner.invoke(app, ["names", str(folder)])
    assert res.exit_code == 0, res.output
    assert (folder / "pseudonyms_candidates.csv").is_file() and not list(elsewhere.iterdir())
    assert str(folder / "pseudonyms.csv") in " ".join(res.output.split())



def test_names_writes_no_formula_a_spreadsheet_would_run(tmp_path):
    """The candidate file is opened in a spreadsheet to confirm names, but it was written without the leading '
    every other CSV of condense gets: a place from cases.csv '=HYPERLINK(...)' or '+Nord' was a live formula."""
    from condense.io import read_table

    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text("I: Hvem er du?\n\nR: Jeg hedder Gurli Zenfeldt og bor i Kvistrup.\n", encoding="utf-8")
    (folder / "cases.csv").write_text('case,kommune\nPlanA,"=HYPERLINK(""http://x.example"";""k"")"\nPlanB,+Nord\n',
                                      encoding="utf-8")
    (folder / "transcripts.csv").write_text("transcript,cases\na.txt,PlanA\n", encoding="utf-8")
    out = tmp_path / "cand.csv"
    res = runner.invoke(app, ["names", str(folder), "--out", str(out)])
    assert res.exit_code == 0, res.output
    cells = [c for row in csv.reader(out.open(encoding="utf-8-sig")) for c in row]
    assert not [c for c in cells if c and c[0] in "=+-@"], cells
    real = {r["real"] for _, r in read_table(out)[1]}
    assert {'=HYPERLINK("http://x.example";"k")', "+Nord", "Gurli Zenfeldt"} <= real, real


# ---------------------------------------------------------------- the audit
def test_audit_names_file_and_line_and_a_failed_audit_keeps_the_old_results(anon_project, tmp_path):
    out = tmp_path / "res"
    assert runner.invoke(app, ["run", str(anon_project), "--out", str(out)]).exit_code == 0
    res = runner.invoke(app, ["audit", str(out), "--project", str(anon_project)])
    assert res.exit_code == 0 and "checked" in res.output, res.output
    before = (out / "themes.csv").read_bytes()
    # a leak the pipeline does not clean up: the anonymous plan's name in a codebook label
    cb = anon_project.parent / "codebook.yaml"
    cb.write_text(CODEBOOK.replace("label: Gåklubben", "label: Gåklubben på Solbakken"), encoding="utf-8")
    failed = runner.invoke(app, ["run", str(anon_project), "--out", str(out)])
    # (issue 12: the report repeats theme labels in synthesis drafts; files are checked in name order, so the
    # first finding may be in any output; what matters is that it names its file and line)
    assert failed.exit_code == 1 and re.search(r"\[E830\] Consent audit failed: [\w./]+\.(?:csv|md|xlsx), line \d+: "
                                               r"an anonymous plan name \(9 letters, not shown", failed.output), failed.output
    assert "solbakken" not in failed.output.casefold()  # the plan is not named in the refusal either
    assert "Traceback" not in failed.output
    assert (out / "themes.csv").read_bytes() == before
    # a hand-edited leak in an xlsx cell is found in the unzipped XML
    import openpyxl

    wb = openpyxl.load_workbook(out / "results.xlsx")
    wb.worksheets[0]["B3"] = "besøg på Solbakken"
    wb.save(out / "results.xlsx")
    res = runner.invoke(app, ["audit", str(out), "--project", str(anon_project)])
    assert res.exit_code == 1 and "results.xlsx" in res.output and "E830" in res.output


def test_a_workbook_checked_where_it_is_rendered_gives_the_findings_of_the_file_scan(anon_project, tmp_path, monkeypatch):
    """A large workbook is rendered and checked in a process of its own (export.WORKBOOK_BESIDE): the
    consent audit reports the same findings, cell by cell, as when it reads results.xlsx itself."""
    import multiprocessing as mp

    import condense.export
    import condense.parallel
    from condense import audit

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs fork")
    cb = anon_project.parent / "codebook.yaml"  # a leak the pipeline does not clean up (see above)
    cb.write_text(CODEBOOK.replace("label: Gåklubben", "label: Gåklubben på Solbakken"), encoding="utf-8")
    monkeypatch.setattr(audit, "MAX_FINDINGS", 10_000)
    read_here: list[str] = []
    check = audit._check_data
    monkeypatch.setattr(audit, "_check_data", lambda scanner, rel, data: read_here.append(rel) or check(scanner, rel, data))

    def findings(out):
        read_here.clear()
        with pytest.raises(CondenseError) as failed:
            write_results(run(load_project(anon_project)), out)
        assert not out.exists()
        return str(failed.value), set(read_here)

    here, read = findings(tmp_path / "here")
    assert "results.xlsx" in read and "results.xlsx › xl/worksheets/" in here
    monkeypatch.setattr(condense.parallel, "available_jobs", lambda jobs: 2)  # forks even on one core
    monkeypatch.setattr(condense.export, "WORKBOOK_BESIDE", 0)
    beside, read = findings(tmp_path / "beside")
    assert "results.xlsx" not in read  # checked in the process that rendered it
    assert beside == here


def test_the_audit_works_out_a_runs_fingerprints_once_for_the_workbooks_process_too(anon_project, tmp_path, monkeypatch):
    """The fingerprints of a run's inputs (1M words: 0.36 CPU s) are worked out once, before the write stage
    forks, not again in the process that renders and checks a large workbook; the audit still checks it."""
    import multiprocessing as mp

    import condense.export
    import condense.parallel
    from condense import audit

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs fork")
    calls = tmp_path / "calls.txt"  # appended to by whichever process works them out
    made = audit.fingerprints

    def counted(*args, **kwargs):
        with calls.open("a", encoding="utf-8") as f:
            f.write("fingerprints\n")
        return made(*args, **kwargs)

    monkeypatch.setattr(audit, "fingerprints", counted)
    monkeypatch.setattr(condense.parallel, "available_jobs", lambda jobs: 2)
    monkeypatch.setattr(condense.export, "WORKBOOK_BESIDE", 0)
    result = run(load_project(anon_project))
    write_results(result, tmp_path / "out")
    assert calls.read_text(encoding="utf-8").splitlines() == ["fingerprints"]
    with zipfile.ZipFile(tmp_path / "out" / "results.xlsx") as book:  # every part of it counted as checked
        assert result.audit["parts"] >= len(book.infolist()) > 0


def test_texts_checked_ahead_in_another_process_are_findings_in_every_file_that_holds_them(anon_project, tmp_path,
                                                                                           monkeypatch):
    """The run's scanner is made beside the condensation, in a forked process that checks the texts of the
    tables made so far there (audit.scanner_ahead); the processes that check the written files look those
    texts up. A protected term in the units' texts is then still a finding in every file and cell that holds
    it, the same findings as with the scanner made at the write stage in this process."""
    import multiprocessing as mp

    import condense.export
    import condense.parallel
    from condense import audit

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs fork")
    made = audit.fingerprints

    def planted(*args, **kwargs):  # a word of the units' texts as if it named an anonymous plan
        fp = made(*args, **kwargs)
        fp.terms["Gåklubben"] = "anonymous plan name"
        return fp

    monkeypatch.setattr(audit, "fingerprints", planted)
    monkeypatch.setattr(audit, "MAX_FINDINGS", 10_000)
    monkeypatch.setattr(condense.parallel, "available_jobs", lambda jobs: 2)  # forks even on one core
    monkeypatch.setattr(condense.export, "WORKBOOK_BESIDE", 0)
    ahead = audit.scanner_ahead
    started: list = []

    def findings(out, *, early: bool):
        monkeypatch.setattr(audit, "scanner_ahead", lambda *a: started.append(ahead(*a)) if early else None)
        result = run(load_project(anon_project))
        assert isinstance(result.audit_scanner, audit._Ahead) == early
        with pytest.raises(CondenseError) as failed:
            write_results(result, out)
        assert not out.exists()
        return str(failed.value), result.audit_scanner

    late, _ = findings(tmp_path / "late", early=False)
    early, scanner = findings(tmp_path / "early", early=True)
    assert started and early == late
    for name in ("units.csv", "units_coded.csv", "segments.csv", "results.xlsx", "report.html"):
        assert name in early, name
    assert any("Gåklubben" in text and problem for text, problem in scanner.seen.items())


# ---------------------------------------------------------------- the property test
LETTERS = "bcdfghjklmnpqrstvwxz"
FORMATS = ["txt", "md", "docx", "vtt", "srt", "notes", "excerpts", "answers"]


def _plant(fmt: str, word: str, placement: str, folder: Path) -> list[str]:
    """Write one transcript (or excerpt table) in ``fmt`` with ``word`` inside a withdrawn passage."""
    base = [("I", "Hvordan planlagde I aktiviteterne?"),
            ("R", "Vi planlagde det hele i en arbejdsgruppe med et lille budget, og beboerne bestemte selv."),
            ("I", "Og evalueringen?"),
            ("R", "Vi talte deltagerne hver gang til evalueringen, og vi besluttede at skrive det ned."),
            ("I", "Tak for snakken?"), ("R", "Selv tak, det var hyggeligt at fortælle om det hele i dag.")]
    secret = f"Naboen {word} havde en konflikt med gåklubben om {word}s penge"
    if fmt == "excerpts":
        with (folder / "excerpts.csv").open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["id", "text", "question"])
            w.writerow(["e1", f"Vi gik tur hver torsdag. [[withdrawn]] {secret}. [[/withdrawn]] Og så kaffe.", "Hvad skete der?"])
            w.writerow(["e2", f"[[withdrawn]]{secret}[[/withdrawn]]", ""])
            w.writerow(["e3", "Vi planlagde det med et budget og evaluerede det bagefter.", f"[[withdrawn]]{word}?[[/withdrawn]] Og?"])
        return [str(folder / "excerpts.csv")]
    if fmt == "answers":  # a survey's open answers (ingest/answers.py): answers, questions and attributes
        with (folder / "answers.csv").open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["respondent", "spørgsmål", "svar", "bydel"])
            w.writerow(["r1", base[0][1], f"Vi gik tur hver torsdag. [[withdrawn]] {secret}. [[/withdrawn]] Og så kaffe.", "Nord"])
            w.writerow(["r1", f"[[withdrawn]]{word}?[[/withdrawn]] Og?", base[3][1], "Nord"])
            w.writerow(["r2", base[2][1], f"[[withdrawn]]{secret}[[/withdrawn]]", f"[[withdrawn]]{word}[[/withdrawn]]"])
            w.writerow(["r2", base[4][1], base[5][1], "Syd"])
        return [str(folder / "answers.csv")]
    turns = [list(t) for t in base]
    if placement == "inside":
        turns[1][1] += f" [[withdrawn]] {secret}. [[/withdrawn]] Det var det."
    else:  # across turns: opens in a respondent turn, closes in the next interviewer turn
        turns[1][1] += f" [[withdrawn]] {secret}."
        turns[2][1] = f"Hvorfor {word}? [[/withdrawn]] " + turns[2][1]
    if fmt in ("txt", "md", "notes"):
        head = "---\nkind: notes\n---\n" if fmt == "notes" else "---\ninterviewer_labels: [I]\n---\n"
        label = (lambda s: f"**{s}:**") if fmt == "md" else (lambda s: f"{s}:")
        body = "\n\n".join(f"{label(s)} {t}" if fmt != "notes" else t for s, t in turns)
        path = folder / f"int_p.{'md' if fmt != 'txt' else 'txt'}"
        path.write_text(head + body + "\n", encoding="utf-8")
    elif fmt == "docx":
        import docx

        document = docx.Document()
        for s, t in turns:
            para = document.add_paragraph()
            for k, chunk in enumerate(re.split(r"(?<=\[\[with)", f"{s}: {t}")):  # markers split across runs
                para.add_run(chunk)
        path = folder / "int_p.docx"
        document.save(path)
    else:
        cues = []
        for k, (s, t) in enumerate(turns, start=1):
            stamp = f"00:00:{k * 3:02d}{'.' if fmt == 'vtt' else ','}000 --> 00:00:{k * 3 + 2:02d}{'.' if fmt == 'vtt' else ','}000"
            text = f"<v {s}>{t}" if fmt == "vtt" else f"{s}: {t}"
            cues.append(f"{k}\n{stamp}\n{text}\n")
        path = folder / f"int_p.{fmt}"
        path.write_text(("WEBVTT\n\n" if fmt == "vtt" else "") + "\n".join(cues), encoding="utf-8")
    return [str(path)]


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # a whole run per example: report, don't shrink
@given(stem=st.text(alphabet=LETTERS, min_size=6, max_size=10),
       case=st.sampled_from(["lower", "upper", "capitalize"]), placement=st.sampled_from(["inside", "across"]))
def test_a_planted_word_in_a_withdrawn_passage_reaches_no_output_byte(fmt, stem, case, placement):
    word = getattr("zq" + stem, case)()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / "transcripts"
        folder.mkdir()
        for i in range(1, 3):
            (folder / f"int{i}_x.txt").write_text(interview(i, gaaklub=True, extra=[FILLER[i]]), encoding="utf-8")
        (tmp / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
        inputs = _plant(fmt, word, placement, folder if fmt != "excerpts" else tmp)
        out = tmp / "out"
        if fmt == "excerpts":
            res = runner.invoke(app, ["code", *inputs, "--codebook", str(tmp / "codebook.yaml"), "--out", str(out)])
        else:
            also = "\n  - transcripts/answers.csv" if fmt == "answers" else ""
            (tmp / "condense.yaml").write_text(f"transcripts:\n  - transcripts{also}\ncodebook: codebook.yaml\noutput: out\n",
                                               encoding="utf-8")
            res = runner.invoke(app, ["run", str(tmp / "condense.yaml")])
        assert res.exit_code == 0, res.output
        assert word.casefold() not in res.output.casefold()
        text = output_text(out).casefold()
        assert word.casefold() not in text and stem not in text
        assert "[[withdrawn" not in text and "[[/withdrawn" not in text


# ---------------------------------------------------------------- real Danish interviews
def _ecape_copy(tmp: Path, names: list[str]) -> Path:
    """Copies of real interviews with planted withdrawn passages, a listed name and an anonymous respondent."""
    folder = tmp / "ecape"
    folder.mkdir()
    for n, name in enumerate(names):
        src = ECAPE / name
        with zipfile.ZipFile(src) as z:
            entries = {i.filename: z.read(i.filename) for i in z.infolist()}
        xml = entries["word/document.xml"].decode("utf-8")
        paras = [m.end() for m in re.finditer(r"</w:p>", xml)]
        at = paras[len(paras) // 2] - len("</w:p>")
        plant = (f'<w:r><w:t xml:space="preserve"> [[withdrawn]] zqplantord{n} nabo Vrimmelbjerg{n} fik bøde '
                 f'[[/withdrawn]] og Skrallemand{n} hjalp til i Plantebyen.</w:t></w:r>')
        xml = xml[:at] + plant + xml[at:]
        entries["word/document.xml"] = xml.encode("utf-8")
        with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as z:
            for k, v in entries.items():
                z.writestr(k, v)
    (folder / "transcripts.csv").write_text(
        "transcript,cases,anonymous\n" + "".join(f"{n},{'Plantebyen' if i == 0 else f'Plan{i}'},{'true' if i == 0 else 'false'}\n"
                                                 for i, n in enumerate(names)), encoding="utf-8")
    (folder / "cases.csv").write_text("case,kommune\nPlantebyen,Zebraby\n" + "".join(f"Plan{i},Vejle\n" for i in range(1, len(names))),
                                      encoding="utf-8")
    (folder / "pseudonyms.csv").write_text("real,pseudonym,kind\n" + "".join(f"Skrallemand{i},Person {i},person\n"
                                                                              for i in range(len(names))), encoding="utf-8")
    return folder


def _ecape_check(tmp_path, names):
    folder = _ecape_copy(tmp_path, names)
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(folder), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "Consent audit passed" in res.output
    text = output_text(out).casefold()
    for secret in ("zqplantord", "vrimmelbjerg", "skrallemand", "plantebyen", "zebraby", Path(names[0]).stem.casefold()):
        assert secret not in text, secret
    assert "anonym-01" in text
    audit = runner.invoke(app, ["audit", str(out), "--project", str(folder)])
    assert audit.exit_code == 0, audit.output


@pytest.mark.skipif(not ECAPE.exists(), reason="../shared/data/ecape_da is not present")
def test_planted_consent_on_real_danish_interviews_subset(tmp_path):
    _ecape_check(tmp_path, ["Interview 01.docx", "Interview 07.docx", "Interview 12.docx", "Interview 20.docx"])


@pytest.mark.slow
@pytest.mark.skipif(not ECAPE.exists(), reason="../shared/data/ecape_da is not present")
def test_planted_consent_on_all_real_danish_interviews(tmp_path):
    names = sorted(p.name for p in ECAPE.glob("*.docx") if "guide" not in p.name.lower())
    _ecape_check(tmp_path, names)


def test_anonymous_speaker_labels_only_those_speakers_get_a_public_id(tmp_path):
    joint = ("---\nid: int9\ncases: [Plan9]\ninterviewer_labels: [I]\nanonymous: [Y]\n---\n"
             "I: Hvordan planlagde I aktiviteterne?\n\n"
             "X: Vi planlagde det hele i en arbejdsgruppe med et lille budget, og beboerne bestemte selv om tirsdagen.\n\n"
             "Y: Jeg var med i Plan9 fra starten, og vi besluttede at skrive alt ned i en lille bog på kontoret bagefter.\n\n"
             "I: Og evalueringen?\n\nY: Vi talte deltagerne hver gang til evalueringen, og det var nok det vigtigste for os.\n")
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 3)}
    texts["int9_x.txt"] = joint
    cases = "case,region\nPlan1,Nord\nPlan2,Syd\nPlan9,Vest\n"
    result = run(load_project(make_project(tmp_path, texts, cases=cases)))
    units = result.tables["units"]
    y = units[units.transcript == "anonym-01"]
    x = units[units.transcript == "int9"]
    assert len(y) == 2 and set(y.cases) == {""} and set(y.speaker) == {""}
    assert "Plan9" not in " ".join(y.text) and "[anonymiseret]" in " ".join(y.text)
    assert len(x) == 1 and set(x.cases) == {"Plan9"} and set(x.speaker) == {"X"}
    evaluering = {c.unit_id for c in result.codings if c.theme == "evaluering"}
    assert any(u.startswith("anonym-01:") for u in evaluering)  # the guide context still reaches them


JOINT = ("---\nid: int9\ncases: [Plan9]\ninterviewer_labels: [I]\nanonymous: [Hanne]\n---\n"
         "I: Hvordan planlagde I aktiviteterne i Plan9?\n\n"
         "Ole: Vi planlagde det hele i en arbejdsgruppe med et lille budget, og Hanne skrev referatet hver gang.\n\n"
         "Hanne: Jeg var med i Plan9 fra starten, og vi besluttede at skrive alt ned i en lille bog på kontoret.\n\n"
         "I: Og evalueringen?\n\nHanne: Vi talte deltagerne hver gang til evalueringen, det var det vigtigste.\n")


def test_a_joint_interview_with_an_anonymous_speaker_runs_and_names_them_nowhere(tmp_path):
    """Speaker-level anonymity: the interview stays public for its named speaker (its id and plan are written,
    not an audit finding), and the anonymous speaker's name is gone from every unit, the named speaker's too."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 3)}
    texts["int9_x.txt"] = JOINT
    cases = "case,region\nPlan1,Nord\nPlan2,Syd\nPlan9,Vest\n"
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(make_project(tmp_path, texts, cases=cases)), "--out", str(out)])
    assert res.exit_code == 0, res.output
    # W803 says so on the terminal, without her name: a console is kept in CI logs and a notebook's .ipynb
    assert "W803" in res.output and "speaker(s) [anonymiseret] speak" in res.output and "Hanne" not in res.output
    assert "(Ole)" in res.output  # a named speaker is named
    units = (out / "units.csv").read_text(encoding="utf-8-sig")
    assert "int9:" in units and "Plan9" in units and "anonym-01:" in units
    assert "hanne" not in output_text(out).casefold()


def test_a_joint_interview_with_an_anonymous_speaker_is_not_exported_to_refi_qda(tmp_path):
    """A .qdpx carries whole transcripts linked to their cases: the anonymous speaker's words would sit in
    their plan's interview. Refused with a coded error, and nothing is written."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 3)}
    texts["int9_x.txt"] = JOINT
    project = make_project(tmp_path, texts, cases="case,region\nPlan1,Nord\nPlan2,Syd\nPlan9,Vest\n")
    res = runner.invoke(app, ["export", "qdpx", str(project), "--out", str(tmp_path / "p.qdpx")])
    assert res.exit_code == 1 and "E812" in res.output and "int9_x.txt" in res.output
    assert "speakers (anonym-01)" in res.output and "Hanne" not in res.output  # by public id, not her label
    assert not (tmp_path / "p.qdpx").exists()


def test_a_transcript_id_that_names_a_listed_person_is_pseudonymised_and_decisions_still_apply(tmp_path):
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 3)}
    texts["int3_x.txt"] = interview(3, gaaklub=True).replace("id: int3", "id: 03_fatma")
    project = make_project(tmp_path, texts, cases="case,region\nPlan1,Nord\nPlan2,Syd\nPlan3,Nord\n")
    (tmp_path / "pseudonyms.csv").write_text("real,pseudonym,kind\nFatma,Leila,person\n", encoding="utf-8")
    first = run(load_project(project))
    unit = next(u for u in first.segmentation.units if u.transcript == "03_leila")
    (tmp_path / "decisions.csv").write_text(
        "transcript,unit_id,fingerprint,dimension,theme,subtheme,action,coder,note\n"
        f"03_fatma,{unit.unit_id.replace('03_leila', '03_fatma')},,tema,mad,,add,ab,\n", encoding="utf-8")
    again = run(load_project(project))
    assert (unit.unit_id, "mad") in {(c.unit_id, c.theme) for c in again.codings if c.source == "human"}
    out = write_results(again, tmp_path / "out")
    assert "fatma" not in output_text(out).casefold()


def test_a_front_matter_key_given_twice_is_an_error_not_the_last_value(write):
    with pytest.raises(CondenseError) as err:
        read_transcript(write("a.txt", "---\nanonymous: true\nlanguage: da\nanonymous: false\n---\nI: Hej?\n\nR: Godt.\n"))
    assert err.value.code == "E107" and "twice" in str(err.value) and "line 4" in str(err.value)


def test_a_listed_plan_name_is_pseudonymised_in_tables_figures_and_the_html_report(tmp_path):
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    project = make_project(tmp_path, texts)
    (tmp_path / "pseudonyms.csv").write_text("real,pseudonym,kind\nPlan2,Skovby,place\n", encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = output_text(out)  # svg labels are checked through the comments matplotlib writes beside them
    assert not re.search(r"(?<![A-Za-z])plan2", text, re.I)
    assert "Skovby" in (out / "segments.csv").read_text(encoding="utf-8-sig")


# ---------------------------------------------------------------- issue 9 (j9b): what the sweep writes, condensates
HOSTILE = '<img src=x onerror="alert(1)">Leila & Co'


def test_a_pseudonym_that_would_change_the_files_it_lands_in_is_refused(tmp_path):
    """Pseudonyms are written into csv, markdown, yaml, html and xlsx text as they are: markup, separators,
    quotes and formula signs are refused with the line (E821); nothing is written."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 3)}
    project = make_project(tmp_path, texts)
    for bad in (HOSTILE, "Hansen, Jens", "=HYPERLINK(1)", "[kollega]", 'Leila "L"'):
        with (tmp_path / "pseudonyms.csv").open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["real", "pseudonym", "kind"], ["Ebbe", "Erik", "person"], ["Fatma", bad, "person"]])
        out = tmp_path / "out"
        res = runner.invoke(app, ["run", str(project), "--out", str(out)])
        assert res.exit_code == 1 and "E821" in res.output and "line 3" in res.output, (bad, res.output)
        assert "Traceback" not in res.output and not out.exists()


def test_a_pseudonym_with_an_ampersand_stays_text_in_the_report_the_workbook_and_the_json(tmp_path):
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[
        "Fatma startede gåklubben, og Fatmas søster hjalp med kaffen hver torsdag i beboerhuset sammen med os."])
        for i in range(1, 4)}
    project = make_project(tmp_path, texts)
    # names the pipeline does not pseudonymise itself reach the written files, where the sweep replaces them
    cb = tmp_path / "codebook.yaml"
    cb.write_text(CODEBOOK.replace("label: Gåklubben", "label: Gåklubben hos Fatma"), encoding="utf-8")
    pseudonym = "Leila & Co's"
    with (tmp_path / "pseudonyms.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["real", "pseudonym", "kind"], ["Fatma", pseudonym, "person"]])
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 0, res.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "fatma" not in output_text(out).casefold()
    assert "Leila & Co" not in page and "Leila &amp; Co" in page                # escaped in markup
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S).group(1)
    assert pseudonym in json.dumps(json.loads(data), ensure_ascii=False)
    for path in out.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # still JSON
    for path in out.rglob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        assert len({len(r) for r in rows}) <= 1, path                          # every row keeps its columns
    import openpyxl

    wb = openpyxl.load_workbook(out / "results.xlsx")  # still a workbook: the XML parts stayed XML
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(pseudonym in c for c in cells)


def test_a_condensate_keyed_by_an_anonymous_respondents_real_id_is_refused(anon_project, tmp_path):
    first = run(load_project(anon_project))
    row = first.tables["themes"].query("theme == 'gaaklub' and subtheme == ''").iloc[0]
    public = next(u for u in row.unit_ids.split(";") if u.startswith("anonym-01:"))
    real = public.replace("anonym-01", "07_solbakken")
    path = anon_project.parent / "condensates.csv"
    path.write_text("dimension,theme,subtheme,condensate,golden_unit_id,note\n"
                    f"tema,gaaklub,,Vi gik sammen hver torsdag.,{real},\n", encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(anon_project), "--out", str(out)])
    assert res.exit_code == 1 and "E412" in res.output and "condensates.csv, line 2" in res.output, res.output
    assert public in res.output and "Traceback" not in res.output and not out.exists()
    path.write_text("dimension,theme,subtheme,condensate,golden_unit_id,note\n"
                    f"tema,gaaklub,,Vi gik sammen hver torsdag.,{public},\n", encoding="utf-8")
    again = run(load_project(anon_project))
    assert again.tables["themes"].query("theme == 'gaaklub' and subtheme == ''").iloc[0].golden_unit_id == public


def test_the_sweep_escapes_a_pseudonym_for_html_its_json_block_xml_and_json(tmp_path):
    from condense.audit import sweep
    from condense.privacy import Privacy, Pseudonym, name_pattern

    privacy = Privacy(pseudonyms=[Pseudonym("Fatma", HOSTILE)])
    privacy.names = name_pattern(["Fatma"])
    (tmp_path / "report.html").write_text(
        '<html><body><h2 title="Fatma">Fatmas gåklub</h2>\n<script type="application/json" id="report-data">'
        '{"label":"FATMA siger"}</script><p>fatma</p></body></html>', encoding="utf-8")
    (tmp_path / "data.json").write_text('{"note": "Fatma"}', encoding="utf-8")
    (tmp_path / "figure.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>Fatma</text></svg>', encoding="utf-8")
    assert sweep(tmp_path, privacy) == 3
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<img" not in page.casefold() and page.count("<script") == 1 and page.count("<h2") == 1
    shown = html.unescape(re.sub(r"<script.*?</script>", "", page, flags=re.S))
    assert f'title="{HOSTILE}"' in shown and f"{HOSTILE}s gåklub" in shown and HOSTILE.lower() in shown
    data = re.search(r'id="report-data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(data) == {"label": f"{HOSTILE.upper()} siger"}
    assert json.loads((tmp_path / "data.json").read_text(encoding="utf-8")) == {"note": HOSTILE}
    import xml.etree.ElementTree as ET

    assert ET.parse(tmp_path / "figure.svg").getroot()[0].text == HOSTILE


def test_auditing_results_against_a_project_they_were_not_written_from_is_refused(anon_project, tmp_path):
    """`condense audit RESULTS` without --project assumes the built-in sample: another study's results were then
    searched for the sample's withdrawn passages and names (false alarms, or a false all-clear). Results none
    of whose transcripts is the project's get E832 naming the fix; with the right project the audit runs."""
    out = tmp_path / "res"
    assert runner.invoke(app, ["run", str(anon_project), "--out", str(out)]).exit_code == 0
    wrong = runner.invoke(app, ["audit", str(out)])
    assert wrong.exit_code == 1 and "E832" in wrong.output and "--project" in wrong.output, wrong.output
    assert "Traceback" not in wrong.output
    right = runner.invoke(app, ["audit", str(out), "--project", str(anon_project)])
    assert right.exit_code == 0 and "Consent audit passed" in right.output, right.output


def test_auditing_results_with_a_transcript_the_project_lacks_is_refused(anon_project, tmp_path):
    """Results written from the project plus an interview it does not have (run on a copy holding one more, or
    audited against an older project): that interview's withdrawn passage and anonymous respondent are unknown
    to the audit, which passed (E832 needs none of the transcripts to match). Now E835 names the file."""
    import shutil

    bigger = tmp_path / "bigger" / "condense.yaml"
    shutil.copytree(anon_project.parent, bigger.parent, ignore=shutil.ignore_patterns("bigger"))
    (bigger.parent / "transcripts" / "int9_x.txt").write_text(interview(9, gaaklub=True, extra=[FILLER[0]]), encoding="utf-8")
    out = tmp_path / "res"
    assert runner.invoke(app, ["run", str(bigger), "--out", str(out)]).exit_code == 0
    short = runner.invoke(app, ["audit", str(out), "--project", str(anon_project)])
    assert short.exit_code == 1 and "E835" in short.output and "int9_x.txt" in short.output, short.output
    assert runner.invoke(app, ["audit", str(out), "--project", str(bigger)]).exit_code == 0
    (bigger.parent / "transcripts" / "int1_x.txt").write_text(interview(1, gaaklub=False, extra=[]), encoding="utf-8")  # edited
    edited = runner.invoke(app, ["audit", str(out), "--project", str(bigger)])
    assert edited.exit_code == 0 and "Consent audit passed" in edited.output, edited.output


@pytest.mark.parametrize("letters,inflected", [(True, True), (False, False), (True, False)])
def test_a_name_pattern_finds_what_the_boundary_before_the_name_finds(letters, inflected):
    """name_pattern checks the boundary before a name after its first character (a faster scan): the same
    spans, names and inflections as the plain form that looks behind first, at and off every boundary, in
    other cases and scripts, at the start of a text and after a newline."""
    import random

    from condense.privacy import SUFFIX, name_pattern

    names = ["Kildebakken", "Kildebakken Syd", "int2", "c01_10_kildebakken", "Ayşe", "Øster-Ås", "Per", "(Nord)", "Æ"]
    norm = sorted({" ".join(n.split()) for n in names}, key=lambda n: (-len(n), n))
    alternatives = "|".join(r"\s+".join(re.escape(part) for part in n.split()) for n in norm)
    before, after = (r"(?<![^\W\d_])", r"(?![^\W\d_])") if letters else (r"(?<![\w])", r"(?![\w])")
    plain = re.compile(rf"{before}({alternatives})({SUFFIX if inflected else ''}){after}", re.I)
    fast = name_pattern(names, inflected=inflected, letters=letters)
    pieces = names + ["kildebakkens", "KILDEBAKKEN", "int20", "_", "1", "x", " ", "\n", ".", "-", "Syd", "ıt2",
                      "per", "Pers", "ayşes", "øster-ås", "(nord)", "bakken", "Kilde", "æ", "ÆØ", "é", "'s"]
    rng = random.Random(11)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    found = 0
    for text in texts:
        expected = [(m.span(), m.group(1), m.group(2)) for m in plain.finditer(text)]
        assert [(m.span(), m.group(1), m.group(2)) for m in fast.finditer(text)] == expected, text
        assert fast.sub("[x]", text) == plain.sub("[x]", text)
        found += len(expected)
    assert found > 1000


def test_lower_case_words_finds_what_a_word_boundary_first_finds():
    """Which of an anonymous respondent's name words a transcript writes in lower case: the pattern checks the
    boundary before a word after its first letter (a faster scan), and finds the same words as
    ``\\b(per|mark|…)\\b``, at the start of a text, after a newline, inside longer words and beside digits."""
    import random
    from types import SimpleNamespace

    from condense.privacy import _lower_case_words

    words = {"Per", "Mark", "Bo", "Søren", "Ayşe", "Øster-Ås", "O'Neill", "İlkay", "Kildebakken"}
    plain = re.compile(r"\b(" + "|".join(sorted(re.escape(w.lower()) for w in words)) + r")\b")
    pieces = ["per", "Per", "mark", "marken", "bo", "bor", "søren", "ayşe", "øster-ås", "o'neill", "i̇lkay",
              "kildebakken", "kildebakkens", " ", "\n", ".", "-", "_", "1", "x", "æ", "'"]
    rng = random.Random(5)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    found = set()
    for text in texts:
        expected = {m.group(1) for m in plain.finditer(text)}
        assert _lower_case_words([SimpleNamespace(text=text)], words) == expected, text
        found |= expected
    assert len(found) >= 7, found


@pytest.mark.parametrize("surname", ["Søndergaard", "Mandrup", "Barnekow"])
def test_an_anonymous_respondent_labelled_by_a_surname_that_starts_like_a_role_word_is_named_nowhere(tmp_path, surname):
    """Speaker labels that name a role ("Beboer", "Mand 2", "Søn") are no names; the test used to be whether the
    label *began* with a role word, so an anonymous respondent labelled Søndergaard ("søn"), Mandrup ("mand")
    or Barnekow ("barn") was taken for a role: their surname stayed in their own words and in another interview
    that names them, and the consent audit did not look for it."""
    anon = ("---\nid: int9\ncases: [Plan9]\ninterviewer_labels: [I]\nanonymous: true\n---\n"
            "I: Hvordan kom du med i projektet?\n\n"
            f"{surname}: Jeg så en seddel i opgangen, og vi lavede en gåklub for beboerne med et lille budget, "
            "og mange ældre kom med hver tirsdag.\n\n"
            "I: Og evalueringen?\n\n"
            f"{surname}: Fru {surname} fra nummer 12 er jo mig, og jeg talte deltagerne hver gang til evalueringen.\n")
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True) for i in range(1, 3)}
    texts["int1_x.txt"] += (f"\nI: Hvem var aktiv?\n\nR: Især en dame, {surname}, som bankede på alle døre i blokken "
                            "og fik de ældre med til gåturene.\n")
    texts["int9_x.txt"] = anon
    out = tmp_path / "out"
    cases = "case,region\nPlan1,Nord\nPlan2,Syd\nPlan9,Vest\n"
    res = runner.invoke(app, ["run", str(make_project(tmp_path, texts, cases=cases)), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert surname.casefold() not in output_text(out).casefold()
    units = (out / "units.csv").read_text(encoding="utf-8-sig")
    assert "Fru [anonymiseret] fra nummer 12" in units and "en dame, [anonymiseret], som" in units


def test_an_anonymous_respondents_two_letter_name_capitals_and_either_apostrophe_are_named_nowhere(tmp_path):
    """Census h11c: the respondent of 07_solbakken introduces himself as "Ib O’Neill Zenfeldt", with the
    apostrophe Word types. The introduction was read as "Ib" alone (’ ended the name), and a name word had to
    be three letters long, so another interview's "Ib", "Ibs", "O'Neill" and "Zenfeldt" reached every output
    and the audit looked for none of them; a name in capitals ("ZENFELDT") was not removed, and when the audit
    knew it, it refused the whole run (E830). "Iben", a name of its own, is no inflection of "Ib"."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] += ("\nI: Talte I med andre planer?\n\nR: Ja, Ib sagde det, og Ibs idé var god. O'Neill sendte "
                            "skemaet, og ZENFELDT ringede bagefter. Iben fra nummer 4 kom også.\n")
    texts["07_solbakken.txt"] = ANON.replace("Gurli Zenfeldt", "Ib O’Neill Zenfeldt")
    out, text = _run_beside_solbakken(tmp_path, texts)
    words = set(re.findall(r"\w+", text))
    assert not words & {"ib", "ibs", "neill", "zenfeldt"}, words & {"ib", "ibs", "neill", "zenfeldt"}
    units = (out / "units.csv").read_text(encoding="utf-8-sig")
    assert ("Ja, [anonymiseret] sagde det, og [anonymiseret] idé var god. [anonymiseret] sendte skemaet, og "
            "[anonymiseret] ringede bagefter. Iben fra nummer 4") in " ".join(units.split())


@pytest.mark.parametrize("file,content", [
    ("condensates.csv", "dimension,theme,subtheme,condensate,golden_unit_id,note\n"
                        "fase,evaluering,,\"Vi talte deltagerne, og “ZEBRAFROST  fra Kvistgaardsk” var\n"
                        "HEMMELIGHEDSFULD om naboens datter.\",,\n"),
    ("decisions.csv", "unit_id,dimension,action,theme,subtheme,note,coder\n"
                      "int1:0003:1,fase,add,evaluering,,\"zebrafrost  FRA kvistgaardsk, se det\",anne\n"),
])
def test_a_researchers_condensate_or_note_repeating_a_withdrawn_passage_stops_the_run(tmp_path, file, content):
    """Census h11c: a condensate or a review note written before the respondent withdrew the passage it repeats
    (in other letter case, spacing and quotes) reached report.md, report.html, results.xlsx and codings.csv,
    and the audit passed: the researcher's condensates and decisions files were texts it allowed, so their
    words were no finding (and a passage marked withdrawn in them would have been allowed everywhere)."""
    secret = "Zebrafrost fra Kvistgaardsk var hemmelighedsfuld om naboens datter bagefter."
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] = interview(1, gaaklub=True, extra=[FILLER[1]], withdrawn=secret)
    project = make_project(tmp_path, texts)
    (project.parent / file).write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    # census h11c: the refusal named the output file and line the words turned up in (codings.csv, line 45),
    # not the row of the researcher's own file to mend; now the file, its row and column, before any output
    column = "condensate" if file == "condensates.csv" else "note"
    said = " ".join(res.output.split())
    assert res.exit_code == 1 and "[E833]" in said and f"{file}, line 2, column '{column}'" in said, res.output
    assert "E830" not in said and "Traceback" not in said and not out.exists()
    assert "Zebrafrost".casefold() not in said.casefold() and "Kvistgaardsk".casefold() not in said.casefold()


def test_tables_from_saved_codings_refuse_a_review_note_repeating_a_withdrawn_passage_at_its_row(tmp_path):
    """`tables` (steps 3-4 from a run's codings.csv) reads the decisions file as `run` does: a note repeating a
    withdrawn passage is refused at its row (E833) before anything is written."""
    import condense
    from condense.project import load_project

    secret = "Zebrafrost fra Kvistgaardsk var hemmelighedsfuld om naboens datter bagefter."
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] = interview(1, gaaklub=True, extra=[FILLER[1]], withdrawn=secret)
    project = make_project(tmp_path, texts)
    assert runner.invoke(app, ["run", str(project)]).exit_code == 0
    (project.parent / "decisions.csv").write_text("unit_id,dimension,action,theme,subtheme,note,coder\n"
                                                  "int1:0003:1,fase,add,evaluering,,ok\n"
                                                  "int1:0003:1,fase,add,evaluering,,\"zebrafrost  FRA kvistgaardsk\",anne\n",
                                                  encoding="utf-8")
    with pytest.raises(CondenseError) as caught:
        condense.tables(load_project(project), out=tmp_path / "t")
    assert caught.value.code == "E833" and "decisions.csv, line 3, column 'note'" in str(caught.value)
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize("file,content,column", [
    ("condensates.csv", "dimension,theme,subtheme,condensate,golden_unit_id,note\n"
                        "fase,evaluering,,Vi talte deltagerne.,,\n"
                        "fase,evaluering,,\"ZEBRAFROST fra Kvistgaardsk var hemmelighedsfuld om naboens datter\",,\n",
     "condensate"),
    ("decisions.csv", "unit_id,dimension,action,theme,subtheme,note,coder\n"
                      "int1:0003:1,fase,add,evaluering,,ok,anne\n"
                      "int1:0003:1,fase,add,evaluering,,\"zebrafrost  FRA kvistgaardsk\",anne\n", "note"),
])
def test_the_condense_verb_refuses_a_condensate_or_note_repeating_a_withdrawn_passage_at_its_row(tmp_path, file,
                                                                                                 content, column):
    """h14b: `condense.condense(project)`, the in-memory step 3 of notebooks, applied a researcher's condensates
    (and review notes) without the check the run makes as it reads them: the withdrawn words came back in the
    returned condensation, where no audit of a results folder would ever see them."""
    import condense
    from condense.project import load_project

    secret = "Zebrafrost fra Kvistgaardsk var hemmelighedsfuld om naboens datter bagefter."
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] = interview(1, gaaklub=True, extra=[FILLER[1]], withdrawn=secret)
    project = make_project(tmp_path, texts)
    (project.parent / file).write_text(content, encoding="utf-8")
    with pytest.raises(CondenseError) as caught:
        condense.condense(load_project(project))
    assert caught.value.code == "E833" and f"{file}, line 3, column '{column}'" in str(caught.value)
    assert "zebrafrost" not in str(caught.value).casefold()


def _condensate_with_a_word_another_interview_says(tmp_path):
    """A project whose condensates.csv shares with int1's withdrawn passage only "Kvistgaardsk", which int2 says
    openly: the condensate must be applied."""
    secret = "Zebrafrost fra Kvistgaardsk var hemmelighedsfuld om naboens datter bagefter."
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] = interview(1, gaaklub=True, extra=[FILLER[1]], withdrawn=secret)
    texts["int2_x.txt"] = interview(2, gaaklub=True, extra=["Vi lånte lokalet hos Kvistgaardsk hver onsdag."])
    project = make_project(tmp_path, texts)
    (project.parent / "condensates.csv").write_text("dimension,theme,subtheme,condensate,golden_unit_id,note\n"
                                                   "fase,evaluering,,Vi talte deltagerne hos KVISTGAARDSK.,,\n",
                                                   encoding="utf-8")
    return project


def test_the_condense_verb_applies_a_condensate_that_repeats_no_withdrawn_passage(tmp_path):
    """The other side: with the check in place, a condensate sharing with the withdrawn passage only a word another
    interview says openly is still applied by `condense.condense`."""
    import condense
    from condense.project import load_project

    project = _condensate_with_a_word_another_interview_says(tmp_path)
    condensation = condense.condense(load_project(project))
    applied = [g for g in condensation.groups if g.researcher]
    assert [g.condensate for g in applied] == ["Vi talte deltagerne hos KVISTGAARDSK."], applied


def test_a_condensate_sharing_with_a_withdrawn_passage_only_what_other_interviews_say_is_no_refusal(tmp_path):
    """The check as the condensates are read matches as the audit does: a word of a withdrawn passage that another
    interview says openly ("Kvistgaardsk") is no finding, so the condensate that uses it is applied."""
    project = _condensate_with_a_word_another_interview_says(tmp_path)
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "Vi talte deltagerne hos KVISTGAARDSK." in (out / "themes.csv").read_text(encoding="utf-8-sig")


def test_the_consent_audit_still_finds_a_withdrawn_passage_the_researchers_file_carried_into_the_outputs(tmp_path):
    """The check as the condensates are read (E833) comes first; the audit of the written files stays the last
    guard: a results folder that carries such a condensate is still refused (E830)."""
    secret = "Zebrafrost fra Kvistgaardsk var hemmelighedsfuld om naboens datter bagefter."
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] = interview(1, gaaklub=True, extra=[FILLER[1]], withdrawn=secret)
    project = make_project(tmp_path, texts)
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(project), "--out", str(out)]).exit_code == 0
    (out / "extra.csv").write_text("condensate\nZEBRAFROST fra kvistgaardsk\n", encoding="utf-8")
    res = runner.invoke(app, ["audit", str(out), "--project", str(project)])
    assert res.exit_code == 1 and "E830" in res.output and "extra.csv" in res.output, res.output


def test_metadata_saved_on_a_mac_in_decomposed_letters_still_hides_the_anonymous_and_the_listed(tmp_path):
    """Census h11c: a cases.csv, transcripts.csv or pseudonyms.csv saved on a Mac may write "Å" as "A" and a
    combining ring (NFD), while transcripts are read in NFC. The anonymous interview's plan then had no row
    (W104), so its kommune ("Århus Vest") stayed in its words; its respondent named in transcripts.csv ("Åse
    Ågård") stayed in another interview's words; a listed name ("Åge Åkjær") was not pseudonymised; and the
    audit, looking for the decomposed forms, passed."""
    import unicodedata

    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] += "\nI: Andre?\n\nR: Ja, vi talte med Åse Ågård om budgettet, og Åge Åkjær kom også forbi.\n"
    texts["int9_x.txt"] = ("I: Hvor arbejder du?\n\nR: Jeg arbejder i Ågården ude i Århus Vest, og vi planlagde det "
                           "hele i en arbejdsgruppe med et lille budget hver tirsdag.\n")
    project = make_project(tmp_path, texts, cases=nfd("case,kommune\nPlan1,Vejle\nPlan2,Odense\nPlan3,Vejle\n"
                                                      "Ågården,Århus Vest\n"))
    folder = tmp_path / "transcripts"
    (folder / "transcripts.csv").write_text(nfd("transcript,cases,anonymous,interviewer_labels,respondent\n"
                                                "int9_x.txt,Ågården,true,I,Åse Ågård\n"), encoding="utf-8")
    (folder / "pseudonyms.csv").write_text(nfd("real,pseudonym,kind\nÅge Åkjær,Eva Berg,person\n"), encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(project), "--out", str(out)])
    assert res.exit_code == 0 and "W104" not in res.output, res.output
    text = unicodedata.normalize("NFC", output_text(out)).casefold()
    for secret in ("ågården", "århus", "åse", "ågård", "åge", "åkjær"):
        assert secret not in text, secret
    assert "eva berg kom også forbi" in text


def test_a_self_introduction_in_capitals_hides_the_name_as_other_interviews_write_it(tmp_path):
    """Census h11c: "JEG HEDDER GURLI ZENFELDT" (a transcript typed in capitals for a heading or a shout) made
    "GURLI" the name word to remove, so another interview's "Gurli" stayed and the audit refused the run (E830)."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] += "\nI: Andre?\n\nR: Ja, Gurli sendte os skemaet, og Zenfeldts gåklub var god.\n"
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt", "JEG HEDDER GURLI ZENFELDT")
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text


def test_a_self_introduction_in_lower_case_hides_the_name_too(tmp_path):
    """Census h11c: a transcript from speech-to-text (or a hurried transcriber) writes "jeg hedder gurli zenfeldt
    og …" with no capital: the name was taken for no name at all, so it stayed in the anonymous respondent's own
    unit beside anonym-01, in another interview naming her, and the audit passed. The words before the first
    stop word are the name; "jeg hedder ikke noget særligt" names nobody."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] += ("\nI: Andre?\n\nR: Ja, Gurli Zenfeldt sendte os skemaet, og jeg hedder ikke noget særligt "
                            "i den sammenhæng.\n")
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi", "jeg hedder gurli zenfeldt og vi")
    out, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text
    units = " ".join((out / "units.csv").read_text(encoding="utf-8-sig").split())
    assert "jeg hedder [anonymiseret] og vi" in units and "jeg hedder ikke noget særligt i den sammenhæng" in units


@pytest.mark.parametrize("where", ["file name", "title"])
def test_a_name_only_the_anonymous_interviews_file_name_holds_is_hidden_where_another_interview_writes_it(tmp_path,
                                                                                                         where):
    """Census h11c: the researcher named the anonymous interview's file after the respondent ("Interview Gurli
    Zenfeldt.txt", no self-introduction), or its title ("title: Samtale med Gurli Zenfeldt"); neither reached an
    output, but another interview's "Gurli Zenfeldt" did, and the audit passed. Runs of their words that a
    transcript writes as a name are the respondent's name; the other words ("interview") are left alone."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] += "\nI: Andre?\n\nR: Ja, Gurli Zenfeldt sendte os skemaet til vores interview.\n"
    anon = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi", "Vi")
    if where == "file name":
        texts["Interview Gurli Zenfeldt.txt"] = anon.replace("id: 07_solbakken\n", "")
    else:
        texts["07_solbakken.txt"] = anon.replace("anonymous: true\n", "anonymous: true\ntitle: Samtale med Gurli Zenfeldt\n")
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text
    assert "[anonymiseret] sendte os skemaet til vores interview" in " ".join(text.split())


def test_a_withdrawn_self_introduction_still_hides_the_name_where_another_interview_writes_it(tmp_path):
    """Census h11c: the anonymous respondent withdrew the passage where she says her name ("[[withdrawn]]Jeg
    hedder Gurli Zenfeldt[[/withdrawn]]"), so nothing told condense her name, and a colleague's "Gurli Zenfeldt"
    in another interview reached every output with the audit passing. The name is kept in memory, as the
    passage's fingerprints are, to hide it."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] += "\nI: Andre?\n\nR: Ja, Gurli Zenfeldt sendte os skemaet, og Gurli ringede bagefter.\n"
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi",
                                             "[[withdrawn]]Jeg hedder Gurli Zenfeldt.[[/withdrawn]] Vi")
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text


@pytest.mark.parametrize("intro,names", [("I'm Gail", ["gail"]), ("Hi, I’m Gail", ["gail"]),
                                         ("I am Gail Hansen", ["gail", "hansen"]), ("my name is gail", ["gail"])])
def test_an_english_self_introduction_by_i_am_names_the_anonymous_respondent_in_no_output(tmp_path, intro, names):
    """h14b: "I'm Gail" and "I am Gail Hansen" named nobody (only "my name is …" and "I'm called …" did), so the
    anonymous respondent's name stayed in her units and in another interview naming her, and the audit passed;
    the lower-case "my name is gail" of speech-to-text is read as "Gail"."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] += "\nI: Andre?\n\nR: Ja, Gail Hansen sendte os skemaet, og Gail ringede bagefter.\n"
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi", f"{intro}, og vi")
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert not [n for n in names if n in text], [n for n in names if n in text]


@pytest.mark.parametrize("text,safe", [("I'm Gail, and I run the homework club on Wednesdays.", False),
                                       ("Well, I am Gail Hansen and I run the homework club.", False),
                                       ("I'm Sure the homework club helped the children a lot.", True),
                                       ("I'm English, so the homework club was new to me.", True)])
def test_a_unit_introducing_its_speaker_by_i_am_is_no_quote(text, safe):
    """h14b: quote safety refuses a self-introduction ("my name is …"); "I'm Gail" is one too, "I'm Sure" is not."""
    from types import SimpleNamespace

    from condense.privacy import quote_safe

    assert quote_safe(SimpleNamespace(text=text, anonymous=False)) is safe


def test_an_ordinary_word_after_i_am_names_nobody(tmp_path):
    """The other side: "I'm" is followed by ordinary words far more often than by names; capitalised at a
    sentence start or as a nationality ("I'm Sure", "I'm English", "I'm Ill"), they are no name, and they stay."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["07_solbakken.txt"] = ANON.replace(
        "Jeg hedder Gurli Zenfeldt, og vi planlagde",
        "I'm Sure. I'm English, og I am Ill tit, men vi planlagde")
    out, text = _run_beside_solbakken(tmp_path, texts)
    units = " ".join((out / "units.csv").read_text(encoding="utf-8-sig").split())
    assert "I'm Sure. I'm English, og I am Ill tit, men vi planlagde" in units, units[:2000]
    assert "sure" in text and "english" in text and "ill" in text


@pytest.mark.parametrize("intro", ["Mit navn det er", "Nå, så hedder jeg", "My name’s", "My name's"])
def test_every_self_introduction_quote_safety_knows_also_names_the_respondent(tmp_path, intro):
    """Census h11c: "mit navn det er …", "hedder jeg …" and "my name's …" (with either apostrophe) were
    self-introductions to quote safety (the curly "my name’s" not even that) but named nobody, so another
    interview's "Gurli Zenfeldt" reached every output and the audit passed."""
    texts = {f"int{i}_x.txt": interview(i, gaaklub=True, extra=[FILLER[i % 3]]) for i in range(1, 4)}
    texts["int1_x.txt"] += "\nI: Andre?\n\nR: Ja, Gurli Zenfeldt sendte os skemaet.\n"
    texts["07_solbakken.txt"] = ANON.replace("Jeg hedder Gurli Zenfeldt, og vi", f"{intro} Gurli Zenfeldt, og vi")
    _, text = _run_beside_solbakken(tmp_path, texts)
    assert "gurli" not in text and "zenfeldt" not in text


@pytest.mark.parametrize("intro", ["I am Gail, and I ran the café.", "I’m Gail, and I ran the café.",
                                   "Well, my name’s Gail and I ran the café.", "The cook, she’s called Gail, ran the café."])
def test_names_proposes_an_introduction_with_a_curly_apostrophe_or_i_am(tmp_path, intro):
    """`condense names` read "I'm Gail," and "my name's Gail" with a straight apostrophe only, and not "I am Gail,":
    Word and most phones write the curly one."""
    from condense.ingest import ingest
    from condense.names import propose

    (tmp_path / "a.txt").write_text(f"---\nlanguage: en\n---\nI: Who are you?\n\nR: {intro}\n", encoding="utf-8")
    (gail,) = [c for c in propose(ingest([tmp_path / "a.txt"]), language="en") if c.real == "Gail"]
    assert gail.strength == 3 and gail.kind == "person"  # read as an introduction, not as a capitalised word
    assert set(gail.evidence) - {"capitalised mid-sentence"}
