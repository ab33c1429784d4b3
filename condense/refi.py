"""REFI-QDA codebook exchange: export a codebook as ``.qdc``, import codes from ``.qdc`` or ``.qdpx``.

REFI-QDA (https://www.qdasoftware.org/, specification 1.5) is the exchange standard of NVivo, ATLAS.ti,
MAXQDA, QualCoder and others. A ``.qdc`` file is one XML document with a ``<CodeBook>`` root
(namespace ``urn:QDA-XML:codebook:1.0``); a ``.qdpx`` file is a zip archive holding a ``project.qde``
(a ``<Project>``, namespace ``urn:QDA-XML:project:1.0``, whose ``<CodeBook>`` lists the codes) and a
``sources/`` folder, which is ignored here.

Mapping
    export: each dimension is a non-codable top-level code (``isCodable="false"``), its themes and
    sub-themes (any depth) are codable codes nested below it. A code's name is the label; its
    ``<Description>`` is the description followed by a ``[condense]`` block of compact YAML that holds
    what REFI-QDA has no field for (id, origin, include/exclude, examples, terms, …). The first
    dimension's block also carries the codebook's own metadata (id, label, language, version, …). GUIDs
    are uuid5 of the codebook id, dimension id and theme-id path, so exporting the same codebook twice
    gives identical bytes.

    import: when every top-level code is non-codable, each becomes a dimension; otherwise all top-level
    codes become themes of one dimension ``codes`` ("Codes"). Deeper codes become sub-themes, at any
    depth. In a flat code list, ATLAS.ti's ``Parent::child`` names are split into a hierarchy. Ids are
    ``slugify(name)``, made unique within the dimension with ``_2``, ``_3``… in document order; labels
    and descriptions are kept as written. A ``[condense]`` block restores the fields it holds, so a
    codebook exported by :func:`export_qdc` imports back unchanged. What a codebook cannot hold (users,
    sources, codings, sets, notes, …) is listed, as sentences, in the second return value.

>>> from condense.codebook import load_codebook                       # doctest: +SKIP
>>> export_qdc(load_codebook("codebooks/beboerinddragelse.da.yaml"), "kodebog.qdc")  # doctest: +SKIP
>>> cb, not_imported = import_refi("project.qdpx")                    # doctest: +SKIP
"""
from __future__ import annotations

import io
import re
import unicodedata
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml
from lxml import etree

from .codebook import ID_RE, LANGUAGES, ORIGINS, STATUSES, Codebook, Dimension, Theme, slugify
from .errors import CondenseError, display_path, first_few

__all__ = [
    "CODEBOOK_NS", "PROJECT_NS", "MARKER", "GUID_NAMESPACE", "RGB_RE", "codes_element", "codebook_to_xml",
    "export_qdc", "import_refi", "import_refi_tree"
]

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
MARKER = "[condense]"
#: Namespace of the uuid5 GUIDs written by :func:`codebook_to_xml` (a fixed value: never change it).
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:condense:refi-qda:codebook")
RGB_RE = re.compile(r"^#(?:[A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
# characters XML 1.0 cannot carry
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MARKER_LINE = re.compile(r"^\[condense\][ \t]*\r?$", re.MULTILINE)

_LIST_FIELDS = ("examples", "terms", "phrases", "all_of", "question_cues", "exclude_terms", "context")
_THEME_TEXT_FIELDS = ("origin", "status", "include", "exclude", "memo", "color")
_THEME_BLOCK_KEYS = {"id", "weight", *_LIST_FIELDS, *_THEME_TEXT_FIELDS}
_DIMENSION_BLOCK_KEYS = {"id", "multi_label", "threshold", "top_k", "codebook"}
_CODEBOOK_BLOCK_KEYS = {"id", "label", "language", "version", "description", "author", "source", "notes", "followups"}


# ================================================================================================ export
class _Flow(list):
    """A list written in YAML flow style (``[a, b, c]``): short words stay on one readable line."""


class _BlockDumper(yaml.SafeDumper):
    """SafeDumper that writes :class:`_Flow` lists inline and everything else in block style."""


_BlockDumper.add_representer(
    _Flow, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)
)


