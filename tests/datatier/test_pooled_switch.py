"""The switch of a pooled tenant: the restored schema replaces its schema in the pool's database,
verified by row counts and checksums; the neighbour in the pool is untouched; the replaced schema
is kept, closed to the tenant; a switch cut off midway (bridge or pooled) is finished."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.fingerprint import TableFingerprint, table_fingerprints
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.datatier.switch_pooled import kept_schema_name, staged_schema_name
from paybill_control_plane.datatier.switch_runner import kept_database_name
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.db.embedded import to_libpq_url
from tests.datatier.helpers import connect_as, purge
from tests.datatier.snapshot_helpers import count, in_dir, restore, switch, take, tenant_with_data
from tests.factories import make_tier
from tests.live import Api


@pytest.fixture(scope="module", autouse=True)
def _purged(settings: Settings, database_url: str) -> Iterator[None]:
    yield
    purge(settings, database_url)


def _audit(url: str, target_id: str, action: str) -> list[dict[str, Any]]:
    with psycopg.connect(to_libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT after FROM audit_events WHERE target_id = %s AND action = %s ORDER BY seq",
            (target_id, action),
        ).fetchall()
    return [r[0] for r in rows]


def _prints(admin_dsn: str, database: str, schema: str) -> dict[str, TableFingerprint]:
    found = asyncio.run(table_fingerprints(DatabaseTarget(admin_dsn, database, schema)))
    return {k.split(".", 1)[1]: v for k, v in found.items()}


def _snapshot_prints(snap: dict[str, Any]) -> dict[str, TableFingerprint]:
    return {k.split(".", 1)[1]: TableFingerprint.from_json(v) for k, v in snap["tables"].items()}


def _restored(
    admin: Api,
    settings: Settings,
    url: str,
    tmp_path: Path,
    model: str,
    tier: dict[str, Any] | None = None,
) -> tuple[Settings, dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A tenant with data, a completed snapshot of it and a completed `new_database` restore;
    then the application deletes rows and makes a table (what the switch undoes)."""
    local = in_dir(settings, tmp_path)
    tenant, creds = tenant_with_data(admin, settings, url, model, tier=tier)
    base = f"/v1/tenants/{tenant['id']}"
    snap = admin.ok("POST", f"{base}/snapshots", 202)
    assert take(local, url, snap["id"]) == "completed"
    job = admin.ok("POST", f"{base}/snapshots/{snap['id']}/restore", 202)
    assert restore(local, url, job["id"]) == "completed"
    with connect_as(creds, creds["password"]) as conn:
        conn.execute("DELETE FROM orders WHERE id <= 100")
        conn.execute("CREATE TABLE scratch (x int)")
    return local, tenant, creds, admin.ok("GET", f"{base}/snapshots/{snap['id']}"), job


