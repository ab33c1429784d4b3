"""Review: human decisions on suggested codes, kept in ``decisions.csv`` and applied on every run.

Decision rows: ``transcript, unit_id, fingerprint, dimension, theme, subtheme, action, coder, note``.

* ``accept`` confirms a suggested theme; ``reject`` removes it; ``add`` (the default when ``action`` is
  empty) adds a theme — in a single-label dimension it replaces the rule's choice.
* A row with an empty ``theme`` says "this unit has no theme in this dimension" (a judgement, not a gap).
* Human beats rule: a reviewed (unit, dimension) is what the people said.
* Decisions follow their text: they are matched by unit id *and* fingerprint; when a transcript was edited
  or re-segmented and the id now points at other text, the fingerprint finds the unit again, in the decision's
  own interview (or the only interview saying those words: one renamed). Decisions that match no unit, or
  words several other interviews say, are reported (``orphaned_decisions.csv``) and stay in ``decisions.csv``: this module never
  writes that file except when importing a review sheet, and then only adds or updates rows.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from .codebook import Codebook
from .errors import CondenseError, CondenseErrors, Diagnostics, did_you_mean, display_path, first_few
from .ingest.withdrawn import MARKER_LIKE, strip_withdrawn
from .model import Coding, MeaningUnit, fingerprint_words, parse_unit_id, words_digest

__all__ = [
    "DECISION_COLUMNS", "ACTIONS", "Decision", "ReviewOutcome", "read_decisions", "validate_decision",
    "write_decisions", "locate", "apply_decisions", "converted_orphans", "final_codings", "SHEET_FIXED", "NONE_CHOICE", "review_sheet",
    "theme_choices", "write_review_sheet", "import_review_sheet", "merge_decisions", "decided_otherwise", "DECISION_WORDS", "NONE_WORDS",
    "decision_action", "sheet_columns", "sheet_header", "suggestion_label"
]

DECISION_COLUMNS = ["transcript", "unit_id", "fingerprint", "dimension", "theme", "subtheme", "action", "coder", "note"]
ACTIONS = ("accept", "reject", "add", "")


@dataclass
class Decision:
    row: int
    transcript: str
    unit_id: str
    fingerprint: str
    dimension: str
    theme: str
    subtheme: str = ""
    action: str = "add"
    coder: str = ""
    note: str = ""
    # columns of decisions.csv that condense does not read (a researcher's own "kommentar"), kept as they are
    # when the file is written again: `review import` rewrote the file with its nine columns and dropped them
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def as_row(self) -> dict:
        return {k: getattr(self, k) for k in DECISION_COLUMNS}


@dataclass
class ReviewOutcome:
    """What applying the decisions did. Every decision read is counted exactly once:
    ``applied + superseded + len(orphaned) == decisions``. ``rejected`` counts the applied decisions whose
    action is ``reject`` (they are part of ``applied``)."""

    codings: list[Coding]
    applied: int = 0
    orphaned: list[Decision] = field(default_factory=list)
    relocated: int = 0  # decisions found again by fingerprint after their unit id changed
    superseded: int = 0  # replaced by a later decision on the same unit, dimension, theme and sub-theme
    rejected: int = 0  # applied decisions with action ``reject``
    decisions: int = 0  # decisions read

    def summary(self) -> dict:
        return {"decisions": self.decisions, "applied": self.applied, "superseded": self.superseded,
                "orphaned": len(self.orphaned), "rejected": self.rejected, "relocated": self.relocated}


def read_decisions(path: str | Path, codebook: Codebook | None = None, *,
                   sources: tuple[str, ...] | None = None, diagnostics: Diagnostics | None = None) -> list[Decision]:
    """Read a decisions (or reference coding) file, validating actions and, with a codebook, theme ids.

    Every bad row is reported at once, with its row number. ``sources`` keeps only rows whose ``source``
    is one of them, when the file has that column (a codings.csv: ``sources=("human",)``). ``diagnostics``
    gets what reading the table warns of, as for every other file a run reads (W101: a decisions.csv that
    Excel saved as Windows-1252).
    """
    from .io import read_table

    path = Path(path)
    if not path.exists():
        return []
    header, rows = read_table(path, diagnostics=diagnostics)
    _decision_columns(path, header)
    own = [h for h in header if h and h not in DECISION_COLUMNS]  # a researcher's own columns, kept on rewrite
    if sources is not None and "source" in header:
        rows = [(line, r) for line, r in rows if r.get("source", "") in sources]
    errors: list[CondenseError] = []
    out = []
    for line, r in rows:
        read = _decision_row(path, line, r, own)
        if isinstance(read, CondenseError):
            errors.append(read)
            continue
        if codebook is not None:
            errors.extend(validate_decision(read, codebook, path))
        out.append(read)
    if errors:
        raise CondenseErrors(errors)
    return out


def _decision_row(path: Path, line: int, r: dict, own: list[str]) -> Decision | CondenseError:
    """One row of a decisions file as a :class:`Decision`, or the error that row is (E505 an action condense does
    not know, E516 a fingerprint a spreadsheet turned into a number, E519 a row naming no unit and no dimension)."""
    action = (r.get("action", "") or "").strip().lower()
    if action not in ACTIONS:
        return CondenseError("E505", path=display_path(path), row=line, action=action)
    note = strip_withdrawn(r.get("note", ""), path, line, column="note")
    bad = _fingerprint_problem(r, path, line)
    if bad:
        return bad
    fingerprint = (r.get("fingerprint", "") or "").strip()
    if not (r.get("unit_id") or "").strip() and not (r.get("dimension") or "").strip():
        filled = [k for k, v in r.items() if k and (v or "").strip()]  # the columns only: a note may quote anyone
        return CondenseError("E519", path=display_path(path), row=line,
                             values=first_few(filled, 3) if filled else "nothing")
    return Decision(line, _nfc(r.get("transcript", "")), _nfc(r.get("unit_id", "")), fingerprint.lower(),
                    r.get("dimension", ""), r.get("theme", ""), r.get("subtheme", ""), action or "add",
                    r.get("coder", ""), note, {h: r.get(h, "") for h in own})


def _decision_columns(path: Path, header: list[str]) -> None:
    """E504 for a column of decisions missing; E517 for a review sheet given where decisions are read (`condense
    learn review.xlsx`, `decisions: review.xlsx` in condense.yaml): E504 said it had no column 'unit_id', beside
    its "enhed (id)" column."""
    missing = [c for c in ("unit_id", "dimension", "theme") if c not in header]
    if not missing:
        return
    keys = {_header_key(h) for h in header if h}
    if {"enhed (id)", "unit id"} & keys and any(k.endswith(("decision", "beslutning")) for k in keys):
        decisions = display_path(path.with_name("decisions.csv"))
        raise CondenseError("E517", path=display_path(path), decisions=decisions,
                            then=f"give {decisions} where you gave the sheet")
    from .io import missing_column

    raise missing_column(path, header, missing[0], "unit_id, dimension, theme")


# what fingerprint() writes: 16 hex digits. A spreadsheet program that opened decisions.csv and saved it turns
# some into numbers ("1.23457E+15": about one fingerprint in 1,800 is all digits), and such a decision could only
# ever be orphaned or, by its unit id alone, land on other text after an edit.
_FINGERPRINT = re.compile(r"[0-9a-fA-F]{16}\Z")


def _nfc(text: str) -> str:
    """An id as condense writes it (NFC: :func:`condense.ingest.sources.file_id`), whatever form an editor or an
    older run on a Mac-named file wrote it in."""
    return unicodedata.normalize("NFC", text) if not text.isascii() else text


def validate_decision(d: Decision, codebook: Codebook, path) -> list[CondenseError]:
    dims = {dim.id: dim for dim in codebook.dimensions}
    if d.dimension not in dims:
        return [CondenseError("E502", path=display_path(path), row=d.row, dimension=d.dimension,
                              allowed=", ".join(dims))]
    if not d.theme:
        return []
    ids = dims[d.dimension].all_ids()
    top = [t.id for t in dims[d.dimension].themes]
    errors = []
    if d.theme not in top:
        errors.append(CondenseError("E501", path=display_path(path), row=d.row, theme=d.theme, dimension=d.dimension,
                                    hint=did_you_mean(d.theme, top)))
    if d.subtheme and d.subtheme not in ids and not (d.theme in top and dims[d.dimension].theme(d.theme).resolve(d.subtheme)):
        errors.append(CondenseError("E501", path=display_path(path), row=d.row, theme=d.subtheme, dimension=d.dimension,
                                    hint=did_you_mean(d.subtheme, list(ids))))
    return errors


def write_decisions(decisions: list[Decision], path: str | Path) -> Path:
    """The decisions file: one row per decision, UTF-8 without a BOM (people edit it by hand)."""
    import pandas as pd

    from .io import write_csv

    own = list(dict.fromkeys(h for d in decisions for h in d.extra))  # a researcher's own columns, after ours
    rows = [{**d.as_row(), **d.extra} for d in decisions]
    return write_csv(pd.DataFrame(rows, columns=DECISION_COLUMNS + own).fillna(""), path, bom=False)


def locate(decisions: list[Decision], units: list[MeaningUnit]) -> tuple[dict[int, str], list[Decision], int]:
    """Find each decision's unit: by id when the text still matches, else by fingerprint.

    Returns (index of decision → unit id, orphaned decisions, number relocated by fingerprint).
    """
    by_id = {u.unit_id: u for u in units}
    by_fp: dict[str, list[MeaningUnit]] = defaultdict(list)
    for u in units:
        by_fp[u.fingerprint].append(u)
    found: dict[int, str] = {}
    orphans: list[Decision] = []
    moved = 0
    for i, d in enumerate(decisions):
        u = by_id.get(d.unit_id)
        if u is not None and (not d.fingerprint or u.fingerprint == d.fingerprint):
            found[i] = u.unit_id
            continue
        unit = _relocated(d, by_fp.get(d.fingerprint, []) if d.fingerprint else [])
        if unit is None and d.fingerprint:
            unit = _grown(d, by_id)
        if unit is not None:
            found[i] = unit.unit_id
            moved += 1
        else:
            orphans.append(d)
    return found, orphans, moved


def _relocated(d: Decision, candidates: list[MeaningUnit]) -> MeaningUnit | None:
    """The unit a decision's text is now in: one of its own interview's (named by its ``transcript`` column, else
    by its unit id), else the only unit anywhere with that text (an interview renamed). Text said in several
    interviews ("Ja, det tror jeg.") and in none of the decision's own is no unit: a decision made on one
    interview was put on another's words (the first in id order) when its unit id was lost, as a spreadsheet
    that reads "03:0003:1" as a time loses it."""
    transcript = d.transcript or (parse_unit_id(d.unit_id) or ("",))[0]
    same = [c for c in candidates if c.transcript == transcript]
    if same or len({c.transcript for c in candidates}) == 1:
        return sorted(same or candidates, key=lambda c: c.unit_id)[0]
    return None


def _grown(d: Decision, by_id: dict[str, MeaningUnit]) -> MeaningUnit | None:
    """The unit of the decision's own turn (by its unit id) whose words hold the decided text's words in a row:
    where a sentence boundary went ("Kommer du?" and its speech tag "sagde en." became one sentence), a unit's
    text is now part of a longer unit's, and neither its id nor its fingerprint found it."""
    parts = parse_unit_id(d.unit_id)
    if parts is None:
        return None
    turn = parts[:2]  # (transcript, turn)
    for u in sorted((u for uid, u in by_id.items() if (parse_unit_id(uid) or ())[:2] == turn), key=lambda u: u.position):
        words = fingerprint_words(u.text).split()
        if any(words_digest(b" ".join(words[i:j])) == d.fingerprint
               for i in range(len(words)) for j in range(i + 1, len(words) + 1)):
            return u
    return None


