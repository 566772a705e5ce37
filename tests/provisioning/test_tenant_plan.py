"""GET /v1/tenants/{id}/plan: the rendered stacks of a tenant on every cloud and model, with no
cloud credentials anywhere (the targets here have none)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from paybill_control_plane.provisioning import contract as mc
from tests.conftest import unique
from tests.factories import make_tenant, make_tier
from tests.live import Api

CLOUDS = {
    "aws": ("eu-west-1", "123456789012", {"vpc_cidr": "10.70.0.0/16", "create_account": "true"}),
    "azure": ("westeurope", "8f6c1a2e-1111-4222-8333-944455556666", {"vnet_cidr": "10.71.0.0/16"}),
    "gcp": ("europe-west1", "paybill-mgmt", {"folder_id": "folders/42", "project_id": "pb-pools"}),
    "oci": ("eu-frankfurt-1", "ocid1.tenancy.oc1..example", {"vcn_cidr": "10.73.0.0/16"}),
    "ibm": ("eu-de", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", {"zone": "eu-de-3"}),
}
ACCOUNT_KEY = {"aws": "account_id", "azure": "subscription_id", "oci": "tenancy_ocid"}
EXPECTED_STACKS = {
    "silo": [("silo", "silo")],
    "pooled": [("pool", "pooled")],
    "bridge": [("pool", "pooled"), ("bridge-data", "bridge")],
}


@pytest.fixture(scope="module")
def module_specs() -> dict[tuple[str, str], mc.ModuleSpec]:
    pairs = [(c, m) for c in CLOUDS for m in mc.MODELS]
    loaded = mc.load_modules([mc.module_dir(c, m) for c, m in pairs])
    return {(c, m): loaded[mc.module_dir(c, m).resolve()] for c, m in pairs}


def test_plan_for_every_cloud_and_model(
    admin: Api, module_specs: dict[tuple[str, str], mc.ModuleSpec]
) -> None:
    tier = make_tier(admin, allowed_isolation=["silo", "pooled", "bridge"])
    for cloud, (region, account, settings) in CLOUDS.items():
        target = admin.ok(
            "POST",
            "/v1/cloud-targets",
            201,
            json={
                "cloud": cloud,
                "name": unique("plan"),
                "default_region": region,
                "account_ref": account,
                "settings": settings,
            },
        )
        assert target["has_credentials"] is False
        for model, expected in EXPECTED_STACKS.items():
            tenant = make_tenant(
                admin,
                tier["key"],
                cloud=cloud,
                region=region,
                isolation_model=model,
                cloud_target_id=target["id"],
            )
            plan = admin.ok("GET", f"/v1/tenants/{tenant['id']}/plan")
            where = f"{cloud}/{model}"
            assert plan["cloud_target_id"] == target["id"] and plan["notes"] == [], where
            assert plan["state_backend"] == "pg"
            assert [(s["kind"], s["module"]) for s in plan["stacks"]] == [
                (kind, f"{cloud}/{module}") for kind, module in expected
            ], where
            for stack in plan["stacks"]:
                module = stack["module"].split("/")[1]
                variables = stack["variables"]
                assert json.loads(stack["tfvars_json"]) == variables
                assert {"main.tf", "variables.tf", "paybill.auto.tfvars.json"} <= set(
                    stack["files"]
                ) and "backend.tf.json" in stack["files"]
                assert mc.check_inputs(module_specs[(cloud, module)], variables) == [], where
                assert stack["stack_id"] is not None and stack["up_to_date"] is False
                target_input = variables["target"]
                if cloud in ACCOUNT_KEY and module == "silo":
                    assert target_input[ACCOUNT_KEY[cloud]] == account
                assert "create_account" not in target_input  # adapter-only setting
                if module == "pooled":
                    members = [m["tenant_id"] for m in variables["tenants"]]
                    assert tenant["id"] in members
                    assert (
                        variables["pool_id"]
                        == admin.ok("GET", f"/v1/tenants/{tenant['id']}")["pool_id"]
                    )
                else:
                    assert variables["tenant_id"] == tenant["id"]
            own = plan["stacks"][-1]
            if model == "bridge":
                assert own["placeholders"] == ["pool_network_id"]
            if (cloud, model) == ("oci", "silo"):
                assert own["boundary_inputs"] == ["target.parent_compartment_ocid"]
            if (cloud, model) == ("ibm", "silo"):
                assert own["boundary_inputs"] == ["target.resource_group_id"]
            if (cloud, model) == ("azure", "silo"):
                assert own["boundary_inputs"] == ["target.resource_group_name"]
            if (cloud, model) == ("gcp", "silo"):
                assert own["boundary_inputs"] == ["target.tenant_project_id"]
                assert "project_id" not in own["variables"]["target"]  # the pool's project


def test_plan_needs_infra_read(admin: Api, client_for: Callable[..., Any]) -> None:
    tier = make_tier(admin)
    tenant = make_tenant(admin, tier["key"])
    with client_for("viewer") as viewer:
        plan = viewer.ok("GET", f"/v1/tenants/{tenant['id']}/plan")
        assert plan["stacks"][0]["module"] == "local/pooled"
    with client_for("tenant", tenant["id"]) as own_key:
        assert own_key.get(f"/v1/tenants/{tenant['id']}/plan").status_code == 403
    other = make_tenant(admin, tier["key"])
    with client_for("tenant", tenant["id"]) as own_key:
        assert own_key.get(f"/v1/tenants/{other['id']}/plan").status_code == 404
    admin.ok("POST", f"/v1/tenants/{tenant['id']}/deprovision", 202)
    gone = admin.ok("GET", f"/v1/tenants/{tenant['id']}/plan")
    assert gone["stacks"] == [] and "no stack is wanted" in gone["notes"][0]
