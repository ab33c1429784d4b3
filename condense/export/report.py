"""report.md: the results a researcher reads and cites, in the codebook's language.

Every header, label and number comes from the one localisation table (``condense/i18n.py``): a Danish run
reads Danish throughout (decimal comma, "1 enhed", Danish agreement section).
"""
from __future__ import annotations

import pandas as pd

from ..i18n import column, count, localise_frame, noun, noun_forms, number, percent, quoted, t as label
from ..io import markdown_code, markdown_table as _md_table, markdown_text as _md

__all__ = ["render_report", "left_out_lines", "key_term_rows", "plan_matrix_words", "guide_only_units"]


def _language(result) -> str:
    cb = result.codebook
    return cb.language if cb is not None and cb.language in ("da", "en") else "en"


def render_report(result) -> str:
    """report.md: one section per STC step, in the codebook's language (each section a function below)."""
    cb = result.codebook
    lang = _language(result)
    out = [f"# {label('title', lang)}: {_md(cb.label or cb.id)}" if cb else f"# {label('title', lang)}", ""]
    for section in SECTIONS:
        out += section(result, lang)
    return "\n".join(out).rstrip() + "\n"


def _case_noun(result, n: int, lang: str) -> str:
    """What the report calls a case: the project's ``tables: {case_noun: [...]}`` or the table's word."""
    themes = result.tables.get("themes")
    custom = themes.attrs.get("case_noun") if themes is not None else None
    if custom:
        return custom[0] if n == 1 else custom[1]
    return noun("case", n, lang)


def _neuter_case(result, lang: str) -> bool:
    """Whether the Danish case noun is neuter ("ét tilfælde"; "én helhedsplan" is not): its word for "one", as the
    project's ``case_noun`` gives it (a noun given without it is taken as common, as most Danish nouns are)."""
    if lang != "da":
        return False
    themes = result.tables.get("themes")
    custom = themes.attrs.get("case_noun") if themes is not None else None
    one = (custom[3] if len(custom) > 3 else "én") if custom else noun_forms("case", lang)[3]
    return one.casefold() in ("ét", "et", "eet")


def material_section(result, lang: str) -> list[str]:
    """The material: interviews, cases, words, units, withdrawn passages; review; coding coverage."""
    corpus, units, cb = result.corpus, result.segmentation.units, result.codebook
    n_cases = len({c for tr in corpus.transcripts for c in tr.cases})
    withdrawn = corpus.n_withdrawn
    material = count(len(corpus.transcripts), "respondent" if corpus.of_respondents else "interview", lang)
    cases = f"{number(n_cases, lang)} {_case_noun(result, n_cases, lang)}"
    out = [f"## {label('corpus', lang)}", "",
           (material if cases == material else f"{material} · {cases}") + " · "
           f"{count(corpus.n_words, 'word', lang)} · {count(len(units), 'meaning_unit', lang)}"
           + (f" · {withdrawn} {label('withdrawn1' if withdrawn == 1 else 'withdrawn', lang)}" if withdrawn else ""), ""]
    review = result.review
    if review is not None:
        out += [f"{label('review', lang)}: {count(review.applied, 'decision', lang)} {label('applied', lang)}; "
                f"{count(review.orphaned, 'orphan', lang)}.", ""]
    if cb is not None and result.codings:
        rows = []
        for dim in cb.dimensions:
            mine = [c for c in result.codings if c.dimension == dim.id]
            coded = {c.unit_id for c in mine}
            guide = guide_only_units(mine)
            rows.append({label("dimension", lang): dim.label,
                         label("coded_units", lang): f"{number(len(coded), lang)} ({percent(len(coded) / max(1, len(units)), lang)})",
                         label("guide_only", lang): f"{number(guide, lang)} {label('of', lang)} {number(len(coded), lang)}"})
        out += [f"### {label('coverage', lang)}", "", _md_table(pd.DataFrame(rows)), "", f"_{label('guide_note', lang)}_", ""]
        out += left_out_lines(result.codings, cb, lang)
    return out


def guide_only_units(codings) -> int:
    """The coded units of one dimension whose every coding rests on the interview guide alone: counted in units,
    like the coded units beside them (a multi-label dimension's codings outnumber its units, and "0 af 536" stood
    beside 410 coded units)."""
    guide, other = set(), set()
    for c in codings:
        (guide if c.source == "rule" and c.evidence.startswith("guide:") else other).add(c.unit_id)
    return len(guide - other)


