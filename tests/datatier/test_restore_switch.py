"""POST …/restores/{restore_id}/switch: the tenant's application reaches the restored data, in the
three isolation models; the switch is a job whose cut-off attempt the next one finishes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.db.embedded import to_libpq_url
from tests.datatier.helpers import connect_as, purge
from tests.datatier.snapshot_helpers import count, in_dir, restore, switch, take, tenant_with_data
from tests.live import Api


@pytest.fixture(scope="module", autouse=True)
def _purged(settings: Settings, database_url: str) -> Iterator[None]:
    yield
    purge(settings, database_url)


def _audit(url: str, target_id: str, action: str) -> list[dict[str, object]]:
    with psycopg.connect(to_libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT after FROM audit_events WHERE target_id = %s AND action = %s",
            (target_id, action),
        ).fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize("model", ["bridge", "silo"])
def test_switch_points_the_tenant_at_the_restored_database(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path, model: str
) -> None:
    local = in_dir(settings, tmp_path)
    tenant, creds = tenant_with_data(admin, settings, database_url, model)
    with connect_as(creds, creds["password"]) as conn:
        conn.execute("CREATE TABLE counters (id serial PRIMARY KEY, n int)")
        conn.execute("INSERT INTO counters (n) VALUES (1), (2)")
    base = f"/v1/tenants/{tenant['id']}"
    snap = admin.ok("POST", f"{base}/snapshots", 202)
    assert take(local, database_url, snap["id"]) == "completed"
    job = admin.ok("POST", f"{base}/snapshots/{snap['id']}/restore", 202)
    switch_url = f"{base}/restores/{job['id']}/switch"
    early = admin.post(switch_url)  # pending: not completed yet
    assert early.status_code == 409 and early.json()["type"].endswith("/restore-not-switchable")
    assert restore(local, database_url, job["id"]) == "completed"

    # The application carries on after the snapshot: these changes are what the switch undoes.
    with connect_as(creds, creds["password"]) as conn:
        conn.execute("DELETE FROM orders WHERE id <= 100")
        conn.execute("CREATE TABLE scratch (x int)")
    assert count(creds, "orders") == 200

    asked = admin.ok("POST", switch_url, 202)
    assert asked["status"] == "switching"
    assert admin.ok("POST", switch_url, 202)["status"] == "switching"  # asked again: as it is
    assert switch(local, database_url, job["id"]) == "switched"
    switched = admin.ok("GET", f"{base}/restores/{job['id']}")
    assert switched["status"] == "switched" and switched["error"] is None
    step = switched["steps"][-1]
    db = admin.ok("GET", f"{base}/database")
    kept = f"{db['database'][: 63 - 12]}_o{job['id'].replace('-', '')[:10]}"
    assert step["name"] == "switch" and step["detail"].endswith(f"kept as {kept}")
    [event] = _audit(database_url, job["id"], "snapshot.restore_switched")
    assert event["kept_database"] == kept and event["database"] == db["database"]
    assert event["schema_version"] == {"before": 0, "after": 0}  # no tenant migrations ledger

    # Same connection details and credentials: the restored data, owned by the tenant's roles.
    assert db["status"] == "available" and db["database"] == creds["database"]
    assert count(creds, "orders") == 300
    with connect_as(creds, creds["password"]) as conn:
        assert conn.execute("SELECT to_regclass('scratch')").fetchone() == (None,)
        conn.execute("INSERT INTO orders VALUES (1000, 1, 'after the switch')")
        conn.execute("INSERT INTO counters (n) VALUES (3)")  # its sequence is the tenant's too
        conn.execute("CREATE TABLE later (x int)")
        assert conn.execute("SELECT max(id) FROM counters").fetchone() == (3,)
    # After a rotation, the other login reaches the same tables.
    other = admin.ok("POST", f"{base}/database/credentials")
    assert count(other, "orders") == 301 and count(other, "later") == 0
    # The replaced database is kept for the operator, closed to the tenant's roles.
    with pytest.raises(psycopg.OperationalError):
        connect_as(other, other["password"], database=kept)
    server = local_data_server(settings, database_url)
    with psycopg.connect(server.admin_dsn, dbname=kept, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM orders").fetchone() == (200,)
        assert conn.execute("SELECT to_regclass('scratch')").fetchone() is not None

    again = admin.post(switch_url)
    assert again.status_code == 409 and again.json()["type"].endswith("/restore-already-switched")


def test_in_place_restores_cannot_be_switched(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    local = in_dir(settings, tmp_path)
    tenant, _ = tenant_with_data(admin, settings, database_url, "bridge", rows=5)
    base = f"/v1/tenants/{tenant['id']}"
    snap = admin.ok("POST", f"{base}/snapshots", 202)
    assert take(local, database_url, snap["id"]) == "completed"
    in_place = admin.ok(
        "POST", f"{base}/snapshots/{snap['id']}/restore", 202, json={"mode": "in_place"}
    )
    assert restore(local, database_url, in_place["id"]) == "completed"
    refused = admin.post(f"{base}/restores/{in_place['id']}/switch")
    assert refused.status_code == 409 and refused.json()["type"].endswith("/restore-not-switchable")
    missing = admin.post(f"{base}/restores/{snap['id']}/switch")
    assert missing.status_code == 404
