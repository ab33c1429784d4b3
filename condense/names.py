"""``condense names``: propose the personal names and places of a corpus for the researcher to confirm.

Transcripts are full of names. The researcher decides what is a name and what replaces it (``pseudonyms.csv``);
this module only proposes, from five kinds of evidence, strongest first:

1. speaker labels that are names (``Mette:``, a legend ``Mette = informant``), not codes (``I``, ``R2``);
2. self-introductions and introductions: "jeg hedder …", "mit navn er …", "min kollega …", "hun/han hedder …",
   "my name is …", "my colleague …", "she's called …";
3. words written with a capital letter in the middle of a sentence that are never written in lower case in
   the corpus, or are not in the lexicon (simplemma's dictionary) — in Danish, common nouns are lower case,
   so these are mostly names, places and organisations;
4. the plans and place attributes of ``cases.csv`` (kommune, region, town …).

Proposals are written to a *candidate* file (``pseudonyms_candidates.csv``) in the format of
``pseudonyms.csv`` plus the evidence; nothing is applied until the researcher copies the confirmed lines into
``pseudonyms.csv``. An existing file is never overwritten without ``--force``.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CondenseError, Diagnostics, display_path
from .io import CSV_ENCODING, csv_text, write_file

__all__ = [
    "CANDIDATES_CSV", "COLUMNS", "PLACE_COLUMNS", "INTRODUCTIONS", "ORGANISATION", "PLACE_PREPOSITIONS", "NOT_NAMES",
    "Candidate", "propose", "capitalised_persons", "PSEUDONYM_WORD", "write_candidates", "propose_for_project"
]

CANDIDATES_CSV = "pseudonyms_candidates.csv"
COLUMNS = ["real", "pseudonym", "kind", "n", "evidence", "transcripts"]
PLACE_COLUMNS = re.compile(r"kommune|municipal|region|by$|city|town|place|sted|område|bydel|area|county|borough|adresse|address", re.I)

_NAME = r"(?P<name>[A-ZÆØÅ][\wæøåéü'\-]+(?:\s+[A-ZÆØÅ][\wæøåéü'\-]+){0,2})"
INTRODUCTIONS = {  # (evidence label, pattern)
    "da": [
        ("jeg hedder", rf"\bjeg\s+hedder\s+{_NAME}"), ("mit navn er", rf"\bmit\s+navn\s+er\s+{_NAME}"),
        ("min kollega", rf"\bmin\s+(?:kollega|kollegaer|chef|leder|makker),?\s+{_NAME}"),
        ("… hedder", rf"\b(?:hun|han|der|som)\s+hedder\s+{_NAME}"), ("… hedder jeg", rf"{_NAME}\s+hedder\s+jeg\b"),
    ],
    "en": [
        ("my name is", rf"\bmy\s+name\s+is\s+{_NAME}"), ("my name is", rf"\bmy\s+name['’]s\s+{_NAME}"),
        ("my colleague", rf"\bmy\s+(?:colleague|manager|boss|partner),?\s+{_NAME}"),
        ("… is called", rf"\b(?:she|he)(?:['’]s|\s+is)\s+called\s+{_NAME}"),
        ("I'm …", rf"\bI(?:['’]m|\s+am)\s+{_NAME}(?=\s*(?:,|\.|;|from\b|and\b|here\b|speaking\b))"),
    ],
}
ORGANISATION = re.compile(r"(?:fonden|fond|kommune|selskab|selskabet|forening|foreningen|centret|centeret|klub|klubben|skole|"
                          r"skolen|council|trust|ltd|association|centre|center|club|school)$", re.I)
PLACE_PREPOSITIONS = {"da": {"i", "på", "fra", "til", "ved", "omkring"}, "en": {"in", "at", "from", "to", "near", "around"}}
NOT_NAMES = {
    "da": {"jeg", "i", "de", "dem", "du", "vi", "han", "hun", "den", "det", "gud", "ok", "okay"},
    "en": {"i", "i'm", "i've", "i'd", "i'll", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
           "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "english", "danish", "british", "okay", "ok", "god", "mr", "mrs", "ms", "dr",
           "christmas", "easter", "ramadan", "eid", "muslim", "muslims", "christian", "jewish", "islamic", "arabic", "urdu",
           "somali", "sudanese", "syrian", "polish", "turkish", "kurdish", "african", "asian", "european", "scottish",
           "welsh", "irish", "english", "covid", "tv", "uk", "nhs"},
}
PLACE_PREPOSITIONS["en"] |= {"of", "across", "outside", "around", "near"}
PLACE_PREPOSITIONS["da"] |= {"udenfor", "nær", "rundt"}
_SENTENCE_END = re.compile(r"[.!?:;…\"“”»«(\[–-]\s*$")
_SENTENCE_END_CHARS = frozenset('.!?:;…"“”»«([–-')  # what _SENTENCE_END ends with, before spaces
_WORD = re.compile(r"[A-Za-zÆØÅæøåÉéÜü][\wæøåÆØÅéü'\-]*")
# The words of _WORD that start with a capital letter, and only those: a word of _WORD starts at the first of
# its letters in a run of word characters (\w, ' and -), and runs to the run's end; the pattern finds the
# runs whose first such letter is a capital, so the ~90% of words in lower case are passed over inside the
# regex engine rather than one by one in Python (what :func:`_from_capitals` reads, in the same order).
# The run before the first letter is a plain greedy repeat, not a possessive one (*+): CPython 3.11.0-3.11.4
# fail a possessive repeat of a group holding a lookahead (gh-100061, fixed in 3.11.5), so Debian 12's 3.11.2
# found no name at all here and quoted people by name. Its characters are no letter, so nothing is given back.
_CAPITALISED = re.compile(r"(?<![\w'\-])(?:(?![A-Za-zÆØÅæøåÉéÜü])[\w'\-])*([A-ZÆØÅÉÜ][\w'\-]*+)")


@dataclass
class Candidate:
    real: str
    kind: str = "person"
    n: int = 0
    evidence: Counter = field(default_factory=Counter)
    transcripts: set[str] = field(default_factory=set)
    strength: int = 0  # 3 label/introduction, 2 cases.csv, 1 capitalisation

    def row(self, pseudonym: str) -> dict:
        return {"real": self.real, "pseudonym": pseudonym, "kind": self.kind, "n": self.n,
                "evidence": "; ".join(f"{k} ({v}×)" if v > 1 else k for k, v in sorted(self.evidence.items())),
                "transcripts": ";".join(sorted(self.transcripts))}


def _known(word: str, language: str) -> bool:
    from .lexicon import is_known

    try:
        return is_known(word.lower(), language)
    except Exception:  # noqa: BLE001
        return False


def propose(corpus, *, language: str = "da", exclude: set[str] | None = None) -> list[Candidate]:
    """Likely names and places in a corpus (see the module's docstring), strongest evidence first."""
    found = _Found(language, {e.casefold() for e in (exclude or set())})
    lower_seen: set[str] = set()
    for t in corpus.transcripts:
        for turn in t.turns:
            lower_seen.update(w for w in _WORD.findall(turn.text) if w.islower())
    patterns = [(label, re.compile(p, re.I)) for label, p in
                INTRODUCTIONS.get(language, []) + (INTRODUCTIONS["en"] if language != "en" else [])]
    for t in corpus.transcripts:
        lang = t.language or language
        _from_labels(t, found)
        _from_legend(t, lang, found)
        for turn in t.turns:
            _from_introductions(turn.text, patterns, lang, lower_seen, t.id, found)
            _from_capitals(turn.text, lang, lower_seen, t.id, found)
    _from_cases(corpus.cases, found)
    return found.ranked()


class _Found:
    """The candidates found so far, by case-folded name; the strongest evidence decides the kind."""

    def __init__(self, language: str, exclude: set[str]):
        self.exclude = exclude
        self.stop = NOT_NAMES.get(language, set()) | NOT_NAMES["en"]
        self.candidates: dict[str, Candidate] = {}

    def add(self, name: str, kind: str, evidence: str, transcript: str = "", strength: int = 1, n: int = 1) -> None:
        name = " ".join(name.split()).strip("'’-")
        key = name.casefold()
        base = re.sub(r"(?:['’]s|s)$", "", key)  # Fridays, Wednesday's
        if len(name) < 2 or key in self.exclude or key in self.stop or base in self.stop:
            return
        c = self.candidates.setdefault(key, Candidate(name, kind))
        if strength > c.strength:
            c.kind, c.strength = kind, strength
        c.n += n
        c.evidence[evidence] += n
        if transcript:
            c.transcripts.add(transcript)

    def ranked(self) -> list[Candidate]:
        """Strongest evidence first; a genitive (Kajs, Fatma's) is the name's own form: counted with the name,
        not proposed on its own."""
        found = self.candidates
        for key in list(found):
            base = key[:-2] if key.endswith(("'s", "’s")) else key[:-1] if key.endswith("s") else None
            if base and base in found and key in found:
                c = found.pop(key)
                found[base].n += c.n
                found[base].evidence.update(c.evidence)
                found[base].transcripts |= c.transcripts
        return sorted(found.values(), key=lambda c: (-c.strength, -c.n, c.real.casefold()))


def _from_labels(t, found: _Found) -> None:
    """Speaker labels that are names (``Mette:``, ``Mette og Ole:``), not codes or role words."""
    from .ingest.turns import CODE_LABEL, is_role_label

    for label in t.speakers:
        for part in re.split(r"\s(?:og|and|&|\+)\s", label):
            part = part.strip()
            if part and not CODE_LABEL.match(part) and not is_role_label(part) and part[:1].isupper():
                found.add(part, "person", "speaker label", t.id, 3)


def _from_legend(t, lang: str, found: _Found) -> None:
    """Capitalised words of a speaker legend (``R = Mette, beboer``) that are neither role words nor known words."""
    from .ingest.turns import is_role_label

    for desc in (t.metadata.get("legend") or {}).values():
        for m in re.finditer(r"\b[A-ZÆØÅ][a-zæøå]+\b", desc):
            if not is_role_label(m.group(0)) and not _known(m.group(0), lang):
                found.add(m.group(0), "person", "speaker legend", t.id, 3)


def _from_introductions(text: str, patterns, lang: str, lower_seen: set[str], transcript: str, found: _Found) -> None:
    """"jeg hedder …", "my colleague …": the name that follows, without trailing ordinary words."""
    for label, pattern in patterns:
        for m in pattern.finditer(text):
            name = m.group("name")
            if not name[:1].isupper():
                continue
            words = [w for w in name.split() if w.casefold() not in NOT_NAMES.get(lang, set())]
            while words and _known(words[-1], lang) and words[-1] in lower_seen:
                words.pop()
            if words:
                found.add(" ".join(words), "person", f"“{label}”", transcript, 3)


def _from_capitals(text: str, lang: str, lower_seen: set[str], transcript: str, found: _Found) -> None:
    """Words capitalised mid-sentence that the corpus never writes in lower case or the lexicon does not know;
    a place after a place preposition, an organisation by its ending."""
    first = len(text) - len(text.lstrip())
    for m in _CAPITALISED.finditer(text):
        word, start = m.group(1), m.start(1)
        if word.isupper() or len(word) < 3 or any(c.isdigit() for c in word):  # "CO2", "Co2", "A4": no name
            continue
        if start <= first:
            continue
        # a window, not the whole prefix: linear in long turns; _SENTENCE_END is its last non-space character
        before = text[max(0, start - 40):start].rstrip()
        if before[-1:] in _SENTENCE_END_CHARS:
            continue
        if word.lower() in lower_seen and _known(word, lang):
            continue
        prev = before.split()
        prev = prev[-1].lower() if prev else ""
        kind = ("organisation" if ORGANISATION.search(word) else
                "place" if prev in PLACE_PREPOSITIONS.get(lang, set()) else "person")
        found.add(word, kind, "capitalised mid-sentence", transcript, 1)


def capitalised_persons(texts: list[str], language: str = "da") -> set[str]:
    """The words :func:`propose` would offer as persons from capitalisation alone: written with a capital in
    the middle of a sentence and never in lower case in ``texts`` or unknown to the lexicon (the lexicon knows
    common first names, so both count), not after a place preposition, not an organisation ("Karim", "Bent";
    also "Hyggeonsdag" or the "Statistik" of "Danmarks Statistik": proposals, not findings)."""
    found = _Found(language, set())
    # one scan of all texts (no word runs across the line break), each distinct word judged once
    lower_seen = {w for w in set(_WORD.findall("\n".join(texts))) if w.islower()}
    for text in texts:
        _from_capitals(text, language, lower_seen, "", found)
    return {c.real for c in found.candidates.values() if c.kind == "person"}


def _from_cases(cases: dict, found: _Found) -> None:
    """The plans of cases.csv and their place attributes (kommune, region, town …)."""
    for case_id, case in sorted(cases.items()):
        found.add(case_id, "place", "cases.csv: case", "", 2, 0)
        for column, value in case.attributes.items():
            if PLACE_COLUMNS.search(column) and value and any(ch.isalpha() for ch in value):
                found.add(value, "place", f"cases.csv: {column}", "", 2, 0)


PSEUDONYM_WORD = {"da": {"person": "Person", "place": "Sted", "organisation": "Organisation", "other": "Navn"},
                  "en": {"person": "Person", "place": "Place", "organisation": "Organisation", "other": "Name"}}


def write_candidates(candidates: list[Candidate], path: str | Path, *, language: str = "da", force: bool = False) -> Path:
    """Write the candidates with neutral proposed pseudonyms (Person 1, Sted 1 …). Never overwrites an
    existing file unless ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise CondenseError("E840", path=display_path(path))
    words = PSEUDONYM_WORD.get(language, PSEUDONYM_WORD["en"])
    counters: dict[str, int] = defaultdict(int)
    rows = []
    for c in candidates:  # a place from cases.csv or a transcript id may read as a formula (io.csv_text)
        counters[c.kind] += 1
        rows.append(c.row(f"{words.get(c.kind, words['other'])} {counters[c.kind]}"))
    # through the file layer: a folder that may not be written in is a coded error (its own temporary file ended
    # the command in a PermissionError traceback), and what a run killed outright left is removed next time
    return write_file(path, csv_text(COLUMNS, rows), encoding=CSV_ENCODING)


def propose_for_project(project, *, out: str | Path | None = None, force: bool = False, progress=None,
                        diagnostics: Diagnostics | None = None):
    """``condense names``: read a project's transcripts and cases, propose, write the candidate file.
    ``diagnostics`` gets what reading them warns of (W101 for a table saved as Windows-1252), as for a run.

    Returns (candidates, the file written, the project's pseudonyms.csv or None, the names it lists)."""
    from .ingest import ingest
    from .ingest.metadata import read_cases
    from .privacy import pseudonyms_file, read_pseudonyms
    from .project import project_inputs
    from .safety import refuse_output_file

    target = Path(out) if out is not None else (Path(project.path).parent if project.path else Path(".")) / CANDIDATES_CSV
    # never one of the files the project reads, --force or not: `--out transcripts/pseudonyms.csv --force` wrote the
    # candidates over the confirmed list of names, `--out transcripts/cases.csv --force` over the cases
    refuse_output_file(target, force=True, inputs=project_inputs(project), example=CANDIDATES_CSV,
                       read_folders=[Path(t) for t in project.transcripts if Path(t).is_dir()])
    corpus = ingest(project.transcripts, cases_file=project.cases, interviewer_labels=project.interviewer_labels,
                    language=project.language, progress=progress, diagnostics=diagnostics)
    if project.cases is not None and not corpus.cases and Path(project.cases).exists():
        corpus.cases = read_cases(Path(project.cases))  # ingest read it already and warned of what it found
    listed = pseudonyms_file(project)
    known = {p.real for p in read_pseudonyms(listed, diagnostics)} if listed else set()
    candidates = propose(corpus, language=project.language, exclude=known)
    write_candidates(candidates, target, language=project.language, force=force)
    return candidates, target, listed, known
