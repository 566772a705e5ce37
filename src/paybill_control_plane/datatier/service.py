"""Data-tier rules for the API: reading a tenant's database, rotating its password."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier import repository
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.datatier.managed import data_server, home_of
from paybill_control_plane.datatier.provision import describe, new_password
from paybill_control_plane.datatier.secrets import seal
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.errors import Conflict, NotFound
from paybill_control_plane.models.enums import (
    Cloud,
    DatabaseStatus,
    IsolationModel,
    TenantDesiredState,
)
from paybill_control_plane.models.tenant_database import TenantDatabase
from paybill_control_plane.tenants import repository as tenants_repo


class DatabaseNotFound(NotFound):
    type_slug = "database-not-found"
    title = "The tenant has no data tier"


class DatabaseSuspended(Conflict):
    type_slug = "database-suspended"
    title = "The tenant is suspended"


class DatabaseNotReady(Conflict):
    type_slug = "database-not-ready"
    title = "The tenant's database is not ready for this"


@dataclass(frozen=True)
class Rotated:
    row: TenantDatabase
    password: str
    previous_username: str | None
    previous_valid_until: datetime | None


async def get_database(
    session: AsyncSession, principal: Principal, tenant_id: uuid.UUID
) -> TenantDatabase:
    """The tenant's database row (404 for a tenant the principal cannot see or without one)."""
    await tenants_repo.get(session, principal, tenant_id)
    row = await repository.get_for_tenant(session, tenant_id)
    if row is None or row.status == DatabaseStatus.dropped:
        raise DatabaseNotFound(
            f"Tenant '{tenant_id}' has no database: it is made by the tenant's first successful "
            "provisioning run (see GET /v1/tenants/{id}/runs), and dropped when it is "
            "deprovisioned.",
            extra={"tenant_id": str(tenant_id)},
        )
    return row


def _control_plane_url(session: AsyncSession) -> str:
    bind = session.bind
    assert isinstance(bind, AsyncEngine), "a request session is bound to the engine"
    return bind.url.render_as_string(hide_password=False)


async def rotate_credentials(
    session: AsyncSession, principal: Principal, tenant_id: uuid.UUID, settings: Settings
) -> Rotated:
    """A new password on the other login role; the old one keeps working for the grace period."""
    tenant = await tenants_repo.get(session, principal, tenant_id, for_update=True)
    row = await get_database(session, principal, tenant_id)
    await session.refresh(row, with_for_update=True)
    if (
        tenant.desired_state == TenantDesiredState.suspended
        or row.status == DatabaseStatus.suspended
    ):
        raise DatabaseSuspended(
            f"Tenant '{tenant_id}' is suspended: its database refuses every login. Resume it "
            f"first (POST /v1/tenants/{tenant_id}/resume), then rotate.",
            extra={"tenant_id": str(tenant_id), "allowed_actions": ["resume"]},
        )
    if row.status != DatabaseStatus.available or row.username is None:
        raise DatabaseNotReady(
            f"Tenant '{tenant_id}''s database is '{row.status}': credentials can be rotated once "
            "it is 'available' (its provisioning run has finished; an 'unmanaged' cloud database "
            "keeps the module's credentials: see terraform-modules/README.md, Data tier).",
            extra={"tenant_id": str(tenant_id), "database_status": row.status},
        )
    url = _control_plane_url(session)
    if row.cloud == Cloud.local:
        server = local_data_server(settings, url)
    else:  # the module's managed server; its admin password is read from the cloud now
        home = await home_of(session, settings, row)
        server = await data_server(settings, url, home.access, home.outputs)
    names = server.names(IsolationModel(row.isolation_model), tenant_id, row.pool_id)
    before = describe(row)
    previous, current = row.username, names.other_login(row.username)
    password = new_password()
    verifier = await pg.scram_verifier(server.admin_dsn, current, password)
    await pg.set_password(server.admin_dsn, current, verifier)
    grace = settings.credential_grace_seconds
    await pg.expire_login(server.admin_dsn, previous, grace)
    now = utcnow()
    row.username = current
    row.credentials_encrypted = seal(settings, row.id, current, password)
    row.credentials_rotated_at = now
    await session.flush()
    await audit.record(
        session, actor=principal, action="database.credentials_rotated",
        target_type="tenant_database", target_id=row.id, tenant_id=tenant_id,
        before=before, after=describe(row) | {"previous_valid_for_seconds": grace},
    )  # fmt: skip
    return Rotated(row, password, previous, now + timedelta(seconds=grace))
