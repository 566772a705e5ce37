"""/v1/audit-events."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from paybill_control_plane.audit import repository
from paybill_control_plane.audit.checkpoints import signing_key
from paybill_control_plane.audit.schemas import AuditEventOut, AuditPublicKey
from paybill_control_plane.audit.signing import SigningKeyError, public_key_info
from paybill_control_plane.auth.dependencies import AuditReader, PrincipalDep
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.errors import InvalidCursor, NotFound
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, PageCursor
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.kit.schemas import NO_NUL_PATTERN

router = APIRouter(prefix="/v1/audit-events", tags=["audit"], route_class=ControlledRoute)
key_router = APIRouter(prefix="/v1/audit", tags=["audit"], route_class=ControlledRoute)


@router.get(
    "",
    summary="List audit events, oldest first (cursor-paginated)",
    responses=problem_responses(*AUTHED),
)
async def audit_events_list(
    session: SessionDep,
    _: AuditReader,
    tenant_id: uuid.UUID | None = None,
    actor: Annotated[
        str | None, Query(max_length=200, pattern=NO_NUL_PATTERN, description="Only this actor.")
    ] = None,
    action: Annotated[
        str | None,
        Query(max_length=100, pattern=NO_NUL_PATTERN, description="e.g. `tenant.created`."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: PageCursor = None,
) -> Page[AuditEventOut]:
    """Every change, oldest first; `paybill audit verify` recomputes the hash chain."""
    if cursor and not cursor.isdigit():
        raise InvalidCursor("The cursor is not one this API returned.")
    page, more = await repository.list_events(
        session,
        tenant_id=tenant_id,
        actor=actor,
        action=action,
        after_seq=int(cursor) if cursor else None,
        limit=limit,
    )
    next_cursor = str(page[-1].seq) if more and page else None
    return Page[AuditEventOut](
        items=[AuditEventOut.model_validate(r) for r in page], next_cursor=next_cursor
    )


class SigningKeyNotConfigured(NotFound):
    type_slug = "audit-signing-key-not-configured"
    title = "No audit signing key is configured"


@key_router.get(
    "/public-key",
    summary="The public key that verifies audit checkpoints",
    responses=problem_responses(*AUTHED, 404),
)
async def audit_public_key(_: PrincipalDep, settings: SettingsDep) -> AuditPublicKey:
    """Any API key may read it: `paybill audit verify --public-key` checks checkpoints with it.

    404 `audit-signing-key-not-configured` when PAYBILL_AUDIT_SIGNING_KEY is not set (or not
    an Ed25519 key). The private key is never returned.
    """
    try:
        key = signing_key(settings)
    except SigningKeyError:
        key = None
    if key is None:
        raise SigningKeyNotConfigured(
            "PAYBILL_AUDIT_SIGNING_KEY is not set to an Ed25519 private key; see docs/security.md."
        )
    info = public_key_info(key.public_key())
    return AuditPublicKey(
        algorithm="Ed25519",
        public_key_pem=info.pem,
        key_id=info.key_id,
        fingerprint=info.fingerprint,
    )
