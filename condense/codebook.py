"""The codebook: dimensions → themes → sub-themes, read from YAML, validated in one pass.

>>> cb = load_codebook("codebooks/beboerinddragelse.da.yaml")     # doctest: +SKIP
>>> [d.id for d in cb.dimensions]                                   # doctest: +SKIP
['fase', 'deltagelse', 'tema']

Validation collects every problem before raising, each with file, line and fix: unknown keys (with a
did-you-mean), duplicate ids, wrong types, unknown languages, non-ASCII ids. A theme without terms is a
warning: it can still be coded by hand and in review.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import CondenseError, CondenseErrors, Diagnostics, did_you_mean, display_path, file_error, first_few

__all__ = [
    "ORIGINS", "STATUSES", "LANGUAGES", "CODEBOOK_KEYS", "DIMENSION_KEYS", "THEME_KEYS", "ID_RE", "Theme",
    "Dimension", "Followup", "Codebook", "slugify", "parse_codebook", "load_codebook", "dump_codebook", "save_codebook",
    "merge_codebooks"
]

ORIGINS = ("predefined", "emergent")
STATUSES = ("", "candidate", "accepted")
LANGUAGES = ("da", "en")

CODEBOOK_KEYS = {"codebook", "label", "language", "version", "description", "dimensions", "author", "source", "notes",
                 "followups"}
FOLLOWUP_KEYS = {"id", "label", "cues"}
DIMENSION_KEYS = {"id", "label", "description", "multi_label", "themes", "origin", "threshold", "top_k"}
THEME_KEYS = {
    "id", "label", "origin", "description", "include", "exclude", "examples", "terms", "phrases",
    "question_cues", "exclude_terms", "weight", "subthemes", "status", "color", "memo", "all_of",
    "context",  # sub-theme only: words one of which must also be in the unit (condense/grouping.py)
}
ID_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$")


@dataclass
class Theme:
    id: str
    label: str
    origin: str = "predefined"
    description: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    question_cues: list[str] = field(default_factory=list)
    exclude_terms: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)  # sub-theme counts only when one of these is in the unit
    all_of: list[str] = field(default_factory=list)  # words that must all occur in one sentence, any order
    weight: float = 1.0
    subthemes: list["Theme"] = field(default_factory=list)
    status: str = ""
    color: str = ""
    memo: str = ""
    line: int = 0

    def walk(self, depth: int = 1):
        """Yield (sub-theme, depth) for every sub-theme below this theme, depth first."""
        for sub in self.subthemes:
            yield sub, depth
            yield from sub.walk(depth + 1)

    def resolve(self, key: str) -> tuple[str, "Theme"] | None:
        """A sub-theme of this theme by its key: a path below it (``sub/subsub``) or, where it is
        unambiguous, a bare id at any depth. Returns (path, node) or None."""
        if not key:
            return None
        node, path = self, []
        for part in key.split("/"):
            node = next((s for s in node.subthemes if s.id == part), None)
            if node is None:
                break
            path.append(part)
        if node is not None:
            return "/".join(path), node
        found = []

        def walk(n: "Theme", prefix: list[str]) -> None:
            for s in n.subthemes:
                if s.id == key:
                    found.append(("/".join(prefix + [s.id]), s))
                walk(s, prefix + [s.id])

        walk(self, [])
        return found[0] if len(found) == 1 else None

    @property
    def n_terms(self) -> int:
        return len(self.terms) + len(self.phrases) + len(self.all_of)

    def to_dict(self, *, inherit_origin: str | None = None) -> dict:
        out: dict = {"id": self.id, "label": self.label}
        if self.origin != inherit_origin:
            out["origin"] = self.origin
        for key in ("status", "description", "include", "exclude"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        for key in ("examples", "terms", "phrases", "all_of", "question_cues", "exclude_terms", "context"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        if self.weight != 1.0:
            out["weight"] = self.weight
        for key in ("color", "memo"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.subthemes:
            out["subthemes"] = [s.to_dict(inherit_origin=self.origin) for s in self.subthemes]
        return out


@dataclass
class Dimension:
    id: str
    label: str
    description: str = ""
    multi_label: bool = False
    themes: list[Theme] = field(default_factory=list)
    threshold: float | None = None
    top_k: int | None = None
    line: int = 0

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def all_ids(self) -> dict[str, tuple[Theme, Theme | None]]:
        """id → (node, its top-level theme) for themes and every sub-theme below them.

        Sub-theme ids are unique only among their siblings; where two share an id, the first (in codebook
        order) is the one named here. :meth:`paths` names every node.
        """
        out: dict[str, tuple[Theme, Theme | None]] = {}
        for t in self.themes:
            out[t.id] = (t, None)
        for t in self.themes:
            for sub, _ in t.walk():
                out.setdefault(sub.id, (sub, t))
        return out

    def paths(self) -> dict[str, Theme]:
        """``theme/sub/subsub`` → node for every theme and sub-theme (the path is the key), codebook order."""
        out: dict[str, Theme] = {}

        def add(node: Theme, prefix: str) -> None:
            key = f"{prefix}/{node.id}" if prefix else node.id
            out[key] = node
            for sub in node.subthemes:
                add(sub, key)

        for t in self.themes:
            add(t, "")
        return out

    @property
    def origin(self) -> str:
        origins = {t.origin for t in self.themes}
        return origins.pop() if len(origins) == 1 else "mixed"

    def to_dict(self) -> dict:
        out: dict = {"id": self.id, "label": self.label}
        if self.description:
            out["description"] = self.description
        out["multi_label"] = self.multi_label
        if self.threshold is not None:
            out["threshold"] = self.threshold
        if self.top_k is not None:
            out["top_k"] = self.top_k
        out["themes"] = [t.to_dict() for t in self.themes]
        return out


@dataclass
class Followup:
    """A follow-up question the interview guide asks in every section ("what were the challenges?"), as the
    interviewers may word it: ``cues`` are words or phrases of the question (grouping by follow-up,
    condense/guide_groups.py)."""

    id: str
    label: str
    cues: list[str] = field(default_factory=list)
    line: int = field(default=0, compare=False)

    def to_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "cues": list(self.cues)}


@dataclass
class Codebook:
    id: str
    label: str
    language: str = "da"
    version: str = "1"
    description: str = ""
    dimensions: list[Dimension] = field(default_factory=list)
    path: str = ""
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    meta: dict = field(default_factory=dict)
    followups: list[Followup] = field(default_factory=list)  # the guide's recurring follow-up questions

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def label_of(self, dimension: str, theme: str) -> str:
        try:
            return self.dimension(dimension).all_ids()[theme][0].label
        except KeyError:
            return theme

    def emergent_dimensions(self) -> list[str]:
        return [d.id for d in self.dimensions if d.themes and all(t.origin == "emergent" for t in d.themes)]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(dump_codebook(self).encode("utf-8")).hexdigest()

    def to_dict(self) -> dict:
        out: dict = {"codebook": self.id, "label": self.label, "language": self.language, "version": self.version}
        if self.description:
            out["description"] = self.description
        for key in ("author", "source", "notes"):
            if key in self.meta:
                out[key] = self.meta[key]
        if self.followups:
            out["followups"] = [f.to_dict() for f in self.followups]
        out["dimensions"] = [d.to_dict() for d in self.dimensions]
        return out

    def counts(self) -> dict[str, int]:
        themes = sum(len(d.themes) for d in self.dimensions)
        subs = sum(1 for d in self.dimensions for t in d.themes for _ in t.walk())
        return {"dimensions": len(self.dimensions), "themes": themes, "subthemes": subs}


def slugify(text: str) -> str:
    """An ASCII id from a label: æ→ae, ø→oe, å→aa, accents dropped, other characters → _."""
    text = str(text).strip().lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return text or "x"


# ---------------------------------------------------------------- YAML with line numbers
class _Located:
    """A parsed YAML value with the line it starts on, and a plain scalar's text as written where YAML read it
    as something else (``no`` as false, ``0x10`` as 16, ``1.50`` as 1.5)."""

    __slots__ = ("value", "line", "written")

    def __init__(self, value, line, written=None):
        self.value = value
        self.line = line
        self.written = written


def _text(loc: _Located) -> str:
    """A scalar where the codebook means text (an id, a label, a term), as its author wrote it: YAML 1.1 reads
    ``id: no`` (Norway, a theme "no") as false and ``id: 0x10`` as 16, so the theme was 'False' or '16', and
    ``yes`` and ``on`` were one theme 'True' defined twice."""
    return (loc.written if loc.written is not None else str(loc.value)).strip()


def _parse_yaml(text: str, path: str):
    try:
        from .limits import compose

        node = compose(text)  # depth, alias-expansion and recursion limits
    except yaml.YAMLError as exc:
        raise CondenseError("E201", path=path, detail=_yaml_problem(exc)) from exc
    if node is None:
        raise CondenseError("E210", path=path)
    try:
        return _resolve(node)  # a scalar its builder cannot build is a YAML error at its line (_resolve)
    except yaml.YAMLError as exc:  # a tag YAML cannot build (`!python/object`, `!a`) is found while building
        raise CondenseError("E201", path=path, detail=_yaml_problem(exc)) from exc


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """Where and what YAML found ("line 5: found character '\\t' …", a tab named with its mend:
    limits.yaml_problem, which every reader of YAML shares)."""
    from .limits import yaml_problem

    line, problem = yaml_problem(exc)
    return f"line {line + 1 if line is not None else '?'}: {problem}"


def _resolve(node, constructor=None):
    """Compose tree → _Located tree, with scalars typed as YAML would (int, float, bool, null, str). One
    constructor builds every scalar (a loader made per scalar cost 11 of the study codebook's 20 ms)."""
    constructor = constructor or yaml.constructor.SafeConstructor()
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return _Located([(_resolve(k, constructor), _resolve(v, constructor)) for k, v in node.value], line)
    if isinstance(node, yaml.SequenceNode):
        return _Located([_resolve(v, constructor) for v in node.value], line)
    try:
        value = constructor.construct_object(node, deep=True)
        return _Located(value, line, node.value if not node.style and not isinstance(value, str) else None)
    except (ValueError, IndexError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        from .limits import unbuildable

        raise unbuildable(exc, node.start_mark) from exc


def _got(value) -> str:
    """What a codebook entry holds instead, as its author would say it."""
    if value is None:
        return "nothing (an empty entry)"
    if isinstance(value, list):
        return "key: value lines" if value and isinstance(value[0], tuple) else "a list"
    return "a yes/no value" if isinstance(value, bool) else f"'{value}'"


def _plain(loc: _Located):
    """A located YAML value back to plain Python (lists, dicts, scalars)."""
    value = loc.value
    if isinstance(value, list):
        if value and isinstance(value[0], tuple):
            return {str(k.value): _plain(v) for k, v in value}
        return [_plain(v) for v in value]
    return value


class _Validator:
    def __init__(self, path: str):
        self.path = path
        self.errors: list[CondenseError] = []
        self.diagnostics = Diagnostics()

    def error(self, code: str, **kw):
        self.errors.append(CondenseError(code, path=self.path, **kw))

    def mapping(self, loc: _Located, allowed: set[str], where: str) -> dict[str, _Located]:
        if not isinstance(loc.value, list) or (loc.value and not isinstance(loc.value[0], tuple)):
            self.error("E205", key="the entry", where=where, line=loc.line, expected="a mapping (key: value lines)",
                       got=_got(loc.value))
            return {}
        out: dict[str, _Located] = {}
        lines: dict[str, int] = {}
        for k, v in loc.value:
            key = _text(k)
            if key not in allowed:
                self.error("E202", key=key, where=where, line=k.line, hint=did_you_mean(key, allowed),
                           allowed=", ".join(sorted(allowed)))
                continue
            if key in lines:  # YAML keeps the last one and drops the first's terms without a word
                self.error("E211", key=key, where=where, first=lines[key], second=k.line)
                continue
            lines[key] = k.line
            out[key] = v
        return out

    def text(self, m: dict, key: str, where: str, default: str = "") -> str:
        loc = m.get(key)
        if loc is None or loc.value is None:
            return default
        if isinstance(loc.value, (list, dict)):
            self.error("E205", key=key, where=where, line=loc.line, expected="text", got="a list or mapping")
            return default
        return _text(loc)

    def strings(self, m: dict, key: str, where: str) -> list[str]:
        loc = m.get(key)
        if loc is None or loc.value is None:
            return []
        if isinstance(loc.value, str):
            return [loc.value]
        if not isinstance(loc.value, list) or (loc.value and isinstance(loc.value[0], tuple)):
            self.error("E205", key=key, where=where, line=loc.line, expected="a list of words or phrases",
                       got="a mapping")
            return []
        out = []
        for item in loc.value:
            if isinstance(item.value, (list, tuple)) or item.value is None:
                self.error("E205", key=key, where=where, line=item.line, expected="a list of words or phrases",
                           got="a nested list" if item.value is not None else "an empty item")
                continue
            out.append(_text(item))
        return [x for x in out if x]

    def number(self, m: dict, key: str, where: str, default, kind: str = "number0"):
        """A number of ``kind`` (project.py's kinds: "number0" a finite number of at least 0, "int" a whole number
        of at least 1). `top_k: 2.5`, `top_k: 0` or `-1` were tracebacks in the coder, a negative `weight` or `.nan`
        `threshold` coded against the words, silently; `1e-1` (no dot) is a number, as in the project file."""
        from .project import EXPECTED, as_number, is_kind

        loc = m.get(key)
        if loc is None or loc.value is None:
            return default
        value = as_number(loc.value, kind)
        if not is_kind(kind, value):
            self.error("E205", key=key, where=where, line=loc.line, expected=EXPECTED[kind], got=repr(loc.value))
            return default
        return value

    def boolean(self, m: dict, key: str, where: str, default: bool) -> bool:
        loc = m.get(key)
        if loc is None or loc.value is None:
            return default
        if not isinstance(loc.value, bool):
            self.error("E205", key=key, where=where, line=loc.line, expected="true or false", got=repr(loc.value))
            return default
        return loc.value

    def ident(self, m: dict, where: str, line: int) -> str:
        loc = m.get("id")
        if loc is None or loc.value in (None, ""):
            self.error("E203", key="id", where=where, line=line)
            return ""
        value = _text(loc)
        if not ID_RE.match(value):
            self.error("E207", id=value, where=where, line=loc.line, suggestion=slugify(value))
        return value

    def once(self, kind: str, ident: str, where: str, seen: dict[str, int], line: int, scope: str) -> None:
        """E204 for an id given before in ``seen`` (id → line), or one that differs from it in capitals alone
        ('plan' and 'Plan'): a spreadsheet's lookups and pivot tables of themes.csv or codings.csv take the two for
        one, and two such dimensions' review columns (fase_tilføj, FASE_tilføj) met as one, every sheet E403."""
        twin = ident if ident in seen else next((k for k in seen if k.casefold() == ident.casefold()), None)
        if twin is None:
            seen[ident] = line
            return
        if twin != ident:
            scope += f", capitals aside: '{twin}' and '{ident}' are one id to a spreadsheet and to a review sheet"
        self.error("E204", kind=kind, id=ident, where=where, first=seen[twin], second=line, scope=scope)

    def theme(self, loc: _Located, where: str, seen: dict[str, int], inherit_origin: str) -> Theme | None:
        m = self.mapping(loc, THEME_KEYS, where)
        if not m and not isinstance(loc.value, list):
            return None
        tid = self.ident(m, where, loc.line)
        # "theme 2 of dimension 'fase'" named by its id: "theme 'a' of dimension 'fase'" (was "theme 'a' of theme 2 of …")
        here = re.sub(r"^((?:sub-)?theme) \d+", lambda found: f"{found[1]} '{tid}'", where) if tid else where
        if tid:
            self.once("Theme", tid, where.split(" of ", 1)[-1], seen, loc.line,
                      "parent (a sub-theme's id is unique among its siblings; the path is the key)")
        origin = self.text(m, "origin", here, inherit_origin)
        if origin not in ORIGINS:
            self.error("E208", value=origin, key="origin", where=here, line=m["origin"].line, allowed=", ".join(ORIGINS))
            origin = inherit_origin
        status = self.text(m, "status", here, "")
        if status not in STATUSES:
            self.error("E208", value=status, key="status", where=here, line=m["status"].line, allowed="candidate, accepted")
        theme = Theme(
            id=tid,
            label=self.text(m, "label", here, tid) or tid,
            origin=origin,
            description=self.text(m, "description", here),
            include=self.text(m, "include", here),
            exclude=self.text(m, "exclude", here),
            examples=self.strings(m, "examples", here),
            terms=self.strings(m, "terms", here),
            phrases=self.strings(m, "phrases", here),
            question_cues=self.strings(m, "question_cues", here),
            exclude_terms=self.strings(m, "exclude_terms", here),
            context=self.strings(m, "context", here),
            all_of=self.strings(m, "all_of", here),
            weight=float(self.number(m, "weight", here, 1.0)),
            status=status,
            color=self.text(m, "color", here),
            memo=self.text(m, "memo", here),
            line=loc.line,
        )
        subs = m.get("subthemes")
        if subs is not None and subs.value is not None:
            if not isinstance(subs.value, list) or (subs.value and isinstance(subs.value[0], tuple)):
                self.error("E205", key="subthemes", where=here, line=subs.line, expected="a list of sub-themes", got=_got(subs.value))
            else:
                siblings: dict[str, int] = {}
                for i, s in enumerate(subs.value, start=1):
                    sub = self.theme(s, f"sub-theme {i} of {here}", siblings, origin)
                    if sub is not None:
                        theme.subthemes.append(sub)
        return theme


def parse_codebook(text: str, path: str = "(codebook)") -> Codebook:
    """Parse and validate codebook YAML; raise :class:`CondenseErrors` listing every problem."""
    root = _parse_yaml(text, path)
    v = _Validator(path)
    m = v.mapping(root, CODEBOOK_KEYS, "the codebook")
    language = v.text(m, "language", "the codebook", "da")
    if language not in LANGUAGES:
        v.error("E206", language=language, line=m["language"].line)
    cb = Codebook(
        id=v.text(m, "codebook", "the codebook", Path(path).stem),
        label=v.text(m, "label", "the codebook", ""),
        language=language,
        version=v.text(m, "version", "the codebook", "1"),
        description=v.text(m, "description", "the codebook"),
        path=path,
        meta={k: _plain(m[k]) for k in ("author", "source", "notes") if k in m},
    )
    dims = m.get("dimensions")
    if dims is None or not dims.value:
        v.error("E210")
    elif not isinstance(dims.value, list) or isinstance(dims.value[0], tuple):
        v.error("E205", key="dimensions", where="the codebook", line=dims.line, expected="a list of dimensions", got=_got(dims.value))
    else:
        dim_seen: dict[str, int] = {}
        for i, d in enumerate(dims.value, start=1):
            cb.dimensions.append(_dimension(v, d, i, dim_seen))
    cb.followups = _followups(v, m.get("followups"))
    if v.errors:
        raise CondenseErrors(v.errors)
    _warn_without_words(cb, v.diagnostics, path)
    _warn_same_labels(cb, v.diagnostics, path)
    cb.diagnostics = v.diagnostics
    return cb


def _dimension(v: _Validator, d: _Located, i: int, dim_seen: dict[str, int]) -> Dimension:
    """The ``i``-th dimension entry, its themes validated (errors collected in ``v``)."""
    dm = v.mapping(d, DIMENSION_KEYS, f"dimension {i}")
    did = v.ident(dm, f"dimension {i}", d.line)
    where = f"dimension '{did}'" if did else f"dimension {i}"
    if did:
        v.once("Dimension", did, "the codebook", dim_seen, d.line, "codebook")
    origin = v.text(dm, "origin", where, "predefined")
    dim = Dimension(
        id=did,
        label=v.text(dm, "label", where, did) or did,
        description=v.text(dm, "description", where),
        multi_label=v.boolean(dm, "multi_label", where, False),
        threshold=v.number(dm, "threshold", where, None),
        top_k=v.number(dm, "top_k", where, None, "int"),
        line=d.line,
    )
    themes = dm.get("themes")
    seen: dict[str, int] = {}
    if themes is not None and themes.value:
        if not isinstance(themes.value, list) or isinstance(themes.value[0], tuple):
            v.error("E205", key="themes", where=where, line=themes.line, expected="a list of themes", got=_got(themes.value))
        else:
            for j, t in enumerate(themes.value, start=1):
                theme = v.theme(t, f"theme {j} of {where}", seen, origin)
                if theme is not None:
                    dim.themes.append(theme)
    return dim


def _followups(v: _Validator, loc: _Located | None) -> list[Followup]:
    """The guide's follow-up questions (``followups:``), each with an id, a label and its cue words."""
    if loc is None or not loc.value:
        return []
    if not isinstance(loc.value, list) or isinstance(loc.value[0], tuple):
        v.error("E205", key="followups", where="the codebook", line=loc.line, expected="a list of follow-ups",
                got="a mapping" if isinstance(loc.value, list) else repr(loc.value))
        return []
    out: list[Followup] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(loc.value, start=1):
        where = f"follow-up {i}"
        fm = v.mapping(item, FOLLOWUP_KEYS, where)
        fid = v.ident(fm, where, item.line)
        if fid in seen:
            v.error("E204", kind="Follow-up", id=fid, where="followups", first=seen[fid], second=item.line,
                    scope="list of follow-ups")
        seen.setdefault(fid, item.line)
        cues = v.strings(fm, "cues", f"follow-up '{fid}'")
        if not cues and fid:
            v.error("E203", key="cues", where=f"follow-up '{fid}'", line=item.line)
        out.append(Followup(fid, v.text(fm, "label", where, fid) or fid, cues, item.line))
    return out


def _warn_same_labels(cb: Codebook, diagnostics: Diagnostics, path: str) -> None:
    """W206 for two themes (or two sub-themes of one theme) of a dimension whose labels are one when capitals,
    spaces and the way a letter is written (é as one character or two) are set aside: the tables and the report
    showed two rows of one name, and a review sheet's decision written as that label was "unknown theme" (E501),
    as it names two."""
    for dim in cb.dimensions:
        groups = [dim.themes] + [node.subthemes for top in dim.themes for node in [top] + [s for s, _ in top.walk()]]
        for siblings in groups:
            seen: dict[str, Theme] = {}
            for node in siblings:
                key = " ".join(unicodedata.normalize("NFC", node.label).split()).casefold()
                first = seen.setdefault(key, node)
                if first is not node:
                    diagnostics.warn("W206", first=first.id, second=node.id, where=f"dimension '{dim.id}'",
                                     label=node.label, path=path, line_first=first.line, line=node.line)


BARE_ONE_BY_ONE = 5  # themes without words named one warning each; more make one warning for the dimension


def _warn_without_words(cb: Codebook, diagnostics: Diagnostics, path: str) -> None:
    """W201 for a theme or sub-theme with no terms, phrases, all_of or sub-themes (it can be coded by hand only);
    W202 for a term that cannot match as meant; W205 for one made of function words only."""
    everyday = _function_words(cb.language)
    for dim in cb.dimensions:
        bare = []
        for theme in dim.themes:
            for node in [theme] + [s for s, _ in theme.walk()]:
                if not node.terms and not node.phrases and not node.all_of and not node.subthemes:
                    bare.append(node)
                for key in ("terms", "phrases", "exclude_terms", "all_of", "context", "question_cues"):
                    for term in getattr(node, key):
                        problem = _pattern_problem(term, key)
                        if problem:
                            diagnostics.warn("W202", term=term, key=key, id=node.id, where=f"dimension '{dim.id}'",
                                             path=path, line=node.line, problem=problem)
                        elif key == "terms" and _one_function_word(term, everyday):
                            diagnostics.warn("W205", term=term, key=key, id=node.id, where=f"dimension '{dim.id}'",
                                             path=path, line=node.line)
        if len(bare) > BARE_ONE_BY_ONE:  # a codebook from another program has no words at all: one line, not 200
            diagnostics.warn("W203", n=len(bare), where=f"dimension '{dim.id}'", path=path,
                             first=first_few([f"'{n.id}' (line {n.line})" for n in bare], 3))
            continue
        for node in bare:
            diagnostics.warn("W201", id=node.id, where=f"dimension '{dim.id}'", path=path, line=node.line)


def _function_words(language: str) -> frozenset:
    """The words the coder reads as no content of a term (tokenizer's stop words, spaCy's list): a term that is
    one of them ("og", "det") is matched as it is, in nearly every unit. A phrase of them ("hvor mange der kom",
    "where they are") is matched in its order and is specific: not warned."""
    from .tokenizer import tokenizer_for

    return tokenizer_for("da" if language == "da" else "en").stop_words


def _one_function_word(term: str, everyday: frozenset) -> bool:
    words = re.findall(r"\w+", term.lower())
    return len(words) == 1 and words[0] in everyday


def _pattern_problem(term: str, key: str) -> str:
    """Why a codebook word cannot match as its author meant ("" when it can): a search wildcard as NVivo or
    ATLAS.ti read it ("sund*"), which condense's lemma matching reads as nothing, or no word at all."""
    if not any(c.isalnum() for c in term):
        return "it holds no word, so it never matches"
    if "*" in term or (key in ("terms", "exclude_terms") and term.rstrip().endswith("?")):
        return ("condense matches words by their lemma, not by patterns: the wildcard is read as nothing, so it "
                "matches the word as written (and compounds ending in it) only")
    return ""


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file (YAML)."""
    from .io import decode

    from .limits import check_regular

    p = Path(path)
    if p.is_dir():
        raise CondenseError("E201", path=display_path(p), detail="it is a folder; give the codebook's .yaml file")
    if p.suffix.lower() in (".qdc", ".qdpx"):  # what NVivo, ATLAS.ti, MAXQDA and QualCoder export
        import shlex

        kind = "codebook (.qdc)" if p.suffix.lower() == ".qdc" else "project (.qdpx)"
        raise CondenseError("E212", path=display_path(p), kind=kind, quoted=shlex.quote(str(p)))
    check_regular(p)  # a FIFO would hang (E716)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise CondenseError("E201", path=display_path(p), detail="file not found") from exc
    except OSError as exc:  # permission denied, a failing disk: E727 with the fix for it (E201's is for YAML)
        raise (file_error(exc) or CondenseError("E201", path=display_path(p), detail=exc.strerror or str(exc))) from exc
    _not_yaml(data, p)
    read = Diagnostics()
    text, _ = decode(data, p, read, allow_empty=True)
    try:
        codebook = parse_codebook(_visible(text, p, read), display_path(p))
    except (CondenseError, CondenseErrors):
        _what_it_is(text, p)  # a transcript, a table or a project file given as the codebook: said so (E214)
        raise
    codebook.diagnostics.extend(read)
    return codebook


_TEXT_NOT_CODEBOOK = {".txt": "a transcript", ".md": "a transcript", ".vtt": "a transcript (subtitles)",
                      ".srt": "a transcript (subtitles)", ".rtf": "a transcript", ".csv": "a table", ".tsv": "a table"}


def _what_it_is(text: str, p: Path) -> None:
    """E214 for a file that is no codebook and failed as one: a transcript or a table (`--codebook
    interview.txt` was E201 "line 7: but found another document", told to check the YAML; a cases.csv was E205
    quoting the table whole), or a project file (condense.yaml was an E202 for each of its keys)."""
    from .io import yaml_kind
    from .limits import safe_load

    try:
        data = safe_load(text)
    except Exception:  # noqa: BLE001 - a transcript's front matter and its text are two YAML documents
        data = None
    kind = yaml_kind(data)
    if kind == "codebook":  # a codebook with errors (saved as .txt): they stand
        return
    what = _TEXT_NOT_CODEBOOK.get(p.suffix.lower())
    fix = ("Give the codebook's .yaml file (the one `codebook:` names in condense.yaml; `condense init` writes a "
           "blank one); transcripts go in the transcripts folder, tables where the project file names them.")
    if what is None:
        if kind != "project":
            return
        what = "a project file"
        named = data.get("codebook")
        fix = ((f"Give the codebook it names (`codebook: {named}`), " if isinstance(named, str) and named else "Give the "
                "codebook's .yaml file, ") + f"or run the project itself: `condense run {display_path(p)}`.")
    raise CondenseError("E214", path=display_path(p), what=what, fix=fix)


def _visible(text: str, p: Path, diagnostics: Diagnostics) -> str:
    """The codebook's text as a transcript's is read: invisible formatting characters removed (W111, with the
    line of the first), odd spaces made plain. A term or phrase copied from a web page or Word with a zero-width
    space in it ("budget\u200b") never matched the word it shows, and `codebook check` said nothing."""
    from .ingest.sources import has_odd, normalise, warn_invisible

    if not has_odd(text):
        return text
    warn_invisible(text, p, diagnostics)
    return normalise(text)


def _not_yaml(data: bytes, p: Path) -> None:
    """E212/E213 for a codebook another program wrote, whatever its name: a workbook or document (NVivo's and
    MAXQDA's codebook exports, a list of codes) was E104 "not a transcript" with a fix for transcripts, and a .qdc
    saved under a .yaml name was E205 quoting its XML whole."""
    import shlex

    from .limits import office_kind

    kind = office_kind(data)
    if kind and kind[1] == ".qdpx":
        raise CondenseError("E212", path=display_path(p), kind="project (.qdpx)", quoted=shlex.quote(str(p)))
    if kind:
        raise CondenseError("E213", path=display_path(p), what=kind[0], ending=kind[1])
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and re.search(rb"<(?:\w+:)?CodeBook\b", data[:65536]):
        raise CondenseError("E212", path=display_path(p), kind="codebook (.qdc)", quoted=shlex.quote(str(p)))


def dump_codebook(codebook: Codebook) -> str:
    """YAML with readable Unicode (Idéudvikling stays Idéudvikling), keys in a fixed order.

    Written by libyaml where PyYAML has it (six times faster: candidates.yaml holds thousands of example
    sentences at a million words); the same YAML either way, though libyaml folds a long double-quoted
    string (one holding a tab) without the backslashes of the pure-Python writer."""
    return _dump(codebook.to_dict())


def _dump(data) -> str:
    """``data`` as :func:`dump_codebook` writes YAML. libyaml escapes every letter beyond U+FFFF, whatever
    ``allow_unicode`` says: a code imported from a .qdpx as "Glad 😀" was written ``"Glad \\U0001F600"``, a label
    nobody can read in the file (and no `\\U` escape is written otherwise but for a backslash typed so). Such a
    text is written by the pure-Python writer, which writes the letters as they are."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
    if dumper is not yaml.SafeDumper and "\\U" in text:
        text = yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
    return text


def save_codebook(codebook: Codebook, path: str | Path) -> Path:
    from .io import write_yaml

    return write_yaml(dump_codebook(codebook), path)


def merged_text(text: str, base: Codebook, merged: Codebook) -> str | None:
    """The base codebook's own text with the merged themes added at the end of their dimensions' `themes:` (and
    new dimensions at the end of `dimensions:`), so the researcher's comments, order and layout stay as written:
    a merged codebook dumped anew had lost every comment (69 in the shipped Danish one). None when the file's
    shape does not allow it (a flow list, themes: [], …); the caller then writes the plain dump."""
    from .limits import compose

    try:
        root = compose(text)
    except yaml.YAMLError:
        return None
    dims = _value_node(root, "dimensions")
    if not isinstance(dims, yaml.SequenceNode) or dims.flow_style or not dims.value:
        return None
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    inserts: list[tuple[int, str]] = []  # (line index to insert before, text)
    by_id = {}
    for node in dims.value:
        ident = _value_node(node, "id")
        by_id[getattr(ident, "value", None)] = node
    old = {d.id: d for d in base.dimensions}
    for dim in merged.dimensions:
        if dim.id not in old:
            inserts.append((_block_end(dims), _block_items([dim.to_dict()], dims.start_mark.column)))
            continue
        added = dim.themes[len(old[dim.id].themes):]
        if not added:
            continue
        themes = _value_node(by_id.get(dim.id), "themes")
        if not isinstance(themes, yaml.SequenceNode) or themes.flow_style or not themes.value:
            return None
        inserts.append((_block_end(themes), _block_items([t.to_dict() for t in added], themes.start_mark.column)))
    for at, block in sorted(inserts, key=lambda x: -x[0]):
        lines.insert(at, block)
    out = "".join(lines)
    try:  # the text must read as the merged codebook, or it is not used
        same = dump_codebook(parse_codebook(out, "(merged)")) == dump_codebook(merged)
    except CondenseError:
        same = False
    return out if same else None


def _value_node(mapping, key: str):
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next((v for k, v in mapping.value if getattr(k, "value", None) == key), None)


def _block_end(seq) -> int:
    """The line a block sequence's next item would start on: after its last item's last line of content (a
    block collection's own end mark is the next token's start, past blank lines and comments)."""
    def last_line(node) -> int:
        if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
            end = node.end_mark
            return end.line if end.column > 0 else end.line - 1
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
        return max([last_line(c) for c in children] + [node.start_mark.line])

    return last_line(seq.value[-1]) + 1


def _block_items(items: list, column: int) -> str:
    text = _dump(items)
    pad = " " * column
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def merge_codebooks(base: Codebook, candidates: Codebook) -> tuple[Codebook, list[str]]:
    """Fold candidate themes into a codebook. Conflicting ids are reported, never overwritten.

    Candidates go into the dimension of the same id, capitals aside (created when missing); an id that differs
    from one there only in capitals is a conflict, as :func:`load_codebook` would refuse the two (E204). Returns
    the merged codebook and the list of conflicts; the caller decides whether to write when there are conflicts.
    """
    import copy

    merged = copy.deepcopy(base)
    conflicts: list[str] = []
    for cdim in candidates.dimensions:
        # ids that differ only in capitals are one (E204): 'Tema' folds into 'tema', a theme 'Plan' clashes with 'plan'
        dim = next((d for d in merged.dimensions if d.id.casefold() == cdim.id.casefold()), None)
        if dim is None:
            dim = Dimension(id=cdim.id, label=cdim.label, description=cdim.description, multi_label=cdim.multi_label)
            merged.dimensions.append(dim)
        existing = {i.casefold() for i in dim.all_ids()}
        for theme in cdim.themes:
            clash = [t.id for t in [theme] + [s for s, _ in theme.walk()] if t.id.casefold() in existing]
            if clash:
                for cid in clash:
                    conflicts.append(f"{cdim.id}/{cid}")
                continue
            dim.themes.append(copy.deepcopy(theme))
    return merged, conflicts
