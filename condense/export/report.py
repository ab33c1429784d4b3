"""report.md: the results a researcher reads and cites, in the codebook's language."""
from __future__ import annotations

import pandas as pd

from ..io import markdown_table as _md_table

__all__ = ["render_report"]

T = {
    "da": {
        "title": "Resultater", "corpus": "Materiale", "interviews": "interview", "cases": "cases", "words": "ord",
        "units": "meningsbærende enheder", "withdrawn": "tilbagetrukne passager udeladt", "withdrawn1": "tilbagetrukket passage udeladt", "coverage": "Kodning",
        "dimension": "Dimension", "coded": "kodede enheder", "step1": "Trin 1 – nøgleord til læsningen",
        "step1_note": "Ord der adskiller interviewene: en hjælp til at læse, ikke et helhedsindtryk og ikke temaer. Helhedsindtrykket får du kun ved at læse interviewene.",
        "guide_only": "kun ud fra interviewguiden",
        "guide_note": "Kodninger der kun hviler på, hvor svaret står i interviewet (den fase, spørgsmålet åbnede), ikke på hvad det siger. Gennemgå dem først.",
        "corpus_terms": "På tværs af alle interview", "per_interview": "Pr. interview", "interview": "Interview",
        "terms": "Nøgleord", "themes": "Temaer og undertemaer", "theme": "Tema", "subtheme": "Undertema",
        "quant": "Udbredelse", "n": "enheder", "condensate": "Kondensat", "quote": "Illustrativt citat",
        "matrix": "Matrix", "candidates": "Kandidater til nye temaer",
        "no_candidates": "Ingen: de enheder, kodebogen ikke dækker, danner ingen tydelige grupper.",
        "draft_note": "Kondensater mærket [UDKAST] er maskinens udtræk; omskriv dem i condensates.csv.",
        "of": "af", "review": "Gennemgang", "agreement": "Overensstemmelse", "orphans": "forældreløse beslutninger",
        "decisions": "beslutninger anvendt", "researcher": "skrevet af forskeren",
        "unit_word": "enheder", "mentions": "forekomster",
    },
    "en": {
        "title": "Results", "corpus": "Material", "interviews": "interviews", "cases": "cases", "words": "words",
        "units": "meaning units", "withdrawn": "withdrawn passages left out", "withdrawn1": "withdrawn passage left out", "coverage": "Coding",
        "dimension": "Dimension", "coded": "coded units", "step1": "Step 1 – key words for reading",
        "step1_note": "Words that set the interviews apart: an aid to reading, not a total impression and not themes. The total impression comes only from reading the interviews.",
        "guide_only": "from the interview guide only",
        "guide_note": "Codings that rest only on where the answer sits in the interview (the phase its question opened), not on what it says. Review them first.",
        "corpus_terms": "Across all interviews", "per_interview": "Per interview", "interview": "Interview",
        "terms": "Key terms", "themes": "Themes and sub-themes", "theme": "Theme", "subtheme": "Sub-theme",
        "quant": "Spread", "n": "units", "condensate": "Condensate", "quote": "Illustrative quote",
        "matrix": "Matrix", "candidates": "Candidate themes",
        "no_candidates": "None: the units the codebook does not cover form no clear groups.",
        "draft_note": "Condensates marked [DRAFT] are machine extracts; rewrite them in condensates.csv.",
        "of": "of", "review": "Review", "agreement": "Agreement", "orphans": "orphaned decisions",
        "decisions": "decisions applied", "researcher": "written by the researcher",
        "unit_word": "units", "mentions": "mentions",
    },
}


def _num(n: int, language: str) -> str:
    """Thousands separators as the language writes them: 28.784 in Danish, 28,784 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if language == "da" else text


def render_report(result) -> str:
    """report.md: one section per STC step, in the codebook's language (each section a function below)."""
    cb = result.codebook
    lang = cb.language if cb is not None and cb.language in T else "en"
    t = T[lang]
    out = [f"# {t['title']}: {cb.label or cb.id}" if cb else f"# {t['title']}", ""]
    for section in SECTIONS:
        out += section(result, t, lang)
    return "\n".join(out).rstrip() + "\n"