def xml_text(text: str) -> str:
    """Drop the few characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return _XML_INVALID.sub("", str(text))


def _block(fields: dict) -> str:
    """Fields as compact YAML: one line per field, term lists inline, examples one per line."""
    return yaml.dump(fields, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=4096).rstrip("\n")


def _with_block(text: str, fields: dict) -> str:
    """A description followed by its ``[condense]`` block (an empty description gives the block alone)."""
    block = f"{MARKER}\n{_block(fields)}"
    return f"{text}\n\n{block}" if text else block


def _theme_fields(theme: Theme) -> dict:
    """What the ``[condense]`` block of a theme holds: its id and every non-default field REFI-QDA lacks."""
    out: dict = {"id": theme.id, "origin": theme.origin}
    if theme.status:
        out["status"] = theme.status
    for key in ("include", "exclude"):
        if getattr(theme, key):
            out[key] = getattr(theme, key)
    if theme.examples:
        out["examples"] = list(theme.examples)
    for key in ("terms", "phrases", "all_of", "question_cues", "exclude_terms", "context"):
        if getattr(theme, key):
            out[key] = _Flow(getattr(theme, key))
    if theme.weight != 1.0:
        out["weight"] = theme.weight
    if theme.color and not RGB_RE.match(theme.color):
        out["color"] = theme.color          # a colour REFI-QDA's #RRGGBB cannot hold
    if theme.memo:
        out["memo"] = theme.memo
    return out


def _dimension_fields(dim: Dimension, codebook: Codebook | None) -> dict:
    """The block of a dimension; the first dimension also carries the codebook's metadata."""
    out: dict = {"id": dim.id, "multi_label": dim.multi_label}
    if dim.threshold is not None:
        out["threshold"] = dim.threshold
    if dim.top_k is not None:
        out["top_k"] = dim.top_k
    if codebook is not None:
        meta: dict = {"id": codebook.id, "label": codebook.label, "language": codebook.language,
                      "version": codebook.version}
        if codebook.description:
            meta["description"] = codebook.description
        for key in ("author", "source", "notes"):
            if key in codebook.meta:
                meta[key] = codebook.meta[key]
        if codebook.followups:  # the guide's follow-ups: no code, so REFI-QDA has no place for them but the block
            meta["followups"] = [f.to_dict() for f in codebook.followups]
        out["codebook"] = meta
    return out


def code_guid(*path: str) -> str:
    """A GUID derived from an id path (codebook, dimension, theme, sub-theme…): stable across exports."""
    return str(uuid.uuid5(GUID_NAMESPACE, "/".join(path)))


def _code_element(parent, tag_ns: str, guid: str, name: str, codable: bool, color: str, description: str):
    code = etree.SubElement(parent, f"{{{tag_ns}}}Code")
    code.set("guid", guid)
    code.set("name", xml_text(name))
    code.set("isCodable", "true" if codable else "false")
    if color and RGB_RE.match(color):
        code.set("color", color)
    etree.SubElement(code, f"{{{tag_ns}}}Description").text = xml_text(description)
    return code


def _add_theme(parent, theme: Theme, path: tuple[str, ...], ns: str = CODEBOOK_NS) -> None:
    here = path + (theme.id,)
    code = _code_element(parent, ns, code_guid(*here), theme.label, True, theme.color,
                         _with_block(theme.description, _theme_fields(theme)))
    for sub in theme.subthemes:
        _add_theme(code, sub, here, ns)


def codes_element(codebook: Codebook, ns: str = CODEBOOK_NS):
    """The ``<Codes>`` element of a codebook in namespace ``ns`` (a .qdc's or a project's). A code's guid is
    :func:`code_guid` of (codebook id, dimension id, theme id, sub-theme ids…)."""
    codes = etree.Element(f"{{{ns}}}Codes")
    for i, dim in enumerate(codebook.dimensions):
        fields = _dimension_fields(dim, codebook if i == 0 else None)
        code = _code_element(codes, ns, code_guid(codebook.id, dim.id), dim.label, False, "",
                             _with_block(dim.description, fields))
        for theme in dim.themes:
            _add_theme(code, theme, (codebook.id, dim.id), ns)
    return codes


