"""One localisation table for every header, label and number condense writes for people (da, en): the
report, the workbook, report.html and figures (``PAGE``, read through :func:`page_strings`).

``t(key, language)`` looks a label up; ``number(x, language)`` writes a number the way the language does
(Danish: 28.784 and 0,42; English: 28,784 and 0.42); ``count(n, noun, language)`` gets grammatical number
right ("1 enhed", "2 enheder"). ``localise_frame`` renames a table's machine column keys to the
language's headers for the workbook and the report. CSV files keep the machine keys as column names
(stable for scripts, documented in README); everything a reader sees in ``report.md`` and
``results.xlsx`` follows the codebook's language.
"""
from __future__ import annotations

import math
import re

__all__ = [
    "LANGUAGES", "LABELS", "COLUMNS", "SCOPES", "SHEETS", "t", "noun", "count", "number", "percent", "column",
    "sheet", "localise_frame", "ALLOW", "english_words", "VALUES", "QUOTE_MARKS", "quoted", "REVIEW_COLUMNS",
    "REVIEW_SUFFIXES", "REVIEW_WORDS", "review_word", "review_column", "weights", "value"
]

LANGUAGES = ("da", "en")

# key → (da, en)
LABELS: dict[str, tuple[str, str]] = {
    # report sections
    "title": ("Resultater", "Results"),
    "corpus": ("Materiale", "Material"),
    "coverage": ("Kodning", "Coding"),
    "step1": ("Trin 1 – nøgleord til læsningen", "Step 1 – key terms for reading"),
    "step1_note": ("Ord der adskiller interviewene: en hjælp til at læse, ikke et helhedsindtryk og ikke temaer. "
                   "Helhedsindtrykket får du kun ved at læse interviewene.",
                   "Words that set the interviews apart: an aid to reading, not a total impression and not themes. "
                   "The total impression comes only from reading the interviews."),
    "guide_note": ("Kodninger der kun hviler på, hvor svaret står i interviewet (den fase, spørgsmålet åbnede), "
                   "ikke på hvad det siger. Gennemgå dem først.",
                   "Codings that rest only on where the answer sits in the interview (the phase its question "
                   "opened), not on what it says. Review them first."),
    "corpus_terms": ("På tværs af alle interview", "Across all interviews"),
    "per_interview": ("Pr. interview", "Per interview"),
    "themes": ("Temaer og undertemaer", "Themes and sub-themes"),
    "themes_level1": ("Temaer (niveau 1)", "Themes (level 1)"),
    "matrix": ("Matrix", "Matrix"),
    "plan_matrix": ("Deltagelsestype pr. fase (én type pr. {case} og fase)",
                    "Participation type per phase (one type per {case} and phase)"),
    "plan_matrix_note": ("{each} {case} står i den celle, {its} dominerende deltagelsestype i fasen peger på "
                         "(sikkerhed i parentes); enheder = enheder med begge koder.",
                         "Each {case} stands in the cell its dominant participation type in the phase points to "
                         "(confidence in brackets); units = units coded with both."),
    "candidates": ("Kandidater til nye temaer", "Candidate themes"),
    "no_candidates": ("Ingen: de enheder, kodebogen ikke dækker, danner ingen tydelige grupper.",
                      "None: the units the codebook does not cover form no clear groups."),
    "more_candidates": ("*De {shown} bedste kandidater (efter stabilitet, særpræg, sammenhæng, ordenes sjældenhed, størrelse og "
                        "antal interview) står her og i candidates.yaml; {n} kandidater mere står, rangeret under dem, i "
                        "candidates.csv. `emergent: {{shortlist: N}}` i projektfilen viser flere.*",
                        "*The best {shown} candidates (by stability, distinctiveness, coherence, rarity of their words, size "
                        "and number of interviews) are shown here and in candidates.yaml; {n} more are listed, ranked below them, "
                        "in candidates.csv. `emergent: {{shortlist: N}}` in the project file shows more.*"),
    "draft_note": ("Kondensater, syntese og hovedfund mærket [UDKAST] er maskinens udkast; omskriv kondensater i "
                   "condensates.csv.",
                   "Condensates, synthesis and main findings marked [DRAFT] are machine drafts; rewrite condensates "
                   "in condensates.csv."),
    "review": ("Gennemgang", "Review"),
    "agreement": ("Overensstemmelse", "Agreement"),
    "agreement_intro": ("A = denne kørsels kodning, B = {b}; {n} enheder sammenlignet.",
                        "A = this run's codings, B = {b}; {n} units compared."),
    # condense agree's report.md (the statement of what was compared)
    "agree_this_run": ("denne kørsels kodning", "this run's codings"),
    "agree_head": ("A = {a}, B = {b}, {units} sammenlignet.", "A = {a}, B = {b}, {units} compared."),
    "agree_rows": (": rækker fra {sources}", ": rows from {sources}"),
    "agree_model_only": (" (modellens rækker kun i {dims}, som ikke har andre)",
                         " (model rows only in {dims}, which has no other)"),
    "agree_coders": ("; koder(e) {coders}", "; coder(s) {coders}"),
    "agree_compared": ("{units} i {transcripts} sammenlignet", "{units} in {transcripts} compared"),
    "agree_only_coded": (" (kun de enheder A kodede, pr. dimension)", " (only the units A coded, per dimension)"),
    "agree_every_unit": (" (hver enhed en af filerne nævner, i de transskriptioner begge dækker)",
                         " (every unit either file names, within the transcripts both cover)"),
    "agree_dimensions": ("; dimensioner: {dims}", "; dimensions: {dims}"),
    "agree_per_theme": ("Pr. tema (ukodet som ingen)", "Per theme (uncoded as none)"),
    "agree_per_transcript": ("Enheder kodet forskelligt pr. transskription og dimension",
                             "Units coded differently per transcript and dimension"),
    "agree_sets": ("i {dims} har enheder flere temaer: dimensionens κ sammenligner hele sæt af temaer (enige kun når "
                   "sættene er ens); temaernes egne tal står pr. tema",
                   "in {dims} units carry several themes: the dimension's κ compares whole sets of themes (agreeing only "
                   "where the sets are the same); each theme's own figures are per theme"),
    "agree_units_need_study": ("Hvilke enheder A og B koder forskelligt (disagreements.csv) skrives kun, når studiet er "
                               "kendt (--project), så ingen anonym respondents rigtige id skrives.",
                               "Which units A and B code differently (disagreements.csv) is written only when the study "
                               "is known (--project), so that no anonymous respondent's real id is written."),
    "agree_none": ("ingen", "none"),  # disagreements.csv: a side that gave the unit no theme of the dimension
    "agree_title": ("Overensstemmelse mellem {a} (A) og {b} (B): {units}", "Agreement of {a} (A) with {b} (B): {units}"),
    "agree_written": ("Tal pr. tema og forvekslingstabeller → {folder}", "Per theme and confusion tables → {folder}"),
    "agree_units_file": ("disagreements.csv viser de {n}, hvor A og B koder forskelligt, med hver sides temaer.",
                         "disagreements.csv lists the {n} where A and B code differently, with the themes of each."),
    "synthesis": ("Syntese", "Synthesis"),
    "main_findings": ("Hovedfund", "Main findings"),
    "draft": ("[UDKAST]", "[DRAFT]"),
    # labels
    "dimension": ("Dimension", "Dimension"),
    "theme": ("Tema", "Theme"),
    "subtheme": ("Undertema", "Sub-theme"),
    "quant": ("Udbredelse", "Quantifier"),
    "condensate": ("Kondensat", "Condensate"),
    "quote": ("Illustrativt citat", "Golden quote"),
    "runner_up": ("Alternativt citat", "Runner-up quote"),
    "interview": ("Interview", "Interview"),
    "terms": ("Nøgleord", "Key terms"),
    "of": ("af", "of"),
    "applied": ("anvendt", "applied"),
    "researcher": ("skrevet af forskeren", "written by the researcher"),
    "withdrawn": ("tilbagetrukne passager udeladt", "withdrawn passages left out"),
    "withdrawn1": ("tilbagetrukket passage udeladt", "withdrawn passage left out"),
    "not_discussed": ("ikke drøftet", "not discussed"),
    "coded_units": ("kodede enheder", "coded units"),
    "guide_only": ("kun ud fra interviewguiden", "from the interview guide only"),
    "left_out": ("_{dimension}: {units} matchede flere temaer, end `top_k: {k}` beholder; {themes} blev udeladt og står i "
                 "belægget (»udeladt (top_k: {k}): …«). Hæv `top_k` for dimensionen i kodebogen for at kode dem._",
                 "_{dimension}: {units} matched more themes than `top_k: {k}` keeps; the evidence names the {themes} left "
                 "out (“left out (top_k: {k}): …”). Raise `top_k` for the dimension in the codebook to code them._"),
    "all": ("(alle)", "(all)"),
    # a proposal by shared words ("Forslag: tirsdag, torsdag") as what it is: the words that mark a group, not an idea
    "proposed_word": ("gruppe kendetegnet ved ordet {words}", "group characterised by the word {words}"),
    "proposed_words": ("gruppe kendetegnet ved ordene {words}", "group characterised by the words {words}"),
    # ... by one phrase of two words or more ("»solen skinner«"): a phrase, not "ordet"
    "proposed_phrase": ("gruppe kendetegnet ved udtrykket {words}", "group characterised by the phrase {words}"),
    "and": ("og", "and"),
    # nouns: singular|plural|definite plural|the word for "one" before it (quantifier phrases need all four)
    "noun.unit": ("enhed|enheder|enhederne|én", "unit|units|the units|one"),
    "noun.meaning_unit": ("meningsbærende enhed|meningsbærende enheder|de meningsbærende enheder|én",
                          "meaning unit|meaning units|the meaning units|one"),
    "noun.interview": ("interview|interview|interviewene|ét", "interview|interviews|the interviews|one"),
    "noun.case": ("tilfælde|tilfælde|tilfældene|ét", "case|cases|the cases|one"),
    "noun.respondent": ("respondent|respondenter|respondenterne|én", "respondent|respondents|the respondents|one"),
    "noun.word": ("ord|ord|ordene|ét", "word|words|the words|one"),
    # "1 beslutninger anvendt; 1 forældreløse beslutninger" stood in a review of one decision
    "noun.decision": ("beslutning|beslutninger|beslutningerne|én", "decision|decisions|the decisions|one"),
    "noun.orphan": ("forældreløs beslutning|forældreløse beslutninger|de forældreløse beslutninger|én",
                    "orphaned decision|orphaned decisions|the orphaned decisions|one"),
    "noun.transcript": ("transskription|transskriptioner|transskriptionerne|én", "transcript|transcripts|the transcripts|one"),
    "noun.theme": ("tema|temaer|temaerne|ét", "theme|themes|the themes|one"),
    # quantifiers (METHOD.md §1)
    "q.all": ("samtlige", "all"),
    "q.almost_all": ("langt de fleste", "almost all"),
    "q.most": ("de fleste", "most"),
    "q.half": ("halvdelen", "half"),
    "q.several": ("flere", "several"),
    "q.some": ("nogle", "some"),
    "q.a_few": ("enkelte", "a few"),
    "q.one": ("en enkelt", "one"),
    "q.none": ("ingen", "none"),
}

