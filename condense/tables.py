"""Tables (STC step 4), all as DataFrames first: the theme/sub-theme table, matrices, crosstabs,
co-occurrence and the coded-segments export.

Quantifiers follow how the study's researchers write (METHOD.md §1), counted over interviews or over
cases (``count_over``). Default thresholds (share of interviews/cases with the theme):

=========================  =====================  ===============
share                       Danish                 English
=========================  =====================  ===============
all                         samtlige               all
≥ 0.90                      langt de fleste        almost all
> 0.50                      de fleste              most
≥ 0.30                      flere                  several
≥ 0.15                      nogle                  some
2 or more                   enkelte                a few
exactly 1                   en enkelt              one
=========================  =====================  ===============

Override with ``tables: {quantifiers: {almost_all: 0.9, most: 0.5, several: 0.3, some: 0.15}}``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from .codebook import Codebook
from .condensation import Condensation, quote_source
from .model import Case, Coding, MeaningUnit

WORDS = {
    "da": {"all": "samtlige", "almost_all": "langt de fleste", "most": "de fleste", "several": "flere",
           "some": "nogle", "a_few": "enkelte", "one": "en enkelt", "none": "ingen"},
    "en": {"all": "all", "almost_all": "almost all", "most": "most", "several": "several",
           "some": "some", "a_few": "a few", "one": "one", "none": "none"},
}
DEFAULT_THRESHOLDS = {"almost_all": 0.9, "most": 0.5, "several": 0.3, "some": 0.15}


@dataclass(frozen=True)
class TableSettings:
    count_over: str = "interviews"  # interviews | cases | units (the count the quantifier is a share of)
    quantifiers: dict = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    matrices: tuple = (("fase", "deltagelse"),)
    crosstabs: tuple | None = None  # case attributes; None: every attribute of cases.csv

    @classmethod
    def from_dict(cls, data: dict | None) -> "TableSettings":
        data = dict(data or {})
        q = dict(DEFAULT_THRESHOLDS)
        q.update(data.pop("quantifiers", {}) or {})
        matrices = tuple(tuple(m) for m in data.pop("matrices", [("fase", "deltagelse")]))
        crosstabs = data.pop("crosstabs", None)
        count_over = data.pop("count_over", "interviews")
        if data:
            raise ValueError(f"unknown tables setting(s): {', '.join(sorted(data))}")
        if count_over not in COUNT_OVER:
            raise ValueError("count_over must be `interviews`, `cases` or `units`")
        return cls(count_over, q, matrices, tuple(crosstabs) if crosstabs is not None else None)


def quantifier(n: int, total: int, language: str = "da", thresholds: dict | None = None) -> str:
    """The study's word for n of total: 5 of 6 → 'de fleste', 9 of 27 → 'flere', 1 → 'en enkelt'."""
    t = thresholds or DEFAULT_THRESHOLDS
    w = WORDS.get(language, WORDS["en"])
    if n <= 0 or total <= 0:
        return w["none"]
    share = n / total
    if n >= total:
        return w["all"]
    if share >= t["almost_all"]:
        return w["almost_all"]
    if share > t["most"]:
        return w["most"]
    if share >= t["several"]:
        return w["several"]
    if share >= t["some"] and n >= 2:
        return w["some"]
    if n >= 2:
        return w["a_few"]
    return w["one"]


THEME_COLUMNS = ["dimension", "theme", "theme_label", "subtheme", "subtheme_label", "level", "origin", "n_units",
                 "n_interviews", "n_cases", "n_mentions", "share", "quantifier", "condensate", "golden_quote",
                 "quote_source", "unit_ids"]
COUNT_OVER = ("interviews", "cases", "units")


def _mentions(codings: list[Coding], codebook: Codebook):
    """A function (group, its member ids) → code applications counted on that row.

    A theme row counts every application of the theme; a sub-theme row those of the sub-theme and every
    sub-theme below it (its path, ``sub/subsub``, or a bare id found under it); an "other" row those
    with no sub-theme; a proposed sub-group every application of the theme on its units.
    """
    paths: dict[tuple[str, str, str], str] = {}
    index: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for c in codings:
        key = (c.dimension, c.theme, c.subtheme)
        if key not in paths:
            found = None
            if c.subtheme:
                try:
                    found = codebook.dimension(c.dimension).theme(c.theme).resolve(c.subtheme)
                except KeyError:
                    found = None
            paths[key] = found[0] if found else c.subtheme
        index[(c.dimension, c.theme)].append((c.unit_id, paths[key]))

    def count(group, members: set[str]) -> int:
        items = [(u, p) for u, p in index.get((group.dimension, group.theme), []) if u in members]
        sub = group.subtheme
        if not sub or sub.startswith("_proposed"):
            return len(items)
        if sub.startswith("_"):
            return sum(1 for _, p in items if not p)
        return sum(1 for _, p in items if p == sub or p.startswith(sub + "/"))

    return count


