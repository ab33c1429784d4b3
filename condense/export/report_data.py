"""What report.html and figures/ show, computed once from a run's *tables* (never from raw transcripts).

Everything here is read from the DataFrames a run writes — ``units``, ``segments``, ``themes``, the
``matrix_<a>_x_<b>`` tables and ``candidates`` — so the report and the figures show exactly what the CSV
files hold, with the same unit and transcript ids and the same anonymity: an anonymous unit shows no
speaker and no case (``segments`` already blanks them; the ``anonymous`` column of ``units`` is honoured too).

Every count, cell and quote of the report points at a *unit list*: a list of indices into ``units``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

import pandas as pd

from ..i18n import count, noun, t
from .strings import number, strings

__all__ = ["ANONYMOUS_COLUMN", "Cell", "Grid", "ReportData", "build_report_data", "heatmaps", "named_agreement"]

ANONYMOUS_COLUMN = "\x00anonymous"  # the theme × case column of anonymous respondents' units


@dataclass
class Cell:
    value: int
    list_id: int | None  # index into ReportData.lists (None: no units)
    names: list[str] = field(default_factory=list)  # the cases (plans) the cell's units come from


@dataclass
class Grid:
    """A heatmap: row labels × column labels with a count and a unit list per cell."""

    key: str
    title: str
    row_title: str
    col_title: str
    rows: list[str]
    cols: list[str]
    cells: list[list[Cell]]
    row_groups: list[str] = field(default_factory=list)  # optional group label per row (the dimension)

    @property
    def max_value(self) -> int:
        return max((c.value for row in self.cells for c in row), default=0)


@dataclass
class ReportData:
    language: str
    title: str
    material: dict
    coverage: list[dict]
    themes: list[dict]  # per dimension: {"label", "rows": [...]}
    grids: list[Grid]
    theme_case: Grid | None
    candidates: list[dict]
    agreement: pd.DataFrame | None
    over: str  # what the spread counts: "interviews" | "cases"
    total: int | None  # how many there are
    lists: list[list[int]]
    list_labels: list[str]
    payload: dict  # the JSON the page's script reads
    more_candidates: str = ""  # the sentence on the candidates not shown (listed in candidates.csv only)
    key_terms: dict = field(default_factory=dict)  # step 1 as report.md has it: {"title", "note", "corpus", "rows"}
    plan_matrix: dict = field(default_factory=dict)  # one participation type per plan × phase: {"title", "note", …}


def _split_ids(value, sep: str = ";") -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [p.strip() for p in str(value).split(sep) if p.strip()]


def _truthy(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "ja")
    return bool(value) and value == value


def _table_settings(result):
    from ..tables import TableSettings

    try:
        return TableSettings.from_dict(getattr(result.project, "tables", None))
    except (ValueError, TypeError):
        return TableSettings()


def _extra(result, name: str):
    """A run's extra result by name (a typed field where RunResult has one, else the extras dict)."""
    value = getattr(result, name, None)
    if value is None:
        value = getattr(result, "extras", {}).get(name)
    return value


class _Lists:
    """Unit lists, de-duplicated: equal lists share one id."""

    def __init__(self):
        self.lists: list[list[int]] = []
        self.labels: list[str] = []
        self._seen: dict[tuple, int] = {}

    def add(self, indices, label: str) -> int | None:
        key = tuple(sorted(set(indices)))
        if not key:
            return None
        if key in self._seen:
            return self._seen[key]
        self._seen[key] = len(self.lists)
        self.lists.append(list(key))
        self.labels.append(label)
        return self._seen[key]


@dataclass
class _Units:
    """The units table as the page's script reads it: one row per unit, repeated strings interned."""

    rows: list = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)  # unit id → row
    cases: list[list[str]] = field(default_factory=list)  # per row: its cases (none for an anonymous unit)
    anonymous: list[bool] = field(default_factory=list)
    transcripts: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    case_names: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    _interned: dict = field(default_factory=dict)

    def intern(self, value: str, values: list) -> int:
        index = self._interned.setdefault(id(values), {})
        if value not in index:
            index[value] = len(values)
            values.append(value)
        return index[value]

    def indices(self, ids) -> list[int]:
        return [self.index[u] for u in ids if u in self.index]