# machine column key → (da, en) header, for the workbook and the report
COLUMNS: dict[str, tuple[str, str]] = {
    "dimension": ("dimension", "dimension"), "theme": ("tema", "theme"), "theme_label": ("temanavn", "theme label"),
    "subtheme": ("undertema", "sub-theme"), "subtheme_label": ("undertemanavn", "sub-theme label"),
    "origin": ("oprindelse", "origin"), "n_units": ("enheder", "units"), "n_interviews": ("interview", "interviews"),
    "n_cases": ("tilfælde", "cases"), "n_mentions": ("forekomster", "mentions"), "level": ("niveau", "level"),
    "share": ("andel", "share"), "quantifier": ("udbredelse", "quantifier"),
    "condensate": ("kondensat", "condensate"), "golden_quote": ("illustrativt citat", "golden quote"),
    "golden_unit_id": ("citatets enhed", "quote unit"), "quote_start": ("citat start", "quote start"),
    "quote_end": ("citat slut", "quote end"), "quote_source": ("citatets kilde", "quote source"),
    "runner_up_unit_id": ("alternativt citats enhed", "runner-up unit"),
    "runner_up_quote": ("alternativt citat", "runner-up quote"), "unit_ids": ("enheder (id)", "unit ids"),
    "unit_id": ("enhed (id)", "unit id"), "fingerprint": ("fingeraftryk", "fingerprint"),
    "transcript": ("transskription", "transcript"), "turn": ("tur", "turn"), "position": ("placering", "position"),
    "speaker": ("taler", "speaker"), "role": ("rolle", "role"), "start": ("start", "start"), "end": ("slut", "end"),
    "timestamp": ("tidsstempel", "timestamp"), "n_words": ("ord", "words"), "text": ("tekst", "text"),
    "question": ("spørgsmål", "question"), "cases": ("tilfælde", "cases"), "anonymous": ("anonym", "anonymous"),
    "score": ("score", "score"), "evidence": ("belæg", "evidence"), "source": ("kilde", "source"),
    "coder": ("koder", "coder"), "probability": ("sandsynlighed", "probability"),
    "example_unit_ids": ("eksempler (enheder)", "example units"),
    "dimension_a": ("dimension A", "dimension A"), "theme_a": ("tema A", "theme A"),
    "dimension_b": ("dimension B", "dimension B"), "theme_b": ("tema B", "theme B"),
    "scope": ("omfang", "scope"), "cohen_kappa": ("Cohens κ", "Cohen's κ"),
    "krippendorff_alpha": ("Krippendorffs α", "Krippendorff's α"),
    "percent_agreement": ("enighed", "agreement"), "n_a": ("kodet af A", "coded by A"),
    "n_b": ("kodet af B", "coded by B"), "n_both": ("kodet af begge", "coded by both"), "precision": ("præcision", "precision"),
    "recall": ("genfinding", "recall"), "f1": ("F1", "F1"),
    "id": ("id", "id"), "terms": ("nøgleord", "key terms"), "size": ("størrelse", "size"), "label": ("navn", "label"),
    "case": ("tilfælde", "case"), "phase": ("fase", "phase"), "participation": ("deltagelsestype", "participation type"),
    "confidence": ("sikkerhed", "confidence"), "evidence_units": ("belæg (enheder)", "evidence units"),
    "weights": ("vægte", "weights"), "plans": ("tilfælde", "cases"), "phase_label": ("fasenavn", "phase label"),
    "participation_label": ("deltagelsestypens navn", "participation label"), "candidate": ("kandidat", "candidate"),
    "interviews": ("interview (id)", "interview ids"), "representative_unit_ids": ("typiske enheder", "representative units"),
    "n_also_coded": ("også i kodede enheder", "also in coded units"),
    "also_coded_unit_ids": ("kodede enheder med dens ord", "coded units with its words"),
    "coherence": ("sammenhæng", "coherence"), "distinctiveness": ("særpræg", "distinctiveness"),
    "stability": ("stabilitet", "stability"),
    "action": ("handling", "action"),
    "fase": ("fase", "phase"), "fase_label": ("fasenavn", "phase label"), "deltagelse": ("deltagelsestype", "participation type"),
    # as the participation-per-phase sheet names the same two columns ("deltagelsestype" held labels in the matrix
    # sheet and ids in that one)
    "deltagelse_label": ("deltagelsestypens navn", "participation label"), "tema": ("tema", "theme"),
    "decision": ("beslutning", "decision"), "file": ("fil", "file"), "line": ("linje", "line"),
    "note": ("note", "note"), "kind": ("art", "kind"), "transcripts": ("transskriptioner", "transcripts"),
}