def apply_decisions(codings: list[Coding], units: list[MeaningUnit], decisions: list[Decision],
                    codebook: Codebook) -> ReviewOutcome:
    """Human over rule: return the codings with every decision applied, and the orphans.

    A decision's key is (unit, dimension, theme, sub-theme): two sub-themes of one theme on one unit are
    two codings. Each coder's decisions on a (unit, dimension) apply in file order, apart from every other
    coder's: a later decision of the same coder on the same key replaces the earlier one (counted as
    superseded), while two coders who give the same theme each keep their coding.
    """
    found, orphans, moved = locate(decisions, units)
    multi = {d.id: d.multi_label for d in codebook.dimensions}
    per: dict[tuple[str, str], list[int]] = defaultdict(list)  # (unit, dimension) -> its decisions, in file order
    for i in sorted(found):
        per[(found[i], decisions[i].dimension)].append(i)
    current: dict[tuple[str, str], list[Coding]] = defaultdict(list)
    for c in codings:
        current[(c.unit_id, c.dimension)].append(c)
    out: list[Coding] = [c for key, cs in current.items() if key not in per for c in cs]
    superseded: set[int] = set()
    for key in sorted(per):
        rule = [c for c in current.get(key, []) if c.source != "human"]
        out.extend(_review_unit(key, rule, [(i, decisions[i]) for i in per[key]], not multi.get(key[1], False),
                                superseded))
    _sort_codings(out, units, codebook)
    applied = [i for ids in per.values() for i in ids if i not in superseded]
    return ReviewOutcome(out, len(applied), orphans, moved, superseded=len(superseded),
                         rejected=sum(1 for i in applied if decisions[i].action == "reject"), decisions=len(decisions))


