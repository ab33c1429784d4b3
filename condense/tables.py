"""Tables (STC step 4), all as DataFrames first: the theme/sub-theme table, matrices, crosstabs,
co-occurrence and the coded-segments export.

Quantifiers follow how the study's researchers write (METHOD.md §1), counted over cases (plans) by default
or over interviews (``count_over: interviews``). The scale, for n of N:

=========================  =====================  ===============
n of N                      Danish                 English
=========================  =====================  ===============
n = N                       samtlige               all
share ≥ 0.90                langt de fleste        almost all
share > 0.50                de fleste              most
n = N/2                     halvdelen              half
share ≥ 0.30                flere                  several
share ≥ 0.15 and n ≥ 4      nogle                  some
n ≥ 2                       enkelte                a few
n = 1                       en enkelt              one
=========================  =====================  ===============

One is always "en enkelt" (1 af 2 is never "halvdelen", 1 af 3 never "flere"), so small N never
overstates. Override with ``tables: {quantifiers: {almost_all: 0.9, most: 0.5, several: 0.3, some: 0.15,
some_min: 4}}``; the words come from the one localisation table (``condense/i18n.py``).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from .codebook import Codebook
from .condensation import Condensation, quote_source
from .model import Case, Coding, MeaningUnit

__all__ = [
    "DEFAULT_THRESHOLDS", "COUNT_OVER", "TableSettings", "quantifier_key", "quantifier", "THEME_COLUMNS",
    "themes_table", "shown_label", "matrix", "matrix_wide", "crosstab", "crosstab_names", "cooccurrence", "SEGMENT_COLUMNS",
    "segments"
]

DEFAULT_THRESHOLDS = {"almost_all": 0.9, "most": 0.5, "several": 0.3, "some": 0.15, "some_min": 4}
COUNT_OVER = ("cases", "interviews", "units")


@dataclass(frozen=True)
class TableSettings:
    count_over: str = "cases"  # cases (plans) | interviews | units (the count the quantifier is a share of)
    quantifiers: dict = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    matrices: tuple = (("fase", "deltagelse"),)
    crosstabs: tuple | None = None  # case attributes; None: every attribute of cases.csv
    # what a report calls a case: (singular, plural[, definite plural[, the word for one]]), e.g.
    # ("helhedsplan", "helhedsplaner", "helhedsplanerne", "én")
    case_noun: tuple | None = None

    @classmethod
    def from_dict(cls, data: dict | None) -> "TableSettings":
        data = dict(data or {})
        q = dict(DEFAULT_THRESHOLDS)
        q.update(_thresholds(data.pop("quantifiers", {}) or {}))
        matrices = tuple(tuple(m) for m in data.pop("matrices", [("fase", "deltagelse")]))
        if any(len(m) == 2 and m[0] == m[1] for m in matrices):  # a dimension against itself: a traceback in pandas
            raise ValueError("a matrix crosses two different dimensions, e.g. [[fase, deltagelse]]; a dimension's "
                             "themes coded together are in cooccurrence.csv")
        crosstabs = data.pop("crosstabs", None)
        count_over = data.pop("count_over", "cases")
        case_noun = data.pop("case_noun", None)
        if case_noun is not None and (not isinstance(case_noun, (list, tuple)) or not 2 <= len(case_noun) <= 4):
            raise ValueError("case_noun must be [singular, plural] or [singular, plural, definite plural, one], "
                             "e.g. [helhedsplan, helhedsplaner, helhedsplanerne, én]")
        if data:
            raise ValueError(f"unknown tables setting(s): {', '.join(sorted(data))}")
        if count_over not in COUNT_OVER:
            raise ValueError("count_over must be `cases`, `interviews` or `units`")
        return cls(count_over, q, matrices, tuple(crosstabs) if crosstabs is not None else None,
                   tuple(case_noun) if case_noun is not None else None)


def _thresholds(given: dict) -> dict:
    """The project's quantifier thresholds, checked: known steps only (an unknown one, `all: 2`, was kept and never
    used, without a word), shares between 0 and 1, `some_min` a whole number, and the steps in order."""
    unknown = sorted(set(given) - set(DEFAULT_THRESHOLDS))
    if unknown:
        raise ValueError(f"unknown quantifier step(s) {', '.join(map(str, unknown))}; the steps are "
                         f"{', '.join(k for k in DEFAULT_THRESHOLDS if k != 'some_min')} (shares) and some_min (a count)")
    for key, value in given.items():
        whole = key == "some_min"
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                (isinstance(value, int) and value >= 1) if whole else 0 <= value <= 1):
            raise ValueError(f"quantifiers: {key} must be " + ("a whole number of at least 1" if whole else
                             "a share between 0 and 1, e.g. 0.5") + f", not {value!r}")
    steps = {**DEFAULT_THRESHOLDS, **given}
    if not steps["almost_all"] >= steps["most"] >= steps["several"] >= steps["some"]:
        raise ValueError("quantifiers must not decrease: almost_all ≥ most ≥ several ≥ some "
                         f"(now {steps['almost_all']}, {steps['most']}, {steps['several']}, {steps['some']})")
    return given


def quantifier_key(n: int, total: int, thresholds: dict | None = None) -> str:
    """The step of the study's scale for n of total: 'all', 'most', 'half', 'several', 'a_few', 'one', ..."""
    t = dict(DEFAULT_THRESHOLDS)
    t.update(thresholds or {})
    if n <= 0 or total <= 0:
        return "none"
    if n == 1:
        return "all" if total == 1 else "one"
    if n >= total:
        return "all"
    share = n / total
    if share >= t["almost_all"]:
        return "almost_all"
    if share > t["most"]:
        return "most"
    if 2 * n == total:
        return "half"
    if share >= t["several"]:
        return "several"
    if share >= t["some"] and n >= t.get("some_min", 4):
        return "some"
    return "a_few"


