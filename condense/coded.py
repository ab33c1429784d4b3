"""Coding done elsewhere, brought in as it is: units, codings and a codebook from a coded table.

Three shapes of input, all read into the same :class:`CodedData` (meaning units + one :class:`Coding`
per code application + a codebook), which :func:`coded_result` turns into the STC tables of a run:

* a **long table** (.csv or .xlsx), one row per code application, with the fields
  ``unit_id`` (or ``unit``: an id within the interview), ``text``, ``interview``, ``case``, ``dimension``,
  ``theme``, ``subtheme``, ``code`` (a code path), ``excerpt`` and ``coder``;
* a **wide grid** (.csv or .xlsx), one row per unit, one column per code: a cell that is empty, ``0`` or
  ``false`` means "not applied"; ``1``, ``x``, ``true`` or any text (the coded excerpt) means applied;
* an **analyst's workbook** (.xlsx) whose higher levels exist only as ``=SUM(...)`` formulas over
  column ranges of the code grid (see :func:`read_workbook`).

Headers are matched to fields by common names (``participant`` → interview, ``full text`` → text …) or
by ``columns={"Header": "field"}``. A code path is ``theme``/``subtheme`` or the ``code`` column, split at
``::`` or at ``sep``. Without a codebook, the codes found form one (one dimension ``codes``, the
hierarchy from the paths, ids unique among siblings); with a codebook, every code must be found in it
(unknown codes: E610 with a did-you-mean, all at once). A sub-theme is kept as its path below the theme
(``Coding.subtheme = "level2/level3"``), so no application is merged into another.
"""
from __future__ import annotations

import hashlib
import io as _io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .codebook import Codebook, Dimension, Theme, slugify
from .errors import CondenseError, CondenseErrors, Diagnostics, did_you_mean, display_path
from .ingest.columns import ALIASES, FIELDS, IDENTIFIER, MARKS, NOT_APPLIED, clean_cell, fields_of, header_key  # noqa: F401
from .ingest.sources import invisible_in
from .model import RESPONDENT, Case, Coding, MeaningUnit, Transcript, Turn, fingerprint

__all__ = [
    "FIELDS", "ALIASES", "CODED_SUFFIXES", "DEFAULT_DIMENSION", "CodedData", "parse_columns", "read_long", "MARKS",
    "NOT_APPLIED", "read_wide", "read_workbook", "read_coded", "hierarchy_condensation", "code_cooccurrence",
    "coded_result", "write_coded", "tables_from_coded"
]

CODED_SUFFIXES = (".csv", ".xlsx", ".qdpx")
DEFAULT_DIMENSION = ("codes", "Codes")


@dataclass
class CodedData:
    """Units, one coding per code application, and the codebook they are coded with."""

    units: list[MeaningUnit]
    codings: list[Coding]
    codebook: Codebook
    path: str = ""
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    n_applications: int = 0           # code applications read from the input (each becomes one coding)
    cases: dict[str, Case] = field(default_factory=dict)
    sha256: str = ""
    kind: str = ""                    # long | wide | workbook | qdpx
    withdrawn: list = field(default_factory=list)  # ingest.withdrawn.Withdrawn: the passages left out (fingerprints)
    withdrawn_in: Counter = field(default_factory=Counter)  # interview -> withdrawn passages left out of its text
    pseudonyms: list = field(default_factory=list)  # privacy.Pseudonym: pseudonyms.csv beside the file, as a run's

    def transcripts(self) -> list[Transcript]:
        """One light transcript per interview (its units as turns), for reports and manifests."""
        by: dict[str, list[MeaningUnit]] = defaultdict(list)
        for u in self.units:
            by[u.transcript].append(u)
        out = []
        for tid in sorted(by):
            turns = [Turn(i, u.speaker or "R", RESPONDENT, u.text, 0, 0, 0) for i, u in enumerate(by[tid])]
            out.append(Transcript(tid, self.path, "", turns, language=self.codebook.language,
                                  cases=sorted({c for u in by[tid] for c in u.cases}), sha256=self.sha256,
                                  withdrawn=self.withdrawn_in[tid]))
        return out


# ============================================================================================ helpers


def _warn_invisible(path: Path, header: list, rows, diagnostics: Diagnostics) -> None:
    """W111 once per table when its header or cells hold invisible formatting characters: how many, and the row
    and character of the first (they are removed from every value read)."""
    n, first = 0, None
    for line, cells in [(1, dict(enumerate(header)))] + list(rows):
        for value in cells.values():
            found = invisible_in(value) if isinstance(value, str) else None
            if found:
                n += found[0]
                first = first or (line, found[2])
    if first:
        diagnostics.warn("W111", path=display_path(path), n=n, where=f"row {first[0]}", first=first[1])


def parse_columns(spec: str | dict | None) -> dict[str, str]:
    """``"Header=field,Other=field"`` (or a dict) → {header key: field}; E613 for an unknown field."""
    if not spec:
        return {}
    items = spec.items() if isinstance(spec, dict) else [
        tuple(part.split("=", 1)) if "=" in part else (part, "") for part in str(spec).split(",") if part.strip()]
    out = {}
    for header, fld in items:
        fld = str(fld).strip()
        if fld not in FIELDS:
            raise CondenseError("E613", item=f"{header}={fld}", detail=f"unknown field '{fld}'"
                                f"{did_you_mean(fld, FIELDS)}", fields=", ".join(FIELDS))
        out[header_key(header)] = fld
    return out


def _sha(path: Path) -> str:
    from .io import read_bytes

    return hashlib.sha256(read_bytes(path)).hexdigest()


def _open_workbook(path: Path):
    """The workbook at ``path`` (read through :mod:`condense.io`), formulas as written."""
    import openpyxl

    from .io import read_bytes

    return openpyxl.load_workbook(_io.BytesIO(read_bytes(path)), read_only=True)  # read in io.workbook_reading


class _Units:
    """Collects units by their key, in order of first appearance."""

    def __init__(self, path: Path, diagnostics: Diagnostics):
        self.path = path
        self.diagnostics = diagnostics
        self.units: dict[str, MeaningUnit] = {}
        self.by_text: dict[tuple[str, str], str] = {}
        self.n_per_interview: Counter = Counter()
        self.conflicts: list[tuple[int, str]] = []

    def get(self, line: int, row: dict[str, str]) -> MeaningUnit:
        text = clean_cell(row.get("text", ""))
        interview = clean_cell(row.get("interview", "")) or self.path.stem
        if row.get("unit_id", "").strip():
            uid = clean_cell(row["unit_id"])
        elif row.get("unit", "").strip():
            uid = f"{interview}:{clean_cell(row['unit'])}"
        else:
            uid = self.by_text.get((interview, text))
            if uid is None:
                self.n_per_interview[interview] += 1
                uid = f"{interview}:{self.n_per_interview[interview]:04d}"
                self.by_text[(interview, text)] = uid
        unit = self.units.get(uid)
        if unit is None:
            # cleaned as the other cells are: a case named with a right-to-left override kept it in units.csv,
            # segments.csv and report.html while W111 said it was removed
            cases = [c for c in (clean_cell(x) for x in re.split(r"[;|]", row.get("case", ""))) if c]
            unit = MeaningUnit(unit_id=uid, fingerprint=fingerprint(text), transcript=interview, turn=len(self.units),
                               position=1, speaker="", role=RESPONDENT, text=text, start=0, end=len(text),
                               cases=cases)
            self.units[uid] = unit
        elif text and unit.text != text:
            if not unit.text:
                unit.text, unit.end, unit.fingerprint = text, len(text), fingerprint(text)
            else:
                self.conflicts.append((line, uid))
        return unit

    def finish(self) -> list[MeaningUnit]:
        if self.conflicts:
            line, uid = self.conflicts[0]
            self.diagnostics.warn("W611", path=display_path(self.path), line=line, unit=uid,
                                  n=len({u for _, u in self.conflicts}))
        return list(self.units.values())


