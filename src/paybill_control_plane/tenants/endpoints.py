"""/v1/tenants: CRUD, lifecycle actions and entitlements."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from paybill_control_plane.auth.dependencies import TenantReader, TenantWriter
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.etag import (
    ETAG_HEADER,
    IfMatchRequired,
    etag_response,
    parse_if_match,
    set_etag,
)
from paybill_control_plane.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, next_cursor_of
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.kit.schemas import KEY_PATTERN
from paybill_control_plane.lifecycle import tenants as lifecycle
from paybill_control_plane.models.enums import Cloud, TenantStatus
from paybill_control_plane.tenants import repository as repo
from paybill_control_plane.tenants import service, views
from paybill_control_plane.tenants.schemas import (
    EntitlementsOut,
    TenantCreate,
    TenantOut,
    TenantUpdate,
)
from paybill_control_plane.tenants.views import tenant_out

JSON = "application/json"
router = APIRouter(prefix="/v1/tenants", tags=["tenants"], route_class=ControlledRoute)
LOCATION_HEADER = {
    "Location": {
        "description": "The new tenant's URL.",
        "required": True,
        "schema": {"type": "string"},
    }
}


@router.post(
    "",
    summary="Create a tenant",
    status_code=status.HTTP_201_CREATED,
    responses={
        201: {"headers": {**ETAG_HEADER, **LOCATION_HEADER}},
        **problem_responses(*AUTHED, 404, 409),
    },
)
async def tenants_create(
    body: TenantCreate,
    session: SessionDep,
    principal: TenantWriter,
    response: Response,
    settings: SettingsDep,
) -> TenantOut:
    """Create a tenant; with manual (contract) billing its provisioning starts at once.

    The tier must exist (404) and allow the cloud, region and isolation model (422); the slug
    must be free (409). It answers `provisioning`, its first runs queued for a worker.
    """
    tenant = await lifecycle.create_tenant(session, principal, body)
    await lifecycle.start_provisioning(session, principal, tenant, settings)
    set_etag(response, tenant.version)
    response.headers["Location"] = f"/v1/tenants/{tenant.id}"
    return tenant_out(tenant)


# The two hot reads answer their JSON themselves (`views.tenant_json`, `tenant_page_json`: the
# same bytes `TenantOut` gives, without building the models); `response_model` keeps the
# documented schema.
@router.get(
    "",
    summary="List tenants",
    response_model=Page[TenantOut],
    responses=problem_responses(*AUTHED),
)
async def tenants_list(
    request: Request,
    principal: TenantReader,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
    status_: Annotated[
        TenantStatus | None, Query(alias="status", description="Only this status.")
    ] = None,
    tier: Annotated[
        str | None, Query(pattern=KEY_PATTERN, description="Only this tier's key.")
    ] = None,
    cloud: Annotated[Cloud | None, Query(description="Only this cloud.")] = None,
    slug_prefix: Annotated[
        str | None,
        Query(pattern=r"^[a-z0-9-]{1,40}$", description="Only slugs that start with this."),
    ] = None,
) -> Response:
    """Tenants the key can see, oldest first; a tenant key sees only its own tenant."""
    # No request session: one autocommitted SELECT on the read pool (see repo.read_page).
    rows, more = await repo.read_page(
        request.app.state.read_pool,
        principal,
        limit=limit,
        cursor=cursor,
        status=status_.value if status_ else None,
        tier=tier,
        cloud=cloud.value if cloud else None,
        slug_prefix=slug_prefix,
    )
    body = views.tenant_page_json(rows, next_cursor_of(rows, more))
    return Response(body, media_type=JSON)


@router.get(
    "/{tenant_id}",
    summary="Get a tenant",
    response_model=TenantOut,
    responses={**etag_response(), **problem_responses(*AUTHED, 404)},
)
async def tenants_get(tenant_id: uuid.UUID, request: Request, principal: TenantReader) -> Response:
    """The tenant and, in `ETag`, its version (send it back as `If-Match` to update)."""
    # No request session: one autocommitted SELECT on the read pool (see repo.read_row).
    row = await repo.read_row(request.app.state.read_pool, principal, tenant_id)
    response = Response(views.tenant_json(row), media_type=JSON)
    set_etag(response, row.version)
    return response


@router.patch(
    "/{tenant_id}",
    summary="Update a tenant (If-Match required)",
    responses={**etag_response(), **problem_responses(*AUTHED, 404, 409, 412, 428)},
)
async def tenants_update(
    tenant_id: uuid.UUID,
    body: TenantUpdate,
    session: SessionDep,
    principal: TenantWriter,
    response: Response,
    settings: SettingsDep,
    if_match: IfMatchRequired,
) -> TenantOut:
    """Change the given fields. `If-Match` is required: 428 without it, 412 if stale.

    A tier change re-plans the tenant's stacks and queues runs (409 if the tenant's status
    does not allow it, or a migration of it is in flight). A tier whose isolation model differs
    is a migration, not an update: 409 `isolation-change-needs-migration` naming
    `POST /v1/tenants/{tenant_id}/migrations`.
    """
    expected = parse_if_match(if_match, required=True)
    tenant, _ = await lifecycle.update_tenant(
        session, principal, tenant_id, body, expected, settings
    )
    set_etag(response, tenant.version)
    return tenant_out(tenant)


def _action_route(action: str, summary: str, description: str) -> None:
    async def endpoint(
        tenant_id: uuid.UUID,
        session: SessionDep,
        principal: TenantWriter,
        response: Response,
        settings: SettingsDep,
    ) -> TenantOut:
        tenant = await lifecycle.perform_action(session, principal, tenant_id, action, settings)
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
        description=description,
        responses={**etag_response(202), **problem_responses(*AUTHED, 404, 409)},
        name=f"tenants_{action}",
    )


_ACCEPTED = (
    " Answers 202 with the tenant: the runs that carry the action out are queued; follow them"
    " under `/v1/tenants/{tenant_id}/runs`. 409 `invalid-transition` (with `allowed_actions`)"
    " when the tenant's status does not allow it."
)
_action_route(
    "suspend",
    "Suspend a tenant (infrastructure kept, access off)",
    "Turn the tenant's access off and keep its infrastructure and data." + _ACCEPTED,
)
_action_route("resume", "Resume a suspended tenant", "Turn a suspended tenant back on." + _ACCEPTED)
_action_route(
    "deprovision",
    "Deprovision a tenant (destroys its infrastructure)",
    "Destroy the tenant's infrastructure; the tenant ends `deprovisioned`." + _ACCEPTED,
)
_action_route(
    "reconcile",
    "Re-provision: converge every stack (no-op when nothing changed)",
    "Re-render and apply the tenant's stacks, e.g. after drift or a failed run." + _ACCEPTED,
)


@router.get(
    "/{tenant_id}/entitlements",
    summary="Effective entitlements of a tenant",
    responses=problem_responses(*AUTHED, 404),
)
async def tenants_entitlements(
    tenant_id: uuid.UUID, session: SessionDep, principal: TenantReader
) -> EntitlementsOut:
    """The tier's features with the tenant's overrides applied, also as limits and flags."""
    return await service.entitlements(session, principal, tenant_id)
