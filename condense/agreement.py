"""Agreement between two codings of the same meaning units (a coder against a reference, two people).

Unit of analysis: the meaning unit. Compared are the units named in either file, within the transcripts
both files cover (a file without a ``transcript`` column counts as one transcript that covers them all).
A file names a unit with an empty theme to say "none in this dimension". Two scopes:

* ``uncoded_as_none``: a unit one side did not code in a dimension counts as ``none`` there;
* ``named_only``: only units both sides said something about in the dimension (a theme or an explicit none)
  — users of NVivo and QualCoder rightly complain that uncoded text inflates κ.

Per dimension, on one nominal label per unit (the theme; in a multi-label dimension the set of themes):
Cohen's κ (as ``sklearn.metrics.cohen_kappa_score`` computes it), Krippendorff's α nominal (the ``krippendorff``
package), percent agreement, and precision/recall/F1 of A against B over (unit, theme) pairs. Per theme,
the same on presence/absence. κ and α are undefined (empty) when only one category occurs.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import CondenseError, Diagnostics, display_path
from .model import parse_unit_id

__all__ = [
    "NONE", "SCOPES", "COLUMNS", "CodingFile", "read_coding_file", "Agreement", "agree", "common_units",
    "dimension_agreement", "theme_agreement", "write_agreement", "reconcile", "check_unit_ids", "disagreements",
    "cohen_kappa",
]

NONE = "none"
SCOPES = ("uncoded_as_none", "named_only")
COLUMNS = ["dimension", "theme", "scope", "n_units", "cohen_kappa", "krippendorff_alpha", "percent_agreement",
           "precision", "recall", "f1", "n_a", "n_b", "n_both"]


@dataclass
class CodingFile:
    """One side of a comparison: unit → dimension → set of themes (empty set = explicit none)."""

    path: str
    labels: dict[str, dict[str, set[str]]]
    transcripts: dict[str, str]  # unit → transcript ("" when the file has no transcript column)
    has_transcripts: bool
    sources: dict[str, list[str]] = field(default_factory=dict)  # dimension → the row sources compared
    coders: list[str] = field(default_factory=list)  # the `coder` values of the rows compared

    @property
    def covered(self) -> set[str] | None:
        return set(self.transcripts.values()) if self.has_transcripts else None

    @classmethod
    def from_codings(cls, codings, units=None, *, name: str = "(codings)") -> "CodingFile":
        """In-memory codings (e.g. a run's), with their units' transcripts when ``units`` is given."""
        labels: dict[str, dict[str, set[str]]] = defaultdict(dict)
        for c in codings:
            themes = labels[c.unit_id].setdefault(c.dimension, set())
            if c.theme:
                themes.add(c.theme)
        where = {u.unit_id: u.transcript for u in units} if units is not None else {}
        return cls(name, dict(labels), {u: where.get(u, "") for u in labels}, units is not None)


# the decision columns of a review sheet, in either language it is exported in (condense.i18n.REVIEW_SUFFIXES)
_SHEET_ENDINGS = ("_decision", "_add", "_beslutning", "_tilføj")


def read_coding_file(path: str | Path, *, sources: tuple[str, ...] | None = None, exclude_units: set[str] | None = None,
                     diagnostics: Diagnostics | None = None) -> CodingFile:
    """Read codings.csv, decisions.csv or a reference coding (csv or xlsx) into a :class:`CodingFile`.

    ``sources`` keeps only rows whose ``source`` is one of them (when the file has that column); by default
    codings from a learned model are left out of a dimension unless it has nothing else (a dimension only the
    model coded is compared on its model rows). Reject decisions are ignored. ``diagnostics`` gets what reading
    the table warns of (W101: a .csv saved as Windows-1252).
    """
    from .io import read_table

    path = _codings_of_results(Path(path))
    header, rows = read_table(path, diagnostics=diagnostics)
    _coding_columns(path, header)
    per_dim = _sources_per_dimension(rows, sources) if "source" in header else None
    labels: dict[str, dict[str, set[str]]] = defaultdict(dict)
    transcripts: dict[str, str] = {}
    has_t = "transcript" in header
    coders: set[str] = set()
    for _, r in rows:
        unit = r.get("unit_id", "")
        if not unit or (exclude_units and unit in exclude_units) or not _compared_row(r, per_dim):
            continue
        if r.get("coder", ""):
            coders.add(r["coder"])
        themes = labels[unit].setdefault(r.get("dimension", ""), set())
        if r.get("theme", ""):
            themes.add(r["theme"])
        transcripts[unit] = r.get("transcript", "") if has_t else ""
    return CodingFile(str(path), dict(labels), transcripts, has_t,
                      {d: list(v) for d, v in sorted((per_dim or {}).items()) if v}, sorted(coders))


def _coding_columns(path: Path, header: list[str]) -> None:
    """E517 for two coders' review sheets, E520 for a file of another kind (a transcript, the codebook, cases.csv),
    E504 for a table of codings missing one of its columns."""
    from .io import missing_column

    missing = [c for c in ("unit_id", "dimension", "theme") if c not in header]
    if not missing:
        return
    if set(missing) - {"unit_id"} and any(h.casefold().endswith(_SHEET_ENDINGS) for h in header):  # review sheets
        decisions = display_path(path.with_name(f"{path.stem}.decisions.csv"))
        raise CondenseError("E517", path=display_path(path), decisions=decisions, then=f"compare {decisions}")
    raise missing_column(path, header, missing[0], "unit_id, dimension, theme")


def _codings_of_results(path: Path) -> Path:
    """The codings file ``path`` names: itself, or the run's codings.csv when ``path`` is a results folder or
    the workbook of one (``condense agree results/results.xlsx``: its sheets are localised for reading, and
    codings.csv beside it holds the same codings in the columns compared here). E101 when missing."""
    if not path.exists():
        raise CondenseError("E101", path=display_path(path))
    folder = path if path.is_dir() else path.parent if path.name == "results.xlsx" else None
    if folder is None:
        return path
    beside = folder / "codings.csv"
    if beside.is_file() and (folder / "manifest.json").is_file():
        return beside
    if path.is_dir():
        raise CondenseError("E503", path=display_path(path),
                            detail="a folder, not a codings file; no codings.csv of a condense run is in it")
    return path


def _sources_per_dimension(rows, sources: tuple[str, ...] | None) -> dict[str, tuple[str, ...]]:
    """dimension → the row sources compared there: ``sources`` when given, else every source but the model's
    (the model's rows only where nothing else coded the dimension)."""
    present_in: dict[str, set[str]] = defaultdict(set)
    for _, r in rows:
        present_in[r.get("dimension", "")].add(r.get("source", ""))
    per_dim: dict[str, tuple[str, ...]] = {}
    for dim, present in present_in.items():
        if sources is None:
            per_dim[dim] = tuple(sorted(x for x in present if x != "model")) or tuple(sorted(present))
        else:
            per_dim[dim] = tuple(sorted(x for x in present if x in sources))
    return per_dim


def _compared_row(r: dict, per_dim: dict[str, tuple[str, ...]] | None) -> bool:
    """A row is compared unless its source is not compared in its dimension or it rejects a suggestion."""
    if per_dim is not None and r.get("source", "") not in per_dim.get(r.get("dimension", ""), ()):
        return False
    return r.get("action", "").lower() != "reject"


def _label(themes: set[str] | None) -> str:
    if not themes:
        return NONE
    return "+".join(sorted(themes))


def cohen_kappa(a: list, b: list) -> float:
    """Cohen's κ of two label sequences: 1 − observed / chance disagreement, chance from each side's own
    label frequencies (the figure scikit-learn's ``cohen_kappa_score`` gives; tests/test_agreement.py
    compares them bit for bit). Computed here: importing scikit-learn alone took longer than a whole small run, and
    its checks around the formula cost the learned coder's fit 5 ms a call (:mod:`condense.learn`)."""
    values = sorted(set(a) | set(b))
    if len(values) < 2:
        return math.nan
    index = {v: i for i, v in enumerate(values)}
    k = len(values)
    confusion = np.bincount([index[x] * k + index[y] for x, y in zip(a, b)], minlength=k * k).reshape(k, k)
    expected = np.outer(confusion.sum(axis=0), confusion.sum(axis=1)) / confusion.sum()
    off = 1 - np.eye(k, dtype=int)  # disagreement: every cell off the diagonal
    chance = np.sum(off * expected)
    if not chance:
        return math.nan
    return float(1 - np.sum(off * confusion) / chance)


def _alpha(a: list[str], b: list[str]) -> float:
    import krippendorff

    values = sorted(set(a) | set(b))
    if len(values) < 2:
        return math.nan
    index = {v: i for i, v in enumerate(values)}
    data = np.array([[index[x] for x in a], [index[x] for x in b]], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _prf(pairs_a: set, pairs_b: set) -> tuple[float, float, float]:
    both = len(pairs_a & pairs_b)
    p = both / len(pairs_a) if pairs_a else math.nan
    r = both / len(pairs_b) if pairs_b else math.nan
    f = 2 * p * r / (p + r) if pairs_a and pairs_b and (p + r) else (0.0 if pairs_a and pairs_b else math.nan)
    return p, r, f


@dataclass
class Agreement:
    table: pd.DataFrame
    confusion: dict[str, pd.DataFrame] = field(default_factory=dict)
    n_units: int = 0
    a: str = ""
    b: str = ""
    statement: list[str] = field(default_factory=list)  # what was compared, in words (the codebook's language)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    codebook: object = None  # the study's codebook: its language and its dimensions' and themes' names
    units: pd.DataFrame | None = None  # the units the two sides code differently (public ids only), or None

    @property
    def language(self) -> str:
        return getattr(self.codebook, "language", None) or "en"

    def summary(self) -> pd.DataFrame:
        return self.table[self.table["theme"] == ""]

    def to_markdown(self) -> str:
        """What was compared, the dimensions' figures and each theme's (scope uncoded_as_none), in the codebook's
        language with its dimensions' and themes' names (English and ids without a codebook)."""
        from .i18n import count, t

        lang = self.language
        head = "\n".join([t("agree_head", lang, a=_name(self.a), b=_name(self.b), units=count(self.n_units, "unit", lang)),
                          *([""] if self.statement or len(self.diagnostics) else []),
                          *[f"- {line}" for line in self.statement], *[f"- {w}" for w in self.diagnostics]])
        summary = self._shown(self.summary().drop(columns=["theme", "n_a", "n_b", "n_both"]))
        themes = self.table[(self.table["theme"] != "") & (self.table["scope"] == SCOPES[0])]
        parts = [head, summary or "| dimension | scope | n_units | cohen_kappa |\n|---|---|---|---|"]
        if not themes.empty:
            parts += [f"### {t('agree_per_theme', lang)}", self._shown(themes.drop(columns=["scope"]))]
        if self.units is None:
            parts.append(t("agree_units_need_study", lang))
        elif not self.units.empty:
            parts += [f"### {t('agree_per_transcript', lang)}", self._per_transcript(),
                      t("agree_units_file", lang, n=count(self.units["unit_id"].nunique(), "unit", lang))]
        return "\n\n".join(parts)

    def _per_transcript(self) -> str:
        """Per transcript (rows) and dimension (columns, by the codebook's names), the units A and B code differently:
        where, as NVivo's coding comparison gives it per source."""
        from .i18n import column, number
        from .io import markdown_table

        grid = pd.crosstab(self.units["transcript"], self.units["dimension"])
        if self.codebook is not None:
            grid.columns = [next((d.label for d in self.codebook.dimensions if d.id == c), c) for c in grid.columns]
        grid = grid.reset_index().rename(columns={"transcript": column("transcript", self.language)})
        return markdown_table(grid.map(lambda x: number(int(x), self.language) if isinstance(x, (int, np.integer)) else x))

    def _shown(self, table: pd.DataFrame) -> str:
        from .export.report_data import named_agreement
        from .i18n import localise_frame, number
        from .io import markdown_table

        shown = named_agreement(table, self.codebook) if self.codebook is not None else table.copy()
        for col in shown.columns:
            if shown[col].dtype.kind == "f":
                shown[col] = shown[col].map(lambda x: number(x, self.language, 3))
        return markdown_table(localise_frame(shown, self.language))


def _name(path: str) -> str:
    return f"`{Path(path).name}`" if path.endswith((".csv", ".xlsx")) else path


def _f(x) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


def _side(f: CodingFile, letter: str, lang: str = "en", names: dict[str, str] | None = None) -> str:
    from .i18n import t, value

    sources = sorted({x for v in f.sources.values() for x in v})
    model_only = [d for d, v in f.sources.items() if v == ["model"]]
    text = f"{letter} = {display_path(f.path)}"
    if sources:  # as the reader's language names them: "rækker fra regel", not "rækker fra rule"
        text += t("agree_rows", lang, sources=", ".join(value("source", s, lang) for s in sources))
        if model_only and len(sources) > 1:
            text += t("agree_model_only", lang, dims=_named(model_only, names))
    if f.coders:
        text += t("agree_coders", lang, coders=f"{', '.join(f.coders[:5])}{' …' if len(f.coders) > 5 else ''}")
    return text


def agree(a: CodingFile, b: CodingFile, *, dimensions: list[str] | None = None, only_coded: bool = False,
          codebook=None, list_units: bool = False) -> Agreement:
    """Compare two codings (A against B, e.g. the coder against a reference coding).

    ``only_coded``: in each dimension only the units A coded there (a theme or an explicit none) — a student
    who coded 10 units is compared on those 10, not on every unit of the reference. The result's
    ``statement`` says what was compared; its ``diagnostics`` warn when uncoded units count as "none"
    (W512) and when a dimension is coded on one side only (W513). ``codebook``: the study's, whose language
    the statement and report are in. ``list_units``: the result's ``units`` lists each unit the two sides code
    differently (give it only when every id is public: :func:`reconcile`).
    """
    lang = getattr(codebook, "language", None) or "en"
    units = common_units(a, b)
    if not units:
        raise CondenseError("E506", a=display_path(a.path), b=display_path(b.path))
    dims = dimensions or sorted({d for side in (a, b) for u in units for d in side.labels.get(u, {})})
    rows = []
    confusion = {}
    diagnostics = Diagnostics()
    names = _dimension_names(codebook)
    statement = [_side(a, "A", lang, names), _side(b, "B", lang, names)]
    compared: set[str] = set()
    for dim in dims:
        in_a = {u for u in units if dim in a.labels.get(u, {})}
        in_b = {u for u in units if dim in b.labels.get(u, {})}
        dim_units = [u for u in units if u in in_a] if only_coded else units
        compared.update(dim_units)
        _warn_coverage(diagnostics, a, b, dim, dim_units, in_a, in_b)
        for scope in SCOPES:
            dim_rows, table = dimension_agreement(a, b, dim_units, dim, scope)
            rows += dim_rows
            if table is not None:
                confusion[dim] = table
    table = pd.DataFrame(rows, columns=COLUMNS)
    counted = compared if only_coded else units
    statement.append(_what_was_compared(a, b, counted, dims, only_coded, lang, names))
    statement += _sets_note(a, b, units, dims, lang, names)
    listed = disagreements(a, b, units, dims, only_coded, codebook) if list_units else None
    return Agreement(table, confusion, len(counted), a.path, b.path, statement, diagnostics, codebook, listed)


def _warn_coverage(diagnostics: Diagnostics, a: CodingFile, b: CodingFile, dim: str, dim_units: list[str],
                   in_a: set[str], in_b: set[str]) -> None:
    """W513 when only one side coded the dimension; else W512 per side whose unnamed units count as "none"."""
    if not in_a or not in_b:
        side, path = ("A", a.path) if in_a else ("B", b.path)
        diagnostics.warn("W513", dimension=dim, side=side, path=display_path(path))
        return
    for side, f, coded in (("A", a, in_a), ("B", b, in_b)):
        missing = len([u for u in dim_units if u not in coded])
        # a coder's silence is its answer; a person's unnamed unit is a gap, not a judgement
        if missing and not set(f.sources.get(dim, [])) <= {"rule", "model"} or (missing and not f.sources):
            # --only-coded keeps the units A coded: for B's gaps, B must be given first
            remedy = ("pass --only-coded to compare only the units A coded" if side == "A" else
                      "give B's file first and pass --only-coded to compare only the units it coded")
            diagnostics.warn("W512", dimension=dim, n=missing, side=side, remedy=remedy)


def _what_was_compared(a: CodingFile, b: CodingFile, counted, dims: list[str], only_coded: bool, lang: str = "en",
                       names: dict[str, str] | None = None) -> str:
    """The statement's last line: how many units in how many transcripts, which units, which dimensions."""
    from .i18n import count, t

    n_t = len({a.transcripts.get(u) or b.transcripts.get(u) or "" for u in counted})
    return (t("agree_compared", lang, units=count(len(counted), "unit", lang), transcripts=count(n_t, "transcript", lang))
            + t("agree_only_coded" if only_coded else "agree_every_unit", lang)
            + t("agree_dimensions", lang, dims=_named(dims, names)))


def _sets_note(a: CodingFile, b: CodingFile, units: list[str], dims: list[str], lang: str,
               names: dict[str, str] | None = None) -> list[str]:
    """A line naming the dimensions whose units carry several themes, where the dimension's κ compares whole sets
    (74 codes of shuffle_music: κ 0.01 over sets where each code's own κ was 0.40-0.93)."""
    from .i18n import t

    several = [d for d in dims if any(len(f.labels.get(u, {}).get(d, ())) > 1 for f in (a, b) for u in units)]
    return [t("agree_sets", lang, dims=_named(several, names))] if several else []


def _dimension_names(codebook) -> dict[str, str]:
    """Each dimension's name by its id ("fase" → "Projektfase"), as report.md's tables name them; none without a
    codebook."""
    return {d.id: d.label for d in codebook.dimensions} if codebook is not None else {}


def _named(dims: list[str], names: dict[str, str] | None) -> str:
    """Dimensions by the codebook's names ("Projektfase"), as report.md's tables name them; an id it does not know
    (or without a codebook) as it is."""
    return ", ".join((names or {}).get(d, d) for d in dims)


def disagreements(a: CodingFile, b: CodingFile, units: list[str], dims: list[str], only_coded: bool = False,
                  codebook=None) -> pd.DataFrame:
    """Each unit and dimension where A's themes and B's differ (uncoded counts as none), with the themes only
    one side gave: where two coders part, to read the units again and settle the codebook's definitions. Beside
    each side's theme ids, their names in ``codebook`` (theme_a_label, theme_b_label; an id it does not know,
    or without one, as it is), as the review sheet puts a theme's name beside its id."""
    from .i18n import t

    lang = getattr(codebook, "language", None) or "en"

    def named(dim: str, themes: set[str]) -> str:
        if not themes:
            return t("agree_none", lang)
        return " + ".join(codebook.label_of(dim, th) if codebook is not None else th for th in sorted(themes))

    rows = []
    for dim in dims:
        for u in units:
            if only_coded and dim not in a.labels.get(u, {}):
                continue
            ta, tb = a.labels.get(u, {}).get(dim, set()), b.labels.get(u, {}).get(dim, set())
            if ta != tb:
                rows.append({"dimension": dim, "unit_id": u,
                             "transcript": a.transcripts.get(u) or b.transcripts.get(u) or _transcript_of(u) or "",
                             "theme_a": _label(ta), "theme_a_label": named(dim, ta), "theme_b": _label(tb),
                             "theme_b_label": named(dim, tb), "only_a": "+".join(sorted(ta - tb)),
                             "only_b": "+".join(sorted(tb - ta))})
    return pd.DataFrame(rows, columns=["dimension", "unit_id", "transcript", "theme_a", "theme_a_label", "theme_b",
                                       "theme_b_label", "only_a", "only_b"])


def _transcript_of(unit_id: str) -> str | None:
    """The transcript of a unit id as condense makes it (model.make_unit_id: transcript:turn:position; a public
    id: anonym-NN), None for any other text."""
    parts = parse_unit_id(unit_id)
    return parts.transcript if parts is not None and parts.well_formed() else None


def reconcile(f: CodingFile, privacy) -> CodingFile:
    """``f`` with every unit under the id the run gives it: an anonymous respondent's real transcript id (in a
    colleague's reference coding, the project's own files) becomes its public id, through the study's
    :class:`~condense.privacy.Privacy` as the run translates decisions and the reference coding. A unit named
    by both ids gets the themes of both."""
    labels: dict[str, dict[str, set[str]]] = {}
    transcripts: dict[str, str] = {}
    for unit, dims in f.labels.items():
        public = privacy.translate_unit_id(unit)
        merged = labels.setdefault(public, {})
        for dim, themes in dims.items():
            merged.setdefault(dim, set()).update(themes)
        real = f.transcripts.get(unit, "")
        transcripts[public] = (_transcript_of(public) or real) if public != unit else privacy.public_transcript(real) if real else real
    return replace(f, labels=labels, transcripts=transcripts)


def check_unit_ids(a: CodingFile, b: CodingFile, *, project: str = "") -> None:
    """E518 when one side names anonymous respondents' units by public ids (anonym-01) the other does not use,
    while the other names transcripts the first does not: the same interview under two ids, which matched
    as they stand would be compared as different units. The message names no transcript of the other side
    (one of them may be an anonymous respondent's real id)."""
    from .privacy import PUBLIC_PREFIX

    heads = [{h for h in map(_transcript_of, f.labels) if h} for f in (a, b)]
    public = re.compile(rf"^{re.escape(PUBLIC_PREFIX)}\d+$")
    for mine, theirs, f, other in ((0, 1, a, b), (1, 0, b, a)):
        unmatched = sorted(h for h in heads[mine] - heads[theirs] if public.match(h))
        strangers = heads[theirs] - heads[mine]
        if unmatched and strangers:
            raise CondenseError("E518", a=display_path(a.path), b=display_path(b.path), public=", ".join(unmatched[:3])
                                + (" …" if len(unmatched) > 3 else ""), public_side=display_path(f.path),
                                other_side=f"{display_path(other.path)} ({len(strangers)} transcript(s) not in the first)",
                                detail=f", even read through the project {project}" if project else "")


def common_units(a: CodingFile, b: CodingFile) -> list[str]:
    """The units both codings cover (a file that names its transcripts covers only those)."""
    cov_a, cov_b = a.covered, b.covered
    units = []
    for u in sorted(set(a.labels) | set(b.labels)):
        t = a.transcripts.get(u) or b.transcripts.get(u) or ""
        if (cov_a is None or t in cov_a) and (cov_b is None or t in cov_b):
            units.append(u)
    return units


def dimension_agreement(a: CodingFile, b: CodingFile, units: list[str], dim: str, scope: str):
    """One dimension in one scope: its summary row, a row per theme, and (scope uncoded_as_none) the confusion table.

    Scope ``uncoded_as_none`` compares every unit (uncoded counts as the label "none"); the other scope
    only the units both sides coded in this dimension.
    """
    if scope == "uncoded_as_none":
        scoped = units
    else:
        scoped = [u for u in units if dim in a.labels.get(u, {}) and dim in b.labels.get(u, {})]
    la = [_label(a.labels.get(u, {}).get(dim)) for u in scoped]
    lb = [_label(b.labels.get(u, {}).get(dim)) for u in scoped]
    pairs_a = {(u, t) for u in scoped for t in a.labels.get(u, {}).get(dim, set())}
    pairs_b = {(u, t) for u in scoped for t in b.labels.get(u, {}).get(dim, set())}
    p, r, f = _prf(pairs_a, pairs_b)
    rows = [_row(dim, "", scope, la, lb, p, r, f, pairs_a, pairs_b)]
    confusion = None
    if scope == "uncoded_as_none" and scoped:
        confusion = pd.crosstab(pd.Series(la, name="A"), pd.Series(lb, name="B"))
    for theme in sorted({t for _, t in pairs_a | pairs_b}):
        rows.append(theme_agreement(dim, theme, scope, scoped, pairs_a, pairs_b))
    return rows, confusion


def theme_agreement(dim: str, theme: str, scope: str, scoped: list[str], pairs_a: set, pairs_b: set) -> dict:
    """One theme as a yes/no code over the scoped units."""
    ta = ["yes" if (u, theme) in pairs_a else "no" for u in scoped]
    tb = ["yes" if (u, theme) in pairs_b else "no" for u in scoped]
    pa = {u for u in scoped if (u, theme) in pairs_a}
    pb = {u for u in scoped if (u, theme) in pairs_b}
    p, r, f = _prf(pa, pb)
    return _row(dim, theme, scope, ta, tb, p, r, f, pa, pb)


def _row(dim, theme, scope, la, lb, p, r, f, pairs_a, pairs_b) -> dict:
    n = len(la)
    return {
        "dimension": dim, "theme": theme, "scope": scope, "n_units": n,
        "cohen_kappa": _round(cohen_kappa(la, lb)) if n else math.nan,
        "krippendorff_alpha": _round(_alpha(la, lb)) if n else math.nan,
        "percent_agreement": _round(sum(x == y for x, y in zip(la, lb)) / n) if n else math.nan,
        "precision": _round(p), "recall": _round(r), "f1": _round(f),
        "n_a": len(pairs_a), "n_b": len(pairs_b), "n_both": len(pairs_a & pairs_b),
    }


def _round(x: float) -> float:
    return x if x is None or math.isnan(x) else round(x, 4)


def write_agreement(result: Agreement, folder: str | Path, *, inputs=()) -> list[Path]:
    """agreement.csv, one confusion_<dimension>.csv per dimension, disagreements.csv (when the result lists its
    units) and report.md into ``folder`` (all or nothing, replacing only a folder condense wrote; see
    :mod:`condense.safety`). report.md is in the codebook's language."""
    from .i18n import t
    from .io import output_folder, write_csv, write_markdown

    folder = Path(folder)
    names = (["agreement.csv"] + [f"confusion_{dim}.csv" for dim in result.confusion]
             + (["disagreements.csv"] if result.units is not None else []) + ["report.md"])
    with output_folder(folder, inputs=inputs, kind="agree") as tmp:
        write_csv(result.table, tmp / "agreement.csv")
        for dim, df in result.confusion.items():
            write_csv(df.reset_index(), tmp / f"confusion_{dim}.csv")
        if result.units is not None:
            write_csv(result.units, tmp / "disagreements.csv")
        write_markdown(f"# {t('agreement', result.language)}\n\n" + result.to_markdown() + "\n", tmp / "report.md")
    return [folder / n for n in names]
