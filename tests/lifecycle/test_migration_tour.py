"""The tour issue 14 asks for, as a user runs it over HTTP (real Terraform, real Postgres): one
tenant with data moves pooled -> bridge -> silo -> pooled. Each hop's copy and cutover are
verified by per-table row counts and checksums, its write freeze is recorded, the rows written
on each side travel with the tenant, and the side it left is gone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paybill_control_plane.config import Settings
from tests.factories import make_tenant, make_tier
from tests.lifecycle.test_migration_data import (
    _env,
    credentials,
    insert,
    phase,
    rows,
    write_app_data,
)
from tests.lifecycle.test_migrations import FORWARD, wait_migration
from tests.live import Api
from tests.provisioning.stack_env import wait_status

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Settings]]:
    yield from _env(tmp_path_factory.mktemp("stacks"), 0)


def hop(api: Api, tenant_id: str, model: str, expected_rows: int) -> dict[str, Any]:
    """Move the tenant to `model` (same tier) and check what the hop recorded."""
    started = api.ok(
        "POST", f"/v1/tenants/{tenant_id}/migrations", 202, json={"isolation_model": model}
    )
    done = wait_migration(api, started["id"], "completed")
    assert [p["name"] for p in done["phases"]] == FORWARD
    assert [p["status"] for p in done["phases"]] == ["succeeded"] * len(FORWARD)
    copy, cut = phase(done, "copy")["detail"], phase(done, "cutover")["detail"]
    assert copy["verified"] and copy["tables"]["orders"]["rows"] == expected_rows
    # Counts and checksums again in the freeze: nothing was written between copy and cutover.
    assert cut["copy"]["verified"] and cut["copy"]["tables"] == copy["tables"]
    assert isinstance(cut["write_freeze_ms"], int) and cut["write_freeze_ms"] >= 0
    assert cut["switched_to"] == model
    final = phase(done, "decommission")["detail"]["final_snapshot_id"]
    snap = api.ok("GET", f"/v1/tenants/{tenant_id}/snapshots/{final}")
    assert (snap["kind"], snap["status"]) == ("final", "completed")
    after = wait_status(api, tenant_id, "active")
    assert after["isolation_model"] == model
    return after


def gone(old: dict[str, Any]) -> bool:
    """The side the tenant left refuses its old credentials (its objects were dropped)."""
    try:
        rows(old)
    except Exception as error:  # psycopg.OperationalError: role or database does not exist
        return "does not exist" in str(error) or "authentication failed" in str(error)
    return False


def test_pooled_bridge_silo_pooled_with_the_data(env: tuple[Api, Settings]) -> None:
    api, _settings = env
    tier = make_tier(
        api,
        default_isolation="pooled",
        allowed_isolation=["pooled", "bridge", "silo"],
        pool_capacity=4,
    )
    tenant = wait_status(api, make_tenant(api, tier["key"])["id"], "active")
    pool_id = tenant["pool_id"]
    pooled = credentials(api, tenant["id"])
    write_app_data(pooled)
    expected = rows(pooled)

    # pooled -> bridge: the tenant stays in its pool (shared compute), its data gets its own
    # database on the pool's server.
    on_bridge = hop(api, tenant["id"], "bridge", 500)
    assert on_bridge["pool_id"] == pool_id
    assert api.ok("GET", f"/v1/pools/{pool_id}")["members"] == 1
    stacks = api.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"]
    assert [(s["kind"], s["status"]) for s in stacks] == [("bridge-data", "applied")]
    bridge = credentials(api, tenant["id"])
    assert bridge["schema"] is None and bridge["database"] != pooled["database"]
    assert rows(bridge) == expected
    assert gone(pooled), "the pooled schema and its logins were dropped at decommission"
    insert(bridge, "written on the bridge")
    expected = rows(bridge)

    # bridge -> silo: it leaves the pool.
    on_silo = hop(api, tenant["id"], "silo", 501)
    assert on_silo["pool_id"] is None
    silo = credentials(api, tenant["id"])
    assert rows(silo) == expected and silo["database"] != bridge["database"]
    assert gone(bridge)
    insert(silo, "written on the silo")
    expected = rows(silo)

    # silo -> pooled: back into a pool of its tier group (its old one has room).
    back = hop(api, tenant["id"], "pooled", 502)
    assert back["pool_id"] == pool_id
    stacks = api.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"]
    assert all(s["status"] == "destroyed" for s in stacks), stacks
    again = credentials(api, tenant["id"])
    assert again["schema"] is not None and rows(again) == expected
    assert gone(silo)
    insert(again, "the sequence moved too")
    assert rows(again)[-1][0] == 503
