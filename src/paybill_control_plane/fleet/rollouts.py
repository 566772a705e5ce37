"""Rollouts: create one (targets and waves), pause, resume, cancel, roll back, present it."""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal, actor_name
from paybill_control_plane.config import Settings
from paybill_control_plane.errors import InvalidTransition, NotFound, Unprocessable
from paybill_control_plane.fleet import selection
from paybill_control_plane.fleet._jobs import defer_rollout_tick
from paybill_control_plane.fleet._stacks import lock_stack, move_stack
from paybill_control_plane.fleet.releases import get_release
from paybill_control_plane.fleet.schemas import (
    RolloutCreate,
    RolloutDetail,
    RolloutOut,
    RolloutTargetOut,
    WaveOut,
)
from paybill_control_plane.kit.lookup import get_or_404
from paybill_control_plane.models.enums import RolloutStatus, RolloutTargetStatus
from paybill_control_plane.models.fleet import Rollout, RolloutTarget

T = RolloutTargetStatus
FINISHED = (RolloutStatus.completed, RolloutStatus.cancelled, RolloutStatus.rolled_back)


class RolloutNotFound(NotFound):
    type_slug = "rollout-not-found"
    title = "Rollout not found"


class NothingToRollOut(Unprocessable):
    type_slug = "rollout-selects-nothing"
    title = "The selector picks no stack that is not already on the release"


async def create_rollout(
    session: AsyncSession, actor: Principal | str, data: RolloutCreate
) -> Rollout:
    """Pick the stacks, assign waves, and start the workflow (its first step is a job)."""
    release = await get_release(session, data.release_id)
    picked = await selection.candidates(session, release, data.selector)
    if not picked:
        raise NothingToRollOut(f"No {release.module} stack to move to {release.version}.")
    eligible = [c for c in picked if c.eligible]
    strategy = data.strategy
    waves = selection.waves(len(eligible), strategy.canary, strategy.growth)
    rollout = Rollout(
        id=uuid.uuid4(),
        kind="module",
        release_id=release.id,
        status=RolloutStatus.running,
        selector=data.selector.model_dump(mode="json"),
        strategy=strategy.model_dump(mode="json") | {"max_failures": data.max_failures},
        max_failures=selection.budget(data.max_failures, eligible),
        current_wave=0,
        created_by=actor_name(actor),
    )
    session.add(rollout)
    await session.flush()
    position = 0
    for candidate, wave in zip(eligible, waves, strict=True):
        session.add(_target(rollout, candidate, position, wave, T.pending))
        position += 1
    for candidate in (c for c in picked if not c.eligible):
        target = _target(rollout, candidate, position, -1, T.skipped)
        target.error = f"its release does not meet upgradeable_from {release.upgradeable_from!r}"
        session.add(target)
        position += 1
    await session.flush()
    await defer_rollout_tick(session, rollout.id)
    await audit.record(
        session, actor=actor, action="rollout.created", target_type="rollout",
        target_id=rollout.id,
        after={"release": f"{release.module}@{release.version}", "targets": len(eligible),
               "skipped": len(picked) - len(eligible), "max_failures": rollout.max_failures},
    )  # fmt: skip
    return rollout


def _target(
    rollout: Rollout, candidate: selection.Candidate, position: int, wave: int, status: str
) -> RolloutTarget:
    return RolloutTarget(
        id=uuid.uuid4(),
        rollout_id=rollout.id,
        stack_id=candidate.stack.id,
        tenant_id=candidate.tenant_id,
        position=position,
        wave=wave,
        status=status,
        from_release_id=candidate.stack.release_id,
    )


async def get_rollout(
    session: AsyncSession, rollout_id: uuid.UUID, *, lock: bool = False
) -> Rollout:
    detail = f"No rollout {rollout_id}."
    return await get_or_404(session, Rollout, rollout_id, RolloutNotFound, detail, lock=lock)


async def targets_of(session: AsyncSession, rollout_id: uuid.UUID) -> list[RolloutTarget]:
    rows = await session.scalars(
        select(RolloutTarget)
        .where(RolloutTarget.rollout_id == rollout_id)
        .order_by(RolloutTarget.position)
    )
    return list(rows)


