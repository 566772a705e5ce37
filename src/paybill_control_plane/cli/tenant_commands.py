"""`paybill tenants list|get|suspend|resume|deprovision`: the API's tenant services, as the CLI."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.cli._output import (
    CursorOption,
    JsonOption,
    LimitOption,
    print_fields,
    print_outcome,
    print_page,
)
from paybill_control_plane.cli._runtime import run, unit_of_work
from paybill_control_plane.config import get_settings
from paybill_control_plane.kit.pagination import next_cursor_of
from paybill_control_plane.lifecycle import tenants as lifecycle
from paybill_control_plane.models.enums import Cloud, TenantStatus
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.tenants import repository as repo
from paybill_control_plane.tenants.schemas import TenantOut
from paybill_control_plane.tenants.views import tenant_out

tenants_app = typer.Typer(
    help="Tenants: list, inspect, suspend, resume, deprovision", no_args_is_help=True
)

TenantRef = Annotated[str, typer.Argument(help="The tenant's id or slug")]

COLUMNS = (
    ("ID", lambda t: t.id),
    ("SLUG", lambda t: t.slug),
    ("STATUS", lambda t: t.status),
    ("DESIRED", lambda t: t.desired_state),
    ("TIER", lambda t: t.tier),
    ("ISOLATION", lambda t: t.isolation_model),
    ("CLOUD", lambda t: t.cloud),
    ("REGION", lambda t: t.region),
)


async def resolve(session: AsyncSession, ref: str) -> Tenant:
    """A tenant by id or, failing that, by slug; tenant-not-found otherwise."""
    try:
        tenant_id = uuid.UUID(ref)
    except ValueError:
        found = await repo.get_by_slug(session, ref)
        if found is None:
            raise repo.TenantNotFound(f"No tenant with slug '{ref}'.") from None
        return found
    return await repo.get(session, CLI, tenant_id)


@tenants_app.command("list")
def tenants_list(
    status: Annotated[TenantStatus | None, typer.Option(help="Only this status")] = None,
    tier: Annotated[str | None, typer.Option(help="Only this tier's key")] = None,
    cloud: Annotated[Cloud | None, typer.Option(help="Only this cloud")] = None,
    limit: LimitOption = 50,
    cursor: CursorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Tenants, oldest first (the filters of GET /v1/tenants)."""

    async def fetch() -> tuple[list[TenantOut], str | None]:
        async with unit_of_work() as session:
            rows, more = await repo.list_page(
                session,
                CLI,
                limit=limit,
                cursor=cursor,
                status=status.value if status else None,
                tier=tier,
                cloud=cloud.value if cloud else None,
            )
            return [tenant_out(t) for t in rows], next_cursor_of(rows, more)

    items, next_cursor = run(fetch)
    print_page(items, next_cursor, COLUMNS, as_json=as_json, empty="No tenants match.")


@tenants_app.command("get")
def tenants_get(ref: TenantRef, as_json: JsonOption = False) -> None:
    """One tenant: status, desired state, tier, placement, billing."""

    async def fetch() -> TenantOut:
        async with unit_of_work() as session:
            return tenant_out(await resolve(session, ref))

    print_fields(run(fetch), as_json=as_json)


def _act(ref: str, action: str, as_json: bool) -> None:
    settings = get_settings()

    async def act() -> TenantOut:
        async with unit_of_work() as session:
            tenant = await resolve(session, ref)
            done = await lifecycle.perform_action(
                session, CLI, tenant.id, action, settings, trigger="cli"
            )
            return tenant_out(done)

    out = run(act)
    print_outcome(
        out,
        f"tenant {out.slug} ({out.id}): {action} accepted; status {out.status.value}, "
        f"desired {out.desired_state}. Follow with: paybill runs list --tenant {out.slug}",
        as_json=as_json,
    )


@tenants_app.command("suspend")
def tenants_suspend(ref: TenantRef, as_json: JsonOption = False) -> None:
    """Turn the tenant's access off; infrastructure and data are kept."""
    _act(ref, "suspend", as_json)


@tenants_app.command("resume")
def tenants_resume(ref: TenantRef, as_json: JsonOption = False) -> None:
    """Turn a suspended tenant back on."""
    _act(ref, "resume", as_json)


@tenants_app.command("deprovision")
def tenants_deprovision(
    ref: TenantRef,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    as_json: JsonOption = False,
) -> None:
    """Destroy the tenant's infrastructure (asks first unless --yes)."""
    if not yes:
        typer.confirm(f"Destroy the infrastructure of tenant '{ref}'?", abort=True, err=True)
    _act(ref, "deprovision", as_json)
