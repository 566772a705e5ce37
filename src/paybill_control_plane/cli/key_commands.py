"""`paybill keys create|list|revoke`: API keys through the same service as /v1/api-keys."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from pydantic import ValidationError

from paybill_control_plane.auth import repository as repo
from paybill_control_plane.auth import service
from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.auth.schemas import ApiKeyCreate, ApiKeyOut
from paybill_control_plane.cli._output import (
    CursorOption,
    JsonOption,
    LimitOption,
    print_fields,
    print_page,
)
from paybill_control_plane.cli._runtime import EXIT_BAD_INPUT, fail, run, unit_of_work
from paybill_control_plane.kit.pagination import next_cursor_of
from paybill_control_plane.models.enums import Role

keys_app = typer.Typer(help="API keys: create, list, revoke", no_args_is_help=True)

COLUMNS = (
    ("ID", lambda k: k.id),
    ("NAME", lambda k: k.name),
    ("ROLE", lambda k: k.role),
    ("PREFIX", lambda k: k.prefix),
    ("TENANT", lambda k: k.tenant_id),
    ("CREATED", lambda k: k.created_at.strftime("%Y-%m-%d %H:%M:%S")),
    ("LAST USED", lambda k: k.last_used_at and k.last_used_at.strftime("%Y-%m-%d %H:%M")),
    ("REVOKED", lambda k: k.revoked_at and k.revoked_at.strftime("%Y-%m-%d %H:%M:%S")),
)


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
        raise fail(f"invalid key request: {exc.errors()[0]['msg']}", EXIT_BAD_INPUT) from exc

    async def create() -> tuple[str, str]:
        async with unit_of_work() as session:
            key, secret = await service.create_key(session, CLI, data)
            return str(key.id), secret

    key_id, secret = run(create)
    typer.echo(
        f"id:   {key_id}\nrole: {role.value}\nkey:  {secret}\nStore the key now: it is not shown again."
    )


@keys_app.command("list")
def keys_list(
    include_revoked: Annotated[bool, typer.Option(help="Also list revoked keys")] = False,
    limit: LimitOption = 50,
    cursor: CursorOption = None,
    as_json: JsonOption = False,
) -> None:
    """API keys, oldest first, without their secrets (as GET /v1/api-keys)."""

    async def fetch() -> tuple[list[ApiKeyOut], str | None]:
        async with unit_of_work() as session:
            rows, more = await repo.list_page(
                session, limit=limit, cursor=cursor, include_revoked=include_revoked
            )
            return [ApiKeyOut.model_validate(k) for k in rows], next_cursor_of(rows, more)

    items, next_cursor = run(fetch)
    print_page(items, next_cursor, COLUMNS, as_json=as_json, empty="No API keys.")


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[uuid.UUID, typer.Argument(help="The key's id (see `paybill keys list`)")],
    as_json: JsonOption = False,
) -> None:
    """Revoke a key at once (revoking a revoked key changes nothing)."""

    async def revoke() -> tuple[ApiKeyOut, bool]:
        async with unit_of_work() as session:
            was_revoked = (await service.get_key(session, key_id)).revoked_at is not None
            key = await service.revoke_key(session, CLI, key_id)
            return ApiKeyOut.model_validate(key), was_revoked

    out, was_revoked = run(revoke)
    if as_json:
        print_fields(out, as_json=True)
    elif was_revoked:
        typer.echo(f"key {out.id} ({out.name}) was already revoked")
    else:
        typer.echo(f"key {out.id} ({out.name}) revoked: it stops working at once")
