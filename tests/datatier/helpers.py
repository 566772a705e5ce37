"""Calling the data tier from sync tests, and connecting as a tenant's application would."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import psycopg

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.datatier.provision import DataTierContext, ensure_tenant_database
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.models.enums import IsolationModel
from tests.factories import make_tenant, make_tier
from tests.live import Api

T = TypeVar("T")


def call(settings: Settings, url: str, fn: Callable[[DataTierContext], Awaitable[T]]) -> T:
    """Run one data-tier coroutine with its own engine (the test's loop is its own)."""

    async def go() -> T:
        engine = make_engine(url, pool_size=2)
        try:
            return await fn(DataTierContext(make_sessionmaker(engine), settings, url))
        finally:
            await engine.dispose()

    return asyncio.run(go())


def purge(settings: Settings, url: str) -> None:
    """Every database and role this control plane's data tier made is dropped."""
    server = local_data_server(settings, url)
    asyncio.run(pg.purge_prefix(server.admin_dsn, server.prefix))


def tenant_in(api: Api, model: str, tier: dict[str, Any] | None = None) -> dict[str, Any]:
    """A `local` tenant of `model` (pooled and bridge tenants are placed in a pool)."""
    tier = tier or make_tier(api, default_isolation=model, allowed_isolation=[model])
    return make_tenant(api, tier["key"])


def ensure(settings: Settings, url: str, tenant: dict[str, Any], *, suspended: bool = False) -> Any:
    model = IsolationModel(tenant["isolation_model"])
    pool = uuid.UUID(tenant["pool_id"]) if tenant.get("pool_id") else None
    return call(
        settings,
        url,
        lambda ctx: ensure_tenant_database(
            ctx, uuid.UUID(tenant["id"]), model, pool, suspended=suspended, actor="test"
        ),
    )


def connect_as(
    db: dict[str, Any], password: str, *, user: str | None = None, database: str | None = None
) -> psycopg.Connection[Any]:
    """A connection as the tenant's application makes it, from the API's answers only."""
    return psycopg.connect(
        host=db["host"],
        port=db["port"],
        dbname=database or db["database"],
        user=user or db["username"],
        password=password,
        autocommit=True,
        connect_timeout=10,
    )