def _sort_codings(codings: list[Coding], units: list[MeaningUnit], codebook: Codebook) -> None:
    """Unit order, then dimension order; within them people first, then by score, theme and sub-theme."""
    order = {u.unit_id: i for i, u in enumerate(units)}
    dim_order = {d.id: i for i, d in enumerate(codebook.dimensions)}
    codings.sort(key=lambda c: (order.get(c.unit_id, 10**9), dim_order.get(c.dimension, 99), c.source != "human",
                                -c.score, c.theme, c.subtheme))


def _review_unit(key: tuple[str, str], rule: list[Coding], decisions: list[tuple[int, Decision]], single: bool,
                 superseded: set[int]) -> list[Coding]:
    """The codings of one reviewed (unit, dimension): every coder's human codings; the rule's only where no
    coder removed them, and (in a multi-label dimension) only for themes no coder gave."""
    reviews: dict[str, _CoderReview] = {}
    for i, d in decisions:
        review = reviews.setdefault(d.coder, _CoderReview(key, single, {(c.theme, c.subtheme): c for c in rule}))
        review.apply(i, d)
    for review in reviews.values():
        superseded |= review.superseded
    human = [c for review in reviews.values() for c, _ in review.human.values()]
    kept = [c for k, c in {(c.theme, c.subtheme): c for c in rule}.items()
            if all(k in review.kept for review in reviews.values())]
    if not human:
        return kept
    # a reviewed unit keeps what people confirmed or added; unreviewed rule themes stay only in multi-label
    # dimensions (a reviewer may have looked at one theme only)
    themes = {c.theme for c in human}
    return human + ([] if single else [c for c in kept if c.theme not in themes])


@dataclass
class _CoderReview:
    """One coder's decisions on one (unit, dimension), applied in file order; one method per kind of decision."""

    key: tuple[str, str]
    single: bool  # a single-label dimension: one theme per unit
    kept: dict[tuple[str, str], Coding]  # the rule's codings still standing, by (theme, sub-theme)
    human: dict[tuple[str, str], tuple[Coding, int]] = field(default_factory=dict)
    rejections: dict[tuple[str, str], int] = field(default_factory=dict)  # the reject decision in force per key
    nothing: int | None = None  # the "no theme in this dimension" decision in force
    superseded: set[int] = field(default_factory=set)

    def apply(self, i: int, d: Decision) -> None:
        if not d.theme:
            self.none(i)
            return
        self._end_nothing()
        if d.action == "reject":
            self.reject(i, d)
        elif d.action == "accept":
            self.accept(i, d)
        else:
            self.add(i, d)

    def none(self, i: int) -> None:
        """"No theme in this dimension": everything before it goes."""
        self._drop(lambda k: True)
        self.nothing = i

    def reject(self, i: int, d: Decision) -> None:
        """The theme (or only the sub-theme named) is not on this unit."""
        same = (lambda k: k[0] == d.theme) if not d.subtheme else (lambda k: k == (d.theme, d.subtheme))
        for k in [k for k in self.human if same(k)]:
            self.superseded.add(self.human.pop(k)[1])
        for k in [k for k in self.rejections if same(k)]:
            self.superseded.add(self.rejections.pop(k))
        for k in [k for k in self.kept if same(k)]:
            self.kept.pop(k)
        self.rejections[(d.theme, d.subtheme)] = i

    def accept(self, i: int, d: Decision) -> None:
        """A suggestion confirmed: the rule's coding becomes the person's (keeping its sub-theme if none named)."""
        bases = [k for k in self.kept if k[0] == d.theme and (not d.subtheme or k[1] == d.subtheme)]
        for k in bases:
            self.kept.pop(k)
        self._code(i, d, d.subtheme or (bases[0][1] if bases else ""))

    def add(self, i: int, d: Decision) -> None:
        """A theme added; in a single-label dimension other themes go (sub-themes of this one stay)."""
        if self.single:
            self._drop(lambda k: k[0] != d.theme, rejects=False)
        self._code(i, d, d.subtheme)

    def _code(self, i: int, d: Decision, sub: str) -> None:
        k = (d.theme, sub)
        if k in self.human:
            self.superseded.add(self.human[k][1])
        for r in [r for r in self.rejections if r[0] == d.theme and (not r[1] or r[1] == sub)]:
            self.superseded.add(self.rejections.pop(r))
        unit_id, dimension = self.key
        self.human[k] = (Coding(unit_id, dimension, d.theme, sub, 1.0, _evidence(d), "human", d.coder), i)

    def _drop(self, match, rejects: bool = True) -> None:
        for k in [k for k in self.human if match(k)]:
            self.superseded.add(self.human.pop(k)[1])
        for k in [k for k in self.rejections if match(k) and rejects]:
            self.superseded.add(self.rejections.pop(k))
        for k in [k for k in self.kept if match(k)]:
            self.kept.pop(k)
        self._end_nothing()

    def _end_nothing(self) -> None:
        if self.nothing is not None:
            self.superseded.add(self.nothing)
            self.nothing = None


def _evidence(d: Decision) -> str:
    if d.coder:
        return f"human: {d.coder}" + (f" – {d.note}" if d.note else "")
    return "human" + (f": {d.note}" if d.note else "")


