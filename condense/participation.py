"""Participation per plan × phase (the study's IVAC matrix), decided the way the study's analysts did.

The study placed *plans* in the cells of its matrix: for each plan and phase, the kind of resident
involvement that plan practised. A single unit rarely says it all, so the decision has three layers:

1. **Unit signals.** Each sentence of a respondent unit is read for who acted and who decided:
   the *grammatical actor* (``beboerne selv`` / ``de`` → residents; ``vi`` / ``jeg`` / ``kommunen`` →
   professionals; ``sammen`` / ``i fællesskab`` / ``blev enige`` → joint), *initiative* cues ("kom og
   spurgte", "deres eget ønske", "vi foreslog") and *negation with its scope* (``ikke``, ``ingen``,
   ``aldrig``, ``uden``, ``hverken … eller``, "ikke selv"): a negated resident-involvement statement
   ("Beboerne var ikke med …", "ingen af kvinderne har lyst til at stå for det selv") is evidence that
   professionals ran the phase, never that residents decided.
2. **Question context.** The interviewer's follow-up ("Var beboerne med i det?") is answered by a bare
   "Nej" / "Ikke rigtigt" just as often as by a sentence: a negative answer to an involvement question
   is evidence for *professionelle informerer*; the section of the guide the unit stands in gives its
   phase (the phase the interviewer opened), which is how the study read a guided interview.
3. **One type per plan × phase.** The weighted signals of a plan's units in a phase are summed per
   type; the dominant type is the cell, with its evidence units and a confidence (its share of the
   weight). A phase without signals is "–" (not discussed / no involvement).

The negation check here is a small, clearly separated function (:func:`negated`) until the coder's
shared negation module exists; it looks for a negator earlier in the same clause.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .model import MeaningUnit

__all__ = [
    "PHASES_DA", "TYPES", "SHORT", "negated", "GENERIC", "SIGNALS_DA", "NEGATIVE_ANSWER", "INVOLVEMENT_QUESTION",
    "NEGATED_RESIDENT", "Signal", "unit_signals", "AFFIRMATIVE", "decide", "SIGNALS_EN", "NEGATIVE_ANSWER_EN",
    "INVOLVEMENT_QUESTION_EN", "Cell", "guide_sections", "unit_cases", "plan_phase", "PLAN_PHASE_COLUMNS",
    "phases_for", "plan_phase_frame", "plan_matrix_grid"
]

PHASES_DA = ("vidensindsamling", "ideudvikling", "planlaegning", "gennemfoerelse", "forankring", "evaluering")
BB, BF, PF, PI = "beboerinitiativ_beboer", "beboerinitiativ_faelles", "professionelt_faelles", "professionelle_informerer"
TYPES = (BF, BB, PF, PI)  # codebook order
SHORT = {BB: "BB", BF: "BF", PF: "PF", PI: "PI"}

# ----------------------------------------------------------------------------------- negation (minimal)
_NEGATORS = {
    "da": r"\b(?:ikke|ingen|intet|aldrig|uden|hverken|ej|ingenting|ikk)\b",
    "en": r"\b(?:not|no|never|nobody|none|without|neither|nor|n't)\b|n't\b",
}
_CLAUSE_BREAK = re.compile(r"[,;:–—]\s+|\b(?:men|og så|så|fordi|mens|but|so|because|while)\b")
_NEGATOR = {language: re.compile(p, re.I) for language, p in _NEGATORS.items()}  # compiled once, not per call
# a relative clause of a negated noun phrase is in its scope: "ikke noget, de var med til at bestemme"
_NEGATED_NOUN_PHRASE = re.compile(r"\b(?:(?:ikke|aldrig) (?:noget|nogen|nogle|meget)|ingen(?: \w+)?|intet|nothing|no one|"
                                  r"nobody)\s*,?\s*(?:som |der |that |which )?$", re.I)
# the negator right after the verb: "de bestemte ikke selv", "beboerne var ikke med"
_NEGATOR_AFTER = re.compile(r"\s*\S+(?:\s+\S+)?\s+(?:ikke|aldrig|not|never)\b", re.I)


def negated(sentence: str, start: int, language: str = "da") -> bool:
    """True when a negator stands earlier in the clause that holds position ``start`` (or just after it:
    "de bestemte ikke selv")."""
    left = sentence[:start]
    cut = 0
    for m in _CLAUSE_BREAK.finditer(left):
        cut = m.end()
    clause = left[cut:]
    if _NEGATOR.get(language, _NEGATOR["da"]).search(clause):
        return True
    if _NEGATED_NOUN_PHRASE.search(left[:cut]) and cut > 0:
        return True
    return bool(_NEGATOR_AFTER.match(sentence[start:start + 40]))


# ----------------------------------------------------------------------------------- unit signals
_RES = (r"(?:beboerne|beboere|de|kvinderne|mændene|fædrene|mødrene|forældrene|deltagerne|seniorerne|pigerne|"
        r"drengene|familierne|frivillige|de frivillige|foreningen|gruppen|holdet|folk|nogle af (?:kvinderne|beboerne|"
        r"mændene|fædrene|mødrene|forældrene|de ældre)|et par (?:af )?(?:kvinder|mænd|beboere|mødre|fædre)|to af "
        r"(?:fædrene|mødrene|kvinderne|mændene|beboerne))")
_PRO = r"(?:vi|jeg|os|mig|kommunen|sundhedscentret|sekretariatet|medarbejderne|personalet|konsulenten|boligorganisationen)"

# Two axes, as the typology is built: who took the INITIATIVE (R residents, P professionals) and who
# DECIDED (R residents alone, J jointly, P professionals). (pattern, axis, value, weight), read on
# lowercased sentences. A resident or joint match in a negated clause counts as professionals deciding.
_WHO_R = rf"(?:{_RES}|dem|nogle|en af (?:dem|kvinderne|mændene|fædrene|mødrene)|kvinder|mødre|fædre|mænd|beboere)"
GENERIC = 0.4  # everyday professional-work words (counting, leaflets, staff): weak evidence alone
SIGNALS_DA: list[tuple[str, str, str, float]] = [
    # residents decide by themselves
    (rf"\b(?:bestemte|bestemmer|besluttede|beslutter|styrer|styrede|kører|kørte|står for|stod for|arrangerer|"
     rf"arrangerede|klarer|klarede|ordnede|ordner|tog|tager|lavede|laver) (?:\w+ ){{0,2}}(?:de|beboerne|kvinderne|"
     rf"fædrene|mødrene|forældrene) (?:\w+ ){{0,2}}selv\b", "dec", "R", 2.0),
    (rf"\b{_WHO_R},? (?:\w+ ){{0,2}}(?:bestemte|bestemmer|besluttede|beslutter|styrer|styrede|kører|kørte|står for|"
     rf"stod for|stå for|arrangerer|arrangerede|klarer|klarede) (?:\w+ ){{0,3}}selv\b", "dec", "R", 2.0),
    (rf"\b{_WHO_R} (?:\w+ ){{0,1}}selv,? (?:der |som )?(?:bestemte|bestemmer|besluttede|styrer|styrede|kører|kørte|"
     rf"står for|stod for|arrangerer|arrangerede|ordnede|søgte|tog|havde|holdt)\b", "dec", "R", 2.0),
    (rf"\bdet (?:var|er) (?:beboerne|dem|kvinderne|fædrene|mødrene|forældrene|deltagerne|de frivillige|foreningen|"
     rf"nogle af \w+)(?: selv)?,? (?:der|som) (?:\w+ ){{0,2}}(?:besluttede|bestemte|styrede|styrer|havde|lavede|stod|"
     rf"kørte|bar|holdt|tog)\b", "dec", "R", 1.5),
    (r"\bkunne de (?:godt )?selv\b|\bde (?:kunne|klarede) (?:det )?selv\b|\bde godt kunne klare det\b|"
     r"\bkører (?:den|det) (?:helt )?selv\b|\bselvkørende\b|\bbeboerdrevet\b", "dec", "R", 1.5),
    (r"\b(?:blandede|blander) (?:jeg|vi) (?:mig|os) ikke\b|\bdet blandede (?:jeg|vi) (?:mig|os) ikke\b|"
     r"\bholdt? mig (?:tilbage|væk|udenfor|i baggrunden)\b|\bi baggrunden\b|\bvi blander os ikke\b|"
     r"\bikke (?:min|vores) (?:café|klub|forening|gruppe)\b|\bblev ikke engang spurgt\b", "dec", "R", 1.5),
    (r"\b(?:blev|er|var) (?:til )?en (?:\w+ )?forening\b|\bstiftede (?:en )?forening\b|"
     r"\blavet en (?:\w+ )?forening\b|\bderes egen forening\b|\bstiftende generalforsamling\b", "dec", "R", 1.5),
    (r"\bvedtægter\b|\bgeneralforsamling\b", "dec", "R", 0.5),
    (r"\b(?:lave|starte|stifte) en (?:\w+ )?forening\b", "ini", "R", 1.0),
    (r"\b(?:overtog|tog over|overtaget|turledere)\b", "dec", "R", 0.6),
    (r"\b(?:så )?(?:er|var) (?:det|den) deres\b|\b(?:kører|kørte) (?:sig )?selv\b|\bderes egne? (?:regler|penge|nøgle)\b|"
     r"\b(?:de|han|hun|kaj|beboerne|kvinderne) (?:har|havde) (?:\w+ )?selv (?:lavet|købt|fundet|bestemt|søgt|startet|stiftet|"
     r"ringet|arrangeret)\b|\bhavde bestemt det hele\b|\b(?:de|beboerne|kvinderne|fædrene|mødrene) havde (?:også )?(?:selv )?bestemt\b|"
     r"\bidéen var færdig\b|\bjeg er der ikke\b|\bi vejen\b|\bfået lov at bruge\b", "dec", "R", 1.2),
    (r"\bfrivillig\w*\b", "dec", "J", 0.4),
    (r"\bderes (?:egen )?(?:bestemmelse|beslutning|projekt)\b", "dec", "R", 1.5),
    # joint decisions
    (r"\bi fællesskab\b|\b(?:blev|bliver) (?:vi )?enige\b|\bsnakkede os frem\b|\blige så meget at "
     r"(?:skulle have )?(?:sige|sagt)\b|\bmed til at (?:bestemme|beslutte)\b", "dec", "J", 1.5),
    (r"\b(?:besluttede|bestemte|aftalte|planlagde|lavede|gjorde|tog|fandt|vendte|gennemgik|snakkede|talte|fik|"
     r"beslutte|bestemme|aftale|planlægge|lave|gøre|tage|finde|snakke|tale|få|landede|formede) (?:\w+ ){0,6}sammen\b|"
     r"\bevalueringsaften\w*\b|"
     r"\bvi mødtes\b|\bvi fandt en løsning\b|\bsammen (?:med|i) (?:beboerne|dem|deltagerne|kvinderne|fædrene|mødrene|forældrene|"
     r"arbejdsgruppen|madudvalget|foreningen|klubben)\b|\bsatte (?:vi )?os sammen\b", "dec", "J", 1.2),
    (r"\b(?:vi|jeg) spurgte (?:beboerne|dem|deltagerne|folk|kvinderne|forældrene)\b|\bspurgte (?:dem|beboerne) "
     r"(?:undervejs|hvad|hvordan)\b|\bhen over hovedet\b|\b(?:møde|aftener?|evalueringsaften|snak) med "
     r"(?:beboerne|deltagerne|fædrene|forældrene|madudvalget|holdene|kvinderne)\b|\bsamtaler? med\b", "dec", "J", 1.0),
    (r"\b(?:arbejdsgruppe|madudvalg|styregruppe|følgegruppe)\w*\b", "dec", "J", 0.8),
    (r"\bfik (?:de|beboerne|kvinderne|deltagerne) (?:ændret|lov at (?:vælge|bestemme|præge|sige))\b|\bsnakkede det igennem\b|"
     r"\btog (?:det|idéen|ideen|oplægget) med (?:ud )?til\b|\bkunne (?:de|deltagerne|beboerne) (?:\w+ )?(?:præge|vælge|sige)\b|"
     r"\blavede (?:det|den) om sammen\b", "dec", "J", 1.2),
    # professionals decide / inform
    (rf"\bdet var (?:os|mig|kommunen|sundhedscentret|konsulenten|boligorganisationen|personalet|medarbejderne),? "
     rf"(?:der|som)\b(?! (?:lagde|kom med|tog initiativ|havde idéen|havde ideen|havde rammen|startede|inviterede|satte|tog kontakt|ringede|skrev til))|\bdet gjorde vi (?:\w+ ){{0,2}}selv\b|"
     rf"\bdet kom fra os\b|\bvores (?:egen|opgave)\b", "dec", "P", 1.5),
    (r"\b(?:stod|lå|står|ligger) (?:\w+ ){0,2}(?:i|fast i) ansøgningen\b|\blå (?:jo )?fast\b|\bbestemt på forhånd\b|"
     r"\bbeboerne svarede\b|\bkunne (?:folk |de )?(?:melde sig|sige ja eller nej|tage imod|lade være)\b|"
     r"\bmelde sig til\b|\beller lade være\b|\bstemmer med fødderne\b", "dec", "P", 1.2),
    (r"\b(?:vi|jeg) (?:\w+ ){0,2}(?:informerede|orienterede|fortalte (?:dem|på))\b|\bflyers?\b|\bfolder\w*\b|"
     r"\bfremlagt\w*\b|\bfremlagde\b", "dec", "P", GENERIC),
    (r"\b(?:vi|jeg) (?:\w+ ){0,2}(?:talte|tællede|tæller|optalte|registrerede|indberette\w*)\b|\bdeltagerlist\w*\b|"
     r"\btalte hoveder\b|\boptælling\w*\b|\bdeltagertal\w*\b|\bstatusrapport\w*\b|\bårsrapport\w*\b|"
     r"\bkrav\b|\bfonden vil have\b|\bslutevaluering\w*\b|\bspørgeskema\w*\b|\bstatistik\w*\b|"
     r"\bsundhedsprofil\w*\b|\btallene\b", "dec", "P", GENERIC),
    (r"\b(?:vi|jeg|kommunen|sundhedscentret|sygeplejersken|diætisten) (?:\w+ ){0,2}(?:bestemte|besluttede|planlagde|"
     r"lavede (?:et )?program|lavede skemaet|stod for|styrede|havde ansvaret)\b(?! (?:\w+ )?(?:i fællesskab|sammen))|\bstyringen (?:\w+ ){0,2}hos os\b|"
     r"\b(?:fagfolk|sygeplejerske\w*|fysioterapeut\w*|diætist\w*)\b", "dec", "P", GENERIC),
    # initiative
    (rf"\b{_WHO_R},? (?:\w+ ){{0,3}}(?:kom (?:ind |hen |op )?(?:til (?:mig|os) )?og (?:spurgte|sagde|foreslog)|"
     rf"henvendte sig|kom med (?:det|idéen|ideen|et ønske|et forslag|forslaget|ønsket|et budget)|sagde,? at de "
     rf"(?:gerne )?ville|savnede|foreslog|fandt på|fandt ud af|fik idéen|fik ideen|bad om|efterspurgte|ønskede)\b", "ini", "R", 1.5),
    (r"\b(?:kom|kommer) (?:\w+ ){0,7}og (?:spurgte|sagde|siger|spørger|foreslog)\b|\b(?:de|hun|han) havde (?:idéen|ideen)\b|"
     r"\bidéen var der\b|\bideen var der\b|\bhavde tænkt på at\b|\b\w+ kom (?:jo |faktisk |egentlig |helt )?fra (?:beboerne|kvinderne|fædrene|mødrene|"
     r"forældrene|deltagerne)\b|\b(?:idéen|ideen|det) var deres\b(?! \w)|"
     r"\b(?:idéen|ideen|ønsket|initiativet|forslaget|den|det) kom (?:jo )?fra (?:beboerne|dem|kvinderne|fædrene|mødrene|"
     r"forældrene|deltagerne|en (?:mand|kvinde|beboer|mor|far)|nogle)\b|\b(?:deres|kvindernes|beboernes|fædrenes|"
     r"mødrenes|forældrenes) (?:helt )?(?:egen? |eget )?(?:idé|ide|initiativ|ønske|forslag)\b|\bpå eget initiativ\b|"
     r"\bselv (?:med idéen|med ideen|på det|fået idéen|fået ideen)\b|\bselv havde fået\b", "ini", "R", 1.5),
    (r"\b(?:jeg|vi) (?:\w+ ){0,2}(?:indkaldte|inviterede|foreslog|havde foreslået|skitseret|tog initiativ\w*|"
     r"tog kontakt|kontaktede|ringede til|skrev til|satte (?:det )?i gang|startede|sendte)\b|"
     r"\bdet var (?:mig|os),? der (?:tog initiativ\w*|lagde|kom med|startede|havde idéen|havde ideen|inviterede|satte|"
     r"tog kontakt|ringede|skrev til|havde rammen)\b|\binviterede (?:vi|jeg)\b|"
     r"\b(?:vi|jeg) (?:\w+ )?(?:lavede|lagde|skrev|havde) (?:et |første )?(?:udkast|oplæg|forslag)\b|\bdet gjorde vi\b|\bkom fra os\b|\bvores idé\b", "ini", "P", 1.0),
]

NEGATIVE_ANSWER = re.compile(r"^\s*(?:nej\b|ikke (?:rigtigt?|sådan|så meget|på den måde|i den del|direkte)|"
                             r"næ+\b|egentlig ikke|ikke rigtig)", re.I)
INVOLVEMENT_QUESTION = re.compile(
    r"\b(?:beboerne|beboere|deltagerne|de)\b[^?]{0,60}\b(?:med|inddraget|involveret|rolle|indflydelse|sige|"
    r"præge|bestemme|planlægge|inddrage)\b|\binddrage\w*\b|\binddragelse\b", re.I)

_SENT = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")


# Negated resident involvement ("Beboerne var ikke med", "ingen af kvinderne har lyst til at stå for det
# selv", "ikke noget, de var med til at bestemme"): professionals ran the phase.
NEGATED_RESIDENT = re.compile(
    rf"\b(?:{_RES}|dem|nogen|ingen(?: af \w+)?)\b(?:,? (?:der|som))? (?:\w+ ){{0,3}}(?:(?:var|blev) (?:\w+ ){{0,2}}med|inddraget|involveret|"
    r"rolle|indflydelse|noget at (?:skulle have )?sige|at gøre med|med til at|lyst|overskud|efterspurgte)\b")


@dataclass
class Signal:
    unit_id: str
    axis: str  # ini | dec
    value: str  # R | J | P
    weight: float
    evidence: str


def unit_signals(unit: MeaningUnit, language: str = "da") -> list[Signal]:
    """Participation evidence in one unit: matched expressions with negation and the question's context."""
    if language != "da":
        return _unit_signals_en(unit)
    out: list[Signal] = []
    low = unit.text.lower()
    question = unit.question or ""
    if unit.position == 1 and INVOLVEMENT_QUESTION.search(question) and NEGATIVE_ANSWER.match(low):
        out.append(Signal(unit.unit_id, "dec", "P", 2.0, f"svar: {_short(low, 4)} (spørgsmål: {_short(question, 8)})"))
    if unit.position == 1 and question:
        out.extend(_question_context(unit, low, question, language))
    for m in _SENT.finditer(low):
        out.extend(_sentence_signals(unit.unit_id, m.group(0), language))
    return out


