"""Applying released schema migrations to one tenant database, in one transaction.

Which migrations a tenant has is recorded inside its own database (`paybill_schema_migrations`
in its schema), in the same transaction as the migrations themselves: a worker killed at any
point leaves either all of a run's migrations or none, and the next attempt applies exactly the
missing ones. The migrations run as the tenant's owner role, so what they create belongs to the
tenant like the rest of its objects, with a lock timeout so a busy table fails fast instead of
queueing the tenant's traffic behind it.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from psycopg import sql
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.fleet import SchemaMigration
from paybill_control_plane.models.tenant_database import TenantDatabase

LOCK_TIMEOUT_MS = 5000
_LEDGER = (
    "CREATE TABLE IF NOT EXISTS paybill_schema_migrations ("
    "version integer PRIMARY KEY, checksum text NOT NULL, "
    "applied_at timestamptz NOT NULL DEFAULT now())"
)


class SchemaMigrationRefused(Exception):
    """A migration cannot be applied as released (its text changed)."""


@dataclass(frozen=True)
class Migration:
    version: int
    sql: str
    checksum: str


def checksum_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def released(session: AsyncSession, up_to: int | None = None) -> list[Migration]:
    """The released migrations, in version order (up to `up_to` when given)."""

    stmt = select(SchemaMigration).order_by(SchemaMigration.version)
    if up_to is not None:
        stmt = stmt.where(SchemaMigration.version <= up_to)
    return [Migration(m.version, m.sql, m.checksum) for m in await session.scalars(stmt)]


async def apply_to(
    target: DatabaseTarget, owner_role: str | None, migrations: Sequence[Migration]
) -> int:
    """Apply the missing `migrations` in one transaction; the version the tenant is at after."""
    async with pg.connect(target.admin_dsn, target.database) as conn, conn.transaction():
        await conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(
            sql.Literal(f"{LOCK_TIMEOUT_MS}ms")))  # fmt: skip
        schema = target.schema or "public"
        # One migration run per tenant at a time, even across workers.
        await conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", (target.database + schema,)
        )
        if owner_role:
            await conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(owner_role)))
        await conn.execute(sql.SQL("SET LOCAL search_path = {}").format(sql.Identifier(schema)))
        await conn.execute(_LEDGER)
        cur = await conn.execute("SELECT version, checksum FROM paybill_schema_migrations")
        applied = {int(v): str(c) for v, c in await cur.fetchall()}
        for migration in sorted(migrations, key=lambda m: m.version):
            if checksum_of(migration.sql) != migration.checksum:
                raise SchemaMigrationRefused(
                    f"migration {migration.version}: its text no longer matches its checksum"
                )
            if migration.version in applied:
                if applied[migration.version] != migration.checksum:
                    raise SchemaMigrationRefused(
                        f"migration {migration.version} was applied with another checksum"
                    )
                continue
            await conn.execute(migration.sql.encode())  # no parameters: several statements
            await conn.execute(
                "INSERT INTO paybill_schema_migrations (version, checksum) VALUES (%s, %s)",
                (migration.version, migration.checksum),
            )
            applied[migration.version] = migration.checksum
        return max(applied, default=0)


def target_of(ctx: DataTierContext, row: TenantDatabase) -> DatabaseTarget:
    return DatabaseTarget(ctx.server.admin_dsn, row.database, row.schema)


async def bring_up_to_date(ctx: DataTierContext, tenant_id: uuid.UUID) -> int | None:
    """A new (or moved) tenant database gets every released migration; its version, or None
    when it has no local database. A tenant moved between models keeps its version: its new
    database is brought to the same released set."""
    async with transaction(ctx.sessionmaker) as session:
        row = await session.scalar(
            select(TenantDatabase).where(TenantDatabase.tenant_id == tenant_id)
        )
        if row is None or row.cloud != "local":
            return None
        migrations = await released(session)
        target, owner = target_of(ctx, row), row.owner_role
        if not migrations:
            return row.schema_version
    version = await apply_to(target, owner, migrations)
    async with transaction(ctx.sessionmaker) as session:
        row = await session.scalar(
            select(TenantDatabase).where(TenantDatabase.tenant_id == tenant_id).with_for_update()
        )
        if row is not None:
            row.schema_version = version
    return version


async def bring_all_up_to_date(
    ctx: DataTierContext, tenant_ids: Sequence[uuid.UUID], *, at_once: int = 4
) -> None:
    """`bring_up_to_date` for many new databases (a pool apply's members): the released set is
    read once, and with none released (the common case) nothing more is done."""
    async with transaction(ctx.sessionmaker) as session:
        if await session.scalar(select(SchemaMigration.version).limit(1)) is None:
            return
    gate = asyncio.Semaphore(at_once)

    async def one(tenant_id: uuid.UUID) -> None:
        async with gate:
            await bring_up_to_date(ctx, tenant_id)

    outcomes = await asyncio.gather(*(one(t) for t in tenant_ids), return_exceptions=True)
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    if failed:
        raise failed[0]