def themes_table(condensation: Condensation, units: list[MeaningUnit], codebook: Codebook,
                 settings: TableSettings | None = None, codings: list[Coding] | None = None) -> pd.DataFrame:
    """One row per theme (totals, ``subtheme`` empty) followed by one row per sub-group.

    Counts: units, interviews, cases and mentions (code applications, from ``codings``: a unit coded twice
    under a theme counts twice there). ``level`` is 1 for a theme, 2 for its sub-themes, and so on; a
    sub-group's key is its path below the theme (``sub/subsub``).
    """
    settings = settings or TableSettings()
    mentions = _mentions(codings, codebook) if codings is not None else None
    by_id = {u.unit_id: u for u in units}
    n_interviews = len({u.transcript for u in units}) or 1
    n_cases = len({c for u in units for c in u.cases}) or 1
    rows = []
    for g in condensation.groups:
        members = [by_id[i] for i in g.unit_ids if i in by_id]
        transcripts = {u.transcript for u in members}
        cases = {c for u in members for c in u.cases}
        if settings.count_over == "cases":
            n, total = len(cases), n_cases
        elif settings.count_over == "units":
            n, total = len(members), len(units) or 1
        else:
            n, total = len(transcripts), n_interviews
        dim = codebook.dimension(g.dimension)
        theme = dim.theme(g.theme)
        quote = by_id.get(g.golden_unit_id)
        rows.append({
            "dimension": g.dimension,
            "theme": g.theme,
            "theme_label": theme.label,
            "subtheme": g.subtheme,
            "subtheme_label": g.label if g.subtheme else "",
            "level": 1 + (len(g.subtheme.split("/")) if g.subtheme else 0),
            "origin": theme.origin,
            "n_units": len(members),
            "n_interviews": len(transcripts),
            "n_cases": len(cases),
            "n_mentions": mentions(g, set(g.unit_ids)) if mentions is not None else len(members),
            "share": round(n / total, 3),
            "quantifier": quantifier(n, total, codebook.language, settings.quantifiers),
            "condensate": g.condensate,
            "golden_quote": quote.text if quote else "",
            "quote_source": quote_source(quote, language=codebook.language) if quote else "",
            "unit_ids": ";".join(g.unit_ids),
        })
    df = pd.DataFrame(rows, columns=THEME_COLUMNS)
    df.attrs["n_total"] = {"cases": n_cases, "units": len(units)}.get(settings.count_over, n_interviews)  # "af N"
    return df


