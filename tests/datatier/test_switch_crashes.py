"""A worker killed (-9) in the middle of a restore's switch: the restore stays `switching`, the
tenant keeps its data until the swap, and the next worker (stalled-job recovery) finishes it.
The test holds table locks so the worker is stopped exactly where it should be killed: in the
pooled switch's stage (pg_dump of the restored schema) and in its swap transaction."""

from __future__ import annotations

import signal
import subprocess
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.datatier.switch_pooled import staged_schema_name
from tests.datatier.snapshot_helpers import count, in_dir, restore, take, tenant_with_data
from tests.datatier.test_snapshot_crashes import _stop, _waiting_backends, _worker, env
from tests.live import Api
from tests.provisioning.stack_env import wait_for

pytestmark = pytest.mark.slow

__all__ = ["env"]


def _switched(api: Api, path: str) -> dict[str, Any] | None:
    found = api.ok("GET", path)
    return found if found["status"] != "switching" else None


def _lap(
    api: Api, settings: Settings, url: str, tmp_path: Path, lap: str,
    tenant: dict[str, Any], creds: dict[str, Any], workers: list[subprocess.Popen[bytes]],
) -> None:  # fmt: skip
    """Snapshot, restore, diverge, ask for the switch, kill its worker at `lap`, finish it."""
    data_dir = tmp_path / "data"
    local = in_dir(settings, data_dir)
    base = f"/v1/tenants/{tenant['id']}"
    db = api.ok("GET", f"{base}/database")
    server = local_data_server(settings, url)
    snap = api.ok("POST", f"{base}/snapshots", 202)
    assert take(local, url, snap["id"]) == "completed"
    job = api.ok("POST", f"{base}/snapshots/{snap['id']}/restore", 202)
    assert restore(local, url, job["id"]) == "completed"
    with psycopg.connect(server.admin_dsn, dbname=db["database"], autocommit=True) as c:
        c.execute(f'DELETE FROM "{db["schema"]}".orders WHERE id > 250')  # diverges
    if lap == "stage":  # pg_dump of the staged schema waits in the scratch database
        where, table, waiting = job["target_database"], f'"{db["schema"]}".orders', "SELECT"
    else:  # the swap waits to give the replaced tables away
        where, table, waiting = db["database"], f'"{db["schema"]}".visits', "ALTER"
    path = f"{base}/restores/{job['id']}"
    with psycopg.connect(server.admin_dsn, dbname=where) as lock:
        if lap == "stage":  # held on the table, whatever its schema is renamed to
            lock.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        else:
            lock.execute(f"SELECT 1 FROM {table} LIMIT 1")  # ACCESS SHARE
        assert api.ok("POST", f"{path}/switch", 202)["status"] == "switching"
        first = _worker(url, data_dir, f"{lap}1")
        workers.append(first)
        wait_for(lambda: _waiting_backends(server.admin_dsn, where, waiting), timeout=90)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        cut = api.ok("GET", path)
        assert cut["status"] == "switching" and cut["attempt"] == 2, cut
        running = [s["name"] for s in cut["steps"] if s["status"] == "running"]
        assert running == ["stage" if lap == "stage" else "switch"]
        lock.rollback()
    assert count(creds, "orders") == 250  # the tenant still has its own data
    if lap == "stage":  # the cut-off attempt had renamed the restored schema
        staged = staged_schema_name(db["schema"], uuid.UUID(job["id"]))
        with psycopg.connect(server.admin_dsn, dbname=where) as c:
            found = c.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (staged,))
            assert found.fetchone() == (1,)
    second = _worker(url, data_dir, f"{lap}2")
    workers.append(second)
    done = wait_for(lambda: _switched(api, path), timeout=120)
    assert done["status"] == "switched" and done["attempt"] == 3, done["error"]
    assert count(creds, "orders") == 300  # the snapshot's data, by the tenant's role
    second.terminate()
    second.wait(timeout=15)


def test_kill_9_mid_pooled_switch(env: tuple[Api, Settings, str], tmp_path: Path) -> None:
    api, settings, url = env
    tenant, creds = tenant_with_data(api, settings, url, "pooled")
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for lap in ("stage", "swap"):
            _lap(api, settings, url, tmp_path, lap, tenant, creds, workers)
    finally:
        _stop(*workers)