def _sentence_signals(unit_id: str, sentence: str, language: str) -> list[Signal]:
    """The signals of one sentence: each expression's first hit that is not negated; a negated resident
    decision ("de bestemte ikke selv") is half-weight evidence that professionals decided."""
    out: list[Signal] = []
    any_signal, signals = _compiled_signals("da")
    for pattern, axis, value, weight in signals if any_signal.search(sentence) else ():
        for hit in pattern.finditer(sentence):
            if negated(sentence, hit.start(), language) or (axis == "dec" and value == "R" and "ikke" in hit.group(0)
                                                             and "ikke" not in pattern.pattern):
                if value == "R" and axis == "dec":  # "de bestemte ikke selv", "de kørte det ikke selv"
                    out.append(Signal(unit_id, "dec", "P", weight * 0.5, f"ikke: {hit.group(0)}"))
                continue
            out.append(Signal(unit_id, axis, value, weight, hit.group(0)))
            break
    for hit in NEGATED_RESIDENT.finditer(sentence):
        if negated(sentence, hit.start(), language) or re.search(r"\b(?:ingen|ikke|aldrig)\b", hit.group(0)):
            out.append(Signal(unit_id, "dec", "P", 1.5, f"ikke: {hit.group(0)}"))
            break
    return out


@lru_cache(maxsize=4)
def _compiled_signals(language: str) -> tuple[re.Pattern, list[tuple[re.Pattern, str, str, float]]]:
    """SIGNALS_DA (or SIGNALS_EN) compiled once, and one pattern that finds whether any of them is in a
    sentence at all (most sentences hold none: they are then passed over in one search)."""
    signals = SIGNALS_DA if language == "da" else SIGNALS_EN
    return (re.compile("|".join(f"(?:{p})" for p, *_ in signals)),
            [(re.compile(p), axis, value, weight) for p, axis, value, weight in signals])


