"""A worker killed with SIGKILL in the middle of a migration phase: another worker resumes it,
and nothing runs twice (one entry per phase, one audit event per phase change, the target
stack applied once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from tests.conftest import create_key_sync
from tests.db import create_database, drop_database
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import runs_of, wait_for, wait_status

pytestmark = [pytest.mark.terraform, pytest.mark.slow]

FORWARD = ["plan", "provision_target", "copy", "cutover", "hold", "decommission"]


def _worker(url: str, data_dir: Path, name: str, hold_hours: float = 0) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_LOCAL_APPLY_DELAY_SECONDS": "4",
        "PAYBILL_STALLED_JOB_SECONDS": "3",
        "PAYBILL_MIGRATION_HOLD_HOURS": str(hold_hours),
        "PAYBILL_MIGRATION_POLL_SECONDS": "0.2",
        "PAYBILL_MIGRATIONS_ENABLED": "true",
        "PAYBILL_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "worker", "--name", name],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("phase", ["provision_target", "decommission"])
def test_kill_9_mid_phase_resumes_and_duplicates_nothing(tmp_path: Path, phase: str) -> None:
    """Killed while the phase's run applies (the target's silo stack; the source pool's stack
    dropping the tenant, a neighbour keeping the pool)."""
    url = create_database("migcrash")
    settings = Settings(
        database_url=url, data_dir=tmp_path / "api", embedded_worker=False, migrations_enabled=True
    )
    server = LiveServer(create_app(settings)).start()
    first = _worker(url, tmp_path / "w1", "w1")
    second = None
    try:
        with Api(server.url, create_key_sync(url, "admin")) as api:
            basic = make_tier(
                api, default_isolation="pooled", allowed_isolation=["pooled"], pool_capacity=4
            )
            enterprise = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
            tenant = wait_status(api, make_tenant(api, basic["key"])["id"], "active", timeout=120)
            neighbour = wait_status(
                api, make_tenant(api, basic["key"])["id"], "active", timeout=120
            )
            migration = api.ok(
                "POST",
                f"/v1/tenants/{tenant['id']}/migrations",
                202,
                json={"tier": enterprise["key"]},
            )

            def applying() -> bool:
                m = api.ok("GET", f"/v1/migrations/{migration['id']}")
                runs = [r for r in runs_of(api, tenant["id"]) if r["kind"] == "migrate"]
                return m["phase"] == phase and any(
                    s["name"] == "apply" and s["status"] == "running"
                    for r in runs
                    for s in r["steps"]
                )

            wait_for(applying, timeout=120, interval=0.1)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            second = _worker(url, tmp_path / "w2", "w2")

            def completed() -> dict[str, Any] | None:
                m = api.ok("GET", f"/v1/migrations/{migration['id']}")
                assert m["status"] != "failed", m
                return m if m["status"] == "completed" else None

            done = wait_for(completed, timeout=180)
            assert [p["name"] for p in done["phases"]] == FORWARD
            events = api.ok(
                "GET",
                "/v1/audit-events",
                params={"tenant_id": tenant["id"], "action": "migration.phase_changed"},
            )["items"]
            assert len(events) == len(FORWARD), "each phase change recorded once"
            [silo] = api.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"]
            assert silo["kind"] == "silo" and silo["status"] == "applied"
            migrate_runs = [r for r in runs_of(api, tenant["id"]) if r["kind"] == "migrate"]
            # One run per phase that has runs (the target's, then the source pool's); the
            # killed one was taken over (attempt 2), none was created twice.
            assert len(migrate_runs) == 2, migrate_runs
            assert all(r["status"] == "succeeded" for r in migrate_runs)
            assert sorted(r["attempt"] for r in migrate_runs) == [1, 2]
            after = api.ok("GET", f"/v1/tenants/{tenant['id']}")
            assert (after["isolation_model"], after["pool_id"]) == ("silo", None)
            assert api.ok("GET", f"/v1/pools/{tenant['pool_id']}")["members"] == 1
            pool = api.ok("GET", "/v1/stacks", params={"pool_id": tenant["pool_id"]})["items"][0]
            assert [t["tenant_id"] for t in pool["variables"]["tenants"]] == [neighbour["id"]]
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=15)
        server.stop()
        drop_database(url)
