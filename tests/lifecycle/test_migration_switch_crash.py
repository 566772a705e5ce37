"""A worker killed with SIGKILL inside a data switch: at cutover (source -> target) and at a
rollback during the hold (target -> source), after the switch pointed the tenant at the new side
but before the phase committed. The application may write on the new side from that moment;
the next worker must finish the phase without copying again over those writes, and leave one
consistent tenant record (model, connection details) and one entry and audit event per phase.

How the kill lands there: the phase locks the tenant row only for its final transition, so the
test holds that row (`FOR UPDATE`), waits until the data tier shows the switch done, and kills
the worker, which cannot have committed the phase."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.local_server import local_data_server
from tests.conftest import create_key_sync
from tests.datatier.helpers import purge
from tests.db import create_database, drop_database
from tests.factories import make_tenant, make_tier
from tests.lifecycle.test_migration_crash import FORWARD, _worker
from tests.lifecycle.test_migration_data import credentials, insert, rows, write_app_data
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import wait_for, wait_status

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def holding_tenant_row(url: str, tenant_id: str) -> Iterator[None]:
    """The test's transaction holds the tenant row, as a long API update would."""
    with psycopg.connect(_dsn(url)) as conn:
        conn.execute("SELECT id FROM tenants WHERE id = %s FOR UPDATE", (tenant_id,))
        yield
        conn.rollback()


def switched_to(env: Env, tenant_id: str, database: str, schema: str | None) -> bool:
    """The tenant's connection details name `database`/`schema`, available, login allowed: the
    switch is done (its phase then waits for the held tenant row, uncommitted)."""
    with psycopg.connect(_dsn(env.url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT database, schema, status, username FROM tenant_databases WHERE tenant_id = %s",
            (tenant_id,),
        ).fetchone()
    if row is None or (row[0], row[1], row[2]) != (database, schema, "available") or not row[3]:
        return False
    with psycopg.connect(env.admin, autocommit=True) as conn:
        can = conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (row[3],))
        found = can.fetchone()
    return bool(found and found[0])


def write_as_admin(admin: str, db: dict[str, Any], note: str) -> None:
    """A row the application writes on the side it was switched to (the admin stands in for
    it: the credentials call would queue behind the held tenant row)."""
    table = sql.Identifier(db["schema"], "orders") if db["schema"] else sql.Identifier("orders")
    with psycopg.connect(admin, dbname=db["database"], autocommit=True) as conn:
        conn.execute(sql.SQL("INSERT INTO {} (total, note) VALUES (1, %s)").format(table), (note,))


class Env:
    def __init__(self, tmp: Path, hold_hours: int) -> None:
        self.url = create_database("migswitch")
        self.tmp, self.hold = tmp, hold_hours
        self.settings = Settings(database_url=self.url, data_dir=tmp / "api", embedded_worker=False)
        self.admin = local_data_server(self.settings, self.url).admin_dsn
        self.server = LiveServer(create_app(self.settings)).start()
        self.workers: list[subprocess.Popen[bytes]] = []
        self.worker()

    def worker(self) -> None:
        name = f"w{len(self.workers) + 1}"
        self.workers.append(_worker(self.url, self.tmp / name, name, hold_hours=self.hold))

    def kill(self) -> None:
        self.workers[-1].send_signal(signal.SIGKILL)
        self.workers[-1].wait(timeout=10)

    def close(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=15)
        self.server.stop()
        purge(self.settings, self.url)
        drop_database(self.url)


@pytest.fixture
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Env]:
    made = Env(tmp_path, request.param)
    try:
        yield made
    finally:
        made.close()


def migrated_tenant(api: Api) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    basic = make_tier(
        api, default_isolation="pooled", allowed_isolation=["pooled"], pool_capacity=4
    )
    enterprise = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    tenant = wait_status(api, make_tenant(api, basic["key"])["id"], "active", timeout=120)
    creds = credentials(api, tenant["id"])
    write_app_data(creds)
    migration = api.ok(
        "POST", f"/v1/tenants/{tenant['id']}/migrations", 202, json={"tier": enterprise["key"]}
    )
    return tenant, creds, migration


def migration_until(api: Api, migration_id: str, status: str) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        m = api.ok("GET", f"/v1/migrations/{migration_id}")
        assert m["status"] != "failed", m
        return m if m["status"] == status else None

    return wait_for(check, timeout=240)  # type: ignore[no-any-return]


