"""`paybill`: serve, migrate, manage keys and catalog, verify the audit chain."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import func, select

from paybill_control_plane.auth import service as auth_service
from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.auth.schemas import ApiKeyCreate
from paybill_control_plane.cli._runtime import CliGroup, database_url, run, unit_of_work
from paybill_control_plane.cli.approval_commands import approvals_app
from paybill_control_plane.cli.audit_commands import audit_app
from paybill_control_plane.cli.catalog_commands import catalog_app
from paybill_control_plane.cli.datatier_commands import datatier_app
from paybill_control_plane.cli.fleet_commands import modules_app, rollouts_app, schema_app
from paybill_control_plane.cli.key_commands import keys_app
from paybill_control_plane.cli.licence_commands import licences_app
from paybill_control_plane.cli.openapi_commands import openapi_app
from paybill_control_plane.cli.run_commands import runs_app
from paybill_control_plane.cli.snapshot_commands import snapshots_app
from paybill_control_plane.cli.stripe_commands import stripe_app
from paybill_control_plane.cli.tenant_commands import tenants_app
from paybill_control_plane.cli.worker_commands import worker
from paybill_control_plane.config import get_settings
from paybill_control_plane.db import migrate
from paybill_control_plane.models.api_key import ApiKey
from paybill_control_plane.models.enums import Role
from paybill_control_plane.telemetry.logs import configure_from_settings, settings_secrets
from paybill_control_plane.telemetry.redact import register_secrets

# CliGroup turns an unreachable database or an API error into one line on stderr (docs/cli.md).
app = typer.Typer(
    help="Paybill Control Plane", no_args_is_help=True, add_completion=False, cls=CliGroup
)
db_app = typer.Typer(help="Database schema", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(tenants_app, name="tenants")
app.add_typer(keys_app, name="keys")
app.add_typer(catalog_app, name="catalog")
app.add_typer(audit_app, name="audit")
app.add_typer(runs_app, name="runs")
app.add_typer(approvals_app, name="approvals")
app.add_typer(snapshots_app, name="snapshots")
app.add_typer(datatier_app, name="datatier")
app.add_typer(stripe_app, name="stripe")
app.add_typer(openapi_app, name="openapi")
app.add_typer(modules_app, name="modules")
app.add_typer(rollouts_app, name="rollouts")
app.add_typer(schema_app, name="schema")
app.add_typer(licences_app, name="licences")
app.command("worker")(worker)


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """Apply the migrations (creates the schema on an empty database)."""
    migrate.upgrade(database_url(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("check")
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    migrate.check(database_url())
    typer.echo("models and migrations agree")


async def _ensure_first_admin_key() -> str | None:
    async with unit_of_work() as session:
        if await session.scalar(select(func.count()).select_from(ApiKey)):
            return None
        _, secret = await auth_service.create_key(
            session, CLI, ApiKeyCreate(name="first admin", role=Role.admin)
        )
        return secret


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
) -> None:
    """Run the API (migrations applied first; embedded Postgres when no database is configured)."""
    import uvicorn

    from paybill_control_plane.app import create_app

    settings = get_settings()
    configure_from_settings(settings)
    url = database_url()
    register_secrets(settings_secrets(settings, url))
    migrate.upgrade(url)
    secret = run(_ensure_first_admin_key)
    if secret:
        typer.secho("First admin API key (shown once, store it now):", fg=typer.colors.GREEN)
        typer.echo(f"  {secret}")
    # Decide about the embedded worker before the URL is filled in (an embedded database has one).
    settings = settings.model_copy(
        update={"database_url": url, "embedded_worker": settings.run_embedded_worker}
    )
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
        # Not uvicorn's own handlers: its lines go through ours (format, context, redaction).
        log_config=None,
    )


if __name__ == "__main__":
    app()