def test_pooled_switch_swaps_the_restored_schema_in(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    tier = make_tier(admin, default_isolation="pooled", allowed_isolation=["pooled"])
    neighbour, n_creds = tenant_with_data(
        admin, settings, database_url, "pooled", rows=7, tier=tier
    )
    local, tenant, creds, snap, job = _restored(
        admin, settings, database_url, tmp_path, "pooled", tier
    )
    assert neighbour["pool_id"] == tenant["pool_id"]  # the same pool database
    base = f"/v1/tenants/{tenant['id']}"
    db = admin.ok("GET", f"{base}/database")
    schema, pool_db = db["schema"], db["database"]
    assert count(creds, "orders") == 200

    asked = admin.ok("POST", f"{base}/restores/{job['id']}/switch", 202)
    assert asked["status"] == "switching"
    again = admin.post(f"{base}/snapshots/{snap['id']}/restore")
    assert again.status_code == 409 and again.json()["type"].endswith("/restore-in-progress")
    assert switch(local, database_url, job["id"]) == "switched"
    done = admin.ok("GET", f"{base}/restores/{job['id']}")
    rid = uuid.UUID(job["id"])
    kept = kept_schema_name(schema, rid)
    assert done["status"] == "switched" and done["error"] is None, done
    assert [s["name"] for s in done["steps"] if s["attempt"] == 2] == ["stage", "switch"]
    assert done["steps"][-1]["detail"].endswith(f"kept as {kept}")
    [event] = _audit(database_url, job["id"], "snapshot.restore_switched")
    assert event["schema"] == schema and event["kept_schema"] == kept
    assert event["schema_version"] == {"before": 0, "after": 0}
    requested = _audit(database_url, job["id"], "snapshot.restore_switch_requested")
    assert [e["status"] for e in requested] == ["switching"]

    # Counts and checksums of the tenant's live schema are the snapshot's.
    server = local_data_server(settings, database_url)
    assert _prints(server.admin_dsn, pool_db, schema) == _snapshot_prints(snap)
    # Same connection details and credentials: the tenant's role reads the restored data.
    assert admin.ok("GET", f"{base}/database") == db
    assert count(creds, "orders") == 300
    with connect_as(creds, creds["password"]) as conn:
        assert conn.execute("SELECT to_regclass('scratch')").fetchone() == (None,)
        conn.execute("INSERT INTO orders VALUES (1000, 1, 'after the switch')")
        conn.execute("CREATE TABLE later (id serial PRIMARY KEY)")
        conn.execute("INSERT INTO later DEFAULT VALUES")
        # The replaced schema is kept, closed to the tenant's roles.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f'SELECT count(*) FROM "{kept}".orders')
    other = admin.ok("POST", f"{base}/database/credentials")  # the other login: same tables
    assert count(other, "orders") == 301 and count(other, "later") == 1
    with psycopg.connect(server.admin_dsn, dbname=pool_db, autocommit=True) as conn:
        assert conn.execute(f'SELECT count(*) FROM "{kept}".orders').fetchone() == (200,)
        assert conn.execute(f"SELECT to_regclass('\"{kept}\".scratch')").fetchone() != (None,)
        staged = staged_schema_name(schema, rid)
        assert (
            conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (staged,)).fetchone()
            is None
        )
        owners = conn.execute(
            "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
            (schema,),
        ).fetchall()
        assert owners == [(db_owner(conn, creds["username"]),)]
    with psycopg.connect(server.admin_dsn, autocommit=True) as conn:  # the scratch database
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (job["target_database"],)
        ).fetchone()
    assert found is None
    assert count(n_creds, "orders") == 7  # the neighbour's data is untouched
    assert admin.post(f"{base}/restores/{job['id']}/switch").status_code == 409


def db_owner(conn: psycopg.Connection[Any], login: str) -> str:
    """The owner role a tenant login is a member of."""
    row = conn.execute(
        "SELECT o.rolname FROM pg_auth_members m JOIN pg_roles o ON o.oid = m.roleid "
        "JOIN pg_roles l ON l.oid = m.member WHERE l.rolname = %s",
        (login,),
    ).fetchone()
    assert row is not None
    return str(row[0])


def _set_switching(url: str, restore_id: str, attempt: int) -> None:
    """What a worker killed mid-switch leaves: the restore `switching` at its attempt."""
    with psycopg.connect(to_libpq_url(url), autocommit=True) as conn:
        conn.execute(
            "UPDATE snapshot_restores SET status = 'switching', attempt = %s WHERE id = %s",
            (attempt, restore_id),
        )