AFFIRMATIVE = re.compile(r"^\s*(?:ja\b|jo\b|præcis|nemlig|fuldstændig|helt (?:klart|sikkert)|korrekt|rigtigt|"
                         r"det (?:kan man godt sige|var det|gjorde vi|gjorde de)|bestemt|absolut|sådan set)", re.I)


def _question_context(unit: MeaningUnit, answer: str, question: str, language: str) -> list[Signal]:
    """A follow-up that names the kind of involvement ("Så det var helt deres egen idé?", "… og beslutningerne
    tog I i fællesskab?") answered by "Ja"/"Præcis" says what the answer alone does not; answered by "Nej",
    resident or joint involvement is denied."""
    yes, no = AFFIRMATIVE.match(answer), NEGATIVE_ANSWER.match(answer)
    if not (yes or no):
        return []
    q = question.lower()
    q = q[max(q.rfind(". "), q.rfind("! ")) + 1:]  # the question's last sentence
    out = []
    for pattern, axis, value, weight in _compiled_signals("da")[1]:
        hit = pattern.search(q)
        if hit is None or negated(q, hit.start(), language):
            continue
        if yes:
            out.append(Signal(unit.unit_id, axis, value, weight, f"ja til: {hit.group(0)}"))
        elif value in ("R", "J"):
            out.append(Signal(unit.unit_id, "dec", "P", weight * 0.5, f"nej til: {hit.group(0)}"))
    return out


