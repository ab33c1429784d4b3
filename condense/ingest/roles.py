"""Who is the interviewer? Configured labels, then the file's legend, then who asks the questions."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..model import INTERVIEWER, RESPONDENT, Turn
from .turns import INTERVIEWER_WORDS

_JOINT = re.compile(r"\s(?:og|and|&|\+)\s")


def _parts(label: str) -> list[str]:
    return [p.strip() for p in _JOINT.split(label)]


def assign_roles(
    turns: list[Turn],
    *,
    configured: list[str] | None = None,
    legend: dict[str, str] | None = None,
) -> tuple[dict[str, str], str]:
    """Return (label → role, how it was decided) and set ``turn.role`` on every turn.

    Several interviewers and several respondents are normal. A joint turn ``X og Y`` is a respondent turn
    unless every part is an interviewer.
    """
    labels = list(dict.fromkeys(t.speaker for t in turns))
    roles: dict[str, str] = {}
    source = ""
    if configured:
        conf = {c.strip() for c in configured if str(c).strip()}
        conf_fold = {c.casefold() for c in conf}
        if any(p.casefold() in conf_fold for label in labels for p in _parts(label)):
            source = "configured"
            for label in labels:
                parts = _parts(label)
                roles[label] = INTERVIEWER if all(p.casefold() in conf_fold for p in parts) else RESPONDENT
    if not source and legend:
        legend_roles = {label: (INTERVIEWER if INTERVIEWER_WORDS.search(desc) else RESPONDENT)
                        for label, desc in legend.items()}
        if any(p in legend_roles for label in labels for p in _parts(label)):
            source = "legend"
            q = _question_share(turns)
            interviewer_initials = {l[0] for l, r in legend_roles.items() if r == INTERVIEWER}
            respondent_initials = {l[0] for l, r in legend_roles.items() if r == RESPONDENT}
            for label in labels:
                parts = _parts(label)
                if all(p in legend_roles for p in parts):
                    roles[label] = INTERVIEWER if all(legend_roles[p] == INTERVIEWER for p in parts) else RESPONDENT
                elif label[0] in interviewer_initials and label[0] not in respondent_initials:
                    roles[label] = INTERVIEWER  # "I" where the legend says I1/I2
                elif label[0] in respondent_initials and label[0] not in interviewer_initials:
                    roles[label] = RESPONDENT
                else:
                    roles[label] = INTERVIEWER if q.get(label, 0) >= 0.5 else RESPONDENT
    if not source:
        source = "questions"
        q = _question_share(turns)
        if q:
            best = max(q.values())
            for label in labels:
                share = q.get(label, 0.0)
                roles[label] = INTERVIEWER if share >= 0.3 and share >= 0.6 * best else RESPONDENT
            if all(r == INTERVIEWER for r in roles.values()) and len(roles) > 1:
                # everybody asks: only the most asking speaker is the interviewer
                top = max(labels, key=lambda l: q.get(l, 0.0))
                roles = {l: (INTERVIEWER if l == top else RESPONDENT) for l in labels}
    for t in turns:
        t.role = roles.get(t.speaker, RESPONDENT)
    return roles, source


def _question_share(turns: list[Turn]) -> dict[str, float]:
    asked: Counter = Counter()
    total: Counter = Counter()
    words: dict[str, int] = defaultdict(int)
    for t in turns:
        total[t.speaker] += 1
        words[t.speaker] += len(t.text.split())
        if "?" in t.text[-80:]:
            asked[t.speaker] += 1
    return {label: asked[label] / total[label] for label in total if total[label]}
