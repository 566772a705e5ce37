"""/v1/api-keys."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from paybill_control_plane.auth import repository as repo
from paybill_control_plane.auth import service
from paybill_control_plane.auth.dependencies import KeyManager
from paybill_control_plane.auth.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.idempotency import returns_secret
from paybill_control_plane.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, next_cursor_of
from paybill_control_plane.kit.problems import AUTHED, problem_responses

router = APIRouter(prefix="/v1/api-keys", tags=["api-keys"], route_class=ControlledRoute)


@router.post(
    "",
    summary="Create an API key (the secret is shown once)",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTHED, 404),
)
@returns_secret  # the key's secret is in the body: a stored replay copy is kept encrypted
async def api_keys_create(
    body: ApiKeyCreate, session: SessionDep, principal: KeyManager
) -> ApiKeyCreated:
    """Create a key for a role (`tenant` keys are bound to one tenant: 404 if it does not exist).

    The response's `key` is the secret; it is stored hashed and never shown again.
    """
    key, secret = await service.create_key(session, principal, body)
    return ApiKeyCreated(**ApiKeyOut.model_validate(key).model_dump(), key=secret)


@router.get("", summary="List API keys", responses=problem_responses(*AUTHED))
async def api_keys_list(
    session: SessionDep,
    _: KeyManager,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
    include_revoked: bool = False,
) -> Page[ApiKeyOut]:
    """API keys, oldest first, without their secrets."""
    rows, more = await repo.list_page(
        session, limit=limit, cursor=cursor, include_revoked=include_revoked
    )
    next_cursor = next_cursor_of(rows, more)
    return Page[ApiKeyOut](
        items=[ApiKeyOut.model_validate(k) for k in rows], next_cursor=next_cursor
    )


@router.get(
    "/{key_id}",
    summary="Get an API key (never its secret)",
    responses=problem_responses(*AUTHED, 404),
)
async def api_keys_get(key_id: uuid.UUID, session: SessionDep, _: KeyManager) -> ApiKeyOut:
    """One key's metadata: role, prefix, last use, revocation."""
    return ApiKeyOut.model_validate(await service.get_key(session, key_id))


@router.delete("/{key_id}", summary="Revoke an API key", responses=problem_responses(*AUTHED, 404))
async def api_keys_revoke(
    key_id: uuid.UUID, session: SessionDep, principal: KeyManager
) -> ApiKeyOut:
    """Revoke a key at once (idempotent: revoking a revoked key changes nothing)."""
    return ApiKeyOut.model_validate(await service.revoke_key(session, principal, key_id))
