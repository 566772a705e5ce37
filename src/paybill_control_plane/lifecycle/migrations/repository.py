"""All tenant-migration SQL; tenant scoping goes through the tenants repository."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.errors import NotFound
from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.enums import MigrationStatus
from paybill_control_plane.models.tenant_migration import TenantMigration
from paybill_control_plane.tenants import repository as tenants_repo

IN_FLIGHT = (MigrationStatus.running, MigrationStatus.holding, MigrationStatus.rolling_back)


class MigrationNotFound(NotFound):
    type_slug = "migration-not-found"
    title = "Migration not found"


async def get(
    session: AsyncSession,
    principal: Principal,
    migration_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> TenantMigration:
    """The migration, or 404 — also when its tenant is one the principal cannot see."""
    stmt = select(TenantMigration).where(TenantMigration.id == migration_id)
    migration = await session.scalar(stmt.with_for_update() if for_update else stmt)
    if migration is None:
        raise MigrationNotFound(f"No migration with id '{migration_id}'.")
    try:
        await tenants_repo.get(session, principal, migration.tenant_id)
    except NotFound:
        raise MigrationNotFound(f"No migration with id '{migration_id}'.") from None
    return migration


async def in_flight(session: AsyncSession, tenant_id: uuid.UUID) -> TenantMigration | None:
    """The tenant's migration that is not finished, if any (at most one: a unique index)."""
    return await session.scalar(
        select(TenantMigration).where(
            TenantMigration.tenant_id == tenant_id, TenantMigration.status.in_(IN_FLIGHT)
        )
    )


async def latest(session: AsyncSession, tenant_id: uuid.UUID) -> TenantMigration | None:
    """The tenant's newest migration, if any."""
    return await session.scalar(
        select(TenantMigration)
        .where(TenantMigration.tenant_id == tenant_id)
        .order_by(TenantMigration.created_at.desc(), TenantMigration.id.desc())
        .limit(1)
    )


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, *, limit: int, cursor: str | None
) -> tuple[list[TenantMigration], bool]:
    """A tenant's migrations, newest first."""
    return await fetch_page(
        session,
        select(TenantMigration).where(TenantMigration.tenant_id == tenant_id),
        TenantMigration.created_at,
        TenantMigration.id,
        cursor,
        limit,
        descending=True,
    )