def codebook_to_xml(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document (UTF-8, pretty-printed, valid against Codebook.xsd).

    Dimensions become non-codable top-level codes; themes and sub-themes codable codes below them.
    The output depends only on the codebook (and the condense version in ``origin``).
    """
    from ._version import __version__

    if not codebook.dimensions:
        raise CondenseError("E210", path=codebook.path or codebook.id)
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", f"condense {__version__}")
    root.append(codes_element(codebook))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def export_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write the codebook to ``path`` as a REFI-QDA ``.qdc`` file and return the path."""
    from .io import write_file

    return write_file(Path(path), codebook_to_xml(codebook))


# ================================================================================================ import
@dataclass
class _Node:
    """One code as read from the file, before it becomes a dimension or a theme."""

    name: str
    guid: str = ""
    codable: bool = True
    color: str = ""
    text: str = ""                       # the description without a [condense] block
    fields: dict = field(default_factory=dict)   # the [condense] block, when there is one
    memos: list[str] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    placeholder: bool = False            # a parent made up for a "Parent::child" name
    id: str = ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _local(el) -> str:
    """The local name of an element (namespace dropped); '' for comments and processing instructions."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str) -> list:
    return [c for c in el if _local(c) == name]


def _text_of(el) -> str:
    return "".join(el.itertext()) if el is not None else ""


def read_container(p: Path, shown: str) -> tuple[bytes, str]:
    """The XML bytes of a .qdc/.qde file, or of the project inside a .qdpx archive, and its name."""
    return container_xml(read_file(p, shown), p, shown)


def read_file(p: Path, shown: str) -> bytes:
    """The bytes of a REFI-QDA file, read through :mod:`condense.io` (E601 when it cannot be read)."""
    from .io import read_bytes

    try:
        return read_bytes(p)  # a FIFO would hang (E716)
    except CondenseError as exc:
        if exc.code == "E101":
            raise CondenseError("E601", path=shown, detail="file not found") from exc
        if exc.code == "E503":
            raise CondenseError("E601", path=shown, detail=exc.kwargs.get("detail", "")) from exc
        raise


def container_xml(data: bytes, p: Path, shown: str) -> tuple[bytes, str]:
    """The XML of a file's bytes: the bytes themselves (a .qdc/.qde), or the project inside a .qdpx archive."""
    from .limits import check_zip

    if not data.startswith(b"PK"):
        looks_xml = data.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<")
        if p.suffix.lower() == ".qdpx" and not looks_xml:
            raise CondenseError("E601", path=shown, detail="not a .qdpx archive (not a zip file)")
        if not looks_xml:
            _not_refi_text(p, shown)
        return data, ""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf, p)  # no part may inflate past CONDENSE_MAX_INFLATED_BYTES (E712)
            _no_unsafe_member(zf, shown)
            names = [n for n in zf.namelist() if not n.endswith("/")]
            inner = project_entry(names)
            if inner is None:
                raise CondenseError("E601", path=shown, detail="the archive holds no project.qde")
            return zf.read(inner), inner
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise CondenseError("E601", path=shown, detail=f"not a readable zip archive ({exc})") from exc


def _not_refi_text(p: Path, shown: str) -> None:
    """E601 naming a transcript or a table given where a REFI-QDA file is read (`condense import qdpx
    interview.txt` was "not well-formed XML (Start tag expected, '<' not found, line 1, column 1)")."""
    from .io import read_table, what_else

    try:
        other = what_else(p, read_table(p)[0]) if p.suffix.lower() not in (".yaml", ".yml") else None
    except CondenseError:
        return
    what = other.what if other is not None else "a table" if p.suffix.lower() in (".csv", ".tsv") else None
    if what is not None:
        raise CondenseError("E601", path=shown, detail=f"this is {what}, not a REFI-QDA project or codebook "
                            "(give the .qdpx or .qdc file your QDA program exported)")


