"""Checkout and customer-portal sessions the control plane creates, and the intent they record.

A completed Checkout Session binds a tenant only through the row written here when the session
was created (OWASP API10: map a customer to a tenant only through a server-side mapping made at
session creation). The session's own `client_reference_id` and metadata are set by us too, but
are never read back as the binding: anyone can complete a Payment Link or a session created
with someone else's tenant id.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from stripe.params.checkout import SessionCreateParams

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.billing._context import EventFailed
from paybill_control_plane.billing.event_refs import CheckoutBinding, NewTenantRequest
from paybill_control_plane.billing.schemas import (
    PortalSessionCreate,
    SignupCheckoutCreate,
    TenantCheckoutCreate,
)
from paybill_control_plane.billing.stripe_api import StripeBillingClient
from paybill_control_plane.catalog import repository as catalog
from paybill_control_plane.cloud_targets import access as cloud_targets
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.errors import AlreadyExists, Conflict, Unprocessable
from paybill_control_plane.models.checkout_session import CheckoutSession
from paybill_control_plane.models.enums import TenantStatus
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.tenants import rules as tenants


class PlanNotPurchasable(Unprocessable):
    type_slug = "plan-not-purchasable"
    title = "The plan cannot be bought through Stripe"


class TenantNotBillable(Conflict):
    type_slug = "tenant-not-billable"
    title = "The tenant cannot start a checkout"


class NoStripeCustomer(Conflict):
    type_slug = "no-stripe-customer"
    title = "The tenant has no Stripe customer"


class SlugTaken(AlreadyExists):
    type_slug = "slug-taken"
    title = "The slug is taken"


async def _purchasable_plan(session: AsyncSession, key: str) -> Plan:
    plan = await catalog.get_plan(session, key)  # 404 plan-not-found
    if not plan.active:
        raise PlanNotPurchasable(f"Plan '{key}' is not active.")
    if not plan.stripe_price_ids:
        raise PlanNotPurchasable(f"Plan '{key}' has no Stripe price.")
    return plan


def _params(
    plan: Plan, success_url: str, cancel_url: str, record_id: uuid.UUID, reference: str
) -> SessionCreateParams:
    metadata = {"paybill_checkout_id": str(record_id), "plan": plan.key}
    return {
        "mode": "subscription",
        # The plan's first price is its checkout price; the others only map existing ones.
        "line_items": [{"price": plan.stripe_price_ids[0], "quantity": 1}],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": reference,
        "metadata": metadata,
        "subscription_data": {"metadata": metadata},
    }


async def _create(
    session: AsyncSession,
    actor: Principal,
    settings: Settings,
    record: CheckoutSession,
    params: SessionCreateParams,
) -> CheckoutSession:
    client = StripeBillingClient.from_settings(settings)
    # Keyed by our record: a retried request within Stripe's 24 h gets the same session back.
    created = await asyncio.to_thread(
        client.create_checkout_session, params, f"paybill-checkout-{record.id}"
    )
    record.stripe_session_id = created.id
    record.url = created.url
    record.expires_at = created.expires_at
    session.add(record)
    await session.flush()
    await audit.record(
        session, actor=actor, action="billing.checkout_created", target_type="checkout_session",
        target_id=created.id, tenant_id=record.tenant_id,
        after={"kind": record.kind, "plan": record.plan_key, "signup": record.signup},
    )  # fmt: skip
    return record


async def create_tenant_checkout(
    session: AsyncSession,
    actor: Principal,
    tenant: Tenant,
    data: TenantCheckoutCreate,
    settings: Settings,
) -> CheckoutSession:
    """A Checkout Session for an existing tenant (it starts paying or changes plan)."""
    if TenantStatus(tenant.status) in {
        TenantStatus.deprovisioning,
        TenantStatus.deprovisioned,
        TenantStatus.purged,
    }:
        raise TenantNotBillable(f"Tenant '{tenant.id}' is {tenant.status}.")
    plan = await _purchasable_plan(session, data.plan)
    tenants.check_placement(
        await catalog.get_tier(session, plan.tier_key), tenant.cloud, tenant.region
    )
    record = CheckoutSession(
        id=uuid.uuid4(), kind="tenant", tenant_id=tenant.id, plan_key=plan.key, status="open",
        created_by=actor.actor,
    )  # fmt: skip
    params = _params(plan, str(data.success_url), str(data.cancel_url), record.id, str(tenant.id))
    if tenant.stripe_customer_id:
        params["customer"] = tenant.stripe_customer_id
    return await _create(session, actor, settings, record, params)


async def create_signup_checkout(
    session: AsyncSession, actor: Principal, data: SignupCheckoutCreate, settings: Settings
) -> CheckoutSession:
    """A Checkout Session that creates a tenant once paid; everything is validated now."""
    plan = await _purchasable_plan(session, data.plan)
    tier = await catalog.get_tier(session, plan.tier_key)
    tenants.check_placement(tier, data.cloud.value, data.region)
    await cloud_targets.choose_for_tenant(session, data.cloud.value, None)
    if await session.scalar(select(Tenant.id).where(Tenant.slug == data.slug)) is not None:
        raise SlugTaken(f"A tenant with slug '{data.slug}' already exists.")
    pending = await session.scalar(
        select(CheckoutSession.stripe_session_id).where(
            CheckoutSession.signup_slug == data.slug,
            CheckoutSession.status == "open",
            CheckoutSession.expires_at > utcnow(),
        )
    )
    if pending is not None:
        raise SlugTaken(f"An open sign-up checkout ({pending}) already claims slug '{data.slug}'.")
    signup = {
        "slug": data.slug,
        "name": data.name,
        "cloud": data.cloud.value,
        "region": data.region,
    }
    record = CheckoutSession(
        id=uuid.uuid4(), kind="signup", plan_key=plan.key, signup=signup, signup_slug=data.slug,
        status="open", created_by=actor.actor,
    )  # fmt: skip
    params = _params(
        plan, str(data.success_url), str(data.cancel_url), record.id, f"signup:{data.slug}"
    )
    return await _create(session, actor, settings, record, params)


async def create_portal_session(
    session: AsyncSession,
    actor: Principal,
    tenant: Tenant,
    data: PortalSessionCreate,
    settings: Settings,
) -> str:
    """A Stripe customer-portal URL for the tenant's customer (409 without one)."""
    if not tenant.stripe_customer_id:
        raise NoStripeCustomer(
            f"Tenant '{tenant.id}' has no Stripe customer yet; start a checkout first."
        )
    client = StripeBillingClient.from_settings(settings)
    return_url = str(data.return_url) if data.return_url else None
    url = await asyncio.to_thread(
        client.create_portal_session,
        tenant.stripe_customer_id,
        return_url,
        f"paybill-portal-{uuid.uuid4()}",
    )
    # The URL logs the customer in: audited without it.
    await audit.record(
        session, actor=actor, action="billing.portal_session_created", target_type="tenant",
        target_id=tenant.id, tenant_id=tenant.id,
        after={"stripe_customer_id": tenant.stripe_customer_id},
    )  # fmt: skip
    return url