# ============================================================================================ codebook
class _Builder:
    """A codebook grown from the code paths found (no codebook given)."""

    def __init__(self, name: str, language: str):
        self.codebook = Codebook(id=slugify(name), label=name, language=language,
                                 meta={"source": f"codes found in {name}"})
        # each list of siblings (a dimension's themes, a theme's sub-themes, by the list's id) → its members by
        # header_key of their label, and the ids taken among them: a code is found in one look-up, not by
        # comparing it with every sibling (600 codes of 3 levels: 1.1 million comparisons, 4.8 of 17 s)
        self.children: dict[int, dict[str, Theme]] = {}
        self.taken: dict[int, set[str]] = {}
        self.dimensions: dict[str, Dimension] = {}
        self.folded: dict[str, str] = {}    # a spelling read as a code spelt otherwise (capitals, spaces) → its label

    def dimension(self, name: str) -> Dimension:
        did, label = (DEFAULT_DIMENSION if not name else (None, name))
        key = header_key(label)
        found = self.dimensions.get(key)
        if found is not None:
            return found
        did = did or _unique(slugify(label), {d.id for d in self.codebook.dimensions})
        dim = self.dimensions[key] = Dimension(id=did, label=label, multi_label=True)
        self.codebook.dimensions.append(dim)
        return dim

    def resolve(self, dimension: str, names: list[str]) -> tuple[str, str, str]:
        dim = self.dimension(dimension)
        siblings, path = dim.themes, []
        for name in names:
            members = self.children.setdefault(id(siblings), {})
            key = header_key(name)
            node = members.get(key)
            if node is None:
                taken = self.taken.setdefault(id(siblings), set())
                node = members[key] = Theme(id=_unique(slugify(name), taken), label=name.strip())
                taken.add(node.id)
                siblings.append(node)
            elif clean_cell(name) != clean_cell(node.label):
                self.folded.setdefault(clean_cell(name), node.label)
            path.append(node.id)
            siblings = node.subthemes
        return dim.id, path[0], "/".join(path[1:])


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


class _Matcher:
    """Code paths matched to a given codebook: by id or label at each level, or a leaf found once."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self.leaves: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.ends: set[tuple[str, str, str]] = set()      # nodes without sub-themes
        for dim in codebook.dimensions:
            for path, node in dim.paths().items():
                parts = path.split("/")
                hit = (dim.id, parts[0], "/".join(parts[1:]))
                for name in {header_key(node.id), header_key(node.label)}:
                    self.leaves[name].append(hit)
                if not node.subthemes:
                    self.ends.add(hit)
        self.names = sorted({node.label for dim in codebook.dimensions for node in dim.paths().values()})

    def resolve(self, dimension: str, names: list[str]) -> tuple[str, str, str] | None:
        dims = self.codebook.dimensions
        if dimension:
            dims = [d for d in dims if header_key(d.id) == header_key(dimension) or header_key(d.label) == header_key(dimension)]
        for dim in dims:
            siblings, path = dim.themes, []
            for name in names:
                node = next((t for t in siblings if header_key(t.id) == header_key(name) or header_key(t.label) == header_key(name)
                             or t.id == slugify(name)), None)
                if node is None:
                    break
                path.append(node.id)
                siblings = node.subthemes
            else:
                return dim.id, path[0], "/".join(path[1:])
        found = {hit for hit in self.leaves.get(header_key(names[-1]), []) if not dimension or hit[0] in {d.id for d in dims}}
        if len(found) > 1:      # "Lyrics" the group and "Lyrics" the code in it: a code applied is the code
            found &= self.ends
        return found.pop() if len(found) == 1 else None


def _code_paths_of(row: dict[str, str], sep: str | None) -> list[list[str]]:
    """The code paths of a long table's row: one, or one per line of a code cell holding several (ATLAS.ti
    lists a quotation's codes one per line in one cell; read as one, they made one code "Mad Motion")."""
    cell = row.get("code", "") or ""
    if "\n" not in cell or row.get("theme", "").strip():
        names = _code_names(row, sep)
        return [names] if names else []
    paths = [_code_names({**row, "code": part}, sep) for part in cell.splitlines()]
    return [p for p in paths if p]


_CODE_ROOTS = {"nodes", "codes", "noder", "koder", "code system", "kodesystem"}  # a program's root, not a code


def _separator(value: str, sep: str | None) -> str | None:
    """The path separator a code cell is split at: ``sep`` when given, else ``::``, else a backslash, else none."""
    if sep:
        return sep
    return "::" if "::" in value else "\\" if "\\" in value else None


def _code_names(row: dict[str, str], sep: str | None) -> list[str]:
    """The code path of a row: theme + subtheme, or the code column, split at ``sep`` (or ``::``)."""
    def split(value: str) -> list[str]:
        value = clean_cell(value)
        if not value:
            return []
        separator = _separator(value, sep)
        if separator is None:
            return [value]
        parts = [p.strip() for p in value.split(separator) if p.strip()]
        if separator == "\\" and not sep:  # MAXQDA's and NVivo's paths: "Aktiviteter\\Motion", "Nodes\\Aktiviteter\\Motion"
            return parts[1:] if len(parts) > 1 and parts[0].casefold() in _CODE_ROOTS else parts
        return parts

    if row.get("theme", "").strip():
        return split(row["theme"]) + split(row.get("subtheme", ""))
    return split(row.get("code", ""))


def _dangling(row: dict[str, str], sep: str | None) -> str:
    """The first code cell of a row (each line of a cell listing several) whose path ends with the separator in use
    ("Tema\\", "Tema::", "Tema/" with ``--sep /``) after a code name, else "". Such a path is read as the code before
    the separator, the theme: a code applied to the theme itself is what the cell says as far as it goes, and the
    unit stays counted there. But a sub-code whose name was lost (an export cut short, a code renamed to nothing)
    looks the same, so the reader is told (W618) rather than the unit moved up a level unseen."""
    cells = [row.get("theme", ""), row.get("subtheme", "")] if row.get("theme", "").strip() else \
        (row.get("code", "") or "").splitlines()
    for cell in cells:
        value = clean_cell(cell)
        separator = _separator(value, sep)
        if separator and value.endswith(separator) and value.replace(separator, "").strip():
            return value
    return ""