def decide(dec: dict[str, float], ini: dict[str, float]) -> str:
    """The participation type from summed decision (R/J/P) and initiative (R/P) weights ('' for none)."""
    if sum(dec.values()) <= 0:
        if ini.get("R", 0) > ini.get("P", 0):
            return BF
        return PI if ini.get("P", 0) > 0 else ""
    top = max(("J", "R", "P"), key=lambda k: (dec.get(k, 0.0), -("J", "R", "P").index(k)))
    if top == "P":
        return PI
    if top == "R":
        return BB if ini.get("P", 0) <= ini.get("R", 0) or dec["R"] > 2 * dec.get("J", 0) else BF
    return BF if ini.get("R", 0) > ini.get("P", 0) else PF


SIGNALS_EN: list[tuple[str, str, str, float]] = [
    (r"\b(?:residents|they|the women|the men|the mums|the dads|volunteers|champions|the group) (?:\w+ ){0,2}(?:decided|"
     r"ran|run|organised|organized|set up|chose|manage|managed) (?:\w+ ){0,3}(?:themselves|on their own)\b", "dec", "R", 2.0),
    (r"\btheir own (?:group|association|club|decision)\b|\bwe (?:stayed|kept) out of it\b|\brun(?:s)? itself\b|"
     r"\bit(?:'s| is| was) theirs\b", "dec", "R", 1.5),
    (r"\btogether\b|\bjointly\b|\bwe agreed\b|\bagreed (?:with|together)\b|\bas much say\b|\bwe asked (?:them|residents|"
     r"people)\b|\bconversations? with\b", "dec", "J", 1.2),
    (r"\bit was (?:us|me|the council)(?:,)? (?:who|that)\b|\bwe (?:\w+ ){0,2}(?:decided|planned|counted|informed|sent out)\b|"
     r"\bflyers?\b|\bleaflets?\b|\bin the (?:bid|application)\b|\bsign up\b|\bcounting\b|\bheadcount\b", "dec", "P", 0.8),
    (r"\b(?:came to us|came to me|asked us|asked if we|asked whether we)\b|\btheir (?:own )?(?:idea|initiative|request)\b|"
     r"\bcame from (?:the )?(?:residents|them|the women|the mums|the men)\b", "ini", "R", 1.5),
    (r"\b(?:we|i) (?:\w+ ){0,2}(?:invited|suggested|proposed|started|set it up|contacted)\b|\bour idea\b", "ini", "P", 1.0),
]
NEGATIVE_ANSWER_EN = re.compile(r"^\s*(?:no\b|not really|not as such|not much)", re.I)
INVOLVEMENT_QUESTION_EN = re.compile(r"\b(?:residents|they|people)\b[^?]{0,60}\b(?:involved|say|part|role|decide)\b", re.I)


