"""`entitlements.active_entitlement_summary.updated`: store the customer's active entitlements.

The summary carries at most 10 entitlements; when it says `has_more`, every page is listed from
Stripe (R11). Stored per customer and ordered by the event's `created`, like subscriptions: an
older summary never replaces a newer one. Which tenant features they grant is decided when the
tenant's entitlements are read (plans with `entitlements_source: stripe`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import STRIPE
from paybill_control_plane.billing import repository as repo
from paybill_control_plane.billing._context import (
    BillingContext,
    BindingPending,
    Cause,
    EventFailed,
)
from paybill_control_plane.billing._stripe_values import event_object, stripe_id
from paybill_control_plane.billing.desired_state import event_created_at
from paybill_control_plane.billing.stripe_api import (
    StripeBillingClient,
    StripeNotConfigured,
    StripeUnavailable,
    lookup_key,
)
from paybill_control_plane.models.billing_event import BillingEvent
from paybill_control_plane.models.stripe_entitlements import StripeEntitlements


async def _lookup_keys(summary: Mapping[str, Any], customer: str, ctx: BillingContext) -> list[str]:
    listed = summary.get("entitlements")
    rows = listed.get("data") if isinstance(listed, Mapping) else None
    rows = rows if isinstance(rows, list) else []
    if not (isinstance(listed, Mapping) and listed.get("has_more")):
        return sorted({k for row in rows if isinstance(row, Mapping) and (k := lookup_key(row))})
    try:
        client = StripeBillingClient.from_settings(ctx.settings)
    except StripeNotConfigured as exc:
        raise EventFailed(
            f"customer {customer} has more active entitlements than the summary carries, and "
            "PAYBILL_STRIPE_API_KEY is not set to list them"
        ) from exc
    try:
        return await asyncio.to_thread(client.active_entitlement_keys, customer)
    except StripeUnavailable as exc:  # Stripe down: try again later
        raise BindingPending(f"listing the entitlements of {customer}: {exc.detail}") from exc


async def apply_summary(
    session: AsyncSession, event: BillingEvent, ctx: BillingContext, cause: Cause
) -> tuple[str, StripeEntitlements | None]:
    """Store the customer's active entitlements if newer; returns (what happened, the row)."""
    summary = event_object(event.payload)
    customer = stripe_id(summary.get("customer"))
    if customer is None:
        raise EventFailed("the entitlement summary names no customer")
    await repo.lock_subject(session, f"entitlements:{customer}")
    row = await session.get(StripeEntitlements, customer, with_for_update=True)
    state_time = event_created_at(event.payload)
    if row is not None and row.state_time > state_time:
        return (
            f"stale: the entitlements applied for {customer} (as of "
            f"{row.state_time.isoformat()}) are newer; nothing changed",
            row,
        )
    keys = await _lookup_keys(summary, customer, ctx)
    before = list(row.lookup_keys) if row is not None else None
    if row is None:
        row = StripeEntitlements(customer_id=customer, lookup_keys=keys, state_time=state_time)
        session.add(row)
    row.lookup_keys = keys
    row.state_time = state_time
    row.last_event_id = cause.event_id
    await session.flush()
    tenants = await repo.tenants_by_customer(session, customer)
    tenant = tenants[0] if len(tenants) == 1 else None
    if before != keys:
        await audit.record(
            session, actor=STRIPE, action="billing.entitlements_updated",
            target_type="stripe_customer", target_id=customer,
            tenant_id=tenant.id if tenant else None,
            before={"lookup_keys": before} if before is not None else None,
            after={"lookup_keys": keys, **cause.audit()},
        )  # fmt: skip
    shown = ", ".join(keys) or "none"
    whose = f" (tenant {tenant.slug})" if tenant else " (no tenant bound yet)"
    changed = "unchanged" if before == keys else "updated"
    return f"entitlements of {customer}{whose} {changed}: {shown}", row
