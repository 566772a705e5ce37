"""Driving a Stripe-billed tenant to what its subscription's decision asks for.

Converging, not replaying: the tenant is compared with the decision every time, so applying the
same decision twice changes nothing, and a decision reached late (a stale event, a replay, the
reconciler) still corrects a tenant that drifted. Billing may move a tenant from any non-final
status (e.g. `updating` towards suspended back to active when the invoice is paid), which the API's
lifecycle actions deliberately do not allow.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import STRIPE
from paybill_control_plane.billing._context import BillingContext, Cause
from paybill_control_plane.billing.desired_state import Decision, DesiredState
from paybill_control_plane.models.enums import TenantStatus as S
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.provisioning import service as provisioning
from paybill_control_plane.tenants import lifecycle
from paybill_control_plane.tenants import service as tenants
from paybill_control_plane.tenants.schemas import TenantUpdate
from paybill_control_plane.tenants.transitions import change_state

# The run kind (and audit action) that takes a tenant to each desired state.
_KIND = {"active": "resume", "suspended": "suspend", "deprovisioned": "deprovision"}


def target_state(decision: Decision, status: S, now: datetime) -> str | None:
    """The tenant desired state a decision asks for (None: leave the tenant as it is)."""
    state = decision.state
    if state in (DesiredState.provisioned, DesiredState.grace):
        # A pending tenant is provisioned only once paid: grace never starts one.
        if status is S.pending and state is DesiredState.grace:
            return None
        return "active"
    if state is DesiredState.suspended:
        # Nothing to suspend before anything was provisioned.
        return None if status is S.pending else "suspended"
    if state is DesiredState.cancelled:
        if decision.deprovision_at is not None and decision.deprovision_at <= now:
            return "deprovisioned"
        return None if status is S.pending else "suspended"
    # not_provisioned: incomplete waits for payment; incomplete_expired cleans up a tenant that
    # was created at checkout and never paid for.
    if decision.status == "incomplete_expired" and status is S.pending:
        return "deprovisioned"
    return None


async def converge_tenant(
    session: AsyncSession,
    tenant: Tenant,
    decision: Decision,
    ctx: BillingContext,
    cause: Cause,
) -> list[str]:
    """Queue what brings `tenant` to `decision`; returns what changed (empty: nothing)."""
    status = S(tenant.status)
    if status in lifecycle.GONE or status is S.deprovisioning:
        return []
    target = target_state(decision, status, ctx.now)
    context = cause.audit(
        subscription_id=decision.subscription_id,
        subscription_status=decision.status,
        billing_state=decision.state.value,
        billing_reason=decision.reason,
    )
    changes: list[str] = []
    if (
        target in ("active", "suspended")
        and decision.tier_key is not None
        and decision.tier_key != tenant.tier_key
    ):
        previous = tenant.tier_key
        await tenants.update_tenant(
            session, STRIPE, tenant.id, TenantUpdate(tier=decision.tier_key), None, ctx.settings,
            trigger=cause.trigger, context=context,
        )  # fmt: skip
        changes.append(f"tier {previous} -> {decision.tier_key}")
    if target is None:
        return changes
    if status is S.pending and target == "active":
        await tenants.start_provisioning(
            session, STRIPE, tenant, ctx.settings, trigger=cause.trigger, context=context
        )
        changes.append("provision")
        return changes
    if tenant.desired_state == target:
        return changes
    kind = _KIND[target]
    await change_state(
        session, STRIPE, tenant, status=lifecycle.running_status_for(status, target),
        desired_state=target, action=f"tenant.{kind}", context=context,
    )  # fmt: skip
    runs = await provisioning.reconcile_tenant(
        session, tenant, kind=kind, trigger=cause.trigger, actor=STRIPE, settings=ctx.settings
    )
    if not runs:
        # No stack to run (a tenant that never got infrastructure): it has converged already.
        await provisioning.settle(session, tenant, ctx.settings, STRIPE)
    changes.append(kind)
    return changes
