"""Terraform type constraints: the type-expression parser, the cty JSON form, and value checks."""

from __future__ import annotations

import pytest

from paybill_control_plane.provisioning import contract as mc
from paybill_control_plane.provisioning.contract.tf_types import (
    BOOL,
    NUMBER,
    STRING,
    CollectionType,
    ObjectType,
    TupleType,
    TypeExpressionError,
    parse_type,
    type_from_cty_json,
)
from paybill_control_plane.provisioning.contract.tf_values import check_value


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("string", STRING),
        ("number", NUMBER),
        ("bool", BOOL),
        ("any", mc.AnyType()),
        ("map(string)", CollectionType("map", STRING)),
        ("set(number)", CollectionType("set", NUMBER)),
        ("list(list(bool))", CollectionType("list", CollectionType("list", BOOL))),
        ("tuple([string, number,])", TupleType((STRING, NUMBER))),
        ("tuple([])", TupleType(())),
        (
            "object({b = number, a = string})",
            ObjectType.of({"a": STRING, "b": NUMBER}),
        ),
        (
            'object({\n  a = optional(string, "x")\n  "b" = optional(list(number), [1, 2])\n  c = bool\n})',
            ObjectType.of(
                {"a": STRING, "b": CollectionType("list", NUMBER), "c": BOOL}, optional=["a", "b"]
            ),
        ),
    ],
)
def test_parse_type(expr: str, expected: mc.TfType) -> None:
    parsed = parse_type(expr)
    assert parsed == expected
    assert parse_type(str(parsed)) == parsed  # canonical form round-trips


def test_contract_types_canonical() -> None:
    assert str(parse_type(mc.SIZING_TYPE)) == (
        "object({backup_retention_days=number, compute_units=number, db_class=string,"
        " memory_gb=number, replicas=number, storage_gb=number})"
    )
    assert mc.INPUTS_BY_MODEL["pooled"]["tenants"] == mc.TENANTS_TYPE
    assert set(mc.OUTPUTS_BY_MODEL["silo"]) == {
        "endpoint",
        "network_id",
        "database_host",
        "database_name",
        "boundary_id",
    }
    assert "simulate_apply_seconds" in mc.contract_inputs("silo", "local")
    assert "simulate_apply_seconds" not in mc.contract_inputs("silo", "aws")


@pytest.mark.parametrize(
    "expr",
    [
        "",
        "strin",
        "list(string",
        "list()",
        "map(string) x",
        "object({a=})",
        "object({a string})",
        "object({a=string, a=number})",
        "optional(string)",
        "tuple(string)",
        "list(string, number)",
        "object({a=string}",
        "string$",
    ],
)
def test_parse_type_rejects(expr: str) -> None:
    with pytest.raises(TypeExpressionError):
        parse_type(expr)


def test_type_from_cty_json() -> None:
    assert type_from_cty_json("dynamic") == mc.AnyType()
    assert type_from_cty_json(["map", "string"]) == parse_type("map(string)")
    assert type_from_cty_json(["tuple", ["string", "bool"]]) == parse_type("tuple([string, bool])")
    assert type_from_cty_json(
        ["object", {"a": "string", "b": ["set", "number"]}, ["a"]]
    ) == parse_type("object({a=optional(string), b=set(number)})")
    for bad in ("strng", ["map"], ["object", "x"], 3, ["list", "string", "x"]):
        with pytest.raises(TypeExpressionError):
            type_from_cty_json(bad)


def test_check_value_collections() -> None:
    assert check_value("set(string)", ["a", "b"]) == []
    assert check_value("tuple([string, number])", ["a", 1]) == []
    assert check_value("tuple([string, number])", ["a"]) == [
        "value: expected 2 elements for tuple([string, number]), got 1"
    ]
    assert check_value("map(number)", {"a": 1, "b": "x"}) == [
        "value['b']: expected number, got string"
    ]
    assert check_value("object({a=optional(string)})", {}) == []
    assert check_value("object({a=optional(string)})", {"a": None}) == []
    assert check_value("any", {"x": [None, 1]}) == []
    assert check_value("number", "1.5", strict=False) == []
    assert check_value("number", "abc", strict=False) == ["value: expected number, got string"]
    assert check_value("bool", "true", strict=False) == []
    assert check_value("string", None, strict=False) == []
