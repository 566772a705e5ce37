"""/v1/tenants/{tenant_id}/licence and /v1/licences: signed licences and their public keys."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Request

from paybill_control_plane.auth.dependencies import TenantReader, WebhookManager
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.licences import keys, service
from paybill_control_plane.licences.schemas import Jwks, LicenceKeyRotated, LicenceOut

router = APIRouter(prefix="/v1/tenants", tags=["licences"], route_class=ControlledRoute)
key_router = APIRouter(prefix="/v1/licences", tags=["licences"], route_class=ControlledRoute)


@router.get(
    "/{tenant_id}/licence",
    summary="A signed licence for a tenant",
    responses=problem_responses(*AUTHED, 404, 409),
)
async def tenants_licence(
    tenant_id: uuid.UUID,
    session: SessionDep,
    principal: TenantReader,
    settings: SettingsDep,
    request: Request,
) -> LicenceOut:
    """A JWT (EdDSA) with the tenant's id, tier, isolation model and effective entitlements,
    valid for PAYBILL_LICENCE_TTL_HOURS (at most 7 days); verify it offline with the keys of
    `GET /v1/licences/public-key`. A tenant key gets its own only. 409 `licence-not-issued`
    for a suspended or deprovisioned tenant."""
    token, claims = await service.issue(
        session, principal, tenant_id, settings, request.app.state.sessionmaker
    )
    return LicenceOut(
        licence=token, expires_at=datetime.fromtimestamp(claims["exp"], UTC), claims=claims
    )


@key_router.get(
    "/public-key", summary="The licence public keys (JWKS)", responses=problem_responses(*AUTHED)
)
async def licences_public_key(
    session: SessionDep, _: TenantReader, settings: SettingsDep, request: Request
) -> Jwks:
    """Every key whose licences may still be valid (several during a rotation), newest first."""
    rows = await keys.published(session, settings)
    if not rows:
        rows = [await service.signing_key(session, request.app.state.sessionmaker, settings)]
    return Jwks.model_validate(keys.jwks(rows))


@key_router.post(
    "/rotate-key",
    summary="Rotate the licence signing key",
    responses=problem_responses(*AUTHED, 409),
)
async def licences_rotate_key(
    session: SessionDep, principal: WebhookManager, settings: SettingsDep
) -> LicenceKeyRotated:
    """A new key signs from now on; the previous one stays in the JWKS until its licences
    expire."""
    row = await keys.create(session, principal, settings, retire_current=True)
    return LicenceKeyRotated(kid=row.kid)
