"""Anonymity and pseudonyms in every output; the quote-safety predicate.

Three promises, kept between segmentation and everything after it (coding, key terms, tables, exports):

* **Anonymous respondents** (``anonymous: true``, or a list of speaker labels) get a neutral public id
  (``anonym-01``, …) in every output — unit ids included. Their units carry no case, no speaker label, and
  their words and the questions put to them lose the plan's name, its attributes (kommune, region …),
  the transcript id and the respondent's own name (speaker label, "jeg hedder …"), each replaced by
  ``[anonymiseret]``. The plan names of anonymous interviews and their respondents' names are removed from every
  other unit too (another respondent mentioning the plan would place the anonymous quotes; naming the respondent
  would identify them). The mapping stays in the project's input
  files: review decisions, condensates and reference codings keyed by the real ids are translated on reading.
* **Pseudonyms**: a per-project ``pseudonyms.csv`` (``real, pseudonym, kind``) replaces each real name in
  every output text, case-insensitively and in inflected forms (``Fatmas`` → ``Leilas``, ``Kildebakkens``).
  Names (real or pseudonym) are never key terms.
* **Quote safety**: :func:`quote_safe` is false for a self-introduction, a unit naming a listed person, and
  an anonymous respondent's unit that mentions a place or plan. Golden quotes, condensate drafts and
  candidate examples are chosen among quote-safe units only.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path

from .errors import CondenseError, Diagnostics, display_path
from .model import NOTES_SPEAKER, MeaningUnit, fingerprint, make_unit_id, parse_unit_id

__all__ = [
    "PSEUDONYMS_CSV", "KINDS", "PLACEHOLDER", "PUBLIC_PREFIX", "SUFFIX", "GENITIVE", "SELF_INTRO", "Pseudonym", "read_pseudonyms",
    "name_pattern", "Privacy", "pseudonymise_result", "introduced_names", "quote_safe", "pseudonyms_file",
    "apply_privacy", "privacy_of", "active_privacy", "OffsetMap", "name_key"
]

PSEUDONYMS_CSV = "pseudonyms.csv"
KINDS = ("person", "place", "organisation", "organization", "other")
PLACEHOLDER = {"da": "[anonymiseret]", "en": "[anonymised]"}
PUBLIC_PREFIX = "anonym-"
# Danish genitive and definite forms, English possessive: Fatmas, Fatma's, Kildebakkens, Vollsmosen …
SUFFIX = r"(?:['’]s|s|en|ens|et|ets|n|ns|ne|nes|e|es|erne|ernes)?"
# A two-letter name's inflection: its genitive only ("Ibs", "Bo's"), since "Iben" and "Boe" are names of their own
GENITIVE = r"(?:['’]s|s)?"

SELF_INTRO = re.compile(
    r"\b(?:jeg\s+hedder|hedder\s+jeg|mit\s+navn\s+er|mit\s+navn\s+det\s+er|my\s+name\s+is|my\s+name['’]s|"
    r"i\s+am\s+called|i['’]m\s+called|call\s+me|kalder\s+mig|kaldte\s+mig|kald\s+mig|jeg\s+(?:bliver\s+)?kald(?:es|t))\b",
    re.I)
_PLACEHOLDER_WORDS = {"anonymiseret", "anonymised", "anonymized"}
_PLACEHOLDER_RE = re.compile(r"\[(?:anonymiseret|anonymised|anonymized)\]", re.I)


@dataclass(frozen=True)
class Pseudonym:
    real: str
    pseudonym: str
    kind: str = "person"
    line: int = 0


# A pseudonym is written into csv, markdown, yaml, html and xlsx text as it is: no separators, quotes or
# markup, and no sign a spreadsheet would read as the start of a formula.
_PSEUDONYM_OK = re.compile(r"[^\W_][\w .'’()\[\]&-]*")


def read_pseudonyms(path: str | Path, diagnostics: Diagnostics | None = None) -> list[Pseudonym]:
    """Read ``pseudonyms.csv``: every problem is a coded error naming the line (E820/E821). ``diagnostics``
    gets what reading the table warns of, as for every other file a run reads (W101: saved as Windows-1252)."""
    from .ingest.excerpts import read_table
    from .ingest.metadata import nfc
    from .ingest.sources import visible_cells

    path = Path(path)
    try:
        header, rows = read_table(path, diagnostics=diagnostics)
    except CondenseError as exc:
        raise CondenseError("E820", path=display_path(path), detail=exc.message) from exc
    header_l = [h.lower() for h in header]
    for column in ("real", "pseudonym"):
        if column not in header_l:
            raise CondenseError("E820", path=display_path(path), detail=f"no column '{column}' on line 1")
    out: list[Pseudonym] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        row = {k.lower(): nfc(v) for k, v in raw.items()}  # a name saved on a Mac ("A" and a ring) is found in NFC text
        # a real name pasted with a zero-width space in it ("Karina\u200b Holst") matched nothing in the transcripts,
        # and the name stayed in every output while the audit, looking for the same listed name, passed
        row = visible_cells(row, path, line, diagnostics)
        real = " ".join(row.get("real", "").split())
        pseudonym = " ".join(row.get("pseudonym", "").split())
        kind = (row.get("kind", "") or "person").strip().lower()
        if not real:
            raise CondenseError("E821", path=display_path(path), line=line, detail="the `real` cell is empty",
                                fix="Write the real name, or delete the line.")
        if len(real) < 2:
            raise CondenseError("E821", path=display_path(path), line=line, detail=f"'{real}' is too short to be a name",
                                fix="List names of two or more letters.")
        if pseudonym and not _PSEUDONYM_OK.fullmatch(pseudonym):
            raise CondenseError("E821", path=display_path(path), line=line,
                                detail=f"the pseudonym '{pseudonym}' holds a character that would change the files it "
                                       "is written into (a separator, quote, markup or a formula's first sign)",
                                fix="Begin with a letter or digit; then use letters, digits, spaces and - ' . ( ) [ ] & "
                                    "only, e.g. 'Deltager A' or 'Kollega (K1)'.")
        if kind not in KINDS:
            raise CondenseError("E821", path=display_path(path), line=line, detail=f"unknown kind '{kind}'",
                                fix=f"Use one of: {', '.join(KINDS[:3])}, other.")
        key = real.casefold()
        if key in seen:
            raise CondenseError("E821", path=display_path(path), line=line,
                                detail=f"'{real}' is listed twice (first on line {seen[key]})",
                                fix="Keep one line per real name.")
        seen[key] = line
        out.append(Pseudonym(real, pseudonym, "organisation" if kind == "organization" else kind, line))
    for p in out:
        if p.pseudonym and p.pseudonym.casefold() in seen and p.pseudonym.casefold() != p.real.casefold():
            raise CondenseError("E821", path=display_path(path), line=p.line,
                                detail=f"the pseudonym '{p.pseudonym}' is itself a listed real name",
                                fix="Choose a pseudonym that is nobody's real name.")
    return out


def name_pattern(names, *, inflected: bool = True, letters: bool = True, cased: bool = False,
                 suffix: str = SUFFIX, loose: bool = False) -> re.Pattern | None:
    """One regex for a set of names: case-insensitive, longest first, inflections allowed. With ``letters``
    a name ends where letters end (``01_kildebakken`` contains Kildebakken); else at word characters (for
    ids: ``int2`` is not in ``int20``). Group 1 is the name, group 2 its inflection (``suffix``). With
    ``cased`` a name is found as written, capitalised or in capitals ("Søren", "SØREN"; not "søren", a word for
    all we know), its inflection in any case. An apostrophe in a name is any apostrophe: Word types ``O’Neill``
    where a plain editor keeps ``O'Neill``.

    A name must not follow a letter (a word character for ids). That boundary is checked after the name's
    first character, looking two characters back, rather than before it: a pattern opening with a
    look-behind is tried at every position of a text, one opening with the names' first characters only
    where one of them stands. The matches are the same (a test compares them with the look-behind first);
    the privacy's sub-ins over every unit and question at 1M words: 0.20 -> 0.08 CPU s.

    With ``loose`` (a person's name) the name is found however a careless or hostile hand wrote it: broken by a
    hyphen at a line break ("Gunn-\\nvor", "Gunn- vor"), by a zero-width joiner, spelt out letter by letter
    ("A-B-E-L-S-T-E-D", "G u n n v o r"), with its letters' accents dropped or added ("Gunnvør" for "Gunnvor",
    "Abelsted" for "Åbelsted"), "å"/"aa", "æ"/"ae", "ø"/"oe" written either way, or in full-width letters."""
    if loose:
        return _loose_pattern(names, inflected=inflected, cased=cased, suffix=suffix)
    names = {" ".join(str(n).split()) for n in names if str(n).strip()}
    if cased:
        names |= {n.upper() for n in names} | {n.title() for n in names}
    names = sorted(names, key=lambda n: (-len(n), n))
    if not names:
        return None
    before, after = (r"[^\W\d_]", r"(?![^\W\d_])") if letters else (r"\w", r"(?!\w)")
    alternatives = []
    for name in names:
        first, *rest = [_APOSTROPHE if ch in _APOSTROPHES else r"\s+" if ch == " " else re.escape(ch) for ch in name]
        alternatives.append(f"{first}(?<!{before}[\\s\\S]){''.join(rest)}")
    ending = (f"(?i:{suffix})" if cased else suffix) if inflected else ""
    return re.compile(rf"({'|'.join(alternatives)})({ending}){after}", 0 if cased else re.I)


# what a letter of a name may be written as (:func:`_loose_pattern`): the letters whose first decomposed character
# is the same letter (accents dropped or added: "é", "ö", "å" for "e", "o", "a"), "ø" as an "o", full-width forms
_FOLDED = {"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"}
# letters of other alphabets drawn as a Latin one (Cyrillic, Greek; a dotless "ı", a script "ɡ"): a name written
# with one ("Gurlі" with a Cyrillic і) reads as the name to anyone, so it is the name; keys in decomposed form
# (an accented look-alike, "ё", "ά", decomposes to one of them)
_LOOK_ALIKE = dict(zip(
    "асԁеһіјкӏорԛѕуԝхѵүАВСЕНІЈКМОРԚЅТХҮԜӀαικνορυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧıɡȷ",
    "acdehijklopqsywxvyABCEHIJKMOPQSTXYWIaikvopuxABEZHIKMNOPTYXigj"))
_LOOK_ALIKE_RANGES = (range(0x250, 0x2B0), range(0x370, 0x400), range(0x400, 0x530))
# where a person's name ends inside a run of letters: a small letter before a capital, as a hashtag or a handle
# glues words ("#GurliZ", "@GurliForever"); case-sensitive inside a case-blind pattern
_CAMEL = r"(?-i:(?<=[a-zß-öø-ÿ])(?=[A-ZÀ-ÖØ-Þ]))"
_GLUED = r"(?-i:[a-zß-öø-ÿ]{3,})"  # the small letters of a word a name is glued to
_MARKS = "[\u0300-\u036f]*"  # combining accents written apart from their letter (NFC leaves "l" + "̈" apart)
# a name's own spellings of one sound: each written the other way too ("Aagaard"/"Ågård", "Gunnvør"/"Gunnvoer")
_DIGRAPHS = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))
# inside a name's word: a hyphen where a line broke it ("Gunn-\nvor", "Gunn- vor"), or a zero-width (non-)joiner
_BREAK = r"(?:-\s*|[\u200c\u200d])?"
_SPELT = r"[\s.\-]+"  # between the letters of a name spelt out: "A-B-E-L-S-T-E-D", "G u n n v o r", "G.U.N.N"


@lru_cache(maxsize=None)
def _letter_forms() -> dict[str, str]:
    """Lower-case base letter -> every Latin letter (both cases, full-width too) written as it."""
    import unicodedata

    forms: dict[str, set[str]] = {}
    chars = [chr(c) for c in chain(range(0x41, 0x5B), range(0x61, 0x7B), range(0xC0, 0x250), range(0xFF21, 0xFF3B),
                                   range(0xFF41, 0xFF5B), *_LOOK_ALIKE_RANGES)]
    for ch in chars:
        base = _base_letter(ch)
        if base.isalpha() and base.isascii():
            forms.setdefault(base, set()).add(ch)
    return {base: "".join(sorted(chars)) for base, chars in forms.items()}


def _loose_letter(ch: str, upper_only: bool = False) -> str:
    """A character of a name as :func:`_loose_pattern` matches it: a letter as any letter written as it (a capital
    only, with ``upper_only``), any other character as itself."""
    base = _base_letter(ch)
    forms = _letter_forms().get(base) if base.isascii() else None
    if not forms:
        return _APOSTROPHE if ch in _APOSTROPHES else re.escape(ch)
    if upper_only:
        forms = "".join(f for f in forms if f.isupper())
    return "[" + re.escape(forms) + "]"


def _base_letter(ch: str) -> str:
    """The small Latin letter ``ch`` is written as (accents dropped, a look-alike read as what it looks like),
    else its first decomposed character."""
    import unicodedata

    base = unicodedata.normalize("NFKD", _FOLDED.get(ch, ch))[:1]
    return _LOOK_ALIKE.get(base, base).lower()


def name_key(text: str) -> str:
    """A name as :func:`name_pattern`'s ``loose`` reads it, to tell which name a match is: each letter as the small
    Latin letter it is written as, accents apart and what is no letter or space dropped, words one space apart
    ("Sоlbakken" with a Cyrillic о, "Sölbakken" and "SOLBAKKEN" all "solbakken")."""
    return " ".join("".join(_base_letter(c) for c in word if c.isalpha()) for word in text.split())


def _spellings(name: str) -> set[str]:
    """A name and its spellings with each of :data:`_DIGRAPHS` written the other way ("Aabelsted", "Åbelsted")."""
    out = {name}
    for pair, letter in _DIGRAPHS:
        for a, b in ((pair, letter), (letter, pair)):
            out |= {re.sub(a, lambda m: b.upper() if m.group(0)[:1].isupper() else b, n, flags=re.I) for n in out}
    return out


def _loose_pattern(names, *, inflected: bool, cased: bool, suffix: str) -> re.Pattern | None:
    """:func:`name_pattern` with ``loose``: group 1 the name as written, group 2 its inflection. Case-insensitive,
    or with ``cased`` opening on a capital (the rest in either case: "GUNNVOR", "Gunnvor"). A name's word of four
    letters or more spelt out ("G u n n v o r") is found on its own."""
    names = {" ".join(str(n).split()) for n in names if str(n).strip()}
    alternatives = [_loose_name(name, cased)
                    for name in sorted({s for n in names for s in _spellings(n)}, key=lambda n: (-len(n), n))]
    alternatives += _spelt_out(names, cased) + _glued(names, cased)
    if not alternatives:
        return None
    ending = (f"(?i:{suffix})" if cased else suffix) if inflected else ""
    return re.compile(rf"({'|'.join(alternatives)})({ending})(?:(?![^\W\d_])|{_CAMEL})", 0 if cased else re.I)


def _spelt_out(names: set[str], cased: bool) -> list[str]:
    """:func:`_loose_pattern`'s alternatives for a name's words of four letters or more spelt out ("G u n n v o r",
    "A-B-E-L-S-T-E-D")."""
    out = []
    words = {w for n in names for w in n.split() if len(w) >= 4 and w.isalpha()}
    for word in sorted(words, key=lambda w: (-len(w), w)):
        letters = [_loose_letter(ch, upper_only=cased and not i) for i, ch in enumerate(word)]
        out.append(letters[0] + r"(?<![^\W\d_][\s\S])" + "".join(_SPELT + x for x in letters[1:]))
    return out


def _glued(names: set[str], cased: bool) -> list[str]:
    """:func:`_loose_pattern`'s alternatives for a name of five letters or more no lexicon knows, glued to a word in
    small letters ("Gurlihuset", "Zenfeldtfamilien"): the whole word, as the name is read in it."""
    glued = {w for n in names for w in n.split() if len(w) >= 5 and w.isalpha() and _unknown(w)}
    return [_loose_name(word, cased) + _GLUED for word in sorted(glued, key=lambda w: (-len(w), w))]


def _loose_name(name: str, cased: bool) -> str:
    """One spelling of a name as :func:`_loose_pattern`'s alternative: each letter in any of its forms, a line
    break's hyphen or a zero-width joiner allowed between two letters, any spaces between words."""
    pieces = []
    for i, ch in enumerate(name):
        if ch == " ":
            pieces.append(r"\s+")
            continue
        if i and name[i - 1] != " " and ch.isalpha() and name[i - 1].isalpha():
            pieces.append(_BREAK)
        pieces.append(_loose_letter(ch, upper_only=cased and (i == 0 or name[i - 1] == " ")))
        if ch.isalpha():
            pieces.append(_MARKS)
    return pieces[0] + r"(?<![^\W\d_][\s\S])" + "".join(pieces[1:])