def one_event_per_phase_change(api: Api, tenant_id: str, expected: int) -> None:
    events = api.ok(
        "GET",
        "/v1/audit-events",
        params={"tenant_id": tenant_id, "action": "migration.phase_changed", "limit": 50},
    )["items"]
    assert len(events) == expected, [e["after"] for e in events]


@pytest.mark.parametrize("env", [0], indirect=True)
def test_kill_9_after_the_cutover_switch_keeps_writes_made_on_the_target(env: Env) -> None:
    with Api(env.server.url, create_key_sync(env.url, "admin")) as api:
        tenant, creds, migration = migrated_tenant(api)
        before = rows(creds)
        wait_for(
            lambda: (
                api.ok("GET", f"/v1/migrations/{migration['id']}")["phase"]
                in ("copy", "cutover", "hold", "decommission", "done")
            ),
            timeout=180,
            interval=0.05,
        )
        # Held from the copy on (the copy needs no tenant row): the cutover's switch runs,
        # then its final transition waits here.
        with holding_tenant_row(env.url, tenant["id"]):

            def cut_over() -> bool:
                # Phase `cutover`: the copy blocked the target's logins; allowed again only by
                # the switch.
                phase = api.ok("GET", f"/v1/migrations/{migration['id']}")["phase"]
                assert phase in ("copy", "cutover"), phase
                db = _silo_database(env.admin, tenant["id"])
                return phase == "cutover" and switched_to(env, tenant["id"], db, None)

            wait_for(cut_over, timeout=180, interval=0.1)
            silo_db = {"database": _silo_database(env.admin, tenant["id"]), "schema": None}
            write_as_admin(env.admin, silo_db, "written on the target after the switch")
            env.kill()
        env.worker()
        done = migration_until(api, migration["id"], "completed")
        assert [p["name"] for p in done["phases"]] == FORWARD
        cut = done["phases"][3]["detail"]
        assert cut.get("resumed") is True and cut["switched_to"] == "silo", done["phases"]
        one_event_per_phase_change(api, tenant["id"], len(FORWARD))
        after = wait_status(api, tenant["id"], "active")
        assert (after["isolation_model"], after["pool_id"]) == ("silo", None)
        silo = credentials(api, tenant["id"])
        assert silo["database"] == silo_db["database"]
        assert rows(silo)[:-1] == before
        assert rows(silo)[-1][2] == "written on the target after the switch"


@pytest.mark.parametrize("env", [1], indirect=True)
def test_kill_9_after_the_rollback_switch_keeps_writes_made_on_the_source(env: Env) -> None:
    with Api(env.server.url, create_key_sync(env.url, "admin")) as api:
        tenant, creds, migration = migrated_tenant(api)
        before = rows(creds)
        migration_until(api, migration["id"], "holding")
        insert(credentials(api, tenant["id"]), "written on the silo during the hold")
        with holding_tenant_row(env.url, tenant["id"]):
            api.ok("POST", f"/v1/migrations/{migration['id']}/rollback", 202)
            wait_for(
                lambda: switched_to(env, tenant["id"], creds["database"], creds["schema"]),
                timeout=180,
                interval=0.1,
            )
            assert api.ok("GET", f"/v1/migrations/{migration['id']}")["phase"] == "rollback"
            write_as_admin(env.admin, creds, "written on the source after the switch back")
            env.kill()
        env.worker()
        rolled = migration_until(api, migration["id"], "rolled_back")
        names = [p["name"] for p in rolled["phases"]]
        assert names == [*FORWARD[:5], "rollback"]
        assert rolled["phases"][-1]["detail"]["data"].get("resumed") is True, rolled["phases"]
        # plan→…→hold (5 changes), the rollback asked, the rollback done.
        one_event_per_phase_change(api, tenant["id"], 6)
        after = wait_status(api, tenant["id"], "active")
        assert (after["isolation_model"], after["pool_id"]) == ("pooled", tenant["pool_id"])
        pooled = credentials(api, tenant["id"])
        assert (pooled["database"], pooled["schema"]) == (creds["database"], creds["schema"])
        notes = [r[2] for r in rows(pooled)]
        assert rows(pooled)[: len(before)] == before
        assert notes[len(before) :] == [
            "written on the silo during the hold",
            "written on the source after the switch back",
        ]


def _silo_database(admin: str, tenant_id: str) -> str:
    with psycopg.connect(admin) as conn:
        cur = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            (f"%\\_s\\_{tenant_id.replace('-', '')}",),
        )
        found = cur.fetchone()
    assert found is not None
    return str(found[0])
