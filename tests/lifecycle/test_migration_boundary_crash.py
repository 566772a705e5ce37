"""A worker killed with SIGKILL at the two phase boundaries the other crash tests do not reach:
while the `plan` phase's job holds (it waits for the migration row), and while the migration
sits in `hold` (its decommission job scheduled for later). Another worker finishes the
migration, each phase entered once."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from tests.conftest import create_key_sync
from tests.db import create_database, drop_database
from tests.factories import make_tenant, make_tier
from tests.lifecycle.test_migration_crash import FORWARD, _worker
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import wait_for, wait_status

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@contextmanager
def _migration_row_locked(url: str, migration_id: str) -> Iterator[None]:
    """Hold the migration row as a rollback request would: the phase job waits for it."""
    with psycopg.connect(_libpq(url)) as conn:
        conn.execute("SELECT 1 FROM tenant_migrations WHERE id = %s FOR UPDATE", [migration_id])
        yield


def _plan_job_waiting(url: str, migration_id: str) -> bool:
    """The plan phase's job is taken (`doing`) and its session waits for a lock."""
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        doing = conn.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing' "
            "AND args->>'migration_id' = %s",
            [migration_id],
        ).fetchone()
        waiting = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE '%%tenant_migrations%%'"
        ).fetchone()
    return bool(doing and doing[0]) and bool(waiting and waiting[0])


def _stop(*procs: subprocess.Popen[bytes] | None) -> None:
    for proc in procs:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=15)


def _finished(api: Api, migration_id: str) -> dict[str, Any]:
    def completed() -> dict[str, Any] | None:
        m = api.ok("GET", f"/v1/migrations/{migration_id}")
        assert m["status"] != "failed", m
        return m if m["status"] == "completed" else None

    done: dict[str, Any] = wait_for(completed, timeout=240)
    return done


def _entered_once(api: Api, tenant_id: str, done: dict[str, Any]) -> None:
    assert [p["name"] for p in done["phases"]] == FORWARD
    assert all(p["status"] == "succeeded" for p in done["phases"]), done["phases"]
    events = api.ok(
        "GET",
        "/v1/audit-events",
        params={"tenant_id": tenant_id, "action": "migration.phase_changed"},
    )["items"]
    assert len(events) == len(FORWARD), "each phase change recorded once"
    after = api.ok("GET", f"/v1/tenants/{tenant_id}")
    assert (after["isolation_model"], after["pool_id"], after["status"]) == (
        "silo",
        None,
        "active",
    )


@pytest.mark.parametrize("boundary", ["plan", "hold"])
def test_kill_9_at_a_phase_boundary_resumes(tmp_path: Path, boundary: str) -> None:
    url = create_database("migbound")
    settings = Settings(
        database_url=url, data_dir=tmp_path / "api", embedded_worker=False, migrations_enabled=True
    )
    server = LiveServer(create_app(settings)).start()
    hold = 0.003 if boundary == "hold" else 0  # about 11 s of hold
    first = _worker(url, tmp_path / "w1", "w1", hold_hours=hold)
    second = third = None
    try:
        with Api(server.url, create_key_sync(url, "admin")) as api:
            basic = make_tier(api, default_isolation="pooled", allowed_isolation=["pooled"])
            enterprise = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
            tenant = wait_status(api, make_tenant(api, basic["key"])["id"], "active", timeout=120)

            if boundary == "plan":
                # No worker while the migration starts, so its plan job is still queued.
                first.send_signal(signal.SIGKILL)
                first.wait(timeout=10)
                migration = api.ok(
                    "POST",
                    f"/v1/tenants/{tenant['id']}/migrations",
                    202,
                    json={"tier": enterprise["key"]},
                )
                with _migration_row_locked(url, migration["id"]):
                    second = _worker(url, tmp_path / "w2", "w2", hold_hours=hold)
                    wait_for(lambda: _plan_job_waiting(url, migration["id"]), timeout=60)
                    second.send_signal(signal.SIGKILL)
                    second.wait(timeout=10)
                m = api.ok("GET", f"/v1/migrations/{migration['id']}")
                assert (m["phase"], m["status"]) == ("plan", "running")
                third = _worker(url, tmp_path / "w3", "w3", hold_hours=hold)
            else:
                migration = api.ok(
                    "POST",
                    f"/v1/tenants/{tenant['id']}/migrations",
                    202,
                    json={"tier": enterprise["key"]},
                )
                wait_for(
                    lambda: (
                        api.ok("GET", f"/v1/migrations/{migration['id']}")["status"] == "holding"
                    ),
                    timeout=180,
                )
                first.send_signal(signal.SIGKILL)
                first.wait(timeout=10)
                second = _worker(url, tmp_path / "w2", "w2", hold_hours=hold)

            done = _finished(api, migration["id"])
            _entered_once(api, tenant["id"], done)
    finally:
        _stop(first, second, third)
        server.stop()
        drop_database(url)
