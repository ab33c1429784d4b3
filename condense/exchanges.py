"""The formal exchanges of an interview: consent, introduction and closing (question or answer).

They frame the interview rather than answer its guide: they are never quoted or condensed (quotes.py,
drafts.py), and the guide section they fall in does not code them (coding.py): the closing "Er der noget, vi
har glemt?" follows the last phase's questions without belonging to that phase.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .model import MeaningUnit

__all__ = ["formal_exchange", "frames_interview", "frames_question", "frames_answer", "invites_more", "opening_end"]

_FORMAL = {
    "da": re.compile(
        r"\b(?:optag\w*|samtykke|hvad hedder du|dit navn|sige dit navn|hvem er du|præsenter\w* (?:dig|jer)|anonym\w*|"
        r"navngive\w*|citere\w*|citater|uden for analysen|holde noget (?:af det )?ude|ikke vil have,? (?:at )?vi bruger|"
        r"helst ikke vil have|kontakte dig|ringe (?:til dig )?igen|ringer igen|skrive til dig|tak for (?:snakken|din tid|"
        r"i dag|det|nu|hjælpen)|mange tak|held og lykke|god (?:dag|weekend|arbejdslyst)|hej hej|farvel|på gensyn|"
        r"send (?:bare )?en mail|høre mig|hører du mig|kan du høre|lyden|linjen|rapporten|har du selv nogle spørgsmål|"
        r"sprunget noget over|noget,? vi (?:har )?glemt|noget vigtigt,? vi ikke har|mangler der noget|inden vi kører løs|"
        r"før vi begynder|hvem du er|om dig selv|din (?:egen )?(?:rolle|plads|stilling|titel|funktion) i (?:helhedsplanen|"
        r"planen|projektet|[A-ZÆØÅ]\w+)|hvad du (?:lavede|laver) i|jeg hedder|mit navn|er uddannet|af uddannelse|"
        r"ikke ønsker,? (?:at )?vi bruger|har vi overset|nærmer vi os afslutningen|afslutningsvis|"
        r"(?:en|nogen|nogle) (?:helheds)?plan(?:er)? (?:i området )?før|helhedsplaner i området før|"
        r"planen (?:løb|kørte) fra|hvor længe (?:har|havde) (?:den|det|planen|helhedsplanen|projektet) (?:kørt|løbet)|"
        r"det her (?:er|var) (?:nok )?det sidste)\b", re.I),
    "en": re.compile(
        r"\b(?:record\w*|consent|your name|introduce yourself|anonym\w*|quote you|contact you|call you again|"
        r"thank you|thanks|good luck|goodbye|bye|can you hear|anything we (?:have )?missed|leave out|left out|"
        r"before we start|rather we didn'?t use|prefer we didn'?t use|don'?t want us to use|happy for [\w ]{1,40} to be named|"
        r"get back in touch|contact you again|anything (?:else )?(?:you'?d|you would) like to add|"
        r"anything we haven'?t (?:asked|covered)|any questions for (?:me|us)|"
        r"how long (?:has|had|did) (?:it|the (?:programme|program|plan|project)) (?:been )?(?:running|run|going|go on)|"
        r"what years did (?:it|the (?:programme|program|plan|project)) run|"
        r"(?:anything|something) (?:like (?:it|that) )?(?:on the estate |in the area )?before (?:it|this|that)\b|"
        r"(?:ask me|check with me) before|before we (?:start|begin|get going|get started)|how long will (?:it|this) (?:be|take))\b",
        re.I),
}


# The same patterns for a lower-cased text, matched case-sensitively: with re.I the engine enters every one of
# _FORMAL's ~60 alternatives at each word start; without it, it passes over those whose first letter differs
# (ecape_da's 17,714 turns: 0.95 → 0.22 CPU s). A text is lower-cased where that keeps what re.I matches: every
# character but U+0130 keeps its length and whether it is a word character, and re.I pairs "ı" and "ſ" with "i"
# and "s", which lower() does not: a text holding one of these three is searched with re.I. (No pattern holds an
# escape with a capital, "\\W" or "\\B", which lowering would turn into another.)
_FORMAL_LOWER = {language: re.compile(p.pattern.lower()) for language, p in _FORMAL.items()}
_IGNORECASE_ONLY = re.compile("[\u0130\u0131\u017f]")


def _formal(text: str, language: str) -> bool:
    """``_FORMAL[language].search(text)``, as a truth value (English's patterns for another language)."""
    if language not in _FORMAL:
        language = "en"
    if _IGNORECASE_ONLY.search(text):
        return bool(_FORMAL[language].search(text))
    return bool(_FORMAL_LOWER[language].search(text.lower()))


def formal_exchange(unit: MeaningUnit, language: str = "da") -> bool:
    """True for consent, introduction and closing exchanges (the question or the answer says so)."""
    return _formal_question(unit.question or "", language) or _formal(unit.text, language)


@lru_cache(maxsize=1 << 14)
def _formal_question(question: str, language: str) -> bool:
    """:func:`formal_exchange`'s reading of a question, once per question text: the units answering one
    question share it (ecape_da ×2.3, 5,373 coded units: 1,543 questions)."""
    return _formal(question, language)


def frames_question(text: str, language: str = "da") -> bool:
    """An interviewer's consent, introduction or closing question ("How long has it been running?", "Any
    follow-up questions?"): for coding it opens no guide section and its words cue no theme in the answer."""
    return _formal(text or "", language)


# Closing questions that invite more of the study's content ("Har vi overset noget?"): a short answer to them
# may still say something ("Jeg har lært mere af de kvinder end af nogen efteruddannelse.")
_OPEN_CLOSING = {
    "da": re.compile(r"\b(?:overset|glemt|sprunget noget over|mangler der noget|noget vigtigt|tilføje|andet,? du vil)",
                     re.I),
    "en": re.compile(r"\b(?:missed|anything (?:else )?(?:you'?d|you would) like to add|haven'?t (?:asked|covered)|"
                     r"anything else)", re.I),
}


def invites_more(question: str, language: str = "da") -> bool:
    """A closing question that invites more of the study's content ("Har vi overset noget?"), unlike the others
    that frame the interview ("Må jeg skrive til dig?" – "Ja, min mail er den samme.")."""
    return bool(_OPEN_CLOSING.get(language, _OPEN_CLOSING["en"]).search(question))


SHORT_ANSWER = 15  # words: "Selv tak, og held og lykke med analysen." frames the interview; a long answer that
# mentions a presentation or a report ("Resultaterne blev præsenteret for afdelingsbestyrelsen") is content


def frames_interview(unit: MeaningUnit, language: str = "da") -> bool:
    """For coding: a unit that answers a consent, introduction or closing question, or is itself a short
    formal exchange. Stricter than :func:`formal_exchange` (which keeps quotes and drafts away from any
    answer that mentions such things): a long answer is judged by what it says."""
    return frames_question(unit.question, language) or frames_answer(unit.text, language)


def frames_answer(text: str, language: str = "da") -> bool:
    """A short formal exchange of the respondent's (at most SHORT_ANSWER words): the answer's half of
    :func:`frames_interview`, for a caller that has judged the question already."""
    return len(text.split()) <= SHORT_ANSWER and _formal(text, language)


# The question that asks leave to record: among an interview's first questions, what comes before it is the call's
# opening ("Hej Lars … Passer det stadigvæk?" – "Ja, jeg har lige lukket døren"), not an answer to the guide.
_RECORDING = {"da": re.compile(r"\b(?:optag\w*|samtykke\w*)", re.I),
              "en": re.compile(r"\b(?:record\w*|consent\w*)", re.I)}
OPENING_QUESTIONS = 4  # leave to record is asked within the first questions, or the call opened otherwise


def opening_end(questions: list, language: str = "da") -> int | None:
    """The turn of the question asking leave to record, when it is among an interview's first
    OPENING_QUESTIONS questions (``questions`` in turn order: segment.Question); None when there is none. The
    turns before it greet and settle the call: they answer nothing of the guide."""
    pattern = _RECORDING.get(language, _RECORDING["en"])
    return next((q.turn for q in questions[:OPENING_QUESTIONS] if pattern.search(q.text)), None)
