"""Stripe subscriptions as the control plane reads them: `SubscriptionSnapshot`, built from a
subscription object (an API read or the object inside a `customer.subscription.*` event) and
stamped with the time it was true. Pure: no database, no network, no clock."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from paybill_control_plane.billing._stripe_values import (
    SnapshotError,
    StripeLike,
    as_mapping,
    aware_datetime,
    event_object,
    string_metadata,
    stripe_id,
    timestamp,
)

SUBSCRIPTION_STATUSES: Final = frozenset(
    {
        "incomplete",
        "incomplete_expired",
        "trialing",
        "active",
        "past_due",
        "unpaid",
        "canceled",
        "paused",
    }
)
# Stripe never moves a subscription out of these; a new subscription gets a new id.
TERMINAL_STATUSES: Final = frozenset({"canceled", "incomplete_expired"})


@dataclass(frozen=True)
class SubscriptionItemSnapshot:
    id: str | None
    price_id: str
    quantity: int | None
    current_period_end: datetime | None


@dataclass(frozen=True)
class SubscriptionSnapshot:
    """The parts of a Stripe subscription the control plane acts on, plus when they were true."""

    id: str
    customer: str | None
    status: str
    items: tuple[SubscriptionItemSnapshot, ...]
    current_period_end: datetime | None
    trial_end: datetime | None
    cancel_at_period_end: bool
    cancel_at: datetime | None
    canceled_at: datetime | None
    ended_at: datetime | None
    metadata: Mapping[str, str] = field(hash=False)
    livemode: bool
    # Subscriptions have no `updated` field, so the state is stamped from outside: the event's
    # `created` for snapshot events, the time of the read for API re-reads (authoritative).
    state_time: datetime
    authoritative: bool

    @property
    def price_ids(self) -> tuple[str, ...]:
        return tuple(item.price_id for item in self.items)

    @property
    def quantity(self) -> int | None:
        """Seats over all items, or None when no item carries a quantity (metered prices)."""
        return sum_quantities(self.items)

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES


def snapshot_from_stripe(
    obj: StripeLike, observed_at: datetime | float, *, authoritative: bool = False
) -> SubscriptionSnapshot:
    """Build a snapshot from a subscription dict or StripeObject, stamped with `observed_at`."""
    data = as_mapping(obj)
    if data.get("object", "subscription") != "subscription":
        raise SnapshotError(f"expected a subscription, got object={data.get('object')!r}")
    sub_id = data.get("id")
    if not isinstance(sub_id, str) or not sub_id:
        raise SnapshotError("the subscription has no id")
    status = data.get("status")
    if not isinstance(status, str) or not status:
        raise SnapshotError(f"subscription {sub_id} has no status")

    items = tuple(_items(data))
    period_end = timestamp(data.get("current_period_end"))
    if period_end is None:
        # API versions from 2025-03-31 keep the billing period on the items only.
        ends = [item.current_period_end for item in items if item.current_period_end]
        period_end = min(ends) if ends else None

    return SubscriptionSnapshot(
        id=sub_id,
        customer=stripe_id(data.get("customer")),
        status=status,
        items=items,
        current_period_end=period_end,
        trial_end=timestamp(data.get("trial_end")),
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
        cancel_at=timestamp(data.get("cancel_at")),
        canceled_at=timestamp(data.get("canceled_at")),
        ended_at=timestamp(data.get("ended_at")),
        metadata=string_metadata(data.get("metadata")),
        livemode=bool(data.get("livemode")),
        state_time=aware_datetime(observed_at),
        authoritative=authoritative,
    )


def snapshot_from_event(event: Mapping[str, Any]) -> SubscriptionSnapshot:
    """The subscription inside a `customer.subscription.*` event, as of the event's `created`."""
    obj = event_object(event)
    if obj.get("object") != "subscription":
        raise SnapshotError(f"event {event.get('type')!r} does not carry a subscription")
    return snapshot_from_stripe(obj, event_created_at(event), authoritative=False)


def event_created_at(event: Mapping[str, Any]) -> datetime:
    created = timestamp(event.get("created"))
    if created is None:
        raise SnapshotError("the event has no `created` timestamp")
    return created


def _items(data: Mapping[str, Any]) -> Iterable[SubscriptionItemSnapshot]:
    items = data.get("items")
    rows = items.get("data") if isinstance(items, Mapping) else items
    if not isinstance(rows, list):
        return
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        # `price` is always expanded on subscription items; `plan` is the legacy twin.
        price_id = stripe_id(row.get("price")) or stripe_id(row.get("plan"))
        if price_id is None:
            continue
        quantity = row.get("quantity")
        yield SubscriptionItemSnapshot(
            id=stripe_id(row.get("id")),
            price_id=price_id,
            quantity=quantity
            if isinstance(quantity, int) and not isinstance(quantity, bool)
            else None,
            current_period_end=timestamp(row.get("current_period_end")),
        )


def sum_quantities(items: Iterable[SubscriptionItemSnapshot]) -> int | None:
    quantities = [item.quantity for item in items if item.quantity is not None]
    return sum(quantities) if quantities else None
