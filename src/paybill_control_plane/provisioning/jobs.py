"""Procrastinate jobs, deferred inside the caller's transaction (a rollback leaves no job)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

QUEUE = "provisioning"
RUN_STACK_TASK = "paybill.run_stack"

# procrastinate's own SQL entry point for deferring; calling it on the request's connection is
# what makes the job part of the same transaction as the run row that needs it.
_DEFER_SQL = text(
    "SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[ROW("
    ":queue, :task, 0, :lock, NULL, CAST(:args AS jsonb), :scheduled_at"
    ")::procrastinate_job_to_defer_v1])) AS id"
)


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
    job_id = await session.scalar(
        _DEFER_SQL,
        {
            "queue": QUEUE,
            "task": RUN_STACK_TASK,
            "lock": stack_lock(stack_id),
            "args": json.dumps({"run_id": str(run_id)}),
            "scheduled_at": scheduled_at,
        },
    )
    assert job_id is not None
    return int(job_id)
