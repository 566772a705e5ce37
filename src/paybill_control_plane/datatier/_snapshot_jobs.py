"""Names, queue and lock of the snapshot and restore jobs; shared by the service and the worker."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.worker.jobs import Queue, defer_job

SNAPSHOT_TASK = "datatier.take_snapshot"
RESTORE_TASK = "datatier.restore_snapshot"
SWITCH_TASK = "datatier.switch_restore"
MAINTAIN_TASK = "datatier.maintain_snapshots"
QUEUE = Queue.snapshots


def tenant_data_lock(tenant_id: uuid.UUID) -> str:
    """Snapshots and restores of one tenant run one at a time, in the order asked."""
    return f"tenant-data:{tenant_id}"


async def defer_snapshot_job(
    session: AsyncSession, snapshot_id: uuid.UUID, tenant_id: uuid.UUID
) -> int:
    """Enqueue the job that takes a snapshot, in the session's transaction."""
    return await defer_job(
        session, QUEUE, SNAPSHOT_TASK, {"snapshot_id": str(snapshot_id)},
        lock=tenant_data_lock(tenant_id),
    )  # fmt: skip


async def defer_restore_job(
    session: AsyncSession, restore_id: uuid.UUID, tenant_id: uuid.UUID
) -> int:
    """Enqueue the job that runs a restore, in the session's transaction."""
    return await defer_job(
        session, QUEUE, RESTORE_TASK, {"restore_id": str(restore_id)},
        lock=tenant_data_lock(tenant_id),
    )  # fmt: skip


async def defer_switch_job(
    session: AsyncSession, restore_id: uuid.UUID, tenant_id: uuid.UUID
) -> int:
    """Enqueue the job that switches the tenant to a restore's data, in the session's
    transaction."""
    return await defer_job(
        session, QUEUE, SWITCH_TASK, {"restore_id": str(restore_id)},
        lock=tenant_data_lock(tenant_id),
    )  # fmt: skip
