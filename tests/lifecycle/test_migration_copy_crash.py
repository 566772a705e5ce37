"""A worker killed with SIGKILL in the middle of the copy phase: another worker copies again from
scratch (the half-copied staging tables on the target are dropped), verifies, and the migration
completes with the application's rows on the target and one entry per phase."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.local_server import local_data_server
from tests.conftest import create_key_sync
from tests.datatier.helpers import purge
from tests.db import create_database, drop_database
from tests.factories import make_tenant, make_tier
from tests.lifecycle.test_migration_crash import FORWARD, _worker
from tests.lifecycle.test_migration_data import credentials, rows, write_app_data
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import wait_for, wait_status

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


def test_kill_9_mid_copy_copies_again_and_completes(tmp_path: Path) -> None:
    url = create_database("migcopy")
    settings = Settings(database_url=url, data_dir=tmp_path / "api", embedded_worker=False)
    server = LiveServer(create_app(settings)).start()
    admin = local_data_server(settings, url).admin_dsn
    first = _worker(url, tmp_path / "w1", "w1")
    second = None
    try:
        with Api(server.url, create_key_sync(url, "admin")) as api:
            basic = make_tier(
                api, default_isolation="pooled", allowed_isolation=["pooled"], pool_capacity=4
            )
            enterprise = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
            tenant = wait_status(api, make_tenant(api, basic["key"])["id"], "active", timeout=120)
            creds = credentials(api, tenant["id"])
            write_app_data(creds)
            before = rows(creds)
            schema = creds["schema"]
            # The test holds the source table: the copy's worker waits on it, mid-phase.
            with psycopg.connect(admin, dbname=creds["database"]) as holder:
                holder.execute(
                    sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
                        sql.Identifier(schema, "orders")
                    )
                )
                migration = api.ok(
                    "POST",
                    f"/v1/tenants/{tenant['id']}/migrations",
                    202,
                    json={"tier": enterprise["key"]},
                )

                def copy_waiting() -> bool:
                    m = api.ok("GET", f"/v1/migrations/{migration['id']}")
                    with psycopg.connect(admin, autocommit=True) as watcher:
                        cur = watcher.execute(
                            "SELECT count(*) FROM pg_stat_activity "
                            "WHERE wait_event_type = 'Lock' AND datname = %s",
                            (creds["database"],),
                        )
                        waiting = cur.fetchone()
                    return m["phase"] == "copy" and waiting is not None and waiting[0] > 0

                wait_for(copy_waiting, timeout=120, interval=0.1)
                first.send_signal(signal.SIGKILL)
                first.wait(timeout=10)
                silo_db = f"{schema_prefix(admin, tenant['id'])}"
                # What a copy killed while restoring leaves: a half-made staging schema.
                with psycopg.connect(admin, dbname=silo_db, autocommit=True) as target:
                    target.execute(
                        sql.SQL("CREATE SCHEMA {}; CREATE TABLE {} (junk int)").format(
                            sql.Identifier(schema), sql.Identifier(schema, "orders")
                        )
                    )
                holder.rollback()  # releases the lock
            second = _worker(url, tmp_path / "w2", "w2")

            def completed() -> dict[str, Any] | None:
                m = api.ok("GET", f"/v1/migrations/{migration['id']}")
                assert m["status"] != "failed", m
                return m if m["status"] == "completed" else None

            done = wait_for(completed, timeout=240)
            assert [p["name"] for p in done["phases"]] == FORWARD
            copy = done["phases"][2]["detail"]
            assert copy["verified"] and copy["tables"] == {
                "orders": done["phases"][3]["detail"]["copy"]["tables"]["orders"]
            }
            events = api.ok(
                "GET",
                "/v1/audit-events",
                params={"tenant_id": tenant["id"], "action": "migration.phase_changed"},
            )["items"]
            assert len(events) == len(FORWARD), "each phase change recorded once"
            silo = credentials(api, tenant["id"])
            assert silo["database"] == silo_db and rows(silo) == before
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=15)
        server.stop()
        purge(settings, url)
        drop_database(url)


def schema_prefix(admin: str, tenant_id: str) -> str:
    """The silo database's name: the data tier's prefix, `_s_` and the tenant's id."""
    with psycopg.connect(admin) as conn:
        cur = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            (f"%\\_s\\_{tenant_id.replace('-', '')}",),
        )
        found = cur.fetchone()
    assert found is not None, "the silo database exists (made by provision_target)"
    return str(found[0])
