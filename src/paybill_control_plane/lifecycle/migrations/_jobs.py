"""Name, queue and lock of the migration phase job; deferred by the service and by each phase."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.models.enums import MigrationPhase
from paybill_control_plane.worker.jobs import Queue, defer_job

MIGRATION_PHASE_TASK = "paybill.migration_phase"
QUEUE = Queue.migrations


async def defer_phase(
    session: AsyncSession,
    migration_id: uuid.UUID,
    phase: MigrationPhase,
    *,
    scheduled_at: datetime | None = None,
) -> int:
    """Enqueue the job that runs `phase` of a migration, in the session's transaction.

    No procrastinate lock: a phase scheduled for later (the end of the hold) would hold back
    every later job of its lock, a rollback's too. The job locks the migration row instead, and
    the phase argument fences a job whose phase has passed (it then does nothing)."""
    return await defer_job(
        session,
        QUEUE,
        MIGRATION_PHASE_TASK,
        {"migration_id": str(migration_id), "phase": phase.value},
        scheduled_at=scheduled_at,
    )
