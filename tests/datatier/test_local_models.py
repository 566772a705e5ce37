"""`local` tenants in each model get a real database their application can use."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.models.enums import IsolationModel
from tests.datatier.helpers import connect_as, ensure, purge, tenant_in
from tests.live import Api

MODELS = ["pooled", "bridge", "silo"]


@pytest.fixture(scope="module", autouse=True)
def _purged(settings: Settings, database_url: str) -> Iterator[None]:
    yield
    purge(settings, database_url)


def rotate(api: Api, tenant: dict[str, Any]) -> dict[str, Any]:
    return api.ok("POST", f"/v1/tenants/{tenant['id']}/database/credentials")  # type: ignore[no-any-return]


@pytest.mark.parametrize("model", MODELS)
def test_application_uses_its_database(
    admin: Api, settings: Settings, database_url: str, model: str
) -> None:
    tenant = tenant_in(admin, model)
    missing = admin.get(f"/v1/tenants/{tenant['id']}/database")
    assert missing.status_code == 404 and missing.json()["type"].endswith("/database-not-found")

    ensure(settings, database_url, tenant)
    db = admin.ok("GET", f"/v1/tenants/{tenant['id']}/database")
    assert db["status"] == "available" and db["model"] == model and db["engine"] == "postgres"
    assert "password" not in db and db["username"].endswith("_a")
    assert (db["schema"] is not None) == (model == "pooled")
    assert db["connection_limit"] == (settings.silo_connection_limit if model == "silo" else None)

    creds = rotate(admin, tenant)
    assert creds["username"].endswith("_b") and creds["previous_username"] == db["username"]
    with connect_as(creds, creds["password"]) as conn:
        conn.execute("CREATE TABLE orders (id int PRIMARY KEY, total numeric)")
        conn.execute("INSERT INTO orders VALUES (1, 9.5), (2, 20)")
        assert conn.execute("SELECT sum(total) FROM orders").fetchone() == (29.5,)
        schema = conn.execute("SELECT current_schema()").fetchone()
        assert schema == (db["schema"] or "public",)
    # The other login reaches the same tables: they belong to the tenant's owner role.
    again = rotate(admin, tenant)
    assert again["username"] == db["username"]
    with connect_as(again, again["password"]) as conn:
        assert conn.execute("SELECT count(*) FROM orders").fetchone() == (2,)
    # The GET never carries a password; the row stores none in clear.
    assert "password" not in admin.ok("GET", f"/v1/tenants/{tenant['id']}/database")


def test_ensure_is_idempotent_and_finishes_a_half_made_database(
    admin: Api, settings: Settings, database_url: str
) -> None:
    tenant = tenant_in(admin, "silo")
    server = local_data_server(settings, database_url)
    names = server.names(IsolationModel.silo, uuid.UUID(tenant["id"]), None)
    # A worker killed right after CREATE DATABASE: the database exists, no role, no grant.
    asyncio.run(pg.ensure_database(server.admin_dsn, names.database))
    first = ensure(settings, database_url, tenant)
    second = ensure(settings, database_url, tenant)
    assert first.database == second.database == names.database
    assert second.status == "available" and second.username == first.username
    creds = rotate(admin, tenant)
    with connect_as(creds, creds["password"]) as conn:
        conn.execute("CREATE TABLE t (x int)")
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    # Killed after the roles were made but before the row said `available`: finished too.
    with psycopg.connect(server.admin_dsn, autocommit=True) as conn:
        conn.execute(f'ALTER ROLE "{creds["username"]}" NOLOGIN')
    ensure(settings, database_url, tenant)
    with connect_as(creds, creds["password"]) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
