"""Running one phase job: claim the migration row, mark a data switch, call the phase.

The migration row stays locked for the phase (a rollback or cancel asked meanwhile waits for
it); the tenant row only around the phase's transitions (`phases._lock`), never over a copy."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.lifecycle.migrations import _resume, data
from paybill_control_plane.lifecycle.migrations.phases import HANDLERS
from paybill_control_plane.lifecycle.migrations.repository import IN_FLIGHT
from paybill_control_plane.models.enums import MigrationPhase as P
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_migration import TenantMigration

# Called in the transaction in which a migration ends (completed, rolled back, cancelled or
# failed): billing's retry of the changes it held (handed in by the worker's builder).
MigrationEnded = Callable[[AsyncSession, TenantMigration], Awaitable[None]]


async def _claim(
    session: AsyncSession, migration_id: uuid.UUID, phase: P
) -> TenantMigration | None:
    """The migration row, locked, if it is still in `phase` (else a stale job: None)."""
    m = await session.get(TenantMigration, migration_id, with_for_update=True)
    if m is None or m.phase != phase or m.status not in IN_FLIGHT:
        return None
    return m


async def _mark_switch(
    sessionmaker: async_sessionmaker[AsyncSession], migration_id: uuid.UUID, phase: P,
    ctx: DataTierContext,
) -> None:  # fmt: skip
    """Commit the marker of a data switch (cutover; rollback's copy back) before it starts, so
    a job killed in it resumes knowing that it may have switched (_resume)."""
    async with transaction(sessionmaker) as session:
        m = await _claim(session, migration_id, phase)
        if m is None or m.phases[-1].get("data_step") or m.run_ids:
            return
        tenant = await session.get(Tenant, m.tenant_id)
        assert tenant is not None
        if phase is P.cutover:
            needed = data.has_local_data(tenant)
        else:
            needed = await _resume.copy_back_needed(session, ctx, m, tenant)
        if needed:
            _resume.mark(m)


async def run_phase(
    sessionmaker: async_sessionmaker[AsyncSession],
    migration_id: uuid.UUID,
    phase: P,
    ctx: DataTierContext,
    ended: MigrationEnded | None = None,
) -> None:
    """The job body: run `phase` if the migration is still in it (else a stale job: nothing)."""
    if phase in (P.cutover, P.rollback):
        await _mark_switch(sessionmaker, migration_id, phase, ctx)
    async with transaction(sessionmaker) as session:
        m = await _claim(session, migration_id, phase)
        if m is None:
            return
        tenant = await session.get(Tenant, m.tenant_id)
        assert tenant is not None
        await HANDLERS[phase](session, m, tenant, ctx)
        if ended is not None and m.status not in IN_FLIGHT:
            await ended(session, m)
