"""Resuming the data switches (cutover, rollback's copy back) after a worker died in them.

A switch ends by pointing the tenant's `tenant_databases` row at the new side and allowing that
side's login: from then on the application may write there. A phase killed after that but
before its own transaction committed must not copy again (it would overwrite those writes); a
phase killed before it must copy again (nothing was switched). So a switch is *marked* in the
migration row (`data_step: started`, committed) before it starts, and a marked switch that is
resumed asks the data tier which side serves (`served_by`).
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier import repository as databases
from paybill_control_plane.datatier.provision import DataTierContext, drop_tenant_database
from paybill_control_plane.lifecycle.migrations import data
from paybill_control_plane.models.enums import DatabaseStatus, IsolationModel
from paybill_control_plane.models.enums import MigrationPhase as P
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_migration import TenantMigration

STARTED = "started"
Which = Literal["source", "target"]


def marked(m: TenantMigration, phase: P) -> bool:
    """Whether `phase`'s latest entry marks its data switch as started."""
    entries = [p for p in m.phases if p["name"] == phase]
    return bool(entries) and entries[-1].get("data_step") == STARTED


def mark(m: TenantMigration) -> None:
    """Mark the current phase's data switch as started (the caller commits it before it)."""
    m.phases = [*m.phases[:-1], {**m.phases[-1], "data_step": STARTED}]


async def served_by(
    session: AsyncSession, ctx: DataTierContext, m: TenantMigration, which: Which
) -> bool:
    """Whether the tenant's connection details name `which` side and its login is allowed: a
    switch to that side completed."""
    side = data.source(ctx, m) if which == "source" else data.target(ctx, m)
    row = await databases.get_for_tenant(session, m.tenant_id)
    if row is None or row.username is None or row.status != DatabaseStatus.available:
        return False
    if (row.database, row.schema) != (side.names.database, side.names.schema):
        return False
    return await pg.login_enabled(ctx.server.admin_dsn, row.username)


async def copy_back_needed(
    session: AsyncSession, ctx: DataTierContext, m: TenantMigration, tenant: Tenant
) -> bool:
    """A rollback copies back when the target served the tenant: its cutover succeeded, or
    a cutover killed mid-switch had switched (its marker and the data tier say so)."""
    if not data.has_local_data(tenant):
        return False
    if any(p["name"] == P.cutover and p["status"] == "succeeded" for p in m.phases):
        return True
    return marked(m, P.cutover) and await served_by(session, ctx, m, "target")


async def switched(
    session: AsyncSession,
    ctx: DataTierContext,
    m: TenantMigration,
    phase: P,
    to: Which,
) -> dict[str, Any] | None:
    """The detail of a switch that a killed job had finished; None: (re)do the switch."""
    if marked(m, phase) and await served_by(session, ctx, m, to):
        return {
            "resumed": True,
            "data": f"the switch to the {to} was made before a worker died; not copied again "
            "(it may have served writes since), so the freeze time of that attempt is unknown",
        }
    return None


async def drop_pooled(ctx: DataTierContext, m: TenantMigration, which: Which) -> None:
    """Drop `which` side's pooled schema and roles (its connection row is not theirs any more):
    a pool run leaves a migrating member's schema alone, and a hop within one pool does not
    change the pool's stack at all."""
    model = m.source_isolation if which == "source" else m.target_isolation
    pool = m.source_pool_id if which == "source" else m.target_pool_id
    if model == IsolationModel.pooled.value and pool is not None:
        await drop_tenant_database(ctx, m.tenant_id, IsolationModel.pooled, pool, actor=data.ACTOR)