def _no_unsafe_member(zf: zipfile.ZipFile, shown: str) -> None:
    """E601 for a member whose path is absolute or climbs out of the archive (``/etc/passwd``, ``../x``,
    ``C:\\x``) or that is a symbolic link. No QDA program writes one; condense extracts nothing, but a source
    whose ``plainTextPath`` named such a member would have been read as an interview (a link's "text" is the
    path it points to), and a tool that unpacks the file afterwards would write outside its folder."""
    for info in zf.infolist():
        name = info.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
            raise CondenseError("E601", path=shown, detail=f"the archive holds '{_short(info.filename)}', a path "
                                "outside the archive's own folder (no QDA program writes one)")
        if info.create_system == 3 and (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise CondenseError("E601", path=shown, detail=f"the archive holds '{_short(info.filename)}', a symbolic "
                                "link (no QDA program writes one; its 'text' would be the path it points to)")


def project_entry(names: list[str]) -> str | None:
    """The project file in a .qdpx: ``project.qde`` (any case) first, then any ``*.qde``; never one in sources/."""
    candidates = []
    for name in names:
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if not parts or not parts[-1].lower().endswith(".qde") or any(d.lower() == "sources" for d in parts[:-1]):
            continue
        rank = (parts[-1].lower() != "project.qde", len(parts), name)
        candidates.append((rank, name))
    return min(candidates)[1] if candidates else None


def parse_xml(data: bytes, shown: str, inner: str):
    """The root of a REFI-QDA file's XML (E601 when it cannot be read). XML in UTF-16 without a byte-order mark
    (whose declaration says UTF-16, or none) is read as UTF-16: libxml2 took its NUL bytes for characters."""
    from .limits import utf16_bom

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True,
                             remove_pis=True, load_dtd=False)
    bom = utf16_bom(data) if b"\x00" in data[:4] else None
    try:
        root = etree.fromstring(bom + data if bom else data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        what = f"{inner} is not" if inner else "not"
        reason = getattr(exc, "msg", None) or str(exc)
        if b"\x00" in data[:4]:
            reason += ("; its bytes hold NULs, as UTF-16 or UTF-32 do: save or export it in UTF-8, the encoding of "
                       "REFI-QDA files")
        raise CondenseError("E601", path=shown, detail=f"{what} well-formed XML ({reason})") from exc
    if root is None:
        raise CondenseError("E601", path=shown, detail="the file is empty")
    _no_declarations(root, shown, inner)
    _no_xinclude(root, shown, inner)
    return root


XINCLUDE_NS = "http://www.w3.org/2001/XInclude"


def _no_xinclude(root, shown: str, inner: str) -> None:
    """E601 for an XInclude element (``<xi:include href="…"/>``): it asks its reader to paste in another file (a
    local one such as /etc/passwd, or one on the network). condense processes none, and it was neither read nor
    reported: the project was imported as if the element were not there. No QDA program writes one."""
    found = next(root.iter(f"{{{XINCLUDE_NS}}}*"), None)
    if found is None:
        return
    what = f"{inner} " if inner else ""
    href = (found.get("href") or "").strip()
    target = f" of '{_short(href)}'" if href else ""
    raise CondenseError("E601", path=shown, detail=f"{what}holds an XInclude (<{etree.QName(found).localname}>"
                        f"{target}, line {found.sourceline}); REFI-QDA files have none, and condense reads nothing a "
                        "file points to")


def _no_declarations(root, shown: str, inner: str) -> None:
    """E601 for a document that declares entities or names an external DTD. No QDA program writes either; an
    external entity is how a hostile file asks its reader for /etc/passwd, and the parser (which resolves
    nothing) would have left ``&name;`` in a transcript or a code name as if it were its text."""
    info = root.getroottree().docinfo
    what = f"{inner} " if inner else ""
    if info.system_url or info.public_id:
        raise CondenseError("E601", path=shown, detail=f"{what}names an external DTD "
                            f"({info.system_url or info.public_id}); REFI-QDA files have none, and condense reads "
                            "nothing a file points to")
    dtd = info.internalDTD
    entities = list(dtd.iterentities()) if dtd is not None else []
    if entities:
        first = entities[0]
        target = f" pointing to {first.system_url}" if getattr(first, "system_url", None) else ""
        raise CondenseError("E601", path=shown, detail=f"{what}declares {len(entities)} entit"
                            f"{'y' if len(entities) == 1 else 'ies'} (first: '{first.name}'{target}); REFI-QDA files "
                            "declare none, and condense neither reads a file an entity points to nor leaves "
                            "'&name;' in their text")


def _find_codes(root):
    """The ``<Codes>`` element of the codebook: under ``<CodeBook>`` when there is one, else anywhere."""
    books = [root] if _local(root) == "CodeBook" else [e for e in root.iter() if _local(e) == "CodeBook"]
    for book in books:
        for codes in _children(book, "Codes"):
            return codes
    for codes in root.iter():
        if _local(codes) == "Codes" and _children(codes, "Code"):
            return codes
    return None


def _split_description(text: str) -> tuple[str, dict | None]:
    """Split a description into its human text and the ``[condense]`` block (None when there is none)."""
    marks = list(_MARKER_LINE.finditer(text))
    if not marks:
        return text, None
    mark = marks[-1]
    block = text[mark.end():].lstrip("\r\n").replace("\r\n", "\n")
    try:
        from .limits import safe_load

        fields = safe_load(block) if block.strip() else {}
    except yaml.YAMLError:
        return text, None
    if not isinstance(fields, dict):
        return text, None
    return text[:mark.start()], fields


def _is_true(value: str | None) -> bool:
    return (value or "true").strip().lower() not in ("false", "0", "no")


def _read_node(el, notes: dict[str, str], used_notes: set[str]) -> _Node:
    desc = _children(el, "Description")
    raw = _text_of(desc[0]) if desc else ""
    text, fields = _split_description(raw)
    node = _Node(name=el.get("name") or "", guid=(el.get("guid") or "").strip(),
                 codable=_is_true(el.get("isCodable")), color=(el.get("color") or "").strip(),
                 text=text, fields=fields if fields is not None else {})
    for ref in _children(el, "NoteRef"):
        target = (ref.get("targetGUID") or "").strip()
        if target in notes:
            used_notes.add(target)
            if notes[target]:
                node.memos.append(notes[target])
    node.children = [_read_node(child, notes, used_notes) for child in _children(el, "Code")]
    return node


def _split_names(nodes: list[_Node]) -> tuple[list[_Node], list[str]]:
    """Turn a flat list with ``Parent::child`` names into a tree (ATLAS.ti writes hierarchy this way).

    A parent is the first earlier or later code of that name at the same level; when there is none, a
    parent is made up. Returns the new top level and the names of made-up parents.
    """
    top: list[_Node] = []
    for node in nodes:
        parts = [part.strip() for part in node.name.split("::")]
        if len(parts) < 2 or not all(parts):
            parts = [node.name]
        siblings = top
        for part in parts[:-1]:
            parent = next((n for n in siblings if n.name.strip() == part), None)
            if parent is None:
                parent = _Node(name=part, placeholder=True)
                siblings.append(parent)
            siblings = parent.children
        node.name = parts[-1]
        twin = next((n for n in siblings if n.placeholder and n.name.strip() == node.name.strip()), None)
        if twin is not None:            # the real code for a parent made up earlier: take its place
            node.children = twin.children + node.children
            siblings[siblings.index(twin)] = node
        else:
            siblings.append(node)
    made_up = [n.name for root in top for n in root.walk() if n.placeholder]
    return top, made_up


def _assign_ids(nodes: list[_Node]) -> None:
    """Ids for a set of nodes sharing one namespace: restored ids first, then slugs with _2, _3…"""
    taken: set[str] = set()
    pending: list[_Node] = []
    for node in nodes:
        wanted = node.fields.get("id")
        if isinstance(wanted, str) and ID_RE.match(wanted) and wanted not in taken:
            node.id = wanted
            taken.add(wanted)
        else:
            pending.append(node)
    for node in pending:
        wanted = node.fields.get("id")
        base = slugify(wanted if isinstance(wanted, (str, int)) and str(wanted).strip() else node.name)
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        node.id = candidate
        taken.add(candidate)


class _Report:
    """Collects what had no place in the codebook, as sentences."""

    def __init__(self):
        self.items: list[str] = []

    def add(self, text: str) -> None:
        if text not in self.items:
            self.items.append(text)

    def ignored(self, node: _Node, key: str, why: str) -> None:
        self.add(f"[condense] field '{key}' of code '{node.name}' was ignored ({why})")


def _text_field(node: _Node, key: str, report: _Report, allowed=None) -> str | None:
    value = node.fields.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        report.ignored(node, key, "not text")
        return None
    value = str(value).strip()
    if allowed is not None and value not in allowed:
        report.ignored(node, key, f"'{value}' is not one of {', '.join(a for a in allowed if a)}")
        return None
    return value


def _list_field(node: _Node, key: str, report: _Report) -> list[str]:
    value = node.fields.get(key)
    if value is None:
        return []
    if isinstance(value, dict):
        report.ignored(node, key, "not a list")
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, (dict, list)) or item is None:
            report.ignored(node, key, "an item is not text")
            continue
        if str(item).strip():
            out.append(str(item).strip())
    return out


