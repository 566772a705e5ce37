"""Migrations move the tenant's data (real Terraform, real Postgres): the application's rows are
on the target after cutover (counts and checksums recorded, freeze time measured), come back with
silo -> pooled, and a rollback during the hold brings back a row written on the target."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paybill_control_plane.config import Settings
from tests.datatier.helpers import connect_as, purge
from tests.factories import make_tenant
from tests.lifecycle.test_migrations import start, tiers, wait_migration
from tests.live import Api
from tests.provisioning.stack_env import stack_environment, wait_for, wait_status

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


def _env(tmp: Any, hold: float) -> Iterator[tuple[Api, Settings]]:
    with stack_environment(tmp, migration_hold_hours=hold, migration_poll_seconds=0.2) as (
        api,
        settings,
    ):  # migrations are on by default now
        try:
            yield api, settings
        finally:
            assert settings.database_url is not None
            purge(settings, settings.database_url)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    for api, _settings in _env(tmp_path_factory.mktemp("stacks"), 0):
        yield api


@pytest.fixture(scope="module")
def holding_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    for api, _settings in _env(tmp_path_factory.mktemp("stacks"), 1):
        yield api


def credentials(api: Api, tenant_id: str) -> dict[str, Any]:
    return api.ok("POST", f"/v1/tenants/{tenant_id}/database/credentials")  # type: ignore[no-any-return]


def write_app_data(creds: dict[str, Any], rows: int = 500) -> None:
    with connect_as(creds, creds["password"]) as conn:
        conn.execute("CREATE TABLE orders (id serial PRIMARY KEY, total numeric, note text)")
        conn.execute(
            "INSERT INTO orders (total, note) SELECT g * 2.5, 'order ' || g "
            "FROM generate_series(1, %s) g",
            (rows,),
        )


def rows(creds: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connect_as(creds, creds["password"]) as conn:
        return conn.execute("SELECT id, total, note FROM orders ORDER BY id").fetchall()


def insert(creds: dict[str, Any], note: str) -> None:
    with connect_as(creds, creds["password"]) as conn:
        conn.execute("INSERT INTO orders (total, note) VALUES (1, %s)", (note,))


def phase(migration: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [p for p in migration["phases"] if p["name"] == name]
    return found  # type: ignore[no-any-return]


def active_with_data(api: Api, tier: str) -> tuple[dict[str, Any], dict[str, Any]]:
    tenant = wait_status(api, make_tenant(api, tier)["id"], "active")
    creds = credentials(api, tenant["id"])
    write_app_data(creds)
    return tenant, creds


def test_pooled_to_silo_and_back_moves_the_data(api: Api) -> None:
    basic, enterprise = tiers(api)
    tenant, creds = active_with_data(api, basic["key"])
    before = rows(creds)
    plan = api.ok(
        "POST",
        f"/v1/tenants/{tenant['id']}/migrations",
        params={"dry_run": "true"},
        json={"tier": enterprise["key"]},
    )
    assert plan["data"]["estimated_bytes"] > 0

    done = wait_migration(api, start(api, tenant["id"], enterprise["key"])["id"], "completed")
    assert [p["status"] for p in done["phases"]] == ["succeeded"] * 6
    copy, cut = phase(done, "copy")["detail"], phase(done, "cutover")["detail"]
    assert copy["verified"] and copy["tables"]["orders"]["rows"] == 500
    assert copy["dump_bytes"] > 0 and copy["total_ms"] >= 0
    assert cut["copy"]["tables"] == copy["tables"]  # nothing changed meanwhile
    assert copy["captured_tables"] == 1
    assert cut["delta"] == "delta" and cut["copy"]["rows_copied"] == 0  # nothing to copy again
    assert set(cut["freeze_breakdown_ms"]) == {
        "block_and_end_sessions", "copy_and_verify", "switch_and_allow_login"
    }  # fmt: skip
    assert isinstance(cut["write_freeze_ms"], int) and cut["write_freeze_ms"] >= 0
    snapshot_id = phase(done, "decommission")["detail"]["final_snapshot_id"]
    snap = api.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots/{snapshot_id}")
    assert snap["kind"] == "final" and snap["status"] == "completed"
    assert snap["schema_name"] == f"t_{tenant['id'].replace('-', '')}"

    silo = credentials(api, tenant["id"])
    assert silo["database"] != creds["database"] and silo["schema"] is None
    assert rows(silo) == before
    insert(silo, "written on the silo")

    # Rolled back after decommission: the reverse migration, with the data written since.
    reverse = api.ok("POST", f"/v1/migrations/{done['id']}/rollback", 202)
    assert reverse["id"] != done["id"] and reverse["plan"]["rollback_of"] == done["id"]
    assert reverse["plan"]["target"] == {
        "tier": basic["key"], "isolation_model": "pooled", "pool_id": None
    }  # fmt: skip
    back = wait_migration(api, reverse["id"], "completed")
    assert phase(back, "cutover")["detail"]["copy"]["tables"]["orders"]["rows"] == 501
    audit = api.ok("GET", "/v1/audit-events", params={"action": "migration.rollback_requested"})
    assert [e["target_id"] for e in audit["items"] if e["tenant_id"] == tenant["id"]] == [
        done["id"]
    ]
    # The first migration is no longer the tenant's latest: a second rollback is refused.
    again = api.post(f"/v1/migrations/{done['id']}/rollback")
    assert again.status_code == 409 and again.json()["type"].endswith("/migration-state-conflict")
    pooled = credentials(api, tenant["id"])
    assert pooled["schema"] is not None
    assert rows(pooled)[-1][2] == "written on the silo" and rows(pooled)[:-1] == before
    insert(pooled, "the sequence moved too")  # serial continues after 501
    assert rows(pooled)[-1][0] == 502


def test_rollback_during_hold_copies_back_writes_made_on_the_target(holding_api: Api) -> None:
    api = holding_api
    basic, enterprise = tiers(api)
    tenant, creds = active_with_data(api, basic["key"])
    snapshot = api.ok("POST", f"/v1/tenants/{tenant['id']}/snapshots", 202)
    wait_for(
        lambda: (
            api.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots/{snapshot['id']}")["status"]
            == "completed"
        )
    )
    migration = start(api, tenant["id"], enterprise["key"])
    wait_migration(api, migration["id"], "holding")
    refused = api.post(f"/v1/tenants/{tenant['id']}/snapshots/{snapshot['id']}/restore")
    assert refused.status_code == 409 and refused.json()["type"].endswith("/migration-in-progress")
    assert refused.json()["migration_id"] == migration["id"]
    # The source refuses logins since the freeze; the target serves.
    with pytest.raises(Exception, match=r"not permitted to log in|authentication failed"):
        rows(creds)
    silo = credentials(api, tenant["id"])
    insert(silo, "written after cutover")
    # Another member's change re-applies the source pool during the hold: the migrating
    # tenant's source schema is the migration's, so the pool run neither drops it nor lets its
    # frozen logins back in (the rollback below copies back into it).
    neighbour = wait_status(api, make_tenant(api, basic["key"])["id"], "active")
    assert neighbour["pool_id"] == tenant["pool_id"]
    with pytest.raises(Exception, match=r"not permitted to log in|authentication failed"):
        rows(creds)

    api.ok("POST", f"/v1/migrations/{migration['id']}/rollback", 202)
    rolled = wait_migration(api, migration["id"], "rolled_back")
    copied = phase(rolled, "rollback")["detail"]["data"]
    assert copied["copy"]["tables"]["orders"]["rows"] == 501
    # Only the row written on the target came back (the target's change capture since cutover).
    assert copied["delta"] == "delta" and copied["copy"]["changed_keys"] == {"orders": 1}
    assert copied["copy"]["rows_copied"] == 1
    assert copied["write_freeze_ms"] >= 0
    back = wait_status(api, tenant["id"], "active")
    assert back["isolation_model"] == "pooled"
    pooled = credentials(api, tenant["id"])
    assert pooled["database"] == creds["database"] and pooled["schema"] == creds["schema"]
    assert rows(pooled)[-1][2] == "written after cutover" and len(rows(pooled)) == 501
