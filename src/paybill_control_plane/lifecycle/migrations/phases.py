"""The migration workflow: one job per phase, each doing one idempotent thing and recording its
outcome together with the next phase's job, in one transaction.

    plan -> provision_target -> copy -> cutover -> hold -> decommission -> done
                 \\________________\\_______\\________\\-> rollback -> done (rolled back / cancelled)

A phase that waits for runs defers itself again (`migration_poll_seconds`); a job whose phase has
passed finds the row in another phase and does nothing. A worker killed mid-phase loses that
transaction: procrastinate's stalled-job recovery runs the phase again from the committed state.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.datatier.snapshots import final_expiry, request_snapshot
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.lifecycle.migrations import _resume, data
from paybill_control_plane.lifecycle.migrations._jobs import defer_phase
from paybill_control_plane.lifecycle.transitions import switch_isolation
from paybill_control_plane.models.enums import MigrationPhase as P
from paybill_control_plane.models.enums import (
    MigrationStatus,
    RunStatus,
    SnapshotKind,
    SnapshotStatus,
)
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_migration import TenantMigration
from paybill_control_plane.models.tenant_snapshot import TenantSnapshot
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.provisioning import placement
from paybill_control_plane.provisioning import service as provisioning

FORWARD = (P.plan, P.provision_target, P.copy, P.cutover, P.hold, P.decommission)
CANCELLABLE = (P.plan, P.provision_target, P.copy)
AFTER_CUTOVER = (P.cutover, P.hold)
ACTOR = "worker"
_NEXT = dict(zip(FORWARD, (*FORWARD[1:], P.done), strict=True))

Handler = Callable[[AsyncSession, TenantMigration, Tenant, DataTierContext], Awaitable[None]]


def entry(phase: P, **extra: Any) -> dict[str, Any]:
    return {"name": phase.value, "status": "running", "started_at": utcnow().isoformat(), **extra}


def _close(m: TenantMigration, status: str, detail: Any) -> None:
    last = dict(m.phases[-1])
    now = utcnow()
    started = last["started_at"]
    elapsed = now - datetime.fromisoformat(started)
    last.update(status=status, finished_at=now.isoformat(), detail=detail)
    last["duration_ms"] = int(elapsed.total_seconds() * 1000)
    m.phases = [*m.phases[:-1], last]


async def _record(
    session: AsyncSession, m: TenantMigration, actor: Principal | str, before: str, outcome: str,
    detail: Any,
) -> None:  # fmt: skip
    await audit.record(
        session, actor=actor, action="migration.phase_changed", target_type="migration",
        target_id=m.id, tenant_id=m.tenant_id, before={"phase": before},
        after={"phase": m.phase, "status": m.status, "outcome": outcome, "detail": detail},
    )  # fmt: skip


async def _move_on(
    session: AsyncSession,
    m: TenantMigration,
    outcome: str,
    detail: Any,
    *,
    scheduled_at: Any = None,
) -> None:
    """Close the current phase, enter the next and defer its job (same transaction)."""
    before = P(m.phase)
    _close(m, outcome, detail)
    nxt = _NEXT[before]
    m.run_ids = []
    if nxt is P.done:
        m.phase, m.status, m.finished_at = P.done, MigrationStatus.completed, utcnow()
        await _record(session, m, ACTOR, before, outcome, detail)
        return
    m.phase = nxt
    m.phases = [*m.phases, entry(nxt)]
    await _record(session, m, ACTOR, before, outcome, detail)
    await defer_phase(session, m.id, m.tenant_id, nxt, scheduled_at=scheduled_at)


async def _fail(session: AsyncSession, m: TenantMigration, error: str) -> None:
    _close(m, "failed", error)
    m.status, m.error = MigrationStatus.failed, error
    await _record(session, m, ACTOR, m.phase, "failed", error)


async def _wait(
    session: AsyncSession, m: TenantMigration, settings: Settings, until: Any = None
) -> None:
    at = until or utcnow() + timedelta(seconds=settings.migration_poll_seconds)
    await defer_phase(session, m.id, m.tenant_id, P(m.phase), scheduled_at=at)


async def _queue_runs(
    session: AsyncSession, m: TenantMigration, tenant: Tenant, stacks: list[Stack | None], settings: Settings
) -> None:  # fmt: skip
    runs = [
        await provisioning.request_run(
            session,
            s,
            kind="migrate",
            trigger=f"migration {m.id}",
            tenant_ids=[tenant.id],
            actor=ACTOR,
            settings=settings,
        )
        for s in stacks
        if s is not None
    ]
    m.run_ids = [str(r.id) for r in runs]


async def _runs_outcome(session: AsyncSession, m: TenantMigration) -> tuple[bool, str | None]:
    """(all runs succeeded, the first failure)."""
    runs = list(
        await session.scalars(select(Run).where(Run.id.in_([uuid.UUID(r) for r in m.run_ids])))
    )
    failed = next((r for r in runs if r.status == RunStatus.failed), None)
    if failed is not None:
        return False, f"run {failed.id} failed: {(failed.error or '')[:300]}"
    return all(r.status == RunStatus.succeeded for r in runs), None


async def _take_down(
    session: AsyncSession,
    m: TenantMigration,
    tenant: Tenant,
    settings: Settings,
    isolation: str,
    *,
    left_pool_id: uuid.UUID | None,
    pool_id: uuid.UUID | None,
    done: Callable[[], Awaitable[None]],
) -> None:
    """Queue the runs that take down one side of the migration: the tenant's own stack of
    `isolation` and the pool it leaves (`left_pool_id`; a tenant still in it moves to `pool_id`,
    off the pool's member list and capacity). Nothing to run: `done`; else wait for the runs."""
    stacks: list[Stack | None] = []
    if left_pool_id is not None:
        if tenant.pool_id == left_pool_id:
            tenant.pool_id = pool_id
        stacks.append(await provisioning.pool_stack(session, left_pool_id))
    stacks.append(await provisioning.own_stack(session, tenant.id, isolation))
    await _queue_runs(session, m, tenant, stacks, settings)
    if not m.run_ids:
        await done()
        return
    await _wait(session, m, settings)


async def _after_runs(
    session: AsyncSession, m: TenantMigration, settings: Settings, done: Callable[[], Awaitable[None]]
) -> None:  # fmt: skip
    ok, error = await _runs_outcome(session, m)
    if error:
        await _fail(session, m, error)
    elif ok:
        await done()
    else:
        await _wait(session, m, settings)


async def _plan(
    session: AsyncSession, m: TenantMigration, tenant: Tenant, ctx: DataTierContext
) -> None:
    await _move_on(session, m, "succeeded", {"target": m.plan["target"], "data": m.plan["data"]})


async def _provision_target(
    session: AsyncSession, m: TenantMigration, tenant: Tenant, ctx: DataTierContext
) -> None:
    settings = ctx.settings
    if m.run_ids:
        detail = {"runs": m.run_ids, "target_pool_id": str(m.target_pool_id or "") or None}
        await _after_runs(session, m, settings, lambda: _move_on(session, m, "succeeded", detail))
        return
    stacks: list[Stack | None] = []
    if m.target_isolation in ("pooled", "bridge"):
        tier = await session.get(Tier, m.target_tier)
        assert tier is not None
        await _lock(session, tenant)
        pool = await placement.place(session, tenant, tier, settings)  # the target's pool
        m.target_pool_id = pool.id
        stacks.append(await provisioning.pool_stack(session, pool.id))
    stacks.append(await provisioning.ensure_own_stack(session, tenant, m.target_isolation))
    await _queue_runs(session, m, tenant, stacks, settings)
    await _wait(session, m, settings)


async def _copy(
    session: AsyncSession, m: TenantMigration, tenant: Tenant, ctx: DataTierContext
) -> None:
    """Bulk copy and verify while the source keeps serving (a re-run copies again whole)."""
    if not data.has_local_data(tenant):
        await _move_on(session, m, "skipped", data.NOT_LOCAL)
        return
    copied = await data.bulk_copy(ctx, m)
    m.plan = {**m.plan, "data": {**m.plan.get("data", {}), "copied_bytes": copied["dump_bytes"],
                                  "source_bytes": copied["source_bytes"]}}  # fmt: skip
    await _move_on(session, m, "succeeded", copied)


async def _endpoint(session: AsyncSession, m: TenantMigration, tenant: Tenant) -> str | None:
    own = await provisioning.own_stack(session, tenant.id, m.target_isolation)
    stack = own or await provisioning.pool_stack(session, m.target_pool_id)
    value = (stack.outputs or {}).get("endpoint") if stack is not None else None
    return str(value) if value else None


async def _cutover(
    session: AsyncSession, m: TenantMigration, tenant: Tenant, ctx: DataTierContext
) -> None:
    settings = ctx.settings
    if not data.has_local_data(tenant):
        frozen: dict[str, Any] = {"data": data.NOT_LOCAL}
    else:
        frozen = await _resume.switched(session, ctx, m, P.cutover, "target") or await data.cutover(
            ctx, m
        )
    await _lock(session, tenant)  # only now: the copy above blocks no update of the tenant
    await switch_isolation(
        session, ACTOR, tenant, tier_key=m.target_tier, isolation_model=m.target_isolation,
        isolation_override=m.target_isolation_override, action="tenant.migrated",
        context={"migration_id": str(m.id)},
    )  # fmt: skip
    m.endpoint = await _endpoint(session, m, tenant)
    m.status = MigrationStatus.holding
    m.hold_until = utcnow() + timedelta(hours=settings.migration_hold_hours)
    detail = {"switched_to": m.target_isolation, "endpoint": m.endpoint, **frozen}
    await _move_on(session, m, "succeeded", detail, scheduled_at=m.hold_until)


async def _hold(
    session: AsyncSession, m: TenantMigration, tenant: Tenant, ctx: DataTierContext
) -> None:
    settings = ctx.settings
    if m.hold_until is not None and utcnow() < m.hold_until:
        await _wait(session, m, settings, until=m.hold_until)
        return
    m.status = MigrationStatus.running
    await _move_on(
        session, m, "succeeded", {"held_until": m.hold_until.isoformat() if m.hold_until else None}
    )


async def _decommission(
    session: AsyncSession, m: TenantMigration, tenant: Tenant, ctx: DataTierContext
) -> None:
    settings = ctx.settings
    if data.has_local_data(tenant) and "final_snapshot_id" not in m.phases[-1]:
        await data.release_captures(ctx, m)  # no rollback from here: stop logging changes
    if not await _final_snapshot_taken(session, m, tenant, ctx):
        return
    moved = m.source_pool_id is not None and m.source_pool_id != m.target_pool_id
    left = str(m.source_pool_id) if moved else None

    async def done() -> None:
        if m.source_pool_id is not None and m.source_pool_id == m.target_pool_id:
            await _resume.drop_pooled(ctx, m, "source")  # pooled -> bridge in its pool
        detail = {"runs": m.run_ids, "left_pool_id": left,
                  "final_snapshot_id": m.phases[-1].get("final_snapshot_id")}  # fmt: skip
        await _move_on(session, m, "succeeded", detail)

    if m.run_ids:
        await _after_runs(session, m, settings, done)
        return
    if moved:
        await _lock(session, tenant)
    await _take_down(
        session, m, tenant, settings, m.source_isolation,
        left_pool_id=m.source_pool_id if moved else None, pool_id=m.target_pool_id, done=done,
    )  # fmt: skip


async def _final_snapshot_taken(
    session: AsyncSession, m: TenantMigration, tenant: Tenant, ctx: DataTierContext
) -> bool:
    """Before the source is dropped: a final snapshot of it (snapshots' own job, lock
    `tenant-data:<id>`), asked once and waited for. False while it is not completed."""
    if not data.has_local_data(tenant):
        return True
    current = m.phases[-1]
    snapshot_id = current.get("final_snapshot_id")
    if snapshot_id is None:
        snap = await request_snapshot(
            session, ACTOR, m.tenant_id, data.source(ctx, m).target, kind=SnapshotKind.final,
            expires_at=final_expiry(ctx.settings),
        )  # fmt: skip
        m.phases = [*m.phases[:-1], {**current, "final_snapshot_id": str(snap.id)}]
        await _wait(session, m, ctx.settings)
        return False
    found = await session.get(TenantSnapshot, uuid.UUID(snapshot_id))
    if found is not None and found.status == SnapshotStatus.completed:
        return True
    if found is None or found.status == SnapshotStatus.failed:
        await _fail(session, m, f"final snapshot {snapshot_id} of the source failed; not dropped")
        return False
    await _wait(session, m, ctx.settings)
    return False


async def begin_rollback(
    session: AsyncSession, m: TenantMigration, actor: Principal | str, requested: str
) -> None:
    """Interrupt the current phase and enter `rollback` (its job in this transaction)."""
    before = m.phase
    if m.status != MigrationStatus.failed:
        _close(m, "interrupted", f"{requested} requested")
    m.status, m.phase, m.run_ids = MigrationStatus.rolling_back, P.rollback, []
    m.phases = [*m.phases, entry(P.rollback, requested=requested)]
    await _record(session, m, actor, before, requested, None)
    await defer_phase(session, m.id, m.tenant_id, P.rollback)


async def _rollback(
    session: AsyncSession, m: TenantMigration, tenant: Tenant, ctx: DataTierContext
) -> None:
    settings = ctx.settings
    requested = m.phases[-1].get("requested", "rollback")
    final = MigrationStatus.cancelled if requested == "cancel" else MigrationStatus.rolled_back

    async def finish() -> None:
        if data.has_local_data(tenant):
            await _resume.drop_pooled(ctx, m, "target")  # a pool run leaves it alone
        _close(m, "succeeded", {"runs": m.run_ids, "data": m.phases[-1].get("data")})
        m.phase, m.status, m.finished_at = P.done, final, utcnow()
        await _record(session, m, ACTOR, P.rollback, final, None)

    if m.run_ids:
        await _after_runs(session, m, settings, finish)
        return
    if _resume.marked(m, P.rollback):  # the target served writes: back to the source, verified
        back = await _resume.switched(session, ctx, m, P.rollback, "source") or (
            await data.copy_back(ctx, m)
        )
        m.phases = [*m.phases[:-1], {**m.phases[-1], "data": back}]
    if data.has_local_data(tenant):
        await data.release_captures(ctx, m)
    await _lock(session, tenant)
    await switch_isolation(
        session, ACTOR, tenant, tier_key=m.source_tier, isolation_model=m.source_isolation,
        isolation_override=m.source_isolation_override, action="tenant.migration_rolled_back",
        context={"migration_id": str(m.id)},
    )  # fmt: skip
    leaves_target = m.target_pool_id is not None and m.target_pool_id != m.source_pool_id
    await _take_down(
        session, m, tenant, settings, m.target_isolation,
        left_pool_id=m.target_pool_id if leaves_target else None, pool_id=m.source_pool_id, done=finish,
    )  # fmt: skip


HANDLERS: dict[P, Handler] = {
    P.plan: _plan,
    P.provision_target: _provision_target,
    P.copy: _copy,
    P.cutover: _cutover,
    P.hold: _hold,
    P.decommission: _decommission,
    P.rollback: _rollback,
}


async def _lock(session: AsyncSession, tenant: Tenant) -> None:
    """Lock the tenant row for a state transition (re-read under the lock). A phase locks it
    only around its short transitions, never over a copy: API reads and other updates of the
    tenant go on meanwhile."""
    await session.refresh(tenant, with_for_update=True)
