"""Licence jobs: renew one tenant's licence; periodically queue the renewals that are due."""

from __future__ import annotations

import logging
import uuid

import procrastinate

from paybill_control_plane.db.engine import transaction
from paybill_control_plane.licences import renewal
from paybill_control_plane.licences._jobs import QUEUE, RENEW_DUE_TASK, RENEW_TASK
from paybill_control_plane.worker.jobs import WorkerDeps

log = logging.getLogger(__name__)


def register(app: procrastinate.App, deps: WorkerDeps) -> None:
    settings, sessionmaker = deps.settings, deps.sessionmaker
    retry = procrastinate.RetryStrategy(max_attempts=5, exponential_wait=2)

    @app.task(name=RENEW_TASK, queue=QUEUE, retry=retry)
    async def renew_licence(tenant_id: str) -> None:
        async with transaction(sessionmaker) as session:
            await renewal.renew(session, uuid.UUID(tenant_id), settings)

    @app.periodic(cron="23 * * * *", periodic_id=RENEW_DUE_TASK)
    @app.task(name=RENEW_DUE_TASK, queue=QUEUE, queueing_lock=RENEW_DUE_TASK)
    async def renew_due_licences(timestamp: int) -> None:
        async with transaction(sessionmaker) as session:
            queued = await renewal.defer_due(session, settings)
        if queued:
            log.info("queued %d licence renewals", queued)
