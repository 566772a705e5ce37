"""All SQL of snapshots and restores; callers pass a tenant id they already scoped."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.errors import NotFound
from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.enums import RestoreStatus, SnapshotKind, SnapshotStatus
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore, TenantSnapshot


class SnapshotNotFound(NotFound):
    type_slug = "snapshot-not-found"
    title = "Snapshot not found"


class RestoreNotFound(NotFound):
    type_slug = "restore-not-found"
    title = "Restore not found"


async def get_snapshot(
    session: AsyncSession, tenant_id: uuid.UUID, snapshot_id: uuid.UUID
) -> TenantSnapshot:
    """The tenant's snapshot; another tenant's is as absent as a missing one."""
    found = await session.get(TenantSnapshot, snapshot_id)
    if found is None or found.tenant_id != tenant_id:
        raise SnapshotNotFound(f"Tenant {tenant_id} has no snapshot '{snapshot_id}'.")
    return found


async def get_restore(
    session: AsyncSession, tenant_id: uuid.UUID, restore_id: uuid.UUID, *, for_update: bool = False
) -> SnapshotRestore:
    found = await session.get(SnapshotRestore, restore_id, with_for_update=for_update)
    if found is None or found.tenant_id != tenant_id:
        raise RestoreNotFound(f"Tenant {tenant_id} has no restore '{restore_id}'.")
    return found


async def list_snapshots(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None,
    status: SnapshotStatus | None = None,
) -> tuple[list[TenantSnapshot], bool]:
    """The tenant's snapshots, newest first."""
    stmt = select(TenantSnapshot).where(TenantSnapshot.tenant_id == tenant_id)
    if status is not None:
        stmt = stmt.where(TenantSnapshot.status == status.value)
    return await fetch_page(
        session, stmt, TenantSnapshot.created_at, TenantSnapshot.id, cursor, limit, descending=True
    )


async def active_restore(session: AsyncSession, tenant_id: uuid.UUID) -> SnapshotRestore | None:
    return await session.scalar(
        select(SnapshotRestore).where(
            SnapshotRestore.tenant_id == tenant_id,
            SnapshotRestore.status.in_(
                [RestoreStatus.pending, RestoreStatus.running, RestoreStatus.switching]
            ),
        )
    )


async def expired(session: AsyncSession, now: datetime, limit: int = 100) -> list[TenantSnapshot]:
    """Completed snapshots past their expiry, oldest first, locked (skipping locked ones)."""
    stmt = (
        select(TenantSnapshot)
        .where(
            TenantSnapshot.status == SnapshotStatus.completed,
            TenantSnapshot.expires_at.is_not(None),
            TenantSnapshot.expires_at <= now,
        )
        .order_by(TenantSnapshot.expires_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(await session.scalars(stmt))


async def scheduled_of(session: AsyncSession, tenant_id: uuid.UUID) -> list[TenantSnapshot]:
    """The tenant's scheduled snapshots that are not failed nor purged, newest first."""
    stmt = (
        select(TenantSnapshot)
        .where(
            TenantSnapshot.tenant_id == tenant_id,
            TenantSnapshot.kind == SnapshotKind.scheduled,
            TenantSnapshot.status.in_(
                [SnapshotStatus.pending, SnapshotStatus.running, SnapshotStatus.completed]
            ),
        )
        .order_by(TenantSnapshot.created_at.desc())
    )
    return list(await session.scalars(stmt))
