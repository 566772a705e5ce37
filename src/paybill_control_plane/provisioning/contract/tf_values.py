"""Checking a JSON value against a Terraform type constraint, as Terraform would.

The values checked are the stack inputs the control plane writes to
``paybill.auto.tfvars.json``; a mismatch found here is a plan that would fail at
``terraform plan`` with a less helpful message.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from paybill_control_plane.provisioning.contract.tf_types import (
    AnyType,
    CollectionType,
    ObjectType,
    PrimitiveType,
    TfType,
    TupleType,
    as_type,
)


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
