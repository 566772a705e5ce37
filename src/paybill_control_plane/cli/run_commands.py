"""`paybill runs list|retry|logs|approve|reject`: runs, through the same services as /v1/runs."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.cli._output import (
    CursorOption,
    JsonOption,
    LimitOption,
    print_outcome,
    print_page,
)
from paybill_control_plane.cli._runtime import EXIT_BAD_INPUT, database_url, fail, run, unit_of_work
from paybill_control_plane.cli.approval_commands import approve_command, reject_command
from paybill_control_plane.cli.tenant_commands import resolve
from paybill_control_plane.config import get_settings
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.kit.pagination import next_cursor_of
from paybill_control_plane.lifecycle import runs as lifecycle_runs
from paybill_control_plane.models.enums import RunStatus
from paybill_control_plane.models.run import Run
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.schemas import RunOut
from paybill_control_plane.provisioning.steps import Step

runs_app = typer.Typer(
    help="Provisioning runs: list, retry, logs, approve, reject", no_args_is_help=True
)
runs_app.command("approve")(approve_command)
runs_app.command("reject")(reject_command)
TERMINAL = (RunStatus.succeeded, RunStatus.failed)
RunId = Annotated[uuid.UUID, typer.Argument(help="The run's id")]

COLUMNS = (
    ("ID", lambda r: r.id),
    ("STATUS", lambda r: r.status),
    ("KIND", lambda r: r.kind),
    ("OPERATION", lambda r: r.operation),
    ("ATTEMPT", lambda r: f"{r.attempt}/{r.max_attempts}"),
    ("STACK", lambda r: r.stack_id),
    ("CREATED", lambda r: r.created_at.strftime("%Y-%m-%d %H:%M:%S")),
    ("TRIGGER", lambda r: r.trigger),
)


@runs_app.command("list")
def runs_list(
    tenant: Annotated[
        str | None, typer.Option(help="Only runs of this tenant (id or slug)")
    ] = None,
    status: Annotated[
        Literal["queued", "running", "retrying", "succeeded", "failed"] | None,
        typer.Option(help="Only this status"),
    ] = None,
    limit: LimitOption = 50,
    cursor: CursorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Runs, newest first (as GET /v1/tenants/{id}/runs, for all tenants unless --tenant)."""

    async def fetch() -> tuple[list[RunOut], str | None]:
        async with unit_of_work() as session:
            tenant_id = (await resolve(session, tenant)).id if tenant else None
            rows, more = await repo.list_runs(
                session, limit=limit, cursor=cursor, tenant_id=tenant_id, status=status
            )
            return [RunOut.model_validate(r) for r in rows], next_cursor_of(rows, more)

    items, next_cursor = run(fetch)
    print_page(items, next_cursor, COLUMNS, as_json=as_json, empty="No runs match.")


@runs_app.command("retry")
def runs_retry(run_id: RunId, as_json: JsonOption = False) -> None:
    """Queue a failed run again (fresh attempts); refused unless the run failed."""
    settings = get_settings()

    async def retry() -> RunOut:
        async with unit_of_work() as session:
            found = await repo.get_run(session, CLI, run_id, for_update=True)
            return RunOut.model_validate(
                await lifecycle_runs.retry_run(session, found, CLI, settings)
            )

    out = run(retry)
    print_outcome(
        out, f"run {out.id} queued again (attempts up to {out.max_attempts})", as_json=as_json
    )


def _progress_line(found: Run) -> str:
    current = next((Step.from_json(s) for s in reversed(found.steps) if s.get("name")), None)
    step = f"{current.name} ({current.status})" if current else found.status
    return f"run {found.status}: step {step}, attempt {found.attempt}"


async def _stream(
    run_id: uuid.UUID,
    follow: bool,
    write: Callable[[str], None],
    on_poll: Callable[[Run], None],
) -> Run | None:
    """Hand every log line to `write` in order until the run ends (or once, without follow)."""
    engine = make_engine(database_url(), pool_size=1)
    sessionmaker = make_sessionmaker(engine)
    after = 0
    try:
        while True:
            async with sessionmaker() as session:
                found = await session.get(Run, run_id)
                if found is None:
                    return None
                lines = await repo.log_lines(session, run_id, after=after, limit=1000)
            for line in lines:
                write(line.line)
                after = line.id
            on_poll(found)
            if len(lines) == 1000:
                continue  # more lines are waiting: read them before sleeping
            if found.status in TERMINAL or not follow:
                return found
            await asyncio.sleep(0.5)
    finally:
        await engine.dispose()


@runs_app.command("logs")
def runs_logs(
    run_id: RunId,
    follow: Annotated[bool, typer.Option(help="Keep streaming until the run ends")] = True,
) -> None:
    """Stream a run's Terraform log; on a terminal, with a progress display of its steps.

    Written to a pipe or a file, stdout gets the Terraform lines only, whole and unwrapped;
    the closing summary goes to stderr.
    """
    interactive = sys.stdout.isatty()
    console = Console()
    progress: Progress | None = None
    if interactive:
        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                            TimeElapsedColumn(), console=console, transient=False)  # fmt: skip
        task = progress.add_task("waiting for the run…", total=None)

    def write(line: str) -> None:
        if progress is not None:
            progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def on_poll(found: Run) -> None:
        if progress is not None:
            done = found.status in TERMINAL or not follow
            progress.update(task, description=_progress_line(found), total=1 if done else None,
                            completed=1 if done else 0)  # fmt: skip

    context: AbstractContextManager[object] = progress if progress is not None else nullcontext()
    with context:
        found = asyncio.run(_stream(run_id, follow, write, on_poll))
    if found is None:
        raise fail(f"no run with id {run_id}", EXIT_BAD_INPUT)
    summary = found.plan_summary or {}
    text = (
        f"run {found.status}: +{summary.get('add', 0)} ~{summary.get('change', 0)} "
        f"-{summary.get('destroy', 0)}" + (f"\nerror: {found.error}" if found.error else "")
    )
    if interactive:
        console.print(text, markup=False, highlight=False)
    else:
        typer.echo(text, err=True)
    raise typer.Exit(1 if found.status == RunStatus.failed else 0)
