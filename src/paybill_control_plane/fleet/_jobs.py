"""Names, queues and locks of the fleet jobs, and the helpers that defer them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.provisioning._jobs import stack_lock
from paybill_control_plane.worker.jobs import Queue, defer_job

ROLLOUT_TICK_TASK = "paybill.rollout_tick"
DRIFT_CHECK_TASK = "paybill.drift_check"
DRIFT_SCHEDULE_TASK = "paybill.drift_schedule"
SCHEMA_MIGRATE_TASK = "paybill.schema_migrate"


async def _defer_once(
    session: AsyncSession,
    queue: Queue,
    task: str,
    args: dict[str, str],
    *,
    lock: str,
    queueing_lock: str,
    scheduled_at: datetime | None,
) -> bool:
    """Defer unless the same job already waits (its queueing lock); False when it did."""
    try:
        async with session.begin_nested():
            await defer_job(
                session,
                queue,
                task,
                args,
                lock=lock,
                queueing_lock=queueing_lock,
                scheduled_at=scheduled_at,
            )
    except IntegrityError:
        return False
    return True


async def defer_rollout_tick(
    session: AsyncSession, rollout_id: uuid.UUID, *, at: datetime | None = None
) -> bool:
    """One rollout step at a time per rollout, at most one waiting."""
    key = f"rollout:{rollout_id}"
    return await _defer_once(
        session,
        Queue.fleet,
        ROLLOUT_TICK_TASK,
        {"rollout_id": str(rollout_id)},
        lock=key,
        queueing_lock=key,
        scheduled_at=at,
    )


async def defer_drift_check(
    session: AsyncSession, stack_id: uuid.UUID, *, at: datetime | None = None
) -> bool:
    """A drift check shares the stack's run lock: it never runs while a run holds the stack."""
    return await _defer_once(
        session,
        Queue.runs,
        DRIFT_CHECK_TASK,
        {"stack_id": str(stack_id)},
        lock=stack_lock(stack_id),
        queueing_lock=f"drift:{stack_id}",
        scheduled_at=at,
    )


async def defer_schema_migration(
    session: AsyncSession, target_id: uuid.UUID, database_id: uuid.UUID
) -> bool:
    """One tenant database's pending migrations; one such job at a time per database."""
    return await _defer_once(
        session,
        Queue.fleet,
        SCHEMA_MIGRATE_TASK,
        {"target_id": str(target_id)},
        lock=f"tenant-database:{database_id}",
        queueing_lock=f"schema-target:{target_id}",
        scheduled_at=None,
    )