def left_out_lines(codings, cb, lang: str) -> list[str]:
    """One line per multi-label dimension whose ``top_k`` left themes a unit matched out of it (W308 says it on
    the terminal, but the report is what is read later): how many units, how many themes, where they are named."""
    from ..coding import left_out

    out = []
    for dim_id, (k, units) in left_out(codings).items():
        themes = sum(len(t) for _, t in units)
        out += [label("left_out", lang, dimension=cb.dimension(dim_id).label, units=count(len(units), "unit", lang),
                      k=k, themes=count(themes, "theme", lang)), ""]
    return out


def key_terms_section(result, lang: str) -> list[str]:
    """STC step 1: key terms for reading (not the total impression itself), across the corpus and per interview."""
    terms = result.key_terms or {}
    if not terms:
        return []
    rows = [{label("interview", lang): k, label("terms", lang): v} for k, v in key_term_rows(terms)]
    out = [f"## {label('step1', lang)}", "", f"_{label('step1_note', lang)}_", "",
           f"**{label('corpus_terms', lang)}:** " + _md(", ".join(terms.get("(corpus)", []))), ""]
    if rows:
        out += [f"**{label('per_interview', lang)}:**", "", _md_table(pd.DataFrame(rows)), ""]
    return out


def themes_section(result, lang: str) -> list[str]:
    """STC steps 3–4: per dimension a summary table, then each theme with its spread, a synthesis draft and
    main findings (theme rows), the condensate, the golden quote with its unit id and a runner-up."""
    themes = result.tables.get("themes")
    if themes is None or themes.empty:
        return []
    out = [f"## {label('themes', lang)}", "", f"_{label('draft_note', lang)}_", ""]
    researcher = set(result.researcher_rows)
    for dim in result.codebook.dimensions:
        part = themes[themes["dimension"] == dim.id]
        if part.empty:
            continue
        summary = part[part["subtheme"] == ""][["theme_label", "n_units", "n_interviews", "n_cases", "n_mentions",
                                                 "quantifier"]]
        out += [f"### {_md(dim.label)}", "", _md_table(localise_frame(summary, lang)), ""]
        # each theme's sub-theme rows, grouped once: selected per theme row, 2,000 themes took 4,000 scans of
        # the whole table (of 8,000 rows). The rows are read once, as tuples: a frame of each theme's sub-themes,
        # read by the synthesis and the main findings in turn, was sliced column by column each time, and each
        # slice deep-copied the table's attrs (the sample: themes_section 0.17 -> 0.05 CPU s)
        rows = list(part.itertuples(index=False))
        subs: dict = {}
        for row in rows:
            if row.subtheme != "":
                subs.setdefault(row.theme, []).append(row)
        for row in rows:
            out += _theme_entry(result, row, subs.get(row.theme, []), themes.attrs, researcher, lang)
    return out


def _theme_entry(result, row, sub, attrs: dict, researcher: set, lang: str) -> list[str]:
    """One theme or sub-theme row of the report; ``sub``: the theme's sub-theme rows."""
    from ..synthesis import main_findings, synthesis

    n_total, over = attrs.get("n_total", 0), attrs.get("count_over", "cases")
    head = row.theme_label if not row.subtheme else f"{row.theme_label} – {row.subtheme_label}"
    level = "#" * min(6, 3 + int(getattr(row, "level", 1 if not row.subtheme else 2) or 1))  # sub-theme paths nest
    n = {"cases": row.n_cases, "units": row.n_units}.get(over, row.n_interviews)
    what = {"cases": lambda: _case_noun(result, n_total, lang),
            "units": lambda: noun("unit", n_total, lang)}.get(over, lambda: noun("interview", n_total, lang))()
    spread = (f"{row.quantifier} ({number(n, lang)} {label('of', lang)} {number(n_total, lang)} {what}), "
              f"{count(row.n_units, 'unit', lang)}")
    out = [f"{level} {_md(head)}", "", f"*{_md(spread)}*", ""]
    if not row.subtheme:
        counted = attrs.get("case_noun") if over == "cases" else over
        text = synthesis(row, sub, n_total, lang, counted)
        if text:
            out += [f"**{label('synthesis', lang)} {label('draft', lang)}:** {_md(text)}", ""]
        findings = main_findings(row, sub, n_total, lang, counted)
        if findings:
            out += [f"> **{label('main_findings', lang)} {label('draft', lang)}**", ">"] + [f"> - {_md(f)}" for f in findings] + [""]
    if row.condensate:
        mark = f" ({label('researcher', lang)})" if (row.dimension, row.theme, row.subtheme) in researcher else ""
        out += [f"**{label('condensate', lang)}{mark}:** {_md(row.condensate)}", ""]
    if row.golden_quote:
        out += [f"> {quoted(_md(row.golden_quote), lang)} ({_md(row.quote_source)}{_unit_ref(result, row.golden_unit_id, '; ')})", ""]
    if getattr(row, "runner_up_quote", ""):
        ref = _unit_ref(result, row.runner_up_unit_id, "")
        out += [f"_{label('runner_up', lang)}: {quoted(_md(row.runner_up_quote), lang)}" + (f" ({ref})_" if ref else "_"), ""]
    return out


