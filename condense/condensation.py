"""Condensation (STC step 3): per theme, sub-groups of units, a condensate draft and a golden quote.

* Sub-groups come from :mod:`condense.grouping`: the codebook's sub-themes decided in context, then
  coherent proposals among the rest; units placed nowhere are listed as *not placed* (kind ``unplaced``:
  no condensate, no quote), never as a catch-all sub-group.
* A **condensate draft** is extractive: the most central units, fillers and repetitions removed, first
  person kept, marked as a draft. It is a starting point for the researcher's own condensate.
* A **golden quote** is a real unit of 12–60 words, central to the sub-group and readable on its own.
  Withdrawn passages are never units; an anonymous respondent's quote carries no attribution.
* A researcher's ``condensates.csv`` replaces drafts and quote choices on every run; entries that match
  nothing are reported, never dropped (the file is only ever read).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .codebook import Codebook
from .errors import Diagnostics, display_path
from .model import NOTES_SPEAKER, Coding, MeaningUnit
from .privacy import quote_safe

DRAFT_MARK = {"da": "[UDKAST] ", "en": "[DRAFT] "}
ANONYMOUS = {"da": "anonym informant", "en": "anonymous respondent"}
QUOTE_MIN, QUOTE_MAX = 12, 60

_FILLER_PATTERNS = {
    "da": [
        r"\b(?:øh+m?|øhm|æh|hm+|mm+|mhm)\b[,.]?",
        r",?\s*\bikke også\b\??",
        r",?\s*\bikk(?:'|\b)\??",
        r",?\s*\bikke\?",
        r"\baltså\b,?",
        r"(?<=\w )\bjo\b ?",  # "det er jo svært" → "det er svært"
        r"\bsådan en slags\b",
        r"\bligesom\b,?",
        r"\bdu ved\b,?",
    ],
    "en": [
        r"\b(?:erm+|um+|uh+|er|mm+|mhm)\b[,.]?",
        r",?\s*\byou know\b,?",
        r",?\s*\bsort of\b",
        r",?\s*\bkind of\b",
        r"(?<=\w )\blike\b,(?= )",
        r",?\s*\bI mean\b,?",
    ],
}
_NONVERBAL = re.compile(r"\s*[(\[](?:griner|ler|pause|laughs?|sukker|hoster|utydeligt[^)\]]*|[A-ZÆØÅ] griner)[)\]]", re.I)
_REPEAT = re.compile(r"\b(\w+(?:\s+\w+){0,2})(?:\s*[,–-]?\s+\1\b)+", re.I)  # "og og", "det var det var"
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
_DASH_RESTART = re.compile(r"\s+[–-]\s+(?=[a-zæøå])")
_SPACES = re.compile(r"\s{2,}")
_SPACE_PUNCT = re.compile(r"\s+([,.;:!?])")


def clean_speech(text: str, language: str = "da") -> str:
    """Remove fillers, hesitations, non-verbal marks and immediate repetitions; keep the speaker's words."""
    out = _NONVERBAL.sub("", text)
    out = _ELLIPSIS.sub(" ", out)
    for pattern in _FILLER_PATTERNS.get(language, []):
        out = re.sub(pattern, " ", out, flags=re.I)
    out = _REPEAT.sub(r"\1", out)
    out = _DASH_RESTART.sub(" ", out)
    out = _SPACE_PUNCT.sub(r"\1", _SPACES.sub(" ", out)).strip(" ,;–-")
    out = re.sub(r"^[,.;:]\s*", "", out)
    out = re.sub(r"([,.;:])[,.;:]+", r"\1", out)
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
    if out and out[-1] not in ".!?":
        out += "."
    return out


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


@dataclass
class SubGroup:
    dimension: str
    theme: str
    subtheme: str  # id ("" on the theme's own row)
    label: str
    unit_ids: list[str]
    kind: str = "codebook"  # codebook | proposed | other | theme
    condensate: str = ""
    golden_unit_id: str = ""
    researcher: bool = False  # condensate/quote written by a person (condensates.csv)
    note: str = ""


@dataclass
class Condensation:
    groups: list[SubGroup] = field(default_factory=list)  # theme rows and their sub-groups, in table order


def _vectors(units: list[MeaningUnit], language: str):
    from .emergent import TfidfLemmas

    rep = TfidfLemmas(language, min_df=1, max_df=1.0)
    X = rep.fit_transform(units)
    return X.toarray() if hasattr(X, "toarray") else np.asarray(X), rep.vocabulary or []


