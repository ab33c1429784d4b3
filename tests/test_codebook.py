"""Codebook format and validation: every problem reported at once, with code and line."""
from __future__ import annotations

import pytest

from condense.codebook import dump_codebook, load_codebook, merge_codebooks, parse_codebook, slugify
from condense.errors import CondenseError, CondenseErrors
from conftest import CODEBOOK_DA, CODEBOOK_EN, ROOT

GOOD = """\
codebook: mini
label: Mini
language: da
dimensions:
  - id: fase
    label: Fase
    themes:
      - id: ideudvikling
        label: Idéudvikling
        terms: [workshop, idé]
        subthemes:
          - id: workshops
            label: Workshops
            terms: [workshop]
            subthemes:
              - id: store_moeder
                label: Store møder
                terms: [stormøde]
      - id: evaluering
        label: Evaluering
"""


def test_parses_nested_subthemes_and_warns_for_theme_without_terms():
    cb = parse_codebook(GOOD, "mini.yaml")
    theme = cb.dimension("fase").theme("ideudvikling")
    assert [(s.id, d) for s, d in theme.walk()] == [("workshops", 1), ("store_moeder", 2)]
    assert theme.subthemes[0].origin == "predefined"  # inherited
    warnings = [(w.code, w.message) for w in cb.diagnostics]
    assert len(warnings) == 1 and warnings[0][0] == "W201" and "'evaluering'" in warnings[0][1] and "line 19" in warnings[0][1]


def test_a_codebook_of_many_themes_without_words_gets_one_warning_not_one_each():
    """A codebook from another QDA program (NVivo's 204 codes, `condense codebook import`) has no words at all:
    a W201 per theme filled the terminal with 204 lines, hiding every other warning. Up to five are named one
    by one; more make one W203 for the dimension, with the first few and their count."""
    many = "".join(f"      - id: kode{i}\n        label: Kode {i}\n" for i in range(6))
    cb = parse_codebook(GOOD.replace("      - id: evaluering\n        label: Evaluering\n", many), "mini.yaml")
    warnings = [(w.code, w.message) for w in cb.diagnostics]
    assert [c for c, _ in warnings] == ["W203"], warnings
    assert "6 themes in dimension 'fase'" in warnings[0][1] and "'kode0' (line 19)" in warnings[0][1]
    assert "and 3 more" in warnings[0][1]


def test_all_errors_are_collected_with_lines():
    bad = GOOD.replace("language: da", "language: dk").replace("label: Idéudvikling", "lable: Idéudvikling") \
        .replace("id: evaluering", "id: ideudvikling").replace("terms: [stormøde]", "terms: 3")
    with pytest.raises(CondenseErrors) as err:
        parse_codebook(bad, "mini.yaml")
    codes = {e.code: str(e) for e in err.value.errors}
    assert set(codes) == {"E206", "E202", "E204", "E205"}
    assert "line 3" in codes["E206"]
    assert "'lable'" in codes["E202"] and "did you mean 'label'" in codes["E202"] and "line 9" in codes["E202"]
    assert "lines 8 and 19" in codes["E204"]
    assert "line 18" in codes["E205"]


FOLLOWUPS = """\
followups:
  - id: udfordringer
    label: Udfordringer
    cues: [svært, op ad bakke]
  - id: rolle
    label: Egen rolle
    cues: [din rolle]
"""


def test_the_guides_follow_ups_are_read_kept_and_checked():
    cb = parse_codebook(GOOD.replace("dimensions:", FOLLOWUPS + "dimensions:"), "mini.yaml")
    assert [(f.id, f.label, f.cues) for f in cb.followups] == [("udfordringer", "Udfordringer", ["svært", "op ad bakke"]),
                                                               ("rolle", "Egen rolle", ["din rolle"])]
    assert parse_codebook(dump_codebook(cb)).followups == cb.followups  # written back as read
    bad = FOLLOWUPS.replace("    cues: [din rolle]\n", "    cue: [din rolle]\n").replace("id: rolle", "id: udfordringer")
    with pytest.raises(CondenseErrors) as err:
        parse_codebook(GOOD.replace("dimensions:", bad + "dimensions:"), "mini.yaml")
    codes = {e.code: str(e) for e in err.value.errors}
    assert set(codes) == {"E202", "E203", "E204"}
    assert "'cue'" in codes["E202"] and "line 10" in codes["E202"] and "'cues'" in codes["E203"]
    assert "lines 5 and 8" in codes["E204"]


