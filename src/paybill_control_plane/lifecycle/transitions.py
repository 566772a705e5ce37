"""Moving a tenant along its state machine, audited: the one place a status or desired state is
written (the lifecycle layer's; domains below it never call this)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.models.enums import TenantStatus
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.tenants import lifecycle
from paybill_control_plane.tenants.views import snapshot

# `suspended_by` left as it is.
KEEP = "keep"


async def change_state(
    session: AsyncSession,
    actor: Principal | str,
    tenant: Tenant,
    *,
    status: TenantStatus | None = None,
    desired_state: str | None = None,
    action: str,
    reason: str | None = None,
    context: Mapping[str, Any] | None = None,
    suspended_by: str | None = KEEP,
) -> bool:
    """Set status and/or desired state (409 for a transition the state machine forbids).

    Returns whether anything changed; every change is audited under `action`, with `context`
    (e.g. the Stripe event that caused it) added to the audited `after`.
    """
    current = TenantStatus(tenant.status)
    new_status = status or current
    new_desired = desired_state or tenant.desired_state
    new_by = tenant.suspended_by if suspended_by == KEEP else suspended_by
    if (
        new_status == current
        and new_desired == tenant.desired_state
        and new_by == tenant.suspended_by
    ):
        return False
    lifecycle.check_transition(current, new_status)
    before = snapshot(tenant)
    if new_status != current:
        tenant.status = new_status.value
        tenant.status_changed_at = utcnow()
    tenant.desired_state = new_desired
    tenant.suspended_by = new_by
    tenant.version += 1
    await session.flush()
    after = snapshot(tenant)
    if reason:
        after["reason"] = reason
    if context:
        after.update(context)
    await audit.record(
        session, actor=actor, action=action, target_type="tenant",
        target_id=tenant.id, tenant_id=tenant.id, before=before, after=after,
    )  # fmt: skip
    return True


async def switch_isolation(
    session: AsyncSession,
    actor: Principal | str,
    tenant: Tenant,
    *,
    tier_key: str,
    isolation_model: str,
    isolation_override: bool,
    action: str,
    context: Mapping[str, Any] | None = None,
) -> None:
    """Point the tenant at another tier and isolation model (a migration's cutover or its
    rollback), audited; its status does not change."""
    before = snapshot(tenant)
    tenant.tier_key = tier_key
    tenant.isolation_model = isolation_model
    tenant.isolation_override = isolation_override
    if snapshot(tenant) == before:
        return
    tenant.version += 1
    await session.flush()
    await audit.record(
        session, actor=actor, action=action, target_type="tenant", target_id=tenant.id,
        tenant_id=tenant.id, before=before, after={**snapshot(tenant), **(context or {})},
    )  # fmt: skip