@dataclass
class _Context:
    """What every section of the report reads: the run, its language and words, the unit lists."""

    result: object
    lang: str
    s: dict
    clean: object  # the run's pseudonymisation of labels (identity without privacy)
    settings: object
    units: _Units
    lists: _Lists
    dim_labels: dict[str, str] = field(default_factory=dict)
    theme_labels: dict[tuple[str, str], str] = field(default_factory=dict)
    by_theme: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    by_dim: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    theme_key_labels: list[str] = field(default_factory=list)


def build_report_data(result) -> ReportData:
    """The report's content (sections, heatmaps, unit lists and the embedded unit data) from a run."""
    ctx = _ahead_context(result)
    if ctx is None:
        ctx = _context(result)
        _theme_keys(ctx)
    s, units, cb = ctx.s, ctx.units, result.codebook
    ctx.lists.add(range(len(units.rows)), s["list_all"])
    material = _material(ctx)
    coverage = _coverage(ctx)
    theme_sections, total = _theme_sections(ctx)
    grids = _grids(ctx)
    theme_case = _theme_case(ctx)
    candidates = _candidates(ctx)
    agreement = named_agreement(result.tables.get("agreement"), cb)
    title = f"{s['title']}: {cb.label or cb.id}" if cb is not None else s["title"]
    return ReportData(ctx.lang, title, material, coverage, theme_sections, grids, theme_case, candidates,
                      agreement if agreement is not None and not agreement.empty else None,
                      ctx.settings.count_over, int(total) if total is not None else None,
                      ctx.lists.lists, ctx.lists.labels, _payload(ctx), _more_candidates(result, ctx.lang),
                      _key_terms(result, ctx.lang), _plan_matrix(result, ctx.lang))


def _key_terms(result, lang: str) -> dict:
    """Step 1's key terms for reading, with report.md's heading and note (the page had none of them)."""
    from .report import key_term_rows

    terms = getattr(result, "key_terms", None) or {}
    if not terms:
        return {}
    return {"title": t("step1", lang), "note": t("step1_note", lang), "corpus_label": t("corpus_terms", lang),
            "corpus": ", ".join(terms.get("(corpus)", [])), "per": t("per_interview", lang),
            "columns": [t("interview", lang), t("terms", lang)], "rows": key_term_rows(terms)}


def _plan_matrix(result, lang: str) -> dict:
    """The study's plan × phase table as report.md has it (the page had only the unit matrix)."""
    from .report import plan_matrix_words

    grid = getattr(result, "plan_matrix", None)
    if grid is None or grid.empty:
        return {}
    title, note = plan_matrix_words(result, lang)
    return {"title": title, "note": note, "columns": [str(c) for c in grid.columns],
            "rows": [["" if v is None else str(v) for v in row] for row in grid.itertuples(index=False)]}


def heatmaps(result, tables: dict) -> tuple[str, list[Grid], Grid | None]:
    """The report's heatmaps alone, as (language, matrices, theme × case), from ``tables``: the run's units,
    segments and matrix tables, which are known once the codings are final, before condensation (so the
    figures' process can draw them meanwhile: figures.draw_heatmaps). What they show is what
    :func:`build_report_data` gives; their unit lists are numbered differently (no other section adds any)."""
    ctx = _context(SimpleNamespace(codebook=result.codebook, segmentation=result.segmentation,
                                   project=result.project, tables=tables))
    _theme_keys(ctx)
    _AHEAD[:] = [(tables.get("units"), tables.get("segments"), result.codebook, _privacy_of(result), ctx)]
    drawn = replace(ctx, lists=_Lists())  # the grids' unit lists are theirs: the report's are numbered anew
    return ctx.lang, _grids(drawn), _theme_case(drawn)


def named_agreement(table, codebook):
    """The agreement table as a reader reads it: each dimension and theme by its codebook label ("Projektfase",
    "Beboerinitiativ – beboerbeslutninger"), not by the ids agreement.csv keeps for scripts ("fase",
    "beboerinitiativ_beboer"). An id the codebook does not know stays as it is."""
    if table is None or table.empty or codebook is None:
        return table
    out = table.copy()
    if "theme" in out.columns and "dimension" in out.columns:
        out["theme"] = [codebook.label_of(d, t) if isinstance(t, str) and t else t
                        for d, t in zip(out["dimension"], out["theme"])]
    if "dimension" in out.columns:
        labels = {d.id: d.label for d in codebook.dimensions}
        out["dimension"] = out["dimension"].map(lambda d: labels.get(d, d))
    return out


# The context :func:`heatmaps` made (the units read and their theme keys: 0.4 of the report data's 0.5 CPU s at
# 1M words), with the tables and the run it was made from, for :func:`build_report_data` to take once.
_AHEAD: list = []


def _privacy_of(result):
    return getattr(getattr(result, "segmentation", None), "privacy", None)


def _ahead_context(result) -> _Context | None:
    """The context :func:`heatmaps` made from this run's units and segments tables (the same objects: tables
    are never changed in place, and listed real names give new ones) with no unit list yet, or None. Taken
    once: each report section adds its lists to it."""
    if not _AHEAD:
        return None
    units, segments, codebook, privacy, ctx = _AHEAD.pop()
    tables = getattr(result, "tables", {})
    same = (units is tables.get("units") and segments is tables.get("segments") and codebook is result.codebook
            and privacy is _privacy_of(result))
    return replace(ctx, result=result, settings=_table_settings(result), lists=_Lists()) if same else None


def _context(result) -> _Context:
    """What every section reads: the run's language and words, its units with anonymity applied, no list."""
    cb = result.codebook
    lang = cb.language if cb is not None and cb.language in ("da", "en") else "en"
    # the run's privacy (privacy.py): labels drawn into figures cannot be swept after writing, so listed real
    # names are replaced here, and plans named only by anonymous interviews never become a column
    privacy = getattr(getattr(result, "segmentation", None), "privacy", None)
    clean = privacy.pseudonymise if privacy is not None else (lambda text: text)
    hidden_cases = set(getattr(privacy, "anonymous_cases", ()) or ())
    units = _units(result.tables.get("units", pd.DataFrame()), clean, hidden_cases)
    return _Context(result, lang, strings(lang), clean, _table_settings(result), units, _Lists())


def _units(units_df: pd.DataFrame, clean, hidden_cases: set) -> _Units:
    """The units, in the units table's order, with anonymity applied (no case, no speaker). Read column by
    column; what repeats from unit to unit (a transcript's cases, its speakers) is worked out once."""
    out = _Units()
    n = len(units_df)

    def column(name: str) -> list:
        return units_df[name].tolist() if name in units_df.columns else [None] * n

    anonymous_of = _Memo(_truthy) if "anonymous" in units_df.columns else _Memo(lambda _: False)
    cases_of = _Memo(lambda value: [clean(c) for c in _split_ids(value) if c not in hidden_cases])
    for uid, anon, cases, speaker, transcript, turn, q, text in zip(
            column("unit_id"), column("anonymous"), column("cases"), column("speaker"), column("transcript"),
            column("turn"), column("question"), column("text")):
        uid, anonymous = str(uid), anonymous_of(anon)
        cases = [] if anonymous else list(cases_of(cases))
        speaker = "" if anonymous else str(speaker or "")
        q = str(q or "")
        out.index[uid] = len(out.rows)
        out.cases.append(cases)
        out.anonymous.append(anonymous)
        out.rows.append([
            uid,
            out.intern(str(transcript or ""), out.transcripts),
            int(turn or 0),
            out.intern(speaker, out.speakers) if speaker else -1,
            [out.intern(c, out.case_names) for c in cases],
            out.intern(q, out.questions) if q else -1,
            str(text or ""),
            [],  # theme keys, filled from segments
        ])
    return out