def final_codings(codings: list[Coding], codebook: Codebook) -> list[Coding]:
    """The codings the tables use: human where people decided; else the rule's, and the learned model's
    where the rule coded nothing in a single-label dimension (in a multi-label one, both).

    Two coders who gave a unit the same theme and sub-theme are one application of it here (the first
    coder's coding stands for both); ``codings.csv`` keeps each coder's."""
    multi = {d.id: d.multi_label for d in codebook.dimensions}
    groups: dict[tuple[str, str], list[Coding]] = defaultdict(list)
    for c in codings:
        groups[(c.unit_id, c.dimension)].append(c)
    out = []
    for (uid, dim), cs in groups.items():
        # the first coder's coding of each theme and sub-theme, in file order
        human = sorted({(c.theme, c.subtheme): c for c in cs[::-1] if c.source == "human"}.values(), key=cs.index)
        if human:
            out.extend(human)
            continue
        rule = [c for c in cs if c.source == "rule"]
        model = [c for c in cs if c.source == "model"]
        if multi.get(dim, False):
            themes = {c.theme for c in rule}
            out.extend(rule + [c for c in model if c.theme not in themes])
        else:
            out.extend(rule or model[:1])
    return out


# ---------------------------------------------------------------- the review sheet
SHEET_FIXED = ["unit_id", "fingerprint", "transcript", "cases", "question", "text"]
NONE_CHOICE = "(ingen)"

# What a reviewer may write in a decision cell, in either language whatever the sheet's, case and spaces forgiven:
# the drop-down's words, the past participle a sheet filled by hand says ("godkendt", "accepted": the workbook's
# decisions read so), and yes/no, which beside a suggestion can mean nothing else. Anything else is E505, never
# dropped: "x", "ok" or "?" might mean either.
DECISION_WORDS = {
    "accept": ("accept", "accepted", "godkend", "godkendt", "ja", "yes"),
    "reject": ("reject", "rejected", "afvis", "afvist", "nej", "no"),
}
NONE_WORDS = ("(ingen)", "(none)", "ingen", "none")  # "no theme in this dimension", written in a ``_add`` cell


def decision_action(written: str) -> str:
    """``accept`` or ``reject`` for a decision cell as a reviewer wrote it ("Godkendt ", "AFVIS", "ja"), "" for
    a word that is neither."""
    word = " ".join(written.split()).casefold()
    return next((action for action, words in DECISION_WORDS.items() if word in words), "")


def _header_key(name: str) -> str:
    """A header as compared: case, spaces and underscores forgiven ("Tema_Beslutning ", "tema beslutning")."""
    return " ".join(name.replace("_", " ").split()).casefold()


def sheet_columns(codebook: Codebook) -> dict[str, str]:
    """Every header a review sheet of ``codebook`` may carry, as compared (:func:`_header_key`), → its machine
    key: the Danish and the English name of each column, so that a sheet exported in either language, or by a
    version that wrote English headers only, imports."""
    from .i18n import REVIEW_COLUMNS, REVIEW_SUFFIXES

    out = {_header_key(name): key for key, names in REVIEW_COLUMNS.items() for name in names}
    for dim in codebook.dimensions:
        for suffix, names in REVIEW_SUFFIXES.items():
            for slot in ("", "_2"):
                out.update({_header_key(f"{dim.id}{name}{slot}"): f"{dim.id}{suffix}{slot}" for name in names})
    return out


def sheet_header(key: str, codebook: Codebook) -> str:
    """A review sheet's machine column key as its header reads in the codebook's language."""
    from .i18n import REVIEW_COLUMNS, REVIEW_SUFFIXES, review_column

    if key in REVIEW_COLUMNS:
        return review_column(key, codebook.language)
    for dim in codebook.dimensions:
        for suffix in REVIEW_SUFFIXES:
            for slot in ("", "_2"):
                if key == f"{dim.id}{suffix}{slot}":
                    return f"{dim.id}{review_column(suffix, codebook.language)}{slot}"
    return key


def _slots(dim) -> list[str]:
    """Suffixes of the suggestion columns of a dimension: one, or two in a multi-label dimension."""
    return ["", "_2"] if dim.multi_label else [""]


def review_sheet(units: list[MeaningUnit], codings: list[Coding], codebook: Codebook, *, blind: bool = False,
                 uncertainty: dict[str, float] | None = None) -> "pd.DataFrame":
    """One row per unit: where it is from, its question and text, the suggestions per dimension with their
    evidence (two in a multi-label dimension), and empty decision columns (accept/reject each suggestion,
    add a theme, coder, note).

    ``blind``: no suggestion, evidence or decision column — only ``<dimension>_add`` to code each unit
    yourself (an exercise, or an independent second coding). ``uncertainty`` (unit id → 0 sure … 1 unsure,
    from :meth:`condense.learn.LearnedCoder.uncertainty`): rows ordered least sure first, with that column."""
    import pandas as pd

    if blind:
        codings = []
    if uncertainty is not None:
        units = sorted(units, key=lambda u: -uncertainty.get(u.unit_id, 0.0))  # stable: ties keep unit order
    ranked: dict[tuple[str, str], list[Coding]] = defaultdict(list)
    for c in codings:
        ranked[(c.unit_id, c.dimension)].append(c)
    for cs in ranked.values():
        cs.sort(key=lambda c: (c.source != "human", -c.score, c.theme))
    rows = []
    for u in units:
        row = {"unit_id": u.unit_id, "fingerprint": u.fingerprint, "transcript": u.transcript,
               "cases": ";".join(u.cases), "question": u.question, "text": u.text}
        for dim in codebook.dimensions:
            cs = ranked.get((u.unit_id, dim.id), [])
            for k, suffix in enumerate([] if blind else _slots(dim)):
                c = cs[k] if k < len(cs) else None
                row[f"{dim.id}_suggested{suffix}"] = (f"{c.theme}/{c.subtheme}" if c and c.subtheme else (c.theme if c else ""))
                row[f"{dim.id}_label{suffix}"] = suggestion_label(codebook, dim.id, c.theme, c.subtheme) if c else ""
                row[f"{dim.id}_evidence{suffix}"] = c.evidence if c else ""
                row[f"{dim.id}_decision{suffix}"] = ""
            row[f"{dim.id}_add"] = ""
        row["coder"] = ""
        row["note"] = ""
        if uncertainty is not None:
            row["uncertainty"] = round(uncertainty.get(u.unit_id, 0.0), 3)
        rows.append(row)
    columns = list(SHEET_FIXED) + (["uncertainty"] if uncertainty is not None else [])
    for d in codebook.dimensions:
        for suffix in ([] if blind else _slots(d)):
            columns += [f"{d.id}_suggested{suffix}", f"{d.id}_label{suffix}", f"{d.id}_evidence{suffix}",
                        f"{d.id}_decision{suffix}"]
        columns.append(f"{d.id}_add")
    return pd.DataFrame(rows, columns=columns + ["coder", "note"])


