"""A tenant's ensure opens two admin sessions, and its catalog lock is its database's own."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import pg_session
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.models.enums import IsolationModel
from tests.datatier.helpers import connect_as, ensure, purge, tenant_in
from tests.live import Api
from tests.provisioning.stack_env import wait_for


@pytest.fixture(scope="module", autouse=True)
def _purged(settings: Settings, database_url: str) -> Iterator[None]:
    yield
    purge(settings, database_url)


def test_a_silo_ensure_opens_one_admin_session_and_one_in_its_database(
    admin: Api, settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = tenant_in(admin, "silo")
    server = local_data_server(settings, database_url)
    opened: list[str] = []
    connect = psycopg.AsyncConnection.connect

    async def counting(conninfo: str = "", **kwargs: Any) -> Any:
        params = psycopg.conninfo.conninfo_to_dict(conninfo, **kwargs)
        opened.append(str(params.get("dbname", "")))
        return await connect(conninfo, **kwargs)

    monkeypatch.setattr(psycopg.AsyncConnection, "connect", counting)
    row = ensure(settings, database_url, tenant)
    monkeypatch.undo()
    assert row.status == "available"
    control_plane = psycopg.conninfo.conninfo_to_dict(server.admin_dsn)
    admin_sessions = [d for d in opened if d != make_url(database_url).database]
    assert sorted(admin_sessions) == sorted([control_plane["dbname"], row.database]), opened
    creds = admin.ok("POST", f"/v1/tenants/{tenant['id']}/database/credentials")
    with connect_as(creds, creds["password"]) as conn:
        assert conn.execute("SELECT current_user").fetchone() is not None


def test_an_ensure_waits_only_for_its_own_databases_catalog_lock(
    admin: Api, settings: Settings, database_url: str
) -> None:
    """While another session holds tenant A's catalog lock, tenant B's ensure finishes and
    A's waits on the lock; released, A's finishes too."""
    server = local_data_server(settings, database_url)
    a, b = tenant_in(admin, "silo"), tenant_in(admin, "silo")
    names_a = server.names(IsolationModel.silo, uuid.UUID(a["id"]), None)
    holder = psycopg.connect(server.admin_dsn, autocommit=True)
    key = pg_session.catalog_key(names_a.database)
    holder.execute("SELECT pg_advisory_lock(%s, %s)", (pg_session.CATALOG_LOCK_CLASS, key))
    results: dict[str, Any] = {}
    worker = threading.Thread(
        target=lambda: results.setdefault("a", ensure(settings, database_url, a))
    )
    try:
        worker.start()
        assert ensure(settings, database_url, b).status == "available"

        def a_waits_on_its_lock() -> bool:
            row = holder.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND classid = %s::oid AND objid = %s::oid",
                (pg_session.CATALOG_LOCK_CLASS, key & 0xFFFFFFFF),
            ).fetchone()
            return bool(row and row[0])

        wait_for(a_waits_on_its_lock, timeout=60, interval=0.05)
        assert "a" not in results
    finally:
        holder.execute("SELECT pg_advisory_unlock_all()")
        holder.close()
        worker.join(timeout=120)
    assert results["a"].status == "available"


def test_catalog_keys_are_stable_per_database(settings: Settings, database_url: str) -> None:
    assert pg_session.catalog_key("db_one") == pg_session.catalog_key("db_one")
    assert pg_session.catalog_key("db_one") != pg_session.catalog_key("db_two")
    assert -(2**31) <= pg_session.catalog_key("db_one") < 2**31

    admin_dsn = local_data_server(settings, database_url).admin_dsn

    async def twice() -> None:  # the same database twice is one lock, taken once
        async with (
            await psycopg.AsyncConnection.connect(admin_dsn, autocommit=True) as conn,
            pg_session.catalog_locked(conn, "db_one", "db_one", "db_two"),
        ):
            cur = await conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND pid = pg_backend_pid() AND classid = %s::oid",
                (pg_session.CATALOG_LOCK_CLASS,),
            )
            assert await cur.fetchone() == (2,)

    asyncio.run(twice())
