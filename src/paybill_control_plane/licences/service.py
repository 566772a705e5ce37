"""Issuing licences: a JWT (EdDSA) of the tenant's tier, isolation and effective entitlements."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import jwt
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.errors import Conflict
from paybill_control_plane.licences import keys
from paybill_control_plane.models.enums import TenantDesiredState, TenantStatus
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.webhook import LicenceKey
from paybill_control_plane.tenants import repository as tenants_repo
from paybill_control_plane.tenants import service as tenants

ISSUER = "paybill-control-plane"
AUDIENCE = "paybill-application"
NO_LICENCE_STATUSES = frozenset(
    {
        TenantStatus.suspended,
        TenantStatus.deprovisioning,
        TenantStatus.deprovisioned,
        TenantStatus.purged,
    }
)


class LicenceNotIssued(Conflict):
    type_slug = "licence-not-issued"
    title = "The tenant gets no new licence"


async def signing_key(
    session: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> LicenceKey:
    """The current key; the first one is made on first use, in a transaction of its own."""
    key = await keys.current(session)
    if key is None:
        async with transaction(sessionmaker) as write:
            key = await keys.create(write, "system", settings, retire_current=False)
    return key


async def issue(
    session: AsyncSession,
    principal: Principal,
    tenant_id: uuid.UUID,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> tuple[str, dict[str, Any]]:
    """A fresh signed licence for the tenant (409 `licence-not-issued` when it is suspended or
    being removed); returns the token and its claims."""
    tenant = await tenants_repo.get(session, principal, tenant_id)
    check_eligible(tenant)
    key = await signing_key(session, sessionmaker, settings)
    return await sign(session, principal, tenant, key, settings)


def eligible(tenant: Tenant) -> bool:
    return (
        TenantStatus(tenant.status) not in NO_LICENCE_STATUSES
        and tenant.desired_state == TenantDesiredState.active
    )


def check_eligible(tenant: Tenant) -> None:
    if not eligible(tenant):
        raise LicenceNotIssued(
            f"Tenant {tenant.id} is '{tenant.status}' (desired state '{tenant.desired_state}'): "
            "suspended and deprovisioned tenants get no new licence.",
            extra={"tenant_status": tenant.status, "desired_state": tenant.desired_state},
        )


async def sign(
    session: AsyncSession, principal: Principal, tenant: Tenant, key: LicenceKey, settings: Settings
) -> tuple[str, dict[str, Any]]:
    """The licence of `tenant` as of now, signed with `key`."""
    entitlements = await tenants.entitlements(session, principal, tenant.id)
    now = utcnow()
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(tenant.id),
        "jti": str(uuid.uuid4()),
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(hours=settings.licence_ttl_hours)).timestamp()),
        "tenant_id": str(tenant.id),
        "tenant_slug": tenant.slug,
        "tier": tenant.tier_key,
        "isolation_model": tenant.isolation_model,
        "entitlements": entitlements.model_dump(
            mode="json", include={"features", "limits", "flags", "source"}
        ),
    }
    token = jwt.encode(
        claims, keys.private_key(key, settings), algorithm="EdDSA", headers={"kid": key.kid}
    )
    return token, claims