def _number_field(node: _Node, key: str, report: _Report):
    value = node.fields.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        report.ignored(node, key, "not a number")
        return None
    return value


def _unknown_fields(node: _Node, allowed: set[str], report: _Report) -> None:
    for key in node.fields:
        if key not in allowed:
            report.ignored(node, str(key), "unknown field")


def _label(node: _Node) -> str:
    return node.name.strip() or node.id


def _theme(node: _Node, report: _Report) -> Theme:
    _unknown_fields(node, _THEME_BLOCK_KEYS, report)
    if not node.codable:
        report.add(f"code '{node.name}' is marked not codable (isCodable=\"false\"); it was imported as an "
                   f"ordinary theme")
    memos = [m for m in [_text_field(node, "memo", report)] + node.memos if m]
    weight = _number_field(node, "weight", report)
    theme = Theme(
        id=node.id,
        label=_label(node),
        origin=_text_field(node, "origin", report, ORIGINS) or "predefined",
        description=node.text.strip(),
        include=_text_field(node, "include", report) or "",
        exclude=_text_field(node, "exclude", report) or "",
        examples=_list_field(node, "examples", report),
        terms=_list_field(node, "terms", report),
        phrases=_list_field(node, "phrases", report),
        all_of=_list_field(node, "all_of", report),
        question_cues=_list_field(node, "question_cues", report),
        exclude_terms=_list_field(node, "exclude_terms", report),
        context=_list_field(node, "context", report),
        weight=float(weight) if weight is not None else 1.0,
        status=_text_field(node, "status", report, STATUSES) or "",
        color=node.color or _text_field(node, "color", report) or "",
        memo="\n\n".join(memos),
    )
    theme.subthemes = [_theme(child, report) for child in node.children]
    return theme