# report.html and figures/: key → (da, en)
PAGE: dict[str, tuple[str, str]] = {
    "title": ("Rapport", "Report"),
    "contents": ("Indhold", "Contents"),
    "material": ("Materiale og dækning", "Material and coverage"),
    "interviews": ("interview", "interviews"),
    "cases": ("tilfælde", "cases"),
    "words": ("ord", "words"),
    "units": ("meningsbærende enheder", "meaning units"),
    "coded_share": ("Kodede enheder pr. dimension", "Coded units per dimension"),
    "dimension": ("Dimension", "Dimension"),
    "coded": ("kodede enheder", "coded units"),
    "consent": ("Samtykke", "Consent"),
    "withdrawn_none": ("Ingen passager er trukket tilbage.", "No passage was withdrawn."),
    "withdrawn_n": ("{n} tilbagetrukne passager er udeladt af alt, hvad rapporten viser.",
                    "{n} withdrawn passages are left out of everything this report shows."),
    "withdrawn_1": ("1 tilbagetrukket passage er udeladt af alt, hvad rapporten viser.",
                    "1 withdrawn passage is left out of everything this report shows."),
    "anonymous_none": ("Ingen informanter er anonyme.", "No respondent is anonymous."),
    "anonymous_n": ("{n} interview har anonyme informanter: deres enheder vises uden taler og tilfælde.",
                    "{n} interviews have anonymous respondents: their units show no speaker and no case."),
    "anonymous_1": ("1 interview har anonyme informanter: dets enheder vises uden taler og tilfælde.",
                    "1 interview has anonymous respondents: its units show no speaker and no case."),
    "review": ("Gennemgang: {applied} anvendt, {orphaned}.", "Review: {applied} applied, {orphaned}."),
    "themes": ("Temaer og undertemaer", "Themes and sub-themes"),
    "theme": ("Tema", "Theme"),
    "subtheme": ("Undertema", "Sub-theme"),
    "n_units": ("Enheder", "Units"),
    "n_interviews": ("Interview", "Interviews"),
    "n_cases": ("Tilfælde", "Cases"),
    "quantifier": ("Udbredelse", "Quantifier"),
    "spread": ("{quantifier} ({n} af {total} {over})", "{quantifier} ({n} of {total} {over})"),
    "over_interviews": ("interview", "interviews"),
    "over_cases": ("tilfælde", "cases"),
    "condensate": ("Kondensat", "Condensate"),
    "quote": ("Illustrativt citat", "Golden quote"),
    "draft_note": ("Kondensater mærket [UDKAST] er maskinens udkast; omskriv dem i condensates.csv.",
                   "Condensates marked [DRAFT] are machine drafts; rewrite them in condensates.csv."),
    "matrix": ("Matrix", "Matrix"),
    "matrix_note": ("Hver celle viser antal enheder og de tilfælde (planer), de kommer fra. Klik for enhederne.",
                    "Each cell shows the number of units and the cases (plans) they come from. Click for the units."),
    "theme_case": ("Tema × tilfælde", "Theme × case"),
    "theme_case_note": ("Antal enheder pr. tema og tilfælde; anonyme informanters enheder står under »anonym«.",
                        "Units per theme and case; anonymous respondents' units are counted under “anonymous”."),
    "anonymous": ("anonym", "anonymous"),
    "candidates": ("Kandidater til nye temaer", "Candidate themes"),
    "no_candidates": ("Ingen: de enheder, kodebogen ikke dækker, danner ingen tydelige grupper.",
                      "None: the units the codebook does not cover form no clear groups."),
    "candidate": ("Kandidat", "Candidate"),
    "terms": ("Nøgleord", "Key terms"),
    "agreement": ("Overensstemmelse med referencekodningen", "Agreement with the reference coding"),
    "unit_browser": ("Enheder", "Units"),
    "unit_browser_note": ("Vælg et tal, en celle eller et citat ovenfor, eller filtrér her.",
                          "Choose a count, a cell or a quote above, or filter here."),
    "filter_theme": ("Tema", "Theme"),
    "filter_case": ("Tilfælde", "Case"),
    "filter_speaker": ("Taler", "Speaker"),
    "filter_all": ("(alle)", "(all)"),
    "filter_text": ("Søg i teksten", "Search the text"),
    "showing": ("Viser {shown} af {n} enheder", "Showing {shown} of {n} units"),
    "showing_1": ("Viser 1 af 1 enhed", "Showing 1 of 1 unit"),  # a list of one unit said "1 af 1 enheder"
    "show_more": ("Vis flere", "Show more"),
    "list_all": ("Alle enheder", "All units"),
    "unit": ("Enhed", "Unit"),
    "speaker": ("Taler", "Speaker"),
    "case": ("Tilfælde", "Case"),
    "transcript": ("Interview", "Interview"),
    "question": ("Interviewerens spørgsmål", "The interviewer's question"),
    "no_question": ("(intet spørgsmål før denne tur)", "(no question before this turn)"),
    "context": ("Enheden i sin sammenhæng", "The unit in its context"),
    "codes": ("Koder", "Codes"),
    "close": ("Luk", "Close"),
    "back": ("Tilbage til listen", "Back to the list"),
    "no_units": ("Ingen enheder.", "No units."),
    "units_of": ("enheder", "units"),
    "unit_of": ("enhed", "unit"),  # "1 enhed": the page wrote "1 enheder"
    "figure_matrix": ("Enheder pr. celle", "Units per cell"),
    "figure_prevalence": ("Udbredelse af temaer", "Theme prevalence"),
    "figure_prevalence_x": ("Antal {over} med temaet (af {total})", "Number of {over} with the theme (of {total})"),
    "figure_theme_case": ("Enheder pr. tema og tilfælde", "Units per theme and case"),
    "figure_most": (" (de {n} mest udbredte af {total})", " (the {n} most widespread of {total})"),
    "figure_most_rows": ("de {n} største af {total} rækker", "the {n} largest of {total} rows"),
    "figure_most_cols": ("de {n} største af {total} kolonner", "the {n} largest of {total} columns"),
    "generated": ("Lavet af condense {version}. Filen er selvstændig: den henter intet fra nettet.",
                  "Made by condense {version}. The file is self-contained: it fetches nothing from the network."),
    "skip": ("Spring til indhold", "Skip to content"),
    "js_needed": ("Enhedsvisningen kræver JavaScript; tabellerne kan læses uden.",
                  "The unit view needs JavaScript; the tables can be read without it."),
}

