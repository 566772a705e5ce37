"""`paybill licences`: rotate the licence signing key."""

from __future__ import annotations

import typer

from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.cli._runtime import fail, run, unit_of_work
from paybill_control_plane.config import get_settings
from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.licences import keys

licences_app = typer.Typer(help="Signed licences and their keys", no_args_is_help=True)


@licences_app.command("rotate-key")
def licences_rotate_key() -> None:
    """Make a new licence signing key; the previous stays published until its licences expire."""

    async def rotate() -> str:
        async with unit_of_work() as session:
            row = await keys.create(session, CLI, get_settings(), retire_current=True)
            return row.kid

    try:
        kid = run(rotate)
    except ControlPlaneError as exc:
        raise fail(exc.detail or exc.title) from None
    typer.echo(f"kid: {kid}")
