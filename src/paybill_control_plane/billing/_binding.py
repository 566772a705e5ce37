"""Which tenant a subscription pays for: checkout binding, tenant creation, later lookups.

A subscription is bound to a tenant by a completed Checkout Session (the control plane created
that session, so its `client_reference_id` / metadata are ours), and from then on found through
the tenant's `stripe_subscription_id`. A customer's next subscription (e.g. after a cancellation)
binds to the customer's one tenant. Nothing else binds: an event naming an unknown customer waits
for its checkout, and a slug that already belongs to someone else is never taken over.
"""

from __future__ import annotations

import uuid

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import STRIPE
from paybill_control_plane.billing import repository as repo
from paybill_control_plane.billing._context import BindingPending, Cause, EventFailed
from paybill_control_plane.billing._subscriptions import price_plans, snapshot_of, tier_of
from paybill_control_plane.billing.desired_state import TERMINAL_STATUSES, SubscriptionSnapshot
from paybill_control_plane.billing.event_refs import CheckoutBinding
from paybill_control_plane.errors import AlreadyExists
from paybill_control_plane.lifecycle import tenants as lifecycle_tenants
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.tenants.schemas import TenantCreate
from paybill_control_plane.tenants.views import snapshot


async def bind(
    session: AsyncSession, tenant: Tenant, customer: str | None, subscription: str, cause: Cause
) -> bool:
    """Make `subscription` the tenant's current one (billing provider stripe); audited."""
    if (
        tenant.billing_provider == "stripe"
        and tenant.stripe_subscription_id == subscription
        and (customer is None or tenant.stripe_customer_id == customer)
    ):
        return False
    before = snapshot(tenant)
    tenant.billing_provider = "stripe"
    tenant.stripe_customer_id = customer or tenant.stripe_customer_id
    tenant.stripe_subscription_id = subscription
    tenant.version += 1
    await session.flush()
    await audit.record(
        session, actor=STRIPE, action="tenant.billing_bound", target_type="tenant",
        target_id=tenant.id, tenant_id=tenant.id, before=before,
        after={**snapshot(tenant), **cause.audit(subscription_id=subscription)},
    )  # fmt: skip
    return True


async def _takes_new_subscription(session: AsyncSession, tenant: Tenant) -> bool:
    if tenant.stripe_subscription_id is None:
        return True
    current = await repo.get_subscription(session, tenant.stripe_subscription_id)
    return current is not None and current.status in TERMINAL_STATUSES


async def tenant_for_subscription(
    session: AsyncSession, subscription_id: str, customer_id: str | None, cause: Cause
) -> Tenant | None:
    """The tenant the subscription is bound to (binding a customer's new one), or None."""
    row = await repo.get_subscription(session, subscription_id)
    if row is not None and row.tenant_id is not None:
        return await repo.tenant_for_update(session, row.tenant_id)
    tenant = await repo.tenant_by_subscription(session, subscription_id)
    if tenant is not None:
        return tenant
    if customer_id:
        candidates = await repo.tenants_by_customer(session, customer_id)
        if len(candidates) == 1 and await _takes_new_subscription(session, candidates[0]):
            await bind(session, candidates[0], customer_id, subscription_id, cause)
            return candidates[0]
    return None


async def _tier_for_new_tenant(
    session: AsyncSession, binding: CheckoutBinding, snap: SubscriptionSnapshot | None
) -> str | None:
    if snap is None and binding.subscription:
        row = await repo.get_subscription(session, binding.subscription)
        snap = snapshot_of(row) if row is not None else None
    if snap is not None:
        tier = tier_of(snap, await price_plans(session, snap))
        if tier is not None:
            return tier
    if plan_key := binding.metadata.get("plan"):
        plan = await repo.plan(session, plan_key)
        if plan is None:
            raise EventFailed(f"checkout session {binding.session_id}: no plan '{plan_key}'")
        return plan.tier_key
    return binding.metadata.get("tier")


async def _create_tenant(
    session: AsyncSession, binding: CheckoutBinding, snap: SubscriptionSnapshot | None
) -> Tenant:
    request = binding.new_tenant
    assert request is not None and request.slug is not None
    tier = await _tier_for_new_tenant(session, binding, snap)
    if tier is None:
        raise BindingPending(
            f"checkout session {binding.session_id}: the plan of subscription "
            f"{binding.subscription} is not known yet (no subscription event so far, no API key "
            "to read it, no metadata `plan`)"
        )
    missing = [name for name in ("cloud", "region") if getattr(request, name) is None]
    if missing:
        raise EventFailed(
            f"checkout session {binding.session_id}: metadata lacks {' and '.join(missing)} "
            f"for the new tenant '{request.slug}'"
        )
    try:
        data = TenantCreate.model_validate(
            {
                "slug": request.slug,
                "name": request.name or request.slug,
                "tier": tier,
                "cloud": request.cloud,
                "region": request.region,
            }
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise EventFailed(
            f"checkout session {binding.session_id}: metadata is not a valid tenant ({problems})"
        ) from exc
    try:
        return await lifecycle_tenants.create_tenant(
            session, STRIPE, data, billing_provider="stripe"
        )
    except AlreadyExists as exc:  # created concurrently: the next attempt finds it
        raise BindingPending(exc.detail) from exc


async def tenant_for_checkout(
    session: AsyncSession,
    binding: CheckoutBinding,
    snap: SubscriptionSnapshot | None,
    cause: Cause,
) -> Tenant:
    """The tenant a completed checkout pays for — found, or created from metadata — bound."""
    label = f"checkout session {binding.session_id}"
    if binding.tenant_id is not None:
        try:
            tenant_id = uuid.UUID(binding.tenant_id)
        except ValueError:
            raise EventFailed(f"{label} names tenant {binding.tenant_id!r}: not an id") from None
        found = await repo.tenant_for_update(session, tenant_id)
        if found is None:
            raise EventFailed(f"{label} names tenant {tenant_id}, which does not exist")
        tenant = found
    else:
        request = binding.new_tenant
        if request is None or request.slug is None:
            raise EventFailed(
                f"{label} names no tenant: set client_reference_id (or metadata tenant_id) to an "
                "existing tenant, or metadata slug, cloud and region for a new one"
            )
        existing = await repo.tenant_by_slug(session, request.slug)
        if existing is None:
            tenant = await _create_tenant(session, binding, snap)
        elif existing.billing_provider == "stripe" and existing.stripe_customer_id in (
            None,
            binding.customer,
        ):
            tenant = existing  # this checkout's tenant, seen again (a second event, a replay)
        else:
            raise EventFailed(f"{label}: the slug '{request.slug}' belongs to another tenant")
    if (
        tenant.stripe_customer_id
        and binding.customer
        and tenant.stripe_customer_id != binding.customer
    ):
        raise EventFailed(
            f"{label} is for customer {binding.customer}, but tenant {tenant.slug} is bound to "
            f"customer {tenant.stripe_customer_id}"
        )
    assert binding.subscription is not None
    await bind(session, tenant, binding.customer, binding.subscription, cause)
    return tenant
