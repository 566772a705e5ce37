"""Building the procrastinate app and running a worker (standalone or inside `paybill serve`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

import procrastinate
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.audit import tasks as audit_tasks
from paybill_control_plane.billing import tasks as billing_tasks
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import snapshot_tasks
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.events import tasks as events_tasks
from paybill_control_plane.fleet import tasks as fleet_tasks
from paybill_control_plane.licences import tasks as licences_tasks
from paybill_control_plane.lifecycle.migrations import tasks as migration_tasks
from paybill_control_plane.lifecycle.runs import TenantRunOutcomes
from paybill_control_plane.provisioning import tasks as provisioning_tasks
from paybill_control_plane.worker.jobs import WORKER_QUEUES, Registrar, WorkerDeps

log = logging.getLogger(__name__)

# Every domain with background jobs, registered the same way (see worker/jobs.py).
REGISTRARS: tuple[Registrar, ...] = (
    # Finished runs settle their tenants through the lifecycle layer (provisioning is below it).
    provisioning_tasks.registrar(TenantRunOutcomes()),
    billing_tasks.register,
    audit_tasks.register,
    migration_tasks.registrar(billing_tasks.retry_held_changes),
    fleet_tasks.register,
    events_tasks.register,
    licences_tasks.register,
    snapshot_tasks.register,
)


def build_app(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> procrastinate.App:
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=to_libpq_url(database_url))
    )
    deps = WorkerDeps(sessionmaker, settings, database_url)
    for register in REGISTRARS:
        register(app, deps)
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
    queues: Sequence[str] | None = None,
    install_signal_handlers: bool = True,
) -> None:
    """Process jobs of `queues` (default: every queue) until cancelled (or a signal, when
    handlers are installed)."""
    async with app.open_async():
        recovery = asyncio.create_task(_recover_stalled(app, settings))
        try:
            await app.run_worker_async(
                queues=list(queues or WORKER_QUEUES),
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