class _Memo(dict):
    """``fn(value)`` worked out once per distinct value (NaN, which equals nothing, every time)."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __call__(self, value):
        try:
            return self[value] if value in self else self.setdefault(value, self.fn(value))
        except TypeError:  # a value that cannot be a key
            return self.fn(value)


def _theme_keys(ctx: _Context) -> None:
    """Theme keys and per-theme unit lists from the coded segments (the final codings)."""
    cb, clean, rows = ctx.result.codebook, ctx.clean, ctx.units.rows
    if cb is not None:
        ctx.dim_labels.update({d.id: clean(d.label) for d in cb.dimensions})
        ctx.theme_labels.update({(d.id, t.id): clean(t.label) for d in cb.dimensions for t in d.themes})
    segments = ctx.result.tables.get("segments", pd.DataFrame())
    tk_index: dict[str, int] = {}
    for rec in segments.to_dict("records") if not segments.empty else []:
        i = ctx.units.index.get(str(rec["unit_id"]))
        if i is None:
            continue
        dim, theme = str(rec["dimension"]), str(rec["theme"])
        key = f"{dim}/{theme}"
        if key not in tk_index:
            tk_index[key] = len(ctx.theme_key_labels)
            ctx.theme_key_labels.append(f"{ctx.dim_labels.get(dim, dim)}: {ctx.theme_labels.get((dim, theme), theme)}")
        k = tk_index[key]
        if k not in rows[i][7]:
            rows[i][7].append(k)
        ctx.by_theme[(dim, theme)].add(i)
        ctx.by_dim[dim].add(i)
    for r in rows:
        r[7].sort()


def _material(ctx: _Context) -> dict:
    """Interviews, cases, words, units, withdrawn passages, anonymous interviews and the review's line."""
    corpus = ctx.result.corpus
    material = {
        "interviews": len(corpus.transcripts), "cases": len({c for tr in corpus.transcripts for c in tr.cases}),
        "words": corpus.n_words, "units": len(ctx.units.rows),
        "withdrawn": sum(int(tr.withdrawn or 0) for tr in corpus.transcripts),
        "anonymous": sum(1 for tr in corpus.transcripts if tr.anonymous),
    }
    review = _extra(ctx.result, "review")
    if isinstance(review, dict):  # (older results kept it as a dict)
        review = SimpleNamespace(**review)
    if review is not None and getattr(review, "decisions", 0):
        material["review"] = ctx.s["review"].format(applied=count(review.applied, "decision", ctx.lang),
                                                    orphaned=count(review.orphaned, "orphan", ctx.lang))
    material["text"] = {k: number(v, ctx.lang) for k, v in material.items() if isinstance(v, int)}
    material["left_out"] = _left_out(ctx)
    material["guide"] = {"header": t("guide_only", ctx.lang), "note": t("guide_note", ctx.lang)}
    # each count's noun agrees with it ("1 interview", "3 interviews") and says what report.md says: the
    # project's case noun ("13 helhedsplaner"), respondents where the material is a table of answers
    material["nouns"] = {
        "interviews": noun("respondent" if corpus.of_respondents else "interview", material["interviews"], ctx.lang),
        "cases": _case_word(ctx, material["cases"]), "words": noun("word", material["words"], ctx.lang),
        "units": noun("meaning_unit", material["units"], ctx.lang)}
    return material


def _left_out(ctx: _Context) -> list[str]:
    """report.md's lines on the themes a dimension's ``top_k`` left out, as plain text for the page (it had none:
    a reader of report.html did not learn that 32 theme codings were left out)."""
    from .report import left_out_lines

    codings, cb = getattr(ctx.result, "codings", None), ctx.result.codebook
    if not codings or cb is None:
        return []
    return [line.strip("_").replace("`", "") for line in left_out_lines(codings, cb, ctx.lang) if line]


def _case_word(ctx: _Context, n: int) -> str:
    """What the report calls n cases: the project's ``case_noun`` (its singular for one), else the table's word."""
    themes = ctx.result.tables.get("themes")
    custom = themes.attrs.get("case_noun") if themes is not None else None
    if custom:
        return custom[0] if n == 1 else custom[1]
    return noun("case", n, ctx.lang)


def _over_word(ctx: _Context, total) -> str:
    """The noun after a spread's total, as report.md has it: "(4 af 13 helhedsplaner)", "(1 of 1 interview)"."""
    n = int(total) if total is not None else 2
    over = ctx.settings.count_over
    return _case_word(ctx, n) if over == "cases" else noun("unit" if over == "units" else "interview", n, ctx.lang)


def _coverage(ctx: _Context) -> list[dict]:
    """Coded units per dimension."""
    cb, n_units = ctx.result.codebook, len(ctx.units.rows)
    if cb is None:
        return []
    from .report import guide_only_units

    codings = getattr(ctx.result, "codings", None) or []
    by_dim = defaultdict(list)
    for c in codings:
        by_dim[c.dimension].append(c)
    out = []
    for d in cb.dimensions:
        idx = ctx.by_dim.get(d.id, set())
        row = {"label": ctx.dim_labels[d.id], "n": len(idx), "n_text": number(len(idx), ctx.lang),
               "share": len(idx) / n_units if n_units else 0.0, "list_id": ctx.lists.add(idx, ctx.dim_labels[d.id])}
        if codings:  # report.md's third column: the codings that rest on the guide alone, to review first
            coded = len({c.unit_id for c in by_dim[d.id]})
            row["guide_text"] = (f"{number(guide_only_units(by_dim[d.id]), ctx.lang)} {t('of', ctx.lang)} "
                                 f"{number(coded, ctx.lang)}")
        out.append(row)
    return out


