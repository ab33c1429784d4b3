"""Step-4 synthesis drafts (STC): a few sentences per theme in the study's register, and a main-findings box.

Generated only from the counts and the sub-groups of the themes table, so every sentence can be checked
against the table: "I flere helhedsplaner (5 af 13) …", "Enkelte helhedsplaner …". Marked as drafts in the
report; the researcher writes the analytic text.

A finding names only the codebook's sub-themes (the researcher's groups). The machine's proposals
("Forslag: tirsdag, torsdag") are word lists to read, not results: they are mentioned as proposals only,
and the rest rows ("Ikke placeret", "_other") not at all.

Quantifier phrases follow Danish and English grammar for every step of the scale and every count
(:func:`quantified`): "I halvdelen af helhedsplanerne (6 af 12)", "I én helhedsplan (1 af 12)",
"I begge interview (2 af 2)", "In half of the cases (6 of 12)".
"""
from __future__ import annotations

from .i18n import LABELS, noun_forms, number

__all__ = ["synthesis", "main_findings", "finding", "proposal_labels", "nouns", "quantified", "quantifier_key_of",
           "PROPOSALS"]

PROPOSALS = {"da": "Maskinens forslag til undergrupper, som skal læses, før de bruges: {items}.",
             "en": "The machine's proposed sub-groups, to be read before they are used: {items}."}


def nouns(case_noun, language: str) -> tuple[str, str, str, str]:
    """(singular, plural, definite plural, "one") for what the counts count: ``None`` (cases), "interviews",
    "units" or the project's ``case_noun`` ([singular, plural] with optionally the definite plural and the
    word for one, e.g. [helhedsplan, helhedsplaner, helhedsplanerne, én])."""
    if case_noun == "interviews":
        return noun_forms("interview", language)
    if case_noun == "units":
        return noun_forms("unit", language)
    if case_noun and not isinstance(case_noun, str):
        items = list(case_noun)
        singular, plural = items[0], items[1]
        definite = items[2] if len(items) > 2 else _definite_plural(plural, language)
        one = items[3] if len(items) > 3 else ""
        return singular, plural, definite, one
    return noun_forms("case", language)


def _definite_plural(plural: str, language: str) -> str:
    """Danish: helhedsplaner → helhedsplanerne, tilfælde → tilfældene, interview → interviewene."""
    if language != "da":
        return f"the {plural}"
    return plural + ("ne" if plural.endswith(("e", "er")) else "ene")


def quantifier_key_of(word: str, language: str) -> str:
    """The scale step of a quantifier word of the table ("halvdelen" → "half")."""
    columns = (0, 1) if language == "da" else (1, 0)
    for column in columns:
        for key, pair in LABELS.items():
            if key.startswith("q.") and pair[column] == word:
                return key[2:]
    return ""


def quantified(key: str, n: int, total: int, language: str, forms: tuple[str, str, str, str]) -> str:
    """"i halvdelen af helhedsplanerne (6 af 12)" / "in half of the cases (6 of 12)" (lower case; the
    caller capitalises a sentence start). ``key`` is the scale step (tables.quantifier_key)."""
    singular, plural, definite, one = forms
    count = f"({number(n, language)} {'af' if language == 'da' else 'of'} {number(total, language)})"
    if language == "da":
        if n == 1 and total > 1 and not one:  # without the noun's gender (én/ét): "i 1 af de 12 helhedsplaner"
            return f"i 1 af de {number(total, language)} {plural}"
        head = _danish_head(key, n, total, singular, plural, definite, one)
    else:
        head = _english_head(key, n, total, singular, plural, definite)
    return f"{head} {count}"


def _danish_head(key, n, total, singular, plural, definite, one) -> str:
    if key == "all" and total == 2:
        return f"i begge {plural}"
    if n == 1 and total == 1:
        return f"i {'den' if one == 'én' else 'det'} ene {singular}" if one else f"i samtlige {plural}"
    if n == 1:
        return f"i {one} {singular}"
    if key == "half":
        return f"i halvdelen af {definite}"
    word = LABELS.get(f"q.{key}", ("", ""))[0] or "ingen"
    return f"i {word} {plural}"


def _english_head(key, n, total, singular, plural, definite) -> str:
    if key == "all" and total == 2:
        return f"in both {plural}"
    if key in ("one", "all") and n == 1:
        return f"in the one {singular}" if total == 1 else f"in one {singular}"
    if key == "half":
        return f"in half of {definite}"
    if key == "none":
        return f"in no {plural}"
    return f"in {LABELS.get(f'q.{key}', ('', ''))[1]} {plural}"


def _n(row, case_noun=None) -> int:
    return int({"interviews": row.n_interviews, "units": row.n_units}.get(case_noun, row.n_cases)) \
        if isinstance(case_noun, str) else int(row.n_cases)