def _unit_signals_en(unit: MeaningUnit) -> list[Signal]:
    out: list[Signal] = []
    low = unit.text.lower()
    if unit.position == 1 and INVOLVEMENT_QUESTION_EN.search(unit.question or "") and NEGATIVE_ANSWER_EN.match(low):
        out.append(Signal(unit.unit_id, "dec", "P", 2.0, f"answer: {_short(low, 4)}"))
    for m in _SENT.finditer(low):
        sentence = m.group(0)
        for pattern, axis, value, weight in _compiled_signals("en")[1]:
            hit = pattern.search(sentence)
            if hit is None:
                continue
            if negated(sentence, hit.start(), "en"):
                if axis == "dec" and value == "R":
                    out.append(Signal(unit.unit_id, "dec", "P", weight * 0.5, f"not: {hit.group(0)}"))
                continue
            out.append(Signal(unit.unit_id, axis, value, weight, hit.group(0)))
    return out


def _short(text: str, words: int = 10) -> str:
    parts = text.split()
    return " ".join(parts[-words:]) if len(parts) > words else text


# ----------------------------------------------------------------------------------- plan × phase
@dataclass
class Cell:
    case: str
    phase: str
    type: str  # "" when no evidence
    confidence: float
    weights: dict = field(default_factory=dict)  # type -> summed weight
    evidence_units: list[str] = field(default_factory=list)  # units supporting the chosen type, strongest first
    n_units: int = 0  # units of this plan in this phase


