"""`paybill modules release` and `paybill rollouts watch`: the fleet, through the same services
as /v1/module-releases and /v1/rollouts."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.cli._output import JsonOption, print_fields
from paybill_control_plane.cli._runtime import EXIT_BAD_INPUT, fail, run, unit_of_work
from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.fleet import releases, rollouts, schema_releases
from paybill_control_plane.fleet.schemas import (
    ModuleReleaseCreate,
    RolloutDetail,
    SchemaMigrationOut,
    SchemaReleaseCreate,
)
from paybill_control_plane.models.enums import RolloutStatus

modules_app = typer.Typer(help="Module releases", no_args_is_help=True)
schema_app = typer.Typer(help="Tenant schema migrations", no_args_is_help=True)
MIGRATION_FILE = re.compile(r"^(?P<version>\d{1,9})_(?P<name>[A-Za-z0-9_.-]+)\.sql$")
rollouts_app = typer.Typer(help="Rollouts of module releases", no_args_is_help=True)
SETTLED = (
    RolloutStatus.completed,
    RolloutStatus.halted,
    RolloutStatus.cancelled,
    RolloutStatus.rolled_back,
)


@modules_app.command("release")
def modules_release(
    module: Annotated[str, typer.Argument(help="<cloud>/<model>, e.g. local/silo")],
    version: Annotated[str, typer.Option(help="The release's version, e.g. 1.4.0")],
    notes: Annotated[str, typer.Option(help="Release notes")] = "",
    upgradeable_from: Annotated[
        str | None, typer.Option(help="Versions a stack may upgrade from, e.g. '>=1.2,<2'")
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option("--from", help="Take the *.tf files from this directory instead"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Snapshot terraform-modules/<cloud>/<model> (or --from DIR) as an immutable release."""
    files = None
    if source is not None:
        files = {p.name: p.read_text() for p in sorted(source.glob("*.tf")) if p.is_file()}
    try:
        data = ModuleReleaseCreate.model_validate(
            {
                "module": module,
                "version": version,
                "notes": notes,
                "upgradeable_from": upgradeable_from,
                "files": files,
            }
        )
    except ValueError as exc:
        raise fail(str(exc), EXIT_BAD_INPUT) from None

    async def go() -> None:
        async with unit_of_work() as session:
            release, _ = await releases.create_release(session, CLI, data)
            print_fields(releases.release_out(release), as_json=as_json)

    try:
        run(go)
    except ControlPlaneError as exc:
        raise fail(exc.detail or exc.title) from None


async def _detail(rollout_id: uuid.UUID) -> RolloutDetail:
    async with unit_of_work() as session:
        rollout = await rollouts.get_rollout(session, rollout_id)
        return rollouts.rollout_detail(rollout, await rollouts.targets_of(session, rollout.id))


def _render(console: Console, detail: RolloutDetail) -> None:
    counts = ", ".join(f"{k} {v}" for k, v in sorted(detail.counts.items()))
    console.print(
        f"rollout {detail.id}  [bold]{detail.status}[/]  wave {detail.current_wave}  "
        f"budget {detail.max_failures}  ({counts})"
    )
    for wave in detail.waves:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(wave.counts.items()))
        console.print(f"  wave {wave.wave}: {wave.size} stacks ({parts})")
    for failure in detail.failures:
        error = (failure.error or "").splitlines()[0] if failure.error else ""
        console.print(f"  [red]failed[/] stack {failure.stack_id}: {error}")
    if detail.halted_reason:
        console.print(f"  halted: {detail.halted_reason}")


@rollouts_app.command("watch")
def rollouts_watch(
    rollout_id: Annotated[uuid.UUID, typer.Argument(help="The rollout's id")],
    interval: Annotated[float, typer.Option(min=0.2, help="Seconds between refreshes")] = 2.0,
    once: Annotated[bool, typer.Option(help="Print the progress once and exit")] = False,
) -> None:
    """Show a rollout's waves, per-stack counts and failures until it settles."""
    console = Console()
    while True:
        try:
            detail = asyncio.run(_detail(rollout_id))
        except ControlPlaneError as exc:
            raise fail(exc.detail or exc.title) from None
        _render(console, detail)
        if once or RolloutStatus(detail.status) in SETTLED:
            return
        time.sleep(interval)


@schema_app.command("release")
def schema_release(
    directory: Annotated[Path, typer.Argument(help="A directory of NNNN_name.sql files")],
    as_json: JsonOption = False,
) -> None:
    """Release the directory's migrations (NNNN_name.sql, in version order) with checksums."""
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = MIGRATION_FILE.match(path.name)
        if match is None:
            raise fail(f"{path.name}: expected NNNN_name.sql", EXIT_BAD_INPUT)
        migrations.append(
            {"version": int(match["version"]), "name": match["name"], "sql": path.read_text()}
        )
    try:
        data = SchemaReleaseCreate.model_validate({"migrations": migrations})
    except ValueError as exc:
        raise fail(str(exc), EXIT_BAD_INPUT) from None

    async def go() -> None:
        async with unit_of_work() as session:
            rows = await schema_releases.release(session, CLI, data)
            for row in rows:
                if as_json:
                    print_fields(SchemaMigrationOut.model_validate(row), as_json=True)
                else:
                    typer.echo(f"{row.version:>6}  {row.checksum[:16]}  {row.name}")

    try:
        run(go)
    except ControlPlaneError as exc:
        raise fail(exc.detail or exc.title) from None