# -- completion ---------------------------------------------------------------------------------


async def intent_for(session: AsyncSession, stripe_session_id: str) -> CheckoutSession | None:
    """The recorded intent of a session the control plane created (None: not ours)."""
    row: CheckoutSession | None = await session.scalar(
        select(CheckoutSession)
        .where(CheckoutSession.stripe_session_id == stripe_session_id)
        .with_for_update()
    )
    return row


def binding_from_intent(binding: CheckoutBinding, intent: CheckoutSession) -> CheckoutBinding:
    """The session's binding with the tenant (or sign-up) replaced by the recorded one."""
    metadata: dict[str, Any] = {"plan": intent.plan_key}
    if intent.tenant_id is not None:  # a tenant checkout, or a sign-up already completed
        return dataclasses.replace(
            binding, tenant_id=str(intent.tenant_id), new_tenant=None, metadata=metadata
        )
    if intent.kind != "signup" or not intent.signup:
        raise EventFailed(
            f"checkout session {binding.session_id} was created for a tenant that no longer exists"
        )
    signup = intent.signup
    request = NewTenantRequest(
        slug=signup.get("slug"),
        name=signup.get("name"),
        cloud=signup.get("cloud"),
        region=signup.get("region"),
    )
    return dataclasses.replace(binding, tenant_id=None, new_tenant=request, metadata=metadata)


def complete(intent: CheckoutSession, tenant: Tenant, event_id: str | None) -> None:
    intent.status = "completed"
    intent.tenant_id = tenant.id
    intent.completed_event_id = intent.completed_event_id or event_id
