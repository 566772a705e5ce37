"""The rows a run's stack is planned from: tenants, their migrations, module releases, snapshots
and cloud targets."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.models.enums import (
    MigrationPhase,
    MigrationStatus,
    SnapshotStatus,
    TenantDesiredState,
)
from paybill_control_plane.models.fleet import ModuleRelease
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_migration import TenantMigration
from paybill_control_plane.models.tenant_snapshot import TenantSnapshot

# Tenants whose desired state keeps infrastructure.
PRESENT = (TenantDesiredState.active, TenantDesiredState.suspended)

# A migrating tenant keeps its source and its target infrastructure from the moment the target is
# provisioned until its source is decommissioned (or the migration is rolled back).
BOTH_SIDES = (
    MigrationPhase.provision_target,
    MigrationPhase.copy,
    MigrationPhase.cutover,
    MigrationPhase.hold,
)


async def find_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant | None:
    return await session.get(Tenant, tenant_id)


async def tenants_by_ids(session: AsyncSession, ids: Iterable[uuid.UUID | None]) -> list[Tenant]:
    """These tenants, in no particular order."""
    return list(await session.scalars(select(Tenant).where(Tenant.id.in_(ids))))


async def tenants_of_run(session: AsyncSession, run: Run, stack: Stack | None) -> list[Tenant]:
    """The tenants a run's outcome concerns: its own, the stack's tenant and the pool's members,
    locked (by id, after the run and its stack). Two runs of one tenant (its pool's and its own
    stack's) can end at the same moment: without the lock each outcome transaction saw the
    other stack still applying and neither settled the tenant; with it the second waits for the
    first's commit and then sees its stack converged."""
    ids = {uuid.UUID(t) for t in run.tenant_ids}
    if stack is not None and stack.tenant_id is not None:
        ids.add(stack.tenant_id)
    condition: ColumnElement[bool] = Tenant.id.in_(ids)
    if stack is not None and stack.pool_id is not None:
        condition = or_(condition, Tenant.pool_id == stack.pool_id)
    rows = await session.scalars(
        select(Tenant).where(condition).order_by(Tenant.id).with_for_update()
    )
    return list(rows)


async def pool_members(session: AsyncSession, pool_id: uuid.UUID) -> list[Tenant]:
    """The pool's members whose desired state keeps infrastructure, by id."""
    rows = await session.scalars(
        select(Tenant)
        .where(Tenant.pool_id == pool_id, Tenant.desired_state.in_(PRESENT))
        .order_by(Tenant.id)
    )
    return list(rows)


async def migrations_of(
    session: AsyncSession, tenant_ids: list[uuid.UUID]
) -> dict[uuid.UUID, TenantMigration]:
    """The migrations that keep both sides of these tenants right now."""
    if not tenant_ids:
        return {}
    rows = await session.scalars(
        select(TenantMigration).where(
            TenantMigration.tenant_id.in_(tenant_ids),
            TenantMigration.status.in_((MigrationStatus.running, MigrationStatus.holding)),
            TenantMigration.phase.in_(BOTH_SIDES),
        )
    )
    return {m.tenant_id: m for m in rows}


async def release_id(session: AsyncSession, module: str, version: str) -> uuid.UUID | None:
    """The id of a module's release of this version, if it was published."""
    return await session.scalar(
        select(ModuleRelease.id).where(
            ModuleRelease.module == module, ModuleRelease.version == version
        )
    )


async def find_release(session: AsyncSession, release_id: uuid.UUID) -> ModuleRelease | None:
    return await session.get(ModuleRelease, release_id)


async def find_cloud_target(session: AsyncSession, target_id: uuid.UUID) -> CloudTarget | None:
    return await session.get(CloudTarget, target_id)


async def last_snapshot_time(session: AsyncSession, tenant_id: uuid.UUID) -> datetime | None:
    """The time the tenant's newest completed snapshot finished; None: it has none.

    Policies see it as the snapshot's age (the shipped `database-destroy-needs-fresh-snapshot`
    policy asks for approval unless a completed snapshot is younger than an hour). Failed,
    running and purged snapshots do not count: only a dump that was published and checksummed
    can be restored."""
    return await session.scalar(
        select(func.max(TenantSnapshot.finished_at)).where(
            TenantSnapshot.tenant_id == tenant_id,
            TenantSnapshot.status == SnapshotStatus.completed.value,
        )
    )