def test_non_ascii_id_gets_a_suggestion():
    with pytest.raises(CondenseErrors) as err:
        parse_codebook(GOOD.replace("id: ideudvikling", "id: idéudvikling"), "x.yaml")
    assert err.value.errors[0].code == "E207" and "'ideudvikling'" in str(err.value)


def test_dump_keeps_readable_unicode_and_round_trips():
    cb = parse_codebook(GOOD, "mini.yaml")
    text = dump_codebook(cb)
    assert "Idéudvikling" in text and "\\u" not in text
    assert dump_codebook(parse_codebook(text)) == text


def test_slugify_danish():
    assert slugify("Idéudvikling og Gennemførelse på Åen") == "ideudvikling_og_gennemfoerelse_paa_aaen"


@pytest.mark.parametrize("path", [CODEBOOK_DA, CODEBOOK_EN, ROOT / "codebooks" / "stc-template.yaml"])
def test_shipped_codebooks_are_valid(path):
    cb = load_codebook(path)
    assert not list(cb.diagnostics)


def test_default_codebook_has_the_study_ids():
    cb = load_codebook(CODEBOOK_DA)
    assert [d.id for d in cb.dimensions] == ["fase", "deltagelse", "tema"]
    assert [t.id for t in cb.dimension("fase").themes] == [
        "vidensindsamling", "ideudvikling", "planlaegning", "gennemfoerelse", "forankring", "evaluering"]
    assert [t.id for t in cb.dimension("deltagelse").themes] == [
        "beboerinitiativ_faelles", "beboerinitiativ_beboer", "professionelt_faelles", "professionelle_informerer"]
    assert [t.id for t in cb.dimension("tema").themes] == [
        "sundhedsforstaaelse", "aktivitetstyper", "maalgrupper", "deltagerantal", "information_opsoegende",
        "samarbejdsrelationer", "tilpasset_ressourcer", "kompetenceopbygning"]
    assert len(cb.dimension("tema").theme("aktivitetstyper").subthemes) == 7
    assert cb.dimension("fase").theme("ideudvikling").label == "Idéudvikling"
    assert all(t.origin == "emergent" for t in cb.dimension("tema").themes)
    en = load_codebook(CODEBOOK_EN)
    assert [[t.id for t in d.themes] for d in en.dimensions] == [[t.id for t in d.themes] for d in cb.dimensions]


def test_merge_reports_conflicts_and_adds_new_themes():
    base = parse_codebook(GOOD)
    cand = parse_codebook("codebook: c\nlanguage: da\ndimensions:\n  - id: fase\n    label: F\n    themes:\n"
                          "      - {id: lektiecafe, label: Lektiecafé, origin: emergent, status: candidate, terms: [lektie]}\n"
                          "      - {id: workshops, label: W, terms: [x]}\n")
    merged, conflicts = merge_codebooks(base, cand)
    assert conflicts == ["fase/workshops"]
    assert [t.id for t in merged.dimension("fase").themes] == ["ideudvikling", "evaluering", "lektiecafe"]
    parse_codebook(dump_codebook(merged))  # still valid


def test_missing_file_is_coded():
    with pytest.raises(CondenseError) as err:
        load_codebook("nope.yaml")
    assert err.value.code == "E201"


def test_a_tab_in_a_codebook_is_named_as_a_tab_with_its_mend(tmp_path):
    """Census h11c: a tab (an editor shows it as spaces) gave "found character '\\t' that cannot start any token.
    Fix: Check the path and that the file is valid YAML"; the message now says it is a tab and what to do."""
    path = tmp_path / "cb.yaml"
    path.write_text("codebook: cb\nlanguage: da\ndimensions:\n  - id: fase\n\tlabel: Fase\n", encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        load_codebook(path)
    assert err.value.code == "E201" and "line 5:" in str(err.value) and "replace the tab with spaces" in str(err.value)


@pytest.mark.parametrize("text, line", [
    ("codebook: cb\nlabel: !!int \ndimensions: []\n", 2),  # PyYAML's builder raised IndexError here
    ("codebook: cb\nlabel: T\nlanguage: da\ndimensions:\n  - id: tema\n    label: !!float abc\n", 6),
])
def test_a_typed_value_yaml_cannot_build_is_named_with_its_line(tmp_path, text, line):
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CondenseError) as err:
        load_codebook(path)
    assert err.value.code == "E201" and f"line {line}:" in str(err.value) and "remove the tag" in str(err.value)