SCOPES = {"uncoded_as_none": ("ukodet som ingen", "uncoded as none"), "named_only": ("kun navngivne", "named only"), "both_coded": ("begge kodet", "both coded"),
          "coded_by_both": ("begge kodet", "coded by both")}

# The values of a few machine columns, as a reader of the workbook sees them (the CSV files keep the machine word
# that scripts and condense itself read): a coding's source, a theme's origin, a review decision's action.
VALUES = {
    "source": {"rule": ("regel", "rule"), "model": ("model", "model"), "human": ("manuel", "human")},
    "origin": {"predefined": ("foruddefineret", "predefined"), "emergent": ("emergent", "emergent")},
    "action": {"accept": ("godkendt", "accept"), "reject": ("afvist", "reject"), "add": ("tilføjet", "add")},
}

SHEETS = {
    "units": ("enheder", "units"), "codings": ("kodninger", "codings"), "segments": ("segmenter", "segments"),
    "themes": ("temaer", "themes"), "cooccurrence": ("samforekomst", "co-occurrence"),
    "candidates": ("kandidater", "candidates"), "orphaned_decisions": ("forældreløse beslutninger", "orphaned decisions"),
    "agreement": ("overensstemmelse", "agreement"), "plan_phase": ("deltagelse pr. fase", "participation per phase"),
}