def finding(row) -> bool:
    """A sub-group the text may present as a finding: a codebook sub-theme, not a machine proposal
    ("_proposed_N") and not a rest row ("_other", "_unplaced": units no sub-group took)."""
    return not str(row.subtheme).startswith("_")


def _proposal(row) -> bool:
    return str(row.subtheme).startswith("_proposed")


def _phrase(row, total: int, language: str, case_noun) -> str:
    n = _n(row, case_noun)
    text = quantified(quantifier_key_of(str(row.quantifier), language), n, total, language, nouns(case_noun, language))
    return text[:1].upper() + text[1:]


def synthesis(theme_row, subrows, total: int, language: str = "da", case_noun=None) -> str:
    """A draft results text for one theme from its counts and its sub-groups (largest first)."""
    if not total:
        return ""
    sentences = []
    label = theme_row.theme_label
    lead = _phrase(theme_row, total, language, case_noun)
    if language == "da":
        # "informanterne", as the English says "the respondents": "medarbejderne" (the staff) was the sample study's
        # own word, wrong for a study of households or patients
        sentences.append(f"{lead} fortæller informanterne om {label.lower()}.")
    else:
        sentences.append(f"{lead} the respondents talk about {label.lower()}.")
    rows = _rows(subrows)
    ranked = sorted((r for r in rows if finding(r)), key=lambda r: (-_n(r, case_noun), -int(r.n_units), r.subtheme))
    for r in ranked[:3]:
        p = _phrase(r, total, language, case_noun)
        what = _named(str(r.subtheme_label), language)
        if language == "da":
            sentences.append(f"{p} handler det om {what}.")
        else:
            sentences.append(f"{p} it is about {what}.")
    proposals = proposal_labels(rows, language)
    if proposals:
        # a semicolon between proposals: a proposal's label may hold a comma ("Det, der virkede (…)")
        sentences.append(PROPOSALS.get(language, PROPOSALS["en"]).format(items="; ".join(proposals)))
    return " ".join(sentences)


def _rows(subrows) -> list:
    """A theme's sub-theme rows: a frame's rows as tuples, or the rows given (the report reads them once)."""
    return list(subrows.itertuples(index=False)) if hasattr(subrows, "itertuples") else list(subrows)


def _named(label: str, language: str) -> str:
    """A sub-theme as the object of "handler det om" / "it is about": its label in quotation marks, as the
    name it is. Codebook labels are noun phrases ("netværk") or whole statements ("Inddragelsen falder med
    aktivitetens kompleksitet", which would need an "at" unquoted); quoted, both read right."""
    open_, close = ("»", "«") if language == "da" else ("“", "”")
    return f"{open_}{label[:1].lower() + label[1:]}{close}"


def proposal_labels(rows, language: str) -> list[str]:
    """The proposals' labels without their "Forslag: " prefix, in quotation marks unless they quote their words
    already ("gruppe kendetegnet ved ordet »ark«", "svar på spørgsmål om »beboerne«")."""
    from .grouping import PROPOSED

    prefix = PROPOSED.get(language, PROPOSED["en"])
    open_, close = ("»", "«") if language == "da" else ("“", "”")
    labels = [str(r.subtheme_label).removeprefix(prefix) for r in rows if _proposal(r)]
    return [label if open_ in label else f"{open_}{label}{close}" for label in labels]  # "svar på »…«" is quoted


def main_findings(theme_row, subrows, total: int, language: str = "da", case_noun=None) -> list[str]:
    """Two or three short findings: the theme's spread, its most and least shared codebook sub-themes."""
    if not total:
        return []
    out = []
    where = _phrase(theme_row, total, language, case_noun)
    where = where[:1].lower() + where[1:]
    if language == "da":
        out.append(f"{theme_row.theme_label} findes {where}.")
    else:  # no verb after the label: "Children appears", "Activity types appears" agreed with no plural
        out.append(f"{theme_row.theme_label}: {where}.")
    real = [r for r in _rows(subrows) if finding(r)]
    if real:
        top = max(real, key=lambda r: (_n(r, case_noun), int(r.n_units)))
        low = min(real, key=lambda r: (_n(r, case_noun), int(r.n_units)))
        of = "af" if language == "da" else "of"
        most, least = ("Mest udbredt", "Mindst udbredt") if language == "da" else ("Most shared", "Least shared")
        out.append(f"{most}: {top.subtheme_label} ({number(_n(top, case_noun), language)} {of} "
                   f"{number(total, language)}).")
        if low is not top:
            out.append(f"{least}: {low.subtheme_label} ({number(_n(low, case_noun), language)} {of} "
                       f"{number(total, language)}).")
    return out