def test_a_key_given_twice_is_refused_not_half_dropped():
    """A second `terms:` under one theme (a researcher adding words at the end) made YAML keep only the second
    list: the theme lost every earlier term and coded almost nothing, without a word."""
    twice = GOOD.replace("        terms: [workshop, idé]\n", "        terms: [workshop, idé]\n        terms: [kaffe]\n", 1)
    with pytest.raises(CondenseErrors) as err:
        parse_codebook(twice, "mini.yaml")
    (only,) = err.value.errors
    assert only.code == "E211" and "'terms'" in str(only) and "lines 10 and 11" in str(only)
    assert parse_codebook(GOOD, "mini.yaml")  # one `terms:` per theme, as written, stays valid


def test_a_search_wildcard_in_a_term_is_named():
    """Researchers from NVivo or ATLAS.ti write 'sund*' for every word starting so; condense reads the '*' as
    nothing and matched 'sund' alone, without a word. A term with no word in it never matched at all."""
    cb = parse_codebook(GOOD.replace("terms: [workshop, idé]", "terms: [workshop, 'sund*', '*', 'beboer?']"), "mini.yaml")
    named = {w.message.split("'")[1]: str(w) for w in cb.diagnostics.warnings if w.code == "W202"}
    assert set(named) == {"sund*", "*", "beboer?"}
    assert "never matches" in named["*"] and "not by patterns" in named["sund*"] and "line 8" in named["sund*"]
    assert not [w for w in parse_codebook(GOOD, "mini.yaml").diagnostics.warnings if w.code == "W202"]


def test_merging_candidates_unnamed_warns_which_are_still_proposals(sample_run, tmp_path):
    """candidates.yaml asks the researcher to name each candidate and delete the rest; merged unread, every proposal
    became a theme coded on the next run, without a word. W204 names those still labelled as proposed."""
    import yaml

    from condense.verbs import merge_codebooks as merge_files

    _, out = sample_run
    data = yaml.safe_load((out / "candidates.yaml").read_text(encoding="utf-8"))
    themes = data["dimensions"][0]["themes"]
    assert len(themes) > 2
    themes[0]["label"] = "Evalueringsaftener"  # named by the researcher
    del themes[2:]                            # the rest deleted
    edited = tmp_path / "candidates.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    codebook = CODEBOOK_DA
    result = merge_files(codebook, edited, out=tmp_path / "merged.yaml")
    assert result.added == 2
    [warning] = result.diagnostics.warnings
    assert warning.code == "W204" and themes[1]["id"] in warning.message and themes[0]["id"] not in warning.message
    themes[1]["label"] = "Styregruppen"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert not merge_files(codebook, edited).diagnostics.warnings


@pytest.mark.parametrize("line,said", [
    ("    top_k: 2.5", "a whole number of at least 1, got 2.5"),    # a TypeError in the coder's slice
    ("    top_k: 0", "a whole number of at least 1, got 0"),        # an IndexError
    ("    top_k: -1", "a whole number of at least 1, got -1"),
    ("    threshold: .nan", "a number of at least 0, got nan"),      # compared false with every score
    ("    threshold: -1", "a number of at least 0, got -1"),         # every theme applied
])
def test_a_dimensions_numbers_are_checked_as_what_they_are(line, said):
    text = GOOD.replace("    label: Fase\n", "    label: Fase\n    multi_label: true\n" + line + "\n")
    with pytest.raises(CondenseError) as err:
        parse_codebook(text, "mini.yaml")
    errors = err.value.errors if isinstance(err.value, CondenseErrors) else [err.value]
    assert [e.code for e in errors] == ["E205"] and said in str(errors[0]) and "line 8" in str(errors[0])


def test_a_codebook_number_with_an_exponent_is_a_number():
    """`threshold: 1e-1` (no dot) is text to PyYAML, refused as "expected a number"."""
    text = GOOD.replace("    label: Fase\n", "    label: Fase\n    multi_label: true\n    threshold: 5e-1\n    top_k: 3e0\n")
    dimension = parse_codebook(text, "mini.yaml").dimensions[0]
    assert (dimension.threshold, dimension.top_k) == (0.5, 3)
    weighted = GOOD.replace("        terms: [workshop, idé]\n", "        terms: [workshop, idé]\n        weight: -2\n")
    with pytest.raises(CondenseError) as err:                     # a term counting against its theme
        parse_codebook(weighted, "mini.yaml")
    assert "weight" in str(err.value)