def guide_sections(units: list[MeaningUnit], questions, coder, dimension: str = "fase") -> dict[str, str]:
    """unit id → the phase the interviewer opened last before the unit (the guide's section).

    Uses the codebook's question cues (``coder.opens_section``); a unit before the first phase question
    has no section."""
    opened: dict[tuple[str, int], str] = {}
    per: dict[str, list] = defaultdict(list)
    for q in questions or []:
        per[q.transcript].append(q)
    for transcript, qs in per.items():
        current = ""
        for q in sorted(qs, key=lambda q: q.turn):
            found = coder.opens_section((q.lemmas, q.surfaces)).get(dimension)
            if found is not None:
                current = coder.nodes[found[0]].theme
            opened[(transcript, q.turn)] = current
    out = {}
    for u in units:
        if u.question_turn is not None:
            phase = opened.get((u.transcript, u.question_turn), "")
            if phase:
                out[u.unit_id] = phase
    return out


def unit_cases(unit: MeaningUnit) -> list[str]:
    """The plans a unit speaks about: all of the interview's plans, or the one it names when it names one.
    A unit without a case (an anonymous respondent's: privacy.py removes the plan) stands for its interview,
    under the interview's neutral public id."""
    if not unit.cases:
        return [unit.transcript]
    if len(unit.cases) < 2:
        return list(unit.cases)
    named = [c for c in unit.cases if c.lower() in unit.text.lower()]
    return named if len(named) == 1 else list(unit.cases)


