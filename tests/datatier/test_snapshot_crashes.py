"""A worker killed (-9) mid-snapshot and mid-restore: nothing half-made is listed as good, and the
next attempt (another worker) finishes the work. Tenants' tables are held locked by the test so
the worker is stopped exactly where it should be killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.db.embedded import to_libpq_url
from tests.conftest import TEST_SECRET_KEY, create_key_sync
from tests.datatier.helpers import purge
from tests.datatier.snapshot_helpers import count, in_dir, restore, take, tenant_with_data
from tests.db import create_database, drop_database
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import wait_for

pytestmark = pytest.mark.slow


def _worker(url: str, data_dir: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_SECRET_KEY": TEST_SECRET_KEY,
        "PAYBILL_STALLED_JOB_SECONDS": "3",
        "PAYBILL_LOG_LEVEL": "warning",
    }
    argv = [sys.executable, "-m", "paybill_control_plane.cli.main", "worker", "--name", name]
    return subprocess.Popen(
        [*argv, "--queue", "snapshots"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(data_dir.parent / f"{name}.log").open("wb"),
    )


@pytest.fixture
def env(tmp_path: Path) -> Iterator[tuple[Api, Settings, str]]:
    url = create_database("snapcrash")
    settings = Settings(
        database_url=url,
        data_dir=tmp_path / "data",
        embedded_worker=False,
        secret_key=TEST_SECRET_KEY,
        allow_insecure_endpoint_hosts=["127.0.0.1"],
    )
    server = LiveServer(create_app(settings)).start()
    try:
        with Api(server.url, create_key_sync(url, "admin")) as api:
            yield api, settings, url
    finally:
        server.stop()
        purge(settings, url)
        drop_database(url)


def _stop(*procs: subprocess.Popen[bytes] | None) -> None:
    for proc in procs:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=15)


def _tool_processes(marker: str) -> list[int]:
    """pg_dump/pg_restore processes whose command line names `marker` (a snapshot's id)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if (
            argv
            and argv[0].endswith((b"pg_dump", b"pg_restore"))
            and marker.encode() in b" ".join(argv)
        ):
            found.append(int(proc.name))
    return found


def _waiting_backends(admin_dsn: str, database: str, query_prefix: str) -> int:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND wait_event_type = 'Lock' AND query ILIKE %s",
            (database, query_prefix + "%"),
        ).fetchone()
    return int(row[0]) if row else 0