def suggestion_label(codebook: Codebook, dimension: str, theme: str, subtheme: str = "") -> str:
    """A suggestion's name as the codebook gives it, beside its id on the review sheet ("Evaluering", "Aktivitetstyper
    / Bevægelse og motion"). Shown only: the import reads the id column, so an edited name changes no decision."""
    label = codebook.label_of(dimension, theme)
    return f"{label} / {codebook.label_of(dimension, subtheme)}" if subtheme else label


def theme_choices(codebook: Codebook, dimension: str) -> list[str]:
    """The drop-down list of a dimension's ``_add`` column: "no theme" in the codebook's language, then every
    theme and sub-theme id."""
    from .i18n import review_word

    dim = codebook.dimension(dimension)
    out = [review_word("none", codebook.language)]
    for t in dim.themes:
        out.append(t.id)
        for s, _ in t.walk():
            out.append(f"{t.id}/{s.id}")
    return out


def write_review_sheet(df, codebook: Codebook, path: str | Path) -> Path:
    """Write the review sheet as .csv or .xlsx (wrapped text, frozen header, drop-down lists as real
    data validations: accept/reject, and the valid theme ids of each dimension), its headers and words in the
    codebook's language (a Danish study's reviewer reads and writes Danish: ``tema_beslutning``, godkend/afvis)."""
    from .i18n import evidence, review_word

    path = Path(path)
    headers = [sheet_header(str(c), codebook) for c in df.columns]
    said = [c for c in df.columns if "_evidence" in str(c)]  # "enhed: …; guide: fase (tur 14)", as results.xlsx says it
    df = df.assign(**{c: df[c].map(lambda v: evidence(v, codebook.language) if isinstance(v, str) else v) for c in said})
    if path.suffix.lower() == ".csv":
        from .io import write_csv

        return write_csv(df.set_axis(headers, axis=1), path)
    from openpyxl import Workbook

    from .io import cell_value, save_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = review_word("sheet", codebook.language)
    ws.append(headers)
    for row in df.itertuples(index=False):
        ws.append([cell_value(v) for v in row])
    _style_sheet(ws, list(df.columns), len(df) + 1)
    _add_drop_downs(wb, ws, list(df.columns), codebook, len(df) + 1)
    return save_workbook(wb, path)


_SHEET_WIDTHS = {"unit_id": 26, "fingerprint": 8, "transcript": 18, "cases": 16, "question": 40, "text": 70,
                 "coder": 10, "note": 30}


def _style_sheet(ws, columns: list[str], n: int) -> None:
    """Bold header, yellow where the reviewer writes, column widths, wrapped long text, frozen panes."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    decision_fill = PatternFill("solid", fgColor="FFF2CC")
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font = Font(bold=True)
        decision = "_decision" in col or col.endswith("_add") or col in ("coder", "note")
        cell.fill = decision_fill if decision else header_fill
        ws.column_dimensions[get_column_letter(j)].width = _SHEET_WIDTHS.get(col, _column_width(col))
        if col in ("question", "text") or "_evidence" in col:
            for (c,) in ws.iter_rows(min_row=2, max_row=n, min_col=j, max_col=j):
                c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "G2"


def _column_width(col: str) -> int:
    if "_suggested" in col or col.endswith("_add"):
        return 22
    if "_label" in col:
        return 26
    return 30 if "_evidence" in col else 12


def _add_drop_downs(wb, ws, columns: list[str], codebook: Codebook, n: int) -> None:
    """A hidden "lists" sheet (accept/reject, each dimension's theme ids) and the data validations using it."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .i18n import review_word

    lang = codebook.language
    lists = wb.create_sheet(review_word("lists", lang))
    lists.append([review_word("decision", lang)] + [d.id for d in codebook.dimensions])
    choices = {d.id: theme_choices(codebook, d.id) for d in codebook.dimensions}
    longest = max(len(v) for v in choices.values())
    words = (review_word("accept", lang), review_word("reject", lang))
    for i in range(longest):
        lists.append([words[i] if i < 2 else None] + [choices[d.id][i] if i < len(choices[d.id]) else None
                                                      for d in codebook.dimensions])
    lists.sheet_state = "hidden"
    dv = DataValidation(type="list", formula1=f"={lists.title}!$A$2:$A$3", allow_blank=True,
                        error=review_word("decision_error", lang), errorTitle=review_word("decision", lang).capitalize(),
                        showErrorMessage=True)
    ws.add_data_validation(dv)
    rows = lambda j: f"{get_column_letter(j)}2:{get_column_letter(j)}{max(n, 2)}"  # noqa: E731
    for k, dim in enumerate(codebook.dimensions):
        col_letter = get_column_letter(k + 2)
        theme_dv = DataValidation(type="list",
                                  formula1=f"={lists.title}!${col_letter}$2:${col_letter}${len(choices[dim.id]) + 1}",
                                  allow_blank=True, showErrorMessage=True, errorTitle=dim.label,
                                  error=review_word("theme_error", lang, dimension=dim.id))
        ws.add_data_validation(theme_dv)
        for suffix in _slots(dim):
            if f"{dim.id}_decision{suffix}" in columns:  # not in a blind sheet
                dv.add(rows(columns.index(f"{dim.id}_decision{suffix}") + 1))
        theme_dv.add(rows(columns.index(f"{dim.id}_add") + 1))


def _unit_id_problem(r: dict, known: dict[str, str] | None) -> str:
    """Why a review-sheet row's unit id cannot be trusted ("" when it can). ``known``: unit id → fingerprint
    of the project's units, when the caller has them."""
    uid = (r.get("unit_id", "") or "").strip()
    if not uid:
        return "the unit_id is blank"
    if known is not None:
        fp = (r.get("fingerprint", "") or "").strip()
        if uid in known or (fp and fp in known.values()):
            return ""
        return f"no unit '{uid}' in the project (and no unit with its fingerprint)"
    parts = parse_unit_id(uid)
    if parts is None or not parts.well_formed(turn_digits=4):  # make_unit_id pads the turn to four digits
        return f"'{uid}' is not a unit id (transcript:turn:position)" + _converted(uid)
    named = (r.get("transcript", "") or "").strip()
    if named and parts.transcript != named:
        return f"the unit_id '{uid}' does not belong to transcript '{named}' of the same row"
    return ""


_CONVERTED = [(re.compile(r"\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?( ?[AP]M)?", re.I), "a time"),
              (re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?)?|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
                          r"( \d{1,2}:\d{2}(:\d{2})?)?"), "a date"),
              (re.compile(r"[+-]?\d+([.,]\d+)?(E[+-]?\d+)?", re.I), "a number")]


