"""`paybill snapshots logs`: follow a snapshot or a restore (the equivalent of `paybill runs logs`)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any

import typer

from paybill_control_plane.cli._runtime import EXIT_BAD_INPUT, database_url, fail
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore, TenantSnapshot

snapshots_app = typer.Typer(help="Tenant data snapshots and restores", no_args_is_help=True)
TERMINAL = ("completed", "failed", "purged")


def _step_line(step: dict[str, Any]) -> str:
    took = f" in {step['duration_ms'] / 1000:.1f}s" if step.get("duration_ms") is not None else ""
    detail = f": {step['detail']}" if step.get("detail") else ""
    return f"[attempt {step.get('attempt', '?')}] {step['name']} {step['status']}{took}{detail}"


async def _follow(row_id: uuid.UUID, follow: bool) -> tuple[str, str | None] | None:
    engine = make_engine(database_url(), pool_size=1)
    sessionmaker = make_sessionmaker(engine)
    seen: set[str] = set()
    last_progress: str | None = None
    try:
        while True:
            async with sessionmaker() as session:
                row: TenantSnapshot | SnapshotRestore | None = await session.get(
                    TenantSnapshot, row_id
                ) or await session.get(SnapshotRestore, row_id)
                if row is None:
                    return None
                status, steps, progress, error = row.status, row.steps, row.progress, row.error
            for step in steps:
                line = _step_line(step)
                if line not in seen:
                    seen.add(line)
                    typer.echo(line)
            if progress and progress != last_progress:
                last_progress = progress
                typer.echo(f"  {progress}")
            if status in TERMINAL or not follow:
                return status, error
            await asyncio.sleep(0.5)
    finally:
        await engine.dispose()


@snapshots_app.command("logs")
def snapshots_logs(
    row_id: Annotated[uuid.UUID, typer.Argument(help="A snapshot's or a restore's id")],
    follow: Annotated[bool, typer.Option(help="Keep following until it ends")] = True,
) -> None:
    """Steps (with timings) and pg_dump/pg_restore progress lines of a snapshot or a restore."""
    found = asyncio.run(_follow(row_id, follow))
    if found is None:
        raise fail(f"no snapshot or restore with id {row_id}", EXIT_BAD_INPUT)
    status, error = found
    typer.echo(f"{status}" + (f"\nerror: {error}" if error else ""), err=True)
    raise typer.Exit(1 if status == "failed" else 0)