def _dimension(node: _Node, report: _Report, multi_default: bool) -> Dimension:
    _unknown_fields(node, _DIMENSION_BLOCK_KEYS, report)
    multi = node.fields.get("multi_label", multi_default)
    if not isinstance(multi, bool):
        report.ignored(node, "multi_label", "not true or false")
        multi = multi_default
    if node.color:
        report.add(f"colour {node.color} of code '{node.name}' (it became a dimension, and dimensions have "
                   f"no colour)")
    for memo in node.memos:
        report.add(f"note on code '{node.name}' (it became a dimension, and dimensions have no memo): "
                   f"{_short(memo)}")
    dim = Dimension(id=node.id, label=_label(node), description=node.text.strip(), multi_label=multi,
                    threshold=_number_field(node, "threshold", report), top_k=_number_field(node, "top_k", report))
    _assign_ids([n for child in node.children for n in child.walk()])
    dim.themes = [_theme(child, report) for child in node.children]
    return dim


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _names(items: list[str], n: int = 5) -> str:
    return first_few((f"'{x}'" for x in items), n)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _codebook_meta(tops: list[_Node], report: _Report) -> dict | None:
    """The codebook metadata our own export stores in the first dimension's block (None if absent)."""
    for node in tops:
        meta = node.fields.get("codebook")
        if meta is None:
            continue
        if not isinstance(meta, dict):
            report.ignored(node, "codebook", "not a mapping")
            return None
        return meta
    return None


def _report_project(root, used_notes: set[str], report: _Report) -> None:
    """Everything in the file besides the codes: users, sources, codings, sets, notes, cases, …"""
    found: dict[str, list] = {}
    for el in root.iter():
        found.setdefault(_local(el), []).append(el)
    _report_users(found.get("User", []), report)
    _report_sources(found.get("Sources", []), report)
    codings = found.get("Coding", [])
    if codings:
        report.add(f"{_plural(len(codings), 'coding')} (codes applied to passages of sources): `condense import qdpx` "
                   "reads them")
    for s in found.get("Set", []):
        _report_set(s, report)
    _report_notes(found.get("Note", []), used_notes, report)
    _report_comments(root, report)
    for name, word in (("Case", "case"), ("Variable", "variable"), ("Link", "link"), ("Graph", "graph")):
        if found.get(name):
            report.add(_plural(len(found[name]), word))


def _report_users(users: list, report: _Report) -> None:
    names = [u.get("name") or u.get("guid") or "?" for u in users]
    if names:
        report.add(f"{_plural(len(names), 'user')} ({_names(names)}): a codebook has no users")