def _id_of_another_row(r: dict, line: int, texts: dict[str, tuple[int, str]]) -> str:
    """Why a row's unit id is another row's (a unit_id cell merged down over the next row, which a workbook's reader
    fills as the sheet shows it; ids pasted or sorted apart from their rows): an earlier row has the same id with
    another text's fingerprint. Both were read as decisions on one unit, and where they decided the same theme
    the second replaced the first: a decision lost, the other kept under the wrong unit id."""
    uid, fingerprint = (r.get("unit_id", "") or "").strip(), (r.get("fingerprint", "") or "").strip().lower()
    first, seen = texts.setdefault(uid, (line, fingerprint))
    if first == line or not fingerprint or not seen or seen == fingerprint:
        return ""
    return (f"the unit_id '{uid}' is on row {first} too, whose fingerprint is another text's: this row's own id was "
            "lost (a unit_id cell merged over several rows, or ids pasted or sorted apart from their rows); unmerge "
            "the cells")


def _converted(uid: str) -> str:
    """Why an id is not one, when a spreadsheet made it so: an id such as ``01:0003:1`` (a transcript named by a
    number) is read by Excel and LibreOffice as the time 01:03:01 (and saved as such, or as 1900-01-01 01:03:01 in
    a workbook). The id is not rebuilt from it: the time has lost the turn's leading zeros, a turn of 60 or more
    rolls over into the hour, so the unit it names cannot be known for certain and no decision is attached to a
    guess."""
    kind = next((what for pattern, what in _CONVERTED if pattern.fullmatch(uid)), None)
    if kind is None:
        return ""
    return (f": a spreadsheet program turned the id into {kind} when the sheet was opened or pasted, and the id it "
            "was cannot be told for certain. Copy the ids back from the sheet as condense exported it, with the "
            "unit_id column formatted as Text before pasting (Format Cells > Text), or open the CSV by importing it "
            "with that column's type set to Text (Excel: Data > From Text/CSV; LibreOffice: the Text Import "
            "dialog's column type)")


def converted_orphans(orphans: list[Decision]) -> list[tuple[Decision, str]]:
    """The orphaned decisions of a decisions file whose unit id a spreadsheet program turned into a time, a date or
    a number (``01:0003:1`` saved as ``1:03:01``), each with what it became. A review sheet's such row is E701 at
    import; in decisions.csv itself (opened and saved in Excel) the row was read and orphaned, W107 alone, and
    the researcher never learnt why their decision did not apply."""
    out = []
    for d in orphans:
        parts = parse_unit_id(d.unit_id)
        if parts is not None and parts.well_formed(turn_digits=4):
            continue
        kind = next((what for pattern, what in _CONVERTED if pattern.fullmatch(d.unit_id.strip())), None)
        if kind:
            out.append((d, kind))
    return out


def _own_id(r: dict) -> dict:
    """The row with one leading apostrophe taken off its unit id: Excel's mark for "keep this as text", typed into
    a CSV (or pasted from a cell shown with it), is not part of the id."""
    uid = (r.get("unit_id", "") or "").strip()
    if len(uid) > 1 and uid[0] == "'" and uid[1] != "'":
        return {**r, "unit_id": uid[1:]}
    return r


def _fingerprint_problem(r: dict, sheet: Path, line: int) -> CondenseError | None:
    """E516 for a fingerprint in a review sheet or decisions file that is no longer 16 hex digits, or a workbook
    cell holding it as a number (Excel made a number of one of digits alone, 1230000000000000 or 1.23E+15): it was
    stored as it was, and never matched its unit again."""
    from .io import NumberCell

    cell = r.get("fingerprint", "") or ""
    fingerprint = cell.strip()
    if fingerprint and (isinstance(cell, NumberCell) or not _FINGERPRINT.match(fingerprint)):
        return CondenseError("E516", path=display_path(sheet), line=line, value=fingerprint,
                             unit=r.get("unit_id", "") or "(no unit_id)")
    return None


def import_review_sheet(sheet: str | Path, codebook: Codebook, units: list[MeaningUnit] | None = None, *,
                        diagnostics: Diagnostics | None = None) -> list[Decision]:
    """Read a filled review sheet (.xlsx or .csv) into decisions, reporting every bad row at once.

    A row with a decision and a blank, malformed or (given ``units``) unknown unit id is refused with its row
    number (E701): it could never be applied, and would sit in decisions.csv as an orphan. ``diagnostics`` gets
    what reading the sheet warns of (W101: a .csv saved as Windows-1252)."""
    from .io import read_table

    sheet = Path(sheet)
    if not sheet.exists():
        raise CondenseError("E101", path=display_path(sheet))
    header, rows = read_table(sheet, diagnostics=diagnostics)
    names, rows = _machine_keys(sheet, header, rows, codebook)
    _no_renamed_decisions(sheet, rows, names, codebook)
    errors: list[CondenseError] = []
    out: list[Decision] = []
    known = {u.unit_id: u.fingerprint for u in units} if units is not None else None
    texts: dict[str, tuple[int, str]] = {}  # a row's unit id → the first row with it and its fingerprint
    for line, r in rows:
        r = _own_id(r)
        decided = any((v or "").strip() for k, v in r.items() if "_decision" in k or k.endswith("_add"))
        taken = _id_of_another_row(r, line, texts)  # every row's id is noted, a decided row's alone refused
        problem = (_unit_id_problem(r, known) or taken) if decided else ""
        if problem:
            errors.append(CondenseError("E701", path=display_path(sheet), row=line, detail=problem))
            continue
        if decided and (bad := _fingerprint_problem(r, sheet, line)):
            errors.append(bad)
            continue
        _refuse_withdrawn(r, sheet, line)
        note = strip_withdrawn(r.get("note", ""), sheet, line, column="note")
        for dim in codebook.dimensions:
            base = dict(row=line, transcript=r.get("transcript", ""), unit_id=r.get("unit_id", ""),
                        fingerprint=r.get("fingerprint", ""), dimension=dim.id, coder=r.get("coder", ""), note=note)
            _suggestion_decisions(r, dim, base, sheet, out, errors, names)
            _added_decisions(r, dim.id, base, codebook, sheet, out, errors, names)
    out = _once_each(out, sheet, errors)
    if errors:
        raise CondenseErrors(errors)
    return out