def _warn_dangling(path: Path, dangling: list[tuple[int, str]], sep: str | None, diagnostics: Diagnostics) -> None:
    """W618 for the (line, cell) of code paths that end with their separator (:func:`_dangling`), the first named."""
    if dangling:
        line, cell = dangling[0]
        code = _separator(cell, sep).join(_code_names({"code": cell}, sep))
        diagnostics.warn("W618", path=display_path(path), n=len(dangling), line=line, cell=cell, read=code)


class _Codes:
    """Resolves code paths to (dimension, theme, sub-theme path); unknown codes are collected for E610."""

    def __init__(self, path: Path, codebook: Codebook | None, language: str):
        self.path = path
        self.builder = None if codebook is not None else _Builder(path.stem, language)
        self.matcher = _Matcher(codebook) if codebook is not None else None
        self.unknown: dict[str, list] = {}
        self.first_folded = 0   # the line of the first code read as one spelt otherwise

    def warn_folded(self, diagnostics: Diagnostics) -> None:
        """W616 when code names that differ only in capitals or spaces were read as one code ("Mænd" and
        "mænd"): usually one code typed two ways, but in a program that tells them apart they are two codes,
        and their applications were counted together without a word."""
        folded = self.builder.folded if self.builder is not None else {}
        if folded:
            name, label = next(iter(folded.items()))
            diagnostics.warn("W616", path=display_path(self.path), line=self.first_folded or 1, n=len(folded),
                             name=name, label=label)

    @property
    def codebook(self) -> Codebook:
        return self.builder.codebook if self.builder else self.matcher.codebook

    def resolve(self, line: int, dimension: str, names: list[str]) -> tuple[str, str, str] | None:
        if self.builder is not None:
            n = len(self.builder.folded)
            hit = self.builder.resolve(dimension.strip(), names)
            if len(self.builder.folded) > n and not self.first_folded:
                self.first_folded = line
            return hit
        hit = self.matcher.resolve(dimension.strip(), names)
        if hit is None:
            shown = " / ".join(names)
            self.unknown.setdefault(shown, [line, 0])[1] += 1
        return hit

    def check(self) -> None:
        if not self.unknown:
            return
        cb = self.matcher.codebook
        errors = [CondenseError("E610", path=display_path(self.path), line=line, name=code, n=n,
                                codebook=cb.path or cb.id, hint=did_you_mean(code.split(" / ")[-1], self.matcher.names))
                  for code, (line, n) in self.unknown.items()]
        raise CondenseErrors(errors) if len(errors) > 1 else errors[0]


# ============================================================================================ readers
def _read_rows(path: Path, diagnostics: Diagnostics) -> tuple[list[str], list[tuple[int, dict]]]:
    """The table's rows; ``diagnostics`` gets what reading found (W112: a formula read as its text)."""
    from .io import read_table

    header, rows = read_table(path, diagnostics=diagnostics)
    return [h for h in header], rows


def read_long(path: Path, rows, header, fields: dict[str, str], codebook: Codebook | None, sep: str | None,
              language: str, diagnostics: Diagnostics) -> CodedData:
    _warn_invisible(path, header, rows, diagnostics)
    units = _Units(path, diagnostics)
    codes = _Codes(path, codebook, language)
    codings: list[Coding] = []
    skipped: list[int] = []
    uncoded: list[tuple[int, str]] = []
    dangling: list[tuple[int, str]] = []
    n = 0
    for line, raw in rows:
        row = {fld: raw.get(h, "") for h, fld in fields.items()}
        paths = _code_paths_of(row, sep)
        cell = _dangling(row, sep) if paths else ""
        if cell:
            dangling.append((line, cell))
        if not clean_cell(row.get("text", "")) and not paths:
            skipped.append(line)
            continue
        if not paths:
            uncoded.append((line, _code_cell(row)))
        unit = units.get(line, row)
        for names in paths:
            n += 1
            hit = codes.resolve(line, row.get("dimension", ""), names)
            if hit is None:
                continue
            dim, theme, sub = hit
            codings.append(Coding(unit.unit_id, dim, theme, sub, 1.0, clean_cell(row.get("excerpt", "")), "human",
                                  clean_cell(row.get("coder", ""))))
    codes.check()
    codes.warn_folded(diagnostics)
    if skipped:
        diagnostics.warn("W610", path=display_path(path), n=len(skipped), line=skipped[0])
    if uncoded:
        diagnostics.warn("W617", path=display_path(path), n=len(uncoded), line=uncoded[0][0], cell=uncoded[0][1])
    _warn_dangling(path, dangling, sep, diagnostics)
    return CodedData(units.finish(), codings, codes.codebook, display_path(path), diagnostics, n, kind="long")


def _code_cell(row: dict[str, str]) -> str:
    """The code cell of a row that names no code, as the warning shows it: a blank cell looks like nothing in
    the message, so it is called empty; a cell of separators alone (``\\``, ``::``) is quoted as written."""
    cell = row.get("code", "") if "code" in row else row.get("theme", "")
    cell = (cell or "").strip()
    return f"'{cell}'" if cell else "empty"


def _applied(value, marks: bool = True) -> tuple[bool, str]:
    """A grid cell: (applied?, the excerpt when the cell holds text rather than a mark).

    In a column of marks (0/1, x, yes/no …) only a mark that is not 0/no applies; in a column of coded
    text every non-empty cell applies, whatever it says ("No" is an answer there).
    """
    text = clean_cell(value)
    if not marks:
        return bool(text), text
    if text.casefold() in NOT_APPLIED:
        return False, ""
    if text.casefold() in MARKS:
        return True, ""
    try:
        return float(text) != 0, ""
    except ValueError:
        return True, text


def _mark_columns(rows, columns: list[str]) -> dict[str, bool]:
    """Which code columns hold marks (every value a 0/1-like mark or a number) rather than coded text."""
    out = {}
    for h in columns:
        values = {clean_cell(r.get(h, "")).casefold() for _, r in rows}
        out[h] = all(v in MARKS or v in NOT_APPLIED or re.fullmatch(r"-?\d+(?:\.\d+)?", v) for v in values)
    return out


def _marks(raw: dict, code_columns: list[str], kinds: dict[str, bool]) -> list[tuple[str, str]]:
    """The code columns applied in one grid row, each with its excerpt ("" for a mark)."""
    marks = [(h, *_applied(raw.get(h, ""), kinds[h])) for h in code_columns]
    return [(h, excerpt) for h, applied, excerpt in marks if applied]


def _grid_codings(codes: "_Codes", line: int, row: dict, unit: MeaningUnit,
                  applied: list[tuple[list[str], str]]) -> list[Coding]:
    """One coding per code path applied to a unit (an unknown code is collected by ``codes`` for E610)."""
    out = []
    for names, excerpt in applied:
        hit = codes.resolve(line, row.get("dimension", ""), names)
        if hit is not None:
            out.append(Coding(unit.unit_id, hit[0], hit[1], hit[2], 1.0, excerpt, "human", clean_cell(row.get("coder", ""))))
    return out


