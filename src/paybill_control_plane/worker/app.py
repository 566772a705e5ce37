"""Building the procrastinate app and running a worker (standalone or inside `paybill serve`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

import procrastinate
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.audit import tasks as audit_tasks
from paybill_control_plane.billing import tasks as billing_tasks
from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.provisioning.executor import RunExecutor
from paybill_control_plane.provisioning.jobs import QUEUE, RUN_STACK_TASK
from paybill_control_plane.telemetry import tracing

log = logging.getLogger(__name__)


def build_app(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> procrastinate.App:
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=to_libpq_url(database_url))
    )
    executor = RunExecutor(sessionmaker, settings, database_url)

    @app.task(name=RUN_STACK_TASK, queue=QUEUE)
    async def run_stack(run_id: str) -> None:
        with tracing.span(f"job {RUN_STACK_TASK}", {tracing.RUN_ID: run_id}):
            await executor.execute(uuid.UUID(run_id))

    billing_tasks.register(app, sessionmaker, settings)
    audit_tasks.register(app, sessionmaker, settings, QUEUE)
    return app


async def _recover_stalled(app: procrastinate.App, settings: Settings) -> None:
    """Jobs of workers that stopped sending heartbeats (e.g. `kill -9`) go back to the queue."""
    while True:
        await asyncio.sleep(max(1.0, settings.stalled_job_seconds / 3))
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                seconds_since_heartbeat=settings.stalled_job_seconds
            )
            for job in stalled:
                log.warning("retrying job %s of a stalled worker", job.id)
                await app.job_manager.retry_job(job)
        except Exception:  # the worker keeps working; the next round tries again
            log.exception("stalled-job recovery failed")


async def run_worker(
    app: procrastinate.App,
    settings: Settings,
    *,
    name: str | None = None,
    install_signal_handlers: bool = True,
) -> None:
    """Process jobs until cancelled (or a signal, when handlers are installed)."""
    async with app.open_async():
        recovery = asyncio.create_task(_recover_stalled(app, settings))
        try:
            await app.run_worker_async(
                queues=[QUEUE],
                name=name or "paybill-worker",
                concurrency=settings.worker_concurrency,
                update_heartbeat_interval=max(0.5, settings.stalled_job_seconds / 5),
                stalled_worker_timeout=settings.stalled_job_seconds,
                install_signal_handlers=install_signal_handlers,
                fetch_job_polling_interval=1.0,
            )
        finally:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery
