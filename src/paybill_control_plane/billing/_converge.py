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

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import STRIPE
from paybill_control_plane.billing import repository as repo
from paybill_control_plane.billing._context import BillingContext, Cause
from paybill_control_plane.billing._jobs import PRIORITY, QUEUE, REVIEW_SUBSCRIPTION_TASK
from paybill_control_plane.billing.desired_state import Decision, DesiredState
from paybill_control_plane.lifecycle import tenants as lifecycle_tenants
from paybill_control_plane.lifecycle.migrations import service as migrations
from paybill_control_plane.lifecycle.migrations.service import TenantMigrating
from paybill_control_plane.lifecycle.tenants import IsolationChangeNeedsMigration
from paybill_control_plane.models.enums import TenantDesiredState
from paybill_control_plane.models.enums import TenantStatus as S
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_migration import TenantMigration
from paybill_control_plane.tenants import lifecycle
from paybill_control_plane.tenants.schemas import TenantUpdate
from paybill_control_plane.worker.jobs import defer_job

HELD_ACTION = "billing.change_held"

# The run kind (and audit action) that takes a tenant to each desired state.
_KIND = {
    TenantDesiredState.active: "resume",
    TenantDesiredState.suspended: "suspend",
    TenantDesiredState.deprovisioned: "deprovision",
}


def target_state(decision: Decision, status: S, now: datetime) -> TenantDesiredState | None:
    """The tenant desired state a decision asks for (None: leave the tenant as it is)."""
    state = decision.state
    if state in (DesiredState.provisioned, DesiredState.grace):
        # A pending tenant is provisioned only once paid: grace never starts one.
        if status is S.pending and state is DesiredState.grace:
            return None
        return TenantDesiredState.active
    if state is DesiredState.suspended:
        # Nothing to suspend before anything was provisioned.
        return None if status is S.pending else TenantDesiredState.suspended
    if state is DesiredState.cancelled:
        if decision.deprovision_at is not None and decision.deprovision_at <= now:
            return TenantDesiredState.deprovisioned
        return None if status is S.pending else TenantDesiredState.suspended
    # not_provisioned: incomplete waits for payment; incomplete_expired cleans up a tenant that
    # was created at checkout and never paid for.
    if decision.status == "incomplete_expired" and status is S.pending:
        return TenantDesiredState.deprovisioned
    return None


def operator_hold(tenant: Tenant, target: TenantDesiredState | None) -> str | None:
    """Why billing must leave the tenant alone (None: it may act).

    An operator's suspension (abuse, an investigation) holds until an operator lifts it: no
    Stripe event resumes, re-tiers or deprovisions that tenant. A tenant an operator left active
    is billing's to suspend or deprovision.
    """
    if (
        tenant.suspended_by != "operator"
        or target is None
        or target == TenantDesiredState.suspended
    ):
        return None
    return f"operator suspension holds (billing asked for {target}; an operator must resume it)"


async def converge_tenant(
    session: AsyncSession,
    tenant: Tenant,
    decision: Decision,
    ctx: BillingContext,
    cause: Cause,
) -> tuple[list[str], str | None]:
    """Queue what brings `tenant` to `decision`: (what changed, why nothing could change)."""
    status = S(tenant.status)
    if status in lifecycle.GONE or status is S.deprovisioning:
        return [], None
    target = target_state(decision, status, ctx.now)
    if hold := operator_hold(tenant, target):
        return [], hold
    context = cause.audit(
        subscription_id=decision.subscription_id,
        subscription_status=decision.status,
        billing_state=decision.state.value,
        billing_reason=decision.reason,
    )
    changes: list[str] = []
    if (
        target in (TenantDesiredState.active, TenantDesiredState.suspended)
        and decision.tier_key is not None
        and decision.tier_key != tenant.tier_key
    ):
        previous = tenant.tier_key
        try:
            await lifecycle_tenants.update_tenant(
                session, STRIPE, tenant.id, TenantUpdate(tier=decision.tier_key), None,
                ctx.settings, trigger=cause.trigger, context=context,
            )  # fmt: skip
            changes.append(f"tier {previous} -> {decision.tier_key}")
        except IsolationChangeNeedsMigration:
            # Another isolation model: the tenant moves with its data, phase by phase.
            migration = await migrations.start_for_tier(
                session, STRIPE, tenant, decision.tier_key, ctx.settings
            )
            changes.append(f"migration {migration.id}: tier {previous} -> {decision.tier_key}")
        except TenantMigrating as exc:
            return changes, await _held(session, tenant, exc, decision)
    if target is None:
        return changes, None
    if status is S.pending and target == TenantDesiredState.active:
        await lifecycle_tenants.start_provisioning(
            session, STRIPE, tenant, ctx.settings, trigger=cause.trigger, context=context
        )
        changes.append("provision")
        return changes, None
    if tenant.desired_state == target:
        return changes, None
    kind = _KIND[target]
    # Billing's own suspension is lifted by billing; an operator's never reaches here.
    by = {TenantDesiredState.suspended: "billing", TenantDesiredState.active: None}.get(
        target, tenant.suspended_by
    )
    try:
        await lifecycle_tenants.converge_desired_state(
            session, STRIPE, tenant, target, ctx.settings, kind=kind, trigger=cause.trigger,
            suspended_by=by, context=context,
        )  # fmt: skip
    except TenantMigrating as exc:
        return changes, await _held(session, tenant, exc, decision)
    changes.append(kind)
    return changes, None


async def _held(
    session: AsyncSession, tenant: Tenant, exc: TenantMigrating, decision: Decision
) -> str:
    """A change the tenant's migration holds: audited against the migration, so the migration's
    end decides the subscription again (`retry_held_changes`)."""
    await audit.record(
        session, actor=STRIPE, action=HELD_ACTION, target_type="migration",
        target_id=str(exc.extra["migration_id"]), tenant_id=tenant.id,
        after={"subscription_id": decision.subscription_id, "held": exc.detail},
    )  # fmt: skip
    return exc.detail


async def retry_held_changes(session: AsyncSession, migration: TenantMigration) -> None:
    """When a migration ends: the subscriptions whose change it held are decided again now, by
    a review job in this transaction (the review converges through the lifecycle layer)."""
    for subscription_id in await repo.held_by_migration(session, HELD_ACTION, migration.id):
        await defer_job(
            session, QUEUE, REVIEW_SUBSCRIPTION_TASK, {"subscription_id": subscription_id},
            priority=PRIORITY,
        )  # fmt: skip