def _code_columns(path: Path, header: list[str], fields: dict[str, str]) -> list[str]:
    """The columns of a grid that are codes (every header naming no field and no identifier); E611 without a
    text column, E612 without a code column."""
    rest = [h for h in header if h and h not in fields]
    code_columns = [h for h in rest if not IDENTIFIER.fullmatch(h.strip())]
    if "text" not in fields.values():
        raise CondenseError("E611", path=display_path(path), columns=", ".join(h for h in header if h))
    if not code_columns:
        ids = [h for h in rest if h not in code_columns]
        raise CondenseError("E612", path=display_path(path),
                            ids=f"; a column naming an identifier is no code: {', '.join(ids)}" if ids else "")
    return code_columns


def read_wide(path: Path, rows, header, fields: dict[str, str], codebook: Codebook | None, sep: str | None,
              language: str, diagnostics: Diagnostics, *, hierarchy: dict[str, list[str]] | None = None,
              kind: str = "wide") -> CodedData:
    """A grid: every column that names no field is a code (its path from ``hierarchy`` when given)."""
    _warn_invisible(path, header, rows, diagnostics)
    code_columns = _code_columns(path, header, fields)
    units = _Units(path, diagnostics)
    codes = _Codes(path, codebook, language)
    codings: list[Coding] = []
    skipped: list[int] = []
    n = 0
    paths = {h: (hierarchy or {}).get(h) or _code_names({"code": h}, sep) for h in code_columns}
    ends = [(1, cell) for cell in (_dangling({"code": h}, sep) for h in code_columns if not (hierarchy or {}).get(h)) if cell]
    _warn_dangling(path, ends, sep, diagnostics)  # a header "Tema\\" is the column of the code "Tema"
    kinds = _mark_columns(rows, code_columns)
    if codes.builder is not None:       # the codebook in column order, codes never applied included
        for h in code_columns:
            codes.builder.resolve("", paths[h])
    for line, raw in rows:
        row = {fld: raw.get(h, "") for h, fld in fields.items()}
        marks = _marks(raw, code_columns, kinds)
        if not clean_cell(row.get("text", "")) and not marks:
            skipped.append(line)
            continue
        unit = units.get(line, row)
        n += len(marks)
        codings += _grid_codings(codes, line, row, unit, [(paths[h], excerpt) for h, excerpt in marks])
    codes.check()
    codes.warn_folded(diagnostics)
    if skipped:
        diagnostics.warn("W610", path=display_path(path), n=len(skipped), line=skipped[0])
    return CodedData(units.finish(), codings, codes.codebook, display_path(path), diagnostics, n, kind=kind)


# ------------------------------------------------------------------------------------ the workbook
_RANGE = re.compile(r"(?:'([^']+)'|([A-Za-z0-9_ .]+))!\$?([A-Z]{1,3})\$?\d+(?::\$?([A-Z]{1,3})\$?\d+)?")


def _col(letters: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letters)


def _formula_ranges(rows: list[tuple]) -> dict[int, tuple[str, int, int]]:
    """column index (1-based) → (sheet, first column, last column) of the SUM formula most rows have."""
    out = {}
    for j in range(len(rows[0]) if rows else 0):
        seen: Counter = Counter()
        for r in rows[1:]:
            v = r[j] if j < len(r) else None
            if isinstance(v, str) and v.startswith("=") and "SUM(" in v.upper():
                m = _RANGE.search(v)
                if m:
                    sheet = m.group(1) or m.group(2)
                    seen[(sheet, _col(m.group(3)), _col(m.group(4) or m.group(3)))] += 1
        if seen:
            out[j + 1] = seen.most_common(1)[0][0]
    return out


