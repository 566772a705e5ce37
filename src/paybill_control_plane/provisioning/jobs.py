"""Procrastinate jobs, deferred inside the caller's transaction (a rollback leaves no job)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

QUEUE = "provisioning"
RUN_STACK_TASK = "paybill.run_stack"

# One job as procrastinate's SQL entry point expects it; other statements (the webhook's
# insert-and-defer) embed it too.
JOB_ROW_SQL = (
    "ROW(:queue, :task, :priority, :lock, :queueing_lock, CAST(:args AS jsonb), :scheduled_at)"
    "::procrastinate_job_to_defer_v1"
)
# procrastinate's own SQL entry point for deferring; calling it on the request's connection is
# what makes the job part of the same transaction as the rows that need it.
_DEFER_SQL = text(f"SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[{JOB_ROW_SQL}])) AS id")


def stack_lock(stack_id: uuid.UUID) -> str:
    """Jobs sharing this lock never run at the same time: one run per stack."""
    return f"stack:{stack_id}"


def job_params(
    task_name: str,
    args: Mapping[str, Any],
    *,
    lock: str | None = None,
    queueing_lock: str | None = None,
    scheduled_at: datetime | None = None,
    priority: int = 0,
    queue: str = QUEUE,
) -> dict[str, Any]:
    """The bind parameters of `JOB_ROW_SQL`."""
    return {
        "queue": queue,
        "task": task_name,
        "priority": priority,
        "lock": lock,
        "queueing_lock": queueing_lock,
        "args": json.dumps(dict(args)),
        "scheduled_at": scheduled_at,
    }


async def defer_job(
    session: AsyncSession,
    task_name: str,
    args: Mapping[str, Any],
    *,
    lock: str | None = None,
    queueing_lock: str | None = None,
    scheduled_at: datetime | None = None,
    priority: int = 0,
) -> int:
    """Enqueue a job in the session's transaction; returns the job id.

    `lock`: jobs sharing it run one at a time, in the order they were deferred. `queueing_lock`:
    at most one such job waits in the queue (a second defer raises an IntegrityError).
    """
    params = job_params(
        task_name,
        args,
        lock=lock,
        queueing_lock=queueing_lock,
        scheduled_at=scheduled_at,
        priority=priority,
    )
    job_id = await session.scalar(_DEFER_SQL, params)
    assert job_id is not None
    return int(job_id)


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
        RUN_STACK_TASK,
        {"run_id": str(run_id)},
        lock=stack_lock(stack_id),
        scheduled_at=scheduled_at,
    )
