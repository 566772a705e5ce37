"""Issue 14's defect: a tier change to another isolation model converged in place.

Before the fix, PATCHing a pooled tenant to a silo tier created and applied a silo stack while the
tenant kept its pool_id, stayed in the pool stack's member list and counted against the pool's
capacity: provisioned twice, no data moved. Such a change is now refused with a 409 that names
the migration endpoint, and nothing is planned, queued or moved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paybill_control_plane.config import Settings
from tests.factories import make_tenant, make_tier
from tests.live import Api
from tests.provisioning.stack_env import runs_of, stack_environment, wait_for, wait_status

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with stack_environment(tmp_path_factory.mktemp("stacks")) as (api, _settings):
        yield api


def _pool_stack(api: Api, pool_id: str) -> dict[str, Any]:
    [stack] = api.ok("GET", "/v1/stacks", params={"pool_id": pool_id})["items"]
    return stack  # type: ignore[no-any-return]


def _pool_members(api: Api, pool_id: str) -> list[str]:
    """The tenants the pool's applied stack serves."""
    stack = _pool_stack(api, pool_id)
    assert stack["status"] == "applied", stack
    return [t["tenant_id"] for t in stack["variables"]["tenants"]]


def _patch_tier(api: Api, tenant: dict[str, Any], tier: str) -> Any:
    return api.request(
        "PATCH",
        f"/v1/tenants/{tenant['id']}",
        json={"tier": tier},
        headers={"If-Match": f'"{tenant["version"]}"'},
    )


def test_pooled_to_silo_tier_change_is_refused_and_provisions_nothing(api: Api) -> None:
    basic = make_tier(
        api, default_isolation="pooled", allowed_isolation=["pooled"], pool_capacity=4
    )
    enterprise = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    tenant = wait_status(api, make_tenant(api, basic["key"])["id"], "active")
    pool_id = tenant["pool_id"]
    pool_before = api.ok("GET", f"/v1/pools/{pool_id}")
    runs_before = runs_of(api, tenant["id"])
    assert _pool_members(api, pool_id) == [tenant["id"]]

    response = _patch_tier(api, tenant, enterprise["key"])

    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["type"].endswith("/isolation-change-needs-migration")
    assert problem["current_isolation"] == "pooled" and problem["target_isolation"] == "silo"
    assert problem["migrations"] == f"/v1/tenants/{tenant['id']}/migrations"
    assert f"POST /v1/tenants/{tenant['id']}/migrations" in problem["detail"]
    after = api.ok("GET", f"/v1/tenants/{tenant['id']}")
    assert (after["tier"], after["isolation_model"], after["pool_id"]) == (
        basic["key"],
        "pooled",
        pool_id,
    )
    assert after["status"] == "active" and after["version"] == tenant["version"]
    # No silo stack, no run, and the pool's membership and capacity are as they were.
    assert api.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"] == []
    assert runs_of(api, tenant["id"]) == runs_before
    assert api.ok("GET", f"/v1/pools/{pool_id}") == pool_before
    assert _pool_members(api, pool_id) == [tenant["id"]]


def test_same_isolation_tier_change_still_converges_in_place(api: Api) -> None:
    small = make_tier(
        api, default_isolation="pooled", allowed_isolation=["pooled"], pool_capacity=4
    )
    other = make_tier(
        api, default_isolation="pooled", allowed_isolation=["pooled"], pool_capacity=4
    )
    tenant = wait_status(api, make_tenant(api, small["key"])["id"], "active")
    response = _patch_tier(api, tenant, other["key"])
    assert response.status_code == 200, response.text
    assert response.json()["tier"] == other["key"]
    moved = wait_status(api, tenant["id"], "active")
    assert moved["pool_id"] != tenant["pool_id"], "another tier group: another pool"
    assert _pool_members(api, moved["pool_id"]) == [tenant["id"]]
    assert api.ok("GET", f"/v1/pools/{tenant['pool_id']}")["members"] == 0
    # The old pool's own run takes the tenant out; empty, the pool's stack is destroyed (the
    # tenant settles on its new pool's run; the old pool's may finish a little later).
    wait_for(lambda: _pool_stack(api, tenant["pool_id"])["status"] == "destroyed")


def test_a_pending_tenant_may_change_isolation_model() -> None:
    """Nothing is provisioned before provisioning starts, so nothing has to move."""
    from paybill_control_plane.lifecycle.tenants import (
        IsolationChangeNeedsMigration,
        check_same_isolation,
    )
    from paybill_control_plane.models.tenant import Tenant
    from paybill_control_plane.models.tier import Tier

    tier = Tier(key="ent", default_isolation="silo", allowed_isolation=["silo"])
    tenant = Tenant(status="pending", isolation_model="pooled", isolation_override=False)
    check_same_isolation(tenant, tier)  # no error
    tenant.status = "active"
    with pytest.raises(IsolationChangeNeedsMigration, match="start a migration"):
        check_same_isolation(tenant, tier)


def test_migrations_are_on_by_default_and_can_be_switched_off() -> None:
    """The data phases copy, verify and freeze the data, so starting one is allowed by default;
    PAYBILL_MIGRATIONS_ENABLED=false refuses it (409 migrations-disabled)."""
    from paybill_control_plane.lifecycle.migrations.service import (
        MigrationsDisabled,
        check_enabled,
    )

    check_enabled(Settings())
    with pytest.raises(MigrationsDisabled):
        check_enabled(Settings(migrations_enabled=False))