def _is_workbook(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False
    from .io import workbook_reading

    with workbook_reading():
        try:
            wb = _open_workbook(path)
        except Exception:
            return False
        try:
            for ws in wb.worksheets:
                for r in ws.iter_rows(min_row=2, max_row=3, values_only=True):
                    if any(isinstance(v, str) and v.startswith("=") and "!" in v and "SUM(" in v.upper() for v in r):
                        return True
        except Exception:  # a sheet openpyxl cannot parse: read_table meets it and says so (E503)
            return False
        finally:
            wb.close()
    return False


def read_workbook(path: Path, fields_spec: dict[str, str], codebook: Codebook | None, language: str,
                  diagnostics: Diagnostics) -> CodedData:
    """An analyst's workbook: a grid of the finest codes, higher levels as ``=SUM(...)`` over its columns.

    The sheets whose cells sum column ranges of another sheet give the hierarchy: a level-2 column owns
    the level-3 columns its formula sums, a level-1 column the level-2 columns its formula sums. A
    higher-level column without a formula owns the codes between its neighbours' ranges (W613); codes no
    range covers stand at the top (W614). The applications are read from the sheet that holds the coded
    text per code when there is one (same headers as the grid, plus the text column), else from the grid;
    where the two disagree, that is reported (W612).
    """
    shown = display_path(path)
    sheets, hidden = _load_sheets(path, shown)
    ranges = {name: r for name, rows in sheets.items() if (r := _formula_ranges(rows))}
    sheets, ranges = _seen_sheets(sheets, ranges, hidden, shown, diagnostics)
    grid_name = _grid_sheet(sheets, ranges, shown)
    grid_header = [clean_cell(h) for h in sheets[grid_name][0]]
    levels = _levels(ranges, grid_name)
    parents = [_owners(sheets, ranges[name], name, sheets[levels[idx - 1]][0] if idx else sheets[grid_name][0],
                       shown, diagnostics) for idx, name in enumerate(levels)]
    hierarchy, orphans = _code_paths(sheets, grid_header, levels, parents)
    text_name = _text_sheet(sheets, ranges, grid_name, grid_header, hierarchy)
    source = text_name or grid_name
    header = [clean_cell(h) if h is not None else "" for h in sheets[source][0]]
    fields = fields_of(header, fields_spec)
    _drop_key_columns(hierarchy, orphans, fields, shown, diagnostics)
    rows = [(line, r) for line, r in _sheet_rows(sheets[source], header) if not _is_total_row(r, fields)]
    if text_name:
        _compare_grid(shown, sheets, text_name, grid_name, fields, hierarchy, diagnostics)
    return read_wide(path, rows, header, fields, codebook, None, language, diagnostics,
                     hierarchy={h: hierarchy[h] for h in header if h in hierarchy}, kind="workbook")


def _drop_key_columns(hierarchy: dict, orphans: list[str], fields: dict[str, str], shown: str,
                      diagnostics: Diagnostics) -> None:
    """Columns that name a field (interview, text …) are no codes; the codes left at the top are named (W614)."""
    for h in fields:
        hierarchy.pop(h, None)
    orphans = [h for h in orphans if h not in fields]
    if orphans:
        diagnostics.warn("W614", path=shown, n=len(orphans), codes=", ".join(orphans))


def _load_sheets(path: Path, shown: str) -> tuple[dict[str, list[tuple]], set[str]]:
    """Every sheet of the workbook as rows of cell values, formulas as written (E503 for a broken file), and the
    names of the hidden ones."""
    from .io import workbook_reading

    try:
        with workbook_reading():
            wb = _open_workbook(path)
            sheets = {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
            hidden = {ws.title for ws in wb.worksheets if ws.sheet_state != "visible"}
            wb.close()
    except CondenseError:
        raise
    except Exception as exc:  # openpyxl raises many types for broken files, while it opens them or reads rows
        raise CondenseError("E503", path=shown, detail=str(exc)) from exc
    return sheets, hidden


def _seen_sheets(sheets: dict, ranges: dict, hidden: set[str], shown: str,
                 diagnostics: Diagnostics) -> tuple[dict, dict]:
    """The sheets a workbook is read from: the visible ones, and the hidden ones their =SUM(...) formulas tie them
    to, either way (a hidden grid the visible levels sum, hidden helper sheets summing the visible grid: the
    figures the user sees are made of them). A hidden sheet tied to no visible one (an old copy of the grid and its
    sums, an old text sheet kept out of sight) was read as if it were shown, and the first grid in the workbook,
    old or not, gave the codes: it is left out and named (W619). When what is left holds no grid, every sheet is
    read, as before: nothing the user sees is a coded grid, so no sheet can be told from another by being shown."""
    tied = defaultdict(set)
    for name, r in ranges.items():
        for sheet, _, _ in r.values():
            tied[name].add(sheet)
            tied[sheet].add(name)
    keep = {name for name in sheets if name not in hidden}
    todo = list(keep)
    while todo:
        for other in tied[todo.pop()] & set(sheets) - keep:
            keep.add(other)
            todo.append(other)
    left = [name for name in sheets if name not in keep]
    kept = {name: r for name, r in ranges.items() if name in keep}
    summed = {sheet for r in kept.values() for sheet, _, _ in r.values()}
    if not left or not any(name in summed and name not in kept for name in keep):
        return sheets, ranges
    diagnostics.warn("W619", path=shown, n=len(left), sheets=", ".join(f"'{name.strip()}'" for name in left))
    return {name: rows for name, rows in sheets.items() if name in keep}, kept


def _grid_sheet(sheets: dict, ranges: dict, shown: str) -> str:
    """The grid of the finest codes: a sheet summed by others that sums none itself (E614 when none is); of two
    such sheets the first in the workbook (a set's order would follow the hash seed)."""
    summed = {sheet for r in ranges.values() for sheet, _, _ in r.values()}
    grid_names = [name for name in sheets if name in summed and name not in ranges]
    if not grid_names:
        raise CondenseError("E614", path=shown, detail="no sheet of 0/1 codes summed by formulas on another sheet")
    return grid_names[0]


def _levels(ranges: dict, grid_name: str) -> list[str]:
    """The chain of sheets from the grid upwards, each summing only the one below it."""
    levels = []
    below = grid_name
    while True:
        above = [name for name, r in ranges.items() if {s for s, _, _ in r.values()} == {below}]
        if not above:
            return levels
        levels.append(above[0])
        below = above[0]


def _owners(sheets: dict, r: dict, name: str, below_header, shown: str, diagnostics: Diagnostics) -> dict[int, int]:
    """column of the level below → the column of sheet ``name`` that owns it: the columns its SUM covers; a
    column without a formula owns the columns between its neighbours' ranges (W613)."""
    owner = {c: col for col, (_, first, last) in r.items() for c in range(first, last + 1)}
    for j, h in enumerate(sheets[name][0]):
        col = j + 1
        if col in r or not clean_cell(h) or _looks_like_key(clean_cell(h)):
            continue
        between = _between_ranges(r, col)
        if between is None:
            continue
        gap = [c for c in range(*between) if c not in owner]
        for c in gap:
            owner[c] = col
        diagnostics.warn("W613", path=shown, sheet=name.strip(), column=clean_cell(h),
                         codes=", ".join(clean_cell(below_header[c - 1]) for c in gap) or "none")
    return owner


def _between_ranges(r: dict, col: int) -> tuple[int, int] | None:
    """The columns (first, stop) of the level below between the ranges of ``col``'s neighbours, None at an edge."""
    prev = max((r[c][2] for c in r if c < col), default=None)
    nxt = min((r[c][1] for c in r if c > col), default=None)
    if prev is None or nxt is None:
        return None
    return prev + 1, nxt


def _code_paths(sheets: dict, grid_header: list[str], levels: list[str],
                parents: list[dict[int, int]]) -> tuple[dict[str, list[str]], list[str]]:
    """The code path of every grid column (its owners' headers level by level, then its own), and the
    columns no range covers (orphans, placed at the top)."""
    hierarchy: dict[str, list[str]] = {}
    orphans = []
    for j, h in enumerate(grid_header):
        if not h:
            continue
        col, names = j + 1, [h]
        for level, owner in zip(levels, parents):
            parent = owner.get(col)
            if parent is None:
                break
            names.insert(0, clean_cell(sheets[level][0][parent - 1]))
            col = parent
        if len(levels) and len(names) == 1 and not _looks_like_key(h):
            orphans.append(h)
        hierarchy[h] = names
    return hierarchy, orphans


def _text_sheet(sheets: dict, ranges: dict, grid_name: str, grid_header: list[str],
                hierarchy: dict[str, list[str]]) -> str | None:
    """The sheet holding the coded text per code: the grid's code headers (below the top) plus a text column."""
    coded = {h for h in grid_header if h and h in hierarchy and len(hierarchy[h]) > 1}
    return next((name for name, rows in sheets.items() if name != grid_name and name not in ranges and rows
                 and {clean_cell(h) for h in rows[0] if h} >= coded), None)


def _looks_like_key(header: str) -> bool:
    return ALIASES.get(header_key(header)) is not None


def _sheet_rows(rows: list[tuple], header: list[str]) -> list[tuple[int, dict]]:
    out = []
    for i, r in enumerate(rows[1:], start=2):
        values = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, r) if h}
        if any(values.values()):
            out.append((i, values))
    return out


def _is_total_row(row: dict, fields: dict[str, str]) -> bool:
    """A row of column totals (``=SUM(C2:C797)``) under the grid is no unit."""
    keys = [row.get(h, "") for h, f in fields.items() if f in ("interview", "unit", "unit_id", "text")]
    formulas = [v for v in row.values() if v.startswith("=")]
    return not any(keys) and bool(formulas)


