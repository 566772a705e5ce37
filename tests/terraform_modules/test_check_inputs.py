"""``check_inputs``: the inputs a stack would be rendered with, against a parsed module."""

from __future__ import annotations

import pytest

from paybill_control_plane.provisioning import contract as mc
from tests.terraform_modules.modules import TENANTS, sample_inputs


@pytest.fixture(scope="module")
def silo(specs: dict[tuple[str, str], mc.ModuleSpec]) -> mc.ModuleSpec:
    return specs[("aws", "silo")]


@pytest.fixture(scope="module")
def pooled(specs: dict[tuple[str, str], mc.ModuleSpec]) -> mc.ModuleSpec:
    return specs[("gcp", "pooled")]


def test_check_inputs_unknown_and_missing(silo: mc.ModuleSpec) -> None:
    inputs = sample_inputs("aws", "silo")
    inputs["colour"] = "blue"
    del inputs["tenant_slug"]
    del inputs["suspended"]  # has a default: not missing
    problems = mc.check_inputs(silo, inputs)
    assert problems == [
        "unknown input 'colour': the module declares no such variable",
        "missing required input 'tenant_slug' (string)",
    ]


def test_check_inputs_wrong_types(silo: mc.ModuleSpec) -> None:
    inputs = sample_inputs("aws", "silo")
    inputs["labels"] = ["a", "b"]
    inputs["suspended"] = "false"
    inputs["sizing"]["replicas"] = "2"
    inputs["sizing"]["extra"] = 1
    del inputs["sizing"]["db_class"]
    problems = mc.check_inputs(silo, inputs)
    assert "labels: expected map(string), got list" in problems
    assert "suspended: expected bool, got string" in problems
    assert "sizing.replicas: expected number, got string" in problems
    assert "sizing: missing attribute 'db_class'" in problems
    assert any("unexpected attribute 'extra'" in p for p in problems)
    # Terraform's own conversions accept the strings and drop the extra attribute.
    lenient = mc.check_inputs(silo, inputs, strict=False)
    assert lenient == [
        "labels: expected map(string), got list",
        "sizing: missing attribute 'db_class'",
    ]


def test_check_inputs_bool_is_not_a_number(silo: mc.ModuleSpec) -> None:
    inputs = sample_inputs("aws", "silo")
    inputs["sizing"]["storage_gb"] = True
    inputs["tier"] = None
    problems = mc.check_inputs(silo, inputs)
    assert problems == [
        "sizing.storage_gb: expected number, got bool",
        "tier: null is not allowed for string",
    ]


def test_check_inputs_pool_members(pooled: mc.ModuleSpec) -> None:
    inputs = sample_inputs("gcp", "pooled")
    inputs["tenants"][1] = {"tenant_id": TENANTS[1]["tenant_id"], "tenant_slug": "globex"}
    inputs["tenants"][2]["suspended"] = "no"
    problems = mc.check_inputs(pooled, inputs)
    assert problems == [
        "tenants[1]: missing attribute 'suspended'",
        "tenants[1]: missing attribute 'tier'",
        "tenants[2].suspended: expected bool, got string",
    ]
    inputs["tenants"] = {"a": 1}
    assert mc.check_inputs(pooled, inputs) == [
        "tenants: expected list(object({suspended=bool, tenant_id=string, tenant_slug=string,"
        " tier=string})), got object"
    ]


def test_check_inputs_not_json(silo: mc.ModuleSpec) -> None:
    inputs = sample_inputs("aws", "silo")
    inputs["sizing"]["memory_gb"] = float("nan")
    problems = mc.check_inputs(silo, inputs)
    assert "sizing.memory_gb: expected number, got number" in problems
    assert any(p.startswith("inputs are not JSON-serialisable") for p in problems)
