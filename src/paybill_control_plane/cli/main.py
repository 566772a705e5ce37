"""`paybill`: serve, migrate, manage keys and catalog, verify the audit chain."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
import yaml
from pydantic import ValidationError
from sqlalchemy import func, select

from paybill_control_plane.auth import service as auth_service
from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.auth.schemas import ApiKeyCreate
from paybill_control_plane.catalog.schemas import CatalogFile
from paybill_control_plane.catalog.service import apply_catalog
from paybill_control_plane.cli._runtime import database_url, run, unit_of_work
from paybill_control_plane.cli.audit_commands import audit_app
from paybill_control_plane.cli.openapi_commands import openapi_app
from paybill_control_plane.cli.stripe_commands import stripe_app
from paybill_control_plane.cli.worker_commands import runs_app, worker
from paybill_control_plane.config import get_settings
from paybill_control_plane.db import migrate
from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.models.api_key import ApiKey
from paybill_control_plane.models.enums import Role

app = typer.Typer(help="Paybill Control Plane", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema", no_args_is_help=True)
keys_app = typer.Typer(help="API keys", no_args_is_help=True)
catalog_app = typer.Typer(help="Tiers and plans as code", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(catalog_app, name="catalog")
app.add_typer(audit_app, name="audit")
app.add_typer(runs_app, name="runs")
app.add_typer(stripe_app, name="stripe")
app.add_typer(openapi_app, name="openapi")
app.command("worker")(worker)


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


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


@keys_app.command("create")
def keys_create(
    role: Annotated[Role, typer.Option(help="admin, operator, viewer, billing or tenant")],
    name: Annotated[str, typer.Option(help="What the key is for")],
    tenant_id: Annotated[str | None, typer.Option(help="For tenant keys: the tenant's id")] = None,
) -> None:
    """Create an API key and print its secret (shown this once)."""
    try:
        data = ApiKeyCreate.model_validate({"name": name, "role": role, "tenant_id": tenant_id})
    except ValidationError as exc:
        raise _fail(f"invalid key request: {exc.errors()[0]['msg']}", 2) from exc

    async def create() -> tuple[str, str]:
        async with unit_of_work() as session:
            key, secret = await auth_service.create_key(session, CLI, data)
            return str(key.id), secret

    try:
        key_id, secret = run(create)
    except ControlPlaneError as exc:
        raise _fail(exc.detail) from exc
    typer.echo(
        f"id:   {key_id}\nrole: {role.value}\nkey:  {secret}\nStore the key now: it is not shown again."
    )


@catalog_app.command("apply")
def catalog_apply(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Make tiers and plans match a YAML file (idempotent)."""
    try:
        catalog = CatalogFile.model_validate(yaml.safe_load(path.read_text()) or {})
    except (yaml.YAMLError, ValidationError) as exc:
        raise _fail(f"{path}: not a valid catalog:\n{exc}", 2) from exc

    async def apply() -> tuple[list[str], list[str], list[str]]:
        async with unit_of_work() as session:
            result = await apply_catalog(session, CLI, catalog)
            return result.created, result.updated, result.unchanged

    try:
        created, updated, unchanged = run(apply)
    except ControlPlaneError as exc:
        raise _fail(f"catalog not applied: {exc.detail}") from exc
    for label in created:
        typer.echo(f"created   {label}")
    for label in updated:
        typer.echo(f"updated   {label}")
    if created or updated:
        typer.echo(f"{len(created)} created, {len(updated)} updated, {len(unchanged)} unchanged")
    else:
        typer.echo(f"No changes: the catalog already matches {path} ({len(unchanged)} entries).")


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
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    url = database_url()
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
    )


if __name__ == "__main__":
    app()