def _compare_grid(shown, sheets, text_name, grid_name, fields, hierarchy, diagnostics) -> None:
    """Report where the grid's 0/1 and the text sheet's excerpts disagree (W612)."""
    def keyed(name):
        header = [clean_cell(h) if h is not None else "" for h in sheets[name][0]]
        f = fields_of(header, {header_key(h): v for h, v in fields.items()})
        keys = [h for h, v in f.items() if v in ("interview", "unit", "unit_id")]
        rows = [(line, r) for line, r in _sheet_rows(sheets[name], header) if not _is_total_row(r, f)]
        kinds = _mark_columns(rows, list(hierarchy))
        out = {}
        for line, r in rows:
            out[tuple(r.get(k, "") for k in keys)] = (line, {h: _applied(r.get(h, ""), kinds[h])[0] for h in hierarchy})
        return out

    a, b = keyed(text_name), keyed(grid_name)
    diffs = [(b[k][0], h) for k in a if k in b for h in hierarchy if a[k][1].get(h) != b[k][1].get(h)]
    if diffs:
        diffs.sort()
        diagnostics.warn("W612", path=shown, sheet=text_name, other=grid_name, n=len(diffs), row=diffs[0][0],
                         column=diffs[0][1])


# ============================================================================================ entry
def read_coded(path: str | Path, *, codebook: Codebook | str | Path | None = None,
               columns: str | dict | None = None, sep: str | None = None, language: str | None = None,
               diagnostics: Diagnostics | None = None, nlp=None) -> CodedData:
    """Read coded data (long table, wide grid, analyst's workbook or .qdpx project) as :class:`CodedData`.

    Every code application of the input becomes one :class:`Coding` (``n_applications`` counts them;
    with a codebook, an unknown code stops the reading with E610 before anything is lost silently).
    """
    from .codebook import load_codebook

    p = Path(path)
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    if not p.exists():
        raise CondenseError("E101", path=display_path(p))
    if isinstance(codebook, (str, Path)) and Path(codebook).suffix.lower() in (".qdc", ".qdpx"):
        from .refi import import_refi  # the code tree another QDA program exported: its codes are the themes

        cb = import_refi(codebook)[0]
    else:
        cb = load_codebook(codebook) if isinstance(codebook, (str, Path)) else codebook
    if cb is not None:
        language = cb.language
    spec = parse_columns(columns)
    suffix = p.suffix.lower()
    if suffix == ".qdpx":
        from .qdpx import coded_from_qdpx, read_qdpx

        data = coded_from_qdpx(read_qdpx(p, diagnostics=diagnostics), codebook=cb)
    elif suffix == ".xlsx" and _is_workbook(p):
        data = read_workbook(p, spec, cb, language or "en", diagnostics)
    elif suffix in (".csv", ".xlsx"):
        data = _read_table(p, spec, cb, sep, language, diagnostics)
    else:
        raise CondenseError("E102", ext=p.suffix or "(none)", path=display_path(p))
    data.sha256 = _sha(p)
    data.path = display_path(p)
    data.diagnostics = diagnostics
    _withdraw(data, p)
    data.pseudonyms = coded_pseudonyms(p, diagnostics)
    if data.pseudonyms:
        _pseudonymise(data)
    data.cases = data.cases or {c: Case(c) for u in data.units for c in u.cases}
    _analyse(data.units, data.codebook.language, nlp)
    return data


def _own_codings_fix(p: Path, header: list[str]) -> dict[str, str]:
    """E611's fix for a codings.csv condense wrote (codes by unit id, no texts: `condense tables results/codings.csv`
    was told to name a text column it does not have): the command that reads it, and the file of the same run that
    holds the coded texts."""
    if not {"unit_id", "dimension", "theme", "source"} <= set(header):
        from .io import STUDY_TABLES, what_else

        other = what_else(p, header)  # a study's cases.csv or transcripts.csv: no coding at all
        if other is not None and other.kind in STUDY_TABLES:
            return {"own": f"This is {other.what} of a study, not coded data: make tables from the study itself, "
                           f"`condense tables PROJECT` after `condense run PROJECT`. Otherwise: "}
        return {}
    shown = display_path(p)
    return {"own": f"This is condense's codings.csv (codes by unit id, without the texts): make tables from it with "
                   f"its project, `condense tables PROJECT --codings {shown}`, or give the same run's segments.csv "
                   "(the coded texts) instead. Otherwise: "}


def _read_table(p: Path, spec: dict[str, str], cb: Codebook | None, sep: str | None, language: str | None,
                diagnostics: Diagnostics) -> CodedData:
    """A long table (a code per row) or a wide grid (a column per code) of coded text."""
    header, rows = _read_rows(p, diagnostics)
    fields = fields_of(header, spec)
    if "text" not in fields.values() and "excerpt" in fields.values():
        # coded segments alone (QualCoder's "Coded text", an excerpt list): each segment is its own text
        fields = {h: ("text" if f == "excerpt" else f) for h, f in fields.items()}
    if "text" not in fields.values():
        raise CondenseError("E611", path=display_path(p), columns=", ".join(h for h in header if h), **_own_codings_fix(p, header))
    language = language or _language_of(rows, fields)
    read = read_long if {"code", "theme"} & set(fields.values()) else read_wide
    return read(p, rows, header, fields, cb, sep, language, diagnostics)


def _language_of(rows, fields: dict[str, str]) -> str:
    """The language of a table's text column (Danish or English common words, as a folder of transcripts is
    told), so a Danish team's coded segments get Danish table words ("de fleste", not "most"); English when it
    cannot be told."""
    from .coding import text_language

    column = next(h for h, f in fields.items() if f == "text")
    found, _ = text_language(r.get(column, "") or "" for _, r in rows)
    return found or "en"


def _withdraw(data: CodedData, path: Path) -> None:
    """Withdrawn passages (``[[withdrawn]] … [[/withdrawn]]``, as in transcripts) out of coding done elsewhere:
    out of every unit's text and every excerpt, markers checked (E801–E804 name the unit). A unit left
    without words and a code application whose excerpt holds withdrawn words are dropped (W615): the
    respondent took those words back, so no count, quote or table may rest on them. The passages'
    fingerprints go to the consent audit of the written tables (:func:`coded_result`)."""
    from .ingest.withdrawn import Withdrawn, strip_withdrawn, withdrawn_overlap

    found, language, shown = Withdrawn(), data.codebook.language, display_path(path)
    kept, gone = [], set()
    for u in data.units:
        before = found.count
        text = strip_withdrawn(u.text, path, 0, language=language, collect=found, where=f"{shown}, unit {u.unit_id}")
        data.withdrawn_in[u.transcript] += found.count - before
        if text != u.text:
            u.text, u.start, u.end, u.fingerprint = text, 0, len(text), fingerprint(text)
            if not text.strip():
                gone.add(u.unit_id)
                continue
        kept.append(u)
    codings, dropped = [], []
    for c in data.codings:
        excerpt = strip_withdrawn(c.evidence, path, 0, language=language, collect=found,
                                  where=f"{shown}, unit {c.unit_id}, excerpt")
        on_withdrawn = excerpt != c.evidence and not excerpt.strip()
        if c.unit_id in gone or on_withdrawn or (found.spans and withdrawn_overlap(excerpt, found.words, found.shingles)):
            dropped.append(c.unit_id)
            continue
        c.evidence = excerpt
        codings.append(c)
    if not found.spans:
        return
    _refuse_repeats(kept, found, path)
    data.diagnostics.warn("W615", path=shown, passages=found.count, units=len(gone), codings=len(dropped),
                          unit=min(gone) if gone else (dropped[0] if dropped else "-"))
    data.units, data.codings, data.withdrawn = kept, codings, [found]


