"""/v1/cloud-targets: where tenants are provisioned, with write-only credentials (admin only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from paybill_control_plane.auth.dependencies import CloudTargetManager
from paybill_control_plane.cloud_targets import repository as repo
from paybill_control_plane.cloud_targets import service, validation
from paybill_control_plane.cloud_targets.schemas import (
    CloudTargetCreate,
    CloudTargetOut,
    CloudTargetUpdate,
    Validation,
)
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.etag import IfMatch, etag_response, parse_if_match, set_etag
from paybill_control_plane.kit.pagination import (
    DEFAULT_LIMIT,
    Page,
    PageCursor,
    PageLimit,
    next_cursor_of,
)
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.models.enums import Cloud

router = APIRouter(prefix="/v1/cloud-targets", tags=["cloud-targets"], route_class=ControlledRoute)


async def _out(session: SessionDep, target_id: uuid.UUID) -> CloudTargetOut:
    target = await repo.get(session, target_id)
    counts = await repo.tenant_counts(session, [target.id])
    return service.target_out(target, counts[target.id])


@router.post(
    "",
    summary="Register a cloud target",
    status_code=status.HTTP_201_CREATED,
    responses={**etag_response(201), **problem_responses(*AUTHED, 409)},
)
async def cloud_targets_create(
    body: CloudTargetCreate,
    session: SessionDep,
    principal: CloudTargetManager,
    response: Response,
    settings: SettingsDep,
) -> CloudTargetOut:
    """Register an account/subscription/project/tenancy to provision tenants in.

    `credentials` are encrypted with `PAYBILL_SECRET_KEY` (409 `secret-key-not-configured`
    when it is unset or shorter than 32 characters) and never returned: answers show
    `credential_keys` only. 409 `already-exists` when the cloud has a target of that name.
    """
    target = await service.create_target(session, principal, body, settings)
    set_etag(response, target.version)
    response.headers["Location"] = f"/v1/cloud-targets/{target.id}"
    return service.target_out(target)


@router.get("", summary="List cloud targets", responses=problem_responses(*AUTHED))
async def cloud_targets_list(
    session: SessionDep,
    _: CloudTargetManager,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
    cloud: Annotated[Cloud | None, Query(description="Only this cloud.")] = None,
) -> Page[CloudTargetOut]:
    """Cloud targets, oldest first (credentials never shown)."""
    rows, more = await repo.list_page(
        session, limit=limit, cursor=cursor, cloud=cloud.value if cloud else None
    )
    counts = await repo.tenant_counts(session, [t.id for t in rows])
    next_cursor = next_cursor_of(rows, more)
    return Page[CloudTargetOut](
        items=[service.target_out(t, counts[t.id]) for t in rows], next_cursor=next_cursor
    )


@router.get(
    "/{target_id}",
    summary="Get a cloud target",
    responses={**etag_response(), **problem_responses(*AUTHED, 404)},
)
async def cloud_targets_get(
    target_id: uuid.UUID, session: SessionDep, _: CloudTargetManager, response: Response
) -> CloudTargetOut:
    """The target and, in `ETag`, its version; credential values are never returned."""
    out = await _out(session, target_id)
    set_etag(response, out.version)
    return out


@router.patch(
    "/{target_id}",
    summary="Update a cloud target",
    responses={**etag_response(), **problem_responses(*AUTHED, 404, 409, 412)},
)
async def cloud_targets_update(
    target_id: uuid.UUID,
    body: CloudTargetUpdate,
    session: SessionDep,
    principal: CloudTargetManager,
    response: Response,
    settings: SettingsDep,
    if_match: IfMatch = None,
) -> CloudTargetOut:
    """Change the given fields; `credentials` replaces the stored set (send every key).

    Send `If-Match` to fail (412) if someone changed the target since you read it.
    """
    target = await service.update_target(
        session, principal, target_id, body, parse_if_match(if_match, required=False), settings
    )
    set_etag(response, target.version)
    return await _out(session, target.id)


@router.delete(
    "/{target_id}",
    summary="Delete an unused cloud target",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTHED, 404, 409, 412),
)
async def cloud_targets_delete(
    target_id: uuid.UUID,
    session: SessionDep,
    principal: CloudTargetManager,
    if_match: IfMatch = None,
) -> None:
    """Delete a target no tenant and no pool with infrastructure uses (409 `in-use`)."""
    await service.delete_target(
        session, principal, target_id, parse_if_match(if_match, required=False)
    )


@router.post(
    "/{target_id}/validate",
    summary="Check a cloud target's credentials with its cloud",
    responses=problem_responses(*AUTHED, 404, 409, 502),
)
async def cloud_targets_validate(
    target_id: uuid.UUID, session: SessionDep, principal: CloudTargetManager, settings: SettingsDep
) -> Validation:
    """Ask the cloud, through its SDK, who the stored credentials are.

    The cloud's refusal (wrong key, wrong account) is `ok: false` with `details.error`; the
    answer is recorded as the target's `last_validation`. 502 `cloud-target-unreachable`, with
    one fixed text, when the API cannot be reached at an allowed address, times out or does
    not answer as the cloud's API (and for any failure at an admin-set `endpoint_url`). 409 when the target has no credentials, the
    secret key is missing or the cloud's SDK extra is not installed.
    """
    return await validation.validate_target(session, principal, target_id, settings)
