"""`paybill datatier backfill`: databases for tenants provisioned before the data tier existed."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer

from paybill_control_plane.cli._runtime import run, unit_of_work
from paybill_control_plane.datatier.backfill import Missing, queue_backfill

datatier_app = typer.Typer(help="Tenant data tier", no_args_is_help=True)
CLI_ACTOR = "cli:datatier-backfill"


@datatier_app.command("backfill")
def datatier_backfill(
    dry_run: Annotated[bool, typer.Option(help="List what would be queued; queue nothing")] = False,
) -> None:
    """Queue the `database` step for every applied stack holding tenants without a database
    (one job per stack, run by a worker under the stack's run lock; audited)."""

    async def go() -> dict[uuid.UUID, list[Missing]]:
        async with unit_of_work() as session:
            return await queue_backfill(session, CLI_ACTOR, dry_run=dry_run)

    found = run(go)
    for stack_id, held in found.items():
        for missing in held:
            typer.echo(f"stack {stack_id}: tenant {missing.tenant_id} ({missing.model.value})")
    count = sum(len(held) for held in found.values())
    verb = "would queue" if dry_run else "queued"
    typer.echo(f"{verb} {count} tenant databases in {len(found)} stacks", err=True)