def _refuse_repeats(units: list[MeaningUnit], found, path: Path) -> None:
    """E834 for every unit that says a withdrawn passage again outside its markers (the same segment copied to
    another row unmarked, another respondent's answer quoting it): the markers left it in the tables and the audit,
    which allows what the file holds outside passages, passed. As for transcripts (ingest.withdrawn.refuse_repeats)."""
    from .ingest.withdrawn import REPEAT_WORDS, repeat_at, shingle_table

    table = shingle_table(found.shingles)
    shown = display_path(path)
    errors = [CondenseError("E834", path=shown, line=f"unit {u.unit_id}", n=REPEAT_WORDS, source=shown)
              for u in units if repeat_at(u.text, table) is not None]
    if errors:
        raise errors[0] if len(errors) == 1 else CondenseErrors(errors)


def _analyse(units: list[MeaningUnit], language: str, nlp=None) -> None:
    """Lemmas for every unit (condensate drafts and golden quotes need them)."""
    from .nlp import analyze, load_nlp, token_types

    nlp = nlp or load_nlp(language)
    types = token_types(nlp, language)
    for u in units:
        _, lemmas, texts = analyze(nlp.make_doc(u.text), types)
        pairs = [(l, t) for l, t in zip(lemmas, texts) if l]
        u.language = language
        u.n_words = len(pairs)
        u.lemmas = tuple(x[0] for x in pairs)
        u.surfaces = tuple(x[1] for x in pairs)