def centrality(units: list[MeaningUnit], language: str) -> list[float]:
    """Cosine similarity of each unit to the group's centroid (TF-IDF over lemmas)."""
    if len(units) == 1:
        return [1.0]
    X, _ = _vectors(units, language)
    centroid = X.mean(axis=0)
    norm = np.linalg.norm(centroid) or 1.0
    return [float(x @ centroid) / norm for x in X]


def quotable(unit: MeaningUnit) -> bool:
    """12–60 words, spoken by a respondent (an interviewer's notes are not the respondent's words)."""
    if unit.speaker == NOTES_SPEAKER:
        return False
    n = word_count(unit.text)
    return QUOTE_MIN <= n <= QUOTE_MAX and quote_safe(unit)


def readability(unit: MeaningUnit, language: str) -> float:
    """Penalties for a quote that cannot stand alone: fragments, fillers, dangling starts."""
    text = unit.text.strip()
    score = 0.0
    if not text[:1].isupper():
        score -= 0.15
    if text[-1:] not in ".!?":
        score -= 0.15
    first = text.split()[0].lower().strip(",.") if text.split() else ""
    if first in ({"og", "men", "så", "eller", "fordi", "der", "den", "det", "dem", "hun", "han"} if language == "da"
                 else {"and", "but", "so", "or", "because", "that", "it", "they"}):
        score -= 0.1
    cleaned = clean_speech(text, language)
    score -= 0.4 * (1 - word_count(cleaned) / max(1, word_count(text)))
    if "[" in text:  # redactions make a poor quote
        score -= 0.1
    if (text.count('"') + text.count("”") + text.count("“")) % 2:  # starts or ends inside reported speech
        score -= 0.3
    return score


def choose_quote(units: list[MeaningUnit], central: list[float], language: str,
                 support: list[float] | None = None) -> str:
    """The unit id of the best golden quote among quotable units ('' when none qualifies).

    Score: centrality in the sub-group + readability + how much the unit itself speaks to the theme
    (``support``: its own matched words, a human decision) + a little for length (a quote should say
    something: 40 words score more than 12).
    """
    best = None
    support = support or [0.0] * len(units)
    for u, c, s in zip(units, central, support):
        if not quotable(u):
            continue
        score = c + readability(u, language) + s + 0.15 * min(word_count(u.text), 40) / 40
        key = (-score, u.unit_id)
        if best is None or key < best[0]:
            best = (key, u.unit_id)
    return best[1] if best else ""


def draft_condensate(units: list[MeaningUnit], central: list[float], language: str, *, max_words: int = 70,
                     support: list[float] | None = None) -> str:
    """Extractive draft from the most central units; fillers and repetitions removed; first person kept."""
    support = support or [0.0] * len(units)
    order = sorted(range(len(units)), key=lambda i: (-(central[i] + support[i]), units[i].unit_id))
    parts: list[str] = []
    seen: set[str] = set()
    n = 0
    for i in order:
        if not quote_safe(units[i]):  # no self-introduction, listed name or anonymous place (privacy.py)
            continue
        cleaned = clean_speech(units[i].text, language)
        key = re.sub(r"\W+", " ", cleaned.lower()).strip()
        if not key or key in seen:
            continue
        seen.add(key)
        w = word_count(cleaned)
        if parts and n + w > max_words:
            continue
        parts.append(cleaned)
        n += w
        if n >= max_words * 0.8:
            break
    return DRAFT_MARK.get(language, "[DRAFT] ") + " ".join(parts) if parts else ""


def propose_subgroups(units: list[MeaningUnit], language: str, *, random_state: int = 0) -> list[tuple[str, list[str]]]:
    """Coherent sub-groups among a theme's units: (label, unit ids); units in none are left out.

    Kept for callers of the old API; the work is done by :func:`condense.grouping.propose` (linear, no
    all-pairs silhouette)."""
    from .grouping import propose

    return propose(units, language, random_state=random_state)