async def _transition(
    session: AsyncSession,
    actor: Principal | str,
    rollout_id: uuid.UUID,
    allowed: tuple[RolloutStatus, ...],
    to: RolloutStatus,
    action: str,
) -> Rollout:
    rollout = await get_rollout(session, rollout_id, lock=True)
    if RolloutStatus(rollout.status) not in allowed:
        raise InvalidTransition(
            f"Rollout {rollout.id} is '{rollout.status}'; it cannot be {action}d now.",
            extra={"rollout_status": rollout.status},
        )
    before = rollout.status
    rollout.status = to
    await audit.record(
        session, actor=actor, action=f"rollout.{action}", target_type="rollout",
        target_id=rollout.id, before={"status": before}, after={"status": to.value},
    )  # fmt: skip
    return rollout


async def pause(session: AsyncSession, actor: Principal | str, rollout_id: uuid.UUID) -> Rollout:
    """Start no further stack; the ones upgrading finish."""
    return await _transition(
        session, actor, rollout_id, (RolloutStatus.running,), RolloutStatus.paused, "pause"
    )


async def resume(session: AsyncSession, actor: Principal | str, rollout_id: uuid.UUID) -> Rollout:
    """Carry on from where a paused rollout stopped."""
    rollout = await _transition(
        session, actor, rollout_id, (RolloutStatus.paused,), RolloutStatus.running, "resume"
    )
    await defer_rollout_tick(session, rollout.id)
    return rollout


async def cancel(session: AsyncSession, actor: Principal | str, rollout_id: uuid.UUID) -> Rollout:
    """Stop for good: waiting stacks are never started; the ones upgrading finish."""
    active = (RolloutStatus.running, RolloutStatus.paused, RolloutStatus.halted)
    rollout = await _transition(
        session, actor, rollout_id, active, RolloutStatus.cancelled, "cancel"
    )
    for target in await targets_of(session, rollout.id):
        if target.status == T.pending:
            target.status = T.cancelled
    await defer_rollout_tick(session, rollout.id)  # settles the in-flight ones
    return rollout


async def rollback(
    session: AsyncSession, actor: Principal | str, rollout_id: uuid.UUID, settings: Settings
) -> Rollout:
    """Every stack the rollout touched goes back to the release it had before (a normal run)."""
    allowed = tuple(
        s for s in RolloutStatus if s not in (RolloutStatus.rolling_back, RolloutStatus.rolled_back)
    )
    current = await get_rollout(session, rollout_id, lock=True)
    if current.kind == "schema":
        raise InvalidTransition(
            "A schema rollout rolls forward only: release a migration that undoes the change.",
            extra={"rollout_status": current.status},
        )
    rollout = await _transition(
        session, actor, rollout_id, allowed, RolloutStatus.rolling_back, "rollback"
    )
    for target in await targets_of(session, rollout.id):
        if target.status == T.pending:
            target.status = T.cancelled
        elif target.status in (T.running, T.succeeded, T.failed):
            stack = await lock_stack(session, target.stack_id)
            run = await move_stack(
                session, stack, target.from_release_id, kind="rollback",
                trigger=f"rollback of rollout {rollout.id}", actor=actor, settings=settings,
                tenant_id=target.tenant_id,
            )  # fmt: skip
            target.status = T.rolling_back
            target.rollback_run_id = run.id
    rollout.finished_at = None
    await defer_rollout_tick(session, rollout.id)
    return rollout


def rollout_out(rollout: Rollout, targets: list[RolloutTarget]) -> RolloutOut:
    return RolloutOut.from_row(rollout, counts=dict(Counter(t.status for t in targets)))


def rollout_detail(rollout: Rollout, targets: list[RolloutTarget]) -> RolloutDetail:
    by_wave: dict[int, list[RolloutTarget]] = {}
    for target in targets:
        by_wave.setdefault(target.wave, []).append(target)
    waves = [
        WaveOut(wave=w, size=len(ts), counts=dict(Counter(t.status for t in ts)))
        for w, ts in sorted(by_wave.items())
        if w >= 0
    ]
    outs = [RolloutTargetOut.model_validate(t) for t in targets]
    failed = (T.failed, T.rollback_failed)
    return RolloutDetail(
        **rollout_out(rollout, targets).model_dump(),
        waves=waves,
        targets=outs,
        failures=[o for o in outs if o.status in failed],
    )
