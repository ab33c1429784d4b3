"""Who is the interviewer? Configured labels, then the file's legend, then labels that say so ("Interviewer",
"Moderator 2"), then who asks the questions."""
from __future__ import annotations

import re
from collections import Counter

from ..model import INTERVIEWER, RESPONDENT, Turn
from .turns import INTERVIEWER_WORDS

__all__ = [
    "assign_roles",
]

_JOINT = re.compile(r"\s(?:og|and|&|\+)\s")
# a label that names the interviewer's role: "Interviewer", "Intervieweren", "Interviewer 2", "Moderator", but not
# "Interviewee"/"Interviewperson"; not "Forsker"/"Researcher" either, which a respondent of an expert interview is
_ROLE_LABEL = re.compile(r"^\s*(?:interv(?!iewe[de]|iewperson)|moderator|facilitator|spørger"
                         # the interviewer's label shortened, as transcribers type it: INT, Int., INTV, IVR, MOD, FAC;
                         # and the question's: Q, Spm (spørgsmål)
                         r"|(?:int|intv|intvr|ivr|mod|fac|spm|q)\.?\s*\d{0,2}\s*$)", re.I)


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
    roles, source = _configured_roles(labels, configured), "configured"
    if roles is None:
        roles, source = _legend_roles(labels, legend, turns), "legend"
    if roles is None:
        roles, source = _named_roles(labels), "labels"
    if roles is None:
        roles, source = _question_roles(labels, turns), "questions"
        if _initials_agree(roles):
            source = "initials"
    for t in turns:
        t.role = roles.get(t.speaker, RESPONDENT)
    return roles, source


def _configured_roles(labels: list[str], configured: list[str] | None) -> dict[str, str] | None:
    """Configured interviewer labels (case-insensitive); None when no speaker carries one."""
    if not configured:
        return None
    conf_fold = {str(c).strip().casefold() for c in configured if str(c).strip()}
    if not any(p.casefold() in conf_fold for label in labels for p in _parts(label)):
        return None
    return {label: INTERVIEWER if all(p.casefold() in conf_fold for p in _parts(label)) else RESPONDENT
            for label in labels}


def _legend_roles(labels: list[str], legend: dict[str, str] | None, turns: list[Turn]) -> dict[str, str] | None:
    """Roles from the file's speaker legend; None when the legend names none of the speakers.

    A label the legend lacks takes the role of legend labels with its initial ("I" where the legend says
    I1/I2); failing that, whether it asks questions.
    """
    if not legend:
        return None
    legend_roles = {label: (INTERVIEWER if INTERVIEWER_WORDS.search(desc) else RESPONDENT) for label, desc in legend.items()}
    if not any(p in legend_roles for label in labels for p in _parts(label)):
        return None
    q = _question_share(turns)
    initials = {role: {l[0] for l, r in legend_roles.items() if r == role} for role in (INTERVIEWER, RESPONDENT)}
    return {label: _legend_role(label, legend_roles, initials, q.get(label, 0)) for label in labels}


def _legend_role(label: str, legend_roles: dict[str, str], initials: dict[str, set], question_share: float) -> str:
    parts = _parts(label)
    if all(p in legend_roles for p in parts):
        return INTERVIEWER if all(legend_roles[p] == INTERVIEWER for p in parts) else RESPONDENT
    asks, answers = label[0] in initials[INTERVIEWER], label[0] in initials[RESPONDENT]
    if asks != answers:
        return INTERVIEWER if asks else RESPONDENT
    return INTERVIEWER if question_share >= 0.5 else RESPONDENT


def _named_roles(labels: list[str]) -> dict[str, str] | None:
    """Speakers whose label names the role ("Interviewer", "Interviewer 2", "Moderator") are the
    interviewers, everyone else a respondent; None when no label names it. A transcriber who typed
    "Interviewer:" has said who asks; guessing from question marks instead (W103) was wrong where the
    interviewer mostly comments or the respondent asks back."""
    named = {label for label in labels if all(_ROLE_LABEL.match(p) for p in _parts(label))}
    if not named or len(named) == len(labels):
        return None
    return {label: INTERVIEWER if label in named else RESPONDENT for label in labels}


# "I", "I1", "I2": the interviewer's letter in Danish, English and German transcripts (f4/f5transkript's I/B)
_INTERVIEWER_INITIAL = re.compile(r"I\d{0,2}")


def _initials_agree(roles: dict[str, str]) -> bool:
    """The speakers who ask the questions are exactly those labelled "I" (or I1, I2 …), and somebody else
    answers: two signals say the same, so the decision needs no warning (W103 was given to every file of the
    usual I/B or I/R convention)."""
    asked = {label for label, role in roles.items() if role == INTERVIEWER}
    initial = {label for label in roles if _INTERVIEWER_INITIAL.fullmatch(label)}
    return bool(asked) and asked == initial and len(asked) < len(roles)


def _question_roles(labels: list[str], turns: list[Turn]) -> dict[str, str]:
    """The speakers who ask (a share of questions near the top asker's) are interviewers."""
    marked = any("?" in t.text for t in turns)
    q = _question_share(turns, marked)
    if not q:
        return {}
    best = max(q.values())
    # asked in words, respondents ask more often (a question word in a story); the interviewers stand out less
    least, near = (0.3, 0.6) if marked else (0.2, 0.7)
    roles = {label: INTERVIEWER if q.get(label, 0.0) >= least and q.get(label, 0.0) >= near * best else RESPONDENT
             for label in labels}
    if all(r == INTERVIEWER for r in roles.values()) and len(roles) > 1:
        # everybody asks: only the most asking speaker is the interviewer
        top = max(labels, key=lambda l: q.get(l, 0.0))
        roles = {l: (INTERVIEWER if l == top else RESPONDENT) for l in labels}
    return roles


def _question_share(turns: list[Turn], marked: bool | None = None) -> dict[str, float]:
    """Per speaker, the share of their turns that end in a question. A transcript with no question mark at all
    (speech-to-text output without punctuation; ``marked`` False) is read for questions asked in words instead."""
    if marked is None:
        marked = any("?" in t.text for t in turns)
    asked: Counter = Counter()
    total: Counter = Counter()
    for t in turns:
        total[t.speaker] += 1
        if ("?" in t.text[-80:]) if marked else asks_in_words(t.text):
            asked[t.speaker] += 1
    few = 0 if marked else 3  # in words, one or two turns say nothing ("SØN: hvad skal vi have at spise")
    return {label: asked[label] / total[label] if total[label] >= few else 0.0 for label in total if total[label]}


# How a question is asked in Danish or English without a question mark: a question word, or a verb before
# its subject ("kan du", "har I", "did you"), or "fortæl"/"tell me", among a turn's last words.
_ASKING = re.compile(
    r"\b(?:hvad|hvordan|hvorfor|hvem|hvilke[nt]?|hvornår|hvorhenne"
    r"|(?:kan|kunne|vil|ville|har|havde|er|var|gør|gjorde|skal|skulle|må|synes|tænker|oplevede|oplever)"
    r" (?:du|i|i så|der|det|de|man|han|hun)"
    r"|fortæl|prøv at fortælle|what|how|why|who|which|when"
    r"|(?:can|could|would|will|do|did|does|have|has|had|is|was|are|were) (?:you|they|there|it|he|she|we)"
    r"|tell me)\b", re.I)


def asks_in_words(text: str, last: int = 12) -> bool:
    """Whether an unpunctuated turn asks a question in its last ``last`` words."""
    return bool(_ASKING.search(" ".join(text.split()[-last:])))
