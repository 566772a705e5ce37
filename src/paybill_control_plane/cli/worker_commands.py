"""`paybill worker` and `paybill runs logs`."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

import typer
from prometheus_client import start_http_server
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy import select

from paybill_control_plane.cli._runtime import database_url
from paybill_control_plane.config import get_settings
from paybill_control_plane.db import migrate
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.models.run import Run, RunLogLine
from paybill_control_plane.observability import REGISTRY
from paybill_control_plane.telemetry import tracing
from paybill_control_plane.telemetry.logs import configure_from_settings, settings_secrets
from paybill_control_plane.telemetry.redact import register_secrets
from paybill_control_plane.worker.app import build_app, run_worker

runs_app = typer.Typer(help="Provisioning runs", no_args_is_help=True)
TERMINAL = ("succeeded", "failed")


def worker(
    name: Annotated[str | None, typer.Option(help="Worker name shown in procrastinate")] = None,
    concurrency: Annotated[int | None, typer.Option(help="Jobs run at once")] = None,
) -> None:
    """Claim provisioning jobs from Postgres and run them (run several, on several machines)."""
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
            await run_worker(app, settings, name=name)
        finally:
            await engine.dispose()

    asyncio.run(main())


@runs_app.command("logs")
def runs_logs(
    run_id: Annotated[uuid.UUID, typer.Argument(help="The run's id")],
    follow: Annotated[bool, typer.Option(help="Keep streaming until the run ends")] = True,
) -> None:
    """Stream a run's Terraform log with a progress display of its steps."""
    console = Console()

    async def stream() -> int:
        engine = make_engine(database_url(), pool_size=1)
        sessionmaker = make_sessionmaker(engine)
        after = 0
        try:
            with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                          console=console, transient=False) as progress:  # fmt: skip
                task = progress.add_task("waiting for the run…", total=None)
                while True:
                    async with sessionmaker() as session:
                        run = await session.get(Run, run_id)
                        if run is None:
                            console.print(f"[red]no run with id {run_id}[/red]")
                            return 2
                        lines = list(await session.scalars(
                            select(RunLogLine).where(RunLogLine.run_id == run_id, RunLogLine.id > after)
                            .order_by(RunLogLine.id)
                        ))  # fmt: skip
                    for line in lines:
                        progress.console.print(line.line, markup=False, highlight=False)
                        after = line.id
                    current = next((s for s in reversed(run.steps) if s.get("name")), None)
                    step = f"{current['name']} ({current['status']})" if current else run.status
                    progress.update(
                        task, description=f"run {run.status}: step {step}, attempt {run.attempt}"
                    )
                    if run.status in TERMINAL or not follow:
                        progress.update(task, total=1, completed=1)
                        break
                    await asyncio.sleep(0.5)
            summary = run.plan_summary or {}
            console.print(
                f"run {run.status}: +{summary.get('add', 0)} ~{summary.get('change', 0)} "
                f"-{summary.get('destroy', 0)}" + (f"\nerror: {run.error}" if run.error else "")
            )
            return 0 if run.status != "failed" else 1
        finally:
            await engine.dispose()

    raise typer.Exit(asyncio.run(stream()))
