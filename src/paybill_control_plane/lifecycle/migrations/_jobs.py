"""Name, queue and lock of the migration phase job; deferred by the service and by each phase."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.datatier._snapshot_jobs import tenant_data_lock
from paybill_control_plane.models.enums import MigrationPhase
from paybill_control_plane.worker.jobs import Queue, defer_job

MIGRATION_PHASE_TASK = "paybill.migration_phase"
QUEUE = Queue.migrations


async def defer_phase(
    session: AsyncSession,
    migration_id: uuid.UUID,
    tenant_id: uuid.UUID,
    phase: MigrationPhase,
    *,
    scheduled_at: datetime | None = None,
) -> int:
    """Enqueue the job that runs `phase` of a migration, in the session's transaction.

    Every phase job but `hold`'s takes the tenant's data lock (`tenant-data:<id>`, the lock of
    its snapshot and restore jobs): a restore and a migration phase never run at once, and a
    final snapshot the decommission asks for runs between two of its polls. `hold` takes none:
    scheduled at the end of the hold, it would hold back every later job of that lock (a
    rollback's, a snapshot's) until then. The job locks the migration row too, and the phase
    argument fences a job whose phase has passed (it then does nothing)."""
    return await defer_job(
        session,
        QUEUE,
        MIGRATION_PHASE_TASK,
        {"migration_id": str(migration_id), "phase": phase.value},
        lock=None if phase is MigrationPhase.hold else tenant_data_lock(tenant_id),
        scheduled_at=scheduled_at,
    )
