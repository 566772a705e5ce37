"""/v1/tenants/{tenant_id}/database: where a tenant's database is; rotating its password."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from paybill_control_plane.auth.dependencies import DatabaseCredentials, TenantReader
from paybill_control_plane.datatier import service
from paybill_control_plane.datatier.schemas import TenantDatabaseCredentials, TenantDatabaseOut
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.idempotency import returns_secret
from paybill_control_plane.kit.problems import AUTHED, problem_responses

router = APIRouter(
    prefix="/v1/tenants/{tenant_id}/database", tags=["tenants"], route_class=ControlledRoute
)


@router.get(
    "",
    summary="Get a tenant's database connection details (never a password)",
    responses=problem_responses(*AUTHED, 404),
)
async def tenant_database_get(
    tenant_id: uuid.UUID, session: SessionDep, principal: TenantReader
) -> TenantDatabaseOut:
    """Engine, host, port, database, schema (pooled), username, status and isolation model.

    404 `database-not-found` until the tenant's first provisioning run has made it.
    """
    return TenantDatabaseOut.of(await service.get_database(session, principal, tenant_id))


@router.post(
    "/credentials",
    summary="Rotate a tenant's database password (the new one is shown once)",
    responses=problem_responses(*AUTHED, 404, 409),
)
@returns_secret  # the password is in the body: a stored replay copy is kept encrypted
async def tenant_database_rotate_credentials(
    tenant_id: uuid.UUID, request: Request, session: SessionDep, principal: DatabaseCredentials
) -> TenantDatabaseCredentials:
    """A new password on the tenant's other login role; the previous one keeps working for
    `PAYBILL_CREDENTIAL_GRACE_SECONDS`. 409 `database-suspended` while the tenant is suspended
    (resume it first), 409 `database-not-ready` before its database is `available`."""
    rotated = await service.rotate_credentials(
        session, principal, tenant_id, request.app.state.settings
    )
    out = TenantDatabaseOut.of(rotated.row)
    return TenantDatabaseCredentials(
        **out.model_dump(),
        password=rotated.password,
        previous_username=rotated.previous_username,
        previous_valid_until=rotated.previous_valid_until,
    )