def _either(*patterns) -> re.Pattern | None:
    """One pattern matching what any of ``patterns`` (compiled with the same flags, or None) matches."""
    patterns = [p for p in patterns if p is not None]
    if len(patterns) < 2:
        return patterns[0] if patterns else None
    return re.compile("|".join(p.pattern for p in patterns), patterns[0].flags)


_APOSTROPHES = "'’ʼ"
_APOSTROPHE = f"[{_APOSTROPHES}]"

_SCRIPT_BLOCK = re.compile(r"<script\b[^>]*>(.*?)</script", re.S | re.I)  # group 1: what the block holds


def _in_markup(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _in_json(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)[1:-1]


def _in_script(text: str) -> str:
    from .export.html import script_json

    return script_json(text)[1:-1]


def _with_case(replacement: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original.islower():
        return replacement.lower()
    return replacement


@dataclass
class Privacy:
    """What a run must hide, and how. Built once per run from the corpus and the project's files."""

    language: str = "da"
    pseudonyms: list[Pseudonym] = field(default_factory=list)
    public_ids: dict[str, str] = field(default_factory=dict)  # real transcript id -> public id (whole transcript)
    renamed: dict[str, str] = field(default_factory=dict)  # transcript id naming a listed real name -> pseudonymised
    speaker_ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (transcript, label) -> public id
    redact: dict[str, re.Pattern] = field(default_factory=dict)  # real transcript id -> what its anonymous units lose
    speaker_names: dict[str, re.Pattern] = field(default_factory=dict)  # joint interview -> its anonymous speakers' names
    everywhere: re.Pattern | None = None  # anonymous plans' and respondents' names: removed from every unit
    person_words: re.Pattern | None = None  # single words of anonymous respondents' names, as names: the same
    anonymous_ids: re.Pattern | None = None  # anonymous interviews' transcript ids and file names: the same
    names: re.Pattern | None = None  # listed real names
    name_words: re.Pattern | None = None  # real names and pseudonyms (quote safety, key terms)
    places: re.Pattern | None = None  # any plan, place attribute or listed place (anonymous quotes)
    audit_terms: dict[str, str] = field(default_factory=dict)  # term -> what it is (for the audit)
    withdrawn: list = field(default_factory=list)  # Withdrawn fingerprints per transcript
    public_files: dict[str, str] = field(default_factory=dict)  # transcript id -> file name shown in outputs
    proposed: set[str] = field(default_factory=set)  # names speakers give themselves (never key terms)
    anonymous_cases: set[str] = field(default_factory=set)  # plans named only by anonymous interviews
    source: Path | None = None  # the pseudonyms.csv read
    anonymous_unit_ids: dict[str, str] = field(default_factory=dict)  # real unit id -> public (set by apply)
    anonymous_turns: dict[tuple[str, int], str] = field(default_factory=dict)  # (transcript, turn) of an anonymous speaker -> public id

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, corpus, *, pseudonyms: list[Pseudonym] | None = None, language: str = "da") -> "Privacy":
        p = cls(language=language, pseudonyms=list(pseudonyms or []))
        transcripts = corpus.transcripts
        p._number_anonymous(transcripts)
        for t in transcripts:
            p.proposed |= {w for name in introduced_names(t) for w in name.split()}
        p._hide_anonymous(transcripts, corpus.cases)
        p._listed_names(set(corpus.cases) | {v for c in corpus.cases.values() for v in _attribute_terms(c)})
        p._rename_ids(transcripts)
        return p

    def _number_anonymous(self, transcripts) -> None:
        """Public ids (anonym-01, …) in corpus order: a whole anonymous interview, or each anonymous speaker."""
        n = 0
        for t in transcripts:
            if t.withdrawn_fingerprints is not None:
                self.withdrawn.append(t.withdrawn_fingerprints)
            if t.anonymous is True:
                n += 1
                self.public_ids[t.id] = f"{PUBLIC_PREFIX}{n:02d}"
                self.public_files[t.id] = f"{PUBLIC_PREFIX}{n:02d}{Path(t.path).suffix}"
            elif t.anonymous:
                for label in t.anonymous:
                    n += 1
                    self.speaker_ids[(t.id, label)] = f"{PUBLIC_PREFIX}{n:02d}"
                self.anonymous_turns.update({(t.id, turn.index): self.speaker_ids[(t.id, turn.speaker)]
                                             for turn in t.turns if (t.id, turn.speaker) in self.speaker_ids})

    def _hide_anonymous(self, transcripts, cases) -> None:
        """What each anonymous interview's units lose, the plans only anonymous interviews name (removed
        everywhere), their ids and file names (removed everywhere too)."""
        anonymous = [t for t in transcripts if t.anonymous]
        # A joint interview with anonymous speakers is public for its other speakers: its id and plans are
        # named; what it loses in every unit, whoever speaks, is the anonymous speakers' own names.
        named_cases = {c for t in transcripts if t.anonymous is not True for c in t.cases}
        self.anonymous_cases = {c for t in anonymous for c in t.cases if c not in named_cases}
        for t in anonymous:
            pattern = name_pattern(_redaction_terms(t, cases), loose=True)
            if pattern is not None:
                self.redact[t.id] = pattern
            names = name_pattern(_speaker_names(t), loose=True) if t.anonymous is not True else None
            if names is not None:
                self.speaker_names[t.id] = names
        self._audit_anonymous(anonymous, cases, named_cases)
        self._hide_persons(anonymous, transcripts)
        self.anonymous_ids = name_pattern({x for t in anonymous if t.anonymous is True
                                           for x in (t.id, Path(t.path).stem) if len(x) >= 3},
                                          inflected=False, letters=False)

    def _hide_persons(self, anonymous, transcripts) -> None:
        """Another interview naming an anonymous respondent ("I talked with Karina Holst") identifies them as
        surely as their own words would: their names go from every unit, with the anonymous plans' names. A
        whole name in any letter case; one word of it ("Karina", "Holst") only as a name is written, capitalised,
        since it may be a word too ("Per", "Mark"); the audit looks for the words nobody writes in lower case."""
        names, words = _person_names(anonymous, transcripts)
        # the whole name glued or joined as addresses and handles write it: "@gurlizenfeldt", "gurli.zenfeldt@"
        joined = {glue.join(n.split()) for n in names for glue in ("", ".", "_")}
        anycase = _names_in_any_case(transcripts, words)
        self.everywhere = _either(name_pattern(joined), name_pattern(self.anonymous_cases | names, loose=True),
                                  name_pattern(anycase, suffix=GENITIVE, loose=True), _in_addresses(words))
        self.person_words = _either(name_pattern({w for w in words if len(w) > 2}, cased=True, loose=True),
                                    name_pattern({w for w in words if len(w) <= 2}, cased=True, suffix=GENITIVE))
        for term in sorted(names | joined) + sorted(anycase):
            if len(term) >= 4:
                self.audit_terms.setdefault(term, "anonymous respondent's name")

    def _audit_anonymous(self, anonymous, cases, named_cases: set[str]) -> None:
        """The consent audit's terms: anonymous interviews' ids and file names, the plans only they name, and
        those plans' attributes that no named plan shares."""
        for t in anonymous:
            for term in (t.id, Path(t.path).stem) if t.anonymous is True else ():
                if len(term) >= 4:
                    self.audit_terms[term] = "anonymous transcript id"
            for term in t.cases:
                if term in self.anonymous_cases and len(term) >= 4:
                    self.audit_terms[term] = "anonymous plan name"
        shared = {v for c in named_cases for v in _attribute_terms(cases.get(c))}
        for c in sorted(self.anonymous_cases):
            for value in sorted(_attribute_terms(cases.get(c)) - shared):
                if len(value) >= 4:
                    self.audit_terms.setdefault(value, "anonymous plan attribute")

    def _listed_names(self, place_terms: set[str]) -> None:
        """Patterns of the listed names (pseudonymisation), of person names real or pseudonym (quote safety,
        key terms) and of every place (an anonymous respondent's quotes)."""
        self.names = name_pattern([x.real for x in self.pseudonyms])
        for x in self.pseudonyms:
            self.audit_terms.setdefault(x.real, "listed real name")
        persons = [x for x in self.pseudonyms if x.kind == "person"]
        self.name_words = name_pattern([x.real for x in persons] + [x.pseudonym for x in persons if x.pseudonym]
                                       + [w for x in persons for w in x.real.split()
                                          if len(w) >= 3 and not _known(w, self.language)])
        places = [x for x in self.pseudonyms if x.kind == "place"]
        self.places = name_pattern(place_terms | {x.real for x in places} | {x.pseudonym for x in places if x.pseudonym})

    def _rename_ids(self, transcripts) -> None:
        """An id that contains a listed real name ("03_fatma") is pseudonymised too, and its file name."""
        for t in transcripts:
            if t.id in self.public_ids:
                continue
            renamed = re.sub(r"\s+", "_", self.pseudonymise(t.id))
            if renamed != t.id:
                self.renamed[t.id] = renamed
                self.public_files[t.id] = re.sub(r"\s+", "_", self.pseudonymise(Path(t.path).name))

    @property
    def placeholder(self) -> str:
        return PLACEHOLDER.get(self.language, PLACEHOLDER["en"])

    @property
    def active(self) -> bool:
        return bool(self.public_ids or self.speaker_ids or self.pseudonyms or self.renamed)

    # ------------------------------------------------------------------ text
    def pseudonymise(self, text: str, escape=None) -> str:
        """Listed real names → their pseudonyms, keeping the inflection (Fatmas → Leilas). ``escape`` makes
        the inserted text safe where it lands (markup, a JSON string): the pseudonym is the researcher's
        text, and ``<`` or ``&`` in it must stay text."""
        if not text or self.names is None:
            return text
        return self.names.sub(self._swapper(escape), text)

    def _swapper(self, escape=None):
        """The replacement of one listed real name (a match of ``self.names``) by its pseudonym."""
        table = {x.real.casefold(): x.pseudonym or self.placeholder for x in self.pseudonyms}
        escape = escape or (lambda s: s)

        def swap(m: re.Match) -> str:
            pseudonym = table.get(" ".join(m.group(1).split()).casefold(), self.placeholder)
            if pseudonym == self.placeholder:
                return escape(pseudonym)
            return escape(_with_case(pseudonym, m.group(1)) + m.group(2))

        return swap

    def pseudonymise_file_text(self, text: str, suffix: str) -> str:
        """:meth:`pseudonymise` for the whole text of a written file, escaping as its format needs: HTML
        (JSON inside its script blocks), XML/SVG, JSON; other formats take the pseudonym as it is."""
        suffix = suffix.lower()
        if suffix in (".html", ".htm"):
            out, pos = [], 0
            for m in _SCRIPT_BLOCK.finditer(text):
                out += [self.pseudonymise(text[pos:m.start(1)], _in_markup), self.pseudonymise(m.group(1), _in_script)]
                pos = m.end(1)
            return "".join(out) + self.pseudonymise(text[pos:], _in_markup)
        if suffix in (".xml", ".svg", ".qdc"):
            return self.pseudonymise(text, _in_markup)
        if suffix == ".json":
            return self.pseudonymise(text, _in_json)
        return self.pseudonymise(text)

    def public_text(self, text: str, transcript: str | None = None, anonymous: bool = False) -> str:
        """A unit's (or question's) text as outputs may show it."""
        if not text:
            return text
        if anonymous and transcript in self.redact:
            text = self.redact[transcript].sub(self.placeholder, text)
        if transcript in self.speaker_names:
            text = self.speaker_names[transcript].sub(self.placeholder, text)
        for pattern in (self.anonymous_ids, self.everywhere, self.person_words):
            if pattern is not None:
                text = pattern.sub(self.placeholder, text)
        return self.pseudonymise(text)

    def public_source(self, text: str, transcript: str, offsets: "OffsetMap | None" = None) -> tuple[str, "OffsetMap"]:
        """A whole transcript as an exchange file (.qdpx) may carry it, and where each old offset lands.

        What :meth:`public_text` does to a unit is done to the whole text; an interview with any anonymous
        speaker loses its redaction terms everywhere in it (the interviewer's words too: more is hidden,
        never less)."""
        passes = []
        if transcript in self.redact:
            passes.append((self.redact[transcript], lambda m: self.placeholder))
        passes += [(p, lambda m: self.placeholder) for p in (self.anonymous_ids, self.everywhere, self.person_words)
                   if p is not None]
        if self.names is not None:
            passes.append((self.names, self._swapper()))
        offsets = offsets or OffsetMap()
        for pattern, replace in passes:
            text = offsets.sub(pattern, replace, text)
        return text, offsets

    def anonymous_id(self, transcript: str, speaker: str = "") -> str | None:
        """The public id of an anonymous interview (or anonymous speaker), else None."""
        return self.public_ids.get(transcript) or self.speaker_ids.get((transcript, speaker))

    def public_transcript(self, transcript: str, speaker: str = "") -> str:
        return self.anonymous_id(transcript, speaker) or self.renamed.get(transcript, transcript)

    def _id_map(self) -> dict[str, str]:
        return {**self.renamed, **self.public_ids}

    def translate_unit_id(self, unit_id: str) -> str:
        """A unit id written with a real transcript id (in the project's own files) → its public id: an
        anonymous interview's, a renamed transcript's, or an anonymous speaker's in a joint interview (by the
        turn the unit is in, whose speaker the transcript names)."""
        ids = self._id_map()
        if not unit_id or not (ids or self.anonymous_turns):
            return unit_id
        parts = parse_unit_id(unit_id)
        if parts is None:
            return unit_id
        speaker = self.anonymous_turns.get((parts.transcript, int(parts.turn))) if parts.turn.isdigit() else None
        if speaker is not None or parts.transcript in ids:
            return str(parts._replace(transcript=speaker or ids[parts.transcript]))
        return unit_id

    def translate_decisions(self, decisions: list) -> list:
        for d in decisions:
            d.unit_id = self.translate_unit_id(d.unit_id)
            d.transcript = self._id_map().get(d.transcript, d.transcript)
        return decisions

    # ------------------------------------------------------------------ units
    def apply(self, seg) -> None:
        """Rewrite a segmentation in place: public ids, no attribution, redacted and pseudonymised text,
        lemmas of names dropped (so no name becomes a key term)."""
        if not self.active and self.everywhere is None and self.anonymous_ids is None and self.person_words is None:
            return
        changed: list[MeaningUnit] = []
        ids = self._id_map()
        for q in seg.questions:
            q.transcript = ids.get(q.transcript, q.transcript)
        seg.questions.extend(self.relabelled(seg.questions))
        questions: dict[tuple[str, str, bool], str] = {}  # the units of one turn share their question
        for u in seg.units:
            real = u.transcript
            anonymous = self.anonymous_id(real, u.speaker) is not None or u.anonymous
            public = self.public_transcript(real, u.speaker)
            text = self.public_text(u.text, real, anonymous)
            key = (u.question, real, anonymous)
            question = questions.get(key)
            if question is None:
                question = questions[key] = self.public_text(u.question, real, anonymous)
            if public != real:
                u.transcript = public
                if anonymous:
                    self.anonymous_unit_ids[u.unit_id] = make_unit_id(public, u.turn, u.position)
                u.unit_id = make_unit_id(public, u.turn, u.position)
            if anonymous:
                u.anonymous = True
            if anonymous:
                u.cases = []
                if u.speaker != NOTES_SPEAKER:
                    u.speaker = ""
            u.question = question
            if text != u.text:
                u.text = text
                u.fingerprint = fingerprint(text)
                changed.append(u)
        self._relemmatise(changed)
        self._drop_name_lemmas(seg.units)
        seg._index = None
        _ACTIVE[0] = self

    def activate(self) -> None:
        """Make this the privacy of the run in progress (:func:`active_privacy`), as :meth:`apply` does."""
        _ACTIVE[0] = self

    def relabelled(self, questions: list) -> list:
        """The questions (public ids already in place) asked of each anonymous speaker again, under the
        speaker's public id: their units keep the guide context."""
        from .segment import Question

        relabelled: list[Question] = []
        for (transcript, label), public in self.speaker_ids.items():
            relabelled += [Question(public, q.turn, q.text, q.lemmas, q.surfaces)
                           for q in questions if q.transcript == transcript]
        return relabelled

    def _relemmatise(self, units: list[MeaningUnit]) -> None:
        if not units:
            return
        from .nlp import analyze_plain

        for language in sorted({u.language for u in units}):
            for u in units:
                if u.language != language:
                    continue
                _, lemmas, texts = analyze_plain(u.text, language)
                pairs = [(l, t) for l, t in zip(lemmas, texts) if l]
                u.lemmas = tuple(p[0] for p in pairs)
                u.surfaces = tuple(p[1] for p in pairs)
                u.n_words = len(pairs)

    def _drop_name_lemmas(self, units: list[MeaningUnit]) -> None:
        patterns = [p for p in (self.name_words, self.names, self.everywhere, self.person_words) if p is not None]
        # Whether a word is dropped depends on the word type alone: each distinct surface is judged once, and a
        # unit is looked at only when it holds a dropped one (a C-level isdisjoint per unit; most hold none).
        # 1M words: 0.12 -> 0.05 CPU s.
        surfaces = set(chain.from_iterable(u.surfaces for u in units))
        dropped = {s for s in surfaces if s.lower() in _PLACEHOLDER_WORDS or any(p.fullmatch(s) for p in patterns)}
        if not dropped:
            return
        for u in units:
            if dropped.isdisjoint(u.surfaces):
                continue
            keep = [i for i, s in enumerate(u.surfaces) if s not in dropped]
            u.lemmas = tuple(u.lemmas[i] for i in keep)
            u.surfaces = tuple(u.surfaces[i] for i in keep)
            u.n_words = len(keep)

    def filter_terms(self, terms: dict[str, list[str]]) -> dict[str, list[str]]:
        """Key terms without names: listed names and pseudonyms, and the names condense would propose."""
        patterns = [p for p in (self.name_words, self.names, self.everywhere, self.person_words) if p is not None]
        drop = {n.casefold() for n in self.proposed}
        out = {}
        for key, values in terms.items():
            out[self._id_map().get(key, key)] = [v for v in values if v.casefold() not in drop
                                                  and not any(p.fullmatch(v) for p in patterns)]
        return out


class OffsetMap:
    """Offsets of a text through a series of regex replacements: an offset inside a replaced span moves to
    the replacement's start (a span's start) or end (a span's end)."""

    def __init__(self) -> None:
        self.passes: list[list[tuple[int, int, int]]] = []  # per pass: (old start, old end, new start)

    def sub(self, pattern: re.Pattern, replace, text: str) -> str:
        edits, out, pos, shift = [], [], 0, 0
        for m in pattern.finditer(text):
            new = replace(m)
            out += [text[pos:m.start()], new]
            edits.append((m.start(), m.end(), m.start() + shift, len(new)))
            shift += len(new) - (m.end() - m.start())
            pos = m.end()
        if edits:
            self.passes.append(edits)
        return "".join(out) + text[pos:]

    def __call__(self, offset: int, *, end: bool = False) -> int:
        from bisect import bisect_right

        for edits in self.passes:
            i = bisect_right(edits, (offset, float("inf"))) - 1
            if i < 0:
                continue
            start, stop, new_start, new_len = edits[i]
            if offset >= stop:
                offset = offset - stop + new_start + new_len
            elif offset == start:
                offset = new_start
            else:
                offset = new_start + (new_len if end else 0)
        return offset


def pseudonymise_result(result) -> None:
    """Listed real names → pseudonyms in every table of a run before anything is drawn or written (the
    figures draw labels as glyphs, which no later sweep can change). Units were pseudonymised already; this
    reaches case names, attributes, codebook labels and a researcher's condensates."""
    privacy = getattr(result.segmentation, "privacy", None)
    if privacy is None or privacy.names is None:
        return
    swap = privacy.pseudonymise

    def frame(df):
        df = df.copy()
        df.columns = [swap(c) if isinstance(c, str) else c for c in df.columns]
        for column in df.columns:
            if df[column].dtype == object:
                df[column] = df[column].map(lambda v: swap(v) if isinstance(v, str) else v)
        return df

    result.tables = {name: frame(df) for name, df in result.tables.items()}
    result.sheets = {name: frame(df) for name, df in result.sheets.items()}
    result.matrix_grids = {swap(name): frame(df) for name, df in result.matrix_grids.items()}


def _known(word: str, language: str) -> bool:
    from .lexicon import is_known

    try:
        return is_known(word.lower(), language) or is_known(word, language)
    except Exception:  # noqa: BLE001 - unsupported language code
        return False


def _attribute_terms(case) -> set[str]:
    """Attribute values of a case that can place it (kommune, region, a town): words, not numbers."""
    if case is None:
        return set()
    out = set()
    for value in case.attributes.values():
        value = " ".join(str(value).split())
        if len(value) >= 3 and any(ch.isalpha() for ch in value) and value.lower() not in {
                "ja", "nej", "yes", "no", "true", "false", "nan", "none", "ingen"}:
            out.add(value)
    return out


def _redaction_terms(t, cases) -> set[str]:
    """What an anonymous interview's units lose: its id and file name (and their distinctive words), its plans
    and their place attributes, the respondent and place of its metadata, its respondents' labels (not the
    interviewer's, not codes or role words) and the names they introduce themselves by."""
    terms = {x for x in (t.id, Path(t.path).stem) if len(x) >= 3}
    terms |= {w for w in re.split(r"[\W_\d]+", t.id) if len(w) >= 4 and not _known(w, t.language)}
    for c in t.cases:
        terms.add(c)
        terms |= _attribute_terms(cases.get(c))
    for key in ("respondent", "place"):
        value = t.metadata.get(key)
        if isinstance(value, str) and value.strip():
            terms.add(value.strip())
    return terms | _speaker_names(t)


def _speaker_names(t) -> set[str]:
    """The names an interview's anonymous speakers go by: their labels (not the interviewer's, not codes or role
    words) and the names they introduce themselves by."""
    from .ingest.turns import CODE_LABEL, is_role_label

    labels = list(t.speakers) if t.anonymous is True else list(t.anonymous)
    names = {label for label in labels if not (t.speakers.get(label) == "interviewer" or CODE_LABEL.match(label)
                                               or is_role_label(label))}
    if t.anonymous is True and t.withdrawn_fingerprints is not None:  # an introduction they withdrew
        names |= getattr(t.withdrawn_fingerprints, "names", set())
    if t.anonymous is True:
        names |= _unread_labels(t)
    return names | introduced_names(t, labels)


# A line opening on a label the turn reader did not take ("R - Gurli Zenfeldt: …", "GZ [Gurli Zenfeldt]: …",
# "Gurli Zenfeldt, koordinator: …"): the text before the first colon, on two lines or more
_LINE_LABEL = re.compile(r"(?m)^[ \t]*(?P<label>[^\n:]{1,60}?)[ \t]*:[ \t]")
# initials too ("G. Abelsted", "Gunnvor A."): a name of initials alone is none (:func:`_unread_labels`)
_WHOLE_NAME = re.compile(r"[A-ZÆØÅ](?:[\wæøå'’\-]+|\.)(?:[ \t]+[A-ZÆØÅ](?:[\wæøå'’\-]+|\.)){1,2}"
                         r"|(?<=[\[(])[ \t]*[A-ZÆØÅ][\wæøå'’\-]+(?=[ \t]*[\])])")  # or one in brackets: "GZ [Gurli]"


def _unread_labels(t) -> set[str]:
    """The whole names (two or three capitalised words, or one in brackets) in the labels of an anonymous interview's lines that the
    turn reader did not read as speaker labels: such a label stayed in the text, the name in it in every output
    (W103/W106 said the turns were not read, nothing kept the name out). A label of five words at most, used on two
    lines or more; over ecape_da's and the samples' transcripts none but their own speaker labels."""
    used = Counter(m.group("label").strip() for m in _LINE_LABEL.finditer(t.text or ""))
    out: set[str] = set()
    for label, n in used.items():
        if n < 2 or label in t.speakers or len(label.split()) > 5:
            continue
        out |= {name.strip() for name in _WHOLE_NAME.findall(label) if not _role_words_only(name)
                and any(len(w.strip(".")) >= 2 for w in name.split())}
    return out


def _role_words_only(name: str) -> bool:
    """Is each word of ``name`` a role word ("Interviewer", "Informant")?"""
    from .ingest.turns import is_role_label

    return all(is_role_label(w) for w in name.split())


def _person_names(anonymous, transcripts=()) -> tuple[set[str], set[str]]:
    """Anonymous speakers' names (their labels, the names they introduce themselves by, an anonymous
    interview's metadata respondent, a name its file holds): the names of two or more words, and the
    capitalised words of two letters or more of every name ("Ib", "Bo": a Danish first name may be two letters)."""
    names = set()
    for t in anonymous:
        names |= _speaker_names(t)
        respondent = t.metadata.get("respondent") if t.anonymous is True else None
        if isinstance(respondent, str) and respondent.strip():
            names.add(respondent)
    names |= _file_names([t for t in anonymous if t.anonymous is True], transcripts)
    names = {" ".join(n.split()) for n in names}
    names |= _whole_names(transcripts, _name_words(names))
    return {n for n in names if " " in n}, _name_words(names)


def _name_words(names: set[str]) -> set[str]:
    """The capitalised words of two letters or more of ``names`` (an initial's full stop dropped: "G. Abelsted")."""
    return {w for n in names for w in (x.strip(".") for x in n.split()) if len(w) >= 2 and w[:1].isupper()}


_NEXT_CAP = re.compile(r"[ \t]+([A-ZÆØÅ][\wæøå'’\-]+)")
_PREVIOUS_CAP = re.compile(r"(?<![\w'’\-])([A-ZÆØÅ][\wæøå'’\-]+)[ \t]+$")


def _whole_names(transcripts, words: set[str]) -> set[str]:
    """An anonymous respondent's name where a transcript writes one word of it beside another capitalised word:
    "Gunnvor Abelsted" where her label was "GUNNVOR:" or "Gunnvor (beboer):", her surname after her first name;
    or, her surname known ("G. Abelsted:"), the first name before it when no lexicon knows that word or a word or
    comma stands before it (a sentence may open on a known word: "Hej Abelsted"). The first name alone hid nothing
    of "[anonymiseret] Abelsted"."""
    from .stopwords import stop_words

    known = {w for w in words if len(w) >= 3 and w.isalpha()}
    if not known or not transcripts:
        return set()
    stop = stop_words("da") | stop_words("en")
    forms = sorted({x for w in known for x in (w.title(), w.upper(), w)}, key=lambda w: (-len(w), w))
    pattern = re.compile(r"(?<![\w'’\-])(" + "|".join(map(re.escape, forms)) + r")(?![\w'’\-])")
    out = set()
    for t in transcripts:
        text = t.text or ""
        for m in pattern.finditer(text):
            after = _NEXT_CAP.match(text, m.end())
            if after and after.group(1).lower() not in stop and not after.group(1).isupper() and (
                    t.language == "da" or not ordinary_word(after.group(1))):
                out.add(f"{m.group(1).title()} {after.group(1)}")
            before = _PREVIOUS_CAP.search(text, max(0, m.start() - 40), m.start())
            if before and before.group(1).lower() not in stop and (
                    _unknown(before.group(1)) or _mid_sentence(text, before.start())):
                out.add(f"{before.group(1)} {m.group(1).title()}")
    return out


def _mid_sentence(text: str, at: int) -> bool:
    """Does a word or a comma stand before ``at`` on its line ("med Gurli", "ja, Gurli"), so a capital there is a name's?"""
    head = text[max(0, at - 20):at].rstrip(" \t")
    return bool(head) and (head[-1].isalnum() or head[-1] == ",")


def _file_names(anonymous, transcripts) -> set[str]:
    """Names an anonymous interview's file name, folder, id, title, note or header lines hold ("Interview Søren
    Jensen.docx", "søren_jensen/", "title: Samtale med Søren Jensen", a first line "Interview med Søren Jensen, 14.
    marts"; a .docx's own title, subject, header or footer): runs of two or three of their words that a transcript
    writes as a name, each word capitalised ("Søren Jensen"). Another interview naming the respondent so
    identified them, and nothing else told condense the name ("interview" or "beboer kvinde" is no name:
    nobody writes it so)."""
    runs, own = _named_runs(anonymous)
    if not runs:
        return set()
    pattern = re.compile(r"(?<!\w)(" + "|".join(r"\s+".join(map(re.escape, run.split()))
                                                for run in sorted(runs, key=lambda r: (-len(r), r))) + r")(?!\w)")
    out = set()
    for t in transcripts:
        text = t.text
        for line in own.get(t.id, ()):
            text = text.replace(line, "")
        out |= {" ".join(m.group(1).split()) for m in pattern.finditer(text)}
    return out


def _named_runs(anonymous) -> tuple[set[str], dict[str, list[str]]]:
    """:func:`_file_names`' runs of words, and each anonymous transcript's title and header lines (its own text,
    where a run is not looked for)."""
    runs, headed, own = set(), set(), {}
    for t in anonymous:
        notes = [v for k in ("title", "note", "notes", "document") for v in [t.metadata.get(k)] if isinstance(v, str)]
        for name in (t.id, Path(t.path).stem, Path(t.path).parent.name, *notes):
            runs |= _runs(name)
        lines = [line for line in [getattr(t, "title", ""), *getattr(t, "header", ())] if isinstance(line, str) and line]
        headed |= {run for line in lines for run in _runs(line)}
        own[t.id] = lines
    # a header line is in the transcript's text: its runs count where a transcript writes them elsewhere, and only
    # runs a plan or place is no word of ("Helhedsplanen Solsikkeparken") with a word no lexicon knows (a surname)
    places = {w.casefold() for t in anonymous for c in t.cases for w in re.split(r"[\W_\d]+", c)}
    runs |= {run for run in headed if not places & {w.casefold() for w in run.split()}
             and any(_unknown(w) for w in run.split())}
    return runs, own


def _runs(name: str) -> set[str]:
    """The runs of two or three words (two letters or more) of a file name, title or header line, capitalised."""
    words = [w for w in re.split(r"[\W_\d]+", name) if len(w) >= 2]
    return {" ".join(words[i:i + n]).title() for n in (2, 3) for i in range(len(words) - n + 1)}


def _names_in_any_case(transcripts, words: set[str]) -> set[str]:
    """Which words of anonymous respondents' names (three letters or more) are removed in any letter case, not only
    where written as a name: those no transcript writes in lower case in running text, and those no lexicon knows
    ("Zenfeldt", "Gail"). An e-mail address, a web address or a handle is written in lower case
    ("gurli.zenfeldt@kommune.dk", "facebook.com/gurli", "@zenfeldt"), and so is a name in speech-to-text ("så
    sendte zenfeldt skemaet"): capitalised only, the name stayed there, and the audit, which looked only for words
    never written in lower case, passed. A known word some transcript writes in lower case in running text ("per
    uge", "mark"), or its genitive ("dans" beside "Dan"), is still removed only where written as a name; in any case
    only the name and its genitive are, not the other inflections a name takes ("Spar" would take "spare")."""
    words = {w for w in words if len(w) > 2}
    forms = {f"{w}{s}".lower(): w for w in words for s in ("", "s")}  # as removed in any case: the name and its genitive
    lower = _lower_case_words(transcripts, set(forms))
    running = {forms[f] for f in lower if not _unknown(f) and any(_in_running_text(f).search(t.text) for t in transcripts)}
    return {w for w in words if w not in running}


def _in_addresses(words: set[str]) -> re.Pattern | None:
    """``words`` in any letter case inside an e-mail or web address or a handle: after ``@ # / .``, or before ``@ / #``
    or a dot that a word character follows ("per@kommune.dk", "facebook.com/per", "#per"). There a name is written
    in lower case whatever it is elsewhere, and a known word ("per uge") is no word of running text."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<=[@#/.])(?:{alternatives})(?!\w)|(?<!\w)(?:{alternatives})(?=[@/#]|\.\w)", re.I)


def _unknown(word: str) -> bool:
    """A word neither lexicon (Danish, English) knows: a name, not a word that may also be one."""
    return not (_known(word, "da") or _known(word, "en"))


def _in_running_text(word: str) -> re.Pattern:
    """``word`` (lower case) as a word of running text, not inside an address: not after ``@ # / .`` or a word
    character, not before ``@ / #`` or a dot that a word character follows ("gurli.zenfeldt@", "@gurli")."""
    return re.compile(rf"(?<![\w@#/.]){re.escape(word)}\b(?![@/#]|\.\w)")


def _lower_case_words(transcripts, words: set[str]) -> set[str]:
    """Which of ``words`` (lower-cased) any transcript writes in lower case, as an ordinary word ("per uge").

    What ``\\b(per|mark|…)\\b`` finds: every word opens with a letter (a capital, lower-cased), so the boundary
    before it is checked after its first character, two characters back, as :func:`name_pattern` does. A
    pattern opening with ``\\b`` is tried at every position of every transcript; this one only where a word's
    first letter stands (1M words, one name: 0.11 -> 0.01 CPU s)."""
    if not words:
        return set()
    lowered = sorted(w.lower() for w in words)
    pattern = re.compile("(" + "|".join(_after_boundary(w) for w in lowered) + r")\b")
    return {m.group(1) for t in transcripts for m in pattern.finditer(t.text)}


def _after_boundary(word: str) -> str:
    """``word`` as a regex that, once its first character matched, asks that no word character stood before
    it (``\\b`` before a word that opens with a word character), else ``\\b`` first as it was."""
    if not re.match(r"\w", word):
        return r"\b" + re.escape(word)
    return re.escape(word[0]) + r"(?<!\w[\s\S])" + re.escape(word[1:])


_INTRO_NAME = re.compile(
    r"\b(?:jeg\s+hedder|hedder\s+jeg|mit\s+navn\s+(?:det\s+)?er|my\s+name\s+is|my\s+name['’]s|i\s+am\s+called|"
    r"i['’]m\s+called|"
    # the interviewer naming the respondent ("Du hedder Gurli Zenfeldt, ikke?"): read in an anonymous interview,
    # whose every turn is read for the respondent's names
    r"(?:du\s+hedder|hedder\s+du)(?:\s+(?:ikke|vel|jo))?|dit\s+navn\s+(?:det\s+)?er|your\s+name\s+is|your\s+name['’]s)\s+"
    r"(?P<name>[A-ZÆØÅ][\wæøå'’\-]+(?:\s+[A-ZÆØÅ][\wæøå'’\-]+){0,2})", re.I)


# "I'm Gail", "I am Gail Hansen": "I'm"/"I am" in any case, then a run of capitalised words (the capital is
# required here: in lower case "i'm" is followed by ordinary words far too often to read a name out of them)
_IM_NAME = re.compile(r"(?i:\bi['’]m|\bi\s+am)\s+(?P<name>[A-ZÆØÅ][\wæøå'’\-]+(?:\s+[A-ZÆØÅ][\wæøå'’\-]+){0,2})")
# "i'm gail" as speech-to-text writes it: the lower-case words after "i'm"/"i am" that are no ordinary English
# word (ordinary_word); in 105 "I'm …" of shuffle_music's answers (63 different words after it) none is one
_IM_LOWER = re.compile(r"\b(?:i['’]m|i\s+am)\s+(?P<name>[a-zæøå][\wæøå'’\-]+(?:\s+[a-zæøå][\wæøå'’\-]+){0,2})")
_CAP = r"[A-ZÆØÅ][\wæøå'’\-]+"
# Introductions read from a capitalised name only, each held by the words around it: "det er Gurli her" (on the
# phone), "Gurli hedder jeg", "jeg er Gurli" (Danish writes nouns and nationality words in lower case, so a capital
# after "jeg er" names someone), "this is Gail speaking" / "this is Gail here". Over ecape_da's 30 interviews,
# the sample and shuffle_music's answers they read one name, "jeg er B-menneske", which is left out (a letter and a
# hyphen), and the sample's own "Mette Frandsen hedder jeg".
# the greetings that open a call before "Gurli her" (one list: the introduction's pattern and the turn-start test)
_GREETINGS = "hej|hallo|halløj|goddag|godmorgen|davs"
_NAMED_AS = {  # the words that must be in a text for each (lower-cased) → the introduction
    " her": re.compile(rf"(?i:\bdet\s+er)\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})\s+her\b"),
    "hedder jeg": re.compile(rf"(?<![\w'’\-])(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})\s+hedder\s+jeg\b"),
    "jeg er": re.compile(rf"(?i:\bjeg\s+er)\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})"),
    "this is": re.compile(rf"(?i:\bthis\s+is)\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})\s+(?:speaking|here)\b"),
    # the name the speaker goes by: "de kalder mig bare Gunnie", "kald mig Gunnie", "jeg bliver kaldt Gunnie" (a
    # capital required: "de kalder mig tosset" names nobody)
    # "it's Gail here" (on the phone), "det er mig, Gurli", "it's me, Gail", "I go by Gail"
    " here": re.compile(rf"(?i:\bit['’]?s)\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})\s+here\b"),
    "mig,": re.compile(rf"(?i:\bdet\s+er\s+mig),\s*(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})"),
    "me,": re.compile(rf"(?i:\bit['’]?s\s+me),\s*(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})"),
    "go by": re.compile(rf"(?i:\bi\s+go\s+by)\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})"),
    "kald": re.compile(rf"(?i:\b(?:(?:kalder|kaldte|kald)\s+mig|jeg\s+(?:bliver\s+)?kald(?:es|t))(?:\s+(?:bare|for|altid))*)"
                       rf"\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})"),
    # "Hej, Gurli her" on the phone: a greeting opening the turn first (ecape_da's 135 capitalised words before "her"
    # are "Det her", "Men her", "Kaffemaskinen her"; none follows a greeting)
    "her": re.compile(rf"(?i:\b(?:{_GREETINGS})\w*)[,.!]?\s+"
                      rf"(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})\s+her\b"),
}
# "Det er Gurli Zenfeldt" (on the phone, without "her"): a whole name, two or three capitalised words, one of them no
# word either lexicon knows (the surname), and no cleft after it ("Det er Anne Hansen, der bestemmer" names her as
# someone else). "Det er" and one capitalised word is mostly a cleft or an identification: ecape_da's 11 ("det er
# Radius der …", "det er IKEA", "det er Nunu", the name of a cat); its whole names: none.
_DET_ER_NAME = re.compile(rf"(?i:\bdet\s+er)\s+(?P<name>{_CAP}(?:\s+{_CAP}){{1,2}})")
_CLEFT = re.compile(r"\s*,?\s*(?:der|som)\b", re.I)
# "jeg er gurli zenfeldt og …" in lower case (speech-to-text, a hurried transcriber): the run of two or three words
# after "jeg er" before a stop word, one of them no word either lexicon knows ("jeg er megastresset over" is one word)
_JEG_ER_LOWER = re.compile(r"\bjeg\s+er\s+(?P<name>[a-zæøå][\wæøå'’\-]+(?:\s+[a-zæøå][\wæøå'’\-]+){1,2})")
_GREETING = re.compile(_GREETINGS)
# "call me Gail": as "I'm Gail", the capitalised word no ordinary English word ("call me Monday")
_CALL_ME = re.compile(rf"(?i:\bcall\s+me)\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})")
# wordfreq's Zipf frequency from which a word the lexicon does not know is still an ordinary word ("Gonna"): no
# first name or surname measured was as common ("Li" 4.25, "Hansen" 3.61, "Gail" 3.47)
ORDINARY_ZIPF = 4.5


# Every match of _INTRO_NAME holds "hedder", "navn", "name" or "called", and every match of _IM_NAME "i'm", "i’m"
# or "i am" (lower-cased; "i" and a space): a turn whose lower-cased text holds none of them has no introduction
# (no letter of these words matches case-insensitively anything but its own upper and lower case), and a
# substring test is 10x cheaper than the search.
def introduced_names(transcript, labels: list[str] | None = None) -> set[str]:
    """Names a speaker gives for themselves ("jeg hedder Torben", "my name is Ann Lee", "I'm Gail"), answering a
    question for their name ("Hvem taler jeg med?" – "Gurli Zenfeldt.") or answering the phone ("Gurli Zenfeldt,
    goddag", "Gail Hansen speaking")."""
    out = set()
    asked = ""
    for i, turn in enumerate(transcript.turns):
        if labels is not None and turn.speaker not in labels and transcript.anonymous is not True:
            asked = turn.text
            continue
        text = _rejoined(turn.text)
        low = text.lower()
        named = "hedder" in low or "navn" in low or "name" in low or "called" in low
        if named:
            out |= _names_of(_INTRO_NAME.finditer(text))
        out |= _named_otherwise(text, low) | _on_the_phone(text, asked, i < OPENING_TURNS)
        asked = turn.text
    return out


# A word a line break split with a hyphen, joined again as a turn's lines are ("Gunn- vor Abelsted"): a letter, a
# hyphen, space and a word in small letters that is no conjunction ("sundheds- og fritidsdelen" is two words)
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-\s+(?=[a-zæøå])(?!(?:og|eller|samt|til|som|såvel|and|or|nor|to|as)\b)")


def _rejoined(text: str) -> str:
    """``text`` with its words a hyphen at a line break split written whole ("Jeg hedder Gunn- vor" → "Gunnvor"):
    the name read from it is the name (it was "Gunn-", and "Gunnvor" stayed everywhere else)."""
    return _HYPHEN_BREAK.sub("", text) if "- " in text or "-\n" in text else text


OPENING_TURNS = 4  # a phone is answered by name in the call's first turns (a greeting, small talk, the consent)


# A question for the name ("Hvem taler jeg med?", "Hvad hedder du?", "Who am I speaking with?", "What's your name?")
_ASKS_NAME = re.compile(
    r"(?i)\b(?:hvem\s+taler\s+jeg\s+med|hvem\s+er\s+det\s+jeg\s+taler\s+med|hvad\s+hedder\s+du|"
    r"hvad\s+er\s+dit\s+(?:fulde\s+)?navn|who\s+(?:am\s+i|are\s+we)\s+(?:speaking|talking)\s+(?:with|to)|"
    r"what['’]?s\s+your\s+(?:full\s+)?name|what\s+is\s+your\s+(?:full\s+)?name|who\s+is\s+this|who['’]s\s+this|"
    r"who\s+is\s+speaking)\b[^?]*\?")
# ... answered by a name standing alone at the start of the next turn ("Gurli Zenfeldt.", "Ja, det er Gurli.")
_NAME_ANSWER = re.compile(rf"\s*(?:(?i:ja|jo|yes|yeah|hej|hi|hello|det\s+er|it['’]?s|this\s+is)[,.!]?\s+)*"
                          rf"(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})\s*(?:[.,!]|$)")
# A phone answered by name: "Gurli Zenfeldt, goddag", "Gail Hansen speaking", "Gurli her.", at the start of a turn
_PHONE_OPENING = re.compile(rf"\s*(?:(?i:hej|hi|hello|hallo|ja|yes)[,.!]?\s+)?(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})"
                            rf"(?:,?\s+(?i:goddag|god\s+dag|godmorgen|hej|hallo|davs|hello|hi|good\s+(?:morning|afternoon))\b"
                            rf"|\s+(?i:speaking)\b|\s+(?i:here|her)\s*(?:[.,!]|$))")  # "Gail here." / "Gurli her, hej"


def _on_the_phone(text: str, asked: str, opening: bool) -> set[str]:
    """The name a turn answers a question for the name with, or, in the call's ``opening`` turns, answers the phone
    by (:func:`introduced_names`): words no stop word opens, one of them no common word unless the question asked
    for the name ("Okay, hej" and "Ja." name nobody)."""
    out: set[str] = set()
    if asked and "?" in asked and _may_ask_name(asked.lower()) and _ASKS_NAME.search(asked):
        out |= _names_of(named for m in [_NAME_ANSWER.match(text)] if m for named in [_NamedAs(m)] if named.name)
    m = _PHONE_OPENING.match(text) if opening else None
    if m:
        out |= _names_of(named for named in [_NamedAs(m)] if named.name and _some_name_in(named.name)
                         and named.name.split()[0].lower() not in _GREETING_WORDS)
    return out


# "Hallo, goddag" and "Goddag, hej" open a call without a name (ecape_da's interviews 07 and 21): the greetings of
# "Hej, Gurli her" (_GREETINGS) and a few more
_GREETING_WORDS = set(_GREETINGS.split("|")) | {"godaften", "hello", "hi", "hey", "good"}


def _may_ask_name(low: str) -> bool:
    """Does a lower-cased question hold a word every match of :data:`_ASKS_NAME` holds? (Searching each question,
    and each turn for a phone's opening, took introduced_names over ecape_da from 0.13 to 0.27 CPU s; 0.17 with
    this test and the opening looked for in a call's first turns only, min of 5.)"""
    return "hvem" in low or "hedder" in low or "navn" in low or "who" in low or "name" in low


def _some_name_in(run: str) -> bool:
    """Is one of a run's words rare in Danish and in English (wordfreq's Zipf below :data:`ORDINARY_ZIPF`)?"""
    zipf_frequency = _zipf_frequency()
    return any(zipf_frequency(w.lower(), "da") < ORDINARY_ZIPF and zipf_frequency(w.lower(), "en") < ORDINARY_ZIPF
               for w in run.split())


def _named_otherwise(text: str, low: str) -> set[str]:
    """The names ``text`` (``low``: lower-cased) introduces its speaker by other than "jeg hedder …" / "my name is …":
    "I'm Gail" (and "i'm gail"), "call me Gail", "det er Gurli her", "Gurli hedder jeg", "jeg er Gurli", "this is
    Gail speaking". Each is looked for only where its words are (a substring test is far cheaper than a search)."""
    return _named_in_english(text, low) | _named_in_danish(text, low)


def _named_in_english(text: str, low: str) -> set[str]:
    """"I'm Gail", "i'm gail", "call me Gail" (:func:`_named_otherwise`)."""
    out: set[str] = set()
    if "i'm" in low or "i’m" in low or "i am" in low:
        out |= _names_of(m for m in _IM_NAME.finditer(text) if _some_name(m.group("name")))
        for m in _IM_LOWER.finditer(text):
            name = _unordinary_run(m.group("name").split()).title()
            out |= {name, name.split()[0]} if name else set()
    if "call me" in low:
        out |= _names_of(m for m in _CALL_ME.finditer(text) if _some_name(m.group("name")))
    return out


def _named_in_danish(text: str, low: str) -> set[str]:
    """"Det er Gurli Zenfeldt", "jeg er gurli zenfeldt og …", "Hej, Gurli her" and the rest of :data:`_NAMED_AS`
    (:func:`_named_otherwise`)."""
    out: set[str] = set()
    if "det er" in low and _capital_after(text, low, "det er "):
        out |= _names_of(m for m in _DET_ER_NAME.finditer(text)
                         if not _CLEFT.match(text, m.end()) and _unknown_in(m.group("name").split()))
    if "jeg er" in low:
        out |= _names_of(named for m in _JEG_ER_LOWER.finditer(text) for named in [_Lower(m)] if named.name)
    return out | _named_as(text, low)


def _named_as(text: str, low: str) -> set[str]:
    """The introductions of :data:`_NAMED_AS`, each looked for where its words are."""
    out: set[str] = set()
    for words, pattern in _NAMED_AS.items():
        if words == "her" and not _GREETING.search(low, 0, 30):  # a call's greeting opens the turn
            continue
        if words in low and (words != "jeg er" or _capital_after(text, low, "jeg er ")) and (
                words != " her" or _capital_after(text, low, "det er ")):
            out |= _names_of(named for m in pattern.finditer(text) for named in [_NamedAs(m)] if named.name)
    return out


def _capital_after(text: str, low: str, words: str) -> bool:
    """Does ``words`` (lower case, ending in a space) stand before a capital letter anywhere in ``text``? "det er" and
    "jeg er" are in a quarter of ecape_da's turns; a capital after them in 19 of 17,714, and looking at the letter
    after each is cheaper than a search of the turn (introduced_names over ecape_da, min of 7: 0.09 -> 0.06 CPU s;
    0.04 before these introductions were read)."""
    at = low.find(words)
    while at >= 0:
        nxt = at + len(words)
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if nxt < len(text) and text[nxt].isupper():
            return True
        at = low.find(words, nxt)
    return False


class _NamedAs:
    """A match of :data:`_NAMED_AS` as :func:`_names_of` reads one: ``group("name")`` is the name, without the stop
    words a sentence may open with ("Og Gurli hedder jeg", "Det hedder jeg" names nobody) and not a letter and a
    hyphen or a word in capitals ("B-menneske", "DF'er")."""

    def __init__(self, match: re.Match):
        from .stopwords import stop_words

        stop = stop_words("da") | stop_words("en")
        words = match.group("name").split()
        while words and words[0].lower() in stop:
            words.pop(0)
        self.name = " ".join(words) if words and not re.match(r"\w-|\w[A-ZÆØÅ]", words[0]) else ""

    def group(self, _name: str) -> str:
        return self.name


class _Lower:
    """A match of :data:`_JEG_ER_LOWER` as :func:`_names_of` reads one: its words before the first stop word,
    capitalised, when there are two or three and one of them is no word of either lexicon; else no name."""

    def __init__(self, match: re.Match):
        from itertools import takewhile

        from .stopwords import stop_words

        stop = stop_words("da")
        words = list(takewhile(lambda w: w.lower() not in stop and w.lower() not in stop_words("en"),
                                match.group("name").split()))
        self.name = " ".join(w.title() for w in words) if len(words) >= 2 and _unknown_in(words) else ""

    def group(self, _name: str) -> str:
        return self.name


def _unknown_in(words: list[str]) -> bool:
    """Is one of ``words`` a word neither lexicon knows and rare in both languages (a surname: "Zenfeldt")?"""
    zipf_frequency = _zipf_frequency()
    return any(not _known(w, "da") and not _known(w, "en") and zipf_frequency(w.lower(), "da") < 3.0
               and zipf_frequency(w.lower(), "en") < 3.0 for w in words)


def _zipf_frequency():
    """wordfreq's ``zipf_frequency``, wordfreq imported as :func:`condense.parallel.preload` imports it: the
    privacy is built before the run preloads its steps' modules, and its lower-case introductions ("jeg er
    søren ågård") imported wordfreq first, whose data folder was then found through ``inspect.stack()``,
    which reads the source of every frame on the stack (the sample: the import 0.22 -> 0.12 CPU s)."""
    from .parallel import preload

    preload("wordfreq")
    from wordfreq import zipf_frequency

    return zipf_frequency


def _some_name(run: str) -> bool:
    """Is a run of capitalised words after "I'm" or "call me" a name: is one of its words no ordinary English word?
    "I'm Peter Zenfeldt" is, by its surname, though the lexicon knows "Peter" (the whole introduction named nobody,
    so "Zenfeldt" stayed too); "I'm Sure", "I'm English Premier League" are not."""
    return any(not ordinary_word(w) for w in run.split())


def _unordinary_run(words: list[str]) -> str:
    """The words of a lower-case "i'm gail hansen and …" up to the first ordinary English word: the name."""
    from itertools import takewhile

    return " ".join(takewhile(lambda w: not ordinary_word(w), words))


def _introduces_by_im(text: str) -> bool:
    """Does ``text`` hold a self-introduction :func:`introduced_names` reads a name from other than by "jeg hedder"
    / "my name is" ("I'm Gail", "det er Gurli her", …)? Such a unit is no quote, as a "my name is …" one is not."""
    return bool(_named_otherwise(text, text.lower()))


def _names_of(matches) -> set[str]:
    """The names of introduction matches, each whole and by its first word (the one a speaker is called by)."""
    out = set()
    for m in matches:
        name = _as_name(m.group("name").split())
        if name:
            out.add(name)
            out.add(name.split()[0])
    return out


@lru_cache(maxsize=4096)
def ordinary_word(word: str) -> bool:
    """Is the capitalised word after "I'm"/"I am" an ordinary English word rather than a name? "I'm" is followed
    by ordinary words far more often than by names ("I'm Sure", "I'm English", "I'm Ill"), so a word is taken as a
    name only when it is none: not an English stop word, not known to the lexicon the lemmas come from
    (simplemma's, every adjective, participle and nationality word measured was known to it: "sure", "ill",
    "danish", "eritrean", "dyslexic"), and not common in English (wordfreq Zipf below :data:`ORDINARY_ZIPF`).
    The lexicon knows common first names too ("Peter", "Lars", "Fatima", "Ahmed"): "I'm Peter" names nobody here
    ("my name is Peter" does); `condense names` proposes "Peter" from "I'm Peter," for pseudonyms.csv."""
    from .stopwords import stop_words

    zipf_frequency = _zipf_frequency()
    low = word.lower().strip("'’")
    return low in stop_words("en") or _known(word, "en") or zipf_frequency(low, "en") >= ORDINARY_ZIPF


def _as_name(words: list[str]) -> str:
    """The name in the up to three words after "jeg hedder": its capitalised words ("Søren Ågård og" → "Søren
    Ågård"). Written in lower case (speech-to-text often writes no capital, a hurried transcriber none for a
    name), the words before the first stop word, capitalised ("søren ågård og jeg" → "Søren Ågård"; "jeg hedder
    ikke noget særligt" names nobody): an anonymous respondent's own name in lower case stayed in their units,
    beside their public id, and in every interview naming them."""
    from itertools import takewhile

    from .stopwords import stop_words

    if words[0][:1].isupper():
        return " ".join(takewhile(lambda w: w[:1].isupper(), words))
    stop = stop_words("da") | stop_words("en")
    return " ".join(w.title() for w in takewhile(lambda w: w.lower() not in stop, words))


# The privacy of the run in progress: the quote-safety predicate reads it (set by Privacy.apply).
_ACTIVE: list[Privacy | None] = [None]


def active_privacy() -> Privacy | None:
    """The privacy of the run in progress (the last one applied in this process), or None."""
    return _ACTIVE[0]


def quote_safe(unit: MeaningUnit) -> bool:
    """May this unit be shown as a quote, a condensate's source or a candidate's example?

    Never a self-introduction, never a unit naming a listed person (real name or pseudonym), never an
    anonymous respondent's unit that mentions a place or plan (or lost one to ``[anonymiseret]``).
    """
    text = unit.text
    if SELF_INTRO.search(text) or _introduces_by_im(text):
        return False
    privacy = _ACTIVE[0]
    if privacy is not None:
        for pattern in (privacy.name_words, privacy.names):
            if pattern is not None and pattern.search(text):
                return False
    if unit.anonymous:
        if _PLACEHOLDER_RE.search(text):
            return False
        if privacy is not None and privacy.places is not None and privacy.places.search(text):
            return False
    return True


def pseudonyms_file(project) -> Path | None:
    """The project's pseudonym list: ``pseudonyms:`` in the project file, else ``pseudonyms.csv`` beside the
    project file or in the (first) transcripts folder."""
    explicit = getattr(project, "pseudonyms", None)
    if explicit is not None:
        if not Path(explicit).exists():
            raise CondenseError("E820", path=display_path(explicit), detail="the file does not exist")
        return Path(explicit)
    candidates = []
    if getattr(project, "path", None):
        candidates.append(Path(project.path).parent / PSEUDONYMS_CSV)
    for t in getattr(project, "transcripts", []) or []:
        t = Path(t)
        candidates.append((t if t.is_dir() else t.parent) / PSEUDONYMS_CSV)
    for c in candidates:
        if c.exists():
            return c
    return None


def privacy_of(project, corpus, *, language: str | None = None, diagnostics: Diagnostics | None = None) -> Privacy:
    """The run's :class:`Privacy`, built from the project's pseudonyms and the corpus (not yet applied);
    ``diagnostics`` gets what reading pseudonyms.csv warns of."""
    path = pseudonyms_file(project)
    pseudonyms = read_pseudonyms(path, diagnostics) if path is not None else []
    lang = language or getattr(project, "language", None) or "da"
    privacy = Privacy.build(corpus, pseudonyms=pseudonyms, language=lang)
    privacy.source = path
    return privacy


def apply_privacy(project, corpus, seg, *, language: str | None = None,
                  diagnostics: Diagnostics | None = None) -> Privacy:
    """Build the run's :class:`Privacy` from the project (or, with ``project=None``, from the transcripts'
    folders), apply it to the segmentation in place and return it (also kept as ``seg.privacy``)."""
    if project is None:
        from types import SimpleNamespace

        project = SimpleNamespace(path=None, pseudonyms=None,
                                  transcripts=list(dict.fromkeys(Path(t.path).parent for t in corpus.transcripts)))
    privacy = privacy_of(project, corpus, language=language, diagnostics=diagnostics)
    privacy.apply(seg)
    _ACTIVE[0] = privacy
    seg.privacy = privacy
    return privacy