# The review sheet (`condense review export`), in the study's language. The English side is the machine key the
# sheet always had, so a sheet exported by an earlier version, or filled in English, imports unchanged;
# ``review import`` reads both sides of every entry (condense.review.sheet_columns).
REVIEW_COLUMNS: dict[str, tuple[str, str]] = {
    "unit_id": ("enhed (id)", "unit_id"), "fingerprint": ("fingeraftryk", "fingerprint"),
    "transcript": ("transskription", "transcript"), "cases": ("tilfælde", "cases"),
    "question": ("spørgsmål", "question"), "text": ("tekst", "text"), "coder": ("koder", "coder"),
    "note": ("note", "note"), "uncertainty": ("usikkerhed", "uncertainty"),
}
# what follows a dimension's id in its columns: ``tema_beslutning`` / ``tema_decision``
REVIEW_SUFFIXES: dict[str, tuple[str, str]] = {
    "_suggested": ("_forslag", "_suggested"), "_label": ("_navn", "_label"), "_evidence": ("_belæg", "_evidence"),
    "_decision": ("_beslutning", "_decision"), "_add": ("_tilføj", "_add"),
}
# the words of the sheet's drop-down lists and its messages
REVIEW_WORDS: dict[str, tuple[str, str]] = {
    "sheet": ("gennemgang", "review"), "lists": ("lister", "lists"), "decision": ("beslutning", "decision"),
    "accept": ("godkend", "accept"), "reject": ("afvis", "reject"), "none": ("(ingen)", "(none)"),
    "decision_error": ("Skriv godkend eller afvis (eller lad feltet stå tomt).",
                       "Write accept or reject (or leave empty)."),
    "theme_error": ("Vælg et tema-id for '{dimension}' fra listen.", "Choose a theme id of '{dimension}' from the list."),
}


