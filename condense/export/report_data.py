"""What report.html and figures/ show, computed once from a run's *tables* (never from raw transcripts).

Everything here is read from the DataFrames a run writes — ``units``, ``segments``, ``themes``, the
``matrix_<a>_x_<b>`` tables and ``candidates`` — so the report and the figures show exactly what the CSV
files hold, with the same unit and transcript ids and the same anonymity: an anonymous unit shows no
speaker and no case (``segments`` already blanks them; the ``anonymous`` column of ``units`` is honoured too).

Every count, cell and quote of the report points at a *unit list*: a list of indices into ``units``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

import pandas as pd

from .strings import number, strings

__all__ = ["ANONYMOUS_COLUMN", "Cell", "Grid", "ReportData", "build_report_data"]

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


def build_report_data(result) -> ReportData:
    """The report's content (sections, heatmaps, unit lists and the embedded unit data) from a run."""
    cb = result.codebook
    lang = cb.language if cb is not None and cb.language in ("da", "en") else "en"
    # the run's privacy (privacy.py): labels drawn into figures cannot be swept after writing, so listed real
    # names are replaced here, and plans named only by anonymous interviews never become a column
    privacy = getattr(getattr(result, "segmentation", None), "privacy", None)
    clean = privacy.pseudonymise if privacy is not None else (lambda text: text)
    hidden_cases = set(getattr(privacy, "anonymous_cases", ()) or ())
    s = strings(lang)
    tables = result.tables
    settings = _table_settings(result)
    units_df = tables.get("units", pd.DataFrame())
    segments = tables.get("segments", pd.DataFrame())

    # ---- units, in the units table's order, with anonymity applied
    unit_index: dict[str, int] = {}
    transcripts: list[str] = []
    t_index: dict[str, int] = {}
    speakers: list[str] = []
    sp_index: dict[str, int] = {}
    case_names: list[str] = []
    c_index: dict[str, int] = {}
    questions: list[str] = []
    q_index: dict[str, int] = {}
    rows = []
    unit_cases: list[list[str]] = []
    unit_anonymous: list[bool] = []

    def intern(value: str, values: list, index: dict) -> int:
        if value not in index:
            index[value] = len(values)
            values.append(value)
        return index[value]

    has_anon = "anonymous" in units_df.columns
    for rec in units_df.to_dict("records"):
        uid = str(rec["unit_id"])
        anonymous = _truthy(rec.get("anonymous")) if has_anon else False
        cases = [] if anonymous else [clean(c) for c in _split_ids(rec.get("cases")) if c not in hidden_cases]
        speaker = "" if anonymous else str(rec.get("speaker") or "")
        q = str(rec.get("question") or "")
        unit_index[uid] = len(rows)
        unit_cases.append(cases)
        unit_anonymous.append(anonymous)
        rows.append([
            uid,
            intern(str(rec.get("transcript") or ""), transcripts, t_index),
            int(rec.get("turn") or 0),
            intern(speaker, speakers, sp_index) if speaker else -1,
            [intern(c, case_names, c_index) for c in cases],
            intern(q, questions, q_index) if q else -1,
            str(rec.get("text") or ""),
            [],  # theme keys, filled from segments
        ])

    # ---- theme keys and per-theme unit lists from the coded segments (the final codings)
    dim_labels = {d.id: clean(d.label) for d in cb.dimensions} if cb is not None else {}
    theme_labels: dict[tuple[str, str], str] = {}
    if cb is not None:
        for d in cb.dimensions:
            for t in d.themes:
                theme_labels[(d.id, t.id)] = clean(t.label)
    theme_keys: list[str] = []
    tk_index: dict[str, int] = {}
    theme_key_labels: list[str] = []
    by_theme: dict[tuple[str, str], set[int]] = defaultdict(set)
    by_dim: dict[str, set[int]] = defaultdict(set)
    seg_records = segments.to_dict("records") if not segments.empty else []
    for rec in seg_records:
        i = unit_index.get(str(rec["unit_id"]))
        if i is None:
            continue
        dim, theme = str(rec["dimension"]), str(rec["theme"])
        key = f"{dim}/{theme}"
        if key not in tk_index:
            tk_index[key] = len(theme_keys)
            theme_keys.append(key)
            theme_key_labels.append(f"{dim_labels.get(dim, dim)}: {theme_labels.get((dim, theme), theme)}")
        k = tk_index[key]
        if k not in rows[i][7]:
            rows[i][7].append(k)
        by_theme[(dim, theme)].add(i)
        by_dim[dim].add(i)
    for r in rows:
        r[7].sort()

    lists = _Lists()
    lists.add(range(len(rows)), s["list_all"])

    def ids_to_indices(ids) -> list[int]:
        return [unit_index[u] for u in ids if u in unit_index]

    # ---- material and coverage
    corpus = result.corpus
    n_units = len(rows)
    all_cases = {c for tr in corpus.transcripts for c in tr.cases}
    material = {
        "interviews": len(corpus.transcripts), "cases": len(all_cases), "words": corpus.n_words, "units": n_units,
        "withdrawn": sum(int(tr.withdrawn or 0) for tr in corpus.transcripts),
        "anonymous": sum(1 for tr in corpus.transcripts if tr.anonymous),
    }
    review = _extra(result, "review")
    if isinstance(review, dict):  # (older results kept it as a dict)
        review = SimpleNamespace(**review)
    if review is not None and getattr(review, "decisions", 0):
        material["review"] = s["review"].format(applied=review.applied, orphaned=review.orphaned)
    material_text = {k: number(v, lang) for k, v in material.items() if isinstance(v, int)}
    material["text"] = material_text
    coverage = []
    if cb is not None:
        for d in cb.dimensions:
            idx = by_dim.get(d.id, set())
            coverage.append({"label": dim_labels[d.id], "n": len(idx), "n_text": number(len(idx), lang),
                             "share": len(idx) / n_units if n_units else 0.0,
                             "list_id": lists.add(idx, dim_labels[d.id])})

    # ---- themes and sub-groups (the themes table, as written)
    themes_df = tables.get("themes", pd.DataFrame())
    over = s["over_cases"] if settings.count_over == "cases" else s["over_interviews"]
    total = themes_df.attrs.get("n_total") if hasattr(themes_df, "attrs") else None
    theme_sections = []
    if not themes_df.empty:
        order = [d.id for d in cb.dimensions] if cb is not None else list(dict.fromkeys(themes_df["dimension"]))
        for dim in order:
            part = themes_df[themes_df["dimension"] == dim]
            if part.empty:
                continue
            section = {"id": dim, "label": dim_labels.get(dim, dim), "rows": []}
            for rec in part.to_dict("records"):
                ids = ids_to_indices(_split_ids(rec.get("unit_ids")))
                sub = str(rec.get("subtheme") or "")
                label = clean(rec["theme_label"] if not sub else f"{rec['theme_label']} – {rec.get('subtheme_label') or sub}")
                n = int(rec["n_cases"] if settings.count_over == "cases" else rec["n_interviews"])
                quote = str(rec.get("golden_quote") or "")
                quote_unit = None
                if quote:
                    for i in ids:
                        if rows[i][6] == quote:
                            quote_unit = rows[i][0]
                            break
                section["rows"].append({
                    "label": label, "is_sub": bool(sub), "n_units": int(rec["n_units"]),
                    "n_interviews": int(rec["n_interviews"]), "n_cases": int(rec["n_cases"]),
                    "share": float(rec.get("share") or 0.0), "n": n, "quantifier": str(rec.get("quantifier") or ""),
                    "spread": s["spread"].format(quantifier=rec.get("quantifier") or "", n=n,
                                                 total=total if total is not None else "?", over=over),
                    "condensate": str(rec.get("condensate") or ""), "quote": quote,
                    "quote_source": str(rec.get("quote_source") or ""), "quote_unit": quote_unit,
                    "list_id": lists.add(ids, f"{section['label']}: {label}"),
                    "anchor": f"theme-{dim}-{rec['theme']}" + (f"-{sub}" if sub else ""),
                })
            theme_sections.append(section)

    # ---- matrices (the long matrix tables' counts; units from the segments' final codings)
    grids = []
    for a, b in settings.matrices:
        long = tables.get(f"matrix_{a}_x_{b}")
        if long is None or long.empty:
            continue
        row_ids = list(dict.fromkeys(long[a]))
        col_ids = list(dict.fromkeys(long[b]))
        row_labels = [clean(str(long.loc[long[a] == r, f"{a}_label"].iloc[0])) for r in row_ids]
        col_labels = [clean(str(long.loc[long[b] == c, f"{b}_label"].iloc[0])) for c in col_ids]
        counts = {(str(r[a]), str(r[b])): int(r["n_units"]) for r in long.to_dict("records")}
        cells = []
        for ra, rl in zip(row_ids, row_labels):
            line = []
            for cb_id, cl in zip(col_ids, col_labels):
                idx = by_theme.get((a, str(ra)), set()) & by_theme.get((b, str(cb_id)), set())
                line.append(Cell(counts.get((str(ra), str(cb_id)), len(idx)),
                                 lists.add(idx, f"{rl} × {cl}"), _cell_names(idx, unit_cases, unit_anonymous, s)))
            cells.append(line)
        grids.append(Grid(f"matrix_{a}_x_{b}", f"{s['matrix']}: {dim_labels.get(a, a)} × {dim_labels.get(b, b)}",
                          dim_labels.get(a, a), dim_labels.get(b, b), row_labels, col_labels, cells))

    # ---- theme × case (units per theme and case; anonymous units in their own column)
    theme_case = None
    if cb is not None and by_theme and (case_names or any(unit_anonymous)):
        cols = sorted(case_names)
        has_anonymous = any(unit_anonymous[i] for idx in by_theme.values() for i in idx)
        col_keys = cols + ([ANONYMOUS_COLUMN] if has_anonymous else [])
        col_labels = cols + ([s["anonymous"]] if has_anonymous else [])
        row_labels, groups, cells = [], [], []
        for d in cb.dimensions:
            for t in d.themes:
                idx = by_theme.get((d.id, t.id))
                if not idx:
                    continue
                row_labels.append(theme_labels[(d.id, t.id)])
                groups.append(dim_labels[d.id])
                line = []
                for key, label in zip(col_keys, col_labels):
                    if key == ANONYMOUS_COLUMN:
                        sel = {i for i in idx if unit_anonymous[i]}
                    else:
                        sel = {i for i in idx if key in unit_cases[i]}
                    line.append(Cell(len(sel), lists.add(sel, f"{theme_labels[(d.id, t.id)]} × {label}")))
                cells.append(line)
        theme_case = Grid("theme_case", s["theme_case"], s["theme"], s["case"], row_labels, col_labels, cells, groups)

    # ---- emergent candidates
    candidates = []
    cand_df = tables.get("candidates")
    if cand_df is not None and not cand_df.empty:
        for rec in cand_df.to_dict("records"):
            ids = ids_to_indices(_split_ids(rec.get("unit_ids")))
            candidates.append({"id": str(rec.get("candidate") or ""), "label": str(rec.get("label") or ""),
                               "terms": str(rec.get("terms") or ""), "n_units": int(rec.get("n_units") or 0),
                               "n_interviews": int(rec.get("n_interviews") or 0),
                               "list_id": lists.add(ids, f"{s['candidate']} {rec.get('candidate')}")})

    agreement = tables.get("agreement")
    title = f"{s['title']}: {cb.label or cb.id}" if cb is not None else s["title"]
    payload = {
        "lang": lang,
        "s": {k: s[k] for k in ("showing", "show_more", "unit", "speaker", "case", "transcript", "question",
                                "no_question", "context", "codes", "no_units", "back", "anonymous", "list_all")},
        "transcripts": transcripts, "speakers": speakers, "cases": case_names, "questions": questions,
        "themes": theme_key_labels, "units": rows, "lists": lists.lists, "listLabels": lists.labels,
    }
    return ReportData(lang, title, material, coverage, theme_sections, grids, theme_case, candidates,
                      agreement if agreement is not None and not agreement.empty else None,
                      settings.count_over, int(total) if total is not None else None,
                      lists.lists, lists.labels, payload)


def _cell_names(indices, unit_cases, unit_anonymous, s) -> list[str]:
    """The cases (plans) a cell's units come from; anonymous respondents' units as one neutral word."""
    names = sorted({c for i in indices for c in unit_cases[i]})
    if any(unit_anonymous[i] for i in indices):
        names.append(s["anonymous"])
    return names