def quantifier(n: int, total: int, language: str = "da", thresholds: dict | None = None) -> str:
    """The study's word for n of total: 6 of 12 → 'halvdelen', 9 of 27 → 'flere', 2 of 12 → 'enkelte',
    1 → 'en enkelt'."""
    from .i18n import t

    return t("q." + quantifier_key(n, total, thresholds), language)


THEME_COLUMNS = ["dimension", "theme", "theme_label", "subtheme", "subtheme_label", "level", "origin", "n_units",
                 "n_interviews", "n_cases", "n_mentions", "share", "quantifier", "condensate", "golden_quote",
                 "quote_source", "golden_unit_id", "quote_start", "quote_end", "runner_up_unit_id", "runner_up_quote",
                 "unit_ids"]


def _mentions(codings: list[Coding], codebook: Codebook, groups=()):
    """A function (group, its member ids) → code applications counted on that row.

    A theme row counts every application of the theme. A sub-group row counts, on the units it holds, the
    applications whose sub-theme is the row's or below it (its path, ``sub/subsub``, or a bare id found under
    it), and those whose sub-theme no row holding that unit takes: an application with no sub-theme, or one
    whose sub-theme the grouping did not keep for the unit (a word out of context). So a unit placed in a row
    always brings its mentions along: no row holds units and counts none, and no application of the theme is
    left off every sub-group row (``groups``: the condensation's groups, to know which rows hold a unit).
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

    rows_of: dict[tuple[str, str, str], list[str]] = defaultdict(list)   # (dimension, theme, unit) → sub rows
    for g in groups:
        if g.subtheme:
            for u in g.unit_ids:
                rows_of[(g.dimension, g.theme, u)].append(g.subtheme)

    def under(path: str, row: str) -> bool:
        return not row.startswith("_") and (path == row or path.startswith(row + "/"))

    def counted_on_a_row(dimension: str, theme: str, unit: str, path: str) -> bool:
        return bool(path) and any(under(path, r) for r in rows_of.get((dimension, theme, unit), ()))

    def count(group, members: set[str]) -> int:
        items = [(u, p) for u, p in index.get((group.dimension, group.theme), []) if u in members]
        sub = group.subtheme
        if not sub:
            return len(items)
        return sum(1 for u, p in items
                   if under(p, sub) or not counted_on_a_row(group.dimension, group.theme, u, p))

    return count


def themes_table(condensation: Condensation, units: list[MeaningUnit], codebook: Codebook,
                 settings: TableSettings | None = None, codings: list[Coding] | None = None,
                 sources: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per theme (totals, ``subtheme`` empty) followed by one row per sub-group.

    Counts: units, interviews, cases and mentions (code applications, from ``codings``: a unit coded twice
    under a theme counts twice there). ``level`` is 1 for a theme, 2 for its sub-themes, and so on; a
    sub-group's key is its path below the theme (``sub/subsub``).

    ``golden_quote`` is the printed quote (sentences of unit ``golden_unit_id``); ``quote_start``/``quote_end``
    are its offsets in the transcript's source text (``sources``: transcript id → normalised text)."""
    settings = settings or TableSettings()
    mentions = _mentions(codings, codebook, condensation.groups) if codings is not None else None
    by_id = {u.unit_id: u for u in units}
    over, totals = _counted(units, settings)
    rows = []
    for g in condensation.groups:
        members = [by_id[i] for i in g.unit_ids if i in by_id]
        row = _theme_row(g, members, codebook, by_id.get(g.golden_unit_id), sources)
        row["n_mentions"] = mentions(g, set(g.unit_ids)) if mentions is not None else len(members)
        n = {"cases": row["n_cases"], "units": row["n_units"]}.get(over, row["n_interviews"])
        row["share"] = round(n / totals[over], 3)
        row["quantifier"] = quantifier(n, totals[over], codebook.language, settings.quantifiers)
        rows.append(row)
    df = pd.DataFrame(rows, columns=THEME_COLUMNS)
    df.attrs["n_total"] = len(units) if over == "units" else totals[over]  # the quantifier's "af N"
    df.attrs["count_over"] = over
    df.attrs["case_noun"] = settings.case_noun
    return df


