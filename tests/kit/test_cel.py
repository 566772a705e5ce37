"""CEL expressions for policies: compiled once, evaluated to booleans, errors typed."""

from __future__ import annotations

import pytest

from paybill_control_plane.kit.cel import CelError, compile_expression, evaluate_bool


def test_evaluates_over_nested_data_with_null_checks() -> None:
    expr = 'changes.exists(c, c.action == "delete") && (snap.age == null || snap.age > 3600)'
    deleting = {"changes": [{"action": "delete"}]}
    assert evaluate_bool(expr, {**deleting, "snap": {"age": None}}) is True
    assert evaluate_bool(expr, {**deleting, "snap": {"age": 60}}) is False
    assert evaluate_bool(expr, {"changes": [{"action": "create"}], "snap": {"age": None}}) is False


def test_compiled_programs_are_cached() -> None:
    assert compile_expression("1 == 1") is compile_expression("1 == 1")


def test_parse_errors_name_the_position() -> None:
    with pytest.raises(CelError, match=r"1:\d+"):
        compile_expression("counts.destroy >")


def test_evaluation_errors_and_non_booleans_are_cel_errors() -> None:
    with pytest.raises(CelError, match=r"KeyError|undeclared|No such key"):
        evaluate_bool("counts.destroy > 1", {"counts": {}})
    with pytest.raises(CelError, match="not a boolean"):
        evaluate_bool("counts.destroy", {"counts": {"destroy": 3}})