def review_column(key: str, language: str | None = "da") -> str:
    """A review sheet's header for a machine key of :data:`REVIEW_COLUMNS`, or for a dimension's column suffix of
    :data:`REVIEW_SUFFIXES` ("_decision" → "_beslutning"), in the language."""
    return (REVIEW_COLUMNS.get(key) or REVIEW_SUFFIXES[key])[_lang(language)]


def review_word(key: str, language: str | None = "da", **fmt) -> str:
    """A word of the review sheet in the language (English for any language without its own column)."""
    text = REVIEW_WORDS[key][_lang(language)]
    return text.format(**fmt) if fmt else text


def page_strings(language: str | None) -> dict[str, str]:
    """The words of report.html and figures/ in the language (English for any language without its own)."""
    column = _lang(language)
    return {key: pair[column] for key, pair in PAGE.items()}


def _lang(language: str | None) -> int:
    return 0 if language == "da" else 1


def t(key: str, language: str | None = "da", **fmt) -> str:
    """The label for ``key`` in ``language`` (English for any language without its own column)."""
    text = LABELS[key][_lang(language)]
    return text.format(**fmt) if fmt else text


def noun(key: str, n: int, language: str | None = "da") -> str:
    singular, plural = noun_forms(key, language)[:2]
    return singular if n == 1 else plural


