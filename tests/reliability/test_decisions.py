"""Review decisions are never dropped: the key includes the sub-theme, and every decision read is counted
once as applied, superseded or orphaned."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from condense.codebook import load_codebook
from condense.model import Coding
from condense.review import Decision, apply_decisions, merge_decisions, read_decisions

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = ROOT / "codebooks" / "beboerinddragelse.da.yaml"
SAMPLE = ROOT / "transcripts_sample"


@pytest.fixture(scope="module")
def cb():
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def units():
    from condense.ingest import ingest
    from condense.segment import segment

    return segment(ingest([SAMPLE / "01_solsikkeparken.txt"]).transcripts).units


def d(row, unit, dim, theme, sub="", action="add", coder="AB"):
    return Decision(row, unit.transcript, unit.unit_id, unit.fingerprint, dim, theme, sub, action, coder, "")


def test_two_subthemes_of_one_theme_on_one_unit_are_both_kept(cb, units):
    u = units[0]
    decisions = [d(2, u, "tema", "aktivitetstyper", "bevaegelse_motion"),
                 d(3, u, "tema", "aktivitetstyper", "kost_madlavning"),
                 d(4, u, "fase", "ideudvikling", "workshops"),
                 d(5, u, "fase", "ideudvikling", "beboernes_oensker")]  # single-label: one theme, two sub-themes
    out = apply_decisions([], units, decisions, cb)
    human = sorted((c.dimension, c.theme, c.subtheme) for c in out.codings if c.source == "human")
    assert human == [("fase", "ideudvikling", "beboernes_oensker"), ("fase", "ideudvikling", "workshops"),
                     ("tema", "aktivitetstyper", "bevaegelse_motion"), ("tema", "aktivitetstyper", "kost_madlavning")]
    assert (out.applied, out.superseded, len(out.orphaned), out.decisions) == (4, 0, 0, 4)


def test_counts_are_exact(cb, units):
    u, v = units[0], units[1]
    ghost = Decision(9, "01_solsikkeparken", "01_solsikkeparken:9999:1", "0000000000000000", "tema", "maalgrupper",
                     "", "add", "AB", "")
    decisions = [d(2, u, "tema", "maalgrupper"),
                 d(3, u, "tema", "maalgrupper", action="reject"),  # supersedes row 2
                 d(4, u, "fase", "planlaegning"),
                 d(5, u, "fase", "gennemfoerelse"),  # single-label: supersedes row 4
                 d(6, v, "deltagelse", ""),  # "no theme here"
                 d(7, v, "tema", "aktivitetstyper", "diverse"),
                 ghost]
    rule = [Coding(v.unit_id, "tema", "maalgrupper", "", 0.9, "unit: x", "rule", "")]
    out = apply_decisions(rule, units, decisions, cb)
    assert out.decisions == 7
    assert (out.applied, out.superseded, len(out.orphaned), out.rejected) == (4, 2, 1, 1)
    assert out.applied + out.superseded + len(out.orphaned) == out.decisions
    got = Counter((c.unit_id, c.dimension, c.theme, c.subtheme, c.source) for c in out.codings)
    assert (u.unit_id, "fase", "gennemfoerelse", "", "human") in got
    assert (u.unit_id, "fase", "planlaegning", "", "human") not in got
    assert not any(k[:3] == (u.unit_id, "tema", "maalgrupper") for k in got)
    # an unreviewed rule theme stays beside the person's in a multi-label dimension
    assert (v.unit_id, "tema", "maalgrupper", "", "rule") in got
    assert (v.unit_id, "tema", "aktivitetstyper", "diverse", "human") in got


def test_merging_a_review_keeps_each_subtheme(units):
    u = units[0]
    old = [d(2, u, "tema", "aktivitetstyper", "bevaegelse_motion")]
    new = [d(2, u, "tema", "aktivitetstyper", "kost_madlavning")]
    merged, added, replaced = merge_decisions(old, new)
    assert (added, replaced, len(merged)) == (1, 0, 2)


def test_no_decision_of_the_sample_reference_coding_is_lost(cb):
    """Every (unit, dimension, theme, sub-theme) a person gave becomes one human coding."""
    from condense.ingest import ingest
    from condense.segment import segment

    units = segment(ingest([SAMPLE]).transcripts).units
    decisions = read_decisions(SAMPLE / "reference_coding.csv", cb)
    out = apply_decisions([], units, decisions, cb)
    assert out.applied + out.superseded + len(out.orphaned) == out.decisions == len(decisions)
    given = {(x.unit_id, x.dimension, x.theme, x.subtheme) for x in decisions if x.theme}
    kept = {(c.unit_id, c.dimension, c.theme, c.subtheme) for c in out.codings if c.source == "human"}
    assert kept == given
    assert len(kept) == len(given) == 714  # measured: 1,320 rows, 714 of them with a theme


def test_two_coders_who_give_the_same_theme_each_keep_their_coding(cb, units):
    from condense.review import final_codings

    u, v = units[0], units[1]
    decisions = [d(2, u, "tema", "maalgrupper", coder="AB"),
                 d(3, u, "tema", "maalgrupper", coder="CD"),  # the same code from a second coder: not a repeat
                 d(4, u, "tema", "maalgrupper", coder="CD"),  # the same coder again: supersedes row 3
                 d(5, v, "tema", "aktivitetstyper", coder="AB"),
                 d(6, v, "tema", "aktivitetstyper", action="reject", coder="CD")]  # CD's judgement, not AB's
    rule = [Coding(v.unit_id, "tema", "aktivitetstyper", "", 0.9, "unit: x", "rule", "")]
    out = apply_decisions(rule, units, decisions, cb)
    assert (out.applied, out.superseded, out.rejected, out.decisions) == (4, 1, 1, 5)
    human = sorted((c.unit_id, c.theme, c.coder) for c in out.codings if c.source == "human")
    assert human == [(u.unit_id, "maalgrupper", "AB"), (u.unit_id, "maalgrupper", "CD"),
                     (v.unit_id, "aktivitetstyper", "AB")]
    assert not [c for c in out.codings if c.source == "rule"]  # confirmed by one coder, rejected by the other
    # the tables count one application of a theme per unit, however many coders gave it
    final = [(c.unit_id, c.theme) for c in final_codings(out.codings, cb) if c.dimension == "tema"]
    assert sorted(final) == [(u.unit_id, "maalgrupper"), (v.unit_id, "aktivitetstyper")]


def test_two_coders_agreement_reads_each_coders_codings(cb, units):
    from condense.agreement import CodingFile, agree

    decisions = [d(2 + k, x, "fase", theme, coder=coder) for k, (x, theme, coder) in enumerate([
        (units[0], "planlaegning", "AB"), (units[0], "planlaegning", "CD"),
        (units[1], "gennemfoerelse", "AB"), (units[1], "gennemfoerelse", "CD"),
        (units[2], "ideudvikling", "AB"), (units[2], "planlaegning", "CD")])]
    out = apply_decisions([], units, decisions, cb)
    assert out.applied == 6 and out.superseded == 0
    a, b = (CodingFile.from_codings([c for c in out.codings if c.coder == coder], name=coder) for coder in ("AB", "CD"))
    assert a.labels[units[0].unit_id]["fase"] == b.labels[units[0].unit_id]["fase"] == {"planlaegning"}
    result = agree(a, b)
    assert result.n_units == 3
    t = result.table
    row = t[(t.dimension == "fase") & (t.theme == "") & (t.scope == "uncoded_as_none")].iloc[0]
    assert (row.n_both, row.percent_agreement) == (2, round(2 / 3, 4))  # two of the three units agree