def _assignments(codings: list[Coding], dimension: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for c in codings:
        if c.dimension == dimension:
            out[c.unit_id].add(c.theme)
    return out


def matrix(units: list[MeaningUnit], codings: list[Coding], codebook: Codebook, dim_a: str, dim_b: str,
           *, examples: int = 3) -> pd.DataFrame:
    """Units and interviews per cell of dimension A × dimension B (e.g. phase × participation), long form."""
    a = _assignments(codings, dim_a)
    b = _assignments(codings, dim_b)
    by_id = {u.unit_id: u for u in units}
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    for uid in sorted(set(a) & set(b)):
        if uid not in by_id:
            continue
        for ta in a[uid]:
            for tb in b[uid]:
                cells[(ta, tb)].append(uid)
        # (the matrix counts each unit once per pair of its themes; with single-label dimensions, once)
    da, db = codebook.dimension(dim_a), codebook.dimension(dim_b)
    rows = []
    for ta in da.themes:
        for tb in db.themes:
            ids = cells.get((ta.id, tb.id), [])
            rows.append({
                f"{dim_a}": ta.id, f"{dim_a}_label": ta.label, f"{dim_b}": tb.id, f"{dim_b}_label": tb.label,
                "n_units": len(ids), "n_interviews": len({by_id[i].transcript for i in ids}),
                "example_unit_ids": ";".join(ids[:examples]),
            })
    return pd.DataFrame(rows, columns=[dim_a, f"{dim_a}_label", dim_b, f"{dim_b}_label", "n_units", "n_interviews",
                                       "example_unit_ids"])


def matrix_wide(long: pd.DataFrame, dim_a: str, dim_b: str, value: str = "n_units") -> pd.DataFrame:
    """The same matrix as a grid for reading (rows: A's labels, columns: B's labels)."""
    if long.empty:
        return pd.DataFrame()
    grid = long.pivot_table(index=f"{dim_a}_label", columns=f"{dim_b}_label", values=value, aggfunc="sum", sort=False)
    grid.index.name = None
    grid.columns.name = None
    return grid.reset_index(names=dim_a)


def crosstab(units: list[MeaningUnit], codings: list[Coding], codebook: Codebook, cases: dict[str, Case],
             attribute: str, settings: TableSettings | None = None) -> pd.DataFrame:
    """Themes × the values of one case attribute: how many interviews (or cases) of each value have the theme.

    The first row, ``(alle)``/``(all)``, gives each value's total, so every cell can be read as "n of total".
    """
    settings = settings or TableSettings()
    by_id = {u.unit_id: u for u in units}
    values = sorted({cases[c].attributes.get(attribute, "") for c in cases if cases[c].attributes.get(attribute, "")})

    def keys_of(unit: MeaningUnit) -> set[tuple[str, str]]:
        """(attribute value, counted thing) pairs of a unit: its interview or its cases."""
        out = set()
        for c in unit.cases:
            value = cases[c].attributes.get(attribute, "") if c in cases else ""
            if value:
                out.add((value, unit.transcript if settings.count_over == "interviews" else c))
        return out

    totals: dict[str, set[str]] = defaultdict(set)
    for u in units:
        for value, thing in keys_of(u):
            totals[value].add(thing)
    label_all = "(alle)" if codebook.language == "da" else "(all)"
    rows = [{"dimension": "", "theme": label_all, "theme_label": label_all, **{v: len(totals[v]) for v in values}}]
    per: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c in codings:
        u = by_id.get(c.unit_id)
        if u is None:
            continue
        for value, thing in keys_of(u):
            per[(c.dimension, c.theme)][value].add(thing)
    for dim in codebook.dimensions:
        for theme in dim.themes:
            cell = per.get((dim.id, theme.id))
            if not cell:
                continue
            rows.append({"dimension": dim.id, "theme": theme.id, "theme_label": theme.label,
                         **{v: len(cell.get(v, ())) for v in values}})
    return pd.DataFrame(rows, columns=["dimension", "theme", "theme_label", *values])


def cooccurrence(codings: list[Coding], codebook: Codebook) -> pd.DataFrame:
    """Pairs of themes from different dimensions coded on the same unit, with the number of units."""
    order = {d.id: i for i, d in enumerate(codebook.dimensions)}
    per_unit: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for c in codings:
        per_unit[c.unit_id].add((c.dimension, c.theme))
    counts: dict[tuple, int] = defaultdict(int)
    for pairs in per_unit.values():
        items = sorted(pairs, key=lambda p: (order.get(p[0], 99), p[1]))
        for i, (da, ta) in enumerate(items):
            for db, tb in items[i + 1:]:
                if da != db:
                    counts[(da, ta, db, tb)] += 1
    rows = [{"dimension_a": k[0], "theme_a": k[1], "dimension_b": k[2], "theme_b": k[3], "n_units": n}
            for k, n in counts.items()]
    rows.sort(key=lambda r: (order.get(r["dimension_a"], 99), order.get(r["dimension_b"], 99), -r["n_units"],
                             r["theme_a"], r["theme_b"]))
    return pd.DataFrame(rows, columns=["dimension_a", "theme_a", "dimension_b", "theme_b", "n_units"])


SEGMENT_COLUMNS = ["dimension", "theme", "subtheme", "text", "question", "transcript", "cases", "speaker", "start",
                   "end", "source", "coder", "score", "evidence", "unit_id", "anonymous"]


def segments(units: list[MeaningUnit], codings: list[Coding], codebook: Codebook) -> pd.DataFrame:
    """The coded-segments export: one row per coding with the segment's text and where it comes from.

    An anonymous respondent's segments carry no case name and no speaker label.
    """
    by_id = {u.unit_id: u for u in units}
    order = {d.id: i for i, d in enumerate(codebook.dimensions)}
    rows = []
    for c in sorted(codings, key=lambda c: (order.get(c.dimension, 99), c.theme, c.unit_id, c.source)):
        u = by_id.get(c.unit_id)
        if u is None:
            continue
        rows.append({
            "dimension": c.dimension, "theme": c.theme, "subtheme": c.subtheme, "text": u.text, "question": u.question,
            "transcript": u.transcript, "cases": "" if u.anonymous else ";".join(u.cases),
            "speaker": "" if u.anonymous else u.speaker, "start": u.start, "end": u.end, "source": c.source,
            "coder": c.coder, "score": c.score, "evidence": c.evidence, "unit_id": u.unit_id, "anonymous": u.anonymous,
        })
    return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)
