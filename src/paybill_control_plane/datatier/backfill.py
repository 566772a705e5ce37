"""Backfill: tenants provisioned before the data tier existed get their database now, not at their
next real apply.

`paybill datatier backfill` finds every applied stack (silo, bridge data, pool) holding a tenant
that has no `tenant_databases` row, and queues one job per stack, audited
`database.backfill_queued`. The job runs the `database` step of a run for those tenants only —
`ensure_tenant_database` (audited `database.created`) and every released schema migration —
from what the stack holds as *applied* (`applied_variables`, `outputs`), never from a change not
yet applied. It shares the stack's run lock, so it never overlaps a run of that stack; a tenant
that got its row meanwhile (a run, an earlier backfill) is skipped, and every statement of the
ensure is idempotent, so a worker killed mid-way leaves work the next attempt (or the next
backfill) finishes. Tenants being migrated between isolation models are left to their migration.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.datatier.cloud import CloudDatabase, record_cloud_database
from paybill_control_plane.datatier.provision import DataTierContext, ensure_tenant_database
from paybill_control_plane.datatier.runs import OWN_MODEL
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.fleet.schema_apply import bring_up_to_date
from paybill_control_plane.models.enums import (
    IsolationModel,
    MigrationStatus,
    StackStatus,
    TenantDesiredState,
)
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_database import TenantDatabase
from paybill_control_plane.models.tenant_migration import TenantMigration
from paybill_control_plane.worker.jobs import Queue, defer_job

BACKFILL_TASK = "datatier.backfill_stack"
ACTOR = "datatier-backfill"
_MIGRATING = (MigrationStatus.running, MigrationStatus.holding, MigrationStatus.rolling_back)


@dataclass(frozen=True)
class Missing:
    """One tenant of an applied stack without a database row, and how the stack holds it."""

    tenant_id: uuid.UUID
    model: IsolationModel
    pool_id: uuid.UUID | None
    suspended: bool


def _held(stack: Stack, tenants: dict[uuid.UUID, Tenant]) -> list[Missing]:
    """The tenants the stack holds as applied, with their model, pool and suspension."""
    applied = stack.applied_variables or {}
    if stack.kind in OWN_MODEL:
        tenant = tenants.get(stack.tenant_id) if stack.tenant_id else None
        if tenant is None:
            return []
        model = OWN_MODEL[stack.kind]
        pool = tenant.pool_id if model is IsolationModel.bridge else None
        return [Missing(tenant.id, model, pool, bool(applied.get("suspended", False)))]
    held = []
    for member in applied.get("tenants", []):
        tenant = tenants.get(uuid.UUID(member["tenant_id"]))
        if tenant is not None and tenant.isolation_model == IsolationModel.pooled.value:
            held.append(
                Missing(
                    tenant.id, IsolationModel.pooled, stack.pool_id, bool(member.get("suspended"))
                )
            )
    return held


async def missing_databases(
    session: AsyncSession, stack_ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, list[Missing]]:
    """Applied stacks' tenants without a database row (nor a migration in flight), by stack."""
    stmt = select(Stack).where(Stack.status == StackStatus.applied.value).order_by(Stack.id)
    if stack_ids is not None:
        stmt = stmt.where(Stack.id.in_(stack_ids))
    stacks = list(await session.scalars(stmt))
    have = set(await session.scalars(select(TenantDatabase.tenant_id)))
    migrating = set(
        await session.scalars(
            select(TenantMigration.tenant_id).where(
                TenantMigration.status.in_([s.value for s in _MIGRATING])
            )
        )
    )
    live = {
        t.id: t
        for t in await session.scalars(
            select(Tenant).where(Tenant.desired_state != TenantDesiredState.deprovisioned.value)
        )
    }
    found: dict[uuid.UUID, list[Missing]] = {}
    for stack in stacks:
        held = [
            m
            for m in _held(stack, live)
            if m.tenant_id not in have and m.tenant_id not in migrating
        ]
        if held:
            found[stack.id] = held
    return found


async def queue_backfill(
    session: AsyncSession, actor: Principal | str, *, dry_run: bool = False
) -> dict[uuid.UUID, list[Missing]]:
    """Queue the `database` step for every applied stack holding tenants without a database
    (one job per stack, audited); what was (or, dry, would be) queued."""
    found = await missing_databases(session)
    if dry_run:
        return found
    for stack_id, held in found.items():
        await defer_job(
            session, Queue.runs, BACKFILL_TASK, {"stack_id": str(stack_id)},
            lock=f"stack:{stack_id}", queueing_lock=f"datatier-backfill:{stack_id}",
        )  # fmt: skip
        for missing in held:
            await audit.record(
                session, actor=actor, action="database.backfill_queued", target_type="stack",
                target_id=stack_id, tenant_id=missing.tenant_id,
                after={"stack_id": str(stack_id), "model": missing.model.value},
            )  # fmt: skip
    return found


async def backfill_stack(ctx: DataTierContext, stack_id: uuid.UUID) -> str:
    """The job: the `database` step for the stack's tenants still without a database."""
    async with transaction(ctx.sessionmaker) as session:
        held = (await missing_databases(session, [stack_id])).get(stack_id, [])
        stack = await session.get(Stack, stack_id)
        cloud, outputs = (stack.cloud, dict(stack.outputs or {})) if stack else ("local", {})
    for missing in held:
        if cloud != "local":
            db = CloudDatabase(missing.tenant_id, missing.model, missing.pool_id, cloud, outputs)
            await record_cloud_database(ctx, db, actor=ACTOR)
            continue
        await ensure_tenant_database(
            ctx, missing.tenant_id, missing.model, missing.pool_id,
            suspended=missing.suspended, actor=ACTOR,
        )  # fmt: skip
        await bring_up_to_date(ctx, missing.tenant_id)
    return f"{len(held)} tenant databases backfilled"