def plan_phase(units: list[MeaningUnit], phase_of: dict[str, str], language: str = "da", *,
               min_weight: float = 1.0, inherit_initiative: tuple[str, ...] | None = None) -> list[Cell]:
    """One participation type per plan × phase from the signals of the plan's units in that phase.

    ``confidence`` is the share of the weight that agrees with the chosen type. A cell whose units say who
    decided but not who took the initiative takes the plan's initiative (summed over its phases, half
    weight) when its phase is in ``inherit_initiative`` (default: every phase but the first and the last:
    knowledge gathering and evaluation are the plan's own tasks, not an activity's life)."""
    ev = _Evidence()
    for u in units:
        phase = phase_of.get(u.unit_id)
        if phase and u.role == "respondent":
            ev.add(u, phase, unit_signals(u, language))
    inherit = _inheriting_phases(list(dict.fromkeys(phase_of.values())), inherit_initiative)
    plan_ini: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (case, _), values in ev.ini.items():
        for k, v in values.items():
            plan_ini[case][k] += v
    cells = []
    for key, n in sorted(ev.n_units.items()):
        d, i = dict(ev.dec.get(key, {})), dict(ev.ini.get(key, {}))
        if not i and d and key[1] in inherit:  # initiative is often said once for the plan, in the idea phase
            i = {k: v * 0.5 for k, v in plan_ini.get(key[0], {}).items()}
        cells.append(_cell(key, n, d, i, ev.support[key], min_weight))
    return cells


@dataclass
class _Evidence:
    """Summed signal weights per (plan, phase): decision and initiative, and which units gave them."""

    dec: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    ini: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    support: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(float))))
    n_units: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, unit: MeaningUnit, phase: str, signals: list[Signal]) -> None:
        for case in unit_cases(unit):
            key = (case, phase)
            self.n_units[key] += 1
            for s in signals:
                (self.dec if s.axis == "dec" else self.ini)[key][s.value] += s.weight
                self.support[key][f"{s.axis}:{s.value}"][unit.unit_id] += s.weight


def _inheriting_phases(order: list[str], inherit_initiative: tuple[str, ...] | None) -> set[str]:
    """The phases whose cells may take the plan's initiative (default: all but the first and the last)."""
    if inherit_initiative is not None:
        return set(inherit_initiative)
    known = [p for p in PHASES_DA if p in order]
    return set(known[1:-1]) if known else set(order)


_AGREEING = {BB: ("dec:R", "ini:R"), BF: ("dec:J", "ini:R"), PF: ("dec:J", "ini:P"), PI: ("dec:P", "ini:P")}


