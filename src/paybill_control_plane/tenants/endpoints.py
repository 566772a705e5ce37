"""/v1/tenants: CRUD, lifecycle actions and entitlements."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from paybill_control_plane.auth.dependencies import TenantReader, TenantWriter
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.etag import parse_if_match, set_etag
from paybill_control_plane.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, encode_cursor
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.models.enums import Cloud, TenantStatus
from paybill_control_plane.tenants import repository as repo
from paybill_control_plane.tenants import service
from paybill_control_plane.tenants.schemas import (
    EntitlementsOut,
    TenantCreate,
    TenantOut,
    TenantUpdate,
)
from paybill_control_plane.tenants.views import tenant_out

router = APIRouter(prefix="/v1/tenants", tags=["tenants"])


@router.post(
    "",
    summary="Create a tenant",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTHED, 404, 409),
)
async def tenants_create(
    body: TenantCreate,
    session: SessionDep,
    principal: TenantWriter,
    response: Response,
    settings: SettingsDep,
) -> TenantOut:
    """Create a tenant; with manual (contract) billing its provisioning starts at once."""
    tenant = await service.create_tenant(session, principal, body)
    await service.start_provisioning(session, principal, tenant, settings)
    set_etag(response, tenant.version)
    response.headers["Location"] = f"/v1/tenants/{tenant.id}"
    return tenant_out(tenant)


@router.get("", summary="List tenants (cursor-paginated)", responses=problem_responses(*AUTHED))
async def tenants_list(
    session: SessionDep,
    principal: TenantReader,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
    status_: Annotated[TenantStatus | None, Query(alias="status")] = None,
    tier: Annotated[str | None, Query(max_length=63)] = None,
    cloud: Annotated[Cloud | None, Query()] = None,
) -> Page[TenantOut]:
    rows, more = await repo.list_page(
        session,
        principal,
        limit=limit,
        cursor=cursor,
        status=status_.value if status_ else None,
        tier=tier,
        cloud=cloud.value if cloud else None,
    )
    next_cursor = encode_cursor(rows[-1].created_at, rows[-1].id) if more and rows else None
    return Page[TenantOut](items=[tenant_out(t) for t in rows], next_cursor=next_cursor)


@router.get("/{tenant_id}", summary="Get a tenant", responses=problem_responses(*AUTHED, 404))
async def tenants_get(
    tenant_id: uuid.UUID, session: SessionDep, principal: TenantReader, response: Response
) -> TenantOut:
    tenant = await repo.get(session, principal, tenant_id)
    set_etag(response, tenant.version)
    return tenant_out(tenant)


@router.patch(
    "/{tenant_id}",
    summary="Update a tenant (If-Match required)",
    responses=problem_responses(*AUTHED, 404, 409, 412, 428),
)
async def tenants_update(
    tenant_id: uuid.UUID,
    body: TenantUpdate,
    session: SessionDep,
    principal: TenantWriter,
    response: Response,
    settings: SettingsDep,
    if_match: Annotated[str | None, Header(description='The ETag you read, e.g. "3".')] = None,
) -> TenantOut:
    expected = parse_if_match(if_match, required=True)
    tenant, _ = await service.update_tenant(session, principal, tenant_id, body, expected, settings)
    set_etag(response, tenant.version)
    return tenant_out(tenant)


def _action_route(action: str, summary: str) -> None:
    async def endpoint(
        tenant_id: uuid.UUID,
        session: SessionDep,
        principal: TenantWriter,
        response: Response,
        settings: SettingsDep,
    ) -> TenantOut:
        tenant = await service.perform_action(session, principal, tenant_id, action, settings)
        set_etag(response, tenant.version)
        return tenant_out(tenant)

    endpoint.__name__ = f"tenants_{action}"
    router.add_api_route(
        f"/{{tenant_id}}/{action}",
        endpoint,
        methods=["POST"],
        summary=summary,
        status_code=status.HTTP_202_ACCEPTED,
        response_model=TenantOut,
        responses=problem_responses(*AUTHED, 404, 409),
        name=f"tenants_{action}",
    )


_action_route("suspend", "Suspend a tenant (infrastructure kept, access off)")
_action_route("resume", "Resume a suspended tenant")
_action_route("deprovision", "Deprovision a tenant (destroys its infrastructure)")
_action_route("reconcile", "Re-provision: converge every stack (no-op when nothing changed)")


@router.get(
    "/{tenant_id}/entitlements",
    summary="Effective entitlements of a tenant",
    responses=problem_responses(*AUTHED, 404),
)
async def tenants_entitlements(
    tenant_id: uuid.UUID, session: SessionDep, principal: TenantReader
) -> EntitlementsOut:
    return await service.entitlements(session, principal, tenant_id)