def _theme_sections(ctx: _Context) -> tuple[list[dict], object]:
    """Themes and sub-groups per dimension (the themes table, as written), and the spread's total."""
    themes_df = ctx.result.tables.get("themes", pd.DataFrame())
    total = themes_df.attrs.get("n_total") if hasattr(themes_df, "attrs") else None
    if themes_df.empty:
        return [], total
    cb = ctx.result.codebook
    over = _over_word(ctx, total)
    order = [d.id for d in cb.dimensions] if cb is not None else list(dict.fromkeys(themes_df["dimension"]))
    sections = []
    for dim in order:
        part = themes_df[themes_df["dimension"] == dim]
        if part.empty:
            continue
        section = {"id": dim, "label": ctx.dim_labels.get(dim, dim), "rows": []}
        section["rows"] = [_theme_row(ctx, rec, section["label"], dim, total, over) for rec in part.to_dict("records")]
        sections.append(section)
    return sections, total


def _theme_row(ctx: _Context, rec: dict, section_label: str, dim: str, total, over: str) -> dict:
    """One row of the themes table as the page shows it, with its unit list and its quote's unit."""
    ids = ctx.units.indices(_split_ids(rec.get("unit_ids")))
    sub = str(rec.get("subtheme") or "")
    label = ctx.clean(rec["theme_label"] if not sub else f"{rec['theme_label']} – {rec.get('subtheme_label') or sub}")
    n = int({"cases": rec["n_cases"], "units": rec["n_units"]}.get(ctx.settings.count_over, rec["n_interviews"]))
    quote = str(rec.get("golden_quote") or "")
    quote_unit = _quote_unit(rec, quote, ids, ctx.units)
    return {
        "label": label, "is_sub": bool(sub), "n_units": int(rec["n_units"]),
        "n_interviews": int(rec["n_interviews"]), "n_cases": int(rec["n_cases"]),
        "share": float(rec.get("share") or 0.0), "n": n, "quantifier": str(rec.get("quantifier") or ""),
        "spread": ctx.s["spread"].format(quantifier=rec.get("quantifier") or "", n=number(n, ctx.lang),
                                         total=number(total, ctx.lang) if total is not None else "?", over=over),
        "condensate": str(rec.get("condensate") or ""), "quote": quote,
        "quote_source": str(rec.get("quote_source") or ""), "quote_unit": quote_unit,
        "list_id": ctx.lists.add(ids, f"{section_label}: {label}"),
        "anchor": f"theme-{dim}-{rec['theme']}" + (f"-{sub}" if sub else ""),
    }


def _quote_unit(rec: dict, quote: str, ids: list[int], units: _Units) -> str | None:
    """The unit a row's quote comes from (``golden_unit_id``; tables without it: the unit whose text it is)."""
    if not quote:
        return None
    uid = str(rec.get("golden_unit_id") or "")
    if uid in units.index:
        return uid
    return next((units.rows[i][0] for i in ids if units.rows[i][6] == quote), None)


def _grids(ctx: _Context) -> list[Grid]:
    """The matrices (the long matrix tables' counts; units from the segments' final codings)."""
    grids = []
    for a, b in ctx.settings.matrices:
        long = ctx.result.tables.get(f"matrix_{a}_x_{b}")
        if long is not None and not long.empty:
            grids.append(_grid(ctx, long, a, b))
    return grids


def _grid(ctx: _Context, long: pd.DataFrame, a: str, b: str) -> Grid:
    clean, s = ctx.clean, ctx.s
    row_ids = list(dict.fromkeys(long[a]))
    col_ids = list(dict.fromkeys(long[b]))
    row_labels = [clean(str(long.loc[long[a] == r, f"{a}_label"].iloc[0])) for r in row_ids]
    col_labels = [clean(str(long.loc[long[b] == c, f"{b}_label"].iloc[0])) for c in col_ids]
    counts = {(str(r[a]), str(r[b])): int(r["n_units"]) for r in long.to_dict("records")}
    cells = []
    for ra, rl in zip(row_ids, row_labels):
        line = []
        for cb_id, cl in zip(col_ids, col_labels):
            idx = ctx.by_theme.get((a, str(ra)), set()) & ctx.by_theme.get((b, str(cb_id)), set())
            line.append(Cell(counts.get((str(ra), str(cb_id)), len(idx)), ctx.lists.add(idx, f"{rl} × {cl}"),
                             _cell_names(idx, ctx.units.cases, ctx.units.anonymous, s)))
        cells.append(line)
    dim_a, dim_b = ctx.dim_labels.get(a, a), ctx.dim_labels.get(b, b)
    return Grid(f"matrix_{a}_x_{b}", f"{s['matrix']}: {dim_a} × {dim_b}", dim_a, dim_b, row_labels, col_labels, cells)


