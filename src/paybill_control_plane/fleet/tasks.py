"""Fleet jobs: one rollout step, one drift check, and the periodic drift scheduler."""

from __future__ import annotations

import logging
import uuid

import procrastinate

from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.fleet import _tick, drift_schedule, schema_rollouts
from paybill_control_plane.fleet._jobs import (
    DRIFT_CHECK_TASK,
    DRIFT_SCHEDULE_TASK,
    ROLLOUT_TICK_TASK,
    SCHEMA_MIGRATE_TASK,
)
from paybill_control_plane.fleet.drift_check import DriftChecker
from paybill_control_plane.worker.jobs import Queue, WorkerDeps

log = logging.getLogger(__name__)


def register(app: procrastinate.App, deps: WorkerDeps) -> None:
    """Add the fleet tasks to the worker's procrastinate app."""
    sessionmaker, settings = deps.sessionmaker, deps.settings
    checker = DriftChecker(sessionmaker, settings, deps.database_url)

    @app.task(name=ROLLOUT_TICK_TASK, queue=Queue.fleet)
    async def rollout_tick(rollout_id: str) -> None:
        async with transaction(sessionmaker) as session:
            await _tick.step(session, uuid.UUID(rollout_id), settings)

    data_tier = DataTierContext(sessionmaker, settings, deps.database_url)

    @app.task(name=SCHEMA_MIGRATE_TASK, queue=Queue.fleet)
    async def schema_migrate(target_id: str) -> None:
        await schema_rollouts.migrate_target(data_tier, uuid.UUID(target_id))

    @app.task(name=DRIFT_CHECK_TASK, queue=Queue.runs)
    async def drift_check(stack_id: str) -> None:
        await checker.check(uuid.UUID(stack_id))

    if settings.drift_interval <= 0:
        return

    @app.periodic(cron="* * * * *", periodic_id=DRIFT_SCHEDULE_TASK)
    @app.task(name=DRIFT_SCHEDULE_TASK, queue=Queue.fleet, queueing_lock=DRIFT_SCHEDULE_TASK)
    async def drift_scheduler(timestamp: int) -> None:
        async with transaction(sessionmaker) as session:
            count = await drift_schedule.schedule(session, settings, utcnow())
        if count:
            log.info("drift checks deferred: %d", count)
