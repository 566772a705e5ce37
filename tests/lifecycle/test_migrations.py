"""Migrations between isolation models on `local` (real Terraform): the infrastructure phases,
pool membership and capacity, the guards, rollback and cancel.

The data phases (copy, the write freeze at cutover) with data: test_migration_data.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paybill_control_plane.config import Settings
from tests.conftest import create_key_sync
from tests.factories import make_tenant, make_tier
from tests.live import Api
from tests.provisioning.stack_env import stack_environment, wait_for, wait_status

pytestmark = pytest.mark.terraform

FORWARD = ["plan", "provision_target", "copy", "cutover", "hold", "decommission"]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """Hold 0: a migration runs through decommission on its own."""
    with stack_environment(
        tmp_path_factory.mktemp("stacks"),
        migration_hold_hours=0,
        migration_poll_seconds=0.2,
        migrations_enabled=True,
    ) as (api, _settings):
        yield api


@pytest.fixture(scope="module")
def holding_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Settings]]:
    """Hold 1 h: a migration waits in `holding` after its cutover."""
    with stack_environment(
        tmp_path_factory.mktemp("stacks"),
        migration_hold_hours=1,
        migration_poll_seconds=0.2,
        migrations_enabled=True,
    ) as pair:
        yield pair


@pytest.fixture(scope="module")
def holding_api(holding_env: tuple[Api, Settings]) -> Api:
    return holding_env[0]


def tiers(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    basic = make_tier(
        api, default_isolation="pooled", allowed_isolation=["pooled"], pool_capacity=4
    )
    enterprise = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    return basic, enterprise


def pool_stack(api: Api, pool_id: str) -> dict[str, Any]:
    [stack] = api.ok("GET", "/v1/stacks", params={"pool_id": pool_id})["items"]
    return stack  # type: ignore[no-any-return]


def served_by_pool(api: Api, pool_id: str) -> list[str]:
    stack = pool_stack(api, pool_id)
    assert stack["status"] == "applied", stack
    return sorted(t["tenant_id"] for t in stack["variables"]["tenants"])


def own_stacks(api: Api, tenant_id: str) -> list[dict[str, Any]]:
    return api.ok("GET", "/v1/stacks", params={"tenant_id": tenant_id})["items"]  # type: ignore[no-any-return]


def wait_migration(api: Api, migration_id: str, status: str) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        m = api.ok("GET", f"/v1/migrations/{migration_id}")
        assert m["status"] not in {"failed"} - {status}, m
        return m if m["status"] == status else None

    return wait_for(check, timeout=300)  # type: ignore[no-any-return]  # loaded CI: pg_dump ~10 s


def start(api: Api, tenant_id: str, tier: str) -> dict[str, Any]:
    return api.ok("POST", f"/v1/tenants/{tenant_id}/migrations", 202, json={"tier": tier})  # type: ignore[no-any-return]


def test_dry_run_returns_the_plan_and_starts_nothing(api: Api) -> None:
    basic, enterprise = tiers(api)
    tenant = wait_status(api, make_tenant(api, basic["key"])["id"], "active")
    plan = api.ok(
        "POST",
        f"/v1/tenants/{tenant['id']}/migrations",
        params={"dry_run": "true"},
        json={"tier": enterprise["key"]},
    )
    assert plan["source"] == {
        "tier": basic["key"],
        "isolation_model": "pooled",
        "pool_id": tenant["pool_id"],
    }
    assert (
        plan["target"]["isolation_model"] == "silo" and plan["target"]["tier"] == enterprise["key"]
    )
    assert plan["phases"] == FORWARD
    assert [s["kind"] for s in plan["target_stacks"]] == ["silo"]
    assert [s["kind"] for s in plan["source_stacks"]] == ["pool"]
    assert plan["data"]["estimated_bytes"] >= 0 and "pg_dump" in plan["data"]["copy"]
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}/migrations")["items"] == []
    assert own_stacks(api, tenant["id"]) == []


@pytest.mark.slow
def test_pooled_to_silo_and_back_moves_infrastructure_and_pool_membership(api: Api) -> None:
    basic, enterprise = tiers(api)
    tenant = wait_status(api, make_tenant(api, basic["key"])["id"], "active")
    neighbour = wait_status(api, make_tenant(api, basic["key"])["id"], "active")
    pool_id = tenant["pool_id"]
    assert neighbour["pool_id"] == pool_id
    assert api.ok("GET", f"/v1/pools/{pool_id}")["members"] == 2

    started = start(api, tenant["id"], enterprise["key"])
    assert started["status"] == "running" and started["phase"] == "plan"
    done = wait_migration(api, started["id"], "completed")

    assert [p["name"] for p in done["phases"]] == FORWARD
    assert [p["status"] for p in done["phases"]] == [
        "succeeded", "succeeded", "succeeded", "succeeded", "succeeded", "succeeded",
    ]  # fmt: skip
    assert all(p["duration_ms"] >= 0 and p["finished_at"] for p in done["phases"])
    assert done["phases"][2]["detail"]["verified"]
    assert done["phases"][3]["detail"]["write_freeze_ms"] >= 0
    moved = wait_status(api, tenant["id"], "active")
    assert (moved["tier"], moved["isolation_model"], moved["pool_id"]) == (
        enterprise["key"], "silo", None,
    )  # fmt: skip
    [silo] = own_stacks(api, tenant["id"])
    assert silo["kind"] == "silo" and silo["status"] == "applied"
    assert done["endpoint"] == silo["outputs"]["endpoint"]
    # Provisioned once: it left the pool's member list and its capacity.
    assert api.ok("GET", f"/v1/pools/{pool_id}")["members"] == 1
    assert served_by_pool(api, pool_id) == [neighbour["id"]]
    events = api.ok(
        "GET",
        "/v1/audit-events",
        params={"tenant_id": tenant["id"], "action": "migration.phase_changed"},
    )["items"]
    assert [(e["before"]["phase"], e["after"]["phase"]) for e in events] == [
        ("plan", "provision_target"), ("provision_target", "copy"), ("copy", "cutover"),
        ("cutover", "hold"), ("hold", "decommission"), ("decommission", "done"),
    ]  # fmt: skip

    back = start(api, tenant["id"], basic["key"])
    wait_migration(api, back["id"], "completed")
    home = wait_status(api, tenant["id"], "active")
    assert (home["tier"], home["isolation_model"]) == (basic["key"], "pooled")
    assert home["pool_id"] == pool_id, "the pool with room takes it back"
    assert served_by_pool(api, pool_id) == sorted([tenant["id"], neighbour["id"]])
    assert api.ok("GET", f"/v1/pools/{pool_id}")["members"] == 2
    [gone] = own_stacks(api, tenant["id"])
    assert gone["kind"] == "silo" and gone["status"] == "destroyed"
    listed = api.ok("GET", f"/v1/tenants/{tenant['id']}/migrations")["items"]
    assert [m["id"] for m in listed] == [back["id"], started["id"]]


def test_actions_during_a_migration_are_refused_naming_it_then_rollback(holding_api: Api) -> None:
    api = holding_api
    basic, enterprise = tiers(api)
    tenant = wait_status(api, make_tenant(api, basic["key"])["id"], "active")
    pool_id = tenant["pool_id"]
    migration = start(api, tenant["id"], enterprise["key"])
    held = wait_migration(api, migration["id"], "holding")
    assert held["phase"] == "hold" and held["hold_until"]

    current = api.ok("GET", f"/v1/tenants/{tenant['id']}")
    # Switched to the target, while the source is kept for the hold (rollback is one call).
    assert (current["isolation_model"], current["pool_id"]) == ("silo", pool_id)
    assert served_by_pool(api, pool_id) == [tenant["id"]]
    refused = [
        api.post(f"/v1/tenants/{tenant['id']}/suspend"),
        api.post(f"/v1/tenants/{tenant['id']}/deprovision"),
        api.patch(
            f"/v1/tenants/{tenant['id']}",
            json={"tier": basic["key"]},
            headers={"If-Match": f'"{current["version"]}"'},
        ),
        api.post(f"/v1/tenants/{tenant['id']}/migrations", json={"tier": basic["key"]}),
    ]
    for response in refused:
        assert response.status_code == 409, response.text
        assert response.json()["type"].endswith("/tenant-migrating")
        assert response.json()["migration_id"] == migration["id"]
    cancel = api.post(f"/v1/migrations/{migration['id']}/cancel")
    assert cancel.status_code == 409 and "roll it back" in cancel.json()["detail"]

    api.ok("POST", f"/v1/migrations/{migration['id']}/rollback", 202)
    rolled = wait_migration(api, migration["id"], "rolled_back")
    assert [p["name"] for p in rolled["phases"]][-1] == "rollback"
    back = wait_status(api, tenant["id"], "active")
    assert (back["tier"], back["isolation_model"], back["pool_id"]) == (
        basic["key"],
        "pooled",
        pool_id,
    )
    [silo] = own_stacks(api, tenant["id"])
    assert silo["status"] == "destroyed"
    assert served_by_pool(api, pool_id) == [tenant["id"]]
    assert api.post(f"/v1/migrations/{migration['id']}/rollback").status_code == 409
    # Free again: lifecycle actions work.
    api.ok("POST", f"/v1/tenants/{tenant['id']}/suspend", 202)


def test_cancel_before_cutover_removes_the_target(holding_api: Api) -> None:
    api = holding_api
    basic, enterprise = tiers(api)
    tenant = wait_status(api, make_tenant(api, basic["key"])["id"], "active")
    migration = start(api, tenant["id"], enterprise["key"])
    api.ok("POST", f"/v1/migrations/{migration['id']}/cancel", 202)
    cancelled = wait_migration(api, migration["id"], "cancelled")
    assert "cutover" not in [p["name"] for p in cancelled["phases"]]
    after = api.ok("GET", f"/v1/tenants/{tenant['id']}")
    assert (after["isolation_model"], after["pool_id"]) == ("pooled", tenant["pool_id"])
    assert all(s["status"] in ("destroyed", "pending") for s in own_stacks(api, tenant["id"]))
    assert served_by_pool(api, tenant["pool_id"]) == [tenant["id"]]


def test_bad_targets_are_refused(api: Api) -> None:
    basic, _ = tiers(api)
    bridge = make_tier(api, default_isolation="bridge", allowed_isolation=["bridge"])
    tenant = wait_status(api, make_tenant(api, basic["key"])["id"], "active")
    same = api.post(f"/v1/tenants/{tenant['id']}/migrations", json={"tier": basic["key"]})
    assert same.status_code == 422 and same.json()["type"].endswith("/migration-not-needed")
    to_bridge = api.post(f"/v1/tenants/{tenant['id']}/migrations", json={"tier": bridge["key"]})
    assert to_bridge.status_code == 422
    assert to_bridge.json()["type"].endswith("/migration-not-supported")
    missing = api.get("/v1/migrations/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["type"].endswith("/migration-not-found")


def test_a_tenant_key_never_sees_another_tenants_migration(
    holding_env: tuple[Api, Settings],
) -> None:
    api, settings = holding_env
    basic, enterprise = tiers(api)
    mine = make_tenant(api, basic["key"])
    theirs = wait_status(api, make_tenant(api, basic["key"])["id"], "active")
    migration = start(api, theirs["id"], enterprise["key"])
    assert settings.database_url is not None
    with Api(
        str(api.base_url), create_key_sync(settings.database_url, "tenant", mine["id"])
    ) as key:
        ghost = "00000000-0000-0000-0000-00000000dead"
        for method, path in [
            ("GET", "/v1/migrations/{}"),
            ("POST", "/v1/migrations/{}/rollback"),
            ("POST", "/v1/migrations/{}/cancel"),
        ]:
            seen = key.request(method, path.format(migration["id"]))
            nothing = key.request(method, path.format(ghost))
            # A tenant key may not write (403 either way); it reads B's migration as nothing.
            assert seen.status_code == nothing.status_code, seen.text
            assert seen.json()["type"] == nothing.json()["type"]
            if method == "GET":
                assert seen.status_code == 404
                assert seen.json()["type"].endswith("/migration-not-found")
        assert key.get(f"/v1/tenants/{theirs['id']}/migrations").status_code == 404
        assert key.get(f"/v1/tenants/{mine['id']}/migrations").json()["items"] == []
    api.ok("POST", f"/v1/migrations/{migration['id']}/cancel", 202)
