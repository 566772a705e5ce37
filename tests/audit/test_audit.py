from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest

from paybill_control_plane.db.embedded import to_libpq_url
from tests.db import create_database, drop_database
from tests.factories import make_tier
from tests.live import Api


def test_writes_are_audited_with_actor_and_request_id(admin: Api) -> None:
    tier = make_tier(admin)
    response = admin.post(
        "/v1/tenants",
        headers={"X-Request-ID": "req-audit-1"},
        json={
            "slug": f"audit-{tier['key'][-8:]}",
            "name": "Audited",
            "tier": tier["key"],
            "cloud": "local",
            "region": "local-1",
        },
    )
    assert response.status_code == 201 and response.headers["X-Request-ID"] == "req-audit-1"
    tenant = response.json()
    admin.ok("POST", f"/v1/tenants/{tenant['id']}/deprovision", 202)
    events = admin.ok("GET", "/v1/audit-events", params={"tenant_id": tenant["id"]})["items"]
    actions = [e["action"] for e in events]
    assert actions[0] == "tenant.created" and "tenant.deprovision" in actions
    created = events[0]
    assert created["request_id"] == "req-audit-1"
    assert created["actor"].startswith("apikey:") and created["before"] is None
    assert created["after"]["slug"] == tenant["slug"]
    transition = next(e for e in events if e["action"] == "tenant.deprovision")
    assert transition["before"]["status"] == tenant["status"]
    assert transition["after"]["status"] == "deprovisioning"
    by_action = admin.ok(
        "GET", "/v1/audit-events", params={"action": "tier.created", "limit": 200}
    )["items"]
    assert any(e["target_id"] == tier["key"] for e in by_action)
    by_actor = admin.ok("GET", "/v1/audit-events", params={"actor": created["actor"], "limit": 1})
    assert len(by_actor["items"]) == 1 and by_actor["next_cursor"]
    nxt = admin.ok(
        "GET",
        "/v1/audit-events",
        params={"actor": created["actor"], "limit": 1, "cursor": by_actor["next_cursor"]},
    )
    assert nxt["items"][0]["seq"] > by_actor["items"][0]["seq"]


@pytest.fixture
def own_database() -> Iterator[str]:
    url = create_database("audit")
    yield url
    drop_database(url)


def paybill(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAYBILL_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "paybill_control_plane.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_audit_verify_detects_alteration_and_removal(own_database: str) -> None:
    applied = paybill(own_database, "catalog", "apply", "examples/catalog.yaml")
    assert applied.returncode == 0, applied.stderr
    ok = paybill(own_database, "audit", "verify")
    assert ok.returncode == 0 and "13 events verified" in ok.stdout, ok.stdout + ok.stderr

    with psycopg.connect(to_libpq_url(own_database), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
        # An attacker with owner rights can switch the trigger off; the chain still tells.
        conn.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        conn.execute(
            "UPDATE audit_events SET after = jsonb_set(after, '{name}', '\"Evil\"') WHERE seq = 4"
        )
    altered = paybill(own_database, "audit", "verify")
    assert altered.returncode == 1
    assert "first bad row seq=4" in altered.stderr and "altered" in altered.stderr

    with psycopg.connect(to_libpq_url(own_database), autocommit=True) as conn:
        conn.execute("DELETE FROM audit_events WHERE seq = 4")
    removed = paybill(own_database, "audit", "verify")
    assert (
        removed.returncode == 1
        and "first bad row seq=5" in removed.stderr
        and "removed" in removed.stderr
    )