def _case_keys(unit: MeaningUnit) -> tuple[str, ...]:
    """The cases a unit counts for: its plans, or, when it names none (an anonymous respondent's interview,
    whose plan is hidden, or an interview cases.csv does not list), its own interview as a case of its own.
    Only counted, never shown: an anonymous interview's id appears in no row."""
    return tuple(unit.cases) or (unit.transcript,)


def _counted(units: list[MeaningUnit], settings: TableSettings) -> tuple[str, dict[str, int]]:
    """What the quantifiers count (cases, interviews or units) and how many there are of each."""
    totals = {"interviews": len({u.transcript for u in units}) or 1,
              "cases": len({c for u in units for c in _case_keys(u)}) or 1, "units": len(units) or 1}
    over = settings.count_over
    if over == "cases" and not any(u.cases for u in units):
        over = "interviews"  # no cases.csv and no case metadata: every interview is its own case
    return over, totals


def _theme_row(g, members: list[MeaningUnit], codebook: Codebook, quote: MeaningUnit | None,
               sources: dict[str, str] | None) -> dict:
    """A row's labels, counts, condensate and quote (its share and quantifier are added by the caller)."""
    from .quotes import source_span

    theme = codebook.dimension(g.dimension).theme(g.theme)
    text_q, span = "", ("", "")
    if quote is not None:
        text_q = g.golden_quote or quote.text
        a, b = (g.golden_start, g.golden_end) if g.golden_quote else (0, len(quote.text))
        span = source_span(quote, (sources or {}).get(quote.transcript), a, b)
    return {
        "dimension": g.dimension,
        "theme": g.theme,
        "theme_label": theme.label,
        "subtheme": g.subtheme,
        "subtheme_label": shown_label(g, codebook.language) if g.subtheme else "",
        "level": 1 + (len(g.subtheme.split("/")) if g.subtheme else 0),
        "origin": theme.origin,
        "n_units": len(members),
        "n_interviews": len({u.transcript for u in members}),
        "n_cases": len({c for u in members for c in _case_keys(u)}),
        "condensate": g.condensate,
        "golden_quote": text_q,
        "quote_source": quote_source(quote, language=codebook.language) if quote else "",
        "golden_unit_id": g.golden_unit_id if quote else "",
        "quote_start": span[0],
        "quote_end": span[1],
        "runner_up_unit_id": g.runner_up_unit_id,
        "runner_up_quote": g.runner_up_quote,
        "unit_ids": ";".join(g.unit_ids),
    }


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


def shown_label(group, language: str | None) -> str:
    """A sub-group's label as the tables show it. A proposal by shared words read "Forslag: ark" or "Forslag:
    tirsdag, torsdag", a word list a reader took for a name; it says what it is: "Forslag: gruppe kendetegnet ved
    ordene »tirsdag« og »torsdag«". The group and its label words are discovery's, unchanged."""
    from .grouping import PROPOSED
    from .i18n import quoted, t

    prefix = PROPOSED.get(language or "en", PROPOSED["en"])
    if getattr(group, "kind", "") != "proposed" or not group.label.startswith(prefix):
        return group.label
    words = [quoted(w, language) for w in group.label[len(prefix):].split(", ") if w]
    if not words:
        return group.label
    if len(words) > 1:
        listed = f"{', '.join(words[:-1])} {t('and', language)} {words[-1]}"
        return prefix + t("proposed_words", language, words=listed)
    one = group.label[len(prefix):].strip(", ")
    return prefix + t("proposed_phrase" if " " in one else "proposed_word", language, words=words[0])


def matrix_wide(long: pd.DataFrame, dim_a: str, dim_b: str, value: str = "n_units", corner: str = "") -> pd.DataFrame:
    """The same matrix as a grid for reading (rows: A's labels, columns: B's labels). ``corner`` heads the
    rows' column (A's label, "Projektfase"; the id "fase" when none is given)."""
    if long.empty:
        return pd.DataFrame()
    grid = long.pivot_table(index=f"{dim_a}_label", columns=f"{dim_b}_label", values=value, aggfunc="sum", sort=False)
    grid.index.name = None
    grid.columns.name = None
    return grid.reset_index(names=corner or dim_a)


