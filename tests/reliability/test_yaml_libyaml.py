"""The YAML of codebooks, project files and front matter is read by libyaml (C) when it can be, and by the
limited pure-Python loader otherwise: whichever reads a text, the nodes, values and refusals are the same."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from condense import limits
from condense.limits import LimitedLoader, compose, safe_load

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML without libyaml")
EXAMPLES = int(os.environ.get("CONDENSE_FUZZ_EXAMPLES", "40"))
LONG = "CONDENSE_FUZZ_EXAMPLES" in os.environ


def _pure(text: str, method: str):
    loader = LimitedLoader(text)
    try:
        return getattr(loader, method)()
    finally:
        loader.dispose()


def _shape(node):
    """A node tree as plain tuples: kind, tag, value, style and where each node starts (and a scalar ends).
    Three things differ between the parsers and are read nowhere: a plain scalar's style (None in Python, ""
    in C), a block sequence's flow style (None or False) and where a block collection ends (at its last value,
    or at the start of the next line)."""
    if node is None:
        return None
    start = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style or None, start, (node.end_mark.line, node.end_mark.column))
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, bool(node.flow_style), start, [_shape(v) for v in node.value])
    return ("map", node.tag, bool(node.flow_style), start, [(_shape(k), _shape(v)) for k, v in node.value])


def _texts() -> list[tuple[str, str]]:
    files = sorted(ROOT.glob("codebooks/*.yaml")) + sorted(ROOT.glob("transcripts_sample/**/*.yaml"))
    out = [(p.name, p.read_text(encoding="utf-8")) for p in files]
    for p in sorted(ROOT.glob("transcripts_sample/**/*.md")):
        text = p.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            out.append((p.name, text[4:text.index("\n---", 4)]))
    return out


@pytest.mark.parametrize("name, text", _texts(), ids=[n for n, _ in _texts()])
def test_the_projects_yaml_is_read_by_libyaml_as_by_the_pure_loader(name, text):
    assert limits._libyaml(text, "get_single_node") is not limits._SLOW  # the fast path is the one taken
    assert _shape(compose(text)) == _shape(_pure(text, "get_single_node"))
    assert safe_load(text) == _pure(text, "get_single_data")


@pytest.mark.parametrize("text", [
    "a: &a [1, 2]\nb: [*a, *a]\n",  # an alias: counted by the pure loader
    "&a [*a]",  # recursive
    "x: " + "[" * 101 + "]" * 101,  # deeper than the limit
    "x: " + "[" * 100_000 + "]" * 100_000,  # far deeper: refused before libyaml composes (it recurses in C)
    "a: 1\n---\nb: 2\n",  # two documents: the pure loader's own error
    "a: [1, 2\n",  # broken: the pure loader's own message
    "a: b: c\n",
    "a:\nb: 1\n",  # an empty value: placed on another line by libyaml
    "a: [why? not]\n",  # PyYAML ends a plain value at "?" inside brackets
    "a: !!str 1\n", "? a\n: 1\n", "a: |#\n  x\n", "%YAML 1.1\n---\na: 1\n", "a:\t1\n", "a: 1\u2028b: 2\n",
])
def test_what_libyaml_does_not_read_goes_to_the_limited_loader(text):
    assert limits._libyaml(text, "get_single_node") is limits._SLOW
    assert limits._libyaml(text, "get_single_data") is limits._SLOW


def test_the_node_limit_holds_on_the_fast_path(monkeypatch):
    text = "[" + ", ".join(["x"] * 50) + "]"
    assert limits._libyaml(text, "get_single_data") == ["x"] * 50
    monkeypatch.setenv("CONDENSE_MAX_YAML_NODES", "50")  # the list and its 50 values: 51
    assert limits._libyaml(text, "get_single_data") is limits._SLOW
    with pytest.raises(yaml.YAMLError, match="CONDENSE_MAX_YAML_NODES"):
        safe_load(text)
    with pytest.raises(yaml.YAMLError, match="CONDENSE_MAX_YAML_NODES"):
        compose(text)


def test_depth_at_the_limit_is_read_and_one_more_is_refused(monkeypatch):
    monkeypatch.setenv("CONDENSE_MAX_YAML_DEPTH", "5")
    assert safe_load("[[[[x]]]]") == [[[["x"]]]]  # four lists and a scalar: depth 5
    assert limits._libyaml("[[[[x]]]]", "get_single_data") == [[[["x"]]]]
    for read in (safe_load, compose):
        with pytest.raises(yaml.YAMLError, match="CONDENSE_MAX_YAML_DEPTH"):
            read("[[[[[x]]]]]")


# YAML-like text: the syntax's own characters and words, quotes, block scalars, tags, anchors and odd characters
_PIECES = st.sampled_from(list("ab æø:-?,[]{}#&*!|>'\"%@`\t\n\r ") + [
    "\n  ", "\n- ", ": ", "- ", "key: value\n", "---\n", "...\n", "!!str ", "!!int ", "!x ", "&a ", "*a", "|\n  ",
    ">-\n  ", "'it''s'", '"\\u00e6\\n"', "0x1F", "1e3", "yes", "~", "null", "2024-01-02", ".inf", "é", "\u2028",
    "\ufeff", "\x85", "\x00", "? ", "<<: ", "\\", "  # c\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "|2\n", ">+\n",
    "|-", '"a\n b"', "'a\n\n b'", '"\\t"', "\n\n", "   ", "- [", "{a: ", "}", "]", "&b ", "x: |\n  l1\n  l2\n",
    "x: >\n  f\n\n  g\n", "0o17", "+1", "-.5", "1_000", "12:30", "=", "\x1f", "\x7f", "😀"])
_YAMLISH = st.lists(_PIECES, max_size=60).map("".join)
_DUMPED = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                       max_leaves=20)


def _same_as_pure(text: str) -> None:
    for method, shape in (("get_single_node", _shape), ("get_single_data", lambda x: x)):
        fast = limits._libyaml(text, method)
        if fast is limits._SLOW:
            continue
        assert shape(fast) == shape(_pure(text, method)), text  # never a value the pure loader would not give


@settings(max_examples=EXAMPLES * 5, deadline=None, derandomize=not LONG, database=None,
          suppress_health_check=list(HealthCheck))
@given(_YAMLISH)
def test_libyaml_reads_nothing_otherwise_than_the_pure_loader(text):
    _same_as_pure(text)


@settings(max_examples=EXAMPLES * 2, deadline=None, derandomize=not LONG, database=None,
          suppress_health_check=list(HealthCheck))
@given(_DUMPED, st.sampled_from([None, True, False]), st.sampled_from([None, "'", '"', "|", ">"]))
def test_dumped_values_read_alike(value, flow, style):
    _same_as_pure(yaml.safe_dump(value, default_flow_style=flow, default_style=style, allow_unicode=True))