def _machine_keys(sheet: Path, header: list[str], rows: list[tuple[int, dict]],
                  codebook: Codebook) -> tuple[dict[str, str], list[tuple[int, dict]]]:
    """The sheet's rows keyed by machine column (``tema_decision``) whatever language its headers are in, and each
    machine key's header as the sheet writes it (for messages). A column named twice (in both languages, or in
    two cases) is refused (E403): one of the two would be read, the other's decisions lost."""
    known = sheet_columns(codebook)
    key_of = {h: known.get(_header_key(h), h) for h in header if h}
    names: dict[str, str] = {}
    for h, key in key_of.items():
        if key in names:
            raise CondenseError("E403", path=display_path(sheet), line=1,
                                detail=f"the columns '{names[key]}' and '{h}' both name {key} (in Danish or "
                                       "English, case and spaces aside); only one of them would be read",
                                fix="Keep one of them (copy any decisions across first) and import again.")
        names[key] = h
    if "unit_id" not in names:
        misplaced = _header_elsewhere(sheet, known) if sheet.suffix.lower() == ".xlsx" else None
        if misplaced is not None:
            raise misplaced
        from .io import missing_column

        raise missing_column(sheet, header, "unit_id", "unit_id (enhed (id) in a Danish sheet)")
    return names, [(line, {key_of.get(k, k): v for k, v in r.items()}) for line, r in rows]


def _no_renamed_decisions(sheet: Path, rows: list[tuple[int, dict]], names: dict[str, str], codebook: Codebook) -> None:
    """E403 for a decision column given another name in a spreadsheet ("Beslutning (tema)" for tema_beslutning, a
    tema_tilføj typed over): its column is one condense does not know, so every decision in it was left out and the
    import said "0 decision(s) added" with exit status 0. Found where a dimension's suggestion is in the sheet but
    not its decision column and a column of an unknown name holds accept or reject, or where its ``_add`` column is
    gone and such a column names one of its themes."""
    known = set(sheet_columns(codebook).values())
    wanted = [(key, decision_action) for dim in codebook.dimensions for slot in _slots(dim)
              if f"{dim.id}_suggested{slot}" in names and (key := f"{dim.id}_decision{slot}") not in names]
    wanted += [(f"{dim.id}_add", lambda value, dim=dim: theme_path(dim, value)) for dim in codebook.dimensions
               if f"{dim.id}_add" not in names]
    for key, reads in wanted:
        found = next(((column, value, line) for line, r in rows for column, value in r.items()
                      if column not in known and value and reads(value)), None)
        if found is not None:
            column, value, line = found
            expected = sheet_header(key, codebook)
            raise CondenseError("E403", path=display_path(sheet), line=line,
                                detail=f"the column '{column}' holds '{value}', but condense reads decisions of this "
                                       f"kind from a column named {expected}, which the sheet does not have; "
                                       "nothing was imported",
                                fix=f"Rename the column '{column}' back to {expected} (as the sheet was exported), "
                                    "and import again.")


def _header_elsewhere(sheet: Path, known: dict[str, str]) -> CondenseError | None:
    """E403 saying where a workbook's unit_id header is when the sheet read (the first visible one, from its first
    row) has none: below a title row someone typed above it, or on another sheet (a sheet of instructions put
    first). Both were E504 "no column 'unit_id' (line 1)" for a sheet whose unit_id was in plain sight."""
    import io as _io

    import openpyxl

    from .io import data_sheet, read_bytes, workbook_reading

    with workbook_reading():
        wb = openpyxl.load_workbook(_io.BytesIO(read_bytes(sheet)), read_only=True)
        read = data_sheet(wb)
        found = next(((ws, line) for ws in [read] + [w for w in wb.worksheets if w is not read]
                      for line, row in enumerate(ws.iter_rows(max_row=10, values_only=True), start=1)
                      if any(known.get(_header_key(str(v))) == "unit_id" for v in row if v is not None)), None)
        wb.close()
    if found is None:
        return None
    ws, line = found
    if ws is read:
        return CondenseError("E403", path=display_path(sheet), line=1,
                             detail=f"the column names are on line {line} of the sheet '{ws.title}', below other rows",
                             fix=f"Delete the rows above line {line} (a title typed above the columns) and import "
                                 "again.")
    return CondenseError("E403", path=display_path(sheet), line=1,
                         detail=f"the sheet read, '{read.title}' (the first one shown), has no unit_id column; "
                                f"the sheet '{ws.title}' has it",
                         fix=f"Move the sheet '{ws.title}' first (drag its tab to the left) or delete '{read.title}', "
                             "and import again.")


def _once_each(decisions: list[Decision], sheet: Path, errors: list[CondenseError]) -> list[Decision]:
    """The sheet's decisions with a row repeated word for word kept once (it was counted as a decision
    updated), and E403 for a theme rejected on one row of a unit and accepted or added on another (a row
    pasted twice, decided two ways): merged in order, the later row replaced the earlier without a word.
    Accept on one row and add on another say the same and merge as before, the later row's note kept."""
    first: dict[tuple, Decision] = {}
    out = []
    for d in decisions:
        key = (d.unit_id, d.dimension, d.theme, d.subtheme, d.coder)
        seen = first.setdefault(key, d)
        if seen is not d and seen == replace(d, row=seen.row):
            continue
        if seen is not d and "reject" in (seen.action, d.action) and seen.action != d.action:
            theme = "/".join(p for p in (d.theme, d.subtheme) if p)
            errors.append(CondenseError(
                "E403", path=display_path(sheet), line=d.row,
                detail=f"unit {d.unit_id} is decided twice for {d.dimension} '{theme}': '{seen.action}' in line "
                       f"{seen.row}, '{d.action}' here",
                fix="Keep the row with the decision you mean and clear the other's decision columns, then import again."))
            continue
        out.append(d)
    return out


def _refuse_withdrawn(r: dict, sheet: Path, line: int) -> None:
    """A sheet row whose text or question carries a withdrawn-passage marker is refused (E805)."""
    for column in ("text", "question"):
        value = r.get(column, "") or ""
        if MARKER_LIKE.search(value) and "withdrawn" in value.casefold():
            raise CondenseError("E805", path=display_path(sheet), line=line, unit=r.get("unit_id", ""))