def noun_forms(key: str, language: str | None = "da") -> tuple[str, str, str, str]:
    """(singular, plural, definite plural, "one") of a noun of the table: ("enhed", "enheder", "enhederne", "én")."""
    singular, plural, definite, one = t(f"noun.{key}", language).split("|")
    return singular, plural, definite, one


def count(n: int, key: str, language: str | None = "da") -> str:
    """ "1 enhed", "2 enheder", "28.784 ord"."""
    return f"{number(n, language)} {noun(key, n, language)}"


def number(x, language: str | None = "da", decimals: int | None = None) -> str:
    """A number as the language writes it: 28.784 / 0,42 in Danish; 28,784 / 0.42 in English."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int) or (decimals is None and float(x).is_integer() and not isinstance(x, float)):
        text = f"{int(x):,}"
    else:
        text = f"{float(x):,.{2 if decimals is None else decimals}f}"
    if language == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


QUOTE_MARKS = {"da": ("»", "«"), "en": ("“", "”")}


def quoted(text: str, language: str | None = "da") -> str:
    """A quotation in the marks of the study's language: »…« in Danish, “…” in English (an English report set its
    golden quotes in Danish guillemets, beside its synthesis's “…”)."""
    open_, close = QUOTE_MARKS["da" if language == "da" else "en"]
    return f"{open_}{text}{close}"


def percent(x: float, language: str | None = "da") -> str:
    return f"{number(round(100 * x), language)} %" if language == "da" else f"{round(100 * x)}%"


def column(key: str, language: str | None = "da") -> str:
    entry = COLUMNS.get(key)
    return entry[_lang(language)] if entry else key


def sheet(name: str, language: str | None = "da") -> str:
    for prefix in ("matrix_", "grid_", "crosstab_"):
        if name.startswith(prefix):
            rest = name[len(prefix):].replace("_x_", " × ")
            word = {"matrix_": ("matrix", "matrix"), "grid_": ("tabel", "grid"),
                    "crosstab_": ("krydstabel", "crosstab")}[prefix][_lang(language)]
            return f"{word} {rest}"
    entry = SHEETS.get(name)
    return entry[_lang(language)] if entry else name


_EVIDENCE_DA = ((re.compile(r"(?<![\w])unit: "), "enhed: "), (re.compile(r"(?<![\w])question: "), "spørgsmål: "),
                (re.compile(r"\(turn (\d+)\)"), r"(tur \1)"), (re.compile(r"^human\b"), "manuel"),
                (re.compile(r"(?<![\w])left out \(top_k: "), "udeladt (top_k: "))


_WEIGHT = re.compile(r"\b(beslutning|initiativ):(\w+)=(-?\d+)(?:\.(\d+))?")
_WEIGHT_EN = {"beslutning": "decision", "initiativ": "initiative"}


def weights(text: str, language: str | None = "da") -> str:
    """A plan × phase cell's weights as a reader of the workbook sees them: "beslutning:J=1,2" in Danish (a decimal
    comma in a text cell), "decision:J=1.2; initiative:R=0.5" in English (the Danish keys stood in an English
    workbook); plan_phase.csv keeps the machine form."""
    da = language == "da"

    def one(m) -> str:
        key = m[1] if da else _WEIGHT_EN[m[1]]
        return f"{key}:{m[2]}={m[3]}" + (f"{',' if da else '.'}{m[4]}" if m[4] else "")

    return _WEIGHT.sub(one, text)


def evidence(text: str, language: str | None = "da") -> str:
    """A coding's evidence as a reader sees it ("enhed: …; guide: fase (tur 14)"); the CSV keeps the
    machine form ("unit: …; guide: fase (turn 14)") that scripts and condense itself read."""
    if language != "da":
        return text
    for pattern, replacement in _EVIDENCE_DA:
        text = pattern.sub(replacement, text)
    return text


