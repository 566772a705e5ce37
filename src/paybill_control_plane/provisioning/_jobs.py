"""Name, queue and lock of the run job; shared by the services that defer it and the worker."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.worker.jobs import Queue, defer_job

RUN_STACK_TASK = "paybill.run_stack"
QUEUE = Queue.runs


def stack_lock(stack_id: uuid.UUID) -> str:
    """Jobs sharing this lock never run at the same time: one run per stack."""
    return f"stack:{stack_id}"


async def defer_run_job(
    session: AsyncSession,
    run_id: uuid.UUID,
    stack_id: uuid.UUID,
    *,
    scheduled_at: datetime | None = None,
) -> int:
    """Enqueue the job that executes a run, in the session's transaction; returns the job id."""
    return await defer_job(
        session,
        QUEUE,
        RUN_STACK_TASK,
        {"run_id": str(run_id)},
        lock=stack_lock(stack_id),
        scheduled_at=scheduled_at,
    )