def _theme_case(ctx: _Context) -> Grid | None:
    """Units per theme and case; anonymous respondents' units in their own column."""
    cb, units, s = ctx.result.codebook, ctx.units, ctx.s
    if cb is None or not ctx.by_theme or not (units.case_names or any(units.anonymous)):
        return None
    cols = sorted(units.case_names)
    has_anonymous = any(units.anonymous[i] for idx in ctx.by_theme.values() for i in idx)
    col_keys = cols + ([ANONYMOUS_COLUMN] if has_anonymous else [])
    col_labels = cols + ([s["anonymous"]] if has_anonymous else [])
    row_labels, groups, cells = [], [], []
    for d in cb.dimensions:
        for t in d.themes:
            idx = ctx.by_theme.get((d.id, t.id))
            if not idx:
                continue
            label = ctx.theme_labels[(d.id, t.id)]
            row_labels.append(label)
            groups.append(ctx.dim_labels[d.id])
            cells.append([Cell(len(sel), ctx.lists.add(sel, f"{label} × {col_label}"))
                          for sel, col_label in ((_in_column(idx, key, units), col_label)
                                                 for key, col_label in zip(col_keys, col_labels))])
    return Grid("theme_case", s["theme_case"], s["theme"], s["case"], row_labels, col_labels, cells, groups)


def _in_column(idx: set[int], key: str, units: _Units) -> set[int]:
    if key == ANONYMOUS_COLUMN:
        return {i for i in idx if units.anonymous[i]}
    return {i for i in idx if key in units.cases[i]}


def _more_candidates(result, lang: str) -> str:
    """The report's sentence on the candidates past the shortlist (:attr:`condense.emergent.Discovery.shown`)."""
    from ..i18n import t

    d = getattr(result, "discovery", None)
    if d is None or not d.more:
        return ""
    return t("more_candidates", lang, n=d.more, shown=len(d.shown)).replace("*", "").replace("`", "")


def _candidates(ctx: _Context) -> list[dict]:
    """The emergent candidates with their unit lists: the shortlist (:attr:`condense.emergent.Discovery.shown`)
    and the units in none; the rest are in candidates.csv."""
    cand_df = ctx.result.tables.get("candidates")
    if cand_df is None or cand_df.empty:
        return []
    d = getattr(ctx.result, "discovery", None)
    if d is not None and d.more:
        hidden = {g.id for g in d.groups[len(d.shown):]}
        cand_df = cand_df[~cand_df["candidate"].isin(hidden)]
    # the units in no candidate are a row of candidates.csv ("_not_grouped"); the page names that row by its label
    # alone ("Ikke grupperet"), not as a candidate called "_not_grouped"
    return [{"id": str(rec.get("candidate") or ""), "label": str(rec.get("label") or ""),
             "rest": str(rec.get("candidate") or "").startswith("_"),
             "terms": str(rec.get("terms") or ""), "n_units": int(rec.get("n_units") or 0),
             "n_interviews": int(rec.get("n_interviews") or 0),
             "list_id": ctx.lists.add(ctx.units.indices(_split_ids(rec.get("unit_ids"))),
                                      f"{ctx.s['candidate']} {rec.get('candidate')}")}
            for rec in cand_df.to_dict("records")]


def _payload(ctx: _Context) -> dict:
    """The JSON the page's script reads."""
    s, units = ctx.s, ctx.units
    return {
        "lang": ctx.lang,
        "s": {k: s[k] for k in ("showing", "showing_1", "show_more", "unit", "speaker", "case", "transcript", "question",
                                "no_question", "context", "codes", "no_units", "back", "anonymous", "list_all")},
        "transcripts": units.transcripts, "speakers": units.speakers, "cases": units.case_names,
        "questions": units.questions, "themes": ctx.theme_key_labels, "units": units.rows,
        "lists": ctx.lists.lists, "listLabels": ctx.lists.labels,
    }


def _cell_names(indices, unit_cases, unit_anonymous, s) -> list[str]:
    """The cases (plans) a cell's units come from; anonymous respondents' units as one neutral word."""
    names = sorted({c for i in indices for c in unit_cases[i]})
    if any(unit_anonymous[i] for i in indices):
        names.append(s["anonymous"])
    return names
