"""Snapshots and restores through the API, their jobs run as a worker runs them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.fingerprint import fingerprints_from_json, table_fingerprints
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.db.embedded import to_libpq_url
from tests.cli.helpers import paybill
from tests.datatier.helpers import connect_as, purge, tenant_in
from tests.datatier.snapshot_helpers import count, in_dir, restore, take, tenant_with_data
from tests.live import Api


@pytest.fixture(scope="module", autouse=True)
def _purged(settings: Settings, database_url: str) -> Iterator[None]:
    yield
    purge(settings, database_url)


def actions(url: str, target_id: str) -> list[str]:
    with psycopg.connect(to_libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT action FROM audit_events WHERE target_id = %s ORDER BY occurred_at",
            (target_id,),
        ).fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize("model", ["pooled", "bridge", "silo"])
def test_snapshot_then_restore_new_database_and_in_place(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path, model: str
) -> None:
    local = in_dir(settings, tmp_path)
    tenant, creds = tenant_with_data(admin, settings, database_url, model)
    base = f"/v1/tenants/{tenant['id']}/snapshots"
    pending = admin.ok("POST", base, 202)
    assert pending["status"] == "pending" and pending["kind"] == "on_demand"

    assert take(local, database_url, pending["id"]) == "completed"
    snap = admin.ok("GET", f"{base}/{pending['id']}")
    assert snap["status"] == "completed" and snap["size_bytes"] > 0
    assert len(snap["checksum"]) == 64 and snap["error"] is None
    schema = snap["schema_name"] or "public"
    assert snap["tables"][f"{schema}.orders"]["rows"] == 300
    assert snap["tables"][f"{schema}.visits"]["rows"] == 300
    assert [s["name"] for s in snap["steps"]] == ["dump", "publish"]
    assert all(s["status"] == "succeeded" and s["duration_ms"] >= 0 for s in snap["steps"])
    assert [s["id"] for s in admin.ok("GET", base)["items"]] == [snap["id"]]
    files = [p for p in (tmp_path / "snapshots").rglob("*") if p.is_file()]
    assert [p.name for p in files] == [f"{snap['id']}.dump"]  # no partial file left

    # Into a new database (the default): every table matches the snapshot.
    job = admin.ok("POST", f"{base}/{snap['id']}/restore", 202)
    assert job["mode"] == "new_database" and job["status"] == "pending"
    assert restore(local, database_url, job["id"]) == "completed"
    done = admin.ok("GET", f"/v1/tenants/{tenant['id']}/restores/{job['id']}")
    assert done["status"] == "completed", done["error"]
    assert [s["name"] for s in done["steps"]] == ["fetch", "prepare", "restore", "verify"]
    logs = paybill(database_url, "snapshots", "logs", job["id"])
    assert logs.exit_code == 0 and "verify succeeded" in logs.stdout
    server = local_data_server(settings, database_url)
    copy = DatabaseTarget(server.admin_dsn, done["target_database"], snap["schema_name"])
    restored = asyncio.run(table_fingerprints(copy))
    assert restored == fingerprints_from_json(snap["tables"])

    # In place: the application's later changes are undone, after a pre-restore snapshot.
    with connect_as(creds, creds["password"]) as conn:
        conn.execute("DELETE FROM orders WHERE id <= 100")
        conn.execute("CREATE TABLE scratch (x int)")
    assert count(creds, "orders") == 200
    job = admin.ok("POST", f"{base}/{snap['id']}/restore", 202, json={"mode": "in_place"})
    assert restore(local, database_url, job["id"]) == "completed"
    done = admin.ok("GET", f"/v1/tenants/{tenant['id']}/restores/{job['id']}")
    assert done["status"] == "completed", done["error"]
    assert count(creds, "orders") == 300  # the application's own login still reads its data
    pre = admin.ok("GET", f"{base}/{done['pre_restore_snapshot_id']}")
    assert pre["kind"] == "pre_restore" and pre["status"] == "completed"
    assert pre["tables"][f"{schema}.orders"]["rows"] == 200
    assert actions(database_url, snap["id"]) == [
        "snapshot.requested",
        "snapshot.started",
        "snapshot.completed",
    ]
    assert actions(database_url, job["id"]) == [
        "snapshot.restore_requested",
        "snapshot.restore_started",
        "snapshot.restored",
    ]


def test_bad_requests_are_clear_problems(
    admin: Api, client_for: object, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    bare = tenant_in(admin, "silo")  # never provisioned: no data tier
    refused = admin.post(f"/v1/tenants/{bare['id']}/snapshots")
    assert refused.status_code == 409 and refused.json()["type"].endswith("/no-data-tier")

    tenant, _ = tenant_with_data(admin, settings, database_url, "pooled", rows=10)
    other, _ = tenant_with_data(admin, settings, database_url, "pooled", rows=10)
    base = f"/v1/tenants/{tenant['id']}/snapshots"
    snap = admin.ok("POST", base, 202)
    early = admin.post(f"{base}/{snap['id']}/restore")
    assert early.status_code == 409 and early.json()["type"].endswith("/snapshot-not-completed")
    assert take(in_dir(settings, tmp_path), database_url, snap["id"]) == "completed"
    stolen = admin.post(f"/v1/tenants/{other['id']}/snapshots/{snap['id']}/restore")
    assert stolen.status_code == 404 and stolen.json()["type"].endswith("/snapshot-not-found")
    admin.ok("POST", f"{base}/{snap['id']}/restore", 202)
    again = admin.post(f"{base}/{snap['id']}/restore", json={"mode": "in_place"})
    assert again.status_code == 409 and again.json()["type"].endswith("/restore-in-progress")
    bad_mode = admin.post(f"{base}/{snap['id']}/restore", json={"mode": "sideways"})
    assert bad_mode.status_code == 422

    # A tenant key sees its own snapshots only, and cannot take or restore one.
    own = client_for("tenant", tenant["id"])  # type: ignore[operator]
    assert [s["id"] for s in own.ok("GET", base)["items"]] == [snap["id"]]
    assert own.get(f"/v1/tenants/{other['id']}/snapshots").status_code == 404
    assert own.post(base).status_code == 403


def test_a_failed_dump_is_failed_with_its_error_and_no_file(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    tenant, _ = tenant_with_data(admin, settings, database_url, "pooled", rows=10)
    snap = admin.ok("POST", f"/v1/tenants/{tenant['id']}/snapshots", 202)
    # The schema disappears behind the control plane's back: pg_dump finds nothing to dump.
    server = local_data_server(settings, database_url)
    with psycopg.connect(server.admin_dsn, dbname=snap["database"], autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{snap["schema_name"]}" CASCADE')
    assert take(in_dir(settings, tmp_path), database_url, snap["id"]) == "failed"
    failed = admin.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots/{snap['id']}")
    assert failed["status"] == "failed" and "pg_dump exited with 1" in failed["error"]
    assert failed["checksum"] is None and failed["size_bytes"] is None
    assert failed["steps"][0]["name"] == "dump" and failed["steps"][0]["status"] == "failed"
    assert not [p for p in (tmp_path / "snapshots").rglob("*") if p.is_file()]
    assert actions(database_url, snap["id"])[-1] == "snapshot.failed"
    logs = paybill(database_url, "snapshots", "logs", snap["id"])
    assert logs.exit_code == 1
    assert "[attempt 1] dump failed" in logs.stdout and "pg_dump exited with 1" in logs.stdout
    refused = admin.post(f"/v1/tenants/{tenant['id']}/snapshots/{snap['id']}/restore")
    assert refused.status_code == 409
