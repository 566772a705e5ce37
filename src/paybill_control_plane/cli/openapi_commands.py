"""`paybill openapi export`: the API contract as canonical JSON, the source of the clients."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

openapi_app = typer.Typer(help="The OpenAPI document", no_args_is_help=True)


def build_spec() -> dict[str, Any]:
    """The OpenAPI document of the app, built in-process (no database, no server)."""
    from paybill_control_plane.app import create_app
    from paybill_control_plane.config import Settings

    # Defaults only, never the environment: the published contract must not depend on
    # where it was exported.
    return create_app(Settings.model_construct()).openapi()


def export_spec() -> str:
    """The canonical serialisation: byte-identical for the same code."""
    from paybill_control_plane.kit.openapi import canonical_json

    return canonical_json(build_spec())


@openapi_app.command("export")
def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
) -> None:
    """Print the OpenAPI 3.1 document (sorted keys, stable; commit it as openapi.json)."""
    text = export_spec()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
