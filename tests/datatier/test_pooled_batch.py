"""A pool apply makes all its new members' databases as one batch (datatier/pooled_batch.py):
one catalog-lock hold and the same admin sessions whatever the number of members, each member
audited, and a batch cut off half way (some objects made) finished by the next."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import pooled_admin, pooled_batch
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.audit_event import AuditEvent
from paybill_control_plane.models.enums import IsolationModel
from paybill_control_plane.models.tenant_database import TenantDatabase
from tests.datatier.helpers import call, connect_as, purge, tenant_in
from tests.factories import make_tier
from tests.live import Api


@pytest.fixture(scope="module", autouse=True)
def _purged(settings: Settings, database_url: str) -> Iterator[None]:
    yield
    purge(settings, database_url)


class _Counts:
    def __init__(self) -> None:
        self.sessions = 0
        self.locks = 0
        self.locked: list[tuple[str, ...]] = []


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> _Counts:
    """Counts the data tier's admin sessions and catalog-lock holds."""
    seen = _Counts()
    real_connect, real_lock = pg.connect, pg.catalog_lock

    @asynccontextmanager
    async def connect(admin_dsn: str, database: str | None = None) -> AsyncIterator[Any]:
        seen.sessions += 1
        async with real_connect(admin_dsn, database) as conn:
            yield conn

    @asynccontextmanager
    async def catalog_lock(admin_dsn: str, database: str, *more: str) -> AsyncIterator[None]:
        seen.locks += 1
        seen.locked.append((database, *more))
        async with real_lock(admin_dsn, database, *more):
            yield

    monkeypatch.setattr(pg, "connect", connect)
    monkeypatch.setattr(pg, "catalog_lock", catalog_lock)
    return seen


def _ensure(settings: Settings, url: str, pool: uuid.UUID, wanted: dict[uuid.UUID, bool]) -> None:
    async def go(ctx: DataTierContext) -> None:
        await pooled_batch.ensure_pooled_databases(ctx, pool, wanted, actor="test")

    call(settings, url, go)


def _state(settings: Settings, url: str, ids: list[uuid.UUID]) -> tuple[dict[str, str], int]:
    """Each tenant's row status, and how many `database.created` records they have."""

    async def go(ctx: DataTierContext) -> tuple[dict[str, str], int]:
        async with transaction(ctx.sessionmaker) as session:
            rows = await session.scalars(
                select(TenantDatabase).where(TenantDatabase.tenant_id.in_(ids))
            )
            statuses = {str(r.tenant_id): r.status for r in rows}
            created = await session.scalar(
                select(func.count()).where(
                    AuditEvent.action == "database.created", AuditEvent.tenant_id.in_(ids)
                )
            )
        return statuses, int(created or 0)

    return call(settings, url, go)


def _pooled(admin: Api, count: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    tier = make_tier(admin, default_isolation="pooled", allowed_isolation=["pooled"])
    tenants = [tenant_in(admin, "pooled", tier) for _ in range(count)]
    pools = {t["pool_id"] for t in tenants}
    assert len(pools) == 1
    return uuid.UUID(pools.pop()), [uuid.UUID(t["id"]) for t in tenants]


def test_one_batch_makes_every_member_in_the_same_sessions_and_one_lock_hold(
    admin: Api, settings: Settings, database_url: str, counts: _Counts
) -> None:
    pool, one = _pooled(admin, 1)
    _ensure(settings, database_url, pool, {one[0]: False})
    single = (counts.sessions, counts.locks)
    pool, many = _pooled(admin, 6)
    counts.sessions = counts.locks = 0
    counts.locked.clear()
    _ensure(settings, database_url, pool, {t: t == many[-1] for t in many})
    # The control plane's database was closed by the first batch: one lock hold, not one each,
    # and it is the pool database's own (the key an ensure or switch of a member also takes).
    assert counts.locks == 1
    assert len(counts.locked) == 1 and len(counts.locked[0]) == 1
    assert counts.locked[0][0].endswith(f"_pool_{pool.hex}")
    assert counts.sessions <= single[0]
    statuses, created = _state(settings, database_url, many)
    assert statuses == {str(t): "suspended" if t == many[-1] else "available" for t in many}
    assert created == len(many)
    # Each member's login reaches its own schema (and the suspended one's cannot log in).
    server = local_data_server(settings, database_url)
    for tenant_id in many[:-1]:
        creds = admin.ok("POST", f"/v1/tenants/{tenant_id}/database/credentials")
        with connect_as(creds, creds["password"]) as conn:
            conn.execute("CREATE TABLE t (x int)")
            found = conn.execute("SELECT current_schema()").fetchone()
            assert found == (server.names(IsolationModel.pooled, tenant_id, pool).schema,)
    # A second batch (a retry) changes nothing and audits nothing.
    _ensure(settings, database_url, pool, {t: t == many[-1] for t in many})
    assert _state(settings, database_url, many)[1] == len(many)


def test_a_batch_cut_off_half_way_is_finished_by_the_next(
    admin: Api, settings: Settings, database_url: str
) -> None:
    pool, ids = _pooled(admin, 4)
    server = local_data_server(settings, database_url)
    names = [server.names(IsolationModel.pooled, t, pool) for t in ids]

    async def half(ctx: DataTierContext) -> None:
        # What a worker killed mid-batch leaves (a multi-statement chunk is all or nothing,
        # but the server-wide and pool-database steps are separate): the pool database, some
        # members' roles and one schema made, no grant, no password.
        await pg.ensure_database(server.admin_dsn, names[0].database)
        async with pg.connect(server.admin_dsn) as conn:
            for role in (names[0].owner, names[1].owner, names[1].logins[0]):
                await conn.execute(f'CREATE ROLE "{role}" NOLOGIN')
        async with pg.connect(server.admin_dsn, names[0].database) as conn:
            await conn.execute(
                f'CREATE SCHEMA "{names[0].schema}" AUTHORIZATION "{names[0].owner}"'
            )

    call(settings, database_url, half)
    _ensure(settings, database_url, pool, dict.fromkeys(ids, False))
    statuses, created = _state(settings, database_url, ids)
    assert set(statuses.values()) == {"available"}
    assert created == len(ids)
    for tenant_id in ids:
        creds = admin.ok("POST", f"/v1/tenants/{tenant_id}/database/credentials")
        with connect_as(creds, creds["password"]) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    # The members cannot reach each other's schemas.
    creds = admin.ok("POST", f"/v1/tenants/{ids[0]}/database/credentials")
    with (
        connect_as(creds, creds["password"]) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(f'SELECT * FROM "{names[1].schema}".x')


def test_members_per_round_trip_chunks_cover_every_member() -> None:
    members = [object()] * (pooled_admin._MEMBERS_PER_ROUND_TRIP * 2 + 1)
    chunks = pooled_admin._chunks(members)  # type: ignore[arg-type]
    assert [len(c) for c in chunks] == [pooled_admin._MEMBERS_PER_ROUND_TRIP] * 2 + [1]
