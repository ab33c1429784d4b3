"""Golden quotes a researcher would print (STC step 3–4).

A quote is a complete sentence, or a run of consecutive sentences, of one respondent unit: it starts at a
sentence start, ends with terminal punctuation (not the three dots of a speaker trailing off, nor a full stop
after "som", "og", "and" …) and holds 12–60 words. No sentence inside it is one the speaker broke off, and its
last sentence says rather than asks (a tag such as ", ikke?" or ", right?" asks nothing); its first is no short
answer ("Ja, det er der.", "Yes, we did that too."), which says nothing without the question. Words are never
changed; the only trimming is to leave out whole sentences before or after the run (a quote that starts or ends
inside the unit needs no mark, as it starts and ends at sentence boundaries) and, inside a run, a filler sentence
("Ja.", "(griner)") replaced by "[…]".

Never quoted: an interviewer, a notes document, and the consent/introduction/closing exchanges of the guide
(recording and consent, "hvad hedder du", whether to be anonymous, thanks and goodbyes).

Candidates are scored for relevance to their sub-group (the sub-group's own matched words in the quote,
the unit's centrality among the sub-group's units) and for readability (no fillers, no dangling start, no slip of
punctuation ("ting., men"), a
connective start ("Og så …") or one pointing at talk before the quote ("Det ved vi ikke", "Han …") only when
nothing cleaner says it as well, no
unbalanced reported speech, a length a reader takes in at once). Across one run of the table no unit is
the golden quote of two rows; each row also gets a runner-up from another unit, one no row of its dimension quotes
(none when every other is quoted there).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, count
from operator import eq

from .exchanges import formal_exchange
from .model import NOTES_SPEAKER, Coding, MeaningUnit

__all__ = [
    "OMISSION", "Quote", "ends_a_quote", "unbalanced_quotation", "is_question", "sentences", "words", "formal_exchange", "eligible", "candidates", "readability",
    "relevance", "contains_matched", "matched_test", "matched_words", "named_persons", "persons_pattern", "without_persons", "word_weights", "best_quotes", "marked_quotes", "in_marked", "source_span", "quote_problems",
    "standalone_defects"
]

QUOTE_MIN, QUOTE_MAX = 12, 60
OMISSION = "[…]"

_WORD = re.compile(r"\w+", re.UNICODE)
# quotation marks as Danish and English transcribers write them ("…", “…”, ”…”, „…“, »…«, «…», '…', ‘…’): which
# glyph opens and which closes differs between usages (“ opens in English and closes in „…“), so a mark is read by
# where it stands; the segmenter does the same (nlp._past_closing_marks)
_CLOSING = "\"”»«“’'"
_OPENING = "\"“«»„‘'"
# a sentence ends at . ! ? (or …) followed by a space and an upper-case letter, a quote mark or a digit, or a
# transcriber's mark in brackets ("… de røg for meget. (griner) Men tallene …"); the quote marks written against
# its end close it and stay with it
_BOUNDARY = re.compile(rf"[.!?…][{_CLOSING}]*(?=\s+(?:[{_OPENING}(\[]?[A-ZÆØÅÄÖÜ0-9]|[(\[][^)\]]{{1,30}}[)\]]))")
_NONVERBAL_SENTENCE = re.compile(r"^\s*[(\[][^)\]]{1,30}[)\]]\s*$")
# a mark opening a sentence before words that start one ("(griner) Men tallene …", "[laughs] Which is funny …") is
# a sentence of its own: a filler, left out of a quote as "[…]", never printed as the speaker's words
_MARK_BEFORE_SENTENCE = re.compile(rf"[(\[][^)\]]{{1,30}}[)\]](?=\s+[{_OPENING}]?[A-ZÆØÅÄÖÜ0-9])")
# (a connective before it changes nothing: "Men ja.", "Så ja.", "But yeah.")
_FILLER_SENTENCE = {
    "da": re.compile(r"^\s*(?:(?:og|men|så)\s+)?(?:ja|nej|jo|nå|mm+|mhm|øh+|okay|ok|tja|jamen|præcis|netop|klart|ja ja|"
                     r"nej nej)[.,!?…\s]*$", re.I),
    "en": re.compile(r"^\s*(?:(?:and|but|so)\s+)?(?:yes|yeah|no|well|mm+|um+|erm|okay|ok|right|exactly|sure)[.,!?…\s]*$",
                     re.I),
}
# a sentence opening with one of these is a fragment leaning on what came before ("At det var beboerne selv, der
# styrede det.", "Fordi de ikke kunne sove.", "Hvor han eftersøgte nogle testkaniner på facebookgruppen.": a
# transcriber's full stop before a relative clause; ecape_da's respondents have 103 sentences opening "Hvor" without
# a question mark): never the start of a quote
_DANGLING = {
    "da": {"eller", "fordi", "at", "som", "end", "hvor"},
    "en": {"or", "because", "that", "which", "than"},
}
# spoken Danish and English open many a whole sentence with a connective ("Og så var der sprogbarrieren.", "Men
# jeg har lært, at …", "Så havde vi en madklub onsdag aften."): printable, though a clean start reads better
_CONNECTIVE_START = {"da": {"og", "men", "så", "derfor"}, "en": {"and", "but", "so"}}
LEANING_START = 0.45  # readability lost by a quote opening with a connective or words pointing back (_leans_back)
# a transcriber's mark for words not heard ("(utydeligt)", "[uhørligt]", "(???)", "(??? i mange år)", "[inaudible]",
# "xxx"): a quote with a gap in the speaker's words is printed only when no other reads as well
_UNHEARD = re.compile(r"[(\[][^)\]]{0,40}?(?:\?{2,}|utydelig|uhørlig|uforståelig|svært at høre|ikke til at høre|"
                      r"kan ikke høre|inaudible|unclear|indistinct|hard to hear|can'?t hear)"
                      r"[^)\]]{0,40}[)\]]|\?{3,}|\b[xX]{3,}\b")
GAP = 0.5
# a transcriber's slip of punctuation, printed as it stands since a quote's words are never changed: a full stop and a
# comma together ("… mange ting., men hvordan …") or a full stop before a word in lower case that is no abbreviation
# ("… varm mad hver dag. ikke to gange …", but "kl. otte", "f.eks. en", "e.g. the"): a quote with one is printed
# only when no other reads as well (ecape_da: 5 of 545 quotes shown)
_ABBREVIATIONS = {"da": {"kl", "kr", "ca", "evt", "mht", "osv", "pga", "dvs", "inkl", "ift", "jf", "jvf", "mv", "nr", "tlf",
                         "bl", "eks", "ex", "fx", "ang", "vedr", "mm", "st", "stk", "iht", "hhv", "el", "min", "max",
                         "bla", "ol"},
                  "en": {"etc", "vs", "approx", "no", "mr", "mrs", "ms", "dr", "st", "ca", "cf", "incl", "min",
                         "max", "esp", "dept"}}
_SLIP = re.compile(r"(?<![.\w])([^\W\d]\w*)\.[\s\u00a0]+(?=[a-zæøåäöü])|(?<!\.)\.,|,\.(?!\.)")
_STOP_BEFORE_LOWER = re.compile(r"\.[\s\u00a0]+[a-zæøåäöü]")  # the stop, space and lower case _SLIP's first part needs
SLIP = 0.3
# a sentence opening with a subordinate clause is whole when a main clause follows it after a comma ("Når det er
# naboen, der står forrest, så kommer man."), a fragment when not ("Hvis man kan få dem ned i kælderen.")
_SUBORDINATE_START = {"da": {"hvis", "når", "mens", "selvom"}, "en": {"if", "when", "while", "although"}}
# "Der" opening a sentence: existential and whole ("Der var en mand, der …"), or pointing back to a place or time
# the reader has not seen when a pronoun follows its verb ("Der gjorde vi det samme.", "Der var det sværere.").
# So does a "Det", "Den" or "Dem" put first with the subject after its verb: it is the verb's object, something
# said before the quote ("Det ved vi heller ikke.", "Det var vi ikke vant til.", "Den har jeg ikke målt på."),
# unless an "at" clause after it says what it is ("Det savner jeg at spise noget ordentligt.", "Det er jeg glad
# for, at vi gjorde."); an answer word before it changes nothing ("Nej, det har jeg ikke."). "Det er nok mest mig."
# answers a question about who, unless a clause says what they did ("Det var os, der lavede skemaet.").
_POINTING_BACK = {"da": re.compile(r"(?:Der|Dér)\s+\w+\s+(?:vi|jeg|de|det|man|han|hun|I|du)\b|"
                                   r"(?:(?:Ja|Nej|Jo|Ej|Nå)\W+)?(?:[Dd]et|[Dd]ét|[Dd]en|[Dd]em)\s+\w+\s+"
                                   r"(?:jeg|vi|du|man|han|hun|I)\b(?!,?\s+at\b)(?![^.!?]*,\s*at\b)|"
                                   r"(?:(?:Ja|Nej|Jo|Nå)\W+)?(?:[Dd]et|[Dd]ét)\s+(?:er|var)\s+(?:\w+\s+){0,3}?"
                                   r"(?:mig|os|ham|hende|dem|dig|jer)\b(?![^.!?]*\b(?:der|som)\b)")}
# a quote opening on "he", "she" or "they" speaks of someone named before it ("Han har fødselsdag i sommers …",
# "De havde jo ret.", "They filled them in, but …"): the reader of the table does not know who
_SOMEONE_BEFORE = {
    "da": re.compile(r"(?:Han|Hun)\b|De\s+(?:er|var|har|havde|kan|kunne|skal|skulle|vil|ville|må|gør|gjorde|bliver|"
                     r"blev|får|fik|kommer|kom|siger|sagde|tager|tog|går|gik|ved|vidste)\b"),
    "en": re.compile(r"(?:He|She|They)\b"),
}
_MAIN_CLAUSE_AFTER = re.compile(r",\s+\w+\W+\w+")
# A question asks; a golden quote says: it may open with a question it goes on to answer ("Hvad gør man så? Man
# ringer til kommunen …"), never end on one. A sentence ending with a question mark is a question unless it only seeks
# assent with a tag ("… tørre tøj på badeværelset, ikke?", "… i weekenden ikke?", "…, right?", "…, isn't it?"): on
# ecape_da 441 of 1,049 respondent sentences ending with "?" end on a tag. One opening with its verb ("Er det ikke?")
# or a question word asks whatever it ends with; in Danish, one opening with a question word and its verb asks
# though the transcriber put a full stop ("Hvad betyder mine termostater, …, hvordan kan jeg holde det."). A
# question after a colon is reported ("Jeg skrev til lederen og sagde: vi lukker, hvad gør vi?"): the sentence says.
_TAG = {
    "da": re.compile(r"\b(?:ikke|ik|ikk|vel|sandt|hva|hvad|også)\W*$", re.I),
    "en": re.compile(r"(?:\b(?:right|eh|yeah|innit|ok|okay|know)|n't\s+(?:it|they|we|you|he|she|I|there)|,\s*(?:is|are|was|"
                     r"were|do|does|did|have|has|had|can|could|will|would)\s+(?:it|they|we|you|he|she|I|there))\W*$",
                     re.I),
}
_QUESTION_WORD = {"da": r"Hvad|Hvem|Hvor|Hvordan|Hvorfor|Hvornår|Hvilken|Hvilke",
                  "en": r"What|Who|Where|How|Why|When|Which"}
_FINITE = {"da": r"er|var|har|havde|kan|kunne|skal|skulle|vil|ville|må|gør|gjorde|bliver|blev|får|fik",
           "en": r"is|are|was|were|do|does|did|can|could|will|would|should|shall|have|has|had"}
_SUBJECT = {"da": r"det|du|I|vi|de|man|han|hun|jeg|der|den|dem", "en": r"it|you|we|they|he|she|I|there|that|this"}
_ASKS_FIRST = {lang: re.compile(rf"(?:{_QUESTION_WORD[lang]})\b|(?:{_FINITE[lang].title()})\s+(?:{_SUBJECT[lang]})\b")
               for lang in _FINITE}
_ASKS_UNMARKED = {"da": re.compile(rf"(?:{_QUESTION_WORD['da']})\s+(?:{_FINITE['da']}|betyder|siger|sagde|hedder|"
                                   r"mener|synes|tror|ved|koster|kommer)\b")}
# a Danish statement opens with its subject or what it is about, a question or a condition with its verb: a quote
# opening on the verb ("Var det i -99 eller noget 2000.", "Har jeg nok lært.") asks, or leans on words before it,
# unless the condition has its main clause after a comma ("Havde jeg været på arbejde, så havde jeg …")
_VERB_OPENS = {"da": re.compile(rf"(?:{_FINITE['da'].title()})\s+(?:{_SUBJECT['da']})\b(?![^.!?]*,\s*(?:så|da)\b)")}


def is_question(sentence: str, language: str = "da") -> bool:
    """A sentence that asks rather than says (:data:`_TAG`): never the last sentence of a golden quote."""
    first = sentence.lstrip(_OPENING + "(")
    end = sentence.rstrip().rstrip(_CLOSING + ")]")
    if end.endswith("?") and ":" not in first:  # "… og sagde: vi lukker, hvad gør vi?" tells of a question
        opens = _ASKS_FIRST.get(language)
        if opens is not None and opens.match(first):
            return True
        tag = _TAG.get(language)
        return tag is None or not tag.search(end)
    unmarked = _ASKS_UNMARKED.get(language)
    return unmarked is not None and unmarked.match(first) is not None


@dataclass
class Quote:
    unit_id: str
    text: str
    start: int  # offsets in the unit's text (half-open)
    end: int
    score: float
    n_words: int


# a sentence whose last word is one of these stops before the clause it opened ("… af nogle venner som.", "Og så
# kom de og.", "… and they said but."): the speaker trailed off and the transcriber put a full stop
_OPEN_END = {"da": {"og", "men", "som", "at", "fordi", "eller", "end", "mens", "selvom", "hvis"},
             "en": {"and", "but", "because", "or", "than", "although"}}
# so does one ending on "så" or "so" after a comma ("… penge, så.", "… got the most dots, so."), where "I think so."
# and "Det tror jeg nok, at de gjorde så." end whole; and one ending on two dots, three typed short ("… virkelig..")
_TRAILING = {"da": re.compile(r",\s*så\W*$", re.I), "en": re.compile(r",\s*so\W*$", re.I)}
# the last word of a sentence, read from its end: matched at the start of the reversed sentence, what
# re.search(r"(\w+)\W*$") finds (reversed), without trying every position of the sentence first
_LAST_WORD_REVERSED = re.compile(r"\W*(\w+)")


def ends_a_quote(sentence: str, language: str | None = None) -> bool:
    """A sentence a quote may end with: terminal punctuation (before any closing quote mark), not the three dots
    of a speaker trailing off ("Så det kunne..."), nor, given the language, a full stop after a word that opens
    a clause ("… af nogle venner som."): a quote that stops there leaves its thought unfinished."""
    end = sentence.rstrip(_CLOSING + ")")
    if end[-1:] not in ".!?" or end.endswith(".."):
        return False
    if language in _TRAILING and _TRAILING[language].search(end):
        return False
    if language in _OPEN_END:
        last = _LAST_WORD_REVERSED.match(end[::-1])
        return last is None or last.group(1)[::-1].lower() not in _OPEN_END[language]
    return True


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a respondent's text: (start, end) offsets, end exclusive, stripped of spaces."""
    spans = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, len(text)))
    if "(" in text or "[" in text:
        spans = [piece for a, b in spans for piece in _mark_apart(text, a, b)]
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _mark_apart(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A span opening with a transcriber's mark before a new sentence (:data:`_MARK_BEFORE_SENTENCE`) as two."""
    start = a
    while start < b and text[start].isspace():
        start += 1
    m = _MARK_BEFORE_SENTENCE.match(text, start, b)
    return [(a, m.end()), (m.end(), b)] if m else [(a, b)]


def unbalanced_quotation(text: str) -> bool:
    """Reported speech opened and not closed, or closed and not opened, in any of the usages of :data:`_CLOSING`
    (single marks are left alone: ’ is an apostrophe as often). „ pairs with “ or ”; » and « pair whichever way
    round they are written; “ and ” alone, and the straight mark, come in twos."""
    if text.count('"') % 2 or text.count("»") != text.count("«"):
        return True
    low, high = text.count("„"), text.count("“") + text.count("”")
    return low != high if low else high % 2 == 1


def words(text: str) -> int:
    return len(_WORD.findall(text))


def eligible(unit: MeaningUnit, language: str = "da") -> bool:
    """A unit that may be quoted or condensed at all: a respondent's words, not notes, not a formal exchange,
    and safe to show (privacy.py: no self-introduction, listed name or an anonymous respondent's place)."""
    from .privacy import quote_safe

    return (unit.role == "respondent" and unit.speaker != NOTES_SPEAKER and not formal_exchange(unit, language)
            and quote_safe(unit))


_HESITATION_START = {"da": {"øh", "øhm", "æh", "hm", "mm", "tja", "nja", "njae", "altså", "jamen", "nå", "ligesom"},
                     "en": {"um", "erm", "uh", "er", "mm", "well", "like"}}
# "som jeg sagde", "det, jeg nævnte før", "as I said": the quote leans on talk we do not print
_BACK_REFERENCE = {
    "da": re.compile(r"\b(?:som|det,?|hvad) jeg (?:sagde|nævnte|fortalte)(?: før| tidligere| lige)?\b|\bsom (?:sagt|nævnt)\b",
                     re.I),
    "en": re.compile(r"\b(?:as|like|what) I (?:said|mentioned|told you)\b|\bI mentioned (?:before|earlier)\b|"
                     r"\bas (?:mentioned|I say)\b", re.I),
}


def _may_be_unheard(quote: str, low: str) -> bool:
    """False when :data:`_UNHEARD` cannot match: each of its parts needs a bracket, "???" or three x's."""
    return "(" in quote or "[" in quote or "??" in quote or "xxx" in low


# every alternative of _BACK_REFERENCE[language] holds one of these (lower-cased; the pattern is case-blind)
_BACK_REFERENCE_WORDS = {"da": (" jeg ", "som "), "en": (" i ", "mentioned")}


def _may_refer_back(quote: str, low: str, language: str) -> bool:
    """False when :data:`_BACK_REFERENCE` cannot match ``quote`` (``low``: its ``lower()``): none of the words
    each of its alternatives holds is in it. re.I pairs "ı" and "ſ" with "i" and "s" and "İ" with "i", which
    ``lower()`` does not: a quote holding one is left to the pattern."""
    words = _BACK_REFERENCE_WORDS.get(language)
    if words is None or any(c in quote for c in _IGNORECASE_ONLY):
        return True
    return any(w in low for w in words)


_ANSWER_START = {"da": {"ja", "jah", "jaa", "nej", "næ", "næh", "nå", "nåh", "jo", "præcis", "nemlig", "okay"},
                 "en": {"yes", "yeah", "yep", "yup", "no", "nope", "nah", "exactly", "okay"}}
# a sentence of an answer word and a few words more ("Ja, det er der.", "Nej, det gør vi ikke.", "Yes, it did.")
# says nothing without the question it answers: never the first sentence of a quote (the run may start after it)
ANSWER_SENTENCE_WORDS = 5


def _answer_sentence(sentence: str, language: str) -> bool:
    """A short sentence opening on an answer word (:data:`ANSWER_SENTENCE_WORDS` words at most)."""
    first = _WORD.search(sentence)
    return (first is not None and first.group(0).lower() in _ANSWER_START.get(language, ())
            and words(sentence) <= ANSWER_SENTENCE_WORDS)


def _sentence_ok_start(sentence: str, language: str) -> bool:
    first = sentence.lstrip(_OPENING + "(")
    if not first[:1].isupper():
        return False
    tokens = _WORD.findall(first[:40].lower()) or [""]
    token = tokens[0]
    if token in _CONNECTIVE_START.get(language, ()) and tokens[1:2] and tokens[1] in _HESITATION_START.get(language, ()):
        return False  # "So, erm, …", "Og øh …": a start that has not yet found its words
    if token in _SUBORDINATE_START.get(language, ()) and not _MAIN_CLAUSE_AFTER.search(first):
        return False
    return token not in _DANGLING.get(language, set()) and token not in _HESITATION_START.get(language, set())


def candidates(unit: MeaningUnit, language: str = "da") -> list[tuple[str, int, int]]:
    """Every quotable run of consecutive sentences in a unit: (quote text, start, end).

    Filler or non-verbal sentences inside a run are replaced by "[…]"; a run neither starts nor ends with one.
    """
    text = unit.text
    spans = sentences(text)
    filler = _FILLER_SENTENCE.get(language, _FILLER_SENTENCE["en"])
    kinds = []
    for a, b in spans:
        s = text[a:b]
        kinds.append("filler" if filler.match(s) or _NONVERBAL_SENTENCE.match(s) else "speech")
    asks = [kind == "speech" and is_question(text[a:b], language) for kind, (a, b) in zip(kinds, spans)]
    out = []
    for i in range(len(spans)):
        a = spans[i][0]
        first = text[a:spans[i][1]]
        if (kinds[i] != "speech" or not _sentence_ok_start(first, language) or words(first) < 4
                or _answer_sentence(first, language)):
            continue
        parts = []
        for j in range(i, len(spans)):
            s = text[spans[j][0]:spans[j][1]]
            parts.append(OMISSION if kinds[j] == "filler" else s)
            if kinds[j] != "speech":
                continue
            if not ends_a_quote(s, language):
                break  # a sentence broken off ("… men qua at det har...") is in no quote: the run stops before it
            if asks[j]:
                continue  # a quote may open with a question it goes on to answer, never end on one
            quote = " ".join(parts)
            n = words(quote.replace(OMISSION, ""))
            if n > QUOTE_MAX:
                break
            if n >= QUOTE_MIN:
                out.append((quote, a, spans[j][1]))
    return out


def readability(quote: str, language: str = "da") -> float:
    """0 for a quote that reads cleanly; penalties for fillers, redactions, open reported speech, length."""
    from .condensation import cleaned_word_count

    score = 0.0
    n = words(quote)
    cleaned = cleaned_word_count(quote, language)
    score -= 0.6 * (1 - cleaned / max(1, n))
    if unbalanced_quotation(quote):
        score -= 0.4
    if "[" in quote.replace(OMISSION, "") or "(" in quote:  # a transcriber's mark or redaction: "(griner)", "[by]"
        score -= 0.2
    low = quote.lower()  # (the guards below: most quotes hold no mark and no back reference, and skip the scan)
    if _may_be_unheard(quote, low):
        score -= GAP * len(_UNHEARD.findall(quote))  # "(utydeligt)", "(???)": words the transcriber could not hear
    score -= SLIP * _slips(quote, language)  # "… mange ting., men …"
    score -= 0.15 * quote.count(OMISSION)
    score -= 0.1 * (quote.count("–") + quote.count("—")) + 0.05 * (quote.count("…") + quote.count("..."))  # halting
    score += 0.2 * min(n, 35) / 35 - 0.2 * max(0, n - 45) / 15  # something said, but taken in at once
    first = _WORD.search(quote)
    token = first.group(0).lower() if first else ""
    if token in _ANSWER_START.get(language, set()):  # "Nej, ikke sådan rigtigt." answers a question we do not print
        score -= LEANING_START  # (it leans on the question as a connective leans on talk before the quote)
    elif token in _CONNECTIVE_START.get(language, set()):  # "Og så …": carries on from what came before
        score -= LEANING_START
    leans = _leans_back(quote, language)
    if leans:  # "Der gjorde vi det samme.": where? when? "Det ved vi ikke.": what? "Han …": who?
        score -= LEANING_START
    score -= _standalone_penalty(quote, language, leans)
    back = _BACK_REFERENCE.get(language)
    if back is not None and _may_refer_back(quote, low, language) and back.search(quote):
        score -= 0.3
    return score


# A quote a researcher prints stands alone: a reader of the table has not heard the interview. Four things keep one
# from standing, each weighed below a quote that has none of them, so it is printed only when its sub-group offers
# nothing better (:func:`standalone_defects`):
# - a false start: the speaker says a word or two again before going on ("at jeg, at jeg fik", "fra, fra en", "I
#   was, I was going"); a word doubled for emphasis ("meget, meget", "lang, lang tid", "very very") or by grammar
#   ("det hele hele tiden", "så er det det, vi har", "that that", "had had") is no false start
_FALSE_START = re.compile(r"\b(\w+(?:\s+\w+){0,2})\s*[,–—-]?\s+\1\b", re.I)
_EMPHATIC = {"da": {"meget", "rigtig", "mange", "lang", "længe", "ja", "nej", "jo", "nå", "hele", "det", "der", "den",
                    "de", "at", "så", "som"},
             "en": {"very", "really", "long", "no", "yes", "that", "had", "is", "so"}}
# - an anaphor in the first sentence with nothing in the quote it can refer to: "han", "hun", "dem" with no person or
#   thing named before it, or "den" and a noun closing the clause ("… at jeg fik den ide.") that the quote has not
#   named ("ham, man ringede til", "dem, der sidder derhjemme", "ham med budgettet": the words after it say who); a
#   quote opening on "Den" with its verb ("Den står til 65.") points at a thing said before it
_PERSON_PRONOUN = {"da": re.compile(r"\b(?:han|hun|ham|hende|hans|hendes)\b(?!,?\s+(?:der|som|man|med)\b)", re.I),
                   "en": re.compile(r"\b(?:he|she|him|his|her)\b", re.I)}
_THING_PRONOUN = {"da": re.compile(r"\bdem\b(?!,?\s+(?:der|som|jeg|vi|du|man|de|han|hun|med)\b)", re.I),
                  "en": re.compile(r"\bthem\b(?!,?\s+(?:who|that|which|I|we|you|they)\b)", re.I)}
_DEMONSTRATIVE_NOUN = {"da": re.compile(r"\bden\s+(\w+)(?=\s*[.,!?;])", re.I),
                       "en": re.compile(r"\b(?:that|this|those|these)\s+(one|ones|idea|thing|things)(?=\s*[.,!?;])",
                                        re.I)}
_ANAPHOR_OPENS = {"da": re.compile(rf"(?:Den\s+(?:{_FINITE['da']}|står|stod|virker|koster|kører|ligger|bruger)|Dem|Ham|"
                                   r"Hende)\b")}
# a person the pronoun may stand for: a name (a capital letter inside a sentence), a transcriber's placeholder, or
# one of these words for a person, as the last part of a word ("svigermor", "naboen", "kollegaerne")
_PERSON_NOUN = {"da": re.compile(r"(?:mand|mænd|kone|kæreste|datter|døtre|søn|sønner|mor|far|bror|søster|ven|venner|"
                                 r"veninde|nabo|kollega|chef|barn|børn|dreng|pige|lærer|læge|familie)"
                                 r"(?:en|et|ne|erne|r|s|ens|ernes|rne)?$"),
                "en": re.compile(r"(?:husband|wife|partner|son|daughter|mother|mum|mom|father|dad|brother|sister|"
                                 r"friend|neighbou?r|colleague|boss|child|children|kid|boy|girl|man|men|woman|women|"
                                 r"teacher|doctor|family)s?$")}
# - a placeholder a transcriber put for a name or a place ("[navn]", "[by]", "[navn på søn]"): the reader does not
#   know who or where (a mark for words not heard, :data:`_UNHEARD`, and "[…]" are no placeholder)
_PLACEHOLDER = re.compile(r"\[(?!…\])[^\]\[]{1,60}\]")
# - a last sentence that turns to another episode ("… Men så blev jeg syg.", "… But then it closed."): a short one
#   opening "men så", "og så", "but then", "and then", after sentences about something else
_TURN_END = {"da": re.compile(r"(?:Men|Og)\s+så\b", re.I), "en": re.compile(r"(?:But|And)\s+then\b", re.I)}
TURN_END_WORDS = 6
STANDALONE = 0.3  # readability lost by a false start or a turn at the end (an anaphor: LEANING_START)
PLACEHOLDER = 0.25  # and by a placeholder, on top of a bracket's 0.2: together still below a gap (GAP), words unheard


def standalone_defects(quote: str, language: str = "da") -> set[str]:
    """What keeps a quote from standing alone: "false start", "anaphor", "placeholder", "turn end" (see
    :data:`_FALSE_START`, :data:`_PERSON_PRONOUN`, :data:`_PLACEHOLDER`, :data:`_TURN_END`)."""
    kinds = set()
    emphatic = _EMPHATIC.get(language, set())
    if _says_twice(quote) and any(m.group(1).lower() not in emphatic for m in _FALSE_START.finditer(quote)):
        kinds.add("false start")
    spans = sentences(quote)
    if spans and _unresolved(quote, quote[spans[0][0]:spans[0][1]], language):
        kinds.add("anaphor")
    if any(not _UNHEARD.fullmatch(m.group(0)) for m in _PLACEHOLDER.finditer(quote)):
        kinds.add("placeholder")
    turn = _TURN_END.get(language)
    if turn is not None and len(spans) > 1:
        last = quote[spans[-1][0]:spans[-1][1]]
        if turn.match(last) and words(last) <= TURN_END_WORDS:
            kinds.add("turn end")
    return kinds


def _says_twice(quote: str) -> bool:
    """Whether :data:`_FALSE_START` may match at all: it needs one to three words (runs of ``\\w``) followed at
    once by the same words, case aside. Most quotes have no such words; for them the pattern, which tries every
    word start three ways with a back reference, is not run (on the sample's 1,298 quotes 10 pass, 8 match).
    The words are compared lower-cased, as the pattern's case-insensitive back reference
    compares them character by character, but where ``lower()`` changes a text's length (U+0130) or writes a
    final sigma ("ς", by its context): there the pattern decides."""
    low = quote.lower()
    if len(low) != len(quote) or "ς" in low:
        return True
    w = _WORD.findall(low)
    for k in (1, 2, 3):
        for i in compress(count(), map(eq, w, w[k:])):  # the word k words on is the same: is the run?
            if w[i:i + k] == w[i + k:i + 2 * k]:
                return True
    return False


def _unresolved(quote: str, first: str, language: str) -> bool:
    """The quote's first sentence holds an anaphor the words before it in the quote do not resolve."""
    opens = _ANAPHOR_OPENS.get(language)
    if opens is not None and opens.match(first):
        return True
    person, thing, noun = (_PERSON_PRONOUN.get(language), _THING_PRONOUN.get(language),
                           _DEMONSTRATIVE_NOUN.get(language))
    if person is None:
        return False
    for m in person.finditer(first):
        if not _person_before(quote[:m.start()], language):
            return True
    for m in thing.finditer(first):
        if not _thing_before(quote[:m.start()], language):
            return True
    return any(m.group(1).lower() not in quote[:m.start()].lower() for m in noun.finditer(first))


def _person_before(before: str, language: str) -> bool:
    """A person named before a pronoun: a capitalised word inside a sentence, a placeholder, or a word for one."""
    if "[" in before or re.search(r"(?<=[\w,]\s)[A-ZÆØÅ]\w+", before):
        return True
    pattern = _PERSON_NOUN[language]
    return any(pattern.search(w) for w in _WORD.findall(before.lower()))


def _thing_before(before: str, language: str) -> bool:
    """Something named before "dem" / "them": a word of the quote that is no stop word."""
    from .stopwords import stop_words

    stop = stop_words(language)
    return any(len(w) > 2 and w not in stop for w in _WORD.findall(before.lower()))


def _standalone_penalty(quote: str, language: str, leans: bool) -> float:
    """Readability lost by :func:`standalone_defects` (an anaphor not again when the start already leans back)."""
    kinds = standalone_defects(quote, language)
    lost = STANDALONE * len(kinds - {"anaphor", "placeholder"}) + PLACEHOLDER * ("placeholder" in kinds)
    if "anaphor" in kinds and not leans:
        lost += LEANING_START
    return lost


def _slips(quote: str, language: str) -> int:
    """The transcriber's slips of punctuation in a quote (:data:`_SLIP`): a stop and a comma together, a full stop
    before a lower-case word after a word that is no abbreviation (nor a letter of one: "f.eks.")."""
    if ".," not in quote and ",." not in quote and not _STOP_BEFORE_LOWER.search(quote):
        return 0  # (what each part of _SLIP needs; most quotes have none: one scan for a stop, not the pattern's)
    short = _ABBREVIATIONS.get(language, set()) | _ABBREVIATIONS["en"]
    return sum(1 for m in _SLIP.finditer(quote) if m.group(1) is None or m.group(1).lower() not in short)


def _leans_back(quote: str, language: str) -> bool:
    """The quote opens on words that point at talk before it (:data:`_POINTING_BACK`, :data:`_SOMEONE_BEFORE`,
    :data:`_VERB_OPENS`)."""
    return any(p is not None and p.match(quote) for p in (_POINTING_BACK.get(language), _SOMEONE_BEFORE.get(language),
                                                        _VERB_OPENS.get(language)))


def relevance(quote: str, matched: set[str], language: str = "da", weights: dict[str, float] | None = None,
              memo=None) -> float:
    """How strongly the quote speaks for its sub-group: the sub-group's matched words it holds, each within
    one sentence of the quote (a two-word term needs both words in the same sentence) and not negated
    there ("Der blev ikke lavet nogen undersøgelse" does not speak for own surveys). A word counts by its
    ``weights`` (:func:`word_weights`: 1 for a word only this sub-theme's codings matched, less for one
    many sub-themes share); the sum is capped at 3 and scaled to 0–1.

    ``memo``: a :class:`condense.group_tfidf.CountRows` shared by the rows of one run, in which a quote's
    sentences, a row's terms and whether a sentence says a term are kept: a quote is scored for every row its
    unit is on, the rows' words overlap, and a unit's candidates share sentences (the sample: 2,235 scorings
    asked 3,310 times whether a sentence says a term, of 1,517 pairs)."""
    if not matched:
        return 0.0
    memo = memo if memo is not None else _AFRESH
    present = frozenset(_WORD.findall(quote.replace(OMISSION, " ").lower()))  # a plain word is said only if here
    frozen = matched if isinstance(matched, frozenset) else frozenset(matched)
    spans = None
    hits = 0.0
    for w, plain in memo.memo(("terms", frozen), lambda: _terms(frozen)):
        if not plain <= present:
            continue
        spans = spans if spans is not None else memo.memo(("quote sentences", quote), lambda: _quote_sentences(quote))
        if any(memo.memo(("says", s, w, language), lambda s=s, w=w: _sentence_says(s, w, language)) for s in spans):
            hits += (weights or {}).get(w, 1.0)
    return min(hits, 3.0) / 3


class _Afresh:
    """A memo that keeps nothing (:func:`relevance` called on its own)."""

    @staticmethod
    def memo(key, make):
        return make()


_AFRESH = _Afresh()


def _terms(matched: frozenset) -> tuple[tuple[str, frozenset], ...]:
    """The terms of ``matched`` in sorted order (hits are summed in that order), each with its plain words (a
    term none of whose plain words is in a quote is not said there)."""
    return tuple((w, frozenset(p for p in w.split() if _WORD.fullmatch(p))) for w in sorted(matched))


def _quote_sentences(quote: str) -> tuple[str, ...]:
    """A quote's sentences in lower case (the whole quote when it has none), :data:`OMISSION` left out."""
    text = quote.replace(OMISSION, " ")
    return tuple(text[a:b].lower() for a, b in sentences(text)) or (text.lower(),)


def _sentence_says(sentence: str, term: str, language: str) -> bool:
    """:func:`_said` of a term in one sentence (lower case)."""
    from .participation import negated

    return _said(term.split(), sentence, language, negated)


def _said(parts: list[str], sentence: str, language: str, negated) -> bool:
    """All words of a term in one sentence, the first of them somewhere not negated."""
    if not all(_has(p, sentence) for p in parts[1:]):
        return False
    return any(not negated(sentence, i, language) for i in _word_starts(parts[0], sentence))


def word_weights(codings: list[Coding]) -> dict[str, float]:
    """1 / the number of sub-themes (and themes without one) whose codings matched each word: "netværksmøde"
    speaks for one sub-theme, "spørgeskema" or "boligselskabet" for several."""
    keys: dict[str, set] = {}
    for c in codings:
        for part in c.evidence.split(";"):
            kind, _, found = part.strip().partition(": ")
            if kind == "unit":
                for w in found.split(","):
                    if w.strip():
                        keys.setdefault(w.strip().lower(), set()).add((c.dimension, c.theme, c.subtheme))
    return {w: 1.0 / len(k) for w, k in keys.items()}


def contains_matched(quote: str, matched: set[str]) -> bool:
    """Whether the quote holds at least one of the sub-group's matched words (as a word)."""
    return matched_test(matched)(quote)


def matched_test(matched: set[str]):
    """:func:`contains_matched` for one set of matched words and many quotes: the terms that are one plain
    word are looked up among the quote's words at once, the rest (several words, or a word with a hyphen)
    one by one."""
    plain, other = set(), []
    for w in matched:
        parts = w.split()
        if len(parts) == 1 and _WORD.fullmatch(parts[0]):
            plain.add(parts[0])
        else:  # its plain words, looked up among the quote's words at once, and the others (searched for)
            other.append((frozenset(p for p in parts if _WORD.fullmatch(p)), [p for p in parts if not _WORD.fullmatch(p)]))

    def holds(quote: str, known: tuple[str, frozenset] | None = None) -> bool:
        """``known``: :func:`present_words` of the quote, when the caller keeps them."""
        low, present = known if known is not None else present_words(quote)
        return not plain.isdisjoint(present) or any(words <= present and all(_has(p, low) for p in rest)
                                                    for words, rest in other)

    return holds


def present_words(text: str) -> tuple[str, frozenset]:
    """A text in lower case and the words in it (what :func:`matched_test` looks words up in)."""
    low = text.lower()
    return low, frozenset(_WORD.findall(low))


def _has(word: str, low: str, present: set[str] | None = None) -> bool:
    """``word`` occurs in ``low`` as a word; ``present``: the words of ``low``, when already found."""
    if present is not None and _WORD.fullmatch(word):
        return word in present
    return next(_word_starts(word, low), None) is not None


def _word_starts(word: str, text: str):
    r"""The offsets where ``word`` stands in ``text`` as a whole word (no word character just before or after
    it), left to right and not overlapping: what ``re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)")``
    finds, without a pattern per word (a run asks about thousands of words, each compiled once cost more than
    all the searches). ``\w`` is a character ``str.isalnum()`` accepts, or "_", as in :mod:`re`."""
    n, size = len(word), len(text)
    i = text.find(word)
    while i >= 0:
        end = i + n
        if (i == 0 or not _is_word_char(text[i - 1])) and (end == size or not _is_word_char(text[end])):
            yield i
            i = text.find(word, end)
        else:
            i = text.find(word, i + 1)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def matched_words(codings: list[Coding], unit_ids: set[str], dimension: str, theme: str, subtheme: str = "") -> set[str]:
    """The words the coder matched in the sub-group's units for this theme (sub-theme codings first)."""
    out: set[str] = set()
    for c in codings:
        if c.unit_id not in unit_ids or c.dimension != dimension or c.theme != theme:
            continue
        if subtheme and not subtheme.startswith("_") and c.subtheme and c.subtheme != subtheme:
            continue
        out.update(_unit_evidence(c.evidence))
    return out


@lru_cache(maxsize=1 << 16)
def _unit_evidence(evidence: str) -> tuple[str, ...]:
    """The words of a coding's evidence the coder found in the unit itself (``unit: a, b``), in lower case: read
    once per evidence text, though a run asks about each coding for every row and unit it is on."""
    out = []
    for part in evidence.split(";"):
        kind, _, found = part.strip().partition(": ")
        if kind == "unit":
            out.extend(w.strip().lower() for w in found.split(",") if w.strip())
    return tuple(out)


# "en dansk kvinde, der hed Birthe", "she was called Ann" (names.py's introductions are in the present tense)
_CALLED_PAST = re.compile(r"\b(?:hun|han|der|som|she|he|who)\s+(?:hed|was\s+called)\s+(?P<name>[A-ZÆØÅ][\wæøåé'\-]+)")


def named_persons(units, language: str = "da") -> re.Pattern | None:
    """The people the transcripts name as someone ("min kollega Birgitte", "hun hedder Ayşe", "my colleague
    Tom"; :data:`condense.names.INTRODUCTIONS`), as one case-sensitive pattern, or None when there are none.

    A quote that names one of them anywhere ("mig og Birgitte") is not printed: the person never agreed
    to be named. Words ``condense names`` would propose as persons from their capital letter alone ("Karim,
    som havde håndbolden, flyttede til Odense") count too, unless they are pseudonyms the researcher chose.
    Public ids (the plans, the interviews' ids) are not persons."""
    from .names import INTRODUCTIONS, NOT_NAMES, capitalised_persons
    from .privacy import active_privacy

    patterns = [re.compile(p, re.I) for _, p in INTRODUCTIONS.get(language, []) +
                (INTRODUCTIONS["en"] if language != "en" else [])] + [_CALLED_PAST]
    stop = NOT_NAMES.get(language, set()) | NOT_NAMES["en"]
    units = list(units)
    found, public = set(), {u.transcript.casefold() for u in units}
    public.update(c.casefold() for cases in {tuple(u.cases) for u in units} for c in cases)
    for u in _may_introduce(units, patterns):
        for pattern in patterns:
            for m in pattern.finditer(u.text):
                first = m.group("name").split()[0].strip("'’-")
                if first[:1].isupper() and len(first) > 1 and first.casefold() not in stop:
                    found.add(first)
    found |= capitalised_persons([u.text for u in units], language)
    privacy = active_privacy()
    if privacy is not None:
        public.update(w.casefold() for x in privacy.pseudonyms for w in x.pseudonym.split())
    names = sorted(n for n in found if n.casefold() not in public)
    if not names:
        return None
    return persons_pattern(names)


def without_persons(terms: dict[str, list[str]], persons: re.Pattern | None) -> dict[str, list[str]]:
    """Key terms without the people the transcripts name (:func:`named_persons`): a quote naming them is never
    printed, and the report listed them as the words that set an interview apart ("fatma", "inge", "kaj").
    Only names people have are left out: a word the word lists of Danish or English know (Zipf ≥ 1: "fatma",
    "ayse", "lisbeth" all are). A capitalised word the pattern holds on its capital letter alone may be the
    name of an event or a place ("Hyggeonsdag", "Bøgeløkkefesten"), which is no person and sets its interview
    apart. Terms are shown in lower case; a name is matched with its first letter a capital, as it was found."""
    if persons is None:
        return terms
    from .emergent import background_zipf

    def person(t: str) -> bool:
        return (bool(persons.fullmatch(t) or persons.fullmatch(t[:1].upper() + t[1:]))
                and max(background_zipf(t, "da"), background_zipf(t, "en")) >= PERSON_NAME_ZIPF)

    return {key: [t for t in values if not person(t)] for key, values in terms.items()}


PERSON_NAME_ZIPF = 1.0


def persons_pattern(names: list[str]) -> re.Pattern:
    """Any of ``names`` as a whole word, inflected with s, 's or ’s. Each alternative starts with its first
    letter and only then looks behind it (the same matches as a leading lookbehind for a word character), so the regex engine
    skips ahead on the first letters instead of trying every position: quotes are searched thousands of times."""
    alternatives = [re.escape(n[0]) + r"(?<!\w[\s\S])" + re.escape(n[1:]) for n in names]
    return re.compile(r"(?:" + "|".join(alternatives) + r")(?:s|'s|’s)?(?!\w)")


# Every introduction pattern (names.INTRODUCTIONS, _CALLED_PAST) holds one of these words ("hed" only as a
# word of its own: "der hed Birthe"): a unit without any of them introduces nobody, and one case-insensitive
# scan of all units finds the few that may.
_INTRODUCING_WORDS = ("hedder", "hed", "navn", "kollega", "chef", "leder", "makker", "name", "colleague", "manager",
                      "boss", "partner", "called", "i'm")
_INTRODUCING = re.compile("|".join(rf"\b{w}\b" if w == "hed" else re.escape(w) for w in _INTRODUCING_WORDS), re.I)
_INTRODUCING_LOWER = re.compile(_INTRODUCING.pattern)
# Case-insensitive matching pairs these with a keyword's "i" or "s" although str.lower() does not, and
# lower() makes U+0130 two characters (every other character keeps its length; a search of all code points
# showed it): a text with one of them is scanned case-insensitively, any other lower-cased (several times faster).
_IGNORECASE_ONLY = ("\u0130", "\u0131", "\u017f")


def _may_introduce(units: list[MeaningUnit], patterns: list[re.Pattern]) -> list[MeaningUnit]:
    """The units an introduction pattern can match in (all of them when a pattern lacks every keyword)."""
    if not all(any(w in p.pattern.lower() for w in _INTRODUCING_WORDS) for p in patterns):
        return units
    text = "\x00".join(u.text for u in units)  # no keyword holds the separator
    ends = list(accumulate(len(u.text) + 1 for u in units))
    if any(c in text for c in _IGNORECASE_ONLY):
        starts = (m.start() for m in _INTRODUCING.finditer(text))
    else:
        starts = _keyword_starts(text.lower())
    hits = sorted({bisect.bisect_right(ends, i) for i in starts})
    return [units[i] for i in hits]


def _keyword_starts(low: str):
    """Where a word of :data:`_INTRODUCING_WORDS` starts in a lower-cased text ("hed" only as a word of its own):
    the units :data:`_INTRODUCING_LOWER` finds, by ``str.find`` per word, several times faster than one
    regex of alternatives tried at every position. A character is part of a word as for the regex's ``\\b``
    (``str.isalnum`` or "_")."""
    for w in _INTRODUCING_WORDS:
        i = low.find(w)
        while i >= 0:
            if w != "hed" or not (_word_char(low[i - 1:i]) or _word_char(low[i + 3:i + 4])):
                yield i
            i = low.find(w, i + 1)


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def prepare(units: list[MeaningUnit], language: str, memo, persons: re.Pattern | None = None) -> None:
    """The part of :func:`best_quotes` that depends on a unit alone (whether it may be quoted, its quotable
    runs of sentences, which of them name one of ``persons``), for ``units``, into ``memo`` under the keys
    :func:`best_quotes` reads: worked out ahead, in another process while the sub-groups are made."""
    for u in units:
        if not memo.memo(("eligible", u.unit_id), lambda u=u: eligible(u, language)):
            continue
        for text, _, _ in memo.memo(("candidates", u.unit_id), lambda u=u: candidates(u, language)):
            if persons is not None:
                memo.memo(("names a person", text), lambda t=text: persons.search(t) is not None)


def best_quotes(units: list[MeaningUnit], central: dict[str, float], matched: set[str], language: str = "da",
                used: set[str] | None = None, require_match: bool = True, memo=None,
                persons: re.Pattern | None = None, weights: dict[str, float] | None = None,
                own: dict[str, set[str]] | None = None,
                within: dict[str, list[tuple[int, int]]] | None = None) -> list[Quote]:
    """Quote candidates of a sub-group's units, best first, at most one per unit, skipping ``used`` units.
    ``within``: unit id → the spans of its text a coder marked for this row (coding done elsewhere): a unit
    so marked is quoted from what was marked (:func:`in_marked`), never from the rest of its answer.

    With ``require_match`` a quote containing one of the sub-group's matched words wins over any that does
    not (when the sub-group has matched words at all). ``memo``: a :class:`condense.group_tfidf.CountRows`
    shared by the rows of one run, so a unit's candidates and their readability are worked out once. A
    candidate naming one of ``persons`` (:func:`named_persons`) is never chosen."""
    from .group_tfidf import CountRows

    used = used or set()
    memo = memo if memo is not None else CountRows()
    strict = bool(require_match and matched)
    best: dict[str, tuple] = {}  # unit id → ((score, -start), text, start, end)
    for u in units:
        if u.unit_id in used or not memo.memo(("eligible", u.unit_id), lambda u=u: eligible(u, language)):
            continue
        words_of = frozenset(own.get(u.unit_id, frozenset()) if own is not None else matched)
        c = central.get(u.unit_id, 0.0)
        cur = best.get(u.unit_id)
        # a unit is on several rows: its candidates are scored once per set of words a row asks for
        marked = within.get(u.unit_id) if within else None
        spoken = sentences(u.text) if marked else None  # once per unit, for each candidate's check
        for text, a, b, rel, read in memo.memo(("scored", u.unit_id, words_of, strict, id(weights), id(persons)),
                                               lambda u=u, w=words_of: _scored(u, w, strict, language, memo, persons,
                                                                               weights)):
            if marked and not in_marked(spoken, a, b, marked):
                continue
            key = (round(1.5 * rel + c + read, 4), -a)
            if cur is None or key > cur[0]:
                cur = (key, text, a, b)
        if cur is not None:
            best[u.unit_id] = cur
    quotes = [Quote(uid, text, a, b, key[0], words(text)) for uid, (key, text, a, b) in best.items()]
    return sorted(quotes, key=lambda q: (-q.score, q.unit_id))


def marked_quotes(units: list[MeaningUnit], within: dict[str, list[tuple[int, int]]], central: dict[str, float],
                  language: str = "da", used: set[str] | None = None,
                  persons: re.Pattern | None = None) -> list[Quote]:
    """The passages a coder marked, each as it stands, best first, at most one per unit: the row's quote when
    none of its units holds a quotable run of sentences inside the marks. A passage qualifies as any quote does
    (12–60 words, opening a sentence, ending one), except that it may end without a full stop where the answer
    itself ends: survey answers are often written without one ("… whilst I do other activities")."""
    used = used or set()
    best: dict[str, Quote] = {}
    for u in units:
        if u.unit_id in used or u.unit_id not in within or not eligible(u, language):
            continue
        for x, y in within[u.unit_id]:
            a, b = _trimmed(u.text, x, y)
            text = " ".join(u.text[a:b].split())
            n = words(text)
            if not (QUOTE_MIN <= n <= QUOTE_MAX and _sentence_ok_start(text, language)
                    and (ends_a_quote(text, language) or not u.text[b:].strip())):
                continue
            if persons is not None and persons.search(text):
                continue
            score = round(central.get(u.unit_id, 0.0) + readability(text, language), 4)
            if u.unit_id not in best or (score, -a) > (best[u.unit_id].score, -best[u.unit_id].start):
                best[u.unit_id] = Quote(u.unit_id, text, a, b, score, n)
    return sorted(best.values(), key=lambda q: (-q.score, q.unit_id))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A marked span without the white space and separators (``/`` joins a coder's passages) at its edges."""
    while start < end and (text[start].isspace() or text[start] in "/|;,"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "/|;,"):
        end -= 1
    return start, end


def in_marked(spoken: list[tuple[int, int]], start: int, end: int, marked: list[tuple[int, int]]) -> bool:
    """A candidate at ``start:end`` of a unit whose sentences are ``spoken`` says what a coder marked: each of its
    sentences overlaps a marked span (a sentence holding a short marked phrase counts; one the coder left out
    does not)."""
    inside = [(a, b) for a, b in spoken if a < end and b > start] or [(start, end)]
    return all(any(min(b, y) > max(a, x) for x, y in marked) for a, b in inside)


def _scored(unit: MeaningUnit, words_of: frozenset, strict: bool, language: str, memo, persons, weights) -> list[tuple]:
    """(text, start, end, relevance, readability) of the unit's candidates that may stand as its quote on a
    row asking for ``words_of`` (``strict``: only those holding one of them)."""
    out = []
    for text, a, b in memo.memo(("candidates", unit.unit_id), lambda: candidates(unit, language)):
        if persons is not None and memo.memo(("names a person", text), lambda t=text: persons.search(t) is not None):
            continue  # (each candidate is searched once per run)
        rel = memo.memo(("relevance", text, words_of, id(weights)), lambda t=text: relevance(t, words_of, language,
                                                                                            weights, memo))
        if strict and rel == 0:
            continue  # a quote that does not say what the sub-group is about is not its quote
        out.append((text, a, b, rel, memo.memo(("readability", text), lambda t=text: readability(t, language))))
    return out


def source_span(unit: MeaningUnit, source_text: str | None, start: int, end: int) -> tuple[int, int]:
    """Map offsets in a unit's text to offsets in the transcript's source text (whitespace may differ)."""
    if source_text is None:
        return unit.start + start, unit.start + end
    src = source_text[unit.start:unit.end]
    if src == unit.text:
        return unit.start + start, unit.start + end
    mapping = []
    j = 0
    for i, ch in enumerate(unit.text):
        if ch.isspace():
            mapping.append(unit.start + j)
            continue
        while j < len(src) and src[j] != ch:
            j += 1
        mapping.append(unit.start + min(j, len(src)))
        j += 1
    mapping.append(unit.end)
    s = mapping[start] if start < len(mapping) else unit.end
    e = (mapping[end - 1] + 1) if 0 < end <= len(unit.text) else unit.end
    return s, min(e, unit.end)


def quote_problems(quote: str, unit_text: str, language: str = "da") -> list[str]:
    """What keeps a quote from being printed as it stands ([] when none): it must be the unit's own words
    (pieces joined by "[…]"), start at a sentence start, end with terminal punctuation, hold 12–60 words."""
    problems = []
    pieces = quote.split(f" {OMISSION} ")
    if not all(p in unit_text for p in pieces):
        problems.append("words changed")
    if not _sentence_ok_start(quote, language):
        problems.append("starts mid-sentence")
    if not ends_a_quote(quote, language):
        end = quote.rstrip("\"”»')")
        problems.append("trails off" if end.endswith("...") or end[-1:] in ".!?" else "no terminal punctuation")
    n = words(quote.replace(OMISSION, ""))
    if not QUOTE_MIN <= n <= QUOTE_MAX:
        problems.append(f"{n} words")
    return problems