def value(column: str, word, language: str | None = "da"):
    """A machine word of ``column`` as a reader sees it: an agreement scope ("uncoded_as_none"), a coding's source
    ("rule" → "regel"), a theme's origin, a decision's action; any other value as it is."""
    table = {"scope": SCOPES, **VALUES}.get(column, {})
    return table[word][_lang(language)] if word in table else word


def localise_frame(df, language: str | None = "da"):
    """A copy of a table with headers in the language and text values that are labels translated
    (agreement scopes, booleans, a coding's source, a theme's origin, a decision's action: "rule" and
    "predefined" stood in a Danish workbook); numbers stay numbers (the workbook's cells format them)."""
    out = df.copy()
    for col in ("scope", *VALUES):
        if col in out.columns:
            out[col] = out[col].map(lambda v, col=col: value(col, v, language))
    if "evidence" in out.columns and language == "da":
        out["evidence"] = out["evidence"].map(lambda v: evidence(v, language) if isinstance(v, str) else v)
    if "weights" in out.columns:
        out["weights"] = out["weights"].map(lambda v: weights(v, language) if isinstance(v, str) else v)
    for col in out.columns:
        if out[col].dtype == bool:
            out[col] = out[col].map(lambda v: ("ja" if v else "nej") if language == "da" else ("yes" if v else "no"))
    out.columns = [column(str(c), language) for c in out.columns]
    return out


# Words of the English side of the table and everyday English function words; a Danish output holding one
# of them outside a name, an id or code has an untranslated label. Words both languages share are allowed.
_EN_COMMON = {"the", "of", "and", "to", "in", "is", "are", "this", "that", "with", "for", "from", "by", "on", "not",
              "none", "all", "most", "several", "some", "few", "one", "half", "units", "cases", "words", "themes",
              "theme", "results", "coding", "coded", "agreement", "precision", "recall", "share", "quote", "source",
              "review", "decisions", "applied", "orphaned", "compared", "run", "draft", "synthesis", "findings",
              "participation", "phase", "type", "confidence", "evidence", "label", "origin", "quantifier", "scope",
              "named", "only", "uncoded", "as", "text", "question", "speaker", "transcript", "candidates", "terms",
              "key", "total", "impression", "step", "per", "across", "other", "proposed", "yes", "no", "true",
              "false", "of"}
ALLOW = {"κ", "α", "f1", "id", "ids", "csv", "xlsx", "md", "refi", "qdpx", "udkast", "draft",
         # English spellings that are also everyday Danish words
         "for", "to", "is", "end", "by", "under", "hold", "man", "hver", "glad", "bare", "tale", "sent", "fast", "før",
         "set", "form", "an", "guide", "have", "be", "interviewer", "respondent", "over", "total", "version", "top"}


def _english_vocabulary() -> set[str]:
    import re

    en, da = set(_EN_COMMON), set()
    for table in (LABELS, COLUMNS, SHEETS, SCOPES, PAGE):
        for d, e in table.values():
            # a placeholder ("{units}") is no word of either language: it made "units" a Danish one, and a Danish
            # text's "units" unseen; and "{folder}" made the Danish "folder" (a leaflet) an English word
            en.update(w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"\{\w*\}", " ", e)))
            da.update(w.lower() for w in re.findall(r"\w+", re.sub(r"\{\w*\}", " ", d)))
    for values in VALUES.values():
        en.update(e.lower() for _, e in values.values())
        da.update(d.lower() for d, _ in values.values())
    return {w for w in en if w not in da and w not in ALLOW and len(w) > 1}


def english_words(text: str) -> set[str]:
    """English words in a Danish output, outside code spans (`…`), placeholders ({n}) and ids (words with _ : / or
    digits)."""
    import re

    vocabulary = _english_vocabulary()
    text = re.sub(r"`[^`]*`|\{\w*\}", " ", text)  # code spans, and a template's placeholders ("{shown}")
    found = set()
    for token in re.findall(r"[\w:/.-]+", text):
        if re.search(r"[_:/\d]", token) or re.search(r"\w\.(?:csv|xlsx|md|yaml|html|json|qdpx)\b", token):
            continue  # ids and file names
        for w in re.findall(r"[A-Za-z]+", token):
            if w.lower() in vocabulary:
                found.add(w.lower())
    return found