def test_a_pooled_switch_cut_off_mid_stage_is_finished(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    local, tenant, creds, snap, job = _restored(admin, settings, database_url, tmp_path, "pooled")
    base = f"/v1/tenants/{tenant['id']}"
    db = admin.ok("GET", f"{base}/database")
    schema, pool_db, rid = db["schema"], db["database"], uuid.UUID(job["id"])
    staged = staged_schema_name(schema, rid)
    server = local_data_server(settings, database_url)
    # Cut off mid-stage: renamed in the scratch database, half-restored in the pool's.
    with psycopg.connect(server.admin_dsn, dbname=job["target_database"], autocommit=True) as c:
        c.execute(f'ALTER SCHEMA "{schema}" RENAME TO "{staged}"')
    with psycopg.connect(server.admin_dsn, dbname=pool_db, autocommit=True) as c:
        c.execute(f'CREATE SCHEMA "{staged}"')
        c.execute(f'CREATE TABLE "{staged}".half (x int)')
    _set_switching(database_url, job["id"], 2)
    assert count(creds, "orders") == 200  # nothing swapped yet
    assert switch(local, database_url, job["id"]) == "switched"
    done = admin.ok("GET", f"{base}/restores/{job['id']}")
    assert done["attempt"] == 3 and done["status"] == "switched"
    assert count(creds, "orders") == 300
    assert _prints(server.admin_dsn, pool_db, schema) == _snapshot_prints(snap)
    with psycopg.connect(server.admin_dsn, dbname=pool_db) as c:
        assert c.execute(f"SELECT to_regclass('\"{schema}\".half')").fetchone() == (None,)


def test_a_switch_cut_off_after_the_swap_or_the_rename_is_finished(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    # Pooled, cut off after the swap committed (before the scratch database was dropped and the
    # restore recorded): the next attempt recognises the swap and does not redo it.
    local, tenant, creds, _, job = _restored(
        admin, settings, database_url, tmp_path / "p", "pooled"
    )
    assert switch(local, database_url, _ask(admin, tenant, job)) == "switched"
    _set_switching(database_url, job["id"], 5)
    assert switch(local, database_url, job["id"]) == "switched"
    assert count(creds, "orders") == 300
    events = _audit(database_url, job["id"], "snapshot.restore_switched")
    assert len(events) == 2 and events[1]["kept_schema"] == events[0]["kept_schema"]

    # Bridge, cut off after the tenant's database was renamed aside (kept), before the restored
    # one took its name: the tenant has no database until the next attempt finishes.
    local, tenant, creds, _, job = _restored(
        admin, settings, database_url, tmp_path / "b", "bridge"
    )
    db = admin.ok("GET", f"/v1/tenants/{tenant['id']}/database")
    kept = kept_database_name(db["database"], uuid.UUID(job["id"]))
    server = local_data_server(settings, database_url)
    _ask(admin, tenant, job)
    with psycopg.connect(server.admin_dsn, autocommit=True) as c:
        c.execute(f'ALTER DATABASE "{db["database"]}" RENAME TO "{kept}"')
    with pytest.raises(psycopg.OperationalError):
        count(creds, "orders")
    assert switch(local, database_url, job["id"]) == "switched"
    assert count(creds, "orders") == 300
    with psycopg.connect(server.admin_dsn, dbname=kept) as c:
        assert c.execute("SELECT count(*) FROM orders").fetchone() == (200,)


def _ask(admin: Api, tenant: dict[str, Any], job: dict[str, Any]) -> str:
    asked = admin.ok("POST", f"/v1/tenants/{tenant['id']}/restores/{job['id']}/switch", 202)
    assert asked["status"] == "switching"
    return str(job["id"])


def test_a_failed_switch_goes_back_to_completed_with_the_error(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    local, tenant, creds, _, job = _restored(admin, settings, database_url, tmp_path, "pooled")
    server = local_data_server(settings, database_url)
    with psycopg.connect(server.admin_dsn, autocommit=True) as conn:  # the restored data is lost
        conn.execute(f'DROP DATABASE "{job["target_database"]}" WITH (FORCE)')
    _ask(admin, tenant, job)
    assert switch(local, database_url, job["id"]) == "completed"
    failed = admin.ok("GET", f"/v1/tenants/{tenant['id']}/restores/{job['id']}")
    assert failed["status"] == "completed" and failed["error"].startswith("switch failed: ")
    assert [s["status"] for s in failed["steps"] if s["name"] == "stage"] == ["failed"]
    [event] = _audit(database_url, job["id"], "snapshot.restore_switch_failed")
    assert event["status"] == "completed" and event["error"] == failed["error"]
    assert count(creds, "orders") == 200  # the tenant's own data, untouched
    assert _ask(admin, tenant, job) == job["id"]  # asking again queues it again
