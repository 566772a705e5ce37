"""Data tier jobs: take a snapshot, run a restore, switch to it, backfill a stack's databases,
and the periodic retention pass."""

from __future__ import annotations

import logging
import uuid

import procrastinate
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier._snapshot_jobs import (
    MAINTAIN_TASK,
    QUEUE,
    RESTORE_TASK,
    SNAPSHOT_TASK,
    SWITCH_TASK,
)
from paybill_control_plane.datatier.backfill import BACKFILL_TASK, backfill_stack
from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.datatier.restore_runner import RestoreRunner
from paybill_control_plane.datatier.retention import purge_expired
from paybill_control_plane.datatier.schedule import apply_schedules
from paybill_control_plane.datatier.snapshot_runner import SnapshotRunner
from paybill_control_plane.datatier.switch_runner import SwitchRunner
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.telemetry import tracing
from paybill_control_plane.worker.jobs import Queue, WorkerDeps

log = logging.getLogger(__name__)


def register(app: procrastinate.App, deps: WorkerDeps) -> None:
    """Add the snapshot tasks (and the periodic retention pass) to the worker's app."""
    snapshots = SnapshotRunner(deps.sessionmaker, deps.settings, deps.database_url)
    restores = RestoreRunner(deps.sessionmaker, deps.settings, deps.database_url)
    switches = SwitchRunner(deps.sessionmaker, deps.settings, deps.database_url)

    @app.task(name=SNAPSHOT_TASK, queue=QUEUE)
    async def take_snapshot(snapshot_id: str) -> None:
        with tracing.span(f"job {SNAPSHOT_TASK}", {"paybill.snapshot_id": snapshot_id}):
            await snapshots.take(uuid.UUID(snapshot_id))

    @app.task(name=RESTORE_TASK, queue=QUEUE)
    async def restore_snapshot(restore_id: str) -> None:
        with tracing.span(f"job {RESTORE_TASK}", {"paybill.restore_id": restore_id}):
            await restores.restore(uuid.UUID(restore_id))

    @app.task(name=SWITCH_TASK, queue=QUEUE)
    async def switch_restore(restore_id: str) -> None:
        with tracing.span(f"job {SWITCH_TASK}", {"paybill.restore_id": restore_id}):
            await switches.switch(uuid.UUID(restore_id))

    @app.task(name=BACKFILL_TASK, queue=Queue.runs)
    async def backfill(stack_id: str) -> None:
        ctx = DataTierContext(deps.sessionmaker, deps.settings, deps.database_url)
        with tracing.span(f"job {BACKFILL_TASK}", {"paybill.stack_id": stack_id}):
            log.info(
                "backfill of stack %s: %s", stack_id, await backfill_stack(ctx, uuid.UUID(stack_id))
            )

    @app.task(name=MAINTAIN_TASK, queue=QUEUE, queueing_lock=MAINTAIN_TASK)
    async def maintain_snapshots(timestamp: int) -> None:
        await maintain(deps.sessionmaker, deps.settings)

    if deps.settings.snapshot_maintenance_cron:  # empty: this worker does not schedule it
        app.periodic(cron=deps.settings.snapshot_maintenance_cron, periodic_id=MAINTAIN_TASK)(
            maintain_snapshots
        )


async def maintain(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> tuple[int, int]:
    """One maintenance pass: queue due scheduled snapshots, then purge expired ones; (queued,
    purged)."""
    async with transaction(sessionmaker) as session:
        queued = await apply_schedules(session, settings, utcnow())
    purged = await purge_expired(sessionmaker, settings)
    if queued or purged:
        log.info("snapshots: %s scheduled, %s purged", queued, purged)
    return queued, purged