def _report_sources(blocks: list, report: _Report) -> None:
    sources = [s for block in blocks for s in block if _local(s)]
    if sources:
        kinds = Counter(_local(s) for s in sources)
        detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        report.add(f"{_plural(len(sources), 'source')} ({detail}): `condense import qdpx` reads them, with their codings")


def _report_set(s, report: _Report) -> None:
    counts = Counter(_local(m) for m in s if _local(m).startswith("Member"))
    parts = [_plural(counts[k], w) for k, w in (("MemberCode", "code"), ("MemberSource", "source"),
                                                ("MemberNote", "note")) if counts[k]]
    report.add(f"set '{s.get('name') or s.get('guid') or '?'}' ({', '.join(parts) or 'empty'})")


def _report_notes(all_notes: list, used_notes: set[str], report: _Report) -> None:
    notes = [n for n in all_notes if (n.get("guid") or "").strip() not in used_notes]
    if notes:
        report.add(f"{_plural(len(notes), 'note')} (memos: {_names([n.get('name') or '?' for n in notes])})")


def _report_comments(root, report: _Report) -> None:
    comments = [d for e in root.iter() if _local(e).endswith("Selection") for d in _children(e, "Description")
                if _text_of(d).strip()]
    if comments:
        report.add(f"{_plural(len(comments), 'comment')} written on selections")


def _codebook_from(meta: dict | None, root, p: Path, report: _Report) -> Codebook:
    """The codebook's own fields: from our metadata block, else from the project and the file name."""
    name = (root.get("name") or "").strip() if _local(root) == "Project" else ""
    if meta is not None:
        return _codebook_from_block(meta, name, p, report)
    return _codebook_from_project(root, name, p)


def _codebook_from_block(meta: dict, name: str, p: Path, report: _Report) -> Codebook:
    """The codebook fields our own export wrote into the first dimension's ``[condense]`` block."""
    for key in meta:
        if key not in _CODEBOOK_BLOCK_KEYS:
            report.add(f"[condense] codebook field '{key}' was ignored (unknown field)")
    cid = meta.get("id")
    language = meta.get("language", "en")
    if language not in LANGUAGES:
        report.add(f"[condense] codebook language '{language}' was ignored (not one of {', '.join(LANGUAGES)})")
        language = "en"
    return Codebook(
        id=cid if isinstance(cid, str) and ID_RE.match(cid) else slugify(cid or name or p.stem),
        label=str(meta.get("label") or "").strip(),
        language=language,
        version=str(meta.get("version", "1")).strip(),
        description=str(meta.get("description") or "").strip(),
        meta={k: meta[k] for k in ("author", "source", "notes") if k in meta},
        followups=_followups_from_block(meta.get("followups"), report),
    )


def _followups_from_block(items, report: _Report) -> list:
    """The guide's follow-ups our own export wrote (malformed entries are reported, not read)."""
    from .codebook import Followup

    out = []
    for item in items if isinstance(items, list) else ([] if items is None else [items]):
        ok = (isinstance(item, dict) and isinstance(item.get("id"), str) and ID_RE.match(item["id"])
              and isinstance(item.get("cues"), list) and all(isinstance(c, str) for c in item["cues"]))
        if not ok:
            report.add("[condense] codebook follow-up was ignored (it needs an id and a list of cues)")
            continue
        out.append(Followup(item["id"], str(item.get("label") or item["id"]).strip(), list(item["cues"])))
    return out


def _codebook_from_project(root, name: str, p: Path) -> Codebook:
    """A foreign codebook: named after the project (or the file), described by the project's description."""
    desc = _children(root, "Description") if _local(root) == "Project" else []
    origin = (root.get("origin") or "").strip()
    return Codebook(
        id=slugify(name or p.stem),
        label=name or p.stem,
        language="en",
        version="1",
        description=_text_of(desc[0]).strip() if desc else "",
        meta={"source": f"{p.name} (REFI-QDA" + (f", written by {origin})" if origin else ")")},
    )