ONE_EACH_MIN_CASES = 11  # an attribute with a value of its own for more cases than this compares nothing


def named_in_project(settings: TableSettings, codebook: Codebook, cases: dict, diagnostics=None, *,
                     named_matrices: bool = True) -> TableSettings:
    """``settings`` with only the matrices and crosstabs that can be made: a dimension the codebook lacks or an
    attribute no case has (a typo, a codebook changed since), named in the project, is left out with W403 naming
    it, rather than written as an empty crosstab or dropped unseen. ``named_matrices`` False: the matrices are the
    default ones (fase × deltagelse), left out without a word when the codebook lacks them."""
    from dataclasses import replace

    dims = [d.id for d in codebook.dimensions]
    matrices = []
    for pair in settings.matrices:
        missing = [d for d in pair if d not in dims]
        for d in missing if diagnostics is not None and named_matrices else ():
            diagnostics.warn("W403", key="tables.matrices", what="dimension", name=d, where="the codebook does not have",
                             table="matrix", allowed=", ".join(dims))
        if not missing:
            matrices.append(tuple(pair))
    if settings.crosstabs is None:
        return replace(settings, matrices=tuple(matrices))
    known = sorted({k for case in cases.values() for k in case.attributes})
    crosstabs = [a for a in settings.crosstabs if a in known]
    for a in (a for a in settings.crosstabs if a not in known) if diagnostics is not None else ():
        diagnostics.warn("W403", key="tables.crosstabs", what="case attribute", name=a, where="no case in cases.csv has",
                         table="crosstab", allowed=", ".join(known) or "(the cases have no attributes)")
    return replace(settings, matrices=tuple(matrices), crosstabs=tuple(crosstabs))


def default_crosstabs(cases: dict, diagnostics=None) -> list[str]:
    """The attributes crosstabbed when the project names none: every attribute of the cases, but one whose every
    case has a value of its own (a survey's start time, a respondent number) over more than
    :data:`ONE_EACH_MIN_CASES` cases: its crosstab would have a column per respondent and compare nothing (W117)."""
    from .ingest.columns import SYSTEM_HEADERS, header_key

    values: dict[str, list[str]] = {}
    for case in cases.values():
        for k, v in case.attributes.items():
            if header_key(k) not in SYSTEM_HEADERS:  # a survey tool's bookkeeping (Progress, Finished) compares nothing
                values.setdefault(k, []).append(v)
    one_each = {k for k, vs in values.items() if len(vs) >= ONE_EACH_MIN_CASES and len(set(vs)) == len(vs)}
    if one_each and diagnostics is not None:
        diagnostics.warn("W117", attributes=", ".join(f"'{k}'" for k in sorted(one_each)))
    measured = {k: _numbers(vs) for k, vs in values.items() if k not in one_each}
    measured = {k: ns for k, ns in measured.items() if ns is not None and len(set(ns)) > NUMBER_VALUES_MAX}
    for k, ns in sorted(measured.items()) if diagnostics is not None else ():
        diagnostics.warn("W124", attribute=k, n=len(set(ns)), low=_shown(min(ns)), high=_shown(max(ns)))
    return sorted(k for k in values if k not in one_each and k not in measured)


NUMBER_VALUES_MAX = 12  # a number attribute (age, years in the job) with more values is not crosstabbed (W124)


def _numbers(values: list[str]) -> list[float] | None:
    """The values as numbers (a decimal comma too, as Danish spreadsheets write them), or None when any is not one;
    blanks are left out."""
    out = []
    for v in values:
        v = str(v).strip()
        if not v:
            continue
        try:
            out.append(float(v.replace(",", ".")))
        except ValueError:
            return None
    return out or None


def _shown(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


def crosstab_names(attributes: list[str]) -> dict[str, str]:
    """attribute → the name of its crosstab table (``crosstab_<attribute>``, also its file name): characters no
    file name may hold (``/``, ``\\``, ``:``, control characters …) become ``_``, leading dots go, at most 80
    characters, and two attributes never share a name. A column header of cases.csv or of a survey export
    (``../../x``) names a file inside the output folder and nowhere else."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for attribute in attributes:
        base = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*]+', "_", str(attribute)).strip(" .")[:80].rstrip(" .") or "x"
        name, n = f"crosstab_{base}", 2
        while name.casefold() in taken:  # case-blind file systems (macOS, Windows) too
            name, n = f"crosstab_{base}_{n}", n + 1
        taken.add(name.casefold())
        out[attribute] = name
    return out


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
    from .i18n import t as _t

    label_all = _t("all", codebook.language)
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