def condense(
    units: list[MeaningUnit],
    codings: list[Coding],
    codebook: Codebook,
    *,
    random_state: int = 0,
) -> Condensation:
    """Sub-groups with condensate drafts and golden quotes for every theme that has units.

    Sub-groups come from :func:`condense.grouping.place`: codebook sub-themes decided in context, then
    proposals, then the units placed nowhere on a row of kind ``unplaced`` (never a catch-all sub-group).
    """
    from .grouping import place

    language = codebook.language
    by_id = {u.unit_id: u for u in units}
    strength = _strength(codings)
    result = Condensation()
    for dim in codebook.dimensions:
        assigned: dict[str, dict[str, set[str]]] = {}  # theme -> unit id -> its sub-themes (a unit may have several)
        for c in codings:
            if c.dimension == dim.id and c.unit_id in by_id:
                assigned.setdefault(c.theme, {}).setdefault(c.unit_id, set()).add(c.subtheme)
        for theme in dim.themes:
            members = assigned.get(theme.id, {})
            if not members:
                continue
            ids = sorted(members)
            row = SubGroup(dim.id, theme.id, "", theme.label, ids, kind="theme")
            _fill(row, [by_id[i] for i in ids], language, strength)
            result.groups.append(row)
            for p in place(theme, members, by_id, language, random_state=random_state):
                g = SubGroup(dim.id, theme.id, p.subtheme, p.label, sorted(p.unit_ids), kind=p.kind)
                if p.kind != "unplaced":  # not a sub-group: no condensate, no quote
                    _fill(g, [by_id[i] for i in g.unit_ids], language, strength)
                result.groups.append(g)
    return result


def _fill(group: SubGroup, units: list[MeaningUnit], language: str, strength: dict | None = None) -> None:
    central = centrality(units, language)
    support = [(strength or {}).get((u.unit_id, group.dimension, group.theme), 0.0) for u in units]
    group.condensate = draft_condensate(units, central, language, support=support)
    group.golden_unit_id = choose_quote(units, central, language, support)


def _strength(codings: list[Coding]) -> dict[tuple[str, str, str], float]:
    """How much a unit itself speaks to a theme: its own words matched (rule), or a person said so."""
    out: dict[tuple[str, str, str], float] = {}
    for c in codings:
        if c.source == "human":
            value = 0.3
        elif c.evidence.startswith("unit:"):
            value = 0.2 + 0.05 * min(c.evidence.split(";")[0].count(",") + 1, 4)
        else:
            value = 0.0
        key = (c.unit_id, c.dimension, c.theme)
        out[key] = max(out.get(key, 0.0), value)
    return out


def quote_source(unit: MeaningUnit, cases: dict | None = None, language: str = "da") -> str:
    """Attribution of a quote: its case(s), never the person; none for an anonymous respondent."""
    if unit.anonymous:
        return ANONYMOUS.get(language, "anonymous respondent")
    return ", ".join(unit.cases) if unit.cases else unit.transcript


CONDENSATE_COLUMNS = ["dimension", "theme", "subtheme", "condensate", "golden_unit_id", "note"]  # condensates.csv


def apply_researcher_condensates(condensation: Condensation, path: str | Path | None, units_by_id: dict[str, MeaningUnit],
                                 diagnostics: Diagnostics | None = None) -> int:
    """Replace drafts with a researcher's condensates.csv entries. Returns the number applied.

    The file is read, never written. An entry whose theme/sub-theme or unit no longer exists is reported
    (W108) and left in the file.
    """
    from .io import read_table
    from .ingest.withdrawn import strip_withdrawn

    if path is None or not Path(path).exists():
        return 0
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    header, rows = read_table(Path(path), diagnostics=diagnostics)
    index = {(g.dimension, g.theme, g.subtheme): g for g in condensation.groups}
    applied = 0
    for line, row in rows:
        key = (row.get("dimension", ""), row.get("theme", ""), row.get("subtheme", ""))
        group = index.get(key)
        what = "/".join(x for x in key if x) or "(empty)"
        if group is None:
            diagnostics.warn("W108", path=display_path(path), line=line, what=what)
            continue
        text = strip_withdrawn(row.get("condensate", ""), path, line, column="condensate").strip()
        unit_id = row.get("golden_unit_id", "").strip()
        if unit_id and (unit_id not in units_by_id or unit_id not in group.unit_ids):
            diagnostics.warn("W108", path=display_path(path), line=line, what=f"{what} (unit {unit_id})")
            unit_id = ""
        if text:
            group.condensate = text
        if unit_id:
            group.golden_unit_id = unit_id
        if text or unit_id:
            group.researcher = True
            group.note = strip_withdrawn(row.get("note", ""), path, line, column="note")
            applied += 1
    return applied