def _cell(key: tuple[str, str], n: int, d: dict, i: dict, support: dict, min_weight: float) -> Cell:
    """One plan × phase decision: the type, its confidence (share of the weight that agrees with it) and
    its evidence units, strongest first."""
    total = sum(d.values()) + sum(i.values())
    kind = decide(d, i) if total >= min_weight else ""
    if not kind:
        return Cell(key[0], key[1], "", 0.0, _weights(d, i), [], n)
    ev: dict[str, float] = defaultdict(float)
    for a in _AGREEING[kind]:
        for uid, w in support.get(a, {}).items():
            ev[uid] += w
    share = sum(ev.values()) / total if total else 0.0
    ranked = sorted(ev, key=lambda uid: (-ev[uid], uid))
    return Cell(key[0], key[1], kind, round(min(1.0, share), 2), _weights(d, i), ranked, n)


def _weights(dec: dict, ini: dict) -> dict:
    out = {f"beslutning:{k}": round(v, 2) for k, v in sorted(dec.items())}
    out.update({f"initiativ:{k}": round(v, 2) for k, v in sorted(ini.items())})
    return out


PLAN_PHASE_COLUMNS = ["case", "phase", "phase_label", "participation", "participation_label", "confidence",
                      "n_units", "evidence_units", "weights"]


def phases_for(units: list[MeaningUnit], questions, codings, coder, phase_dimension: str = "fase") -> dict[str, str]:
    """unit id → phase: the guide section the interviewer opened; for a document without interviewer
    questions (notes), the unit's own phase coding."""
    phase_of = guide_sections(units, questions, coder, phase_dimension)
    asked = {q.transcript for q in questions or []}
    coded = {c.unit_id: c.theme for c in codings if c.dimension == phase_dimension}
    for u in units:
        if u.unit_id not in phase_of and u.transcript not in asked and u.unit_id in coded:
            phase_of[u.unit_id] = coded[u.unit_id]
    return phase_of


def plan_phase_frame(cells: list[Cell], codebook, phase_dimension: str = "fase",
                     participation_dimension: str = "deltagelse"):
    """The plan × phase decisions as a table (one row per plan and phase with units)."""
    import pandas as pd

    phases = codebook.dimension(phase_dimension)
    types = codebook.dimension(participation_dimension)
    order = {th.id: i for i, th in enumerate(phases.themes)}
    rows = []
    for c in sorted(cells, key=lambda c: (c.case, order.get(c.phase, 99))):
        if c.phase not in order:
            continue
        label = types.theme(c.type).label if c.type else ""
        rows.append({"case": c.case, "phase": c.phase, "phase_label": phases.theme(c.phase).label,
                     "participation": c.type, "participation_label": label, "confidence": c.confidence,
                     "n_units": c.n_units, "evidence_units": ";".join(c.evidence_units[:5]),
                     "weights": "; ".join(f"{k}={v}" for k, v in c.weights.items())})
    return pd.DataFrame(rows, columns=PLAN_PHASE_COLUMNS)


def plan_matrix_grid(frame, unit_matrix, codebook, language: str = "da", phase_dimension: str = "fase",
                     participation_dimension: str = "deltagelse"):
    """The study's figure: rows the participation types, columns the phases; each cell lists the plans
    whose dominant type it is (confidence in brackets) beside the number of units coded with both."""
    import pandas as pd

    from .i18n import column, number, t

    phases = codebook.dimension(phase_dimension).themes
    types = codebook.dimension(participation_dimension).themes
    units_in = {}
    if unit_matrix is not None and not unit_matrix.empty:
        for r in unit_matrix.itertuples(index=False):
            units_in[(getattr(r, phase_dimension), getattr(r, participation_dimension))] = r.n_units
    cells: dict = {}  # (phase, type) → the frame's rows, in its order (one pass, not a filter per cell)
    for r in frame.itertuples():
        cells.setdefault((r.phase, r.participation), []).append(r)
    rows = []
    for ty in list(types) + [None]:
        row = {column("participation", language): ty.label if ty else "– (" + t("not_discussed", language) + ")"}
        for ph in phases:
            sel = cells.get((ph.id, ty.id if ty else ""), [])
            plans = [f"{r.case} ({number(r.confidence, language, 1)})" if ty else r.case for r in sel]
            text = ", ".join(plans)
            if ty is not None:
                n = units_in.get((ph.id, ty.id), 0)
                text = (text + " · " if text else "") + f"{n} " + ("enh." if language == "da" else "u.")
            row[ph.label] = text
        rows.append(row)
    return pd.DataFrame(rows)