def _unit_ref(result, unit_id: str, sep: str) -> str:
    """The unit id to trace a quote, except for an anonymous respondent (the id names the interview)."""
    unit = result.segmentation.by_id.get(unit_id)
    if unit is None or unit.anonymous:
        return ""
    return f"{sep}{markdown_code(unit_id)}"


def key_term_rows(terms: dict) -> list[tuple[str, str]]:
    """(interview, its key terms joined) for step 1's table, in report.md and report.html alike. An interview (a
    survey's respondent of one short answer) with no word of its own says nothing here: a survey of 400
    respondents listed 400 rows, nearly all empty."""
    return [(k, ", ".join(v)) for k, v in terms.items() if k != "(corpus)" and v]


def plan_matrix_words(result, lang: str) -> tuple[str, str]:
    """The plan × phase table's heading and note, in the case noun's grammar ("Hvert tilfælde … dets")."""
    case = _case_noun(result, 1, lang)
    each, its = ("Hvert", "dets") if _neuter_case(result, lang) else ("Hver", "dens")
    return label("plan_matrix", lang, case=case), label("plan_matrix_note", lang, case=case, each=each, its=its)


def plan_matrix_section(result, lang: str) -> list[str]:
    """Step 4, the study's figure: one participation type per plan × phase, plans listed in the cells."""
    grid = result.plan_matrix
    if grid is None or grid.empty:
        return []
    title, note = plan_matrix_words(result, lang)
    return [f"## {title}", "", f"_{note}_", "", _md_table(grid), ""]


def matrix_section(result, lang: str) -> list[str]:
    """Step 4: each dimension × dimension matrix (units)."""
    out = []
    for name, grid in result.matrix_grids.items():
        out += [f"## {label('matrix', lang)}: {_md(name)}", "", _md_table(localise_frame(grid, lang)), ""]
    return out


def candidates_section(result, lang: str) -> list[str]:
    """Steps 1–2: candidate emergent themes among units the codebook does not cover."""
    cand = result.discovery
    if cand is None:
        return []
    from ..emergent import not_grouped_line

    # the units in no candidate are counted, never hidden in a catch-all
    rest = [not_grouped_line(cand), ""] if cand.not_grouped else []
    if not cand.groups:
        return [f"## {label('candidates', lang)}", "", label("no_candidates", lang), ""] + rest
    # headers in lower case as the workbook's candidates sheet has them ("Nøgleord" stood between "id" and "enheder")
    df = pd.DataFrame([{"id": g.id, column("terms", lang): ", ".join(g.terms), noun("unit", 2, lang): g.size,
                        noun("interview", 2, lang): len(g.transcripts)} for g in cand.shown])
    more = [label("more_candidates", lang, n=cand.more, shown=len(cand.shown)), ""] if cand.more else []
    return [f"## {label('candidates', lang)}", "", _md_table(df), ""] + more + rest


def agreement_section(result, lang: str) -> list[str]:
    """Agreement of the run's codings with the project's reference coding, in the report's language."""
    agreement = result.agreement
    table = result.tables.get("agreement")
    if agreement is None or table is None or table.empty:
        return []
    from pathlib import Path

    b = str(getattr(agreement, "b", "") or "")
    b = markdown_code(Path(b).name) if b.endswith((".csv", ".xlsx")) else _md(b)
    from .report_data import named_agreement

    summary = table[table["theme"] == ""].drop(columns=["theme"]) if "theme" in table.columns else table
    shown = named_agreement(summary.copy(), result.codebook)
    for col in shown.columns:
        if shown[col].dtype.kind == "f":
            shown[col] = shown[col].map(lambda x: number(x, lang, 3))
    return [f"## {label('agreement', lang)}", "", label("agreement_intro", lang, b=b, n=number(agreement.n_units, lang)), "",
            _md_table(localise_frame(shown, lang)), ""]


# The report, top to bottom. A new section is a function (result, language) → lines, added here.
SECTIONS = [material_section, key_terms_section, themes_section, plan_matrix_section, matrix_section,
            candidates_section, agreement_section]