def test_kill_9_mid_snapshot_and_mid_restore(
    env: tuple[Api, Settings, str], tmp_path: Path
) -> None:
    api, settings, url = env
    tenant, creds = tenant_with_data(api, settings, url, "bridge")
    base = f"/v1/tenants/{tenant['id']}/snapshots"
    server = local_data_server(settings, url)
    db = api.ok("GET", f"/v1/tenants/{tenant['id']}/database")["database"]
    data_dir = tmp_path / "data"
    first = second = third = None
    try:
        # -- mid-snapshot: pg_dump waits for the lock the test holds; the worker dies there.
        with psycopg.connect(server.admin_dsn, dbname=db) as lock:
            lock.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE")
            snap = api.ok("POST", base, 202)
            first = _worker(url, data_dir, "w1")
            wait_for(lambda: _waiting_backends(server.admin_dsn, db, "LOCK TABLE"), timeout=90)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            cut = api.ok("GET", f"{base}/{snap['id']}")
            assert cut["status"] == "running" and cut["checksum"] is None
            assert not list(data_dir.rglob("*.dump"))  # only the staging name, if anything
            # The dead worker's pg_dump died with it (no orphan keeps writing the file).
            wait_for(lambda: not _tool_processes(snap["id"]), timeout=30)
            lock.rollback()
        second = _worker(url, data_dir, "w2")

        def settled() -> dict[str, Any] | None:
            found = api.ok("GET", f"{base}/{snap['id']}")
            return found if found["status"] in ("completed", "failed") else None

        done = wait_for(settled, timeout=120)
        assert done["status"] == "completed" and done["attempt"] == 2, done["error"]
        assert done["tables"]["public.orders"]["rows"] == 300
        attempts = {(s["attempt"], s["name"], s["status"]) for s in done["steps"]}
        assert (1, "dump", "running") in attempts  # the cut-off attempt, as it was left
        assert (2, "dump", "succeeded") in attempts and (2, "publish", "succeeded") in attempts
        files = [str(p.relative_to(data_dir)) for p in data_dir.rglob("*.dump*")]
        listed = [
            (s["id"], s["kind"], s["status"], s["requested_by"])
            for s in api.ok("GET", base)["items"]
        ]
        assert [Path(f).name for f in files] == [f"{snap['id']}.dump"], (files, listed)

        # -- mid-restore (in place): the pre-restore snapshot is taken, then emptying the
        # database waits for the test's read lock; the worker dies there.
        with psycopg.connect(server.admin_dsn, dbname=db) as conn:
            conn.execute("DELETE FROM orders WHERE id > 100")
            conn.commit()
            conn.execute("SELECT 1 FROM orders LIMIT 1")  # ACCESS SHARE held until rollback
            job = api.ok("POST", f"{base}/{snap['id']}/restore", 202, json={"mode": "in_place"})
            wait_for(lambda: _waiting_backends(server.admin_dsn, db, "DROP SCHEMA"), timeout=90)
            second.send_signal(signal.SIGKILL)
            second.wait(timeout=10)
            cut = api.ok("GET", f"/v1/tenants/{tenant['id']}/restores/{job['id']}")
            assert cut["status"] == "running" and cut["attempt"] == 1
            pre_id = cut["pre_restore_snapshot_id"]
            assert api.ok("GET", f"{base}/{pre_id}")["status"] == "completed"
            conn.rollback()
        third = _worker(url, data_dir, "w3")

        def restored() -> dict[str, Any] | None:
            found = api.ok("GET", f"/v1/tenants/{tenant['id']}/restores/{job['id']}")
            return found if found["status"] in ("completed", "failed") else None

        finished = wait_for(restored, timeout=120)
        assert finished["status"] == "completed" and finished["attempt"] == 2, finished["error"]
        assert finished["pre_restore_snapshot_id"] == pre_id  # reused, not taken again
        pre = api.ok("GET", f"{base}/{pre_id}")
        assert pre["attempt"] == 1 and pre["tables"]["public.orders"]["rows"] == 100
        assert count(creds, "orders") == 300
    finally:
        _stop(first, second, third)


def test_a_half_made_restore_database_is_removed_and_made_again(
    env: tuple[Api, Settings, str], tmp_path: Path
) -> None:
    api, settings, url = env
    local = in_dir(settings, tmp_path / "data")
    tenant, _ = tenant_with_data(api, settings, url, "pooled", rows=50)
    base = f"/v1/tenants/{tenant['id']}/snapshots"
    snap = api.ok("POST", base, 202)
    assert take(local, url, snap["id"]) == "completed"
    job = api.ok("POST", f"{base}/{snap['id']}/restore", 202)
    # What a worker killed mid pg_restore leaves: the new database, half filled, the restore
    # `running` at attempt 1.
    server = local_data_server(settings, url)
    with psycopg.connect(server.admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{job["target_database"]}"')
    with psycopg.connect(server.admin_dsn, dbname=job["target_database"], autocommit=True) as c:
        c.execute("CREATE TABLE half_restored (x int)")
    with psycopg.connect(to_libpq_url(url), autocommit=True) as conn:
        conn.execute(
            "UPDATE snapshot_restores SET status = 'running', attempt = 1 WHERE id = %s",
            (job["id"],),
        )
    assert api.ok("GET", base + "?status=completed")["items"][0]["id"] == snap["id"]
    assert restore(local, url, job["id"]) == "completed"
    done = api.ok("GET", f"/v1/tenants/{tenant['id']}/restores/{job['id']}")
    assert done["status"] == "completed" and done["attempt"] == 2
    with psycopg.connect(server.admin_dsn, dbname=job["target_database"]) as c:
        leftover = c.execute("SELECT to_regclass('public.half_restored')").fetchone()
    assert leftover == (None,)
