"""The package's regular expressions match alike on every Python it runs on (3.11 and later).

CPython before 3.11.5 mis-matches a possessive repeat (``*+``, ``++``, ``?+``) of a group: a lookahead
failing inside it left the input position where the lookahead stopped (gh-100061), and a group that
backtracks lost its way (gh-106052); both were fixed in 3.11.5. Debian 12 ships 3.11.2. There,
``names._CAPITALISED`` found no name capitalised mid-sentence (11 persons instead of 40 on the sample), so
22 rows of the sample's themes.csv quoted other passages than on 3.11.7 (15 golden quotes, 19 runners-up;
16 of the quotes named a person: "Jimmi og Bent", "Kaj", "Lisbeth", who never agreed to it); the .docx
readers never matched a paragraph's properties with its opening tag (ecape_da's text came out the same).
A possessive repeat of a single character (``[^<]*+``) compiles to another, simpler opcode and matches alike
on all of them.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import re._compiler as sre_compile
import re._constants as sre_constants
import re._parser as sre_parse

from conftest import ROOT

MODULES = sorted(["condense"] + [m.name for m in pkgutil.walk_packages([str(ROOT / "condense")], prefix="condense.")])


def module_patterns():
    """(module.name, pattern) of every compiled pattern a module of the package holds, itself or in a dict,
    list or tuple it holds."""
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            for v in _held(value):
                if isinstance(v, re.Pattern):
                    yield f"{name}.{attr}", v


def _held(value) -> list:
    """A module attribute and, for a dict, list or tuple, what it holds (_FILLER_SENTENCE: language → pattern)."""
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, (list, tuple)) else [value]


def possessive_groups(parsed) -> list[str]:
    """The possessive repeats in a parsed pattern whose body is more than one character (what 3.11.0-3.11.4
    match wrongly), each as the opcode and body it parsed to."""
    found = []
    for op, av in parsed:
        if op is sre_constants.POSSESSIVE_REPEAT and not sre_compile._simple(av[2]):
            found.append(f"{op} {av[2]}")
        for part in _sub_patterns(op, av):
            found.extend(possessive_groups(part))
    return found


def _sub_patterns(op, av):
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
        return [av[2]]
    if op is sre_constants.SUBPATTERN:
        return [av[3]]
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [av[1]]
    if op is sre_constants.ATOMIC_GROUP:
        return [av]
    if op is sre_constants.BRANCH:
        return list(av[1])
    if op is sre_constants.GROUPREF_EXISTS:
        return [p for p in av[1:] if p is not None]
    return []


def test_the_check_finds_a_possessive_group_and_passes_a_possessive_character():
    assert possessive_groups(sre_parse.parse(r"(?:(?!B)1)*+B"))
    assert possessive_groups(sre_parse.parse(rb"x(?:y(?:<(?!/a>)[^<]*+)*+)?"))
    assert not possessive_groups(sre_parse.parse(r"[^<]*+(?:<(?!/a>)[^<]*+)*</a>"))


def test_no_pattern_of_the_package_repeats_a_group_possessively():
    offenders = {name: possessive_groups(sre_parse.parse(p.pattern, p.flags)) for name, p in module_patterns()}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_names_capitalised_mid_sentence_are_found():
    """What 3.11.2 missed: every name after a lower-case word ("og Bent"), a word of digits before a capital
    ("2Bent" is read from its letter), and a name glued to an upper-case abbreviation read whole."""
    from condense.names import _CAPITALISED, capitalised_persons

    assert [m.group(1) for m in _CAPITALISED.finditer("med Jimmi og Bent, et CVR-nummer og 2Karim.")] == [
        "Jimmi", "Bent", "CVR-nummer", "Karim"]
    assert capitalised_persons(["Her har Jimmi og Bent været mine øjne og ører."]) >= {"Jimmi", "Bent"}


def test_docx_paragraph_and_run_properties_are_read():
    """The .docx readers take a paragraph's properties (its style) with its opening tag, and a run's with
    its own: on 3.11.2 the properties group never matched."""
    from condense.ingest.sources import _W_TOKEN
    from condense.ingest.wordml import _CAREFUL

    xml = b'<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:jc w:val="left"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
    fast = _W_TOKEN.match(xml)
    assert fast.group(0) == xml[:xml.index(b"<w:r>")]
    careful = [m for m in _CAREFUL.finditer(xml)]
    assert careful[0].group(4) == b'<w:pStyle w:val="Heading1"/><w:jc w:val="left"/>'
    assert careful[1].group(10) == b"<w:b/>"
