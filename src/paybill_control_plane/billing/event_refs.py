"""Which subscription, customer or tenant a Stripe event is about. Pure: no database, no network."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from paybill_control_plane.billing._stripe_values import (
    StripeLike,
    as_mapping,
    clean_text,
    event_object,
    string_metadata,
    stripe_id,
)

CHECKOUT_EVENT_TYPES: Final = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
    }
)
SUBSCRIPTION_EVENT_TYPES: Final = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
        "customer.subscription.trial_will_end",
    }
)
INVOICE_EVENT_TYPES: Final = frozenset(
    {"invoice.paid", "invoice.payment_failed", "invoice.payment_action_required"}
)
ENTITLEMENT_EVENT_TYPES: Final = frozenset({"entitlements.active_entitlement_summary.updated"})
HANDLED_EVENT_TYPES: Final = (
    CHECKOUT_EVENT_TYPES | SUBSCRIPTION_EVENT_TYPES | INVOICE_EVENT_TYPES | ENTITLEMENT_EVENT_TYPES
)
# Never change the desired state on these (trial_will_end fires 3 days before the trial ends).
NOTIFY_ONLY_EVENT_TYPES: Final = frozenset({"customer.subscription.trial_will_end"})
# Events on which the customer should hear from us (in addition to any state change).
CUSTOMER_NOTICE_EVENT_TYPES: Final = frozenset(
    {
        "customer.subscription.trial_will_end",
        "invoice.payment_failed",
        "invoice.payment_action_required",
        "checkout.session.async_payment_failed",
    }
)


class CheckoutBindingError(ValueError):
    """The checkout session names two different tenants, or is not a checkout session."""


@dataclass(frozen=True)
class NewTenantRequest:
    slug: str | None
    name: str | None
    cloud: str | None
    region: str | None


@dataclass(frozen=True)
class CheckoutBinding:
    """Which tenant a completed Checkout Session pays for (or which tenant to create)."""

    session_id: str
    tenant_id: str | None
    new_tenant: NewTenantRequest | None
    customer: str | None
    subscription: str | None
    mode: str | None
    status: str | None
    payment_status: str | None
    livemode: bool
    metadata: Mapping[str, str] = field(hash=False)

    @property
    def is_paid(self) -> bool:
        """Stripe: fulfil when `payment_status` is `paid` or `no_payment_required` (trials)."""
        return self.payment_status in {"paid", "no_payment_required"}


# --------------------------------------------------------------------------- event routing


def event_subscription_ref(event: Mapping[str, Any]) -> str | None:
    """The subscription a handled event concerns (None for other types or when absent)."""
    event_type = event.get("type")
    obj = event_object(event)
    if event_type in CHECKOUT_EVENT_TYPES:
        return stripe_id(obj.get("subscription"))
    if event_type in SUBSCRIPTION_EVENT_TYPES:
        return stripe_id(obj.get("id"))
    if event_type in INVOICE_EVENT_TYPES:
        return _invoice_subscription(obj)
    return None


def event_customer_ref(event: Mapping[str, Any]) -> str | None:
    """The customer a handled event concerns (None for other types or when absent)."""
    if event.get("type") not in HANDLED_EVENT_TYPES:
        return None
    return stripe_id(event_object(event).get("customer"))


def _invoice_subscription(invoice: Mapping[str, Any]) -> str | None:
    # API 2025-03-31 ("basil") moved it under parent.subscription_details; older versions keep
    # the top-level field. The lines are a last resort (an invoice for one subscription).
    parent = invoice.get("parent")
    if isinstance(parent, Mapping):
        details = parent.get("subscription_details")
        if isinstance(details, Mapping) and (ref := stripe_id(details.get("subscription"))):
            return ref
    if ref := stripe_id(invoice.get("subscription")):
        return ref
    lines = invoice.get("lines")
    found: set[str] = set()
    if isinstance(lines, Mapping) and isinstance(lines.get("data"), list):
        for line in lines["data"]:
            if not isinstance(line, Mapping):
                continue
            line_parent = line.get("parent")
            if isinstance(line_parent, Mapping):
                item_details = line_parent.get("subscription_item_details")
                if isinstance(item_details, Mapping) and (
                    ref := stripe_id(item_details.get("subscription"))
                ):
                    found.add(ref)
            if ref := stripe_id(line.get("subscription")):
                found.add(ref)
    return found.pop() if len(found) == 1 else None


# --------------------------------------------------------------------------- checkout


def checkout_binding(session: StripeLike) -> CheckoutBinding:
    """Read the tenant binding of a Checkout Session.

    `client_reference_id` (or metadata `tenant_id`) names an existing tenant; otherwise metadata
    `slug`/`name`/`cloud`/`region` describe a tenant to create. Both are set server-side when the
    session is created; still, confirm the tenant against the control plane's own record of the
    session before acting (a Payment Link lets anyone choose `client_reference_id`).
    """
    data = as_mapping(session)
    if data.get("object", "checkout.session") != "checkout.session":
        raise CheckoutBindingError(f"expected a checkout.session, got {data.get('object')!r}")
    session_id = data.get("id")
    if not isinstance(session_id, str) or not session_id:
        raise CheckoutBindingError("the checkout session has no id")
    metadata = string_metadata(data.get("metadata"))
    by_reference = clean_text(data.get("client_reference_id"))
    by_metadata = clean_text(metadata.get("tenant_id"))
    if by_reference and by_metadata and by_reference != by_metadata:
        raise CheckoutBindingError(
            f"checkout session {session_id} names two tenants "
            "(client_reference_id and metadata tenant_id differ)"
        )
    tenant_id = by_reference or by_metadata
    new_tenant = None
    if tenant_id is None:
        new_tenant = NewTenantRequest(
            slug=clean_text(metadata.get("slug")),
            name=clean_text(metadata.get("name")),
            cloud=clean_text(metadata.get("cloud")),
            region=clean_text(metadata.get("region")),
        )
    return CheckoutBinding(
        session_id=session_id,
        tenant_id=tenant_id,
        new_tenant=new_tenant,
        customer=stripe_id(data.get("customer")),
        subscription=stripe_id(data.get("subscription")),
        mode=clean_text(data.get("mode")),
        status=clean_text(data.get("status")),
        payment_status=clean_text(data.get("payment_status")),
        livemode=bool(data.get("livemode")),
        metadata=metadata,
    )
