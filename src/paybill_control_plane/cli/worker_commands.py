"""`paybill worker`: claim and run jobs."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from prometheus_client import start_http_server

from paybill_control_plane.cli._runtime import EXIT_BAD_INPUT, database_url, fail
from paybill_control_plane.config import get_settings
from paybill_control_plane.db import migrate
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.observability import REGISTRY
from paybill_control_plane.telemetry import tracing
from paybill_control_plane.telemetry.logs import configure_from_settings, settings_secrets
from paybill_control_plane.telemetry.redact import register_secrets
from paybill_control_plane.worker.app import build_app, run_worker
from paybill_control_plane.worker.jobs import WORKER_QUEUES


def worker(
    name: Annotated[str | None, typer.Option(help="Worker name shown in procrastinate")] = None,
    concurrency: Annotated[int | None, typer.Option(help="Jobs run at once")] = None,
    queue: Annotated[
        list[str] | None,
        typer.Option(help="Only this queue (runs, billing, audit); repeatable. Default: all"),
    ] = None,
) -> None:
    """Claim jobs from Postgres and run them (run several, on several machines)."""
    unknown = sorted(set(queue or ()) - set(WORKER_QUEUES))
    if unknown:
        # A mistyped queue would leave a worker idle while its jobs wait: refuse it.
        known = ", ".join(WORKER_QUEUES)
        raise fail(f"unknown queue {', '.join(unknown)} (known: {known})", EXIT_BAD_INPUT)
    settings = get_settings()
    if concurrency:
        settings = settings.model_copy(update={"worker_concurrency": concurrency})
    configure_from_settings(settings)
    url = database_url()
    register_secrets(settings_secrets(settings, url))
    migrate.upgrade(url)
    tracing.configure_from_environment()
    if settings.worker_metrics_port:
        # Run durations are observed in the worker: its own endpoint exposes them (the API's
        # /metrics carries the database figures).
        start_http_server(settings.worker_metrics_port, registry=REGISTRY)

    async def main() -> None:
        engine = make_engine(url, pool_size=settings.worker_concurrency + 2)
        try:
            app = build_app(url, make_sessionmaker(engine), settings)
            await run_worker(app, settings, name=name, queues=queue)
        finally:
            await engine.dispose()

    asyncio.run(main())