def distinct_labels(codebook: Codebook) -> list[tuple[str, str]]:
    """Give a code whose name looks the same as an earlier sibling's (the same after Unicode NFC: "Café" composed
    and "Cafe\u0301" decomposed, or the same name twice) the label "Café (2)"; returns (name, new label) of each.
    Two codes with their own guids stay two themes, and the theme tables showed two rows of one label, whose
    counts nobody could tell apart."""
    renamed: list[tuple[str, str]] = []

    def settle(items: list) -> None:
        taken: set[str] = set()
        for item in items:
            base = unicodedata.normalize("NFC", item.label)
            label, n = base, 1
            while label in taken:
                n += 1
                label = f"{base} ({n})"
            if label != base:
                renamed.append((item.label, label))
                item.label = label
            taken.add(label)
            settle(getattr(item, "subthemes", None) or [])

    settle(codebook.dimensions)
    for dim in codebook.dimensions:
        settle(dim.themes)
    return renamed


def import_refi(path: str | Path) -> tuple[Codebook, list[str]]:
    """Read the codes of a REFI-QDA ``.qdc`` or ``.qdpx`` file as a condense codebook (see :func:`import_refi_tree`)."""
    cb, report, _ = import_refi_tree(path)
    return cb, report


def _pair_guids(node: _Node, theme: Theme, dim: str, prefix: list[str], out: dict) -> None:
    """guid → (dimension, theme, sub-theme path) for a code read from the file and the theme it became."""
    path = prefix + [theme.id]
    if node.guid:
        out[node.guid.lower()] = (dim, path[0], "/".join(path[1:]))
    for child, sub in zip(node.children, theme.subthemes):
        _pair_guids(child, sub, dim, path, out)


def import_refi_tree(path: str | Path) -> tuple[Codebook, list[str], dict[str, tuple[str, str, str]]]:
    """Read the codes of a REFI-QDA ``.qdc`` or ``.qdpx`` file as a condense codebook, with each code's guid
    mapped to (dimension, theme, sub-theme path).

    Returns the codebook, a list of sentences naming what had no place in it (users, sources,
    codings, sets with their member counts, notes, colours of codes that became dimensions, …).
    Raises E601 when the file cannot be read (missing, not XML, not a zip) and E602 when it holds no codes.
    """
    p = Path(path)
    shown = display_path(p)
    data, inner = read_container(p, shown)
    cb, report, guids = codebook_from_tree(parse_xml(data, shown, inner), p)
    renamed = distinct_labels(cb)
    if renamed:
        report.insert(0, f"{_plural(len(renamed), 'code name')} looking the same as another code's at the same level "
                      f"were given a number (first: '{renamed[0][0]}' as '{renamed[0][1]}'); rename one of them in "
                      "your QDA program to keep its own name")
    return cb, report, guids


def codebook_from_tree(root, p: Path) -> tuple[Codebook, list[str], dict[str, tuple[str, str, str]]]:
    """:func:`import_refi_tree` on a parsed document (``root``) read from ``p``."""
    shown = display_path(p)
    codes_el = _find_codes(root)
    if codes_el is None or not _children(codes_el, "Code"):
        raise CondenseError("E602", path=shown)

    report = _Report()
    notes = {}
    for note in root.iter():
        if _local(note) == "Note" and note.get("guid"):
            content = _children(note, "PlainTextContent") or _children(note, "Description")
            notes[note.get("guid").strip()] = _text_of(content[0]).strip() if content else ""
    used_notes: set[str] = set()
    tops = [_read_node(el, notes, used_notes) for el in _children(codes_el, "Code")]
    if not any(node.children for node in tops) and any("::" in node.name for node in tops):
        tops, made_up = _split_names(tops)
        if made_up:
            report.add(f"{_plural(len(made_up), 'parent code')} made up for 'Parent::child' names with no code "
                       f"of the parent's name: {_names(made_up)}")

    meta = _codebook_meta(tops, report)
    cb = _codebook_from(meta, root, p, report)
    cb.path = shown
    # In QDA programs a passage may carry several codes: foreign dimensions are multi-label.
    multi_default = meta is None
    guids: dict[str, tuple[str, str, str]] = {}
    if all(not node.codable for node in tops):
        _assign_ids(tops)
        cb.dimensions = [_dimension(node, report, multi_default) for node in tops]
        holders = tops
    else:
        holder = _Node(name="Codes", codable=False, id="codes", children=tops)
        cb.dimensions = [_dimension(holder, report, multi_default)]
        holders = [holder]
    for node, dim in zip(holders, cb.dimensions):
        for child, theme in zip(node.children, dim.themes):
            _pair_guids(child, theme, dim.id, [], guids)
    _report_project(root, used_notes, report)
    return cb, report.items, guids
