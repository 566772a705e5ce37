"""The job kit: queues, the defer helper and the one way a domain registers its tasks.

Jobs are procrastinate's, deferred with SQL inside the caller's transaction, so a rollback leaves
no job behind (the outbox rule). This module imports no domain: domains import it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import procrastinate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.config import Settings


class Queue(StrEnum):
    """Queues are named for what they carry, so depth and age metrics say what is waiting."""

    runs = "runs"  # Terraform runs (long; one at a time per stack)
    billing = "billing"  # Stripe events and subscription reviews (short)
    audit = "audit"  # periodic audit checkpoints
    migrations = "migrations"  # phases of tenant migrations between isolation models (short)
    fleet = "fleet"  # rollout steps and drift scheduling (short; the Terraform work is runs)
    webhooks = "webhooks"  # outbound events to the application plane (short HTTP deliveries)
    licences = "licences"  # signing licence renewals (short)
    snapshots = "snapshots"  # tenant data snapshots, restores and their retention


# Until release 0.x all jobs went to one queue named "provisioning". Jobs still waiting there
# after an upgrade keep their queue name; workers listen on it too, for one release, and then it
# goes (procrastinate finds a job's task by its name, whatever its queue).
LEGACY_QUEUES: tuple[str, ...] = ("provisioning",)
# What a worker consumes when told nothing else: every queue.
WORKER_QUEUES: tuple[str, ...] = (*(q.value for q in Queue), *LEGACY_QUEUES)


@dataclass(frozen=True)
class WorkerDeps:
    """What every task registration receives; tasks take ids and open their own transactions."""

    sessionmaker: async_sessionmaker[AsyncSession]
    settings: Settings
    database_url: str


# Every domain's tasks.py exposes `register(app, deps)` of this type; worker/app.py calls each.
Registrar = Callable[[procrastinate.App, WorkerDeps], None]

# One job as procrastinate's SQL entry point expects it; other statements (the webhook's
# insert-and-defer) embed it too.
JOB_ROW_SQL = (
    "ROW(:queue, :task, :priority, :lock, :queueing_lock, CAST(:args AS jsonb), :scheduled_at)"
    "::procrastinate_job_to_defer_v1"
)
# procrastinate's own SQL entry point for deferring; calling it on the request's connection is
# what makes the job part of the same transaction as the rows that need it.
_DEFER_SQL = text(f"SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[{JOB_ROW_SQL}])) AS id")


def job_params(
    queue: Queue,
    task_name: str,
    args: Mapping[str, Any],
    *,
    lock: str | None = None,
    queueing_lock: str | None = None,
    scheduled_at: datetime | None = None,
    priority: int = 0,
) -> dict[str, Any]:
    """The bind parameters of `JOB_ROW_SQL`."""
    return {
        "queue": queue.value,
        "task": task_name,
        "priority": priority,
        "lock": lock,
        "queueing_lock": queueing_lock,
        "args": json.dumps(dict(args)),
        "scheduled_at": scheduled_at,
    }


async def defer_job(
    session: AsyncSession,
    queue: Queue,
    task_name: str,
    args: Mapping[str, Any],
    *,
    lock: str | None = None,
    queueing_lock: str | None = None,
    scheduled_at: datetime | None = None,
    priority: int = 0,
) -> int:
    """Enqueue a job in the session's transaction; returns the job id.

    `queue` must be the one the task is registered on. `lock`: jobs sharing it run one at a time,
    in the order they were deferred. `queueing_lock`: at most one such job waits in the queue (a
    second defer raises an IntegrityError).
    """
    params = job_params(
        queue,
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
