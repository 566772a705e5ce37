"""Webhook jobs: deliver one event to one endpoint; purge events past their retention."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

import httpx
import procrastinate

from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.events import outbox  # noqa: F401  (registers the commit hook)
from paybill_control_plane.events import repository as repo
from paybill_control_plane.events._jobs import DELIVER_TASK, PURGE_TASK, QUEUE
from paybill_control_plane.events.delivery import attempt_delivery
from paybill_control_plane.worker.jobs import WorkerDeps

log = logging.getLogger(__name__)


def register(app: procrastinate.App, deps: WorkerDeps) -> None:
    settings, sessionmaker = deps.settings, deps.sessionmaker
    clients: list[httpx.AsyncClient] = []

    def client() -> httpx.AsyncClient:
        # One pooled client per worker process (created in the worker's event loop); redirects
        # are not followed, since a redirect could point past the egress guard.
        if not clients:
            clients.append(
                httpx.AsyncClient(
                    follow_redirects=False,
                    limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
                )
            )
        return clients[0]

    # An error outside the delivery's own outcome (the database gone for a moment) runs the job
    # again rather than leaving the delivery pending with no job; at worst the receiver gets
    # the event twice (at least once).
    retry = procrastinate.RetryStrategy(max_attempts=8, exponential_wait=2)

    @app.task(name=DELIVER_TASK, queue=QUEUE, retry=retry)
    async def deliver_webhook(delivery_id: str) -> None:
        await attempt_delivery(sessionmaker, client(), uuid.UUID(delivery_id), settings)

    @app.periodic(cron="17 * * * *", periodic_id=PURGE_TASK)
    @app.task(name=PURGE_TASK, queue=QUEUE, queueing_lock=PURGE_TASK)
    async def purge_events(timestamp: int) -> None:
        before = utcnow() - timedelta(days=settings.event_retention_days)
        async with transaction(sessionmaker) as session:
            purged = await repo.purge_events(session, before)
        if purged:
            log.info("purged %d outbound events older than %s", purged, before.isoformat())