# ============================================================================================ tables
def hierarchy_condensation(units: list[MeaningUnit], codings: list[Coding], codebook: Codebook, *,
                           drafts: bool = True):
    """Condensation groups for every node of the hierarchy (themes, sub-themes at any depth), each with its
    units' centrality, condensate draft and golden quote (``drafts=False``: counts only); a unit belongs to
    every node it was coded under. Drafts and quotes are chosen as in a run
    (:func:`condense.condensation.assign_quotes`), from the units coded under each node."""
    from .condensation import Condensation, SubGroup, assign_quotes, centrality

    by_id = {u.unit_id: u for u in units}
    members: dict[tuple[str, str], set[str]] = defaultdict(set)   # (dimension, path) → unit ids
    marked: dict[tuple[str, str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for c in codings:
        if c.unit_id not in by_id:
            continue
        parts = c.subtheme.split("/") if c.subtheme else []
        spans = excerpt_spans(by_id[c.unit_id].text, c.evidence) if c.source == "human" else []
        for i in range(len(parts) + 1):
            path = "/".join([c.theme, *parts[:i]])
            members[(c.dimension, path)].add(c.unit_id)
            if spans:
                marked[(c.dimension, c.theme, "/".join(parts[:i]))][c.unit_id].extend(spans)
    result = Condensation()
    for dim in codebook.dimensions:
        for path, node in dim.paths().items():
            ids = sorted(members.get((dim.id, path), ()))
            if not ids:
                continue
            theme, _, sub = path.partition("/")
            group = SubGroup(dim.id, theme, sub, node.label, ids, kind="theme" if not sub else "codebook")
            if drafts:
                group.central = dict(zip(ids, centrality([by_id[i] for i in ids], codebook.language)))
            result.groups.append(group)
    if drafts:
        assign_quotes(result, by_id, codings, codebook.language, marked=marked)
    return result


def excerpt_spans(text: str, excerpt: str) -> list[tuple[int, int]]:
    """Where a coder's excerpt stands in the unit's text: each of its passages (tools join several with
    `` / ``) found as written, or else in lower case; a passage not in the text is left out."""
    folded = text.lower() if len(text.lower()) == len(text) else text  # offsets must stay the text's
    out = []
    for piece in excerpt.split("/"):
        piece = " ".join(piece.split())
        if len(piece) < 3:
            continue
        at = text.find(piece)
        if at < 0:
            at = folded.find(piece.lower())
        if at >= 0:
            out.append((at, at + len(piece)))
    return out


def code_cooccurrence(units: list[MeaningUnit], codings: list[Coding], codebook: Codebook) -> "pd.DataFrame":
    """Pairs of codes on the same unit, level by level within each dimension: units and interviews."""
    import pandas as pd

    by_id = {u.unit_id: u for u in units}
    labels = {(d.id, p): n.label for d in codebook.dimensions for p, n in d.paths().items()}
    order = {k: i for i, k in enumerate(labels)}
    per_unit: dict[tuple[str, int], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for c in codings:
        parts = [c.theme] + (c.subtheme.split("/") if c.subtheme else [])
        for level in range(1, len(parts) + 1):
            per_unit[(c.dimension, level)][c.unit_id].add("/".join(parts[:level]))
    cells: dict[tuple, set[str]] = defaultdict(set)
    for (dim, level), units_paths in per_unit.items():
        for uid, paths in units_paths.items():
            items = sorted(paths, key=lambda p: order.get((dim, p), 1 << 30))
            for i, a in enumerate(items):
                for b in items[i + 1:]:
                    cells[(dim, level, a, b)].add(uid)
    rows = [{"dimension": dim, "level": level, "code_a": a, "label_a": labels.get((dim, a), a), "code_b": b,
             "label_b": labels.get((dim, b), b), "n_units": len(ids),
             "n_interviews": len({by_id[i].transcript for i in ids if i in by_id})}
            for (dim, level, a, b), ids in cells.items()]
    rows.sort(key=lambda r: (r["dimension"], r["level"], -r["n_units"], order.get((r["dimension"], r["code_a"]), 0),
                             order.get((r["dimension"], r["code_b"]), 0)))
    return pd.DataFrame(rows, columns=["dimension", "level", "code_a", "label_a", "code_b", "label_b", "n_units",
                                       "n_interviews"])


def coded_result(data: CodedData, *, settings=None, out: str | Path | None = None):
    """The STC tables of coded data, as a run's :class:`~condense.pipeline.RunResult` (nothing written).

    themes (every level, with units, interviews, cases and mentions, condensate drafts and golden quotes,
    see :func:`hierarchy_condensation`), segments,
    units, codings, cross-dimension matrices where the codebook has those dimensions, crosstabs by case
    attributes, co-occurrence (across dimensions, and code pairs level by level), the codebook.
    """
    import pandas as pd

    from .coding import codings_frame, units_coded_frame
    from .ingest import Corpus
    from .pipeline import RunResult
    from .project import Project
    from .segment import Segmentation
    from .tables import (TableSettings, cooccurrence, crosstab, crosstab_names, default_crosstabs, matrix, matrix_wide,
                         segments, themes_table)

    settings = settings or TableSettings()
    codebook, units, codings = data.codebook, data.units, data.codings
    transcripts = data.transcripts()
    kept = {t.id for t in transcripts}  # an interview whose every answer was withdrawn has no transcript here
    corpus = Corpus(transcripts, cases=data.cases, diagnostics=data.diagnostics,
                    withdrawn_unread=sum(n for tid, n in data.withdrawn_in.items() if tid not in kept))
    project = Project(transcripts=[Path(data.path)], codebook=Path(codebook.path) if codebook.path else None,
                      language=codebook.language, tables={"count_over": settings.count_over},
                      output=Path(out) if out else Path("results"))
    seg = Segmentation(units)
    result = RunResult(project, corpus, seg, data.diagnostics, codebook=codebook, codings=codings)
    if data.withdrawn or data.pseudonyms:
        _audited(result, data)
    else:  # no privacy of an earlier run in this process (a notebook) judges these quotes
        coded_privacy(codebook.language, [], []).activate()
    condensation = hierarchy_condensation(units, codings, codebook)
    t = result.tables
    t["themes"] = themes_table(condensation, units, codebook, settings, codings)
    t["units"] = seg.to_frame()
    t["codings"] = codings_frame(codings)
    t["units_coded"] = units_coded_frame(units, codings, [d.id for d in codebook.dimensions])
    t["segments"] = segments(units, codings, codebook)
    dims = {d.id for d in codebook.dimensions}
    grids = {}
    for a, b in settings.matrices:
        if a in dims and b in dims:
            long = matrix(units, codings, codebook, a, b)
            t[f"matrix_{a}_x_{b}"] = long
            label_a = codebook.dimension(a).label
            grids[f"{label_a} × {codebook.dimension(b).label}"] = matrix_wide(long, a, b, corner=label_a)
    result.matrix_grids = grids
    attributes = settings.crosstabs
    if attributes is None:
        attributes = default_crosstabs(data.cases, result.diagnostics)
    for attribute, name in crosstab_names(attributes).items():
        t[name] = crosstab(units, codings, codebook, data.cases, attribute, settings)
    t["cooccurrence"] = cooccurrence(codings, codebook)
    t["cooccurrence_codes"] = code_cooccurrence(units, codings, codebook)
    result.counts = {"code_applications_read": data.n_applications, "codings": len(codings), "input": data.kind}
    return result


def coded_pseudonyms(path: Path, diagnostics: Diagnostics | None = None) -> list:
    """The pseudonyms.csv beside a coded file, read (E820-E822 for a bad one; W101 into ``diagnostics`` for one
    saved as Windows-1252), else none: NVivo's and MAXQDA's documents are often named after the person interviewed."""
    from .privacy import PSEUDONYMS_CSV, read_pseudonyms

    listed = Path(path).parent / PSEUDONYMS_CSV
    return read_pseudonyms(listed, diagnostics) if listed.is_file() else []


def _pseudonymise(data: CodedData) -> None:
    """Listed real names → pseudonyms in the coded data itself, before anything is made of it: the units'
    text, questions and cases, the interviews (a document named after its respondent, "Karina Holst.docx"),
    the unit ids and the codings' evidence, as a run renames them before coding. A name is then never a
    lemma, nor a part of an id a file spells its own way (a link's "Karina%20Holst")."""
    privacy = coded_privacy(data.codebook.language, [], data.pseudonyms)
    swap = privacy.pseudonymise
    ids: dict[str, str] = {}
    for u in data.units:
        u.text, u.question = swap(u.text), swap(u.question)
        u.transcript, u.cases = swap(u.transcript), [swap(c) for c in u.cases]
        u.unit_id = ids[u.unit_id] = swap(u.unit_id)
        u.end, u.fingerprint = u.start + len(u.text), fingerprint(u.text)
    for c in data.codings:
        c.unit_id, c.evidence = ids.get(c.unit_id, swap(c.unit_id)), swap(c.evidence)
    data.withdrawn_in = Counter({swap(k): v for k, v in data.withdrawn_in.items()})
    data.cases = {swap(k): v for k, v in data.cases.items()}
    for case in data.cases.values():
        case.id = swap(case.id)


def coded_privacy(language: str, withdrawn: list, pseudonyms: list):
    """The privacy of tables made from coded data: withdrawn passages, and listed names (the pseudonyms
    replace them in every file written, and the audit looks for them; a golden quote never names one)."""
    from .privacy import Privacy

    privacy = Privacy(language=language, withdrawn=list(withdrawn), pseudonyms=list(pseudonyms))
    privacy._listed_names(set())
    return privacy


def _audited(result, data: CodedData) -> None:
    """The consent audit for tables made from coded data with withdrawn passages or a pseudonym list: the
    passages' fingerprints, against the coded text that stays (units and excerpts, their lemmas) and the
    codebook's wording; the listed real names."""
    from .audit import fingerprints
    from .audit_scan import Scanner
    from .codebook import dump_codebook

    privacy = coded_privacy(data.codebook.language, data.withdrawn, data.pseudonyms)
    privacy.activate()  # golden quotes and drafts: never a unit naming a listed person
    result.segmentation.privacy = privacy
    allowed = [u.text for u in data.units] + [" ".join(u.lemmas) for u in data.units]
    allowed += [c.evidence for c in data.codings] + [dump_codebook(data.codebook)]
    fp = fingerprints(privacy, allowed)
    result.audit_scanner = Scanner(fp, fp.allowed)


def write_coded(result, out: str | Path) -> Path:
    """Write the tables of coded data into ``out`` (all or nothing), with the codebook as codebook.yaml; where
    withdrawn passages were left out, the consent audit checks every byte before the folder moves into place."""
    from .codebook import dump_codebook
    from .export import start_tables
    from .io import output_folder, write_file
    from .privacy import pseudonymise_result

    pseudonymise_result(result)  # listed names out of every table before figures are drawn (as a run does)
    with output_folder(out) as tmp:
        pending = start_tables(result, tmp)
        try:
            write_file(tmp / "codebook.yaml", dump_codebook(result.codebook))
            if getattr(result.segmentation, "privacy", None) is not None:
                from .audit import finalise

                result.audit = finalise(result, tmp, pending)
            pending.finish()
        finally:
            pending.cancel()
    return Path(out)


def tables_from_coded(path: str | Path, out: str | Path | None = None, *, codebook=None, columns=None,
                      sep: str | None = None, count_over: str | None = None, language: str | None = None):
    """The ``tables`` verb for coded data: read, tabulate and (when ``out`` is given) write; returns the result."""
    from .tables import TableSettings

    try:
        settings = TableSettings.from_dict({"count_over": count_over} if count_over else None)
    except ValueError as exc:
        raise CondenseError("E621", path="--count-over", detail=str(exc), fix="Use interviews, cases or units.") from exc
    data = read_coded(path, codebook=codebook, columns=columns, sep=sep, language=language)
    if not data.units:  # empty tables would replace the last ones, as a run that read nothing would not (E112)
        raise CondenseError("E623", path=display_path(path), codes=sum(len(d.paths()) for d in data.codebook.dimensions))
    result = coded_result(data, settings=settings, out=out)
    result.coded = data
    if out is not None:
        write_coded(result, out)
    return result