def _suggestion_decisions(r: dict, dim, base: dict, sheet: Path, out: list[Decision],
                          errors: list[CondenseError], names: dict[str, str]) -> None:
    """accept/reject (godkend/afvis, or another word of :data:`DECISION_WORDS`) written beside each suggestion of a
    dimension."""
    for suffix in _slots(dim):
        written = (r.get(f"{dim.id}_decision{suffix}", "") or "").strip()
        decision = decision_action(written)
        suggested = (r.get(f"{dim.id}_suggested{suffix}", "") or "").strip()
        column = names.get(f"{dim.id}_decision{suffix}", f"{dim.id}_decision{suffix}")
        if not written:
            continue
        if not decision:
            errors.append(_not_a_decision(written, column, dim, sheet, base["row"], names))
        elif not suggested:
            errors.append(CondenseError("E403", path=display_path(sheet), line=base["row"],
                                        detail=f"'{written}' in {column}, but nothing was suggested",
                                        fix=f"Leave {column} empty and use {names.get(f'{dim.id}_add', f'{dim.id}_add')}."))
        else:
            theme, _, sub = suggested.partition("/")
            out.append(Decision(theme=theme, subtheme=sub, action=decision, **base))


_ACCEPTED_WORDS = "; ".join(f"{action}: " + ", ".join(words) for action, words in DECISION_WORDS.items())


def _not_a_decision(value: str, column: str, dim, sheet: Path, row: int, names: dict[str, str]) -> CondenseError:
    """E505 for a review sheet's decision cell that is neither accept nor reject, naming its column and the words
    condense reads; a theme written there (the decision cell beside a suggestion is where the eye goes) is pointed
    to ``_add``."""
    fix = (f"Write accept or reject (godkend or afvis) beside the suggestion, or leave the cell empty; in any case, "
           f"condense reads {_ACCEPTED_WORDS}.")
    if theme_path(dim, value):
        add = names.get(f"{dim.id}_add", f"{dim.id}_add")
        reject = "afvis" if "beslutning" in _header_key(column) else "reject"  # the sheet's own word
        fix = (f"'{value}' is a theme: write {reject} in {column} and '{value}' in {add} to give the unit "
               "that theme instead.")
    return CondenseError("E505", path=display_path(sheet), row=row, column=f", column {column}", action=value, fix=fix)


def theme_path(dim, value: str) -> str:
    """``value`` as "theme" or "theme/sub-theme" of ``dim`` when it names exactly one of its themes by id or
    label, in any case ("Samtaler med beboerne", "Vidensindsamling" as the tables show them); else ""."""
    key = " ".join(value.split()).casefold()
    found = set()
    for top in dim.themes:
        for t, path in _with_descendants(top, top.id, top.id):
            if key in (t.id.casefold(), " ".join(t.label.split()).casefold(), path.casefold()):
                found.add(path)
    return found.pop() if len(found) == 1 else ""


def _with_descendants(theme, top_id: str, path: str):
    yield theme, path
    for sub in theme.subthemes:
        yield from _with_descendants(sub, top_id, f"{top_id}/{sub.id}")


def _other_dimension(codebook: Codebook, dim_id: str, value: str) -> tuple[str, str] | None:
    """(dimension id, theme path) of the first other dimension where ``value`` names a theme, else None."""
    for other in codebook.dimensions:
        path = theme_path(other, value) if other.id != dim_id else ""
        if path:
            return other.id, path
    return None


def _added_decisions(r: dict, dim_id: str, base: dict, codebook: Codebook, sheet: Path, out: list[Decision],
                     errors: list[CondenseError], names: dict[str, str]) -> None:
    """The themes written in ``<dimension>_add`` (separated by ; or ,), or "(ingen)"/"(none)": none in this
    dimension. A theme may be written by its id or its label, in any case, when that names exactly one theme."""
    added = (r.get(f"{dim_id}_add", "") or "").strip()
    dim = next((d for d in codebook.dimensions if d.id == dim_id), None)
    for value in [v.strip() for v in added.replace(",", ";").split(";") if v.strip()]:
        if " ".join(value.split()).casefold() in NONE_WORDS:
            out.append(Decision(theme="", subtheme="", action="add", **base))
            continue
        resolved = theme_path(dim, value) if dim is not None else ""
        theme, _, sub = (resolved or value).partition("/")
        d = Decision(theme=theme, subtheme=sub, action="add", **base)
        problems = validate_decision(d, codebook, sheet)
        elsewhere = _other_dimension(codebook, dim_id, value) if problems and not resolved else None
        if elsewhere:
            other, path = elsewhere
            problems = [CondenseError("E501", path=display_path(sheet), row=base["row"], theme=value, dimension=dim_id,
                                      hint=f" ('{value}' is {path} in dimension '{other}': write it in "
                                           f"{names.get(f'{other}_add', f'{other}_add')})")]
        errors.extend(problems)
        if not problems:
            out.append(d)


def decided_otherwise(existing: list[Decision], new: list[Decision]) -> list[tuple[Decision, Decision]]:
    """(existing, new) for each new decision that :func:`merge_decisions` puts in the place of an existing one with
    another action (accept where it was reject): a second researcher's sheet imported into the first's file, with
    no coder named, replaced the first's decisions counted only as "updated"."""
    key = lambda d: (d.unit_id, d.dimension, d.theme, d.subtheme, d.coder)  # noqa: E731
    before = {key(d): d for d in existing}
    return [(before[key(d)], d) for d in new if key(d) in before and before[key(d)].action != d.action]


def merge_decisions(existing: list[Decision], new: list[Decision]) -> tuple[list[Decision], int, int]:
    """Add new decisions to the existing ones. A new decision on the same unit, dimension, theme, sub-theme
    and coder replaces the old one; nothing else is removed. Returns (merged, added, replaced): replaced counts
    the decisions that changed (the same sheet imported twice replaces none)."""
    key = lambda d: (d.unit_id, d.dimension, d.theme, d.subtheme, d.coder)  # noqa: E731
    index = {key(d): i for i, d in enumerate(existing)}
    merged = list(existing)
    added = replaced = 0
    for d in new:
        k = key(d)
        if k in index:
            old = merged[index[k]]
            merged[index[k]] = replace(d, extra={**old.extra, **d.extra})  # the sheet holds no column of one's own
            replaced += replace(old, row=d.row) != d  # the same sheet imported again updates nothing
        else:
            index[k] = len(merged)
            merged.append(d)
            added += 1
    return merged, added, replaced
