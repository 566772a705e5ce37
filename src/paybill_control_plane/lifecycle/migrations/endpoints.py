"""Migration routes: start (or dry-run) and list per tenant; get, roll back and cancel by id."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import JSONResponse

from paybill_control_plane.auth.dependencies import TenantReader, TenantWriter
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.pagination import Page, PageParams, next_cursor_of
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.lifecycle.migrations import repository as repo
from paybill_control_plane.lifecycle.migrations import service
from paybill_control_plane.lifecycle.migrations.schemas import (
    MigrationCreate,
    MigrationOut,
    MigrationPlanOut,
)
from paybill_control_plane.tenants import repository as tenants_repo

router = APIRouter(prefix="/v1", tags=["migrations"], route_class=ControlledRoute)


@router.post(
    "/tenants/{tenant_id}/migrations",
    summary="Migrate a tenant to another isolation model",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=MigrationOut,
    responses={
        200: {"model": MigrationPlanOut, "description": "`dry_run=true`: the plan, not started."},
        **problem_responses(*AUTHED, 404, 409, 422),
    },
)
async def migrations_start(
    tenant_id: uuid.UUID,
    body: MigrationCreate,
    session: SessionDep,
    principal: TenantWriter,
    settings: SettingsDep,
    dry_run: Annotated[
        bool, Query(description="Return the plan without starting the migration.")
    ] = False,
) -> MigrationOut | JSONResponse:
    """Start the workflow plan → provision target → copy → cutover → hold → decommission.

    409 when the tenant is not active or a migration of it is in flight (the problem names it);
    422 when the target is its current model or the move is not supported.
    """
    if dry_run:
        tenant = await tenants_repo.get(session, principal, tenant_id)
        planned, _ = await service.plan(session, tenant, body, settings)
        return JSONResponse(planned.model_dump(mode="json"))
    return MigrationOut.of(await service.start(session, principal, tenant_id, body, settings))


@router.get(
    "/tenants/{tenant_id}/migrations",
    summary="List a tenant's migrations",
    responses=problem_responses(*AUTHED, 404),
)
async def migrations_list(
    tenant_id: uuid.UUID,
    session: SessionDep,
    principal: TenantReader,
    page: PageParams,
) -> Page[MigrationOut]:
    """The tenant's migrations, newest first."""
    await tenants_repo.get(session, principal, tenant_id)
    rows, more = await repo.list_page(session, tenant_id, limit=page.limit, cursor=page.cursor)
    return Page[MigrationOut](
        items=[MigrationOut.of(m) for m in rows], next_cursor=next_cursor_of(rows, more)
    )


@router.get(
    "/migrations/{migration_id}",
    summary="Get a migration",
    responses=problem_responses(*AUTHED, 404),
)
async def migrations_get(
    migration_id: uuid.UUID, session: SessionDep, principal: TenantReader
) -> MigrationOut:
    """Its phases with timings and outcomes, source and target, and the endpoint after cutover."""
    return MigrationOut.of(await repo.get(session, principal, migration_id))


@router.post(
    "/migrations/{migration_id}/rollback",
    summary="Roll a migration back",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(*AUTHED, 404, 409),
)
async def migrations_rollback(
    migration_id: uuid.UUID, session: SessionDep, principal: TenantWriter, settings: SettingsDep
) -> MigrationOut:
    """Flip the tenant back to its source and remove the target (any phase before
    decommission). After decommission (`completed`), start the reverse migration, which moves
    the tenant with its current data back to the source's tier and model, and answer that one
    (its `plan.rollback_of` names this migration); 409 if the tenant has moved since."""
    return MigrationOut.of(await service.rollback(session, principal, migration_id, settings))


@router.post(
    "/migrations/{migration_id}/cancel",
    summary="Cancel a migration",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(*AUTHED, 404, 409),
)
async def migrations_cancel(
    migration_id: uuid.UUID, session: SessionDep, principal: TenantWriter
) -> MigrationOut:
    """Stop a migration before its cutover and remove what it provisioned (409 after cutover:
    roll it back instead)."""
    return MigrationOut.of(await service.cancel(session, principal, migration_id))
