"""One step of a rollout workflow: settle finished stacks, spend the budget, start the next ones.

A step is one short transaction under the rollout's row lock, and it defers the next step in
that same transaction: a worker killed mid-step leaves the previous step's job to run again
(stalled-job recovery), and running a step twice changes nothing more than running it once.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.fleet._jobs import defer_rollout_tick, defer_schema_migration
from paybill_control_plane.fleet._stacks import lock_stack, move_stack
from paybill_control_plane.kit import windows
from paybill_control_plane.models.enums import RolloutStatus, RolloutTargetStatus, RunStatus
from paybill_control_plane.models.fleet import Rollout, RolloutTarget
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier

T = RolloutTargetStatus
ACTOR = "rollout"
IN_FLIGHT = (T.running, T.rolling_back)


async def _settle(session: AsyncSession, targets: list[RolloutTarget]) -> None:
    """Targets whose run finished take its outcome."""
    # Schema targets have no run: their job settles them itself.
    run_ids = [
        t.run_id if t.status == T.running else t.rollback_run_id
        for t in targets
        if t.status in IN_FLIGHT and t.stack_id is not None
    ]
    if not run_ids:
        return
    runs = {r.id: r for r in await session.scalars(select(Run).where(Run.id.in_(run_ids)))}
    for target in targets:
        if target.status not in IN_FLIGHT or target.stack_id is None:
            continue
        forward = target.status == T.running
        run = runs.get(target.run_id if forward else target.rollback_run_id)  # type: ignore[arg-type]
        if run is None or run.status not in (RunStatus.succeeded, RunStatus.failed):
            continue
        ok = run.status == RunStatus.succeeded
        if forward:
            target.status = T.succeeded if ok else T.failed
        else:
            target.status = T.rolled_back if ok else T.rollback_failed
        target.error = None if ok else (run.error or "the run failed")[:2000]
        target.finished_at = run.finished_at or utcnow()


async def _window_of(
    session: AsyncSession, target: RolloutTarget, cache: dict[uuid.UUID, str | None]
) -> windows.Window | None:
    """The owning tenant's window: its label, else its tier's; None: any time (or a pool)."""
    if target.tenant_id is None:
        return None
    if target.tenant_id not in cache:
        tenant = await session.get(Tenant, target.tenant_id)
        text = tenant.labels.get(windows.LABEL) if tenant is not None else None
        if text is None and tenant is not None:
            tier = await session.get(Tier, tenant.tier_key)
            text = tier.maintenance_window if tier is not None else None
        cache[target.tenant_id] = text
    text = cache[target.tenant_id]
    if not text:
        return None
    try:
        return windows.parse(text)
    except windows.InvalidWindow:
        return None  # a malformed label never blocks; the API refuses malformed tier windows


async def _start(
    session: AsyncSession,
    rollout: Rollout,
    wave: list[RolloutTarget],
    running: int,
    settings: Settings,
    now: datetime,
) -> datetime | None:
    """Start pending targets of the wave up to the concurrency; the next window opening, if a
    target waits for one."""
    limit = int(rollout.strategy.get("max_concurrency", 1))
    respect = bool(rollout.strategy.get("respect_maintenance_windows", True))
    cache: dict[uuid.UUID, str | None] = {}
    opening: datetime | None = None
    for target in (t for t in wave if t.status == T.pending):
        if running >= limit:
            break
        window = await _window_of(session, target, cache) if respect else None
        if window is not None and not window.contains(now):
            nxt = window.next_opening(now)
            opening = nxt if opening is None else min(opening, nxt)
            continue
        if rollout.kind == "schema":
            assert target.tenant_database_id is not None
            await defer_schema_migration(session, target.id, target.tenant_database_id)
            target.status = T.running
            target.started_at = now
            running += 1
            continue
        stack = await lock_stack(session, target.stack_id)
        assert rollout.release_id is not None
        target.from_release_id = stack.release_id
        run = await move_stack(
            session, stack, rollout.release_id, kind="rollout",
            trigger=f"rollout {rollout.id} wave {target.wave}", actor=ACTOR, settings=settings,
            tenant_id=target.tenant_id,
        )  # fmt: skip
        target.run_id = run.id
        target.status = T.running
        target.started_at = now
        running += 1
    return opening


async def _finish(session: AsyncSession, rollout: Rollout, status: RolloutStatus, why: str) -> None:
    before = rollout.status
    rollout.status = status
    rollout.finished_at = utcnow()
    if status == RolloutStatus.halted:
        rollout.halted_reason = why
    await audit.record(
        session, actor=ACTOR, action=f"rollout.{status.value}", target_type="rollout",
        target_id=rollout.id, before={"status": before}, after={"status": status, "reason": why},
    )  # fmt: skip


async def _advance(
    session: AsyncSession, rollout: Rollout, targets: list[RolloutTarget], settings: Settings
) -> datetime | None:
    """Move a running rollout on; returns when the next step is due (None: poll)."""
    failed = sum(1 for t in targets if t.status == T.failed)
    if failed > rollout.max_failures:
        await _finish(
            session, rollout, RolloutStatus.halted,
            f"{failed} failed stacks exceed the error budget of {rollout.max_failures}",
        )  # fmt: skip
        return None
    now = utcnow()
    last_wave = max((t.wave for t in targets), default=-1)
    while True:
        wave = [t for t in targets if t.wave == rollout.current_wave]
        open_ = [t for t in wave if t.status in (T.pending, T.running)]
        if open_:
            break
        if rollout.current_wave >= last_wave:
            if not any(t.status in IN_FLIGHT for t in targets):
                await _finish(session, rollout, RolloutStatus.completed, "every wave done")
            return None
        soak = timedelta(seconds=int(rollout.strategy.get("soak_seconds", 0)))
        rollout.wave_done_at = rollout.wave_done_at or now
        if now < rollout.wave_done_at + soak:
            return rollout.wave_done_at + soak
        rollout.current_wave += 1
        rollout.wave_done_at = None
    running = sum(1 for t in targets if t.status == T.running)
    return await _start(session, rollout, wave, running, settings, now)


async def step(session: AsyncSession, rollout_id: uuid.UUID, settings: Settings) -> None:
    """One step of the rollout; defers the next one while anything remains to do or settle."""
    rollout = await session.get(Rollout, rollout_id, with_for_update=True)
    if rollout is None:
        return
    targets = list(
        await session.scalars(
            select(RolloutTarget)
            .where(RolloutTarget.rollout_id == rollout.id)
            .order_by(RolloutTarget.position)
        )
    )
    await _settle(session, targets)
    due: datetime | None = None
    if rollout.status == RolloutStatus.running:
        due = await _advance(session, rollout, targets, settings)
    elif rollout.status == RolloutStatus.rolling_back and not any(
        t.status == T.rolling_back for t in targets
    ):
        await _finish(session, rollout, RolloutStatus.rolled_back, "every stack is back")
    in_flight = any(t.status in IN_FLIGHT for t in targets)
    if rollout.status == RolloutStatus.running or in_flight:
        poll = utcnow() + timedelta(seconds=settings.rollout_poll_seconds)
        at = poll if due is None else min(max(due, utcnow()), poll) if in_flight else due
        await defer_rollout_tick(session, rollout.id, at=at)