def test_a_term_that_is_an_everyday_word_is_warned():
    """`terms: [og]` coded 125 of the sample's 142 units of two interviews with the theme, without a word; a phrase
    of such words ("hvor mange der kom") is matched in its order and stays quiet, as in the shipped codebooks."""
    from condense.errors import Diagnostics

    text = GOOD.replace("terms: [workshop, idé]", "terms: [workshop, og, Det]\n        phrases: [hvor mange der kom]")
    codebook = parse_codebook(text, "mini.yaml")
    said = [w for w in codebook.diagnostics.warnings if w.code == "W205"]
    assert sorted(w.message.split("'")[1] for w in said) == ["Det", "og"], said
    for path in (CODEBOOK_DA, CODEBOOK_EN):
        assert not [w for w in load_codebook(path).diagnostics.warnings if w.code == "W205"]


@pytest.mark.parametrize("extra,said", [
    ("subthemes: [null]", "Wrong type for 'the entry' in sub-theme 1 of theme 'evaluering' of dimension 'fase'"
                          " (mini.yaml, line 21): expected a mapping (key: value lines), got nothing (an empty entry)"),
    ("subthemes: abc", "'subthemes' in theme 'evaluering' of dimension 'fase' (mini.yaml, line 21): expected a list "
                       "of sub-themes, got 'abc'"),
])
def test_a_wrong_entry_is_named_by_its_theme_and_what_it_holds(extra, said):
    """Messages said "theme 'a' of theme 1 of dimension 'fase'", "got NoneType", and "got a mapping" for text."""
    with pytest.raises(CondenseError) as err:
        parse_codebook(GOOD + "        " + extra + "\n", "mini.yaml")
    assert said in str(err.value)


COMMENTED = """\
codebook: mini   # my study
language: da
dimensions:
  # the project's phases, as in the guide
  - id: fase
    label: Fase
    themes:
      - id: ideudvikling
        label: Idéudvikling
        terms: [workshop, idé]   # decided with AB 3 March
      # evaluering: see memo 4
      - id: evaluering
        label: Evaluering
        terms:
          - evaluering

  - id: tema
    label: Tema
    multi_label: true
    themes:
      - id: mad
        label: Mad
        terms: [mad]   # food words only
"""


@pytest.mark.parametrize("candidates,kept_after", [
    ("  - id: fase\n    label: F\n    themes:\n      - {id: lektiecafe, label: Lektiecafé, origin: emergent, "
     "status: candidate, terms: [lektie]}\n", "- evaluering\n"),                   # a dimension in the middle
    ("  - id: tema\n    label: T\n    multi_label: true\n    themes:\n      - {id: sport, label: Sport, origin: "
     "emergent, terms: [fodbold]}\n", "[mad]   # food words only\n"),               # the last one
    ("  - id: nyt\n    label: Nyt\n    themes:\n      - {id: x, label: X, terms: [y]}\n", None),  # a new dimension
])
def test_merging_keeps_the_researchers_comments_and_layout(tmp_path, candidates, kept_after):
    """A merged codebook was dumped anew: every comment of the researcher's codebook was gone (69 of the shipped
    Danish codebook), and the order of keys and lists rewritten. Now the base's own text with the themes added."""
    import condense

    base, cand = tmp_path / "codebook.yaml", tmp_path / "candidates.yaml"
    base.write_text(COMMENTED, encoding="utf-8")
    cand.write_text("codebook: c\nlanguage: da\ndimensions:\n" + candidates, encoding="utf-8")
    result = condense.merge_codebooks(base, cand, out=tmp_path / "merged.yaml")
    text = (tmp_path / "merged.yaml").read_text(encoding="utf-8")
    for line in COMMENTED.splitlines():
        assert line in text.splitlines(), line                   # every line of the base, comments included
    assert dump_codebook(load_codebook(tmp_path / "merged.yaml")) == dump_codebook(result.codebook)
    if kept_after:
        assert text.index(kept_after) < text.index(candidates.split("id: ")[2].split(",")[0].split("\n")[0])


def test_a_codebook_whose_shape_cannot_take_the_themes_in_place_is_written_anew(tmp_path):
    import condense

    base, cand = tmp_path / "codebook.yaml", tmp_path / "candidates.yaml"
    base.write_text("codebook: m\nlanguage: da\ndimensions: [{id: fase, label: F, themes: [{id: a, label: A, "
                    "terms: [b]}]}]   # flow style\n", encoding="utf-8")
    cand.write_text("codebook: c\nlanguage: da\ndimensions:\n  - id: fase\n    label: F\n    themes:\n"
                    "      - {id: z, label: Z, terms: [y]}\n", encoding="utf-8")
    result = condense.merge_codebooks(base, cand, out=tmp_path / "merged.yaml")
    assert [t.id for t in load_codebook(tmp_path / "merged.yaml").dimension("fase").themes] == ["a", "z"]
    assert dump_codebook(load_codebook(tmp_path / "merged.yaml")) == dump_codebook(result.codebook)
