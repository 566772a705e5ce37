"""Tenant lifecycle decisions: create, provision, change, suspend / resume / deprovision.

Each changes the tenant (status and desired state through `transitions.change_state`) and queues
the runs that take its infrastructure there, in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.catalog import repository as catalog
from paybill_control_plane.config import Settings
from paybill_control_plane.errors import Conflict
from paybill_control_plane.lifecycle.migrations import service as migrations
from paybill_control_plane.lifecycle.runs import settle
from paybill_control_plane.lifecycle.transitions import KEEP, change_state
from paybill_control_plane.models.enums import TenantDesiredState, TenantStatus
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.provisioning import service as provisioning
from paybill_control_plane.tenants import lifecycle as machine
from paybill_control_plane.tenants import repository as repo
from paybill_control_plane.tenants import service as tenants
from paybill_control_plane.tenants.rules import check_placement, check_version, isolation_for_tier
from paybill_control_plane.tenants.schemas import TenantCreate, TenantUpdate


class IsolationChangeNeedsMigration(Conflict):
    type_slug = "isolation-change-needs-migration"
    title = "The tier change moves the tenant to another isolation model"


_NO_TIER_CHANGE = frozenset(
    {TenantStatus.deprovisioning, TenantStatus.deprovisioned, TenantStatus.purged}
)


async def create_tenant(
    session: AsyncSession,
    actor: Principal | str,
    data: TenantCreate,
    *,
    billing_provider: str = "manual",
) -> Tenant:
    """Create a tenant in `pending` (nothing is queued until it is provisioned)."""
    return await tenants.create_tenant(session, actor, data, billing_provider=billing_provider)


async def start_provisioning(
    session: AsyncSession,
    actor: Principal | str,
    tenant: Tenant,
    settings: Settings,
    *,
    trigger: str = "api",
    context: Mapping[str, Any] | None = None,
) -> None:
    """Move a pending tenant to provisioning and queue its first runs."""
    await change_state(
        session, actor, tenant, status=TenantStatus.provisioning, desired_state=TenantDesiredState.active,
        action="tenant.provision", context=context,
    )  # fmt: skip
    await provisioning.reconcile_tenant(
        session, tenant, kind="provision", trigger=trigger, actor=actor, settings=settings
    )


async def _new_tier(session: AsyncSession, tenant: Tenant, data: TenantUpdate) -> Tier | None:
    """The tier a change moves the tenant to (checked against its placement), or None."""
    changes = data.model_dump(mode="json", exclude_unset=True)
    if "tier" not in changes or changes["tier"] == tenant.tier_key:
        return None
    await migrations.check_not_migrating(session, tenant, "change tier")
    current = TenantStatus(tenant.status)
    if current in _NO_TIER_CHANGE:
        machine.check_transition(current, TenantStatus.updating)
    tier = await catalog.get_tier(session, changes["tier"])
    check_placement(tier, tenant.cloud, tenant.region)
    check_same_isolation(tenant, tier)
    return tier


def check_same_isolation(tenant: Tenant, tier: Tier) -> None:
    """A tenant with infrastructure cannot change isolation model in place (issue 14).

    Converging in place applied the target stacks while the tenant stayed in its pool: it was
    provisioned twice and no data moved. Moving between models is a migration; a pending tenant
    has nothing to move yet.
    """
    target, _ = isolation_for_tier(tenant, tier)
    if target == tenant.isolation_model or tenant.status == TenantStatus.pending:
        return
    path = f"/v1/tenants/{tenant.id}/migrations"
    raise IsolationChangeNeedsMigration(
        f"Tier '{tier.key}' puts the tenant on the '{target}' isolation model; it is "
        f"'{tenant.isolation_model}' now. Moving between models moves its data: start a "
        f"migration with POST {path}.",
        extra={
            "current_isolation": tenant.isolation_model,
            "target_isolation": target,
            "target_tier": tier.key,
            "migrations": path,
        },
    )


async def update_tenant(
    session: AsyncSession,
    actor: Principal,
    tenant_id: uuid.UUID,
    data: TenantUpdate,
    expected_version: int | None,
    settings: Settings,
    *,
    trigger: str = "api",
    context: Mapping[str, Any] | None = None,
) -> tuple[Tenant, bool]:
    """Apply a partial update; a tier change re-plans and queues runs. Returns (tenant, whether
    the tier changed)."""
    tenant = await repo.get(session, actor, tenant_id, for_update=True)
    if expected_version is not None:
        check_version(tenant, expected_version)
    tier = await _new_tier(session, tenant, data)
    previous_pool = tenant.pool_id
    changed = await tenants.apply_update(session, actor, tenant, data, tier, context=context)
    if not changed or tier is None:
        return tenant, False
    if (
        tenant.desired_state != TenantDesiredState.deprovisioned
        and tenant.status != TenantStatus.pending
    ):
        status = machine.running_status_for(TenantStatus(tenant.status), tenant.desired_state)
        if TenantStatus(tenant.status) != TenantStatus.failed:
            await change_state(
                session, actor, tenant, status=status, action="tenant.change_tier", context=context
            )
        await provisioning.reconcile_tenant(
            session, tenant, kind="change-tier", trigger=trigger, actor=actor, settings=settings,
            previous_pool_id=previous_pool,
        )  # fmt: skip
    return tenant, True


async def perform_action(
    session: AsyncSession,
    actor: Principal,
    tenant_id: uuid.UUID,
    action: str,
    settings: Settings,
    *,
    trigger: str = "api",
) -> Tenant:
    """suspend / resume / deprovision: set the desired state and queue the runs that reach it."""
    tenant = await repo.get(session, actor, tenant_id, for_update=True)
    await migrations.check_not_migrating(session, tenant, action)
    current = TenantStatus(tenant.status)
    if action == "suspend" and current is TenantStatus.suspended:
        if tenant.suspended_by == "operator":
            machine.check_action(current, action)  # 409: already suspended by an operator
        # Suspended by billing: the operator takes the suspension over, so that no Stripe
        # event lifts it (abuse, investigation).
        await change_state(session, actor, tenant, action="tenant.suspend", suspended_by="operator")
        return tenant
    definition = machine.check_action(current, action)
    desired = definition.desired_state or tenant.desired_state
    status = machine.running_status_for(current, desired)
    by = {"suspend": "operator", "resume": None}.get(action, tenant.suspended_by)
    await change_state(
        session, actor, tenant, status=status, desired_state=desired, action=f"tenant.{action}",
        suspended_by=by,
    )  # fmt: skip
    await provisioning.reconcile_tenant(
        session, tenant, kind=action, trigger=trigger, actor=actor, settings=settings
    )
    return tenant


async def converge_desired_state(
    session: AsyncSession,
    actor: Principal | str,
    tenant: Tenant,
    target: TenantDesiredState,
    settings: Settings,
    *,
    kind: str,
    trigger: str,
    suspended_by: str | None = KEEP,
    context: Mapping[str, Any] | None = None,
) -> None:
    """Billing's move: take the tenant to `target` from any non-final status and queue its runs
    (a tenant with no stack to run has converged already and settles at once). A suspension
    applies during a migration (both sides are kept, and suspended); a deprovision waits (409)."""
    if target == TenantDesiredState.deprovisioned:
        await migrations.check_not_migrating(session, tenant, "be deprovisioned")
    await change_state(
        session, actor, tenant,
        status=machine.running_status_for(TenantStatus(tenant.status), target),
        desired_state=target, action=f"tenant.{kind}", context=context, suspended_by=suspended_by,
    )  # fmt: skip
    runs = await provisioning.reconcile_tenant(
        session, tenant, kind=kind, trigger=trigger, actor=actor, settings=settings
    )
    if not runs:
        await settle(session, tenant, settings, actor)
