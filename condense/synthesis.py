"""Step-4 synthesis drafts (STC): a few sentences per theme in the study's register, and a main-findings box.

Generated only from the counts and the sub-groups of the themes table, so every sentence can be checked
against the table: "I flere helhedsplaner (5 af 13) …", "Enkelte helhedsplaner …". Marked as drafts in the
report; the researcher writes the analytic text.
"""
from __future__ import annotations

from .i18n import number, t

__all__ = ["synthesis", "main_findings"]

_VERB = {"da": "beskrives", "en": "describe"}


def _case_noun(n: int, case_noun, language: str) -> str:
    from .i18n import noun

    if case_noun == "interviews":
        return noun("interview", n, language)
    if case_noun == "units":
        return noun("unit", n, language)
    if case_noun:
        return case_noun[0] if n == 1 else case_noun[1]
    return noun("case", n, language)


def _n(row, case_noun=None) -> int:
    return int({"interviews": row.n_interviews, "units": row.n_units}.get(case_noun, row.n_cases)) \
        if isinstance(case_noun, str) else int(row.n_cases)


def _placed(row) -> bool:
    """A sub-group the text may name: a codebook sub-theme or a proposed one, not the rest rows
    ("_other", "_unplaced": units no sub-group took)."""
    sub = str(row.subtheme)
    return not sub.startswith("_") or sub.startswith("_proposed")


def _phrase(quant: str, n: int, total: int, language: str, case_noun) -> str:
    """"I flere helhedsplaner (5 af 13)" / "In several cases (5 of 13)"."""
    noun = _case_noun(n, case_noun, language)
    if language == "da":
        if quant in ("en enkelt",):
            return f"I én {noun} (1 af {number(total, language)})"
        if quant == "halvdelen":
            return f"I halvdelen af {_case_noun(2, case_noun, language)} ({number(n, language)} af {number(total, language)})"
        return f"I {quant} {_case_noun(2, case_noun, language)} ({number(n, language)} af {number(total, language)})"
    if quant == "one":
        return f"In one {noun} (1 of {total})"
    if quant == "half":
        return f"In half of the {_case_noun(2, case_noun, language)} ({n} of {total})"
    return f"In {quant} {_case_noun(2, case_noun, language)} ({n} of {total})"


def synthesis(theme_row, subrows, total: int, language: str = "da", case_noun=None) -> str:
    """A draft results text for one theme from its counts and its sub-groups (largest first)."""
    if not total:
        return ""
    sentences = []
    label = theme_row.theme_label
    lead = _phrase(theme_row.quantifier, _n(theme_row, case_noun), total, language, case_noun)
    if language == "da":
        sentences.append(f"{lead} fortæller medarbejderne om {label.lower()}.")
    else:
        sentences.append(f"{lead} the respondents talk about {label.lower()}.")
    ranked = sorted((r for r in subrows.itertuples(index=False) if _placed(r)),
                    key=lambda r: (-_n(r, case_noun), -int(r.n_units), r.subtheme))
    for r in ranked[:3]:
        p = _phrase(r.quantifier, _n(r, case_noun), total, language, case_noun)
        what = str(r.subtheme_label).replace("Forslag: ", "").replace("Proposed: ", "")
        if language == "da":
            sentences.append(f"{p} handler det om {what[:1].lower() + what[1:]}.")
        else:
            sentences.append(f"{p} it is about {what[:1].lower() + what[1:]}.")
    return " ".join(sentences)


def main_findings(theme_row, subrows, total: int, language: str = "da", case_noun=None) -> list[str]:
    """Two or three short findings: the theme's spread, its most and least shared sub-groups."""
    if not total:
        return []
    out = []
    plural = _case_noun(2, case_noun, language)
    q = theme_row.quantifier
    n = _n(theme_row, case_noun)
    if language == "da":
        out.append(f"{theme_row.theme_label} findes i {q} {plural} ({number(n, language)} af {number(total, language)}).")
    else:
        out.append(f"{theme_row.theme_label} appears in {q} {plural} ({n} of {total}).")
    real = [r for r in subrows.itertuples(index=False) if _placed(r)]
    if real:
        top = max(real, key=lambda r: (_n(r, case_noun), int(r.n_units)))
        low = min(real, key=lambda r: (_n(r, case_noun), int(r.n_units)))
        if language == "da":
            out.append(f"Mest udbredt: {top.subtheme_label} ({number(_n(top, case_noun), language)} af {number(total, language)}).")
            if low is not top:
                out.append(f"Mindst udbredt: {low.subtheme_label} ({number(_n(low, case_noun), language)} af {number(total, language)}).")
        else:
            out.append(f"Most shared: {top.subtheme_label} ({_n(top, case_noun)} of {total}).")
            if low is not top:
                out.append(f"Least shared: {low.subtheme_label} ({_n(low, case_noun)} of {total}).")
    return out