def material_section(result, t: dict, lang: str) -> list[str]:
    """The material: interviews, cases, words, units, withdrawn passages; review; coding coverage."""
    corpus, units, cb = result.corpus, result.segmentation.units, result.codebook
    n_cases = len({c for tr in corpus.transcripts for c in tr.cases})
    withdrawn = sum(tr.withdrawn for tr in corpus.transcripts)
    out = [f"## {t['corpus']}", "",
           f"{len(corpus.transcripts)} {t['interviews']} · {n_cases} {t['cases']} · {_num(corpus.n_words, lang)} {t['words']} · "
           f"{_num(len(units), lang)} {t['units']}" + (f" · {withdrawn} {t['withdrawn1' if withdrawn == 1 else 'withdrawn']}"
                                                      if withdrawn else ""), ""]
    review = result.review
    if review is not None:
        out += [f"{t['review']}: {review.applied} {t['decisions']}; {review.orphaned} {t['orphans']}.", ""]
    if cb is not None and result.codings:
        rows = []
        for dim in cb.dimensions:
            mine = [c for c in result.codings if c.dimension == dim.id]
            coded = {c.unit_id for c in mine}
            guide = sum(1 for c in mine if c.source == "rule" and c.evidence.startswith("guide:"))
            rows.append({t["dimension"]: dim.label, t["coded"]: f"{len(coded)} ({len(coded) / max(1, len(units)):.0%})",
                         t["guide_only"]: f"{guide} {t['of']} {len(mine)}"})
        out += [f"### {t['coverage']}", "", _md_table(pd.DataFrame(rows)), "", f"_{t['guide_note']}_", ""]
    return out


def key_terms_section(result, t: dict, lang: str) -> list[str]:
    """STC step 1: key words for reading (not the total impression itself), across the corpus and per interview."""
    terms = result.key_terms or {}
    if not terms:
        return []
    rows = [{t["interview"]: k, t["terms"]: ", ".join(v)} for k, v in terms.items() if k != "(corpus)"]
    return [f"## {t['step1']}", "", f"_{t['step1_note']}_", "", f"**{t['corpus_terms']}:** " + ", ".join(terms.get("(corpus)", [])), "",
            f"**{t['per_interview']}:**", "", _md_table(pd.DataFrame(rows)), ""]


def themes_section(result, t: dict, lang: str) -> list[str]:
    """STC steps 3–4: per dimension a summary table, then each theme with spread, condensate and quote."""
    themes = result.tables.get("themes")
    if themes is None or themes.empty:
        return []
    out = [f"## {t['themes']}", "", f"_{t['draft_note']}_", ""]
    researcher = set(result.researcher_rows)
    for dim in result.codebook.dimensions:
        part = themes[themes["dimension"] == dim.id]
        if part.empty:
            continue
        summary = part[part["subtheme"] == ""][["theme_label", "n_units", "n_interviews", "n_mentions", "quantifier"]]
        summary.columns = [t["theme"], t["n"], t["interviews"], t["mentions"], t["quant"]]
        out += [f"### {dim.label}", "", _md_table(summary), ""]
        for row in part.itertuples(index=False):
            out += _theme_entry(row, themes.attrs["n_total"], researcher, t)
    return out


def _theme_entry(row, n_total: int, researcher: set, t: dict) -> list[str]:
    head = row.theme_label if not row.subtheme else f"{row.theme_label} – {row.subtheme_label}"
    level = "####" if not row.subtheme else "#####"
    spread = f"{row.quantifier} ({row.n_interviews} {t['of']} {n_total} {t['interviews']}), {row.n_units} {t['unit_word']}"
    out = [f"{level} {head}", "", f"*{spread}*", ""]
    if row.condensate:
        mark = f" ({t['researcher']})" if (row.dimension, row.theme, row.subtheme) in researcher else ""
        out += [f"**{t['condensate']}{mark}:** {row.condensate}", ""]
    if row.golden_quote:
        out += [f"> »{row.golden_quote}« ({row.quote_source})", ""]
    return out


def matrix_section(result, t: dict, lang: str) -> list[str]:
    """Step 4: each dimension × dimension matrix (units)."""
    out = []
    for name, grid in result.matrix_grids.items():
        out += [f"## {t['matrix']}: {name}", "", _md_table(grid), ""]
    return out


def candidates_section(result, t: dict, lang: str) -> list[str]:
    """Steps 1–2: candidate emergent themes among units the codebook does not cover."""
    cand = result.discovery
    if cand is None:
        return []
    from ..emergent import not_grouped_line

    # the units in no candidate are counted, never hidden in a catch-all
    rest = [not_grouped_line(cand), ""] if cand.not_grouped else []
    if not cand.groups:
        return [f"## {t['candidates']}", "", t["no_candidates"], ""] + rest
    df = pd.DataFrame([{"id": g.id, t["terms"]: ", ".join(g.terms), t["n"]: g.size,
                        t["interviews"]: len(g.transcripts)} for g in cand.groups])
    return [f"## {t['candidates']}", "", _md_table(df), ""] + rest


def agreement_section(result, t: dict, lang: str) -> list[str]:
    """Agreement of the run's codings with the project's reference coding, when it names one."""
    if result.agreement is None:
        return []
    return [f"## {t['agreement']}", "", result.agreement.to_markdown(), ""]


# The report, top to bottom. A new section is a function (result, labels, language) → lines, added here.
SECTIONS = [material_section, key_terms_section, themes_section, matrix_section, candidates_section, agreement_section]
